//! OCSP: responses signed by a CA or a delegated responder, the request a client POSTs, the
//! checks PyMongo (with `pymongo[ocsp]`) makes on a stapled response, a description for
//! `pkigen inspect`, a loopback responder serving signed responses, and the client fetch
//! that asks one.
//!
//! Building goes through x509-ocsp's builder; checking parses with x509-ocsp / x509-cert and
//! verifies signatures with the rustls provider's algorithms (aws-lc-rs), never with crypto
//! of our own.
//!
//! ```
//! use pkigen::ocsp::{CertStatus, OcspParams, Signer, SignerCertificate, verify_response};
//! let ca = pkigen::Ca::new()?;
//! let leaf = ca.issue(&["localhost"])?;
//! let now = time::OffsetDateTime::now_utc();
//! let response = OcspParams {
//!     status: CertStatus::Good,
//!     this_update: now - time::Duration::hours(1),
//!     next_update: Some(now + time::Duration::days(1)),
//!     produced_at: now - time::Duration::hours(1),
//! }
//! .signed_by(&leaf, &ca, Signer::Issuer, SignerCertificate::Omitted)?;
//! assert_eq!(verify_response(response.der(), leaf.der(), ca.der(), now), Ok(CertStatus::Good));
//! # Ok::<(), pkigen::Error>(())
//! ```

mod build;
#[cfg(feature = "validate")]
mod fetch;
mod http;
mod inspect;
pub mod responder;
mod status;
mod verify;

#[cfg(test)]
mod tests;

pub use build::{OcspParams, OcspResponse, Signer, SignerCertificate, request_der};
#[cfg(feature = "validate")]
pub use fetch::{FetchError, fetch};
pub use inspect::{OcspInfo, SingleResponseInfo, describe};
pub use status::CertStatus;
pub use verify::{ResponseError, verify_response};

use der::asn1::{Null, ObjectIdentifier};
use der::{Decode, Encode, Header, Reader, SliceReader};
use sha1::Digest;
use spki::AlgorithmIdentifierOwned;
use time::{OffsetDateTime, UtcOffset};
use x509_cert::Certificate;
use x509_cert::serial_number::SerialNumber;
use x509_ocsp::{CertId, OcspGeneralizedTime};

const SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");
const SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
/// id-pkix-ocsp-basic, the only response type RFC 6960 defines.
const OCSP_BASIC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1.1");
const EXTENDED_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37");
const OCSP_SIGNING: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.9");

/// The hash algorithms a CertID may use here: SHA-1 is what OpenSSL and PyMongo send
/// (cryptography's `OCSPRequestBuilder.add_certificate(.., SHA1())`); SHA-256 is accepted too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CertIdHash {
    Sha1,
    Sha256,
}

impl CertIdHash {
    fn from_oid(oid: &ObjectIdentifier) -> Option<CertIdHash> {
        match *oid {
            SHA1 => Some(CertIdHash::Sha1),
            SHA256 => Some(CertIdHash::Sha256),
            _ => None,
        }
    }

    fn oid(self) -> ObjectIdentifier {
        match self {
            CertIdHash::Sha1 => SHA1,
            CertIdHash::Sha256 => SHA256,
        }
    }

    fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            CertIdHash::Sha1 => sha1::Sha1::digest(data).to_vec(),
            CertIdHash::Sha256 => sha2::Sha256::digest(data).to_vec(),
        }
    }

    /// A CertID's issuerNameHash: the hash of the issuer's subject, DER-encoded.
    fn name_hash(self, issuer: &Certificate) -> Result<Vec<u8>, der::Error> {
        Ok(self.digest(&issuer.tbs_certificate.subject.to_der()?))
    }

    /// The hash of `cert`'s subjectPublicKey BIT STRING value, without tag, length or
    /// unused-bits byte: a CertID's issuerKeyHash, and a byKey responderID (with SHA-1).
    fn key_hash(self, cert: &Certificate) -> Vec<u8> {
        let key = &cert
            .tbs_certificate
            .subject_public_key_info
            .subject_public_key;
        self.digest(key.raw_bytes())
    }
}

/// The CertID of the certificate numbered `serial` issued by `issuer`: hashes of the issuer's
/// subject DER and of its subjectPublicKey BIT STRING value (RFC 6960 §4.1.1). The hash
/// algorithm carries NULL parameters, as OpenSSL writes them.
pub(crate) fn cert_id(
    hash: CertIdHash,
    issuer: &Certificate,
    serial: SerialNumber,
) -> Result<CertId, der::Error> {
    Ok(CertId {
        hash_algorithm: AlgorithmIdentifierOwned {
            oid: hash.oid(),
            parameters: Some(Null.into()),
        },
        issuer_name_hash: der::asn1::OctetString::new(hash.name_hash(issuer)?)?,
        issuer_key_hash: der::asn1::OctetString::new(hash.key_hash(issuer))?,
        serial_number: serial,
    })
}

/// GeneralizedTime in whole seconds, UTC, as RFC 6960 requires (no fractions).
fn to_generalized(t: OffsetDateTime) -> Result<OcspGeneralizedTime, der::Error> {
    let t = t.to_offset(UtcOffset::UTC);
    let year = u16::try_from(t.year()).map_err(|_| der::Error::from(der::ErrorKind::DateTime))?;
    let datetime = der::DateTime::new(
        year,
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
    )?;
    Ok(OcspGeneralizedTime::from(datetime))
}

fn from_generalized(t: &OcspGeneralizedTime) -> OffsetDateTime {
    OffsetDateTime::UNIX_EPOCH + t.0.to_unix_duration()
}

/// The bytes of the first element of the DER SEQUENCE `seq` (tag and length included): the
/// signed part of a BasicOCSPResponse or certificate, exactly as it was signed.
fn first_element(seq: &[u8]) -> Result<&[u8], der::Error> {
    let mut reader = SliceReader::new(seq)?;
    let header = Header::decode(&mut reader)?;
    header.tag.assert_eq(der::Tag::Sequence)?;
    reader.tlv_bytes()
}

/// An AlgorithmIdentifier's contents without its SEQUENCE header: the form rustls-pki-types'
/// `AlgorithmIdentifier` compares.
fn algorithm_contents(algorithm: &AlgorithmIdentifierOwned) -> Result<Vec<u8>, der::Error> {
    let mut out = algorithm.oid.to_der()?;
    if let Some(parameters) = &algorithm.parameters {
        out.extend(parameters.to_der()?);
    }
    Ok(out)
}

/// An OID's registered name (`ecdsa-with-SHA256`), else its dotted form.
fn oid_name(oid: &ObjectIdentifier) -> String {
    der::oid::db::DB
        .by_oid(oid)
        .map(str::to_string)
        .unwrap_or_else(|| oid.to_string())
}
