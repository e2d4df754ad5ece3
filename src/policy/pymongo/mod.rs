//! PyMongo 4.20's TLS option semantics, reproduced exactly, so pkigen can say what a
//! `MongoClient(uri, **kwargs)` would configure (or which exception it would raise) without
//! running Python. `tests/it/policy_pymongo.rs` checks this module against the real PyMongo.
//!
//! The pipeline mirrors MongoClient's constructor, step by step, because several of
//! PyMongo's outcomes only make sense in that order:
//!
//! 1. URI (`uri_parser_shared._validate_uri`, called with `warn=True, normalize=False`):
//!    split options, run `_handle_security_options` on the *raw strings*, then validate each
//!    option in warn mode: an invalid value (`tls=yes`, `tls=TRUE`) or unknown name is
//!    **dropped with a warning, not rejected**, and a missing file is a `FileNotFoundError`.
//!    The `mongodb+srv` `tls=true` default is applied here (it happens at SRV resolution).
//! 2. Keyword arguments (`common.validate`): strict; invalid values and unknown names raise.
//!    They override URI options of the same (case-insensitive) name.
//! 3. `_handle_security_options` again, now on booleans, so the `tlsCRLFile` conflicts and the
//!    "AllowInvalidCertificates disables the OCSP endpoint check" rule apply to URIs here;
//!    then `_normalize_options` (expand `tlsInsecure`, rename `ssl` to `tls`).
//! 4. `client_options._parse_ssl_options`: which options imply `tls=true`.
//!
//! What pkigen does differently, on purpose:
//! - File options are not opened. PyMongo opens them (`validate_readable`) and raises
//!   `FileNotFoundError` etc.; pkigen reports unreadable files separately. Only the empty
//!   path, which PyMongo can never open, is reported here, with PyMongo's message. Likewise
//!   the contents (a key that does not match, a wrong password) are not examined here.
//! - Non-TLS options are passed through without checking their values (PyMongo would warn
//!   about and drop a bad one in a URI, or raise for a keyword argument). Their names are
//!   checked: unknown names are warnings in a URI (as in PyMongo) and errors as keyword
//!   arguments (as in PyMongo). `directConnection`, `loadBalanced`, `replicaSet` and the
//!   `srv*` options are interpreted as far as the host-list checks need them.
//! - `tlsInsecure` beside two or more of the options it implies: PyMongo names whichever of
//!   them its `set` yields first, which depends on `PYTHONHASHSEED`; pkigen names the first
//!   of tlsAllowInvalidCertificates, tlsAllowInvalidHostnames, tlsDisableOCSPEndpointCheck.

mod difflib;
mod names;
mod options;
mod pyrepr;
mod uri;

pub use uri::{Host, hosts, uri_for};

use options::{
    Opts, check_options, handle_security_options, normalize_options, parse_ssl_options,
    validate_kwargs,
};

use serde_json::{Map, Value};
use std::fmt;

/// A resolved TLS policy: what PyMongo's MongoClient would configure.
///
/// The three `allow`/`disable` flags are the option values after PyMongo's expansion
/// (`tlsInsecure=true` sets all three, `tlsAllowInvalidCertificates=true` sets
/// `disable_ocsp_endpoint_check`). They are kept even when `tls` is false, because PyMongo
/// keeps them too (`tls=false&tlsInsecure=true` is accepted); the `verify_*` methods fold
/// `tls` in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsPolicy {
    pub tls: bool,
    pub ca_file: Option<String>,
    pub certificate_key_file: Option<String>,
    pub certificate_key_file_password: Option<String>,
    pub crl_file: Option<String>,
    pub allow_invalid_certificates: bool,
    pub allow_invalid_hostnames: bool,
    pub disable_ocsp_endpoint_check: bool,
}

/// A policy plus the warnings PyMongo would emit on the way (dropped URI options,
/// duplicates), in PyMongo's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution {
    pub policy: TlsPolicy,
    pub warnings: Vec<String>,
}

/// The Python exception class PyMongo raises; kept because callers (and the cross-check
/// test) distinguish a malformed URI from a contradictory configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PyMongoException {
    /// `pymongo.errors.InvalidURI` (also raised for keyword-argument conflicts, since they
    /// go through the same `_handle_security_options`).
    InvalidUri,
    /// `pymongo.errors.ConfigurationError`.
    Configuration,
    /// Python's `ValueError` (bad option value, bad port).
    Value,
    /// Python's `TypeError` (keyword argument of the wrong type).
    Type,
    /// Python's `FileNotFoundError` (empty file path).
    FileNotFound,
}

impl PyMongoException {
    /// The class name as Python prints it (`type(exc).__name__`).
    pub fn class_name(self) -> &'static str {
        match self {
            PyMongoException::InvalidUri => "InvalidURI",
            PyMongoException::Configuration => "ConfigurationError",
            PyMongoException::Value => "ValueError",
            PyMongoException::Type => "TypeError",
            PyMongoException::FileNotFound => "FileNotFoundError",
        }
    }
}

impl fmt::Display for PyMongoException {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.class_name())
    }
}

/// What PyMongo would raise: its exception class and `str(exc)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    pub exception: PyMongoException,
    /// `str(exc)` exactly as PyMongo 4.20.0 prints it. A few URI errors quote part of the
    /// URI there, and that part may be a password whose reserved characters were not
    /// escaped, so show it only where secrets are wanted; [`PolicyError::redacted`] is the
    /// message to show otherwise.
    pub message: String,
    /// The message without the URI text it quotes (PyMongo 4.20.1's wording); `None` when
    /// the message quotes none.
    redacted: Option<String>,
}

impl PolicyError {
    fn new(exception: PyMongoException, message: impl Into<String>) -> Self {
        PolicyError {
            exception,
            message: message.into(),
            redacted: None,
        }
    }

    /// An error whose message quotes text taken from the URI: `message` is PyMongo 4.20.0's,
    /// `redacted` the same words without the quoted text.
    fn quoting_uri(
        exception: PyMongoException,
        redacted: &str,
        message: impl Into<String>,
    ) -> Self {
        PolicyError {
            exception,
            message: message.into(),
            redacted: Some(redacted.to_string()),
        }
    }

    /// The message with no text from the URI, so it cannot hold any part of a password.
    pub fn redacted(&self) -> &str {
        self.redacted.as_deref().unwrap_or(&self.message)
    }

    /// Whether [`PolicyError::redacted`] left out text that the full message quotes.
    pub fn is_redacted(&self) -> bool {
        self.redacted.is_some()
    }
}

/// Prints the redacted message (see [`PolicyError::message`] for the full one), without the
/// class name.
impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.redacted())
    }
}

impl std::error::Error for PolicyError {}

impl TlsPolicy {
    /// `MongoClient(uri, connect=False)`: `mongodb://[user:pass@]host[:port][,host2]/[db]?opts`
    /// or `mongodb+srv://name/?opts` (where `tls` defaults to true).
    pub fn from_uri(uri: &str) -> Result<TlsPolicy, PolicyError> {
        resolve(Some(uri), &Map::new()).map(|r| r.policy)
    }

    /// `MongoClient("localhost", connect=False, **options)`: keyword arguments as JSON
    /// (booleans as JSON booleans, though PyMongo also takes "true"/"false"; paths as
    /// strings; `null` for None).
    pub fn from_options(options: &Map<String, Value>) -> Result<TlsPolicy, PolicyError> {
        resolve(None, options).map(|r| r.policy)
    }

    /// `MongoClient(uri, connect=False, **options)`: keyword arguments override the URI's.
    pub fn from_uri_and_options(
        uri: &str,
        options: &Map<String, Value>,
    ) -> Result<TlsPolicy, PolicyError> {
        resolve(Some(uri), options).map(|r| r.policy)
    }

    /// Whether the server's chain is verified (ssl `CERT_REQUIRED`): TLS on and
    /// `tlsAllowInvalidCertificates` (or `tlsInsecure`) off.
    pub fn verify_certificates(&self) -> bool {
        self.tls && !self.allow_invalid_certificates
    }

    /// PyMongo's `check_hostname`: `ssl_support.get_ssl_context` forces it off under
    /// `CERT_NONE`, so AllowInvalidCertificates also disables hostname checking.
    pub fn verify_hostname(&self) -> bool {
        self.verify_certificates() && !self.allow_invalid_hostnames
    }

    /// PyMongo's `check_ocsp_endpoint` (it only acts with PyOpenSSL installed, but the
    /// setting is what the options say). AllowInvalidCertificates implies the disable flag.
    pub fn ocsp_endpoint_check(&self) -> bool {
        self.verify_certificates() && !self.disable_ocsp_endpoint_check
    }

    /// The resolved options under PyMongo's option names, as JSON (for
    /// `pkigen policy --format json`). Unset paths are left out; the password is redacted
    /// as "***" so reports can be shared.
    pub fn resolved_options(&self) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("tls".into(), Value::Bool(self.tls));
        for (name, v) in [
            ("tlsCAFile", &self.ca_file),
            ("tlsCertificateKeyFile", &self.certificate_key_file),
            ("tlsCRLFile", &self.crl_file),
        ] {
            if let Some(v) = v {
                m.insert(name.into(), Value::String(v.clone()));
            }
        }
        if self.certificate_key_file_password.is_some() {
            m.insert(
                "tlsCertificateKeyFilePassword".into(),
                Value::String("***".into()),
            );
        }
        m.insert(
            "tlsAllowInvalidCertificates".into(),
            Value::Bool(self.allow_invalid_certificates),
        );
        m.insert(
            "tlsAllowInvalidHostnames".into(),
            Value::Bool(self.allow_invalid_hostnames),
        );
        m.insert(
            "tlsDisableOCSPEndpointCheck".into(),
            Value::Bool(self.disable_ocsp_endpoint_check),
        );
        m
    }
}

/// `MongoClient(uri or "localhost", connect=False, **options)`, with PyMongo's warnings.
pub fn resolve(uri: Option<&str>, options: &Map<String, Value>) -> Result<Resolution, PolicyError> {
    let mut warnings = Vec::new();
    let (mut opts, seeds, srv_name) = match uri {
        Some(uri) => {
            let parsed = uri::validate_uri(uri, &mut warnings)?;
            let srv_name = parsed.is_srv.then(|| parsed.nodes[0].host.clone());
            // MongoClient keeps its seeds in a set.
            let mut seeds = parsed.nodes;
            seeds.sort_by(|a, b| (&a.host, a.port).cmp(&(&b.host, b.port)));
            seeds.dedup();
            (parsed.opts, seeds.len(), srv_name)
        }
        None => (Opts::default(), 1, None),
    };
    for (_, cased, v) in validate_kwargs(options)?.entries() {
        opts.set(cased, v.clone());
    }
    handle_security_options(&mut opts)?;
    normalize_options(&mut opts);
    check_options(seeds, &opts)?;
    let policy = parse_ssl_options(&opts)?;
    // Checked by _SrvResolver, i.e. only once the client resolves the name, after all of
    // the above.
    if srv_name.is_some_and(|name| name.parse::<std::net::IpAddr>().is_ok()) {
        return Err(PolicyError::new(
            PyMongoException::Configuration,
            "Invalid URI host: an IP address is not a valid hostname for 'mongodb+srv://'. Did you mean to use 'mongodb://'?",
        ));
    }
    Ok(Resolution { policy, warnings })
}

#[cfg(test)]
mod tests;
