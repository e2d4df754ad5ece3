//! Cross-checks with engines pkigen does not control: `openssl ocsp`, Python's
//! cryptography, and PyMongo's own `_verify_response`.

use super::*;
use der::Encode;

/// `openssl ocsp` on a response: (verified, output).
fn openssl_ocsp(dir: &Path, response: &[u8], name: &str) -> (bool, String) {
    let resp = write(dir, &format!("{name}.der"), response);
    let ca = dir.join("ca.pem");
    let leaf = dir.join("leaf.pem");
    let output = tool("openssl")
        .args(["ocsp", "-respin", &resp, "-resp_text"])
        .arg("-issuer")
        .arg(&ca)
        .arg("-cert")
        .arg(&leaf)
        .arg("-CAfile")
        .arg(&ca)
        .output()
        .expect("openssl must be installed for this test");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (text.contains("Response verify OK"), text)
}

#[test]
fn openssl_verifies_what_we_accept_and_refuses_what_we_refuse() {
    // Response times around the real clock: openssl checks them against it.
    let now = OffsetDateTime::now_utc().replace_nanosecond(0).unwrap();
    let timely = |status| params_at(now, status);
    for key_type in KEY_TYPES {
        let dir = tempfile::tempdir().unwrap();
        let (ca, leaf) = ca_and_leaf(key_type);
        write(dir.path(), "ca.pem", ca.pem());
        write(dir.path(), "leaf.pem", leaf.pem());
        let statuses: &[(CertStatus, &str)] = if key_type == KeyType::EcdsaP256 {
            &[
                (CertStatus::Good, "good"),
                (revoked(), "revoked"),
                (CertStatus::Unknown, "unknown"),
            ]
        } else {
            &[(CertStatus::Good, "good")]
        };
        for (status, word) in statuses {
            let der = by_ca(&timely(*status), &ca, &leaf);
            let (ok, text) = openssl_ocsp(dir.path(), &der, word);
            assert!(ok, "{key_type} {word}: {text}");
            assert!(
                text.contains(&format!("leaf.pem: {word}")),
                "{key_type}: {text}"
            );
            assert!(!text.contains("Status times invalid"), "{key_type}: {text}");
        }
        let broken = broken(&ca, &leaf, &timely(CertStatus::Good));
        let (ok, text) = openssl_ocsp(dir.path(), &broken.delegate, "delegate");
        assert!(ok, "{key_type} delegate: {text}");
        assert!(text.contains("leaf.pem: good"), "{key_type}: {text}");
        for (name, der) in [
            ("foreign-key", &broken.foreign_key_with_ca_name),
            ("foreign-ca", &broken.foreign_ca_name),
            ("no-eku", &broken.delegate_without_eku),
        ] {
            let (ok, text) = openssl_ocsp(dir.path(), der, name);
            assert!(!ok, "{key_type} {name} verified: {text}");
            assert!(
                text.contains("Response Verify Failure"),
                "{key_type} {name}: {text}"
            );
        }
        // OpenSSL reads our request as one for the leaf.
        let req = write(
            dir.path(),
            "req.der",
            request_der(leaf.der(), ca.der()).unwrap(),
        );
        let output = tool("openssl")
            .args(["ocsp", "-reqin", &req, "-req_text", "-noverify"])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&output.stdout);
        let serial = serial_of(leaf.der());
        let serial_hex = hex::encode_upper(serial.as_bytes());
        assert!(text.contains("Hash Algorithm: sha1"), "{text}");
        assert!(text.contains(&serial_hex), "{serial_hex} not in {text}");
    }
}

/// A Python that imports `module`: `$PKIGEN_PYTHON` (or `$PKIGEN_PYTHON_OCSP` for `ocsp`),
/// else the integration tests' venv of that flavour (`target/pyenv`: PyMongo 4.20.1 and
/// pyca/cryptography; `target/pyenv-ocsp`: `pymongo[ocsp]`), made by
/// `tests/python/ensure_venv.sh` if missing. A cross-check with no engine to run fails; it
/// never skips.
fn python_with(flavour: Flavour, module: &str) -> String {
    static PLAIN: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    static OCSP: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let (cell, variable, dir, name) = match flavour {
        Flavour::Plain => (&PLAIN, "PKIGEN_PYTHON", "target/pyenv", "plain"),
        Flavour::Ocsp => (&OCSP, "PKIGEN_PYTHON_OCSP", "target/pyenv-ocsp", "ocsp"),
    };
    let python = cell.get_or_init(|| {
        if let Ok(python) = std::env::var(variable) {
            return python;
        }
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let venv = root.join(dir);
        let made = Command::new("sh")
            .arg(root.join("tests/python/ensure_venv.sh"))
            .arg(&venv)
            .arg(name)
            .stderr(std::process::Stdio::inherit())
            .output()
            .expect("run tests/python/ensure_venv.sh");
        assert!(
            made.status.success(),
            "ensure_venv.sh {dir} {name} failed; set {variable} to a prepared python"
        );
        venv.join("bin/python").to_string_lossy().into_owned()
    });
    let imports = tool(python)
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(imports, "{python} cannot import {module}");
    python.clone()
}

/// Which of the integration tests' venvs a cross-check runs in.
enum Flavour {
    Plain,
    Ocsp,
}

const PY_LOAD: &str = r#"
import sys
from cryptography.x509 import ocsp
for path in sys.argv[1:]:
    r = ocsp.load_der_ocsp_response(open(path, "rb").read())
    reason = r.revocation_reason.name if r.revocation_reason else None
    print(r.response_status.name, r.certificate_status.name, format(r.serial_number, "x"),
          r.signature_algorithm_oid.dotted_string, len(r.certificates), reason)
"#;

#[test]
fn python_cryptography_loads_every_response() {
    let python = python_with(Flavour::Plain, "cryptography.x509.ocsp");
    let dir = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    let mut expected = Vec::new();
    for (key_type, oid) in KEY_TYPES.into_iter().zip([
        "1.2.840.10045.4.3.2",
        "1.2.840.10045.4.3.3",
        "1.3.101.112",
        "1.2.840.113549.1.1.11",
    ]) {
        let (ca, leaf) = ca_and_leaf(key_type);
        let serial = serial_of(leaf.der());
        let serial = hex::encode(serial.as_bytes())
            .trim_start_matches('0')
            .to_string();
        for (status, word) in [
            (CertStatus::Good, "GOOD None"),
            (revoked(), "REVOKED key_compromise"),
            (CertStatus::Unknown, "UNKNOWN None"),
        ] {
            let der = by_ca(&params(status), &ca, &leaf);
            paths.push(write(dir.path(), &format!("{key_type}-{word}.der"), der));
            let (status, reason) = word.split_once(' ').unwrap();
            expected.push(format!("SUCCESSFUL {status} {serial} {oid} 0 {reason}"));
        }
        let broken = broken(&ca, &leaf, &params(CertStatus::Good));
        for (name, der) in [
            ("delegate", &broken.delegate),
            ("foreign-key", &broken.foreign_key_with_ca_name),
            ("no-eku", &broken.delegate_without_eku),
        ] {
            paths.push(write(dir.path(), &format!("{key_type}-{name}.der"), der));
            expected.push(format!("SUCCESSFUL GOOD {serial} {oid} 1 None"));
        }
    }
    let output = tool(&python)
        .args(["-c", PY_LOAD])
        .args(&paths)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines, expected);
}

const PY_PYMONGO: &str = r#"
import sys
from cryptography import x509
from cryptography.x509 import ocsp
from pymongo.ocsp_support import _verify_response
issuer = x509.load_der_x509_certificate(open(sys.argv[1], "rb").read())
for path in sys.argv[2:]:
    try:
        r = ocsp.load_der_ocsp_response(open(path, "rb").read())
        ok = r.response_status == ocsp.OCSPResponseStatus.SUCCESSFUL and _verify_response(issuer, r)
        print("accept " + r.certificate_status.name if ok else "reject")
    except Exception as e:
        print("error " + type(e).__name__)
"#;

/// PyMongo's own `_verify_response` (pymongo/ocsp_support.py, the staple path's check after
/// the status) agrees with `verify_response` on every fixture, except the one documented
/// difference: PyMongo never compares the staple's CertID with the leaf.
#[test]
fn pymongo_verify_response_agrees() {
    let python = python_with(Flavour::Ocsp, "pymongo.ocsp_support");
    // PyMongo checks against the wall clock.
    let now = OffsetDateTime::now_utc().replace_nanosecond(0).unwrap();
    let timely = |status| params_at(now, status);
    let verdict = |result: Result<CertStatus, ResponseError>| match result {
        Ok(CertStatus::Good) => "accept GOOD",
        Ok(CertStatus::Revoked { .. }) => "accept REVOKED",
        Ok(CertStatus::Unknown) => "accept UNKNOWN",
        Err(_) => "reject",
    };
    for key_type in KEY_TYPES {
        let dir = tempfile::tempdir().unwrap();
        let (ca, leaf) = ca_and_leaf(key_type);
        let other = self::leaf(&ca, 3, Purpose::ServerAuth);
        let broken = broken(&ca, &leaf, &timely(CertStatus::Good));
        let impostor = self::ca(key_type, 901, "pkigen OCSP CA");
        let impostor_delegate = self::leaf(&impostor, 905, Purpose::OcspSigning);
        let mut tampered = by_ca(&timely(CertStatus::Good), &ca, &leaf);
        *tampered.last_mut().unwrap() ^= 1;
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("good", by_ca(&timely(CertStatus::Good), &ca, &leaf)),
            ("revoked", by_ca(&timely(revoked()), &ca, &leaf)),
            ("unknown", by_ca(&timely(CertStatus::Unknown), &ca, &leaf)),
            (
                "stale",
                by_ca(
                    &OcspParams {
                        this_update: now - Duration::days(2),
                        next_update: Some(now - Duration::days(1)),
                        ..timely(CertStatus::Good)
                    },
                    &ca,
                    &leaf,
                ),
            ),
            (
                "future",
                by_ca(
                    &OcspParams {
                        this_update: now + Duration::hours(1),
                        ..timely(CertStatus::Good)
                    },
                    &ca,
                    &leaf,
                ),
            ),
            ("tampered", tampered),
            ("foreign-key", broken.foreign_key_with_ca_name),
            ("foreign-ca", broken.foreign_ca_name),
            ("no-eku", broken.delegate_without_eku),
            ("delegate", broken.delegate),
            (
                "impostor-delegate",
                timely(CertStatus::Good)
                    .signed_by(
                        &leaf,
                        &ca,
                        Signer::Delegate(&impostor_delegate),
                        SignerCertificate::Included,
                    )
                    .unwrap()
                    .der()
                    .to_vec(),
            ),
            (
                "try-later",
                x509_ocsp::OcspResponse::try_later().to_der().unwrap(),
            ),
            (
                "other-serial",
                by_ca(&timely(CertStatus::Good), &ca, &other),
            ),
        ];
        let issuer = write(dir.path(), "ca.der", ca.der());
        let paths: Vec<String> = cases
            .iter()
            .map(|(name, der)| write(dir.path(), &format!("{name}.der"), der))
            .collect();
        let output = tool(&python)
            .args(["-c", PY_PYMONGO, &issuer])
            .args(&paths)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{stdout}{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let pymongo: Vec<&str> = stdout.lines().collect();
        assert_eq!(pymongo.len(), cases.len(), "{stdout}");
        for ((name, der), pymongo) in cases.iter().zip(pymongo) {
            let ours = verify_response(der, leaf.der(), ca.der(), now);
            if *name == "other-serial" {
                // The documented difference: PyMongo takes a staple about another
                // certificate at its word.
                assert_eq!(ours, Err(ResponseError::NoMatchingCertId));
                assert_eq!(pymongo, "accept GOOD", "{key_type} {name}");
            } else {
                assert_eq!(
                    pymongo,
                    verdict(ours.clone()),
                    "{key_type} {name}: {ours:?}"
                );
            }
        }
    }
}
