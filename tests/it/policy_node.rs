//! Cross-check of `pkigen::policy`'s Node.js profile against the driver itself (npm mongodb
//! 7.9.0, installed by `tests/node/ensure_node_modules.sh`): every case goes through
//! `policy::resolve(Driver::Node, …)` and through `tests/node/parse.js` (a real
//! `new MongoClient(uri, options)` in one node process), and the two must agree on validity,
//! error class and message, warnings, and the resolved TLS options. Where pkigen says an
//! option is beyond its model, the answer is counted apart; for Node's own socket options it
//! must be one the driver accepts.

use crate::node;
use crate::node_corpus::{self, Case};
use crate::uri_corpus::{self, Files};
use crate::util;
use pkigen::policy::{self, ClientOptions, Driver, DriverException, DriverWarning};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;

/// One line of `parse.js`, and the same fields from pkigen.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
enum Answer {
    #[serde(rename_all = "camelCase")]
    Client {
        ok: bool,
        tls: bool,
        #[serde(rename = "tlsCAFile")]
        tls_ca_file: Option<String>,
        #[serde(rename = "tlsCRLFile")]
        tls_crl_file: Option<String>,
        tls_certificate_key_file: Option<String>,
        passphrase: Option<Value>,
        reject_unauthorized: Option<Value>,
        skip_server_identity: bool,
        warnings: Vec<String>,
    },
    #[serde(rename_all = "camelCase")]
    Error {
        ok: bool,
        class: String,
        driver_class: bool,
        message: String,
        warnings: Vec<String>,
    },
}

fn shown(warnings: &[DriverWarning]) -> Vec<String> {
    warnings.iter().map(DriverWarning::to_string).collect()
}

/// pkigen's answer, or `None` where it says the case is beyond its model (with why).
fn pkigen_answer(case: &Case) -> Result<Answer, String> {
    let options: ClientOptions =
        serde_json::from_value(Value::Object(case.options.clone())).expect("a JSON object");
    match policy::resolve(Driver::Node, Some(&case.uri), &options) {
        Ok(r) => {
            let p = r.policy;
            Ok(Answer::Client {
                ok: true,
                tls: p.tls,
                tls_ca_file: p.ca_file,
                tls_crl_file: p.crl_file,
                tls_certificate_key_file: p.certificate_key_file,
                passphrase: p.certificate_key_file_password.map(Value::String),
                reject_unauthorized: Some(Value::Bool(!p.allow_invalid_certificates)),
                skip_server_identity: p.allow_invalid_hostnames,
                warnings: shown(&r.warnings),
            })
        }
        Err(e) if e.exception == DriverException::NotModelled(Driver::Node) => Err(e.message),
        Err(e) => Ok(Answer::Error {
            ok: false,
            class: e.exception.class_name().to_string(),
            driver_class: e.exception
                != DriverException::Node(policy::node::NodeException::ConnectionStringParse)
                && e.exception != DriverException::Node(policy::node::NodeException::Uri),
            message: e.message,
            warnings: shown(&e.warnings),
        }),
    }
}

/// The driver's answer with `rejectUnauthorized` unset read as Node's default, true.
fn normalised(answer: Answer) -> Answer {
    match answer {
        Answer::Client {
            reject_unauthorized: None,
            ok,
            tls,
            tls_ca_file,
            tls_crl_file,
            tls_certificate_key_file,
            passphrase,
            skip_server_identity,
            warnings,
        } => Answer::Client {
            ok,
            tls,
            tls_ca_file,
            tls_crl_file,
            tls_certificate_key_file,
            passphrase,
            reject_unauthorized: Some(Value::Bool(true)),
            skip_server_identity,
            warnings,
        },
        other => other,
    }
}

/// The driver's answer to each case, from one node process.
fn driver_answers(cases: &[Case]) -> Vec<Answer> {
    let mut command = node::script("parse.js");
    for var in [
        "MONGODB_LOG_COMMAND",
        "MONGODB_LOG_TOPOLOGY",
        "MONGODB_LOG_SERVER_SELECTION",
        "MONGODB_LOG_CONNECTION",
        "MONGODB_LOG_CLIENT",
        "MONGODB_LOG_ALL",
        "MONGODB_LOG_MAX_DOCUMENT_LENGTH",
        "MONGODB_LOG_PATH",
    ] {
        command.env_remove(var);
    }
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start node (Node.js 20.19 or later must be installed)");
    let mut input = String::new();
    for case in cases {
        let line = json!({"uri": case.uri, "options": Value::Object(case.options.clone())});
        input.push_str(&line.to_string());
        input.push('\n');
    }
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()).unwrap());
    let answers: Vec<Answer> = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .map(|line| {
            let line = line.unwrap();
            serde_json::from_str(&line)
                .unwrap_or_else(|e| panic!("parse.js: not an answer ({e}): {line}"))
        })
        .collect();
    writer.join().unwrap();
    assert!(child.wait().unwrap().success(), "parse.js failed");
    assert_eq!(answers.len(), cases.len(), "one answer per case");
    answers.into_iter().map(normalised).collect()
}

/// What one run found.
#[derive(Default)]
struct Tally {
    agreed: usize,
    valid: usize,
    errors: BTreeMap<String, usize>,
    not_modelled: usize,
    mismatches: Vec<String>,
}

fn compare(cases: &[Case]) -> Tally {
    let answers = driver_answers(cases);
    let mut tally = Tally::default();
    for (case, driver) in cases.iter().zip(answers) {
        let described = || {
            format!(
                "uri={:?} options={}",
                case.uri,
                Value::Object(case.options.clone())
            )
        };
        match pkigen_answer(case) {
            Err(why) => {
                tally.not_modelled += 1;
                // pkigen checks everything else first, so a socket option is only reported
                // on options the driver accepts.
                if why.contains("socket option") && !matches!(driver, Answer::Client { .. }) {
                    tally.mismatches.push(format!(
                        "{}\n  pkigen:  not modelled ({why})\n  driver:  {driver:?}",
                        described()
                    ));
                }
            }
            Ok(ours) if ours == driver => {
                tally.agreed += 1;
                match &driver {
                    Answer::Client { .. } => tally.valid += 1,
                    Answer::Error { class, .. } => {
                        *tally.errors.entry(class.clone()).or_default() += 1
                    }
                }
            }
            Ok(ours) => tally.mismatches.push(format!(
                "{}\n  pkigen:  {ours:?}\n  driver:  {driver:?}",
                described()
            )),
        }
    }
    tally
}

fn check(what: &str, cases: Vec<Case>) {
    let started = std::time::Instant::now();
    let tally = compare(&cases);
    eprintln!(
        "{what}: {} cases in {:.2?}: {} agree ({} valid, errors {:?}), {} not modelled",
        cases.len(),
        started.elapsed(),
        tally.agreed,
        tally.valid,
        tally.errors,
        tally.not_modelled
    );
    assert!(
        tally.mismatches.is_empty(),
        "{what}: {} of {} cases disagree with the driver:\n{}",
        tally.mismatches.len(),
        cases.len(),
        tally.mismatches.join("\n")
    );
    // What pkigen declines to judge is not agreement: at most one case in twenty, and
    // both sides of the parser (clients and refusals) judged.
    assert!(
        tally.not_modelled * 20 <= cases.len(),
        "{what}: {} of {} cases not modelled",
        tally.not_modelled,
        cases.len()
    );
    assert!(
        tally.valid > 0 && tally.agreed > tally.valid,
        "{what}: {} agreed, {} of them valid",
        tally.agreed,
        tally.valid
    );
}

/// The seed of the random part: `PKIGEN_NODE_CORPUS_SEED` / `_SIZE` to explore further.
const SEED: u64 = 0x5eed_0790_0001;
const SIZE: usize = 1200;

/// Every pair of TLS options, each with good, bad and empty values.
#[test]
fn policy_agrees_with_the_node_driver_on_tls_option_pairs() {
    check("TLS option pairs", node_corpus::tls_pairs());
}

/// The parser's edge cases, one by one, with options objects.
#[test]
fn policy_agrees_with_the_node_driver_on_edge_cases() {
    check("edge cases", node_corpus::edge_cases());
}

/// A seeded random mix of TLS and other options, with options objects.
#[test]
fn policy_agrees_with_the_node_driver_on_a_random_corpus() {
    let seed = util::env_or("PKIGEN_NODE_CORPUS_SEED", SEED);
    let size = util::env_or("PKIGEN_NODE_CORPUS_SIZE", SIZE);
    check("random corpus", node_corpus::random(seed, size));
}

/// Well-formed URIs with the characters parsers trip on spliced in.
#[test]
fn policy_agrees_with_the_node_driver_on_mangled_uris() {
    let seed = util::env_or("PKIGEN_NODE_CORPUS_SEED", SEED);
    let size = util::env_or("PKIGEN_NODE_MANGLED_SIZE", 800);
    check("mangled URIs", node_corpus::mutations(seed, size));
}

/// The PyMongo agreement test's corpus, read by Node: connection strings written for
/// another driver's parser.
#[test]
fn policy_agrees_with_the_node_driver_on_the_pymongo_corpus() {
    let files = Files {
        ca: "ca.pem",
        client: "client.pem",
        crl: "crl.pem",
    };
    let seed = util::env_or("PKIGEN_URI_CORPUS_SEED", 0x5eed_0420_0001);
    let size = util::env_or("PKIGEN_NODE_PYMONGO_CORPUS_SIZE", 1200);
    let cases = uri_corpus::corpus(seed, size, &files)
        .into_iter()
        .map(|uri| Case {
            uri,
            options: Map::new(),
        })
        .collect();
    check("pymongo corpus", cases);
}
