//! The registry of built-in resources: names, scope, verbs, discovery metadata and etcd layout.
//!
//! One static table describes every resource the server serves; discovery, routing,
//! storage keys and printing all read from it, so adding a resource is one entry here
//! plus its strategy in the apiserver.

/// Verbs a resource or subresource answers to, as discovery lists them.
pub const ALL_VERBS: &[&str] = &["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
const NAMESPACE_VERBS: &[&str] = &["create", "delete", "get", "list", "patch", "update", "watch"];
const GET_PATCH_UPDATE: &[&str] = &["get", "patch", "update"];
const CREATE_ONLY: &[&str] = &["create"];
const GET_ONLY: &[&str] = &["get"];
const PROXY_VERBS: &[&str] = &["create", "delete", "get", "patch", "update"];
const CONNECT_VERBS: &[&str] = &["create", "get"];

/// A subresource such as `status` or `scale`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Subresource {
    pub name: &'static str,
    /// The kind it answers with (`Scale` for scale, the parent kind for status).
    pub group: &'static str,
    pub version: &'static str,
    pub kind: &'static str,
    pub verbs: &'static [&'static str],
}

/// How the server treats an object in storage: which version it is stored at, and
/// whether another served version shares the same etcd keys (HPA v1/v2, events).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResourceInfo {
    pub group: &'static str,
    pub version: &'static str,
    pub kind: &'static str,
    pub plural: &'static str,
    pub singular: &'static str,
    pub namespaced: bool,
    pub short_names: &'static [&'static str],
    pub categories: &'static [&'static str],
    pub verbs: &'static [&'static str],
    pub subresources: &'static [Subresource],
    /// Key prefix under `--etcd-prefix`, without slashes: `pods`, `services/specs`, `minions`.
    pub etcd_prefix: &'static str,
    /// The group/version objects are stored as (differs from `version` for HPA v1, events.k8s.io).
    pub storage_group: &'static str,
    pub storage_version: &'static str,
    /// The kind objects are stored as (differs only where two groups share storage).
    pub storage_kind: &'static str,
}

impl ResourceInfo {
    /// `v1` or `apps/v1`.
    pub fn api_version(&self) -> String {
        api_version(self.group, self.version)
    }

    pub fn list_kind(&self) -> String {
        format!("{}List", self.kind)
    }

    /// `pods` or `deployments.apps`, as upstream names a group resource in messages.
    pub fn group_resource(&self) -> String {
        if self.group.is_empty() {
            self.plural.to_string()
        } else {
            format!("{}.{}", self.plural, self.group)
        }
    }

    pub fn supports(&self, verb: &str) -> bool {
        self.verbs.contains(&verb)
    }

    pub fn subresource(&self, name: &str) -> Option<&'static Subresource> {
        self.subresources.iter().find(|s| s.name == name)
    }

    /// Whether objects of this resource are stored in another group/version's shape.
    pub fn needs_conversion(&self) -> bool {
        self.group != self.storage_group || self.version != self.storage_version
    }
}

pub fn api_version(group: &str, version: &str) -> String {
    if group.is_empty() {
        version.to_string()
    } else {
        format!("{group}/{version}")
    }
}

/// Splits `apps/v1` into (`apps`, `v1`) and `v1` into (``, `v1`).
pub fn split_api_version(api_version: &str) -> (&str, &str) {
    match api_version.split_once('/') {
        Some((g, v)) => (g, v),
        None => ("", api_version),
    }
}

macro_rules! sub {
    ($name:expr, $group:expr, $version:expr, $kind:expr, $verbs:expr) => {
        Subresource { name: $name, group: $group, version: $version, kind: $kind, verbs: $verbs }
    };
}

macro_rules! status {
    ($group:expr, $version:expr, $kind:expr) => {
        sub!("status", $group, $version, $kind, GET_PATCH_UPDATE)
    };
}

macro_rules! scale {
    () => {
        sub!("scale", "autoscaling", "v1", "Scale", GET_PATCH_UPDATE)
    };
}

/// Builds a table entry stored at its own group/version.
macro_rules! res {
    ($group:expr, $version:expr, $kind:expr, $plural:expr, $namespaced:expr, $short:expr, $cats:expr, $verbs:expr, $subs:expr, $prefix:expr) => {
        ResourceInfo {
            group: $group,
            version: $version,
            kind: $kind,
            plural: $plural,
            singular: const_lower($kind),
            namespaced: $namespaced,
            short_names: $short,
            categories: $cats,
            verbs: $verbs,
            subresources: $subs,
            etcd_prefix: $prefix,
            storage_group: $group,
            storage_version: $version,
            storage_kind: $kind,
        }
    };
}

/// Singular names are the lower-cased kind for every built-in resource; the table spells
/// them out through this lookup so the entries stay one line each.
const fn const_lower(kind: &'static str) -> &'static str {
    // Every kind's lower-case form, spelled once.
    match kind.as_bytes() {
        b"Namespace" => "namespace",
        b"Node" => "node",
        b"Pod" => "pod",
        b"Service" => "service",
        b"Endpoints" => "endpoints",
        b"ConfigMap" => "configmap",
        b"Secret" => "secret",
        b"ServiceAccount" => "serviceaccount",
        b"PersistentVolume" => "persistentvolume",
        b"PersistentVolumeClaim" => "persistentvolumeclaim",
        b"Event" => "event",
        b"LimitRange" => "limitrange",
        b"ResourceQuota" => "resourcequota",
        b"ReplicationController" => "replicationcontroller",
        b"PodTemplate" => "podtemplate",
        b"Binding" => "binding",
        b"ComponentStatus" => "componentstatus",
        b"Deployment" => "deployment",
        b"ReplicaSet" => "replicaset",
        b"StatefulSet" => "statefulset",
        b"DaemonSet" => "daemonset",
        b"ControllerRevision" => "controllerrevision",
        b"Job" => "job",
        b"CronJob" => "cronjob",
        b"HorizontalPodAutoscaler" => "horizontalpodautoscaler",
        b"PodDisruptionBudget" => "poddisruptionbudget",
        b"Ingress" => "ingress",
        b"IngressClass" => "ingressclass",
        b"NetworkPolicy" => "networkpolicy",
        b"EndpointSlice" => "endpointslice",
        b"Lease" => "lease",
        b"Role" => "role",
        b"RoleBinding" => "rolebinding",
        b"ClusterRole" => "clusterrole",
        b"ClusterRoleBinding" => "clusterrolebinding",
        b"StorageClass" => "storageclass",
        b"CSIDriver" => "csidriver",
        b"CSINode" => "csinode",
        b"VolumeAttachment" => "volumeattachment",
        b"PriorityClass" => "priorityclass",
        b"CertificateSigningRequest" => "certificatesigningrequest",
        b"ValidatingWebhookConfiguration" => "validatingwebhookconfiguration",
        b"MutatingWebhookConfiguration" => "mutatingwebhookconfiguration",
        _ => "",
    }
}

const ALL: &[&str] = &["all"];
const NONE: &[&str] = &[];

const POD_SUBRESOURCES: &[Subresource] = &[
    sub!("attach", "", "v1", "PodAttachOptions", CONNECT_VERBS),
    sub!("binding", "", "v1", "Binding", CREATE_ONLY),
    sub!("ephemeralcontainers", "", "v1", "Pod", GET_PATCH_UPDATE),
    sub!("eviction", "policy", "v1", "Eviction", CREATE_ONLY),
    sub!("exec", "", "v1", "PodExecOptions", CONNECT_VERBS),
    sub!("log", "", "v1", "Pod", GET_ONLY),
    sub!("portforward", "", "v1", "PodPortForwardOptions", CONNECT_VERBS),
    sub!("proxy", "", "v1", "PodProxyOptions", PROXY_VERBS),
    sub!("resize", "", "v1", "Pod", GET_PATCH_UPDATE),
    status!("", "v1", "Pod"),
];

/// Every resource the server serves, in discovery order within each group version.
pub static RESOURCES: &[ResourceInfo] = &[
    // core/v1
    res!("", "v1", "Binding", "bindings", true, NONE, NONE, CREATE_ONLY, &[], "bindings"),
    res!("", "v1", "ConfigMap", "configmaps", true, &["cm"], NONE, ALL_VERBS, &[], "configmaps"),
    res!("", "v1", "Endpoints", "endpoints", true, &["ep"], NONE, ALL_VERBS, &[], "services/endpoints"),
    res!("", "v1", "Event", "events", true, &["ev"], NONE, ALL_VERBS, &[], "events"),
    res!("", "v1", "LimitRange", "limitranges", true, &["limits"], NONE, ALL_VERBS, &[], "limitranges"),
    res!(
        "",
        "v1",
        "Namespace",
        "namespaces",
        false,
        &["ns"],
        NONE,
        NAMESPACE_VERBS,
        &[sub!("finalize", "", "v1", "Namespace", &["update"]), status!("", "v1", "Namespace")],
        "namespaces"
    ),
    res!(
        "",
        "v1",
        "Node",
        "nodes",
        false,
        &["no"],
        NONE,
        ALL_VERBS,
        &[sub!("proxy", "", "v1", "NodeProxyOptions", PROXY_VERBS), status!("", "v1", "Node")],
        "minions"
    ),
    res!(
        "",
        "v1",
        "PersistentVolumeClaim",
        "persistentvolumeclaims",
        true,
        &["pvc"],
        NONE,
        ALL_VERBS,
        &[status!("", "v1", "PersistentVolumeClaim")],
        "persistentvolumeclaims"
    ),
    res!(
        "",
        "v1",
        "PersistentVolume",
        "persistentvolumes",
        false,
        &["pv"],
        NONE,
        ALL_VERBS,
        &[status!("", "v1", "PersistentVolume")],
        "persistentvolumes"
    ),
    res!("", "v1", "Pod", "pods", true, &["po"], ALL, ALL_VERBS, POD_SUBRESOURCES, "pods"),
    res!("", "v1", "PodTemplate", "podtemplates", true, NONE, NONE, ALL_VERBS, &[], "podtemplates"),
    res!(
        "",
        "v1",
        "ReplicationController",
        "replicationcontrollers",
        true,
        &["rc"],
        ALL,
        ALL_VERBS,
        &[scale!(), status!("", "v1", "ReplicationController")],
        "controllers"
    ),
    res!(
        "",
        "v1",
        "ResourceQuota",
        "resourcequotas",
        true,
        &["quota"],
        NONE,
        ALL_VERBS,
        &[status!("", "v1", "ResourceQuota")],
        "resourcequotas"
    ),
    res!("", "v1", "Secret", "secrets", true, NONE, NONE, ALL_VERBS, &[], "secrets"),
    res!(
        "",
        "v1",
        "ServiceAccount",
        "serviceaccounts",
        true,
        &["sa"],
        NONE,
        ALL_VERBS,
        &[sub!("token", "authentication.k8s.io", "v1", "TokenRequest", CREATE_ONLY)],
        "serviceaccounts"
    ),
    res!(
        "",
        "v1",
        "Service",
        "services",
        true,
        &["svc"],
        ALL,
        ALL_VERBS,
        &[sub!("proxy", "", "v1", "ServiceProxyOptions", PROXY_VERBS), status!("", "v1", "Service")],
        "services/specs"
    ),
    // apps/v1
    res!(
        "apps",
        "v1",
        "ControllerRevision",
        "controllerrevisions",
        true,
        NONE,
        NONE,
        ALL_VERBS,
        &[],
        "controllerrevisions"
    ),
    res!(
        "apps",
        "v1",
        "DaemonSet",
        "daemonsets",
        true,
        &["ds"],
        ALL,
        ALL_VERBS,
        &[status!("apps", "v1", "DaemonSet")],
        "daemonsets"
    ),
    res!(
        "apps",
        "v1",
        "Deployment",
        "deployments",
        true,
        &["deploy"],
        ALL,
        ALL_VERBS,
        &[scale!(), status!("apps", "v1", "Deployment")],
        "deployments"
    ),
    res!(
        "apps",
        "v1",
        "ReplicaSet",
        "replicasets",
        true,
        &["rs"],
        ALL,
        ALL_VERBS,
        &[scale!(), status!("apps", "v1", "ReplicaSet")],
        "replicasets"
    ),
    res!(
        "apps",
        "v1",
        "StatefulSet",
        "statefulsets",
        true,
        &["sts"],
        ALL,
        ALL_VERBS,
        &[scale!(), status!("apps", "v1", "StatefulSet")],
        "statefulsets"
    ),
    // autoscaling: v2 is the storage version, v1 is served by conversion.
    res!(
        "autoscaling",
        "v2",
        "HorizontalPodAutoscaler",
        "horizontalpodautoscalers",
        true,
        &["hpa"],
        ALL,
        ALL_VERBS,
        &[status!("autoscaling", "v2", "HorizontalPodAutoscaler")],
        "horizontalpodautoscalers"
    ),
    ResourceInfo {
        version: "v1",
        subresources: &[status!("autoscaling", "v1", "HorizontalPodAutoscaler")],
        storage_version: "v2",
        ..res!(
            "autoscaling",
            "v1",
            "HorizontalPodAutoscaler",
            "horizontalpodautoscalers",
            true,
            &["hpa"],
            ALL,
            ALL_VERBS,
            &[],
            "horizontalpodautoscalers"
        )
    },
    // batch/v1
    res!(
        "batch",
        "v1",
        "CronJob",
        "cronjobs",
        true,
        &["cj"],
        ALL,
        ALL_VERBS,
        &[status!("batch", "v1", "CronJob")],
        "cronjobs"
    ),
    res!("batch", "v1", "Job", "jobs", true, NONE, ALL, ALL_VERBS, &[status!("batch", "v1", "Job")], "jobs"),
    // policy/v1
    res!(
        "policy",
        "v1",
        "PodDisruptionBudget",
        "poddisruptionbudgets",
        true,
        &["pdb"],
        NONE,
        ALL_VERBS,
        &[status!("policy", "v1", "PodDisruptionBudget")],
        "poddisruptionbudgets"
    ),
    // networking.k8s.io/v1
    res!(
        "networking.k8s.io",
        "v1",
        "IngressClass",
        "ingressclasses",
        false,
        NONE,
        NONE,
        ALL_VERBS,
        &[],
        "ingressclasses"
    ),
    res!(
        "networking.k8s.io",
        "v1",
        "Ingress",
        "ingresses",
        true,
        &["ing"],
        NONE,
        ALL_VERBS,
        &[status!("networking.k8s.io", "v1", "Ingress")],
        "ingress"
    ),
    res!(
        "networking.k8s.io",
        "v1",
        "NetworkPolicy",
        "networkpolicies",
        true,
        &["netpol"],
        NONE,
        ALL_VERBS,
        &[],
        "networkpolicies"
    ),
    // discovery.k8s.io/v1
    res!(
        "discovery.k8s.io",
        "v1",
        "EndpointSlice",
        "endpointslices",
        true,
        NONE,
        NONE,
        ALL_VERBS,
        &[],
        "endpointslices"
    ),
    // coordination.k8s.io/v1
    res!("coordination.k8s.io", "v1", "Lease", "leases", true, NONE, NONE, ALL_VERBS, &[], "leases"),
    // events.k8s.io/v1 shares storage with core/v1 events.
    ResourceInfo {
        storage_group: "",
        storage_version: "v1",
        ..res!("events.k8s.io", "v1", "Event", "events", true, &["ev"], NONE, ALL_VERBS, &[], "events")
    },
    // rbac.authorization.k8s.io/v1
    res!(
        "rbac.authorization.k8s.io",
        "v1",
        "ClusterRoleBinding",
        "clusterrolebindings",
        false,
        NONE,
        NONE,
        ALL_VERBS,
        &[],
        "clusterrolebindings"
    ),
    res!(
        "rbac.authorization.k8s.io",
        "v1",
        "ClusterRole",
        "clusterroles",
        false,
        NONE,
        NONE,
        ALL_VERBS,
        &[],
        "clusterroles"
    ),
    res!(
        "rbac.authorization.k8s.io",
        "v1",
        "RoleBinding",
        "rolebindings",
        true,
        NONE,
        NONE,
        ALL_VERBS,
        &[],
        "rolebindings"
    ),
    res!("rbac.authorization.k8s.io", "v1", "Role", "roles", true, NONE, NONE, ALL_VERBS, &[], "roles"),
    // storage.k8s.io/v1
    res!("storage.k8s.io", "v1", "CSIDriver", "csidrivers", false, NONE, NONE, ALL_VERBS, &[], "csidrivers"),
    res!("storage.k8s.io", "v1", "CSINode", "csinodes", false, NONE, NONE, ALL_VERBS, &[], "csinodes"),
    res!(
        "storage.k8s.io",
        "v1",
        "StorageClass",
        "storageclasses",
        false,
        &["sc"],
        NONE,
        ALL_VERBS,
        &[],
        "storageclasses"
    ),
    res!(
        "storage.k8s.io",
        "v1",
        "VolumeAttachment",
        "volumeattachments",
        false,
        NONE,
        NONE,
        ALL_VERBS,
        &[status!("storage.k8s.io", "v1", "VolumeAttachment")],
        "volumeattachments"
    ),
    // scheduling.k8s.io/v1
    res!(
        "scheduling.k8s.io",
        "v1",
        "PriorityClass",
        "priorityclasses",
        false,
        &["pc"],
        NONE,
        ALL_VERBS,
        &[],
        "priorityclasses"
    ),
    // certificates.k8s.io/v1
    res!(
        "certificates.k8s.io",
        "v1",
        "CertificateSigningRequest",
        "certificatesigningrequests",
        false,
        &["csr"],
        NONE,
        ALL_VERBS,
        &[
            sub!("approval", "certificates.k8s.io", "v1", "CertificateSigningRequest", GET_PATCH_UPDATE),
            status!("certificates.k8s.io", "v1", "CertificateSigningRequest")
        ],
        "certificatesigningrequests"
    ),
    // admissionregistration.k8s.io/v1 (stored only: no webhooks are called yet)
    res!(
        "admissionregistration.k8s.io",
        "v1",
        "MutatingWebhookConfiguration",
        "mutatingwebhookconfigurations",
        false,
        NONE,
        NONE,
        ALL_VERBS,
        &[],
        "mutatingwebhookconfigurations"
    ),
    res!(
        "admissionregistration.k8s.io",
        "v1",
        "ValidatingWebhookConfiguration",
        "validatingwebhookconfigurations",
        false,
        NONE,
        NONE,
        ALL_VERBS,
        &[],
        "validatingwebhookconfigurations"
    ),
];

/// API groups in the order discovery lists them, each with its versions (preferred first).
pub static GROUPS: &[(&str, &[&str])] = &[
    ("", &["v1"]),
    ("apps", &["v1"]),
    ("events.k8s.io", &["v1"]),
    ("autoscaling", &["v2", "v1"]),
    ("batch", &["v1"]),
    ("certificates.k8s.io", &["v1"]),
    ("networking.k8s.io", &["v1"]),
    ("policy", &["v1"]),
    ("rbac.authorization.k8s.io", &["v1"]),
    ("storage.k8s.io", &["v1"]),
    ("admissionregistration.k8s.io", &["v1"]),
    ("scheduling.k8s.io", &["v1"]),
    ("coordination.k8s.io", &["v1"]),
    ("discovery.k8s.io", &["v1"]),
];

/// Finds a resource by group, version and plural name.
pub fn lookup(group: &str, version: &str, plural: &str) -> Option<&'static ResourceInfo> {
    RESOURCES.iter().find(|r| r.group == group && r.version == version && r.plural == plural)
}

/// Finds the resource serving a kind at a group/version.
pub fn lookup_kind(group: &str, version: &str, kind: &str) -> Option<&'static ResourceInfo> {
    RESOURCES.iter().find(|r| r.group == group && r.version == version && r.kind == kind)
}

/// All resources served at one group/version, in table order.
pub fn resources_in<'a>(group: &'a str, version: &'a str) -> impl Iterator<Item = &'static ResourceInfo> + 'a {
    RESOURCES.iter().filter(move |r| r.group == group && r.version == version)
}

/// Whether a group/version is served at all.
pub fn serves_version(group: &str, version: &str) -> bool {
    GROUPS.iter().any(|(g, vs)| *g == group && vs.contains(&version))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_singular_name() {
        for r in RESOURCES {
            assert!(!r.singular.is_empty(), "{} has no singular name", r.kind);
        }
    }

    #[test]
    fn every_resource_belongs_to_a_served_group_version() {
        for r in RESOURCES {
            assert!(serves_version(r.group, r.version), "{}/{} is not listed in GROUPS", r.group, r.version);
        }
    }

    #[test]
    fn shared_storage_is_declared_on_the_non_storage_version() {
        let v1 = lookup("autoscaling", "v1", "horizontalpodautoscalers").expect("hpa v1");
        assert!(v1.needs_conversion());
        assert_eq!(v1.storage_version, "v2");
        let ev = lookup("events.k8s.io", "v1", "events").expect("events.k8s.io");
        assert!(ev.needs_conversion());
        assert_eq!(ev.etcd_prefix, "events");
        assert!(!lookup("", "v1", "pods").expect("pods").needs_conversion());
    }

    #[test]
    fn lookups_find_by_plural_and_kind() {
        assert_eq!(lookup("apps", "v1", "deployments").map(|r| r.kind), Some("Deployment"));
        assert_eq!(lookup_kind("", "v1", "Service").map(|r| r.etcd_prefix), Some("services/specs"));
        assert!(lookup("apps", "v1", "pods").is_none());
    }
}
