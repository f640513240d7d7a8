//! The bodies kubectl actually sends (apply, taint, set image, rollout restart, edit).

use serde_json::{json, Value};

use super::tests::{err, ok};

fn deployment() -> Value {
    json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {
            "name": "web", "namespace": "default", "uid": "d-1", "resourceVersion": "7", "generation": 2,
            "labels": {"app": "web"},
            "annotations": {"deployment.kubernetes.io/revision": "2"},
            "finalizers": ["example.com/a", "example.com/b"],
            "ownerReferences": [
                {"apiVersion": "v1", "kind": "ConfigMap", "name": "o1", "uid": "o-1"},
                {"apiVersion": "v1", "kind": "ConfigMap", "name": "o2", "uid": "o-2"}
            ]
        },
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"app": "web"}},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {
                    "containers": [
                        {
                            "name": "nginx", "image": "nginx:1.14",
                            "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
                            "ports": [{"containerPort": 80, "protocol": "TCP"}],
                            "volumeMounts": [{"name": "data", "mountPath": "/data"}, {"name": "cache", "mountPath": "/cache"}]
                        },
                        {"name": "sidecar", "image": "busybox:1"}
                    ],
                    "volumes": [
                        {"name": "data", "emptyDir": {}},
                        {"name": "cache", "emptyDir": {"medium": "Memory"}}
                    ],
                    "tolerations": [{"key": "a", "operator": "Exists", "effect": "NoSchedule"}],
                    "restartPolicy": "Always"
                }
            }
        },
        "status": {"replicas": 2}
    })
}

fn pod_spec(out: &Value) -> &Value {
    &out["spec"]["template"]["spec"]
}

fn names(list: &Value, key: &str) -> Vec<String> {
    list.as_array().map(|l| l.iter().map(|i| i[key].to_string()).collect()).unwrap_or_default()
}

#[test]
fn kubectl_apply_changing_an_image_keeps_the_container_order() {
    let patch = json!({
        "metadata": {"annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{\"kind\":\"Deployment\"}\n"}},
        "spec": {"template": {"spec": {
            "$setElementOrder/containers": [{"name": "nginx"}, {"name": "sidecar"}],
            "containers": [{"image": "nginx:1.15", "name": "nginx"}]
        }}}
    });
    let out = ok("apps/v1", "Deployment", deployment(), patch);
    let spec = pod_spec(&out);
    assert_eq!(spec["containers"][0]["image"], "nginx:1.15");
    assert_eq!(spec["containers"][0]["env"], deployment()["spec"]["template"]["spec"]["containers"][0]["env"]);
    assert_eq!(names(&spec["containers"], "name"), ["\"nginx\"", "\"sidecar\""]);
    assert_eq!(out["metadata"]["annotations"]["deployment.kubernetes.io/revision"], "2");
    assert_eq!(
        out["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"],
        "{\"kind\":\"Deployment\"}\n"
    );
}

#[test]
fn kubectl_apply_with_the_brief_single_container_order() {
    let patch = json!({"spec": {"template": {"spec": {
        "$setElementOrder/containers": [{"name": "nginx"}],
        "containers": [{"image": "nginx:1.15", "name": "nginx"}]
    }}}});
    let out = ok("apps/v1", "Deployment", deployment(), patch);
    // The sidecar is not in the directive: it is server-only and keeps its live place.
    assert_eq!(names(&pod_spec(&out)["containers"], "name"), ["\"nginx\"", "\"sidecar\""]);
}

#[test]
fn kubectl_apply_adding_a_container_puts_it_where_the_manifest_has_it() {
    let patch = json!({"spec": {"template": {"spec": {
        "$setElementOrder/containers": [{"name": "nginx"}, {"name": "logger"}, {"name": "sidecar"}],
        "containers": [{"name": "logger", "image": "fluentd"}]
    }}}});
    let out = ok("apps/v1", "Deployment", deployment(), patch);
    assert_eq!(names(&pod_spec(&out)["containers"], "name"), ["\"nginx\"", "\"logger\"", "\"sidecar\""]);
    assert_eq!(pod_spec(&out)["containers"][1], json!({"name": "logger", "image": "fluentd"}));
}

#[test]
fn kubectl_apply_removing_a_container_sends_a_delete_directive() {
    let patch = json!({"spec": {"template": {"spec": {
        "$setElementOrder/containers": [{"name": "nginx"}],
        "containers": [{"$patch": "delete", "name": "sidecar"}]
    }}}});
    let out = ok("apps/v1", "Deployment", deployment(), patch);
    assert_eq!(names(&pod_spec(&out)["containers"], "name"), ["\"nginx\""]);
}

#[test]
fn kubectl_apply_adding_and_removing_env_vars_by_name() {
    let patch = json!({"spec": {"template": {"spec": {
        "$setElementOrder/containers": [{"name": "nginx"}, {"name": "sidecar"}],
        "containers": [{
            "name": "nginx",
            "$setElementOrder/env": [{"name": "A"}, {"name": "C"}],
            "env": [{"name": "C", "value": "3"}, {"$patch": "delete", "name": "B"}]
        }]
    }}}});
    let out = ok("apps/v1", "Deployment", deployment(), patch);
    assert_eq!(
        pod_spec(&out)["containers"][0]["env"],
        json!([{"name": "A", "value": "1"}, {"name": "C", "value": "3"}])
    );
}

#[test]
fn env_var_value_change_merges_into_the_existing_entry() {
    let patch = json!({"spec": {"template": {"spec": {"containers": [{"name": "nginx", "env": [{"name": "B", "value": "22"}]}]}}}});
    let out = ok("apps/v1", "Deployment", deployment(), patch);
    assert_eq!(
        pod_spec(&out)["containers"][0]["env"],
        json!([{"name": "A", "value": "1"}, {"name": "B", "value": "22"}])
    );
}

#[test]
fn ports_merge_by_container_port() {
    let patch = json!({"spec": {"template": {"spec": {"containers": [{
        "name": "nginx",
        "$setElementOrder/ports": [{"containerPort": 80}, {"containerPort": 443}],
        "ports": [{"containerPort": 80, "name": "http"}, {"containerPort": 443, "name": "https"}]
    }]}}}});
    let out = ok("apps/v1", "Deployment", deployment(), patch);
    assert_eq!(
        pod_spec(&out)["containers"][0]["ports"],
        json!([{"containerPort": 80, "protocol": "TCP", "name": "http"}, {"containerPort": 443, "name": "https"}])
    );
}

#[test]
fn volume_mounts_merge_by_mount_path() {
    let patch = json!({"spec": {"template": {"spec": {"containers": [{
        "name": "nginx",
        "volumeMounts": [{"mountPath": "/cache", "readOnly": true}, {"mountPath": "/logs", "name": "logs"}]
    }]}}}});
    let out = ok("apps/v1", "Deployment", deployment(), patch);
    assert_eq!(
        pod_spec(&out)["containers"][0]["volumeMounts"],
        json!([
            {"name": "data", "mountPath": "/data"},
            {"name": "cache", "mountPath": "/cache", "readOnly": true},
            {"mountPath": "/logs", "name": "logs"}
        ])
    );
}

#[test]
fn switching_a_volume_source_uses_retain_keys() {
    let patch = json!({"spec": {"template": {"spec": {
        "$setElementOrder/volumes": [{"name": "data"}, {"name": "cache"}],
        "volumes": [{"$retainKeys": ["hostPath", "name"], "emptyDir": null, "hostPath": {"path": "/srv"}, "name": "data"}]
    }}}});
    let out = ok("apps/v1", "Deployment", deployment(), patch);
    assert_eq!(
        pod_spec(&out)["volumes"],
        json!([
            {"name": "data", "hostPath": {"path": "/srv"}},
            {"name": "cache", "emptyDir": {"medium": "Memory"}}
        ])
    );
}

#[test]
fn switching_the_deployment_strategy_to_recreate_clears_rolling_update() {
    let patch = json!({"spec": {"strategy": {"$retainKeys": ["type"], "rollingUpdate": null, "type": "Recreate"}}});
    let out = ok("apps/v1", "Deployment", deployment(), patch);
    assert_eq!(out["spec"]["strategy"], json!({"type": "Recreate"}));
}

#[test]
fn tolerations_are_replaced_whole() {
    let patch = json!({"spec": {"template": {"spec": {"tolerations": [{"key": "b", "operator": "Equal", "value": "x", "effect": "NoExecute"}]}}}});
    let out = ok("apps/v1", "Deployment", deployment(), patch);
    assert_eq!(
        pod_spec(&out)["tolerations"],
        json!([{"key": "b", "operator": "Equal", "value": "x", "effect": "NoExecute"}])
    );
    let out = ok("apps/v1", "Deployment", deployment(), json!({"spec": {"template": {"spec": {"tolerations": null}}}}));
    assert!(pod_spec(&out).get("tolerations").is_none());
}

fn node() -> Value {
    json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n1"},
        "spec": {"podCIDR": "10.0.0.0/24", "taints": [{"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}]}})
}

#[test]
fn kubectl_taint_sends_the_whole_taint_list() {
    // Node taints carry no patch strategy, so the two-way diff kubectl computes holds the
    // complete new list.
    let patch = json!({"spec": {"taints": [
        {"effect": "NoSchedule", "key": "dedicated", "value": "gpu"},
        {"effect": "NoExecute", "key": "maintenance", "value": "true"}
    ]}});
    let out = ok("v1", "Node", node(), patch);
    assert_eq!(out["spec"]["taints"].as_array().map(Vec::len), Some(2));
    assert_eq!(out["spec"]["taints"][1]["key"], "maintenance");
    assert_eq!(out["spec"]["podCIDR"], "10.0.0.0/24");
}

#[test]
fn kubectl_taint_removing_the_last_taint_sends_null() {
    let out = ok("v1", "Node", node(), json!({"spec": {"taints": null}}));
    assert_eq!(out["spec"], json!({"podCIDR": "10.0.0.0/24"}));
}

#[test]
fn kubectl_set_image_patches_one_container() {
    let patch = json!({"spec": {"template": {"spec": {"containers": [{"image": "busybox:2", "name": "sidecar"}]}}}});
    let out = ok("apps/v1", "Deployment", deployment(), patch);
    assert_eq!(pod_spec(&out)["containers"][1], json!({"name": "sidecar", "image": "busybox:2"}));
    assert_eq!(names(&pod_spec(&out)["containers"], "name"), ["\"nginx\"", "\"sidecar\""]);
}

#[test]
fn kubectl_rollout_restart_adds_a_template_annotation() {
    let patch = json!({"spec": {"template": {"metadata": {"annotations": {"kubectl.kubernetes.io/restartedAt": "2025-01-02T03:04:05Z"}}}}});
    let out = ok("apps/v1", "Deployment", deployment(), patch);
    assert_eq!(
        out["spec"]["template"]["metadata"],
        json!({"labels": {"app": "web"}, "annotations": {"kubectl.kubernetes.io/restartedAt": "2025-01-02T03:04:05Z"}})
    );
}

#[test]
fn kubectl_edit_scaling_and_relabelling() {
    let patch = json!({"metadata": {"labels": {"app": null, "team": "x"}}, "spec": {"replicas": 5}});
    let out = ok("apps/v1", "Deployment", deployment(), patch);
    assert_eq!(out["metadata"]["labels"], json!({"team": "x"}));
    assert_eq!(out["spec"]["replicas"], 5);
}

#[test]
fn removing_a_finalizer_with_delete_from_primitive_list() {
    let patch = json!({"metadata": {
        "$setElementOrder/finalizers": ["example.com/b"],
        "$deleteFromPrimitiveList/finalizers": ["example.com/a"]
    }});
    let out = ok("apps/v1", "Deployment", deployment(), patch);
    assert_eq!(out["metadata"]["finalizers"], json!(["example.com/b"]));
}

#[test]
fn owner_references_merge_by_uid() {
    let patch = json!({"metadata": {"ownerReferences": [
        {"uid": "o-2", "controller": true},
        {"uid": "o-1", "$patch": "delete"}
    ]}});
    let out = ok("apps/v1", "Deployment", deployment(), patch);
    assert_eq!(
        out["metadata"]["ownerReferences"],
        json!([{"apiVersion": "v1", "kind": "ConfigMap", "name": "o2", "uid": "o-2", "controller": true}])
    );
}

#[test]
fn an_owner_reference_without_uid_is_refused() {
    let e = err("apps/v1", "Deployment", deployment(), json!({"metadata": {"ownerReferences": [{"name": "o1"}]}}));
    assert_eq!((e.code, e.message.as_str()), (400, "map: map[name:o1] does not contain declared merge key: uid"));
}

#[test]
fn a_container_patch_without_a_name_is_refused_like_upstream() {
    let e = err(
        "apps/v1",
        "Deployment",
        deployment(),
        json!({"spec": {"template": {"spec": {"containers": [{"image": "x"}]}}}}),
    );
    assert_eq!(e.code, 400);
    assert_eq!(e.reason, "BadRequest");
    assert_eq!(e.message, "map: map[image:x] does not contain declared merge key: name");
}

#[test]
fn service_ports_merge_by_port() {
    let original = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"},
        "spec": {"ports": [{"name": "http", "port": 80, "targetPort": 8080}], "selector": {"app": "web"}}});
    let patch = json!({"spec": {"ports": [{"port": 80, "targetPort": 9090}, {"port": 443, "name": "https"}]}});
    let out = ok("v1", "Service", original, patch);
    assert_eq!(
        out["spec"]["ports"],
        json!([{"name": "http", "port": 80, "targetPort": 9090}, {"port": 443, "name": "https"}])
    );
}
