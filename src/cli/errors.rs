//! Errors as the command line prints them: the library's message and its cause in one line,
//! then the fix in terms of this command line's flags and commands, which the library does
//! not know about.

use pkigen::Error;
use std::error::Error as _;

/// `error`'s chain in one line, `: `-separated, with a pkigen error anywhere in it told the
/// command-line way (`message`, which already includes that error's own causes).
pub fn one_line(error: &anyhow::Error) -> String {
    let mut parts = Vec::new();
    for cause in error.chain() {
        if let Some(e) = cause.downcast_ref::<Error>() {
            parts.push(message(e));
            break;
        }
        parts.push(cause.to_string());
    }
    parts.join(": ").replace('\n', " ")
}

/// A pkigen error with its cause and the flag or command that fixes it.
pub fn message(error: &Error) -> String {
    let cause = error
        .source()
        .map(|source| format!(": {source}"))
        .unwrap_or_default();
    match error {
        // `all` is the command line's, not a scenario of the registry.
        Error::UnknownScenario { .. } => format!("{error}, or all (see `pkigen list`)"),
        Error::ClockOutOfRange {
            value,
            days_before,
            days_after,
            first,
            last,
        } => format!(
            "--now {value} is out of range: the fixtures' times span from {days_before} days before it to {days_after} days after it, and certificate times must lie between 1970 and 9999: give a --now between {first} and {last}"
        ),
        Error::ClockBeforeEpoch { value } => format!(
            "--at {value} is before 1970-01-01T00:00:00Z, where TLS libraries cannot count time: give a later time, or --at generation"
        ),
        Error::Certificate { source, .. } => format!("cannot build certificate: {source}"),
        Error::ForeignOutput { .. } => {
            format!("{error}: choose another --out, or pass --force to replace it")
        }
        Error::NotAFolder { .. } => format!("{error}: move it away or choose another --out"),
        Error::DuplicatePage { first: Some(_), .. } => format!(
            "{error}: give `pkigen docs` a folder holding only one of them (move the other, e.g. a copy, out of it)"
        ),
        Error::DuplicatePage { first: None, .. } => {
            format!("{error}: move that folder out of the one given to `pkigen docs`")
        }
        Error::Listen { .. } => format!("{error}{cause}: choose another --listen address"),
        Error::Unwritable { .. } => format!("{error}{cause}: choose a writable folder with --out"),
        Error::WriteFailed { source, .. } => format!("{error}{cause}: {}", write_fix(source)),
        Error::Unkeepable { path, source } => format!(
            "{} was not written by pkigen, and --force keeps such files by linking them into the new folder, which failed ({source}): move it out of the folder, or choose another --out",
            path.display()
        ),
        Error::ForeignFile { path } => format!(
            "{} was not written by pkigen, and pkigen writes a file of that name there; --force keeps such files: move it away, or choose another --out",
            path.display()
        ),
        Error::Busy { .. } => format!("{error}: wait for it to finish, or choose another --out"),
        Error::NoManifest { .. } => {
            format!("{error}: generate fixtures first with `pkigen scenario NAME --out DIR`")
        }
        Error::FixtureChanged { .. } => format!(
            "{error}: regenerate the scenario with `pkigen scenario NAME --out PARENT`; `pkigen check` lists every change"
        ),
        Error::NotAReport { .. } => format!("{error}: rerun `pkigen validate` on this folder"),
        // The library's message offers `generation` and `now` as values; here they are --at's.
        Error::BadClockChoice { value, problem } => format!(
            "invalid time '{value}' ({problem}; --at also takes `generation` or `now`): give an RFC 3339 time such as 2026-01-01T00:00:00Z"
        ),
        _ => format!("{error}{cause}"),
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn an_io_error_is_told_once_with_its_cause() {
        let source = std::io::Error::new(std::io::ErrorKind::NotFound, "gone");
        let error = anyhow::Error::from(Error::io(std::path::Path::new("f.pem"), source))
            .context("give a folder made by `pkigen scenario`");
        assert_eq!(
            one_line(&error),
            "give a folder made by `pkigen scenario`: f.pem: gone"
        );
    }

    /// Each error the command line adds a fix to, word for word as users see it.
    #[test]
    fn each_fix_reads_as_before() {
        let path = || PathBuf::from("out/x");
        let io = || std::io::Error::other("cause");
        let cases = [
            (
                Error::UnknownScenario {
                    name: "nope".into(),
                    known: vec!["a", "b"],
                },
                "unknown scenario 'nope': choose one of a, b, or all (see `pkigen list`)",
            ),
            (
                Error::ClockOutOfRange {
                    value: "v".into(),
                    days_before: 1,
                    days_after: 2,
                    first: "f".into(),
                    last: "l".into(),
                },
                "--now v is out of range: the fixtures' times span from 1 days before it to 2 days after it, and certificate times must lie between 1970 and 9999: give a --now between f and l",
            ),
            (
                Error::ClockBeforeEpoch { value: "v".into() },
                "--at v is before 1970-01-01T00:00:00Z, where TLS libraries cannot count time: give a later time, or --at generation",
            ),
            (
                Error::ForeignOutput { path: path() },
                "out/x exists and was not made by pkigen (no pkigen manifest.json in it): choose another --out, or pass --force to replace it",
            ),
            (
                Error::NotAFolder { path: path() },
                "out/x exists and is not a folder: move it away or choose another --out",
            ),
            (
                Error::DuplicatePage {
                    page: "p.md".into(),
                    first: Some(PathBuf::from("a")),
                    second: PathBuf::from("b"),
                },
                "a and b both hold a scenario whose page is p.md: give `pkigen docs` a folder holding only one of them (move the other, e.g. a copy, out of it)",
            ),
            (
                Error::DuplicatePage {
                    page: "index.md".into(),
                    first: None,
                    second: PathBuf::from("b"),
                },
                "b holds a scenario whose page would be index.md, the index's name: move that folder out of the one given to `pkigen docs`",
            ),
            (
                Error::Listen {
                    address: "127.0.0.1:1".into(),
                    source: io(),
                },
                "cannot listen on 127.0.0.1:1: cause: choose another --listen address",
            ),
            (
                Error::unwritable(&path(), io()),
                "cannot write to out/x: cause: choose a writable folder with --out",
            ),
            (
                Error::write_failed(&path(), io()),
                "cannot write out/x: cause: choose another --out",
            ),
            (
                Error::Unkeepable {
                    path: path(),
                    source: io(),
                },
                "out/x was not written by pkigen, and --force keeps such files by linking them into the new folder, which failed (cause): move it out of the folder, or choose another --out",
            ),
            (
                Error::ForeignFile { path: path() },
                "out/x was not written by pkigen, and pkigen writes a file of that name there; --force keeps such files: move it away, or choose another --out",
            ),
            (
                Error::Busy {
                    path: path(),
                    waited_seconds: 3,
                },
                "another pkigen is writing out/x (waited 3 s): wait for it to finish, or choose another --out",
            ),
            (Error::io(&path(), io()), "out/x: cause"),
            (
                Error::NoManifest { path: path() },
                "out/x: no manifest here: generate fixtures first with `pkigen scenario NAME --out DIR`",
            ),
            (
                Error::FixtureChanged { path: path() },
                "out/x: changed since it was generated (sha256 differs from manifest.json): regenerate the scenario with `pkigen scenario NAME --out PARENT`; `pkigen check` lists every change",
            ),
            (
                Error::NotAReport {
                    path: path(),
                    problem: "EOF".into(),
                },
                "out/x: not a pkigen report (EOF): rerun `pkigen validate` on this folder",
            ),
            (
                Error::BadClockChoice {
                    value: "x".into(),
                    problem: "bad".into(),
                },
                "invalid time 'x' (bad; --at also takes `generation` or `now`): give an RFC 3339 time such as 2026-01-01T00:00:00Z",
            ),
        ];
        for (error, expected) in cases {
            assert_eq!(message(&error), expected);
        }
    }

    #[test]
    fn write_failures_end_with_the_fix_for_their_cause() {
        let full = std::io::Error::from(std::io::ErrorKind::StorageFull);
        let error = Error::write_failed(&PathBuf::from("out/x"), full);
        let text = message(&error);
        assert!(text.starts_with("cannot write out/x: "), "{text}");
        assert!(
            text.ends_with(": free space on the disk that holds it, or choose another --out"),
            "{text}"
        );
    }
}
