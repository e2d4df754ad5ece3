//! The real Rust driver (crate mongodb 3.9.1, default features, built from `tests/rust_driver`):
//! every case of `scenario all --driver rust`, one `pkigen serve --all` presenting every
//! server side, and one `rust-driver connect` process connecting with each case's own
//! connection string from the case's folder and running `ping`. It reads the driver's errors
//! into pkigen's outcomes and reasons (a refusal by `ClientOptions::parse` or
//! `Client::with_options` is a configuration error; a TLS refusal's reason is the `rustls::Error`
//! of the first SDAM heartbeat failure, since the ping's `ServerSelection` error carries only
//! text); every case must agree with the manifest's Rust expectation on both, none skipped.

use crate::harness::{self, Engine, HarnessResult};
use crate::interop::Serving;
use crate::rust_driver;
use crate::util::{self, NOW};
use std::collections::BTreeMap;
use std::process::Stdio;
use std::time::Instant;

/// Every case of the fixture folders `dirs` (under `out`) through the real driver: one
/// `pkigen serve --all` of `out`, one `rust-driver connect`; its lines, and how long the driver
/// took.
pub(crate) fn rust_runs(
    out: &std::path::Path,
    dirs: &[std::path::PathBuf],
) -> (Vec<harness::HarnessLine>, std::time::Duration) {
    // Build the driver before the clock starts.
    let mut command = rust_driver::command(&["connect"]);
    let _one_at_a_time = util::one_driver_run_at_a_time();
    let serving = Serving::start(out);
    let served = util::tempdir();
    let served = served.path().join("served.json");
    std::fs::write(&served, &serving.first_line).unwrap();

    let started = Instant::now();
    let output = command
        .arg(&served)
        .args(dirs)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .expect("run rust-driver connect");
    let took = started.elapsed();
    util::assert_exit(&output, 0, "rust-driver connect");
    let stopped = serving.terminate();
    util::assert_exit(&stopped, 0, "pkigen serve --all stopped by SIGTERM");
    print!("{}", util::stderr(&output));
    let lines = harness::parse_lines(&util::stdout(&output), "rust-driver connect");
    let lines_file = served.with_file_name("rust-interop.jsonl");
    std::fs::write(&lines_file, &output.stdout).unwrap();
    crate::schemas::assert_conform(&[("harness-result.schema.json", lines_file)]);
    (lines, took)
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

    let (mut agreed, mut disagreed) = (Vec::new(), Vec::new());
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for line in lines {
        assert_eq!(line.engine, Engine::Rust, "{line:?}");
        let id = line.subject().to_string();
        let expect = expected
            .get(&id)
            .unwrap_or_else(|| panic!("{id}: not in any manifest"));
        *seen.entry(id.clone()).or_default() += 1;
        let HarnessResult::Observed {
            outcome,
            reason,
            message,
        } = line.result
        else {
            disagreed.push(format!("{id:<66} {:?}", line.result));
            continue;
        };
        let text = format!(
            "{id:<66} expects {expect}, Rust: {} {} ({})",
            outcome.as_str(),
            reason.map_or("", |r| r.as_str()),
            message.chars().take(160).collect::<String>()
        );
        if outcome == expect.outcome && reason == expect.reason {
            agreed.push(text);
        } else {
            disagreed.push(text);
        }
    }
    for line in agreed.iter().chain(&disagreed) {
        println!("{line}");
    }
    println!(
        "{} of {} cases agree with the Rust driver; the driver took {:.1} s",
        agreed.len(),
        expected.len(),
        took.as_secs_f64()
    );
    util::assert_each_ran_once(&expected, &seen);
    assert!(
        disagreed.is_empty(),
        "the Rust driver disagrees:\n  {}",
        disagreed.join("\n  ")
    );
}
