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

mod error;
mod os;
mod tls;

pub mod docs;
pub mod fixtures;
pub mod ocsp;
pub mod pki;
pub mod policy;
pub mod run;
pub mod scenario;

pub use error::Error;
pub use pki::{
    Ca, CaBuilder, CaParams, KeyEncryption, KeyPair, KeyType, Leaf, LeafBuilder, LeafParams,
    Purpose, Seed, Serial,
};
pub use policy::{Outcome, Reason};

/// What the fuzz targets and the benchmark reach below the public API. Not part of it: no
/// stability promise.
#[doc(hidden)]
pub mod internals {
    pub use crate::os::connections;
    pub use crate::tls::{handshake, identity, ocsp_rules, verifier};
}
