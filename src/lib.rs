//! pkigen: certificate and PKI test fixtures, proven with real TLS handshakes against
//! PyMongo's TLS policy.
#![forbid(unsafe_code)]

pub mod policy;
pub mod reason;

pub use reason::{Outcome, Reason};
