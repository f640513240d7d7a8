//! The strategic merge itself: maps merge key by key, lists follow their field's patch
//! strategy, and the `$`-directives adjust both.
//!
//! Directives understood in a patch map:
//! - `$patch: replace` (take the map as given), `$patch: delete` (empty the map);
//! - `$retainKeys: [..]`: drop every key of the live map not listed;
//! - `$setElementOrder/<list>: [..]`: the order the merged list must end up in;
//! - `$deleteFromPrimitiveList/<list>: [..]`: scalars to remove from a list.
//!
//! Inside a merging list of maps, `{"<mergeKey>": v, "$patch": "delete"}` removes the
//! entries with that key and `{"$patch": "replace"}` makes the patch's items the list.

use std::collections::{BTreeSet, HashMap};

use serde_json::{Map, Value};

use super::deletions::Deleter;
use super::gofmt::{self, GoKey, GoKind, GoPanic};
use super::index::Positions;
use super::meta::{retain_keys_strategy, GoType};
use super::order::{
    bad_arg_type, is_delete_item, no_merge_key, normalize_element_order, partition_maps, partition_primitives,
};
use super::SmpError;

type Obj = Map<String, Value>;

const DIRECTIVE: &str = "$patch";
const RETAIN_KEYS: &str = "$retainKeys";
const DELETE_FROM_PRIMITIVE_LIST: &str = "$deleteFromPrimitiveList";
const SET_ELEMENT_ORDER: &str = "$setElementOrder";
const MERGE: &str = "merge";
const REPLACE: &str = "replace";
const DELETE: &str = "delete";

pub(crate) const BAD_PRIMITIVE_LIST: &str = "invalid patch format of primitive list";
pub(crate) const BAD_RETAIN_KEYS: &str = "invalid patch format of retainKeys";
pub(crate) const BAD_SET_ELEMENT_ORDER: &str = "invalid patch format of setElementOrder list";
pub(crate) const NO_LIST_OF_LISTS: &str = "lists of lists are not supported";

/// Merges `patch` into `original`, `schema` being the Go type both describe.
pub(crate) fn merge_map(mut original: Obj, mut patch: Obj, schema: &GoType) -> Result<Obj, SmpError> {
    if let Some(directive) = patch.get(DIRECTIVE) {
        return match directive.as_str() {
            Some(REPLACE) => {
                patch.shift_remove(DIRECTIVE);
                Ok(patch)
            }
            Some(DELETE) => Ok(Obj::new()),
            _ => Err(bad_patch_type(directive, &patch)),
        };
    }
    apply_retain_keys(&mut original, &mut patch)?;
    merge_ordered_lists(&mut original, &mut patch, schema)?;

    for (key, patch_value) in patch {
        let mut key = key;
        let mut delete_list = false;
        if key.starts_with(DELETE_FROM_PRIMITIVE_LIST) {
            let target = extract_key(&key, DELETE_FROM_PRIMITIVE_LIST)?;
            delete_list = true;
            if !target.is_empty() {
                key = target;
            }
        }
        if patch_value.is_null() {
            original.shift_remove(&key);
            continue;
        }
        let same_kind = match original.get(&key) {
            None => false,
            Some(current) => GoKind::of(current) == GoKind::of(&patch_value),
        };
        if !same_kind {
            if !delete_list {
                let mut value = patch_value;
                discard_nulls(&mut value);
                match remove_directives(value) {
                    Some(value) => {
                        original.insert(key, value);
                    }
                    None => {
                        original.shift_remove(&key);
                    }
                }
            }
            continue;
        }
        let current = original.get_mut(&key).map(Value::take).unwrap_or(Value::Null);
        let merged = match (current, patch_value) {
            (Value::Object(current), Value::Object(patch_map)) => {
                let (field_type, meta) = schema.lookup_struct(&key)?;
                let (_, strategy) = retain_keys_strategy(&meta.strategies)?;
                if strategy == REPLACE {
                    Value::Object(patch_map)
                } else {
                    Value::Object(merge_map(current, patch_map, &field_type)?)
                }
            }
            (Value::Array(current), Value::Array(patch_list)) => {
                let (elem_type, meta) = schema.lookup_slice(&key)?;
                let (_, strategy) = retain_keys_strategy(&meta.strategies)?;
                let merged =
                    merge_list_field(current, patch_list, &elem_type, &strategy, &meta.merge_key, delete_list)?;
                Value::Array(merged.items)
            }
            (_, scalar) => scalar,
        };
        original.insert(key, merged);
    }
    Ok(original)
}

fn bad_patch_type(directive: &Value, map: &Obj) -> SmpError {
    SmpError::Internal(format!("unknown patch type: {} in map: {}", gofmt::s(directive), gofmt::v_map(map)))
}

/// The list field named after the directive's `/`.
fn extract_key(key: &str, prefix: &str) -> Result<String, SmpError> {
    match key.split_once('/') {
        Some((head, rest)) if head == prefix => Ok(rest.to_string()),
        _ if prefix == DELETE_FROM_PRIMITIVE_LIST => Err(SmpError::BadRequest(BAD_PRIMITIVE_LIST)),
        _ => Err(SmpError::BadRequest(BAD_SET_ELEMENT_ORDER)),
    }
}

/// `$retainKeys`: every key the patch sets must be listed; live keys not listed go.
fn apply_retain_keys(original: &mut Obj, patch: &mut Obj) -> Result<(), SmpError> {
    let Some(retain) = patch.shift_remove(RETAIN_KEYS) else {
        return Ok(());
    };
    let Value::Array(retain) = retain else {
        return Err(SmpError::BadRequest(BAD_RETAIN_KEYS));
    };
    let mut kept = std::collections::HashSet::new();
    for item in &retain {
        kept.insert(GoKey::of(item)?);
    }
    for (key, value) in patch.iter() {
        if value.is_null() || key.starts_with(DELETE_FROM_PRIMITIVE_LIST) || key.starts_with(SET_ELEMENT_ORDER) {
            continue;
        }
        if !kept.contains(&GoKey::str(key)) {
            return Err(SmpError::BadRequest(BAD_RETAIN_KEYS));
        }
    }
    original.retain(|key, _| kept.contains(&GoKey::str(key)));
    Ok(())
}

/// Applies every `$setElementOrder/<list>` together with the patch's `<list>`, then orders
/// the result: the directive's order for the items it names, live order for the rest.
fn merge_ordered_lists(original: &mut Obj, patch: &mut Obj, schema: &GoType) -> Result<(), SmpError> {
    let directives: Vec<String> = patch.keys().filter(|k| k.starts_with(SET_ELEMENT_ORDER)).cloned().collect();
    for directive in directives {
        let Some(order) = patch.shift_remove(&directive) else {
            continue;
        };
        let Value::Array(order) = order else {
            return Err(bad_arg_type("[]interface {}", &order));
        };
        let key = extract_key(&directive, SET_ELEMENT_ORDER)?;
        let live = match original.get(&key) {
            None => None,
            Some(Value::Array(list)) => Some(list.clone()),
            Some(other) => return Err(bad_arg_type("[]interface {}", other)),
        };
        let patch_list = match patch.get(&key) {
            None => None,
            Some(Value::Array(list)) => Some(list.clone()),
            Some(other) => return Err(bad_arg_type("[]interface {}", other)),
        };
        let (elem_type, meta) = schema.lookup_slice(&key)?;
        let (_, strategy) = retain_keys_strategy(&meta.strategies)?;
        let merge_key = meta.merge_key.as_str();
        validate_against_order(patch_list.as_deref().unwrap_or(&[]), &order, merge_key)?;
        let element_kind = slice_element_type(&[live.as_deref().unwrap_or(&[]), patch_list.as_deref().unwrap_or(&[])]);

        let (merged, server_order) = match (live, patch_list) {
            (Some(live), None) => (live.clone(), live),
            (None, Some(patch_list)) => (remove_directives_list(patch_list), Vec::new()),
            (Some(live), Some(patch_list)) => {
                let merged = merge_list_field(live, patch_list, &elem_type, &strategy, merge_key, false)?;
                (merged.items, merged.live_view)
            }
            (None, None) => continue,
        };
        let (in_order, server_only) = if merge_key.is_empty() {
            partition_primitives(merged, &order)?
        } else {
            partition_maps(merged, &order, merge_key)?
        };
        let kind = element_kind?;
        let ordered = normalize_element_order(in_order, server_only, &order, &server_order, merge_key, kind)?;
        original.insert(key.clone(), Value::Array(ordered));
        patch.shift_remove(&key);
    }
    Ok(())
}

/// The items of the patch list (deletions aside) must appear in the directive in the same
/// relative order.
fn validate_against_order(patch_list: &[Value], order: &[Value], merge_key: &str) -> Result<(), SmpError> {
    if order.is_empty() || patch_list.is_empty() {
        return Ok(());
    }
    let mut items: Vec<&Value> = Vec::with_capacity(patch_list.len());
    for item in patch_list {
        if merge_key.is_empty() || !is_delete_item(item)? {
            items.push(item);
        }
    }
    let (mut p, mut o) = (0, 0);
    while let (Some(item), Some(wanted)) = (items.get(p), order.get(o)) {
        if item.as_object().is_some_and(|m| m.contains_key(DIRECTIVE)) {
            p += 1;
            continue;
        }
        if merge_key_value_equal(item, wanted, merge_key)? {
            p += 1;
        }
        o += 1;
    }
    if p < items.len() && o >= order.len() {
        return Err(SmpError::Internal(format!(
            "The order in patch list:\n{}\n doesn't match {SET_ELEMENT_ORDER} list:\n{}\n",
            gofmt::v_list(patch_list),
            gofmt::v_list(order)
        )));
    }
    Ok(())
}

fn merge_key_value_equal(left: &Value, right: &Value, merge_key: &str) -> Result<bool, SmpError> {
    if merge_key.is_empty() {
        return Ok(gofmt::go_eq(left, right)?);
    }
    let l = left.as_object().ok_or_else(|| bad_arg_type("map[string]interface {}", left))?;
    let r = right.as_object().ok_or_else(|| bad_arg_type("map[string]interface {}", right))?;
    let lv = l.get(merge_key).ok_or_else(|| no_merge_key(l, merge_key))?;
    let rv = r.get(merge_key).ok_or_else(|| no_merge_key(r, merge_key))?;
    Ok(gofmt::go_eq(lv, rv)?)
}

/// A merged list, and the live list as the caller's view of it afterwards: Go edits the
/// live list's backing array in place while deleting and appending, and the
/// `$setElementOrder` ordering reads positions from that edited view.
pub(crate) struct MergedList {
    pub(crate) items: Vec<Value>,
    pub(crate) live_view: Vec<Value>,
}

/// Merges a list field according to its strategy (a deletion list always merges).
fn merge_list_field(
    live: Vec<Value>,
    patch: Vec<Value>,
    elem_type: &GoType,
    strategy: &str,
    merge_key: &str,
    delete_list: bool,
) -> Result<MergedList, SmpError> {
    if strategy == MERGE || delete_list {
        merge_list(live, patch, elem_type, merge_key, delete_list)
    } else {
        Ok(MergedList { items: patch, live_view: live })
    }
}

fn merge_list(
    live: Vec<Value>,
    patch: Vec<Value>,
    elem_type: &GoType,
    merge_key: &str,
    delete_list: bool,
) -> Result<MergedList, SmpError> {
    if live.is_empty() && patch.is_empty() {
        return Ok(MergedList { items: live, live_view: Vec::new() });
    }
    let kind = slice_element_type(&[&live, &patch])?;
    let (merged, live_view, patch, server_order) = if kind != GoKind::Map {
        if delete_list {
            return Ok(MergedList { items: delete_from_list(&live, &patch)?, live_view: live });
        }
        if patch.is_empty() {
            // Appending nothing hands back the live slice itself, so the deduplication
            // below rewrites the live list in place, and later lookups see that.
            let (merged, rewritten) = dedupe_scalars(live)?;
            (merged, rewritten.clone(), patch, rewritten)
        } else {
            let mut both = live.clone();
            both.extend(patch.iter().cloned());
            (dedupe_scalars(both)?.0, live.clone(), patch, live)
        }
    } else {
        if merge_key.is_empty() {
            return Err(SmpError::Internal(format!("cannot merge lists without merge key for {}", elem_type.kind())));
        }
        let special = apply_special_elements(live, patch, merge_key)?;
        let server_order = special.items.clone();
        let mut live_view = special.live_view;
        let merged = merge_by_key(special.items, &special.patch, merge_key, elem_type, &mut live_view, special.shared)?;
        (merged, live_view, special.patch, server_order)
    };
    let (in_patch, server_only) = if merge_key.is_empty() {
        partition_primitives(merged, &patch)?
    } else {
        partition_maps(merged, &patch, merge_key)?
    };
    let items = normalize_element_order(in_patch, server_only, &patch, &server_order, merge_key, kind)?;
    Ok(MergedList { items, live_view })
}

struct Special {
    /// The live items left after deletions, or the patch's items after `$patch: replace`.
    items: Vec<Value>,
    /// The patch's ordinary items (none after a replace).
    patch: Vec<Value>,
    live_view: Vec<Value>,
    /// Whether `items` still lives in the live list's backing array.
    shared: bool,
}

/// Handles the `$patch` items of a merging list of maps.
fn apply_special_elements(live: Vec<Value>, patch: Vec<Value>, merge_key: &str) -> Result<Special, SmpError> {
    let mut deleter = Deleter::new(live, merge_key);
    let mut ordinary = Vec::new();
    let mut replace = false;
    for item in patch {
        let Some(map) = item.as_object() else {
            return Err(bad_arg_type("map[string]interface {}", &item));
        };
        let Some(directive) = map.get(DIRECTIVE) else {
            ordinary.push(item);
            continue;
        };
        match directive.as_str() {
            Some(DELETE) => {
                let value = map.get(merge_key).ok_or_else(|| no_merge_key(map, merge_key))?;
                deleter.delete(value)?;
            }
            Some(REPLACE) => replace = true,
            Some(MERGE) => {
                return Err(SmpError::Internal("merging lists cannot yet be specified in the patch".into()));
            }
            _ => return Err(bad_patch_type(directive, map)),
        }
    }
    let (items, live_view) = deleter.finish();
    if replace {
        return Ok(Special { items: ordinary, patch: Vec::new(), live_view, shared: false });
    }
    Ok(Special { items, patch: ordinary, live_view, shared: true })
}

/// Merges each patch map into the live map with the same merge key, appending the rest.
fn merge_by_key(
    mut items: Vec<Value>,
    patch: &[Value],
    merge_key: &str,
    elem_type: &GoType,
    live_view: &mut [Value],
    shared: bool,
) -> Result<Vec<Value>, SmpError> {
    let mut index = Positions::by_key(&items, merge_key);
    for item in patch {
        let Some(map) = item.as_object() else {
            return Err(bad_arg_type("map[string]interface {}", item));
        };
        let value = map.get(merge_key).ok_or_else(|| no_merge_key(map, merge_key))?;
        match index.find(value)? {
            Some(i) => {
                let current = match items.get_mut(i).map(Value::take) {
                    Some(Value::Object(current)) => current,
                    _ => Obj::new(),
                };
                let key_before = current.get(merge_key).cloned();
                let merged = merge_map(current, map.clone(), elem_type)?;
                let key_changed = merged.get(merge_key) != key_before.as_ref();
                if let Some(slot) = items.get_mut(i) {
                    *slot = Value::Object(merged);
                }
                if key_changed {
                    // Only a `null` merge key can do this (it deletes the key it matched).
                    index = Positions::by_key(&items, merge_key);
                }
            }
            None => {
                // An append still inside the live array's capacity overwrites the slot
                // a deletion left behind.
                if shared {
                    if let Some(slot) = live_view.get_mut(items.len()) {
                        *slot = item.clone();
                    }
                }
                index.push_by_key(items.len(), item, merge_key);
                items.push(item.clone());
            }
        }
    }
    Ok(items)
}

/// Removes the scalars in `remove` from `list`.
fn delete_from_list(list: &[Value], remove: &[Value]) -> Result<Vec<Value>, GoPanic> {
    let mut gone = std::collections::HashSet::new();
    for v in remove {
        gone.insert(GoKey::of(v)?);
    }
    let mut kept = Vec::with_capacity(list.len());
    for v in list {
        if !gone.contains(&GoKey::of(v)?) {
            kept.push(v.clone());
        }
    }
    Ok(kept)
}

/// Go's in-place deduplication: scanning forward from each item, every later duplicate is
/// overwritten by the current last item and the list shortened. Returns the result and the
/// whole rewritten array. (Position sets make this O(n log n) instead of Go's O(n²).)
fn dedupe_scalars(mut s: Vec<Value>) -> Result<(Vec<Value>, Vec<Value>), GoPanic> {
    let mut at: HashMap<GoKey<'static>, BTreeSet<usize>> = HashMap::new();
    for (i, v) in s.iter().enumerate() {
        at.entry(GoKey::of(v)?.into_owned()).or_default().insert(i);
    }
    let mut live = s.len();
    let mut i = 0;
    while i + 1 < live {
        let Some(current) = s.get(i) else { break };
        let key = GoKey::of(current)?.into_owned();
        loop {
            let next = at.get(&key).and_then(|set| set.range(i + 1..live).next().copied());
            let Some(j) = next else { break };
            let last = live - 1;
            let Some(moved) = s.get(last).cloned() else { break };
            let moved_key = GoKey::of(&moved)?.into_owned();
            if let Some(set) = at.get_mut(&moved_key) {
                set.remove(&last);
            }
            if j != last {
                if let Some(set) = at.get_mut(&key) {
                    set.remove(&j);
                }
                at.entry(moved_key).or_default().insert(j);
                if let Some(slot) = s.get_mut(j) {
                    *slot = moved;
                }
            }
            live -= 1;
        }
        i += 1;
    }
    let kept = s.get(..live).map(<[Value]>::to_vec).unwrap_or_default();
    Ok((kept, s))
}

/// The one element type shared by all the lists.
fn slice_element_type(lists: &[&[Value]]) -> Result<GoKind, SmpError> {
    let mut kind = None;
    for item in lists.iter().flat_map(|l| l.iter()) {
        let current = GoKind::of(item);
        match kind {
            None => {
                if current == GoKind::Nil {
                    return Err(
                        GoPanic("runtime error: invalid memory address or nil pointer dereference".into()).into()
                    );
                }
                if current == GoKind::Slice {
                    return Err(SmpError::Unprocessable(NO_LIST_OF_LISTS));
                }
                kind = Some(current);
            }
            Some(k) if k != current => {
                let printed: Vec<String> = lists.iter().map(|l| gofmt::v_list(l)).collect();
                return Err(SmpError::Internal(format!(
                    "list element types are not identical: [{}]",
                    printed.join(" ")
                )));
            }
            Some(_) => {}
        }
    }
    kind.ok_or_else(|| SmpError::Internal("no elements in any of the given slices".into()))
}

/// Drops `$patch` maps (and list items) from a value taken from the patch as a whole.
/// `None` when the value itself is such a map.
pub(crate) fn remove_directives(value: Value) -> Option<Value> {
    match value {
        Value::Object(map) => {
            if map.contains_key(DIRECTIVE) {
                return None;
            }
            Some(Value::Object(map.into_iter().filter_map(|(k, v)| remove_directives(v).map(|v| (k, v))).collect()))
        }
        Value::Array(list) => Some(Value::Array(remove_directives_list(list))),
        other => Some(other),
    }
}

fn remove_directives_list(list: Vec<Value>) -> Vec<Value> {
    list.into_iter().filter_map(remove_directives).collect()
}

/// Removes `null`-valued keys at every depth of a value the patch adds whole.
fn discard_nulls(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(discard_nulls);
        }
        Value::Array(list) => list.iter_mut().for_each(discard_nulls),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Go's quadratic loop, transcribed literally, as the reference.
    fn dedupe_reference(mut s: Vec<Value>) -> (Vec<Value>, Vec<Value>) {
        let mut backing = s.clone();
        let mut length = s.len() as isize - 1;
        let mut i = 0isize;
        while i < length {
            let mut j = i + 1;
            while j <= length {
                if s[i as usize] == s[j as usize] {
                    s[j as usize] = s[length as usize].clone();
                    backing[j as usize] = s[length as usize].clone();
                    s.truncate(length as usize);
                    length -= 1;
                    j -= 1;
                }
                j += 1;
            }
            i += 1;
        }
        (s, backing)
    }

    #[test]
    fn fast_deduplication_matches_the_go_loop() {
        let mut state = 0x1234_5678_9abc_def1u64;
        for _ in 0..2000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 12) as usize;
            let items: Vec<Value> = (0..len).map(|k| json!(((state >> (k * 3)) % 4).to_string())).collect();
            assert_eq!(dedupe_scalars(items.clone()).ok(), Some(dedupe_reference(items)));
        }
    }
}
