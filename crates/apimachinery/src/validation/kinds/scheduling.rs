//! Scheduling-related parts of a pod spec: node and pod (anti-)affinity, tolerations,
//! topology spread constraints, DNS configuration, host aliases, readiness and
//! scheduling gates; plus node selector terms and taints shared with PVs and nodes.

use std::collections::HashSet;

use serde_json::Value;

use super::access::{child, index, Errs};
use super::meta::{check_dns_subdomain, check_qualified_name, label_value_errors, validate_label_selector, STRICT};
use super::net::check_ip;
use crate::gofmt::go_quote;
use crate::validation::errors::{
    duplicate, duplicate_rendered, forbidden, invalid, invalid_rendered, not_supported, required,
};
use crate::validation::names::NameRule;

fn s(v: &str) -> Value {
    Value::String(v.to_string())
}

fn validate_node_selector_requirement(e: &mut Errs, rq: &Value, path: &str, check_values: bool) {
    let op = e.str(rq, path, "operator");
    let values = e.str_list(rq, path, "values");
    match op {
        "In" | "NotIn" => {
            if values.is_empty() {
                e.push(required(&child(path, "values"), "must be specified when `operator` is 'In' or 'NotIn'"));
            }
        }
        "Exists" | "DoesNotExist" => {
            if !values.is_empty() {
                e.push(forbidden(
                    &child(path, "values"),
                    "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                ));
            }
        }
        "Gt" | "Lt" => {
            if values.len() != 1 {
                e.push(required(
                    &child(path, "values"),
                    "must be specified single value when `operator` is 'Lt' or 'Gt'",
                ));
            }
        }
        other => e.push(invalid(&child(path, "operator"), &s(other), "not a valid selector operator")),
    }
    let k = e.str(rq, path, "key");
    check_qualified_name(e, k, &child(path, "key"));
    if check_values {
        for (i, v) in values.iter().enumerate() {
            for msg in label_value_errors(v) {
                e.push(invalid(&index(&child(path, "values"), i), &s(v), &msg));
            }
        }
    }
}

fn validate_node_field_requirement(e: &mut Errs, rq: &Value, path: &str) {
    let op = e.str(rq, path, "operator");
    let values = e.str_list(rq, path, "values");
    match op {
        "In" | "NotIn" => {
            if values.len() != 1 {
                e.push(required(
                    &child(path, "values"),
                    "must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
                ));
            }
        }
        other => e.push(invalid(&child(path, "operator"), &s(other), "not a valid selector operator")),
    }
    let k = e.str(rq, path, "key");
    if k != "metadata.name" {
        e.push(invalid(&child(path, "key"), &s(k), "not a valid field selector key"));
    } else {
        for (i, v) in values.iter().enumerate() {
            super::meta::check_name(e, NameRule::Dns1123Subdomain, v, &index(&child(path, "values"), i));
        }
    }
}

/// `ValidateNodeSelectorTerm`.
pub(super) fn validate_node_selector_term(e: &mut Errs, term: &Value, path: &str, check_values: bool) {
    for (p, rq) in e.items(term, path, "matchExpressions") {
        validate_node_selector_requirement(e, rq, &p, check_values);
    }
    for (p, rq) in e.items(term, path, "matchFields") {
        validate_node_field_requirement(e, rq, &p);
    }
}

/// `ValidateNodeSelector`: at least one term.
pub(super) fn validate_node_selector(e: &mut Errs, sel: &Value, path: &str) {
    let terms = e.items(sel, path, "nodeSelectorTerms");
    if terms.is_empty() {
        e.push(required(&child(path, "nodeSelectorTerms"), "must have at least one node selector term"));
        return;
    }
    for (p, term) in terms {
        validate_node_selector_term(e, term, &p, true);
    }
}

fn validate_pod_affinity_term(e: &mut Errs, term: &Value, path: &str) {
    validate_label_selector(e, term, path, "labelSelector", STRICT);
    validate_label_selector(e, term, path, "namespaceSelector", STRICT);
    for ns in e.str_list(term, path, "namespaces") {
        super::meta::check_name(e, NameRule::Dns1123Label, ns, &child(path, "namespace"));
    }
    let has_selector = term.get("labelSelector").is_some_and(|v| !v.is_null());
    let match_keys = e.str_list(term, path, "matchLabelKeys");
    let mismatch_keys = e.str_list(term, path, "mismatchLabelKeys");
    for (k, keys) in [("matchLabelKeys", &match_keys), ("mismatchLabelKeys", &mismatch_keys)] {
        if keys.is_empty() {
            continue;
        }
        if !has_selector {
            e.push(forbidden(&child(path, k), "must not be specified when labelSelector is not set"));
            continue;
        }
        for (i, key) in keys.iter().enumerate() {
            check_qualified_name(e, key, &index(&child(path, k), i));
        }
    }
    for (i, k) in match_keys.iter().enumerate() {
        if mismatch_keys.contains(k) {
            e.push(invalid(
                &index(&child(path, "matchLabelKeys"), i),
                &s(k),
                "exists in both matchLabelKeys and mismatchLabelKeys",
            ));
        }
    }
    let topology_key = e.str(term, path, "topologyKey");
    if topology_key.is_empty() {
        e.push(required(&child(path, "topologyKey"), "can not be empty"));
    }
    check_qualified_name(e, topology_key, &child(path, "topologyKey"));
}

fn validate_pod_affinity(e: &mut Errs, aff: &Value, path: &str) {
    for (p, term) in e.items(aff, path, "requiredDuringSchedulingIgnoredDuringExecution") {
        validate_pod_affinity_term(e, term, &p);
    }
    for (p, weighted) in e.items(aff, path, "preferredDuringSchedulingIgnoredDuringExecution") {
        let w = e.int(weighted, &p, "weight");
        if !(1..=100).contains(&w) {
            e.push(invalid(&child(&p, "weight"), &Value::from(w), "must be in the range 1-100"));
        }
        let term = e.obj(weighted, &p, "podAffinityTerm");
        validate_pod_affinity_term(e, term, &child(&p, "podAffinityTerm"));
    }
}

/// `validateAffinity`.
pub(super) fn validate_affinity(e: &mut Errs, spec: &Value, path: &str) {
    let Some(aff) = e.opt_obj(spec, path, "affinity") else { return };
    let ap = child(path, "affinity");
    if let Some(na) = e.opt_obj(aff, &ap, "nodeAffinity") {
        let np = child(&ap, "nodeAffinity");
        if let Some(req) = e.opt_obj(na, &np, "requiredDuringSchedulingIgnoredDuringExecution") {
            validate_node_selector(e, req, &child(&np, "requiredDuringSchedulingIgnoredDuringExecution"));
        }
        for (p, term) in e.items(na, &np, "preferredDuringSchedulingIgnoredDuringExecution") {
            let w = e.int(term, &p, "weight");
            if !(1..=100).contains(&w) {
                e.push(invalid(&child(&p, "weight"), &Value::from(w), "must be in the range 1-100"));
            }
            let pref = e.obj(term, &p, "preference");
            validate_node_selector_term(e, pref, &child(&p, "preference"), false);
        }
    }
    for k in ["podAffinity", "podAntiAffinity"] {
        if let Some(pa) = e.opt_obj(aff, &ap, k) {
            validate_pod_affinity(e, pa, &child(&ap, k));
        }
    }
}

fn validate_taint_effect(e: &mut Errs, effect: &str, allow_empty: bool, path: &str) {
    if !allow_empty && effect.is_empty() {
        e.push(required(path, ""));
        return;
    }
    if !matches!(effect, "NoSchedule" | "PreferNoSchedule" | "NoExecute") {
        e.push(not_supported(path, &s(effect), &["NoSchedule", "PreferNoSchedule", "NoExecute"]));
    }
}

/// `ValidateTolerations`.
pub(super) fn validate_tolerations(e: &mut Errs, spec: &Value, path: &str, k: &str) {
    for (p, t) in e.items(spec, path, k) {
        let key = e.str(t, &p, "key");
        let op = e.str(t, &p, "operator");
        let value = e.str(t, &p, "value");
        let effect = e.str(t, &p, "effect");
        let seconds = e.opt_int(t, &p, "tolerationSeconds");
        if !key.is_empty() {
            check_qualified_name(e, key, &child(&p, "key"));
        }
        if key.is_empty() && op != "Exists" {
            e.push(invalid(
                &child(&p, "operator"),
                &s(op),
                "operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
            ));
        }
        if seconds.is_some() && effect != "NoExecute" {
            e.push(invalid(
                &child(&p, "effect"),
                &s(effect),
                "effect must be 'NoExecute' when `tolerationSeconds` is set",
            ));
        }
        match op {
            "Equal" | "" => {
                let errs = label_value_errors(value);
                if !errs.is_empty() {
                    e.push(invalid(&child(&p, "operator"), &s(value), &errs.join(";")));
                }
            }
            "Exists" => {
                if !value.is_empty() {
                    e.push(invalid(
                        &child(&p, "operator"),
                        &s(value),
                        "value must be empty when `operator` is 'Exists'",
                    ));
                }
            }
            other => e.push(not_supported(&child(&p, "operator"), &s(other), &["Equal", "Exists"])),
        }
        if !effect.is_empty() {
            validate_taint_effect(e, effect, true, &child(&p, "effect"));
        }
    }
}

/// `validateNodeTaints` (node taints must be unique by key and effect).
pub(super) fn validate_taints(e: &mut Errs, spec: &Value, spec_path: &str, path: &str) {
    let mut seen: HashSet<(String, String)> = HashSet::new();
    for (i, (ip, t)) in e.items(spec, spec_path, "taints").into_iter().enumerate() {
        let p = index(path, i);
        let key = e.str(t, &ip, "key");
        let value = e.str(t, &ip, "value");
        let effect = e.str(t, &ip, "effect");
        check_qualified_name(e, key, &child(&p, "key"));
        let errs = label_value_errors(value);
        if !errs.is_empty() {
            e.push(invalid(&child(&p, "value"), &s(value), &errs.join(";")));
        }
        validate_taint_effect(e, effect, false, &child(&p, "effect"));
        if !seen.insert((key.to_string(), effect.to_string())) {
            let mut c = duplicate_rendered(
                &p,
                &format!(
                    "core.Taint{{Key:{}, Value:{}, Effect:{}, TimeAdded:<nil>}}",
                    go_quote(key),
                    go_quote(value),
                    go_quote(effect)
                ),
            );
            c.message.push_str(": taints must be unique by key and effect pair");
            e.push(c);
        }
    }
}

/// `validatePodDNSConfig` (relaxed search validation is on in 1.33).
pub(super) fn validate_dns_config(e: &mut Errs, spec: &Value, path: &str, dns_policy: &str) {
    let cfg = e.opt_obj(spec, path, "dnsConfig");
    let cp = child(path, "dnsConfig");
    if dns_policy == "None" {
        let Some(c) = cfg else {
            e.push(required(&cp, "must provide `dnsConfig` when `dnsPolicy` is None"));
            return;
        };
        if c.get("nameservers").and_then(Value::as_array).is_none_or(|a| a.is_empty()) {
            e.push(required(
                &child(&cp, "nameservers"),
                "must provide at least one DNS nameserver when `dnsPolicy` is None",
            ));
            return;
        }
    }
    let Some(cfg) = cfg else { return };
    let nameservers = e.str_list(cfg, &cp, "nameservers");
    if nameservers.len() > 3 {
        e.push(invalid_rendered(
            &child(&cp, "nameservers"),
            &super::access::go_strings(cfg.get("nameservers")),
            "must not have more than 3 nameservers",
        ));
    }
    for (i, ns) in nameservers.iter().enumerate() {
        check_ip(e, ns, &index(&child(&cp, "nameservers"), i));
    }
    let searches = e.str_list(cfg, &cp, "searches");
    if searches.len() > 32 {
        e.push(invalid_rendered(
            &child(&cp, "searches"),
            &super::access::go_strings(cfg.get("searches")),
            "must not have more than 32 search paths",
        ));
    }
    if searches.join(" ").len() > 2048 {
        e.push(invalid_rendered(
            &child(&cp, "searches"),
            &super::access::go_strings(cfg.get("searches")),
            "must not have more than 2048 characters (including spaces) in the search list",
        ));
    }
    for (i, search) in searches.iter().enumerate() {
        if *search == "." {
            continue;
        }
        let trimmed = search.strip_suffix('.').unwrap_or(search);
        check_subdomain_with_underscore(e, trimmed, &index(&child(&cp, "searches"), i));
    }
    for (p, opt) in e.items(cfg, &cp, "options") {
        if e.str(opt, &p, "name").is_empty() {
            e.push(required(&p, "must not be empty"));
        }
        e.opt_str(opt, &p, "value");
    }
}

/// `IsDNS1123SubdomainWithUnderscore`.
fn check_subdomain_with_underscore(e: &mut Errs, v: &str, path: &str) {
    let label_ok = |l: &str| {
        let l = l.strip_prefix('_').unwrap_or(l);
        let b = l.as_bytes();
        let edge = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
        !b.is_empty() && edge(b[0]) && edge(b[b.len() - 1]) && b.iter().all(|&c| edge(c) || c == b'-' || c == b'_')
    };
    if v.len() > 253 {
        e.push(invalid(path, &s(v), "must be no more than 253 characters"));
    }
    if !v.split('.').all(label_ok) {
        e.push(invalid(path, &s(v), "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?(\\._?[a-z0-9]([-_a-z0-9]*[a-z0-9])?)*')"));
    }
}

/// `ValidateHostAliases`.
pub(super) fn validate_host_aliases(e: &mut Errs, spec: &Value, path: &str) {
    for (p, alias) in e.items(spec, path, "hostAliases") {
        let ip = e.str(alias, &p, "ip");
        check_ip(e, ip, &child(&p, "ip"));
        for (j, host) in e.str_list(alias, &p, "hostnames").iter().enumerate() {
            check_dns_subdomain(e, host, &index(&child(&p, "hostnames"), j));
        }
    }
}

/// `validateReadinessGates` and `validateSchedulingGates`.
pub(super) fn validate_gates(e: &mut Errs, spec: &Value, path: &str) {
    for (p, gate) in e.items(spec, path, "readinessGates") {
        let ct = e.str(gate, &p, "conditionType");
        check_qualified_name(e, ct, &child(&p, "conditionType"));
    }
    let mut seen = HashSet::new();
    for (p, gate) in e.items(spec, path, "schedulingGates") {
        let name = e.str(gate, &p, "name");
        check_qualified_name(e, name, &p);
        if !seen.insert(name.to_string()) {
            e.push(duplicate(&p, &s(name)));
        }
    }
}

/// `validateTopologySpreadConstraints`.
pub(super) fn validate_topology_spread(e: &mut Errs, spec: &Value, path: &str) {
    let items = e.items(spec, path, "topologySpreadConstraints");
    let keys: Vec<(String, String)> = items
        .iter()
        .map(|(_, c)| {
            (
                super::access::get_str(c, "topologyKey").to_string(),
                super::access::get_str(c, "whenUnsatisfiable").to_string(),
            )
        })
        .collect();
    for (i, (p, c)) in items.iter().enumerate() {
        let max_skew = e.int(c, p, "maxSkew");
        if max_skew <= 0 {
            e.push(invalid(&child(p, "maxSkew"), &Value::from(max_skew), "must be greater than zero"));
        }
        let key = e.str(c, p, "topologyKey");
        if key.is_empty() {
            e.push(required(&child(p, "topologyKey"), "can not be empty"));
        }
        let when = e.str(c, p, "whenUnsatisfiable");
        if when != "DoNotSchedule" && when != "ScheduleAnyway" {
            e.push(not_supported(&child(p, "whenUnsatisfiable"), &s(when), &["DoNotSchedule", "ScheduleAnyway"]));
        }
        if keys[i + 1..].iter().any(|(k, w)| k == key && w == when) {
            e.push(duplicate(&child(p, "{topologyKey, whenUnsatisfiable}"), &s(&format!("{{{key}, {when}}}"))));
        }
        if let Some(min) = e.opt_int(c, p, "minDomains") {
            if min <= 0 {
                e.push(invalid(&child(p, "minDomains"), &Value::from(min), "must be greater than zero"));
            }
            if when != "DoNotSchedule" {
                e.push(invalid(
                    &child(p, "minDomains"),
                    &Value::from(min),
                    &format!("can only use minDomains if whenUnsatisfiable=DoNotSchedule, not {when}"),
                ));
            }
        }
        for k in ["nodeAffinityPolicy", "nodeTaintsPolicy"] {
            if let Some(policy) = e.opt_str(c, p, k) {
                if policy != "Honor" && policy != "Ignore" {
                    e.push(not_supported(&child(p, k), &s(policy), &["Honor", "Ignore"]));
                }
            }
        }
        let match_keys = e.str_list(c, p, "matchLabelKeys");
        if !match_keys.is_empty() {
            let sel = c.get("labelSelector").filter(|v| !v.is_null());
            if sel.is_none() {
                e.push(forbidden(&child(p, "matchLabelKeys"), "must not be specified when labelSelector is not set"));
            }
            for (j, k) in match_keys.iter().enumerate() {
                let kp = index(&child(p, "matchLabelKeys"), j);
                check_qualified_name(e, k, &kp);
                let in_selector = sel.is_some_and(|s| {
                    s.get("matchLabels").and_then(Value::as_object).is_some_and(|m| m.contains_key(*k))
                        || s.get("matchExpressions")
                            .and_then(Value::as_array)
                            .is_some_and(|a| a.iter().any(|x| super::access::get_str(x, "key") == *k))
                });
                if in_selector {
                    e.push(invalid(&kp, &s(k), "exists in both matchLabelKeys and labelSelector"));
                }
            }
        }
        validate_label_selector(e, c, p, "labelSelector", STRICT);
    }
}
