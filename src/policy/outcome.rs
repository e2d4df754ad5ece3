//! The vocabulary shared by expectations (manifest) and observations (report):
//! what happened to a case, and why. Names are kebab-case, as manifest.json and report.json spell them.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Declares a kebab-case vocabulary enum from one list of `Variant => "name"` pairs, so the
/// serde names, [`as_str`](Reason::as_str) and the `ALL` list of every variant all come from
/// the same lines: a new variant is in `ALL` (and so in every test that walks it) by being
/// declared.
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($(#[$variant_meta:meta])* $variant:ident => $text:literal,)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "kebab-case")]
        pub enum $name {
            $($(#[$variant_meta])* $variant,)+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &[$name] = &[$($name::$variant,)+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }
        }
    };
}

vocabulary! {
    /// What a client did with a case: connected, refused the server, or refused its own options.
    pub enum Outcome {
        Accept => "accept",
        Reject => "reject",
        ConfigError => "config-error",
    }
}

vocabulary! {
    /// Why a case was rejected (or refused as a configuration error).
    pub enum Reason {
        UnknownIssuer => "unknown-issuer",
        HostnameMismatch => "hostname-mismatch",
        Expired => "expired",
        NotYetValid => "not-yet-valid",
        InvalidPurpose => "invalid-purpose",
        Revoked => "revoked",
        CrlExpired => "crl-expired",
        CrlUntrusted => "crl-untrusted",
        OcspRevoked => "ocsp-revoked",
        OcspInvalidResponse => "ocsp-invalid-response",
        OcspMustStaple => "ocsp-must-staple",
        ClientCertRequired => "client-cert-required",
        ClientCertUntrusted => "client-cert-untrusted",
        ProtocolVersion => "protocol-version",
        NoSharedCipher => "no-shared-cipher",
        InvalidOptions => "invalid-options",
        BadPassword => "bad-password",
        KeyMismatch => "key-mismatch",
        UnreadableFile => "unreadable-file",
        /// A failure none of the named reasons describes; the message says what it was.
        Other => "other",
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

    /// `as_str` is written beside serde's `rename_all`, and manifests (serde) and reports
    /// (Display) must agree on every variant, both ways.
    #[test]
    fn serde_names_match_display_names() {
        for reason in Reason::ALL {
            let json = serde_json::to_string(reason).unwrap();
            assert_eq!(json, format!("\"{reason}\""));
            assert_eq!(serde_json::from_str::<Reason>(&json).unwrap(), *reason);
        }
        for outcome in Outcome::ALL {
            let json = serde_json::to_string(outcome).unwrap();
            assert_eq!(json, format!("\"{outcome}\""));
            assert_eq!(serde_json::from_str::<Outcome>(&json).unwrap(), *outcome);
        }
        assert_eq!(Outcome::ConfigError.to_string(), "config-error");
    }
}
