//! Certificate authorities: a self-signed root, or an intermediate signed by another CA.
//! Params in, signed `Ca` out; the `Ca` keeps what it needs to issue certificates.

use crate::error::Error;
use crate::pki::encoding::pem_block;
use crate::pki::keys::{KeyPair, KeyType};
use crate::pki::seed::Seed;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyUsagePurpose, SerialNumber};
use time::{Duration, OffsetDateTime};

/// The organisation every pkigen certificate names, so a fixture is recognisable anywhere.
const ORGANIZATION: &str = "pkigen test PKI";

/// `O=pkigen test PKI, CN=common_name`: every pkigen subject.
pub(crate) fn distinguished_name(common_name: &str) -> rcgen::DistinguishedName {
    let mut name = rcgen::DistinguishedName::new();
    name.push(DnType::OrganizationName, ORGANIZATION);
    name.push(DnType::CommonName, common_name);
    name
}

/// What a CA certificate says.
#[derive(Debug, Clone)]
pub struct CaParams {
    pub common_name: String,
    pub not_before: OffsetDateTime,
    pub not_after: OffsetDateTime,
    pub serial: SerialNumber,
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
        params.serial_number = Some(self.serial.clone());
        params
    }

    /// A root CA: signed with its own key.
    pub fn self_signed(&self, key: KeyPair) -> Result<Ca, Error> {
        let params = self.to_rcgen();
        let cert = params.self_signed(&key)?;
        Ok(Ca {
            params,
            key,
            der: cert.der().to_vec(),
            intermediates: Vec::new(),
        })
    }

    /// An intermediate CA: signed by `issuer`.
    pub fn signed_by(&self, key: KeyPair, issuer: &Ca) -> Result<Ca, Error> {
        let params = self.to_rcgen();
        let cert = params.signed_by(&key, &issuer.issuer())?;
        let mut intermediates = vec![cert.der().to_vec()];
        intermediates.extend(issuer.intermediates.iter().cloned());
        Ok(Ca {
            params,
            key,
            der: cert.der().to_vec(),
            intermediates,
        })
    }
}

/// A certificate authority that can issue certificates.
pub struct Ca {
    params: CertificateParams,
    key: KeyPair,
    der: Vec<u8>,
    /// This CA's own certificate and those of the intermediates above it, up to but not
    /// including the root: what a server sends after its leaf.
    intermediates: Vec<Vec<u8>>,
}

impl Ca {
    /// A throwaway root CA with a random key, valid from yesterday for ten years — the
    /// one-liner for tests that need "some CA", like Python's `trustme.CA()`.
    pub fn new() -> Result<Ca, Error> {
        let seed = Seed::random();
        let now = OffsetDateTime::now_utc();
        let key = KeyPair::generate(KeyType::default(), &mut seed.rng("ca"))?;
        CaParams {
            common_name: "pkigen throwaway CA".into(),
            not_before: now - Duration::days(1),
            not_after: now + Duration::days(3650),
            serial: seed.serial("ca"),
            path_len: None,
        }
        .self_signed(key)
    }

    /// When this CA's certificate is valid: the span a throwaway leaf gets too.
    pub(crate) fn validity(&self) -> (OffsetDateTime, OffsetDateTime) {
        (self.params.not_before, self.params.not_after)
    }

    pub(crate) fn issuer(&self) -> rcgen::Issuer<'_, &KeyPair> {
        rcgen::Issuer::from_params(&self.params, &self.key)
    }

    /// The CA certificate, DER.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The CA certificate, PEM: what `tlsCAFile` takes.
    pub fn pem(&self) -> String {
        pem_block("CERTIFICATE", &self.der)
    }

    pub fn key(&self) -> &KeyPair {
        &self.key
    }

    pub(crate) fn intermediates(&self) -> &[Vec<u8>] {
        &self.intermediates
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
