//! Helpers for `metadata` and type fields of objects held as JSON values.

use serde_json::{Map, Value};

/// `metadata` of an object, if it is a JSON object.
pub fn metadata(obj: &Value) -> Option<&Map<String, Value>> {
    obj.get("metadata").and_then(Value::as_object)
}

/// `metadata`, created empty when missing or not an object.
pub fn metadata_mut(obj: &mut Value) -> &mut Map<String, Value> {
    if !obj.is_object() {
        *obj = Value::Object(Map::new());
    }
    let Value::Object(map) = obj else { unreachable_object() };
    let entry = map.entry("metadata").or_insert_with(|| Value::Object(Map::new()));
    if !entry.is_object() {
        *entry = Value::Object(Map::new());
    }
    match entry {
        Value::Object(m) => m,
        _ => unreachable_object(),
    }
}

/// Both branches above just made the value an object; this is never reached.
fn unreachable_object() -> ! {
    panic!("value was just made an object")
}

/// A string field of `metadata` ("" when missing).
pub fn meta_str<'a>(obj: &'a Value, field: &str) -> &'a str {
    metadata(obj).and_then(|m| m.get(field)).and_then(Value::as_str).unwrap_or("")
}

pub fn name(obj: &Value) -> &str {
    meta_str(obj, "name")
}

pub fn namespace(obj: &Value) -> &str {
    meta_str(obj, "namespace")
}

pub fn uid(obj: &Value) -> &str {
    meta_str(obj, "uid")
}

pub fn resource_version(obj: &Value) -> &str {
    meta_str(obj, "resourceVersion")
}

pub fn set_meta(obj: &mut Value, field: &str, value: Value) {
    metadata_mut(obj).insert(field.to_string(), value);
}

pub fn remove_meta(obj: &mut Value, field: &str) -> Option<Value> {
    metadata_mut(obj).remove(field)
}

/// `metadata.labels` as a map (empty when missing).
pub fn labels(obj: &Value) -> Option<&Map<String, Value>> {
    metadata(obj).and_then(|m| m.get("labels")).and_then(Value::as_object)
}

/// `metadata.finalizers` as strings.
pub fn finalizers(obj: &Value) -> Vec<String> {
    metadata(obj)
        .and_then(|m| m.get("finalizers"))
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

/// `apiVersion` and `kind` of an object.
pub fn type_meta(obj: &Value) -> (&str, &str) {
    let api_version = obj.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    let kind = obj.get("kind").and_then(Value::as_str).unwrap_or("");
    (api_version, kind)
}

/// Sets `apiVersion` and `kind`, keeping them first in the object as upstream prints them.
pub fn set_type_meta(obj: &mut Value, api_version: &str, kind: &str) {
    let Value::Object(map) = obj else { return };
    let mut rebuilt = Map::with_capacity(map.len() + 2);
    rebuilt.insert("kind".into(), Value::String(kind.to_string()));
    rebuilt.insert("apiVersion".into(), Value::String(api_version.to_string()));
    for (k, v) in std::mem::take(map) {
        if k != "kind" && k != "apiVersion" {
            rebuilt.insert(k, v);
        }
    }
    *map = rebuilt;
}

/// A value at a dotted path of object members (`spec.nodeName`).
pub fn path<'a>(obj: &'a Value, dotted: &str) -> Option<&'a Value> {
    dotted.split('.').try_fold(obj, |v, part| v.get(part))
}

/// The current time as upstream writes timestamps (RFC 3339, seconds, UTC).
pub fn now_rfc3339() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A time as upstream writes it in `metav1.Time` fields.
pub fn format_time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn type_meta_is_moved_to_the_front() {
        let mut obj = json!({"metadata": {"name": "a"}, "kind": "Pod", "apiVersion": "v1"});
        set_type_meta(&mut obj, "v1", "Pod");
        let keys: Vec<_> = obj.as_object().map(|m| m.keys().cloned().collect()).unwrap_or_default();
        assert_eq!(keys, ["kind", "apiVersion", "metadata"]);
    }

    #[test]
    fn metadata_is_created_when_missing_or_malformed() {
        let mut obj = json!({"metadata": "nonsense"});
        set_meta(&mut obj, "name", json!("x"));
        assert_eq!(name(&obj), "x");
        let mut not_an_object = json!(3);
        set_meta(&mut not_an_object, "uid", json!("u"));
        assert_eq!(uid(&not_an_object), "u");
    }

    #[test]
    fn paths_walk_nested_members() {
        let pod = json!({"spec": {"nodeName": "n1"}});
        assert_eq!(path(&pod, "spec.nodeName"), Some(&json!("n1")));
        assert_eq!(path(&pod, "status.phase"), None);
    }
}
