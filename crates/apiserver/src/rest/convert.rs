//! Conversion between a served version and the version objects are stored in, for the
//! resources where they differ: autoscaling/v1 HPAs (stored as v2) and events.k8s.io/v1
//! Events (stored as core/v1 Events).

use apimachinery::meta;
use apimachinery::resource::ResourceInfo;
use serde_json::{json, Map, Value};

/// Annotation where upstream keeps v2-only HPA metrics while an object is read as v1.
const HPA_METRICS_ANNOTATION: &str = "autoscaling.alpha.kubernetes.io/metrics";
const HPA_CURRENT_METRICS_ANNOTATION: &str = "autoscaling.alpha.kubernetes.io/current-metrics";
const HPA_CONDITIONS_ANNOTATION: &str = "autoscaling.alpha.kubernetes.io/conditions";
const HPA_BEHAVIOR_ANNOTATION: &str = "autoscaling.alpha.kubernetes.io/behavior";

/// Converts a stored object to the version `res` serves.
pub fn to_served(res: &ResourceInfo, stored: Value) -> Value {
    if !res.needs_conversion() {
        return stored;
    }
    let mut out = match (res.group, res.version, res.kind) {
        ("autoscaling", "v1", _) => hpa_v2_to_v1(stored),
        ("events.k8s.io", "v1", _) => core_event_to_events_v1(stored),
        _ => stored,
    };
    meta::set_type_meta(&mut out, &res.api_version(), res.kind);
    out
}

/// Converts an object of the version `res` serves to the storage version.
pub fn to_storage(res: &ResourceInfo, served: Value) -> Value {
    if !res.needs_conversion() {
        return served;
    }
    let mut out = match (res.group, res.version) {
        ("autoscaling", "v1") => hpa_v1_to_v2(served),
        ("events.k8s.io", "v1") => events_v1_to_core_event(served),
        _ => served,
    };
    let storage_version = apimachinery::resource::api_version(res.storage_group, res.storage_version);
    meta::set_type_meta(&mut out, &storage_version, res.storage_kind);
    out
}

fn take(map: &mut Map<String, Value>, key: &str) -> Option<Value> {
    map.remove(key)
}

/// Moves fields between names; `pairs` are (from, to).
fn rename(mut obj: Value, pairs: &[(&str, &str)]) -> Value {
    if let Value::Object(map) = &mut obj {
        for (from, to) in pairs {
            if let Some(v) = take(map, from) {
                map.insert((*to).to_string(), v);
            }
        }
    }
    obj
}

const EVENT_RENAMES: &[(&str, &str)] = &[
    ("involvedObject", "regarding"),
    ("message", "note"),
    ("source", "deprecatedSource"),
    ("firstTimestamp", "deprecatedFirstTimestamp"),
    ("lastTimestamp", "deprecatedLastTimestamp"),
    ("count", "deprecatedCount"),
    ("reportingComponent", "reportingController"),
];

fn core_event_to_events_v1(event: Value) -> Value {
    rename(event, EVENT_RENAMES)
}

fn events_v1_to_core_event(event: Value) -> Value {
    let reversed: Vec<(&str, &str)> = EVENT_RENAMES.iter().map(|(a, b)| (*b, *a)).collect();
    rename(event, &reversed)
}

fn annotations_mut(obj: &mut Value) -> &mut Map<String, Value> {
    let md = meta::metadata_mut(obj);
    let entry = md.entry("annotations").or_insert_with(|| json!({}));
    if !entry.is_object() {
        *entry = json!({});
    }
    match entry {
        Value::Object(m) => m,
        _ => unreachable!("annotations was just made an object"),
    }
}

fn drop_empty_annotations(obj: &mut Value) {
    let md = meta::metadata_mut(obj);
    if md.get("annotations").and_then(Value::as_object).is_some_and(|a| a.is_empty()) {
        md.remove("annotations");
    }
}

fn is_cpu_utilization(metric: &Value) -> bool {
    metric.get("type").and_then(Value::as_str) == Some("Resource")
        && metric.pointer("/resource/name").and_then(Value::as_str) == Some("cpu")
        && metric.pointer("/resource/target/type").and_then(Value::as_str) == Some("Utilization")
}

fn hpa_v2_to_v1(mut hpa: Value) -> Value {
    let mut spec = json!({});
    let mut others: Vec<Value> = Vec::new();
    if let Some(v2spec) = hpa.get("spec") {
        for key in ["scaleTargetRef", "minReplicas", "maxReplicas"] {
            if let Some(v) = v2spec.get(key) {
                spec[key] = v.clone();
            }
        }
        for metric in v2spec.get("metrics").and_then(Value::as_array).into_iter().flatten() {
            if is_cpu_utilization(metric) && spec.get("targetCPUUtilizationPercentage").is_none() {
                if let Some(u) = metric.pointer("/resource/target/averageUtilization") {
                    spec["targetCPUUtilizationPercentage"] = u.clone();
                }
            } else {
                others.push(metric.clone());
            }
        }
    }
    let behavior = hpa.pointer("/spec/behavior").cloned();
    let mut status = json!({});
    let mut current_others: Vec<Value> = Vec::new();
    let mut conditions = None;
    if let Some(v2status) = hpa.get("status") {
        for key in ["observedGeneration", "lastScaleTime", "currentReplicas", "desiredReplicas"] {
            if let Some(v) = v2status.get(key) {
                status[key] = v.clone();
            }
        }
        for metric in v2status.get("currentMetrics").and_then(Value::as_array).into_iter().flatten() {
            let cpu = metric.get("type").and_then(Value::as_str) == Some("Resource")
                && metric.pointer("/resource/name").and_then(Value::as_str) == Some("cpu");
            match metric.pointer("/resource/current/averageUtilization") {
                Some(u) if cpu => status["currentCPUUtilizationPercentage"] = u.clone(),
                _ => current_others.push(metric.clone()),
            }
        }
        conditions = v2status.get("conditions").filter(|c| c.as_array().is_some_and(|a| !a.is_empty())).cloned();
    }
    if let Value::Object(map) = &mut hpa {
        map.insert("spec".into(), spec);
        map.insert("status".into(), status);
    }
    let annotations = annotations_mut(&mut hpa);
    if !others.is_empty() {
        annotations.insert(HPA_METRICS_ANNOTATION.into(), Value::String(Value::Array(others).to_string()));
    }
    if !current_others.is_empty() {
        annotations
            .insert(HPA_CURRENT_METRICS_ANNOTATION.into(), Value::String(Value::Array(current_others).to_string()));
    }
    if let Some(c) = conditions {
        annotations.insert(HPA_CONDITIONS_ANNOTATION.into(), Value::String(c.to_string()));
    }
    if let Some(b) = behavior {
        annotations.insert(HPA_BEHAVIOR_ANNOTATION.into(), Value::String(b.to_string()));
    }
    drop_empty_annotations(&mut hpa);
    hpa
}

fn parse_annotation(annotations: &mut Map<String, Value>, key: &str) -> Option<Value> {
    let text = annotations.remove(key)?;
    serde_json::from_str(text.as_str()?).ok()
}

fn hpa_v1_to_v2(mut hpa: Value) -> Value {
    let annotations = annotations_mut(&mut hpa);
    let mut metrics: Vec<Value> = Vec::new();
    let carried = parse_annotation(annotations, HPA_METRICS_ANNOTATION);
    let current_carried = parse_annotation(annotations, HPA_CURRENT_METRICS_ANNOTATION);
    let conditions = parse_annotation(annotations, HPA_CONDITIONS_ANNOTATION);
    let behavior = parse_annotation(annotations, HPA_BEHAVIOR_ANNOTATION);
    drop_empty_annotations(&mut hpa);

    let mut spec = json!({});
    if let Some(v1spec) = hpa.get("spec") {
        for key in ["scaleTargetRef", "minReplicas", "maxReplicas"] {
            if let Some(v) = v1spec.get(key) {
                spec[key] = v.clone();
            }
        }
        if let Some(u) = v1spec.get("targetCPUUtilizationPercentage") {
            metrics.push(json!({"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": u}}}));
        }
    }
    if let Some(Value::Array(more)) = carried {
        metrics.extend(more);
    }
    if !metrics.is_empty() {
        spec["metrics"] = Value::Array(metrics);
    }
    if let Some(b) = behavior {
        spec["behavior"] = b;
    }
    let mut status = json!({});
    if let Some(v1status) = hpa.get("status") {
        for key in ["observedGeneration", "lastScaleTime", "currentReplicas", "desiredReplicas"] {
            if let Some(v) = v1status.get(key) {
                status[key] = v.clone();
            }
        }
        let mut current: Vec<Value> = Vec::new();
        if let Some(u) = v1status.get("currentCPUUtilizationPercentage") {
            current
                .push(json!({"type": "Resource", "resource": {"name": "cpu", "current": {"averageUtilization": u}}}));
        }
        if let Some(Value::Array(more)) = current_carried {
            current.extend(more);
        }
        if !current.is_empty() {
            status["currentMetrics"] = Value::Array(current);
        }
    }
    if let Some(c) = conditions {
        status["conditions"] = c;
    }
    if let Value::Object(map) = &mut hpa {
        map.insert("spec".into(), spec);
        map.insert("status".into(), status);
    }
    hpa
}

#[cfg(test)]
mod tests {
    use super::*;
    use apimachinery::resource::lookup;

    #[test]
    fn an_hpa_round_trips_through_v1_without_losing_v2_metrics() {
        let v1 = lookup("autoscaling", "v1", "horizontalpodautoscalers").expect("hpa v1");
        let stored = json!({
            "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "web", "apiVersion": "apps/v1"}, "minReplicas": 1, "maxReplicas": 5,
                     "metrics": [
                        {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 60}}},
                        {"type": "Resource", "resource": {"name": "memory", "target": {"type": "AverageValue", "averageValue": "100Mi"}}}
                     ]},
            "status": {"currentReplicas": 2, "desiredReplicas": 2}
        });
        let served = to_served(v1, stored.clone());
        assert_eq!(served["apiVersion"], "autoscaling/v1");
        assert_eq!(served["spec"]["targetCPUUtilizationPercentage"], 60);
        assert!(served["metadata"]["annotations"][HPA_METRICS_ANNOTATION]
            .as_str()
            .is_some_and(|s| s.contains("memory")));
        let back = to_storage(v1, served);
        assert_eq!(back["apiVersion"], "autoscaling/v2");
        assert_eq!(back["spec"]["metrics"], stored["spec"]["metrics"]);
        assert!(back["metadata"].get("annotations").is_none());
    }

    #[test]
    fn events_rename_their_fields_between_groups() {
        let ev = lookup("events.k8s.io", "v1", "events").expect("events");
        let core = json!({"apiVersion": "v1", "kind": "Event", "metadata": {"name": "e"},
            "involvedObject": {"kind": "Pod", "name": "p"}, "message": "hello", "count": 3, "reason": "Started"});
        let served = to_served(ev, core.clone());
        assert_eq!(served["apiVersion"], "events.k8s.io/v1");
        assert_eq!(served["regarding"]["name"], "p");
        assert_eq!(served["note"], "hello");
        assert_eq!(served["deprecatedCount"], 3);
        assert_eq!(to_storage(ev, served), core);
    }
}
