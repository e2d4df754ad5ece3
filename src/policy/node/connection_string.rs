//! `mongodb-connection-string-url`'s `ConnectionString` (the package the driver parses a
//! URI with): the scheme, user information and host list are cut out by one regular
//! expression, and what follows the hosts is read by a WHATWG `URL` built around a
//! placeholder host.

use super::NodeException;
use super::search_params;
use crate::policy::PolicyError;

const MONGODB: &str = "mongodb://";
const MONGODB_SRV: &str = "mongodb+srv://";

/// A connection string as the driver sees it after `new ConnectionString(uri)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ConnectionString {
    /// `mongodb+srv://`.
    pub is_srv: bool,
    /// The host list as written, split at commas (`url.hosts`).
    pub hosts: Vec<String>,
    /// `url.username` and `url.password`, undecoded; `None` when the username is empty.
    pub userinfo: Option<(String, String)>,
    /// `url.pathname`: `/` and the path, dot segments resolved.
    pub pathname: String,
    /// The query's name/value pairs (`url.searchParams`), in order.
    pub params: Vec<(String, String)>,
}

fn parse_error(message: impl Into<String>) -> PolicyError {
    PolicyError::new(NodeException::ConnectionStringParse, message)
}

impl ConnectionString {
    /// `new ConnectionString(uri)` (`lib/index.js`, the constructor).
    pub(super) fn parse(uri: &str) -> Result<ConnectionString, PolicyError> {
        let (is_srv, after_scheme) = if let Some(rest) = uri.strip_prefix(MONGODB) {
            (false, rest)
        } else if let Some(rest) = uri.strip_prefix(MONGODB_SRV) {
            (true, rest)
        } else {
            return Err(parse_error(
                "Invalid scheme, expected connection string to start with \"mongodb://\" or \"mongodb+srv://\"",
            ));
        };
        let Some(parts) = split(after_scheme) else {
            return Err(parse_error("Invalid connection string"));
        };
        if parts.hosts.is_empty() {
            return Err(parse_error(
                "Protocol and host list are required in the uri",
            ));
        }
        for part in [parts.username, parts.password.unwrap_or("")] {
            if decode_uri_component(part).is_none() {
                return Err(parse_error("URI malformed"));
            }
        }
        let illegal = |s: &str| s.contains([':', '/', '?', '#', '[', ']', '@']);
        if let Some(username) = parts.userinfo.then_some(parts.username)
            && illegal(username)
        {
            return Err(PolicyError::quoting_uri(
                NodeException::ConnectionStringParse,
                "Username contains unescaped characters",
                format!("Username contains unescaped characters {username}"),
            ));
        }
        let password_given = parts.password.is_some_and(|p| !p.is_empty());
        if (parts.username.is_empty() || !password_given)
            && (after_scheme.starts_with('@') || after_scheme.starts_with(':'))
        {
            return Err(parse_error("URI contained empty userinfo section"));
        }
        if parts.password.is_some_and(illegal) {
            return Err(parse_error("Password contains unescaped characters"));
        }
        // `rest.match(/^[^/?]*@/)`
        if parts
            .rest
            .split(['/', '?'])
            .next()
            .unwrap_or("")
            .contains('@')
        {
            return Err(parse_error("Invalid connection string"));
        }
        let hosts: Vec<String> = parts.hosts.split(',').map(str::to_string).collect();
        if is_srv && hosts.len() != 1 {
            return Err(parse_error(
                "mongodb+srv URI cannot have multiple service names",
            ));
        }
        if is_srv && hosts.iter().any(|h| h.contains(':')) {
            return Err(parse_error("mongodb+srv URI cannot have port number"));
        }
        // The WHATWG URL parser drops tabs and newlines anywhere, and C0 controls and spaces
        // at the end of its input.
        let clean = |s: &str| s.replace(['\t', '\n', '\r'], "");
        let rest = clean(parts.rest.trim_end_matches(|c: char| c <= ' '));
        let userinfo = if parts.userinfo {
            Some((clean(parts.username), clean(parts.password.unwrap_or(""))))
        } else {
            None
        }
        .filter(|(username, _)| !username.is_empty());
        let before_fragment = rest.split('#').next().unwrap_or("");
        let (path, query) = match before_fragment.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (before_fragment, None),
        };
        Ok(ConnectionString {
            is_srv,
            hosts,
            userinfo,
            pathname: pathname(path),
            params: query.map(search_params::parse).unwrap_or_default(),
        })
    }
}

/// What `HOSTS_REGEX` captures after the scheme.
struct Parts<'a> {
    userinfo: bool,
    username: &'a str,
    password: Option<&'a str>,
    hosts: &'a str,
    rest: &'a str,
}

/// `^(?<protocol>[^/]+):\/\/(?:(?<username>[^:@]*)(?::(?<password>[^@]*))?@)?(?<hosts>(?!:)[^/?@]*)(?<rest>.*)`
/// after the scheme, with JavaScript's backtracking: the user information is taken when it
/// ends in `@` and no `:` follows, `rest` stops at the first line terminator, and the whole
/// match fails when the hosts would start with `:`.
fn split(s: &str) -> Option<Parts<'_>> {
    let username_end = s.find([':', '@']).unwrap_or(s.len());
    let userinfo = match s[username_end..].chars().next() {
        Some('@') => Some((&s[..username_end], None, username_end + 1)),
        Some(':') => {
            let password_start = username_end + 1;
            s[password_start..].find('@').map(|at| {
                let end = password_start + at;
                (&s[..username_end], Some(&s[password_start..end]), end + 1)
            })
        }
        _ => None,
    }
    .filter(|(_, _, after)| !s[*after..].starts_with(':'));
    let (username, password, after) = userinfo.unwrap_or(("", None, 0));
    let tail = &s[after..];
    if tail.starts_with(':') {
        return None;
    }
    let hosts_end = tail.find(['/', '?', '@']).unwrap_or(tail.len());
    let rest = &tail[hosts_end..];
    let rest_end = rest
        .find(['\n', '\r', '\u{2028}', '\u{2029}'])
        .unwrap_or(rest.len());
    Some(Parts {
        userinfo: userinfo.is_some(),
        username,
        password,
        hosts: &tail[..hosts_end],
        rest: &rest[..rest_end],
    })
}

/// `url.pathname` for a path of a URL with a host and a scheme that is not special: `/`
/// and the segments, `.` and `..` (also written `%2e`) resolved.
fn pathname(path: &str) -> String {
    let Some(path) = path.strip_prefix('/') else {
        return path.to_string();
    };
    let mut segments: Vec<&str> = Vec::new();
    let parts: Vec<&str> = path.split('/').collect();
    for (i, segment) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        let lower = segment.to_ascii_lowercase();
        if matches!(lower.as_str(), ".." | ".%2e" | "%2e." | "%2e%2e") {
            segments.pop();
            if last {
                segments.push("");
            }
        } else if matches!(lower.as_str(), "." | "%2e") {
            if last {
                segments.push("");
            }
        } else {
            segments.push(segment);
        }
    }
    format!("/{}", segments.join("/"))
}

/// JavaScript's `decodeURIComponent`: every `%XX` decoded, `None` (a `URIError`, "URI
/// malformed") for a `%` without two hex digits or escapes that are not UTF-8.
pub(super) fn decode_uri_component(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(search_params::escaped(bytes.get(i + 1..i + 3))?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}
