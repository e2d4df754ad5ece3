//! The TLS harness: the certificate verifier a driver's policy configures, the OCSP rules it
//! applies to a stapled or fetched response, loading a client identity the way a driver
//! reads `tlsCertificateKeyFile`, and real handshakes on loopback.

pub(crate) mod params;

#[cfg(feature = "validate")]
pub(crate) mod classify;
#[cfg(feature = "validate")]
pub mod handshake;
#[cfg(feature = "validate")]
pub mod identity;
#[cfg(feature = "validate")]
pub mod ocsp_rules;
#[cfg(feature = "validate")]
pub mod verifier;
