//! Pods: valid pods pass; each PodSpec rule reports upstream's path and message; the
//! update and status-update rules.

use serde_json::{json, Value};

use super::{validate_create, validate_status_update, validate_update};
use crate::status::Cause;

/// A pod as the server sees it after defaulting.
pub(super) fn pod() -> Value {
    json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "web", "namespace": "default", "uid": "u1", "creationTimestamp": "2024-01-01T00:00:00Z",
                     "resourceVersion": "5", "labels": {"app": "web"}},
        "spec": {
            "containers": [pod_container("web", "nginx:1.27")],
            "restartPolicy": "Always",
            "terminationGracePeriodSeconds": 30,
            "dnsPolicy": "ClusterFirst",
            "serviceAccountName": "default",
            "securityContext": {},
            "schedulerName": "default-scheduler",
            "enableServiceLinks": true,
            "preemptionPolicy": "PreemptLowerPriority",
            "priority": 0,
            "tolerations": [
                {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}
            ]
        },
        "status": {"phase": "Pending", "qosClass": "BestEffort"}
    })
}

/// A defaulted container.
pub(super) fn pod_container(name: &str, image: &str) -> Value {
    json!({
        "name": name, "image": image,
        "ports": [{"name": "http", "containerPort": 80, "protocol": "TCP"}],
        "resources": {},
        "terminationMessagePath": "/dev/termination-log",
        "terminationMessagePolicy": "File",
        "imagePullPolicy": "IfNotPresent"
    })
}

/// Removes `k` from the object `v` (no-op for other values).
pub(super) fn remove(v: &mut Value, k: &str) {
    if let Some(m) = v.as_object_mut() {
        m.remove(k);
    }
}

/// Appends `item` to the array `v` (no-op for other values).
pub(super) fn push(v: &mut Value, item: Value) {
    if let Some(a) = v.as_array_mut() {
        a.push(item);
    }
}

pub(super) fn lines(causes: &[Cause]) -> Vec<String> {
    causes.iter().map(|c| format!("{}: {}", c.field, c.message)).collect()
}

fn create(pod: &Value) -> Vec<String> {
    lines(&validate_create("", "v1", "Pod", pod))
}

fn with(f: impl FnOnce(&mut Value)) -> Value {
    let mut p = pod();
    f(&mut p);
    p
}

fn assert_has(lines: &[String], want: &str) {
    assert!(lines.iter().any(|l| l == want), "missing {want:?} in {lines:#?}");
}

#[test]
fn a_realistic_pod_is_valid() {
    assert_eq!(create(&pod()), Vec::<String>::new());
}

#[test]
fn a_container_without_an_image_is_required_at_its_path() {
    let p = with(|p| p["spec"]["containers"][0]["image"] = json!(""));
    assert_eq!(create(&p), ["spec.containers[0].image: Required value"]);
}

#[test]
fn a_pod_without_containers_is_refused() {
    let p = with(|p| p["spec"]["containers"] = json!([]));
    assert_eq!(create(&p), ["spec.containers: Required value"]);
}

#[test]
fn container_names_must_be_unique_dns_labels() {
    let p = with(|p| {
        let c = p["spec"]["containers"][0].clone();
        p["spec"]["containers"] = json!([c.clone(), c]);
    });
    let l = create(&p);
    assert_has(&l, "spec.containers[1].name: Duplicate value: \"web\"");
    let p = with(|p| p["spec"]["containers"][0]["name"] = json!("Web_1"));
    assert_has(&create(&p), "spec.containers[0].name: Invalid value: \"Web_1\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')");
}

#[test]
fn container_ports_are_between_1_and_65535() {
    let p = with(|p| p["spec"]["containers"][0]["ports"][0]["containerPort"] = json!(70000));
    assert_eq!(
        create(&p),
        ["spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive"]
    );
    let p = with(|p| p["spec"]["containers"][0]["ports"][0]["containerPort"] = json!(0));
    assert_eq!(create(&p), ["spec.containers[0].ports[0].containerPort: Required value"]);
    let p = with(|p| p["spec"]["containers"][0]["ports"][0]["protocol"] = json!("HTTP"));
    assert_eq!(
        create(&p),
        ["spec.containers[0].ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\""]
    );
}

#[test]
fn port_names_follow_the_iana_service_name_rules() {
    let p = with(|p| {
        p["spec"]["containers"][0]["ports"] = json!([
            {"name": "metrics-port-too-long", "containerPort": 9090, "protocol": "TCP"},
            {"name": "http", "containerPort": 80, "protocol": "TCP"},
            {"name": "http", "containerPort": 81, "protocol": "TCP"}
        ])
    });
    let l = create(&p);
    assert_has(&l, "spec.containers[0].ports[0].name: Invalid value: \"metrics-port-too-long\": must be no more than 15 characters");
    assert_has(&l, "spec.containers[0].ports[2].name: Duplicate value: \"http\"");
}

#[test]
fn the_same_host_port_twice_is_a_conflict() {
    let p = with(|p| {
        p["spec"]["containers"][0]["ports"] = json!([
            {"containerPort": 80, "hostPort": 8080, "protocol": "TCP"},
            {"containerPort": 81, "hostPort": 8080, "protocol": "TCP"}
        ])
    });
    assert_eq!(create(&p), ["spec.containers[0].ports[1].hostPort: Duplicate value: \"TCP//8080\""]);
}

#[test]
fn a_probe_needs_exactly_one_handler() {
    let p = with(|p| p["spec"]["containers"][0]["livenessProbe"] = json!({"periodSeconds": 10, "successThreshold": 1}));
    assert_eq!(create(&p), ["spec.containers[0].livenessProbe: Required value: must specify a handler type"]);
    let p = with(|p| {
        p["spec"]["containers"][0]["readinessProbe"] = json!({
            "exec": {"command": ["true"]},
            "httpGet": {"path": "/", "port": 80, "scheme": "HTTP"},
            "successThreshold": 1
        })
    });
    assert_eq!(
        create(&p),
        ["spec.containers[0].readinessProbe.httpGet: Forbidden: may not specify more than 1 handler type"]
    );
}

#[test]
fn probe_fields_follow_upstream() {
    let p = with(|p| {
        p["spec"]["containers"][0]["livenessProbe"] = json!({
            "httpGet": {"path": "/healthz", "port": "web-port-name-xy", "scheme": "HTTP"},
            "successThreshold": 2, "periodSeconds": -1
        })
    });
    let l = create(&p);
    assert_has(&l, "spec.containers[0].livenessProbe.httpGet.port: Invalid value: \"web-port-name-xy\": must be no more than 15 characters");
    assert_has(
        &l,
        "spec.containers[0].livenessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0",
    );
    assert_has(&l, "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1");
    let p =
        with(|p| p["spec"]["containers"][0]["startupProbe"] = json!({"tcpSocket": {"port": 0}, "successThreshold": 1}));
    assert_eq!(
        create(&p),
        ["spec.containers[0].startupProbe.tcpSocket.port: Invalid value: 0: must be between 1 and 65535, inclusive"]
    );
}

#[test]
fn a_volume_needs_exactly_one_source() {
    let p = with(|p| p["spec"]["volumes"] = json!([{"name": "data"}]));
    assert_eq!(create(&p), ["spec.volumes[0]: Required value: must specify a volume type"]);
    let p = with(|p| p["spec"]["volumes"] = json!([{"name": "data", "emptyDir": {}, "configMap": {"name": "c"}}]));
    assert_eq!(create(&p), ["spec.volumes[0].configMap: Forbidden: may not specify more than 1 volume type"]);
}

#[test]
fn volume_names_are_unique_dns_labels() {
    let p = with(|p| p["spec"]["volumes"] = json!([{"name": "a", "emptyDir": {}}, {"name": "a", "emptyDir": {}}]));
    assert_eq!(create(&p), ["spec.volumes[1].name: Duplicate value: \"a\""]);
    let p = with(|p| p["spec"]["volumes"] = json!([{"emptyDir": {}}]));
    assert_eq!(create(&p), ["spec.volumes[0].name: Required value"]);
}

#[test]
fn volume_sources_check_their_required_fields() {
    let p = with(|p| {
        p["spec"]["volumes"] = json!([
            {"name": "s", "secret": {"defaultMode": 1000}},
            {"name": "c", "persistentVolumeClaim": {}},
            {"name": "h", "hostPath": {"path": "/a/../b", "type": "Bogus"}},
            {"name": "n", "nfs": {"server": "nfs", "path": "exports"}}
        ])
    });
    let l = create(&p);
    assert_has(&l, "spec.volumes[0].secret.secretName: Required value");
    assert_has(&l, "spec.volumes[0].secret.defaultMode: Invalid value: 1000: must be a number between 0 and 0777 (octal), both inclusive");
    assert_has(&l, "spec.volumes[1].persistentVolumeClaim.claimName: Required value");
    assert_has(&l, "spec.volumes[2].hostPath.path: Invalid value: \"/a/../b\": must not contain '..'");
    assert_has(&l, "spec.volumes[3].nfs.path: Invalid value: \"exports\": must be an absolute path");
}

#[test]
fn mounts_must_name_a_volume_and_a_unique_path() {
    let p = with(|p| {
        p["spec"]["volumes"] = json!([{"name": "data", "emptyDir": {}}]);
        p["spec"]["containers"][0]["volumeMounts"] =
            json!([{"name": "data", "mountPath": "/data"}, {"name": "cache", "mountPath": "/data"}]);
    });
    let l = create(&p);
    assert_has(&l, "spec.containers[0].volumeMounts[1].name: Not found: \"cache\"");
    assert_has(&l, "spec.containers[0].volumeMounts[1].mountPath: Invalid value: \"/data\": must be unique");
}

#[test]
fn requests_may_not_exceed_limits() {
    let p =
        with(|p| p["spec"]["containers"][0]["resources"] = json!({"limits": {"cpu": "1"}, "requests": {"cpu": "2"}}));
    assert_eq!(
        create(&p),
        ["spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1"]
    );
    let p = with(|p| {
        p["spec"]["containers"][0]["resources"] =
            json!({"limits": {"memory": "128Mi"}, "requests": {"memory": "256Mi"}})
    });
    assert_eq!(
        create(&p),
        ["spec.containers[0].resources.requests: Invalid value: \"256Mi\": must be less than or equal to memory limit of 128Mi"]
    );
}

#[test]
fn quantities_must_parse_and_not_be_negative() {
    let p = with(|p| p["spec"]["containers"][0]["resources"] = json!({"limits": {"memory": "-1"}}));
    assert_eq!(
        create(&p),
        ["spec.containers[0].resources.limits[memory]: Invalid value: \"-1\": must be greater than or equal to 0"]
    );
    let p = with(|p| p["spec"]["containers"][0]["resources"] = json!({"requests": {"cpu": "lots"}}));
    assert_eq!(
        create(&p),
        ["spec.containers[0].resources.requests[cpu]: Invalid value: \"lots\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"]
    );
    let p = with(|p| p["spec"]["containers"][0]["resources"] = json!({"requests": {"gpu": "1"}}));
    let l = create(&p);
    assert_has(&l, "spec.containers[0].resources.requests[gpu]: Invalid value: \"gpu\": must be a standard resource type or fully qualified");
    assert_has(&l, "spec.containers[0].resources.requests[gpu]: Invalid value: \"gpu\": must be a standard resource for containers");
}

#[test]
fn extended_resources_need_equal_requests_and_limits() {
    let p = with(|p| p["spec"]["containers"][0]["resources"] = json!({"requests": {"example.com/gpu": "1"}}));
    assert_eq!(
        create(&p),
        ["spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources"]
    );
}

#[test]
fn env_var_names_and_sources_follow_upstream() {
    let p = with(|p| {
        p["spec"]["containers"][0]["env"] = json!([
            {"name": "A=B", "value": "x"},
            {"name": ""},
            {"name": "X", "valueFrom": {}},
            {"name": "Y", "value": "v", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}},
            {"name": "Z", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "spec.bogus"}}}
        ])
    });
    let l = create(&p);
    assert_has(&l, "spec.containers[0].env[0].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='");
    assert_has(&l, "spec.containers[0].env[1].name: Required value");
    assert_has(&l, "spec.containers[0].env[2].valueFrom: Invalid value: \"\": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`");
    assert_has(
        &l,
        "spec.containers[0].env[3].valueFrom: Invalid value: \"\": may not be specified when `value` is not empty",
    );
    assert_has(&l, "spec.containers[0].env[4].valueFrom.fieldRef.fieldPath: Invalid value: \"spec.bogus\": error converting fieldPath: field label not supported: spec.bogus");
}

#[test]
fn restart_and_dns_policies_are_enums() {
    let p = with(|p| p["spec"]["restartPolicy"] = json!("Sometimes"));
    assert_eq!(
        create(&p),
        ["spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\""]
    );
    let p = with(|p| p["spec"]["dnsPolicy"] = json!("None"));
    assert_eq!(create(&p), ["spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None"]);
}

#[test]
fn defaulted_fields_are_required() {
    let p = with(|p| {
        remove(&mut p["spec"], "terminationGracePeriodSeconds");
        remove(&mut p["spec"], "dnsPolicy");
        remove(&mut p["spec"]["containers"][0], "imagePullPolicy");
    });
    let l = create(&p);
    assert_has(&l, "spec.terminationGracePeriodSeconds: Required value");
    assert_has(&l, "spec.dnsPolicy: Required value");
    assert_has(&l, "spec.containers[0].imagePullPolicy: Required value");
}

#[test]
fn tolerations_and_affinity_follow_upstream() {
    let p = with(|p| {
        p["spec"]["tolerations"] =
            json!([{"operator": "Equal", "value": "x"}, {"key": "k", "operator": "Exists", "value": "v"}]);
        p["spec"]["affinity"] =
            json!({"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": []}}});
    });
    let l = create(&p);
    assert_has(&l, "spec.tolerations[0].operator: Invalid value: \"Equal\": operator must be Exists when `key` is empty, which means \"match all values and all keys\"");
    assert_has(
        &l,
        "spec.tolerations[1].operator: Invalid value: \"v\": value must be empty when `operator` is 'Exists'",
    );
    assert_has(&l, "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: must have at least one node selector term");
}

#[test]
fn pod_metadata_follows_the_object_meta_rules() {
    let p = with(|p| p["metadata"]["name"] = json!("Bad_Name"));
    let l = create(&p);
    assert_eq!(l.len(), 1);
    assert!(l[0].starts_with("metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain"));
    let p = with(|p| {
        remove(&mut p["metadata"], "namespace");
    });
    assert_eq!(create(&p), ["metadata.namespace: Required value"]);
    let p = with(|p| {
        p["metadata"]["name"] = json!("");
        p["metadata"]["labels"] = json!({"-bad": "ok", "good": "-bad"});
        p["metadata"]["finalizers"] = json!(["custom"]);
    });
    let l = create(&p);
    assert_has(&l, "metadata.name: Required value: name or generateName is required");
    assert_has(&l, "metadata.labels: Invalid value: \"-bad\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
    assert_has(&l, "metadata.labels: Invalid value: \"-bad\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
    assert_has(&l, "metadata.finalizers[0]: Invalid value: \"custom\": name is neither a standard finalizer name nor is it fully qualified");
}

#[test]
fn generate_name_prefixes_may_end_with_a_dash() {
    let p = with(|p| {
        p["metadata"]["generateName"] = json!("web-");
        p["metadata"]["name"] = json!("web-x7k2p");
    });
    assert_eq!(create(&p), Vec::<String>::new());
    let p = with(|p| p["metadata"]["generateName"] = json!("Web-"));
    assert!(create(&p)[0].starts_with("metadata.generateName: Invalid value: \"Web-\": a lowercase RFC 1123 subdomain"));
}

#[test]
fn annotations_are_limited_to_256_kib() {
    let p = with(|p| p["metadata"]["annotations"] = json!({"big": "x".repeat(256 * 1024)}));
    assert_eq!(create(&p), ["metadata.annotations: Too long: may not be more than 262144 bytes"]);
}

#[test]
fn owner_references_need_every_identity_field() {
    let p = with(|p| {
        p["metadata"]["ownerReferences"] = json!([{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web"}])
    });
    assert_eq!(create(&p), ["metadata.ownerReferences.uid: Invalid value: \"\": must not be empty"]);
}

#[test]
fn ephemeral_containers_may_not_be_set_on_create() {
    let p = with(
        |p| p["spec"]["ephemeralContainers"] = json!([{"name": "debug", "image": "busybox", "terminationMessagePolicy": "File", "imagePullPolicy": "Always"}]),
    );
    assert_has(&create(&p), "spec.ephemeralContainers: Forbidden: cannot be set on create");
}

fn update(new: &Value, old: &Value) -> Vec<String> {
    lines(&validate_update("", "v1", "Pod", new, old))
}

#[test]
fn a_pod_update_may_change_images() {
    let old = pod();
    let new = with(|p| p["spec"]["containers"][0]["image"] = json!("nginx:1.28"));
    assert_eq!(update(&new, &old), Vec::<String>::new());
}

#[test]
fn a_pod_update_may_not_change_other_spec_fields() {
    let old = pod();
    let new = with(|p| p["spec"]["restartPolicy"] = json!("Never"));
    let l = update(&new, &old);
    assert_eq!(l.len(), 1);
    assert!(l[0].starts_with("spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n"), "{l:?}");
    assert!(l[0].contains("spec.restartPolicy"));
}

#[test]
fn a_pod_update_may_add_but_not_change_tolerations() {
    let old = pod();
    let new = with(|p| {
        push(&mut p["spec"]["tolerations"], json!({"key": "gpu", "operator": "Exists", "effect": "NoSchedule"}));
    });
    assert_eq!(update(&new, &old), Vec::<String>::new());
    let new = with(|p| p["spec"]["tolerations"] = json!([]));
    assert_eq!(
        update(&new, &old),
        ["spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds"]
    );
}

#[test]
fn active_deadline_may_only_shrink() {
    let old = with(|p| p["spec"]["activeDeadlineSeconds"] = json!(100));
    let new = with(|p| p["spec"]["activeDeadlineSeconds"] = json!(200));
    assert_eq!(
        update(&new, &old),
        ["spec.activeDeadlineSeconds: Invalid value: 200: must be less than or equal to previous value"]
    );
    let new = with(|p| p["spec"]["activeDeadlineSeconds"] = json!(50));
    assert_eq!(update(&new, &old), Vec::<String>::new());
}

#[test]
fn a_pod_update_may_not_add_containers() {
    let old = pod();
    let new = with(|p| {
        push(&mut p["spec"]["containers"], pod_container("side", "busybox"));
    });
    assert_eq!(update(&new, &old), ["spec.containers: Forbidden: pod updates may not add or remove containers"]);
}

#[test]
fn identity_metadata_is_immutable_on_update() {
    let old = pod();
    let new = with(|p| {
        p["metadata"]["uid"] = json!("u2");
        p["metadata"]["creationTimestamp"] = json!("2025-01-01T00:00:00Z");
    });
    assert_eq!(
        update(&new, &old),
        [
            "metadata.uid: Invalid value: \"u2\": field is immutable",
            "metadata.creationTimestamp: Invalid value: \"2025-01-01T00:00:00Z\": field is immutable"
        ]
    );
}

#[test]
fn status_updates_may_not_move_the_pod() {
    let old = with(|p| p["spec"]["nodeName"] = json!("n1"));
    let new = with(|p| p["spec"]["nodeName"] = json!("n2"));
    assert_eq!(
        lines(&validate_status_update("", "v1", "Pod", &new, &old)),
        ["status.nodeName: Forbidden: may not be changed directly"]
    );
}

#[test]
fn status_updates_may_not_revive_terminated_containers() {
    let old = with(|p| {
        p["spec"]["restartPolicy"] = json!("Never");
        p["status"]["containerStatuses"] = json!([{"name": "web", "state": {"terminated": {"exitCode": 0}}}]);
    });
    let new = with(|p| {
        p["spec"]["restartPolicy"] = json!("Never");
        p["status"]["containerStatuses"] = json!([{"name": "web", "state": {"running": {}}}]);
    });
    assert_eq!(
        lines(&validate_status_update("", "v1", "Pod", &new, &old)),
        ["status.containerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state"]
    );
}

#[test]
fn status_updates_check_pod_ips_and_qos() {
    let old = pod();
    let new = with(|p| {
        p["status"]["podIPs"] = json!([{"ip": "10.0.0.1"}, {"ip": "not-an-ip"}]);
        p["status"]["qosClass"] = json!("Guaranteed");
    });
    let l = lines(&validate_status_update("", "v1", "Pod", &new, &old));
    assert_has(&l, "status.qosClass: Invalid value: \"Guaranteed\": field is immutable");
    assert_has(
        &l,
        "status.podIPs[1]: Invalid value: \"not-an-ip\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
    );
}

#[test]
fn pod_templates_validate_their_template() {
    let t = json!({
        "apiVersion": "v1", "kind": "PodTemplate",
        "metadata": {"name": "t", "namespace": "default"},
        "template": {"metadata": {"labels": {"app": "x"}}, "spec": pod()["spec"].clone()}
    });
    assert_eq!(lines(&validate_create("", "v1", "PodTemplate", &t)), Vec::<String>::new());
    let mut bad = t.clone();
    bad["template"]["spec"]["containers"][0]["image"] = json!("");
    assert_eq!(
        lines(&validate_create("", "v1", "PodTemplate", &bad)),
        ["template.spec.containers[0].image: Required value"]
    );
}
