//! What pkigen tells people besides its output: notes and a progress line on stderr, and
//! `--quiet`, which silences them and stdout too, for CI logs. Errors are printed by `main`
//! whatever this says: a quiet run that fails still explains why.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};

/// Set once from `--quiet`, before any command runs; a global so every print site obeys it
/// without threading a flag through each command.
static QUIET: AtomicBool = AtomicBool::new(false);

pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

pub fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// A line for people on stderr (the random seed, a server stopping); none under `--quiet`.
pub fn note(line: &str) {
    if !quiet() {
        eprintln!("{line}");
    }
}

/// A single progress line on stderr, rewritten in place and erased when dropped, so it never
/// reaches a log (only a terminal sees it) nor mixes with what follows on stdout.
pub struct Progress {
    shown: bool,
}

impl Progress {
    /// Shows `line` if stderr is a terminal and the run is not quiet.
    pub fn start(line: &str) -> Progress {
        let progress = Progress {
            shown: !quiet() && std::io::stderr().is_terminal(),
        };
        progress.update(line);
        progress
    }

    pub fn update(&self, line: &str) {
        if self.shown {
            // Carriage return, the text, then "erase to end of line".
            let mut stderr = std::io::stderr().lock();
            let _ = write!(stderr, "\r{line}\x1b[K");
            let _ = stderr.flush();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.update("");
    }
}

/// Set by Ctrl-C (or SIGTERM) once [`hold_interruptions`] has been called.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// From now on, Ctrl-C and SIGTERM no longer end the process: they set the flag returned, for
/// the caller to act on once it has finished a step that must not be cut in half. `None` if
/// the handler cannot be installed (then a signal ends the process as usual).
pub fn hold_interruptions() -> Option<&'static AtomicBool> {
    ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::SeqCst)).ok()?;
    Some(&INTERRUPTED)
}
