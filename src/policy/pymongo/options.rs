//! The option dictionary and MongoClient's processing steps after parsing:
//! `_handle_security_options`, `_normalize_options`, `_check_options`, `_parse_ssl_options`.

use super::PyMongoException;
use super::pynum::PyInt;
use crate::policy::{PolicyError, TlsPolicy};

/// An option value at some stage: URI values start as strings and become booleans,
/// numbers… on validation, which changes what PyMongo's `is True` tests see.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val {
    Str(String),
    Bool(bool),
    Int(PyInt),
    /// A timeout, in seconds as PyMongo keeps it, or another float option.
    Float(f64),
    Null,
    /// `readPreferenceTags` as the URI gives it, before validation: one text per occurrence.
    Texts(Vec<String>),
    /// Validated `readPreferenceTags`: the tag sets, each `(name, value)` pairs.
    TagSets(Vec<Vec<(String, String)>>),
    /// Validated `authMechanismProperties`.
    Props(Vec<(String, Prop)>),
    /// Validated `compressors`.
    Names(Vec<String>),
    /// A value no later step reads (a keyword option holding a Python object).
    Other,
}

/// One `authMechanismProperties` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Prop {
    Str(String),
    /// `CANONICALIZE_HOST_NAME` given as true or false.
    Bool(bool),
    /// `ALLOWED_HOSTS`, a list (keyword options only).
    List,
}

impl Val {
    /// Python truthiness.
    pub(crate) fn truthy(&self) -> bool {
        match self {
            Val::Str(s) => !s.is_empty(),
            Val::Bool(b) => *b,
            Val::Int(i) => i.cmp_i64(0).is_ne(),
            Val::Float(f) => *f != 0.0,
            Val::Null => false,
            Val::Texts(items) | Val::Names(items) => !items.is_empty(),
            Val::TagSets(sets) => !sets.is_empty(),
            Val::Props(props) => !props.is_empty(),
            Val::Other => true,
        }
    }
}

/// PyMongo's `_CaseInsensitiveDictionary`: insertion-ordered, keyed by the lower-cased
/// name, remembering the most recent spelling (which its messages quote).
#[derive(Debug, Clone, Default)]
pub(crate) struct Opts {
    entries: Vec<(String, String, Val)>,
}

impl Opts {
    pub(crate) fn position(&self, key: &str) -> Option<usize> {
        let lc = key.to_lowercase();
        self.entries.iter().position(|(k, _, _)| *k == lc)
    }
    pub(crate) fn get(&self, key: &str) -> Option<&Val> {
        self.position(key).map(|i| &self.entries[i].2)
    }
    pub(crate) fn get_mut(&mut self, key: &str) -> Option<&mut Val> {
        self.position(key).map(|i| &mut self.entries[i].2)
    }
    /// `options.get(k)` when it `is not None`.
    pub(crate) fn get_set(&self, key: &str) -> Option<&Val> {
        self.get(key).filter(|v| **v != Val::Null)
    }
    /// `bool(options.get(k))`.
    pub(crate) fn truthy(&self, key: &str) -> bool {
        self.get(key).is_some_and(Val::truthy)
    }
    pub(crate) fn contains(&self, key: &str) -> bool {
        self.position(key).is_some()
    }
    pub(crate) fn cased_key<'a>(&'a self, key: &'a str) -> &'a str {
        self.position(key).map_or(key, |i| &self.entries[i].1)
    }
    pub(crate) fn set(&mut self, key: &str, val: Val) {
        match self.position(key) {
            Some(i) => {
                self.entries[i].1 = key.to_string();
                self.entries[i].2 = val;
            }
            None => self
                .entries
                .push((key.to_lowercase(), key.to_string(), val)),
        }
    }
    pub(crate) fn pop(&mut self, key: &str) -> Option<Val> {
        self.position(key).map(|i| self.entries.remove(i).2)
    }
    pub(crate) fn entries(&self) -> &[(String, String, Val)] {
        &self.entries
    }
}

/// The options `tlsInsecure` stands for, in the order PyMongo's set yields them under
/// `PYTHONHASHSEED=0`, which is the order it names a conflict in (other seeds, other orders).
const IMPLICIT_TLSINSECURE_OPTS: [&str; 3] = [
    "tlsallowinvalidcertificates",
    "tlsallowinvalidhostnames",
    "tlsdisableocspendpointcheck",
];

fn conflict(a: &str, b: &str) -> PolicyError {
    PolicyError::new(
        PyMongoException::InvalidUri,
        format!("URI options {a} and {b} cannot be specified simultaneously."),
    )
}

/// `uri_parser_shared._handle_security_options`. Runs twice: on a URI's raw strings, then
/// on the merged, validated options (booleans). Presence tests fire on the first pass,
/// `is True` tests only on the second.
pub(crate) fn handle_security_options(o: &mut Opts) -> Result<(), PolicyError> {
    if o.get_set("tlsinsecure").is_some() {
        for opt in IMPLICIT_TLSINSECURE_OPTS {
            if o.contains(opt) {
                return Err(conflict(o.cased_key("tlsinsecure"), o.cased_key(opt)));
            }
        }
    }
    if let Some(aic) = o.get_set("tlsallowinvalidcertificates") {
        let aic_true = *aic == Val::Bool(true);
        if o.contains("tlsdisableocspendpointcheck") {
            // PyMongo quotes the first name in lower case, the second as spelled.
            return Err(conflict(
                "tlsallowinvalidcertificates",
                o.cased_key("tlsdisableocspendpointcheck"),
            ));
        }
        if aic_true {
            o.set("tlsdisableocspendpointcheck", Val::Bool(true));
        }
    }
    if o.get_set("tlscrlfile").is_some() {
        for opt in [
            "tlsinsecure",
            "tlsallowinvalidcertificates",
            "tlsdisableocspendpointcheck",
        ] {
            if o.get(opt) == Some(&Val::Bool(true)) {
                return Err(PolicyError::new(
                    PyMongoException::InvalidUri,
                    format!(
                        "URI option {opt}=True cannot be specified when CRL checking is enabled."
                    ),
                ));
            }
        }
    }
    if let (Some(ssl), Some(tls)) = (o.get("ssl"), o.get("tls")) {
        // truth_value: "true"/"false" become booleans, anything else is compared as is,
        // so `ssl=TRUE&tls=true` conflicts while `ssl=yes&tls=yes` does not.
        let truth = |v: &Val| match v {
            Val::Str(s) if s == "true" => Val::Bool(true),
            Val::Str(s) if s == "false" => Val::Bool(false),
            v => v.clone(),
        };
        if truth(ssl) != truth(tls) {
            return Err(PolicyError::new(
                PyMongoException::InvalidUri,
                format!(
                    "Can not specify conflicting values for URI options {} and {}.",
                    o.cased_key("ssl"),
                    o.cased_key("tls")
                ),
            ));
        }
    }
    Ok(())
}

/// `_normalize_options`: expand `tlsInsecure` into the three options it stands for (even
/// when false: `tlsInsecure=false` therefore implies `tls=true`), fold `ssl` into `tls`.
pub(crate) fn normalize_options(o: &mut Opts) {
    if let Some(v) = o.get_set("tlsinsecure").cloned() {
        for opt in IMPLICIT_TLSINSECURE_OPTS {
            o.set(opt, v.clone());
        }
    }
    if let Some(v) = o.pop("ssl") {
        o.set("tls", v);
    }
}

/// `uri_parser_shared._check_options`.
pub(crate) fn check_options(seeds: usize, o: &Opts) -> Result<(), PolicyError> {
    let truthy = |k: &str| o.truthy(k);
    let err = |m: &str| Err(PolicyError::new(PyMongoException::Configuration, m));
    if seeds > 1 && truthy("directconnection") {
        return err("Cannot specify multiple hosts with directConnection=true");
    }
    if truthy("loadbalanced") {
        if seeds > 1 {
            return err("Cannot specify multiple hosts with loadBalanced=true");
        }
        if truthy("directconnection") {
            return err("Cannot specify directConnection=true with loadBalanced=true");
        }
        if truthy("replicaset") {
            return err("Cannot specify replicaSet with loadBalanced=true");
        }
    }
    Ok(())
}

/// `client_options._parse_ssl_options`. Non-empty file/password options and allow/disable
/// options set to *false* imply `tls=true`; `true` values of the latter do not.
pub(crate) fn parse_ssl_options(o: &Opts) -> Result<TlsPolicy, PolicyError> {
    let use_tls = match o.get("tls") {
        None | Some(Val::Null) => None,
        Some(v) => Some(v.truthy()),
    };
    let mut enabled: Vec<&str> = [
        "tlscertificatekeyfile",
        "tlscertificatekeyfilepassword",
        "tlscafile",
        "tlscrlfile",
    ]
    .into_iter()
    .filter(|k| o.truthy(k))
    .collect();
    enabled.extend(
        IMPLICIT_TLSINSECURE_OPTS
            .into_iter()
            .filter(|k| o.get(k).is_some_and(|v| !v.truthy())),
    );
    let tls = match (use_tls, enabled.is_empty()) {
        (Some(false), false) => {
            return Err(PolicyError::new(
                PyMongoException::Configuration,
                format!(
                    "TLS has not been enabled but the following tls parameters have been set: {}. Please set `tls=True` or remove.",
                    enabled.join(", ")
                ),
            ));
        }
        (None, false) => true,
        (use_tls, _) => use_tls.unwrap_or(false),
    };
    let text = |k: &str| match o.get(k) {
        Some(Val::Str(s)) => Some(s.clone()),
        _ => None,
    };
    let flag = |k: &str| o.truthy(k);
    Ok(TlsPolicy {
        tls,
        ca_file: text("tlscafile"),
        certificate_key_file: text("tlscertificatekeyfile"),
        certificate_key_file_password: text("tlscertificatekeyfilepassword"),
        crl_file: text("tlscrlfile"),
        allow_invalid_certificates: flag("tlsallowinvalidcertificates"),
        allow_invalid_hostnames: flag("tlsallowinvalidhostnames"),
        disable_ocsp_endpoint_check: flag("tlsdisableocspendpointcheck"),
        disable_certificate_revocation_check: false,
    })
}
