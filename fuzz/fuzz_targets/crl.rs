//! `pkigen inspect` on CRLs, DER or PEM "X509 CRL": the same entry point as `inspect`,
//! started from a corpus of CRLs so the fuzzer spends its time in the CRL parser.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = pkigen::fixtures::inspect::inspect_bytes(Path::new("fuzz.crl"), data) {
        assert!(!e.to_string().contains('\n'), "a multi-line error: {e}");
    }
});
