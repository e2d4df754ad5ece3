//! OCSP responses: described (`inspect`) and verified (`validate`, `check`) against a fixed
//! leaf and issuer, the `ocsp` scenario's server.pem and ca.pem (seed 1), which the corpus's
//! responses are about.
#![no_main]

use libfuzzer_sys::fuzz_target;
use time::macros::datetime;

const LEAF: &[u8] = include_bytes!("../fixtures/ocsp-leaf.der");
const ISSUER: &[u8] = include_bytes!("../fixtures/ocsp-issuer.der");

fuzz_target!(|data: &[u8]| {
    let _ = pkigen::ocsp::describe(data);
    let _ = pkigen::ocsp::verify_response(data, LEAF, ISSUER, datetime!(2026-01-01 00:00 UTC));
});
