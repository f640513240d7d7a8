//! PodSpec (shared by every kind with a pod template), pod templates, and the Pod kind:
//! create, the narrow set of spec changes an update may make, and status updates.

use serde_json::Value;

use super::access::{child, diff, field_eq, get_int, get_str, index, present, semantic_eq, Errs, NULL};
use super::containers::{
    validate_containers, validate_ephemeral_containers, validate_images_only_for_pod, validate_init_containers, PodCtx,
};
use super::meta::{annotation_path, check_dns_label, check_name, check_qualified_name, validate_template_meta};
use super::net::{check_ip, is_dual_stack};
use super::scheduling::{
    validate_affinity, validate_dns_config, validate_gates, validate_host_aliases, validate_tolerations,
    validate_topology_spread,
};
use super::security::{validate_os, validate_pod_security_context};
use super::volumes::validate_volumes;
use crate::gofmt::go_quote;
use crate::validation::errors::{
    duplicate, duplicate_rendered, forbidden, immutable, invalid, invalid_rendered, not_supported, required,
};
use crate::validation::names::NameRule;

fn s(v: &str) -> Value {
    Value::String(v.to_string())
}

/// Whether the spec belongs to a Pod (not a template inside another kind).
#[derive(Debug, Clone, Copy)]
pub(super) struct PodOpts {
    pub is_pod: bool,
}

/// `ValidatePodSpec`.
pub(super) fn validate_pod_spec(e: &mut Errs, spec: &Value, path: &str, pod_name: Option<&str>, opts: PodOpts) {
    let grace = e.opt_int(spec, path, "terminationGracePeriodSeconds");
    if grace.is_none() {
        e.push(required(&child(path, "terminationGracePeriodSeconds"), ""));
    }
    let host_users = e.opt_bool(spec, path, "hostUsers").unwrap_or(true);
    let vols = validate_volumes(e, spec, path, pod_name);
    let mut claim_names: Vec<String> = Vec::new();
    for (p, claim) in e.items(spec, path, "resourceClaims") {
        let name = e.str(claim, &p, "name");
        if name.is_empty() {
            e.push(required(&child(&p, "name"), ""));
        } else if claim_names.iter().any(|c| c == name) {
            e.push(duplicate(&child(&p, "name"), &s(name)));
        } else {
            check_dns_label(e, name, &child(&p, "name"));
            claim_names.push(name.to_string());
        }
        let claim_name = e.opt_str(claim, &p, "resourceClaimName");
        let template_name = e.opt_str(claim, &p, "resourceClaimTemplateName");
        if claim_name.is_some() && template_name.is_some() {
            e.push(invalid_rendered(
                &p,
                &claim.to_string(),
                "at most one of `resourceClaimName` or `resourceClaimTemplateName` may be specified",
            ));
        }
        if claim_name.is_none() && template_name.is_none() {
            e.push(invalid_rendered(
                &p,
                &claim.to_string(),
                "must specify one of: `resourceClaimName`, `resourceClaimTemplateName`",
            ));
        }
        for (k, v) in [("resourceClaimName", claim_name), ("resourceClaimTemplateName", template_name)] {
            if let Some(v) = v {
                check_name(e, NameRule::Dns1123Subdomain, v, &child(&p, k));
            }
        }
    }
    let restart_policy = e.str(spec, path, "restartPolicy");
    let ctx = PodCtx { vols: &vols, claim_names: &claim_names, grace_period: grace, restart_policy, host_users };
    validate_containers(e, spec, path, &ctx);
    validate_init_containers(e, spec, &child(path, "initContainers"), &ctx);
    validate_ephemeral_containers(e, spec, &child(path, "ephemeralContainers"), &ctx);
    if e.bool(spec, path, "hostNetwork") {
        for (i, c) in spec.get("containers").and_then(Value::as_array).into_iter().flatten().enumerate() {
            for (j, port) in c.get("ports").and_then(Value::as_array).into_iter().flatten().enumerate() {
                let hp = get_int(port, "hostPort").unwrap_or(0);
                let cp = get_int(port, "containerPort").unwrap_or(0);
                if (opts.is_pod || hp != 0) && hp != cp {
                    let p = child(&index(&child(&index(&child(path, "containers"), i), "ports"), j), "hostPort");
                    e.push(invalid(&p, &Value::from(hp), "must match `containerPort` when `hostNetwork` is true"));
                }
            }
        }
    }
    match restart_policy {
        "Always" | "OnFailure" | "Never" => {}
        "" => e.push(required(&child(path, "restartPolicy"), "")),
        other => e.push(not_supported(&child(path, "restartPolicy"), &s(other), &["Always", "OnFailure", "Never"])),
    }
    let dns_policy = e.str(spec, path, "dnsPolicy");
    match dns_policy {
        "ClusterFirstWithHostNet" | "ClusterFirst" | "Default" | "None" => {}
        "" => e.push(required(&child(path, "dnsPolicy"), "")),
        other => e.push(not_supported(
            &child(path, "dnsPolicy"),
            &s(other),
            &["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"],
        )),
    }
    super::meta::validate_labels(e, spec, path, "nodeSelector");
    validate_pod_security_context(e, spec, path);
    for (p, secret) in e.items(spec, path, "imagePullSecrets") {
        e.str(secret, &p, "name");
        if secret.as_object().is_some_and(|m| m.keys().any(|k| k != "name")) {
            e.push(invalid_rendered(&p, &secret.to_string(), "only name may be set"));
        }
    }
    validate_affinity(e, spec, path);
    validate_dns_config(e, spec, path, dns_policy);
    validate_gates(e, spec, path);
    validate_topology_spread(e, spec, path);
    if let Some(sa) = e.opt_str(spec, path, "serviceAccountName").filter(|v| !v.is_empty()) {
        check_name(e, NameRule::Dns1123Subdomain, sa, &child(path, "serviceAccountName"));
    }
    if let Some(node) = e.opt_str(spec, path, "nodeName").filter(|v| !v.is_empty()) {
        check_name(e, NameRule::Dns1123Subdomain, node, &child(path, "nodeName"));
    }
    if let Some(ads) = e.opt_int(spec, path, "activeDeadlineSeconds") {
        if !(1..=i64::from(i32::MAX)).contains(&ads) {
            e.push(invalid(
                &child(path, "activeDeadlineSeconds"),
                &Value::from(ads),
                "must be between 1 and 2147483647, inclusive",
            ));
        }
    }
    for k in ["hostname", "subdomain"] {
        if let Some(v) = e.opt_str(spec, path, k).filter(|v| !v.is_empty()) {
            check_dns_label(e, v, &child(path, k));
        }
    }
    validate_tolerations(e, spec, path, "tolerations");
    validate_host_aliases(e, spec, path);
    if let Some(pc) = e.opt_str(spec, path, "priorityClassName").filter(|v| !v.is_empty()) {
        check_name(e, NameRule::Dns1123Subdomain, pc, &child(path, "priorityClassName"));
    }
    if let Some(rc) = e.opt_str(spec, path, "runtimeClassName") {
        check_name(e, NameRule::Dns1123Subdomain, rc, &child(path, "runtimeClassName"));
    }
    if let Some(pp) = e.opt_str(spec, path, "preemptionPolicy") {
        match pp {
            "PreemptLowerPriority" | "Never" => {}
            "" => e.push(required(&child(path, "preemptionPolicy"), "")),
            other => {
                e.push(not_supported(&child(path, "preemptionPolicy"), &s(other), &["PreemptLowerPriority", "Never"]))
            }
        }
    }
    if let Some(overhead) = e.opt_obj(spec, path, "overhead").and_then(Value::as_object) {
        let op = child(path, "overhead");
        for (name, v) in overhead {
            let p = super::access::key(&child(&op, "limits"), name);
            super::resources::validate_container_resource_name(e, name, &p);
            if let Some(q) = super::resources::read_quantity(e, v, &p) {
                super::resources::validate_quantity_value(e, name, &q, &p);
            }
        }
    }
    validate_os(e, spec, path);
    e.opt_int(spec, path, "priority");
    for k in ["schedulerName", "serviceAccount"] {
        e.opt_str(spec, path, k);
    }
    for k in [
        "enableServiceLinks",
        "automountServiceAccountToken",
        "setHostnameAsFQDN",
        "shareProcessNamespace",
        "hostPID",
        "hostIPC",
    ] {
        e.opt_bool(spec, path, k);
    }
}

/// `ValidatePodSpecificAnnotations`: the mirror-pod and deletion-cost annotations.
fn validate_pod_annotations(e: &mut Errs, meta: &Value, spec: &Value, path: &str) {
    let Some(annotations) = meta.get("annotations").and_then(Value::as_object) else { return };
    if let Some(v) = annotations.get("kubernetes.io/config.mirror") {
        if get_str(spec, "nodeName").is_empty() {
            e.push(invalid(
                &super::access::key(path, "kubernetes.io/config.mirror"),
                v,
                "must set spec.nodeName if mirror pod annotation is set",
            ));
        }
    }
    if let Some(v) = annotations.get("controller.kubernetes.io/pod-deletion-cost") {
        let ok = v.as_str().is_some_and(|c| c.parse::<i32>().is_ok() && !c.starts_with('+'));
        if !ok {
            e.push(invalid(
                &super::access::key(path, "controller.kubernetes.io/pod-deletion-cost"),
                v,
                "must be a 32bit integer",
            ));
        }
    }
}

/// `ValidatePodTemplateSpec` for the template at `path` (the selector check is the caller's).
pub(super) fn validate_pod_template_spec(e: &mut Errs, template: &Value, path: &str) {
    validate_template_meta(e, template, path);
    let meta = template.get("metadata").unwrap_or(&NULL);
    let spec = e.obj(template, path, "spec");
    validate_pod_annotations(e, meta, spec, &child(&child(path, "metadata"), "annotations"));
    validate_pod_spec(e, spec, &child(path, "spec"), None, PodOpts { is_pod: false });
    if spec.get("ephemeralContainers").and_then(Value::as_array).is_some_and(|a| !a.is_empty()) {
        e.push(forbidden(
            &child(&child(path, "spec"), "ephemeralContainers"),
            "ephemeral containers not allowed in pod template",
        ));
    }
}

fn validate_pod_metadata_and_spec(e: &mut Errs, pod: &Value) {
    let meta = pod.get("metadata").unwrap_or(&NULL);
    let spec = e.obj(pod, "", "spec");
    validate_pod_annotations(e, meta, spec, "metadata.annotations");
    validate_pod_spec(e, spec, "spec", Some(get_str(meta, "name")), PodOpts { is_pod: true });
    if get_str(spec, "serviceAccountName").is_empty() {
        for (vi, vol) in spec.get("volumes").and_then(Value::as_array).into_iter().flatten().enumerate() {
            let sources = vol.get("projected").and_then(|p| p.get("sources")).and_then(Value::as_array);
            for (si, src) in sources.into_iter().flatten().enumerate() {
                if present(src, "serviceAccountToken").is_some() {
                    let p = format!("spec.volumes[{vi}].projected.sources[{si}].serviceAccountToken");
                    e.push(forbidden(&p, "must not be specified when serviceAccountName is not set"));
                }
            }
        }
    }
    validate_images_only_for_pod(e, spec, "spec", "containers");
    validate_images_only_for_pod(e, spec, "spec", "initContainers");
}

/// `ValidatePodCreate` (the metadata is checked by the caller).
pub(super) fn validate_pod_create(e: &mut Errs, pod: &Value) {
    validate_pod_metadata_and_spec(e, pod);
    let spec = pod.get("spec").unwrap_or(&NULL);
    if spec.get("ephemeralContainers").and_then(Value::as_array).is_some_and(|a| !a.is_empty()) {
        e.push(forbidden("spec.ephemeralContainers", "cannot be set on create"));
    }
    if !get_str(spec, "nodeName").is_empty()
        && spec.get("schedulingGates").and_then(Value::as_array).is_some_and(|a| !a.is_empty())
    {
        e.push(forbidden("spec.nodeName", "cannot be set until all schedulingGates have been cleared"));
    }
}

const UPDATABLE: &str = "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

fn container_image_updates(e: &mut Errs, new: &Value, old: &Value, k: &str) -> bool {
    let n = new.get(k).and_then(Value::as_array).map_or(0, Vec::len);
    let o = old.get(k).and_then(Value::as_array).map_or(0, Vec::len);
    if n != o {
        e.push(forbidden(&format!("spec.{k}"), "pod updates may not add or remove containers"));
        return false;
    }
    for (i, c) in new.get(k).and_then(Value::as_array).into_iter().flatten().enumerate() {
        let image = get_str(c, "image");
        let p = format!("spec.{k}[{i}].image");
        if image.is_empty() {
            e.push(required(&p, ""));
        }
        if image.trim().len() != image.len() {
            e.push(invalid(&p, &s(image), "must not have leading or trailing whitespace"));
        }
    }
    true
}

/// `ValidatePodUpdate` (metadata immutables are checked by the caller).
pub(super) fn validate_pod_update(e: &mut Errs, new: &Value, old: &Value) {
    validate_pod_metadata_and_spec(e, new);
    let meta = new.get("metadata").unwrap_or(&NULL);
    let old_meta = old.get("metadata").unwrap_or(&NULL);
    let mirror = "kubernetes.io/config.mirror";
    let n = meta.get("annotations").and_then(|a| a.get(mirror));
    let o = old_meta.get("annotations").and_then(|a| a.get(mirror));
    if n != o {
        let detail = if o.is_some() {
            "may not remove or update mirror pod annotation"
        } else {
            "may not add mirror pod annotation"
        };
        e.push(forbidden(&annotation_path(mirror), detail));
    }
    let spec = new.get("spec").unwrap_or(&NULL);
    let old_spec = old.get("spec").unwrap_or(&NULL);
    if !container_image_updates(e, spec, old_spec, "containers")
        || !container_image_updates(e, spec, old_spec, "initContainers")
    {
        return;
    }
    let new_ads = get_int(spec, "activeDeadlineSeconds");
    let old_ads = get_int(old_spec, "activeDeadlineSeconds");
    match (new_ads, old_ads) {
        (Some(n), _) if !(0..=i64::from(i32::MAX)).contains(&n) => {
            e.push(invalid(
                "spec.activeDeadlineSeconds",
                &Value::from(n),
                "must be between 0 and 2147483647, inclusive",
            ));
            return;
        }
        (Some(n), Some(o)) if o < n => {
            e.push(invalid(
                "spec.activeDeadlineSeconds",
                &Value::from(n),
                "must be less than or equal to previous value",
            ));
            return;
        }
        (None, Some(_)) => e.push(invalid(
            "spec.activeDeadlineSeconds",
            &Value::Null,
            "must not update from a positive integer to nil value",
        )),
        _ => {}
    }
    // Existing tolerations may only gain a tolerationSeconds change; new ones may be added.
    let new_tols: Vec<&Value> = spec.get("tolerations").and_then(Value::as_array).into_iter().flatten().collect();
    for old_t in old_spec.get("tolerations").and_then(Value::as_array).into_iter().flatten() {
        let found =
            new_tols.iter().any(|n| ["key", "operator", "value", "effect"].iter().all(|k| field_eq(old_t, n, k)));
        if !found {
            e.push(forbidden(
                "spec.tolerations",
                "existing toleration can not be modified except its tolerationSeconds",
            ));
            break;
        }
    }
    let old_gates: Vec<&str> = old_spec
        .get("schedulingGates")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|g| get_str(g, "name"))
        .collect();
    for (i, gate) in spec.get("schedulingGates").and_then(Value::as_array).into_iter().flatten().enumerate() {
        let name = get_str(gate, "name");
        if !old_gates.contains(&name) {
            e.push(forbidden(
                &format!("spec.schedulingGates[{i}].name"),
                &format!("only deletion is allowed, but found new scheduling gate '{name}'"),
            ));
        }
    }
    if semantic_eq(spec, old_spec) {
        return;
    }
    // Put back what may change, then anything left over is a forbidden change.
    let mut munged = spec.clone();
    if let Value::Object(m) = &mut munged {
        for k in ["containers", "initContainers"] {
            if let (Some(Value::Array(cs)), Some(olds)) = (m.get_mut(k), old_spec.get(k).and_then(Value::as_array)) {
                for (c, o) in cs.iter_mut().zip(olds) {
                    if let Value::Object(cm) = c {
                        cm.insert("image".into(), o.get("image").cloned().unwrap_or(Value::Null));
                    }
                }
            }
        }
        for k in ["activeDeadlineSeconds", "schedulingGates", "tolerations"] {
            m.insert(k.into(), old_spec.get(k).cloned().unwrap_or(Value::Null));
        }
        let old_tgps = get_int(old_spec, "terminationGracePeriodSeconds");
        if old_tgps.is_some_and(|t| t < 0) && get_int(spec, "terminationGracePeriodSeconds") == Some(1) {
            m.insert("terminationGracePeriodSeconds".into(), Value::from(old_tgps.unwrap_or(0)));
        }
        let gated = old_spec.get("schedulingGates").and_then(Value::as_array).is_some_and(|a| !a.is_empty());
        if gated {
            munge_gated_scheduling(e, m, old_spec);
        }
    }
    if !semantic_eq(&munged, old_spec) {
        let d = diff("spec", old_spec, &munged);
        e.push(forbidden("spec", &format!("pod updates may not change fields other than {UPDATABLE}\n{d}")));
    }
}

/// Gated pods may add to `nodeSelector` and narrow their required node affinity.
fn munge_gated_scheduling(e: &mut Errs, m: &mut serde_json::Map<String, Value>, old_spec: &Value) {
    let old_sel = old_spec.get("nodeSelector").and_then(Value::as_object);
    let new_sel = m.get("nodeSelector").and_then(Value::as_object);
    if let Some(old_sel) = old_sel {
        let kept = old_sel.iter().all(|(k, v)| new_sel.and_then(|n| n.get(k)) == Some(v));
        if !kept {
            let rendered = super::access::go_string_map(new_sel);
            e.push(invalid_rendered(
                "spec.nodeSelector",
                &rendered,
                "only additions to spec.nodeSelector are allowed (no mutations or deletions)",
            ));
        }
    }
    m.insert("nodeSelector".into(), old_spec.get("nodeSelector").cloned().unwrap_or(Value::Null));
    let old_na = old_spec.get("affinity").and_then(|a| a.get("nodeAffinity")).cloned().unwrap_or(Value::Null);
    if let Some(Value::Object(aff)) = m.get_mut("affinity") {
        aff.insert("nodeAffinity".into(), old_na);
    } else if !old_na.is_null() {
        m.insert("affinity".into(), serde_json::json!({"nodeAffinity": old_na}));
    }
}

const POD_PHASES: &[&str] = &["Pending", "Running", "Succeeded", "Failed", "Unknown"];

/// `ValidatePodStatusUpdate` (metadata immutables are checked by the caller).
pub(super) fn validate_pod_status_update(e: &mut Errs, new: &Value, old: &Value) {
    let status = e.obj(new, "", "status");
    let old_status = old.get("status").unwrap_or(&NULL);
    let spec = new.get("spec").unwrap_or(&NULL);
    let old_spec = old.get("spec").unwrap_or(&NULL);
    for (p, cond) in e.items(status, "metadata", "conditions") {
        let ty = e.str(cond, &p, "type");
        if !matches!(ty, "PodScheduled" | "Ready" | "Initialized") {
            check_qualified_name(e, ty, &child(&p, "Type"));
        }
    }
    if get_str(spec, "nodeName") != get_str(old_spec, "nodeName") {
        e.push(forbidden("status.nodeName", "may not be changed directly"));
    }
    let phase = e.str(status, "status", "phase");
    if !phase.is_empty() && !POD_PHASES.contains(&phase) {
        e.push(not_supported("status.phase", &s(phase), POD_PHASES));
    }
    let nominated = e.str(status, "status", "nominatedNodeName");
    if nominated != get_str(old_status, "nominatedNodeName") && !nominated.is_empty() {
        check_name(e, NameRule::Dns1123Subdomain, nominated, "status.nominatedNodeName");
    }
    if !field_eq(status, old_status, "qosClass") {
        e.push(immutable("status.qosClass", status.get("qosClass").unwrap_or(&NULL)));
    }
    let restart = get_str(old_spec, "restartPolicy");
    check_state_transitions(e, status, old_status, "containerStatuses", restart, &[]);
    let restartable: Vec<&str> = old_spec
        .get("initContainers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|c| get_str(c, "restartPolicy") == "Always")
        .map(|c| get_str(c, "name"))
        .collect();
    check_state_transitions(e, status, old_status, "initContainerStatuses", restart, &restartable);
    check_state_transitions(e, status, old_status, "ephemeralContainerStatuses", "Never", &[]);
    for (k, single) in [("podIPs", "podIP"), ("hostIPs", "hostIP")] {
        let field = format!("status.{k}");
        let entries = e.items(status, "status", k);
        if k == "hostIPs" {
            if let Some((_, first)) = entries.first() {
                let ip = get_str(first, "ip");
                if ip != get_str(status, single) {
                    e.push(invalid("status.hostIPs[0].ip", &s(ip), "must be equal to `hostIP`"));
                }
            }
        }
        let ips: Vec<&str> = entries.iter().map(|(_, v)| get_str(v, "ip")).collect();
        for (i, ip) in ips.iter().enumerate() {
            check_ip(e, ip, &index(&field, i));
        }
        if ips.len() > 1 {
            if !is_dual_stack(&ips) || ips.len() > 2 {
                e.push(invalid_rendered(
                    &field,
                    &status.get(k).map(Value::to_string).unwrap_or_default(),
                    "may specify no more than one IP for each IP family",
                ));
            }
            for i in 1..ips.len() {
                if ips[..i].contains(&ips[i]) {
                    let ty = if k == "podIPs" { "PodIP" } else { "HostIP" };
                    e.push(duplicate_rendered(&index(&field, i), &format!("core.{ty}{{IP:{}}}", go_quote(ips[i]))));
                }
            }
        }
    }
}

fn check_state_transitions(
    e: &mut Errs,
    status: &Value,
    old_status: &Value,
    k: &str,
    restart: &str,
    restartable: &[&str],
) {
    if restart == "Always" {
        return;
    }
    let news: Vec<&Value> = status.get(k).and_then(Value::as_array).into_iter().flatten().collect();
    for (i, o) in old_status.get(k).and_then(Value::as_array).into_iter().flatten().enumerate() {
        let Some(term) = o.get("state").and_then(|s| s.get("terminated")).filter(|t| !t.is_null()) else { continue };
        if get_int(term, "exitCode").unwrap_or(0) != 0 && restart == "OnFailure" {
            continue;
        }
        let name = get_str(o, "name");
        if restartable.contains(&name) {
            continue;
        }
        for n in &news {
            let terminated = n.get("state").and_then(|s| s.get("terminated")).is_some_and(|t| !t.is_null());
            if get_str(n, "name") == name && !terminated {
                e.push(forbidden(&format!("status.{k}[{i}].state"), "may not be transitioned to non-terminated state"));
            }
        }
    }
}

/// `ValidatePodTemplate` / its update: the template alone.
pub(super) fn validate_pod_template_kind(e: &mut Errs, obj: &Value) {
    let template = e.obj(obj, "", "template");
    validate_pod_template_spec(e, template, "template");
}
