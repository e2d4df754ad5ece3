//! Every case of every scenario through OpenSSL, with the client context built by PyMongo
//! itself (`tests/python/ssl_cases.py`: `MongoClient(case URI)` parses the options, loads
//! the CA file and the key file with its password; a Python `ssl` server presents the
//! case's server side). OpenSSL's outcome and reason must match each expectation.

use crate::python::{python, script};
use crate::util::{self, NOW};
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

    let mut seen = 0;
    let mut skipped: Vec<String> = Vec::new();
    let mut failures = Vec::new();
    for line in util::stdout(&output).lines() {
        let observed = util::parse_json(line, "ssl_cases.py output");
        let id = util::case_id(&observed["scenario"], &observed["name"]);
        let expect = expected
            .get(&id)
            .unwrap_or_else(|| panic!("{id}: not in any manifest"));
        seen += 1;
        if let Some(why) = observed["skipped"].as_str() {
            println!("{id:<60} skipped: {why}");
            skipped.push(format!("{id}: {why}"));
            continue;
        }
        let agrees = observed["outcome"] == expect["outcome"]
            && (expect["reason"].is_null() || observed["reason"] == expect["reason"]);
        println!(
            "{:<60} expects {:<13} {:<22} openssl: {} {}",
            id,
            expect["outcome"].as_str().unwrap(),
            expect["reason"].as_str().unwrap_or(""),
            observed["outcome"].as_str().unwrap(),
            observed["reason"].as_str().unwrap_or("")
        );
        if !agrees {
            failures.push(format!(
                "{id}: expects {expect}, OpenSSL via PyMongo: {observed}"
            ));
        }
    }
    assert_eq!(seen, expected.len(), "every case was run");
    println!("{} judged, {} skipped", seen - skipped.len(), skipped.len());
    assert!(
        seen - skipped.len() >= 59,
        "only {} cases judged",
        seen - skipped.len()
    );
    assert!(
        skipped.iter().all(|line| line.contains(": OCSP:")),
        "only OCSP cases may be skipped, each with its reason: {skipped:?}"
    );
    assert!(
        failures.is_empty(),
        "{} disagreement(s):\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
}
