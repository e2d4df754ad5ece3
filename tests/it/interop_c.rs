//! libmongoc itself (1.23.x, `tests/c/connect.c` built against the installed
//! `libmongoc-dev`): every case of `scenario all --driver c`, one `pkigen serve --all`
//! presenting every server side, and one `connect` process per case (libmongoc's OCSP cache
//! is process-wide, and pkigen's `ocsp` scenario reuses one server certificate across
//! cases), run from the case's folder with the case's own connection string and the served
//! port. Its answer, read into pkigen's outcome and reason by `c_classify`, must equal the
//! manifest's expectation for every case, reasons included, none skipped.
//!
//! The two client-certificate refusals (`client-cert/no-client-certificate`,
//! `foreign-client-certificate`): with TLS 1.3 the server's alert comes with its hang-up,
//! which libmongoc's `poll()` usually reports first ("connection closed", the alert never
//! read). `connect -r` then tries again with a new client until one attempt reads the alert
//! (about one in four does); the test prints how many attempts each case took, and a case
//! whose alert no attempt read fails as `reject (other)`.

use crate::c_classify::classify;
use crate::harness;
use crate::interop::Serving;
use crate::util::{self, NOW};
use pkigen::fixtures::manifest::Observed;
use pkigen::{Outcome, Reason};
use serde_json::Value;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Instant;

/// How many more clients `connect` may try for a client-certificate alert it did not read.
const ALERT_RETRIES: &str = "200";

/// Processes at a time.
const PARALLEL: usize = 3;

/// One case to run: its id, folder, the served connection string.
struct Job {
    id: String,
    dir: PathBuf,
    uri: String,
}

/// The jobs of every case in `dirs`, with the served URI checked to be the case's own.
fn jobs(dirs: &[PathBuf], served: &serde_json::Map<String, Value>) -> Vec<Job> {
    let mut jobs = Vec::new();
    for dir in dirs {
        let manifest = util::read_json(&dir.join("manifest.json"));
        let scenario = manifest["scenario"].as_str().unwrap();
        for case in manifest["cases"].as_array().unwrap() {
            let id = format!("{scenario}/{}", case["name"].as_str().unwrap());
            let entry = &served[&id];
            let uri = entry["uri"].as_str().unwrap().to_string();
            let port = entry["address"]
                .as_str()
                .unwrap()
                .rsplit(':')
                .next()
                .unwrap();
            let host = case["client"]["host"].as_str().unwrap();
            let own = case["client"]["uri"].as_str().unwrap();
            let prefix = format!("mongodb://{host}/");
            assert!(own.starts_with(&prefix), "{id}: {own}");
            assert_eq!(
                uri,
                format!("mongodb://{host}:{port}/{}", &own[prefix.len()..]),
                "{id}: the served URI is the case's own"
            );
            assert_eq!(case["client"]["driver"], "c", "{id}");
            jobs.push(Job {
                id,
                dir: dir.clone(),
                uri,
            });
        }
    }
    jobs
}

/// `target/c/connect -r N URI` from the case's folder: its one JSON line.
fn connect(job: &Job) -> Value {
    let output = crate::c::command("connect")
        .args(["-r", ALERT_RETRIES, &job.uri])
        .current_dir(&job.dir)
        .stdin(Stdio::null())
        .output()
        .expect("run target/c/connect");
    util::assert_exit(&output, 0, &format!("connect for {}", job.id));
    util::parse_json(util::stdout(&output).trim(), "connect.c")
}

#[test]
fn libmongoc_agrees_with_every_case() {
    let out = util::tempdir();
    let seed = util::seed_of_this_run();
    println!("seed {seed} (rerun with it to reproduce these fixtures)");
    util::generate(
        out.path(),
        &["all"],
        seed,
        NOW,
        &["--driver", "c", "--no-validate"],
    );
    let dirs = util::scenario_dirs(out.path());
    let expected = util::expectations(&dirs);
    // Build before the clock starts.
    crate::c::program("connect");
    let _one_at_a_time = util::one_driver_run_at_a_time();
    let serving = Serving::start(out.path());
    let served: serde_json::Map<String, Value> = serde_json::from_str(&serving.first_line).unwrap();
    let jobs = jobs(&dirs, &served);

    let started = Instant::now();
    let lines = util::par_map(&jobs, PARALLEL, |_, job| connect(job));
    let took = started.elapsed();
    let stopped = serving.terminate();
    util::assert_exit(&stopped, 0, "pkigen serve --all stopped by SIGTERM");
    println!("{} processes, {PARALLEL} at a time", lines.len());
    let runs = jobs
        .iter()
        .zip(&lines)
        .map(|(job, line)| (job.id.clone(), observed(line)))
        .collect();
    harness::assert_every_case_agrees(runs, &expected, "libmongoc", took);
}

/// What one `connect` line says libmongoc did, in pkigen's words; the clients it took, where
/// it tried again for a client-certificate alert, in its message.
fn observed(line: &Value) -> Result<Observed, String> {
    let got = classify(line);
    let outcome = Outcome::ALL
        .iter()
        .copied()
        .find(|o| o.as_str() == got.outcome)
        .ok_or_else(|| format!("not an outcome: {}", got.outcome))?;
    let reason = match got.reason {
        None => None,
        Some(name) => Some(
            Reason::ALL
                .iter()
                .copied()
                .find(|r| r.as_str() == name)
                .ok_or_else(|| format!("not a reason: {name}"))?,
        ),
    };
    let attempts = line["attempts"].as_u64().unwrap_or(1);
    let message = match attempts {
        1 => got.message,
        _ => format!("after {attempts} clients: {}", got.message),
    };
    Ok(Observed {
        outcome,
        reason,
        message,
    })
}
