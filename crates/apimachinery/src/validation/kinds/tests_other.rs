//! Kinds outside core and apps: autoscaling, policy, networking, discovery, coordination,
//! RBAC, storage, scheduling, certificates and admission registration.

use serde_json::{json, Value};

use super::tests_pod::lines;
use super::{validate_create, validate_status_update, validate_update};

fn create(group: &str, kind: &str, obj: &Value) -> Vec<String> {
    let version = if group == "autoscaling" { "v2" } else { "v1" };
    lines(&validate_create(group, version, kind, obj))
}

fn update(group: &str, kind: &str, new: &Value, old: &Value) -> Vec<String> {
    let version = if group == "autoscaling" { "v2" } else { "v1" };
    lines(&validate_update(group, version, kind, new, old))
}

fn has(lines: &[String], want: &str) {
    assert!(lines.iter().any(|l| l == want), "missing {want:?} in {lines:#?}");
}

fn meta(name: &str) -> Value {
    json!({"name": name, "namespace": "default", "uid": "u-9", "creationTimestamp": "2024-01-01T00:00:00Z", "resourceVersion": "4"})
}

fn cluster_meta(name: &str) -> Value {
    json!({"name": name, "uid": "u-9", "creationTimestamp": "2024-01-01T00:00:00Z", "resourceVersion": "4"})
}

pub(super) fn hpa() -> Value {
    json!({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": meta("web"),
        "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
                 "minReplicas": 1, "maxReplicas": 5,
                 "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}}]}})
}

#[test]
fn a_realistic_hpa_is_valid() {
    assert_eq!(create("autoscaling", "HorizontalPodAutoscaler", &hpa()), Vec::<String>::new());
}

#[test]
fn hpa_replica_bounds_follow_upstream() {
    let mut h = hpa();
    h["spec"]["minReplicas"] = json!(0);
    h["spec"]["maxReplicas"] = json!(0);
    let l = create("autoscaling", "HorizontalPodAutoscaler", &h);
    has(&l, "spec.minReplicas: Invalid value: 0: must be greater than or equal to 1");
    has(&l, "spec.maxReplicas: Invalid value: 0: must be greater than 0");
    let mut h = hpa();
    h["spec"]["minReplicas"] = json!(6);
    assert_eq!(
        create("autoscaling", "HorizontalPodAutoscaler", &h),
        ["spec.maxReplicas: Invalid value: 5: must be greater than or equal to `minReplicas`"]
    );
}

#[test]
fn hpa_metrics_populate_exactly_their_source() {
    let mut h = hpa();
    h["spec"]["metrics"] = json!([{"type": "Pods", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 50}}}]);
    assert_eq!(
        create("autoscaling", "HorizontalPodAutoscaler", &h),
        ["spec.metrics[0].pods: Required value: must populate information for the given metric source"]
    );
    h["spec"]["metrics"][0]["pods"] =
        json!({"metric": {"name": "qps"}, "target": {"type": "AverageValue", "averageValue": "10"}});
    assert_eq!(
        create("autoscaling", "HorizontalPodAutoscaler", &h),
        ["spec.metrics[0].resource: Forbidden: must populate the given metric source only"]
    );
    let mut h = hpa();
    h["spec"]["metrics"][0]["resource"]["target"] = json!({"type": "Utilization"});
    assert_eq!(
        create("autoscaling", "HorizontalPodAutoscaler", &h),
        ["spec.metrics[0].resource.target.averageUtilization: Required value: must set either a target raw value or a target utilization"]
    );
}

#[test]
fn hpa_status_counts_are_not_negative() {
    let old = hpa();
    let mut new = hpa();
    new["status"] = json!({"currentReplicas": -1, "desiredReplicas": 2});
    assert_eq!(
        lines(&validate_status_update("autoscaling", "v2", "HorizontalPodAutoscaler", &new, &old)),
        ["status.currentReplicas: Invalid value: -1: must be greater than or equal to 0"]
    );
}

pub(super) fn pdb() -> Value {
    json!({"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": meta("web"),
        "spec": {"minAvailable": 1, "selector": {"matchLabels": {"app": "web"}}}})
}

#[test]
fn pod_disruption_budgets_follow_upstream() {
    assert_eq!(create("policy", "PodDisruptionBudget", &pdb()), Vec::<String>::new());
    let mut p = pdb();
    p["spec"]["maxUnavailable"] = json!("120%");
    let l = create("policy", "PodDisruptionBudget", &p);
    assert!(
        l[0].starts_with("spec: Invalid value: ")
            && l[0].ends_with(": minAvailable and maxUnavailable cannot be both set"),
        "{l:?}"
    );
    has(&l, "spec.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"120%\"}: must not be greater than 100%");
    let mut p = pdb();
    p["spec"]["unhealthyPodEvictionPolicy"] = json!("Sometimes");
    assert_eq!(
        create("policy", "PodDisruptionBudget", &p),
        ["spec.unhealthyPodEvictionPolicy: Unsupported value: \"Sometimes\": supported values: \"AlwaysAllow\", \"IfHealthyBudget\""]
    );
}

#[test]
fn pod_disruption_budget_names_only_avoid_path_separators() {
    let mut p = pdb();
    p["metadata"]["name"] = json!("a/b");
    assert_eq!(
        create("policy", "PodDisruptionBudget", &p),
        ["metadata.name: Invalid value: \"a/b\": may not contain '/'"]
    );
}

#[test]
fn priority_classes_reserve_system_names_and_high_values() {
    let pc = json!({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": cluster_meta("high"), "value": 1000000, "preemptionPolicy": "PreemptLowerPriority"});
    assert_eq!(create("scheduling.k8s.io", "PriorityClass", &pc), Vec::<String>::new());
    let mut big = pc.clone();
    big["value"] = json!(2000000000);
    assert_eq!(
        create("scheduling.k8s.io", "PriorityClass", &big),
        ["value: Forbidden: maximum allowed value of a user defined priority is 1000000000"]
    );
    let mut sys = pc.clone();
    sys["metadata"]["name"] = json!("system-special");
    assert_eq!(
        create("scheduling.k8s.io", "PriorityClass", &sys),
        ["metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-special is not a known system priority class"]
    );
    let mut changed = pc.clone();
    changed["value"] = json!(5);
    assert_eq!(
        update("scheduling.k8s.io", "PriorityClass", &changed, &pc),
        ["value: Forbidden: may not be changed in an update."]
    );
}

#[test]
fn leases_need_positive_durations() {
    let lease = json!({"apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": meta("leader"),
        "spec": {"holderIdentity": "a", "leaseDurationSeconds": 15, "leaseTransitions": 0, "renewTime": "2024-01-01T00:00:00.000000Z"}});
    assert_eq!(create("coordination.k8s.io", "Lease", &lease), Vec::<String>::new());
    let mut bad = lease.clone();
    bad["spec"]["leaseDurationSeconds"] = json!(0);
    bad["spec"]["leaseTransitions"] = json!(-1);
    let l = create("coordination.k8s.io", "Lease", &bad);
    has(&l, "spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0");
    has(&l, "spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0");
}

#[test]
fn storage_classes_pin_their_provisioner_and_parameters() {
    let sc = json!({"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": cluster_meta("standard"),
        "provisioner": "rancher.io/local-path", "reclaimPolicy": "Delete", "volumeBindingMode": "WaitForFirstConsumer", "parameters": {"type": "ssd"}});
    assert_eq!(create("storage.k8s.io", "StorageClass", &sc), Vec::<String>::new());
    let mut bad = sc.clone();
    bad["reclaimPolicy"] = json!("Recycle");
    bad["volumeBindingMode"] = json!("Later");
    let l = create("storage.k8s.io", "StorageClass", &bad);
    has(&l, "reclaimPolicy: Unsupported value: \"Recycle\": supported values: \"Delete\", \"Retain\"");
    has(
        &l,
        "volumeBindingMode: Unsupported value: \"Later\": supported values: \"Immediate\", \"WaitForFirstConsumer\"",
    );
    let mut changed = sc.clone();
    changed["parameters"] = json!({"type": "hdd"});
    changed["provisioner"] = json!("other.io/p");
    let l = update("storage.k8s.io", "StorageClass", &changed, &sc);
    has(&l, "parameters: Forbidden: updates to parameters are forbidden.");
    has(&l, "provisioner: Forbidden: updates to provisioner are forbidden.");
}

#[test]
fn rbac_rules_need_verbs_and_resources() {
    let role = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": meta("reader"),
        "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list"]}]});
    assert_eq!(create("rbac.authorization.k8s.io", "Role", &role), Vec::<String>::new());
    let bad = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": meta("reader"),
        "rules": [{"resources": ["pods"]}, {"nonResourceURLs": ["/healthz"], "verbs": ["get"]}]});
    let l = create("rbac.authorization.k8s.io", "Role", &bad);
    has(&l, "rules[0].verbs: Required value: verbs must contain at least one value");
    has(&l, "rules[0].apiGroups: Required value: resource rules must supply at least one api group");
    has(&l, "rules[1].nonResourceURLs: Invalid value: []string{\"/healthz\"}: namespaced rules cannot apply to non-resource URLs");
}

#[test]
fn rbac_names_may_hold_colons_but_not_slashes() {
    let role = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": cluster_meta("system:reader"), "rules": []});
    assert_eq!(create("rbac.authorization.k8s.io", "ClusterRole", &role), Vec::<String>::new());
    let mut bad = role.clone();
    bad["metadata"]["name"] = json!("a/b");
    assert_eq!(
        create("rbac.authorization.k8s.io", "ClusterRole", &bad),
        ["metadata.name: Invalid value: \"a/b\": may not contain '/'"]
    );
}

pub(super) fn binding() -> Value {
    json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": meta("read-pods"),
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "reader"},
        "subjects": [{"kind": "User", "apiGroup": "rbac.authorization.k8s.io", "name": "jane"},
                     {"kind": "ServiceAccount", "name": "default", "namespace": "default"}]})
}

#[test]
fn role_bindings_check_their_subjects_and_role_ref() {
    assert_eq!(create("rbac.authorization.k8s.io", "RoleBinding", &binding()), Vec::<String>::new());
    let mut bad = binding();
    bad["roleRef"]["kind"] = json!("Group");
    bad["subjects"] = json!([{"kind": "Robot", "name": "r2"}, {"kind": "User", "name": "bob"}]);
    let l = create("rbac.authorization.k8s.io", "RoleBinding", &bad);
    has(&l, "roleRef.kind: Unsupported value: \"Group\": supported values: \"Role\", \"ClusterRole\"");
    has(
        &l,
        "subjects[0].kind: Unsupported value: \"Robot\": supported values: \"ServiceAccount\", \"User\", \"Group\"",
    );
    has(&l, "subjects[1].apiGroup: Unsupported value: \"\": supported values: \"rbac.authorization.k8s.io\"");
}

#[test]
fn the_role_ref_may_not_change() {
    let old = binding();
    let mut new = binding();
    new["roleRef"]["name"] = json!("admin");
    assert_eq!(
        update("rbac.authorization.k8s.io", "RoleBinding", &new, &old),
        ["roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"Role\", Name:\"admin\"}: cannot change roleRef"]
    );
}

#[test]
fn cluster_role_bindings_need_service_account_namespaces() {
    let crb = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": cluster_meta("admins"),
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "cluster-admin"},
        "subjects": [{"kind": "ServiceAccount", "name": "ops"}]});
    assert_eq!(
        create("rbac.authorization.k8s.io", "ClusterRoleBinding", &crb),
        ["subjects[0].namespace: Required value"]
    );
}

pub(super) fn ingress() -> Value {
    json!({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": meta("web"),
        "spec": {"ingressClassName": "nginx", "rules": [{"host": "example.com", "http": {"paths": [
            {"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "web", "port": {"number": 80}}}}
        ]}}], "tls": [{"hosts": ["example.com"], "secretName": "web-tls"}]}})
}

#[test]
fn a_realistic_ingress_is_valid() {
    assert_eq!(create("networking.k8s.io", "Ingress", &ingress()), Vec::<String>::new());
}

#[test]
fn ingress_paths_and_backends_follow_upstream() {
    let mut i = ingress();
    i["spec"]["rules"][0]["host"] = json!("10.0.0.1");
    i["spec"]["rules"][0]["http"]["paths"] = json!([
        {"path": "api", "pathType": "Exact", "backend": {"service": {"name": "web", "port": {"number": 80, "name": "http"}}}},
        {"path": "/x", "pathType": "Regex", "backend": {}},
        {"path": "/y", "backend": {"service": {"name": "web", "port": {"number": 80}}}}
    ]);
    let l = create("networking.k8s.io", "Ingress", &i);
    has(&l, "spec.rules[0].host: Invalid value: \"10.0.0.1\": must be a DNS name, not an IP address");
    has(&l, "spec.rules[0].http.paths[0].path: Invalid value: \"api\": must be an absolute path");
    has(&l, "spec.rules[0].http.paths[0].backend: Invalid value: \"\": cannot set both port name & port number");
    has(&l, "spec.rules[0].http.paths[1].pathType: Unsupported value: \"Regex\": supported values: \"Exact\", \"ImplementationSpecific\", \"Prefix\"");
    has(&l, "spec.rules[0].http.paths[1].backend: Invalid value: \"\": resource or service backend is required");
    has(&l, "spec.rules[0].http.paths[2].pathType: Required value: pathType must be specified");
    let empty = json!({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": meta("e"), "spec": {}});
    assert_eq!(
        create("networking.k8s.io", "Ingress", &empty),
        ["spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified"]
    );
}

#[test]
fn ingress_classes_keep_their_controller() {
    let ic = json!({"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass", "metadata": cluster_meta("nginx"),
        "spec": {"controller": "k8s.io/ingress-nginx"}});
    assert_eq!(create("networking.k8s.io", "IngressClass", &ic), Vec::<String>::new());
    let mut changed = ic.clone();
    changed["spec"]["controller"] = json!("example.com/other");
    assert_eq!(
        update("networking.k8s.io", "IngressClass", &changed, &ic),
        ["spec.controller: Forbidden: may not change once set"]
    );
    let mut bad = ic.clone();
    bad["spec"]["controller"] = json!("nginx");
    assert_eq!(
        create("networking.k8s.io", "IngressClass", &bad),
        ["spec.controller: Invalid value: \"nginx\": must be a domain-prefixed path (such as \"acme.io/foo\")"]
    );
}

#[test]
fn network_policies_check_ports_and_peers() {
    let np = json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": meta("deny"),
        "spec": {"podSelector": {"matchLabels": {"app": "db"}}, "policyTypes": ["Ingress"],
                 "ingress": [{"from": [{"ipBlock": {"cidr": "10.0.0.0/16", "except": ["10.0.1.0/24"]}}], "ports": [{"protocol": "TCP", "port": 5432}]}]}});
    assert_eq!(create("networking.k8s.io", "NetworkPolicy", &np), Vec::<String>::new());
    let mut bad = np.clone();
    bad["spec"]["ingress"] = json!([{"from": [{}, {"ipBlock": {"cidr": "10.0.0.0/16", "except": ["192.168.0.0/24"]}}],
                                    "ports": [{"port": 80, "endPort": 70}]}]);
    bad["spec"]["policyTypes"] = json!(["Sideways"]);
    let l = create("networking.k8s.io", "NetworkPolicy", &bad);
    has(&l, "spec.ingress[0].from[0]: Required value: must specify a peer");
    has(&l, "spec.ingress[0].from[1].ipBlock.except[0]: Invalid value: \"192.168.0.0/24\": must be a strict subset of `cidr`");
    has(&l, "spec.ingress[0].ports[0].endPort: Invalid value: 80: must be greater than or equal to `port`");
    has(&l, "spec.policyTypes[0]: Unsupported value: \"Sideways\": supported values: \"Ingress\", \"Egress\"");
}

pub(super) fn slice() -> Value {
    json!({"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "metadata": meta("web-abc"), "addressType": "IPv4",
        "endpoints": [{"addresses": ["10.0.0.5"], "conditions": {"ready": true}, "nodeName": "n1"}],
        "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}]})
}

#[test]
fn endpoint_slices_check_addresses_by_type() {
    assert_eq!(create("discovery.k8s.io", "EndpointSlice", &slice()), Vec::<String>::new());
    let mut bad = slice();
    bad["endpoints"] = json!([{"addresses": ["fe80::1"]}, {"addresses": []}]);
    let l = create("discovery.k8s.io", "EndpointSlice", &bad);
    has(&l, "endpoints[0].addresses[0]: Invalid value: \"fe80::1\": must be a valid IPv4 address");
    has(&l, "endpoints[1].addresses: Required value: must contain at least 1 address");
    let mut changed = slice();
    changed["addressType"] = json!("IPv6");
    changed["endpoints"] = json!([{"addresses": ["2001:db8::1"]}]);
    assert_eq!(
        update("discovery.k8s.io", "EndpointSlice", &changed, &slice()),
        ["addressType: Invalid value: \"IPv6\": field is immutable"]
    );
}

#[test]
fn csi_drivers_need_their_defaulted_fields() {
    let d = json!({"apiVersion": "storage.k8s.io/v1", "kind": "CSIDriver", "metadata": cluster_meta("ebs.csi.aws.com"),
        "spec": {"attachRequired": true, "podInfoOnMount": false, "storageCapacity": false, "fsGroupPolicy": "ReadWriteOnceWithFSType",
                 "requiresRepublish": false, "volumeLifecycleModes": ["Persistent"]}});
    assert_eq!(create("storage.k8s.io", "CSIDriver", &d), Vec::<String>::new());
    let mut changed = d.clone();
    changed["spec"]["attachRequired"] = json!(false);
    assert_eq!(
        update("storage.k8s.io", "CSIDriver", &changed, &d),
        ["spec.attachedRequired: Invalid value: false: field is immutable"]
    );
}

#[test]
fn volume_attachments_name_exactly_one_source() {
    let va = json!({"apiVersion": "storage.k8s.io/v1", "kind": "VolumeAttachment", "metadata": cluster_meta("va1"),
        "spec": {"attacher": "ebs.csi.aws.com", "nodeName": "n1", "source": {}}});
    assert_eq!(
        create("storage.k8s.io", "VolumeAttachment", &va),
        ["spec.source: Required value: must specify exactly one of inlineVolumeSpec and persistentVolumeName"]
    );
}

#[test]
fn certificate_signing_requests_need_a_pem_request_and_usages() {
    let csr = json!({"apiVersion": "certificates.k8s.io/v1", "kind": "CertificateSigningRequest", "metadata": cluster_meta("jane"),
        "spec": {"request": "bm90IGEgY3Ny", "signerName": "example", "usages": ["client auth", "client auth", "flying"]}});
    let l = create("certificates.k8s.io", "CertificateSigningRequest", &csr);
    assert!(
        l.iter().any(|x| x.starts_with("spec.request: Invalid value: []byte{0x6e, ")
            && x.ends_with(": PEM block type must be CERTIFICATE REQUEST")),
        "{l:?}"
    );
    has(&l, "spec.usages[1]: Duplicate value: \"client auth\"");
    has(&l, "spec.signerName: Invalid value: \"example\": must be a fully qualified domain and path of the form 'example.com/signer-name'");
    assert!(l.iter().any(|x| x.starts_with("spec.usages[2]: Unsupported value: \"flying\"")));
}

#[test]
fn webhook_configurations_check_their_webhooks() {
    let vwc = json!({"apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingWebhookConfiguration", "metadata": cluster_meta("policy"),
        "webhooks": [{"name": "check.example.com", "sideEffects": "None", "admissionReviewVersions": ["v1"],
                      "failurePolicy": "Fail", "matchPolicy": "Equivalent", "timeoutSeconds": 10,
                      "clientConfig": {"service": {"name": "hook", "namespace": "default", "port": 443}},
                      "rules": [{"operations": ["CREATE"], "apiGroups": [""], "apiVersions": ["v1"], "resources": ["pods"], "scope": "*"}]}]});
    assert_eq!(create("admissionregistration.k8s.io", "ValidatingWebhookConfiguration", &vwc), Vec::<String>::new());
    let mut bad = vwc.clone();
    bad["webhooks"][0]["name"] = json!("check");
    super::tests_pod::remove(&mut bad["webhooks"][0], "sideEffects");
    bad["webhooks"][0]["timeoutSeconds"] = json!(31);
    bad["webhooks"][0]["clientConfig"] = json!({});
    let l = create("admissionregistration.k8s.io", "ValidatingWebhookConfiguration", &bad);
    has(
        &l,
        "webhooks[0].name: Invalid value: \"check\": should be a domain with at least three segments separated by dots",
    );
    has(&l, "webhooks[0].sideEffects: Required value: must specify one of None, NoneOnDryRun");
    has(&l, "webhooks[0].timeoutSeconds: Invalid value: 31: the timeout value must be between 1 and 30 seconds");
    has(&l, "webhooks[0].clientConfig: Required value: exactly one of url or service is required");
}

#[test]
fn controller_revisions_keep_their_data() {
    let cr = json!({"apiVersion": "apps/v1", "kind": "ControllerRevision", "metadata": meta("web-1"), "revision": 1, "data": {"spec": {}}});
    assert_eq!(lines(&validate_create("apps", "v1", "ControllerRevision", &cr)), Vec::<String>::new());
    let mut changed = cr.clone();
    changed["data"] = json!({"spec": {"x": 1}});
    assert_eq!(
        lines(&validate_update("apps", "v1", "ControllerRevision", &changed, &cr)),
        ["data: Invalid value: {\"spec\":{\"x\":1}}: field is immutable"]
    );
}

#[test]
fn unknown_kinds_are_not_validated() {
    assert!(validate_create("example.com", "v1", "Widget", &json!({"spec": 5})).is_empty());
}
