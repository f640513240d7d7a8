//! Label and field selectors, as LIST, WATCH and DELETECOLLECTION apply them.
//!
//! Behaviour, canonical string forms and error messages follow upstream Kubernetes 1.33
//! (`k8s.io/apimachinery/pkg/labels`, `pkg/fields`, and the per-kind field label
//! conversions and `GetAttrs` of `k8s.io/kubernetes`). Every parse or validation failure
//! is an [`ApiError`](crate::status::ApiError) 400 `BadRequest` carrying upstream's
//! message, which kubectl prints after `Error from server (BadRequest): `. Nothing here
//! panics on any input.
//!
//! # Using it in a request
//!
//! ```
//! use apimachinery::selector::{convert_field_selector, FieldSelector, LabelSelector};
//! use serde_json::json;
//!
//! // Once per request: parse, then validate/convert the field selector for the resource.
//! let labels = LabelSelector::parse("app=web,tier notin (cache)").unwrap();
//! let fields = FieldSelector::parse("status.phase!=Failed,spec.nodeName=n1").unwrap();
//! let fields = convert_field_selector("", "pods", &fields).unwrap();
//!
//! // Per object: no parsing, no allocation for string fields.
//! let pod = json!({
//!     "metadata": {"name": "p", "namespace": "default", "labels": {"app": "web"}},
//!     "spec": {"nodeName": "n1"},
//!     "status": {"phase": "Running"}
//! });
//! assert!(labels.matches_object(&pod) && fields.matches_object("", "pods", &pod));
//!
//! // A single-object read can be narrowed to one key.
//! let by_name = FieldSelector::parse("metadata.name=p").unwrap();
//! assert_eq!(by_name.requires_exact_match("metadata.name"), Some("p"));
//! ```
//!
//! # Public API
//!
//! * [`LabelSelector`]: [`parse`](LabelSelector::parse) (the `labelSelector` grammar: `=`,
//!   `==`, `!=`, `in`, `notin`, `key`, `!key`, `>`/`<` with integers),
//!   [`from_label_selector_json`](LabelSelector::from_label_selector_json) (a
//!   `metav1.LabelSelector`; `null` selects nothing), [`from_set`](LabelSelector::from_set),
//!   [`everything`](LabelSelector::everything), [`is_empty`](LabelSelector::is_empty),
//!   [`matches`](LabelSelector::matches) (any [`Labels`]),
//!   [`matches_object`](LabelSelector::matches_object) (`metadata.labels`),
//!   [`requires_exact_match`](LabelSelector::requires_exact_match); `Display` prints the
//!   canonical form (requirements sorted by key, set values sorted).
//! * [`Labels`]: implemented for JSON maps, `BTreeMap`/`HashMap<String, String>`,
//!   `[(&str, &str)]` and [`ObjectLabels`] (a whole object).
//! * [`FieldSelector`]: [`parse`](FieldSelector::parse), [`requirements`](FieldSelector::requirements)
//!   ([`FieldRequirement`]: `field`, `operator`, unescaped `value`),
//!   [`matches`](FieldSelector::matches) / [`matches_with`](FieldSelector::matches_with)
//!   (a getter; absent = `""`), [`matches_object`](FieldSelector::matches_object),
//!   [`requires_exact_match`](FieldSelector::requires_exact_match); `Display` prints the
//!   canonical form (terms in byte order, `==` as `=`, values re-escaped).
//! * Per resource: [`check_selectable`] (400 for a field the resource cannot be selected
//!   by), [`convert_field_selector`] (the same check, plus upstream's renames such as
//!   `spec.host` → `spec.nodeName` and events.k8s.io `regarding.*` → `involvedObject.*`),
//!   [`field_value`] / [`field_value_ref`] (a field's value on an object).
//!
//! # Upstream quirks kept on purpose
//!
//! * `x in (a,,)` and `x in (,,)` are rejected (`found ')', expected: ',', or identifier`),
//!   as 1.33's parser does; later releases accept them.
//! * A key that fails validation is reported under the path `<nil>`
//!   (`unable to parse requirement: <nil>: Invalid value: "-a": ...`).
//! * apps/v1 registers no field label conversion, so `replicasets?fieldSelector=status.replicas=1`
//!   is refused although the registry computes that field; nodes, namespaces and
//!   certificatesigningrequests refuse `metadata.namespace`.
//! * Pods accept `status.podIPs` but never give it a value (it compares as `""`).

mod field;
mod fields_by_resource;
mod label;
mod label_parse;
pub(crate) mod validation;

#[cfg(test)]
mod tests_field;
#[cfg(test)]
mod tests_label;

pub use field::{escape_value, unescape_value, FieldOperator, FieldRequirement, FieldSelector};
pub use fields_by_resource::{
    check_selectable, convert_field_selector, field_value, field_value_ref, selectable_fields,
};
pub use label::{LabelOperator, LabelRequirement, LabelSelector, Labels, ObjectLabels};
