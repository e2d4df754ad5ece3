//! The C programs under `tests/c/` that the libmongoc cross-checks run, compiled once per
//! test run into `target/c/` with `cc` against the installed libmongoc
//! (`pkg-config --cflags --libs libmongoc-1.0`, Debian's `libmongoc-dev`), which must be
//! 1.23.x, the version `--driver c` models.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};

/// The libmongoc version `--driver c` models: the installed one must be of this series.
const MODELLED_SERIES: &str = "1.23.";

/// `pkg-config --cflags --libs libmongoc-1.0`: what `cc` needs to build against libmongoc.
pub fn pkg_config_flags() -> String {
    pkg_config(&["--cflags", "--libs", "libmongoc-1.0"])
}

fn pkg_config(args: &[&str]) -> String {
    let output = Command::new("pkg-config")
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!("pkg-config is needed to build tests/c (apt-get install pkg-config): {e}")
        });
    assert!(
        output.status.success(),
        "pkg-config finds no libmongoc-1.0: install libmongoc-dev (apt-get install libmongoc-dev)"
    );
    String::from_utf8(output.stdout).unwrap()
}

/// `target/c/NAME`, built from `tests/c/NAME.c` the first time a test asks for it; the
/// installed library's version is checked once, before any program runs.
pub fn program(name: &str) -> PathBuf {
    static BUILT: OnceLock<Mutex<Vec<String>>> = OnceLock::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = root.join("target/c").join(name);
    let mut built = BUILT.get_or_init(|| Mutex::new(Vec::new())).lock().unwrap();
    if built.iter().any(|b| b == name) {
        return out;
    }
    let flags = pkg_config_flags();
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    let partial = out.with_extension(format!("{}.partial", std::process::id()));
    let status = Command::new("cc")
        .args(["-Wall", "-Werror", "-O1", "-o"])
        .arg(&partial)
        .arg(root.join("tests/c").join(format!("{name}.c")))
        .args(flags.split_whitespace())
        .arg("-lcrypto")
        .status()
        .unwrap_or_else(|e| panic!("cc is needed to build tests/c (apt-get install gcc): {e}"));
    assert!(status.success(), "cc could not build tests/c/{name}.c");
    std::fs::rename(&partial, &out).unwrap();
    let version = Command::new(&out).arg("-V").output().unwrap();
    let version = String::from_utf8(version.stdout).unwrap();
    assert!(
        version.starts_with(MODELLED_SERIES),
        "the installed libmongoc is {}, but --driver c models {MODELLED_SERIES}x",
        version.trim()
    );
    built.push(name.to_string());
    out
}

/// `target/c/NAME` to run as a libmongoc program runs: OpenSSL's defaults, whatever the
/// environment says (no other trust store, no configuration file capping TLS versions).
pub fn command(name: &str) -> Command {
    let mut command = Command::new(program(name));
    command
        .env_remove("SSL_CERT_FILE")
        .env_remove("SSL_CERT_DIR")
        .env_remove("OPENSSL_CONF");
    command
}
