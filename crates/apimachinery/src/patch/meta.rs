//! Patch metadata as the apiserver finds it: by walking the Go types of the served object
//! (struct tags `patchStrategy` and `patchMergeKey`), seen here through the schema table.
//!
//! Only the tags matter; `listType`/`listMapKeys` markers are for server-side apply and
//! play no part in strategic merge patch.

use crate::schema::{schema, FieldDef, TypeDef, ValueType};

use super::SmpError;
use crate::gofmt::go_quote;

/// The Go type of a value at some point of the object, as far as patching cares.
#[derive(Debug, Clone)]
pub(crate) enum GoType {
    Struct(&'static TypeDef),
    /// A struct JSON cannot see into (`RawExtension`, `Time`, `Quantity`, ...): it has no
    /// JSON fields of its own, so every lookup in it fails.
    Opaque(&'static str),
    Slice(Box<GoType>),
    Map,
    Ptr(Box<GoType>),
    Scalar(&'static str),
}

/// The tags of one field.
#[derive(Debug, Clone, Default)]
pub(crate) struct PatchMeta {
    pub(crate) strategies: Vec<String>,
    pub(crate) merge_key: String,
}

impl GoType {
    /// `reflect.Kind.String()`.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            GoType::Struct(_) | GoType::Opaque(_) => "struct",
            GoType::Slice(_) => "slice",
            GoType::Map => "map",
            GoType::Ptr(_) => "ptr",
            GoType::Scalar(k) => k,
        }
    }

    fn from_value_type(value: &ValueType) -> GoType {
        match value {
            ValueType::String => GoType::Scalar("string"),
            ValueType::Bool => GoType::Scalar("bool"),
            ValueType::Int32 => GoType::Scalar("int32"),
            ValueType::Int64 => GoType::Scalar("int64"),
            ValueType::Double => GoType::Scalar("float64"),
            ValueType::Bytes => GoType::Slice(Box::new(GoType::Scalar("uint8"))),
            ValueType::Time => GoType::Opaque("Time"),
            ValueType::MicroTime => GoType::Opaque("MicroTime"),
            ValueType::Duration => GoType::Opaque("Duration"),
            ValueType::Quantity => GoType::Opaque("Quantity"),
            ValueType::IntOrString => GoType::Opaque("IntOrString"),
            ValueType::RawExtension => GoType::Opaque("RawExtension"),
            ValueType::FieldsV1 => GoType::Opaque("FieldsV1"),
            ValueType::Message(name) => match schema().type_def(name) {
                // A named slice such as `ExtraValue []string`.
                Some(def) => match &def.items {
                    Some(items) => GoType::Slice(Box::new(GoType::from_value_type(items))),
                    None => GoType::Struct(def),
                },
                None => GoType::Opaque("unknown"),
            },
        }
    }

    fn of_field(field: &FieldDef) -> GoType {
        let base = GoType::from_value_type(&field.value);
        if field.is_map() {
            GoType::Map
        } else if field.repeated {
            GoType::Slice(Box::new(base))
        } else if field.pointer {
            GoType::Ptr(Box::new(base))
        } else {
            base
        }
    }

    /// The type and tags of the field JSON calls `key` in this struct.
    pub(crate) fn lookup_struct(&self, key: &str) -> Result<(GoType, PatchMeta), SmpError> {
        let t = match self {
            GoType::Ptr(inner) => inner.as_ref(),
            other => other,
        };
        let def = match t {
            GoType::Struct(def) => def,
            GoType::Opaque(name) => return Err(not_found(name, key)),
            other => {
                return Err(SmpError::Internal(format!(
                    "merging an object in json but data type is not struct, instead is: {}",
                    other.kind()
                )))
            }
        };
        let field = def
            .field(key)
            .or_else(|| def.json_fields().iter().find(|f| f.json_name.eq_ignore_ascii_case(key)))
            .ok_or_else(|| not_found(def.short_name(), key))?;
        let strategies = field.patch_strategy.as_deref().unwrap_or("").split(',').map(str::to_string).collect();
        let meta = PatchMeta { strategies, merge_key: field.patch_merge_key.clone().unwrap_or_default() };
        Ok((GoType::of_field(field), meta))
    }

    /// The element type and tags of the list field JSON calls `key` in this struct.
    pub(crate) fn lookup_slice(&self, key: &str) -> Result<(GoType, PatchMeta), SmpError> {
        let (field_type, meta) = self.lookup_struct(key)?;
        let elem = match field_type {
            GoType::Slice(elem) => {
                if matches!(*elem, GoType::Slice(_)) {
                    return Err(SmpError::Internal("unexpected slice of slice".into()));
                }
                *elem
            }
            GoType::Ptr(inner) => match *inner {
                GoType::Slice(elem) => *elem,
                other => other,
            },
            _ => return Err(SmpError::Internal(format!("expected slice or array type, but got: {}", self.kind()))),
        };
        Ok((elem, meta))
    }
}

fn not_found(struct_name: &str, key: &str) -> SmpError {
    SmpError::Internal(format!("unable to find api field in struct {struct_name} for the json field {}", go_quote(key)))
}

/// Splits the field's strategies into "has retainKeys" and the other strategy.
pub(crate) fn retain_keys_strategy(strategies: &[String]) -> Result<(bool, String), SmpError> {
    const RETAIN: &str = "retainKeys";
    match strategies {
        [] => Ok((false, String::new())),
        [one] if one == RETAIN => Ok((true, String::new())),
        [one] => Ok((false, one.clone())),
        [a, b] if a == RETAIN => Ok((true, b.clone())),
        [a, b] if b == RETAIN => Ok((true, a.clone())),
        _ => Err(SmpError::Internal(format!("unexpected patch strategy: [{}]", strategies.join(" ")))),
    }
}
