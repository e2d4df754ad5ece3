//! Files that are not what pkigen wrote, put where it reads: FIFOs, a manifest that breaks
//! its own rules, a corrupt key, a folder where report.json must go, fixtures that make
//! `docs` pages huge or carry Markdown. Each is refused (exit 2, one line naming the file)
//! or handled, through the real binary.

use crate::util::{self, path_arg};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// How long a refusal may take before the run counts as hung (it is killed, the test fails).
const HANG: Duration = Duration::from_secs(60);

/// `pkigen ARGS`, killed (and the test failed) if it has not ended within [`HANG`]: what a
/// blocked `open` on a FIFO looks like from outside.
pub(crate) fn run_bounded(args: &[&str]) -> Output {
    let mut child = Command::new(util::PKIGEN)
        .args(args)
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run pkigen {args:?}: {e}"));
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            pipe.read_to_end(&mut bytes).ok();
            bytes
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for pkigen") {
            break status;
        }
        if started.elapsed() > HANG {
            child.kill().ok();
            child.wait().ok();
            panic!("pkigen {args:?} still running after {HANG:?}: it hangs");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    Output {
        status,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    }
}

/// Replaces `path` with a FIFO made by the system's `mkfifo`, with no writer.
fn make_fifo(path: &Path) {
    std::fs::remove_file(path).unwrap();
    let made = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo must be installed");
    assert!(made.success(), "mkfifo {}", path.display());
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Rewrites `DIR/manifest.json` through `edit`.
fn edit_manifest(dir: &Path, edit: impl FnOnce(&mut Value)) {
    let path = dir.join("manifest.json");
    let mut manifest = util::read_json(&path);
    edit(&mut manifest);
    std::fs::write(&path, serde_json::to_vec_pretty(&manifest).unwrap()).unwrap();
}

/// Writes `bytes` to the fixture `file` and records their sha256 in the manifest, as a
/// hand edit that keeps the manifest consistent would.
fn replace_listed(dir: &Path, file: &str, bytes: &[u8]) {
    std::fs::write(dir.join(file), bytes).unwrap();
    let digest = sha256_hex(bytes);
    edit_manifest(dir, |m| {
        for entry in m["files"].as_array_mut().unwrap() {
            if entry["path"] == file {
                entry["sha256"] = Value::from(digest.clone());
            }
        }
    });
}

#[test]
fn a_fifo_is_refused_by_every_command_instead_of_blocking() {
    // server.pem is read by every command, serve included (enable-tls' cases present it).
    for file in ["server.pem", "manifest.json"] {
        let (_out, dir) = util::scenario("enable-tls", 31, &[]);
        let fifo = dir.join(file);
        make_fifo(&fifo);
        let dir_arg = path_arg(&dir);
        let docs_out = dir.join("pages");
        let runs: [Vec<&str>; 5] = [
            vec!["validate", dir_arg],
            vec!["check", dir_arg],
            vec![
                "docs",
                dir_arg,
                "--out",
                path_arg(&docs_out),
                "--lang",
                "en",
            ],
            vec!["inspect", path_arg(&fifo)],
            vec!["serve", dir_arg, "--case", "ca-file"],
        ];
        for args in runs {
            let what = format!("{file} is a FIFO: pkigen {}", args.join(" "));
            let output = run_bounded(&args);
            util::assert_usage_error(&output, &[file, "FIFO", "not a regular file"], &what);
        }
        assert!(
            !dir.join("report.json").exists(),
            "nothing was validated with a FIFO in place of {file}"
        );
        assert!(
            !docs_out.exists(),
            "no pages with a FIFO in place of {file}"
        );
    }
}

#[test]
fn a_corrupt_or_foreign_server_key_is_named() {
    let (_out, dir) = util::scenario("enable-tls", 32, &[]);
    // Damage the key inside its base64 body: still PEM, no longer a key rustls can load.
    let pem = std::fs::read_to_string(dir.join("server.key.pem")).unwrap();
    let mut lines: Vec<String> = pem.lines().map(str::to_string).collect();
    lines[1] = lines[1]
        .chars()
        .enumerate()
        .map(|(i, c)| if (8..16).contains(&i) { 'A' } else { c })
        .collect();
    replace_listed(&dir, "server.key.pem", (lines.join("\n") + "\n").as_bytes());
    for args in [
        vec!["validate", path_arg(&dir)],
        vec!["serve", path_arg(&dir), "--case", "ca-file"],
    ] {
        let output = run_bounded(&args);
        let message = util::assert_usage_error(
            &output,
            &["server.key.pem", "private key"],
            &format!("corrupt server.key.pem: pkigen {}", args.join(" ")),
        );
        assert!(
            !message.contains("server.pem:"),
            "the certificate is not the file at fault: {message}"
        );
    }

    // Another key of the set, well formed: the key file is named, and the certificate it
    // does not belong to.
    let (_out, dir) = util::scenario("enable-tls", 32, &[]);
    let other_key = std::fs::read(dir.join("ca.key.pem")).unwrap();
    replace_listed(&dir, "server.key.pem", &other_key);
    let output = run_bounded(&["validate", path_arg(&dir)]);
    util::assert_usage_error(
        &output,
        &[
            "server.key.pem",
            "not the private key of the certificate in server.pem",
        ],
        "server.key.pem holds the CA's key",
    );
}

/// Makes every write of `DIR/report.json` fail, for root too: a folder in its place.
fn block_report(dir: &Path) {
    std::fs::create_dir(dir.join("report.json")).unwrap();
}

/// Whether this process is held to file permissions (root is not).
fn permissions_apply(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let probe = dir.join("probe");
    std::fs::write(&probe, b"").unwrap();
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o444)).unwrap();
    let applies = std::fs::OpenOptions::new()
        .write(true)
        .open(&probe)
        .is_err();
    std::fs::remove_file(&probe).unwrap();
    applies
}

#[track_caller]
fn assert_results_then_unsaved(output: &Output, dir: &Path, what: &str) {
    util::assert_exit(output, 2, what);
    let text = util::stdout(output);
    for case in ["ca-file", "ca-file-ip-address", "system-roots"] {
        assert!(
            text.contains(case),
            "{what}: the results are printed\n{}",
            util::describe(output)
        );
    }
    let report = dir.join("report.json").display().to_string();
    let line = util::assert_usage_error(output, &[&report, "not saved", "--no-report"], what);
    let cause = line
        .strip_prefix(&format!("error: cannot write {report}: "))
        .unwrap_or_else(|| panic!("{what}: starts by naming the report: {line}"));
    let (cause, fix) = cause
        .split_once(": the results above were not saved; ")
        .unwrap_or_else(|| panic!("{what}: the cause, then what was not saved: {line}"));
    assert!(
        !cause.is_empty() && !cause.contains(':'),
        "{what}: the cause, once: {line}"
    );
    assert_eq!(line.matches(&report).count(), 1, "{what}: {line}");
    assert!(
        !line.contains("--out"),
        "{what}: --out is no fix here: {line}"
    );
    assert!(fix.contains("make the folder writable"), "{what}: {line}");
}

#[test]
fn validate_prints_its_results_when_report_json_cannot_be_written() {
    let (_out, dir) = util::scenario("enable-tls", 33, &[]);
    block_report(&dir);
    let output = run_bounded(&["validate", path_arg(&dir)]);
    assert_results_then_unsaved(&output, &dir, "report.json is a folder");

    let skipped = run_bounded(&["validate", path_arg(&dir), "--no-report"]);
    util::assert_exit(&skipped, 0, "validate --no-report");
    assert!(util::stdout(&skipped).contains("system-roots"));
    assert!(
        dir.join("report.json").is_dir(),
        "--no-report writes nothing"
    );

    // A read-only folder, where permissions are enforced (they are not for root, for whom
    // the folder above stands in).
    std::fs::remove_dir(dir.join("report.json")).unwrap();
    if permissions_apply(&dir) {
        use std::os::unix::fs::PermissionsExt;
        let mode = |m| std::fs::Permissions::from_mode(m);
        std::fs::set_permissions(&dir, mode(0o555)).unwrap();
        let output = run_bounded(&["validate", path_arg(&dir)]);
        std::fs::set_permissions(&dir, mode(0o755)).unwrap();
        assert_results_then_unsaved(&output, &dir, "read-only fixture folder");
        assert!(!dir.join("report.json").exists());
    }
}

/// A manifest edit, and what the refusal must say.
type Breakage = (&'static str, fn(&Path), &'static [&'static str]);

fn first_case_option(m: &mut Value, name: &str, value: &str) {
    let options = m["cases"][0]["client"]["options"].as_object_mut().unwrap();
    options.remove("tlsCAFile");
    options.insert(name.into(), Value::from(value));
}

#[test]
fn a_manifest_that_breaks_the_rules_is_refused_before_anything_runs() {
    let breakages: [Breakage; 10] = [
        (
            "manifest.json is a symbolic link",
            |dir| {
                let real = dir.parent().unwrap().join("elsewhere.json");
                std::fs::rename(dir.join("manifest.json"), &real).unwrap();
                std::os::unix::fs::symlink(&real, dir.join("manifest.json")).unwrap();
            },
            &["manifest.json", "symbolic link"],
        ),
        (
            "two cases with one name",
            |dir| {
                edit_manifest(dir, |m| {
                    let first = m["cases"][0]["name"].clone();
                    m["cases"][1]["name"] = first;
                })
            },
            &["manifest.json", "'ca-file' appears more than once"],
        ),
        (
            "a file listed twice",
            |dir| {
                edit_manifest(dir, |m| {
                    let files = m["files"].as_array_mut().unwrap();
                    let again = files[0].clone();
                    files.push(again);
                })
            },
            &["manifest.json", "'ca.pem' is listed more than once"],
        ),
        (
            "a client-side path outside the folder",
            |dir| edit_manifest(dir, |m| first_case_option(m, "tlsCAFile", "../ca.pem")),
            &["manifest.json", "'../ca.pem'", "outside the fixture folder"],
        ),
        (
            "a client-side path outside the folder, option name in another case",
            |dir| edit_manifest(dir, |m| first_case_option(m, "TLSCAFILE", "../ca.pem")),
            &["manifest.json", "'../ca.pem'", "outside the fixture folder"],
        ),
        (
            "a client-side file the manifest does not list",
            |dir| {
                std::fs::copy(dir.join("ca.pem"), dir.join("extra.pem")).unwrap();
                edit_manifest(dir, |m| first_case_option(m, "tlsCAFile", "extra.pem"));
            },
            &[
                "manifest.json",
                "'extra.pem'",
                "not in the manifest's files",
            ],
        ),
        (
            "a generation clock before 1970",
            |dir| edit_manifest(dir, |m| m["now"] = "1960-01-01T00:00:00Z".into()),
            &["manifest.json", "1960-01-01T00:00:00Z", "from 1970 on"],
        ),
        (
            "a case name with a terminal escape and a line break",
            |dir| edit_manifest(dir, |m| m["cases"][0]["name"] = "x\u{1b}[31mRED\ny".into()),
            &["manifest.json", "not a plain name"],
        ),
        (
            "a uri that is not the case's options",
            |dir| {
                edit_manifest(dir, |m| {
                    m["cases"][0]["client"]["uri"] =
                        "mongodb://localhost/?tls=true&tlsCAFile=/etc/ssl/certs/ca.pem".into()
                })
            },
            &["manifest.json", "'ca-file'", "not the connection string"],
        ),
        (
            "thousands of cases",
            |dir| {
                edit_manifest(dir, |m| {
                    let case = m["cases"][0].clone();
                    let cases = m["cases"].as_array_mut().unwrap();
                    for i in 0..2000 {
                        let mut copy = case.clone();
                        copy["name"] = format!("copy-{i}").into();
                        cases.push(copy);
                    }
                })
            },
            &["manifest.json", "cases", "more than the 1000"],
        ),
    ];
    for (what, breakage, needles) in breakages {
        let (_out, dir) = util::scenario("enable-tls", 34, &[]);
        // The file the outside paths point at exists: the path is refused, not its absence.
        std::fs::copy(dir.join("ca.pem"), dir.parent().unwrap().join("ca.pem")).unwrap();
        breakage(&dir);
        let validate = run_bounded(&["validate", path_arg(&dir)]);
        util::assert_usage_error(&validate, needles, &format!("validate: {what}"));
        assert!(
            !dir.join("report.json").exists(),
            "validate: {what}: cases ran (report.json written)"
        );
        let serve = run_bounded(&["serve", path_arg(&dir), "--case", "ca-file"]);
        util::assert_usage_error(&serve, needles, &format!("serve: {what}"));
        let check = run_bounded(&["check", path_arg(&dir)]);
        util::assert_usage_error(&check, needles, &format!("check: {what}"));
    }
}

/// `pkigen docs DIR --lang en --out DIR/pages`: the run and the English page of `scenario`.
fn docs_page(dir: &Path, scenario: &str) -> (Output, PathBuf) {
    let pages = dir.join("pages");
    let output = run_bounded(&[
        "docs",
        path_arg(dir),
        "--lang",
        "en",
        "--out",
        path_arg(&pages),
    ]);
    (output, pages.join("en").join(format!("{scenario}.md")))
}

#[test]
fn docs_refuses_a_fixture_changed_after_generation() {
    let (_out, dir) = util::scenario("enable-tls", 35, &[]);
    let mut ca = std::fs::read(dir.join("ca.pem")).unwrap();
    ca.extend_from_slice(b"# edited by hand\n");
    std::fs::write(dir.join("ca.pem"), ca).unwrap();
    let (output, page) = docs_page(&dir, "enable-tls");
    util::assert_usage_error(
        &output,
        &["ca.pem", "changed since it was generated"],
        "docs on an edited fixture",
    );
    assert!(!page.exists(), "no page describes the edited fixture");
}

#[test]
fn docs_pages_stay_bounded_whatever_the_fixtures_hold() {
    // A CA file of 7 MB (its certificate over and over), consistent with its manifest.
    let (_out, dir) = util::scenario("ca-file", 36, &[]);
    let ca = std::fs::read(dir.join("ca.pem")).unwrap();
    let big: Vec<u8> = ca.repeat(7 * 1024 * 1024 / ca.len() + 1);
    replace_listed(&dir, "ca.pem", &big);
    let (output, page) = docs_page(&dir, "ca-file");
    util::assert_exit(&output, 0, "docs with a 7 MB ca.pem");
    let size = std::fs::metadata(&page).unwrap().len();
    assert!(
        size < 256 * 1024,
        "ca-file.md is {size} bytes for a {} byte ca.pem",
        big.len()
    );
    let text = std::fs::read_to_string(&page).unwrap();
    assert!(
        text.contains("\"ca.pem\" is over 64 KiB"),
        "the page says why the CA is not embedded"
    );

    // Strings in the manifest itself: the page is refused rather than written.
    let (_out, dir) = util::scenario("enable-tls", 36, &[]);
    edit_manifest(&dir, |m| {
        m["cases"][0]["description"] = Value::from("x".repeat(5 * 1024 * 1024));
    });
    let (output, page) = docs_page(&dir, "enable-tls");
    util::assert_usage_error(
        &output,
        &["manifest.json", "oversized strings"],
        "docs with a 5 MB description",
    );
    assert!(!page.exists());
}

/// The lines of a Markdown page, each with whether it is inside a fenced code block
/// (CommonMark 4.5: a fence of three or more backticks closes at a line of at least as many
/// backticks and nothing else). Fence lines themselves count as inside.
fn fence_states(markdown: &str) -> Vec<(&str, bool)> {
    let run = |line: &str| line.chars().take_while(|&c| c == '`').count();
    let mut open: Option<usize> = None;
    let mut lines = Vec::new();
    for line in markdown.lines() {
        let trimmed = line.trim_start_matches(' ');
        let indent = line.len() - trimmed.len();
        let ticks = if indent <= 3 { run(trimmed) } else { 0 };
        match open {
            None if ticks >= 3 && !trimmed[ticks..].contains('`') => {
                open = Some(ticks);
                lines.push((line, true));
            }
            Some(length) if ticks >= length && trimmed[ticks..].trim().is_empty() => {
                open = None;
                lines.push((line, true));
            }
            state => lines.push((line, state.is_some())),
        }
    }
    assert!(open.is_none(), "the page ends inside a code block");
    lines
}

#[test]
fn docs_strings_from_files_cannot_inject_markdown() {
    let out = util::tempdir();
    util::generate(out.path(), &["enable-tls"], 37, util::NOW, &[]);
    let dir = out.path().join("enable-tls");
    edit_manifest(&dir, |m| {
        m["cases"][0]["description"] =
            Value::from("Fine so far\n# Injected heading\n```\n# Injected inside a fence");
    });
    let report_path = dir.join("report.json");
    let mut report = util::read_json(&report_path);
    report["cases"][0]["observed"]["message"] =
        Value::from("boom\n```\n# Injected after the fence\n````\n- injected item");
    std::fs::write(&report_path, serde_json::to_vec_pretty(&report).unwrap()).unwrap();

    let (output, page) = docs_page(&dir, "enable-tls");
    util::assert_exit(&output, 0, "docs with hostile strings");
    let markdown = std::fs::read_to_string(&page).unwrap();
    let lines = fence_states(&markdown);
    for (line, in_fence) in &lines {
        if !in_fence {
            assert!(
                !(line.starts_with('#') && line.contains("Injected")),
                "an injected heading: {line:?}\n{markdown}"
            );
            assert!(
                !line.starts_with("- injected"),
                "an injected list item: {line:?}"
            );
        }
    }
    // The message is shown whole, inside its code block.
    for part in ["# Injected after the fence", "- injected item"] {
        assert!(
            lines.iter().any(|(line, inside)| *inside && *line == part),
            "{part:?} is inside a code block\n{markdown}"
        );
    }
    assert!(
        markdown.contains("Injected heading"),
        "the description is still shown, as text"
    );
}

/// `serve` presents what was generated or nothing: a server certificate and key swapped for
/// another pair of the set (each file valid on its own) is refused like `validate` refuses
/// it, before anything listens.
#[test]
fn serve_refuses_fixtures_changed_after_generation() {
    let (_out, dir) = util::scenario("ca-file", 37, &[]);
    for (from, to) in [
        ("other-ca.pem", "server.pem"),
        ("other-ca.key.pem", "server.key.pem"),
    ] {
        std::fs::copy(dir.join(from), dir.join(to)).unwrap();
    }
    let serve = run_bounded(&["serve", path_arg(&dir), "--case", "chain-from-server"]);
    util::assert_usage_error(
        &serve,
        &["server", "changed since it was generated"],
        "serve on swapped server files",
    );
    assert!(util::stdout(&serve).is_empty(), "no address printed");
}

/// Templates given with `--templates` are code pkigen runs: one that loops without end, or
/// writes without end, is stopped (exit 2, one line naming the template) before it takes
/// the machine's time or memory, and no page is written.
#[test]
fn docs_stops_a_template_that_runs_or_writes_without_end() {
    let (_out, dir) = util::scenario("enable-tls", 38, &[]);
    let builtin = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let endless: [(&str, &[&str]); 2] = [
        (
            "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
            &["scenario.md.j2", "fuel"],
        ),
        (
            "{% for i in range(100000) %}{% for j in range(100000) %}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx{% endfor %}{% endfor %}",
            &["manifest.json", "page would be over"],
        ),
    ];
    for (template, needles) in endless {
        let templates = util::tempdir();
        for entry in ["index.md.j2", "drivers.md.j2", "ci-job.yml"] {
            std::fs::copy(builtin.join(entry), templates.path().join(entry)).unwrap();
        }
        std::fs::create_dir(templates.path().join("i18n")).unwrap();
        for lang in ["en", "ja", "zh", "ko"] {
            let strings = format!("i18n/{lang}.json");
            std::fs::copy(builtin.join(&strings), templates.path().join(&strings)).unwrap();
        }
        std::fs::write(templates.path().join("scenario.md.j2"), template).unwrap();
        let pages = dir.join("pages");
        let output = run_bounded(&[
            "docs",
            path_arg(&dir),
            "--lang",
            "en",
            "--out",
            path_arg(&pages),
            "--templates",
            path_arg(templates.path()),
        ]);
        util::assert_usage_error(&output, needles, template);
        assert!(!pages.exists(), "no page written");
    }
}
