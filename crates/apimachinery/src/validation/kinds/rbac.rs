//! Role, ClusterRole, RoleBinding and ClusterRoleBinding (`pkg/apis/rbac/validation`).

use serde_json::Value;

use super::access::{child, field_eq, get_str, go_strings, Errs, NULL};
use super::meta::{as_selector, check_name, validate_selector_object, STRICT};
use crate::gofmt::go_quote;
use crate::validation::errors::{invalid_rendered, not_supported, required};
use crate::validation::names::NameRule;

const GROUP: &str = "rbac.authorization.k8s.io";

fn s(v: &str) -> Value {
    Value::String(v.to_string())
}

/// `ValidatePolicyRule`.
fn validate_rules(e: &mut Errs, obj: &Value, namespaced: bool) {
    for (p, rule) in e.items(obj, "", "rules") {
        let verbs = e.str_list(rule, &p, "verbs");
        let groups = e.str_list(rule, &p, "apiGroups");
        let resources = e.str_list(rule, &p, "resources");
        let names = e.str_list(rule, &p, "resourceNames");
        let urls = e.str_list(rule, &p, "nonResourceURLs");
        if verbs.is_empty() {
            e.push(required(&child(&p, "verbs"), "verbs must contain at least one value"));
        }
        if !urls.is_empty() {
            let rendered = go_strings(rule.get("nonResourceURLs"));
            if namespaced {
                e.push(invalid_rendered(
                    &child(&p, "nonResourceURLs"),
                    &rendered,
                    "namespaced rules cannot apply to non-resource URLs",
                ));
            }
            if !groups.is_empty() || !resources.is_empty() || !names.is_empty() {
                e.push(invalid_rendered(
                    &child(&p, "nonResourceURLs"),
                    &rendered,
                    "rules cannot apply to both regular resources and non-resource URLs",
                ));
            }
            continue;
        }
        if groups.is_empty() {
            e.push(required(&child(&p, "apiGroups"), "resource rules must supply at least one api group"));
        }
        if resources.is_empty() {
            e.push(required(&child(&p, "resources"), "resource rules must supply at least one resource"));
        }
    }
}

pub(super) fn role_create(e: &mut Errs, obj: &Value) {
    validate_rules(e, obj, true);
}

pub(super) fn role_update(e: &mut Errs, new: &Value, _old: &Value) {
    validate_rules(e, new, true);
}

pub(super) fn cluster_role_create(e: &mut Errs, obj: &Value) {
    validate_rules(e, obj, false);
    let Some(agg) = e.opt_obj(obj, "", "aggregationRule") else { return };
    let selectors = e.items(agg, "aggregationRule", "clusterRoleSelectors");
    if selectors.is_empty() {
        e.push(required(
            "aggregationRule.clusterRoleSelectors",
            "at least one clusterRoleSelector required if aggregationRule is non-nil",
        ));
    }
    let list = agg.get("clusterRoleSelectors").unwrap_or(&NULL);
    for (i, (p, sel)) in selectors.into_iter().enumerate() {
        validate_selector_object(e, sel, &p, STRICT);
        if as_selector(list.get(i).unwrap_or(&NULL)).is_none() {
            e.push(invalid_rendered(&p, &super::access::go_label_selector(sel), "invalid label selector."));
        }
    }
}

pub(super) fn cluster_role_update(e: &mut Errs, new: &Value, _old: &Value) {
    cluster_role_create(e, new);
}

fn validate_subjects(e: &mut Errs, obj: &Value, namespaced: bool) {
    for (p, subject) in e.items(obj, "", "subjects") {
        let name = e.str(subject, &p, "name");
        let group = e.str(subject, &p, "apiGroup");
        let kind = e.str(subject, &p, "kind");
        let namespace = e.str(subject, &p, "namespace");
        if name.is_empty() {
            e.push(required(&child(&p, "name"), ""));
        }
        match kind {
            "ServiceAccount" => {
                if !name.is_empty() {
                    check_name(e, NameRule::Dns1123Subdomain, name, &child(&p, "name"));
                }
                if !group.is_empty() {
                    e.push(not_supported(&child(&p, "apiGroup"), &s(group), &[""]));
                }
                if !namespaced && namespace.is_empty() {
                    e.push(required(&child(&p, "namespace"), ""));
                }
            }
            "User" | "Group" => {
                if group != GROUP {
                    e.push(not_supported(&child(&p, "apiGroup"), &s(group), &[GROUP]));
                }
            }
            other => e.push(not_supported(&child(&p, "kind"), &s(other), &["ServiceAccount", "User", "Group"])),
        }
    }
}

fn validate_binding(e: &mut Errs, obj: &Value, namespaced: bool) {
    let role_ref = e.obj(obj, "", "roleRef");
    let group = e.str(role_ref, "roleRef", "apiGroup");
    if group != GROUP {
        e.push(not_supported("roleRef.apiGroup", &s(group), &[GROUP]));
    }
    let kind = e.str(role_ref, "roleRef", "kind");
    let allowed: &[&str] = if namespaced { &["Role", "ClusterRole"] } else { &["ClusterRole"] };
    if !allowed.contains(&kind) {
        e.push(not_supported("roleRef.kind", &s(kind), allowed));
    }
    let name = e.str(role_ref, "roleRef", "name");
    if name.is_empty() {
        e.push(required("roleRef.name", ""));
    } else {
        check_name(e, NameRule::PathSegment, name, "roleRef.name");
    }
    validate_subjects(e, obj, namespaced);
}

pub(super) fn role_binding_create(e: &mut Errs, obj: &Value) {
    validate_binding(e, obj, true);
}

pub(super) fn cluster_role_binding_create(e: &mut Errs, obj: &Value) {
    validate_binding(e, obj, false);
}

fn role_ref_unchanged(e: &mut Errs, new: &Value, old: &Value) {
    if !field_eq(new, old, "roleRef") {
        let r = new.get("roleRef").unwrap_or(&NULL);
        let rendered = format!(
            "rbac.RoleRef{{APIGroup:{}, Kind:{}, Name:{}}}",
            go_quote(get_str(r, "apiGroup")),
            go_quote(get_str(r, "kind")),
            go_quote(get_str(r, "name"))
        );
        e.push(invalid_rendered("roleRef", &rendered, "cannot change roleRef"));
    }
}

pub(super) fn role_binding_update(e: &mut Errs, new: &Value, old: &Value) {
    validate_binding(e, new, true);
    role_ref_unchanged(e, new, old);
}

pub(super) fn cluster_role_binding_update(e: &mut Errs, new: &Value, old: &Value) {
    validate_binding(e, new, false);
    role_ref_unchanged(e, new, old);
}
