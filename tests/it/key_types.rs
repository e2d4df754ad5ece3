//! Every key type runs the whole catalogue with validation: the fixtures of each are proven
//! in real handshakes, not only generated.

use crate::cli::assert_every_case_passed;
use crate::determinism::assert_key_type;
use crate::util::{self, NOW};

/// Every key type but the default, ecdsa-p256, whose run with validation is in `cli.rs`.
const KEY_TYPES: [&str; 5] = ["ecdsa-p384", "ed25519", "rsa-2048", "rsa-3072", "rsa-4096"];

#[test]
fn every_key_type_passes_every_case_of_the_catalogue() {
    let out = util::tempdir();
    // Side by side: RSA-4096 key generation is most of the time, and each run is a process of
    // its own.
    std::thread::scope(|scope| {
        for key_type in KEY_TYPES {
            let dir = out.path().join(key_type);
            scope.spawn(move || util::generate(&dir, &["all"], 13, NOW, &["--key-type", key_type]));
        }
    });
    for key_type in KEY_TYPES {
        let dir = out.path().join(key_type);
        let cases = assert_every_case_passed(&dir);
        assert!(cases >= 50, "{key_type}: only {cases} cases");
        for scenario in util::SCENARIOS {
            assert_key_type(&dir.join(scenario).join("server.key.pem"), key_type);
        }
    }
}
