//! `ConnectionString::parse_options`: the query's pairs, each through `parse_option_pair` in
//! URI order, then the `tlsInsecure` conflict.

use super::{RustException, not_modelled, similar};
use crate::policy::{PolicyError, TlsPolicy};
use std::collections::HashSet;

fn invalid(message: impl Into<String>) -> PolicyError {
    PolicyError::new(RustException::InvalidArgument, message)
}

/// `ConnectionString::tls`: unset, `Tls::Disabled`, or `Tls::Enabled(TlsOptions)` with the
/// fields the URI sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Tls {
    Unset,
    Disabled,
    Enabled {
        allow_invalid_certificates: Option<bool>,
        ca_file: Option<String>,
        cert_key_file: Option<String>,
    },
}

impl Tls {
    const ENABLED: Tls = Tls::Enabled {
        allow_invalid_certificates: None,
        ca_file: None,
        cert_key_file: None,
    };

    /// What the client configures: TLS only when enabled; no password, CRL or separate
    /// hostname switch exists in this build, and there is no OCSP to ask a responder for.
    pub(super) fn policy(self) -> TlsPolicy {
        let (tls, allow, ca_file, certificate_key_file) = match self {
            Tls::Unset | Tls::Disabled => (false, None, None, None),
            Tls::Enabled {
                allow_invalid_certificates,
                ca_file,
                cert_key_file,
            } => (true, allow_invalid_certificates, ca_file, cert_key_file),
        };
        TlsPolicy {
            tls,
            ca_file,
            certificate_key_file,
            certificate_key_file_password: None,
            crl_file: None,
            allow_invalid_certificates: allow == Some(true),
            allow_invalid_hostnames: false,
            disable_ocsp_endpoint_check: true,
            disable_certificate_revocation_check: false,
        }
    }
}

const TLS_INSECURE: &str = "tlsinsecure";
const TLS_ALLOW_INVALID_CERTIFICATES: &str = "tlsallowinvalidcertificates";

/// The options the driver knows that are not about TLS: each has its own validation, which
/// pkigen does not reproduce.
const OTHER_OPTIONS: &[&str] = &[
    "appname",
    "authmechanism",
    "authsource",
    "authmechanismproperties",
    "connecttimeoutms",
    "directconnection",
    "heartbeatfrequencyms",
    "journal",
    "loadbalanced",
    "localthresholdms",
    "maxidletimems",
    "maxstalenessseconds",
    "maxpoolsize",
    "minpoolsize",
    "maxconnecting",
    "readconcernlevel",
    "readpreference",
    "readpreferencetags",
    "replicaset",
    "retrywrites",
    "retryreads",
    "servermonitoringmode",
    "serverselectiontimeoutms",
    "sockettimeoutms",
    "srvmaxhosts",
    "srvservicename",
    "uuidrepresentation",
    "w",
    "waitqueuetimeoutms",
    "wtimeoutms",
    "zlibcompressionlevel",
    "maxadaptiveretries",
    "enableoverloadretargeting",
];

/// The proxy options, refused without the `socks5-proxy` feature.
const PROXY_OPTIONS: &[&str] = &["proxyhost", "proxyport", "proxyusername", "proxypassword"];

/// Every pair of `query` (the text after the first `?`), in order, then the conflict checked
/// after them all.
pub(super) fn parse_options(query: &str) -> Result<Tls, PolicyError> {
    let mut tls = Tls::Unset;
    if query.is_empty() {
        return Ok(tls);
    }
    let mut keys = HashSet::new();
    for pair in query.split('&') {
        let Some((key, value)) = pair.split_once('=') else {
            return Err(PolicyError::quoting_uri(
                RustException::InvalidArgument,
                "connection string option is not a 'key=value' pair",
                format!("connection string option is not a 'key=value' pair: {pair}"),
            ));
        };
        let key = key.to_lowercase();
        if !keys.insert(key.clone()) && key != "readpreferencetags" {
            return Err(invalid(
                "repeated options are not allowed in the connection string",
            ));
        }
        let value = percent_encoding::percent_decode(value.as_bytes()).decode_utf8_lossy();
        option_pair(&mut tls, &key, &value)?;
    }
    if keys.contains(TLS_INSECURE) && keys.contains(TLS_ALLOW_INVALID_CERTIFICATES) {
        return Err(invalid(format!(
            "cannot set both {TLS_INSECURE} and {TLS_ALLOW_INVALID_CERTIFICATES} in the \
             connection string"
        )));
    }
    Ok(tls)
}

/// `get_bool!`: exactly `true` or `false`.
fn boolean(value: &str, key: &str) -> Result<bool, PolicyError> {
    match value {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(invalid(format!(
            "connection string `{key}` option must be a boolean"
        ))),
    }
}

/// `parse_option_pair` for one lower-cased name and its decoded value.
fn option_pair(tls: &mut Tls, key: &str, value: &str) -> Result<(), PolicyError> {
    match key {
        "tls" | "ssl" => {
            let on = boolean(value, key)?;
            match tls {
                // The driver's messages are these very words: the braces are not filled in.
                Tls::Enabled { .. } if !on => {
                    return Err(invalid(
                        "cannot set {key}={tls} if other TLS options are set",
                    ));
                }
                Tls::Disabled if on => {
                    return Err(invalid("cannot set {key}={tls} if TLS is disabled"));
                }
                Tls::Unset => *tls = if on { Tls::ENABLED } else { Tls::Disabled },
                _ => {}
            }
        }
        TLS_INSECURE | TLS_ALLOW_INVALID_CERTIFICATES => {
            let allow = boolean(value, key)?;
            if *tls == Tls::Unset {
                *tls = Tls::ENABLED;
            }
            match tls {
                Tls::Enabled {
                    allow_invalid_certificates,
                    ..
                } => *allow_invalid_certificates = Some(allow),
                _ => {
                    return Err(invalid(format!("cannot set {key} when TLS is disabled")));
                }
            }
        }
        "tlscafile" | "tlscertificatekeyfile" => {
            let written = if key == "tlscafile" {
                "tlsCAFile"
            } else {
                "tlsCertificateKeyFile"
            };
            if *tls == Tls::Unset {
                *tls = Tls::ENABLED;
            }
            match tls {
                Tls::Enabled {
                    ca_file,
                    cert_key_file,
                    ..
                } => {
                    let field = if key == "tlscafile" {
                        ca_file
                    } else {
                        cert_key_file
                    };
                    *field = Some(value.to_string());
                }
                _ => {
                    return Err(invalid(format!("'{written}' can't be set if tls=false")));
                }
            }
        }
        "tlscertificatekeyfilepassword" => {
            return Err(invalid(
                "the cert-key-password feature must be enabled to specify \
                 tlsCertificateKeyFilePassword in the URI",
            ));
        }
        _ if PROXY_OPTIONS.contains(&key) => {
            return Err(invalid(format!(
                "cannot specify {key} if socks5-proxy feature is not enabled"
            )));
        }
        _ if OTHER_OPTIONS.contains(&key) => {
            return Err(not_modelled(format!(
                "the Rust profile does not model {key}, which is not a TLS option"
            )));
        }
        other => {
            let mut message = format!("{other} is an invalid option");
            if let Some(similar) = similar::known_option_like(other) {
                message += &format!(". An option with a similar name exists: {similar}");
            }
            return Err(invalid(message));
        }
    }
    Ok(())
}
