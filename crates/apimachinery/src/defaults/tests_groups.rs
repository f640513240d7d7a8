//! Kinds of the named groups: autoscaling, networking, storage, RBAC, scheduling,
//! discovery, admission registration, authentication, and those with no defaults.

use serde_json::json;

use super::tests::{assert_json, defaulted, served};

const RBAC: &str = "rbac.authorization.k8s.io";

#[test]
fn an_hpa_v2_without_metrics_targets_80_percent_cpu() {
    let body = json!({
        "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "web"},
        "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"}, "maxReplicas": 5}
    });
    let want = json!({
        "kind": "HorizontalPodAutoscaler", "apiVersion": "autoscaling/v2",
        "metadata": {"name": "web"},
        "spec": {
            "scaleTargetRef": {"kind": "Deployment", "name": "web", "apiVersion": "apps/v1"},
            "minReplicas": 1,
            "maxReplicas": 5,
            "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}}]
        },
        "status": {"desiredReplicas": 0}
    });
    assert_json(&served("autoscaling", "v2", "HorizontalPodAutoscaler", body), &want);
}

#[test]
fn an_hpa_v2_behavior_is_completed_with_upstreams_scaling_rules() {
    let body = json!({
        "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "web"}, "maxReplicas": 5, "minReplicas": 2,
                 "metrics": [{"type": "Resource", "resource": {"name": "memory", "target": {"type": "AverageValue", "averageValue": "100Mi"}}}],
                 "behavior": {"scaleDown": {"stabilizationWindowSeconds": 300}}}
    });
    let got = served("autoscaling", "v2", "HorizontalPodAutoscaler", body.clone());
    assert_eq!(got["spec"]["minReplicas"], 2);
    assert_eq!(got["spec"]["metrics"], body["spec"]["metrics"]);
    let want = json!({
        "scaleUp": {"stabilizationWindowSeconds": 0, "selectPolicy": "Max", "policies": [
            {"type": "Pods", "value": 4, "periodSeconds": 15}, {"type": "Percent", "value": 100, "periodSeconds": 15}]},
        "scaleDown": {"stabilizationWindowSeconds": 300, "selectPolicy": "Max", "policies": [
            {"type": "Percent", "value": 100, "periodSeconds": 15}]}
    });
    assert_json(&got["spec"]["behavior"], &want);
    let got = defaulted("autoscaling", "v2", "HorizontalPodAutoscaler", json!({"spec": {"behavior": {}}}));
    assert!(got["spec"]["behavior"]["scaleDown"].get("stabilizationWindowSeconds").is_none());
    let got = defaulted("autoscaling", "v2", "HorizontalPodAutoscaler", json!({"spec": {"maxReplicas": 3}}));
    assert!(got["spec"].get("behavior").is_none(), "no behavior is made up");
}

#[test]
fn an_hpa_v1_gets_one_minimum_replica_and_nothing_else() {
    let body = json!({"spec": {"scaleTargetRef": {"kind": "Deployment", "name": "web"}, "maxReplicas": 5}});
    let got = defaulted("autoscaling", "v1", "HorizontalPodAutoscaler", body);
    assert_eq!(
        got["spec"],
        json!({"scaleTargetRef": {"kind": "Deployment", "name": "web"}, "minReplicas": 1, "maxReplicas": 5})
    );
}

#[test]
fn a_network_policy_gets_policy_types_and_tcp_ports() {
    let body = json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "np"},
                      "spec": {"podSelector": {}, "ingress": [{"ports": [{"port": 80}]}], "egress": [{"ports": [{"port": 53, "protocol": "UDP"}]}]}});
    let want = json!({
        "kind": "NetworkPolicy", "apiVersion": "networking.k8s.io/v1",
        "metadata": {"name": "np"},
        "spec": {
            "podSelector": {},
            "ingress": [{"ports": [{"protocol": "TCP", "port": 80}]}],
            "egress": [{"ports": [{"protocol": "UDP", "port": 53}]}],
            "policyTypes": ["Ingress", "Egress"]
        }
    });
    assert_json(&served("networking.k8s.io", "v1", "NetworkPolicy", body), &want);
    let got = defaulted("networking.k8s.io", "v1", "NetworkPolicy", json!({"spec": {"podSelector": {}}}));
    assert_eq!(got["spec"]["policyTypes"], json!(["Ingress"]));
}

#[test]
fn an_ingress_class_scopes_its_parameters_to_the_cluster_and_ingresses_get_nothing() {
    let got = defaulted(
        "networking.k8s.io",
        "v1",
        "IngressClass",
        json!({"spec": {"controller": "example.com/ingress", "parameters": {"kind": "Params", "name": "p"}}}),
    );
    assert_eq!(got["spec"]["parameters"], json!({"kind": "Params", "name": "p", "scope": "Cluster"}));
    let ingress = json!({"metadata": {"name": "i"}, "spec": {"rules": [{"http": {"paths": [
        {"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "web", "port": {"number": 80}}}}]}}]}});
    assert_eq!(defaulted("networking.k8s.io", "v1", "Ingress", ingress.clone()), ingress);
}

#[test]
fn a_storage_class_deletes_and_binds_immediately() {
    let body = json!({"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": {"name": "fast"},
                      "provisioner": "kubernetes.io/no-provisioner"});
    let want = json!({
        "kind": "StorageClass", "apiVersion": "storage.k8s.io/v1",
        "metadata": {"name": "fast"},
        "provisioner": "kubernetes.io/no-provisioner",
        "reclaimPolicy": "Delete",
        "volumeBindingMode": "Immediate"
    });
    assert_json(&served("storage.k8s.io", "v1", "StorageClass", body), &want);
}

#[test]
fn a_csi_driver_gets_every_spec_default() {
    let body = json!({"apiVersion": "storage.k8s.io/v1", "kind": "CSIDriver", "metadata": {"name": "csi.example.com"}, "spec": {}});
    let want = json!({
        "kind": "CSIDriver", "apiVersion": "storage.k8s.io/v1",
        "metadata": {"name": "csi.example.com"},
        "spec": {
            "attachRequired": true,
            "podInfoOnMount": false,
            "volumeLifecycleModes": ["Persistent"],
            "storageCapacity": false,
            "fsGroupPolicy": "ReadWriteOnceWithFSType",
            "requiresRepublish": false,
            "seLinuxMount": false
        }
    });
    assert_json(&served("storage.k8s.io", "v1", "CSIDriver", body), &want);
}

#[test]
fn a_volume_attachments_inline_spec_gets_only_volume_source_defaults() {
    let got = defaulted(
        "storage.k8s.io",
        "v1",
        "VolumeAttachment",
        json!({"spec": {"attacher": "csi", "nodeName": "n", "source": {"inlineVolumeSpec": {"hostPath": {"path": "/x"}}}}}),
    );
    assert_eq!(got["spec"]["source"]["inlineVolumeSpec"], json!({"hostPath": {"path": "/x", "type": ""}}));
}

#[test]
fn rbac_bindings_name_the_rbac_group_for_roles_users_and_groups() {
    let body = json!({
        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": {"name": "rb", "namespace": "ns"},
        "roleRef": {"kind": "ClusterRole", "name": "view"},
        "subjects": [{"kind": "User", "name": "jane"}, {"kind": "ServiceAccount", "name": "default", "namespace": "ns"},
                     {"kind": "Group", "name": "devs", "apiGroup": "example.com"}]
    });
    let want = json!({
        "kind": "RoleBinding", "apiVersion": "rbac.authorization.k8s.io/v1",
        "metadata": {"name": "rb", "namespace": "ns"},
        "subjects": [{"kind": "User", "apiGroup": RBAC, "name": "jane"}, {"kind": "ServiceAccount", "name": "default", "namespace": "ns"},
                     {"kind": "Group", "apiGroup": "example.com", "name": "devs"}],
        "roleRef": {"apiGroup": RBAC, "kind": "ClusterRole", "name": "view"}
    });
    assert_json(&served(RBAC, "v1", "RoleBinding", body), &want);
    let got = defaulted(RBAC, "v1", "ClusterRoleBinding", json!({"subjects": [{"kind": "Group", "name": "g"}]}));
    assert_eq!(got["roleRef"]["apiGroup"], RBAC);
    assert_eq!(got["subjects"][0]["apiGroup"], RBAC);
}

#[test]
fn a_priority_class_preempts_lower_priorities() {
    let body = json!({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": "high"}, "value": 1000});
    let want = json!({
        "kind": "PriorityClass", "apiVersion": "scheduling.k8s.io/v1",
        "metadata": {"name": "high"}, "value": 1000, "preemptionPolicy": "PreemptLowerPriority"
    });
    assert_json(&served("scheduling.k8s.io", "v1", "PriorityClass", body), &want);
}

#[test]
fn endpoint_slice_ports_get_an_empty_name_and_tcp() {
    let body = json!({"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "metadata": {"name": "s"},
                      "addressType": "IPv4", "endpoints": [{"addresses": ["10.0.0.1"]}], "ports": [{"port": 80}]});
    let got = served("discovery.k8s.io", "v1", "EndpointSlice", body);
    assert_json(&got["ports"], &json!([{"name": "", "protocol": "TCP", "port": 80}]));
}

#[test]
fn webhook_configurations_get_upstreams_webhook_defaults() {
    let webhook = json!({
        "name": "v.example.com",
        "clientConfig": {"service": {"namespace": "default", "name": "svc"}},
        "rules": [{"operations": ["CREATE"], "apiGroups": [""], "apiVersions": ["v1"], "resources": ["pods"]}],
        "sideEffects": "None",
        "admissionReviewVersions": ["v1"]
    });
    let body = json!({"apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingWebhookConfiguration",
                      "metadata": {"name": "v"}, "webhooks": [webhook]});
    let want_webhook = json!({
        "name": "v.example.com",
        "clientConfig": {"service": {"namespace": "default", "name": "svc", "port": 443}},
        "rules": [{"operations": ["CREATE"], "apiGroups": [""], "apiVersions": ["v1"], "resources": ["pods"], "scope": "*"}],
        "failurePolicy": "Fail",
        "matchPolicy": "Equivalent",
        "namespaceSelector": {},
        "objectSelector": {},
        "sideEffects": "None",
        "timeoutSeconds": 10,
        "admissionReviewVersions": ["v1"]
    });
    let want = json!({"kind": "ValidatingWebhookConfiguration", "apiVersion": "admissionregistration.k8s.io/v1",
                      "metadata": {"name": "v"}, "webhooks": [want_webhook]});
    assert_json(&served("admissionregistration.k8s.io", "v1", "ValidatingWebhookConfiguration", body), &want);

    let body = json!({"metadata": {"name": "m"}, "webhooks": [webhook]});
    let got = served("admissionregistration.k8s.io", "v1", "MutatingWebhookConfiguration", body);
    let mut want_mutating = want_webhook.clone();
    if let Some(m) = want_mutating.as_object_mut() {
        m.insert("reinvocationPolicy".into(), "Never".into());
    }
    assert_json(&got["webhooks"][0], &want_mutating);
}

#[test]
fn a_token_request_lasts_an_hour_unless_it_says() {
    let got = defaulted("authentication.k8s.io", "v1", "TokenRequest", json!({"spec": {"audiences": ["api"]}}));
    assert_eq!(got["spec"], json!({"audiences": ["api"], "expirationSeconds": 3600}));
    let got = defaulted("authentication.k8s.io", "v1", "TokenRequest", json!({"spec": {"expirationSeconds": 600}}));
    assert_eq!(got["spec"]["expirationSeconds"], 600);
}

#[test]
fn kinds_of_groups_without_defaults_come_back_unchanged() {
    let cases = [
        (
            "policy",
            "PodDisruptionBudget",
            json!({"metadata": {"name": "p"}, "spec": {"minAvailable": 1, "selector": {"matchLabels": {"a": "b"}}}}),
        ),
        (
            "coordination.k8s.io",
            "Lease",
            json!({"metadata": {"name": "l"}, "spec": {"holderIdentity": "h", "leaseDurationSeconds": 15}}),
        ),
        (
            "certificates.k8s.io",
            "CertificateSigningRequest",
            json!({"metadata": {"name": "c"}, "spec": {"request": "cmVx", "signerName": "example.com/s", "usages": ["client auth"]}}),
        ),
        (
            "events.k8s.io",
            "Event",
            json!({"metadata": {"name": "e"}, "eventTime": "2024-01-01T00:00:00.000000Z", "reason": "R", "action": "A", "regarding": {"kind": "Pod", "name": "p"}}),
        ),
        (
            RBAC,
            "ClusterRole",
            json!({"metadata": {"name": "r"}, "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]}]}),
        ),
        (
            "apps",
            "ControllerRevision",
            json!({"metadata": {"name": "r"}, "data": {"spec": {"template": {}}}, "revision": 1}),
        ),
        (
            "storage.k8s.io",
            "CSINode",
            json!({"metadata": {"name": "n"}, "spec": {"drivers": [{"name": "d", "nodeID": "n"}]}}),
        ),
    ];
    for (group, kind, body) in cases {
        assert_eq!(defaulted(group, "v1", kind, body.clone()), body, "{kind}");
    }
}
