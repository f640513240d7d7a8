//! The column definitions of every printed resource, in upstream's order, with its
//! names, types, formats and priorities. Descriptions are our own short wording.

use super::Column;

const fn col(name: &'static str, type_: &'static str, description: &'static str) -> Column {
    Column { name, type_, format: "", description, priority: 0 }
}

/// A column kubectl shows only with `-o wide`.
const fn wide(name: &'static str, type_: &'static str, description: &'static str) -> Column {
    Column { name, type_, format: "", description, priority: 1 }
}

const NAME: Column = Column {
    name: "Name",
    type_: "string",
    format: "name",
    description: "Name of the object, unique within its namespace (or cluster for cluster-scoped objects).",
    priority: 0,
};
const AGE: Column = col("Age", "string", "Time since the object was created (metadata.creationTimestamp).");
const CONTAINERS: Column = wide("Containers", "string", "Names of the containers in the pod template.");
const IMAGES: Column = wide("Images", "string", "Images of the containers in the pod template.");

/// Resources without a printer: name and creation time.
pub(super) const DEFAULT: &[Column] =
    &[NAME, col("Created At", "date", "Time the object was created (metadata.creationTimestamp).")];

pub(super) const POD: &[Column] = &[
    NAME,
    col("Ready", "string", "Ready containers out of all containers of the pod."),
    col("Status", "string", "Aggregate status of the pod's containers."),
    col("Restarts", "string", "Container restarts, and how long ago the last one was."),
    AGE,
    wide("IP", "string", "The pod's IP address."),
    wide("Node", "string", "The node the pod is scheduled to."),
    wide("Nominated Node", "string", "The node the scheduler nominated through preemption."),
    wide("Readiness Gates", "string", "Readiness gates that are satisfied, out of all declared."),
];

pub(super) const POD_TEMPLATE: &[Column] = &[
    NAME,
    col("Containers", "string", "Names of the containers in the template."),
    col("Images", "string", "Images of the containers in the template."),
    col("Pod Labels", "string", "Labels of the pod template."),
];

pub(super) const POD_DISRUPTION_BUDGET: &[Column] = &[
    NAME,
    col("Min Available", "string", "Pods that must stay available."),
    col("Max Unavailable", "string", "Pods that may be unavailable."),
    col("Allowed Disruptions", "integer", "Pods that may be disrupted right now."),
    AGE,
];

pub(super) const REPLICATION_CONTROLLER: &[Column] = &[
    NAME,
    col("Desired", "integer", "Desired number of replicas."),
    col("Current", "integer", "Current number of replicas."),
    col("Ready", "integer", "Number of ready replicas."),
    AGE,
    CONTAINERS,
    IMAGES,
    wide("Selector", "string", "Label selector of the pods it manages."),
];

pub(super) const REPLICA_SET: &[Column] = REPLICATION_CONTROLLER;

pub(super) const DAEMON_SET: &[Column] = &[
    NAME,
    col("Desired", "integer", "Nodes that should run the daemon pod."),
    col("Current", "integer", "Nodes running at least one daemon pod."),
    col("Ready", "integer", "Nodes whose daemon pod is ready."),
    col("Up-to-date", "integer", "Nodes running the updated daemon pod."),
    col("Available", "integer", "Nodes whose daemon pod is available."),
    col("Node Selector", "string", "Node selector of the pod template."),
    AGE,
    CONTAINERS,
    IMAGES,
    wide("Selector", "string", "Label selector of the pods it manages."),
];

pub(super) const JOB: &[Column] = &[
    NAME,
    col("Status", "string", "Status of the job."),
    col("Completions", "string", "Succeeded pods out of the completions wanted."),
    col("Duration", "string", "Time the job took, or has taken so far."),
    AGE,
    CONTAINERS,
    IMAGES,
    wide("Selector", "string", "Label selector of the job's pods."),
];

pub(super) const CRON_JOB: &[Column] = &[
    NAME,
    col("Schedule", "string", "Cron schedule."),
    col("Timezone", "string", "Time zone of the schedule."),
    col("Suspend", "boolean", "Whether new runs are suspended."),
    col("Active", "integer", "Jobs currently running."),
    col("Last Schedule", "string", "Time since a job was last scheduled."),
    AGE,
    CONTAINERS,
    IMAGES,
    wide("Selector", "string", "Label selector of the jobs' pods."),
];

pub(super) const SERVICE: &[Column] = &[
    NAME,
    col("Type", "string", "How the service is exposed."),
    col("Cluster-IP", "string", "The service's cluster IP."),
    col("External-IP", "string", "External addresses of the service."),
    col("Port(s)", "string", "Ports the service exposes."),
    AGE,
    wide("Selector", "string", "Labels of the pods traffic is routed to."),
];

pub(super) const INGRESS: &[Column] = &[
    NAME,
    col("Class", "string", "The IngressClass handling this ingress."),
    col("Hosts", "string", "Hosts requests are matched against."),
    col("Address", "string", "Addresses of the load balancer."),
    col("Ports", "string", "Ports the ingress serves."),
    AGE,
];

pub(super) const INGRESS_CLASS: &[Column] = &[
    NAME,
    col("Controller", "string", "Controller that implements this class."),
    col("Parameters", "string", "Resource holding further parameters."),
    AGE,
];

pub(super) const STATEFUL_SET: &[Column] =
    &[NAME, col("Ready", "string", "Ready replicas out of desired replicas."), AGE, CONTAINERS, IMAGES];

pub(super) const ENDPOINTS: &[Column] =
    &[NAME, col("Endpoints", "string", "Addresses and ports of the endpoints."), AGE];

pub(super) const NODE: &[Column] = &[
    NAME,
    col("Status", "string", "The status of the node."),
    col("Roles", "string", "The roles of the node."),
    AGE,
    col("Version", "string", "Kubelet version the node reports."),
    wide("Internal-IP", "string", "The node's internal IP address."),
    wide("External-IP", "string", "The node's external IP address."),
    wide("OS-Image", "string", "Operating system image the node reports."),
    wide("Kernel-Version", "string", "Kernel version the node reports."),
    wide("Container-Runtime", "string", "Container runtime and version the node reports."),
];

pub(super) const EVENT: &[Column] = &[
    col("Last Seen", "string", "Time since the event was last seen."),
    col("Type", "string", "Type of the event (Normal, Warning)."),
    col("Reason", "string", "Short machine-readable reason for the event."),
    col("Object", "string", "The object the event is about."),
    wide("Subobject", "string", "The part of the object the event is about."),
    wide("Source", "string", "The component that reported the event."),
    col("Message", "string", "Human-readable description of the event."),
    wide("First Seen", "string", "Time since the event was first seen."),
    wide("Count", "string", "How many times the event occurred."),
    Column { priority: 1, ..NAME },
];

pub(super) const NAMESPACE: &[Column] = &[NAME, col("Status", "string", "The phase of the namespace."), AGE];

pub(super) const SECRET: &[Column] =
    &[NAME, col("Type", "string", "Type of the secret."), col("Data", "string", "Number of data entries."), AGE];

pub(super) const SERVICE_ACCOUNT: &[Column] =
    &[NAME, col("Secrets", "string", "Number of secrets listed on the service account."), AGE];

pub(super) const PERSISTENT_VOLUME: &[Column] = &[
    NAME,
    col("Capacity", "string", "Storage capacity of the volume."),
    col("Access Modes", "string", "Ways the volume can be mounted."),
    col("Reclaim Policy", "string", "What happens to the volume when released."),
    col("Status", "string", "Phase of the volume."),
    col("Claim", "string", "The claim bound to the volume."),
    col("StorageClass", "string", "StorageClass of the volume."),
    col("VolumeAttributesClass", "string", "VolumeAttributesClass of the volume."),
    col("Reason", "string", "Reason for the volume's phase."),
    AGE,
    wide("VolumeMode", "string", "Whether the volume is a filesystem or a block device."),
];

pub(super) const PERSISTENT_VOLUME_CLAIM: &[Column] = &[
    NAME,
    col("Status", "string", "Phase of the claim."),
    col("Volume", "string", "The volume bound to the claim."),
    col("Capacity", "string", "Storage capacity of the bound volume."),
    col("Access Modes", "string", "Access modes of the bound volume."),
    col("StorageClass", "string", "StorageClass of the claim."),
    col("VolumeAttributesClass", "string", "VolumeAttributesClass of the claim."),
    AGE,
    wide("VolumeMode", "string", "Whether the claim wants a filesystem or a block device."),
];

pub(super) const DEPLOYMENT: &[Column] = &[
    NAME,
    col("Ready", "string", "Ready replicas out of desired replicas."),
    col("Up-to-date", "string", "Replicas running the latest pod template."),
    col("Available", "string", "Replicas available to serve."),
    AGE,
    CONTAINERS,
    IMAGES,
    wide("Selector", "string", "Label selector of the pods it manages."),
];

pub(super) const HORIZONTAL_POD_AUTOSCALER: &[Column] = &[
    NAME,
    col("Reference", "string", "The scaled workload."),
    col("Targets", "string", "Current and target values of the metrics."),
    col("MinPods", "string", "Lower limit on replicas."),
    col("MaxPods", "string", "Upper limit on replicas."),
    col("Replicas", "string", "Current number of replicas."),
    AGE,
];

pub(super) const CONFIG_MAP: &[Column] = &[NAME, col("Data", "string", "Number of data entries."), AGE];

pub(super) const NETWORK_POLICY: &[Column] = &[NAME, col("Pod-Selector", "string", "Pods the policy applies to."), AGE];

const USERS: &str = "Users the role is bound to.";
const GROUPS: &str = "Groups the role is bound to.";
const SERVICE_ACCOUNTS: &str = "Service accounts the role is bound to.";

pub(super) const ROLE_BINDING: &[Column] = &[
    NAME,
    col("Role", "string", "The role being bound."),
    AGE,
    wide("Users", "string", USERS),
    wide("Groups", "string", GROUPS),
    wide("ServiceAccounts", "string", SERVICE_ACCOUNTS),
];

pub(super) const CLUSTER_ROLE_BINDING: &[Column] = ROLE_BINDING;

pub(super) const CERTIFICATE_SIGNING_REQUEST: &[Column] = &[
    NAME,
    AGE,
    col("SignerName", "string", "The signer asked to sign the certificate."),
    col("Requestor", "string", "The user who created the request."),
    col("RequestedDuration", "string", "Validity period asked for."),
    col("Condition", "string", "Approval and issuance state."),
];

pub(super) const LEASE: &[Column] = &[NAME, col("Holder", "string", "Identity of the lease holder."), AGE];

pub(super) const STORAGE_CLASS: &[Column] = &[
    NAME,
    col("Provisioner", "string", "Volume plugin that provisions volumes."),
    col("ReclaimPolicy", "string", "Reclaim policy of provisioned volumes."),
    col("VolumeBindingMode", "string", "When volumes are bound and provisioned."),
    col("AllowVolumeExpansion", "string", "Whether volumes may be expanded."),
    AGE,
];

pub(super) const CONTROLLER_REVISION: &[Column] = &[
    NAME,
    col("Controller", "string", "The object owning the revision."),
    col("Revision", "string", "Revision number."),
    AGE,
];

pub(super) const RESOURCE_QUOTA: &[Column] = &[
    NAME,
    col("Request", "string", "Used and hard amounts of requests."),
    col("Limit", "string", "Used and hard amounts of limits."),
    AGE,
];

pub(super) const PRIORITY_CLASS: &[Column] = &[
    NAME,
    col("Value", "integer", "The priority value."),
    col("Global-Default", "boolean", "Whether this is the default priority class."),
    AGE,
    col("PreemptionPolicy", "string", "Whether pods of this class may preempt others."),
];

pub(super) const VOLUME_ATTACHMENT: &[Column] = &[
    NAME,
    Column { format: "name", ..col("Attacher", "string", "Volume driver that attaches the volume.") },
    col("PV", "string", "The persistent volume being attached."),
    col("Node", "string", "The node the volume is attached to."),
    col("Attached", "boolean", "Whether the attach operation succeeded."),
    AGE,
];

pub(super) const ENDPOINT_SLICE: &[Column] = &[
    NAME,
    col("AddressType", "string", "Type of the addresses in the slice."),
    col("Ports", "string", "Ports of the endpoints."),
    col("Endpoints", "string", "Addresses of the endpoints."),
    AGE,
];

pub(super) const CSI_NODE: &[Column] =
    &[NAME, col("Drivers", "integer", "Number of CSI drivers registered on the node."), AGE];

pub(super) const CSI_DRIVER: &[Column] = &[
    NAME,
    col("AttachRequired", "boolean", "Whether volumes need an attach operation."),
    col("PodInfoOnMount", "boolean", "Whether pod information is passed on mount."),
    col("StorageCapacity", "boolean", "Whether the scheduler considers storage capacity."),
    col("TokenRequests", "string", "Audiences of service account tokens passed to the driver."),
    col("RequiresRepublish", "boolean", "Whether volumes are periodically republished."),
    col("Modes", "string", "Volume lifecycle modes the driver supports."),
    AGE,
];

pub(super) const WEBHOOK_CONFIGURATION: &[Column] =
    &[NAME, col("Webhooks", "integer", "Number of webhooks in the configuration."), AGE];
