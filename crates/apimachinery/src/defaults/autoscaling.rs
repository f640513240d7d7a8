//! Defaults of HorizontalPodAutoscalers in `autoscaling/v1` and `autoscaling/v2`.

use serde_json::{json, Value};

use super::{absent, default_ptr, empty, ensure_object, object, Obj};

/// Target CPU utilization (percent) of an autoscaler that names no metric.
const DEFAULT_CPU_UTILIZATION: i64 = 80;

pub(super) fn defaults_v1(ty: &str, m: &mut Obj) {
    if ty == "HorizontalPodAutoscaler" {
        if let Some(spec) = ensure_object(m, "spec") {
            default_ptr(spec, "minReplicas", 1);
        }
    }
}

pub(super) fn defaults_v2(ty: &str, m: &mut Obj) {
    if ty != "HorizontalPodAutoscaler" {
        return;
    }
    let Some(spec) = ensure_object(m, "spec") else { return };
    default_ptr(spec, "minReplicas", 1);
    if empty(spec, "metrics") {
        spec.insert(
            "metrics".into(),
            json!([{
                "type": "Resource",
                "resource": {
                    "name": "cpu",
                    "target": { "type": "Utilization", "averageUtilization": DEFAULT_CPU_UTILIZATION }
                }
            }]),
        );
    }
    // Scaling rules are completed only when the autoscaler states a behavior at all.
    if let Some(behavior) = object(spec, "behavior") {
        if let Some(up) = ensure_object(behavior, "scaleUp") {
            complete_rules(
                up,
                Some(0),
                json!([
                    { "type": "Pods", "value": 4, "periodSeconds": 15 },
                    { "type": "Percent", "value": 100, "periodSeconds": 15 }
                ]),
            );
        }
        if let Some(down) = ensure_object(behavior, "scaleDown") {
            // The scale-down window stays unset: the controller's own flag decides it.
            complete_rules(down, None, json!([{ "type": "Percent", "value": 100, "periodSeconds": 15 }]));
        }
    }
}

/// Fills the parts of a scaling rule that are unset from upstream's default rule.
fn complete_rules(rules: &mut Obj, window: Option<i64>, policies: Value) {
    if let Some(window) = window {
        default_ptr(rules, "stabilizationWindowSeconds", window);
    }
    default_ptr(rules, "selectPolicy", "Max");
    if absent(rules, "policies") {
        rules.insert("policies".into(), policies);
    }
}
