//! The client's certificate check under a PyMongo policy. Path building, validity, purpose
//! and name checks are rustls-webpki's (`WebPkiServerVerifier`); this wrapper only decides,
//! as PyMongo's options say, which of webpki's verdicts to overlook. Handshake signatures
//! are always checked, so even "allow invalid" still proves the server holds its key.

use crate::policy::CrlScope;
use crate::tls::ocsp_rules::{self, OcspPolicy};
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::{CertificateDer, CertificateRevocationListDer, ServerName, UnixTime};
use rustls::{
    CertificateError, DigitallySignedStruct, Error, OtherError, RootCertStore, SignatureScheme,
};
use std::sync::Arc;
use time::OffsetDateTime;
use x509_parser::prelude::{FromDer, X509Certificate};

/// What to verify, from the resolved policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checks {
    /// PyMongo: `tlsAllowInvalidCertificates` false (CERT_REQUIRED).
    pub certificates: bool,
    /// PyMongo: `check_hostname`.
    pub hostname: bool,
}

/// Everything the verifier needs from the client's policy.
pub struct VerifierSetup {
    /// The trust anchors webpki builds paths to; empty means no chain can be trusted.
    pub roots: RootCertStore,
    /// The same trust anchors as certificates, to find a leaf's issuer for OCSP.
    pub anchors: Vec<CertificateDer<'static>>,
    /// CA-file certificates that are not self-signed: they may complete a chain the server
    /// sent short, as OpenSSL uses them, but are not trusted on their own.
    pub extra_intermediates: Vec<CertificateDer<'static>>,
    /// Which of webpki's verdicts count.
    pub checks: Checks,
    /// `tlsCRLFile`'s CRLs; when there are any, revocation is checked, for the certificates
    /// `crl_scope` says.
    pub crls: Vec<CertificateRevocationListDer<'static>>,
    /// The leaf only, or every certificate of the chain but the trust anchor.
    pub crl_scope: CrlScope,
    /// PyMongo's OCSP rules, applied after the chain verified; `None` skips OCSP.
    pub ocsp: Option<OcspPolicy>,
}

/// rustls' certificate verifier for a PyMongo policy: webpki's verdict on the chain, with
/// the failures the policy allows overlooked, then the OCSP rules.
#[derive(Debug)]
pub struct PolicyVerifier {
    /// `None` when there is no trust anchor at all: every chain is then of unknown issuer.
    webpki: Option<Arc<WebPkiServerVerifier>>,
    anchors: Vec<CertificateDer<'static>>,
    extra_intermediates: Vec<CertificateDer<'static>>,
    checks: Checks,
    ocsp: Option<OcspPolicy>,
    provider: Arc<CryptoProvider>,
}

impl PolicyVerifier {
    /// With CRLs, revocation is checked as OpenSSL does: for the leaf only with
    /// [`CrlScope::Leaf`] (PyMongo's `VERIFY_CRL_CHECK_LEAF`), for every certificate of the
    /// chain with [`CrlScope::Chain`] (`X509_V_FLAG_CRL_CHECK_ALL`); a CRL past its
    /// nextUpdate is refused, and so is a certificate whose issuer no CRL covers (OpenSSL:
    /// "unable to get certificate CRL"). webpki never checks the trust anchor, which OpenSSL
    /// checks against its own CRL under `CRL_CHECK_ALL`: the same CRL the certificate it
    /// issued needs, so the verdicts agree wherever that one is loaded.
    pub fn new(
        setup: VerifierSetup,
        provider: Arc<CryptoProvider>,
    ) -> Result<PolicyVerifier, Error> {
        let webpki = if setup.roots.is_empty() {
            None
        } else {
            let mut builder = WebPkiServerVerifier::builder_with_provider(
                Arc::new(setup.roots),
                provider.clone(),
            );
            if !setup.crls.is_empty() {
                builder = builder
                    .with_crls(setup.crls)
                    .enforce_revocation_expiration();
                if setup.crl_scope == CrlScope::Leaf {
                    builder = builder.only_check_end_entity_revocation();
                }
            }
            Some(builder.build().map_err(|e| Error::General(e.to_string()))?)
        };
        Ok(PolicyVerifier {
            webpki,
            anchors: setup.anchors,
            extra_intermediates: setup.extra_intermediates,
            checks: setup.checks,
            ocsp: setup.ocsp,
            provider,
        })
    }

    /// The leaf's issuer: a certificate the server sent, or the trust anchor, whose subject
    /// is the leaf's issuer (as PyMongo's `_get_issuer_cert` looks in the verified chain).
    fn issuer_of<'a>(
        &'a self,
        leaf: &[u8],
        intermediates: &'a [CertificateDer<'a>],
    ) -> Option<&'a [u8]> {
        let (_, leaf) = X509Certificate::from_der(leaf).ok()?;
        let issuer = leaf.issuer().as_raw();
        intermediates
            .iter()
            .chain(&self.anchors)
            .map(|c| c.as_ref())
            .find(|der| {
                X509Certificate::from_der(der).is_ok_and(|(_, c)| c.subject().as_raw() == issuer)
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
        // The server's intermediates first, then the CA file's non-root certificates.
        let intermediates: Vec<CertificateDer<'_>> = intermediates
            .iter()
            .chain(&self.extra_intermediates)
            .map(|c| CertificateDer::from(c.as_ref()))
            .collect();
        let intermediates = intermediates.as_slice();
        let verified = match webpki.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        ) {
            // webpki checks the path before the name, so a name error means the path is good.
            Err(Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) if !self.checks.hostname => ServerCertVerified::assertion(),
            other => other?,
        };
        if let Some(policy) = &self.ocsp {
            let now = OffsetDateTime::from_unix_timestamp(now.as_secs() as i64)
                .unwrap_or(OffsetDateTime::UNIX_EPOCH);
            let issuer = self.issuer_of(end_entity, intermediates);
            ocsp_rules::check(end_entity, issuer, ocsp_response, policy, now).map_err(
                |failure| {
                    Error::InvalidCertificate(CertificateError::Other(OtherError(Arc::new(
                        failure,
                    ))))
                },
            )?;
        }
        Ok(verified)
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
