//! The meta types whose wire form upstream writes by hand: Time, MicroTime, Duration,
//! Quantity, IntOrString, RawExtension and FieldsV1.

use serde_json::Value;

use super::encode::{mismatch, EncodeError};
use super::wire::{self, put_bytes, put_varint_field, DecodeError, Raw, Reader};
use crate::quantity::Quantity;
use crate::schema::values;
use crate::schema::ValueType;

/// The fields of a small fixed message, last occurrence winning (unknown ones skipped).
fn scalar_fields<'a>(bytes: &'a [u8], message: &str, max_tag: u32) -> Result<Vec<Option<Raw<'a>>>, DecodeError> {
    let mut slots = vec![None; max_tag as usize + 1];
    let mut r = Reader::new(bytes);
    while !r.is_empty() {
        let (tag, raw) = r.field(message)?;
        if let Some(slot) = slots.get_mut(tag as usize) {
            *slot = Some(raw);
        }
    }
    Ok(slots)
}

fn varint(raw: Option<Raw<'_>>, field: &str) -> Result<u64, DecodeError> {
    match raw {
        None => Ok(0),
        Some(Raw::Varint(v)) => Ok(v),
        Some(other) => Err(wrong_wire(other, field)),
    }
}

fn bytes<'a>(raw: Option<Raw<'a>>, field: &str) -> Result<Option<&'a [u8]>, DecodeError> {
    match raw {
        None => Ok(None),
        Some(Raw::Bytes(b)) => Ok(Some(b)),
        Some(other) => Err(wrong_wire(other, field)),
    }
}

pub(crate) fn wrong_wire(raw: Raw<'_>, field: &str) -> DecodeError {
    wire::error(format!("proto: wrong wireType = {} for field {field}", raw.wire_type()))
}

/// Decodes one specially-encoded value from its message bytes (`None`: the field was
/// absent). `Ok(None)` is Go's `null`.
pub(crate) fn decode(t: &ValueType, msg: Option<&[u8]>, depth: usize) -> Result<Option<Value>, DecodeError> {
    let b = msg.unwrap_or_default();
    match t {
        ValueType::Time | ValueType::MicroTime => {
            // Go reads an empty message as the zero time, which JSON prints as null.
            if b.is_empty() {
                return Ok(Some(Value::Null));
            }
            let f = scalar_fields(b, "Timestamp", 2)?;
            let secs = varint(f[1], "Seconds")? as i64;
            let nanos = i64::from(varint(f[2], "Nanos")? as i32);
            if *t == ValueType::Time {
                // Upstream drops the nanoseconds of a Time on read.
                if secs == values::GO_ZERO_TIME_UNIX {
                    return Ok(Some(Value::Null));
                }
                return Ok(Some(Value::String(values::format_rfc3339(secs))));
            }
            let (secs, nanos) = values::normalize_unix(secs, nanos - nanos % 1000);
            if secs == values::GO_ZERO_TIME_UNIX && nanos == 0 {
                return Ok(Some(Value::Null));
            }
            Ok(Some(Value::String(values::format_rfc3339_micro(secs, nanos))))
        }
        ValueType::Duration => {
            let f = scalar_fields(b, "Duration", 1)?;
            Ok(Some(Value::String(values::format_duration(varint(f[1], "Duration")? as i64))))
        }
        ValueType::Quantity => {
            let f = scalar_fields(b, "Quantity", 1)?;
            match bytes(f[1], "String_")? {
                None => Ok(Some(Value::String("0".into()))),
                Some(s) => {
                    let text = String::from_utf8_lossy(s);
                    let q = Quantity::parse(&text).map_err(wire::error)?;
                    Ok(Some(Value::String(q.to_string())))
                }
            }
        }
        ValueType::IntOrString => {
            let f = scalar_fields(b, "IntOrString", 3)?;
            match varint(f[1], "Type")? as i64 {
                0 => Ok(Some(Value::from(i64::from(varint(f[2], "IntVal")? as i32)))),
                1 => {
                    let s = bytes(f[3], "StrVal")?.unwrap_or_default();
                    Ok(Some(Value::String(wire::lossy_string(s))))
                }
                _ => Err(wire::error("impossible IntOrString.Type")),
            }
        }
        ValueType::RawExtension | ValueType::FieldsV1 => {
            let name = if *t == ValueType::RawExtension { "RawExtension" } else { "FieldsV1" };
            let f = scalar_fields(b, name, 1)?;
            match bytes(f[1], "Raw")? {
                None => Ok(None),
                Some(raw) => embedded(raw, *t == ValueType::RawExtension, depth).map(Some),
            }
        }
        _ => Err(wire::error(format!("internal: {t:?} is not a special type"))),
    }
}

/// The value an embedded `Raw` holds: JSON, or (for RawExtension) a protobuf-enveloped object.
fn embedded(raw: &[u8], allow_protobuf: bool, depth: usize) -> Result<Value, DecodeError> {
    if allow_protobuf && raw.starts_with(&super::MAGIC) {
        return super::decode_envelope(raw, None, depth + 1);
    }
    if raw.is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_slice(raw).map_err(|e| wire::error(format!("embedded object is not JSON: {e}")))
}

/// Appends the message body of a specially-encoded value (`None`: Go's zero value).
pub(crate) fn encode(t: &ValueType, v: Option<&Value>, out: &mut Vec<u8>) -> Result<(), EncodeError> {
    match t {
        ValueType::Time | ValueType::MicroTime => {
            let Some(v) = v else { return Ok(()) };
            let text = v.as_str().ok_or_else(|| mismatch("a timestamp string", v))?;
            let micro = *t == ValueType::MicroTime;
            let parsed = if micro { values::parse_rfc3339_micro(text) } else { values::parse_rfc3339(text) };
            let (secs, nanos) = parsed.ok_or_else(|| EncodeError::new(format!("invalid timestamp {text:?}")))?;
            if secs == values::GO_ZERO_TIME_UNIX && (nanos == 0 || !micro) {
                // Go writes the zero time as an empty message.
                return Ok(());
            }
            put_varint_field(out, 1, secs as u64);
            // Time never carries nanoseconds on the wire; MicroTime keeps microseconds.
            let nanos = if micro { nanos - nanos % 1000 } else { 0 };
            put_varint_field(out, 2, u64::from(nanos));
        }
        ValueType::Duration => {
            let nanos = match v {
                None => 0,
                Some(v) => {
                    let text = v.as_str().ok_or_else(|| mismatch("a duration string", v))?;
                    values::parse_duration(text).map_err(EncodeError::new)?
                }
            };
            put_varint_field(out, 1, nanos as u64);
        }
        ValueType::Quantity => {
            let canonical = match v {
                None => "0".to_string(),
                Some(v) => {
                    let text = Quantity::json_text(v).ok_or_else(|| mismatch("a quantity", v))?;
                    Quantity::parse(text.trim()).map_err(|e| EncodeError::new(e.message()))?.to_string()
                }
            };
            put_bytes(out, 1, canonical.as_bytes());
        }
        ValueType::IntOrString => {
            let (kind, int, text) = match v {
                None => (0, 0, ""),
                Some(Value::String(s)) => (1, 0, s.as_str()),
                Some(Value::Number(n)) => {
                    let i = n
                        .as_i64()
                        .and_then(|i| i32::try_from(i).ok())
                        .ok_or_else(|| EncodeError::new(format!("{n} does not fit an int32")))?;
                    (0, i, "")
                }
                Some(other) => return Err(mismatch("an integer or a string", other)),
            };
            put_varint_field(out, 1, kind);
            put_varint_field(out, 2, i64::from(int) as u64);
            put_bytes(out, 3, text.as_bytes());
        }
        ValueType::RawExtension | ValueType::FieldsV1 => {
            if let Some(v) = v {
                let json = serde_json::to_vec(v).map_err(|e| EncodeError::new(e.to_string()))?;
                put_bytes(out, 1, &json);
            }
        }
        _ => return Err(EncodeError::new(format!("internal: {t:?} is not a special type"))),
    }
    Ok(())
}
