//! Defaults of the core (`v1`) kinds other than pods: services, volumes and claims,
//! namespaces, nodes, endpoints, limit ranges, secrets, replication controllers.

use base64::Engine;
use serde_json::{json, Map, Value};

use super::{absent, default_ptr, default_zero, empty, ensure_object, object, objects_in, pod, sort_keys, text, Obj};

/// Seconds a `ClientIP` session sticks when the Service does not say (three hours).
const CLIENT_IP_TIMEOUT_SECONDS: i64 = 10_800;

/// The label every named Namespace carries with its own name.
const NAMESPACE_NAME_LABEL: &str = "kubernetes.io/metadata.name";

pub(super) fn defaults(ty: &str, m: &mut Obj) {
    if pod::defaults(ty, m) {
        return;
    }
    match ty {
        "Service" => service(m),
        "ServicePort" => default_zero(m, "protocol", "TCP"),
        "Secret" => secret(m),
        "PersistentVolume" => persistent_volume(m),
        "PersistentVolumeClaim" => {
            if let Some(status) = ensure_object(m, "status") {
                default_zero(status, "phase", "Pending");
            }
        }
        "Namespace" => namespace(m),
        "NamespaceStatus" => default_zero(m, "phase", "Active"),
        "NodeSpec" => node_spec(m),
        "NodeStatus" => node_status(m),
        "EndpointPort" => default_zero(m, "protocol", "TCP"),
        "LimitRangeItem" => limit_range_item(m),
        "ReplicationController" => replication_controller(m),
        "ReplicationControllerSpec" => default_ptr(m, "replicas", 1),
        _ => {}
    }
}

fn service(m: &mut Obj) {
    let Some(spec) = ensure_object(m, "spec") else { return };
    default_zero(spec, "sessionAffinity", "None");
    match text(spec, "sessionAffinity") {
        "None" => {
            spec.shift_remove("sessionAffinityConfig");
        }
        "ClientIP" => {
            let has_timeout = object(spec, "sessionAffinityConfig")
                .and_then(|c| object(c, "clientIP"))
                .is_some_and(|ip| !absent(ip, "timeoutSeconds"));
            if !has_timeout {
                spec.insert(
                    "sessionAffinityConfig".into(),
                    json!({ "clientIP": { "timeoutSeconds": CLIENT_IP_TIMEOUT_SECONDS } }),
                );
            }
        }
        _ => {}
    }
    default_zero(spec, "type", "ClusterIP");
    for port in objects_in(spec, "ports") {
        default_zero(port, "protocol", "TCP");
        let unset_target = matches!(port.get("targetPort"), None | Some(Value::Null))
            || port.get("targetPort").is_some_and(|t| t.as_f64() == Some(0.0) || t.as_str() == Some(""));
        if unset_target {
            let number = match port.get("port") {
                None | Some(Value::Null) => Some(Value::from(0)),
                Some(n @ Value::Number(_)) => Some(n.clone()),
                Some(_) => None,
            };
            if let Some(number) = number {
                port.insert("targetPort".into(), number);
            }
        }
    }
    let service_type = text(spec, "type").to_string();
    let externally_accessible = matches!(service_type.as_str(), "LoadBalancer" | "NodePort")
        || (service_type == "ClusterIP" && !empty(spec, "externalIPs"));
    if externally_accessible {
        default_zero(spec, "externalTrafficPolicy", "Cluster");
    }
    if matches!(service_type.as_str(), "NodePort" | "LoadBalancer" | "ClusterIP") {
        default_ptr(spec, "internalTrafficPolicy", "Cluster");
    }
    if service_type == "LoadBalancer" {
        default_ptr(spec, "allocateLoadBalancerNodePorts", true);
        let ingress = object(m, "status").and_then(|s| object(s, "loadBalancer"));
        for entry in ingress.into_iter().flat_map(|lb| objects_in(lb, "ingress")) {
            if !text(entry, "ip").is_empty() {
                default_ptr(entry, "ipMode", "VIP");
            }
        }
    }
}

/// `type` defaults to `Opaque`; `stringData` is write-only: upstream's decoding merges it
/// into `data` (winning over the same keys there) and never returns it.
fn secret(m: &mut Obj) {
    default_zero(m, "type", "Opaque");
    let Some(Value::Object(strings)) = m.get("stringData") else { return };
    if !strings.values().all(|v| v.is_string() || v.is_null()) {
        return;
    }
    let encoded: Vec<(String, String)> = strings
        .iter()
        .map(|(k, v)| (k.clone(), base64::engine::general_purpose::STANDARD.encode(v.as_str().unwrap_or(""))))
        .collect();
    if !encoded.is_empty() {
        if absent(m, "data") {
            m.insert("data".into(), Value::Object(Map::new()));
        }
        let Some(data) = object(m, "data") else { return };
        for (k, v) in encoded {
            data.insert(k, Value::String(v));
        }
        sort_keys(data);
    }
    m.shift_remove("stringData");
}

fn persistent_volume(m: &mut Obj) {
    if let Some(status) = ensure_object(m, "status") {
        default_zero(status, "phase", "Pending");
    }
    if let Some(spec) = ensure_object(m, "spec") {
        default_zero(spec, "persistentVolumeReclaimPolicy", "Retain");
        default_ptr(spec, "volumeMode", "Filesystem");
    }
}

/// Every named Namespace is labelled with its name (overwriting any other value there).
fn namespace(m: &mut Obj) {
    let Some(metadata) = object(m, "metadata") else { return };
    let name = text(metadata, "name").to_string();
    if name.is_empty() {
        return;
    }
    if absent(metadata, "labels") {
        metadata.insert("labels".into(), Value::Object(Map::new()));
    }
    if let Some(labels) = object(metadata, "labels") {
        labels.insert(NAMESPACE_NAME_LABEL.into(), Value::String(name));
        sort_keys(labels);
    }
}

/// The v1 conversion round trip of `podCIDR` and `podCIDRs`: a singular CIDR that
/// disagrees with the first of the list replaces the list, and the singular field is
/// written back from the list.
fn node_spec(m: &mut Obj) {
    let single = m.get("podCIDR").and_then(Value::as_str).unwrap_or("").to_string();
    let list_ok = match m.get("podCIDRs") {
        None | Some(Value::Null) => true,
        Some(Value::Array(items)) => items.iter().all(Value::is_string),
        Some(_) => false,
    };
    if !list_ok || !m.get("podCIDR").is_none_or(|v| v.is_null() || v.is_string()) {
        return;
    }
    if !single.is_empty() {
        let first = m.get("podCIDRs").and_then(|l| l.get(0)).and_then(Value::as_str);
        if first != Some(single.as_str()) {
            m.insert("podCIDRs".into(), json!([single]));
        }
    }
    if let Some(first) = m.get("podCIDRs").and_then(|l| l.get(0)).cloned() {
        m.insert("podCIDR".into(), first);
    }
}

/// A node that reports no allocatable resources can allocate its whole capacity.
fn node_status(m: &mut Obj) {
    if !absent(m, "allocatable") {
        return;
    }
    if let Some(capacity) = m.get("capacity").filter(|c| c.as_object().is_some_and(|c| !c.is_empty())).cloned() {
        m.insert("allocatable".into(), capacity);
    }
}

/// For containers: a missing default limit is the max, a missing default request the
/// default limit, else the min.
fn limit_range_item(m: &mut Obj) {
    if text(m, "type") != "Container" {
        return;
    }
    fill_missing(m, "default", &["max"]);
    fill_missing(m, "defaultRequest", &["default", "min"]);
}

/// Copies into the resource list `target` the entries of the `sources` lists it lacks.
fn fill_missing(m: &mut Obj, target: &str, sources: &[&str]) {
    if !m.get(target).is_none_or(|v| v.is_null() || v.is_object()) {
        return;
    }
    let mut values = m.get(target).and_then(Value::as_object).cloned().unwrap_or_default();
    let before = values.len();
    for source in sources {
        for (k, v) in m.get(*source).and_then(Value::as_object).into_iter().flatten() {
            values.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
    if values.len() != before {
        sort_keys(&mut values);
        m.insert(target.into(), Value::Object(values));
    }
}

/// The selector and the object's labels come from the template's labels when unset.
fn replication_controller(m: &mut Obj) {
    let labels = object(m, "spec")
        .and_then(|s| object(s, "template"))
        .and_then(|t| object(t, "metadata"))
        .and_then(|md| md.get("labels"))
        .and_then(Value::as_object)
        .filter(|l| !l.is_empty())
        .cloned();
    let Some(labels) = labels else { return };
    if let Some(spec) = object(m, "spec") {
        if empty(spec, "selector") {
            spec.insert("selector".into(), Value::Object(labels.clone()));
        }
    }
    if let Some(metadata) = ensure_object(m, "metadata") {
        if empty(metadata, "labels") {
            metadata.insert("labels".into(), Value::Object(labels));
        }
    }
}
