//! Patch engines the apiserver applies to stored objects.
//!
//! [`strategic_merge`] applies `application/strategic-merge-patch+json` bodies the way
//! upstream's apiserver does for built-in kinds: the patch strategy and merge key of every
//! field come from the Go struct tags recorded in [`crate::schema`], and the merge follows
//! upstream's algorithm closely enough that list order and error messages match.
//!
//! Errors carry upstream's messages. Lists of lists are 422 Invalid as upstream answers;
//! every other malformed patch (bad directive keys, a list item without its merge key, an
//! unknown `$patch` value, a field the type does not have, input that makes upstream's Go
//! code panic) is a 400 BadRequest. Upstream lets most of those through as a bare 500; a
//! bad patch is the client's mistake, and this server keeps 500 for its own faults.

mod deletions;
mod gofmt;
mod index;
mod meta;
mod order;
mod strategic;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_kubectl;
#[cfg(test)]
mod tests_robust;

use serde_json::{Map, Value};

use crate::schema::schema;
use crate::status::ApiError;

use gofmt::GoPanic;
use meta::GoType;

/// How deep a patch or an object may nest; deeper input is refused rather than risk the stack.
pub const MAX_DEPTH: usize = 256;

/// Why a strategic merge failed, by how the apiserver reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SmpError {
    /// One of the sentinel errors upstream maps to 400.
    BadRequest(&'static str),
    /// One of the sentinel errors upstream maps to 422.
    Unprocessable(&'static str),
    /// Any other error: upstream passes it through unconverted (a 500); answered as a 400 here.
    Internal(String),
    /// The Go code would have panicked.
    Panic(String),
}

impl From<GoPanic> for SmpError {
    fn from(p: GoPanic) -> Self {
        SmpError::Panic(p.0)
    }
}

impl SmpError {
    fn into_api_error(self) -> ApiError {
        match self {
            SmpError::BadRequest(msg) => ApiError::bad_request(msg),
            SmpError::Unprocessable(_) => {
                ApiError::new(422, "Invalid", "the server rejected our request due to an error in our request")
            }
            SmpError::Internal(msg) => ApiError::bad_request(msg),
            SmpError::Panic(detail) => ApiError::bad_request(format!("the patch cannot be applied: {detail}")),
        }
    }
}

/// Applies a strategic merge patch to `original` (an object of group/version/kind), as the apiserver does.
///
/// Kinds the schema does not know are patched as an RFC 7396 JSON merge patch instead.
/// A `null` patch changes nothing; a patch that is not an object is a 400, as upstream's
/// decoding of the body into a map is.
///
/// The result is the merged JSON map before decoding into the typed object: like
/// upstream's, it may still hold keys the type does not have (including leftover `$`
/// directive keys inside values the patch added whole), which decoding drops or, under
/// `fieldValidation=Strict`, reports.
pub fn strategic_merge(
    group: &str,
    version: &str,
    kind: &str,
    original: &Value,
    patch: &Value,
) -> Result<Value, ApiError> {
    let patch = match patch {
        Value::Null => return Ok(original.clone()),
        Value::Object(map) => map,
        other => {
            let what = match other {
                Value::Array(_) => "array",
                Value::String(_) => "string",
                Value::Bool(_) => "bool",
                _ => "number",
            };
            return Err(ApiError::bad_request(format!(
                "json: cannot unmarshal {what} into Go value of type map[string]interface {{}}"
            )));
        }
    };
    if depth_exceeds(original, MAX_DEPTH) || patch.values().any(|v| depth_exceeds(v, MAX_DEPTH - 1)) {
        return Err(ApiError::bad_request(format!("the patch or the object nests deeper than {MAX_DEPTH} levels")));
    }
    let original = match original {
        Value::Object(map) => map.clone(),
        Value::Null => Map::new(),
        _ => return Err(ApiError::new(500, "", "the object to patch is not a JSON object")),
    };
    let Some(def) = schema().kind(group, version, kind) else {
        let mut target = Value::Object(original);
        json_patch::merge(&mut target, &Value::Object(patch.clone()));
        return Ok(target);
    };
    strategic::merge_map(original, patch.clone(), &GoType::Struct(def))
        .map(Value::Object)
        .map_err(SmpError::into_api_error)
}

/// Whether `value` nests more than `limit` levels of maps and lists (iteratively, so any
/// depth is safe to check).
fn depth_exceeds(value: &Value, limit: usize) -> bool {
    let mut stack = vec![(value, 1usize)];
    while let Some((v, depth)) = stack.pop() {
        let children: Box<dyn Iterator<Item = &Value>> = match v {
            Value::Object(m) => Box::new(m.values()),
            Value::Array(l) => Box::new(l.iter()),
            _ => continue,
        };
        if depth > limit {
            return true;
        }
        stack.extend(children.map(|c| (c, depth + 1)));
    }
    false
}

/// How upstream prints a decoded patch map in error messages (`fmt.Sprintf("%+v", patchMap)`):
/// `map[spec:map[replicas:3]]`, keys sorted.
pub fn go_map_text(map: &serde_json::Map<String, serde_json::Value>) -> String {
    gofmt::v_map(map)
}
