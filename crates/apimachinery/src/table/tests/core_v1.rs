use serde_json::{json, Value};

use super::{ago, names, row, wide_names};

fn meta(name: &str) -> Value {
    json!({"name": name, "namespace": "default", "creationTimestamp": ago(15 * 60)})
}

fn svc(spec: Value, status: Value) -> Vec<Value> {
    row("", "v1", "services", &json!({"metadata": meta("web"), "spec": spec, "status": status}))
}

#[test]
fn cluster_ip_service_shows_its_ip_ports_and_selector() {
    assert_eq!(
        names("", "v1", "services"),
        ["Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector"]
    );
    let cells = svc(
        json!({"type": "ClusterIP", "clusterIP": "10.96.0.12", "clusterIPs": ["10.96.0.12"],
               "ports": [{"port": 80, "protocol": "TCP", "targetPort": 8080}, {"port": 53, "protocol": "UDP"}],
               "selector": {"app": "web"}}),
        json!({}),
    );
    assert_eq!(
        cells,
        [
            json!("web"),
            json!("ClusterIP"),
            json!("10.96.0.12"),
            json!("<none>"),
            json!("80/TCP,53/UDP"),
            json!("15m"),
            json!("app=web"),
        ]
    );
}

#[test]
fn node_port_service_shows_port_and_node_port() {
    let cells = svc(
        json!({"type": "NodePort", "clusterIP": "10.96.3.4", "externalIPs": ["192.0.2.10"],
               "ports": [{"port": 8080, "nodePort": 31755, "protocol": "TCP"}]}),
        json!({}),
    );
    assert_eq!(cells[3..5], [json!("192.0.2.10"), json!("8080:31755/TCP")]);
    assert_eq!(cells[6], json!("<none>"));
}

#[test]
fn load_balancer_service_is_pending_until_it_has_ingress_points() {
    let spec = json!({"type": "LoadBalancer", "clusterIP": "10.96.5.5", "ports": [{"port": 443, "nodePort": 30443, "protocol": "TCP"}]});
    assert_eq!(svc(spec.clone(), json!({"loadBalancer": {}}))[3], json!("<pending>"));
    let lb = json!({"loadBalancer": {"ingress": [{"ip": "203.0.113.9"}, {"hostname": "lb.example.com"}, {"ip": "203.0.113.1"}]}});
    // Sorted and never clipped: the server prints wide.
    assert_eq!(svc(spec.clone(), lb.clone())[3], json!("203.0.113.1,203.0.113.9,lb.example.com"));
    let mut with_external = spec;
    with_external["externalIPs"] = json!(["198.51.100.7"]);
    assert_eq!(svc(with_external.clone(), lb)[3], json!("203.0.113.1,203.0.113.9,lb.example.com,198.51.100.7"));
    assert_eq!(svc(with_external, json!({}))[3], json!("198.51.100.7"));
}

#[test]
fn headless_external_name_and_untyped_services() {
    let headless = svc(json!({"type": "ClusterIP", "clusterIP": "None", "ports": []}), json!({}));
    assert_eq!(headless[2..5], [json!("None"), json!("<none>"), json!("<none>")]);
    let external = svc(json!({"type": "ExternalName", "externalName": "db.example.com"}), json!({}));
    assert_eq!(external[1..5], [json!("ExternalName"), json!("<none>"), json!("db.example.com"), json!("<none>")]);
    let dual = svc(json!({"type": "ClusterIP", "clusterIPs": ["fd00::1", "10.0.0.1"]}), json!({}));
    assert_eq!(dual[2], json!("fd00::1"));
    assert_eq!(
        row("", "v1", "services", &json!({}))[1..5],
        [json!(""), json!("<none>"), json!("<unknown>"), json!("<none>")]
    );
}

#[test]
fn endpoints_list_three_addresses_then_count_the_rest() {
    let obj = json!({"metadata": meta("web"), "subsets": [
        {"addresses": [{"ip": "10.0.0.1"}, {"ip": "10.0.0.2"}], "ports": [{"port": 8080, "name": "http"}, {"port": 9090, "name": "metrics"}]},
        {"addresses": [{"ip": "fd00::3"}], "ports": [{"port": 80}]}
    ]});
    assert_eq!(
        row("", "v1", "endpoints", &obj),
        [json!("web"), json!("10.0.0.1:8080,10.0.0.2:8080,10.0.0.1:9090 + 2 more..."), json!("15m"),]
    );
    let small = json!({"subsets": [{"addresses": [{"ip": "fd00::3"}], "ports": [{"port": 80}]}, {"addresses": [{"ip": "10.1.1.1"}]}]});
    assert_eq!(row("", "v1", "endpoints", &small)[1], json!("[fd00::3]:80,10.1.1.1"));
    assert_eq!(row("", "v1", "endpoints", &json!({"subsets": []}))[1], json!("<none>"));
    assert_eq!(
        row("", "v1", "endpoints", &json!({"subsets": [{"notReadyAddresses": [{"ip": "1.2.3.4"}]}]}))[1],
        json!("")
    );
}

#[test]
fn endpoint_slice_lists_ports_and_addresses_or_unset() {
    assert_eq!(names("discovery.k8s.io", "v1", "endpointslices"), ["Name", "AddressType", "Ports", "Endpoints", "Age"]);
    let obj = json!({"metadata": meta("web-abc12"), "addressType": "IPv4",
        "ports": [{"name": "http", "port": 80}, {"name": "named"}, {}, {"port": 9090}],
        "endpoints": [{"addresses": ["10.0.0.1"]}, {"addresses": ["10.0.0.2", "10.0.0.3"]}]});
    assert_eq!(
        row("discovery.k8s.io", "v1", "endpointslices", &obj),
        [
            json!("web-abc12"),
            json!("IPv4"),
            json!("80,named,* + 1 more..."),
            json!("10.0.0.1,10.0.0.2,10.0.0.3"),
            json!("15m"),
        ]
    );
    assert_eq!(row("discovery.k8s.io", "v1", "endpointslices", &json!({}))[2..4], [json!("<unset>"), json!("<unset>")]);
}

fn node(labels: Value, spec: Value, status: Value) -> Value {
    json!({"metadata": {"name": "node-a", "labels": labels, "creationTimestamp": ago(40 * 86400)}, "spec": spec, "status": status})
}

#[test]
fn ready_control_plane_node_prints_roles_version_and_system_info() {
    assert_eq!(
        wide_names("", "v1", "nodes"),
        ["Internal-IP", "External-IP", "OS-Image", "Kernel-Version", "Container-Runtime"]
    );
    let obj = node(
        json!({"node-role.kubernetes.io/control-plane": "", "kubernetes.io/role": "master", "kubernetes.io/os": "linux"}),
        json!({}),
        json!({"conditions": [{"type": "MemoryPressure", "status": "False"}, {"type": "Ready", "status": "True"}],
               "addresses": [{"type": "Hostname", "address": "node-a"}, {"type": "InternalIP", "address": "192.168.1.10"}],
               "nodeInfo": {"kubeletVersion": "v1.33.1", "osImage": "Debian GNU/Linux 12 (bookworm)",
                            "kernelVersion": "6.1.0-25-amd64", "containerRuntimeVersion": "containerd://1.7.22"}}),
    );
    assert_eq!(
        row("", "v1", "nodes", &obj),
        [
            json!("node-a"),
            json!("Ready"),
            json!("control-plane,master"),
            json!("40d"),
            json!("v1.33.1"),
            json!("192.168.1.10"),
            json!("<none>"),
            json!("Debian GNU/Linux 12 (bookworm)"),
            json!("6.1.0-25-amd64"),
            json!("containerd://1.7.22"),
        ]
    );
}

#[test]
fn cordoned_not_ready_and_unknown_nodes() {
    let cordoned =
        node(json!({}), json!({"unschedulable": true}), json!({"conditions": [{"type": "Ready", "status": "False"}]}));
    assert_eq!(row("", "v1", "nodes", &cordoned)[1..3], [json!("NotReady,SchedulingDisabled"), json!("<none>")]);
    let unknown_status = node(json!({}), json!({}), json!({"conditions": [{"type": "Ready", "status": "Unknown"}]}));
    assert_eq!(row("", "v1", "nodes", &unknown_status)[1], json!("NotReady"));
    let no_conditions = node(json!({"node-role.kubernetes.io/": ""}), json!({"unschedulable": true}), json!({}));
    assert_eq!(row("", "v1", "nodes", &no_conditions)[1..3], [json!("Unknown,SchedulingDisabled"), json!("<none>")]);
    assert_eq!(
        row("", "v1", "nodes", &json!({}))[4..],
        [json!(""), json!("<none>"), json!("<none>"), json!("<unknown>"), json!("<unknown>"), json!("<unknown>"),]
    );
}

#[test]
fn namespace_secret_configmap_and_service_account_count_their_entries() {
    let ns = json!({"metadata": meta("team-a"), "status": {"phase": "Terminating"}});
    assert_eq!(row("", "v1", "namespaces", &ns), [json!("team-a"), json!("Terminating"), json!("15m")]);
    let secret = json!({"metadata": meta("tls"), "type": "kubernetes.io/tls", "data": {"tls.crt": "", "tls.key": ""}});
    assert_eq!(row("", "v1", "secrets", &secret), [json!("tls"), json!("kubernetes.io/tls"), json!(2), json!("15m")]);
    let cm = json!({"metadata": meta("cfg"), "data": {"a": "1"}, "binaryData": {"b": "AA==", "c": "AA=="}});
    assert_eq!(row("", "v1", "configmaps", &cm), [json!("cfg"), json!(3), json!("15m")]);
    let sa = json!({"metadata": meta("default"), "secrets": [{"name": "default-token"}]});
    assert_eq!(row("", "v1", "serviceaccounts", &sa), [json!("default"), json!(1), json!("15m")]);
    assert_eq!(row("", "v1", "secrets", &json!({}))[1..3], [json!(""), json!(0)]);
    assert_eq!(row("", "v1", "configmaps", &json!({}))[1], json!(0));
    assert_eq!(row("", "v1", "serviceaccounts", &json!({}))[1], json!(0));
}

#[test]
fn bound_persistent_volume_shows_claim_class_and_canonical_capacity() {
    assert_eq!(
        names("", "v1", "persistentvolumes"),
        [
            "Name",
            "Capacity",
            "Access Modes",
            "Reclaim Policy",
            "Status",
            "Claim",
            "StorageClass",
            "VolumeAttributesClass",
            "Reason",
            "Age",
            "VolumeMode"
        ]
    );
    let obj = json!({"metadata": meta("pv-1"), "spec": {
        "capacity": {"storage": "1024Mi"}, "accessModes": ["ReadWriteMany", "ReadWriteOnce", "ReadWriteOnce"],
        "persistentVolumeReclaimPolicy": "Retain", "storageClassName": "standard", "volumeMode": "Filesystem",
        "claimRef": {"namespace": "default", "name": "data"}}, "status": {"phase": "Bound"}});
    assert_eq!(
        row("", "v1", "persistentvolumes", &obj),
        [
            json!("pv-1"),
            json!("1Gi"),
            json!("RWO,RWX"),
            json!("Retain"),
            json!("Bound"),
            json!("default/data"),
            json!("standard"),
            json!("<unset>"),
            json!(""),
            json!("15m"),
            json!("Filesystem"),
        ]
    );
}

#[test]
fn released_and_deleted_persistent_volumes() {
    let mut obj = json!({"metadata": {"name": "pv-2", "annotations": {"volume.beta.kubernetes.io/storage-class": "legacy"}},
        "spec": {"storageClassName": "ignored", "volumeAttributesClassName": "gold", "accessModes": ["ReadWriteOncePod", "ReadOnlyMany"]},
        "status": {"phase": "Failed", "reason": "VolumeFailedRecycle"}});
    let cells = row("", "v1", "persistentvolumes", &obj);
    assert_eq!(
        cells[1..9],
        [
            json!("0"),
            json!("ROX,RWOP"),
            json!(""),
            json!("Failed"),
            json!(""),
            json!("legacy"),
            json!("gold"),
            json!("VolumeFailedRecycle"),
        ]
    );
    assert_eq!(cells[10], json!("<unset>"));
    obj["metadata"]["deletionTimestamp"] = json!(ago(1));
    assert_eq!(row("", "v1", "persistentvolumes", &obj)[4], json!("Terminating"));
}

#[test]
fn bound_claim_shows_volume_capacity_modes_and_classes() {
    let obj = json!({"metadata": meta("data"),
        "spec": {"volumeName": "pv-1", "storageClassName": "standard", "volumeAttributesClassName": "silver",
                 "volumeMode": "Block", "resources": {"requests": {"storage": "1Gi"}}},
        "status": {"phase": "Bound", "capacity": {"storage": "2Gi"}, "accessModes": ["ReadWriteOnce"]}});
    assert_eq!(
        row("", "v1", "persistentvolumeclaims", &obj),
        [
            json!("data"),
            json!("Bound"),
            json!("pv-1"),
            json!("2Gi"),
            json!("RWO"),
            json!("standard"),
            json!("silver"),
            json!("15m"),
            json!("Block"),
        ]
    );
}

#[test]
fn pending_claim_leaves_capacity_and_modes_empty() {
    let obj = json!({"metadata": meta("new"), "spec": {"resources": {"requests": {"storage": "5Gi"}}, "accessModes": ["ReadWriteOnce"]},
                     "status": {"phase": "Pending"}});
    assert_eq!(
        row("", "v1", "persistentvolumeclaims", &obj)[1..9],
        [
            json!("Pending"),
            json!(""),
            json!(""),
            json!(""),
            json!(""),
            json!("<unset>"),
            json!("15m"),
            json!("<unset>"),
        ]
    );
    let bound_no_status = json!({"spec": {"volumeName": "pv-9"}, "metadata": {"deletionTimestamp": ago(3)}});
    assert_eq!(
        row("", "v1", "persistentvolumeclaims", &bound_no_status)[1..5],
        [json!("Terminating"), json!("pv-9"), json!("0"), json!("")]
    );
}

#[test]
fn resource_quota_splits_requests_and_limits_sorted_by_resource() {
    let obj = json!({"metadata": meta("compute"), "status": {
        "hard": {"requests.cpu": "1", "pods": "10", "limits.memory": "2Gi", "limits.cpu": "2", "requests.memory": "1024Mi"},
        "used": {"requests.cpu": "500m", "pods": "3", "limits.cpu": "1", "requests.memory": "512Mi"}}});
    assert_eq!(
        row("", "v1", "resourcequotas", &obj),
        [
            json!("compute"),
            json!("pods: 3/10, requests.cpu: 500m/1, requests.memory: 512Mi/1Gi"),
            json!("limits.cpu: 1/2, limits.memory: 0/2Gi"),
            json!("15m"),
        ]
    );
    assert_eq!(
        row("", "v1", "resourcequotas", &json!({"spec": {"hard": {"pods": "1"}}}))[1..3],
        [json!(""), json!("")]
    );
}
