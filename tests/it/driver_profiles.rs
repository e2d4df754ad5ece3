//! `--driver` on `scenario`, `list`, `validate` and `docs`: a set generated for a driver
//! holds that driver's expectations and names it as every case's client; `list` shows them;
//! `validate` and `docs` refuse a `--driver` the manifests contradict, in one line.

use crate::util::{self, NOW, path_arg};
use serde_json::Value;
use std::collections::BTreeMap;

/// `scenario/case` → the case as `list ARGS --format json` gives it (its expectation, its why).
pub(crate) fn listed(args: &[&str]) -> BTreeMap<String, Value> {
    let mut command = vec!["list"];
    command.extend(args);
    command.extend(["--format", "json"]);
    let output = util::run(&command);
    util::assert_exit(&output, 0, &command.join(" "));
    let value = util::parse_json(&util::stdout(&output), "list");
    let mut expectations = BTreeMap::new();
    for scenario in value.as_array().unwrap() {
        for case in scenario["cases"].as_array().unwrap() {
            let id = format!("{}/{}", scenario["name"].as_str().unwrap(), case["name"]);
            expectations.insert(id.replace('"', ""), case.clone());
        }
    }
    expectations
}

/// `list --driver DRIVER` is PyMongo's catalogue but where `list --differences` says DRIVER
/// differs (in `count` cases), and says why there; a set generated with `--driver DRIVER`
/// holds exactly those expectations, names DRIVER as every client, and pins no client's TLS
/// version. Returns `list --driver DRIVER`'s text.
fn a_set_holds_the_expectations_list_shows(driver: &str, count: usize) -> String {
    let pymongo = listed(&[]);
    let theirs = listed(&["--driver", driver]);
    let differences = util::run(["list", "--differences", "--format", "json"]);
    util::assert_exit(&differences, 0, "list --differences");
    let differences = util::parse_json(&util::stdout(&differences), "list --differences");
    let differing: BTreeMap<String, &Value> = differences
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["why"].get(driver).is_some())
        .map(|d| {
            (
                format!(
                    "{}/{}",
                    d["scenario"].as_str().unwrap(),
                    d["case"].as_str().unwrap()
                ),
                d,
            )
        })
        .collect();
    assert_eq!(differing.len(), count, "{differences:#}");
    assert_eq!(
        pymongo.keys().collect::<Vec<_>>(),
        theirs.keys().collect::<Vec<_>>()
    );
    for (id, case) in &theirs {
        match differing.get(id) {
            Some(d) => {
                assert_eq!(case["expect"], d["expect"][driver], "{id}");
                assert_eq!(pymongo[id]["expect"], d["expect"]["pymongo"], "{id}");
                assert_ne!(case["expect"], pymongo[id]["expect"], "{id}");
                assert_eq!(case["why"], d["why"][driver], "{id}");
            }
            None => {
                assert_eq!(case["expect"], pymongo[id]["expect"], "{id}");
                assert!(case.get("why").is_none(), "{id}: {case}");
            }
        }
        assert!(pymongo[id].get("why").is_none(), "{id}");
    }

    let out = util::tempdir();
    util::generate(
        out.path(),
        &["all"],
        3,
        NOW,
        &["--driver", driver, "--no-validate", "-q"],
    );
    let mut seen = 0;
    for dir in util::scenario_dirs(out.path()) {
        let manifest = util::read_json(&dir.join("manifest.json"));
        let scenario = manifest["scenario"].as_str().unwrap();
        for case in manifest["cases"].as_array().unwrap() {
            let id = format!("{scenario}/{}", case["name"].as_str().unwrap());
            assert_eq!(case["expect"], theirs[&id]["expect"], "{id}");
            assert_eq!(case["client"]["driver"], driver, "{id}");
            assert_eq!(case["client"]["tls_versions"], Value::Null, "{id}");
            seen += 1;
        }
    }
    assert_eq!(seen, theirs.len());
    util::stdout(&util::run(["list", "--driver", driver]))
}

/// The line of `case` in `list`'s text says `expect` and, for `driver`, why.
fn assert_line_says_why(text: &str, case: &str, expect: &str, driver: &str) {
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with(&format!("{case} ")))
        .unwrap_or_else(|| panic!("the {case} line"));
    assert!(
        line.contains(&format!(" {expect} ")) && line.contains(&format!("({driver}: ")),
        "{line}"
    );
}

#[test]
fn a_node_set_holds_the_node_expectations_list_shows() {
    let text = a_set_holds_the_expectations_list_shows("node", 17);
    assert_line_says_why(&text, "crl-with-insecure", "accept", "node");
}

#[test]
fn a_c_set_holds_the_c_expectations_list_shows() {
    let text = a_set_holds_the_expectations_list_shows("c", 9);
    assert_line_says_why(&text, "crl-with-insecure", "accept", "c");
}

#[test]
fn a_rust_set_holds_the_rust_expectations_list_shows() {
    let text = a_set_holds_the_expectations_list_shows("rust", 34);
    assert_line_says_why(&text, "intermediate-only-ca-file", "accept", "rust");
}

/// `validate --driver` and `docs --driver` that contradict the manifests are refused before
/// anything runs or is written, in one line naming both ways out; the manifests' own driver
/// is accepted.
#[test]
fn a_driver_the_manifest_contradicts_is_refused() {
    let (_out, dir) = util::scenario("crl", 4, &[]);
    let refused = util::run(["validate", path_arg(&dir), "--driver", "node"]);
    util::assert_usage_error(
        &refused,
        &[
            "pymongo's expectations, not node's",
            "without --driver",
            "--driver node",
        ],
        "validate --driver node of a PyMongo set",
    );
    assert!(!dir.join("report.json").exists(), "nothing ran");
    let pages = dir.join("pages");
    let refused = util::run([
        "docs",
        path_arg(&dir),
        "--out",
        path_arg(&pages),
        "--driver",
        "node",
    ]);
    util::assert_usage_error(
        &refused,
        &["pymongo's expectations, not node's"],
        "docs --driver node of a PyMongo set",
    );
    assert!(!pages.exists(), "no page written");
    let agreed = util::run([
        "validate",
        path_arg(&dir),
        "--at",
        "generation",
        "--driver",
        "pymongo",
    ]);
    util::assert_exit(&agreed, 0, "validate --driver pymongo of a PyMongo set");
}

/// A manifest written before `client.driver` was recorded is PyMongo's: it validates as
/// such, and `--driver node` is refused for it.
#[test]
fn a_manifest_without_a_driver_is_pymongos() {
    let (_out, dir) = util::scenario("crl", 5, &[]);
    let path = dir.join("manifest.json");
    let mut manifest = util::read_json(&path);
    for case in manifest["cases"].as_array_mut().unwrap() {
        case["client"].as_object_mut().unwrap().remove("driver");
    }
    std::fs::write(&path, serde_json::to_string_pretty(&manifest).unwrap()).unwrap();
    let output = util::run([
        "validate",
        path_arg(&dir),
        "--at",
        "generation",
        "--no-report",
    ]);
    util::assert_exit(&output, 0, "validate of a manifest without client.driver");
    let refused = util::run(["validate", path_arg(&dir), "--driver", "node"]);
    util::assert_usage_error(&refused, &["pymongo's expectations"], "--driver node");
}

/// Adds `bytes` to the set in `dir` as `name` (listed with its sha256, of kind `kind`), and
/// points option `option` of case `case` at it, in its options and its URI.
fn with_file(
    dir: &std::path::Path,
    name: &str,
    bytes: &[u8],
    kind: &str,
    case: &str,
    option: &str,
) {
    use sha2::{Digest, Sha256};
    std::fs::write(dir.join(name), bytes).unwrap();
    let path = dir.join("manifest.json");
    let mut manifest = util::read_json(&path);
    manifest["files"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({
            "path": name,
            "sha256": hex::encode(Sha256::digest(bytes)),
            "kind": kind,
            "encrypted": false,
        }));
    let entry = manifest["cases"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|c| c["name"] == case)
        .unwrap();
    let old = entry["client"]["options"][option]
        .as_str()
        .unwrap()
        .to_string();
    entry["client"]["options"][option] = name.into();
    let uri = entry["client"]["uri"].as_str().unwrap();
    let uri = uri.replace(&format!("{option}={old}"), &format!("{option}={name}"));
    entry["client"]["uri"] = uri.into();
    std::fs::write(&path, serde_json::to_string_pretty(&manifest).unwrap()).unwrap();
}

/// `case`'s observation in `validate DIR --case CASE` at the generation clock.
fn observed(dir: &std::path::Path, case: &str) -> (String, Value) {
    let output = util::run([
        "validate",
        path_arg(dir),
        "--case",
        case,
        "--at",
        "generation",
        "--no-report",
        "--format",
        "json",
    ]);
    let value = util::parse_json(&util::stdout(&output), "validate --format json");
    let report = &value["scenarios"][0]["cases"][0];
    assert_eq!(report["name"], case, "{value:#}");
    let observed = &report["observed"];
    let text = match observed["reason"].as_str() {
        Some(reason) => format!("{} ({reason})", observed["outcome"].as_str().unwrap()),
        None => observed["outcome"].as_str().unwrap().to_string(),
    };
    (text, observed.clone())
}

/// What the catalogue does not show of the Node.js driver's TLS stack, modelled by validate
/// all the same: only the first CRL of tlsCRLFile counts (so their order decides), and a CA
/// file without a PEM certificate is an empty trust store rather than an error; PyMongo's
/// model loads every CRL and refuses that CA file. The real Node.js driver runs the edited
/// Node set too, and must end each edited case as the model does.
#[test]
fn validate_models_the_node_drivers_crl_and_ca_file_reading() {
    let sets = ["pymongo", "node"].map(|driver| util::scenario("crl", 6, &["--driver", driver]));
    let crl = |dir: &std::path::Path, name: &str| std::fs::read(dir.join(name)).unwrap();
    for (_out, dir) in &sets {
        let foreign_first = [crl(dir, "crl-foreign.pem"), crl(dir, "crl.pem")].concat();
        with_file(
            dir,
            "foreign-first.pem",
            &foreign_first,
            "crl",
            "revoked-pem-crl",
            "tlsCRLFile",
        );
        let own_first = [crl(dir, "crl.pem"), crl(dir, "crl-foreign.pem")].concat();
        with_file(
            dir,
            "own-first.pem",
            &own_first,
            "crl",
            "revoked-der-crl",
            "tlsCRLFile",
        );
        with_file(
            dir,
            "ca.der",
            &crl(dir, "crl.der"),
            "crl",
            "revoked-without-crl",
            "tlsCAFile",
        );
    }
    let seen = |dir: &std::path::Path| {
        ["revoked-pem-crl", "revoked-der-crl", "revoked-without-crl"]
            .map(|case| observed(dir, case).0)
    };
    assert_eq!(
        seen(&sets[0].1),
        [
            "reject (revoked)",
            "reject (revoked)",
            "config-error (unreadable-file)"
        ],
        "PyMongo: every CRL of the file; a CA file without a certificate refused"
    );
    assert_eq!(
        seen(&sets[1].1),
        [
            "reject (crl-untrusted)",
            "reject (revoked)",
            "reject (unknown-issuer)"
        ],
        "Node: the first CRL of the file only; a CA file without a certificate trusts nothing"
    );

    // The real Node.js driver, against `serve --all` of the edited Node set, ends those cases
    // as the model does: the model is held to the driver, not to the values above alone.
    let (out, dir) = &sets[1];
    let (lines, _) = crate::interop_node::node_runs(out.path(), std::slice::from_ref(dir));
    let cases = ["revoked-pem-crl", "revoked-der-crl", "revoked-without-crl"];
    assert_driver_ends_as_the_model(lines, dir, "crl", &cases);
}

/// `scenario all --driver node`: every case passes validate's model of the Node.js driver,
/// and validating the set again as node's does too.
#[test]
fn scenario_all_for_node_passes_every_case() {
    let out = util::tempdir();
    util::generate(out.path(), &["all"], 8, NOW, &["--driver", "node"]);
    let total = crate::cli::assert_every_case_passed(out.path());
    assert_eq!(total, listed(&["--driver", "node"]).len());
    let again = util::run([
        "validate",
        path_arg(out.path()),
        "--driver",
        "node",
        "--at",
        "generation",
        "--no-report",
    ]);
    util::assert_exit(&again, 0, "validate --driver node of a Node set");
}

/// `scenario all --driver rust`: every case passes validate's model of the Rust driver, and
/// validating the set again as rust's does too.
#[test]
fn scenario_all_for_rust_passes_every_case() {
    let out = util::tempdir();
    util::generate(out.path(), &["all"], 8, NOW, &["--driver", "rust"]);
    let total = crate::cli::assert_every_case_passed(out.path());
    assert_eq!(total, listed(&["--driver", "rust"]).len());
    let again = util::run([
        "validate",
        path_arg(out.path()),
        "--driver",
        "rust",
        "--at",
        "generation",
        "--no-report",
    ]);
    util::assert_exit(&again, 0, "validate --driver rust of a Rust set");
}

/// What the catalogue does not show of the Rust driver's CA file, modelled by validate all
/// the same: a CA file without a PEM certificate (here DER) is an empty trust store, where
/// PyMongo's model refuses it; and every certificate of the file is a trust anchor (here the
/// intermediate beside an unrelated CA, for a server that sends its leaf alone). The real
/// Rust driver runs the edited Rust set too, and must end each edited case as the model does.
#[test]
fn validate_models_the_rust_drivers_ca_file_reading() {
    let sets =
        ["pymongo", "rust"].map(|driver| util::scenario("ca-file", 6, &["--driver", driver]));
    let read = |dir: &std::path::Path, name: &str| std::fs::read(dir.join(name)).unwrap();
    for (_out, dir) in &sets {
        let der = pem::parse(read(dir, "ca.pem")).unwrap().into_contents();
        with_file(
            dir,
            "ca.der",
            &der,
            "certificate",
            "chain-from-server",
            "tlsCAFile",
        );
        let mixed = [read(dir, "other-ca.pem"), read(dir, "intermediate.pem")].concat();
        with_file(
            dir,
            "other-and-intermediate.pem",
            &mixed,
            "certificate",
            "leaf-only-from-server",
            "tlsCAFile",
        );
    }
    let edited = ["chain-from-server", "leaf-only-from-server"];
    let seen = |dir: &std::path::Path| edited.map(|case| observed(dir, case).0);
    assert_eq!(
        seen(&sets[0].1),
        ["config-error (unreadable-file)", "reject (unknown-issuer)"],
        "PyMongo: a CA file without a certificate refused; only self-signed anchors"
    );
    assert_eq!(
        seen(&sets[1].1),
        ["reject (unknown-issuer)", "accept"],
        "Rust: a CA file without a certificate trusts nothing; every certificate an anchor"
    );

    let (out, dir) = &sets[1];
    let (lines, _) = crate::interop_rust::rust_runs(out.path(), std::slice::from_ref(dir));
    assert_driver_ends_as_the_model(lines, dir, "ca-file", &edited);
}

/// The real driver's `lines` for the edited `cases` of the set in `dir` (scenario
/// `scenario`) end each as the model's validation of that set does: the model is held to the
/// driver, not to the values a test wrote alone.
fn assert_driver_ends_as_the_model(
    lines: Vec<crate::harness::HarnessLine>,
    dir: &std::path::Path,
    scenario: &str,
    cases: &[&str],
) {
    let mut checked = 0;
    for line in lines {
        let id = line.subject().to_string();
        let Some(case) = cases.iter().find(|case| id == format!("{scenario}/{case}")) else {
            continue;
        };
        let crate::harness::HarnessResult::Observed {
            outcome, reason, ..
        } = line.result
        else {
            panic!("{id}: {:?}", line.result);
        };
        let driver = match reason {
            Some(reason) => format!("{} ({})", outcome.as_str(), reason.as_str()),
            None => outcome.as_str().to_string(),
        };
        assert_eq!(
            driver,
            observed(dir, case).0,
            "{id}: the driver, then the model"
        );
        checked += 1;
    }
    assert_eq!(
        checked,
        cases.len(),
        "each edited case ran through the driver"
    );
}
