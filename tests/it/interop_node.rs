//! The real Node.js driver (npm mongodb 7.9.0, installed by `tests/node/ensure_node_modules.sh`):
//! every case of `scenario all --driver node`, one `pkigen serve --all` presenting every
//! server side, and one Node process (`tests/node/interop.js`) connecting with each case's
//! own connection string from the case's folder and running `ping`. Its errors are read into
//! pkigen's outcomes and reasons by `tests/node/classify.js`; every case must agree with the
//! manifest's Node expectation on both, none skipped.

use crate::harness::{self, Engine};
use crate::util::{self, NOW};

/// Every case of the fixture folders `dirs` (under `out`) through the real driver: one
/// `pkigen serve --all` of `out`, one Node process; its lines, and how long the driver took.
pub(crate) fn node_runs(
    out: &std::path::Path,
    dirs: &[std::path::PathBuf],
) -> (Vec<harness::HarnessLine>, std::time::Duration) {
    // Resolve the driver before the clock starts: the first run may install it.
    let command = crate::node::script("interop.js");
    harness::run_against_serve_all(command, out, dirs, "node interop.js")
}

#[test]
fn the_node_driver_agrees_with_every_case() {
    let out = util::tempdir();
    let seed = util::seed_of_this_run();
    println!("seed {seed} (rerun with it to reproduce these fixtures)");
    util::generate(
        out.path(),
        &["all"],
        seed,
        NOW,
        &["--driver", "node", "--no-validate"],
    );
    let dirs = util::scenario_dirs(out.path());
    let expected = util::expectations(&dirs);
    let (lines, took) = node_runs(out.path(), &dirs);
    let runs = harness::runs(lines, Engine::Node);
    harness::assert_every_case_agrees(runs, &expected, "the Node.js driver", took);
}
