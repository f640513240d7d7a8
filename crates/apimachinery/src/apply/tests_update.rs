use serde_json::{json, Value};

use super::{track_update, Gvk};

pub(super) const DEPLOY: Gvk<'static> = Gvk { group: "apps", version: "v1", kind: "Deployment" };
pub(super) const CM: Gvk<'static> = Gvk { group: "", version: "v1", kind: "ConfigMap" };
pub(super) const T0: &str = "2024-01-01T00:00:00Z";
pub(super) const T1: &str = "2024-01-01T00:01:00Z";
pub(super) const T2: &str = "2024-01-01T00:02:00Z";

/// A Deployment as `kubectl create deployment nginx --image=nginx` leaves it after defaulting.
pub(super) fn created_deployment() -> Value {
    json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "nginx", "namespace": "default", "labels": {"app": "nginx"}},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": "nginx"}},
            "template": {
                "metadata": {"labels": {"app": "nginx"}},
                "spec": {
                    "containers": [{
                        "name": "nginx", "image": "nginx", "resources": {},
                        "terminationMessagePath": "/dev/termination-log",
                        "terminationMessagePolicy": "File", "imagePullPolicy": "Always"
                    }],
                    "restartPolicy": "Always", "terminationGracePeriodSeconds": 30, "dnsPolicy": "ClusterFirst",
                    "securityContext": {}, "schedulerName": "default-scheduler"
                }
            },
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}},
            "revisionHistoryLimit": 10, "progressDeadlineSeconds": 600
        }
    })
}

pub(super) fn entries(obj: &Value) -> Vec<Value> {
    obj.pointer("/metadata/managedFields").and_then(Value::as_array).cloned().unwrap_or_default()
}

pub(super) fn entry<'a>(obj: &'a Value, manager: &str) -> Option<&'a Value> {
    obj.pointer("/metadata/managedFields")?.as_array()?.iter().find(|e| e["manager"] == manager)
}

pub(super) fn create(gvk: Gvk<'_>, mut obj: Value, manager: &str) -> Value {
    track_update(gvk, None, &mut obj, manager, "", T0).expect("create is tracked");
    obj["metadata"]["uid"] = json!("6f1d4b0e-0000-4000-8000-000000000001");
    obj
}

#[test]
fn create_records_an_update_entry_owning_every_field_it_set() {
    let obj = create(DEPLOY, created_deployment(), "kubectl-create");
    let e = entries(&obj);
    assert_eq!(e.len(), 1);
    assert_eq!(e[0]["manager"], "kubectl-create");
    assert_eq!(e[0]["operation"], "Update");
    assert_eq!(e[0]["apiVersion"], "apps/v1");
    assert_eq!(e[0]["time"], T0);
    assert_eq!(e[0]["fieldsType"], "FieldsV1");
    assert!(e[0].get("subresource").is_none());
    let keys: Vec<&String> = e[0].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["manager", "operation", "apiVersion", "time", "fieldsType", "fieldsV1"]);
    // Exactly what upstream records (labels added as maps get "."; containers, present as
    // null in Go's zero Deployment, do not; an empty container resources is owned).
    let expected = json!({
        "f:metadata": {"f:labels": {".": {}, "f:app": {}}},
        "f:spec": {
            "f:progressDeadlineSeconds": {}, "f:replicas": {}, "f:revisionHistoryLimit": {}, "f:selector": {},
            "f:strategy": {"f:rollingUpdate": {".": {}, "f:maxSurge": {}, "f:maxUnavailable": {}}, "f:type": {}},
            "f:template": {
                "f:metadata": {"f:labels": {".": {}, "f:app": {}}},
                "f:spec": {
                    "f:containers": {"k:{\"name\":\"nginx\"}": {
                        ".": {}, "f:image": {}, "f:imagePullPolicy": {}, "f:name": {}, "f:resources": {},
                        "f:terminationMessagePath": {}, "f:terminationMessagePolicy": {}
                    }},
                    "f:dnsPolicy": {}, "f:restartPolicy": {}, "f:schedulerName": {}, "f:securityContext": {},
                    "f:terminationGracePeriodSeconds": {}
                }
            }
        }
    });
    assert_eq!(serde_json::to_string(&e[0]["fieldsV1"]).unwrap(), serde_json::to_string(&expected).unwrap());
}

#[test]
fn metadata_identity_fields_are_never_owned() {
    let obj = create(
        CM,
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "d", "generation": 3}}),
        "m",
    );
    assert!(obj.pointer("/metadata/managedFields").is_none(), "{obj}");
}

#[test]
fn an_update_takes_the_fields_it_changes_from_their_owner() {
    let old = create(DEPLOY, created_deployment(), "kubectl-create");
    let mut new = old.clone();
    new["spec"]["replicas"] = json!(3);
    track_update(DEPLOY, Some(&old), &mut new, "kube-controller-manager", "", T1).unwrap();
    let kcm = entry(&new, "kube-controller-manager").expect("new entry");
    assert_eq!(kcm["fieldsV1"], json!({"f:spec": {"f:replicas": {}}}));
    assert_eq!(kcm["time"], T1);
    let create = entry(&new, "kubectl-create").unwrap();
    assert!(create["fieldsV1"]["f:spec"].get("f:replicas").is_none());
    assert_eq!(create["time"], T0, "untouched entries keep their time");
    // Entries are ordered by time.
    let order: Vec<Value> = entries(&new).iter().map(|e| e["manager"].clone()).collect();
    assert_eq!(order, [json!("kubectl-create"), json!("kube-controller-manager")]);
}

#[test]
fn removing_a_field_takes_it_from_its_owner_and_empty_entries_vanish() {
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"a": "1"}});
    let old = create(CM, cm, "creator");
    let mut new = old.clone();
    new["data"] = json!({});
    track_update(CM, Some(&old), &mut new, "editor", "", T1).unwrap();
    // The emptied map is owned by the editor (upstream keeps empty maps as leaves), the creator
    // lost its only field.
    assert!(entry(&new, "creator").is_none(), "{new}");
    new.as_object_mut().unwrap().remove("data");
    let old2 = new.clone();
    track_update(CM, Some(&old2), &mut new, "editor", "", T2).unwrap();
    assert!(new.pointer("/metadata/managedFields").is_none(), "{new}");
}

#[test]
fn a_write_that_changes_nothing_keeps_entries_and_times() {
    let old = create(DEPLOY, created_deployment(), "kubectl-create");
    let mut new = old.clone();
    track_update(DEPLOY, Some(&old), &mut new, "someone", "", T1).unwrap();
    assert_eq!(entries(&new), entries(&old));
}

#[test]
fn the_same_manager_updating_again_merges_into_its_entry() {
    let old = create(DEPLOY, created_deployment(), "kubectl-create");
    let mut new = old.clone();
    new["metadata"]["labels"]["tier"] = json!("web");
    track_update(DEPLOY, Some(&old), &mut new, "kubectl-create", "", T1).unwrap();
    let e = entries(&new);
    assert_eq!(e.len(), 1);
    assert_eq!(e[0]["time"], T1);
    assert_eq!(e[0]["fieldsV1"]["f:metadata"], json!({"f:labels": {".": {}, "f:app": {}, "f:tier": {}}}));
}

#[test]
fn status_subresource_entries_are_separate_and_own_only_status() {
    let old = create(DEPLOY, created_deployment(), "kubectl-create");
    let mut new = old.clone();
    new["status"] = json!({"replicas": 1, "readyReplicas": 1});
    new["spec"]["paused"] = json!(true);
    track_update(DEPLOY, Some(&old), &mut new, "kube-controller-manager", "status", T1).unwrap();
    let e = entry(&new, "kube-controller-manager").unwrap();
    assert_eq!(e["subresource"], "status");
    assert_eq!(e["fieldsV1"], json!({"f:status": {"f:readyReplicas": {}, "f:replicas": {}}}));
    assert_eq!(e.as_object().unwrap().keys().next_back().unwrap(), "subresource");
    // Status written through the main resource is not owned either.
    let old2 = new.clone();
    let mut new2 = new.clone();
    new2["status"]["replicas"] = json!(2);
    track_update(DEPLOY, Some(&old2), &mut new2, "other", "", T2).unwrap();
    assert!(entry(&new2, "other").is_none());
}

#[test]
fn update_entries_are_capped_at_ten_merging_the_oldest() {
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "labels": {"a": "b"}}});
    let mut obj = create(CM, cm, "creator");
    for i in 0..12 {
        let old = obj.clone();
        obj["data"][format!("k{i}")] = json!("v");
        let now = format!("2024-01-01T01:{i:02}:00Z");
        track_update(CM, Some(&old), &mut obj, &format!("m{i:02}"), "", &now).unwrap();
    }
    // 13 update entries: the four oldest (creator, m00, m01, m02) share a version and merge.
    let e = entries(&obj);
    assert_eq!(e.len(), 10, "{obj:#}");
    let ancient = entry(&obj, "ancient-changes").expect("a bucket for the oldest");
    assert_eq!(
        ancient["fieldsV1"],
        json!({"f:data": {".": {}, "f:k0": {}, "f:k1": {}, "f:k2": {}}, "f:metadata": {"f:labels": {".": {}, "f:a": {}}}})
    );
    assert_eq!(ancient["time"], "2024-01-01T01:02:00Z");
    assert!(entry(&obj, "creator").is_none() && entry(&obj, "m02").is_none() && entry(&obj, "m03").is_some());
}

#[test]
fn an_empty_managed_fields_list_resets_tracking() {
    let old = create(DEPLOY, created_deployment(), "kubectl-create");
    let mut new = old.clone();
    new["metadata"]["managedFields"] = json!([]);
    track_update(DEPLOY, Some(&old), &mut new, "resetter", "", T1).unwrap();
    assert!(new.pointer("/metadata/managedFields").is_none());
    // Without entries, updates of an existing object are not tracked until the next apply.
    let old2 = new.clone();
    new["spec"]["replicas"] = json!(5);
    track_update(DEPLOY, Some(&old2), &mut new, "scaler", "", T2).unwrap();
    assert!(new.pointer("/metadata/managedFields").is_none());
}

#[test]
fn client_sent_entries_replace_the_live_ones_when_valid() {
    let old = create(
        CM,
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"a": "1"}}),
        "creator",
    );
    let mut new = old.clone();
    new["metadata"]["managedFields"] = json!([{
        "manager": "someone-else", "operation": "Apply", "apiVersion": "v1",
        "time": "2023-06-01T10:00:00+02:00", "fieldsType": "FieldsV1", "fieldsV1": {"f:data": {"f:a": {}}}
    }]);
    track_update(CM, Some(&old), &mut new, "editor", "", T1).unwrap();
    let e = entries(&new);
    assert_eq!(e.len(), 1);
    assert_eq!(e[0]["manager"], "someone-else");
    assert_eq!(e[0]["time"], "2023-06-01T08:00:00Z", "times are re-encoded in UTC");
}

#[test]
fn unusable_client_entries_fall_back_to_the_live_ones() {
    let old = create(
        CM,
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"a": "1"}}),
        "creator",
    );
    for bad in [
        json!([{"manager": "x", "operation": "Bogus", "apiVersion": "v1", "fieldsType": "FieldsV1", "fieldsV1": {}}]),
        json!([{"manager": "x", "operation": "Apply", "fieldsType": "FieldsV1", "fieldsV1": {}}]),
        json!([{"manager": "x", "operation": "Apply", "apiVersion": "v1", "fieldsType": "FieldsV2"}]),
        json!([{"manager": "x", "operation": "Apply", "apiVersion": "v1", "fieldsType": "FieldsV1", "fieldsV1": {"nocolon": {}}}]),
        json!([{"manager": "x", "operation": "Apply", "apiVersion": "v1", "fieldsType": "FieldsV1", "fieldsV1": "str"}]),
    ] {
        let mut new = old.clone();
        new["metadata"]["managedFields"] = bad;
        track_update(CM, Some(&old), &mut new, "editor", "", T1).unwrap();
        assert_eq!(entries(&new), entries(&old));
    }
}

#[test]
fn garbage_managed_fields_are_a_clean_bad_request() {
    let old = create(CM, json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}), "creator");
    for bad in [json!("x"), json!(5), json!([1]), json!([{"manager": 7}]), json!([{"time": "yesterday"}])] {
        let mut new = old.clone();
        new["metadata"]["managedFields"] = bad.clone();
        let err = track_update(CM, Some(&old), &mut new, "editor", "", T1).unwrap_err();
        assert_eq!(err.code, 400, "{bad}");
        assert!(
            err.message.starts_with("ConfigMap in version \"v1\" cannot be handled as a ConfigMap: "),
            "{}",
            err.message
        );
    }
}

#[test]
fn entries_failing_object_meta_validation_are_invalid() {
    let old = create(CM, json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}), "creator");
    let mut new = old.clone();
    new["metadata"]["managedFields"] = json!([{"manager": "m".repeat(129), "operation": "Update", "apiVersion": "v1", "fieldsType": "FieldsV1", "fieldsV1": {"f:data": {}}}]);
    let err = track_update(CM, Some(&old), &mut new, "editor", "", T1).unwrap_err();
    assert_eq!(err.code, 422);
    assert_eq!(err.causes[0].field, "metadata.managedFields[0].manager");
}

#[test]
fn writes_through_a_subresource_ignore_client_entries() {
    let old = create(DEPLOY, created_deployment(), "kubectl-create");
    let mut new = old.clone();
    new["metadata"]["managedFields"] = json!([]);
    new["status"] = json!({"replicas": 1});
    track_update(DEPLOY, Some(&old), &mut new, "kcm", "status", T1).unwrap();
    assert_eq!(entries(&new).len(), 2);
}

#[test]
fn an_empty_manager_name_is_recorded_as_unknown() {
    let obj =
        create(CM, json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"a": "b"}}), "");
    assert_eq!(entries(&obj)[0]["manager"], "unknown");
}

#[test]
fn unknown_kinds_track_lists_atomically() {
    let gvk = Gvk { group: "example.com", version: "v1", kind: "Widget" };
    let obj = json!({"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"},
        "spec": {"items": [{"name": "a"}], "size": {"x": 1}}});
    let obj = create(gvk, obj, "m");
    assert_eq!(
        entries(&obj)[0]["fieldsV1"],
        json!({"f:spec": {".": {}, "f:items": {}, "f:size": {".": {}, "f:x": {}}}})
    );
}

#[test]
fn a_single_empty_entry_also_resets_managed_fields() {
    for reset in [json!([{}]), json!([null]), json!([{"manager": ""}])] {
        let old = create(DEPLOY, created_deployment(), "kubectl-create");
        let mut new = old.clone();
        new["metadata"]["managedFields"] = reset;
        track_update(DEPLOY, Some(&old), &mut new, "resetter", "", T1).unwrap();
        assert!(new.pointer("/metadata/managedFields").is_none());
    }
}
