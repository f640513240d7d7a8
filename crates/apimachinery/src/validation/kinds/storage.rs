//! StorageClass, CSIDriver, CSINode and VolumeAttachment (`pkg/apis/storage/validation`).

use std::collections::HashSet;

use serde_json::Value;

use super::access::{child, field_eq, get_str, index, render_json, Errs, NULL};
use super::meta::{check_name, check_qualified_name};
use super::volumes::validate_csi_driver_name;
use super::workloads::nonnegative;
use crate::validation::errors::{duplicate, forbidden, invalid, invalid_rendered, not_supported, required, too_long};
use crate::validation::names::NameRule;

fn s(v: &str) -> Value {
    Value::String(v.to_string())
}

pub(super) fn storage_class_create(e: &mut Errs, sc: &Value) {
    let provisioner = e.str(sc, "", "provisioner");
    if provisioner.is_empty() {
        e.push(required("provisioner", ""));
    } else {
        check_qualified_name(e, &provisioner.to_lowercase(), "provisioner");
    }
    let params = e.str_map(sc, "", "parameters").unwrap_or_default();
    if params.len() > 512 {
        e.push(too_long("parameters", 512));
    } else {
        let mut total = 0;
        for (k, v) in &params {
            if k.is_empty() {
                e.push(invalid("parameters", &s(k), "field can not be empty."));
            }
            total += k.len() + v.len();
        }
        if total > 256 * 1024 {
            e.push(too_long("parameters", 256 * 1024));
        }
    }
    if let Some(policy) = e.opt_str(sc, "", "reclaimPolicy").filter(|p| !p.is_empty()) {
        if policy != "Delete" && policy != "Retain" {
            e.push(not_supported("reclaimPolicy", &s(policy), &["Delete", "Retain"]));
        }
    }
    match e.opt_str(sc, "", "volumeBindingMode") {
        None => e.push(required("volumeBindingMode", "")),
        Some(m) if m != "Immediate" && m != "WaitForFirstConsumer" => {
            e.push(not_supported("volumeBindingMode", &s(m), &["Immediate", "WaitForFirstConsumer"]));
        }
        Some(_) => {}
    }
    e.str_list(sc, "", "mountOptions");
    e.opt_bool(sc, "", "allowVolumeExpansion");
    for (tp, term) in e.items(sc, "", "allowedTopologies") {
        let mut keys = HashSet::new();
        for (ep, expr) in e.items(term, &tp, "matchLabelExpressions") {
            let k = e.str(expr, &ep, "key");
            check_qualified_name(e, k, &child(&ep, "key"));
            if !keys.insert(k.to_string()) {
                e.push(duplicate(&child(&ep, "key"), &s(k)));
            }
            let values = e.str_list(expr, &ep, "values");
            if values.is_empty() {
                e.push(required(&child(&ep, "values"), ""));
            }
            let mut seen = HashSet::new();
            for (i, v) in values.iter().enumerate() {
                if !seen.insert(*v) {
                    e.push(duplicate(&index(&child(&ep, "values"), i), &s(v)));
                }
            }
        }
    }
}

pub(super) fn storage_class_update(e: &mut Errs, new: &Value, old: &Value) {
    storage_class_create(e, new);
    if !field_eq(new, old, "parameters") {
        e.push(forbidden("parameters", "updates to parameters are forbidden."));
    }
    if get_str(new, "provisioner") != get_str(old, "provisioner") {
        e.push(forbidden("provisioner", "updates to provisioner are forbidden."));
    }
    if get_str(new, "reclaimPolicy") != get_str(old, "reclaimPolicy") {
        e.push(forbidden("reclaimPolicy", "updates to reclaimPolicy are forbidden."));
    }
    if !field_eq(new, old, "volumeBindingMode") {
        e.push(invalid("volumeBindingMode", new.get("volumeBindingMode").unwrap_or(&NULL), "field is immutable"));
    }
}

fn validate_token_requests(e: &mut Errs, spec: &Value) {
    let mut audiences = HashSet::new();
    for (p, tr) in e.items(spec, "spec", "tokenRequests") {
        let audience = e.str(tr, &p, "audience");
        if !audiences.insert(audience.to_string()) {
            e.push(duplicate(&child(&p, "audience"), &s(audience)));
        }
        if let Some(exp) = e.opt_int(tr, &p, "expirationSeconds") {
            if exp < 600 {
                e.push(invalid(
                    &child(&p, "expirationSeconds"),
                    &Value::from(exp),
                    "may not specify a duration less than 10 minutes",
                ));
            }
            if exp > 1 << 32 {
                e.push(invalid(
                    &child(&p, "expirationSeconds"),
                    &Value::from(exp),
                    "may not specify a duration larger than 2^32 seconds",
                ));
            }
        }
    }
}

pub(super) fn csi_driver_create(e: &mut Errs, d: &Value) {
    let name = get_str(d.get("metadata").unwrap_or(&NULL), "name");
    validate_csi_driver_name(e, name, "name");
    let spec = e.obj(d, "", "spec");
    for (k, path) in [
        ("attachRequired", "spec.attachedRequired"),
        ("podInfoOnMount", "spec.podInfoOnMount"),
        ("storageCapacity", "spec.storageCapacity"),
    ] {
        if e.opt_bool(spec, "spec", k).is_none() {
            e.push(required(path, ""));
        }
    }
    match e.opt_str(spec, "spec", "fsGroupPolicy") {
        None => e.push(required("spec.fsGroupPolicy", "")),
        Some(p) if !matches!(p, "File" | "None" | "ReadWriteOnceWithFSType") => {
            e.push(not_supported("spec.fsGroupPolicy", &s(p), &["File", "None", "ReadWriteOnceWithFSType"]));
        }
        Some(_) => {}
    }
    validate_token_requests(e, spec);
    if e.opt_bool(spec, "spec", "requiresRepublish").is_none() {
        e.push(required("spec.requiresRepublish", ""));
    }
    for (i, mode) in e.str_list(spec, "spec", "volumeLifecycleModes").iter().enumerate() {
        if *mode != "Persistent" && *mode != "Ephemeral" {
            e.push(not_supported(&index("spec.volumeLifecycleModes", i), &s(mode), &["Ephemeral", "Persistent"]));
        }
    }
    e.opt_bool(spec, "spec", "seLinuxMount");
}

pub(super) fn csi_driver_update(e: &mut Errs, new: &Value, old: &Value) {
    csi_driver_create(e, new);
    let (spec, old_spec) = (new.get("spec").unwrap_or(&NULL), old.get("spec").unwrap_or(&NULL));
    if !field_eq(spec, old_spec, "attachRequired") {
        e.push(invalid("spec.attachedRequired", spec.get("attachRequired").unwrap_or(&NULL), "field is immutable"));
    }
    if !field_eq(spec, old_spec, "volumeLifecycleModes") {
        e.push(invalid_rendered(
            "spec.volumeLifecycleModes",
            &render_json(spec.get("volumeLifecycleModes").unwrap_or(&NULL)),
            "field is immutable",
        ));
    }
}

fn validate_csi_node_spec(e: &mut Errs, node: &Value) {
    let spec = e.obj(node, "", "spec");
    let mut names = HashSet::new();
    for (p, driver) in e.items(spec, "spec", "drivers") {
        let name = e.str(driver, &p, "name");
        validate_csi_driver_name(e, name, &child(&p, "name"));
        if !names.insert(name.to_string()) {
            e.push(duplicate(&child(&p, "name"), &s(name)));
        }
        let node_id = e.str(driver, &p, "nodeID");
        if node_id.is_empty() {
            e.push(required(&child(&p, "nodeID"), node_id));
        } else if node_id.len() > 192 {
            e.push(invalid(&child(&p, "nodeID"), &s(node_id), "must be 192 characters or less"));
        }
        for (i, k) in e.str_list(driver, &p, "topologyKeys").iter().enumerate() {
            let kp = index(&child(&p, "topologyKeys"), i);
            if k.is_empty() {
                e.push(required(&kp, k));
            } else {
                check_qualified_name(e, k, &kp);
            }
        }
        if let Some(alloc) = e.opt_obj(driver, &p, "allocatable") {
            nonnegative(e, alloc, &child(&p, "allocatable"), "count");
        }
    }
}

pub(super) fn csi_node_create(e: &mut Errs, node: &Value) {
    validate_csi_node_spec(e, node);
}

pub(super) fn csi_node_update(e: &mut Errs, new: &Value, old: &Value) {
    validate_csi_node_spec(e, new);
    let olds: Vec<&Value> =
        old.get("spec").and_then(|s| s.get("drivers")).and_then(Value::as_array).into_iter().flatten().collect();
    for (i, d) in
        new.get("spec").and_then(|s| s.get("drivers")).and_then(Value::as_array).into_iter().flatten().enumerate()
    {
        let Some(o) = olds.iter().find(|o| get_str(o, "name") == get_str(d, "name")) else { continue };
        for k in ["nodeID", "topologyKeys"] {
            if !field_eq(d, o, k) {
                e.push(invalid_rendered(
                    &format!("spec.drivers[{i}].{k}"),
                    &render_json(d.get(k).unwrap_or(&NULL)),
                    "field is immutable",
                ));
            }
        }
    }
}

pub(super) fn volume_attachment_create(e: &mut Errs, va: &Value) {
    let spec = e.obj(va, "", "spec");
    let attacher = e.str(spec, "spec", "attacher");
    if attacher.is_empty() {
        e.push(required("spec.attacher", ""));
    } else {
        validate_csi_driver_name(e, attacher, "spec.attacher");
    }
    let source = e.obj(spec, "spec", "source");
    let pv_name = e.opt_str(source, "spec.source", "persistentVolumeName");
    let inline = e.opt_obj(source, "spec.source", "inlineVolumeSpec");
    match (pv_name, inline) {
        (None, None) => {
            e.push(required("spec.source", "must specify exactly one of inlineVolumeSpec and persistentVolumeName"))
        }
        (Some(_), Some(_)) => {
            e.push(forbidden("spec.source", "must specify exactly one of inlineVolumeSpec and persistentVolumeName"))
        }
        (Some(""), None) => {
            e.push(required("spec.source.persistentVolumeName", "must specify non empty persistentVolumeName"))
        }
        (None, Some(spec)) if spec.get("csi").is_none_or(Value::is_null) => {
            e.push(required(
                "spec.source.inlineVolumeSpec.csi",
                "has to be specified in the context of inline volumes",
            ));
        }
        _ => {}
    }
    let node = e.str(spec, "spec", "nodeName");
    if node.is_empty() {
        e.push(required("spec.nodeName", ""));
    } else {
        check_name(e, NameRule::Dns1123Subdomain, node, "spec.nodeName");
    }
}

pub(super) fn volume_attachment_update(e: &mut Errs, new: &Value, old: &Value) {
    volume_attachment_create(e, new);
    if !field_eq(new, old, "spec") {
        e.push(invalid_rendered("spec", &render_json(new.get("spec").unwrap_or(&NULL)), "field is immutable"));
    }
}
