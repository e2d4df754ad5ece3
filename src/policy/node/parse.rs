//! `parseOptions(uri, options)`, steps 0 to 5 and 7 (see the module's documentation); step
//! 6 is [`values`](super::values).

use super::connection_string::{ConnectionString, decode_uri_component};
use super::values::{self, Settings, not_modelled};
use super::{NodeException, host, js, table};
use crate::policy::{DriverWarning, PolicyError, TlsPolicy};
use serde_json::{Map, Value};

/// Options by name, any letter case, in the order first given (the driver's
/// `CaseInsensitiveMap`): the lower-cased name, the name as first written, the values.
#[derive(Debug, Default)]
struct CaseInsensitive(Vec<(String, String, Vec<Value>)>);

impl CaseInsensitive {
    fn get(&self, name: &str) -> Option<&Vec<Value>> {
        let name = name.to_lowercase();
        self.0
            .iter()
            .find(|(k, _, _)| *k == name)
            .map(|(_, _, v)| v)
    }

    fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// `map.set(name, values)`: a new name goes last, a known one keeps its place.
    fn set(&mut self, name: &str, values: Vec<Value>) {
        let lower = name.to_lowercase();
        match self.0.iter_mut().find(|(k, _, _)| *k == lower) {
            Some(entry) => entry.2 = values,
            None => self.0.push((lower, name.to_string(), values)),
        }
    }

    fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _, _)| k.as_str())
    }
}

fn parse_error(message: impl Into<String>) -> PolicyError {
    PolicyError::new(NodeException::Parse, message)
}

/// `new MongoClient(uri, options)`: the TLS policy of the client it builds, or what its
/// constructor throws.
pub(super) fn parse_options(
    uri: &str,
    options: &Map<String, Value>,
    warnings: &mut Vec<DriverWarning>,
) -> Result<TlsPolicy, PolicyError> {
    check_bson_options(options)?;
    let url = ConnectionString::parse(uri)?;
    if !url.is_srv {
        for h in &url.hosts {
            host::check(h)?;
        }
    }
    let url_options = url_options(&url)?;
    let mut object_options = CaseInsensitive::default();
    for (name, value) in options {
        if !value.is_null() {
            object_options.set(name, vec![value.clone()]);
        }
    }
    check_uri_only_options(&url_options, &object_options)?;
    let mut all = CaseInsensitive::default();
    for key in url_options.keys().chain(object_options.keys()) {
        let mut values: Vec<Value> = object_options.get(key).cloned().unwrap_or_default();
        values.extend(url_options.get(key).cloned().unwrap_or_default());
        all.set(key, values);
    }
    check_tls_ssl(&all)?;
    check_tls_conflicts(&all)?;
    check_unknown(&all)?;
    let given = |name: &str| all.get(name).filter(|v| !v.is_empty()).cloned();
    let mut settings = values::read(&given, warnings)?;
    if let Some(credentials) = settings.credentials.take() {
        settings.credentials =
            credentials.check(settings.db_name.as_deref(), all.has("authSource"))?;
    }
    check_load_balanced(&url, &settings)?;
    if settings.auto_encryption {
        return Err(not_modelled(
            "autoEncryption (it loads mongodb-client-encryption)",
        ));
    }
    if url.is_srv {
        if settings.direct_connection {
            return Err(PolicyError::new(
                NodeException::Api,
                "SRV URI does not support directConnection",
            ));
        }
        if settings.srv_max_hosts > 0.0 && settings.replica_set.is_some() {
            return Err(parse_error("Cannot use srvMaxHosts option with replicaSet"));
        }
        let tls_given = ["tls", "ssl"]
            .iter()
            .any(|k| object_options.has(k) || url_options.has(k));
        if !tls_given {
            settings.tls = Some(true);
        }
    } else {
        let srv_only: Vec<&str> = [
            "srvMaxHosts",
            "srvServiceName",
            "srvAllowedHostsSuffix",
            "srvHostValidator",
        ]
        .into_iter()
        .filter(|k| url_options.has(k) || object_options.has(k))
        .collect();
        if !srv_only.is_empty() {
            return Err(parse_error(format!(
                "Cannot use {} with a non-srv connection string",
                srv_only.join(", ")
            )));
        }
    }
    if settings.direct_connection && (url.is_srv || url.hosts.len() != 1) {
        return Err(parse_error(
            "directConnection option requires exactly one host",
        ));
    }
    check_proxy(&settings)?;
    if let Some(option) = settings.socket_option {
        return Err(not_modelled(format!(
            "Node's own socket option {option} (passed to tls.connect or net.connect as given)"
        )));
    }
    Ok(policy(&settings))
}

/// The BSON checks `parseOptions` starts with, on the options object's exact names.
fn check_bson_options(options: &Map<String, Value>) -> Result<(), PolicyError> {
    if !options.get("useBigInt64").is_some_and(js::truthy) {
        return Ok(());
    }
    for other in ["promoteLongs", "promoteValues"] {
        if options.get(other) == Some(&Value::Bool(false)) {
            return Err(PolicyError::new(
                NodeException::Api,
                "Must request either bigint or Long for int64 deserialization",
            ));
        }
    }
    Ok(())
}

/// The URI's options (`urlOptions`): the database name of the path, the user information,
/// then each query name with the values of its first spelling.
fn url_options(url: &ConnectionString) -> Result<CaseInsensitive, PolicyError> {
    let mut options = CaseInsensitive::default();
    let path = url.pathname.strip_prefix('/').unwrap_or(&url.pathname);
    if !path.is_empty() {
        let db = decode_uri_component(path)
            .ok_or_else(|| PolicyError::new(NodeException::Uri, "URI malformed"))?;
        if !db.is_empty() {
            options.set("dbName", vec![Value::String(db)]);
        }
    }
    if let Some((username, password)) = &url.userinfo {
        let decode = |s: &str| Value::String(decode_uri_component(s).unwrap_or_default());
        let auth = Map::from_iter([
            ("username".to_string(), decode(username)),
            ("password".to_string(), decode(password)),
        ]);
        options.set("auth", vec![Value::Object(auth)]);
    }
    for (key, _) in &url.params {
        // `searchParams.getAll(key)`: the values of the first spelling of the name.
        let lower = key.to_lowercase();
        let first = url
            .params
            .iter()
            .find(|(k, _)| k.to_lowercase() == lower)
            .map_or(key.as_str(), |(k, _)| k.as_str());
        let values: Vec<&str> = url
            .params
            .iter()
            .filter(|(k, _)| k == first)
            .map(|(_, v)| v.as_str())
            .collect();
        let is_tags = key.to_ascii_lowercase().contains("readpreferencetags");
        if !is_tags && values.len() > 1 {
            return Err(PolicyError::new(
                NodeException::InvalidArgument,
                format!(
                    "URI option \"{key}\" cannot appear more than once in the connection string"
                ),
            ));
        }
        if !is_tags && values.contains(&"") && lower != "timeoutms" {
            return Err(PolicyError::new(
                NodeException::Api,
                format!("URI option \"{key}\" cannot be specified with no value"),
            ));
        }
        if !options.has(key) {
            options.set(
                key,
                values
                    .into_iter()
                    .map(|v| Value::String(v.to_string()))
                    .collect(),
            );
        }
    }
    Ok(options)
}

/// Options that only one of the URI and the options object may give.
fn check_uri_only_options(
    url_options: &CaseInsensitive,
    object_options: &CaseInsensitive,
) -> Result<(), PolicyError> {
    if url_options.has("serverApi") {
        return Err(parse_error(
            "URI cannot contain `serverApi`, it can only be passed to the client",
        ));
    }
    if url_options.has("srvHostValidator") {
        return Err(parse_error(
            "URI cannot contain `srvHostValidator`, it can only be passed to the client",
        ));
    }
    let properties = url_options
        .get("authMechanismProperties")
        .into_iter()
        .flatten();
    for property in properties.filter_map(Value::as_str) {
        if property.starts_with("ALLOWED_HOSTS:") || property.contains(",ALLOWED_HOSTS:") {
            return Err(parse_error(
                "Auth mechanism property ALLOWED_HOSTS is not allowed in the connection string.",
            ));
        }
    }
    if object_options.has("loadBalanced") {
        return Err(parse_error(
            "loadBalanced is only a valid option in the URI",
        ));
    }
    Ok(())
}

/// Every `tls` and `ssl` value exactly `true` or `false`, and all the same.
fn check_tls_ssl(all: &CaseInsensitive) -> Result<(), PolicyError> {
    if !all.has("tls") && !all.has("ssl") {
        return Ok(());
    }
    let mut seen = Vec::new();
    for value in all.get("tls").into_iter().chain(all.get("ssl")).flatten() {
        seen.push(values::boolean("tls/ssl", value)?);
    }
    if seen.contains(&true) && seen.contains(&false) {
        return Err(parse_error("All values of tls/ssl must be the same."));
    }
    Ok(())
}

/// `checkTLSOptions`: which options may not be given together, whatever their values.
fn check_tls_conflicts(all: &CaseInsensitive) -> Result<(), PolicyError> {
    for other in ["tlsAllowInvalidCertificates", "tlsAllowInvalidHostnames"] {
        if all.has("tlsInsecure") && all.has(other) {
            return Err(PolicyError::new(
                NodeException::Api,
                format!("The 'tlsInsecure' option cannot be used with the '{other}' option"),
            ));
        }
    }
    Ok(())
}

/// Names the driver does not know, lower-cased, in the order given.
fn check_unknown(all: &CaseInsensitive) -> Result<(), PolicyError> {
    let unknown: Vec<&str> = all.keys().filter(|k| !table::is_known(k)).collect();
    match unknown.len() {
        0 => Ok(()),
        1 => Err(parse_error(format!(
            "option {} is not supported",
            unknown[0]
        ))),
        _ => Err(parse_error(format!(
            "options {} are not supported",
            unknown.join(", ")
        ))),
    }
}

/// `validateLoadBalancedOptions(hosts, mongoOptions, isSRV)`.
fn check_load_balanced(url: &ConnectionString, settings: &Settings) -> Result<(), PolicyError> {
    if !settings.load_balanced {
        return Ok(());
    }
    if url.hosts.len() > 1 {
        return Err(parse_error(
            "loadBalanced option only supported with a single host in the URI",
        ));
    }
    if settings.replica_set.as_ref().is_some_and(|r| !r.is_empty()) {
        return Err(parse_error(
            "loadBalanced option not supported with a replicaSet option",
        ));
    }
    if settings.direct_connection {
        return Err(parse_error(
            "loadBalanced option not supported when directConnection is provided",
        ));
    }
    if url.is_srv && settings.srv_max_hosts > 0.0 {
        return Err(parse_error(
            "Cannot limit srv hosts with loadBalanced enabled",
        ));
    }
    Ok(())
}

/// The proxy options: a host for any of the others, a user name with a password.
fn check_proxy(settings: &Settings) -> Result<(), PolicyError> {
    let given = |s: &Option<String>| s.as_ref().is_some_and(|s| !s.is_empty());
    let (host, username, password) = (
        given(&settings.proxy_host),
        given(&settings.proxy_username),
        given(&settings.proxy_password),
    );
    if !host && (settings.proxy_port != 0.0 || username || password) {
        return Err(parse_error(
            "Must specify proxyHost if other proxy options are passed",
        ));
    }
    if username != password {
        return Err(parse_error(
            "Can only specify both of proxy username/password or neither",
        ));
    }
    Ok(())
}

/// The client's TLS settings as pkigen's shared [`TlsPolicy`]: `rejectUnauthorized` unset
/// is Node's default, true; the driver has no OCSP, so the endpoint check is always off.
fn policy(settings: &Settings) -> TlsPolicy {
    TlsPolicy {
        tls: settings.tls.unwrap_or(false),
        ca_file: settings.ca_file.clone(),
        certificate_key_file: settings.certificate_key_file.clone(),
        certificate_key_file_password: settings.passphrase.clone(),
        crl_file: settings.crl_file.clone(),
        allow_invalid_certificates: settings.reject_unauthorized == Some(false),
        allow_invalid_hostnames: settings.skip_server_identity,
        disable_ocsp_endpoint_check: true,
        disable_certificate_revocation_check: false,
    }
}
