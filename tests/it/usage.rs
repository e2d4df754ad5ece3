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
    let cases: [(&[&str], &[&str]); 11] = [
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
            &["list", "--format", "xml"],
            &["'xml'", "--format", "text or json"],
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
