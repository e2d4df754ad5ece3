//! `--driver all`: every driver side by side. `list` shows each case with every driver's
//! expectation, a set generated for all drivers holds each one per case and validates each
//! case once per driver, and `policy` gives every driver's answer to one URI. Each is held
//! to what the one-driver commands give.

use crate::util::{self, NOW, path_arg};
use serde_json::Value;
use std::collections::BTreeMap;

/// The drivers as `--driver` names them, PyMongo first: the columns of `list --driver all
/// --format markdown`'s header before the "why" ones.
fn drivers() -> Vec<String> {
    let output = util::run(["list", "--driver", "all", "--format", "markdown"]);
    let text = util::stdout(&output);
    let header = text.lines().next().unwrap();
    header
        .split('|')
        .map(str::trim)
        .skip_while(|cell| cell.is_empty() || *cell == "case")
        .take_while(|cell| !cell.starts_with("why"))
        .map(str::to_string)
        .collect()
}

/// `scenario/case` → the expectation `list --driver DRIVER --format json` gives it.
fn listed(driver: &str) -> BTreeMap<String, Value> {
    let cases = crate::driver_profiles::listed(&["--driver", driver]);
    cases
        .into_iter()
        .map(|(id, case)| (id, case["expect"].clone()))
        .collect()
}

/// `scenario/case` of each case `list --differences` lists, in its order.
fn listed_differences() -> Vec<String> {
    let output = util::run(["list", "--differences", "--format", "json"]);
    let differences = util::parse_json(&util::stdout(&output), "list --differences");
    let id = |d: &Value| {
        format!(
            "{}/{}",
            d["scenario"].as_str().unwrap(),
            d["case"].as_str().unwrap()
        )
    };
    differences.as_array().unwrap().iter().map(id).collect()
}

/// `list --driver all` has a row for every case of the catalogue, and in it each driver's
/// expectation as `list --driver NAME` gives it; the rows where they differ are exactly
/// `list --differences`'s.
#[test]
fn list_all_is_every_drivers_list_side_by_side() {
    let output = util::run(["list", "--driver", "all", "--format", "json"]);
    util::assert_exit(&output, 0, "list --driver all");
    let rows = util::parse_json(&util::stdout(&output), "list --driver all");
    let rows = rows.as_array().unwrap();
    let drivers = drivers();
    assert_eq!(drivers, ["pymongo", "node", "rust", "c"]);
    let per_driver: BTreeMap<&String, BTreeMap<String, Value>> =
        drivers.iter().map(|d| (d, listed(d))).collect();
    assert_eq!(rows.len(), per_driver[&drivers[0]].len(), "a row per case");
    let mut differing = Vec::new();
    for row in rows {
        let id = format!(
            "{}/{}",
            row["scenario"].as_str().unwrap(),
            row["case"].as_str().unwrap()
        );
        for driver in &drivers {
            assert_eq!(
                row["expect"][driver], per_driver[driver][&id],
                "{id} {driver}"
            );
        }
        if drivers
            .iter()
            .any(|d| row["expect"][d] != row["expect"][&drivers[0]])
        {
            differing.push(id);
        }
    }
    assert_eq!(differing, listed_differences());
}

/// A set made with `--driver all` has the same fixture files as a PyMongo set of the same
/// seed and clock; every case holds every driver's expectation as `list` gives it, each
/// other driver's client with the case's own connection string; and the validation runs
/// every case once per driver, each observation equal to the one the driver's own set gets.
#[test]
fn a_set_for_every_driver_holds_and_validates_each_drivers_expectations() {
    let drivers = drivers();
    let root = util::tempdir();
    let every = root.path().join("every");
    let output = util::generate(&every, &["all"], 8, NOW, &["--driver", "all", "-q"]);
    util::assert_exit(&output, 0, "scenario all --driver all");
    // Each driver's own set, validated, for its observations.
    let mut observed_alone: BTreeMap<(String, String), Value> = BTreeMap::new();
    for driver in &drivers {
        let own = root.path().join(driver);
        let output = util::generate(&own, &["all"], 8, NOW, &["--driver", driver, "-q"]);
        util::assert_exit(&output, 0, &format!("scenario all --driver {driver}"));
        for dir in util::scenario_dirs(&own) {
            let report = util::read_json(&dir.join("report.json"));
            let scenario = report["scenario"].as_str().unwrap().to_string();
            for case in report["cases"].as_array().unwrap() {
                let id = format!("{scenario}/{}", case["name"].as_str().unwrap());
                assert!(case.get("driver").is_none(), "{id}: one driver, no label");
                let mut observed = case["observed"].clone();
                observed.as_object_mut().unwrap().remove("message");
                observed_alone.insert((id, driver.clone()), observed);
            }
        }
    }
    // The fixtures are the same bytes: only what the manifests and reports say differs.
    let fixtures = |dir: &std::path::Path| {
        let mut files = util::snapshot(dir);
        files.retain(|path, _| !path.ends_with("manifest.json") && !path.ends_with("report.json"));
        files
    };
    let (mine, reference) = (fixtures(&every), fixtures(&root.path().join(&drivers[0])));
    assert_eq!(mine.len(), reference.len());
    assert!(
        mine == reference,
        "the fixture files differ from a PyMongo set's"
    );
    let expectations: BTreeMap<&String, BTreeMap<String, Value>> =
        drivers.iter().map(|d| (d, listed(d))).collect();
    let mut runs = 0;
    for dir in util::scenario_dirs(&every) {
        let manifest = util::read_json(&dir.join("manifest.json"));
        let scenario = manifest["scenario"].as_str().unwrap();
        for case in manifest["cases"].as_array().unwrap() {
            let id = format!("{scenario}/{}", case["name"].as_str().unwrap());
            assert_eq!(case["client"]["driver"], drivers[0].as_str(), "{id}");
            assert_eq!(case["expect"], expectations[&drivers[0]][&id], "{id}");
            let others = case["other_drivers"].as_array().unwrap();
            let names: Vec<&str> = others
                .iter()
                .map(|o| o["client"]["driver"].as_str().unwrap())
                .collect();
            assert_eq!(
                names,
                drivers[1..].iter().map(String::as_str).collect::<Vec<_>>(),
                "{id}"
            );
            for other in others {
                let driver = other["client"]["driver"].as_str().unwrap().to_string();
                assert_eq!(other["expect"], expectations[&driver][&id], "{id} {driver}");
                for field in ["host", "options", "uri"] {
                    assert_eq!(
                        other["client"][field], case["client"][field],
                        "{id} {field}"
                    );
                }
            }
        }
        let report = util::read_json(&dir.join("report.json"));
        let mut seen = BTreeMap::new();
        for run in report["cases"].as_array().unwrap() {
            let id = format!("{scenario}/{}", run["name"].as_str().unwrap());
            let driver = run["driver"]
                .as_str()
                .expect("each run names its driver")
                .to_string();
            assert_eq!(run["verdict"], "pass", "{id} {driver}: {run}");
            assert_eq!(run["expected"], expectations[&driver][&id], "{id} {driver}");
            let mut observed = run["observed"].clone();
            observed.as_object_mut().unwrap().remove("message");
            assert_eq!(
                observed,
                observed_alone[&(id.clone(), driver.clone())],
                "{id} {driver}"
            );
            *seen.entry(id).or_insert(0) += 1;
            runs += 1;
        }
        assert!(seen.values().all(|n| *n == drivers.len()), "{seen:?}");
    }
    assert_eq!(runs, expectations[&drivers[0]].len() * drivers.len());
}

/// `validate --driver` of a set for every driver takes `all` and refuses one driver, in one
/// line naming the way out.
#[test]
fn a_set_for_every_driver_is_validated_as_such() {
    let (_out, dir) = util::scenario("insecure-tls", 6, &["--driver", "all"]);
    let refused = util::run(["validate", path_arg(&dir), "--driver", "node"]);
    util::assert_usage_error(
        &refused,
        &[
            "the expectations of pymongo, node",
            "not node's",
            "without --driver",
        ],
        "validate --driver node of a set for every driver",
    );
    let (_single, one) = util::scenario("crl", 6, &[]);
    let refused = util::run(["validate", path_arg(&one), "--driver", "all"]);
    util::assert_usage_error(
        &refused,
        &[
            "pymongo's expectations, not every driver's",
            "--driver all`",
        ],
        "validate --driver all of a PyMongo set",
    );
    let output = util::run([
        "validate",
        path_arg(&dir),
        "--at",
        "generation",
        "--driver",
        "all",
    ]);
    util::assert_exit(&output, 0, "validate --driver all");
    assert!(
        util::stdout(&output).contains(" [node] "),
        "{}",
        util::stdout(&output)
    );
}

/// `policy --driver all --format json` is each driver's own `policy --driver NAME` document,
/// in order; it exits 2 when any of them refuses the URI, as that driver's own would.
#[test]
fn policy_all_is_every_drivers_answer() {
    let drivers = drivers();
    let mut not_modelled = 0;
    for uri in [
        "mongodb://h/?tls=true&tlsCAFile=ca.pem",
        "mongodb://h/?tlsCAFile=ca.pem",
        "mongodb://h/?tls=true&tlsInsecure=true&tlsAllowInvalidCertificates=false",
        "mongodb://h/?tls=true&tlsCertificateKeyFile=c.pem&tlsCertificateKeyFilePassword=pw",
        "mongodb://h/?ssl=true&tlsCRLFile=crl.pem&wtimeout=5",
        // Credentials, which not every profile models.
        "mongodb://user:secret@h/?tls=true",
    ] {
        let all = util::run(["policy", "--driver", "all", uri, "--format", "json"]);
        let documents = util::parse_json(&util::stdout(&all), "policy --driver all");
        let documents = documents.as_array().unwrap();
        assert_eq!(documents.len(), drivers.len(), "{uri}");
        let mut any_refused = false;
        let text = util::run(["policy", "--driver", "all", uri]);
        let text = util::stdout(&text);
        for (driver, document) in drivers.iter().zip(documents) {
            let own = util::run(["policy", "--driver", driver, uri, "--format", "json"]);
            any_refused |= own.status.code() == Some(2);
            // A profile that does not model the URI prints no document of its own.
            if util::stdout(&own).is_empty() {
                util::assert_exit(&own, 2, &format!("policy --driver {driver} {uri}"));
                assert_eq!(document["driver"], driver.as_str(), "{uri}");
                assert_eq!(document["modelled"], false, "{uri} {driver}: {document}");
                let line = format!("{driver}: not modelled: ");
                assert!(text.contains(&line), "{uri}: {text}");
                not_modelled += 1;
                continue;
            }
            let expected = util::parse_json(&util::stdout(&own), "policy --driver");
            assert_eq!(document, &expected, "{uri} {driver}");
        }
        util::assert_exit(&all, if any_refused { 2 } else { 0 }, uri);
        let header = text.lines().next().unwrap();
        for driver in &drivers {
            assert!(header.contains(driver.as_str()), "{uri}: {header}");
        }
    }
    assert!(not_modelled > 0, "a URI some profile does not model");
}

/// `reject (unknown-issuer)`: an expectation as the English pages show it.
fn shown(expect: &Value) -> String {
    match expect["reason"].as_str() {
        Some(reason) => format!("{} ({reason})", expect["outcome"].as_str().unwrap()),
        None => expect["outcome"].as_str().unwrap().to_string(),
    }
}

/// The table rows after the header line that starts with `header`, as cells.
fn table_after(page: &str, header: &str) -> Vec<Vec<String>> {
    page.lines()
        .skip_while(|line| !line.starts_with(header))
        .skip(2)
        .take_while(|line| line.starts_with('|'))
        .map(|line| {
            line.trim_matches('|')
                .split(" | ")
                .map(|cell| cell.trim().to_string())
                .collect()
        })
        .collect()
}

/// The docs of a set for every driver: each scenario page has a case × driver table with
/// every driver's expectation (bold where it is not PyMongo's), in every language; one
/// overview page lists exactly the cases `list --differences` lists, each linked to its
/// section; a set for one driver has neither.
#[test]
fn the_docs_of_a_set_for_every_driver_show_the_matrix_and_the_overview() {
    let drivers = drivers();
    let root = util::tempdir();
    let out = root.path().join("every");
    util::generate(&out, &["all"], 9, NOW, &["--driver", "all", "-q"]);
    let docs = util::run(["docs".as_ref(), out.as_os_str(), "-q".as_ref()]);
    util::assert_exit(&docs, 0, "docs of a set for every driver");
    let expectations: BTreeMap<&String, BTreeMap<String, Value>> =
        drivers.iter().map(|d| (d, listed(d))).collect();
    let differing = listed_differences();
    let header_of = |lang: &str| {
        let strings = util::read_json(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("templates/i18n")
                .join(format!("{lang}.json")),
        );
        format!("| {} |", strings["case"].as_str().unwrap())
    };
    for lang in ["en", "ja", "zh", "ko"] {
        let header = format!(
            "{} {}",
            header_of(lang),
            drivers
                .iter()
                .map(|d| format!("`{d}` |"))
                .collect::<Vec<_>>()
                .join(" ")
        );
        for dir in util::scenario_dirs(&out) {
            let scenario = dir.file_name().unwrap().to_str().unwrap().to_string();
            let page = util::page(&out, lang, &scenario);
            let rows = table_after(&page, &header);
            let manifest = util::read_json(&dir.join("manifest.json"));
            let cases = manifest["cases"].as_array().unwrap();
            assert_eq!(rows.len(), cases.len(), "{lang}/{scenario}: a row per case");
            for (row, case) in rows.iter().zip(cases) {
                let name = case["name"].as_str().unwrap();
                let id = format!("{scenario}/{name}");
                assert!(
                    row[0].starts_with(&format!("[`{name}`](#")),
                    "{lang} {id}: {row:?}"
                );
                assert_eq!(row.len(), drivers.len() + 1, "{lang} {id}: {row:?}");
                for (cell, driver) in row[1..].iter().zip(&drivers) {
                    let expect = &expectations[driver][&id];
                    let bold = expect != &expectations[&drivers[0]][&id];
                    assert_eq!(cell.starts_with("**"), bold, "{lang} {id} {driver}: {cell}");
                    if lang == "en" {
                        assert_eq!(cell.trim_matches('*'), shown(expect), "{id} {driver}");
                    }
                }
            }
        }
        let overview = util::page(&out, lang, "drivers");
        let rows = table_after(&overview, &header);
        let listed: Vec<String> = rows
            .iter()
            .map(|row| {
                let link = &row[0];
                let id = link[2..link.find("`]").unwrap()].to_string();
                let target = &link[link.find("](").unwrap() + 2..link.len() - 1];
                let (page, anchor) = target.split_once(".md#").unwrap();
                let linked = util::page(&out, lang, page);
                let heading = format!("### {}", id.split_once('/').unwrap().1);
                assert!(
                    linked.contains(&heading),
                    "{lang}: {target} has no {heading}"
                );
                assert_eq!(anchor, id.split_once('/').unwrap().1, "{lang} {id}");
                id
            })
            .collect();
        // In the index's order of the folders; the same cases.
        let (mut listed, mut differing) = (listed, differing.clone());
        listed.sort();
        differing.sort();
        assert_eq!(
            listed, differing,
            "{lang}: the overview lists the differing cases"
        );
        let index = util::page(&out, lang, "index");
        assert!(
            index.contains("](drivers.md)"),
            "{lang}: the index links the overview"
        );
    }
    // One driver's set: no matrix, no overview.
    let single = root.path().join("single");
    util::generate(&single, &["crl"], 9, NOW, &["-q"]);
    let docs = util::run(["docs".as_ref(), single.as_os_str(), "-q".as_ref()]);
    util::assert_exit(&docs, 0, "docs of a PyMongo set");
    assert!(!single.join("docs/en/drivers.md").exists());
    let page = util::page(&single, "en", "crl");
    assert!(
        table_after(&page, "| Case | `pymongo` |").is_empty(),
        "{page}"
    );
}
