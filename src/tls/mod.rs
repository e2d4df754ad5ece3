//! The TLS harness: the certificate verifier a driver's policy configures, the OCSP rules it
//! applies to a stapled or fetched response, loading a client identity the way a driver
//! reads `tlsCertificateKeyFile`, and real handshakes on loopback.

pub mod classify;
pub mod handshake;
pub mod identity;
pub mod ocsp_rules;
pub mod verifier;
