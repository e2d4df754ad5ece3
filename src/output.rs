//! Writing fixtures to disk without damage. Every scenario of a run is first written (and
//! validated, and zipped) into a temporary folder beside its destination; only when all are
//! written are they, and the zips, swapped in, and until the run commits, each previous
//! folder or zip waits beside its replacement, so a failure puts the whole previous set back,
//! and a reader sees, folder by folder, the old set or the new one, never a mix. One run at a time writes an output folder (an `flock` on it). A
//! folder pkigen did not make is replaced only with `force`, and nothing pkigen did not
//! write is ever deleted. Private keys are 0600 from the moment they exist.

use crate::error::Error;
use crate::manifest::{FileKind, MANIFEST_FILE, REPORT_FILE, Report, SCHEMA};
use crate::scenario::Generated;
use std::collections::HashSet;
use std::fs::{self, OpenOptions, Permissions};
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

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

/// The manifest of `dir` as plain JSON, whatever its schema.
fn loose_manifest(dir: &Path) -> Option<serde_json::Value> {
    let bytes = crate::input::read_bounded(&dir.join(MANIFEST_FILE)).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// The names pkigen may replace or drop in `dir`: what its manifest lists, the manifest and
/// the report — if pkigen wrote that manifest (its `generator` names pkigen and its `schema`
/// is one pkigen has written, read loosely so an older pkigen's folder is still known).
/// `None` for any other folder: then nothing in it is pkigen's.
fn pkigen_claims(dir: &Path) -> Option<HashSet<String>> {
    let json = loose_manifest(dir)?;
    let generator = json.get("generator")?.as_str()?;
    let schema = json.get("schema")?.as_u64()?;
    if !generator.starts_with("pkigen ") || schema > u64::from(SCHEMA) {
        return None;
    }
    let listed = json.get("files")?.as_array()?.iter();
    let mut claims: HashSet<String> = listed
        .filter_map(|f| Some(f.get("path")?.as_str()?.to_string()))
        .collect();
    claims.extend([MANIFEST_FILE.to_string(), REPORT_FILE.to_string()]);
    Some(claims)
}

/// Whether `dir` holds a manifest written by pkigen.
fn is_pkigen_folder(dir: &Path) -> bool {
    pkigen_claims(dir).is_some()
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

/// How long a run waits for another to finish writing the same output folder, unless
/// [`LOCK_WAIT_VARIABLE`] says otherwise: longer than any run takes, short enough that a
/// stuck CI job ends with a message.
const LOCK_WAIT: Duration = Duration::from_secs(300);

/// The environment variable that sets, in whole seconds, how long a run waits for another
/// to finish writing its output folder (0: do not wait).
pub const LOCK_WAIT_VARIABLE: &str = "PKIGEN_LOCK_WAIT";

/// The right to write one output folder (an exclusive `flock` on the folder itself), or to
/// read it (a shared one), held until dropped or until the process ends, however it ends.
/// Parallel runs into one `--out` take turns instead of swapping folders in under each
/// other, readers never see a set mid-swap, and a lock on the folder (rather than a lock
/// file in it) leaves nothing behind.
pub struct OutputLock {
    _folder: fs::File,
}

impl OutputLock {
    /// Creates `out` if needed and locks it for writing; while another run holds it, calls
    /// `on_wait` once and waits, up to [`LOCK_WAIT`] (or [`LOCK_WAIT_VARIABLE`]).
    pub fn acquire(out: &Path, on_wait: impl FnOnce()) -> Result<OutputLock, Error> {
        let wait = lock_wait()?;
        fs::create_dir_all(out).map_err(|e| Error::unwritable(out, e))?;
        let exclusive = rustix::fs::FlockOperation::NonBlockingLockExclusive;
        OutputLock::take(out, exclusive, wait, on_wait)
    }

    /// Locks the existing folder `out` for reading: readers share it, and a run writing it
    /// waits for them as they wait for it (see [`OutputLock::acquire`]).
    pub fn acquire_shared(out: &Path, on_wait: impl FnOnce()) -> Result<OutputLock, Error> {
        let shared = rustix::fs::FlockOperation::NonBlockingLockShared;
        OutputLock::take(out, shared, lock_wait()?, on_wait)
    }

    fn take(
        out: &Path,
        operation: rustix::fs::FlockOperation,
        wait: Duration,
        on_wait: impl FnOnce(),
    ) -> Result<OutputLock, Error> {
        // Only a folder: opening a FIFO given in its place would block.
        let folder = OpenOptions::new()
            .read(true)
            .custom_flags(rustix::fs::OFlags::DIRECTORY.bits() as i32)
            .open(out)
            .map_err(|e| Error::unwritable(out, e))?;
        // A wait too long to add to the clock is no deadline at all: wait as long as it takes.
        let deadline = Instant::now().checked_add(wait);
        let mut on_wait = Some(on_wait);
        loop {
            match rustix::fs::flock(&folder, operation) {
                Err(rustix::io::Errno::WOULDBLOCK) => {}
                // Taken, or not offered by this filesystem (some NFS setups refuse `flock`
                // on a folder): then the run goes ahead, and parallel runs into this folder
                // are not kept apart.
                _ => return Ok(OutputLock { _folder: folder }),
            }
            if deadline.is_some_and(|deadline| Instant::now() >= deadline) {
                return Err(Error::Busy {
                    path: out.to_path_buf(),
                    waited_seconds: wait.as_secs(),
                });
            }
            if let Some(note) = on_wait.take() {
                note();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// The wait [`OutputLock::acquire`] allows: [`LOCK_WAIT_VARIABLE`] if set, else [`LOCK_WAIT`].
fn lock_wait() -> Result<Duration, Error> {
    let value = match std::env::var_os(LOCK_WAIT_VARIABLE) {
        None => return Ok(LOCK_WAIT),
        Some(value) => value.to_string_lossy().into_owned(),
    };
    match value.trim().parse::<u64>() {
        Ok(seconds) => Ok(Duration::from_secs(seconds)),
        Err(_) => Err(Error::BadSetting {
            name: LOCK_WAIT_VARIABLE,
            value,
            expected: "a whole number of seconds",
        }),
    }
}

/// Whether `name` is something pkigen writes only for a moment (a staging folder, a zip or
/// report being written), so that finding it means a run was killed mid-write.
fn is_leftover(name: &str) -> bool {
    name.starts_with('.') && (name.contains(STAGING_MARK) || name.starts_with(ZIP_STAGING_PREFIX))
}

/// What every staging folder's (and staged report's) name contains: `.NAME.pkigen-new-XXXXXX`.
const STAGING_MARK: &str = ".pkigen-new-";
/// How a zip being written is named, beside its destination.
pub(crate) const ZIP_STAGING_PREFIX: &str = ".pkigen-zip-";

/// Removes from `out` what a killed run left there: staging folders (fixtures and keys that
/// were never, or are no longer, in place) and half-written zips. Only with `out`'s lock held:
/// then no other run is using them. Best effort: what cannot be removed waits for the next run.
pub fn remove_leftovers(out: &Path, _held: &OutputLock) {
    let Ok(entries) = fs::read_dir(out) else {
        return;
    };
    for entry in entries.flatten() {
        if !is_leftover(&entry.file_name().to_string_lossy()) {
            continue;
        }
        let path = entry.path();
        let _ = match entry.file_type() {
            Ok(kind) if kind.is_dir() => fs::remove_dir_all(&path),
            _ => fs::remove_file(&path),
        };
    }
}

/// Writes `generated` to `parent/SCENARIO/` at once and returns that path.
pub fn write_scenario(parent: &Path, generated: &Generated, force: bool) -> Result<PathBuf, Error> {
    install(vec![stage_scenario(parent, generated, force)?])?.commit();
    Ok(parent.join(&generated.manifest.scenario))
}

/// Writes `generated` into a staging folder beside `parent/SCENARIO/`, to be swapped in by
/// [`install`]. Refuses what [`refuse_to_replace`] refuses, and a file in the folder that
/// pkigen did not write but would have to replace.
pub fn stage_scenario(parent: &Path, generated: &Generated, force: bool) -> Result<Staged, Error> {
    let name = &generated.manifest.scenario;
    let target = parent.join(name);
    refuse_to_replace(&target, force)?;
    let mut files: Vec<(&str, &[u8], u32)> = generated
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.bytes.as_slice(), file_mode(f.kind)))
        .collect();
    // The manifest goes last: a folder with a manifest is a complete one.
    let manifest = generated.manifest_json();
    files.push((MANIFEST_FILE, manifest.as_bytes(), PUBLIC_MODE));
    // The report is not written now, but pkigen writes it there later.
    let claims = pkigen_claims(&target).unwrap_or_default();
    stage_folder(parent, name, &files, &[REPORT_FILE], &claims)
}

/// The marker `pkigen docs` leaves in each page folder, so it may replace it next time.
const DOCS_MARKER: &str = ".pkigen-docs";

/// Writes documentation pages into a staging folder beside `parent/name/`, to be swapped in
/// by [`install`] (with the other languages', so all change together). Refuses to replace a
/// folder `pkigen docs` did not make, unless `force`.
pub fn stage_pages(
    parent: &Path,
    name: &str,
    pages: &[(String, String)],
    force: bool,
) -> Result<Staged, Error> {
    let target = parent.join(name);
    refuse_unless_ours(&target, force, |dir| dir.join(DOCS_MARKER).exists())?;
    let mut files: Vec<(&str, &[u8], u32)> = pages
        .iter()
        .map(|(file, text)| (file.as_str(), text.as_bytes(), PUBLIC_MODE))
        .collect();
    files.push((DOCS_MARKER, b"made by pkigen docs\n", PUBLIC_MODE));
    // A marked folder's pages are pkigen's to replace; an unmarked one holds none.
    let claims: HashSet<String> = if target.join(DOCS_MARKER).exists() {
        files.iter().map(|(path, _, _)| path.to_string()).collect()
    } else {
        HashSet::new()
    };
    stage_folder(parent, name, &files, &[], &claims)
}

/// A folder written in full beside its destination, not yet in place; removed if dropped.
pub struct Staged {
    folder: tempfile::TempDir,
    target: PathBuf,
}

/// Writes `files` into a fresh folder beside `parent/name`. What the old folder holds that
/// is not in `claims` (the names pkigen may replace or drop there) moves over untouched,
/// unless pkigen writes that name (`files` or `reserved`): then the run is refused, since
/// keeping it would mean overwriting it. A failure names the destination, not the staging
/// folder, and leaves nothing behind.
fn stage_folder(
    parent: &Path,
    name: &str,
    files: &[(&str, &[u8], u32)],
    reserved: &[&str],
    claims: &HashSet<String>,
) -> Result<Staged, Error> {
    let target = parent.join(name);
    let failed = |e| Error::write_failed(&target, e);
    fs::create_dir_all(parent).map_err(|e| Error::unwritable(parent, e))?;
    let folder = tempfile::Builder::new()
        .prefix(&format!(".{name}{STAGING_MARK}"))
        .tempdir_in(parent)
        .map_err(|e| failed(without_temporary_path(e)))?;
    if target.is_dir() {
        let ours: HashSet<&str> = files
            .iter()
            .map(|(path, _, _)| *path)
            .chain(reserved.iter().copied())
            .collect();
        keep_foreign_entries(&target, folder.path(), &ours, claims)?;
    }
    for (path, bytes, mode) in files {
        write_file(&folder.path().join(path), bytes, *mode).map_err(failed)?;
    }
    fs::set_permissions(folder.path(), Permissions::from_mode(FOLDER_MODE)).map_err(failed)?;
    Ok(Staged { folder, target })
}

/// Hard-links into `staging` every entry of `old` that is not in `claims`, refusing one whose
/// name is in `ours` (pkigen would have to overwrite it). pkigen's own leftovers are dropped.
fn keep_foreign_entries(
    old: &Path,
    staging: &Path,
    ours: &HashSet<&str>,
    claims: &HashSet<String>,
) -> Result<(), Error> {
    let failed = |e| Error::write_failed(old, e);
    let mut entries = fs::read_dir(old)
        .and_then(|entries| entries.collect::<Result<Vec<_>, _>>())
        .map_err(failed)?;
    // In name order, so a refusal names the same file every time.
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        // pkigen writes regular files only: a folder, link or FIFO a manifest claims (an
        // edited one can claim anything) is someone else's, and kept like any other.
        let regular = entry.file_type().is_ok_and(|t| t.is_file());
        if (claims.contains(&name) && regular) || is_leftover(&name) {
            continue;
        }
        if ours.contains(name.as_str()) {
            return Err(Error::ForeignFile { path: entry.path() });
        }
        keep_entry(&entry.path(), &staging.join(&name))?;
    }
    Ok(())
}

impl Staged {
    /// The staging folder: the scenario's files, read as they will be once swapped in.
    pub fn path(&self) -> &Path {
        self.folder.path()
    }

    /// The report of cases run in the staging folder as it reads once swapped in: messages
    /// that quote a file's path name it at the destination.
    pub fn report_as_installed(&self, mut report: Report) -> Report {
        let staging = self.path().display().to_string();
        let target = self.target.display().to_string();
        for case in &mut report.cases {
            if case.observed.message.contains(&staging) {
                case.observed.message = case.observed.message.replace(&staging, &target);
            }
        }
        report
    }

    /// Writes `report.json` into the staging folder, so it is swapped in with the fixtures it
    /// describes. A failure names the destination.
    pub fn write_report(&self, report: &Report) -> Result<(), Error> {
        write_report_named(self.path(), &self.target.join(REPORT_FILE), report)
    }
}

/// Staged folders and files swapped into place, each previous one kept beside it (at its
/// staging name) until [`Installed::commit`]. Dropped without `commit` — the run failed
/// during the swaps — it swaps every previous one back: the previous set is whole again.
pub struct Installed {
    swaps: Vec<Swap>,
    committed: bool,
}

/// One folder or file swapped in: `target` holds the new one, `aside` the previous one (if
/// `replaced`; else nothing is there).
struct Swap {
    target: PathBuf,
    aside: PathBuf,
    replaced: bool,
}

/// Swaps every staged folder into place, each in one atomic step (`renameat2` with
/// `RENAME_EXCHANGE`, or `RENAME_NOREPLACE` for a new folder), so a reader — or a `kill -9`
/// at any moment — sees each folder old or new, never a mix and never nothing. If a swap
/// fails, the ones already made are undone.
pub fn install(staged: Vec<Staged>) -> Result<Installed, Error> {
    let mut installed = Installed {
        swaps: Vec::with_capacity(staged.len()),
        committed: false,
    };
    for folder in staged {
        installed.swaps.push(folder.swap_in()?);
    }
    Ok(installed)
}

impl Staged {
    fn swap_in(self) -> Result<Swap, Error> {
        let swap = swap(self.folder.path(), &self.target)?;
        // The staging name now holds the previous folder (or nothing): `Installed` owns it.
        let _ = self.folder.keep();
        Ok(swap)
    }
}

/// Puts `staging` at `target` in one atomic step: exchanged with what is there, or renamed
/// where nothing is.
fn swap(staging: &Path, target: &Path) -> Result<Swap, Error> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    let replaced = target.symlink_metadata().is_ok();
    let flags = if replaced {
        RenameFlags::EXCHANGE
    } else {
        RenameFlags::NOREPLACE
    };
    renameat_with(CWD, staging, CWD, target, flags)
        .map_err(|e| Error::write_failed(target, e.into()))?;
    Ok(Swap {
        aside: staging.to_path_buf(),
        target: target.to_path_buf(),
        replaced,
    })
}

/// Removes a folder with what is in it, or a file.
fn remove_entry(path: &Path) {
    let _ = match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => fs::remove_dir_all(path),
        _ => fs::remove_file(path),
    };
}

impl Installed {
    /// Swaps the file written at `staging` into `target` beside the folders, to be kept or
    /// put back with them. A folder at `target` is refused: only a file is replaced.
    pub(crate) fn swap_in_file(
        &mut self,
        staging: tempfile::TempPath,
        target: &Path,
    ) -> Result<(), Error> {
        if target.symlink_metadata().is_ok_and(|meta| meta.is_dir()) {
            return Err(Error::ForeignFile {
                path: target.to_path_buf(),
            });
        }
        self.swaps.push(swap(&staging, target)?);
        // The staging name now holds the previous file (or nothing): kept until commit.
        let _ = staging.keep();
        Ok(())
    }

    /// Where the new folders are.
    pub fn dirs(&self) -> Vec<PathBuf> {
        self.swaps.iter().map(|s| s.target.clone()).collect()
    }

    /// Keeps the new folders and removes the previous ones.
    pub fn commit(mut self) {
        self.committed = true;
        for swap in &self.swaps {
            if swap.replaced {
                remove_entry(&swap.aside);
            }
        }
    }

    /// Puts every previous folder and file back, newest swap first, and removes the new
    /// ones. Best effort: one that cannot be swapped back stays new, and complete.
    fn roll_back(&mut self) {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        for swap in self.swaps.iter().rev() {
            let flags = if swap.replaced {
                RenameFlags::EXCHANGE
            } else {
                RenameFlags::NOREPLACE
            };
            if renameat_with(CWD, &swap.target, CWD, &swap.aside, flags).is_ok() {
                remove_entry(&swap.aside);
            }
        }
    }
}

impl Drop for Installed {
    fn drop(&mut self) {
        if !self.committed {
            self.roll_back();
        }
    }
}

/// `from` (someone else's, in the folder being replaced) also at `to`, without reading or
/// copying a byte of it: anything but a folder — a file, a symbolic link (the link itself,
/// not what it points to), a FIFO, a socket, a device — hard-linked; a folder made again
/// with its mode, owner and times, and its entries kept the same way. The originals stay
/// where they are until the run commits, so a failure or a kill at any moment loses
/// nothing. What cannot be linked (another filesystem mounted there, a file the kernel's
/// `protected_hardlinks` will not let this user link) is refused, never copied.
fn keep_entry(from: &Path, to: &Path) -> Result<(), Error> {
    use std::os::unix::fs::MetadataExt;
    let unkeepable = |e: std::io::Error| Error::Unkeepable {
        path: from.to_path_buf(),
        source: e,
    };
    let meta = fs::symlink_metadata(from).map_err(unkeepable)?;
    if !meta.is_dir() {
        use rustix::fs::{AtFlags, CWD, linkat};
        // No AT_SYMLINK_FOLLOW: a symbolic link is linked as itself.
        return linkat(CWD, from, CWD, to, AtFlags::empty()).map_err(|e| unkeepable(e.into()));
    }
    let failed = |e| Error::write_failed(from, e);
    fs::create_dir(to).map_err(failed)?;
    for entry in fs::read_dir(from).map_err(unkeepable)? {
        let entry = entry.map_err(unkeepable)?;
        keep_entry(&entry.path(), &to.join(entry.file_name()))?;
    }
    let made = fs::symlink_metadata(to).map_err(failed)?;
    if (made.uid(), made.gid()) != (meta.uid(), meta.gid()) {
        std::os::unix::fs::lchown(to, Some(meta.uid()), Some(meta.gid())).map_err(unkeepable)?;
    }
    let times = fs::FileTimes::new()
        .set_accessed(meta.accessed().map_err(failed)?)
        .set_modified(meta.modified().map_err(failed)?);
    fs::File::open(to)
        .and_then(|folder| folder.set_times(times))
        .map_err(failed)?;
    // Last: a folder without write permission for its owner must be filled first.
    fs::set_permissions(to, Permissions::from_mode(meta.mode() & 0o7777)).map_err(failed)
}

/// Writes `report.json` beside the manifest, replacing any earlier report in one rename.
pub fn write_report(dir: &Path, report: &Report) -> Result<(), Error> {
    write_report_named(dir, &dir.join(REPORT_FILE), report)
}

/// Writes `dir/report.json`; a failure names `shown` (where the report is going).
fn write_report_named(dir: &Path, shown: &Path, report: &Report) -> Result<(), Error> {
    let json = crate::manifest::json_text(report);
    let target = dir.join(REPORT_FILE);
    let failed = |e| Error::write_failed(shown, e);
    let mut staged = tempfile::Builder::new()
        .prefix(&format!(".{REPORT_FILE}{STAGING_MARK}"))
        .tempfile_in(dir)
        .map_err(|e| failed(without_temporary_path(e)))?;
    staged
        .as_file_mut()
        .write_all(json.as_bytes())
        .map_err(failed)?;
    staged
        .as_file()
        .set_permissions(Permissions::from_mode(PUBLIC_MODE))
        .map_err(failed)?;
    staged
        .persist(&target)
        .map_err(|e| failed(without_temporary_path(e.error)))?;
    Ok(())
}

/// The cause of a `tempfile` error, without the temporary path `tempfile` adds to it: pkigen
/// names the destination instead, and the cause's kind says what to do.
pub(crate) fn without_temporary_path(e: std::io::Error) -> std::io::Error {
    if e.raw_os_error().is_none() && e.get_ref().is_some() {
        std::io::Error::from(e.kind())
    } else {
        e
    }
}

fn write_file(path: &Path, bytes: &[u8], mode: u32) -> std::io::Result<()> {
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(path)?;
    file.write_all(bytes)
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
