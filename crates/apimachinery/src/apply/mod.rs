//! Server-side apply and `metadata.managedFields`, as upstream Kubernetes 1.33 does them
//! (structured-merge-diff v4 semantics, wrapped the way the apiserver's field manager wraps
//! it).
//!
//! Two entry points:
//!
//! * [`track_update`] records a create, update or non-apply patch by a manager: what the write
//!   set or changed becomes the manager's (an `Update` entry at the request's apiVersion),
//!   what it changed or removed is taken from the others.
//! * [`apply`] merges an apply configuration into the live object (or into nothing, to create
//!   it), detects conflicts with other managers (409 `Conflict`, one `FieldManagerConflict`
//!   cause per field), or with `force` takes the fields over, and removes fields the manager
//!   applied before but no longer applies and nobody else owns.
//!
//! Layers, outermost first, as upstream stacks them: decoding of managedFields (request
//! entries on update, `[]` to reset), the version check of apply bodies, kubectl's
//! last-applied annotation, attribution of pre-existing fields to `before-first-apply`, the
//! cap of 10 update entries (`ancient-changes`), manager identifiers, timestamps, and the
//! metadata fields nobody owns (`apiVersion`, `kind`, `metadata.name`, `uid`, ...).
//!
//! Objects of known kinds are seen the way upstream sees Go structs (zero values of
//! non-`omitempty` fields present); unknown kinds are deduced (maps granular, lists atomic).
//! Each request's strategy reset fields (`status` on the main resource, `spec` through
//! `/status`) are not owned through that request; see [`reset_fields`].
//!
//! Module map: [`fieldpath`] (path elements, `FieldsV1`), [`set`] (field sets), [`typed`]
//! (the schema view, field sets of objects, validation), [`merge`] (merge, compare, remove),
//! [`managed`] (entries), [`conflict`] (409s), `updater` (ownership), `lastapplied`, `shape`
//! (working copies in Go shape in one pass, zero objects cached per kind).
//!
//! Every write goes through here, so the hot path avoids needless work without changing a
//! result: objects are put in Go shape while being copied, creates compare against a cached
//! zero object, comparisons build their field sets bottom-up, and set algebra works in place.
//! `tests_equivalence` holds the results to those of the straightforward implementation
//! (kept, test-only, as `reference`); `examples/track_update_cost.rs` measures the cost.

pub mod conflict;
pub mod fieldpath;
mod lastapplied;
pub mod managed;
pub mod merge;
pub mod set;
mod shape;
pub mod typed;
mod updater;

#[cfg(test)]
mod tests_apply;
#[cfg(test)]
mod tests_fieldpath;
#[cfg(test)]
mod tests_fuzz;
#[cfg(test)]
mod tests_update;

use std::borrow::Cow;

use serde_json::Value;

use crate::schema::values::{format_rfc3339, parse_rfc3339};
use crate::status::{ApiError, Subject};
use fieldpath::{json_kind, PathElement};
use managed::{decode, encode, identity, is_reset, DecodeError, Entry, Managers, APPLY, UPDATE};
use set::Set;
use typed::{go_shape, validate, zero_object, TypeRef};
use updater::{Ctx, Failure};

/// The kind a request is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gvk<'a> {
    pub group: &'a str,
    pub version: &'a str,
    pub kind: &'a str,
}

impl Gvk<'_> {
    fn api_version(&self) -> String {
        crate::resource::api_version(self.group, self.version)
    }

    /// Go's `GroupVersionKind.String()`: `apps/v1, Kind=Deployment`, `/v1, Kind=Pod`.
    fn go_string(&self) -> String {
        format!("{}/{}, Kind={}", self.group, self.version, self.kind)
    }
}

const CURRENT_OPERATION: &str = "current-operation";
const BEFORE_FIRST_APPLY: &str = "before-first-apply";

fn path(parts: &[&str]) -> Vec<PathElement> {
    parts.iter().map(|p| PathElement::Field((*p).to_string())).collect()
}

/// Fields no manager ever owns (upstream's `stripmeta.go`).
fn strip_set() -> &'static Set {
    static STRIP: std::sync::OnceLock<Set> = std::sync::OnceLock::new();
    STRIP.get_or_init(|| {
        let mut s = Set::new();
        for p in [&["apiVersion"][..], &["kind"], &["metadata"]] {
            s.insert(&path(p));
        }
        for f in [
            "name",
            "namespace",
            "creationTimestamp",
            "selfLink",
            "uid",
            "clusterName",
            "generation",
            "managedFields",
            "resourceVersion",
        ] {
            s.insert(&path(&["metadata", f]));
        }
        s
    })
}

fn strip(managers: &mut Managers, id: &str) {
    if let Some(e) = managers.get_mut(id) {
        e.set.subtract(strip_set());
        if e.set.is_empty() {
            managers.remove(id);
        }
    }
}

/// The fields the strategy of `gvk` (through `subresource`) resets, which requests there do
/// not own: `status` on the main resource of kinds with a status, `spec` through `/status`
/// (plus `metadata.labels` for apps kinds and the pod fields pods/status cannot touch).
/// Unknown kinds reset `spec` through `/status` only.
pub fn reset_fields(gvk: Gvk<'_>, subresource: &str) -> Set {
    let def = crate::schema::schema().kind(gvk.group, gvk.version, gvk.kind);
    let has = |f: &str| def.is_some_and(|d| d.field(f).is_some());
    let mut s = Set::new();
    match subresource {
        "" if has("status") => s.insert(&path(&["status"])),
        "status" => {
            if def.is_none() || has("spec") {
                s.insert(&path(&["spec"]));
            }
            if def.is_some() && gvk.group == "apps" {
                s.insert(&path(&["metadata", "labels"]));
            }
            if gvk.group.is_empty() && gvk.kind == "Pod" {
                s.insert(&path(&["metadata", "deletionTimestamp"]));
                s.insert(&path(&["metadata", "ownerReferences"]));
            }
        }
        _ => {}
    }
    s
}

fn context(gvk: Gvk<'_>, subresource: &str) -> Ctx {
    Ctx {
        root: TypeRef::root(gvk.group, gvk.version, gvk.kind),
        version: gvk.api_version(),
        ignored: reset_fields(gvk, subresource),
    }
}

/// `now` as upstream writes times: UTC, whole seconds.
fn timestamp(now: &str) -> String {
    parse_rfc3339(now).map_or_else(|| now.to_string(), |(secs, _)| format_rfc3339(secs))
}

fn managed_fields(obj: &Value) -> Option<&Value> {
    obj.pointer("/metadata/managedFields")
}

fn set_managed_fields(obj: &mut Value, entries: Option<Value>) {
    let Some(Value::Object(meta)) = obj.get_mut("metadata") else {
        if let (Some(entries), Value::Object(root)) = (entries, obj) {
            root.insert("metadata".into(), serde_json::json!({ "managedFields": entries }));
        }
        return;
    };
    match entries {
        Some(e) => {
            meta.insert("managedFields".into(), e);
        }
        None => {
            meta.remove("managedFields");
        }
    }
}

/// A working copy of an object the way the field manager sees it: its managedFields
/// dropped and, for known kinds, in Go shape ([`go_shape`]); the kind's zero object for
/// `None`.
fn shaped(gvk: Gvk<'_>, obj: Option<&Value>) -> Cow<'static, Value> {
    let def = crate::schema::schema().kind(gvk.group, gvk.version, gvk.kind);
    match (obj, def) {
        (Some(o), Some(def)) => match shape::shaped_copy(def, o) {
            Some(v) => Cow::Owned(v),
            None => Cow::Owned(shaped_by_clone(gvk, o)),
        },
        (Some(o), None) => Cow::Owned(shaped_by_clone(gvk, o)),
        (None, Some(def)) => Cow::Borrowed(shape::zero_of(def, || zero_object(gvk.group, gvk.version, gvk.kind))),
        (None, None) => Cow::Owned(zero_object(gvk.group, gvk.version, gvk.kind)),
    }
}

/// [`shaped`] the straightforward way: a clone, put in shape.
fn shaped_by_clone(gvk: Gvk<'_>, o: &Value) -> Value {
    let mut v = o.clone();
    set_managed_fields(&mut v, None);
    go_shape(gvk.group, gvk.version, gvk.kind, &mut v);
    v
}

fn internal(message: String) -> ApiError {
    ApiError::new(500, "", message)
}

/// Records a non-apply write by `manager` through `subresource` at the update's apiVersion.
fn update_pipeline(
    ctx: &Ctx,
    live: &Value,
    new: &Value,
    managers: &mut Managers,
    manager: &str,
    subresource: &str,
    now: &str,
) -> Result<(), Failure> {
    let name = if manager.is_empty() { "unknown" } else { manager };
    let template = Entry::new(name, UPDATE, &ctx.version, subresource, Set::new());
    let current = Entry::new(CURRENT_OPERATION, UPDATE, &ctx.version, subresource, Set::new());
    updater::update(ctx, live, new, managers, CURRENT_OPERATION, &current)?;
    strip(managers, CURRENT_OPERATION);
    if let Some(cur) = managers.remove(CURRENT_OPERATION) {
        let id = template.identity();
        let mut entry = template;
        entry.set = cur.set;
        if let Some(prev) = managers.remove(&id) {
            entry.set.union_with(prev.set);
        }
        entry.time = Some(timestamp(now));
        managers.insert(id, entry);
    }
    managed::cap_update_managers(managers);
    Ok(())
}

/// Updates `metadata.managedFields` of `new` for a create (`old` is `None`), update or
/// non-apply patch by `manager` through `subresource` (`""` or e.g. `"status"`) at time `now`
/// (RFC 3339).
///
/// As upstream: managedFields the client sent replace the live ones when they decode (and
/// `[]` resets them, after which updates are not tracked until the next apply); entries that
/// do not decode are ignored in favour of the live ones; through a subresource the live ones
/// are always used. managedFields that are not even the JSON shape of the type are a 400, and
/// entries ObjectMeta validation rejects (e.g. a manager name over 128 bytes) a 422.
pub fn track_update(
    gvk: Gvk<'_>,
    old: Option<&Value>,
    new: &mut Value,
    manager: &str,
    subresource: &str,
    now: &str,
) -> Result<(), ApiError> {
    if !new.is_object() {
        return Ok(());
    }
    let sent = managed_fields(new).cloned();
    if let Some(Err(DecodeError::Malformed(m))) = sent.as_ref().map(managed::check_shape) {
        return Err(ApiError::undecodable(gvk.kind, gvk.version, &m));
    }
    let live_entries = old.and_then(managed_fields);
    let from_live = || decode(live_entries).unwrap_or_default();
    let mut managers = if !subresource.is_empty() {
        from_live()
    } else if is_reset(sent.as_ref()) {
        Managers::new()
    } else {
        match decode(sent.as_ref()) {
            Ok(m) if !m.is_empty() => m,
            _ => from_live(),
        }
    };
    set_managed_fields(new, None);

    // An existing object whose managedFields are empty stays untracked until it is applied.
    let old_uid = old.and_then(|o| o.pointer("/metadata/uid")).and_then(Value::as_str).unwrap_or("");
    if managers.is_empty() && !old_uid.is_empty() {
        return Ok(());
    }

    let ctx = context(gvk, subresource);
    let live = shaped(gvk, old);
    let next = shaped(gvk, Some(new));
    match update_pipeline(&ctx, &live, &next, &mut managers, manager, subresource, now) {
        Ok(()) => set_managed_fields(new, encode(&managers)),
        // Upstream keeps the live entries rather than failing the write.
        Err(_) => set_managed_fields(new, live_entries.cloned()),
    }
    if let Some(entries) = managed_fields(new) {
        let causes = managed::validate_entries(entries);
        if !causes.is_empty() {
            let name = new.pointer("/metadata/name").and_then(Value::as_str).unwrap_or("");
            return Err(ApiError::invalid(Subject::new(gvk.group, gvk.kind, name), causes));
        }
    }
    Ok(())
}

/// The GroupVersionKind an apply body names, as `unstructured` reads it (empty when the
/// apiVersion does not parse).
fn body_gvk(config: &Value) -> (String, String, String) {
    let s = |k: &str| config.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let (av, kind) = (s("apiVersion"), s("kind"));
    match av.split('/').collect::<Vec<_>>().as_slice() {
        [""] => (String::new(), String::new(), kind),
        [v] => (String::new(), (*v).to_string(), kind),
        [g, v] => ((*g).to_string(), (*v).to_string(), kind),
        _ => (String::new(), String::new(), String::new()),
    }
}

/// Server-side apply of `config` (the parsed apply body) by `manager` through `subresource`
/// onto `live` (`None` to create). Returns the object to store, managedFields updated.
///
/// Errors as upstream: 400 for a body of another kind (`invalid object type: ...`) or with
/// managedFields (`metadata.managedFields must be nil`), 400 for a body the schema rejects
/// (`failed to create typed patch object (...): .spec.foo: field not declared in schema`;
/// upstream answers that with a 500, but the body is the client's mistake), and 409 `Conflict` (`Apply failed with N conflict(s): ...`) when `force` is
/// not set and other managers own fields the body changes.
pub fn apply(
    gvk: Gvk<'_>,
    live: Option<&Value>,
    config: &Value,
    manager: &str,
    force: bool,
    subresource: &str,
    now: &str,
) -> Result<Value, ApiError> {
    let config = match config {
        Value::Object(_) => config.clone(),
        Value::Null => Value::Object(Default::default()),
        other => {
            return Err(ApiError::bad_request(format!(
                "error decoding YAML: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
                json_kind(other)
            )))
        }
    };
    let managers = match decode(live.and_then(managed_fields)) {
        Ok(m) => m,
        Err(DecodeError::Malformed(e) | DecodeError::Invalid(e)) => {
            return Err(internal(format!("failed to decode managed fields: {e}")))
        }
    };
    let (g, v, k) = body_gvk(&config);
    if (g.as_str(), v.as_str(), k.as_str()) != (gvk.group, gvk.version, gvk.kind) {
        return Err(ApiError::bad_request(format!("invalid object type: {g}/{v}, Kind={k}")));
    }
    // As `unstructured.GetManagedFields` reads them: only a list of entries that all convert.
    if let Some(mf @ Value::Array(items)) = managed_fields(&config) {
        if items.iter().all(Value::is_object) && managed::check_shape(mf).is_ok() {
            return Err(ApiError::bad_request("metadata.managedFields must be nil"));
        }
    }
    let ctx = context(gvk, subresource);
    if let TypeRef::Struct(_) = ctx.root {
        if let Err(e) = validate(ctx.root, &config, false) {
            let meta = |f: &str| config.pointer(&format!("/metadata/{f}")).and_then(Value::as_str).unwrap_or("");
            // Upstream answers a 500; the body is the client's mistake, so this is a 400.
            return Err(ApiError::bad_request(format!(
                "failed to create typed patch object ({}/{}; {}): {e}",
                meta("namespace"),
                meta("name"),
                gvk.go_string()
            )));
        }
    }
    let stored = live;
    let live = shaped(gvk, live);
    let req = Request { gvk, ctx: &ctx, live: &live, config: &config, manager, subresource, now };
    let (changed, managers) = match req.run(managers.clone(), force) {
        Err(Failure::Conflicts(c)) if manager == "kubectl" => req.take_over_client_side_apply(managers, c)?,
        other => req.finish(other)?,
    };
    let mut object = match (changed, stored) {
        (Some(mut o), _) => {
            crate::schema::normalize(gvk.group, gvk.version, gvk.kind, &mut o);
            o
        }
        // Nothing changed: the stored object as it is (only managedFields may differ).
        (None, Some(s)) => s.clone(),
        (None, None) => live.into_owned(),
    };
    if manager == "kubectl" && lastapplied::has(&object) {
        lastapplied::set(&mut object, lastapplied::build(&config));
    }
    set_managed_fields(&mut object, encode(&managers));
    Ok(object)
}

/// One apply request.
struct Request<'a> {
    gvk: Gvk<'a>,
    ctx: &'a Ctx,
    live: &'a Value,
    config: &'a Value,
    manager: &'a str,
    subresource: &'a str,
    now: &'a str,
}

impl Request<'_> {
    /// Applies with `managers` decoded from the live object; the object is `None` when the
    /// apply changes nothing.
    fn run(&self, mut managers: Managers, force: bool) -> Result<(Option<Value>, Managers), Failure> {
        if managers.is_empty() {
            // Whatever the object already holds belongs to `before-first-apply`.
            let empty = match self.ctx.root {
                TypeRef::Struct(_) => shaped(self.gvk, None),
                _ => Cow::Owned(serde_json::json!({"apiVersion": self.ctx.version, "kind": self.gvk.kind})),
            };
            update_pipeline(self.ctx, &empty, self.live, &mut managers, BEFORE_FIRST_APPLY, self.subresource, self.now)
                .map_err(|f| match f {
                    Failure::Error(e) => Failure::Error(format!("failed to create manager for existing fields: {e}")),
                    other => other,
                })?;
        }
        let name = if self.manager.is_empty() { "unknown" } else { self.manager };
        let template = Entry::new(name, APPLY, &self.ctx.version, self.subresource, Set::new());
        let id = identity(name, APPLY, "", self.subresource);
        let changed = updater::apply(self.ctx, self.live, self.config, &mut managers, &id, &template, force)?;
        strip(&mut managers, &id);
        if changed.is_some() {
            if let Some(e) = managers.get_mut(&id) {
                e.time = Some(timestamp(self.now));
            }
        }
        Ok((changed, managers))
    }

    fn finish(&self, r: Result<(Option<Value>, Managers), Failure>) -> Result<(Option<Value>, Managers), ApiError> {
        r.map_err(|f| match f {
            Failure::Conflicts(c) => conflict::conflict_error(&conflict::from_sets(c)),
            Failure::Error(e) => internal(e),
        })
    }

    /// `kubectl` taking over fields its client-side apply set: conflicts on fields the
    /// last-applied annotation still describes are forced through.
    fn take_over_client_side_apply(
        &self,
        managers: Managers,
        conflicts: Vec<(String, Set)>,
    ) -> Result<(Option<Value>, Managers), ApiError> {
        let Some(allowed) = lastapplied::allowed_conflicts(self.ctx.root, &self.ctx.version, self.live) else {
            return self.finish(Err(Failure::Conflicts(conflicts)));
        };
        let remaining: Vec<(String, Set)> =
            conflicts.into_iter().map(|(m, s)| (m, s.difference(&allowed))).filter(|(_, s)| !s.is_empty()).collect();
        if remaining.is_empty() {
            self.finish(self.run(managers, true))
        } else {
            self.finish(Err(Failure::Conflicts(remaining)))
        }
    }
}
