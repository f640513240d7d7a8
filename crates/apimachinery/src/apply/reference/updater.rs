//! structured-merge-diff's `merge.Updater`: ownership bookkeeping for updates and applies,
//! conflict detection, and pruning of fields an applier stopped applying.
//!
//! Every version of a kind is taken to have the same shape (there is no converter here), so
//! sets recorded at other versions are compared as if recorded at the request's version.

use serde_json::Value;

use super::fieldpath::values_equal;
use super::managed::{Entry, Managers};
use super::merge::{compare, merge, remove_items, Comparison};
use super::set::Set;
use super::typed::{ensure_named_members, to_field_set, TypeRef};

/// What one request works against.
pub struct Ctx {
    pub root: TypeRef<'static>,
    /// The request's `apiVersion` (`apps/v1`).
    pub version: String,
    /// Fields the request's strategy resets and nobody may own through it.
    pub ignored: Set,
}

/// Why an update or apply did not go through.
#[derive(Debug)]
pub enum Failure {
    /// Fields owned by other managers, per manager identifier.
    Conflicts(Vec<(String, Set)>),
    Error(String),
}

/// Compares `old` with `new` and takes changed and removed fields away from every manager but
/// `workflow`; without `force`, changed fields of others are conflicts instead.
fn update_core(
    ctx: &Ctx,
    old: &Value,
    new: &Value,
    managers: &mut Managers,
    workflow: &str,
    force: bool,
) -> Result<Comparison, Failure> {
    let mut cmp = compare(ctx.root, old, new).map_err(|e| Failure::Error(format!("failed to compare objects: {e}")))?;
    cmp.exclude(&ctx.ignored);
    let changed = cmp.modified.union(&cmp.added);
    let mut conflicts = Vec::new();
    for (id, entry) in managers.iter() {
        if id == workflow {
            continue;
        }
        let owned = entry.set.intersection(&changed);
        if !owned.is_empty() {
            conflicts.push((id.clone(), owned));
        }
    }
    if !force && !conflicts.is_empty() {
        return Err(Failure::Conflicts(conflicts));
    }
    for (id, owned) in &conflicts {
        if let Some(e) = managers.get_mut(id) {
            e.set = e.set.difference(owned);
        }
    }
    if !cmp.removed.is_empty() {
        for (id, e) in managers.iter_mut() {
            if id != workflow {
                e.set = e.set.difference(&cmp.removed);
            }
        }
    }
    managers.retain(|_, e| !e.set.is_empty());
    Ok(cmp)
}

/// Records a non-apply write by `id`: it owns what it changed or added, loses what it removed.
pub fn update(
    ctx: &Ctx,
    live: &Value,
    new: &Value,
    managers: &mut Managers,
    id: &str,
    template: &Entry,
) -> Result<(), Failure> {
    let cmp = update_core(ctx, live, new, managers, id, true)?;
    let previous = managers.get(id).map(|e| e.set.clone()).unwrap_or_default();
    let set =
        previous.difference(&cmp.removed).union(&cmp.modified).union(&cmp.added).recursive_difference(&ctx.ignored);
    if set.is_empty() {
        managers.remove(id);
        return Ok(());
    }
    let time = managers.get(id).and_then(|e| e.time.clone());
    let mut entry = template.clone();
    entry.api_version = ctx.version.clone();
    entry.set = set;
    entry.time = time;
    managers.insert(id.to_string(), entry);
    Ok(())
}

/// Applies `config` for `id`; `None` when the object does not change.
pub fn apply(
    ctx: &Ctx,
    live: &Value,
    config: &Value,
    managers: &mut Managers,
    id: &str,
    template: &Entry,
    force: bool,
) -> Result<Option<Value>, Failure> {
    let merged = merge(ctx.root, live, config).map_err(|e| Failure::Error(format!("failed to merge config: {e}")))?;
    let last = managers.get(id).map(|e| e.set.clone());
    let set = to_field_set(ctx.root, config).recursive_difference(&ctx.ignored);
    let time = managers.get(id).and_then(|e| e.time.clone());
    let mut entry = template.clone();
    entry.api_version = ctx.version.clone();
    entry.set = set;
    entry.time = time;
    managers.insert(id.to_string(), entry);
    let new = match last {
        Some(last) if !last.is_empty() => prune(ctx, &merged, managers, &last),
        _ => merged,
    };
    update_core(ctx, live, &new, managers, id, force)?;
    if values_equal(live, &new) {
        Ok(None)
    } else {
        Ok(Some(new))
    }
}

/// Removes what the applier applied last time and no longer applies, unless someone else
/// (or the applier's new configuration) still owns it.
fn prune(ctx: &Ctx, merged: &Value, managers: &Managers, last: &Set) -> Value {
    let named = |s: &Set| ensure_named_members(ctx.root, s);
    let pruned = remove_items(ctx.root, merged, &named(last));

    // Put back whatever any manager owns.
    let owned = managers.values().fold(Set::new(), |acc, e| acc.union(&e.set));
    let merged_set = named(&to_field_set(ctx.root, merged));
    let pruned_set = named(&to_field_set(ctx.root, &pruned));
    let drop = merged_set.difference(&pruned_set.union(&named(&owned)));
    let pruned = remove_items(ctx.root, merged, &drop);

    // Remove only what was applied last time and is still gone.
    let pruned_set = named(&to_field_set(ctx.root, &pruned));
    let gone = merged_set.difference(&pruned_set).intersection(&named(last));
    remove_items(ctx.root, merged, &gone)
}
