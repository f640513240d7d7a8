//! Pods and the workload kinds that embed pod templates, compared in full against what
//! upstream returns (server-set metadata and `null` members aside).

use serde_json::json;

use super::tests::{assert_json, defaulted, served};

const DIGEST: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/// The pod spec defaults every template gets, around the given containers.
fn template_spec(containers: serde_json::Value, restart_policy: &str) -> serde_json::Value {
    json!({
        "containers": containers,
        "restartPolicy": restart_policy,
        "terminationGracePeriodSeconds": 30,
        "dnsPolicy": "ClusterFirst",
        "securityContext": {},
        "schedulerName": "default-scheduler"
    })
}

fn defaulted_container(name: &str, image: &str, pull: &str) -> serde_json::Value {
    json!({
        "name": name, "image": image, "resources": {},
        "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
        "imagePullPolicy": pull
    })
}

#[test]
fn a_pod_created_by_kubectl_run_gets_upstreams_defaults() {
    let body = json!({
        "kind": "Pod", "apiVersion": "v1",
        "metadata": {"name": "web", "creationTimestamp": null, "labels": {"run": "web"}},
        "spec": {"containers": [{"name": "web", "image": "nginx:1.14", "resources": {}}],
                 "restartPolicy": "Always", "dnsPolicy": "ClusterFirst"},
        "status": {}
    });
    let want = json!({
        "kind": "Pod", "apiVersion": "v1",
        "metadata": {"name": "web", "labels": {"run": "web"}},
        "spec": {
            "containers": [defaulted_container("web", "nginx:1.14", "IfNotPresent")],
            "restartPolicy": "Always",
            "terminationGracePeriodSeconds": 30,
            "dnsPolicy": "ClusterFirst",
            "securityContext": {},
            "schedulerName": "default-scheduler",
            "enableServiceLinks": true
        },
        "status": {}
    });
    assert_json(&served("", "v1", "Pod", body), &want);
}

#[test]
fn a_pod_using_every_defaulted_part_gets_each_default() {
    let image = format!("registry.example.com/app@{DIGEST}");
    let body = json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "full", "annotations": {"keep": "yes", "pod.beta.kubernetes.io/init-containers": "[]"}},
        "spec": {
            "hostNetwork": true,
            "serviceAccount": "builder",
            "initContainers": [{"name": "init", "image": "busybox", "resources": {"limits": {"cpu": "100m"}},
                                "ports": [{"containerPort": 9000}]}],
            "containers": [{
                "name": "app", "image": image,
                "ports": [{"containerPort": 8080, "name": "http"}],
                "env": [{"name": "NODE", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}}],
                "resources": {"limits": {"cpu": "500m", "memory": "128Mi"}, "requests": {"cpu": "250m"}},
                "livenessProbe": {"httpGet": {"port": 8080}},
                "readinessProbe": {"grpc": {"port": 9090}},
                "startupProbe": {"tcpSocket": {"port": 8080}, "failureThreshold": 30},
                "lifecycle": {"preStop": {"httpGet": {"port": 8080, "path": "/stop"}}}
            }],
            "ephemeralContainers": [{"name": "debug", "image": "busybox:latest", "targetContainerName": "app"}],
            "volumes": [
                {"name": "scratch"},
                {"name": "cfg", "configMap": {"name": "cfg"}},
                {"name": "sec", "secret": {"secretName": "s"}},
                {"name": "host", "hostPath": {"path": "/var/log"}},
                {"name": "info", "downwardAPI": {"items": [{"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}}]}},
                {"name": "token", "projected": {"sources": [
                    {"serviceAccountToken": {"path": "token"}},
                    {"downwardAPI": {"items": [{"path": "ns", "fieldRef": {"fieldPath": "metadata.namespace"}}]}}
                ]}},
                {"name": "claim", "ephemeral": {"volumeClaimTemplate": {"spec": {
                    "accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}}}
            ]
        },
        "status": {"podIP": "10.0.0.5", "hostIP": "192.168.1.2", "hostIPs": [{"ip": "192.168.1.2"}]}
    });
    let terminated = |c: serde_json::Value| {
        let mut c = c;
        if let Some(m) = c.as_object_mut() {
            m.insert("terminationMessagePath".into(), "/dev/termination-log".into());
            m.insert("terminationMessagePolicy".into(), "File".into());
        }
        c
    };
    let probe = |handler: serde_json::Value, failure: i64| {
        let mut p = handler;
        if let Some(m) = p.as_object_mut() {
            m.insert("timeoutSeconds".into(), 1.into());
            m.insert("periodSeconds".into(), 10.into());
            m.insert("successThreshold".into(), 1.into());
            m.insert("failureThreshold".into(), failure.into());
        }
        p
    };
    let mut init = terminated(json!({
        "name": "init", "image": "busybox",
        "ports": [{"hostPort": 9000, "containerPort": 9000, "protocol": "TCP"}],
        "resources": {"limits": {"cpu": "100m"}, "requests": {"cpu": "100m"}}
    }));
    init["imagePullPolicy"] = json!("Always");
    let mut app = terminated(json!({
        "name": "app", "image": image,
        "ports": [{"name": "http", "hostPort": 8080, "containerPort": 8080, "protocol": "TCP"}],
        "env": [{"name": "NODE", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "spec.nodeName"}}}],
        "resources": {"limits": {"cpu": "500m", "memory": "128Mi"}, "requests": {"cpu": "250m", "memory": "128Mi"}},
        "livenessProbe": probe(json!({"httpGet": {"path": "/", "port": 8080, "scheme": "HTTP"}}), 3),
        "readinessProbe": probe(json!({"grpc": {"port": 9090, "service": ""}}), 3),
        "startupProbe": probe(json!({"tcpSocket": {"port": 8080}}), 30),
        "lifecycle": {"preStop": {"httpGet": {"path": "/stop", "port": 8080, "scheme": "HTTP"}}}
    }));
    app["imagePullPolicy"] = json!("IfNotPresent");
    let mut debug = terminated(json!({"name": "debug", "image": "busybox:latest", "resources": {}}));
    debug["imagePullPolicy"] = json!("Always");
    debug["targetContainerName"] = json!("app");
    let want = json!({
        "kind": "Pod", "apiVersion": "v1",
        "metadata": {"name": "full", "annotations": {"keep": "yes"}},
        "spec": {
            "volumes": [
                {"name": "scratch", "emptyDir": {}},
                {"name": "cfg", "configMap": {"name": "cfg", "defaultMode": 420}},
                {"name": "sec", "secret": {"secretName": "s", "defaultMode": 420}},
                {"name": "host", "hostPath": {"path": "/var/log", "type": ""}},
                {"name": "info", "downwardAPI": {
                    "items": [{"path": "labels", "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.labels"}}],
                    "defaultMode": 420}},
                {"name": "token", "projected": {"sources": [
                    {"serviceAccountToken": {"expirationSeconds": 3600, "path": "token"}},
                    {"downwardAPI": {"items": [{"path": "ns", "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}}
                ], "defaultMode": 420}},
                {"name": "claim", "ephemeral": {"volumeClaimTemplate": {"metadata": {"creationTimestamp": null}, "spec": {
                    "accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}},
                    "volumeMode": "Filesystem"}}}}
            ],
            "initContainers": [init],
            "containers": [app],
            "ephemeralContainers": [debug],
            "restartPolicy": "Always",
            "terminationGracePeriodSeconds": 30,
            "dnsPolicy": "ClusterFirst",
            "serviceAccountName": "builder",
            "serviceAccount": "builder",
            "hostNetwork": true,
            "securityContext": {},
            "schedulerName": "default-scheduler",
            "enableServiceLinks": true
        },
        "status": {"hostIP": "192.168.1.2", "hostIPs": [{"ip": "192.168.1.2"}], "podIP": "10.0.0.5", "podIPs": [{"ip": "10.0.0.5"}]}
    });
    assert_json(&served("", "v1", "Pod", body), &want);
}

#[test]
fn a_pods_singular_ips_follow_its_ip_lists_as_upstreams_conversion_leaves_them() {
    let pod =
        |status: serde_json::Value| defaulted("", "v1", "Pod", json!({"spec": {}, "status": status}))["status"].clone();
    // The singular IP wins when it disagrees with the list, which it then replaces.
    let got = pod(json!({"podIP": "10.0.0.9", "podIPs": [{"ip": "10.0.0.5"}, {"ip": "fd00::5"}]}));
    assert_eq!(got, json!({"podIP": "10.0.0.9", "podIPs": [{"ip": "10.0.0.9"}]}));
    // Dual-stack lists stay when the singular IP agrees or is missing.
    let got = pod(json!({"podIPs": [{"ip": "10.0.0.5"}, {"ip": "fd00::5"}]}));
    assert_eq!(got, json!({"podIP": "10.0.0.5", "podIPs": [{"ip": "10.0.0.5"}, {"ip": "fd00::5"}]}));
    let got = pod(json!({"hostIP": "1.2.3.4"}));
    assert_eq!(got, json!({"hostIP": "1.2.3.4", "hostIPs": [{"ip": "1.2.3.4"}]}));
}

#[test]
fn pod_templates_lose_the_legacy_init_container_annotations_too() {
    let annotations = json!({"pod.alpha.kubernetes.io/init-containers": "[]", "keep": "yes"});
    let got =
        defaulted("batch", "v1", "Job", json!({"spec": {"template": {"metadata": {"annotations": annotations}}}}));
    assert_eq!(got["spec"]["template"]["metadata"]["annotations"], json!({"keep": "yes"}));
}

#[test]
fn only_pods_copy_limits_into_requests_and_enable_service_links() {
    let template = json!({"spec": {"template": {"spec": {"hostNetwork": true, "containers": [
        {"name": "c", "image": "nginx", "resources": {"limits": {"cpu": "1"}}, "ports": [{"containerPort": 80}]}
    ]}}}});
    let got = defaulted("apps", "v1", "Deployment", template);
    let spec = &got["spec"]["template"]["spec"];
    assert!(got["spec"]["template"].get("metadata").is_none());
    assert_eq!(spec["containers"][0]["resources"], json!({"limits": {"cpu": "1"}}));
    assert_eq!(spec["containers"][0]["ports"][0], json!({"containerPort": 80, "protocol": "TCP"}));
    assert!(spec.get("enableServiceLinks").is_none());
}

#[test]
fn a_deployment_created_by_kubectl_gets_upstreams_defaults() {
    let body = json!({
        "kind": "Deployment", "apiVersion": "apps/v1",
        "metadata": {"name": "web", "creationTimestamp": null, "labels": {"app": "web"}},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"creationTimestamp": null, "labels": {"app": "web"}},
                         "spec": {"containers": [{"name": "nginx", "image": "nginx:1.14", "resources": {}}]}},
            "strategy": {}
        },
        "status": {}
    });
    let want = json!({
        "kind": "Deployment", "apiVersion": "apps/v1",
        "metadata": {"name": "web", "labels": {"app": "web"}},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"creationTimestamp": null, "labels": {"app": "web"}},
                "spec": template_spec(json!([defaulted_container("nginx", "nginx:1.14", "IfNotPresent")]), "Always")
            },
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}},
            "revisionHistoryLimit": 10,
            "progressDeadlineSeconds": 600
        },
        "status": {}
    });
    assert_json(&served("apps", "v1", "Deployment", body), &want);
}

#[test]
fn a_recreate_deployment_gets_no_rolling_update_block() {
    let got = defaulted("apps", "v1", "Deployment", json!({"spec": {"strategy": {"type": "Recreate"}}}));
    assert_eq!(got["spec"]["strategy"], json!({"type": "Recreate"}));
}

#[test]
fn a_statefulset_gets_upstreams_defaults_down_to_its_claim_templates() {
    let body = json!({
        "apiVersion": "apps/v1", "kind": "StatefulSet",
        "metadata": {"name": "web"},
        "spec": {
            "serviceName": "nginx",
            "selector": {"matchLabels": {"app": "nginx"}},
            "template": {"metadata": {"creationTimestamp": null, "labels": {"app": "nginx"}}, "spec": {"containers": [{
                "name": "nginx", "image": "registry.k8s.io/nginx-slim:0.24",
                "ports": [{"containerPort": 80, "name": "web"}],
                "volumeMounts": [{"name": "www", "mountPath": "/usr/share/nginx/html"}]
            }]}},
            "volumeClaimTemplates": [{"metadata": {"name": "www"}, "spec": {
                "accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}]
        }
    });
    let want = json!({
        "kind": "StatefulSet", "apiVersion": "apps/v1",
        "metadata": {"name": "web"},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": "nginx"}},
            "template": {"metadata": {"creationTimestamp": null, "labels": {"app": "nginx"}}, "spec": template_spec(json!([{
                "name": "nginx", "image": "registry.k8s.io/nginx-slim:0.24",
                "ports": [{"name": "web", "containerPort": 80, "protocol": "TCP"}],
                "resources": {},
                "volumeMounts": [{"name": "www", "mountPath": "/usr/share/nginx/html"}],
                "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
                "imagePullPolicy": "IfNotPresent"
            }]), "Always")},
            "volumeClaimTemplates": [{
                "kind": "PersistentVolumeClaim", "apiVersion": "v1",
                "metadata": {"name": "www", "creationTimestamp": null},
                "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}},
                         "volumeMode": "Filesystem"},
                "status": {"phase": "Pending"}
            }],
            "serviceName": "nginx",
            "podManagementPolicy": "OrderedReady",
            "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}},
            "revisionHistoryLimit": 10,
            "persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Retain", "whenScaled": "Retain"}
        },
        "status": {"replicas": 0, "availableReplicas": 0}
    });
    assert_json(&served("apps", "v1", "StatefulSet", body), &want);
}

#[test]
fn a_statefulset_with_an_explicit_strategy_type_gets_no_partition_block() {
    let got = defaulted("apps", "v1", "StatefulSet", json!({"spec": {"updateStrategy": {"type": "RollingUpdate"}}}));
    assert_eq!(got["spec"]["updateStrategy"], json!({"type": "RollingUpdate"}));
    let got = defaulted("apps", "v1", "StatefulSet", json!({"spec": {"updateStrategy": {"type": "OnDelete"}}}));
    assert_eq!(got["spec"]["updateStrategy"], json!({"type": "OnDelete"}));
    let got = defaulted(
        "apps",
        "v1",
        "StatefulSet",
        json!({"spec": {"updateStrategy": {"rollingUpdate": {"partition": 2}}, "persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Delete"}}}),
    );
    assert_eq!(got["spec"]["updateStrategy"], json!({"type": "RollingUpdate", "rollingUpdate": {"partition": 2}}));
    assert_eq!(
        got["spec"]["persistentVolumeClaimRetentionPolicy"],
        json!({"whenDeleted": "Delete", "whenScaled": "Retain"})
    );
}

#[test]
fn a_daemonset_gets_upstreams_defaults() {
    let body = json!({
        "apiVersion": "apps/v1", "kind": "DaemonSet",
        "metadata": {"name": "fluentd", "namespace": "kube-system"},
        "spec": {
            "selector": {"matchLabels": {"name": "fluentd"}},
            "template": {"metadata": {"creationTimestamp": null, "labels": {"name": "fluentd"}}, "spec": {
                "tolerations": [{"key": "node-role.kubernetes.io/control-plane", "operator": "Exists", "effect": "NoSchedule"}],
                "containers": [{"name": "fluentd", "image": "quay.io/fluentd_elasticsearch/fluentd:v2.5.2",
                                "volumeMounts": [{"name": "varlog", "mountPath": "/var/log"}]}],
                "volumes": [{"name": "varlog", "hostPath": {"path": "/var/log"}}]
            }}
        }
    });
    let want = json!({
        "kind": "DaemonSet", "apiVersion": "apps/v1",
        "metadata": {"name": "fluentd", "namespace": "kube-system"},
        "spec": {
            "selector": {"matchLabels": {"name": "fluentd"}},
            "template": {"metadata": {"creationTimestamp": null, "labels": {"name": "fluentd"}}, "spec": {
                "volumes": [{"name": "varlog", "hostPath": {"path": "/var/log", "type": ""}}],
                "containers": [{
                    "name": "fluentd", "image": "quay.io/fluentd_elasticsearch/fluentd:v2.5.2", "resources": {},
                    "volumeMounts": [{"name": "varlog", "mountPath": "/var/log"}],
                    "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
                    "imagePullPolicy": "IfNotPresent"
                }],
                "restartPolicy": "Always",
                "terminationGracePeriodSeconds": 30,
                "dnsPolicy": "ClusterFirst",
                "securityContext": {},
                "schedulerName": "default-scheduler",
                "tolerations": [{"key": "node-role.kubernetes.io/control-plane", "operator": "Exists", "effect": "NoSchedule"}]
            }},
            "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}},
            "revisionHistoryLimit": 10
        },
        "status": {"currentNumberScheduled": 0, "numberMisscheduled": 0, "desiredNumberScheduled": 0, "numberReady": 0}
    });
    assert_json(&served("apps", "v1", "DaemonSet", body), &want);
}

#[test]
fn a_replicaset_gets_one_replica() {
    let got = defaulted("apps", "v1", "ReplicaSet", json!({"metadata": {"name": "rs"}}));
    assert_eq!(got["spec"]["replicas"], 1);
    assert_eq!(got["spec"]["template"]["spec"]["dnsPolicy"], "ClusterFirst");
}

#[test]
fn a_job_created_by_kubectl_gets_upstreams_defaults() {
    let command = json!(["perl", "-Mbignum=bpi", "-wle", "print bpi(2000)"]);
    let body = json!({
        "kind": "Job", "apiVersion": "batch/v1",
        "metadata": {"name": "pi", "creationTimestamp": null},
        "spec": {"template": {"metadata": {"creationTimestamp": null}, "spec": {
            "containers": [{"name": "pi", "image": "perl:5.34.0", "command": command, "resources": {}}],
            "restartPolicy": "Never"}}},
        "status": {}
    });
    let want = json!({
        "kind": "Job", "apiVersion": "batch/v1",
        "metadata": {"name": "pi"},
        "spec": {
            "parallelism": 1,
            "completions": 1,
            "backoffLimit": 6,
            "manualSelector": false,
            "template": {"metadata": {"creationTimestamp": null}, "spec": template_spec(json!([{
                "name": "pi", "image": "perl:5.34.0", "command": command, "resources": {},
                "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
                "imagePullPolicy": "IfNotPresent"
            }]), "Never")},
            "completionMode": "NonIndexed",
            "suspend": false,
            "podReplacementPolicy": "TerminatingOrFailed"
        },
        "status": {}
    });
    assert_json(&served("batch", "v1", "Job", body), &want);
}

#[test]
fn a_job_with_a_failure_policy_or_per_index_limits_gets_their_defaults() {
    let got = defaulted(
        "batch",
        "v1",
        "Job",
        json!({
            "metadata": {"name": "j"},
            "spec": {"parallelism": 3, "backoffLimitPerIndex": 1, "completionMode": "Indexed", "completions": 3,
                     "podFailurePolicy": {"rules": [{"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget"}]}]},
                     "template": {"metadata": {"creationTimestamp": null, "labels": {"app": "j"}}}}
        }),
    );
    let spec = &got["spec"];
    assert_eq!(spec["parallelism"], 3);
    assert_eq!(spec["completions"], 3);
    assert_eq!(spec["backoffLimit"], 2147483647);
    assert_eq!(spec["podReplacementPolicy"], "Failed");
    assert_eq!(
        spec["podFailurePolicy"]["rules"][0]["onPodConditions"][0],
        json!({"type": "DisruptionTarget", "status": "True"})
    );
    assert_eq!(got["metadata"]["labels"], json!({"app": "j"}), "labels come from the template");
    // Completions stay unset when only parallelism is given.
    let got = defaulted("batch", "v1", "Job", json!({"spec": {"parallelism": 2}}));
    assert!(got["spec"].get("completions").is_none());
}

#[test]
fn a_cronjob_created_by_kubectl_gets_upstreams_defaults_but_not_the_jobs() {
    let body = json!({
        "kind": "CronJob", "apiVersion": "batch/v1",
        "metadata": {"name": "hello", "creationTimestamp": null},
        "spec": {
            "jobTemplate": {"metadata": {"name": "hello", "creationTimestamp": null}, "spec": {"template": {
                "metadata": {"creationTimestamp": null},
                "spec": {"containers": [{"name": "hello", "image": "busybox:1.28", "resources": {}}], "restartPolicy": "OnFailure"}
            }}},
            "schedule": "*/1 * * * *"
        },
        "status": {}
    });
    let want = json!({
        "kind": "CronJob", "apiVersion": "batch/v1",
        "metadata": {"name": "hello"},
        "spec": {
            "schedule": "*/1 * * * *",
            "concurrencyPolicy": "Allow",
            "suspend": false,
            "jobTemplate": {"metadata": {"name": "hello", "creationTimestamp": null}, "spec": {"template": {
                "metadata": {"creationTimestamp": null},
                "spec": template_spec(json!([defaulted_container("hello", "busybox:1.28", "IfNotPresent")]), "OnFailure")
            }}},
            "successfulJobsHistoryLimit": 3,
            "failedJobsHistoryLimit": 1
        },
        "status": {}
    });
    assert_json(&served("batch", "v1", "CronJob", body), &want);
}

#[test]
fn a_replication_controller_takes_selector_and_labels_from_its_template() {
    let body = json!({
        "apiVersion": "v1", "kind": "ReplicationController",
        "metadata": {"name": "nginx"},
        "spec": {"template": {"metadata": {"creationTimestamp": null, "labels": {"app": "nginx"}},
                              "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}}
    });
    let want = json!({
        "kind": "ReplicationController", "apiVersion": "v1",
        "metadata": {"name": "nginx", "labels": {"app": "nginx"}},
        "spec": {
            "replicas": 1,
            "selector": {"app": "nginx"},
            "template": {"metadata": {"creationTimestamp": null, "labels": {"app": "nginx"}},
                         "spec": template_spec(json!([defaulted_container("nginx", "nginx", "Always")]), "Always")}
        },
        "status": {"replicas": 0}
    });
    assert_json(&served("", "v1", "ReplicationController", body), &want);
}

#[test]
fn a_pod_template_gets_pod_spec_defaults_only() {
    let got = served(
        "",
        "v1",
        "PodTemplate",
        json!({"metadata": {"name": "t"}, "template": {"spec": {"containers": [{"name": "c", "image": "nginx:1"}]}}}),
    );
    let want = json!({
        "metadata": {"name": "t"},
        "template": {"metadata": {"creationTimestamp": null}, "spec": template_spec(json!([defaulted_container("c", "nginx:1", "IfNotPresent")]), "Always")}
    });
    assert_json(&got, &want);
}
