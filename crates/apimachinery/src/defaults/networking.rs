//! Defaults of `networking.k8s.io/v1`: NetworkPolicies and IngressClasses (Ingresses have none).

use serde_json::json;

use super::{default_ptr, empty, ensure_object, object, Obj};

pub(super) fn defaults(ty: &str, m: &mut Obj) {
    match ty {
        "NetworkPolicy" => {
            let Some(spec) = ensure_object(m, "spec") else { return };
            if empty(spec, "policyTypes") {
                // A policy that does not say governs ingress, and egress too when it has egress rules.
                let types = if empty(spec, "egress") { json!(["Ingress"]) } else { json!(["Ingress", "Egress"]) };
                spec.insert("policyTypes".into(), types);
            }
        }
        "NetworkPolicyPort" => default_ptr(m, "protocol", "TCP"),
        "IngressClass" => {
            if let Some(parameters) = object(m, "spec").and_then(|s| object(s, "parameters")) {
                default_ptr(parameters, "scope", "Cluster");
            }
        }
        _ => {}
    }
}
