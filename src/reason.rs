//! The vocabulary shared by expectations (manifest) and observations (report):
//! what happened to a case, and why. Names are SPEC.md's kebab-case ones.

use serde::{Deserialize, Serialize};
use std::fmt;

/// What a client did with a case: connected, refused the server, or refused its own options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Accept,
    Reject,
    ConfigError,
}

/// Why a case was rejected (or refused as a configuration error).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    UnknownIssuer,
    HostnameMismatch,
    Expired,
    NotYetValid,
    InvalidPurpose,
    Revoked,
    CrlExpired,
    CrlUntrusted,
    OcspRevoked,
    OcspInvalidResponse,
    OcspMustStaple,
    ClientCertRequired,
    ClientCertUntrusted,
    ProtocolVersion,
    NoSharedCipher,
    InvalidOptions,
    BadPassword,
    KeyMismatch,
    UnreadableFile,
    /// A failure none of the named reasons describes; the message says what it was.
    Other,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Accept => "accept",
            Outcome::Reject => "reject",
            Outcome::ConfigError => "config-error",
        }
    }
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::UnknownIssuer => "unknown-issuer",
            Reason::HostnameMismatch => "hostname-mismatch",
            Reason::Expired => "expired",
            Reason::NotYetValid => "not-yet-valid",
            Reason::InvalidPurpose => "invalid-purpose",
            Reason::Revoked => "revoked",
            Reason::CrlExpired => "crl-expired",
            Reason::CrlUntrusted => "crl-untrusted",
            Reason::OcspRevoked => "ocsp-revoked",
            Reason::OcspInvalidResponse => "ocsp-invalid-response",
            Reason::OcspMustStaple => "ocsp-must-staple",
            Reason::ClientCertRequired => "client-cert-required",
            Reason::ClientCertUntrusted => "client-cert-untrusted",
            Reason::ProtocolVersion => "protocol-version",
            Reason::NoSharedCipher => "no-shared-cipher",
            Reason::InvalidOptions => "invalid-options",
            Reason::BadPassword => "bad-password",
            Reason::KeyMismatch => "key-mismatch",
            Reason::UnreadableFile => "unreadable-file",
            Reason::Other => "other",
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_names_match_display_names() {
        // Every variant: `as_str` is written by hand beside serde's `rename_all`, and
        // manifests (serde) and reports (Display) must agree on each one.
        use Reason::*;
        for reason in [
            UnknownIssuer,
            HostnameMismatch,
            Expired,
            NotYetValid,
            InvalidPurpose,
            Revoked,
            CrlExpired,
            CrlUntrusted,
            OcspRevoked,
            OcspInvalidResponse,
            OcspMustStaple,
            ClientCertRequired,
            ClientCertUntrusted,
            ProtocolVersion,
            NoSharedCipher,
            InvalidOptions,
            BadPassword,
            KeyMismatch,
            UnreadableFile,
            Other,
        ] {
            let json = serde_json::to_string(&reason).unwrap();
            assert_eq!(json, format!("\"{reason}\""));
        }
        for outcome in [Outcome::Accept, Outcome::Reject, Outcome::ConfigError] {
            let json = serde_json::to_string(&outcome).unwrap();
            assert_eq!(json, format!("\"{outcome}\""));
        }
        assert_eq!(Outcome::ConfigError.to_string(), "config-error");
    }
}
