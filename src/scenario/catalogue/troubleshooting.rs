//! The guide's "troubleshooting": each error message it lists, reproduced by the server
//! side that causes it.

use crate::fixtures::manifest::Expect;
use crate::policy::{Driver, Reason};
use crate::scenario::{Case, Fixture, LeafSpec, OcspSpec, Scenario};

pub(super) fn scenario() -> Scenario {
    Scenario::new(
        "troubleshooting",
        "Troubleshooting: CERTIFICATE_VERIFY_FAILED, TLSV1_ALERT_PROTOCOL_VERSION, invalid status response, SSLV3_ALERT_HANDSHAKE_FAILURE",
    )
    .fixture(Fixture::root("ca", "pkigen troubleshooting CA"))
    .fixture(Fixture::root("unknown-ca", "pkigen unknown CA"))
    .fixture(LeafSpec::server("server"))
    .fixture(LeafSpec::server("untrusted").issued_by("unknown-ca"))
    .fixture(LeafSpec::server("revoked"))
    .fixture(OcspSpec::revoked("ocsp-revoked", "revoked"))
    .case(
        Case::new(
            "certificate-verify-failed",
            "CERTIFICATE_VERIFY_FAILED: the server's certificate comes from a CA the client's tlsCAFile does not hold",
        )
        .server("untrusted")
        .trusting_ca()
        .expect(Expect::reject(Reason::UnknownIssuer)),
    )
    .case(
        Case::new(
            "tlsv1-alert-protocol-version",
            "TLSV1_ALERT_PROTOCOL_VERSION: the server speaks only TLS 1.3 and the client is pinned to TLS 1.2 \
             (a pin PyMongo's options cannot express; an ssl.SSLContext with maximum_version TLSv1_2 can)",
        )
        .server("server")
        .server_tls_versions(&["1.3"])
        .client_tls_versions(&["1.2"])
        .trusting_ca()
        .expect(Expect::reject(Reason::ProtocolVersion))
        .differs_for(
            Driver::Node,
            Expect::ACCEPT,
            "The pin is no option of the case's URI, and none of the Node.js driver's TLS options \
             expresses it (minVersion and maxVersion are unknown options): Node offers TLS 1.2 \
             and 1.3 and connects with 1.3 (its own tls.connect option \
             secureProtocol=TLSv1_2_method would pin it)",
        )
        .differs_for(
            Driver::Rust,
            Expect::ACCEPT,
            "The pin is no option of the case's URI, and the Rust driver has no TLS version \
             setting at all: rustls offers TLS 1.2 and 1.3 and connects with 1.3",
        )
        .differs_for(
            Driver::C,
            Expect::ACCEPT,
            "The pin is no option of the case's URI, and libmongoc 1.23 has no TLS version \
             setting, in the URI or in mongoc_ssl_opt_t: OpenSSL's default range is offered and \
             TLS 1.3 negotiated (only a process-wide OPENSSL_CONF with MaxProtocol = TLSv1.2 \
             pins it)",
        ),
    )
    .case(
        Case::new(
            "invalid-status-response",
            "invalid status response: the server staples an OCSP response saying its certificate is revoked \
             (PyMongo with pymongo[ocsp])",
        )
        .server("revoked")
        .staple("ocsp-revoked")
        .trusting_ca()
        .expect(Expect::reject(Reason::OcspRevoked))
        .differs_for(Driver::Node, Expect::ACCEPT, super::ocsp::NODE_HAS_NO_OCSP),
    )
    .case(
        Case::new(
            "sslv3-alert-handshake-failure",
            "SSLV3_ALERT_HANDSHAKE_FAILURE: the server offers only TLS 1.2 cipher suites its own key cannot \
             sign for, so no suite is shared",
        )
        .server("server")
        .server_tls_versions(&["1.2"])
        .unusable_cipher_suites()
        .trusting_ca()
        .expect(Expect::reject(Reason::NoSharedCipher)),
    )
}
