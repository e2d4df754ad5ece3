//! pkigen: certificate and PKI test fixtures, proven with real TLS handshakes against
//! PyMongo's TLS policy.
//!
//! ```
//! let ca = pkigen::Ca::new()?;
//! let server = ca.issue(&["localhost", "127.0.0.1"])?;
//! assert!(server.combined_pem().starts_with("-----BEGIN PRIVATE KEY-----"));
//! assert!(ca.pem().starts_with("-----BEGIN CERTIFICATE-----"));
//! # Ok::<(), pkigen::Error>(())
//! ```
#![forbid(unsafe_code)]

pub mod ca;
pub mod encoding;
pub mod error;
pub mod keys;
pub mod leaf;
pub mod manifest;
pub mod policy;
pub mod reason;
pub mod scenario;
pub mod seed;

pub use ca::{Ca, CaParams};
pub use error::Error;
pub use keys::{KeyPair, KeyType};
pub use leaf::{Leaf, LeafParams, Purpose};
pub use reason::{Outcome, Reason};
pub use seed::Seed;
