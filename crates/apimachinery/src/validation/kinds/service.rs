//! Services (`ValidateService`, `ValidateServiceUpdate`, `ValidateServiceStatusUpdate`):
//! ports, types, cluster IPs and IP families, session affinity, traffic policies.

use std::collections::HashSet;

use serde_json::Value;

use super::access::{child, get_int, get_str, go_strings, index, Errs, NULL};
use super::containers::{port_num_problem, validate_port_num_or_name};
use super::meta::{check_dns_label, check_dns_subdomain, check_qualified_name, validate_labels};
use super::net::{check_cidr, check_ip, check_non_special_ip, is_dual_stack, is_ipv6, parse_ip};
use crate::gofmt::go_quote;
use crate::validation::errors::{
    duplicate, duplicate_rendered, forbidden, invalid, invalid_rendered, not_supported, required,
};

fn s(v: &str) -> Value {
    Value::String(v.to_string())
}

fn cluster_ips(spec: &Value) -> Vec<&str> {
    spec.get("clusterIPs").and_then(Value::as_array).into_iter().flatten().map(|v| v.as_str().unwrap_or("")).collect()
}

fn is_headless(spec: &Value) -> bool {
    let ips = cluster_ips(spec);
    ips.len() == 1 && ips[0] == "None"
}

fn externally_accessible(spec: &Value) -> bool {
    let ty = get_str(spec, "type");
    ty == "LoadBalancer"
        || ty == "NodePort"
        || (ty == "ClusterIP" && spec.get("externalIPs").and_then(Value::as_array).is_some_and(|a| !a.is_empty()))
}

fn needs_health_check(spec: &Value) -> bool {
    get_str(spec, "type") == "LoadBalancer" && get_str(spec, "externalTrafficPolicy") == "Local"
}

fn render_ips(spec: &Value, k: &str) -> String {
    go_strings(spec.get(k))
}

fn validate_cluster_ips(e: &mut Errs, spec: &Value) {
    if get_str(spec, "type") == "ExternalName" {
        return;
    }
    let field = "spec.clusterIPs";
    let ips = cluster_ips(spec);
    let cluster_ip = get_str(spec, "clusterIP");
    if !cluster_ip.is_empty() {
        if ips.is_empty() {
            e.push(required(field, ""));
        } else if ips[0] != cluster_ip {
            e.push(invalid_rendered(field, &render_ips(spec, "clusterIPs"), "first value must match `clusterIP`"));
        }
    } else if !ips.is_empty() {
        e.push(invalid_rendered(
            field,
            &render_ips(spec, "clusterIPs"),
            "must be empty when `clusterIP` is not specified",
        ));
    }
    let families = e.str_list(spec, "spec", "ipFamilies");
    let mut seen = HashSet::new();
    for (i, f) in families.iter().enumerate() {
        if *f != "IPv4" && *f != "IPv6" {
            e.push(not_supported(&index("spec.ipFamilies", i), &s(f), &["IPv4", "IPv6"]));
        }
        if !seen.insert(*f) {
            e.push(duplicate(&index("spec.ipFamilies", i), &s(f)));
        }
    }
    if let Some(policy) = e.opt_str(spec, "spec", "ipFamilyPolicy") {
        if !matches!(policy, "SingleStack" | "PreferDualStack" | "RequireDualStack") {
            e.push(not_supported(
                "spec.ipFamilyPolicy",
                &s(policy),
                &["PreferDualStack", "RequireDualStack", "SingleStack"],
            ));
        }
    }
    let mut bad = false;
    for (i, ip) in ips.iter().enumerate() {
        if i == 0 && *ip == "None" {
            if ips.len() > 1 {
                bad = true;
                e.push(invalid_rendered(
                    field,
                    &render_ips(spec, "clusterIPs"),
                    "'None' must be the first and only value",
                ));
            }
            continue;
        }
        bad |= !check_ip(e, ip, &index(field, i));
    }
    if ips.len() > 2 {
        e.push(invalid_rendered(field, &render_ips(spec, "clusterIPs"), "may only hold up to 2 values"));
    }
    if bad {
        return;
    }
    if ips.len() > 1 && !is_dual_stack(&ips) {
        e.push(invalid_rendered(
            field,
            &render_ips(spec, "clusterIPs"),
            "may specify no more than one IP for each IP family",
        ));
    }
    if !is_headless(spec) {
        for (i, ip) in ips.iter().enumerate() {
            let Some(family) = families.get(i) else { break };
            if *family == "IPv4" && is_ipv6(ip) {
                e.push(invalid(
                    &index(field, i),
                    &s(ip),
                    &format!("expected an IPv4 value as indicated by `ipFamilies[{i}]`"),
                ));
            }
            if *family == "IPv6" && !is_ipv6(ip) {
                e.push(invalid(
                    &index(field, i),
                    &s(ip),
                    &format!("expected an IPv6 value as indicated by `ipFamilies[{i}]`"),
                ));
            }
        }
    }
}

/// `ValidateService` (after `ValidateObjectMeta`, which the caller runs).
pub(super) fn validate_service(e: &mut Errs, svc: &Value) {
    let meta = svc.get("metadata").unwrap_or(&NULL);
    let annotations = meta.get("annotations").and_then(Value::as_object);
    let hints = annotations.and_then(|a| a.get("service.kubernetes.io/topology-aware-hints")).and_then(Value::as_str);
    let mode = annotations.and_then(|a| a.get("service.kubernetes.io/topology-mode")).and_then(Value::as_str);
    if let (Some(h), Some(m)) = (hints, mode) {
        if h != m {
            e.push(invalid(
                "metadata.annotations[service.kubernetes.io/topology-mode]",
                &s(m),
                "must match annotations[service.kubernetes.io/topology-aware-hints] when both are specified",
            ));
        }
    }
    let spec = e.obj(svc, "", "spec");
    let ty = e.str(spec, "spec", "type");
    let ports = e.items(spec, "spec", "ports");
    let headless = is_headless(spec);
    if ports.is_empty() && !headless && ty != "ExternalName" {
        e.push(required("spec.ports", ""));
    }
    e.str(spec, "spec", "clusterIP");
    e.str_list(spec, "spec", "clusterIPs");
    match ty {
        "LoadBalancer" | "NodePort" if headless => {
            e.push(invalid("spec.clusterIPs[0]", &s("None"), &format!("may not be set to 'None' for {ty} services")));
        }
        "ExternalName" => {
            if !cluster_ips(spec).is_empty() {
                e.push(forbidden("spec.clusterIPs", "may not be set for ExternalName services"));
            }
            if spec.get("ipFamilies").and_then(Value::as_array).is_some_and(|a| !a.is_empty()) {
                e.push(forbidden("spec.ipFamilies", "may not be set for ExternalName services"));
            }
            if spec.get("ipFamilyPolicy").is_some_and(|v| !v.is_null()) {
                e.push(forbidden("spec.ipFamilyPolicy", "may not be set for ExternalName services"));
            }
            let cname = e.str(spec, "spec", "externalName");
            let cname = cname.strip_suffix('.').unwrap_or(cname);
            if cname.is_empty() {
                e.push(required("spec.externalName", ""));
            } else {
                check_dns_subdomain(e, cname, "spec.externalName");
            }
        }
        _ => {}
    }
    let mut names = HashSet::new();
    let multi = ports.len() > 1;
    for (p, port) in &ports {
        let name = e.str(port, p, "name");
        if multi && name.is_empty() {
            e.push(required(&child(p, "name"), ""));
        } else if !name.is_empty() {
            check_dns_label(e, name, &child(p, "name"));
            if !names.insert(name.to_string()) {
                e.push(duplicate(&child(p, "name"), &s(name)));
            }
        }
        let number = e.int(port, p, "port");
        if let Some(msg) = port_num_problem(number) {
            e.push(invalid(&child(p, "port"), &Value::from(number), &msg));
        }
        let protocol = e.str(port, p, "protocol");
        if protocol.is_empty() {
            e.push(required(&child(p, "protocol"), ""));
        } else if !matches!(protocol, "TCP" | "UDP" | "SCTP") {
            e.push(not_supported(&child(p, "protocol"), &s(protocol), &["SCTP", "TCP", "UDP"]));
        }
        validate_port_num_or_name(e, port, p, "targetPort");
        if let Some(app) = e.opt_str(port, p, "appProtocol") {
            check_qualified_name(e, app, &child(p, "appProtocol"));
        }
        e.int(port, p, "nodePort");
    }
    if spec.get("selector").is_some_and(|v| !v.is_null()) {
        validate_labels(e, spec, "spec", "selector");
    }
    let affinity = e.str(spec, "spec", "sessionAffinity");
    match affinity {
        "" => e.push(required("spec.sessionAffinity", "")),
        "ClientIP" | "None" => {}
        other => e.push(not_supported("spec.sessionAffinity", &s(other), &["ClientIP", "None"])),
    }
    let config = e.opt_obj(spec, "spec", "sessionAffinityConfig");
    if affinity == "ClientIP" {
        let cp = "spec.sessionAffinityConfig";
        let client_ip = config.and_then(|c| c.get("clientIP")).filter(|v| !v.is_null());
        let timeout = client_ip.and_then(|c| c.get("timeoutSeconds")).filter(|v| !v.is_null());
        match (config, client_ip, timeout) {
            (None, _, _) => e.push(required(cp, "when session affinity type is ClientIP")),
            (_, None, _) => {
                e.push(required("spec.sessionAffinityConfig.clientIP", "when session affinity type is ClientIP"))
            }
            (_, _, None) => e.push(required(
                "spec.sessionAffinityConfig.clientIP.timeoutSeconds",
                "when session affinity type is ClientIP",
            )),
            (_, _, Some(t)) => {
                let secs = super::access::as_int(t).unwrap_or(0);
                if secs <= 0 || secs > 86400 {
                    e.push(invalid(
                        "spec.sessionAffinityConfig.clientIP.timeoutSeconds",
                        &Value::from(secs),
                        "must be greater than 0 and less than 86400",
                    ));
                }
            }
        }
    } else if affinity == "None" && config.is_some() {
        e.push(forbidden("spec.sessionAffinityConfig", "must not be set when session affinity is None"));
    }
    validate_cluster_ips(e, spec);
    for (i, ip) in e.str_list(spec, "spec", "externalIPs").iter().enumerate() {
        let p = index("spec.externalIPs", i);
        if check_ip(e, ip, &p) {
            check_non_special_ip(e, ip, &p);
        }
    }
    match ty {
        "" => e.push(required("spec.type", "")),
        "ClusterIP" | "NodePort" | "LoadBalancer" | "ExternalName" => {}
        other => {
            e.push(not_supported("spec.type", &s(other), &["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]))
        }
    }
    if ty == "ClusterIP" {
        for (p, port) in &ports {
            if get_int(port, "nodePort").unwrap_or(0) != 0 {
                e.push(forbidden(&child(p, "nodePort"), "may not be used when `type` is 'ClusterIP'"));
            }
        }
    }
    let mut node_ports = HashSet::new();
    for (p, port) in &ports {
        let np = get_int(port, "nodePort").unwrap_or(0);
        if np == 0 {
            continue;
        }
        if !node_ports.insert((get_str(port, "protocol").to_string(), np)) {
            e.push(duplicate(&child(p, "nodePort"), &Value::from(np)));
        }
    }
    let mut seen_ports = HashSet::new();
    for (p, port) in &ports {
        let proto = get_str(port, "protocol");
        let number = get_int(port, "port").unwrap_or(0);
        if !seen_ports.insert((proto.to_string(), number)) {
            let rendered = format!(
                "core.ServicePort{{Name:\"\", Protocol:{}, AppProtocol:(*string)(nil), Port:{number}, TargetPort:intstr.IntOrString{{Type:0, IntVal:0, StrVal:\"\"}}, NodePort:0}}",
                go_quote(proto)
            );
            e.push(duplicate_rendered(p, &rendered));
        }
    }
    let ranges = e.str_list(spec, "spec", "loadBalancerSourceRanges");
    if !ranges.is_empty() {
        let fp = "spec.LoadBalancerSourceRanges";
        if ty != "LoadBalancer" {
            e.push(forbidden(fp, "may only be used when `type` is 'LoadBalancer'"));
        }
        for (i, r) in ranges.iter().enumerate() {
            check_cidr(e, r.trim(), &index(fp, i));
        }
    } else if let Some(val) = annotations
        .and_then(|a| a.get("service.beta.kubernetes.io/load-balancer-source-ranges"))
        .and_then(Value::as_str)
    {
        let fp = "metadata.annotations[service.beta.kubernetes.io/load-balancer-source-ranges]";
        if ty != "LoadBalancer" {
            e.push(forbidden(fp, "may only be used when `type` is 'LoadBalancer'"));
        }
        let val = val.trim();
        if !val.is_empty() {
            for cidr in val.split(',') {
                check_cidr(e, cidr.trim(), fp);
            }
        }
    }
    let allocate = e.opt_bool(spec, "spec", "allocateLoadBalancerNodePorts");
    if allocate.is_some() && ty != "LoadBalancer" {
        e.push(forbidden("spec.allocateLoadBalancerNodePorts", "may only be used when `type` is 'LoadBalancer'"));
    }
    if ty == "LoadBalancer" && allocate.is_none() {
        e.push(required("allocateLoadBalancerNodePorts", ""));
    }
    let lb_class = e.opt_str(spec, "spec", "loadBalancerClass");
    if ty == "LoadBalancer" {
        if let Some(class) = lb_class {
            check_qualified_name(e, class, "spec.loadBalancerClass");
        }
    } else if lb_class.is_some() {
        e.push(forbidden("spec.loadBalancerClass", "may only be used when `type` is 'LoadBalancer'"));
    }
    let etp = e.str(spec, "spec", "externalTrafficPolicy");
    if !externally_accessible(spec) {
        if !etp.is_empty() {
            e.push(invalid(
                "spec.externalTrafficPolicy",
                &s(etp),
                "may only be set for externally-accessible services",
            ));
        }
    } else if etp.is_empty() {
        e.push(required("spec.externalTrafficPolicy", ""));
    } else if etp != "Cluster" && etp != "Local" {
        e.push(not_supported("spec.externalTrafficPolicy", &s(etp), &["Cluster", "Local"]));
    }
    let hcnp = e.int(spec, "spec", "healthCheckNodePort");
    if !needs_health_check(spec) {
        if hcnp != 0 {
            e.push(invalid(
                "spec.healthCheckNodePort",
                &Value::from(hcnp),
                "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
            ));
        }
    } else if hcnp == 0 {
        e.push(required("spec.healthCheckNodePort", ""));
    } else if let Some(msg) = port_num_problem(hcnp) {
        e.push(invalid("spec.healthCheckNodePort", &Value::from(hcnp), &msg));
    }
    match e.opt_str(spec, "spec", "internalTrafficPolicy") {
        None => {
            if matches!(ty, "NodePort" | "LoadBalancer" | "ClusterIP") {
                e.push(required("spec.internalTrafficPolicy", ""));
            }
        }
        Some(p) if p != "Cluster" && p != "Local" => {
            e.push(not_supported("spec.internalTrafficPolicy", &s(p), &["Cluster", "Local"]));
        }
        Some(_) => {}
    }
    if let Some(td) = e.opt_str(spec, "spec", "trafficDistribution") {
        if td != "PreferClose" {
            e.push(not_supported("spec.trafficDistribution", &s(td), &["PreferClose"]));
        }
    }
    e.bool(spec, "spec", "publishNotReadyAddresses");
}

fn render_families(spec: &Value) -> String {
    match spec.get("ipFamilies").and_then(Value::as_array) {
        None => "[]core.IPFamily(nil)".to_string(),
        Some(a) => {
            let items: Vec<String> = a.iter().map(|v| go_quote(v.as_str().unwrap_or(""))).collect();
            format!("[]core.IPFamily{{{}}}", items.join(", "))
        }
    }
}

/// `ValidateServiceUpdate`: cluster IPs and families may only be added or released.
pub(super) fn validate_service_update(e: &mut Errs, new: &Value, old: &Value) {
    let spec = new.get("spec").unwrap_or(&NULL);
    let old_spec = old.get("spec").unwrap_or(&NULL);
    let external = get_str(spec, "type") == "ExternalName" || get_str(old_spec, "type") == "ExternalName";
    let (new_headless, old_headless) = (is_headless(spec), is_headless(old_spec));
    if !(external || new_headless && old_headless) {
        let (n, o) = (cluster_ips(spec), cluster_ips(old_spec));
        let rendered = render_ips(spec, "clusterIPs");
        if n.len() == o.len() {
            for (i, ip) in o.iter().enumerate() {
                if *ip != n[i] {
                    e.push(invalid_rendered(&index("spec.clusterIPs", i), &rendered, "may not change once set"));
                }
            }
        } else if o.len() > n.len() {
            if n.is_empty() {
                e.push(invalid_rendered("spec.clusterIPs[0]", &rendered, "primary clusterIP can not be unset"));
            }
            if !o.is_empty() && !n.is_empty() && n[0] != o[0] {
                e.push(invalid_rendered("spec.clusterIPs[0]", &rendered, "may not change once set"));
            }
            if n.len() == 1 && get_str(spec, "ipFamilyPolicy") != "SingleStack" {
                let policy = spec.get("ipFamilyPolicy").and_then(Value::as_str).map_or("null".to_string(), go_quote);
                e.push(invalid_rendered(
                    "spec.ipFamilyPolicy",
                    &policy,
                    "must be set to 'SingleStack' when releasing the secondary clusterIP",
                ));
            }
        } else if !o.is_empty() && n[0] != o[0] {
            e.push(invalid_rendered("spec.clusterIPs[0]", &rendered, "may not change once set"));
        }
    }
    if !external && new_headless == old_headless && !new_headless {
        let fam = |v: &Value| -> Vec<String> {
            v.get("ipFamilies")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|f| f.as_str().unwrap_or("").to_string())
                .collect()
        };
        let (n, o) = (fam(spec), fam(old_spec));
        if n.len() == o.len() {
            for (i, f) in o.iter().enumerate() {
                if *f != n[i] {
                    e.push(invalid_rendered("spec.ipFamilies[0]", &render_families(spec), "may not change once set"));
                }
            }
        } else if o.len() > n.len() {
            if cluster_ips(spec).is_empty() {
                e.push(invalid_rendered(
                    "spec.ipFamilies[0]",
                    &render_families(spec),
                    "primary ipFamily can not be unset",
                ));
            }
            if !n.is_empty() && n[0] != o[0] {
                e.push(invalid_rendered(
                    "spec.ipFamilies[0]",
                    &render_ips(spec, "clusterIPs"),
                    "may not change once set",
                ));
            }
            if n.len() == 1 && get_str(spec, "ipFamilyPolicy") != "SingleStack" {
                let policy = spec.get("ipFamilyPolicy").and_then(Value::as_str).map_or("null".to_string(), go_quote);
                e.push(invalid_rendered(
                    "spec.ipFamilyPolicy",
                    &policy,
                    "must be set to 'SingleStack' when releasing the secondary ipFamily",
                ));
            }
        } else if !o.is_empty() && !n.is_empty() && n[0] != o[0] {
            e.push(invalid_rendered("spec.ipFamilies[0]", &render_ips(spec, "clusterIPs"), "may not change once set"));
        }
    }
    if get_str(spec, "type") == "LoadBalancer"
        && get_str(old_spec, "type") == "LoadBalancer"
        && spec.get("loadBalancerClass") != old_spec.get("loadBalancerClass")
    {
        let class = spec.get("loadBalancerClass").and_then(Value::as_str).map_or("null".to_string(), go_quote);
        e.push(invalid_rendered("spec.loadBalancerClass", &class, "may not change once set"));
    }
    if needs_health_check(old_spec)
        && needs_health_check(spec)
        && get_int(spec, "healthCheckNodePort") != get_int(old_spec, "healthCheckNodePort")
    {
        e.push(forbidden("spec.healthCheckNodePort", "field is immutable"));
    }
    validate_service(e, new);
}

/// `ValidateServiceStatusUpdate`: load balancer ingress points.
pub(super) fn validate_service_status(e: &mut Errs, new: &Value, _old: &Value) {
    let spec = new.get("spec").unwrap_or(&NULL);
    let status = e.obj(new, "", "status");
    let lb = e.obj(status, "status", "loadBalancer");
    validate_load_balancer_status(e, lb, "status.loadBalancer", get_str(spec, "type") == "LoadBalancer");
}

/// `ValidateLoadBalancerStatus` (also used by Ingress status).
pub(super) fn validate_load_balancer_status(e: &mut Errs, lb: &Value, path: &str, is_lb: bool) {
    let ingress = e.items(lb, path, "ingress");
    if !is_lb && !ingress.is_empty() {
        e.push(forbidden(&child(path, "ingress"), "may only be used when `spec.type` is 'LoadBalancer'"));
        return;
    }
    for (p, ing) in ingress {
        let ip = e.str(ing, &p, "ip");
        if !ip.is_empty() {
            check_ip(e, ip, &child(&p, "ip"));
        }
        let mode = e.opt_str(ing, &p, "ipMode");
        match mode {
            None if !ip.is_empty() => e.push(required(&child(&p, "ipMode"), "must be specified when `ip` is set")),
            Some(_) if ip.is_empty() => {
                e.push(forbidden(&child(&p, "ipMode"), "may not be specified when `ip` is not set"))
            }
            Some(m) if m != "VIP" && m != "Proxy" => {
                e.push(not_supported(&child(&p, "ipMode"), &s(m), &["Proxy", "VIP"]))
            }
            _ => {}
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
