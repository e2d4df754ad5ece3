//! Naming a failed handshake: the TLS library's error, turned into pkigen's reasons.

use crate::policy::Reason;
use crate::tls::handshake::Failure;
use crate::tls::ocsp_rules::OcspFailure;
use rustls::{AlertDescription, CertificateError, PeerIncompatible};

/// Names a failed handshake with pkigen's reasons, from the TLS library's own error.
pub(crate) fn classify(failure: &Failure) -> Reason {
    use rustls::Error as E;
    match failure {
        Failure::Tls(E::InvalidCertificate(e)) => match e {
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => Reason::Expired,
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                Reason::NotYetValid
            }
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                Reason::HostnameMismatch
            }
            // A foreign CA with the real CA's name shows up as a bad signature.
            CertificateError::UnknownIssuer | CertificateError::BadSignature => {
                Reason::UnknownIssuer
            }
            CertificateError::InvalidPurpose | CertificateError::InvalidPurposeContext { .. } => {
                Reason::InvalidPurpose
            }
            CertificateError::Revoked => Reason::Revoked,
            CertificateError::ExpiredRevocationList
            | CertificateError::ExpiredRevocationListContext { .. } => Reason::CrlExpired,
            CertificateError::UnknownRevocationStatus => Reason::CrlUntrusted,
            CertificateError::InvalidOcspResponse => Reason::OcspInvalidResponse,
            CertificateError::Other(other) => other
                .0
                .downcast_ref::<OcspFailure>()
                .map_or(Reason::Other, |failure| failure.reason),
            _ => Reason::Other,
        },
        Failure::Tls(E::PeerIncompatible(e)) => match e {
            PeerIncompatible::NoCipherSuitesInCommon => Reason::NoSharedCipher,
            PeerIncompatible::Tls12NotOffered
            | PeerIncompatible::Tls12NotOfferedOrEnabled
            | PeerIncompatible::ServerDoesNotSupportTls12Or13
            | PeerIncompatible::ServerTlsVersionIsDisabledByOurConfig
            | PeerIncompatible::SupportedVersionsExtensionRequired => Reason::ProtocolVersion,
            _ => Reason::Other,
        },
        Failure::Tls(E::AlertReceived(alert)) => match alert {
            AlertDescription::ProtocolVersion => Reason::ProtocolVersion,
            AlertDescription::HandshakeFailure => Reason::NoSharedCipher,
            AlertDescription::CertificateRequired => Reason::ClientCertRequired,
            AlertDescription::UnknownCA | AlertDescription::BadCertificate => {
                Reason::ClientCertUntrusted
            }
            _ => Reason::Other,
        },
        _ => Reason::Other,
    }
}
