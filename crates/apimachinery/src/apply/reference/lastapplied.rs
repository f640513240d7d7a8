//! kubectl's client-side apply annotation, as server-side apply by `kubectl` keeps it in
//! step (`lastappliedupdater.go`) and honours it when taking over from client-side apply
//! (`lastappliedmanager.go`).

use serde_json::{Map, Value};

use super::fieldpath::write_go_json;
use super::merge::compare;
use super::set::Set;
use super::typed::{to_field_set, validate, TypeRef};

pub const ANNOTATION: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// Upstream's limit on the total size of an object's annotations.
const TOTAL_ANNOTATION_SIZE_LIMIT: usize = 256 * 1024;

fn annotation(obj: &Value) -> Option<&str> {
    obj.pointer("/metadata/annotations")?.get(ANNOTATION)?.as_str().filter(|s| !s.is_empty())
}

/// Whether `obj` carries a non-empty last-applied annotation.
pub fn has(obj: &Value) -> bool {
    annotation(obj).is_some()
}

/// The annotation value for an applied configuration: the configuration without the
/// annotation itself, as Go's JSON encoder writes it (sorted keys, trailing newline).
pub fn build(config: &Value) -> String {
    let mut c = config.clone();
    if let Some(Value::Object(meta)) = c.get_mut("metadata") {
        let strings = matches!(meta.get("annotations"), Some(Value::Object(a)) if a.values().all(Value::is_string));
        if strings {
            if let Some(Value::Object(a)) = meta.get_mut("annotations") {
                a.remove(ANNOTATION);
            }
        } else {
            meta.remove("annotations");
        }
    }
    let mut out = String::new();
    write_go_json(&c, &mut out);
    out.push('\n');
    out
}

/// Sets the annotation, or drops it when annotations would grow beyond upstream's limit.
pub fn set(obj: &mut Value, value: String) {
    let Value::Object(root) = obj else { return };
    let meta = root.entry("metadata").or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(meta) = meta else { return };
    let ann = meta.entry("annotations").or_insert_with(|| Value::Object(Map::new()));
    if !ann.is_object() {
        *ann = Value::Object(Map::new());
    }
    let Value::Object(ann) = ann else { return };
    ann.insert(ANNOTATION.into(), Value::String(value));
    let total: usize = ann.iter().map(|(k, v)| k.len() + v.as_str().map_or(0, str::len)).sum();
    if total > TOTAL_ANNOTATION_SIZE_LIMIT {
        ann.remove(ANNOTATION);
    }
}

/// The fields `kubectl` may take over without conflicts: those its last client-side apply
/// set and that still hold the values it set. `None` when the annotation is unusable.
pub fn allowed_conflicts(root: TypeRef<'_>, api_version: &str, live: &Value) -> Option<Set> {
    let text = annotation(live)?;
    let last: Value = serde_json::from_str(text).ok()?;
    if last.get("kind").and_then(Value::as_str).is_none_or(str::is_empty) {
        return None;
    }
    if last.get("apiVersion").and_then(Value::as_str) != Some(api_version) {
        return None;
    }
    validate(root, &last, false).ok()?;
    let cmp = compare(root, &last, live).ok()?;
    Some(to_field_set(root, &last).difference(&cmp.modified).difference(&cmp.added).difference(&cmp.removed))
}
