//! Connection strings, as `pkigen policy` and `validate` parse them (PyMongo's rules).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(uri) = std::str::from_utf8(data) {
        let _ = pkigen::policy::TlsPolicy::from_uri(pkigen::policy::Driver::PyMongo, uri);
    }
});
