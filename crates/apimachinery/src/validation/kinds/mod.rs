//! Per-kind validation rules (being written).

use serde_json::Value;

use crate::status::Cause;

/// Causes for a new object of `group/version/kind` (empty when valid).
pub fn validate_create(_group: &str, _version: &str, _kind: &str, _obj: &Value) -> Vec<Cause> {
    Vec::new()
}

/// Causes for replacing `old` with `new` through the main resource.
pub fn validate_update(_group: &str, _version: &str, _kind: &str, _new: &Value, _old: &Value) -> Vec<Cause> {
    Vec::new()
}

/// Causes for replacing `old` with `new` through the status subresource.
pub fn validate_status_update(_group: &str, _version: &str, _kind: &str, _new: &Value, _old: &Value) -> Vec<Cause> {
    Vec::new()
}
