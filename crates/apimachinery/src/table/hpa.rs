//! HorizontalPodAutoscalers, served as autoscaling/v2 and autoscaling/v1.
//!
//! Upstream prints from the internal (v2-shaped) object whichever version is asked
//! for. A v1 object carries its CPU target in `targetCPUUtilizationPercentage` and any
//! other metrics, JSON-encoded, in the `autoscaling.alpha.kubernetes.io/metrics` and
//! `.../current-metrics` annotations; those are turned back into v2 shape here.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::format::{age, at, int, list, name, opt_int, opt_text, quantity_or_zero, quantity_ptr, text};

const METRIC_SPECS_ANNOTATION: &str = "autoscaling.alpha.kubernetes.io/metrics";
const METRIC_STATUSES_ANNOTATION: &str = "autoscaling.alpha.kubernetes.io/current-metrics";

/// Name, Reference, Targets, MinPods, MaxPods, Replicas, Age.
pub(super) fn horizontal_pod_autoscaler(version: &str, obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let (specs, statuses) = if version == "v1" {
        v1_metrics(obj)
    } else {
        (list(obj, &["spec", "metrics"]).to_vec(), list(obj, &["status", "currentMetrics"]).to_vec())
    };
    let reference = format!(
        "{}/{}",
        text(obj, &["spec", "scaleTargetRef", "kind"]),
        text(obj, &["spec", "scaleTargetRef", "name"])
    );
    let min_pods = opt_int(obj, &["spec", "minReplicas"]).map_or_else(|| "<unset>".to_string(), |n| n.to_string());
    vec![
        json!(name(obj)),
        json!(reference),
        json!(format_metrics(&specs, &statuses)),
        json!(min_pods),
        json!(int(obj, &["spec", "maxReplicas"])),
        json!(int(obj, &["status", "currentReplicas"])),
        json!(age(obj, now)),
    ]
}

/// The part of a metric spec or status named by `key` (`resource`, `pods`...), or `null`.
fn part<'a>(metric: &'a Value, key: &str) -> &'a Value {
    at(metric, &[key]).unwrap_or(&Value::Null)
}

fn percent(v: Option<i64>) -> Option<String> {
    v.map(|n| format!("{n}%"))
}

/// One metric as `current/target`, reading the status at the same index.
fn format_metric(spec: &Value, status: Option<&Value>) -> String {
    let unknown = || "<unknown>".to_string();
    // The status's part of the same kind, when the status has one.
    let current = |key: &str| status.and_then(|s| at(s, &[key]));
    match text(spec, &["type"]) {
        kind @ ("External" | "Object") => {
            let key = if kind == "External" { "external" } else { "object" };
            let target = part(spec, key);
            if let Some(avg) = at(target, &["target", "averageValue"]) {
                let cur = current(key)
                    .and_then(|c| at(c, &["current", "averageValue"]))
                    .map_or_else(unknown, |q| quantity_ptr(Some(q)));
                format!("{cur}/{} (avg)", quantity_ptr(Some(avg)))
            } else {
                let cur = current(key).map_or_else(unknown, |c| quantity_ptr(at(c, &["current", "value"])));
                format!("{cur}/{}", quantity_ptr(at(target, &["target", "value"])))
            }
        }
        "Pods" => {
            let cur = current("pods").map_or_else(unknown, |c| quantity_ptr(at(c, &["current", "averageValue"])));
            format!("{cur}/{}", quantity_ptr(at(part(spec, "pods"), &["target", "averageValue"])))
        }
        kind @ ("Resource" | "ContainerResource") => {
            let key = if kind == "Resource" { "resource" } else { "containerResource" };
            let source = part(spec, key);
            let resource = text(source, &["name"]);
            if let Some(avg) = at(source, &["target", "averageValue"]) {
                let cur = current(key).map_or_else(unknown, |c| quantity_ptr(at(c, &["current", "averageValue"])));
                format!("{resource}: {cur}/{}", quantity_ptr(Some(avg)))
            } else {
                let cur = current(key)
                    .and_then(|c| percent(opt_int(c, &["current", "averageUtilization"])))
                    .unwrap_or_else(unknown);
                let target =
                    percent(opt_int(source, &["target", "averageUtilization"])).unwrap_or_else(|| "<auto>".to_string());
                format!("{resource}: {cur}/{target}")
            }
        }
        _ => "<unknown type>".to_string(),
    }
}

/// The Targets column: the first two metrics, then ` + N more...`; `<none>` without metrics.
fn format_metrics(specs: &[Value], statuses: &[Value]) -> String {
    if specs.is_empty() {
        return "<none>".to_string();
    }
    const MAX: usize = 2;
    let shown: Vec<String> =
        specs.iter().take(MAX).enumerate().map(|(i, spec)| format_metric(spec, statuses.get(i))).collect();
    let joined = shown.join(", ");
    if specs.len() > MAX {
        format!("{joined} + {} more...", specs.len() - MAX)
    } else {
        joined
    }
}

/// A JSON list kept in an annotation, when it parses.
fn annotation_list(obj: &Value, key: &str) -> Option<Vec<Value>> {
    let raw = opt_text(obj, &["metadata", "annotations", key])?;
    serde_json::from_str::<Vec<Value>>(raw).ok()
}

/// Sets `key` in `out` to `value` unless it is absent.
fn put(out: &mut serde_json::Map<String, Value>, key: &str, value: Option<&Value>) {
    if let Some(v) = value {
        out.insert(key.to_string(), v.clone());
    }
}

/// An autoscaling/v1 `MetricSpec` (as the annotation holds it) in v2 shape.
fn v1_spec_to_v2(m: &Value) -> Value {
    let kind = text(m, &["type"]);
    let mut target = serde_json::Map::new();
    let source = match kind {
        "Resource" | "ContainerResource" => {
            let key = if kind == "Resource" { "resource" } else { "containerResource" };
            let src = part(m, key);
            put(&mut target, "averageUtilization", at(src, &["targetAverageUtilization"]));
            put(&mut target, "averageValue", at(src, &["targetAverageValue"]));
            (key, json!({"name": text(src, &["name"]), "container": text(src, &["container"])}))
        }
        "Pods" => {
            // A value field, never nil.
            target.insert("averageValue".into(), json!(quantity_or_zero(at(part(m, "pods"), &["targetAverageValue"]))));
            ("pods", json!({}))
        }
        "Object" => {
            let src = part(m, "object");
            target.insert("value".into(), json!(quantity_or_zero(at(src, &["targetValue"]))));
            put(&mut target, "averageValue", at(src, &["averageValue"]));
            ("object", json!({}))
        }
        "External" => {
            let src = part(m, "external");
            put(&mut target, "value", at(src, &["targetValue"]));
            put(&mut target, "averageValue", at(src, &["targetAverageValue"]));
            ("external", json!({}))
        }
        _ => return json!({"type": kind}),
    };
    let (key, mut body) = source;
    if let Some(b) = body.as_object_mut() {
        b.insert("target".into(), Value::Object(target));
    }
    json!({"type": kind, key: body})
}

/// An autoscaling/v1 `MetricStatus` (as the annotation holds it) in v2 shape.
fn v1_status_to_v2(m: &Value) -> Value {
    let kind = text(m, &["type"]);
    let mut current = serde_json::Map::new();
    let key = match kind {
        "Resource" | "ContainerResource" => {
            let key = if kind == "Resource" { "resource" } else { "containerResource" };
            let src = part(m, key);
            put(&mut current, "averageUtilization", at(src, &["currentAverageUtilization"]));
            current.insert("averageValue".into(), json!(quantity_or_zero(at(src, &["currentAverageValue"]))));
            key
        }
        "Pods" => {
            let src = part(m, "pods");
            current.insert("averageValue".into(), json!(quantity_or_zero(at(src, &["currentAverageValue"]))));
            "pods"
        }
        "Object" => {
            let src = part(m, "object");
            current.insert("value".into(), json!(quantity_or_zero(at(src, &["currentValue"]))));
            put(&mut current, "averageValue", at(src, &["averageValue"]));
            "object"
        }
        "External" => {
            let src = part(m, "external");
            current.insert("value".into(), json!(quantity_or_zero(at(src, &["currentValue"]))));
            put(&mut current, "averageValue", at(src, &["currentAverageValue"]));
            "external"
        }
        _ => return json!({"type": kind}),
    };
    json!({"type": kind, key: {"current": Value::Object(current)}})
}

fn is_cpu_resource(m: &Value) -> bool {
    text(m, &["type"]) == "Resource" && text(m, &["resource", "name"]) == "cpu"
}

/// The metric specs and statuses of an autoscaling/v1 object, in v2 shape.
fn v1_metrics(obj: &Value) -> (Vec<Value>, Vec<Value>) {
    let statuses: Vec<Value> = match annotation_list(obj, METRIC_STATUSES_ANNOTATION) {
        // The annotation holds every status, the CPU one included, in the original order.
        Some(all) => all.iter().map(v1_status_to_v2).collect(),
        None => opt_int(obj, &["status", "currentCPUUtilizationPercentage"])
            .map(|n| {
                vec![json!({"type": "Resource", "resource": {"name": "cpu", "current": {"averageUtilization": n}}})]
            })
            .unwrap_or_default(),
    };
    let mut specs: Vec<Value> =
        annotation_list(obj, METRIC_SPECS_ANNOTATION).unwrap_or_default().iter().map(v1_spec_to_v2).collect();
    if let Some(cpu) = opt_int(obj, &["spec", "targetCPUUtilizationPercentage"]) {
        let metric = json!({
            "type": "Resource",
            "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": cpu}}
        });
        // v1 loses the CPU target's position; the statuses keep it, so put it back there.
        let position = statuses.iter().position(is_cpu_resource).unwrap_or(0).min(specs.len());
        specs.insert(position, metric);
    }
    (specs, statuses)
}
