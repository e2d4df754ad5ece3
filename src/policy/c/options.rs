//! The options step of `mongoc_uri_parse` (`mongoc_uri_parse_options`,
//! `mongoc_uri_options_validate_names`, `mongoc_uri_apply_options`), its TLS finalisation
//! (`mongoc_uri_finalize_tls`), and what a client then takes from the URI
//! (`mongoc_uri_get_tls`, `_mongoc_ssl_opts_from_uri`).

use super::query::{self, Pair};
use super::{invalid_arg, invalid_arg_quoting, not_modelled};
use crate::policy::{DriverWarning, PolicyError, TlsPolicy};

/// The deprecated names and the canonical names they stand for
/// (`mongoc_uri_canonicalize_option`).
const ALIASES: [(&str, &str); 6] = [
    ("ssl", "tls"),
    ("sslclientcertificatekeyfile", "tlscertificatekeyfile"),
    (
        "sslclientcertificatekeypassword",
        "tlscertificatekeyfilepassword",
    ),
    ("sslcertificateauthorityfile", "tlscafile"),
    ("sslallowinvalidcertificates", "tlsallowinvalidcertificates"),
    ("sslallowinvalidhostnames", "tlsallowinvalidhostnames"),
];

/// The boolean options (`mongoc_uri_option_is_bool`) whose values pkigen models; the
/// library's other booleans are checked again when it finalizes the URI.
const BOOLEANS: [&str; 15] = [
    "tls",
    "ssl",
    "tlsinsecure",
    "tlsallowinvalidcertificates",
    "tlsallowinvalidhostnames",
    "tlsdisableocspendpointcheck",
    "tlsdisablecertificaterevocationcheck",
    "sslallowinvalidcertificates",
    "sslallowinvalidhostnames",
    "canonicalizehostname",
    "journal",
    "retryreads",
    "retrywrites",
    "safe",
    "serverselectiontryonce",
];

/// The string options stored as given (`mongoc_uri_option_is_utf8`), `tls*` and `ssl*`.
const STRINGS: [&str; 6] = [
    "tlscertificatekeyfile",
    "tlscertificatekeyfilepassword",
    "tlscafile",
    "sslclientcertificatekeyfile",
    "sslclientcertificatekeypassword",
    "sslcertificateauthorityfile",
];

/// The 32-bit integer options with no further rule (`mongoc_uri_option_is_int32`).
const INTEGERS: [&str; 10] = [
    "connecttimeoutms",
    "serverselectiontimeoutms",
    "sockettimeoutms",
    "socketcheckintervalms",
    "localthresholdms",
    "maxpoolsize",
    "minpoolsize",
    "maxidletimems",
    "waitqueuemultiple",
    "waitqueuetimeoutms",
];

/// Options the library knows and validates in ways pkigen does not reproduce.
const NOT_MODELLED: [&str; 19] = [
    "w",
    "wtimeoutms",
    "readpreference",
    "readpreferencetags",
    "maxstalenessseconds",
    "readconcernlevel",
    "authmechanism",
    "authsource",
    "authmechanismproperties",
    "gssapiservicename",
    "appname",
    "compressors",
    "replicaset",
    "directconnection",
    "loadbalanced",
    "heartbeatfrequencyms",
    "zlibcompressionlevel",
    "srvmaxhosts",
    "srvservicename",
];

/// The options that turn TLS on by being present, when neither `tls` nor `ssl` is set
/// (`mongoc_uri_get_tls`).
const TURN_TLS_ON: [&str; 8] = [
    "tlscertificatekeyfile",
    "tlscafile",
    "tlsallowinvalidcertificates",
    "tlsallowinvalidhostnames",
    "tlsinsecure",
    "tlscertificatekeyfilepassword",
    "tlsdisableocspendpointcheck",
    "tlsdisablecertificaterevocationcheck",
];

/// A stored option's value (`uri->options`), under its canonical name.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Stored {
    Bool(bool),
    Text(String),
    Int,
}

/// `uri->options`: canonical name → value, in the order first set.
#[derive(Default)]
struct Options(Vec<(&'static str, Stored)>);

impl Options {
    fn set(&mut self, name: &'static str, value: Stored) {
        match self.0.iter_mut().find(|(k, _)| *k == name) {
            Some(entry) => entry.1 = value,
            None => self.0.push((name, value)),
        }
    }

    fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| *k == name)
    }

    fn get_bool(&self, name: &str) -> Option<bool> {
        self.0.iter().find_map(|(k, v)| match v {
            Stored::Bool(b) if *k == name => Some(*b),
            _ => None,
        })
    }

    fn get_text(&self, name: &str) -> Option<String> {
        self.0.iter().find_map(|(k, v)| match v {
            Stored::Text(s) if *k == name => Some(s.clone()),
            _ => None,
        })
    }
}

/// `mongoc_uri_new_with_error(uri)`, then the client's TLS settings.
pub(super) fn parse(
    uri: &str,
    warnings: &mut Vec<DriverWarning>,
) -> Result<TlsPolicy, PolicyError> {
    let parts = query::split(uri, warnings)?;
    let mut options = Options::default();
    if let Some(query) = parts.query {
        let pairs = query::pairs(query, warnings)?;
        if let Some(pair) = pairs
            .iter()
            .find(|p| NOT_MODELLED.contains(&p.name.as_str()))
        {
            return Err(not_modelled(format!("the option {}", pair.name)));
        }
        validate_names(&pairs)?;
        for pair in &pairs {
            apply(pair, &mut options, warnings)?;
        }
    }
    if parts.is_srv && !options.has("tls") {
        options.set("tls", Stored::Bool(true));
    }
    finalize_tls(&options)?;
    Ok(policy(&options))
}

/// A deprecated name and its canonical one, both given with different strings.
fn validate_names(pairs: &[Pair]) -> Result<(), PolicyError> {
    for pair in pairs {
        let Some((_, canonical)) = ALIASES.iter().find(|(alias, _)| *alias == pair.name) else {
            continue;
        };
        if let Some(other) = pairs
            .iter()
            .find(|p| p.name == *canonical && p.value != pair.value)
        {
            return Err(invalid_arg_quoting(
                &format!(
                    "Deprecated option '{}' conflicts with canonical name '{canonical}'",
                    pair.name
                ),
                format!(
                    "Deprecated option '{}={}' conflicts with canonical name '{canonical}={}'",
                    pair.name, pair.value, other.value
                ),
            ));
        }
    }
    Ok(())
}

/// The name an option is stored under (`mongoc_uri_canonicalize_option`).
fn canonical(name: &str) -> &'static str {
    ALIASES
        .iter()
        .find(|(alias, _)| *alias == name)
        .map(|(_, canonical)| *canonical)
        .or_else(|| {
            BOOLEANS
                .iter()
                .chain(&STRINGS)
                .chain(&INTEGERS)
                .find(|known| **known == name)
                .copied()
        })
        .expect("a known option")
}

fn unsupported_value(pair: &Pair) -> PolicyError {
    invalid_arg_quoting(
        &format!("Unsupported value for \"{}\"", pair.name),
        format!(
            "Unsupported value for \"{}\": \"{}\"",
            pair.name, pair.value
        ),
    )
}

/// One option's value, as `mongoc_uri_apply_options` reads it.
fn apply(
    pair: &Pair,
    options: &mut Options,
    warnings: &mut Vec<DriverWarning>,
) -> Result<(), PolicyError> {
    let name = pair.name.as_str();
    let value = pair.value.as_str();
    let empty = || DriverWarning::mongoc(format!("Empty value provided for \"{name}\""));
    if INTEGERS.contains(&name) {
        if value.is_empty() {
            warnings.push(empty());
            return Ok(());
        }
        integer(pair, warnings)?;
        options.set(canonical(name), Stored::Int);
    } else if BOOLEANS.contains(&name) {
        if value.is_empty() {
            warnings.push(empty());
            return Ok(());
        }
        let deprecated = |b: bool| {
            DriverWarning::mongoc(format!(
                "Deprecated boolean value for \"{name}\": \"{value}\", please update to \"{name}={b}\""
            ))
        };
        let b = if value.eq_ignore_ascii_case("true") {
            true
        } else if value.eq_ignore_ascii_case("false") {
            false
        } else if value == "1"
            || ["yes", "y", "t"]
                .iter()
                .any(|t| value.eq_ignore_ascii_case(t))
        {
            warnings.push(deprecated(true));
            true
        } else if ["0", "-1", "no", "n", "f"].contains(&value) {
            warnings.push(deprecated(false));
            false
        } else {
            return Err(unsupported_value(pair));
        };
        options.set(canonical(name), Stored::Bool(b));
    } else if STRINGS.contains(&name) {
        options.set(canonical(name), Stored::Text(value.to_string()));
    } else {
        warnings.push(DriverWarning::mongoc(format!(
            "Unsupported URI option \"{name}\""
        )));
    }
    Ok(())
}

/// A 32-bit integer as `bson_ascii_strtoll(value, &end, 10)` then the range check read
/// it: decimal digits with an optional `-` are a number, a value starting with a letter is
/// none; other spellings (spaces, `+`, a number followed by text) are not modelled.
fn integer(pair: &Pair, warnings: &mut Vec<DriverWarning>) -> Result<(), PolicyError> {
    let name = &pair.name;
    let value = pair.value.as_str();
    let digits = value.strip_prefix('-').unwrap_or(value);
    if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
        return match value.parse::<i64>() {
            Ok(n) if i32::try_from(n).is_ok() => Ok(()),
            Ok(_) => {
                warnings.push(DriverWarning::mongoc(format!(
                    "Invalid {name}: cannot fit in int32\n"
                )));
                Err(unsupported_value(pair))
            }
            Err(_) => Err(not_modelled(format!("the integer value of {name}"))),
        };
    }
    if value.starts_with(|c: char| c.is_ascii_alphabetic()) {
        warnings.push(DriverWarning::mongoc(format!(
            "Invalid {name}: cannot parse integer\n"
        )));
        return Err(unsupported_value(pair));
    }
    Err(not_modelled(format!("the integer value of {name}")))
}

/// `mongoc_uri_finalize_tls`: the conflicts, by presence.
fn finalize_tls(options: &Options) -> Result<(), PolicyError> {
    let has = |name| options.has(name);
    if has("tlsinsecure")
        && (has("tlsallowinvalidcertificates")
            || has("tlsallowinvalidhostnames")
            || has("tlsdisableocspendpointcheck")
            || has("tlsdisablecertificaterevocationcheck"))
    {
        return Err(invalid_arg(
            "tlsinsecure may not be specified with tlsallowinvalidcertificates, \
             tlsallowinvalidhostnames, tlsdisableocspendpointcheck, or \
             tlsdisablecertificaterevocationcheck",
        ));
    }
    if has("tlsallowinvalidcertificates")
        && (has("tlsdisablecertificaterevocationcheck") || has("tlsdisableocspendpointcheck"))
    {
        return Err(invalid_arg(
            "tlsallowinvalidcertificates may not be specified with \
             tlsdisableocspendpointcheck or tlsdisablecertificaterevocationcheck",
        ));
    }
    if has("tlsdisablecertificaterevocationcheck") && has("tlsdisableocspendpointcheck") {
        return Err(invalid_arg(
            "tlsdisablecertificaterevocationcheck may not be specified with \
             tlsdisableocspendpointcheck",
        ));
    }
    Ok(())
}

/// What `mongoc_client_new_from_uri` configures: TLS from `mongoc_uri_get_tls`, then
/// `_mongoc_ssl_opts_from_uri` (`tlsInsecure` is the default of both `allow` flags). No
/// CRL file comes from a URI.
fn policy(options: &Options) -> TlsPolicy {
    let tls = options
        .get_bool("tls")
        .unwrap_or_else(|| TURN_TLS_ON.iter().any(|name| options.has(name)));
    let insecure = options.get_bool("tlsinsecure").unwrap_or(false);
    TlsPolicy {
        tls,
        ca_file: options.get_text("tlscafile"),
        certificate_key_file: options.get_text("tlscertificatekeyfile"),
        certificate_key_file_password: options.get_text("tlscertificatekeyfilepassword"),
        crl_file: None,
        allow_invalid_certificates: options
            .get_bool("tlsallowinvalidcertificates")
            .unwrap_or(insecure),
        allow_invalid_hostnames: options
            .get_bool("tlsallowinvalidhostnames")
            .unwrap_or(insecure),
        disable_ocsp_endpoint_check: options
            .get_bool("tlsdisableocspendpointcheck")
            .unwrap_or(false),
        disable_certificate_revocation_check: options
            .get_bool("tlsdisablecertificaterevocationcheck")
            .unwrap_or(false),
    }
}
