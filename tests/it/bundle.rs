//! `scenario --zip`, `completions`, `man` and `--quiet`: the zips are read back with Python's
//! `zipfile` and `unzip`, not with the crate that wrote them.

use crate::util::{self, NOW, path_arg};
use serde_json::Value;
use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// Lists a zip with Python's `zipfile` (name → [mode, date_time]) and extracts it into `into`.
fn python_list_and_extract(zip: &Path, into: &Path) -> Vec<(String, u32, Vec<u64>)> {
    let script = "import json, sys, zipfile\n\
                  z = zipfile.ZipFile(sys.argv[1])\n\
                  bad = z.testzip()\n\
                  assert bad is None, bad\n\
                  z.extractall(sys.argv[2])\n\
                  print(json.dumps([[i.filename, (i.external_attr >> 16) & 0o7777, list(i.date_time)] for i in z.infolist()]))";
    let output = util::tool("python3")
        .args(["-c", script, path_arg(zip), path_arg(into)])
        .output()
        .expect("run python3");
    util::assert_exit(&output, 0, "python3 zipfile");
    let listed = util::parse_json(&util::stdout(&output), "zipfile listing");
    listed
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let date = e[2].as_array().unwrap().iter().map(|n| n.as_u64().unwrap());
            (
                e[0].as_str().unwrap().to_string(),
                e[1].as_u64().unwrap() as u32,
                date.collect(),
            )
        })
        .collect()
}

/// What the zip of the scenario folders `dirs` must hold: entry name → mode. `nested` puts
/// each scenario under NAME/.
fn expected_entries(dirs: &[std::path::PathBuf], nested: bool) -> BTreeMap<String, u32> {
    let mut expected = BTreeMap::new();
    for dir in dirs {
        let manifest = util::read_json(&dir.join("manifest.json"));
        let prefix = if nested {
            format!("{}/", manifest["scenario"].as_str().unwrap())
        } else {
            String::new()
        };
        for file in manifest["files"].as_array().unwrap() {
            let mode = match file["kind"].as_str().unwrap() {
                "private-key" | "key-and-certificate" | "chain-and-key" => 0o600,
                _ => 0o644,
            };
            expected.insert(format!("{prefix}{}", file["path"].as_str().unwrap()), mode);
        }
        expected.insert(format!("{prefix}manifest.json"), 0o644);
        expected.insert(format!("{prefix}report.json"), 0o644);
    }
    expected
}

#[test]
fn all_zip_is_byte_identical_across_runs_and_folders() {
    let a = util::tempdir();
    let b = util::tempdir();
    for out in [&a, &b] {
        util::generate(out.path(), &["all"], 9, NOW, &["--zip"]);
    }
    let zip_a = std::fs::read(a.path().join("all.zip")).expect("OUT/all.zip");
    let zip_b = std::fs::read(b.path().join("all.zip")).expect("OUT/all.zip");
    assert!(zip_a == zip_b, "same --seed and --now, different all.zip");
    let mode = std::fs::metadata(a.path().join("all.zip"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "the zip holds private keys");
    for name in util::SCENARIOS {
        assert!(
            !a.path().join(format!("{name}.zip")).exists(),
            "`all` makes one all.zip, not {name}.zip"
        );
    }

    // One scenario: OUT/NAME.zip, no all.zip.
    let single = util::tempdir();
    let output = util::generate(single.path(), &["enable-tls"], 9, NOW, &["--zip"]);
    let zip = single.path().join("enable-tls.zip");
    assert!(zip.is_file(), "{}", util::describe(&output));
    assert!(!single.path().join("all.zip").exists());
    assert!(
        util::stdout(&output).contains(&format!("wrote {}", zip.display())),
        "{}",
        util::describe(&output)
    );
}

#[test]
fn zip_entries_modes_and_bytes_as_python_reads_them() {
    let out = util::tempdir();
    util::generate(out.path(), &["all"], 9, NOW, &["--zip"]);
    let zip = out.path().join("all.zip");
    let extracted = util::tempdir();
    let listed = python_list_and_extract(&zip, extracted.path());

    let dirs = util::scenario_dirs(out.path());
    assert_eq!(dirs.len(), util::SCENARIOS.len());
    let expected = expected_entries(&dirs, true);
    let names: Vec<&String> = listed.iter().map(|(n, _, _)| n).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "entries in a fixed (sorted) order");
    let found: BTreeMap<String, u32> = listed.iter().map(|(n, m, _)| (n.clone(), *m)).collect();
    assert_eq!(found, expected, "entries and their Unix modes");
    assert!(found.values().any(|&m| m == 0o600) && found.values().any(|&m| m == 0o644));
    for (name, _, date) in &listed {
        assert_eq!(date, &[2026, 1, 1, 0, 0, 0], "{name}: stamped with --now");
    }

    // Fixtures and manifests are the files on disk, byte for byte; the report keeps every
    // verdict (its run-specific messages are left out).
    for dir in &dirs {
        let name = dir.file_name().unwrap();
        let manifest = util::read_json(&dir.join("manifest.json"));
        let mut files: Vec<String> = manifest["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap().to_string())
            .collect();
        files.push("manifest.json".into());
        for file in files {
            assert_eq!(
                std::fs::read(extracted.path().join(name).join(&file)).unwrap(),
                std::fs::read(dir.join(&file)).unwrap(),
                "{}/{file} differs from the file on disk",
                name.display()
            );
        }
        let on_disk = util::read_json(&dir.join("report.json"));
        let bundled = util::read_json(&extracted.path().join(name).join("report.json"));
        let verdicts = |r: &Value| -> Vec<(Value, Value, Value)> {
            r["cases"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| {
                    (
                        c["name"].clone(),
                        c["observed"]["outcome"].clone(),
                        c["verdict"].clone(),
                    )
                })
                .collect()
        };
        assert_eq!(verdicts(&bundled), verdicts(&on_disk));
    }

    // Info-ZIP's own integrity check; a machine without unzip fails here (CI installs it).
    let test = util::tool("unzip")
        .args(["-t", path_arg(&zip)])
        .output()
        .expect("unzip must be installed");
    util::assert_exit(&test, 0, "unzip -t");
}

#[test]
fn single_scenario_zip_holds_its_files_at_the_root() {
    let out = util::tempdir();
    util::generate(
        out.path(),
        &["client-cert"],
        3,
        NOW,
        &["--zip", "--no-validate"],
    );
    let extracted = util::tempdir();
    let listed = python_list_and_extract(&out.path().join("client-cert.zip"), extracted.path());
    let mut expected = expected_entries(&[out.path().join("client-cert")], false);
    // --no-validate: there is no report to bundle.
    expected.remove("report.json");
    let found: BTreeMap<String, u32> = listed.into_iter().map(|(n, m, _)| (n, m)).collect();
    assert_eq!(found, expected);
}

/// A zip is one file: one pkigen did not write is never replaced, not even with `--force`.
#[test]
fn a_zip_pkigen_did_not_write_is_not_replaced() {
    let out = util::tempdir();
    let zip = out.path().join("enable-tls.zip");
    std::fs::write(&zip, b"someone else's").unwrap();
    for force in [&[][..], &["--force"][..]] {
        let mut args = vec![
            "scenario",
            "enable-tls",
            "--out",
            path_arg(out.path()),
            "--zip",
        ];
        args.extend(force);
        let output = util::run(&args);
        util::assert_usage_error(
            &output,
            &["enable-tls.zip", "not written by pkigen", "move it away"],
            &format!("foreign zip {force:?}"),
        );
        assert_eq!(std::fs::read(&zip).unwrap(), b"someone else's");
        assert!(!out.path().join("enable-tls").exists(), "nothing generated");
    }
    // pkigen's own zip is replaced on the next run.
    std::fs::remove_file(&zip).unwrap();
    util::generate(out.path(), &["enable-tls"], 1, NOW, &["--zip"]);
    util::generate(out.path(), &["enable-tls"], 2, NOW, &["--zip"]);
}

#[test]
fn json_output_names_the_zip() {
    let out = util::tempdir();
    let output = util::generate(
        out.path(),
        &["enable-tls"],
        4,
        NOW,
        &["--zip", "--format", "json"],
    );
    let value = util::parse_json(&util::stdout(&output), "scenario --format json");
    let zip = out.path().join("enable-tls.zip");
    assert_eq!(value["scenarios"][0]["zip"], zip.display().to_string());

    let output = util::generate(
        out.path(),
        &["enable-tls"],
        4,
        NOW,
        &["--zip", "--no-validate", "--format", "json"],
    );
    let value = util::parse_json(
        &util::stdout(&output),
        "scenario --no-validate --format json",
    );
    assert_eq!(value["zips"][0], zip.display().to_string());
}

#[test]
fn completions_and_man_page() {
    let output = util::run(["completions", "bash"]);
    util::assert_exit(&output, 0, "completions bash");
    let script = util::stdout(&output);
    assert!(script.contains("complete"), "{script}");
    for sub in ["scenario", "validate", "check", "list", "inspect", "serve"] {
        assert!(script.contains(sub), "bash completion lacks {sub}");
    }
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let output = util::run(["completions", shell]);
        util::assert_exit(&output, 0, shell);
        assert!(util::stdout(&output).contains("scenario"), "{shell}");
    }
    let output = util::run(["completions", "tcsh"]);
    util::assert_exit(&output, 2, "an unknown shell is refused");

    let output = util::run(["man"]);
    util::assert_exit(&output, 0, "man");
    let page = util::stdout(&output);
    assert!(page.starts_with(".TH") || page.starts_with(".ie"), "{page}");
    assert!(page.contains("scenario"), "{page}");
}

#[test]
fn quiet_prints_nothing_but_errors() {
    let out = util::tempdir();
    // No --seed: even the random-seed note on stderr is silenced.
    for args in [
        vec!["--quiet", "scenario", "enable-tls", "--out"],
        vec![
            "scenario",
            "-q",
            "enable-tls",
            "--zip",
            "--format",
            "json",
            "--out",
        ],
    ] {
        let mut args: Vec<&str> = args;
        args.push(path_arg(out.path()));
        let output = util::run(&args);
        util::assert_exit(&output, 0, &args.join(" "));
        assert!(
            output.stdout.is_empty() && output.stderr.is_empty(),
            "{args:?} printed something\n{}",
            util::describe(&output)
        );
    }
    assert!(out.path().join("enable-tls/report.json").is_file());
    assert!(out.path().join("enable-tls.zip").is_file());

    // A failure still explains itself.
    let output = util::run(["-q", "scenario", "no-such-scenario"]);
    util::assert_usage_error(&output, &["no-such-scenario"], "quiet failure");

    // Without --quiet, stdout stays pure JSON (no progress line: stderr is not a terminal).
    let output = util::run([
        "scenario",
        "enable-tls",
        "--format",
        "json",
        "--out",
        path_arg(out.path()),
    ]);
    util::assert_exit(&output, 0, "scenario --format json");
    util::parse_json(&util::stdout(&output), "scenario --format json");
    assert!(
        util::stderr(&output).starts_with("seed: ") && util::stderr(&output).lines().count() == 1,
        "{}",
        util::describe(&output)
    );
}
