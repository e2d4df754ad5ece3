//! The golden fixtures: the sha256 and mode of every file `pkigen scenario all --seed 5 --now
//! 2026-01-01T00:00:00Z --zip` writes, for the default key type, RSA and Ed25519, held in
//! `tests/golden/seed5.sha256`. Any change to a certificate, key, CRL, OCSP response, manifest
//! or zip byte shows here as the files it touched.
//!
//! A deliberate change of output is recorded by running this test with
//! `PKIGEN_BLESS_GOLDEN=1`, which rewrites the file; the diff of that file is then the review.

use crate::util::{self, NOW};
use sha2::{Digest, Sha256};
use std::path::Path;

const GOLDEN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/seed5.sha256");

/// The key types of the golden runs: the default, one RSA and Ed25519.
const KEY_TYPES: [&str; 3] = ["ecdsa-p256", "rsa-2048", "ed25519"];

/// One line per file: `sha256  mode  key-type/path`, sorted by path.
fn digest_lines(out: &Path) -> Vec<String> {
    util::snapshot(out)
        .into_iter()
        .map(|(path, entry)| {
            let entry = entry.unwrap_or_else(|| panic!("empty folder {}", path.display()));
            let hash = hex::encode(Sha256::digest(&entry.bytes));
            format!("{hash}  {:o}  {}", entry.mode, path.display())
        })
        .collect()
}

#[test]
fn seed_5_writes_the_golden_bytes() {
    let out = util::tempdir();
    std::thread::scope(|scope| {
        for key_type in KEY_TYPES {
            let dir = out.path().join(key_type);
            scope.spawn(move || {
                util::generate(
                    &dir,
                    &["all"],
                    5,
                    NOW,
                    &["--key-type", key_type, "--no-validate", "--zip", "-q"],
                )
            });
        }
    });
    let actual = digest_lines(out.path());
    assert!(actual.len() > 300, "too few files: {}", actual.len());

    if std::env::var_os("PKIGEN_BLESS_GOLDEN").is_some() {
        std::fs::write(GOLDEN, actual.join("\n") + "\n").expect("write the golden file");
        return;
    }
    let golden = std::fs::read_to_string(GOLDEN).expect("read tests/golden/seed5.sha256");
    let expected: Vec<&str> = golden.lines().collect();
    let missing: Vec<&&str> = expected
        .iter()
        .filter(|l| !actual.iter().any(|a| a == **l))
        .collect();
    let unexpected: Vec<&String> = actual
        .iter()
        .filter(|a| !expected.contains(&a.as_str()))
        .collect();
    assert!(
        missing.is_empty() && unexpected.is_empty(),
        "the output differs from the golden files ({} lines expected, {} written)\n\
         golden lines not written:\n{}\nwritten lines not golden:\n{}",
        expected.len(),
        actual.len(),
        missing
            .iter()
            .map(|l| format!("  {l}"))
            .collect::<Vec<_>>()
            .join("\n"),
        unexpected
            .iter()
            .map(|l| format!("  {l}"))
            .collect::<Vec<_>>()
            .join("\n"),
    );
}

const GOLDEN_CLI: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/cli.txt");

/// The commands whose whole output (exit code, stdout, stderr) is golden, run in order in one
/// folder `OUT`. None of them reads the system clock: validation is judged at the fixtures'
/// generation time.
const CLI_RUNS: &[&[&str]] = &[
    &["--help"],
    &["scenario", "--help"],
    &["validate", "--help"],
    &["list"],
    &["list", "--format", "json"],
    &[
        "scenario", "all", "--seed", "5", "--now", NOW, "--out", "OUT",
    ],
    &[
        "scenario", "crl", "ocsp", "--seed", "5", "--now", NOW, "--out", "OUT/json", "--format",
        "json",
    ],
    &["validate", "OUT", "--at", "generation", "--no-report"],
    &[
        "validate",
        "OUT/ocsp",
        "--at",
        "generation",
        "--no-report",
        "--format",
        "json",
    ],
    &["docs", "OUT", "--out", "OUT/pages"],
    &[
        "inspect",
        "OUT/ca-file/ca-bundle.pem",
        "OUT/client-cert/client.key.pem",
    ],
    &[
        "inspect",
        "OUT/crl/crl.der",
        "OUT/ocsp/ocsp-revoked.der",
        "--format",
        "json",
    ],
    &[
        "inspect",
        "OUT/ocsp/ocsp-stale.der",
        "OUT/key-password/client.pem",
    ],
    &[
        "policy",
        "mongodb://db.example.com/?tls=true&tlsCAFile=ca.pem&tlsAllowInvalidHostnames=true",
    ],
    &[
        "policy",
        "mongodb://db.example.com/?tls=true&tlsCertificateKeyFilePassword=pw",
        "--format",
        "json",
    ],
    &[
        "policy",
        "mongodb://db.example.com/?tlsInsecure=true&tlsAllowInvalidCertificates=false",
    ],
    &[
        "policy",
        "mongodb://db.example.com/?tls=true&tlsCAFil=ca.pem",
    ],
    &["scenario", "no-such-scenario", "--out", "OUT"],
    &["inspect", "OUT/crl/manifest.json"],
];

/// Every command of [`CLI_RUNS`] with its output, the folder's path written as `OUT`, then the
/// sha256 of every page and report the runs wrote (with the folder's path written as `OUT`).
fn cli_transcript(root: &Path) -> String {
    let out = root.join("OUT");
    let out_text = util::path_arg(&out);
    let mut transcript = String::new();
    for args in CLI_RUNS {
        let args: Vec<String> = args
            .iter()
            .map(|arg| arg.replacen("OUT", out_text, 1))
            .collect();
        let output = util::run(&args);
        let shown = args.join(" ").replace(out_text, "OUT");
        transcript += &format!("$ pkigen {shown}\n[exit {:?}]\n", output.status.code());
        transcript += &util::stdout(&output).replace(out_text, "OUT");
        transcript += "--- stderr\n";
        transcript += &util::stderr(&output).replace(out_text, "OUT");
        transcript += "\n";
    }
    for (path, entry) in util::snapshot(&out) {
        let keep = path.starts_with("pages") || path.ends_with("report.json");
        if let (true, Some(entry)) = (keep, entry) {
            let text = String::from_utf8_lossy(&entry.bytes).replace(out_text, "OUT");
            let hash = hex::encode(Sha256::digest(text.as_bytes()));
            transcript += &format!("{hash}  {}\n", path.display());
        }
    }
    transcript
}

#[test]
fn the_command_line_prints_the_golden_text() {
    let root = util::tempdir();
    let actual = cli_transcript(root.path());
    if std::env::var_os("PKIGEN_BLESS_GOLDEN").is_some() {
        std::fs::write(GOLDEN_CLI, &actual).expect("write the golden file");
        return;
    }
    let golden = std::fs::read_to_string(GOLDEN_CLI).expect("read tests/golden/cli.txt");
    if golden != actual {
        let first = golden
            .lines()
            .zip(actual.lines())
            .position(|(g, a)| g != a)
            .unwrap_or(golden.lines().count().min(actual.lines().count()));
        let line = |text: &str| text.lines().nth(first).unwrap_or("<end>").to_owned();
        panic!(
            "the command line's output differs from tests/golden/cli.txt at line {}:\n\
             golden:  {}\nwritten: {}",
            first + 1,
            line(&golden),
            line(&actual)
        );
    }
}
