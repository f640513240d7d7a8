//! GET and LIST.

use std::sync::Arc;

use apimachinery::resource::ResourceInfo;
use apimachinery::{ApiError, ApiResult};

use super::filter::Filter;
use super::paging;
use super::render::{self, ListMeta};
use super::Request;
use crate::api::{Api, CACHE_WAIT};
use crate::errors::{from_storage, from_storage_plain};
use crate::object::StoredObject;
use crate::query::RvMatch;
use crate::response::HttpResponse;

/// Reads one object: from etcd when no resourceVersion is given (a consistent read),
/// from the watch cache otherwise (`0` = any, `N` = not older than N).
pub async fn get_object(api: &Api, req: &Request) -> ApiResult<StoredObject> {
    let res = req.res;
    let (ns, name) = (&req.info.namespace, &req.info.name);
    let rv = &req.query.resource_version;
    if rv.is_empty() {
        return api.read(res, ns, name).await?.ok_or_else(|| ApiError::not_found(Api::subject(res, name)));
    }
    let wanted = req.query.revision();
    if wanted > 0 {
        api.cache.wait_for_revision(wanted, CACHE_WAIT).await.map_err(from_storage_plain)?;
    }
    let key = api.layout.key(res, ns, name);
    let (found, _) = api.cache.get(api.layout.id_of(res), &key);
    found.map(|o| (*o).clone()).ok_or_else(|| ApiError::not_found(Api::subject(res, name)))
}

pub async fn get(api: &Api, req: &Request) -> ApiResult<HttpResponse> {
    let obj = get_object(api, req).await?;
    Ok(render::object(req.res, &obj, req.output, &req.query.include_object, 200))
}

/// The objects a list selects, and its metadata.
pub struct Listed {
    pub items: Vec<Arc<StoredObject>>,
    pub meta: ListMeta,
}

pub async fn list(api: &Api, req: &Request) -> ApiResult<HttpResponse> {
    let listed = list_objects(api, req.res, &req.info.namespace, req).await?;
    Ok(render::list(req.res, &listed.items, &listed.meta, req.output, &req.query.include_object))
}

/// How long a consistent list waits for the watch cache before reading etcd directly.
const CONSISTENT_WAIT: std::time::Duration = std::time::Duration::from_secs(1);

/// Chooses where a list is served from, as upstream does: paged and exact reads go to
/// etcd; everything else is served from the watch cache once it is recent enough.
pub async fn list_objects(api: &Api, res: &'static ResourceInfo, namespace: &str, req: &Request) -> ApiResult<Listed> {
    let q = &req.query;
    q.validate_list()?;
    let filter = Filter::from_query(res, namespace, q)?;
    let paged = q.limit > 0 && q.resource_version != "0" && q.resource_version_match != RvMatch::NotOlderThan;
    if !q.continue_token.is_empty() || paged || q.resource_version_match == RvMatch::Exact {
        return list_from_etcd(api, res, namespace, req, &filter).await;
    }
    if q.resource_version.is_empty() {
        match api.cache.wait_fresh(CONSISTENT_WAIT).await {
            Ok(_) => {}
            // The cache could not prove it is current: read etcd itself, as upstream does.
            Err(storage::StorageError::Timeout(_) | storage::StorageError::TooLargeResourceVersion { .. }) => {
                return list_from_etcd(api, res, namespace, req, &filter).await;
            }
            Err(e) => return Err(from_storage_plain(e)),
        }
    } else if q.revision() > 0 {
        api.cache.wait_for_revision(q.revision(), CACHE_WAIT).await.map_err(from_storage_plain)?;
    }
    let prefix = api.layout.list_prefix(res, namespace);
    let id = api.layout.id_of(res);
    let (items, revision) = match filter.exact_name() {
        // `metadata.name=x` narrows a list to one key, as kubectl's wait and get -w use it.
        Some(name) if !res.namespaced || !namespace.is_empty() => {
            let key = api.layout.key(res, namespace, name);
            let (found, revision) = api.cache.get(id, &key);
            (found.into_iter().filter(|o| filter.matches(o)).collect(), revision)
        }
        _ => api.cache.list(id, &prefix, |o| filter.matches(o)),
    };
    Ok(Listed { items, meta: ListMeta { resource_version: revision, ..Default::default() } })
}

/// A list read from etcd page by page at one revision, filtered, up to `limit` items.
async fn list_from_etcd(
    api: &Api,
    res: &'static ResourceInfo,
    namespace: &str,
    req: &Request,
    filter: &Filter,
) -> ApiResult<Listed> {
    let q = &req.query;
    let prefix = api.layout.list_prefix(res, namespace);
    let (mut revision, mut start) = if q.continue_token.is_empty() {
        let revision = match q.resource_version_match {
            RvMatch::Exact => q.revision(),
            _ => 0,
        };
        (revision, prefix.clone())
    } else {
        if !q.resource_version.is_empty() && q.resource_version != "0" {
            return Err(ApiError::bad_request("specifying resource version is not allowed when using continue"));
        }
        let token = paging::decode(&q.continue_token)?;
        // A LATEST token reads at etcd's current revision (0 asks etcd for it).
        (token.revision.max(0), format!("{prefix}{}", token.start))
    };
    let stored = api.stored_resource(res);
    let limit = q.limit;
    let mut items = Vec::new();
    let mut continue_from: Option<String> = None;
    let mut remaining = None;
    loop {
        let page = api.etcd.range(&prefix, &start, revision, limit).await.map_err(|e| match e {
            storage::StorageError::Compacted { .. } if !q.continue_token.is_empty() => {
                expired_continue(start.strip_prefix(&prefix).unwrap_or(&start))
            }
            other => from_storage(other, &crate::api::Api::subject(res, "")),
        })?;
        revision = page.revision;
        let count = page.kvs.len();
        for (i, kv) in page.kvs.iter().enumerate() {
            let obj = StoredObject::decode(stored, &kv.value, kv.mod_revision).map_err(ApiError::internal)?;
            if filter.matches(&obj) {
                items.push(Arc::new(obj));
            }
            let last_in_page = i + 1 == count;
            if limit > 0 && items.len() as i64 >= limit && (!last_in_page || page.more) {
                continue_from = Some(format!("{}\0", kv.key));
                if filter.is_everything() {
                    remaining = Some(page.remaining + (count - i - 1) as i64);
                }
                break;
            }
        }
        if continue_from.is_some() || !page.more {
            break;
        }
        match page.kvs.last() {
            Some(last) => start = format!("{}\0", last.key),
            None => break,
        }
    }
    let continue_token = continue_from
        .map(|key| paging::encode(revision, key.strip_prefix(&prefix).unwrap_or(&key)))
        .unwrap_or_default();
    Ok(Listed { items, meta: ListMeta { resource_version: revision, continue_token, remaining } })
}

/// 410 for a continue token whose revision etcd compacted away. The Status carries a token
/// that resumes from the same key at the latest revision, as upstream's does.
fn expired_continue(start_relative: &str) -> ApiError {
    let mut err = ApiError::expired(
        "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.",
    );
    err.continue_token = Some(paging::encode(paging::LATEST, start_relative).into());
    err
}
