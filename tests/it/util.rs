//! Shared helpers: run the real `pkigen` binary, assert on what it did, read what it wrote.

use pkigen::fixtures::manifest::{Expect, Manifest};
use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

/// The generation clock every fixture test pins.
pub const NOW: &str = "2026-01-01T00:00:00Z";

/// The binary under test, built by Cargo for this test target.
pub const PKIGEN: &str = env!("CARGO_BIN_EXE_pkigen");

/// Every scenario, in `pkigen list` order: the catalogue as these tests know it.
pub const SCENARIOS: [&str; 8] = [
    "enable-tls",
    "ca-file",
    "crl",
    "ocsp",
    "client-cert",
    "key-password",
    "insecure-tls",
    "troubleshooting",
];

/// A fresh temporary folder, removed when dropped.
pub fn tempdir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("pkigen-it-")
        .tempdir()
        .expect("create a temporary folder")
}

/// Runs `pkigen ARGS` with a clean environment for the things that change its output.
pub fn run<I, S>(args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let args: Vec<_> = args.into_iter().map(|a| a.as_ref().to_owned()).collect();
    Command::new(PKIGEN)
        .args(&args)
        .env("RUST_BACKTRACE", "0")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {PKIGEN} {args:?}: {e}"))
}

/// A path as a command-line argument (the temporary folders are UTF-8).
pub fn path_arg(path: &Path) -> &str {
    path.to_str().expect("UTF-8 temporary path")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Everything needed to understand a failed assertion about a run.
pub fn describe(output: &Output) -> String {
    format!(
        "exit status: {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        output.status.code(),
        stdout(output),
        stderr(output)
    )
}

/// Asserts the exit code, printing the run's output if it differs.
#[track_caller]
pub fn assert_exit(output: &Output, code: i32, what: &str) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "{what}: expected exit {code}\n{}",
        describe(output)
    );
}

/// Asserts a refusal (exit 2, one line `error: ...` on stderr) whose message contains
/// every one of `needles`; returns the message.
#[track_caller]
pub fn assert_usage_error(output: &Output, needles: &[&str], what: &str) -> String {
    assert_exit(output, 2, what);
    let err = stderr(output);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines.len(),
        1,
        "{what}: stderr must be exactly one line\n{}",
        describe(output)
    );
    assert!(
        lines[0].starts_with("error: "),
        "{what}: stderr must start with 'error: '\n{}",
        describe(output)
    );
    for needle in needles {
        assert!(
            lines[0].contains(needle),
            "{what}: the message must mention {needle:?}\n{}",
            describe(output)
        );
    }
    lines[0].to_string()
}

/// `pkigen scenario NAMES --seed SEED --now NOW --out OUT EXTRA...`, which must exit 0.
#[track_caller]
pub fn generate(out: &Path, names: &[&str], seed: u64, now: &str, extra: &[&str]) -> Output {
    let mut args: Vec<String> = vec!["scenario".into()];
    args.extend(names.iter().map(|s| s.to_string()));
    args.extend([
        "--seed".into(),
        seed.to_string(),
        "--now".into(),
        now.into(),
        "--out".into(),
        out.display().to_string(),
    ]);
    args.extend(extra.iter().map(|s| s.to_string()));
    let output = run(&args);
    assert_exit(&output, 0, &format!("pkigen {}", args.join(" ")));
    output
}

/// One scenario generated at `NOW` with `--no-validate` (and `extra`) into a fresh temporary
/// folder: the folder (keep it alive) and the scenario's folder in it.
#[track_caller]
pub fn scenario(name: &str, seed: u64, extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let out = tempdir();
    let mut args = vec!["--no-validate"];
    args.extend(extra);
    generate(out.path(), &[name], seed, NOW, &args);
    let dir = out.path().join(name);
    (out, dir)
}

/// Starts `pkigen serve DIR --case CASE` and returns it with the address it prints on its
/// first line (its stdout is read for that; its stderr is piped). The caller stops it.
#[track_caller]
pub fn serve(dir: &Path, case: &str) -> (Child, SocketAddr) {
    let mut child = Command::new(PKIGEN)
        .args([
            "serve".as_ref(),
            dir.as_os_str(),
            "--case".as_ref(),
            case.as_ref(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start pkigen serve");
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .expect("read the first line of pkigen serve");
    match first.trim().parse() {
        Ok(address) => (child, address),
        Err(e) => {
            child.kill().ok();
            let output = child.wait_with_output().expect("wait for pkigen serve");
            panic!(
                "pkigen serve {} --case {case}: the first line {first:?} is not the bound address ({e})\n{}",
                dir.display(),
                describe(&output)
            )
        }
    }
}

/// Starts `pkigen serve DIR --all` and returns it with its first line: the JSON map of every
/// case to its address and connection string. Panics, with what it said, when that line is
/// not a JSON object.
pub fn serve_all(dir: &Path) -> (Child, serde_json::Map<String, serde_json::Value>) {
    let mut child = Command::new(PKIGEN)
        .args(["serve".as_ref(), dir.as_os_str(), "--all".as_ref()])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start pkigen serve --all");
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .expect("read the first line of pkigen serve --all");
    match serde_json::from_str(&first) {
        Ok(serde_json::Value::Object(map)) => (child, map),
        other => {
            child.kill().ok();
            let output = child
                .wait_with_output()
                .expect("wait for pkigen serve --all");
            panic!(
                "pkigen serve {} --all: the first line {first:?} is not a JSON object ({other:?})\n{}",
                dir.display(),
                describe(&output)
            )
        }
    }
}

/// SIGTERM, as a test suite ends a server, then what the process said and how it ended.
pub fn terminate(child: Child) -> Output {
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(killed.success(), "kill -TERM {}", child.id());
    child.wait_with_output().expect("wait for the process")
}

pub fn read_json(path: &Path) -> serde_json::Value {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

#[track_caller]
pub fn parse_json(text: &str, what: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{what}: not JSON ({e}):\n{text}"))
}

/// The scenario folders (those holding a manifest.json) directly under `out`, sorted.
pub fn scenario_dirs(out: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(out)
        .unwrap_or_else(|e| panic!("read {}: {e}", out.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("manifest.json").is_file())
        .collect();
    dirs.sort();
    dirs
}

/// One file of a tree: its bytes and permission bits.
#[derive(Debug, PartialEq, Eq)]
pub struct Entry {
    pub bytes: Vec<u8>,
    pub mode: u32,
}

/// Every file under `root`, by path relative to it (folders are implied by their files;
/// empty folders appear with an empty entry so they are compared too).
pub fn snapshot(root: &Path) -> BTreeMap<PathBuf, Option<Entry>> {
    fn walk(root: &Path, dir: &Path, into: &mut BTreeMap<PathBuf, Option<Entry>>) {
        let mut empty = true;
        for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            empty = false;
            let path = entry.unwrap().path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                walk(root, &path, into);
            } else {
                into.insert(
                    path.strip_prefix(root).unwrap().to_path_buf(),
                    Some(Entry {
                        bytes: std::fs::read(&path).unwrap(),
                        mode: meta.permissions().mode() & 0o7777,
                    }),
                );
            }
        }
        if empty && dir != root {
            into.insert(dir.strip_prefix(root).unwrap().to_path_buf(), None);
        }
    }
    let mut files = BTreeMap::new();
    walk(root, root, &mut files);
    files
}

/// Asserts two trees hold the same names with the same bytes and modes, naming every
/// difference.
#[track_caller]
pub fn assert_same_tree(a: &Path, b: &Path) {
    let left = snapshot(a);
    let right = snapshot(b);
    let mut differences = Vec::new();
    for name in left.keys().chain(right.keys()) {
        match (left.get(name), right.get(name)) {
            (Some(x), Some(y)) if x == y => {}
            (Some(_), Some(_)) => differences.push(format!("{} differs", name.display())),
            (None, _) => differences.push(format!("{} only in {}", name.display(), b.display())),
            (_, None) => differences.push(format!("{} only in {}", name.display(), a.display())),
        }
    }
    differences.dedup();
    assert!(
        differences.is_empty(),
        "{} and {} differ:\n  {}",
        a.display(),
        b.display(),
        differences.join("\n  ")
    );
}

/// The PEM blocks of `text`, each with its BEGIN and END lines.
pub fn pem_blocks(text: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if line.starts_with("-----BEGIN ") {
            current = Some(String::new());
        }
        if let Some(block) = current.as_mut() {
            block.push_str(line);
            block.push('\n');
        }
        if line.starts_with("-----END ") {
            blocks.extend(current.take());
        }
    }
    blocks
}

/// An external tool (openssl, python3, a venv's Python running PyMongo) with the OpenSSL
/// configuration neutralised, so the machine's openssl.cnf cannot change what it accepts.
pub fn tool(program: impl AsRef<OsStr>) -> Command {
    let mut command = Command::new(program);
    command.env("OPENSSL_CONF", "/dev/null");
    command
}

/// A certificate's serial number as `openssl x509 -serial` prints it (upper-case hex).
#[track_caller]
pub fn openssl_serial(cert: &Path) -> String {
    let output = tool("openssl")
        .args(["x509", "-noout", "-serial", "-in"])
        .arg(cert)
        .output()
        .expect("openssl must be installed");
    assert_exit(
        &output,
        0,
        &format!("openssl x509 -serial -in {}", cert.display()),
    );
    let text = stdout(&output);
    let serial = text
        .trim()
        .strip_prefix("serial=")
        .unwrap_or_else(|| panic!("unexpected openssl output: {text}"));
    assert!(
        !serial.is_empty(),
        "openssl reads no serial from {}",
        cert.display()
    );
    serial.to_string()
}

/// Every case's `expect`, by `scenario/case` (the subject the harnesses report cases by),
/// from the manifests in `dirs`.
pub fn expectations(dirs: &[PathBuf]) -> BTreeMap<String, Expect> {
    let mut expected = BTreeMap::new();
    for dir in dirs {
        let path = dir.join("manifest.json");
        let manifest: Manifest = serde_json::from_value(read_json(&path))
            .unwrap_or_else(|e| panic!("{} is not a manifest: {e}", path.display()));
        for case in manifest.cases {
            expected.insert(format!("{}/{}", manifest.scenario, case.name), case.expect);
        }
    }
    expected
}

/// The environment variable `name` as a `u64` (decimal, or hexadecimal after `0x` as the
/// tests print seeds), or `default` where it is unset: how the generated corpora take a seed
/// or size to explore beyond what CI runs. A value that does not parse stops the test rather
/// than running the default in its place.
pub fn env_or<T: TryFrom<u64>>(name: &str, default: T) -> T {
    let Ok(text) = std::env::var(name) else {
        return default;
    };
    let parsed = match text.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(&hex.replace('_', ""), 16),
        None => text.replace('_', "").parse(),
    };
    parsed
        .ok()
        .and_then(|n| T::try_from(n).ok())
        .unwrap_or_else(|| panic!("{name}={text:?} is not a number this test can take"))
}

/// A seed of this run's own, for fixtures that `serve` runs: it binds each OCSP responder at
/// the loopback address the seed derives, so two test runs at once (two checkouts, two CI
/// jobs) never claim the same address.
pub fn seed_of_this_run() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    (u64::from(std::process::id()) << 32) | u64::from(nanos)
}

/// The page `pkigen docs` wrote for `scenario` (or `index`) in `lang` under the fixture
/// folder `out`.
pub fn page(out: &Path, lang: &str, scenario: &str) -> String {
    let path = out.join("docs").join(lang).join(format!("{scenario}.md"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// Every case of `expected` was reported exactly once, as `seen` counts the reports.
#[track_caller]
pub fn assert_each_ran_once<V>(
    expected: &std::collections::BTreeMap<String, V>,
    seen: &std::collections::BTreeMap<String, usize>,
) {
    let not_once: Vec<_> = expected
        .keys()
        .filter(|id| seen.get(*id) != Some(&1))
        .collect();
    assert!(
        not_once.is_empty(),
        "cases not run exactly once: {not_once:?}"
    );
}

/// Held while a real driver (Node.js, Rust or libmongoc) connects to a `pkigen serve --all`: each such
/// run opens a hundred connections at once, each with two seconds to be selected, which a
/// loaded two-core machine cannot give several runs at the same time.
pub fn one_driver_run_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    static RUNNING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    RUNNING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// `f` over `items` (with each one's index) on `workers` threads, each taking the next item
/// when it is done with one: a few real-driver processes at a time. The results come back in
/// `items`' order.
pub fn par_map<T: Sync, R: Send>(
    items: &[T],
    workers: usize,
    f: impl Fn(usize, &T) -> R + Sync,
) -> Vec<R> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results = std::sync::Mutex::new(Vec::with_capacity(items.len()));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    let result = f(i, item);
                    results.lock().unwrap().push((i, result));
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap();
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, result)| result).collect()
}
