//! `pkigen docs --driver node`: every case's JavaScript, run with the real Node.js driver (npm
//! mongodb 7.9.0, installed by `tests/node/ensure_node_modules.sh`) against the real servers
//! of `pkigen serve --all`, must end as that driver ends for the case.
//!
//! Each case's section holds two scripts: `new MongoClient(...)` with a ping, and Node's own
//! `tls.connect`. The test changes them only as a reader who runs them against the served
//! fixtures would: port 27017 becomes the case's served port, and the MongoClient's connection
//! string also gains `/?serverSelectionTimeoutMS=2000`, so that a server the driver refuses is
//! reported after two seconds rather than the driver's default thirty (the error is the same,
//! only sooner). Every script runs from its case's folder, all of them in one node process
//! (`tests/node/run_snippets.js`: a folder's scripts at once, the folders in turn).
//!
//! How a script must end is the Node.js driver's expectation for the case, as the manifest of
//! `scenario all --driver node` holds it (declared in the catalogue where it differs from
//! PyMongo's). A Node manifest pins no client TLS version (no Node connection-string option
//! does), so the scripts of `troubleshooting/tlsv1-alert-protocol-version` pin none either.
//! - accept: the MongoClient script prints `ping ok`, the `tls.connect` one `handshake ok`;
//! - reject: the ping fails with a `MongoServerSelectionError` caused by a `MongoNetworkError`
//!   (the TLS handshake, or a TLS server closing a plaintext connection), and `tls.connect`
//!   fails after its socket exists;
//! - config-error: `new MongoClient` throws, or the ping fails with something other than the
//!   network (a file the driver cannot read or load), and `tls.connect` fails before a socket
//!   exists (reading a file, building the secure context). Where the driver refuses the
//!   options, the `tls.connect` snippet is a comment naming the error, which must be the one
//!   the real driver threw; where the options leave TLS off, it says so.
//!
//! The reason is the deepest error code, read as pkigen's reason by the table of
//! `tests/node/classify.js`, and must be the expected one. Every case is judged; the OCSP cases need nothing of their own, as Node
//! asks no responder and checks no staple, so each is judged on its chain alone (its
//! responder, served too, is never asked).

use crate::docs::code_blocks;
use crate::node;
use crate::util::{self, NOW};
use pkigen::fixtures::manifest::Expect;
use pkigen::{Outcome, Reason};
use serde::Deserialize;
use serde_json::json;
use std::collections::BTreeMap;
use std::io::Write as _;
use std::process::Stdio;
use std::time::Instant;

/// One link of an error's chain (the error, then its `cause`, …).
#[derive(Debug, Deserialize)]
struct Link {
    name: String,
    code: Option<String>,
    /// What `code` means in pkigen's terms, by `tests/node/classify.js`'s table (the one the
    /// real-driver test reads errors with): `None` for a code it does not know.
    reason: Option<Reason>,
    message: String,
}

/// How one script ended, as `run_snippets.js` reports it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Ran {
    id: String,
    /// `finished` (its promise settled), `nothing` (a comment), `threw`, `rejected`, `timeout`.
    ended: String,
    logged: Vec<String>,
    error: Option<Vec<Link>>,
    exit_code: Option<i64>,
    client_made: bool,
    socket_made: bool,
}

impl Ran {
    fn succeeded(&self, says: &str) -> bool {
        self.ended == "finished"
            && self.error.is_none()
            && self.exit_code.is_none()
            && self.logged.first().is_some_and(|l| l.starts_with(says))
    }

    /// The error it printed, after finishing with exit status 1.
    fn failure(&self) -> Option<&[Link]> {
        match &self.error {
            Some(chain) if self.ended == "finished" && self.exit_code == Some(1) => Some(chain),
            _ => None,
        }
    }

    /// The reason of the deepest code in the chain; `other` without any, or for a code the
    /// table does not know.
    fn reason(chain: &[Link]) -> Reason {
        chain
            .iter()
            .rev()
            .find(|l| l.code.is_some())
            .and_then(|l| l.reason)
            .unwrap_or(Reason::Other)
    }

    /// The MongoClient script's outcome.
    fn client_outcome(&self) -> Option<Expect> {
        if self.succeeded("ping ok:") {
            return Some(Expect {
                outcome: Outcome::Accept,
                reason: None,
            });
        }
        let chain = self.failure()?;
        let (outcome, reason) = match chain {
            _ if !self.client_made => (Outcome::ConfigError, Reason::InvalidOptions),
            [selection, network, ..]
                if selection.name == "MongoServerSelectionError"
                    && network.name == "MongoNetworkError" =>
            {
                (Outcome::Reject, Ran::reason(chain))
            }
            _ => (Outcome::ConfigError, Ran::reason(chain)),
        };
        Some(Expect {
            outcome,
            reason: Some(reason),
        })
    }

    /// The `tls.connect` script's outcome; `None` for a comment.
    fn tls_outcome(&self) -> Option<Expect> {
        if self.succeeded("handshake ok:") {
            return Some(Expect {
                outcome: Outcome::Accept,
                reason: None,
            });
        }
        let chain = self.failure()?;
        let outcome = if self.socket_made {
            Outcome::Reject
        } else {
            Outcome::ConfigError
        };
        Some(Expect {
            outcome,
            reason: Some(Ran::reason(chain)),
        })
    }
}

/// A case's two scripts as its section on a page shows them.
struct Scripts {
    mongoclient: String,
    tls_connect: String,
}

#[test]
fn the_javascript_snippets_do_what_the_node_driver_does() {
    let started = Instant::now();
    let out = util::tempdir();
    util::generate(
        out.path(),
        &["all"],
        23,
        NOW,
        &["--no-validate", "--driver", "node"],
    );
    let docs = util::run([
        "docs".as_ref(),
        out.path().as_os_str(),
        "--driver".as_ref(),
        "node".as_ref(),
    ]);
    util::assert_exit(&docs, 0, "pkigen docs --driver node");

    // Every case's section, in every language, shows the same two scripts and no Python.
    let dirs = util::scenario_dirs(out.path());
    let expected = util::expectations(&dirs);
    let mut scripts: BTreeMap<String, Scripts> = BTreeMap::new();
    for dir in &dirs {
        let manifest = util::read_json(&dir.join("manifest.json"));
        let scenario = manifest["scenario"].as_str().unwrap();
        for lang in ["en", "ja", "zh", "ko"] {
            let page = util::page(out.path(), lang, scenario);
            assert!(
                code_blocks(&page, "python").is_empty(),
                "{lang}/{scenario}: no Python"
            );
            for case in manifest["cases"].as_array().unwrap() {
                let name = case["name"].as_str().unwrap();
                let section = page.split(&format!("\n### {name}\n")).nth(1).unwrap();
                let section = &section[..section.find("\n### ").unwrap_or(section.len())];
                let blocks = code_blocks(section, "javascript");
                let id = format!("{scenario}/{name}");
                assert_eq!(blocks.len(), 2, "{lang}/{id}: two scripts");
                let shown = Scripts {
                    mongoclient: blocks[0].to_string(),
                    tls_connect: blocks[1].to_string(),
                };
                match scripts.get(&id) {
                    Some(en) => assert!(
                        en.mongoclient == shown.mongoclient && en.tls_connect == shown.tls_connect,
                        "{lang}/{id}: the scripts of the English page"
                    ),
                    None => {
                        scripts.insert(id, shown);
                    }
                }
            }
        }
    }
    assert_eq!(
        scripts.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>()
    );

    // Every script, with the served port, from its case's folder, in one node process.
    let _one_at_a_time = util::one_driver_run_at_a_time();
    let (serve, served) = util::serve_all(out.path());
    let mut jobs = Vec::new();
    for (id, shown) in &scripts {
        let port = served[id]["address"]
            .as_str()
            .and_then(|a| a.rsplit_once(':'))
            .unwrap()
            .1;
        let scenario = id.split('/').next().unwrap();
        let dir = out.path().join(scenario);
        assert_eq!(
            shown.mongoclient.matches(":27017\"").count(),
            1,
            "{id}: one connection string\n{}",
            shown.mongoclient
        );
        let mongoclient = shown.mongoclient.replace(
            ":27017\"",
            &format!(":{port}/?serverSelectionTimeoutMS=2000\""),
        );
        let comment = shown.tls_connect.lines().all(|l| l.starts_with("//"));
        assert!(
            comment || shown.tls_connect.matches("port: 27017,").count() == 1,
            "{id}: one port\n{}",
            shown.tls_connect
        );
        let tls_connect = shown
            .tls_connect
            .replace("port: 27017,", &format!("port: {port},"));
        jobs.push(json!({"id": format!("{id}#mongoclient"), "dir": dir, "code": mongoclient}));
        jobs.push(json!({"id": format!("{id}#tls.connect"), "dir": dir, "code": tls_connect}));
    }
    let ran = run_snippets(&jobs);
    util::terminate(serve);

    let mut failures = Vec::new();
    for (id, shown) in &scripts {
        let node_expects = expected[id];
        let client = &ran[&format!("{id}#mongoclient")];
        let tls = &ran[&format!("{id}#tls.connect")];
        let client_outcome = client.client_outcome();
        if client_outcome != Some(node_expects) {
            failures.push(format!(
                "{id}: MongoClient expected {node_expects}, got {client_outcome:?}: {client:?}"
            ));
        }
        match tls.tls_outcome() {
            Some(outcome) if outcome == node_expects => {}
            Some(outcome) => failures.push(format!(
                "{id}: tls.connect expected {node_expects}, got {outcome}: {tls:?}"
            )),
            None if tls.ended == "nothing" => {
                if let Some(problem) = unexplained_comment(&shown.tls_connect, client) {
                    failures.push(format!("{id}: {problem}\n{}", shown.tls_connect));
                }
            }
            None => failures.push(format!("{id}: tls.connect did not end: {tls:?}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases:\n{}",
        failures.len(),
        scripts.len(),
        failures.join("\n")
    );
    assert!(scripts.len() >= 100, "only {} cases", scripts.len());

    crate::translated_pages::assert_no_english_prose(out.path(), &dirs);
    crate::translated_pages::assert_every_difference_says_why(
        out.path(),
        &dirs,
        pkigen::policy::Driver::Node,
        17,
    );
    eprintln!(
        "{} cases, {} scripts run in {:.1?} (all told)",
        scripts.len(),
        jobs.len(),
        started.elapsed()
    );
}

/// Why a `tls.connect` snippet that is only a comment does not say what the real driver did
/// with the MongoClient script: either the driver threw from `new MongoClient` (the comment
/// must name that error, class and message) or TLS stayed off (the comment says plaintext).
fn unexplained_comment(comment: &str, client: &Ran) -> Option<String> {
    if !client.client_made {
        let chain = client.error.as_deref().unwrap_or_default();
        let thrown = chain
            .first()
            .map(|e| format!("{}: {}", e.name, e.message))
            .unwrap_or_default();
        return (!comment.contains(&format!("(new MongoClient throws): {thrown}")))
            .then(|| format!("the comment does not name what the driver threw: {thrown}"));
    }
    let plaintext = client
        .failure()
        .and_then(|chain| chain.get(1))
        .is_some_and(|e| e.name == "MongoNetworkError" && e.code.is_none());
    (!(plaintext && comment.contains("connects in plaintext"))).then(|| {
        format!("a comment, but the driver did not refuse the options nor connect in plaintext: {client:?}")
    })
}

/// `run_snippets.js` over `jobs`, by id.
fn run_snippets(jobs: &[serde_json::Value]) -> BTreeMap<String, Ran> {
    let mut child = node::script("run_snippets.js")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node must be installed");
    let input = serde_json::to_vec(jobs).unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let output = child.wait_with_output().unwrap();
    util::assert_exit(&output, 0, "node tests/node/run_snippets.js");
    let ran: BTreeMap<String, Ran> = util::stdout(&output)
        .lines()
        .map(|line| {
            let ran: Ran = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("run_snippets.js: {e}: {line}"));
            (ran.id.clone(), ran)
        })
        .collect();
    assert_eq!(ran.len(), jobs.len(), "a line per script");
    ran
}
