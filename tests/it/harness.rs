//! What the harnesses say, in one type: every line they print is a [`HarnessLine`]
//! (`tests/python/harness.py` and `tests/node/interop.js` write them,
//! `tests/schemas/harness-result.schema.json` describes
//! them, and they are read here strictly: an unknown field, kind, outcome or reason fails
//! the test). Where an engine knowingly differs from them is `crate::divergences`' to say.

use pkigen::fixtures::manifest::Observed;
use pkigen::{Outcome, Reason};
use serde::{Deserialize, Serialize};

/// One line of a harness's output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HarnessLine {
    pub engine: Engine,
    /// `scenario/case` for a fixture case, the document for a schema check, `None` for a
    /// policy answer (one per input line, in order).
    pub subject: Option<String>,
    pub result: HarnessResult,
}

/// Who answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Engine {
    /// OpenSSL through Python's `ssl`, with the client context PyMongo builds
    /// (`ssl_cases.py`).
    Openssl,
    /// PyMongo itself, without OCSP support (`interop.py stdlib`, `pymongo_policy_check.py`).
    Pymongo,
    /// PyMongo with `pymongo[ocsp]` (`interop.py ocsp`).
    PymongoOcsp,
    /// The Node.js driver, npm mongodb 7.9.0 (`tests/node/interop.js`).
    Node,
    /// The Rust driver, crate mongodb 3.9.1 with its default features
    /// (`tests/rust_driver`'s `rust-driver connect`).
    Rust,
    /// The JSON Schema validator (`check_schemas.py`).
    Jsonschema,
}

/// An engine's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum HarnessResult {
    /// What the engine did with a fixture case; the reason is `None` when its words name
    /// none of pkigen's.
    Observed {
        outcome: Outcome,
        reason: Option<Reason>,
        message: String,
    },
    /// A fixture case the engine cannot run.
    Skipped { why: String },
    /// The harness could not run the case at all.
    HarnessError { message: String },
    /// `MongoClient(..., connect=False)` accepted the options.
    Policy {
        tls: bool,
        verify_certificates: bool,
        verify_hostname: bool,
        ocsp_endpoint_check: bool,
        warnings: Vec<String>,
    },
    /// `MongoClient(..., connect=False)` raised.
    PolicyError {
        exception: String,
        message: String,
        warnings: Vec<String>,
    },
    /// A document held to a schema of `tests/schemas/`, with every error found.
    SchemaCheck { schema: String, errors: Vec<String> },
}

impl HarnessLine {
    /// The subject of a line that must have one.
    #[track_caller]
    pub fn subject(&self) -> &str {
        self.subject
            .as_deref()
            .unwrap_or_else(|| panic!("a line without a subject: {self:?}"))
    }
}

/// Every line of a harness's stdout, which must all be harness lines.
#[track_caller]
pub fn parse_lines(stdout: &str, what: &str) -> Vec<HarnessLine> {
    stdout
        .lines()
        .map(|line| {
            serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{what}: not a harness line ({e}):\n{line}"))
        })
        .collect()
}

/// Every case of the fixture folders `dirs` (under `out`) through a real driver's harness:
/// one `pkigen serve --all` of `out`, then `command SERVED DIR…` (the harness, already built
/// or installed: the clock starts at its run), whose lines must conform to their schema
/// (`lines_file` names them in the temporary folder); its lines, and how long it took.
pub fn run_against_serve_all(
    mut command: std::process::Command,
    out: &std::path::Path,
    dirs: &[std::path::PathBuf],
    what: &str,
) -> (Vec<HarnessLine>, std::time::Duration) {
    use crate::util;
    let _one_at_a_time = util::one_driver_run_at_a_time();
    let serving = crate::interop::Serving::start(out);
    let folder = util::tempdir();
    let served = folder.path().join("served.json");
    std::fs::write(&served, &serving.first_line).unwrap();

    let started = std::time::Instant::now();
    let output = command
        .arg(&served)
        .args(dirs)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap_or_else(|e| panic!("run {what}: {e}"));
    let took = started.elapsed();
    util::assert_exit(&output, 0, what);
    let stopped = serving.terminate();
    util::assert_exit(&stopped, 0, "pkigen serve --all stopped by SIGTERM");
    print!("{}", util::stderr(&output));
    let lines = parse_lines(&util::stdout(&output), what);
    let lines_file = folder.path().join("lines.jsonl");
    std::fs::write(&lines_file, &output.stdout).unwrap();
    crate::schemas::assert_conform(&[("harness-result.schema.json", lines_file)]);
    (lines, took)
}

/// Each of a real driver's `lines` (all of engine `engine`) as one case's run: its
/// `scenario/case`, and what it observed or why it could not say.
pub fn runs(lines: Vec<HarnessLine>, engine: Engine) -> Vec<(String, Result<Observed, String>)> {
    lines
        .into_iter()
        .map(|line| {
            assert_eq!(line.engine, engine, "{line:?}");
            let id = line.subject().to_string();
            let observed = match line.result {
                HarnessResult::Observed {
                    outcome,
                    reason,
                    message,
                } => Ok(Observed {
                    outcome,
                    reason,
                    message,
                }),
                other => Err(format!("{other:?}")),
            };
            (id, observed)
        })
        .collect()
}

/// Holds a real driver's `runs` (`driver` in the messages) to the manifests' `expected`:
/// every case once, each ending as expected, outcome and reason. Prints each case and the
/// count, with how long the driver `took`.
pub fn assert_every_case_agrees(
    runs: Vec<(String, Result<Observed, String>)>,
    expected: &std::collections::BTreeMap<String, pkigen::fixtures::manifest::Expect>,
    driver: &str,
    took: std::time::Duration,
) {
    let (mut agreed, mut disagreed) = (Vec::new(), Vec::new());
    let mut seen: std::collections::BTreeMap<String, usize> = Default::default();
    for (id, observed) in runs {
        let expect = expected
            .get(&id)
            .unwrap_or_else(|| panic!("{id}: not in any manifest"));
        *seen.entry(id.clone()).or_default() += 1;
        let observed = match observed {
            Ok(observed) => observed,
            Err(problem) => {
                disagreed.push(format!("{id:<66} {problem}"));
                continue;
            }
        };
        let text = format!(
            "{id:<66} expects {expect}, {driver}: {observed} ({})",
            observed.message.chars().take(200).collect::<String>()
        );
        if observed.outcome == expect.outcome && observed.reason == expect.reason {
            agreed.push(text);
        } else {
            disagreed.push(text);
        }
    }
    for line in agreed.iter().chain(&disagreed) {
        println!("{line}");
    }
    println!(
        "{} of {} cases agree with {driver}; the driver took {:.1} s",
        agreed.len(),
        expected.len(),
        took.as_secs_f64()
    );
    crate::util::assert_each_ran_once(expected, &seen);
    assert!(
        disagreed.is_empty(),
        "{driver} disagrees:\n  {}",
        disagreed.join("\n  ")
    );
}
