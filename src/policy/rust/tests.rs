//! The Rust profile on chosen URIs; `tests/it/rust_corpus.rs` checks it against the driver.

use super::resolve;
use crate::policy::{DriverException, TlsPolicy};
use serde_json::Map;

fn policy(uri: &str) -> TlsPolicy {
    resolve(Some(uri), &Map::new()).expect(uri).policy
}

fn error(uri: &str) -> String {
    let e = resolve(Some(uri), &Map::new()).expect_err(uri);
    assert_eq!(e.exception.class_name(), "InvalidArgument", "{uri}");
    e.message
}

#[test]
fn every_tls_option_turns_tls_on() {
    assert!(policy("mongodb://h/?tlsCAFile=ca.pem").tls);
    assert!(policy("mongodb://h/?tlsInsecure=false").tls);
    assert!(policy("mongodb://h/?tlsAllowInvalidCertificates=true").tls);
    assert!(!policy("mongodb://h/?tls=false").tls);
    assert!(!policy("mongodb://h/").tls);
    let insecure = policy("mongodb://h/?tlsInsecure=true");
    assert!(!insecure.verify_certificates() && !insecure.verify_hostname());
    assert_eq!(
        policy("mongodb://h/?tlsCAFile=a+b%20c.pem")
            .ca_file
            .as_deref(),
        Some("a+b c.pem")
    );
}

#[test]
fn tls_false_with_a_tls_option_is_refused_in_words_that_depend_on_the_order() {
    assert_eq!(
        error("mongodb://h/?tls=false&tlsCAFile=ca.pem"),
        "'tlsCAFile' can't be set if tls=false"
    );
    assert_eq!(
        error("mongodb://h/?tlsCAFile=ca.pem&tls=false"),
        "cannot set {key}={tls} if other TLS options are set"
    );
    assert_eq!(
        error("mongodb://h/?ssl=false&tlsInsecure=false"),
        "cannot set tlsinsecure when TLS is disabled"
    );
    assert_eq!(
        error("mongodb://h/?tls=false&ssl=true"),
        "cannot set {key}={tls} if TLS is disabled"
    );
}

#[test]
fn unknown_names_duplicates_booleans_and_empty_pairs() {
    assert_eq!(
        error("mongodb://h/?tls=true&tlsCRLFile=crl.pem"),
        "tlscrlfile is an invalid option. An option with a similar name exists: tlscafile"
    );
    assert_eq!(
        error("mongodb://h/?tls=true&TLS=true"),
        "repeated options are not allowed in the connection string"
    );
    assert_eq!(
        error("mongodb://h/?Tls=True"),
        "connection string `tls` option must be a boolean"
    );
    assert_eq!(
        error("mongodb://h/?tls=true&"),
        "connection string option is not a 'key=value' pair: "
    );
    assert_eq!(
        error("mongodb://h/?tlsInsecure=false&tlsAllowInvalidCertificates=false"),
        "cannot set both tlsinsecure and tlsallowinvalidcertificates in the connection string"
    );
    assert_eq!(
        error("mongodb://h/?tls=true&tlsCertificateKeyFilePassword=pw"),
        "the cert-key-password feature must be enabled to specify tlsCertificateKeyFilePassword \
         in the URI"
    );
}

#[test]
fn what_is_not_modelled_says_so() {
    for uri in [
        "mongodb://u:p@h/?tls=true",
        "mongodb://h/?appName=x",
        "mongodb+srv://h/?tls=true",
    ] {
        let e = resolve(Some(uri), &Map::new()).expect_err(uri);
        assert!(
            matches!(e.exception, DriverException::NotModelled(_)),
            "{uri}"
        );
    }
    // An error the driver returns before the lookup is still the driver's.
    assert_eq!(
        error("mongodb+srv://h:27017/"),
        "a port cannot be specified with 'mongodb+srv'"
    );
}

#[test]
fn keyword_options_alone_are_the_uri_they_name() {
    let mut options = Map::new();
    options.insert("tls".into(), true.into());
    options.insert("tlsCAFile".into(), "ca.pem".into());
    let from_options = resolve(None, &options).unwrap().policy;
    assert_eq!(
        from_options,
        policy("mongodb://h/?tls=true&tlsCAFile=ca.pem")
    );
    let e = resolve(Some("mongodb://h/"), &options).unwrap_err();
    assert!(!e.exception.is_driver_error());
}
