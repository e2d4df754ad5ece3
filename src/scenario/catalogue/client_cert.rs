//! The guide's "present a client certificate": mutual TLS against a server that requires
//! one, with key and certificate in the one file `tlsCertificateKeyFile` takes.

use crate::fixtures::manifest::Expect;
use crate::policy::Reason;
use crate::scenario::{Case, Fixture, LeafSpec, Scenario, ServedCase};

pub(super) fn scenario() -> Scenario {
    Scenario::new(
        "client-cert",
        "Present a client certificate: tlsCertificateKeyFile with key and certificate in one file",
    )
    .fixture(Fixture::root("ca", "pkigen client-cert CA"))
    .fixture(Fixture::root("foreign-ca", "pkigen foreign CA"))
    .fixture(LeafSpec::server("server"))
    .fixture(Fixture::Client {
        name: "client",
        issuer: "ca",
    })
    .fixture(Fixture::Client {
        name: "foreign-client",
        issuer: "foreign-ca",
    })
    .fixture(Fixture::Mismatched {
        name: "client-mismatched",
        key_of: "foreign-client",
        cert_of: "client",
    })
    .case(
        mutual(
            "client-pem",
            "The combined client.pem (key, then certificate from the server's CA) is presented",
        )
        .key_file("client")
        .expect(Expect::ACCEPT),
    )
    .case(
        mutual(
            "no-client-certificate",
            "The server requires a client certificate and the client has none",
        )
        .expect(Expect::reject(Reason::ClientCertRequired)),
    )
    .case(
        mutual(
            "foreign-client-certificate",
            "The client presents a certificate from a CA the server does not trust",
        )
        .key_file("foreign-client")
        .expect(Expect::reject(Reason::ClientCertUntrusted)),
    )
    .case(
        mutual(
            "mismatched-key",
            "The key file holds a key that does not belong to its certificate: refused before connecting",
        )
        .key_file("client-mismatched")
        .expect(Expect::config_error(Reason::KeyMismatch)),
    )
}

/// A case whose server requires a client certificate from the scenario's CA, and whose
/// client trusts that CA; the client's key file options follow.
pub(super) fn mutual(name: impl Into<String>, description: impl Into<String>) -> ServedCase {
    Case::new(name, description)
        .server("server")
        .client_ca("ca")
        .trusting_ca()
}
