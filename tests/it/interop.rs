//! The real driver: every case of every scenario, `pkigen serve` presenting the server side
//! and PyMongo 4.20 connecting with the case's own connection string and running `ping`
//! (`tests/python/interop.py`). OCSP cases run with `pymongo[ocsp]`, the others with plain
//! `pymongo` (PyMongo refuses tlsCRLFile under pyOpenSSL). A case PyMongo cannot express is
//! listed as skipped with its reason, never dropped.

use crate::python::{python, python_ocsp, script};
use crate::util::{self, NOW};
use std::collections::BTreeMap;
use std::process::Stdio;

#[test]
fn pymongo_agrees_with_every_case() {
    let out = util::tempdir();
    // `serve` binds the OCSP responder address its seed derives: a seed of this run's own, so
    // two test runs at once (two checkouts, two CI jobs) never claim the same address.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let seed = (u64::from(std::process::id()) << 32) | u64::from(nanos);
    println!("seed {seed} (rerun with it to reproduce these fixtures)");
    util::generate(out.path(), &["all"], seed, NOW, &["--no-validate"]);
    let dirs = util::scenario_dirs(out.path());
    let expected = util::expectations(&dirs);

    let (mut passed, mut failed, mut skipped) = (Vec::new(), Vec::new(), Vec::new());
    let mut seen = BTreeMap::new();
    for (interpreter, mode) in [(python(), "stdlib"), (python_ocsp(), "ocsp")] {
        let output = util::tool(interpreter)
            .arg(script("interop.py"))
            .arg(util::PKIGEN)
            .arg(mode)
            .args(&dirs)
            .stdin(Stdio::null())
            .output()
            .expect("run interop.py");
        util::assert_exit(&output, 0, &format!("interop.py {mode}"));
        for line in util::stdout(&output).lines() {
            let observed = util::parse_json(line, "interop.py output");
            let id = util::case_id(&observed["scenario"], &observed["name"]);
            let expect = expected
                .get(&id)
                .unwrap_or_else(|| panic!("{id}: not in any manifest"));
            *seen.entry(id.clone()).or_insert(0) += 1;
            if let Some(why) = observed["skipped"].as_str() {
                skipped.push(format!("{id}: {why}"));
                continue;
            }
            // The reason is compared exactly, for refusals and configuration errors alike:
            // interop.py reads it from PyMongo's exception (and, for OCSP, from the
            // pymongo.ocsp_support log), and one it cannot read is null, which disagrees.
            let reason_agrees = observed["reason"] == expect["reason"];
            let line = format!(
                "{id:<66} [{mode:<6}] expects {} {}, PyMongo: {} {}",
                expect["outcome"].as_str().unwrap(),
                expect["reason"].as_str().unwrap_or(""),
                observed["outcome"].as_str().unwrap(),
                observed["message"]
                    .as_str()
                    .unwrap_or("")
                    .chars()
                    .take(160)
                    .collect::<String>()
            );
            if observed["outcome"] == expect["outcome"] && reason_agrees {
                passed.push(line);
            } else {
                failed.push(line);
            }
        }
    }
    for line in passed.iter().chain(&failed) {
        println!("{line}");
    }
    for line in &skipped {
        println!("skipped {line}");
    }
    println!(
        "{} passed, {} failed, {} skipped",
        passed.len(),
        failed.len(),
        skipped.len()
    );
    let missing: Vec<_> = expected
        .keys()
        .filter(|id| seen.get(*id) != Some(&1))
        .collect();
    assert!(
        missing.is_empty(),
        "cases not run exactly once: {missing:?}"
    );
    assert!(
        failed.is_empty(),
        "PyMongo disagrees:\n  {}",
        failed.join("\n  ")
    );
    // Judged, not skipped: only the one case PyMongo's options cannot express may be.
    assert!(
        skipped.len() <= 1 && passed.len() + 1 >= expected.len(),
        "{} of {} cases skipped: {skipped:?}",
        skipped.len(),
        expected.len()
    );
}
