//! `--driver` on `scenario`, `list`, `validate` and `docs`: a set generated for a driver
//! holds that driver's expectations and names it as every case's client; `list` shows them;
//! `validate` and `docs` refuse a `--driver` the manifests contradict, in one line.

use crate::util::{self, NOW, path_arg};
use serde_json::Value;
use std::collections::BTreeMap;

/// `scenario/case` → the expectation `list ARGS --format json` gives it.
fn listed(args: &[&str]) -> BTreeMap<String, Value> {
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

/// `list --driver node` is PyMongo's catalogue but where `list --differences` says Node
/// differs, and says why there; a set generated with `--driver node` holds exactly those
/// expectations, names node as every client, and pins no client's TLS version.
#[test]
fn a_node_set_holds_the_node_expectations_list_shows() {
    let pymongo = listed(&[]);
    let node = listed(&["--driver", "node"]);
    let differences = util::run(["list", "--differences", "--format", "json"]);
    util::assert_exit(&differences, 0, "list --differences");
    let differences = util::parse_json(&util::stdout(&differences), "list --differences");
    let differing: BTreeMap<String, &Value> = differences
        .as_array()
        .unwrap()
        .iter()
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
    assert_eq!(differing.len(), 17, "{differences:#}");
    assert_eq!(
        pymongo.keys().collect::<Vec<_>>(),
        node.keys().collect::<Vec<_>>()
    );
    for (id, case) in &node {
        match differing.get(id) {
            Some(d) => {
                assert_eq!(case["expect"], d["expect"]["node"], "{id}");
                assert_eq!(pymongo[id]["expect"], d["expect"]["pymongo"], "{id}");
                assert_ne!(case["expect"], pymongo[id]["expect"], "{id}");
                assert_eq!(case["why"], d["why"]["node"], "{id}");
            }
            None => {
                assert_eq!(case["expect"], pymongo[id]["expect"], "{id}");
                assert!(case.get("why").is_none(), "{id}: {case}");
            }
        }
        assert!(pymongo[id].get("why").is_none(), "{id}");
    }
    let text = util::stdout(&util::run(["list", "--driver", "node"]));
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("crl-with-insecure "))
        .expect("the crl-with-insecure line");
    assert!(
        line.contains(" accept ") && line.contains("(node: "),
        "{line}"
    );

    let out = util::tempdir();
    util::generate(
        out.path(),
        &["all"],
        3,
        NOW,
        &["--driver", "node", "--no-validate", "-q"],
    );
    let mut seen = 0;
    for dir in util::scenario_dirs(out.path()) {
        let manifest = util::read_json(&dir.join("manifest.json"));
        let scenario = manifest["scenario"].as_str().unwrap();
        for case in manifest["cases"].as_array().unwrap() {
            let id = format!("{scenario}/{}", case["name"].as_str().unwrap());
            assert_eq!(case["expect"], node[&id]["expect"], "{id}");
            assert_eq!(case["client"]["driver"], "node", "{id}");
            assert_eq!(case["client"]["tls_versions"], Value::Null, "{id}");
            seen += 1;
        }
    }
    assert_eq!(seen, node.len());
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
