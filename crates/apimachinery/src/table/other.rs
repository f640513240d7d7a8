//! Networking, RBAC, storage, scheduling, certificates, coordination and admission resources.

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

use super::core_v1::load_balancer_addresses;
use super::format::{
    age, at, flag, format_label_selector, human_duration, list, map, name, opt_bool, opt_int, opt_text, text,
};

/// Up to three rule hosts, then ` + N more...` counted over all rules; `*` when none has a host.
fn ingress_hosts(rules: &[Value]) -> String {
    const MAX: usize = 3;
    let mut hosts: Vec<&str> = Vec::new();
    let mut more = false;
    for rule in rules {
        if hosts.len() == MAX {
            more = true;
        }
        let host = text(rule, &["host"]);
        if !more && !host.is_empty() {
            hosts.push(host);
        }
    }
    if hosts.is_empty() {
        return "*".to_string();
    }
    let joined = hosts.join(",");
    if more {
        format!("{joined} + {} more...", rules.len().saturating_sub(MAX))
    } else {
        joined
    }
}

/// Name, Class, Hosts, Address, Ports, Age.
pub(super) fn ingress(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let ports = if list(obj, &["spec", "tls"]).is_empty() { "80" } else { "80, 443" };
    vec![
        json!(name(obj)),
        json!(opt_text(obj, &["spec", "ingressClassName"]).unwrap_or("<none>")),
        json!(ingress_hosts(list(obj, &["spec", "rules"]))),
        json!(load_balancer_addresses(list(obj, &["status", "loadBalancer", "ingress"]))),
        json!(ports),
        json!(age(obj, now)),
    ]
}

/// Name, Controller, Parameters (`Kind.apiGroup/name`), Age.
pub(super) fn ingress_class(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let parameters = match at(obj, &["spec", "parameters"]) {
        Some(p) => {
            let mut s = text(p, &["kind"]).to_string();
            if let Some(group) = opt_text(p, &["apiGroup"]) {
                s.push('.');
                s.push_str(group);
            }
            format!("{s}/{}", text(p, &["name"]))
        }
        None => "<none>".to_string(),
    };
    vec![json!(name(obj)), json!(text(obj, &["spec", "controller"])), json!(parameters), json!(age(obj, now))]
}

/// Name, Pod-Selector, Age.
pub(super) fn network_policy(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    // The pod selector is a value, not a pointer: absent means the empty selector.
    let empty = json!({});
    let selector = at(obj, &["spec", "podSelector"]).unwrap_or(&empty);
    vec![json!(name(obj)), json!(format_label_selector(Some(selector))), json!(age(obj, now))]
}

/// Name, Holder, Age.
pub(super) fn lease(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    vec![json!(name(obj)), json!(text(obj, &["spec", "holderIdentity"])), json!(age(obj, now))]
}

/// Name, Role (`Kind/name`), Age, Users, Groups, ServiceAccounts (`namespace/name`).
pub(super) fn role_binding(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let role = format!("{}/{}", text(obj, &["roleRef", "kind"]), text(obj, &["roleRef", "name"]));
    let (mut users, mut groups, mut service_accounts) = (Vec::new(), Vec::new(), Vec::new());
    for subject in list(obj, &["subjects"]) {
        let subject_name = text(subject, &["name"]);
        match text(subject, &["kind"]) {
            "ServiceAccount" => service_accounts.push(format!("{}/{subject_name}", text(subject, &["namespace"]))),
            "User" => users.push(subject_name.to_string()),
            "Group" => groups.push(subject_name.to_string()),
            _ => {}
        }
    }
    vec![
        json!(name(obj)),
        json!(role),
        json!(age(obj, now)),
        json!(users.join(", ")),
        json!(groups.join(", ")),
        json!(service_accounts.join(", ")),
    ]
}

const DEFAULT_CLASS_ANNOTATION: &str = "storageclass.kubernetes.io/is-default-class";
const BETA_DEFAULT_CLASS_ANNOTATION: &str = "storageclass.beta.kubernetes.io/is-default-class";

/// Name (with ` (default)`), Provisioner, ReclaimPolicy, VolumeBindingMode, AllowVolumeExpansion, Age.
pub(super) fn storage_class(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let annotations = map(obj, &["metadata", "annotations"]);
    let is_default = [DEFAULT_CLASS_ANNOTATION, BETA_DEFAULT_CLASS_ANNOTATION]
        .iter()
        .any(|key| annotations.and_then(|a| a.get(*key)).and_then(Value::as_str) == Some("true"));
    let mut class_name = name(obj).to_string();
    if is_default {
        class_name.push_str(" (default)");
    }
    vec![
        json!(class_name),
        json!(text(obj, &["provisioner"])),
        json!(opt_text(obj, &["reclaimPolicy"]).unwrap_or("Delete")),
        json!(opt_text(obj, &["volumeBindingMode"]).unwrap_or("Immediate")),
        json!(flag(obj, &["allowVolumeExpansion"])),
        json!(age(obj, now)),
    ]
}

/// Name, AttachRequired, PodInfoOnMount, StorageCapacity, TokenRequests, RequiresRepublish, Modes, Age.
pub(super) fn csi_driver(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let token_requests = list(obj, &["spec", "tokenRequests"]);
    // An empty list is not stored, so it reads back as unset.
    let token_requests = if token_requests.is_empty() {
        "<unset>".to_string()
    } else {
        token_requests.iter().map(|t| text(t, &["audience"])).collect::<Vec<_>>().join(",")
    };
    let modes: Vec<&str> = list(obj, &["spec", "volumeLifecycleModes"]).iter().filter_map(Value::as_str).collect();
    let modes = if modes.is_empty() { "<none>".to_string() } else { modes.join(",") };
    vec![
        json!(name(obj)),
        json!(opt_bool(obj, &["spec", "attachRequired"]).unwrap_or(true)),
        json!(flag(obj, &["spec", "podInfoOnMount"])),
        json!(flag(obj, &["spec", "storageCapacity"])),
        json!(token_requests),
        json!(flag(obj, &["spec", "requiresRepublish"])),
        json!(modes),
        json!(age(obj, now)),
    ]
}

/// Name, Drivers, Age.
pub(super) fn csi_node(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    vec![json!(name(obj)), json!(list(obj, &["spec", "drivers"]).len()), json!(age(obj, now))]
}

/// Name, Attacher, PV, Node, Attached, Age.
pub(super) fn volume_attachment(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    vec![
        json!(name(obj)),
        json!(text(obj, &["spec", "attacher"])),
        json!(text(obj, &["spec", "source", "persistentVolumeName"])),
        json!(text(obj, &["spec", "nodeName"])),
        json!(flag(obj, &["status", "attached"])),
        json!(age(obj, now)),
    ]
}

/// Name, Value, Global-Default, Age, PreemptionPolicy.
pub(super) fn priority_class(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    vec![
        json!(name(obj)),
        json!(opt_int(obj, &["value"]).unwrap_or(0)),
        json!(flag(obj, &["globalDefault"])),
        json!(age(obj, now)),
        json!(text(obj, &["preemptionPolicy"])),
    ]
}

/// `Approved`/`Denied`/`Pending`, then `,Failed` and `,Issued` as they apply.
fn csr_condition(obj: &Value) -> String {
    let conditions = list(obj, &["status", "conditions"]);
    let has_type = |kind: &str| conditions.iter().any(|c| text(c, &["type"]) == kind);
    let mut status = if has_type("Denied") {
        "Denied"
    } else if has_type("Approved") {
        "Approved"
    } else {
        "Pending"
    }
    .to_string();
    if has_type("Failed") {
        status.push_str(",Failed");
    }
    if !text(obj, &["status", "certificate"]).is_empty() {
        status.push_str(",Issued");
    }
    status
}

/// Name, Age, SignerName, Requestor, RequestedDuration, Condition.
pub(super) fn certificate_signing_request(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let signer = text(obj, &["spec", "signerName"]);
    let requested = opt_int(obj, &["spec", "expirationSeconds"])
        .map_or_else(|| "<none>".to_string(), |s| human_duration(Duration::seconds(s)));
    vec![
        json!(name(obj)),
        json!(age(obj, now)),
        json!(if signer.is_empty() { "<none>" } else { signer }),
        json!(text(obj, &["spec", "username"])),
        json!(requested),
        json!(csr_condition(obj)),
    ]
}

/// Name, Webhooks, Age.
pub(super) fn webhook_configuration(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    vec![json!(name(obj)), json!(list(obj, &["webhooks"]).len()), json!(age(obj, now))]
}
