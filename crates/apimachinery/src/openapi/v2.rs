//! The Swagger 2.0 document served at `/openapi/v2`: every served path and every
//! definition they reach, in one document.

use serde_json::{json, Map, Value};

use super::model::{Body, Operation, Param, PathItem, Reply, PATCH_TYPES};
use super::paths;
use super::schemas::{sort_keys, Flavor, SchemaSet, PATCH};
use crate::resource::GROUPS;

/// Every path the v2 document lists: discovery roots, then each group version's paths.
pub(crate) fn all_paths() -> Vec<PathItem> {
    let mut items = Vec::new();
    for key in ["api", "apis"] {
        items.extend(paths::discovery_paths(key).unwrap_or_default());
    }
    for (group, versions) in GROUPS {
        if !group.is_empty() {
            items.extend(paths::discovery_paths(&format!("apis/{group}")).unwrap_or_default());
        }
        for version in *versions {
            items.extend(paths::group_version_paths(group, version));
        }
    }
    items.sort_by(|a, b| a.path.cmp(&b.path));
    items
}

/// The whole document.
pub(crate) fn document() -> Value {
    let mut schemas = SchemaSet::new(Flavor::V2);
    let mut paths = Map::new();
    for item in all_paths() {
        for name in item.referenced_types() {
            schemas.add(name);
        }
        paths.insert(item.path.clone(), path_item(&item));
    }
    let doc = json!({
        "swagger": "2.0",
        "info": super::v3::info(),
        "paths": Value::Object(paths),
        "definitions": Value::Object(schemas.into_map()),
        "securityDefinitions": {
            "BearerToken": {"type": "apiKey", "name": "authorization", "in": "header",
                "description": "Bearer token authentication"}
        },
        "security": [{"BearerToken": []}],
    });
    sort_keys(doc)
}

fn path_item(item: &PathItem) -> Value {
    let mut m = Map::new();
    for op in &item.ops {
        m.insert(op.method.key().into(), operation(op));
    }
    if !item.params.is_empty() {
        m.insert("parameters".into(), Value::Array(item.params.iter().map(parameter).collect()));
    }
    Value::Object(m)
}

fn parameter(p: &Param) -> Value {
    let mut m = Map::new();
    if let Some(d) = &p.description {
        m.insert("description".into(), Value::String(d.clone()));
    }
    m.insert("in".into(), Value::String(p.location.key().into()));
    m.insert("name".into(), Value::String(p.name.clone()));
    if p.required {
        m.insert("required".into(), Value::Bool(true));
    }
    m.insert("type".into(), Value::String(p.ty.into()));
    m.insert("uniqueItems".into(), Value::Bool(true));
    Value::Object(m)
}

fn operation(op: &Operation) -> Value {
    let mut m = Map::new();
    m.insert("description".into(), Value::String(op.description.clone()));
    m.insert("operationId".into(), Value::String(op.id.clone()));
    m.insert("produces".into(), json!(op.produces.content_types()));
    m.insert("schemes".into(), json!(["https"]));
    let mut params: Vec<Value> = Vec::new();
    if let Some(body) = &op.body {
        let (consumes, schema): (&[&str], Value) = match body {
            Body::Object(name) => (&["*/*"], Flavor::V2.reference(name)),
            Body::Patch => (PATCH_TYPES, Flavor::V2.reference(PATCH)),
        };
        m.insert("consumes".into(), json!(consumes));
        let mut b = Map::new();
        b.insert("in".into(), json!("body"));
        b.insert("name".into(), json!("body"));
        if op.body_required {
            b.insert("required".into(), Value::Bool(true));
        }
        b.insert("schema".into(), schema);
        params.push(Value::Object(b));
    } else {
        m.insert("consumes".into(), json!(["*/*"]));
    }
    params.extend(op.params.iter().map(parameter));
    if !params.is_empty() {
        m.insert("parameters".into(), Value::Array(params));
    }
    let mut responses = Map::new();
    for (code, phrase, reply) in &op.responses {
        let schema = match reply {
            Reply::Object(name) => Flavor::V2.reference(name),
            Reply::Text => json!({"type": "string"}),
        };
        responses.insert(code.to_string(), json!({"description": phrase, "schema": schema}));
    }
    responses.insert("401".into(), json!({"description": "Unauthorized"}));
    m.insert("responses".into(), Value::Object(responses));
    m.insert("tags".into(), json!([op.tag]));
    if let Some(action) = op.action {
        m.insert("x-kubernetes-action".into(), Value::String(action.into()));
    }
    if let Some(gvk) = op.gvk {
        m.insert(
            "x-kubernetes-group-version-kind".into(),
            json!({"group": gvk.group, "kind": gvk.kind, "version": gvk.version}),
        );
    }
    Value::Object(m)
}
