//! How the Go implementation sees a decoded JSON value: its dynamic type, how `==` and
//! map keys treat it, and how `fmt` prints it into error messages.
//!
//! The apiserver decodes patches keeping integers as `int64` and everything else numeric as
//! `float64`, and turns stored objects into the same shapes, so those are the only two
//! number types here.

use std::borrow::Cow;

use serde_json::{Map, Value};

/// The dynamic Go type of a decoded JSON value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GoKind {
    Nil,
    Bool,
    String,
    Int,
    Float,
    Map,
    Slice,
}

impl GoKind {
    pub(crate) fn of(v: &Value) -> GoKind {
        match v {
            Value::Null => GoKind::Nil,
            Value::Bool(_) => GoKind::Bool,
            Value::String(_) => GoKind::String,
            Value::Number(n) if n.is_i64() => GoKind::Int,
            Value::Number(_) => GoKind::Float,
            Value::Object(_) => GoKind::Map,
            Value::Array(_) => GoKind::Slice,
        }
    }

    /// `reflect.TypeOf(v).String()`, as `%s` prints it (a nil type prints as `%!s(<nil>)`).
    pub(crate) fn type_name(self) -> &'static str {
        match self {
            GoKind::Nil => "%!s(<nil>)",
            GoKind::Bool => "bool",
            GoKind::String => "string",
            GoKind::Int => "int64",
            GoKind::Float => "float64",
            GoKind::Map => "map[string]interface {}",
            GoKind::Slice => "[]interface {}",
        }
    }

    fn uncomparable(self) -> bool {
        matches!(self, GoKind::Map | GoKind::Slice)
    }
}

/// Go panicked: comparing or hashing a map or a slice held in an `interface{}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GoPanic(pub(crate) String);

/// `a == b` on two `interface{}` values.
pub(crate) fn go_eq(a: &Value, b: &Value) -> Result<bool, GoPanic> {
    let (ka, kb) = (GoKind::of(a), GoKind::of(b));
    if ka != kb {
        return Ok(false);
    }
    if ka.uncomparable() {
        return Err(GoPanic(format!("runtime error: comparing uncomparable type {}", ka.type_name())));
    }
    Ok(match (a, b) {
        (Value::Number(x), Value::Number(y)) if ka == GoKind::Float => x.as_f64() == y.as_f64(),
        _ => a == b,
    })
}

/// A value usable as a key of a Go `map[interface{}]...`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum GoKey<'a> {
    Nil,
    Bool(bool),
    Str(Cow<'a, str>),
    Int(i64),
    Float(u64),
}

impl<'a> GoKey<'a> {
    pub(crate) fn of(v: &'a Value) -> Result<GoKey<'a>, GoPanic> {
        Ok(match v {
            Value::Null => GoKey::Nil,
            Value::Bool(b) => GoKey::Bool(*b),
            Value::String(s) => GoKey::Str(Cow::Borrowed(s)),
            Value::Number(n) => match n.as_i64() {
                Some(i) => GoKey::Int(i),
                None => {
                    let f = n.as_f64().unwrap_or(0.0);
                    // -0 and +0 are the same key.
                    GoKey::Float(if f == 0.0 { 0 } else { f.to_bits() })
                }
            },
            Value::Object(_) | Value::Array(_) => {
                return Err(GoPanic(format!("runtime error: hash of unhashable type {}", GoKind::of(v).type_name())))
            }
        })
    }

    pub(crate) fn str(s: &'a str) -> GoKey<'a> {
        GoKey::Str(Cow::Borrowed(s))
    }

    pub(crate) fn into_owned(self) -> GoKey<'static> {
        match self {
            GoKey::Nil => GoKey::Nil,
            GoKey::Bool(b) => GoKey::Bool(b),
            GoKey::Str(s) => GoKey::Str(Cow::Owned(s.into_owned())),
            GoKey::Int(i) => GoKey::Int(i),
            GoKey::Float(f) => GoKey::Float(f),
        }
    }
}

/// Nesting beyond which messages elide values (they are bounded anyway by the depth check).
const FMT_DEPTH: usize = 64;

/// `fmt.Sprintf("%s", v)`.
pub(crate) fn s(value: &Value) -> String {
    let mut out = String::new();
    write(&mut out, value, true, 0);
    out
}

/// `%v` of a map.
pub(crate) fn v_map(map: &Map<String, Value>) -> String {
    let mut out = String::new();
    write_map(&mut out, map, false, 0);
    out
}

/// `%v` of a `[]interface{}`.
pub(crate) fn v_list(list: &[Value]) -> String {
    let mut out = String::new();
    write_list(&mut out, list, false, 0);
    out
}

fn write(out: &mut String, value: &Value, verb_s: bool, depth: usize) {
    if depth > FMT_DEPTH {
        out.push_str("...");
        return;
    }
    let scalar = match value {
        Value::Object(m) => return write_map(out, m, verb_s, depth),
        Value::Array(l) => return write_list(out, l, verb_s, depth),
        Value::String(s) => return out.push_str(s),
        Value::Null => {
            // Only a top-level nil operand is flagged; nil elements print plainly.
            out.push_str(if verb_s && depth == 0 { "%!s(<nil>)" } else { "<nil>" });
            return;
        }
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match n.as_i64() {
            Some(i) => i.to_string(),
            None => float(n.as_f64().unwrap_or(0.0)),
        },
    };
    if verb_s {
        out.push_str(&format!("%!s({}={})", GoKind::of(value).type_name(), scalar));
    } else {
        out.push_str(&scalar);
    }
}

fn write_map(out: &mut String, map: &Map<String, Value>, verb_s: bool, depth: usize) {
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort();
    out.push_str("map[");
    for (i, k) in keys.into_iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(k);
        out.push(':');
        if let Some(val) = map.get(k) {
            write(out, val, verb_s, depth + 1);
        }
    }
    out.push(']');
}

fn write_list(out: &mut String, list: &[Value], verb_s: bool, depth: usize) {
    out.push('[');
    for (i, item) in list.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        write(out, item, verb_s, depth + 1);
    }
    out.push(']');
}

/// `%v` of a float64: the shortest digits, in exponent form below 1e-4 and from 1e6 up.
fn float(f: f64) -> String {
    if f.is_infinite() {
        return if f > 0.0 { "+Inf".into() } else { "-Inf".into() };
    }
    if f.is_nan() {
        return "NaN".into();
    }
    // Rust's `{:e}` gives the shortest round-trip digits: `-1.2345e6`.
    let sci = format!("{f:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    if !(-4..6).contains(&exp) {
        let (first, rest) = digits.split_at(1.min(digits.len()));
        let frac = if rest.is_empty() { String::new() } else { format!(".{rest}") };
        let esign = if exp < 0 { '-' } else { '+' };
        return format!("{sign}{first}{frac}e{esign}{:02}", exp.abs());
    }
    let point = exp + 1;
    let body = if point <= 0 {
        format!("0.{}{}", "0".repeat(point.unsigned_abs() as usize), digits)
    } else if point as usize >= digits.len() {
        format!("{}{}", digits, "0".repeat(point as usize - digits.len()))
    } else {
        let (int, frac) = digits.split_at(point as usize);
        format!("{int}.{frac}")
    };
    format!("{sign}{body}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn maps_print_with_sorted_keys_like_go() {
        let m = json!({"b": 1, "a": [true, null, "x"]});
        assert_eq!(v_map(m.as_object().unwrap()), "map[a:[true <nil> x] b:1]");
    }

    #[test]
    fn percent_s_marks_non_strings() {
        assert_eq!(s(&json!(5)), "%!s(int64=5)");
        assert_eq!(s(&json!("merge")), "merge");
        assert_eq!(s(&json!(null)), "%!s(<nil>)");
        assert_eq!(s(&json!({"a": [true, null]})), "map[a:[%!s(bool=true) <nil>]]");
    }

    #[test]
    fn floats_print_in_go_short_form() {
        assert_eq!(float(1.5), "1.5");
        assert_eq!(float(100000.0), "100000");
        assert_eq!(float(1234567.0), "1.234567e+06");
        assert_eq!(float(1e21), "1e+21");
        assert_eq!(float(0.0001), "0.0001");
        assert_eq!(float(0.00001), "1e-05");
        assert_eq!(float(-2.5e-7), "-2.5e-07");
    }

    #[test]
    fn maps_and_slices_cannot_be_compared_or_hashed() {
        assert!(go_eq(&json!({}), &json!({})).is_err());
        assert_eq!(go_eq(&json!({}), &json!("x")), Ok(false));
        assert_eq!(go_eq(&json!(1), &json!(1.0)), Ok(false));
        assert!(GoKey::of(&json!([1])).is_err());
    }
}
