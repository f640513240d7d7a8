//! The merge rules, directive by directive.

use serde_json::{json, Value};

use super::*;

pub(crate) fn apply(api_version: &str, kind: &str, original: Value, patch: Value) -> Result<Value, ApiError> {
    let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
    strategic_merge(group, version, kind, &original, &patch)
}

pub(crate) fn ok(api_version: &str, kind: &str, original: Value, patch: Value) -> Value {
    match apply(api_version, kind, original, patch) {
        Ok(v) => v,
        Err(e) => panic!("patch failed: {e}"),
    }
}

pub(crate) fn err(api_version: &str, kind: &str, original: Value, patch: Value) -> ApiError {
    match apply(api_version, kind, original, patch) {
        Ok(v) => panic!("patch unexpectedly applied: {v}"),
        Err(e) => e,
    }
}

fn pod(spec: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec})
}

fn containers(result: &Value) -> Vec<&str> {
    result["spec"]["containers"]
        .as_array()
        .map(|l| l.iter().filter_map(|c| c["name"].as_str()).collect())
        .unwrap_or_default()
}

#[test]
fn plain_fields_are_replaced_and_new_ones_added() {
    let out = ok(
        "v1",
        "Pod",
        pod(json!({"restartPolicy": "Always"})),
        json!({"spec": {"restartPolicy": "Never", "hostname": "h"}}),
    );
    assert_eq!(out["spec"], json!({"restartPolicy": "Never", "hostname": "h"}));
}

#[test]
fn null_removes_a_label_and_other_labels_stay() {
    let original = json!({"metadata": {"name": "c", "labels": {"a": "1", "b": "2"}}});
    let out = ok("v1", "ConfigMap", original, json!({"metadata": {"labels": {"a": null, "c": "3"}}}));
    assert_eq!(out["metadata"]["labels"], json!({"b": "2", "c": "3"}));
}

#[test]
fn nulls_inside_an_added_value_are_dropped() {
    let out = ok(
        "v1",
        "ConfigMap",
        json!({"metadata": {"name": "c"}}),
        json!({"metadata": {"labels": {"a": "1", "b": null}}}),
    );
    assert_eq!(out["metadata"]["labels"], json!({"a": "1"}));
}

#[test]
fn map_valued_fields_merge_key_by_key() {
    let original = json!({"metadata": {"name": "c"}, "data": {"a": "1", "b": "2"}});
    let out = ok("v1", "ConfigMap", original, json!({"data": {"b": "20", "c": "3"}}));
    assert_eq!(out["data"], json!({"a": "1", "b": "20", "c": "3"}));
}

#[test]
fn lists_without_a_strategy_are_replaced() {
    let original = pod(json!({"containers": [{"name": "a", "args": ["x", "y"]}]}));
    let out = ok("v1", "Pod", original, json!({"spec": {"containers": [{"name": "a", "args": ["z"]}]}}));
    assert_eq!(out["spec"]["containers"][0]["args"], json!(["z"]));
}

#[test]
fn list_type_map_without_patch_strategy_is_replaced() {
    // `resources.claims` is listType=map keyed by name but has no patchStrategy tag, and
    // strategic merge patch only reads the tags.
    let original = pod(json!({"containers": [{"name": "a", "resources": {"claims": [{"name": "x"}, {"name": "y"}]}}]}));
    let patch = json!({"spec": {"containers": [{"name": "a", "resources": {"claims": [{"name": "z"}]}}]}});
    let out = ok("v1", "Pod", original, patch);
    assert_eq!(out["spec"]["containers"][0]["resources"]["claims"], json!([{"name": "z"}]));
}

#[test]
fn merging_list_items_merge_by_their_merge_key() {
    let original = pod(json!({"containers": [{"name": "a", "image": "x"}, {"name": "b", "image": "y"}]}));
    let out = ok("v1", "Pod", original, json!({"spec": {"containers": [{"name": "b", "image": "z"}]}}));
    assert_eq!(out["spec"]["containers"], json!([{"name": "a", "image": "x"}, {"name": "b", "image": "z"}]));
}

#[test]
fn new_merge_list_items_without_an_order_directive_come_first() {
    let original = pod(json!({"containers": [{"name": "a"}, {"name": "b"}]}));
    let out = ok("v1", "Pod", original, json!({"spec": {"containers": [{"name": "c"}]}}));
    assert_eq!(containers(&out), ["c", "a", "b"]);
}

#[test]
fn patch_items_keep_live_positions_when_they_exist() {
    let original = pod(json!({"containers": [{"name": "a"}, {"name": "b"}, {"name": "c"}]}));
    let out = ok("v1", "Pod", original, json!({"spec": {"containers": [{"name": "c", "image": "i"}, {"name": "a"}]}}));
    // The patch order (c before a) wins for the patched items; b, live-only, goes in front
    // of the first patched item that stood after it in the live list.
    assert_eq!(containers(&out), ["b", "c", "a"]);
}

#[test]
fn set_element_order_places_new_and_existing_items() {
    let original = pod(json!({"containers": [{"name": "a"}, {"name": "b"}]}));
    let patch = json!({"spec": {
        "$setElementOrder/containers": [{"name": "a"}, {"name": "c"}, {"name": "b"}],
        "containers": [{"name": "c", "image": "new"}]}});
    let out = ok("v1", "Pod", original, patch);
    assert_eq!(containers(&out), ["a", "c", "b"]);
}

#[test]
fn set_element_order_alone_reorders_the_live_list() {
    let original = pod(json!({"containers": [{"name": "a"}, {"name": "b"}, {"name": "c"}]}));
    let patch = json!({"spec": {"$setElementOrder/containers": [{"name": "c"}, {"name": "b"}, {"name": "a"}]}});
    assert_eq!(containers(&ok("v1", "Pod", original, patch)), ["c", "b", "a"]);
}

#[test]
fn set_element_order_may_name_items_that_do_not_exist() {
    let original = pod(json!({"containers": [{"name": "a"}, {"name": "b"}]}));
    let patch = json!({"spec": {"$setElementOrder/containers": [{"name": "b"}, {"name": "zz"}, {"name": "a"}]}});
    assert_eq!(containers(&ok("v1", "Pod", original, patch)), ["b", "a"]);
}

#[test]
fn set_element_order_that_contradicts_the_patch_list_is_a_bad_request() {
    let original = pod(json!({"containers": [{"name": "a"}, {"name": "b"}]}));
    let patch = json!({"spec": {
        "$setElementOrder/containers": [{"name": "a"}, {"name": "b"}],
        "containers": [{"name": "b"}, {"name": "a"}]}});
    let e = err("v1", "Pod", original, patch);
    assert_eq!((e.code, e.reason), (400, "BadRequest"));
    assert!(
        e.message
            .starts_with("The order in patch list:\n[map[name:b] map[name:a]]\n doesn't match $setElementOrder list:"),
        "{}",
        e.message
    );
}

#[test]
fn set_element_order_for_a_primitive_list() {
    let original = json!({"metadata": {"name": "c", "finalizers": ["a", "b", "c"]}});
    let patch = json!({"metadata": {"$setElementOrder/finalizers": ["c", "a", "b"]}});
    assert_eq!(ok("v1", "ConfigMap", original, patch)["metadata"]["finalizers"], json!(["c", "a", "b"]));
}

#[test]
fn patch_delete_removes_a_list_element_by_merge_key() {
    let original = pod(json!({"containers": [{"name": "a"}, {"name": "b"}, {"name": "c"}]}));
    let out = ok("v1", "Pod", original, json!({"spec": {"containers": [{"name": "b", "$patch": "delete"}]}}));
    assert_eq!(containers(&out), ["a", "c"]);
}

#[test]
fn patch_delete_without_the_merge_key_is_an_error() {
    let original = pod(json!({"containers": [{"name": "a"}]}));
    let e = err("v1", "Pod", original, json!({"spec": {"containers": [{"$patch": "delete"}]}}));
    assert_eq!(e.code, 400);
    assert_eq!(e.message, "map: map[$patch:delete] does not contain declared merge key: name");
}

#[test]
fn patch_replace_on_a_list_makes_the_patch_items_the_list() {
    let original = pod(json!({"containers": [{"name": "a", "image": "x"}, {"name": "b"}]}));
    let patch = json!({"spec": {"containers": [{"name": "z", "image": "q"}, {"$patch": "replace"}]}});
    assert_eq!(ok("v1", "Pod", original, patch)["spec"]["containers"], json!([{"name": "z", "image": "q"}]));
}

#[test]
fn patch_replace_on_a_map_takes_the_map_as_given() {
    let original = json!({"metadata": {"name": "c", "labels": {"a": "1", "b": "2"}}});
    let patch = json!({"metadata": {"labels": {"$patch": "replace", "c": "3"}}});
    assert_eq!(ok("v1", "ConfigMap", original, patch)["metadata"]["labels"], json!({"c": "3"}));
}

#[test]
fn patch_delete_on_a_map_empties_it_and_on_an_absent_map_adds_nothing() {
    let original = json!({"metadata": {"name": "c", "labels": {"a": "1"}}});
    let out = ok(
        "v1",
        "ConfigMap",
        original,
        json!({"metadata": {"labels": {"$patch": "delete"}, "annotations": {"$patch": "delete"}}}),
    );
    assert_eq!(out["metadata"], json!({"name": "c", "labels": {}}));
}

#[test]
fn patch_merge_or_unknown_values_are_errors() {
    let original = json!({"metadata": {"name": "c", "labels": {"a": "1"}}});
    let e = err("v1", "ConfigMap", original.clone(), json!({"metadata": {"labels": {"$patch": "merge"}}}));
    assert_eq!((e.code, e.message.as_str()), (400, "unknown patch type: merge in map: map[$patch:merge]"));
    let e = err("v1", "ConfigMap", original, json!({"metadata": {"labels": {"$patch": 7}}}));
    assert_eq!(e.message, "unknown patch type: %!s(int64=7) in map: map[$patch:7]");
    let original = pod(json!({"containers": [{"name": "a"}]}));
    let e = err("v1", "Pod", original.clone(), json!({"spec": {"containers": [{"name": "a", "$patch": "merge"}]}}));
    assert_eq!(e.message, "merging lists cannot yet be specified in the patch");
    let e = err("v1", "Pod", original, json!({"spec": {"containers": [{"name": "a", "$patch": "bogus"}]}}));
    assert_eq!(e.message, "unknown patch type: bogus in map: map[$patch:bogus name:a]");
}

#[test]
fn primitive_merge_lists_union_in_order() {
    let original = json!({"metadata": {"name": "c", "finalizers": ["a", "b"]}});
    let out = ok("v1", "ConfigMap", original, json!({"metadata": {"finalizers": ["c", "a"]}}));
    assert_eq!(out["metadata"]["finalizers"], json!(["c", "a", "b"]));
}

#[test]
fn delete_from_primitive_list_removes_every_copy() {
    let original = json!({"metadata": {"name": "c", "finalizers": ["a", "b", "a", "c"]}});
    let out =
        ok("v1", "ConfigMap", original, json!({"metadata": {"$deleteFromPrimitiveList/finalizers": ["a", "zz"]}}));
    assert_eq!(out["metadata"]["finalizers"], json!(["b", "c"]));
}

#[test]
fn delete_from_primitive_list_of_an_absent_list_adds_nothing() {
    let out = ok(
        "v1",
        "ConfigMap",
        json!({"metadata": {"name": "c"}}),
        json!({"metadata": {"$deleteFromPrimitiveList/finalizers": ["a"]}}),
    );
    assert_eq!(out["metadata"], json!({"name": "c"}));
}

#[test]
fn delete_from_primitive_list_works_on_lists_without_a_strategy_too() {
    let original = pod(json!({"containers": [{"name": "a", "args": ["x", "y", "z"]}]}));
    let patch = json!({"spec": {"containers": [{"name": "a", "$deleteFromPrimitiveList/args": ["y"]}]}});
    assert_eq!(ok("v1", "Pod", original, patch)["spec"]["containers"][0]["args"], json!(["x", "z"]));
}

#[test]
fn malformed_directive_keys_are_bad_requests() {
    let original = json!({"metadata": {"name": "c", "finalizers": ["a"]}});
    for key in ["$deleteFromPrimitiveListfinalizers", "$deleteFromPrimitiveList_x/finalizers"] {
        let e = err("v1", "ConfigMap", original.clone(), json!({"metadata": {key: ["a"]}}));
        assert_eq!(
            (e.code, e.reason, e.message.as_str()),
            (400, "BadRequest", "invalid patch format of primitive list")
        );
    }
    let e = err("v1", "ConfigMap", original, json!({"metadata": {"$setElementOrderfinalizers": ["a"]}}));
    assert_eq!((e.code, e.message.as_str()), (400, "invalid patch format of setElementOrder list"));
}

#[test]
fn set_element_order_must_be_a_list_and_name_a_list_field() {
    let original = pod(json!({"containers": [{"name": "a"}]}));
    let e = err("v1", "Pod", original.clone(), json!({"spec": {"$setElementOrder/containers": "a"}}));
    assert_eq!((e.code, e.message.as_str()), (400, "expected a []interface {}, but received a string"));
    let e = err("v1", "Pod", original.clone(), json!({"spec": {"$setElementOrder/nope": []}}));
    assert_eq!(e.message, "unable to find api field in struct PodSpec for the json field \"nope\"");
    let e = err("v1", "Pod", original, json!({"spec": {"$setElementOrder/restartPolicy": []}}));
    assert_eq!(e.message, "expected slice or array type, but got: struct");
}

#[test]
fn retain_keys_clears_live_keys_not_listed() {
    let original = json!({"spec": {"strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}}}});
    let patch = json!({"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate", "rollingUpdate": null}}});
    assert_eq!(ok("apps/v1", "Deployment", original, patch)["spec"]["strategy"], json!({"type": "Recreate"}));
}

#[test]
fn retain_keys_must_list_every_key_the_patch_sets() {
    let original = json!({"spec": {"strategy": {"type": "RollingUpdate"}}});
    let patch = json!({"spec": {"strategy": {"$retainKeys": ["type"], "rollingUpdate": {"maxSurge": 1}}}});
    let e = err("apps/v1", "Deployment", original.clone(), patch);
    assert_eq!((e.code, e.reason, e.message.as_str()), (400, "BadRequest", "invalid patch format of retainKeys"));
    let e = err("apps/v1", "Deployment", original, json!({"spec": {"strategy": {"$retainKeys": "type"}}}));
    assert_eq!(e.code, 400);
}

#[test]
fn a_replace_strategy_field_is_taken_whole() {
    // PodDisruptionBudget's selector is tagged patchStrategy=replace.
    let original = json!({"spec": {"selector": {"matchLabels": {"a": "1"}, "matchExpressions": [{"key": "k", "operator": "Exists"}]}}});
    let patch = json!({"spec": {"selector": {"matchLabels": {"b": "2"}}}});
    assert_eq!(
        ok("policy/v1", "PodDisruptionBudget", original, patch)["spec"]["selector"],
        json!({"matchLabels": {"b": "2"}})
    );
}

#[test]
fn raw_extension_content_merges_only_at_its_top_level() {
    let original = json!({"data": {"a": 1, "b": {"c": 2}}, "revision": 1});
    let out =
        ok("apps/v1", "ControllerRevision", original.clone(), json!({"data": {"a": 5, "d": {"e": 1}, "b": null}}));
    assert_eq!(out["data"], json!({"a": 5, "d": {"e": 1}}));
    // Nested maps inside a RawExtension have no Go type to look up: upstream refuses them.
    let e = err("apps/v1", "ControllerRevision", original, json!({"data": {"b": {"c": 3}}}));
    assert_eq!(
        (e.code, e.message.as_str()),
        (400, "unable to find api field in struct RawExtension for the json field \"b\"")
    );
}

#[test]
fn list_element_type_mismatches_are_reported() {
    let original = json!({"metadata": {"name": "c", "finalizers": ["a"]}});
    let e = err("v1", "ConfigMap", original.clone(), json!({"metadata": {"finalizers": [1]}}));
    assert_eq!((e.code, e.message.as_str()), (400, "list element types are not identical: [[a] [1]]"));
    let e = err(
        "v1",
        "ConfigMap",
        json!({"metadata": {"name": "c", "finalizers": []}}),
        json!({"metadata": {"finalizers": [["a"]]}}),
    );
    assert_eq!((e.code, e.reason), (422, "Invalid"));
}

#[test]
fn cases_the_go_code_panics_on_become_bad_requests() {
    // Two maps compared with ==: a merge key whose value is an object.
    let original = pod(json!({"containers": [{"name": "a"}]}));
    let e = err("v1", "Pod", original, json!({"spec": {"containers": [{"name": {"x": 1}}]}}));
    assert_eq!(e.code, 400);
    assert!(e.message.starts_with("the patch cannot be applied: "), "{}", e.message);
}

#[test]
fn kinds_outside_the_schema_fall_back_to_json_merge_patch() {
    let original = json!({"apiVersion": "example.com/v1", "kind": "Widget", "spec": {"list": [1, 2], "keep": true}});
    let patch = json!({"spec": {"list": [3], "keep": null, "new": {"$patch": "delete"}}});
    let out = ok("example.com/v1", "Widget", original, patch);
    assert_eq!(out["spec"], json!({"list": [3], "new": {"$patch": "delete"}}));
}

#[test]
fn a_null_patch_changes_nothing_and_a_non_object_patch_is_a_400() {
    let original = json!({"metadata": {"name": "c"}});
    assert_eq!(ok("v1", "ConfigMap", original.clone(), Value::Null), original);
    let e = err("v1", "ConfigMap", original, json!([1]));
    assert_eq!(
        (e.code, e.message.as_str()),
        (400, "json: cannot unmarshal array into Go value of type map[string]interface {}")
    );
}

#[test]
fn field_names_match_case_insensitively_like_go() {
    let original = pod(json!({"containers": [{"name": "b"}, {"name": "a"}]}));
    let out = ok("v1", "Pod", original, json!({"spec": {"$setElementOrder/Containers": [{"name": "a"}]}}));
    // The directive resolves (Go's JSON field matching folds case) but names a key the
    // object does not have, so nothing changes.
    assert_eq!(containers(&out), ["b", "a"]);
}
