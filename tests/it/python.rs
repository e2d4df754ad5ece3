//! The Python that the cross-checks run: `$PKIGEN_PYTHON`, else `target/pyenv/bin/python`,
//! which `tests/python/ensure_venv.sh` creates (venv + pymongo==4.20.0) when missing.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

pub fn python() -> PathBuf {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON
        .get_or_init(|| {
            if let Some(p) = std::env::var_os("PKIGEN_PYTHON") {
                return PathBuf::from(p);
            }
            let root = Path::new(env!("CARGO_MANIFEST_DIR"));
            let venv = root.join("target/pyenv");
            // The script also repairs a venv that lacks the right PyMongo.
            let out = Command::new("sh")
                .arg(root.join("tests/python/ensure_venv.sh"))
                .arg(&venv)
                .stderr(Stdio::inherit())
                .output()
                .expect("run tests/python/ensure_venv.sh");
            assert!(
                out.status.success(),
                "ensure_venv.sh failed; set PKIGEN_PYTHON to a python with pymongo==4.20.0"
            );
            venv.join("bin/python")
        })
        .clone()
}

/// A script of `tests/python/`.
pub fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/python")
        .join(name)
}
