//! The one REST handler every resource shares: resolves the resource, checks the verb,
//! negotiates the response, and dispatches to read, watch or write.

mod body;
pub mod convert;
mod eviction;
mod filter;
mod paging;
mod patch;
mod read;
mod render;
mod store;
mod subresources;
mod watch;
mod write;

use std::sync::Arc;

use apimachinery::resource::{self, ResourceInfo};
use apimachinery::{ApiError, ApiResult};
use bytes::Bytes;

use crate::api::Api;
use crate::negotiate::{self, Output};
use crate::query::Query;
use crate::request::{ResourceRequest, Verb};
use crate::response::HttpResponse;

pub use store::Part;
pub use write::{create_object, create_system_object};

/// Everything a handler needs to know about one resource request.
#[derive(Clone)]
pub struct Request {
    pub res: &'static ResourceInfo,
    pub info: ResourceRequest,
    pub query: Query,
    /// `Content-Type` without parameters.
    pub content_type: String,
    pub body: Bytes,
    pub output: Output,
    /// The client's User-Agent, which names the field manager when the request does not.
    pub user_agent: String,
}

/// Finds the resource a request names, answering 404 as upstream does when it is unknown.
pub fn resolve(info: &ResourceRequest) -> ApiResult<&'static ResourceInfo> {
    if !resource::serves_version(&info.group, &info.version) {
        return Err(ApiError::not_found_path());
    }
    let res = resource::lookup(&info.group, &info.version, &info.resource).ok_or_else(ApiError::not_found_path)?;
    // A namespaced resource is named within a namespace; a cluster one never is.
    let ns_mismatch = if res.namespaced {
        info.namespace.is_empty() && !info.name.is_empty() && res.plural != "namespaces"
    } else {
        !info.namespace.is_empty()
    };
    if ns_mismatch {
        return Err(ApiError::not_found_path());
    }
    Ok(res)
}

fn method_not_allowed() -> ApiError {
    ApiError::method_not_allowed("the server does not allow this method on the requested resource")
}

/// Checks the verb against the resource (or subresource) and dispatches.
pub async fn handle(
    api: Arc<Api>,
    info: ResourceRequest,
    query: Query,
    content_type: String,
    accept: Option<String>,
    user_agent: String,
    body: Bytes,
) -> ApiResult<HttpResponse> {
    let res = resolve(&info)?;
    let sub = if info.subresource.is_empty() {
        None
    } else {
        Some(res.subresource(&info.subresource).ok_or_else(ApiError::not_found_path)?)
    };
    // Subresources have no watch routes (`/watch/.../pods/p1/status` leads nowhere).
    if sub.is_some() && info.verb == Verb::Watch {
        return Err(ApiError::not_found_path());
    }
    let verb_name = info.verb.as_str();
    // Collections take create/list/deletecollection; named objects the rest.
    let named = !info.name.is_empty();
    // Namespaced collections are created into and deleted from within a namespace only.
    let all_namespaces = res.namespaced && info.namespace.is_empty() && res.plural != "namespaces";
    let shape_ok = match info.verb {
        Verb::Update | Verb::Patch => named,
        Verb::Create => (!named || sub.is_some()) && !all_namespaces,
        Verb::DeleteCollection => !all_namespaces,
        _ => true,
    };
    let allowed = shape_ok
        && match sub {
            Some(s) => s.verbs.contains(&verb_name) || (s.verbs.contains(&"create") && info.verb == Verb::Create),
            None => res.supports(verb_name),
        };
    if !allowed {
        return Err(method_not_allowed());
    }
    let table_allowed = sub.is_none();
    let output = negotiate::negotiate(accept.as_deref(), table_allowed)?;
    let req = Request { res, info, query, content_type, body, output, user_agent };

    match (req.info.subresource.as_str(), req.info.verb) {
        ("", Verb::Get) => read::get(&api, &req).await,
        ("", Verb::List) => read::list(&api, &req).await,
        ("", Verb::Watch) => watch::watch(api.clone(), &req).await,
        ("", Verb::Create) if res.plural == "bindings" => subresources::bind(&api, &req).await,
        ("", Verb::Create) => write::create(&api, &req).await,
        ("", Verb::Update) => write::update(&api, &req, Part::Main).await,
        ("", Verb::Patch) if req.content_type == crate::negotiate::APPLY_PATCH_YAML => {
            write::apply(&api, &req, Part::Main).await
        }
        ("", Verb::Patch) => write::patch(&api, &req, Part::Main).await,
        ("", Verb::Delete) => write::delete(&api, &req).await,
        ("", Verb::DeleteCollection) => write::delete_collection(&api, &req).await,
        ("status", Verb::Get) => read::get(&api, &req).await,
        ("status", Verb::Update) => write::update(&api, &req, Part::Status).await,
        ("status", Verb::Patch) if req.content_type == crate::negotiate::APPLY_PATCH_YAML => {
            write::apply(&api, &req, Part::Status).await
        }
        ("status", Verb::Patch) => write::patch(&api, &req, Part::Status).await,
        ("scale", Verb::Get) => subresources::get_scale(&api, &req).await,
        ("scale", Verb::Update) => subresources::write_scale(&api, &req, false).await,
        ("scale", Verb::Patch) => subresources::write_scale(&api, &req, true).await,
        ("binding", Verb::Create) => subresources::bind(&api, &req).await,
        ("eviction", Verb::Create) => eviction::evict(&api, &req).await,
        ("finalize", Verb::Update) => subresources::finalize_namespace(&api, &req).await,
        ("log" | "exec" | "attach" | "portforward" | "proxy", _) => subresources::kubelet_subresource(&api, &req).await,
        _ => Err(ApiError::new(
            501,
            "NotImplemented",
            format!("the {} subresource of {} is not implemented by this server yet", req.info.subresource, res.plural),
        )),
    }
}
