//! CREATE, UPDATE (PUT), PATCH, DELETE and DELETECOLLECTION of whole objects and of the
//! status subresource.

use apimachinery::resource::ResourceInfo;
use apimachinery::{meta, ApiError, ApiResult, Subject};
use serde_json::{json, Value};

use super::body;
use super::convert;
use super::patch;
use super::read;
use super::render;
use super::store::{self, Part};
use super::Request;
use crate::api::Api;
use crate::negotiate;
use crate::object::StoredObject;
use crate::response::{self, HttpResponse};
use crate::strategy;

/// Decodes a create/update body into a storage-version object, applying field validation.
/// Returns the object and any warnings.
fn decode_body(req: &Request) -> ApiResult<(Value, Vec<String>)> {
    let encoding = negotiate::body_encoding(&req.content_type)?;
    let mut obj = body::decode(&req.body, encoding)?;
    let res = req.res;
    body::check_type(&mut obj, res.group, res.version, res.kind)?;
    let warnings = body::validate_fields(&mut obj, res.group, res.version, res.kind, &req.query.field_validation)?;
    apimachinery::defaults::apply_defaults(res.group, res.version, res.kind, &mut obj);
    Ok((convert::to_storage(res, obj), warnings))
}

/// Adds `Warning` headers.
pub fn with_warnings(mut resp: HttpResponse, warnings: &[String]) -> HttpResponse {
    for w in warnings {
        let text = format!("299 - {}", serde_json::to_string(w).unwrap_or_default());
        if let Ok(v) = http::HeaderValue::from_str(&text) {
            resp.headers_mut().append(http::header::WARNING, v);
        }
    }
    resp
}

fn respond(req: &Request, obj: &StoredObject, code: u16) -> HttpResponse {
    render::object(req.res, obj, req.output, &req.query.include_object, code)
}

pub async fn create(api: &Api, req: &Request) -> ApiResult<HttpResponse> {
    let res = req.res;
    let (mut obj, warnings) = decode_body(req)?;
    body::check_namespace(&mut obj, res, &req.info.namespace)?;
    let created = create_object(api, res, obj, req.query.dry_run).await?;
    Ok(with_warnings(respond(req, &created, 201), &warnings))
}

/// The create path after decoding: name generation, system fields, validation,
/// admission, storage.
pub async fn create_object(
    api: &Api,
    res: &'static ResourceInfo,
    mut obj: Value,
    dry_run: bool,
) -> ApiResult<StoredObject> {
    let strategy = strategy::for_resource(res);
    let mut generated = false;
    if meta::name(&obj).is_empty() {
        let prefix = meta::meta_str(&obj, "generateName").to_string();
        if !prefix.is_empty() {
            if !store::generate_name_valid(strategy.name_rule, &prefix) {
                return Err(ApiError::invalid(
                    Subject::new(res.group, res.kind, ""),
                    apimachinery::validation::validate_name(
                        strategy.name_rule,
                        prefix.trim_end_matches('-'),
                        "metadata.generateName",
                    ),
                ));
            }
            meta::set_meta(&mut obj, "name", json!(store::generate_name(&prefix)));
            generated = true;
        }
    }
    store::prepare_create(res, &strategy, &mut obj)?;
    let reservation = match is_service(res) {
        true => Some(api.services.allocate_create(&api.etcd, &mut obj, dry_run).await?),
        false => None,
    };
    let namespace = meta::namespace(&obj).to_string();
    let outcome = match store::validate(res, &strategy, Part::Main, &obj, None) {
        Ok(()) => match store::admit_namespace(api, res, &namespace).await {
            Ok(()) => store::persist_create(api, res, obj, generated, dry_run).await,
            Err(e) => Err(e),
        },
        Err(e) => Err(e),
    };
    if let Some(reservation) = reservation {
        if outcome.is_err() {
            api.services.rollback(&api.etcd, reservation).await;
        }
    }
    outcome
}

fn is_service(res: &ResourceInfo) -> bool {
    res.group.is_empty() && res.plural == "services"
}

/// PUT of a whole object (or of its status).
pub async fn update(api: &Api, req: &Request, part: Part) -> ApiResult<HttpResponse> {
    let res = req.res;
    let (mut sent, warnings) = decode_body(req)?;
    let url_name = &req.info.name;
    if meta::name(&sent).is_empty() {
        meta::set_meta(&mut sent, "name", json!(url_name));
    } else if meta::name(&sent) != url_name {
        return Err(ApiError::bad_request(format!(
            "the name of the object ({}) does not match the name on the URL ({url_name})",
            meta::name(&sent)
        )));
    }
    body::check_namespace(&mut sent, res, &req.info.namespace)?;
    let strategy = strategy::for_resource(res);
    let precondition = meta::resource_version(&sent).to_string();
    let dry_run = req.query.dry_run;

    let exists = api.read(res, &req.info.namespace, url_name).await?.is_some();
    if !exists {
        if strategy.create_on_update && part == Part::Main && precondition.is_empty() {
            let created = create_object(api, res, sent, dry_run).await?;
            return Ok(with_warnings(respond(req, &created, 201), &warnings));
        }
        return Err(ApiError::not_found(Api::subject(res, url_name)));
    }
    let updated = store::guaranteed_update(api, res, &req.info.namespace, url_name, dry_run, |current, old| {
        if !precondition.is_empty() && precondition != current.revision.to_string() {
            return Err(ApiError::stale_resource_version(Api::subject(res, url_name)));
        }
        let new = store::prepare_update(res, &strategy, part, sent.clone(), old);
        store::validate(res, &strategy, part, &new, Some(old))?;
        Ok(Some(new))
    })
    .await?;
    Ok(with_warnings(respond(req, &updated, 200), &warnings))
}

/// PATCH of a whole object (or of its status).
pub async fn patch(api: &Api, req: &Request, part: Part) -> ApiResult<HttpResponse> {
    let res = req.res;
    let patch_kind = patch::PatchKind::from_content_type(&req.content_type)?;
    let patch_doc = patch::parse(patch_kind, &req.body)?;
    let strategy = strategy::for_resource(res);
    let name = &req.info.name;
    let mut warnings = Vec::new();
    let updated = store::guaranteed_update(api, res, &req.info.namespace, name, req.query.dry_run, |current, old| {
        let served = convert::to_served(res, old.clone());
        let mut patched = patch::apply((res.group, res.version, res.kind), patch_kind, &patch_doc, &served)?;
        body::check_type(&mut patched, res.group, res.version, res.kind)?;
        if meta::name(&patched) != name.as_str() {
            return Err(ApiError::bad_request(format!(
                "the name of the object ({}) does not match the name on the URL ({name})",
                meta::name(&patched)
            )));
        }
        body::check_namespace(&mut patched, res, &req.info.namespace)?;
        let sent_rv = meta::resource_version(&patched);
        if !sent_rv.is_empty() && sent_rv != current.revision.to_string() {
            return Err(ApiError::stale_resource_version(Api::subject(res, name)));
        }
        warnings = body::validate_fields(&mut patched, res.group, res.version, res.kind, &req.query.field_validation)?;
        apimachinery::defaults::apply_defaults(res.group, res.version, res.kind, &mut patched);
        let new = store::prepare_update(res, &strategy, part, convert::to_storage(res, patched), old);
        store::validate(res, &strategy, part, &new, Some(old))?;
        Ok(Some(new))
    })
    .await?;
    Ok(with_warnings(respond(req, &updated, 200), &warnings))
}

/// DeleteOptions, from the body or the query.
#[derive(Debug, Clone, Default)]
pub struct DeleteOptions {
    pub grace_period_seconds: Option<i64>,
    pub propagation_policy: String,
    pub precondition_uid: String,
    pub precondition_rv: String,
    pub dry_run: bool,
}

pub fn delete_options(req: &Request) -> ApiResult<DeleteOptions> {
    let q = &req.query;
    let mut opts = DeleteOptions {
        grace_period_seconds: q.grace_period_seconds,
        propagation_policy: q.propagation_policy.clone(),
        dry_run: q.dry_run,
        ..Default::default()
    };
    let mut orphan = q.orphan_dependents;
    if !req.body.is_empty() {
        let encoding = negotiate::body_encoding(&req.content_type)?;
        let v = body::decode(&req.body, encoding)?;
        if let Some(g) = v.get("gracePeriodSeconds").and_then(Value::as_i64) {
            opts.grace_period_seconds = Some(g);
        }
        if let Some(p) = v.get("propagationPolicy").and_then(Value::as_str) {
            opts.propagation_policy = p.to_string();
        }
        if let Some(o) = v.get("orphanDependents").and_then(Value::as_bool) {
            orphan = Some(o);
        }
        if let Some(d) = v.get("dryRun").and_then(Value::as_array) {
            opts.dry_run |= d.iter().any(|x| x == "All");
        }
        if let Some(p) = v.get("preconditions") {
            opts.precondition_uid = p.get("uid").and_then(Value::as_str).unwrap_or("").to_string();
            opts.precondition_rv = p.get("resourceVersion").and_then(Value::as_str).unwrap_or("").to_string();
        }
    }
    if orphan.is_some() && !opts.propagation_policy.is_empty() {
        return Err(invalid_delete_options(
            "propagationPolicy",
            "orphanDependents and deletionPropagation cannot be both set",
        ));
    }
    if let Some(o) = orphan {
        opts.propagation_policy = if o { "Orphan".into() } else { "Background".into() };
    }
    if !matches!(opts.propagation_policy.as_str(), "" | "Orphan" | "Background" | "Foreground") {
        return Err(invalid_delete_options(
            "propagationPolicy",
            &format!(
                "Unsupported value: {:?}: supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"",
                opts.propagation_policy
            ),
        ));
    }
    Ok(opts)
}

fn invalid_delete_options(field: &str, message: &str) -> ApiError {
    ApiError::invalid(
        Subject::new("meta.k8s.io", "DeleteOptions", ""),
        vec![apimachinery::Cause::new("FieldValueNotSupported", message, field)],
    )
}

/// The finalizer a propagation policy asks the garbage collector to honour.
fn propagation_finalizer(policy: &str) -> Option<&'static str> {
    match policy {
        "Orphan" => Some("orphan"),
        "Foreground" => Some("foregroundDeletion"),
        _ => None,
    }
}

/// Result of a delete: the object is gone, or still there marked for deletion.
pub enum Deleted {
    Gone(StoredObject),
    Pending(StoredObject),
}

pub async fn delete(api: &Api, req: &Request) -> ApiResult<HttpResponse> {
    let res = req.res;
    let opts = delete_options(req)?;
    let outcome = delete_object(api, res, &req.info.namespace, &req.info.name, &opts).await?;
    let strategy = strategy::for_resource(res);
    Ok(match outcome {
        Deleted::Pending(obj) => respond(req, &obj, 200),
        Deleted::Gone(obj) if strategy.return_deleted_object => respond(req, &obj, 200),
        Deleted::Gone(obj) => {
            let mut status = apimachinery::status::success_status(&Api::subject(res, &obj.name));
            status["details"]["uid"] = json!(&*obj.uid);
            response::json_response(200, &status)
        }
    })
}

/// Deletes one object: preconditions, graceful deletion, finalizers and propagation.
pub async fn delete_object(
    api: &Api,
    res: &'static ResourceInfo,
    namespace: &str,
    name: &str,
    opts: &DeleteOptions,
) -> ApiResult<Deleted> {
    let strategy = strategy::for_resource(res);
    let subject = Api::subject(res, name);
    for _ in 0..16 {
        let current = api.read(res, namespace, name).await?.ok_or_else(|| ApiError::not_found(subject.clone()))?;
        let mut obj = current.value();
        if !opts.precondition_uid.is_empty() && opts.precondition_uid != *current.uid {
            return Err(ApiError::conflict(
                subject,
                &format!(
                    "Precondition failed: UID in precondition: {}, UID in object meta: {}",
                    opts.precondition_uid, current.uid
                ),
            ));
        }
        if !opts.precondition_rv.is_empty() && opts.precondition_rv != current.revision.to_string() {
            return Err(ApiError::conflict(
                subject,
                &format!(
                    "Precondition failed: ResourceVersion in precondition: {}, ResourceVersion in object meta: {}",
                    opts.precondition_rv, current.revision
                ),
            ));
        }
        let grace = strategy.hooks.grace_period(&obj, opts.grace_period_seconds).unwrap_or(0);
        let already_deleting = obj.pointer("/metadata/deletionTimestamp").is_some();
        let mut finalizers = meta::finalizers(&obj);
        if let Some(f) = propagation_finalizer(&opts.propagation_policy) {
            if !finalizers.iter().any(|x| x == f) && !already_deleting {
                finalizers.push(f.to_string());
            }
        }
        let marked_only = strategy.hooks.mark_deleting(&mut obj);
        let must_wait = !finalizers.is_empty() || marked_only;

        if grace == 0 && !must_wait {
            if opts.dry_run {
                return Ok(Deleted::Gone(current));
            }
            let key = api.layout.key(res, namespace, name);
            match api.etcd.delete(&key, current.revision).await.map_err(|e| crate::errors::from_storage(e, &subject))? {
                Ok(revision) => {
                    store::settle(api, res, revision).await;
                    api.deleted(res, &obj).await;
                    return Ok(Deleted::Gone(current));
                }
                Err(_) => continue,
            }
        }
        // Mark for deletion: the object stays until its grace period ends (confirmed by
        // a later delete) or its finalizers are removed.
        let deadline = chrono::Utc::now() + chrono::Duration::seconds(grace);
        let existing_grace = obj.pointer("/metadata/deletionGracePeriodSeconds").and_then(Value::as_i64);
        let shorten = existing_grace.is_none_or(|g| grace < g);
        {
            let md = meta::metadata_mut(&mut obj);
            if !already_deleting || shorten {
                md.insert("deletionTimestamp".into(), json!(meta::format_time(deadline)));
                md.insert("deletionGracePeriodSeconds".into(), json!(grace));
            }
            if !finalizers.is_empty() {
                md.insert("finalizers".into(), json!(finalizers));
            }
        }
        if already_deleting && !shorten && store::same_object(&obj, &current.value()) {
            return Ok(Deleted::Pending(current));
        }
        match store::compare_and_swap(api, res, &current, obj, opts.dry_run).await? {
            Some(updated) => return Ok(Deleted::Pending(updated)),
            None => continue,
        }
    }
    Err(ApiError::conflict(subject, "too many concurrent updates; please try again"))
}

/// DELETE on a collection: every object the selectors match, answered with their list.
pub async fn delete_collection(api: &Api, req: &Request) -> ApiResult<HttpResponse> {
    let res = req.res;
    let opts = delete_options(req)?;
    let listed = read::list_objects(api, res, &req.info.namespace, req).await?;
    let mut deleted = Vec::new();
    for obj in &listed.items {
        match delete_object(api, res, &obj.namespace, &obj.name, &opts).await {
            Ok(Deleted::Gone(o) | Deleted::Pending(o)) => deleted.push(std::sync::Arc::new(o)),
            Err(e) if e.code == 404 => {}
            Err(e) => return Err(e),
        }
    }
    Ok(render::list(res, &deleted, &listed.meta, negotiate::Output::JSON, ""))
}
