//! `pkigen docs --lang ja|zh|ko`: pages wholly in the reader's language. What stays in Latin
//! letters on a translated page is what a reader types or searches for as it is — code, file
//! and option names, the TLS library's messages, reason and case names, certificate subjects,
//! product names — never an English sentence.

use crate::util::{self, NOW};
use pkigen::{Outcome, Reason};
use std::collections::BTreeSet;
use std::path::Path;

const TRANSLATED: [&str; 3] = ["ja", "zh", "ko"];

/// The fewest plain English words in a row that make prose rather than a name: "Python ssl",
/// "OpenSSL PEM" and "GitHub Actions" are names; three words are a phrase someone wrote.
const ENGLISH_RUN: usize = 3;

/// Every page of every scenario, from validated fixtures made for every driver (so the pages
/// hold PyMongo's examples, the case × driver matrix, every other driver's why and the
/// overview of their disagreements), in each translated language: no run of English words is
/// left once code, fenced blocks, link targets, file names, certificate subjects and the
/// machine names are set aside; the reason names stay beside their glosses.
#[test]
fn translated_pages_hold_no_english_prose() {
    let out = util::tempdir();
    util::generate(out.path(), &["all"], 17, NOW, &["--driver", "all"]);
    let dirs = util::scenario_dirs(out.path());
    assert_eq!(dirs.len(), util::SCENARIOS.len());
    for dir in &dirs {
        assert!(
            dir.join("report.json").is_file(),
            "{}: validated",
            dir.display()
        );
    }
    let docs = util::run(["docs".as_ref(), out.path().as_os_str()]);
    util::assert_exit(&docs, 0, "pkigen docs");
    let machine = machine_names(&dirs);
    let mut english = Vec::new();
    let mut pages = 0;
    for lang in TRANSLATED {
        let folder = out.path().join("docs").join(lang);
        for scenario in util::SCENARIOS.iter().chain(&["index", "drivers"]) {
            let page = std::fs::read_to_string(folder.join(format!("{scenario}.md"))).unwrap();
            for run in english_runs(&prose_of(&page), &machine) {
                english.push(format!("{lang}/{scenario}.md: {run}"));
            }
            pages += 1;
        }
    }
    assert_eq!(pages, TRANSLATED.len() * (util::SCENARIOS.len() + 2));
    assert!(
        english.is_empty(),
        "English prose on translated pages ({}):\n{}",
        english.len(),
        english.join("\n")
    );
    for lang in TRANSLATED {
        reasons_stay_beside_their_glosses(out.path(), lang);
    }
}

/// Each case's expected result names its reason as manifest.json and report.json do, beside
/// the gloss; the English form (`reject (unknown-issuer)`) is gone.
fn reasons_stay_beside_their_glosses(out: &Path, lang: &str) {
    for scenario in util::SCENARIOS {
        let page = util::page(out, lang, scenario);
        let manifest = util::read_json(&out.join(scenario).join("manifest.json"));
        for case in manifest["cases"].as_array().unwrap() {
            if let Some(reason) = case["expect"]["reason"].as_str() {
                let name = case["name"].as_str().unwrap();
                let row = page
                    .lines()
                    .find(|line| line.starts_with(&format!("| [`{name}`]")))
                    .unwrap_or_else(|| panic!("{lang}/{scenario}: a row for {name}"));
                assert!(row.contains(reason), "{lang}/{scenario}: {row}");
            }
        }
        for outcome in Outcome::ALL {
            assert!(
                !page.contains(&format!("{outcome} (")),
                "{lang}/{scenario}: the English form of {outcome}"
            );
        }
    }
}

/// The names a page shows as they are: reasons and outcomes, scenario and case names, file
/// names and connection options, from the manifests.
fn machine_names(dirs: &[std::path::PathBuf]) -> BTreeSet<String> {
    let mut names: BTreeSet<String> = Reason::ALL
        .iter()
        .map(|r| r.as_str().to_string())
        .chain(Outcome::ALL.iter().map(|o| o.as_str().to_string()))
        .collect();
    for dir in dirs {
        let manifest = util::read_json(&dir.join("manifest.json"));
        names.insert(manifest["scenario"].as_str().unwrap().to_string());
        for file in manifest["files"].as_array().unwrap() {
            names.insert(file["path"].as_str().unwrap().to_string());
        }
        for case in manifest["cases"].as_array().unwrap() {
            names.insert(case["name"].as_str().unwrap().to_string());
            for option in case["client"]["options"].as_object().unwrap().keys() {
                names.insert(option.clone());
            }
        }
    }
    names
}

/// The page without fenced blocks, code spans, link targets and certificate subjects: the
/// prose a reader reads, with names in it.
fn prose_of(page: &str) -> String {
    let mut prose = String::new();
    let mut fence: Option<String> = None;
    for line in page.lines() {
        let ticks: String = line.chars().take_while(|&c| c == '`').collect();
        match &fence {
            Some(open) if line.trim_end() == open => fence = None,
            Some(_) => {}
            None if ticks.len() >= 3 => fence = Some(ticks),
            None => {
                prose += &without_subjects(&without_links(&without_code_spans(line)));
                prose.push('\n');
            }
        }
    }
    prose
}

/// `line` without its code spans (a run of backticks up to the next run of the same length).
fn without_code_spans(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let run_at = |i: usize| chars[i..].iter().take_while(|&&c| c == '`').count();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '`' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let run = run_at(i);
        let mut j = i + run;
        let mut closed = None;
        while j < chars.len() {
            if chars[j] == '`' {
                let other = run_at(j);
                if other == run {
                    closed = Some(j + run);
                    break;
                }
                j += other;
            } else {
                j += 1;
            }
        }
        match closed {
            Some(end) => {
                out.push(' ');
                i = end;
            }
            None => {
                out.extend(&chars[i..i + run]);
                i += run;
            }
        }
    }
    out
}

/// `line` without link targets (`](…)`) and URLs.
fn without_links(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(start) = rest.find("](") {
        out += &rest[..start];
        rest = &rest[start + 2..];
        rest = &rest[rest.find(')').map_or(rest.len(), |end| end + 1)..];
        out.push(' ');
    }
    out += rest;
    out.split(' ')
        .filter(|word| !word.contains("://"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `line` without distinguished-name attributes (`O=pkigen test PKI, CN=localhost`): a
/// certificate's subject is what the certificate says, quoted as it is.
fn without_subjects(line: &str) -> String {
    const ATTRIBUTES: [&str; 8] = [
        "CN=",
        "O=",
        "OU=",
        "C=",
        "L=",
        "ST=",
        "DC=",
        "emailAddress=",
    ];
    let mut out = String::new();
    let mut rest = line;
    'scan: while !rest.is_empty() {
        let at_boundary = out
            .chars()
            .last()
            .is_none_or(|c| c.is_whitespace() || ",;:(（".contains(c));
        if at_boundary {
            for attribute in ATTRIBUTES {
                if rest.starts_with(attribute) {
                    let end = rest.find([',', ';', '|']).unwrap_or(rest.len());
                    rest = &rest[end..];
                    out.push(' ');
                    continue 'scan;
                }
            }
        }
        let c = rest.chars().next().unwrap();
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Runs of at least [`ENGLISH_RUN`] plain English words in `prose`: a word is ASCII letters
/// (with an inner hyphen or apostrophe), once surrounding punctuation is trimmed; a machine
/// name, a file or dotted name, anything with a digit or another script ends a run.
fn english_runs(prose: &str, machine: &BTreeSet<String>) -> Vec<String> {
    let mut runs = Vec::new();
    for line in prose.lines() {
        let mut run: Vec<&str> = Vec::new();
        for token in line.split_whitespace().chain([""]) {
            let word = token.trim_matches(|c: char| c.is_ascii_punctuation());
            let plain = !word.is_empty()
                && !machine.contains(word)
                && !machine.contains(token.trim_end_matches([',', ';', ':']))
                && word.starts_with(|c: char| c.is_ascii_alphabetic())
                && word
                    .chars()
                    .all(|c| c.is_ascii_alphabetic() || c == '-' || c == '\'');
            if plain {
                run.push(word);
            } else {
                if run.len() >= ENGLISH_RUN {
                    runs.push(run.join(" "));
                }
                run.clear();
            }
        }
    }
    runs
}

/// The scan finds what it is for, and passes what it must.
#[test]
fn the_english_scan_tells_prose_from_names() {
    let machine: BTreeSet<String> = ["unknown-issuer", "ca.pem"].map(String::from).into();
    let scan = |page: &str| english_runs(&prose_of(page), &machine);
    assert_eq!(
        scan("The server sends its certificate\n"),
        ["The server sends its certificate"]
    );
    assert_eq!(
        scan("| `a-case` | 拒否（unknown-issuer：不明） | the client trusts |\n"),
        ["the client trusts"]
    );
    for clean in [
        "サーバーは `tls=true and more words` を使います。\n",
        "```text\nmongodb://localhost/?tls=true and so on\n```\n",
        "| `ca.pem` | 証明書 | CA 証明書 O=pkigen test PKI, CN=pkigen ca-file root CA; 自己署名 |\n",
        "[`a-case`](#a-case) 説明 [ja](../ja/index.md) · [en](https://example.com/some more words)\n",
        "同じファイルを使う Python ssl（PyMongo と同じ構成）\n",
        "GitHub Actions のジョブ、OpenSSL PEM 形式、ca.pem unknown-issuer ca.pem\n",
    ] {
        assert!(scan(clean).is_empty(), "{clean}: {:?}", scan(clean));
    }
}

/// The pages of a one-driver set in `out` (made from `dirs`), in Japanese, Chinese and
/// Korean, hold no English prose outside the code, as the PyMongo pages do not.
pub(crate) fn assert_no_english_prose(out: &Path, dirs: &[std::path::PathBuf]) {
    let machine = machine_names(dirs);
    let mut english = Vec::new();
    for lang in TRANSLATED {
        for scenario in util::SCENARIOS.iter().chain(&["index"]) {
            let page = util::page(out, lang, scenario);
            for run in english_runs(&prose_of(&page), &machine) {
                english.push(format!("{lang}/{scenario}.md: {run}"));
            }
        }
    }
    assert!(english.is_empty(), "English prose:\n{}", english.join("\n"));
}

/// Each of the `count` cases where `driver` expects otherwise than PyMongo says why on its
/// page of a `driver` set, in every language, and no other case does.
pub(crate) fn assert_every_difference_says_why(
    out: &Path,
    dirs: &[std::path::PathBuf],
    driver: pkigen::policy::Driver,
    count: usize,
) {
    let differing = pkigen::scenario::all()
        .iter()
        .flat_map(|s| s.cases.iter())
        .filter(|c| c.difference(driver).is_some())
        .count();
    assert_eq!(differing, count, "{driver}'s differences");
    for lang in ["en", "ja", "zh", "ko"] {
        let strings = util::read_json(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("templates/i18n/{lang}.json")),
        );
        let label = format!("> {}: ", strings["driver_differs"].as_str().unwrap());
        let shown: usize = dirs
            .iter()
            .map(|dir| {
                let scenario = dir.file_name().unwrap().to_str().unwrap();
                util::page(out, lang, scenario).matches(&label).count()
            })
            .sum();
        assert_eq!(shown, differing, "{lang}: one why per difference");
    }
}
