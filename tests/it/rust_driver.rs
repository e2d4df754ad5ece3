//! The official Rust driver that the driver cross-checks run: `tests/rust_driver`, a crate of
//! its own (its own workspace and `Cargo.lock`, crate `mongodb` =3.9.1 with its default
//! features, tokio, serde_json), built once per test run with
//! `cargo build --locked --manifest-path tests/rust_driver/Cargo.toml --target-dir
//! target/rust-driver` (its dev profile, without debug info: the quickest cold build). pkigen
//! itself depends on neither the driver nor tokio.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Instant;

/// The harness crate's folder.
pub fn crate_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rust_driver")
}

/// The target folder the harness crate (and any crate sharing its lock) builds into.
pub fn target_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/rust-driver")
}

/// `cargo build --locked` of the crate whose `Cargo.toml` is `manifest`, into
/// [`target_dir`], with what it printed on failure.
pub fn cargo_build(manifest: &Path, extra: &[&str]) -> Result<std::time::Duration, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let started = Instant::now();
    let output = Command::new(cargo)
        .args(["build", "--locked", "--quiet", "--manifest-path"])
        .arg(manifest)
        .arg("--target-dir")
        .arg(target_dir())
        .args(extra)
        .stdin(Stdio::null())
        .output()
        .expect("run cargo build");
    let took = started.elapsed();
    if output.status.success() {
        Ok(took)
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

/// The harness binary, `rust-driver`, built on first use.
pub fn binary() -> PathBuf {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY
        .get_or_init(|| {
            let took = cargo_build(&crate_dir().join("Cargo.toml"), &[])
                .unwrap_or_else(|e| panic!("building tests/rust_driver failed:\n{e}"));
            println!(
                "tests/rust_driver built in {:.1} s (mongodb 3.9.1, default features)",
                took.as_secs_f64()
            );
            target_dir().join("debug/rust-driver")
        })
        .clone()
}

/// `rust-driver ARGS`.
pub fn command(args: &[&str]) -> Command {
    let mut command = Command::new(binary());
    command.args(args);
    command
}
