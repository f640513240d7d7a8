use serde_json::{json, Value};

use super::{ago, names, row};

fn hpa(spec: Value, status: Value) -> Value {
    json!({"metadata": {"name": "web", "namespace": "default", "creationTimestamp": ago(20 * 60)}, "spec": spec, "status": status})
}

fn targets(version: &str, obj: &Value) -> Value {
    row("autoscaling", version, "horizontalpodautoscalers", obj)[2].clone()
}

#[test]
fn v2_cpu_utilization_hpa_prints_reference_targets_and_bounds() {
    assert_eq!(
        names("autoscaling", "v2", "horizontalpodautoscalers"),
        ["Name", "Reference", "Targets", "MinPods", "MaxPods", "Replicas", "Age"]
    );
    let obj = hpa(
        json!({"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"}, "minReplicas": 2, "maxReplicas": 10,
               "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}}]}),
        json!({"currentReplicas": 3, "desiredReplicas": 3,
               "currentMetrics": [{"type": "Resource", "resource": {"name": "cpu", "current": {"averageUtilization": 50, "averageValue": "120m"}}}]}),
    );
    assert_eq!(
        row("autoscaling", "v2", "horizontalpodautoscalers", &obj),
        [json!("web"), json!("Deployment/web"), json!("cpu: 50%/80%"), json!("2"), json!(10), json!(3), json!("20m"),]
    );
}

#[test]
fn v2_metrics_without_status_show_unknown_and_more_than_two_are_summarized() {
    let obj = hpa(
        json!({"maxReplicas": 5, "metrics": [
            {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}},
            {"type": "Resource", "resource": {"name": "memory", "target": {"type": "AverageValue", "averageValue": "512Mi"}}},
            {"type": "Pods", "pods": {"metric": {"name": "qps"}, "target": {"type": "AverageValue", "averageValue": "1k"}}}
        ]}),
        json!({}),
    );
    assert_eq!(targets("v2", &obj), json!("cpu: <unknown>/80%, memory: <unknown>/512Mi + 1 more..."));
}

#[test]
fn v2_every_metric_kind_formats_its_current_and_target() {
    let obj = hpa(
        json!({"metrics": [
            {"type": "Pods", "pods": {"metric": {"name": "qps"}, "target": {"type": "AverageValue", "averageValue": "1000"}}},
            {"type": "Object", "object": {"metric": {"name": "rps"}, "target": {"type": "Value", "value": "10"}}}
        ]}),
        json!({"currentMetrics": [
            {"type": "Pods", "pods": {"metric": {"name": "qps"}, "current": {"averageValue": "250"}}},
            {"type": "Object", "object": {"metric": {"name": "rps"}, "current": {"value": "4"}}}
        ]}),
    );
    assert_eq!(targets("v2", &obj), json!("250/1k, 4/10"));
    let avg = hpa(
        json!({"metrics": [
            {"type": "External", "external": {"metric": {"name": "queue"}, "target": {"type": "AverageValue", "averageValue": "30"}}},
            {"type": "External", "external": {"metric": {"name": "lag"}, "target": {"type": "Value", "value": "100"}}}
        ]}),
        json!({"currentMetrics": [
            {"type": "External", "external": {"current": {"averageValue": "12"}}},
            {"type": "External", "external": {"current": {}}}
        ]}),
    );
    assert_eq!(targets("v2", &avg), json!("12/30 (avg), <nil>/100"));
    let container = hpa(
        json!({"metrics": [
            {"type": "ContainerResource", "containerResource": {"name": "cpu", "container": "app", "target": {"type": "Utilization"}}},
            {"type": "Bogus"}
        ]}),
        json!({"currentMetrics": [{"type": "ContainerResource", "containerResource": {"name": "cpu", "current": {"averageUtilization": 7}}}]}),
    );
    assert_eq!(targets("v2", &container), json!("cpu: 7%/<auto>, <unknown type>"));
}

#[test]
fn hpa_without_metrics_or_min_replicas_prints_none_and_unset() {
    let cells = row("autoscaling", "v2", "horizontalpodautoscalers", &json!({}));
    assert_eq!(cells[1..6], [json!("/"), json!("<none>"), json!("<unset>"), json!(0), json!(0)]);
}

#[test]
fn v1_hpa_prints_its_cpu_target_like_v2() {
    let obj = hpa(
        json!({"scaleTargetRef": {"kind": "Deployment", "name": "web"}, "minReplicas": 1, "maxReplicas": 4,
               "targetCPUUtilizationPercentage": 60}),
        json!({"currentReplicas": 1, "currentCPUUtilizationPercentage": 12}),
    );
    assert_eq!(
        row("autoscaling", "v1", "horizontalpodautoscalers", &obj),
        [json!("web"), json!("Deployment/web"), json!("cpu: 12%/60%"), json!("1"), json!(4), json!(1), json!("20m"),]
    );
    let no_status = hpa(json!({"targetCPUUtilizationPercentage": 80}), json!({}));
    assert_eq!(targets("v1", &no_status), json!("cpu: <unknown>/80%"));
    assert_eq!(targets("v1", &hpa(json!({}), json!({}))), json!("<none>"));
}

#[test]
fn v1_hpa_restores_other_metrics_from_annotations() {
    let specs =
        json!([{"type": "Resource", "resource": {"name": "memory", "targetAverageValue": "256Mi"}}]).to_string();
    let statuses = json!([
        {"type": "Resource", "resource": {"name": "cpu", "currentAverageUtilization": 30, "currentAverageValue": "150m"}},
        {"type": "Resource", "resource": {"name": "memory", "currentAverageValue": "100Mi"}}
    ])
    .to_string();
    let mut obj = hpa(
        json!({"targetCPUUtilizationPercentage": 70, "maxReplicas": 3}),
        json!({"currentCPUUtilizationPercentage": 30}),
    );
    obj["metadata"]["annotations"] = json!({
        "autoscaling.alpha.kubernetes.io/metrics": specs,
        "autoscaling.alpha.kubernetes.io/current-metrics": statuses
    });
    assert_eq!(targets("v1", &obj), json!("cpu: 30%/70%, memory: 100Mi/256Mi"));
}
