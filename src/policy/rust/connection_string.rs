//! `ConnectionString::parse` up to the options: the scheme, the user information, the hosts
//! and the database name, then the options ([`options`](super::options)) and what the
//! scheme decides about TLS.

use super::{RustException, not_modelled, options};
use crate::policy::{PolicyError, TlsPolicy};
use std::net::Ipv6Addr;

fn invalid(message: impl Into<String>) -> PolicyError {
    PolicyError::new(RustException::InvalidArgument, message)
}

/// An error quoting URI text (a host, a scheme): `redacted` says the same without it.
fn invalid_quoting(redacted: &str, message: String) -> PolicyError {
    PolicyError::quoting_uri(RustException::InvalidArgument, redacted, message)
}

/// `ClientOptions::parse(uri)`'s TLS settings.
pub(super) fn parse(uri: &str) -> Result<TlsPolicy, PolicyError> {
    let Some((scheme, after_scheme)) = uri.split_once("://") else {
        return Err(invalid("connection string contains no scheme"));
    };
    let srv = match scheme {
        "mongodb" => false,
        "mongodb+srv" => true,
        other => {
            return Err(invalid_quoting(
                "unsupported connection string scheme",
                format!("unsupported connection string scheme: {other}"),
            ));
        }
    };
    let (pre_options, query) = match after_scheme.split_once('?') {
        Some((pre, query)) => (pre, Some(query)),
        None => (after_scheme, None),
    };
    if pre_options.contains('@') {
        return Err(not_modelled(
            "the Rust profile does not model user information (credentials and their \
             authentication mechanism checks)",
        ));
    }
    let (hosts, database) = match pre_options.split_once('/') {
        Some((hosts, database)) => (hosts, Some(database)),
        None => (pre_options, None),
    };
    let hosts = hosts
        .split(',')
        .map(server_address)
        .collect::<Result<Vec<_>, _>>()?;
    if srv {
        match hosts[..] {
            [Address::Tcp { port: false }] => {}
            [Address::Tcp { port: true }] => {
                return Err(invalid("a port cannot be specified with 'mongodb+srv'"));
            }
            [Address::Unix] => {
                return Err(invalid("unix sockets cannot be used with 'mongodb+srv'"));
            }
            _ => {
                return Err(invalid(
                    "exactly one host must be specified with 'mongodb+srv'",
                ));
            }
        }
    }
    if let Some(database) = database.filter(|d| !d.is_empty()) {
        let decoded = percent_encoding::percent_decode_str(database)
            .decode_utf8()
            .map_err(|_| invalid("database name must be URL encoded"))?;
        if let Some(c) = decoded.chars().find(|c| "/\\ \"$".contains(*c)) {
            return Err(invalid_quoting(
                "illegal character in database name",
                format!("illegal character in database name: {c}"),
            ));
        }
    }
    let tls = match query {
        Some(query) => options::parse_options(query)?,
        None => options::Tls::Unset,
    };
    if srv {
        return Err(not_modelled(
            "the Rust profile does not model mongodb+srv:// URIs: ClientOptions::parse looks \
             the name up in DNS (SRV and TXT records) before it answers",
        ));
    }
    Ok(tls.policy())
}

/// What `ServerAddress::parse` made of a host: only what the SRV checks ask.
enum Address {
    Tcp { port: bool },
    Unix,
}

/// `ServerAddress::parse`: a Unix socket path ending in `.sock`, a bracketed IPv6 literal, or a
/// name; then an optional port from 1 to 65535.
fn server_address(address: &str) -> Result<Address, PolicyError> {
    let refused = |what: &str| {
        invalid_quoting(
            &format!("invalid server address: {what}"),
            format!("invalid server address {address}: {what}"),
        )
    };
    if address.ends_with(".sock") {
        percent_encoding::percent_decode_str(address)
            .decode_utf8()
            .map_err(|_| invalid("unix domain sockets must be URL-encoded"))?;
        return Ok(Address::Unix);
    }
    let (hostname, port) = if let Some(literal) = address.strip_prefix('[') {
        let Some((hostname, port)) = literal.split_once(']') else {
            return Err(refused("missing closing ']' in IP literal hostname"));
        };
        if hostname.parse::<Ipv6Addr>().is_err() {
            return Err(refused("invalid IPv6 address syntax"));
        }
        let port = if port.is_empty() {
            None
        } else if let Some(port) = port.strip_prefix(':') {
            Some(port)
        } else {
            return Err(invalid_quoting(
                "invalid server address: the hostname can only be followed by a port prefixed \
                 with ':'",
                format!(
                    "invalid server address {address}: the hostname can only be followed by a \
                     port prefixed with ':', got {port}"
                ),
            ));
        };
        (hostname, port)
    } else {
        match address.split_once(':') {
            Some((hostname, port)) => (hostname, Some(port)),
            None => (address, None),
        }
    };
    if hostname.is_empty() {
        return Err(refused("the hostname cannot be empty"));
    }
    if let Some(port) = port
        && !matches!(port.parse::<u16>(), Ok(p) if p != 0)
    {
        return Err(invalid_quoting(
            "invalid server address: the port must be an integer between 1 and 65535",
            format!(
                "invalid server address {address}: the port must be an integer between 1 \
                     and 65535, got {port}"
            ),
        ));
    }
    Ok(Address::Tcp {
        port: port.is_some(),
    })
}
