//! PyMongo's per-option validators (`pymongo.common`, plus `validate_compressors` and
//! `validate_zlib_compression_level` from `compression_support`), over values as Python
//! sees them: a URI's values are `str` (`readPreferenceTags` a list of them), keyword
//! options are whatever JSON gives (`None`, `bool`, `int`, `float`, `str`, `list`, `dict`).
//! `from_uri` is PyMongo 4.20.1's flag for values taken from a connection string, whose
//! messages leave the value out.

use super::PyMongoException as Exc;
use super::options::{Prop, Val};
use super::pychars::str_is_digit;
use super::pynum::{PyInt, py_float, py_int};
use super::pyrepr::{py_repr, py_str, py_type};
use super::uri::unquote_plus;
use crate::policy::{DriverWarning, PolicyError};
use serde_json::Value;

/// `pymongo.auth_shared.MECHANISMS` as `tuple()` lists it under `PYTHONHASHSEED=0` (a
/// frozenset: other seeds print another order).
const MECHANISMS: [&str; 8] = [
    "SCRAM-SHA-256",
    "PLAIN",
    "GSSAPI",
    "SCRAM-SHA-1",
    "DEFAULT",
    "MONGODB-AWS",
    "MONGODB-OIDC",
    "MONGODB-X509",
];

/// `pymongo.common._MECHANISM_PROPS`, in its `PYTHONHASHSEED=0` order.
const MECHANISM_PROPS: [&str; 7] = [
    "SERVICE_REALM",
    "SERVICE_NAME",
    "AWS_SESSION_TOKEN",
    "CANONICALIZE_HOST_NAME",
    "ENVIRONMENT",
    "TOKEN_RESOURCE",
    "SERVICE_HOST",
];

/// `pymongo.common._UNICODE_DECODE_ERROR_HANDLERS`, in its `PYTHONHASHSEED=0` order.
const UNICODE_DECODE_ERROR_HANDLERS: [&str; 3] = ["strict", "ignore", "replace"];

/// `pymongo.common._UUID_REPRESENTATIONS`, with `bson.binary.UuidRepresentation` values.
const UUID_REPRESENTATIONS: [(&str, i64); 5] = [
    ("unspecified", 0),
    ("standard", 4),
    ("pythonLegacy", 3),
    ("javaLegacy", 5),
    ("csharpLegacy", 6),
];

/// `pymongo.read_preferences._MONGOS_MODES`.
pub(crate) const READ_PREFERENCE_MODES: [&str; 5] = [
    "primary",
    "primaryPreferred",
    "secondary",
    "secondaryPreferred",
    "nearest",
];

/// `bson.codec_options.DatetimeConversion` member names, values 1 to 4.
const DATETIME_CONVERSIONS: [&str; 4] =
    ["DATETIME", "DATETIME_CLAMP", "DATETIME_MS", "DATETIME_AUTO"];

fn value_error(msg: impl Into<String>) -> PolicyError {
    PolicyError::new(Exc::Value, msg)
}

fn type_error(msg: impl Into<String>) -> PolicyError {
    PolicyError::new(Exc::Type, msg)
}

/// Python's `tuple(...)` repr of a list of names.
fn py_tuple(names: &[&str]) -> String {
    let items: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    format!("({})", items.join(", "))
}

/// `TypeError: unhashable type` for a `list` or `dict` looked up in a set or dict.
fn check_hashable(v: &Value) -> Result<(), PolicyError> {
    match v {
        Value::Array(_) => Err(type_error("unhashable type: 'list'")),
        Value::Object(_) => Err(type_error("unhashable type: 'dict'")),
        _ => Ok(()),
    }
}

/// One validator call: the option's name as the message spells it, and whether the value
/// came from a connection string.
pub(crate) struct Check<'a> {
    pub option: &'a str,
    pub from_uri: bool,
}

impl Check<'_> {
    /// `common.URI_OPTIONS_VALIDATOR_MAP[lc]` or `common.KW_VALIDATORS[lc]` applied to `v`.
    /// A name in neither is the caller's to report. Warnings the validator emits itself
    /// (compressors) go to `warnings`.
    pub(crate) fn run(
        &self,
        lc: &str,
        v: &Value,
        warnings: &mut Vec<DriverWarning>,
    ) -> Result<Val, PolicyError> {
        match lc {
            "tls"
            | "ssl"
            | "tlsinsecure"
            | "tlsallowinvalidcertificates"
            | "tlsallowinvalidhostnames"
            | "tlsdisableocspendpointcheck"
            | "directconnection"
            | "loadbalanced"
            | "journal"
            | "retryreads"
            | "retrywrites"
            | "enableoverloadretargeting"
            | "enable_overload_retargeting"
            | "connect"
            | "fsync"
            | "tz_aware" => self.boolean_or_string(v),
            "tlscafile" | "tlscertificatekeyfile" | "tlscrlfile" => self.readable(v),
            "tlscertificatekeyfilepassword"
            | "readconcernlevel"
            | "replicaset"
            | "username"
            | "password" => self.string_or_none(v),
            "authsource" | "srvservicename" | "srvallowedhostssuffix" => {
                self.string(v).map(Val::Str)
            }
            "appname" => self.appname(v),
            "authmechanism" => self.auth_mechanism(v),
            "authmechanismproperties" => self.auth_mechanism_properties(v),
            "compressors" => self.compressors(v, warnings),
            "connecttimeoutms" | "sockettimeoutms" => self.timeout_or_none_or_zero(v),
            "heartbeatfrequencyms" | "maxidletimems" | "waitqueuetimeoutms" => {
                self.timeout_or_none(v)
            }
            "localthresholdms" => self.positive_float_or_zero(v).map(Val::Float),
            "maxconnecting" => self.positive_integer(v).map(Val::Int),
            "maxpoolsize" | "waitqueuemultiple" => self.non_negative_integer_or_none(v),
            "wtimeoutms"
            | "srvmaxhosts"
            | "maxadaptiveretries"
            | "minpoolsize"
            | "max_adaptive_retries" => self.non_negative_integer(v).map(Val::Int),
            "maxstalenessseconds" => self.max_staleness(v),
            "readpreference" => self.read_preference_mode(v),
            "readpreferencetags" => self.read_preference_tags(v),
            "serverselectiontimeoutms" => self.timeout_or_zero(v),
            "timeoutms" => self.timeoutms(v),
            "w" => self.non_negative_int_or_basestring(v),
            "zlibcompressionlevel" => self.zlib_compression_level(v),
            "servermonitoringmode" => self.server_monitoring_mode(v),
            "uuidrepresentation" => self.uuid_representation(v),
            "unicode_decode_error_handler" => self.unicode_decode_error_handler(v),
            "datetime_conversion" => self.datetime_conversion(v),
            "driver" => self.instance_or_none(v, "an instance of DriverInfo", false),
            "server_api" => self.instance_or_none(v, "an instance of ServerApi", true),
            "auto_encryption_opts" => {
                self.instance_or_none(v, "an instance of AutoEncryptionOpts", true)
            }
            "server_selector" | "srv_host_validator" => {
                self.instance_or_none(v, "a callable", true)
            }
            "type_registry" => match v {
                Value::Null => Ok(Val::Null),
                _ => Err(type_error(format!(
                    "{} must be an instance of <class 'bson.codec_options.TypeRegistry'>",
                    self.option
                ))),
            },
            "read_preference" => Err(type_error(format!(
                "{} is not a read preference",
                py_repr(v)
            ))),
            "tzinfo" => match v {
                Value::Null => Ok(Val::Null),
                _ => Err(type_error(format!(
                    "{} must be an instance of datetime.tzinfo",
                    py_str(v)
                ))),
            },
            "authoidcallowedhosts" => match v {
                Value::Array(_) => Ok(Val::Other),
                _ => Err(type_error(format!(
                    "{} must be a list, not {}",
                    self.option,
                    py_type(v)
                ))),
            },
            "event_listeners" => self.event_listeners(v),
            // `document_class` takes a class, which JSON cannot give: see `kwargs`.
            _ => Ok(Val::Other),
        }
    }

    /// `validate_boolean_or_string`, then `write_concern.validate_boolean`.
    fn boolean_or_string(&self, v: &Value) -> Result<Val, PolicyError> {
        match v {
            Value::String(s) if s == "true" || s == "false" => Ok(Val::Bool(s == "true")),
            Value::String(_) => Err(value_error(format!(
                "The value of {} must be 'true' or 'false'",
                self.option
            ))),
            Value::Bool(b) => Ok(Val::Bool(*b)),
            other => Err(type_error(format!(
                "{0} must be True or False, was: {0}={1}",
                self.option,
                py_str(other)
            ))),
        }
    }

    fn string(&self, v: &Value) -> Result<String, PolicyError> {
        match v {
            Value::String(s) => Ok(s.clone()),
            _ => Err(type_error(format!(
                "Wrong type for {}, value must be an instance of str, not {}",
                self.option,
                py_type(v)
            ))),
        }
    }

    fn string_or_none(&self, v: &Value) -> Result<Val, PolicyError> {
        match v {
            Value::Null => Ok(Val::Null),
            v => self.string(v).map(Val::Str),
        }
    }

    /// `validate_readable`: PyMongo opens the file; pkigen only knows that the empty path
    /// cannot be opened (see the module documentation of `pymongo`).
    fn readable(&self, v: &Value) -> Result<Val, PolicyError> {
        if *v == Value::Null {
            return Ok(Val::Null);
        }
        let path = self.string(v)?;
        if path.is_empty() {
            let message = if self.from_uri {
                format!("[Errno 2] The {} file is not readable", self.option)
            } else {
                "[Errno 2] No such file or directory: ''".to_string()
            };
            return Err(PolicyError::new(Exc::FileNotFound, message));
        }
        Ok(Val::Str(path))
    }

    fn appname(&self, v: &Value) -> Result<Val, PolicyError> {
        if *v == Value::Null {
            return Ok(Val::Null);
        }
        let name = self.string(v)?;
        if name.len() > 128 {
            return Err(value_error(format!("{} must be <= 128 bytes", self.option)));
        }
        Ok(Val::Str(name))
    }

    fn auth_mechanism(&self, v: &Value) -> Result<Val, PolicyError> {
        check_hashable(v)?;
        match v {
            Value::String(s) if MECHANISMS.contains(&s.as_str()) => Ok(Val::Str(s.clone())),
            _ => Err(value_error(format!(
                "{} must be in {}",
                self.option,
                py_tuple(&MECHANISMS)
            ))),
        }
    }

    /// `validate_auth_mechanism_properties`: a `str` of `KEY:value` pairs (percent-decoded
    /// here, the URI parser having left it alone), or a `dict`.
    fn auth_mechanism_properties(&self, v: &Value) -> Result<Val, PolicyError> {
        let text = match v {
            Value::String(s) => s,
            Value::Object(map) => {
                let mut props = Vec::new();
                for (key, value) in map {
                    let prop = match value {
                        Value::String(s) => Prop::Str(s.clone()),
                        Value::Bool(b) => Prop::Str(b.to_string()),
                        Value::Array(_) if key == "ALLOWED_HOSTS" => Prop::List,
                        _ if key == "OIDC_CALLBACK" || key == "OIDC_HUMAN_CALLBACK" => {
                            return Err(type_error(format!(
                                "callback must be an OIDCCallback object, not {}",
                                py_type(value)
                            )));
                        }
                        _ => {
                            return Err(type_error(format!(
                                "Invalid type for auth mechanism property {key}, {}",
                                py_type(value)
                            )));
                        }
                    };
                    set_prop(&mut props, key, prop);
                }
                return Ok(Val::Props(props));
            }
            _ => {
                return Err(type_error(format!(
                    "Auth mechanism properties must be given as a string or a dictionary, not {}",
                    py_type(v)
                )));
            }
        };
        let mut props = Vec::new();
        for pair in unquote_plus(text).split(',') {
            let (key, value) = pair.split_once(':').unwrap_or((pair, ""));
            if value.is_empty() {
                return Err(value_error("Malformed auth mechanism properties"));
            }
            if !MECHANISM_PROPS.contains(&key) {
                // PyMongo words this one so as not to repeat a session token.
                if key.contains("AWS_SESSION_TOKEN") {
                    return Err(value_error(
                        "auth mechanism properties must be key:value pairs like AWS_SESSION_TOKEN:<token>",
                    ));
                }
                return Err(value_error(format!(
                    "{key} is not a supported auth mechanism property. Must be one of {}",
                    py_tuple(&MECHANISM_PROPS)
                )));
            }
            let prop = if key == "CANONICALIZE_HOST_NAME" {
                canonicalize_host_name(&Prop::Str(value.to_string()))?
            } else {
                Prop::Str(value.to_string())
            };
            set_prop(&mut props, key, prop);
        }
        Ok(Val::Props(props))
    }

    /// `compression_support.validate_compressors`, in an environment with zlib and neither
    /// python-snappy nor backports.zstd (the test venv; Python before 3.14).
    fn compressors(
        &self,
        v: &Value,
        warnings: &mut Vec<DriverWarning>,
    ) -> Result<Val, PolicyError> {
        let items: Vec<Value> = match v {
            Value::String(s) => s.split(',').map(|c| Value::String(c.into())).collect(),
            Value::Array(items) => items.clone(),
            Value::Object(map) => map.keys().map(|k| Value::String(k.clone())).collect(),
            other => {
                let name = py_type(other)
                    .trim_start_matches("<class '")
                    .trim_end_matches("'>");
                return Err(type_error(format!("'{name}' object is not iterable")));
            }
        };
        let mut kept = Vec::new();
        for item in &items {
            check_hashable(item)?;
            match item.as_str() {
                Some("zlib") => kept.push("zlib".to_string()),
                Some("snappy") => warnings.push(DriverWarning::user(
                    "Wire protocol compression with snappy is not available. You must install the python-snappy module for snappy support.",
                )),
                Some("zstd") => warnings.push(DriverWarning::user(
                    "Wire protocol compression with zstandard is not available. You must install the backports.zstd module for zstandard support.",
                )),
                _ if self.from_uri => warnings.push(DriverWarning::user("Unsupported compressor")),
                _ => warnings.push(DriverWarning::user(format!(
                    "Unsupported compressor: {}",
                    py_str(item)
                ))),
            }
        }
        Ok(Val::Names(kept))
    }

    /// Python's `float(value)`, with the validators' words for what it refuses.
    fn float(&self, v: &Value) -> Result<f64, PolicyError> {
        let message = format!("{} must be an integer or float", self.option);
        match v {
            Value::Bool(b) => Ok(f64::from(u8::from(*b))),
            Value::Number(n) => Ok(n.as_f64().unwrap_or(f64::NAN)),
            Value::String(s) => py_float(s).ok_or_else(|| value_error(message)),
            _ => Err(type_error(message)),
        }
    }

    fn positive_float(&self, v: &Value) -> Result<f64, PolicyError> {
        let value = self.float(v)?;
        if !(0.0 < value && value < 1e9) {
            return Err(value_error(format!(
                "{} must be greater than 0 and less than one billion",
                self.option
            )));
        }
        Ok(value)
    }

    fn positive_float_or_zero(&self, v: &Value) -> Result<f64, PolicyError> {
        if equals_int(v, 0) || v.as_str() == Some("0") {
            return Ok(0.0);
        }
        self.positive_float(v)
    }

    fn timeout_or_none(&self, v: &Value) -> Result<Val, PolicyError> {
        match v {
            Value::Null => Ok(Val::Null),
            v => Ok(Val::Float(self.positive_float(v)? / 1000.0)),
        }
    }

    fn timeout_or_zero(&self, v: &Value) -> Result<Val, PolicyError> {
        if *v == Value::Null {
            return Err(PolicyError::new(
                Exc::Configuration,
                format!("{} cannot be None", self.option),
            ));
        }
        if equals_int(v, 0) || v.as_str() == Some("0") {
            return Ok(Val::Float(0.0));
        }
        Ok(Val::Float(self.positive_float(v)? / 1000.0))
    }

    fn timeout_or_none_or_zero(&self, v: &Value) -> Result<Val, PolicyError> {
        if *v == Value::Null || equals_int(v, 0) || v.as_str() == Some("0") {
            return Ok(Val::Null);
        }
        Ok(Val::Float(self.positive_float(v)? / 1000.0))
    }

    fn timeoutms(&self, v: &Value) -> Result<Val, PolicyError> {
        match v {
            Value::Null => Ok(Val::Null),
            v => Ok(Val::Float(self.positive_float_or_zero(v)? / 1000.0)),
        }
    }

    /// `validate_integer`: an `int` (a `bool` is one) as it is, a `str` through `int()`.
    fn integer(&self, v: &Value) -> Result<PyInt, PolicyError> {
        match v {
            Value::Bool(b) => Ok(PyInt::from(i64::from(*b))),
            Value::Number(n) if n.is_i64() => Ok(PyInt::from(n.as_i64().unwrap_or_default())),
            Value::Number(n) if n.is_u64() => Ok(PyInt::from(n.as_u64().unwrap_or_default())),
            Value::String(s) => py_int(s).map_err(|_| {
                value_error(format!("The value of {} must be an integer", self.option))
            }),
            _ => Err(type_error(format!(
                "Wrong type for {}, value must be an integer, not {}",
                self.option,
                py_type(v)
            ))),
        }
    }

    fn positive_integer(&self, v: &Value) -> Result<PyInt, PolicyError> {
        let n = self.integer(v)?;
        if n.cmp_i64(0).is_le() {
            return Err(value_error(format!(
                "The value of {} must be a positive integer",
                self.option
            )));
        }
        Ok(n)
    }

    fn non_negative_integer(&self, v: &Value) -> Result<PyInt, PolicyError> {
        let n = self.integer(v)?;
        if n.cmp_i64(0).is_lt() {
            return Err(value_error(format!(
                "The value of {} must be a non negative integer",
                self.option
            )));
        }
        Ok(n)
    }

    fn non_negative_integer_or_none(&self, v: &Value) -> Result<Val, PolicyError> {
        match v {
            Value::Null => Ok(Val::Null),
            v => self.non_negative_integer(v).map(Val::Int),
        }
    }

    /// `validate_non_negative_int_or_basestring` (`w`): an `int` as it is, a `str` that
    /// `int()` reads as a non-negative number, any other `str` as it is.
    fn non_negative_int_or_basestring(&self, v: &Value) -> Result<Val, PolicyError> {
        match v {
            Value::Bool(_) => self.integer(v).map(Val::Int),
            Value::Number(n) if !n.is_f64() => self.integer(v).map(Val::Int),
            Value::String(s) => match py_int(s) {
                Ok(n) if n.cmp_i64(0).is_lt() => Err(value_error(format!(
                    "The value of {} must be a non negative integer",
                    self.option
                ))),
                Ok(n) => Ok(Val::Int(n)),
                Err(_) => Ok(Val::Str(s.clone())),
            },
            _ => Err(type_error(format!(
                "Wrong type for {}, value must be an non negative integer or a string, not {}",
                self.option,
                py_type(v)
            ))),
        }
    }

    fn max_staleness(&self, v: &Value) -> Result<Val, PolicyError> {
        if equals_int(v, -1) || v.as_str() == Some("-1") {
            return Ok(Val::Int(PyInt::from(-1i64)));
        }
        self.positive_integer(v).map(Val::Int)
    }

    fn read_preference_mode(&self, v: &Value) -> Result<Val, PolicyError> {
        match v.as_str() {
            Some(mode) if READ_PREFERENCE_MODES.contains(&mode) => Ok(Val::Str(mode.into())),
            _ => Err(value_error(format!(
                "Not a valid read preference. Must be one of: {}",
                READ_PREFERENCE_MODES.join(", ")
            ))),
        }
    }

    /// `validate_read_preference_tags`: each `k:v,k:v` set (percent-decoded), `""` for the
    /// empty set.
    fn read_preference_tags(&self, v: &Value) -> Result<Val, PolicyError> {
        let sets = match v {
            Value::Array(items) => items.clone(),
            other => vec![other.clone()],
        };
        let mut tag_sets = Vec::new();
        for set in &sets {
            let invalid = || {
                value_error(if self.from_uri {
                    format!("Invalid read preference tags value for {}", self.option)
                } else {
                    format!("{} not a valid value for {}", py_repr(set), self.option)
                })
            };
            let Some(text) = set.as_str() else {
                return Err(invalid());
            };
            let mut tags: Vec<(String, String)> = Vec::new();
            if !text.is_empty() {
                for tag in text.split(',') {
                    let mut parts = tag.split(':');
                    let (Some(key), Some(value), None) = (parts.next(), parts.next(), parts.next())
                    else {
                        return Err(invalid());
                    };
                    let (key, value) = (unquote_plus(key), unquote_plus(value));
                    match tags.iter_mut().find(|(k, _)| *k == key) {
                        Some(entry) => entry.1 = value,
                        None => tags.push((key, value)),
                    }
                }
            }
            tag_sets.push(tags);
        }
        Ok(Val::TagSets(tag_sets))
    }

    fn zlib_compression_level(&self, v: &Value) -> Result<Val, PolicyError> {
        let level = match v {
            Value::Bool(b) => Some(PyInt::from(i64::from(*b))),
            // int(float): the integer part, exactly (Rust prints a float's exact value).
            Value::Number(n) if n.is_f64() => n
                .as_f64()
                .filter(|f| f.is_finite())
                .and_then(|f| py_int(&format!("{:.0}", f.trunc())).ok()),
            Value::Number(_) => self.integer(v).ok(),
            Value::String(s) => py_int(s).ok(),
            _ => None,
        };
        let Some(level) = level else {
            return Err(type_error(if self.from_uri {
                format!("{} must be an integer", self.option)
            } else {
                format!("{} must be an integer, not {}", self.option, py_repr(v))
            }));
        };
        if level.cmp_i64(-1).is_lt() || level.cmp_i64(9).is_gt() {
            return Err(value_error(format!(
                "{} must be between -1 and 9, not {level}.",
                self.option
            )));
        }
        Ok(Val::Int(level))
    }

    fn server_monitoring_mode(&self, v: &Value) -> Result<Val, PolicyError> {
        check_hashable(v)?;
        match v.as_str() {
            Some(mode @ ("auto" | "stream" | "poll")) => Ok(Val::Str(mode.into())),
            _ if self.from_uri => Err(value_error(format!(
                "{} is invalid. Must be one of \"auto\", \"stream\", or \"poll\"",
                self.option
            ))),
            _ => Err(value_error(format!(
                "{}={} is invalid. Must be one of \"auto\", \"stream\", or \"poll\"",
                self.option,
                py_repr(v)
            ))),
        }
    }

    fn uuid_representation(&self, v: &Value) -> Result<Val, PolicyError> {
        check_hashable(v)?;
        if let Some(&(_, code)) = UUID_REPRESENTATIONS
            .iter()
            .find(|(name, _)| v.as_str() == Some(name))
        {
            return Ok(Val::Int(PyInt::from(code)));
        }
        let names: Vec<&str> = UUID_REPRESENTATIONS.iter().map(|(n, _)| *n).collect();
        Err(value_error(if self.from_uri {
            format!(
                "Invalid UUID representation. Must be one of {}",
                py_tuple(&names)
            )
        } else {
            format!(
                "{} is an invalid UUID representation. Must be one of {}",
                py_str(v),
                py_tuple(&names)
            )
        }))
    }

    fn unicode_decode_error_handler(&self, v: &Value) -> Result<Val, PolicyError> {
        check_hashable(v)?;
        match v.as_str() {
            Some(h) if UNICODE_DECODE_ERROR_HANDLERS.contains(&h) => Ok(Val::Str(h.into())),
            _ => Err(value_error(format!(
                "Invalid Unicode decode error handler. Must be one of {}",
                py_tuple(&UNICODE_DECODE_ERROR_HANDLERS)
            ))),
        }
    }

    /// `validate_datetime_conversion`. A name that is not a member raises `KeyError`, which
    /// the URI parser does not turn into a warning.
    fn datetime_conversion(&self, v: &Value) -> Result<Val, PolicyError> {
        let member = |n: PyInt| match n.to_i64() {
            Some(i @ 1..=4) => Ok(Val::Int(PyInt::from(i))),
            _ => Err(value_error(format!(
                "{n} is not a valid DatetimeConversion"
            ))),
        };
        match v {
            Value::Null => Ok(Val::Int(PyInt::from(1i64))),
            Value::String(s) if str_is_digit(s) => {
                member(py_int(s).map_err(|e| value_error(e.message(s)))?)
            }
            Value::String(s) => match DATETIME_CONVERSIONS.iter().position(|m| m == s) {
                Some(i) => Ok(Val::Int(PyInt::from(i as i64 + 1))),
                None if self.from_uri => Err(PolicyError::new(
                    Exc::Key,
                    format!("'Invalid {} value'", self.option),
                )),
                None => Err(PolicyError::new(Exc::Key, py_repr(v))),
            },
            Value::Bool(false) => Err(value_error("False is not a valid DatetimeConversion")),
            Value::Bool(true) => Ok(Val::Int(PyInt::from(1i64))),
            Value::Number(_) if v.is_i64() || v.is_u64() => member(self.integer(v)?),
            _ => Err(type_error(format!(
                "{} must be a str or int representing DatetimeConversion, not {}",
                self.option,
                py_type(v)
            ))),
        }
    }

    /// The validators of options that take a Python object, which JSON gives only as `None`.
    fn instance_or_none(&self, v: &Value, what: &str, with_type: bool) -> Result<Val, PolicyError> {
        match v {
            Value::Null => Ok(Val::Null),
            _ if with_type => Err(type_error(format!(
                "{} must be {what}, not {}",
                self.option,
                py_type(v)
            ))),
            _ => Err(type_error(format!("{} must be {what}", self.option))),
        }
    }

    /// `monitoring._validate_event_listeners`: a sequence (`list` or `str`) whose items are
    /// listener objects, which JSON cannot give.
    fn event_listeners(&self, v: &Value) -> Result<Val, PolicyError> {
        let first = match v {
            Value::Array(items) => items.first().map(py_type),
            Value::String(s) => s.chars().next().map(|_| "<class 'str'>"),
            other => {
                return Err(type_error(format!(
                    "{} must be a list or tuple, not {}",
                    self.option,
                    py_type(other)
                )));
            }
        };
        match first {
            None => Ok(Val::Other),
            Some(kind) => Err(type_error(format!(
                "Listeners for {} must be either a CommandListener, ServerHeartbeatListener, ServerListener, TopologyListener, or ConnectionPoolListener,not {kind}",
                self.option
            ))),
        }
    }
}

/// `value == n` in Python, for the JSON types: `False == 0`, `0.0 == 0`.
fn equals_int(v: &Value, n: i64) -> bool {
    match v {
        Value::Bool(b) => i64::from(*b) == n,
        Value::Number(x) => x.as_i64() == Some(n) || x.as_f64() == Some(n as f64),
        _ => false,
    }
}

/// `dict[key] = value`: a later key replaces an earlier one in place.
fn set_prop(props: &mut Vec<(String, Prop)>, key: &str, prop: Prop) {
    match props.iter_mut().find(|(k, _)| k == key) {
        Some(entry) => entry.1 = prop,
        None => props.push((key.to_string(), prop)),
    }
}

/// `auth_shared._validate_canonicalize_host_name`.
pub(crate) fn canonicalize_host_name(value: &Prop) -> Result<Prop, PolicyError> {
    match value {
        Prop::Str(s) if s == "true" || s == "false" => Ok(Prop::Bool(s == "true")),
        Prop::Bool(b) => Ok(Prop::Bool(*b)),
        Prop::Str(s) if ["none", "forward", "forwardAndReverse"].contains(&s.as_str()) => {
            Ok(value.clone())
        }
        _ => Err(value_error(
            "CANONICALIZE_HOST_NAME not in valid options: [False, True, 'none', 'forward', 'forwardAndReverse']",
        )),
    }
}
