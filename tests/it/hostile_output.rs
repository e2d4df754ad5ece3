//! Output folders under hostile conditions, through the real binary: a folder someone else
//! made (`--force` must delete nothing of theirs), a disk that fills up mid-run (exit 2 must
//! leave the previous set whole), and parallel runs into one `--out` (one writes at a time;
//! what a killed run leaves is cleaned up and never read as a scenario).

use crate::util::{self, NOW, SCENARIOS, path_arg};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// `pkigen scenario NAMES --seed SEED --now NOW --out OUT EXTRA...`, whatever its exit.
fn scenario(out: &Path, names: &[&str], seed: u64, extra: &[&str]) -> Output {
    let mut args = vec!["scenario"];
    args.extend(names);
    let seed = seed.to_string();
    args.extend(["--seed", &seed, "--now", NOW, "--out", path_arg(out)]);
    args.extend(extra);
    util::run(&args)
}

/// A folder's files as `util::snapshot` reads them.
type Tree = BTreeMap<PathBuf, Option<util::Entry>>;

fn seed_of(dir: &Path) -> u64 {
    util::read_json(&dir.join("manifest.json"))["seed"]
        .as_u64()
        .unwrap_or_else(|| panic!("{}: manifest without a seed", dir.display()))
}

/// The names in `dir` that start with a dot: hidden files and staging leftovers.
fn dot_entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with('.'))
        .collect();
    names.sort();
    names
}

/// The scenario folders `pkigen check DIR --format json` reports, after asserting it held.
fn checked_dirs(out: &Path) -> Vec<String> {
    let output = util::run([
        "check",
        path_arg(out),
        "--expiring-within",
        "0",
        "--format",
        "json",
    ]);
    util::assert_exit(&output, 0, "check");
    let json = util::parse_json(&util::stdout(&output), "check --format json");
    json["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["dir"].as_str().unwrap().to_string())
        .collect()
}

/// The scenario folders `pkigen validate DIR --format json` reports (every case must pass).
fn validated_dirs(out: &Path) -> Vec<String> {
    let output = util::run(["validate", path_arg(out), "--format", "json"]);
    util::assert_exit(&output, 0, "validate");
    let json = util::parse_json(&util::stdout(&output), "validate --format json");
    json["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["dir"].as_str().unwrap().to_string())
        .collect()
}

/// Every scenario folder of `out`, as `check` and `validate` name them.
fn all_scenario_dirs(out: &Path) -> Vec<String> {
    let mut dirs: Vec<String> = SCENARIOS
        .iter()
        .map(|name| out.join(name).display().to_string())
        .collect();
    dirs.sort();
    dirs
}

/// Asserts `out` holds exactly the eight scenarios, as `check`, `validate` and `docs` see it.
#[track_caller]
fn assert_exactly_the_scenarios(out: &Path, what: &str) {
    let expected = all_scenario_dirs(out);
    assert_eq!(checked_dirs(out), expected, "{what}: check");
    assert_eq!(validated_dirs(out), expected, "{what}: validate");
    let docs = util::run(["docs", path_arg(out)]);
    util::assert_exit(&docs, 0, &format!("{what}: docs"));
    let index = std::fs::read_to_string(out.join("docs/en/index.md")).unwrap();
    for leftover in dot_entries(out) {
        assert!(
            !index.contains(&leftover),
            "{what}: docs lists {leftover}:\n{index}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// --force and folders pkigen did not make

/// A folder with its own `manifest.json` (no `generator`, listing the owner's files) and a
/// `report.json`: even with `--force`, nothing of theirs is deleted. pkigen must write both
/// names there, so the run is refused, with a message naming the file, and nothing changes.
/// A manifest that claims pkigen but has a schema pkigen never wrote names nothing either.
#[test]
fn force_never_deletes_what_a_foreign_manifest_lists() {
    let out = util::tempdir();
    let foreign = out.path().join("enable-tls");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(
        foreign.join("manifest.json"),
        r#"{"files": [{"path": "notes.txt"}, {"path": "data.db"}]}"#,
    )
    .unwrap();
    std::fs::write(foreign.join("notes.txt"), "their notes").unwrap();
    std::fs::write(foreign.join("data.db"), "their data").unwrap();
    std::fs::write(foreign.join("report.json"), r#"{"theirs": true}"#).unwrap();
    let future = out.path().join("ca-file");
    std::fs::create_dir(&future).unwrap();
    std::fs::write(
        future.join("manifest.json"),
        r#"{"schema": 99, "generator": "pkigen 99.0.0", "files": [{"path": "notes.txt"}]}"#,
    )
    .unwrap();
    std::fs::write(future.join("notes.txt"), "kept").unwrap();
    let before = util::snapshot(out.path());

    for (name, extra) in [
        ("enable-tls", &[][..]),
        ("enable-tls", &["--no-validate"][..]),
        ("ca-file", &[][..]),
    ] {
        let mut args = vec!["--force"];
        args.extend(extra);
        let output = scenario(out.path(), &[name], 1, &args);
        let what = format!("{name} --force {extra:?}");
        let message = util::assert_usage_error(
            &output,
            &[&format!("{name}/manifest.json"), "move it away"],
            &what,
        );
        assert!(
            !message.contains("pkigen-new"),
            "{what}: names a staging folder: {message}"
        );
        assert_eq!(
            util::snapshot(out.path()),
            before,
            "{what}: exit 2, yet something changed"
        );
    }
}

/// A FIFO made by the system's `mkfifo`, with no reader or writer.
fn mkfifo(path: &Path) {
    let made = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("run mkfifo");
    assert!(made.success(), "mkfifo {}", path.display());
}

/// What `--force` must keep of someone else's entry, read without opening it.
#[derive(Debug, PartialEq)]
struct Kept {
    kind: &'static str,
    mode: u32,
    inode: u64,
    link: Option<PathBuf>,
}

fn kept(path: &Path) -> Kept {
    use std::os::unix::fs::{FileTypeExt, MetadataExt};
    let meta =
        std::fs::symlink_metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let kind = match meta.file_type() {
        t if t.is_fifo() => "fifo",
        t if t.is_symlink() => "symlink",
        t if t.is_dir() => "folder",
        t if t.is_file() => "file",
        _ => "other",
    };
    Kept {
        kind,
        mode: meta.mode() & 0o7777,
        // A folder is made again; a file, a link or a FIFO is the same one, linked.
        inode: if kind == "folder" { 0 } else { meta.ino() },
        link: std::fs::read_link(path).ok(),
    }
}

/// `--force` into a folder holding someone else's FIFO, symbolic links to a file and to a
/// FIFO outside it, and a 0700 folder: the run neither hangs nor reads anything outside
/// (opening the outside FIFO would block it), and each entry stays what it was — the same
/// FIFO, the same links (not copies of what they point to), the folder 0700 with the same
/// file in it — in this run and in the next one (without `--force`: the folder is now
/// pkigen's). Someone else's file on another mount cannot be linked: the run is refused,
/// naming it, and nothing changes.
#[test]
fn force_keeps_fifos_links_and_folders_as_they_are() {
    use std::os::unix::fs::PermissionsExt;
    let out = util::tempdir();
    let outside = util::tempdir();
    let secret = outside.path().join("secret.txt");
    std::fs::write(&secret, "outside the folder").unwrap();
    let outside_fifo = outside.path().join("pipe");
    mkfifo(&outside_fifo);
    let theirs = out.path().join("crl");
    std::fs::create_dir(&theirs).unwrap();
    mkfifo(&theirs.join("their.fifo"));
    std::os::unix::fs::symlink(&secret, theirs.join("secret-link")).unwrap();
    std::os::unix::fs::symlink(&outside_fifo, theirs.join("pipe-link")).unwrap();
    let private = theirs.join("private");
    std::fs::create_dir(&private).unwrap();
    std::fs::write(private.join("notes.txt"), "their notes").unwrap();
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o700)).unwrap();
    let names = [
        "their.fifo",
        "secret-link",
        "pipe-link",
        "private",
        "private/notes.txt",
    ];
    let before: Vec<Kept> = names.iter().map(|name| kept(&theirs.join(name))).collect();

    for (seed, extra) in [(1, &["--force"][..]), (2, &[][..])] {
        let seed_arg = seed.to_string();
        let mut args = vec!["scenario", "crl", "--seed", &seed_arg, "--now", NOW];
        args.extend(["--out", path_arg(out.path())]);
        args.extend(extra);
        let output = crate::hostile_files::run_bounded(&args);
        util::assert_exit(&output, 0, &format!("seed {seed} {extra:?}"));
        assert_eq!(seed_of(&theirs), seed, "the fixtures were written");
        let after: Vec<Kept> = names.iter().map(|name| kept(&theirs.join(name))).collect();
        assert_eq!(after, before, "seed {seed}: {names:?} kept as they were");
        assert_eq!(
            std::fs::read(private.join("notes.txt")).unwrap(),
            b"their notes"
        );
    }

    let mounted_file = theirs.join("mounted.txt");
    std::fs::write(&mounted_file, "their mount").unwrap();
    let mount = BindMount::over_itself(&mounted_file);
    let manifest = std::fs::read(theirs.join("manifest.json")).unwrap();
    let output = scenario(out.path(), &["crl"], 3, &["--no-validate"]);
    util::assert_usage_error(
        &output,
        &[path_arg(&mounted_file), "move it out"],
        "a file on another mount",
    );
    assert_eq!(
        std::fs::read(theirs.join("manifest.json")).unwrap(),
        manifest
    );
    drop(mount);
    assert_eq!(
        dot_entries(out.path()),
        Vec::<String>::new(),
        "no leftovers"
    );
}

/// A folder with no manifest at all: its `report.json` is not pkigen's either (a report is
/// pkigen's only beside pkigen's manifest), so `--force` refuses to overwrite it, with or
/// without validation; without one, `--force` writes the fixtures and keeps every file.
#[test]
fn force_never_deletes_a_report_without_a_pkigen_manifest() {
    let out = util::tempdir();
    let with_report = out.path().join("crl");
    std::fs::create_dir(&with_report).unwrap();
    std::fs::write(with_report.join("report.json"), r#"{"theirs": true}"#).unwrap();
    std::fs::write(with_report.join("data.db"), "their data").unwrap();
    let before = util::snapshot(out.path());
    for extra in [&["--force"][..], &["--force", "--no-validate"][..]] {
        let output = scenario(out.path(), &["crl"], 1, extra);
        util::assert_usage_error(
            &output,
            &["crl/report.json", "move it away"],
            &format!("crl {extra:?}"),
        );
        assert_eq!(util::snapshot(out.path()), before, "{extra:?}: no change");
    }

    std::fs::remove_file(with_report.join("report.json")).unwrap();
    std::fs::write(with_report.join("notes.txt"), "their notes").unwrap();
    let output = scenario(out.path(), &["crl"], 1, &["--force"]);
    util::assert_exit(&output, 0, "--force into a folder with no conflicting file");
    assert_eq!(
        std::fs::read(with_report.join("data.db")).unwrap(),
        b"their data"
    );
    assert_eq!(
        std::fs::read(with_report.join("notes.txt")).unwrap(),
        b"their notes"
    );
    assert_eq!(seed_of(&with_report), 1, "the fixtures were written");
    assert!(with_report.join("report.json").is_file());
    assert_eq!(
        dot_entries(out.path()),
        Vec::<String>::new(),
        "no leftovers"
    );

    // Now pkigen's: replaced without --force, and their files still kept.
    let output = scenario(out.path(), &["crl"], 2, &[]);
    util::assert_exit(&output, 0, "replacing pkigen's folder");
    assert_eq!(seed_of(&with_report), 2);
    assert_eq!(
        std::fs::read(with_report.join("data.db")).unwrap(),
        b"their data"
    );
}

// ---------------------------------------------------------------------------------------
// A full disk

/// A real, small filesystem (tmpfs) mounted for one test, unmounted when dropped. Tests run
/// as root on the same kind of machine as CI; if the mount is refused the test fails.
struct SmallDisk {
    mount: tempfile::TempDir,
}

/// tmpfs counts space in pages of this size, one at least per non-empty file.
const PAGE: u64 = 4096;

impl SmallDisk {
    fn mount(size: &str) -> SmallDisk {
        let mount = util::tempdir();
        let output = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(mount.path())
            .output()
            .expect("run mount(8)");
        util::assert_exit(
            &output,
            0,
            "mount -t tmpfs (these tests fill a real filesystem: they need root, as on CI)",
        );
        SmallDisk { mount }
    }

    fn path(&self) -> &Path {
        self.mount.path()
    }

    fn free_pages(&self) -> u64 {
        let stat = rustix::fs::statvfs(self.path()).expect("statvfs");
        assert_eq!(stat.f_bsize, PAGE, "tmpfs pages");
        stat.f_bavail
    }

    /// Takes all free space but `pages` pages, with a real file of zeros.
    fn leave_free(&self, pages: u64) {
        let free = self.free_pages();
        assert!(free > pages, "{free} pages free, wanted {pages} left");
        let filler = vec![0u8; ((free - pages) * PAGE) as usize];
        std::fs::write(self.path().join("filler"), filler).expect("fill the disk");
        assert_eq!(self.free_pages(), pages, "free pages after filling");
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.mount.path()).status();
    }
}

/// The pages tmpfs needs for every file under `dir`.
fn pages_of(dir: &Path) -> u64 {
    util::snapshot(dir)
        .values()
        .flatten()
        .map(|entry| (entry.bytes.len() as u64).div_ceil(PAGE))
        .sum()
}

/// Asserts a failed run left `out` exactly as `before` (the seed-1 set, no leftovers) and
/// that `check` passes on it.
#[track_caller]
fn assert_previous_set_whole(out: &Path, before: &Tree, what: &str) {
    assert_eq!(
        &util::snapshot(out),
        before,
        "{what}: exit 2, yet the folder changed"
    );
    assert_eq!(checked_dirs(out), all_scenario_dirs(out), "{what}: check");
    for name in SCENARIOS {
        assert_eq!(seed_of(&out.join(name)), 1, "{what}: {name} keeps seed 1");
    }
}

/// Room for part of the new set only: `scenario all` exits 2 before it replaces anything,
/// every folder still holds seed 1 byte for byte, no staging folder is left, and the message
/// names the destination folder and what to do, not a staging path.
#[test]
fn a_full_disk_leaves_the_previous_set_whole() {
    let disk = SmallDisk::mount("4m");
    let out = disk.path().join("out");
    util::generate(&out, &["all"], 1, NOW, &["--no-validate"]);
    let before = util::snapshot(&out);
    disk.leave_free(pages_of(&out) / 2);

    let output = scenario(&out, &["all"], 2, &[]);
    let message = util::assert_usage_error(
        &output,
        &["No space left", "free space", "--out"],
        "scenario all on a full disk",
    );
    assert!(
        SCENARIOS
            .iter()
            .any(|name| message.contains(&format!("{}:", out.join(name).display()))),
        "the message names the destination OUT/NAME: {message}"
    );
    assert!(
        !message.contains("pkigen-new"),
        "the message names a staging folder: {message}"
    );
    assert_previous_set_whole(&out, &before, "full disk");
}

/// Room for every new folder but not for its reports, or the zip: exit 2 still means
/// nothing changed (no report, no zip, no leftover, seed 1 everywhere).
#[test]
fn a_disk_that_fills_after_the_swap_puts_the_previous_set_back() {
    let new_set = util::tempdir();
    util::generate(new_set.path(), &["all"], 2, NOW, &["--no-validate"]);
    let new_pages = pages_of(new_set.path());
    for (what, extra, needle) in [
        ("reports", &[][..], "report.json"),
        ("zip", &["--no-validate", "--zip"][..], "all.zip"),
    ] {
        let disk = SmallDisk::mount("4m");
        let out = disk.path().join("out");
        util::generate(&out, &["all"], 1, NOW, &["--no-validate"]);
        let before = util::snapshot(&out);
        // The new folders fit, with a page to spare; every report, and the zip, need more.
        disk.leave_free(new_pages + 1);

        let output = scenario(&out, &["all"], 2, extra);
        util::assert_usage_error(&output, &[needle], &format!("no room for the {what}"));
        assert_previous_set_whole(&out, &before, what);
    }
}

/// A file bind-mounted onto itself for one test (a mount point cannot be renamed over:
/// EBUSY), unmounted when dropped.
struct BindMount(PathBuf);

impl BindMount {
    fn over_itself(path: &Path) -> BindMount {
        let output = Command::new("mount")
            .arg("--bind")
            .args([path, path])
            .output()
            .expect("run mount(8)");
        util::assert_exit(&output, 0, "mount --bind (needs root, as on CI)");
        BindMount(path.to_path_buf())
    }
}

impl Drop for BindMount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// A failure in the last step, after every folder and the first zip are swapped in — the
/// second zip cannot be (a mount point stands there) — puts every folder and zip back:
/// exit 2, one line naming that zip, and the previous set byte for byte. A folder standing
/// where a zip goes is refused before anything is written, even with `--force`.
#[test]
fn a_failure_while_swapping_in_puts_every_folder_and_zip_back() {
    let out = util::tempdir();
    util::generate(out.path(), &["enable-tls", "crl"], 1, NOW, &["--zip"]);
    let crl_zip = out.path().join("crl.zip");
    let mounted = BindMount::over_itself(&crl_zip);
    let before = util::snapshot(out.path());

    let output = scenario(out.path(), &["enable-tls", "crl"], 2, &["--zip"]);
    util::assert_usage_error(
        &output,
        &[path_arg(&crl_zip), "unmount"],
        "crl.zip cannot be replaced",
    );
    assert_eq!(
        util::snapshot(out.path()),
        before,
        "exit 2, yet the set changed"
    );
    drop(mounted);
    assert_eq!(
        util::snapshot(out.path()),
        before,
        "the previous set, unmounted"
    );
    assert_eq!(seed_of(&out.path().join("enable-tls")), 1);

    std::fs::remove_file(&crl_zip).unwrap();
    std::fs::create_dir(&crl_zip).unwrap();
    std::fs::write(crl_zip.join("notes.txt"), "their notes").unwrap();
    let before = util::snapshot(out.path());
    let output = scenario(out.path(), &["enable-tls", "crl"], 2, &["--zip", "--force"]);
    util::assert_usage_error(
        &output,
        &[path_arg(&crl_zip), "move it away"],
        "a folder at crl.zip",
    );
    assert_eq!(util::snapshot(out.path()), before, "exit 2 changed nothing");
}

/// A set is validated in its staging folder, yet neither what the run prints nor its
/// report.json names that folder: a message quoting a fixture names it as the manifest does
/// (FILE, relative to the scenario's folder), and the run names the destination.
#[test]
fn reports_name_the_destination_not_the_staging_folder() {
    let out = util::tempdir();
    let output = scenario(out.path(), &["crl"], 1, &["--format", "json"]);
    util::assert_exit(&output, 0, "scenario crl");
    let printed = util::stdout(&output);
    let report = std::fs::read_to_string(out.path().join("crl/report.json")).unwrap();
    for text in [&printed, &report] {
        assert!(!text.contains("pkigen-new"), "a staging path: {text}");
    }
    assert!(report.contains("\"crl.der: a DER CRL"), "{report}");
    assert!(
        !report.contains(path_arg(out.path())),
        "a folder's path: {report}"
    );
    let json = util::parse_json(&printed, "scenario --format json");
    assert_eq!(
        json["scenarios"][0]["dir"].as_str(),
        Some(path_arg(&out.path().join("crl")))
    );
}

// ---------------------------------------------------------------------------------------
// Parallel runs

/// Four real `scenario all` runs at once into one fresh folder, each with its own seed, then
/// four more into the folder they made: each waits its turn and exits 0, each prints the
/// results of its own files (its seed in every scenario), nothing is left behind, and the
/// folder holds one whole set (one seed in every scenario) that `check`, `validate` and
/// `docs` read as exactly eight scenarios.
#[test]
fn parallel_runs_into_one_folder_take_turns() {
    let parent = util::tempdir();
    let out = parent.path().join("out");
    for (folder, seeds) in [
        ("fresh", [11u64, 12, 13, 14]),
        ("existing", [21, 22, 23, 24]),
    ] {
        let runs: Vec<_> = seeds
            .iter()
            .map(|seed| {
                let child = Command::new(util::PKIGEN)
                    .args(["scenario", "all", "--format", "json", "--now", NOW])
                    .args(["--seed", &seed.to_string(), "--out", path_arg(&out)])
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("start pkigen");
                (seed, child)
            })
            .collect();
        for (seed, child) in runs {
            let output = child.wait_with_output().unwrap();
            util::assert_exit(&output, 0, &format!("{folder} folder, seed {seed}"));
            let printed = util::parse_json(&util::stdout(&output), "scenario --format json");
            let printed = printed["scenarios"].as_array().unwrap();
            assert_eq!(printed.len(), SCENARIOS.len(), "seed {seed}: all printed");
            for scenario in printed {
                assert_eq!(
                    scenario["seed"].as_u64(),
                    Some(*seed),
                    "{folder} folder: the run with seed {seed} printed another run's {}",
                    scenario["scenario"]
                );
            }
        }
        assert_eq!(
            dot_entries(&out),
            Vec::<String>::new(),
            "{folder}: leftovers"
        );
        let last = seed_of(&out.join(SCENARIOS[0]));
        assert!(seeds.contains(&last), "{folder}: seed {last}");
        for name in SCENARIOS {
            assert_eq!(
                seed_of(&out.join(name)),
                last,
                "{folder}: {name} is not from the same run as {}",
                SCENARIOS[0]
            );
        }
        assert_exactly_the_scenarios(&out, &format!("after parallel runs into a {folder} folder"));
    }
}

/// What a killed run leaves in OUT — a staging folder holding a key and a manifest, a
/// half-written zip — is never read as a scenario by `check`, `validate` or `docs`, and the
/// next run removes it.
#[test]
fn leftovers_of_a_killed_run_are_ignored_then_removed() {
    let out = util::tempdir();
    util::generate(out.path(), &["all"], 1, NOW, &["--no-validate"]);
    let staging = out.path().join(".ocsp.pkigen-new-abc123");
    std::fs::create_dir(&staging).unwrap();
    std::fs::copy(
        out.path().join("ocsp/manifest.json"),
        staging.join("manifest.json"),
    )
    .unwrap();
    std::fs::write(
        staging.join("server.key.pem"),
        "-----BEGIN PRIVATE KEY-----\nnot a real key\n-----END PRIVATE KEY-----\n",
    )
    .unwrap();
    let zip = out.path().join(".pkigen-zip-abc123");
    std::fs::write(&zip, b"PK half a zip").unwrap();

    assert_exactly_the_scenarios(out.path(), "with leftovers");
    assert!(staging.is_dir(), "check, validate and docs leave it alone");

    util::generate(out.path(), &["enable-tls"], 2, NOW, &["--no-validate"]);
    assert_eq!(
        dot_entries(out.path()),
        Vec::<String>::new(),
        "the next run removes the leftovers"
    );
}

/// While another process holds OUT's lock, a run waits (saying so on stderr) and then
/// writes; told not to wait, it exits 2 with a message saying who holds the folder and what
/// to do, and changes nothing.
#[test]
fn a_run_waits_for_the_folder_or_says_who_holds_it() {
    use rustix::fs::{FlockOperation, flock};
    let out = util::tempdir();
    util::generate(out.path(), &["enable-tls"], 1, NOW, &["--no-validate"]);
    let before = util::snapshot(out.path());
    let holder = std::fs::File::open(out.path()).unwrap();
    flock(&holder, FlockOperation::LockExclusive).expect("lock OUT");

    let busy = Command::new(util::PKIGEN)
        .args(["scenario", "enable-tls", "--seed", "2", "--now", NOW])
        .args(["--out", path_arg(out.path())])
        .env("PKIGEN_LOCK_WAIT", "0")
        .output()
        .unwrap();
    let message = util::assert_usage_error(
        &busy,
        &["another pkigen is writing", path_arg(out.path()), "wait"],
        "folder held",
    );
    assert!(!message.contains("pkigen-new"), "{message}");
    assert_eq!(util::snapshot(out.path()), before, "exit 2 changed nothing");

    let bad = Command::new(util::PKIGEN)
        .args(["scenario", "enable-tls", "--seed", "2", "--now", NOW])
        .args(["--out", path_arg(out.path())])
        .env("PKIGEN_LOCK_WAIT", "soon")
        .output()
        .unwrap();
    util::assert_usage_error(&bad, &["PKIGEN_LOCK_WAIT", "seconds"], "bad wait");

    let mut waiting = Command::new(util::PKIGEN)
        .args(["scenario", "enable-tls", "--seed", "2", "--now", NOW])
        .args(["--no-validate", "--out", path_arg(out.path())])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(waiting.stderr.take().unwrap());
    let mut first = String::new();
    stderr.read_line(&mut first).unwrap();
    assert!(
        first.contains("waiting for another pkigen"),
        "a waiting run says so: {first:?}"
    );
    assert_eq!(util::snapshot(out.path()), before, "nothing written yet");
    drop(holder);
    let status = waiting.wait().unwrap();
    assert_eq!(status.code(), Some(0), "the waiting run wrote once free");
    assert_eq!(seed_of(&out.path().join("enable-tls")), 2);
}

/// `validate` reads the set a `scenario` run is swapping and writes reports beside it: it
/// waits for the run's lock too, on the folder that holds the scenario folders.
#[test]
fn validate_waits_for_a_run_writing_the_folder() {
    use rustix::fs::{FlockOperation, flock};
    let out = util::tempdir();
    util::generate(out.path(), &["enable-tls"], 1, NOW, &[]);
    let before = util::snapshot(out.path());
    let holder = std::fs::File::open(out.path()).unwrap();
    flock(&holder, FlockOperation::LockExclusive).expect("lock OUT");

    for dir in [out.path().to_path_buf(), out.path().join("enable-tls")] {
        let busy = Command::new(util::PKIGEN)
            .args(["validate", path_arg(&dir), "--at", "generation"])
            .env("PKIGEN_LOCK_WAIT", "0")
            .output()
            .unwrap();
        util::assert_usage_error(
            &busy,
            &[
                "another pkigen is writing",
                path_arg(out.path()),
                "validate again",
            ],
            "folder held",
        );
        assert_eq!(util::snapshot(out.path()), before, "exit 2 changed nothing");
    }

    let mut waiting = Command::new(util::PKIGEN)
        .args(["validate", path_arg(out.path()), "--at", "generation"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(waiting.stderr.take().unwrap());
    let mut first = String::new();
    stderr.read_line(&mut first).unwrap();
    assert!(
        first.contains("waiting for another pkigen"),
        "a waiting validate says so: {first:?}"
    );
    drop(holder);
    let status = waiting.wait().unwrap();
    assert_eq!(status.code(), Some(0), "the waiting validate ran once free");
}

/// `PKIGEN_LOCK_WAIT` beyond what the clock can add up to means "wait as long as it takes":
/// the run says it waits, and keeps waiting (no panic) until stopped; a one-second wait ends
/// with the one-line "another pkigen is writing" refusal.
#[test]
fn a_huge_lock_wait_waits_and_a_short_one_gives_up() {
    use rustix::fs::{FlockOperation, flock};
    let out = util::tempdir();
    util::generate(out.path(), &["enable-tls"], 1, NOW, &["--no-validate"]);
    let before = util::snapshot(out.path());
    let holder = std::fs::File::open(out.path()).unwrap();
    flock(&holder, FlockOperation::LockExclusive).expect("lock OUT");

    let mut waiting = Command::new(util::PKIGEN)
        .args(["scenario", "enable-tls", "--seed", "2", "--now", NOW])
        .args(["--no-validate", "--out", path_arg(out.path())])
        .env("PKIGEN_LOCK_WAIT", u64::MAX.to_string())
        .env("RUST_BACKTRACE", "0")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(waiting.stderr.take().unwrap());
    let mut first = String::new();
    stderr.read_line(&mut first).unwrap();
    assert!(
        first.contains("waiting for another pkigen"),
        "a run told to wait forever says it waits: {first:?}"
    );
    assert_eq!(waiting.try_wait().unwrap(), None, "still waiting");
    waiting.kill().unwrap();
    waiting.wait().unwrap();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    assert!(!rest.contains("panicked"), "{first}{rest}");
    assert_eq!(util::snapshot(out.path()), before, "nothing written");

    let short = Command::new(util::PKIGEN)
        .args([
            "--quiet",
            "scenario",
            "enable-tls",
            "--seed",
            "2",
            "--now",
            NOW,
        ])
        .args(["--no-validate", "--out", path_arg(out.path())])
        .env("PKIGEN_LOCK_WAIT", "1")
        .output()
        .unwrap();
    util::assert_usage_error(
        &short,
        &["another pkigen is writing", "waited 1 s"],
        "PKIGEN_LOCK_WAIT=1",
    );
    assert_eq!(util::snapshot(out.path()), before, "exit 2 changed nothing");
}

/// `pkigen ARGS` run in `cwd` with `PKIGEN_LOCK_WAIT=0`, whatever its exit.
fn run_without_waiting(cwd: &Path, args: &[&str]) -> Output {
    Command::new(util::PKIGEN)
        .args(args)
        .current_dir(cwd)
        .env("PKIGEN_LOCK_WAIT", "0")
        .env("RUST_BACKTRACE", "0")
        .output()
        .unwrap()
}

/// `validate .` inside a scenario folder locks OUT (the folder a `scenario` run locks), not
/// the scenario folder; `validate`, `check` and `docs` share OUT with each other (a reader
/// holding it shared does not stop them) but not with a run writing it (held exclusively,
/// each refuses at once with PKIGEN_LOCK_WAIT=0, naming OUT and changing nothing).
#[test]
fn readers_share_the_folder_and_wait_for_a_writer() {
    use rustix::fs::{FlockOperation, flock};
    let out = util::tempdir();
    util::generate(out.path(), &["enable-tls"], 1, NOW, &[]);
    let inside = out.path().join("enable-tls");
    let readers: [(&Path, &[&str]); 5] = [
        (&inside, &["validate", ".", "--at", "generation"]),
        (
            out.path(),
            &["validate", "enable-tls", "--at", "generation"],
        ),
        (out.path(), &["validate", ".", "--at", "generation"]),
        (&inside, &["check", ".", "--expiring-within", "0"]),
        (&inside, &["docs", ".", "--out", "../pages"]),
    ];

    let holder = std::fs::File::open(out.path()).unwrap();
    flock(&holder, FlockOperation::LockShared).expect("lock OUT shared");
    for (cwd, args) in readers {
        let output = run_without_waiting(cwd, args);
        util::assert_exit(&output, 0, &format!("{args:?} beside another reader"));
    }

    flock(&holder, FlockOperation::LockExclusive).expect("lock OUT exclusively");
    std::fs::remove_dir_all(out.path().join("pages")).unwrap();
    let before = util::snapshot(out.path());
    for (cwd, args) in readers {
        let output = run_without_waiting(cwd, args);
        util::assert_usage_error(
            &output,
            &["another pkigen is writing", path_arg(out.path()), "again"],
            &format!("{args:?} while OUT is being written"),
        );
        assert_eq!(
            util::snapshot(out.path()),
            before,
            "{args:?}: changed nothing"
        );
    }

    // A FIFO given as the folder is not opened to be locked (that would block).
    let fifo = util::tempdir();
    let pipe = fifo.path().join("pipe");
    mkfifo(&pipe);
    for command in ["validate", "check", "docs"] {
        let output = crate::hostile_files::run_bounded(&[command, path_arg(&pipe)]);
        util::assert_usage_error(&output, &[path_arg(&pipe)], &format!("{command} FIFO"));
    }
}

/// `validate OUT` lists the scenario folders once it holds OUT: a folder swapped in by the
/// run it waited for is validated too.
#[test]
fn validate_lists_the_folders_after_the_run_it_waited_for() {
    use rustix::fs::{FlockOperation, flock};
    let out = util::tempdir();
    util::generate(out.path(), &["enable-tls"], 1, NOW, &[]);
    let holder = std::fs::File::open(out.path()).unwrap();
    flock(&holder, FlockOperation::LockExclusive).expect("lock OUT");
    let mut waiting = Command::new(util::PKIGEN)
        .args(["validate", path_arg(out.path()), "--at", "generation"])
        .args(["--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(waiting.stderr.take().unwrap());
    let mut first = String::new();
    stderr.read_line(&mut first).unwrap();
    assert!(first.contains("waiting for another pkigen"), "{first:?}");
    // What the writer adds while validate waits.
    let elsewhere = util::tempdir();
    util::generate(elsewhere.path(), &["crl"], 1, NOW, &["--no-validate"]);
    std::fs::rename(elsewhere.path().join("crl"), out.path().join("crl")).unwrap();
    drop(holder);
    let output = waiting.wait_with_output().unwrap();
    util::assert_exit(&output, 0, "validate after the wait");
    let json = util::parse_json(&util::stdout(&output), "validate --format json");
    let dirs: Vec<&str> = json["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["dir"].as_str().unwrap())
        .collect();
    let crl = out.path().join("crl").display().to_string();
    assert!(dirs.contains(&crl.as_str()), "{dirs:?}");
    assert!(out.path().join("crl/report.json").is_file());
}

/// `docs` writes every language or none: a language folder it may not replace (someone
/// else's) refuses the run before any language changes.
#[test]
fn docs_replace_every_language_or_none() {
    let out = util::tempdir();
    util::generate(out.path(), &["enable-tls"], 1, NOW, &[]);
    let docs = util::run(["docs", path_arg(out.path())]);
    util::assert_exit(&docs, 0, "first docs");
    let zh = out.path().join("docs/zh");
    std::fs::remove_dir_all(&zh).unwrap();
    std::fs::create_dir(&zh).unwrap();
    std::fs::write(zh.join("notes.md"), "their notes").unwrap();
    util::generate(out.path(), &["enable-tls"], 2, NOW, &[]);
    let before = util::snapshot(&out.path().join("docs"));

    let output = util::run(["docs", path_arg(out.path())]);
    util::assert_usage_error(&output, &[path_arg(&zh), "--force"], "a foreign zh folder");
    assert_eq!(
        util::snapshot(&out.path().join("docs")),
        before,
        "no language changed"
    );
    assert_eq!(dot_entries(&out.path().join("docs")), Vec::<String>::new());
}

/// pkigen writes regular files only: a folder that an edited pkigen manifest claims is
/// someone else's, and survives the next run whole, with or without `--force`.
#[test]
fn a_manifest_claiming_a_folder_never_gets_it_deleted() {
    let out = util::tempdir();
    util::generate(out.path(), &["enable-tls"], 1, NOW, &["--no-validate"]);
    let dir = out.path().join("enable-tls");
    let theirs = dir.join("sub");
    std::fs::create_dir(&theirs).unwrap();
    std::fs::write(theirs.join("y"), "their file").unwrap();
    let manifest_path = dir.join("manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&manifest_path).unwrap()).unwrap();
    manifest["files"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"path": "sub", "sha256": "00", "kind": "certificate"}));
    std::fs::write(&manifest_path, manifest.to_string()).unwrap();

    for (seed, extra) in [(2, &["--no-validate"][..]), (3, &["--force"][..])] {
        let output = scenario(out.path(), &["enable-tls"], seed, extra);
        util::assert_exit(&output, 0, &format!("seed {seed} {extra:?}"));
        assert_eq!(seed_of(&dir), seed);
        assert_eq!(
            std::fs::read_to_string(theirs.join("y")).unwrap(),
            "their file",
            "seed {seed}: the claimed folder and its file survive"
        );
    }
}

/// A symbolic link among the scenario folders is not a scenario: `scenario` never makes one,
/// and following it would let `validate` write a report wherever it points.
#[test]
fn a_linked_folder_is_not_read_as_a_scenario() {
    let out = util::tempdir();
    util::generate(out.path(), &["enable-tls"], 1, NOW, &["--no-validate"]);
    let elsewhere = util::tempdir();
    util::generate(elsewhere.path(), &["crl"], 1, NOW, &["--no-validate"]);
    std::os::unix::fs::symlink(elsewhere.path().join("crl"), out.path().join("crl")).unwrap();

    let only = [out.path().join("enable-tls").display().to_string()];
    assert_eq!(checked_dirs(out.path()), only);
    assert_eq!(validated_dirs(out.path()), only);
    assert!(
        !elsewhere.path().join("crl/report.json").exists(),
        "validate wrote through the link"
    );
}
