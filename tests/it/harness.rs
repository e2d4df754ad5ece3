//! What the Python harnesses say, in one type: every line they print is a [`HarnessLine`]
//! (`tests/python/harness.py` writes them, `tests/schemas/harness-result.schema.json` describes
//! them, and they are read here strictly: an unknown field, kind, outcome or reason fails
//! the test). And where an engine knowingly differs from pkigen — a case it cannot run, a
//! part of its answer not compared — in one data file, `tests/divergences.json`, which the
//! tests hold the harnesses' lines to in both directions.

use pkigen::{Outcome, Reason};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

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

/// How an engine knowingly differs from pkigen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Effect {
    /// The engine's harness reports the case skipped, and reports no other case so.
    Skipped,
    /// When the engine raises, the warnings it emitted first are not compared.
    WarningsBeforeErrorIgnored,
}

/// One entry of `tests/divergences.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Divergence {
    pub engine: Engine,
    /// `scenario/case`, or `*` for every answer the effect can apply to.
    pub case: String,
    pub effect: Effect,
    pub why: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Divergences {
    divergences: Vec<Divergence>,
}

pub const DIVERGENCES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/divergences.json");

/// Every known divergence.
pub fn divergences() -> Vec<Divergence> {
    let text = std::fs::read_to_string(DIVERGENCES).expect("read tests/divergences.json");
    let file: Divergences =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("tests/divergences.json: {e}"));
    file.divergences
}

/// Whether `engine` is known to differ from pkigen by `effect` on `case`.
pub fn diverges(engine: Engine, effect: Effect, case: &str) -> bool {
    divergences()
        .iter()
        .any(|d| d.engine == engine && d.effect == effect && (d.case == case || d.case == "*"))
}

/// Asserts that the cases `engine` skipped (case → why) are exactly the ones
/// `tests/divergences.json` lists as skipped by it, every listed case being one of `cases`.
#[track_caller]
pub fn assert_skips_are_known(
    engine: Engine,
    skipped: &BTreeMap<String, String>,
    cases: &BTreeSet<String>,
) {
    let listed: BTreeMap<String, String> = divergences()
        .into_iter()
        .filter(|d| d.engine == engine && d.effect == Effect::Skipped)
        .map(|d| (d.case, d.why))
        .collect();
    let stale: Vec<&String> = listed.keys().filter(|c| !cases.contains(*c)).collect();
    assert!(
        stale.is_empty(),
        "tests/divergences.json lists {engine:?} skipping cases no manifest has: {stale:?}"
    );
    let unlisted: Vec<String> = skipped
        .iter()
        .filter(|(case, _)| !listed.contains_key(*case))
        .map(|(case, why)| format!("{case}: {why}"))
        .collect();
    assert!(
        unlisted.is_empty(),
        "{engine:?} skipped cases tests/divergences.json does not list (add each with why, \
         or make the harness run it):\n  {}",
        unlisted.join("\n  ")
    );
    let judged: Vec<&String> = listed
        .keys()
        .filter(|c| !skipped.contains_key(*c))
        .collect();
    assert!(
        judged.is_empty(),
        "tests/divergences.json lists {engine:?} skipping cases it now judges (remove them): \
         {judged:?}"
    );
}

#[test]
fn divergences_name_engines_cases_and_reasons_once() {
    let all = divergences();
    assert!(!all.is_empty());
    let mut seen = BTreeSet::new();
    for d in &all {
        assert!(
            seen.insert((d.engine, d.case.clone(), d.effect)),
            "listed twice: {d:?}"
        );
        assert!(d.why.len() > 20, "say why: {d:?}");
    }
}
