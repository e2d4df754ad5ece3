//! TLS parameters by the names a manifest gives them: what a case's server or client may
//! offer. Reading a manifest checks these names, so they are known without the handshake
//! harness.

use crate::pki::crypto::provider;

/// TLS versions by their manifest names, `"1.2"` and `"1.3"`.
pub(crate) fn versions(
    names: &[String],
) -> Result<Vec<&'static rustls::SupportedProtocolVersion>, String> {
    names
        .iter()
        .map(|name| match name.as_str() {
            "1.2" => Ok(&rustls::version::TLS12),
            "1.3" => Ok(&rustls::version::TLS13),
            other => Err(format!("unsupported TLS version '{other}': use 1.2 or 1.3")),
        })
        .collect()
}

/// Cipher suites by their IANA names (`TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384`).
pub(crate) fn cipher_suites(names: &[String]) -> Result<Vec<rustls::SupportedCipherSuite>, String> {
    names
        .iter()
        .map(|name| {
            provider()
                .cipher_suites
                .iter()
                .find(|suite| suite.suite().as_str() == Some(name.as_str()))
                .copied()
                .ok_or_else(|| format!("unsupported cipher suite '{name}'"))
        })
        .collect()
}
