//! The drivers whose TLS option semantics pkigen reproduces, by name.

use super::TlsBehaviour;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A driver whose TLS option semantics pkigen reproduces. Serialized as its
/// [`Driver::name`] (a manifest's `client.driver`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Driver {
    /// PyMongo 4.20.1's `MongoClient(uri, **kwargs)`.
    PyMongo,
    /// The Node.js driver's (npm `mongodb` 7.9.0) `new MongoClient(uri, options)`.
    Node,
    /// The official Rust driver's `ClientOptions::parse(uri)` and `Client::with_options`:
    /// mongodb 3.9.1, default features (rustls). That is the crate `mongodb` =3.9.1 with TLS
    /// by rustls (and the compiled-in Mozilla roots of webpki-roots), and neither
    /// `cert-key-password` (so no `tlsCertificateKeyFilePassword`) nor `openssl-tls`.
    Rust,
    /// libmongoc 1.23.1, the C driver (Debian 12's `libmongoc-dev` 1.23.1-1+deb12u3, built
    /// with OpenSSL and OCSP, on OpenSSL 3): `mongoc_uri_new_with_error(uri)` then
    /// `mongoc_client_new_from_uri_with_error`, a single-threaded client.
    C,
}

impl Driver {
    /// Every profile, in the order pkigen lists them.
    pub const ALL: [Driver; 4] = [Driver::PyMongo, Driver::Node, Driver::Rust, Driver::C];

    /// `pymongo, node`: the drivers' names, for a message.
    pub fn names(drivers: &[Driver]) -> String {
        let names: Vec<&str> = drivers.iter().map(|d| d.name()).collect();
        names.join(", ")
    }

    /// The name a user picks the profile by (`--driver node`), and the one reports give.
    pub fn name(self) -> &'static str {
        match self {
            Driver::PyMongo => "pymongo",
            Driver::Node => "node",
            Driver::Rust => "rust",
            Driver::C => "c",
        }
    }

    /// How this driver's TLS stack verifies a server and reads its files, beyond what the
    /// options say.
    pub fn tls_behaviour(self) -> TlsBehaviour {
        match self {
            Driver::PyMongo => TlsBehaviour::PYMONGO,
            Driver::Node => TlsBehaviour::NODE,
            Driver::Rust => TlsBehaviour::RUST,
            Driver::C => TlsBehaviour::LIBMONGOC,
        }
    }
}

/// The profile's [`Driver::name`].
impl fmt::Display for Driver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is no profile's [`Driver::name`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownDriver(pub String);

impl fmt::Display for UnknownDriver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = Driver::ALL.iter().map(|d| d.name()).collect();
        write!(f, "no driver '{}': use one of {}", self.0, names.join(", "))
    }
}

impl std::error::Error for UnknownDriver {}

/// Reads a [`Driver::name`], exactly as written.
impl FromStr for Driver {
    type Err = UnknownDriver;

    fn from_str(s: &str) -> Result<Driver, UnknownDriver> {
        Driver::ALL
            .into_iter()
            .find(|d| d.name() == s)
            .ok_or_else(|| UnknownDriver(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{
        CaFileAnchors, CaFileWithoutPem, CrlFile, CrlScope, CrlsLoaded, EncryptedKeys, FilesRead,
        Ocsp,
    };

    #[test]
    fn names_read_back() {
        for driver in Driver::ALL {
            assert_eq!(driver.name().parse::<Driver>(), Ok(driver));
            assert_eq!(driver.to_string(), driver.name());
        }
        let err = "Node".parse::<Driver>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "no driver 'Node': use one of pymongo, node, rust, c"
        );
    }

    #[test]
    fn each_driver_has_its_own_tls_behaviour() {
        let node = Driver::Node.tls_behaviour();
        assert_eq!(node.ocsp, Ocsp::None);
        assert_eq!(node.crl_scope, CrlScope::Chain);
        assert_eq!(node.crls_loaded, CrlsLoaded::FirstOnly);
        assert_eq!(node.files_read, FilesRead::AtConnect);
        let pymongo = Driver::PyMongo.tls_behaviour();
        assert_eq!(pymongo.ocsp, Ocsp::StapleAndResponder);
        assert_eq!(pymongo.crl_scope, CrlScope::Leaf);
        assert_eq!(pymongo.files_read, FilesRead::AtConstruction);
        assert_eq!(pymongo.ca_file_anchors, CaFileAnchors::SelfSigned);
        let rust = Driver::Rust.tls_behaviour();
        assert_eq!(rust.ocsp, Ocsp::None);
        assert_eq!(rust.crl_file, CrlFile::UnknownOption);
        assert_eq!(rust.files_read, FilesRead::AtConstruction);
        assert_eq!(rust.ca_file_without_pem, CaFileWithoutPem::EmptyTrustStore);
        assert_eq!(rust.ca_file_anchors, CaFileAnchors::Every);
        assert_eq!(rust.encrypted_keys, EncryptedKeys::NotRead);
        assert_eq!(node.encrypted_keys, EncryptedKeys::Decrypted);
        let c = Driver::C.tls_behaviour();
        assert_eq!(c.ocsp, Ocsp::StapleAndResponder);
        assert_eq!(c.crl_file, CrlFile::UnknownOption);
        assert_eq!(c.files_read, FilesRead::AtConnect);
        assert_eq!(c.ca_file_without_pem, CaFileWithoutPem::Error);
        assert_eq!(c.ca_file_anchors, CaFileAnchors::SelfSigned);
        assert_eq!(c.encrypted_keys, EncryptedKeys::Decrypted);
    }

    /// A manifest names its driver as `--driver` does.
    #[test]
    fn serde_names_are_the_drivers_names() {
        for driver in Driver::ALL {
            let json = serde_json::to_string(&driver).unwrap();
            assert_eq!(json, format!("\"{}\"", driver.name()));
            assert_eq!(serde_json::from_str::<Driver>(&json).unwrap(), driver);
            assert_eq!(driver.name().parse::<Driver>(), Ok(driver));
        }
    }
}
