//! Command-line mistakes clap catches (missing, unknown or malformed arguments): one line on
//! stderr naming the argument and the fix, exit 2, nothing written; `--help` and `--version`
//! still print clap's text and exit 0.

use crate::util::{self, path_arg};

#[test]
fn each_kind_of_usage_error_is_one_line_naming_the_argument() {
    let out = util::tempdir();
    let target = out.path().join("fresh");
    let target = path_arg(&target);
    // (arguments, what the one line must name)
    let cases: [(&[&str], &[&str]); 15] = [
        (
            &["scenario", "--out", target],
            &["<NAME>", "pkigen scenario all"],
        ),
        (&["serve"], &["--case", "<DIR>", "pkigen serve --help"]),
        (
            &["scenario", "all", "--out", target, "--frobnicate"],
            &["--frobnicate", "did you mean --format?"],
        ),
        (&["list", "extra"], &["'extra'", "remove it"]),
        (
            &["validate", target, "--format", "xml"],
            &["'xml'", "--format", "text or json"],
        ),
        (
            &["list", "--format", "xml"],
            &["'xml'", "--format", "text, json or markdown"],
        ),
        (
            &["scenario", "all", "--out", target, "--seed", "abc"],
            &["'abc'", "--seed", "whole number"],
        ),
        (
            &[
                "scenario", "all", "--out", target, "--seed", "1", "--seed", "2",
            ],
            &["--seed", "once"],
        ),
        (&["validate", "--case"], &["--case", "needs a value"]),
        (&["frob"], &["'frob'", "scenario", "list", "pkigen --help"]),
        (&["lsit"], &["'lsit'", "did you mean", "list"]),
        (&[], &["no command", "scenario", "list", "pkigen --help"]),
        // A value that starts with '-': the fix offered is one that works (`--now=VALUE`).
        (
            &[
                "scenario",
                "all",
                "--out",
                target,
                "--now",
                "-0001-01-01T00:00:00Z",
            ],
            &["--now=-0001-01-01T00:00:00Z"],
        ),
        (
            &["check", target, "--expiring-within", "-1"],
            &["--expiring-within=-1"],
        ),
        (&["inspect", ""], &["<FILES>", "cannot be empty"]),
    ];
    for (args, needles) in cases {
        let what = format!("pkigen {}", args.join(" "));
        let output = util::run(args);
        util::assert_usage_error(&output, needles, &what);
        assert!(
            util::stdout(&output).is_empty(),
            "{what}: nothing on stdout\n{}",
            util::describe(&output)
        );
    }
    assert!(
        std::fs::read_dir(out.path()).unwrap().next().is_none(),
        "a refused command line wrote nothing"
    );
}

#[test]
fn help_and_version_still_print_and_succeed() {
    for args in [&["--help"][..], &["scenario", "--help"], &["help", "serve"]] {
        let output = util::run(args);
        util::assert_exit(&output, 0, &args.join(" "));
        assert!(
            util::stdout(&output).contains("Usage: pkigen"),
            "{args:?}: clap's help on stdout\n{}",
            util::describe(&output)
        );
    }
    let version = util::run(["--version"]);
    util::assert_exit(&version, 0, "--version");
    assert_eq!(
        util::stdout(&version),
        format!("pkigen {}\n", env!("CARGO_PKG_VERSION"))
    );
}

/// Whatever clap refuses, a connection string's password does not reach the terminal: it
/// quotes the arguments it refuses, and `policy` is given URIs with userinfo.
#[test]
fn usage_errors_leave_out_a_uris_userinfo() {
    let uri = "mongodb://alice:s3cr%2Ft@db.example/?tls=true";
    for args in [
        &["policy", uri, "mongodb://alice:s3cr%2Ft@other/"][..],
        &["policy", "--format", uri],
        &["policy", &format!("--format={uri}")],
    ] {
        let output = util::run(args);
        let line = util::assert_usage_error(&output, &["***@"], &format!("{args:?}"));
        for secret in ["alice", "s3cr"] {
            assert!(!line.contains(secret), "{args:?} printed {secret}: {line}");
        }
    }
    let shown = util::run(["policy", "--show-secrets", "--format", uri]);
    util::assert_usage_error(&shown, &["alice:s3cr%2Ft@"], "--show-secrets");
}
