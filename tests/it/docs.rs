//! `pkigen docs`: pages for every scenario in every language, whose examples are checked by
//! engines pkigen does not control — every connection string by PyMongo's own parser (and
//! `pkigen policy`), every Python `ssl` snippet run against `pkigen serve`, and the CI job
//! example run as written.

use crate::harness::HarnessResult;
use crate::policy_pymongo::{Case as PyMongoCall, python_answers};
use crate::python::python;
use crate::util::{self, NOW};
use pkigen::fixtures::mongod::MongodNote;
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const LANGUAGES: [&str; 4] = ["en", "ja", "zh", "ko"];

/// Fixed prose the translations must carry (the scenario page's title word).
fn title_word(lang: &str) -> &'static str {
    match lang {
        "en" => "Scenario",
        "ja" => "シナリオ",
        "zh" => "场景",
        _ => "시나리오",
    }
}

/// The fenced blocks of `language` in a Markdown page.
pub(crate) fn code_blocks<'a>(markdown: &'a str, language: &str) -> Vec<&'a str> {
    let fence = format!("```{language}\n");
    markdown
        .split(&fence)
        .skip(1)
        .map(|rest| &rest[..rest.find("\n```").unwrap_or(rest.len())])
        .collect()
}

fn generated_with_docs() -> tempfile::TempDir {
    let out = util::tempdir();
    util::generate(out.path(), &["all"], 17, NOW, &[]);
    let docs = util::run(["docs".as_ref(), out.path().as_os_str()]);
    util::assert_exit(&docs, 0, "pkigen docs");
    out
}

#[test]
fn pages_for_every_scenario_in_every_language() {
    let out = generated_with_docs();
    for lang in LANGUAGES {
        let folder = out.path().join("docs").join(lang);
        let index = std::fs::read_to_string(folder.join("index.md")).unwrap();
        for scenario in util::SCENARIOS {
            assert!(
                index.contains(&format!("({scenario}.md)")),
                "{lang} index links {scenario}"
            );
            let page = std::fs::read_to_string(folder.join(format!("{scenario}.md"))).unwrap();
            assert!(
                page.starts_with(&format!("# {} `{scenario}`", title_word(lang))),
                "{lang}/{scenario}: {}",
                &page[..80]
            );
            let manifest = util::read_json(&out.path().join(scenario).join("manifest.json"));
            for case in manifest["cases"].as_array().unwrap() {
                let name = case["name"].as_str().unwrap();
                assert!(
                    page.contains(&format!("\n### {name}\n")),
                    "{lang}/{scenario}: a section for {name}"
                );
                assert!(
                    page.contains(case["client"]["uri"].as_str().unwrap()),
                    "{lang}/{scenario}/{name}: its URI"
                );
            }
            assert!(
                !page.contains("not validated"),
                "{lang}/{scenario}: observed results are shown"
            );
        }
        assert!(
            index.contains("```yaml\n# TLS test fixtures from pkigen"),
            "{lang}: the CI job"
        );
    }
    // English is the reference; the others translate the fixed prose.
    let en = std::fs::read_to_string(out.path().join("docs/en/ocsp.md")).unwrap();
    let ja = std::fs::read_to_string(out.path().join("docs/ja/ocsp.md")).unwrap();
    assert!(
        en.contains("Connection string")
            && ja.contains("接続文字列")
            && !ja.contains("Connection string")
    );
}

/// Every connection string on every page (each case's): PyMongo's own parser (`MongoClient(uri)`
/// with `connect=False`, in the fixtures' folder, since it opens the files) and `pkigen policy`
/// agree on validity and message — except where PyMongo refuses a file's *contents* (which
/// `policy` does not open), and there the case itself must expect that configuration error.
#[test]
fn every_connection_string_parses_as_pymongo_parses_it() {
    let out = generated_with_docs();
    let mut checked = 0;
    for scenario in util::SCENARIOS {
        let page =
            std::fs::read_to_string(out.path().join("docs/en").join(format!("{scenario}.md")))
                .unwrap();
        let shown: Vec<&str> = code_blocks(&page, "text")
            .into_iter()
            .filter(|b| b.starts_with("mongodb://"))
            .collect();
        let manifest = util::read_json(&out.path().join(scenario).join("manifest.json"));
        let cases = manifest["cases"].as_array().unwrap();
        let uris: Vec<&str> = cases
            .iter()
            .map(|c| c["client"]["uri"].as_str().unwrap())
            .collect();
        assert_eq!(
            shown, uris,
            "{scenario}: the page shows each case's connection string, in order"
        );
        let calls: Vec<PyMongoCall> = uris
            .iter()
            .map(|uri| PyMongoCall {
                uri: Some(uri.to_string()),
                options: serde_json::Map::new(),
            })
            .collect();
        let answers = python_answers(&python(), &calls, &out.path().join(scenario));
        assert_eq!(answers.len(), uris.len(), "{scenario}: an answer per URI");
        for ((uri, pymongo), case) in uris.iter().zip(&answers).zip(cases) {
            let ours = util::run(["policy", uri, "--format", "json"]);
            let ours = util::parse_json(&util::stdout(&ours), "pkigen policy --format json");
            let pymongo_error = match pymongo {
                HarnessResult::PolicyError { message, .. } => Some(message),
                _ => None,
            };
            let file_refused = ours["valid"] == true && pymongo_error.is_some();
            if file_refused {
                let expect = &case["expect"];
                let file_reason = ["unreadable-file", "bad-password", "key-mismatch"]
                    .contains(&expect["reason"].as_str().unwrap_or(""));
                assert!(
                    expect["outcome"] == "config-error" && file_reason,
                    "{scenario}: PyMongo refuses a file of {uri} ({pymongo:?}) but the case expects {expect}"
                );
            } else {
                assert_eq!(
                    ours["valid"] == true,
                    pymongo_error.is_none(),
                    "{scenario}: {uri}\npkigen: {ours}\nPyMongo: {pymongo:?}"
                );
                if let Some(message) = pymongo_error {
                    assert_eq!(ours["error"], message.as_str(), "{scenario}: {uri}");
                }
            }
            checked += 1;
        }
    }
    assert!(checked >= 91, "only {checked} connection strings");
}

/// The label the pages put before a case's mongod notes, from the built-in templates.
fn mongod_note_label(lang: &str) -> String {
    let path = format!("{}/templates/i18n/{lang}.json", env!("CARGO_MANIFEST_DIR"));
    let strings = util::read_json(Path::new(&path));
    strings["mongod_note"].as_str().unwrap().to_string()
}

/// Every case's section, in every language, shows its mongod command line (as a POSIX shell
/// splits it, Python's `shlex`: the manifest's arguments exactly) and its `mongod.conf` (the
/// manifest's, exactly), and says that mongod itself was not run.
#[test]
fn every_case_shows_its_mongod_command_line_and_conf() {
    let out = generated_with_docs();
    let not_run = [
        ("en", "mongod itself was not run"),
        ("ja", "mongod 自体は実行していません"),
        ("zh", "这里没有运行 mongod 本身"),
        ("ko", "mongod 자체는 실행하지 않았습니다"),
    ];
    let mut commands = Vec::new();
    let mut expected = Vec::new();
    for (lang, words) in not_run {
        for scenario in util::SCENARIOS {
            let page = util::page(out.path(), lang, scenario);
            let manifest = util::read_json(&out.path().join(scenario).join("manifest.json"));
            for case in manifest["cases"].as_array().unwrap() {
                let name = case["name"].as_str().unwrap();
                let section = page.split(&format!("\n### {name}\n")).nth(1).unwrap();
                let section = &section[..section.find("\n### ").unwrap_or(section.len())];
                let label = format!("{lang}/{scenario}/{name}");
                let shell = code_blocks(section, "sh");
                let yaml = code_blocks(section, "yaml");
                assert_eq!((shell.len(), yaml.len()), (1, 1), "{label}");
                assert_eq!(
                    yaml[0],
                    case["mongod"]["conf"].as_str().unwrap().trim_end(),
                    "{label}"
                );
                assert!(section.contains(words), "{label}: says mongod was not run");
                // The page escapes Markdown's special characters with a backslash.
                let unescaped = section.replace('\\', "");
                let notes = case["mongod"]["notes"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                for note in notes {
                    let note: MongodNote = serde_json::from_value(note).unwrap();
                    if lang == "en" {
                        assert!(unescaped.contains(&note.to_string()), "{label}: {note}");
                    }
                    for (field, value) in note.fields() {
                        assert!(unescaped.contains(&value), "{label}: its note's {field}");
                    }
                }
                let noted = unescaped.contains(&format!("\n{}:\n", mongod_note_label(lang)));
                assert_eq!(
                    noted,
                    case["mongod"]["notes"]
                        .as_array()
                        .is_some_and(|n| !n.is_empty()),
                    "{label}: notes shown exactly where the manifest has some"
                );
                commands.push(shell[0].to_string());
                expected.push(case["mongod"]["args"].clone());
            }
        }
    }
    let program = "import json, shlex, sys\n\
                   for command in json.load(sys.stdin):\n    \
                       print(json.dumps(shlex.split(command.replace('\\\\\\n', ' '))))\n";
    let mut child = util::tool("python3")
        .args(["-c", program])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 must be installed");
    let input = serde_json::to_vec(&commands).unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let output = child.wait_with_output().unwrap();
    util::assert_exit(&output, 0, "python3 shlex");
    let split: Vec<serde_json::Value> = util::stdout(&output)
        .lines()
        .map(|line| util::parse_json(line, "shlex.split"))
        .collect();
    assert_eq!(split, expected);
    assert!(split.len() > 4 * 100, "{}", split.len());
}

/// The Python `ssl` snippets, both forms, run against `pkigen serve` for the case: each must
/// connect exactly when the case expects acceptance.
#[test]
fn the_python_ssl_snippets_do_what_the_page_says() {
    let out = generated_with_docs();
    let mut ran = 0;
    for scenario in [
        "enable-tls",
        "ca-file",
        "crl",
        "client-cert",
        "key-password",
        "insecure-tls",
    ] {
        let dir = out.path().join(scenario);
        let page =
            std::fs::read_to_string(out.path().join("docs/en").join(format!("{scenario}.md")))
                .unwrap();
        let manifest = util::read_json(&dir.join("manifest.json"));
        for case in manifest["cases"].as_array().unwrap() {
            let name = case["name"].as_str().unwrap();
            let outcome = case["expect"]["outcome"].as_str().unwrap();
            if outcome == "config-error" || case["client"]["host"] != "localhost" {
                continue;
            }
            let section = page.split(&format!("\n### {name}\n")).nth(1).unwrap();
            let section = &section[..section.find("\n### ").unwrap_or(section.len())];
            let snippets = code_blocks(section, "python");
            let (files, memory) = (snippets[1], snippets[2]);
            for snippet in [files, memory] {
                let output = run_snippet_against_serve(&dir, name, snippet);
                let connected = output.status.success();
                assert_eq!(
                    connected,
                    outcome == "accept",
                    "{scenario}/{name}:\n{snippet}\n{}",
                    util::describe(&output)
                );
                // Refused by the TLS layer (ssl.SSLCertVerificationError, ssl.SSLError), not
                // by a snippet that could not run.
                let stderr = util::stderr(&output);
                let last = stderr.lines().last().unwrap_or("");
                assert!(
                    connected || last.starts_with("ssl."),
                    "{scenario}/{name}: the snippet must fail with an ssl error, not {last:?}\n{snippet}\n{}",
                    util::describe(&output)
                );
                ran += 1;
            }
        }
    }
    assert!(ran >= 60, "only {ran} snippets ran");
}

fn run_snippet_against_serve(dir: &Path, case: &str, snippet: &str) -> Output {
    let (mut serve, address) = util::serve(dir, case);
    // The snippet talks TLS only; a TLS-level failure raises, success prints the version.
    let code = snippet.replace("27017", &address.port().to_string()) + "\n";
    let output = util::tool(python())
        .args(["-c", &code])
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    serve.kill().ok();
    serve.wait().ok();
    output
}

/// The CI job of the docs, run as written: its `env:`, then every `run:` step in order, in a
/// bash with `pkigen` on the PATH — except the install step, which that PATH replaces (it
/// builds from the network), and `uses:` steps, which are GitHub's. Run twice: the second
/// run takes the cached path.
#[test]
fn the_ci_job_example_runs_as_written() {
    let job =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/ci-job.yml"))
            .unwrap();
    let mut env = Vec::new();
    let mut steps = Vec::new();
    let mut in_env = false;
    for line in job.lines() {
        let trimmed = line.trim();
        if trimmed == "env:" {
            in_env = true;
            continue;
        }
        if in_env {
            match trimmed.split_once(": ") {
                Some((key, value)) if line.starts_with("      ") && !trimmed.starts_with('-') => {
                    env.push((key.to_string(), value.trim_matches('"').to_string()));
                    continue;
                }
                _ => in_env = false,
            }
        }
        if let Some(command) = trimmed.strip_prefix("run: ") {
            steps.push(command.to_string());
        }
    }
    assert!(
        steps.len() >= 4 && env.len() == 3,
        "parsed {steps:?} {env:?}"
    );
    assert!(
        steps[0].starts_with("cargo install"),
        "the first step installs pkigen: {}",
        steps[0]
    );
    let work = util::tempdir();
    let bin = Path::new(util::PKIGEN).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for round in 1..=2 {
        for step in &steps[1..] {
            let output = Command::new("bash")
                .args(["-eo", "pipefail", "-c", step])
                .current_dir(work.path())
                .env("PATH", &path)
                .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
                .output()
                .unwrap();
            util::assert_exit(&output, 0, &format!("round {round}: `{step}`"));
        }
    }
    let report = util::parse_json(
        &std::fs::read_to_string(work.path().join("fixtures-report.json")).unwrap(),
        "report",
    );
    let cases: usize = report["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["cases"].as_array().unwrap().len())
        .sum();
    assert!(cases >= 91, "the job proved {cases} cases");
}

#[test]
fn docs_refuse_a_folder_they_did_not_make() {
    let out = util::tempdir();
    util::generate(out.path(), &["enable-tls"], 3, NOW, &[]);
    let foreign = out.path().join("pages/en");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("notes.md"), "mine").unwrap();
    let output = util::run([
        "docs".as_ref(),
        out.path().as_os_str(),
        "--out".as_ref(),
        out.path().join("pages").as_os_str(),
        "--lang".as_ref(),
        "en".as_ref(),
    ]);
    util::assert_usage_error(&output, &["--force"], "docs into a foreign folder");
    assert_eq!(
        std::fs::read_to_string(foreign.join("notes.md")).unwrap(),
        "mine"
    );
    let bad = util::run([
        "docs".as_ref(),
        out.path().as_os_str(),
        "--lang".as_ref(),
        "fr".as_ref(),
    ]);
    util::assert_usage_error(&bad, &["fr", "en, ja, zh or ko"], "docs --lang fr");
}

/// Two folders holding one scenario (`cp -r out/crl out/crl-copy`), or a scenario named
/// `index`, would write one page over another: `docs` refuses up front, naming both folders
/// (or the one), and writes nothing.
#[test]
fn docs_refuse_two_folders_with_one_page_name() {
    let out = util::tempdir();
    util::generate(
        out.path(),
        &["crl", "enable-tls"],
        3,
        NOW,
        &["--no-validate"],
    );
    let copy = out.path().join("crl-copy");
    let copied = Command::new("cp")
        .arg("-r")
        .arg(out.path().join("crl"))
        .arg(&copy)
        .status()
        .expect("run cp");
    assert!(copied.success(), "cp -r");
    let output = util::run(["docs".as_ref(), out.path().as_os_str()]);
    let crl = out.path().join("crl").display().to_string();
    let line = util::assert_usage_error(
        &output,
        &[&crl, util::path_arg(&copy), "crl.md", "move"],
        "two copies of crl",
    );
    assert!(!line.contains("--out"), "{line}");
    assert!(!out.path().join("docs").exists(), "nothing written");

    std::fs::remove_dir_all(&copy).unwrap();
    let manifest = out.path().join("enable-tls/manifest.json");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        text.replace("\"scenario\": \"enable-tls\"", "\"scenario\": \"index\""),
    )
    .unwrap();
    let output = util::run(["docs".as_ref(), out.path().as_os_str()]);
    let enable_tls = out.path().join("enable-tls").display().to_string();
    util::assert_usage_error(
        &output,
        &[&enable_tls, "index.md", "move"],
        "a scenario named index",
    );
    assert!(!out.path().join("docs").exists(), "nothing written");
}

/// `pkigen docs DIR`, which must exit 0.
#[track_caller]
fn docs(dir: &Path) {
    let output = util::run(["docs".as_ref(), dir.as_os_str()]);
    util::assert_exit(&output, 0, &format!("pkigen docs {}", dir.display()));
}

/// `pkigen validate DIR --at AT`, which must exit 0.
#[track_caller]
fn validate_at(dir: &Path, at: &str) {
    let output = util::run([
        "validate".as_ref(),
        dir.as_os_str(),
        "--at".as_ref(),
        at.as_ref(),
        "-q".as_ref(),
    ]);
    util::assert_exit(
        &output,
        0,
        &format!("pkigen validate {} --at {at}", dir.display()),
    );
}

/// The pages are a function of the fixtures, their manifest and report.json: the same
/// `--seed` and `--now` give the same pages in any folder, `docs` twice gives them again, and
/// a report judged at one clock reads the same wherever and whenever it was made — `scenario`
/// judges at the generation clock, as `validate --at generation` does — with the page saying
/// which clock that was.
#[test]
fn pages_are_reproducible_from_the_seed_the_clock_and_the_report() {
    let (a, b) = (util::tempdir(), util::tempdir());
    util::generate(a.path(), &["all"], 5, NOW, &[]);
    util::generate(b.path(), &["all"], 5, NOW, &[]);
    for out in [&a, &b] {
        for dir in util::scenario_dirs(out.path()) {
            let report = std::fs::read_to_string(dir.join("report.json")).unwrap();
            assert!(
                !report.contains(util::path_arg(out.path())),
                "{}: a message names the folder: {report}",
                dir.display()
            );
        }
        docs(out.path());
    }
    let (pages_a, pages_b) = (a.path().join("docs"), b.path().join("docs"));
    util::assert_same_tree(&pages_a, &pages_b);

    let first = util::snapshot(&pages_a);
    docs(a.path());
    assert!(first == util::snapshot(&pages_a), "docs twice: other pages");

    let crl = std::fs::read_to_string(pages_a.join("en/crl.md")).unwrap();
    assert!(
        crl.contains("> Cases judged at `2026-01-01T00:00:00Z` (the fixtures' generation clock)."),
        "{crl}"
    );
    assert!(crl.contains("\ncrl.der: a DER CRL"), "{crl}");

    validate_at(b.path(), "generation");
    docs(b.path());
    util::assert_same_tree(&pages_a, &pages_b);

    // Another clock: the pages say so and the messages quote it, the same in both folders.
    for out in [&a, &b] {
        validate_at(out.path(), "2027-06-01T00:00:00Z");
        docs(out.path());
    }
    util::assert_same_tree(&pages_a, &pages_b);
    let crl = std::fs::read_to_string(pages_a.join("en/crl.md")).unwrap();
    assert!(
        crl.contains("> Cases judged at `2027-06-01T00:00:00Z` (given with --at)."),
        "{crl}"
    );
    assert!(crl.contains("verification time 1811808000 (UNIX)"), "{crl}");
}
