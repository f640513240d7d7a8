//! JSON -> protobuf -> JSON round trips of realistic objects.
//!
//! What comes back must be what upstream prints for the object: the input after
//! `normalize` and `fill_defaults`. Re-encoding the result must give the same bytes.

use serde_json::{json, Value};

use super::{decode, encode};
use crate::resource::split_api_version;
use crate::schema::{fill_defaults, normalize};

fn go_form(obj: &Value) -> Value {
    let mut v = obj.clone();
    let (group, version) = split_api_version(v["apiVersion"].as_str().unwrap_or_default());
    let (group, version) = (group.to_string(), version.to_string());
    let kind = v["kind"].as_str().unwrap_or_default().to_string();
    normalize(&group, &version, &kind, &mut v);
    fill_defaults(&group, &version, &kind, &mut v);
    v
}

fn round_trip(obj: &Value) -> Value {
    let body = encode(obj).expect("encodes");
    let back = decode(&body).expect("decodes");
    // As text, so that member order (Go's field order) is checked too.
    assert_eq!(back.to_string(), go_form(obj).to_string(), "round trip differs from upstream's JSON");
    assert_eq!(encode(&back).expect("re-encodes"), body, "re-encoding changes the bytes");
    back
}

fn pod() -> Value {
    json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "web-0", "namespace": "default", "uid": "6b5c6c1a-0000-4000-8000-000000000001",
            "resourceVersion": "42", "generation": 1, "creationTimestamp": "2024-05-06T07:08:09Z",
            "labels": {"app": "web", "tier": "frontend"}, "annotations": {"note": "x"},
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "web",
                "uid": "6b5c6c1a-0000-4000-8000-000000000002", "controller": true, "blockOwnerDeletion": true}],
            "finalizers": ["example.com/keep"],
            "managedFields": [{"manager": "kubectl", "operation": "Apply", "apiVersion": "v1",
                "time": "2024-05-06T07:08:09Z", "fieldsType": "FieldsV1",
                "fieldsV1": {"f:metadata": {"f:labels": {"f:app": {}}}}}]},
        "spec": {
            "volumes": [
                {"name": "config", "configMap": {"name": "web-config", "items": [{"key": "a", "path": "a.conf", "mode": 420}], "defaultMode": 420}},
                {"name": "data", "persistentVolumeClaim": {"claimName": "data-web-0"}},
                {"name": "scratch", "emptyDir": {"medium": "Memory", "sizeLimit": "64Mi"}},
                {"name": "token", "projected": {"sources": [{"serviceAccountToken": {"expirationSeconds": 3600, "path": "token"}}]}}
            ],
            "initContainers": [{"name": "init", "image": "busybox:1.36", "command": ["sh", "-c", "true"]}],
            "containers": [{
                "name": "web", "image": "nginx:1.25", "args": ["-g", "daemon off;"], "workingDir": "/srv",
                "ports": [{"name": "http", "containerPort": 80, "protocol": "TCP"}, {"containerPort": 443, "hostPort": 8443}],
                "env": [
                    {"name": "MODE", "value": "prod"},
                    {"name": "POD_IP", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "status.podIP"}}},
                    {"name": "LIMIT", "valueFrom": {"resourceFieldRef": {"resource": "limits.memory", "divisor": "1Mi"}}}
                ],
                "envFrom": [{"configMapRef": {"name": "web-env"}}],
                "resources": {"limits": {"cpu": "500m", "memory": "128Mi"}, "requests": {"cpu": "250m", "memory": "64Mi"}},
                "volumeMounts": [{"name": "config", "mountPath": "/etc/web", "readOnly": true}],
                "livenessProbe": {"httpGet": {"path": "/healthz", "port": "http", "scheme": "HTTP"},
                    "initialDelaySeconds": 5, "periodSeconds": 10, "timeoutSeconds": 1, "successThreshold": 1, "failureThreshold": 3},
                "readinessProbe": {"tcpSocket": {"port": 80}, "periodSeconds": 5},
                "startupProbe": {"exec": {"command": ["cat", "/tmp/ready"]}, "failureThreshold": 30},
                "lifecycle": {"preStop": {"sleep": {"seconds": 5}}},
                "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
                "imagePullPolicy": "IfNotPresent",
                "securityContext": {"runAsNonRoot": true, "runAsUser": 1000, "allowPrivilegeEscalation": false,
                    "capabilities": {"drop": ["ALL"]}, "seccompProfile": {"type": "RuntimeDefault"}}
            }],
            "restartPolicy": "Always", "terminationGracePeriodSeconds": 30, "dnsPolicy": "ClusterFirst",
            "nodeSelector": {"kubernetes.io/os": "linux"}, "serviceAccountName": "web",
            "securityContext": {"fsGroup": 2000, "supplementalGroups": [3000, 4000]},
            "hostname": "web-0", "subdomain": "web",
            "affinity": {
                "nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
                    {"matchExpressions": [{"key": "zone", "operator": "In", "values": ["a", "b"]}]}]}},
                "podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [{"weight": 100,
                    "podAffinityTerm": {"labelSelector": {"matchLabels": {"app": "web"}}, "topologyKey": "kubernetes.io/hostname"}}]}
            },
            "tolerations": [
                {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
                {"key": "dedicated", "operator": "Equal", "value": "web", "effect": "NoSchedule"}
            ],
            "schedulerName": "default-scheduler", "priority": 0, "enableServiceLinks": true,
            "preemptionPolicy": "PreemptLowerPriority",
            "topologySpreadConstraints": [{"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule",
                "labelSelector": {"matchLabels": {"app": "web"}}}]
        },
        "status": {
            "phase": "Running", "hostIP": "10.0.0.5", "podIP": "10.1.0.7", "podIPs": [{"ip": "10.1.0.7"}],
            "startTime": "2024-05-06T07:08:10Z", "qosClass": "Burstable",
            "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": "2024-05-06T07:08:20Z"}],
            "containerStatuses": [{"name": "web", "ready": true, "restartCount": 0, "image": "nginx:1.25",
                "imageID": "docker.io/library/nginx@sha256:0", "containerID": "containerd://abc", "started": true,
                "state": {"running": {"startedAt": "2024-05-06T07:08:15Z"}}}]
        }
    })
}

#[test]
fn a_realistic_pod_round_trips() {
    let back = round_trip(&pod());
    let c = &back["spec"]["containers"][0];
    assert_eq!(c["livenessProbe"]["httpGet"]["port"], "http");
    assert_eq!(c["readinessProbe"]["tcpSocket"]["port"], 80);
    assert_eq!(back["spec"]["volumes"][0]["configMap"]["name"], "web-config");
    assert_eq!(back["spec"]["priority"], 0);
    assert_eq!(back["spec"]["initContainers"][0]["resources"], json!({}));
    assert_eq!(back["metadata"]["managedFields"][0]["fieldsV1"], json!({"f:metadata": {"f:labels": {"f:app": {}}}}));
}

#[test]
fn a_deployment_keeps_zero_replicas() {
    let deploy = json!({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {"replicas": 0, "selector": {"matchLabels": {"app": "web"}},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": 1}},
            "revisionHistoryLimit": 10, "progressDeadlineSeconds": 600,
            "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "web", "image": "nginx"}]}}},
        "status": {"observedGeneration": 1}});
    let back = round_trip(&deploy);
    assert_eq!(back["spec"]["replicas"], 0);
    assert_eq!(back["spec"]["strategy"]["rollingUpdate"], json!({"maxUnavailable": "25%", "maxSurge": 1}));
}

#[test]
fn a_service_round_trips() {
    let svc = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "default"},
        "spec": {"type": "ClusterIP", "selector": {"app": "web"}, "clusterIP": "10.96.0.10", "clusterIPs": ["10.96.0.10"],
            "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack", "sessionAffinity": "None",
            "ports": [{"name": "http", "protocol": "TCP", "port": 80, "targetPort": "http"},
                      {"name": "https", "protocol": "TCP", "port": 443, "targetPort": 8443}]},
        "status": {"loadBalancer": {}}});
    let back = round_trip(&svc);
    assert_eq!(back["spec"]["ports"][1]["targetPort"], 8443);
}

#[test]
fn zero_valued_structs_are_never_omitted() {
    // targetPort is a non-pointer IntOrString with omitempty: Go still prints it.
    let svc = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"},
        "spec": {"ports": [{"port": 80, "targetPort": 0}, {"port": 81, "targetPort": ""}]}});
    let back = round_trip(&svc);
    assert_eq!(back["spec"]["ports"][0]["targetPort"], 0);
    assert_eq!(back["spec"]["ports"][1]["targetPort"], "");
    assert_eq!(back["status"], json!({"loadBalancer": {}}));
}

#[test]
fn config_maps_and_secrets_keep_their_bytes() {
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"},
        "data": {"a": "1", "empty": ""}, "binaryData": {"blob": "AAEC/w==", "none": ""}, "immutable": false});
    let back = round_trip(&cm);
    assert_eq!(back["binaryData"], json!({"blob": "AAEC/w==", "none": ""}));
    assert_eq!(back["immutable"], false);
    let secret = json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "type": "Opaque",
        "data": {"password": "c2VjcmV0"}});
    assert_eq!(round_trip(&secret)["data"]["password"], "c2VjcmV0");
}

#[test]
fn a_namespace_round_trips() {
    let ns = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team-a", "labels": {"kubernetes.io/metadata.name": "team-a"}},
        "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}});
    round_trip(&ns);
}

#[test]
fn an_autoscaling_v2_hpa_round_trips() {
    let hpa = json!({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "web"},
        "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
            "minReplicas": 1, "maxReplicas": 10,
            "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}},
                        {"type": "Pods", "pods": {"metric": {"name": "qps"}, "target": {"type": "AverageValue", "averageValue": "1k"}}}],
            "behavior": {"scaleDown": {"stabilizationWindowSeconds": 300, "policies": [{"type": "Percent", "value": 100, "periodSeconds": 15}]}}},
        "status": {"currentReplicas": 1, "desiredReplicas": 2,
            "conditions": [{"type": "AbleToScale", "status": "True", "lastTransitionTime": "2024-01-01T00:00:00Z", "reason": "ReadyForNewScale"}]}});
    let back = round_trip(&hpa);
    assert_eq!(back["spec"]["metrics"][1]["pods"]["target"]["averageValue"], "1k");
}

#[test]
fn a_lease_keeps_microseconds() {
    let lease = json!({"apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": {"name": "node-a", "namespace": "kube-node-lease"},
        "spec": {"holderIdentity": "node-a", "leaseDurationSeconds": 40,
            "acquireTime": "2024-01-02T03:04:05.000000Z", "renewTime": "2024-01-02T03:04:45.123456Z", "leaseTransitions": 0}});
    let back = round_trip(&lease);
    assert_eq!(back["spec"]["renewTime"], "2024-01-02T03:04:45.123456Z");
    assert_eq!(back["spec"]["leaseTransitions"], 0);
}

#[test]
fn events_round_trip_in_both_groups() {
    let core = json!({"apiVersion": "v1", "kind": "Event", "metadata": {"name": "web.17a", "namespace": "default"},
        "involvedObject": {"kind": "Pod", "namespace": "default", "name": "web", "apiVersion": "v1"},
        "reason": "Started", "message": "Started container web", "source": {"component": "kubelet", "host": "node-a"},
        "firstTimestamp": "2024-01-02T03:04:05Z", "lastTimestamp": "2024-01-02T03:04:05Z", "count": 1, "type": "Normal",
        "eventTime": "2024-01-02T03:04:05.000001Z", "reportingComponent": "kubelet", "reportingInstance": "node-a"});
    round_trip(&core);
    let events = json!({"apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": {"name": "e", "namespace": "default"},
        "eventTime": "2024-01-02T03:04:05.000001Z", "reportingController": "k", "reportingInstance": "i",
        "action": "Bind", "reason": "Scheduled", "regarding": {"kind": "Pod", "name": "web"},
        "series": {"count": 2, "lastObservedTime": "2024-01-02T03:05:05.500000Z"}, "type": "Normal"});
    round_trip(&events);
}

#[test]
fn a_pod_list_round_trips() {
    let mut item = pod();
    if let Some(m) = item.as_object_mut() {
        m.remove("kind");
        m.remove("apiVersion");
    }
    let list = json!({"apiVersion": "v1", "kind": "PodList", "metadata": {"resourceVersion": "100", "continue": "abc", "remainingItemCount": 3},
        "items": [item, {"metadata": {"name": "other"}, "spec": {"containers": [{"name": "c", "image": "i"}]}}]});
    let back = round_trip(&list);
    assert_eq!(back["items"][1]["metadata"]["name"], "other");
}

#[test]
fn list_items_lose_their_type_meta_on_the_wire() {
    let list = json!({"apiVersion": "v1", "kind": "PodList", "metadata": {}, "items": [pod()]});
    let back = decode(&encode(&list).expect("encodes")).expect("decodes");
    assert!(back["items"][0].get("kind").is_none());
    assert!(back["items"][0].get("apiVersion").is_none());
}

#[test]
fn a_status_round_trips() {
    let status = crate::ApiError::invalid(
        crate::Subject::new("apps", "deployments", "web"),
        vec![crate::Cause::new("FieldValueRequired", "Required value", "spec.template")],
    )
    .to_status();
    let back = round_trip(&status);
    assert_eq!(back["details"]["causes"][0]["field"], "spec.template");
    assert_eq!(back["code"], 422);
    let mut ok = crate::status::success_status(&crate::Subject::new("", "pods", "p"));
    ok["details"]["uid"] = json!("u");
    round_trip(&ok);
}

#[test]
fn rbac_and_webhook_objects_round_trip() {
    let role = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "view"},
        "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list", "watch"]}, {"nonResourceURLs": ["/healthz"], "verbs": ["get"]}],
        "aggregationRule": {"clusterRoleSelectors": [{"matchLabels": {"agg": "true"}}]}});
    round_trip(&role);
    let hook = json!({"apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingWebhookConfiguration", "metadata": {"name": "v"},
        "webhooks": [{"name": "v.example.com", "clientConfig": {"caBundle": "Y2E=", "service": {"namespace": "n", "name": "s", "port": 443}},
            "rules": [{"operations": ["CREATE"], "apiGroups": ["*"], "apiVersions": ["*"], "resources": ["pods"], "scope": "*"}],
            "sideEffects": "None", "admissionReviewVersions": ["v1"], "timeoutSeconds": 10}]});
    round_trip(&hook);
}

#[test]
fn token_requests_and_reviews_round_trip() {
    let tr = json!({"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "metadata": {"name": "sa"},
        "spec": {"audiences": ["api"], "expirationSeconds": 3600, "boundObjectRef": {"kind": "Pod", "apiVersion": "v1", "name": "p"}},
        "status": {"token": "t", "expirationTimestamp": "2024-01-02T04:04:05Z"}});
    round_trip(&tr);
    let sar = json!({"apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview",
        "spec": {"user": "u", "groups": ["g"], "extra": {"scopes": ["a", "b"], "empty": []},
            "resourceAttributes": {"namespace": "n", "verb": "get", "resource": "pods"}},
        "status": {"allowed": true}});
    let back = round_trip(&sar);
    assert_eq!(back["spec"]["extra"], json!({"empty": [], "scopes": ["a", "b"]}));
}
