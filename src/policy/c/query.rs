//! The text of a connection string as `mongoc_uri_parse` cuts it: scheme, hosts, database,
//! then the query's `name=value` pairs (`mongoc_uri_split_option`).

use super::{invalid_arg, invalid_arg_quoting, not_modelled};
use crate::policy::{DriverWarning, PolicyError};

/// A URI cut into what the options step needs.
pub(super) struct Parts<'a> {
    /// `mongodb+srv://`.
    pub is_srv: bool,
    /// The text after `?`, if any.
    pub query: Option<&'a str>,
}

/// `scan_to_unichar(text, wanted, "", &end)`: the text before the first `wanted` and the
/// rest after it; a backslash makes the character after it ordinary, and a backslash at the
/// end means `wanted` was not found.
pub(super) fn scan(text: &str, wanted: char) -> Option<(&str, &str)> {
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        if c == wanted {
            return Some((&text[..i], &text[i + c.len_utf8()..]));
        }
        if c == '\\' && chars.next().is_none() {
            return None;
        }
    }
    None
}

/// Scheme, host list and database, as `mongoc_uri_parse` reads them.
pub(super) fn split<'a>(
    uri: &'a str,
    warnings: &mut Vec<DriverWarning>,
) -> Result<Parts<'a>, PolicyError> {
    if uri.contains('\0') {
        return Err(not_modelled("a NUL character (C strings end there)"));
    }
    let (is_srv, rest) = if let Some(rest) = uri.strip_prefix("mongodb+srv://") {
        (true, rest)
    } else if let Some(rest) = uri.strip_prefix("mongodb://") {
        (false, rest)
    } else {
        return Err(invalid_arg(
            "Invalid URI Schema, expecting 'mongodb://' or 'mongodb+srv://'",
        ));
    };
    let (hosts, after_slash) = match scan(rest, '/') {
        Some((hosts, after)) => (hosts, Some(after)),
        None => (rest, None),
    };
    if hosts.contains('@') {
        return Err(not_modelled("user information"));
    }
    if is_srv {
        srv_host(hosts)?;
    } else {
        host_list(hosts, warnings)?;
    }
    let Some(after_slash) = after_slash else {
        return Ok(Parts {
            is_srv,
            query: None,
        });
    };
    let (database, query) = match scan(after_slash, '?') {
        Some((database, query)) => (database, Some(query)),
        None => (after_slash, None),
    };
    if !database
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Err(not_modelled("this database name"));
    }
    Ok(Parts {
        is_srv,
        query: query.filter(|q| !q.is_empty()),
    })
}

/// `mongoc_uri_parse_hosts`: a `?` before any `/` is refused; each host is a DNS name, an
/// IPv4 address or an IPv6 literal, with an optional port from 1 to 65535.
fn host_list(hosts: &str, warnings: &mut Vec<DriverWarning>) -> Result<(), PolicyError> {
    if scan(hosts, '?').is_some() {
        warnings.push(DriverWarning::mongoc(
            "A '/' is required between the host list and any options.",
        ));
        return Err(invalid_host());
    }
    for host in hosts.split(',') {
        let (name, port) = match host.strip_prefix('[') {
            Some(v6) => match v6.split_once(']') {
                Some((address, rest)) if is_ipv6(address) => match rest {
                    "" => (address, None),
                    _ => match rest.strip_prefix(':') {
                        Some(port) => (address, Some(port)),
                        None => return Err(not_modelled("this host")),
                    },
                },
                _ => return Err(not_modelled("this host")),
            },
            None => match host.split_once(':') {
                Some((name, port)) => (name, Some(port)),
                None => (host, None),
            },
        };
        let plain_name = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
        if !plain_name && !host.starts_with('[') {
            return Err(not_modelled("this host"));
        }
        if let Some(port) = port {
            if port.is_empty() || !port.chars().all(|c| c.is_ascii_digit()) {
                return Err(not_modelled("this port"));
            }
            // `mongoc_parse_port`: strtoul, then 1 to 65535; an ERROR log line, not a warning.
            if port.trim_start_matches('0').len() > 5
                || !(1..=65535).contains(&port.parse::<u32>().unwrap_or(u32::MAX))
            {
                return Err(invalid_host());
            }
        }
    }
    Ok(())
}

fn is_ipv6(address: &str) -> bool {
    !address.is_empty() && address.parse::<std::net::Ipv6Addr>().is_ok()
}

fn invalid_host() -> PolicyError {
    invalid_arg("Invalid host string in URI")
}

/// A `mongodb+srv://` service name: a DNS name of at least three labels, nothing else.
fn srv_host(host: &str) -> Result<(), PolicyError> {
    let labels: Vec<&str> = host.split('.').collect();
    let plain = labels.len() >= 3
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    if plain {
        Ok(())
    } else {
        Err(not_modelled("this mongodb+srv:// service name"))
    }
}

/// One `name=value` pair as `mongoc_uri_split_option` leaves it.
pub(super) struct Pair {
    /// The name lower-cased (ASCII letters only, as `mongoc_lowercase`).
    pub name: String,
    /// The value, percent-decoded.
    pub value: String,
}

/// The query's pairs (split on `&`, a trailing empty one dropped), each split on its first
/// `=` and its value decoded, merged by lower-cased name as `mongoc_uri_split_option`
/// stores them: in the order first given, a later value replacing the earlier in its place
/// with a warning naming the later spelling. A pair without `=` (an empty one too) is an
/// error quoting it whole; a value whose decoding fails is one naming the option as written.
pub(super) fn pairs(
    mut query: &str,
    warnings: &mut Vec<DriverWarning>,
) -> Result<Vec<Pair>, PolicyError> {
    let mut texts = Vec::new();
    while let Some((pair, rest)) = scan(query, '&') {
        texts.push(pair);
        query = rest;
    }
    if !query.is_empty() {
        texts.push(query);
    }
    let mut pairs: Vec<Pair> = Vec::new();
    for text in texts {
        let Some((written, raw)) = scan(text, '=') else {
            return Err(invalid_arg_quoting(
                "URI option contains no \"=\" sign",
                format!("URI option \"{text}\" contains no \"=\" sign"),
            ));
        };
        let value = unescape(raw).map_err(|warning| {
            warnings.push(DriverWarning::mongoc(warning));
            invalid_arg_quoting(
                "Value for URI option contains invalid UTF-8",
                format!("Value for URI option \"{written}\" contains invalid UTF-8"),
            )
        })?;
        let name = written.to_ascii_lowercase();
        match pairs.iter_mut().find(|p| p.name == name) {
            Some(earlier) => {
                warnings.push(DriverWarning::mongoc(format!(
                    "Overwriting previously provided value for '{written}'"
                )));
                earlier.value = value;
            }
            None => pairs.push(Pair { name, value }),
        }
    }
    Ok(pairs)
}

/// `mongoc_uri_unescape`: `%XX` with two hex digits, not `%00`, becomes that byte; anything
/// else after `%` fails, and so does a result that is not UTF-8. `+` stays `+`. The error
/// is the warning the library logs.
pub(super) fn unescape(text: &str) -> Result<String, &'static str> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut escaped = false;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
                .and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok())
                .filter(|&b| b != 0)
                .ok_or("Invalid % escape sequence")?;
            out.push(hex);
            escaped = true;
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    match String::from_utf8(out) {
        Ok(s) => Ok(s),
        Err(_) if escaped => {
            Err("Invalid % escape sequence: unescaped string contains invalid UTF-8")
        }
        Err(_) => unreachable!("a &str without escapes stays UTF-8"),
    }
}
