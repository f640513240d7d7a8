//! A frozen copy of `schema::json::normalize` as the reference implementation uses it.

use serde_json::{Map, Value};

use crate::schema::{schema, values, FieldDef, TypeDef, ValueType};

const MAX_DEPTH: usize = 128;

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

fn normalize_object(def: &TypeDef, value: &mut Value, depth: usize) {
    let Value::Object(map) = value else { return };
    if depth > MAX_DEPTH {
        return;
    }
    let mut old = std::mem::take(map);
    for f in def.json_fields() {
        let Some(mut v) = old.remove(&f.json_name) else {
            continue;
        };
        if v.is_null() {
            continue;
        }
        normalize_field(f, &mut v, depth + 1);
        if !f.pointer && f.omitempty && is_empty(f, &v) {
            continue;
        }
        map.insert(f.json_name.clone(), v);
    }
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
        ValueType::Time => {
            if let Some((secs, _)) = v.as_str().and_then(values::parse_rfc3339) {
                *v = Value::String(values::format_rfc3339(secs));
            }
        }
        ValueType::MicroTime => {
            if let Some((secs, nanos)) = v.as_str().and_then(values::parse_rfc3339_micro) {
                *v = Value::String(values::format_rfc3339_micro(secs, nanos));
            }
        }
        ValueType::Duration => {
            if let Some(nanos) = v.as_str().and_then(|s| values::parse_duration(s).ok()) {
                *v = Value::String(values::format_duration(nanos));
            }
        }
        ValueType::Quantity => {
            if let Some(text) = quantity_text(v) {
                if let Ok(canonical) = values::canonical_quantity(text.trim()) {
                    *v = Value::String(canonical);
                }
            }
        }
        _ => {}
    }
}

/// The text a JSON quantity carries (Go accepts both strings and bare numbers).
fn quantity_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Whether Go's `omitempty` drops this value.
fn is_empty(f: &FieldDef, v: &Value) -> bool {
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
fn zero_value(t: &ValueType) -> Option<Value> {
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
