//! A generated corpus of connection strings for the PyMongo agreement test: deterministic
//! (one seeded ChaCha8 stream), mixing TLS and non-TLS options in the ways users get them
//! wrong — user names without passwords, auth mechanisms and their properties, read
//! preferences with tags, `srvMaxHosts` beside `replicaSet` or `loadBalanced`, ports in
//! full-width digits or out of range, unknown and misspelt names, values that are not
//! booleans or numbers, duplicates, percent-encoding, names in mixed case.

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Files the TLS options may name: PyMongo opens them, so they must exist.
pub struct Files<'a> {
    pub ca: &'a str,
    pub client: &'a str,
    pub crl: &'a str,
}

/// `count` connection strings from `seed`.
pub fn corpus(seed: u64, count: usize, files: &Files<'_>) -> Vec<String> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..count).map(|_| uri(&mut rng, files)).collect()
}

fn pick<'a>(rng: &mut ChaCha8Rng, items: &[&'a str]) -> &'a str {
    items.choose(rng).copied().expect("a non-empty list")
}

/// One of `good`, or with probability `p_bad` one of `bad`: most URIs get far enough for
/// their options to matter, and every way of getting one wrong still comes up.
fn pick_mostly<'a>(rng: &mut ChaCha8Rng, good: &[&'a str], bad: &[&'a str], p_bad: f64) -> &'a str {
    if rng.gen_bool(p_bad) {
        pick(rng, bad)
    } else {
        pick(rng, good)
    }
}

/// Percent-encodes every character outside the unreserved set (as `quote_plus` would,
/// without turning spaces into `+`).
fn escape(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn uri(rng: &mut ChaCha8Rng, files: &Files<'_>) -> String {
    let srv = rng.gen_bool(0.15);
    let mut uri = String::from(if srv { "mongodb+srv://" } else { "mongodb://" });
    if rng.gen_bool(0.45) {
        uri.push_str(userinfo(rng));
        uri.push('@');
    }
    uri.push_str(&if srv { srv_host(rng) } else { hosts(rng) });
    if rng.gen_bool(0.3) {
        uri.push_str(pick_mostly(
            rng,
            &["/", "/db", "/db.coll", "/admin", "/.coll", "/d%62"],
            &["/bad%20db", "/a$b", "/%24external"],
            0.1,
        ));
    } else if rng.gen_bool(0.85) {
        uri.push('/');
    }
    let count = rng.gen_range(0..=6);
    if count == 0 && rng.gen_bool(0.5) {
        return uri;
    }
    let mut pairs: Vec<String> = (0..count).map(|_| option(rng, files, srv)).collect();
    if !pairs.is_empty() && rng.gen_bool(0.12) {
        // A duplicate: the same name (perhaps in another case) with its own value.
        let again = option_named(rng, files, pairs[0].split('=').next().unwrap_or(""));
        pairs.push(again);
    }
    let separator = match rng.gen_range(0..80) {
        0 => "&;",
        1..=4 => ";",
        _ => "&",
    };
    uri.push('?');
    for (i, pair) in pairs.iter().enumerate() {
        if i > 0 {
            // "&;" mixes the two separators, which PyMongo refuses.
            let sep = if separator == "&;" {
                if i % 2 == 1 { "&" } else { ";" }
            } else {
                separator
            };
            uri.push_str(sep);
        }
        uri.push_str(pair);
    }
    uri
}

fn userinfo(rng: &mut ChaCha8Rng) -> &'static str {
    pick_mostly(
        rng,
        &[
            "alice",
            "alice:",
            "alice:s3cret",
            "alice:s3cret",
            "alice:s3cret",
            "al%40ice:p%3Ass%2Fw",
            "bob:pa%00ss",
            "CN%3Dclient:x",
            "user+name:pass+word",
        ],
        &["alice:pa:ss", "al%zzice:pw", ":pw"],
        0.1,
    )
}

fn port(rng: &mut ChaCha8Rng) -> &'static str {
    pick_mostly(
        rng,
        &[
            "",
            "",
            "",
            ":27017",
            ":27018",
            ":２７０１７",
            ":٢٧٠١٧",
            ":65535",
            ":007",
        ],
        &[
            ":0",
            ":65536",
            ":99999999999999999999",
            ":²",
            ":",
            ":12a",
            ":-1",
            ":2_7",
            ":27017 ",
        ],
        0.12,
    )
}

fn hosts(rng: &mut ChaCha8Rng) -> String {
    let n = *[1, 1, 1, 2, 3].choose(rng).unwrap_or(&1);
    let mut external = false;
    let mut list = Vec::new();
    for _ in 0..n {
        let mut host = pick_mostly(
            rng,
            &[
                "localhost",
                "h",
                "db.example.com",
                "Db.Example.COM",
                "127.0.0.1",
                "[::1]",
                "[fe80::1%25eth0]",
                "%2Ftmp%2Fmongodb-27017.sock",
                "x.cosmos.azure.com",
                "y.docdb.amazonaws.com",
            ],
            &["h%41", "", "[::1", "a:b:c"],
            0.05,
        )
        .to_string();
        // More than one external host would leave the warning to set order.
        if host.contains("azure") || host.contains("amazonaws") {
            if external {
                host = "h".into();
            }
            external = true;
        }
        if !host.ends_with(".sock") && !host.is_empty() {
            host.push_str(port(rng));
        }
        list.push(host);
    }
    list.join(",")
}

fn srv_host(rng: &mut ChaCha8Rng) -> String {
    pick_mostly(
        rng,
        &[
            "cluster0.example.com",
            "Cluster0.Example.COM",
            "c.x.cosmos.azure.com",
            "example.com",
        ],
        &[
            "cluster0.example.com:27017",
            "a.example.com,b.example.com",
            "1.2.3.4",
            "[::1]",
        ],
        0.12,
    )
    .to_string()
}

/// The option names and the values each is tried with.
fn table(files: &Files<'_>) -> Vec<(&'static str, Vec<String>)> {
    let texts = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let booleans = texts(&["true", "false", "TRUE", "yes", "1", ""]);
    let ms = texts(&[
        "0", "100", "1000", "-1", "1e3", "inf", "nan", "x", "１０", "0.5", "1_000",
    ]);
    let ints = texts(&["0", "1", "5", "200", "-1", "x", "１", " 3 ", "1.5"]);
    vec![
        ("tls", booleans.clone()),
        ("ssl", booleans.clone()),
        ("tlsInsecure", booleans.clone()),
        ("tlsAllowInvalidCertificates", booleans.clone()),
        ("tlsAllowInvalidHostnames", booleans.clone()),
        ("tlsDisableOCSPEndpointCheck", booleans.clone()),
        (
            "tlsCAFile",
            vec![escape(files.ca), escape(files.ca), String::new()],
        ),
        ("tlsCertificateKeyFile", vec![escape(files.client)]),
        (
            "tlsCertificateKeyFilePassword",
            texts(&["s3cret", "", "p%20w%2B"]),
        ),
        (
            "tlsCRLFile",
            vec![escape(files.crl), escape(files.crl), String::new()],
        ),
        (
            "authMechanism",
            texts(&[
                "SCRAM-SHA-256",
                "SCRAM-SHA-1",
                "PLAIN",
                "GSSAPI",
                "MONGODB-X509",
                "MONGODB-AWS",
                "MONGODB-OIDC",
                "DEFAULT",
                "scram-sha-1",
                "FOO",
            ]),
        ),
        ("authSource", texts(&["admin", "%24external", "", "db"])),
        (
            "authMechanismProperties",
            texts(&[
                "SERVICE_NAME:other",
                "SERVICE_NAME:a,CANONICALIZE_HOST_NAME:true",
                "CANONICALIZE_HOST_NAME:forward",
                "CANONICALIZE_HOST_NAME:bad",
                "ENVIRONMENT:azure",
                "ENVIRONMENT:azure,TOKEN_RESOURCE:x",
                "ENVIRONMENT:gcp,TOKEN_RESOURCE:",
                "ENVIRONMENT:test",
                "ENVIRONMENT:k8s",
                "ENVIRONMENT:bogus",
                "AWS_SESSION_TOKEN:tok",
                "AWS_SESSION_TOKENx:tok",
                "FOO:bar",
                "SERVICE_NAME",
                "ENVIRONMENT%3Aazure",
            ]),
        ),
        (
            "readPreference",
            texts(&[
                "primary",
                "primaryPreferred",
                "secondary",
                "secondaryPreferred",
                "nearest",
                "Primary",
                "x",
            ]),
        ),
        (
            "readPreferenceTags",
            texts(&["dc:ny", "dc:ny,rack:1", "", "dc", "a%3Ab:c", "dc:ny:x"]),
        ),
        ("maxStalenessSeconds", texts(&["-1", "90", "0", "x", "120"])),
        ("srvMaxHosts", texts(&["0", "1", "2", "-1", "x"])),
        ("replicaSet", texts(&["rs0", ""])),
        ("loadBalanced", booleans.clone()),
        ("directConnection", booleans.clone()),
        ("srvServiceName", texts(&["mongodb", "custom"])),
        (
            "srvAllowedHostsSuffix",
            texts(&["example.com", "com", "..", "test", "Example.COM."]),
        ),
        ("connectTimeoutMS", ms.clone()),
        ("socketTimeoutMS", ms.clone()),
        ("serverSelectionTimeoutMS", ms.clone()),
        (
            "heartbeatFrequencyMS",
            texts(&["100", "499.9", "500", "1000", "x"]),
        ),
        ("localThresholdMS", texts(&["0", "0.0", "15", "-1"])),
        ("maxIdleTimeMS", ms.clone()),
        ("waitQueueTimeoutMS", ms.clone()),
        ("timeoutMS", ms),
        ("maxPoolSize", ints.clone()),
        ("minPoolSize", ints.clone()),
        ("maxConnecting", ints.clone()),
        ("wTimeoutMS", ints.clone()),
        ("maxAdaptiveRetries", ints.clone()),
        ("waitQueueMultiple", ints),
        ("w", texts(&["0", "1", "majority", "-1", "２"])),
        ("journal", booleans.clone()),
        ("fsync", booleans.clone()),
        (
            "compressors",
            texts(&["zlib", "snappy", "zstd", "zlib,lz4", "", "zlib,zlib"]),
        ),
        ("zlibCompressionLevel", texts(&["-1", "9", "10", "x", "-2"])),
        (
            "appName",
            vec!["app".into(), "a".repeat(129), "%E2%9C%93".into()],
        ),
        ("retryReads", booleans.clone()),
        ("retryWrites", booleans.clone()),
        ("enableOverloadRetargeting", booleans.clone()),
        ("connect", booleans.clone()),
        ("tz_aware", booleans.clone()),
        (
            "uuidRepresentation",
            texts(&["standard", "pythonLegacy", "x"]),
        ),
        ("unicode_decode_error_handler", texts(&["strict", "x"])),
        (
            "datetime_conversion",
            texts(&["DATETIME_MS", "2", "7", "x", "²", "２"]),
        ),
        ("serverMonitoringMode", texts(&["auto", "poll", "x"])),
        ("readConcernLevel", texts(&["majority", ""])),
        ("driver", texts(&["x"])),
        ("server_api", texts(&["1"])),
        // Unknown and misspelt names.
        ("foo", texts(&["bar"])),
        ("tlsCAFil", vec![escape(files.ca)]),
        ("tlsInsecur", texts(&["true"])),
        ("tlsAllowInvalidCertificate", texts(&["true"])),
        ("readpreferences", texts(&["primary"])),
        ("replicaset2", texts(&["rs"])),
        ("tlsDisableCertificateRevocationCheck", texts(&["true"])),
        ("s3cret", texts(&["hunter2"])),
    ]
}

/// A name in a random case: as written, all lower, all upper, or mixed.
fn cased(rng: &mut ChaCha8Rng, name: &str) -> String {
    match rng.gen_range(0..10) {
        0 => name.to_lowercase(),
        1 => name.to_uppercase(),
        2 => name
            .chars()
            .map(|c| {
                if rng.gen_bool(0.5) {
                    c.to_ascii_uppercase()
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect(),
        _ => name.to_string(),
    }
}

/// A value as written in the URI: as it is, or with its first character percent-encoded.
fn written(rng: &mut ChaCha8Rng, value: &str) -> String {
    match value.chars().next() {
        Some(c) if rng.gen_bool(0.1) && c.is_ascii_alphanumeric() => {
            format!("%{:02X}{}", c as u32, &value[1..])
        }
        _ => value.to_string(),
    }
}

/// Options only a `mongodb+srv://` URI may carry.
const SRV_ONLY: [&str; 3] = ["srvServiceName", "srvAllowedHostsSuffix", "srvMaxHosts"];

fn option(rng: &mut ChaCha8Rng, files: &Files<'_>, srv: bool) -> String {
    let table = table(files);
    let (name, values) = loop {
        let (name, values) = table.choose(rng).expect("a non-empty table");
        // On a mongodb:// URI they are errors; let that be rare.
        if srv || !SRV_ONLY.contains(name) || rng.gen_bool(0.1) {
            break (name, values);
        }
    };
    let value = values.choose(rng).expect("values for each name");
    format!("{}={}", cased(rng, name), written(rng, value))
}

/// An option called `name` (in any case), with a value for it.
fn option_named(rng: &mut ChaCha8Rng, files: &Files<'_>, name: &str) -> String {
    let table = table(files);
    let values = table
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| vec!["1".into()]);
    let value = values.choose(rng).expect("values for each name");
    format!("{}={}", cased(rng, name), written(rng, value))
}
