//! Reading loosely typed JSON the way upstream's typed structs see it: an absent or `null`
//! field is the zero value, and a value of the wrong JSON type becomes a cause rather than
//! a failure. Also field paths (`spec.containers[0].image`, `metadata.labels[app]`) and
//! Go's `%#v` renderings that upstream's messages embed.

use serde_json::{Map, Value};

use crate::gofmt::go_quote;
use crate::selector::validation::go_string_slice;
use crate::status::Cause;
use crate::validation::errors::type_invalid;

/// What an absent field reads as.
pub(super) static NULL: Value = Value::Null;

/// `parent.name`, or `name` at the root.
pub(super) fn child(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

/// `parent[i]`.
pub(super) fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

/// `parent[key]` (upstream prints map keys unquoted).
pub(super) fn key(path: &str, k: &str) -> String {
    format!("{path}[{k}]")
}

/// A field that is either an integer or a string (`intstr.IntOrString`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum IntOrStr<'a> {
    Int(i64),
    Str(&'a str),
}

/// The causes found so far, plus readers that report values of the wrong type.
#[derive(Debug, Default)]
pub(super) struct Errs {
    pub list: Vec<Cause>,
}

impl Errs {
    pub fn new() -> Self {
        Errs::default()
    }

    pub fn push(&mut self, cause: Cause) {
        self.list.push(cause);
    }

    pub fn extend(&mut self, causes: impl IntoIterator<Item = Cause>) {
        self.list.extend(causes);
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Reports a value of the wrong JSON type (once per field).
    pub fn wrong_type(&mut self, path: &str, value: &Value, expected: &str) {
        let cause = type_invalid(path, value, expected);
        if !self.list.contains(&cause) {
            self.list.push(cause);
        }
    }

    /// An object field; `&NULL` when absent, `null`, or not an object (reported).
    pub fn obj<'a>(&mut self, parent: &'a Value, path: &str, k: &str) -> &'a Value {
        self.opt_obj(parent, path, k).unwrap_or(&NULL)
    }

    /// An object field, `None` when absent or `null` (upstream's nil pointer).
    pub fn opt_obj<'a>(&mut self, parent: &'a Value, path: &str, k: &str) -> Option<&'a Value> {
        match parent.get(k) {
            None | Some(Value::Null) => None,
            Some(v @ Value::Object(_)) => Some(v),
            Some(other) => {
                self.wrong_type(&child(path, k), other, "object");
                None
            }
        }
    }

    /// An array field; empty when absent, `null`, or not an array (reported).
    pub fn arr<'a>(&mut self, parent: &'a Value, path: &str, k: &str) -> &'a [Value] {
        self.opt_arr(parent, path, k).unwrap_or(&[])
    }

    /// An array field, `None` when absent or `null`.
    pub fn opt_arr<'a>(&mut self, parent: &'a Value, path: &str, k: &str) -> Option<&'a [Value]> {
        match parent.get(k) {
            None | Some(Value::Null) => None,
            Some(Value::Array(items)) => Some(items.as_slice()),
            Some(other) => {
                self.wrong_type(&child(path, k), other, "array");
                None
            }
        }
    }

    /// The elements of an array of objects with their paths; `null` elements read as
    /// empty objects, elements of another type are reported and read as empty.
    pub fn items<'a>(&mut self, parent: &'a Value, path: &str, k: &str) -> Vec<(String, &'a Value)> {
        let field = child(path, k);
        let items = self.arr(parent, path, k);
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let p = index(&field, i);
            match item {
                Value::Object(_) => out.push((p, item)),
                Value::Null => out.push((p, &NULL)),
                other => {
                    self.wrong_type(&p, other, "object");
                    out.push((p, &NULL));
                }
            }
        }
        out
    }

    /// A string field; `""` when absent, `null`, or not a string (reported).
    pub fn str<'a>(&mut self, parent: &'a Value, path: &str, k: &str) -> &'a str {
        self.opt_str(parent, path, k).unwrap_or("")
    }

    /// A string field, `None` when absent or `null` (upstream's nil `*string`).
    pub fn opt_str<'a>(&mut self, parent: &'a Value, path: &str, k: &str) -> Option<&'a str> {
        match parent.get(k) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.as_str()),
            Some(other) => {
                self.wrong_type(&child(path, k), other, "string");
                None
            }
        }
    }

    /// An integer field; 0 when absent, `null`, or not an integer (reported).
    pub fn int(&mut self, parent: &Value, path: &str, k: &str) -> i64 {
        self.opt_int(parent, path, k).unwrap_or(0)
    }

    /// An integer field, `None` when absent or `null`.
    pub fn opt_int(&mut self, parent: &Value, path: &str, k: &str) -> Option<i64> {
        match parent.get(k) {
            None | Some(Value::Null) => None,
            Some(v) => match as_int(v) {
                Some(n) => Some(n),
                None => {
                    self.wrong_type(&child(path, k), v, "integer");
                    None
                }
            },
        }
    }

    /// A boolean field; false when absent, `null`, or not a boolean (reported).
    pub fn bool(&mut self, parent: &Value, path: &str, k: &str) -> bool {
        self.opt_bool(parent, path, k).unwrap_or(false)
    }

    /// A boolean field, `None` when absent or `null`.
    pub fn opt_bool(&mut self, parent: &Value, path: &str, k: &str) -> Option<bool> {
        match parent.get(k) {
            None | Some(Value::Null) => None,
            Some(Value::Bool(b)) => Some(*b),
            Some(other) => {
                self.wrong_type(&child(path, k), other, "boolean");
                None
            }
        }
    }

    /// A `map[string]string` field in document order; `None` when absent or `null`.
    /// Entries whose value is not a string are reported and read as `""`.
    pub fn str_map<'a>(&mut self, parent: &'a Value, path: &str, k: &str) -> Option<Vec<(&'a str, &'a str)>> {
        let map = match parent.get(k) {
            None | Some(Value::Null) => return None,
            Some(Value::Object(map)) => map,
            Some(other) => {
                self.wrong_type(&child(path, k), other, "object");
                return None;
            }
        };
        let field = child(path, k);
        let mut out = Vec::with_capacity(map.len());
        for (name, v) in map {
            match v {
                Value::String(s) => out.push((name.as_str(), s.as_str())),
                Value::Null => out.push((name.as_str(), "")),
                other => {
                    self.wrong_type(&key(&field, name), other, "string");
                    out.push((name.as_str(), ""));
                }
            }
        }
        Some(out)
    }

    /// A `[]string` field; elements of another type are reported and read as `""`.
    pub fn str_list<'a>(&mut self, parent: &'a Value, path: &str, k: &str) -> Vec<&'a str> {
        let field = child(path, k);
        let items = self.arr(parent, path, k);
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            match item {
                Value::String(s) => out.push(s.as_str()),
                Value::Null => out.push(""),
                other => {
                    self.wrong_type(&index(&field, i), other, "string");
                    out.push("");
                }
            }
        }
        out
    }

    /// An `intstr.IntOrString` field, `None` when absent or `null`.
    pub fn int_or_str<'a>(&mut self, parent: &'a Value, path: &str, k: &str) -> Option<IntOrStr<'a>> {
        match parent.get(k) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(IntOrStr::Str(s.as_str())),
            Some(v) => match as_int(v) {
                Some(n) => Some(IntOrStr::Int(n)),
                None => {
                    self.wrong_type(&child(path, k), v, "integer or string");
                    None
                }
            },
        }
    }
}

/// An integer JSON value (floats with a fraction or out of range are not integers).
pub(super) fn as_int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| n.as_u64().map(|u| i64::try_from(u).unwrap_or(i64::MAX))),
        _ => None,
    }
}

/// A string at `k` without reporting anything (for comparisons between versions).
pub(super) fn get_str<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or("")
}

/// An integer at `k` without reporting anything.
pub(super) fn get_int(v: &Value, k: &str) -> Option<i64> {
    v.get(k).and_then(as_int)
}

/// A value at `k` that is neither absent nor `null`.
pub(super) fn present<'a>(v: &'a Value, k: &str) -> Option<&'a Value> {
    v.get(k).filter(|x| !x.is_null())
}

/// Whether a value is the zero value of its type as Go sees it after decoding.
pub(super) fn is_empty_value(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(m) => m.is_empty(),
        _ => false,
    }
}

/// Upstream's semantic equality on decoded objects: absent, `null`, `""`, `[]` and `{}`
/// are all the zero value; numbers compare by value.
pub(super) fn semantic_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            x.iter().all(|(k, v)| y.get(k).map_or(is_empty_value(v), |w| semantic_eq(v, w)))
                && y.iter().all(|(k, w)| x.contains_key(k) || is_empty_value(w))
        }
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(v, w)| semantic_eq(v, w)),
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        _ if is_empty_value(a) && is_empty_value(b) => true,
        _ => a == b,
    }
}

/// Semantic equality of the fields `k` of two objects.
pub(super) fn field_eq(a: &Value, b: &Value, k: &str) -> bool {
    semantic_eq(a.get(k).unwrap_or(&NULL), b.get(k).unwrap_or(&NULL))
}

/// Go's `%#v` of a `map[string]string` (`nil` when absent): keys sorted.
pub(super) fn go_string_map(map: Option<&Map<String, Value>>) -> String {
    let Some(map) = map else {
        return "map[string]string(nil)".to_string();
    };
    let mut entries: Vec<(&String, &Value)> = map.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    let body: Vec<String> =
        entries.iter().map(|(k, v)| format!("{}:{}", go_quote(k), go_quote(v.as_str().unwrap_or("")))).collect();
    format!("map[string]string{{{}}}", body.join(", "))
}

/// Go's `%#v` of the `map[string]string` at `v[k]`.
pub(super) fn go_string_map_at(v: &Value, k: &str) -> String {
    go_string_map(v.get(k).and_then(Value::as_object))
}

/// Go's `%#v` of a `[]string` (`nil` when absent).
pub(super) fn go_strings(v: Option<&Value>) -> String {
    match v.and_then(Value::as_array) {
        None => "[]string(nil)".to_string(),
        Some(items) if items.is_empty() => "[]string{}".to_string(),
        Some(items) => {
            let values: Vec<String> = items.iter().map(|i| i.as_str().unwrap_or("").to_string()).collect();
            go_string_slice(&values)
        }
    }
}

/// Go's `%#v` of a `metav1.LabelSelector` as upstream prints an immutable selector.
pub(super) fn go_label_selector(v: &Value) -> String {
    if v.is_null() {
        return "(*v1.LabelSelector)(nil)".to_string();
    }
    let labels = go_string_map(v.get("matchLabels").and_then(Value::as_object));
    let exprs = match v.get("matchExpressions").and_then(Value::as_array) {
        None => "[]v1.LabelSelectorRequirement(nil)".to_string(),
        Some(items) => {
            let body: Vec<String> = items
                .iter()
                .map(|e| {
                    format!(
                        "v1.LabelSelectorRequirement{{Key:{}, Operator:{}, Values:{}}}",
                        go_quote(get_str(e, "key")),
                        go_quote(get_str(e, "operator")),
                        go_strings(e.get("values"))
                    )
                })
                .collect();
            format!("[]v1.LabelSelectorRequirement{{{}}}", body.join(", "))
        }
    };
    format!("v1.LabelSelector{{MatchLabels:{labels}, MatchExpressions:{exprs}}}")
}

/// A compact rendering of a structured value for messages whose upstream form is a Go
/// struct dump that cannot be reproduced from JSON.
pub(super) fn render_json(v: &Value) -> String {
    match v {
        Value::String(s) => go_quote(s),
        Value::Null => "null".to_string(),
        other => other.to_string(),
    }
}

/// Lines describing where two JSON values differ (`- path: old` / `+ path: new`), used
/// where upstream appends a structural diff to a message.
pub(super) fn diff_lines(path: &str, old: &Value, new: &Value, out: &mut Vec<String>) {
    if semantic_eq(old, new) {
        return;
    }
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            let mut keys: Vec<&String> = a.keys().collect();
            for k in b.keys() {
                if !a.contains_key(k) {
                    keys.push(k);
                }
            }
            for k in keys {
                diff_lines(&child(path, k), a.get(k).unwrap_or(&NULL), b.get(k).unwrap_or(&NULL), out);
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                diff_lines(&index(path, i), x, y, out);
            }
        }
        _ => {
            if !is_empty_value(old) {
                out.push(format!("- {path}: {}", render_json(old)));
            }
            if !is_empty_value(new) {
                out.push(format!("+ {path}: {}", render_json(new)));
            }
        }
    }
}

/// A diff of two values as one string (one line per difference).
pub(super) fn diff(root: &str, old: &Value, new: &Value) -> String {
    let mut lines = Vec::new();
    diff_lines(root, old, new, &mut lines);
    lines.join("\n")
}
