//! Table-driven checks of every rule; expected texts are what PyMongo 4.20.1 printed for the
//! same input (`tests/it/policy_pymongo.rs` re-checks a similar table against PyMongo itself).

use super::*;
use crate::policy::{ClientOptions, Driver, DriverException, TlsPolicy, uri_for};
use serde_json::json;

/// (tls, verify_certificates, verify_hostname, ocsp_endpoint_check)
type Flags = (bool, bool, bool, bool);
/// Flags, or the exception class and message PyMongo raises.
type Want<'a> = Result<Flags, (PyMongoException, &'a str)>;
const OFF: Flags = (false, false, false, false);
const FULL: Flags = (true, true, true, true);

fn flags(p: &TlsPolicy) -> Flags {
    (
        p.tls,
        p.verify_certificates(),
        p.verify_hostname(),
        p.ocsp_endpoint_check(),
    )
}

fn check(label: &str, got: Result<TlsPolicy, PolicyError>, want: Want<'_>) {
    match (got, want) {
        (Ok(p), Ok(w)) => assert_eq!(flags(&p), w, "{label}: {p:?}"),
        (Err(e), Err((exc, msg))) => {
            assert_eq!(
                (e.exception, e.message.as_str()),
                (DriverException::PyMongo(exc), msg),
                "{label}"
            )
        }
        (got, want) => panic!("{label}: got {got:?}, want {want:?}"),
    }
}

use PyMongoException::Value as ValueError;
use PyMongoException::{Configuration, FileNotFound, InvalidUri, Type};

const CONFLICT_SSL_TLS: &str = "Can not specify conflicting values for URI options ssl and tls.";

#[test]
fn uri_rules() {
    let ok = Ok::<Flags, (PyMongoException, &str)>;
    let cases: &[(&str, Want<'_>)] = &[
        // tls / ssl and their values
        ("mongodb://h/", ok(OFF)),
        ("mongodb://h", ok(OFF)),
        ("mongodb://h/?", ok(OFF)),
        ("mongodb://h/?tls=true", ok(FULL)),
        ("mongodb://h?tls=true", ok(FULL)),
        ("mongodb://h/?TLS=true", ok(FULL)),
        ("mongodb://h/?ssl=true", ok(FULL)),
        ("mongodb://h/?ssl=true&tls=true", ok(FULL)),
        ("mongodb://h/?tls=true&TLS=false", ok(OFF)), // duplicate: last wins
        // Invalid booleans in a URI are dropped with a warning, not rejected.
        ("mongodb://h/?tls=yes", ok(OFF)),
        ("mongodb://h/?tls=TRUE", ok(OFF)),
        ("mongodb://h/?ssl=yes&tls=yes", ok(OFF)),
        (
            "mongodb://h/?tls=true&tlsAllowInvalidCertificates=maybe",
            ok(FULL),
        ),
        // ssl/tls mismatch, compared before validation
        (
            "mongodb://h/?ssl=true&tls=false",
            Err((InvalidUri, CONFLICT_SSL_TLS)),
        ),
        (
            "mongodb://h/?ssl=TRUE&tls=true",
            Err((InvalidUri, CONFLICT_SSL_TLS)),
        ),
        (
            "mongodb://h/?SSL=true&Tls=false",
            Err((
                InvalidUri,
                "Can not specify conflicting values for URI options SSL and Tls.",
            )),
        ),
        // tlsInsecure
        (
            "mongodb://h/?tls=true&tlsInsecure=true",
            ok((true, false, false, false)),
        ),
        ("mongodb://h/?tlsInsecure=true", ok(OFF)), // true values do not imply tls
        ("mongodb://h/?tlsInsecure=false", ok(FULL)), // expanded to three falses: implies tls
        ("mongodb://h/?tls=false&tlsInsecure=true", ok(OFF)),
        (
            "mongodb://h/?tls=true;tlsInsecure=true",
            ok((true, false, false, false)),
        ),
        (
            "mongodb://h/?tlsInsecure=true&tlsAllowInvalidHostnames=true",
            Err((
                InvalidUri,
                "URI options tlsInsecure and tlsAllowInvalidHostnames cannot be specified simultaneously.",
            )),
        ),
        (
            "mongodb://h/?TLSINSECURE=true&tlsallowinvalidhostnames=false",
            Err((
                InvalidUri,
                "URI options TLSINSECURE and tlsallowinvalidhostnames cannot be specified simultaneously.",
            )),
        ),
        (
            "mongodb://h/?tlsInsecure=false&tlsAllowInvalidCertificates=false",
            Err((
                InvalidUri,
                "URI options tlsInsecure and tlsAllowInvalidCertificates cannot be specified simultaneously.",
            )),
        ),
        (
            "mongodb://h/?tlsInsecure=true&tlsDisableOCSPEndpointCheck=true",
            Err((
                InvalidUri,
                "URI options tlsInsecure and tlsDisableOCSPEndpointCheck cannot be specified simultaneously.",
            )),
        ),
        (
            "mongodb://h/?tlsInsecure=false&tls=false",
            Err((
                Configuration,
                "TLS has not been enabled but the following tls parameters have been set: tlsallowinvalidcertificates, tlsallowinvalidhostnames, tlsdisableocspendpointcheck. Please set `tls=True` or remove.",
            )),
        ),
        // tlsAllowInvalidCertificates
        ("mongodb://h/?tlsAllowInvalidCertificates=true", ok(OFF)),
        (
            "mongodb://h/?tlsAllowInvalidCertificates=true&tls=true",
            ok((true, false, false, false)),
        ),
        ("mongodb://h/?tlsAllowInvalidCertificates=false", ok(FULL)),
        (
            "mongodb://h/?tls=false&tlsAllowInvalidCertificates=true",
            ok(OFF),
        ),
        (
            "mongodb://h/?tlsAllowInvalidCertificates=false&tlsDisableOCSPEndpointCheck=false",
            Err((
                InvalidUri,
                "URI options tlsallowinvalidcertificates and tlsDisableOCSPEndpointCheck cannot be specified simultaneously.",
            )),
        ),
        (
            "mongodb://h/?tlsAllowInvalidCertificates=maybe&tlsDisableOCSPEndpointCheck=true",
            Err((
                InvalidUri,
                "URI options tlsallowinvalidcertificates and tlsDisableOCSPEndpointCheck cannot be specified simultaneously.",
            )),
        ),
        // hostnames and OCSP
        (
            "mongodb://h/?tlsAllowInvalidHostnames=true&tls=true",
            ok((true, true, false, true)),
        ),
        (
            "mongodb://h/?tlsAllowInvalidHostnames=true&tlsAllowInvalidCertificates=false",
            ok((true, true, false, true)),
        ),
        (
            "mongodb://h/?tlsDisableOCSPEndpointCheck=true&tls=true",
            ok((true, true, true, false)),
        ),
        ("mongodb://h/?tlsDisableOCSPEndpointCheck=false", ok(FULL)),
        (
            "mongodb://h/?tlsAllowInvalidHostnames=false&tls=false",
            Err((
                Configuration,
                "TLS has not been enabled but the following tls parameters have been set: tlsallowinvalidhostnames. Please set `tls=True` or remove.",
            )),
        ),
        // files imply tls; tls=false beside them is listed in PyMongo's fixed order
        ("mongodb://h/?tlsCAFile=/ca.pem", ok(FULL)),
        ("mongodb://h/?tlsCertificateKeyFilePassword=x", ok(FULL)),
        ("mongodb://h/?tlsCertificateKeyFilePassword=", ok(OFF)),
        ("mongodb://h/?tlsCAFile=%2Fca.pem", ok(FULL)),
        (
            "mongodb://h/?tlsCAFile=/ca.pem&tls=false",
            Err((
                Configuration,
                "TLS has not been enabled but the following tls parameters have been set: tlscafile. Please set `tls=True` or remove.",
            )),
        ),
        (
            "mongodb://h/?ssl=false&tlsCAFile=/ca.pem",
            Err((
                Configuration,
                "TLS has not been enabled but the following tls parameters have been set: tlscafile. Please set `tls=True` or remove.",
            )),
        ),
        (
            "mongodb://h/?tlsCAFile=/ca.pem&tls=false&tlsAllowInvalidHostnames=false&tlsCertificateKeyFilePassword=x",
            Err((
                Configuration,
                "TLS has not been enabled but the following tls parameters have been set: tlscertificatekeyfilepassword, tlscafile, tlsallowinvalidhostnames. Please set `tls=True` or remove.",
            )),
        ),
        (
            "mongodb://h/?tlsCAFile=",
            Err((FileNotFound, "[Errno 2] The tlscafile file is not readable")),
        ),
        // CRL conflicts fire on the second (boolean) pass, for URIs too
        (
            "mongodb://h/?tlsCRLFile=/crl.pem&tlsInsecure=true",
            Err((
                InvalidUri,
                "URI option tlsinsecure=True cannot be specified when CRL checking is enabled.",
            )),
        ),
        (
            "mongodb://h/?tlsCRLFile=/crl.pem&tlsAllowInvalidCertificates=true",
            Err((
                InvalidUri,
                "URI option tlsallowinvalidcertificates=True cannot be specified when CRL checking is enabled.",
            )),
        ),
        (
            "mongodb://h/?tlsCRLFile=/crl.pem&tlsDisableOCSPEndpointCheck=true",
            Err((
                InvalidUri,
                "URI option tlsdisableocspendpointcheck=True cannot be specified when CRL checking is enabled.",
            )),
        ),
        (
            "mongodb://h/?tlsCRLFile=/crl.pem&tlsDisableOCSPEndpointCheck=false",
            ok(FULL),
        ),
        (
            "mongodb://h/?tlsCRLFile=/crl.pem&tlsInsecure=false",
            ok(FULL),
        ),
        (
            "mongodb://h/?tlsCRLFile=/crl.pem&tlsInsecure=maybe",
            ok(FULL),
        ),
        (
            "mongodb://h/?tlsCRLFile=/crl.pem&tlsAllowInvalidHostnames=true",
            ok((true, true, false, true)),
        ),
        // other options pass through
        (
            "mongodb://h/?foo=bar&serverSelectionTimeoutMS=100&directConnection=true",
            ok(OFF),
        ),
        (
            "mongodb://h/?tls=true&connect=false&replicaSet=rs0",
            ok(FULL),
        ),
        // srv defaults to tls
        ("mongodb+srv://h.example.com/", ok(FULL)),
        ("mongodb+srv://h.example.com/?tls=false", ok(OFF)),
        ("mongodb+srv://h.example.com/?tls=yes", ok(FULL)),
        ("mongodb+srv://h.example.com/?ssl=false", ok(OFF)),
        // structure
        ("mongodb://[::1]:27017,h2/?tls=true", ok(FULL)),
        ("mongodb://u:p@h:27018/db?tls=true", ok(FULL)),
        (
            "mongodb://h/?tls",
            Err((InvalidUri, "MongoDB URI options are key=value pairs")),
        ),
        (
            "mongodb://h/?&tls=true",
            Err((InvalidUri, "MongoDB URI options are key=value pairs")),
        ),
        (
            "mongodb://h/?tls=true=false",
            Err((InvalidUri, "MongoDB URI options are key=value pairs")),
        ),
        (
            "mongodb://h/?tls=true;tlsInsecure=true&x=1",
            Err((InvalidUri, "Can not mix '&' and ';' for option separators")),
        ),
        (
            "http://h/",
            Err((
                InvalidUri,
                "Invalid URI scheme: URI must begin with 'mongodb://' or 'mongodb+srv://'",
            )),
        ),
        (
            "mongodb://",
            Err((InvalidUri, "Must provide at least one hostname or IP")),
        ),
        (
            "mongodb://h,/",
            Err((Configuration, "Empty host (or extra comma in host list)")),
        ),
        (
            "mongodb://h:0/",
            Err((ValueError, "Port must be an integer between 0 and 65535")),
        ),
        (
            "mongodb://h:27017 /",
            Err((ValueError, "Port contains whitespace character")),
        ),
        (
            "mongodb://h,i/?directConnection=true",
            Err((
                Configuration,
                "Cannot specify multiple hosts with directConnection=true",
            )),
        ),
        (
            "mongodb+srv://h.example.com:27017/",
            Err((
                InvalidUri,
                "mongodb+srv:// URIs must not include a port number",
            )),
        ),
        (
            "mongodb+srv://a.example.com,b.example.com/",
            Err((
                InvalidUri,
                "mongodb+srv:// URIs must include one, and only one, hostname",
            )),
        ),
        (
            "mongodb://h/?srvMaxHosts=2",
            Err((
                Configuration,
                "The srvMaxHosts option is only allowed with 'mongodb+srv://' URIs",
            )),
        ),
        (
            "mongodb://h/?authSource=",
            Err((
                InvalidUri,
                "the authSource database cannot be an empty string",
            )),
        ),
    ];
    for (uri, want) in cases {
        check(uri, TlsPolicy::from_uri(Driver::PyMongo, uri), *want);
    }
}

/// Beyond TLS, where PyMongo refuses a connection string pkigen refuses it too, in the same
/// words; and what PyMongo takes (a port in full-width digits), pkigen takes.
#[test]
fn non_tls_rules() {
    let ok = Ok::<Flags, (PyMongoException, &str)>;
    const TAGS: &str = "Read preference primary cannot be combined with tags";
    let cases: &[(&str, Want<'_>)] = &[
        // credentials
        (
            "mongodb://user@host",
            Err((Configuration, "A password is required")),
        ),
        (
            "mongodb://user:@host",
            Err((Configuration, "A password is required")),
        ),
        ("mongodb://user:pw@host", ok(OFF)),
        (
            "mongodb://h/?authMechanism=PLAIN",
            Err((Configuration, "PLAIN requires a username")),
        ),
        ("mongodb://u@h/?authMechanism=PLAIN", ok(OFF)),
        (
            "mongodb://u:p%00@h/?authMechanism=PLAIN",
            Err((
                Configuration,
                "PLAIN credentials cannot contain NUL characters.",
            )),
        ),
        (
            "mongodb://u:p@h/?authMechanism=MONGODB-X509",
            Err((Configuration, "Passwords are not supported by MONGODB-X509")),
        ),
        ("mongodb://u@h/?authMechanism=MONGODB-X509", ok(OFF)),
        (
            "mongodb://u@h/?authMechanism=MONGODB-AWS",
            Err((
                Configuration,
                "username without a password is not supported by MONGODB-AWS",
            )),
        ),
        (
            "mongodb://u@h/?authMechanism=GSSAPI&authSource=db",
            Err((
                ValueError,
                "authentication source must be $external or None for GSSAPI",
            )),
        ),
        (
            "mongodb://h/?authMechanism=MONGODB-OIDC&authMechanismProperties=ENVIRONMENT:azure",
            Err((
                Configuration,
                "Azure environment for MONGODB-OIDC requires a TOKEN_RESOURCE auth mechanism property",
            )),
        ),
        (
            "mongodb://h/?authMechanismProperties=CANONICALIZE_HOST_NAME:bad",
            Err((
                ValueError,
                "CANONICALIZE_HOST_NAME not in valid options: [False, True, 'none', 'forward', 'forwardAndReverse']",
            )),
        ),
        // read preference
        (
            "mongodb://h/?readPreferenceTags=dc:ny",
            Err((Configuration, TAGS)),
        ),
        ("mongodb://h/?readPreferenceTags=", ok(OFF)),
        (
            "mongodb://h/?readPreference=secondary&readPreferenceTags=dc:ny",
            ok(OFF),
        ),
        (
            "mongodb://h/?maxStalenessSeconds=90",
            Err((
                Configuration,
                "Read preference primary cannot be combined with maxStalenessSeconds",
            )),
        ),
        // srvMaxHosts beside replicaSet or loadBalanced, checked when the name resolves
        (
            "mongodb+srv://c.example.com/?srvMaxHosts=1&replicaSet=rs",
            Err((InvalidUri, "You cannot specify replicaSet with srvMaxHosts")),
        ),
        (
            "mongodb+srv://c.example.com/?srvMaxHosts=1&loadBalanced=true",
            Err((
                InvalidUri,
                "You cannot specify loadBalanced with srvMaxHosts",
            )),
        ),
        (
            "mongodb+srv://c.example.com/?srvMaxHosts=0&replicaSet=rs",
            ok(FULL),
        ),
        // ports: int() reads any script's digits; isdigit() takes superscripts int() refuses
        ("mongodb://localhost:２７０１７", ok(OFF)),
        ("mongodb://localhost:٢٧٠١٧", ok(OFF)),
        (
            "mongodb://localhost:２７０１７０",
            Err((ValueError, "Port must be an integer between 0 and 65535")),
        ),
        (
            "mongodb://localhost:²",
            Err((ValueError, "invalid literal for int() with base 10: '²'")),
        ),
        // pools, write concern, heartbeat
        (
            "mongodb://h/?minPoolSize=101",
            Err((
                ValueError,
                "minPoolSize must be smaller or equal to maxPoolSize",
            )),
        ),
        ("mongodb://h/?minPoolSize=101&maxPoolSize=0", ok(OFF)),
        (
            "mongodb://h/?journal=true&fsync=true",
            Err((Configuration, "Can't set both j and fsync at the same time")),
        ),
        (
            "mongodb://h/?w=0&journal=true",
            Err((Configuration, "Cannot set w to 0 and j to True")),
        ),
        (
            "mongodb://h/?heartbeatFrequencyMS=499",
            Err((
                Configuration,
                "heartbeatFrequencyMS cannot be less than 500.0",
            )),
        ),
        (
            "mongodb://h/?datetime_conversion=x",
            Err((PyMongoException::Key, "'Invalid datetime_conversion value'")),
        ),
    ];
    for (uri, want) in cases {
        check(uri, TlsPolicy::from_uri(Driver::PyMongo, uri), *want);
    }
    assert_eq!(
        hosts("mongodb://localhost:２７０１７").unwrap(),
        [Host {
            host: "localhost".into(),
            port: Some(27017)
        }]
    );
}

#[test]
fn keyword_rules() {
    let ok = Ok::<Flags, (PyMongoException, &str)>;
    let cases: Vec<(Value, Want<'_>)> = vec![
        (json!({}), ok(OFF)),
        (json!({"tls": true}), ok(FULL)),
        (json!({"tls": "true", "tlsInsecure": "false"}), ok(FULL)),
        (
            json!({"tls": true, "tlsInsecure": true}),
            ok((true, false, false, false)),
        ),
        (json!({"tlsCAFile": null}), ok(OFF)),
        (json!({"tlsCertificateKeyFilePassword": null}), ok(OFF)),
        (
            json!({"tlsCRLFile": "/crl.pem", "tlsInsecure": false}),
            ok(FULL),
        ),
        (
            json!({"serverSelectionTimeoutMS": 100, "directConnection": true}),
            ok(OFF),
        ),
        (
            json!({"tls": "yes"}),
            Err((ValueError, "The value of tls must be 'true' or 'false'")),
        ),
        (
            json!({"TLS": "yes"}),
            Err((ValueError, "The value of TLS must be 'true' or 'false'")),
        ),
        (
            json!({"tls": 1}),
            Err((Type, "tls must be True or False, was: tls=1")),
        ),
        (
            json!({"tls": null}),
            Err((Type, "tls must be True or False, was: tls=None")),
        ),
        (
            json!({"tls": 1.5}),
            Err((Type, "tls must be True or False, was: tls=1.5")),
        ),
        (
            json!({"tls": [1, "a"]}),
            Err((Type, "tls must be True or False, was: tls=[1, 'a']")),
        ),
        (
            json!({"tlsCAFile": 3}),
            Err((
                Type,
                "Wrong type for tlsCAFile, value must be an instance of str, not <class 'int'>",
            )),
        ),
        (
            json!({"tlsCertificateKeyFilePassword": 5}),
            Err((
                Type,
                "Wrong type for tlsCertificateKeyFilePassword, value must be an instance of str, not <class 'int'>",
            )),
        ),
        (
            json!({"tlsCAFile": ""}),
            Err((FileNotFound, "[Errno 2] No such file or directory: ''")),
        ),
        (
            json!({"foo": 3}),
            Err((
                Configuration,
                "Unknown option: foo. Did you mean one of (tzinfo, minpoolsize, maxpoolsize) or maybe a camelCase version of one? Refer to docstring.",
            )),
        ),
        (
            json!({"ssl": true, "tls": false}),
            Err((InvalidUri, CONFLICT_SSL_TLS)),
        ),
        (
            json!({"tlsInsecure": true, "tlsAllowInvalidHostnames": true}),
            Err((
                InvalidUri,
                "URI options tlsInsecure and tlsAllowInvalidHostnames cannot be specified simultaneously.",
            )),
        ),
        (
            json!({"TLSInsecure": true, "tlsDisableOCSPEndpointCheck": true}),
            Err((
                InvalidUri,
                "URI options TLSInsecure and tlsDisableOCSPEndpointCheck cannot be specified simultaneously.",
            )),
        ),
        (
            json!({"tlsAllowInvalidCertificates": false, "tlsDisableOCSPEndpointCheck": true}),
            Err((
                InvalidUri,
                "URI options tlsallowinvalidcertificates and tlsDisableOCSPEndpointCheck cannot be specified simultaneously.",
            )),
        ),
        (
            json!({"tlsCRLFile": "/crl.pem", "tlsAllowInvalidCertificates": true}),
            Err((
                InvalidUri,
                "URI option tlsallowinvalidcertificates=True cannot be specified when CRL checking is enabled.",
            )),
        ),
        (
            json!({"TLS": false, "tlsCAFile": "/ca.pem"}),
            Err((
                Configuration,
                "TLS has not been enabled but the following tls parameters have been set: tlscafile. Please set `tls=True` or remove.",
            )),
        ),
    ];
    for (opts, want) in cases {
        let Value::Object(map) = &opts else {
            unreachable!()
        };
        check(
            &opts.to_string(),
            TlsPolicy::from_options(Driver::PyMongo, &ClientOptions::from_json(map.clone())),
            want,
        );
    }
}

#[test]
fn keywords_override_the_uri() {
    let map = |v: Value| match v {
        Value::Object(m) => m,
        _ => unreachable!(),
    };
    let p = resolve(Some("mongodb://h/?tls=true"), &map(json!({"tls": false})))
        .unwrap()
        .policy;
    assert!(!p.tls);
    let e = resolve(
        Some("mongodb://h/?tls=false"),
        &map(json!({"tlsCAFile": "/ca.pem"})),
    )
    .unwrap_err();
    assert_eq!(e.exception, DriverException::PyMongo(Configuration));
    let e = resolve(
        Some("mongodb://h/?tlsInsecure=true"),
        &map(json!({"tlsAllowInvalidHostnames": false})),
    )
    .unwrap_err();
    assert_eq!(
        e.message,
        "URI options tlsInsecure and tlsAllowInvalidHostnames cannot be specified simultaneously."
    );
}

#[test]
fn warnings_match_pymongo() {
    let cases: &[(&str, &[&str])] = &[
        (
            "mongodb://h/?tls=yes",
            &["The value of tls must be 'true' or 'false'"],
        ),
        (
            "mongodb://h/?tls=true&TLS=false",
            &["Duplicate URI option 'tls'."],
        ),
        // An unknown name may be credential text: 4.20.1 repeats none.
        (
            "mongodb://h/?s3cret=1&s3cret=2",
            &[
                "Duplicate URI option.",
                "Unknown option. Did you mean one of (tlscrlfile, tlsinsecure, connect) or maybe a camelCase version of one? Refer to docstring.",
            ],
        ),
        (
            "mongodb://h/?xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx=1",
            &["Unknown option."],
        ),
        (
            "mongodb://h/?foo=bar",
            &[
                "Unknown option. Did you mean one of (minpoolsize, maxpoolsize, compressors) or maybe a camelCase version of one? Refer to docstring.",
            ],
        ),
        (
            "mongodb://h/?ssl=yes&tls=yes",
            &[
                "The value of ssl must be 'true' or 'false'",
                "The value of tls must be 'true' or 'false'",
            ],
        ),
        ("mongodb://h/?tls=true", &[]),
        (
            "mongodb://h/?compressors=zlib,lz4,snappy",
            &[
                "Unsupported compressor",
                "Wire protocol compression with snappy is not available. You must install the python-snappy module for snappy support.",
            ],
        ),
        (
            "mongodb://h/?authMechanism=scram-sha-1",
            &[
                "authmechanism must be in ('SCRAM-SHA-256', 'PLAIN', 'GSSAPI', 'SCRAM-SHA-1', 'DEFAULT', 'MONGODB-AWS', 'MONGODB-OIDC', 'MONGODB-X509')",
            ],
        ),
        (
            "mongodb://h/?maxPoolSize=-1&connectTimeoutMS=0.0&readPreference=Primary&zlibCompressionLevel=x&zlibCompressionLevel=10",
            &[
                "Duplicate URI option 'zlibcompressionlevel'.",
                "The value of maxpoolsize must be a non negative integer",
                "connecttimeoutms must be greater than 0 and less than one billion",
                "Not a valid read preference. Must be one of: primary, primaryPreferred, secondary, secondaryPreferred, nearest",
                "zlibcompressionlevel must be between -1 and 9, not 10.",
            ],
        ),
        (
            "mongodb://h/?readPreferenceTags=dc&uuidRepresentation=x&serverMonitoringMode=x",
            &[
                "Invalid read preference tags value for readpreferencetags",
                "Invalid UUID representation. Must be one of ('unspecified', 'standard', 'pythonLegacy', 'javaLegacy', 'csharpLegacy')",
                "servermonitoringmode is invalid. Must be one of \"auto\", \"stream\", or \"poll\"",
            ],
        ),
        (
            "mongodb://x.cosmos.azure.com,h/",
            &[
                "You appear to be connected to a CosmosDB cluster. For more information regarding feature compatibility and support please visit https://www.mongodb.com/supportability/cosmosdb",
            ],
        ),
        // A mongodb+srv client parses its options again when it resolves the name.
        (
            "mongodb+srv://c.example.com/?foo=1",
            &["Unknown option. Did you mean one of (minpoolsize, maxpoolsize, compressors) or maybe a camelCase version of one? Refer to docstring.";
                2],
        ),
    ];
    for (uri, want) in cases {
        let got: Vec<String> = resolve(Some(uri), &Map::new())
            .unwrap()
            .warnings
            .into_iter()
            .map(|w| {
                assert_eq!(w.category, "UserWarning", "{uri}");
                w.message
            })
            .collect();
        assert_eq!(got, *want, "{uri}");
    }
}

/// Warnings emitted before PyMongo raises are kept with the error.
#[test]
fn warnings_before_an_error_are_kept() {
    let e = resolve(
        Some("mongodb://h/?foo=1&tls=false&tlsAllowInvalidHostnames=false"),
        &Map::new(),
    )
    .unwrap_err();
    assert_eq!(e.exception, DriverException::PyMongo(Configuration));
    assert_eq!(e.warnings.len(), 1);
    assert!(e.warnings[0].message.starts_with("Unknown option."));
    assert_eq!(
        e.warnings[0].to_string(),
        format!("UserWarning: {}", e.warnings[0].message)
    );
}

#[test]
fn files_and_password_are_kept_and_redacted() {
    let p = TlsPolicy::from_uri(
        Driver::PyMongo,
        "mongodb://h/?tlsCAFile=%2Fa%20b%2Fca+1.pem&tlsCertificateKeyFile=/c.pem&tlsCertificateKeyFilePassword=s3cret&tlsCRLFile=/crl.pem",
    )
    .unwrap();
    assert_eq!(p.ca_file.as_deref(), Some("/a b/ca 1.pem")); // unquote_plus: '+' is a space
    assert_eq!(p.certificate_key_file_password.as_deref(), Some("s3cret"));
    let r = resolved_options(&p);
    assert_eq!(r["tlsCertificateKeyFilePassword"], json!("***"));
    assert_eq!(r["tlsCRLFile"], json!("/crl.pem"));
    assert_eq!(r["tls"], json!(true));
    assert!(!r.values().any(|v| v == "s3cret"));
}

#[test]
fn insecure_expands_and_allow_invalid_certificates_disables_ocsp() {
    let p = TlsPolicy::from_uri(Driver::PyMongo, "mongodb://h/?tls=true&tlsInsecure=true").unwrap();
    assert!(
        p.allow_invalid_certificates && p.allow_invalid_hostnames && p.disable_ocsp_endpoint_check
    );
    let p = TlsPolicy::from_uri(
        Driver::PyMongo,
        "mongodb://h/?tls=true&tlsAllowInvalidCertificates=true",
    )
    .unwrap();
    assert!(p.disable_ocsp_endpoint_check && !p.allow_invalid_hostnames && !p.verify_hostname());
}

#[test]
fn host_lists() {
    let h = |host: &str, port: Option<u16>| Host {
        host: host.into(),
        port,
    };
    assert_eq!(
        hosts("mongodb://[::1],Example.COM:27018,u%2Fsock%2Fm.sock/?tls=true").unwrap(),
        [
            h("::1", Some(27017)),
            h("example.com", Some(27018)),
            h("u/sock/m.sock", None)
        ]
    );
    assert_eq!(
        hosts("mongodb://[fe80::1%25eth0]:5/").unwrap(),
        [h("fe80::1%eth0", Some(5))]
    );
    assert_eq!(
        hosts("mongodb+srv://c.example.com/").unwrap(),
        [h("c.example.com", None)]
    );
    // Python's entity[1:-1] drops the last character, not the last byte.
    assert_eq!(
        hosts("mongodb://[::1]é/").unwrap(),
        [h("::1]", Some(27017))]
    );
    assert_eq!(
        hosts("mongodb://[/").unwrap_err().exception,
        DriverException::PyMongo(ValueError)
    );
    assert_eq!(
        hosts("mongodb://h:x/").unwrap_err().exception,
        DriverException::PyMongo(ValueError)
    );
    assert_eq!(
        hosts("mongodb://a:b:c/").unwrap_err().exception,
        DriverException::PyMongo(ValueError)
    );
    assert_eq!(
        hosts("mongodb://h%41/").unwrap_err().exception,
        DriverException::PyMongo(InvalidUri)
    );
    assert_eq!(
        hosts("mongodb://u:p@x@h/").unwrap_err().exception,
        DriverException::PyMongo(InvalidUri)
    );
}

#[test]
fn uri_for_round_trips() {
    let Value::Object(opts) = json!({
        "tlsCAFile": "/tmp/a b/c+d&e=f;g%h.pem",
        "tls": true,
        "tlsCertificateKeyFilePassword": null,
        "serverSelectionTimeoutMS": 100,
    }) else {
        unreachable!()
    };
    let opts = ClientOptions::from_json(opts);
    let uri = uri_for("[::1]:27017", &opts);
    assert_eq!(
        uri,
        "mongodb://[::1]:27017/?tlsCAFile=/tmp/a%20b/c%2Bd%26e%3Df%3Bg%25h.pem&tls=true&serverSelectionTimeoutMS=100"
    );
    let p = TlsPolicy::from_uri(Driver::PyMongo, &uri).unwrap();
    assert_eq!(p.ca_file.as_deref(), Some("/tmp/a b/c+d&e=f;g%h.pem"));
    assert_eq!(p, TlsPolicy::from_options(Driver::PyMongo, &opts).unwrap());
    assert_eq!(uri_for("h", &ClientOptions::new()), "mongodb://h/");
}

#[test]
fn error_display_is_the_message() {
    let e = TlsPolicy::from_uri(Driver::PyMongo, "mongodb://h/?ssl=true&tls=false").unwrap_err();
    assert_eq!(e.to_string(), CONFLICT_SSL_TLS);
    assert_eq!(e.exception.class_name(), "InvalidURI");
    let _: &dyn std::error::Error = &e;
}

/// PyMongo 4.20.1's messages about the parts of a URI a mis-escaped password ends up in quote
/// none of it; the one message that still quotes URI text, `int()`'s for a port of
/// digits it cannot read, has a redacted form, and that is what `Display` prints.
#[test]
fn messages_quoting_the_uri_are_redacted() {
    let unquoted = [
        (
            "mongodb://alice:pa/ss w0rd@localhost/?tls=true",
            "Bad database name",
        ),
        (
            "mongodb://alice:p%zz/x",
            "Percent-encoding is only allowed in Unix domain socket paths and IPv6 zone indexes, not in hostnames",
        ),
        (
            "mongodb://alice:12 3/x",
            "Port contains whitespace character",
        ),
        ("mongodb://al/ic3@h/x", "Bad database name"),
    ];
    for (uri, message) in unquoted {
        let e = TlsPolicy::from_uri(Driver::PyMongo, uri).unwrap_err();
        assert_eq!(e.message, message, "{uri}");
        assert!(!e.is_redacted(), "{uri}");
        assert_eq!(e.to_string(), message, "{uri}");
    }
    let e = TlsPolicy::from_uri(Driver::PyMongo, "mongodb://bob:²³/").unwrap_err();
    assert_eq!(e.exception, DriverException::PyMongo(ValueError));
    assert_eq!(e.message, "invalid literal for int() with base 10: '²³'");
    assert_eq!(e.redacted(), "invalid literal for int() with base 10");
    assert_eq!(e.to_string(), e.redacted());
    assert!(e.is_redacted());
    let plain = TlsPolicy::from_uri(Driver::PyMongo, "mongodb://alice:pa:ss@h/").unwrap_err();
    assert!(!plain.is_redacted());
    assert_eq!(plain.to_string(), plain.message);
}

/// The resolved options under their connection-string names (PyMongo's spelling), as
/// JSON. Unset paths are left out; the password is redacted as "***" so reports can be
/// shared.
fn resolved_options(p: &TlsPolicy) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("tls".into(), Value::Bool(p.tls));
    for (name, v) in [
        ("tlsCAFile", &p.ca_file),
        ("tlsCertificateKeyFile", &p.certificate_key_file),
        ("tlsCRLFile", &p.crl_file),
    ] {
        if let Some(v) = v {
            m.insert(name.into(), Value::String(v.clone()));
        }
    }
    if p.certificate_key_file_password.is_some() {
        m.insert(
            "tlsCertificateKeyFilePassword".into(),
            Value::String("***".into()),
        );
    }
    m.insert(
        "tlsAllowInvalidCertificates".into(),
        Value::Bool(p.allow_invalid_certificates),
    );
    m.insert(
        "tlsAllowInvalidHostnames".into(),
        Value::Bool(p.allow_invalid_hostnames),
    );
    m.insert(
        "tlsDisableOCSPEndpointCheck".into(),
        Value::Bool(p.disable_ocsp_endpoint_check),
    );
    m
}
