//! Reading the files pkigen is handed (fixtures, manifests, anything given to `inspect`):
//! regular files only, and with a ceiling. A FIFO would block `open` until a writer comes
//! (forever, in a script), and a device or a runaway file would grow memory until the
//! machine gives out: both must end in an error instead.

use std::fs::{File, FileType, OpenOptions};
use std::io::{self, Read};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;

/// The most pkigen reads from one file. Certificates, keys, OCSP responses and manifests
/// are kilobytes; the largest public CRLs are a few tens of megabytes.
pub(crate) const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// The refusal of something that is not a regular file (a FIFO, a device, a folder…), kept
/// as the `io::Error`'s inner error so callers can tell it from a file that is missing.
#[derive(Debug)]
struct NotRegularFile(&'static str);

impl std::fmt::Display for NotRegularFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}, not a regular file: pkigen reads only regular files; put the content in a file",
            self.0
        )
    }
}

impl std::error::Error for NotRegularFile {}

/// Whether `e` is [`read_bounded`]'s refusal of something that is not a regular file.
pub(crate) fn is_not_regular_file(e: &io::Error) -> bool {
    e.get_ref()
        .is_some_and(|inner| inner.is::<NotRegularFile>())
}

/// `std::fs::read` for regular files only (anything else is refused with
/// `ErrorKind::InvalidInput`, see [`is_not_regular_file`]), refusing (with
/// `ErrorKind::FileTooLarge`) anything over [`MAX_INPUT_BYTES`]. Symbolic links are followed.
pub(crate) fn read_bounded(path: &Path) -> io::Result<Vec<u8>> {
    read_regular(path, false)
}

/// [`read_bounded`], refusing a symbolic link as the last component (`O_NOFOLLOW`): for
/// files a manifest names, which must be the ones pkigen wrote in the folder.
pub(crate) fn read_bounded_no_symlink(path: &Path) -> io::Result<Vec<u8>> {
    read_regular(path, true)
}

fn read_regular(path: &Path, refuse_symlink: bool) -> io::Result<Vec<u8>> {
    let file = open_regular(path, refuse_symlink)?;
    // A regular file's size is known up front; one that grows while read stops at the ceiling.
    if file.metadata()?.len() > MAX_INPUT_BYTES {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    file.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(too_large());
    }
    Ok(bytes)
}

/// Opens `path` for reading if it is a regular file. It is looked at before opening (so a
/// device is never opened), opened with `O_NONBLOCK` (so a FIFO put there in between does
/// not block), and looked at again through the open descriptor (what is actually read).
fn open_regular(path: &Path, refuse_symlink: bool) -> io::Result<File> {
    let before = if refuse_symlink {
        std::fs::symlink_metadata(path)?
    } else {
        std::fs::metadata(path)?
    };
    refuse_unless_regular(before.file_type())?;
    let mut flags = rustix::fs::OFlags::NONBLOCK;
    if refuse_symlink {
        flags |= rustix::fs::OFlags::NOFOLLOW;
    }
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(flags.bits() as i32)
        .open(path)?;
    refuse_unless_regular(file.metadata()?.file_type())?;
    Ok(file)
}

fn refuse_unless_regular(file_type: FileType) -> io::Result<()> {
    if file_type.is_file() {
        return Ok(());
    }
    let what = if file_type.is_fifo() {
        "a FIFO (named pipe)"
    } else if file_type.is_dir() {
        "a folder"
    } else if file_type.is_char_device() || file_type.is_block_device() {
        "a device"
    } else if file_type.is_socket() {
        "a socket"
    } else if file_type.is_symlink() {
        "a symbolic link"
    } else {
        "a special file"
    };
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        NotRegularFile(what),
    ))
}

fn too_large() -> io::Error {
    io::Error::new(
        io::ErrorKind::FileTooLarge,
        format!(
            "over {} MiB, the most pkigen reads from one file (fixtures, manifests and \
             templates are far smaller)",
            MAX_INPUT_BYTES >> 20
        ),
    )
}

/// [`read_bounded`] for text: UTF-8 or an `InvalidData` error.
#[cfg_attr(not(feature = "docs"), allow(dead_code))]
pub(crate) fn read_bounded_to_string(path: &Path) -> io::Result<String> {
    String::from_utf8(read_bounded(path)?)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "not UTF-8 text"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_is_refused_without_being_read() {
        let e = read_bounded(Path::new("/dev/zero")).unwrap_err();
        assert!(is_not_regular_file(&e), "{e}");
        assert!(
            e.to_string().starts_with("a device, not a regular file"),
            "{e}"
        );
    }

    #[test]
    fn a_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let e = read_bounded(dir.path()).unwrap_err();
        assert!(e.to_string().starts_with("a folder"), "{e}");
    }

    #[test]
    fn a_symbolic_link_is_followed_or_refused_as_asked() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("real"), "x").unwrap();
        std::os::unix::fs::symlink("real", dir.path().join("link")).unwrap();
        assert_eq!(read_bounded(&dir.path().join("link")).unwrap(), b"x");
        let e = read_bounded_no_symlink(&dir.path().join("link")).unwrap_err();
        assert!(e.to_string().starts_with("a symbolic link"), "{e}");
    }

    #[test]
    fn a_file_at_the_ceiling_is_read_and_one_over_it_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big");
        std::fs::write(&path, vec![b'x'; MAX_INPUT_BYTES as usize]).unwrap();
        assert_eq!(read_bounded(&path).unwrap().len() as u64, MAX_INPUT_BYTES);
        std::fs::write(&path, vec![b'x'; MAX_INPUT_BYTES as usize + 1]).unwrap();
        let e = read_bounded(&path).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::FileTooLarge);
        assert!(e.to_string().starts_with("over 64 MiB"), "{e}");
    }
}
