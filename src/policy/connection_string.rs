//! The connection string that says what a client's keyword options say, so each case can
//! be handed to a driver either way.

use crate::policy::ClientOptions;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::Value;

const SCHEME: &str = "mongodb://";

/// The host a program writes when it has options but no connection string of its own.
const DEFAULT_HOST: &str = "localhost";

/// The connection string a driver that takes no keyword options reads: `uri` as given, or
/// the one the options alone spell (`mongodb://localhost/?k=v…`, as a program must write
/// them); `None` when both are given, which such a driver cannot take as they are.
pub(crate) fn uri_or_options<'a>(
    uri: Option<&'a str>,
    options: &serde_json::Map<String, Value>,
) -> Option<std::borrow::Cow<'a, str>> {
    match uri {
        Some(_) if !options.is_empty() => None,
        Some(uri) => Some(uri.into()),
        None => Some(uri_for(DEFAULT_HOST, &ClientOptions::from_json(options.clone())).into()),
    }
}

/// Values are encoded so that a driver's URI parser gives them back unchanged: everything
/// but unreserved characters and the path-ish `/` and `:` is escaped, including `+` (which
/// PyMongo's `unquote_plus` would turn into a space), `&`, `;`, `=`, `%` and spaces.
const VALUE_ESCAPES: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/')
    .remove(b':');

/// Builds the connection string equivalent to a client's keyword options:
/// `mongodb://HOST/?k=v&...`, keys in the options' order, booleans as
/// `true`/`false`, `null` values left out (a `null` option, PyMongo's `None`, means
/// "unset"), arrays as repeated keys (how `readPreferenceTags` is written), objects as their
/// JSON text. Keys are written verbatim: PyMongo does not unquote option names.
pub fn uri_for(host: &str, options: &ClientOptions) -> String {
    let mut pairs = Vec::new();
    for (k, v) in options.as_json() {
        let mut push = |v: &Value| {
            let text = match v {
                Value::Null => return,
                Value::Bool(b) => b.to_string(),
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            pairs.push(format!("{k}={}", utf8_percent_encode(&text, VALUE_ESCAPES)));
        };
        match v {
            Value::Array(items) => items.iter().for_each(&mut push),
            v => push(v),
        }
    }
    if pairs.is_empty() {
        format!("{SCHEME}{host}/")
    } else {
        format!("{SCHEME}{host}/?{}", pairs.join("&"))
    }
}
