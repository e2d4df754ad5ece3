//! Building a PKI in memory: seeds, keys and their encodings, encrypted keys, CAs, leaves and
//! CRLs, and rustls configurations made from them. No files, no sockets and no driver
//! semantics: everything here is bytes in, bytes out, deterministic for a given seed.

pub(crate) mod builder;
pub(crate) mod ca;
mod configure;
pub(crate) mod crl;
pub(crate) mod crypto;
pub(crate) mod encoding;
pub(crate) mod encrypted;
pub(crate) mod keys;
pub(crate) mod leaf;
pub(crate) mod seed;
pub(crate) mod serial;

pub use builder::{CaBuilder, LeafBuilder};
pub use ca::{Ca, CaParams};
pub use crl::{Crl, CrlParams, RevocationReason, Revoked};
pub use encoding::pem_block;
pub use encrypted::{KeyEncryption, encrypt_pem};
pub use keys::{KeyPair, KeyType};
pub use leaf::{Leaf, LeafParams, Purpose};
pub use seed::Seed;
pub use serial::Serial;
