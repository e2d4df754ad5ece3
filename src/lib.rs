//! pkigen: certificate and PKI test fixtures, proven with real TLS handshakes against
//! PyMongo's TLS policy.
//!
//! As a library, it makes the certificates a test needs in a line or two, like Python's
//! trustme, and hands them over as rustls configurations or as PEM:
//!
//! ```
//! use std::sync::Arc;
//!
//! let ca = pkigen::Ca::new()?;
//! let server = ca.issue(&["localhost", "127.0.0.1"])?;
//!
//! // Both ends of a rustls connection, with pkigen's crypto provider (aws-lc-rs)...
//! let server_config = Arc::new(server.server_config()?);
//! let client_config = Arc::new(ca.client_config()?);
//! let _server = rustls::ServerConnection::new(server_config)?;
//! let _client = rustls::ClientConnection::new(client_config, "localhost".try_into()?)?;
//! // ...or the trust store alone, for a client config of one's own.
//! let roots: rustls::RootCertStore = ca.root_store();
//! assert_eq!(roots.len(), 1);
//!
//! // PEM for everything else: the CA file, and key plus chain in one file.
//! assert!(ca.pem().starts_with("-----BEGIN CERTIFICATE-----"));
//! assert!(server.key_and_chain_pem().starts_with("-----BEGIN PRIVATE KEY-----"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! [`Ca::builder`], [`Ca::intermediate`] and [`Ca::leaf`] change key types, validity and
//! purpose; a [`Seed`] makes every byte reproducible.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(unreachable_pub)]

mod error;
mod os;
mod tls;

#[cfg(feature = "docs")]
pub mod docs;
pub mod fixtures;
pub mod ocsp;
pub mod pki;
pub mod policy;
#[cfg(feature = "validate")]
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
#[cfg(feature = "validate")]
pub mod internals {
    /// The MongoDB wire protocol `serve` speaks, for tests that talk to it byte by byte.
    #[cfg(feature = "serve")]
    pub use crate::run::wire::{MAX_MESSAGE_SIZE, MAX_NESTING, Message, command_of, read_message};
    pub use crate::tls::{handshake, identity, ocsp_rules, verifier};
}
