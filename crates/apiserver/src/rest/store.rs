//! The generic write path every resource shares: system fields, strategy hooks,
//! validation, admission, and compare-and-swap persistence with retries.
//!
//! Objects here are in their storage version; handlers convert at the edges.

use apimachinery::resource::ResourceInfo;
use apimachinery::validation::{self, NameRule};
use apimachinery::{meta, ApiError, ApiResult, Cause};
use rand::Rng;
use serde_json::{json, Value};

use crate::api::Api;
use crate::errors::from_storage;
use crate::object::StoredObject;
use crate::strategy::{self, Strategy};

/// How many times a write retries after losing a compare-and-swap race.
const MAX_RETRIES: usize = 16;
/// generateName suffix alphabet and length, as upstream's name generator.
const NAME_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
const NAME_SUFFIX_LEN: usize = 5;
const MAX_GENERATED_NAME_PREFIX: usize = 58;

/// What an update may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The main resource: everything but status (for resources with a status subresource).
    Main,
    /// The status subresource: status only.
    Status,
}

fn has_status(res: &ResourceInfo) -> bool {
    res.subresource("status").is_some()
}

pub fn generate_name(prefix: &str) -> String {
    let mut rng = rand::rng();
    let cut = prefix.char_indices().nth(MAX_GENERATED_NAME_PREFIX).map_or(prefix.len(), |(i, _)| i);
    let suffix: String =
        (0..NAME_SUFFIX_LEN).map(|_| NAME_ALPHABET[rng.random_range(0..NAME_ALPHABET.len())] as char).collect();
    format!("{}{suffix}", &prefix[..cut])
}

/// Sets the fields the server owns on a new object and applies the strategy.
pub fn prepare_create(res: &ResourceInfo, strategy: &Strategy, obj: &mut Value) -> ApiResult<()> {
    if !meta::resource_version(obj).is_empty() {
        return Err(ApiError::bad_request("resourceVersion should not be set on objects to be created"));
    }
    let md = meta::metadata_mut(obj);
    md.insert("uid".into(), json!(uuid::Uuid::new_v4().to_string()));
    md.insert("creationTimestamp".into(), json!(meta::now_rfc3339()));
    for field in ["deletionTimestamp", "deletionGracePeriodSeconds", "selfLink", "resourceVersion"] {
        md.remove(field);
    }
    if strategy.tracks_generation {
        md.insert("generation".into(), json!(1));
    } else {
        md.remove("generation");
    }
    if has_status(res) && res.plural != "nodes" {
        // A new object's status is the system's to fill (nodes report their own).
        if let Value::Object(map) = obj {
            map.insert("status".into(), json!({}));
        }
    }
    strategy.hooks.prepare_for_create(obj);
    Ok(())
}

/// Validation shared by creates and updates: upstream's rules for the kind (on the
/// storage version, where the rules are written), then the strategy's own.
pub fn validate(
    res: &ResourceInfo,
    strategy: &Strategy,
    part: Part,
    obj: &Value,
    old: Option<&Value>,
) -> ApiResult<()> {
    let (group, version, kind) = (res.storage_group, res.storage_version, res.storage_kind);
    let mut causes: Vec<Cause> = match (old, part) {
        (None, _) => validation::validate_create(group, version, kind, obj),
        (Some(old), Part::Main) => validation::validate_update(group, version, kind, obj, old),
        (Some(old), Part::Status) => validation::validate_status_update(group, version, kind, obj, old),
    };
    causes.extend(match old {
        None => strategy.hooks.validate(obj),
        Some(old) => strategy.hooks.validate_update(obj, old),
    });
    if causes.is_empty() {
        Ok(())
    } else {
        Err(ApiError::invalid(apimachinery::Subject::new(res.group, res.kind, meta::name(obj)), causes))
    }
}

/// Namespaces that can never be deleted, as upstream's namespace lifecycle admission keeps them.
const IMMORTAL_NAMESPACES: &[&str] = &["default", "kube-system", "kube-public"];

/// Namespace lifecycle admission for deletes: the system's namespaces stay.
pub fn admit_namespace_delete(res: &ResourceInfo, name: &str) -> ApiResult<()> {
    if res.group.is_empty() && res.plural == "namespaces" && IMMORTAL_NAMESPACES.contains(&name) {
        return Err(ApiError::forbidden(Api::subject(res, name), "this namespace may not be deleted"));
    }
    Ok(())
}

/// Namespace lifecycle admission: a namespaced object needs a namespace that exists
/// and is not being deleted. `shown_name` names the object in the error: its name, or its
/// generateName before a name is generated (upstream admits before generating names).
pub async fn admit_namespace(api: &Api, res: &ResourceInfo, namespace: &str, shown_name: &str) -> ApiResult<()> {
    if !res.namespaced {
        return Ok(());
    }
    match api.namespace_state(namespace).await? {
        None => Err(ApiError::not_found(apimachinery::Subject::new("", "namespaces", namespace))),
        Some(true) => {
            let mut err = ApiError::forbidden(
                Api::subject(res, shown_name),
                &format!("unable to create new content in namespace {namespace} because it is being terminated"),
            );
            err.causes = vec![Cause::new(
                "NamespaceTerminating",
                format!("namespace {namespace} is being terminated"),
                "metadata.namespace",
            )];
            Err(err)
        }
        Some(false) => Ok(()),
    }
}

/// Namespace writes wait until the watch cache has applied them, so that admission
/// (which reads namespaces from the cache) never acts on a state older than a write
/// this server already acknowledged.
pub async fn settle(api: &Api, res: &ResourceInfo, revision: i64) {
    if res.plural == "namespaces" && revision > 0 {
        let _ = api.cache.wait_for_revision(revision, crate::api::CACHE_WAIT).await;
    }
}

/// Serializes an object for etcd (resourceVersion is never stored, so it is removed).
pub fn to_bytes(obj: &mut Value) -> ApiResult<Vec<u8>> {
    meta::remove_meta(obj, "resourceVersion");
    let mut out = Vec::with_capacity(4096);
    serde_json::to_writer(&mut out, obj).map_err(|e| ApiError::internal(e.to_string()))?;
    Ok(out)
}

/// Creates a prepared, validated object. A generated name that collides is regenerated.
pub async fn persist_create(
    api: &Api,
    res: &'static ResourceInfo,
    mut obj: Value,
    name_generated: bool,
    dry_run: bool,
) -> ApiResult<StoredObject> {
    let stored = api.stored_resource(res);
    let prefix = meta::meta_str(&obj, "generateName").to_string();
    for attempt in 0..8 {
        let name = meta::name(&obj).to_string();
        let subject = Api::subject(res, &name);
        if dry_run {
            return StoredObject::unstored(stored, obj).map_err(ApiError::internal);
        }
        let key = api.layout.key(res, meta::namespace(&obj), &name);
        let bytes = to_bytes(&mut obj)?;
        match api.etcd.create(&key, bytes.clone()).await {
            Ok(revision) => {
                let created = StoredObject::from_written(stored, &obj, &bytes, revision).map_err(ApiError::internal)?;
                api.cache.offer(&key, revision, std::sync::Arc::new(created.clone()));
                settle(api, res, revision).await;
                return Ok(created);
            }
            Err(storage::StorageError::AlreadyExists) if name_generated && attempt < 7 => {
                meta::set_meta(&mut obj, "name", json!(generate_name(&prefix)));
            }
            Err(e) => return Err(from_storage(e, &subject)),
        }
    }
    Err(ApiError::already_exists(Api::subject(res, meta::name(&obj))))
}

/// Builds the new state of an object from what the client sent and what is stored:
/// keeps the fields the server owns, and the part of the object this write may not touch.
pub fn prepare_update(res: &ResourceInfo, strategy: &Strategy, part: Part, sent: Value, old: &Value) -> Value {
    let mut new = match part {
        Part::Main => sent,
        Part::Status => {
            // Only the status of what was sent counts (and the managed fields recording
            // who wrote it); everything else stays as stored.
            let mut kept = old.clone();
            if let Value::Object(map) = &mut kept {
                match sent.get("status") {
                    Some(status) => map.insert("status".into(), status.clone()),
                    None => map.remove("status"),
                };
            }
            if let Some(managed) = sent.pointer("/metadata/managedFields") {
                meta::set_meta(&mut kept, "managedFields", managed.clone());
            }
            strategy.hooks.prepare_for_status_update(&mut kept, old);
            kept
        }
    };
    let old_md = meta::metadata(old).cloned().unwrap_or_default();
    {
        let md = meta::metadata_mut(&mut new);
        for field in [
            "uid",
            "creationTimestamp",
            "deletionTimestamp",
            "deletionGracePeriodSeconds",
            "generation",
            "namespace",
            "name",
        ] {
            match old_md.get(field) {
                Some(v) => md.insert(field.to_string(), v.clone()),
                None => md.remove(field),
            };
        }
        md.remove("selfLink");
    }
    if part == Part::Main && has_status(res) {
        if let Value::Object(map) = &mut new {
            match old.get("status") {
                Some(status) => map.insert("status".into(), status.clone()),
                None => map.remove("status"),
            };
        }
    }
    if part == Part::Main {
        if res.group.is_empty() && res.plural == "services" {
            crate::services::prepare_update(&mut new, old);
        }
        strategy.hooks.prepare_for_update(&mut new, old);
        if strategy.tracks_generation && strategy::spec_changed(&new, old) {
            let generation = old.pointer("/metadata/generation").and_then(Value::as_i64).unwrap_or(0) + 1;
            meta::set_meta(&mut new, "generation", json!(generation));
        }
    }
    new
}

/// Two states are the same write if they differ at most in resourceVersion.
pub fn same_object(a: &Value, b: &Value) -> bool {
    let strip = |v: &Value| {
        let mut v = v.clone();
        meta::remove_meta(&mut v, "resourceVersion");
        v
    };
    strip(a) == strip(b)
}

/// Whether an update completes a pending deletion: the object was marked for deletion
/// (with no grace period still running) and the update removes its last finalizer.
pub fn completes_deletion(new: &Value, old: &Value) -> bool {
    let grace = old.pointer("/metadata/deletionGracePeriodSeconds").and_then(Value::as_i64).unwrap_or(0);
    meta::finalizers(new).is_empty() && old.pointer("/metadata/deletionTimestamp").is_some() && grace == 0
}

/// Writes `new` over `current` if it is still current. `Ok(None)` means the race was
/// lost and the caller should retry with a fresh read.
pub async fn compare_and_swap(
    api: &Api,
    res: &'static ResourceInfo,
    current: &StoredObject,
    mut new: Value,
    dry_run: bool,
) -> ApiResult<Option<StoredObject>> {
    let stored = api.stored_resource(res);
    let subject = Api::subject(res, &current.name);
    let key = api.layout.key(res, &current.namespace, &current.name);
    if dry_run {
        return StoredObject::from_value(stored, new, current.revision).map(Some).map_err(ApiError::internal);
    }
    if completes_deletion(&new, &current.value()) {
        // The last finalizer is gone from an object being deleted: it goes now.
        return match api.etcd.delete(&key, current.revision).await.map_err(|e| from_storage(e, &subject))? {
            Ok(revision) => {
                settle(api, res, revision).await;
                api.deleted(res, &new).await;
                StoredObject::from_value(stored, new, revision).map(Some).map_err(ApiError::internal)
            }
            Err(_) => Ok(None),
        };
    }
    let bytes = to_bytes(&mut new)?;
    match api.etcd.update(&key, bytes.clone(), current.revision).await {
        Ok(Ok(revision)) => {
            let updated = StoredObject::from_written(stored, &new, &bytes, revision).map_err(ApiError::internal)?;
            api.cache.offer(&key, revision, std::sync::Arc::new(updated.clone()));
            settle(api, res, revision).await;
            Ok(Some(updated))
        }
        Ok(Err(_)) => Ok(None),
        Err(storage::StorageError::NotFound) => Err(ApiError::not_found(subject)),
        Err(e) => Err(from_storage(e, &subject)),
    }
}

/// Runs `build` against the current object until its result is stored without a race.
/// `build` returns the new state, or `None` to leave the object as it is.
pub async fn guaranteed_update<F>(
    api: &Api,
    res: &'static ResourceInfo,
    namespace: &str,
    name: &str,
    dry_run: bool,
    mut build: F,
) -> ApiResult<StoredObject>
where
    F: FnMut(&StoredObject, &Value) -> ApiResult<Option<Value>>,
{
    for _ in 0..MAX_RETRIES {
        let current =
            api.read(res, namespace, name).await?.ok_or_else(|| ApiError::not_found(Api::subject(res, name)))?;
        let current_value = current.value();
        let Some(new) = build(&current, &current_value)? else {
            return Ok(current);
        };
        if same_object(&new, &current_value) {
            return Ok(current);
        }
        if let Some(stored) = write_update(api, res, &current, new, dry_run).await? {
            return Ok(stored);
        }
    }
    Err(ApiError::conflict(Api::subject(res, name), "too many concurrent updates; please try again"))
}

/// Stores `new` over `current` (allocating what a Service update needs). `Ok(None)` means
/// the race was lost and the caller should read again and retry.
pub async fn write_update(
    api: &Api,
    res: &'static ResourceInfo,
    current: &StoredObject,
    mut new: Value,
    dry_run: bool,
) -> ApiResult<Option<StoredObject>> {
    let current_value = current.value();
    let reservation = match res.group.is_empty() && res.plural == "services" {
        true => Some(api.services.allocate_update(&api.etcd, &mut new, &current_value, dry_run).await?),
        false => None,
    };
    if same_object(&new, &current_value) {
        if let Some(r) = reservation {
            api.services.rollback(&api.etcd, r).await;
        }
        return Ok(Some(current.clone()));
    }
    let written = compare_and_swap(api, res, current, new, dry_run).await;
    if let Some(r) = reservation {
        match &written {
            Ok(Some(_)) => api.services.commit(&api.etcd, r).await,
            _ => api.services.rollback(&api.etcd, r).await,
        }
    }
    written
}

/// The name rule for validating a generateName prefix (trailing dashes allowed).
pub fn generate_name_valid(rule: NameRule, prefix: &str) -> bool {
    let trimmed = prefix.trim_end_matches('-');
    trimmed.is_empty() || apimachinery::validation::name_problems(rule, trimmed).is_empty()
}
