//! The fuzz targets' seed corpus (`fuzz/corpus/TARGET/`), replayed on stable in the normal
//! test run: every file goes through the library exactly as its `cargo fuzz` target feeds it
//! (nothing is shared with `fuzz/`; the calls are repeated here). A panic fails the test.
//! Inputs that once crashed a target belong in that target's corpus, so they stay fixed.

use pkigen::fixtures::manifest::{Manifest, manifest_relative};
use std::path::{Component, Path, PathBuf};
use std::time::{Duration, Instant};
use time::macros::datetime;

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// The files of `fuzz/corpus/TARGET/`, sorted; there must be some.
fn corpus(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = fuzz_dir().join("corpus").join(target);
    let mut files: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("corpus entry").path())
        .filter(|path| path.is_file())
        .map(|path| {
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            (path, bytes)
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{}: an empty corpus", dir.display());
    files
}

/// `inspect_bytes` as the `inspect` and `crl` targets call it; an error must be one line
/// that names the file. Returns whether the input was described.
fn inspect(path: &Path, bytes: &[u8]) -> bool {
    match pkigen::fixtures::inspect::inspect_bytes(path, bytes) {
        Ok(items) => {
            assert!(
                !items.is_empty(),
                "{}: described as nothing",
                path.display()
            );
            true
        }
        Err(e) => {
            assert_one_line_naming(&e.to_string(), path);
            false
        }
    }
}

fn assert_one_line_naming(message: &str, path: &Path) {
    assert!(!message.contains('\n'), "not one line: {message:?}");
    assert!(
        message.contains(&path.display().to_string()),
        "does not name {}: {message}",
        path.display()
    );
}

/// A seed named `refused-*` must be refused, `crash-*` (an input that once crashed a target)
/// may go either way, and any other is a real certificate, chain or key that must be
/// described: a parser change that refuses them shows up here, not only as a fuzzer that
/// stops reaching anything.
fn expect_described(path: &Path) -> Option<bool> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    if name.starts_with("crash-") {
        None
    } else {
        Some(!name.starts_with("refused-"))
    }
}

#[test]
fn inspect_corpus_replays() {
    for (path, bytes) in corpus("inspect") {
        let described = inspect(&path, &bytes);
        if let Some(expected) = expect_described(&path) {
            assert_eq!(described, expected, "{}: described?", path.display());
        }
    }
}

#[test]
fn crl_corpus_replays() {
    let files = corpus("crl");
    for (path, bytes) in &files {
        let described = inspect(path, bytes);
        match expect_described(path) {
            Some(true) => assert!(described, "{}: refused", path.display()),
            Some(false) => assert!(!described, "{}: described", path.display()),
            None => {}
        }
        if !described {
            continue;
        }
        let items = pkigen::fixtures::inspect::inspect_bytes(path, bytes).expect("described");
        assert!(
            items
                .iter()
                .all(|item| matches!(item, pkigen::fixtures::inspect::Item::Crl(_))),
            "{}: not described as a CRL",
            path.display()
        );
    }
}

#[test]
fn ocsp_corpus_replays() {
    // The fixed leaf and issuer of the `ocsp` target: the `ocsp` scenario's server.pem and
    // ca.pem (seed 1), which the corpus's responses are about.
    let leaf = std::fs::read(fuzz_dir().join("fixtures/ocsp-leaf.der")).expect("leaf");
    let issuer = std::fs::read(fuzz_dir().join("fixtures/ocsp-issuer.der")).expect("issuer");
    let now = datetime!(2026-01-01 00:00 UTC);
    for (path, bytes) in corpus("ocsp") {
        let described = pkigen::ocsp::describe(&bytes);
        if let Err(e) = &described {
            assert!(!e.contains('\n'), "{}: not one line: {e:?}", path.display());
        }
        let verified = pkigen::ocsp::verify_response(&bytes, &leaf, &issuer, now);
        if path.file_name().is_some_and(|n| n == "ocsp-good.der") {
            // Keeps the fixtures and the corpus about the same certificate, so the fuzzer
            // reaches the signature and time checks rather than stopping at the CertID.
            assert_eq!(described.expect("described").response_status, "successful");
            assert_eq!(
                verified,
                Ok(pkigen::ocsp::CertStatus::Good),
                "{}",
                path.display()
            );
        }
    }
}

#[test]
fn manifest_corpus_replays() {
    let dir = Path::new("/fixtures");
    for (path, bytes) in corpus("manifest") {
        let manifest: Manifest = serde_json::from_slice(&bytes)
            .unwrap_or_else(|e| panic!("{}: not a manifest: {e}", path.display()));
        let mut paths: Vec<&str> = manifest.files.iter().map(|f| f.path.as_str()).collect();
        for case in &manifest.cases {
            paths.extend(case.files());
            let _ = pkigen::policy::TlsPolicy::from_uri(
                pkigen::policy::Driver::PyMongo,
                &case.client.uri,
            );
        }
        for relative in paths {
            let resolved = manifest_relative(dir, relative)
                .unwrap_or_else(|e| panic!("{}: {relative}: {e}", path.display()));
            let inside = resolved
                .strip_prefix(dir)
                .expect("under the fixture folder");
            assert!(
                inside
                    .components()
                    .all(|c| matches!(c, Component::Normal(_)))
            );
        }
    }
    // And the refusals the fuzzer checks for: nothing escapes the folder.
    for escape in ["", "/etc/passwd", "../x", "a/../../x", "./a", "a/./../b"] {
        let e = manifest_relative(dir, escape).expect_err(escape);
        assert!(!e.to_string().contains('\n'), "{escape:?}: {e}");
    }
}

#[test]
fn uri_corpus_replays() {
    for (path, bytes) in corpus("uri") {
        let uri = std::str::from_utf8(&bytes)
            .unwrap_or_else(|e| panic!("{}: not UTF-8: {e}", path.display()));
        if let Err(e) = pkigen::policy::TlsPolicy::from_uri(pkigen::policy::Driver::PyMongo, uri) {
            assert!(
                !e.to_string().contains('\n'),
                "{}: not one line: {e}",
                path.display()
            );
        }
    }
}

/// The `files` target's calls: what `validate` and `check` do with a fixture file. Every
/// refusal is one line; the real fixtures in the corpus are read as their names say.
#[test]
fn files_corpus_replays() {
    use pkigen::fixtures::manifest::{FileEntry, FileKind};
    use pkigen::internals::identity::{KeyFileError, load_key_file};
    use pkigen::run::validate::{read_certificates, read_crls, read_private_key};
    use sha2::{Digest, Sha256};

    const PASSWORD: &str = "test-password";
    fn one_line<T>(result: &Result<T, impl std::fmt::Display>, path: &Path) {
        if let Err(e) = result {
            let message = e.to_string();
            assert!(
                !message.contains('\n'),
                "{}: not one line: {message:?}",
                path.display()
            );
        }
    }
    let dir = crate::util::tempdir();
    let file = "fuzz.pem";
    let path = dir.path().join(file);
    for (seed, bytes) in corpus("files") {
        std::fs::write(&path, &bytes).unwrap();
        let name = seed.file_name().unwrap().to_str().unwrap();
        let certificates = read_certificates(dir.path(), file);
        let crls = read_crls(dir.path(), file);
        let key = read_private_key(dir.path(), file);
        let plain = load_key_file(&path, None);
        let with_password = load_key_file(&path, Some(PASSWORD));
        one_line(&certificates, &seed);
        one_line(&crls, &seed);
        one_line(&key, &seed);
        one_line(&plain, &seed);
        one_line(&with_password, &seed);
        let manifest = Manifest {
            schema: 1,
            generator: "fuzz".into(),
            scenario: "fuzz".into(),
            seed: 1,
            now: datetime!(2026-01-01 00:00 UTC),
            key_type: pkigen::KeyType::EcdsaP256,
            files: vec![FileEntry {
                path: file.into(),
                sha256: hex::encode(Sha256::digest(&bytes)),
                kind: FileKind::Certificate,
                encrypted: false,
                shared_key: None,
            }],
            cases: Vec::new(),
        };
        let checked = pkigen::fixtures::check::check(
            dir.path(),
            &manifest,
            datetime!(2026-01-02 00:00 UTC),
            time::Duration::days(30),
        );
        one_line(&checked, &seed);

        let has_certificate = bytes
            .windows(27)
            .any(|w| w == b"-----BEGIN CERTIFICATE-----");
        if !name.starts_with("crash-") {
            assert_eq!(
                certificates.is_ok(),
                has_certificate,
                "{name}: certificates"
            );
        }
        assert_eq!(crls.is_ok(), name == "crl.pem", "{name}: CRLs");
        if name == "crl.der" {
            assert!(
                crls.unwrap_err().to_string().contains("a DER CRL"),
                "{name}"
            );
        }
        let encrypted = name.contains("encrypted");
        let key_and_certificate = name.starts_with("client");
        let has_key = bytes.windows(17).any(|w| w == b"PRIVATE KEY-----\n");
        if !name.starts_with("crash-") {
            assert_eq!(key.is_ok(), has_key && !encrypted, "{name}: private key");
        }
        if encrypted {
            let message = key.unwrap_err().to_string();
            assert!(
                message.contains("no password was given"),
                "{name}: {message}"
            );
        }
        assert_eq!(
            with_password.is_ok(),
            key_and_certificate,
            "{name}: key file with password"
        );
        assert_eq!(
            plain.is_ok(),
            key_and_certificate && !encrypted,
            "{name}: key file"
        );
        if encrypted {
            assert!(
                matches!(plain, Err(KeyFileError::Key(_))),
                "{name}: no password"
            );
        }
    }
}

/// Deterministic noise (xorshift64*), so a failure can be replayed.
fn noise(len: usize, mut state: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        out.extend_from_slice(&state.wrapping_mul(0x2545_f491_4f6c_dd1d).to_le_bytes());
    }
    out.truncate(len);
    out
}

/// Refused, with one short line naming the file, and quickly (generous, for a debug build
/// on a busy machine: what matters is no quadratic scan and no allocation beyond the input's
/// size).
fn assert_refused_quickly(path: &Path, bytes: &[u8]) {
    let start = Instant::now();
    let result = pkigen::fixtures::inspect::inspect_bytes(path, bytes);
    let elapsed = start.elapsed();
    let message = result.expect_err("garbage described").to_string();
    assert_one_line_naming(&message, path);
    assert!(
        message.len() < 400,
        "the message echoes the input: {} bytes",
        message.len()
    );
    assert!(
        elapsed < Duration::from_secs(10),
        "{}: took {elapsed:?}",
        path.display()
    );
}

#[test]
fn large_garbage_is_refused_quickly_in_one_line() {
    const MIB: usize = 1 << 20;
    let random = noise(8 * MIB, 0x9e37_79b9_7f4a_7c15);
    assert_refused_quickly(Path::new("random-8mib.bin"), &random);

    // A PEM block whose 4 MiB body is valid base64 of noise.
    use base64::Engine as _;
    let body = base64::engine::general_purpose::STANDARD.encode(noise(3 * MIB, 42));
    assert_eq!(body.len(), 4 * MIB);
    let mut pem = String::from("-----BEGIN CERTIFICATE-----\n");
    for line in body.as_bytes().chunks(64) {
        pem.push_str(std::str::from_utf8(line).expect("base64 is ASCII"));
        pem.push('\n');
    }
    pem.push_str("-----END CERTIFICATE-----\n");
    assert_refused_quickly(Path::new("huge-body.pem"), pem.as_bytes());

    // The same without its END line: truncated, not parsed for ever.
    let truncated = &pem[..pem.len() - "-----END CERTIFICATE-----\n".len()];
    assert_refused_quickly(Path::new("huge-truncated.pem"), truncated.as_bytes());
}

/// Found by the `crl` and `inspect` targets: the pem crate's error quotes the END tag, which
/// ran on across lines, so `inspect` printed a multi-line error.
#[test]
fn pem_errors_quoting_the_file_stay_one_line() {
    let path = Path::new("mismatched.pem");
    for bytes in [
        &b"-----BEGIN X509 CRL-----\nMAA=\n-----END X509 CRL---MAA=\nMAA=\n-----END X509 CRL-----\n"[..],
        b"-----BEGIN CERTIFICATE-----\nMAA=\n-----END EC PRIVATE KEY-MAA=\nMAA=\n-----END CERTIFICATE-----\n",
    ] {
        let message = pkigen::fixtures::inspect::inspect_bytes(path, bytes)
            .expect_err("refused")
            .to_string();
        assert_one_line_naming(&message, path);
        // The quoted END tag held a line break: escaped, not printed.
        assert!(
            message.contains("mismatching BEGIN") && message.contains("\\n"),
            "{message}"
        );
    }
}
