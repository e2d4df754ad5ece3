//! Failure modes as deliberate as the happy path: generation killed at any moment
//! leaves the old set or the new one, never a mix; `--force` replaces only pkigen's files;
//! an edited manifest cannot point outside its folder; passwords stay out of every output.

use crate::util::{self, NOW, SCENARIOS};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

fn seed_of(dir: &Path) -> u64 {
    util::read_json(&dir.join("manifest.json"))["seed"]
        .as_u64()
        .unwrap()
}

/// The staging folders (`.NAME.pkigen-new-*`) in `out`: each one a run was writing, or was
/// about to remove, when it died.
fn staging_folders(out: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with('.') && name.contains(".pkigen-new-")
        })
        .collect();
    found.sort();
    found
}

/// `pkigen --quiet scenario all --now NOW --seed SEED FLAG --out OUT`, started and left to run.
fn spawn_all(out: &Path, seed: u64, flag: &str) -> Child {
    Command::new(util::PKIGEN)
        .args(["--quiet", "scenario", "all", flag, "--now", NOW, "--seed"])
        .arg(seed.to_string())
        .arg("--out")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Polls (every millisecond, leaving the cores to the run) until `ready` holds, or until
/// `child` has ended.
fn wait_until(child: &mut Child, ready: impl Fn() -> bool) {
    while !ready() && child.try_wait().unwrap().is_none() {
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}

/// The seed of the manifest in `dir`, if one can be read there now.
fn current_seed(dir: &Path) -> Option<u64> {
    let bytes = std::fs::read(dir.join("manifest.json")).ok()?;
    serde_json::from_slice::<serde_json::Value>(&bytes).ok()?["seed"].as_u64()
}

/// `kill -9` at many moments of `scenario all` (each round with its own seed): a third of the
/// kills spread over a whole run, from before it writes anything to after it ends; a third
/// the moment a staging folder appears in OUT, while its files are being written; a third
/// the moment the first folder holds the new seed, between the swap and the commit. After
/// each kill, `check` on OUT finds exactly the eight scenarios, each a complete set (every
/// sha256 matches) from the old run or a new one, and never a staging folder. The kills that
/// left a staging folder behind landed mid-write, and those that left one before any folder
/// was swapped landed while files were being written: the test requires both, and that the
/// next run cleans them up.
#[test]
fn generation_killed_at_any_moment_leaves_old_or_new_never_a_mix() {
    let out = util::tempdir();
    let started = std::time::Instant::now();
    util::generate(out.path(), &["all"], 1, NOW, &["--no-validate"]);
    let whole_run = started.elapsed();
    let mut expected: Vec<String> = SCENARIOS
        .iter()
        .map(|name| out.path().join(name).display().to_string())
        .collect();
    expected.sort();
    let (mut saw_new, mut mid_write, mut while_writing) = (0, 0, 0);
    for round in 0..33u64 {
        // Left by earlier rounds: a run removes them only once it holds the folder.
        let earlier = staging_folders(out.path());
        let mut child = spawn_all(out.path(), 2 + round, "--no-validate");
        let first = out.path().join(SCENARIOS[0]);
        match round % 3 {
            0 => std::thread::sleep(whole_run.mul_f64(round as f64 / 20.0)),
            // A staging folder of this run: earlier rounds' leftovers stay until it holds OUT.
            1 => wait_until(&mut child, || {
                staging_folders(out.path())
                    .iter()
                    .any(|d| !earlier.contains(d))
            }),
            _ => wait_until(&mut child, || current_seed(&first) == Some(2 + round)),
        }
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();

        let left: Vec<PathBuf> = staging_folders(out.path())
            .into_iter()
            .filter(|d| !earlier.contains(d))
            .collect();
        mid_write += usize::from(!left.is_empty());
        // A run writes every staging folder before it swaps any in: a leftover of this round
        // while no folder holds its seed means it died while writing files.
        let swapped = SCENARIOS
            .iter()
            .any(|name| current_seed(&out.path().join(name)) == Some(2 + round));
        while_writing += usize::from(!left.is_empty() && !swapped);
        let check = util::run([
            "check".as_ref(),
            out.path().as_os_str(),
            "--expiring-within".as_ref(),
            "0".as_ref(),
            "--format".as_ref(),
            "json".as_ref(),
        ]);
        util::assert_exit(&check, 0, &format!("round {round}: every set complete"));
        let checked = util::parse_json(&util::stdout(&check), "check --format json");
        let dirs: Vec<&str> = checked["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["dir"].as_str().unwrap())
            .collect();
        assert_eq!(dirs, expected, "round {round}: exactly the eight scenarios");
        for name in SCENARIOS {
            let seed = seed_of(&out.path().join(name));
            assert!(
                seed == 1 || (2..=2 + round).contains(&seed),
                "round {round}: {name} has seed {seed}"
            );
            saw_new += usize::from(seed != 1);
        }
    }
    assert!(saw_new > 0, "some runs got far enough to replace a folder");
    assert!(mid_write > 0, "no kill landed between staging and commit");
    assert!(
        while_writing > 0,
        "no kill landed while a staging folder was being written ({mid_write} between \
         staging and commit)"
    );
    util::generate(out.path(), &["all"], 4, NOW, &["--no-validate"]);
    assert_eq!(
        staging_folders(out.path()),
        Vec::<PathBuf>::new(),
        "the next run removes what killed runs left"
    );
}

/// The files of `out` a reader sees: everything but dot-entries (staging leftovers).
fn visible(out: &Path) -> BTreeMap<PathBuf, Option<util::Entry>> {
    util::snapshot(out)
        .into_iter()
        .filter(|(path, _)| !path.to_string_lossy().starts_with('.'))
        .collect()
}

/// Whether a staging folder of `out` not in `earlier` holds `file`.
fn new_staging_holds(out: &Path, earlier: &[PathBuf], file: &str) -> bool {
    staging_folders(out)
        .iter()
        .any(|d| !earlier.contains(d) && d.join(file).exists())
}

/// Ctrl-C or SIGTERM at many moments of `scenario all --zip` over a validated, zipped seed-1
/// set — while the new set is validated in its staging folders, while its reports are
/// written, and spread over the whole run: the set a reader sees is the seed-1 one byte for
/// byte (reports and zip included), or the whole seed-2 one (every folder seed 2 with its
/// report, and all.zip the seed-2 zip byte for byte) — never new folders beside the old zip
/// or without reports. The test requires that some signals landed during validation (the
/// run died, leaving only a staging folder), and that the next run removes what they left.
#[test]
fn a_signal_while_validating_leaves_the_previous_set_or_the_new_one() {
    let reference = util::tempdir();
    util::generate(reference.path(), &["all"], 2, NOW, &["--zip"]);
    let new_zip = std::fs::read(reference.path().join("all.zip")).unwrap();
    let out = util::tempdir();
    let started = std::time::Instant::now();
    util::generate(out.path(), &["all"], 1, NOW, &["--zip"]);
    let whole_run = started.elapsed();
    let (mut stopped_while_validating, mut completed) = (0, 0);
    for round in 0..18u32 {
        if seed_of(&out.path().join(SCENARIOS[0])) != 1 {
            util::generate(out.path(), &["all"], 1, NOW, &["--zip"]);
        }
        let before = visible(out.path());
        let earlier = staging_folders(out.path());
        let mut child = spawn_all(out.path(), 2, "--zip");
        match round % 3 {
            0 => wait_until(&mut child, || {
                new_staging_holds(out.path(), &earlier, "manifest.json")
            }),
            1 => wait_until(&mut child, || {
                new_staging_holds(out.path(), &earlier, "report.json")
            }),
            _ => std::thread::sleep(whole_run.mul_f64(f64::from(round) / 18.0)),
        }
        let signal = if round % 2 == 0 { "-INT" } else { "-TERM" };
        let sent = Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .expect("run kill(1)");
        let status = child.wait().unwrap();
        let what = format!("round {round} ({signal}, {status:?})");
        if sent.success() && status.code() != Some(0) {
            assert!(
                status.code().is_none() || status.code() == Some(130),
                "{what}: ended by the signal"
            );
        }

        let seeds: Vec<u64> = SCENARIOS
            .iter()
            .map(|name| seed_of(&out.path().join(name)))
            .collect();
        if seeds.iter().all(|&seed| seed == 1) {
            assert_eq!(
                visible(out.path()),
                before,
                "{what}: the seed-1 set changed"
            );
            let left = staging_folders(out.path());
            stopped_while_validating +=
                usize::from(round % 3 == 0 && left.iter().any(|d| !earlier.contains(d)));
        } else {
            assert_eq!(seeds, vec![2; SCENARIOS.len()], "{what}: one set");
            for name in SCENARIOS {
                let report = out.path().join(name).join("report.json");
                assert!(report.is_file(), "{what}: {name} has no report.json");
                let report = util::read_json(&report);
                assert_eq!(
                    report["scenario"].as_str(),
                    Some(name),
                    "{what}: its report"
                );
            }
            assert!(
                std::fs::read(out.path().join("all.zip")).unwrap() == new_zip,
                "{what}: all.zip is not the seed-2 zip"
            );
            completed += 1;
        }
    }
    assert!(
        stopped_while_validating > 0,
        "no signal stopped a run while it validated ({completed} runs completed)"
    );
    util::generate(out.path(), &["enable-tls"], 3, NOW, &["--no-validate"]);
    assert_eq!(
        staging_folders(out.path()),
        Vec::<PathBuf>::new(),
        "the next run removes what stopped runs left"
    );
}

#[test]
fn an_edited_manifest_cannot_point_outside_its_folder() {
    let (_out, dir) = util::scenario("enable-tls", 4, &[]);
    let manifest_path = dir.join("manifest.json");
    let original = std::fs::read_to_string(&manifest_path).unwrap();
    for outside in ["../../etc/passwd", "/etc/passwd"] {
        std::fs::write(
            &manifest_path,
            original.replace("\"ca.pem\"", &format!("\"{outside}\"")),
        )
        .unwrap();
        for command in ["validate", "check"] {
            let output = util::run([command.as_ref(), dir.as_os_str()]);
            util::assert_usage_error(
                &output,
                &[outside, "outside"],
                &format!("{command} with {outside}"),
            );
        }
    }
    std::fs::write(&manifest_path, &original).unwrap();
    std::fs::remove_file(dir.join("ca.pem")).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", dir.join("ca.pem")).unwrap();
    for command in ["validate", "check"] {
        let output = util::run([command.as_ref(), dir.as_os_str()]);
        util::assert_usage_error(
            &output,
            &["ca.pem", "symbolic link"],
            &format!("{command} with a symlink"),
        );
    }
}

/// The fixture passwords, a wrong one, and one given on the command line appear in no
/// output and no error — only in the manifest, which records them by design — and `policy`
/// shows a password only when asked.
#[test]
fn passwords_stay_out_of_outputs_and_errors() {
    let secrets = ["test-password", "not-the-password", "s3cr3t-value"];
    let out = util::tempdir();
    let mut outputs = Vec::new();
    for format in ["text", "json"] {
        outputs.push(util::generate(
            out.path(),
            &["key-password", "client-cert"],
            5,
            NOW,
            &["--format", format],
        ));
        let validated = util::run([
            "validate".as_ref(),
            out.path().as_os_str(),
            "--format".as_ref(),
            format.as_ref(),
        ]);
        // A refusal would leave only an error line to search for secrets.
        util::assert_exit(&validated, 0, "validate");
        outputs.push(validated);
    }
    for uri in [
        "mongodb://h/?tls=false&tlsCertificateKeyFile=c.pem&tlsCertificateKeyFilePassword=s3cr3t-value",
        "mongodb://h/?tlsInsecure=true&tlsAllowInvalidCertificates=true&tlsCertificateKeyFilePassword=s3cr3t-value",
        "mongodb://h/?ssl=true&tls=false&tlsCertificateKeyFilePassword=s3cr3t-value",
        "mongodb://h/?tls=true&tlsCertificateKeyFile=c.pem&tlsCertificateKeyFilePassword=s3cr3t-value",
    ] {
        for format in ["text", "json"] {
            outputs.push(util::run(["policy", uri, "--format", format]));
        }
    }
    for output in &outputs {
        let text = util::stdout(output) + &util::stderr(output);
        for secret in secrets {
            assert!(
                !text.contains(secret),
                "'{secret}' leaked:\n{}",
                util::describe(output)
            );
        }
    }
    for name in ["key-password", "client-cert"] {
        let report = std::fs::read_to_string(out.path().join(name).join("report.json")).unwrap();
        for secret in secrets {
            assert!(
                !report.contains(secret),
                "{name}/report.json holds '{secret}'"
            );
        }
    }
    let shown = util::run([
        "policy",
        "mongodb://h/?tls=true&tlsCertificateKeyFile=c.pem&tlsCertificateKeyFilePassword=s3cr3t-value",
        "--format",
        "json",
        "--show-secrets",
    ]);
    assert!(
        util::stdout(&shown).contains("s3cr3t-value"),
        "--show-secrets shows it"
    );
}
