//! Signing OCSP responses and building requests. Params in, DER out; the same inputs give
//! the same bytes, because every `KeyPair` signs deterministically.

use super::{CertIdHash, CertStatus, cert_id, to_generalized};
use crate::error::Error;
use crate::pki::ca::Ca;
use crate::pki::keys::{KeyPair, KeyType};
use crate::pki::leaf::Leaf;
use der::asn1::{BitString, Null, ObjectIdentifier};
use der::{Decode, Encode};
use spki::{AlgorithmIdentifierOwned, DynSignatureAlgorithmIdentifier, SignatureBitStringEncoding};
use time::OffsetDateTime;
use x509_cert::Certificate;
use x509_ocsp::builder::{OcspRequestBuilder, OcspResponseBuilder};
use x509_ocsp::{CertId, Request, ResponderId, SingleResponse};

/// What an OCSP response says. Times are written in whole seconds (UTC).
#[derive(Debug, Clone)]
pub struct OcspParams {
    /// What the response says of the leaf: good, revoked (when, and why), or unknown.
    pub status: CertStatus,
    /// After `now`, PyMongo refuses the response as not yet valid.
    pub this_update: OffsetDateTime,
    /// Before `now`, PyMongo refuses the response as stale; `None`: no expiry (and PyMongo
    /// does not cache it).
    pub next_update: Option<OffsetDateTime>,
    /// When the responder signed the response (`producedAt`); the checks here, like
    /// PyMongo's, judge a response by `this_update` and `next_update` instead.
    pub produced_at: OffsetDateTime,
}

/// Who signs a response: the responderID names this certificate's subject (byName), and
/// this key signs, with the algorithm its certificates use (ECDSA P-256 with SHA-256, P-384
/// with SHA-384, Ed25519, RSA PKCS#1 v1.5 with SHA-256).
#[derive(Clone, Copy)]
pub enum Signer<'a> {
    /// The leaf's issuer itself, as a CA answering for its own certificates does.
    Issuer,
    /// A responder certificate the issuer delegated to. A client accepts it only if the
    /// issuer issued it with the OCSPSigning extended key usage, and finds it only among the
    /// response's certificates (`SignerCertificate::Included`).
    Delegate(&'a Leaf),
    /// A CA other than the leaf's issuer, under its own name: not entitled to answer for it.
    OtherCa(&'a Ca),
    /// `named`'s certificate as the responder, signed with `key`, which is not its own: a
    /// forged signature.
    Forged {
        /// The CA the response claims as its signer: its certificate, its name.
        named: &'a Ca,
        /// The key that actually signs, which does not match `named`'s certificate.
        key: &'a KeyPair,
    },
}

impl<'a> Signer<'a> {
    /// The signer's certificate (DER) and the key that signs.
    fn parts(self, issuer: &'a Ca) -> (&'a [u8], &'a KeyPair) {
        match self {
            Signer::Issuer => (issuer.der(), issuer.key()),
            Signer::Delegate(responder) => (responder.der(), responder.key()),
            Signer::OtherCa(ca) => (ca.der(), ca.key()),
            Signer::Forged { named, key } => (named.der(), key),
        }
    }
}

/// Whether a response carries its signer's certificate (in `certs`): a delegate's must be
/// there for a client to find it; an issuer's a client already has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignerCertificate {
    /// The signer's certificate is in the response's `certs`.
    Included,
    /// `certs` is left out: the client must know the signer already.
    Omitted,
}

impl OcspParams {
    /// A successful BasicOCSPResponse about `leaf`, issued by `issuer`, its CertID hashed with
    /// SHA-1 (what OpenSSL and PyMongo send, so the response matches their requests), signed
    /// by `signer`, with the signer's certificate in it or not.
    ///
    /// Nothing checks that the leaf comes from the issuer, nor who signs: broken responses (a
    /// forged signature under the CA's name, a foreign CA, a response about another
    /// certificate) are fixtures too.
    pub fn signed_by(
        &self,
        leaf: &Leaf,
        issuer: &Ca,
        signer: Signer<'_>,
        certificate: SignerCertificate,
    ) -> Result<OcspResponse, Error> {
        let (signer_cert_der, signer_key) = signer.parts(issuer);
        let id = sha1_cert_id(leaf.der(), issuer.der())?;
        let signer_cert = parse_certificate("signer", signer_cert_der)?;
        let status = self.status.to_asn1().map_err(encoding)?;
        let mut single = SingleResponse::new(
            id,
            status,
            to_generalized(self.this_update).map_err(encoding)?,
        );
        if let Some(next_update) = self.next_update {
            single = single.with_next_update(to_generalized(next_update).map_err(encoding)?);
        }
        let responder = ResponderId::ByName(signer_cert.tbs_certificate.subject.clone());
        let certs = (certificate == SignerCertificate::Included).then(|| vec![signer_cert]);
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
    /// The DER `OCSPResponse`: what a server staples, a responder sends, or a file holds.
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
