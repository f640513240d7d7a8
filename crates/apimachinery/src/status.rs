//! Kubernetes `Status` errors: every failure the API answers with is one of these.
//!
//! Reasons and codes follow `metav1.StatusReason` so that kubectl prints
//! `Error from server (<Reason>): <message>` exactly as it does for upstream.

use serde_json::{json, Map, Value};

/// One field-level cause inside a `Status` (`details.causes[]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cause {
    /// e.g. `FieldValueInvalid`, `FieldValueRequired`, `FieldValueNotSupported`, `FieldManagerConflict`.
    pub reason: String,
    pub message: String,
    /// JSON path of the offending field, e.g. `metadata.name` or `spec.containers[0].image`.
    pub field: String,
}

impl Cause {
    pub fn new(reason: impl Into<String>, message: impl Into<String>, field: impl Into<String>) -> Self {
        Cause { reason: reason.into(), message: message.into(), field: field.into() }
    }
}

/// What the object the error is about is called (`details.{name,group,kind}`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Subject {
    pub group: String,
    /// The resource plural (upstream puts the resource, not the Kind, into `details.kind`).
    pub kind: String,
    pub name: String,
}

impl Subject {
    pub fn new(group: &str, kind: &str, name: &str) -> Self {
        Subject { group: group.to_string(), kind: kind.to_string(), name: name.to_string() }
    }

    /// `pods "web"` or `deployments.apps "web"`, as upstream names objects in messages.
    pub fn qualified(&self) -> String {
        if self.group.is_empty() {
            format!("{} \"{}\"", self.kind, self.name)
        } else {
            format!("{}.{} \"{}\"", self.kind, self.group, self.name)
        }
    }
}

/// An API failure, rendered as a `metav1.Status` with `status: Failure`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub code: u16,
    /// Empty for reasons upstream leaves unset (e.g. plain 500s).
    pub reason: &'static str,
    pub message: String,
    /// Boxed: errors travel in every `Result` of the request path, so they stay small.
    pub subject: Option<Box<Subject>>,
    pub causes: Vec<Cause>,
    /// Seconds for `Retry-After` / `details.retryAfterSeconds`.
    pub retry_after: Option<u32>,
    /// `metadata.continue` of the Status: the token that resumes an expired paged list
    /// (inconsistently, at the latest revision).
    pub continue_token: Option<Box<str>>,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}): {}", self.code, self.reason, self.message)
    }
}

impl std::error::Error for ApiError {}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(code: u16, reason: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            code,
            reason,
            message: message.into(),
            subject: None,
            causes: Vec::new(),
            retry_after: None,
            continue_token: None,
        }
    }

    pub fn with_subject(mut self, subject: Subject) -> Self {
        self.subject = Some(Box::new(subject));
        self
    }

    pub fn with_causes(mut self, causes: Vec<Cause>) -> Self {
        self.causes = causes;
        self
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError::new(400, "BadRequest", message)
    }

    pub fn not_found(subject: Subject) -> Self {
        let message = format!("{} not found", subject.qualified());
        ApiError::new(404, "NotFound", message).with_subject(subject)
    }

    /// A 404 for a path that names no resource at all.
    pub fn not_found_path() -> Self {
        ApiError::new(404, "NotFound", "the server could not find the requested resource")
    }

    pub fn already_exists(subject: Subject) -> Self {
        let message = format!("{} already exists", subject.qualified());
        ApiError::new(409, "AlreadyExists", message).with_subject(subject)
    }

    /// Optimistic-concurrency failure on update/delete.
    pub fn conflict(subject: Subject, why: &str) -> Self {
        let message = format!("Operation cannot be fulfilled on {}: {}", subject.qualified(), why);
        ApiError::new(409, "Conflict", message).with_subject(subject)
    }

    pub fn stale_resource_version(subject: Subject) -> Self {
        ApiError::conflict(
            subject,
            "the object has been modified; please apply your changes to the latest version and try again",
        )
    }

    /// 422 with field causes; the message lists them as upstream's `NewInvalid` does.
    pub fn invalid(subject: Subject, causes: Vec<Cause>) -> Self {
        let details: Vec<String> = causes
            .iter()
            .map(|c| if c.field.is_empty() { c.message.clone() } else { format!("{}: {}", c.field, c.message) })
            .collect();
        let kind =
            if subject.group.is_empty() { subject.kind.clone() } else { format!("{}.{}", subject.kind, subject.group) };
        let message = match details.len() {
            0 => format!("{} \"{}\" is invalid", kind, subject.name),
            1 => format!("{} \"{}\" is invalid: {}", kind, subject.name, details[0]),
            _ => format!("{} \"{}\" is invalid: [{}]", kind, subject.name, details.join(", ")),
        };
        ApiError::new(422, "Invalid", message).with_subject(subject).with_causes(causes)
    }

    /// 400 for a body that names a type but cannot be decoded as it, worded as upstream's
    /// decoder reports it (`Deployment in version "v1" cannot be handled as a Deployment: ...`).
    pub fn undecodable(kind: &str, version: &str, detail: &str) -> Self {
        ApiError::bad_request(format!("{kind} in version \"{version}\" cannot be handled as a {kind}: {detail}"))
    }

    pub fn method_not_allowed(message: impl Into<String>) -> Self {
        ApiError::new(405, "MethodNotAllowed", message)
    }

    /// 410 for a resourceVersion or continue token that etcd compacted away.
    pub fn expired(message: impl Into<String>) -> Self {
        ApiError::new(410, "Expired", message)
    }

    /// 410 `Gone` as a watch reports it for a too-old resourceVersion.
    pub fn gone(message: impl Into<String>) -> Self {
        ApiError::new(410, "Gone", message)
    }

    pub fn too_large(message: impl Into<String>) -> Self {
        ApiError::new(413, "RequestEntityTooLarge", message)
    }

    pub fn unsupported_media_type(content_type: &str) -> Self {
        ApiError::new(415, "UnsupportedMediaType", format!("the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf; got {content_type:?}"))
    }

    pub fn not_acceptable(message: impl Into<String>) -> Self {
        ApiError::new(406, "NotAcceptable", message)
    }

    pub fn too_many_requests(retry_after: u32) -> Self {
        let mut e = ApiError::new(429, "TooManyRequests", "Too many requests, please try again later.");
        e.retry_after = Some(retry_after);
        e
    }

    pub fn service_unavailable(message: impl Into<String>) -> Self {
        ApiError::new(503, "ServiceUnavailable", message)
    }

    pub fn timeout(message: impl Into<String>) -> Self {
        ApiError::new(504, "Timeout", message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        ApiError::new(500, "InternalError", format!("Internal error occurred: {}", message.into()))
    }

    /// 403 about one object: `namespaces "default" is forbidden: <why>`.
    pub fn forbidden(subject: Subject, why: &str) -> Self {
        let message = format!("{} is forbidden: {why}", subject.qualified());
        ApiError::new(403, "Forbidden", message).with_subject(subject)
    }

    /// The `metav1.Status` object for this error.
    pub fn to_status(&self) -> Value {
        let mut status = Map::new();
        status.insert("kind".into(), json!("Status"));
        status.insert("apiVersion".into(), json!("v1"));
        let metadata = match &self.continue_token {
            Some(token) => json!({"continue": &**token}),
            None => json!({}),
        };
        status.insert("metadata".into(), metadata);
        status.insert("status".into(), json!("Failure"));
        status.insert("message".into(), json!(self.message));
        if !self.reason.is_empty() {
            status.insert("reason".into(), json!(self.reason));
        }
        let mut details = Map::new();
        if let Some(s) = &self.subject {
            if !s.name.is_empty() {
                details.insert("name".into(), json!(s.name));
            }
            if !s.group.is_empty() {
                details.insert("group".into(), json!(s.group));
            }
            if !s.kind.is_empty() {
                details.insert("kind".into(), json!(s.kind));
            }
        }
        if !self.causes.is_empty() {
            let causes: Vec<Value> = self
                .causes
                .iter()
                .map(|c| json!({"reason": c.reason, "message": c.message, "field": c.field}))
                .collect();
            details.insert("causes".into(), Value::Array(causes));
        }
        if let Some(secs) = self.retry_after {
            details.insert("retryAfterSeconds".into(), json!(secs));
        }
        if !details.is_empty() {
            status.insert("details".into(), Value::Object(details));
        }
        status.insert("code".into(), json!(self.code));
        Value::Object(status)
    }
}

/// The `Status` a successful delete of a whole object answers with when no object is returned.
pub fn success_status(subject: &Subject) -> Value {
    let mut details = json!({"name": subject.name, "kind": subject.kind});
    if !subject.group.is_empty() {
        details["group"] = json!(subject.group);
    }
    json!({
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Success",
        "details": details,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_found_reads_like_upstream() {
        let e = ApiError::not_found(Subject::new("", "pods", "p1"));
        assert_eq!(e.message, "pods \"p1\" not found");
        let s = e.to_status();
        assert_eq!(s["reason"], "NotFound");
        assert_eq!(s["code"], 404);
        assert_eq!(s["details"]["kind"], "pods");
    }

    #[test]
    fn grouped_resources_are_qualified_in_messages() {
        let e = ApiError::already_exists(Subject::new("apps", "deployments", "web"));
        assert_eq!(e.message, "deployments.apps \"web\" already exists");
        assert_eq!(e.to_status()["details"]["group"], "apps");
    }

    #[test]
    fn invalid_lists_every_cause() {
        let e = ApiError::invalid(
            Subject::new("", "Pod", "x"),
            vec![
                Cause::new("FieldValueRequired", "Required value", "spec.containers"),
                Cause::new("FieldValueInvalid", "Invalid value: \"A\"", "metadata.name"),
            ],
        );
        assert_eq!(e.code, 422);
        assert_eq!(
            e.message,
            "Pod \"x\" is invalid: [spec.containers: Required value, metadata.name: Invalid value: \"A\"]"
        );
        assert_eq!(e.to_status()["details"]["causes"].as_array().map(|a| a.len()), Some(2));
    }

    #[test]
    fn retry_after_is_carried_in_details() {
        let s = ApiError::too_many_requests(1).to_status();
        assert_eq!(s["details"]["retryAfterSeconds"], 1);
        assert_eq!(s["code"], 429);
    }
}
