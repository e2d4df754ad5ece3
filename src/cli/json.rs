//! The documents `--format json` prints, one type per shape, fields in output order. Each is
//! described by a JSON Schema in the repository's `tests/schemas/` folder, which the tests hold
//! the real output to.

use pkigen::KeyType;
use pkigen::fixtures::check::Finding;
use pkigen::fixtures::clock::ClockSource;
use pkigen::fixtures::inspect::Item;
use pkigen::fixtures::json_forms;
use pkigen::fixtures::manifest::{CaseReport, Expect};
use pkigen::policy::{Driver, DriverWarning, PolicyError, Resolution, TlsBehaviour};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use time::OffsetDateTime;

/// A path as the documents show it.
pub fn shown(path: &Path) -> String {
    path.display().to_string()
}

/// `list`: one entry per scenario (`tests/schemas/list.schema.json`).
#[derive(Serialize)]
pub struct ScenarioListing<'a> {
    pub name: &'a str,
    pub summary: &'a str,
    pub cases: Vec<CaseListing<'a>>,
}

#[derive(Serialize)]
pub struct CaseListing<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub expect: Expect,
    /// Why the listed driver's expectation is not PyMongo's; absent where it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why: Option<&'a str>,
}

/// `list --differences`: one entry per case where the drivers' expectations differ
/// (`tests/schemas/differences.schema.json`).
#[derive(Serialize)]
pub struct DifferenceListing<'a> {
    pub scenario: &'a str,
    pub case: &'a str,
    /// Every driver's expectation, by driver name.
    pub expect: BTreeMap<&'static str, Expect>,
    /// Why, for each driver whose expectation is not PyMongo's, by driver name.
    pub why: BTreeMap<&'static str, &'a str>,
}

/// `scenario --no-validate`: the folders and zips written (`tests/schemas/written.schema.json`).
#[derive(Serialize)]
pub struct Written {
    pub written: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub zips: Vec<String>,
}

impl Written {
    pub fn new<'a>(dirs: &[PathBuf], zips: impl IntoIterator<Item = &'a PathBuf>) -> Written {
        Written {
            written: dirs.iter().map(|d| shown(d)).collect(),
            zips: zips.into_iter().map(|z| shown(z)).collect(),
        }
    }
}

/// `scenario` and `validate`: every folder's cases, expected beside observed
/// (`tests/schemas/results.schema.json`).
#[derive(Serialize)]
pub struct Results<'a> {
    pub scenarios: Vec<FolderResults<'a>>,
}

/// One folder's results: its manifest's identity, the clock its cases were judged at (both
/// `null` when unknown, as in a report of an older pkigen), and its zip if one was written.
#[derive(Serialize)]
pub struct FolderResults<'a> {
    pub scenario: &'a str,
    pub dir: String,
    pub seed: u64,
    #[serde(with = "json_forms::rfc3339")]
    pub now: OffsetDateTime,
    #[serde(with = "json_forms::key_type")]
    pub key_type: KeyType,
    #[serde(with = "json_forms::rfc3339_option")]
    pub validated_at: Option<OffsetDateTime>,
    pub clock: Option<ClockSource>,
    pub cases: &'a [CaseReport],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zip: Option<String>,
}

/// `check`: the horizon and each folder's findings (`tests/schemas/check.schema.json`).
#[derive(Serialize)]
pub struct CheckResults<'a> {
    pub expiring_within_days: u32,
    pub results: Vec<FolderCheck<'a>>,
}

#[derive(Serialize)]
pub struct FolderCheck<'a> {
    pub dir: String,
    /// How many files the manifest lists.
    pub files: usize,
    pub findings: &'a [Finding],
}

impl<'a> FolderCheck<'a> {
    pub fn new(dir: &Path, files: usize, findings: &'a [Finding]) -> FolderCheck<'a> {
        FolderCheck {
            dir: shown(dir),
            files,
            findings,
        }
    }
}

/// `policy`: the options the driver would resolve (under its own names) and what they verify,
/// what its TLS stack does beyond them, and the warnings it emits on the way
/// (`tests/schemas/policy.schema.json`, with [`PolicyRefusal`]).
#[derive(Serialize)]
pub struct PolicyAnswer<'a> {
    /// Always `true`: the URI was accepted.
    pub valid: bool,
    /// The driver's profile name.
    pub driver: &'static str,
    pub options: ResolvedOptions<'a>,
    pub verify_certificates: bool,
    pub verify_hostname: bool,
    pub ocsp_endpoint_check: bool,
    pub behaviour: TlsBehaviour,
    pub warnings: Vec<PolicyWarning<'a>>,
}

/// The resolved options, as the driver names them.
#[derive(Serialize)]
#[serde(untagged)]
pub enum ResolvedOptions<'a> {
    PyMongo(PolicyOptions<'a>),
    Node(NodeOptions<'a>),
    Rust(RustOptions<'a>),
    C(COptions<'a>),
}

/// One warning the driver emits: its category (Python's class, Node's `name`) and its
/// message.
#[derive(Serialize)]
pub struct PolicyWarning<'a> {
    pub category: &'a str,
    pub message: &'a str,
}

fn policy_warnings(warnings: &[DriverWarning]) -> Vec<PolicyWarning<'_>> {
    warnings
        .iter()
        .map(|w| PolicyWarning {
            category: w.category,
            message: &w.message,
        })
        .collect()
}

/// The resolved options under PyMongo's names; unset files are left out, and the key
/// password is `***` unless secrets are shown.
#[derive(Serialize)]
pub struct PolicyOptions<'a> {
    pub tls: bool,
    #[serde(rename = "tlsCAFile", skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<&'a str>,
    #[serde(
        rename = "tlsCertificateKeyFile",
        skip_serializing_if = "Option::is_none"
    )]
    pub certificate_key_file: Option<&'a str>,
    #[serde(rename = "tlsCRLFile", skip_serializing_if = "Option::is_none")]
    pub crl_file: Option<&'a str>,
    #[serde(
        rename = "tlsCertificateKeyFilePassword",
        skip_serializing_if = "Option::is_none"
    )]
    pub certificate_key_file_password: Option<&'a str>,
    #[serde(rename = "tlsAllowInvalidCertificates")]
    pub allow_invalid_certificates: bool,
    #[serde(rename = "tlsAllowInvalidHostnames")]
    pub allow_invalid_hostnames: bool,
    #[serde(rename = "tlsDisableOCSPEndpointCheck")]
    pub disable_ocsp_endpoint_check: bool,
}

/// The options the Node.js driver keeps on `client.options`: the files as given, the key
/// password as `passphrase` (`***` unless secrets are shown), `rejectUnauthorized` (Node's
/// default, true, when no option set it) and whether `checkServerIdentity` is Node's own
/// check (false: the driver's no-op, for `tlsAllowInvalidHostnames` or `tlsInsecure`).
#[derive(Serialize)]
pub struct NodeOptions<'a> {
    pub tls: bool,
    #[serde(rename = "tlsCAFile", skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<&'a str>,
    #[serde(
        rename = "tlsCertificateKeyFile",
        skip_serializing_if = "Option::is_none"
    )]
    pub certificate_key_file: Option<&'a str>,
    #[serde(rename = "tlsCRLFile", skip_serializing_if = "Option::is_none")]
    pub crl_file: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub passphrase: Option<&'a str>,
    #[serde(rename = "rejectUnauthorized")]
    pub reject_unauthorized: bool,
    #[serde(rename = "checkServerIdentity")]
    pub check_server_identity: bool,
}

/// The Rust driver's `ClientOptions::tls`, under `TlsOptions`' field names: `tls` true for
/// `Tls::Enabled`, then the fields it sets (unset files left out). There is no password,
/// CRL or separate hostname field in its default build.
#[derive(Serialize)]
pub struct RustOptions<'a> {
    pub tls: bool,
    pub allow_invalid_certificates: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ca_file_path: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cert_key_file_path: Option<&'a str>,
}

/// What a libmongoc client takes from the URI (`mongoc_uri_get_tls`, then the
/// `mongoc_ssl_opt_t` fields `_mongoc_ssl_opts_from_uri` sets and its internal OCSP flags):
/// unset files and password are left out, the password is `***` unless secrets are shown.
/// `weak_cert_validation` also turns the host name check off when connecting.
#[derive(Serialize)]
pub struct COptions<'a> {
    pub tls: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pem_file: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pem_pwd: Option<&'a str>,
    pub weak_cert_validation: bool,
    pub allow_invalid_hostname: bool,
    pub tls_disable_certificate_revocation_check: bool,
    pub tls_disable_ocsp_endpoint_check: bool,
}

/// What a key password is shown as unless secrets are asked for.
pub(super) const REDACTED: &str = "***";

impl<'a> PolicyAnswer<'a> {
    pub fn new(driver: Driver, resolution: &'a Resolution, show_secrets: bool) -> PolicyAnswer<'a> {
        let policy = &resolution.policy;
        let password = policy
            .certificate_key_file_password
            .as_deref()
            .map(|password| if show_secrets { password } else { REDACTED });
        let options = match driver {
            Driver::PyMongo => ResolvedOptions::PyMongo(PolicyOptions {
                tls: policy.tls,
                ca_file: policy.ca_file.as_deref(),
                certificate_key_file: policy.certificate_key_file.as_deref(),
                crl_file: policy.crl_file.as_deref(),
                certificate_key_file_password: password,
                allow_invalid_certificates: policy.allow_invalid_certificates,
                allow_invalid_hostnames: policy.allow_invalid_hostnames,
                disable_ocsp_endpoint_check: policy.disable_ocsp_endpoint_check,
            }),
            Driver::Node => ResolvedOptions::Node(NodeOptions {
                tls: policy.tls,
                ca_file: policy.ca_file.as_deref(),
                certificate_key_file: policy.certificate_key_file.as_deref(),
                crl_file: policy.crl_file.as_deref(),
                passphrase: password,
                reject_unauthorized: !policy.allow_invalid_certificates,
                check_server_identity: !policy.allow_invalid_hostnames,
            }),
            Driver::Rust => ResolvedOptions::Rust(RustOptions {
                tls: policy.tls,
                allow_invalid_certificates: policy.allow_invalid_certificates,
                ca_file_path: policy.ca_file.as_deref(),
                cert_key_file_path: policy.certificate_key_file.as_deref(),
            }),
            Driver::C => ResolvedOptions::C(COptions {
                tls: policy.tls,
                ca_file: policy.ca_file.as_deref(),
                pem_file: policy.certificate_key_file.as_deref(),
                pem_pwd: password,
                weak_cert_validation: policy.allow_invalid_certificates,
                allow_invalid_hostname: policy.allow_invalid_hostnames,
                tls_disable_certificate_revocation_check: policy
                    .disable_certificate_revocation_check,
                tls_disable_ocsp_endpoint_check: policy.disable_ocsp_endpoint_check,
            }),
        };
        PolicyAnswer {
            valid: true,
            driver: driver.name(),
            options,
            verify_certificates: policy.verify_certificates(),
            verify_hostname: policy.verify_hostname(),
            ocsp_endpoint_check: policy.ocsp_endpoint_check(),
            behaviour: driver.tls_behaviour(),
            warnings: policy_warnings(&resolution.warnings),
        }
    }
}

/// `policy` on a URI the driver refuses: the exception class it raises, its message, and the
/// warnings it emitted before raising.
#[derive(Serialize)]
pub struct PolicyRefusal<'a> {
    /// Always `false`.
    pub valid: bool,
    pub driver: &'static str,
    pub exception: &'static str,
    pub error: &'a str,
    pub warnings: Vec<PolicyWarning<'a>>,
}

/// `policy --driver all`'s entry for a driver whose profile does not model the URI: pkigen
/// cannot say what the driver does (`tests/schemas/policy-all.schema.json`).
#[derive(Serialize)]
pub struct NotModelled<'a> {
    pub driver: &'static str,
    /// Always `false`.
    pub modelled: bool,
    pub error: &'a str,
}

impl<'a> NotModelled<'a> {
    /// The message leaves out the URI text it quotes unless `show_secrets`.
    pub fn new(driver: Driver, error: &'a PolicyError, show_secrets: bool) -> NotModelled<'a> {
        NotModelled {
            driver: driver.name(),
            modelled: false,
            error: if show_secrets {
                &error.message
            } else {
                error.redacted()
            },
        }
    }
}

impl<'a> PolicyRefusal<'a> {
    /// The message leaves out the URI text the driver quotes unless `show_secrets`.
    pub fn new(driver: Driver, error: &'a PolicyError, show_secrets: bool) -> PolicyRefusal<'a> {
        PolicyRefusal {
            valid: false,
            driver: driver.name(),
            exception: error.exception.class_name(),
            error: if show_secrets {
                &error.message
            } else {
                error.redacted()
            },
            warnings: policy_warnings(&error.warnings),
        }
    }
}

/// `inspect`: what each file holds (`tests/schemas/inspect.schema.json`).
#[derive(Serialize)]
pub struct InspectedFile<'a> {
    pub file: String,
    pub items: &'a [Item],
}

impl<'a> InspectedFile<'a> {
    pub fn new(file: &Path, items: &'a [Item]) -> InspectedFile<'a> {
        InspectedFile {
            file: shown(file),
            items,
        }
    }
}

/// `serve --all`'s first line: one entry per case, keyed `scenario/case`.
#[derive(Serialize)]
pub struct ServedCase<'a> {
    pub address: String,
    pub uri: &'a str,
}
