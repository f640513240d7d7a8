//! Query parameters of resource requests, parsed and checked once.

use apimachinery::ApiError;

/// `resourceVersionMatch`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RvMatch {
    #[default]
    Unset,
    NotOlderThan,
    Exact,
}

#[derive(Debug, Clone, Default)]
pub struct Query {
    pub label_selector: String,
    pub field_selector: String,
    pub limit: i64,
    pub continue_token: String,
    pub resource_version: String,
    pub resource_version_match: RvMatch,
    pub watch: bool,
    pub timeout_seconds: Option<u64>,
    pub allow_watch_bookmarks: bool,
    pub send_initial_events: Option<bool>,
    pub dry_run: bool,
    pub field_manager: String,
    pub field_validation: String,
    pub force: bool,
    pub grace_period_seconds: Option<i64>,
    pub propagation_policy: String,
    pub orphan_dependents: Option<bool>,
    pub include_object: String,
    pub pretty: bool,
    /// Every parameter, for subresources with their own (log, exec...).
    pub raw: Vec<(String, String)>,
}

fn parse_bool(name: &str, value: &str) -> Result<bool, ApiError> {
    match value {
        "" | "true" | "1" | "True" | "TRUE" | "t" | "T" => Ok(true),
        "false" | "0" | "False" | "FALSE" | "f" | "F" => Ok(false),
        other => Err(ApiError::bad_request(format!("invalid value for {name}: {other:?}: must be a boolean"))),
    }
}

fn parse_int(name: &str, value: &str) -> Result<i64, ApiError> {
    value
        .parse::<i64>()
        .map_err(|_| ApiError::bad_request(format!("invalid value for {name}: {value:?}: must be an integer")))
}

impl Query {
    /// Parses a raw query string (percent-encoded).
    pub fn parse(raw_query: Option<&str>) -> Result<Query, ApiError> {
        let mut q = Query::default();
        let pairs: Vec<(String, String)> = url::form_urlencoded::parse(raw_query.unwrap_or("").as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        for (k, v) in &pairs {
            match k.as_str() {
                "labelSelector" => q.label_selector = v.clone(),
                "fieldSelector" => q.field_selector = v.clone(),
                "limit" => {
                    q.limit = parse_int(k, v)?;
                    if q.limit < 0 {
                        return Err(ApiError::bad_request(format!("invalid value for limit: {v:?}: must be non-negative")));
                    }
                }
                "continue" => q.continue_token = v.clone(),
                "resourceVersion" => q.resource_version = v.clone(),
                "resourceVersionMatch" => {
                    q.resource_version_match = match v.as_str() {
                        "" => RvMatch::Unset,
                        "NotOlderThan" => RvMatch::NotOlderThan,
                        "Exact" => RvMatch::Exact,
                        other => {
                            return Err(ApiError::bad_request(format!(
                                "resourceVersionMatch: Unsupported value: {other:?}: supported values: \"Exact\", \"NotOlderThan\""
                            )))
                        }
                    }
                }
                "watch" => q.watch = parse_bool(k, v)?,
                "timeoutSeconds" => {
                    let t = parse_int(k, v)?;
                    if t < 0 {
                        return Err(ApiError::bad_request(format!("invalid value for timeoutSeconds: {v:?}")));
                    }
                    q.timeout_seconds = Some(t as u64);
                }
                "allowWatchBookmarks" => q.allow_watch_bookmarks = parse_bool(k, v)?,
                "sendInitialEvents" => q.send_initial_events = Some(parse_bool(k, v)?),
                "dryRun" => {
                    if v != "All" {
                        return Err(ApiError::bad_request(format!(
                            "dryRun: Unsupported value: {v:?}: supported values: \"All\""
                        )));
                    }
                    q.dry_run = true;
                }
                "fieldManager" => q.field_manager = v.clone(),
                "fieldValidation" => q.field_validation = v.clone(),
                "force" => q.force = parse_bool(k, v)?,
                "gracePeriodSeconds" => q.grace_period_seconds = Some(parse_int(k, v)?),
                "propagationPolicy" => q.propagation_policy = v.clone(),
                "orphanDependents" => q.orphan_dependents = Some(parse_bool(k, v)?),
                "includeObject" => q.include_object = v.clone(),
                "pretty" => q.pretty = parse_bool(k, v)?,
                _ => {}
            }
        }
        q.raw = pairs;
        Ok(q)
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.raw.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Checks parameters that only make sense together (upstream's ListOptions validation,
    /// which differs for lists and watches).
    pub fn validate_list(&self) -> Result<(), ApiError> {
        let mut causes = Vec::new();
        let rv_match = self.resource_version_match;
        if self.watch {
            if self.send_initial_events.is_some() && rv_match != RvMatch::NotOlderThan {
                causes.push(forbidden(
                    "resourceVersionMatch",
                    "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan",
                ));
            }
            if rv_match != RvMatch::Unset {
                if self.send_initial_events.is_none() {
                    causes.push(forbidden(
                        "resourceVersionMatch",
                        "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided",
                    ));
                }
                if rv_match == RvMatch::Exact {
                    causes.push(apimachinery::Cause::new(
                        "FieldValueNotSupported",
                        "Unsupported value: \"Exact\": supported values: \"NotOlderThan\"",
                        "resourceVersionMatch",
                    ));
                }
            }
        } else {
            if self.send_initial_events.is_some() {
                causes.push(forbidden("sendInitialEvents", "sendInitialEvents is forbidden for list"));
            }
            if rv_match != RvMatch::Unset {
                if self.resource_version.is_empty() {
                    causes.push(forbidden(
                        "resourceVersionMatch",
                        "resourceVersionMatch is forbidden unless resourceVersion is provided",
                    ));
                }
                if rv_match == RvMatch::Exact && self.resource_version == "0" {
                    causes.push(forbidden(
                        "resourceVersionMatch",
                        "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"",
                    ));
                }
            }
        }
        if rv_match != RvMatch::Unset && !self.continue_token.is_empty() {
            causes
                .push(forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden when continue is provided"));
        }
        if !causes.is_empty() {
            return Err(ApiError::invalid(apimachinery::Subject::new("meta.k8s.io", "ListOptions", ""), causes));
        }
        if !self.resource_version.is_empty() && self.resource_version.parse::<u64>().is_err() {
            return Err(ApiError::bad_request(format!("invalid resource version: {:?}", self.resource_version)));
        }
        Ok(())
    }

    /// The resourceVersion as a revision (0 when unset or "0").
    pub fn revision(&self) -> i64 {
        self.resource_version.parse::<i64>().unwrap_or(0)
    }
}

fn forbidden(field: &str, message: &str) -> apimachinery::Cause {
    apimachinery::Cause::new("FieldValueForbidden", format!("Forbidden: {message}"), field)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_parameters_are_decoded() {
        let q = Query::parse(Some("labelSelector=app%3Dweb&limit=500&watch=1&timeoutSeconds=30")).expect("ok");
        assert_eq!(q.label_selector, "app=web");
        assert_eq!(q.limit, 500);
        assert!(q.watch);
        assert_eq!(q.timeout_seconds, Some(30));
    }

    #[test]
    fn negative_limits_and_bad_numbers_are_bad_requests() {
        assert_eq!(Query::parse(Some("limit=-1")).expect_err("400").code, 400);
        assert_eq!(Query::parse(Some("limit=ten")).expect_err("400").code, 400);
        assert_eq!(Query::parse(Some("dryRun=Some")).expect_err("400").code, 400);
    }

    #[test]
    fn initial_events_need_not_older_than() {
        let q = Query::parse(Some("watch=1&sendInitialEvents=true")).expect("ok");
        let err = q.validate_list().expect_err("NotOlderThan required");
        assert_eq!(err.code, 422);
        assert!(err.message.contains("NotOlderThan"), "{}", err.message);
        let ok = Query::parse(Some(
            "watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true",
        ))
        .expect("ok");
        ok.validate_list().expect("a consistent streaming list is valid");
        let list = Query::parse(Some("resourceVersionMatch=NotOlderThan")).expect("ok");
        assert!(list.validate_list().is_err(), "a list's resourceVersionMatch needs a resourceVersion");
    }

    #[test]
    fn garbage_resource_versions_are_refused() {
        let q = Query::parse(Some("resourceVersion=abc")).expect("parses");
        assert_eq!(q.validate_list().expect_err("400").code, 400);
    }
}
