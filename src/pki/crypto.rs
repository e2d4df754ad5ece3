//! The process's one rustls crypto provider (aws-lc-rs): handshakes, client identities and
//! OCSP signature checks all use it, and none of them needs the others to get it.

use rustls::crypto::CryptoProvider;
use std::sync::{Arc, OnceLock};

/// The provider, made once and shared by every config and check.
pub(crate) fn provider() -> Arc<CryptoProvider> {
    static PROVIDER: OnceLock<Arc<CryptoProvider>> = OnceLock::new();
    PROVIDER
        .get_or_init(|| Arc::new(rustls::crypto::aws_lc_rs::default_provider()))
        .clone()
}
