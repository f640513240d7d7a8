//! Defaults of `apps/v1`: Deployments, ReplicaSets, StatefulSets and DaemonSets (their pod
//! templates are defaulted as pod specs everywhere).

use super::{default_ptr, default_zero, ensure_object, object, objects_in, text, Obj};

pub(super) fn defaults(ty: &str, m: &mut Obj) {
    let apply: fn(&mut Obj) = match ty {
        "Deployment" => deployment,
        "ReplicaSet" => |spec| default_ptr(spec, "replicas", 1),
        "StatefulSet" => stateful_set,
        "DaemonSet" => daemon_set,
        _ => return,
    };
    if let Some(spec) = ensure_object(m, "spec") {
        apply(spec);
    }
}

fn deployment(spec: &mut Obj) {
    default_ptr(spec, "replicas", 1);
    if let Some(strategy) = ensure_object(spec, "strategy") {
        default_zero(strategy, "type", "RollingUpdate");
        if text(strategy, "type") == "RollingUpdate" {
            if let Some(rolling) = ensure_object(strategy, "rollingUpdate") {
                default_ptr(rolling, "maxUnavailable", "25%");
                default_ptr(rolling, "maxSurge", "25%");
            }
        }
    }
    default_ptr(spec, "revisionHistoryLimit", 10);
    default_ptr(spec, "progressDeadlineSeconds", 600);
}

fn daemon_set(spec: &mut Obj) {
    if let Some(strategy) = ensure_object(spec, "updateStrategy") {
        default_zero(strategy, "type", "RollingUpdate");
        if text(strategy, "type") == "RollingUpdate" {
            if let Some(rolling) = ensure_object(strategy, "rollingUpdate") {
                default_ptr(rolling, "maxUnavailable", 1);
                default_ptr(rolling, "maxSurge", 0);
            }
        }
    }
    default_ptr(spec, "revisionHistoryLimit", 10);
}

fn stateful_set(spec: &mut Obj) {
    default_zero(spec, "podManagementPolicy", "OrderedReady");
    if let Some(strategy) = ensure_object(spec, "updateStrategy") {
        // Only a strategy whose type was left out gets a rollingUpdate block of its own.
        if super::zero(strategy, "type") {
            strategy.insert("type".into(), "RollingUpdate".into());
            ensure_object(strategy, "rollingUpdate");
        }
        if text(strategy, "type") == "RollingUpdate" {
            if let Some(rolling) = object(strategy, "rollingUpdate") {
                default_ptr(rolling, "partition", 0);
            }
        }
    }
    if let Some(policy) = ensure_object(spec, "persistentVolumeClaimRetentionPolicy") {
        default_zero(policy, "whenDeleted", "Retain");
        default_zero(policy, "whenScaled", "Retain");
    }
    default_ptr(spec, "replicas", 1);
    default_ptr(spec, "revisionHistoryLimit", 10);
    // Upstream's conversion back to v1 types every claim template, whatever the body said.
    for claim in objects_in(spec, "volumeClaimTemplates") {
        claim.insert("apiVersion".into(), "v1".into());
        claim.insert("kind".into(), "PersistentVolumeClaim".into());
    }
}
