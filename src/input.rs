//! Reading the files pkigen is handed (fixtures, manifests, anything given to `inspect`),
//! with a ceiling: `pkigen inspect /dev/zero` or a runaway file must end in an error, not in
//! memory growing until the machine gives out.

use std::io::{self, Read};
use std::path::Path;

/// The most pkigen reads from one file. Certificates, keys, OCSP responses and manifests
/// are kilobytes; the largest public CRLs are a few tens of megabytes.
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// `std::fs::read`, refusing (with `ErrorKind::FileTooLarge`) anything over
/// [`MAX_INPUT_BYTES`], devices and pipes that never end included.
pub fn read_bounded(path: &Path) -> io::Result<Vec<u8>> {
    let too_large = || {
        io::Error::new(
            io::ErrorKind::FileTooLarge,
            format!(
                "over {} MiB, the most pkigen reads from one file (fixtures, manifests and \
                 templates are far smaller)",
                MAX_INPUT_BYTES >> 20
            ),
        )
    };
    let file = std::fs::File::open(path)?;
    // A regular file's size is known up front; devices and pipes are read up to the ceiling.
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

/// [`read_bounded`] for text: UTF-8 or an `InvalidData` error.
pub fn read_bounded_to_string(path: &Path) -> io::Result<String> {
    String::from_utf8(read_bounded(path)?)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "not UTF-8 text"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_endless_device_is_refused_after_the_ceiling() {
        let e = read_bounded(Path::new("/dev/zero")).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::FileTooLarge);
        assert!(e.to_string().starts_with("over 64 MiB"), "{e}");
    }

    #[test]
    fn a_file_at_the_ceiling_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big");
        std::fs::write(&path, vec![b'x'; MAX_INPUT_BYTES as usize]).unwrap();
        assert_eq!(read_bounded(&path).unwrap().len() as u64, MAX_INPUT_BYTES);
    }
}
