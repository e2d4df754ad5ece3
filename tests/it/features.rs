//! The library builds without its default features: `pkigen = { default-features = false }`
//! gives PKI, OCSP, policy, fixtures and scenarios without the command line, `serve`, docs
//! or zip, and without the crates only they need.

use std::process::Command;

#[test]
fn the_library_builds_without_default_features_and_without_their_crates() {
    let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
    let target = concat!(env!("CARGO_MANIFEST_DIR"), "/target/no-default-features");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let check = Command::new(&cargo)
        .args([
            "check",
            "--lib",
            "--no-default-features",
            "--locked",
            "--quiet",
        ])
        .args(["--manifest-path", manifest])
        .env("CARGO_TARGET_DIR", target)
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("run cargo");
    assert!(
        check.status.success(),
        "cargo check --no-default-features failed:\n{}",
        String::from_utf8_lossy(&check.stderr)
    );

    let tree = Command::new(&cargo)
        .args([
            "tree",
            "-e",
            "normal",
            "--no-default-features",
            "--locked",
            "--prefix",
            "none",
        ])
        .args(["--manifest-path", manifest, "--format", "{p}"])
        .output()
        .expect("run cargo tree");
    assert!(
        tree.status.success(),
        "{}",
        String::from_utf8_lossy(&tree.stderr)
    );
    let crates = String::from_utf8_lossy(&tree.stdout);
    for absent in [
        "clap",
        "anyhow",
        "ctrlc",
        "ureq",
        "bson",
        "minijinja",
        "zip",
        "tiny_http",
    ] {
        assert!(
            !crates
                .lines()
                .any(|line| line.split(' ').next() == Some(absent)),
            "{absent} is a dependency of the library without default features"
        );
    }
    for present in ["rcgen", "rustls", "x509-parser"] {
        assert!(
            crates
                .lines()
                .any(|line| line.split(' ').next() == Some(present)),
            "{present} should be a dependency of the library (cargo tree changed its format?)"
        );
    }
}
