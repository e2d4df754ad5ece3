//! The few JavaScript conversions the driver leans on, applied to option values: a value
//! from the URI is a string, one from the options object is whatever JSON gave.

use serde_json::Value;

/// `String(value)`: how a value reads in a template literal or as a string option.
pub(super) fn string(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => number(n.as_f64().unwrap_or(f64::NAN)),
        Value::String(s) => s.clone(),
        // `Array.prototype.join(',')`: null and undefined items are empty.
        Value::Array(items) => items
            .iter()
            .map(|item| match item {
                Value::Null => String::new(),
                item => string(item),
            })
            .collect::<Vec<_>>()
            .join(","),
        Value::Object(_) => "[object Object]".to_string(),
    }
}

/// `Number.prototype.toString()`: the shortest digits that read back as `x`, in exponent
/// form from 1e21 up and below 1e-6.
pub(super) fn number(x: f64) -> String {
    if x.is_nan() {
        return "NaN".to_string();
    }
    if x.is_infinite() {
        return if x > 0.0 { "Infinity" } else { "-Infinity" }.to_string();
    }
    if x == 0.0 {
        return "0".to_string();
    }
    let magnitude = x.abs();
    if (1e-6..1e21).contains(&magnitude) {
        return format!("{x}");
    }
    let text = format!("{x:e}");
    match text.split_once('e') {
        Some((digits, exponent)) if !exponent.starts_with('-') => format!("{digits}e+{exponent}"),
        _ => text,
    }
}

/// The truth of a value in an `if`: false for `false`, 0, NaN, "" and null.
pub(super) fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|x| x != 0.0 && !x.is_nan()),
        Value::String(s) => !s.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

/// The driver's `parseInteger`: `Math.trunc` for a number, else
/// `Number.parseInt(String(value), 10)`; `None` for NaN.
pub(super) fn parse_integer(value: &Value) -> Option<f64> {
    if let Value::Number(n) = value {
        return n.as_f64().map(f64::trunc);
    }
    parse_int(&string(value))
}

/// `Number.parseInt(text, 10)`: leading white space skipped, a sign, then as many decimal
/// digits as there are; `None` (NaN) without any.
fn parse_int(text: &str) -> Option<f64> {
    let text = text.trim_start_matches(is_js_space);
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let end = digits
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    if end == 0 {
        return None;
    }
    // Through the decimal text, so that long digit strings round as JavaScript rounds them.
    let magnitude: f64 = digits[..end].parse().ok()?;
    Some(if negative { -magnitude } else { magnitude })
}

/// JavaScript's `WhiteSpace` and `LineTerminator`, which `parseInt` skips.
fn is_js_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202f}'
                | '\u{205f}'
                | '\u{3000}'
                | '\u{feff}'
    )
}
