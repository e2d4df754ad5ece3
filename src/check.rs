//! `pkigen check`: are the fixtures still what the manifest says (sha256), and will they
//! still behave as generated over the coming days? A valid certificate that expires, or a
//! not-yet-valid one that starts, within the horizon would silently change its cases.

use crate::error::Error;
use crate::manifest::{FileKind, Manifest, manifest_relative};
use ::time::format_description::well_known::Rfc3339;
use ::time::{Duration, OffsetDateTime};
use serde::Serialize;
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
    // A horizon past the last time a certificate can hold is as good as that time.
    let horizon = now
        .checked_add(within)
        .unwrap_or(::time::PrimitiveDateTime::MAX.assume_utc());
    let mut findings = Vec::new();
    for file in &manifest.files {
        let path = manifest_relative(dir, &file.path)?;
        let mut finding = |problem: String| {
            findings.push(Finding {
                path: file.path.clone(),
                problem,
            })
        };
        let bytes = match crate::input::read_bounded_no_symlink(&path) {
            Ok(bytes) => bytes,
            // Not a file pkigen wrote at all (a FIFO, a device): refused, like a bad manifest.
            Err(e) if crate::input::is_not_regular_file(&e) => return Err(Error::io(&path, e)),
            Err(e) => {
                finding(format!("cannot read: {e}"));
                continue;
            }
        };
        if !file.digest_matches(&bytes) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::KeyType;
    use crate::seed::Seed;

    fn generated_at() -> OffsetDateTime {
        OffsetDateTime::parse("2026-01-01T00:00:00Z", &Rfc3339).unwrap()
    }

    fn written(parent: &Path) -> (std::path::PathBuf, Manifest) {
        let scenario = crate::scenario::find("insecure-tls").unwrap();
        let generated =
            crate::scenario::build(&scenario, Seed(5), generated_at(), KeyType::EcdsaP256).unwrap();
        let dir = crate::output::write_scenario(parent, &generated, false).unwrap();
        (dir, generated.manifest)
    }

    #[test]
    fn fresh_fixtures_hold_and_the_horizon_catches_expiry() {
        let parent = tempfile::tempdir().unwrap();
        let (dir, manifest) = written(parent.path());
        let month = Duration::days(30);
        assert_eq!(check(&dir, &manifest, generated_at(), month).unwrap(), []);
        // Nine years and eleven months on, the ten-year leaves expire within the month.
        let later = generated_at() + Duration::days(10 * 365 - 20);
        let findings = check(&dir, &manifest, later, month).unwrap();
        assert!(
            findings
                .iter()
                .any(|f| f.path == "server.pem" && f.problem.contains("expires on")),
            "{findings:?}"
        );
        assert!(
            !findings.iter().any(|f| f.path == "expired.pem"),
            "{findings:?}"
        );
        // Twenty years on, the not-yet-valid leaf is about to start.
        let much_later = generated_at() + Duration::days(20 * 365 - 10);
        let findings = check(&dir, &manifest, much_later, month).unwrap();
        assert!(
            findings.iter().any(|f| f.path == "not-yet-valid.pem"),
            "{findings:?}"
        );
    }

    #[test]
    fn a_horizon_past_the_year_9999_reaches_every_certificate() {
        let parent = tempfile::tempdir().unwrap();
        let (dir, manifest) = written(parent.path());
        let forever = Duration::days(u32::MAX.into());
        let findings = check(&dir, &manifest, generated_at(), forever).unwrap();
        for file in ["server.pem", "not-yet-valid.pem"] {
            assert!(findings.iter().any(|f| f.path == file), "{findings:?}");
        }
    }

    #[test]
    fn a_changed_file_is_named() {
        let parent = tempfile::tempdir().unwrap();
        let (dir, manifest) = written(parent.path());
        std::fs::write(dir.join("ca.pem"), "tampered").unwrap();
        let findings = check(&dir, &manifest, generated_at(), Duration::days(1)).unwrap();
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].path, "ca.pem");
        assert!(findings[0].problem.contains("sha256"));
    }
}
