//! Pod and container security contexts: user and group IDs, sysctls, seccomp and
//! AppArmor profiles, proc mounts, capabilities, and the Windows/Linux OS restrictions.

use serde_json::Value;

use super::access::{child, index, Errs};
use crate::validation::errors::{duplicate, forbidden, invalid, invalid_rendered, not_supported, required, too_long};

fn s(v: &str) -> Value {
    Value::String(v.to_string())
}

const ID_RANGE: &str = "must be between 0 and 4294967295, inclusive";

fn check_id(e: &mut Errs, v: &Value, path: &str, k: &str) {
    if let Some(id) = e.opt_int(v, path, k) {
        if !(0..=0xffff_ffff).contains(&id) {
            e.push(invalid(&child(path, k), &Value::from(id), ID_RANGE));
        }
    }
}

/// `validateLocalDescendingPath`: relative, without `..` elements.
pub(super) fn validate_local_descending_path(e: &mut Errs, target: &str, path: &str) {
    if target.starts_with('/') {
        e.push(invalid(path, &s(target), "must be a relative path"));
    }
    validate_no_backsteps(e, target, path);
}

/// `validatePathNoBacksteps`.
pub(super) fn validate_no_backsteps(e: &mut Errs, target: &str, path: &str) {
    if target.split('/').any(|part| part == "..") {
        e.push(invalid(path, &s(target), "must not contain '..'"));
    }
}

fn validate_seccomp(e: &mut Errs, parent: &Value, path: &str) {
    let Some(sp) = e.opt_obj(parent, path, "seccompProfile") else { return };
    let p = child(path, "seccompProfile");
    let ty = e.str(sp, &p, "type");
    match ty {
        "Localhost" | "RuntimeDefault" | "Unconfined" => {}
        "" => e.push(required(&child(&p, "type"), "type is required when seccompProfile is set")),
        other => e.push(not_supported(&child(&p, "type"), &s(other), &["Localhost", "RuntimeDefault", "Unconfined"])),
    }
    let local = e.opt_str(sp, &p, "localhostProfile");
    if ty == "Localhost" {
        match local {
            None => e.push(required(&child(&p, "localhostProfile"), "must be set when seccomp type is Localhost")),
            Some(l) => validate_local_descending_path(e, l, &child(&p, "localhostProfile")),
        }
    } else if local.is_some() {
        e.push(invalid_rendered(
            &child(&p, "localhostProfile"),
            &sp.to_string(),
            "can only be set when seccomp type is Localhost",
        ));
    }
}

fn validate_apparmor(e: &mut Errs, parent: &Value, path: &str) {
    let Some(ap) = e.opt_obj(parent, path, "appArmorProfile") else { return };
    let p = child(path, "appArmorProfile");
    let local = e.opt_str(ap, &p, "localhostProfile");
    match e.str(ap, &p, "type") {
        "Localhost" => match local {
            None => e.push(required(&child(&p, "localhostProfile"), "must be set when AppArmor type is Localhost")),
            Some(l) => {
                if l.trim() != l {
                    e.push(invalid(&child(&p, "localhostProfile"), &s(l), "must not be padded with whitespace"));
                } else if l.is_empty() {
                    e.push(required(&child(&p, "localhostProfile"), "must be set when AppArmor type is Localhost"));
                }
                if l.len() > 4095 {
                    e.push(too_long(&child(&p, "localhostProfile"), 4095));
                }
            }
        },
        "RuntimeDefault" | "Unconfined" => {
            if let Some(l) = local {
                e.push(invalid(
                    &child(&p, "localhostProfile"),
                    &s(l),
                    "can only be set when AppArmor type is Localhost",
                ));
            }
        }
        "" => e.push(required(&child(&p, "type"), "type is required when appArmorProfile is set")),
        other => e.push(not_supported(&child(&p, "type"), &s(other), &["Localhost", "RuntimeDefault", "Unconfined"])),
    }
}

fn validate_windows_options(e: &mut Errs, parent: &Value, path: &str) {
    let Some(w) = e.opt_obj(parent, path, "windowsOptions") else { return };
    let p = child(path, "windowsOptions");
    if let Some(name) = e.opt_str(w, &p, "gmsaCredentialSpecName") {
        super::meta::check_dns_subdomain(e, name, &child(&p, "gmsaCredentialSpecName"));
    }
    if let Some(spec) = e.opt_str(w, &p, "gmsaCredentialSpec") {
        if spec.is_empty() {
            e.push(invalid(&child(&p, "gmsaCredentialSpec"), &s(spec), "gmsaCredentialSpec cannot be an empty string"));
        } else if spec.len() > 64 * 1024 {
            e.push(invalid(&child(&p, "gmsaCredentialSpec"), &s(spec), "gmsaCredentialSpec size must be under 64 KiB"));
        }
    }
    if let Some(user) = e.opt_str(w, &p, "runAsUserName") {
        let up = child(&p, "runAsUserName");
        if user.is_empty() {
            e.push(invalid(&up, &s(user), "runAsUserName cannot be an empty string"));
        } else if user.chars().any(char::is_control) {
            e.push(invalid(&up, &s(user), "runAsUserName cannot contain control characters"));
        } else if user.matches('\\').count() > 1 {
            e.push(invalid(&up, &s(user), "runAsUserName cannot contain more than one backslash"));
        }
    }
    e.opt_bool(w, &p, "hostProcess");
}

/// `ValidateSecurityContext` for the container at `path`.
pub(super) fn validate_security_context(e: &mut Errs, c: &Value, path: &str, host_users: bool) {
    let Some(sc) = e.opt_obj(c, path, "securityContext") else { return };
    let p = child(path, "securityContext");
    let privileged = e.opt_bool(sc, &p, "privileged");
    check_id(e, sc, &p, "runAsUser");
    check_id(e, sc, &p, "runAsGroup");
    e.opt_bool(sc, &p, "runAsNonRoot");
    e.opt_bool(sc, &p, "readOnlyRootFilesystem");
    if let Some(pm) = e.opt_str(sc, &p, "procMount") {
        if pm != "Default" && pm != "Unmasked" {
            e.push(not_supported(&child(&p, "procMount"), &s(pm), &["Default", "Unmasked"]));
        }
        if host_users && pm == "Unmasked" {
            e.push(invalid(&child(&p, "procMount"), &s(pm), "`hostUsers` must be false to use `Unmasked`"));
        }
    }
    validate_seccomp(e, sc, &p);
    let caps = e.opt_obj(sc, &p, "capabilities");
    let adds = caps.map(|cap| e.str_list(cap, &child(&p, "capabilities"), "add")).unwrap_or_default();
    if let Some(cap) = caps {
        e.str_list(cap, &child(&p, "capabilities"), "drop");
    }
    if e.opt_bool(sc, &p, "allowPrivilegeEscalation") == Some(false) {
        if privileged == Some(true) {
            e.push(invalid_rendered(
                &p,
                &sc.to_string(),
                "cannot set `allowPrivilegeEscalation` to false and `privileged` to true",
            ));
        }
        if adds.contains(&"CAP_SYS_ADMIN") {
            e.push(invalid_rendered(
                &p,
                &sc.to_string(),
                "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN",
            ));
        }
    }
    validate_windows_options(e, sc, &p);
    validate_apparmor(e, sc, &p);
    e.opt_obj(sc, &p, "seLinuxOptions");
}

/// `IsValidSysctlName`.
fn is_valid_sysctl_name(name: &str) -> bool {
    if name.len() > 253 {
        return false;
    }
    let segment_ok = |seg: &str| {
        let b = seg.as_bytes();
        !b.is_empty()
            && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
            && (b[b.len() - 1].is_ascii_lowercase() || b[b.len() - 1].is_ascii_digit())
            && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-' || *c == b'_')
    };
    name.split(['.', '/']).all(segment_ok)
}

/// The namespace a sysctl belongs to, for the host-network/IPC restriction.
fn sysctl_namespace(name: &str) -> &'static str {
    let n = name.replace('/', ".");
    if n.starts_with("net.") {
        "net"
    } else if n.starts_with("kernel.shm")
        || n.starts_with("kernel.msg")
        || n.starts_with("kernel.sem")
        || n.starts_with("fs.mqueue.")
    {
        "ipc"
    } else {
        ""
    }
}

/// `validatePodSpecSecurityContext` (host namespaces live on the spec in v1).
pub(super) fn validate_pod_security_context(e: &mut Errs, spec: &Value, path: &str) {
    let Some(sc) = e.opt_obj(spec, path, "securityContext") else { return };
    let p = child(path, "securityContext");
    check_id(e, sc, &p, "fsGroup");
    check_id(e, sc, &p, "runAsUser");
    check_id(e, sc, &p, "runAsGroup");
    let groups_path = child(&p, "supplementalGroups");
    for (i, g) in e.arr(sc, &p, "supplementalGroups").iter().enumerate() {
        match super::access::as_int(g) {
            Some(id) if !(0..=0xffff_ffff).contains(&id) => e.push(invalid(&index(&groups_path, i), g, ID_RANGE)),
            Some(_) => {}
            None => e.wrong_type(&index(&groups_path, i), g, "integer"),
        }
    }
    let host_pid = e.bool(spec, path, "hostPID");
    let host_network = e.bool(spec, path, "hostNetwork");
    let host_ipc = e.bool(spec, path, "hostIPC");
    if e.opt_bool(spec, path, "shareProcessNamespace") == Some(true) && host_pid {
        e.push(invalid(
            &child(&p, "shareProcessNamespace"),
            &Value::Bool(true),
            "ShareProcessNamespace and HostPID cannot both be enabled",
        ));
    }
    let mut names = Vec::new();
    for (sp, sysctl) in e.items(sc, &p, "sysctls") {
        let name = e.str(sysctl, &sp, "name");
        e.str(sysctl, &sp, "value");
        let np = child(&sp, "name");
        if name.is_empty() {
            e.push(required(&np, ""));
        } else if !is_valid_sysctl_name(name) {
            e.push(invalid(&np, &s(name), "must have at most 253 characters and match regex ^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$"));
        } else if names.contains(&name) {
            e.push(duplicate(&np, &s(name)));
        }
        match sysctl_namespace(name) {
            "net" if host_network => e.push(invalid(&np, &s(name), "may not be specified when 'hostNetwork' is true")),
            "ipc" if host_ipc => e.push(invalid(&np, &s(name), "may not be specified when 'hostIPC' is true")),
            _ => {}
        }
        names.push(name);
    }
    if let Some(policy) = e.opt_str(sc, &p, "fsGroupChangePolicy") {
        if policy != "OnRootMismatch" && policy != "Always" {
            e.push(not_supported(&child(&p, "fsGroupChangePolicy"), &s(policy), &["Always", "OnRootMismatch"]));
        }
    }
    validate_seccomp(e, sc, &p);
    validate_windows_options(e, sc, &p);
    validate_apparmor(e, sc, &p);
    if let Some(policy) = e.opt_str(sc, &p, "supplementalGroupsPolicy") {
        if policy != "Merge" && policy != "Strict" {
            e.push(not_supported(&child(&p, "supplementalGroupsPolicy"), &s(policy), &["Merge", "Strict"]));
        }
    }
    if let Some(policy) = e.opt_str(sc, &p, "seLinuxChangePolicy") {
        if policy != "Recursive" {
            e.push(not_supported(&child(&p, "seLinuxChangePolicy"), &s(policy), &["Recursive"]));
        }
    }
    if e.opt_bool(spec, path, "hostUsers") == Some(false) {
        if host_network {
            e.push(forbidden(&child(path, "hostNetwork"), "when `pod.Spec.HostUsers` is false"));
        }
        if host_pid {
            e.push(forbidden(&child(path, "HostPID"), "when `pod.Spec.HostUsers` is false"));
        }
        if host_ipc {
            e.push(forbidden(&child(path, "HostIPC"), "when `pod.Spec.HostUsers` is false"));
        }
    }
}

/// `validateOS` and the per-OS restrictions on security settings.
pub(super) fn validate_os(e: &mut Errs, spec: &Value, path: &str) {
    let Some(os) = e.opt_obj(spec, path, "os") else { return };
    let op = child(path, "os");
    let name = e.str(os, &op, "name");
    if name.is_empty() {
        e.push(required(&child(&op, "name"), "cannot be empty"));
        return;
    }
    if name != "linux" && name != "windows" {
        e.push(not_supported(&op, &s(name), &["linux", "windows"]));
        return;
    }
    let pod_sc = spec.get("securityContext").filter(|v| v.is_object());
    let containers: Vec<(String, &Value)> = ["containers", "initContainers", "ephemeralContainers"]
        .iter()
        .flat_map(|k| {
            spec.get(*k)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
                .map(move |(i, c)| (index(&child(path, k), i), c))
        })
        .collect();
    if name == "linux" {
        if pod_sc.is_some_and(|sc| sc.get("windowsOptions").is_some_and(|w| !w.is_null())) {
            e.push(forbidden(
                &child(&child(path, "securityContext"), "windowsOptions"),
                "windows options cannot be set for a linux pod",
            ));
        }
        for (cp, c) in &containers {
            if c.get("securityContext").and_then(|sc| sc.get("windowsOptions")).is_some_and(|w| !w.is_null()) {
                e.push(forbidden(
                    &child(&child(cp, "securityContext"), "windowsOptions"),
                    "windows options cannot be set for a linux pod",
                ));
            }
        }
        return;
    }
    const W: &str = "cannot be set for a windows pod";
    if let Some(sc) = pod_sc {
        let scp = child(path, "securityContext");
        for k in ["appArmorProfile", "seLinuxOptions"] {
            if sc.get(k).is_some_and(|v| !v.is_null()) {
                e.push(forbidden(&child(&scp, k), W));
            }
        }
        for k in [
            "seccompProfile",
            "fsGroup",
            "fsGroupChangePolicy",
            "runAsUser",
            "runAsGroup",
            "supplementalGroupsPolicy",
            "seLinuxChangePolicy",
        ] {
            if sc.get(k).is_some_and(|v| !v.is_null()) {
                e.push(forbidden(&child(&scp, k), W));
            }
        }
        if sc.get("sysctls").and_then(Value::as_array).is_some_and(|a| !a.is_empty()) {
            e.push(forbidden(&child(&scp, "sysctls"), W));
        }
        if sc.get("supplementalGroups").is_some_and(|v| !v.is_null()) {
            e.push(forbidden(&child(&scp, "supplementalGroups"), W));
        }
    }
    for k in ["hostUsers", "shareProcessNamespace"] {
        if spec.get(k).is_some_and(|v| !v.is_null()) {
            e.push(forbidden(&child(path, k), W));
        }
    }
    for k in ["hostPID", "hostIPC"] {
        if spec.get(k).and_then(Value::as_bool) == Some(true) {
            e.push(forbidden(&child(path, k), W));
        }
    }
    for (cp, c) in &containers {
        let Some(sc) = c.get("securityContext").filter(|v| v.is_object()) else { continue };
        let scp = child(cp, "securityContext");
        for k in [
            "appArmorProfile",
            "seLinuxOptions",
            "seccompProfile",
            "capabilities",
            "readOnlyRootFilesystem",
            "privileged",
            "allowPrivilegeEscalation",
            "procMount",
            "runAsUser",
            "runAsGroup",
        ] {
            if sc.get(k).is_some_and(|v| !v.is_null()) {
                e.push(forbidden(&child(&scp, k), W));
            }
        }
    }
}
