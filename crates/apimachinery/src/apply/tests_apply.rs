use serde_json::{json, Value};

use super::tests_update::{create, created_deployment, entries, entry, CM, DEPLOY, T0, T1, T2};
use super::{apply, track_update, Gvk};
use crate::status::ApiError;

fn deployment(replicas: i64, containers: Value) -> Value {
    json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": containers}}
        }
    })
}

fn nginx() -> Value {
    json!([{"name": "nginx", "image": "nginx:1.25", "ports": [{"containerPort": 80}]}])
}

fn ok(r: Result<Value, ApiError>) -> Value {
    match r {
        Ok(v) => v,
        Err(e) => panic!("apply failed: {} {:?}", e.message, e.causes),
    }
}

/// Stores what apply returned the way the server would (with a uid, as created objects have).
fn stored(mut v: Value) -> Value {
    v["metadata"]["uid"] = json!("6f1d4b0e-0000-4000-8000-000000000002");
    v
}

fn first_apply() -> Value {
    stored(ok(apply(DEPLOY, None, &deployment(2, nginx()), "kubectl", false, "", T0)))
}

#[test]
fn apply_creates_the_object_with_an_apply_entry() {
    let obj = first_apply();
    assert_eq!(obj["spec"]["replicas"], 2);
    assert_eq!(obj["spec"]["template"]["spec"]["containers"][0]["image"], "nginx:1.25");
    assert!(obj["metadata"].get("creationTimestamp").is_none(), "nulls of the zero object are not returned");
    let e = entries(&obj);
    assert_eq!(e.len(), 1);
    assert_eq!(e[0]["manager"], "kubectl");
    assert_eq!(e[0]["operation"], "Apply");
    assert_eq!(e[0]["apiVersion"], "apps/v1");
    assert_eq!(e[0]["time"], T0);
    let expected = json!({
        "f:metadata": {"f:labels": {"f:app": {}}},
        "f:spec": {
            "f:replicas": {}, "f:selector": {},
            "f:template": {
                "f:metadata": {"f:labels": {"f:app": {}}},
                "f:spec": {"f:containers": {"k:{\"name\":\"nginx\"}": {
                    ".": {}, "f:image": {}, "f:name": {},
                    "f:ports": {"k:{\"containerPort\":80,\"protocol\":\"TCP\"}": {".": {}, "f:containerPort": {}}}
                }}}
            }
        }
    });
    assert_eq!(serde_json::to_string(&e[0]["fieldsV1"]).unwrap(), serde_json::to_string(&expected).unwrap());
}

#[test]
fn reapplying_the_same_configuration_is_a_no_op() {
    let live = first_apply();
    let again = ok(apply(DEPLOY, Some(&live), &deployment(2, nginx()), "kubectl", false, "", T1));
    assert_eq!(again, live);
}

#[test]
fn applying_without_a_field_removes_it() {
    let live = first_apply();
    let mut config = deployment(2, nginx());
    config["metadata"]["labels"]["tier"] = json!("frontend");
    let live = stored(ok(apply(DEPLOY, Some(&live), &config, "kubectl", false, "", T1)));
    assert_eq!(live["metadata"]["labels"]["tier"], "frontend");
    let out = ok(apply(DEPLOY, Some(&live), &deployment(2, nginx()), "kubectl", false, "", T2));
    assert_eq!(out["metadata"]["labels"], json!({"app": "web"}));
    assert!(entry(&out, "kubectl").unwrap()["fieldsV1"]["f:metadata"]["f:labels"].get("f:tier").is_none());
    assert_eq!(entry(&out, "kubectl").unwrap()["time"], T2);
}

#[test]
fn a_field_dropped_from_the_configuration_stays_when_another_manager_owns_it() {
    let mut config = deployment(2, nginx());
    config["metadata"]["labels"]["tier"] = json!("frontend");
    let live = stored(ok(apply(DEPLOY, None, &config, "a", false, "", T0)));
    let partial = json!({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "labels": {"tier": "frontend"}}});
    let live = stored(ok(apply(DEPLOY, Some(&live), &partial, "b", false, "", T1)));
    let out = ok(apply(DEPLOY, Some(&live), &deployment(2, nginx()), "a", false, "", T2));
    assert_eq!(out["metadata"]["labels"]["tier"], "frontend");
    assert_eq!(entry(&out, "b").unwrap()["fieldsV1"], json!({"f:metadata": {"f:labels": {"f:tier": {}}}}));
}

#[test]
fn removing_the_last_item_of_a_map_the_applier_owned_drops_the_map() {
    let cm = |data: Value| json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": data});
    let live = stored(ok(apply(CM, None, &cm(json!({"a": "1"})), "m", false, "", T0)));
    let out = ok(apply(
        CM,
        Some(&live),
        &json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}),
        "m",
        false,
        "",
        T1,
    ));
    assert!(out.get("data").is_none(), "{out}");
    assert!(out.pointer("/metadata/managedFields").is_none(), "{out}");
}

#[test]
fn two_appliers_of_different_replicas_conflict() {
    let live = first_apply();
    let err = apply(DEPLOY, Some(&live), &deployment(5, nginx()), "other", false, "", T1).unwrap_err();
    assert_eq!(err.code, 409);
    assert_eq!(err.reason, "Conflict");
    assert_eq!(err.message, "Apply failed with 1 conflict: conflict with \"kubectl\": .spec.replicas");
    assert_eq!(err.causes.len(), 1);
    assert_eq!(err.causes[0].reason, "FieldManagerConflict");
    assert_eq!(err.causes[0].message, "conflict with \"kubectl\"");
    assert_eq!(err.causes[0].field, ".spec.replicas");
    let status = err.to_status();
    assert_eq!(status["details"]["causes"][0]["field"], ".spec.replicas");
}

#[test]
fn applying_the_same_values_shares_ownership_without_conflict() {
    let live = first_apply();
    let out = ok(apply(DEPLOY, Some(&live), &deployment(2, nginx()), "other", false, "", T1));
    assert_eq!(entries(&out).len(), 2);
    assert!(entry(&out, "other").unwrap().get("time").is_none(), "no change, so no time (as upstream)");
}

#[test]
fn force_transfers_ownership_of_conflicting_fields() {
    let live = first_apply();
    let out = stored(ok(apply(DEPLOY, Some(&live), &deployment(5, nginx()), "other", true, "", T1)));
    assert_eq!(out["spec"]["replicas"], 5);
    assert!(entry(&out, "kubectl").unwrap()["fieldsV1"]["f:spec"].get("f:replicas").is_none());
    assert!(entry(&out, "other").unwrap()["fieldsV1"]["f:spec"].get("f:replicas").is_some());
    // The first applier now conflicts with the new owner.
    let err = apply(DEPLOY, Some(&out), &deployment(2, nginx()), "kubectl", false, "", T2).unwrap_err();
    assert_eq!(err.message, "Apply failed with 1 conflict: conflict with \"other\": .spec.replicas");
}

#[test]
fn a_scale_by_another_manager_then_a_reapply_conflicts() {
    let live = first_apply();
    let mut scaled = live.clone();
    scaled["spec"]["replicas"] = json!(7);
    track_update(DEPLOY, Some(&live), &mut scaled, "kubectl-scale", "", T1).unwrap();
    let err = apply(DEPLOY, Some(&scaled), &deployment(2, nginx()), "kubectl", false, "", T2).unwrap_err();
    assert_eq!(err.code, 409);
    assert_eq!(
        err.message,
        "Apply failed with 1 conflict: conflict with \"kubectl-scale\" using apps/v1: .spec.replicas"
    );
    assert_eq!(err.causes[0].message, "conflict with \"kubectl-scale\" using apps/v1");
    // Leaving replicas out of the configuration lets the scaler keep it.
    let mut config = deployment(2, nginx());
    config["spec"].as_object_mut().unwrap().remove("replicas");
    let out = ok(apply(DEPLOY, Some(&scaled), &config, "kubectl", false, "", T2));
    assert_eq!(out["spec"]["replicas"], 7);
}

#[test]
fn several_conflicts_are_listed_by_manager() {
    let live = first_apply();
    let mut config = deployment(9, json!([{"name": "nginx", "image": "nginx:2"}]));
    config["metadata"]["labels"]["app"] = json!("x");
    let err = apply(DEPLOY, Some(&live), &config, "b", false, "", T1).unwrap_err();
    assert_eq!(
        err.message,
        "Apply failed with 3 conflicts: conflicts with \"kubectl\":\n- .metadata.labels.app\n- .spec.replicas\n- .spec.template.spec.containers[name=\"nginx\"].image"
    );
    let fields: Vec<&str> = err.causes.iter().map(|c| c.field.as_str()).collect();
    assert_eq!(
        fields,
        [".metadata.labels.app", ".spec.replicas", ".spec.template.spec.containers[name=\"nginx\"].image"]
    );
}

#[test]
fn containers_merge_per_name_and_ports_per_port_and_protocol() {
    let live = first_apply();
    let sidecar = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
    "spec": {"template": {"spec": {"containers": [
        {"name": "sidecar", "image": "envoy", "env": [{"name": "A", "value": "1"}]},
        {"name": "nginx", "ports": [{"containerPort": 80, "protocol": "UDP"}], "env": [{"name": "B", "value": "2"}]}
    ]}}}});
    let out = stored(ok(apply(DEPLOY, Some(&live), &sidecar, "mesh", false, "", T1)));
    let containers = out["spec"]["template"]["spec"]["containers"].as_array().unwrap().clone();
    // Items both lists have follow the applied order (upstream's merge), others keep their place.
    let names: Vec<&str> = containers.iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["sidecar", "nginx"]);
    assert_eq!(containers[1]["image"], "nginx:1.25");
    assert_eq!(containers[1]["ports"], json!([{"containerPort": 80}, {"containerPort": 80, "protocol": "UDP"}]));
    assert_eq!(containers[1]["env"], json!([{"name": "B", "value": "2"}]));
    let mesh = &entry(&out, "mesh").unwrap()["fieldsV1"]["f:spec"]["f:template"]["f:spec"]["f:containers"];
    assert!(mesh["k:{\"name\":\"nginx\"}"]["f:ports"].get("k:{\"containerPort\":80,\"protocol\":\"UDP\"}").is_some());
    assert!(mesh["k:{\"name\":\"sidecar\"}"]["f:env"].get("k:{\"name\":\"A\"}").is_some());
    // The first applier re-applying its own configuration leaves the mesh's items alone.
    let again = ok(apply(DEPLOY, Some(&out), &deployment(2, nginx()), "kubectl", false, "", T2));
    assert_eq!(again["spec"]["template"]["spec"]["containers"], out["spec"]["template"]["spec"]["containers"]);
}

#[test]
fn an_applier_dropping_a_container_removes_only_that_container() {
    let two = json!([{"name": "a", "image": "a"}, {"name": "b", "image": "b"}]);
    let live = stored(ok(apply(DEPLOY, None, &deployment(1, two), "m", false, "", T0)));
    let out = ok(apply(DEPLOY, Some(&live), &deployment(1, json!([{"name": "b", "image": "b"}])), "m", false, "", T1));
    // Go prints the (empty) resources of every container.
    assert_eq!(out["spec"]["template"]["spec"]["containers"], json!([{"name": "b", "image": "b", "resources": {}}]));
}

#[test]
fn atomic_lists_are_replaced_whole() {
    let with_args = |args: Value| deployment(1, json!([{"name": "nginx", "image": "nginx", "args": args}]));
    let live = stored(ok(apply(DEPLOY, None, &with_args(json!(["a", "b"])), "m", false, "", T0)));
    let args = &entry(&live, "m").unwrap()["fieldsV1"]["f:spec"]["f:template"]["f:spec"]["f:containers"]
        ["k:{\"name\":\"nginx\"}"]["f:args"];
    assert_eq!(*args, json!({}), "an atomic list is one field");
    let err = apply(DEPLOY, Some(&live), &with_args(json!(["c"])), "other", false, "", T1).unwrap_err();
    assert!(err.causes[0].field.ends_with("[name=\"nginx\"].args"), "{}", err.causes[0].field);
    let out = ok(apply(DEPLOY, Some(&live), &with_args(json!(["c"])), "other", true, "", T1));
    assert_eq!(out["spec"]["template"]["spec"]["containers"][0]["args"], json!(["c"]));
}

#[test]
fn finalizers_merge_as_a_set() {
    let cm = |f: Value| json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "finalizers": f}});
    let live = stored(ok(apply(CM, None, &cm(json!(["a/x"])), "m1", false, "", T0)));
    let out = ok(apply(CM, Some(&live), &cm(json!(["b/y"])), "m2", false, "", T1));
    assert_eq!(out["metadata"]["finalizers"], json!(["a/x", "b/y"]));
    assert_eq!(entry(&out, "m2").unwrap()["fieldsV1"], json!({"f:metadata": {"f:finalizers": {"v:\"b/y\"": {}}}}));
}

#[test]
fn status_applies_are_separate_entries_and_do_not_own_spec() {
    let live = first_apply();
    let status = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
        "spec": {"replicas": 10}, "status": {"replicas": 2}});
    let out = ok(apply(DEPLOY, Some(&live), &status, "kubectl", false, "status", T1));
    let e = entries(&out);
    assert_eq!(e.len(), 2);
    let s = e.iter().find(|e| e["subresource"] == "status").unwrap();
    assert_eq!(s["fieldsV1"], json!({"f:status": {"f:replicas": {}}}));
    // No conflict on spec.replicas: the status strategy resets spec.
    assert_eq!(out["status"]["replicas"], 2);
}

#[test]
fn apply_bodies_of_another_kind_or_version_are_rejected() {
    let mut config = deployment(1, nginx());
    config["kind"] = json!("StatefulSet");
    let err = apply(DEPLOY, None, &config, "m", false, "", T0).unwrap_err();
    assert_eq!((err.code, err.message.as_str()), (400, "invalid object type: apps/v1, Kind=StatefulSet"));
    config["kind"] = json!("Deployment");
    config["apiVersion"] = json!("v1");
    let err = apply(DEPLOY, None, &config, "m", false, "", T0).unwrap_err();
    assert_eq!(err.message, "invalid object type: /v1, Kind=Deployment");
    config.as_object_mut().unwrap().remove("apiVersion");
    assert_eq!(apply(DEPLOY, None, &config, "m", false, "", T0).unwrap_err().code, 400);
    assert_eq!(apply(DEPLOY, None, &json!([1]), "m", false, "", T0).unwrap_err().code, 400);
}

#[test]
fn apply_bodies_with_managed_fields_are_rejected() {
    for mf in [json!([]), json!([{"manager": "x", "operation": "Apply"}])] {
        let mut config = deployment(1, nginx());
        config["metadata"]["managedFields"] = mf;
        let err = apply(DEPLOY, None, &config, "m", false, "", T0).unwrap_err();
        assert_eq!((err.code, err.message.as_str()), (400, "metadata.managedFields must be nil"));
    }
}

#[test]
fn apply_bodies_the_schema_rejects_fail_like_upstream() {
    let mut config = deployment(1, nginx());
    config["spec"]["bogus"] = json!(1);
    let err = apply(DEPLOY, None, &config, "m", false, "", T0).unwrap_err();
    assert_eq!(err.code, 400);
    assert_eq!(
        err.message,
        "failed to create typed patch object (default/web; apps/v1, Kind=Deployment): .spec.bogus: field not declared in schema"
    );
    let dup = deployment(1, json!([{"name": "a", "image": "x"}, {"name": "a", "image": "y"}]));
    let err = apply(DEPLOY, None, &dup, "m", false, "", T0).unwrap_err();
    assert!(
        err.message.ends_with(".spec.template.spec.containers: duplicate entries for key [name=\"a\"]"),
        "{}",
        err.message
    );
    let bad = deployment(1, json!("nope"));
    assert!(apply(DEPLOY, None, &bad, "m", false, "", T0).unwrap_err().message.contains("expected list"));
}

#[test]
fn unknown_kinds_are_applied_with_atomic_lists() {
    let gvk = Gvk { group: "example.com", version: "v1", kind: "Widget" };
    let w = |items: Value| json!({"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}, "spec": {"items": items, "x": 1}});
    let live = stored(ok(apply(gvk, None, &w(json!([{"name": "a"}])), "m1", false, "", T0)));
    // Undeclared map keys are members too, so deduced maps carry ".".
    assert_eq!(entry(&live, "m1").unwrap()["fieldsV1"], json!({"f:spec": {".": {}, "f:items": {}, "f:x": {}}}));
    let err = apply(gvk, Some(&live), &w(json!([{"name": "b"}])), "m2", false, "", T1).unwrap_err();
    assert_eq!(err.causes.len(), 1);
    assert_eq!(err.causes[0].field, ".spec.items");
}

#[test]
fn existing_fields_of_an_untracked_object_belong_to_before_first_apply() {
    let mut live = create(DEPLOY, created_deployment(), "kubectl-create");
    live["metadata"].as_object_mut().unwrap().remove("managedFields");
    let config =
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "nginx"}, "spec": {"replicas": 4}});
    let err = apply(DEPLOY, Some(&live), &config, "ssa", false, "", T1).unwrap_err();
    assert_eq!(
        err.message,
        "Apply failed with 1 conflict: conflict with \"before-first-apply\" using apps/v1: .spec.replicas"
    );
    let out = ok(apply(DEPLOY, Some(&live), &config, "ssa", true, "", T1));
    let names: Vec<Value> = entries(&out).iter().map(|e| e["manager"].clone()).collect();
    assert_eq!(names, [json!("ssa"), json!("before-first-apply")]);
}

#[test]
fn kubectl_keeps_the_last_applied_annotation_in_step() {
    let key = "kubectl.kubernetes.io/last-applied-configuration";
    let mut config = deployment(2, nginx());
    config["metadata"]["annotations"] = json!({key: "{}", "note": "a<b"});
    let live = stored(ok(apply(DEPLOY, None, &config, "kubectl", false, "", T0)));
    let text = live["metadata"]["annotations"][key].as_str().unwrap();
    assert!(text.ends_with("}\n"));
    assert!(text.starts_with("{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"annotations\":{\"note\":\"a\\u003cb\"}"), "{text}");
    // Other managers leave it alone.
    let other =
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "labels": {"x": "y"}}});
    let out = ok(apply(DEPLOY, Some(&live), &other, "other", false, "", T1));
    assert_eq!(out["metadata"]["annotations"][key], live["metadata"]["annotations"][key]);
    // kubectl applying again rewrites it from the new configuration.
    config["spec"]["replicas"] = json!(3);
    let out = ok(apply(DEPLOY, Some(&out), &config, "kubectl", false, "", T2));
    assert!(out["metadata"]["annotations"][key].as_str().unwrap().contains("\"replicas\":3"));
}

#[test]
fn kubectl_takes_over_fields_its_client_side_apply_set() {
    // An object last written by client-side `kubectl apply` (an Update entry of `kubectl-client-side-apply`).
    let key = "kubectl.kubernetes.io/last-applied-configuration";
    let mut csa = deployment(2, nginx());
    let mut last = csa.clone();
    last["metadata"].as_object_mut().unwrap().remove("namespace");
    csa["metadata"]["annotations"] = json!({key: serde_json::to_string(&last).unwrap()});
    let live = create(DEPLOY, csa, "kubectl-client-side-apply");
    let out = ok(apply(DEPLOY, Some(&live), &deployment(3, nginx()), "kubectl", false, "", T1));
    assert_eq!(out["spec"]["replicas"], 3);
    // Anyone else still conflicts.
    assert_eq!(apply(DEPLOY, Some(&live), &deployment(3, nginx()), "helm", false, "", T1).unwrap_err().code, 409);
}

#[test]
fn applying_a_fifty_container_deployment_is_quick() {
    let containers: Vec<Value> = (0..50)
        .map(|i| {
            json!({"name": format!("c{i}"), "image": format!("img:{i}"),
                "ports": [{"containerPort": 8000 + i}, {"containerPort": 9000 + i, "protocol": "UDP"}],
                "env": (0..10).map(|j| json!({"name": format!("E{j}"), "value": "v"})).collect::<Vec<_>>(),
                "args": ["--a", "--b"]})
        })
        .collect();
    let config = deployment(3, Value::Array(containers.clone()));
    let start = std::time::Instant::now();
    let live = stored(ok(apply(DEPLOY, None, &config, "m", false, "", T0)));
    let mut changed = containers;
    changed.reverse();
    changed.pop();
    let live = stored(ok(apply(DEPLOY, Some(&live), &deployment(4, Value::Array(changed)), "m", false, "", T1)));
    let mut scaled = live.clone();
    scaled["spec"]["replicas"] = json!(9);
    track_update(DEPLOY, Some(&live), &mut scaled, "hpa", "", T2).unwrap();
    assert!(apply(DEPLOY, Some(&scaled), &config, "m", false, "", T2).is_err());
    let elapsed = start.elapsed();
    assert_eq!(live["spec"]["template"]["spec"]["containers"].as_array().unwrap().len(), 49);
    assert!(elapsed < std::time::Duration::from_secs(3), "took {elapsed:?}");
}

#[test]
fn live_lists_with_duplicate_keys_can_still_be_applied_to() {
    let env = json!([{"name": "A", "value": "1"}, {"name": "A", "value": "2"}, {"name": "B", "value": "3"}]);
    let created = create(DEPLOY, deployment(1, json!([{"name": "c", "image": "i", "env": env}])), "creator");
    let fields =
        &entries(&created)[0]["fieldsV1"]["f:spec"]["f:template"]["f:spec"]["f:containers"]["k:{\"name\":\"c\"}"];
    // A duplicated item is owned as a whole; the new list itself is a member.
    assert_eq!(
        fields["f:env"],
        json!({".": {}, "k:{\"name\":\"A\"}": {}, "k:{\"name\":\"B\"}": {".": {}, "f:name": {}, "f:value": {}}})
    );
    let config = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
        "spec": {"template": {"spec": {"containers": [{"name": "c", "env": [{"name": "B", "value": "4"}]}]}}}});
    let out = ok(apply(DEPLOY, Some(&created), &config, "m", true, "", T1));
    let env = &out["spec"]["template"]["spec"]["containers"][0]["env"];
    assert_eq!(env.as_array().unwrap().len(), 3, "{env}");
    assert_eq!(env[2], json!({"name": "B", "value": "4"}));
}
