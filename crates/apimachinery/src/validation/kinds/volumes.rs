//! Pod volumes (exactly one source each), volume mounts and devices, and the
//! PersistentVolumeClaim spec shared by claims, claim templates and ephemeral volumes.

use std::collections::HashSet;

use serde_json::Value;

use super::access::{child, index, key, Errs};
use super::containers::{validate_field_ref, validate_resource_field_ref, VOLUME_FIELD_PATHS};
use super::meta::{
    check_dns_label, check_dns_subdomain, check_name, validate_annotations, validate_label_selector, validate_labels,
    STRICT,
};
use super::resources::{read_quantity, validate_quantity_value};
use super::security::{validate_local_descending_path, validate_no_backsteps};
use crate::validation::errors::{duplicate, forbidden, invalid, not_found, not_supported, required};
use crate::validation::names::NameRule;

fn s(v: &str) -> Value {
    Value::String(v.to_string())
}

/// The pod's volumes that validated, by name, with the kind of their source.
#[derive(Debug, Default)]
pub(super) struct Vols {
    pub entries: Vec<(String, String)>,
}

impl Vols {
    fn source(&self, name: &str) -> Option<&str> {
        self.entries.iter().find(|(n, _)| n == name).map(|(_, s)| s.as_str())
    }
}

/// Every volume source a pod volume may name, in upstream's checking order.
const POD_SOURCES: &[&str] = &[
    "emptyDir",
    "hostPath",
    "gitRepo",
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "secret",
    "nfs",
    "iscsi",
    "glusterfs",
    "flocker",
    "persistentVolumeClaim",
    "rbd",
    "cinder",
    "cephfs",
    "quobyte",
    "downwardAPI",
    "fc",
    "flexVolume",
    "configMap",
    "azureFile",
    "vsphereVolume",
    "photonPersistentDisk",
    "portworxVolume",
    "azureDisk",
    "storageos",
    "projected",
    "scaleIO",
    "csi",
    "ephemeral",
    "image",
];

/// Upstream reports duplicates of these sources under slightly different names.
fn duplicate_source_path(kind: &str) -> &str {
    match kind {
        "cephfs" => "cephFS",
        "downwardAPI" => "downwarAPI",
        other => other,
    }
}

const FILE_MODE: &str = "must be a number between 0 and 0777 (octal), both inclusive";

fn check_mode(e: &mut Errs, v: &Value, path: &str, k: &str) {
    if let Some(mode) = e.opt_int(v, path, k) {
        if !(0..=0o777).contains(&mode) {
            e.push(invalid(&child(path, k), &Value::from(mode), FILE_MODE));
        }
    }
}

/// `ValidateLocalNonReservedPath`.
fn validate_local_non_reserved_path(e: &mut Errs, target: &str, path: &str) {
    validate_local_descending_path(e, target, path);
    if target.starts_with("..") && !target.starts_with("../") {
        e.push(invalid(path, &s(target), "must not start with '..'"));
    }
}

fn validate_key_to_path(e: &mut Errs, kp: &Value, path: &str) -> String {
    if e.str(kp, path, "key").is_empty() {
        e.push(required(&child(path, "key"), ""));
    }
    let p = e.str(kp, path, "path");
    if p.is_empty() {
        e.push(required(&child(path, "path"), ""));
    }
    validate_local_non_reserved_path(e, p, &child(path, "path"));
    check_mode(e, kp, path, "mode");
    p.to_string()
}

fn validate_downward_file(e: &mut Errs, file: &Value, item_path: &str, parent_path: &str) -> String {
    let p = e.str(file, item_path, "path");
    if p.is_empty() {
        e.push(required(&child(parent_path, "path"), ""));
    }
    validate_local_non_reserved_path(e, p, &child(parent_path, "path"));
    let field_ref = e.opt_obj(file, item_path, "fieldRef");
    let resource_ref = e.opt_obj(file, item_path, "resourceFieldRef");
    match (field_ref, resource_ref) {
        (Some(fr), rr) => {
            validate_field_ref(e, fr, &child(parent_path, "fieldRef"), VOLUME_FIELD_PATHS);
            if rr.is_some() {
                e.push(invalid(
                    parent_path,
                    &s("resource"),
                    "fieldRef and resourceFieldRef can not be specified simultaneously",
                ));
            }
        }
        (None, Some(rr)) => validate_resource_field_ref(e, rr, &child(parent_path, "resourceFieldRef"), true),
        (None, None) => e.push(required(parent_path, "one of fieldRef and resourceFieldRef is required")),
    }
    check_mode(e, file, parent_path, "mode");
    p.to_string()
}

fn validate_projected(e: &mut Errs, src: &Value, path: &str) {
    check_mode(e, src, path, "defaultMode");
    let mut paths: HashSet<String> = HashSet::new();
    for (sp, source) in e.items(src, path, "sources") {
        let mut count = 0;
        for k in ["secret", "configMap"] {
            let Some(obj) = e.opt_obj(source, &sp, k) else { continue };
            count += 1;
            let pp = child(&sp, k);
            let name = e.str(obj, &pp, "name");
            if name.is_empty() {
                e.push(required(&child(&pp, "name"), ""));
            }
            for (ip, item) in e.items(obj, &pp, "items") {
                let p = validate_key_to_path(e, item, &ip);
                if !p.is_empty() && !paths.insert(p) {
                    e.push(invalid(path, &s(name), "conflicting duplicate paths"));
                }
            }
        }
        if let Some(dapi) = e.opt_obj(source, &sp, "downwardAPI") {
            count += 1;
            let pp = child(&sp, "downwardAPI");
            for (ip, item) in e.items(dapi, &pp, "items") {
                let p = validate_downward_file(e, item, &ip, &pp);
                if !p.is_empty() && !paths.insert(p.clone()) {
                    e.push(invalid(path, &s(&p), "conflicting duplicate paths"));
                }
            }
        }
        if let Some(tok) = e.opt_obj(source, &sp, "serviceAccountToken") {
            count += 1;
            let pp = child(&sp, "serviceAccountToken");
            let exp = e.int(tok, &pp, "expirationSeconds");
            if exp < 600 {
                e.push(invalid(
                    &child(&pp, "expirationSeconds"),
                    &Value::from(exp),
                    "may not specify a duration less than 10 minutes",
                ));
            }
            if exp > 1 << 32 {
                e.push(invalid(
                    &child(&pp, "expirationSeconds"),
                    &Value::from(exp),
                    "may not specify a duration larger than 2^32 seconds",
                ));
            }
            e.str(tok, &pp, "audience");
            let p = e.str(tok, &pp, "path");
            if p.is_empty() {
                e.push(required(&child(path, "path"), ""));
            } else {
                validate_local_non_reserved_path(e, p, &child(path, "path"));
            }
        }
        if let Some(ctb) = e.opt_obj(source, &sp, "clusterTrustBundle") {
            count += 1;
            let pp = child(&sp, "clusterTrustBundle");
            let p = e.str(ctb, &pp, "path");
            if p.is_empty() {
                e.push(required(&child(&pp, "path"), ""));
            }
            validate_local_non_reserved_path(e, p, &child(&pp, "path"));
            if !paths.insert(p.to_string()) {
                e.push(invalid(path, &s(p), "conflicting duplicate paths"));
            }
        }
        if count > 1 {
            e.push(forbidden(&sp, "may not specify more than 1 volume type per source"));
        }
    }
}

/// The CSI driver name rules (`ValidateCSIDriverName`).
pub(super) fn validate_csi_driver_name(e: &mut Errs, name: &str, path: &str) {
    if name.is_empty() {
        e.push(required(path, ""));
    }
    if name.len() > 63 {
        e.push(crate::validation::errors::too_long(path, 63));
    }
    for msg in crate::validation::names::name_problems(NameRule::Dns1123Subdomain, &name.to_lowercase()) {
        e.push(invalid(path, &s(name), &msg));
    }
}

/// The per-source checks for one pod volume source.
fn validate_source(e: &mut Errs, kind: &str, src: &Value, path: &str, vol_name: &str, pod_name: Option<&str>) {
    let req = |e: &mut Errs, src: &Value, k: &str, detail: &str| {
        if e.str(src, path, k).is_empty() {
            e.push(required(&child(path, k), detail));
        }
    };
    match kind {
        "emptyDir" => {
            if let Some(limit) = src.get("sizeLimit").filter(|v| !v.is_null()) {
                if let Some(q) = read_quantity(e, limit, &child(path, "sizeLimit")) {
                    if q.is_negative() {
                        e.push(forbidden(
                            &child(path, "sizeLimit"),
                            "SizeLimit field must be a valid resource quantity",
                        ));
                    }
                }
            }
            // Any medium text is allowed; reading it reports a value that is not a string.
            let _ = e.opt_str(src, path, "medium");
        }
        "hostPath" => validate_host_path(e, src, path, true),
        "gitRepo" => {
            req(e, src, "repository", "");
            let dir = e.str(src, path, "directory");
            validate_local_descending_path(e, dir, &child(path, "directory"));
        }
        "gcePersistentDisk" | "awsElasticBlockStore" => {
            let (id, report) =
                if kind == "gcePersistentDisk" { ("pdName", "persistentDisk") } else { ("volumeID", kind) };
            let rp = super::access::child(&path[..path.len().saturating_sub(kind.len() + 1)], report);
            if e.str(src, path, id).is_empty() {
                e.push(required(&child(&rp, id), ""));
            }
            let partition = e.int(src, path, "partition");
            if !(0..=255).contains(&partition) {
                e.push(invalid(
                    &child(&rp, "partition"),
                    &Value::from(partition),
                    "must be between 1 and 255, inclusive",
                ));
            }
        }
        "secret" => {
            req(e, src, "secretName", "");
            check_mode(e, src, path, "defaultMode");
            for (ip, item) in e.items(src, path, "items") {
                validate_key_to_path(e, item, &ip);
            }
        }
        "configMap" => {
            req(e, src, "name", "");
            check_mode(e, src, path, "defaultMode");
            for (ip, item) in e.items(src, path, "items") {
                validate_key_to_path(e, item, &ip);
            }
        }
        "nfs" => {
            req(e, src, "server", "");
            let p = e.str(src, path, "path");
            if p.is_empty() {
                e.push(required(&child(path, "path"), ""));
            }
            if !p.starts_with('/') {
                e.push(invalid(&child(path, "path"), &s(p), "must be an absolute path"));
            }
        }
        "persistentVolumeClaim" => req(e, src, "claimName", ""),
        "downwardAPI" => {
            check_mode(e, src, path, "defaultMode");
            for (ip, item) in e.items(src, path, "items") {
                validate_downward_file(e, item, &ip, path);
            }
        }
        "projected" => validate_projected(e, src, path),
        "csi" => {
            let driver = e.str(src, path, "driver");
            validate_csi_driver_name(e, driver, &child(path, "driver"));
            if let Some(secret) = e.opt_obj(src, path, "nodePublishSecretRef") {
                let name = e.str(secret, &child(path, "nodePublishSecretRef"), "name");
                if name.is_empty() {
                    e.push(required(&child(&child(path, "nodePublishSecretRef"), "name"), ""));
                } else {
                    check_name(e, NameRule::Dns1123Subdomain, name, &child(path, "name"));
                }
            }
        }
        "ephemeral" => match e.opt_obj(src, path, "volumeClaimTemplate") {
            None => e.push(required(&child(path, "volumeClaimTemplate"), "")),
            Some(t) => {
                let tp = child(path, "volumeClaimTemplate");
                validate_claim_template_meta(e, t, &tp);
                let spec = e.obj(t, &tp, "spec");
                validate_pvc_spec(e, spec, &child(&tp, "spec"));
                if let (Some(pod), false) = (pod_name, vol_name.is_empty()) {
                    let pvc = format!("{pod}-{vol_name}");
                    for msg in crate::validation::names::name_problems(NameRule::Dns1123Subdomain, &pvc) {
                        e.push(invalid(
                            &child(path, "name"),
                            &s(vol_name),
                            &format!("PVC name {}: {msg}", crate::gofmt::go_quote(&pvc)),
                        ));
                    }
                }
            }
        },
        "image" => {
            if e.str(src, path, "reference").is_empty() && pod_name.is_some() {
                e.push(required(&child(path, "reference"), ""));
            }
            let policy = e.str(src, path, "pullPolicy");
            match policy {
                "Always" | "IfNotPresent" | "Never" => {}
                "" => e.push(required(&child(path, "pullPolicy"), "")),
                other => {
                    e.push(not_supported(&child(path, "pullPolicy"), &s(other), &["Always", "IfNotPresent", "Never"]))
                }
            }
        }
        "iscsi" => {
            req(e, src, "targetPortal", "");
            req(e, src, "iqn", "");
            let lun = e.int(src, path, "lun");
            if !(0..=255).contains(&lun) {
                e.push(invalid(&child(path, "lun"), &Value::from(lun), "must be between 0 and 255, inclusive"));
            }
        }
        "glusterfs" => {
            req(e, src, "endpoints", "");
            req(e, src, "path", "");
        }
        "rbd" => {
            if e.str_list(src, path, "monitors").is_empty() {
                e.push(required(&child(path, "monitors"), ""));
            }
            req(e, src, "image", "");
        }
        "cinder" | "portworxVolume" => req(e, src, "volumeID", ""),
        "cephfs" if e.str_list(src, path, "monitors").is_empty() => {
            e.push(required(&child(path, "monitors"), ""));
        }
        "flexVolume" => req(e, src, "driver", ""),
        "azureFile" => {
            req(e, src, "secretName", "");
            req(e, src, "shareName", "");
        }
        "azureDisk" => {
            req(e, src, "diskName", "");
            req(e, src, "diskURI", "");
        }
        "vsphereVolume" => req(e, src, "volumePath", ""),
        "photonPersistentDisk" => req(e, src, "pdID", ""),
        "quobyte" => {
            if e.str(src, path, "registry").is_empty() {
                e.push(required(
                    &child(path, "registry"),
                    "must be a host:port pair or multiple pairs separated by commas",
                ));
            }
            req(e, src, "volume", "");
        }
        "scaleIO" => {
            req(e, src, "gateway", "");
            req(e, src, "system", "");
            req(e, src, "volumeName", "");
        }
        "storageos" => {
            let name = e.str(src, path, "volumeName");
            if name.is_empty() {
                e.push(required(&child(path, "volumeName"), ""));
            } else {
                check_dns_label(e, name, &child(path, "volumeName"));
            }
        }
        "fc" => {
            let wwns = e.str_list(src, path, "targetWWNs");
            let wwids = e.str_list(src, path, "wwids");
            if wwns.is_empty() && wwids.is_empty() {
                e.push(required(&child(path, "targetWWNs"), "must specify either targetWWNs or wwids, but not both"));
            }
        }
        "flocker" if e.str(src, path, "datasetName").is_empty() && e.str(src, path, "datasetUUID").is_empty() => {
            e.push(required(path, "one of datasetName and datasetUUID is required"));
        }
        _ => {}
    }
}

/// `ValidateVolumes`: each volume named, unique, with exactly one valid source.
pub(super) fn validate_volumes(e: &mut Errs, spec: &Value, path: &str, pod_name: Option<&str>) -> Vols {
    let mut vols = Vols::default();
    let mut names: HashSet<String> = HashSet::new();
    let mut created_pvcs: HashSet<String> = HashSet::new();
    if let Some(pod) = pod_name.filter(|p| !p.is_empty()) {
        for v in spec.get("volumes").and_then(Value::as_array).into_iter().flatten() {
            if v.get("ephemeral").is_some_and(|x| !x.is_null()) {
                created_pvcs.insert(format!("{pod}-{}", super::access::get_str(v, "name")));
            }
        }
    }
    for (vp, vol) in e.items(spec, path, "volumes") {
        let mut el = Errs::new();
        let name = el.str(vol, &vp, "name");
        let mut first: Option<&str> = None;
        for kind in POD_SOURCES {
            let Some(src) = el.opt_obj(vol, &vp, kind) else { continue };
            if first.is_some() {
                el.push(forbidden(&child(&vp, duplicate_source_path(kind)), "may not specify more than 1 volume type"));
                continue;
            }
            first = Some(kind);
            validate_source(&mut el, kind, src, &child(&vp, kind), name, pod_name.filter(|p| !p.is_empty()));
        }
        if first.is_none() {
            el.push(required(&vp, "must specify a volume type"));
        }
        let name_path = child(&vp, "name");
        if name.is_empty() {
            el.push(required(&name_path, ""));
        } else {
            check_dns_label(&mut el, name, &name_path);
        }
        if names.contains(name) {
            el.push(duplicate(&name_path, &s(name)));
        }
        if el.is_empty() {
            names.insert(name.to_string());
            vols.entries.push((name.to_string(), first.unwrap_or("").to_string()));
        } else {
            e.extend(el.list);
        }
        if let Some(claim) = vol.get("persistentVolumeClaim").and_then(|c| c.get("claimName")).and_then(Value::as_str) {
            if created_pvcs.contains(claim) {
                e.push(invalid(
                    &child(&child(&vp, "persistentVolumeClaim"), "claimName"),
                    &s(claim),
                    "must not reference a PVC that gets created for an ephemeral volume",
                ));
            }
        }
    }
    vols
}

/// `ValidateVolumeMounts` for one container.
pub(super) fn validate_volume_mounts(e: &mut Errs, c: &Value, path: &str, vols: &Vols) {
    let field = child(path, "volumeMounts");
    let devices: Vec<(String, String)> = c
        .get("volumeDevices")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|d| (super::access::get_str(d, "name").to_string(), super::access::get_str(d, "devicePath").to_string()))
        .collect();
    let mut mount_points: HashSet<String> = HashSet::new();
    let privileged =
        c.get("securityContext").and_then(|sc| sc.get("privileged")).and_then(Value::as_bool).unwrap_or(false);
    for (p, m) in e.items(c, path, "volumeMounts") {
        let name = e.str(m, &p, "name");
        let mount_path = e.str(m, &p, "mountPath");
        let read_only = e.bool(m, &p, "readOnly");
        if name.is_empty() {
            e.push(required(&child(&p, "name"), ""));
        }
        if vols.source(name).is_none() {
            e.push(not_found(&child(&p, "name"), &s(name), ""));
        }
        if mount_path.is_empty() {
            e.push(required(&child(&p, "mountPath"), ""));
        }
        if !mount_points.insert(mount_path.to_string()) {
            e.push(invalid(&child(&p, "mountPath"), &s(mount_path), "must be unique"));
        }
        if devices.iter().any(|(n, _)| n == name) {
            e.push(invalid(&child(&p, "name"), &s(name), "must not already exist in volumeDevices"));
        }
        if devices.iter().any(|(_, dp)| dp == mount_path) {
            e.push(invalid(
                &child(&p, "mountPath"),
                &s(mount_path),
                "must not already exist as a path in volumeDevices",
            ));
        }
        let sub_path = e.str(m, &p, "subPath");
        let sub_path_expr = e.str(m, &p, "subPathExpr");
        if vols.source(name) == Some("image") {
            if !sub_path.is_empty() {
                e.push(invalid(&child(&p, "subPath"), &s(sub_path), "not allowed in image volume sources"));
            }
            if !sub_path_expr.is_empty() {
                e.push(invalid(&child(&p, "subPathExpr"), &s(sub_path_expr), "not allowed in image volume sources"));
            }
        }
        if !sub_path.is_empty() {
            validate_local_descending_path(e, sub_path, &child(&field, "subPath"));
        }
        if !sub_path_expr.is_empty() {
            if !sub_path.is_empty() {
                e.push(invalid(
                    &child(&p, "subPathExpr"),
                    &s(sub_path_expr),
                    "subPathExpr and subPath are mutually exclusive",
                ));
            }
            validate_local_descending_path(e, sub_path_expr, &child(&field, "subPathExpr"));
        }
        let propagation = e.opt_str(m, &p, "mountPropagation");
        if let Some(mp) = propagation {
            let pp = child(&field, "mountPropagation");
            if !matches!(mp, "Bidirectional" | "HostToContainer" | "None") {
                e.push(not_supported(&pp, &s(mp), &["Bidirectional", "HostToContainer", "None"]));
            }
            if mp == "Bidirectional" && !privileged {
                e.push(forbidden(&pp, "Bidirectional mount propagation is available only to privileged containers"));
            }
        }
        if let Some(rro) = e.opt_str(m, &p, "recursiveReadOnly") {
            let rp = child(&field, "recursiveReadOnly");
            match rro {
                "Disabled" => {}
                "Enabled" | "IfPossible" => {
                    if !read_only {
                        e.push(forbidden(&rp, "may only be specified when readOnly is true"));
                    }
                    if propagation.is_some_and(|mp| mp != "None") {
                        e.push(forbidden(&rp, "may only be specified when mountPropagation is None or not specified"));
                    }
                }
                other => e.push(not_supported(&rp, &s(other), &["Disabled", "Enabled", "IfPossible"])),
            }
        }
    }
}

/// `ValidateVolumeDevices` for one container.
pub(super) fn validate_volume_devices(e: &mut Errs, c: &Value, path: &str, vols: &Vols) {
    let field = child(path, "volumeDevices");
    let mounts: Vec<(String, String)> = c
        .get("volumeMounts")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|m| (super::access::get_str(m, "name").to_string(), super::access::get_str(m, "mountPath").to_string()))
        .collect();
    let mut dev_paths: HashSet<String> = HashSet::new();
    let mut dev_names: HashSet<String> = HashSet::new();
    for (p, d) in e.items(c, path, "volumeDevices") {
        let name = e.str(d, &p, "name");
        let dev_path = e.str(d, &p, "devicePath");
        let source = vols.source(name);
        if name.is_empty() {
            e.push(required(&child(&p, "name"), ""));
        }
        if dev_names.contains(name) {
            e.push(invalid(&child(&p, "name"), &s(name), "must be unique"));
        }
        match source {
            Some("persistentVolumeClaim" | "ephemeral") => {}
            Some(_) => e.push(invalid(
                &child(&p, "name"),
                &s(name),
                "can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode",
            )),
            None => e.push(not_found(&child(&p, "name"), &s(name), "")),
        }
        if dev_path.is_empty() {
            e.push(required(&child(&p, "devicePath"), ""));
        }
        if dev_paths.contains(dev_path) {
            e.push(invalid(&child(&p, "devicePath"), &s(dev_path), "must be unique"));
        }
        if !dev_path.is_empty() && dev_path.split('/').any(|x| x == "..") {
            e.push(invalid(&child(&p, "devicePath"), &s(dev_path), "can not contain backsteps ('..')"));
        } else {
            dev_paths.insert(dev_path.to_string());
        }
        if mounts.iter().any(|(n, _)| n == name) {
            e.push(invalid(&child(&p, "name"), &s(name), "must not already exist in volumeMounts"));
        }
        if mounts.iter().any(|(_, mp)| mp == dev_path) {
            e.push(invalid(&child(&p, "devicePath"), &s(dev_path), "must not already exist as a path in volumeMounts"));
        }
        if !name.is_empty() {
            dev_names.insert(name.to_string());
        }
    }
    let _ = field;
}

/// `ValidateTemplateObjectMeta` for a claim template: only labels and annotations.
fn validate_claim_template_meta(e: &mut Errs, t: &Value, path: &str) {
    let mp = child(path, "metadata");
    let Some(meta) = e.opt_obj(t, path, "metadata") else { return };
    validate_annotations(e, meta, &mp, "annotations");
    validate_labels(e, meta, &mp, "labels");
    if let Some(map) = meta.as_object() {
        for (k, v) in map {
            if k != "labels" && k != "annotations" && !super::access::is_empty_value(v) {
                e.push(forbidden(&child(&mp, k), "cannot be set"));
            }
        }
    }
}

pub(super) const ACCESS_MODES: &[&str] = &["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"];

/// Access modes: known values, and ReadWriteOncePod alone.
pub(super) fn validate_access_modes(e: &mut Errs, spec: &Value, path: &str, required_detail: &str) {
    let modes = e.str_list(spec, path, "accessModes");
    let field = child(path, "accessModes");
    if modes.is_empty() {
        e.push(required(&field, required_detail));
    }
    let (mut rwop, mut other) = (false, false);
    for m in &modes {
        if !ACCESS_MODES.contains(m) {
            e.push(not_supported(&field, &s(m), ACCESS_MODES));
        }
        if *m == "ReadWriteOncePod" {
            rwop = true;
        } else if ACCESS_MODES.contains(m) {
            other = true;
        }
    }
    if rwop && other {
        e.push(forbidden(&field, "may not use ReadWriteOncePod with other access modes"));
    }
}

fn validate_data_source(e: &mut Errs, ds: &Value, path: &str, with_namespace: bool) {
    if e.str(ds, path, "name").is_empty() {
        e.push(required(&child(path, "name"), ""));
    }
    let kind = e.str(ds, path, "kind");
    if kind.is_empty() {
        e.push(required(&child(path, "kind"), ""));
    }
    let group = e.opt_str(ds, path, "apiGroup").unwrap_or("");
    if group.is_empty() && kind != "PersistentVolumeClaim" {
        e.push(invalid(path, &s(kind), "must be 'PersistentVolumeClaim' when referencing the default apiGroup"));
    }
    if !group.is_empty() {
        check_dns_subdomain(e, group, &child(path, "apiGroup"));
    }
    if with_namespace {
        if let Some(ns) = e.opt_str(ds, path, "namespace").filter(|n| !n.is_empty()) {
            check_name(e, NameRule::Dns1123Label, ns, &child(path, "namespace"));
        }
    }
}

/// `ValidatePersistentVolumeClaimSpec`.
pub(super) fn validate_pvc_spec(e: &mut Errs, spec: &Value, path: &str) {
    validate_access_modes(e, spec, path, "at least 1 access mode is required");
    validate_label_selector(e, spec, path, "selector", STRICT);
    let rp = child(path, "resources");
    let res = e.obj(spec, path, "resources");
    let requests = e.opt_obj(res, &rp, "requests");
    let storage_path = key(&rp, "storage");
    match requests.and_then(|r| r.get("storage")).filter(|v| !v.is_null()) {
        None => e.push(required(&storage_path, "")),
        Some(v) => {
            if let Some(q) = read_quantity(e, v, &key(&child(&rp, "requests"), "storage")) {
                if q.sign() <= 0 {
                    e.push(invalid(&storage_path, &s(&q.to_string()), "must be greater than zero"));
                } else {
                    validate_quantity_value(e, "storage", &q, &storage_path);
                }
            }
        }
    }
    if let Some(limits) = e.opt_obj(res, &rp, "limits").and_then(Value::as_object) {
        for (name, v) in limits {
            read_quantity(e, v, &key(&child(&rp, "limits"), name));
        }
    }
    if let Some(class) = e.opt_str(spec, path, "storageClassName").filter(|c| !c.is_empty()) {
        check_dns_subdomain(e, class, &child(path, "storageClassName"));
    }
    if let Some(mode) = e.opt_str(spec, path, "volumeMode") {
        if mode != "Block" && mode != "Filesystem" {
            e.push(not_supported(&child(path, "volumeMode"), &s(mode), &["Block", "Filesystem"]));
        }
    }
    let ds = e.opt_obj(spec, path, "dataSource");
    let dsr = e.opt_obj(spec, path, "dataSourceRef");
    if let Some(ds) = ds {
        validate_data_source(e, ds, &child(path, "dataSource"), false);
    }
    if let Some(dsr) = dsr {
        validate_data_source(e, dsr, &child(path, "dataSourceRef"), true);
    }
    let ref_namespace = dsr.map(|r| super::access::get_str(r, "namespace")).unwrap_or("");
    if !ref_namespace.is_empty() {
        if ds.is_some() {
            e.push(invalid(
                path,
                &s(&child(path, "dataSource")),
                "may not be specified when dataSourceRef.namespace is specified",
            ));
        }
    } else if let (Some(ds), Some(dsr)) = (ds, dsr) {
        let same = ["apiGroup", "kind", "name"].iter().all(|k| super::access::field_eq(ds, dsr, k));
        if !same {
            e.push(invalid(path, &s(&child(path, "dataSource")), "must match dataSourceRef"));
        }
    }
    e.str(spec, path, "volumeName");
    let _ = index;
}

/// The `type` values of a hostPath volume.
const HOST_PATH_TYPES: &[&str] =
    &["", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"];

/// A host path (a pod's `hostPath` volume, a PV's `hostPath` or `local`): required, without
/// `..`; `check_type` also holds `type` to the hostPath types.
pub(super) fn validate_host_path(e: &mut Errs, src: &Value, path: &str, check_type: bool) {
    let p = e.str(src, path, "path");
    if p.is_empty() {
        e.push(required(&child(path, "path"), ""));
        return;
    }
    validate_no_backsteps(e, p, &child(path, "path"));
    if let Some(t) = e.opt_str(src, path, "type") {
        if check_type && !HOST_PATH_TYPES.contains(&t) {
            e.push(not_supported(&child(path, "type"), &s(t), HOST_PATH_TYPES));
        }
    }
}
