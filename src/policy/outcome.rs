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

            /// The kebab-case name manifest.json and report.json use, also the `Display` form.
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
        /// The handshake completed and data went both ways.
        Accept => "accept",
        /// The client (or the server, for a client certificate) refused the handshake.
        Reject => "reject",
        /// The client refused its own options or files before connecting, as a driver
        /// raises at `MongoClient(...)`.
        ConfigError => "config-error",
    }
}

vocabulary! {
    /// Why a case was rejected (or refused as a configuration error).
    pub enum Reason {
        /// The server's chain does not end at a CA the client trusts (or a signature in it
        /// does not verify).
        UnknownIssuer => "unknown-issuer",
        /// The server's certificate does not name the host the client asked for.
        HostnameMismatch => "hostname-mismatch",
        /// A certificate in the chain is past its notAfter.
        Expired => "expired",
        /// A certificate in the chain is before its notBefore.
        NotYetValid => "not-yet-valid",
        /// The server's certificate is not for TLS servers (extended key usage).
        InvalidPurpose => "invalid-purpose",
        /// The client's CRL revokes the server's certificate.
        Revoked => "revoked",
        /// The client's CRL is past its nextUpdate.
        CrlExpired => "crl-expired",
        /// No CRL the client has comes from the server certificate's issuer.
        CrlUntrusted => "crl-untrusted",
        /// An OCSP response, stapled or fetched, says the server's certificate is revoked.
        OcspRevoked => "ocsp-revoked",
        /// A stapled OCSP response does not verify: wrong signer, bad signature, another
        /// certificate's CertID, stale or not yet valid.
        OcspInvalidResponse => "ocsp-invalid-response",
        /// The server's certificate requires a stapled OCSP response and none came.
        OcspMustStaple => "ocsp-must-staple",
        /// The server asks for a client certificate and the client has none.
        ClientCertRequired => "client-cert-required",
        /// The server does not trust the client certificate presented.
        ClientCertUntrusted => "client-cert-untrusted",
        /// Client and server have no TLS version in common.
        ProtocolVersion => "protocol-version",
        /// Client and server have no cipher suite in common.
        NoSharedCipher => "no-shared-cipher",
        /// The driver refuses the connection string or options themselves (conflicting or
        /// invalid TLS options).
        InvalidOptions => "invalid-options",
        /// The client's key file is encrypted and the password is missing or wrong.
        BadPassword => "bad-password",
        /// The client's private key does not belong to its certificate.
        KeyMismatch => "key-mismatch",
        /// A file the options name (CA, key or CRL file) cannot be read or parsed.
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
