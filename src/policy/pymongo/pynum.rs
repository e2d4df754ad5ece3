//! Python's `int(str)` and `float(str)`, which PyMongo's option validators call on URI
//! text: both take digits of any script and surrounding spaces, single underscores between
//! digits, and `int()` refuses more than 4300 digits. Integers are kept whole (a
//! `zlibCompressionLevel` message prints the value back), not narrowed to a machine word.

use super::pychars::{ascii_number_text, is_ascii_space};
use super::pyrepr::py_str_repr;
use std::cmp::Ordering;
use std::fmt;

/// Python's `sys.get_int_max_str_digits()` default.
const MAX_STR_DIGITS: usize = 4300;

/// A Python `int` of any size: sign and decimal digits without leading zeros.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PyInt {
    negative: bool,
    /// ASCII digits, no leading zero; "0" for zero.
    digits: String,
}

impl PyInt {
    fn from_digits(negative: bool, digits: &str) -> PyInt {
        let trimmed = digits.trim_start_matches('0');
        let digits = if trimmed.is_empty() { "0" } else { trimmed };
        PyInt {
            negative: negative && digits != "0",
            digits: digits.to_string(),
        }
    }

    /// `self` compared with a machine integer, as Python compares them.
    pub(crate) fn cmp_i64(&self, n: i64) -> Ordering {
        self.cmp(&PyInt::from(n))
    }

    /// The value, if it fits in an `i64`.
    pub(crate) fn to_i64(&self) -> Option<i64> {
        self.to_string().parse().ok()
    }
}

impl From<i64> for PyInt {
    fn from(n: i64) -> PyInt {
        PyInt::from_digits(n < 0, &n.unsigned_abs().to_string())
    }
}

impl From<u64> for PyInt {
    fn from(n: u64) -> PyInt {
        PyInt::from_digits(false, &n.to_string())
    }
}

impl Ord for PyInt {
    fn cmp(&self, other: &PyInt) -> Ordering {
        let magnitude = self
            .digits
            .len()
            .cmp(&other.digits.len())
            .then_with(|| self.digits.cmp(&other.digits));
        match (self.negative, other.negative) {
            (false, false) => magnitude,
            (true, true) => magnitude.reverse(),
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
        }
    }
}

impl PartialOrd for PyInt {
    fn partial_cmp(&self, other: &PyInt) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for PyInt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.negative {
            f.write_str("-")?;
        }
        f.write_str(&self.digits)
    }
}

/// Why `int(text)` raised `ValueError`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum IntError {
    /// Not an integer literal.
    Invalid,
    /// More digits than `int()` converts.
    TooManyDigits(usize),
}

impl IntError {
    /// `str(exc)` of the `ValueError` that `int(text)` raises.
    pub(crate) fn message(&self, text: &str) -> String {
        match self {
            // `%.200R`: the repr cut at 200 characters.
            IntError::Invalid => format!(
                "invalid literal for int() with base 10: {}",
                py_str_repr(text).chars().take(200).collect::<String>()
            ),
            IntError::TooManyDigits(n) => format!(
                "Exceeds the limit ({MAX_STR_DIGITS} digits) for integer string conversion: value has {n} digits; use sys.set_int_max_str_digits() to increase the limit"
            ),
        }
    }
}

/// `int(text)`, CPython's `PyLong_FromString` in base 10 after the Unicode-to-ASCII step.
pub(crate) fn py_int(text: &str) -> Result<PyInt, IntError> {
    let ascii = ascii_number_text(text);
    let s = ascii.as_bytes();
    let mut i = 0;
    while i < s.len() && is_ascii_space(char::from(s[i])) {
        i += 1;
    }
    let negative = match s.get(i) {
        Some(b'+') => {
            i += 1;
            false
        }
        Some(b'-') => {
            i += 1;
            true
        }
        _ => false,
    };
    if s.get(i) == Some(&b'_') {
        return Err(IntError::Invalid);
    }
    let start = i;
    let mut digits = String::new();
    let mut prev = 0u8;
    while i < s.len() && (s[i].is_ascii_digit() || s[i] == b'_') {
        if s[i] == b'_' {
            if prev == b'_' {
                return Err(IntError::Invalid);
            }
        } else {
            digits.push(char::from(s[i]));
        }
        prev = s[i];
        i += 1;
    }
    if prev == b'_' {
        return Err(IntError::Invalid);
    }
    if digits.len() > MAX_STR_DIGITS {
        return Err(IntError::TooManyDigits(digits.len()));
    }
    if i == start {
        return Err(IntError::Invalid);
    }
    while i < s.len() && is_ascii_space(char::from(s[i])) {
        i += 1;
    }
    if i != s.len() {
        return Err(IntError::Invalid);
    }
    Ok(PyInt::from_digits(negative, &digits))
}

/// `float(text)`, or `None` where it raises `ValueError`.
pub(crate) fn py_float(text: &str) -> Option<f64> {
    let ascii = ascii_number_text(text);
    let text = if ascii.contains('_') {
        without_underscores(&ascii)?
    } else {
        ascii
    };
    let body = text.trim_matches(is_ascii_space);
    let (negative, unsigned) = match body.as_bytes().first() {
        Some(b'+') => (false, &body[1..]),
        Some(b'-') => (true, &body[1..]),
        _ => (false, body),
    };
    let lower = unsigned.to_ascii_lowercase();
    let magnitude = if lower == "inf" || lower == "infinity" {
        f64::INFINITY
    } else if lower == "nan" {
        f64::NAN
    } else if is_decimal_literal(unsigned) {
        unsigned.parse().ok()?
    } else {
        return None;
    };
    Some(if negative { -magnitude } else { magnitude })
}

/// `_Py_string_to_number_with_underscores`: an underscore only between two digits.
fn without_underscores(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut prev = '\0';
    for c in s.chars() {
        if c == '_' {
            if !prev.is_ascii_digit() {
                return None;
            }
        } else {
            if prev == '_' && !c.is_ascii_digit() {
                return None;
            }
            out.push(c);
        }
        prev = c;
    }
    (prev != '_').then_some(out)
}

/// `digits [. [digits]] | . digits`, then an optional exponent with digits.
fn is_decimal_literal(s: &str) -> bool {
    let digits = |t: &str| t.bytes().take_while(u8::is_ascii_digit).count();
    let int_len = digits(s);
    let mut rest = &s[int_len..];
    let mut mantissa_digits = int_len;
    if let Some(after_point) = rest.strip_prefix('.') {
        let frac_len = digits(after_point);
        mantissa_digits += frac_len;
        rest = &after_point[frac_len..];
    }
    if mantissa_digits == 0 {
        return false;
    }
    if let Some(exponent) = rest.strip_prefix(['e', 'E']) {
        let exponent = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
        let exp_len = digits(exponent);
        return exp_len > 0 && exp_len == exponent.len();
    }
    rest.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expected values are what Python 3.11 gives.
    #[test]
    fn int_of_text() {
        let ok = |s: &str| py_int(s).map(|n| n.to_string());
        assert_eq!(ok(" 12 "), Ok("12".into()));
        assert_eq!(ok("\u{3000}１２\u{3000}"), Ok("12".into()));
        assert_eq!(ok("-0"), Ok("0".into()));
        assert_eq!(ok("+007"), Ok("7".into()));
        assert_eq!(ok("1_000"), Ok("1000".into()));
        assert_eq!(ok("١٣"), Ok("13".into()));
        for bad in [
            "", " ", "1__0", "_1", "1_", "1.0", "²", "1²", "\u{1c}1", "0x10", "+ 1",
        ] {
            assert_eq!(py_int(bad), Err(IntError::Invalid), "{bad:?}");
        }
        assert_eq!(
            py_int(&"1".repeat(4301)),
            Err(IntError::TooManyDigits(4301))
        );
        assert_eq!(
            py_int(&("1".repeat(5000) + "x")),
            Err(IntError::TooManyDigits(5000))
        );
        assert!(py_int(&"9".repeat(4300)).is_ok());
        assert_eq!(
            IntError::Invalid.message("²"),
            "invalid literal for int() with base 10: '²'"
        );
        let big = py_int("123456789012345678901234567890").unwrap();
        assert_eq!(big.cmp_i64(9), Ordering::Greater);
        assert_eq!(big.to_i64(), None);
        assert!(py_int("-5").unwrap() < py_int("3").unwrap());
        assert!(py_int("-50").unwrap() < py_int("-6").unwrap());
    }

    #[test]
    fn float_of_text() {
        for (s, want) in [
            (" 1 ", 1.0),
            ("1_0", 10.0),
            ("1e1_0", 1e10),
            ("١٢", 12.0),
            ("+.5", 0.5),
            ("5.", 5.0),
            ("１.５", 1.5),
            ("-InFinity", f64::NEG_INFINITY),
            ("1e999", f64::INFINITY),
        ] {
            assert_eq!(py_float(s), Some(want), "{s:?}");
        }
        assert!(py_float("-NaN").unwrap().is_nan());
        for bad in [
            "", "\u{1c}1", "1__0", "_1", "1_", "1_.5", "1._5", "1e", ".", "1²", "nan_", "0x1p3",
            "1e+", "--1",
        ] {
            assert_eq!(py_float(bad), None, "{bad:?}");
        }
    }
}
