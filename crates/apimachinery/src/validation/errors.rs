//! Field errors as upstream's `field.Error` reports them: a reason for `details.causes`,
//! and a message body (`Required value`, `Invalid value: "x": why`, ...) that follows the
//! field path in the `Status` message.

use serde_json::Value;

use crate::gofmt::go_quote;
use crate::status::Cause;

/// How upstream prints a value inside `Invalid value: ...`: strings quoted, numbers and
/// booleans plain, anything else as JSON.
pub fn show(value: &Value) -> String {
    match value {
        Value::String(s) => go_quote(s),
        Value::Null => "null".to_string(),
        other => other.to_string(),
    }
}

/// `Required value` (optionally with a detail).
pub fn required(field: &str, detail: &str) -> Cause {
    let message = if detail.is_empty() { "Required value".to_string() } else { format!("Required value: {detail}") };
    Cause::new("FieldValueRequired", message, field)
}

/// `Invalid value: <value>: <detail>`.
pub fn invalid(field: &str, value: &Value, detail: &str) -> Cause {
    let message = if detail.is_empty() {
        format!("Invalid value: {}", show(value))
    } else {
        format!("Invalid value: {}: {detail}", show(value))
    };
    Cause::new("FieldValueInvalid", message, field)
}

/// `Unsupported value: <value>: supported values: "a", "b"`.
pub fn not_supported(field: &str, value: &Value, supported: &[&str]) -> Cause {
    let list: Vec<String> = supported.iter().map(|s| go_quote(s)).collect();
    let message = if list.is_empty() {
        format!("Unsupported value: {}", show(value))
    } else {
        format!("Unsupported value: {}: supported values: {}", show(value), list.join(", "))
    };
    Cause::new("FieldValueNotSupported", message, field)
}

/// `Forbidden: <detail>`.
pub fn forbidden(field: &str, detail: &str) -> Cause {
    Cause::new("FieldValueForbidden", format!("Forbidden: {detail}"), field)
}

/// `Duplicate value: <value>`.
pub fn duplicate(field: &str, value: &Value) -> Cause {
    Cause::new("FieldValueDuplicate", format!("Duplicate value: {}", show(value)), field)
}

/// `Too long: may not be more than <max> bytes` (upstream's wording for strings).
pub fn too_long(field: &str, max: usize) -> Cause {
    Cause::new("FieldValueTooLong", format!("Too long: may not be more than {max} bytes"), field)
}

/// `Too many: <actual>: must have at most <max> items`.
pub fn too_many(field: &str, actual: usize, max: usize) -> Cause {
    Cause::new("FieldValueTooMany", format!("Too many: {actual}: must have at most {max} items"), field)
}

/// Immutable-field error as upstream words it.
pub fn immutable(field: &str, value: &Value) -> Cause {
    invalid(field, value, "field is immutable")
}

/// `Not found: <value>` (upstream's `field.NotFound`), optionally with a detail.
pub fn not_found(field: &str, value: &Value, detail: &str) -> Cause {
    let message = if detail.is_empty() {
        format!("Not found: {}", show(value))
    } else {
        format!("Not found: {}: {detail}", show(value))
    };
    Cause::new("FieldValueNotFound", message, field)
}

/// `Invalid value: <value>: <detail>` for a value of the wrong JSON type (upstream's
/// `field.TypeInvalid`); `expected` names the type the field holds.
pub fn type_invalid(field: &str, value: &Value, expected: &str) -> Cause {
    Cause::new("FieldValueTypeInvalid", format!("Invalid value: {}: must be of type {expected}", show(value)), field)
}

/// `Invalid value: <rendered>: <detail>` where the caller has already rendered the value
/// as Go's `%#v` prints it (maps, slices and structs such as `v1.LabelSelector{...}`).
pub fn invalid_rendered(field: &str, rendered: &str, detail: &str) -> Cause {
    let message = if detail.is_empty() {
        format!("Invalid value: {rendered}")
    } else {
        format!("Invalid value: {rendered}: {detail}")
    };
    Cause::new("FieldValueInvalid", message, field)
}

/// `Duplicate value: <rendered>` for a value rendered by the caller.
pub fn duplicate_rendered(field: &str, rendered: &str) -> Cause {
    Cause::new("FieldValueDuplicate", format!("Duplicate value: {rendered}"), field)
}

/// `Unsupported value: <rendered>: supported values: ...` for a value rendered by the caller.
pub fn not_supported_rendered(field: &str, rendered: &str, supported: &[&str]) -> Cause {
    let list: Vec<String> = supported.iter().map(|s| go_quote(s)).collect();
    let message = if list.is_empty() {
        format!("Unsupported value: {rendered}")
    } else {
        format!("Unsupported value: {rendered}: supported values: {}", list.join(", "))
    };
    Cause::new("FieldValueNotSupported", message, field)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn messages_read_like_upstream_field_errors() {
        assert_eq!(required("spec.containers", "").message, "Required value");
        assert_eq!(
            invalid("spec.replicas", &json!(-1), "must be greater than or equal to 0").message,
            "Invalid value: -1: must be greater than or equal to 0"
        );
        assert_eq!(
            not_supported("spec.restartPolicy", &json!("Sometimes"), &["Always", "OnFailure", "Never"]).message,
            "Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\""
        );
        assert_eq!(duplicate("spec.containers[1].name", &json!("a")).reason, "FieldValueDuplicate");
        assert_eq!(
            immutable("spec.selector", &json!({"a": "b"})).message,
            "Invalid value: {\"a\":\"b\"}: field is immutable"
        );
    }
}
