//! Python's character classes where they differ from Rust's: `str.isspace`, `str.isdigit`
//! and the decimal digits `int()` and `float()` read. PyMongo leans on them for ports
//! (`port.isdigit()`, then `int(port)`), so `localhost:２７０１７` is port 27017 and
//! `localhost:²` is an `int()` error. The tables are Unicode 14.0, the database of
//! Python 3.11's `unicodedata`.

/// The first code point of each run of ten decimal digits (general category Nd) 0–9.
const DECIMAL_ZEROS: [u32; 66] = [
    0x30, 0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66,
    0xde6, 0xe50, 0xed0, 0xf20, 0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90,
    0x1b50, 0x1bb0, 0x1c40, 0x1c50, 0xa620, 0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0, 0xff10,
    0x104a0, 0x10d30, 0x11066, 0x110f0, 0x11136, 0x111d0, 0x112f0, 0x11450, 0x114d0, 0x11650,
    0x116c0, 0x11730, 0x118e0, 0x11950, 0x11c50, 0x11d50, 0x11da0, 0x16a60, 0x16ac0, 0x16b50,
    0x1d7ce, 0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6, 0x1e140, 0x1e2f0, 0x1e950, 0x1fbf0,
];

/// Digits that are not decimal (superscripts, circled digits…), as inclusive ranges:
/// `isdigit()` is true for them, `int()` refuses them.
const OTHER_DIGITS: [(u32, u32); 20] = [
    (0xb2, 0xb3),
    (0xb9, 0xb9),
    (0x1369, 0x1371),
    (0x19da, 0x19da),
    (0x2070, 0x2070),
    (0x2074, 0x2079),
    (0x2080, 0x2089),
    (0x2460, 0x2468),
    (0x2474, 0x247c),
    (0x2488, 0x2490),
    (0x24ea, 0x24ea),
    (0x24f5, 0x24fd),
    (0x24ff, 0x24ff),
    (0x2776, 0x277e),
    (0x2780, 0x2788),
    (0x278a, 0x2792),
    (0x10a40, 0x10a43),
    (0x10e60, 0x10e68),
    (0x11052, 0x1105a),
    (0x1f100, 0x1f10a),
];

/// `unicodedata.decimal(c)`: the value of a decimal digit of any script.
pub(crate) fn decimal_value(c: char) -> Option<u32> {
    let c = c as u32;
    DECIMAL_ZEROS
        .iter()
        .find(|&&zero| (zero..zero + 10).contains(&c))
        .map(|zero| c - zero)
}

/// `c.isdigit()`.
pub(crate) fn is_digit(c: char) -> bool {
    decimal_value(c).is_some()
        || OTHER_DIGITS
            .iter()
            .any(|&(lo, hi)| (lo..=hi).contains(&(c as u32)))
}

/// `s.isdigit()`: at least one character, all digits.
pub(crate) fn str_is_digit(s: &str) -> bool {
    !s.is_empty() && s.chars().all(is_digit)
}

/// `c.isspace()`: Unicode White_Space, plus the four ASCII separators U+001C–U+001F.
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// CPython's `_PyUnicode_TransformDecimalAndSpaceToASCII`, the first step of `int(str)` and
/// `float(str)`: ASCII stays, other spaces become ' ', other decimal digits their ASCII digit,
/// and the first other character becomes '?' and ends the text.
pub(crate) fn ascii_number_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if (c as u32) < 127 {
            out.push(c);
        } else if is_space(c) {
            out.push(' ');
        } else if let Some(d) = decimal_value(c) {
            out.push(char::from(b'0' + d as u8));
        } else {
            out.push('?');
            break;
        }
    }
    out
}

/// C's `isspace` in the "C" locale, which `int()` and `float()` apply to the ASCII text.
pub(crate) fn is_ascii_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\u{b}' | '\u{c}' | '\r')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_and_spaces_of_every_script() {
        assert_eq!(decimal_value('７'), Some(7));
        assert_eq!(decimal_value('٣'), Some(3));
        assert_eq!(decimal_value('²'), None);
        assert!(is_digit('²') && is_digit('①') && is_digit('9'));
        assert!(!is_digit('a') && !is_digit('½'));
        assert!(str_is_digit("２７０１７") && !str_is_digit("") && !str_is_digit("1 "));
        assert!(is_space('\u{1c}') && is_space('\u{3000}') && !is_space('\u{200b}'));
        assert_eq!(ascii_number_text("\u{3000}１.５x"), " 1.5x");
        assert_eq!(ascii_number_text("1é2"), "1?");
    }
}
