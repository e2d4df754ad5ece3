//! `pkigen check`: are the fixtures still what the manifest says (sha256), and will they
//! still behave as generated over the coming days? A valid certificate that expires, or a
//! not-yet-valid one that starts, within the horizon would silently change its cases.

use crate::error::Error;
use crate::manifest::{FileKind, Manifest, manifest_relative};
use crate::scenario::hex;
use ::time::format_description::well_known::Rfc3339;
use ::time::{Duration, OffsetDateTime};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::path::Path;
use x509_parser::prelude::{FromDer, X509Certificate};

/// One thing that does not hold, about one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub path: String,
    pub problem: String,
}

/// Checks every file of the manifest in `dir` at `now` against a horizon of `within`.
pub fn check(
    dir: &Path,
    manifest: &Manifest,
    now: OffsetDateTime,
    within: Duration,
) -> Result<Vec<Finding>, Error> {
    let generated_at =
        OffsetDateTime::parse(&manifest.now, &Rfc3339).map_err(|e| Error::BadTime {
            value: manifest.now.clone(),
            problem: format!("manifest 'now': {e}"),
        })?;
    let horizon = now + within;
    let mut findings = Vec::new();
    for file in &manifest.files {
        let path = manifest_relative(dir, &file.path)?;
        let mut finding = |problem: String| {
            findings.push(Finding {
                path: file.path.clone(),
                problem,
            })
        };
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) => {
                finding(format!("cannot read: {e}"));
                continue;
            }
        };
        if hex(&Sha256::digest(&bytes)) != file.sha256 {
            finding("sha256 differs from the manifest: the file changed after generation".into());
            continue;
        }
        if file.kind != FileKind::Certificate {
            continue;
        }
        for block in crate::encoding::parse_pem_blocks(&path, &bytes)? {
            let (_, cert) = X509Certificate::from_der(block.contents())
                .map_err(|e| Error::bad_file(&path, format!("corrupt certificate: {e}")))?;
            let not_before = cert.validity().not_before.to_datetime();
            let not_after = cert.validity().not_after.to_datetime();
            let date = |t: OffsetDateTime| t.date().to_string();
            let valid_when_generated = not_before <= generated_at && generated_at <= not_after;
            if valid_when_generated && not_after < horizon {
                finding(format!(
                    "valid certificate expires on {} (notAfter), inside the {}-day horizon: regenerate the fixtures",
                    date(not_after),
                    within.whole_days()
                ));
            } else if valid_when_generated && now < not_before {
                finding(format!(
                    "valid certificate only starts on {} (notBefore): the clock is behind --now",
                    date(not_before)
                ));
            } else if generated_at < not_before && not_before <= horizon {
                finding(format!(
                    "not-yet-valid certificate becomes valid on {} (notBefore), inside the {}-day horizon: regenerate the fixtures",
                    date(not_before),
                    within.whole_days()
                ));
            }
        }
    }
    Ok(findings)
}
