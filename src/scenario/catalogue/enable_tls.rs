//! The guide's "enable TLS": a private CA, and a client that must be told to trust it.

use crate::fixtures::manifest::Expect;
use crate::policy::Reason;
use crate::scenario::{Case, Fixture, LeafSpec, Scenario};

pub(super) fn scenario() -> Scenario {
    Scenario::new(
        "enable-tls",
        "Enable TLS: a server certificate from a private CA, trusted only through tlsCAFile",
    )
    .fixture(Fixture::root("ca", "pkigen enable-tls CA"))
    .fixture(LeafSpec::server("server"))
    .case(
        Case::new(
            "ca-file",
            "tls=true with tlsCAFile naming the private CA: the server is trusted",
        )
        .server("server")
        .trusting_ca()
        .expect(Expect::ACCEPT),
    )
    .case(
        Case::new(
            "ca-file-ip-address",
            "Connecting by IP address: the certificate's IP SAN 127.0.0.1 matches",
        )
        .server("server")
        .host("127.0.0.1")
        .trusting_ca()
        .expect(Expect::ACCEPT),
    )
    .case(
        Case::new(
            "system-roots",
            "tls=true alone: only the system's roots are trusted, and none of them issued this server's certificate",
        )
        .server("server")
        .option("tls", true)
        .expect(Expect::reject(Reason::UnknownIssuer)),
    )
}
