//! ConfigMap, Secret, Namespace, Node, ServiceAccount, Endpoints, LimitRange,
//! ResourceQuota, Event and Binding (`pkg/apis/core/validation`).

use std::collections::HashSet;

use base64::Engine;
use serde_json::Value;

use super::access::{child, field_eq, get_str, index, key, Errs, NULL};
use super::containers::{config_map_key_problems, port_num_problem};
use super::meta::{check_dns_label, check_name, check_qualified_name};
use super::net::{check_cidr, check_ip, check_non_special_ip, is_dual_stack};
use super::resources::{
    read_quantity, validate_container_resource_name, validate_quantity_value, validate_resource_name,
};
use crate::quantity::Quantity;
use crate::validation::errors::{
    duplicate, duplicate_rendered, forbidden, invalid, invalid_rendered, not_supported, required, too_long,
};
use crate::validation::names::NameRule;

fn s(v: &str) -> Value {
    Value::String(v.to_string())
}

/// Largest total size of a ConfigMap's or Secret's data.
const MAX_DATA_SIZE: usize = 1024 * 1024;

/// Decoded length of a base64 value (invalid base64 is reported).
fn decoded_len(e: &mut Errs, v: &Value, path: &str) -> Option<Vec<u8>> {
    match v {
        Value::String(text) => match base64::engine::general_purpose::STANDARD.decode(text) {
            Ok(bytes) => Some(bytes),
            Err(_) => {
                e.push(invalid(path, &s("<value omitted>"), "illegal base64 data"));
                None
            }
        },
        Value::Null => Some(Vec::new()),
        other => {
            e.wrong_type(path, other, "string");
            None
        }
    }
}

pub(super) fn config_map_create(e: &mut Errs, cm: &Value) {
    let data = e.str_map(cm, "", "data").unwrap_or_default();
    let binary = e.opt_obj(cm, "", "binaryData").and_then(Value::as_object);
    let mut total = 0;
    for (k, v) in &data {
        for msg in config_map_key_problems(k) {
            e.push(invalid(&key("data", k), &s(k), &msg));
        }
        if binary.is_some_and(|b| b.contains_key(*k)) {
            e.push(invalid(&key("data", k), &s(k), "duplicate of key present in binaryData"));
        }
        total += v.len();
    }
    for (k, v) in binary.into_iter().flatten() {
        for msg in config_map_key_problems(k) {
            e.push(invalid(&key("binaryData", k), &s(k), &msg));
        }
        total += decoded_len(e, v, &key("binaryData", k)).map_or(0, |b| b.len());
    }
    if total > MAX_DATA_SIZE {
        e.push(too_long("", MAX_DATA_SIZE));
    }
    e.opt_bool(cm, "", "immutable");
}

/// Data of an immutable ConfigMap or Secret may not change, and `immutable` stays set.
fn immutable_data(e: &mut Errs, new: &Value, old: &Value, fields: &[&str]) {
    if old.get("immutable").and_then(Value::as_bool) != Some(true) {
        return;
    }
    if new.get("immutable").and_then(Value::as_bool) != Some(true) {
        e.push(forbidden("immutable", "field is immutable when `immutable` is set"));
    }
    for f in fields {
        if !field_eq(new, old, f) {
            e.push(forbidden(f, "field is immutable when `immutable` is set"));
        }
    }
}

pub(super) fn config_map_update(e: &mut Errs, new: &Value, old: &Value) {
    immutable_data(e, new, old, &["data", "binaryData"]);
    config_map_create(e, new);
}

pub(super) fn secret_create(e: &mut Errs, secret: &Value) {
    let data = e.opt_obj(secret, "", "data").and_then(Value::as_object);
    let mut total = 0;
    let mut decoded: Vec<(&str, Vec<u8>)> = Vec::new();
    for (k, v) in data.into_iter().flatten() {
        for msg in config_map_key_problems(k) {
            e.push(invalid(&key("data", k), &s(k), &msg));
        }
        let bytes = decoded_len(e, v, &key("data", k)).unwrap_or_default();
        total += bytes.len();
        decoded.push((k.as_str(), bytes));
    }
    e.str_map(secret, "", "stringData");
    if total > MAX_DATA_SIZE {
        e.push(too_long("data", MAX_DATA_SIZE));
    }
    let has = |k: &str| decoded.iter().any(|(n, _)| *n == k);
    let value = |k: &str| decoded.iter().find(|(n, _)| *n == k).map(|(_, b)| b.as_slice());
    match e.str(secret, "", "type") {
        "kubernetes.io/service-account-token" => {
            let name = secret
                .get("metadata")
                .and_then(|m| m.get("annotations"))
                .and_then(|a| a.get("kubernetes.io/service-account.name"))
                .and_then(Value::as_str)
                .unwrap_or("");
            if name.is_empty() {
                e.push(required("metadata.annotations[kubernetes.io/service-account.name]", ""));
            }
        }
        "kubernetes.io/dockercfg" | "kubernetes.io/dockerconfigjson" => {
            let k =
                if get_str(secret, "type") == "kubernetes.io/dockercfg" { ".dockercfg" } else { ".dockerconfigjson" };
            match value(k) {
                None => e.push(required(&key("data", k), "")),
                Some(bytes) => {
                    let ok = serde_json::from_slice::<Value>(bytes).map(|v| v.is_object()).unwrap_or(false);
                    if !ok {
                        let err = match serde_json::from_slice::<Value>(bytes) {
                            Ok(_) => "json: cannot unmarshal into Go value of type map[string]interface {}".to_string(),
                            Err(err) => err.to_string(),
                        };
                        e.push(invalid(&key("data", k), &s("<secret contents redacted>"), &err));
                    }
                }
            }
        }
        "kubernetes.io/basic-auth" if !has("username") && !has("password") => {
            e.push(required("data[username]", ""));
            e.push(required("data[password]", ""));
        }
        "kubernetes.io/ssh-auth" if value("ssh-privatekey").is_none_or(<[u8]>::is_empty) => {
            e.push(required("data[ssh-privatekey]", ""));
        }
        "kubernetes.io/tls" => {
            if !has("tls.crt") {
                e.push(required("data[tls.crt]", ""));
            }
            if !has("tls.key") {
                e.push(required("data[tls.key]", ""));
            }
        }
        _ => {}
    }
    e.opt_bool(secret, "", "immutable");
}

pub(super) fn secret_update(e: &mut Errs, new: &Value, old: &Value) {
    if !field_eq(new, old, "type") {
        e.push(invalid("type", new.get("type").unwrap_or(&NULL), "field is immutable"));
    }
    immutable_data(e, new, old, &["data"]);
    secret_create(e, new);
}

const STANDARD_FINALIZERS: &[&str] = &["kubernetes", "orphan", "foregroundDeletion"];

pub(super) fn namespace_create(e: &mut Errs, ns: &Value) {
    let spec = e.obj(ns, "", "spec");
    for f in e.str_list(spec, "spec", "finalizers") {
        check_qualified_name(e, f, "spec.finalizers");
        if !f.contains('/') && !STANDARD_FINALIZERS.contains(&f) {
            e.push(invalid(
                "spec.finalizers",
                &s(f),
                "name is neither a standard finalizer name nor is it fully qualified",
            ));
        }
    }
}

pub(super) fn namespace_update(_e: &mut Errs, _new: &Value, _old: &Value) {}

pub(super) fn namespace_status(e: &mut Errs, new: &Value, _old: &Value) {
    let deleting = new.get("metadata").and_then(|m| m.get("deletionTimestamp")).is_some_and(|v| !v.is_null());
    let status = e.obj(new, "", "status");
    let phase = e.str(status, "status", "phase");
    if !deleting && phase != "Active" {
        e.push(invalid("status.Phase", &s(phase), "may only be 'Active' if `deletionTimestamp` is empty"));
    } else if deleting && phase != "Terminating" {
        e.push(invalid("status.Phase", &s(phase), "may only be 'Terminating' if `deletionTimestamp` is not empty"));
    }
}

fn node_resources(e: &mut Errs, node: &Value) {
    let status = e.obj(node, "", "status");
    for k in ["capacity", "allocatable"] {
        let Some(map) = e.opt_obj(status, "status", k).and_then(Value::as_object) else { continue };
        for (name, v) in map {
            let p = format!("status.{k}.{name}");
            if let Some(q) = read_quantity(e, v, &p) {
                validate_quantity_value(e, name, &q, &p);
            }
        }
    }
}

fn node_common(e: &mut Errs, node: &Value) {
    let spec = e.obj(node, "", "spec");
    super::scheduling::validate_taints(e, spec, "spec", "metadata.taints");
    node_resources(e, node);
}

pub(super) fn node_create(e: &mut Errs, node: &Value) {
    node_common(e, node);
    let spec = node.get("spec").unwrap_or(&NULL);
    let cidrs = e.str_list(spec, "spec", "podCIDRs");
    for (i, c) in cidrs.iter().enumerate() {
        check_cidr(e, c, &index("spec.podCIDRs", i));
    }
    if cidrs.len() > 1 {
        let ips: Vec<&str> = cidrs.iter().map(|c| c.split('/').next().unwrap_or("")).collect();
        if !is_dual_stack(&ips) || cidrs.len() > 2 {
            e.push(invalid_rendered(
                "spec.podCIDRs",
                &super::access::go_strings(spec.get("podCIDRs")),
                "may specify no more than one CIDR for each IP family",
            ));
        }
        for i in 1..cidrs.len() {
            if cidrs[..i].contains(&cidrs[i]) {
                e.push(duplicate(&index("spec.podCIDRs", i), &s(cidrs[i])));
            }
        }
    }
}

pub(super) fn node_update(e: &mut Errs, new: &Value, old: &Value) {
    node_common(e, new);
    let status = new.get("status").unwrap_or(&NULL);
    let mut seen = HashSet::new();
    for (i, a) in status.get("addresses").and_then(Value::as_array).into_iter().flatten().enumerate() {
        let pair = (get_str(a, "type").to_string(), get_str(a, "address").to_string());
        if !seen.insert(pair.clone()) {
            let rendered = format!(
                "core.NodeAddress{{Type:{}, Address:{}}}",
                crate::gofmt::go_quote(&pair.0),
                crate::gofmt::go_quote(&pair.1)
            );
            e.push(duplicate_rendered(&index("status.addresses", i), &rendered));
        }
    }
    let spec = new.get("spec").unwrap_or(&NULL);
    let old_spec = old.get("spec").unwrap_or(&NULL);
    let old_cidrs = old_spec.get("podCIDRs").and_then(Value::as_array);
    if old_cidrs.is_some_and(|c| !c.is_empty()) {
        let new_cidrs = spec.get("podCIDRs").and_then(Value::as_array);
        let same_len = old_cidrs.map(Vec::len) == new_cidrs.map(Vec::len);
        let msg = "node updates may not change podCIDR except from \"\" to valid";
        if !same_len {
            e.push(forbidden("spec.podCIDRs", msg));
        } else {
            for (o, n) in old_cidrs.into_iter().flatten().zip(new_cidrs.into_iter().flatten()) {
                if o != n {
                    e.push(forbidden("spec.podCIDRs", msg));
                }
            }
        }
    }
    let old_provider = get_str(old_spec, "providerID");
    if !old_provider.is_empty() && old_provider != get_str(spec, "providerID") {
        e.push(forbidden("spec.providerID", "node updates may not change providerID except from \"\" to valid"));
    }
    if !field_eq(spec, old_spec, "externalID") {
        e.push(forbidden("spec.externalID", "may not be updated"));
    }
}

pub(super) fn endpoints_create(e: &mut Errs, ep: &Value) {
    for (sp, subset) in e.items(ep, "", "subsets") {
        let addrs = e.items(subset, &sp, "addresses");
        let not_ready = e.items(subset, &sp, "notReadyAddresses");
        if addrs.is_empty() && not_ready.is_empty() {
            e.push(required(&sp, "must specify `addresses` or `notReadyAddresses`"));
        }
        for (ap, addr) in addrs.iter().chain(not_ready.iter()) {
            let ip = e.str(addr, ap, "ip");
            check_ip(e, ip, &child(ap, "ip"));
            if let Some(h) = e.opt_str(addr, ap, "hostname").filter(|h| !h.is_empty()) {
                check_dns_label(e, h, &child(ap, "hostname"));
            }
            if let Some(n) = e.opt_str(addr, ap, "nodeName") {
                check_name(e, NameRule::Dns1123Subdomain, n, &child(ap, "nodeName"));
            }
            check_non_special_ip(e, ip, &child(ap, "ip"));
        }
        let ports = e.items(subset, &sp, "ports");
        let multi = ports.len() > 1;
        for (pp, port) in &ports {
            let name = e.str(port, pp, "name");
            if multi && name.is_empty() {
                e.push(required(&child(pp, "name"), ""));
            } else if !name.is_empty() {
                check_dns_label(e, name, &child(pp, "name"));
            }
            let number = e.int(port, pp, "port");
            if let Some(msg) = port_num_problem(number) {
                e.push(invalid(&child(pp, "port"), &Value::from(number), &msg));
            }
            let protocol = e.str(port, pp, "protocol");
            if protocol.is_empty() {
                e.push(required(&child(pp, "protocol"), ""));
            } else if !matches!(protocol, "TCP" | "UDP" | "SCTP") {
                e.push(not_supported(&child(pp, "protocol"), &s(protocol), &["SCTP", "TCP", "UDP"]));
            }
            if let Some(app) = e.opt_str(port, pp, "appProtocol") {
                check_qualified_name(e, app, &child(pp, "appProtocol"));
            }
        }
    }
}

pub(super) fn endpoints_update(e: &mut Errs, new: &Value, _old: &Value) {
    endpoints_create(e, new);
}

fn limit_range_resource_name(e: &mut Errs, ty: &str, name: &str, path: &str) {
    if ty == "Pod" || ty == "Container" {
        validate_container_resource_name(e, name, path);
    } else {
        validate_resource_name(e, name, path);
    }
}

pub(super) fn limit_range_create(e: &mut Errs, lr: &Value) {
    let spec = e.obj(lr, "", "spec");
    let mut types = HashSet::new();
    for (p, limit) in e.items(spec, "spec", "limits") {
        let ty = e.str(limit, &p, "type");
        let tp = child(&p, "type");
        let before = e.len();
        check_qualified_name(e, ty, &tp);
        if e.len() == before && !ty.contains('/') && !matches!(ty, "Pod" | "Container" | "PersistentVolumeClaim") {
            e.push(invalid(&tp, &s(ty), "must be a standard limit type or fully qualified"));
        }
        if !types.insert(ty.to_string()) {
            e.push(duplicate(&tp, &s(ty)));
        }
        let read = |e: &mut Errs, k: &str| -> Vec<(String, Option<Quantity>)> {
            let field = child(&p, k);
            let Some(map) = e.opt_obj(limit, &p, k).and_then(Value::as_object) else { return Vec::new() };
            map.iter()
                .map(|(name, v)| {
                    let rp = key(&field, name);
                    limit_range_resource_name(e, ty, name, &rp);
                    (name.clone(), read_quantity(e, v, &rp))
                })
                .collect()
        };
        let max = read(e, "max");
        let min = read(e, "min");
        let (mut defaults, mut default_requests) = (Vec::new(), Vec::new());
        if ty == "Pod" {
            if limit.get("default").and_then(Value::as_object).is_some_and(|m| !m.is_empty()) {
                e.push(forbidden(&child(&p, "default"), "may not be specified when `type` is 'Pod'"));
            }
            if limit.get("defaultRequest").and_then(Value::as_object).is_some_and(|m| !m.is_empty()) {
                e.push(forbidden(&child(&p, "defaultRequest"), "may not be specified when `type` is 'Pod'"));
            }
        } else {
            defaults = read(e, "default");
            default_requests = read(e, "defaultRequest");
        }
        if ty == "PersistentVolumeClaim"
            && !min.iter().any(|(n, _)| n == "storage")
            && !max.iter().any(|(n, _)| n == "storage")
        {
            e.push(required(
                &child(&p, "limits"),
                "either minimum or maximum storage value is required, but neither was provided",
            ));
        }
        let ratios = read(e, "maxLimitRequestRatio");
        let mut keys: Vec<&String> = Vec::new();
        for (n, _) in max.iter().chain(&min).chain(&defaults).chain(&default_requests).chain(&ratios) {
            if !keys.contains(&n) {
                keys.push(n);
            }
        }
        fn find<'a>(list: &'a [(String, Option<Quantity>)], k: &str) -> Option<&'a Quantity> {
            list.iter().find(|(n, _)| n == k).and_then(|(_, q)| q.as_ref())
        }
        for k in keys {
            let (mn, mx, df, dr, ratio) =
                (find(&min, k), find(&max, k), find(&defaults, k), find(&default_requests, k), find(&ratios, k));
            let c = |q: &Quantity| q.to_string();
            if let (Some(a), Some(b)) = (mn, mx) {
                if a > b {
                    e.push(invalid(
                        &key(&child(&p, "min"), k),
                        &s(&c(a)),
                        &format!("min value {} is greater than max value {}", c(a), c(b)),
                    ));
                }
            }
            if let (Some(r), Some(a)) = (dr, mn) {
                if a > r {
                    e.push(invalid(
                        &key(&child(&p, "defaultRequest"), k),
                        &s(&c(r)),
                        &format!("min value {} is greater than default request value {}", c(a), c(r)),
                    ));
                }
            }
            if let (Some(r), Some(b)) = (dr, mx) {
                if r > b {
                    e.push(invalid(
                        &key(&child(&p, "defaultRequest"), k),
                        &s(&c(r)),
                        &format!("default request value {} is greater than max value {}", c(r), c(b)),
                    ));
                }
            }
            if let (Some(r), Some(d)) = (dr, df) {
                if r > d {
                    e.push(invalid(
                        &key(&child(&p, "defaultRequest"), k),
                        &s(&c(r)),
                        &format!("default request value {} is greater than default limit value {}", c(r), c(d)),
                    ));
                }
            }
            if let (Some(d), Some(a)) = (df, mn) {
                if a > d {
                    e.push(invalid(
                        &key(&child(&p, "default"), k),
                        &s(&c(a)),
                        &format!("min value {} is greater than default value {}", c(a), c(d)),
                    ));
                }
            }
            if let (Some(d), Some(b)) = (df, mx) {
                if d > b {
                    e.push(invalid(
                        &key(&child(&p, "default"), k),
                        &s(&c(b)),
                        &format!("default value {} is greater than max value {}", c(d), c(b)),
                    ));
                }
            }
            if let Some(r) = ratio {
                if *r < Quantity::from_int(1) {
                    e.push(invalid(
                        &key(&child(&p, "maxLimitRequestRatio"), k),
                        &s(&c(r)),
                        &format!("ratio {} is less than 1", c(r)),
                    ));
                }
                if let (Some(a), Some(b)) = (mn, mx) {
                    let limit = b.nanos_f64() / a.nanos_f64();
                    if (r.nanos_f64() / 1e9) > limit {
                        e.push(invalid(
                            &key(&child(&p, "maxLimitRequestRatio"), k),
                            &s(&c(r)),
                            &format!("ratio {} is greater than max/min = {limit:.6}", c(r)),
                        ));
                    }
                }
            }
            let overcommit = super::resources::is_native_resource(k) && !super::resources::is_hugepages(k);
            if let (false, Some(d), Some(r)) = (overcommit, df, dr) {
                if d != r {
                    e.push(invalid(
                        &key(&child(&p, "defaultRequest"), k),
                        &s(&c(r)),
                        &format!("default value {} must equal to defaultRequest value {} in {k}", c(d), c(r)),
                    ));
                }
            }
        }
    }
}

pub(super) fn limit_range_update(e: &mut Errs, new: &Value, _old: &Value) {
    limit_range_create(e, new);
}

const QUOTA_RESOURCES: &[&str] = &[
    "cpu",
    "memory",
    "ephemeral-storage",
    "requests.cpu",
    "requests.memory",
    "requests.storage",
    "requests.ephemeral-storage",
    "limits.cpu",
    "limits.memory",
    "limits.ephemeral-storage",
    "pods",
    "resourcequotas",
    "services",
    "replicationcontrollers",
    "secrets",
    "persistentvolumeclaims",
    "configmaps",
    "services.nodeports",
    "services.loadbalancers",
];
const QUOTA_SCOPES: &[&str] = &[
    "Terminating",
    "NotTerminating",
    "BestEffort",
    "NotBestEffort",
    "PriorityClass",
    "CrossNamespacePodAffinity",
    "VolumeAttributesClass",
];

fn quota_resource_list(e: &mut Errs, parent: &Value, path: &str, k: &str) {
    let field = child(path, k);
    let Some(map) = e.opt_obj(parent, path, k).and_then(Value::as_object) else { return };
    for (name, v) in map {
        let rp = key(&field, name);
        validate_resource_name(e, name, &rp);
        if !name.contains('/')
            && !QUOTA_RESOURCES.contains(&name.as_str())
            && !name.starts_with("hugepages-")
            && !name.starts_with("requests.hugepages-")
        {
            e.push(invalid(&rp, &s(name), "must be a standard resource for quota"));
        }
        if let Some(q) = read_quantity(e, v, &rp) {
            validate_quantity_value(e, name, &q, &rp);
        }
    }
}

fn scope_valid_for(scope: &str, resource: &str) -> bool {
    const COMPUTE: &[&str] =
        &["pods", "cpu", "memory", "limits.cpu", "limits.memory", "requests.cpu", "requests.memory"];
    match scope {
        "Terminating" | "NotTerminating" | "NotBestEffort" | "PriorityClass" => COMPUTE.contains(&resource),
        "BestEffort" => resource == "pods",
        _ => true,
    }
}

fn quota_spec(e: &mut Errs, rq: &Value) {
    let spec = e.obj(rq, "", "spec");
    quota_resource_list(e, spec, "spec", "hard");
    let hard: Vec<String> =
        spec.get("hard").and_then(Value::as_object).map(|m| m.keys().cloned().collect()).unwrap_or_default();
    let scopes = e.str_list(spec, "spec", "scopes");
    let rendered = super::access::go_strings(spec.get("scopes")).replace("[]string", "[]core.ResourceQuotaScope");
    for scope in &scopes {
        if !QUOTA_SCOPES.contains(scope) {
            e.push(invalid_rendered("spec.scopes", &rendered, "unsupported scope"));
        }
        for h in &hard {
            if QUOTA_RESOURCES.contains(&h.as_str()) && !scope_valid_for(scope, h) {
                e.push(invalid_rendered("spec.scopes", &rendered, "unsupported scope applied to resource"));
            }
        }
    }
    let conflict = |a: &str, b: &str| scopes.contains(&a) && scopes.contains(&b);
    for (a, b) in [("BestEffort", "NotBestEffort"), ("Terminating", "NotTerminating")] {
        if conflict(a, b) {
            e.push(invalid_rendered("spec.scopes", &rendered, "conflicting scopes"));
        }
    }
    if let Some(sel) = e.opt_obj(spec, "spec", "scopeSelector") {
        let mp = "spec.scopeSelector.matchExpressions";
        let mut names = Vec::new();
        for (p, req) in e.items(sel, "spec.scopeSelector", "matchExpressions") {
            let scope = e.str(req, &p, "scopeName");
            let op = e.str(req, &p, "operator");
            let values = e.str_list(req, &p, "values");
            if !QUOTA_SCOPES.contains(&scope) {
                e.push(invalid(&format!("{mp}.scopeName"), &s(scope), "unsupported scope"));
            }
            if matches!(
                scope,
                "BestEffort" | "NotBestEffort" | "Terminating" | "NotTerminating" | "CrossNamespacePodAffinity"
            ) && op != "Exists"
            {
                e.push(invalid(&format!("{mp}.operator"), &s(op), "must be 'Exists' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity"));
            }
            match op {
                "In" | "NotIn" => {
                    if values.is_empty() {
                        e.push(required(
                            &format!("{mp}.values"),
                            "must be at least one value when `operator` is 'In' or 'NotIn' for scope selector",
                        ));
                    }
                }
                "Exists" | "DoesNotExist" => {
                    if !values.is_empty() {
                        e.push(invalid_rendered(
                            &format!("{mp}.values"),
                            &super::access::go_strings(req.get("values")),
                            "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector",
                        ));
                    }
                }
                other => e.push(invalid(&format!("{mp}.operator"), &s(other), "not a valid selector operator")),
            }
            names.push(scope);
        }
        for (a, b) in [("BestEffort", "NotBestEffort"), ("Terminating", "NotTerminating")] {
            if names.contains(&a) && names.contains(&b) {
                e.push(invalid_rendered(mp, &rendered, "conflicting scopes"));
            }
        }
    }
}

fn quota_status(e: &mut Errs, rq: &Value) {
    let status = e.obj(rq, "", "status");
    quota_resource_list(e, status, "status", "hard");
    quota_resource_list(e, status, "status", "used");
}

pub(super) fn resource_quota_create(e: &mut Errs, rq: &Value) {
    quota_spec(e, rq);
    quota_status(e, rq);
}

pub(super) fn resource_quota_update(e: &mut Errs, new: &Value, old: &Value) {
    quota_spec(e, new);
    let scopes = |v: &Value| -> HashSet<String> {
        v.get("spec")
            .and_then(|s| s.get("scopes"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect()
    };
    if scopes(new) != scopes(old) {
        let spec = new.get("spec").unwrap_or(&NULL);
        let rendered = super::access::go_strings(spec.get("scopes")).replace("[]string", "[]core.ResourceQuotaScope");
        e.push(invalid_rendered("spec.scopes", &rendered, "field is immutable"));
    }
}

pub(super) fn resource_quota_status(e: &mut Errs, new: &Value, _old: &Value) {
    quota_status(e, new);
}

/// `legacyValidateEvent` (core/v1 requests; the storage version of every event).
pub(super) fn event_create(e: &mut Errs, ev: &Value) {
    let meta = ev.get("metadata").unwrap_or(&NULL);
    let namespace = get_str(meta, "namespace");
    let involved = e.obj(ev, "", "involvedObject");
    let involved_ns = e.str(involved, "involvedObject", "namespace");
    for k in ["kind", "name", "uid", "apiVersion", "resourceVersion", "fieldPath"] {
        e.opt_str(involved, "involvedObject", k);
    }
    for k in ["type", "reason", "message", "reportingComponent", "reportingInstance", "action"] {
        e.opt_str(ev, "", k);
    }
    e.opt_int(ev, "", "count");
    let event_time = ev.get("eventTime").is_some_and(|v| !super::access::is_empty_value(v));
    let mismatch = || invalid("involvedObject.namespace", &s(involved_ns), "does not match event.namespace");
    if !event_time {
        if involved_ns.is_empty() {
            if !namespace.is_empty() && namespace != "default" {
                e.push(mismatch());
            }
        } else if namespace != involved_ns {
            e.push(mismatch());
        }
    } else {
        if involved_ns.is_empty() && namespace != "default" && namespace != "kube-system" {
            e.push(mismatch());
        }
        let controller = e.str(ev, "", "reportingComponent");
        if controller.is_empty() {
            e.push(required("reportingComponent", ""));
        }
        check_qualified_name(e, controller, "reportingComponent");
        let instance = e.str(ev, "", "reportingInstance");
        if instance.is_empty() {
            e.push(required("reportingInstance", ""));
        }
        if instance.len() > 128 {
            e.push(invalid("reportingInstance", &s(""), "can have at most 128 characters"));
        }
        let action = e.str(ev, "", "action");
        if action.is_empty() {
            e.push(required("action", ""));
        }
        if action.len() > 128 {
            e.push(invalid("action", &s(""), "can have at most 128 characters"));
        }
        let reason = e.str(ev, "", "reason");
        if reason.is_empty() {
            e.push(required("reason", ""));
        }
        if reason.len() > 128 {
            e.push(invalid("reason", &s(""), "can have at most 128 characters"));
        }
        if e.str(ev, "", "message").len() > 1024 {
            e.push(invalid("message", &s(""), "can have at most 1024 characters"));
        }
    }
    for msg in crate::validation::names::name_problems(NameRule::Dns1123Subdomain, namespace) {
        e.push(invalid("namespace", &s(namespace), &msg));
    }
}

pub(super) fn event_update(e: &mut Errs, new: &Value, _old: &Value) {
    event_create(e, new);
}

pub(super) fn service_account_create(e: &mut Errs, sa: &Value) {
    for (p, secret) in e.items(sa, "", "secrets") {
        e.str(secret, &p, "name");
    }
    for (p, secret) in e.items(sa, "", "imagePullSecrets") {
        e.str(secret, &p, "name");
    }
    e.opt_bool(sa, "", "automountServiceAccountToken");
}

pub(super) fn service_account_update(e: &mut Errs, new: &Value, _old: &Value) {
    service_account_create(e, new);
}

/// `ValidatePodBinding`.
pub(super) fn binding_create(e: &mut Errs, b: &Value) {
    let target = e.obj(b, "", "target");
    let kind = e.str(target, "target", "kind");
    if !kind.is_empty() && kind != "Node" {
        e.push(not_supported("target.kind", &s(kind), &["Node", "<empty>"]));
    }
    if e.str(target, "target", "name").is_empty() {
        e.push(required("target.name", ""));
    }
}
