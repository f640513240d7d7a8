//! Defaults of the smaller groups: `scheduling.k8s.io` PriorityClasses, `discovery.k8s.io`
//! EndpointSlice ports, `admissionregistration.k8s.io` webhooks, and `authentication.k8s.io`
//! TokenRequests. (`policy`, `coordination.k8s.io`, `certificates.k8s.io` and the Event kinds
//! have no defaults.)

use serde_json::{Map, Value};

use super::{default_ptr, Obj};

/// Seconds a requested service account token lives when the request does not say.
const TOKEN_EXPIRATION_SECONDS: i64 = 3600;

pub(super) fn defaults(package: &str, ty: &str, m: &mut Obj) {
    match (package, ty) {
        ("scheduling.v1", "PriorityClass") => default_ptr(m, "preemptionPolicy", "PreemptLowerPriority"),
        ("discovery.v1", "EndpointPort") => {
            default_ptr(m, "name", "");
            default_ptr(m, "protocol", "TCP");
        }
        ("admissionregistration.v1", "ValidatingWebhook") => webhook(m, false),
        ("admissionregistration.v1", "MutatingWebhook") => webhook(m, true),
        ("admissionregistration.v1", "RuleWithOperations" | "Rule") => default_ptr(m, "scope", "*"),
        ("admissionregistration.v1", "ServiceReference") => default_ptr(m, "port", 443),
        ("authentication.v1", "TokenRequestSpec") => default_ptr(m, "expirationSeconds", TOKEN_EXPIRATION_SECONDS),
        _ => {}
    }
}

/// `sideEffects` and `admissionReviewVersions` are required in v1, not defaulted.
fn webhook(m: &mut Obj, mutating: bool) {
    default_ptr(m, "failurePolicy", "Fail");
    default_ptr(m, "matchPolicy", "Equivalent");
    default_ptr(m, "namespaceSelector", Value::Object(Map::new()));
    default_ptr(m, "objectSelector", Value::Object(Map::new()));
    default_ptr(m, "timeoutSeconds", 10);
    if mutating {
        default_ptr(m, "reinvocationPolicy", "Never");
    }
}
