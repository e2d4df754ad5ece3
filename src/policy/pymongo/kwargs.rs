//! MongoClient's keyword arguments: the `_CaseInsensitiveDictionary` it builds from them
//! (with its named parameters `document_class`, `tz_aware` and `connect` set last), the raw
//! values it reads before validating them, and their strict validation (`common.validate`:
//! a bad value or unknown name raises, where a URI's only warns).

use super::PyMongoException;
use super::names::{KEYWORD_ONLY_NAMES, URI_OPTION_NAMES, unknown_option_message};
use super::options::{Opts, Val};
use super::validators::Check;
use crate::policy::{DriverWarning, PolicyError};
use serde_json::{Map, Value};

/// `keyword_opts`: the keyword arguments, case-insensitive, in order, as JSON values.
pub(crate) struct Keywords {
    /// (lower-cased name, name as last spelt, value)
    entries: Vec<(String, String, Value)>,
}

impl Keywords {
    /// `MongoClient(uri, connect=False, **options)`'s `keyword_opts` once `tz_aware` is
    /// known: `uri_tz_aware` is the URI's validated `tz_aware`, the default when the
    /// `tz_aware` argument is missing or None.
    pub(crate) fn new(options: &Map<String, Value>, uri_tz_aware: Option<bool>) -> Keywords {
        let mut keywords = Keywords {
            entries: Vec::new(),
        };
        // The named parameters are not part of **kwargs; `connect` is the caller's False.
        let named = ["document_class", "tz_aware", "connect", "type_registry"];
        for (name, value) in options {
            if !named.contains(&name.as_str()) {
                keywords.set(name, value.clone());
            }
        }
        // `document_class or dict`: dict, which passes, is kept as None here.
        let document_class = options
            .get("document_class")
            .filter(|v| truthy(v))
            .cloned()
            .unwrap_or(Value::Null);
        keywords.set("document_class", document_class);
        if let Some(registry) = options.get("type_registry").filter(|v| !v.is_null()) {
            keywords.set("type_registry", registry.clone());
        }
        let tz_aware = match options.get("tz_aware") {
            Some(v) if !v.is_null() => v.clone(),
            _ => Value::Bool(uri_tz_aware.unwrap_or(false)),
        };
        keywords.set("tz_aware", tz_aware);
        keywords.set("connect", Value::Bool(false));
        keywords
    }

    fn set(&mut self, name: &str, value: Value) {
        let lc = name.to_lowercase();
        match self.entries.iter_mut().find(|e| e.0 == lc) {
            Some(entry) => {
                entry.1 = name.to_string();
                entry.2 = value;
            }
            None => self.entries.push((lc, name.to_string(), value)),
        }
    }

    /// `keyword_opts.get(name)` before validation.
    pub(crate) fn raw(&self, name: &str) -> Option<&Value> {
        let lc = name.to_lowercase();
        self.entries.iter().find(|e| e.0 == lc).map(|e| &e.2)
    }

    /// Python truthiness of `keyword_opts.get(name)`.
    pub(crate) fn truthy(&self, name: &str) -> bool {
        self.raw(name).is_some_and(truthy)
    }

    /// `_validate_kwargs_and_update_opts`: each argument through `common.validate`, under its
    /// own spelling.
    pub(crate) fn validate(&self, warnings: &mut Vec<DriverWarning>) -> Result<Opts, PolicyError> {
        let mut out = Opts::default();
        for (lc, cased, v) in &self.entries {
            let known = URI_OPTION_NAMES.contains(&lc.as_str())
                || KEYWORD_ONLY_NAMES.contains(&lc.as_str());
            if !known {
                let names: Vec<&str> = URI_OPTION_NAMES
                    .iter()
                    .chain(KEYWORD_ONLY_NAMES)
                    .copied()
                    .collect();
                return Err(PolicyError::new(
                    PyMongoException::Configuration,
                    unknown_option_message(cased, lc, &names, false),
                ));
            }
            let value = if lc == "document_class" {
                document_class(v)?
            } else {
                Check {
                    option: cased,
                    from_uri: false,
                }
                .run(lc, v, warnings)?
            };
            out.set(cased, value);
        }
        Ok(out)
    }
}

/// `validate_document_class` on a value JSON can give: a class is needed, and
/// `issubclass` refuses anything else.
fn document_class(v: &Value) -> Result<Val, PolicyError> {
    match v {
        Value::Null => Ok(Val::Other),
        _ => Err(PolicyError::new(
            PyMongoException::Type,
            "issubclass() arg 1 must be a class",
        )),
    }
}

/// Python truthiness of a JSON value.
pub(crate) fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Object(map) => !map.is_empty(),
    }
}
