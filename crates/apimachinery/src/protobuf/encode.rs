//! JSON objects to the protobuf bytes gogo writes for the same Go value: fields in tag
//! order, non-pointer fields always (zero values included), pointer fields, lists, maps
//! and byte slices only when set, map entries sorted by key.

use base64::Engine;
use serde_json::{Map, Value};

use super::decode::MAX_DEPTH;
use super::special;
use super::wire::{put_bytes, put_key, put_nested, put_varint_field, FIXED64};
use crate::schema::{schema, FieldDef, TypeDef, ValueType};

/// Why a JSON value does not fit its Go type, and where (outermost segment last).
#[derive(Debug)]
pub(crate) struct EncodeError {
    path: Vec<String>,
    message: String,
}

impl EncodeError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        EncodeError { path: Vec::new(), message: message.into() }
    }

    fn within(mut self, segment: String) -> Self {
        self.path.push(segment);
        self
    }

    /// `spec.containers[0].ports[1].containerPort: expected int32, got string`.
    pub(crate) fn describe(&self) -> String {
        let mut path = String::new();
        for seg in self.path.iter().rev() {
            if !path.is_empty() && !seg.starts_with('[') {
                path.push('.');
            }
            path.push_str(seg);
        }
        if path.is_empty() {
            self.message.clone()
        } else {
            format!("{path}: {}", self.message)
        }
    }
}

type Result<T> = std::result::Result<T, EncodeError>;

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

pub(crate) fn mismatch(what: &str, v: &Value) -> EncodeError {
    EncodeError::new(format!("expected {what}, got {}", kind_of(v)))
}

fn type_of(name: &str) -> Result<&'static TypeDef> {
    schema().type_def(name).ok_or_else(|| EncodeError::new(format!("internal: unknown type {name}")))
}

/// Appends the fields of a message of type `def` built from `obj` (`None`: Go's zero value).
pub(crate) fn message(def: &TypeDef, obj: Option<&Map<String, Value>>, out: &mut Vec<u8>, depth: usize) -> Result<()> {
    if depth > MAX_DEPTH {
        return Err(EncodeError::new("object nests too deeply"));
    }
    for f in def.fields_by_tag() {
        if f.inline {
            // The embedded struct reads its fields from the same JSON object.
            let inner = type_of(f.value.message().unwrap_or_default())?;
            put_nested(out, f.tag, |o| message(inner, obj, o, depth + 1))?;
            continue;
        }
        if !f.in_json() {
            continue;
        }
        let v = obj.and_then(|m| m.get(&f.json_name)).filter(|v| !v.is_null());
        field(f, v, out, depth).map_err(|e| e.within(f.json_name.clone()))?;
    }
    Ok(())
}

fn field(f: &FieldDef, v: Option<&Value>, out: &mut Vec<u8>, depth: usize) -> Result<()> {
    if f.is_map() {
        let Some(v) = v else { return Ok(()) };
        let entries = v.as_object().ok_or_else(|| mismatch("an object", v))?;
        let mut keys: Vec<&String> = entries.keys().collect();
        keys.sort();
        for k in keys {
            let item = &entries[k.as_str()];
            put_nested(out, f.tag, |o| {
                put_bytes(o, 1, k.as_bytes());
                // gogo leaves out nil []byte values but writes every other zero value.
                if item.is_null() && f.value == ValueType::Bytes {
                    return Ok(());
                }
                value(&f.value, 2, Some(item).filter(|v| !v.is_null()), o, depth)
            })
            .map_err(|e| e.within(format!("[{k}]")))?;
        }
        return Ok(());
    }
    if f.repeated {
        let Some(v) = v else { return Ok(()) };
        let items = v.as_array().ok_or_else(|| mismatch("an array", v))?;
        for (i, item) in items.iter().enumerate() {
            value(&f.value, f.tag, Some(item).filter(|v| !v.is_null()), out, depth)
                .map_err(|e| e.within(format!("[{i}]")))?;
        }
        return Ok(());
    }
    if v.is_none() {
        let nullable = match &f.value {
            ValueType::Bytes => true,
            ValueType::Message(name) => type_of(name)?.items.is_some(),
            _ => false,
        };
        if f.pointer || nullable {
            return Ok(());
        }
    }
    value(&f.value, f.tag, v, out, depth)
}

/// Appends one field `tag` holding `v` (`None`: the zero value).
fn value(t: &ValueType, tag: u32, v: Option<&Value>, out: &mut Vec<u8>, depth: usize) -> Result<()> {
    match t {
        ValueType::String => {
            let s = match v {
                None => "",
                Some(v) => v.as_str().ok_or_else(|| mismatch("a string", v))?,
            };
            put_bytes(out, tag, s.as_bytes());
        }
        ValueType::Bool => {
            let b = match v {
                None => false,
                Some(v) => v.as_bool().ok_or_else(|| mismatch("a bool", v))?,
            };
            put_varint_field(out, tag, u64::from(b));
        }
        ValueType::Int32 | ValueType::Int64 => {
            let n = match v {
                None => 0,
                Some(v) => integer(v, *t == ValueType::Int32)?,
            };
            // Negative numbers are sign-extended to ten bytes, as Go writes them.
            put_varint_field(out, tag, n as u64);
        }
        ValueType::Double => {
            let x = match v {
                None => 0.0,
                Some(v) => v.as_f64().ok_or_else(|| mismatch("a number", v))?,
            };
            put_key(out, tag, FIXED64);
            out.extend_from_slice(&x.to_bits().to_le_bytes());
        }
        ValueType::Bytes => {
            let b = match v {
                None => Vec::new(),
                Some(v) => {
                    let s = v.as_str().ok_or_else(|| mismatch("a base64 string", v))?;
                    decode_base64(s)?
                }
            };
            put_bytes(out, tag, &b);
        }
        ValueType::Message(name) => {
            let def = type_of(name)?;
            if let Some(item) = &def.items {
                let items = match v {
                    None => &[][..],
                    Some(v) => v.as_array().ok_or_else(|| mismatch("an array", v))?.as_slice(),
                };
                put_nested(out, tag, |o| {
                    for (i, e) in items.iter().enumerate() {
                        value(item, 1, Some(e).filter(|e| !e.is_null()), o, depth)
                            .map_err(|err| err.within(format!("[{i}]")))?;
                    }
                    Ok(())
                })?;
            } else {
                let obj = match v {
                    None => None,
                    Some(v) => Some(v.as_object().ok_or_else(|| mismatch("an object", v))?),
                };
                put_nested(out, tag, |o| message(def, obj, o, depth + 1))?;
            }
        }
        special => put_nested(out, tag, |o| special::encode(special, v, o))?,
    }
    Ok(())
}

fn integer(v: &Value, int32: bool) -> Result<i64> {
    let n = v.as_i64().ok_or_else(|| match v {
        Value::Number(n) => EncodeError::new(format!("{n} is not a 64-bit integer")),
        other => mismatch("an integer", other),
    })?;
    if int32 && i32::try_from(n).is_err() {
        return Err(EncodeError::new(format!("{n} does not fit an int32")));
    }
    Ok(n)
}

/// Go's `encoding/json` reads `[]byte` as standard padded base64 and skips line breaks.
fn decode_base64(s: &str) -> Result<Vec<u8>> {
    let engine = &base64::engine::general_purpose::STANDARD;
    if s.contains(['\r', '\n']) {
        let compact: String = s.chars().filter(|c| *c != '\r' && *c != '\n').collect();
        return engine.decode(compact).map_err(|e| EncodeError::new(format!("illegal base64 data: {e}")));
    }
    engine.decode(s).map_err(|e| EncodeError::new(format!("illegal base64 data: {e}")))
}
