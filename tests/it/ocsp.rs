//! The ocsp scenario's files judged by engines pkigen does not control: `openssl ocsp`
//! reads every response (status, signature, validity), asks pkigen's responder over HTTP,
//! and pyca/cryptography parses every response.

use crate::python::python;
use crate::util;
use std::path::Path;

/// Each response file of the scenario: the certificate it is about, the status it must
/// report, and whether its signature must verify against the CA (foreign and EKU-less
/// signers must not) — the scenario's definition, restated.
const RESPONSES: [(&str, &str, &str, bool); 8] = [
    ("ocsp-good.der", "server.pem", "good", true),
    ("ocsp-revoked.der", "revoked.pem", "revoked", true),
    (
        "ocsp-must-staple-revoked.der",
        "must-staple-revoked.pem",
        "revoked",
        true,
    ),
    ("ocsp-unknown.der", "server.pem", "unknown", true),
    ("ocsp-stale.der", "server.pem", "good", true),
    ("ocsp-foreign.der", "server.pem", "good", false),
    ("ocsp-delegated.der", "server.pem", "good", true),
    ("ocsp-delegated-no-eku.der", "server.pem", "good", false),
];

fn openssl_in(dir: &Path, args: &[&str]) -> (bool, String) {
    let output = util::tool("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl");
    (
        output.status.success(),
        util::stdout(&output) + &util::stderr(&output),
    )
}

#[test]
fn every_response_reads_as_declared_with_openssl_ocsp() {
    let (_out, dir) = util::scenario("ocsp", 5, &[]);
    for (file, cert, status, verifies) in RESPONSES {
        let (_, text) = openssl_in(
            &dir,
            &[
                "ocsp",
                "-respin",
                file,
                "-issuer",
                "ca.pem",
                "-cert",
                cert,
                "-CAfile",
                "ca.pem",
                "-resp_text",
            ],
        );
        assert!(
            text.contains("OCSP Response Status: successful"),
            "{file}\n{text}"
        );
        assert!(
            text.contains(&format!("Cert Status: {status}")),
            "{file}: {status}\n{text}"
        );
        // A stale response's status follows OpenSSL's warning on its own line.
        let about = if file == "ocsp-stale.der" {
            text.contains(&format!("{cert}: WARNING: Status times invalid."))
                && text.contains(&format!("\n{status}\n"))
        } else {
            text.contains(&format!("{cert}: {status}"))
        };
        assert!(about, "{file}: the response is about {cert}\n{text}");
        assert_eq!(
            text.contains("Response verify OK"),
            verifies,
            "{file}: verifies? {verifies}\n{text}"
        );
        if !verifies {
            assert!(text.contains("Response Verify Failure"), "{file}\n{text}");
        }
        if status == "revoked" {
            assert!(
                text.contains("Revocation Reason: keyCompromise"),
                "{file}\n{text}"
            );
        }
        assert_eq!(
            text.contains("Status times invalid"),
            file == "ocsp-stale.der",
            "{file}: only the stale one is out of date\n{text}"
        );
    }
}

#[test]
fn certificates_name_the_responder_and_must_staple() {
    let (_out, dir) = util::scenario("ocsp", 5, &[]);
    let manifest = util::read_json(&dir.join("manifest.json"));
    let url = manifest["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|c| c["server"]["ocsp_responder"]["url"].as_str())
        .expect("a case with a responder")
        .to_string();
    for (cert, expected) in [
        ("server.pem", url.as_str()),
        ("soft-fail.pem", "http://127.0.0.1:1/ocsp"),
    ] {
        let (ok, text) = openssl_in(&dir, &["x509", "-in", cert, "-noout", "-ocsp_uri"]);
        assert!(ok && text.trim() == expected, "{cert}: {text}");
    }
    let (_, text) = openssl_in(
        &dir,
        &["x509", "-in", "must-staple-revoked.pem", "-noout", "-text"],
    );
    assert!(
        text.contains("TLS Feature") && text.contains("status_request"),
        "{text}"
    );
    let (_, text) = openssl_in(&dir, &["x509", "-in", "server.pem", "-noout", "-text"]);
    assert!(
        !text.contains("TLS Feature"),
        "only the must-staple certificate has it\n{text}"
    );
}

#[test]
fn the_responder_answers_openssl_over_http() {
    let (_out, dir) = util::scenario("ocsp", 6, &[]);
    let manifest = pkigen::fixtures::manifest::Manifest::load(&dir).unwrap();
    let spec = manifest
        .cases
        .iter()
        .find_map(|c| c.server.ocsp_responder.clone())
        .expect("a responder");
    let responder = pkigen::run::validate::start_responder(&dir, &spec).unwrap();
    let url = format!("http://{}/ocsp", responder.local_addr());
    for (cert, status) in [
        ("server.pem", "good"),
        ("revoked.pem", "revoked"),
        ("must-staple-revoked.pem", "revoked"),
    ] {
        let (_, text) = openssl_in(
            &dir,
            &[
                "ocsp",
                "-issuer",
                "ca.pem",
                "-cert",
                cert,
                "-url",
                &url,
                "-CAfile",
                "ca.pem",
                "-resp_text",
            ],
        );
        assert!(
            text.contains("Response verify OK") && text.contains(&format!("{cert}: {status}")),
            "{cert}\n{text}"
        );
    }
    let (_, text) = openssl_in(
        &dir,
        &[
            "ocsp",
            "-issuer",
            "ca.pem",
            "-cert",
            "soft-fail.pem",
            "-url",
            &url,
        ],
    );
    assert!(
        text.contains("Responder Error: unauthorized"),
        "a serial it does not know\n{text}"
    );
    assert_eq!(responder.requests_served(), 4);
}

#[test]
fn pyca_cryptography_parses_every_response() {
    let (_out, dir) = util::scenario("ocsp", 5, &[]);
    let script = r#"
import json, sys
from cryptography import x509
from cryptography.x509 import ocsp
out = {}
for file, cert in json.loads(sys.argv[1]):
    response = ocsp.load_der_ocsp_response(open(file, "rb").read())
    leaf = x509.load_pem_x509_certificate(open(cert, "rb").read())
    out[file] = {
        "status": response.response_status.name,
        "cert_status": response.certificate_status.name,
        "serial_matches": response.serial_number == leaf.serial_number,
        "certificates": len(response.certificates),
    }
print(json.dumps(out))
"#;
    let pairs: Vec<(&str, &str)> = RESPONSES.iter().map(|(f, c, _, _)| (*f, *c)).collect();
    let output = util::tool(python())
        .args(["-c", script, &serde_json::to_string(&pairs).unwrap()])
        .current_dir(&dir)
        .output()
        .expect("python");
    util::assert_exit(&output, 0, "pyca/cryptography reading every response");
    let parsed = util::parse_json(&util::stdout(&output), "cryptography's reading");
    for (file, _, status, _) in RESPONSES {
        let r = &parsed[file];
        assert_eq!(r["status"], "SUCCESSFUL", "{file}: {r}");
        assert_eq!(r["cert_status"], status.to_uppercase(), "{file}: {r}");
        assert_eq!(r["serial_matches"], true, "{file}: {r}");
        let delegated = file.starts_with("ocsp-delegated");
        assert_eq!(
            r["certificates"],
            if delegated { 1 } else { 0 },
            "{file}: {r}"
        );
    }
}

#[test]
fn inspect_shows_status_certid_responder_and_dates() {
    let (_out, dir) = util::scenario("ocsp", 5, &[]);
    let serial = util::openssl_serial(&dir.join("revoked.pem")).to_lowercase();
    let output = util::run([
        "inspect".as_ref(),
        dir.join("ocsp-revoked.der").as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    util::assert_exit(&output, 0, "inspect an OCSP response");
    let value = util::parse_json(&util::stdout(&output), "inspect --format json");
    let item = &value[0]["items"][0];
    assert_eq!(item["type"], "ocsp-response", "{value:#}");
    assert_eq!(item["response_status"], "successful", "{value:#}");
    assert_eq!(
        item["responder_id"], "byName: O=pkigen test PKI, CN=pkigen ocsp CA",
        "{value:#}"
    );
    let single = &item["responses"][0];
    assert_eq!(
        single["serial"].as_str().unwrap().replace(':', ""),
        serial,
        "{value:#}"
    );
    assert_eq!(single["status"], "revoked", "{value:#}");
    assert_eq!(single["revocation_reason"], "keyCompromise", "{value:#}");
    assert!(
        single["this_update"].is_string() && single["next_update"].is_string(),
        "{value:#}"
    );
    let text = util::run([
        "inspect".as_ref(),
        dir.join("ocsp-delegated.der").as_os_str(),
    ]);
    assert!(
        util::stdout(&text).contains("1 included"),
        "{}",
        util::stdout(&text)
    );
}
