//! The driver's `HostAddress.fromString`: each host of a `mongodb://` URI is read by Node's
//! WHATWG `URL` as the host of `iLoveJS://HOST`, a scheme that is not special, so the host
//! is opaque (any characters but a few) unless it is an IPv6 address in brackets.

use super::NodeException;
use super::connection_string::decode_uri_component;
use crate::policy::PolicyError;
use std::net::Ipv6Addr;

/// Checks one host as `new HostAddress(host)` does, with its errors.
pub(super) fn check(host: &str) -> Result<(), PolicyError> {
    let escaped = host.replace(' ', "%20");
    if escaped.ends_with(".sock") {
        // A Unix socket path, decoded as a whole.
        return match decode_uri_component(&escaped) {
            Some(_) => Ok(()),
            None => Err(malformed()),
        };
    }
    let Some((hostname, port)) = url_host(&escaped) else {
        return Err(PolicyError::quoting_uri(
            NodeException::Runtime,
            "Unable to parse the host with URL",
            format!("Unable to parse {escaped} with URL"),
        ));
    };
    if decode_uri_component(&hostname).is_none() {
        return Err(malformed());
    }
    if port == Some(0) {
        return Err(PolicyError::new(
            NodeException::Parse,
            "Invalid port (zero) with hostname",
        ));
    }
    Ok(())
}

fn malformed() -> PolicyError {
    PolicyError::new(NodeException::Uri, "URI malformed")
}

/// `new URL("iLoveJS://" + host)`: the host name and port, or `None` where the URL parser
/// fails. The parser drops tabs and newlines, and C0 controls and spaces at the end; the
/// host ends at `#` (what follows is a fragment).
fn url_host(host: &str) -> Option<(String, Option<u32>)> {
    let cleaned: String = host
        .trim_end_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let authority = cleaned.split('#').next().unwrap_or("");
    // The host ends at the first `:` outside brackets.
    let mut inside_brackets = false;
    let mut split_at = None;
    for (i, c) in authority.char_indices() {
        match c {
            '[' => inside_brackets = true,
            ']' => inside_brackets = false,
            ':' if !inside_brackets => {
                split_at = Some(i);
                break;
            }
            _ => {}
        }
    }
    let (name, port) = match split_at {
        Some(0) => return None,
        Some(i) => (&authority[..i], Some(&authority[i + 1..])),
        None => (authority, None),
    };
    let port = match port {
        None | Some("") => None,
        Some(digits) if digits.bytes().all(|b| b.is_ascii_digit()) => {
            let significant = digits.trim_start_matches('0');
            if significant.len() > 5 {
                return None;
            }
            let value: u32 = significant.parse().unwrap_or(0);
            if value > 65535 {
                return None;
            }
            Some(value)
        }
        Some(_) => return None,
    };
    Some((host_name(name)?, port))
}

/// The URL host parser for a scheme that is not special: an IPv6 address in brackets, or an
/// opaque host, which refuses the forbidden host code points and percent-encodes C0 controls
/// and non-ASCII.
fn host_name(name: &str) -> Option<String> {
    if let Some(inner) = name.strip_prefix('[') {
        let address = inner.strip_suffix(']')?;
        address.parse::<Ipv6Addr>().ok()?;
        return Some(name.to_string());
    }
    const FORBIDDEN: &[char] = &[
        '\0', '\t', '\n', '\r', ' ', '#', '/', ':', '<', '>', '?', '@', '[', '\\', ']', '^', '|',
    ];
    if name.contains(FORBIDDEN) {
        return None;
    }
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_control() || !c.is_ascii() {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    Some(out)
}
