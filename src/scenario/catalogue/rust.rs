//! Where the Rust driver (crate `mongodb` 3.9.1, default features, rustls) ends a case
//! otherwise than PyMongo, as measured against the real driver: the options it does not know
//! (refused by `ClientOptions::parse` before anything is read) and the OCSP it does not check
//! are declared here for every scenario at once ([`judged`]); the cases its TLS stack alone
//! decides otherwise are declared in their scenario's file.

use crate::fixtures::manifest::Expect;
use crate::policy::{Driver, Reason};
use crate::scenario::{CaseSpec, Scenario};

/// Why the Rust driver accepts what PyMongo refuses for an OCSP response or its absence.
pub(super) const RUST_HAS_NO_OCSP: &str = "The Rust driver has no OCSP: rustls asks for a \
     staple but never checks it, must-staple is not enforced and no responder is asked, so the \
     valid chain alone decides";

/// Why the Rust driver refuses `tlsCRLFile`.
const RUST_DOES_NOT_KNOW_CRL_FILE: &str = "The Rust driver does not know tlsCRLFile: \
     ClientOptions::parse returns InvalidArgument 'tlscrlfile is an invalid option. An option \
     with a similar name exists: tlscafile'";

/// Why the Rust driver refuses `tlsAllowInvalidHostnames`.
const RUST_DOES_NOT_KNOW_ALLOW_INVALID_HOSTNAMES: &str = "The Rust driver does not know \
     tlsAllowInvalidHostnames: ClientOptions::parse returns InvalidArgument \
     'tlsallowinvalidhostnames is an invalid option. An option with a similar name exists: \
     tlsallowinvalidcertificates'";

/// Why the Rust driver refuses `tlsDisableOCSPEndpointCheck`.
const RUST_DOES_NOT_KNOW_DISABLE_OCSP: &str = "The Rust driver does not know \
     tlsDisableOCSPEndpointCheck: ClientOptions::parse returns InvalidArgument \
     'tlsdisableocspendpointcheck is an invalid option'";

/// Why the Rust driver refuses `tlsCertificateKeyFilePassword`.
const RUST_HAS_NO_KEY_PASSWORD: &str = "The Rust driver's default build has no \
     tlsCertificateKeyFilePassword: ClientOptions::parse returns InvalidArgument 'the \
     cert-key-password feature must be enabled to specify tlsCertificateKeyFilePassword in the \
     URI'";

/// Why the Rust driver cannot read a PKCS#8-encrypted key file without a password.
pub(super) const RUST_FINDS_NO_ENCRYPTED_PKCS8_KEY: &str = "The Rust driver reads no encrypted \
     key: rustls finds no private key in an ENCRYPTED PRIVATE KEY block, and \
     Client::with_options fails with 'Unable to parse PEM-encoded item from …: no items found'";

/// Why the Rust driver cannot read a legacy-encrypted key file without a password.
pub(super) const RUST_CANNOT_READ_LEGACY_ENCRYPTED_KEY: &str = "The Rust driver reads no \
     encrypted key, and the Proc-Type and DEK-Info headers of a legacy encrypted key break \
     the file's PEM: Client::with_options fails with 'Unable to parse PEM-encoded client \
     certificate from …: base64 decode error'";

/// Each option the Rust driver refuses in every case that names it, with why.
const REFUSED_OPTIONS: [(&str, &str); 4] = [
    ("tlsCRLFile", RUST_DOES_NOT_KNOW_CRL_FILE),
    (
        "tlsAllowInvalidHostnames",
        RUST_DOES_NOT_KNOW_ALLOW_INVALID_HOSTNAMES,
    ),
    (
        "tlsDisableOCSPEndpointCheck",
        RUST_DOES_NOT_KNOW_DISABLE_OCSP,
    ),
    ("tlsCertificateKeyFilePassword", RUST_HAS_NO_KEY_PASSWORD),
];

/// `scenario` with the Rust driver's expectation declared on each case where an option it
/// refuses, or the OCSP it lacks, ends the case otherwise than PyMongo's.
pub(super) fn judged(mut scenario: Scenario) -> Scenario {
    scenario.cases = std::mem::take(&mut scenario.cases).map(judged_case);
    scenario
}

fn judged_case(case: CaseSpec) -> CaseSpec {
    // The first refused option in URI order is the one the parser reports.
    let refused = case.options.iter().find_map(|(name, _)| {
        REFUSED_OPTIONS
            .iter()
            .find(|(option, _)| option == name)
            .map(|(_, why)| *why)
    });
    let (expect, why) = match (refused, case.expect.reason) {
        (Some(why), _) => (Expect::config_error(Reason::InvalidOptions), why),
        (
            None,
            Some(Reason::OcspRevoked | Reason::OcspInvalidResponse | Reason::OcspMustStaple),
        ) => (Expect::ACCEPT, RUST_HAS_NO_OCSP),
        _ => return case,
    };
    if expect == case.expect {
        return case;
    }
    case.differs_for(Driver::Rust, expect, why)
}
