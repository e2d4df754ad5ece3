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
    pub chain: Vec<CertificateDer<'static>>,
    pub key: PrivateKeyDer<'static>,
}

/// Why a key file was refused; each maps to a configuration-error reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyFileError {
    Unreadable(String),
    Key(KeyLoadError),
    Mismatch,
}

impl KeyFileError {
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
