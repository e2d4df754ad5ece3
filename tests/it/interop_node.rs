//! The real Node.js driver (npm mongodb 7.9.0, installed by `tests/node/ensure_node_modules.sh`):
//! every case of `scenario all --driver node`, one `pkigen serve --all` presenting every
//! server side, and one Node process (`tests/node/interop.js`) connecting with each case's
//! own connection string from the case's folder and running `ping`. Its errors are read into
//! pkigen's outcomes and reasons by `tests/node/classify.js`; every case must agree with the
//! manifest's Node expectation on both, none skipped.

use crate::harness::{self, Engine, HarnessResult};
use crate::interop::Serving;
use crate::util::{self, NOW};
use std::collections::BTreeMap;
use std::process::Stdio;
use std::time::Instant;

/// Every case of the fixture folders `dirs` (under `out`) through the real driver: one
/// `pkigen serve --all` of `out`, one Node process; its lines, and how long the driver took.
pub(crate) fn node_runs(
    out: &std::path::Path,
    dirs: &[std::path::PathBuf],
) -> (Vec<harness::HarnessLine>, std::time::Duration) {
    let mut command = crate::node::script("interop.js");
    let _one_at_a_time = util::one_driver_run_at_a_time();
    // Resolve the driver before the clock starts: the first run may install it.
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
        .expect("run node tests/node/interop.js");
    let took = started.elapsed();
    util::assert_exit(&output, 0, "node interop.js");
    let stopped = serving.terminate();
    util::assert_exit(&stopped, 0, "pkigen serve --all stopped by SIGTERM");
    print!("{}", util::stderr(&output));

    let lines = harness::parse_lines(&util::stdout(&output), "interop.js");
    let lines_file = served.with_file_name("node-interop.jsonl");
    std::fs::write(&lines_file, &output.stdout).unwrap();
    crate::schemas::assert_conform(&[("harness-result.schema.json", lines_file)]);
    (lines, took)
}

#[test]
fn the_node_driver_agrees_with_every_case() {
    let out = util::tempdir();
    let seed = util::seed_of_this_run();
    println!("seed {seed} (rerun with it to reproduce these fixtures)");
    util::generate(
        out.path(),
        &["all"],
        seed,
        NOW,
        &["--driver", "node", "--no-validate"],
    );
    let dirs = util::scenario_dirs(out.path());
    let expected = util::expectations(&dirs);
    let (lines, took) = node_runs(out.path(), &dirs);

    let (mut agreed, mut disagreed) = (Vec::new(), Vec::new());
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for line in lines {
        assert_eq!(line.engine, Engine::Node, "{line:?}");
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
            "{id:<66} expects {expect}, Node: {} {} ({})",
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
        "{} of {} cases agree with the Node.js driver; the driver took {:.1} s",
        agreed.len(),
        expected.len(),
        took.as_secs_f64()
    );
    util::assert_each_ran_once(&expected, &seen);
    assert!(
        disagreed.is_empty(),
        "the Node.js driver disagrees:\n  {}",
        disagreed.join("\n  ")
    );
}
