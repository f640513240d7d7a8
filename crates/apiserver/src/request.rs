//! What a request is about: parsed from the path and method the way upstream's
//! RequestInfo resolver does, so every later stage (routing, authz, metrics) agrees.

use apimachinery::ApiError;
use http::Method;

/// A request for a resource (as opposed to discovery, health, OpenAPI...).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ResourceRequest {
    pub group: String,
    pub version: String,
    /// Empty for cluster-scoped requests and for lists across all namespaces.
    pub namespace: String,
    pub resource: String,
    pub name: String,
    pub subresource: String,
    pub verb: Verb,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Verb {
    #[default]
    Get,
    List,
    Watch,
    Create,
    Update,
    Patch,
    Delete,
    DeleteCollection,
    /// An HTTP method the API does not serve (OPTIONS, TRACE...): always 405.
    Unsupported,
}

impl Verb {
    pub fn as_str(self) -> &'static str {
        match self {
            Verb::Get => "get",
            Verb::List => "list",
            Verb::Watch => "watch",
            Verb::Create => "create",
            Verb::Update => "update",
            Verb::Patch => "patch",
            Verb::Delete => "delete",
            Verb::DeleteCollection => "deletecollection",
            Verb::Unsupported => "unsupported",
        }
    }

    pub fn is_mutating(self) -> bool {
        matches!(self, Verb::Create | Verb::Update | Verb::Patch | Verb::Delete | Verb::DeleteCollection)
    }
}

/// Where a path leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// `/api` or `/apis`.
    GroupList {
        legacy: bool,
    },
    /// `/apis/<group>`.
    Group {
        group: String,
    },
    /// `/api/v1` or `/apis/<group>/<version>`.
    ResourceList {
        group: String,
        version: String,
    },
    Resource(ResourceRequest),
    /// Anything else (`/version`, `/healthz`, `/openapi/v3`...), handled by path.
    NonResource,
}

/// The request path with percent-escapes decoded, as Go's HTTP server hands it to upstream's
/// handlers (`%61bc` is `abc`; an escaped `/` becomes a separator). A malformed escape or a
/// path that does not decode to UTF-8 is a 400.
pub fn decoded_path(raw: &str) -> Result<String, ApiError> {
    let bytes = raw.as_bytes();
    for (i, _) in raw.match_indices('%') {
        let valid = bytes.get(i + 1..i + 3).is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit));
        if !valid {
            let bad: String = raw[i..].chars().take(3).collect();
            return Err(ApiError::bad_request(format!("invalid URL escape {bad:?}")));
        }
    }
    percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .map(|p| p.into_owned())
        .map_err(|_| ApiError::bad_request("the request path is not valid UTF-8"))
}

/// Subresources of a namespace that follow `/namespaces/<name>/` (everything else there is a resource).
const NAMESPACE_SUBRESOURCES: &[&str] = &["status", "finalize"];

/// Resolves a request path and method. `watch` is the `watch` query parameter.
pub fn route(method: &Method, path: &str, watch_param: bool) -> Route {
    let parts: Vec<&str> = path.trim_matches('/').split('/').filter(|p| !p.is_empty()).collect();
    let (group, version, rest) = match parts.as_slice() {
        ["api"] => return Route::GroupList { legacy: true },
        ["apis"] => return Route::GroupList { legacy: false },
        ["apis", group] => return Route::Group { group: group.to_string() },
        ["api", version] => return Route::ResourceList { group: String::new(), version: version.to_string() },
        ["apis", group, version] => {
            return Route::ResourceList { group: group.to_string(), version: version.to_string() }
        }
        ["api", version, rest @ ..] => (String::new(), version.to_string(), rest),
        ["apis", group, version, rest @ ..] => (group.to_string(), version.to_string(), rest),
        _ => return Route::NonResource,
    };

    let mut rest: Vec<&str> = rest.to_vec();
    // The legacy `/watch/` path prefix watches a collection or one object.
    let watch_prefix = rest.first() == Some(&"watch");
    if watch_prefix {
        rest.remove(0);
    }

    let mut req = ResourceRequest { group, version, ..Default::default() };
    if rest.first() == Some(&"namespaces") && rest.len() > 1 {
        req.namespace = rest[1].to_string();
        if rest.len() > 2 && !NAMESPACE_SUBRESOURCES.contains(&rest[2]) {
            rest.drain(..2);
        }
    }
    match rest.as_slice() {
        [resource] => req.resource = resource.to_string(),
        [resource, name] => {
            req.resource = resource.to_string();
            req.name = name.to_string();
        }
        [resource, name, subresource, ..] => {
            req.resource = resource.to_string();
            req.name = name.to_string();
            req.subresource = subresource.to_string();
        }
        [] => return Route::NonResource,
    }
    // `/api/v1/namespaces/foo` names the namespace `foo`, not a namespace scope.
    if req.resource == "namespaces" {
        req.namespace.clear();
    }

    // `?watch=true` turns only a collection read into a watch; upstream ignores it on a
    // named object, which is then a plain get.
    let watch = watch_prefix || (watch_param && req.name.is_empty());
    req.verb = match *method {
        Method::GET | Method::HEAD if watch => Verb::Watch,
        Method::GET | Method::HEAD if req.name.is_empty() => Verb::List,
        Method::GET | Method::HEAD => Verb::Get,
        Method::POST => Verb::Create,
        Method::PUT => Verb::Update,
        Method::PATCH => Verb::Patch,
        Method::DELETE if req.name.is_empty() => Verb::DeleteCollection,
        Method::DELETE => Verb::Delete,
        _ => Verb::Unsupported,
    };
    Route::Resource(req)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resource(method: Method, path: &str) -> ResourceRequest {
        match route(&method, path, false) {
            Route::Resource(r) => r,
            other => panic!("{path} routed to {other:?}"),
        }
    }

    #[test]
    fn namespaced_paths_resolve_namespace_resource_and_name() {
        let r = resource(Method::GET, "/api/v1/namespaces/default/pods/web");
        assert_eq!((r.namespace.as_str(), r.resource.as_str(), r.name.as_str()), ("default", "pods", "web"));
        assert_eq!(r.verb, Verb::Get);
        let r = resource(Method::GET, "/apis/apps/v1/namespaces/default/deployments");
        assert_eq!((r.group.as_str(), r.verb), ("apps", Verb::List));
    }

    #[test]
    fn subresources_follow_the_name() {
        let r = resource(Method::PATCH, "/apis/apps/v1/namespaces/ns/deployments/web/scale");
        assert_eq!((r.subresource.as_str(), r.verb), ("scale", Verb::Patch));
    }

    #[test]
    fn a_namespace_is_a_cluster_scoped_object_with_its_own_subresources() {
        let r = resource(Method::GET, "/api/v1/namespaces/kube-system");
        assert_eq!((r.resource.as_str(), r.name.as_str(), r.namespace.as_str()), ("namespaces", "kube-system", ""));
        let r = resource(Method::PUT, "/api/v1/namespaces/ns1/finalize");
        assert_eq!((r.resource.as_str(), r.name.as_str(), r.subresource.as_str()), ("namespaces", "ns1", "finalize"));
    }

    #[test]
    fn watch_comes_from_the_query_or_the_legacy_prefix() {
        match route(&Method::GET, "/api/v1/namespaces/a/pods", true) {
            Route::Resource(r) => assert_eq!(r.verb, Verb::Watch),
            other => panic!("{other:?}"),
        }
        let r = resource(Method::GET, "/api/v1/watch/namespaces/a/pods");
        assert_eq!((r.verb, r.namespace.as_str()), (Verb::Watch, "a"));
        let r = resource(Method::GET, "/api/v1/watch/namespaces/a/pods/p1");
        assert_eq!((r.verb, r.name.as_str()), (Verb::Watch, "p1"));
    }

    #[test]
    fn the_watch_parameter_on_a_named_object_is_a_plain_get() {
        for path in ["/api/v1/namespaces/a/pods/p1", "/api/v1/namespaces/a/pods/p1/status"] {
            match route(&Method::GET, path, true) {
                Route::Resource(r) => assert_eq!(r.verb, Verb::Get, "{path}"),
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn paths_are_percent_decoded_and_bad_escapes_refused() {
        assert_eq!(
            decoded_path("/api/v1/namespaces/default/configmaps/%61bc").as_deref(),
            Ok("/api/v1/namespaces/default/configmaps/abc")
        );
        assert_eq!(decoded_path("/api/v1/x%2Fy").as_deref(), Ok("/api/v1/x/y"));
        for bad in ["/api/v1/namespaces/%ZZ", "/api/%", "/api/%4", "/api/%ff"] {
            assert_eq!(decoded_path(bad).expect_err(bad).code, 400, "{bad}");
        }
    }

    #[test]
    fn deleting_without_a_name_is_deletecollection() {
        assert_eq!(resource(Method::DELETE, "/api/v1/namespaces/a/pods").verb, Verb::DeleteCollection);
        assert_eq!(resource(Method::DELETE, "/api/v1/namespaces/a/pods/x").verb, Verb::Delete);
    }

    #[test]
    fn discovery_paths_are_not_resources() {
        assert_eq!(route(&Method::GET, "/api", false), Route::GroupList { legacy: true });
        assert_eq!(route(&Method::GET, "/apis/apps", false), Route::Group { group: "apps".into() });
        assert_eq!(
            route(&Method::GET, "/apis/apps/v1", false),
            Route::ResourceList { group: "apps".into(), version: "v1".into() }
        );
        assert_eq!(route(&Method::GET, "/version", false), Route::NonResource);
    }
}
