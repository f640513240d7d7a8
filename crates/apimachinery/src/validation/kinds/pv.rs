//! PersistentVolume and PersistentVolumeClaim, with their update rules (a PV's source
//! is fixed; a claim's spec is fixed except `volumeName` once and, when bound, its
//! storage request).

use serde_json::Value;

use super::access::{child, diff, field_eq, get_str, key, render_json, semantic_eq, Errs, NULL};
use super::meta::check_dns_subdomain;
use super::resources::read_quantity;
use super::volumes::{validate_access_modes, validate_csi_driver_name, validate_host_path, validate_pvc_spec};
use crate::quantity::Quantity;
use crate::validation::errors::{
    forbidden, invalid, invalid_rendered, not_supported, not_supported_rendered, required,
};

fn s(v: &str) -> Value {
    Value::String(v.to_string())
}

/// Every source a PersistentVolume may name, in upstream's checking order.
const PV_SOURCES: &[&str] = &[
    "hostPath",
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "glusterfs",
    "flocker",
    "nfs",
    "rbd",
    "quobyte",
    "cephfs",
    "iscsi",
    "cinder",
    "fc",
    "flexVolume",
    "azureFile",
    "vsphereVolume",
    "photonPersistentDisk",
    "portworxVolume",
    "azureDisk",
    "scaleIO",
    "local",
    "storageos",
    "csi",
];

/// Fields of a PV spec that are not its volume source.
const PV_NON_SOURCE: &[&str] = &[
    "capacity",
    "accessModes",
    "claimRef",
    "persistentVolumeReclaimPolicy",
    "storageClassName",
    "mountOptions",
    "volumeMode",
    "nodeAffinity",
    "volumeAttributesClassName",
];

fn validate_secret_ref(e: &mut Errs, r: &Value, path: &str) {
    let name = e.str(r, path, "name");
    if name.is_empty() {
        e.push(required(&child(path, "name"), ""));
    } else {
        check_dns_subdomain(e, name, &child(path, "name"));
    }
    let ns = e.str(r, path, "namespace");
    if ns.is_empty() {
        e.push(required(&child(path, "namespace"), ""));
    } else {
        super::meta::check_dns_label(e, ns, &child(path, "namespace"));
    }
}

fn validate_pv_source(e: &mut Errs, kind: &str, src: &Value, path: &str, spec_path: &str) -> bool {
    let req = |e: &mut Errs, k: &str| {
        if e.str(src, path, k).is_empty() {
            e.push(required(&child(path, k), ""));
        }
    };
    match kind {
        "hostPath" | "local" => {
            validate_host_path(e, src, path, kind == "hostPath");
            return kind == "local";
        }
        "nfs" => {
            req(e, "server");
            let p = e.str(src, path, "path");
            if p.is_empty() {
                e.push(required(&child(path, "path"), ""));
            }
            if !p.starts_with('/') {
                e.push(invalid(&child(path, "path"), &s(p), "must be an absolute path"));
            }
        }
        "csi" => {
            let driver = e.str(src, path, "driver");
            validate_csi_driver_name(e, driver, &child(path, "driver"));
            req(e, "volumeHandle");
            for k in [
                "controllerPublishSecretRef",
                "controllerExpandSecretRef",
                "nodePublishSecretRef",
                "nodeExpandSecretRef",
                "nodeStageSecretRef",
            ] {
                if let Some(r) = e.opt_obj(src, path, k) {
                    validate_secret_ref(e, r, &child(path, k));
                }
            }
        }
        "gcePersistentDisk" if e.str(src, path, "pdName").is_empty() => {
            e.push(required(&child(&child(spec_path, "persistentDisk"), "pdName"), ""));
        }
        "awsElasticBlockStore" | "cinder" | "portworxVolume" => req(e, "volumeID"),
        "glusterfs" => {
            req(e, "endpoints");
            req(e, "path");
        }
        "iscsi" => {
            req(e, "targetPortal");
            req(e, "iqn");
        }
        "rbd" | "cephfs" => {
            if e.str_list(src, path, "monitors").is_empty() {
                e.push(required(&child(path, "monitors"), ""));
            }
            if kind == "rbd" {
                req(e, "image");
            }
        }
        "flexVolume" => req(e, "driver"),
        "azureFile" => {
            req(e, "secretName");
            req(e, "shareName");
        }
        "azureDisk" => {
            req(e, "diskName");
            req(e, "diskURI");
        }
        "vsphereVolume" => req(e, "volumePath"),
        "photonPersistentDisk" => req(e, "pdID"),
        "scaleIO" => {
            req(e, "gateway");
            req(e, "system");
            req(e, "volumeName");
        }
        "storageos" => req(e, "volumeName"),
        "quobyte" => {
            req(e, "registry");
            req(e, "volume");
        }
        _ => {}
    }
    false
}

/// `ValidatePersistentVolumeSpec` (not inline).
fn validate_pv_spec(e: &mut Errs, pv: &Value) {
    let spec = e.obj(pv, "", "spec");
    let path = "spec";
    validate_access_modes(e, spec, path, "");
    let capacity = e.opt_obj(spec, path, "capacity").and_then(Value::as_object);
    let cap_len = capacity.map_or(0, serde_json::Map::len);
    if cap_len == 0 {
        e.push(required("spec.capacity", ""));
    }
    if !capacity.is_some_and(|c| c.contains_key("storage")) || cap_len > 1 {
        let rendered = capacity
            .map_or("core.ResourceList(nil)".to_string(), |c| format!("core.ResourceList{}", Value::Object(c.clone())));
        e.push(not_supported_rendered("spec.capacity", &rendered, &["storage"]));
    }
    for (name, v) in capacity.into_iter().flatten() {
        let p = key("spec.capacity", name);
        if let Some(q) = read_quantity(e, v, &p) {
            if q.value() < 0 {
                e.push(invalid(&p, &Value::from(q.value()), "must be a valid resource quantity"));
            }
            if q.sign() <= 0 {
                e.push(invalid(&p, &s(&q.to_string()), "must be greater than zero"));
            }
        }
    }
    let reclaim = e.str(spec, path, "persistentVolumeReclaimPolicy");
    if !reclaim.is_empty() && !matches!(reclaim, "Delete" | "Recycle" | "Retain") {
        e.push(not_supported("spec.persistentVolumeReclaimPolicy", &s(reclaim), &["Delete", "Recycle", "Retain"]));
    }
    let mut affinity_set = false;
    if let Some(na) = e.opt_obj(spec, path, "nodeAffinity") {
        affinity_set = true;
        match e.opt_obj(na, "spec.nodeAffinity", "required") {
            Some(req) => super::scheduling::validate_node_selector(e, req, "spec.nodeAffinity.required"),
            None => e.push(required("spec.nodeAffinity.required", "must specify required node constraints")),
        }
    }
    let mut count = 0;
    for kind in PV_SOURCES {
        let Some(src) = e.opt_obj(spec, path, kind) else { continue };
        let sp = child(path, kind);
        if count > 0 && *kind != "flexVolume" {
            e.push(forbidden(&sp, "may not specify more than 1 volume type"));
            continue;
        }
        count += 1;
        if validate_pv_source(e, kind, src, &sp, path) && !affinity_set {
            e.push(required("spec.nodeAffinity", "Local volume requires node affinity"));
        }
    }
    if count == 0 {
        e.push(required("spec", "must specify a volume type"));
    }
    let host_root = spec
        .get("hostPath")
        .and_then(|h| h.get("path"))
        .and_then(Value::as_str)
        .is_some_and(|p| p.trim_end_matches('/').is_empty() && !p.is_empty());
    if host_root && reclaim == "Recycle" {
        e.push(forbidden("spec.persistentVolumeReclaimPolicy", "may not be 'recycle' for a hostPath mount of '/'"));
    }
    if let Some(class) = e.opt_str(spec, path, "storageClassName").filter(|c| !c.is_empty()) {
        check_dns_subdomain(e, class, "spec.storageClassName");
    }
    if let Some(mode) = e.opt_str(spec, path, "volumeMode") {
        if mode != "Block" && mode != "Filesystem" {
            e.push(not_supported("spec.volumeMode", &s(mode), &["Block", "Filesystem"]));
        }
    }
    e.str_list(spec, path, "mountOptions");
    e.opt_obj(spec, path, "claimRef");
}

pub(super) fn pv_create(e: &mut Errs, pv: &Value) {
    validate_pv_spec(e, pv);
}

fn source_only(spec: &Value) -> Value {
    let mut v = spec.clone();
    if let Value::Object(m) = &mut v {
        for k in PV_NON_SOURCE {
            m.remove(*k);
        }
    }
    v
}

pub(super) fn pv_update(e: &mut Errs, new: &Value, old: &Value) {
    validate_pv_spec(e, new);
    let spec = new.get("spec").unwrap_or(&NULL);
    let old_spec = old.get("spec").unwrap_or(&NULL);
    let mut new_source = source_only(spec);
    let old_source = source_only(old_spec);
    // A CSI source may gain a controllerExpandSecretRef.
    let old_has_expand =
        old_spec.get("csi").and_then(|c| c.get("controllerExpandSecretRef")).is_some_and(|v| !v.is_null());
    if !old_has_expand {
        if let Some(Value::Object(csi)) = new_source.get_mut("csi") {
            csi.remove("controllerExpandSecretRef");
        }
    }
    if !semantic_eq(&new_source, &old_source) {
        let d = diff("spec", &old_source, &new_source);
        e.push(forbidden(
            "spec.persistentvolumesource",
            &format!("spec.persistentvolumesource is immutable after creation\n{d}"),
        ));
    }
    if !field_eq(spec, old_spec, "volumeMode") {
        e.push(invalid("volumeMode", spec.get("volumeMode").unwrap_or(&NULL), "field is immutable"));
    }
    if old_spec.get("nodeAffinity").is_some_and(|v| !v.is_null()) && !field_eq(spec, old_spec, "nodeAffinity") {
        e.push(invalid_rendered(
            "nodeAffinity",
            &render_json(spec.get("nodeAffinity").unwrap_or(&NULL)),
            "field is immutable, except for updating from beta label to GA",
        ));
    }
    if !field_eq(spec, old_spec, "volumeAttributesClassName") {
        e.push(forbidden(
            "spec.volumeAttributesClassName",
            "update is forbidden when the VolumeAttributesClass feature gate is disabled",
        ));
    }
}

pub(super) fn pv_status(_e: &mut Errs, _new: &Value, _old: &Value) {}

pub(super) fn pvc_create(e: &mut Errs, pvc: &Value) {
    let spec = e.obj(pvc, "", "spec");
    validate_pvc_spec(e, spec, "spec");
}

fn storage_request(pvc: &Value) -> Option<Quantity> {
    pvc.get("spec")
        .and_then(|s| s.get("resources"))
        .and_then(|r| r.get("requests"))
        .and_then(|r| r.get("storage"))
        .and_then(|v| Quantity::from_json(v).ok())
}

const BETA_CLASS_ANNOTATION: &str = "volume.beta.kubernetes.io/storage-class";

fn annotation(v: &Value) -> Option<&str> {
    v.get("metadata")
        .and_then(|m| m.get("annotations"))
        .and_then(|a| a.get(BETA_CLASS_ANNOTATION))
        .and_then(Value::as_str)
}

pub(super) fn pvc_update(e: &mut Errs, new: &Value, old: &Value) {
    pvc_create(e, new);
    let spec = new.get("spec").unwrap_or(&NULL);
    let old_spec = old.get("spec").unwrap_or(&NULL);
    let (new_ann, old_ann) = (annotation(new), annotation(old));
    let mut new_cmp = spec.clone();
    let mut old_cmp = old_spec.clone();
    let set = |v: &mut Value, k: &str, x: Option<&Value>| {
        if let Value::Object(m) = v {
            m.insert(k.into(), x.cloned().unwrap_or(Value::Null));
        }
    };
    if get_str(old_spec, "volumeName").is_empty() {
        set(&mut old_cmp, "volumeName", spec.get("volumeName"));
    }
    let new_class = spec.get("storageClassName").and_then(Value::as_str);
    let old_class_set = old_spec.get("storageClassName").is_some_and(|v| !v.is_null());
    let upgrade_from_annotation = old_ann.is_some()
        && !old_class_set
        && new_class.is_some()
        && new_class == old_ann
        && (new_ann.is_none() || new_ann == old_ann);
    if upgrade_from_annotation {
        set(&mut new_cmp, "storageClassName", None);
    } else {
        if new_ann != old_ann {
            e.push(invalid(
                &format!("metadata.annotations.{BETA_CLASS_ANNOTATION}"),
                &s(new_ann.unwrap_or("")),
                "field is immutable",
            ));
        }
        let from_nil = new_class.is_some() && !old_class_set && (old_ann.is_none() || new_class == old_ann);
        if from_nil {
            set(&mut new_cmp, "storageClassName", old_spec.get("storageClassName"));
        }
    }
    let bound = new.get("status").and_then(|s| s.get("phase")).and_then(Value::as_str) == Some("Bound");
    if bound {
        if let Some(Value::Object(res)) = new_cmp.get_mut("resources") {
            if let Some(Value::Object(req)) = res.get_mut("requests") {
                match old_spec.get("resources").and_then(|r| r.get("requests")).and_then(|r| r.get("storage")) {
                    Some(v) => {
                        req.insert("storage".into(), v.clone());
                    }
                    None => {
                        req.remove("storage");
                    }
                }
            }
        }
    }
    if !semantic_eq(&new_cmp, &old_cmp) {
        let d = diff("spec", &old_cmp, &new_cmp);
        e.push(forbidden(
            "spec",
            &format!("spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n{d}"),
        ));
    }
    if let (Some(n), Some(o)) = (storage_request(new), storage_request(old)) {
        if n < o {
            let capacity = old
                .get("status")
                .and_then(|s| s.get("capacity"))
                .and_then(|c| c.get("storage"))
                .and_then(|v| Quantity::from_json(v).ok());
            if capacity.map_or(n.sign() <= 0, |c| n <= c) {
                e.push(forbidden("spec.resources.requests.storage", "field can not be less than status.capacity"));
            }
        }
    }
    if !field_eq(spec, old_spec, "volumeMode") {
        e.push(invalid("volumeMode", spec.get("volumeMode").unwrap_or(&NULL), "field is immutable"));
    }
    if !field_eq(spec, old_spec, "volumeAttributesClassName") {
        e.push(forbidden(
            "spec.volumeAttributesClassName",
            "update is forbidden when the VolumeAttributesClass feature gate is disabled",
        ));
    }
}

pub(super) fn pvc_status(e: &mut Errs, new: &Value, _old: &Value) {
    let spec = new.get("spec").unwrap_or(&NULL);
    if spec.get("accessModes").and_then(Value::as_array).is_none_or(Vec::is_empty) {
        e.push(required("Spec.accessModes", ""));
    }
    let status = e.obj(new, "", "status");
    if let Some(cap) = e.opt_obj(status, "status", "capacity").and_then(Value::as_object) {
        for (name, v) in cap {
            let p = key("status.capacity", name);
            if let Some(q) = read_quantity(e, v, &p) {
                if q.value() < 0 {
                    e.push(invalid(&p, &Value::from(q.value()), "must be a valid resource quantity"));
                }
            }
        }
    }
    e.str(status, "status", "phase");
}
