//! The real driver: every case of every scenario, one `pkigen serve --all` presenting every
//! server side and PyMongo 4.20.1 connecting with each case's own connection string and
//! running `ping` (`tests/python/interop.py`). OCSP cases run with `pymongo[ocsp]`, the others with plain
//! `pymongo` (PyMongo refuses tlsCRLFile under pyOpenSSL). A case PyMongo cannot express is
//! reported skipped with its reason, never dropped, and must be one `tests/divergences.json`
//! lists.

use crate::divergences;
use crate::harness::{self, Engine, HarnessResult};
use crate::python::{python, python_ocsp, script};
use crate::util::{self, NOW};
use std::collections::BTreeMap;

use std::path::Path;
use std::process::{Child, Output, Stdio};

#[test]
fn pymongo_agrees_with_every_case() {
    let out = util::tempdir();
    let seed = util::seed_of_this_run();
    println!("seed {seed} (rerun with it to reproduce these fixtures)");
    util::generate(out.path(), &["all"], seed, NOW, &["--no-validate"]);
    let dirs = util::scenario_dirs(out.path());
    let expected = util::expectations(&dirs);

    let (mut passed, mut failed) = (Vec::new(), Vec::new());
    let mut skipped: BTreeMap<Engine, BTreeMap<String, String>> = BTreeMap::new();
    let mut seen = BTreeMap::new();
    let serving = Serving::start(out.path());
    let served = util::tempdir();
    let served = served.path().join("served.json");
    std::fs::write(&served, &serving.first_line).unwrap();
    let runs = [
        (python(), "stdlib", Engine::Pymongo),
        (python_ocsp(), "ocsp", Engine::PymongoOcsp),
    ];
    // Both modes at once: one `serve --all` presents every case to both.
    let children: Vec<_> = runs
        .into_iter()
        .map(|(interpreter, mode, engine)| {
            let child = util::tool(interpreter)
                .arg(script("interop.py"))
                .arg(&served)
                .arg(mode)
                .args(&dirs)
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("run interop.py");
            (child, mode, engine)
        })
        .collect();
    for (child, mode, engine) in children {
        skipped.insert(engine, BTreeMap::new());
        let output = child.wait_with_output().expect("wait for interop.py");
        util::assert_exit(&output, 0, &format!("interop.py {mode}"));
        for line in harness::parse_lines(&util::stdout(&output), "interop.py") {
            assert_eq!(line.engine, engine, "interop.py {mode}: {line:?}");
            let id = line.subject().to_string();
            let expect = expected
                .get(&id)
                .unwrap_or_else(|| panic!("{id}: not in any manifest"));
            *seen.entry(id.clone()).or_insert(0) += 1;
            let (outcome, reason, message) = match line.result {
                HarnessResult::Skipped { why } => {
                    skipped.get_mut(&engine).unwrap().insert(id, why);
                    continue;
                }
                HarnessResult::Observed {
                    outcome,
                    reason,
                    message,
                } => (outcome, reason, message),
                other => {
                    failed.push(format!("{id:<66} [{mode:<6}] {other:?}"));
                    continue;
                }
            };
            // The reason is compared exactly, for refusals and configuration errors alike:
            // interop.py reads it from PyMongo's exception (and, for OCSP, from the
            // pymongo.ocsp_support log), and one it cannot read is null, which disagrees.
            let line = format!(
                "{id:<66} [{mode:<6}] expects {} {}, PyMongo: {} {}",
                expect.outcome.as_str(),
                expect.reason.map_or("", |r| r.as_str()),
                outcome.as_str(),
                message.chars().take(160).collect::<String>()
            );
            if outcome == expect.outcome && reason == expect.reason {
                passed.push(line);
            } else {
                failed.push(line);
            }
        }
    }
    let stopped = serving.terminate();
    util::assert_exit(&stopped, 0, "pkigen serve --all stopped by SIGTERM");
    for line in passed.iter().chain(&failed) {
        println!("{line}");
    }
    for (engine, cases) in &skipped {
        for (id, why) in cases {
            println!("skipped [{engine:?}] {id}: {why}");
        }
    }
    let skipped_count: usize = skipped.values().map(BTreeMap::len).sum();
    println!(
        "{} passed, {} failed, {} skipped",
        passed.len(),
        failed.len(),
        skipped_count
    );
    util::assert_each_ran_once(&expected, &seen);
    assert!(
        failed.is_empty(),
        "PyMongo disagrees:\n  {}",
        failed.join("\n  ")
    );
    // Judged, not skipped: only the cases PyMongo cannot run, as tests/divergences.json
    // lists them.
    let cases = expected.keys().cloned().collect();
    for (engine, cases_skipped) in &skipped {
        divergences::assert_skips_are_known(*engine, cases_skipped, &cases);
    }
}

/// One `pkigen serve DIR --all` for the whole run, killed if the test fails before it is
/// stopped.
pub(crate) struct Serving {
    child: Option<Child>,
    /// Its first line: the JSON map of every case to its address and connection string.
    pub(crate) first_line: String,
}

impl Serving {
    pub(crate) fn start(dir: &Path) -> Serving {
        let (child, served) = util::serve_all(dir);
        Serving {
            child: Some(child),
            first_line: serde_json::Value::Object(served).to_string(),
        }
    }

    /// SIGTERM, as a test suite ends a server, then how it ended.
    pub(crate) fn terminate(mut self) -> Output {
        util::terminate(self.child.take().unwrap())
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().ok();
            child.wait().ok();
        }
    }
}
