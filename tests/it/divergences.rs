//! Where an engine knowingly differs from pkigen — a case it cannot run, a part of its
//! answer not compared — or `openssl verify` from rustls-webpki, in one data file,
//! `tests/divergences.json` (schema `tests/schemas/divergences.schema.json`): the tests
//! hold the harnesses' lines to it in both directions, and the property test every
//! disagreement of the two verifiers.

use crate::harness::Engine;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// How an engine knowingly differs from pkigen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Effect {
    /// The engine's harness reports the case skipped, and reports no other case so.
    Skipped,
    /// OpenSSL's verifier (as `openssl verify` runs it) and rustls-webpki alone give different
    /// verdicts on a case: the property test fails on any disagreement no such entry explains.
    DisagreesWithWebpki,
}

/// Which verdict of the two verifiers a disagreement is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Check {
    /// The chain alone (trust, validity, purpose, revocation), the host name not checked.
    Path,
    /// The host name, the chain passing with both.
    Hostname,
}

/// One of the two verifiers the property test compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verifier {
    /// `openssl verify`, with PyMongo's flags.
    Openssl,
    /// rustls-webpki alone.
    Webpki,
}

/// What the client connects to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HostKind {
    DnsName,
    IpAddress,
}

/// The facts of a case a disagreement depends on, as the property test knows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseFacts {
    pub host: HostKind,
    /// The server's certificate has a subjectAltName of type DNS.
    pub leaf_has_dns_name: bool,
    /// The server's certificate's subject commonName is the host.
    pub leaf_common_name_is_host: bool,
    /// Whether `tlsCAFile` holds a self-signed certificate; `None` without one.
    pub ca_file_has_self_signed: Option<bool>,
}

/// When a disagreement happens: each fact given must be the case's.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct When {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<HostKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leaf_has_dns_name: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leaf_common_name_is_host: Option<bool>,
    /// `false`: a `tlsCAFile` is given and holds no self-signed certificate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file_has_self_signed: Option<bool>,
}

impl When {
    /// Whether every fact this names is the case's.
    pub fn holds(&self, facts: &CaseFacts) -> bool {
        fn agrees<T: PartialEq>(wanted: Option<T>, actual: T) -> bool {
            wanted.is_none_or(|wanted| wanted == actual)
        }
        agrees(self.host, facts.host)
            && agrees(self.leaf_has_dns_name, facts.leaf_has_dns_name)
            && agrees(
                self.leaf_common_name_is_host,
                facts.leaf_common_name_is_host,
            )
            && self
                .ca_file_has_self_signed
                .is_none_or(|wanted| facts.ca_file_has_self_signed == Some(wanted))
    }
}

/// The two verifiers' verdicts on one case, each with its words.
#[derive(Debug, Clone, Copy)]
pub struct Verdicts<'a> {
    pub openssl: Verdict<'a>,
    pub webpki: Verdict<'a>,
}

/// One verifier's verdicts: with the host name checked, and on the chain alone.
#[derive(Debug, Clone, Copy)]
pub struct Verdict<'a> {
    pub ok: bool,
    pub text: &'a str,
    pub path_ok: bool,
    pub path_text: &'a str,
}

impl Verdicts<'_> {
    /// What the verifiers disagree on, if anything: the chain first, since a chain one
    /// refuses leaves it no verdict on the name.
    pub fn disagreement(&self) -> Option<Check> {
        if self.openssl.path_ok != self.webpki.path_ok {
            Some(Check::Path)
        } else if self.openssl.ok != self.webpki.ok {
            Some(Check::Hostname)
        } else {
            None
        }
    }
}

/// One entry of `tests/divergences.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Divergence {
    pub engine: Engine,
    /// `scenario/case`, or `*` for every answer the effect can apply to.
    pub case: String,
    pub effect: Effect,
    /// For [`Effect::DisagreesWithWebpki`]: the verdict they disagree on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<Check>,
    /// For [`Effect::DisagreesWithWebpki`]: the verifier that accepts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted_by: Option<Verifier>,
    /// For [`Effect::DisagreesWithWebpki`]: words of the other's refusal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refused_with: Option<String>,
    /// For [`Effect::DisagreesWithWebpki`]: the facts of the cases it happens on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<When>,
    pub why: String,
}

impl Divergence {
    /// Whether this entry explains the verifiers' disagreement on a case with these facts:
    /// the same verdict, the same verifier accepting, the other refusing in the words given.
    pub fn explains(&self, facts: &CaseFacts, verdicts: &Verdicts) -> bool {
        let (Some(check), Some(accepted_by), Some(refused_with), Some(when)) =
            (self.check, self.accepted_by, &self.refused_with, &self.when)
        else {
            return false;
        };
        if self.effect != Effect::DisagreesWithWebpki
            || verdicts.disagreement() != Some(check)
            || !when.holds(facts)
        {
            return false;
        }
        let (accepting, refusing) = match accepted_by {
            Verifier::Openssl => (verdicts.openssl, verdicts.webpki),
            Verifier::Webpki => (verdicts.webpki, verdicts.openssl),
        };
        let (accepts, refusal) = match check {
            Check::Path => (accepting.path_ok, refusing.path_text),
            Check::Hostname => (accepting.ok, refusing.text),
        };
        accepts && refusal.contains(refused_with.as_str())
    }
}

/// The known disagreements between `openssl verify` and rustls-webpki.
pub fn webpki_disagreements() -> Vec<Divergence> {
    divergences()
        .into_iter()
        .filter(|d| d.effect == Effect::DisagreesWithWebpki)
        .collect()
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
        let disagreement = (d.check, d.accepted_by, d.when.clone());
        assert!(
            seen.insert((d.engine, d.case.clone(), d.effect, disagreement)),
            "listed twice: {d:?}"
        );
        assert!(d.why.len() > 20, "say why: {d:?}");
        let described = d.check.is_some()
            && d.accepted_by.is_some()
            && d.refused_with.as_ref().is_some_and(|w| !w.is_empty())
            && d.when.as_ref().is_some_and(|w| *w != When::default());
        let unexplained = d.check.is_none()
            && d.accepted_by.is_none()
            && d.refused_with.is_none()
            && d.when.is_none();
        assert!(
            if d.effect == Effect::DisagreesWithWebpki {
                described
            } else {
                unexplained
            },
            "a disagreement says what, who accepts, the refusal's words and when; nothing \
             else does: {d:?}"
        );
    }
}
