//! Loading a client's `tlsCertificateKeyFile` as PyMongo does (Python's
//! `SSLContext.load_cert_chain(certfile, None, password)`): certificate chain and private key
//! from one PEM file, the key decrypted with `tlsCertificateKeyFilePassword` where needed,
//! and refused before any connection if the key does not match the certificate.

use crate::pki::crypto::provider;
use crate::pki::encoding::parse_pem_blocks;
use crate::pki::encrypted::{KeyLoadError, decrypt_block, is_key_block};
use crate::policy::Reason;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::sign::CertifiedKey;
use std::path::Path;

/// A client certificate chain and its key, ready to present.
#[derive(Debug)]
pub struct ClientIdentity {
    /// The file's certificates in file order: the client's own first, then any
    /// intermediates sent with it.
    pub chain: Vec<CertificateDer<'static>>,
    /// The file's first private key, decrypted, known to match the first certificate.
    pub key: PrivateKeyDer<'static>,
}

/// Why a key file was refused; each maps to a configuration-error reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyFileError {
    /// The file could not be read or holds no certificate or no private key; the message
    /// names the file and what is wrong.
    Unreadable(String),
    /// The private key could not be loaded: no password for an encrypted key, the wrong
    /// one, or an encryption or key type not supported.
    Key(KeyLoadError),
    /// The private key is not the first certificate's.
    Mismatch,
}

impl KeyFileError {
    /// The outcome reason a manifest expects for this refusal: a password problem, a key
    /// that does not match, or an unreadable file.
    pub fn reason(&self) -> Reason {
        match self {
            KeyFileError::Key(KeyLoadError::PasswordRequired | KeyLoadError::WrongPassword) => {
                Reason::BadPassword
            }
            KeyFileError::Mismatch => Reason::KeyMismatch,
            KeyFileError::Key(KeyLoadError::Unsupported(_)) | KeyFileError::Unreadable(_) => {
                Reason::UnreadableFile
            }
        }
    }
}

impl std::fmt::Display for KeyFileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeyFileError::Unreadable(problem) => f.write_str(problem),
            KeyFileError::Key(e) => write!(f, "{e}"),
            KeyFileError::Mismatch => f.write_str("the private key does not match the certificate"),
        }
    }
}

/// Loads `path` with `password`, as PyMongo would at `MongoClient(...)` construction.
pub fn load_key_file(path: &Path, password: Option<&str>) -> Result<ClientIdentity, KeyFileError> {
    let bytes = crate::os::input::read_bounded(path)
        .map_err(|e| KeyFileError::Unreadable(format!("{}: {e}", path.display())))?;
    let blocks =
        parse_pem_blocks(path, &bytes).map_err(|e| KeyFileError::Unreadable(e.with_causes()))?;
    let chain: Vec<CertificateDer<'static>> = blocks
        .iter()
        .filter(|b| b.tag() == "CERTIFICATE")
        .map(|b| CertificateDer::from(b.contents().to_vec()))
        .collect();
    if chain.is_empty() {
        return Err(KeyFileError::Unreadable(format!(
            "{}: no certificate in the key file",
            path.display()
        )));
    }
    // OpenSSL takes the first private key in the file, as here.
    let key_block = blocks.iter().find(|b| is_key_block(b)).ok_or_else(|| {
        KeyFileError::Unreadable(format!(
            "{}: no private key in the key file",
            path.display()
        ))
    })?;
    let key = decrypt_block(key_block, password).map_err(KeyFileError::Key)?;
    match CertifiedKey::from_der(chain.clone(), key.clone_key(), &provider()) {
        Ok(_) => Ok(ClientIdentity { chain, key }),
        Err(rustls::Error::InconsistentKeys(_)) => Err(KeyFileError::Mismatch),
        Err(e) => Err(KeyFileError::Key(KeyLoadError::Unsupported(e.to_string()))),
    }
}
