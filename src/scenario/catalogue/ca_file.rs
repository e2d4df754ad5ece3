//! The guide's "specify a CA file": root → intermediate → server, and which side of the
//! connection must supply the intermediate.

use crate::fixtures::manifest::Expect;
use crate::policy::{Driver, Reason};
use crate::scenario::{Case, Fixture, LeafSpec, Scenario};

pub(super) fn scenario() -> Scenario {
    Scenario::new(
        "ca-file",
        "Specify a CA file: root, intermediate and server, and which side must supply the intermediate",
    )
    .fixture(Fixture::root("ca", "pkigen ca-file root CA"))
    .fixture(Fixture::Intermediate {
        name: "intermediate",
        common_name: "pkigen ca-file intermediate CA",
        issuer: "ca",
    })
    .fixture(LeafSpec::server("server").issued_by("intermediate"))
    .fixture(Fixture::root("other-ca", "pkigen unrelated CA"))
    .fixture(Fixture::Bundle {
        name: "ca-bundle",
        parts: &["ca", "intermediate"],
    })
    .case(
        Case::new(
            "chain-from-server",
            "The server sends its certificate and the intermediate; the client trusts the root",
        )
        .server_with_chain("server")
        .trusting_ca()
        .expect(Expect::ACCEPT),
    )
    .case(
        Case::new(
            "leaf-only-from-server",
            "The server sends its certificate alone; the client trusts only the root and cannot build the chain",
        )
        .server("server")
        .trusting_ca()
        .expect(Expect::reject(Reason::UnknownIssuer)),
    )
    .case(
        Case::new(
            "bundle-with-intermediate",
            "The server sends its certificate alone; the client's CA file holds root and intermediate",
        )
        .server("server")
        .trusting("ca-bundle")
        .expect(Expect::ACCEPT),
    )
    .case(
        Case::new(
            "intermediate-only-ca-file",
            "The client's CA file holds the intermediate but not the root: OpenSSL (and so PyMongo) \
             trusts only self-signed roots, so the chain does not end in a trust anchor",
        )
        .server_with_chain("server")
        .trusting("intermediate")
        .expect(Expect::reject(Reason::UnknownIssuer))
        .differs_for(
            Driver::Rust,
            Expect::ACCEPT,
            "rustls makes every certificate of the Rust driver's tlsCAFile a trust anchor, \
             intermediates included, so the chain ends at the intermediate",
        ),
    )
    .case(
        Case::new("other-ca", "The client trusts an unrelated CA")
            .server_with_chain("server")
            .trusting("other-ca")
            .expect(Expect::reject(Reason::UnknownIssuer)),
    )
}
