//! PyMongo's OCSP rules on the client side, step for step as `pymongo/ocsp_support.py`
//! (`_ocsp_callback`, with `pymongo[ocsp]` installed) applies them after the chain verified:
//!
//! - a stapled response must verify (signer, signature, CertID, this/next update: see
//!   `ocsp::verify_response`) and must not say revoked; `unknown` is accepted;
//! - no staple: a must-staple certificate is refused; with the endpoint check off, accepted;
//!   otherwise each OCSP URL of the certificate is asked in turn: a verified `good` accepts,
//!   a verified `revoked` refuses, and anything else (no answer, an error, `unknown`, a
//!   response that does not verify) moves on — ending in a soft-fail accept.
//!
//! One difference, on purpose: PyMongo does not compare a *stapled* response's CertID with
//! the certificate (it does for fetched ones); pkigen requires the match for both.

use crate::ocsp::{self, CertStatus};
use crate::policy::Reason;
use std::collections::HashMap;
use std::time::Duration;
use time::OffsetDateTime;
use x509_parser::prelude::{FromDer, GeneralName, ParsedExtension, X509Certificate};

/// PyMongo waits at most five seconds for a responder (`_get_ocsp_response`).
pub const FETCH_TIMEOUT: Duration = Duration::from_secs(5);
/// id-pe-tlsfeature (RFC 7633).
const TLS_FEATURE_OID: &str = "1.3.6.1.5.5.7.1.24";
/// The status_request TLS extension, the one feature that means "must staple".
const STATUS_REQUEST: u32 = 5;
/// id-ad-ocsp.
const AD_OCSP_OID: &str = "1.3.6.1.5.5.7.48.1";

/// How the client treats OCSP.
#[derive(Debug, Clone, Default)]
pub struct OcspPolicy {
    /// PyMongo's `check_ocsp_endpoint` (`not tlsDisableOCSPEndpointCheck`).
    pub endpoint_check: bool,
    /// Responder URLs (as the certificate names them) → the URL actually to ask. The
    /// validator runs its responder on a free port and routes the certificate's URL there.
    pub routes: HashMap<String, String>,
    /// How long to wait for each responder before moving on to the next URL
    /// ([`FETCH_TIMEOUT`], as PyMongo).
    pub timeout: Duration,
}

/// Why OCSP refused the server; `reason` is one of the `ocsp-*` reasons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OcspFailure {
    /// What the outcome records: revoked, no staple for a must-staple certificate, a
    /// response that does not verify.
    pub reason: Reason,
    /// What went wrong in words, for the report and the handshake error.
    pub message: String,
}

impl std::fmt::Display for OcspFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "OCSP: {}", self.message)
    }
}

impl std::error::Error for OcspFailure {}

fn failure(reason: Reason, message: impl Into<String>) -> OcspFailure {
    OcspFailure {
        reason,
        message: message.into(),
    }
}

/// What the leaf certificate says about OCSP.
struct OcspFacts {
    must_staple: bool,
    urls: Vec<String>,
}

fn facts(leaf_der: &[u8]) -> Result<OcspFacts, OcspFailure> {
    let (_, cert) = X509Certificate::from_der(leaf_der).map_err(|e| {
        failure(
            Reason::OcspInvalidResponse,
            format!("unparsable peer certificate: {e}"),
        )
    })?;
    let mut facts = OcspFacts {
        must_staple: false,
        urls: Vec::new(),
    };
    for extension in cert.extensions() {
        if extension.oid.to_id_string() == TLS_FEATURE_OID {
            let features = <Vec<u32> as der::Decode>::from_der(extension.value).unwrap_or_default();
            facts.must_staple |= features.contains(&STATUS_REQUEST);
        }
        if let ParsedExtension::AuthorityInfoAccess(aia) = extension.parsed_extension() {
            for description in &aia.accessdescs {
                if description.access_method.to_id_string() == AD_OCSP_OID
                    && let GeneralName::URI(uri) = description.access_location
                {
                    facts.urls.push(uri.to_string());
                }
            }
        }
    }
    Ok(facts)
}

/// Applies PyMongo's OCSP rules to a verified chain's leaf, its issuer (if known) and the
/// server's stapled response (empty: none).
pub fn check(
    leaf_der: &[u8],
    issuer_der: Option<&[u8]>,
    staple: &[u8],
    policy: &OcspPolicy,
    now: OffsetDateTime,
) -> Result<(), OcspFailure> {
    let facts = facts(leaf_der)?;
    let stapled = !staple.is_empty();
    if !stapled && facts.must_staple {
        return Err(failure(
            Reason::OcspMustStaple,
            "the certificate requires a stapled response (TLS Feature status_request) and the server stapled none",
        ));
    }
    if !stapled && (!policy.endpoint_check || facts.urls.is_empty()) {
        return Ok(());
    }
    let issuer =
        issuer_der.ok_or_else(|| failure(Reason::OcspInvalidResponse, "no issuer certificate"))?;
    if !stapled {
        return ask_responders(leaf_der, issuer, &facts.urls, policy, now);
    }
    match ocsp::verify_response(staple, leaf_der, issuer, now) {
        // PyMongo says "invalid status response" for every kind of bad response, so they
        // share one reason; the message tells them apart.
        Err(e) => Err(failure(
            Reason::OcspInvalidResponse,
            format!("invalid status response: {e}"),
        )),
        Ok(CertStatus::Revoked { .. }) => Err(failure(
            Reason::OcspRevoked,
            "the stapled response says the certificate is revoked",
        )),
        Ok(CertStatus::Good | CertStatus::Unknown) => Ok(()),
    }
}

/// No staple: asks each of the certificate's responders in turn (through `policy.routes`).
/// A verified `good` accepts, a verified `revoked` refuses, anything else moves on to the
/// next URL; no definitive answer is a soft-fail accept, as PyMongo.
fn ask_responders(
    leaf_der: &[u8],
    issuer: &[u8],
    urls: &[String],
    policy: &OcspPolicy,
    now: OffsetDateTime,
) -> Result<(), OcspFailure> {
    let request = ocsp::request_der(leaf_der, issuer).map_err(|e| {
        failure(
            Reason::OcspInvalidResponse,
            format!("cannot build an OCSP request: {e}"),
        )
    })?;
    for url in urls {
        let target = policy.routes.get(url).unwrap_or(url);
        let Ok(answer) = ocsp::fetch(target, &request, policy.timeout) else {
            continue;
        };
        match ocsp::verify_response(&answer, leaf_der, issuer, now) {
            Ok(CertStatus::Good) => return Ok(()),
            Ok(CertStatus::Revoked { .. }) => {
                return Err(failure(
                    Reason::OcspRevoked,
                    format!("the responder at {url} says the certificate is revoked"),
                ));
            }
            Ok(CertStatus::Unknown) | Err(_) => continue,
        }
    }
    Ok(())
}
