//! What a `mongodb+srv://` client does when it resolves its name
//! (`MongoClient._resolve_srv`, `uri_parser._parse_srv`, `_SrvResolver`): it parses the
//! options again (so their warnings come twice), checks the name and `srvMaxHosts`, and
//! defaults `tls` to true. The DNS answer is taken to be the name itself, port 27017, and no
//! TXT record.

use super::PyMongoException as Exc;
use super::kwargs::Keywords;
use super::options::{Opts, Val, check_options};
use super::uri::{Host, ParsedUri, split_options};
use crate::policy::{DriverWarning, PolicyError};
use std::net::{Ipv4Addr, Ipv6Addr};

/// `pymongo._psl.SPECIAL_USE_LABELS`.
const SPECIAL_USE_LABELS: [&str; 9] = [
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

fn configuration_error(msg: impl Into<String>) -> PolicyError {
    PolicyError::new(Exc::Configuration, msg)
}

/// `_parse_srv`: the options as resolution leaves them, and the seed list it resolves to.
pub(crate) fn resolve(
    parsed: &ParsedUri,
    keywords: &Keywords,
    warnings: &mut Vec<DriverWarning>,
) -> Result<(Opts, Vec<Host>), PolicyError> {
    let mut opts = if parsed.options_text.is_empty() {
        Opts::default()
    } else {
        split_options(&parsed.options_text, warnings)?
    };
    let srv_max_hosts = keywords.truthy("srvmaxhosts") || opts.truthy("srvmaxhosts");
    let suffix = match keywords.raw("srvallowedhostssuffix") {
        Some(serde_json::Value::String(s)) if !s.is_empty() => Some(s.clone()),
        _ => match opts.get("srvallowedhostssuffix") {
            Some(Val::Str(s)) => Some(s.clone()),
            _ => None,
        },
    };
    let fqdn = parsed.nodes[0].host.to_lowercase();
    check_resolver(&fqdn, suffix.as_deref())?;
    if opts.truthy("loadbalanced") && srv_max_hosts {
        return Err(PolicyError::new(
            Exc::InvalidUri,
            "You cannot specify loadBalanced with srvMaxHosts",
        ));
    }
    if opts.truthy("replicaset") && srv_max_hosts {
        return Err(PolicyError::new(
            Exc::InvalidUri,
            "You cannot specify replicaSet with srvMaxHosts",
        ));
    }
    if !opts.contains("tls") && !opts.contains("ssl") {
        opts.set("tls", Val::Bool(true));
    }
    let seeds = vec![Host {
        host: fqdn,
        port: Some(27017),
    }];
    check_options(seeds.len(), &opts)?;
    Ok((opts, seeds))
}

/// `_SrvResolver.__init__`: the allowed-hosts suffix, then the name itself.
///
/// The suffix check stops short of PyMongo's last one: pkigen does not carry the Public
/// Suffix List, so a suffix of two labels or more that is a public suffix (`co.uk`) passes.
fn check_resolver(fqdn: &str, suffix: Option<&str>) -> Result<(), PolicyError> {
    if let Some(given) = suffix {
        let stripped = given.trim_matches('.');
        if stripped.is_empty() {
            return Err(configuration_error(format!(
                "srvAllowedHostsSuffix must not be empty, got: {}",
                super::pyrepr::py_str_repr(given)
            )));
        }
        let lower = stripped.to_lowercase();
        if !SPECIAL_USE_LABELS.contains(&lower.as_str()) && lower.split('.').count() < 2 {
            return Err(configuration_error(format!(
                "srvAllowedHostsSuffix must contain at least two '.' separated labels, got: {given}"
            )));
        }
    }
    if is_ip_address(fqdn) {
        return Err(configuration_error(
            "Invalid URI host: an IP address is not a valid hostname for 'mongodb+srv://'. Did you mean to use 'mongodb://'?",
        ));
    }
    Ok(())
}

/// `ipaddress.ip_address(text)` succeeds: dotted IPv4 without leading zeros, or IPv6 with
/// an optional `%scope`.
fn is_ip_address(text: &str) -> bool {
    if text.parse::<Ipv4Addr>().is_ok() {
        return true;
    }
    let address = match text.split_once('%') {
        Some((address, scope)) if !scope.is_empty() && !scope.contains('%') => address,
        Some(_) => return false,
        None => text,
    };
    address.parse::<Ipv6Addr>().is_ok()
}
