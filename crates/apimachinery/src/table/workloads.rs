//! Workload controllers: replication controllers, replica sets, deployments, stateful
//! sets, daemon sets, jobs, cron jobs, controller revisions and disruption budgets.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::format::{
    age, at, bool_ptr, condition_true, container_cells, format_label_selector, format_labels, has, human_duration, int,
    int_or_string, list, map, name, opt_int, opt_text, selector_string, since, text, time, time_or_zero,
};

fn template_containers(obj: &Value) -> &[Value] {
    list(obj, &["spec", "template", "spec", "containers"])
}

/// Name, Desired, Current, Ready, Age, Containers, Images, Selector (a plain label map).
pub(super) fn replication_controller(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let (names, images) = container_cells(template_containers(obj));
    vec![
        json!(name(obj)),
        json!(int(obj, &["spec", "replicas"])),
        json!(int(obj, &["status", "replicas"])),
        json!(int(obj, &["status", "readyReplicas"])),
        json!(age(obj, now)),
        json!(names),
        json!(images),
        json!(format_labels(map(obj, &["spec", "selector"]))),
    ]
}

/// Name, Desired, Current, Ready, Age, Containers, Images, Selector.
pub(super) fn replica_set(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let (names, images) = container_cells(template_containers(obj));
    vec![
        json!(name(obj)),
        json!(int(obj, &["spec", "replicas"])),
        json!(int(obj, &["status", "replicas"])),
        json!(int(obj, &["status", "readyReplicas"])),
        json!(age(obj, now)),
        json!(names),
        json!(images),
        json!(format_label_selector(at(obj, &["spec", "selector"]))),
    ]
}

/// Name, Ready, Up-to-date, Available, Age, Containers, Images, Selector.
pub(super) fn deployment(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let (names, images) = container_cells(template_containers(obj));
    let selector = selector_string(at(obj, &["spec", "selector"])).unwrap_or_else(|_| "<invalid>".to_string());
    vec![
        json!(name(obj)),
        json!(format!("{}/{}", int(obj, &["status", "readyReplicas"]), int(obj, &["spec", "replicas"]))),
        json!(int(obj, &["status", "updatedReplicas"])),
        json!(int(obj, &["status", "availableReplicas"])),
        json!(age(obj, now)),
        json!(names),
        json!(images),
        json!(selector),
    ]
}

/// Name, Ready, Age, Containers, Images.
pub(super) fn stateful_set(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let (names, images) = container_cells(template_containers(obj));
    vec![
        json!(name(obj)),
        json!(format!("{}/{}", int(obj, &["status", "readyReplicas"]), int(obj, &["spec", "replicas"]))),
        json!(age(obj, now)),
        json!(names),
        json!(images),
    ]
}

/// Name, Desired, Current, Ready, Up-to-date, Available, Node Selector, Age, Containers, Images, Selector.
pub(super) fn daemon_set(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let (names, images) = container_cells(template_containers(obj));
    vec![
        json!(name(obj)),
        json!(int(obj, &["status", "desiredNumberScheduled"])),
        json!(int(obj, &["status", "currentNumberScheduled"])),
        json!(int(obj, &["status", "numberReady"])),
        json!(int(obj, &["status", "updatedNumberScheduled"])),
        json!(int(obj, &["status", "numberAvailable"])),
        json!(format_labels(map(obj, &["spec", "template", "spec", "nodeSelector"]))),
        json!(age(obj, now)),
        json!(names),
        json!(images),
        json!(format_label_selector(at(obj, &["spec", "selector"]))),
    ]
}

/// The Status column of a job, from its conditions.
fn job_status(obj: &Value) -> &'static str {
    let conditions = list(obj, &["status", "conditions"]);
    if condition_true(conditions, "Complete") {
        "Complete"
    } else if condition_true(conditions, "Failed") {
        "Failed"
    } else if has(obj, &["metadata", "deletionTimestamp"]) {
        "Terminating"
    } else if condition_true(conditions, "Suspended") {
        "Suspended"
    } else if condition_true(conditions, "FailureTarget") {
        "FailureTarget"
    } else {
        "Running"
    }
}

/// Name, Status, Completions, Duration, Age, Containers, Images, Selector.
pub(super) fn job(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let succeeded = int(obj, &["status", "succeeded"]);
    let completions = match opt_int(obj, &["spec", "completions"]) {
        Some(wanted) => format!("{succeeded}/{wanted}"),
        None => match int(obj, &["spec", "parallelism"]) {
            parallelism if parallelism > 1 => format!("{succeeded}/1 of {parallelism}"),
            _ => format!("{succeeded}/1"),
        },
    };
    // No start time leaves the duration empty; a running job counts up to now.
    let duration = if has(obj, &["status", "startTime"]) {
        let start = time_or_zero(obj, &["status", "startTime"]);
        let end = if has(obj, &["status", "completionTime"]) {
            time_or_zero(obj, &["status", "completionTime"])
        } else {
            now
        };
        human_duration(end.signed_duration_since(start))
    } else {
        String::new()
    };
    let (names, images) = container_cells(template_containers(obj));
    vec![
        json!(name(obj)),
        json!(job_status(obj)),
        json!(completions),
        json!(duration),
        json!(age(obj, now)),
        json!(names),
        json!(images),
        json!(format_label_selector(at(obj, &["spec", "selector"]))),
    ]
}

/// Name, Schedule, Timezone, Suspend, Active, Last Schedule, Age, Containers, Images, Selector.
pub(super) fn cron_job(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let last_schedule = if has(obj, &["status", "lastScheduleTime"]) {
        since(time(obj, &["status", "lastScheduleTime"]), now)
    } else {
        "<none>".to_string()
    };
    let job_spec = at(obj, &["spec", "jobTemplate", "spec"]).unwrap_or(&Value::Null);
    let (names, images) = container_cells(list(job_spec, &["template", "spec", "containers"]));
    vec![
        json!(name(obj)),
        json!(text(obj, &["spec", "schedule"])),
        json!(opt_text(obj, &["spec", "timeZone"]).unwrap_or("<none>")),
        json!(bool_ptr(at(obj, &["spec", "suspend"]).and_then(Value::as_bool))),
        json!(list(obj, &["status", "active"]).len()),
        json!(last_schedule),
        json!(age(obj, now)),
        json!(names),
        json!(images),
        json!(format_label_selector(at(job_spec, &["selector"]))),
    ]
}

/// `kind.group/name` (lower-cased) of the controlling owner, `<none>` without one.
fn controller_name(obj: &Value) -> String {
    let owner = list(obj, &["metadata", "ownerReferences"])
        .iter()
        .find(|r| at(r, &["controller"]).and_then(Value::as_bool) == Some(true));
    let Some(owner) = owner else {
        return "<none>".to_string();
    };
    let api_version = text(owner, &["apiVersion"]);
    let group = match api_version.split('/').collect::<Vec<_>>().as_slice() {
        [_version] => "",
        [group, _version] => group,
        _ => "",
    };
    let kind = text(owner, &["kind"]);
    let owner_name = text(owner, &["name"]);
    let group_kind = if group.is_empty() { kind.to_string() } else { format!("{kind}.{group}") };
    if group_kind.is_empty() {
        owner_name.to_string()
    } else {
        format!("{}/{owner_name}", group_kind.to_lowercase())
    }
}

/// Name, Controller, Revision, Age.
pub(super) fn controller_revision(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    vec![json!(name(obj)), json!(controller_name(obj)), json!(int(obj, &["revision"])), json!(age(obj, now))]
}

/// Name, Min Available, Max Unavailable, Allowed Disruptions, Age.
pub(super) fn pod_disruption_budget(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let or_na = |v: Option<&Value>| v.map_or_else(|| "N/A".to_string(), int_or_string);
    vec![
        json!(name(obj)),
        json!(or_na(at(obj, &["spec", "minAvailable"]))),
        json!(or_na(at(obj, &["spec", "maxUnavailable"]))),
        json!(int(obj, &["status", "disruptionsAllowed"])),
        json!(age(obj, now)),
    ]
}
