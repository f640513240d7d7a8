//! Path elements, their total order, their human-readable form (`.spec.containers[name="a"]`)
//! and the `FieldsV1` wire form of field sets (`f:`, `k:{..}`, `v:..`, `i:..` keys, `.` for the
//! node itself), following structured-merge-diff v4.

use std::cmp::Ordering;
use std::fmt::Write as _;

use serde_json::{Map, Value};

use super::set::Set;
use crate::gofmt::go_quote;

/// One step of a path into an object.
#[derive(Debug, Clone)]
pub enum PathElement {
    /// A field of a struct or a key of a map.
    Field(String),
    /// An item of an associative list, by its key fields (sorted by name).
    Key(Vec<(String, Value)>),
    /// An item of a set-like list, by its (scalar) value (boxed: path elements stay small).
    Value(Box<Value>),
    /// An item of an atomic list by position (only in error paths and foreign sets).
    Index(i64),
}

impl PathElement {
    fn rank(&self) -> u8 {
        match self {
            PathElement::Field(_) => 0,
            PathElement::Key(_) => 1,
            PathElement::Value(_) => 2,
            PathElement::Index(_) => 3,
        }
    }

    /// Builds a key element, sorting the key fields by name.
    pub fn key(mut fields: Vec<(String, Value)>) -> PathElement {
        fields.sort_by(|a, b| a.0.cmp(&b.0));
        PathElement::Key(fields)
    }
}

impl Ord for PathElement {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (PathElement::Field(a), PathElement::Field(b)) => a.as_bytes().cmp(b.as_bytes()),
            (PathElement::Key(a), PathElement::Key(b)) => cmp_key_fields(a, b),
            (PathElement::Value(a), PathElement::Value(b)) => cmp_values(a, b),
            (PathElement::Index(a), PathElement::Index(b)) => a.cmp(b),
            _ => self.rank().cmp(&other.rank()),
        }
    }
}

impl PartialOrd for PathElement {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for PathElement {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for PathElement {}

fn cmp_key_fields(a: &[(String, Value)], b: &[(String, Value)]) -> Ordering {
    for (x, y) in a.iter().zip(b.iter()) {
        let c = x.0.as_bytes().cmp(y.0.as_bytes()).then_with(|| cmp_values(&x.1, &y.1));
        if c != Ordering::Equal {
            return c;
        }
    }
    a.len().cmp(&b.len())
}

/// How a JSON number is seen by Go's unstructured decoding: an `int64` when it fits, else a float.
fn as_int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        _ => None,
    }
}

fn as_float(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) if n.as_i64().is_none() => n.as_f64(),
        _ => None,
    }
}

fn float_cmp(a: f64, b: f64) -> Ordering {
    a.partial_cmp(&b).unwrap_or(Ordering::Equal)
}

/// The total order upstream's `value.Compare` gives values of any type: floats and ints
/// numerically, then strings, booleans, lists, maps and finally null.
pub fn cmp_values(a: &Value, b: &Value) -> Ordering {
    if let Some(x) = as_float(a) {
        return match (as_float(b), as_int(b)) {
            (Some(y), _) => float_cmp(x, y),
            (None, Some(y)) => float_cmp(x, y as f64),
            _ => Ordering::Less,
        };
    }
    if let Some(y) = as_float(b) {
        return match as_int(a) {
            Some(x) => float_cmp(x as f64, y),
            None => Ordering::Greater,
        };
    }
    match (a, b) {
        (Value::Number(_), Value::Number(_)) => as_int(a).cmp(&as_int(b)),
        (Value::Number(_), _) => Ordering::Less,
        (_, Value::Number(_)) => Ordering::Greater,
        (Value::String(x), Value::String(y)) => x.as_bytes().cmp(y.as_bytes()),
        (Value::String(_), _) => Ordering::Less,
        (_, Value::String(_)) => Ordering::Greater,
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        (Value::Bool(_), _) => Ordering::Less,
        (_, Value::Bool(_)) => Ordering::Greater,
        (Value::Array(x), Value::Array(y)) => {
            for (p, q) in x.iter().zip(y.iter()) {
                let c = cmp_values(p, q);
                if c != Ordering::Equal {
                    return c;
                }
            }
            x.len().cmp(&y.len())
        }
        (Value::Array(_), _) => Ordering::Less,
        (_, Value::Array(_)) => Ordering::Greater,
        (Value::Object(x), Value::Object(y)) => cmp_maps(x, y),
        (Value::Object(_), _) => Ordering::Less,
        (_, Value::Object(_)) => Ordering::Greater,
        (Value::Null, Value::Null) => Ordering::Equal,
    }
}

fn cmp_maps(x: &Map<String, Value>, y: &Map<String, Value>) -> Ordering {
    if x.is_empty() && y.is_empty() {
        return Ordering::Equal;
    }
    let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
    keys.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
    keys.dedup();
    for (i, k) in keys.into_iter().enumerate() {
        if i == x.len() {
            return Ordering::Less;
        }
        if i == y.len() {
            return Ordering::Greater;
        }
        let c = match (x.get(k), y.get(k)) {
            (None, _) => Ordering::Greater,
            (_, None) => Ordering::Less,
            (Some(p), Some(q)) => cmp_values(p, q),
        };
        if c != Ordering::Equal {
            return c;
        }
    }
    Ordering::Equal
}

/// Upstream's `value.Equals`: ints and floats compare numerically, containers deeply.
pub fn values_equal(a: &Value, b: &Value) -> bool {
    if as_float(a).is_some() || as_float(b).is_some() {
        let num = |v: &Value| as_float(v).or_else(|| as_int(v).map(|i| i as f64));
        return match (num(a), num(b)) {
            (Some(x), Some(y)) => x == y,
            _ => false,
        };
    }
    match (a, b) {
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| values_equal(p, q)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, p)| y.get(k).is_some_and(|q| values_equal(p, q)))
        }
        (Value::Number(_), Value::Number(_)) => as_int(a) == as_int(b),
        _ => a == b,
    }
}

impl std::fmt::Display for PathElement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PathElement::Field(name) => write!(f, ".{name}"),
            PathElement::Key(fields) => {
                let parts: Vec<String> = fields.iter().map(|(k, v)| format!("{k}={}", go_value_string(v))).collect();
                write!(f, "[{}]", parts.join(","))
            }
            PathElement::Value(v) => write!(f, "[={}]", go_value_string(v)),
            PathElement::Index(i) => write!(f, "[{i}]"),
        }
    }
}

/// A path as upstream prints it in conflicts and errors: `.spec.containers[name="a"].image`.
pub fn path_string(path: &[PathElement]) -> String {
    let mut out = String::new();
    for pe in path {
        let _ = write!(out, "{pe}");
    }
    out
}

/// `value.ToString`: strings Go-quoted, numbers and booleans as `%v` prints them.
fn go_value_string(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::String(s) => go_quote(s),
        Value::Number(_) => match as_int(v) {
            Some(i) => i.to_string(),
            None => go_float_v(as_float(v).unwrap_or(0.0)),
        },
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().map(go_value_string).collect();
            format!("[{}]", parts.join(","))
        }
        Value::Object(m) => m.iter().map(|(k, v)| format!("{k}={}", go_value_string(v))).collect(),
    }
}

/// Go's `%v` for a float64 (`strconv.FormatFloat(f, 'g', -1, 64)`): an exponent below 1e-4
/// and from 1e+06 on.
fn go_float_v(f: f64) -> String {
    if f == 0.0 || !f.is_finite() {
        return format!("{f}");
    }
    let sci = format!("{f:e}");
    let exp = sci.split_once('e').and_then(|(_, e)| e.parse::<i32>().ok()).unwrap_or(0);
    if !(-4..6).contains(&exp) {
        go_exp(f)
    } else {
        format!("{f}")
    }
}

/// Go's shortest `%e` form: `1.5e+06`, `1e-07`.
fn go_exp(f: f64) -> String {
    let s = format!("{f:e}");
    match s.split_once('e') {
        Some((mantissa, exp)) => {
            let (sign, digits) = match exp.strip_prefix('-') {
                Some(d) => ('-', d),
                None => ('+', exp),
            };
            format!("{mantissa}e{sign}{digits:0>2}")
        }
        None => s,
    }
}

/// Writes `v` as Go's JSON encoders do: compact, map keys sorted, `<`, `>`, `&`, U+2028 and
/// U+2029 escaped, floats in Go's shortest form.
pub fn write_go_json(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(_) => match as_int(v) {
            Some(i) => {
                let _ = write!(out, "{i}");
            }
            None => out.push_str(&go_json_float(as_float(v).unwrap_or(0.0))),
        },
        Value::String(s) => write_go_json_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_go_json(item, out);
            }
            out.push(']');
        }
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_go_json_string(k, out);
                out.push(':');
                if let Some(item) = m.get(k) {
                    write_go_json(item, out);
                }
            }
            out.push('}');
        }
    }
}

pub fn write_go_json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// encoding/json's float form: plain decimals, exponents below 1e-6 and from 1e21 on.
fn go_json_float(f: f64) -> String {
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        go_exp(f).replacen("e-0", "e-", 1)
    } else {
        format!("{f}")
    }
}

/// The `FieldsV1` key of a path element.
pub fn serialize_element(pe: &PathElement) -> String {
    let mut out = String::new();
    match pe {
        PathElement::Field(name) => {
            out.reserve_exact(name.len() + 2);
            out.push_str("f:");
            out.push_str(name);
        }
        PathElement::Key(fields) => {
            out.push_str("k:{");
            for (i, (name, v)) in fields.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_go_json_string(name, &mut out);
                out.push(':');
                write_go_json(v, &mut out);
            }
            out.push('}');
        }
        PathElement::Value(v) => {
            out.push_str("v:");
            write_go_json(v, &mut out);
        }
        PathElement::Index(i) => {
            let _ = write!(out, "i:{i}");
        }
    }
    out
}

/// Why a `FieldsV1` key could not be read.
#[derive(Debug, PartialEq, Eq)]
pub enum ElementError {
    /// A prefix this version does not know: upstream silently drops these.
    UnknownType,
    Invalid(String),
}

/// Parses a `FieldsV1` key back into a path element.
pub fn deserialize_element(s: &str) -> Result<PathElement, ElementError> {
    let b = s.as_bytes();
    if b.len() < 2 {
        return Err(ElementError::Invalid("key must be 2 characters long:".into()));
    }
    if b[1] != b':' {
        return Err(ElementError::Invalid(format!("missing colon: {s}")));
    }
    let rest = &s[2..];
    match b[0] {
        b'f' => Ok(PathElement::Field(rest.to_string())),
        b'v' => serde_json::from_str::<Value>(rest)
            .map(|v| PathElement::Value(Box::new(v)))
            .map_err(|e| ElementError::Invalid(format!("parsing value {rest:?}: {e}"))),
        b'k' => match serde_json::from_str::<Value>(rest) {
            Ok(Value::Object(m)) => Ok(PathElement::key(m.into_iter().collect())),
            Ok(_) => Err(ElementError::Invalid(format!("ReadObjectCB: expect {{ or n, but found {rest}"))),
            Err(e) => Err(ElementError::Invalid(format!("parsing key {rest:?}: {e}"))),
        },
        b'i' => rest
            .parse::<i64>()
            .map(PathElement::Index)
            .map_err(|_| ElementError::Invalid(format!("strconv.Atoi: parsing {rest:?}: invalid syntax"))),
        _ => Err(ElementError::UnknownType),
    }
}

/// Encodes a set in the `FieldsV1` form managedFields carry.
pub fn set_to_fields(set: &Set) -> Value {
    Value::Object(emit(set, false))
}

fn emit(set: &Set, include_self: bool) -> Map<String, Value> {
    let members = set.members();
    let children = set.children();
    let mut out = Map::with_capacity(usize::from(include_self) + members.len() + children.len());
    if include_self && !set.is_empty() {
        out.insert(".".into(), Value::Object(Map::new()));
    }
    let (mut mi, mut ci) = (0, 0);
    while mi < members.len() || ci < children.len() {
        let order = match (members.get(mi), children.get(ci)) {
            (Some(m), Some((c, _))) => m.cmp(c),
            (Some(_), None) => Ordering::Less,
            _ => Ordering::Greater,
        };
        match order {
            Ordering::Less => {
                out.insert(serialize_element(&members[mi]), Value::Object(Map::new()));
                mi += 1;
            }
            Ordering::Greater => {
                let (pe, child) = &children[ci];
                out.insert(serialize_element(pe), Value::Object(emit(child, false)));
                ci += 1;
            }
            Ordering::Equal => {
                let (pe, child) = &children[ci];
                out.insert(serialize_element(pe), Value::Object(emit(child, true)));
                mi += 1;
                ci += 1;
            }
        }
    }
    out
}

/// Decodes a `FieldsV1` value; keys with unknown prefixes are dropped as upstream does.
pub fn fields_to_set(v: &Value) -> Result<Set, String> {
    Ok(read_node(v, 0)?.0.unwrap_or_default())
}

/// Deeper sets than this are refused (JSON parsing stops well before).
const MAX_DEPTH: usize = 256;

/// The children of one node, and whether the node itself is a member.
fn read_node(v: &Value, depth: usize) -> Result<(Option<Set>, bool), String> {
    if depth > MAX_DEPTH {
        return Err("fields nest too deeply".into());
    }
    let map = match v {
        Value::Null => return Ok((None, true)),
        Value::Object(m) => m,
        other => return Err(format!("ReadMapCB: expect {{ or n, but found {}", json_kind(other))),
    };
    let mut children: Option<Set> = None;
    let mut is_member = false;
    for (key, child) in map {
        if key == "." {
            is_member = true;
            continue;
        }
        let pe = match deserialize_element(key) {
            Ok(pe) => pe,
            Err(ElementError::UnknownType) => continue,
            Err(ElementError::Invalid(e)) => return Err(format!("parsing key as path element: {e}")),
        };
        let (grandchildren, child_member) = read_node(child, depth + 1)?;
        match (child_member, grandchildren) {
            (true, None) => children.get_or_insert_with(Set::default).insert_member(pe),
            (true, Some(g)) => {
                let set = children.get_or_insert_with(Set::default);
                set.insert_member(pe.clone());
                set.set_child(pe, g);
            }
            (false, Some(g)) => children.get_or_insert_with(Set::default).set_child(pe, g),
            (false, None) => {}
        }
    }
    if children.is_none() {
        is_member = true;
    }
    Ok((children, is_member))
}

pub fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}
