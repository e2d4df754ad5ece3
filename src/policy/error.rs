//! What a driver raises instead of configuring a client, in that driver's own terms.

use super::c::CException;
use super::node::NodeException;
use super::pymongo::PyMongoException;
use super::rust::RustException;
use super::{Driver, DriverWarning};
use std::fmt;

/// The class of error a driver raises, named in its own vocabulary: one variant per
/// driver profile, and one for what no profile can say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DriverException {
    /// An exception class PyMongo raises (`ConfigurationError`, `InvalidURI`…).
    PyMongo(PyMongoException),
    /// An error class the Node.js driver throws (`MongoParseError`, `MongoAPIError`…).
    Node(NodeException),
    /// An error kind the Rust driver returns (`ErrorKind::InvalidArgument`).
    Rust(RustException),
    /// An error libmongoc returns in its `bson_error_t`.
    C(CException),
    /// Not the driver's answer: the options use something this driver's profile does not
    /// model (the message names it), so pkigen cannot say what the driver would do. A caller
    /// must not read it as the driver refusing the options.
    NotModelled(Driver),
}

impl DriverException {
    /// The class name as the driver's language prints it (Python: `type(exc).__name__`,
    /// JavaScript: `err.name`); `NotModelled` for [`DriverException::NotModelled`], which
    /// is pkigen's and no driver's.
    pub fn class_name(self) -> &'static str {
        match self {
            DriverException::PyMongo(e) => e.class_name(),
            DriverException::Node(e) => e.class_name(),
            DriverException::Rust(e) => e.class_name(),
            DriverException::C(e) => e.class_name(),
            DriverException::NotModelled(_) => "NotModelled",
        }
    }

    /// Whether this is what the driver itself would raise, rather than pkigen saying the
    /// options are beyond its model.
    pub fn is_driver_error(self) -> bool {
        !matches!(self, DriverException::NotModelled(_))
    }
}

impl From<PyMongoException> for DriverException {
    fn from(e: PyMongoException) -> Self {
        DriverException::PyMongo(e)
    }
}

impl From<NodeException> for DriverException {
    fn from(e: NodeException) -> Self {
        DriverException::Node(e)
    }
}

impl From<RustException> for DriverException {
    fn from(e: RustException) -> Self {
        DriverException::Rust(e)
    }
}

impl From<CException> for DriverException {
    fn from(e: CException) -> Self {
        DriverException::C(e)
    }
}

impl fmt::Display for DriverException {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.class_name())
    }
}

/// What a driver would raise: its exception class and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    /// The class of exception the driver raises; tests match on it, as a Python caller
    /// would catch it.
    pub exception: DriverException,
    /// The message exactly as the driver prints it (PyMongo: `str(exc)`). A few URI errors
    /// quote part of the URI there, and that part may be a password whose reserved
    /// characters were not escaped, so show it only where secrets are wanted;
    /// [`PolicyError::redacted`] is the message to show otherwise.
    pub message: String,
    /// The warnings the driver emitted before it raised, in order.
    pub warnings: Vec<DriverWarning>,
    /// The message without the URI text it quotes; `None` when the message quotes none.
    redacted: Option<String>,
}

impl PolicyError {
    pub(super) fn new(exception: impl Into<DriverException>, message: impl Into<String>) -> Self {
        PolicyError {
            exception: exception.into(),
            message: message.into(),
            warnings: Vec::new(),
            redacted: None,
        }
    }

    /// An error whose message quotes text taken from the URI; `redacted` is the same words
    /// without the quoted text.
    pub(super) fn quoting_uri(
        exception: impl Into<DriverException>,
        redacted: &str,
        message: impl Into<String>,
    ) -> Self {
        PolicyError {
            exception: exception.into(),
            message: message.into(),
            warnings: Vec::new(),
            redacted: Some(redacted.to_string()),
        }
    }

    /// The same error, raised after `warnings` were emitted.
    pub(super) fn after(mut self, warnings: Vec<DriverWarning>) -> Self {
        self.warnings = warnings;
        self
    }

    /// The message with no text from the URI, so it cannot hold any part of a password.
    pub fn redacted(&self) -> &str {
        self.redacted.as_deref().unwrap_or(&self.message)
    }

    /// Whether [`PolicyError::redacted`] left out text that the full message quotes.
    pub fn is_redacted(&self) -> bool {
        self.redacted.is_some()
    }
}

/// Prints the redacted message (see [`PolicyError::message`] for the full one), without the
/// class name.
impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.redacted())
    }
}

impl std::error::Error for PolicyError {}
