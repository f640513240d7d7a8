//! Garbage never crashes validation: every field of realistic objects is replaced by
//! values of other JSON types; validation must not panic, and a value of the wrong type
//! must produce a cause.

use std::panic::{catch_unwind, AssertUnwindSafe};

use serde_json::{json, Value};

use super::tests_pod::pod;
use super::{validate_create, validate_status_update, validate_update};

fn samples() -> Vec<(&'static str, &'static str, &'static str, Value)> {
    let mut dep = super::tests_apps::deployment();
    dep["spec"]["template"]["spec"]["volumes"] =
        json!([{"name": "cfg", "configMap": {"name": "c", "items": [{"key": "k", "path": "p"}]}}]);
    dep["spec"]["template"]["spec"]["containers"][0]["volumeMounts"] = json!([{"name": "cfg", "mountPath": "/etc/c"}]);
    dep["spec"]["template"]["spec"]["containers"][0]["env"] = json!([{"name": "A", "value": "1"}, {"name": "B", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}}]);
    dep["spec"]["template"]["spec"]["containers"][0]["livenessProbe"] =
        json!({"httpGet": {"path": "/", "port": 80, "scheme": "HTTP"}, "periodSeconds": 10, "successThreshold": 1});
    dep["spec"]["template"]["spec"]["containers"][0]["resources"] =
        json!({"limits": {"cpu": "1"}, "requests": {"cpu": "500m"}});
    dep["spec"]["template"]["spec"]["affinity"] = json!({"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution":
        {"nodeSelectorTerms": [{"matchExpressions": [{"key": "zone", "operator": "In", "values": ["a"]}]}]}}});
    let mut job_pod = pod()["spec"].clone();
    job_pod["restartPolicy"] = json!("Never");
    let meta = json!({"name": "x", "namespace": "default", "uid": "u", "resourceVersion": "1", "labels": {"a": "b"}});
    let cluster = json!({"name": "x", "uid": "u", "resourceVersion": "1"});
    vec![
        ("", "v1", "Pod", pod()),
        ("apps", "v1", "Deployment", dep),
        (
            "",
            "v1",
            "Service",
            json!({"metadata": meta, "spec": {"type": "NodePort", "ports": [{"name": "h", "port": 80, "protocol": "TCP", "targetPort": 80, "nodePort": 30001}],
            "selector": {"a": "b"}, "clusterIP": "10.0.0.1", "clusterIPs": ["10.0.0.1"], "sessionAffinity": "None",
            "externalTrafficPolicy": "Cluster", "internalTrafficPolicy": "Cluster", "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack"}}),
        ),
        ("", "v1", "ConfigMap", json!({"metadata": meta, "data": {"a": "b"}, "binaryData": {"c": "ZA=="}})),
        ("", "v1", "Secret", json!({"metadata": meta, "type": "Opaque", "data": {"a": "Yg=="}})),
        (
            "",
            "v1",
            "PersistentVolumeClaim",
            json!({"metadata": meta, "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}),
        ),
        (
            "",
            "v1",
            "Node",
            json!({"metadata": cluster, "spec": {"taints": [{"key": "a", "effect": "NoSchedule"}], "podCIDRs": ["10.0.0.0/24"]},
            "status": {"capacity": {"cpu": "2"}}}),
        ),
        (
            "batch",
            "v1",
            "CronJob",
            json!({"metadata": meta, "spec": {"schedule": "* * * * *", "concurrencyPolicy": "Allow",
            "jobTemplate": {"spec": {"template": {"spec": job_pod}}}}}),
        ),
        (
            "autoscaling",
            "v2",
            "HorizontalPodAutoscaler",
            json!({"metadata": meta, "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "x"}, "minReplicas": 1, "maxReplicas": 3,
            "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 50}}}]}}),
        ),
        (
            "rbac.authorization.k8s.io",
            "v1",
            "RoleBinding",
            json!({"metadata": meta, "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "r"},
            "subjects": [{"kind": "User", "apiGroup": "rbac.authorization.k8s.io", "name": "u"}]}),
        ),
        (
            "networking.k8s.io",
            "v1",
            "Ingress",
            json!({"metadata": meta, "spec": {"rules": [{"host": "a.com", "http": {"paths": [
            {"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "s", "port": {"number": 80}}}}]}}]}}),
        ),
        (
            "discovery.k8s.io",
            "v1",
            "EndpointSlice",
            json!({"metadata": meta, "addressType": "IPv4",
            "endpoints": [{"addresses": ["10.0.0.1"]}], "ports": [{"name": "h", "port": 80, "protocol": "TCP"}]}),
        ),
        (
            "policy",
            "v1",
            "PodDisruptionBudget",
            json!({"metadata": meta, "spec": {"minAvailable": "50%", "selector": {"matchLabels": {"a": "b"}}}}),
        ),
        ("apps", "v1", "StatefulSet", super::tests_apps::stateful_set()),
        ("apps", "v1", "DaemonSet", super::tests_apps::daemon_set()),
        ("batch", "v1", "Job", super::tests_apps::job()),
        ("", "v1", "ReplicationController", super::tests_apps::rc()),
        ("", "v1", "PersistentVolume", super::tests_core::pv()),
        (
            "",
            "v1",
            "Endpoints",
            json!({"metadata": meta, "subsets": [{"addresses": [{"ip": "10.0.0.5", "hostname": "a", "nodeName": "n"}],
            "notReadyAddresses": [{"ip": "10.0.0.6"}], "ports": [{"name": "h", "port": 80, "protocol": "TCP", "appProtocol": "http"}]}]}),
        ),
        (
            "",
            "v1",
            "LimitRange",
            json!({"metadata": meta, "spec": {"limits": [{"type": "Container", "max": {"cpu": "2"}, "min": {"cpu": "1"},
            "default": {"cpu": "1"}, "defaultRequest": {"cpu": "1"}, "maxLimitRequestRatio": {"cpu": "2"}}]}}),
        ),
        (
            "",
            "v1",
            "ResourceQuota",
            json!({"metadata": meta, "spec": {"hard": {"pods": "3"}, "scopes": ["NotTerminating"],
            "scopeSelector": {"matchExpressions": [{"scopeName": "PriorityClass", "operator": "In", "values": ["high"]}]}}}),
        ),
        ("", "v1", "Namespace", json!({"metadata": cluster, "spec": {"finalizers": ["kubernetes"]}})),
        (
            "",
            "v1",
            "Event",
            json!({"metadata": meta, "involvedObject": {"kind": "Pod", "namespace": "default", "name": "p"}, "reason": "r", "type": "Normal"}),
        ),
        (
            "networking.k8s.io",
            "v1",
            "NetworkPolicy",
            json!({"metadata": meta, "spec": {"podSelector": {}, "policyTypes": ["Ingress", "Egress"],
            "ingress": [{"from": [{"podSelector": {"matchLabels": {"a": "b"}}}, {"ipBlock": {"cidr": "10.0.0.0/8", "except": ["10.1.0.0/16"]}}], "ports": [{"port": 80, "endPort": 90}]}],
            "egress": [{"to": [{"namespaceSelector": {}}]}]}}),
        ),
        (
            "storage.k8s.io",
            "v1",
            "StorageClass",
            json!({"metadata": cluster, "provisioner": "a.io/b", "reclaimPolicy": "Delete", "volumeBindingMode": "Immediate",
            "parameters": {"x": "y"}, "allowedTopologies": [{"matchLabelExpressions": [{"key": "zone", "values": ["a"]}]}]}),
        ),
        (
            "storage.k8s.io",
            "v1",
            "CSIDriver",
            json!({"metadata": {"name": "a.csi.io", "uid": "u"}, "spec": {"attachRequired": true, "podInfoOnMount": false,
            "storageCapacity": false, "fsGroupPolicy": "File", "requiresRepublish": false, "tokenRequests": [{"audience": "a", "expirationSeconds": 3600}]}}),
        ),
        (
            "coordination.k8s.io",
            "v1",
            "Lease",
            json!({"metadata": meta, "spec": {"holderIdentity": "h", "leaseDurationSeconds": 10}}),
        ),
        (
            "scheduling.k8s.io",
            "v1",
            "PriorityClass",
            json!({"metadata": cluster, "value": 10, "globalDefault": false, "preemptionPolicy": "Never"}),
        ),
        (
            "rbac.authorization.k8s.io",
            "v1",
            "ClusterRole",
            json!({"metadata": cluster, "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]}],
            "aggregationRule": {"clusterRoleSelectors": [{"matchLabels": {"a": "b"}}]}}),
        ),
        (
            "admissionregistration.k8s.io",
            "v1",
            "MutatingWebhookConfiguration",
            json!({"metadata": cluster, "webhooks": [{"name": "a.b.c",
            "sideEffects": "None", "admissionReviewVersions": ["v1"], "reinvocationPolicy": "Never",
            "clientConfig": {"url": "https://hook.example.com/x"}, "rules": [{"operations": ["*"], "apiGroups": ["*"], "apiVersions": ["*"], "resources": ["*"]}]}]}),
        ),
        ("networking.k8s.io", "v1", "Ingress", super::tests_other::ingress()),
        ("autoscaling", "v2", "HorizontalPodAutoscaler", super::tests_other::hpa()),
    ]
}

/// Every JSON pointer in `v` (the root excluded).
fn pointers(v: &Value, prefix: &str, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let p = format!("{prefix}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(p.clone());
                pointers(x, &p, out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                let p = format!("{prefix}/{i}");
                out.push(p.clone());
                pointers(x, &p, out);
            }
        }
        _ => {}
    }
}

fn kind_of(v: &Value) -> u8 {
    match v {
        Value::Null => 0,
        Value::Bool(_) => 1,
        Value::Number(_) => 2,
        Value::String(_) => 3,
        Value::Array(_) => 4,
        Value::Object(_) => 5,
    }
}

/// Fields the server owns or that hold free-form values, where a type change is not ours to report.
fn exempt(pointer: &str) -> bool {
    pointer.starts_with("/status")
        || pointer == "/apiVersion"
        || pointer == "/kind"
        || pointer.contains("/managedFields")
}

/// Fields that hold an int-or-string or a quantity, where strings and numbers both fit.
fn int_or_string(pointer: &str) -> bool {
    pointer.ends_with("/port")
        || pointer.ends_with("/targetPort")
        || pointer.contains("/requests/")
        || pointer.contains("/limits/")
        || pointer.contains("/capacity/")
}

#[test]
fn garbage_anywhere_never_panics_and_wrong_types_are_reported() {
    let garbage = [
        json!("garbage"),
        json!(-7),
        json!(2.5),
        json!(true),
        json!(null),
        json!([]),
        json!({}),
        json!([1, "x", null, {}]),
        json!({"k": [1]}),
    ];
    let mut silent = Vec::new();
    for (group, version, kind, valid) in samples() {
        assert!(
            validate_create(group, version, kind, &valid).is_empty(),
            "{kind} sample is not valid: {:?}",
            validate_create(group, version, kind, &valid)
        );
        let mut ptrs = Vec::new();
        pointers(&valid, "", &mut ptrs);
        for p in &ptrs {
            let original = valid.pointer(p).cloned().unwrap_or(Value::Null);
            for g in &garbage {
                let mut bad = valid.clone();
                if let Some(slot) = bad.pointer_mut(p) {
                    *slot = g.clone();
                }
                let outcome = catch_unwind(AssertUnwindSafe(|| {
                    let c = validate_create(group, version, kind, &bad);
                    let _ = validate_update(group, version, kind, &bad, &valid);
                    let _ = validate_update(group, version, kind, &valid, &bad);
                    let _ = validate_status_update(group, version, kind, &bad, &valid);
                    c
                }));
                let causes = match outcome {
                    Ok(c) => c,
                    Err(_) => panic!("{kind}: setting {p} to {g} panicked"),
                };
                let numeric_or_text = |v: &Value| v.is_number() || v.is_string();
                let union = int_or_string(p) && numeric_or_text(g) && numeric_or_text(&original);
                let same_type = kind_of(g) == kind_of(&original) || (g.is_number() && original.is_number());
                let wrong_type = !(g.is_null() || same_type || union);
                if wrong_type && !exempt(p) && causes.is_empty() {
                    silent.push(format!("{kind} {p} = {g}"));
                }
            }
        }
    }
    assert!(silent.is_empty(), "{} wrong-typed values passed silently:\n{}", silent.len(), silent.join("\n"));
}

#[test]
fn non_objects_are_refused_at_the_root() {
    for v in [json!(null), json!("pod"), json!([1]), json!(3)] {
        let c = validate_create("", "v1", "Pod", &v);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].reason, "FieldValueTypeInvalid");
        assert!(!validate_update("", "v1", "Pod", &v, &pod()).is_empty());
        assert!(validate_update("", "v1", "Pod", &pod(), &v).iter().all(|c| !c.message.is_empty()));
    }
}

#[test]
fn wrong_types_are_reported_as_type_invalid_at_their_path() {
    let mut p = pod();
    p["spec"]["containers"][0]["ports"][0]["containerPort"] = json!("eighty");
    let c = validate_create("", "v1", "Pod", &p);
    assert!(
        c.iter().any(|c| c.field == "spec.containers[0].ports[0].containerPort"
            && c.message == "Invalid value: \"eighty\": must be of type integer"
            && c.reason == "FieldValueTypeInvalid"),
        "{c:?}"
    );
}
