//! Writing fixtures to disk without damage: a scenario is written into a temporary folder
//! beside its destination and renamed into place, so a reader sees the old set or the new
//! one, never a mix; a folder pkigen did not make is replaced only with `force`; private
//! keys are 0600 from the moment they exist.

use crate::error::Error;
use crate::manifest::{FileKind, MANIFEST_FILE, REPORT_FILE, Report};
use crate::scenario::Generated;
use std::fs::{self, OpenOptions, Permissions};
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Keys: owner read/write only, as `ssh` and OpenSSL expect of private keys.
pub const PRIVATE_MODE: u32 = 0o600;
/// Certificates, CRLs, manifests: readable by anyone, like mkcert's.
pub const PUBLIC_MODE: u32 = 0o644;
/// The mode a fixture of `kind` is written (and zipped) with: 0600 where it holds a key.
pub fn file_mode(kind: FileKind) -> u32 {
    match kind {
        FileKind::PrivateKey | FileKind::KeyAndCertificate => PRIVATE_MODE,
        _ => PUBLIC_MODE,
    }
}

/// The scenario folder: not world-writable.
const FOLDER_MODE: u32 = 0o755;

/// `dir`'s manifest as plain JSON, whatever its schema: enough to tell pkigen's folders
/// (and the files they list) from others, including ones an older pkigen wrote.
fn loose_manifest(dir: &Path) -> Option<serde_json::Value> {
    let bytes = crate::input::read_bounded(&dir.join(MANIFEST_FILE)).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Whether `dir` holds a manifest written by pkigen.
fn is_pkigen_folder(dir: &Path) -> bool {
    loose_manifest(dir)
        .and_then(|json| {
            json.get("generator")?
                .as_str()
                .map(|g| g.starts_with("pkigen "))
        })
        .unwrap_or(false)
}

/// Refuses a `target` that must not be replaced: anything but a folder, always; a folder
/// pkigen did not make, unless `force`.
pub fn refuse_to_replace(target: &Path, force: bool) -> Result<(), Error> {
    refuse_unless_ours(target, force, is_pkigen_folder)
}

/// The one rule for every output folder: anything but a folder is refused; a folder is
/// replaced if `made_by_pkigen` recognises it, or with `force`.
fn refuse_unless_ours(
    target: &Path,
    force: bool,
    made_by_pkigen: fn(&Path) -> bool,
) -> Result<(), Error> {
    if target.symlink_metadata().is_err() {
        return Ok(());
    }
    if !target.is_dir() || target.is_symlink() {
        return Err(Error::NotAFolder {
            path: target.to_path_buf(),
        });
    }
    if !force && !made_by_pkigen(target) {
        return Err(Error::ForeignOutput {
            path: target.to_path_buf(),
        });
    }
    Ok(())
}

/// Writes `generated` to `parent/SCENARIO/` and returns that path.
pub fn write_scenario(parent: &Path, generated: &Generated, force: bool) -> Result<PathBuf, Error> {
    let name = &generated.manifest.scenario;
    refuse_to_replace(&parent.join(name), force)?;
    let mut files: Vec<(&str, &[u8], u32)> = generated
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.bytes.as_slice(), file_mode(f.kind)))
        .collect();
    // The manifest goes last: a folder with a manifest is a complete one.
    let manifest = generated.manifest_json();
    files.push((MANIFEST_FILE, manifest.as_bytes(), PUBLIC_MODE));
    install_folder(parent, name, &files)
}

/// The marker `pkigen docs` leaves in each page folder, so it may replace it next time.
const DOCS_MARKER: &str = ".pkigen-docs";

/// Writes documentation pages to `parent/name/`, replacing a folder only if pkigen made it.
pub fn write_pages(
    parent: &Path,
    name: &str,
    pages: &[(String, String)],
    force: bool,
) -> Result<PathBuf, Error> {
    refuse_unless_ours(&parent.join(name), force, |dir| {
        dir.join(DOCS_MARKER).exists()
    })?;
    let mut files: Vec<(&str, &[u8], u32)> = pages
        .iter()
        .map(|(file, text)| (file.as_str(), text.as_bytes(), PUBLIC_MODE))
        .collect();
    files.push((DOCS_MARKER, b"made by pkigen docs\n", PUBLIC_MODE));
    install_folder(parent, name, &files)
}

/// Writes `files` into a fresh folder beside `parent/name` and swaps it into place in one
/// atomic step (`renameat2(RENAME_EXCHANGE)`), so a reader — or a `kill -9` at any moment —
/// sees the old set or the new one, never a mix and never nothing. What the old folder
/// holds that pkigen did not write (anything its manifest does not list) moves over
/// untouched: `--force` replaces only pkigen's own files.
fn install_folder(
    parent: &Path,
    name: &str,
    files: &[(&str, &[u8], u32)],
) -> Result<PathBuf, Error> {
    let target = parent.join(name);
    fs::create_dir_all(parent).map_err(|e| Error::unwritable(parent, e))?;
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.pkigen-new-"))
        .tempdir_in(parent)
        .map_err(|e| Error::unwritable(parent, e))?;
    for (path, bytes, mode) in files {
        write_file(&staging.path().join(path), bytes, *mode)?;
    }
    if target.is_dir() {
        keep_foreign_entries(&target, staging.path(), files)?;
    }
    fs::set_permissions(staging.path(), Permissions::from_mode(FOLDER_MODE))
        .map_err(|e| Error::io(staging.path(), e))?;

    if target.exists() {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        renameat_with(CWD, staging.path(), CWD, &target, RenameFlags::EXCHANGE)
            .map_err(|e| Error::io(&target, e.into()))?;
        // `staging` now holds the old folder; dropping it removes it.
        drop(staging);
    } else {
        let staging = staging.keep();
        fs::rename(&staging, &target).map_err(|e| Error::io(&target, e))?;
    }
    Ok(target)
}

/// Hard-links into `staging` every entry of `old` that pkigen neither writes now nor listed
/// in `old`'s manifest: files someone else put there survive a `--force`.
fn keep_foreign_entries(
    old: &Path,
    staging: &Path,
    files: &[(&str, &[u8], u32)],
) -> Result<(), Error> {
    // Read loosely: a manifest of another schema still says which files pkigen wrote.
    let listed: std::collections::HashSet<String> = loose_manifest(old)
        .and_then(|json| {
            let files = json.get("files")?.as_array()?.iter();
            Some(
                files
                    .filter_map(|f| Some(f.get("path")?.as_str()?.to_string()))
                    .collect(),
            )
        })
        .unwrap_or_default();
    let written: std::collections::HashSet<&str> = files.iter().map(|(path, _, _)| *path).collect();
    for entry in fs::read_dir(old).map_err(|e| Error::io(old, e))? {
        let entry = entry.map_err(|e| Error::io(old, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = listed.contains(&name)
            || [MANIFEST_FILE, REPORT_FILE, DOCS_MARKER].contains(&name.as_str());
        if ours || written.contains(name.as_str()) {
            continue;
        }
        let from = entry.path();
        link_or_copy(&from, &staging.join(&name)).map_err(|e| Error::io(&from, e))?;
    }
    Ok(())
}

/// `from` at `to`: a file (or symbolic link) hard-linked, or copied where that fails; a
/// folder rebuilt entry by entry.
fn link_or_copy(from: &Path, to: &Path) -> std::io::Result<()> {
    if !fs::symlink_metadata(from)?.is_dir() {
        return fs::hard_link(from, to).or_else(|_| fs::copy(from, to).map(|_| ()));
    }
    fs::create_dir(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        link_or_copy(&entry.path(), &to.join(entry.file_name()))?;
    }
    Ok(())
}

/// Writes `report.json` beside the manifest, replacing any earlier report in one rename.
pub fn write_report(dir: &Path, report: &Report) -> Result<(), Error> {
    let json = crate::manifest::json_text(report);
    let mut staged = tempfile::Builder::new()
        .prefix(".report.json.")
        .tempfile_in(dir)
        .map_err(|e| Error::unwritable(dir, e))?;
    staged
        .write_all(json.as_bytes())
        .map_err(|e| Error::io(staged.path(), e))?;
    staged
        .as_file()
        .set_permissions(Permissions::from_mode(PUBLIC_MODE))
        .map_err(|e| Error::io(staged.path(), e))?;
    let target = dir.join(REPORT_FILE);
    staged
        .persist(&target)
        .map_err(|e| Error::io(&target, e.error))?;
    Ok(())
}

fn write_file(path: &Path, bytes: &[u8], mode: u32) -> Result<(), Error> {
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    file.write_all(bytes).map_err(|e| Error::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::KeyType;
    use crate::seed::Seed;

    /// A folder an older pkigen wrote (another manifest schema) is still pkigen's: the
    /// files its manifest lists go when it is replaced, and only someone else's stay.
    #[test]
    fn files_listed_by_an_older_schema_are_replaced_and_others_kept() {
        let now = ::time::macros::datetime!(2026-01-01 00:00 UTC);
        let scenario = crate::scenario::find("enable-tls").unwrap();
        let generated =
            crate::scenario::build(&scenario, Seed(1), now, KeyType::EcdsaP256).unwrap();
        let parent = tempfile::tempdir().unwrap();
        let dir = parent.path().join("enable-tls");
        fs::create_dir(&dir).unwrap();
        let old_manifest = serde_json::json!({
            "schema": 0,
            "generator": "pkigen 0.0.1",
            "files": [{"path": "retired.pem"}],
        });
        fs::write(dir.join(MANIFEST_FILE), old_manifest.to_string()).unwrap();
        fs::write(dir.join("retired.pem"), "from the old pkigen").unwrap();
        fs::write(dir.join("notes.txt"), "someone's notes").unwrap();

        write_scenario(parent.path(), &generated, false).unwrap();
        assert!(
            !dir.join("retired.pem").exists(),
            "a file pkigen listed is gone"
        );
        assert_eq!(fs::read(dir.join("notes.txt")).unwrap(), b"someone's notes");
        assert!(dir.join("server.pem").is_file());
    }
}
