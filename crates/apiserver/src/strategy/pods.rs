//! Pods: graceful deletion (a pod bound to a node is only marked, until the kubelet confirms).

use serde_json::Value;

use super::Hooks;

pub struct PodHooks;

/// Upstream's default `terminationGracePeriodSeconds`.
const DEFAULT_GRACE_SECONDS: i64 = 30;

impl Hooks for PodHooks {
    fn prepare_for_create(&self, obj: &mut Value) {
        // A new pod has not run yet: whatever status the client sent is replaced.
        if let Value::Object(map) = obj {
            map.insert("status".into(), serde_json::json!({"phase": "Pending"}));
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
}
