//! Working copies of stored objects the way the field manager sees them, made cheaply.
//!
//! [`shaped_copy`] gives exactly what cloning an object, dropping its managedFields and
//! running [`super::typed::go_shape`] (`schema::normalize`, then the Go zero-value fill) on
//! the clone gives, in a single pass that reads the original: no clone that is then taken
//! apart, no map rebuilt twice, and member lookups through the schema's own (FNV) index
//! rather than SipHash probes of the object. Key order, depth limits and every value are
//! those of the two-pass form; where normalization stops (nesting deeper than it looks) the
//! original fill finishes the job.
//!
//! [`zero_of`] keeps the zero object of each kind (upstream's `New()` seen unstructured),
//! which creates compare against, instead of building it for every request.

use std::collections::{HashMap, HashSet};
use std::sync::{OnceLock, RwLock};

use serde_json::{Map, Value};

use super::typed::{field_at, fill_struct, message_def, struct_def, zero_field, Slots};
use crate::schema::{canonical_text, is_empty, schema, zero_value, FieldDef, TypeDef, ValueType};

/// `schema::normalize` leaves objects nested deeper than this as they are.
const NORMALIZE_DEPTH: usize = 128;

/// Whether the single pass applies to this schema: it mirrors normalization of named slice
/// types (`ExtraValue`) for scalar items only, which is all the served types have.
fn supported() -> bool {
    static SUPPORTED: OnceLock<bool> = OnceLock::new();
    *SUPPORTED.get_or_init(|| {
        let s = schema();
        let mut seen: HashSet<&str> = HashSet::new();
        let mut todo: Vec<&TypeDef> = s.kinds().into_iter().map(|(_, _, def)| def).collect();
        while let Some(def) = todo.pop() {
            if !seen.insert(&def.name) {
                continue;
            }
            if let Some(ValueType::Message(_)) = &def.items {
                return false;
            }
            for f in def.json_fields() {
                if let Some(d) = f.value.message().and_then(|n| s.type_def(n)) {
                    todo.push(d);
                }
            }
        }
        true
    })
}

/// The working copy of stored object `obj` of kind `def`, managedFields dropped: what
/// `set_managed_fields(None)` + `go_shape` do to a clone. `None` when this schema needs the
/// two-pass form (see [`supported`]) or the kind's `metadata` is not a plain struct field.
pub fn shaped_copy(def: &'static TypeDef, obj: &Value) -> Option<Value> {
    if !supported() {
        return None;
    }
    let meta = def.field("metadata");
    if meta.is_some_and(|f| f.repeated || f.is_map() || struct_def(&f.value).is_none()) {
        return None;
    }
    Some(match obj {
        Value::Object(m) => Value::Object(shape_object(def, m, 0, Drop::MetadataManagedFields)),
        other => other.clone(),
    })
}

/// Members a struct level leaves out of its copy.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Drop {
    None,
    /// At the root: `metadata.managedFields`.
    MetadataManagedFields,
    /// At `metadata`: `managedFields`.
    ManagedFields,
}

/// `normalize_object(def, src, level)` followed by `fill_struct(def, src, level)`, for
/// `level <= NORMALIZE_DEPTH`: the normalized members in schema order, then the zero values
/// of the fields left out, in schema order.
fn shape_object(def: &TypeDef, src: &Map<String, Value>, level: usize, drop: Drop) -> Map<String, Value> {
    let fields = def.json_fields();
    let mut slots: Slots<Option<&Value>> = Slots::new(fields.len());
    for (key, v) in src {
        if drop == Drop::ManagedFields && key == "managedFields" {
            continue;
        }
        if let Some((at, _)) = field_at(def, key) {
            slots.set(at, Some(v));
        }
    }
    let mut out = Map::with_capacity(fields.len());
    let mut kept: Slots<bool> = Slots::new(fields.len());
    for (i, f) in fields.iter().enumerate() {
        let Some(v) = slots.get(i) else { continue };
        if v.is_null() {
            continue;
        }
        let child_drop = match drop {
            Drop::MetadataManagedFields if f.json_name == "metadata" => Drop::ManagedFields,
            _ => Drop::None,
        };
        let shaped = shape_field(f, v, level + 1, child_drop);
        if !f.pointer && f.omitempty && is_empty(f, &shaped) {
            continue;
        }
        out.insert(f.json_name.clone(), shaped);
        kept.set(i, true);
    }
    for (i, f) in fields.iter().enumerate() {
        if !kept.get(i) {
            if let Some(z) = zero_field(f, level) {
                out.insert(f.json_name.clone(), z);
            }
        }
    }
    out
}

/// A struct value at `level`: shaped in one pass while normalization still reaches it, else
/// copied and filled the way `fill_struct` fills what normalization left alone.
fn shape_struct(def: &TypeDef, v: &Value, level: usize, drop: Drop) -> Value {
    match v {
        Value::Object(m) if level <= NORMALIZE_DEPTH => Value::Object(shape_object(def, m, level, drop)),
        _ => {
            let mut copy = v.clone();
            fill_struct(def, &mut copy, level);
            copy
        }
    }
}

/// `normalize_field(f, v, level)` followed by `fill_present(f, v, level - 1)`.
fn shape_field(f: &FieldDef, v: &Value, level: usize, drop: Drop) -> Value {
    let def = struct_def(&f.value);
    if f.repeated {
        match v {
            Value::Array(items) => {
                Value::Array(items.iter().map(|item| shape_element(&f.value, def, item, level)).collect())
            }
            other => other.clone(),
        }
    } else if f.is_map() {
        match v {
            Value::Object(entries) => {
                let mut sorted: Vec<(&String, &Value)> = entries.iter().collect();
                sorted.sort_by(|a, b| a.0.cmp(b.0));
                let mut out = Map::with_capacity(sorted.len());
                for (k, item) in sorted {
                    let shaped = if item.is_null() && f.value == ValueType::Bytes {
                        Value::Null
                    } else {
                        shape_element(&f.value, def, item, level)
                    };
                    out.insert(k.clone(), shaped);
                }
                Value::Object(out)
            }
            other => other.clone(),
        }
    } else {
        match def {
            Some(def) => shape_struct(def, v, level, drop),
            None => shape_value(&f.value, v, level),
        }
    }
}

/// A list item or map value: `normalize_element(t, v, level)`, then the fill of struct
/// items (`null` becomes the zero struct).
fn shape_element(t: &ValueType, def: Option<&TypeDef>, v: &Value, level: usize) -> Value {
    if let Some(def) = def {
        return match v {
            // Go's zero struct: `{}` normalized, then filled.
            Value::Null => shape_struct(def, &Value::Object(Map::new()), level, Drop::None),
            other => shape_struct(def, other, level, Drop::None),
        };
    }
    if v.is_null() {
        return match zero_value(t) {
            Some(z) if !z.is_null() => shape_value(t, &z, level),
            _ => Value::Null,
        };
    }
    shape_value(t, v, level)
}

/// `normalize_value(t, v, level)` for everything but struct types (see [`shape_struct`]).
fn shape_value(t: &ValueType, v: &Value, level: usize) -> Value {
    match t {
        ValueType::Message(name) => match (message_def(name), v) {
            (Some(TypeDef { items: Some(item), .. }), Value::Array(items)) => {
                Value::Array(items.iter().map(|e| shape_element(item, None, e, level + 1)).collect())
            }
            _ => v.clone(),
        },
        t => canonical_text(t, v).unwrap_or_else(|| v.clone()),
    }
}

/// The zero object of kind `def` (see [`super::typed::zero_object`]), built once per kind.
/// Kinds come from the static schema, so the cache is bounded by it.
pub fn zero_of(def: &'static TypeDef, build: impl FnOnce() -> Value) -> &'static Value {
    static ZEROS: OnceLock<RwLock<HashMap<usize, &'static Value>>> = OnceLock::new();
    let zeros = ZEROS.get_or_init(Default::default);
    let key = def as *const TypeDef as usize;
    if let Some(v) = zeros.read().ok().and_then(|m| m.get(&key).copied()) {
        return v;
    }
    let mut map = match zeros.write() {
        Ok(m) => m,
        Err(poisoned) => poisoned.into_inner(),
    };
    map.entry(key).or_insert_with(|| Box::leak(Box::new(build())))
}
