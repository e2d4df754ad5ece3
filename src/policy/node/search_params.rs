//! WHATWG `URLSearchParams`, as the driver reads a connection string's query through it:
//! `&` is the only separator, `+` is a space, percent-escapes are decoded in names and
//! values alike (a malformed one is kept as written), and bytes that are not UTF-8 become
//! U+FFFD.

/// The query's name/value pairs, in order (empty pairs, as in `?&a=1&`, left out).
pub(super) fn parse(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name), decode(value))
        })
        .collect()
}

/// `application/x-www-form-urlencoded` decoding of one name or value.
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => match escaped(bytes.get(i + 1..i + 3)) {
                Some(byte) => {
                    out.push(byte);
                    i += 2;
                }
                None => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The byte two hex digits spell, if they are two hex digits.
pub(super) fn escaped(digits: Option<&[u8]>) -> Option<u8> {
    let [high, low] = digits? else { return None };
    let digit = |b: u8| (b as char).to_digit(16);
    Some((digit(*high)? << 4 | digit(*low)?) as u8)
}
