//! Zip bundles of generated scenarios (`pkigen scenario --zip`): one file to attach
//! to a CI run or hand to a colleague.
//!
//! A bundle is deterministic, so the same `--seed` and `--now` give a byte-identical zip:
//! entries sorted by name, every entry stamped with the manifest's `now` (the generation clock,
//! not the wall clock; 1980-01-01 00:00:00 if `now` falls outside the zip date range
//! 1980–2107), Deflate at the default level, Unix "made by", and no extra fields.
//! Entries keep the fixture modes (0600 for anything holding a private key, 0644 otherwise),
//! and the zip itself is 0600: it holds private keys too.
//!
//! Fixtures and `manifest.json` are bundled byte for byte. `report.json` is not: its
//! `observed.message`s are the TLS library's words from one run, which quote the wall clock
//! of that run ("verification time … (UNIX)") and the folder it ran in, so two runs never
//! agree on them. The bundled report keeps every outcome, reason and verdict, and replaces
//! each message with [`MESSAGE_NOT_BUNDLED`]; the report beside the fixtures keeps them all.

use crate::error::Error;
use crate::manifest::{MANIFEST_FILE, Manifest, REPORT_FILE, Report, read_verified};
use crate::output::{PRIVATE_MODE, PUBLIC_MODE, file_mode, without_temporary_path};
use std::io::Write;
use std::path::{Path, PathBuf};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, System, ZipArchive, ZipWriter};

/// The archive comment that marks a zip as pkigen's own, so a later run may replace it.
const COMMENT: &str = "pkigen fixtures";
/// The name of the bundle of every scenario (`pkigen scenario all --zip`).
pub use crate::scenario::ALL;

/// What a bundled report says in place of each run-specific message (see the module docs).
const MESSAGE_NOT_BUNDLED: &str =
    "not bundled (it quotes the run's clock and folder): see report.json beside the fixtures";

/// Where the bundle named `name` goes: `OUT/NAME.zip`.
pub fn zip_path(out: &Path, name: &str) -> PathBuf {
    out.join(format!("{name}.zip"))
}

/// Refuses a zip `target` that must not be replaced: anything but a zip pkigen wrote. A
/// zip is one file, so there is nothing of someone else's to keep beside it: even `--force`
/// never overwrites a file pkigen did not write. Called before any generation, so a refused
/// run changes nothing.
pub fn refuse_to_replace(target: &Path) -> Result<(), Error> {
    if target.symlink_metadata().is_err() || is_pkigen_zip(target) {
        return Ok(());
    }
    Err(Error::ForeignFile {
        path: target.to_path_buf(),
    })
}

fn is_pkigen_zip(path: &Path) -> bool {
    if !path.symlink_metadata().is_ok_and(|m| m.is_file()) {
        return false;
    }
    std::fs::File::open(path)
        .ok()
        .and_then(|f| ZipArchive::new(f).ok())
        .is_some_and(|archive| archive.comment() == COMMENT.as_bytes())
}

/// A zip written in full beside its destination, not yet in place; removed if dropped.
pub struct StagedZip {
    file: tempfile::NamedTempFile,
    target: PathBuf,
}

impl StagedZip {
    /// Swaps the zip into place with the folders of `installed`, to be kept or put back with
    /// them, and returns its path.
    pub fn install(self, installed: &mut crate::output::Installed) -> Result<PathBuf, Error> {
        installed.swap_in_file(self.file.into_temp_path(), &self.target)?;
        Ok(self.target)
    }
}

/// Writes the zip of the scenario folder `dir` (its files at the root of the zip) beside
/// `OUT/NAME.zip`, not yet in place: [`StagedZip::install`] puts it there.
pub fn stage_zip(dir: &Path) -> Result<StagedZip, Error> {
    let manifest = Manifest::load(dir)?;
    let out = parent_of(dir);
    let target = zip_path(&out, &manifest.scenario);
    stage(target, entries(dir, &manifest, "")?)
}

/// Writes the zip of every scenario folder of `dirs`, each under `NAME/`, beside
/// `OUT/all.zip` (`OUT` is the folder they are in), not yet in place.
pub fn stage_zip_of_all(out: &Path, dirs: &[PathBuf]) -> Result<StagedZip, Error> {
    let mut all = Vec::new();
    for dir in dirs {
        let manifest = Manifest::load(dir)?;
        let prefix = format!("{}/", manifest.scenario);
        all.extend(entries(dir, &manifest, &prefix)?);
    }
    stage(zip_path(out, ALL), all)
}

/// `OUT` for `OUT/NAME`; `.` for a bare `NAME`.
fn parent_of(dir: &Path) -> PathBuf {
    match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// One file of the bundle, already read.
struct Entry {
    name: String,
    bytes: Vec<u8>,
    mode: u32,
    stamp: DateTime,
}

/// The fixture files, `manifest.json` and (when there is one) `report.json` of one scenario
/// folder. A fixture whose bytes no longer match the manifest's sha256 is refused: the
/// bundle must hold what the manifest describes.
fn entries(dir: &Path, manifest: &Manifest, prefix: &str) -> Result<Vec<Entry>, Error> {
    let stamp = zip_time(&manifest.now);
    let mut entries = Vec::new();
    for file in &manifest.files {
        let (_, bytes) = read_verified(dir, file)?;
        entries.push(Entry {
            name: format!("{prefix}{}", file.path),
            bytes,
            mode: file_mode(file.kind),
            stamp,
        });
    }
    for name in [MANIFEST_FILE, REPORT_FILE] {
        let path = dir.join(name);
        let bytes = match crate::input::read_bounded(&path) {
            Ok(bytes) if name == REPORT_FILE => stable_report(&path, &bytes)?,
            Ok(bytes) => bytes,
            // Only the report may be missing (`--no-validate`); the manifest was just loaded.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && name == REPORT_FILE => continue,
            Err(e) => return Err(Error::io(&path, e)),
        };
        entries.push(Entry {
            name: format!("{prefix}{name}"),
            bytes,
            mode: PUBLIC_MODE,
            stamp,
        });
    }
    Ok(entries)
}

/// The report without its run-specific messages, laid out as `output::write_report` does.
fn stable_report(path: &Path, bytes: &[u8]) -> Result<Vec<u8>, Error> {
    let mut report: Report = serde_json::from_slice(bytes).map_err(|e| {
        Error::bad_file(
            path,
            format!("not a pkigen report ({e}): rerun `pkigen validate` on this folder"),
        )
    })?;
    for case in &mut report.cases {
        case.observed.message = MESSAGE_NOT_BUNDLED.to_string();
    }
    Ok(crate::manifest::json_text(&report).into_bytes())
}

/// The manifest's `now` as a zip (MS-DOS) time; 1980-01-01 00:00:00 when it cannot be one.
fn zip_time(now: &str) -> DateTime {
    OffsetDateTime::parse(now, &Rfc3339)
        .ok()
        .map(|t| t.to_offset(time::UtcOffset::UTC))
        .and_then(|t| {
            DateTime::from_date_and_time(
                u16::try_from(t.year()).ok()?,
                t.month().into(),
                t.day(),
                t.hour(),
                t.minute(),
                t.second(),
            )
            .ok()
        })
        .unwrap_or(DateTime::DEFAULT)
}

/// Writes the zip to a temporary file beside `target` (0600 from creation), to be renamed
/// into place, so a reader never sees half a zip. A failure names `target`.
fn stage(target: PathBuf, mut entries: Vec<Entry>) -> Result<StagedZip, Error> {
    // Sorted by name: the zip's bytes must not depend on the order entries were gathered.
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    let folder = parent_of(&target);
    let failed = |e| Error::write_failed(&target, e);
    let staged = tempfile::Builder::new()
        .prefix(crate::output::ZIP_STAGING_PREFIX)
        .tempfile_in(&folder)
        .map_err(|e| failed(without_temporary_path(e)))?;
    let zip_error = |e: zip::result::ZipError| match e {
        zip::result::ZipError::Io(e) => failed(e),
        e => failed(std::io::Error::other(e)),
    };
    let mut zip = ZipWriter::new(staged.as_file());
    for entry in entries {
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .compression_level(None)
            .last_modified_time(entry.stamp)
            .unix_permissions(entry.mode)
            .system(System::Unix);
        zip.start_file(entry.name.as_str(), options)
            .map_err(zip_error)?;
        zip.write_all(&entry.bytes).map_err(failed)?;
    }
    zip.set_comment(COMMENT).map_err(zip_error)?;
    zip.finish().map_err(zip_error)?;
    // tempfile creates the file 0600 already; say so explicitly, it is the point.
    std::fs::set_permissions(
        staged.path(),
        std::os::unix::fs::PermissionsExt::from_mode(PRIVATE_MODE),
    )
    .map_err(failed)?;
    Ok(StagedZip {
        file: staged,
        target,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zip_time_follows_the_manifest_clock() {
        let t = zip_time("2026-03-04T05:06:07Z");
        assert_eq!(
            (t.year(), t.month(), t.day(), t.hour(), t.minute()),
            (2026, 3, 4, 5, 6)
        );
        // DOS time keeps even seconds only.
        assert_eq!(t.second(), 6);
        assert_eq!(zip_time("1970-01-01T00:00:00Z"), DateTime::DEFAULT);
        assert_eq!(zip_time("not a time"), DateTime::DEFAULT);
    }
}
