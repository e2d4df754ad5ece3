//! The libmongoc profile (the C driver, 1.23.1, as Debian 12 ships it): what
//! `mongoc_uri_new_with_error(uri)` stores and what a client made from it with
//! `mongoc_client_new_from_uri_with_error` configures for TLS, or the `bson_error_t` the
//! parse fails with, in the library's words. `tests/it/c_corpus.rs` checks it against the
//! real library.
//!
//! `mongoc_uri_parse` (`mongoc-uri.c`) runs these steps, and the first that fails returns
//! its error (every one domain `MONGOC_ERROR_COMMAND`, code
//! `MONGOC_ERROR_COMMAND_INVALID_ARG`; only the message tells them apart):
//!
//! 0. The scheme (`mongodb://` or `mongodb+srv://`, exactly), the host list up to the first
//!    `/` (a `?` in it: "A '/' is required…"), the database name ([`query`]).
//! 1. The query split on `&` alone (`;` separates nothing), each pair on its first `=`; a
//!    backslash escapes the next character of the text. Values are percent-decoded, names
//!    are not, and names are lower-cased. The same name twice, in any letter case: the
//!    later value replaces the earlier in its place, with a warning ([`query`]).
//! 2. A deprecated `ssl*` name beside its `tls*` name with another raw value is an error.
//! 3. The values, in the order the names first appeared ([`options`]): booleans take `true`
//!    and `false` in any letter case, and with a deprecation warning `1`, `yes`, `y`, `t`
//!    (any case), `0`, `-1`, and lower-case `no`, `n`, `f`; an empty value warns and leaves
//!    the option unset; an unknown name (`tlsCRLFile` among them: libmongoc 1.23 has no URI
//!    option for a CRL file) only warns.
//! 4. The TLS conflicts, by presence whatever the values: `tlsInsecure` with any of
//!    `tlsAllowInvalidCertificates`, `tlsAllowInvalidHostnames`,
//!    `tlsDisableOCSPEndpointCheck`, `tlsDisableCertificateRevocationCheck`;
//!    `tlsAllowInvalidCertificates` with either of the last two; the last two together.
//!
//! TLS is on when `tls` (or `ssl`) says so, or, without either, when any `tls*` option of
//! the library is present, whatever its value (`tlsAllowInvalidCertificates=false` and
//! `tlsInsecure=true` both turn it on); `mongodb+srv://` defaults `tls` to true. The client
//! reads no file and checks nothing more; files are read when it connects.
//!
//! Warnings are the library's `WARNING` log lines, in order ([`DriverWarning::mongoc`]).
//!
//! What pkigen does not model, and says so ([`DriverException::NotModelled`]): user
//! information and authentication options, `mongodb+srv://` hosts that are not plain DNS
//! names, hosts other than plain names, IPv6 literals and ports, options whose values the
//! library validates beyond their type or checks again when it finalizes the URI (`w`,
//! `wTimeoutMS`, read preference and concern, compressors, `appName`, `replicaSet`,
//! `directConnection`, `loadBalanced`, `heartbeatFrequencyMS`, `zlibCompressionLevel`,
//! `maxStalenessSeconds`, `srvMaxHosts`, `srvServiceName`), integers written other than as
//! decimal digits or letters, a NUL character, and keyword options beside a URI: a C
//! program has no options object, it writes its options into the connection string.
//!
//! [`DriverException::NotModelled`]: super::DriverException::NotModelled
//! [`DriverWarning::mongoc`]: super::DriverWarning::mongoc

mod options;
mod query;

use super::{Driver, DriverException, PolicyError, Resolution, uri_or_options};
use serde_json::{Map, Value};
use std::fmt;

/// The kind of `bson_error_t` libmongoc returns: only one for URIs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CException {
    /// Domain 11 (`MONGOC_ERROR_COMMAND`), code 22 (`MONGOC_ERROR_COMMAND_INVALID_ARG`):
    /// every error of `mongoc_uri_new_with_error`.
    InvalidArg,
}

impl CException {
    /// The error's code as libmongoc's headers name it.
    pub fn class_name(self) -> &'static str {
        match self {
            CException::InvalidArg => "MONGOC_ERROR_COMMAND_INVALID_ARG",
        }
    }

    /// The `bson_error_t`'s `domain` and `code`.
    pub fn domain_and_code(self) -> (u32, u32) {
        match self {
            CException::InvalidArg => (11, 22),
        }
    }
}

impl fmt::Display for CException {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.class_name())
    }
}

/// `mongoc_uri_new_with_error(uri)` and the client's TLS settings, with the library's
/// warnings. Without a URI the options are written into one (`mongodb://localhost/?k=v…`),
/// as a C program must; options beside a URI are not modelled.
pub(super) fn resolve(
    uri: Option<&str>,
    options: &Map<String, Value>,
) -> Result<Resolution, PolicyError> {
    let uri = uri_or_options(uri, options).ok_or_else(|| {
        not_modelled(
            "options beside a connection string (a C program writes them into it, or sets \
             them with mongoc_uri_set_option_as_*)",
        )
    })?;
    let mut warnings = Vec::new();
    match options::parse(&uri, &mut warnings) {
        Ok(policy) => Ok(Resolution { policy, warnings }),
        Err(e) => Err(e.after(warnings)),
    }
}

fn invalid_arg(message: impl Into<String>) -> PolicyError {
    PolicyError::new(CException::InvalidArg, message)
}

/// The same error, whose message quotes URI text; `redacted` says it without.
fn invalid_arg_quoting(redacted: &str, message: impl Into<String>) -> PolicyError {
    PolicyError::quoting_uri(CException::InvalidArg, redacted, message)
}

fn not_modelled(what: impl fmt::Display) -> PolicyError {
    PolicyError::new(
        DriverException::NotModelled(Driver::C),
        format!("pkigen does not model what libmongoc does with {what}"),
    )
}

#[cfg(test)]
mod tests;
