//! Connection-string parsing as `pymongo.uri_parser_shared._validate_uri` does it (with
//! `validate=True, warn=True, normalize=False`, which is how MongoClient calls it).

use super::PyMongoException as Exc;
use super::names::{URI_OPTION_NAMES, unknown_option_message};
use super::options::{Opts, Val, check_options, handle_security_options};
use super::pychars::{is_digit, is_space, str_is_digit};
use super::pynum::{IntError, py_int};
use super::validators::Check;
use crate::policy::{DriverException, DriverWarning, PolicyError};
use percent_encoding::percent_decode_str;
use serde_json::Value;

const SCHEME: &str = "mongodb://";
const SRV_SCHEME: &str = "mongodb+srv://";
const DEFAULT_PORT: u16 = 27017;

/// One seed from a connection string: host (lower-cased, IPv6 without brackets, or a Unix
/// socket path) and port (`None` for sockets and `mongodb+srv` names).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Host {
    /// The host name or address as PyMongo keys its seed list, or the socket's path.
    pub host: String,
    /// The port given, else 27017 for a host; `None` for a socket or an SRV name.
    pub port: Option<u16>,
}

/// What the URI stage hands on to MongoClient: validated options (still under the URI's own
/// spelling, `ssl` not yet folded into `tls`), the seed list, the credentials and database,
/// and the options' text, which a `mongodb+srv` client parses again when it resolves the name.
pub(crate) struct ParsedUri {
    pub opts: Opts,
    pub nodes: Vec<Host>,
    pub is_srv: bool,
    pub username: Option<String>,
    /// `None` for a missing or empty password (MongoClient keeps `password or None`).
    pub password: Option<String>,
    /// The database before any `.collection`; `None` if absent or empty.
    pub database: Option<String>,
    pub options_text: String,
}

/// The seed list of `uri`, after the same validation MongoClient applies (so a URI that
/// PyMongo rejects yields its error rather than a half-parsed host list).
pub fn hosts(uri: &str) -> Result<Vec<Host>, PolicyError> {
    let mut warnings = Vec::new();
    validate_uri(uri, false, &mut warnings).map(|p| p.nodes)
}

/// `urllib.parse.unquote_plus`.
pub(crate) fn unquote_plus(s: &str) -> String {
    percent_decode_str(&s.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}

fn invalid_uri(msg: impl Into<String>) -> PolicyError {
    PolicyError::new(Exc::InvalidUri, msg)
}

fn configuration_error(msg: impl Into<String>) -> PolicyError {
    PolicyError::new(Exc::Configuration, msg)
}

/// `_validate_uri(uri, validate=True, warn=True, normalize=False, srv_max_hosts=…)`;
/// `keyword_srv_max_hosts` is whether the `srvMaxHosts` keyword argument is truthy.
pub(crate) fn validate_uri(
    uri: &str,
    keyword_srv_max_hosts: bool,
    warnings: &mut Vec<DriverWarning>,
) -> Result<ParsedUri, PolicyError> {
    let (is_srv, scheme_free) = if let Some(rest) = uri.strip_prefix(SCHEME) {
        (false, rest)
    } else if let Some(rest) = uri.strip_prefix(SRV_SCHEME) {
        (true, rest)
    } else {
        return Err(invalid_uri(format!(
            "Invalid URI scheme: URI must begin with '{SCHEME}' or '{SRV_SCHEME}'"
        )));
    };
    if scheme_free.is_empty() {
        return Err(invalid_uri("Must provide at least one hostname or IP"));
    }
    let (host_plus_db, opts_text) = scheme_free.split_once('?').unwrap_or((scheme_free, ""));
    let (host_part, dbase) = host_plus_db.split_once('/').unwrap_or((host_plus_db, ""));
    let mut database = None;
    if !dbase.is_empty() {
        let dbase = unquote_plus(dbase);
        let name = dbase.split_once('.').map_or(dbase.as_str(), |(d, _)| d);
        if name.contains(['/', ' ', '"', '$']) {
            return Err(invalid_uri("Bad database name"));
        }
        database = Some(name.to_string()).filter(|d| !d.is_empty());
    }

    let opts = if opts_text.is_empty() {
        Opts::default()
    } else {
        split_options(opts_text, warnings)?
    };

    let (hosts_text, username, password) = match host_part.rsplit_once('@') {
        Some((userinfo, hosts)) => {
            let (user, password) = parse_userinfo(userinfo)?;
            (hosts, Some(user), Some(password).filter(|p| !p.is_empty()))
        }
        None => (host_part, None, None),
    };
    if hosts_text.contains('/') {
        return Err(invalid_uri(
            "Any '/' in a unix domain socket must be percent-encoded",
        ));
    }

    let nodes = if is_srv {
        if opts.truthy("directconnection") {
            return Err(configuration_error(format!(
                "Cannot specify directConnection=true with {SRV_SCHEME} URIs"
            )));
        }
        let nodes = split_hosts(hosts_text, None)?;
        if nodes.len() != 1 {
            return Err(invalid_uri(format!(
                "{SRV_SCHEME} URIs must include one, and only one, hostname"
            )));
        }
        if nodes[0].port.is_some() {
            return Err(invalid_uri(format!(
                "{SRV_SCHEME} URIs must not include a port number"
            )));
        }
        nodes
    } else {
        for (key, name) in [
            ("srvservicename", "srvServiceName"),
            ("srvallowedhostssuffix", "srvAllowedHostsSuffix"),
        ] {
            if opts.get_set(key).is_some() {
                return Err(configuration_error(format!(
                    "The {name} option is only allowed with 'mongodb+srv://' URIs"
                )));
            }
        }
        if keyword_srv_max_hosts || opts.truthy("srvmaxhosts") {
            return Err(configuration_error(
                "The srvMaxHosts option is only allowed with 'mongodb+srv://' URIs",
            ));
        }
        split_hosts(hosts_text, Some(DEFAULT_PORT))?
    };
    check_options(nodes.len(), &opts)?;
    Ok(ParsedUri {
        opts,
        nodes,
        is_srv,
        username,
        password,
        database,
        options_text: opts_text.to_string(),
    })
}

/// `split_options(text, validate=True, warn=True, normalize=False)`: separators, the
/// string-valued security checks, then each option's validator in warn mode (a bad value
/// or unknown name is dropped with a warning; a missing file or a bad
/// `CANONICALIZE_HOST_NAME` still raises).
pub(crate) fn split_options(
    text: &str,
    warnings: &mut Vec<DriverWarning>,
) -> Result<Opts, PolicyError> {
    let kv_error = || invalid_uri("MongoDB URI options are key=value pairs");
    let pieces: Vec<&str> = match (text.contains('&'), text.contains(';')) {
        (true, true) => return Err(invalid_uri("Can not mix '&' and ';' for option separators")),
        (true, false) => text.split('&').collect(),
        (false, true) => text.split(';').collect(),
        // Python's str.split(None): runs of whitespace separate options.
        (false, false) if text.contains('=') => {
            text.split(is_space).filter(|p| !p.is_empty()).collect()
        }
        (false, false) => return Err(kv_error()),
    };
    // _parse_options
    let mut raw = Opts::default();
    for piece in pieces {
        let mut parts = piece.split('=');
        let (Some(key), Some(value), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(kv_error());
        };
        let lc = key.to_lowercase();
        if lc == "readpreferencetags" {
            // options.setdefault(key, []).append(value): the first spelling stays.
            match raw.get_mut(key) {
                Some(Val::Texts(texts)) => texts.push(value.to_string()),
                _ => raw.set(key, Val::Texts(vec![value.to_string()])),
            }
            continue;
        }
        if raw.contains(key) {
            // A name PyMongo does not know may be credential text: it is not repeated.
            warnings.push(DriverWarning::user(
                if URI_OPTION_NAMES.contains(&lc.as_str()) {
                    format!("Duplicate URI option '{lc}'.")
                } else {
                    "Duplicate URI option.".to_string()
                },
            ));
        }
        let val = if lc == "authmechanismproperties" {
            value.to_string()
        } else {
            unquote_plus(value)
        };
        raw.set(key, Val::Str(val));
    }
    // The first security pass sees strings, so its `is True` tests never fire here.
    handle_security_options(&mut raw)?;

    let mut validated = Opts::default();
    for (lc, cased, val) in raw.entries() {
        if !URI_OPTION_NAMES.contains(&lc.as_str()) {
            warnings.push(DriverWarning::user(unknown_option_message(
                lc,
                lc,
                URI_OPTION_NAMES,
                true,
            )));
            continue;
        }
        let json = match val {
            Val::Str(s) => Value::String(s.clone()),
            Val::Texts(texts) => Value::Array(texts.iter().cloned().map(Value::String).collect()),
            other => unreachable!("URI values are text: {other:?}"),
        };
        // Messages name the option in lower case: the dict iterates its lower-cased keys.
        let check = Check {
            option: lc,
            from_uri: true,
        };
        match check.run(lc, &json, warnings) {
            Ok(v) => validated.set(cased, v),
            Err(e) if !warns(lc, &e) => return Err(e),
            Err(e) => warnings.push(DriverWarning::user(e.message)),
        }
    }
    if validated.get("authsource") == Some(&Val::Str(String::new())) {
        return Err(invalid_uri(
            "the authSource database cannot be an empty string",
        ));
    }
    Ok(validated)
}

/// Whether `get_validated_options(warn=True)` turns a validator's error into a warning:
/// `ValueError`, `TypeError` and `ConfigurationError` do, except a bad
/// `CANONICALIZE_HOST_NAME` (`_MECH_PROP_MUST_RAISE`).
fn warns(lc: &str, e: &PolicyError) -> bool {
    let demoted = [Exc::Value, Exc::Type, Exc::Configuration]
        .iter()
        .any(|&exc| e.exception == DriverException::PyMongo(exc));
    let must_raise = lc == "authmechanismproperties"
        && e.message.contains("CANONICALIZE_HOST_NAME")
        && !e
            .message
            .contains("is not a supported auth mechanism property");
    demoted && !must_raise
}

/// `parse_userinfo`: the user name and password, percent-decoded.
fn parse_userinfo(userinfo: &str) -> Result<(String, String), PolicyError> {
    if userinfo.contains('@') || userinfo.matches(':').count() > 1 || unquoted_percent(userinfo) {
        return Err(invalid_uri(
            "Username and password must be escaped according to RFC 3986, use urllib.parse.quote_plus",
        ));
    }
    let (user, password) = userinfo.split_once(':').unwrap_or((userinfo, ""));
    if user.is_empty() {
        return Err(invalid_uri("The empty string is not valid username"));
    }
    Ok((unquote_plus(user), unquote_plus(password)))
}

/// `_unquoted_percent`: a `%` whose next two characters do not decode.
fn unquoted_percent(s: &str) -> bool {
    s.char_indices().any(|(i, c)| {
        if c != '%' {
            return false;
        }
        let sub: String = s[i..].chars().take(3).collect();
        unquote_plus(&sub) == sub
    })
}

pub(crate) fn split_hosts(
    hosts: &str,
    default_port: Option<u16>,
) -> Result<Vec<Host>, PolicyError> {
    let mut nodes = Vec::new();
    for entity in hosts.split(',') {
        if entity.is_empty() {
            return Err(configuration_error(
                "Empty host (or extra comma in host list)",
            ));
        }
        if entity.ends_with(".sock") {
            // parse_host returns socket paths as they are (no lower-casing).
            nodes.push(Host {
                host: unquote_plus(entity),
                port: None,
            });
            continue;
        }
        let node = if entity.starts_with('[') {
            entity.replace("%25", "%")
        } else if entity.contains('%') {
            return Err(invalid_uri(
                "Percent-encoding is only allowed in Unix domain socket paths and IPv6 zone indexes, not in hostnames",
            ));
        } else {
            entity.to_string()
        };
        nodes.push(parse_host(&node, default_port)?);
    }
    Ok(nodes)
}

fn value_error(msg: impl Into<String>) -> PolicyError {
    PolicyError::new(Exc::Value, msg)
}

/// PyMongo's `parse_host`, less its `.sock` branch: `split_hosts` takes socket paths
/// before they get here. A port is any text `str.isdigit` accepts that `int()` reads as
/// 1 to 65535, in any script's digits.
fn parse_host(entity: &str, default_port: Option<u16>) -> Result<Host, PolicyError> {
    let (host, port): (&str, Option<&str>) = if entity.starts_with('[') {
        if !entity.contains(']') {
            return Err(value_error(
                "an IPv6 address literal must be enclosed in '[' and ']' according to RFC 2732.",
            ));
        }
        match entity.find("]:") {
            Some(i) => (&entity[1..i], Some(&entity[i + 2..])),
            // entity[1:-1]: the last character, whatever its width, goes.
            None => {
                let last = entity.char_indices().last().map_or(0, |(i, _)| i);
                (&entity[1..last.max(1)], None)
            }
        }
    } else if entity.contains(':') {
        if entity.matches(':').count() > 1 {
            return Err(value_error(
                "Reserved characters such as ':' must be escaped according RFC 2396. An IPv6 address literal must be enclosed in '[' and ']' according to RFC 2732.",
            ));
        }
        let (h, p) = entity.split_once(':').unwrap_or((entity, ""));
        (h, Some(p))
    } else {
        (entity, None)
    };
    let port = match port {
        None => default_port,
        Some(p) => Some(port_number(p)?),
    };
    Ok(Host {
        host: host.to_lowercase(),
        port,
    })
}

fn port_number(p: &str) -> Result<u16, PolicyError> {
    if !str_is_digit(p) {
        // Special case for mistakes like "mongodb://localhost:27017 ".
        if p.chars().all(|c| is_space(c) || is_digit(c)) && p.chars().any(is_space) {
            return Err(value_error("Port contains whitespace character"));
        }
        return Err(value_error(
            "Port contains non-digit characters. Hint: username and password must be escaped according to RFC 3986, use urllib.parse.quote_plus",
        ));
    }
    let n = match py_int(p) {
        Ok(n) => n,
        // Digits that are not decimal (`²`): the message quotes them, and they may be a
        // password whose `@` is missing.
        Err(e @ IntError::Invalid) => {
            return Err(PolicyError::quoting_uri(
                Exc::Value,
                "invalid literal for int() with base 10",
                e.message(p),
            ));
        }
        Err(e) => return Err(value_error(e.message(p))),
    };
    match n.to_i64() {
        Some(port @ 1..=65535) => Ok(port as u16),
        _ => Err(value_error("Port must be an integer between 0 and 65535")),
    }
}
