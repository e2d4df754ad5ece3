//! Refusals: exit 2, one `error:` line that names the problem, and nothing damaged. And
//! `check`, which must notice tampering and coming expiry (exit 1) and name the file.

use crate::util::{self, NOW, path_arg};
use std::path::Path;

/// Runs a refused `scenario` command twice: into a folder that does not exist (which must
/// not be created) and into one holding fixtures (which must be left byte for byte).
fn assert_scenario_refused(args: &[&str], needles: &[&str]) -> String {
    let parent = util::tempdir();
    let fresh = parent.path().join("fresh");
    let mut full: Vec<&str> = args.to_vec();
    full.extend(["--out", path_arg(&fresh)]);
    let message = util::assert_usage_error(&util::run(&full), needles, &full.join(" "));
    assert!(
        !fresh.exists(),
        "{}: the output folder was created",
        full.join(" ")
    );

    let existing = parent.path().join("existing");
    util::generate(&existing, &["all"], 1, NOW, &["--no-validate"]);
    let before = util::snapshot(&existing);
    let mut full: Vec<&str> = args.to_vec();
    full.extend(["--out", path_arg(&existing)]);
    util::assert_usage_error(&util::run(&full), needles, &full.join(" "));
    assert!(
        before == util::snapshot(&existing),
        "{}: existing fixtures changed",
        full.join(" ")
    );
    message
}

#[test]
fn unknown_scenario_is_refused_and_the_known_ones_listed() {
    assert_scenario_refused(
        &["scenario", "nope", "--seed", "1", "--now", NOW],
        &["'nope'", "enable-tls", "ca-file", "insecure-tls"],
    );
    // A valid name beside an unknown one: nothing at all is generated.
    assert_scenario_refused(
        &[
            "scenario",
            "enable-tls",
            "nope",
            "--seed",
            "1",
            "--now",
            NOW,
        ],
        &["'nope'"],
    );
}

#[test]
fn bad_now_is_refused_naming_the_value_and_rfc_3339() {
    assert_scenario_refused(
        &["scenario", "all", "--seed", "1", "--now", "yesterday"],
        &["yesterday", "RFC 3339"],
    );
}

#[test]
fn bad_key_type_is_refused() {
    assert_scenario_refused(
        &[
            "scenario",
            "all",
            "--seed",
            "1",
            "--now",
            NOW,
            "--key-type",
            "dsa-1024",
        ],
        &["dsa-1024", "key type", "ecdsa-p256"],
    );
}

#[test]
fn a_foreign_output_folder_is_kept_unless_forced() {
    let out = util::tempdir();
    let target = out.path().join("insecure-tls");
    std::fs::create_dir(&target).unwrap();
    let precious = target.join("precious.txt");
    std::fs::write(&precious, b"do not delete").unwrap();
    let args = |extra: &[&'static str]| {
        let mut args = vec!["scenario", "insecure-tls", "--seed", "1", "--now", NOW];
        args.extend(["--out", path_arg(out.path())]);
        args.extend(extra);
        args
    };

    util::assert_usage_error(
        &util::run(args(&[])),
        &["insecure-tls", "--force"],
        "foreign folder",
    );
    assert_eq!(std::fs::read(&precious).unwrap(), b"do not delete");

    // `all` refuses before generating anything, so no other scenario appears either.
    let mut all = args(&[]);
    all[1] = "all";
    util::assert_usage_error(&util::run(&all), &["--force"], "foreign folder, all");
    assert_eq!(std::fs::read(&precious).unwrap(), b"do not delete");
    let entries: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(entries, ["insecure-tls"], "nothing else was written");

    let forced = util::run(args(&["--force"]));
    util::assert_exit(&forced, 0, "--force");
    // --force replaces only what pkigen writes: the foreign file stays.
    assert_eq!(
        std::fs::read(&precious).unwrap(),
        b"do not delete",
        "--force keeps files pkigen did not write"
    );
    assert!(
        target.join("manifest.json").is_file(),
        "--force wrote the fixtures"
    );
}

/// A regular file where a scenario folder should go, with `--force`: `--force` replaces
/// folders, so the file must be refused, before anything is written (exit 2 means nothing
/// changed), and the message must not tell the user to pass the `--force` they passed.
/// Today `commands.rs` lets it through its up-front check (because of `--force`), writes
/// enable-tls and ca-file, and then `output.rs` `write_scenario` refuses insecure-tls with
/// `ForeignOutput` ("... or pass --force to replace it").
#[test]
fn a_file_in_the_way_is_refused_before_anything_is_written() {
    let out = util::tempdir();
    let in_the_way = out.path().join("insecure-tls");
    std::fs::write(&in_the_way, b"a file, not a folder").unwrap();
    let output = util::run([
        "scenario",
        "all",
        "--seed",
        "1",
        "--now",
        NOW,
        "--force",
        "--out",
        path_arg(out.path()),
    ]);
    assert_eq!(
        std::fs::read(&in_the_way).unwrap(),
        b"a file, not a folder",
        "the file is left alone"
    );
    let message = util::assert_usage_error(&output, &["insecure-tls"], "a file in the way");
    assert!(
        !message.contains("pass --force"),
        "--force was given, yet the message says to pass it: {message}"
    );
    let entries: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        entries,
        ["insecure-tls"],
        "exit 2, yet other scenarios were written"
    );
}

#[test]
fn a_pkigen_folder_is_replaced_without_force_and_no_temporaries_remain() {
    let (out, dir) = util::scenario("insecure-tls", 1, &[]);
    std::fs::write(dir.join("stale.txt"), b"from an earlier run").unwrap();
    let first_ca = std::fs::read(dir.join("ca.pem")).unwrap();

    util::generate(out.path(), &["insecure-tls"], 2, NOW, &[]);
    let manifest = util::read_json(&dir.join("manifest.json"));
    assert_eq!(manifest["seed"], 2, "the folder holds the new run");
    assert_ne!(std::fs::read(dir.join("ca.pem")).unwrap(), first_ca);
    // pkigen replaces only the files its manifest lists: a file someone added stays.
    assert_eq!(
        std::fs::read(dir.join("stale.txt")).unwrap(),
        b"from an earlier run",
        "a file pkigen did not write is kept"
    );
    // Exactly the manifest's files, the manifest and the report.
    let mut expected: Vec<String> = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .chain([
            "manifest.json".into(),
            "report.json".into(),
            "stale.txt".into(),
        ])
        .collect();
    expected.sort();
    let mut found: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    found.sort();
    assert_eq!(found, expected);

    let leftovers: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains(".pkigen-") || name.starts_with('.'))
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary folders left: {leftovers:?}"
    );
}

#[test]
fn an_unwritable_output_is_refused_naming_out() {
    // /proc refuses new entries even to root (chmod 0555 would not stop root).
    let output = util::run([
        "scenario",
        "enable-tls",
        "--seed",
        "1",
        "--now",
        NOW,
        "--out",
        "/proc/pkigen-test",
    ]);
    util::assert_usage_error(&output, &["/proc/pkigen-test", "--out"], "unwritable --out");
    assert!(!Path::new("/proc/pkigen-test").exists());
}

/// The OS error is the cause, and it is stated once: `error.rs` both prints the io::Error in
/// `Display` and returns it from `source()`, so `{:#}` in `cli/mod.rs` prints it twice.
#[test]
fn an_io_error_is_stated_once() {
    let output = util::run([
        "scenario",
        "enable-tls",
        "--seed",
        "1",
        "--now",
        NOW,
        "--out",
        "/proc/pkigen-test",
    ]);
    let message = util::assert_usage_error(&output, &["--out"], "unwritable --out");
    let cause = "No such file or directory";
    assert_eq!(
        message.matches(cause).count(),
        1,
        "the cause is repeated: {message}"
    );

    let missing = util::tempdir().path().join("missing");
    let output = util::run(["validate", path_arg(&missing)]);
    let message = util::assert_usage_error(&output, &["missing"], "validate a missing folder");
    assert_eq!(
        message.matches(cause).count(),
        1,
        "the cause is repeated: {message}"
    );
}

#[test]
fn check_names_a_tampered_file() {
    let (_out, dir) = util::scenario("insecure-tls", 3, &[]);
    let dir_arg = path_arg(&dir);

    let clean = util::run(["check", dir_arg]);
    util::assert_exit(&clean, 0, "check on untouched fixtures");

    let cert = dir.join("server.pem");
    let mut bytes = std::fs::read(&cert).unwrap();
    let i = bytes.len() / 2; // inside the base64 body
    bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
    std::fs::write(&cert, &bytes).unwrap();

    let tampered = util::run(["check", dir_arg]);
    util::assert_exit(&tampered, 1, "check on a tampered certificate");
    let text = util::stdout(&tampered);
    assert!(
        text.contains("server.pem"),
        "the tampered file is named\n{}",
        util::describe(&tampered)
    );

    let json = util::run(["check", dir_arg, "--format", "json"]);
    util::assert_exit(&json, 1, "check --format json on a tampered certificate");
    let value = util::parse_json(&util::stdout(&json), "check --format json");
    let findings: Vec<&str> = value["results"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["findings"].as_array().unwrap())
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(findings, ["server.pem"], "only the tampered file is named");
}

/// `notAfter` of a certificate as YYYY-MM-DD, read by openssl.
fn openssl_not_after(cert: &Path) -> String {
    let output = util::tool("openssl")
        .args(["x509", "-noout", "-enddate", "-dateopt", "iso_8601", "-in"])
        .arg(cert)
        .output()
        .expect("openssl must be installed");
    util::assert_exit(&output, 0, "openssl x509 -enddate");
    // notAfter=2027-12-30 00:00:00Z
    let text = util::stdout(&output);
    text.trim()
        .strip_prefix("notAfter=")
        .and_then(|rest| rest.get(..10))
        .unwrap_or_else(|| panic!("unexpected openssl output: {text}"))
        .to_string()
}

#[test]
fn check_warns_of_coming_expiry_but_not_of_deliberately_bad_dates() {
    // Generated eight years ago: valid leaves (ten years) end in about two years, the
    // expired leaf ended long ago, the not-yet-valid one starts in about twelve. Relative
    // to the real clock so the test does not age (`check` judges against the real now).
    let year = time::OffsetDateTime::now_utc().year() - 8;
    let now = format!("{year}-01-01T00:00:00Z");
    let out = util::tempdir();
    util::generate(out.path(), &["all"], 4, &now, &["--no-validate"]);
    let out_path = path_arg(out.path());

    let month = util::run(["check", out_path, "--expiring-within", "30"]);
    util::assert_exit(&month, 0, "check --expiring-within 30");

    let long = util::run(["check", out_path, "--expiring-within", "4000"]);
    util::assert_exit(&long, 1, "check --expiring-within 4000");
    let text = util::stdout(&long);
    let server = out.path().join("enable-tls").join("server.pem");
    let not_after = openssl_not_after(&server);
    let line = text
        .lines()
        .find(|l| l.contains(&server.display().to_string()))
        .unwrap_or_else(|| panic!("enable-tls/server.pem not named\n{}", util::describe(&long)));
    assert!(
        line.contains(&not_after),
        "the finding gives the date {not_after}: {line}"
    );
    for deliberate in ["expired.pem", "ca.pem"] {
        assert!(
            !text.contains(&format!("/{deliberate}:")),
            "{deliberate} must not be flagged\n{text}"
        );
    }
}

#[test]
fn inspect_refuses_what_is_not_a_certificate_or_key() {
    let dir = util::tempdir();
    let (_out, fixtures) = util::scenario("enable-tls", 5, &[]);
    let cert = std::fs::read(fixtures.join("server.pem")).unwrap();

    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "just some notes\n").unwrap();
    let truncated = dir.path().join("truncated.pem");
    std::fs::write(&truncated, &cert[..cert.len() / 2]).unwrap();
    let crl = dir.path().join("list.crl.pem");
    std::fs::write(
        &crl,
        "-----BEGIN X509 CRL-----\nMAA=\n-----END X509 CRL-----\n",
    )
    .unwrap();

    for file in [&text, &truncated, &crl] {
        let output = util::run(["inspect".as_ref(), file.as_os_str()]);
        util::assert_usage_error(
            &output,
            &[&file.display().to_string()],
            &format!("inspect {}", file.display()),
        );
        assert!(util::stdout(&output).is_empty(), "nothing on stdout");
    }
}

#[test]
fn validate_an_empty_folder_is_refused() {
    let empty = util::tempdir();
    let output = util::run(["validate", path_arg(empty.path())]);
    util::assert_usage_error(
        &output,
        &[path_arg(empty.path())],
        "validate an empty folder",
    );
    assert!(
        std::fs::read_dir(empty.path()).unwrap().next().is_none(),
        "nothing written into the empty folder"
    );
}

/// Every way a fixture or manifest can be broken on disk: `validate` refuses it (exit 2, one
/// line naming the file) rather than reporting a failed case or panicking; `inspect` does
/// the same for the fixture itself; `check` names a changed fixture as a finding.
#[test]
fn broken_fixture_and_manifest_files_are_refused_in_one_line() {
    const MIB: usize = 1 << 20;
    let truncate = |bytes: Vec<u8>| bytes[..bytes.len() / 2].to_vec();
    let key_instead =
        |_: Vec<u8>| b"-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n".to_vec();
    let oversized = |_: Vec<u8>| vec![b'A'; 65 * MIB];
    let binary = |_: Vec<u8>| (0..=255u8).cycle().take(4096).collect::<Vec<u8>>();
    type Breakage<'a> = &'a dyn Fn(Vec<u8>) -> Vec<u8>;
    let breakages: [(&str, Breakage, &str); 7] = [
        ("server.pem", &truncate, "server.pem"),
        ("ca.pem", &key_instead, "ca.pem"),
        ("server.key.pem", &binary, "server.key.pem"),
        ("ca.pem", &oversized, "over 64 MiB"),
        ("manifest.json", &truncate, "not a pkigen manifest"),
        ("manifest.json", &binary, "not a pkigen manifest"),
        ("manifest.json", &oversized, "over 64 MiB"),
    ];
    for (file, breakage, needle) in breakages {
        let (_out, dir) = util::scenario("enable-tls", 4, &[]);
        let path = dir.join(file);
        std::fs::write(&path, breakage(std::fs::read(&path).unwrap())).unwrap();
        let what = format!("{file} broken ({needle})");

        let validate = util::run(["validate", path_arg(&dir)]);
        util::assert_usage_error(&validate, &[file, needle], &format!("validate: {what}"));
        let check = util::run(["check", path_arg(&dir)]);
        if file == "manifest.json" {
            util::assert_usage_error(&check, &[file, needle], &format!("check: {what}"));
        } else {
            util::assert_exit(&check, 1, &format!("check: {what}"));
            assert!(
                util::stdout(&check).contains(file),
                "{}",
                util::describe(&check)
            );
            let inspect = util::run(["inspect", path_arg(&path)]);
            util::assert_usage_error(&inspect, &[file, needle], &format!("inspect: {what}"));
        }
    }

    // A change that leaves the file readable (a comment after the certificate): still not
    // the fixture the manifest's expectations are about.
    let (_out, dir) = util::scenario("enable-tls", 4, &[]);
    let mut server = std::fs::read(dir.join("server.pem")).unwrap();
    server.extend_from_slice(b"# edited by hand\n");
    std::fs::write(dir.join("server.pem"), server).unwrap();
    let validate = util::run(["validate", path_arg(&dir)]);
    util::assert_usage_error(
        &validate,
        &["server.pem", "changed since it was generated"],
        "validate: a readable but edited fixture",
    );
    util::assert_exit(
        &util::run(["check", path_arg(&dir)]),
        1,
        "check: an edited fixture",
    );
    let inspect = util::run(["inspect", path_arg(&dir.join("server.pem"))]);
    util::assert_exit(&inspect, 0, "inspect: the edited fixture still reads");

    // A device that never ends: refused as not a regular file, not read until memory runs out.
    let zero = util::run(["inspect", "/dev/zero"]);
    util::assert_usage_error(
        &zero,
        &["/dev/zero", "a device, not a regular file"],
        "inspect /dev/zero",
    );
    // A folder where a manifest should be.
    let (_out, dir) = util::scenario("enable-tls", 4, &[]);
    std::fs::remove_file(dir.join("manifest.json")).unwrap();
    std::fs::create_dir(dir.join("manifest.json")).unwrap();
    let validate = util::run(["validate", path_arg(&dir)]);
    util::assert_usage_error(
        &validate,
        &["manifest.json"],
        "validate: manifest.json is a folder",
    );
}
