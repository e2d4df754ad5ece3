//! Building a PKI in memory: seeds, keys and their encodings, encrypted keys, CAs, leaves and
//! CRLs, and rustls configurations made from them. No files, no sockets and no driver
//! semantics: everything here is bytes in, bytes out, deterministic for a given seed.

pub mod builder;
pub mod ca;
mod configure;
pub mod crl;
pub(crate) mod crypto;
pub mod encoding;
pub mod encrypted;
pub mod keys;
pub mod leaf;
pub mod seed;
pub mod serial;

pub use builder::{CaBuilder, LeafBuilder};
pub use ca::{Ca, CaParams};
pub use crl::{Crl, CrlParams, RevocationReason, Revoked};
pub use encrypted::KeyEncryption;
pub use keys::{KeyPair, KeyType};
pub use leaf::{Leaf, LeafParams, Purpose};
pub use seed::Seed;
pub use serial::Serial;
