//! ObjectMeta (create and update), labels, annotations, label selectors, and the name
//! rules every kind picks from (upstream's `ValidateObjectMeta` and `pkg/apis/meta/v1/validation`).

use serde_json::Value;

use super::access::{child, field_eq, go_label_selector, go_string_map_at, go_strings, index, key, Errs, NULL};
use crate::selector::validation;
use crate::selector::LabelSelector;
use crate::validation::errors::{forbidden, immutable, invalid, invalid_rendered, required, too_long};
use crate::validation::names::{name_problems, NameRule};

/// Total size of all annotation keys and values.
pub(super) const TOTAL_ANNOTATION_SIZE_LIMIT: usize = 256 * 1024;
const FIELD_MANAGER_MAX_LENGTH: usize = 128;
const MAX_SUBRESOURCE_NAME_LENGTH: usize = 256;

/// Upstream's `RegexError` separates examples with `",  or "` (two spaces); the shared
/// selector helpers print one, so their messages are mended here.
fn mend_examples(msgs: Vec<String>) -> Vec<String> {
    msgs.into_iter().map(|m| m.replace("', or '", "',  or '")).collect()
}

/// `IsQualifiedName` with upstream's exact wording.
pub(super) fn qualified_name_errors(value: &str) -> Vec<String> {
    mend_examples(validation::qualified_name_errors(value))
}

/// `IsValidLabelValue` with upstream's exact wording.
pub(super) fn label_value_errors(value: &str) -> Vec<String> {
    mend_examples(validation::label_value_errors(value))
}

/// Upstream's `NameIs*` functions: problems with a name, or with a `generateName`
/// prefix (`prefix`), whose trailing dash is masked as upstream does.
pub(super) fn name_messages(rule: NameRule, name: &str, prefix: bool) -> Vec<String> {
    if !prefix {
        return name_problems(rule, name);
    }
    match rule {
        NameRule::PathSegment => {
            name_problems(rule, name).into_iter().filter(|m| m.starts_with("may not contain")).collect()
        }
        _ => {
            let masked = if name.len() > 1 && name.ends_with('-') {
                // Upstream replaces the last two bytes with "a".
                let cut = name.len().saturating_sub(2);
                if name.is_char_boundary(cut) {
                    format!("{}a", &name[..cut])
                } else {
                    format!("{}a", &name[..name.len() - 1])
                }
            } else {
                name.to_string()
            };
            name_problems(rule, &masked)
        }
    }
}

/// One `Invalid value` cause per problem with `value` under `rule`.
pub(super) fn check_name(e: &mut Errs, rule: NameRule, value: &str, path: &str) {
    for msg in name_problems(rule, value) {
        e.push(invalid(path, &Value::String(value.to_string()), &msg));
    }
}

/// `ValidateDNS1123Label`.
pub(super) fn check_dns_label(e: &mut Errs, value: &str, path: &str) {
    check_name(e, NameRule::Dns1123Label, value, path);
}

/// `ValidateDNS1123Subdomain`.
pub(super) fn check_dns_subdomain(e: &mut Errs, value: &str, path: &str) {
    check_name(e, NameRule::Dns1123Subdomain, value, path);
}

/// `ValidateQualifiedName` / `ValidateLabelName`.
pub(super) fn check_qualified_name(e: &mut Errs, value: &str, path: &str) {
    for msg in qualified_name_errors(value) {
        e.push(invalid(path, &Value::String(value.to_string()), &msg));
    }
}

/// `ValidateLabels`: every key a qualified name, every value a label value; causes sit at
/// the map's own path, as upstream reports them.
pub(super) fn validate_labels(e: &mut Errs, parent: &Value, path: &str, k: &str) {
    let field = child(path, k);
    let Some(labels) = e.str_map(parent, path, k) else { return };
    for (name, value) in labels {
        check_qualified_name(e, name, &field);
        for msg in label_value_errors(value) {
            e.push(invalid(&field, &Value::String(value.to_string()), &msg));
        }
    }
}

/// `ValidateAnnotations`: keys are qualified names (case-insensitive), total size bounded.
pub(super) fn validate_annotations(e: &mut Errs, parent: &Value, path: &str, k: &str) {
    let field = child(path, k);
    let Some(annotations) = e.str_map(parent, path, k) else { return };
    let mut total = 0usize;
    for (name, value) in &annotations {
        for msg in qualified_name_errors(&name.to_lowercase()) {
            e.push(invalid(&field, &Value::String(name.to_string()), &msg));
        }
        total += name.len() + value.len();
    }
    if total > TOTAL_ANNOTATION_SIZE_LIMIT {
        e.push(too_long(&field, TOTAL_ANNOTATION_SIZE_LIMIT));
    }
}

/// Label selector options: whether values in `matchExpressions` are checked.
#[derive(Debug, Clone, Copy)]
pub(super) struct SelectorOpts {
    pub check_values: bool,
}

pub(super) const STRICT: SelectorOpts = SelectorOpts { check_values: true };

/// `ValidateLabelSelector` for the selector at `parent[k]`.
pub(super) fn validate_label_selector(e: &mut Errs, parent: &Value, path: &str, k: &str, opts: SelectorOpts) {
    let field = child(path, k);
    let Some(sel) = e.opt_obj(parent, path, k) else { return };
    validate_selector_object(e, sel, &field, opts);
}

/// `ValidateLabelSelector` for a selector object at `field`.
pub(super) fn validate_selector_object(e: &mut Errs, sel: &Value, field: &str, opts: SelectorOpts) {
    validate_labels(e, sel, field, "matchLabels");
    for (p, expr) in e.items(sel, field, "matchExpressions") {
        let op = e.str(expr, &p, "operator");
        let values = e.str_list(expr, &p, "values");
        match op {
            "In" | "NotIn" => {
                if values.is_empty() {
                    e.push(required(&child(&p, "values"), "must be specified when `operator` is 'In' or 'NotIn'"));
                }
            }
            "Exists" | "DoesNotExist" => {
                if !values.is_empty() {
                    e.push(forbidden(
                        &child(&p, "values"),
                        "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                    ));
                }
            }
            other => {
                e.push(invalid(&child(&p, "operator"), &Value::String(other.into()), "not a valid selector operator"))
            }
        }
        let label_key = e.str(expr, &p, "key");
        check_qualified_name(e, label_key, &child(&p, "key"));
        if opts.check_values {
            for (i, value) in values.iter().enumerate() {
                for msg in label_value_errors(value) {
                    e.push(invalid(&index(&child(&p, "values"), i), &Value::String(value.to_string()), &msg));
                }
            }
        }
    }
}

/// The selector at `v` as upstream's `LabelSelectorAsSelector` builds it (`None` when it
/// cannot be built).
pub(super) fn as_selector(v: &Value) -> Option<LabelSelector> {
    LabelSelector::from_label_selector_json(v).ok()
}

/// Whether a selector object selects nothing in particular (`{}` or no requirements).
pub(super) fn selector_is_empty(v: &Value) -> bool {
    let n = |k: &str| match v.get(k) {
        Some(Value::Object(m)) => m.len(),
        Some(Value::Array(a)) => a.len(),
        _ => 0,
    };
    n("matchLabels") + n("matchExpressions") == 0
}

/// Whether `selector` (a decoded `metav1.LabelSelector`, `null` = nothing) matches the
/// labels of `template` (a pod or job template).
pub(super) fn selector_matches_template(selector: &LabelSelector, template: &Value) -> bool {
    let labels = template.get("metadata").and_then(|m| m.get("labels")).and_then(Value::as_object);
    match labels {
        Some(map) => selector.matches(map),
        None => selector.matches(&serde_json::Map::new()),
    }
}

/// The "`selector` does not match template `labels`" cause.
pub(super) fn selector_mismatch(template: &Value, path: &str) -> crate::status::Cause {
    let meta = template.get("metadata").unwrap_or(&NULL);
    invalid_rendered(path, &go_string_map_at(meta, "labels"), "`selector` does not match template `labels`")
}

/// How a kind's metadata is checked.
#[derive(Debug, Clone, Copy)]
pub(super) struct MetaRules {
    pub name: NameRule,
    pub namespaced: bool,
    /// Kinds validated through `k8s.io/kubernetes` also refuse unqualified finalizer names
    /// other than the standard ones.
    pub kube_finalizers: bool,
}

const STANDARD_FINALIZERS: &[&str] = &["kubernetes", "orphan", "foregroundDeletion"];

fn validate_finalizers(e: &mut Errs, meta: &Value) {
    let path = "metadata.finalizers";
    let finalizers = e.str_list(meta, "metadata", "finalizers");
    for f in &finalizers {
        check_qualified_name(e, f, path);
    }
    if finalizers.contains(&"orphan") && finalizers.contains(&"foregroundDeletion") {
        e.push(invalid_rendered(
            path,
            &go_strings(meta.get("finalizers")),
            "finalizer orphan and foregroundDeletion cannot be both set",
        ));
    }
}

/// The `k8s.io/kubernetes` ObjectMeta wrapper's extra check, run after the generic ones.
fn validate_kube_finalizers(e: &mut Errs, meta: &Value) {
    let path = "metadata.finalizers";
    let finalizers = meta.get("finalizers").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    for (i, f) in finalizers.iter().enumerate() {
        let f = f.as_str().unwrap_or("");
        if !f.contains('/') && !STANDARD_FINALIZERS.contains(&f) {
            e.push(invalid(
                &index(path, i),
                &Value::String(f.to_string()),
                "name is neither a standard finalizer name nor is it fully qualified",
            ));
        }
    }
}

fn validate_owner_references(e: &mut Errs, meta: &Value) {
    let path = "metadata.ownerReferences";
    let mut first_controller: Option<String> = None;
    for (p, r) in e.items(meta, "metadata", "ownerReferences") {
        let api_version = e.str(r, &p, "apiVersion");
        let kind = e.str(r, &p, "kind");
        let name = e.str(r, &p, "name");
        let uid = e.str(r, &p, "uid");
        let version = match api_version.matches('/').count() {
            0 => api_version,
            1 => api_version.split_once('/').map(|(_, v)| v).unwrap_or(""),
            _ => "",
        };
        let group = match api_version.split_once('/') {
            Some((g, _)) if version.is_empty() => g,
            Some((g, _)) => g,
            None => "",
        };
        if version.is_empty() {
            e.push(invalid(
                &child(path, "apiVersion"),
                &Value::String(api_version.into()),
                "version must not be empty",
            ));
        }
        if kind.is_empty() {
            e.push(invalid(&child(path, "kind"), &Value::String(kind.into()), "must not be empty"));
        }
        if name.is_empty() {
            e.push(invalid(&child(path, "name"), &Value::String(name.into()), "must not be empty"));
        }
        if uid.is_empty() {
            e.push(invalid(&child(path, "uid"), &Value::String(uid.into()), "must not be empty"));
        }
        if group.is_empty() && version == "v1" && kind == "Event" {
            let rendered = format!(
                "v1.OwnerReference{{APIVersion:{}, Kind:{}, Name:{}, UID:{}}}",
                crate::gofmt::go_quote(api_version),
                crate::gofmt::go_quote(kind),
                crate::gofmt::go_quote(name),
                crate::gofmt::go_quote(uid)
            );
            e.push(invalid_rendered(path, &rendered, "/v1, Kind=Event is disallowed from being an owner"));
        }
        if e.opt_bool(r, &p, "controller") == Some(true) {
            let current = format!("{kind}/{name}");
            match &first_controller {
                Some(first) => e.push(invalid_rendered(
                    path,
                    "[]v1.OwnerReference{...}",
                    &format!(
                        "Only one reference can have Controller set to true. Found \"true\" in references for {first} and {current}"
                    ),
                )),
                None => first_controller = Some(current),
            }
        }
    }
}

fn validate_managed_fields(e: &mut Errs, meta: &Value) {
    for (p, entry) in e.items(meta, "metadata", "managedFields") {
        let op = e.str(entry, &p, "operation");
        if op != "Apply" && op != "Update" {
            e.push(invalid(&child(&p, "operation"), &Value::String(op.into()), "must be `Apply` or `Update`"));
        }
        let fields_type = e.str(entry, &p, "fieldsType");
        if !fields_type.is_empty() && fields_type != "FieldsV1" {
            e.push(invalid(&child(&p, "fieldsType"), &Value::String(fields_type.into()), "must be `FieldsV1`"));
        }
        let manager = e.str(entry, &p, "manager");
        if manager.len() > FIELD_MANAGER_MAX_LENGTH {
            e.push(too_long(&child(&p, "manager"), FIELD_MANAGER_MAX_LENGTH));
        }
        for (i, c) in manager.char_indices() {
            if c.is_control() {
                e.push(invalid(
                    &child(&p, "manager"),
                    &Value::String(manager.into()),
                    &format!("invalid character U+{:04X} (at position {i})", u32::from(c)),
                ));
            }
        }
        if e.str(entry, &p, "subresource").len() > MAX_SUBRESOURCE_NAME_LENGTH {
            e.push(too_long(&child(&p, "subresource"), MAX_SUBRESOURCE_NAME_LENGTH));
        }
    }
}

/// The checks shared by create and update (labels, annotations, owners, finalizers, ...).
fn validate_meta_common(e: &mut Errs, meta: &Value, rules: MetaRules) {
    let namespace = e.str(meta, "metadata", "namespace");
    if rules.namespaced {
        if namespace.is_empty() {
            e.push(required("metadata.namespace", ""));
        } else {
            for msg in name_messages(NameRule::Dns1123Label, namespace, false) {
                e.push(invalid("metadata.namespace", &Value::String(namespace.into()), &msg));
            }
        }
    } else if !namespace.is_empty() {
        e.push(forbidden("metadata.namespace", "not allowed on this type"));
    }
    for k in ["uid", "resourceVersion", "creationTimestamp", "deletionTimestamp", "selfLink"] {
        e.opt_str(meta, "metadata", k);
    }
    e.opt_int(meta, "metadata", "deletionGracePeriodSeconds");
    let generation = e.int(meta, "metadata", "generation");
    if generation < 0 {
        e.push(invalid("metadata.generation", &Value::from(generation), "must be greater than or equal to 0"));
    }
    validate_labels(e, meta, "metadata", "labels");
    validate_annotations(e, meta, "metadata", "annotations");
    validate_owner_references(e, meta);
    validate_finalizers(e, meta);
    validate_managed_fields(e, meta);
    if rules.kube_finalizers {
        validate_kube_finalizers(e, meta);
    }
}

/// `ValidateObjectMeta` for a new object (`obj` is the whole object).
pub(super) fn validate_object_meta(e: &mut Errs, obj: &Value, rules: MetaRules) {
    let meta = e.obj(obj, "", "metadata");
    let generate_name = e.str(meta, "metadata", "generateName");
    if !generate_name.is_empty() {
        for msg in name_messages(rules.name, generate_name, true) {
            e.push(invalid("metadata.generateName", &Value::String(generate_name.into()), &msg));
        }
    }
    let name = e.str(meta, "metadata", "name");
    if name.is_empty() {
        e.push(required("metadata.name", "name or generateName is required"));
    } else {
        for msg in name_messages(rules.name, name, false) {
            e.push(invalid("metadata.name", &Value::String(name.into()), &msg));
        }
    }
    validate_meta_common(e, meta, rules);
}

/// `ValidateObjectMetaUpdate`: identity fields may not change (the caller re-checks the
/// new metadata as on create).
pub(super) fn validate_object_meta_update(e: &mut Errs, new: &Value, old: &Value) {
    let meta = e.obj(new, "", "metadata");
    let old_meta = old.get("metadata").unwrap_or(&NULL);
    if old_meta.get("deletionTimestamp").is_some_and(|v| !v.is_null()) {
        let old_f: Vec<&str> = old_meta
            .get("finalizers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let mut extra: Vec<String> = meta
            .get("finalizers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .filter(|f| !old_f.contains(f))
            .map(str::to_string)
            .collect();
        extra.sort();
        extra.dedup();
        if !extra.is_empty() {
            e.push(forbidden(
                "metadata.finalizers",
                &format!(
                    "no new finalizers can be added if the object is being deleted, found new finalizers {}",
                    crate::selector::validation::go_string_slice(&extra)
                ),
            ));
        }
    }
    let generation = e.int(meta, "metadata", "generation");
    let old_generation = old_meta.get("generation").and_then(super::access::as_int).unwrap_or(0);
    if generation < old_generation {
        e.push(invalid("metadata.generation", &Value::from(generation), "must not be decremented"));
    }
    for field in ["name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds"] {
        if !field_eq(meta, old_meta, field) {
            e.push(immutable(&format!("metadata.{field}"), meta.get(field).unwrap_or(&NULL)));
        }
    }
}

/// Template metadata as `ValidatePodTemplateSpec` checks it: labels and annotations.
pub(super) fn validate_template_meta(e: &mut Errs, template: &Value, path: &str) {
    let meta_path = child(path, "metadata");
    let meta = e.obj(template, path, "metadata");
    validate_labels(e, meta, &meta_path, "labels");
    validate_annotations(e, meta, &meta_path, "annotations");
}

/// The immutable-selector cause as upstream prints it (`v1.LabelSelector{...}`).
pub(super) fn immutable_selector(path: &str, selector: &Value) -> crate::status::Cause {
    invalid_rendered(path, &go_label_selector(selector), "field is immutable")
}

/// `metadata.annotations[key]` style paths for annotation-specific rules.
pub(super) fn annotation_path(k: &str) -> String {
    key("metadata.annotations", k)
}
