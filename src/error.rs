//! The library's one error type. Every message names the problem and, where there is one,
//! the fix, in a single line: the CLI prints it as it is.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub enum Error {
    /// A scenario name that is not in the catalogue.
    UnknownScenario {
        name: String,
        known: Vec<&'static str>,
    },
    /// A `--key-type` value pkigen does not offer.
    UnknownKeyType {
        name: String,
        known: Vec<&'static str>,
    },
    /// A `--now` (or manifest) time that is not RFC 3339.
    BadTime { value: String, problem: String },
    /// A `--now` at which some fixture time would fall outside what X.509 and TLS can express.
    ClockOutOfRange {
        value: String,
        days_before: i64,
        days_after: i64,
        first: String,
        last: String,
    },
    /// A validation clock before the Unix epoch, where TLS libraries cannot count.
    ClockBeforeEpoch { value: String },
    /// Key generation, encoding or signing failed.
    Crypto(String),
    /// rcgen refused to build a certificate or CRL.
    Certificate(rcgen::Error),
    /// The output folder exists and holds something pkigen did not write.
    ForeignOutput { path: PathBuf },
    /// Something that is not a folder stands where a scenario folder must go.
    NotAFolder { path: PathBuf },
    /// A `--lang` pkigen has no translation for.
    UnknownLanguage(String),
    /// Two scenario folders whose pages `pkigen docs` would write to one file (`first` is
    /// `None` when the page would be the index).
    DuplicatePage {
        page: String,
        first: Option<PathBuf>,
        second: PathBuf,
    },
    /// A documentation template that does not parse or render.
    Template { name: String, problem: String },
    /// `pkigen serve` cannot listen where it was asked to.
    Listen {
        address: String,
        source: std::io::Error,
    },
    /// The output folder cannot be created or written.
    Unwritable {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A scenario folder, zip or report could not be written in full; the caller puts the
    /// previous output back.
    WriteFailed {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Someone else's file in a folder `--force` replaces, which pkigen cannot hard-link into
    /// the new folder (it keeps such files that way, never by copying them).
    Unkeepable {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A file pkigen must write stands in the way, and no pkigen manifest claims it.
    ForeignFile { path: PathBuf },
    /// Another pkigen holds the output folder, and did not let go in time.
    Busy { path: PathBuf, waited_seconds: u64 },
    /// An environment variable pkigen reads holds a value it cannot use.
    BadSetting {
        name: &'static str,
        value: String,
        expected: &'static str,
    },
    /// Reading or writing a file failed.
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A manifest that cannot be read, or one that points outside its folder.
    Manifest { path: PathBuf, problem: String },
    /// An input file (certificate, key, CRL…) that is corrupt or of the wrong type.
    BadFile { path: PathBuf, problem: String },
}

impl Error {
    pub fn io(path: &Path, source: std::io::Error) -> Error {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    pub fn unwritable(path: &Path, source: std::io::Error) -> Error {
        Error::Unwritable {
            path: path.to_path_buf(),
            source,
        }
    }

    pub fn write_failed(path: &Path, source: std::io::Error) -> Error {
        Error::WriteFailed {
            path: path.to_path_buf(),
            source,
        }
    }

    pub fn bad_file(path: &Path, problem: impl Into<String>) -> Error {
        Error::BadFile {
            path: path.to_path_buf(),
            problem: problem.into(),
        }
    }

    pub fn manifest(path: &Path, problem: impl Into<String>) -> Error {
        Error::Manifest {
            path: path.to_path_buf(),
            problem: problem.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::UnknownScenario { name, known } => write!(
                f,
                "unknown scenario '{name}': choose one of {}, or all (see `pkigen list`)",
                known.join(", ")
            ),
            Error::UnknownKeyType { name, known } => write!(
                f,
                "unknown key type '{name}': choose one of {}",
                known.join(", ")
            ),
            Error::BadTime { value, problem } => write!(
                f,
                "invalid time '{value}' ({problem}): give an RFC 3339 time such as 2026-01-01T00:00:00Z"
            ),
            Error::ClockOutOfRange {
                value,
                days_before,
                days_after,
                first,
                last,
            } => write!(
                f,
                "--now {value} is out of range: the fixtures' times span from {days_before} days before it to {days_after} days after it, and certificate times must lie between 1970 and 9999: give a --now between {first} and {last}"
            ),
            Error::ClockBeforeEpoch { value } => write!(
                f,
                "--at {value} is before 1970-01-01T00:00:00Z, where TLS libraries cannot count time: give a later time, or --at generation"
            ),
            Error::Crypto(problem) => write!(f, "cryptographic operation failed: {problem}"),
            Error::Certificate(e) => write!(f, "cannot build certificate: {e}"),
            Error::ForeignOutput { path } => write!(
                f,
                "{} exists and was not made by pkigen (no pkigen manifest.json in it): choose another --out, or pass --force to replace it",
                path.display()
            ),
            Error::NotAFolder { path } => write!(
                f,
                "{} exists and is not a folder: move it away or choose another --out",
                path.display()
            ),
            Error::UnknownLanguage(lang) => write!(
                f,
                "no translation for language '{lang}': choose en, ja, zh or ko"
            ),
            Error::DuplicatePage {
                page,
                first: Some(first),
                second,
            } => write!(
                f,
                "{} and {} both hold a scenario whose page is {page}: give `pkigen docs` a folder holding only one of them (move the other, e.g. a copy, out of it)",
                first.display(),
                second.display()
            ),
            Error::DuplicatePage {
                page,
                first: None,
                second,
            } => write!(
                f,
                "{} holds a scenario whose page would be {page}, the index's name: move that folder out of the one given to `pkigen docs`",
                second.display()
            ),
            Error::Template { name, problem } => {
                write!(
                    f,
                    "template {name}: {problem}: fix the template (see templates/ for the built-in ones)"
                )
            }
            Error::Listen { address, source } => {
                write!(
                    f,
                    "cannot listen on {address}: {source}: choose another --listen address"
                )
            }
            Error::Unwritable { path, source } => write!(
                f,
                "cannot write to {}: {source}: choose a writable folder with --out",
                path.display()
            ),
            Error::WriteFailed { path, source } => write!(
                f,
                "cannot write {}: {source}: {}",
                path.display(),
                write_fix(source)
            ),
            Error::Unkeepable { path, source } => write!(
                f,
                "{} was not written by pkigen, and --force keeps such files by linking them into the new folder, which failed ({source}): move it out of the folder, or choose another --out",
                path.display()
            ),
            Error::ForeignFile { path } => write!(
                f,
                "{} was not written by pkigen, and pkigen writes a file of that name there; --force keeps such files: move it away, or choose another --out",
                path.display()
            ),
            Error::Busy {
                path,
                waited_seconds,
            } => write!(
                f,
                "another pkigen is writing {} (waited {waited_seconds} s): wait for it to finish, or choose another --out",
                path.display()
            ),
            Error::BadSetting {
                name,
                value,
                expected,
            } => write!(
                f,
                "{name}={value:?} is not {expected}: set it to {expected}, or unset it"
            ),
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Manifest { path, problem } => write!(f, "{}: {problem}", path.display()),
            Error::BadFile { path, problem } => write!(f, "{}: {problem}", path.display()),
        }
    }
}

/// What to do about a write that failed with `source`.
fn write_fix(source: &std::io::Error) -> &'static str {
    use std::io::ErrorKind::*;
    match source.kind() {
        StorageFull | QuotaExceeded => {
            "free space on the disk that holds it, or choose another --out"
        }
        FileTooLarge => "raise the file size limit (ulimit -f), or choose another --out",
        PermissionDenied | ReadOnlyFilesystem => "make it writable, or choose another --out",
        ResourceBusy => "unmount what is mounted there, or choose another --out",
        _ => "choose another --out",
    }
}

impl std::error::Error for Error {
    /// The I/O cause is already part of `Display` (one line, one mention); only rcgen's
    /// error is offered as a source.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Certificate(e) => Some(e),
            _ => None,
        }
    }
}

impl From<rcgen::Error> for Error {
    fn from(e: rcgen::Error) -> Self {
        Error::Certificate(e)
    }
}
