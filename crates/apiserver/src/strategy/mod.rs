//! Per-resource behaviour plugged into the one generic store: name rules, system fields
//! a write may not change, generation tracking, graceful deletion. Everything here is a
//! pure function of objects, so it is unit-tested without a server.

mod namespaces;
mod pods;
mod workloads;

use apimachinery::resource::ResourceInfo;
use apimachinery::validation::NameRule;
use apimachinery::Cause;
use serde_json::Value;

/// Resource-specific hooks. Defaults do nothing.
pub trait Hooks: Sync {
    /// Called on a new object after system fields are set (e.g. reset status).
    fn prepare_for_create(&self, _obj: &mut Value) {}
    /// Called on an update after the generic rules kept what the client may not change.
    fn prepare_for_update(&self, _new: &mut Value, _old: &Value) {}
    /// Called on a status write after everything but status was kept from `old`.
    fn prepare_for_status_update(&self, _new: &mut Value, _old: &Value) {}
    fn validate(&self, _obj: &Value) -> Vec<Cause> {
        Vec::new()
    }
    fn validate_update(&self, new: &Value, _old: &Value) -> Vec<Cause> {
        self.validate(new)
    }
    /// Seconds to wait before an object is really deleted; `None` or `Some(0)` deletes at once.
    fn grace_period(&self, _obj: &Value, _requested: Option<i64>) -> Option<i64> {
        None
    }
    /// A delete that only marks the object (e.g. a namespace becomes Terminating).
    /// Returns true if the object must stay until its finalizers are gone.
    fn mark_deleting(&self, _obj: &mut Value) -> bool {
        false
    }
}

struct NoHooks;
impl Hooks for NoHooks {}

pub struct Strategy {
    pub name_rule: NameRule,
    /// `metadata.generation` starts at 1 and grows with every change outside metadata and status.
    pub tracks_generation: bool,
    /// A PUT of a missing object creates it.
    pub create_on_update: bool,
    /// An immediate delete answers with the deleted object rather than a Status.
    pub return_deleted_object: bool,
    pub hooks: &'static dyn Hooks,
}

/// Resources whose generation follows their spec, as upstream's strategies do.
const GENERATION_TRACKED: &[&str] = &[
    "pods",
    "deployments",
    "replicasets",
    "statefulsets",
    "daemonsets",
    "replicationcontrollers",
    "jobs",
    "cronjobs",
    "horizontalpodautoscalers",
    "poddisruptionbudgets",
    "networkpolicies",
    "endpointslices",
    "validatingwebhookconfigurations",
    "mutatingwebhookconfigurations",
    "priorityclasses",
];

pub fn for_resource(res: &ResourceInfo) -> Strategy {
    let name_rule = match res.plural {
        "namespaces" => NameRule::Dns1123Label,
        "services" => NameRule::Dns1035Label,
        "roles" | "rolebindings" | "clusterroles" | "clusterrolebindings" => NameRule::PathSegment,
        _ => NameRule::Dns1123Subdomain,
    };
    let hooks: &'static dyn Hooks = match (res.group, res.plural) {
        ("", "pods") => &pods::PodHooks,
        ("", "namespaces") => &namespaces::NamespaceHooks,
        ("batch", "jobs") => &workloads::JobHooks,
        ("apps", "daemonsets") => &workloads::DaemonSetHooks,
        _ => &NoHooks,
    };
    Strategy {
        name_rule,
        tracks_generation: GENERATION_TRACKED.contains(&res.plural),
        create_on_update: matches!(res.plural, "endpoints" | "leases" | "nodes" | "events" | "endpointslices"),
        return_deleted_object: matches!((res.group, res.plural), ("", "pods") | ("", "services") | ("", "namespaces")),
        hooks,
    }
}

/// Everything of an object except metadata and status: what generation tracks.
pub fn spec_changed(new: &Value, old: &Value) -> bool {
    let strip = |v: &Value| -> Value {
        let mut v = v.clone();
        if let Value::Object(m) = &mut v {
            m.remove("metadata");
            m.remove("status");
            m.remove("apiVersion");
            m.remove("kind");
        }
        v
    };
    strip(new) != strip(old)
}
