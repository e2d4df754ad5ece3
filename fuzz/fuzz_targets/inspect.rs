//! `pkigen inspect` on anything: PEM or DER certificates, chains, keys (and whatever else).
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = pkigen::fixtures::inspect::inspect_bytes(Path::new("fuzz.pem"), data) {
        assert!(!e.to_string().contains('\n'), "a multi-line error: {e}");
    }
});
