//! Protobuf message bytes to the JSON upstream prints for the same Go value.
//!
//! Go's gogo decoder fills a struct and the JSON encoder prints it; this does both in one
//! walk of the schema: non-pointer fields always appear (their zero value if absent on the
//! wire) unless `omitempty` drops a zero, pointer fields appear only when present, and
//! `null`s Go would print are left out.

use std::borrow::Cow;
use std::collections::BTreeMap;

use base64::Engine;
use serde_json::{Map, Value};

use super::special;
use super::wire::{self, DecodeError, Raw, Reader, FIXED64, LEN, VARINT};
use crate::schema::{schema, FieldDef, TypeDef, ValueType};

/// Messages nest no deeper than this (the served types need about 15 levels).
pub(crate) const MAX_DEPTH: usize = 100;

/// The wire type a value of `t` is written with.
pub(crate) fn wire_type(t: &ValueType) -> u8 {
    match t {
        ValueType::Bool | ValueType::Int32 | ValueType::Int64 => VARINT,
        ValueType::Double => FIXED64,
        _ => LEN,
    }
}

fn too_deep() -> DecodeError {
    wire::error("proto: message nesting exceeds the maximum depth")
}

fn type_of(name: &str) -> Result<&'static TypeDef, DecodeError> {
    schema().type_def(name).ok_or_else(|| wire::error(format!("internal: unknown type {name}")))
}

/// Decodes a message of type `def` into a JSON object.
pub(crate) fn message(def: &TypeDef, bytes: &[u8], depth: usize) -> Result<Map<String, Value>, DecodeError> {
    if depth > MAX_DEPTH {
        return Err(too_deep());
    }
    // (field position, value) in wire order; a stable sort groups each field's values
    // without one vector per field.
    let mut seen: Vec<(usize, Raw<'_>)> = Vec::new();
    let mut r = Reader::new(bytes);
    while !r.is_empty() {
        let (tag, raw) = r.field(def.short_name())?;
        let Some(i) = def.position_of_tag(tag) else { continue };
        let f = &def.fields[i];
        let want = wire_type(&f.value);
        match raw {
            _ if raw.wire_type() == want => seen.push((i, raw)),
            // Repeated numbers may arrive packed.
            Raw::Bytes(packed) if f.repeated && want == VARINT => {
                let mut p = Reader::new(packed);
                while !p.is_empty() {
                    seen.push((i, Raw::Varint(p.varint()?)));
                }
            }
            _ => return Err(special::wrong_wire(raw, field_name(f))),
        }
    }
    seen.sort_by_key(|e| e.0);
    let (positions, raws): (Vec<usize>, Vec<Raw<'_>>) = seen.into_iter().unzip();
    let mut out = Map::new();
    let mut start = 0;
    for (i, f) in def.fields.iter().enumerate() {
        let end = start + positions[start..].iter().take_while(|&&p| p == i).count();
        let raws = &raws[start..end];
        start = end;
        if f.inline {
            let inner = type_of(f.value.message().unwrap_or_default())?;
            out.extend(message(inner, &concat(raws), depth + 1)?);
        } else if f.in_json() {
            if let Some(v) = field(f, raws, depth).map_err(|e| within(e, f))? {
                out.insert(f.json_name.clone(), v);
            }
        }
    }
    Ok(out)
}

fn field_name(f: &FieldDef) -> &str {
    if f.json_name.is_empty() {
        f.value.message().and_then(|n| n.rsplit('.').next()).unwrap_or("")
    } else {
        &f.json_name
    }
}

fn within(mut e: DecodeError, f: &FieldDef) -> DecodeError {
    // Name the innermost field only: it says what failed.
    if !e.0.contains(" (in field ") {
        e.0 = format!("{} (in field {})", e.0, field_name(f));
    }
    e
}

/// Message chunks of one field merge like one message, as protobuf specifies; the usual
/// single chunk is borrowed.
fn concat<'a>(raws: &[Raw<'a>]) -> Cow<'a, [u8]> {
    match raws {
        [] => Cow::Borrowed(&[]),
        [Raw::Bytes(b)] => Cow::Borrowed(b),
        _ => {
            let mut out = Vec::new();
            for raw in raws {
                if let Raw::Bytes(b) = raw {
                    out.extend_from_slice(b);
                }
            }
            Cow::Owned(out)
        }
    }
}

fn field(f: &FieldDef, raws: &[Raw<'_>], depth: usize) -> Result<Option<Value>, DecodeError> {
    if f.is_map() {
        if raws.is_empty() {
            return Ok(None);
        }
        // Go prints map keys sorted.
        let mut entries = BTreeMap::new();
        for raw in raws {
            let (k, v) = map_entry(&f.value, raw, depth)?;
            entries.insert(k, v);
        }
        return Ok(Some(Value::Object(entries.into_iter().collect())));
    }
    if f.repeated {
        if raws.is_empty() {
            return Ok(None);
        }
        let items = raws.iter().map(|r| value(&f.value, Some(*r), depth).map(|v| v.unwrap_or(Value::Null)));
        return Ok(Some(Value::Array(items.collect::<Result<_, _>>()?)));
    }
    let last = raws.last().copied();
    let wrapper = f.value.message().map(type_of).transpose()?.is_some_and(|d| d.items.is_some());
    // Nil pointers, slices and []byte print as null (dropped) or vanish under omitempty.
    if last.is_none() && (f.pointer || wrapper || f.value == ValueType::Bytes) {
        return Ok(None);
    }
    let merged = matches!(
        f.value,
        ValueType::Message(_)
            | ValueType::RawExtension
            | ValueType::FieldsV1
            | ValueType::IntOrString
            | ValueType::Duration
    );
    let v = match raws {
        [_, ..] if merged => value(&f.value, Some(Raw::Bytes(&concat(raws))), depth)?,
        // Time and Quantity parse their last chunk only, like their Go unmarshalers.
        _ => value(&f.value, last, depth)?,
    };
    // `omitempty` drops zero scalars and empty slices, never a struct.
    let scalar =
        wrapper || !(merged || matches!(f.value, ValueType::Time | ValueType::MicroTime | ValueType::Quantity));
    Ok(v.filter(|v| f.pointer || !f.omitempty || !scalar || !is_zero(v)))
}

fn is_zero(v: &Value) -> bool {
    match v {
        Value::String(s) => s.is_empty(),
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

fn map_entry(t: &ValueType, raw: &Raw<'_>, depth: usize) -> Result<(String, Value), DecodeError> {
    let Raw::Bytes(b) = raw else {
        return Err(special::wrong_wire(*raw, "map entry"));
    };
    let mut r = Reader::new(b);
    let (mut key, mut val) = (String::new(), None);
    while !r.is_empty() {
        match r.field("MapEntry")? {
            (1, Raw::Bytes(k)) => key = wire::lossy_string(k),
            (1, other) => return Err(special::wrong_wire(other, "key")),
            (2, v) if v.wire_type() == wire_type(t) => val = Some(v),
            (2, other) => return Err(special::wrong_wire(other, "value")),
            _ => {}
        }
    }
    // A missing value is the zero value; Go prints nil []byte and zero times as null.
    Ok((key, value(t, val, depth)?.unwrap_or(Value::Null)))
}

/// One value of type `t` (`None`: absent, i.e. Go's zero value). `Ok(None)` is `null`.
pub(crate) fn value(t: &ValueType, raw: Option<Raw<'_>>, depth: usize) -> Result<Option<Value>, DecodeError> {
    fn num(raw: Option<Raw<'_>>) -> u64 {
        match raw {
            Some(Raw::Varint(v)) => v,
            _ => 0,
        }
    }
    fn bytes(raw: Option<Raw<'_>>) -> &[u8] {
        match raw {
            Some(Raw::Bytes(b)) => b,
            _ => &[],
        }
    }
    Ok(Some(match t {
        ValueType::String => Value::String(wire::lossy_string(bytes(raw))),
        ValueType::Bool => Value::Bool(num(raw) != 0),
        // Go truncates a 64-bit varint to the field's 32 bits.
        ValueType::Int32 => Value::from(i64::from(num(raw) as i32)),
        ValueType::Int64 => Value::from(num(raw) as i64),
        ValueType::Double => {
            let f = match raw {
                Some(Raw::Fixed64(bits)) => f64::from_bits(bits),
                _ => 0.0,
            };
            if f.fract() == 0.0 && f.abs() < 1e15 {
                Value::from(f as i64)
            } else {
                serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .ok_or_else(|| wire::error("json: unsupported value"))?
            }
        }
        ValueType::Bytes => match raw {
            None => return Ok(None),
            Some(_) => Value::String(base64::engine::general_purpose::STANDARD.encode(bytes(raw))),
        },
        ValueType::Message(name) => {
            let def = type_of(name)?;
            match &def.items {
                Some(item) => Value::Array(wrapper_items(def, item, bytes(raw), depth)?),
                None => Value::Object(message(def, bytes(raw), depth + 1)?),
            }
        }
        special => return special::decode(special, raw.map(|r| bytes(Some(r))), depth),
    }))
}

/// A slice-wrapper message (`ExtraValue`): `repeated items = 1`.
fn wrapper_items(def: &TypeDef, item: &ValueType, bytes: &[u8], depth: usize) -> Result<Vec<Value>, DecodeError> {
    let mut out = Vec::new();
    let mut r = Reader::new(bytes);
    while !r.is_empty() {
        match r.field(def.short_name())? {
            (1, raw) if raw.wire_type() == wire_type(item) => {
                out.push(value(item, Some(raw), depth)?.unwrap_or(Value::Null));
            }
            (1, raw) => return Err(special::wrong_wire(raw, "items")),
            _ => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
pub(crate) fn decode_type(name: &str, bytes: &[u8]) -> Result<Map<String, Value>, DecodeError> {
    message(type_of(name)?, bytes, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_wire_types_name_the_field() {
        // ObjectMeta.name (1) sent as a varint.
        let e = decode_type("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", &[0x08, 0x01]).err();
        assert!(e.is_some_and(|e| e.0.contains("wrong wireType = 0 for field name")));
    }

    #[test]
    fn unknown_fields_are_skipped() {
        // Field 99 (varint), then name "x".
        let bytes = [0x98, 0x06, 0x05, 0x0a, 0x01, b'x'];
        let m = decode_type("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", &bytes).ok();
        assert_eq!(m.and_then(|m| m.get("name").cloned()), Some(Value::from("x")));
    }
}
