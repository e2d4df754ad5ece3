//! The guide's "allow insecure TLS": one server certificate per failure the guide lists,
//! each under default verification and under each option that relaxes it, and the option
//! pairs PyMongo refuses outright.

use crate::fixtures::manifest::Expect;
use crate::pki::leaf::Purpose;
use crate::policy::{Driver, Reason};
use crate::scenario::{Case, CaseSpec, Fixture, LeafSpec, Scenario, ServedCase};

pub(super) fn scenario() -> Scenario {
    let servers = servers();
    let policies = policies();
    Scenario::new(
        "insecure-tls",
        "Allow insecure TLS: one server certificate per failure, under each of PyMongo's relaxing options",
    )
    .fixture(Fixture::root("ca", "pkigen insecure-tls CA"))
    .fixture(Fixture::root("foreign-ca", "pkigen foreign CA"))
    .fixtures(servers.iter().map(|server| server.fixture.clone()))
    .cases(
        servers
            .iter()
            .flat_map(|server| policies.iter().map(|policy| server.under(policy))),
    )
    .case(
        refused(
            "conflict-insecure-and-allow-invalid-certificates",
            "tlsInsecure already implies tlsAllowInvalidCertificates; PyMongo refuses both together",
        )
        .option("tls", true)
        .option("tlsInsecure", true)
        .option("tlsAllowInvalidCertificates", true)
        .expect(Expect::config_error(Reason::InvalidOptions)),
    )
    .case(
        refused(
            "conflict-insecure-and-allow-invalid-hostnames",
            "tlsInsecure already implies tlsAllowInvalidHostnames; PyMongo refuses both together",
        )
        .option("tls", true)
        .option("tlsInsecure", true)
        .option("tlsAllowInvalidHostnames", true)
        .expect(Expect::config_error(Reason::InvalidOptions)),
    )
    .case(
        refused(
            "conflict-allow-invalid-certificates-and-disable-ocsp",
            "tlsAllowInvalidCertificates already disables the OCSP endpoint check; PyMongo refuses both together",
        )
        .option("tls", true)
        .option("tlsAllowInvalidCertificates", true)
        .option("tlsDisableOCSPEndpointCheck", true)
        .expect(Expect::config_error(Reason::InvalidOptions)),
    )
    .case(
        refused(
            "conflict-tls-false-with-ca-file",
            "tls=false beside a TLS option: PyMongo refuses the contradiction",
        )
        .option("tls", false)
        .ca_file("ca")
        .expect(Expect::config_error(Reason::InvalidOptions))
        .differs_for(
            Driver::Node,
            Expect::reject(Reason::Other),
            "The Node.js driver has no rule against tls=false beside TLS options: it never reads \
             tlsCAFile and sends its hello in plaintext, which the TLS server drops \
             ('connection ... closed' after server selection)",
        )
        .differs_for(
            Driver::C,
            Expect::reject(Reason::Other),
            "libmongoc has no rule against tls=false beside TLS options: it never reads tlsCAFile \
             and sends its hello in plaintext, which the TLS server drops ('Server closed \
             connection.')",
        ),
    )
}

/// A server certificate and the one failure it embodies.
struct BadServer {
    fixture: LeafSpec,
    /// What the server presents, completing "The server presents …".
    what: &'static str,
    /// `None` for the valid control.
    failure: Option<Reason>,
}

/// A client policy and the failures it forgives.
struct Policy {
    /// The last words of its cases' names.
    suffix: &'static str,
    /// The policy, completing "the client uses …".
    what: &'static str,
    /// Its options, after `tls=true` and `tlsCAFile` naming the scenario's CA.
    options: fn(ServedCase) -> ServedCase,
    /// `None`: every certificate failure is forgiven.
    forgives: Option<&'static [Reason]>,
}

impl BadServer {
    /// This server under `policy`: accepted when it is the control or the policy forgives
    /// its failure, refused for that failure otherwise.
    fn under(&self, policy: &Policy) -> CaseSpec {
        let forgiven = match (self.failure, policy.forgives) {
            (None, _) | (Some(_), None) => true,
            (Some(reason), Some(list)) => list.contains(&reason),
        };
        let expect = match self.failure {
            Some(reason) if !forgiven => Expect::reject(reason),
            _ => Expect::ACCEPT,
        };
        let case = Case::new(
            format!("{}-{}", self.fixture.name, policy.suffix),
            format!(
                "The server presents {} and the client uses {}",
                self.what, policy.what
            ),
        )
        .server(self.fixture.name)
        .trusting_ca();
        (policy.options)(case).expect(expect)
    }
}

fn servers() -> [BadServer; 7] {
    [
        BadServer {
            fixture: LeafSpec::server("server"),
            what: "a valid certificate (control)",
            failure: None,
        },
        BadServer {
            fixture: LeafSpec::server("wrong-host").for_names(&["wrong.example"]),
            what: "a certificate for wrong.example, not localhost",
            failure: Some(Reason::HostnameMismatch),
        },
        BadServer {
            fixture: LeafSpec::server("expired").expired(),
            what: "a certificate that expired before --now",
            failure: Some(Reason::Expired),
        },
        BadServer {
            fixture: LeafSpec::server("not-yet-valid").not_yet_valid(),
            what: "a certificate that becomes valid decades after --now",
            failure: Some(Reason::NotYetValid),
        },
        BadServer {
            fixture: LeafSpec::server("self-signed").self_signed(),
            what: "a self-signed certificate",
            failure: Some(Reason::UnknownIssuer),
        },
        BadServer {
            fixture: LeafSpec::server("foreign-issued").issued_by("foreign-ca"),
            what: "a certificate from a CA the client does not trust",
            failure: Some(Reason::UnknownIssuer),
        },
        BadServer {
            fixture: LeafSpec::server("client-only").purpose(Purpose::ClientAuth),
            what: "a certificate whose only purpose is client authentication",
            failure: Some(Reason::InvalidPurpose),
        },
    ]
}

fn policies() -> [Policy; 4] {
    [
        Policy {
            suffix: "default",
            what: "default verification",
            options: |c| c,
            forgives: Some(&[]),
        },
        Policy {
            suffix: "insecure",
            what: "tlsInsecure=true, which turns off certificate and host name checks",
            options: |c| c.option("tlsInsecure", true),
            forgives: None,
        },
        Policy {
            suffix: "allow-invalid-certificates",
            what: "tlsAllowInvalidCertificates=true, under which PyMongo checks neither the certificate nor the host name",
            options: |c| c.option("tlsAllowInvalidCertificates", true),
            forgives: None,
        },
        Policy {
            suffix: "allow-invalid-hostnames",
            what: "tlsAllowInvalidHostnames=true, which forgives only a host name mismatch",
            options: |c| c.option("tlsAllowInvalidHostnames", true),
            forgives: Some(&[Reason::HostnameMismatch]),
        },
    ]
}

/// A case PyMongo refuses for its options alone, before any server is reached.
fn refused(name: &str, description: &str) -> ServedCase {
    Case::new(name, description).server("server")
}
