//! Every verifying case cross-checked by an independent verifier: `openssl verify` (and,
//! where available, Python's `ssl`, which is what PyMongo uses). pkigen's expectation is
//! read from the manifest; the verdict comes from OpenSSL alone.

use crate::util::{self, NOW, SCENARIOS, pem_blocks};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;
use std::path::{Path, PathBuf};

/// A case the independent verifiers can judge without a handshake.
struct Checkable {
    scenario: String,
    name: String,
    chain: PathBuf,
    ca_file: Option<PathBuf>,
    host: String,
    check_hostname: bool,
    outcome: String,
    reason: Option<String>,
    /// The CA the server requires client certificates from (mutual TLS).
    client_ca: Option<PathBuf>,
    /// The client's `tlsCertificateKeyFile`.
    key_file: Option<PathBuf>,
    /// The client's `tlsCRLFile`: `-crl_check` (leaf only, as PyMongo's VERIFY_CRL_CHECK_LEAF).
    crl_file: Option<PathBuf>,
}

impl Checkable {
    /// `scenario/case`, as the manifests' cases are named everywhere.
    fn subject(&self) -> String {
        format!("{}/{}", self.scenario, self.name)
    }
}

/// Reasons that are not about the server's chain (the client's certificate, OCSP, which
/// `openssl verify` does not consult): the chain itself must verify.
const NOT_CHAIN_REASONS: [&str; 7] = [
    "protocol-version",
    "no-shared-cipher",
    "client-cert-required",
    "client-cert-untrusted",
    "ocsp-revoked",
    "ocsp-invalid-response",
    "ocsp-must-staple",
];

fn option_true(options: &Value, name: &str) -> bool {
    options.get(name).and_then(Value::as_bool) == Some(true)
}

/// Splits every scenario's cases under `out` into those a verifier must judge and those it
/// cannot, each of the latter (by `scenario/case`) with the reason its own data gives: it
/// expects a configuration error, or its options turn verification off.
fn checkable_cases(out: &Path) -> (Vec<Checkable>, BTreeMap<String, &'static str>) {
    let mut checked = Vec::new();
    let mut skipped = BTreeMap::new();
    let dirs = util::scenario_dirs(out);
    assert!(
        !dirs.is_empty(),
        "no scenario folders under {}",
        out.display()
    );
    for dir in dirs {
        let manifest = util::read_json(&dir.join("manifest.json"));
        let scenario = manifest["scenario"].as_str().unwrap().to_string();
        let cases = manifest["cases"].as_array().expect("manifest cases");
        assert!(!cases.is_empty(), "{scenario}: no cases");
        for case in cases {
            let name = case["name"].as_str().unwrap().to_string();
            let outcome = case["expect"]["outcome"].as_str().unwrap().to_string();
            let options = &case["client"]["options"];
            if outcome == "config-error" {
                skipped.insert(format!("{scenario}/{name}"), "config-error");
                continue;
            }
            if option_true(options, "tlsInsecure")
                || option_true(options, "tlsAllowInvalidCertificates")
            {
                skipped.insert(format!("{scenario}/{name}"), "verification off");
                continue;
            }
            let file = |key: &Value| dir.join(key.as_str().expect("a file name"));
            checked.push(Checkable {
                scenario: scenario.clone(),
                name,
                chain: file(&case["server"]["certificate_chain"]),
                ca_file: options.get("tlsCAFile").map(file),
                host: case["client"]["host"].as_str().unwrap().to_string(),
                check_hostname: !option_true(options, "tlsAllowInvalidHostnames"),
                outcome,
                reason: case["expect"]["reason"].as_str().map(str::to_string),
                client_ca: case["server"]["client_ca"].as_str().map(|f| dir.join(f)),
                key_file: options.get("tlsCertificateKeyFile").map(file),
                crl_file: options.get("tlsCRLFile").map(file),
            });
        }
    }
    (checked, skipped)
}

/// Asserts the cross-check covers the catalogue: the manifests under `out` are those of
/// every scenario, each of their cases is checked or skipped (never both, never neither),
/// and every scenario has a case checked, so the test cannot pass by checking nothing, or
/// nothing of a scenario.
#[track_caller]
fn assert_covers_the_catalogue(
    out: &Path,
    checked: &[Checkable],
    skipped: &BTreeMap<String, &str>,
    key_type: &str,
) {
    let every_case: BTreeSet<String> = util::expectations(&util::scenario_dirs(out))
        .into_keys()
        .collect();
    let scenarios: BTreeSet<&str> = every_case
        .iter()
        .map(|case| case.split_once('/').expect("scenario/case").0)
        .collect();
    assert_eq!(
        scenarios,
        SCENARIOS.into_iter().collect(),
        "{key_type}: the manifests are not those of the whole catalogue"
    );
    let checked_cases: BTreeSet<String> = checked.iter().map(Checkable::subject).collect();
    assert_eq!(
        checked_cases.len(),
        checked.len(),
        "{key_type}: a case checked twice"
    );
    let both: Vec<&String> = checked_cases
        .iter()
        .filter(|case| skipped.contains_key(*case))
        .collect();
    assert!(both.is_empty(), "{key_type}: checked and skipped: {both:?}");
    let accounted: BTreeSet<String> = checked_cases
        .iter()
        .chain(skipped.keys())
        .cloned()
        .collect();
    let dropped: Vec<&String> = every_case.difference(&accounted).collect();
    let unknown: Vec<&String> = accounted.difference(&every_case).collect();
    assert!(
        dropped.is_empty() && unknown.is_empty(),
        "{key_type}: the cases checked and skipped are not the manifests' cases: neither \
         checked nor skipped {dropped:?}, in no manifest {unknown:?}"
    );
    for scenario in SCENARIOS {
        assert!(
            checked.iter().any(|case| case.scenario == scenario),
            "{key_type}: no case of {scenario} is checked against openssl; skipped: {:?}",
            skipped
                .iter()
                .filter(|(case, _)| case.starts_with(&format!("{scenario}/")))
                .collect::<Vec<_>>()
        );
    }
}

/// What OpenSSL says (in `openssl verify` and in Python's `verify_message`) for each reason.
/// A reason missing here fails the test, so new reasons get a cross-check.
fn openssl_words(reason: &str) -> &'static [&'static str] {
    match reason {
        "expired" => &["certificate has expired"],
        "not-yet-valid" => &["certificate is not yet valid"],
        "hostname-mismatch" => &["hostname mismatch", "IP address mismatch"],
        // OpenSSL 1.1 says "unsupported", 3.x "unsuitable".
        "invalid-purpose" => &[
            "unsupported certificate purpose",
            "unsuitable certificate purpose",
        ],
        "unknown-issuer" => &[
            "unable to get local issuer certificate",
            "self-signed certificate",
            "self signed certificate",
            "unable to get issuer certificate",
        ],
        "revoked" => &["certificate revoked"],
        "crl-expired" => &["CRL has expired"],
        "crl-untrusted" => &["unable to get certificate CRL"],
        other => panic!("no OpenSSL wording known for reason '{other}': extend openssl_words"),
    }
}

/// `openssl verify -purpose sslclient` of the client certificate in the case's key file
/// against the CA the server requires; returns (exit 0?, combined output).
fn openssl_verify_client(
    case: &Checkable,
    client_ca: &Path,
    key_file: &Path,
    scratch: &Path,
) -> (bool, String) {
    let blocks: Vec<String> = pem_blocks(&std::fs::read_to_string(key_file).unwrap())
        .into_iter()
        .filter(|b| b.contains("BEGIN CERTIFICATE"))
        .collect();
    assert!(
        !blocks.is_empty(),
        "{}: no certificate in the key file",
        key_file.display()
    );
    let cert = scratch.join(format!("{}-{}.client.pem", case.scenario, case.name));
    std::fs::write(&cert, &blocks[0]).unwrap();
    let mut command = util::tool("openssl");
    command
        .arg("verify")
        .args(["-purpose", "sslclient", "-CAfile"])
        .arg(client_ca)
        .arg(&cert);
    let output = command
        .output()
        .expect("openssl must be installed for this test");
    let text = format!(
        "{command:?}\n{}{}",
        util::stdout(&output),
        util::stderr(&output)
    );
    (output.status.success(), text)
}

/// Runs `openssl verify` for one case; returns (exit 0?, combined output).
fn openssl_verify(case: &Checkable, scratch: &Path) -> (bool, String) {
    let chain = std::fs::read_to_string(&case.chain).unwrap();
    let blocks = pem_blocks(&chain);
    assert!(
        !blocks.is_empty(),
        "{}: no certificate in the chain",
        case.chain.display()
    );
    let stem = format!("{}-{}", case.scenario, case.name);
    let leaf = scratch.join(format!("{stem}.leaf.pem"));
    std::fs::write(&leaf, &blocks[0]).unwrap();
    let mut command = util::tool("openssl");
    command.arg("verify").args(["-purpose", "sslserver"]);
    if blocks.len() > 1 {
        let untrusted = scratch.join(format!("{stem}.untrusted.pem"));
        std::fs::write(&untrusted, blocks[1..].concat()).unwrap();
        command.arg("-untrusted").arg(&untrusted);
    }
    if let Some(ca) = &case.ca_file {
        command.arg("-CAfile").arg(ca);
    }
    if let Some(crl) = &case.crl_file {
        command.arg("-crl_check").arg("-CRLfile").arg(crl);
    }
    if case.check_hostname {
        let flag = if case.host.parse::<IpAddr>().is_ok() {
            "-verify_ip"
        } else {
            "-verify_hostname"
        };
        command.args([flag, &case.host]);
    }
    command.arg(&leaf);
    let output = command
        .output()
        .expect("openssl must be installed for this test (the `openssl` command)");
    let text = format!(
        "{:?}\n{}{}",
        command,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

/// Judges every case of fixtures made with `key_type`: each of the whole catalogue is
/// checked against openssl or skipped for a reason of its own.
fn cross_check_with_openssl(key_type: &str, seed: u64) {
    let out = util::tempdir();
    util::generate(
        out.path(),
        &["all"],
        seed,
        NOW,
        &["--key-type", key_type, "--no-validate"],
    );
    let scratch = util::tempdir();
    let (checked, skipped) = checkable_cases(out.path());
    assert_covers_the_catalogue(out.path(), &checked, &skipped, key_type);
    let mut failures = Vec::new();
    for case in &checked {
        let (ok, text) = openssl_verify(case, scratch.path());
        let label = format!("{}/{} (expects {})", case.scenario, case.name, case.outcome);
        let client_side = case
            .reason
            .as_deref()
            .is_some_and(|r| NOT_CHAIN_REASONS.contains(&r));
        let server_expected = if client_side {
            "accept"
        } else {
            case.outcome.as_str()
        };
        match (server_expected, ok) {
            ("accept", true) => {}
            ("accept", false) => {
                failures.push(format!("{label}: openssl rejects the server\n{text}"))
            }
            ("reject", true) => {
                failures.push(format!("{label}: openssl accepts the server\n{text}"))
            }
            ("reject", false) => {
                let reason = case.reason.as_deref().expect("a reject has a reason");
                let words = openssl_words(reason);
                if !words.iter().any(|w| text.contains(w)) {
                    failures.push(format!(
                        "{label}: openssl rejects, but not with {words:?} ({reason})\n{text}"
                    ));
                }
            }
            (other, _) => failures.push(format!("{label}: unknown outcome {other}")),
        }
        // Mutual TLS: the client's certificate, judged as a client by the server's CA.
        match (&case.client_ca, &case.key_file, case.reason.as_deref()) {
            (Some(_), None, reason) => {
                if case.outcome == "accept" || reason != Some("client-cert-required") {
                    failures.push(format!(
                        "{label}: the server requires a certificate the client does not have"
                    ));
                }
            }
            (Some(client_ca), Some(key_file), reason) => {
                let (ok, text) = openssl_verify_client(case, client_ca, key_file, scratch.path());
                let untrusted = reason == Some("client-cert-untrusted");
                if ok == untrusted {
                    failures.push(format!(
                        "{label}: openssl says the client certificate is {}\n{text}",
                        if ok { "trusted" } else { "untrusted" }
                    ));
                } else if untrusted && !text.contains("unable to get local issuer certificate") {
                    failures.push(format!(
                        "{label}: openssl rejects the client certificate for another reason\n{text}"
                    ));
                }
            }
            (None, _, _) => {}
        }
    }
    println!(
        "{key_type}: openssl checked {} cases, skipped {}:",
        checked.len(),
        skipped.len()
    );
    for case in &checked {
        println!("  checked {}/{}", case.scenario, case.name);
    }
    for (case, why) in &skipped {
        println!("  skipped {case} ({why})");
    }
    assert!(
        failures.is_empty(),
        "{key_type}: {} case(s) disagree with openssl verify:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn every_chain_agrees_with_openssl_verify() {
    cross_check_with_openssl("ecdsa-p256", 7);
}

#[test]
fn ed25519_and_p384_chains_agree_with_openssl_verify() {
    for key_type in ["ed25519", "ecdsa-p384"] {
        cross_check_with_openssl(key_type, 8);
    }
}

/// Both encrypted key files of `key-password`, for each key type: `openssl pkey` opens them
/// with the right password (and the key matches the certificate that follows it), refuses
/// the wrong one, and the PKCS#8 one is PBES2 with AES-256-CBC.
#[test]
fn encrypted_keys_open_with_openssl_for_every_key_type() {
    for key_type in ["ecdsa-p256", "ecdsa-p384", "ed25519", "rsa-2048"] {
        let (_out, dir) = util::scenario("key-password", 3, &["--key-type", key_type]);
        for file in ["client-pkcs8-encrypted.pem", "client-legacy-encrypted.pem"] {
            let path = dir.join(file);
            let label = format!("{key_type} {file}");
            let run = |args: &[&str]| {
                let output = util::tool("openssl")
                    .args(args)
                    .arg("-in")
                    .arg(&path)
                    .output()
                    .expect("openssl");
                (
                    output.status.success(),
                    util::stdout(&output),
                    util::describe(&output),
                )
            };
            let (ok, key_public, text) = run(&["pkey", "-passin", "pass:test-password", "-pubout"]);
            assert!(ok, "{label}: the right password does not open it\n{text}");
            let (ok, cert_public, text) = run(&["x509", "-noout", "-pubkey"]);
            assert!(ok, "{label}: no certificate after the key\n{text}");
            assert_eq!(
                key_public, cert_public,
                "{label}: the key does not match the certificate"
            );
            let (ok, _, text) = run(&["pkey", "-passin", "pass:wrong-password", "-noout"]);
            assert!(!ok, "{label}: a wrong password opens it\n{text}");
        }
        let (_, parsed, _) = {
            let output = util::tool("openssl")
                .args(["asn1parse", "-in"])
                .arg(dir.join("client-pkcs8-encrypted.pem"))
                .output()
                .expect("openssl");
            (output.status.success(), util::stdout(&output), ())
        };
        assert!(
            parsed.contains("PBES2")
                && parsed.contains("aes-256-cbc")
                && parsed.contains("hmacWithSHA256"),
            "{key_type}: {parsed}"
        );
        let legacy = std::fs::read_to_string(dir.join("client-legacy-encrypted.pem")).unwrap();
        assert!(
            legacy.contains("Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,"),
            "{key_type}: {legacy}"
        );
    }
}

/// The CRLs: DER and PEM hold the same CRL, `openssl crl` parses the DER one, finds the
/// revoked certificate's serial with its reason, and checks each signature against its CA.
#[test]
fn crls_parse_and_verify_with_openssl() {
    let (_out, dir) = util::scenario("crl", 4, &[]);
    let openssl = |args: &[&str]| {
        let output = util::tool("openssl")
            .args(args)
            .current_dir(&dir)
            .output()
            .expect("openssl");
        (
            output.status.success(),
            util::stdout(&output) + &util::stderr(&output),
            output.stdout,
        )
    };
    let (ok, text, _) = openssl(&["crl", "-inform", "DER", "-in", "crl.der", "-noout", "-text"]);
    assert!(ok, "openssl cannot parse crl.der\n{text}");
    let serial = util::openssl_serial(&dir.join("revoked.pem"));
    assert!(
        text.contains(&format!("Serial Number: {serial}")),
        "crl.der lists {serial}\n{text}"
    );
    assert!(text.contains("Key Compromise"), "with its reason\n{text}");
    let (ok, _, der_of_pem) = openssl(&["crl", "-in", "crl.pem", "-outform", "DER"]);
    assert!(
        ok && der_of_pem == std::fs::read(dir.join("crl.der")).unwrap(),
        "crl.pem and crl.der differ"
    );
    for (crl, signer, good) in [
        ("crl.pem", "ca.pem", true),
        ("crl-stale.pem", "ca.pem", true),
        ("crl-foreign.pem", "ca.pem", false),
        ("crl-foreign.pem", "foreign-ca.pem", true),
    ] {
        let (_, text, _) = openssl(&["crl", "-in", crl, "-CAfile", signer, "-noout"]);
        assert_eq!(
            text.contains("verify OK"),
            good,
            "{crl} signed by {signer}: {text}"
        );
        // A refusal for the right reason, not a file openssl could not load.
        assert!(
            good || text.contains("Error getting CRL issuer certificate"),
            "{crl} signed by {signer}: {text}"
        );
    }
}
