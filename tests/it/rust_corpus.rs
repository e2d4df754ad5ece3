//! Cross-check of `pkigen policy --driver rust` against the Rust driver's own parser
//! (`ClientOptions::parse` of crate `mongodb` 3.9.1, default features, in
//! `tests/rust_driver`'s `rust-driver parse`): a corpus of connection strings in three parts
//! (every ordered pair of TLS option values, the parser's edge cases one by one, and a seeded
//! random mix with letter cases, duplicates, encodings and misspelt names), each answered by
//! both. They must agree on every one: validity, error kind and message, and the resolved TLS
//! fields (`tls`, `allow_invalid_certificates`, `ca_file_path`, `cert_key_file_path`). What
//! pkigen says is beyond its model (user information, the options that are not about TLS,
//! `mongodb+srv://` that would need DNS) is counted apart and bounded, never silently passed.

use crate::rust_driver;
use crate::util;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{Value, json};
use std::io::Write;
use std::process::Stdio;

/// The TLS options (and those the driver does not know), with the values each is tried with.
fn tls_options() -> Vec<(&'static str, Vec<&'static str>)> {
    vec![
        ("tls", vec!["true", "false", "TRUE", ""]),
        ("ssl", vec!["true", "false"]),
        ("tlsInsecure", vec!["true", "false", "1"]),
        ("tlsAllowInvalidCertificates", vec!["true", "false", "yes"]),
        ("tlsCAFile", vec!["ca.pem", "a+b%20c.pem", ""]),
        ("tlsCertificateKeyFile", vec!["client.pem"]),
        ("tlsCertificateKeyFilePassword", vec!["s3cret"]),
        ("tlsCRLFile", vec!["crl.pem"]),
        ("tlsAllowInvalidHostnames", vec!["true"]),
        ("tlsDisableOCSPEndpointCheck", vec!["true"]),
    ]
}

/// Each option value alone, every ordered pair of values of two options, and each option
/// twice (the second time upper-cased).
fn tls_pairs() -> Vec<String> {
    let options = tls_options();
    let mut uris = Vec::new();
    for (name, values) in &options {
        for value in values {
            uris.push(format!("mongodb://localhost/?{name}={value}"));
        }
        uris.push(format!(
            "mongodb://localhost/?{name}={}&{}={}",
            values[0],
            name.to_uppercase(),
            values[0]
        ));
    }
    for (i, (a, a_values)) in options.iter().enumerate() {
        for (j, (b, b_values)) in options.iter().enumerate() {
            if i == j {
                continue;
            }
            for x in a_values {
                for y in b_values {
                    uris.push(format!("mongodb://localhost/?{a}={x}&{b}={y}"));
                }
            }
        }
    }
    uris
}

/// The parser's corners, one by one.
fn edge_cases() -> Vec<String> {
    let queries = [
        "",
        "tls",
        "tls=true&",
        "&tls=true",
        "tls=true&&tlsCAFile=ca.pem",
        "tls=true;tlsCAFile=ca.pem",
        "tls=true#frag",
        "tls=%74rue",
        "%74ls=true",
        "TLS=true",
        "Tls=True",
        "tls=%20true",
        "tls=true%20",
        "tls=true=true",
        "tlsCAFile=ca.pem=x",
        "tlsCAFile=%FF.pem",
        "tlsCAFile=a%2Bb.pem&tls=true",
        "tlsCAFile=%E2%82%AC.pem",
        "tls=true&tlsCAFile=ca.pem&tls=true",
        "tls=true&TLS=false",
        "tls=true&tls=",
        "tlsCAFile=a&TLSCAFILE=b",
        "tlsAllowInvalidCertificates=maybe&tlsallowinvalidcertificates=true",
        "tls=true&ssl=true",
        "tls=true&ssl=false",
        "ssl=false&tls=true",
        "tls=false&ssl=false",
        "tls=false&tlsInsecure=false",
        "tls=false&tlsAllowInvalidCertificates=true",
        "tls=false&tlsCertificateKeyFile=c.pem",
        "tls=false&tlsCertificateKeyFilePassword=pw",
        "tlsInsecure=true&tls=false",
        "tlsInsecure=false&tlsAllowInvalidCertificates=false",
        "tlsAllowInvalidCertificates=true&tlsInsecure=true",
        "tlsInsecure=true&tlsAllowInvalidHostnames=true",
        "tlsInsecure=maybe&tlsAllowInvalidCertificates=true",
        "foo=bar&tls=maybe",
        "tls=maybe&foo=bar",
        "tls=true&foo=bar",
        "tls=true&sslCAFile=ca.pem",
        "tls=true&sslInsecure=true",
        "tls=true&tlsCertificateFile=c.pem",
        "tls=true&tlsPrivateKeyFile=k.pem",
        "tls=true&tlsFIPSMode=true",
        "tls=true&tlsDisableCertificateRevocationCheck=true",
        "tls=true&minVersion=TLSv1.2",
        "tls=true&secureProtocol=TLSv1_2_method",
        "tls=true&ca=ca.pem",
        "tls=true&crl=crl.pem",
        "tls=true&passphrase=pw",
        "tls=true&rejectUnauthorized=false",
        "tls=true&servername=h",
        "tls=true&compressors=zlib",
        "tls=true&proxyHost=p",
        "proxyPort=1080",
        "tls=true&uuidRepresentaton=javaLegacy",
        "tls=true&retrywrite=true",
        "tls=true&appName=x",
        "appName=x&tls=maybe",
        "tls=maybe&appName=x",
        "tls=true&readPreferenceTags=a:b&readPreferenceTags=c:d",
        "tls=true&tlsAllowInvalidCertificate=true",
        "tls=true&tlsCaFile=ca.pem",
        "tls=true&TLSCAFILE=ca.pem",
        "tls=true&tlscafile=",
        "tlsCertificateKeyFile=&tls=true",
    ];
    let mut uris: Vec<String> = queries
        .iter()
        .map(|q| format!("mongodb://localhost/?{q}"))
        .collect();
    uris.extend(
        [
            "localhost/?tls=true",
            "MONGODB://localhost/?tls=true",
            "mongo://localhost/",
            "mongodb://localhost",
            "mongodb://localhost?tls=true",
            "mongodb://localhost/?",
            "mongodb://localhost:27017,other:27018/?tls=true",
            "mongodb://localhost:0/?tls=true",
            "mongodb://localhost:65536/?tls=true",
            "mongodb://localhost:+27017/?tls=true",
            "mongodb://localhost:x/?tls=true",
            "mongodb://localhost:/?tls=true",
            "mongodb://:27017/?tls=true",
            "mongodb:///?tls=true",
            "mongodb://a,,b/?tls=true",
            "mongodb://[::1]:27017/?tls=true",
            "mongodb://[::1]/?tls=true",
            "mongodb://[::1/?tls=true",
            "mongodb://[zz]/?tls=true",
            "mongodb://[::1]x/?tls=true",
            "mongodb://127.0.0.1/?tls=true",
            "mongodb://%2Ftmp%2Fmongodb-27017.sock/?tls=true",
            "mongodb://%FF.sock/?tls=true",
            "mongodb://localhost/db?tls=true",
            "mongodb://localhost/d%20b?tls=true",
            "mongodb://localhost/d$b?tls=true",
            "mongodb://localhost/d%FFb?tls=true",
            "mongodb://localhost/db/x?tls=true",
            "mongodb://user:pw@localhost/?tls=true",
            "mongodb://@localhost/?tls=true",
            "mongodb+srv://cluster.example.com/?tls=true",
            "mongodb+srv://cluster.example.com/?tls=maybe",
            "mongodb+srv://cluster.example.com:27017/",
            "mongodb+srv://a.example.com,b.example.com/",
            "mongodb+srv://%2Ftmp%2Fm.sock/",
            "mongodb+srv://cluster.example.com/?tlsCRLFile=crl.pem",
        ]
        .map(String::from),
    );
    uris
}

/// Option names for the random mix, each with values to pick from.
fn table() -> Vec<(&'static str, Vec<&'static str>)> {
    let mut table = tls_options();
    table.extend([
        ("appName", vec!["x"]),
        ("compressors", vec!["zlib"]),
        ("proxyPassword", vec!["p"]),
        (
            "tlsCAFile",
            vec!["pki/ca%2Bx.pem", "%FFca.pem", "c:%5Cca.pem"],
        ),
    ]);
    table
}

/// `name` with its letters' case changed at random, or misspelt (a letter dropped, doubled or
/// swapped with the next), so that the driver's "similar name" suggestions are exercised.
fn mangled(rng: &mut ChaCha8Rng, name: &str) -> String {
    let mut chars: Vec<char> = name.chars().collect();
    match rng.gen_range(0..10) {
        0..=4 => {}
        5 | 6 => {
            return chars
                .iter()
                .map(|c| {
                    if rng.gen_bool(0.5) {
                        c.to_ascii_uppercase()
                    } else {
                        c.to_ascii_lowercase()
                    }
                })
                .collect();
        }
        7 => {
            let i = rng.gen_range(0..chars.len());
            chars.remove(i);
        }
        8 => {
            let i = rng.gen_range(0..chars.len());
            chars.insert(i, chars[i]);
        }
        _ => {
            if chars.len() > 1 {
                let i = rng.gen_range(0..chars.len() - 1);
                chars.swap(i, i + 1);
            }
        }
    }
    chars.into_iter().collect()
}

/// `count` seeded URIs of one to four options from [`table`].
fn random(seed: u64, count: usize) -> Vec<String> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let table = table();
    (0..count)
        .map(|_| {
            let n = rng.gen_range(1..=4);
            let pairs: Vec<String> = (0..n)
                .map(|_| {
                    let (name, values) = table.choose(&mut rng).unwrap();
                    let value = values.choose(&mut rng).unwrap();
                    format!("{}={value}", mangled(&mut rng, name))
                })
                .collect();
            let host = ["localhost", "127.0.0.1", "localhost:27017", "[::1]:1"]
                .choose(&mut rng)
                .unwrap();
            format!("mongodb://{host}/?{}", pairs.join("&"))
        })
        .collect()
}

/// What the real parser said of each URI, one JSON line each.
fn driver_answers(uris: &[String]) -> Vec<Value> {
    let mut child = rust_driver::command(&["parse"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("run rust-driver parse");
    let mut input = String::new();
    for uri in uris {
        input += &serde_json::to_string(uri).unwrap();
        input.push('\n');
    }
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().expect("rust-driver parse");
    writer.join().unwrap().unwrap();
    util::assert_exit(&output, 0, "rust-driver parse");
    let answers: Vec<Value> = util::stdout(&output)
        .lines()
        .map(|l| util::parse_json(l, "rust-driver parse"))
        .collect();
    assert_eq!(answers.len(), uris.len(), "one answer per URI");
    answers
}

/// `pkigen policy --driver rust --format json --show-secrets URI`, in the driver's answer's
/// shape; `None` where pkigen says the URI is beyond its model.
fn pkigen_answer(uri: &str) -> Option<Value> {
    let output = util::run([
        "policy",
        "--driver",
        "rust",
        "--format",
        "json",
        "--show-secrets",
        "--",
        uri,
    ]);
    let text = util::stdout(&output);
    if text.trim().is_empty() {
        util::assert_exit(&output, 2, uri);
        let error = util::stderr(&output);
        assert!(
            error.contains("does not model") || error.contains("takes no keyword"),
            "{uri}: neither an answer nor a model's limit: {error}"
        );
        return None;
    }
    let answer = util::parse_json(&text, "policy --format json");
    Some(if answer["valid"] == true {
        util::assert_exit(&output, 0, uri);
        let options = &answer["options"];
        json!({
            "ok": true,
            "tls": options["tls"],
            "allow_invalid_certificates": options["allow_invalid_certificates"],
            "ca_file": options.get("ca_file_path").cloned().unwrap_or(Value::Null),
            "cert_key_file": options.get("cert_key_file_path").cloned().unwrap_or(Value::Null),
        })
    } else {
        util::assert_exit(&output, 2, uri);
        json!({"ok": false, "kind": answer["exception"], "message": answer["error"]})
    })
}

/// The driver's answer with `allow_invalid_certificates` unset read as false, as pkigen's
/// policy (and the verifier: only `Some(true)` turns the check off) reads it.
fn normalised(mut answer: Value) -> Value {
    if answer["ok"] == true && answer["allow_invalid_certificates"].is_null() {
        answer["allow_invalid_certificates"] = Value::Bool(false);
    }
    answer
}

#[test]
fn policy_agrees_with_the_rust_driver_on_a_corpus() {
    let seed = util::env_or("PKIGEN_RUST_CORPUS_SEED", 0x5eed_2026_u64);
    let count = util::env_or("PKIGEN_RUST_CORPUS_RANDOM", 300usize);
    println!("seed {seed:#x} (PKIGEN_RUST_CORPUS_SEED reruns it), {count} random URIs");
    let mut uris = tls_pairs();
    uris.extend(edge_cases());
    uris.extend(random(seed, count));
    assert!(uris.len() >= 600, "{} URIs", uris.len());

    let answers = driver_answers(&uris);
    let (mut agreed, mut declined, mut disagreed) = (0, Vec::new(), Vec::new());
    let mut refused = 0;
    for (uri, driver) in uris.iter().zip(answers) {
        let driver = normalised(driver);
        match pkigen_answer(uri) {
            None => declined.push(format!("{uri}  (driver: {driver})")),
            Some(ours) if ours == driver => {
                agreed += 1;
                refused += usize::from(driver["ok"] == false);
            }
            Some(ours) => {
                disagreed.push(format!("{uri}\n    driver: {driver}\n    pkigen: {ours}"))
            }
        }
    }
    for line in &declined {
        println!("not modelled: {line}");
    }
    println!(
        "{} URIs: {agreed} agree with ClientOptions::parse ({refused} of them refused), {} not \
         modelled, {} disagree",
        uris.len(),
        declined.len(),
        disagreed.len()
    );
    assert!(
        disagreed.is_empty(),
        "pkigen's Rust profile disagrees with the driver:\n  {}",
        disagreed.join("\n  ")
    );
    assert!(
        declined.len() * 10 <= uris.len(),
        "more than a tenth of the corpus is beyond the model: {}",
        declined.len()
    );
}
