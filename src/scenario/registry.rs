//! Every scenario, declared once. Expectations are written here, from the guide and
//! PyMongo's documented behaviour, never computed by the validator that checks them.

use super::{
    CaseSpec, CrlSpec, Fixture, Freshness, LeafSpec, OcspSigner, OcspSpec, OcspUrl, OptionValue,
    REVOKED, Scenario, Signer, Validity,
};
use crate::error::Error;
use crate::fixtures::manifest::Expect;
use crate::pki::encrypted::KeyEncryption;
use crate::pki::leaf::Purpose;
use crate::policy::outcome::Reason;

use OptionValue::{Bool, Str};

/// PyMongo options in URI order.
type Options = Vec<(&'static str, OptionValue)>;

/// `tls=true` and `tlsCAFile=ca.pem` (the client trusts the scenario's CA), then `extra`.
fn trusting_ca(extra: Options) -> Options {
    let mut options = vec![("tls", Bool(true)), ("tlsCAFile", Str("ca.pem"))];
    options.extend(extra);
    options
}

/// The names a server certificate for this machine carries.
const LOOPBACK_NAMES: &[&str] = &["localhost", "127.0.0.1", "::1"];
/// The host every case's client connects to, unless the case says otherwise.
const HOST: &str = "localhost";

/// All scenarios, in the order of the guide's parts.
pub fn all() -> Vec<Scenario> {
    vec![
        enable_tls(),
        ca_file(),
        crl(),
        ocsp(),
        client_cert(),
        key_password(),
        insecure_tls(),
        troubleshooting(),
    ]
}

/// The scenario called `name`.
pub fn find(name: &str) -> Result<Scenario, Error> {
    all()
        .into_iter()
        .find(|s| s.name == name)
        .ok_or_else(|| Error::UnknownScenario {
            name: name.to_string(),
            known: all().iter().map(|s| s.name).collect(),
        })
}

fn root(name: &'static str, common_name: &'static str) -> Fixture {
    Fixture::Root { name, common_name }
}

fn server_leaf(name: &'static str, issuer: Signer, names: &'static [&'static str]) -> LeafSpec {
    LeafSpec {
        name,
        issuer,
        names,
        validity: Validity::Current,
        purpose: Purpose::ServerAuth,
        ocsp: OcspUrl::None,
        must_staple: false,
    }
}

fn case(name: &str, description: &str, server: &str, options: Options, expect: Expect) -> CaseSpec {
    CaseSpec {
        name: name.to_string(),
        description: description.to_string(),
        server_chain: server.to_string(),
        server_key: key_of(server),
        client_ca: None,
        staple: None,
        responder: false,
        server_tls_versions: None,
        client_tls_versions: None,
        unusable_cipher_suites: false,
        host: HOST,
        options,
        expect,
    }
}

/// `server.chain.pem` and `server.pem` are both served with `server.key.pem`.
fn key_of(chain_file: &str) -> String {
    let stem = chain_file
        .trim_end_matches(".pem")
        .trim_end_matches(".chain");
    format!("{stem}.key.pem")
}

/// The guide's "enable TLS": a private CA, and a client that must be told to trust it.
fn enable_tls() -> Scenario {
    Scenario {
        name: "enable-tls",
        summary: "Enable TLS: a server certificate from a private CA, trusted only through tlsCAFile",
        fixtures: vec![
            root("ca", "pkigen enable-tls CA"),
            Fixture::Leaf(server_leaf("server", Signer::Ca("ca"), LOOPBACK_NAMES)),
        ],
        cases: vec![
            case(
                "ca-file",
                "tls=true with tlsCAFile naming the private CA: the server is trusted",
                "server.pem",
                trusting_ca(vec![]),
                Expect::ACCEPT,
            ),
            CaseSpec {
                host: "127.0.0.1",
                ..case(
                    "ca-file-ip-address",
                    "Connecting by IP address: the certificate's IP SAN 127.0.0.1 matches",
                    "server.pem",
                    trusting_ca(vec![]),
                    Expect::ACCEPT,
                )
            },
            case(
                "system-roots",
                "tls=true alone: only the system's roots are trusted, and none of them issued this server's certificate",
                "server.pem",
                vec![("tls", Bool(true))],
                Expect::reject(Reason::UnknownIssuer),
            ),
        ],
    }
}

/// The guide's "specify a CA file": root → intermediate → server, and what the chain needs.
fn ca_file() -> Scenario {
    Scenario {
        name: "ca-file",
        summary: "Specify a CA file: root, intermediate and server, and which side must supply the intermediate",
        fixtures: vec![
            root("ca", "pkigen ca-file root CA"),
            Fixture::Intermediate {
                name: "intermediate",
                common_name: "pkigen ca-file intermediate CA",
                issuer: "ca",
            },
            Fixture::Leaf(server_leaf(
                "server",
                Signer::Ca("intermediate"),
                LOOPBACK_NAMES,
            )),
            root("other-ca", "pkigen unrelated CA"),
            Fixture::Bundle {
                file: "ca-bundle.pem",
                parts: &["ca", "intermediate"],
            },
        ],
        cases: vec![
            case(
                "chain-from-server",
                "The server sends its certificate and the intermediate; the client trusts the root",
                "server.chain.pem",
                trusting_ca(vec![]),
                Expect::ACCEPT,
            ),
            case(
                "leaf-only-from-server",
                "The server sends its certificate alone; the client trusts only the root and cannot build the chain",
                "server.pem",
                trusting_ca(vec![]),
                Expect::reject(Reason::UnknownIssuer),
            ),
            case(
                "bundle-with-intermediate",
                "The server sends its certificate alone; the client's CA file holds root and intermediate",
                "server.pem",
                vec![("tls", Bool(true)), ("tlsCAFile", Str("ca-bundle.pem"))],
                Expect::ACCEPT,
            ),
            case(
                "intermediate-only-ca-file",
                "The client's CA file holds the intermediate but not the root: OpenSSL (and so PyMongo) \
                 trusts only self-signed roots, so the chain does not end in a trust anchor",
                "server.chain.pem",
                vec![("tls", Bool(true)), ("tlsCAFile", Str("intermediate.pem"))],
                Expect::reject(Reason::UnknownIssuer),
            ),
            case(
                "other-ca",
                "The client trusts an unrelated CA",
                "server.chain.pem",
                vec![("tls", Bool(true)), ("tlsCAFile", Str("other-ca.pem"))],
                Expect::reject(Reason::UnknownIssuer),
            ),
        ],
    }
}

/// The guide's "certificate revocation list": tlsCRLFile, checked for the leaf only.
fn crl() -> Scenario {
    let with_crl = |file| {
        vec![
            ("tls", Bool(true)),
            ("tlsCAFile", Str("ca.pem")),
            ("tlsCRLFile", Str(file)),
        ]
    };
    let crl_spec = |name, issuer, revokes, freshness, number| {
        Fixture::Crl(CrlSpec {
            name,
            issuer,
            revokes,
            freshness,
            number,
        })
    };
    let conflict = |suffix: &str, option: &'static str| {
        let mut options = with_crl("crl.pem");
        options.push((option, Bool(true)));
        case(
            &format!("crl-with-{suffix}"),
            &format!(
                "tlsCRLFile together with {option}=true: PyMongo refuses to check revocation while not checking certificates"
            ),
            "server.pem",
            options,
            Expect::config_error(Reason::InvalidOptions),
        )
    };
    Scenario {
        name: "crl",
        summary: "Check revocation with a CRL: tlsCRLFile (PEM), leaf only, refusing stale and foreign CRLs",
        fixtures: vec![
            root("ca", "pkigen crl CA"),
            root("foreign-ca", "pkigen foreign CA"),
            Fixture::Leaf(server_leaf("server", Signer::Ca("ca"), LOOPBACK_NAMES)),
            Fixture::Leaf(server_leaf("revoked", Signer::Ca("ca"), LOOPBACK_NAMES)),
            crl_spec("crl", "ca", &["revoked"], Freshness::Current, 2),
            crl_spec("crl-stale", "ca", &[], Freshness::Stale, 1),
            crl_spec("crl-foreign", "foreign-ca", &[], Freshness::Current, 1),
        ],
        cases: vec![
            case(
                "revoked-pem-crl",
                "The server's certificate is listed in the CA's CRL, given as PEM",
                "revoked.pem",
                with_crl("crl.pem"),
                Expect::reject(Reason::Revoked),
            ),
            case(
                "revoked-der-crl",
                "The same CRL as DER: PyMongo hands tlsCRLFile to OpenSSL's load_verify_locations, which reads \
                 PEM only, so MongoClient raises SSLError NO_CERTIFICATE_OR_CRL_FOUND (convert with \
                 `openssl crl -inform DER -in crl.der -out crl.pem`)",
                "revoked.pem",
                with_crl("crl.der"),
                Expect::config_error(Reason::UnreadableFile),
            ),
            case(
                "good-with-crl",
                "The server's certificate is not in the CA's current CRL",
                "server.pem",
                with_crl("crl.pem"),
                Expect::ACCEPT,
            ),
            case(
                "revoked-without-crl",
                "A revoked certificate and no tlsCRLFile: PyMongo checks no revocation by default",
                "revoked.pem",
                trusting_ca(vec![]),
                Expect::ACCEPT,
            ),
            case(
                "good-with-stale-crl",
                "The CA's only CRL is past its nextUpdate: OpenSSL refuses to rely on it",
                "server.pem",
                with_crl("crl-stale.pem"),
                Expect::reject(Reason::CrlExpired),
            ),
            case(
                "good-with-foreign-crl",
                "The only CRL is signed by another CA, so nothing covers the server's issuer",
                "server.pem",
                with_crl("crl-foreign.pem"),
                Expect::reject(Reason::CrlUntrusted),
            ),
            conflict("insecure", "tlsInsecure"),
            conflict("allow-invalid-certificates", "tlsAllowInvalidCertificates"),
            conflict("disable-ocsp-endpoint-check", "tlsDisableOCSPEndpointCheck"),
        ],
    }
}

/// A row of the ocsp scenario: a server side and what PyMongo (with `pymongo[ocsp]`) does
/// under default verification. `tlsInsecure` and `tlsAllowInvalidCertificates` turn OCSP
/// off, so every row is accepted under them.
struct OcspRow {
    name: &'static str,
    what: &'static str,
    server: &'static str,
    staple: Option<&'static str>,
    responder: bool,
    expect: Expect,
}

/// The row of the OCSP matrix named `name`.
fn row_named<'a>(rows: &'a [OcspRow], name: &str) -> &'a OcspRow {
    rows.iter()
        .find(|r| r.name == name)
        .expect("a row of the OCSP matrix")
}

/// The guide's "OCSP": stapling, must-staple, a responder on loopback, and PyMongo's rules.
fn ocsp() -> Scenario {
    let leaf = |name, ocsp, must_staple| {
        Fixture::Leaf(LeafSpec {
            ocsp,
            must_staple,
            ..server_leaf(name, Signer::Ca("ca"), LOOPBACK_NAMES)
        })
    };
    let response = |file, about, status, signer, freshness, served| {
        Fixture::OcspResponse(OcspSpec {
            file,
            about,
            issuer: "ca",
            status,
            signer,
            freshness,
            served,
        })
    };
    let row = |name, what, server, staple, responder, expect| OcspRow {
        name,
        what,
        server,
        staple,
        responder,
        expect,
    };
    let revoked = Expect::reject(Reason::OcspRevoked);
    let invalid = Expect::reject(Reason::OcspInvalidResponse);
    let must_staple = Expect::reject(Reason::OcspMustStaple);
    // The MongoDB OCSP test matrix (drivers' OCSP support tests), then the rows it lacks.
    let matrix = [
        row(
            "valid-stapled",
            "a valid certificate with a stapled good response",
            "server.pem",
            Some("ocsp-good.der"),
            true,
            Expect::ACCEPT,
        ),
        row(
            "revoked-stapled",
            "a revoked certificate with a stapled revoked response",
            "revoked.pem",
            Some("ocsp-revoked.der"),
            true,
            revoked,
        ),
        row(
            "valid-responder",
            "a valid certificate, no staple; the responder says good",
            "server.pem",
            None,
            true,
            Expect::ACCEPT,
        ),
        row(
            "revoked-responder",
            "a revoked certificate, no staple; the responder says revoked",
            "revoked.pem",
            None,
            true,
            revoked,
        ),
        row(
            "soft-fail",
            "a valid certificate, no staple, and no responder at its OCSP URL (soft fail)",
            "soft-fail.pem",
            None,
            false,
            Expect::ACCEPT,
        ),
        row(
            "malicious-must-staple-responder",
            "a revoked must-staple certificate that the server does not staple; the responder says revoked",
            "must-staple-revoked.pem",
            None,
            true,
            must_staple,
        ),
        row(
            "malicious-must-staple-no-responder",
            "a revoked must-staple certificate that the server does not staple, and no responder",
            "must-staple-revoked.pem",
            None,
            false,
            must_staple,
        ),
    ];
    let extra = [
        row(
            "stale-staple",
            "a stapled good response whose nextUpdate has passed",
            "server.pem",
            Some("ocsp-stale.der"),
            false,
            invalid,
        ),
        row(
            "foreign-staple",
            "a stapled good response signed by another CA",
            "server.pem",
            Some("ocsp-foreign.der"),
            false,
            invalid,
        ),
        row(
            "delegated-staple",
            "a stapled good response signed by a responder the CA delegated (OCSPSigning EKU)",
            "server.pem",
            Some("ocsp-delegated.der"),
            false,
            Expect::ACCEPT,
        ),
        row(
            "delegated-no-eku-staple",
            "a stapled good response signed by a CA-issued certificate without the OCSPSigning EKU",
            "server.pem",
            Some("ocsp-delegated-no-eku.der"),
            false,
            invalid,
        ),
        row(
            "unknown-staple",
            "a stapled response saying unknown (PyMongo rejects only revoked)",
            "server.pem",
            Some("ocsp-unknown.der"),
            false,
            Expect::ACCEPT,
        ),
    ];
    let ocsp_case =
        |r: &OcspRow, suffix: &str, extra_options: Options, expect: Expect, how: &str| {
            let options = trusting_ca(extra_options);
            CaseSpec {
                staple: r.staple,
                responder: r.responder,
                ..case(
                    &format!("{}{suffix}", r.name),
                    &format!("The server presents {} and the client uses {how}", r.what),
                    r.server,
                    options,
                    expect,
                )
            }
        };
    let mut cases = Vec::new();
    for r in &matrix {
        cases.push(ocsp_case(r, "", vec![], r.expect, "default verification"));
        cases.push(ocsp_case(
            r,
            "-insecure",
            vec![("tlsInsecure", Bool(true))],
            Expect::ACCEPT,
            "tlsInsecure=true (no OCSP)",
        ));
        cases.push(ocsp_case(
            r,
            "-allow-invalid-certificates",
            vec![("tlsAllowInvalidCertificates", Bool(true))],
            Expect::ACCEPT,
            "tlsAllowInvalidCertificates=true (no OCSP)",
        ));
    }
    for r in &extra {
        cases.push(ocsp_case(r, "", vec![], r.expect, "default verification"));
    }
    let no_endpoint = [("tlsDisableOCSPEndpointCheck", Bool(true))];
    cases.push(ocsp_case(
        row_named(&matrix, "revoked-responder"),
        "-endpoint-check-disabled",
        no_endpoint.to_vec(),
        Expect::ACCEPT,
        "tlsDisableOCSPEndpointCheck=true: the responder is never asked",
    ));
    cases.push(ocsp_case(
        row_named(&matrix, "revoked-stapled"),
        "-endpoint-check-disabled",
        no_endpoint.to_vec(),
        revoked,
        "tlsDisableOCSPEndpointCheck=true: a stapled response is still checked",
    ));

    use crate::ocsp::CertStatus::{Good, Unknown};
    use OcspSigner::{Delegate, Foreign, Issuer};
    Scenario {
        name: "ocsp",
        summary: "Check revocation with OCSP: stapled responses, must-staple, a loopback responder, PyMongo's soft fail",
        fixtures: vec![
            root("ca", "pkigen ocsp CA"),
            root("foreign-ca", "pkigen foreign CA"),
            leaf("server", OcspUrl::Responder, false),
            leaf("revoked", OcspUrl::Responder, false),
            leaf("soft-fail", OcspUrl::Unreachable, false),
            leaf("must-staple-revoked", OcspUrl::Responder, true),
            Fixture::Leaf(LeafSpec {
                purpose: Purpose::OcspSigning,
                ..server_leaf("ocsp-responder", Signer::Ca("ca"), &[])
            }),
            Fixture::Leaf(server_leaf("ocsp-responder-no-eku", Signer::Ca("ca"), &[])),
            response(
                "ocsp-good.der",
                "server",
                Good,
                Issuer,
                Freshness::Current,
                true,
            ),
            response(
                "ocsp-revoked.der",
                "revoked",
                REVOKED,
                Issuer,
                Freshness::Current,
                true,
            ),
            response(
                "ocsp-must-staple-revoked.der",
                "must-staple-revoked",
                REVOKED,
                Issuer,
                Freshness::Current,
                true,
            ),
            response(
                "ocsp-unknown.der",
                "server",
                Unknown,
                Issuer,
                Freshness::Current,
                false,
            ),
            response(
                "ocsp-stale.der",
                "server",
                Good,
                Issuer,
                Freshness::Stale,
                false,
            ),
            response(
                "ocsp-foreign.der",
                "server",
                Good,
                Foreign("foreign-ca"),
                Freshness::Current,
                false,
            ),
            response(
                "ocsp-delegated.der",
                "server",
                Good,
                Delegate("ocsp-responder"),
                Freshness::Current,
                false,
            ),
            response(
                "ocsp-delegated-no-eku.der",
                "server",
                Good,
                Delegate("ocsp-responder-no-eku"),
                Freshness::Current,
                false,
            ),
        ],
        cases,
    }
}

/// The password of the encrypted client keys: the one `../shared/bench` uses too.
const KEY_PASSWORD: &str = "test-password";

/// A case whose server requires a client certificate issued by `ca.pem`.
fn mutual(name: &str, description: &str, key_options: Options, expect: Expect) -> CaseSpec {
    let mut options = trusting_ca(vec![]);
    options.extend(key_options);
    CaseSpec {
        client_ca: Some("ca.pem"),
        ..case(name, description, "server.pem", options, expect)
    }
}

/// The guide's "present a client certificate": mutual TLS against a server that requires one.
fn client_cert() -> Scenario {
    Scenario {
        name: "client-cert",
        summary: "Present a client certificate: tlsCertificateKeyFile with key and certificate in one file",
        fixtures: vec![
            root("ca", "pkigen client-cert CA"),
            root("foreign-ca", "pkigen foreign CA"),
            Fixture::Leaf(server_leaf("server", Signer::Ca("ca"), LOOPBACK_NAMES)),
            Fixture::Client {
                name: "client",
                issuer: "ca",
            },
            Fixture::Client {
                name: "foreign-client",
                issuer: "foreign-ca",
            },
            Fixture::Mismatched {
                file: "client-mismatched.pem",
                key_of: "foreign-client",
                cert_of: "client",
            },
        ],
        cases: vec![
            mutual(
                "client-pem",
                "The combined client.pem (key, then certificate from the server's CA) is presented",
                vec![("tlsCertificateKeyFile", Str("client.pem"))],
                Expect::ACCEPT,
            ),
            mutual(
                "no-client-certificate",
                "The server requires a client certificate and the client has none",
                vec![],
                Expect::reject(Reason::ClientCertRequired),
            ),
            mutual(
                "foreign-client-certificate",
                "The client presents a certificate from a CA the server does not trust",
                vec![("tlsCertificateKeyFile", Str("foreign-client.pem"))],
                Expect::reject(Reason::ClientCertUntrusted),
            ),
            mutual(
                "mismatched-key",
                "The key file holds a key that does not belong to its certificate: refused before connecting",
                vec![("tlsCertificateKeyFile", Str("client-mismatched.pem"))],
                Expect::config_error(Reason::KeyMismatch),
            ),
        ],
    }
}

/// The guide's "provide a key password": the client key encrypted both ways OpenSSL writes.
fn key_password() -> Scenario {
    let key_file = |file| ("tlsCertificateKeyFile", Str(file));
    let password = |pw| ("tlsCertificateKeyFilePassword", Str(pw));
    let mut cases = Vec::new();
    for (stem, file, form) in [
        (
            "pkcs8",
            "client-pkcs8-encrypted.pem",
            "PKCS#8 (PBES2, AES-256-CBC)",
        ),
        (
            "legacy",
            "client-legacy-encrypted.pem",
            "legacy OpenSSL PEM (Proc-Type: 4,ENCRYPTED, AES-256-CBC)",
        ),
    ] {
        cases.push(mutual(
            &format!("{stem}-right-password"),
            &format!("The key is encrypted as {form} and tlsCertificateKeyFilePassword is right"),
            vec![key_file(file), password(KEY_PASSWORD)],
            Expect::ACCEPT,
        ));
        cases.push(mutual(
            &format!("{stem}-wrong-password"),
            &format!("The key is encrypted as {form} and tlsCertificateKeyFilePassword is wrong"),
            vec![key_file(file), password("not-the-password")],
            Expect::config_error(Reason::BadPassword),
        ));
        cases.push(mutual(
            &format!("{stem}-missing-password"),
            &format!(
                "The key is encrypted as {form} and no tlsCertificateKeyFilePassword is given \
                 (PyMongo lets OpenSSL prompt on a terminal; without one MongoClient raises OSError EINVAL)"
            ),
            vec![key_file(file)],
            Expect::config_error(Reason::BadPassword),
        ));
    }
    cases.push(mutual(
        "password-for-plain-key",
        "A password is given for an unencrypted key: OpenSSL, and so PyMongo, ignores it",
        vec![key_file("client.pem"), password(KEY_PASSWORD)],
        Expect::ACCEPT,
    ));
    Scenario {
        name: "key-password",
        summary: "Provide a key password: tlsCertificateKeyFilePassword for PKCS#8 and legacy encrypted keys",
        fixtures: vec![
            root("ca", "pkigen key-password CA"),
            Fixture::Leaf(server_leaf("server", Signer::Ca("ca"), LOOPBACK_NAMES)),
            Fixture::Client {
                name: "client",
                issuer: "ca",
            },
            Fixture::EncryptedKey {
                file: "client-pkcs8-encrypted.pem",
                of: "client",
                password: KEY_PASSWORD,
                format: KeyEncryption::Pkcs8,
            },
            Fixture::EncryptedKey {
                file: "client-legacy-encrypted.pem",
                of: "client",
                password: KEY_PASSWORD,
                format: KeyEncryption::LegacyPem,
            },
        ],
        cases,
    }
}

/// A server certificate of the insecure-tls scenario and the one failure it embodies.
struct BadServer {
    fixture: LeafSpec,
    what: &'static str,
    /// `None` for the valid control.
    failure: Option<Reason>,
}

/// A client policy of the insecure-tls scenario and the failures it forgives.
struct InsecurePolicy {
    suffix: &'static str,
    what: &'static str,
    options: &'static [(&'static str, bool)],
    /// `None`: every certificate failure is forgiven.
    forgives: Option<&'static [Reason]>,
}

/// The guide's "allow insecure TLS": one certificate per failure it lists, under each policy.
fn insecure_tls() -> Scenario {
    let current = |name, issuer, names, purpose| LeafSpec {
        purpose,
        ..server_leaf(name, issuer, names)
    };
    let dated = |name, validity| LeafSpec {
        validity,
        ..server_leaf(name, Signer::Ca("ca"), LOOPBACK_NAMES)
    };
    let servers = [
        BadServer {
            fixture: current(
                "server",
                Signer::Ca("ca"),
                LOOPBACK_NAMES,
                Purpose::ServerAuth,
            ),
            what: "a valid certificate (control)",
            failure: None,
        },
        BadServer {
            fixture: current(
                "wrong-host",
                Signer::Ca("ca"),
                &["wrong.example"],
                Purpose::ServerAuth,
            ),
            what: "a certificate for wrong.example, not localhost",
            failure: Some(Reason::HostnameMismatch),
        },
        BadServer {
            fixture: dated("expired", Validity::Expired),
            what: "a certificate that expired before --now",
            failure: Some(Reason::Expired),
        },
        BadServer {
            fixture: dated("not-yet-valid", Validity::NotYetValid),
            what: "a certificate that becomes valid decades after --now",
            failure: Some(Reason::NotYetValid),
        },
        BadServer {
            fixture: current(
                "self-signed",
                Signer::SelfSigned,
                LOOPBACK_NAMES,
                Purpose::ServerAuth,
            ),
            what: "a self-signed certificate",
            failure: Some(Reason::UnknownIssuer),
        },
        BadServer {
            fixture: current(
                "foreign-issued",
                Signer::Ca("foreign-ca"),
                LOOPBACK_NAMES,
                Purpose::ServerAuth,
            ),
            what: "a certificate from a CA the client does not trust",
            failure: Some(Reason::UnknownIssuer),
        },
        BadServer {
            fixture: current(
                "client-only",
                Signer::Ca("ca"),
                LOOPBACK_NAMES,
                Purpose::ClientAuth,
            ),
            what: "a certificate whose only purpose is client authentication",
            failure: Some(Reason::InvalidPurpose),
        },
    ];
    let policies = [
        InsecurePolicy {
            suffix: "default",
            what: "default verification",
            options: &[],
            forgives: Some(&[]),
        },
        InsecurePolicy {
            suffix: "insecure",
            what: "tlsInsecure=true, which turns off certificate and host name checks",
            options: &[("tlsInsecure", true)],
            forgives: None,
        },
        InsecurePolicy {
            suffix: "allow-invalid-certificates",
            what: "tlsAllowInvalidCertificates=true, under which PyMongo checks neither the certificate nor the host name",
            options: &[("tlsAllowInvalidCertificates", true)],
            forgives: None,
        },
        InsecurePolicy {
            suffix: "allow-invalid-hostnames",
            what: "tlsAllowInvalidHostnames=true, which forgives only a host name mismatch",
            options: &[("tlsAllowInvalidHostnames", true)],
            forgives: Some(&[Reason::HostnameMismatch]),
        },
    ];

    let mut cases = Vec::new();
    for server in &servers {
        let chain = format!("{}.pem", server.fixture.name);
        for policy in &policies {
            let forgiven = match (server.failure, policy.forgives) {
                (None, _) | (Some(_), None) => true,
                (Some(reason), Some(list)) => list.contains(&reason),
            };
            let expect = match server.failure {
                Some(reason) if !forgiven => Expect::reject(reason),
                _ => Expect::ACCEPT,
            };
            let mut options = trusting_ca(vec![]);
            options.extend(policy.options.iter().map(|&(k, v)| (k, Bool(v))));
            cases.push(case(
                &format!("{}-{}", server.fixture.name, policy.suffix),
                &format!(
                    "The server presents {} and the client uses {}",
                    server.what, policy.what
                ),
                &chain,
                options,
                expect,
            ));
        }
    }
    let conflicts: [(&str, &str, Options); 4] = [
        (
            "conflict-insecure-and-allow-invalid-certificates",
            "tlsInsecure already implies tlsAllowInvalidCertificates; PyMongo refuses both together",
            vec![
                ("tls", Bool(true)),
                ("tlsInsecure", Bool(true)),
                ("tlsAllowInvalidCertificates", Bool(true)),
            ],
        ),
        (
            "conflict-insecure-and-allow-invalid-hostnames",
            "tlsInsecure already implies tlsAllowInvalidHostnames; PyMongo refuses both together",
            vec![
                ("tls", Bool(true)),
                ("tlsInsecure", Bool(true)),
                ("tlsAllowInvalidHostnames", Bool(true)),
            ],
        ),
        (
            "conflict-allow-invalid-certificates-and-disable-ocsp",
            "tlsAllowInvalidCertificates already disables the OCSP endpoint check; PyMongo refuses both together",
            vec![
                ("tls", Bool(true)),
                ("tlsAllowInvalidCertificates", Bool(true)),
                ("tlsDisableOCSPEndpointCheck", Bool(true)),
            ],
        ),
        (
            "conflict-tls-false-with-ca-file",
            "tls=false beside a TLS option: PyMongo refuses the contradiction",
            vec![("tls", Bool(false)), ("tlsCAFile", Str("ca.pem"))],
        ),
    ];
    for (name, description, options) in conflicts {
        cases.push(case(
            name,
            description,
            "server.pem",
            options,
            Expect::config_error(Reason::InvalidOptions),
        ));
    }

    let mut fixtures = vec![
        root("ca", "pkigen insecure-tls CA"),
        root("foreign-ca", "pkigen foreign CA"),
    ];
    fixtures.extend(servers.into_iter().map(|s| Fixture::Leaf(s.fixture)));
    Scenario {
        name: "insecure-tls",
        summary: "Allow insecure TLS: one server certificate per failure, under each of PyMongo's relaxing options",
        fixtures,
        cases,
    }
}

/// The guide's "troubleshooting": each error it lists, reproduced.
fn troubleshooting() -> Scenario {
    Scenario {
        name: "troubleshooting",
        summary: "Troubleshooting: CERTIFICATE_VERIFY_FAILED, TLSV1_ALERT_PROTOCOL_VERSION, invalid status response, SSLV3_ALERT_HANDSHAKE_FAILURE",
        fixtures: vec![
            root("ca", "pkigen troubleshooting CA"),
            root("unknown-ca", "pkigen unknown CA"),
            Fixture::Leaf(server_leaf("server", Signer::Ca("ca"), LOOPBACK_NAMES)),
            Fixture::Leaf(server_leaf(
                "untrusted",
                Signer::Ca("unknown-ca"),
                LOOPBACK_NAMES,
            )),
            Fixture::Leaf(server_leaf("revoked", Signer::Ca("ca"), LOOPBACK_NAMES)),
            Fixture::OcspResponse(OcspSpec {
                file: "ocsp-revoked.der",
                about: "revoked",
                issuer: "ca",
                status: REVOKED,
                signer: OcspSigner::Issuer,
                freshness: Freshness::Current,
                served: false,
            }),
        ],
        cases: vec![
            case(
                "certificate-verify-failed",
                "CERTIFICATE_VERIFY_FAILED: the server's certificate comes from a CA the client's tlsCAFile does not hold",
                "untrusted.pem",
                trusting_ca(vec![]),
                Expect::reject(Reason::UnknownIssuer),
            ),
            CaseSpec {
                server_tls_versions: Some(&["1.3"]),
                client_tls_versions: Some(&["1.2"]),
                ..case(
                    "tlsv1-alert-protocol-version",
                    "TLSV1_ALERT_PROTOCOL_VERSION: the server speaks only TLS 1.3 and the client is pinned to TLS 1.2 \
                     (a pin PyMongo's options cannot express; an ssl.SSLContext with maximum_version TLSv1_2 can)",
                    "server.pem",
                    trusting_ca(vec![]),
                    Expect::reject(Reason::ProtocolVersion),
                )
            },
            CaseSpec {
                staple: Some("ocsp-revoked.der"),
                ..case(
                    "invalid-status-response",
                    "invalid status response: the server staples an OCSP response saying its certificate is revoked \
                     (PyMongo with pymongo[ocsp])",
                    "revoked.pem",
                    trusting_ca(vec![]),
                    Expect::reject(Reason::OcspRevoked),
                )
            },
            CaseSpec {
                server_tls_versions: Some(&["1.2"]),
                unusable_cipher_suites: true,
                ..case(
                    "sslv3-alert-handshake-failure",
                    "SSLV3_ALERT_HANDSHAKE_FAILURE: the server offers only TLS 1.2 cipher suites its own key cannot \
                     sign for, so no suite is shared",
                    "server.pem",
                    trusting_ca(vec![]),
                    Expect::reject(Reason::NoSharedCipher),
                )
            },
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn scenario_and_case_names_are_unique() {
        let mut scenario_names = HashSet::new();
        for scenario in all() {
            assert!(scenario_names.insert(scenario.name));
            let mut case_names = HashSet::new();
            for case in &scenario.cases {
                assert!(
                    case_names.insert(case.name.clone()),
                    "{}: duplicate case {}",
                    scenario.name,
                    case.name
                );
            }
        }
    }

    #[test]
    fn unknown_scenario_error_lists_the_known_ones() {
        let message = find("nope").unwrap_err().to_string();
        assert!(
            message.contains("unknown scenario 'nope'") && message.contains("insecure-tls"),
            "{message}"
        );
    }

    #[test]
    fn insecure_tls_has_every_failure_under_every_policy() {
        let scenario = find("insecure-tls").unwrap();
        assert_eq!(scenario.cases.len(), 7 * 4 + 4);
        let expired_default = scenario
            .cases
            .iter()
            .find(|c| c.name == "expired-default")
            .unwrap();
        assert_eq!(expired_default.expect, Expect::reject(Reason::Expired));
        let mismatch = scenario
            .cases
            .iter()
            .find(|c| c.name == "wrong-host-allow-invalid-hostnames")
            .unwrap();
        assert_eq!(mismatch.expect, Expect::ACCEPT);
    }
}
