//! Step 6 of `parseOptions`: every option given, read in the order of the `OPTIONS` table
//! by its `type` or `transform` (`setOption`), into what the client keeps.

use super::NodeException;
use super::credentials::{self, Credentials};
use super::js;
use super::table::{Kind, OPTIONS, Row, Transform};
use crate::policy::{Driver, DriverException, DriverWarning, PolicyError};
use serde_json::Value;

/// What the client keeps of the options pkigen models (`client.options`).
#[derive(Debug, Clone, Default)]
pub(super) struct Settings {
    pub tls: Option<bool>,
    pub reject_unauthorized: Option<bool>,
    /// `checkServerIdentity` is the no-op `() => undefined`.
    pub skip_server_identity: bool,
    pub ca_file: Option<String>,
    pub crl_file: Option<String>,
    pub certificate_key_file: Option<String>,
    pub passphrase: Option<String>,
    pub credentials: Option<Credentials>,
    pub db_name: Option<String>,
    pub load_balanced: bool,
    pub direct_connection: bool,
    pub replica_set: Option<String>,
    pub srv_max_hosts: f64,
    pub proxy_host: Option<String>,
    pub proxy_port: f64,
    pub proxy_username: Option<String>,
    pub proxy_password: Option<String>,
    pub auto_encryption: bool,
    /// The read preference so far: its mode and `maxStalenessSeconds`.
    read_preference: Option<(String, Option<f64>)>,
    /// The first of Node's own socket options given, which pkigen does not model.
    pub socket_option: Option<&'static str>,
}

/// One option's values, the options object's first: `allProvidedOptions.get(name)`.
pub(super) type Values<'a> = dyn Fn(&str) -> Option<Vec<Value>> + 'a;

/// Reads every given option in table order; `values(name)` gives an option's values (any
/// letter case), `None` when it is not given.
pub(super) fn read(
    values: &Values<'_>,
    warnings: &mut Vec<DriverWarning>,
) -> Result<Settings, PolicyError> {
    let mut settings = Settings::default();
    for row in OPTIONS {
        let Some(given) = values(row.name) else {
            continue;
        };
        if let Some(why) = row.deprecated {
            warnings.push(DriverWarning::node(format!(
                "{} is a deprecated option: {why}",
                row.name
            )));
        }
        set_option(&mut settings, row, &given)?;
    }
    Ok(settings)
}

fn parse_error(message: impl Into<String>) -> PolicyError {
    PolicyError::new(NodeException::Parse, message)
}

/// `NotModelled`, naming the option.
pub(super) fn not_modelled(what: impl std::fmt::Display) -> PolicyError {
    PolicyError::new(
        DriverException::NotModelled(Driver::Node),
        format!("pkigen does not model what the Node.js driver does with {what}"),
    )
}

/// [`not_modelled`] for a value of option `name`, which the message quotes; its redacted
/// form names the option alone, as a value may be a secret put in the wrong place.
pub(super) fn not_modelled_value(name: &str, value: &str) -> PolicyError {
    let full = not_modelled(format!("{name} {value:?}"));
    PolicyError::quoting_uri(
        DriverException::NotModelled(Driver::Node),
        &not_modelled(format!("this {name} value")).message,
        full.message,
    )
}

/// `getBoolean(name, value)`.
pub(super) fn boolean(name: &str, value: &Value) -> Result<bool, PolicyError> {
    match value {
        Value::Bool(b) => Ok(*b),
        Value::String(s) if s == "true" => Ok(true),
        Value::String(s) if s == "false" => Ok(false),
        _ => Err(parse_error(format!(
            "{name} must be either \"true\" or \"false\""
        ))),
    }
}

/// `getIntFromOptions(name, value)`.
fn int(name: &str, value: &Value) -> Result<f64, PolicyError> {
    js::parse_integer(value).ok_or_else(|| {
        PolicyError::quoting_uri(
            NodeException::Parse,
            &format!("Expected {name} to be stringified int value"),
            format!(
                "Expected {name} to be stringified int value, got: {}",
                js::string(value)
            ),
        )
    })
}

/// `getUIntFromOptions(name, value)`.
fn uint(name: &str, value: &Value) -> Result<f64, PolicyError> {
    let parsed = int(name, value)?;
    if parsed < 0.0 {
        return Err(PolicyError::quoting_uri(
            NodeException::Parse,
            &format!("{name} can only be a positive int value"),
            format!(
                "{name} can only be a positive int value, got: {}",
                js::string(value)
            ),
        ));
    }
    Ok(parsed)
}

/// A string option's value, `String(value)`.
fn string(value: &Value) -> String {
    js::string(value)
}

/// `setOption(mongoOptions, key, descriptor, values)`.
fn set_option(settings: &mut Settings, row: &Row, values: &[Value]) -> Result<(), PolicyError> {
    let name = row.target.unwrap_or(row.name);
    let value = &values[0];
    match row.kind {
        Kind::Bool => {
            let b = boolean(name, value)?;
            match name {
                "tls" => settings.tls = Some(b),
                "directConnection" => settings.direct_connection = b,
                "loadBalanced" => settings.load_balanced = b,
                _ => {}
            }
        }
        Kind::Int => {
            int(name, value)?;
        }
        Kind::UInt => {
            let n = uint(name, value)?;
            match name {
                "srvMaxHosts" => settings.srv_max_hosts = n,
                "proxyPort" => settings.proxy_port = n,
                _ => {}
            }
        }
        Kind::Str => {
            let s = string(value);
            match name {
                "dbName" => settings.db_name = Some(s),
                "replicaSet" => settings.replica_set = Some(s),
                "proxyHost" => settings.proxy_host = Some(s),
                "proxyPassword" => settings.proxy_password = Some(s),
                "proxyUsername" => settings.proxy_username = Some(s),
                "tlsCAFile" => settings.ca_file = Some(s),
                "tlsCRLFile" => settings.crl_file = Some(s),
                "tlsCertificateKeyFile" => settings.certificate_key_file = Some(s),
                _ => {}
            }
        }
        Kind::Record => {
            if !value.is_object() {
                return Err(parse_error(format!("{name} must be an object")));
            }
            if name == "autoEncryption" {
                settings.auto_encryption = true;
            }
        }
        Kind::Socket => {
            settings.socket_option.get_or_insert(row.name);
        }
        Kind::Unmodelled => return Err(not_modelled(format!("the option {}", row.name))),
        Kind::Transform(t) => transform(settings, row, t, values)?,
    }
    Ok(())
}

fn transform(
    settings: &mut Settings,
    row: &Row,
    transform: Transform,
    values: &[Value],
) -> Result<(), PolicyError> {
    let name = row.target.unwrap_or(row.name);
    let value = &values[0];
    match transform {
        Transform::Auth => {
            let Value::Object(auth) = value else {
                return Err(auth_shape(name));
            };
            if !auth.contains_key("username") || !auth.contains_key("password") {
                return Err(auth_shape(name));
            }
            let text = |v: Option<&Value>| match v {
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(Value::Null) | None => Ok(None),
                Some(_) => Err(not_modelled(
                    "an auth option whose user name or password is not a string",
                )),
            };
            let previous = Credentials::merged(settings.credentials.as_ref());
            let username = text(auth.get("username"))?.unwrap_or(previous.username.clone());
            let password = text(auth.get("password"))?.or(previous.password.clone());
            settings.credentials = Some(Credentials {
                username,
                password,
                ..previous
            });
        }
        Transform::AuthMechanism => {
            let text = js::string(value);
            let Some(found) = credentials::find_mechanism(&text) else {
                return Err(not_modelled_value("authMechanism", &text));
            };
            let Some(mechanism) = found else {
                return Err(PolicyError::quoting_uri(
                    NodeException::Parse,
                    &format!("authMechanism one of {}", credentials::MECHANISMS.join(",")),
                    format!(
                        "authMechanism one of {}, got {text}",
                        credentials::MECHANISMS.join(",")
                    ),
                ));
            };
            let merged = Credentials::merged(settings.credentials.as_ref());
            settings.credentials = Some(merged.with_mechanism(mechanism));
        }
        Transform::AuthSource => {
            let mut merged = Credentials::merged(settings.credentials.as_ref());
            merged.source = js::string(value);
            settings.credentials = Some(merged);
        }
        Transform::ServerApi => {
            const ENUM: &str = "[\"1\"]";
            let version = match value {
                Value::String(s) => Some(value).filter(|_| !s.is_empty()),
                Value::Object(o) => o.get("version").filter(|v| js::truthy(v)),
                _ => None,
            };
            let Some(version) = version else {
                return Err(parse_error(format!(
                    "Invalid `serverApi` property; must specify a version from the following enum: {ENUM}"
                )));
            };
            if version.as_str() != Some("1") {
                return Err(parse_error(format!(
                    "Invalid server API version={}; must be in the following enum: {ENUM}",
                    js::string(version)
                )));
            }
        }
        Transform::Compressors => {
            const KNOWN: [&str; 4] = ["none", "snappy", "zlib", "zstd"];
            for value in values {
                let list: Vec<String> = match value {
                    Value::String(s) => s.split(',').map(str::to_string).collect(),
                    Value::Array(items) => items.iter().map(js::string).collect(),
                    _ => {
                        return Err(PolicyError::new(
                            NodeException::InvalidArgument,
                            "compressors must be an array or a comma-delimited list of strings",
                        ));
                    }
                };
                if let Some(bad) = list.iter().find(|c| !KNOWN.contains(&c.as_str())) {
                    return Err(PolicyError::quoting_uri(
                        NodeException::InvalidArgument,
                        "is not a valid compression mechanism. Must be one of: none,snappy,zlib,zstd.",
                        format!(
                            "{bad} is not a valid compression mechanism. Must be one of: none,snappy,zlib,zstd."
                        ),
                    ));
                }
            }
        }
        Transform::Family => {
            let n = int(name, value)?;
            if n != 4.0 && n != 6.0 {
                return Err(parse_error(format!(
                    "Option 'family' must be 4 or 6 got {}.",
                    js::number(n)
                )));
            }
        }
        Transform::WriteConcernFlag => {
            boolean(name, value)?;
        }
        Transform::MaxConnecting => {
            if uint(name, value)? == 0.0 {
                return Err(PolicyError::new(
                    NodeException::InvalidArgument,
                    "maxConnecting must be > 0 if specified",
                ));
            }
        }
        Transform::MaxStalenessSeconds => {
            let seconds = uint(name, value)?;
            match &mut settings.read_preference {
                Some((_, staleness)) => *staleness = Some(seconds),
                None => {
                    check_read_preference("secondary", Some(seconds))?;
                    settings.read_preference = Some(("secondary".to_string(), Some(seconds)));
                }
            }
        }
        Transform::Accepted => {}
        Transform::PkFactory => {
            return Err(PolicyError::quoting_uri(
                NodeException::Parse,
                "Option pkFactory must be an object with a createPk function",
                format!(
                    "Option pkFactory must be an object with a createPk function, got {}",
                    js::string(value)
                ),
            ));
        }
        Transform::ReadConcern => match value {
            Value::Object(o) if o.contains_key("level") => {}
            Value::String(_) | Value::Bool(_) | Value::Number(_) => {
                let json = match value {
                    Value::Number(n) => js::number(n.as_f64().unwrap_or(f64::NAN)),
                    other => serde_json::to_string(other).unwrap_or_default(),
                };
                return Err(PolicyError::quoting_uri(
                    NodeException::Parse,
                    "ReadConcern must be an object",
                    format!("ReadConcern must be an object, got {json}"),
                ));
            }
            _ => return Err(not_modelled("a readConcern object without a level")),
        },
        Transform::SrvAllowedHostsSuffix => srv_allowed_hosts_suffix(value)?,
        Transform::ReadPreference => {
            let Value::String(mode) = value else {
                if value.is_object() {
                    return Err(not_modelled("a readPreference object"));
                }
                return Err(parse_error(format!(
                    "Unknown ReadPreference value: {}",
                    js::string(value)
                )));
            };
            let staleness = settings.read_preference.as_ref().and_then(|(_, s)| *s);
            check_read_preference(mode, staleness)?;
            settings.read_preference = Some((mode.clone(), staleness));
        }
        Transform::ServerMonitoringMode => {
            if !matches!(value.as_str(), Some("auto" | "poll" | "stream")) {
                return Err(parse_error(
                    "serverMonitoringMode must be one of `auto`, `poll`, or `stream`",
                ));
            }
        }
        Transform::SrvHostValidator => {
            return Err(parse_error("srvHostValidator must be a function"));
        }
        Transform::Ignored => {}
        Transform::TlsAllowInvalidCertificates => {
            settings.reject_unauthorized = Some(!boolean(name, value)?);
        }
        Transform::TlsAllowInvalidHostnames => {
            settings.skip_server_identity = boolean(name, value)?;
        }
        Transform::TlsCertificateKeyFilePassword => match value {
            Value::String(s) => settings.passphrase = Some(s.clone()),
            _ => {
                return Err(not_modelled(
                    "a tlsCertificateKeyFilePassword that is not a string",
                ));
            }
        },
        Transform::TlsInsecure => {
            // `tlsInsecure=false` resets both; the `else` branch reads options that are never
            // set (their values went to their targets), so it always verifies.
            let insecure = boolean(name, value)?;
            settings.skip_server_identity = insecure;
            settings.reject_unauthorized = Some(!insecure);
        }
        Transform::WriteConcern => match value {
            Value::Object(_) | Value::Number(_) => {}
            Value::String(s) if s == "majority" => {}
            Value::String(_) | Value::Bool(_) => {
                return Err(PolicyError::quoting_uri(
                    NodeException::Parse,
                    "Invalid WriteConcern cannot parse",
                    format!(
                        "Invalid WriteConcern cannot parse: {}",
                        serde_json::to_string(value).unwrap_or_default()
                    ),
                ));
            }
            _ => return Err(not_modelled("a writeConcern list")),
        },
        Transform::WTimeout => {
            uint(row.name, value)?;
        }
        Transform::MongodbLogComponentSeverities => {
            if value.is_object() {
                return Err(not_modelled("a mongodbLogComponentSeverities object"));
            }
            return Err(PolicyError::new(
                NodeException::Api,
                "Option 'mongodbLogComponentSeverities' must be a non-null object",
            ));
        }
        Transform::MongodbLogPath => {
            if !matches!(value.as_str(), Some("stderr" | "stdout")) {
                return Err(PolicyError::new(
                    NodeException::Api,
                    "Option 'mongodbLogPath' must be of type 'stderr' | 'stdout' | MongoDBLogWritable",
                ));
            }
        }
    }
    Ok(())
}

/// `normalizeSrvAllowedHostsSuffix`, for an ASCII suffix (another goes through IDNA, which
/// pkigen does not model).
fn srv_allowed_hosts_suffix(value: &Value) -> Result<(), PolicyError> {
    const RESERVED: [&str; 9] = [
        "test",
        "localhost",
        "invalid",
        "example",
        "local",
        "internal",
        "corp",
        "home",
        "mail",
    ];
    let Value::String(text) = value else {
        return Err(parse_error("srvAllowedHostsSuffix must be a string"));
    };
    let stripped = text.trim_matches('.');
    if stripped.is_empty() {
        return Err(parse_error(
            "srvAllowedHostsSuffix must contain at least one domain label",
        ));
    }
    let forbidden = |c: char| c <= ' ' || c == '\u{7f}' || "#%/:<>?@[\\]^|".contains(c);
    if stripped.contains(forbidden) {
        return Err(PolicyError::quoting_uri(
            NodeException::Parse,
            "srvAllowedHostsSuffix is not a valid domain name",
            format!("srvAllowedHostsSuffix \"{text}\" is not a valid domain name"),
        ));
    }
    if !stripped.is_ascii() {
        return Err(not_modelled("a srvAllowedHostsSuffix that is not ASCII"));
    }
    let suffix = stripped.to_ascii_lowercase();
    if !suffix.contains('.') && !RESERVED.contains(&suffix.as_str()) {
        return Err(PolicyError::quoting_uri(
            NodeException::Parse,
            "srvAllowedHostsSuffix must contain at least two domain labels",
            format!(
                "srvAllowedHostsSuffix \"{text}\" must contain at least two domain labels, or be one of: {}",
                RESERVED.join(", ")
            ),
        ));
    }
    Ok(())
}

fn auth_shape(name: &str) -> PolicyError {
    parse_error(format!(
        "{name} must be an object with 'username' and 'password' properties"
    ))
}

/// `new ReadPreference(mode, undefined, {maxStalenessSeconds})`.
fn check_read_preference(mode: &str, max_staleness: Option<f64>) -> Result<(), PolicyError> {
    const MODES: [&str; 5] = [
        "primary",
        "primaryPreferred",
        "secondary",
        "secondaryPreferred",
        "nearest",
    ];
    if !MODES.contains(&mode) {
        return Err(PolicyError::quoting_uri(
            NodeException::InvalidArgument,
            "Invalid read preference mode",
            format!(
                "Invalid read preference mode {}",
                serde_json::to_string(mode).unwrap_or_default()
            ),
        ));
    }
    if let Some(seconds) = max_staleness {
        if seconds <= 0.0 {
            return Err(PolicyError::new(
                NodeException::InvalidArgument,
                "maxStalenessSeconds must be a positive integer",
            ));
        }
        if mode == "primary" {
            return Err(PolicyError::new(
                NodeException::InvalidArgument,
                "Primary read preference cannot be combined with maxStalenessSeconds",
            ));
        }
    }
    Ok(())
}
