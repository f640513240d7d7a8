//! Selectable fields, precomputed per stored object so that LIST and WATCH filter
//! without parsing objects.

use apimachinery::resource::ResourceInfo;
use apimachinery::selector::{field_value, selectable_fields};
use serde_json::Value;

/// Values of the resource's selectable fields other than metadata.name/namespace
/// (those are kept on the object itself).
pub fn selectable_values(res: &ResourceInfo, obj: &Value) -> Vec<(&'static str, Box<str>)> {
    selectable_fields(res.group, res.plural)
        .iter()
        .filter(|f| !matches!(**f, "metadata.name" | "metadata.namespace"))
        .filter_map(|f| field_value(res.group, res.plural, obj, f).map(|v| (*f, v.into_boxed_str())))
        .collect()
}
