//! The Python that the cross-checks run: `$PKIGEN_PYTHON`, else `target/pyenv/bin/python`,
//! which `tests/python/ensure_venv.sh` creates (venv + pymongo==4.20.1) when missing.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// Plain PyMongo (no pyOpenSSL) and pyca/cryptography.
pub fn python() -> PathBuf {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON
        .get_or_init(|| venv("PKIGEN_PYTHON", "target/pyenv", "plain"))
        .clone()
}

/// `pymongo[ocsp]`: PyMongo with pyOpenSSL, which checks OCSP.
pub fn python_ocsp() -> PathBuf {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON
        .get_or_init(|| venv("PKIGEN_PYTHON_OCSP", "target/pyenv-ocsp", "ocsp"))
        .clone()
}

fn venv(override_var: &str, dir: &str, flavour: &str) -> PathBuf {
    if let Some(p) = std::env::var_os(override_var) {
        return PathBuf::from(p);
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let venv = root.join(dir);
    // The script also repairs a venv that lacks the right packages.
    let out = Command::new("sh")
        .arg(root.join("tests/python/ensure_venv.sh"))
        .arg(&venv)
        .arg(flavour)
        .stderr(Stdio::inherit())
        .output()
        .expect("run tests/python/ensure_venv.sh");
    assert!(
        out.status.success(),
        "ensure_venv.sh {dir} {flavour} failed; set {override_var} to a prepared python"
    );
    venv.join("bin/python")
}

/// A script of `tests/python/`.
pub fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/python")
        .join(name)
}
