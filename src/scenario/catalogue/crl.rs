//! The guide's "certificate revocation list": tlsCRLFile, which PyMongo reads as PEM and
//! OpenSSL checks for the leaf only.

use crate::fixtures::manifest::Expect;
use crate::policy::{Driver, Reason};
use crate::scenario::{Case, CaseSpec, CrlSpec, Fixture, LeafSpec, Scenario};

pub(super) fn scenario() -> Scenario {
    Scenario::new(
        "crl",
        "Check revocation with a CRL: tlsCRLFile (PEM), leaf only, refusing stale and foreign CRLs",
    )
    .fixture(Fixture::root("ca", "pkigen crl CA"))
    .fixture(Fixture::root("foreign-ca", "pkigen foreign CA"))
    .fixture(LeafSpec::server("server"))
    .fixture(LeafSpec::server("revoked"))
    .fixture(CrlSpec::new("crl").revoking(&["revoked"]).number(2))
    .fixture(CrlSpec::new("crl-stale").stale())
    .fixture(CrlSpec::new("crl-foreign").issued_by("foreign-ca"))
    .case(
        Case::new(
            "revoked-pem-crl",
            "The server's certificate is listed in the CA's CRL, given as PEM",
        )
        .server("revoked")
        .trusting_ca()
        .crl_file("crl")
        .expect(Expect::reject(Reason::Revoked))
        .differs_for(Driver::C, Expect::ACCEPT, LIBMONGOC_HAS_NO_CRL_OPTION),
    )
    .case(
        Case::new(
            "revoked-der-crl",
            "The same CRL as DER: PyMongo hands tlsCRLFile to OpenSSL's load_verify_locations, which reads \
             PEM only, so MongoClient raises SSLError NO_CERTIFICATE_OR_CRL_FOUND (convert with \
             `openssl crl -inform DER -in crl.der -out crl.pem`)",
        )
        .server("revoked")
        .trusting_ca()
        .crl_file_der("crl")
        .expect(Expect::config_error(Reason::UnreadableFile))
        .differs_for(Driver::C, Expect::ACCEPT, LIBMONGOC_HAS_NO_CRL_OPTION),
    )
    .case(
        Case::new(
            "good-with-crl",
            "The server's certificate is not in the CA's current CRL",
        )
        .server("server")
        .trusting_ca()
        .crl_file("crl")
        .expect(Expect::ACCEPT),
    )
    .case(
        Case::new(
            "revoked-without-crl",
            "A revoked certificate and no tlsCRLFile: PyMongo checks no revocation by default",
        )
        .server("revoked")
        .trusting_ca()
        .expect(Expect::ACCEPT),
    )
    .case(
        Case::new(
            "good-with-stale-crl",
            "The CA's only CRL is past its nextUpdate: OpenSSL refuses to rely on it",
        )
        .server("server")
        .trusting_ca()
        .crl_file("crl-stale")
        .expect(Expect::reject(Reason::CrlExpired))
        .differs_for(Driver::C, Expect::ACCEPT, LIBMONGOC_HAS_NO_CRL_OPTION),
    )
    .case(
        Case::new(
            "good-with-foreign-crl",
            "The only CRL is signed by another CA, so nothing covers the server's issuer",
        )
        .server("server")
        .trusting_ca()
        .crl_file("crl-foreign")
        .expect(Expect::reject(Reason::CrlUntrusted))
        .differs_for(Driver::C, Expect::ACCEPT, LIBMONGOC_HAS_NO_CRL_OPTION),
    )
    .cases([
        crl_with("insecure", "tlsInsecure")
            .differs_for(Driver::Node, Expect::ACCEPT, NODE_HAS_NO_CRL_CONFLICT)
            .differs_for(Driver::C, Expect::ACCEPT, LIBMONGOC_HAS_NO_CRL_OPTION),
        crl_with("allow-invalid-certificates", "tlsAllowInvalidCertificates")
            .differs_for(Driver::Node, Expect::ACCEPT, NODE_HAS_NO_CRL_CONFLICT)
            .differs_for(Driver::C, Expect::ACCEPT, LIBMONGOC_HAS_NO_CRL_OPTION),
        // The Node.js driver refuses this one too, as an unknown option.
        crl_with("disable-ocsp-endpoint-check", "tlsDisableOCSPEndpointCheck").differs_for(
            Driver::C,
            Expect::ACCEPT,
            LIBMONGOC_HAS_NO_CRL_OPTION,
        ),
    ])
}

/// Why the Node.js driver accepts tlsCRLFile beside an option that turns certificate checks
/// off.
const NODE_HAS_NO_CRL_CONFLICT: &str = "The Node.js driver has no rule against tlsCRLFile beside \
     tlsInsecure or tlsAllowInvalidCertificates: it loads the CRL, and rejectUnauthorized=false \
     forgives every verify error";

/// Why libmongoc accepts every case of this scenario: the URI cannot name a CRL file.
const LIBMONGOC_HAS_NO_CRL_OPTION: &str = "libmongoc 1.23 has no tlsCRLFile URI option: it logs \
     'Unsupported URI option \"tlscrlfile\"', loads no CRL and has no rule against one beside \
     other options, so the valid chain alone decides (only the C API's mongoc_ssl_opt_t.crl_file \
     checks a CRL)";

/// tlsCRLFile beside an option that turns certificate checks off: PyMongo refuses the pair
/// before connecting, whatever the server sends.
fn crl_with(suffix: &str, option: &'static str) -> CaseSpec {
    Case::new(
        format!("crl-with-{suffix}"),
        format!(
            "tlsCRLFile together with {option}=true: PyMongo refuses to check revocation while not checking certificates"
        ),
    )
    .server("server")
    .trusting_ca()
    .crl_file("crl")
    .option(option, true)
    .expect(Expect::config_error(Reason::InvalidOptions))
}
