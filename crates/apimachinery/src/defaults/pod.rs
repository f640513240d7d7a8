//! Defaults of pods and of everything a pod spec holds (containers, probes, volumes), which
//! every kind with a pod template shares.

use serde_json::{json, Map, Value};

use super::{
    absent, default_ptr, default_zero, ensure_object, image, is_true, object, objects_in, sort_keys, text, Obj,
};
use crate::schema::schema;

/// File mode upstream gives projected files when none is set (0644).
const DEFAULT_MODE: i64 = 0o644;

/// Runs the defaults of the pod-related core type `ty`; false when `ty` is not one of them.
pub(super) fn defaults(ty: &str, m: &mut Obj) -> bool {
    match ty {
        "Pod" => pod(m),
        "PodTemplateSpec" => drop_init_container_annotations(m),
        "PodSpec" => pod_spec(m),
        "PodStatus" => pod_status(m),
        "Container" | "EphemeralContainer" => container(m),
        "ContainerPort" => default_zero(m, "protocol", "TCP"),
        "Probe" => probe(m),
        "HTTPGetAction" => {
            default_zero(m, "path", "/");
            default_zero(m, "scheme", "HTTP");
        }
        "GRPCAction" => default_ptr(m, "service", ""),
        "ObjectFieldSelector" => default_zero(m, "apiVersion", "v1"),
        "Volume" => volume(m),
        "HostPathVolumeSource" => default_ptr(m, "type", ""),
        "SecretVolumeSource" | "ConfigMapVolumeSource" | "DownwardAPIVolumeSource" | "ProjectedVolumeSource" => {
            default_ptr(m, "defaultMode", DEFAULT_MODE);
        }
        "ServiceAccountTokenProjection" => default_ptr(m, "expirationSeconds", 3600),
        "ISCSIVolumeSource" | "ISCSIPersistentVolumeSource" => default_zero(m, "iscsiInterface", "default"),
        "RBDVolumeSource" | "RBDPersistentVolumeSource" => {
            default_zero(m, "pool", "rbd");
            default_zero(m, "user", "admin");
            default_zero(m, "keyring", "/etc/ceph/keyring");
        }
        "AzureDiskVolumeSource" => {
            default_ptr(m, "cachingMode", "ReadWrite");
            default_ptr(m, "fsType", "ext4");
            default_ptr(m, "readOnly", false);
            default_ptr(m, "kind", "Shared");
        }
        "ScaleIOVolumeSource" | "ScaleIOPersistentVolumeSource" => {
            default_zero(m, "storageMode", "ThinProvisioned");
            default_zero(m, "fsType", "xfs");
        }
        "PersistentVolumeClaimSpec" => default_ptr(m, "volumeMode", "Filesystem"),
        _ => return false,
    }
    true
}

/// Annotations of the alpha and beta init containers, which upstream's v1 conversion drops
/// from pods and pod templates.
const INIT_CONTAINER_ANNOTATIONS: [&str; 4] = [
    "pod.beta.kubernetes.io/init-containers",
    "pod.alpha.kubernetes.io/init-containers",
    "pod.beta.kubernetes.io/init-container-statuses",
    "pod.alpha.kubernetes.io/init-container-statuses",
];

/// What only a Pod gets, not a pod template: requests from limits, service links, host
/// ports under host networking.
fn pod(m: &mut Obj) {
    drop_init_container_annotations(m);
    let Some(spec) = ensure_object(m, "spec") else { return };
    for key in ["containers", "initContainers"] {
        for c in objects_in(spec, key) {
            requests_from_limits(c);
        }
    }
    default_ptr(spec, "enableServiceLinks", true);
    if is_true(spec, "hostNetwork") {
        for key in ["containers", "initContainers"] {
            for c in objects_in(spec, key) {
                for port in objects_in(c, "ports") {
                    if super::zero(port, "hostPort") {
                        if let Some(n) = port.get("containerPort").filter(|v| v.is_number()).cloned() {
                            port.insert("hostPort".into(), n);
                        }
                    }
                }
            }
        }
    }
}

fn drop_init_container_annotations(m: &mut Obj) {
    if let Some(annotations) = object(m, "metadata").and_then(|md| object(md, "annotations")) {
        for key in INIT_CONTAINER_ANNOTATIONS {
            annotations.shift_remove(key);
        }
    }
}

/// A container's limits stand in for the requests it does not state.
fn requests_from_limits(c: &mut Obj) {
    let Some(resources) = object(c, "resources") else { return };
    let Some(limits) = resources.get("limits").and_then(Value::as_object).cloned() else { return };
    if limits.is_empty() {
        return;
    }
    if super::absent(resources, "requests") {
        resources.insert("requests".into(), Value::Object(Map::new()));
    }
    let Some(requests) = object(resources, "requests") else { return };
    for (name, quantity) in limits {
        requests.entry(name).or_insert(quantity);
    }
    sort_keys(requests);
}

fn pod_spec(m: &mut Obj) {
    default_zero(m, "dnsPolicy", "ClusterFirst");
    default_zero(m, "restartPolicy", "Always");
    default_ptr(m, "securityContext", Value::Object(Map::new()));
    default_ptr(m, "terminationGracePeriodSeconds", 30);
    default_zero(m, "schedulerName", "default-scheduler");
    // The v1 conversion round trip: an empty serviceAccountName takes the deprecated
    // serviceAccount, and serviceAccount is written back from serviceAccountName.
    let scalar = |v: Option<&Value>| v.is_none_or(|v| v.is_null() || v.is_string());
    if !scalar(m.get("serviceAccountName")) || !scalar(m.get("serviceAccount")) {
        return;
    }
    let name = match text(m, "serviceAccountName") {
        "" => text(m, "serviceAccount"),
        name => name,
    };
    if !name.is_empty() {
        let name = Value::String(name.to_string());
        m.insert("serviceAccountName".into(), name.clone());
        m.insert("serviceAccount".into(), name);
    }
}

/// The v1 conversion round trip of the single and plural pod and host IPs: a singular IP
/// that disagrees with the first plural one replaces the list, and the singular field is
/// written back from the list.
fn pod_status(m: &mut Obj) {
    sync_ip_lists(m, "podIP", "podIPs");
    sync_ip_lists(m, "hostIP", "hostIPs");
}

fn sync_ip_lists(m: &mut Obj, single: &str, plural: &str) {
    let Some(Value::String(ip)) = m.get(single).cloned() else {
        return sync_single_from_list(m, single, plural);
    };
    let list_ok = match m.get(plural) {
        None | Some(Value::Null) => true,
        Some(Value::Array(items)) => items.iter().all(Value::is_object),
        Some(_) => false,
    };
    if !ip.is_empty() && list_ok {
        let first = m.get(plural).and_then(|l| l.get(0)).map(|e| e.get("ip").and_then(Value::as_str).unwrap_or(""));
        if first != Some(ip.as_str()) {
            m.insert(plural.into(), json!([{ "ip": ip }]));
        }
    }
    sync_single_from_list(m, single, plural);
}

fn sync_single_from_list(m: &mut Obj, single: &str, plural: &str) {
    let first = m.get(plural).and_then(|l| l.get(0)).and_then(|e| e.get("ip")).and_then(Value::as_str);
    if let Some(first) = first.map(str::to_string) {
        if m.get(single).is_none_or(|v| v.is_null() || v.is_string()) {
            m.insert(single.into(), Value::String(first));
        }
    }
}

fn container(m: &mut Obj) {
    if super::zero(m, "imagePullPolicy") && m.get("image").is_none_or(|v| v.is_null() || v.is_string()) {
        let policy = image::pull_policy_for_image(text(m, "image"));
        m.insert("imagePullPolicy".into(), policy.into());
    }
    default_zero(m, "terminationMessagePath", "/dev/termination-log");
    default_zero(m, "terminationMessagePolicy", "File");
}

fn probe(m: &mut Obj) {
    default_zero(m, "timeoutSeconds", 1);
    default_zero(m, "periodSeconds", 10);
    default_zero(m, "successThreshold", 1);
    default_zero(m, "failureThreshold", 3);
}

/// A volume that names no source at all is an `emptyDir`.
fn volume(m: &mut Obj) {
    let Some(source) = schema().type_def("io.k8s.api.core.v1.VolumeSource") else { return };
    if source.json_fields().iter().all(|f| absent(m, &f.json_name)) {
        m.insert("emptyDir".into(), Value::Object(Map::new()));
    }
}
