//! `pkigen serve --all`: every case of every scenario from one process, each on its own
//! loopback port, listed in one JSON line; real TLS clients say `hello` to some of them, the
//! OCSP responder listens where the certificates say, and SIGTERM stops it all. Two sets whose
//! responders would answer one serial differently at one address are refused.

use crate::hostile_serve::assert_hello_answered;
use crate::util::{self, NOW, path_arg};
use serde_json::Value;
use std::collections::BTreeSet;

use std::net::{SocketAddr, TcpStream};

#[test]
fn serve_all_serves_every_case_of_every_scenario_until_sigterm() {
    let out = util::tempdir();
    util::generate(out.path(), &["all"], 31, NOW, &["--no-validate"]);
    let (child, served) = util::serve_all(out.path());

    let mut expected = BTreeSet::new();
    let mut ports = BTreeSet::new();
    let mut responders = BTreeSet::new();
    for dir in util::scenario_dirs(out.path()) {
        let manifest = util::read_json(&dir.join("manifest.json"));
        let scenario = manifest["scenario"].as_str().unwrap();
        for case in manifest["cases"].as_array().unwrap() {
            let id = format!("{scenario}/{}", case["name"].as_str().unwrap());
            let entry = served
                .get(&id)
                .unwrap_or_else(|| panic!("{id}: not served"));
            let address: SocketAddr = entry["address"].as_str().unwrap().parse().unwrap();
            assert!(
                address.ip().is_loopback() && address.port() != 0,
                "{id}: {address}"
            );
            assert!(ports.insert(address.port()), "{id}: {address} twice");
            // The case's own connection string, the bound port after its host.
            let host = case["client"]["host"].as_str().unwrap();
            let uri = case["client"]["uri"].as_str().unwrap();
            let prefix = format!("mongodb://{host}/");
            let want = format!(
                "mongodb://{host}:{}/{}",
                address.port(),
                uri.strip_prefix(&prefix).unwrap()
            );
            assert_eq!(entry["uri"], want.as_str(), "{id}");
            if let Some(url) = case["server"]["ocsp_responder"]["url"].as_str() {
                responders.insert(url.to_string());
            }
            expected.insert(id);
        }
    }
    let keys: BTreeSet<String> = served.keys().cloned().collect();
    assert_eq!(keys, expected, "one entry per case of every manifest");
    let line = out.path().join("serve-all.json");
    std::fs::write(&line, Value::Object(served.clone()).to_string()).unwrap();
    crate::schemas::assert_conform(&[("serve-all.schema.json", line)]);

    // Real TLS clients, each trusting its scenario's CA, are answered at their case's port.
    for (scenario, case) in [
        ("enable-tls", "ca-file"),
        ("ca-file", "chain-from-server"),
        ("ocsp", "valid-stapled"),
    ] {
        let address = served[&format!("{scenario}/{case}")]["address"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        assert_hello_answered(&out.path().join(scenario), address);
    }
    // The responder listens at the address the certificates name.
    assert!(!responders.is_empty(), "some case runs a responder");
    for url in &responders {
        let authority = url
            .strip_prefix("http://")
            .and_then(|r| r.split('/').next())
            .unwrap();
        TcpStream::connect(authority)
            .unwrap_or_else(|e| panic!("the OCSP responder at {url}: {e}"));
    }

    let output = util::terminate(child);
    util::assert_exit(&output, 0, "serve --all stopped by SIGTERM");
    let stderr = util::stderr(&output);
    assert!(stderr.contains("stopped"), "{}", util::describe(&output));
    assert_eq!(
        stderr.matches("OCSP responder on").count(),
        responders.len(),
        "one responder per URL: {}",
        util::describe(&output)
    );
}

/// Two folders naming one responder URL share it when they agree on every serial, and are
/// refused, before anything is bound, when they do not.
#[test]
fn serve_all_shares_a_responder_url_only_between_sets_that_agree() {
    let out = util::tempdir();
    util::generate(out.path(), &["ocsp"], 32, NOW, &["--no-validate"]);
    let copy = out.path().join("ocsp-copy");
    std::fs::create_dir(&copy).unwrap();
    for entry in std::fs::read_dir(out.path().join("ocsp")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), copy.join(entry.file_name())).unwrap();
    }
    let manifest_path = copy.join("manifest.json");
    let mut manifest = util::read_json(&manifest_path);
    manifest["scenario"] = "ocsp-copy".into();
    std::fs::write(&manifest_path, manifest.to_string()).unwrap();

    let (child, served) = util::serve_all(out.path());
    assert!(served.contains_key("ocsp/valid-responder"), "{served:?}");
    assert!(
        served.contains_key("ocsp-copy/valid-responder"),
        "{served:?}"
    );
    let output = util::terminate(child);
    util::assert_exit(&output, 0, "serve --all of two agreeing sets");
    // The copy names the same URLs, so it adds no responder of its own.
    let urls: BTreeSet<&str> = manifest["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|case| case.pointer("/server/ocsp_responder/url"))
        .filter_map(Value::as_str)
        .collect();
    assert!(!urls.is_empty(), "the ocsp scenario runs a responder");
    assert_eq!(
        util::stderr(&output).matches("OCSP responder on").count(),
        urls.len(),
        "{}",
        util::describe(&output)
    );

    // The copy now answers the good certificate's serial with the revoked response.
    for case in manifest["cases"].as_array_mut().unwrap() {
        let responses = case
            .pointer_mut("/server/ocsp_responder/responses")
            .and_then(Value::as_object_mut);
        let Some(responses) = responses else {
            continue;
        };
        for file in responses.values_mut() {
            if file == "ocsp-good.der" {
                *file = "ocsp-revoked.der".into();
            }
        }
    }
    std::fs::write(&manifest_path, manifest.to_string()).unwrap();
    let refused = util::run(["serve", path_arg(out.path()), "--all"]);
    util::assert_usage_error(
        &refused,
        &["OCSP responder", "ocsp/", "ocsp-copy/"],
        "serve --all of two sets whose responders disagree",
    );
    assert!(refused.stdout.is_empty(), "{}", util::describe(&refused));
}

/// `--all` takes neither `--case` nor `--listen`.
#[test]
fn serve_all_conflicts_with_case_and_listen() {
    let (_out, dir) = util::scenario("enable-tls", 3, &[]);
    let dir = path_arg(&dir);
    for (extra, named) in [
        (["--case", "ca-file"], "--case"),
        (["--listen", "127.0.0.1:0"], "--listen"),
    ] {
        let output = util::run(["serve", dir, "--all", extra[0], extra[1]]);
        util::assert_usage_error(&output, &["--all", named], "serve --all with {named}");
    }
}
