//! Per-kind validation rules, as upstream Kubernetes 1.33's registry strategies apply them:
//! every cause carries upstream's field path and message (`spec.template.spec.containers[0].image:
//! Required value`), so the 422 `Invalid` the server builds reads as kubectl expects.
//!
//! The functions take the object in its storage version (autoscaling/v2 for HPAs, core/v1
//! for Events) after defaulting and after the server has set system fields. Objects are
//! loosely typed JSON: a value of the wrong JSON type anywhere becomes a cause
//! (`FieldValueTypeInvalid`), never a panic.
//!
//! Order of checks follows upstream: on create, the kind's own rules (its `ValidateObjectMeta`
//! with the kind's name rule, then its spec), and only when those pass, the generic metadata
//! checks every resource gets; on update, the generic metadata checks (identity fields
//! immutable, labels/annotations/owners/finalizers well formed) and then the kind's update
//! rules; status updates likewise with the kind's status rules. Identical causes are reported
//! once (upstream's message is deduplicated the same way).
//!
//! What is covered per kind is listed in `docs/validation-and-defaults.md`.

mod access;
mod batch;
mod containers;
mod core;
mod meta;
mod net;
mod networking;
mod other;
mod pod;
mod pv;
mod rbac;
mod resources;
mod scheduling;
mod security;
mod service;
mod storage;
mod volumes;
mod workloads;

#[cfg(test)]
mod tests_apps;
#[cfg(test)]
mod tests_core;
#[cfg(test)]
mod tests_garbage;
#[cfg(test)]
mod tests_other;
#[cfg(test)]
mod tests_pod;

use serde_json::Value;

use self::access::Errs;
use self::meta::{validate_object_meta, validate_object_meta_update, MetaRules};
use crate::status::Cause;
use crate::validation::names::NameRule;

type Create = fn(&mut Errs, &Value);
type Update = fn(&mut Errs, &Value, &Value);

/// How one kind is validated.
struct KindDef {
    group: &'static str,
    kind: &'static str,
    /// The kind's own name rule; `None` when only the generic metadata checks apply.
    name: Option<NameRule>,
    /// Validated through `k8s.io/kubernetes`'s ObjectMeta wrapper (unqualified finalizers refused).
    kube_finalizers: bool,
    create: Create,
    update: Update,
    status: Option<Update>,
}

const SUB: Option<NameRule> = Some(NameRule::Dns1123Subdomain);

const fn def(
    group: &'static str,
    kind: &'static str,
    name: Option<NameRule>,
    create: Create,
    update: Update,
    status: Option<Update>,
) -> KindDef {
    KindDef { group, kind, name, kube_finalizers: true, create, update, status }
}

fn pod_create(e: &mut Errs, obj: &Value) {
    pod::validate_pod_create(e, obj);
}

fn pod_update(e: &mut Errs, new: &Value, old: &Value) {
    pod::validate_pod_update(e, new, old);
}

fn pod_template(e: &mut Errs, obj: &Value) {
    pod::validate_pod_template_kind(e, obj);
}

fn pod_template_update(e: &mut Errs, new: &Value, _old: &Value) {
    pod::validate_pod_template_kind(e, new);
}

fn service_create(e: &mut Errs, obj: &Value) {
    service::validate_service(e, obj);
}

/// Events are validated in their core/v1 storage shape; an events.k8s.io-shaped object
/// (`regarding`, `note`) gets the metadata checks only.
fn events_create(e: &mut Errs, obj: &Value) {
    if obj.get("regarding").is_none() {
        core::event_create(e, obj);
    }
}

fn events_update(e: &mut Errs, new: &Value, old: &Value) {
    if new.get("regarding").is_none() {
        core::event_update(e, new, old);
    }
}

fn namespace_finalize_or_update(e: &mut Errs, new: &Value, old: &Value) {
    core::namespace_update(e, new, old);
}

static KINDS: &[KindDef] = &[
    def("", "Pod", SUB, pod_create, pod_update, Some(pod::validate_pod_status_update)),
    def("", "PodTemplate", SUB, pod_template, pod_template_update, None),
    def("", "ReplicationController", SUB, workloads::rc_create, workloads::rc_update, Some(workloads::rc_status)),
    def(
        "",
        "Service",
        Some(NameRule::Dns1035Label),
        service_create,
        service::validate_service_update,
        Some(service::validate_service_status),
    ),
    def("", "Node", SUB, core::node_create, core::node_update, Some(core::node_update)),
    def(
        "",
        "Namespace",
        Some(NameRule::Dns1123Label),
        core::namespace_create,
        namespace_finalize_or_update,
        Some(core::namespace_status),
    ),
    def("", "ConfigMap", SUB, core::config_map_create, core::config_map_update, None),
    def("", "Secret", SUB, core::secret_create, core::secret_update, None),
    def("", "ServiceAccount", SUB, core::service_account_create, core::service_account_update, None),
    def("", "Endpoints", SUB, core::endpoints_create, core::endpoints_update, None),
    def("", "LimitRange", SUB, core::limit_range_create, core::limit_range_update, None),
    def(
        "",
        "ResourceQuota",
        SUB,
        core::resource_quota_create,
        core::resource_quota_update,
        Some(core::resource_quota_status),
    ),
    def("", "PersistentVolume", SUB, pv::pv_create, pv::pv_update, Some(pv::pv_status)),
    def("", "PersistentVolumeClaim", SUB, pv::pvc_create, pv::pvc_update, Some(pv::pvc_status)),
    KindDef { kube_finalizers: false, ..def("", "Event", None, core::event_create, core::event_update, None) },
    KindDef { kube_finalizers: false, ..def("events.k8s.io", "Event", None, events_create, events_update, None) },
    def("", "Binding", None, core::binding_create, other::nothing_update, None),
    def(
        "apps",
        "Deployment",
        SUB,
        workloads::deployment_create,
        workloads::deployment_update,
        Some(workloads::deployment_status),
    ),
    def(
        "apps",
        "ReplicaSet",
        SUB,
        workloads::replica_set_create,
        workloads::replica_set_update,
        Some(workloads::replica_set_status),
    ),
    def(
        "apps",
        "StatefulSet",
        SUB,
        workloads::stateful_set_create,
        workloads::stateful_set_update,
        Some(workloads::stateful_set_status),
    ),
    def(
        "apps",
        "DaemonSet",
        SUB,
        workloads::daemon_set_create,
        workloads::daemon_set_update,
        Some(workloads::daemon_set_status),
    ),
    def(
        "apps",
        "ControllerRevision",
        SUB,
        workloads::controller_revision_create,
        workloads::controller_revision_update,
        None,
    ),
    def("batch", "Job", SUB, batch::job_create, batch::job_update, Some(batch::job_status)),
    def("batch", "CronJob", SUB, batch::cron_job_create, batch::cron_job_update, Some(batch::cron_job_status)),
    def("autoscaling", "HorizontalPodAutoscaler", SUB, other::hpa_create, other::hpa_update, Some(other::hpa_status)),
    KindDef {
        kube_finalizers: false,
        ..def("policy", "PodDisruptionBudget", None, other::pdb_create, other::pdb_update, Some(other::pdb_status))
    },
    def(
        "networking.k8s.io",
        "Ingress",
        SUB,
        networking::ingress_create,
        networking::ingress_update,
        Some(networking::ingress_status),
    ),
    def(
        "networking.k8s.io",
        "IngressClass",
        SUB,
        networking::ingress_class_create,
        networking::ingress_class_update,
        None,
    ),
    def(
        "networking.k8s.io",
        "NetworkPolicy",
        SUB,
        networking::network_policy_create,
        networking::network_policy_update,
        None,
    ),
    def(
        "discovery.k8s.io",
        "EndpointSlice",
        SUB,
        networking::endpoint_slice_create,
        networking::endpoint_slice_update,
        None,
    ),
    KindDef {
        kube_finalizers: false,
        ..def("coordination.k8s.io", "Lease", SUB, other::lease_create, other::lease_update, None)
    },
    def("rbac.authorization.k8s.io", "Role", Some(NameRule::PathSegment), rbac::role_create, rbac::role_update, None),
    def(
        "rbac.authorization.k8s.io",
        "ClusterRole",
        Some(NameRule::PathSegment),
        rbac::cluster_role_create,
        rbac::cluster_role_update,
        None,
    ),
    def(
        "rbac.authorization.k8s.io",
        "RoleBinding",
        Some(NameRule::PathSegment),
        rbac::role_binding_create,
        rbac::role_binding_update,
        None,
    ),
    def(
        "rbac.authorization.k8s.io",
        "ClusterRoleBinding",
        Some(NameRule::PathSegment),
        rbac::cluster_role_binding_create,
        rbac::cluster_role_binding_update,
        None,
    ),
    def("storage.k8s.io", "StorageClass", SUB, storage::storage_class_create, storage::storage_class_update, None),
    def("storage.k8s.io", "CSIDriver", None, storage::csi_driver_create, storage::csi_driver_update, None),
    def("storage.k8s.io", "CSINode", SUB, storage::csi_node_create, storage::csi_node_update, None),
    def(
        "storage.k8s.io",
        "VolumeAttachment",
        SUB,
        storage::volume_attachment_create,
        storage::volume_attachment_update,
        None,
    ),
    def("scheduling.k8s.io", "PriorityClass", SUB, other::priority_class_create, other::priority_class_update, None),
    def(
        "certificates.k8s.io",
        "CertificateSigningRequest",
        SUB,
        other::csr_create,
        other::csr_update,
        Some(other::csr_status),
    ),
    KindDef {
        kube_finalizers: false,
        ..def(
            "admissionregistration.k8s.io",
            "ValidatingWebhookConfiguration",
            SUB,
            other::validating_webhooks_create,
            other::validating_webhooks_update,
            None,
        )
    },
    KindDef {
        kube_finalizers: false,
        ..def(
            "admissionregistration.k8s.io",
            "MutatingWebhookConfiguration",
            SUB,
            other::mutating_webhooks_create,
            other::mutating_webhooks_update,
            None,
        )
    },
];

fn find(group: &str, kind: &str) -> Option<&'static KindDef> {
    KINDS.iter().find(|d| d.group == group && d.kind == kind)
}

/// Whether objects of the kind live in a namespace (from the resource table; a kind the
/// table does not know at this version is looked up at any version).
fn namespaced(group: &str, version: &str, kind: &str) -> bool {
    if let Some(r) = crate::resource::lookup_kind(group, version, kind) {
        return r.namespaced;
    }
    crate::resource::RESOURCES.iter().find(|r| r.group == group && r.kind == kind).is_none_or(|r| r.namespaced)
}

/// Identical causes reported once, first occurrence kept.
fn dedupe(causes: Vec<Cause>) -> Vec<Cause> {
    let mut out: Vec<Cause> = Vec::with_capacity(causes.len());
    for c in causes {
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

/// Causes for a new object of `group/version/kind` (empty when valid).
pub fn validate_create(group: &str, version: &str, kind: &str, obj: &Value) -> Vec<Cause> {
    let Some(def) = find(group, kind) else { return Vec::new() };
    let mut e = Errs::new();
    if !obj.is_object() {
        e.wrong_type("", obj, "object");
        return e.list;
    }
    let ns = namespaced(group, version, kind);
    if let Some(rule) = def.name {
        validate_object_meta(
            &mut e,
            obj,
            MetaRules { name: rule, namespaced: ns, kube_finalizers: def.kube_finalizers },
        );
    }
    (def.create)(&mut e, obj);
    if e.is_empty() {
        // The generic registry checks metadata once the kind's own rules pass.
        validate_object_meta(
            &mut e,
            obj,
            MetaRules { name: NameRule::PathSegment, namespaced: ns, kube_finalizers: false },
        );
    }
    dedupe(e.list)
}

fn update_common(e: &mut Errs, def: &KindDef, version: &str, new: &Value, old: &Value) -> bool {
    if !new.is_object() {
        e.wrong_type("", new, "object");
        return false;
    }
    let ns = namespaced(def.group, version, def.kind);
    validate_object_meta(
        e,
        new,
        MetaRules { name: NameRule::PathSegment, namespaced: ns, kube_finalizers: def.kube_finalizers },
    );
    validate_object_meta_update(e, new, if old.is_object() { old } else { &access::NULL });
    true
}

/// Causes for replacing `old` with `new` through the main resource.
pub fn validate_update(group: &str, version: &str, kind: &str, new: &Value, old: &Value) -> Vec<Cause> {
    let Some(def) = find(group, kind) else { return Vec::new() };
    let mut e = Errs::new();
    if update_common(&mut e, def, version, new, old) {
        (def.update)(&mut e, new, if old.is_object() { old } else { &access::NULL });
    }
    dedupe(e.list)
}

/// Causes for replacing `old` with `new` through the status subresource.
pub fn validate_status_update(group: &str, version: &str, kind: &str, new: &Value, old: &Value) -> Vec<Cause> {
    let Some(def) = find(group, kind) else { return Vec::new() };
    let mut e = Errs::new();
    if update_common(&mut e, def, version, new, old) {
        if let Some(status) = def.status {
            status(&mut e, new, if old.is_object() { old } else { &access::NULL });
        }
    }
    dedupe(e.list)
}
