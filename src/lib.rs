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

pub mod bundle;
pub mod ca;
pub mod check;
pub mod clock;
pub mod connections;
pub mod crl;
pub mod docs;
pub mod encoding;
pub mod encrypted;
pub mod error;
pub mod handshake;
pub mod input;
pub mod inspect;
pub mod keyfile;
pub mod keys;
pub mod leaf;
pub mod manifest;
pub mod ocsp;
pub mod ocsp_policy;
pub mod output;
pub mod parallel;
pub mod policy;
pub mod provider;
pub mod reason;
pub mod responder;
pub mod scenario;
pub mod seed;
pub mod serve;
pub mod validate;
pub mod verifier;
pub mod wire;

pub use ca::{Ca, CaParams};
pub use error::Error;
pub use keys::{KeyPair, KeyType};
pub use leaf::{Leaf, LeafParams, Purpose};
pub use reason::{Outcome, Reason};
pub use seed::Seed;
