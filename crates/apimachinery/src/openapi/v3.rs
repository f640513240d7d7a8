//! OpenAPI 3.0 documents: one per group version (and per discovery root), as upstream
//! serves them under `/openapi/v3/<api|apis/group/version>`.

use serde_json::{json, Map, Value};

use super::model::{Body, Operation, Param, PathItem, Reply, PATCH_TYPES};
use super::schemas::{sort_keys, Flavor, SchemaSet, PATCH};

/// The `title` and `version` of every document's `info`.
pub(crate) fn info() -> Value {
    json!({"title": "Kubernetes", "version": crate::openapi::SERVED_VERSION})
}

/// One complete v3 document for a set of paths.
pub(crate) fn document(paths: &[PathItem]) -> Value {
    let mut schemas = SchemaSet::new(Flavor::V3);
    let mut out = Map::new();
    for item in paths {
        for name in item.referenced_types() {
            schemas.add(name);
        }
        out.insert(item.path.clone(), path_item(item));
    }
    let doc = json!({
        "openapi": "3.0.0",
        "info": info(),
        "paths": Value::Object(out),
        "components": {
            "schemas": Value::Object(schemas.into_map()),
            "securitySchemes": {
                "BearerToken": {"type": "apiKey", "name": "authorization", "in": "header",
                    "description": "Bearer token authentication"}
            }
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

pub(crate) fn parameter(p: &Param) -> Value {
    let mut m = Map::new();
    if let Some(d) = &p.description {
        m.insert("description".into(), Value::String(d.clone()));
    }
    m.insert("in".into(), Value::String(p.location.key().into()));
    m.insert("name".into(), Value::String(p.name.clone()));
    if p.required {
        m.insert("required".into(), Value::Bool(true));
    }
    m.insert("schema".into(), json!({"type": p.ty, "uniqueItems": true}));
    Value::Object(m)
}

fn reply_schema(r: &Reply) -> Value {
    match r {
        Reply::Object(name) => Flavor::V3.reference(name),
        Reply::Text => json!({"type": "string"}),
    }
}

fn operation(op: &Operation) -> Value {
    let mut m = Map::new();
    m.insert("description".into(), Value::String(op.description.clone()));
    m.insert("operationId".into(), Value::String(op.id.clone()));
    if !op.params.is_empty() {
        m.insert("parameters".into(), Value::Array(op.params.iter().map(parameter).collect()));
    }
    if let Some(body) = &op.body {
        let content: Map<String, Value> = match body {
            Body::Object(name) => {
                std::iter::once(("*/*".to_string(), json!({"schema": Flavor::V3.reference(name)}))).collect()
            }
            Body::Patch => {
                PATCH_TYPES.iter().map(|t| (t.to_string(), json!({"schema": Flavor::V3.reference(PATCH)}))).collect()
            }
        };
        let mut rb = Map::new();
        rb.insert("content".into(), Value::Object(content));
        if op.body_required {
            rb.insert("required".into(), Value::Bool(true));
        }
        m.insert("requestBody".into(), Value::Object(rb));
    }
    let mut responses = Map::new();
    for (code, phrase, reply) in &op.responses {
        let schema = reply_schema(reply);
        let content: Map<String, Value> =
            op.produces.content_types().iter().map(|t| (t.to_string(), json!({ "schema": schema.clone() }))).collect();
        responses.insert(code.to_string(), json!({"description": phrase, "content": content}));
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
