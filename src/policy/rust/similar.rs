//! The name the driver suggests for an unknown option: the most similar of its `URI_OPTIONS`
//! list by Jaro-Winkler similarity (strsim 0.11's, over characters), if at least 0.84.

/// The driver's `URI_OPTIONS`, in its order (the first of equally similar names wins), as it
/// spells them (one is not lower-cased).
const URI_OPTIONS: &[&str] = &[
    "appname",
    "authmechanism",
    "authsource",
    "authmechanismproperties",
    "compressors",
    "connecttimeoutms",
    "directconnection",
    "heartbeatfrequencyms",
    "journal",
    "localthresholdms",
    "maxidletimems",
    "maxstalenessseconds",
    "maxpoolsize",
    "minpoolsize",
    "maxconnecting",
    "proxyhost",
    "proxyport",
    "proxyusername",
    "proxypassword",
    "readconcernlevel",
    "readpreference",
    "readpreferencetags",
    "replicaset",
    "retrywrites",
    "retryreads",
    "servermonitoringmode",
    "serverselectiontimeoutms",
    "sockettimeoutms",
    "tls",
    "ssl",
    "tlsinsecure",
    "tlsallowinvalidcertificates",
    "tlscafile",
    "tlscertificatekeyfile",
    "uuidRepresentation",
    "w",
    "waitqueuetimeoutms",
    "wtimeoutms",
    "zlibcompressionlevel",
    "srvservicename",
    "adaptiveretries",
    "maxadaptiveretries",
];

/// The suggestion for the unknown lower-cased name `other`, if any is close enough.
pub(super) fn known_option_like(other: &str) -> Option<&'static str> {
    let (best, option) = URI_OPTIONS.iter().fold((0.0, ""), |(best, name), option| {
        let similarity = jaro_winkler(option, other).abs();
        if similarity > best {
            (similarity, *option)
        } else {
            (best, name)
        }
    });
    (best >= 0.84).then_some(option)
}

/// strsim's `jaro`: matches within half the longer length, less one; half the
/// transpositions.
fn jaro(a: &[char], b: &[char]) -> f64 {
    let (a_len, b_len) = (a.len(), b.len());
    if a_len == 0 && b_len == 0 {
        return 1.0;
    } else if a_len == 0 || b_len == 0 {
        return 0.0;
    }
    let search_range = (a_len.max(b_len) / 2).saturating_sub(1);
    let mut a_flags = vec![false; a_len];
    let mut b_flags = vec![false; b_len];
    let mut matches = 0usize;
    for (i, a_elem) in a.iter().enumerate() {
        let min_bound = i.saturating_sub(search_range);
        let max_bound = b_len.min(i + search_range + 1);
        for j in min_bound..max_bound {
            if *a_elem == b[j] && !b_flags[j] {
                a_flags[i] = true;
                b_flags[j] = true;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut transpositions = 0usize;
    let mut b_matched = b.iter().zip(&b_flags).filter(|(_, f)| **f).map(|(c, _)| c);
    for (c, _) in a.iter().zip(&a_flags).filter(|(_, f)| **f) {
        if b_matched.next().is_some_and(|d| d != c) {
            transpositions += 1;
        }
    }
    let transpositions = transpositions / 2;
    let m = matches as f64;
    (m / a_len as f64 + m / b_len as f64 + (matches - transpositions) as f64 / m) / 3.0
}

/// strsim's `jaro_winkler`: above 0.7, a boost for a common prefix of up to four characters.
fn jaro_winkler(a: &str, b: &str) -> f64 {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let similarity = jaro(&a, &b);
    if similarity > 0.7 {
        let prefix = a.iter().take(4).zip(&b).take_while(|(x, y)| x == y).count();
        similarity + 0.1 * prefix as f64 * (1.0 - similarity)
    } else {
        similarity
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_as_the_driver_does() {
        assert_eq!(known_option_like("tlscrlfile"), Some("tlscafile"));
        assert_eq!(
            known_option_like("tlsallowinvalidhostnames"),
            Some("tlsallowinvalidcertificates")
        );
        assert_eq!(known_option_like("tlsdisableocspendpointcheck"), None);
        assert_eq!(known_option_like("servername"), Some("srvservicename"));
        assert_eq!(known_option_like("foo"), None);
    }
}
