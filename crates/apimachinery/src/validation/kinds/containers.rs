//! Containers as upstream's `validateContainers`, `validateInitContainers` and
//! `validateContainerCommon` check them: names, images, ports, env, probes, lifecycle
//! handlers, resources and security contexts.

use std::collections::HashSet;

use serde_json::Value;

use super::access::{child, index, Errs, IntOrStr};
use super::meta::{check_dns_label, check_name, check_qualified_name};
use super::resources::{validate_resize_policy, validate_resources};
use super::volumes::{validate_volume_devices, validate_volume_mounts, Vols};
use crate::quantity::{ParseError, Quantity};
use crate::validation::errors::{duplicate, forbidden, invalid, not_found, not_supported, required};
use crate::validation::names::NameRule;

/// What a container list needs to know about its pod.
pub(super) struct PodCtx<'a> {
    pub vols: &'a Vols,
    pub claim_names: &'a [String],
    pub grace_period: Option<i64>,
    pub restart_policy: &'a str,
    pub host_users: bool,
}

fn s(v: &str) -> Value {
    Value::String(v.to_string())
}

/// `IsValidPortNum` / `IsInRange(1, 65535)`.
pub(super) fn port_num_problem(port: i64) -> Option<String> {
    if (1..=65535).contains(&port) {
        None
    } else {
        Some("must be between 1 and 65535, inclusive".to_string())
    }
}

/// `IsValidPortName`.
pub(super) fn port_name_problems(name: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if name.len() > 15 {
        errs.push("must be no more than 15 characters".to_string());
    }
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
        errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)".to_string());
    }
    if !name.bytes().any(|b| b.is_ascii_lowercase()) {
        errs.push("must contain at least one letter (a-z)".to_string());
    }
    if name.contains("--") {
        errs.push("must not contain consecutive hyphens".to_string());
    }
    if name.starts_with('-') || name.ends_with('-') {
        errs.push("must not begin or end with a hyphen".to_string());
    }
    errs
}

/// `ValidatePortNumOrName` for the int-or-string at `parent[k]` (absent reads as 0).
pub(super) fn validate_port_num_or_name(e: &mut Errs, parent: &Value, path: &str, k: &str) {
    let field = child(path, k);
    match e.int_or_str(parent, path, k).unwrap_or(IntOrStr::Int(0)) {
        IntOrStr::Int(n) => {
            if let Some(msg) = port_num_problem(n) {
                e.push(invalid(&field, &Value::from(n), &msg));
            }
        }
        IntOrStr::Str(name) => {
            for msg in port_name_problems(name) {
                e.push(invalid(&field, &s(name), &msg));
            }
        }
    }
}

fn validate_container_ports(e: &mut Errs, c: &Value, path: &str) {
    let mut names = HashSet::new();
    for (p, port) in e.items(c, path, "ports") {
        let name = e.str(port, &p, "name");
        if !name.is_empty() {
            let problems = port_name_problems(name);
            if !problems.is_empty() {
                for msg in problems {
                    e.push(invalid(&child(&p, "name"), &s(name), &msg));
                }
            } else if !names.insert(name.to_string()) {
                e.push(duplicate(&child(&p, "name"), &s(name)));
            }
        }
        let container_port = e.int(port, &p, "containerPort");
        if container_port == 0 {
            e.push(required(&child(&p, "containerPort"), ""));
        } else if let Some(msg) = port_num_problem(container_port) {
            e.push(invalid(&child(&p, "containerPort"), &Value::from(container_port), &msg));
        }
        let host_port = e.int(port, &p, "hostPort");
        if host_port != 0 {
            if let Some(msg) = port_num_problem(host_port) {
                e.push(invalid(&child(&p, "hostPort"), &Value::from(host_port), &msg));
            }
        }
        let protocol = e.str(port, &p, "protocol");
        if protocol.is_empty() {
            e.push(required(&child(&p, "protocol"), ""));
        } else if !matches!(protocol, "TCP" | "UDP" | "SCTP") {
            e.push(not_supported(&child(&p, "protocol"), &s(protocol), &["SCTP", "TCP", "UDP"]));
        }
    }
}

/// `IsRelaxedEnvVarName` (the RelaxedEnvironmentVariableValidation gate is on in 1.33).
fn env_name_problems(name: &str) -> Vec<String> {
    if name.is_empty() {
        return vec!["environment variable name must be non-empty".to_string()];
    }
    if name.chars().any(|c| !(' '..='~').contains(&c) || c == '=') {
        return vec![
            "a valid environment variable name must consist only of printable ASCII characters other than '='"
                .to_string(),
        ];
    }
    Vec::new()
}

const ENV_FIELD_PATHS: &[&str] = &[
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.serviceAccountName",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
];
pub(super) const VOLUME_FIELD_PATHS: &[&str] =
    &["metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"];
const RESOURCE_FIELD_PATHS: &[&str] = &[
    "limits.cpu",
    "limits.ephemeral-storage",
    "limits.memory",
    "requests.cpu",
    "requests.ephemeral-storage",
    "requests.memory",
];
const DOWNWARD_LABELS: &[&str] = &[
    "metadata.annotations",
    "metadata.labels",
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.restartPolicy",
    "spec.serviceAccountName",
    "spec.schedulerName",
    "status.phase",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
];

/// `fieldpath.SplitMaybeSubscriptedPath`: `metadata.labels['x']` → (`metadata.labels`, `x`).
fn split_subscript(path: &str) -> Option<(&str, &str)> {
    let rest = path.strip_suffix("']")?;
    let (head, sub) = rest.split_once("['")?;
    Some((head, sub))
}

/// `validateObjectFieldSelector`.
pub(super) fn validate_field_ref(e: &mut Errs, fs: &Value, path: &str, allowed: &[&str]) {
    let api_version = e.str(fs, path, "apiVersion");
    let field_path = e.str(fs, path, "fieldPath");
    if api_version.is_empty() {
        e.push(required(&child(path, "apiVersion"), ""));
        return;
    }
    if field_path.is_empty() {
        e.push(required(&child(path, "fieldPath"), ""));
        return;
    }
    let conversion = if api_version != "v1" {
        Err(format!("unsupported pod version: {api_version}"))
    } else if let Some((head, _)) = split_subscript(field_path) {
        if head == "metadata.annotations" || head == "metadata.labels" {
            Ok(field_path.to_string())
        } else {
            Err(format!("field label does not support subscript: {field_path}"))
        }
    } else if field_path == "spec.host" {
        Ok("spec.nodeName".to_string())
    } else if DOWNWARD_LABELS.contains(&field_path) {
        Ok(field_path.to_string())
    } else {
        Err(format!("field label not supported: {field_path}"))
    };
    let internal = match conversion {
        Ok(p) => p,
        Err(err) => {
            e.push(invalid(&child(path, "fieldPath"), &s(field_path), &format!("error converting fieldPath: {err}")));
            return;
        }
    };
    if let Some((head, sub)) = split_subscript(&internal) {
        match head {
            "metadata.annotations" => check_qualified_name(e, &sub.to_lowercase(), path),
            "metadata.labels" => check_qualified_name(e, sub, path),
            other => e.push(invalid(path, &s(other), "does not support subscript")),
        }
    } else if !allowed.contains(&internal.as_str()) {
        e.push(not_supported(&child(path, "fieldPath"), &s(&internal), allowed));
    }
}

/// `validateContainerResourceFieldSelector` (+ divisor).
pub(super) fn validate_resource_field_ref(e: &mut Errs, fs: &Value, path: &str, volume: bool) {
    let container = e.str(fs, path, "containerName");
    let resource = e.str(fs, path, "resource");
    if volume && container.is_empty() {
        e.push(required(&child(path, "containerName"), ""));
    } else if resource.is_empty() {
        e.push(required(&child(path, "resource"), ""));
    } else if !RESOURCE_FIELD_PATHS.contains(&resource)
        && !resource.starts_with("requests.hugepages-")
        && !resource.starts_with("limits.hugepages-")
    {
        e.push(not_supported(&child(path, "resource"), &s(resource), RESOURCE_FIELD_PATHS));
    }
    let Some(divisor) = fs.get("divisor").filter(|d| !d.is_null()) else { return };
    let Ok(q) = Quantity::from_json(divisor) else {
        e.push(invalid(&child(path, "divisor"), divisor, ParseError::FormatWrong.message()));
        return;
    };
    if q.is_zero() {
        return;
    }
    let canonical = q.to_string();
    let memory_like = ["1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei"];
    let (ok, what) = match resource {
        "limits.cpu" | "requests.cpu" => (["1m", "1"].contains(&canonical.as_str()), "only divisor's values 1m and 1 are supported with the cpu resource"),
        "limits.memory" | "requests.memory" => (memory_like.contains(&canonical.as_str()), "only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the memory resource"),
        "limits.ephemeral-storage" | "requests.ephemeral-storage" => (memory_like.contains(&canonical.as_str()), "only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the local ephemeral storage resource"),
        _ if resource.starts_with("requests.hugepages-") || resource.starts_with("limits.hugepages-") => (memory_like.contains(&canonical.as_str()), "only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the hugepages resource"),
        _ => (true, ""),
    };
    if !ok {
        e.push(invalid(&child(path, "divisor"), &s(resource), what));
    }
}

fn validate_key_selector(e: &mut Errs, sel: &Value, path: &str) {
    let name = e.str(sel, path, "name");
    check_name(e, NameRule::Dns1123Subdomain, name, &child(path, "name"));
    let k = e.str(sel, path, "key");
    if k.is_empty() {
        e.push(required(&child(path, "key"), ""));
    } else {
        for msg in config_map_key_problems(k) {
            e.push(invalid(&child(path, "key"), &s(k), &msg));
        }
    }
}

/// `IsConfigMapKey`.
pub(super) fn config_map_key_problems(k: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if k.len() > 253 {
        errs.push("must be no more than 253 characters".to_string());
    }
    if k.is_empty() || !k.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')) {
        errs.push("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')".to_string());
    }
    if k == "." {
        errs.push("must not be '.'".to_string());
    } else if k == ".." {
        errs.push("must not be '..'".to_string());
    } else if k.starts_with("..") {
        errs.push("must not start with '..'".to_string());
    }
    errs
}

fn validate_env(e: &mut Errs, c: &Value, path: &str) {
    for (p, var) in e.items(c, path, "env") {
        let name = e.str(var, &p, "name");
        if name.is_empty() {
            e.push(required(&child(&p, "name"), ""));
        } else {
            for msg in env_name_problems(name) {
                e.push(invalid(&child(&p, "name"), &s(name), &msg));
            }
        }
        let value = e.str(var, &p, "value");
        let vf_path = child(&p, "valueFrom");
        let Some(vf) = e.opt_obj(var, &p, "valueFrom") else { continue };
        let mut sources = 0;
        if let Some(fr) = e.opt_obj(vf, &vf_path, "fieldRef") {
            sources += 1;
            validate_field_ref(e, fr, &child(&vf_path, "fieldRef"), ENV_FIELD_PATHS);
        }
        if let Some(rr) = e.opt_obj(vf, &vf_path, "resourceFieldRef") {
            sources += 1;
            validate_resource_field_ref(e, rr, &child(&vf_path, "resourceFieldRef"), false);
        }
        if let Some(cm) = e.opt_obj(vf, &vf_path, "configMapKeyRef") {
            sources += 1;
            validate_key_selector(e, cm, &child(&vf_path, "configMapKeyRef"));
        }
        if let Some(sk) = e.opt_obj(vf, &vf_path, "secretKeyRef") {
            sources += 1;
            validate_key_selector(e, sk, &child(&vf_path, "secretKeyRef"));
        }
        if sources == 0 {
            e.push(invalid(
                &vf_path,
                &s(""),
                "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
            ));
        } else if !value.is_empty() {
            e.push(invalid(&vf_path, &s(""), "may not be specified when `value` is not empty"));
        } else if sources > 1 {
            e.push(invalid(&vf_path, &s(""), "may not have more than one field specified at a time"));
        }
    }
}

fn validate_env_from(e: &mut Errs, c: &Value, path: &str) {
    let field = child(path, "envFrom");
    for (p, src) in e.items(c, path, "envFrom") {
        let prefix = e.str(src, &p, "prefix");
        if !prefix.is_empty() {
            for msg in env_name_problems(prefix) {
                e.push(invalid(&child(&p, "prefix"), &s(prefix), &msg));
            }
        }
        let mut sources = 0;
        for k in ["configMapRef", "secretRef"] {
            if let Some(r) = e.opt_obj(src, &p, k) {
                sources += 1;
                let rp = child(&p, k);
                let name = e.str(r, &rp, "name");
                if name.is_empty() {
                    e.push(required(&child(&rp, "name"), ""));
                } else {
                    for msg in super::meta::name_messages(NameRule::Dns1123Subdomain, name, true) {
                        e.push(invalid(&child(&rp, "name"), &s(name), &msg));
                    }
                }
            }
        }
        if sources == 0 {
            e.push(invalid(&field, &s(""), "must specify one of: `configMapRef` or `secretRef`"));
        } else if sources > 1 {
            e.push(invalid(&field, &s(""), "may not have more than one field specified at a time"));
        }
    }
}

/// `validateHandler`: exactly one handler; `grpc` only for probes, `sleep` only for hooks.
fn validate_handler(e: &mut Errs, h: &Value, path: &str, probe: bool, ctx: &PodCtx) {
    let kinds: &[&str] =
        if probe { &["exec", "httpGet", "tcpSocket", "grpc"] } else { &["exec", "httpGet", "tcpSocket", "sleep"] };
    let mut count = 0;
    for kind in kinds {
        let Some(handler) = e.opt_obj(h, path, kind) else { continue };
        let hp = child(path, kind);
        if count > 0 {
            e.push(forbidden(&hp, "may not specify more than 1 handler type"));
            continue;
        }
        count += 1;
        match *kind {
            "exec" => {
                if e.str_list(handler, &hp, "command").is_empty() {
                    e.push(required(&child(&hp, "command"), ""));
                }
            }
            "httpGet" => {
                if e.str(handler, &hp, "path").is_empty() {
                    e.push(required(&child(&hp, "path"), ""));
                }
                validate_port_num_or_name(e, handler, &hp, "port");
                let scheme = e.str(handler, &hp, "scheme");
                if scheme != "HTTP" && scheme != "HTTPS" {
                    e.push(not_supported(&child(&hp, "scheme"), &s(scheme), &["HTTP", "HTTPS"]));
                }
                for (hdr_path, header) in e.items(handler, &hp, "httpHeaders") {
                    let name = e.str(header, &hdr_path, "name");
                    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
                        e.push(invalid(&child(&hp, "httpHeaders"), &s(name), "a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')"));
                    }
                }
            }
            "tcpSocket" => validate_port_num_or_name(e, handler, &hp, "port"),
            "grpc" => {
                let port = e.int(handler, &hp, "port");
                if let Some(msg) = port_num_problem(port) {
                    e.push(invalid(&child(&hp, "port"), &Value::from(port), &msg));
                }
            }
            _ => {
                let seconds = e.int(handler, &hp, "seconds");
                if let Some(grace) = ctx.grace_period {
                    if seconds < 0 || seconds > grace {
                        e.push(invalid(
                            &hp,
                            &Value::from(seconds),
                            &format!("must be non-negative and less than terminationGracePeriodSeconds ({grace})"),
                        ));
                    }
                }
            }
        }
    }
    if count == 0 {
        e.push(required(path, "must specify a handler type"));
    }
}

fn nonnegative(e: &mut Errs, v: &Value, path: &str, k: &str) {
    let n = e.int(v, path, k);
    if n < 0 {
        e.push(invalid(&child(path, k), &Value::from(n), "must be greater than or equal to 0"));
    }
}

fn validate_probe(e: &mut Errs, c: &Value, path: &str, k: &str, ctx: &PodCtx) {
    let Some(probe) = e.opt_obj(c, path, k) else { return };
    let p = child(path, k);
    validate_handler(e, probe, &p, true, ctx);
    for f in ["initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"] {
        nonnegative(e, probe, &p, f);
    }
    let tgps = e.opt_int(probe, &p, "terminationGracePeriodSeconds");
    if let Some(t) = tgps {
        if t <= 0 {
            e.push(invalid(&child(&p, "terminationGracePeriodSeconds"), &Value::from(t), "must be greater than 0"));
        }
    }
    match k {
        "readinessProbe" => {
            if let Some(t) = tgps {
                e.push(invalid(
                    &child(&p, "terminationGracePeriodSeconds"),
                    &Value::from(t),
                    "must not be set for readinessProbes",
                ));
            }
        }
        _ => {
            let success = e.int(probe, &p, "successThreshold");
            if success != 1 {
                e.push(invalid(&child(&p, "successThreshold"), &Value::from(success), "must be 1"));
            }
        }
    }
}

fn validate_lifecycle(e: &mut Errs, c: &Value, path: &str, ctx: &PodCtx) {
    let Some(lc) = e.opt_obj(c, path, "lifecycle") else { return };
    let lp = child(path, "lifecycle");
    for hook in ["postStart", "preStop"] {
        if let Some(h) = e.opt_obj(lc, &lp, hook) {
            validate_handler(e, h, &child(&lp, hook), false, ctx);
        }
    }
}

fn validate_pull_policy(e: &mut Errs, v: &Value, path: &str, k: &str) {
    let policy = e.str(v, path, k);
    match policy {
        "Always" | "IfNotPresent" | "Never" => {}
        "" => e.push(required(&child(path, k), "")),
        other => e.push(not_supported(&child(path, k), &s(other), &["Always", "IfNotPresent", "Never"])),
    }
}

/// `validateContainerCommon`.
fn validate_container_common(e: &mut Errs, c: &Value, path: &str, ctx: &PodCtx) {
    let name = e.str(c, path, "name");
    if name.is_empty() {
        e.push(required(&child(path, "name"), ""));
    } else {
        check_dns_label(e, name, &child(path, "name"));
    }
    if e.str(c, path, "image").is_empty() {
        e.push(required(&child(path, "image"), ""));
    }
    e.str_list(c, path, "command");
    e.str_list(c, path, "args");
    e.opt_str(c, path, "workingDir");
    e.opt_str(c, path, "terminationMessagePath");
    for k in ["stdin", "stdinOnce", "tty"] {
        e.opt_bool(c, path, k);
    }
    let tmp = e.str(c, path, "terminationMessagePolicy");
    match tmp {
        "File" | "FallbackToLogsOnError" => {}
        "" => e.push(required(&child(path, "terminationMessagePolicy"), "")),
        other => e.push(not_supported(
            &child(path, "terminationMessagePolicy"),
            &s(other),
            &["File", "FallbackToLogsOnError"],
        )),
    }
    validate_container_ports(e, c, path);
    validate_env(e, c, path);
    validate_env_from(e, c, path);
    validate_volume_mounts(e, c, path, ctx.vols);
    validate_volume_devices(e, c, path, ctx.vols);
    validate_pull_policy(e, c, path, "imagePullPolicy");
    validate_resources(e, c, path, ctx.claim_names);
    validate_resize_policy(e, c, path, ctx.restart_policy);
    super::security::validate_security_context(e, c, path, ctx.host_users);
}

/// Host ports must not collide (`protocol/hostIP/port`) within the given containers.
fn check_host_port_conflicts(e: &mut Errs, containers: &[(String, &Value)]) {
    let mut seen = HashSet::new();
    for (path, c) in containers {
        for (i, port) in c.get("ports").and_then(Value::as_array).into_iter().flatten().enumerate() {
            let host_port = port.get("hostPort").and_then(super::access::as_int).unwrap_or(0);
            if host_port == 0 {
                continue;
            }
            let proto = super::access::get_str(port, "protocol");
            let ip = super::access::get_str(port, "hostIP");
            let k = format!("{proto}/{ip}/{host_port}");
            if !seen.insert(k.clone()) {
                e.push(duplicate(&child(&index(&child(path, "ports"), i), "hostPort"), &s(&k)));
            }
        }
    }
}

/// `validateContainers` for `spec.containers`.
pub(super) fn validate_containers(e: &mut Errs, spec: &Value, path: &str, ctx: &PodCtx) {
    let field = child(path, "containers");
    let containers = e.items(spec, path, "containers");
    if containers.is_empty() {
        e.push(required(&field, ""));
        return;
    }
    let mut names = HashSet::new();
    for (p, c) in &containers {
        validate_container_common(e, c, p, ctx);
        let name = super::access::get_str(c, "name");
        if !names.insert(name.to_string()) {
            e.push(duplicate(&child(p, "name"), &s(name)));
        }
        validate_lifecycle(e, c, p, ctx);
        for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
            validate_probe(e, c, p, probe, ctx);
        }
        if c.get("restartPolicy").is_some_and(|v| !v.is_null()) {
            e.push(forbidden(&child(p, "restartPolicy"), "may not be set for non-init containers"));
        }
    }
    check_host_port_conflicts(e, &containers);
}

/// `validateInitContainers` for `spec.initContainers`.
pub(super) fn validate_init_containers(e: &mut Errs, spec: &Value, path: &str, ctx: &PodCtx) {
    let mut names: HashSet<String> = spec
        .get("containers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|c| super::access::get_str(c, "name").to_string())
        .collect();
    for (p, c) in e.items(spec, path, "initContainers") {
        validate_container_common(e, c, &p, ctx);
        let mut restart_always = false;
        if let Some(rp) = e.opt_str(c, &p, "restartPolicy") {
            if rp != "Always" {
                e.push(not_supported(&child(&p, "restartPolicy"), &s(rp), &["Always"]));
            }
            restart_always = rp == "Always";
        }
        let name = super::access::get_str(c, "name");
        if names.contains(name) {
            e.push(duplicate(&child(&p, "name"), &s(name)));
        } else if !name.is_empty() {
            names.insert(name.to_string());
        }
        check_host_port_conflicts(e, &[(child(path, "initContainers"), c)]);
        if restart_always {
            validate_lifecycle(e, c, &p, ctx);
            for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
                validate_probe(e, c, &p, probe, ctx);
            }
        } else {
            for k in ["lifecycle", "livenessProbe", "readinessProbe", "startupProbe"] {
                if c.get(k).is_some_and(|v| !v.is_null()) {
                    e.push(forbidden(&child(&p, k), "may not be set for init containers without restartPolicy=Always"));
                }
            }
        }
    }
}

const EPHEMERAL_FORBIDDEN: &[&str] = &[
    "ports",
    "resources",
    "livenessProbe",
    "readinessProbe",
    "startupProbe",
    "lifecycle",
    "resizePolicy",
    "restartPolicy",
];

/// `validateEphemeralContainers`.
pub(super) fn validate_ephemeral_containers(e: &mut Errs, spec: &Value, path: &str, ctx: &PodCtx) {
    let names_of = |k: &str| -> Vec<String> {
        spec.get(k)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|c| super::access::get_str(c, "name").to_string())
            .collect()
    };
    let others: Vec<String> = names_of("containers").into_iter().chain(names_of("initContainers")).collect();
    let mut all: HashSet<String> = others.iter().cloned().collect();
    for (p, c) in e.items(spec, path, "ephemeralContainers") {
        validate_container_common(e, c, &p, ctx);
        let image = super::access::get_str(c, "image");
        if image.len() != image.trim().len() {
            e.push(invalid(&child(&p, "image"), &s(image), "must not have leading or trailing whitespace"));
        }
        let name = super::access::get_str(c, "name");
        if !all.insert(name.to_string()) {
            e.push(duplicate(&child(&p, "name"), &s(name)));
        }
        let target = super::access::get_str(c, "targetContainerName");
        if !target.is_empty() && !others.iter().any(|o| o == target) {
            e.push(not_found(&child(&p, "targetContainerName"), &s(target), ""));
        }
        for k in EPHEMERAL_FORBIDDEN {
            if c.get(*k).is_some_and(|v| !super::access::is_empty_value(v)) {
                e.push(forbidden(&child(&p, k), "cannot be set for an Ephemeral Container"));
            }
        }
        for (i, vm) in c.get("volumeMounts").and_then(Value::as_array).into_iter().flatten().enumerate() {
            for k in ["subPath", "subPathExpr"] {
                if !super::access::get_str(vm, k).is_empty() {
                    e.push(forbidden(
                        &child(&index(&child(&p, "volumeMounts"), i), k),
                        "cannot be set for an Ephemeral Container",
                    ));
                }
            }
        }
    }
}

/// `validateContainerOnlyForPod`: images may not carry surrounding whitespace in pods.
pub(super) fn validate_images_only_for_pod(e: &mut Errs, spec: &Value, path: &str, k: &str) {
    for (i, c) in spec.get(k).and_then(Value::as_array).into_iter().flatten().enumerate() {
        let image = super::access::get_str(c, "image");
        if image.len() != image.trim().len() {
            e.push(invalid(
                &child(&index(&child(path, k), i), "image"),
                &s(image),
                "must not have leading or trailing whitespace",
            ));
        }
    }
}
