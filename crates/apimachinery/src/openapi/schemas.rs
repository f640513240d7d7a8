//! Definitions of the served types, built from the schema table.
//!
//! One builder serves both documents: v2 writes references as `{"$ref": ...}` with their
//! siblings next to them, v3 wraps a reference that has siblings in `allOf` (as upstream
//! does, since OpenAPI 3.0 ignores siblings of `$ref`).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;

use serde_json::{json, Map, Value};

use super::descriptions::descriptions;
use crate::schema::{schema, FieldDef, TypeDef, ValueType};

/// Which document a schema is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavor {
    /// Swagger 2.0 (`/openapi/v2`).
    V2,
    /// OpenAPI 3.0 (`/openapi/v3/...`).
    V3,
}

impl Flavor {
    /// The prefix of a reference to a definition.
    pub(crate) fn ref_prefix(self) -> &'static str {
        match self {
            Flavor::V2 => "#/definitions/",
            Flavor::V3 => "#/components/schemas/",
        }
    }

    /// `{"$ref": ...}` to a definition.
    pub(crate) fn reference(self, name: &str) -> Value {
        json!({ "$ref": format!("{}{}", self.ref_prefix(), name) })
    }
}

pub(crate) const TIME: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.Time";
pub(crate) const MICRO_TIME: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime";
pub(crate) const QUANTITY: &str = "io.k8s.apimachinery.pkg.api.resource.Quantity";
pub(crate) const INT_OR_STRING: &str = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
pub(crate) const RAW_EXTENSION: &str = "io.k8s.apimachinery.pkg.runtime.RawExtension";
pub(crate) const FIELDS_V1: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1";
/// The body of every PATCH: any JSON document, described by its content type.
pub(crate) const PATCH: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch";
pub(crate) const STATUS: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.Status";
pub(crate) const DELETE_OPTIONS: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions";
pub(crate) const WATCH_EVENT: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent";

/// The definition name of a kind, or `None` if the schema table does not know it.
pub(crate) fn kind_type(group: &str, version: &str, kind: &str) -> Option<&'static str> {
    schema().kind(group, version, kind).map(|t| t.name.as_str())
}

/// Every definition reachable from a set of roots, in name order.
pub(crate) struct SchemaSet {
    flavor: Flavor,
    defs: BTreeMap<String, Value>,
}

impl SchemaSet {
    pub(crate) fn new(flavor: Flavor) -> SchemaSet {
        SchemaSet { flavor, defs: BTreeMap::new() }
    }

    /// Adds a definition and, transitively, every definition it refers to.
    pub(crate) fn add(&mut self, name: &str) {
        let mut pending = vec![name.to_string()];
        while let Some(next) = pending.pop() {
            if self.defs.contains_key(&next) {
                continue;
            }
            let mut refs = BTreeSet::new();
            if let Some(def) = definition(&next, self.flavor, &mut refs) {
                self.defs.insert(next, def);
                pending.extend(refs.into_iter().filter(|r| !self.defs.contains_key(r)));
            }
        }
    }

    pub(crate) fn into_map(self) -> Map<String, Value> {
        self.defs.into_iter().collect()
    }
}

/// The group/version/kinds each definition is registered as, sorted.
fn gvk_index() -> &'static HashMap<String, Vec<Value>> {
    static INDEX: OnceLock<HashMap<String, Vec<Value>>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index: HashMap<String, BTreeSet<(String, String, String)>> = HashMap::new();
        for (api_version, kind, t) in schema().kinds() {
            let (group, version) = crate::resource::split_api_version(api_version);
            index.entry(t.name.clone()).or_default().insert((group.into(), version.into(), kind.into()));
        }
        index
            .into_iter()
            .map(|(name, set)| {
                let list = set.into_iter().map(|(g, v, k)| json!({"group": g, "kind": k, "version": v})).collect();
                (name, list)
            })
            .collect()
    })
}

/// The definition called `name`, recording the names it refers to in `refs`.
pub(crate) fn definition(name: &str, flavor: Flavor, refs: &mut BTreeSet<String>) -> Option<Value> {
    if let Some(special) = special_definition(name, flavor) {
        return Some(special);
    }
    let t = schema().type_def(name)?;
    if t.items.is_some() {
        // Named slices are written inline wherever they are used.
        return None;
    }
    Some(struct_definition(t, flavor, refs))
}

/// Types with a custom JSON form rather than a struct's.
fn special_definition(name: &str, flavor: Flavor) -> Option<Value> {
    let mut def = match name {
        TIME | MICRO_TIME => json!({"type": "string", "format": "date-time"}),
        QUANTITY => match flavor {
            Flavor::V2 => json!({"type": "string"}),
            Flavor::V3 => json!({"oneOf": [{"type": "string"}, {"type": "number"}]}),
        },
        INT_OR_STRING => match flavor {
            Flavor::V2 => json!({"type": "string", "format": "int-or-string"}),
            Flavor::V3 => json!({"format": "int-or-string", "oneOf": [{"type": "integer"}, {"type": "string"}]}),
        },
        RAW_EXTENSION | FIELDS_V1 | PATCH => json!({"type": "object"}),
        _ => return None,
    };
    if let (Some(text), Some(obj)) = (descriptions().of_type(name), def.as_object_mut()) {
        obj.insert("description".into(), Value::String(text.to_string()));
    }
    Some(def)
}

fn struct_definition(t: &TypeDef, flavor: Flavor, refs: &mut BTreeSet<String>) -> Value {
    let mut def = Map::new();
    if let Some(text) = descriptions().of_type(&t.name) {
        def.insert("description".into(), Value::String(text.to_string()));
    }
    let mut properties = Map::new();
    let mut required = Vec::new();
    for f in t.json_fields() {
        properties.insert(f.json_name.clone(), field_schema(&t.name, f, flavor, refs));
        if !f.optional && !f.omitempty {
            required.push(Value::String(f.json_name.clone()));
        }
    }
    if !properties.is_empty() {
        def.insert("properties".into(), Value::Object(properties));
    }
    if !required.is_empty() {
        def.insert("required".into(), Value::Array(required));
    }
    def.insert("type".into(), Value::String("object".into()));
    if let Some(gvks) = gvk_index().get(&t.name) {
        def.insert("x-kubernetes-group-version-kind".into(), Value::Array(gvks.clone()));
    }
    if let Some(m) = t.map_type.as_ref().or(t.struct_type.as_ref()) {
        def.insert("x-kubernetes-map-type".into(), Value::String(m.clone()));
    }
    Value::Object(def)
}

/// The schema of one property of `owner`.
fn field_schema(owner: &str, f: &FieldDef, flavor: Flavor, refs: &mut BTreeSet<String>) -> Value {
    let mut s = if f.is_map() {
        let mut m = Map::new();
        m.insert("additionalProperties".into(), element_schema(&f.value, !f.pointer, flavor, refs));
        m.insert("type".into(), Value::String("object".into()));
        m
    } else if f.repeated {
        let mut m = Map::new();
        m.insert("items".into(), element_schema(&f.value, !f.pointer, flavor, refs));
        m.insert("type".into(), Value::String("array".into()));
        m
    } else {
        let mut m = value_schema(&f.value, flavor, refs);
        if !f.pointer {
            let required = !f.optional && !f.omitempty;
            if let Some(d) = zero_default(&f.value, required) {
                m.insert("default".into(), d);
            }
        }
        m
    };
    if let Some(text) = descriptions().of_field(owner, &f.json_name) {
        s.insert("description".into(), Value::String(text.to_string()));
    }
    if let Some(lt) = &f.list_type {
        s.insert("x-kubernetes-list-type".into(), Value::String(lt.clone()));
    }
    if !f.list_map_keys.is_empty() {
        let keys = f.list_map_keys.iter().cloned().map(Value::String).collect();
        s.insert("x-kubernetes-list-map-keys".into(), Value::Array(keys));
    }
    if let Some(m) = f.map_type.as_ref().or(f.struct_type.as_ref()) {
        s.insert("x-kubernetes-map-type".into(), Value::String(m.clone()));
    }
    if let Some(key) = &f.patch_merge_key {
        s.insert("x-kubernetes-patch-merge-key".into(), Value::String(key.clone()));
    }
    if let Some(strategy) = &f.patch_strategy {
        s.insert("x-kubernetes-patch-strategy".into(), Value::String(strategy.clone()));
    }
    finish(s, flavor)
}

/// The schema of a list item or map value; value types get their zero value as default.
fn element_schema(value: &ValueType, with_default: bool, flavor: Flavor, refs: &mut BTreeSet<String>) -> Value {
    let mut s = value_schema(value, flavor, refs);
    if with_default {
        if let Some(d) = zero_default(value, true) {
            s.insert("default".into(), d);
        }
    }
    finish(s, flavor)
}

/// Wraps a reference with siblings in `allOf` for v3.
fn finish(mut s: Map<String, Value>, flavor: Flavor) -> Value {
    if flavor == Flavor::V3 && s.len() > 1 {
        if let Some(r) = s.remove("$ref") {
            s.insert("allOf".into(), json!([{ "$ref": r }]));
        }
    }
    Value::Object(s)
}

/// The default upstream publishes for a value that is not a pointer: `{}` for structs,
/// and the zero value of scalars that are always written.
fn zero_default(value: &ValueType, required: bool) -> Option<Value> {
    match value {
        ValueType::Message(name) => match schema().type_def(name) {
            Some(t) if t.items.is_none() => Some(json!({})),
            _ => None,
        },
        _ if !required => None,
        ValueType::String => Some(json!("")),
        ValueType::Bool => Some(json!(false)),
        ValueType::Int32 | ValueType::Int64 => Some(json!(0)),
        ValueType::Double => Some(json!(0.0)),
        _ => None,
    }
}

/// The schema of a single value (no description, no default).
fn value_schema(value: &ValueType, flavor: Flavor, refs: &mut BTreeSet<String>) -> Map<String, Value> {
    let plain = |ty: &str, format: Option<&str>| {
        let mut m = Map::new();
        if let Some(f) = format {
            m.insert("format".into(), Value::String(f.into()));
        }
        m.insert("type".into(), Value::String(ty.into()));
        m
    };
    match value {
        ValueType::String | ValueType::Duration => plain("string", None),
        ValueType::Bool => plain("boolean", None),
        ValueType::Int32 => plain("integer", Some("int32")),
        ValueType::Int64 => plain("integer", Some("int64")),
        ValueType::Double => plain("number", Some("double")),
        ValueType::Bytes => plain("string", Some("byte")),
        ValueType::Time => reference(TIME, flavor, refs),
        ValueType::MicroTime => reference(MICRO_TIME, flavor, refs),
        ValueType::Quantity => reference(QUANTITY, flavor, refs),
        ValueType::IntOrString => reference(INT_OR_STRING, flavor, refs),
        ValueType::RawExtension => reference(RAW_EXTENSION, flavor, refs),
        ValueType::FieldsV1 => reference(FIELDS_V1, flavor, refs),
        ValueType::Message(name) => match schema().type_def(name) {
            Some(TypeDef { items: Some(item), list_type, .. }) => {
                let item = item.clone();
                let list_type = list_type.clone();
                let mut m = Map::new();
                m.insert("items".into(), element_schema(&item, true, flavor, refs));
                m.insert("type".into(), Value::String("array".into()));
                if let Some(lt) = list_type {
                    m.insert("x-kubernetes-list-type".into(), Value::String(lt));
                }
                m
            }
            _ => reference(name, flavor, refs),
        },
    }
}

fn reference(name: &str, flavor: Flavor, refs: &mut BTreeSet<String>) -> Map<String, Value> {
    refs.insert(name.to_string());
    let mut m = Map::new();
    m.insert("$ref".into(), Value::String(format!("{}{}", flavor.ref_prefix(), name)));
    m
}

/// Recursively orders every object's keys, so documents serialize the same way every time
/// and read like upstream's.
pub(crate) fn sort_keys(v: Value) -> Value {
    match v {
        Value::Object(m) => {
            let sorted: BTreeMap<String, Value> = m.into_iter().map(|(k, v)| (k, sort_keys(v))).collect();
            Value::Object(sorted.into_iter().collect())
        }
        Value::Array(a) => Value::Array(a.into_iter().map(sort_keys).collect()),
        other => other,
    }
}
