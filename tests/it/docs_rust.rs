//! `pkigen docs --driver rust`: every case's Rust program, built with the real driver (crate
//! mongodb 3.9.1, default features, the dependencies `tests/rust_driver` locks) and run against
//! the real servers of `pkigen serve --all`, must end as that driver ends for the case.
//!
//! Each case's section holds one program: `ClientOptions::parse` of the case's connection
//! string, `Client::with_options`, a `ping`. The test builds every distinct program once,
//! unchanged but for two things, in one scratch crate that shares `tests/rust_driver`'s
//! `Cargo.lock` and target folder: each program becomes a module (its `main` made `pub`, so
//! one binary holds them all and links once), and the string it parses goes through
//! `served()`, which does to it what a reader running it against the served fixtures would:
//! port 27017 becomes the case's served port, and `serverSelectionTimeoutMS=2000` is added, so
//! that a server the driver refuses is reported after two seconds rather than thirty (the error
//! is the same, only sooner). Each case's program runs from its case's folder.
//!
//! How a program must end is the Rust driver's expectation for the case, as the manifest of
//! `scenario all --driver rust` holds it:
//! - accept: it prints `ping ok`;
//! - config-error: it fails with the parser's `InvalidArgument` (invalid-options: the comment
//!   above the parse names that very message), or `Client::with_options` fails reading the
//!   files (`InvalidTlsConfig` or `Io`: key-mismatch for `KeyMismatch`, else unreadable-file);
//! - reject: the ping fails with `ServerSelection`, whose text holds rustls's error, read as
//!   the reason.

use crate::docs::code_blocks;
use crate::rust_driver;
use crate::util::{self, NOW};
use pkigen::fixtures::manifest::Expect;
use pkigen::{Outcome, Reason};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// What the test puts in place of each program's literal `ClientOptions::parse(` argument.
const SERVED: &str = "\
/// The program's connection string against the served fixtures: the case's port (from
/// PKIGEN_PORT), and a two-second server selection timeout.
pub fn served(uri: &str) -> String {
    let port = std::env::var(\"PKIGEN_PORT\").expect(\"PKIGEN_PORT\");
    let uri = uri.replacen(\":27017/\", &format!(\":{port}/\"), 1);
    let joint = if uri.contains('?') { '&' } else { '?' };
    format!(\"{uri}{joint}serverSelectionTimeoutMS=2000\")
}
";

/// rustls's words in a `ServerSelection` error, as pkigen's reasons.
const TLS_REASONS: &[(&str, Reason)] = &[
    ("UnknownIssuer", Reason::UnknownIssuer),
    ("certificate not valid for name", Reason::HostnameMismatch),
    ("certificate expired", Reason::Expired),
    ("certificate not valid yet", Reason::NotYetValid),
    ("does not allow extended key usage", Reason::InvalidPurpose),
    (
        "received fatal alert: CertificateRequired",
        Reason::ClientCertRequired,
    ),
    (
        "received fatal alert: UnknownCA",
        Reason::ClientCertUntrusted,
    ),
    (
        "received fatal alert: ProtocolVersion",
        Reason::ProtocolVersion,
    ),
    (
        "received fatal alert: HandshakeFailure",
        Reason::NoSharedCipher,
    ),
];

/// How a program ended, read as pkigen's outcome and reason (reason `other` where its error
/// names none of them).
fn ended(stdout: &str, stderr: &str, success: bool) -> Expect {
    if success && stdout.starts_with("ping ok:") {
        return Expect::ACCEPT;
    }
    let (outcome, reason) = if stderr.contains("kind: ServerSelection") {
        let reason = TLS_REASONS
            .iter()
            .find(|(words, _)| stderr.contains(words))
            .map_or(Reason::Other, |(_, reason)| *reason);
        (Outcome::Reject, reason)
    } else if stderr.contains("kind: InvalidArgument") {
        (Outcome::ConfigError, Reason::InvalidOptions)
    } else if stderr.contains("kind: InvalidTlsConfig") && stderr.contains("KeyMismatch") {
        (Outcome::ConfigError, Reason::KeyMismatch)
    } else if stderr.contains("kind: InvalidTlsConfig") || stderr.contains("kind: Io(") {
        (Outcome::ConfigError, Reason::UnreadableFile)
    } else {
        (Outcome::ConfigError, Reason::Other)
    };
    Expect {
        outcome,
        reason: Some(reason),
    }
}

/// One binary with every program as a module, `snippets N` running the Nth.
fn scratch_crate(dir: &Path, programs: &[String]) {
    let manifest = std::fs::read_to_string(rust_driver::crate_dir().join("Cargo.toml")).unwrap();
    let manifest = manifest.replace(
        "path = \"src/driver.rs\"",
        "path = \"src/driver.rs\"\n\n[[bin]]\nname = \"snippets\"\npath = \"snippets.rs\"",
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    std::fs::copy(
        rust_driver::crate_dir().join("Cargo.lock"),
        dir.join("Cargo.lock"),
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::copy(
        rust_driver::crate_dir().join("src/driver.rs"),
        dir.join("src/driver.rs"),
    )
    .unwrap();
    let mut source = String::from(SERVED);
    let mut dispatch = String::new();
    for (i, program) in programs.iter().enumerate() {
        assert_eq!(program.matches("async fn main()").count(), 1, "{program}");
        assert_eq!(
            program.matches("ClientOptions::parse(\"").count(),
            1,
            "{program}"
        );
        let module = program
            .replace("async fn main()", "pub async fn main()")
            .replace(
                "ClientOptions::parse(\"",
                "ClientOptions::parse(crate::served(\"",
            )
            .replace("\").await?;", "\")).await?;");
        source += &format!("\nmod program_{i} {{\n{module}}}\n");
        dispatch += &format!("        \"{i}\" => program_{i}::main(),\n");
    }
    source += &format!(
        "\nfn main() {{\n    let result = match std::env::args().nth(1).as_deref().unwrap_or(\"\") {{\n{dispatch}        other => panic!(\"no program {{other}}\"),\n    }};\n    \
         // As a `main` returning an error does.\n    if let Err(e) = result {{\n        eprintln!(\"Error: {{e:?}}\");\n        std::process::exit(1);\n    }}\n}}\n"
    );
    std::fs::write(dir.join("snippets.rs"), source).unwrap();
}

#[test]
fn the_rust_programs_do_what_the_rust_driver_does() {
    let started = Instant::now();
    let out = util::tempdir();
    util::generate(
        out.path(),
        &["all"],
        29,
        NOW,
        &["--no-validate", "--driver", "rust"],
    );
    let docs = util::run([
        "docs".as_ref(),
        out.path().as_os_str(),
        "--driver".as_ref(),
        "rust".as_ref(),
    ]);
    util::assert_exit(&docs, 0, "pkigen docs --driver rust");

    // Every case's section, in every language, shows the same program and no other code.
    let dirs = util::scenario_dirs(out.path());
    let expected = util::expectations(&dirs);
    let mut shown: BTreeMap<String, String> = BTreeMap::new();
    for dir in &dirs {
        let manifest = util::read_json(&dir.join("manifest.json"));
        let scenario = manifest["scenario"].as_str().unwrap();
        for lang in ["en", "ja", "zh", "ko"] {
            let page = util::page(out.path(), lang, scenario);
            for other in ["python", "javascript"] {
                assert!(
                    code_blocks(&page, other).is_empty(),
                    "{lang}/{scenario}: {other}"
                );
            }
            for case in manifest["cases"].as_array().unwrap() {
                let name = case["name"].as_str().unwrap();
                let section = page.split(&format!("\n### {name}\n")).nth(1).unwrap();
                let section = &section[..section.find("\n### ").unwrap_or(section.len())];
                let blocks = code_blocks(section, "rust");
                let id = format!("{scenario}/{name}");
                assert_eq!(blocks.len(), 1, "{lang}/{id}: one program");
                match shown.get(&id) {
                    Some(en) => assert_eq!(en, blocks[0], "{lang}/{id}: the English program"),
                    None => {
                        shown.insert(id, blocks[0].to_string());
                    }
                }
            }
        }
    }
    assert_eq!(
        shown.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>()
    );

    // Every distinct program, built once.
    let mut programs: Vec<String> = shown.values().cloned().collect();
    programs.sort();
    programs.dedup();
    let scratch = util::tempdir();
    scratch_crate(scratch.path(), &programs);
    let took = rust_driver::cargo_build(&scratch.path().join("Cargo.toml"), &["--bin", "snippets"])
        .unwrap_or_else(|e| panic!("the programs do not build:\n{e}"));
    println!(
        "{} distinct programs of {} cases built in {:.1} s",
        programs.len(),
        shown.len(),
        took.as_secs_f64()
    );
    let binary = rust_driver::target_dir().join("debug/snippets");

    // Each case's program, from its folder, against its served server.
    let _one_at_a_time = util::one_driver_run_at_a_time();
    let (serve, served) = util::serve_all(out.path());
    let cases: Vec<(&String, &String)> = shown.iter().collect();
    // A few at once: each refusal waits out its two seconds, and other tests share the machine.
    let ended_as = util::par_map(&cases, 8, |_, (id, program)| {
        let index = programs.binary_search(program).unwrap();
        let port = served[*id]["address"]
            .as_str()
            .and_then(|a| a.rsplit_once(':'))
            .unwrap()
            .1;
        let scenario = id.split('/').next().unwrap();
        let output = Command::new(&binary)
            .arg(index.to_string())
            .current_dir(out.path().join(scenario))
            .env("PKIGEN_PORT", port)
            .output()
            .expect("run the programs");
        let (stdout, stderr) = (util::stdout(&output), util::stderr(&output));
        let got = ended(&stdout, &stderr, output.status.success());
        let want = expected[*id];
        let mut problem = (got != want).then(|| format!("expected {want}, got {got}"));
        // A refusal by the parser is the one the program's comment names.
        if problem.is_none() && want.reason == Some(Reason::InvalidOptions) {
            let comment = program
                .lines()
                .find(|l| l.contains("ClientOptions::parse returns InvalidArgument"))
                .and_then(|l| l.split_once("): "))
                .map(|(_, message)| format!("{message:?}"));
            if !comment.is_some_and(|m| stderr.contains(&m)) {
                problem = Some("the comment does not name the parser's error".into());
            }
        }
        let failure = problem.map(|problem| {
            format!(
                "{id}: {problem}\n  stdout: {stdout}\n  stderr: {}",
                stderr.chars().take(400).collect::<String>()
            )
        });
        (got, failure)
    });
    let mut tally: BTreeMap<String, usize> = BTreeMap::new();
    for (got, _) in &ended_as {
        *tally.entry(got.to_string()).or_default() += 1;
    }
    let failures: Vec<String> = ended_as.into_iter().filter_map(|(_, f)| f).collect();
    let stopped = util::terminate(serve);
    util::assert_exit(&stopped, 0, "pkigen serve --all stopped by SIGTERM");
    println!("the programs ended: {tally:?}");
    assert!(
        failures.is_empty(),
        "{} of {} cases:\n{}",
        failures.len(),
        shown.len(),
        failures.join("\n")
    );
    assert_eq!(shown.len(), expected.len(), "a program run for every case");

    crate::translated_pages::assert_no_english_prose(out.path(), &dirs);
    crate::translated_pages::assert_every_difference_says_why(
        out.path(),
        &dirs,
        pkigen::policy::Driver::Rust,
        34,
    );
    println!(
        "{} cases run in {:.1?} (all told)",
        shown.len(),
        started.elapsed()
    );
}
