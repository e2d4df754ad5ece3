//! Cross-check of `pkigen::policy`'s PyMongo profile against PyMongo 4.20.1 itself: every
//! case goes through `policy::resolve` and through `tests/python/pymongo_policy_check.py`
//! (a real `MongoClient(..., connect=False)`), and the two must agree on validity, exception
//! class, message text, warnings (before an error too), and the four booleans. A table of
//! chosen cases, then a generated corpus of connection strings (`uri_corpus`).
//!
//! The interpreter is `$PKIGEN_PYTHON`, else `target/pyenv/bin/python`, which
//! `tests/python/ensure_venv.sh` creates (python3 -m venv + pip install pymongo==4.20.1) when
//! missing.

use crate::harness::{Engine, HarnessLine, HarnessResult};
use crate::python::python;
use crate::uri_corpus::{self, Files};
use crate::util;
use pkigen::policy::{self, Driver, DriverWarning, PolicyError, uri_for};
use rcgen::{
    BasicConstraints, CertificateParams, CertificateRevocationListParams, IsCa, Issuer,
    KeyIdMethod, KeyPair, KeyUsagePurpose, SerialNumber,
};
use serde_json::{Map, Value, json};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::Stdio;

/// Real files (PyMongo opens them): CA certificate, client certificate + key, CRL, in a
/// directory whose name needs percent-encoding in a URI.
struct Fixtures {
    _dir: tempfile::TempDir,
    ca: String,
    client: String,
    crl: String,
}

fn fixtures() -> Fixtures {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("pki dir+1&x");
    std::fs::create_dir(&sub).unwrap();
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, &ca_key);
    let client_key = KeyPair::generate().unwrap();
    let client_cert = CertificateParams::new(vec!["client.test".to_string()])
        .unwrap()
        .signed_by(&client_key, &issuer)
        .unwrap();
    let now = time::OffsetDateTime::now_utc();
    let crl = CertificateRevocationListParams {
        this_update: now - time::Duration::hours(1),
        next_update: now + time::Duration::days(7),
        crl_number: SerialNumber::from(1u64),
        issuing_distribution_point: None,
        revoked_certs: vec![],
        key_identifier_method: KeyIdMethod::Sha256,
    }
    .signed_by(&issuer)
    .unwrap();
    let write = |name: &str, text: String| {
        let p = sub.join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_string()
    };
    Fixtures {
        ca: write("ca.pem", ca_cert.pem()),
        client: write(
            "client.pem",
            client_cert.pem() + &client_key.serialize_pem(),
        ),
        crl: write("crl.pem", crl.pem().unwrap()),
        _dir: dir,
    }
}

/// A `MongoClient(uri, **options)` call for `pymongo_policy_check.py`.
pub(crate) struct Case {
    pub(crate) uri: Option<String>,
    pub(crate) options: Map<String, Value>,
}

/// Keyword options as pkigen's policy takes them, read from the JSON the script is sent.
fn client_options(map: Map<String, Value>) -> policy::ClientOptions {
    serde_json::from_value(Value::Object(map)).expect("any JSON object is a set of options")
}

fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        other => panic!("not an object: {other}"),
    }
}

/// `{key: value}` for a key built at run time.
fn obj_with(key: &str, value: Value) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert(key.to_string(), value);
    map
}

fn cases(f: &Fixtures) -> Vec<Case> {
    let uri = |u: &str| Case {
        uri: Some(u.to_string()),
        options: Map::new(),
    };
    let kw = |v: Value| Case {
        uri: None,
        options: obj(v),
    };
    // URIs carrying paths go through uri_for, which is what makes them parse back.
    let built = |v: Value| Case {
        uri: Some(uri_for("h", &client_options(obj(v)))),
        options: Map::new(),
    };
    let both = |u: &str, v: Value| Case {
        uri: Some(u.to_string()),
        options: obj(v),
    };
    let (ca, client, crl) = (f.ca.as_str(), f.client.as_str(), f.crl.as_str());
    vec![
        // tls / ssl, values, case, duplicates
        uri("mongodb://h/"),
        uri("mongodb://h/?tls=true"),
        uri("mongodb://h/?TLS=true"),
        uri("mongodb://h/?Tls=TRUE"),
        uri("mongodb://h/?tls=yes"),
        uri("mongodb://h/?ssl=true"),
        uri("mongodb://h/?ssl=true&tls=false"),
        uri("mongodb://h/?SSL=TRUE&tls=true"),
        uri("mongodb://h/?ssl=false&TLS=false"),
        uri("mongodb://h/?tls=true&TLS=false"),
        // tlsInsecure
        uri("mongodb://h/?tlsInsecure=true"),
        uri("mongodb://h/?tls=true&tlsInsecure=true"),
        uri("mongodb://h/?tlsInsecure=false"),
        uri("mongodb://h/?tlsInsecure=false&tls=false"),
        uri("mongodb://h/?tls=false&tlsInsecure=true"),
        uri("mongodb://h/?tls=true;tlsInsecure=true"),
        uri("mongodb://h/?tlsInsecure=true&tlsAllowInvalidHostnames=true"),
        uri("mongodb://h/?tlsinsecure=true&TLSALLOWINVALIDCERTIFICATES=false"),
        uri("mongodb://h/?tlsInsecure=false&tlsDisableOCSPEndpointCheck=false"),
        // allow-invalid / OCSP
        uri("mongodb://h/?tlsAllowInvalidCertificates=true"),
        uri("mongodb://h/?tls=true&tlsAllowInvalidCertificates=true"),
        uri("mongodb://h/?tlsAllowInvalidCertificates=false"),
        uri("mongodb://h/?tlsAllowInvalidCertificates=true&tlsDisableOCSPEndpointCheck=true"),
        uri("mongodb://h/?tlsAllowInvalidCertificates=false&tlsdisableocspendpointcheck=false"),
        uri("mongodb://h/?tls=true&tlsAllowInvalidHostnames=true"),
        uri("mongodb://h/?tlsAllowInvalidHostnames=false&tls=false"),
        uri("mongodb://h/?tls=true&tlsDisableOCSPEndpointCheck=true"),
        uri("mongodb://h/?tlsDisableOCSPEndpointCheck=false"),
        uri("mongodb://h/?tls=true&tlsAllowInvalidCertificates=maybe"),
        // pass-through, warnings, passwords, empty path
        uri(
            "mongodb://h/?tls=true&serverSelectionTimeoutMS=100&directConnection=true&connect=false",
        ),
        uri("mongodb://h/?tls=true&foo=bar"),
        uri("mongodb://h/?tlsCertificateKeyFilePassword=x"),
        uri("mongodb://h/?tlsCertificateKeyFilePassword="),
        uri("mongodb://h/?tlsCAFile="),
        // srv
        uri("mongodb+srv://c.example.com/"),
        uri("mongodb+srv://c.example.com/?tls=false"),
        uri("mongodb+srv://c.example.com/?ssl=false&tlsAllowInvalidHostnames=false"),
        uri("mongodb+srv://1.2.3.4/"),
        uri("mongodb+srv://c.example.com:27017/"),
        // structure
        uri("mongodb://[::1]:27017,h2:27018/?tls=true"),
        uri("mongodb://h/?tls"),
        uri("mongodb://h/?tls=true;x=1&y=2"),
        uri("mongodb://a,b/?directConnection=true"),
        uri("mongodb://h:99999/"),
        uri("mongodb://h,/"),
        // passwords whose reserved characters were not escaped (the messages quote URI text)
        uri("mongodb://alice:pa/ss w0rd@localhost/?tls=true"),
        uri("mongodb://alice:p%zz/x"),
        uri("mongodb://alice:12 3/x"),
        uri("mongodb://alice:p@ss@h/"),
        uri("mongodb://alice:pa?ss@h/"),
        uri("mongodb://alice:pa#ss@h/?tls=true"),
        // Python's text rules, and options beyond TLS
        uri("mongodb://h/?tls=true tlsInsecure=true"),
        uri("mongodb://h/?tls=true\u{1c}tlsInsecure=true"),
        uri("mongodb://h/?TLS=true&ＴＬＳ=true"),
        uri("mongodb://h/?tlsİnsecure=true"),
        uri("mongodb://h/?=1&tls="),
        uri(
            "mongodb://h/?readPreferenceTags=dc:ny&READPREFERENCETAGS=dc:la&readPreference=nearest",
        ),
        uri("mongodb://h/?authMechanismProperties=SERVICE_NAME:a%2Cb"),
        uri("mongodb://h/?appname=%FF%FE"),
        uri(&format!("mongodb://h/?appname={}", "é".repeat(65))),
        uri(
            "mongodb://h/?connectTimeoutMS=1e-300&socketTimeoutMS=1_0&maxIdleTimeMS=%205&waitQueueTimeoutMS=5%20",
        ),
        uri(
            "mongodb://h/?w=%2B1&heartbeatFrequencyMS=499.9999999999999999&zlibCompressionLevel=%EF%BC%99",
        ),
        uri("mongodb://h/?maxStalenessSeconds=-1&readPreference=secondary"),
        uri("mongodb://localhost:00000000000000000000027017"),
        uri(&format!("mongodb://localhost:{}", "1".repeat(5000))),
        uri(&format!("mongodb://localhost:{}", "²".repeat(300))),
        uri(&format!(
            "mongodb://h/?datetime_conversion={}",
            "1".repeat(5000)
        )),
        uri("mongodb://h/?datetime_conversion=١&uuidRepresentation=standard&uuidRepresentation=x"),
        uri("mongodb+srv://c.example.com/?srvAllowedHostsSuffix=test"),
        uri("mongodb+srv://c.example.com/?srvAllowedHostsSuffix=..."),
        uri("mongodb+srv://c.example.com/?srvAllowedHostsSuffix=com"),
        uri("mongodb+srv://[fe80::1%25eth0]/"),
        uri("mongodb+srv://001.2.3.4/"),
        uri("mongodb+srv://c.example.com/?loadBalanced=true&directConnection=false"),
        uri("mongodb://u%00:p@h/?authMechanism=PLAIN"),
        uri("mongodb://h/?authMechanism=MONGODB-OIDC&authMechanismProperties=ENVIRONMENT:test"),
        uri("mongodb://u@h/?authMechanism=MONGODB-OIDC&authMechanismProperties=ENVIRONMENT:test"),
        uri(
            "mongodb://h/?authMechanism=MONGODB-OIDC&authMechanismProperties=ENVIRONMENT:k8s,ENVIRONMENT:x",
        ),
        uri("mongodb://h/?authSource=%24external&authMechanism=GSSAPI"),
        uri("mongodb://h/?loadBalanced=true&directConnection=true"),
        uri("mongodb://a,b/?loadBalanced=true"),
        uri("mongodb://h/?loadBalanced=true&replicaSet=rs"),
        uri("mongodb://h/?tls=true&tls=false&ssl=true"),
        uri("mongodb://h/?ssl=1&tls=1"),
        uri("mongodb://h/?timeoutMS=0&localThresholdMS=-0&serverSelectionTimeoutMS=0.0"),
        uri("mongodb://h/?maxPoolSize=%20&w=majority&journal=true&fsync=false&compressors=ZLIB"),
        uri("mongodb://h/?x=1=2"),
        uri("mongodb://[::1]é/"),
        uri("mongodb://[]/"),
        // files, as URIs
        built(json!({"tlsCAFile": ca})),
        built(json!({"tlsCAFile": ca, "tls": false})),
        built(json!({"tlsCAFile": ca, "ssl": false})),
        built(
            json!({"tlsCAFile": ca, "tlsCertificateKeyFile": client, "tlsCertificateKeyFilePassword": "p w+&",
                     "tls": false, "tlsAllowInvalidHostnames": false}),
        ),
        built(
            json!({"tlsCAFile": ca, "tlsCertificateKeyFile": client, "tlsCertificateKeyFilePassword": "p w+&"}),
        ),
        built(json!({"tlsCRLFile": crl, "tlsInsecure": true})),
        built(json!({"tlsCRLFile": crl, "tlsAllowInvalidCertificates": true})),
        built(json!({"tlsCRLFile": crl, "tlsDisableOCSPEndpointCheck": true})),
        built(json!({"tlsCRLFile": crl, "tlsDisableOCSPEndpointCheck": false})),
        built(json!({"tlsCRLFile": crl, "tlsInsecure": false})),
        built(json!({"tlsCRLFile": crl, "tlsAllowInvalidHostnames": true})),
        // keyword arguments
        kw(json!({})),
        kw(json!({"tls": true})),
        kw(json!({"TLS": "true"})),
        kw(json!({"tls": "yes"})),
        kw(json!({"tls": 1})),
        kw(json!({"tls": null})),
        kw(json!({"tls": [1, "a"]})),
        kw(json!({"ssl": true, "tls": false})),
        kw(json!({"tlsInsecure": true})),
        kw(json!({"tls": true, "tlsInsecure": true})),
        kw(json!({"tlsInsecure": false, "tls": false})),
        kw(json!({"TLSInsecure": true, "tlsAllowInvalidHostnames": false})),
        kw(json!({"tlsAllowInvalidCertificates": false, "tlsDisableOCSPEndpointCheck": true})),
        kw(json!({"tls": true, "tlsAllowInvalidCertificates": true})),
        kw(json!({"tlsCRLFile": crl, "tlsAllowInvalidCertificates": true})),
        kw(json!({"tlsCRLFile": crl, "tlsInsecure": true})),
        kw(json!({"tlsCRLFile": crl, "tlsInsecure": false})),
        kw(json!({"tlsCAFile": ca})),
        kw(json!({"tlsCAFile": ca, "tls": false})),
        kw(json!({"tlsCAFile": 3})),
        kw(json!({"tlsCAFile": ""})),
        kw(json!({"tlsCAFile": null})),
        kw(json!({"tlsCertificateKeyFile": client, "tlsCertificateKeyFilePassword": "pw"})),
        kw(json!({"tlsCertificateKeyFilePassword": 5})),
        kw(json!({"foo": 1})),
        // Unknown options long enough for difflib's autojunk (200+ characters) in the
        // "did you mean" suggestions, and too long for any suggestion. The first one's single
        // suggestion would be two without autojunk (found by a search with CPython's difflib).
        uri(concat!(
            "mongodb://h/?tatislletiolliosstsetolostetaltioeasiaotaiaieittotitlotstistoltiatt",
            "eilsiaiesositolitlsinsecuresrvallowedhostssuffixwsrvservicenametlscertificatekeyfi",
            "lepasswordeitloealiosaeeaialeiosoistlolesaoaleiessssooolsstla=1"
        )),
        uri(&format!(
            "mongodb://h/?{}=true",
            "tlsallowinvalid".repeat(14)
        )),
        kw(Value::Object(obj_with(
            &format!("tlsCAFile{}", "ls".repeat(98)),
            json!(1),
        ))),
        kw(Value::Object(obj_with(&"x".repeat(5000), json!(1)))),
        kw(json!({"tlsCaFiles": ca})),
        kw(json!({"serverSelectionTimeoutMS": 100, "directConnection": true, "tls": true})),
        // keyword arguments beyond TLS: credentials, read preference, write concern, pools
        kw(json!({"authMechanism": "PLAIN"})),
        kw(json!({"username": "u"})),
        kw(json!({"username": "u", "password": ""})),
        kw(json!({"username": "u", "password": "p", "authMechanism": "MONGODB-X509"})),
        kw(
            json!({"authMechanism": "GSSAPI", "username": "u", "authMechanismProperties": {"CANONICALIZE_HOST_NAME": "bad"}}),
        ),
        kw(
            json!({"authMechanism": "MONGODB-OIDC", "authMechanismProperties": {"ALLOWED_HOSTS": []}}),
        ),
        kw(
            json!({"authMechanism": "MONGODB-OIDC", "authMechanismProperties": {"OIDC_CALLBACK": 1}}),
        ),
        kw(json!({"authMechanismProperties": 5})),
        kw(json!({"readPreferenceTags": []})),
        kw(json!({"readPreference": "nearest", "readPreferenceTags": []})),
        kw(json!({"readPreferenceTags": [{"dc": "ny"}]})),
        kw(
            json!({"readPreference": "secondary", "readPreferenceTags": ["dc:ny", ""], "maxStalenessSeconds": 90}),
        ),
        kw(json!({"maxStalenessSeconds": -1.0})),
        kw(json!({"heartbeatFrequencyMS": null})),
        kw(json!({"heartbeatFrequencyMS": 499})),
        kw(json!({"serverSelectionTimeoutMS": null})),
        kw(json!({"connectTimeoutMS": false, "socketTimeoutMS": 0.0, "localThresholdMS": true})),
        kw(json!({"compressors": ["zlib", "x", 3]})),
        kw(json!({"compressors": 5})),
        kw(json!({"compressors": [[1]]})),
        kw(json!({"zlibCompressionLevel": 1.7, "maxPoolSize": true})),
        kw(json!({"zlibCompressionLevel": "x"})),
        kw(json!({"zlibCompressionLevel": 1e300})),
        kw(json!({"zlibCompressionLevel": -1.5})),
        kw(json!({"w": -1})),
        kw(json!({"w": 0, "journal": true})),
        kw(json!({"journal": true, "fsync": "true"})),
        kw(json!({"w": 1.5})),
        kw(json!({"minPoolSize": 101})),
        kw(json!({"minPoolSize": 101, "maxPoolSize": null})),
        kw(json!({"maxPoolSize": "12345678901234567890123"})),
        kw(json!({"authMechanism": ["x"]})),
        kw(json!({"uuidRepresentation": "x", "TLS": true})),
        kw(json!({"uuidRepresentation": {}})),
        kw(json!({"unicode_decode_error_handler": "x"})),
        kw(json!({"serverMonitoringMode": "x"})),
        kw(json!({"datetime_conversion": "x"})),
        kw(json!({"datetime_conversion": false})),
        kw(json!({"datetime_conversion": 1.0})),
        kw(json!({"readPreference": "x"})),
        kw(json!({"read_preference": null})),
        kw(json!({"document_class": "x"})),
        kw(json!({"document_class": null, "tz_aware": null, "connect": true})),
        kw(json!({"tz_aware": "yes"})),
        kw(json!({"type_registry": 1})),
        kw(json!({"event_listeners": "ab"})),
        kw(json!({"event_listeners": []})),
        kw(json!({"event_listeners": {}})),
        kw(json!({"tzinfo": "UTC"})),
        kw(json!({"server_selector": null, "srv_host_validator": 1})),
        kw(json!({"driver": 1})),
        kw(json!({"server_api": 1})),
        kw(json!({"auto_encryption_opts": "x"})),
        kw(json!({"authoidcallowedhosts": "x"})),
        kw(json!({"appname": "x".repeat(129)})),
        kw(json!({"srvMaxHosts": 1})),
        kw(json!({"srvMaxHosts": "0"})),
        // both: keyword arguments override the URI
        both(
            "mongodb://h/?tlsInsecure=true",
            json!({"tlsAllowInvalidHostnames": false}),
        ),
        both("mongodb://h/?tls=false", json!({"tlsCAFile": ca})),
        both("mongodb://h/?tls=true", json!({"tls": false})),
        both("mongodb://u@h/", json!({"password": "p"})),
        both("mongodb://u:p@h/", json!({"username": null})),
        both("mongodb://h/?srvMaxHosts=1", json!({})),
        both("mongodb://h/", json!({"srvMaxHosts": 2})),
        both(
            "mongodb+srv://c.example.com/?replicaSet=rs",
            json!({"srvMaxHosts": 2}),
        ),
        both(
            "mongodb+srv://c.example.com/",
            json!({"srvAllowedHostsSuffix": "com"}),
        ),
        both(
            "mongodb+srv://c.example.com/?srvAllowedHostsSuffix=com",
            json!({"srvAllowedHostsSuffix": "example.com"}),
        ),
        both(
            "mongodb+srv://c.example.com/?compressors=x",
            json!({"compressors": "y"}),
        ),
        both("mongodb://h/?tz_aware=true", json!({"tz_aware": null})),
    ]
}

/// Warnings as the script writes them: `Category: message`.
fn shown(warnings: &[DriverWarning]) -> Vec<String> {
    warnings.iter().map(DriverWarning::to_string).collect()
}

/// pkigen's answer, as the script's answers are read.
fn rust_answer(case: &Case) -> HarnessResult {
    match policy::resolve(
        Driver::PyMongo,
        case.uri.as_deref(),
        &client_options(case.options.clone()),
    ) {
        Ok(r) => HarnessResult::Policy {
            tls: r.policy.tls,
            verify_certificates: r.policy.verify_certificates(),
            verify_hostname: r.policy.verify_hostname(),
            ocsp_endpoint_check: r.policy.ocsp_endpoint_check(),
            warnings: shown(&r.warnings),
        },
        Err(PolicyError {
            exception,
            message,
            warnings,
            ..
        }) => HarnessResult::PolicyError {
            exception: exception.class_name().to_string(),
            message,
            warnings: shown(&warnings),
        },
    }
}

/// PyMongo's answer to each case, run in `dir` (file options are opened relative to it):
/// a `Policy` or a `PolicyError`.
pub(crate) fn python_answers(python: &Path, cases: &[Case], dir: &Path) -> Vec<HarnessResult> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/pymongo_policy_check.py");
    // Nothing connects, so the system's trust store is never used; an empty one spares each
    // TLS client without a tlsCAFile the ~20 ms OpenSSL takes to load the real one.
    let mut child = crate::util::tool(python)
        .arg(&script)
        .env("SSL_CERT_FILE", "/dev/null")
        .env("SSL_CERT_DIR", "/nonexistent")
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("start {}: {e}", python.display()));
    let mut input = String::new();
    for c in cases {
        let mut line = Map::new();
        if let Some(u) = &c.uri {
            line.insert("uri".into(), json!(u));
        }
        if !c.options.is_empty() || c.uri.is_none() {
            line.insert("options".into(), Value::Object(c.options.clone()));
        }
        input.push_str(&Value::Object(line).to_string());
        input.push('\n');
    }
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()).unwrap());
    let answers: Vec<HarnessResult> = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .map(|l| {
            let text = l.unwrap();
            let line: HarnessLine = serde_json::from_str(&text).unwrap_or_else(|e| {
                panic!("pymongo_policy_check.py: not a harness line ({e}):\n{text}")
            });
            assert_eq!(line.engine, Engine::Pymongo, "{line:?}");
            assert_eq!(line.subject, None, "{line:?}");
            match line.result {
                answer @ (HarnessResult::Policy { .. } | HarnessResult::PolicyError { .. }) => {
                    answer
                }
                other => panic!("pymongo_policy_check.py: not a policy answer: {other:?}"),
            }
        })
        .collect();
    writer.join().unwrap();
    assert!(
        child.wait().unwrap().success(),
        "pymongo_policy_check.py failed"
    );
    assert_eq!(answers.len(), cases.len(), "one answer per case");
    answers
}

/// Every case through pkigen and PyMongo; the disagreements, described.
fn disagreements(cases: &[Case], answers: Vec<HarnessResult>) -> Vec<String> {
    let mut mismatches = Vec::new();
    for (case, py) in cases.iter().zip(answers) {
        let rust = rust_answer(case);
        if rust != py {
            mismatches.push(format!(
                "uri={:?} options={}\n  pkigen:  {rust:?}\n  pymongo: {py:?}",
                case.uri,
                Value::Object(case.options.clone())
            ));
        }
    }
    mismatches
}

#[test]
fn policy_agrees_with_pymongo() {
    let python = python();
    let f = fixtures();
    let cases = cases(&f);
    let answers = python_answers(&python, &cases, Path::new(env!("CARGO_MANIFEST_DIR")));
    let mismatches = disagreements(&cases, answers);
    let valid = cases
        .iter()
        .filter(|c| matches!(rust_answer(c), HarnessResult::Policy { .. }))
        .count();
    eprintln!(
        "{} cases ({valid} valid, {} errors) checked against PyMongo",
        cases.len(),
        cases.len() - valid
    );
    assert!(
        mismatches.is_empty(),
        "{} of {} cases disagree:\n{}",
        mismatches.len(),
        cases.len(),
        mismatches.join("\n")
    );
}

/// The generated corpus's seed and size: `PKIGEN_URI_CORPUS_SEED` / `_SIZE` to explore
/// further (the defaults are what CI runs).
const CORPUS_SEED: u64 = 0x5eed_0420_0001;
const CORPUS_SIZE: usize = 2400;

#[test]
fn policy_agrees_with_pymongo_on_a_generated_corpus() {
    let python = python();
    let f = fixtures();
    let seed = util::env_or("PKIGEN_URI_CORPUS_SEED", CORPUS_SEED);
    let size = util::env_or("PKIGEN_URI_CORPUS_SIZE", CORPUS_SIZE);
    let files = Files {
        ca: &f.ca,
        client: &f.client,
        crl: &f.crl,
    };
    let cases: Vec<Case> = uri_corpus::corpus(seed, size, &files)
        .into_iter()
        .map(|uri| Case {
            uri: Some(uri),
            options: Map::new(),
        })
        .collect();
    let started = std::time::Instant::now();
    let answers = python_answers(&python, &cases, Path::new(env!("CARGO_MANIFEST_DIR")));
    let python_time = started.elapsed();
    let (mut valid, mut warned, mut classes) = (0, 0, std::collections::BTreeMap::new());
    for answer in &answers {
        match answer {
            HarnessResult::Policy { warnings, .. } => {
                valid += 1;
                warned += usize::from(!warnings.is_empty());
            }
            HarnessResult::PolicyError { exception, .. } => {
                *classes.entry(exception.clone()).or_insert(0) += 1;
            }
            _ => {}
        }
    }
    let mismatches = disagreements(&cases, answers);
    eprintln!(
        "corpus seed {seed:#x}: {size} URIs, {valid} valid ({warned} with warnings), errors {classes:?}; one PyMongo process took {python_time:.2?}"
    );
    assert!(
        mismatches.is_empty(),
        "{} of {size} URIs disagree (seed {seed:#x}):\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}
