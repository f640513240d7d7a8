//! Kubernetes protobuf (`application/vnd.kubernetes.protobuf`), transcoded to and from the
//! JSON upstream prints for the same object.
//!
//! A body is the magic `k8s\0` followed by a `runtime.Unknown` envelope whose `typeMeta`
//! names the kind and whose `raw` holds the object's message. Everything below the
//! envelope is driven by the schema table ([`crate::schema`]); there is no per-type code.
//! Watch streams frame raw (envelope-less) `WatchEvent` messages with a 4-byte big-endian
//! length, each event's object being an enveloped body in a `RawExtension`.

mod decode;
mod encode;
mod special;
mod wire;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_objects;

use serde_json::{Map, Value};

use crate::schema::schema;
use crate::ApiError;
use wire::{put_bytes, put_nested, DecodeError, Raw, Reader};

/// The prefix of every Kubernetes protobuf body.
pub const MAGIC: [u8; 4] = *b"k8s\0";

/// The media type protobuf bodies are exchanged as.
pub const CONTENT_TYPE: &str = "application/vnd.kubernetes.protobuf";

/// Decodes an enveloped body into the JSON object upstream would print for it, `kind`
/// and `apiVersion` first.
pub fn decode(body: &[u8]) -> Result<Value, ApiError> {
    decode_envelope(body, None, 0).map_err(DecodeError::into_api)
}

/// Like [`decode`], taking the group/version and kind the request path implies when the
/// envelope leaves them empty (as upstream's decoder does).
pub fn decode_with_defaults(body: &[u8], api_version: &str, kind: &str) -> Result<Value, ApiError> {
    decode_envelope(body, Some((api_version, kind)), 0).map_err(DecodeError::into_api)
}

/// Encodes a JSON object (which names its `apiVersion` and `kind`) as an enveloped body.
pub fn encode(obj: &Value) -> Result<Vec<u8>, ApiError> {
    let fail = |m: String| ApiError::bad_request(format!("unable to encode object as protobuf: {m}"));
    let map = obj.as_object().ok_or_else(|| fail("the object is not a JSON object".into()))?;
    let text = |key: &str| map.get(key).and_then(Value::as_str).unwrap_or_default();
    let (api_version, kind) = (text("apiVersion"), text("kind"));
    if kind.is_empty() {
        return Err(fail("Object 'Kind' is missing".into()));
    }
    if api_version.is_empty() {
        return Err(fail("Object 'apiVersion' is missing".into()));
    }
    let def = schema()
        .kind_for_api_version(api_version, kind)
        .ok_or_else(|| fail(format!("no kind {kind:?} is registered for version {api_version:?}")))?;
    let mut raw = Vec::new();
    encode::message(def, Some(map), &mut raw, 0).map_err(|e| fail(e.describe()))?;
    Ok(envelope(api_version, kind, &raw))
}

/// One complete frame of a protobuf watch stream: the length, then a `WatchEvent` whose
/// object is `obj` encoded as by [`encode`].
pub fn encode_watch_event(event_type: &str, obj: &Value) -> Result<Vec<u8>, ApiError> {
    let inner = encode(obj)?;
    let mut event = Vec::with_capacity(inner.len() + event_type.len() + 16);
    put_bytes(&mut event, 1, event_type.as_bytes());
    put_nested::<()>(&mut event, 2, |o| {
        put_bytes(o, 1, &inner);
        Ok(())
    })
    .map_err(|()| ApiError::internal("watch event framing failed"))?;
    let len = u32::try_from(event.len()).map_err(|_| ApiError::too_large("watch event exceeds 4 GiB"))?;
    let mut frame = Vec::with_capacity(event.len() + 4);
    frame.extend_from_slice(&len.to_be_bytes());
    frame.extend_from_slice(&event);
    Ok(frame)
}

/// Reads one watch frame (length prefix included) back into its event type and object.
pub fn decode_watch_event(frame: &[u8]) -> Result<(String, Value), ApiError> {
    watch_event(frame).map_err(DecodeError::into_api)
}

fn watch_event(frame: &[u8]) -> Result<(String, Value), DecodeError> {
    let (len, payload) = frame.split_first_chunk::<4>().ok_or_else(wire::unexpected_eof)?;
    if u32::from_be_bytes(*len) as usize != payload.len() {
        return Err(wire::error("watch frame length does not match its payload"));
    }
    let mut r = Reader::new(payload);
    let (mut event_type, mut object) = (String::new(), None);
    while !r.is_empty() {
        match r.field("WatchEvent")? {
            (1, Raw::Bytes(b)) => event_type = wire::lossy_string(b),
            (2, Raw::Bytes(b)) => object = Some(b),
            (1 | 2, other) => return Err(special::wrong_wire(other, "WatchEvent")),
            _ => {}
        }
    }
    let mut raw: &[u8] = &[];
    let mut r = Reader::new(object.unwrap_or_default());
    while !r.is_empty() {
        if let (1, Raw::Bytes(b)) = r.field("RawExtension")? {
            raw = b;
        }
    }
    let obj = if raw.starts_with(&MAGIC) {
        decode_envelope(raw, None, 0)?
    } else {
        serde_json::from_slice(raw).map_err(|e| wire::error(format!("watch event object: {e}")))?
    };
    Ok((event_type, obj))
}

fn envelope(api_version: &str, kind: &str, raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len() + api_version.len() + kind.len() + 20);
    out.extend_from_slice(&MAGIC);
    let mut type_meta = Vec::with_capacity(api_version.len() + kind.len() + 4);
    put_bytes(&mut type_meta, 1, api_version.as_bytes());
    put_bytes(&mut type_meta, 2, kind.as_bytes());
    put_bytes(&mut out, 1, &type_meta);
    put_bytes(&mut out, 2, raw);
    // contentEncoding and contentType are always written, empty.
    put_bytes(&mut out, 3, b"");
    put_bytes(&mut out, 4, b"");
    out
}

/// Decodes an enveloped body; `depth` counts enclosing messages (for objects embedded in
/// a `RawExtension`).
pub(crate) fn decode_envelope(body: &[u8], defaults: Option<(&str, &str)>, depth: usize) -> Result<Value, DecodeError> {
    if body.is_empty() {
        return Err(wire::error("empty data"));
    }
    if !body.starts_with(&MAGIC) {
        return Err(wire::error(format!(
            "provided data does not appear to be a protobuf message, expected prefix {:?}",
            MAGIC
        )));
    }
    if body.len() == MAGIC.len() {
        return Err(wire::error("empty body"));
    }
    if depth > decode::MAX_DEPTH {
        return Err(wire::error("proto: message nesting exceeds the maximum depth"));
    }
    let mut r = Reader::new(&body[MAGIC.len()..]);
    let (mut api_version, mut kind, mut raw) = (String::new(), String::new(), &[][..]);
    while !r.is_empty() {
        match r.field("Unknown")? {
            (1, Raw::Bytes(tm)) => {
                let mut t = Reader::new(tm);
                while !t.is_empty() {
                    match t.field("TypeMeta")? {
                        (1, Raw::Bytes(b)) => api_version = wire::lossy_string(b),
                        (2, Raw::Bytes(b)) => kind = wire::lossy_string(b),
                        (1, other) => return Err(special::wrong_wire(other, "APIVersion")),
                        (2, other) => return Err(special::wrong_wire(other, "Kind")),
                        _ => {}
                    }
                }
            }
            (2, Raw::Bytes(b)) => raw = b,
            (3 | 4, Raw::Bytes(_)) => {}
            (tag @ 1..=4, other) => {
                let name = ["TypeMeta", "Raw", "ContentEncoding", "ContentType"][tag as usize - 1];
                return Err(special::wrong_wire(other, name));
            }
            _ => {}
        }
    }
    if let Some((default_version, default_kind)) = defaults {
        if kind.is_empty() {
            kind = default_kind.to_string();
        }
        if api_version.is_empty() {
            api_version = default_version.to_string();
        }
    }
    if kind.is_empty() {
        return Err(wire::error(format!(
            "Object 'Kind' is missing in 'runtime.TypeMeta{{APIVersion:{api_version:?}, Kind:\"\"}}'"
        )));
    }
    if api_version.is_empty() {
        return Err(wire::error(format!(
            "Object 'apiVersion' is missing in 'runtime.TypeMeta{{APIVersion:\"\", Kind:{kind:?}}}'"
        )));
    }
    let def = schema()
        .kind_for_api_version(&api_version, &kind)
        .ok_or_else(|| wire::error(format!("no kind {kind:?} is registered for version {api_version:?}")))?;
    let fields = decode::message(def, raw, depth + 1)?;
    let mut out = Map::new();
    if def.type_meta {
        out.insert("kind".into(), Value::String(kind));
        out.insert("apiVersion".into(), Value::String(api_version));
    }
    out.extend(fields);
    Ok(Value::Object(out))
}
