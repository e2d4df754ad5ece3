//! Building a PKI in memory: seeds, keys and their encodings, encrypted keys, CAs, leaves and
//! CRLs. No files, no sockets, no TLS runtime and no driver semantics: everything here is
//! bytes in, bytes out, deterministic for a given seed.

pub mod ca;
pub mod crl;
pub(crate) mod crypto;
pub mod encoding;
pub mod encrypted;
pub mod keys;
pub mod leaf;
pub mod seed;

pub use ca::{Ca, CaParams};
pub use encrypted::KeyEncryption;
pub use keys::{KeyPair, KeyType};
pub use leaf::{Leaf, LeafParams, Purpose};
pub use seed::Seed;
