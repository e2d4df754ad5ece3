//! `pkigen man --out DIR`: a page per command, each read back by the system's own man page
//! formatter (`man -l`, else `groff`), or, on a machine with neither, checked for the
//! header and NAME section every formatter needs.

use crate::util::{self, path_arg};
use std::collections::BTreeSet;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

/// The commands `pkigen --help` lists, but `help`, which only repeats the others.
fn commands() -> Vec<String> {
    let output = util::run(["--help"]);
    util::assert_exit(&output, 0, "--help");
    let help = util::stdout(&output);
    let listed = help
        .split("Commands:\n")
        .nth(1)
        .and_then(|rest| rest.split("\n\n").next())
        .unwrap_or_else(|| panic!("no Commands: section in\n{help}"));
    let names: Vec<String> = listed
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect();
    assert!(names.len() >= 10, "too few commands in\n{help}");
    names
}

/// `page` as the first formatter found shows it, each run of spaces and line breaks as one
/// space (justified text pads words apart), or `None` if there is no formatter.
fn formatted(page: &Path) -> Option<String> {
    let formatters: [(&str, &[&str]); 2] =
        [("man", &["-l"]), ("groff", &["-man", "-Tascii", "-P-cbou"])];
    for (program, args) in formatters {
        let output = match Command::new(program)
            .args(args)
            .arg(page)
            .env("MANPAGER", "cat")
            .env("PAGER", "cat")
            .env("LC_ALL", "C")
            .output()
        {
            Ok(output) => output,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => panic!("cannot run {program}: {e}"),
        };
        util::assert_exit(&output, 0, &format!("{program} {}", page.display()));
        assert!(
            output.stderr.is_empty(),
            "{program} warns about {}:\n{}",
            page.display(),
            util::stderr(&output)
        );
        // Bold and underline as overstrikes (`X\bX`, `_\bX`) are left out.
        let text = util::stdout(&output);
        let mut plain = String::new();
        for c in text.chars() {
            if c == '\u{8}' {
                plain.pop();
            } else {
                plain.push(c);
            }
        }
        return Some(plain.split_whitespace().collect::<Vec<_>>().join(" "));
    }
    None
}

#[test]
fn every_command_has_a_page_a_formatter_accepts() {
    let out = util::tempdir();
    let dir = out.path().join("man1");
    let output = util::run(["man", "--out", path_arg(&dir)]);
    util::assert_exit(&output, 0, "man --out");

    let mut expected = vec!["pkigen".to_string()];
    expected.extend(commands().iter().map(|c| format!("pkigen-{c}")));
    let printed: Vec<String> = util::stdout(&output).lines().map(str::to_string).collect();
    let wanted: Vec<String> = expected
        .iter()
        .map(|name| dir.join(format!("{name}.1")).display().to_string())
        .collect();
    assert_eq!(printed, wanted, "the paths printed, one per page");
    let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    let pages: BTreeSet<String> = expected.iter().map(|n| format!("{n}.1")).collect();
    assert_eq!(on_disk, pages, "one page per command and nothing else");

    for name in &expected {
        let path = dir.join(format!("{name}.1"));
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644, "{name}.1 mode");
        let roff = std::fs::read_to_string(&path).unwrap();
        assert!(
            roff.contains(&format!("\n.TH {name} 1 ")),
            "{name}.1:\n{roff}"
        );
        assert!(roff.contains("\n.SH NAME\n"), "{name}.1:\n{roff}");
        if let Some(text) = formatted(&path) {
            assert!(text.contains("NAME"), "{name}.1 as formatted:\n{text}");
            assert!(
                text.contains(&format!("{name} - ")),
                "{name}.1 as formatted names its command:\n{text}"
            );
        }
    }

    let scenario = dir.join("pkigen-scenario.1");
    let roff = std::fs::read_to_string(&scenario).unwrap();
    assert!(roff.contains(r"\-\-seed"), "{roff}");
    if let Some(text) = formatted(&scenario) {
        assert!(text.contains("--seed"), "{text}");
        assert!(text.contains("pkigen scenario"), "the synopsis: {text}");
    }

    // The top page is the one `pkigen man` prints.
    let printed = util::run(["man"]);
    util::assert_exit(&printed, 0, "man");
    assert_eq!(std::fs::read(dir.join("pkigen.1")).unwrap(), printed.stdout);
}

#[test]
fn pages_replace_earlier_ones_and_quiet_prints_nothing() {
    let out = util::tempdir();
    let old = out.path().join("pkigen-list.1");
    std::fs::write(&old, b"an older page").unwrap();
    std::fs::write(out.path().join("other.1"), b"someone else's page").unwrap();
    let output = util::run(["-q", "man", "--out", path_arg(out.path())]);
    util::assert_exit(&output, 0, "-q man --out");
    assert!(
        output.stdout.is_empty() && output.stderr.is_empty(),
        "{}",
        util::describe(&output)
    );
    let page = std::fs::read_to_string(&old).unwrap();
    assert!(page.contains(".TH pkigen-list 1"), "{page}");
    assert_eq!(
        std::fs::read(out.path().join("other.1")).unwrap(),
        b"someone else's page"
    );
    let hidden: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.starts_with('.'))
        .collect();
    assert!(hidden.is_empty(), "temporary files left: {hidden:?}");
}

#[test]
fn a_folder_that_cannot_be_made_is_refused_in_one_line() {
    let out = util::tempdir();
    let file = out.path().join("a-file");
    std::fs::write(&file, b"not a folder").unwrap();

    let output = util::run(["man", "--out", path_arg(&file)]);
    util::assert_usage_error(&output, &["a-file", "not a folder", "--out"], "a file");
    assert_eq!(std::fs::read(&file).unwrap(), b"not a folder");

    let below = file.join("man1");
    let output = util::run(["man", "--out", path_arg(&below)]);
    util::assert_usage_error(&output, &["cannot write to", "--out"], "a folder in a file");
    assert!(output.stdout.is_empty(), "{}", util::describe(&output));
}
