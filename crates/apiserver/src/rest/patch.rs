//! PATCH bodies: JSON patch (RFC 6902), JSON merge patch (RFC 7396) and strategic merge patch.

use apimachinery::resource::ResourceInfo;
use apimachinery::{ApiError, ApiResult, Subject};
use serde_json::Value;

use super::body;
use crate::negotiate;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchKind {
    Json,
    Merge,
    StrategicMerge,
}

impl PatchKind {
    pub fn from_content_type(content_type: &str) -> ApiResult<PatchKind> {
        match content_type {
            negotiate::JSON_PATCH => Ok(PatchKind::Json),
            negotiate::MERGE_PATCH => Ok(PatchKind::Merge),
            negotiate::STRATEGIC_MERGE_PATCH => Ok(PatchKind::StrategicMerge),
            other => Err(ApiError::new(
                415,
                "UnsupportedMediaType",
                format!("the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json; got {other:?}"),
            )),
        }
    }
}

/// A parsed patch document.
pub enum PatchDoc {
    Json(json_patch::Patch),
    Merge(Value),
}

pub fn parse(kind: PatchKind, body: &[u8]) -> ApiResult<PatchDoc> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| ApiError::bad_request(format!("error decoding patch: {e}")))?;
    match kind {
        PatchKind::Json => serde_json::from_value::<json_patch::Patch>(value)
            .map(PatchDoc::Json)
            .map_err(|e| ApiError::bad_request(format!("the provided JSON patch is invalid: {e}"))),
        PatchKind::Merge | PatchKind::StrategicMerge => {
            if !value.is_object() {
                return Err(ApiError::bad_request("the provided patch must be a JSON object"));
            }
            Ok(PatchDoc::Merge(value))
        }
    }
}

/// Applies a patch to an object of group/version/kind `gvk`, returning the patched object.
pub fn apply(gvk: (&str, &str, &str), kind: PatchKind, doc: &PatchDoc, original: &Value) -> ApiResult<Value> {
    let mut target = original.clone();
    match doc {
        PatchDoc::Json(patch) => {
            json_patch::patch(&mut target, patch).map_err(|e| ApiError::new(422, "Invalid", e.to_string()))?;
        }
        PatchDoc::Merge(patch) => match kind {
            PatchKind::StrategicMerge => {
                target = apimachinery::patch::strategic_merge(gvk.0, gvk.1, gvk.2, original, patch)?;
            }
            _ => json_patch::merge(&mut target, patch),
        },
    }
    if !target.is_object() {
        return Err(ApiError::new(
            422,
            "Invalid",
            "the patch would turn the object into something that is not an object",
        ));
    }
    Ok(target)
}

/// Members repeated within one object of a merge or strategic merge patch body (JSON
/// patch bodies are not checked).
pub fn repeated_members(kind: PatchKind, body: &[u8]) -> Vec<String> {
    match kind {
        PatchKind::Json => Vec::new(),
        PatchKind::Merge | PatchKind::StrategicMerge => apimachinery::schema::duplicate_fields(body),
    }
}

/// Strict-decoding findings of a patch: unknown fields of the patched object, then the
/// patch body's `repeated` members.
pub fn strict_findings(res: &ResourceInfo, repeated: &[String], patched: &Value) -> Vec<String> {
    body::strict_findings(patched, repeated, res.group, res.version, res.kind)
}

/// The 422 upstream answers a patch that fails strict decoding with: an Invalid on the
/// field `patch`, whose value is the patch map (strategic merge) or the patched object.
pub fn strict_error(kind: PatchKind, doc: &PatchDoc, patched: &Value, findings: &[String]) -> ApiError {
    invalid_patch(kind, doc, patched, &apimachinery::schema::strict_decoding_message(findings))
}

/// The 422 upstream answers a patch whose result cannot be decoded as the type (a struct
/// where a number belongs...), shaped as `strict_error`.
pub fn shape_error(res: &ResourceInfo, kind: PatchKind, doc: &PatchDoc, patched: &Value) -> Option<ApiError> {
    let detail = apimachinery::schema::shape_mismatch(res.group, res.version, res.kind, patched)?;
    Some(invalid_patch(kind, doc, patched, &detail))
}

fn invalid_patch(kind: PatchKind, doc: &PatchDoc, patched: &Value, detail: &str) -> ApiError {
    let shown = match (kind, doc) {
        (PatchKind::StrategicMerge, PatchDoc::Merge(Value::Object(map))) => apimachinery::patch::go_map_text(map),
        _ => patched.to_string(),
    };
    let cause = apimachinery::validation::invalid("patch", &Value::String(shown), detail);
    ApiError::invalid(Subject::new("", "", ""), vec![cause])
}
