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

/// Whether Ctrl-C and SIGTERM are held (`.0`), and whether one came while they were (`.1`).
/// One lock for both, so a signal is either held and seen by [`Held::release`], or ends the
/// process: never lost in between.
static INTERRUPTIONS: std::sync::Mutex<(bool, bool)> = std::sync::Mutex::new((false, false));

/// Ctrl-C and SIGTERM held back while a step that must not be cut in half runs.
pub struct Held(());

/// From now until the returned [`Held`] is released or dropped, Ctrl-C and SIGTERM do not end
/// the process; they are remembered, for [`Held::release`] to report. Afterwards they end it
/// (exit 130), as before. If the handler cannot be installed, a signal ends the process as
/// usual.
pub fn hold_interruptions() -> Held {
    let mut state = INTERRUPTIONS.lock().unwrap_or_else(|e| e.into_inner());
    *state = (true, false);
    drop(state);
    let _ = ctrlc::set_handler(|| {
        let mut state = INTERRUPTIONS.lock().unwrap_or_else(|e| e.into_inner());
        if !state.0 {
            std::process::exit(130);
        }
        state.1 = true;
    });
    Held(())
}

impl Held {
    /// Lets signals end the process again, and says whether one came while they were held.
    pub fn release(self) -> bool {
        let mut state = INTERRUPTIONS.lock().unwrap_or_else(|e| e.into_inner());
        state.0 = false;
        state.1
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        INTERRUPTIONS.lock().unwrap_or_else(|e| e.into_inner()).0 = false;
    }
}
