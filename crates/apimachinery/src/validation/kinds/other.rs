//! HorizontalPodAutoscaler (autoscaling/v2), PodDisruptionBudget, PriorityClass, Lease,
//! StorageClass, CSIDriver, CSINode, VolumeAttachment, CertificateSigningRequest and the
//! admission webhook configurations.

use std::collections::HashSet;

use serde_json::Value;

use super::access::{child, field_eq, get_int, get_str, index, render_json, Errs, NULL};
use super::containers::port_num_problem;
use super::meta::{check_dns_label, check_name, check_qualified_name, validate_label_selector, STRICT};
use super::resources::{read_quantity, validate_container_resource_name};
use super::workloads::{int_or_percent, nonnegative};
use crate::gofmt::go_quote;
use crate::validation::errors::{duplicate, forbidden, invalid, invalid_rendered, not_supported, required, too_long};
use crate::validation::names::{name_problems, NameRule};

fn s(v: &str) -> Value {
    Value::String(v.to_string())
}

fn validate_cross_ref(e: &mut Errs, r: &Value, path: &str) {
    for k in ["kind", "name"] {
        let v = e.str(r, path, k);
        if v.is_empty() {
            e.push(required(&child(path, k), ""));
        } else {
            check_name(e, NameRule::PathSegment, v, &child(path, k));
        }
    }
    e.str(r, path, "apiVersion");
}

fn validate_metric_target(e: &mut Errs, src: &Value, path: &str) -> (bool, bool, bool) {
    let tp = child(path, "target");
    let t = e.obj(src, path, "target");
    let ty = e.str(t, &tp, "type");
    if ty.is_empty() {
        e.push(required(&child(&tp, "type"), "must specify a metric target type"));
    }
    if !matches!(ty, "Utilization" | "Value" | "AverageValue") {
        e.push(invalid(&child(&tp, "type"), &s(ty), "must be either Utilization, Value, or AverageValue"));
    }
    let mut present = [false; 2];
    for (i, k) in ["value", "averageValue"].iter().enumerate() {
        if let Some(v) = t.get(*k).filter(|v| !v.is_null()) {
            present[i] = true;
            if let Some(q) = read_quantity(e, v, &child(&tp, k)) {
                if q.sign() != 1 {
                    e.push(invalid(&child(&tp, k), &s(&q.to_string()), "must be positive"));
                }
            }
        }
    }
    let util = e.opt_int(t, &tp, "averageUtilization");
    if let Some(u) = util.filter(|u| *u < 1) {
        e.push(invalid(&child(&tp, "averageUtilization"), &Value::from(u), "must be greater than 0"));
    }
    (present[0], present[1], util.is_some())
}

fn validate_metric_identifier(e: &mut Errs, src: &Value, path: &str) {
    let mp = child(path, "metric");
    let m = e.obj(src, path, "metric");
    let name = e.str(m, &mp, "name");
    if name.is_empty() {
        e.push(required(&child(&mp, "name"), "must specify a metric name"));
    } else {
        check_name(e, NameRule::PathSegment, name, &child(&mp, "name"));
    }
    validate_label_selector(e, m, &mp, "selector", STRICT);
}

const METRIC_TYPES: &[&str] = &["ContainerResource", "External", "Object", "Pods", "Resource"];
const METRIC_FIELDS: &[(&str, &str)] = &[
    ("Object", "object"),
    ("External", "external"),
    ("Pods", "pods"),
    ("Resource", "resource"),
    ("ContainerResource", "containerResource"),
];

fn validate_metric(e: &mut Errs, m: &Value, p: &str) {
    let ty = e.str(m, p, "type");
    if ty.is_empty() {
        e.push(required(&child(p, "type"), "must specify a metric source type"));
    }
    if !METRIC_TYPES.contains(&ty) {
        e.push(not_supported(&child(p, "type"), &s(ty), METRIC_TYPES));
    }
    let mut present: Vec<&str> = Vec::new();
    for (_, field) in METRIC_FIELDS {
        let Some(src) = e.opt_obj(m, p, field) else { continue };
        present.push(field);
        if present.len() > 1 {
            continue;
        }
        let sp = child(p, field);
        match *field {
            "object" => {
                let dp = child(&sp, "describedObject");
                let described = e.obj(src, &sp, "describedObject");
                validate_cross_ref(e, described, &dp);
                validate_metric_identifier(e, src, &sp);
                let (value, avg, _) = validate_metric_target(e, src, &sp);
                if !value && !avg {
                    e.push(required(
                        &format!("{sp}.target.averageValue"),
                        "must set either a target value or averageValue",
                    ));
                }
            }
            "external" => {
                validate_metric_identifier(e, src, &sp);
                let (value, avg, _) = validate_metric_target(e, src, &sp);
                if !value && !avg {
                    e.push(required(
                        &format!("{sp}.target.averageValue"),
                        "must set either a target value for metric or a per-pod target",
                    ));
                }
                if value && avg {
                    e.push(forbidden(
                        &format!("{sp}.target.value"),
                        "may not set both a target value for metric and a per-pod target",
                    ));
                }
            }
            "pods" => {
                validate_metric_identifier(e, src, &sp);
                let (_, avg, _) = validate_metric_target(e, src, &sp);
                if !avg {
                    e.push(required(
                        &format!("{sp}.target.averageValue"),
                        "must specify a positive target averageValue",
                    ));
                }
            }
            _ => {
                let name = e.str(src, &sp, "name");
                if name.is_empty() {
                    e.push(required(&child(&sp, "name"), "must specify a resource name"));
                } else if *field == "containerResource" {
                    validate_container_resource_name(e, name, &child(&sp, "name"));
                }
                if *field == "containerResource" {
                    let c = e.str(src, &sp, "container");
                    if c.is_empty() {
                        e.push(required(&child(&sp, "container"), "must specify a container"));
                    } else {
                        check_dns_label(e, c, &child(&sp, "container"));
                    }
                }
                let (_, avg, util) = validate_metric_target(e, src, &sp);
                if !util && !avg {
                    e.push(required(
                        &format!("{sp}.target.averageUtilization"),
                        "must set either a target raw value or a target utilization",
                    ));
                }
                if util && avg {
                    e.push(forbidden(
                        &format!("{sp}.target.averageValue"),
                        "may not set both a target raw value and a target utilization",
                    ));
                }
            }
        }
    }
    let expected = METRIC_FIELDS.iter().find(|(t, _)| *t == ty).map(|(_, f)| *f);
    match expected {
        Some(f) => {
            if !present.contains(&f) {
                e.push(required(&child(p, f), "must populate information for the given metric source"));
            }
        }
        None => e.push(not_supported(&child(p, "type"), &s(ty), METRIC_TYPES)),
    }
    if present.len() != 1 {
        for f in present.iter().filter(|f| Some(**f) != expected) {
            e.push(forbidden(&child(p, f), "must populate the given metric source only"));
        }
    }
}

fn validate_hpa_spec(e: &mut Errs, hpa: &Value, min_bound: i64) {
    let spec = e.obj(hpa, "", "spec");
    let min = e.opt_int(spec, "spec", "minReplicas");
    let max = e.int(spec, "spec", "maxReplicas");
    if let Some(m) = min.filter(|m| *m < min_bound) {
        e.push(invalid("spec.minReplicas", &Value::from(m), &format!("must be greater than or equal to {min_bound}")));
    }
    if max < 1 {
        e.push(invalid("spec.maxReplicas", &Value::from(max), "must be greater than 0"));
    }
    if min.is_some_and(|m| max < m) {
        e.push(invalid("spec.maxReplicas", &Value::from(max), "must be greater than or equal to `minReplicas`"));
    }
    let target = e.obj(spec, "spec", "scaleTargetRef");
    validate_cross_ref(e, target, "spec.scaleTargetRef");
    let mut scale_to_zero_ok = false;
    for (p, m) in e.items(spec, "spec", "metrics") {
        validate_metric(e, m, &p);
        scale_to_zero_ok |= matches!(get_str(m, "type"), "Object" | "External");
    }
    if min == Some(0) && !scale_to_zero_ok {
        e.push(forbidden(
            "spec.metrics",
            "must specify at least one Object or External metric to support scaling to zero replicas",
        ));
    }
    if let Some(behavior) = e.opt_obj(spec, "spec", "behavior") {
        for k in ["scaleUp", "scaleDown"] {
            let Some(rules) = e.opt_obj(behavior, "spec.behavior", k) else { continue };
            let rp = format!("spec.behavior.{k}");
            if let Some(w) = e.opt_int(rules, &rp, "stabilizationWindowSeconds") {
                if w < 0 {
                    e.push(invalid(
                        &child(&rp, "stabilizationWindowSeconds"),
                        &Value::from(w),
                        "must be greater than or equal to zero",
                    ));
                }
                if w > 3600 {
                    e.push(invalid(
                        &child(&rp, "stabilizationWindowSeconds"),
                        &Value::from(w),
                        "must be less than or equal to 3600",
                    ));
                }
            }
            if let Some(sp) = e.opt_str(rules, &rp, "selectPolicy") {
                if !matches!(sp, "Max" | "Min" | "Disabled") {
                    e.push(not_supported(&child(&rp, "selectPolicy"), &s(sp), &["Disabled", "Max", "Min"]));
                }
            }
            let policies = e.items(rules, &rp, "policies");
            if policies.is_empty() {
                e.push(required(&child(&rp, "policies"), "must specify at least one Policy"));
            }
            for (pp, policy) in policies {
                let ty = e.str(policy, &pp, "type");
                if ty != "Pods" && ty != "Percent" {
                    e.push(not_supported(&child(&pp, "type"), &s(ty), &["Percent", "Pods"]));
                }
                let value = e.int(policy, &pp, "value");
                if value <= 0 {
                    e.push(invalid(&child(&pp, "value"), &Value::from(value), "must be greater than zero"));
                }
                let period = e.int(policy, &pp, "periodSeconds");
                if period <= 0 {
                    e.push(invalid(&child(&pp, "periodSeconds"), &Value::from(period), "must be greater than zero"));
                }
                if period > 1800 {
                    e.push(invalid(
                        &child(&pp, "periodSeconds"),
                        &Value::from(period),
                        "must be less than or equal to 1800",
                    ));
                }
            }
        }
    }
}

pub(super) fn hpa_create(e: &mut Errs, hpa: &Value) {
    validate_hpa_spec(e, hpa, 1);
}

pub(super) fn hpa_update(e: &mut Errs, new: &Value, old: &Value) {
    let old_min = old.get("spec").and_then(|s| get_int(s, "minReplicas"));
    validate_hpa_spec(e, new, if old_min == Some(0) { 0 } else { 1 });
}

pub(super) fn hpa_status(e: &mut Errs, new: &Value, _old: &Value) {
    let status = e.obj(new, "", "status");
    nonnegative(e, status, "status", "currentReplicas");
    nonnegative(e, status, "status", "desiredReplicas");
}

fn validate_pdb_spec(e: &mut Errs, pdb: &Value) {
    let spec = e.obj(pdb, "", "spec");
    let min = spec.get("minAvailable").filter(|v| !v.is_null());
    let max = spec.get("maxUnavailable").filter(|v| !v.is_null());
    if min.is_some() && max.is_some() {
        e.push(invalid_rendered("spec", &render_json(spec), "minAvailable and maxUnavailable cannot be both set"));
    }
    int_or_percent(e, spec, "spec", "minAvailable", true);
    int_or_percent(e, spec, "spec", "maxUnavailable", true);
    validate_label_selector(e, spec, "spec", "selector", STRICT);
    if let Some(policy) = e.opt_str(spec, "spec", "unhealthyPodEvictionPolicy") {
        if policy != "AlwaysAllow" && policy != "IfHealthyBudget" {
            e.push(not_supported("spec.unhealthyPodEvictionPolicy", &s(policy), &["AlwaysAllow", "IfHealthyBudget"]));
        }
    }
}

pub(super) fn pdb_create(e: &mut Errs, pdb: &Value) {
    validate_pdb_spec(e, pdb);
}

pub(super) fn pdb_update(e: &mut Errs, new: &Value, _old: &Value) {
    validate_pdb_spec(e, new);
}

pub(super) fn pdb_status(e: &mut Errs, new: &Value, _old: &Value) {
    let status = e.obj(new, "", "status");
    let mut types = HashSet::new();
    for (p, cond) in e.items(status, "status", "conditions") {
        let ty = e.str(cond, &p, "type");
        if !types.insert(ty.to_string()) {
            e.push(duplicate(&child(&p, "type"), &s(ty)));
        }
        check_qualified_name(e, ty, &child(&p, "type"));
        let st = e.str(cond, &p, "status");
        if !matches!(st, "True" | "False" | "Unknown") {
            e.push(not_supported(&child(&p, "status"), &s(st), &["False", "True", "Unknown"]));
        }
        if e.str(cond, &p, "lastTransitionTime").is_empty() {
            e.push(required(&child(&p, "lastTransitionTime"), "must be set"));
        }
        if e.str(cond, &p, "reason").is_empty() {
            e.push(required(&child(&p, "reason"), "must be set"));
        }
    }
    for k in ["disruptionsAllowed", "currentHealthy", "desiredHealthy", "expectedPods"] {
        nonnegative(e, status, "status", k);
    }
}

const SYSTEM_PRIORITY_CLASSES: &[(&str, i64)] =
    &[("system-node-critical", 2_000_001_000), ("system-cluster-critical", 2_000_000_000)];

pub(super) fn priority_class_create(e: &mut Errs, pc: &Value) {
    let name = get_str(pc.get("metadata").unwrap_or(&NULL), "name");
    let value = e.int(pc, "", "value");
    let global = e.bool(pc, "", "globalDefault");
    if name.starts_with("system-") {
        let err = match SYSTEM_PRIORITY_CLASSES.iter().find(|(n, _)| *n == name) {
            None => Some(format!("{name} is not a known system priority class")),
            Some((n, v)) if *v != value => Some(format!("value of {n} PriorityClass must be {v}")),
            Some((n, _)) if global => Some(format!("globalDefault of {n} PriorityClass must be false")),
            Some(_) => None,
        };
        if let Some(err) = err {
            e.push(forbidden(
                "metadata.name",
                &format!("priority class names with 'system-' prefix are reserved for system use only. error: {err}"),
            ));
        }
    } else if value > 1_000_000_000 {
        e.push(forbidden("value", "maximum allowed value of a user defined priority is 1000000000"));
    }
    if let Some(policy) = e.opt_str(pc, "", "preemptionPolicy") {
        match policy {
            "PreemptLowerPriority" | "Never" => {}
            "" => e.push(required("preemptionPolicy", "")),
            other => e.push(not_supported("preemptionPolicy", &s(other), &["PreemptLowerPriority", "Never"])),
        }
    }
    e.str(pc, "", "description");
}

pub(super) fn priority_class_update(e: &mut Errs, new: &Value, old: &Value) {
    if get_int(new, "value") != get_int(old, "value") {
        e.push(forbidden("value", "may not be changed in an update."));
    }
    if !field_eq(new, old, "preemptionPolicy") {
        e.push(invalid("preemptionPolicy", new.get("preemptionPolicy").unwrap_or(&NULL), "field is immutable"));
    }
}

pub(super) fn lease_create(e: &mut Errs, lease: &Value) {
    let spec = e.obj(lease, "", "spec");
    if let Some(d) = e.opt_int(spec, "spec", "leaseDurationSeconds").filter(|d| *d <= 0) {
        e.push(invalid("spec.leaseDurationSeconds", &Value::from(d), "must be greater than 0"));
    }
    if let Some(t) = e.opt_int(spec, "spec", "leaseTransitions").filter(|t| *t < 0) {
        e.push(invalid("spec.leaseTransitions", &Value::from(t), "must be greater than or equal to 0"));
    }
    e.opt_str(spec, "spec", "holderIdentity");
    e.opt_str(spec, "spec", "acquireTime");
    e.opt_str(spec, "spec", "renewTime");
    let strategy = e.opt_str(spec, "spec", "strategy");
    if let Some(st) = strategy {
        if st != "OldestEmulationVersion" {
            e.push(not_supported("spec.strategy", &s(st), &["OldestEmulationVersion"]));
        }
    }
    let preferred = e.opt_str(spec, "spec", "preferredHolder");
    if preferred.is_some_and(|p| !p.is_empty()) && strategy.is_none_or(str::is_empty) {
        e.push(forbidden("spec.preferredHolder", "may only be specified if `strategy` is defined"));
    }
}

pub(super) fn lease_update(e: &mut Errs, new: &Value, _old: &Value) {
    lease_create(e, new);
}

const KEY_USAGES: &[&str] = &[
    "any",
    "cert sign",
    "client auth",
    "code signing",
    "content commitment",
    "crl sign",
    "data encipherment",
    "decipher only",
    "digital signature",
    "email protection",
    "encipher only",
    "ipsec end system",
    "ipsec tunnel",
    "ipsec user",
    "key agreement",
    "key encipherment",
    "microsoft sgc",
    "netscape sgc",
    "ocsp signing",
    "s/mime",
    "server auth",
    "signing",
    "timestamping",
];

/// `ValidateSignerName`.
fn validate_signer_name(e: &mut Errs, name: &str, path: &str) {
    if name.is_empty() {
        e.push(required(path, ""));
        return;
    }
    let Some((domain, rest)) = name.split_once('/').filter(|(_, r)| !r.contains('/')) else {
        e.push(invalid(
            path,
            &s(name),
            "must be a fully qualified domain and path of the form 'example.com/signer-name'",
        ));
        return;
    };
    if domain.len() > 253 {
        e.push(too_long(path, 253));
    }
    let labels: Vec<&str> = domain.split('.').collect();
    for l in &labels {
        let errs = name_problems(NameRule::Dns1123Label, l);
        if !errs.is_empty() {
            for err in errs {
                e.push(invalid(path, &s(domain), &format!("validating label {}: {err}", go_quote(l))));
            }
            break;
        }
    }
    if labels.len() < 2 {
        e.push(invalid(path, &s(domain), "should be a domain with at least two segments separated by dots"));
    }
    for l in rest.split('.') {
        let errs = name_problems(NameRule::Dns1123Subdomain, l);
        if !errs.is_empty() {
            for err in errs {
                e.push(invalid(path, &s(rest), &format!("validating component {}: {err}", go_quote(l))));
            }
            break;
        }
    }
}

pub(super) fn csr_create(e: &mut Errs, csr: &Value) {
    let spec = e.obj(csr, "", "spec");
    let request = e.str(spec, "spec", "request");
    let decoded = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, request).unwrap_or_default();
    let pem = String::from_utf8_lossy(&decoded);
    if !pem.contains("-----BEGIN CERTIFICATE REQUEST-----") {
        let bytes: Vec<String> = decoded.iter().map(|b| format!("{b:#x}")).collect();
        let rendered =
            if decoded.is_empty() { "[]byte(nil)".to_string() } else { format!("[]byte{{{}}}", bytes.join(", ")) };
        e.push(invalid_rendered("spec.request", &rendered, "PEM block type must be CERTIFICATE REQUEST"));
    }
    let usages = e.str_list(spec, "spec", "usages");
    if usages.is_empty() {
        e.push(required("spec.usages", ""));
    }
    let mut seen = HashSet::new();
    for (i, u) in usages.iter().enumerate() {
        if !KEY_USAGES.contains(u) {
            e.push(not_supported(&index("spec.usages", i), &s(u), KEY_USAGES));
        }
    }
    for (i, u) in usages.iter().enumerate() {
        if !seen.insert(*u) {
            e.push(duplicate(&index("spec.usages", i), &s(u)));
        }
    }
    let signer = e.str(spec, "spec", "signerName");
    if signer == "kubernetes.io/legacy-unknown" {
        e.push(invalid("spec.signerName", &s(signer), "the legacy signerName is not allowed via this API version"));
    } else {
        validate_signer_name(e, signer, "spec.signerName");
    }
    if let Some(exp) = e.opt_int(spec, "spec", "expirationSeconds").filter(|x| *x < 600) {
        e.push(invalid(
            "spec.expirationSeconds",
            &Value::from(exp),
            "may not specify a duration less than 600 seconds (10 minutes)",
        ));
    }
}

pub(super) fn csr_update(e: &mut Errs, new: &Value, _old: &Value) {
    csr_create(e, new);
}

pub(super) fn csr_status(e: &mut Errs, new: &Value, _old: &Value) {
    let status = e.obj(new, "", "status");
    let mut types = HashSet::new();
    for (p, cond) in e.items(status, "status", "conditions") {
        let ty = e.str(cond, &p, "type");
        if ty.is_empty() {
            e.push(required(&child(&p, "type"), ""));
        }
        if matches!(ty, "Approved" | "Denied" | "Failed") && !types.insert(ty.to_string()) {
            e.push(duplicate(&child(&p, "type"), &s(ty)));
        }
        let st = e.str(cond, &p, "status");
        if !matches!(st, "True" | "False" | "Unknown") {
            e.push(not_supported(&child(&p, "status"), &s(st), &["False", "True", "Unknown"]));
        }
    }
    if types.contains("Approved") && types.contains("Denied") {
        e.push(invalid("status.conditions", &s("Approved"), "Approved and Denied conditions are mutually exclusive"));
    }
}

/// `IsFullyQualifiedName`.
fn check_fully_qualified(e: &mut Errs, name: &str, path: &str) {
    if name.is_empty() {
        e.push(required(path, ""));
        return;
    }
    let errs = name_problems(NameRule::Dns1123Subdomain, name);
    if !errs.is_empty() {
        e.push(invalid(path, &s(name), &errs.join(",")));
    } else if name.split('.').count() < 3 {
        e.push(invalid(path, &s(name), "should be a domain with at least three segments separated by dots"));
    }
}

fn validate_webhook_url(e: &mut Errs, url: &str, path: &str) {
    let Some((scheme, rest)) = url.split_once("://") else {
        e.push(invalid(path, &s(url), "host must be specified"));
        return;
    };
    if scheme != "https" {
        e.push(invalid(path, &s(url), "'https' is the only allowed URL scheme"));
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.is_empty() {
        e.push(invalid(path, &s(url), "host must be specified"));
    }
    if authority.contains('@') {
        e.push(invalid(path, &s(url), "user information is not permitted in the URL"));
    }
    if rest.contains('#') {
        e.push(invalid(path, &s(url), "fragments are not permitted in the URL"));
    }
    if rest.contains('?') {
        e.push(invalid(path, &s(url), "query parameters are not permitted in the URL"));
    }
}

fn validate_webhook(e: &mut Errs, hook: &Value, p: &str, mutating: bool) {
    let name = e.str(hook, p, "name");
    check_fully_qualified(e, name, &child(p, "name"));
    for (rp, rule) in e.items(hook, p, "rules") {
        let ops = e.str_list(rule, &rp, "operations");
        if ops.is_empty() {
            e.push(required(&child(&rp, "operations"), ""));
        }
        if ops.len() > 1 && ops.contains(&"*") {
            e.push(invalid_rendered(
                &child(&rp, "operations"),
                &super::access::go_strings(rule.get("operations")),
                "if '*' is present, must not specify other operations",
            ));
        }
        for (i, op) in ops.iter().enumerate() {
            if !matches!(*op, "*" | "CREATE" | "UPDATE" | "DELETE" | "CONNECT") {
                e.push(not_supported(
                    &index(&child(&rp, "operations"), i),
                    &s(op),
                    &["*", "CONNECT", "CREATE", "DELETE", "UPDATE"],
                ));
            }
        }
        for k in ["apiGroups", "apiVersions", "resources"] {
            if e.str_list(rule, &rp, k).is_empty() {
                e.push(required(&child(&rp, k), ""));
            }
        }
        if let Some(scope) = e.opt_str(rule, &rp, "scope") {
            if !matches!(scope, "*" | "Cluster" | "Namespaced") {
                e.push(not_supported(&child(&rp, "scope"), &s(scope), &["*", "Cluster", "Namespaced"]));
            }
        }
    }
    if let Some(fp) = e.opt_str(hook, p, "failurePolicy") {
        if fp != "Fail" && fp != "Ignore" {
            e.push(not_supported(&child(p, "failurePolicy"), &s(fp), &["Fail", "Ignore"]));
        }
    }
    if let Some(mp) = e.opt_str(hook, p, "matchPolicy") {
        if mp != "Equivalent" && mp != "Exact" {
            e.push(not_supported(&child(p, "matchPolicy"), &s(mp), &["Equivalent", "Exact"]));
        }
    }
    match e.opt_str(hook, p, "sideEffects") {
        None => e.push(required(&child(p, "sideEffects"), "must specify one of None, NoneOnDryRun")),
        Some(se) if se != "None" && se != "NoneOnDryRun" => {
            e.push(not_supported(&child(p, "sideEffects"), &s(se), &["None", "NoneOnDryRun"]))
        }
        Some(_) => {}
    }
    if let Some(t) = e.opt_int(hook, p, "timeoutSeconds").filter(|t| !(1..=30).contains(t)) {
        e.push(invalid(
            &child(p, "timeoutSeconds"),
            &Value::from(t),
            "the timeout value must be between 1 and 30 seconds",
        ));
    }
    validate_label_selector(e, hook, p, "namespaceSelector", STRICT);
    validate_label_selector(e, hook, p, "objectSelector", STRICT);
    if mutating {
        if let Some(rp) = e.opt_str(hook, p, "reinvocationPolicy") {
            if rp != "IfNeeded" && rp != "Never" {
                e.push(not_supported(&child(p, "reinvocationPolicy"), &s(rp), &["IfNeeded", "Never"]));
            }
        }
    }
    let cp = child(p, "clientConfig");
    let cc = e.obj(hook, p, "clientConfig");
    let url = e.opt_str(cc, &cp, "url");
    let svc = e.opt_obj(cc, &cp, "service");
    match (url, svc) {
        (Some(u), None) => validate_webhook_url(e, u, &child(&cp, "url")),
        (None, Some(svc)) => {
            let sp = child(&cp, "service");
            if e.str(svc, &sp, "name").is_empty() {
                e.push(required(&child(&sp, "name"), "service name is required"));
            }
            if e.str(svc, &sp, "namespace").is_empty() {
                e.push(required(&child(&sp, "namespace"), "service namespace is required"));
            }
            let port = e.opt_int(svc, &sp, "port").unwrap_or(443);
            if let Some(msg) = port_num_problem(port) {
                e.push(invalid(&child(&sp, "port"), &Value::from(port), &format!("port is not valid: {msg}")));
            }
            if let Some(path) = e.opt_str(svc, &sp, "path") {
                if !path.starts_with('/') {
                    e.push(invalid(&child(&sp, "path"), &s(path), "must start with a '/'"));
                }
            }
        }
        _ => e.push(required(&cp, "exactly one of url or service is required")),
    }
    let versions = e.str_list(hook, p, "admissionReviewVersions");
    let vp = child(p, "admissionReviewVersions");
    if versions.is_empty() {
        e.push(required(&vp, "must specify one of v1, v1beta1"));
    } else {
        let mut seen = HashSet::new();
        for (i, v) in versions.iter().enumerate() {
            if !seen.insert(*v) {
                e.push(invalid(&index(&vp, i), &s(v), "duplicate version"));
                continue;
            }
            check_name(e, NameRule::Dns1035Label, v, &index(&vp, i));
        }
        if !versions.iter().any(|v| *v == "v1" || *v == "v1beta1") {
            e.push(invalid_rendered(
                &vp,
                &super::access::go_strings(hook.get("admissionReviewVersions")),
                "must include at least one of v1, v1beta1",
            ));
        }
    }
}

fn validate_webhook_configuration(e: &mut Errs, obj: &Value, mutating: bool) {
    let mut names = HashSet::new();
    for (p, hook) in e.items(obj, "", "webhooks") {
        validate_webhook(e, hook, &p, mutating);
        let name = get_str(hook, "name");
        if !name.is_empty() && !names.insert(name.to_string()) {
            e.push(duplicate(&child(&p, "name"), &s(name)));
        }
    }
}

pub(super) fn validating_webhooks_create(e: &mut Errs, obj: &Value) {
    validate_webhook_configuration(e, obj, false);
}

pub(super) fn validating_webhooks_update(e: &mut Errs, new: &Value, _old: &Value) {
    validate_webhook_configuration(e, new, false);
}

pub(super) fn mutating_webhooks_create(e: &mut Errs, obj: &Value) {
    validate_webhook_configuration(e, obj, true);
}

pub(super) fn mutating_webhooks_update(e: &mut Errs, new: &Value, _old: &Value) {
    validate_webhook_configuration(e, new, true);
}

/// Updates with no rules beyond metadata.
pub(super) fn nothing_update(_e: &mut Errs, _new: &Value, _old: &Value) {}
