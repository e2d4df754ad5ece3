//! The command line: the only part of pkigen that knows about the terminal, exit codes
//! and `anyhow`. Flags are parsed here and turned into library calls once.

mod args;
mod commands;
mod console;
mod driver;
mod errors;
mod json;
mod listing;
mod manual;
mod render;
mod usage;

use clap::Parser;
use std::process::ExitCode;

/// Exit codes: every case and check held.
pub const EXIT_OK: u8 = 0;
/// A case or check did not hold.
pub const EXIT_FAILED: u8 = 1;
/// Bad usage or input; nothing was changed.
pub const EXIT_USAGE: u8 = 2;

pub fn main() -> ExitCode {
    let args = match args::Cli::try_parse() {
        Ok(args) => args,
        Err(error) if usage::is_requested_output(&error) => {
            // `--help` and `--version`: clap's own text on stdout, exit 0.
            let _ = error.print();
            return ExitCode::from(EXIT_OK);
        }
        Err(error) => {
            let argv: Vec<String> = std::env::args_os()
                .map(|a| a.to_string_lossy().into_owned())
                .collect();
            eprintln!("error: {}", usage::one_line(&error, &argv));
            return ExitCode::from(EXIT_USAGE);
        }
    };
    match commands::run(args) {
        Ok(commands::Status::Held) => ExitCode::from(EXIT_OK),
        Ok(commands::Status::Failed) => ExitCode::from(EXIT_FAILED),
        Ok(commands::Status::Refused) => ExitCode::from(EXIT_USAGE),
        Err(error) if is_broken_pipe(&error) => ExitCode::from(EXIT_OK),
        Err(error) => {
            // One line: the problem, its cause and the fix.
            eprintln!("error: {}", errors::one_line(&error));
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// Whether the error is stdout's reader having gone away.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error
        .downcast_ref::<std::io::Error>()
        .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}
