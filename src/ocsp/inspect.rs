//! What an OCSP response holds, for `pkigen inspect`. Nothing is verified here: a forged or
//! stale response is described like any other.

use super::verify::status_name;
use super::{CertIdHash, OCSP_BASIC, from_generalized, oid_name};
use der::{Decode, Encode};
use serde::Serialize;
use x509_cert::name::Name;
use x509_ocsp::{BasicOcspResponse, OcspResponse, OcspResponseStatus, ResponderId};

/// An OCSP response, as `pkigen inspect` shows it. Everything but `response_status` is
/// empty unless the response is successful.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OcspInfo {
    /// RFC 6960 name: `successful`, `malformedRequest`, `internalError`, `tryLater`,
    /// `sigRequired` or `unauthorized`.
    pub response_status: String,
    /// `byName: <subject>` (in the certificates' notation) or `byKey: <SHA-1 hex>`.
    pub responder_id: Option<String>,
    /// When the responder signed the response (`producedAt`), RFC 3339 in UTC.
    pub produced_at: Option<String>,
    /// `ecdsa-with-SHA256`, `sha256WithRSAEncryption`…
    pub signature_algorithm: Option<String>,
    /// The certificates the response answers for, usually one.
    pub responses: Vec<SingleResponseInfo>,
    /// How many certificates the response carries (a delegated responder's, usually).
    pub certificates: usize,
}

/// One SingleResponse: which certificate it is about, and what it says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SingleResponseInfo {
    /// `sha1`, `sha256`, or the OID's name.
    pub hash_algorithm: String,
    /// The CertID's hash of the issuer's subject name (DER), in lowercase hex.
    pub issuer_name_hash: String,
    /// The CertID's hash of the issuer's public key (the BIT STRING's value), in
    /// lowercase hex.
    pub issuer_key_hash: String,
    /// Colon-separated hex, as `inspect` shows certificate serials.
    pub serial: String,
    /// `good`, `revoked` or `unknown`.
    pub status: String,
    /// When the certificate was revoked, RFC 3339 in UTC; only for `revoked`.
    pub revocation_time: Option<String>,
    /// RFC 5280 reason name (`keyCompromise`…), if the response gives one.
    pub revocation_reason: Option<String>,
    /// The time at which the status is known to be correct (`thisUpdate`), RFC 3339 in UTC.
    pub this_update: String,
    /// When newer information will be available (`nextUpdate`), RFC 3339 in UTC; `None`
    /// when the response gives none.
    pub next_update: Option<String>,
}

/// Describes the DER OCSP response `der`; the error says, in one line, why it is not one.
pub fn describe(der: &[u8]) -> Result<OcspInfo, String> {
    let response =
        OcspResponse::from_der(der).map_err(|e| format!("not a DER OCSP response: {e}"))?;
    let mut info = OcspInfo {
        response_status: status_name(response.response_status).into(),
        responder_id: None,
        produced_at: None,
        signature_algorithm: None,
        responses: Vec::new(),
        certificates: 0,
    };
    if response.response_status != OcspResponseStatus::Successful {
        return Ok(info);
    }
    let bytes = response
        .response_bytes
        .ok_or("a successful OCSP response without responseBytes")?;
    if bytes.response_type != OCSP_BASIC {
        return Err(format!(
            "OCSP response type {} is not id-pkix-ocsp-basic",
            bytes.response_type
        ));
    }
    let basic = BasicOcspResponse::from_der(bytes.response.as_bytes())
        .map_err(|e| format!("corrupt BasicOCSPResponse: {e}"))?;
    let data = &basic.tbs_response_data;
    info.responder_id = Some(match &data.responder_id {
        ResponderId::ByName(name) => format!("byName: {}", name_string(name)),
        ResponderId::ByKey(hash) => format!("byKey: {}", hex::encode(hash.as_bytes())),
    });
    info.produced_at = Some(rfc3339(&data.produced_at));
    info.signature_algorithm = Some(oid_name(&basic.signature_algorithm.oid));
    info.certificates = basic.certs.as_ref().map_or(0, Vec::len);
    info.responses = data
        .responses
        .iter()
        .map(|single| {
            let id = &single.cert_id;
            let (status, revocation_time, revocation_reason) = match &single.cert_status {
                x509_ocsp::CertStatus::Good(_) => ("good", None, None),
                x509_ocsp::CertStatus::Revoked(revoked) => (
                    "revoked",
                    Some(rfc3339(&revoked.revocation_time)),
                    revoked
                        .revocation_reason
                        .map(|r| crate::pki::crl::reason_name(r as u8).to_string()),
                ),
                x509_ocsp::CertStatus::Unknown(_) => ("unknown", None, None),
            };
            SingleResponseInfo {
                hash_algorithm: match CertIdHash::from_oid(&id.hash_algorithm.oid) {
                    Some(CertIdHash::Sha1) => "sha1".into(),
                    Some(CertIdHash::Sha256) => "sha256".into(),
                    None => oid_name(&id.hash_algorithm.oid),
                },
                issuer_name_hash: hex::encode(id.issuer_name_hash.as_bytes()),
                issuer_key_hash: hex::encode(id.issuer_key_hash.as_bytes()),
                serial: serial_string(&id.serial_number),
                status: status.into(),
                revocation_time,
                revocation_reason,
                this_update: rfc3339(&single.this_update),
                next_update: single.next_update.as_ref().map(rfc3339),
            }
        })
        .collect();
    Ok(info)
}

/// The name as x509-parser prints it, like the subjects and issuers `inspect` shows.
fn name_string(name: &Name) -> String {
    use x509_parser::prelude::FromDer;
    name.to_der()
        .ok()
        .and_then(|der| {
            x509_parser::x509::X509Name::from_der(&der)
                .ok()
                .map(|(_, n)| n.to_string())
        })
        .unwrap_or_else(|| name.to_string())
}

/// The INTEGER's content octets (a leading zero included) in colon hex: x509-parser's
/// `raw_serial_as_string` form, which `inspect` uses for certificates and CRLs. x509-cert
/// keeps a serial as its signed DER form, so `as_bytes` is exactly those octets.
fn serial_string(serial: &x509_cert::serial_number::SerialNumber) -> String {
    serial
        .as_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

fn rfc3339(t: &x509_ocsp::OcspGeneralizedTime) -> String {
    let t = from_generalized(t);
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| t.to_string())
}
