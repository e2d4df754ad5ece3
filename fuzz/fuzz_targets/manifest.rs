//! manifest.json: parsed, then every path it names resolved inside the fixture folder (or
//! refused), and every case's URI parsed as PyMongo would.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pkigen::fixtures::manifest::{Manifest, manifest_relative};
use std::path::{Component, Path};

fuzz_target!(|data: &[u8]| {
    let Ok(manifest) = serde_json::from_slice::<Manifest>(data) else {
        return;
    };
    let dir = Path::new("/fixtures");
    let mut paths: Vec<&str> = manifest.files.iter().map(|f| f.path.as_str()).collect();
    for case in &manifest.cases {
        paths.extend(case.files());
        let _ = pkigen::policy::TlsPolicy::from_uri(pkigen::policy::Driver::PyMongo, &case.client.uri);
    }
    for relative in paths {
        if let Ok(path) = manifest_relative(dir, relative) {
            let inside = path
                .strip_prefix(dir)
                .expect("resolved under the fixture folder");
            assert!(
                inside
                    .components()
                    .all(|c| matches!(c, Component::Normal(_))),
                "{relative:?}"
            );
        }
    }
});
