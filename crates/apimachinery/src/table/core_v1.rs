//! Core resources: services, endpoints, endpoint slices, nodes, namespaces, secrets,
//! config maps, service accounts, persistent volumes and claims, resource quotas.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::format::{
    access_modes, age, at, format_labels, has, int, join_host_port, list, list_with_more, map, map_len, name, opt_int,
    opt_text, quantity_or_zero, text,
};

/// Load-balancer ingress points: each IP, or its hostname when it has none; sorted, deduplicated.
pub(super) fn load_balancer_addresses(ingress: &[Value]) -> String {
    let mut addresses: Vec<&str> = ingress
        .iter()
        .filter_map(|i| {
            let ip = text(i, &["ip"]);
            let hostname = text(i, &["hostname"]);
            if !ip.is_empty() {
                Some(ip)
            } else if !hostname.is_empty() {
                Some(hostname)
            } else {
                None
            }
        })
        .collect();
    addresses.sort_unstable();
    addresses.dedup();
    addresses.join(",")
}

fn service_external_ip(obj: &Value) -> String {
    let external_ips: Vec<&str> = list(obj, &["spec", "externalIPs"]).iter().filter_map(Value::as_str).collect();
    match text(obj, &["spec", "type"]) {
        "ClusterIP" | "NodePort" => {
            if external_ips.is_empty() {
                "<none>".to_string()
            } else {
                external_ips.join(",")
            }
        }
        "LoadBalancer" => {
            let lb = load_balancer_addresses(list(obj, &["status", "loadBalancer", "ingress"]));
            if !external_ips.is_empty() {
                let mut all: Vec<&str> = if lb.is_empty() { Vec::new() } else { lb.split(',').collect() };
                all.extend(external_ips);
                all.join(",")
            } else if !lb.is_empty() {
                lb
            } else {
                "<pending>".to_string()
            }
        }
        "ExternalName" => text(obj, &["spec", "externalName"]).to_string(),
        _ => "<unknown>".to_string(),
    }
}

fn service_ports(ports: &[Value]) -> String {
    let pieces: Vec<String> = ports
        .iter()
        .map(|p| {
            let port = int(p, &["port"]);
            let protocol = text(p, &["protocol"]);
            let node_port = int(p, &["nodePort"]);
            if node_port > 0 {
                format!("{port}:{node_port}/{protocol}")
            } else {
                format!("{port}/{protocol}")
            }
        })
        .collect();
    if pieces.is_empty() {
        "<none>".to_string()
    } else {
        pieces.join(",")
    }
}

/// Name, Type, Cluster-IP, External-IP, Port(s), Age, Selector.
pub(super) fn service(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let mut cluster_ip = text(obj, &["spec", "clusterIP"]);
    if cluster_ip.is_empty() {
        cluster_ip = list(obj, &["spec", "clusterIPs"]).first().and_then(Value::as_str).unwrap_or("");
    }
    let cluster_ip = if cluster_ip.is_empty() { "<none>" } else { cluster_ip };
    vec![
        json!(name(obj)),
        json!(text(obj, &["spec", "type"])),
        json!(cluster_ip),
        json!(service_external_ip(obj)),
        json!(service_ports(list(obj, &["spec", "ports"]))),
        json!(age(obj, now)),
        json!(format_labels(map(obj, &["spec", "selector"]))),
    ]
}

/// Up to three `ip:port` (or bare IPs for port-less subsets), then ` + N more...`.
fn format_endpoints(subsets: &[Value]) -> String {
    const MAX: usize = 3;
    if subsets.is_empty() {
        return "<none>".to_string();
    }
    let mut shown: Vec<String> = Vec::new();
    let mut more = false;
    let mut count = 0usize;
    for subset in subsets {
        let addresses = list(subset, &["addresses"]);
        let ports = list(subset, &["ports"]);
        if ports.is_empty() {
            count += addresses.len();
            for address in addresses {
                if shown.len() == MAX {
                    more = true;
                    break;
                }
                shown.push(text(address, &["ip"]).to_string());
            }
            continue;
        }
        for port in ports {
            count += addresses.len();
            for address in addresses {
                if shown.len() == MAX {
                    more = true;
                    break;
                }
                shown.push(join_host_port(text(address, &["ip"]), int(port, &["port"])));
            }
        }
    }
    let joined = shown.join(",");
    if more {
        format!("{joined} + {} more...", count.saturating_sub(MAX))
    } else {
        joined
    }
}

/// Name, Endpoints, Age.
pub(super) fn endpoints(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    vec![json!(name(obj)), json!(format_endpoints(list(obj, &["subsets"]))), json!(age(obj, now))]
}

/// Name, AddressType, Ports, Endpoints, Age.
pub(super) fn endpoint_slice(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let ports: Vec<String> = list(obj, &["ports"])
        .iter()
        .map(|p| match (opt_int(p, &["port"]), opt_text(p, &["name"])) {
            (Some(port), _) => port.to_string(),
            (None, Some(port_name)) => port_name.to_string(),
            (None, None) => "*".to_string(),
        })
        .collect();
    let addresses: Vec<String> = list(obj, &["endpoints"])
        .iter()
        .flat_map(|e| list(e, &["addresses"]).iter().map(|a| a.as_str().unwrap_or("").to_string()))
        .collect();
    vec![
        json!(name(obj)),
        json!(text(obj, &["addressType"])),
        json!(list_with_more(ports, 3)),
        json!(list_with_more(addresses, 3)),
        json!(age(obj, now)),
    ]
}

/// `Ready`, `NotReady` or `Unknown`, then `SchedulingDisabled` for a cordoned node.
fn node_status(obj: &Value) -> String {
    // The last Ready condition wins, as upstream indexes conditions by type.
    let ready = list(obj, &["status", "conditions"]).iter().rev().find(|c| text(c, &["type"]) == "Ready");
    let mut status = vec![match ready {
        Some(c) if text(c, &["status"]) == "True" => "Ready",
        Some(_) => "NotReady",
        None => "Unknown",
    }];
    if at(obj, &["spec", "unschedulable"]).and_then(Value::as_bool) == Some(true) {
        status.push("SchedulingDisabled");
    }
    status.join(",")
}

/// Roles from `node-role.kubernetes.io/<role>` keys and the `kubernetes.io/role` value, sorted.
fn node_roles(obj: &Value) -> String {
    let mut roles: Vec<&str> = map(obj, &["metadata", "labels"])
        .into_iter()
        .flatten()
        .filter_map(|(key, value)| {
            if let Some(role) = key.strip_prefix("node-role.kubernetes.io/") {
                (!role.is_empty()).then_some(role)
            } else if key == "kubernetes.io/role" {
                value.as_str().filter(|v| !v.is_empty())
            } else {
                None
            }
        })
        .collect();
    roles.sort_unstable();
    roles.dedup();
    if roles.is_empty() {
        "<none>".to_string()
    } else {
        roles.join(",")
    }
}

fn node_address(obj: &Value, kind: &str) -> String {
    list(obj, &["status", "addresses"])
        .iter()
        .find(|a| text(a, &["type"]) == kind)
        .map_or_else(|| "<none>".to_string(), |a| text(a, &["address"]).to_string())
}

/// Name, Status, Roles, Age, Version, Internal-IP, External-IP, OS-Image, Kernel-Version, Container-Runtime.
pub(super) fn node(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let info = |field: &str| {
        let value = text(obj, &["status", "nodeInfo", field]);
        if value.is_empty() {
            "<unknown>".to_string()
        } else {
            value.to_string()
        }
    };
    vec![
        json!(name(obj)),
        json!(node_status(obj)),
        json!(node_roles(obj)),
        json!(age(obj, now)),
        json!(text(obj, &["status", "nodeInfo", "kubeletVersion"])),
        json!(node_address(obj, "InternalIP")),
        json!(node_address(obj, "ExternalIP")),
        json!(info("osImage")),
        json!(info("kernelVersion")),
        json!(info("containerRuntimeVersion")),
    ]
}

/// Name, Status, Age.
pub(super) fn namespace(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    vec![json!(name(obj)), json!(text(obj, &["status", "phase"])), json!(age(obj, now))]
}

/// Name, Type, Data, Age.
pub(super) fn secret(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    vec![json!(name(obj)), json!(text(obj, &["type"])), json!(map_len(obj, &["data"])), json!(age(obj, now))]
}

/// Name, Data (entries in `data` and `binaryData`), Age.
pub(super) fn config_map(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let entries = map_len(obj, &["data"]) + map_len(obj, &["binaryData"]);
    vec![json!(name(obj)), json!(entries), json!(age(obj, now))]
}

/// Name, Secrets, Age.
pub(super) fn service_account(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    vec![json!(name(obj)), json!(list(obj, &["secrets"]).len()), json!(age(obj, now))]
}

const BETA_STORAGE_CLASS_ANNOTATION: &str = "volume.beta.kubernetes.io/storage-class";

fn storage_class_annotation(obj: &Value) -> Option<&str> {
    map(obj, &["metadata", "annotations"])
        .and_then(|a| a.get(BETA_STORAGE_CLASS_ANNOTATION))
        .map(|v| v.as_str().unwrap_or(""))
}

/// The phase, or `Terminating` once deletion has started.
fn phase_or_terminating(obj: &Value) -> &str {
    if has(obj, &["metadata", "deletionTimestamp"]) {
        "Terminating"
    } else {
        text(obj, &["status", "phase"])
    }
}

fn unset_or(value: Option<&str>) -> String {
    value.unwrap_or("<unset>").to_string()
}

/// Name, Capacity, Access Modes, Reclaim Policy, Status, Claim, StorageClass,
/// VolumeAttributesClass, Reason, Age, VolumeMode.
pub(super) fn persistent_volume(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let claim = match at(obj, &["spec", "claimRef"]) {
        Some(claim) => format!("{}/{}", text(claim, &["namespace"]), text(claim, &["name"])),
        None => String::new(),
    };
    let class = storage_class_annotation(obj).unwrap_or_else(|| text(obj, &["spec", "storageClassName"]));
    vec![
        json!(name(obj)),
        json!(quantity_or_zero(at(obj, &["spec", "capacity", "storage"]))),
        json!(access_modes(list(obj, &["spec", "accessModes"]))),
        json!(text(obj, &["spec", "persistentVolumeReclaimPolicy"])),
        json!(phase_or_terminating(obj)),
        json!(claim),
        json!(class),
        json!(unset_or(opt_text(obj, &["spec", "volumeAttributesClassName"]))),
        json!(text(obj, &["status", "reason"])),
        json!(age(obj, now)),
        json!(unset_or(opt_text(obj, &["spec", "volumeMode"]))),
    ]
}

/// Name, Status, Volume, Capacity, Access Modes, StorageClass, VolumeAttributesClass, Age, VolumeMode.
pub(super) fn persistent_volume_claim(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let volume = text(obj, &["spec", "volumeName"]);
    let (capacity, modes) = if volume.is_empty() {
        (String::new(), String::new())
    } else {
        (
            quantity_or_zero(at(obj, &["status", "capacity", "storage"])),
            access_modes(list(obj, &["status", "accessModes"])),
        )
    };
    let class = storage_class_annotation(obj).or_else(|| opt_text(obj, &["spec", "storageClassName"])).unwrap_or("");
    vec![
        json!(name(obj)),
        json!(phase_or_terminating(obj)),
        json!(volume),
        json!(capacity),
        json!(modes),
        json!(class),
        json!(unset_or(opt_text(obj, &["spec", "volumeAttributesClassName"]))),
        json!(age(obj, now)),
        json!(unset_or(opt_text(obj, &["spec", "volumeMode"]))),
    ]
}

/// Name, Request, Limit, Age: `resource: used/hard` for each hard limit, sorted by resource,
/// `limits.*` resources in the Limit column and all others in the Request column.
pub(super) fn resource_quota(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let mut resources: Vec<&String> = map(obj, &["status", "hard"]).into_iter().flat_map(|m| m.keys()).collect();
    resources.sort();
    let mut requests = Vec::new();
    let mut limits = Vec::new();
    for resource in resources {
        let used = quantity_or_zero(at(obj, &["status", "used", resource]));
        let hard = quantity_or_zero(at(obj, &["status", "hard", resource]));
        let entry = format!("{resource}: {used}/{hard}");
        let pieces: Vec<&str> = resource.split('.').collect();
        if pieces.len() > 1 && pieces[0] == "limits" {
            limits.push(entry);
        } else {
            requests.push(entry);
        }
    }
    vec![json!(name(obj)), json!(requests.join(", ")), json!(limits.join(", ")), json!(age(obj, now))]
}
