//! Signing OCSP responses and building requests. Params in, DER out; the same inputs give
//! the same bytes, because every `KeyPair` signs deterministically.

use super::{CertIdHash, cert_id, to_generalized};
use crate::error::Error;
use crate::pki::keys::{KeyPair, KeyType};
use der::asn1::{BitString, Null, ObjectIdentifier};
use der::{Decode, Encode};
use spki::{AlgorithmIdentifierOwned, DynSignatureAlgorithmIdentifier, SignatureBitStringEncoding};
use time::OffsetDateTime;
use x509_cert::Certificate;
use x509_cert::ext::pkix::CrlReason;
use x509_ocsp::builder::{OcspRequestBuilder, OcspResponseBuilder};
use x509_ocsp::{CertId, Request, ResponderId, RevokedInfo, SingleResponse};

/// What the responder says about the certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertStatus {
    Good,
    /// Revoked at `at` for `reason` (always written: PyMongo and OpenSSL only report it,
    /// but a fixture that names its reason is easier to read).
    Revoked {
        at: OffsetDateTime,
        reason: rcgen::RevocationReason,
    },
    /// The responder does not know the certificate; PyMongo lets the connection through.
    Unknown,
}

/// What an OCSP response says. Times are written in whole seconds (UTC).
#[derive(Debug, Clone)]
pub struct OcspParams {
    pub status: CertStatus,
    /// After `now`, PyMongo refuses the response as not yet valid.
    pub this_update: OffsetDateTime,
    /// Before `now`, PyMongo refuses the response as stale; `None`: no expiry (and PyMongo
    /// does not cache it).
    pub next_update: Option<OffsetDateTime>,
    pub produced_at: OffsetDateTime,
}

impl OcspParams {
    /// A successful BasicOCSPResponse about `leaf_der` (issued by the certificate
    /// `issuer_der`), its CertID hashed with SHA-1 (what OpenSSL and PyMongo send, so the
    /// response matches their requests), responderID byName of `signer_cert_der`'s subject,
    /// signed by `signer_key` with the algorithm its certificates use (ECDSA P-256 with
    /// SHA-256, P-384 with SHA-384, Ed25519, RSA PKCS#1 v1.5 with SHA-256).
    /// `include_signer` puts `signer_cert_der` in the response's certs, which a delegated
    /// responder needs so the client can find it.
    ///
    /// Nothing checks that `signer_key` belongs to `signer_cert_der` or that the leaf comes
    /// from the issuer: broken responses (a forged signature under the CA's name, a response
    /// about another certificate) are fixtures too.
    pub fn sign(
        &self,
        leaf_der: &[u8],
        issuer_der: &[u8],
        signer_cert_der: &[u8],
        signer_key: &KeyPair,
        include_signer: bool,
    ) -> Result<OcspResponse, Error> {
        let id = sha1_cert_id(leaf_der, issuer_der)?;
        let signer_cert = parse_certificate("signer", signer_cert_der)?;
        let status = match self.status {
            CertStatus::Good => x509_ocsp::CertStatus::good(),
            CertStatus::Revoked { at, reason } => x509_ocsp::CertStatus::revoked(RevokedInfo {
                revocation_time: to_generalized(at).map_err(encoding)?,
                revocation_reason: Some(crl_reason(reason)),
            }),
            CertStatus::Unknown => x509_ocsp::CertStatus::unknown(),
        };
        let mut single = SingleResponse::new(
            id,
            status,
            to_generalized(self.this_update).map_err(encoding)?,
        );
        if let Some(next_update) = self.next_update {
            single = single.with_next_update(to_generalized(next_update).map_err(encoding)?);
        }
        let responder = ResponderId::ByName(signer_cert.tbs_certificate.subject.clone());
        let certs = include_signer.then(|| vec![signer_cert]);
        let response = OcspResponseBuilder::new(responder)
            .with_single_response(single)
            .sign::<_, RawSignature>(
                &mut KeySigner(signer_key),
                certs,
                to_generalized(self.produced_at).map_err(encoding)?,
            )
            .map_err(|e| Error::Crypto(format!("cannot sign the OCSP response: {e}")))?;
        Ok(OcspResponse {
            der: response.to_der().map_err(encoding)?,
        })
    }
}

/// A signed OCSP response (`OCSPResponse`, status successful), what a server staples and a
/// responder answers with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OcspResponse {
    der: Vec<u8>,
}

impl OcspResponse {
    pub fn der(&self) -> &[u8] {
        &self.der
    }
}

/// An OCSP request for one certificate (SHA-1 CertID, no nonce), as a client POSTs it:
/// PyMongo builds the same (cryptography's `OCSPRequestBuilder`, SHA-1, no nonce), and its
/// response cache is keyed on the CertID.
pub fn request_der(leaf_der: &[u8], issuer_der: &[u8]) -> Result<Vec<u8>, Error> {
    OcspRequestBuilder::default()
        .with_request(Request {
            req_cert: sha1_cert_id(leaf_der, issuer_der)?,
            single_request_extensions: None,
        })
        .build()
        .to_der()
        .map_err(encoding)
}

/// The SHA-1 CertID of the certificate `leaf_der` issued by `issuer_der`: what OpenSSL and
/// PyMongo put in their requests, and so what responses here are about.
fn sha1_cert_id(leaf_der: &[u8], issuer_der: &[u8]) -> Result<CertId, Error> {
    let leaf = parse_certificate("leaf", leaf_der)?;
    let issuer = parse_certificate("issuer", issuer_der)?;
    cert_id(
        CertIdHash::Sha1,
        &issuer,
        leaf.tbs_certificate.serial_number,
    )
    .map_err(encoding)
}

fn parse_certificate(role: &str, der: &[u8]) -> Result<Certificate, Error> {
    Certificate::from_der(der).map_err(|e| {
        Error::Crypto(format!(
            "the {role} certificate is not valid DER X.509: {e}"
        ))
    })
}

fn encoding(e: der::Error) -> Error {
    Error::Crypto(format!("cannot encode the OCSP structure: {e}"))
}

fn crl_reason(reason: rcgen::RevocationReason) -> CrlReason {
    use rcgen::RevocationReason as R;
    match reason {
        R::Unspecified => CrlReason::Unspecified,
        R::KeyCompromise => CrlReason::KeyCompromise,
        R::CaCompromise => CrlReason::CaCompromise,
        R::AffiliationChanged => CrlReason::AffiliationChanged,
        R::Superseded => CrlReason::Superseded,
        R::CessationOfOperation => CrlReason::CessationOfOperation,
        R::CertificateHold => CrlReason::CertificateHold,
        R::RemoveFromCrl => CrlReason::RemoveFromCRL,
        R::PrivilegeWithdrawn => CrlReason::PrivilegeWithdrawn,
        R::AaCompromise => CrlReason::AaCompromise,
    }
}

/// Lets x509-ocsp's builder sign with our `KeyPair`, whose signatures are deterministic
/// (RFC 6979 for ECDSA), so a response is byte-identical for the same inputs. The builder
/// wants `signature::Signer` plus the algorithm identifier to write next to the signature.
pub(super) struct KeySigner<'a>(pub(super) &'a KeyPair);

/// A signature as the bytes that go into the BIT STRING: DER `Ecdsa-Sig-Value` for ECDSA,
/// raw for Ed25519 and RSA, what `rcgen::SigningKey::sign` returns.
#[derive(Clone)]
pub(super) struct RawSignature(Vec<u8>);

impl SignatureBitStringEncoding for RawSignature {
    fn to_bitstring(&self) -> der::Result<BitString> {
        BitString::from_bytes(&self.0)
    }
}

impl signature::Signer<RawSignature> for KeySigner<'_> {
    fn try_sign(&self, msg: &[u8]) -> Result<RawSignature, signature::Error> {
        self.0
            .sign(msg)
            .map(RawSignature)
            .map_err(|_| signature::Error::new())
    }
}

impl DynSignatureAlgorithmIdentifier for KeySigner<'_> {
    /// The algorithm `KeyPair` signs with, the same rcgen writes in its certificates.
    fn signature_algorithm_identifier(&self) -> spki::Result<AlgorithmIdentifierOwned> {
        let (oid, null_parameters) = match self.0.key_type() {
            KeyType::EcdsaP256 => ("1.2.840.10045.4.3.2", false),
            KeyType::EcdsaP384 => ("1.2.840.10045.4.3.3", false),
            KeyType::Ed25519 => ("1.3.101.112", false),
            // sha256WithRSAEncryption, with the NULL parameters RFC 4055 asks for.
            KeyType::Rsa2048 | KeyType::Rsa3072 | KeyType::Rsa4096 => {
                ("1.2.840.113549.1.1.11", true)
            }
        };
        Ok(AlgorithmIdentifierOwned {
            oid: ObjectIdentifier::new_unwrap(oid),
            parameters: null_parameters.then(|| Null.into()),
        })
    }
}
