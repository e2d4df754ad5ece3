//! What a driver warns about while it reads a client's options, in its own words.

use std::fmt;

/// One warning a driver emits (PyMongo: `warnings.warn`; Node: `process.emitWarning`;
/// libmongoc: a `WARNING` log line; the Rust driver emits none), kept in the order it came.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DriverWarning {
    /// The warning's class as the driver's language prints it (Python:
    /// `category.__name__`, e.g. `UserWarning`; Node: `warning.name`, `Warning`).
    pub category: &'static str,
    /// The message exactly as the driver words it (Python: `str(warning.message)`).
    pub message: String,
}

impl DriverWarning {
    /// A Python `UserWarning`, the category of `warnings.warn(message)`.
    pub(crate) fn user(message: impl Into<String>) -> DriverWarning {
        DriverWarning {
            category: "UserWarning",
            message: message.into(),
        }
    }

    /// A Node.js `process.emitWarning(message)`, whose name is `Warning`.
    pub(crate) fn node(message: impl Into<String>) -> DriverWarning {
        DriverWarning {
            category: "Warning",
            message: message.into(),
        }
    }

    /// A libmongoc log line at level `WARNING` (`MONGOC_WARNING`, domain `mongoc`), named by
    /// `mongoc_log_level_str`.
    pub(crate) fn mongoc(message: impl Into<String>) -> DriverWarning {
        DriverWarning {
            category: "WARNING",
            message: message.into(),
        }
    }
}

/// `Category: message`, as Python's warning printer and Node's start their line.
impl fmt::Display for DriverWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.category, self.message)
    }
}
