//! Failure modes as deliberate as the happy path (issue 9): generation killed at any moment
//! leaves the old set or the new one, never a mix; `--force` replaces only pkigen's files;
//! an edited manifest cannot point outside its folder; passwords stay out of every output.

use crate::util::{self, NOW, SCENARIOS};
use std::path::Path;
use std::process::{Command, Stdio};

fn seed_of(dir: &Path) -> u64 {
    util::read_json(&dir.join("manifest.json"))["seed"]
        .as_u64()
        .unwrap()
}

/// `kill -9` at many moments of `scenario all`: afterwards every scenario folder is a
/// complete set (its manifest's sha256 all match) from the old run or the new one.
#[test]
fn generation_killed_at_any_moment_leaves_old_or_new_never_a_mix() {
    let out = util::tempdir();
    let started = std::time::Instant::now();
    util::generate(out.path(), &["all"], 1, NOW, &["--no-validate"]);
    // Kill at fractions of a whole run, from before it writes anything to after it ends.
    let whole_run = started.elapsed();
    let mut saw_new = 0;
    for round in 0..24u64 {
        let mut child = Command::new(util::PKIGEN)
            .args([
                "--quiet",
                "scenario",
                "all",
                "--no-validate",
                "--now",
                NOW,
                "--seed",
            ])
            .arg((2 + round % 2).to_string())
            .arg("--out")
            .arg(out.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Spread the kills over the run: from before it starts writing to after it ends.
        std::thread::sleep(whole_run.mul_f64(round as f64 / 16.0));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        for name in SCENARIOS {
            let dir = out.path().join(name);
            let check = util::run([
                "check".as_ref(),
                dir.as_os_str(),
                "--expiring-within".as_ref(),
                "0".as_ref(),
            ]);
            util::assert_exit(
                &check,
                0,
                &format!("round {round}: {name} is a complete set"),
            );
            let seed = seed_of(&dir);
            assert!(
                [1, 2, 3].contains(&seed),
                "round {round}: {name} has seed {seed}"
            );
            saw_new += usize::from(seed != 1);
        }
    }
    assert!(saw_new > 0, "some runs got far enough to replace a folder");
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
