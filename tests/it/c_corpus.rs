//! `pkigen policy --driver c` against libmongoc itself: a corpus of connection strings goes
//! through the real `mongoc_uri_new_with_error` (`tests/c/parse.c`, one process for all) and
//! through pkigen's profile, and the two must agree on every one: whether it parses, the
//! error's message, the `WARNING` log lines, and every TLS setting a client takes from it
//! (`tlsDisableCertificateRevocationCheck` included). What pkigen declines to model is
//! counted apart and bounded, never passed silently. The corpus is a fixed part (every TLS
//! boolean with many values, the file options with TLS on and off, every pair of TLS
//! booleans, duplicates, letter case, `ssl*` names, unknown options, query syntax, hosts)
//! and a seeded random part (`PKIGEN_C_CORPUS_SEED`, `PKIGEN_C_CORPUS_SIZE`).

use crate::{c, util};
use pkigen::policy::{self, ClientOptions, Driver};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{Value, json};
use std::io::Write;
use std::process::Stdio;

const B: &str = "mongodb://localhost/?";

const BOOLS: [&str; 9] = [
    "tls",
    "ssl",
    "tlsInsecure",
    "tlsAllowInvalidCertificates",
    "tlsAllowInvalidHostnames",
    "tlsDisableOCSPEndpointCheck",
    "tlsDisableCertificateRevocationCheck",
    "sslAllowInvalidCertificates",
    "sslAllowInvalidHostnames",
];

const VALUES: [&str; 28] = [
    "true", "false", "TRUE", "True", "FALSE", "1", "0", "-1", "2", "yes", "YES", "no", "NO", "y",
    "Y", "n", "N", "t", "T", "f", "F", "on", "off", "maybe", "", "%20true", "true%20", "tru%65",
];

const FILES: [&str; 12] = [
    "tlsCAFile",
    "tlsCertificateKeyFile",
    "tlsCertificateKeyFilePassword",
    "tlsCRLFile",
    "sslCertificateAuthorityFile",
    "sslClientCertificateKeyFile",
    "sslClientCertificateKeyPassword",
    "sslPEMKeyFile",
    "sslCAFile",
    "sslCRLFile",
    "tlsCertificateFile",
    "tlsPrivateKeyFile",
];

/// The fixed part.
fn fixed() -> Vec<String> {
    let mut out = vec![format!("{B}"), format!("{B}tls=true")];
    for b in BOOLS {
        for v in VALUES {
            out.push(format!("{B}{b}={v}"));
            if b != "tls" && b != "ssl" {
                out.push(format!("{B}tls=true&{b}={v}"));
            }
        }
        out.push(format!("{B}{b}"));
    }
    for f in FILES {
        for q in [
            format!("{f}=x.pem"),
            format!("tls=true&{f}=x.pem"),
            format!("tls=false&{f}=x.pem"),
            format!("tls=true&{f}="),
            format!("{f}="),
        ] {
            out.push(format!("{B}{q}"));
        }
    }
    for b in &BOOLS[2..] {
        for q in ["tls=false", "ssl=false"] {
            out.push(format!("{B}{q}&{b}=true"));
            out.push(format!("{B}{q}&{b}=false"));
        }
    }
    for (i, a) in BOOLS[..7].iter().enumerate() {
        for b in &BOOLS[i + 1..7] {
            for va in ["true", "false"] {
                for vb in ["true", "false", ""] {
                    out.push(format!("{B}{a}={va}&{b}={vb}"));
                }
            }
            out.push(format!("{B}tls=true&{b}=true&{a}=maybe"));
        }
    }
    let queries = [
        "tls=true&tlsInsecure=true&sslAllowInvalidCertificates=true",
        "tls=true&tlsInsecure=true&sslAllowInvalidHostnames=false",
        "tls=true&tlsInsecure=true&tlsCRLFile=crl.pem",
        "tls=true&tlsCAFile=ca.pem&tlsCRLFile=crl.pem&tlsDisableOCSPEndpointCheck=true",
        "tls=true&tlsDisableCertificateRevocationCheck=true&tlsCAFile=ca.pem",
        "tlsDisableCertificateRevocationCheck=false",
        "tls=true&tls=false",
        "tls=true&TLS=false",
        "TLS=false&tls=true",
        "tls=true&tls=maybe",
        "tls=maybe&tls=true",
        "tls=true&tls=",
        "tls=&tls=true",
        "tls=true&ssl=true",
        "tls=true&ssl=false",
        "ssl=false&tls=true",
        "tls=true&ssl=TRUE",
        "tls=TRUE&ssl=true",
        "ssl=true&SSL=false",
        "tls=true&ssl=",
        "tls=false&ssl=false&tlsCAFile=ca.pem",
        "tlsCAFile=a.pem&tlsCAFile=b.pem",
        "tlsCAFile=a.pem&TLSCAFILE=b.pem",
        "tlsCAFile=a.pem&sslCertificateAuthorityFile=b.pem",
        "tlsCAFile=a.pem&sslCertificateAuthorityFile=a.pem",
        "sslCertificateAuthorityFile=b.pem&tlsCAFile=a.pem",
        "tlsCertificateKeyFilePassword=p&sslClientCertificateKeyPassword=q",
        "sslClientCertificateKeyFile=c.pem&tlsCertificateKeyFile=c.pem",
        "tlsAllowInvalidCertificates=true&sslAllowInvalidCertificates=false",
        "tlsAllowInvalidCertificates=true&sslAllowInvalidCertificates=true",
        "tlsInsecure=true&tlsInsecure=false",
        "tlsInsecure=false&tlsInsecure=true&tlsAllowInvalidHostnames=true",
        "tlsInsecure=&tlsAllowInvalidCertificates=true",
        "TLS=true",
        "Tls=TRUE",
        "TLSCAFILE=ca.pem",
        "TlsCaFile=ca.pem",
        "TLSINSECURE=true&TLSALLOWINVALIDCERTIFICATES=true",
        "SSL=true",
        "SSLCERTIFICATEAUTHORITYFILE=ca.pem",
        "tls=true&foo=bar",
        "tls=true&foo=bar&baz=1&foo=x",
        "tls=true&minVersion=TLS1.2",
        "tls=true&tlsFIPSMode=true",
        "tls=true&secureProtocol=TLSv1_2_method",
        "tls=true&ssl_ca_certs=ca.pem",
        "tls=true&rejectUnauthorized=false",
        "tls=true&tlsAllowInvalidCertificates=maybe&connectTimeoutMS=x",
        "tls=true&connectTimeoutMS=x&tlsAllowInvalidCertificates=maybe",
        "tls=true&connectTimeoutMS=2000&serverSelectionTimeoutMS=",
        "tls=true&socketTimeoutMS=99999999999",
        "tls=true&journal=yes&retryWrites=NO",
        "tls=true&serverSelectionTryOnce=false",
        "tls",
        "tls=true;tlsCAFile=ca.pem",
        "&tls=true",
        "tls=true&",
        "tls=true&&tlsCAFile=ca.pem",
        "=x&tls=true",
        "%74ls=true",
        "tls=true&tlsCertificateKeyFilePassword=a+b",
        "tls=true&tlsCertificateKeyFilePassword=a%2Bb",
        "tls=true&tlsCertificateKeyFilePassword=a%26b%3Dc",
        "tls=true&tlsCAFile=%2Ftmp%2Fca.pem",
        "tls=true&tlsCAFile=/tmp/ca.pem",
        "tls=true&tlsCAFile=ca%zz.pem",
        "tls=true&tlsCAFile=%ff",
        "tls=true&tlsCAFile=%00",
        "tls=true&tlsCAFile=%4",
        "tls=true&tlsCAFile=caf%C3%A9.pem",
        "tls=true&tlsCAFile=café.pem",
        "tls=true&tlsCAFile=a=b.pem",
        "tls=true\\&tlsCAFile=ca.pem",
        "tls=true&tlsCAFile=a\\&b.pem",
        "tls\\=true",
    ];
    out.extend(queries.iter().map(|q| format!("{B}{q}")));
    out.extend(
        [
            "mongodb://localhost?tls=true",
            "mongodb://localhost:27017,localhost:27018/?tls=true",
            "mongodb://127.0.0.1/?tls=true",
            "mongodb://[::1]/?tls=true",
            "mongodb://[::1]:27017/admin?tlsInsecure=true",
            "mongodb://h.example.com/db?tlsCAFile=ca.pem",
            "http://localhost/?tls=true",
            "MONGODB://localhost/?tls=true",
            "mongodb://localhost:99999/?tls=true",
            "mongodb://localhost:0/?tls=true",
            "mongodb://localhost",
            "mongodb://localhost/",
            "mongodb+srv://cluster0.example.com/",
            "mongodb+srv://cluster0.example.com/?tls=false",
            "mongodb+srv://cluster0.example.com/?tlsInsecure=true",
            "mongodb+srv://cluster0.example.com/?ssl=false&tlsCAFile=ca.pem",
        ]
        .map(String::from),
    );
    out
}

/// The seeded random part: one to five options drawn from TLS names (any letter case, `ssl*`
/// aliases), unknown names and an integer option, with values good and bad, sometimes
/// repeated, joined by `&` with now and then an empty pair or a trailing `&`.
fn random(seed: u64, size: usize) -> Vec<String> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let names: Vec<&str> = BOOLS
        .iter()
        .chain(&FILES)
        .copied()
        .chain(["connectTimeoutMS", "foo", "retryWrites"])
        .collect();
    let files = [
        "ca.pem",
        "",
        "a%20b.pem",
        "%2Fetc%2Fssl%2Fca.pem",
        "a+b",
        "x%zz",
        "caf%C3%A9.pem",
        "p@ss",
    ];
    let ints = ["1000", "", "x", "-5", "2147483648"];
    let mut out = Vec::new();
    for _ in 0..size {
        let mut pairs: Vec<String> = Vec::new();
        for _ in 0..rng.gen_range(1..=5) {
            let name = *names.choose(&mut rng).unwrap();
            let name: String = match rng.gen_range(0..6) {
                0 => name.to_uppercase(),
                1 => name.to_lowercase(),
                _ => name.to_string(),
            };
            let lower = name.to_lowercase();
            let value = if lower.contains("file") || lower.contains("password") {
                files.choose(&mut rng).unwrap()
            } else if lower == "connecttimeoutms" {
                ints.choose(&mut rng).unwrap()
            } else {
                VALUES.choose(&mut rng).unwrap()
            };
            pairs.push(format!("{name}={value}"));
            if rng.gen_bool(0.1) {
                pairs.push(pairs[rng.gen_range(0..pairs.len())].clone());
            }
        }
        let mut query = pairs.join("&");
        match rng.gen_range(0..20) {
            0 => query.push('&'),
            1 => query = query.replacen('&', "&&", 1),
            _ => {}
        }
        let base = if rng.gen_bool(0.1) {
            "mongodb+srv://c.example.com/?"
        } else {
            B
        };
        out.push(format!("{base}{query}"));
    }
    out
}

/// The corpus: the fixed part, then the seeded one, without repeats.
fn corpus() -> Vec<String> {
    let seed = util::env_or("PKIGEN_C_CORPUS_SEED", 0x1ab_c0de_u64);
    let size = util::env_or("PKIGEN_C_CORPUS_SIZE", 400_usize);
    let mut seen = std::collections::BTreeSet::new();
    fixed()
        .into_iter()
        .chain(random(seed, size))
        .filter(|u| seen.insert(u.clone()))
        .collect()
}

/// Every URI through `tests/c/parse.c`, one line each.
fn real_answers(uris: &[String]) -> Vec<Value> {
    let mut child = c::command("parse")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run target/c/parse");
    let mut stdin = child.stdin.take().unwrap();
    let text: String = uris.iter().map(|u| format!("{u}\n")).collect();
    let writer = std::thread::spawn(move || stdin.write_all(text.as_bytes()).unwrap());
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    util::assert_exit(&output, 0, "target/c/parse");
    let lines: Vec<Value> = util::stdout(&output)
        .lines()
        .map(|l| util::parse_json(l, "parse.c"))
        .collect();
    assert_eq!(lines.len(), uris.len(), "one line a URI");
    lines
}

/// The library's answer with only what pkigen models: the `WARNING` lines (not `ERROR`, the
/// log of a port it refuses, which is no warning).
fn comparable(real: &Value) -> Value {
    let warnings: Vec<&Value> = real["logs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["level"] == "WARNING")
        .map(|l| &l["message"])
        .collect();
    let mut answer = json!({"ok": real["ok"], "warnings": warnings});
    for field in [
        "error",
        "options",
        "verify_certificates",
        "verify_hostname",
        "ocsp",
        "ocsp_endpoint_check",
    ] {
        if let Some(v) = real.get(field) {
            answer[field] = v.clone();
        }
    }
    answer
}

/// pkigen's answer in the same shape, or `None` where it declines to model the URI.
fn pkigen_answer(uri: &str) -> Option<Value> {
    let text = |w: &[policy::DriverWarning]| -> Vec<String> {
        w.iter()
            .map(|w| {
                assert_eq!(w.category, "WARNING");
                w.message.clone()
            })
            .collect()
    };
    match policy::resolve(Driver::C, Some(uri), &ClientOptions::new()) {
        Ok(r) => {
            let p = &r.policy;
            assert_eq!(p.crl_file, None, "{uri}: no URI gives libmongoc a CRL file");
            let mut options = json!({"tls": p.tls});
            for (name, value) in [
                ("ca_file", &p.ca_file),
                ("pem_file", &p.certificate_key_file),
                ("pem_pwd", &p.certificate_key_file_password),
            ] {
                if let Some(v) = value {
                    options[name] = json!(v);
                }
            }
            options["weak_cert_validation"] = json!(p.allow_invalid_certificates);
            options["allow_invalid_hostname"] = json!(p.allow_invalid_hostnames);
            options["tls_disable_certificate_revocation_check"] =
                json!(p.disable_certificate_revocation_check);
            options["tls_disable_ocsp_endpoint_check"] = json!(p.disable_ocsp_endpoint_check);
            Some(json!({
                "ok": true,
                "warnings": text(&r.warnings),
                "options": options,
                "verify_certificates": p.verify_certificates(),
                "verify_hostname": p.verify_hostname(),
                "ocsp": p.ocsp_checked(),
                "ocsp_endpoint_check": p.ocsp_endpoint_check(),
            }))
        }
        Err(e) if !e.exception.is_driver_error() => None,
        Err(e) => {
            assert_eq!(e.exception.class_name(), "MONGOC_ERROR_COMMAND_INVALID_ARG");
            Some(json!({
                "ok": false,
                "warnings": text(&e.warnings),
                "error": {"domain": 11, "code": 22, "message": e.message},
            }))
        }
    }
}

/// What `pkigen policy --driver c --format json --show-secrets` prints, in the library's
/// shape (no warnings compared here: the library answer above holds them).
fn cli_answer(uri: &str) -> Value {
    let output = util::run([
        "policy",
        "--driver",
        "c",
        uri,
        "--format",
        "json",
        "--show-secrets",
    ]);
    let v = util::parse_json(&util::stdout(&output), "policy --driver c");
    if v["valid"] == true {
        util::assert_exit(&output, 0, uri);
        json!({"ok": true, "options": v["options"], "verify_certificates": v["verify_certificates"],
               "verify_hostname": v["verify_hostname"], "ocsp_endpoint_check": v["ocsp_endpoint_check"]})
    } else {
        util::assert_exit(&output, 2, uri);
        json!({"ok": false, "error": {"domain": 11, "code": 22, "message": v["error"]}})
    }
}

#[test]
fn policy_agrees_with_libmongoc_on_a_corpus() {
    let uris = corpus();
    assert!(uris.len() >= 600, "{} URIs", uris.len());
    let real = real_answers(&uris);
    let (mut agreed, mut declined, mut disagreed) = (0, Vec::new(), Vec::new());
    for (i, (uri, real)) in uris.iter().zip(&real).enumerate() {
        assert_eq!(real["uri"], json!(uri), "the lines come in order");
        let real = comparable(real);
        let Some(ours) = pkigen_answer(uri) else {
            declined.push(format!("{uri}  (libmongoc: ok={})", real["ok"]));
            continue;
        };
        if ours != real {
            disagreed.push(format!(
                "{uri}\n    libmongoc: {real}\n    pkigen:    {ours}"
            ));
            continue;
        }
        agreed += 1;
        // The command line answers as the library does, for one URI in twenty.
        if i % 20 == 0 {
            let mut expected = real.clone();
            expected.as_object_mut().unwrap().remove("warnings");
            expected.as_object_mut().unwrap().remove("ocsp");
            assert_eq!(cli_answer(uri), expected, "{uri}");
        }
    }
    println!(
        "{} URIs: {agreed} agree with libmongoc, {} declined by pkigen's model, {} disagree",
        uris.len(),
        declined.len(),
        disagreed.len()
    );
    for d in &declined {
        println!("  declined: {d}");
    }
    assert!(
        disagreed.is_empty(),
        "pkigen's libmongoc profile disagrees with libmongoc on {} of {} URIs:\n  {}",
        disagreed.len(),
        uris.len(),
        disagreed.join("\n  ")
    );
    assert!(
        declined.len() * 50 <= uris.len(),
        "pkigen declines {} of {} URIs (at most 2% may be beyond its model)",
        declined.len(),
        uris.len()
    );
    assert!(agreed >= 600, "{agreed} URIs agree");
}
