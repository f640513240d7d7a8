//! Defaults of `batch/v1` Jobs and CronJobs (a CronJob's job template gets only the pod
//! and failure-policy defaults: upstream's Job defaults apply to Job objects alone).

use serde_json::Value;

use super::{absent, default_ptr, default_zero, empty, ensure_object, object, Obj};

/// A Job that sets `backoffLimitPerIndex` gets no overall retry limit.
const UNLIMITED_BACKOFF: i64 = i32::MAX as i64;

pub(super) fn defaults(ty: &str, m: &mut Obj) {
    match ty {
        "Job" => job(m),
        "CronJob" => {
            if let Some(spec) = ensure_object(m, "spec") {
                default_zero(spec, "concurrencyPolicy", "Allow");
                default_ptr(spec, "suspend", false);
                default_ptr(spec, "successfulJobsHistoryLimit", 3);
                default_ptr(spec, "failedJobsHistoryLimit", 1);
            }
        }
        "PodFailurePolicyOnPodConditionsPattern" => default_zero(m, "status", "True"),
        _ => {}
    }
}

fn job(m: &mut Obj) {
    let Some(spec) = ensure_object(m, "spec") else { return };
    if absent(spec, "completions") && absent(spec, "parallelism") {
        spec.insert("completions".into(), 1.into());
    }
    default_ptr(spec, "parallelism", 1);
    if absent(spec, "backoffLimit") {
        let limit = if absent(spec, "backoffLimitPerIndex") { 6 } else { UNLIMITED_BACKOFF };
        spec.insert("backoffLimit".into(), limit.into());
    }
    default_ptr(spec, "completionMode", "NonIndexed");
    default_ptr(spec, "suspend", false);
    if absent(spec, "podReplacementPolicy") {
        let policy = if absent(spec, "podFailurePolicy") { "TerminatingOrFailed" } else { "Failed" };
        spec.insert("podReplacementPolicy".into(), policy.into());
    }
    default_ptr(spec, "manualSelector", false);
    // The Job's labels come from its pod template's when it has none.
    let template_labels = object(spec, "template")
        .and_then(|t| object(t, "metadata"))
        .and_then(|md| md.get("labels"))
        .and_then(Value::as_object)
        .filter(|l| !l.is_empty())
        .cloned();
    if let Some(labels) = template_labels {
        if let Some(metadata) = ensure_object(m, "metadata") {
            if empty(metadata, "labels") {
                metadata.insert("labels".into(), Value::Object(labels));
            }
        }
    }
}
