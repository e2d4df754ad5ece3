//! The PyMongo profile: PyMongo 4.20.1's reading of a connection string and keyword options,
//! reproduced exactly, so pkigen can say what a `MongoClient(uri, **kwargs)` would configure
//! (or which exception it would raise, in PyMongo's words, and which warnings it would emit on
//! the way) without running Python. `tests/it/policy_pymongo.rs` checks this module against
//! the real PyMongo, on chosen cases and a generated corpus of connection strings.
//!
//! The pipeline mirrors MongoClient's constructor, step by step, because several of
//! PyMongo's outcomes only make sense in that order:
//!
//! 1. URI (`uri_parser_shared._validate_uri`, called with `warn=True, normalize=False`):
//!    split options (a repeated name is a warning), run `_handle_security_options` on the
//!    *raw strings*, then validate each option in warn mode: an invalid value (`tls=yes`,
//!    `maxPoolSize=-1`) or unknown name is **dropped with a warning, not rejected**; a
//!    missing file (`FileNotFoundError`), a bad `CANONICALIZE_HOST_NAME` or an unknown
//!    `datetime_conversion` (`KeyError`) still raise. Then the user info, the host list and
//!    the host-list checks. A seed on CosmosDB or DocumentDB is a warning.
//! 2. Keyword arguments (`common.validate`): strict; invalid values and unknown names raise.
//!    They override URI options of the same (case-insensitive) name.
//! 3. `_handle_security_options` again, now on booleans, so the `tlsCRLFile` conflicts and the
//!    "AllowInvalidCertificates disables the OCSP endpoint check" rule apply to URIs here;
//!    then `_normalize_options` (expand `tlsInsecure`, rename `ssl` to `tls`).
//! 4. `ClientOptions` (`client_settings`): credentials (a DEFAULT or SCRAM user needs a
//!    password, PLAIN a user name…), pool sizes, `_parse_ssl_options` (which options imply
//!    `tls=true`), read preference (the primary takes no tags), write concern, then the
//!    heartbeat `TopologySettings` checks.
//! 5. For `mongodb+srv://`, the resolution of the name (`srv`): the options are parsed
//!    again (their warnings come twice, as in PyMongo), `srvMaxHosts` is checked against
//!    `replicaSet` and `loadBalanced`, `tls` defaults to true, and steps 2 to 4 run again.
//!
//! Keyword arguments are JSON: booleans as JSON booleans (PyMongo also takes "true" and
//! "false"), paths as strings, `null` for None. Python's own rules apply where PyMongo
//! leans on them: `int()` and `float()` read digits of any script (`localhost:２７０１７`),
//! `str.isdigit` takes superscripts that `int()` then refuses.
//!
//! Where a message lists a Python `frozenset` (the mechanisms in an `authMechanism` warning,
//! the `authMechanismProperties` names, the Unicode error handlers) or PyMongo picks from a
//! `set` (which option beside `tlsInsecure` a conflict names), the order depends on
//! `PYTHONHASHSEED`; pkigen gives the order of `PYTHONHASHSEED=0`.
//!
//! What pkigen does differently, on purpose:
//! - File options are not opened. PyMongo opens them (`validate_readable`) and raises
//!   `FileNotFoundError` etc.; pkigen reports unreadable files separately. Only the empty
//!   path, which PyMongo can never open, is reported here, with PyMongo's message. Likewise
//!   the contents (a key that does not match, a wrong password) are not examined here.
//! - Keyword options that take Python objects (`document_class`, `event_listeners`,
//!   `type_registry`…) get only what JSON can give; an object is never valid.
//! - The environment is the one PyMongo's plain install gives: zlib, but neither
//!   python-snappy nor backports.zstd (so `compressors=snappy` and `zstd` are warnings,
//!   worded as on Python before 3.14), no INFO logging (so the CosmosDB/DocumentDB notice is
//!   a warning), and for `mongodb+srv://` a DNS that answers the name itself, port 27017,
//!   with no TXT record.
//! - `srvAllowedHostsSuffix`: pkigen does not carry the Public Suffix List, so a suffix of
//!   two labels or more that is a public suffix (`co.uk`) passes where PyMongo refuses it.
//! - Two seeds of different external kinds (CosmosDB and DocumentDB): PyMongo warns about the
//!   one its seed `set` yields first; pkigen about the first in the URI.

mod client_settings;
mod credentials;
mod difflib;
mod kwargs;
mod names;
mod options;
mod pychars;
mod pynum;
mod pyrepr;
mod srv;
mod uri;
mod validators;

pub use uri::{Host, hosts};

use super::{DriverWarning, PolicyError, Resolution, TlsPolicy};
use client_settings::configure;
use credentials::Login;
use kwargs::Keywords;
use options::{Opts, Val, check_options, handle_security_options, normalize_options};
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
    /// Python's `KeyError` (a `datetime_conversion` that names no member).
    Key,
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
            PyMongoException::Key => "KeyError",
        }
    }
}

impl fmt::Display for PyMongoException {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.class_name())
    }
}

/// `MongoClient(uri or "localhost", connect=False, **options)`, with PyMongo's warnings;
/// for `mongodb+srv://`, followed by the client's resolution of the name.
pub(super) fn resolve(
    uri: Option<&str>,
    options: &Map<String, Value>,
) -> Result<Resolution, PolicyError> {
    let mut warnings = Vec::new();
    match construct(uri, options, &mut warnings) {
        Ok(policy) => Ok(Resolution { policy, warnings }),
        Err(e) => Err(e.after(warnings)),
    }
}

fn construct(
    uri: Option<&str>,
    options: &Map<String, Value>,
    warnings: &mut Vec<DriverWarning>,
) -> Result<TlsPolicy, PolicyError> {
    let Some(uri) = uri else {
        let keywords = Keywords::new(options, None);
        let seeds = [Host {
            host: "localhost".into(),
            port: Some(27017),
        }];
        return client(Opts::default(), &seeds, &keywords, &no_login(), warnings);
    };
    // The srvMaxHosts keyword argument is read, unvalidated, before the URI is parsed.
    let srv_max_hosts = options
        .iter()
        .rev()
        .find(|(k, _)| k.eq_ignore_ascii_case("srvmaxhosts"))
        .is_some_and(|(_, v)| kwargs::truthy(v));
    let parsed = uri::validate_uri(uri, srv_max_hosts, warnings)?;
    let uri_tz_aware = match parsed.opts.get("tz_aware") {
        Some(Val::Bool(b)) => Some(*b),
        _ => None,
    };
    let keywords = Keywords::new(options, uri_tz_aware);
    let login = Login {
        username: parsed.username.as_deref(),
        password: parsed.password.as_deref(),
        database: parsed.database.as_deref(),
    };
    let policy = client(
        parsed.opts.clone(),
        &parsed.nodes,
        &keywords,
        &login,
        warnings,
    )?;
    if !parsed.is_srv {
        return Ok(policy);
    }
    let (opts, seeds) = srv::resolve(&parsed, &keywords, warnings)?;
    client(opts, &seeds, &keywords, &login, warnings)
}

fn no_login() -> Login<'static> {
    Login {
        username: None,
        password: None,
        database: None,
    }
}

/// The rest of MongoClient's constructor (and of `_resolve_srv`), from the parsed URI
/// options and seeds: keyword arguments validated and merged over the URI's, the second
/// security pass, normalisation, the host-list checks, then `ClientOptions`.
fn client(
    mut opts: Opts,
    seeds: &[Host],
    keywords: &Keywords,
    login: &Login<'_>,
    warnings: &mut Vec<DriverWarning>,
) -> Result<TlsPolicy, PolicyError> {
    detect_external_db(seeds, warnings);
    for (_, cased, v) in keywords.validate(warnings)?.entries() {
        opts.set(cased, v.clone());
    }
    handle_security_options(&mut opts)?;
    normalize_options(&mut opts);
    // MongoClient keeps its seeds in a set.
    let mut distinct: Vec<&Host> = seeds.iter().collect();
    distinct.sort_by(|a, b| (&a.host, a.port).cmp(&(&b.host, b.port)));
    distinct.dedup();
    check_options(distinct.len(), &opts)?;
    // Username and password passed as keyword arguments override the URI's.
    let text = |key: &str| match opts.get(key) {
        Some(Val::Str(s)) => Some(Some(s.as_str())),
        Some(_) => Some(None),
        None => None,
    };
    let login = Login {
        username: text("username").unwrap_or(login.username),
        password: text("password").unwrap_or(login.password),
        database: login.database,
    };
    configure(&login, &opts)
}

/// `mongo_client_shared._detect_external_db`: a warning for the first seed that is a
/// CosmosDB or DocumentDB host (PyMongo logs it instead when INFO logging is on).
fn detect_external_db(seeds: &[Host], warnings: &mut Vec<DriverWarning>) {
    const COSMOS: &str = "You appear to be connected to a CosmosDB cluster. For more information regarding feature compatibility and support please visit https://www.mongodb.com/supportability/cosmosdb";
    const DOCUMENT_DB: &str = "You appear to be connected to a DocumentDB cluster. For more information regarding feature compatibility and support please visit https://www.mongodb.com/supportability/documentdb";
    for seed in seeds {
        let host = seed.host.to_lowercase();
        let message = if host.ends_with(".cosmos.azure.com") {
            COSMOS
        } else if host.ends_with(".docdb.amazonaws.com")
            || host.ends_with(".docdb-elastic.amazonaws.com")
        {
            DOCUMENT_DB
        } else {
            continue;
        };
        warnings.push(DriverWarning::user(message));
        return;
    }
}

#[cfg(test)]
mod tests;
