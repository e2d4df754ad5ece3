//! The commands end to end: what they print, what they write, and with which permissions.

use crate::util::{self, NOW, path_arg};
use serde_json::Value;
use std::collections::BTreeSet;
use std::os::unix::fs::PermissionsExt;

fn names(values: &Value) -> Vec<String> {
    values
        .as_array()
        .expect("an array")
        .iter()
        .map(|v| v["name"].as_str().expect("a name").to_string())
        .collect()
}

#[test]
fn scenario_all_passes_every_case_and_reports_them_all() {
    let out = util::tempdir();
    util::generate(out.path(), &["all"], 7, NOW, &[]);
    let total = assert_every_case_passed(out.path());
    assert!(total >= 50, "only {total} cases");
}

/// Every scenario's folder is under `out`, and its report holds every case of its manifest,
/// each observed as expected; returns how many cases there were.
#[track_caller]
pub fn assert_every_case_passed(out: &std::path::Path) -> usize {
    let dirs = util::scenario_dirs(out);
    let found: Vec<_> = dirs.iter().map(|d| d.file_name().unwrap()).collect();
    let mut expected = util::SCENARIOS.to_vec();
    expected.sort();
    assert_eq!(found, expected);

    let mut total = 0;
    for dir in &dirs {
        let manifest = util::read_json(&dir.join("manifest.json"));
        let report = util::read_json(&dir.join("report.json"));
        let cases = report["cases"].as_array().expect("report cases");
        assert_eq!(
            names(&report["cases"]),
            names(&manifest["cases"]),
            "{}: the report covers every case of the manifest",
            dir.display()
        );
        for (case, declared) in cases.iter().zip(manifest["cases"].as_array().unwrap()) {
            assert_eq!(case["verdict"], "pass", "{}: {case:#}", dir.display());
            assert_eq!(case["expected"], declared["expect"], "{case:#}");
            assert_eq!(
                case["observed"]["outcome"], declared["expect"]["outcome"],
                "{case:#}"
            );
        }
        total += cases.len();
    }
    total
}

#[test]
fn keys_are_private_and_certificates_public() {
    let out = util::tempdir();
    util::generate(out.path(), &["all"], 7, NOW, &[]);
    let mut keys = 0;
    let mut public = 0;
    for dir in util::scenario_dirs(out.path()) {
        let mode = std::fs::metadata(&dir).unwrap().permissions().mode();
        assert_eq!(
            mode & 0o002,
            0,
            "{} is world-writable ({mode:o})",
            dir.display()
        );
        // Whatever holds a private key (a key file, or key and certificate together) is
        // 0600; the manifest says which files do.
        let manifest = util::read_json(&dir.join("manifest.json"));
        for file in manifest["files"].as_array().expect("manifest files") {
            let path = dir.join(file["path"].as_str().unwrap());
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            match file["kind"].as_str().unwrap() {
                "private-key" | "key-and-certificate" | "chain-and-key" => {
                    keys += 1;
                    assert!(
                        std::fs::read_to_string(&path)
                            .unwrap()
                            .contains("PRIVATE KEY-----"),
                        "{} holds a key",
                        path.display()
                    );
                    assert_eq!(mode, 0o600, "{}", path.display());
                }
                _ => {
                    public += 1;
                    assert_eq!(mode, 0o644, "{}", path.display());
                }
            }
        }
        for name in ["manifest.json", "report.json"] {
            let mode = std::fs::metadata(dir.join(name))
                .unwrap()
                .permissions()
                .mode()
                & 0o777;
            assert_eq!(mode, 0o644, "{name}");
        }
    }
    assert!(keys >= 25 && public >= 25, "keys {keys}, public {public}");
}

#[test]
fn list_names_every_scenario_in_text_and_json() {
    let text = util::run(["list"]);
    util::assert_exit(&text, 0, "list");
    let stdout = util::stdout(&text);
    for name in ["enable-tls", "ca-file", "insecure-tls", "expired-default"] {
        assert!(stdout.contains(name), "list mentions {name}\n{stdout}");
    }

    let json = util::run(["list", "--format", "json"]);
    util::assert_exit(&json, 0, "list --format json");
    let value = util::parse_json(&util::stdout(&json), "list --format json");
    let scenarios = value.as_array().expect("a JSON array of scenarios");
    assert_eq!(names(&value), util::SCENARIOS, "{value:#}");
    // The listed cases are the ones a generated manifest holds.
    let out = util::tempdir();
    util::generate(out.path(), &["all"], 1, NOW, &["--no-validate"]);
    for scenario in scenarios {
        let name = scenario["name"].as_str().unwrap();
        let manifest = util::read_json(&out.path().join(name).join("manifest.json"));
        assert_eq!(
            names(&scenario["cases"]),
            names(&manifest["cases"]),
            "{name}"
        );
    }
}

#[test]
fn validate_reruns_the_cases_and_writes_the_report() {
    let out = util::tempdir();
    util::generate(out.path(), &["all"], 7, NOW, &["--no-validate"]);
    for dir in util::scenario_dirs(out.path()) {
        assert!(
            !dir.join("report.json").exists(),
            "--no-validate writes no report"
        );
    }

    let output = util::run(["validate", path_arg(out.path()), "--format", "json"]);
    util::assert_exit(&output, 0, "validate --format json");
    let value = util::parse_json(&util::stdout(&output), "validate --format json");
    let scenarios = value["scenarios"].as_array().expect("scenarios");
    assert_eq!(scenarios.len(), util::SCENARIOS.len(), "{value:#}");
    let mut total = 0;
    for scenario in scenarios {
        for case in scenario["cases"].as_array().unwrap() {
            assert_eq!(case["verdict"], "pass", "{case:#}");
            total += 1;
        }
    }
    assert!(total >= 50, "only {total} cases ran");
    for dir in util::scenario_dirs(out.path()) {
        let report = util::read_json(&dir.join("report.json"));
        assert!(!report["cases"].as_array().unwrap().is_empty());
    }
}

#[test]
fn validate_case_runs_only_matching_cases() {
    let out = util::tempdir();
    util::generate(out.path(), &["all"], 7, NOW, &["--no-validate"]);
    let output = util::run([
        "validate",
        path_arg(out.path()),
        "--case",
        "expired",
        "--format",
        "json",
    ]);
    util::assert_exit(&output, 0, "validate --case expired");
    let value = util::parse_json(&util::stdout(&output), "validate --case expired");
    let ran: Vec<String> = value["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| names(&s["cases"]))
        .collect();
    // Computed from the manifests, not from pkigen's filter.
    let mut expected = Vec::new();
    for dir in util::scenario_dirs(out.path()) {
        let manifest = util::read_json(&dir.join("manifest.json"));
        expected.extend(
            names(&manifest["cases"])
                .into_iter()
                .filter(|n| n.contains("expired")),
        );
    }
    assert!(!expected.is_empty());
    assert_eq!(
        ran.iter().collect::<BTreeSet<_>>(),
        expected.iter().collect::<BTreeSet<_>>()
    );
    assert_eq!(ran.len(), expected.len(), "each case once: {ran:?}");
    for dir in util::scenario_dirs(out.path()) {
        assert!(
            !dir.join("report.json").exists(),
            "a filtered run leaves report.json alone"
        );
    }

    let none = util::run(["validate", path_arg(out.path()), "--case", "no-such-case"]);
    util::assert_usage_error(&none, &["no-such-case"], "validate --case matching nothing");
}

#[test]
fn inspect_describes_both_certificates_of_a_chain() {
    let (_out, dir) = util::scenario("ca-file", 7, &[]);
    let chain = dir.join("server.chain.pem");
    // The CNs the registry gives the leaf and the intermediate.
    let (leaf_cn, intermediate_cn) = ("CN=localhost", "CN=pkigen ca-file intermediate CA");

    let text = util::run(["inspect", path_arg(&chain)]);
    util::assert_exit(&text, 0, "inspect");
    let stdout = util::stdout(&text);
    let subjects: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.trim().strip_prefix("subject:"))
        .map(str::trim)
        .collect();
    assert_eq!(subjects.len(), 2, "{stdout}");
    assert!(subjects[0].contains(leaf_cn), "{stdout}");
    assert!(subjects[1].contains(intermediate_cn), "{stdout}");

    let json = util::run(["inspect", path_arg(&chain), "--format", "json"]);
    util::assert_exit(&json, 0, "inspect --format json");
    let value = util::parse_json(&util::stdout(&json), "inspect --format json");
    let items = value[0]["items"]
        .as_array()
        .expect("items of the first file");
    assert_eq!(items.len(), 2, "{value:#}");
    assert!(items[0]["subject"].as_str().unwrap().contains(leaf_cn));
    assert!(
        items[1]["subject"]
            .as_str()
            .unwrap()
            .contains(intermediate_cn)
    );
    assert_eq!(items[0]["is_ca"], false);
    assert_eq!(items[1]["is_ca"], true);
}

/// Keys as OpenSSL writes them, in every form it writes (PKCS#8 and traditional, PEM and
/// DER, through `pkey` and through the per-algorithm `ec` and `rsa` commands): `inspect` names
/// the form and the key type of each in text and in JSON that conforms to its schema, and
/// refuses a corrupt one.
#[test]
fn inspect_names_the_form_and_type_of_keys_openssl_writes() {
    let dir = util::tempdir();
    let mut documents = Vec::new();
    let openssl = |args: &[&str]| {
        let output = util::tool("openssl")
            .args(args)
            .current_dir(dir.path())
            .output()
            .expect("openssl");
        util::assert_exit(&output, 0, &format!("openssl {args:?}"));
    };
    for (name, genpkey, key_type) in [
        (
            "p256",
            &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"][..],
            "ecdsa-p256",
        ),
        (
            "p384",
            &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"][..],
            "ecdsa-p384",
        ),
        (
            "rsa",
            &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"][..],
            "rsa-2048",
        ),
    ] {
        let pkcs8 = format!("{name}.pem");
        openssl(&[&["genpkey", "-out", &pkcs8][..], genpkey].concat());
        let forms = [
            (
                format!("{name}.pk8.der"),
                "pkcs8",
                vec!["pkcs8", "-topk8", "-nocrypt", "-outform", "DER"],
            ),
            (format!("{name}.trad.pem"), "", vec!["pkey", "-traditional"]),
            (
                format!("{name}.trad.der"),
                "",
                vec!["pkey", "-traditional", "-outform", "DER"],
            ),
            // OpenSSL 3's `rsa` writes PKCS#8 unless told `-traditional`; `ec` writes SEC1.
            if name == "rsa" {
                (
                    format!("{name}.rsa.der"),
                    "",
                    vec!["rsa", "-traditional", "-outform", "DER"],
                )
            } else {
                (format!("{name}.ec.der"), "", vec!["ec", "-outform", "DER"])
            },
        ];
        let traditional = if name == "rsa" { "pkcs1" } else { "sec1" };
        let mut files = vec![(pkcs8.clone(), "pkcs8")];
        for (file, format, args) in &forms {
            openssl(&[&args[..], &["-in", &pkcs8, "-out", file]].concat());
            files.push((
                file.clone(),
                if format.is_empty() {
                    traditional
                } else {
                    format
                },
            ));
        }
        for (file, format) in files {
            let output = util::run([
                "inspect",
                path_arg(&dir.path().join(&file)),
                "--format",
                "json",
            ]);
            util::assert_exit(&output, 0, &format!("inspect {file}"));
            let value = util::parse_json(&util::stdout(&output), "inspect --format json");
            let item = &value[0]["items"][0];
            assert_eq!(item["format"], format, "{file}: {value:#}");
            assert_eq!(item["key_type"], key_type, "{file}: {value:#}");
            let json = dir.path().join(format!("{file}.inspect.json"));
            std::fs::write(&json, &output.stdout).unwrap();
            documents.push(("inspect.schema.json", json));
            let text = util::run(["inspect", path_arg(&dir.path().join(&file))]);
            util::assert_exit(&text, 0, &format!("inspect {file} as text"));
            let text = util::stdout(&text);
            for line in [
                format!("  type:      private key ({format})\n"),
                format!("  key:       {key_type}\n"),
                "  encrypted: false\n".to_string(),
            ] {
                assert!(text.contains(&line), "{file}: no {line:?} in\n{text}");
            }
        }
    }
    crate::schemas::assert_conform(&documents);
    // (`openssl pkey -outform DER` writes the traditional form, hence `pkcs8 -topk8`.)
    // A traditional key cut short inside its structure: refused in one line naming the file.
    let der = std::fs::read(dir.path().join("p256.trad.der")).unwrap();
    let pem = pkigen::pki::pem_block("EC PRIVATE KEY", &der[..der.len() - 10]);
    let corrupt = dir.path().join("corrupt.sec1.pem");
    std::fs::write(&corrupt, pem).unwrap();
    let output = util::run(["inspect", path_arg(&corrupt)]);
    util::assert_usage_error(
        &output,
        &["corrupt.sec1.pem", "corrupt SEC1 EC key"],
        "inspect a corrupt SEC1 key",
    );
}

#[test]
fn policy_reports_invalid_and_valid_uris() {
    let bad = util::run([
        "policy",
        "mongodb://localhost/?tls=true&tlsInsecure=true&tlsAllowInvalidCertificates=true",
        "--format",
        "json",
    ]);
    util::assert_exit(&bad, 2, "policy with conflicting options");
    let value = util::parse_json(&util::stdout(&bad), "policy --format json");
    assert_eq!(value["valid"], false, "{value:#}");
    assert!(
        value["error"].as_str().is_some_and(|e| !e.is_empty()),
        "{value:#}"
    );

    let good = util::run([
        "policy",
        "mongodb://localhost/?tls=true&tlsCAFile=ca.pem",
        "--format",
        "json",
    ]);
    util::assert_exit(&good, 0, "policy with a valid URI");
    let value = util::parse_json(&util::stdout(&good), "policy --format json");
    assert_eq!(value["valid"], true, "{value:#}");
}

/// PyMongo's warnings: on stderr one line each, `Category: message`, in text form (control
/// characters escaped, none under `--quiet`); as `warnings` in JSON, a refusal's too; the
/// exit code is the policy's.
#[test]
fn policy_prints_pymongo_warnings() {
    let uri = "mongodb://h/?tls=true&TLS=true&tlsCAFil=ca.pem&authMechanismProperties=A%0AB:c";
    let text = util::run(["policy", uri]);
    util::assert_exit(&text, 0, "policy with warnings");
    assert!(util::stdout(&text).contains("verify host name"));
    let stderr = util::stderr(&text);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines[..2],
        [
            "UserWarning: Duplicate URI option 'tls'.",
            "UserWarning: Unknown option. Did you mean one of (tlscafile, tlscrlfile, tlscertificatekeyfile) or maybe a camelCase version of one? Refer to docstring.",
        ],
        "{stderr}"
    );
    assert!(
        lines[2].starts_with("UserWarning: A\\nB is not a supported auth mechanism property."),
        "{stderr}"
    );
    assert_eq!(lines.len(), 3, "{stderr}");

    let quiet = util::run(["--quiet", "policy", uri]);
    util::assert_exit(&quiet, 0, "policy --quiet");
    assert_eq!(util::stderr(&quiet), "");

    let json = util::run(["policy", uri, "--format", "json"]);
    util::assert_exit(&json, 0, "policy --format json with warnings");
    assert_eq!(util::stderr(&json), "");
    let value = util::parse_json(&util::stdout(&json), "policy --format json");
    assert_eq!(
        value["warnings"][0],
        serde_json::json!({"category": "UserWarning", "message": "Duplicate URI option 'tls'."})
    );
    assert_eq!(value["warnings"].as_array().map(Vec::len), Some(3));

    let refused = util::run(["policy", "mongodb://u@h/?foo=1", "--format", "json"]);
    util::assert_exit(&refused, 2, "policy --format json, refused after a warning");
    let value = util::parse_json(&util::stdout(&refused), "policy --format json");
    assert_eq!(value["error"], "A password is required");
    assert_eq!(value["warnings"][0]["category"], "UserWarning");
    assert!(
        value["warnings"][0]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("Unknown option.")),
        "{value:#}"
    );
}

/// `policy --driver node`: the Node.js driver's names and behaviour, its errors in its words
/// (exit 2), its deprecation warnings on stderr, and a plain refusal (exit 2, no document)
/// for what pkigen does not model.
#[test]
fn policy_speaks_for_the_node_driver() {
    let uri = "mongodb://h/?tls=true&tlsCAFile=ca.pem&tlsCertificateKeyFilePassword=pw&tlsAllowInvalidHostnames=true&wtimeout=5";
    let text = util::run(["policy", "--driver", "node", uri]);
    util::assert_exit(&text, 0, "policy --driver node");
    let stdout = util::stdout(&text);
    for line in [
        "tls                              true",
        "tlsCAFile                        \"ca.pem\"",
        "passphrase                       \"***\"",
        "rejectUnauthorized               true",
        "checkServerIdentity              false",
        "verify host name                 false",
        "OCSP endpoint check              false",
        "OCSP                             none",
        "CRL checked for                  every certificate of the chain",
        "CRLs of the file loaded          the first only",
        "TLS files read                   at connect(), with TLS on",
    ] {
        assert!(stdout.lines().any(|l| l == line), "{line:?} in\n{stdout}");
    }
    assert!(
        !stdout.contains("pw"),
        "the password is redacted:\n{stdout}"
    );
    assert_eq!(
        util::stderr(&text),
        "Warning: wtimeout is a deprecated option: Please use wtimeoutMS instead\n"
    );
    let shown = util::run(["policy", "--driver", "node", uri, "--show-secrets"]);
    assert!(util::stdout(&shown).contains("passphrase                       \"pw\""));

    // Only tls or ssl turns TLS on: a CA file alone leaves the client in plaintext.
    let json = util::run([
        "policy",
        "--driver",
        "node",
        "mongodb://h/?tlsCAFile=ca.pem",
        "--format",
        "json",
    ]);
    util::assert_exit(&json, 0, "policy --driver node --format json");
    let value = util::parse_json(&util::stdout(&json), "policy --format json");
    assert_eq!(value["driver"], "node");
    assert_eq!(value["options"]["tls"], false);
    assert_eq!(value["verify_certificates"], false);
    assert_eq!(value["behaviour"]["crls_loaded"], "first-only");

    // Refusals: the driver's class and message; in text one line.
    let refused = util::run([
        "policy",
        "--driver",
        "node",
        "mongodb://h/?tls=true&tlsDisableOCSPEndpointCheck=true",
    ]);
    assert_eq!(
        util::assert_usage_error(&refused, &[], "an option Node does not know"),
        "error: option tlsdisableocspendpointcheck is not supported"
    );
    let json = util::run([
        "policy",
        "--driver",
        "node",
        "mongodb://h/?tlsAllowInvalidCertificates=TRUE",
        "--format",
        "json",
    ]);
    util::assert_exit(&json, 2, "a refusal as JSON");
    let value = util::parse_json(&util::stdout(&json), "policy --format json");
    assert_eq!(
        value,
        serde_json::json!({
            "valid": false,
            "driver": "node",
            "exception": "MongoParseError",
            "error": "rejectUnauthorized must be either \"true\" or \"false\"",
            "warnings": []
        })
    );

    // Beyond the model: pkigen's own error, naming the option, in text and JSON alike.
    for format in ["text", "json"] {
        let output = util::run([
            "policy",
            "--driver",
            "node",
            "mongodb://h/?tls=true&secureProtocol=TLSv1_2_method",
            "--format",
            format,
        ]);
        util::assert_usage_error(&output, &["does not model", "secureProtocol"], format);
        assert_eq!(util::stdout(&output), "", "no document: {format}");
    }

    // A host the URL parser refuses may be a password that lost its `@`: left out.
    let output = util::run(["policy", "--driver", "node", "mongodb://alice:s3cret/h"]);
    let message = util::assert_usage_error(
        &output,
        &["Unable to parse", "--show-secrets", "encodeURIComponent"],
        "an unparsable host",
    );
    assert!(!message.contains("s3cret"), "{message}");

    let unknown = util::run(["policy", "--driver", "ruby", "mongodb://h/"]);
    util::assert_usage_error(&unknown, &["pymongo", "node", "rust"], "--driver ruby");
}

/// A password (or user name) whose reserved characters were not percent-encoded ends up in
/// parts of the URI that a PyMongo message may quote (4.20.1 quotes it for a port of digits
/// `int()` cannot read): `policy` leaves that text out of every output, in
/// text and JSON, and shows it only with `--show-secrets`.
#[test]
fn policy_never_prints_the_userinfo_unless_asked() {
    // (URI, exit code, fragments of its userinfo that must not be printed)
    let cases: [(&str, i32, &[&str]); 7] = [
        (
            "mongodb://alice:pa/ss w0rd@localhost/?tls=true",
            2,
            &["alice", "ss w0rd", "w0rd"],
        ),
        (
            "mongodb://alice:p@ss/w0rd@localhost/",
            2,
            &["alice", "p@ss", "w0rd"],
        ),
        (
            "mongodb://alice:pa?ss=w0rd@localhost/",
            2,
            &["alice", "ss=w0rd", "w0rd"],
        ),
        (
            "mongodb://alice:pa#ss w0rd@localhost/?tls=true",
            0,
            &["alice", "ss w0rd", "w0rd"],
        ),
        ("mongodb://alice:p%zz/w0rd", 2, &["alice", "p%zz"]),
        ("mongodb://al/ic3@localhost/?tls=true", 2, &["ic3"]),
        ("mongodb://bob:²³/", 2, &["²³"]),
    ];
    for (uri, code, secrets) in cases {
        for format in ["text", "json"] {
            let output = util::run(["policy", uri, "--format", format]);
            let what = format!("policy {uri:?} --format {format}");
            util::assert_exit(&output, code, &what);
            if code == 2 && format == "text" {
                util::assert_usage_error(&output, &[], &what);
            }
            let printed = util::stdout(&output) + &util::stderr(&output);
            for secret in secrets {
                assert!(
                    !printed.contains(secret),
                    "{what}: {secret:?} was printed\n{}",
                    util::describe(&output)
                );
            }
        }
    }

    // PyMongo 4.20.1 words these without URI text: the message is the same with or without
    // --show-secrets, and the password is printed by neither.
    let uri = "mongodb://alice:pa/ss w0rd@localhost/?tls=true";
    for extra in [&[][..], &["--show-secrets"][..]] {
        let text = util::run(["policy", uri].iter().chain(extra));
        assert_eq!(
            util::assert_usage_error(&text, &[], uri),
            "error: Bad database name"
        );
        let json = util::run(["policy", uri, "--format", "json"].iter().chain(extra));
        util::assert_exit(&json, 2, "--format json");
        let value = util::parse_json(&util::stdout(&json), "policy --format json");
        assert_eq!(value["error"], "Bad database name");
        assert_eq!(value["exception"], "InvalidURI");
    }

    // The message that still quotes URI text: `int()` on a port of digits it cannot read,
    // here a password of superscripts whose user name lost its `@`.
    let uri = "mongodb://bob:²³/";
    let text = util::run(["policy", uri]);
    let message = util::assert_usage_error(
        &text,
        &["invalid literal for int() with base 10", "--show-secrets"],
        uri,
    );
    assert!(
        message.contains("percent-encode"),
        "the message names the fix: {message}"
    );
    let shown = util::run(["policy", uri, "--show-secrets"]);
    assert_eq!(
        util::assert_usage_error(&shown, &[], "--show-secrets"),
        "error: invalid literal for int() with base 10: '²³'"
    );
    let json = util::run(["policy", uri, "--format", "json", "--show-secrets"]);
    util::assert_exit(&json, 2, "--format json --show-secrets");
    let value = util::parse_json(&util::stdout(&json), "policy --format json");
    assert_eq!(
        value["error"],
        "invalid literal for int() with base 10: '²³'"
    );
    assert_eq!(value["exception"], "ValueError");
}

/// `pkigen list | head -1`: the reader goes away; pkigen must not panic (exit 101 and a
/// "panicked" message on stderr) but stop quietly, like other command-line tools.
#[test]
fn output_into_a_closed_pipe_does_not_panic() {
    for args in [&["list"][..], &["list", "--format", "json"][..]] {
        let (reader, writer) = std::io::pipe().expect("a pipe");
        drop(reader);
        let output = std::process::Command::new(util::PKIGEN)
            .args(args)
            .env("RUST_BACKTRACE", "0")
            .stdout(writer)
            .output()
            .expect("run pkigen");
        assert!(
            !util::stderr(&output).contains("panicked") && output.status.code() != Some(101),
            "pkigen {args:?} into a closed pipe panicked\n{}",
            util::describe(&output)
        );
    }
}

/// `inspect` on a CRL, PEM and DER: issuer, updates, number, and the revoked serial (as
/// openssl prints it) with its reason.
#[test]
fn inspect_describes_a_crl_in_pem_and_der() {
    let (_out, dir) = util::scenario("crl", 4, &[]);
    let serial = util::openssl_serial(&dir.join("revoked.pem")).to_lowercase();
    for file in ["crl.pem", "crl.der"] {
        let output = util::run(["inspect", path_arg(&dir.join(file)), "--format", "json"]);
        util::assert_exit(&output, 0, "inspect a CRL");
        let value = util::parse_json(&util::stdout(&output), "inspect --format json");
        let crl = &value[0]["items"][0];
        assert_eq!(crl["type"], "crl", "{value:#}");
        assert_eq!(
            crl["issuer"], "O=pkigen test PKI, CN=pkigen crl CA",
            "{value:#}"
        );
        assert_eq!(crl["crl_number"], "2", "{value:#}");
        assert_eq!(
            crl["revoked"][0]["serial"]
                .as_str()
                .unwrap()
                .replace(':', ""),
            serial,
            "{value:#}"
        );
        assert_eq!(crl["revoked"][0]["reason"], "keyCompromise", "{value:#}");
        let text = util::run(["inspect", path_arg(&dir.join(file))]);
        util::assert_exit(&text, 0, "inspect a CRL as text");
        assert!(
            util::stdout(&text).contains("keyCompromise"),
            "{}",
            util::stdout(&text)
        );
    }
}

/// `serve` prints the bound address first, takes connections, and stops cleanly on Ctrl-C
/// (SIGINT): exit 0 and a last word on stderr. An unknown case is a usage error.
#[test]
fn serve_prints_its_address_and_stops_on_ctrl_c() {
    let (_out, dir) = util::scenario("enable-tls", 3, &[]);
    let (child, address) = util::serve(&dir, "ca-file");
    assert!(
        address.ip().is_loopback() && address.port() != 0,
        "{address}"
    );
    for _ in 0..3 {
        std::net::TcpStream::connect(address).expect("serve accepts connections");
    }
    let interrupted = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupted.success());
    let output = child.wait_with_output().unwrap();
    util::assert_exit(&output, 0, "serve stopped by SIGINT");
    assert!(
        util::stderr(&output).contains("stopped"),
        "{}",
        util::describe(&output)
    );

    let unknown = util::run(["serve", path_arg(&dir), "--case", "no-such-case"]);
    util::assert_usage_error(&unknown, &["no-such-case"], "serve an unknown case");
}

/// Keys not under test are shared by role across the run; the manifest says which. Files
/// naming the same `shared_key` hold the same key, and different roles hold different keys
/// (a client's key differs from the foreign client's, or the key-mismatch case would lie).
#[test]
fn shared_keys_are_what_the_manifest_says() {
    let out = util::tempdir();
    util::generate(out.path(), &["all"], 12, NOW, &["--no-validate"]);
    let mut by_role: std::collections::BTreeMap<String, Vec<u8>> = Default::default();
    let mut key_files = 0;
    for dir in util::scenario_dirs(out.path()) {
        let manifest = util::read_json(&dir.join("manifest.json"));
        for file in manifest["files"].as_array().unwrap() {
            if file["kind"] != "private-key" {
                continue;
            }
            let role = file["shared_key"]
                .as_str()
                .expect("every key file names its shared key")
                .to_string();
            let bytes = std::fs::read(dir.join(file["path"].as_str().unwrap())).unwrap();
            let first = by_role.entry(role.clone()).or_insert_with(|| bytes.clone());
            assert_eq!(
                *first, bytes,
                "{}: the {role} key differs from another {role} key",
                file["path"]
            );
            key_files += 1;
        }
    }
    let distinct: std::collections::BTreeSet<&Vec<u8>> = by_role.values().collect();
    assert_eq!(
        distinct.len(),
        by_role.len(),
        "each role has its own key: {:?}",
        by_role.keys()
    );
    assert!(
        by_role.contains_key("client") && by_role.contains_key("foreign-client"),
        "{:?}",
        by_role.keys()
    );
    assert!(
        key_files > by_role.len(),
        "keys are shared: {key_files} files, {} keys",
        by_role.len()
    );
}
