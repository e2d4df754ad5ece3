//! A client's keyword options, as a driver's constructor takes them beside the URI.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Option names with their values, in the order given. Values are kept as JSON spells them
/// (true/false, numbers, strings, null, lists, objects) rather than narrowed to what each
/// option accepts, because telling a wrong type apart is the driver's job: PyMongo raises a
/// `TypeError` for `tls="yes"` as a keyword, and a profile must see the `"yes"` to say so.
///
/// ```
/// use pkigen::policy::{ClientOptions, Driver, TlsPolicy};
/// let options = ClientOptions::new()
///     .with_bool("tls", true)
///     .with_str("tlsCAFile", "ca.pem");
/// let policy = TlsPolicy::from_options(Driver::PyMongo, &options)?;
/// assert!(policy.verify_hostname());
/// assert_eq!(options.get_str("tlsCAFile"), Some("ca.pem"));
/// # Ok::<(), pkigen::policy::PolicyError>(())
/// ```
///
/// From JSON (as a manifest stores them), through serde:
/// `serde_json::from_str::<ClientOptions>(r#"{"tls": true}"#)`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ClientOptions(Map<String, Value>);

impl ClientOptions {
    /// No options.
    pub fn new() -> ClientOptions {
        ClientOptions::default()
    }

    /// These options and `name=value` (replacing an option of that exact name).
    pub fn with_bool(mut self, name: impl Into<String>, value: bool) -> ClientOptions {
        self.0.insert(name.into(), Value::Bool(value));
        self
    }

    /// These options and `name="value"` (replacing an option of that exact name).
    pub fn with_str(mut self, name: impl Into<String>, value: impl Into<String>) -> ClientOptions {
        self.0.insert(name.into(), Value::String(value.into()));
        self
    }

    /// The option called exactly `name`, if it is a string.
    pub fn get_str(&self, name: &str) -> Option<&str> {
        self.0.get(name).and_then(Value::as_str)
    }

    /// The option called exactly `name`, if it is a boolean.
    pub fn get_bool(&self, name: &str) -> Option<bool> {
        self.0.get(name).and_then(Value::as_bool)
    }

    /// The options' names, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    /// The options whose values are strings, in order, with those values.
    pub fn strings(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0
            .iter()
            .filter_map(|(name, value)| Some((name.as_str(), value.as_str()?)))
    }

    /// How many options there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The options as JSON, for the profiles and writers inside the crate.
    pub(crate) fn as_json(&self) -> &Map<String, Value> {
        &self.0
    }

    /// Options from JSON the crate built itself.
    pub(crate) fn from_json(map: Map<String, Value>) -> ClientOptions {
        ClientOptions(map)
    }
}
