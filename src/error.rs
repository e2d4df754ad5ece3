//! The library's one error type. Each message names what failed, in one line; the cause,
//! where there is one (an I/O error, a certificate encoder's or rustls's refusal), is the
//! error's [`source`](std::error::Error::source), not part of the message. What to do about
//! it in terms of a command line (which flag to pass) is the CLI's to add.

use std::fmt;
use std::path::{Path, PathBuf};

/// Everything that can go wrong in pkigen, with the values that name it.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A scenario name that is not in the catalogue.
    UnknownScenario {
        /// The name asked for.
        name: String,
        /// Every name the registry has.
        known: Vec<&'static str>,
    },
    /// A key type pkigen does not offer.
    UnknownKeyType {
        /// The name asked for.
        name: String,
        /// Every key type's name.
        known: Vec<&'static str>,
    },
    /// A time that is not RFC 3339.
    BadTime {
        /// The text given.
        value: String,
        /// What the parser said.
        problem: String,
    },
    /// A fixture clock at which some fixture time would fall outside what X.509 and TLS can
    /// express.
    ClockOutOfRange {
        /// The clock given.
        value: String,
        /// How far before the clock the earliest fixture time lies.
        days_before: i64,
        /// How far after the clock the latest fixture time lies.
        days_after: i64,
        /// The earliest clock that works.
        first: String,
        /// The latest clock that works.
        last: String,
    },
    /// A validation clock before the Unix epoch, where TLS libraries cannot count.
    ClockBeforeEpoch {
        /// The clock given.
        value: String,
    },
    /// Key generation, encoding or signing failed; the message says which.
    Crypto(String),
    /// A certificate or CRL could not be encoded or signed.
    Certificate {
        /// What was being built, e.g. `certificate 'localhost'`.
        what: String,
        /// Why the encoder refused.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// rustls refused a configuration built from pkigen's certificates and keys.
    TlsConfig {
        /// Which configuration, e.g. `server config for 'localhost'`.
        what: String,
        /// Why rustls refused.
        source: rustls::Error,
    },
    /// The output folder exists and holds something pkigen did not write.
    ForeignOutput {
        /// The folder.
        path: PathBuf,
    },
    /// Something that is not a folder stands where a scenario folder must go.
    NotAFolder {
        /// What stands there.
        path: PathBuf,
    },
    /// A documentation language pkigen has no translation for.
    UnknownLanguage(String),
    /// Two scenario folders whose pages would be written to one file (`first` is `None`
    /// when the page would be the index).
    DuplicatePage {
        /// The page's file name.
        page: String,
        /// The first folder claiming it, if not the index.
        first: Option<PathBuf>,
        /// The second folder claiming it.
        second: PathBuf,
    },
    /// A documentation template that does not parse or render.
    Template {
        /// The template's name.
        name: String,
        /// What the template engine said.
        problem: String,
    },
    /// The OCSP responder or fixture server cannot listen where it was asked to.
    Listen {
        /// The address asked for.
        address: String,
        /// Why binding failed.
        source: std::io::Error,
    },
    /// The output folder cannot be created or written.
    Unwritable {
        /// The folder.
        path: PathBuf,
        /// Why it cannot be written.
        source: std::io::Error,
    },
    /// A scenario folder, zip or report could not be written in full; the caller puts the
    /// previous output back.
    WriteFailed {
        /// The file or folder being written.
        path: PathBuf,
        /// Why writing stopped.
        source: std::io::Error,
    },
    /// Someone else's file in a folder being replaced, which pkigen cannot hard-link into
    /// the new folder (it keeps such files that way, never by copying them).
    Unkeepable {
        /// The file.
        path: PathBuf,
        /// Why linking failed.
        source: std::io::Error,
    },
    /// A file pkigen must write stands in the way, and no pkigen manifest claims it.
    ForeignFile {
        /// The file.
        path: PathBuf,
    },
    /// Another pkigen holds the output folder, and did not let go in time.
    Busy {
        /// The folder.
        path: PathBuf,
        /// How long pkigen waited.
        waited_seconds: u64,
    },
    /// An environment variable pkigen reads holds a value it cannot use.
    BadSetting {
        /// The variable.
        name: &'static str,
        /// Its value.
        value: String,
        /// What it should hold.
        expected: &'static str,
    },
    /// Reading or writing a file failed.
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A manifest that cannot be read, or one that points outside its folder.
    Manifest {
        /// The manifest's folder or file.
        path: PathBuf,
        /// What is wrong with it.
        problem: String,
    },
    /// An input file (certificate, key, CRL…) that is corrupt or of the wrong type.
    BadFile {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        problem: String,
    },
    /// A folder with no manifest: no fixture set was generated there.
    NoManifest {
        /// Where the manifest should be.
        path: PathBuf,
    },
    /// A fixture whose bytes are no longer those its manifest's sha256 records: every
    /// expectation in the manifest is about the generated bytes.
    FixtureChanged {
        /// The fixture.
        path: PathBuf,
    },
    /// A `report.json` that is not the report pkigen writes.
    NotAReport {
        /// The report.
        path: PathBuf,
        /// What the parser said.
        problem: String,
    },
    /// A validation clock that is neither `generation`, `now` nor an RFC 3339 time.
    BadClockChoice {
        /// The text given.
        value: String,
        /// What the RFC 3339 parser said.
        problem: String,
    },
}

impl Error {
    /// Reading or writing `path` failed with `source`.
    pub fn io(path: &Path, source: std::io::Error) -> Error {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// The output folder `path` cannot be created or written.
    pub fn unwritable(path: &Path, source: std::io::Error) -> Error {
        Error::Unwritable {
            path: path.to_path_buf(),
            source,
        }
    }

    /// Writing `path` stopped part-way.
    pub fn write_failed(path: &Path, source: std::io::Error) -> Error {
        Error::WriteFailed {
            path: path.to_path_buf(),
            source,
        }
    }

    /// The input file `path` is corrupt or of the wrong type.
    pub fn bad_file(path: &Path, problem: impl Into<String>) -> Error {
        Error::BadFile {
            path: path.to_path_buf(),
            problem: problem.into(),
        }
    }

    /// The manifest at `path` cannot be used.
    pub fn manifest(path: &Path, problem: impl Into<String>) -> Error {
        Error::Manifest {
            path: path.to_path_buf(),
            problem: problem.into(),
        }
    }

    /// rcgen refused to build `what`; its error is kept as the source, its type private.
    pub(crate) fn certificate(what: impl Into<String>, source: rcgen::Error) -> Error {
        Error::Certificate {
            what: what.into(),
            source: Box::new(source),
        }
    }

    /// rustls refused the configuration `what`.
    pub(crate) fn tls_config(what: impl Into<String>, source: rustls::Error) -> Error {
        Error::TlsConfig {
            what: what.into(),
            source,
        }
    }

    /// The message followed by its causes, `: `-separated, in one line: what a report
    /// records where the library itself turns an error into text.
    #[cfg_attr(not(feature = "validate"), allow(dead_code))]
    pub(crate) fn with_causes(&self) -> String {
        let mut text = self.to_string();
        let mut cause = std::error::Error::source(self);
        while let Some(e) = cause {
            text.push_str(": ");
            text.push_str(&e.to_string());
            cause = e.source();
        }
        text
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::UnknownScenario { name, known } => write!(
                f,
                "unknown scenario '{name}': choose one of {}",
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
                "fixture clock {value} is out of range: the fixtures' times span from {days_before} days before it to {days_after} days after it, and certificate times must lie between 1970 and 9999: give a clock between {first} and {last}"
            ),
            Error::ClockBeforeEpoch { value } => write!(
                f,
                "validation clock {value} is before 1970-01-01T00:00:00Z, where TLS libraries cannot count time"
            ),
            Error::Crypto(problem) => write!(f, "cryptographic operation failed: {problem}"),
            Error::Certificate { what, .. } => write!(f, "cannot build {what}"),
            Error::TlsConfig { what, .. } => write!(f, "rustls refused the {what}"),
            Error::ForeignOutput { path } => write!(
                f,
                "{} exists and was not made by pkigen (no pkigen manifest.json in it)",
                path.display()
            ),
            Error::NotAFolder { path } => {
                write!(f, "{} exists and is not a folder", path.display())
            }
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
                "{} and {} both hold a scenario whose page is {page}",
                first.display(),
                second.display()
            ),
            Error::DuplicatePage {
                page,
                first: None,
                second,
            } => write!(
                f,
                "{} holds a scenario whose page would be {page}, the index's name",
                second.display()
            ),
            Error::Template { name, problem } => {
                write!(
                    f,
                    "template {name}: {problem}: fix the template (see templates/ for the built-in ones)"
                )
            }
            Error::Listen { address, .. } => write!(f, "cannot listen on {address}"),
            Error::Unwritable { path, .. } => write!(f, "cannot write to {}", path.display()),
            Error::WriteFailed { path, .. } => write!(f, "cannot write {}", path.display()),
            Error::Unkeepable { path, .. } => write!(
                f,
                "{} was not written by pkigen, and cannot be linked into the folder that replaces its own",
                path.display()
            ),
            Error::ForeignFile { path } => write!(
                f,
                "{} was not written by pkigen, and pkigen writes a file of that name there",
                path.display()
            ),
            Error::Busy {
                path,
                waited_seconds,
            } => write!(
                f,
                "another pkigen is writing {} (waited {waited_seconds} s)",
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
            Error::Io { path, .. } => write!(f, "{}", path.display()),
            Error::Manifest { path, problem } => write!(f, "{}: {problem}", path.display()),
            Error::BadFile { path, problem } => write!(f, "{}: {problem}", path.display()),
            Error::NoManifest { path } => write!(f, "{}: no manifest here", path.display()),
            Error::FixtureChanged { path } => write!(
                f,
                "{}: changed since it was generated (sha256 differs from manifest.json)",
                path.display()
            ),
            Error::NotAReport { path, problem } => {
                write!(f, "{}: not a pkigen report ({problem})", path.display())
            }
            Error::BadClockChoice { value, problem } => write!(
                f,
                "invalid time '{value}' ({problem}): give `generation`, `now` or an RFC 3339 time such as 2026-01-01T00:00:00Z"
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Certificate { source, .. } => Some(source.as_ref()),
            Error::TlsConfig { source, .. } => Some(source),
            Error::Listen { source, .. }
            | Error::Unwritable { source, .. }
            | Error::WriteFailed { source, .. }
            | Error::Unkeepable { source, .. }
            | Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error as _;

    #[test]
    fn io_errors_name_the_path_and_keep_the_cause_as_source() {
        let cause = std::io::Error::new(std::io::ErrorKind::NotFound, "gone");
        let error = Error::io(Path::new("a/b.pem"), cause);
        assert_eq!(error.to_string(), "a/b.pem");
        assert_eq!(error.source().unwrap().to_string(), "gone");
        assert_eq!(error.with_causes(), "a/b.pem: gone");
    }

    #[test]
    fn messages_carry_no_command_line_flags() {
        let path = PathBuf::from("out");
        let io = || std::io::Error::other("cause");
        for error in [
            Error::ForeignOutput { path: path.clone() },
            Error::NotAFolder { path: path.clone() },
            Error::unwritable(&path, io()),
            Error::write_failed(&path, io()),
            Error::Unkeepable {
                path: path.clone(),
                source: io(),
            },
            Error::ForeignFile { path: path.clone() },
            Error::Busy {
                path: path.clone(),
                waited_seconds: 3,
            },
            Error::ClockBeforeEpoch {
                value: "1969-01-01T00:00:00Z".into(),
            },
            Error::Listen {
                address: "127.0.0.1:1".into(),
                source: io(),
            },
            Error::NoManifest { path: path.clone() },
            Error::FixtureChanged { path: path.clone() },
            Error::NotAReport {
                path: path.clone(),
                problem: "EOF".into(),
            },
            Error::BadClockChoice {
                value: "x".into(),
                problem: "bad".into(),
            },
        ] {
            let message = error.with_causes();
            assert!(!message.contains("--"), "{message}");
            assert!(!message.contains("`pkigen"), "{message}");
        }
    }
}
