//! End-entity certificates: servers and clients, with DNS and IP subject alternative names,
//! a chosen validity window and purpose.

use crate::error::Error;
use crate::pki::ca::Ca;
use crate::pki::encoding::pem_block;
use crate::pki::encrypted::KeyEncryption;
use crate::pki::keys::{CertificateSigner, KeyPair, KeyType};
use crate::pki::serial::Serial;
use rcgen::{
    CertificateParams, CustomExtension, ExtendedKeyUsagePurpose, KeyUsagePurpose, SanType,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::fmt;
use std::net::IpAddr;
use time::OffsetDateTime;

/// What the certificate may be used for (its extended key usage).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Purpose {
    /// A TLS server (EKU serverAuth).
    ServerAuth,
    /// A TLS client only (EKU clientAuth): wrong for a server, which is the point of the
    /// "purpose not valid" fixture.
    ClientAuth,
    /// A delegated OCSP responder (EKU OCSPSigning): signs OCSP responses for its issuer.
    OcspSigning,
}

/// What a leaf certificate says, every field explicit: the exact control the scenario
/// catalogue needs. [`Ca::leaf`] fills in the same with defaults.
#[derive(Debug, Clone)]
pub struct LeafParams {
    /// The subject's CN; the subject also carries `O=pkigen test PKI`.
    pub common_name: String,
    /// Subject alternative names: IP addresses where they parse as one, DNS names otherwise.
    pub names: Vec<String>,
    /// The start of the certificate's validity.
    pub not_before: OffsetDateTime,
    /// The end of the certificate's validity.
    pub not_after: OffsetDateTime,
    /// The certificate's serial number, what CRLs and OCSP responses name it by.
    pub serial: Serial,
    /// What the certificate may be used for.
    pub purpose: Purpose,
    /// An OCSP responder URL for the Authority Information Access extension.
    pub ocsp_url: Option<String>,
    /// The TLS Feature extension with `status_request` (RFC 7633, "must-staple"): a client
    /// must refuse the server if it does not staple an OCSP response.
    pub must_staple: bool,
}

impl LeafParams {
    fn to_rcgen(&self, key_type: KeyType) -> Result<CertificateParams, Error> {
        let mut params = CertificateParams::default();
        params.distinguished_name = crate::pki::ca::distinguished_name(&self.common_name);
        params.subject_alt_names = self
            .names
            .iter()
            .map(|name| match name.parse::<IpAddr>() {
                Ok(ip) => Ok(SanType::IpAddress(ip)),
                Err(_) => Ok(SanType::DnsName(name.as_str().try_into().map_err(|e| {
                    Error::certificate(format!("{}: name '{name}'", self.what()), e)
                })?)),
            })
            .collect::<Result<_, Error>>()?;
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        if matches!(
            key_type,
            KeyType::Rsa2048 | KeyType::Rsa3072 | KeyType::Rsa4096
        ) {
            // RSA key transport in TLS 1.2 needs it; OpenSSL's own leaves carry it too.
            params.key_usages.push(KeyUsagePurpose::KeyEncipherment);
        }
        params.extended_key_usages = vec![match self.purpose {
            Purpose::ServerAuth => ExtendedKeyUsagePurpose::ServerAuth,
            Purpose::ClientAuth => ExtendedKeyUsagePurpose::ClientAuth,
            Purpose::OcspSigning => ExtendedKeyUsagePurpose::OcspSigning,
        }];
        if let Some(url) = &self.ocsp_url {
            let aia = authority_info_access(url)
                .map_err(|e| Error::certificate(format!("{}: OCSP URL '{url}'", self.what()), e))?;
            params.custom_extensions.push(aia);
        }
        if self.must_staple {
            params.custom_extensions.push(must_staple());
        }
        params.use_authority_key_identifier_extension = true;
        params.not_before = self.not_before;
        params.not_after = self.not_after;
        params.serial_number = Some(self.serial.to_rcgen());
        Ok(params)
    }

    fn what(&self) -> String {
        format!("certificate '{}'", self.common_name)
    }

    /// A leaf issued by `ca`; its chain carries the CA's intermediates.
    pub fn signed_by(&self, key: KeyPair, ca: &Ca) -> Result<Leaf, Error> {
        let params = self.to_rcgen(key.key_type())?;
        let cert = params
            .signed_by(&CertificateSigner(&key), &ca.issuer())
            .map_err(|e| Error::certificate(self.what(), e))?;
        Ok(Leaf {
            spec: self.clone(),
            der: cert.der().to_vec(),
            key,
            intermediates: ca.intermediates().to_vec(),
        })
    }

    /// A self-signed leaf: no CA vouches for it.
    pub fn self_signed(&self, key: KeyPair) -> Result<Leaf, Error> {
        let mut params = self.to_rcgen(key.key_type())?;
        params.use_authority_key_identifier_extension = false;
        let cert = params
            .self_signed(&CertificateSigner(&key))
            .map_err(|e| Error::certificate(self.what(), e))?;
        Ok(Leaf {
            spec: self.clone(),
            der: cert.der().to_vec(),
            key,
            intermediates: Vec::new(),
        })
    }
}

/// id-pe-authorityInfoAccess with one id-ad-ocsp access description (RFC 5280 §4.2.2.1).
fn authority_info_access(url: &str) -> Result<CustomExtension, rcgen::Error> {
    use der::Encode;
    use x509_cert::ext::pkix::name::GeneralName;
    use x509_cert::ext::pkix::{AccessDescription, AuthorityInfoAccessSyntax};
    const ID_PE_AUTHORITY_INFO_ACCESS: &[u64] = &[1, 3, 6, 1, 5, 5, 7, 1, 1];
    const ID_AD_OCSP: der::oid::ObjectIdentifier =
        der::oid::ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1");
    let location =
        der::asn1::Ia5String::new(url).map_err(|_| rcgen::Error::CouldNotParseCertificate)?;
    let aia = AuthorityInfoAccessSyntax(vec![AccessDescription {
        access_method: ID_AD_OCSP,
        access_location: GeneralName::UniformResourceIdentifier(location),
    }]);
    let content = aia
        .to_der()
        .map_err(|_| rcgen::Error::CouldNotParseCertificate)?;
    Ok(CustomExtension::from_oid_content(
        ID_PE_AUTHORITY_INFO_ACCESS,
        content,
    ))
}

/// id-pe-tlsfeature = SEQUENCE OF INTEGER { status_request (5) } (RFC 7633).
fn must_staple() -> CustomExtension {
    use der::Encode;
    const ID_PE_TLSFEATURE: &[u64] = &[1, 3, 6, 1, 5, 5, 7, 1, 24];
    /// The TLS extension number of status_request (RFC 6066).
    const STATUS_REQUEST: u8 = 5;
    let content = vec![STATUS_REQUEST]
        .to_der()
        .expect("a SEQUENCE OF one INTEGER encodes");
    CustomExtension::from_oid_content(ID_PE_TLSFEATURE, content)
}

/// A signed end-entity certificate with its key, and the intermediates a server sends
/// after it.
#[derive(Clone)]
pub struct Leaf {
    spec: LeafParams,
    der: Vec<u8>,
    key: KeyPair,
    intermediates: Vec<Vec<u8>>,
}

impl Leaf {
    /// The subject's CN.
    pub fn common_name(&self) -> &str {
        &self.spec.common_name
    }

    /// The subject alternative names, as given.
    pub fn names(&self) -> &[String] {
        &self.spec.names
    }

    /// The certificate's serial number: what a CRL or OCSP response names it by.
    pub fn serial(&self) -> &Serial {
        &self.spec.serial
    }

    /// When the certificate is valid, `(not_before, not_after)`.
    pub fn validity(&self) -> (OffsetDateTime, OffsetDateTime) {
        (self.spec.not_before, self.spec.not_after)
    }

    /// What the certificate may be used for.
    pub fn purpose(&self) -> Purpose {
        self.spec.purpose
    }

    /// The certificate, DER.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The certificate as rustls takes it.
    pub fn cert_der(&self) -> CertificateDer<'static> {
        CertificateDer::from(self.der.clone())
    }

    /// The certificate followed by its issuer's intermediates, as rustls takes a chain:
    /// what a server (or a client, for mutual TLS) sends.
    pub fn chain(&self) -> Vec<CertificateDer<'static>> {
        std::iter::once(&self.der)
            .chain(&self.intermediates)
            .map(|der| CertificateDer::from(der.clone()))
            .collect()
    }

    /// The private key as rustls takes it (unencrypted PKCS#8).
    pub fn private_key_der(&self) -> PrivateKeyDer<'static> {
        self.key.private_key_der()
    }

    /// The certificate alone.
    pub fn pem(&self) -> String {
        pem_block("CERTIFICATE", &self.der)
    }

    /// The certificate followed by its issuer's intermediates: what a server sends.
    pub fn chain_pem(&self) -> String {
        std::iter::once(&self.der)
            .chain(&self.intermediates)
            .map(|der| pem_block("CERTIFICATE", der))
            .collect()
    }

    /// The private key.
    pub fn key(&self) -> &KeyPair {
        &self.key
    }

    /// The private key, unencrypted PKCS#8 PEM.
    pub fn key_pem(&self) -> String {
        self.key.pem()
    }

    /// Key then certificate, the bytes of `cat key.pem cert.pem`: what PyMongo's
    /// `tlsCertificateKeyFile` takes.
    pub fn combined_pem(&self) -> String {
        self.key_pem() + &self.pem()
    }

    /// Key, certificate, then the issuer's intermediates: one file holding everything a
    /// server needs (nginx's and HAProxy's `crt` file, `tlsCertificateKeyFile` behind an
    /// intermediate CA). The same as [`combined_pem`](Leaf::combined_pem) for a leaf of a
    /// root.
    pub fn key_and_chain_pem(&self) -> String {
        self.key_pem() + &self.chain_pem()
    }

    /// The private key encrypted with `password`, for `tlsCertificateKeyFilePassword`.
    /// Salt and IV derive from the key and password, so the output is reproducible.
    ///
    /// ```
    /// use pkigen::KeyEncryption;
    /// let ca = pkigen::Ca::new()?;
    /// let client = ca.issue_client("app")?;
    /// let key_file = client.encrypted_pem("s3cret", KeyEncryption::Pkcs8)? + &client.pem();
    /// assert!(key_file.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
    /// # Ok::<(), pkigen::Error>(())
    /// ```
    pub fn encrypted_pem(&self, password: &str, format: KeyEncryption) -> Result<String, Error> {
        crate::pki::encrypted::encrypt_pem(&self.key, password, format)
    }
}

/// Names, dates and purpose, never the key.
impl fmt::Debug for Leaf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Leaf")
            .field("common_name", &self.spec.common_name)
            .field("names", &self.spec.names)
            .field("serial", &self.spec.serial)
            .field("not_before", &self.spec.not_before)
            .field("not_after", &self.spec.not_after)
            .field("purpose", &self.spec.purpose)
            .field("key", &self.key)
            .field("intermediates", &self.intermediates.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use x509_parser::prelude::*;

    #[test]
    fn issued_leaf_has_names_purpose_and_a_valid_signature() {
        let ca = Ca::new().unwrap();
        let leaf = ca.issue(&["localhost", "127.0.0.1", "::1"]).unwrap();
        let (_, cert) = X509Certificate::from_der(leaf.der()).unwrap();
        let (_, ca_cert) = X509Certificate::from_der(ca.der()).unwrap();
        assert!(cert.verify_signature(Some(ca_cert.public_key())).is_ok());
        let san = cert.subject_alternative_name().unwrap().unwrap().value;
        let names: Vec<&GeneralName> = san.general_names.iter().collect();
        assert_eq!(names[0], &GeneralName::DNSName("localhost"));
        assert_eq!(names[1], &GeneralName::IPAddress(&[127, 0, 0, 1]));
        let ipv6_loopback = std::net::Ipv6Addr::LOCALHOST.octets();
        assert_eq!(names[2], &GeneralName::IPAddress(&ipv6_loopback));
        let eku = cert.extended_key_usage().unwrap().unwrap().value;
        assert!(eku.server_auth && !eku.client_auth);
        assert!(!cert.is_ca());
    }

    #[test]
    fn combined_pem_is_key_then_certificate() {
        let leaf = Ca::new().unwrap().issue(&["localhost"]).unwrap();
        let combined = leaf.combined_pem();
        assert!(combined.starts_with("-----BEGIN PRIVATE KEY-----\n"));
        // Read back by the pem crate: the key's PKCS#8, then the certificate's DER.
        let blocks = ::pem::parse_many(&combined).unwrap();
        let tags: Vec<&str> = blocks.iter().map(::pem::Pem::tag).collect();
        assert_eq!(tags, ["PRIVATE KEY", "CERTIFICATE"]);
        assert_eq!(blocks[0].contents(), leaf.key().pkcs8_der());
        assert_eq!(blocks[1].contents(), leaf.der());
    }

    #[test]
    fn ocsp_url_and_must_staple_extensions_parse() {
        let ca = Ca::new().unwrap();
        let now = ::time::OffsetDateTime::now_utc();
        let key = KeyPair::from_seed(KeyType::EcdsaP256, crate::Seed(1), "k").unwrap();
        let leaf = LeafParams {
            common_name: "localhost".into(),
            names: vec!["localhost".into()],
            not_before: now,
            not_after: now + ::time::Duration::days(1),
            serial: crate::Seed(1).serial("s"),
            purpose: Purpose::ServerAuth,
            ocsp_url: Some("http://127.0.0.1:1/ocsp".into()),
            must_staple: true,
        }
        .signed_by(key, &ca)
        .unwrap();
        let (_, cert) = X509Certificate::from_der(leaf.der()).unwrap();
        let aia = cert
            .extensions()
            .iter()
            .find_map(|e| match e.parsed_extension() {
                ParsedExtension::AuthorityInfoAccess(aia) => Some(aia.clone()),
                _ => None,
            })
            .expect("an AIA extension");
        assert_eq!(
            aia.accessdescs[0].access_method.to_id_string(),
            "1.3.6.1.5.5.7.48.1"
        );
        assert_eq!(
            aia.accessdescs[0].access_location,
            GeneralName::URI("http://127.0.0.1:1/ocsp")
        );
        let feature = cert
            .extensions()
            .iter()
            .find(|e| e.oid.to_id_string() == "1.3.6.1.5.5.7.1.24")
            .expect("a TLS feature extension");
        assert_eq!(
            feature.value,
            [0x30, 0x03, 0x02, 0x01, 0x05],
            "SEQUENCE {{ INTEGER 5 }}"
        );
    }
}
