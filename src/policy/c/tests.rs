//! The rules of the module's documentation, one by one; `tests/it/c_corpus.rs` holds the
//! whole model to the real library.

use super::*;
use crate::policy::{ClientOptions, Driver, TlsPolicy, resolve};

fn parse(query: &str) -> Result<Resolution, PolicyError> {
    resolve(
        Driver::C,
        Some(&format!("mongodb://localhost/?{query}")),
        &ClientOptions::new(),
    )
}

fn policy(query: &str) -> TlsPolicy {
    parse(query).unwrap().policy
}

fn warnings(query: &str) -> Vec<String> {
    match parse(query) {
        Ok(r) => r.warnings,
        Err(e) => e.warnings,
    }
    .into_iter()
    .map(|w| w.message)
    .collect()
}

fn error(query: &str) -> String {
    let e = parse(query).unwrap_err();
    assert_eq!(e.exception, DriverException::C(CException::InvalidArg));
    e.message
}

#[test]
fn any_tls_option_turns_tls_on_whatever_its_value() {
    assert!(policy("tlsAllowInvalidCertificates=false").tls);
    assert!(policy("tlsInsecure=true").tls);
    assert!(policy("tlsCAFile=").tls);
    assert!(!policy("tls=false&tlsCAFile=ca.pem").tls);
    assert!(!policy("tlsCRLFile=crl.pem").tls);
    assert!(!policy("tlsInsecure=").tls);
    let insecure = policy("tlsInsecure=true");
    assert!(!insecure.verify_certificates() && !insecure.ocsp_checked());
}

#[test]
fn booleans_and_their_warnings() {
    assert!(policy("tls=TRUE").tls);
    assert!(policy("tls=Y").tls);
    assert!(!policy("tls=-1").tls);
    assert_eq!(
        warnings("tls=yes"),
        ["Deprecated boolean value for \"tls\": \"yes\", please update to \"tls=true\""]
    );
    assert_eq!(error("tls=NO"), "Unsupported value for \"tls\": \"NO\"");
    assert_eq!(
        warnings("tlsInsecure="),
        ["Empty value provided for \"tlsinsecure\""]
    );
}

#[test]
fn duplicates_last_wins_with_a_warning() {
    assert!(!policy("tls=true&TLS=false").tls);
    assert_eq!(
        warnings("tls=true&TLS=false"),
        ["Overwriting previously provided value for 'TLS'"]
    );
    assert!(policy("tls=maybe&tls=true").tls);
    assert_eq!(
        error("tls=true&ssl=TRUE"),
        "Deprecated option 'ssl=TRUE' conflicts with canonical name 'tls=true'"
    );
}

#[test]
fn crl_file_is_an_unknown_option() {
    let r = parse("tls=true&tlsCRLFile=crl.pem&tlsInsecure=true").unwrap();
    assert_eq!(r.policy.crl_file, None);
    assert_eq!(
        r.warnings[0].message,
        "Unsupported URI option \"tlscrlfile\""
    );
}

#[test]
fn conflicts_by_presence() {
    assert!(
        error("tlsInsecure=false&tlsAllowInvalidHostnames=false").starts_with("tlsinsecure may")
    );
    assert!(
        error("tlsAllowInvalidCertificates=true&tlsDisableOCSPEndpointCheck=true")
            .starts_with("tlsallowinvalidcertificates may")
    );
    assert!(
        error("tlsDisableCertificateRevocationCheck=true&tlsDisableOCSPEndpointCheck=true")
            .starts_with("tlsdisablecertificaterevocationcheck may")
    );
    let p = policy("tls=true&tlsDisableCertificateRevocationCheck=true");
    assert!(p.verify_certificates() && !p.ocsp_checked() && !p.ocsp_endpoint_check());
}

#[test]
fn query_syntax() {
    assert_eq!(
        error("tls=true;tlsCAFile=ca.pem"),
        "Unsupported value for \"tls\": \"true;tlsCAFile=ca.pem\""
    );
    assert_eq!(error("&tls=true"), "URI option \"\" contains no \"=\" sign");
    assert!(policy("tls=true&").tls);
    assert_eq!(
        policy("tlsCertificateKeyFilePassword=a+b")
            .certificate_key_file_password
            .as_deref(),
        Some("a+b")
    );
    assert_eq!(
        error("tlsCAFile=%ff"),
        "Value for URI option \"tlsCAFile\" contains invalid UTF-8"
    );
    let e = resolve(
        Driver::C,
        Some("mongodb://localhost?tls=true"),
        &ClientOptions::new(),
    )
    .unwrap_err();
    assert_eq!(e.message, "Invalid host string in URI");
    assert_eq!(e.warnings.len(), 1);
}

/// A message quoting a value (which may be a password) has a redacted form without it.
#[test]
fn quoted_values_are_redacted() {
    let e = parse("tlsCertificateKeyFilePassword=secret&sslClientCertificateKeyPassword=other")
        .unwrap_err();
    assert!(e.message.contains("secret"));
    assert!(!e.redacted().contains("secret") && !e.redacted().contains("other"));
}

#[test]
fn options_alone_are_written_into_a_connection_string() {
    let options = ClientOptions::from_json(
        serde_json::json!({"tls": true, "tlsCAFile": "ca.pem"})
            .as_object()
            .unwrap()
            .clone(),
    );
    let p = TlsPolicy::from_options(Driver::C, &options).unwrap();
    assert!(p.tls && p.ca_file.as_deref() == Some("ca.pem"));
    let e = resolve(Driver::C, Some("mongodb://h/"), &options).unwrap_err();
    assert!(!e.exception.is_driver_error());
}
