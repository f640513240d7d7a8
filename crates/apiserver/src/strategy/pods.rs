//! Pods: status and QoS class on create, graceful deletion (a pod bound to a node is only
//! marked, until the kubelet confirms), and the scheduling-gated condition.

use serde_json::{json, Value};

use super::Hooks;

pub struct PodHooks;

/// Upstream's default `terminationGracePeriodSeconds`.
const DEFAULT_GRACE_SECONDS: i64 = 30;

/// The QoS class upstream derives from container requests and limits.
pub fn qos_class(pod: &Value) -> &'static str {
    let containers = ["containers", "initContainers"]
        .iter()
        .filter_map(|f| pod.pointer(&format!("/spec/{f}")).and_then(Value::as_array))
        .flatten();
    let mut any_set = false;
    let mut guaranteed = true;
    for c in containers {
        let requests = c.pointer("/resources/requests").and_then(Value::as_object);
        let limits = c.pointer("/resources/limits").and_then(Value::as_object);
        let relevant = |m: Option<&serde_json::Map<String, Value>>, r: &str| m.and_then(|m| m.get(r)).cloned();
        for resource in ["cpu", "memory"] {
            let (req, lim) = (relevant(requests, resource), relevant(limits, resource));
            if req.is_some() || lim.is_some() {
                any_set = true;
            }
            // Guaranteed needs a limit for both, and requests (defaulted from limits) equal to it.
            match (&req, &lim) {
                (_, None) => guaranteed = false,
                (Some(r), Some(l)) if r != l => guaranteed = false,
                _ => {}
            }
        }
    }
    match (any_set, guaranteed) {
        (false, _) => "BestEffort",
        (true, true) => "Guaranteed",
        (true, false) => "Burstable",
    }
}

impl Hooks for PodHooks {
    fn prepare_for_create(&self, obj: &mut Value) {
        // A new pod has not run yet: whatever status the client sent is replaced.
        let qos = qos_class(obj);
        let gated = obj.pointer("/spec/schedulingGates").and_then(Value::as_array).is_some_and(|g| !g.is_empty());
        let mut status = json!({"phase": "Pending", "qosClass": qos});
        if gated {
            status["conditions"] = json!([{
                "type": "PodScheduled", "status": "False", "lastProbeTime": null, "lastTransitionTime": null,
                "reason": "SchedulingGated", "message": "Scheduling is blocked due to non-empty scheduling gates"
            }]);
        }
        if let Value::Object(map) = obj {
            map.insert("status".into(), status);
        }
    }

    fn grace_period(&self, pod: &Value, requested: Option<i64>) -> Option<i64> {
        let spec_grace = pod.pointer("/spec/terminationGracePeriodSeconds").and_then(Value::as_i64);
        let mut period = requested.or(spec_grace).unwrap_or(DEFAULT_GRACE_SECONDS);
        let bound = pod.pointer("/spec/nodeName").and_then(Value::as_str).is_some_and(|n| !n.is_empty());
        let phase = pod.pointer("/status/phase").and_then(Value::as_str).unwrap_or("");
        if !bound || phase == "Succeeded" || phase == "Failed" {
            period = 0;
        }
        if period < 0 {
            period = 1;
        }
        Some(period)
    }

    fn prepare_for_status_update(&self, new: &mut Value, old: &Value) {
        // Old kubelets dropped the QoS class on rejection; it is fixed at creation.
        if new.pointer("/status/qosClass").and_then(Value::as_str).unwrap_or("").is_empty() {
            if let (Some(q), Some(status)) = (old.pointer("/status/qosClass").cloned(), new.get_mut("status")) {
                status["qosClass"] = q;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unbound_pod_is_deleted_at_once() {
        let pod = json!({"spec": {"containers": []}});
        assert_eq!(PodHooks.grace_period(&pod, None), Some(0));
    }

    #[test]
    fn a_bound_pod_waits_for_its_grace_period() {
        let pod =
            json!({"spec": {"nodeName": "n1", "terminationGracePeriodSeconds": 10}, "status": {"phase": "Running"}});
        assert_eq!(PodHooks.grace_period(&pod, None), Some(10));
        assert_eq!(PodHooks.grace_period(&pod, Some(0)), Some(0));
        assert_eq!(PodHooks.grace_period(&pod, Some(-5)), Some(1));
    }

    #[test]
    fn a_finished_pod_is_deleted_at_once() {
        let pod = json!({"spec": {"nodeName": "n1"}, "status": {"phase": "Succeeded"}});
        assert_eq!(PodHooks.grace_period(&pod, None), Some(0));
    }

    #[test]
    fn qos_classes_follow_requests_and_limits() {
        let best = json!({"spec": {"containers": [{"name": "a"}]}});
        assert_eq!(qos_class(&best), "BestEffort");
        let guaranteed = json!({"spec": {"containers": [{"resources": {
            "limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "1", "memory": "1Gi"}}}]}});
        assert_eq!(qos_class(&guaranteed), "Guaranteed");
        let burstable = json!({"spec": {"containers": [{"resources": {"requests": {"cpu": "100m"}}}]}});
        assert_eq!(qos_class(&burstable), "Burstable");
    }

    #[test]
    fn a_new_pod_is_pending_with_its_qos_class() {
        let mut pod = json!({"spec": {"containers": [{"name": "c"}]}, "status": {"phase": "Running"}});
        PodHooks.prepare_for_create(&mut pod);
        assert_eq!(pod["status"], json!({"phase": "Pending", "qosClass": "BestEffort"}));
    }
}
