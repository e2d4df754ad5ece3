//! The Node profile on chosen URIs; `tests/it/policy_node.rs` checks it against the driver.

use super::resolve;
use serde_json::Map;

fn error(uri: &str) -> (String, String) {
    let e = resolve(Some(uri), &Map::new()).expect_err(uri);
    (e.exception.class_name().to_string(), e.message)
}

#[test]
fn only_tls_or_ssl_turns_tls_on() {
    let policy = |uri: &str| resolve(Some(uri), &Map::new()).expect(uri).policy;
    assert!(!policy("mongodb://h/?tlsCAFile=ca.pem").tls);
    assert!(policy("mongodb://h/?ssl=true&tlsCAFile=ca.pem").tls);
    assert!(policy("mongodb+srv://h/").tls);
    assert!(!policy("mongodb+srv://h/?tls=false").tls);
    assert!(!policy("mongodb://h/?tls=false&tlsCertificateKeyFile=c.pem").tls);
}

#[test]
fn booleans_are_exact_and_named_by_their_target() {
    assert_eq!(
        error("mongodb://h/?tls=TRUE"),
        (
            "MongoParseError".into(),
            "tls/ssl must be either \"true\" or \"false\"".into()
        )
    );
    assert_eq!(
        error("mongodb://h/?tlsAllowInvalidCertificates=1").1,
        "rejectUnauthorized must be either \"true\" or \"false\""
    );
}

#[test]
fn first_spelling_wins_and_same_spelling_twice_is_refused() {
    let policy = resolve(Some("mongodb://h/?tls=true&TLS=maybe"), &Map::new())
        .unwrap()
        .policy;
    assert!(policy.tls);
    assert_eq!(
        error("mongodb://h/?tls=true&tls=true").0,
        "MongoInvalidArgumentError"
    );
}

#[test]
fn unknown_options_are_fatal_and_lower_cased() {
    assert_eq!(
        error("mongodb://h/?tls=true&tlsDisableOCSPEndpointCheck=true").1,
        "option tlsdisableocspendpointcheck is not supported"
    );
}

#[test]
fn insecure_conflicts_are_about_presence() {
    assert_eq!(
        error("mongodb://h/?tlsInsecure=maybe&tlsAllowInvalidCertificates=maybe"),
        (
            "MongoAPIError".into(),
            "The 'tlsInsecure' option cannot be used with the 'tlsAllowInvalidCertificates' option"
                .into()
        )
    );
}
