//! Every JSON document pkigen writes, held to its schema in `tests/schemas/` by a validator pkigen
//! does not control (Python's `jsonschema`, draft 2020-12, through
//! `tests/python/check_schemas.py`, which first checks every schema against the draft's
//! meta-schema): the manifests and reports of `scenario all`, and the `--format json` output
//! of scenario, validate, list, check, policy and inspect; and the Python harnesses' lines.
//! A schema that no longer describes the output fails here, and so does one too loose to
//! refuse a document pkigen would never write.

use crate::divergences;
use crate::harness::{self, Engine, HarnessLine, HarnessResult};
use crate::python::{python, script};
use crate::util::{self, NOW, path_arg};
use pkigen::{Outcome, Reason};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Stdio;

const SCHEMAS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/schemas");

/// Each `(schema file, document)` through the validator: one line per document (per line of
/// a `.jsonl` document), in order.
fn validate(documents: &[(&str, PathBuf)]) -> Vec<HarnessLine> {
    let output = util::tool(python())
        .arg(script("check_schemas.py"))
        .arg(SCHEMAS)
        .args(
            documents
                .iter()
                .map(|(schema, path)| format!("{schema}={}", path.display())),
        )
        .stdin(Stdio::null())
        .output()
        .expect("run check_schemas.py");
    util::assert_exit(&output, 0, "check_schemas.py");
    let lines = harness::parse_lines(&util::stdout(&output), "check_schemas.py");
    for line in &lines {
        assert_eq!(line.engine, Engine::Jsonschema, "{line:?}");
    }
    lines
}

/// The errors of each line, by subject.
fn errors(lines: &[HarnessLine]) -> Vec<(String, Vec<String>)> {
    lines
        .iter()
        .map(|line| match &line.result {
            HarnessResult::SchemaCheck { errors, .. } => {
                (line.subject().to_string(), errors.clone())
            }
            other => panic!("not a schema check: {other:?}"),
        })
        .collect()
}

/// Asserts every document conforms, naming every error of those that do not.
#[track_caller]
pub(crate) fn assert_conform(documents: &[(&str, PathBuf)]) {
    let lines = validate(documents);
    let plain = documents
        .iter()
        .filter(|(_, path)| path.extension().is_none_or(|e| e != "jsonl"))
        .count();
    assert!(lines.len() >= plain, "a line per document: {lines:?}");
    let broken: Vec<String> = errors(&lines)
        .into_iter()
        .filter(|(_, errors)| !errors.is_empty())
        .map(|(subject, errors)| format!("{subject}:\n    {}", errors.join("\n    ")))
        .collect();
    assert!(
        broken.is_empty(),
        "{} document(s) do not conform to their schema:\n  {}",
        broken.len(),
        broken.join("\n  ")
    );
}

/// `pkigen ARGS`, which must exit `code`; its stdout saved as `root/NAME`.
#[track_caller]
fn saved(root: &Path, name: &str, code: i32, args: &[&str]) -> PathBuf {
    let output = util::run(args);
    util::assert_exit(&output, code, &format!("pkigen {}", args.join(" ")));
    let path = root.join(name);
    std::fs::write(&path, &output.stdout).unwrap();
    path
}

/// The files directly in the scenario folders under `out` whose name ends with one of
/// `suffixes`, sorted.
fn files_ending(out: &Path, suffixes: &[&str]) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = util::scenario_dirs(out)
        .iter()
        .flat_map(|dir| std::fs::read_dir(dir).unwrap())
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            let name = path.file_name().unwrap().to_string_lossy();
            suffixes.iter().any(|suffix| name.ends_with(suffix))
        })
        .collect();
    files.sort();
    files
}

/// Each manifest and report of the sets under `out`, with its schema.
fn manifests_and_reports(out: &Path) -> Vec<(&'static str, PathBuf)> {
    files_ending(out, &["manifest.json", "report.json"])
        .into_iter()
        .map(|path| match path.ends_with("manifest.json") {
            true => ("manifest.schema.json", path),
            false => ("report.schema.json", path),
        })
        .collect()
}

#[test]
fn every_document_pkigen_writes_conforms_to_its_schema() {
    let root = util::tempdir();
    let root = root.path();
    let out = root.join("out");
    let out_arg = path_arg(&out);
    let mut documents: Vec<(&str, PathBuf)> = Vec::new();

    // `scenario all`, validated and zipped: the results, every manifest and report.
    let output = util::generate(&out, &["all"], 11, NOW, &["--format", "json", "--zip"]);
    std::fs::write(root.join("scenario.json"), &output.stdout).unwrap();
    documents.push(("results.schema.json", root.join("scenario.json")));
    for path in files_ending(&out, &["manifest.json"]) {
        documents.push(("manifest.schema.json", path));
    }
    let reports = files_ending(&out, &["report.json"]);
    assert_eq!(
        reports.len(),
        util::SCENARIOS.len(),
        "a report per scenario"
    );
    for path in reports {
        documents.push(("report.schema.json", path));
    }
    // Without validation, with and without zips.
    for (name, extra) in [
        ("written-zips.json", &["--zip"][..]),
        ("written.json", &[][..]),
    ] {
        let mut args = vec!["--no-validate", "--format", "json"];
        args.extend(extra);
        let output = util::generate(
            &root.join(name).with_extension("d"),
            &["crl"],
            11,
            NOW,
            &args,
        );
        std::fs::write(root.join(name), &output.stdout).unwrap();
        documents.push(("written.schema.json", root.join(name)));
    }
    // validate: at the generation clock (every case passes) and decades on (they fail).
    documents.push((
        "results.schema.json",
        saved(
            root,
            "validate.json",
            0,
            &[
                "validate",
                out_arg,
                "--at",
                "generation",
                "--format",
                "json",
            ],
        ),
    ));
    documents.push((
        "results.schema.json",
        saved(
            root,
            "validate-later.json",
            1,
            &[
                "validate",
                out_arg,
                "--at",
                "2060-01-01T00:00:00Z",
                "--no-report",
                "--format",
                "json",
            ],
        ),
    ));
    documents.push((
        "list.schema.json",
        saved(root, "list.json", 0, &["list", "--format", "json"]),
    ));
    documents.push((
        "list.schema.json",
        saved(
            root,
            "list-node.json",
            0,
            &["list", "--driver", "node", "--format", "json"],
        ),
    ));
    documents.push((
        "differences.schema.json",
        saved(
            root,
            "differences.json",
            0,
            &["list", "--differences", "--format", "json"],
        ),
    ));
    documents.push((
        "differences.schema.json",
        saved(
            root,
            "list-all.json",
            0,
            &["list", "--driver", "all", "--format", "json"],
        ),
    ));
    // A set for every driver, validated: its manifests and the reports of every driver's runs.
    let every = root.join("every-driver");
    util::generate(&every, &["all"], 11, NOW, &["--driver", "all", "-q"]);
    documents.extend(manifests_and_reports(&every));
    // policy --driver all: accepted by every driver, and refused by some.
    for (name, code, uri) in [
        (
            "policy-all.json",
            0,
            "mongodb://h/?tls=true&tlsCAFile=ca.pem",
        ),
        (
            "policy-all-refused.json",
            2,
            "mongodb://h/?tlsCAFile=ca.pem&tlsInsecure=true&tlsAllowInvalidHostnames=true",
        ),
    ] {
        let args = ["policy", "--driver", "all", uri, "--format", "json"];
        documents.push(("policy-all.schema.json", saved(root, name, code, &args)));
    }
    // The Node.js driver's fixtures: its manifests and reports.
    let node = root.join("node");
    util::generate(
        &node,
        &["all"],
        11,
        NOW,
        &["--driver", "node", "--no-validate", "-q"],
    );
    documents.extend(manifests_and_reports(&node));
    // policy: every option set, with and without secrets, a refusal, and warnings with both.
    let every_option = "mongodb://h/?tls=true&tlsCAFile=ca.pem&tlsCertificateKeyFile=c.pem&\
                        tlsCRLFile=crl.pem&tlsCertificateKeyFilePassword=pw&tlsAllowInvalidHostnames=true";
    for (name, code, args) in [
        (
            "policy.json",
            0,
            &["policy", every_option, "--format", "json"][..],
        ),
        (
            "policy-secrets.json",
            0,
            &["policy", every_option, "--format", "json", "--show-secrets"][..],
        ),
        (
            "policy-plain.json",
            0,
            &["policy", "mongodb://h/", "--format", "json"][..],
        ),
        (
            "policy-refused.json",
            2,
            &[
                "policy",
                "mongodb://h/?tlsInsecure=true&tlsAllowInvalidCertificates=false",
                "--format",
                "json",
            ][..],
        ),
        (
            "policy-warned.json",
            0,
            &[
                "policy",
                "mongodb://h/?tls=true&foo=1&TLS=true&compressors=snappy",
                "--format",
                "json",
            ][..],
        ),
        (
            "policy-warned-refused.json",
            2,
            &["policy", "mongodb://u@h/?tls=yes", "--format", "json"][..],
        ),
        (
            "policy-node.json",
            0,
            &[
                "policy",
                "--driver",
                "node",
                every_option,
                "--format",
                "json",
            ][..],
        ),
        (
            "policy-node-secrets.json",
            0,
            &[
                "policy",
                "--driver",
                "node",
                every_option,
                "--format",
                "json",
                "--show-secrets",
            ][..],
        ),
        (
            "policy-node-plain.json",
            0,
            &[
                "policy",
                "--driver",
                "node",
                "mongodb://h/",
                "--format",
                "json",
            ][..],
        ),
        (
            "policy-node-refused.json",
            2,
            &[
                "policy",
                "--driver",
                "node",
                "mongodb://h/?tlsInsecure=true&tlsAllowInvalidCertificates=false",
                "--format",
                "json",
            ][..],
        ),
        (
            "policy-node-warned.json",
            0,
            &[
                "policy",
                "--driver",
                "node",
                "mongodb://h/?tls=true&wtimeout=5&j=true",
                "--format",
                "json",
            ][..],
        ),
        (
            "policy-node-warned-refused.json",
            2,
            &[
                "policy",
                "--driver",
                "node",
                "mongodb://h/?fsync=true&tlsInsecure=yes",
                "--format",
                "json",
            ][..],
        ),
        (
            "policy-c.json",
            0,
            &["policy", "--driver", "c", every_option, "--format", "json"][..],
        ),
        (
            "policy-c-secrets.json",
            0,
            &[
                "policy",
                "--driver",
                "c",
                every_option,
                "--format",
                "json",
                "--show-secrets",
            ][..],
        ),
        (
            "policy-c-plain.json",
            0,
            &[
                "policy",
                "--driver",
                "c",
                "mongodb://h/",
                "--format",
                "json",
            ][..],
        ),
        (
            "policy-c-refused.json",
            2,
            &[
                "policy",
                "--driver",
                "c",
                "mongodb://h/?tls=yes&tlsInsecure=true&tlsAllowInvalidCertificates=false",
                "--format",
                "json",
            ][..],
        ),
        (
            "policy-rust.json",
            0,
            &[
                "policy",
                "--driver",
                "rust",
                "mongodb://h/?tls=true&tlsCAFile=ca.pem&tlsCertificateKeyFile=c.pem&tlsInsecure=true",
                "--format",
                "json",
            ][..],
        ),
        (
            "policy-rust-plain.json",
            0,
            &[
                "policy",
                "--driver",
                "rust",
                "mongodb://h/",
                "--format",
                "json",
            ][..],
        ),
        (
            "policy-rust-refused.json",
            2,
            &[
                "policy",
                "--driver",
                "rust",
                "mongodb://h/?tls=true&tlsCRLFile=crl.pem",
                "--format",
                "json",
            ][..],
        ),
    ] {
        documents.push(("policy.schema.json", saved(root, name, code, args)));
    }
    // inspect: every certificate, chain, key, CRL and OCSP response of the catalogue.
    let fixtures = files_ending(&out, &[".pem", ".der"]);
    assert!(fixtures.len() > 50, "{} fixture files", fixtures.len());
    let mut inspect = vec!["inspect", "--format", "json"];
    inspect.extend(fixtures.iter().map(|p| path_arg(p)));
    let inspected = saved(root, "inspect.json", 0, &inspect);
    let kinds: std::collections::BTreeSet<String> = util::read_json(&inspected)
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|file| file["items"].as_array().unwrap().clone())
        .map(|item| item["type"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        ["certificate", "crl", "ocsp-response", "private-key"],
        "inspect showed every kind of item"
    );
    documents.push(("inspect.schema.json", inspected));
    // check: nothing to say, then a changed file and certificates expiring.
    documents.push((
        "check.schema.json",
        saved(
            root,
            "check.json",
            0,
            &["check", out_arg, "--format", "json"],
        ),
    ));
    std::fs::write(out.join("enable-tls/ca.pem"), "changed").unwrap();
    documents.push((
        "check.schema.json",
        saved(
            root,
            "check-findings.json",
            1,
            &[
                "check",
                out_arg,
                "--expiring-within",
                "5000",
                "--format",
                "json",
            ],
        ),
    ));
    documents.push((
        "divergences.schema.json",
        PathBuf::from(divergences::DIVERGENCES),
    ));
    assert_conform(&documents);
}

#[test]
fn the_harnesses_lines_conform_to_their_schema() {
    let (_out, ocsp) = util::scenario("ocsp", 12, &[]);
    let (_out2, crl) = util::scenario("crl", 12, &[]);
    let root = util::tempdir();
    let mut documents: Vec<(&str, PathBuf)> = Vec::new();
    // ssl_cases.py: observations and skips.
    let output = util::tool(python())
        .arg(script("ssl_cases.py"))
        .args([&crl, &ocsp])
        .stdin(Stdio::null())
        .output()
        .expect("run ssl_cases.py");
    util::assert_exit(&output, 0, "ssl_cases.py");
    let lines = harness::parse_lines(&util::stdout(&output), "ssl_cases.py");
    assert!(
        lines
            .iter()
            .any(|l| matches!(l.result, HarnessResult::Skipped { .. }))
            && lines
                .iter()
                .any(|l| matches!(l.result, HarnessResult::Observed { .. })),
        "both kinds of line: {lines:?}"
    );
    std::fs::write(root.path().join("ssl_cases.jsonl"), &output.stdout).unwrap();
    documents.push((
        "harness-result.schema.json",
        root.path().join("ssl_cases.jsonl"),
    ));
    // pymongo_policy_check.py: an answer with a warning, and a refusal.
    let input = root.path().join("policy-input.jsonl");
    std::fs::write(
        &input,
        "{\"uri\": \"mongodb://h/?tls=true&foo=bar\"}\n\
         {\"uri\": \"mongodb://h/?tlsInsecure=true&tlsAllowInvalidHostnames=true\"}\n",
    )
    .unwrap();
    let output = util::tool(python())
        .arg(script("pymongo_policy_check.py"))
        .current_dir(root.path())
        .stdin(std::fs::File::open(&input).unwrap())
        .output()
        .expect("run pymongo_policy_check.py");
    util::assert_exit(&output, 0, "pymongo_policy_check.py");
    let answers = harness::parse_lines(&util::stdout(&output), "pymongo_policy_check.py");
    assert!(
        matches!(&answers[..], [
            HarnessLine { result: HarnessResult::Policy { warnings, .. }, .. },
            HarnessLine { result: HarnessResult::PolicyError { .. }, .. },
        ] if !warnings.is_empty()),
        "{answers:?}"
    );
    std::fs::write(root.path().join("policy.jsonl"), &output.stdout).unwrap();
    documents.push((
        "harness-result.schema.json",
        root.path().join("policy.jsonl"),
    ));
    // Every kind the Rust side reads, as it writes them: the type and the schema agree.
    let every_kind = [
        HarnessResult::Observed {
            outcome: Outcome::Reject,
            reason: Some(Reason::Expired),
            message: "certificate has expired".into(),
        },
        HarnessResult::Observed {
            outcome: Outcome::Accept,
            reason: None,
            message: "ping ok".into(),
        },
        HarnessResult::Skipped {
            why: "cannot staple".into(),
        },
        HarnessResult::HarnessError {
            message: "pkigen serve printed no address".into(),
        },
        HarnessResult::SchemaCheck {
            schema: "list.schema.json".into(),
            errors: vec!["(root): not an array".into()],
        },
    ]
    .into_iter()
    .map(|result| line(Engine::PymongoOcsp, Some("ocsp/case"), result))
    .collect::<String>();
    std::fs::write(root.path().join("kinds.jsonl"), every_kind).unwrap();
    documents.push((
        "harness-result.schema.json",
        root.path().join("kinds.jsonl"),
    ));
    assert_conform(&documents);
}

/// A harness line as JSON text with its newline.
fn line(engine: Engine, subject: Option<&str>, result: HarnessResult) -> String {
    let line = HarnessLine {
        engine,
        subject: subject.map(str::to_string),
        result,
    };
    serde_json::to_string(&line).unwrap() + "\n"
}

#[test]
fn the_schemas_refuse_what_pkigen_never_writes() {
    let (_out, dir) = util::scenario("crl", 13, &[]);
    let root = util::tempdir();
    let manifest = util::read_json(&dir.join("manifest.json"));
    type Edit = fn(&mut Value);
    let breakages: [(&str, &str, Edit, &str); 9] = [
        (
            "manifest.schema.json",
            "a field pkigen does not write",
            |m| m["cases"][0]["server"]["sni"] = "db.example.com".into(),
            "'sni' was unexpected",
        ),
        (
            "manifest.schema.json",
            "a reason outside the vocabulary",
            |m| m["cases"][0]["expect"]["reason"] = "revoked-ish".into(),
            "'revoked-ish'",
        ),
        (
            "manifest.schema.json",
            "an accept with a reason",
            |m| {
                m["cases"][0]["expect"] =
                    serde_json::json!({"outcome": "accept", "reason": "expired"})
            },
            "expect/reason",
        ),
        (
            "manifest.schema.json",
            "another schema version",
            |m| m["schema"] = 2.into(),
            "schema",
        ),
        (
            "manifest.schema.json",
            "a key type pkigen does not make",
            |m| m["key_type"] = "rsa-1024".into(),
            "'rsa-1024'",
        ),
        (
            "manifest.schema.json",
            "a generation clock that is not RFC 3339",
            |m| m["now"] = "2026-01-01 00:00:00".into(),
            "now",
        ),
        (
            "manifest.schema.json",
            "a mongod option pkigen never writes",
            |m| {
                let args = m["cases"][0]["mongod"]["args"].as_array_mut().unwrap();
                args.push("--tlsAllowInvalidCertificates".into());
            },
            "--tlsAllowInvalidCertificates",
        ),
        (
            "manifest.schema.json",
            "a mongod without its CA file",
            |m| {
                let mongod = m["cases"][0]["mongod"].as_object_mut().unwrap();
                mongod.remove("ca_file");
            },
            "'ca_file' is a required property",
        ),
        (
            "manifest.schema.json",
            "a mongod note of a kind pkigen never writes",
            |m| {
                let mongod = m["cases"][0]["mongod"].as_object_mut().unwrap();
                mongod.insert(
                    "notes".into(),
                    serde_json::json!([{"kind": "mongod-is-slow"}]),
                );
            },
            "mongod-is-slow",
        ),
    ];
    let mut documents = Vec::new();
    for (i, (schema, _, edit, _)) in breakages.iter().enumerate() {
        let mut broken = manifest.clone();
        edit(&mut broken);
        let path = root.path().join(format!("broken-{i}.json"));
        std::fs::write(&path, serde_json::to_vec_pretty(&broken).unwrap()).unwrap();
        documents.push((*schema, path));
    }
    // The manifest as written conforms: each refusal is the edit's.
    documents.push(("manifest.schema.json", dir.join("manifest.json")));
    let found = errors(&validate(&documents));
    assert_eq!(found.len(), breakages.len() + 1);
    for ((_, what, _, needle), (subject, errors)) in breakages.iter().zip(&found) {
        assert!(
            errors.iter().any(|e| e.contains(needle)),
            "{what} ({subject}): the schema must refuse it, naming {needle:?}: {errors:?}"
        );
    }
    assert_eq!(found.last().unwrap().1, Vec::<String>::new());

    // pkigen's own reader refuses the field too, in one line, before anything runs.
    let mut extra = manifest.clone();
    extra["cases"][0]["server"]["sni"] = "db.example.com".into();
    std::fs::write(
        dir.join("manifest.json"),
        serde_json::to_vec_pretty(&extra).unwrap(),
    )
    .unwrap();
    let refused = util::run(["validate", path_arg(&dir)]);
    util::assert_usage_error(
        &refused,
        &[
            "manifest.json",
            "not a pkigen manifest",
            "unknown field `sni`",
        ],
        "validate a manifest with a field pkigen does not write",
    );
    assert!(!dir.join("report.json").exists(), "no case ran");
}

/// The vocabulary schema's enums are pkigen's own lists, so a reason, outcome or key type
/// added to pkigen is added to the schemas too, before any output uses it.
#[test]
fn the_vocabulary_schema_names_every_variant() {
    let vocabulary = util::read_json(&Path::new(SCHEMAS).join("vocabulary.schema.json"));
    let names = |definition: &str| -> Vec<String> {
        vocabulary["$defs"][definition]["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("no enum {definition}"))
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    };
    let spelled = |values: Vec<Value>| -> Vec<String> {
        values
            .into_iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        names("reason"),
        spelled(
            Reason::ALL
                .iter()
                .map(|r| serde_json::to_value(r).unwrap())
                .collect()
        )
    );
    assert_eq!(
        names("outcome"),
        spelled(
            Outcome::ALL
                .iter()
                .map(|o| serde_json::to_value(o).unwrap())
                .collect()
        )
    );
    assert_eq!(
        names("keyType"),
        pkigen::KeyType::ALL
            .map(|k| k.as_str().to_string())
            .to_vec()
    );
    assert_eq!(
        names("driver"),
        pkigen::policy::Driver::ALL
            .map(|d| serde_json::to_value(d)
                .unwrap()
                .as_str()
                .unwrap()
                .to_string())
            .to_vec()
    );
}

/// The divergences schema holds a disagreement of the verifiers to all it must say (what,
/// who accepts, the refusal's words, when), and every other entry to none of it.
#[test]
fn the_divergences_schema_refuses_half_described_entries() {
    let listed = util::read_json(Path::new(divergences::DIVERGENCES));
    let disagreement = listed["divergences"]
        .as_array()
        .unwrap()
        .iter()
        .position(|d| d["effect"] == "disagrees-with-webpki")
        .expect("a listed disagreement");
    let skip = listed["divergences"]
        .as_array()
        .unwrap()
        .iter()
        .position(|d| d["effect"] == "skipped")
        .expect("a listed skip");
    type Edit = fn(&mut Value, usize, usize);
    let breakages: [(&str, Edit, &str); 5] = [
        (
            "a disagreement that does not say when",
            |l, d, _| {
                l["divergences"][d].as_object_mut().unwrap().remove("when");
            },
            "'when' is a required property",
        ),
        (
            "a disagreement with an empty when",
            |l, d, _| l["divergences"][d]["when"] = serde_json::json!({}),
            "should be non-empty",
        ),
        (
            "a fact the property test does not know",
            |l, d, _| l["divergences"][d]["when"]["leaf_is_pretty"] = true.into(),
            "'leaf_is_pretty' was unexpected",
        ),
        (
            "a disagreement on one named case",
            |l, d, _| l["divergences"][d]["case"] = "crl/revoked".into(),
            "'*' was expected",
        ),
        (
            "a skip that says when",
            |l, _, s| l["divergences"][s]["when"] = serde_json::json!({"host": "dns-name"}),
            "False schema does not allow",
        ),
    ];
    let root = util::tempdir();
    let mut documents = Vec::new();
    for (i, (_, edit, _)) in breakages.iter().enumerate() {
        let mut broken = listed.clone();
        edit(&mut broken, disagreement, skip);
        let path = root.path().join(format!("broken-{i}.json"));
        std::fs::write(&path, serde_json::to_vec_pretty(&broken).unwrap()).unwrap();
        documents.push(("divergences.schema.json", path));
    }
    documents.push((
        "divergences.schema.json",
        PathBuf::from(divergences::DIVERGENCES),
    ));
    let found = errors(&validate(&documents));
    assert_eq!(found.len(), breakages.len() + 1);
    for ((what, _, needle), (subject, errors)) in breakages.iter().zip(&found) {
        assert!(
            errors.iter().any(|e| e.contains(needle)),
            "{what} ({subject}): the schema must refuse it, naming {needle:?}: {errors:?}"
        );
    }
    assert_eq!(found.last().unwrap().1, Vec::<String>::new());
}

/// The policy schema ties each driver to its own names, classes and behaviour: a Node
/// answer with PyMongo's OCSP, or a Node refusal with a Python exception, is refused.
#[test]
fn the_policy_schema_keeps_each_driver_to_its_own_words() {
    let root = util::tempdir();
    let answer = saved(
        root.path(),
        "answer.json",
        0,
        &[
            "policy",
            "--driver",
            "node",
            "mongodb://h/?tls=true",
            "--format",
            "json",
        ],
    );
    let refusal = saved(
        root.path(),
        "refusal.json",
        2,
        &[
            "policy",
            "--driver",
            "node",
            "mongodb://h/?tls=yes",
            "--format",
            "json",
        ],
    );
    type Edit = fn(&mut Value);
    let breakages: [(&PathBuf, Edit); 4] = [
        (&answer, |a| {
            a["behaviour"]["ocsp"] = "staple-and-responder".into()
        }),
        (&answer, |a| {
            a["options"]["tlsDisableOCSPEndpointCheck"] = true.into();
        }),
        (&answer, |a| a["driver"] = "pymongo".into()),
        (&refusal, |r| r["exception"] = "InvalidURI".into()),
    ];
    let mut documents = Vec::new();
    for (i, (original, edit)) in breakages.iter().enumerate() {
        let mut broken = util::read_json(original);
        edit(&mut broken);
        let path = root.path().join(format!("broken-{i}.json"));
        std::fs::write(&path, serde_json::to_vec_pretty(&broken).unwrap()).unwrap();
        documents.push(("policy.schema.json", path));
    }
    documents.push(("policy.schema.json", answer.clone()));
    documents.push(("policy.schema.json", refusal.clone()));
    let found = errors(&validate(&documents));
    for (subject, errors) in &found[..breakages.len()] {
        assert!(!errors.is_empty(), "{subject}: the schema must refuse it");
    }
    for (subject, errors) in &found[breakages.len()..] {
        assert!(errors.is_empty(), "{subject} as written: {errors:?}");
    }
}
