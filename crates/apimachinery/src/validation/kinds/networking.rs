//! Ingress, IngressClass, NetworkPolicy (`pkg/apis/networking/validation`) and
//! EndpointSlice (`pkg/apis/discovery/validation`).

use std::collections::HashSet;

use serde_json::Value;

use super::access::{child, field_eq, get_str, index, Errs, IntOrStr, NULL};
use super::containers::{port_name_problems, port_num_problem};
use super::meta::{
    check_dns_label, check_dns_subdomain, check_name, check_qualified_name, validate_label_selector, validate_labels,
    STRICT,
};
use super::net::{check_cidr, check_non_special_ip, parse_cidr, parse_ip};
use crate::validation::errors::{
    duplicate, forbidden, invalid, invalid_rendered, not_supported, required, too_long, too_many,
};
use crate::validation::names::{name_problems, NameRule};

fn s(v: &str) -> Value {
    Value::String(v.to_string())
}

const WILDCARD_MSG: &str = "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

/// `IsWildcardDNS1123Subdomain`.
fn check_wildcard(e: &mut Errs, host: &str, path: &str) {
    if host.len() > 253 {
        e.push(invalid(path, &s(host), "must be no more than 253 characters"));
    }
    let ok = host.strip_prefix("*.").is_some_and(|rest| name_problems(NameRule::Dns1123Subdomain, rest).is_empty());
    if !ok {
        e.push(invalid(path, &s(host), WILDCARD_MSG));
    }
}

fn check_host(e: &mut Errs, host: &str, path: &str) -> bool {
    if host.contains('*') {
        check_wildcard(e, host, path);
        true
    } else {
        check_dns_subdomain(e, host, path);
        false
    }
}

/// `validateIngressTypedLocalObjectReference`.
fn validate_typed_ref(e: &mut Errs, r: &Value, path: &str) {
    if let Some(group) = e.opt_str(r, path, "apiGroup") {
        check_dns_subdomain(e, group, &child(path, "apiGroup"));
    }
    for (k, detail) in [("kind", "kind is required"), ("name", "name is required")] {
        let v = e.str(r, path, k);
        if v.is_empty() {
            e.push(required(&child(path, k), detail));
        } else {
            check_name(e, NameRule::PathSegment, v, &child(path, k));
        }
    }
}

fn validate_backend(e: &mut Errs, backend: &Value, path: &str) {
    let resource = e.opt_obj(backend, path, "resource");
    let service = e.opt_obj(backend, path, "service");
    match (resource, service) {
        (Some(_), Some(_)) => e.push(invalid(path, &s(""), "cannot set both resource and service backends")),
        (Some(r), None) => validate_typed_ref(e, r, &child(path, "resource")),
        (None, Some(svc)) => {
            let sp = child(path, "service");
            let name = e.str(svc, &sp, "name");
            if name.is_empty() {
                e.push(required(&child(&sp, "name"), ""));
            } else {
                check_name(e, NameRule::Dns1035Label, name, &child(&sp, "name"));
            }
            let port = e.obj(svc, &sp, "port");
            let pp = child(&sp, "port");
            let pname = e.str(port, &pp, "name");
            let number = e.int(port, &pp, "number");
            match (pname.is_empty(), number == 0) {
                (false, false) => e.push(invalid(path, &s(""), "cannot set both port name & port number")),
                (false, true) => {
                    for msg in port_name_problems(pname) {
                        e.push(invalid(&child(&pp, "name"), &s(pname), &msg));
                    }
                }
                (true, false) => {
                    if let Some(msg) = port_num_problem(number) {
                        e.push(invalid(&child(&pp, "number"), &Value::from(number), &msg));
                    }
                }
                (true, true) => e.push(required(path, "port name or number is required")),
            }
        }
        (None, None) => e.push(invalid(path, &s(""), "resource or service backend is required")),
    }
}

fn validate_ingress_path(e: &mut Errs, p: &Value, path: &str) {
    let Some(ty) = e.opt_str(p, path, "pathType") else {
        e.push(required(&child(path, "pathType"), "pathType must be specified"));
        return;
    };
    let value = e.str(p, path, "path");
    let vp = child(path, "path");
    match ty {
        "Exact" | "Prefix" => {
            if !value.starts_with('/') {
                e.push(invalid(&vp, &s(value), "must be an absolute path"));
            }
            if !value.is_empty() {
                for seq in ["//", "/./", "/../", "%2f", "%2F"] {
                    if value.contains(seq) {
                        e.push(invalid(&vp, &s(value), &format!("must not contain '{seq}'")));
                    }
                }
                for suffix in ["/..", "/."] {
                    if value.ends_with(suffix) {
                        e.push(invalid(&vp, &s(value), &format!("cannot end with '{suffix}'")));
                    }
                }
            }
        }
        "ImplementationSpecific" => {
            if !value.is_empty() && !value.starts_with('/') {
                e.push(invalid(&vp, &s(value), "must be an absolute path"));
            }
        }
        other => {
            e.push(not_supported(&child(path, "pathType"), &s(other), &["Exact", "ImplementationSpecific", "Prefix"]))
        }
    }
    let backend = e.obj(p, path, "backend");
    validate_backend(e, backend, &child(path, "backend"));
}

fn validate_ingress_spec(e: &mut Errs, ing: &Value) {
    let spec = e.obj(ing, "", "spec");
    let rules = e.items(spec, "spec", "rules");
    let default_backend = e.opt_obj(spec, "spec", "defaultBackend");
    if rules.is_empty() && default_backend.is_none() {
        let rendered = if spec.get("rules").is_some_and(Value::is_array) {
            "[]networking.IngressRule{}"
        } else {
            "[]networking.IngressRule(nil)"
        };
        e.push(invalid_rendered("spec", rendered, "either `defaultBackend` or `rules` must be specified"));
    }
    if let Some(b) = default_backend {
        validate_backend(e, b, "spec.defaultBackend");
    }
    for (rp, rule) in &rules {
        let host = e.str(rule, rp, "host");
        let hp = child(rp, "host");
        if !host.is_empty() {
            if parse_ip(host).is_some() {
                e.push(invalid(&hp, &s(host), "must be a DNS name, not an IP address"));
            }
            check_host(e, host, &hp);
        }
        if let Some(http) = e.opt_obj(rule, rp, "http") {
            let http_path = child(rp, "http");
            let paths = e.items(http, &http_path, "paths");
            if paths.is_empty() {
                e.push(required(&child(&http_path, "paths"), ""));
            }
            for (pp, p) in paths {
                validate_ingress_path(e, p, &pp);
            }
        }
    }
    for (tp, tls) in e.items(spec, "spec", "tls") {
        for (i, host) in e.str_list(tls, &tp, "hosts").iter().enumerate() {
            check_host(e, host, &index(&child(&tp, "hosts"), i));
        }
        let secret = e.str(tls, &tp, "secretName");
        if !secret.is_empty() {
            check_dns_subdomain(e, secret, &child(&tp, "secretName"));
        }
    }
    if let Some(class) = e.opt_str(spec, "spec", "ingressClassName") {
        check_dns_subdomain(e, class, "spec.ingressClassName");
    }
}

pub(super) fn ingress_create(e: &mut Errs, ing: &Value) {
    validate_ingress_spec(e, ing);
    let annotation = ing
        .get("metadata")
        .and_then(|m| m.get("annotations"))
        .and_then(|a| a.get("kubernetes.io/ingress.class"))
        .and_then(Value::as_str);
    let class = ing.get("spec").and_then(|s| s.get("ingressClassName")).and_then(Value::as_str);
    if let (Some(a), Some(c)) = (annotation, class) {
        if a != c {
            e.push(invalid(
                "annotations.kubernetes.io/ingress.class",
                &s(a),
                "must match `ingressClassName` when both are specified",
            ));
        }
    }
}

pub(super) fn ingress_update(e: &mut Errs, new: &Value, _old: &Value) {
    validate_ingress_spec(e, new);
}

pub(super) fn ingress_status(e: &mut Errs, new: &Value, _old: &Value) {
    let status = e.obj(new, "", "status");
    let lb = e.obj(status, "status", "loadBalancer");
    for (p, ing) in e.items(lb, "status.loadBalancer", "ingress") {
        let ip = e.str(ing, &p, "ip");
        if !ip.is_empty() {
            super::net::check_ip(e, ip, &child(&p, "ip"));
        }
        let host = e.str(ing, &p, "hostname");
        if !host.is_empty() {
            check_dns_subdomain(e, host, &child(&p, "hostname"));
            if parse_ip(host).is_some() {
                e.push(invalid(&child(&p, "hostname"), &s(host), "must be a DNS name, not an IP address"));
            }
        }
    }
}

/// `IsDomainPrefixedPath`.
fn check_domain_prefixed_path(e: &mut Errs, value: &str, path: &str) {
    if value.is_empty() {
        e.push(required(path, ""));
        return;
    }
    let Some((host, rest)) = value.split_once('/').filter(|(h, r)| !h.is_empty() && !r.is_empty()) else {
        e.push(invalid(path, &s(value), "must be a domain-prefixed path (such as \"acme.io/foo\")"));
        return;
    };
    check_dns_subdomain(e, host, path);
    let ok = rest.bytes().all(|b| b.is_ascii_alphanumeric() || b"/-._~%!$&'()*+,;=:".contains(&b));
    if !ok {
        e.push(invalid(
            path,
            &s(rest),
            "Invalid path (regex used for validation is '[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')",
        ));
    }
}

fn validate_ingress_class_spec(e: &mut Errs, ic: &Value) {
    let spec = e.obj(ic, "", "spec");
    let controller = e.str(spec, "spec", "controller");
    if controller.len() > 250 {
        e.push(too_long("spec.controller", 250));
    }
    check_domain_prefixed_path(e, controller, "spec.controller");
    let Some(params) = e.opt_obj(spec, "spec", "parameters") else { return };
    let pp = "spec.parameters";
    validate_typed_ref(e, params, pp);
    let Some(scope) = e.opt_str(params, pp, "scope") else {
        e.push(required("spec.parameters.scope", ""));
        return;
    };
    let namespace = e.opt_str(params, pp, "namespace");
    match scope {
        "Namespace" => match namespace {
            None => e.push(required("spec.parameters.namespace", "`parameters.scope` is set to 'Namespace'")),
            Some(ns) => check_name(e, NameRule::Dns1123Label, ns, "spec.parameters.namespace"),
        },
        "Cluster" => {
            if namespace.is_some() {
                e.push(forbidden("spec.parameters.namespace", "`parameters.scope` is set to 'Cluster'"));
            }
        }
        other => e.push(not_supported("spec.parameters.scope", &s(other), &["Cluster", "Namespace"])),
    }
}

pub(super) fn ingress_class_create(e: &mut Errs, ic: &Value) {
    validate_ingress_class_spec(e, ic);
}

pub(super) fn ingress_class_update(e: &mut Errs, new: &Value, old: &Value) {
    let controller = |v: &Value| v.get("spec").map_or("", |s| get_str(s, "controller")).to_string();
    if controller(new) != controller(old) {
        e.push(forbidden("spec.controller", "may not change once set"));
    }
    validate_ingress_class_spec(e, new);
}

fn validate_policy_port(e: &mut Errs, port: &Value, path: &str) {
    if let Some(proto) = e.opt_str(port, path, "protocol") {
        if !matches!(proto, "TCP" | "UDP" | "SCTP") {
            e.push(not_supported(&child(path, "protocol"), &s(proto), &["TCP", "UDP", "SCTP"]));
        }
    }
    let end = e.opt_int(port, path, "endPort");
    match e.int_or_str(port, path, "port") {
        Some(IntOrStr::Int(n)) => {
            if let Some(msg) = port_num_problem(n) {
                e.push(invalid(&child(path, "port"), &Value::from(n), &msg));
            }
            if let Some(end) = end {
                if end < n {
                    e.push(invalid(
                        &child(path, "endPort"),
                        &Value::from(n),
                        "must be greater than or equal to `port`",
                    ));
                }
                if let Some(msg) = port_num_problem(end) {
                    e.push(invalid(&child(path, "endPort"), &Value::from(end), &msg));
                }
            }
        }
        Some(IntOrStr::Str(name)) => {
            if let Some(end) = end {
                e.push(invalid(
                    &child(path, "endPort"),
                    &Value::from(end),
                    "may not be specified when `port` is non-numeric",
                ));
            }
            for msg in port_name_problems(name) {
                e.push(invalid(&child(path, "port"), &s(name), &msg));
            }
        }
        None => {
            if let Some(end) = end {
                e.push(invalid(
                    &child(path, "endPort"),
                    &Value::from(end),
                    "may not be specified when `port` is not specified",
                ));
            }
        }
    }
}

fn validate_peer(e: &mut Errs, peer: &Value, path: &str) {
    let mut count = 0;
    for k in ["podSelector", "namespaceSelector"] {
        if e.opt_obj(peer, path, k).is_some() {
            count += 1;
            validate_label_selector(e, peer, path, k, STRICT);
        }
    }
    let ip_block = e.opt_obj(peer, path, "ipBlock");
    if let Some(block) = ip_block {
        count += 1;
        let bp = child(path, "ipBlock");
        let cidr = e.str(block, &bp, "cidr");
        if cidr.is_empty() {
            e.push(required(&child(&bp, "cidr"), ""));
        } else if check_cidr(e, cidr, &child(&bp, "cidr")) {
            let outer = parse_cidr(cidr);
            for (i, except) in e.str_list(block, &bp, "except").iter().enumerate() {
                let xp = index(&child(&bp, "except"), i);
                if !check_cidr(e, except, &xp) {
                    continue;
                }
                if let (Some((net, bits)), Some((ip, xbits))) = (outer, parse_cidr(except)) {
                    if !cidr_contains(net, bits, ip) || bits >= xbits {
                        e.push(invalid(&xp, &s(except), "must be a strict subset of `cidr`"));
                    }
                }
            }
        }
    }
    if count == 0 {
        e.push(required(path, "must specify a peer"));
    } else if count > 1 && ip_block.is_some() {
        e.push(forbidden(path, "may not specify both ipBlock and another peer"));
    }
}

fn cidr_contains(net: std::net::IpAddr, bits: u8, ip: std::net::IpAddr) -> bool {
    let to_bits = |a: std::net::IpAddr| -> (u128, u32) {
        match a {
            std::net::IpAddr::V4(v) => (u128::from(u32::from(v)), 32),
            std::net::IpAddr::V6(v) => (u128::from(v), 128),
        }
    };
    let ((n, width), (i, iw)) = (to_bits(net), to_bits(ip));
    if width != iw {
        return false;
    }
    let shift = width - u32::from(bits);
    shift >= width || (n >> shift) == (i >> shift)
}

fn validate_network_policy_spec(e: &mut Errs, np: &Value) {
    let spec = e.obj(np, "", "spec");
    validate_label_selector(e, spec, "spec", "podSelector", STRICT);
    for (dir, peers) in [("ingress", "from"), ("egress", "to")] {
        for (rp, rule) in e.items(spec, "spec", dir) {
            for (pp, port) in e.items(rule, &rp, "ports") {
                validate_policy_port(e, port, &pp);
            }
            for (pp, peer) in e.items(rule, &rp, peers) {
                validate_peer(e, peer, &pp);
            }
        }
    }
    let types = e.str_list(spec, "spec", "policyTypes");
    if types.len() > 2 {
        e.push(invalid_rendered(
            "spec.policyTypes",
            &super::access::go_strings(spec.get("policyTypes")),
            "may not specify more than two policyTypes",
        ));
        return;
    }
    for (i, t) in types.iter().enumerate() {
        if *t != "Ingress" && *t != "Egress" {
            e.push(not_supported(&index("spec.policyTypes", i), &s(t), &["Ingress", "Egress"]));
        }
    }
}

pub(super) fn network_policy_create(e: &mut Errs, np: &Value) {
    validate_network_policy_spec(e, np);
}

pub(super) fn network_policy_update(e: &mut Errs, new: &Value, _old: &Value) {
    validate_network_policy_spec(e, new);
}

fn validate_endpoint_slice(e: &mut Errs, es: &Value) {
    let address_type = e.str(es, "", "addressType");
    match address_type {
        "" => e.push(required("addressType", "")),
        "IPv4" | "IPv6" | "FQDN" => {}
        other => e.push(not_supported("addressType", &s(other), &["FQDN", "IPv4", "IPv6"])),
    }
    let endpoints = e.items(es, "", "endpoints");
    if endpoints.len() > 1000 {
        e.push(too_many("endpoints", endpoints.len(), 1000));
    } else {
        for (p, ep) in endpoints {
            let ap = child(&p, "addresses");
            let addresses = e.str_list(ep, &p, "addresses");
            if addresses.is_empty() {
                e.push(required(&ap, "must contain at least 1 address"));
            } else if addresses.len() > 100 {
                e.push(too_many(&ap, addresses.len(), 100));
            }
            for (i, a) in addresses.iter().enumerate() {
                let ip_path = index(&ap, i);
                match address_type {
                    "IPv4" | "IPv6" => {
                        let want_v4 = address_type == "IPv4";
                        let ok = parse_ip(a)
                            .is_some_and(|ip| ip.is_ipv4() == want_v4 || (want_v4 && ip.to_canonical().is_ipv4()));
                        if ok {
                            check_non_special_ip(e, a, &ip_path);
                        } else {
                            let msg =
                                if want_v4 { "must be a valid IPv4 address" } else { "must be a valid IPv6 address" };
                            e.push(invalid(&ip_path, &s(a), msg));
                        }
                    }
                    "FQDN" => {
                        let name = a.strip_suffix('.').unwrap_or(a);
                        let problems = name_problems(NameRule::Dns1123Subdomain, name);
                        if a.is_empty() {
                            e.push(required(&ip_path, ""));
                        } else if !problems.is_empty() {
                            e.push(invalid(&ip_path, &s(name), &problems.join(",")));
                        } else if name.split('.').count() < 2 {
                            e.push(invalid(
                                &ip_path,
                                &s(name),
                                "should be a domain with at least two segments separated by dots",
                            ));
                        }
                    }
                    _ => {}
                }
            }
            if let Some(node) = e.opt_str(ep, &p, "nodeName") {
                check_name(e, NameRule::Dns1123Subdomain, node, &child(&p, "nodeName"));
            }
            let topology = ep.get("deprecatedTopology").and_then(Value::as_object).map_or(0, serde_json::Map::len);
            if topology > 16 {
                e.push(too_many(&child(&p, "deprecatedTopology"), topology, 16));
            }
            validate_labels(e, ep, &p, "deprecatedTopology");
            if let Some(h) = e.opt_str(ep, &p, "hostname") {
                check_dns_label(e, h, &child(&p, "hostname"));
            }
            e.opt_str(ep, &p, "zone");
            if let Some(cond) = e.opt_obj(ep, &p, "conditions") {
                let cp = child(&p, "conditions");
                for k in ["ready", "serving", "terminating"] {
                    e.opt_bool(cond, &cp, k);
                }
            }
        }
    }
    let ports = e.items(es, "", "ports");
    if ports.len() > 20000 {
        e.push(too_many("ports", ports.len(), 20000));
        return;
    }
    let mut names = HashSet::new();
    for (p, port) in ports {
        let name = e.opt_str(port, &p, "name").unwrap_or("");
        if !name.is_empty() {
            check_dns_label(e, name, &child(&p, "name"));
        }
        if !names.insert(name.to_string()) {
            e.push(duplicate(&child(&p, "name"), &s(name)));
        }
        match e.opt_str(port, &p, "protocol") {
            None => e.push(required(&child(&p, "protocol"), "")),
            Some(proto) if !matches!(proto, "TCP" | "UDP" | "SCTP") => {
                e.push(not_supported(&child(&p, "protocol"), &s(proto), &["SCTP", "TCP", "UDP"]));
            }
            Some(_) => {}
        }
        if let Some(app) = e.opt_str(port, &p, "appProtocol") {
            check_qualified_name(e, app, &child(&p, "appProtocol"));
        }
        if let Some(n) = e.opt_int(port, &p, "port") {
            if let Some(msg) = port_num_problem(n) {
                e.push(invalid(&child(&p, "port"), &Value::from(n), &msg));
            }
        }
    }
}

pub(super) fn endpoint_slice_create(e: &mut Errs, es: &Value) {
    validate_endpoint_slice(e, es);
}

pub(super) fn endpoint_slice_update(e: &mut Errs, new: &Value, old: &Value) {
    validate_endpoint_slice(e, new);
    if !field_eq(new, old, "addressType") {
        e.push(invalid("addressType", new.get("addressType").unwrap_or(&NULL), "field is immutable"));
    }
}
