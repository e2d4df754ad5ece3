//! `difflib.get_close_matches`, ported from CPython, because PyMongo's "Did you mean one of
//! (...)" suggestions for an unknown option name come from it and pkigen repeats them word for
//! word.

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

#[cfg(test)]
mod tests {
    use super::get_close_matches;
    use crate::policy::pymongo::names::{KEYWORD_ONLY_NAMES, URI_OPTION_NAMES};

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
}
