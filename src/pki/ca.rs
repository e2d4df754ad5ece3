//! Certificate authorities: a self-signed root, or an intermediate signed by another CA.
//! Params in, signed `Ca` out; the `Ca` keeps what it needs to issue certificates.

use crate::error::Error;
use crate::pki::encoding::pem_block;
use crate::pki::keys::{CertificateSigner, KeyPair};
use crate::pki::seed::Seed;
use crate::pki::serial::Serial;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyUsagePurpose};
use rustls::pki_types::CertificateDer;
use std::fmt;
use time::OffsetDateTime;

/// The organisation every pkigen certificate names, so a fixture is recognisable anywhere.
const ORGANIZATION: &str = "pkigen test PKI";

/// `O=pkigen test PKI, CN=common_name`: every pkigen subject.
pub(crate) fn distinguished_name(common_name: &str) -> rcgen::DistinguishedName {
    let mut name = rcgen::DistinguishedName::new();
    name.push(DnType::OrganizationName, ORGANIZATION);
    name.push(DnType::CommonName, common_name);
    name
}

/// What a CA certificate says, every field explicit: the exact control the scenario
/// catalogue needs. [`Ca::builder`] fills in the same with defaults.
#[derive(Debug, Clone)]
pub struct CaParams {
    /// The subject's CN; the subject also carries `O=pkigen test PKI`.
    pub common_name: String,
    /// The start of the certificate's validity.
    pub not_before: OffsetDateTime,
    /// The end of the certificate's validity.
    pub not_after: OffsetDateTime,
    /// The certificate's serial number.
    pub serial: Serial,
    /// How many intermediates may follow this CA (`None`: no limit).
    pub path_len: Option<u8>,
}

impl CaParams {
    fn to_rcgen(&self) -> CertificateParams {
        let mut params = CertificateParams::default();
        params.distinguished_name = crate::pki::ca::distinguished_name(&self.common_name);
        params.is_ca = IsCa::Ca(match self.path_len {
            Some(n) => BasicConstraints::Constrained(n),
            None => BasicConstraints::Unconstrained,
        });
        // CrlSign so the same CA can sign CRLs (rcgen checks it); DigitalSignature so it
        // can sign OCSP responses directly, as small CAs do.
        params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        params.use_authority_key_identifier_extension = true;
        params.not_before = self.not_before;
        params.not_after = self.not_after;
        params.serial_number = Some(self.serial.to_rcgen());
        params
    }

    fn what(&self) -> String {
        format!("CA certificate '{}'", self.common_name)
    }

    /// A root CA: signed with its own key.
    pub fn self_signed(&self, key: KeyPair) -> Result<Ca, Error> {
        let params = self.to_rcgen();
        let cert = params
            .self_signed(&CertificateSigner(&key))
            .map_err(|e| Error::certificate(self.what(), e))?;
        let der = cert.der().to_vec();
        Ok(Ca {
            spec: self.clone(),
            params,
            key,
            root: der.clone(),
            der,
            intermediates: Vec::new(),
            seed: None,
        })
    }

    /// An intermediate CA: signed by `issuer`.
    pub fn signed_by(&self, key: KeyPair, issuer: &Ca) -> Result<Ca, Error> {
        let params = self.to_rcgen();
        let cert = params
            .signed_by(&CertificateSigner(&key), &issuer.issuer())
            .map_err(|e| Error::certificate(self.what(), e))?;
        let mut intermediates = vec![cert.der().to_vec()];
        intermediates.extend(issuer.intermediates.iter().cloned());
        Ok(Ca {
            spec: self.clone(),
            params,
            key,
            der: cert.der().to_vec(),
            intermediates,
            root: issuer.root.clone(),
            seed: None,
        })
    }
}

/// A certificate authority that can issue certificates: its certificate, its key, and the
/// chain up to its root.
#[derive(Clone)]
pub struct Ca {
    spec: CaParams,
    params: CertificateParams,
    key: KeyPair,
    der: Vec<u8>,
    /// This CA's own certificate and those of the intermediates above it, up to but not
    /// including the root: what a server sends after its leaf.
    intermediates: Vec<Vec<u8>>,
    /// The self-signed certificate at the top of the chain (this one, for a root).
    root: Vec<u8>,
    /// Where the keys and serials of what this CA issues come from, unless told otherwise:
    /// `None` for the operating system's random source.
    seed: Option<Seed>,
}

impl Ca {
    /// The same CA, issuing from `seed` by default.
    pub(crate) fn with_seed(self, seed: Option<Seed>) -> Ca {
        Ca { seed, ..self }
    }

    /// The seed leaves and intermediates of this CA derive from by default.
    pub(crate) fn seed(&self) -> Option<Seed> {
        self.seed
    }

    pub(crate) fn issuer(&self) -> rcgen::Issuer<'_, CertificateSigner<'_>> {
        rcgen::Issuer::from_params(&self.params, CertificateSigner(&self.key))
    }

    /// The subject's CN.
    pub fn common_name(&self) -> &str {
        &self.spec.common_name
    }

    /// The certificate's serial number.
    pub fn serial(&self) -> &Serial {
        &self.spec.serial
    }

    /// When this CA's certificate is valid, `(not_before, not_after)`: what its leaves get
    /// unless told otherwise.
    pub fn validity(&self) -> (OffsetDateTime, OffsetDateTime) {
        (self.spec.not_before, self.spec.not_after)
    }

    /// Whether the certificate is self-signed (no intermediates above it).
    pub fn is_root(&self) -> bool {
        self.intermediates.is_empty()
    }

    /// The CA certificate, DER.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The CA certificate as rustls takes it.
    pub fn cert_der(&self) -> CertificateDer<'static> {
        CertificateDer::from(self.der.clone())
    }

    /// The CA certificate, PEM: what `tlsCAFile` takes.
    pub fn pem(&self) -> String {
        pem_block("CERTIFICATE", &self.der)
    }

    /// The self-signed root at the top of this CA's chain (this CA's own certificate, for a
    /// root), DER: the trust anchor clients need.
    pub fn root_der(&self) -> CertificateDer<'static> {
        CertificateDer::from(self.root.clone())
    }

    /// The CA's private key.
    pub fn key(&self) -> &KeyPair {
        &self.key
    }

    pub(crate) fn intermediates(&self) -> &[Vec<u8>] {
        &self.intermediates
    }
}

/// Names, dates and chain position, never the key.
impl fmt::Debug for Ca {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ca")
            .field("common_name", &self.spec.common_name)
            .field("serial", &self.spec.serial)
            .field("not_before", &self.spec.not_before)
            .field("not_after", &self.spec.not_after)
            .field("path_len", &self.spec.path_len)
            .field("key", &self.key)
            .field("depth_below_root", &self.intermediates.len())
            .field("seeded", &self.seed.is_some())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pki::keys::KeyType;
    use ::time::Duration;
    use x509_parser::prelude::*;

    #[test]
    fn a_root_is_a_self_signed_ca() {
        let ca = Ca::new().unwrap();
        let (_, cert) = X509Certificate::from_der(ca.der()).unwrap();
        assert_eq!(cert.subject(), cert.issuer());
        assert!(cert.is_ca());
        assert!(cert.verify_signature(None).is_ok());
    }

    #[test]
    fn an_intermediate_chains_to_its_root() {
        let root = Ca::new().unwrap();
        let now = OffsetDateTime::now_utc();
        let key = KeyPair::generate(KeyType::EcdsaP256, &mut Seed(1).rng("int")).unwrap();
        let int = CaParams {
            common_name: "int".into(),
            not_before: now,
            not_after: now + Duration::days(1),
            serial: Seed(1).serial("int"),
            path_len: Some(0),
        }
        .signed_by(key, &root)
        .unwrap();
        let (_, root_cert) = X509Certificate::from_der(root.der()).unwrap();
        let (_, int_cert) = X509Certificate::from_der(int.der()).unwrap();
        assert_eq!(int_cert.issuer(), root_cert.subject());
        assert!(
            int_cert
                .verify_signature(Some(root_cert.public_key()))
                .is_ok()
        );
        assert_eq!(int.intermediates().len(), 1);
    }
}
