//! The PyMongo profile: PyMongo 4.20's TLS option semantics, reproduced exactly, so pkigen
//! can say what a `MongoClient(uri, **kwargs)` would configure (or which exception it would
//! raise, in PyMongo's words) without running Python. `tests/it/policy_pymongo.rs` checks
//! this module against the real PyMongo.
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
//! Keyword arguments are JSON: booleans as JSON booleans (PyMongo also takes "true" and
//! "false"), paths as strings, `null` for None. Where PyMongo 4.20.0's message quotes text
//! from the URI, the redacted message ([`PolicyError::redacted`]) is PyMongo 4.20.1's
//! wording, which leaves the quote out.
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

pub use uri::{Host, hosts};

use super::{PolicyError, Resolution};
use options::{
    Opts, check_options, handle_security_options, normalize_options, parse_ssl_options,
    validate_kwargs,
};
use serde_json::{Map, Value};
use std::fmt;

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

/// `MongoClient(uri or "localhost", connect=False, **options)`, with PyMongo's warnings.
pub(super) fn resolve(
    uri: Option<&str>,
    options: &Map<String, Value>,
) -> Result<Resolution, PolicyError> {
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
