//! Core kinds other than pods: Service, Endpoints, Node, Namespace, ConfigMap, Secret,
//! ServiceAccount, PersistentVolume(Claim), LimitRange, ResourceQuota, Event.

use serde_json::{json, Value};

use super::tests_pod::lines;
use super::{validate_create, validate_status_update, validate_update};

fn create(kind: &str, obj: &Value) -> Vec<String> {
    lines(&validate_create("", "v1", kind, obj))
}

fn update(kind: &str, new: &Value, old: &Value) -> Vec<String> {
    lines(&validate_update("", "v1", kind, new, old))
}

fn has(lines: &[String], want: &str) {
    assert!(lines.iter().any(|l| l == want), "missing {want:?} in {lines:#?}");
}

fn meta(name: &str) -> Value {
    json!({"name": name, "namespace": "default", "uid": "u-1", "creationTimestamp": "2024-01-01T00:00:00Z", "resourceVersion": "7"})
}

fn cluster_meta(name: &str) -> Value {
    json!({"name": name, "uid": "u-1", "creationTimestamp": "2024-01-01T00:00:00Z", "resourceVersion": "7"})
}

pub(super) fn service() -> Value {
    json!({
        "apiVersion": "v1", "kind": "Service", "metadata": meta("web"),
        "spec": {
            "type": "ClusterIP", "selector": {"app": "web"},
            "ports": [{"name": "http", "port": 80, "protocol": "TCP", "targetPort": 8080}],
            "clusterIP": "10.96.0.10", "clusterIPs": ["10.96.0.10"],
            "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack",
            "sessionAffinity": "None", "internalTrafficPolicy": "Cluster"
        }
    })
}

#[test]
fn a_realistic_service_is_valid() {
    assert_eq!(create("Service", &service()), Vec::<String>::new());
}

#[test]
fn service_names_are_dns_1035_labels() {
    let mut s = service();
    s["metadata"]["name"] = json!("1web");
    assert_eq!(
        create("Service", &s),
        ["metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"]
    );
}

#[test]
fn service_ports_follow_upstream() {
    let mut s = service();
    s["spec"]["ports"] = json!([
        {"port": 0, "protocol": "TCP", "targetPort": 80},
        {"name": "b", "port": 80, "protocol": "ICMP", "targetPort": "not_a_port"}
    ]);
    let l = create("Service", &s);
    has(&l, "spec.ports[0].name: Required value");
    has(&l, "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive");
    has(&l, "spec.ports[1].protocol: Unsupported value: \"ICMP\": supported values: \"SCTP\", \"TCP\", \"UDP\"");
    has(&l, "spec.ports[1].targetPort: Invalid value: \"not_a_port\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
    let mut s = service();
    s["spec"]["ports"] = json!([]);
    assert_eq!(create("Service", &s), ["spec.ports: Required value"]);
}

#[test]
fn service_types_and_node_ports_follow_upstream() {
    let mut s = service();
    s["spec"]["type"] = json!("Internal");
    has(&create("Service", &s), "spec.type: Unsupported value: \"Internal\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"");
    let mut s = service();
    s["spec"]["ports"][0]["nodePort"] = json!(30080);
    assert_eq!(
        create("Service", &s),
        ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]
    );
    let mut s = service();
    s["spec"]["type"] = json!("NodePort");
    assert_eq!(create("Service", &s), ["spec.externalTrafficPolicy: Required value"]);
}

#[test]
fn the_cluster_ip_may_not_change_once_set() {
    let old = service();
    let mut new = service();
    new["spec"]["clusterIP"] = json!("10.96.0.11");
    new["spec"]["clusterIPs"] = json!(["10.96.0.11"]);
    assert_eq!(
        update("Service", &new, &old),
        ["spec.clusterIPs[0]: Invalid value: []string{\"10.96.0.11\"}: may not change once set"]
    );
}

#[test]
fn cluster_ips_must_agree_with_cluster_ip() {
    let mut s = service();
    s["spec"]["clusterIPs"] = json!(["10.96.0.12"]);
    assert_eq!(
        create("Service", &s),
        ["spec.clusterIPs: Invalid value: []string{\"10.96.0.12\"}: first value must match `clusterIP`"]
    );
}

#[test]
fn external_name_services_need_a_dns_name() {
    let s = json!({
        "apiVersion": "v1", "kind": "Service", "metadata": meta("ext"),
        "spec": {"type": "ExternalName", "externalName": "db.example.com.", "sessionAffinity": "None"}
    });
    assert_eq!(create("Service", &s), Vec::<String>::new());
    let mut bad = s.clone();
    bad["spec"]["externalName"] = json!("");
    assert_eq!(create("Service", &bad), ["spec.externalName: Required value"]);
}

#[test]
fn client_ip_affinity_needs_a_timeout_in_range() {
    let mut s = service();
    s["spec"]["sessionAffinity"] = json!("ClientIP");
    s["spec"]["sessionAffinityConfig"] = json!({"clientIP": {"timeoutSeconds": 0}});
    assert_eq!(
        create("Service", &s),
        ["spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400"]
    );
}

#[test]
fn endpoints_need_addresses_and_valid_ips() {
    let ep = json!({"apiVersion": "v1", "kind": "Endpoints", "metadata": meta("web"), "subsets": [
        {"addresses": [{"ip": "10.0.0.5"}], "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}]}
    ]});
    assert_eq!(create("Endpoints", &ep), Vec::<String>::new());
    let bad = json!({"apiVersion": "v1", "kind": "Endpoints", "metadata": meta("web"), "subsets": [
        {"addresses": [{"ip": "127.0.0.1"}], "ports": [{"port": 70000, "protocol": "TCP"}]}, {"ports": []}
    ]});
    let l = create("Endpoints", &bad);
    has(&l, "subsets[0].addresses[0].ip: Invalid value: \"127.0.0.1\": may not be in the loopback range (127.0.0.0/8, ::1/128)");
    has(&l, "subsets[0].ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive");
    has(&l, "subsets[1]: Required value: must specify `addresses` or `notReadyAddresses`");
}

#[test]
fn namespaces_are_cluster_scoped_dns_labels() {
    let ns = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": cluster_meta("team-a"), "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}});
    assert_eq!(create("Namespace", &ns), Vec::<String>::new());
    let mut bad = ns.clone();
    bad["metadata"]["name"] = json!("team.a");
    assert!(create("Namespace", &bad)[0]
        .starts_with("metadata.name: Invalid value: \"team.a\": a lowercase RFC 1123 label"));
    let mut bad = ns.clone();
    bad["metadata"]["namespace"] = json!("default");
    assert_eq!(create("Namespace", &bad), ["metadata.namespace: Forbidden: not allowed on this type"]);
}

#[test]
fn namespace_status_phase_follows_deletion() {
    let old =
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": cluster_meta("a"), "status": {"phase": "Active"}});
    let mut new = old.clone();
    new["status"]["phase"] = json!("Terminating");
    assert_eq!(
        lines(&validate_status_update("", "v1", "Namespace", &new, &old)),
        ["status.Phase: Invalid value: \"Terminating\": may only be 'Active' if `deletionTimestamp` is empty"]
    );
}

#[test]
fn nodes_check_taints_and_capacity() {
    let node = json!({"apiVersion": "v1", "kind": "Node", "metadata": cluster_meta("n1"),
        "spec": {"podCIDRs": ["10.244.0.0/24"], "taints": [{"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}]},
        "status": {"capacity": {"cpu": "4", "memory": "16Gi", "pods": "110"}}});
    assert_eq!(create("Node", &node), Vec::<String>::new());
    let mut bad = node.clone();
    bad["spec"]["taints"] = json!([{"key": "a", "effect": "Sometimes"}, {"key": "b", "effect": "NoSchedule"}, {"key": "b", "effect": "NoSchedule"}]);
    bad["status"]["capacity"]["pods"] = json!("1.5");
    let l = create("Node", &bad);
    has(&l, "metadata.taints[0].effect: Unsupported value: \"Sometimes\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"");
    has(&l, "metadata.taints[2]: Duplicate value: core.Taint{Key:\"b\", Value:\"\", Effect:\"NoSchedule\", TimeAdded:<nil>}: taints must be unique by key and effect pair");
    has(&l, "status.capacity.pods: Invalid value: \"1500m\": must be an integer");
}

#[test]
fn node_pod_cidrs_are_set_once() {
    let old = json!({"apiVersion": "v1", "kind": "Node", "metadata": cluster_meta("n1"), "spec": {"podCIDRs": ["10.244.0.0/24"]}});
    let mut new = old.clone();
    new["spec"]["podCIDRs"] = json!(["10.244.1.0/24"]);
    assert_eq!(
        update("Node", &new, &old),
        ["spec.podCIDRs: Forbidden: node updates may not change podCIDR except from \"\" to valid"]
    );
}

#[test]
fn config_map_keys_follow_upstream() {
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta("cfg"), "data": {"app.properties": "a=b", "KEY_1": "x"}});
    assert_eq!(create("ConfigMap", &cm), Vec::<String>::new());
    let bad = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta("cfg"), "data": {"a/b": "x", "..": "y", "dup": "z"}, "binaryData": {"dup": "eA=="}});
    let l = create("ConfigMap", &bad);
    has(&l, "data[a/b]: Invalid value: \"a/b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')");
    has(&l, "data[..]: Invalid value: \"..\": must not be '..'");
    has(&l, "data[dup]: Invalid value: \"dup\": duplicate of key present in binaryData");
}

#[test]
fn config_maps_are_limited_to_one_mebibyte() {
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta("cfg"), "data": {"big": "x".repeat(1024 * 1024 + 1)}});
    assert_eq!(create("ConfigMap", &cm), [": Too long: may not be more than 1048576 bytes"]);
}

#[test]
fn immutable_config_maps_keep_their_data() {
    let old = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta("cfg"), "immutable": true, "data": {"a": "1"}});
    let mut new = old.clone();
    new["data"]["a"] = json!("2");
    assert_eq!(update("ConfigMap", &new, &old), ["data: Forbidden: field is immutable when `immutable` is set"]);
    let mut new = old.clone();
    new["immutable"] = json!(false);
    assert_eq!(update("ConfigMap", &new, &old), ["immutable: Forbidden: field is immutable when `immutable` is set"]);
    let mut labelled = old.clone();
    labelled["metadata"]["labels"] = json!({"x": "y"});
    assert_eq!(update("ConfigMap", &labelled, &old), Vec::<String>::new());
}

#[test]
fn secrets_check_their_type_specific_keys() {
    let s = json!({"apiVersion": "v1", "kind": "Secret", "metadata": meta("tls"), "type": "kubernetes.io/tls",
        "data": {"tls.crt": "Y2VydA==", "tls.key": "a2V5"}});
    assert_eq!(create("Secret", &s), Vec::<String>::new());
    let bad = json!({"apiVersion": "v1", "kind": "Secret", "metadata": meta("tls"), "type": "kubernetes.io/tls", "data": {"tls.crt": "Y2VydA=="}});
    assert_eq!(create("Secret", &bad), ["data[tls.key]: Required value"]);
    let sa = json!({"apiVersion": "v1", "kind": "Secret", "metadata": meta("tok"), "type": "kubernetes.io/service-account-token"});
    assert_eq!(create("Secret", &sa), ["metadata.annotations[kubernetes.io/service-account.name]: Required value"]);
    let basic = json!({"apiVersion": "v1", "kind": "Secret", "metadata": meta("b"), "type": "kubernetes.io/basic-auth", "data": {}});
    assert_eq!(create("Secret", &basic), ["data[username]: Required value", "data[password]: Required value"]);
}

#[test]
fn secret_type_is_immutable_and_immutable_secrets_keep_data() {
    let old = json!({"apiVersion": "v1", "kind": "Secret", "metadata": meta("s"), "type": "Opaque", "immutable": true, "data": {"a": "MQ=="}});
    let mut new = old.clone();
    new["type"] = json!("kubernetes.io/basic-auth");
    new["data"] = json!({"username": "dQ=="});
    let l = update("Secret", &new, &old);
    has(&l, "type: Invalid value: \"kubernetes.io/basic-auth\": field is immutable");
    has(&l, "data: Forbidden: field is immutable when `immutable` is set");
}

#[test]
fn service_accounts_are_valid_with_their_usual_fields() {
    let sa = json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": meta("builder"),
        "secrets": [{"name": "s"}], "imagePullSecrets": [{"name": "regcred"}], "automountServiceAccountToken": false});
    assert_eq!(create("ServiceAccount", &sa), Vec::<String>::new());
}

pub(super) fn pv() -> Value {
    json!({"apiVersion": "v1", "kind": "PersistentVolume", "metadata": cluster_meta("pv1"),
        "spec": {"capacity": {"storage": "10Gi"}, "accessModes": ["ReadWriteOnce"], "persistentVolumeReclaimPolicy": "Retain",
                 "hostPath": {"path": "/mnt/data", "type": ""}, "volumeMode": "Filesystem", "storageClassName": "manual"}})
}

#[test]
fn a_realistic_persistent_volume_is_valid() {
    assert_eq!(create("PersistentVolume", &pv()), Vec::<String>::new());
}

#[test]
fn persistent_volumes_need_capacity_modes_and_one_source() {
    let mut p = pv();
    p["spec"]["accessModes"] = json!(["ReadWriteOncePod", "ReadOnlyMany", "WriteSometimes"]);
    p["spec"]["nfs"] = json!({"server": "nfs", "path": "/x"});
    p["spec"]["capacity"] = json!({"storage": "0"});
    let l = create("PersistentVolume", &p);
    has(&l, "spec.accessModes: Unsupported value: \"WriteSometimes\": supported values: \"ReadOnlyMany\", \"ReadWriteMany\", \"ReadWriteOnce\", \"ReadWriteOncePod\"");
    has(&l, "spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes");
    has(&l, "spec.nfs: Forbidden: may not specify more than 1 volume type");
    has(&l, "spec.capacity[storage]: Invalid value: \"0\": must be greater than zero");
}

#[test]
fn a_persistent_volume_source_is_immutable() {
    let old = pv();
    let mut new = pv();
    new["spec"]["hostPath"]["path"] = json!("/mnt/other");
    let l = update("PersistentVolume", &new, &old);
    assert_eq!(l.len(), 1);
    assert!(l[0].starts_with(
        "spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after creation\n"
    ));
    let mut resized = pv();
    resized["spec"]["capacity"]["storage"] = json!("20Gi");
    assert_eq!(update("PersistentVolume", &resized, &old), Vec::<String>::new());
}

pub(super) fn pvc() -> Value {
    json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": meta("data"),
        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}},
                 "storageClassName": "standard", "volumeMode": "Filesystem"},
        "status": {"phase": "Pending"}})
}

#[test]
fn a_realistic_claim_is_valid() {
    assert_eq!(create("PersistentVolumeClaim", &pvc()), Vec::<String>::new());
}

#[test]
fn claims_need_access_modes_and_a_storage_request() {
    let mut c = pvc();
    c["spec"]["accessModes"] = json!([]);
    c["spec"]["resources"] = json!({});
    let l = create("PersistentVolumeClaim", &c);
    has(&l, "spec.accessModes: Required value: at least 1 access mode is required");
    has(&l, "spec.resources[storage]: Required value");
}

#[test]
fn a_bound_claim_may_only_grow_its_storage_request() {
    let mut old = pvc();
    old["spec"]["volumeName"] = json!("pv1");
    old["status"] = json!({"phase": "Bound", "capacity": {"storage": "1Gi"}});
    let mut grown = old.clone();
    grown["spec"]["resources"]["requests"]["storage"] = json!("2Gi");
    assert_eq!(update("PersistentVolumeClaim", &grown, &old), Vec::<String>::new());
    let mut other = old.clone();
    other["spec"]["storageClassName"] = json!("fast");
    let l = update("PersistentVolumeClaim", &other, &old);
    assert!(l[0].starts_with("spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n"), "{l:?}");
    let mut shrunk = old.clone();
    shrunk["spec"]["resources"]["requests"]["storage"] = json!("512Mi");
    assert_eq!(
        update("PersistentVolumeClaim", &shrunk, &old),
        ["spec.resources.requests.storage: Forbidden: field can not be less than status.capacity"]
    );
}

#[test]
fn an_unbound_claim_may_get_its_volume_name_once() {
    let old = pvc();
    let mut new = pvc();
    new["spec"]["volumeName"] = json!("pv1");
    assert_eq!(update("PersistentVolumeClaim", &new, &old), Vec::<String>::new());
    let mut resized = pvc();
    resized["spec"]["resources"]["requests"]["storage"] = json!("2Gi");
    assert!(update("PersistentVolumeClaim", &resized, &old)[0]
        .starts_with("spec: Forbidden: spec is immutable after creation"));
}

#[test]
fn limit_ranges_order_their_bounds() {
    let lr = json!({"apiVersion": "v1", "kind": "LimitRange", "metadata": meta("limits"), "spec": {"limits": [
        {"type": "Container", "max": {"cpu": "2"}, "min": {"cpu": "100m"}, "default": {"cpu": "500m"}, "defaultRequest": {"cpu": "200m"}}
    ]}});
    assert_eq!(create("LimitRange", &lr), Vec::<String>::new());
    let bad = json!({"apiVersion": "v1", "kind": "LimitRange", "metadata": meta("limits"), "spec": {"limits": [
        {"type": "Container", "max": {"cpu": "1"}, "min": {"cpu": "2"}},
        {"type": "Node"}
    ]}});
    let l = create("LimitRange", &bad);
    has(&l, "spec.limits[0].min[cpu]: Invalid value: \"2\": min value 2 is greater than max value 1");
    has(&l, "spec.limits[1].type: Invalid value: \"Node\": must be a standard limit type or fully qualified");
}

#[test]
fn resource_quotas_check_names_and_scopes() {
    let rq = json!({"apiVersion": "v1", "kind": "ResourceQuota", "metadata": meta("q"), "spec": {"hard": {"pods": "10", "requests.cpu": "4"}}});
    assert_eq!(create("ResourceQuota", &rq), Vec::<String>::new());
    let bad = json!({"apiVersion": "v1", "kind": "ResourceQuota", "metadata": meta("q"), "spec": {"hard": {"pods": "1.5", "widgets": "1"}, "scopes": ["BestEffort", "NotBestEffort"]}});
    let l = create("ResourceQuota", &bad);
    has(&l, "spec.hard[pods]: Invalid value: \"1500m\": must be an integer");
    has(&l, "spec.hard[widgets]: Invalid value: \"widgets\": must be a standard resource type or fully qualified");
    has(
        &l,
        "spec.scopes: Invalid value: []core.ResourceQuotaScope{\"BestEffort\", \"NotBestEffort\"}: conflicting scopes",
    );
}

#[test]
fn legacy_events_must_match_their_object_namespace() {
    let ev = json!({"apiVersion": "v1", "kind": "Event", "metadata": meta("web.1"),
        "involvedObject": {"kind": "Pod", "namespace": "default", "name": "web"}, "reason": "Started", "message": "ok", "type": "Normal"});
    assert_eq!(create("Event", &ev), Vec::<String>::new());
    let mut bad = ev.clone();
    bad["involvedObject"]["namespace"] = json!("other");
    assert_eq!(
        create("Event", &bad),
        ["involvedObject.namespace: Invalid value: \"other\": does not match event.namespace"]
    );
    let mut new_style = ev.clone();
    new_style["eventTime"] = json!("2024-01-01T00:00:00.000000Z");
    let l = create("Event", &new_style);
    has(&l, "reportingComponent: Required value");
    has(&l, "reportingInstance: Required value");
    has(&l, "action: Required value");
}
