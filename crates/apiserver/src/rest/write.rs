//! CREATE, UPDATE (PUT), PATCH, DELETE and DELETECOLLECTION of whole objects and of the
//! status subresource.

use apimachinery::apply::{self, Gvk};
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

/// Decodes a create/update body into a defaulted object of the served version, applying
/// field validation. Returns the object and any warnings.
fn decode_body(req: &Request) -> ApiResult<(Value, Vec<String>)> {
    let encoding = negotiate::body_encoding(&req.content_type)?;
    let mut obj = body::decode(&req.body, encoding)?;
    let res = req.res;
    body::check_type(&mut obj, res.group, res.version, res.kind)?;
    let json_body = (encoding == negotiate::Encoding::Json).then_some(&req.body[..]);
    let warnings =
        body::validate_fields(&mut obj, json_body, res.group, res.version, res.kind, &req.query.field_validation)?;
    apimachinery::defaults::apply_defaults(res.group, res.version, res.kind, &mut obj);
    Ok((obj, warnings))
}

fn gvk(res: &ResourceInfo) -> Gvk<'static> {
    Gvk { group: res.group, version: res.version, kind: res.kind }
}

/// The field manager of a write: `fieldManager`, else the User-Agent up to its first `/`,
/// as upstream names managers.
pub fn field_manager(req: &Request) -> ApiResult<String> {
    let manager = if req.query.field_manager.is_empty() {
        req.user_agent.split('/').next().unwrap_or("").to_string()
    } else {
        req.query.field_manager.clone()
    };
    if manager.chars().count() > 128 {
        return Err(invalid_options("PatchOptions", "fieldManager", "Too long: may not be more than 128 bytes"));
    }
    if manager.chars().any(|c| c.is_control()) {
        return Err(invalid_options(
            "PatchOptions",
            "fieldManager",
            "Invalid value: must only contain printable characters",
        ));
    }
    Ok(manager)
}

fn invalid_options(kind: &str, field: &str, message: &str) -> ApiError {
    let reason = if message.starts_with("Required") { "FieldValueRequired" } else { "FieldValueInvalid" };
    ApiError::invalid(Subject::new("meta.k8s.io", kind, ""), vec![apimachinery::Cause::new(reason, message, field)])
}

fn subresource_of(part: Part) -> &'static str {
    match part {
        Part::Main => "",
        Part::Status => "status",
    }
}

/// Records a non-apply write in managedFields (on the served version, as upstream does).
fn track(
    res: &ResourceInfo,
    old_served: Option<&Value>,
    new_served: &mut Value,
    manager: &str,
    part: Part,
) -> ApiResult<()> {
    apply::track_update(gvk(res), old_served, new_served, manager, subresource_of(part), &meta::now_rfc3339())
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
    let manager = field_manager(req)?;
    let (mut obj, warnings) = decode_body(req)?;
    body::check_namespace(&mut obj, res, &req.info.namespace)?;
    track(res, None, &mut obj, &manager, Part::Main)?;
    let created = create_object(api, res, convert::to_storage(res, obj), req.query.dry_run).await?;
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
        Ok(()) => match store::admit_namespace(api, res, &namespace, shown_name(&obj, generated)).await {
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

/// How admission errors name an object being created: upstream admits before generating
/// names, so a generated name shows as its generateName (or `Unknown` without either).
fn shown_name(obj: &Value, name_generated: bool) -> &str {
    let name = if name_generated { meta::meta_str(obj, "generateName") } else { meta::name(obj) };
    if name.is_empty() {
        "Unknown"
    } else {
        name
    }
}

/// Creates an object the server itself owns (the `kubernetes` Service and its endpoints),
/// skipping validation: the endpoints name the address the server advertises, which may be
/// loopback on a single-machine cluster, where user-written Endpoints may not point.
pub async fn create_system_object(api: &Api, res: &'static ResourceInfo, mut obj: Value) -> ApiResult<StoredObject> {
    let strategy = strategy::for_resource(res);
    store::prepare_create(res, &strategy, &mut obj)?;
    if is_service(res) {
        let reservation = api.services.allocate_create(&api.etcd, &mut obj, false).await?;
        let created = store::persist_create(api, res, obj, false, false).await;
        if created.is_err() {
            api.services.rollback(&api.etcd, reservation).await;
        }
        return created;
    }
    store::persist_create(api, res, obj, false, false).await
}

fn is_service(res: &ResourceInfo) -> bool {
    res.group.is_empty() && res.plural == "services"
}

/// PUT of a whole object (or of its status).
pub async fn update(api: &Api, req: &Request, part: Part) -> ApiResult<HttpResponse> {
    let res = req.res;
    let manager = field_manager(req)?;
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
            track(res, None, &mut sent, &manager, part)?;
            let created = create_object(api, res, convert::to_storage(res, sent), dry_run).await?;
            return Ok(with_warnings(respond(req, &created, 201), &warnings));
        }
        return Err(ApiError::not_found(Api::subject(res, url_name)));
    }
    let updated = store::guaranteed_update(api, res, &req.info.namespace, url_name, dry_run, |current, old| {
        if !precondition.is_empty() && precondition != current.revision.to_string() {
            return Err(ApiError::stale_resource_version(Api::subject(res, url_name)));
        }
        let mut tracked = sent.clone();
        track(res, Some(&convert::to_served(res, old.clone())), &mut tracked, &manager, part)?;
        let new = store::prepare_update(res, &strategy, part, convert::to_storage(res, tracked), old);
        store::validate(res, &strategy, part, &new, Some(old))?;
        Ok(Some(new))
    })
    .await?;
    Ok(with_warnings(respond(req, &updated, 200), &warnings))
}

/// PATCH of a whole object (or of its status).
pub async fn patch(api: &Api, req: &Request, part: Part) -> ApiResult<HttpResponse> {
    let res = req.res;
    let manager = field_manager(req)?;
    if req.query.force {
        return Err(invalid_options("PatchOptions", "force", "Forbidden: may not be specified for non-apply patch"));
    }
    let patch_kind = patch::PatchKind::from_content_type(&req.content_type)?;
    let validation = body::field_validation_mode(&req.query.field_validation)?;
    let patch_doc = patch::parse(patch_kind, &req.body)?;
    let repeated = match validation {
        "Ignore" => Vec::new(),
        _ => patch::repeated_members(patch_kind, &req.body),
    };
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
        if let Some(e) = patch::shape_error(res, patch_kind, &patch_doc, &patched) {
            return Err(e);
        }
        if validation != "Ignore" {
            warnings = patch::strict_findings(res, &repeated, &patched);
            if validation == "Strict" && !warnings.is_empty() {
                return Err(patch::strict_error(patch_kind, &patch_doc, &patched, &warnings));
            }
        }
        body::shape_like_go(&mut patched, res.group, res.version, res.kind);
        apimachinery::defaults::apply_defaults(res.group, res.version, res.kind, &mut patched);
        track(res, Some(&served), &mut patched, &manager, part)?;
        let new = store::prepare_update(res, &strategy, part, convert::to_storage(res, patched), old);
        store::validate(res, &strategy, part, &new, Some(old))?;
        Ok(Some(new))
    })
    .await?;
    Ok(with_warnings(respond(req, &updated, 200), &warnings))
}

/// PATCH with `application/apply-patch+yaml`: server-side apply (creates the object when
/// it does not exist).
pub async fn apply(api: &Api, req: &Request, part: Part) -> ApiResult<HttpResponse> {
    let res = req.res;
    if req.query.field_manager.is_empty() {
        return Err(invalid_options("PatchOptions", "fieldManager", "Required value: is required for apply requests"));
    }
    let manager = field_manager(req)?;
    let mut config = body::parse_yaml(&req.body)?;
    if !config.is_object() {
        return Err(ApiError::bad_request("the apply configuration must be an object"));
    }
    body::check_type(&mut config, res.group, res.version, res.kind)?;
    let name = req.info.name.clone();
    if meta::name(&config) != name {
        return Err(ApiError::bad_request(format!(
            "the name of the object ({}) does not match the name on the URL ({name})",
            meta::name(&config)
        )));
    }
    body::check_namespace(&mut config, res, &req.info.namespace)?;
    // Unknown fields cannot be owned by anyone: an apply naming one is refused whatever
    // fieldValidation says.
    body::field_validation_mode(&req.query.field_validation)?;
    body::check_shapes(&config, res.group, res.version, res.kind)?;
    let unknown = body::strict_findings(&config, &[], res.group, res.version, res.kind);
    if !unknown.is_empty() {
        return Err(ApiError::bad_request(apimachinery::schema::strict_decoding_message(&unknown)));
    }
    let subresource = subresource_of(part);
    let strategy = strategy::for_resource(res);
    let force = req.query.force;
    let dry_run = req.query.dry_run;
    let now = meta::now_rfc3339();

    for _ in 0..16 {
        let Some(current) = api.read(res, &req.info.namespace, &name).await? else {
            if part == Part::Status {
                return Err(ApiError::not_found(Api::subject(res, &name)));
            }
            let mut merged = apply::apply(gvk(res), None, &config, &manager, force, subresource, &now)?;
            apimachinery::schema::normalize(res.group, res.version, res.kind, &mut merged);
            apimachinery::schema::fill_defaults(res.group, res.version, res.kind, &mut merged);
            apimachinery::defaults::apply_defaults(res.group, res.version, res.kind, &mut merged);
            match create_object(api, res, convert::to_storage(res, merged), dry_run).await {
                Ok(created) => return Ok(respond(req, &created, 201)),
                // Someone created it meanwhile: apply onto theirs.
                Err(e) if e.code == 409 && e.reason == "AlreadyExists" => continue,
                Err(e) => return Err(e),
            }
        };
        let old = current.value();
        let live = convert::to_served(res, old.clone());
        let mut merged = apply::apply(gvk(res), Some(&live), &config, &manager, force, subresource, &now)?;
        apimachinery::schema::normalize(res.group, res.version, res.kind, &mut merged);
        apimachinery::schema::fill_defaults(res.group, res.version, res.kind, &mut merged);
        apimachinery::defaults::apply_defaults(res.group, res.version, res.kind, &mut merged);
        let new = store::prepare_update(res, &strategy, part, convert::to_storage(res, merged), &old);
        store::validate(res, &strategy, part, &new, Some(&old))?;
        if store::same_object(&new, &old) {
            return Ok(respond(req, &current, 200));
        }
        if let Some(stored) = store::write_update(api, res, &current, new, dry_run).await? {
            return Ok(respond(req, &stored, 200));
        }
    }
    Err(ApiError::conflict(Api::subject(res, &name), "too many concurrent updates; please try again"))
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
        store::admit_namespace_delete(res, name)?;
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
