//! The real Rust driver (crate mongodb 3.9.1, default features, built from `tests/rust_driver`):
//! every case of `scenario all --driver rust`, one `pkigen serve --all` presenting every
//! server side, and one `rust-driver connect` process connecting with each case's own
//! connection string from the case's folder and running `ping`. It reads the driver's errors
//! into pkigen's outcomes and reasons (a refusal by `ClientOptions::parse` or
//! `Client::with_options` is a configuration error; a TLS refusal's reason is the `rustls::Error`
//! of the first SDAM heartbeat failure, since the ping's `ServerSelection` error carries only
//! text); every case must agree with the manifest's Rust expectation on both, none skipped.

use crate::harness::{self, Engine};
use crate::rust_driver;
use crate::util::{self, NOW};

/// Every case of the fixture folders `dirs` (under `out`) through the real driver: one
/// `pkigen serve --all` of `out`, one `rust-driver connect`; its lines, and how long the driver
/// took.
pub(crate) fn rust_runs(
    out: &std::path::Path,
    dirs: &[std::path::PathBuf],
) -> (Vec<harness::HarnessLine>, std::time::Duration) {
    // Build the driver before the clock starts.
    let command = rust_driver::command(&["connect"]);
    harness::run_against_serve_all(command, out, dirs, "rust-driver connect")
}

#[test]
fn the_rust_driver_agrees_with_every_case() {
    let out = util::tempdir();
    let seed = util::seed_of_this_run();
    println!("seed {seed} (rerun with it to reproduce these fixtures)");
    util::generate(
        out.path(),
        &["all"],
        seed,
        NOW,
        &["--driver", "rust", "--no-validate"],
    );
    let dirs = util::scenario_dirs(out.path());
    let expected = util::expectations(&dirs);
    let (lines, took) = rust_runs(out.path(), &dirs);
    let runs = harness::runs(lines, Engine::Rust);
    harness::assert_every_case_agrees(runs, &expected, "the Rust driver", took);
}
