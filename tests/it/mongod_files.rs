//! The files and settings each case's manifest gives mongod, run by the engine mongod uses:
//! OpenSSL, as `openssl s_server` started with exactly the files and settings of the case's
//! mongod command line (translated option by option; an option with no translation fails the
//! test), with the case's own client connecting to it: the context PyMongo builds from the
//! case's connection string (`tests/python/mongod_clients.py`). mongod itself is not run.
//!
//! mongod's options as s_server's: `--tlsCertificateKeyFile F` is `-cert F -key F`, and, where
//! F holds intermediates, `-chainCAfile F`, from which s_server sends the chain that file holds,
//! as mongod's `SSL_CTX_use_certificate_chain_file` does (`-cert_chain` would send the leaf
//! twice); `--tlsCAFile` is `-CAfile`; client certificates are required (`-Verify 1`) unless
//! `--tlsAllowConnectionsWithoutCertificates` (`-verify 1`), and a bad one refused
//! (`-verify_return_error`); `--tlsDisabledProtocols` is `-no_tls1`…`-no_tls1_3`;
//! `opensslCipherConfig` is `-cipher` and `opensslCipherSuiteConfig` `-ciphersuites`.
//! `ocspEnabled` has none here: mongod fetches its staple from the responder the certificate
//! names, which no file holds; `s_server -status` does the same, and the last test checks with
//! it that each stapling case's note says truly which staple mongod would send. Each distinct
//! server runs once, for all its cases.
//!
//! What each case must show:
//! - a case whose outcome does not hinge on OCSP: the manifest's outcome and reason (the CRL
//!   cases too: PyMongo's context carries the client's CRL);
//! - a configuration error: PyMongo still refuses the options before connecting, for the
//!   manifest's reason; its server's start-up is proven by the other cases of that server,
//!   since every server started must serve at least one case that reaches it;
//! - an OCSP case (its server staples or runs a responder, or its reason is `ocsp-*`): only that
//!   its server starts and the handshake completes (accept). Its outcome hinges on the client's
//!   OCSP checks, which Python's ssl does not make, and on a staple mongod fetches itself;
//!   pkigen's validator and PyMongo with `pymongo[ocsp]` judge those (`interop`).
//!
//! The `mongod.conf` of every case must say what its command line says (`net.tls.X` is
//! `--tlsX`, each `setParameter` a `--setParameter name=value`), so it is proven with it.
//! Python's `ssl` also loads every chain-and-key file as a server's certificate and key.

use crate::harness::{self, Engine, HarnessResult};
use crate::python::{python, script};
use crate::util::{self, NOW};
use pkigen::Outcome;
use pkigen::fixtures::manifest::{Case, Expect, Manifest};
use pkigen::fixtures::mongod::MongodNote;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// A running `openssl s_server`, stopped when dropped.
struct SServer {
    child: Child,
    address: String,
}

impl Drop for SServer {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

/// The number of certificates in a PEM file.
fn certificates_in(path: &Path) -> usize {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    util::pem_blocks(&text)
        .iter()
        .filter(|block| block.starts_with("-----BEGIN CERTIFICATE-----"))
        .count()
}

/// `s_server`'s flags for a mongod command line run in `dir` (see the module's comment).
fn s_server_flags(dir: &Path, args: &[String]) -> Vec<String> {
    let mut flags: Vec<String> = Vec::new();
    let mut client_certificates = "-Verify";
    let mut args = args.iter().map(String::as_str);
    assert_eq!(args.next(), Some("mongod"), "{args:?}");
    while let Some(option) = args.next() {
        let mut value = || {
            args.next()
                .unwrap_or_else(|| panic!("mongod's {option} without its value"))
        };
        match option {
            "--tlsMode" => assert_eq!(value(), "requireTLS"),
            "--tlsCertificateKeyFile" => {
                let file = value();
                flags.extend(["-cert", file, "-key", file].map(String::from));
                if certificates_in(&dir.join(file)) > 1 {
                    flags.extend(["-chainCAfile", file].map(String::from));
                }
            }
            "--tlsCAFile" => flags.extend(["-CAfile", value()].map(String::from)),
            "--tlsAllowConnectionsWithoutCertificates" => client_certificates = "-verify",
            "--tlsDisabledProtocols" => {
                for protocol in value().split(',') {
                    let flag = match protocol {
                        "TLS1_0" => "-no_tls1",
                        "TLS1_1" => "-no_tls1_1",
                        "TLS1_2" => "-no_tls1_2",
                        "TLS1_3" => "-no_tls1_3",
                        other => panic!("mongod disables no protocol called {other}"),
                    };
                    flags.push(flag.into());
                }
            }
            "--setParameter" => {
                let parameter = value();
                let (name, setting) = parameter
                    .split_once('=')
                    .unwrap_or_else(|| panic!("--setParameter {parameter}: no '='"));
                match name {
                    "opensslCipherConfig" => flags.extend(["-cipher", setting].map(String::from)),
                    "opensslCipherSuiteConfig" => {
                        flags.extend(["-ciphersuites", setting].map(String::from))
                    }
                    "ocspEnabled" => assert!(matches!(setting, "true" | "false"), "{setting}"),
                    other => panic!("no s_server equivalent for mongod's {other}"),
                }
            }
            other => panic!("no s_server equivalent for mongod's {other}: extend s_server_flags"),
        }
    }
    flags.extend([client_certificates, "1", "-verify_return_error"].map(String::from));
    flags
}

/// Starts `openssl s_server -rev` in `dir` with `flags` on a free loopback port; its output
/// goes to `scratch`.
fn start(dir: &Path, flags: &[String], scratch: &Path, n: usize) -> SServer {
    let stdout = scratch.join(format!("s_server-{n}.out"));
    let stderr = scratch.join(format!("s_server-{n}.err"));
    let mut child = util::tool("openssl")
        .args(["s_server", "-accept", "127.0.0.1:0", "-rev"])
        .args(flags)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&stdout).unwrap())
        .stderr(std::fs::File::create(&stderr).unwrap())
        .spawn()
        .expect("openssl must be installed");
    let started = Instant::now();
    loop {
        let text = std::fs::read_to_string(&stdout).unwrap_or_default();
        if let Some(line) = text.lines().find(|l| l.starts_with("ACCEPT ")) {
            let address = line["ACCEPT ".len()..].trim().to_string();
            return SServer { child, address };
        }
        let exited = child.try_wait().unwrap();
        if exited.is_some() || started.elapsed() > Duration::from_secs(20) {
            child.kill().ok();
            panic!(
                "openssl s_server {} in {} did not start ({exited:?}):\n{}",
                flags.join(" "),
                dir.display(),
                std::fs::read_to_string(&stderr).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The command line a case's `mongod.conf` amounts to: `net.tls.X: V` is `--tlsX V` (a
/// `true` switch is `--tlsX` alone) and each `setParameter` entry `--setParameter name=value`.
fn conf_as_args(conf: &str) -> Vec<String> {
    let mut args = vec!["mongod".to_string()];
    let mut section = Vec::new();
    for line in conf.lines() {
        let depth = line.len() - line.trim_start().len();
        let (key, value) = line.trim().split_once(':').expect("a YAML mapping entry");
        let value = value.trim();
        section.truncate(depth / 2);
        if value.is_empty() {
            section.push(key.to_string());
            continue;
        }
        let value = serde_json::from_str::<String>(value).unwrap_or(value.to_string());
        match section.join(".").as_str() {
            "net.tls" => {
                let mut name = key.to_string();
                name[..1].make_ascii_uppercase();
                args.push(format!("--tls{name}"));
                if value != "true" {
                    args.push(value);
                }
            }
            "setParameter" => args.extend(["--setParameter".into(), format!("{key}={value}")]),
            other => panic!("mongod.conf section {other:?} has no command-line form here"),
        }
    }
    args
}

/// Whether a case's outcome hinges on OCSP, which Python's ssl does not check.
fn hinges_on_ocsp(case: &Case) -> bool {
    case.server.ocsp_staple.is_some()
        || case.server.ocsp_responder.is_some()
        || case
            .expect
            .reason
            .is_some_and(|r| r.as_str().starts_with("ocsp-"))
}

/// What Python's ssl with PyMongo's context must observe against the case's s_server.
fn observable(case: &Case) -> Expect {
    if case.expect.outcome != Outcome::ConfigError && hinges_on_ocsp(case) {
        Expect::ACCEPT
    } else {
        case.expect
    }
}

fn manifest(dir: &Path) -> Manifest {
    serde_json::from_value(util::read_json(&dir.join("manifest.json"))).expect("a pkigen manifest")
}

/// Starts one s_server per distinct server of the scenario folders `dirs`, connects every
/// case's client to its own, and asserts what each must show. Returns how many cases were
/// judged in full (configuration errors included), how many handshake-only (OCSP), and how
/// many servers ran.
fn prove_with_s_server(dirs: &[PathBuf], label: &str) -> (usize, usize, usize) {
    let scratch = util::tempdir();
    let mut servers: BTreeMap<(PathBuf, Vec<String>), SServer> = BTreeMap::new();
    let mut server_of: BTreeMap<String, (PathBuf, Vec<String>)> = BTreeMap::new();
    let mut cases: BTreeMap<String, Case> = BTreeMap::new();
    for dir in dirs {
        let manifest = manifest(dir);
        for case in manifest.cases {
            let subject = format!("{}/{}", manifest.scenario, case.name);
            let mongod = case
                .mongod
                .as_ref()
                .unwrap_or_else(|| panic!("{label} {subject}: no mongod section"));
            assert_eq!(
                conf_as_args(&mongod.conf),
                mongod.args,
                "{label} {subject}: mongod.conf does not say what the command line says"
            );
            let key = (dir.clone(), s_server_flags(dir, &mongod.args));
            if !servers.contains_key(&key) {
                let server = start(dir, &key.1, scratch.path(), servers.len());
                servers.insert(key.clone(), server);
            }
            server_of.insert(subject.clone(), key);
            cases.insert(subject, case);
        }
    }
    let addresses: BTreeMap<&String, &String> = server_of
        .iter()
        .map(|(subject, key)| (subject, &servers[key].address))
        .collect();
    let map = scratch.path().join("servers.json");
    std::fs::write(&map, serde_json::to_vec(&addresses).unwrap()).unwrap();
    let output = util::tool(python())
        .arg(script("mongod_clients.py"))
        .arg(&map)
        .args(dirs)
        .stdin(Stdio::null())
        .output()
        .expect("run mongod_clients.py");
    util::assert_exit(&output, 0, "mongod_clients.py");
    drop(servers);

    let mut failures = Vec::new();
    let mut seen = BTreeSet::new();
    let mut reached: BTreeSet<&(PathBuf, Vec<String>)> = BTreeSet::new();
    let (mut full, mut refused, mut handshake_only) = (0, 0, 0);
    for line in harness::parse_lines(&util::stdout(&output), "mongod_clients.py") {
        assert_eq!(line.engine, Engine::Openssl, "{line:?}");
        let subject = line.subject().to_string();
        let case = &cases[&subject];
        assert!(seen.insert(subject.clone()), "{subject} reported twice");
        let HarnessResult::Observed {
            outcome,
            reason,
            message,
        } = line.result
        else {
            failures.push(format!("{subject}: not an observation: {:?}", line.result));
            continue;
        };
        if outcome != Outcome::ConfigError {
            reached.insert(&server_of[&subject]);
        }
        let expect = observable(case);
        if case.expect.outcome == Outcome::ConfigError {
            refused += 1;
        } else if hinges_on_ocsp(case) {
            handshake_only += 1;
        } else {
            full += 1;
        }
        let shown = |r: Option<pkigen::Reason>| r.map_or("", |r| r.as_str());
        println!(
            "{label} {subject:<60} expects {:<13} {:<22} s_server: {} {}",
            expect.outcome.as_str(),
            shown(expect.reason),
            outcome.as_str(),
            shown(reason)
        );
        if outcome != expect.outcome || (expect.reason.is_some() && reason != expect.reason) {
            failures.push(format!(
                "{subject}: expects {expect}, observed {} {} ({message}); s_server {}",
                outcome.as_str(),
                shown(reason),
                server_of[&subject].1.join(" ")
            ));
        }
    }
    let unseen: Vec<&String> = cases.keys().filter(|s| !seen.contains(*s)).collect();
    assert!(unseen.is_empty(), "{label}: cases not run: {unseen:?}");
    let unreached: Vec<String> = server_of
        .values()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .filter(|key| !reached.contains(key))
        .map(|(dir, flags)| format!("{}: {}", dir.display(), flags.join(" ")))
        .collect();
    assert!(
        unreached.is_empty(),
        "{label}: servers no case reached (so nothing proves they start): {unreached:?}"
    );
    assert!(
        failures.is_empty(),
        "{label}: {} case(s) disagree:\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
    let server_count = reached.len();
    println!(
        "{label}: {full} handshakes judged in full, {refused} configuration errors, \
         {handshake_only} handshake-only (OCSP); {server_count} s_server configurations"
    );
    (full + refused, handshake_only, server_count)
}

/// Every case of the catalogue, with the default key type.
#[test]
fn every_case_holds_against_s_server_started_as_its_mongod() {
    let out = util::tempdir();
    util::generate(out.path(), &["all"], 23, NOW, &["--no-validate"]);
    let dirs = util::scenario_dirs(out.path());
    assert_eq!(dirs.len(), util::SCENARIOS.len());
    let (full, handshake_only, servers) = prove_with_s_server(&dirs, "ecdsa-p256");
    let cases = util::expectations(&dirs).len();
    assert_eq!(full + handshake_only, cases);
    // The OCSP scenario's cases, and troubleshooting's stapled one, are the handshake-only ones.
    assert!(
        handshake_only < cases / 2 && full > cases / 2,
        "{full} {handshake_only}"
    );
    assert!(servers >= 20, "{servers}");
}

/// The cipher restriction names RSA or ECDSA suites by the key type, and Ed25519 keys take
/// another path through OpenSSL: the scenarios with server-side settings, with those keys.
#[test]
fn server_settings_hold_for_rsa_and_ed25519_keys() {
    for key_type in ["rsa-2048", "ed25519"] {
        let out = util::tempdir();
        util::generate(
            out.path(),
            &["troubleshooting", "client-cert", "ca-file"],
            24,
            NOW,
            &["--no-validate", "--key-type", key_type],
        );
        prove_with_s_server(&util::scenario_dirs(out.path()), key_type);
    }
}

/// Every chain-and-key file, for each key type: private (0600), the chain its cases' servers
/// send followed by their key, byte for byte, and loaded by Python's `ssl` as a server's
/// certificate chain and key (`load_cert_chain` refuses a key that does not match). The
/// catalogue's server keys are not encrypted, so none needs a password
/// (`--tlsCertificateKeyFilePassword`).
#[test]
fn pythons_ssl_loads_every_chain_and_key_file() {
    use std::os::unix::fs::PermissionsExt;
    let out = util::tempdir();
    let mut paths = Vec::new();
    for key_type in ["ecdsa-p256", "rsa-2048", "ed25519"] {
        let root = out.path().join(key_type);
        util::generate(
            &root,
            &["all"],
            25,
            NOW,
            &["--no-validate", "--key-type", key_type],
        );
        for dir in util::scenario_dirs(&root) {
            let manifest = manifest(&dir);
            for file in manifest
                .files
                .iter()
                .filter(|f| f.kind == pkigen::fixtures::manifest::FileKind::ChainAndKey)
            {
                let path = dir.join(&file.path);
                let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
                assert_eq!(mode, 0o600, "{}", path.display());
                assert!(!file.encrypted, "{}", path.display());
                let served: BTreeSet<(&str, &str)> = manifest
                    .cases
                    .iter()
                    .filter(|c| c.mongod.as_ref().unwrap().certificate_key_file == file.path)
                    .map(|c| {
                        (
                            c.server.certificate_chain.as_str(),
                            c.server.private_key.as_str(),
                        )
                    })
                    .collect();
                assert_eq!(served.len(), 1, "{}: {served:?}", path.display());
                let (chain, key) = served.into_iter().next().unwrap();
                let expected = [
                    std::fs::read(dir.join(chain)).unwrap(),
                    std::fs::read(dir.join(key)).unwrap(),
                ]
                .concat();
                assert_eq!(
                    std::fs::read(&path).unwrap(),
                    expected,
                    "{}",
                    path.display()
                );
                paths.push(path);
            }
        }
    }
    let program = "import ssl, sys\n\
                   for path in sys.argv[1:]:\n    \
                       ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER).load_cert_chain(path)\n    \
                       print(path)\n";
    let output = util::tool("python3")
        .args(["-c", program])
        .args(&paths)
        .output()
        .expect("python3 must be installed");
    util::assert_exit(&output, 0, "python3 load_cert_chain");
    let loaded: Vec<PathBuf> = util::stdout(&output).lines().map(PathBuf::from).collect();
    assert_eq!(loaded, paths);
    println!("{} chain-and-key files loaded", paths.len());
    assert!(paths.len() >= 3 * 20, "{}", paths.len());
}

/// The staple a client gets from the s_server at `address` in `dir` (`s_client -status`), as
/// OpenSSL prints it, or `None` where the server staples nothing.
fn stapled_by(address: &str, dir: &Path) -> Option<String> {
    let output = util::tool("openssl")
        .args([
            "s_client", "-connect", address, "-status", "-CAfile", "ca.pem",
        ])
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("openssl must be installed");
    let text = util::stdout(&output);
    let rule = "======================================\n";
    let after = text.split_once(&format!("OCSP response: \n{rule}"))?.1;
    let staple = after
        .split_once(rule)
        .unwrap_or_else(|| panic!("an unterminated staple:\n{text}"))
        .0;
    Some(staple.trim_end().to_string())
}

/// A DER OCSP response as OpenSSL prints it.
fn ocsp_text(path: &Path) -> String {
    let output = util::tool("openssl")
        .args(["ocsp", "-resp_text", "-noverify", "-respin"])
        .arg(path)
        .output()
        .expect("openssl must be installed");
    util::assert_exit(
        &output,
        0,
        &format!("openssl ocsp -respin {}", path.display()),
    );
    util::stdout(&output).trim_end().to_string()
}

/// mongod takes no staple file: with `ocspEnabled=true` it fetches the staple from the
/// responder its certificate names, the issuer taken from its CA file. `s_server -status` does
/// the same, so each case whose mongod staples runs it with `pkigen serve --all` answering at
/// the URLs the certificates name. Where the case's note says mongod staples the answer its
/// staple file holds, the staple a client gets must print as that file does (`openssl ocsp
/// -respin`); where it says mongod cannot staple that file, it must not.
#[test]
fn a_server_stapling_from_its_responder_staples_what_the_notes_say() {
    let out = util::tempdir();
    util::generate(
        out.path(),
        &["ocsp", "troubleshooting"],
        26,
        NOW,
        &["--no-validate"],
    );
    let (serve, _) = util::serve_all(&out.path().join("ocsp"));
    let scratch = util::tempdir();
    let mut servers: BTreeMap<(PathBuf, Vec<String>), Option<String>> = BTreeMap::new();
    let mut failures = Vec::new();
    let (mut promised, mut refused) = (0, 0);
    for dir in util::scenario_dirs(out.path()) {
        let manifest = manifest(&dir);
        for case in &manifest.cases {
            let mongod = case.mongod.as_ref().unwrap();
            if mongod.ocsp_enabled != Some(true) {
                continue;
            }
            let subject = format!("{}/{}", manifest.scenario, case.name);
            let staple = case
                .server
                .ocsp_staple
                .as_deref()
                .unwrap_or_else(|| panic!("{subject}: mongod staples where the case does not"));
            let mut flags = s_server_flags(&dir, &mongod.args);
            flags.push("-status".into());
            let key = (dir.clone(), flags);
            if !servers.contains_key(&key) {
                let server = start(&dir, &key.1, scratch.path(), servers.len());
                let stapled = stapled_by(&server.address, &dir);
                servers.insert(key.clone(), stapled);
            }
            let stapled = servers[&key].as_deref();
            let file = ocsp_text(&dir.join(staple));
            let says = |note: &&MongodNote| match note {
                MongodNote::StaplesFromResponder { staple: s, .. } => Some((true, s == staple)),
                MongodNote::NoResponderToStaple { staple: s }
                | MongodNote::CannotStaple { staple: s } => Some((false, s == staple)),
                _ => None,
            };
            match mongod.notes.iter().find_map(|n| says(&n)) {
                Some((true, true)) => {
                    promised += 1;
                    if stapled != Some(file.as_str()) {
                        failures.push(format!("{subject}: stapled {stapled:?}, not {staple}"));
                    }
                }
                Some((false, true)) => {
                    refused += 1;
                    if stapled == Some(file.as_str()) {
                        failures.push(format!(
                            "{subject}: stapled {staple}, which its note denies"
                        ));
                    }
                }
                _ => failures.push(format!(
                    "{subject}: its notes say nothing of {staple}: {:?}",
                    mongod.notes
                )),
            }
        }
    }
    util::terminate(serve);
    println!("{promised} stapled as promised, {refused} not stapled as said");
    assert!(
        failures.is_empty(),
        "{} case(s):\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
    assert!(promised >= 12 && refused >= 6, "{promised} {refused}");
}
