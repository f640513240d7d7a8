//! Server-side printing: the `meta.k8s.io/v1` Table columns and cells `kubectl get` shows.
//!
//! Columns and cells follow upstream's printers for Kubernetes 1.33. Cells are computed
//! from the object as served at the requested group/version (a `serde_json::Value`),
//! reading every field defensively: a missing field prints what upstream prints for the
//! Go zero value. The server prints wide, so priority-1 columns are always filled.
//! Cell JSON types follow upstream's Go values, which do not always match the column
//! type (Deployment `Up-to-date` and Secret `Data` are string columns holding numbers,
//! CronJob `Suspend` is a boolean column holding `"True"`/`"False"`).
//!
//! Resources without a printer get the default table: `Name` and `Created At`.

mod columns;
mod core_v1;
mod events;
mod format;
mod hpa;
mod other;
mod pods;
mod workloads;

#[cfg(test)]
mod tests;

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

pub use format::{human_duration, short_human_duration};

/// One entry of a Table's `columnDefinitions`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    /// OpenAPI type: `string`, `integer`, `boolean`, `date`.
    pub type_: &'static str,
    /// `name` for the column kubectl may prefix with the kind; otherwise empty.
    pub format: &'static str,
    pub description: &'static str,
    /// 0 for default columns, 1 for those shown only with `-o wide`.
    pub priority: u8,
}

/// The printers upstream registers, keyed by what the request names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Printer {
    Pod,
    PodTemplate,
    PodDisruptionBudget,
    ReplicationController,
    ReplicaSet,
    Deployment,
    StatefulSet,
    DaemonSet,
    Job,
    CronJob,
    ControllerRevision,
    HorizontalPodAutoscaler,
    Service,
    Endpoints,
    EndpointSlice,
    Node,
    Namespace,
    Event,
    Secret,
    ConfigMap,
    ServiceAccount,
    PersistentVolume,
    PersistentVolumeClaim,
    ResourceQuota,
    Ingress,
    IngressClass,
    NetworkPolicy,
    Lease,
    RoleBinding,
    ClusterRoleBinding,
    StorageClass,
    CsiDriver,
    CsiNode,
    VolumeAttachment,
    PriorityClass,
    CertificateSigningRequest,
    WebhookConfiguration,
    Default,
}

fn printer(group: &str, version: &str, plural: &str) -> Printer {
    use Printer::*;
    match (group, version, plural) {
        ("", "v1", "pods") => Pod,
        ("", "v1", "podtemplates") => PodTemplate,
        ("", "v1", "replicationcontrollers") => ReplicationController,
        ("", "v1", "services") => Service,
        ("", "v1", "endpoints") => Endpoints,
        ("", "v1", "nodes") => Node,
        ("", "v1", "namespaces") => Namespace,
        ("", "v1", "events") | ("events.k8s.io", "v1", "events") => Event,
        ("", "v1", "secrets") => Secret,
        ("", "v1", "configmaps") => ConfigMap,
        ("", "v1", "serviceaccounts") => ServiceAccount,
        ("", "v1", "persistentvolumes") => PersistentVolume,
        ("", "v1", "persistentvolumeclaims") => PersistentVolumeClaim,
        ("", "v1", "resourcequotas") => ResourceQuota,
        ("apps", "v1", "replicasets") => ReplicaSet,
        ("apps", "v1", "deployments") => Deployment,
        ("apps", "v1", "statefulsets") => StatefulSet,
        ("apps", "v1", "daemonsets") => DaemonSet,
        ("apps", "v1", "controllerrevisions") => ControllerRevision,
        ("batch", "v1", "jobs") => Job,
        ("batch", "v1", "cronjobs") => CronJob,
        ("autoscaling", "v1" | "v2", "horizontalpodautoscalers") => HorizontalPodAutoscaler,
        ("policy", "v1", "poddisruptionbudgets") => PodDisruptionBudget,
        ("networking.k8s.io", "v1", "ingresses") => Ingress,
        ("networking.k8s.io", "v1", "ingressclasses") => IngressClass,
        ("networking.k8s.io", "v1", "networkpolicies") => NetworkPolicy,
        ("discovery.k8s.io", "v1", "endpointslices") => EndpointSlice,
        ("coordination.k8s.io", "v1", "leases") => Lease,
        ("rbac.authorization.k8s.io", "v1", "rolebindings") => RoleBinding,
        ("rbac.authorization.k8s.io", "v1", "clusterrolebindings") => ClusterRoleBinding,
        ("storage.k8s.io", "v1", "storageclasses") => StorageClass,
        ("storage.k8s.io", "v1", "csidrivers") => CsiDriver,
        ("storage.k8s.io", "v1", "csinodes") => CsiNode,
        ("storage.k8s.io", "v1", "volumeattachments") => VolumeAttachment,
        ("scheduling.k8s.io", "v1", "priorityclasses") => PriorityClass,
        ("certificates.k8s.io", "v1", "certificatesigningrequests") => CertificateSigningRequest,
        ("admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations" | "mutatingwebhookconfigurations") => {
            WebhookConfiguration
        }
        _ => Default,
    }
}

/// The column definitions for a resource; `Name` + `Created At` for resources without a printer.
pub fn columns(group: &str, version: &str, plural: &str) -> &'static [Column] {
    use Printer::*;
    match printer(group, version, plural) {
        Pod => columns::POD,
        PodTemplate => columns::POD_TEMPLATE,
        PodDisruptionBudget => columns::POD_DISRUPTION_BUDGET,
        ReplicationController => columns::REPLICATION_CONTROLLER,
        ReplicaSet => columns::REPLICA_SET,
        Deployment => columns::DEPLOYMENT,
        StatefulSet => columns::STATEFUL_SET,
        DaemonSet => columns::DAEMON_SET,
        Job => columns::JOB,
        CronJob => columns::CRON_JOB,
        ControllerRevision => columns::CONTROLLER_REVISION,
        HorizontalPodAutoscaler => columns::HORIZONTAL_POD_AUTOSCALER,
        Service => columns::SERVICE,
        Endpoints => columns::ENDPOINTS,
        EndpointSlice => columns::ENDPOINT_SLICE,
        Node => columns::NODE,
        Namespace => columns::NAMESPACE,
        Event => columns::EVENT,
        Secret => columns::SECRET,
        ConfigMap => columns::CONFIG_MAP,
        ServiceAccount => columns::SERVICE_ACCOUNT,
        PersistentVolume => columns::PERSISTENT_VOLUME,
        PersistentVolumeClaim => columns::PERSISTENT_VOLUME_CLAIM,
        ResourceQuota => columns::RESOURCE_QUOTA,
        Ingress => columns::INGRESS,
        IngressClass => columns::INGRESS_CLASS,
        NetworkPolicy => columns::NETWORK_POLICY,
        Lease => columns::LEASE,
        RoleBinding => columns::ROLE_BINDING,
        ClusterRoleBinding => columns::CLUSTER_ROLE_BINDING,
        StorageClass => columns::STORAGE_CLASS,
        CsiDriver => columns::CSI_DRIVER,
        CsiNode => columns::CSI_NODE,
        VolumeAttachment => columns::VOLUME_ATTACHMENT,
        PriorityClass => columns::PRIORITY_CLASS,
        CertificateSigningRequest => columns::CERTIFICATE_SIGNING_REQUEST,
        WebhookConfiguration => columns::WEBHOOK_CONFIGURATION,
        Default => columns::DEFAULT,
    }
}

/// The Table's `columnDefinitions` array.
pub fn column_definitions_json(cols: &[Column]) -> Value {
    Value::Array(
        cols.iter()
            .map(|c| {
                json!({
                    "name": c.name,
                    "type": c.type_,
                    "format": c.format,
                    "description": c.description,
                    "priority": c.priority,
                })
            })
            .collect(),
    )
}

/// One row's cells for `obj`, one per column of [`columns`], aged against `now`.
pub fn cells(group: &str, version: &str, plural: &str, obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    use Printer::*;
    match printer(group, version, plural) {
        Pod => pods::pod(obj, now),
        PodTemplate => pods::pod_template(obj),
        PodDisruptionBudget => workloads::pod_disruption_budget(obj, now),
        ReplicationController => workloads::replication_controller(obj, now),
        ReplicaSet => workloads::replica_set(obj, now),
        Deployment => workloads::deployment(obj, now),
        StatefulSet => workloads::stateful_set(obj, now),
        DaemonSet => workloads::daemon_set(obj, now),
        Job => workloads::job(obj, now),
        CronJob => workloads::cron_job(obj, now),
        ControllerRevision => workloads::controller_revision(obj, now),
        HorizontalPodAutoscaler => hpa::horizontal_pod_autoscaler(version, obj, now),
        Service => core_v1::service(obj, now),
        Endpoints => core_v1::endpoints(obj, now),
        EndpointSlice => core_v1::endpoint_slice(obj, now),
        Node => core_v1::node(obj, now),
        Namespace => core_v1::namespace(obj, now),
        Event => events::event(group, obj, now),
        Secret => core_v1::secret(obj, now),
        ConfigMap => core_v1::config_map(obj, now),
        ServiceAccount => core_v1::service_account(obj, now),
        PersistentVolume => core_v1::persistent_volume(obj, now),
        PersistentVolumeClaim => core_v1::persistent_volume_claim(obj, now),
        ResourceQuota => core_v1::resource_quota(obj, now),
        Ingress => other::ingress(obj, now),
        IngressClass => other::ingress_class(obj, now),
        NetworkPolicy => other::network_policy(obj, now),
        Lease => other::lease(obj, now),
        RoleBinding | ClusterRoleBinding => other::role_binding(obj, now),
        StorageClass => other::storage_class(obj, now),
        CsiDriver => other::csi_driver(obj, now),
        CsiNode => other::csi_node(obj, now),
        VolumeAttachment => other::volume_attachment(obj, now),
        PriorityClass => other::priority_class(obj, now),
        CertificateSigningRequest => other::certificate_signing_request(obj, now),
        WebhookConfiguration => other::webhook_configuration(obj, now),
        Default => vec![json!(format::name(obj)), json!(format::created_at(obj))],
    }
}

/// The row's `conditions`, which upstream sets only on pods that have finished
/// (`Completed`, reason `Succeeded` or `Failed`); `None` leaves the field out.
pub fn row_conditions(group: &str, version: &str, plural: &str, obj: &Value) -> Option<Value> {
    match printer(group, version, plural) {
        Printer::Pod => pods::pod_row_conditions(obj),
        _ => None,
    }
}
