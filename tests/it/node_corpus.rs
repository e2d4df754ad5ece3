//! Connection strings (and options objects) for the Node driver agreement test, in three
//! parts: every pair of TLS options with representative values, the edge cases of the
//! driver's URI parser one by one, and a seeded random mix of TLS and other options with
//! duplicates, letter cases, encodings and unknown names.

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{Map, Value, json};

/// One `new MongoClient(uri, options)`.
#[derive(Debug, Clone)]
pub struct Case {
    pub uri: String,
    pub options: Map<String, Value>,
}

fn uri(text: impl Into<String>) -> Case {
    Case {
        uri: text.into(),
        options: Map::new(),
    }
}

fn with(text: &str, options: Value) -> Case {
    let Value::Object(options) = options else {
        panic!("options must be an object")
    };
    Case {
        uri: text.to_string(),
        options,
    }
}

/// The TLS options (and one Node does not know) with the values each is tried with in
/// pairs: good, bad, empty.
fn tls_options() -> Vec<(&'static str, Vec<&'static str>)> {
    let flag = vec!["true", "false", "TRUE", ""];
    vec![
        ("tls", flag.clone()),
        ("ssl", vec!["true", "false", "1"]),
        ("tlsInsecure", flag.clone()),
        ("tlsAllowInvalidCertificates", flag.clone()),
        ("tlsAllowInvalidHostnames", vec!["true", "false", "yes"]),
        ("tlsCAFile", vec!["ca.pem", "pki%20dir%2Bx/ca.pem", ""]),
        ("tlsCRLFile", vec!["crl.pem", ""]),
        ("tlsCertificateKeyFile", vec!["client.pem", "a+b.pem", ""]),
        (
            "tlsCertificateKeyFilePassword",
            vec!["s3cret", "a+b%2Bc", ""],
        ),
        ("tlsDisableOCSPEndpointCheck", vec!["true"]),
    ]
}

/// Every unordered pair of [`tls_options`] with every pair of their values, on a plain and
/// an SRV URI by turns, the pair's order flipped every other time; each once alone and once
/// after `tls=true` (so that file options are read with TLS on).
pub fn tls_pairs() -> Vec<Case> {
    let options = tls_options();
    let mut cases = Vec::new();
    for (i, (a, a_values)) in options.iter().enumerate() {
        for (b, b_values) in &options[i + 1..] {
            for a_value in a_values {
                for b_value in b_values {
                    let n = cases.len() / 2;
                    let base = if n % 5 == 4 {
                        "mongodb+srv://c.example.com/"
                    } else {
                        "mongodb://h/"
                    };
                    let (first, second) = if n % 2 == 0 {
                        (format!("{a}={a_value}"), format!("{b}={b_value}"))
                    } else {
                        (format!("{b}={b_value}"), format!("{a}={a_value}"))
                    };
                    cases.push(uri(format!("{base}?{first}&{second}")));
                    cases.push(uri(format!("{base}?tls=true&{first}&{second}")));
                }
            }
        }
    }
    cases
}

/// The parser's edge cases, one each.
pub fn edge_cases() -> Vec<Case> {
    let uris = [
        // syntax
        "mongodb:/h",
        "http://h/",
        "MONGODB://h/",
        "mongodb://",
        "mongodb:///db",
        "mongodb://h:99999/?tls=true",
        "mongodb://h:0/",
        "mongodb://h:65535/",
        "mongodb://h:00027017/",
        "mongodb://h:1234567/",
        "mongodb://h:12a/",
        "mongodb://h:/",
        "mongodb://:27017/",
        "mongodb://h,:27017/",
        "mongodb://h,,k/",
        "mongodb://h,/",
        "mongodb://[::1]:27017/?tls=true",
        "mongodb://[::1/",
        "mongodb://[zz::1]/",
        "mongodb://[::1]x/",
        "mongodb://a[b/",
        "mongodb://a b/",
        "mongodb://a|b/",
        "mongodb://a%zz/",
        "mongodb://a%41/?tls=true",
        "mongodb://a%ff/",
        "mongodb://h#frag/?tls=true",
        "mongodb://h/?tls=true#frag",
        "mongodb://h/?tls=true#&tls=false",
        "mongodb://%2Ftmp%2Fmongodb-27017.sock/?tls=true",
        "mongodb://%zz.sock/",
        "mongodb://h.sock/",
        "mongodb://user:pass@h/?tls=true",
        "mongodb://user@h/",
        "mongodb://user:@h/",
        "mongodb://:pass@h/",
        "mongodb://@h/",
        "mongodb://us:er:pa@h/",
        "mongodb://u@v@h/",
        "mongodb://u:p@h@k/",
        "mongodb://u%zz:p@h/",
        "mongodb://u:p%zz@h/",
        "mongodb://u[x]:p@h/",
        "mongodb://u:p[x]@h/",
        "mongodb://u:p#x@h/",
        "mongodb://u%40x:p%3Ay@h/?authMechanism=SCRAM-SHA-256",
        "mongodb://h/db?tls=true",
        "mongodb://h/%zz",
        "mongodb://h/%E0%A4",
        "mongodb://h/a/..",
        "mongodb://h/a/../b?authMechanism=SCRAM-SHA-1",
        "mongodb://h/.",
        "mongodb://h/%2e%2E",
        "mongodb://h/db%20x",
        "mongodb://h?tls=true",
        "mongodb://h/?",
        "mongodb://h/?&",
        "mongodb+srv://c.example.com/",
        "mongodb+srv://c.example.com:27017/",
        "mongodb+srv://a.example.com,b.example.com/",
        "mongodb+srv://c.example.com/?tls=false",
        "mongodb+srv://c.example.com/?ssl=false&tlsCAFile=ca.pem",
        "mongodb+srv://c.example.com/?TLS=false",
        "mongodb+srv://c.example.com/?directConnection=true",
        "mongodb+srv://c.example.com/?srvMaxHosts=2&replicaSet=rs",
        "mongodb+srv://c.example.com/?srvMaxHosts=2&loadBalanced=true",
        "mongodb+srv://c.example.com/?srvServiceName=x&tls=true",
        "mongodb+srv://c.example.com/?srvMaxHosts=x",
        "mongodb+srv://h%zz/",
        // URLSearchParams
        "mongodb://h/?tls=true;tlsCAFile=ca.pem",
        "mongodb://h/?tlsCertificateKeyFilePassword=a+b&tls=true",
        "mongodb://h/?tlsCertificateKeyFilePassword=a%2Bb&tls=true",
        "mongodb://h/?%74ls=true",
        "mongodb://h/?%74LS=true&tls=false",
        "mongodb://h/?t%zzls=true",
        "mongodb://h/?tls=tr%75e",
        "mongodb://h/?tls=true&tlsCAFile=%ff",
        "mongodb://h/?tls=true&tlsCAFile=%E2%82%AC.pem",
        "mongodb://h/?tls=true&tlsCAFile=€.pem",
        "mongodb://h/?tls=true&tlsCAFile=a b.pem",
        "mongodb://h/?tls=true&tlsCAFile=a%20b.pem",
        "mongodb://h/?tls=true&tlsCAFile=a=b.pem",
        "mongodb://h/?=x",
        "mongodb://h/?=",
        "mongodb://h/?tls",
        "mongodb://h/?tls=true&",
        "mongodb://h/?&tls=true",
        "mongodb://h/?tls=true&&tlsInsecure=true",
        "mongodb://h/?tls=true\ttlsInsecure=true",
        "mongodb://h/?tls=tr\tue",
        "mongodb://h/?tls=true ",
        "mongodb://h/?tls=true%20",
        "mongodb://h/?tls=%20true",
        "mongodb://h/?tls=true\n&foo=bar",
        "mongodb://h/?tls=true\u{2028}&foo=bar",
        "mongodb://h/?tls=true&tlsCAFile=ca.pem\u{1}",
        // duplicates and letter cases
        "mongodb://h/?tls=true&tls=true",
        "mongodb://h/?tls=true&tls=false",
        "mongodb://h/?tls=true&TLS=false",
        "mongodb://h/?TLS=false&tls=true",
        "mongodb://h/?tls=true&TLS=maybe",
        "mongodb://h/?tlsInsecure=true&TLSINSECURE=maybe",
        "mongodb://h/?tls=true&TLS=",
        "mongodb://h/?TLS=&tls=true",
        "mongodb://h/?TLS=true&tls=a&tls=b",
        "mongodb://h/?tls=a&tls=b&TLS=c",
        "mongodb://h/?tlsCAFile=a.pem&tlscafile=b.pem&tls=true",
        "mongodb://h/?tlsCAFile=a.pem&tlsCAFile=a.pem",
        "mongodb://h/?readPreferenceTags=a:b&readPreferenceTags=c:d",
        "mongodb://h/?readPreferenceTags=&tls=true",
        "mongodb://h/?timeoutMS=&tls=true",
        "mongodb://h/?timeoutMS=5&timeoutMS=6",
        "mongodb://h/?dbName=x&tls=true",
        "mongodb://h/db?dbname=x",
        "mongodb://h/?auth=x",
        "mongodb://u:p@h/?auth=x",
        // tls / ssl
        "mongodb://h/?tls=yes&foo=bar",
        "mongodb://h/?tls=true&ssl=false",
        "mongodb://h/?tls=true&ssl=true&tlsCAFile=ca.pem",
        "mongodb://h/?ssl=true",
        "mongodb://h/?SSL=true",
        "mongodb://h/?tls=false&ssl=maybe",
        // conflicts and their order
        "mongodb://h/?tlsInsecure=false&tlsAllowInvalidCertificates=false",
        "mongodb://h/?tlsInsecure=maybe&tlsAllowInvalidHostnames=maybe",
        "mongodb://h/?tlsAllowInvalidHostnames=true&tlsInsecure=true&tlsAllowInvalidCertificates=true",
        "mongodb://h/?tlsInsecure=true&foo=bar",
        "mongodb://h/?tls=maybe&tlsInsecure=true&tlsAllowInvalidCertificates=true",
        // unknown names
        "mongodb://h/?tls=true&tlsDisableOCSPEndpointCheck=true",
        "mongodb://h/?foo=1&Bar=2&tls=true",
        "mongodb://h/?foo=1&FOO=2",
        "mongodb://h/?minVersion=TLSv1.2&maxVersion=TLSv1.3",
        "mongodb://h/?ssl_ca_certs=ca.pem",
        "mongodb://h/?tlsCertificateFile=c.pem&tlsPrivateKeyFile=k.pem",
        "mongodb://h/?serverApi=1",
        "mongodb://h/?srvHostValidator=x",
        "mongodb://h/?authMechanismProperties=ALLOWED_HOSTS:x",
        "mongodb://h/?authMechanismProperties=A:b,ALLOWED_HOSTS:x&tls=maybe",
        "mongodb://h/?loadBalanced=true&foo=1",
        // values in table order
        "mongodb://h/?tls=true&tlsAllowInvalidCertificates=maybe&connectTimeoutMS=x",
        "mongodb://h/?tlsInsecure=x&appName=a&maxPoolSize=y",
        "mongodb://h/?wtimeout=5&tls=true&tlsInsecure=x",
        "mongodb://h/?j=true&fsync=false&timeoutMS=1",
        "mongodb://h/?journal=maybe",
        "mongodb://h/?j=maybe",
        "mongodb://h/?tlsInsecure=false&tls=true",
        "mongodb://h/?tlsInsecure=true&tls=false",
        "mongodb://h/?tlsAllowInvalidHostnames=true&tls=true",
        "mongodb://h/?tlsAllowInvalidCertificates=true&tls=true",
        "mongodb://h/?tlsAllowInvalidCertificates=false&tlsAllowInvalidHostnames=false&tls=true",
        // files without tls, files with tls=false
        "mongodb://h/?tlsCAFile=ca.pem",
        "mongodb://h/?tls=false&tlsCAFile=ca.pem&tlsCertificateKeyFile=c.pem&tlsCRLFile=crl.pem",
        "mongodb://h/?tls=true&tlsCRLFile=crl.pem&tlsInsecure=true",
        "mongodb://h/?tls=true&tlsCRLFile=crl.pem&tlsAllowInvalidCertificates=true",
        // Node's own socket options
        "mongodb://h/?tls=true&secureProtocol=TLSv1_2_method",
        "mongodb://h/?tls=true&ca=ca.pem",
        "mongodb://h/?tls=true&servername=x",
        "mongodb://h/?tls=true&rejectUnauthorized=false",
        "mongodb://h/?tls=true&checkServerIdentity=false",
        "mongodb://h/?tls=true&passphrase=x&tlsCertificateKeyFilePassword=y",
        "mongodb://h/?tls=true&allowPartialTrustChain=true",
        "mongodb://h/?tls=maybe&secureProtocol=TLSv1_2_method",
        "mongodb://h/?secureProtocol=TLSv1_2_method&connectTimeoutMS=x",
        // other checks after the values
        "mongodb://user:pass@h/?tls=true&authMechanism=MONGODB-X509",
        "mongodb://user@h/?tls=true&authMechanism=MONGODB-X509",
        "mongodb://h/?authMechanism=MONGODB-X509&authSource=admin",
        "mongodb://h/?authMechanism=GSSAPI",
        "mongodb://u@h/?authMechanism=GSSAPI&authSource=$external",
        "mongodb://h/?authMechanism=PLAIN",
        "mongodb://u:p@h/?authMechanism=PLAIN",
        "mongodb://h/?authMechanism=SCRAM-SHA-1",
        "mongodb://u:p@h/?authMechanism=MONGODB-AWS",
        "mongodb://h/?authMechanism=MONGODB-AWS",
        "mongodb://h/?authMechanism=MONGODB-OIDC",
        "mongodb://u:p@h/?authMechanism=MONGODB-OIDC",
        "mongodb://h/?authMechanism=DEFAULT",
        "mongodb://h/?authMechanism=scram",
        "mongodb://h/?authMechanism=sha-256",
        "mongodb://h/?authMechanism=1",
        "mongodb://h/?authMechanism=X509",
        "mongodb://h/?authMechanism=bogus",
        "mongodb://h/?authMechanism=-",
        "mongodb://h/?authSource=db&tls=true",
        "mongodb://u:p@h/db?authSource=other",
        "mongodb://h/?loadBalanced=true",
        "mongodb://h,k/?loadBalanced=true",
        "mongodb://h/?loadBalanced=true&replicaSet=rs",
        "mongodb://h/?loadBalanced=true&directConnection=true",
        "mongodb://h/?loadBalanced=maybe",
        "mongodb://h,k/?directConnection=true",
        "mongodb://h/?directConnection=true&tls=true",
        "mongodb://h/?srvMaxHosts=1",
        "mongodb://h/?srvServiceName=x&srvMaxHosts=1",
        "mongodb://h/?proxyPort=1080",
        "mongodb://h/?proxyHost=p&proxyUsername=u",
        "mongodb://h/?proxyHost=p&proxyUsername=u&proxyPassword=x",
        "mongodb://h/?proxyHost=p&proxyPort=x",
        "mongodb://h/?readPreference=secondary&maxStalenessSeconds=90",
        "mongodb://h/?readPreference=primary&maxStalenessSeconds=90",
        "mongodb://h/?maxStalenessSeconds=90",
        "mongodb://h/?maxStalenessSeconds=0",
        "mongodb://h/?readPreference=Primary",
        "mongodb://h/?readPreference=\"x\"",
        "mongodb://h/?compressors=zlib,snappy",
        "mongodb://h/?compressors=zlib,",
        "mongodb://h/?compressors=gzip",
        "mongodb://h/?family=5",
        "mongodb://h/?family=6.5",
        "mongodb://h/?maxConnecting=0",
        "mongodb://h/?maxConnecting=-0",
        "mongodb://h/?serverMonitoringMode=poll",
        "mongodb://h/?serverMonitoringMode=x",
        "mongodb://h/?writeConcern=majority",
        "mongodb://h/?writeConcern=1",
        "mongodb://h/?w=x&wtimeoutMS=-1",
        "mongodb://h/?mongodbLogPath=stderr",
        "mongodb://h/?mongodbLogPath=file.log",
        "mongodb://h/?pkFactory=x",
        "mongodb://h/?autoEncryption=x",
        "mongodb://h/?driverInfo=x",
        "mongodb://h/?zlibCompressionLevel=-1",
        "mongodb://h/?connectTimeoutMS=1e3",
        "mongodb://h/?connectTimeoutMS=%2012",
        "mongodb://h/?connectTimeoutMS=-0",
        "mongodb://h/?connectTimeoutMS=0x10",
        "mongodb://h/?connectTimeoutMS=99999999999999999999999",
        "mongodb://h/?connectTimeoutMS=-99999999999999999999999",
        "mongodb://h/?connectTimeoutMS=%E2%80%A812",
        "mongodb://h/?connectTimeoutMS=１２",
        "mongodb://h/?__skipPingOnConnect=true",
        "mongodb://h/?readConcern=majority",
        "mongodb://h/?readConcern=%01%E2%80%A8\"",
        "mongodb://h/?readConcernLevel=majority&tls=true",
        "mongodb://h/?mongodbLogComponentSeverities=x",
        "mongodb+srv://c.example.com/?srvAllowedHostsSuffix=example.com",
        "mongodb+srv://c.example.com/?srvAllowedHostsSuffix=..",
        "mongodb+srv://c.example.com/?srvAllowedHostsSuffix=.Local.",
        "mongodb+srv://c.example.com/?srvAllowedHostsSuffix=com",
        "mongodb+srv://c.example.com/?srvAllowedHostsSuffix=a%3Ab.com",
        "mongodb+srv://c.example.com/?srvAllowedHostsSuffix=a%20b.com",
        "mongodb://h/?srvAllowedHostsSuffix=example.com",
        "mongodb://h/?srvAllowedHostsSuffix=x",
        "mongodb://h/?name=x&appName=y",
    ];
    let mut cases: Vec<Case> = uris.into_iter().map(uri).collect();
    let options = [
        ("mongodb://h/", json!({"tls": true, "tlsCAFile": "ca.pem"})),
        ("mongodb://h/", json!({"tls": "true"})),
        ("mongodb://h/", json!({"tls": 1})),
        ("mongodb://h/", json!({"tls": null, "tlsCAFile": "ca.pem"})),
        ("mongodb://h/?tls=true", json!({"tls": false})),
        ("mongodb://h/?tls=true", json!({"ssl": true})),
        ("mongodb://h/?tls=true", json!({"TLS": true, "tls": true})),
        (
            "mongodb://h/?tlsAllowInvalidCertificates=true",
            json!({"tlsInsecure": false}),
        ),
        ("mongodb://h/?tls=true", json!({"tlsCAFile": 5})),
        ("mongodb://h/?tls=true", json!({"tlsCAFile": ["a", "b"]})),
        (
            "mongodb://h/?tls=true",
            json!({"tlsCertificateKeyFilePassword": "pw"}),
        ),
        (
            "mongodb://h/?tls=true&tlsCertificateKeyFilePassword=a",
            json!({"tlsCertificateKeyFilePassword": "b"}),
        ),
        (
            "mongodb://h/?tls=true",
            json!({"tlsAllowInvalidHostnames": "yes"}),
        ),
        (
            "mongodb://h/?tls=true",
            json!({"tlsAllowInvalidCertificates": true}),
        ),
        ("mongodb+srv://c.example.com/", json!({"tls": false})),
        ("mongodb+srv://c.example.com/", json!({"ssl": null})),
        ("mongodb://h/", json!({"loadBalanced": true})),
        ("mongodb://h/", json!({"serverApi": "1"})),
        ("mongodb://h/", json!({"serverApi": "2"})),
        ("mongodb://h/", json!({"serverApi": {"version": "1"}})),
        ("mongodb://h/", json!({"serverApi": {"version": 1}})),
        ("mongodb://h/", json!({"serverApi": {}})),
        ("mongodb://h/", json!({"serverApi": 1})),
        (
            "mongodb://h/",
            json!({"useBigInt64": true, "promoteLongs": false}),
        ),
        (
            "mongodb://h/",
            json!({"useBigInt64": true, "promoteValues": false, "tls": "x"}),
        ),
        (
            "mongodb://h/",
            json!({"useBigInt64": true, "promoteLongs": true}),
        ),
        ("mongodb://h/", json!({"connectTimeoutMS": 1.7})),
        ("mongodb://h/", json!({"connectTimeoutMS": -1.5})),
        ("mongodb://h/", json!({"connectTimeoutMS": "x"})),
        ("mongodb://h/", json!({"connectTimeoutMS": true})),
        ("mongodb://h/", json!({"connectTimeoutMS": [7]})),
        ("mongodb://h/", json!({"connectTimeoutMS": {}})),
        ("mongodb://h/", json!({"compressors": ["zlib", "bad"]})),
        (
            "mongodb://h/?compressors=bad",
            json!({"compressors": "zlib"}),
        ),
        ("mongodb://h/", json!({"compressors": 5})),
        ("mongodb://h/", json!({"readPreference": 5})),
        ("mongodb://h/", json!({"readPreference": "nearest"})),
        (
            "mongodb://u:p@h/",
            json!({"auth": {"username": "v", "password": "q"}}),
        ),
        ("mongodb://h/", json!({"auth": {"username": "v"}})),
        ("mongodb://h/", json!({"auth": "x"})),
        ("mongodb://h/", json!({"pkFactory": {}})),
        ("mongodb://h/", json!({"srvHostValidator": "x"})),
        ("mongodb://h/", json!({"mongodbLogPath": "stdout"})),
        ("mongodb://h/", json!({"mongodbLogPath": {"write": 1}})),
        ("mongodb://h/", json!({"family": 4})),
        ("mongodb://h/", json!({"family": "6"})),
        ("mongodb://h/", json!({"family": 4.5})),
        ("mongodb://h/", json!({"driverInfo": {"name": "x"}})),
        ("mongodb://h/", json!({"driverInfo": []})),
        ("mongodb://h/", json!({"fieldsAsRaw": "x"})),
        ("mongodb://h/", json!({"writeConcern": 1})),
        ("mongodb://h/", json!({"writeConcern": true})),
        ("mongodb://h/", json!({"writeConcern": "x"})),
        ("mongodb://h/", json!({"foo": 1, "tls": true})),
        ("mongodb://h/?bar=1", json!({"foo": 1})),
        (
            "mongodb://h/",
            json!({"tlsInsecure": true, "tlsAllowInvalidHostnames": false}),
        ),
        (
            "mongodb://h/",
            json!({"directConnection": true, "replicaSet": "rs"}),
        ),
        ("mongodb://h/", json!({"srvMaxHosts": 1})),
        ("mongodb://h/", json!({"proxyHost": "", "proxyPort": 1})),
        (
            "mongodb://h/",
            json!({"proxyUsername": "", "proxyPassword": ""}),
        ),
        (
            "mongodb://h/",
            json!({"authMechanism": "MONGODB-X509", "tls": true}),
        ),
        ("mongodb://h/", json!({"dbName": "x", "authSource": "y"})),
        ("mongodb://h/", json!({"timeoutMS": 5})),
        (
            "mongodb://h/",
            json!({"readConcern": {"level": "majority"}}),
        ),
        ("mongodb://h/", json!({"readConcern": 1.5})),
        ("mongodb://h/", json!({"readConcern": 1e21})),
        ("mongodb://h/", json!({"readConcern": true})),
        ("mongodb://h/", json!({"mongodbLogComponentSeverities": 5})),
        (
            "mongodb+srv://c.example.com/",
            json!({"srvAllowedHostsSuffix": 5}),
        ),
        (
            "mongodb+srv://c.example.com/",
            json!({"srvAllowedHostsSuffix": "x.org"}),
        ),
        ("mongodb://h/", json!({"wtimeout": 5, "j": true})),
    ];
    cases.extend(options.into_iter().map(|(u, o)| with(u, o)));
    cases
}

/// Options and the values the random part tries, TLS and not.
fn table() -> Vec<(&'static str, Vec<&'static str>)> {
    let flag = vec![
        "true", "false", "true", "false", "true", "false", "TRUE", "1", "", "maybe",
    ];
    let int = vec![
        "1000", "1000", "0", "20", "-1", "x", "1.5", "+7", "%207", "1e3", "", "05",
    ];
    let mut table = tls_options();
    table.extend([
        ("connectTimeoutMS", int.clone()),
        ("serverSelectionTimeoutMS", int.clone()),
        ("socketTimeoutMS", int.clone()),
        ("maxPoolSize", int.clone()),
        ("minPoolSize", int.clone()),
        ("heartbeatFrequencyMS", int.clone()),
        ("waitQueueTimeoutMS", int.clone()),
        ("maxIdleTimeMS", int.clone()),
        ("localThresholdMS", int.clone()),
        ("zlibCompressionLevel", vec!["-1", "9", "x"]),
        ("maxConnecting", vec!["2", "0", "-1", "x"]),
        ("family", vec!["4", "6", "5", "x"]),
        ("retryWrites", flag.clone()),
        ("retryReads", flag.clone()),
        ("directConnection", flag.clone()),
        ("loadBalanced", vec!["true", "false", "x"]),
        ("journal", flag.clone()),
        ("j", vec!["true", "x"]),
        ("fsync", vec!["false", "x"]),
        ("w", vec!["1", "majority", "x", "0"]),
        ("wtimeoutMS", vec!["100", "-5", "x"]),
        ("wtimeout", vec!["100", "x"]),
        ("writeConcern", vec!["majority", "1"]),
        (
            "readPreference",
            vec![
                "primary",
                "secondary",
                "nearest",
                "primaryPreferred",
                "Primary",
                "bogus",
            ],
        ),
        ("maxStalenessSeconds", vec!["90", "0", "-1", "x"]),
        ("replicaSet", vec!["rs0", "rs0"]),
        ("appName", vec!["app", "a b", "a+b"]),
        ("authSource", vec!["admin", "$external", "db"]),
        (
            "authMechanism",
            vec![
                "SCRAM-SHA-256",
                "SCRAM-SHA-1",
                "MONGODB-X509",
                "PLAIN",
                "GSSAPI",
                "MONGODB-AWS",
                "DEFAULT",
                "bogus",
                "scram-sha-1",
                "x509",
            ],
        ),
        ("compressors", vec!["zlib", "snappy,zlib", "bad", "none"]),
        ("serverMonitoringMode", vec!["auto", "poll", "bogus"]),
        ("srvMaxHosts", vec!["0", "2", "x"]),
        ("srvServiceName", vec!["mongodb"]),
        ("proxyHost", vec!["p"]),
        ("proxyPort", vec!["1080", "x"]),
        ("proxyUsername", vec!["u"]),
        ("proxyPassword", vec!["p"]),
        ("timeoutMS", vec!["100", ""]),
        ("noDelay", flag.clone()),
        ("monitorCommands", vec!["true", "x"]),
        ("autoSelectFamily", vec!["false", "x"]),
        ("enableUtf8Validation", vec!["false"]),
        ("serverApi", vec!["1"]),
        ("foo", vec!["bar"]),
        ("ssl_ca_certs", vec!["ca.pem"]),
        ("minVersion", vec!["TLSv1.2"]),
        ("secureProtocol", vec!["TLSv1_2_method"]),
        ("servername", vec!["x"]),
        ("readPreferenceTags", vec!["dc:ny", ""]),
        ("readConcern", vec!["majority"]),
        ("readConcernLevel", vec!["local", "bogus"]),
        ("srvAllowedHostsSuffix", vec!["example.com", "com", "."]),
        (
            "authMechanismProperties",
            vec!["SERVICE_NAME:x", "ALLOWED_HOSTS:y"],
        ),
    ]);
    table
}

fn pick<'a>(rng: &mut ChaCha8Rng, items: &[&'a str]) -> &'a str {
    items.choose(rng).copied().expect("a non-empty list")
}

/// A name in another letter case now and then.
fn cased(rng: &mut ChaCha8Rng, name: &str) -> String {
    match rng.gen_range(0..12) {
        0 => name.to_lowercase(),
        1 => name.to_uppercase(),
        2 => format!("%{:02X}{}", name.as_bytes()[0], &name[1..]),
        _ => name.to_string(),
    }
}

/// `count` random cases from `seed`.
pub fn random(seed: u64, count: usize) -> Vec<Case> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let table = table();
    let tls_count = tls_options().len();
    (0..count)
        .map(|_| {
            let srv = rng.gen_bool(0.15);
            let mut text = String::from(if srv { "mongodb+srv://" } else { "mongodb://" });
            if rng.gen_bool(0.25) {
                text.push_str(pick(
                    &mut rng,
                    &["u:p@", "u@", "u:@", "u%40x:p%2B@", ":p@", "u%zz:p@"],
                ));
            }
            text.push_str(if srv {
                pick(
                    &mut rng,
                    &[
                        "c.example.com",
                        "c.example.com",
                        "c.example.com:1",
                        "a.x,b.x",
                    ],
                )
            } else {
                let good = [
                    "h",
                    "h",
                    "h",
                    "h:27017",
                    "h,k:27018",
                    "[::1]",
                    "127.0.0.1",
                    "%2Ftmp%2Fm.sock",
                ];
                let bad = ["h:0", "h:70000", "/tmp/m.sock", "h:x"];
                let list = if rng.gen_bool(0.1) {
                    &bad[..]
                } else {
                    &good[..]
                };
                pick(&mut rng, list)
            });
            text.push_str(pick(&mut rng, &["/", "/", "/", "/", "", "", "/db", "/%zz"]));
            let mut pairs = Vec::new();
            for _ in 0..rng.gen_range(0..6) {
                // Half the options are TLS ones.
                let (name, values) = if rng.gen_bool(0.5) {
                    &table[rng.gen_range(0..tls_count)]
                } else {
                    &table[rng.gen_range(tls_count..table.len())]
                };
                pairs.push(format!(
                    "{}={}",
                    cased(&mut rng, name),
                    pick(&mut rng, values)
                ));
                if rng.gen_bool(0.05) {
                    pairs.push(pairs.last().cloned().unwrap_or_default());
                }
            }
            if !pairs.is_empty() || rng.gen_bool(0.2) {
                text.push('?');
                let separator = if rng.gen_bool(0.04) { ";" } else { "&" };
                text.push_str(&pairs.join(separator));
            }
            let mut options = Map::new();
            if rng.gen_bool(0.2) {
                for _ in 0..rng.gen_range(1..3) {
                    let (name, values) = &table[rng.gen_range(0..table.len())];
                    let value = pick(&mut rng, values);
                    let json = match value {
                        "true" if rng.gen_bool(0.7) => Value::Bool(true),
                        "false" if rng.gen_bool(0.7) => Value::Bool(false),
                        v => match v.parse::<i64>() {
                            Ok(n) if rng.gen_bool(0.7) => json!(n),
                            _ => json!(v),
                        },
                    };
                    options.insert(cased(&mut rng, name), json);
                }
            }
            Case { uri: text, options }
        })
        .collect()
}

/// Characters the URI parsers treat specially, to splice into URIs.
const TRICKY: &[&str] = &[
    "%",
    "%2",
    "%41",
    "%zz",
    "%ff",
    "%E2%82%AC",
    ":",
    "/",
    "?",
    "#",
    "[",
    "]",
    "@",
    ",",
    ";",
    "&",
    "=",
    "+",
    " ",
    "\t",
    "\n",
    "\r",
    "\\",
    "|",
    "^",
    "<",
    ">",
    "\"",
    "'",
    "\u{0}",
    "\u{1}",
    "\u{7f}",
    "é",
    "€",
    "𝔘",
    "\u{2028}",
    "\u{feff}",
    ".",
    "..",
    "0",
    "9",
    "65536",
    "a",
    "Z",
    "::",
    "::1",
    "[::1]",
    "1.2.3.4",
    ".sock",
    "tls=true",
    "tls",
    "TLS",
    "ssl=false",
    "tlsInsecure=true",
    "tlsCAFile=",
    "mongodb://",
    "mongodb+srv://",
    "u:p@",
];

/// `count` URIs from `seed`, each one of a few well-formed ones with tricky pieces spliced
/// in at random places: the corners of the URI syntax and of the WHATWG URL parser.
pub fn mutations(seed: u64, count: usize) -> Vec<Case> {
    let bases = [
        "mongodb://h/?tls=true",
        "mongodb://u:p@h:27017/db?tls=true&tlsCAFile=ca.pem",
        "mongodb://h1,h2:27018/?ssl=true&tlsInsecure=true",
        "mongodb://[::1]:27017/?tls=true&tlsAllowInvalidHostnames=true",
        "mongodb+srv://c.example.com/?tlsCertificateKeyFile=c.pem",
        "mongodb://%2Ftmp%2Fm.sock/?tls=false",
        "mongodb://127.0.0.1/?tlsCertificateKeyFilePassword=pw&tls=true",
    ];
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..count)
        .map(|_| {
            let mut text = pick(&mut rng, &bases).to_string();
            for _ in 0..rng.gen_range(1..4) {
                let boundaries: Vec<usize> = (0..=text.len())
                    .filter(|i| text.is_char_boundary(*i))
                    .collect();
                let at = *boundaries.choose(&mut rng).unwrap_or(&0);
                let piece = pick(&mut rng, TRICKY);
                if rng.gen_bool(0.2) {
                    // Replace the next character instead of inserting.
                    let end = boundaries.iter().copied().find(|i| *i > at).unwrap_or(at);
                    text.replace_range(at..end, piece);
                } else {
                    text.insert_str(at, piece);
                }
            }
            uri(text)
        })
        .collect()
}
