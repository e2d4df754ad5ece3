//! What a MongoDB driver's TLS options mean. Each driver reads a connection string (and the
//! keyword options its client takes) in its own way, with its own warnings and errors; what
//! the options mean once read is one [`TlsPolicy`], whichever driver read them. A driver
//! profile reproduces one driver's reading exactly: [`Driver`] names the profiles (PyMongo,
//! in [`pymongo`]; the Node.js driver, in [`node`]; the Rust driver, in [`rust`]; libmongoc, the C driver, in [`c`]) and [`resolve`] hands a URI to one, so
//! another driver is another module beside them with its own [`Driver`] and
//! [`DriverException`] variants.
//!
//! What a driver's TLS stack then does with the policy (OCSP or none, which CRLs count, when
//! files are read) is its [`TlsBehaviour`], from [`Driver::tls_behaviour`].
//!
//! [`Outcome`] and [`Reason`] are the vocabulary of what a client did with a server, shared
//! by every driver.

mod behaviour;
pub mod c;
mod client_options;
mod connection_string;
mod driver;
mod error;
pub mod node;
mod outcome;
pub mod pymongo;
pub mod rust;
mod warning;

pub use behaviour::{
    CaFileAnchors, CaFileWithoutPem, CrlFile, CrlScope, CrlsLoaded, EncryptedKeys, FilesRead, Ocsp,
    TlsBehaviour,
};
pub use client_options::ClientOptions;
pub use connection_string::uri_for;
use connection_string::uri_or_options;
pub use driver::{Driver, UnknownDriver};
pub use error::{DriverException, PolicyError};
pub use outcome::{Outcome, Reason};
pub use warning::DriverWarning;

/// What `driver`'s client would configure for `uri` and `options` (the keyword options its
/// constructor takes beside the URI, as JSON, overriding the URI's), with the warnings it
/// would emit on the way; or the error it would raise, with the warnings emitted before it.
/// Without a URI the client is built from the options alone (PyMongo:
/// `MongoClient("localhost", **options)`; Node:
/// `new MongoClient("mongodb://localhost", options)`).
///
/// An error whose exception is [`DriverException::NotModelled`] is pkigen's, not the
/// driver's: the options use something the profile does not model.
pub fn resolve(
    driver: Driver,
    uri: Option<&str>,
    options: &ClientOptions,
) -> Result<Resolution, PolicyError> {
    match driver {
        Driver::PyMongo => pymongo::resolve(uri, options.as_json()),
        Driver::Node => node::resolve(uri, options.as_json()),
        Driver::Rust => rust::resolve(uri, options.as_json()),
        Driver::C => c::resolve(uri, options.as_json()),
    }
}

/// A policy plus the warnings the driver would emit on the way (PyMongo: dropped URI
/// options, duplicates, unavailable compressors), in the driver's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution {
    /// The TLS settings the client ends up with.
    pub policy: TlsPolicy,
    /// Each warning as the driver emits it, in order.
    pub warnings: Vec<DriverWarning>,
}

/// A resolved TLS policy: what a driver's client would configure, whichever driver's
/// options produced it.
///
/// The three `allow`/`disable` flags are the option values after the driver's own expansion
/// (PyMongo: `tlsInsecure=true` sets all three, `tlsAllowInvalidCertificates=true` sets
/// `disable_ocsp_endpoint_check`). They are kept even when `tls` is false, because a driver
/// may keep them too (PyMongo accepts `tls=false&tlsInsecure=true`); the `verify_*` methods
/// fold `tls` in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsPolicy {
    /// Whether the client connects with TLS at all (`tls`, or its alias `ssl`).
    pub tls: bool,
    /// `tlsCAFile`: the PEM file of CAs to trust; `None` trusts the system's roots.
    pub ca_file: Option<String>,
    /// `tlsCertificateKeyFile`: the PEM file with the client's certificate chain and key.
    pub certificate_key_file: Option<String>,
    /// `tlsCertificateKeyFilePassword`: decrypts the key in `certificate_key_file` (Node:
    /// the `passphrase` it becomes).
    pub certificate_key_file_password: Option<String>,
    /// `tlsCRLFile`: the CRLs the server's chain is checked against (which certificates and
    /// which CRLs of the file: [`TlsBehaviour::crl_scope`], [`TlsBehaviour::crls_loaded`]).
    pub crl_file: Option<String>,
    /// `tlsAllowInvalidCertificates`: accept any server certificate (the hostname check
    /// goes with it).
    pub allow_invalid_certificates: bool,
    /// `tlsAllowInvalidHostnames`: accept a server certificate issued for another name.
    pub allow_invalid_hostnames: bool,
    /// `tlsDisableOCSPEndpointCheck`: never ask an OCSP responder; a stapled response is
    /// still checked. A driver without OCSP ([`Ocsp::None`]) has the option set, as it never
    /// asks one.
    pub disable_ocsp_endpoint_check: bool,
    /// `tlsDisableCertificateRevocationCheck`, an option of libmongoc alone: no OCSP at all
    /// (no status request, no stapled response checked, must-staple not enforced, no
    /// responder asked). Always false for a driver without the option.
    pub disable_certificate_revocation_check: bool,
}

impl TlsPolicy {
    /// What `driver`'s client would configure for `uri` alone (PyMongo:
    /// `MongoClient(uri, connect=False)`, where `mongodb+srv://` defaults `tls` to true).
    pub fn from_uri(driver: Driver, uri: &str) -> Result<TlsPolicy, PolicyError> {
        resolve(driver, Some(uri), &ClientOptions::new()).map(|r| r.policy)
    }

    /// What `driver`'s client would configure for keyword options alone (PyMongo:
    /// `MongoClient("localhost", connect=False, **options)`).
    pub fn from_options(driver: Driver, options: &ClientOptions) -> Result<TlsPolicy, PolicyError> {
        resolve(driver, None, options).map(|r| r.policy)
    }

    /// Whether the server's chain is verified (ssl `CERT_REQUIRED`): TLS on and invalid
    /// certificates not allowed (`tlsAllowInvalidCertificates`, or `tlsInsecure`, off).
    pub fn verify_certificates(&self) -> bool {
        self.tls && !self.allow_invalid_certificates
    }

    /// Whether the server's name is checked: never when its chain is not verified (PyMongo's
    /// `ssl_support.get_ssl_context` forces `check_hostname` off under `CERT_NONE`), so
    /// AllowInvalidCertificates also disables hostname checking.
    pub fn verify_hostname(&self) -> bool {
        self.verify_certificates() && !self.allow_invalid_hostnames
    }

    /// Whether the OCSP endpoint is checked (PyMongo's `check_ocsp_endpoint`, which only acts
    /// with PyOpenSSL installed, but the setting is what the options say).
    /// AllowInvalidCertificates implies the disable flag.
    pub fn ocsp_endpoint_check(&self) -> bool {
        self.ocsp_checked() && !self.disable_ocsp_endpoint_check
    }

    /// Whether a driver with OCSP checks it at all: only for a verified chain, and not under
    /// libmongoc's `tlsDisableCertificateRevocationCheck`.
    pub fn ocsp_checked(&self) -> bool {
        self.verify_certificates() && !self.disable_certificate_revocation_check
    }
}
