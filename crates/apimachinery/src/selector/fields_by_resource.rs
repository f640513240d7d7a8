//! Which fields each resource can be selected by, and their values on an object.
//!
//! Two upstream pieces meet here. The *field label conversion* registered per kind
//! decides which `fieldSelector` fields a request may use (and renames a few, such as
//! pods' legacy `spec.host` or events.k8s.io's `regarding.*`); a kind without one accepts
//! only `metadata.name` and `metadata.namespace`. The registry's *selectable fields*
//! (`GetAttrs`) give each field's value on an object: strings as stored (missing = `""`),
//! booleans as `true`/`false`, counters as decimal integers (missing = `0`).
//!
//! Objects are read in their served JSON shape; events are recognised in both the core
//! `v1` and the `events.k8s.io/v1` shapes.

use std::borrow::Cow;

use serde_json::Value;

use super::field::FieldSelector;
use crate::gofmt::go_quote;
use crate::status::ApiError;

/// The selectable-field behaviour of a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Pods,
    Nodes,
    ReplicationControllers,
    CoreEvents,
    EventsV1,
    Namespaces,
    Secrets,
    Services,
    Jobs,
    CertificateSigningRequests,
    /// No conversion registered: `metadata.name` and `metadata.namespace` only.
    Default,
}

fn kind_of(group: &str, plural: &str) -> Kind {
    match (group, plural) {
        ("", "pods") => Kind::Pods,
        ("", "nodes") => Kind::Nodes,
        ("", "replicationcontrollers") => Kind::ReplicationControllers,
        ("", "events") => Kind::CoreEvents,
        ("events.k8s.io", "events") => Kind::EventsV1,
        ("", "namespaces") => Kind::Namespaces,
        ("", "secrets") => Kind::Secrets,
        ("", "services") => Kind::Services,
        ("batch", "jobs") => Kind::Jobs,
        ("certificates.k8s.io", "certificatesigningrequests") => Kind::CertificateSigningRequests,
        _ => Kind::Default,
    }
}

const POD_FIELDS: &[&str] = &[
    "metadata.name",
    "metadata.namespace",
    "spec.nodeName",
    "spec.restartPolicy",
    "spec.schedulerName",
    "spec.serviceAccountName",
    "spec.hostNetwork",
    "status.phase",
    "status.podIP",
    "status.podIPs",
    "status.nominatedNodeName",
];
const NODE_FIELDS: &[&str] = &["metadata.name", "spec.unschedulable"];
const RC_FIELDS: &[&str] = &["metadata.name", "metadata.namespace", "status.replicas"];
const CORE_EVENT_FIELDS: &[&str] = &[
    "involvedObject.kind",
    "involvedObject.namespace",
    "involvedObject.name",
    "involvedObject.uid",
    "involvedObject.apiVersion",
    "involvedObject.resourceVersion",
    "involvedObject.fieldPath",
    "reason",
    "reportingComponent",
    "source",
    "type",
    "metadata.namespace",
    "metadata.name",
];
/// events.k8s.io/v1 names and the core names they are selected by.
const EVENTS_V1_FIELDS: &[(&str, &str)] = &[
    ("reason", "reason"),
    ("regarding.kind", "involvedObject.kind"),
    ("regarding.namespace", "involvedObject.namespace"),
    ("regarding.name", "involvedObject.name"),
    ("regarding.uid", "involvedObject.uid"),
    ("regarding.apiVersion", "involvedObject.apiVersion"),
    ("regarding.resourceVersion", "involvedObject.resourceVersion"),
    ("regarding.fieldPath", "involvedObject.fieldPath"),
    ("reportingController", "reportingComponent"),
    ("source", "source"),
    ("type", "type"),
    ("metadata.namespace", "metadata.namespace"),
    ("metadata.name", "metadata.name"),
];
const NAMESPACE_FIELDS: &[&str] = &["status.phase", "metadata.name"];
const SECRET_FIELDS: &[&str] = &["type", "metadata.namespace", "metadata.name"];
const SERVICE_FIELDS: &[&str] = &["metadata.namespace", "metadata.name", "spec.clusterIP", "spec.type"];
const JOB_FIELDS: &[&str] = &["metadata.name", "metadata.namespace", "status.successful"];
const CSR_FIELDS: &[&str] = &["metadata.name", "spec.signerName"];
const DEFAULT_FIELDS: &[&str] = &["metadata.name", "metadata.namespace"];

fn find(list: &[&'static str], label: &str) -> Option<&'static str> {
    list.iter().copied().find(|f| *f == label)
}

/// Upstream's field label conversion for the kind: the field the selector means, or
/// the error message the request is refused with.
fn convert_label(kind: Kind, label: &str) -> Result<&'static str, String> {
    let not_supported = || format!("field label not supported: {label}");
    match kind {
        Kind::Pods if label == "spec.host" => Ok("spec.nodeName"),
        Kind::Pods => find(POD_FIELDS, label).ok_or_else(not_supported),
        Kind::Nodes => find(NODE_FIELDS, label).ok_or_else(not_supported),
        Kind::ReplicationControllers => find(RC_FIELDS, label).ok_or_else(not_supported),
        Kind::CoreEvents => find(CORE_EVENT_FIELDS, label).ok_or_else(not_supported),
        Kind::EventsV1 => EVENTS_V1_FIELDS
            .iter()
            .find(|(external, _)| *external == label)
            .map(|(_, internal)| *internal)
            .ok_or_else(not_supported),
        Kind::Namespaces => find(NAMESPACE_FIELDS, label).ok_or_else(not_supported),
        Kind::Secrets => find(SECRET_FIELDS, label).ok_or_else(not_supported),
        Kind::Services => find(SERVICE_FIELDS, label).ok_or_else(not_supported),
        Kind::CertificateSigningRequests => find(CSR_FIELDS, label).ok_or_else(not_supported),
        Kind::Jobs => find(JOB_FIELDS, label)
            .ok_or_else(|| format!("field label {} not supported for batchv1.Job", go_quote(label))),
        Kind::Default => find(DEFAULT_FIELDS, label).ok_or_else(|| {
            format!("{} is not a known field selector: only \"metadata.name\", \"metadata.namespace\"", go_quote(label))
        }),
    }
}

/// The field a selector term refers to after conversion: the converted name of an
/// accepted label, or a name conversion itself produces (an already converted selector).
fn resolve(kind: Kind, label: &str) -> Option<&'static str> {
    if let Ok(internal) = convert_label(kind, label) {
        return Some(internal);
    }
    match kind {
        Kind::EventsV1 => EVENTS_V1_FIELDS.iter().map(|(_, internal)| *internal).find(|f| *f == label),
        _ => None,
    }
}

/// Applies the resource's field label conversion to every term, as the apiserver does
/// before listing: unsupported fields are a 400 with upstream's message, legacy names
/// are rewritten (`spec.host` → `spec.nodeName`, `regarding.name` → `involvedObject.name`).
pub fn convert_field_selector(group: &str, plural: &str, sel: &FieldSelector) -> Result<FieldSelector, ApiError> {
    let kind = kind_of(group, plural);
    sel.transform(|field, value| {
        convert_label(kind, field).map(|f| (f.to_string(), value.to_string())).map_err(ApiError::bad_request)
    })
}

/// Validates that every field in the selector is selectable for the resource; a 400
/// (`field label not supported: x`, or for kinds without their own list
/// `"x" is not a known field selector: only "metadata.name", "metadata.namespace"`).
pub fn check_selectable(group: &str, plural: &str, sel: &FieldSelector) -> Result<(), ApiError> {
    let kind = kind_of(group, plural);
    for r in sel.requirements() {
        convert_label(kind, &r.field).map_err(ApiError::bad_request)?;
    }
    Ok(())
}

/// The value of a selectable field of an object as upstream's `GetAttrs` computes it
/// (`"true"`/`"false"` for booleans, `""` for missing strings, `"0"` for missing counts);
/// `None` when the resource cannot be selected by that field. Accepts both the names a
/// request uses and the names [`convert_field_selector`] produces.
pub fn field_value(group: &str, plural: &str, obj: &Value, field: &str) -> Option<String> {
    field_value_ref(group, plural, obj, field).map(Cow::into_owned)
}

/// [`field_value`] without copying string fields out of the object.
pub fn field_value_ref<'a>(group: &str, plural: &str, obj: &'a Value, field: &str) -> Option<Cow<'a, str>> {
    let kind = kind_of(group, plural);
    let internal = resolve(kind, field)?;
    Some(value_of(kind, obj, internal))
}

impl FieldSelector {
    /// Whether an object of the resource satisfies every term (fields the resource does
    /// not expose compare as `""`). Use on a selector already checked or converted.
    pub fn matches_object(&self, group: &str, plural: &str, obj: &Value) -> bool {
        if self.is_empty() {
            return true;
        }
        let kind = kind_of(group, plural);
        self.requirements().iter().all(|r| {
            let value = resolve(kind, &r.field).map(|internal| value_of(kind, obj, internal));
            r.matches_value(value.as_deref())
        })
    }
}

fn at<'a>(obj: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(obj, |v, key| v.get(key))
}

fn str_at<'a>(obj: &'a Value, path: &[&str]) -> &'a str {
    at(obj, path).and_then(Value::as_str).unwrap_or("")
}

fn non_empty<'a>(obj: &'a Value, path: &[&str]) -> Option<&'a str> {
    Some(str_at(obj, path)).filter(|s| !s.is_empty())
}

fn bool_at(obj: &Value, path: &[&str]) -> Cow<'static, str> {
    let b = at(obj, path).and_then(Value::as_bool).unwrap_or(false);
    Cow::Borrowed(if b { "true" } else { "false" })
}

fn int_at(obj: &Value, path: &[&str]) -> Cow<'static, str> {
    let n = at(obj, path).and_then(|v| v.as_i64().or_else(|| v.as_f64().map(|f| f as i64))).unwrap_or(0);
    Cow::Owned(n.to_string())
}

/// Whether an event object is in the events.k8s.io/v1 shape (`regarding`, `note`, ...).
fn is_events_v1_shape(obj: &Value) -> bool {
    match obj.get("apiVersion").and_then(Value::as_str) {
        Some(api_version) => api_version.starts_with("events.k8s.io/"),
        None => obj.get("regarding").is_some() || obj.get("reportingController").is_some(),
    }
}

fn event_value<'a>(obj: &'a Value, field: &str) -> Cow<'a, str> {
    let v1 = is_events_v1_shape(obj);
    let (reference, controller, source) = if v1 {
        ("regarding", "reportingController", "deprecatedSource")
    } else {
        ("involvedObject", "reportingComponent", "source")
    };
    let s = match field {
        "reason" => str_at(obj, &["reason"]),
        "type" => str_at(obj, &["type"]),
        "reportingComponent" => str_at(obj, &[controller]),
        "source" => non_empty(obj, &[source, "component"]).unwrap_or_else(|| str_at(obj, &[controller])),
        _ => match field.strip_prefix("involvedObject.") {
            Some(sub) => str_at(obj, &[reference, sub]),
            None => "",
        },
    };
    Cow::Borrowed(s)
}

fn pod_value<'a>(obj: &'a Value, field: &str) -> Cow<'a, str> {
    let s = match field {
        "spec.nodeName" => str_at(obj, &["spec", "nodeName"]),
        "spec.restartPolicy" => str_at(obj, &["spec", "restartPolicy"]),
        "spec.schedulerName" => str_at(obj, &["spec", "schedulerName"]),
        // The deprecated `serviceAccount` is an alias honoured when the name is unset.
        "spec.serviceAccountName" => {
            non_empty(obj, &["spec", "serviceAccountName"]).unwrap_or_else(|| str_at(obj, &["spec", "serviceAccount"]))
        }
        "spec.hostNetwork" => return bool_at(obj, &["spec", "hostNetwork"]),
        "status.phase" => str_at(obj, &["status", "phase"]),
        // The primary IP: `status.podIP` wins over `status.podIPs[0].ip` when both are set.
        "status.podIP" => non_empty(obj, &["status", "podIP"])
            .or_else(|| {
                at(obj, &["status", "podIPs"])
                    .and_then(Value::as_array)
                    .and_then(|ips| ips.first())
                    .and_then(|ip| ip.get("ip"))
                    .and_then(Value::as_str)
            })
            .unwrap_or(""),
        "status.nominatedNodeName" => str_at(obj, &["status", "nominatedNodeName"]),
        // Accepted by the conversion but absent from upstream's field set.
        _ => "",
    };
    Cow::Borrowed(s)
}

/// The value of an already resolved field on an object of the kind.
fn value_of<'a>(kind: Kind, obj: &'a Value, field: &str) -> Cow<'a, str> {
    match field {
        "metadata.name" => return Cow::Borrowed(str_at(obj, &["metadata", "name"])),
        "metadata.namespace" => return Cow::Borrowed(str_at(obj, &["metadata", "namespace"])),
        _ => {}
    }
    match (kind, field) {
        (Kind::Pods, _) => pod_value(obj, field),
        (Kind::Nodes, "spec.unschedulable") => bool_at(obj, &["spec", "unschedulable"]),
        (Kind::ReplicationControllers, "status.replicas") => int_at(obj, &["status", "replicas"]),
        (Kind::CoreEvents | Kind::EventsV1, _) => event_value(obj, field),
        (Kind::Namespaces, "status.phase") => Cow::Borrowed(str_at(obj, &["status", "phase"])),
        (Kind::Secrets, "type") => Cow::Borrowed(str_at(obj, &["type"])),
        (Kind::Services, "spec.clusterIP") => Cow::Borrowed(str_at(obj, &["spec", "clusterIP"])),
        (Kind::Services, "spec.type") => Cow::Borrowed(str_at(obj, &["spec", "type"])),
        (Kind::Jobs, "status.successful") => int_at(obj, &["status", "succeeded"]),
        (Kind::CertificateSigningRequests, "spec.signerName") => Cow::Borrowed(str_at(obj, &["spec", "signerName"])),
        _ => Cow::Borrowed(""),
    }
}

/// Every field (by its converted name) the resource's objects can be selected by, so a
/// server can compute them once per stored object. events.k8s.io Events are selected
/// by their core names, as conversion rewrites them.
pub fn selectable_fields(group: &str, plural: &str) -> &'static [&'static str] {
    match kind_of(group, plural) {
        Kind::Pods => POD_FIELDS,
        Kind::Nodes => NODE_FIELDS,
        Kind::ReplicationControllers => RC_FIELDS,
        Kind::CoreEvents | Kind::EventsV1 => CORE_EVENT_FIELDS,
        Kind::Namespaces => NAMESPACE_FIELDS,
        Kind::Secrets => SECRET_FIELDS,
        Kind::Services => SERVICE_FIELDS,
        Kind::Jobs => JOB_FIELDS,
        Kind::CertificateSigningRequests => CSR_FIELDS,
        Kind::Default => DEFAULT_FIELDS,
    }
}
