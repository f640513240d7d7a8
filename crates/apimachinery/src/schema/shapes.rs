//! JSON values whose shape cannot be decoded into the Go type at all: a number where a
//! struct belongs, an object where a list belongs. Go's decoder refuses such a body before
//! anything else sees it; the server does the same, so no later stage meets a `spec` that
//! is not an object. Wrong scalar types are left to validation.

use serde_json::Value;

use super::{schema, FieldDef, TypeDef, ValueType};

/// JSON nesting beyond this is left unexamined (serde_json itself stops at 128).
const MAX_DEPTH: usize = 128;

/// The first value in `obj` whose shape the Go type of `kind` cannot take, worded as Go's
/// decoder reports it (`json: cannot unmarshal number into Go struct field Service.spec of
/// type v1.ServiceSpec`). `None` when every struct, list and map is where it belongs.
pub fn shape_mismatch(group: &str, version: &str, kind: &str, obj: &Value) -> Option<String> {
    let def = schema().kind(group, version, kind)?;
    let mut path = Vec::new();
    walk(def, obj, &mut path, 0)
}

fn walk(def: &TypeDef, value: &Value, path: &mut Vec<String>, depth: usize) -> Option<String> {
    let Value::Object(map) = value else { return None };
    if depth > MAX_DEPTH {
        return None;
    }
    for (key, v) in map {
        let Some(field) = def.field(key) else { continue };
        path.push(key.clone());
        let found = check_field(def, field, v, path, depth + 1);
        path.pop();
        if found.is_some() {
            return found;
        }
    }
    None
}

fn check_field(owner: &TypeDef, f: &FieldDef, v: &Value, path: &mut Vec<String>, depth: usize) -> Option<String> {
    if v.is_null() {
        return None;
    }
    let element = struct_def(&f.value);
    if f.repeated && !f.is_map() {
        let Value::Array(items) = v else {
            return Some(mismatch(v, owner, path, &format!("[]{}", go_type(&f.value))));
        };
        let def = element?;
        for item in items.iter().filter(|i| !i.is_null()) {
            if !item.is_object() {
                return Some(mismatch(item, owner, path, &go_type(&f.value)));
            }
            if let Some(found) = walk(def, item, path, depth) {
                return Some(found);
            }
        }
        return None;
    }
    if f.is_map() {
        let Value::Object(entries) = v else {
            return Some(mismatch(v, owner, path, &format!("map[string]{}", go_type(&f.value))));
        };
        let def = element?;
        for (k, item) in entries.iter().filter(|(_, i)| !i.is_null()) {
            if !item.is_object() {
                path.push(k.clone());
                let found = mismatch(item, owner, path, &go_type(&f.value));
                path.pop();
                return Some(found);
            }
            path.push(k.clone());
            let found = walk(def, item, path, depth);
            path.pop();
            if found.is_some() {
                return found;
            }
        }
        return None;
    }
    let def = element?;
    if !v.is_object() {
        return Some(mismatch(v, owner, path, &go_type(&f.value)));
    }
    walk(def, v, path, depth)
}

/// The struct definition of a struct-valued type whose JSON form is an object.
fn struct_def(value: &ValueType) -> Option<&'static TypeDef> {
    let def = schema().type_def(value.message()?)?;
    def.items.is_none().then_some(def)
}

fn mismatch(v: &Value, owner: &TypeDef, path: &[String], go: &str) -> String {
    let json = match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    format!("json: cannot unmarshal {json} into Go struct field {}.{} of type {go}", owner.short_name(), path.join("."))
}

/// How Go prints a field's type: `v1.ServiceSpec`, `int32`, `resource.Quantity`.
fn go_type(value: &ValueType) -> String {
    let named = match value {
        ValueType::String => "string",
        ValueType::Bool => "bool",
        ValueType::Int32 => "int32",
        ValueType::Int64 => "int64",
        ValueType::Double => "float64",
        ValueType::Bytes => "[]uint8",
        ValueType::Time => "v1.Time",
        ValueType::MicroTime => "v1.MicroTime",
        ValueType::Duration => "v1.Duration",
        ValueType::Quantity => "resource.Quantity",
        ValueType::IntOrString => "intstr.IntOrString",
        ValueType::RawExtension => "runtime.RawExtension",
        ValueType::FieldsV1 => "v1.FieldsV1",
        ValueType::Message(name) => {
            let short = name.rsplit('.').next().unwrap_or(name);
            let package = name.rsplit('.').nth(1).unwrap_or("");
            return format!("{package}.{short}");
        }
    };
    named.to_string()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::shape_mismatch;

    #[test]
    fn structs_lists_and_maps_must_have_their_shape() {
        let svc = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}, "spec": 1.5});
        assert_eq!(
            shape_mismatch("", "v1", "Service", &svc).as_deref(),
            Some("json: cannot unmarshal number into Go struct field Service.spec of type v1.ServiceSpec")
        );
        let svc = json!({"kind": "Service", "spec": {"ports": {"port": 80}}});
        assert_eq!(
            shape_mismatch("", "v1", "Service", &svc).as_deref(),
            Some("json: cannot unmarshal object into Go struct field ServiceSpec.spec.ports of type []v1.ServicePort")
        );
        let pod = json!({"kind": "Pod", "spec": {"containers": [{"name": "c"}, "x"]}});
        assert_eq!(
            shape_mismatch("", "v1", "Pod", &pod).as_deref(),
            Some("json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type v1.Container")
        );
        let cm = json!({"kind": "ConfigMap", "metadata": {"labels": ["a"]}});
        assert_eq!(
            shape_mismatch("", "v1", "ConfigMap", &cm).as_deref(),
            Some("json: cannot unmarshal array into Go struct field ObjectMeta.metadata.labels of type map[string]string")
        );
    }

    #[test]
    fn nulls_scalars_and_special_types_pass() {
        let pod = json!({"kind": "Pod", "metadata": {"creationTimestamp": null, "name": 5},
                         "spec": {"containers": [null, {"name": "c", "resources": {"limits": {"cpu": 1}},
                                  "ports": [{"containerPort": "80"}]}]}});
        assert_eq!(shape_mismatch("", "v1", "Pod", &pod), None);
    }
}
