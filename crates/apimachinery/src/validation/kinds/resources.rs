//! Compute resources: resource names (standard, extended, hugepages), quantities and
//! their integer rules, container resource requirements (requests <= limits, claims)
//! and resize policies.

use serde_json::Value;

use super::access::{child, index, key, Errs};
use super::meta::{check_dns_label, check_qualified_name, qualified_name_errors};
use crate::quantity::{ParseError, Quantity};
use crate::validation::errors::{duplicate, forbidden, invalid, not_found, not_supported, required};

fn s(v: &str) -> Value {
    Value::String(v.to_string())
}

/// Whether upstream counts this resource as native (unprefixed or `*kubernetes.io/`).
pub(super) fn is_native_resource(name: &str) -> bool {
    !name.contains('/') || name.contains("kubernetes.io/")
}

pub(super) fn is_hugepages(name: &str) -> bool {
    name.starts_with("hugepages-")
}

/// `IsExtendedResourceName`.
fn is_extended_resource(name: &str) -> bool {
    !is_native_resource(name)
        && !name.starts_with("requests.")
        && qualified_name_errors(&format!("requests.{name}")).is_empty()
}

const STANDARD_RESOURCES: &[&str] = &[
    "cpu",
    "memory",
    "ephemeral-storage",
    "requests.cpu",
    "requests.memory",
    "requests.ephemeral-storage",
    "limits.cpu",
    "limits.memory",
    "limits.ephemeral-storage",
    "pods",
    "resourcequotas",
    "services",
    "replicationcontrollers",
    "secrets",
    "configmaps",
    "persistentvolumeclaims",
    "storage",
    "requests.storage",
    "services.nodeports",
    "services.loadbalancers",
];

/// `validateResourceName`: a qualified name, and standard when unprefixed.
pub(super) fn validate_resource_name(e: &mut Errs, name: &str, path: &str) -> bool {
    let before = e.len();
    check_qualified_name(e, name, path);
    if e.len() > before {
        return false;
    }
    if !name.contains('/')
        && !STANDARD_RESOURCES.contains(&name)
        && !name.starts_with("hugepages-")
        && !name.starts_with("requests.hugepages-")
    {
        e.push(invalid(path, &s(name), "must be a standard resource type or fully qualified"));
        return false;
    }
    true
}

/// `validateContainerResourceName`.
pub(super) fn validate_container_resource_name(e: &mut Errs, name: &str, path: &str) {
    validate_resource_name(e, name, path);
    if !name.contains('/') {
        if !matches!(name, "cpu" | "memory" | "ephemeral-storage") && !is_hugepages(name) {
            e.push(invalid(path, &s(name), "must be a standard resource for containers"));
        }
    } else if !is_native_resource(name) && !is_extended_resource(name) {
        e.push(invalid(path, &s(name), "doesn't follow extended resource name standard"));
    }
}

/// `IsIntegerResourceName`.
fn is_integer_resource(name: &str) -> bool {
    matches!(
        name,
        "pods"
            | "resourcequotas"
            | "services"
            | "replicationcontrollers"
            | "secrets"
            | "configmaps"
            | "persistentvolumeclaims"
            | "services.nodeports"
            | "services.loadbalancers"
    ) || is_extended_resource(name)
}

/// A quantity at `path` (reported when it does not parse).
pub(super) fn read_quantity(e: &mut Errs, v: &Value, path: &str) -> Option<Quantity> {
    match Quantity::from_json(v) {
        Ok(q) => Some(q),
        Err(_) => {
            if v.is_string() || v.is_number() {
                e.push(invalid(path, v, ParseError::FormatWrong.message()));
            } else {
                e.wrong_type(path, v, "quantity");
            }
            None
        }
    }
}

/// `ValidateResourceQuantityValue`: not negative, and whole for integer resources.
pub(super) fn validate_quantity_value(e: &mut Errs, resource: &str, q: &Quantity, path: &str) {
    if q.is_negative() {
        e.push(invalid(path, &s(&q.to_string()), "must be greater than or equal to 0"));
    }
    if is_integer_resource(resource) && !q.is_integer() {
        e.push(invalid(path, &s(&q.to_string()), "must be an integer"));
    }
}

/// The resource map at `parent[k]` as (name, quantity) pairs, quantities checked.
pub(super) fn resource_list(e: &mut Errs, parent: &Value, path: &str, k: &str) -> Vec<(String, Option<Quantity>)> {
    let field = child(path, k);
    let Some(map) = e.opt_obj(parent, path, k).and_then(Value::as_object) else { return Vec::new() };
    map.iter().map(|(name, v)| (name.clone(), read_quantity(e, v, &key(&field, name)))).collect()
}

/// `ValidateContainerResourceRequirements`.
pub(super) fn validate_resources(e: &mut Errs, c: &Value, path: &str, claim_names: &[String]) {
    let rp = child(path, "resources");
    let res = e.obj(c, path, "resources");
    let lim_path = child(&rp, "limits");
    let req_path = child(&rp, "requests");
    let limits = resource_list(e, res, &rp, "limits");
    let requests = resource_list(e, res, &rp, "requests");
    let (mut lim_cpu_mem, mut req_cpu_mem, mut lim_huge, mut req_huge) = (false, false, false, false);
    for (name, q) in &limits {
        let p = key(&lim_path, name);
        validate_container_resource_name(e, name, &p);
        if let Some(q) = q {
            validate_quantity_value(e, name, q, &p);
        }
        if is_hugepages(name) {
            lim_huge = true;
        }
        if name == "cpu" || name == "memory" {
            lim_cpu_mem = true;
        }
    }
    for (name, q) in &requests {
        let p = key(&req_path, name);
        validate_container_resource_name(e, name, &p);
        if let Some(q) = q {
            validate_quantity_value(e, name, q, &p);
        }
        let overcommit = is_native_resource(name) && !is_hugepages(name);
        match limits.iter().find(|(n, _)| n == name) {
            Some((_, Some(limit))) => {
                if let Some(q) = q {
                    if q != limit && !overcommit {
                        e.push(invalid(
                            &req_path,
                            &s(&q.to_string()),
                            &format!("must be equal to {name} limit of {}", limit),
                        ));
                    } else if q > limit {
                        e.push(invalid(
                            &req_path,
                            &s(&q.to_string()),
                            &format!("must be less than or equal to {name} limit of {}", limit),
                        ));
                    }
                }
            }
            Some((_, None)) => {}
            None => {
                if !overcommit {
                    e.push(required(&lim_path, "Limit must be set for non overcommitable resources"));
                }
            }
        }
        if is_hugepages(name) {
            req_huge = true;
        }
        if name == "cpu" || name == "memory" {
            req_cpu_mem = true;
        }
    }
    if !lim_cpu_mem && !req_cpu_mem && (req_huge || lim_huge) {
        e.push(forbidden(&rp, "HugePages require cpu or memory"));
    }
    let claims_path = child(&rp, "claims");
    let mut seen: Vec<String> = Vec::new();
    for (p, claim) in e.items(res, &rp, "claims") {
        let name = e.str(claim, &p, "name");
        if name.is_empty() {
            e.push(required(&p, ""));
            continue;
        }
        let request = e.str(claim, &p, "request");
        let mut k = name.to_string();
        if !request.is_empty() {
            check_dns_label(e, request, &child(&p, "request"));
            k = format!("{name}/{request}");
        }
        if seen.contains(&k) {
            e.push(duplicate(&p, &s(&k)));
        }
        seen.push(k);
        if !claim_names.iter().any(|c| c == name) {
            let detail = if claim_names.is_empty() {
                "must be one of the names in pod.spec.resourceClaims which is empty".to_string()
            } else {
                format!("must be one of the names in pod.spec.resourceClaims: {}", claim_names.join(", "))
            };
            e.push(not_found(&p, &s(name), &detail));
        }
    }
    let _ = claims_path;
}

pub(super) fn validate_resize_policy(e: &mut Errs, c: &Value, path: &str, restart_policy: &str) {
    let field = child(path, "resizePolicy");
    let mut seen = Vec::new();
    for (i, (p, policy)) in e.items(c, path, "resizePolicy").into_iter().enumerate() {
        let name = e.str(policy, &p, "resourceName");
        if seen.contains(&name) {
            e.push(duplicate(&index(&field, i), &s(name)));
        }
        seen.push(name);
        match name {
            "cpu" | "memory" => {}
            "" => e.push(required(&field, "")),
            other => e.push(not_supported(&field, &s(other), &["cpu", "memory"])),
        }
        let rp = e.str(policy, &p, "restartPolicy");
        match rp {
            "NotRequired" | "RestartContainer" => {}
            "" => e.push(required(&field, "")),
            other => e.push(not_supported(&field, &s(other), &["NotRequired", "RestartContainer"])),
        }
        if restart_policy == "Never" && rp != "NotRequired" {
            e.push(invalid(&field, &s(rp), "must be 'NotRequired' when `restartPolicy` is 'Never'"));
        }
    }
}
