//! manifest.json: parsed, then every path it names resolved inside the fixture folder (or
//! refused), and every case's URI parsed as PyMongo would.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pkigen::manifest::{Manifest, manifest_relative};
use std::path::{Component, Path};

fuzz_target!(|data: &[u8]| {
    let Ok(manifest) = serde_json::from_slice::<Manifest>(data) else {
        return;
    };
    let dir = Path::new("/fixtures");
    let mut paths: Vec<&String> = manifest.files.iter().map(|f| &f.path).collect();
    for case in &manifest.cases {
        let server = &case.server;
        paths.extend([&server.certificate_chain, &server.private_key]);
        paths.extend(server.ocsp_staple.iter().chain(&server.client_ca));
        paths.extend(
            server
                .ocsp_responder
                .iter()
                .flat_map(|r| r.responses.values()),
        );
        let _ = pkigen::policy::TlsPolicy::from_uri(&case.client.uri);
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
