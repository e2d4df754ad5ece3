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

#[test]
fn socket_options_are_not_modelled_but_the_driver_errors_come_first() {
    let e = resolve(
        Some("mongodb://h/?tls=true&secureProtocol=TLSv1_2_method"),
        &Map::new(),
    )
    .expect_err("not modelled");
    assert_eq!(
        e.exception,
        crate::policy::DriverException::NotModelled(crate::policy::Driver::Node)
    );
    assert!(e.message.contains("secureProtocol"), "{}", e.message);
    assert!(!e.exception.is_driver_error());
    assert_eq!(
        error("mongodb://h/?tls=maybe&secureProtocol=TLSv1_2_method").1,
        "tls/ssl must be either \"true\" or \"false\""
    );
}

#[test]
fn options_object_values_come_before_the_uri_values() {
    let options = |json: serde_json::Value| json.as_object().cloned().unwrap();
    let e = resolve(
        Some("mongodb://h/?tls=true"),
        &options(serde_json::json!({"tls": false})),
    )
    .expect_err("values differ");
    assert_eq!(e.message, "All values of tls/ssl must be the same.");
    let r = resolve(
        Some("mongodb://h/?tlsCAFile=a.pem"),
        &options(serde_json::json!({"TLSCAFILE": "b.pem", "tls": true})),
    )
    .unwrap();
    assert_eq!(r.policy.ca_file.as_deref(), Some("b.pem"));
    // Without a URI, the driver's own default.
    let r = resolve(None, &options(serde_json::json!({"tls": true}))).unwrap();
    assert!(r.policy.verify_hostname());
}

#[test]
fn deprecated_options_warn_in_table_order() {
    let r = resolve(Some("mongodb://h/?wtimeout=5&j=true"), &Map::new()).unwrap();
    let shown: Vec<String> = r.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            "Warning: j is a deprecated option: Please use journal instead",
            "Warning: wtimeout is a deprecated option: Please use wtimeoutMS instead",
        ]
    );
    // A warning emitted before the error stays with it.
    let e = resolve(Some("mongodb://h/?fsync=true&tlsInsecure=x"), &Map::new()).unwrap_err();
    assert_eq!(e.warnings.len(), 1);
    assert_eq!(
        e.message,
        "tlsInsecure must be either \"true\" or \"false\""
    );
}
