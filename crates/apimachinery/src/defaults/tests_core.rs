//! Core (`v1`) kinds other than pods.

use serde_json::json;

use super::tests::{assert_json, defaulted, served};

#[test]
fn a_service_created_by_kubectl_gets_upstreams_defaults() {
    let body = json!({
        "kind": "Service", "apiVersion": "v1",
        "metadata": {"name": "my-svc", "creationTimestamp": null, "labels": {"app": "my-svc"}},
        "spec": {"ports": [{"name": "5678-8080", "protocol": "TCP", "port": 5678, "targetPort": 8080}],
                 "selector": {"app": "my-svc"}, "type": "ClusterIP"},
        "status": {"loadBalancer": {}}
    });
    let want = json!({
        "kind": "Service", "apiVersion": "v1",
        "metadata": {"name": "my-svc", "labels": {"app": "my-svc"}},
        "spec": {
            "ports": [{"name": "5678-8080", "protocol": "TCP", "port": 5678, "targetPort": 8080}],
            "selector": {"app": "my-svc"},
            "type": "ClusterIP",
            "sessionAffinity": "None",
            "internalTrafficPolicy": "Cluster"
        },
        "status": {"loadBalancer": {}}
    });
    assert_json(&served("", "v1", "Service", body), &want);
}

#[test]
fn a_minimal_service_manifest_gets_type_protocol_and_target_port() {
    let body = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
                      "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}, {"port": 443, "targetPort": 0}]}});
    let want = json!({
        "kind": "Service", "apiVersion": "v1",
        "metadata": {"name": "web"},
        "spec": {
            "ports": [{"protocol": "TCP", "port": 80, "targetPort": 80}, {"protocol": "TCP", "port": 443, "targetPort": 443}],
            "selector": {"app": "web"},
            "type": "ClusterIP",
            "sessionAffinity": "None",
            "internalTrafficPolicy": "Cluster"
        },
        "status": {"loadBalancer": {}}
    });
    assert_json(&served("", "v1", "Service", body), &want);
}

#[test]
fn a_load_balancer_service_gets_external_policies_node_ports_and_ip_modes() {
    let body = json!({
        "apiVersion": "v1", "kind": "Service", "metadata": {"name": "lb"},
        "spec": {"type": "LoadBalancer", "sessionAffinity": "ClientIP", "ports": [{"port": 443, "targetPort": "https"}]},
        "status": {"loadBalancer": {"ingress": [{"ip": "203.0.113.7"}, {"hostname": "lb.example.com"}]}}
    });
    let want = json!({
        "kind": "Service", "apiVersion": "v1",
        "metadata": {"name": "lb"},
        "spec": {
            "ports": [{"protocol": "TCP", "port": 443, "targetPort": "https"}],
            "type": "LoadBalancer",
            "sessionAffinity": "ClientIP",
            "externalTrafficPolicy": "Cluster",
            "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 10800}},
            "allocateLoadBalancerNodePorts": true,
            "internalTrafficPolicy": "Cluster"
        },
        "status": {"loadBalancer": {"ingress": [{"ip": "203.0.113.7", "ipMode": "VIP"}, {"hostname": "lb.example.com"}]}}
    });
    assert_json(&served("", "v1", "Service", body), &want);
}

#[test]
fn service_types_decide_the_traffic_policies() {
    let spec = |s: serde_json::Value| defaulted("", "v1", "Service", json!({"spec": s}))["spec"].clone();
    let got = spec(json!({"type": "ExternalName", "externalName": "db.example.com"}));
    assert_eq!(got, json!({"type": "ExternalName", "externalName": "db.example.com", "sessionAffinity": "None"}));
    let got = spec(json!({"type": "NodePort", "externalTrafficPolicy": "Local"}));
    assert_eq!(got["externalTrafficPolicy"], "Local");
    assert_eq!(got["internalTrafficPolicy"], "Cluster");
    assert!(got.get("allocateLoadBalancerNodePorts").is_none());
    let got = spec(json!({"externalIPs": ["198.51.100.1"]}));
    assert_eq!(
        got["externalTrafficPolicy"], "Cluster",
        "a ClusterIP service with external IPs is reachable from outside"
    );
    let got = spec(json!({"sessionAffinity": "None", "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 60}}}));
    assert!(got.get("sessionAffinityConfig").is_none(), "upstream drops the config without affinity");
    let got =
        spec(json!({"sessionAffinity": "ClientIP", "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 60}}}));
    assert_eq!(got["sessionAffinityConfig"], json!({"clientIP": {"timeoutSeconds": 60}}));
}

#[test]
fn a_secret_is_opaque_and_its_string_data_moves_into_data() {
    let body = json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"},
                      "data": {"b": "b2xk", "a": "eA=="}, "stringData": {"b": "new", "c": "hello"}});
    let want = json!({
        "kind": "Secret", "apiVersion": "v1",
        "metadata": {"name": "s"},
        "data": {"a": "eA==", "b": "bmV3", "c": "aGVsbG8="},
        "type": "Opaque"
    });
    assert_json(&served("", "v1", "Secret", body), &want);
    let tls = defaulted("", "v1", "Secret", json!({"type": "kubernetes.io/tls", "stringData": {}}));
    assert_eq!(tls, json!({"type": "kubernetes.io/tls"}));
}

#[test]
fn a_persistent_volume_gets_retain_filesystem_and_pending() {
    let body = json!({
        "apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "pv0"},
        "spec": {"capacity": {"storage": "5Gi"}, "accessModes": ["ReadWriteOnce"], "hostPath": {"path": "/mnt/data"}}
    });
    let want = json!({
        "kind": "PersistentVolume", "apiVersion": "v1",
        "metadata": {"name": "pv0"},
        "spec": {
            "capacity": {"storage": "5Gi"},
            "hostPath": {"path": "/mnt/data", "type": ""},
            "accessModes": ["ReadWriteOnce"],
            "persistentVolumeReclaimPolicy": "Retain",
            "volumeMode": "Filesystem"
        },
        "status": {"phase": "Pending"}
    });
    assert_json(&served("", "v1", "PersistentVolume", body), &want);
}

#[test]
fn persistent_volume_sources_get_their_marker_defaults() {
    let got = defaulted(
        "",
        "v1",
        "PersistentVolume",
        json!({"spec": {"rbd": {"monitors": ["m"], "image": "i"}, "persistentVolumeReclaimPolicy": "Delete", "volumeMode": "Block"}}),
    );
    assert_eq!(
        got["spec"]["rbd"],
        json!({"monitors": ["m"], "image": "i", "pool": "rbd", "user": "admin", "keyring": "/etc/ceph/keyring"})
    );
    assert_eq!(got["spec"]["persistentVolumeReclaimPolicy"], "Delete");
    assert_eq!(got["spec"]["volumeMode"], "Block");
    let got = defaulted(
        "",
        "v1",
        "PersistentVolume",
        json!({"spec": {"iscsi": {"targetPortal": "t", "iqn": "q", "lun": 0}}}),
    );
    assert_eq!(got["spec"]["iscsi"]["iscsiInterface"], "default");
    let got =
        defaulted("", "v1", "PersistentVolume", json!({"spec": {"azureDisk": {"diskName": "d", "diskURI": "u"}}}));
    assert_eq!(
        got["spec"]["azureDisk"],
        json!({"diskName": "d", "diskURI": "u", "cachingMode": "ReadWrite", "fsType": "ext4", "readOnly": false, "kind": "Shared"})
    );
    let got = defaulted("", "v1", "PersistentVolume", json!({"spec": {"scaleIO": {"gateway": "g", "system": "s"}}}));
    assert_eq!(got["spec"]["scaleIO"]["storageMode"], "ThinProvisioned");
    assert_eq!(got["spec"]["scaleIO"]["fsType"], "xfs");
}

#[test]
fn a_persistent_volume_claim_gets_filesystem_mode_and_pending() {
    let body = json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "data"},
                      "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}});
    let want = json!({
        "kind": "PersistentVolumeClaim", "apiVersion": "v1",
        "metadata": {"name": "data"},
        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}, "volumeMode": "Filesystem"},
        "status": {"phase": "Pending"}
    });
    assert_json(&served("", "v1", "PersistentVolumeClaim", body), &want);
}

#[test]
fn a_namespace_is_labelled_with_its_name_and_active() {
    let body = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev", "labels": {"team": "a"}}});
    let want = json!({
        "kind": "Namespace", "apiVersion": "v1",
        "metadata": {"name": "dev", "labels": {"kubernetes.io/metadata.name": "dev", "team": "a"}},
        "spec": {},
        "status": {"phase": "Active"}
    });
    assert_json(&served("", "v1", "Namespace", body), &want);
    // The label always carries the real name; a generated name is not known yet.
    let got = defaulted(
        "",
        "v1",
        "Namespace",
        json!({"metadata": {"name": "x", "labels": {"kubernetes.io/metadata.name": "y"}}}),
    );
    assert_eq!(got["metadata"]["labels"], json!({"kubernetes.io/metadata.name": "x"}));
    let got = defaulted("", "v1", "Namespace", json!({"metadata": {"generateName": "x-"}}));
    assert!(got["metadata"].get("labels").is_none());
}

#[test]
fn a_node_gets_allocatable_from_capacity_and_its_pod_cidrs_in_step() {
    let got = defaulted(
        "",
        "v1",
        "Node",
        json!({"metadata": {"name": "n1"}, "spec": {"podCIDR": "10.244.1.0/24"},
               "status": {"capacity": {"cpu": "4", "memory": "8Gi"}}}),
    );
    assert_eq!(got["spec"], json!({"podCIDR": "10.244.1.0/24", "podCIDRs": ["10.244.1.0/24"]}));
    assert_eq!(got["status"]["allocatable"], json!({"cpu": "4", "memory": "8Gi"}));
    let got = defaulted(
        "",
        "v1",
        "Node",
        json!({"spec": {"podCIDRs": ["10.244.1.0/24", "fd00::/64"]}, "status": {"capacity": {"cpu": "4"}, "allocatable": {"cpu": "3"}}}),
    );
    assert_eq!(got["spec"]["podCIDR"], "10.244.1.0/24");
    assert_eq!(got["status"]["allocatable"], json!({"cpu": "3"}));
}

#[test]
fn endpoints_ports_default_to_tcp() {
    let got = served(
        "",
        "v1",
        "Endpoints",
        json!({"metadata": {"name": "e"}, "subsets": [{"addresses": [{"ip": "10.0.0.1"}], "ports": [{"port": 80}, {"port": 53, "protocol": "UDP"}]}]}),
    );
    assert_eq!(got["subsets"][0]["ports"], json!([{"port": 80, "protocol": "TCP"}, {"port": 53, "protocol": "UDP"}]));
}

#[test]
fn a_limit_range_fills_container_defaults_from_max_default_and_min() {
    let got = defaulted(
        "",
        "v1",
        "LimitRange",
        json!({"spec": {"limits": [
            {"type": "Container", "max": {"cpu": "2"}, "min": {"cpu": "100m", "memory": "64Mi"}, "default": {"memory": "512Mi"}},
            {"type": "Pod", "max": {"cpu": "4"}}
        ]}}),
    );
    let want = json!([
        {"type": "Container", "max": {"cpu": "2"}, "min": {"cpu": "100m", "memory": "64Mi"},
         "default": {"cpu": "2", "memory": "512Mi"}, "defaultRequest": {"cpu": "2", "memory": "512Mi"}},
        {"type": "Pod", "max": {"cpu": "4"}}
    ]);
    assert_json(&got["spec"]["limits"], &want);
    let got =
        defaulted("", "v1", "LimitRange", json!({"spec": {"limits": [{"type": "Container", "min": {"cpu": "50m"}}]}}));
    assert_eq!(got["spec"]["limits"][0]["defaultRequest"], json!({"cpu": "50m"}));
    assert!(got["spec"]["limits"][0].get("default").is_none());
}

#[test]
fn resource_lists_are_rounded_up_to_millis_wherever_they_appear() {
    let got =
        defaulted("", "v1", "ResourceQuota", json!({"spec": {"hard": {"cpu": "100u", "pods": "10", "memory": "1Gi"}}}));
    assert_eq!(got["spec"]["hard"], json!({"cpu": "1m", "pods": "10", "memory": "1Gi"}));
    let got = defaulted(
        "apps",
        "v1",
        "Deployment",
        json!({"spec": {"template": {"spec": {"containers": [{"name": "c", "image": "i", "resources": {"requests": {"cpu": "0.0001"}}}]}}}}),
    );
    assert_eq!(got["spec"]["template"]["spec"]["containers"][0]["resources"]["requests"]["cpu"], "1m");
}

#[test]
fn kinds_without_defaults_come_back_unchanged() {
    let cases = [
        ("", "ConfigMap", json!({"metadata": {"name": "c"}, "data": {"k": "v"}})),
        ("", "ServiceAccount", json!({"metadata": {"name": "sa"}})),
        (
            "",
            "Event",
            json!({"metadata": {"name": "e"}, "involvedObject": {"kind": "Pod", "name": "p"}, "reason": "R"}),
        ),
        ("", "Binding", json!({"metadata": {"name": "p"}, "target": {"kind": "Node", "name": "n"}})),
    ];
    for (group, kind, body) in cases {
        assert_eq!(defaulted(group, "v1", kind, body.clone()), body, "{kind}");
    }
}
