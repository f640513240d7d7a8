//! Turning stored objects into responses: single objects, lists, Tables and
//! metadata-only shapes, in the negotiated encoding.

use std::sync::Arc;

use apimachinery::resource::ResourceInfo;
use apimachinery::{meta, table};
use bytes::{BufMut, BytesMut};
use serde_json::{json, Map, Value};

use super::convert;
use crate::negotiate::{Encoding, Output, Shape};
use crate::object::StoredObject;
use crate::response::{self, HttpResponse};

/// List metadata (`resourceVersion`, `continue`, `remainingItemCount`).
#[derive(Debug, Clone, Default)]
pub struct ListMeta {
    pub resource_version: i64,
    pub continue_token: String,
    pub remaining: Option<i64>,
}

impl ListMeta {
    fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("resourceVersion".into(), json!(self.resource_version.to_string()));
        if !self.continue_token.is_empty() {
            m.insert("continue".into(), json!(self.continue_token));
        }
        if let Some(n) = self.remaining {
            m.insert("remainingItemCount".into(), json!(n));
        }
        Value::Object(m)
    }
}

/// The object as the requested version serves it.
pub fn served_value(res: &ResourceInfo, obj: &StoredObject) -> Value {
    convert::to_served(res, obj.value())
}

/// `PartialObjectMetadata` of an object.
pub fn partial_metadata(obj: &Value) -> Value {
    json!({
        "kind": "PartialObjectMetadata",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": obj.get("metadata").cloned().unwrap_or_else(|| json!({})),
    })
}

/// The Table for some objects of one resource.
pub fn table(
    res: &ResourceInfo,
    objects: &[Value],
    list_meta: Value,
    include_object: &str,
    with_columns: bool,
) -> Value {
    let columns = table::columns(res.group, res.version, res.plural);
    let now = chrono::Utc::now();
    let rows: Vec<Value> = objects
        .iter()
        .map(|obj| {
            let mut row = Map::new();
            row.insert("cells".into(), Value::Array(table::cells(res.group, res.version, res.plural, obj, now)));
            match include_object {
                "None" => {}
                "Object" => {
                    row.insert("object".into(), obj.clone());
                }
                _ => {
                    row.insert("object".into(), partial_metadata(obj));
                }
            }
            Value::Object(row)
        })
        .collect();
    let definitions = if with_columns { table::column_definitions_json(columns) } else { json!([]) };
    json!({
        "kind": "Table",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": list_meta,
        "columnDefinitions": definitions,
        "rows": rows,
    })
}

/// One object, with `code` (200 or 201).
pub fn object(res: &ResourceInfo, obj: &StoredObject, out: Output, include_object: &str, code: u16) -> HttpResponse {
    if out.encoding == Encoding::Json && out.shape == Shape::Object && !res.needs_conversion() {
        return response::bytes_response(code, "application/json", obj.json.clone());
    }
    value(res, &served_value(res, obj), out, include_object, code)
}

/// One object held as a value (already in the served version).
pub fn value(res: &ResourceInfo, obj: &Value, out: Output, include_object: &str, code: u16) -> HttpResponse {
    let body = match out.shape {
        Shape::Object | Shape::PartialObjectMetadataList => obj.clone(),
        Shape::PartialObjectMetadata => partial_metadata(obj),
        Shape::Table => {
            let rv = meta::resource_version(obj).to_string();
            table(res, std::slice::from_ref(obj), json!({"resourceVersion": rv}), include_object, true)
        }
    };
    response::encode(code, &body, out)
}

/// A list of objects of one resource.
pub fn list(
    res: &ResourceInfo,
    items: &[Arc<StoredObject>],
    list_meta: &ListMeta,
    out: Output,
    include_object: &str,
) -> HttpResponse {
    if out.encoding == Encoding::Json && out.shape == Shape::Object && !res.needs_conversion() {
        return response::bytes_response(200, "application/json", list_json_bytes(res, items, list_meta));
    }
    let values: Vec<Value> = items.iter().map(|o| served_value(res, o)).collect();
    let body = match out.shape {
        Shape::Table => table(res, &values, list_meta.to_json(), include_object, true),
        Shape::PartialObjectMetadata | Shape::PartialObjectMetadataList => json!({
            "kind": "PartialObjectMetadataList",
            "apiVersion": "meta.k8s.io/v1",
            "metadata": list_meta.to_json(),
            "items": values.iter().map(partial_metadata).collect::<Vec<_>>(),
        }),
        Shape::Object => json!({
            "kind": res.list_kind(),
            "apiVersion": res.api_version(),
            "metadata": list_meta.to_json(),
            "items": values,
        }),
    };
    response::encode(200, &body, out)
}

/// A JSON list assembled from the cached bytes of its items, without re-encoding them.
fn list_json_bytes(res: &ResourceInfo, items: &[Arc<StoredObject>], list_meta: &ListMeta) -> bytes::Bytes {
    let size: usize = items.iter().map(|o| o.json.len() + 1).sum::<usize>() + 256;
    let mut buf = BytesMut::with_capacity(size);
    let head = json!({"kind": res.list_kind(), "apiVersion": res.api_version(), "metadata": list_meta.to_json()});
    let head = head.to_string();
    // `{...}` without its closing brace, then the items array.
    buf.put_slice(&head.as_bytes()[..head.len() - 1]);
    buf.put_slice(b",\"items\":[");
    for (i, obj) in items.iter().enumerate() {
        if i > 0 {
            buf.put_u8(b',');
        }
        buf.put_slice(&obj.json);
    }
    buf.put_slice(b"]}");
    buf.freeze()
}

#[cfg(test)]
mod tests {
    use super::*;
    use apimachinery::resource::lookup;

    #[test]
    fn a_json_list_is_valid_json_with_every_item() {
        let pods = lookup("", "v1", "pods").expect("pods");
        let items: Vec<Arc<StoredObject>> = (0..3)
            .map(|i| {
                let pod = json!({"kind": "Pod", "apiVersion": "v1", "metadata": {"name": format!("p{i}"), "namespace": "ns"}});
                Arc::new(StoredObject::from_value(pods, pod, 10 + i).expect("stored"))
            })
            .collect();
        let meta = ListMeta { resource_version: 42, continue_token: "abc".into(), remaining: Some(7) };
        let bytes = list_json_bytes(pods, &items, &meta);
        let list: Value = serde_json::from_slice(&bytes).expect("valid JSON");
        assert_eq!(list["kind"], "PodList");
        assert_eq!(list["metadata"]["resourceVersion"], "42");
        assert_eq!(list["metadata"]["continue"], "abc");
        assert_eq!(list["metadata"]["remainingItemCount"], 7);
        assert_eq!(list["items"][2]["metadata"]["resourceVersion"], "12");
    }

    #[test]
    fn an_empty_list_has_an_empty_items_array() {
        let pods = lookup("", "v1", "pods").expect("pods");
        let bytes = list_json_bytes(pods, &[], &ListMeta::default());
        let list: Value = serde_json::from_slice(&bytes).expect("valid JSON");
        assert_eq!(list["items"], json!([]));
    }
}
