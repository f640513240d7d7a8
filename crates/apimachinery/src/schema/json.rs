//! Schema-driven passes over JSON objects: strict-decoding field checks and the shape a
//! Go decode + encode round trip gives an object.

use serde_json::{Map, Value};

use super::{schema, values, FieldDef, TypeDef, ValueType};
use crate::quantity::Quantity;

/// Upstream stops collecting strict-decoding errors after this many.
const MAX_UNKNOWN_FIELDS: usize = 100;

/// Paths of the fields in `obj` that the Go type of `kind` does not have, in document order,
/// as upstream's strict decoding names them (`spec.containers[0].foo`). Values of
/// `RawExtension` and `FieldsV1` fields are free-form and never reported. Unknown kinds
/// yield nothing.
pub fn unknown_fields(group: &str, version: &str, kind: &str, obj: &Value) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(def) = schema().kind(group, version, kind) {
        walk_unknown(def, obj, "", &mut out, 0);
    }
    out
}

/// Each strict-decoding finding as upstream words it (`unknown field "spec.foo"`,
/// `duplicate field "spec.replicas"`): unknown fields first, then repeated ones.
pub fn strict_decoding_findings(unknown: &[String], duplicates: &[String]) -> Vec<String> {
    let unknown = unknown.iter().map(|p| format!("unknown field \"{p}\""));
    let duplicates = duplicates.iter().map(|p| format!("duplicate field \"{p}\""));
    unknown.chain(duplicates).take(MAX_UNKNOWN_FIELDS).collect()
}

/// The error text upstream's strict decoding reports for these findings
/// (`strict decoding error: unknown field "spec.foo", duplicate field "spec.replicas"`).
pub fn strict_decoding_message(findings: &[String]) -> String {
    format!("strict decoding error: {}", findings.join(", "))
}

/// JSON nesting beyond this is left unexamined (serde_json itself stops at 128).
const MAX_DEPTH: usize = 128;

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

fn walk_unknown(def: &TypeDef, value: &Value, path: &str, out: &mut Vec<String>, depth: usize) {
    let Value::Object(map) = value else { return };
    if depth > MAX_DEPTH {
        return;
    }
    for (key, v) in map {
        let here = join(path, key);
        match def.field(key) {
            None => {
                if out.len() < MAX_UNKNOWN_FIELDS && !out.contains(&here) {
                    out.push(here);
                }
            }
            Some(f) => walk_unknown_field(f, v, &here, out, depth + 1),
        }
    }
}

fn walk_unknown_field(f: &FieldDef, v: &Value, path: &str, out: &mut Vec<String>, depth: usize) {
    let Some(name) = f.value.message() else {
        return;
    };
    let Some(def) = schema().type_def(name) else {
        return;
    };
    if def.items.is_some() {
        return;
    }
    match v {
        Value::Array(items) if f.repeated => {
            for (i, item) in items.iter().enumerate() {
                walk_unknown(def, item, &format!("{path}[{i}]"), out, depth);
            }
        }
        Value::Object(entries) if f.is_map() => {
            for (k, item) in entries {
                walk_unknown(def, item, &join(path, k), out, depth);
            }
        }
        Value::Object(_) if !f.repeated && !f.is_map() => walk_unknown(def, v, path, out, depth),
        _ => {}
    }
}

/// Rewrites `obj` as a Go decode + encode round trip of `kind` would print it: unknown
/// fields and `null` members dropped, zero values of non-pointer `omitempty` scalars, lists
/// and maps dropped, fields in Go order, map keys sorted, and times, durations and
/// quantities in their canonical text. Pointer fields keep zero values, non-`omitempty`
/// fields and struct-valued fields are kept. Unknown kinds are left alone.
pub fn normalize(group: &str, version: &str, kind: &str, obj: &mut Value) {
    if let Some(def) = schema().kind(group, version, kind) {
        normalize_object(def, obj, 0);
    }
}

/// Adds what Go prints for fields an object lacks: zero values of non-pointer,
/// non-`omitempty` scalars, and (recursively) empty objects for non-pointer structs —
/// except where Go prints `null` (zero times, nil lists, maps and pointers), since these
/// helpers never emit `null` members. After [`normalize`], this gives exactly the JSON
/// upstream serves for the same object and that protobuf decoding produces.
pub fn fill_defaults(group: &str, version: &str, kind: &str, obj: &mut Value) {
    if let Some(def) = schema().kind(group, version, kind) {
        fill_object(def, obj, 0);
    }
}

fn normalize_object(def: &TypeDef, value: &mut Value, depth: usize) {
    let Value::Object(map) = value else { return };
    if depth > MAX_DEPTH {
        return;
    }
    // Known, non-null members are normalized where they are; the map keeps what it then
    // holds when that is exactly the known, non-null, non-omitted members in schema order,
    // and is otherwise rebuilt from its own entries in schema order.
    let (mut ordered, mut exact, mut next) = (true, true, 0);
    for (key, v) in map.iter_mut() {
        match def.json_index.get(key.as_str()).and_then(|&at| Some((at, def.json_fields.get(at)?))) {
            Some((at, f)) if !v.is_null() => {
                normalize_field(f, v, depth + 1);
                exact &= !omitted(f, v);
                ordered &= at >= next;
                next = at + 1;
            }
            _ => exact = false,
        }
    }
    if ordered && exact {
        return;
    }
    let mut kept: Vec<(usize, String, Value)> = std::mem::take(map)
        .into_iter()
        .filter_map(|(key, v)| {
            let at = *def.json_index.get(key.as_str())?;
            (!v.is_null() && !omitted(def.json_fields.get(at)?, &v)).then_some((at, key, v))
        })
        .collect();
    if !ordered {
        kept.sort_unstable_by_key(|k| k.0);
    }
    map.extend(kept.into_iter().map(|(_, key, v)| (key, v)));
}

/// Whether Go's encoder leaves the (normalized) value of `f` out.
fn omitted(f: &FieldDef, v: &Value) -> bool {
    !f.pointer && f.omitempty && is_empty(f, v)
}

fn normalize_field(f: &FieldDef, v: &mut Value, depth: usize) {
    if f.repeated {
        if let Value::Array(items) = v {
            for item in items {
                normalize_element(&f.value, item, depth);
            }
        }
    } else if f.is_map() {
        if let Value::Object(entries) = v {
            let mut sorted: Vec<(String, Value)> = std::mem::take(entries).into_iter().collect();
            sorted.sort_by(|a, b| a.0.cmp(&b.0));
            for (k, mut item) in sorted {
                if !(item.is_null() && f.value == ValueType::Bytes) {
                    normalize_element(&f.value, &mut item, depth);
                }
                entries.insert(k, item);
            }
        }
    } else {
        normalize_value(&f.value, v, depth);
    }
}

/// A list element or map value: Go turns `null` into the element's zero value.
fn normalize_element(t: &ValueType, v: &mut Value, depth: usize) {
    if v.is_null() {
        *v = zero_value(t).unwrap_or(Value::Null);
        if v.is_null() {
            return;
        }
    }
    normalize_value(t, v, depth);
}

fn normalize_value(t: &ValueType, v: &mut Value, depth: usize) {
    match t {
        ValueType::Message(name) => {
            let Some(def) = schema().type_def(name) else {
                return;
            };
            match (&def.items, v) {
                (Some(item), Value::Array(items)) => {
                    for e in items {
                        normalize_element(item, e, depth + 1);
                    }
                }
                (None, v @ Value::Object(_)) => normalize_object(def, v, depth),
                _ => {}
            }
        }
        t => {
            if let Some(text) = canonical_text(t, v) {
                *v = text;
            }
        }
    }
}

/// The canonical text Go prints for a specially-encoded scalar (times, durations,
/// quantities), or `None` when `v` is not one or does not parse (it is then left alone).
pub(crate) fn canonical_text(t: &ValueType, v: &Value) -> Option<Value> {
    match t {
        ValueType::Time => {
            let (secs, _) = v.as_str().and_then(values::parse_rfc3339)?;
            Some(Value::String(values::format_rfc3339(secs)))
        }
        ValueType::MicroTime => {
            let (secs, nanos) = v.as_str().and_then(values::parse_rfc3339_micro)?;
            Some(Value::String(values::format_rfc3339_micro(secs, nanos)))
        }
        ValueType::Duration => {
            let nanos = v.as_str().and_then(|s| values::parse_duration(s).ok())?;
            Some(Value::String(values::format_duration(nanos)))
        }
        ValueType::Quantity => Quantity::from_json(v).ok().map(|q| Value::String(q.to_string())),
        _ => None,
    }
}

/// Whether Go's `omitempty` drops this value.
pub(crate) fn is_empty(f: &FieldDef, v: &Value) -> bool {
    if f.repeated || f.is_map() {
        return match v {
            Value::Array(a) => a.is_empty(),
            Value::Object(m) => m.is_empty(),
            _ => false,
        };
    }
    match (&f.value, v) {
        (ValueType::String | ValueType::Bytes, Value::String(s)) => s.is_empty(),
        (ValueType::Bool, Value::Bool(b)) => !b,
        (ValueType::Int32 | ValueType::Int64 | ValueType::Double, Value::Number(n)) => n.as_f64() == Some(0.0),
        // A named slice type is still a slice to `omitempty`; structs never are empty.
        (ValueType::Message(name), Value::Array(a)) => {
            a.is_empty() && schema().type_def(name).is_some_and(|d| d.items.is_some())
        }
        _ => false,
    }
}

/// The JSON Go prints for a zero value of `t`, or `None` where it prints `null`.
pub(crate) fn zero_value(t: &ValueType) -> Option<Value> {
    Some(match t {
        ValueType::String => Value::String(String::new()),
        ValueType::Bool => Value::Bool(false),
        ValueType::Int32 | ValueType::Int64 | ValueType::Double => Value::from(0),
        ValueType::Quantity => Value::String("0".into()),
        ValueType::IntOrString => Value::from(0),
        ValueType::Duration => Value::String("0s".into()),
        ValueType::Message(name) => match schema().type_def(name) {
            Some(def) if def.items.is_none() => Value::Object(Map::new()),
            _ => return None,
        },
        // A zero time is a struct Go prints as `null`, `omitempty` or not.
        ValueType::Time | ValueType::MicroTime => Value::Null,
        ValueType::Bytes | ValueType::RawExtension | ValueType::FieldsV1 => return None,
    })
}

fn fill_object(def: &TypeDef, value: &mut Value, depth: usize) {
    let Value::Object(map) = value else { return };
    if depth > MAX_DEPTH {
        return;
    }
    let mut old = std::mem::take(map);
    for f in def.json_fields() {
        match old.remove(&f.json_name) {
            Some(mut v) => {
                fill_field(f, &mut v, depth + 1);
                map.insert(f.json_name.clone(), v);
            }
            None => {
                if f.pointer || f.repeated || f.is_map() || f.tag == 0 {
                    continue;
                }
                let Some(mut zero) = zero_value(&f.value) else {
                    continue;
                };
                if f.omitempty && is_empty(f, &zero) {
                    continue;
                }
                fill_field(f, &mut zero, depth + 1);
                map.insert(f.json_name.clone(), zero);
            }
        }
    }
    // Members the type does not know stay, after the known ones.
    map.extend(old);
}

fn fill_field(f: &FieldDef, v: &mut Value, depth: usize) {
    let Some(def) = f.value.message().and_then(|n| schema().type_def(n)) else {
        return;
    };
    if def.items.is_some() {
        return;
    }
    match v {
        Value::Array(items) if f.repeated => items.iter_mut().for_each(|item| fill_object(def, item, depth)),
        Value::Object(entries) if f.is_map() => entries.values_mut().for_each(|item| fill_object(def, item, depth)),
        Value::Object(_) => fill_object(def, v, depth),
        _ => {}
    }
}
