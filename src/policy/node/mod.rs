//! The Node.js driver profile: `new MongoClient(uri, options)` of the npm package `mongodb`
//! 7.9.0 (with `mongodb-connection-string-url` 7.0.2), reproduced so pkigen can say what the
//! client would configure for TLS, or which error the constructor throws, in the driver's
//! words. `tests/it/policy_node.rs` checks it against the real driver.
//!
//! The constructor's `parseOptions` (`src/connection_string.ts`) runs these steps, and the
//! first that fails throws; they are reproduced in this order because several outcomes only
//! make sense in it:
//!
//! 0. The BSON option pairs of the options object (`useBigInt64` with `promoteLongs` or
//!    `promoteValues` false), then `new ConnectionString(uri)` (`connection_string.rs`): the
//!    scheme, the user information, the host list cut out by a regular expression, the rest
//!    read as a WHATWG URL (so `;` separates nothing, `+` is a space, and names are
//!    percent-decoded). Then each host through `new URL("iLoveJS://HOST")` (`host.rs`), the
//!    path's database name through `decodeURIComponent`.
//! 1. Each query name in URI order: the same spelling twice is an error (even with equal
//!    values), an empty value is an error, and a second letter case of a name is silently
//!    ignored, unvalidated: the first spelling wins.
//! 2. `serverApi` or `srvHostValidator` in the URI, `ALLOWED_HOSTS` in its
//!    `authMechanismProperties`, `loadBalanced` in the options object.
//! 3. Every `tls` and `ssl` value must be exactly `true` or `false`, and all the same.
//! 4. `tlsInsecure` beside `tlsAllowInvalidCertificates` or `tlsAllowInvalidHostnames`:
//!    their presence, whatever the values.
//! 5. Unknown option names, lower-cased, all in one error.
//! 6. The values, in the order of the driver's `OPTIONS` table (`table.rs`), not the URI's;
//!    booleans are exactly `true` or `false` and their errors name the option they set
//!    (`tlsAllowInvalidCertificates` → `rejectUnauthorized`). Deprecated options warn here.
//! 7. Credentials, load balancing, SRV, `directConnection` and proxy checks; `mongodb+srv://`
//!    turns TLS on when neither `tls` nor `ssl` is given.
//!
//! Only `tls`/`ssl` (or `mongodb+srv://`) turn TLS on: `tlsCAFile` alone leaves the client
//! in plaintext, and `tls=false` with TLS files is accepted silently.
//!
//! What pkigen does not model, and says so ([`DriverException::NotModelled`]) instead of
//! guessing: Node's own socket options, which the driver accepts from the URI and passes to
//! `tls.connect` as strings (`ca`, `secureProtocol`, `servername`, `rejectUnauthorized`…;
//! pkigen checks everything else about the URI first, so their presence is only reported
//! when the driver would accept it); the options whose transforms pkigen does not reproduce
//! (`authMechanismProperties`, `readPreferenceTags`, `autoEncryption`, and the objects of
//! `readConcern`, `readPreference` and `mongodbLogComponentSeverities`); an `authMechanism`
//! that is not letters, digits and dashes, or a non-ASCII `srvAllowedHostsSuffix` (the
//! driver puts the one in a regular expression and the other through IDNA); and options
//! object values that JSON cannot carry as the driver expects them. The environment is one
//! with no `MONGODB_LOG_*` variables.
//!
//! Where an error message quotes URI text other than option names (a host, a value, a user
//! name), it is kept apart from the redacted message: a password whose `@` or `/` was not
//! percent-encoded can end up there.
//!
//! [`DriverException::NotModelled`]: super::DriverException::NotModelled

mod connection_string;
mod credentials;
mod host;
mod js;
mod parse;
mod search_params;
mod table;
mod values;

use super::{PolicyError, Resolution};
use serde_json::{Map, Value};
use std::fmt;

/// The error class the driver throws: `err.name`, which is also the class's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NodeException {
    /// The driver's `MongoParseError`: a value or combination the URI parser refuses.
    Parse,
    /// `mongodb-connection-string-url`'s own `MongoParseError` (same name, not `instanceof`
    /// the driver's): the URI's scheme, user information or host list.
    ConnectionStringParse,
    /// `MongoInvalidArgumentError`: an option given twice, a bad read preference or
    /// compressor.
    InvalidArgument,
    /// `MongoAPIError`: an empty value, the `tlsInsecure` conflicts, credentials.
    Api,
    /// `MongoMissingCredentialsError`: a mechanism that needs a user name without one.
    MissingCredentials,
    /// `MongoRuntimeError`: a host that `new URL` cannot parse.
    Runtime,
    /// JavaScript's `URIError` ("URI malformed") from `decodeURIComponent`.
    Uri,
}

impl NodeException {
    /// The class name, as `err.name` gives it.
    pub fn class_name(self) -> &'static str {
        match self {
            NodeException::Parse | NodeException::ConnectionStringParse => "MongoParseError",
            NodeException::InvalidArgument => "MongoInvalidArgumentError",
            NodeException::Api => "MongoAPIError",
            NodeException::MissingCredentials => "MongoMissingCredentialsError",
            NodeException::Runtime => "MongoRuntimeError",
            NodeException::Uri => "URIError",
        }
    }
}

impl fmt::Display for NodeException {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.class_name())
    }
}

/// The URI the driver is handed when only options are given.
pub const DEFAULT_URI: &str = "mongodb://localhost";

/// `new MongoClient(uri ?? "mongodb://localhost", options)`, with the driver's warnings.
pub(super) fn resolve(
    uri: Option<&str>,
    options: &Map<String, Value>,
) -> Result<Resolution, PolicyError> {
    let mut warnings = Vec::new();
    match parse::parse_options(uri.unwrap_or(DEFAULT_URI), options, &mut warnings) {
        Ok(policy) => Ok(Resolution { policy, warnings }),
        Err(e) => Err(e.after(warnings)),
    }
}

#[cfg(test)]
mod tests;
