//! A fixture file as `validate` and `check` read it: the certificate, CRL and private-key
//! readers behind a case's server and client, PyMongo-style `tlsCertificateKeyFile` loading
//! (with no password, and with the fixtures' password so encrypted keys are decrypted), and
//! `check`'s validity scan of a certificate the manifest lists. Every refusal must be one line.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pkigen::fixtures::manifest::{FileEntry, FileKind, Manifest};
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use std::sync::LazyLock;
use time::macros::datetime;

/// The fixtures' password (`KEY_PASSWORD` of the scenario catalogue's key-password scenario).
const PASSWORD: &str = "test-password";
const FILE: &str = "fuzz.pem";

/// One scratch folder per fuzzing process; the input is written to `FILE` in it.
static DIR: LazyLock<PathBuf> = LazyLock::new(|| {
    let dir = std::env::temp_dir().join(format!("pkigen-fuzz-files-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
});

fn one_line(result: Result<impl Sized, impl std::fmt::Display>) {
    if let Err(e) = result {
        let message = e.to_string();
        assert!(!message.contains('\n'), "a multi-line error: {message}");
    }
}

fuzz_target!(|data: &[u8]| {
    let dir = DIR.as_path();
    std::fs::write(dir.join(FILE), data).expect("write the input");
    one_line(pkigen::run::validate::read_certificates(dir, FILE));
    one_line(pkigen::run::validate::read_crls(dir, FILE));
    one_line(pkigen::run::validate::read_private_key(dir, FILE));
    let path = dir.join(FILE);
    one_line(pkigen::internals::identity::load_key_file(&path, None));
    one_line(pkigen::internals::identity::load_key_file(&path, Some(PASSWORD)));
    let manifest = Manifest {
        schema: 1,
        generator: "fuzz".into(),
        scenario: "fuzz".into(),
        seed: 1,
        now: datetime!(2026-01-01 00:00 UTC),
        key_type: pkigen::KeyType::EcdsaP256,
        files: vec![FileEntry {
            path: FILE.into(),
            sha256: hex::encode(Sha256::digest(data)),
            kind: FileKind::Certificate,
            encrypted: false,
            shared_key: None,
        }],
        cases: Vec::new(),
    };
    let now = datetime!(2026-01-02 00:00 UTC);
    one_line(pkigen::fixtures::check::check(dir, &manifest, now, time::Duration::days(30)));
});
