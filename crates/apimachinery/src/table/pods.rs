//! Pods and pod templates.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::format::{
    age, at, condition_true, container_cells, format_labels, has, int, list, map, name, opt_bool, since, text, time,
};

/// The reason the node lifecycle controller gives pods on a node that stopped answering.
const NODE_UNREACHABLE_REASON: &str = "NodeLost";

fn is_restartable_init(container: Option<&Value>) -> bool {
    container.is_some_and(|c| text(c, &["restartPolicy"]) == "Always")
}

/// Keeps the latest time: a zero (absent) time never wins, as Go's `Before` on zero times.
fn later(current: Option<DateTime<Utc>>, candidate: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    match (current, candidate) {
        (Some(c), Some(n)) if c < n => Some(n),
        (None, Some(n)) => Some(n),
        (c, _) => c,
    }
}

/// When the container last terminated, from `lastState.terminated.finishedAt`.
fn last_termination(status: &Value) -> Option<Option<DateTime<Utc>>> {
    if has(status, &["lastState", "terminated"]) {
        Some(time(status, &["lastState", "terminated", "finishedAt"]))
    } else {
        None
    }
}

/// `Signal:9` / `ExitCode:1` for a termination without a reason.
fn termination_code(terminated: &Value) -> String {
    let signal = int(terminated, &["signal"]);
    if signal != 0 {
        format!("Signal:{signal}")
    } else {
        format!("ExitCode:{}", int(terminated, &["exitCode"]))
    }
}

/// The pod's row: Name, Ready, Status, Restarts, Age, IP, Node, Nominated Node, Readiness Gates.
pub(super) fn pod(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let containers = list(obj, &["spec", "containers"]);
    let init_specs = list(obj, &["spec", "initContainers"]);
    let conditions = list(obj, &["status", "conditions"]);

    let mut restarts: i64 = 0;
    let mut restartable_init_restarts: i64 = 0;
    let mut total = containers.len();
    let mut ready = 0usize;
    let mut last_restart: Option<DateTime<Utc>> = None;
    let mut last_restartable_init_restart: Option<DateTime<Utc>> = None;

    let phase = text(obj, &["status", "phase"]);
    let status_reason = text(obj, &["status", "reason"]);
    let mut reason = if status_reason.is_empty() { phase.to_string() } else { status_reason.to_string() };
    let gated =
        conditions.iter().any(|c| text(c, &["type"]) == "PodScheduled" && text(c, &["reason"]) == "SchedulingGated");
    if gated {
        reason = "SchedulingGated".to_string();
    }

    let init_spec = |container_name: &str| init_specs.iter().rev().find(|c| text(c, &["name"]) == container_name);
    total += init_specs.iter().filter(|c| is_restartable_init(Some(c))).count();

    let mut initializing = false;
    for (i, status) in list(obj, &["status", "initContainerStatuses"]).iter().enumerate() {
        let restartable = is_restartable_init(init_spec(text(status, &["name"])));
        let count = int(status, &["restartCount"]);
        restarts = restarts.saturating_add(count);
        if let Some(finished) = last_termination(status) {
            last_restart = later(last_restart, finished);
        }
        if restartable {
            restartable_init_restarts = restartable_init_restarts.saturating_add(count);
            if let Some(finished) = last_termination(status) {
                last_restartable_init_restart = later(last_restartable_init_restart, finished);
            }
        }
        let terminated = at(status, &["state", "terminated"]);
        let waiting_reason = text(status, &["state", "waiting", "reason"]);
        if terminated.is_some_and(|t| int(t, &["exitCode"]) == 0) {
            continue;
        }
        if restartable && opt_bool(status, &["started"]) == Some(true) {
            if opt_bool(status, &["ready"]) == Some(true) {
                ready += 1;
            }
            continue;
        }
        if let Some(terminated) = terminated {
            let terminated_reason = text(terminated, &["reason"]);
            reason = if terminated_reason.is_empty() {
                format!("Init:{}", termination_code(terminated))
            } else {
                format!("Init:{terminated_reason}")
            };
        } else if has(status, &["state", "waiting"])
            && !waiting_reason.is_empty()
            && waiting_reason != "PodInitializing"
        {
            reason = format!("Init:{waiting_reason}");
        } else {
            reason = format!("Init:{i}/{}", init_specs.len());
        }
        initializing = true;
        break;
    }

    if !initializing || condition_true(conditions, "Initialized") {
        restarts = restartable_init_restarts;
        last_restart = last_restartable_init_restart;
        let mut has_running = false;
        for status in list(obj, &["status", "containerStatuses"]).iter().rev() {
            restarts = restarts.saturating_add(int(status, &["restartCount"]));
            if let Some(finished) = last_termination(status) {
                last_restart = later(last_restart, finished);
            }
            let waiting_reason = text(status, &["state", "waiting", "reason"]);
            let terminated = at(status, &["state", "terminated"]);
            if has(status, &["state", "waiting"]) && !waiting_reason.is_empty() {
                reason = waiting_reason.to_string();
            } else if let Some(terminated) = terminated {
                let terminated_reason = text(terminated, &["reason"]);
                reason = if terminated_reason.is_empty() {
                    termination_code(terminated)
                } else {
                    terminated_reason.to_string()
                };
            } else if opt_bool(status, &["ready"]) == Some(true) && has(status, &["state", "running"]) {
                has_running = true;
                ready += 1;
            }
        }
        if reason == "Completed" && has_running {
            let pod_ready = conditions.iter().any(|c| text(c, &["type"]) == "Ready" && text(c, &["status"]) == "True");
            reason = if pod_ready { "Running" } else { "NotReady" }.to_string();
        }
    }

    let deleting = has(obj, &["metadata", "deletionTimestamp"]);
    if deleting && status_reason == NODE_UNREACHABLE_REASON {
        reason = "Unknown".to_string();
    } else if deleting && phase != "Succeeded" && phase != "Failed" {
        reason = "Terminating".to_string();
    }

    let restarts_cell = match last_restart {
        Some(t) if restarts != 0 => format!("{restarts} ({} ago)", since(Some(t), now)),
        _ => restarts.to_string(),
    };

    let or_none = |s: &str| {
        if s.is_empty() {
            "<none>".to_string()
        } else {
            s.to_string()
        }
    };
    let mut ip = text(obj, &["status", "podIP"]);
    if ip.is_empty() {
        ip = list(obj, &["status", "podIPs"]).first().map_or("", |p| text(p, &["ip"]));
    }
    let gates = list(obj, &["spec", "readinessGates"]);
    let readiness_gates = if gates.is_empty() {
        "<none>".to_string()
    } else {
        let satisfied = gates
            .iter()
            .filter(|gate| {
                let kind = text(gate, &["conditionType"]);
                conditions.iter().find(|c| text(c, &["type"]) == kind).is_some_and(|c| text(c, &["status"]) == "True")
            })
            .count();
        format!("{satisfied}/{}", gates.len())
    };

    vec![
        json!(name(obj)),
        json!(format!("{ready}/{total}")),
        json!(reason),
        json!(restarts_cell),
        json!(age(obj, now)),
        json!(or_none(ip)),
        json!(or_none(text(obj, &["spec", "nodeName"]))),
        json!(or_none(text(obj, &["status", "nominatedNodeName"]))),
        json!(readiness_gates),
    ]
}

/// Row conditions upstream attaches to pods that have finished.
pub(super) fn pod_row_conditions(obj: &Value) -> Option<Value> {
    let (reason, message) = match text(obj, &["status", "phase"]) {
        "Succeeded" => ("Succeeded", "The pod has completed successfully."),
        "Failed" => ("Failed", "The pod failed."),
        _ => return None,
    };
    Some(json!([{"type": "Completed", "status": "True", "reason": reason, "message": message}]))
}

/// Name, Containers, Images, Pod Labels.
pub(super) fn pod_template(obj: &Value) -> Vec<Value> {
    let (names, images) = container_cells(list(obj, &["template", "spec", "containers"]));
    let labels = format_labels(map(obj, &["template", "metadata", "labels"]));
    vec![json!(name(obj)), json!(names), json!(images), json!(labels)]
}
