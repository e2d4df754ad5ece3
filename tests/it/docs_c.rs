//! `pkigen docs` of a `--driver c` set: every case's C program, built with `cc` against the
//! installed libmongoc (1.23.x) and run against the real servers of `pkigen serve --all`,
//! must end as libmongoc ends for the case.
//!
//! Each case's section holds a program that parses the case's connection string, makes a
//! client and runs `ping`, with the `cc` line that builds it; a case with a CRL file also
//! holds the program that gives it through `mongoc_ssl_opt_t.crl_file`. The test changes a
//! program only as a reader who runs it against the served fixtures would: port 27017
//! becomes the case's served port. Every case's program is so built (which builds every
//! distinct program shown) and run from its case's folder, one process each (libmongoc's
//! OCSP cache is process-wide), with no controlling terminal and stdin at `/dev/null` (an
//! encrypted key without a password makes OpenSSL prompt), three at a time. Each distinct
//! CRL program is built as shown.
//!
//! How a program must end is libmongoc's expectation for the case (the manifest of
//! `scenario all --driver c`): exit 0 and `ping ok` for accept; for a refusal, the program's
//! own output (its message, and the library's log lines, which libmongoc prints on stderr by
//! default) read by `c_classify` as the real-driver test reads `connect.c`'s, outcome and
//! reason. A program shows no more than that, so the reason is checked except where only
//! OpenSSL's error queue or a lost alert holds it, which a program that does not read the
//! queue cannot show ([`REASONS_NOT_SHOWN`]); there the outcome is checked, and the cases
//! are printed.

use crate::c_classify::classify;
use crate::docs::code_blocks;
use crate::util::{self, NOW};
use pkigen::Reason;
use pkigen::fixtures::manifest::Expect;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// Reasons a program's output cannot show: a wrong or missing password and a key that does
/// not match its certificate all log "Cannot find private key in: …" (OpenSSL 3 checks the
/// pair inside `SSL_CTX_use_PrivateKey_file`), told apart only by OpenSSL's error queue; a
/// server refusing the client's certificate after a TLS 1.3 handshake is usually seen as a
/// hang-up before its alert is read.
const REASONS_NOT_SHOWN: [Reason; 4] = [
    Reason::BadPassword,
    Reason::KeyMismatch,
    Reason::ClientCertRequired,
    Reason::ClientCertUntrusted,
];

/// `cc` with libmongoc's flags: `source` into `binary`.
fn build(source: &str, binary: &Path) {
    let flags = crate::c::pkg_config_flags();
    let file = binary.with_extension("c");
    std::fs::write(&file, source).unwrap();
    let output = Command::new("cc")
        .args(["-Wall", "-Werror", "-O0", "-o"])
        .arg(binary)
        .arg(&file)
        .args(flags.split_whitespace())
        .output()
        .expect("run cc");
    assert!(
        output.status.success(),
        "cc could not build {}:\n{}\n{source}",
        file.display(),
        util::stderr(&output)
    );
}

/// A program's run, as `connect.c` reports one: stage, ok, error and log lines.
fn ran(output: &std::process::Output) -> Value {
    let stdout = util::stdout(output);
    let stderr = util::stderr(output);
    let ok = output.status.success() && stdout.contains("ping ok");
    let mut logs = Vec::new();
    let mut message = String::new();
    let mut stage = "ping";
    let mut code = (Value::Null, Value::Null);
    // "(domain D, code C): MESSAGE", as the programs print a refusal.
    let coded = |rest: &str| {
        let (numbers, message) = rest.split_once("): ")?;
        let (domain, code) = numbers.strip_prefix("(domain ")?.split_once(", code ")?;
        let number = |n: &str| n.parse::<u32>().ok().map(Value::from);
        Some(((number(domain)?, number(code)?), message.to_string()))
    };
    for line in stderr.lines() {
        if let Some(m) = line.strip_prefix("ping failed: ") {
            message = m.to_string();
        } else if let Some(m) = line.strip_prefix("invalid connection string ") {
            stage = "uri";
            (code, message) = coded(m).unwrap_or_else(|| panic!("a refusal: {line}"));
        } else if let Some(m) = line.strip_prefix("no client ") {
            stage = "client";
            (code, message) = coded(m).unwrap_or_else(|| panic!("a refusal: {line}"));
        } else {
            // libmongoc's default log handler: "DATE TIME: [PID]:    LEVEL:       DOMAIN: MESSAGE".
            for level in ["CRITICAL", "ERROR", "WARNING"] {
                if let Some((_, rest)) = line.split_once(&format!(" {level}: ")) {
                    let text = rest.trim_start().split_once(": ").map_or(rest, |(_, m)| m);
                    logs.push(json!({"level": level, "message": text}));
                }
            }
        }
    }
    json!({"ok": ok, "stage": stage,
           "error": {"domain": code.0, "code": code.1, "message": message}, "logs": logs,
           "openssl_queue": [], "stdout": stdout, "stderr": stderr})
}

/// How a CRL program's run is named among the jobs.
const CRL_API: &str = "(crl_file)";

/// The CRL programs give libmongoc the case's CRL file through `mongoc_ssl_opt_t.crl_file`,
/// which checks it as PyMongo's `tlsCRLFile` does (the leaf, PEM only): each ends as PyMongo
/// expects the case to, outcome and reason, except where PyMongo refuses a CRL beside an
/// option that forgives or skips verification (libmongoc has no such rule: it connects).
fn crl_programs_check_crls(results: &BTreeMap<String, Value>, failures: &mut Vec<String>) {
    let output = util::run(["list", "--driver", "pymongo", "--format", "json"]);
    let listing = util::parse_json(&util::stdout(&output), "list");
    let mut pymongo = BTreeMap::new();
    for scenario in listing.as_array().unwrap() {
        for case in scenario["cases"].as_array().unwrap() {
            let id = format!(
                "{}/{}",
                scenario["name"].as_str().unwrap(),
                case["name"].as_str().unwrap()
            );
            pymongo.insert(id, case["expect"].clone());
        }
    }
    assert_eq!(results.len(), 8, "the CRL programs: {:?}", results.keys());
    for (id, line) in results {
        let expect = &pymongo[id];
        let (outcome, reason) = match expect["reason"].as_str() {
            Some("invalid-options") => ("accept", None),
            reason => (expect["outcome"].as_str().unwrap(), reason),
        };
        let got = classify(line);
        if got.outcome != outcome || got.reason != reason {
            failures.push(format!(
                "{id} {CRL_API}: expects {outcome} {}, the program: {} {} ({})",
                reason.unwrap_or(""),
                got.outcome,
                got.reason.unwrap_or(""),
                got.message
            ));
        }
    }
}

#[test]
fn the_c_programs_do_what_libmongoc_does() {
    let started = Instant::now();
    let out = util::tempdir();
    let seed = util::seed_of_this_run();
    util::generate(
        out.path(),
        &["all"],
        seed,
        NOW,
        &["--no-validate", "--driver", "c"],
    );
    let docs = util::run(["docs".as_ref(), out.path().as_os_str()]);
    util::assert_exit(&docs, 0, "pkigen docs of a --driver c set");

    // Every case's section, in every language, shows the same programs and no Python.
    let dirs = util::scenario_dirs(out.path());
    let expected = util::expectations(&dirs);
    let mut programs: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for dir in &dirs {
        let manifest = util::read_json(&dir.join("manifest.json"));
        let scenario = manifest["scenario"].as_str().unwrap();
        for lang in ["en", "ja", "zh", "ko"] {
            let page = util::page(out.path(), lang, scenario);
            assert!(code_blocks(&page, "python").is_empty(), "{lang}/{scenario}");
            for case in manifest["cases"].as_array().unwrap() {
                let name = case["name"].as_str().unwrap();
                let section = page.split(&format!("\n### {name}\n")).nth(1).unwrap();
                let section = &section[..section.find("\n### ").unwrap_or(section.len())];
                let id = format!("{scenario}/{name}");
                let shown: Vec<String> = code_blocks(section, "c")
                    .into_iter()
                    .map(str::to_string)
                    .collect();
                let crl = case["client"]["options"].get("tlsCRLFile").is_some();
                assert_eq!(shown.len(), 1 + usize::from(crl), "{lang}/{id}");
                assert_eq!(
                    code_blocks(section, "sh").last().copied(),
                    Some("cc ping.c -o ping $(pkg-config --cflags --libs libmongoc-1.0) && ./ping"),
                    "{lang}/{id}: the build line"
                );
                match programs.get(&id) {
                    Some(en) => assert_eq!(en, &shown, "{lang}/{id}: the English page's"),
                    None => {
                        programs.insert(id, shown);
                    }
                }
            }
        }
    }
    assert_eq!(
        programs.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>()
    );
    crate::translated_pages::assert_no_english_prose(out.path(), &dirs);
    crate::translated_pages::assert_every_difference_says_why(
        out.path(),
        &dirs,
        pkigen::policy::Driver::C,
        9,
    );

    let bin = out.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let distinct: BTreeSet<&String> = programs.values().map(|p| &p[0]).collect();

    // Every case's program with its served port, built and run from its folder; and each
    // CRL program (the second block of a case with a CRL file) the same way.
    let _one_at_a_time = util::one_driver_run_at_a_time();
    let (serve, served) = util::serve_all(out.path());
    let jobs: Vec<(String, String, PathBuf)> = programs
        .iter()
        .flat_map(|(id, shown)| {
            let port = served[id]["address"]
                .as_str()
                .and_then(|a| a.rsplit_once(':'))
                .unwrap()
                .1;
            let dir = out.path().join(id.split('/').next().unwrap());
            shown.iter().enumerate().map(move |(i, program)| {
                assert_eq!(program.matches(":27017/").count(), 1, "{id}: one URI");
                let source = program.replace(":27017/", &format!(":{port}/"));
                let job = if i == 0 {
                    id.clone()
                } else {
                    format!("{id} {CRL_API}")
                };
                (job, source, dir.clone())
            })
        })
        .collect();
    let ran_jobs = util::par_map(&jobs, 3, |i, (id, source, dir)| {
        let binary = bin.join(format!("case-{i}"));
        build(source, &binary);
        let output = Command::new("setsid")
            .arg("-w")
            .arg(&binary)
            .current_dir(dir)
            .stdin(Stdio::null())
            .env_remove("SSL_CERT_FILE")
            .env_remove("SSL_CERT_DIR")
            .env_remove("OPENSSL_CONF")
            .output()
            .expect("run a built program under setsid");
        (id.clone(), ran(&output))
    });
    let stopped = util::terminate(serve);
    util::assert_exit(&stopped, 0, "pkigen serve --all stopped by SIGTERM");

    let mut results: BTreeMap<String, Value> = ran_jobs.into_iter().collect();
    let crl_results: BTreeMap<String, Value> = results
        .extract_if(.., |job, _| job.ends_with(CRL_API))
        .map(|(job, line)| (job.trim_end_matches(CRL_API).trim_end().to_string(), line))
        .collect();
    let (mut failures, mut outcome_only) = (Vec::new(), Vec::new());
    crl_programs_check_crls(&crl_results, &mut failures);
    for (id, line) in &results {
        let expect: &Expect = &expected[id];
        let got = classify(line);
        let outcome_agrees = got.outcome == expect.outcome.as_str();
        let reason_agrees = got.reason == expect.reason.map(|r| r.as_str());
        let hidden = expect
            .reason
            .is_some_and(|r| REASONS_NOT_SHOWN.contains(&r));
        if outcome_agrees && hidden && !reason_agrees {
            outcome_only.push(format!(
                "{id} (expects {expect}; the program shows {})",
                got.message
            ));
        } else if !(outcome_agrees && reason_agrees) {
            failures.push(format!(
                "{id}: expects {expect}, the program: {} {} ({})\n  stdout: {}\n  stderr: {}",
                got.outcome,
                got.reason.unwrap_or(""),
                got.message,
                line["stdout"],
                line["stderr"]
            ));
        }
    }
    println!(
        "{} cases: {} programs ({} distinct, and {} CRL programs that checked their CRL as \
         expected) built and run; {} end as libmongoc \
         does, outcome and reason; {} on outcome only, their reason not shown by a program's \
         output: {outcome_only:#?}; {:.1} s",
        results.len(),
        jobs.len(),
        distinct.len(),
        crl_results.len(),
        results.len() - failures.len() - outcome_only.len(),
        outcome_only.len(),
        started.elapsed().as_secs_f64()
    );
    assert_eq!(results.len(), expected.len(), "every case ran");
    assert!(
        failures.is_empty(),
        "programs that do not end as libmongoc does:\n{}",
        failures.join("\n")
    );
}
