//! The Node.js that the driver cross-checks run, with the driver installed by
//! `tests/node/ensure_node_modules.sh` (`npm ci` of `tests/node/package-lock.json`, npm
//! mongodb 7.9.0, into `target/node/`) when missing; `$PKIGEN_NODE_MODULES` names a prepared
//! `node_modules` instead.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// The `node_modules` folder that holds the pinned driver.
pub fn node_modules() -> PathBuf {
    static MODULES: OnceLock<PathBuf> = OnceLock::new();
    MODULES
        .get_or_init(|| {
            if let Some(p) = std::env::var_os("PKIGEN_NODE_MODULES") {
                return PathBuf::from(p);
            }
            let root = Path::new(env!("CARGO_MANIFEST_DIR"));
            let out = Command::new("sh")
                .arg(root.join("tests/node/ensure_node_modules.sh"))
                .arg(root.join("target/node"))
                .stderr(Stdio::inherit())
                .output()
                .expect("run tests/node/ensure_node_modules.sh");
            assert!(
                out.status.success(),
                "ensure_node_modules.sh failed (it needs node >= 20.19 and npm); set \
                 PKIGEN_NODE_MODULES to a node_modules holding mongodb 7.9.0"
            );
            PathBuf::from(String::from_utf8(out.stdout).unwrap().trim())
        })
        .clone()
}

/// `node tests/node/SCRIPT`, resolving `require('mongodb')` to the pinned driver.
pub fn script(name: &str) -> Command {
    let mut command = Command::new("node");
    command
        .arg(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/node")
                .join(name),
        )
        .env("NODE_PATH", node_modules())
        // Node's own TLS defaults, whatever the environment says.
        .env_remove("NODE_TLS_REJECT_UNAUTHORIZED")
        .env_remove("NODE_EXTRA_CA_CERTS")
        .env_remove("NODE_OPTIONS");
    command
}
