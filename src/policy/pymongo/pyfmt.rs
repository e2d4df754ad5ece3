//! Small re-implementations of the Python pieces that end up inside PyMongo's messages:
//! `difflib.get_close_matches` (the "Did you mean one of (...)" suggestions), `repr()` of
//! the values a JSON document can carry, and PyMongo's option-name tables.

use serde_json::Value;

/// `pymongo.common.URI_OPTIONS_VALIDATOR_MAP` keys (4.20.0, in dict order): the option names a
/// connection string may carry. Anything else in a URI is warned about and dropped.
pub(crate) const URI_OPTION_NAMES: &[&str] = &[
    "appname",
    "authmechanism",
    "authmechanismproperties",
    "authsource",
    "compressors",
    "connecttimeoutms",
    "directconnection",
    "heartbeatfrequencyms",
    "journal",
    "localthresholdms",
    "maxidletimems",
    "maxconnecting",
    "maxpoolsize",
    "maxstalenessseconds",
    "readconcernlevel",
    "readpreference",
    "readpreferencetags",
    "replicaset",
    "retryreads",
    "retrywrites",
    "loadbalanced",
    "serverselectiontimeoutms",
    "sockettimeoutms",
    "tls",
    "tlsallowinvalidcertificates",
    "tlsallowinvalidhostnames",
    "tlscafile",
    "tlscertificatekeyfile",
    "tlscertificatekeyfilepassword",
    "tlsdisableocspendpointcheck",
    "tlsinsecure",
    "w",
    "wtimeoutms",
    "zlibcompressionlevel",
    "srvservicename",
    "srvmaxhosts",
    "srvallowedhostssuffix",
    "timeoutms",
    "servermonitoringmode",
    "maxadaptiveretries",
    "enableoverloadretargeting",
    "connect",
    "driver",
    "server_api",
    "fsync",
    "minpoolsize",
    "tlscrlfile",
    "tz_aware",
    "unicode_decode_error_handler",
    "uuidrepresentation",
    "waitqueuemultiple",
    "waitqueuetimeoutms",
    "datetime_conversion",
    "ssl",
];

/// `pymongo.common.KW_VALIDATORS` keys: accepted as MongoClient keyword arguments only.
/// `common.VALIDATORS` = `URI_OPTION_NAMES` + these.
pub(crate) const KEYWORD_ONLY_NAMES: &[&str] = &[
    "document_class",
    "type_registry",
    "read_preference",
    "event_listeners",
    "tzinfo",
    "username",
    "password",
    "server_selector",
    "srv_host_validator",
    "auto_encryption_opts",
    "authoidcallowedhosts",
    "max_adaptive_retries",
    "enable_overload_retargeting",
];

/// PyMongo's `raise_config_error` text: `Unknown option: KEY.` plus difflib suggestions
/// (`get_close_matches(key.lower(), validators, cutoff=0.2)`) when there are any.
pub(crate) fn unknown_option_message(key: &str, normed: &str, names: &[&str]) -> String {
    let suggestions = get_close_matches(normed, names, 3, 0.2);
    let mut msg = format!("Unknown option: {key}.");
    if !suggestions.is_empty() {
        msg.push_str(&format!(
            " Did you mean one of ({}) or maybe a camelCase version of one? Refer to docstring.",
            suggestions.join(", ")
        ));
    }
    msg
}

/// `difflib.get_close_matches`: candidates whose `SequenceMatcher(None, x, word).ratio()`
/// is at least `cutoff`, best `n` by (score, name) descending.
///
/// Like difflib, each candidate first passes the two cheap upper bounds
/// (`real_quick_ratio`, `quick_ratio`) before the full ratio is computed. They never change
/// the answer, but they keep a hostile megabyte-long option name from costing a quadratic
/// match against every one of PyMongo's ~90 option names.
pub(crate) fn get_close_matches(
    word: &str,
    possibilities: &[&str],
    n: usize,
    cutoff: f64,
) -> Vec<String> {
    let b: Vec<char> = word.chars().collect();
    let indexed = indexed_positions(&b);
    let b_counts = char_counts(&b);
    let ratio = |matches: usize, len: usize| {
        // difflib's _calculate_ratio: 2.0 * matches / length, 1.0 for two empty strings.
        if len == 0 {
            1.0
        } else {
            2.0 * matches as f64 / len as f64
        }
    };
    let mut scored: Vec<(f64, &str)> = possibilities
        .iter()
        .filter_map(|x| {
            let a: Vec<char> = x.chars().collect();
            let len = a.len() + b.len();
            if ratio(a.len().min(b.len()), len) < cutoff {
                return None; // real_quick_ratio
            }
            if ratio(multiset_intersection(&a, &b_counts), len) < cutoff {
                return None; // quick_ratio
            }
            let matcher = Matcher {
                a: &a,
                b: &b,
                indexed: &indexed,
            };
            let r = ratio(matcher.matching_total(0, a.len(), 0, b.len()), len);
            (r >= cutoff).then_some((r, *x))
        })
        .collect();
    // heapq.nlargest over (score, x) tuples: ties go to the lexicographically larger name.
    scored.sort_by(|p, q| q.0.total_cmp(&p.0).then_with(|| q.1.cmp(p.1)));
    scored
        .into_iter()
        .take(n)
        .map(|(_, x)| x.to_string())
        .collect()
}

/// Which positions of the word `SequenceMatcher.__chain_b` indexes (`autojunk=True`, no
/// junk function): all of them, except that where the word is at least 200 characters
/// long, characters occurring more than `len / 100 + 1` times are "popular" and left out.
fn indexed_positions(b: &[char]) -> Vec<bool> {
    if b.len() < 200 {
        return vec![true; b.len()];
    }
    let counts = char_counts(b);
    let ntest = b.len() / 100 + 1;
    b.iter().map(|c| count_of(&counts, *c) <= ntest).collect()
}

/// Each distinct character with its number of occurrences, sorted by character.
fn char_counts(chars: &[char]) -> Vec<(char, usize)> {
    let mut sorted = chars.to_vec();
    sorted.sort_unstable();
    let mut counts: Vec<(char, usize)> = Vec::new();
    for c in sorted {
        match counts.last_mut() {
            Some((last, n)) if *last == c => *n += 1,
            _ => counts.push((c, 1)),
        }
    }
    counts
}

fn count_of(counts: &[(char, usize)], c: char) -> usize {
    counts
        .binary_search_by_key(&c, |(k, _)| *k)
        .map_or(0, |i| counts[i].1)
}

/// The number of characters `a` and `b` share, counted with multiplicity (`quick_ratio`).
fn multiset_intersection(a: &[char], b_counts: &[(char, usize)]) -> usize {
    char_counts(a)
        .iter()
        .map(|(c, n)| (*n).min(count_of(b_counts, *c)))
        .sum()
}

/// `SequenceMatcher(None, a, b)` reduced to what `ratio()` needs.
struct Matcher<'s> {
    a: &'s [char],
    b: &'s [char],
    /// Positions of `b` in difflib's `b2j` index (see [`indexed_positions`]).
    indexed: &'s [bool],
}

impl Matcher<'_> {
    /// Sum of block sizes from `get_matching_blocks`.
    fn matching_total(&self, alo: usize, ahi: usize, blo: usize, bhi: usize) -> usize {
        let (i, j, k) = self.find_longest_match(alo, ahi, blo, bhi);
        if k == 0 {
            return 0;
        }
        let mut total = k;
        if alo < i && blo < j {
            total += self.matching_total(alo, i, blo, j);
        }
        if i + k < ahi && j + k < bhi {
            total += self.matching_total(i + k, ahi, j + k, bhi);
        }
        total
    }

    /// `find_longest_match`: the longest block through indexed positions, earliest in `a`
    /// then in `b` (difflib's `j2len` walk, as two rows of a table), then extended on both
    /// sides by equal characters, which re-admits the popular ones the index left out
    /// (there is no junk function, so nothing is junk).
    fn find_longest_match(
        &self,
        alo: usize,
        ahi: usize,
        blo: usize,
        bhi: usize,
    ) -> (usize, usize, usize) {
        let (a, b) = (self.a, self.b);
        let (mut besti, mut bestj, mut bestsize) = (alo, blo, 0);
        // previous[j - blo]: length of the indexed match ending at a[i - 1], b[j].
        let mut previous = vec![0usize; bhi - blo];
        let mut current = vec![0usize; bhi - blo];
        for (i, &ai) in a.iter().enumerate().take(ahi).skip(alo) {
            for j in blo..bhi {
                current[j - blo] = if ai == b[j] && self.indexed[j] {
                    let k = if j > blo { previous[j - blo - 1] } else { 0 } + 1;
                    if k > bestsize {
                        besti = i + 1 - k;
                        bestj = j + 1 - k;
                        bestsize = k;
                    }
                    k
                } else {
                    0
                };
            }
            std::mem::swap(&mut previous, &mut current);
        }
        while besti > alo && bestj > blo && a[besti - 1] == b[bestj - 1] {
            besti -= 1;
            bestj -= 1;
            bestsize += 1;
        }
        while besti + bestsize < ahi
            && bestj + bestsize < bhi
            && a[besti + bestsize] == b[bestj + bestsize]
        {
            bestsize += 1;
        }
        (besti, bestj, bestsize)
    }
}

/// Python's `type(value)` for a value that came out of `json.loads`.
pub(crate) fn py_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "<class 'NoneType'>",
        Value::Bool(_) => "<class 'bool'>",
        Value::Number(n) if n.is_f64() => "<class 'float'>",
        Value::Number(_) => "<class 'int'>",
        Value::String(_) => "<class 'str'>",
        Value::Array(_) => "<class 'list'>",
        Value::Object(_) => "<class 'dict'>",
    }
}

/// Python's `str(value)` for a value that came out of `json.loads`.
pub(crate) fn py_str(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => py_repr(other),
    }
}

/// Python's `repr(value)` for a value that came out of `json.loads`.
pub(crate) fn py_repr(v: &Value) -> String {
    match v {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => i.to_string(),
            (_, Some(u), _) => u.to_string(),
            (_, _, Some(f)) => py_float(f),
            _ => n.to_string(),
        },
        Value::String(s) => py_str_repr(s),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(py_repr).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{}: {}", py_str_repr(k), py_repr(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// `repr(float)`: shortest round-trip digits, fixed notation for exponents -4..16.
fn py_float(f: f64) -> String {
    let s = format!("{f:e}");
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let sign = if mant.starts_with('-') { "-" } else { "" };
    let digits: String = mant.chars().filter(char::is_ascii_digit).collect();
    let n = digits.len() as i32;
    if (-4..16).contains(&exp) {
        if exp >= 0 {
            let int_len = exp + 1;
            if n <= int_len {
                format!("{sign}{digits}{}.0", "0".repeat((int_len - n) as usize))
            } else {
                let (a, b) = digits.split_at(int_len as usize);
                format!("{sign}{a}.{b}")
            }
        } else {
            format!("{sign}0.{}{digits}", "0".repeat((-exp - 1) as usize))
        }
    } else {
        let m = if n == 1 {
            digits
        } else {
            format!("{}.{}", &digits[..1], &digits[1..])
        };
        format!(
            "{sign}{m}e{}{:02}",
            if exp < 0 { '-' } else { '+' },
            exp.abs()
        )
    }
}

/// `repr(str)`: single quotes unless the text has a `'` and no `"`.
pub(crate) fn py_str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn close_matches_agree_with_difflib() {
        // Values printed by CPython 3.11's difflib for the same inputs.
        let kw: Vec<&str> = URI_OPTION_NAMES
            .iter()
            .chain(KEYWORD_ONLY_NAMES)
            .copied()
            .collect();
        assert_eq!(
            get_close_matches("foo", &kw, 3, 0.2),
            ["tzinfo", "minpoolsize", "maxpoolsize"]
        );
        assert_eq!(
            get_close_matches("foo", URI_OPTION_NAMES, 3, 0.2),
            ["minpoolsize", "maxpoolsize", "compressors"]
        );
    }

    /// Words of every length around difflib's 200-character autojunk threshold, from a
    /// skewed alphabet so that some characters become "popular", judged by CPython's own
    /// difflib (python3 on PATH, as the integration tests already require).
    #[test]
    fn close_matches_agree_with_cpython_difflib_on_long_and_skewed_words() {
        let alphabet: Vec<char> = "tttlllsssaaeiocnrdhmpx_Ü0".chars().collect();
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |m: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % m as u64) as usize
        };
        let words: Vec<String> = (0..300)
            .map(|i| match i % 3 {
                0 => (0..next(30))
                    .map(|_| alphabet[next(alphabet.len())])
                    .collect(),
                // 200 to 243 characters: autojunk applies and real_quick_ratio still passes.
                // Option names in a filler of their most common letters, so that popular
                // characters decide some of the suggestions.
                1 => {
                    let len = 200 + next(44);
                    let filler = ['t', 'l', 's', 'a', 'e', 'i', 'o'];
                    let mut w: String = (0..len).map(|_| filler[next(filler.len())]).collect();
                    let names: String = (0..5)
                        .map(|_| URI_OPTION_NAMES[next(URI_OPTION_NAMES.len())])
                        .collect();
                    w.insert_str(next(len), &names);
                    w.chars().take(len).collect()
                }
                _ => (0..240 + next(200))
                    .map(|_| alphabet[next(alphabet.len())])
                    .collect(),
            })
            .collect();
        let script = "import difflib, json, sys\n\
            names = json.loads(sys.stdin.readline())\n\
            for line in sys.stdin:\n\
            \x20   print(json.dumps(difflib.get_close_matches(json.loads(line), names, 3, 0.2)))\n";
        let mut child = std::process::Command::new("python3")
            .args(["-c", script])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("python3 on PATH");
        let mut input = serde_json::to_string(URI_OPTION_NAMES).unwrap() + "\n";
        for w in &words {
            input += &(serde_json::to_string(w).unwrap() + "\n");
        }
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success());
        let expected: Vec<Vec<String>> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(expected.len(), words.len());
        let mut suggested = 0;
        for (w, want) in words.iter().zip(&expected) {
            assert_eq!(
                &get_close_matches(w, URI_OPTION_NAMES, 3, 0.2),
                want,
                "word {w:?}"
            );
            suggested += usize::from(!want.is_empty());
        }
        assert!(suggested > 40, "only {suggested} words had suggestions");
    }

    #[test]
    fn python_reprs() {
        for (v, want) in [
            (json!(null), "None"),
            (json!(1), "1"),
            (json!(1.5), "1.5"),
            (json!(1.0), "1.0"),
            (json!(1e20), "1e+20"),
            (json!(0.00001), "1e-05"),
            (json!(0.0001), "0.0001"),
            (json!([1, "a"]), "[1, 'a']"),
            (json!({"a": 1}), "{'a': 1}"),
            (json!("it's"), "\"it's\""),
        ] {
            assert_eq!(py_repr(&v), want, "{v}");
        }
        assert_eq!(py_type(&json!(2.5)), "<class 'float'>");
    }
}
