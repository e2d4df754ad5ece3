//! The `pkigen-bench` example: pkigen's speed beside the baselines, in one run on one machine (absolute
//! times on shared machines drift; ratios measured together do not). Build and run with
//!
//!     cargo build --release && cargo run --release --example pkigen-bench -- [throwaway] [--runs N] [--baselines ../shared/bench] [--json target/bench.json]
//!
//! For ecdsa-p256 and rsa-2048 it times, as medians: `pkigen scenario all --no-validate`
//! (the release binary beside this one), the openssl CLI script and the pyca/cryptography
//! script of `--baselines`, and the lower bound — the key generations, signatures and
//! PBKDF2 derivations pkigen performed, times their single-operation cost measured here.
//! Then `pkigen validate` over every scenario against a plain rustls loopback handshake loop.
//! Last, the throwaway section (alone with `throwaway`): one CA plus one server certificate
//! through pkigen's one-liners (random keys, and seeded ones), through rcgen alone with
//! aws-lc keys, and through Python's trustme (in the venv `tests/python/ensure_venv.sh`
//! makes), each timed in process.

use pkigen::fixtures::manifest::{FileKind, Manifest};
use pkigen::pki::{KeyEncryption, encrypt_pem};
use pkigen::{Ca, KeyPair, KeyType, Seed};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SEED: &str = "7";
const NOW: &str = "2026-01-01T00:00:00Z";

struct Options {
    /// Only the throwaway section.
    throwaway_only: bool,
    runs: usize,
    baselines: PathBuf,
    json: PathBuf,
}

fn options() -> Options {
    let mut options = Options {
        throwaway_only: false,
        runs: 7,
        baselines: PathBuf::from("../shared/bench"),
        json: PathBuf::from("target/bench.json"),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || {
            args.next()
                .unwrap_or_else(|| usage(&format!("{arg} needs a value")))
        };
        match arg.as_str() {
            "--runs" => {
                options.runs = value()
                    .parse()
                    .unwrap_or_else(|_| usage("--runs takes a number"))
            }
            "--baselines" => options.baselines = PathBuf::from(value()),
            "--json" => options.json = PathBuf::from(value()),
            "throwaway" => options.throwaway_only = true,
            other => usage(&format!("unknown option {other}")),
        }
    }
    options
}

fn usage(problem: &str) -> ! {
    eprintln!(
        "error: {problem}: usage: pkigen-bench [throwaway] [--runs N] [--baselines DIR] [--json FILE]"
    );
    std::process::exit(2);
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// Median wall time of `command` over `runs` runs, each in a fresh output folder.
fn time_command(runs: usize, mut command: impl FnMut(&Path) -> Command) -> Option<Duration> {
    let mut samples = Vec::new();
    for _ in 0..runs {
        let dir = tempfile::tempdir().ok()?;
        let out = dir.path().join("out");
        let mut cmd = command(&out);
        let start = Instant::now();
        let status = cmd
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .ok()?;
        let elapsed = start.elapsed();
        if !status.success() {
            eprintln!("  {cmd:?} failed ({status})");
            return None;
        }
        samples.push(elapsed);
    }
    Some(median(samples))
}

/// `pkigen --quiet scenario all --no-validate` with the benchmark's seed and clock.
fn scenario_all(pkigen: &Path, key_type: KeyType, out: &Path) -> Command {
    let mut command = Command::new(pkigen);
    command
        .args([
            "--quiet",
            "scenario",
            "all",
            "--no-validate",
            "--seed",
            SEED,
            "--now",
            NOW,
            "--key-type",
        ])
        .arg(key_type.as_str())
        .arg("--out")
        .arg(out);
    command
}

/// The release `pkigen` beside this example: `target/release/examples/` is one level below
/// `target/release/`.
fn pkigen_binary() -> PathBuf {
    let me = std::env::current_exe().expect("own path");
    let examples = me.parent().expect("the examples folder");
    examples.parent().unwrap_or(examples).join("pkigen")
}

fn python() -> PathBuf {
    let venv = Path::new("target/pyenv/bin/python");
    if venv.exists() {
        venv.to_path_buf()
    } else {
        PathBuf::from("python3")
    }
}

/// What one `scenario all` performs: key generations, signatures, PBKDF2 derivations.
#[derive(Default, Debug, Clone, Copy)]
struct Work {
    keys: usize,
    signatures: usize,
    derivations: usize,
}

fn work_of(out: &Path) -> Work {
    let mut work = Work::default();
    // Key files naming the same shared key hold one key, generated once per run.
    let mut shared_keys = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(out).expect("scenario folders") {
        let dir = entry.expect("entry").path();
        let Ok(manifest) = Manifest::load(&dir) else {
            continue;
        };
        for file in &manifest.files {
            match file.kind {
                // Every fixture with a key has exactly one certificate, signed once.
                FileKind::PrivateKey => {
                    match &file.shared_key {
                        Some(role) => {
                            shared_keys.insert(*role);
                        }
                        None => work.keys += 1,
                    }
                    work.signatures += 1;
                }
                FileKind::Crl if file.path.ends_with(".pem") => work.signatures += 1,
                FileKind::OcspResponse => work.signatures += 1,
                FileKind::KeyAndCertificate if file.encrypted && file.path.contains("pkcs8") => {
                    work.derivations += 1
                }
                _ => {}
            }
        }
    }
    work.keys += shared_keys.len();
    work
}

/// Single-operation costs for `key_type`: key generation, signature, PBKDF2 (2048 rounds).
fn unit_costs(key_type: KeyType) -> (Duration, Duration, Duration) {
    let reps = if matches!(key_type, KeyType::Rsa2048) {
        9
    } else {
        101
    };
    let keygen = median(
        (0..reps)
            .map(|i| {
                let start = Instant::now();
                KeyPair::from_seed(key_type, Seed(i as u64), "bench").expect("keygen");
                start.elapsed()
            })
            .collect(),
    );
    let key = KeyPair::from_seed(key_type, Seed(1), "bench").expect("keygen");
    let sign = median(
        (0..101)
            .map(|_| {
                let start = Instant::now();
                key.sign(b"the signed part of a certificate, about this long: 300-600 bytes")
                    .expect("sign");
                start.elapsed()
            })
            .collect(),
    );
    let pbkdf2 = median(
        (0..21)
            .map(|i| {
                let start = Instant::now();
                encrypt_pem(&key, &format!("pw{i}"), KeyEncryption::Pkcs8).expect("encrypt");
                start.elapsed()
            })
            .collect(),
    );
    (keygen, sign, pbkdf2)
}

/// Sequential rustls handshakes on loopback, with data exchanged, per second.
fn rustls_handshake_rate() -> f64 {
    use pkigen::internals::handshake::{self, ClientSetup, ServerSetup, Trust};
    use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName};
    let ca = Ca::new().expect("ca");
    let leaf = ca.issue(&["localhost"]).expect("leaf");
    let server = handshake::server_config(ServerSetup {
        chain: vec![CertificateDer::from(leaf.der().to_vec())],
        key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf.key().pkcs8_der().to_vec())),
        tls_versions: vec![&rustls::version::TLS13],
        client_ca: None,
        staple: None,
        cipher_suites: None,
    })
    .expect("server");
    let client = handshake::client_config(ClientSetup {
        trust: Trust::Certificates(vec![CertificateDer::from(ca.der().to_vec())]),
        checks: pkigen::internals::verifier::Checks {
            certificates: true,
            hostname: true,
        },
        tls_versions: vec![&rustls::version::TLS13],
        identity: None,
        crls: Vec::new(),
        crl_scope: pkigen::policy::CrlScope::Leaf,
        ocsp: None,
    })
    .expect("client");
    let n = 200;
    let start = Instant::now();
    for _ in 0..n {
        handshake::connect(
            server.clone(),
            client.clone(),
            ServerName::try_from("localhost").unwrap(),
        )
        .expect("handshake");
    }
    n as f64 / start.elapsed().as_secs_f64()
}

fn secs(d: Option<Duration>) -> serde_json::Value {
    d.map_or(serde_json::Value::Null, |d| {
        json!((d.as_secs_f64() * 1e4).round() / 1e4)
    })
}

fn ratio(a: Option<Duration>, b: Option<Duration>) -> serde_json::Value {
    match (a, b) {
        (Some(a), Some(b)) if !b.is_zero() => {
            json!((a.as_secs_f64() / b.as_secs_f64() * 1e3).round() / 1e3)
        }
        _ => serde_json::Value::Null,
    }
}

/// Throwaway CAs built per timed sample: enough that one sample lasts milliseconds.
const THROWAWAY_ITERATIONS: u32 = 200;

/// The median time of one `once()`, over `runs` samples of `THROWAWAY_ITERATIONS` calls,
/// after one call to warm up (the crypto provider, the allocator).
fn per_call(runs: usize, mut once: impl FnMut()) -> Duration {
    once();
    median(
        (0..runs)
            .map(|_| {
                let start = Instant::now();
                for _ in 0..THROWAWAY_ITERATIONS {
                    once();
                }
                start.elapsed() / THROWAWAY_ITERATIONS
            })
            .collect(),
    )
}

/// pkigen's one-liners: a random CA and a certificate for localhost.
fn pkigen_throwaway() {
    let ca = Ca::new().expect("ca");
    std::hint::black_box(ca.issue(&["localhost"]).expect("leaf"));
}

/// The same from a seed: deterministic RustCrypto keys and RFC 6979 signatures.
fn pkigen_seeded_throwaway() {
    let ca = Ca::builder().seed(Seed(7)).build().expect("ca");
    std::hint::black_box(ca.issue(&["localhost"]).expect("leaf"));
}

/// The same with rcgen alone and its aws-lc-rs keys: the floor pkigen's one-liners stand on.
fn rcgen_throwaway() {
    use rcgen::{
        BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyUsagePurpose,
        PKCS_ECDSA_P256_SHA256,
    };
    let ca_key = rcgen::KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).expect("key");
    let mut ca_params = CertificateParams::default();
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "rcgen throwaway CA");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca = ca_params.self_signed(&ca_key).expect("ca");
    let issuer = Issuer::new(ca_params, ca_key);
    let key = rcgen::KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).expect("key");
    let leaf = CertificateParams::new(vec!["localhost".to_string()])
        .expect("params")
        .signed_by(&key, &issuer)
        .expect("leaf");
    std::hint::black_box((ca, leaf, key));
}

/// trustme's one-liners, timed inside Python the same way: prints seconds per call.
const TRUSTME_SCRIPT: &str = r#"
import statistics, sys, time, trustme
runs, iterations = int(sys.argv[1]), int(sys.argv[2])
def once():
    trustme.CA().issue_cert("localhost")
once()
samples = []
for _ in range(runs):
    start = time.perf_counter()
    for _ in range(iterations):
        once()
    samples.append((time.perf_counter() - start) / iterations)
print(statistics.median(samples))
"#;

/// trustme's time per CA and certificate, or `None` (with the reason on stderr) when its venv
/// cannot be made.
fn trustme_throwaway(runs: usize) -> Option<Duration> {
    let venv = Command::new("sh")
        .args([
            "tests/python/ensure_venv.sh",
            "target/pyenv-trustme",
            "trustme",
        ])
        .stderr(Stdio::inherit())
        .output()
        .ok()
        .filter(|o| o.status.success());
    let Some(venv) = venv else {
        eprintln!(
            "  no trustme venv (tests/python/ensure_venv.sh target/pyenv-trustme trustme failed)"
        );
        return None;
    };
    let python = String::from_utf8_lossy(&venv.stdout).trim().to_string();
    let output = Command::new(python)
        .args(["-c", TRUSTME_SCRIPT])
        .arg(runs.to_string())
        .arg(THROWAWAY_ITERATIONS.to_string())
        .stderr(Stdio::inherit())
        .output()
        .ok()
        .filter(|o| o.status.success())?;
    let seconds: f64 = String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .ok()?;
    Some(Duration::from_secs_f64(seconds))
}

/// Milliseconds, to the microsecond.
fn millis(d: Option<Duration>) -> serde_json::Value {
    d.map_or(serde_json::Value::Null, |d| {
        json!((d.as_secs_f64() * 1e6).round() / 1e3)
    })
}

/// One throwaway CA plus one certificate for localhost (ECDSA P-256 everywhere): pkigen,
/// rcgen alone, trustme.
fn throwaway(runs: usize) -> serde_json::Value {
    eprintln!("throwaway CA + certificate: {runs} samples of {THROWAWAY_ITERATIONS} each…");
    let pkigen = per_call(runs, pkigen_throwaway);
    let seeded = per_call(runs, pkigen_seeded_throwaway);
    let rcgen = per_call(runs, rcgen_throwaway);
    let trustme = trustme_throwaway(runs);
    json!({
        "pkigen_ms": millis(Some(pkigen)), "pkigen_seeded_ms": millis(Some(seeded)),
        "rcgen_ms": millis(Some(rcgen)), "trustme_ms": millis(trustme),
        "pkigen_over_rcgen": ratio(Some(pkigen), Some(rcgen)),
        "pkigen_over_trustme": ratio(Some(pkigen), trustme),
    })
}

fn main() {
    let options = options();
    let mut results = serde_json::Map::new();
    if !options.throwaway_only {
        fixtures_and_validation(&options, &mut results);
    }
    results.insert("throwaway".into(), throwaway(options.runs));

    let report = json!({ "machine_cores": std::thread::available_parallelism().map_or(1, |n| n.get()), "runs": options.runs, "results": results });
    if let Some(parent) = options.json.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    std::fs::write(
        &options.json,
        serde_json::to_string_pretty(&report).unwrap() + "\n",
    )
    .expect("write the JSON report");
    if !options.throwaway_only {
        print_fixtures_and_validation(&results);
    }
    let t = &results["throwaway"];
    println!(
        "throwaway   CA + certificate: pkigen {} ms (seeded {} ms)  rcgen {} ms  trustme {} ms  | pkigen/rcgen {}  pkigen/trustme {}",
        t["pkigen_ms"],
        t["pkigen_seeded_ms"],
        t["rcgen_ms"],
        t["trustme_ms"],
        t["pkigen_over_rcgen"],
        t["pkigen_over_trustme"]
    );
    println!("written to {}", options.json.display());
}

/// `scenario all` against the baselines for two key types, then validation's handshake rate.
fn fixtures_and_validation(
    options: &Options,
    results: &mut serde_json::Map<String, serde_json::Value>,
) {
    let pkigen = pkigen_binary();
    if !pkigen.exists() {
        usage(&format!(
            "{} not found: build it first with `cargo build --release`",
            pkigen.display()
        ));
    }
    for (key_type, alg) in [(KeyType::EcdsaP256, "ec"), (KeyType::Rsa2048, "rsa")] {
        let runs = if alg == "rsa" {
            options.runs.div_ceil(2).max(3)
        } else {
            options.runs
        };
        eprintln!("{key_type}: {runs} runs each…");
        let generate = |out: &Path| scenario_all(&pkigen, key_type, out);
        let pkigen_time = time_command(runs, generate);
        let openssl = time_command(runs, |out| {
            let mut c = Command::new("bash");
            c.arg(options.baselines.join("openssl-fixtures.sh"))
                .arg(out)
                .arg(alg);
            c
        });
        let pyca = time_command(runs, |out| {
            let mut c = Command::new(python());
            c.arg(options.baselines.join("pyca-fixtures.py"))
                .arg(out)
                .arg(alg);
            c
        });
        let sample = tempfile::tempdir().expect("tempdir");
        generate(sample.path())
            .stdout(Stdio::null())
            .status()
            .expect("pkigen");
        let work = work_of(sample.path());
        let (keygen, sign, pbkdf2) = unit_costs(key_type);
        let lower = keygen * work.keys as u32
            + sign * work.signatures as u32
            + pbkdf2 * work.derivations as u32;
        results.insert(
            key_type.to_string(),
            json!({
                "pkigen_s": secs(pkigen_time), "openssl_s": secs(openssl), "pyca_s": secs(pyca), "lower_bound_s": secs(Some(lower)),
                "work": { "key_generations": work.keys, "signatures": work.signatures, "pbkdf2": work.derivations },
                "unit_s": { "keygen": secs(Some(keygen)), "sign": secs(Some(sign)), "pbkdf2": secs(Some(pbkdf2)) },
                "pkigen_over_openssl": ratio(pkigen_time, openssl),
                "pkigen_over_pyca": ratio(pkigen_time, pyca),
                "pkigen_over_lower_bound": ratio(pkigen_time, Some(lower)),
            }),
        );
    }

    eprintln!("validation…");
    let fixtures = tempfile::tempdir().expect("tempdir");
    let status = scenario_all(&pkigen, KeyType::default(), fixtures.path())
        .stdout(Stdio::null())
        .status()
        .expect("pkigen");
    assert!(status.success());
    let cases: usize = std::fs::read_dir(fixtures.path())
        .unwrap()
        .filter_map(|e| Manifest::load(&e.unwrap().path()).ok())
        .map(|m| m.cases.len())
        .sum();
    let validate = time_command(options.runs, |_| {
        let mut c = Command::new(&pkigen);
        c.args(["--quiet", "validate"]).arg(fixtures.path());
        c
    });
    let all = time_command(options.runs, |out| {
        let mut c = Command::new(&pkigen);
        c.args([
            "--quiet", "scenario", "all", "--seed", SEED, "--now", NOW, "--out",
        ])
        .arg(out);
        c
    });
    let loop_rate = rustls_handshake_rate();
    let validate_rate = validate.map(|d| cases as f64 / d.as_secs_f64());
    results.insert(
        "validation".into(),
        json!({
            "cases": cases, "validate_s": secs(validate), "scenario_all_with_validation_s": secs(all),
            "handshakes_per_s": validate_rate.map(|r| r.round()), "rustls_loop_handshakes_per_s": loop_rate.round(),
            "validate_over_loop_rate": validate_rate.map(|r| (r / loop_rate * 1e3).round() / 1e3),
        }),
    );
}

fn print_fixtures_and_validation(results: &serde_json::Map<String, serde_json::Value>) {
    for key in ["ecdsa-p256", "rsa-2048"] {
        let r = &results[key];
        println!(
            "{key:<11} pkigen {}s  openssl {}s  pyca {}s  lower bound {}s  | pkigen/openssl {}  pkigen/pyca {}  pkigen/lower-bound {}",
            r["pkigen_s"],
            r["openssl_s"],
            r["pyca_s"],
            r["lower_bound_s"],
            r["pkigen_over_openssl"],
            r["pkigen_over_pyca"],
            r["pkigen_over_lower_bound"]
        );
    }
    let v = &results["validation"];
    println!(
        "validation  {} cases in {}s = {} handshakes/s (rustls loop: {}/s); scenario all with validation: {}s",
        v["cases"],
        v["validate_s"],
        v["handshakes_per_s"],
        v["rustls_loop_handshakes_per_s"],
        v["scenario_all_with_validation_s"]
    );
}
