//! Writing strings that come from files (manifest.json, report.json, the fixtures) into
//! Markdown so that they stay text: a description cannot start a heading or a list, a message
//! cannot close the code block it is shown in, a name cannot become a link or HTML. The
//! templates apply these as filters (`md`, `cell`, `code`, `cell_code`, `fenced`, `link`).

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Characters that mean something inside a Markdown line (emphasis, links, HTML, entities,
/// tables, strikethrough, a heading's closing `#`s), escaped with a backslash wherever they
/// appear outside a code span.
const INLINE_SPECIAL: &[char] = &['\\', '*', '_', '[', ']', '<', '>', '&', '|', '~', '#'];

/// Prose: one line (line breaks become spaces, so nothing can start a block of its own),
/// Markdown's special characters escaped, code spans of one or two backticks
/// (`` `like this` ``) kept as code.
pub(crate) fn prose(text: &str) -> String {
    let line = one_line(text);
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '`' {
            let run = backtick_run(&chars, i);
            // Runs of three or more (fence-like) are never kept as code: escaped.
            let closing = (run < 3)
                .then(|| closing_run(&chars, i + run, run))
                .flatten();
            match closing {
                Some(end) => {
                    // A code span shows its content as it is; only a table's `|` is escaped.
                    for &c in &chars[i..end + run] {
                        if c == '|' {
                            out.push('\\');
                        }
                        out.push(c);
                    }
                    i = end + run;
                }
                None => {
                    out.push_str(&"\\`".repeat(run));
                    i += run;
                }
            }
            continue;
        }
        if INLINE_SPECIAL.contains(&chars[i]) && !inside_word(&chars, i) {
            out.push('\\');
        }
        out.push(chars[i]);
        i += 1;
    }
    escape_block_start(out)
}

/// Code inside a line: a code span whose backtick fence is longer than any run of backticks
/// in `text`, on one line.
pub(crate) fn code(text: &str) -> String {
    let line = one_line(text);
    let fence = "`".repeat(longest_backtick_run(&line) + 1);
    // A space on each side, removed by the reader, lets the content start or end with a
    // backtick (CommonMark 6.1).
    let pad = if line.starts_with('`') || line.ends_with('`') || line.is_empty() {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{line}{pad}{fence}")
}

/// [`code`] for a table cell: its `|` escaped, which GitHub's tables read inside code too.
pub(crate) fn cell_code(text: &str) -> String {
    code(text).replace('|', "\\|")
}

/// A fenced code block: the fence is longer than any run of backticks in `text` (at least
/// three), so no line of `text` can close it (CommonMark 4.5). `language` keeps only the
/// characters an info string needs.
pub(crate) fn fenced(text: &str, language: &str) -> String {
    let fence = "`".repeat((longest_backtick_run(text) + 1).max(3));
    let language: String = language
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+'))
        .collect();
    let body = text.strip_suffix('\n').unwrap_or(text);
    format!("{fence}{language}\n{body}\n{fence}")
}

/// A link destination: everything but unreserved URL characters percent-encoded, so a name
/// cannot end the link or add a title.
pub(crate) fn link(text: &str) -> String {
    const KEEP: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    utf8_percent_encode(text, KEEP).to_string()
}

/// The anchor GitHub gives a heading of `text`: lower case, spaces as `-`, other
/// punctuation dropped.
pub(crate) fn anchor(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// `text` on one line: every line break (and the blank space around it) becomes one space.
fn one_line(text: &str) -> String {
    text.split(['\n', '\r'])
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Escapes what would make an escaped line start a block: a list (`-`, `+`, `1.`, `1)`), a
/// thematic break or setext underline (`-`, `=`) or an indented code block (leading spaces
/// are already gone). `#`, `>`, `*`, `~` and backticks are escaped everywhere.
fn escape_block_start(line: String) -> String {
    if line.starts_with(['-', '+', '=']) {
        return format!("\\{line}");
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    match line[digits..].chars().next() {
        Some(marker @ ('.' | ')')) if digits > 0 => {
            format!("{}\\{marker}{}", &line[..digits], &line[digits + 1..])
        }
        _ => line,
    }
}

/// `_` or `#` between two letters or digits (`load_verify_locations`, `PKCS#8`): neither
/// emphasis nor a heading can start or end there, so it is left as it is.
fn inside_word(chars: &[char], i: usize) -> bool {
    let alphanumeric = |at: Option<usize>| {
        at.and_then(|at| chars.get(at))
            .is_some_and(|c| c.is_alphanumeric())
    };
    matches!(chars[i], '_' | '#') && alphanumeric(i.checked_sub(1)) && alphanumeric(Some(i + 1))
}

fn backtick_run(chars: &[char], from: usize) -> usize {
    chars[from..].iter().take_while(|&&c| c == '`').count()
}

/// Where the next run of exactly `length` backticks at or after `from` starts.
fn closing_run(chars: &[char], from: usize, length: usize) -> Option<usize> {
    let mut i = from;
    while i < chars.len() {
        if chars[i] == '`' {
            let run = backtick_run(chars, i);
            if run == length {
                return Some(i);
            }
            i += run;
        } else {
            i += 1;
        }
    }
    None
}

fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_cannot_start_a_block_or_a_link() {
        assert_eq!(prose("fine\n# Injected"), "fine \\# Injected");
        assert_eq!(prose("# Injected"), "\\# Injected");
        assert_eq!(prose("- item"), "\\- item");
        assert_eq!(prose("12. item"), "12\\. item");
        assert_eq!(prose("> quote"), "\\> quote");
        assert_eq!(prose("```\nrm -rf /\n```"), "\\`\\`\\` rm -rf / \\`\\`\\`");
        assert_eq!(prose("[x](http://e)"), "\\[x\\](http://e)");
        assert_eq!(prose("<script>"), "\\<script\\>");
        assert_eq!(prose("self-signed, PyMongo's"), "self-signed, PyMongo's");
        assert_eq!(
            prose("PKCS#8 load_verify _x_ #"),
            "PKCS#8 load_verify \\_x\\_ \\#"
        );
    }

    #[test]
    fn prose_keeps_code_spans() {
        assert_eq!(
            prose("convert with `openssl crl -in a_b.der`"),
            "convert with `openssl crl -in a_b.der`"
        );
        assert_eq!(prose("a `b|c` d"), "a `b\\|c` d");
    }

    #[test]
    fn code_spans_outlast_the_backticks_they_hold() {
        assert_eq!(code("plain"), "`plain`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("```"), "```` ``` ````");
        assert_eq!(code("a\n# b"), "`a # b`");
        assert_eq!(cell_code("a|b"), "`a\\|b`");
    }

    #[test]
    fn fences_outlast_the_backticks_they_hold() {
        assert_eq!(fenced("x = 1\n", "python"), "```python\nx = 1\n```");
        assert_eq!(
            fenced("```\n# Injected", "text"),
            "````text\n```\n# Injected\n````"
        );
        assert_eq!(fenced("x", "py`thon\n#"), "```python\nx\n```");
    }

    #[test]
    fn links_and_anchors() {
        assert_eq!(link("ca-file"), "ca-file");
        assert_eq!(link("a) [b]"), "a%29%20%5Bb%5D");
        assert_eq!(anchor("Revoked-PEM crl!"), "revoked-pem-crl");
    }
}
