//! Whether a stapled OCSP response can be relied on, by PyMongo's rules.
//!
//! PyMongo 4.20.1 with `pymongo[ocsp]` (pyOpenSSL) checks a staple in `_ocsp_callback`
//! (pymongo/ocsp_support.py):
//! - l.434: `responseStatus` must be successful.
//! - l.436 → `_verify_response` (l.282) → `_verify_response_signature` (l.221):
//!   - l.227: the responder is the issuer when the responderID byName equals the issuer's
//!     subject, or the byKey hash equals the CertID's issuerKeyHash;
//!   - l.236–248 otherwise a delegate: the first certificate in the response whose subject
//!     (or SHA-1 key hash, `_public_key_hash` l.184) matches the responderID and whose issuer
//!     name is the issuer's subject (l.201–218); none: refused;
//!   - l.251: the delegate must carry the OCSPSigning EKU;
//!   - l.255: the delegate's signature must verify with the issuer's key;
//!   - l.264: the response's signature must verify with the responder's key.
//! - l.297: thisUpdate after now: refused; l.303: nextUpdate before now: refused (no
//!   tolerance either way; equal times pass).
//! - l.441: revoked refuses the connection; good and unknown let it through.
//!
//! Differences here, each noted where it happens:
//! - PyMongo never compares the staple's CertID with the server's certificate (only the
//!   responder-fetch path compares the serial, l.341). Here the response must hold a
//!   SingleResponse matching the leaf's serial and issuer hashes, else `NoMatchingCertId`:
//!   so real PyMongo accepts a good staple about another certificate that this refuses.
//! - PyMongo reads the response through cryptography's single-response accessors, which
//!   raise when a response holds several SingleResponses (the callback then fails); here
//!   the first matching one is used.
//! - A byKey responderID is compared with the issuer's SHA-1 key hash computed from its
//!   certificate rather than the CertID's issuerKeyHash (the same bytes for a SHA-1 CertID);
//!   a delegate's key hash is SHA-1 of the BIT STRING value (RFC 6960), where PyMongo hashes
//!   the whole SubjectPublicKeyInfo for keys other than RSA and EC (Ed25519).
//! - A signature verifies only with an algorithm the rustls provider supports for that key
//!   (`UnsupportedAlgorithm` otherwise); PyMongo hands any key to cryptography, and accepts
//!   any signature from an X25519/X448 responder key (l.157).
//! - Neither checks the delegate's validity period or id-pkix-ocsp-nocheck (OpenSSL does
//!   check the delegate's chain).

use super::{
    CertIdHash, CertStatus, EXTENDED_KEY_USAGE, OCSP_BASIC, OCSP_SIGNING, algorithm_contents,
    first_element, from_generalized, oid_name,
};
use der::{Decode, Encode};
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use std::fmt;
use time::OffsetDateTime;
use x509_cert::Certificate;
use x509_cert::ext::pkix::ExtendedKeyUsage;
use x509_ocsp::{BasicOcspResponse, OcspResponse, OcspResponseStatus, ResponderId, SingleResponse};

/// Why a response cannot be relied on. Each maps to reason `ocsp-invalid-response`: PyMongo
/// fails the handshake the same way whichever check failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseError {
    /// Not DER, or not the structure RFC 6960 defines (or a certificate given is not).
    Malformed(String),
    /// `responseStatus` is not successful; holds its name (`tryLater`…).
    Unsuccessful(String),
    /// No SingleResponse names the leaf (serial, issuer name hash and issuer key hash).
    NoMatchingCertId,
    /// The responder is neither the issuer nor a delegate the issuer authorised.
    SignerNotAuthorized(String),
    /// The response's signature does not verify with the responder's key.
    BadSignature,
    /// thisUpdate is after `now`.
    NotYetValid,
    /// nextUpdate is before `now`.
    Expired,
    /// A signature or hash algorithm that cannot be checked.
    UnsupportedAlgorithm(String),
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResponseError::Malformed(problem) => write!(f, "malformed OCSP response: {problem}"),
            ResponseError::Unsuccessful(status) => {
                write!(f, "OCSP response status is {status}, not successful")
            }
            ResponseError::NoMatchingCertId => f.write_str(
                "the OCSP response is about another certificate (no CertID matches the leaf's serial and issuer)",
            ),
            ResponseError::SignerNotAuthorized(why) => {
                write!(f, "OCSP responder not authorised by the issuer: {why}")
            }
            ResponseError::BadSignature => {
                f.write_str("OCSP response signature does not verify with the responder's key")
            }
            ResponseError::NotYetValid => f.write_str("OCSP response thisUpdate is in the future"),
            ResponseError::Expired => f.write_str("OCSP response nextUpdate has passed (stale)"),
            ResponseError::UnsupportedAlgorithm(what) => {
                write!(f, "OCSP response uses an unsupported algorithm: {what}")
            }
        }
    }
}

impl std::error::Error for ResponseError {}

/// PyMongo's rules (see the module comment for the lines and the differences):
/// responseStatus successful; a SingleResponse whose CertID matches the leaf (serial, issuer
/// name hash, issuer key hash; SHA-1 or SHA-256 CertIDs); the signer is the issuer itself (by
/// name or key hash) or a certificate in the response that the issuer signed and that
/// carries the OCSPSigning EKU; the signature is valid; thisUpdate not after `now`;
/// nextUpdate, if present, not before `now`. Then the status that SingleResponse gives,
/// with the revocation time and reason it holds.
pub fn verify_response(
    response_der: &[u8],
    leaf_der: &[u8],
    issuer_der: &[u8],
    now: OffsetDateTime,
) -> Result<CertStatus, ResponseError> {
    let leaf = Certificate::from_der(leaf_der)
        .map_err(|e| ResponseError::Malformed(format!("the leaf certificate: {e}")))?;
    let issuer = Certificate::from_der(issuer_der)
        .map_err(|e| ResponseError::Malformed(format!("the issuer certificate: {e}")))?;
    let response = OcspResponse::from_der(response_der).map_err(malformed)?;
    if response.response_status != OcspResponseStatus::Successful {
        return Err(ResponseError::Unsuccessful(
            status_name(response.response_status).into(),
        ));
    }
    let bytes = response.response_bytes.ok_or_else(|| {
        ResponseError::Malformed("a successful response without responseBytes".into())
    })?;
    if bytes.response_type != OCSP_BASIC {
        return Err(ResponseError::Malformed(format!(
            "response type {} is not id-pkix-ocsp-basic",
            bytes.response_type
        )));
    }
    let basic_der = bytes.response.as_bytes();
    let basic = BasicOcspResponse::from_der(basic_der).map_err(malformed)?;

    let single = matching_single_response(&basic, &leaf, &issuer)?;
    let responder_key = responder_key(&basic, &issuer)?;
    let signature = basic
        .signature
        .as_bytes()
        .ok_or_else(|| ResponseError::Malformed("signature BIT STRING has unused bits".into()))?;
    let signed = first_element(basic_der).map_err(malformed)?;
    if !verify_signature(
        &basic.signature_algorithm,
        &responder_key,
        signed,
        signature,
    )? {
        return Err(ResponseError::BadSignature);
    }

    // pymongo/ocsp_support.py l.297 and l.303: strict comparisons, no tolerance.
    if from_generalized(&single.this_update) > now {
        return Err(ResponseError::NotYetValid);
    }
    if single
        .next_update
        .as_ref()
        .is_some_and(|next| from_generalized(next) < now)
    {
        return Err(ResponseError::Expired);
    }
    Ok(CertStatus::from_asn1(&single.cert_status))
}

fn malformed(e: der::Error) -> ResponseError {
    ResponseError::Malformed(e.to_string())
}

/// RFC 6960's names for OCSPResponseStatus values.
pub(super) fn status_name(status: OcspResponseStatus) -> &'static str {
    match status {
        OcspResponseStatus::Successful => "successful",
        OcspResponseStatus::MalformedRequest => "malformedRequest",
        OcspResponseStatus::InternalError => "internalError",
        OcspResponseStatus::TryLater => "tryLater",
        OcspResponseStatus::SigRequired => "sigRequired",
        OcspResponseStatus::Unauthorized => "unauthorized",
    }
}

/// The first SingleResponse about the leaf. PyMongo does not look (module comment).
fn matching_single_response<'a>(
    basic: &'a BasicOcspResponse,
    leaf: &Certificate,
    issuer: &Certificate,
) -> Result<&'a SingleResponse, ResponseError> {
    let mut unsupported = None;
    for single in &basic.tbs_response_data.responses {
        let id = &single.cert_id;
        let Some(hash) = CertIdHash::from_oid(&id.hash_algorithm.oid) else {
            unsupported = Some(id.hash_algorithm.oid);
            continue;
        };
        if id.serial_number == leaf.tbs_certificate.serial_number
            && id.issuer_name_hash.as_bytes() == hash.name_hash(issuer).map_err(malformed)?
            && id.issuer_key_hash.as_bytes() == hash.key_hash(issuer)
        {
            return Ok(single);
        }
    }
    Err(match unsupported {
        Some(oid) => {
            ResponseError::UnsupportedAlgorithm(format!("CertID hash algorithm {}", oid_name(&oid)))
        }
        None => ResponseError::NoMatchingCertId,
    })
}

/// The key that must have signed the response: the issuer's, or an authorised delegate's
/// (pymongo/ocsp_support.py `_verify_response_signature`, l.221–262).
fn responder_key(
    basic: &BasicOcspResponse,
    issuer: &Certificate,
) -> Result<SubjectPublicKeyInfoOwned, ResponseError> {
    let issuer_tbs = &issuer.tbs_certificate;
    let responder = &basic.tbs_response_data.responder_id;
    let is_issuer = match responder {
        ResponderId::ByName(name) => *name == issuer_tbs.subject,
        // PyMongo compares with the CertID's issuerKeyHash; for the SHA-1 CertIDs it sends
        // and we write, that is this hash.
        ResponderId::ByKey(hash) => hash.as_bytes() == CertIdHash::Sha1.key_hash(issuer),
    };
    if is_issuer {
        return Ok(issuer_tbs.subject_public_key_info.clone());
    }
    let certs = basic.certs.as_deref().unwrap_or_default();
    // PyMongo takes the first candidate by name (or key hash) and issuer name, before any
    // signature check (l.248), and so do we.
    let delegate = certs
        .iter()
        .find(|cert| {
            let tbs = &cert.tbs_certificate;
            tbs.issuer == issuer_tbs.subject
                && match responder {
                    ResponderId::ByName(name) => tbs.subject == *name,
                    ResponderId::ByKey(hash) => hash.as_bytes() == CertIdHash::Sha1.key_hash(cert),
                }
        })
        .ok_or_else(|| {
            ResponseError::SignerNotAuthorized(format!(
                "the responder ({}) is not the issuer, and the response holds no certificate of it issued by {}",
                responder_name(responder),
                issuer_tbs.subject
            ))
        })?;
    if !has_ocsp_signing(delegate)? {
        return Err(ResponseError::SignerNotAuthorized(format!(
            "delegate {} lacks the OCSPSigning extended key usage",
            delegate.tbs_certificate.subject
        )));
    }
    let tbs = delegate.tbs_certificate.to_der().map_err(malformed)?;
    let signature = delegate.signature.as_bytes().ok_or_else(|| {
        ResponseError::Malformed("delegate signature BIT STRING has unused bits".into())
    })?;
    if !verify_signature(
        &delegate.signature_algorithm,
        &issuer_tbs.subject_public_key_info,
        &tbs,
        signature,
    )? {
        return Err(ResponseError::SignerNotAuthorized(format!(
            "delegate {} is named as issued by {} but its signature does not verify with the issuer's key",
            delegate.tbs_certificate.subject, issuer_tbs.subject
        )));
    }
    Ok(delegate.tbs_certificate.subject_public_key_info.clone())
}

fn responder_name(responder: &ResponderId) -> String {
    match responder {
        ResponderId::ByName(name) => name.to_string(),
        ResponderId::ByKey(hash) => format!("key hash {}", hex::encode(hash.as_bytes())),
    }
}

fn has_ocsp_signing(cert: &Certificate) -> Result<bool, ResponseError> {
    let Some(extensions) = &cert.tbs_certificate.extensions else {
        return Ok(false);
    };
    let Some(eku) = extensions.iter().find(|e| e.extn_id == EXTENDED_KEY_USAGE) else {
        return Ok(false);
    };
    let eku = ExtendedKeyUsage::from_der(eku.extn_value.as_bytes())
        .map_err(|e| ResponseError::Malformed(format!("delegate's extended key usage: {e}")))?;
    Ok(eku.0.contains(&OCSP_SIGNING))
}

/// Checks `signature` over `message` with the provider's verification algorithms, those whose
/// signature algorithm identifier is `algorithm` and whose key algorithm is `key`'s.
/// `Ok(false)`: a supported algorithm, and the signature is wrong.
fn verify_signature(
    algorithm: &AlgorithmIdentifierOwned,
    key: &SubjectPublicKeyInfoOwned,
    message: &[u8],
    signature: &[u8],
) -> Result<bool, ResponseError> {
    let signature_id = algorithm_contents(algorithm).map_err(malformed)?;
    let key_id = algorithm_contents(&key.algorithm).map_err(malformed)?;
    let provider = crate::pki::crypto::provider();
    let candidates: Vec<_> = provider
        .signature_verification_algorithms
        .all
        .iter()
        .filter(|alg| {
            alg.signature_alg_id().as_ref() == signature_id.as_slice()
                && alg.public_key_alg_id().as_ref() == key_id.as_slice()
        })
        .collect();
    if candidates.is_empty() {
        let curve = key
            .algorithm
            .parameters
            .as_ref()
            .and_then(|p| p.decode_as::<der::asn1::ObjectIdentifier>().ok())
            .map(|oid| format!(" ({})", oid_name(&oid)))
            .unwrap_or_default();
        return Err(ResponseError::UnsupportedAlgorithm(format!(
            "signature algorithm {} with a {}{curve} key",
            oid_name(&algorithm.oid),
            oid_name(&key.algorithm.oid)
        )));
    }
    let public_key = key.subject_public_key.raw_bytes();
    Ok(candidates
        .iter()
        .any(|alg| alg.verify_signature(public_key, message, signature).is_ok()))
}
