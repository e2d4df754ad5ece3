//! The client's certificate check under a PyMongo policy. Path building, validity, purpose
//! and name checks are rustls-webpki's (`WebPkiServerVerifier`); this wrapper only decides,
//! as PyMongo's options say, which of webpki's verdicts to overlook. Handshake signatures
//! are always checked, so even "allow invalid" still proves the server holds its key.

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::{CertificateDer, CertificateRevocationListDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, Error, RootCertStore, SignatureScheme};
use std::sync::Arc;

/// What to verify, from the resolved policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checks {
    /// PyMongo: `tlsAllowInvalidCertificates` false (CERT_REQUIRED).
    pub certificates: bool,
    /// PyMongo: `check_hostname`.
    pub hostname: bool,
}

#[derive(Debug)]
pub struct PolicyVerifier {
    /// `None` when there is no trust anchor at all: every chain is then of unknown issuer.
    webpki: Option<Arc<WebPkiServerVerifier>>,
    checks: Checks,
    provider: Arc<CryptoProvider>,
}

impl PolicyVerifier {
    /// With `crls`, revocation is checked as PyMongo's `VERIFY_CRL_CHECK_LEAF` does: the
    /// leaf only, a CRL past its nextUpdate is refused, and a leaf whose issuer no CRL
    /// covers is refused (OpenSSL: "unable to get certificate CRL").
    pub fn new(
        roots: RootCertStore,
        checks: Checks,
        provider: Arc<CryptoProvider>,
        crls: Vec<CertificateRevocationListDer<'static>>,
    ) -> Result<PolicyVerifier, Error> {
        let webpki = if roots.is_empty() {
            None
        } else {
            let mut builder =
                WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone());
            if !crls.is_empty() {
                builder = builder
                    .with_crls(crls)
                    .only_check_end_entity_revocation()
                    .enforce_revocation_expiration();
            }
            Some(builder.build().map_err(|e| Error::General(e.to_string()))?)
        };
        Ok(PolicyVerifier {
            webpki,
            checks,
            provider,
        })
    }
}

impl ServerCertVerifier for PolicyVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        if !self.checks.certificates {
            return Ok(ServerCertVerified::assertion());
        }
        let Some(webpki) = &self.webpki else {
            return Err(Error::InvalidCertificate(CertificateError::UnknownIssuer));
        };
        match webpki.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
        {
            // webpki checks the path before the name, so a name error means the path is good.
            Err(Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) if !self.checks.hostname => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}
