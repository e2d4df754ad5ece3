//! clap's usage errors said in one line, like every other refusal: what is wrong and what
//! to do instead. clap's own rendering runs to several lines (a usage block, tips, "for more
//! information") and, for a missing argument, names it only on a later line.

use clap::CommandFactory;
use clap::error::{ContextKind, ContextValue, Error, ErrorKind};

/// Whether the "error" is clap answering `--help` or `--version`, which is printed as clap
/// prints it.
pub fn is_requested_output(error: &Error) -> bool {
    matches!(
        error.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    )
}

/// The one-line message (without the `error: ` prefix) for a usage error, given the
/// command line it came from (the program name first).
pub fn one_line(error: &Error, argv: &[String]) -> String {
    let command = command_path(argv);
    let see = format!("see `{command} --help`");
    let arg = text(error, ContextKind::InvalidArg);
    let value = text(error, ContextKind::InvalidValue);
    let message = match error.kind() {
        ErrorKind::MissingRequiredArgument => {
            let usage = text(error, ContextKind::Usage);
            let usage = usage.trim().trim_start_matches("Usage:").trim();
            let example = example(&command).unwrap_or(usage);
            let them = match error.get(ContextKind::InvalidArg) {
                Some(ContextValue::Strings(items)) if items.len() > 1 => "them",
                _ => "it",
            };
            format!("`{command}` needs {arg}: give {them}, e.g. `{example}` ({see})")
        }
        ErrorKind::UnknownArgument if arg.starts_with('-') => {
            match value_after_option(&arg, argv) {
                // A value that starts with '-' (`--now -0001-…`): clap's own tip, `-- VALUE`,
                // ends the options instead; `--option=VALUE` is what works.
                Some((option, value)) => format!(
                    "'{value}' was read as an option, not as the value of {option}: write \
                 {option}={value} ({see})"
                ),
                None => format!("unknown option {arg} for `{command}`: {}", fix(error, &see)),
            }
        }
        ErrorKind::UnknownArgument => {
            format!(
                "unexpected argument '{arg}' for `{command}`: {}",
                fix(error, &see)
            )
        }
        ErrorKind::InvalidValue if value.is_empty() && !arg.starts_with('-') => {
            format!("{arg} cannot be empty: give a non-empty value ({see})")
        }
        ErrorKind::InvalidValue if value.is_empty() => {
            format!("{arg} needs a value: {}", choices(error, &see))
        }
        ErrorKind::InvalidValue => {
            format!(
                "invalid value '{value}' for {arg}: {}",
                choices(error, &see)
            )
        }
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(error)
                .map(|e| format!(" ({e})"))
                .unwrap_or_default();
            match expected_value(&arg) {
                Some(expected) => {
                    format!("invalid value '{value}' for {arg}{why}: give {expected}")
                }
                None => format!("invalid value '{value}' for {arg}{why} ({see})"),
            }
        }
        ErrorKind::InvalidSubcommand => {
            let name = text(error, ContextKind::InvalidSubcommand);
            let suggested = joined(error, ContextKind::SuggestedSubcommand, "or");
            if suggested.is_empty() {
                format!(
                    "unknown command '{name}': give one of {} ({see})",
                    subcommands().join(", ")
                )
            } else {
                format!("unknown command '{name}': did you mean {suggested}? ({see})")
            }
        }
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            format!(
                "no command given: give one of {} ({see})",
                subcommands().join(", ")
            )
        }
        ErrorKind::ArgumentConflict if text(error, ContextKind::PriorArg) == arg => {
            format!("{arg} is given more than once: give it once ({see})")
        }
        ErrorKind::ArgumentConflict => {
            let prior = text(error, ContextKind::PriorArg);
            format!("{arg} cannot be used with {prior}: give only one ({see})")
        }
        _ => format!("{} ({see})", clap_first_line(error)),
    };
    redact_userinfo(&message.replace('\n', " "), argv)
}

/// The option written just before the argument clap took for an unknown option `arg`
/// (`-0` of `--now -0001-01-01T00:00:00Z`), with that whole argument: a value that starts
/// with '-', given with a space.
fn value_after_option(arg: &str, argv: &[String]) -> Option<(String, String)> {
    argv.windows(2).skip(1).find_map(|pair| {
        let (option, value) = (&pair[0], &pair[1]);
        let takes_value = option.starts_with("--") && !option.contains('=') && option.len() > 2;
        (takes_value && value.starts_with(arg)).then(|| (option.clone(), value.clone()))
    })
}

/// `message` with the userinfo of any connection string from `argv` left out: a usage error
/// quotes the arguments it refuses, and a password must not reach a terminal or a CI log
/// (`--show-secrets` shows them, as it does for `policy`).
fn redact_userinfo(message: &str, argv: &[String]) -> String {
    if argv.iter().any(|a| a == "--show-secrets") {
        return message.to_string();
    }
    let mut redacted = message.to_string();
    for arg in argv.iter().skip(1) {
        let value = arg.split_once('=').map(|(_, v)| v);
        for candidate in [Some(arg.as_str()), value].into_iter().flatten() {
            if let Some(safe) = without_userinfo(candidate) {
                redacted = redacted.replace(candidate, &safe);
            }
        }
    }
    redacted
}

/// A connection string with its userinfo (everything before the last '@' of the part after
/// the scheme) replaced by `***`; `None` if it has none.
fn without_userinfo(uri: &str) -> Option<String> {
    let (scheme, rest) = uri.split_once("://")?;
    let (_, host) = rest.rsplit_once('@')?;
    Some(format!("{scheme}://***@{host}"))
}

/// `pkigen` or `pkigen SUBCOMMAND`: the subcommand is the first word that is not an option
/// (pkigen's own options take no value), if it names one.
fn command_path(argv: &[String]) -> String {
    let known = subcommands();
    match argv
        .iter()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .filter(|a| known.contains(a))
    {
        Some(sub) => format!("pkigen {sub}"),
        None => "pkigen".to_string(),
    }
}

/// The subcommands, in the order `pkigen --help` lists them.
fn subcommands() -> Vec<String> {
    crate::cli::args::Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect()
}

/// A context value as plain text; lists are joined with "and".
fn text(error: &Error, kind: ContextKind) -> String {
    joined(error, kind, "and")
}

/// A context value as plain text, lists joined with `last` before their last item.
fn joined(error: &Error, kind: ContextKind, last: &str) -> String {
    match error.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(items)) => join(items, last),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        Some(ContextValue::StyledStrs(items)) => join(
            &items.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            last,
        ),
        Some(ContextValue::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// A complete command line for the subcommands whose required arguments clap's usage
/// shows only as placeholders.
fn example(command: &str) -> Option<&'static str> {
    match command {
        "pkigen scenario" => Some("pkigen scenario all"),
        "pkigen policy" => Some("pkigen policy 'mongodb://localhost/?tls=true'"),
        "pkigen serve" => Some("pkigen serve out/ocsp --case valid-stapled"),
        "pkigen inspect" => Some("pkigen inspect out/ca-file/server.pem"),
        "pkigen completions" => Some("pkigen completions bash"),
        _ => None,
    }
}

/// `a`, `a and b`, `a, b and c`.
fn join(items: &[String], last: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., end] => format!("{} {last} {end}", rest.join(", ")),
    }
}

/// For an unknown option, argument or command: clap's suggestion if it has one, else
/// removing it.
fn fix(error: &Error, see: &str) -> String {
    let suggested = [
        ContextKind::SuggestedArg,
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedCommand,
    ]
    .into_iter()
    .map(|kind| joined(error, kind, "or"))
    .find(|s| !s.is_empty());
    let tips = text(error, ContextKind::Suggested);
    match (suggested, tips.is_empty()) {
        (Some(s), _) => format!("did you mean {s}? ({see})"),
        (None, false) => format!("{tips} ({see})"),
        (None, true) => format!("remove it ({see})"),
    }
}

/// For a value outside a fixed set: the set, and clap's nearest match if any.
fn choices(error: &Error, see: &str) -> String {
    let valid = match error.get(ContextKind::ValidValue) {
        Some(ContextValue::Strings(items)) if !items.is_empty() => items.clone(),
        _ => return format!("give one after it ({see})"),
    };
    let suggested = text(error, ContextKind::SuggestedValue);
    let nearest = if suggested.is_empty() {
        String::new()
    } else {
        format!(" (did you mean {suggested}?)")
    };
    format!("choose {}{nearest}", join(&valid, "or"))
}

/// What a flag whose value clap parses (rather than picks from a list) takes.
fn expected_value(arg: &str) -> Option<&'static str> {
    let flag = arg.split_whitespace().next().unwrap_or(arg);
    match flag {
        "--seed" => Some("a whole number from 0 to 18446744073709551615, e.g. --seed 1"),
        "--expiring-within" => Some("a whole number of days, e.g. --expiring-within 30"),
        "--listen" => Some("an IP address and port, e.g. --listen 127.0.0.1:27017"),
        _ => None,
    }
}

/// clap's own first line, without its `error: ` prefix.
fn clap_first_line(error: &Error) -> String {
    let rendered = error.render().to_string();
    let first = rendered.lines().next().unwrap_or_default();
    first.trim_start_matches("error: ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    /// The examples are offered as the fix, so each must be a command line pkigen takes.
    #[test]
    fn every_example_parses() {
        for sub in subcommands() {
            if let Some(example) = example(&format!("pkigen {sub}")) {
                let words = shell_words(example);
                assert!(
                    crate::cli::args::Cli::try_parse_from(&words).is_ok(),
                    "{example}"
                );
            }
        }
    }

    /// Splits on spaces, keeping a single-quoted word whole (all the examples need).
    fn shell_words(line: &str) -> Vec<String> {
        let mut words = Vec::new();
        for (i, part) in line.split('\'').enumerate() {
            if i % 2 == 1 {
                words.push(part.to_string());
            } else {
                words.extend(part.split_whitespace().map(String::from));
            }
        }
        words
    }
}
