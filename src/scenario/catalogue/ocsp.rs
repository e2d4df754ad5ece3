//! The guide's "OCSP": stapling, must-staple, a responder on loopback, and the rules
//! PyMongo (with `pymongo[ocsp]`) applies to each.
//!
//! The cases are a matrix: each row is a server side and what default verification does
//! with it. `tlsInsecure` and `tlsAllowInvalidCertificates` turn OCSP off, so under them
//! every row of the drivers' matrix is accepted.
//!
//! The drivers' matrix runs its responder rows twice: with answers signed by the CA and by
//! a responder the CA delegated to. A responder answers one way per serial, so the delegated
//! rows have server certificates of their own whose AIA names a second responder.

use crate::fixtures::manifest::Expect;
use crate::pki::leaf::Purpose;
use crate::policy::{Driver, Reason};
use crate::scenario::{
    Case, CaseSpec, Fixture, LeafSpec, OcspSigner, OcspSpec, OcspUrl, Scenario, ServedCase,
};

/// The responder whose answers the CA signs itself. A responder's name is not a fixture's:
/// with the seed it decides the responder's address.
const CA_RESPONDER: &str = "ocsp-responder";
const CA_RESPONDER_URL: OcspUrl = OcspUrl::Responder(CA_RESPONDER);
/// The responder whose answers `DELEGATE` signs.
const DELEGATED_RESPONDER: &str = "ocsp-delegated-responder";
const DELEGATED_RESPONDER_URL: OcspUrl = OcspUrl::Responder(DELEGATED_RESPONDER);
/// The responder certificate the CA delegates its answers to (EKU OCSPSigning).
const DELEGATE: &str = "ocsp-responder";

/// Why the Node.js driver accepts what PyMongo refuses for an OCSP response or its absence.
pub(super) const NODE_HAS_NO_OCSP: &str = "The Node.js driver has no OCSP: it asks for no staple, checks none, \
     ignores must-staple and asks no responder, so the valid chain alone decides";

/// Why the Node.js driver refuses a client with tlsDisableOCSPEndpointCheck.
pub(super) const NODE_DOES_NOT_KNOW_DISABLE_OCSP: &str = "The Node.js driver does not know \
     tlsDisableOCSPEndpointCheck: its constructor throws MongoParseError 'option \
     tlsdisableocspendpointcheck is not supported'";

/// A case of this scenario as the Node.js driver sees it: every server here sends a valid
/// chain from the CA the client trusts, so a case PyMongo refuses only for what OCSP says
/// (or for a missing staple) is accepted by a driver without OCSP.
pub(super) fn judged_without_ocsp(case: CaseSpec) -> CaseSpec {
    match case.expect.reason {
        Some(Reason::OcspRevoked | Reason::OcspInvalidResponse | Reason::OcspMustStaple) => {
            case.differs_for(Driver::Node, Expect::ACCEPT, NODE_HAS_NO_OCSP)
        }
        _ => case,
    }
}

pub(super) fn scenario() -> Scenario {
    let matrix = drivers_matrix();
    Scenario::new(
        "ocsp",
        "Check revocation with OCSP: stapled responses, must-staple, a loopback responder, PyMongo's soft fail",
    )
    .fixture(Fixture::root("ca", "pkigen ocsp CA"))
    .fixture(Fixture::root("foreign-ca", "pkigen foreign CA"))
    .fixture(LeafSpec::server("server").ocsp(CA_RESPONDER_URL))
    .fixture(LeafSpec::server("revoked").ocsp(CA_RESPONDER_URL))
    .fixture(LeafSpec::server("soft-fail").ocsp(OcspUrl::Unreachable))
    .fixture(
        LeafSpec::server("must-staple-revoked")
            .ocsp(CA_RESPONDER_URL)
            .must_staple(),
    )
    .fixture(LeafSpec::server("server-delegated").ocsp(DELEGATED_RESPONDER_URL))
    .fixture(LeafSpec::server("revoked-delegated").ocsp(DELEGATED_RESPONDER_URL))
    .fixture(
        LeafSpec::server("must-staple-revoked-delegated")
            .ocsp(DELEGATED_RESPONDER_URL)
            .must_staple(),
    )
    .fixture(LeafSpec::ocsp_responder(DELEGATE))
    .fixture(LeafSpec::ocsp_responder("ocsp-responder-no-eku").purpose(Purpose::ServerAuth))
    .fixture(OcspSpec::good("ocsp-good", "server").served_by(CA_RESPONDER))
    .fixture(OcspSpec::revoked("ocsp-revoked", "revoked").served_by(CA_RESPONDER))
    .fixture(
        OcspSpec::revoked("ocsp-must-staple-revoked", "must-staple-revoked")
            .served_by(CA_RESPONDER),
    )
    .fixture(
        OcspSpec::good("ocsp-delegated-good", "server-delegated")
            .signed_by(OcspSigner::Delegate(DELEGATE))
            .served_by(DELEGATED_RESPONDER),
    )
    .fixture(
        OcspSpec::revoked("ocsp-delegated-revoked", "revoked-delegated")
            .signed_by(OcspSigner::Delegate(DELEGATE))
            .served_by(DELEGATED_RESPONDER),
    )
    .fixture(
        OcspSpec::revoked(
            "ocsp-delegated-must-staple-revoked",
            "must-staple-revoked-delegated",
        )
        .signed_by(OcspSigner::Delegate(DELEGATE))
        .served_by(DELEGATED_RESPONDER),
    )
    .fixture(OcspSpec::unknown("ocsp-unknown", "server"))
    .fixture(OcspSpec::good("ocsp-stale", "server").stale())
    .fixture(
        OcspSpec::good("ocsp-foreign", "server").signed_by(OcspSigner::Foreign("foreign-ca")),
    )
    .fixture(
        OcspSpec::good("ocsp-delegated", "server")
            .signed_by(OcspSigner::Delegate(DELEGATE)),
    )
    .fixture(
        OcspSpec::good("ocsp-delegated-no-eku", "server")
            .signed_by(OcspSigner::Delegate("ocsp-responder-no-eku")),
    )
    .cases(matrix.iter().flat_map(|row| {
        [
            judged_without_ocsp(row.case("", "default verification").expect(row.expect)),
            row.case("-insecure", "tlsInsecure=true (no OCSP)")
                .option("tlsInsecure", true)
                .expect(Expect::ACCEPT),
            row.case(
                "-allow-invalid-certificates",
                "tlsAllowInvalidCertificates=true (no OCSP)",
            )
            .option("tlsAllowInvalidCertificates", true)
            .expect(Expect::ACCEPT),
        ]
    }))
    .cases(
        beyond_the_matrix()
            .iter()
            .map(|row| judged_without_ocsp(row.case("", "default verification").expect(row.expect))),
    )
    .cases(endpoint_check_disabled(&matrix))
}

/// A server side of the scenario and what default verification does with it.
struct Row {
    /// The name of its case under default verification; other policies add a suffix.
    name: &'static str,
    /// What the server presents, completing "The server presents …".
    what: &'static str,
    /// The certificate the server sends, what it staples, whether the responder runs.
    server: fn(Case) -> ServedCase,
    expect: Expect,
}

impl Row {
    /// This row's server, and a client trusting the scenario's CA with policy `how`.
    fn case(&self, suffix: &str, how: &str) -> ServedCase {
        let case = Case::new(
            format!("{}{suffix}", self.name),
            format!(
                "The server presents {} and the client uses {how}",
                self.what
            ),
        );
        (self.server)(case).trusting_ca()
    }
}

/// The MongoDB drivers' OCSP support test matrix: its rows with answers the CA signs, then
/// those with answers its delegate signs.
fn drivers_matrix() -> [Row; 12] {
    [
        Row {
            name: "valid-stapled",
            what: "a valid certificate with a stapled good response",
            server: |c| {
                c.server("server")
                    .staple("ocsp-good")
                    .responder(CA_RESPONDER)
            },
            expect: Expect::ACCEPT,
        },
        Row {
            name: "revoked-stapled",
            what: "a revoked certificate with a stapled revoked response",
            server: |c| {
                c.server("revoked")
                    .staple("ocsp-revoked")
                    .responder(CA_RESPONDER)
            },
            expect: Expect::reject(Reason::OcspRevoked),
        },
        Row {
            name: "valid-responder",
            what: "a valid certificate, no staple; the responder says good",
            server: |c| c.server("server").responder(CA_RESPONDER),
            expect: Expect::ACCEPT,
        },
        Row {
            name: "revoked-responder",
            what: "a revoked certificate, no staple; the responder says revoked",
            server: |c| c.server("revoked").responder(CA_RESPONDER),
            expect: Expect::reject(Reason::OcspRevoked),
        },
        Row {
            name: "soft-fail",
            what: "a valid certificate, no staple, and no responder at its OCSP URL (soft fail)",
            server: |c| c.server("soft-fail"),
            expect: Expect::ACCEPT,
        },
        Row {
            name: "malicious-must-staple-responder",
            what: "a revoked must-staple certificate that the server does not staple; the responder says revoked",
            server: |c| c.server("must-staple-revoked").responder(CA_RESPONDER),
            expect: Expect::reject(Reason::OcspMustStaple),
        },
        Row {
            name: "malicious-must-staple-no-responder",
            what: "a revoked must-staple certificate that the server does not staple, and no responder",
            server: |c| c.server("must-staple-revoked"),
            expect: Expect::reject(Reason::OcspMustStaple),
        },
        Row {
            name: "valid-delegate-stapled",
            what: "a valid certificate with a stapled good response signed by the CA's delegated responder",
            server: |c| {
                c.server("server-delegated")
                    .staple("ocsp-delegated-good")
                    .responder(DELEGATED_RESPONDER)
            },
            expect: Expect::ACCEPT,
        },
        Row {
            name: "revoked-delegate-stapled",
            what: "a revoked certificate with a stapled revoked response signed by the CA's delegated responder",
            server: |c| {
                c.server("revoked-delegated")
                    .staple("ocsp-delegated-revoked")
                    .responder(DELEGATED_RESPONDER)
            },
            expect: Expect::reject(Reason::OcspRevoked),
        },
        Row {
            name: "valid-delegate-responder",
            what: "a valid certificate, no staple; the CA's delegated responder says good",
            server: |c| c.server("server-delegated").responder(DELEGATED_RESPONDER),
            expect: Expect::ACCEPT,
        },
        Row {
            name: "revoked-delegate-responder",
            what: "a revoked certificate, no staple; the CA's delegated responder says revoked",
            server: |c| c.server("revoked-delegated").responder(DELEGATED_RESPONDER),
            expect: Expect::reject(Reason::OcspRevoked),
        },
        Row {
            name: "malicious-must-staple-delegate-responder",
            what: "a revoked must-staple certificate that the server does not staple; the CA's delegated responder says revoked",
            server: |c| {
                c.server("must-staple-revoked-delegated")
                    .responder(DELEGATED_RESPONDER)
            },
            expect: Expect::reject(Reason::OcspMustStaple),
        },
    ]
}

/// Stapled responses the drivers' matrix lacks: each way a response can be wrong, and the
/// ones PyMongo accepts anyway. No responder runs, so the staple alone decides.
fn beyond_the_matrix() -> [Row; 5] {
    [
        Row {
            name: "stale-staple",
            what: "a stapled good response whose nextUpdate has passed",
            server: |c| c.server("server").staple("ocsp-stale"),
            expect: Expect::reject(Reason::OcspInvalidResponse),
        },
        Row {
            name: "foreign-staple",
            what: "a stapled good response signed by another CA",
            server: |c| c.server("server").staple("ocsp-foreign"),
            expect: Expect::reject(Reason::OcspInvalidResponse),
        },
        Row {
            name: "delegated-staple",
            what: "a stapled good response signed by a responder the CA delegated (OCSPSigning EKU)",
            server: |c| c.server("server").staple("ocsp-delegated"),
            expect: Expect::ACCEPT,
        },
        Row {
            name: "delegated-no-eku-staple",
            what: "a stapled good response signed by a CA-issued certificate without the OCSPSigning EKU",
            server: |c| c.server("server").staple("ocsp-delegated-no-eku"),
            expect: Expect::reject(Reason::OcspInvalidResponse),
        },
        Row {
            name: "unknown-staple",
            what: "a stapled response saying unknown (PyMongo rejects only revoked)",
            server: |c| c.server("server").staple("ocsp-unknown"),
            expect: Expect::ACCEPT,
        },
    ]
}

/// tlsDisableOCSPEndpointCheck stops PyMongo asking the responder, but a staple is still
/// checked: one revoked row of each kind shows the difference.
fn endpoint_check_disabled(matrix: &[Row]) -> [CaseSpec; 2] {
    let row = |name| {
        matrix
            .iter()
            .find(|r| r.name == name)
            .expect("a row of the drivers' matrix")
    };
    [
        row("revoked-responder")
            .case(
                "-endpoint-check-disabled",
                "tlsDisableOCSPEndpointCheck=true: the responder is never asked",
            )
            .option("tlsDisableOCSPEndpointCheck", true)
            .expect(Expect::ACCEPT)
            .differs_for(
                Driver::Node,
                Expect::config_error(Reason::InvalidOptions),
                NODE_DOES_NOT_KNOW_DISABLE_OCSP,
            ),
        row("revoked-stapled")
            .case(
                "-endpoint-check-disabled",
                "tlsDisableOCSPEndpointCheck=true: a stapled response is still checked",
            )
            .option("tlsDisableOCSPEndpointCheck", true)
            .expect(Expect::reject(Reason::OcspRevoked))
            .differs_for(
                Driver::Node,
                Expect::config_error(Reason::InvalidOptions),
                NODE_DOES_NOT_KNOW_DISABLE_OCSP,
            ),
    ]
}
