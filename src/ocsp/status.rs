//! What an OCSP response says about a certificate: one vocabulary for the response to sign,
//! what a verified response tells the client, and what a scenario asks for.

use super::{from_generalized, to_generalized};
use crate::pki::crl::RevocationReason;
use time::OffsetDateTime;
use x509_cert::ext::pkix::CrlReason;
use x509_ocsp::RevokedInfo;

/// A certificate's status in a response (RFC 6960 `CertStatus`).
///
/// `Time` is how the revocation time is given: an instant when signing or verifying a
/// response; the scenario catalogue, written before any `--now` is known, gives an offset
/// from it (see `map_time`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertStatus<Time = OffsetDateTime> {
    /// Not revoked, as far as the responder knows.
    Good,
    /// Revoked at `at`, for `reason` if the response names one (PyMongo and OpenSSL only
    /// report it). A response holds whole seconds: signing drops any fraction, so a verified
    /// response gives back `at` to the second.
    Revoked {
        /// When the certificate was revoked (`revocationTime`).
        at: Time,
        /// The RFC 5280 reason (`revocationReason`); `None` leaves it out of the response.
        reason: Option<RevocationReason>,
    },
    /// The responder does not know the certificate; PyMongo lets the connection through.
    Unknown,
}

impl<Time> CertStatus<Time> {
    /// The same status with its revocation time converted: an offset from `--now` made an
    /// instant, for one.
    pub fn map_time<T>(self, convert: impl FnOnce(Time) -> T) -> CertStatus<T> {
        match self {
            CertStatus::Good => CertStatus::Good,
            CertStatus::Revoked { at, reason } => CertStatus::Revoked {
                at: convert(at),
                reason,
            },
            CertStatus::Unknown => CertStatus::Unknown,
        }
    }
}

impl CertStatus {
    /// The status as a response writes it, the revocation time in whole seconds.
    pub(super) fn to_asn1(self) -> Result<x509_ocsp::CertStatus, der::Error> {
        Ok(match self {
            CertStatus::Good => x509_ocsp::CertStatus::good(),
            CertStatus::Revoked { at, reason } => x509_ocsp::CertStatus::revoked(RevokedInfo {
                revocation_time: to_generalized(at)?,
                revocation_reason: reason.map(crl_reason),
            }),
            CertStatus::Unknown => x509_ocsp::CertStatus::unknown(),
        })
    }

    /// The status a response holds.
    pub(super) fn from_asn1(status: &x509_ocsp::CertStatus) -> CertStatus {
        match status {
            x509_ocsp::CertStatus::Good(_) => CertStatus::Good,
            x509_ocsp::CertStatus::Revoked(info) => CertStatus::Revoked {
                at: from_generalized(&info.revocation_time),
                reason: info.revocation_reason.map(revocation_reason),
            },
            x509_ocsp::CertStatus::Unknown(_) => CertStatus::Unknown,
        }
    }
}

fn crl_reason(reason: RevocationReason) -> CrlReason {
    use RevocationReason as R;
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

/// The inverse of `crl_reason`: the two enums name the same ten codes (RFC 5280 §5.3.1).
fn revocation_reason(reason: CrlReason) -> RevocationReason {
    use RevocationReason as R;
    match reason {
        CrlReason::Unspecified => R::Unspecified,
        CrlReason::KeyCompromise => R::KeyCompromise,
        CrlReason::CaCompromise => R::CaCompromise,
        CrlReason::AffiliationChanged => R::AffiliationChanged,
        CrlReason::Superseded => R::Superseded,
        CrlReason::CessationOfOperation => R::CessationOfOperation,
        CrlReason::CertificateHold => R::CertificateHold,
        CrlReason::RemoveFromCRL => R::RemoveFromCrl,
        CrlReason::PrivilegeWithdrawn => R::PrivilegeWithdrawn,
        CrlReason::AaCompromise => R::AaCompromise,
    }
}
