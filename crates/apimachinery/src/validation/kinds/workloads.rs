//! Deployment, ReplicaSet, StatefulSet, DaemonSet, ReplicationController and
//! ControllerRevision (`pkg/apis/apps/validation` and the core RC rules).

use serde_json::Value;

use super::access::{child, diff, field_eq, get_int, semantic_eq, Errs, IntOrStr, NULL};
use super::meta::{
    as_selector, immutable_selector, selector_is_empty, selector_matches_template, selector_mismatch,
    validate_label_selector, STRICT,
};
use super::pod::validate_pod_template_spec;
use crate::validation::errors::{forbidden, invalid, invalid_rendered, not_supported, required};

fn s(v: &str) -> Value {
    Value::String(v.to_string())
}

/// `ValidateNonnegativeField` at `parent[k]`.
pub(super) fn nonnegative(e: &mut Errs, parent: &Value, path: &str, k: &str) {
    if let Some(n) = e.opt_int(parent, path, k) {
        if n < 0 {
            e.push(invalid(&child(path, k), &Value::from(n), "must be greater than or equal to 0"));
        }
    }
}

const PERCENT_MSG: &str = "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

fn render_int_or_str(v: IntOrStr) -> String {
    match v {
        IntOrStr::Int(n) => format!("intstr.IntOrString{{Type:0, IntVal:{n}, StrVal:\"\"}}"),
        IntOrStr::Str(s) => {
            format!("intstr.IntOrString{{Type:1, IntVal:0, StrVal:{}}}", crate::gofmt::go_quote(s))
        }
    }
}

fn percent(v: IntOrStr) -> Option<i64> {
    match v {
        IntOrStr::Str(s) => s
            .strip_suffix('%')
            .filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|d| d.parse().ok()),
        IntOrStr::Int(_) => None,
    }
}

/// `getIntOrPercentValue` (an invalid percent string reads as 0).
pub(super) fn int_or_percent_value(v: IntOrStr) -> i64 {
    match v {
        IntOrStr::Int(n) => n,
        IntOrStr::Str(_) => percent(v).unwrap_or(0),
    }
}

/// `ValidatePositiveIntOrPercent` and `IsNotMoreThan100Percent` for `parent[k]`.
pub(super) fn int_or_percent(
    e: &mut Errs,
    parent: &Value,
    path: &str,
    k: &str,
    max_100: bool,
) -> Option<IntOrStr<'static>> {
    let field = child(path, k);
    let v = e.int_or_str(parent, path, k)?;
    match v {
        IntOrStr::Str(_) => {
            if percent(v).is_none() {
                e.push(invalid_rendered(&field, &render_int_or_str(v), PERCENT_MSG));
            }
        }
        IntOrStr::Int(n) => {
            if n < 0 {
                e.push(invalid(&field, &Value::from(n), "must be greater than or equal to 0"));
            }
        }
    }
    if max_100 && percent(v).is_some_and(|p| p > 100) {
        e.push(invalid_rendered(&field, &render_int_or_str(v), "must not be greater than 100%"));
    }
    Some(match v {
        IntOrStr::Int(n) => IntOrStr::Int(n),
        IntOrStr::Str(_) => IntOrStr::Int(int_or_percent_value(v)),
    })
}

/// The template checks shared by ReplicaSet, Deployment and ReplicationController.
fn validate_template_for_replicas(e: &mut Errs, spec: &Value, path: &str, selector_check: Option<bool>, kind: &str) {
    let tp = child(path, "template");
    let template = match e.opt_obj(spec, path, "template") {
        Some(t) => t,
        None if kind == "ReplicationController" => {
            e.push(required(&tp, ""));
            return;
        }
        None => &NULL,
    };
    if selector_check == Some(false) {
        e.push(selector_mismatch(template, &child(&child(&tp, "metadata"), "labels")));
    }
    validate_pod_template_spec(e, template, &tp);
    let pod_spec = template.get("spec").unwrap_or(&NULL);
    let restart = super::access::get_str(pod_spec, "restartPolicy");
    if restart != "Always" {
        e.push(not_supported(&child(&child(&tp, "spec"), "restartPolicy"), &s(restart), &["Always"]));
    }
    if pod_spec.get("activeDeadlineSeconds").is_some_and(|v| !v.is_null()) {
        e.push(forbidden(
            &child(&child(&tp, "spec"), "activeDeadlineSeconds"),
            &format!("activeDeadlineSeconds in {kind} is not Supported"),
        ));
    }
}

/// A required selector, checked strictly and non-empty. `Err` when it cannot be turned
/// into a selector (upstream then skips the template); otherwise whether the template's
/// labels match it (`None` for a selector that selects everything).
fn required_selector(
    e: &mut Errs,
    spec: &Value,
    path: &str,
    empty_detail: &str,
    bad_detail: &str,
) -> Result<Option<bool>, ()> {
    let sp = child(path, "selector");
    let template = spec.get("template").unwrap_or(&NULL);
    match e.opt_obj(spec, path, "selector") {
        None => {
            e.push(required(&sp, ""));
            // A nil selector selects nothing, so the template cannot match it either.
            Ok(Some(false))
        }
        Some(sel) => {
            validate_label_selector(e, spec, path, "selector", STRICT);
            if selector_is_empty(sel) {
                e.push(invalid_rendered(&sp, &super::access::go_label_selector(sel), empty_detail));
            }
            match as_selector(sel) {
                None => {
                    e.push(invalid_rendered(&sp, &super::access::go_label_selector(sel), bad_detail));
                    Err(())
                }
                Some(selector) if selector.is_empty() => Ok(None),
                Some(selector) => Ok(Some(selector_matches_template(&selector, template))),
            }
        }
    }
}

/// Go's `%#v` of a strategy struct with a type and an optional rolling update.
fn render_strategy(kind: &str, rolling: &str, strategy: &Value) -> String {
    let ty = crate::gofmt::go_quote(super::access::get_str(strategy, "type"));
    let ru = if strategy.get("rollingUpdate").is_some_and(|v| !v.is_null()) {
        format!("(*apps.{rolling})(0xc000000000)")
    } else {
        format!("(*apps.{rolling})(nil)")
    };
    format!("apps.{kind}{{Type:{ty}, RollingUpdate:{ru}}}")
}

/// `ValidateDeploymentSpec`.
fn validate_deployment_spec(e: &mut Errs, obj: &Value) {
    let spec = e.obj(obj, "", "spec");
    let path = "spec";
    nonnegative(e, spec, path, "replicas");
    if let Ok(matches) =
        required_selector(e, spec, path, "empty selector is invalid for deployment", "invalid label selector")
    {
        validate_template_for_replicas(e, spec, path, matches, "ReplicaSet");
    }
    let strategy = e.obj(spec, path, "strategy");
    let stp = child(path, "strategy");
    match e.str(strategy, &stp, "type") {
        "Recreate" => {
            if strategy.get("rollingUpdate").is_some_and(|v| !v.is_null()) {
                e.push(forbidden(
                    &child(&stp, "rollingUpdate"),
                    "may not be specified when strategy `type` is 'Recreate'",
                ));
            }
        }
        "RollingUpdate" => match e.opt_obj(strategy, &stp, "rollingUpdate") {
            None => e.push(required(&child(&stp, "rollingUpdate"), "this should be defaulted and never be nil")),
            Some(ru) => {
                let rp = child(&stp, "rollingUpdate");
                let unavailable = int_or_percent(e, ru, &rp, "maxUnavailable", false);
                let surge = int_or_percent(e, ru, &rp, "maxSurge", false);
                let value = |v: Option<IntOrStr>| v.map_or(0, int_or_percent_value);
                if value(unavailable) == 0 && value(surge) == 0 {
                    let rendered = ru
                        .get("maxUnavailable")
                        .and_then(|v| match v {
                            Value::String(t) => Some(render_int_or_str(IntOrStr::Str(t))),
                            other => super::access::as_int(other).map(|n| render_int_or_str(IntOrStr::Int(n))),
                        })
                        .unwrap_or_else(|| render_int_or_str(IntOrStr::Int(0)));
                    e.push(invalid_rendered(
                        &child(&rp, "maxUnavailable"),
                        &rendered,
                        "may not be 0 when `maxSurge` is 0",
                    ));
                }
                if let Some(v) = ru.get("maxUnavailable").and_then(Value::as_str) {
                    if percent(IntOrStr::Str(v)).is_some_and(|p| p > 100) {
                        e.push(invalid_rendered(
                            &child(&rp, "maxUnavailable"),
                            &render_int_or_str(IntOrStr::Str(v)),
                            "must not be greater than 100%",
                        ));
                    }
                }
            }
        },
        _ => e.push(crate::validation::errors::not_supported_rendered(
            &stp,
            &render_strategy("DeploymentStrategy", "RollingUpdateDeployment", strategy),
            &["Recreate", "RollingUpdate"],
        )),
    }
    nonnegative(e, spec, path, "minReadySeconds");
    nonnegative(e, spec, path, "revisionHistoryLimit");
    if let Some(rb) = e.opt_obj(spec, path, "rollbackTo") {
        nonnegative(e, rb, &child(path, "rollback"), "revision");
    }
    if let Some(pds) = e.opt_int(spec, path, "progressDeadlineSeconds") {
        if pds < 0 {
            e.push(invalid("spec.progressDeadlineSeconds", &Value::from(pds), "must be greater than or equal to 0"));
        }
        if pds <= get_int(spec, "minReadySeconds").unwrap_or(0) {
            e.push(invalid("spec.progressDeadlineSeconds", &Value::from(pds), "must be greater than minReadySeconds"));
        }
    }
    e.bool(spec, path, "paused");
}

pub(super) fn deployment_create(e: &mut Errs, obj: &Value) {
    validate_deployment_spec(e, obj);
}

pub(super) fn deployment_update(e: &mut Errs, new: &Value, old: &Value) {
    validate_deployment_spec(e, new);
    selector_immutable(e, new, old);
}

fn selector_immutable(e: &mut Errs, new: &Value, old: &Value) {
    let ns = new.get("spec").and_then(|s| s.get("selector")).unwrap_or(&NULL);
    let os = old.get("spec").and_then(|s| s.get("selector")).unwrap_or(&NULL);
    if !semantic_eq(ns, os) {
        e.push(immutable_selector("spec.selector", ns));
    }
}

const REPLICA_STATUS: &[&str] =
    &["replicas", "fullyLabeledReplicas", "readyReplicas", "availableReplicas", "observedGeneration"];

/// Status counters: not negative, and not above `replicas`.
fn validate_replica_status(e: &mut Errs, new: &Value, fields: &[&str], available_detail: &str) {
    let status = e.obj(new, "", "status");
    for k in fields {
        nonnegative(e, status, "status", k);
    }
    let n = |k: &str| get_int(status, k).unwrap_or(0);
    for k in ["fullyLabeledReplicas", "updatedReplicas", "currentReplicas", "readyReplicas", "availableReplicas"] {
        if fields.contains(&k) && n(k) > n("replicas") {
            e.push(invalid(&format!("status.{k}"), &Value::from(n(k)), "cannot be greater than status.replicas"));
        }
    }
    if fields.contains(&"availableReplicas") && n("availableReplicas") > n("readyReplicas") {
        e.push(invalid("status.availableReplicas", &Value::from(n("availableReplicas")), available_detail));
    }
}

fn collision_count(e: &mut Errs, new: &Value, old: &Value) {
    let n = new.get("status").and_then(|s| get_int(s, "collisionCount"));
    let o = old.get("status").and_then(|s| get_int(s, "collisionCount"));
    let decremented = match (n, o) {
        (None, Some(_)) => true,
        (Some(a), Some(b)) => a < b,
        _ => false,
    };
    if decremented {
        e.push(invalid("status.collisionCount", &Value::from(n.unwrap_or(0)), "cannot be decremented"));
    }
}

pub(super) fn deployment_status(e: &mut Errs, new: &Value, old: &Value) {
    let status = e.obj(new, "", "status");
    nonnegative(e, status, "status", "collisionCount");
    validate_replica_status(
        e,
        new,
        &[
            "observedGeneration",
            "replicas",
            "updatedReplicas",
            "readyReplicas",
            "availableReplicas",
            "unavailableReplicas",
        ],
        "cannot be greater than readyReplicas",
    );
    collision_count(e, new, old);
}

fn validate_replica_set_spec(e: &mut Errs, obj: &Value) {
    let spec = e.obj(obj, "", "spec");
    nonnegative(e, spec, "spec", "replicas");
    nonnegative(e, spec, "spec", "minReadySeconds");
    if let Ok(matches) =
        required_selector(e, spec, "spec", "empty selector is invalid for deployment", "invalid label selector")
    {
        validate_template_for_replicas(e, spec, "spec", matches, "ReplicaSet");
    }
}

pub(super) fn replica_set_create(e: &mut Errs, obj: &Value) {
    validate_replica_set_spec(e, obj);
}

pub(super) fn replica_set_update(e: &mut Errs, new: &Value, old: &Value) {
    validate_replica_set_spec(e, new);
    selector_immutable(e, new, old);
}

pub(super) fn replica_set_status(e: &mut Errs, new: &Value, _old: &Value) {
    validate_replica_status(e, new, REPLICA_STATUS, "cannot be greater than readyReplicas");
}

fn validate_stateful_set_spec(e: &mut Errs, obj: &Value) {
    let spec = e.obj(obj, "", "spec");
    let path = "spec";
    match e.str(spec, path, "podManagementPolicy") {
        "" => e.push(required("spec.podManagementPolicy", "")),
        "OrderedReady" | "Parallel" => {}
        other => e.push(invalid("spec.podManagementPolicy", &s(other), "must be 'OrderedReady' or 'Parallel'")),
    }
    let strategy = e.obj(spec, path, "updateStrategy");
    let stp = "spec.updateStrategy";
    match e.str(strategy, stp, "type") {
        "" => e.push(required(stp, "")),
        "OnDelete" => {
            if let Some(ru) = strategy.get("rollingUpdate").filter(|v| !v.is_null()) {
                e.push(invalid_rendered(
                    "spec.updateStrategy.rollingUpdate",
                    &ru.to_string(),
                    "only allowed for updateStrategy 'RollingUpdate'",
                ));
            }
        }
        "RollingUpdate" => {
            if let Some(ru) = e.opt_obj(strategy, stp, "rollingUpdate") {
                let rp = "spec.updateStrategy.rollingUpdate";
                nonnegative(e, ru, rp, "partition");
                if let Some(v) = int_or_percent(e, ru, rp, "maxUnavailable", true) {
                    if int_or_percent_value(v) == 0 {
                        let raw = ru.get("maxUnavailable").unwrap_or(&NULL);
                        let rendered = match raw {
                            Value::String(t) => render_int_or_str(IntOrStr::Str(t)),
                            _ => render_int_or_str(IntOrStr::Int(0)),
                        };
                        e.push(invalid_rendered(
                            "spec.updateStrategy.rollingUpdate.maxUnavailable",
                            &rendered,
                            "cannot be 0",
                        ));
                    }
                }
            }
        }
        _ => e.push(invalid_rendered(
            stp,
            &render_strategy("StatefulSetUpdateStrategy", "RollingUpdateStatefulSetStrategy", strategy),
            "must be 'RollingUpdate' or 'OnDelete'",
        )),
    }
    if let Some(policy) = e.opt_obj(spec, path, "persistentVolumeClaimRetentionPolicy") {
        for k in ["whenDeleted", "whenScaled"] {
            let v = e.str(policy, "spec.persistentVolumeClaimRetentionPolicy", k);
            if v != "Retain" && v != "Delete" {
                e.push(not_supported(
                    &format!("spec.persistentVolumeClaimRetentionPolicy.{k}"),
                    &s(v),
                    &["Retain", "Delete"],
                ));
            }
        }
    }
    nonnegative(e, spec, path, "replicas");
    nonnegative(e, spec, path, "minReadySeconds");
    if let Some(ord) = e.opt_obj(spec, path, "ordinals") {
        if let Some(start) = e.opt_int(ord, "spec.ordinals", "start") {
            if start < 0 {
                e.push(invalid("spec.ordinals.start", &Value::from(start), "must be greater than or equal to 0"));
            }
        }
    }
    // Upstream checks only the template's labels and annotations here, not its pod spec.
    let template = spec.get("template").unwrap_or(&NULL);
    if let Ok(matches) = required_selector(e, spec, path, "empty selector is invalid for statefulset", "") {
        if matches == Some(false) {
            e.push(selector_mismatch(template, "spec.template.metadata.labels"));
        }
        let meta = template.get("metadata").unwrap_or(&NULL);
        super::meta::validate_labels(e, meta, "spec.template", "labels");
        super::meta::validate_annotations(e, meta, "spec.template", "annotations");
    }
    let pod_spec = template.get("spec").unwrap_or(&NULL);
    validate_long_running_pod_spec(e, pod_spec, "StatefulSet");
    // Values of the wrong JSON type would not decode upstream, so they are still reported.
    let mut scratch = Errs::new();
    validate_pod_template_spec(&mut scratch, template, "spec.template");
    for (p, claim) in scratch.items(spec, path, "volumeClaimTemplates") {
        super::meta::validate_template_meta(&mut scratch, claim, &p);
        let claim_meta = scratch.obj(claim, &p, "metadata");
        scratch.opt_str(claim_meta, &child(&p, "metadata"), "name");
        let cspec = scratch.obj(claim, &p, "spec");
        super::volumes::validate_pvc_spec(&mut scratch, cspec, &child(&p, "spec"));
    }
    e.extend(scratch.list.into_iter().filter(|c| c.reason == "FieldValueTypeInvalid"));
    e.str(spec, path, "serviceName");
    nonnegative(e, spec, path, "revisionHistoryLimit");
}

pub(super) fn stateful_set_create(e: &mut Errs, obj: &Value) {
    validate_stateful_set_spec(e, obj);
}

pub(super) fn stateful_set_update(e: &mut Errs, new: &Value, old: &Value) {
    validate_stateful_set_spec(e, new);
    let spec = new.get("spec").unwrap_or(&NULL);
    let old_spec = old.get("spec").unwrap_or(&NULL);
    let mutable = [
        "replicas",
        "template",
        "updateStrategy",
        "minReadySeconds",
        "ordinals",
        "persistentVolumeClaimRetentionPolicy",
    ];
    let mut a = spec.clone();
    let mut b = old_spec.clone();
    for v in [&mut a, &mut b] {
        if let Value::Object(m) = v {
            for k in mutable {
                m.remove(k);
            }
        }
    }
    if !semantic_eq(&a, &b) {
        e.push(forbidden(
            "spec",
            "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
        ));
    }
}

pub(super) fn stateful_set_status(e: &mut Errs, new: &Value, old: &Value) {
    let status = e.obj(new, "", "status");
    for k in ["observedGeneration", "collisionCount"] {
        nonnegative(e, status, "status", k);
    }
    validate_replica_status(
        e,
        new,
        &["replicas", "readyReplicas", "currentReplicas", "updatedReplicas", "availableReplicas"],
        "cannot be greater than status.readyReplicas",
    );
    collision_count(e, new, old);
}

fn validate_daemon_set_spec(e: &mut Errs, obj: &Value) {
    let spec = e.obj(obj, "", "spec");
    let path = "spec";
    validate_label_selector(e, spec, path, "selector", STRICT);
    let template = spec.get("template").unwrap_or(&NULL);
    let sel = spec.get("selector").unwrap_or(&NULL);
    if let Some(selector) = as_selector(sel) {
        if !selector_matches_template(&selector, template) {
            e.push(selector_mismatch(template, "spec.template.metadata.labels"));
        }
    }
    if sel.is_object() && selector_is_empty(sel) {
        e.push(invalid_rendered(
            "spec.selector",
            &super::access::go_label_selector(sel),
            "empty selector is invalid for daemonset",
        ));
    }
    let template = e.obj(spec, path, "template");
    validate_pod_template_spec(e, template, "spec.template");
    let pod_spec = template.get("spec").unwrap_or(&NULL);
    validate_long_running_pod_spec(e, pod_spec, "DaemonSet");
    nonnegative(e, spec, path, "minReadySeconds");
    nonnegative(e, spec, path, "templateGeneration");
    let strategy = e.obj(spec, path, "updateStrategy");
    let stp = "spec.updateStrategy";
    match e.str(strategy, stp, "type") {
        "OnDelete" => {}
        "RollingUpdate" => match e.opt_obj(strategy, stp, "rollingUpdate") {
            None => e.push(required("spec.updateStrategy.rollingUpdate", "")),
            Some(ru) => {
                let rp = "spec.updateStrategy.rollingUpdate";
                let unavailable = int_or_percent(e, ru, rp, "maxUnavailable", true).map_or(0, int_or_percent_value);
                let surge = int_or_percent(e, ru, rp, "maxSurge", true).map_or(0, int_or_percent_value);
                if unavailable != 0 && surge != 0 {
                    let raw = ru.get("maxSurge").unwrap_or(&NULL);
                    let rendered = match raw {
                        Value::String(t) => render_int_or_str(IntOrStr::Str(t)),
                        other => render_int_or_str(IntOrStr::Int(super::access::as_int(other).unwrap_or(0))),
                    };
                    e.push(invalid_rendered(
                        "spec.updateStrategy.rollingUpdate.maxSurge",
                        &rendered,
                        "may not be set when maxUnavailable is non-zero",
                    ));
                } else if unavailable == 0 && surge == 0 {
                    e.push(required(
                        "spec.updateStrategy.rollingUpdate.maxUnavailable",
                        "cannot be 0 when maxSurge is 0",
                    ));
                }
            }
        },
        _ => e.push(crate::validation::errors::not_supported_rendered(
            "spec.updateStrategy",
            &render_strategy("DaemonSetUpdateStrategy", "RollingUpdateDaemonSet", strategy),
            &["RollingUpdate", "OnDelete"],
        )),
    }
    nonnegative(e, spec, path, "revisionHistoryLimit");
}

pub(super) fn daemon_set_create(e: &mut Errs, obj: &Value) {
    validate_daemon_set_spec(e, obj);
}

pub(super) fn daemon_set_update(e: &mut Errs, new: &Value, old: &Value) {
    let spec = new.get("spec").unwrap_or(&NULL);
    let old_spec = old.get("spec").unwrap_or(&NULL);
    let tg = get_int(spec, "templateGeneration").unwrap_or(0);
    let old_tg = get_int(old_spec, "templateGeneration").unwrap_or(0);
    if tg < old_tg {
        e.push(invalid("spec.templateGeneration", &Value::from(tg), "must not be decremented"));
    }
    let template_updated = !field_eq(spec, old_spec, "template");
    if tg == old_tg && template_updated && spec.get("templateGeneration").is_some() {
        e.push(invalid("spec.templateGeneration", &Value::from(tg), "must be incremented upon template update"));
    } else if tg > old_tg && !template_updated {
        e.push(invalid("spec.templateGeneration", &Value::from(tg), "must not be incremented without template update"));
    }
    validate_daemon_set_spec(e, new);
    selector_immutable(e, new, old);
}

pub(super) fn daemon_set_status(e: &mut Errs, new: &Value, old: &Value) {
    let status = e.obj(new, "", "status");
    for k in [
        "currentNumberScheduled",
        "numberMisscheduled",
        "desiredNumberScheduled",
        "numberReady",
        "observedGeneration",
        "updatedNumberScheduled",
        "numberAvailable",
        "numberUnavailable",
        "collisionCount",
    ] {
        nonnegative(e, status, "status", k);
    }
    collision_count(e, new, old);
}

fn validate_rc_spec(e: &mut Errs, obj: &Value) {
    let spec = e.obj(obj, "", "spec");
    nonnegative(e, spec, "spec", "minReadySeconds");
    let selector = e.str_map(spec, "spec", "selector").unwrap_or_default();
    if selector.is_empty() {
        e.push(required("spec.selector", ""));
    }
    nonnegative(e, spec, "spec", "replicas");
    let matches = if selector.is_empty() {
        None
    } else {
        let sel = crate::selector::LabelSelector::from_set(selector.iter().copied());
        Some(selector_matches_template(&sel, spec.get("template").unwrap_or(&NULL)))
    };
    validate_template_for_replicas(e, spec, "spec", matches, "ReplicationController");
}

pub(super) fn rc_create(e: &mut Errs, obj: &Value) {
    validate_rc_spec(e, obj);
}

pub(super) fn rc_update(e: &mut Errs, new: &Value, _old: &Value) {
    validate_rc_spec(e, new);
}

pub(super) fn rc_status(e: &mut Errs, new: &Value, _old: &Value) {
    validate_replica_status(e, new, REPLICA_STATUS, "cannot be greater than readyReplicas");
}

pub(super) fn controller_revision_create(e: &mut Errs, obj: &Value) {
    if obj.get("data").is_none_or(Value::is_null) {
        e.push(required("data", "data is mandatory"));
    }
    nonnegative(e, obj, "", "revision");
}

pub(super) fn controller_revision_update(e: &mut Errs, new: &Value, old: &Value) {
    controller_revision_create(e, new);
    if !field_eq(new, old, "data") {
        e.push(invalid_rendered(
            "data",
            &new.get("data").map(Value::to_string).unwrap_or_default(),
            "field is immutable",
        ));
    }
    let _ = diff;
}

/// What StatefulSet and DaemonSet pods must be: restarted always, never given a deadline.
fn validate_long_running_pod_spec(e: &mut Errs, pod_spec: &Value, kind: &str) {
    let restart = super::access::get_str(pod_spec, "restartPolicy");
    if restart != "Always" {
        e.push(not_supported("spec.template.spec.restartPolicy", &s(restart), &["Always"]));
    }
    if pod_spec.get("activeDeadlineSeconds").is_some_and(|v| !v.is_null()) {
        e.push(forbidden(
            "spec.template.spec.activeDeadlineSeconds",
            &format!("activeDeadlineSeconds in {kind} is not Supported"),
        ));
    }
}
