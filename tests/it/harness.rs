//! What the harnesses say, in one type: every line they print is a [`HarnessLine`]
//! (`tests/python/harness.py` and `tests/node/interop.js` write them,
//! `tests/schemas/harness-result.schema.json` describes
//! them, and they are read here strictly: an unknown field, kind, outcome or reason fails
//! the test). Where an engine knowingly differs from them is `crate::divergences`' to say.

use pkigen::{Outcome, Reason};
use serde::{Deserialize, Serialize};

/// One line of a harness's output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HarnessLine {
    pub engine: Engine,
    /// `scenario/case` for a fixture case, the document for a schema check, `None` for a
    /// policy answer (one per input line, in order).
    pub subject: Option<String>,
    pub result: HarnessResult,
}

/// Who answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Engine {
    /// OpenSSL through Python's `ssl`, with the client context PyMongo builds
    /// (`ssl_cases.py`).
    Openssl,
    /// PyMongo itself, without OCSP support (`interop.py stdlib`, `pymongo_policy_check.py`).
    Pymongo,
    /// PyMongo with `pymongo[ocsp]` (`interop.py ocsp`).
    PymongoOcsp,
    /// The Node.js driver, npm mongodb 7.9.0 (`tests/node/interop.js`).
    Node,
    /// The Rust driver, crate mongodb 3.9.1 with its default features
    /// (`tests/rust_driver`'s `rust-driver connect`).
    Rust,
    /// The JSON Schema validator (`check_schemas.py`).
    Jsonschema,
}

/// An engine's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum HarnessResult {
    /// What the engine did with a fixture case; the reason is `None` when its words name
    /// none of pkigen's.
    Observed {
        outcome: Outcome,
        reason: Option<Reason>,
        message: String,
    },
    /// A fixture case the engine cannot run.
    Skipped { why: String },
    /// The harness could not run the case at all.
    HarnessError { message: String },
    /// `MongoClient(..., connect=False)` accepted the options.
    Policy {
        tls: bool,
        verify_certificates: bool,
        verify_hostname: bool,
        ocsp_endpoint_check: bool,
        warnings: Vec<String>,
    },
    /// `MongoClient(..., connect=False)` raised.
    PolicyError {
        exception: String,
        message: String,
        warnings: Vec<String>,
    },
    /// A document held to a schema of `tests/schemas/`, with every error found.
    SchemaCheck { schema: String, errors: Vec<String> },
}

impl HarnessLine {
    /// The subject of a line that must have one.
    #[track_caller]
    pub fn subject(&self) -> &str {
        self.subject
            .as_deref()
            .unwrap_or_else(|| panic!("a line without a subject: {self:?}"))
    }
}

/// Every line of a harness's stdout, which must all be harness lines.
#[track_caller]
pub fn parse_lines(stdout: &str, what: &str) -> Vec<HarnessLine> {
    stdout
        .lines()
        .map(|line| {
            serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{what}: not a harness line ({e}):\n{line}"))
        })
        .collect()
}
