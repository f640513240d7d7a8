//! Shared helpers for the defaulting tests, and the properties every kind must keep:
//! defaults land in Go's field order, set values are never replaced, and defaulting twice
//! changes nothing.

use serde_json::{json, Value};

use super::image::pull_policy_for_image;
use super::{apply_defaults, round_up_to_milli};
use crate::schema::{fill_defaults, normalize};

/// What upstream returns for a body: Go decodes it (`normalize`), defaults it, and encodes
/// it again (`fill_defaults` adds what Go always prints). Also checks that defaulting left
/// the object in Go's field order and that defaulting again changes nothing.
pub(super) fn served(group: &str, version: &str, kind: &str, body: Value) -> Value {
    let mut obj = body;
    normalize(group, version, kind, &mut obj);
    apply_defaults(group, version, kind, &mut obj);
    assert_in_go_order(group, version, kind, &obj);
    let mut again = obj.clone();
    apply_defaults(group, version, kind, &mut again);
    assert_eq!(text(&again), text(&obj), "defaulting {kind} twice changed it");
    fill_defaults(group, version, kind, &mut obj);
    // The server always sets the top-level creationTimestamp; the expectations leave out
    // the `null` Go would print for a body that never went through it.
    if let Some(md) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
        if md.get("creationTimestamp") == Some(&Value::Null) {
            md.remove("creationTimestamp");
        }
    }
    obj
}

/// Just the defaulting, on the body as given.
pub(super) fn defaulted(group: &str, version: &str, kind: &str, body: Value) -> Value {
    let mut obj = body;
    apply_defaults(group, version, kind, &mut obj);
    obj
}

pub(super) fn text(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// Asserts `got` equals `want`, member order included, showing both in full on failure.
pub(super) fn assert_json(got: &Value, want: &Value) {
    assert_eq!(
        text(got),
        text(want),
        "\n got: {}\nwant: {}",
        serde_json::to_string_pretty(got).unwrap_or_default(),
        serde_json::to_string_pretty(want).unwrap_or_default()
    );
}

fn assert_in_go_order(group: &str, version: &str, kind: &str, obj: &Value) {
    let mut reordered = obj.clone();
    normalize(group, version, kind, &mut reordered);
    assert_json(obj, &reordered);
}

#[test]
fn defaults_follow_go_field_order_even_when_the_body_does_not() {
    let body = json!({
        "spec": {"template": {"spec": {"containers": [{"image": "nginx", "name": "web"}]}}},
        "metadata": {"name": "web"}, "apiVersion": "apps/v1", "kind": "Deployment"
    });
    let got = defaulted("apps", "v1", "Deployment", body);
    let keys: Vec<&String> = got.as_object().map(|m| m.keys().collect()).unwrap_or_default();
    assert_eq!(keys, ["kind", "apiVersion", "metadata", "spec"]);
    let spec_keys: Vec<&String> = got["spec"].as_object().map(|m| m.keys().collect()).unwrap_or_default();
    assert_eq!(
        spec_keys,
        ["replicas", "template", "strategy", "revisionHistoryLimit", "progressDeadlineSeconds"],
        "Go order of DeploymentSpec"
    );
}

#[test]
fn unknown_kinds_and_non_objects_are_left_alone() {
    let body = json!({"spec": {"replicas": null}});
    assert_eq!(defaulted("apps", "v1", "NoSuchKind", body.clone()), body);
    assert_eq!(defaulted("nosuch.group", "v9", "Deployment", body.clone()), body);
    for v in [json!(null), json!(3), json!("x"), json!([1, 2])] {
        assert_eq!(defaulted("apps", "v1", "Deployment", v.clone()), v);
    }
}

#[test]
fn list_kinds_default_every_item() {
    let list =
        json!({"kind": "SecretList", "apiVersion": "v1", "items": [{"metadata": {"name": "a"}}, {"type": "tls"}]});
    let got = defaulted("", "v1", "SecretList", list);
    assert_eq!(got["items"][0]["type"], "Opaque");
    assert_eq!(got["items"][1]["type"], "tls");
}

#[test]
fn image_pull_policy_is_always_only_for_latest_or_an_implied_latest() {
    let cases = [
        ("nginx", "Always"),
        ("nginx:latest", "Always"),
        ("library/nginx", "Always"),
        ("docker.io/library/nginx:latest", "Always"),
        ("localhost:5000/app", "Always"),
        ("registry.example.com:5000/team/app", "Always"),
        ("[::1]:5000/app", "Always"),
        ("Registry.Example.com/app", "Always"),
        ("nginx:1.14", "IfNotPresent"),
        ("nginx:Latest", "IfNotPresent"),
        ("registry.example.com:5000/team/app:v2", "IfNotPresent"),
        ("nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "IfNotPresent"),
        ("nginx:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "Always"),
        // References upstream cannot parse get IfNotPresent.
        ("", "IfNotPresent"),
        ("NGINX", "IfNotPresent"),
        ("nginx:", "IfNotPresent"),
        ("nginx@sha256:abc", "IfNotPresent"),
        ("nginx@md5:0123456789abcdef0123456789abcdef", "IfNotPresent"),
        ("bad//path", "IfNotPresent"),
        ("-bad", "IfNotPresent"),
        ("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "IfNotPresent"),
        ("nginx:1:2", "IfNotPresent"),
        ("with space", "IfNotPresent"),
    ];
    for (image, want) in cases {
        assert_eq!(pull_policy_for_image(image), want, "image {image:?}");
    }
}

#[test]
fn set_values_are_never_replaced() {
    let deploy = json!({
        "spec": {
            "replicas": 0, "revisionHistoryLimit": 0, "progressDeadlineSeconds": 60,
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": "50%"}},
            "template": {"spec": {
                "restartPolicy": "Never", "dnsPolicy": "Default", "schedulerName": "mine",
                "terminationGracePeriodSeconds": 0, "securityContext": {"runAsUser": 1000},
                "containers": [{"name": "c", "image": "nginx", "imagePullPolicy": "Never",
                    "terminationMessagePath": "/tmp/x", "terminationMessagePolicy": "FallbackToLogsOnError",
                    "ports": [{"containerPort": 53, "protocol": "UDP"}],
                    "livenessProbe": {"httpGet": {"port": 80, "path": "/healthz", "scheme": "HTTPS"},
                        "timeoutSeconds": 5, "periodSeconds": 7, "successThreshold": 2, "failureThreshold": 9}}]
            }}
        }
    });
    let got = defaulted("apps", "v1", "Deployment", deploy.clone());
    assert_eq!(got["spec"]["replicas"], 0);
    assert_eq!(got["spec"]["revisionHistoryLimit"], 0);
    assert_eq!(got["spec"]["progressDeadlineSeconds"], 60);
    assert_eq!(got["spec"]["strategy"], deploy["spec"]["strategy"]);
    let pod = &got["spec"]["template"]["spec"];
    let want_pod = &deploy["spec"]["template"]["spec"];
    for key in ["restartPolicy", "dnsPolicy", "schedulerName", "terminationGracePeriodSeconds", "securityContext"] {
        assert_eq!(pod[key], want_pod[key], "{key}");
    }
    assert_eq!(pod["containers"], want_pod["containers"]);
}

#[test]
fn the_table_of_types_defaulted_from_empty_agrees_with_defaulting_them() {
    use crate::schema::schema;
    let mut seen = std::collections::HashSet::new();
    let mut pending: Vec<_> = schema().kinds().into_iter().map(|(_, _, def)| def).collect();
    let mut yielding = 0;
    while let Some(def) = pending.pop() {
        if !seen.insert(def.name.clone()) {
            continue;
        }
        let mut empty = json!({});
        super::walk(def, &mut empty, 0);
        let expected = empty.as_object().is_some_and(|m| !m.is_empty());
        assert_eq!(super::defaults_from_empty(&def.name), expected, "{}", def.name);
        yielding += usize::from(expected);
        pending.extend(def.json_fields().iter().filter_map(|f| f.value.message()).filter_map(|n| schema().type_def(n)));
    }
    assert!(yielding > 10, "pod specs, templates, statuses and kinds with defaults yield");
}

#[test]
fn missing_structs_are_filled_only_where_upstream_defaults_something_inside() {
    let got = defaulted("apps", "v1", "Deployment", json!({"spec": {"template": {"metadata": {"name": "t"}}}}));
    assert_eq!(got["spec"]["template"]["spec"]["restartPolicy"], "Always");
    let got = defaulted("", "v1", "Pod", json!({"spec": {"containers": [{"name": "c", "image": "i"}]}}));
    assert!(got["spec"]["containers"][0].get("resources").is_none());
    assert!(got.get("status").is_none() && got.get("metadata").is_none());
}

#[test]
fn sub_milli_quantities_round_up_and_others_stay() {
    assert_eq!(round_up_to_milli("100u").as_deref(), Some("1m"));
    assert_eq!(round_up_to_milli("1500u").as_deref(), Some("2m"));
    assert_eq!(round_up_to_milli("999999999n").as_deref(), Some("1"));
    assert_eq!(round_up_to_milli("0.0000001").as_deref(), Some("1m"));
    assert_eq!(round_up_to_milli("-1500u").as_deref(), Some("-2m"));
    assert_eq!(round_up_to_milli("2000u"), None, "2000u is 2m already");
    assert_eq!(round_up_to_milli("100m"), None);
    assert_eq!(round_up_to_milli("1Gi"), None);
    assert_eq!(round_up_to_milli("nonsense"), None);
    // Kept spellings are rounded too (upstream's RoundUp drops the kept text).
    assert_eq!(round_up_to_milli("+1500u").as_deref(), Some("2m"));
    assert_eq!(round_up_to_milli("01500u").as_deref(), Some("2m"));
}
