//! Connection-string parsing as `pymongo.uri_parser_shared._validate_uri` does it (with
//! `validate=True, warn=True, normalize=False`, which is how MongoClient calls it).

use super::PyMongoException as Exc;
use super::names::{URI_OPTION_NAMES, unknown_option_message};
use super::options::{Opts, Val, handle_security_options, validate_value};
use super::pyrepr::py_str_repr;
use crate::policy::{DriverException, PolicyError};
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
/// spelling, `ssl` not yet folded into `tls`), the seed list, and the scheme.
pub(crate) struct ParsedUri {
    pub opts: Opts,
    pub nodes: Vec<Host>,
    pub is_srv: bool,
}

/// The seed list of `uri`, after the same validation MongoClient applies (so a URI that
/// PyMongo rejects yields its error rather than a half-parsed host list).
pub fn hosts(uri: &str) -> Result<Vec<Host>, PolicyError> {
    let mut warnings = Vec::new();
    validate_uri(uri, &mut warnings).map(|p| p.nodes)
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

/// `_validate_uri(uri, validate=True, warn=True, normalize=False)`, plus `_parse_srv`'s
/// `tls=true` default for `mongodb+srv` (applied once MongoClient resolves the name; the TXT
/// record is assumed empty, since it may only carry authSource/replicaSet/loadBalanced).
pub(crate) fn validate_uri(
    uri: &str,
    warnings: &mut Vec<String>,
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
    if !dbase.is_empty() {
        let dbase = unquote_plus(dbase);
        let name = dbase.split_once('.').map_or(dbase.as_str(), |(d, _)| d);
        if name.contains(['/', ' ', '"', '$']) {
            return Err(PolicyError::quoting_uri(
                Exc::InvalidUri,
                "Bad database name",
                format!("Bad database name \"{name}\""),
            ));
        }
    }

    let mut opts = Opts::default();
    if !opts_text.is_empty() {
        opts = split_options(opts_text, warnings)?;
    }

    let hosts_text = match host_part.rsplit_once('@') {
        Some((userinfo, hosts)) => {
            parse_userinfo(userinfo)?;
            hosts
        }
        None => host_part,
    };
    if hosts_text.contains('/') {
        const MESSAGE: &str = "Any '/' in a unix domain socket must be percent-encoded";
        return Err(PolicyError::quoting_uri(
            Exc::InvalidUri,
            MESSAGE,
            format!("{MESSAGE}: {host_part}"),
        ));
    }

    let nodes = if is_srv {
        if opts.truthy("directconnection") {
            return Err(PolicyError::new(
                Exc::Configuration,
                format!("Cannot specify directConnection=true with {SRV_SCHEME} URIs"),
            ));
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
        if !opts.contains("tls") && !opts.contains("ssl") {
            opts.set("tls", Val::Bool(true));
        }
        nodes
    } else {
        for (key, name) in [
            ("srvservicename", "srvServiceName"),
            ("srvallowedhostssuffix", "srvAllowedHostsSuffix"),
        ] {
            if opts.get_set(key).is_some() {
                return Err(PolicyError::new(
                    Exc::Configuration,
                    format!("The {name} option is only allowed with 'mongodb+srv://' URIs"),
                ));
            }
        }
        if opts.truthy("srvmaxhosts") {
            return Err(PolicyError::new(
                Exc::Configuration,
                "The srvMaxHosts option is only allowed with 'mongodb+srv://' URIs",
            ));
        }
        split_hosts(hosts_text, Some(DEFAULT_PORT))?
    };
    super::options::check_options(nodes.len(), &opts)?;
    Ok(ParsedUri {
        opts,
        nodes,
        is_srv,
    })
}

/// `split_options`: separators, the string-valued security checks, then per-option
/// validation in warn mode (bad values and unknown names are dropped with a warning).
fn split_options(text: &str, warnings: &mut Vec<String>) -> Result<Opts, PolicyError> {
    let kv_error = || invalid_uri("MongoDB URI options are key=value pairs");
    let pieces: Vec<&str> = match (text.contains('&'), text.contains(';')) {
        (true, true) => return Err(invalid_uri("Can not mix '&' and ';' for option separators")),
        (true, false) => text.split('&').collect(),
        (false, true) => text.split(';').collect(),
        // Python's str.split(None): runs of whitespace separate options.
        (false, false) if text.contains('=') => text.split_whitespace().collect(),
        (false, false) => return Err(kv_error()),
    };
    let mut raw = Opts::default();
    for piece in pieces {
        let mut parts = piece.split('=');
        let (Some(key), Some(value), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(kv_error());
        };
        let lc = key.to_lowercase();
        if lc == "readpreferencetags" {
            raw.set(key, Val::Other);
            continue;
        }
        if raw.contains(key) {
            warnings.push(format!("Duplicate URI option '{key}'."));
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
            warnings.push(unknown_option_message(lc, lc, URI_OPTION_NAMES));
            continue;
        }
        // Messages name the option in lower case: the dict iterates its lower-cased keys.
        let json = match val {
            Val::Str(s) => Value::String(s.clone()),
            _ => {
                validated.set(cased, val.clone());
                continue;
            }
        };
        match validate_value(lc, lc, &json) {
            Ok(v) => validated.set(cased, v),
            Err(e) if e.exception == DriverException::PyMongo(Exc::FileNotFound) => return Err(e),
            Err(e) => warnings.push(e.message),
        }
    }
    if validated.get("authsource") == Some(&Val::Str(String::new())) {
        return Err(invalid_uri(
            "the authSource database cannot be an empty string",
        ));
    }
    Ok(validated)
}

fn parse_userinfo(userinfo: &str) -> Result<(), PolicyError> {
    if userinfo.contains('@') || userinfo.matches(':').count() > 1 || unquoted_percent(userinfo) {
        return Err(invalid_uri(
            "Username and password must be escaped according to RFC 3986, use urllib.parse.quote_plus",
        ));
    }
    let user = userinfo.split_once(':').map_or(userinfo, |(u, _)| u);
    if user.is_empty() {
        return Err(invalid_uri("The empty string is not valid username"));
    }
    Ok(())
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

fn split_hosts(hosts: &str, default_port: Option<u16>) -> Result<Vec<Host>, PolicyError> {
    let mut nodes = Vec::new();
    for entity in hosts.split(',') {
        if entity.is_empty() {
            return Err(PolicyError::new(
                Exc::Configuration,
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
            const MESSAGE: &str = "Percent-encoding is only allowed in Unix domain socket paths and IPv6 zone indexes, not in hostnames";
            return Err(PolicyError::quoting_uri(
                Exc::InvalidUri,
                MESSAGE,
                format!("{MESSAGE}: {entity}"),
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
/// before they get here.
fn parse_host(entity: &str, default_port: Option<u16>) -> Result<Host, PolicyError> {
    let (host, port): (&str, Option<&str>) = if entity.starts_with('[') {
        if !entity.contains(']') {
            return Err(value_error(
                "an IPv6 address literal must be enclosed in '[' and ']' according to RFC 2732.",
            ));
        }
        match entity.find("]:") {
            Some(i) => (&entity[1..i], Some(&entity[i + 2..])),
            None => (&entity[1..entity.len() - 1], None),
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
        Some(p) => {
            if p.is_empty() || !p.chars().all(|c| c.is_ascii_digit()) {
                // Special case for mistakes like "mongodb://localhost:27017 ".
                if p.chars().all(|c| c.is_whitespace() || c.is_ascii_digit())
                    && let Some(c) = p.chars().find(|c| c.is_whitespace())
                {
                    const MESSAGE: &str = "Port contains whitespace character";
                    return Err(PolicyError::quoting_uri(
                        Exc::Value,
                        MESSAGE,
                        format!("{MESSAGE}: {}", py_str_repr(&c.to_string())),
                    ));
                }
                return Err(value_error(
                    "Port contains non-digit characters. Hint: username and password must be escaped according to RFC 3986, use urllib.parse.quote_plus",
                ));
            }
            match p.parse::<u32>() {
                Ok(n) if (1..=65535).contains(&n) => Some(n as u16),
                _ => return Err(value_error("Port must be an integer between 0 and 65535")),
            }
        }
    };
    Ok(Host {
        host: host.to_lowercase(),
        port,
    })
}
