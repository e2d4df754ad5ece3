//! Every verifying case cross-checked by an independent verifier: `openssl verify` (and,
//! where available, Python's `ssl`, which is what PyMongo uses). pkigen's expectation is
//! read from the manifest; the verdict comes from OpenSSL alone.

use crate::util::{self, NOW, pem_blocks};
use serde_json::Value;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

/// A case the independent verifiers can judge without a handshake.
struct Checkable {
    scenario: String,
    name: String,
    dir: PathBuf,
    chain: PathBuf,
    key: PathBuf,
    ca_file: Option<PathBuf>,
    host: String,
    check_hostname: bool,
    outcome: String,
    reason: Option<String>,
}

fn option_true(options: &Value, name: &str) -> bool {
    options.get(name).and_then(Value::as_bool) == Some(true)
}

/// Splits every scenario's cases under `out` into those a verifier must judge and those it
/// cannot (configuration errors and cases that verify nothing), naming the latter.
fn checkable_cases(out: &Path) -> (Vec<Checkable>, Vec<String>) {
    let mut checked = Vec::new();
    let mut skipped = Vec::new();
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
                skipped.push(format!("{scenario}/{name} (config-error)"));
                continue;
            }
            if option_true(options, "tlsInsecure")
                || option_true(options, "tlsAllowInvalidCertificates")
            {
                skipped.push(format!("{scenario}/{name} (verification off)"));
                continue;
            }
            let file = |key: &Value| dir.join(key.as_str().expect("a file name"));
            checked.push(Checkable {
                scenario: scenario.clone(),
                name,
                chain: file(&case["server"]["certificate_chain"]),
                key: file(&case["server"]["private_key"]),
                ca_file: options.get("tlsCAFile").map(file),
                host: case["client"]["host"].as_str().unwrap().to_string(),
                check_hostname: !option_true(options, "tlsAllowInvalidHostnames"),
                outcome,
                reason: case["expect"]["reason"].as_str().map(str::to_string),
                dir: dir.clone(),
            });
        }
    }
    (checked, skipped)
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
        other => panic!("no OpenSSL wording known for reason '{other}': extend openssl_words"),
    }
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

/// Judges every case of fixtures made with `key_type`, returning how many were checked.
fn cross_check_with_openssl(key_type: &str, seed: u64) -> usize {
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
    let mut failures = Vec::new();
    for case in &checked {
        let (ok, text) = openssl_verify(case, scratch.path());
        let label = format!("{}/{} (expects {})", case.scenario, case.name, case.outcome);
        match (case.outcome.as_str(), ok) {
            ("accept", true) => {}
            ("accept", false) => failures.push(format!("{label}: openssl rejects\n{text}")),
            ("reject", true) => failures.push(format!("{label}: openssl accepts\n{text}")),
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
    }
    println!(
        "{key_type}: openssl checked {} cases, skipped {}:",
        checked.len(),
        skipped.len()
    );
    for case in &checked {
        println!("  checked {}/{}", case.scenario, case.name);
    }
    for name in &skipped {
        println!("  skipped {name}");
    }
    assert!(
        failures.is_empty(),
        "{key_type}: {} case(s) disagree with openssl verify:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    checked.len()
}

/// Cases that verify certificates in the current registry: enable-tls 3, ca-file 4,
/// insecure-tls 7 certificates × 2 verifying policies (default, allow-invalid-hostnames).
/// A floor, so the test cannot pass by checking nothing.
const MIN_CHECKED: usize = 21;

#[test]
fn every_chain_agrees_with_openssl_verify() {
    let checked = cross_check_with_openssl("ecdsa-p256", 7);
    assert!(
        checked >= MIN_CHECKED,
        "only {checked} cases were checked against openssl (expected at least {MIN_CHECKED})"
    );
}

#[test]
fn ed25519_and_p384_chains_agree_with_openssl_verify() {
    for key_type in ["ed25519", "ecdsa-p384"] {
        let checked = cross_check_with_openssl(key_type, 8);
        assert!(checked >= MIN_CHECKED, "{key_type}: only {checked} checked");
    }
}

/// One in-memory TLS handshake per case with Python's `ssl` configured as PyMongo
/// configures it (CERT_REQUIRED; check_hostname unless tlsAllowInvalidHostnames; tlsCAFile
/// or the system roots). Prints one JSON object: case id → "accept" or "reject: MESSAGE".
const PYTHON_HANDSHAKES: &str = r#"
import json, ssl, sys

def handshake(case):
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_ctx.load_cert_chain(case["chain"], case["key"])
    client_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    client_ctx.verify_mode = ssl.CERT_REQUIRED
    client_ctx.check_hostname = case["check_hostname"]
    if case["ca_file"]:
        client_ctx.load_verify_locations(cafile=case["ca_file"])
    else:
        client_ctx.load_default_certs()
    c_in, c_out, s_in, s_out = (ssl.MemoryBIO() for _ in range(4))
    client = client_ctx.wrap_bio(c_in, c_out, server_hostname=case["host"])
    server = server_ctx.wrap_bio(s_in, s_out, server_side=True)
    client_done = server_done = False
    for _ in range(50):
        if not client_done:
            try:
                client.do_handshake()
                client_done = True
            except ssl.SSLWantReadError:
                pass
            except ssl.SSLCertVerificationError as e:
                return "reject: " + str(e.verify_message)
            except ssl.SSLError as e:
                return "client-error: " + str(e)
        s_in.write(c_out.read())
        if not server_done:
            try:
                server.do_handshake()
                server_done = True
            except ssl.SSLWantReadError:
                pass
            except ssl.SSLError as e:
                return "server-error: " + str(e)
        c_in.write(s_out.read())
        if client_done and server_done:
            return "accept"
    return "stuck"

cases = json.load(open(sys.argv[1]))
print(json.dumps({case["id"]: handshake(case) for case in cases}))
"#;

#[test]
fn python_ssl_agrees_with_each_verifying_case() {
    if !util::has_tool("python3") {
        println!("skipped: python3 not found");
        return;
    }
    let out = util::tempdir();
    util::generate(out.path(), &["all"], 9, NOW, &["--no-validate"]);
    let (checked, _) = checkable_cases(out.path());
    assert!(checked.len() >= MIN_CHECKED, "only {} cases", checked.len());
    let id = |c: &Checkable| format!("{}/{}", c.scenario, c.name);
    let input: Vec<Value> = checked
        .iter()
        .map(|c| {
            serde_json::json!({
                "id": id(c),
                "chain": c.chain,
                "key": c.key,
                "ca_file": c.ca_file,
                "host": c.host,
                "check_hostname": c.check_hostname,
            })
        })
        .collect();
    let scratch = util::tempdir();
    let script = scratch.path().join("handshakes.py");
    let cases_file = scratch.path().join("cases.json");
    std::fs::write(&script, PYTHON_HANDSHAKES).unwrap();
    std::fs::write(&cases_file, serde_json::to_vec(&input).unwrap()).unwrap();
    let output = util::tool("python3")
        .arg(&script)
        .arg(&cases_file)
        .current_dir(&checked[0].dir)
        .output()
        .expect("run python3");
    assert!(
        output.status.success(),
        "python3 failed:\n{}",
        util::describe(&output)
    );
    let results = util::parse_json(&util::stdout(&output), "python results");
    let mut failures = Vec::new();
    for case in &checked {
        let observed = results[id(case)].as_str().unwrap_or("(missing)");
        let agrees = match case.outcome.as_str() {
            "accept" => observed == "accept",
            _ => {
                let words = openssl_words(case.reason.as_deref().unwrap());
                observed.starts_with("reject: ")
                    && words
                        .iter()
                        .any(|w| observed.to_lowercase().contains(&w.to_lowercase()))
            }
        };
        println!(
            "  {:<50} expects {:<8} {:<16} python: {observed}",
            id(case),
            case.outcome,
            case.reason.as_deref().unwrap_or(""),
        );
        if !agrees {
            failures.push(format!(
                "{}: expects {} {:?}, python ssl: {observed}",
                id(case),
                case.outcome,
                case.reason
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "python ssl disagrees:\n  {}",
        failures.join("\n  ")
    );
}
