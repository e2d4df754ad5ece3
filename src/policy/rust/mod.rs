//! The official Rust driver profile: `ClientOptions::parse(uri)` of the crate `mongodb` 3.9.1
//! built with its default features (TLS by rustls; neither `cert-key-password` nor
//! `openssl-tls`), reproduced so pkigen can say what the client would configure for TLS, or
//! which error the parser returns, in the driver's words. `tests/it/rust_corpus.rs` checks it
//! against the real parser.
//!
//! `ConnectionString::parse` runs these steps, and the first that fails returns:
//!
//! 0. The scheme, exactly `mongodb` or `mongodb+srv`; the user information; the hosts
//!    (`ServerAddress::parse`: a port is 1 to 65535, an IPv6 literal is bracketed); the
//!    database name, percent-decoded and free of `/\ "$`.
//! 1. Each `&`-separated pair after the first `?`, in URI order: a pair needs an `=` (an empty
//!    pair is refused too), the name is lower-cased but not percent-decoded, the value is
//!    percent-decoded (`+` stays `+`, `;` separates nothing), and a name seen before in any
//!    letter case is refused, whatever the values.
//! 2. The option itself, whose first error returns, so URI order decides which error is
//!    reported: booleans are exactly `true` or `false`; every TLS option turns TLS on
//!    (`tlsInsecure` too), and after `tls=false` each is refused; names the driver does not
//!    know are refused, with the most similar known name when one is close (Jaro-Winkler
//!    ≥ 0.84). `tlsCRLFile`, `tlsAllowInvalidHostnames` and `tlsDisableOCSPEndpointCheck` are
//!    such unknown names, and `tlsCertificateKeyFilePassword` is refused without the
//!    `cert-key-password` feature.
//! 3. After every pair: `tlsInsecure` beside `tlsAllowInvalidCertificates`, by presence.
//!
//! Every error is an `ErrorKind::InvalidArgument`; [`PolicyError::message`] is its own message
//! (`Display` puts `An invalid argument was provided: ` before it). There are no warnings.
//!
//! Keyword options: the driver has none beside the URI, only `ClientOptions`' fields, which a
//! program sets after parsing; pkigen reads keyword options alone as the connection string
//! that names them ([`uri_for`](crate::policy::uri_for) with host `localhost`), which is how
//! a Rust program hands them to the parser, and refuses keyword options beside a URI as not
//! modelled.
//!
//! What pkigen does not model, and says so ([`DriverException::NotModelled`]) instead of
//! guessing: user information (credentials and their mechanism checks), the options that are
//! not about TLS (the driver validates each in its own way), and `mongodb+srv://` URIs that
//! parse (`ClientOptions::parse` then looks the name up in DNS).
//!
//! [`DriverException::NotModelled`]: super::DriverException::NotModelled
//! [`PolicyError::message`]: super::PolicyError::message

mod connection_string;
mod options;
mod similar;

use super::{Driver, DriverException, PolicyError, Resolution, uri_or_options};
use serde_json::{Map, Value};
use std::fmt;

/// The kind of error the driver returns (`mongodb::error::ErrorKind`'s variant).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RustException {
    /// `ErrorKind::InvalidArgument`: every refusal of `ClientOptions::parse` short of a DNS
    /// lookup.
    InvalidArgument,
}

impl RustException {
    /// The variant's name, as the error's `Debug` starts.
    pub fn class_name(self) -> &'static str {
        match self {
            RustException::InvalidArgument => "InvalidArgument",
        }
    }
}

impl fmt::Display for RustException {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.class_name())
    }
}

fn not_modelled(message: impl Into<String>) -> PolicyError {
    PolicyError::new(DriverException::NotModelled(Driver::Rust), message)
}

/// `ClientOptions::parse(uri)`, or of the connection string the keyword options name.
pub(super) fn resolve(
    uri: Option<&str>,
    options: &Map<String, Value>,
) -> Result<Resolution, PolicyError> {
    let uri = uri_or_options(uri, options).ok_or_else(|| {
        not_modelled(
            "the Rust driver takes no keyword options beside a connection string (a \
             program sets ClientOptions' fields after parsing, which pkigen does not \
             model): give the options in the URI",
        )
    })?;
    let policy = connection_string::parse(&uri)?;
    Ok(Resolution {
        policy,
        warnings: Vec::new(),
    })
}

#[cfg(test)]
mod tests;
