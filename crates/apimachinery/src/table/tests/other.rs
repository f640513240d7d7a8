use serde_json::{json, Value};

use super::{ago, names, row, wide_names};
use crate::table::columns;

fn meta(name: &str) -> Value {
    json!({"name": name, "creationTimestamp": ago(3 * 86400)})
}

#[test]
fn ingress_shows_class_hosts_address_and_tls_ports() {
    assert_eq!(names("networking.k8s.io", "v1", "ingresses"), ["Name", "Class", "Hosts", "Address", "Ports", "Age"]);
    let obj = json!({"metadata": meta("shop"),
        "spec": {"ingressClassName": "nginx", "tls": [{"hosts": ["shop.example.com"]}],
                 "rules": [{"host": "shop.example.com"}, {"host": "api.example.com"}]},
        "status": {"loadBalancer": {"ingress": [{"ip": "203.0.113.20"}, {"hostname": "very-long-load-balancer.example.com"}]}}});
    assert_eq!(
        row("networking.k8s.io", "v1", "ingresses", &obj),
        [
            json!("shop"),
            json!("nginx"),
            json!("shop.example.com,api.example.com"),
            json!("203.0.113.20,very-long-load-balancer.example.com"),
            json!("80, 443"),
            json!("3d"),
        ]
    );
}

#[test]
fn ingress_hosts_default_to_star_and_summarize_past_three() {
    let hosts =
        |rules: Value| row("networking.k8s.io", "v1", "ingresses", &json!({"spec": {"rules": rules}}))[2].clone();
    assert_eq!(hosts(json!([{"http": {}}])), json!("*"));
    assert_eq!(
        hosts(json!([{"host": "a"}, {}, {"host": "b"}, {"host": "c"}, {"host": "d"}])),
        json!("a,b,c + 2 more...")
    );
    assert_eq!(
        row("networking.k8s.io", "v1", "ingresses", &json!({}))[1..5],
        [json!("<none>"), json!("*"), json!(""), json!("80")]
    );
}

#[test]
fn ingress_class_shows_controller_and_parameters_reference() {
    let obj = json!({"metadata": meta("nginx"), "spec": {"controller": "k8s.io/ingress-nginx",
        "parameters": {"apiGroup": "k8s.example.com", "kind": "IngressParameters", "name": "external-lb"}}});
    assert_eq!(
        row("networking.k8s.io", "v1", "ingressclasses", &obj),
        [
            json!("nginx"),
            json!("k8s.io/ingress-nginx"),
            json!("IngressParameters.k8s.example.com/external-lb"),
            json!("3d"),
        ]
    );
    let core = json!({"spec": {"parameters": {"kind": "ConfigMap", "name": "cfg"}}});
    assert_eq!(row("networking.k8s.io", "v1", "ingressclasses", &core)[2], json!("ConfigMap/cfg"));
    assert_eq!(row("networking.k8s.io", "v1", "ingressclasses", &json!({}))[2], json!("<none>"));
}

#[test]
fn network_policy_shows_its_pod_selector_or_none() {
    let obj = json!({"metadata": meta("deny"), "spec": {"podSelector": {"matchLabels": {"role": "db"}}}});
    assert_eq!(row("networking.k8s.io", "v1", "networkpolicies", &obj), [json!("deny"), json!("role=db"), json!("3d")]);
    let all = json!({"spec": {"podSelector": {}}});
    assert_eq!(row("networking.k8s.io", "v1", "networkpolicies", &all)[1], json!("<none>"));
    let bad = json!({"spec": {"podSelector": {"matchExpressions": [{"key": "a", "operator": "In", "values": []}]}}});
    assert_eq!(row("networking.k8s.io", "v1", "networkpolicies", &bad)[1], json!("<error>"));
}

#[test]
fn lease_shows_holder_or_nothing() {
    let obj = json!({"metadata": meta("kube-scheduler"), "spec": {"holderIdentity": "cp-1_5f2c"}});
    assert_eq!(
        row("coordination.k8s.io", "v1", "leases", &obj),
        [json!("kube-scheduler"), json!("cp-1_5f2c"), json!("3d")]
    );
    assert_eq!(row("coordination.k8s.io", "v1", "leases", &json!({}))[1], json!(""));
}

#[test]
fn role_bindings_show_role_ref_and_subjects_by_kind() {
    assert_eq!(wide_names("rbac.authorization.k8s.io", "v1", "rolebindings"), ["Users", "Groups", "ServiceAccounts"]);
    let obj = json!({"metadata": meta("admins"), "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "admin"},
    "subjects": [
        {"kind": "User", "name": "alice"}, {"kind": "Group", "name": "ops"}, {"kind": "User", "name": "bob"},
        {"kind": "ServiceAccount", "name": "ci", "namespace": "tools"}, {"kind": "Robot", "name": "r2"}
    ]});
    let want = [
        json!("admins"),
        json!("ClusterRole/admin"),
        json!("3d"),
        json!("alice, bob"),
        json!("ops"),
        json!("tools/ci"),
    ];
    assert_eq!(row("rbac.authorization.k8s.io", "v1", "rolebindings", &obj), want);
    assert_eq!(row("rbac.authorization.k8s.io", "v1", "clusterrolebindings", &obj), want);
    assert_eq!(
        row("rbac.authorization.k8s.io", "v1", "clusterrolebindings", &json!({}))[1..],
        [json!("/"), json!("<unknown>"), json!(""), json!(""), json!(""),]
    );
}

#[test]
fn default_storage_class_gets_a_suffix_and_unset_policies_their_defaults() {
    let obj = json!({"metadata": {"name": "standard", "creationTimestamp": ago(3 * 86400),
        "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}},
        "provisioner": "rancher.io/local-path", "reclaimPolicy": "Retain", "volumeBindingMode": "WaitForFirstConsumer",
        "allowVolumeExpansion": true});
    assert_eq!(
        row("storage.k8s.io", "v1", "storageclasses", &obj),
        [
            json!("standard (default)"),
            json!("rancher.io/local-path"),
            json!("Retain"),
            json!("WaitForFirstConsumer"),
            json!(true),
            json!("3d"),
        ]
    );
    let beta = json!({"metadata": {"name": "old", "annotations": {"storageclass.beta.kubernetes.io/is-default-class": "true"}}});
    assert_eq!(row("storage.k8s.io", "v1", "storageclasses", &beta)[0], json!("old (default)"));
    let plain =
        json!({"metadata": {"name": "fast", "annotations": {"storageclass.kubernetes.io/is-default-class": "false"}}});
    assert_eq!(
        row("storage.k8s.io", "v1", "storageclasses", &plain)[..5],
        [json!("fast"), json!(""), json!("Delete"), json!("Immediate"), json!(false),]
    );
}

#[test]
fn csi_driver_prints_booleans_with_upstream_defaults() {
    assert_eq!(
        names("storage.k8s.io", "v1", "csidrivers"),
        [
            "Name",
            "AttachRequired",
            "PodInfoOnMount",
            "StorageCapacity",
            "TokenRequests",
            "RequiresRepublish",
            "Modes",
            "Age"
        ]
    );
    let obj = json!({"metadata": meta("ebs.csi.aws.com"), "spec": {"attachRequired": false, "podInfoOnMount": true,
        "tokenRequests": [{"audience": "sts.amazonaws.com"}, {"audience": "vault"}],
        "volumeLifecycleModes": ["Persistent", "Ephemeral"]}});
    assert_eq!(
        row("storage.k8s.io", "v1", "csidrivers", &obj),
        [
            json!("ebs.csi.aws.com"),
            json!(false),
            json!(true),
            json!(false),
            json!("sts.amazonaws.com,vault"),
            json!(false),
            json!("Persistent,Ephemeral"),
            json!("3d"),
        ]
    );
    assert_eq!(
        row("storage.k8s.io", "v1", "csidrivers", &json!({}))[1..7],
        [json!(true), json!(false), json!(false), json!("<unset>"), json!(false), json!("<none>"),]
    );
}

#[test]
fn csi_node_counts_drivers_and_volume_attachment_shows_attach_state() {
    let node = json!({"metadata": meta("node-a"), "spec": {"drivers": [{"name": "a"}, {"name": "b"}]}});
    assert_eq!(row("storage.k8s.io", "v1", "csinodes", &node), [json!("node-a"), json!(2), json!("3d")]);
    let va = json!({"metadata": meta("csi-1234"), "spec": {"attacher": "ebs.csi.aws.com", "nodeName": "node-a",
        "source": {"persistentVolumeName": "pv-1"}}, "status": {"attached": true}});
    assert_eq!(
        row("storage.k8s.io", "v1", "volumeattachments", &va),
        [json!("csi-1234"), json!("ebs.csi.aws.com"), json!("pv-1"), json!("node-a"), json!(true), json!("3d"),]
    );
    assert_eq!(columns("storage.k8s.io", "v1", "volumeattachments")[1].format, "name");
    assert_eq!(
        row("storage.k8s.io", "v1", "volumeattachments", &json!({}))[2..5],
        [json!(""), json!(""), json!(false)]
    );
}

#[test]
fn priority_class_prints_value_default_flag_and_preemption_policy() {
    let obj = json!({"metadata": meta("system-cluster-critical"), "value": 2000000000, "globalDefault": false,
                     "preemptionPolicy": "PreemptLowerPriority"});
    assert_eq!(
        row("scheduling.k8s.io", "v1", "priorityclasses", &obj),
        [json!("system-cluster-critical"), json!(2000000000), json!(false), json!("3d"), json!("PreemptLowerPriority"),]
    );
    assert_eq!(
        row("scheduling.k8s.io", "v1", "priorityclasses", &json!({}))[1..],
        [json!(0), json!(false), json!("<unknown>"), json!(""),]
    );
}

#[test]
fn certificate_signing_request_summarizes_its_conditions() {
    assert_eq!(
        names("certificates.k8s.io", "v1", "certificatesigningrequests"),
        ["Name", "Age", "SignerName", "Requestor", "RequestedDuration", "Condition"]
    );
    let obj = json!({"metadata": meta("csr-abc"), "spec": {"signerName": "kubernetes.io/kube-apiserver-client",
        "username": "system:admin", "expirationSeconds": 86400},
        "status": {"conditions": [{"type": "Approved", "status": "True"}], "certificate": "LS0t"}});
    assert_eq!(
        row("certificates.k8s.io", "v1", "certificatesigningrequests", &obj),
        [
            json!("csr-abc"),
            json!("3d"),
            json!("kubernetes.io/kube-apiserver-client"),
            json!("system:admin"),
            json!("24h"),
            json!("Approved,Issued"),
        ]
    );
    let condition = |conditions: Value| {
        row("certificates.k8s.io", "v1", "certificatesigningrequests", &json!({"status": {"conditions": conditions}}))
            [5]
        .clone()
    };
    assert_eq!(condition(json!([])), json!("Pending"));
    assert_eq!(condition(json!([{"type": "Approved"}, {"type": "Denied"}])), json!("Denied"));
    assert_eq!(condition(json!([{"type": "Approved"}, {"type": "Failed"}])), json!("Approved,Failed"));
    assert_eq!(
        row("certificates.k8s.io", "v1", "certificatesigningrequests", &json!({}))[2..5],
        [json!("<none>"), json!(""), json!("<none>"),]
    );
}

#[test]
fn webhook_configurations_count_their_webhooks() {
    let obj = json!({"metadata": meta("policy"), "webhooks": [{"name": "a.example.com"}, {"name": "b.example.com"}]});
    for plural in ["validatingwebhookconfigurations", "mutatingwebhookconfigurations"] {
        assert_eq!(names("admissionregistration.k8s.io", "v1", plural), ["Name", "Webhooks", "Age"]);
        assert_eq!(row("admissionregistration.k8s.io", "v1", plural, &obj), [json!("policy"), json!(2), json!("3d")]);
        assert_eq!(row("admissionregistration.k8s.io", "v1", plural, &json!({}))[1], json!(0));
    }
}
