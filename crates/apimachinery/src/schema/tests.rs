use serde_json::json;

use super::*;

#[test]
fn the_embedded_table_loads() {
    let s = schema();
    assert!(s.kinds().len() > 200);
    assert!(s.type_def("io.k8s.api.core.v1.PodSpec").is_some());
}

#[test]
fn kinds_resolve_per_group_version() {
    let s = schema();
    assert_eq!(s.kind("", "v1", "Pod").map(|t| t.name.as_str()), Some("io.k8s.api.core.v1.Pod"));
    assert_eq!(s.kind("apps", "v1", "Deployment").map(|t| t.type_meta), Some(true));
    assert_eq!(s.kind("autoscaling", "v1", "Scale").map(|t| t.name.as_str()), Some("io.k8s.api.autoscaling.v1.Scale"));
    assert_eq!(s.kind("policy", "v1", "Eviction").map(|t| t.short_name()), Some("Eviction"));
    assert!(s.kind("authentication.k8s.io", "v1", "TokenRequest").is_some());
    assert!(s.kind("apps", "v1", "Pod").is_none());
}

#[test]
fn unversioned_meta_kinds_are_known_in_every_group() {
    let s = schema();
    let status = "io.k8s.apimachinery.pkg.apis.meta.v1.Status";
    assert_eq!(s.kind("", "v1", "Status").map(|t| t.name.as_str()), Some(status));
    assert_eq!(s.kind("apps", "v1", "Status").map(|t| t.name.as_str()), Some(status));
    assert!(s.kind("batch", "v1", "DeleteOptions").is_some());
    assert!(s.kind("meta.k8s.io", "v1", "PartialObjectMetadataList").is_some());
}

#[test]
fn fields_carry_tags_types_and_markers() {
    let spec = schema().type_def("io.k8s.api.core.v1.PodSpec").expect("PodSpec");
    let containers = spec.field("containers").expect("containers");
    assert_eq!(containers.tag, 2);
    assert!(containers.repeated && !containers.omitempty);
    assert_eq!(containers.value, ValueType::Message("io.k8s.api.core.v1.Container".into()));
    assert_eq!(containers.patch_strategy.as_deref(), Some("merge"));
    assert_eq!(containers.patch_merge_key.as_deref(), Some("name"));
    assert_eq!(containers.list_type.as_deref(), Some("map"));
    assert_eq!(containers.list_map_keys, vec!["name".to_string()]);
    let grace = spec.field("terminationGracePeriodSeconds").expect("grace");
    assert!(grace.pointer && grace.value == ValueType::Int64);
    let node_selector = spec.field("nodeSelector").expect("nodeSelector");
    assert_eq!(node_selector.map_key, Some(ValueType::String));
    assert_eq!(node_selector.map_type.as_deref(), Some("atomic"));
}

#[test]
fn named_types_resolve_to_their_underlying_shapes() {
    let resources = schema().type_def("io.k8s.api.core.v1.ResourceRequirements").expect("type");
    let limits = resources.field("limits").expect("limits");
    assert!(limits.is_map());
    assert_eq!(limits.value, ValueType::Quantity);
    let policy = schema().type_def("io.k8s.api.core.v1.PodSpec").and_then(|t| t.field("restartPolicy"));
    assert_eq!(policy.map(|f| f.value.clone()), Some(ValueType::String));
    let extra = schema().type_def("io.k8s.api.authentication.v1.UserInfo").and_then(|t| t.field("extra"));
    let wrapper = extra.and_then(|f| f.value.message()).and_then(|n| schema().type_def(n)).expect("ExtraValue");
    assert_eq!(wrapper.items, Some(ValueType::String));
}

#[test]
fn inline_embeddings_are_seen_through_in_json_but_kept_in_protobuf() {
    let volume = schema().type_def("io.k8s.api.core.v1.Volume").expect("Volume");
    assert!(volume.field("configMap").is_some());
    assert!(volume.field("volumeSource").is_none());
    let source = volume.field_by_tag(2).expect("tag 2");
    assert!(source.inline);
    assert_eq!(source.value.message(), Some("io.k8s.api.core.v1.VolumeSource"));
    let probe = schema().type_def("io.k8s.api.core.v1.Probe").expect("Probe");
    assert!(probe.field("httpGet").is_some() && probe.field("periodSeconds").is_some());
    let ephemeral = schema().type_def("io.k8s.api.core.v1.EphemeralContainer").expect("type");
    let names: Vec<&str> = ephemeral.json_fields().iter().map(|f| f.json_name.as_str()).collect();
    assert_eq!(names.first(), Some(&"name"));
    assert_eq!(names.last(), Some(&"targetContainerName"));
}

#[test]
fn type_meta_fields_come_first_and_have_no_tag() {
    let pod = schema().kind("", "v1", "Pod").expect("Pod");
    let names: Vec<&str> = pod.json_fields().iter().map(|f| f.json_name.as_str()).collect();
    assert_eq!(&names[..3], &["kind", "apiVersion", "metadata"]);
    assert_eq!(pod.field("kind").map(|f| f.tag), Some(0));
}

#[test]
fn unknown_fields_are_listed_with_their_paths() {
    let pod = json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "p", "bogus": 1},
        "spec": {"containers": [{"name": "a", "image": "x"}, {"name": "b", "imagee": "y"}], "foo": true},
        "extra": {}
    });
    assert_eq!(
        unknown_fields("", "v1", "Pod", &pod),
        vec!["metadata.bogus", "spec.containers[1].imagee", "spec.foo", "extra"]
    );
    let findings = strict_decoding_findings(&["spec.foo".into()], &["spec.replicas".into()]);
    assert_eq!(
        strict_decoding_message(&findings),
        "strict decoding error: unknown field \"spec.foo\", duplicate field \"spec.replicas\""
    );
}

#[test]
fn free_form_fields_hide_nothing() {
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"managedFields": [
        {"manager": "m", "fieldsV1": {"f:data": {"f:x": {}}}}
    ]}, "data": {"anything": "goes"}});
    assert!(unknown_fields("", "v1", "ConfigMap", &cm).is_empty());
    let rev = json!({"apiVersion": "apps/v1", "kind": "ControllerRevision", "data": {"spec": {"whatever": 1}}});
    assert!(unknown_fields("apps", "v1", "ControllerRevision", &rev).is_empty());
}

#[test]
fn unknown_kinds_have_no_unknown_fields_and_stay_untouched() {
    let mut obj = json!({"apiVersion": "example.com/v1", "kind": "Widget", "spec": {"x": null}});
    assert!(unknown_fields("example.com", "v1", "Widget", &obj).is_empty());
    let before = obj.clone();
    normalize("example.com", "v1", "Widget", &mut obj);
    assert_eq!(obj, before);
}

#[test]
fn normalize_drops_unknown_null_and_empty_omitempty_fields() {
    let mut pod = json!({
        "spec": {"containers": [{"name": "a", "image": "", "stdin": false, "ports": [], "bogus": 1}],
                 "nodeName": null, "hostNetwork": false, "nodeSelector": {}},
        "metadata": {"name": "p", "labels": {}, "namespace": ""},
        "apiVersion": "v1", "kind": "Pod",
    });
    normalize("", "v1", "Pod", &mut pod);
    assert_eq!(
        pod,
        json!({"kind": "Pod", "apiVersion": "v1", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "a"}]}})
    );
    let text = serde_json::to_string(&pod).expect("json");
    assert!(text.starts_with(r#"{"kind":"Pod","apiVersion":"v1","metadata""#), "{text}");
}

#[test]
fn pointer_fields_keep_their_zero_values() {
    let mut deploy = json!({"apiVersion": "apps/v1", "kind": "Deployment", "spec": {"replicas": 0, "paused": false}});
    normalize("apps", "v1", "Deployment", &mut deploy);
    assert_eq!(deploy["spec"], json!({"replicas": 0}));
}

#[test]
fn non_omitempty_and_struct_fields_are_kept_even_when_zero() {
    let mut svc =
        json!({"apiVersion": "v1", "kind": "Service", "spec": {"ports": [{"port": 0, "targetPort": 0}]}, "status": {}});
    normalize("", "v1", "Service", &mut svc);
    assert_eq!(svc["spec"]["ports"][0], json!({"port": 0, "targetPort": 0}));
    assert_eq!(svc["status"], json!({}));
}

#[test]
fn normalize_puts_special_values_in_canonical_form() {
    let mut pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {
        "creationTimestamp": "2024-01-02T04:04:05.9+01:00", "labels": {"b": "2", "a": "1"}},
        "spec": {"containers": [{"name": "c", "resources": {"limits": {"cpu": "1000m", "memory": 1024}}}]}});
    normalize("", "v1", "Pod", &mut pod);
    assert_eq!(pod["metadata"]["creationTimestamp"], "2024-01-02T03:04:05Z");
    let keys: Vec<&String> = pod["metadata"]["labels"].as_object().map(|m| m.keys().collect()).unwrap_or_default();
    assert_eq!(keys, ["a", "b"]);
    assert_eq!(pod["spec"]["containers"][0]["resources"]["limits"], json!({"cpu": "1", "memory": "1024"}));
}

#[test]
fn fill_defaults_adds_what_go_would_print() {
    let mut deploy = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
        "spec": {"template": {"spec": {"containers": [{"name": "c", "image": "i"}]}}}});
    fill_defaults("apps", "v1", "Deployment", &mut deploy);
    assert_eq!(deploy["status"], json!({}));
    assert_eq!(deploy["spec"]["strategy"], json!({}));
    assert_eq!(deploy["spec"]["template"]["metadata"], json!({"creationTimestamp": null}));
    assert_eq!(deploy["spec"]["template"]["spec"]["containers"][0]["resources"], json!({}));
    assert!(deploy["spec"].get("replicas").is_none());
    assert_eq!(deploy["metadata"]["creationTimestamp"], serde_json::Value::Null, "a zero time prints as null");
}
