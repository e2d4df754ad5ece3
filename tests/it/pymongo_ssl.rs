//! Every case of every scenario through OpenSSL, with the client context built by PyMongo
//! itself (`tests/python/ssl_cases.py`: `MongoClient(case URI)` parses the options, loads
//! the CA file and the key file with its password; a Python `ssl` server presents the
//! case's server side). OpenSSL's outcome and reason must match each expectation; the cases
//! it cannot run are exactly those `tests/divergences.json` lists for it.

use crate::divergences;
use crate::harness::{self, Engine, HarnessResult};
use crate::python::{python, script};
use crate::util::{self, NOW};
use std::collections::BTreeMap;
use std::process::Stdio;

#[test]
fn openssl_with_pymongos_context_agrees_with_every_case() {
    let out = util::tempdir();
    util::generate(out.path(), &["all"], 21, NOW, &["--no-validate"]);
    let dirs = util::scenario_dirs(out.path());
    let expected = util::expectations(&dirs);

    let output = util::tool(python())
        .arg(script("ssl_cases.py"))
        .args(&dirs)
        .stdin(Stdio::null())
        .output()
        .expect("run ssl_cases.py");
    util::assert_exit(&output, 0, "ssl_cases.py");

    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut skipped = BTreeMap::new();
    let mut failures = Vec::new();
    for line in harness::parse_lines(&util::stdout(&output), "ssl_cases.py") {
        assert_eq!(line.engine, Engine::Openssl, "{line:?}");
        let id = line.subject().to_string();
        let expect = expected
            .get(&id)
            .unwrap_or_else(|| panic!("{id}: not in any manifest"));
        *seen.entry(id.clone()).or_default() += 1;
        match line.result {
            HarnessResult::Skipped { why } => {
                println!("{id:<60} skipped: {why}");
                skipped.insert(id, why);
            }
            HarnessResult::Observed {
                outcome,
                reason,
                message,
            } => {
                let agrees = outcome == expect.outcome
                    && (expect.reason.is_none() || reason == expect.reason);
                let shown = |reason: Option<pkigen::Reason>| reason.map_or("", |r| r.as_str());
                println!(
                    "{:<60} expects {:<13} {:<22} openssl: {} {}",
                    id,
                    expect.outcome.as_str(),
                    shown(expect.reason),
                    outcome.as_str(),
                    shown(reason)
                );
                if !agrees {
                    failures.push(format!(
                        "{id}: expects {expect}, OpenSSL via PyMongo: {} {} ({message})",
                        outcome.as_str(),
                        shown(reason)
                    ));
                }
            }
            other => failures.push(format!("{id}: not an observation: {other:?}")),
        }
    }
    util::assert_each_ran_once(&expected, &seen);
    println!(
        "{} judged, {} skipped",
        seen.len() - skipped.len(),
        skipped.len()
    );
    let cases = expected.keys().cloned().collect();
    divergences::assert_skips_are_known(Engine::Openssl, &skipped, &cases);
    assert!(
        failures.is_empty(),
        "{} disagreement(s):\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
}
