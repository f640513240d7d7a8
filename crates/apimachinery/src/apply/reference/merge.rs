//! The three walks over pairs of objects that server-side apply is made of: merging an
//! applied configuration into a live object, comparing two objects into added, modified and
//! removed field sets, and removing a set of fields from an object. Each follows
//! structured-merge-diff's `typed` package, including its treatment of empty and `null`
//! containers as leaves and of duplicate items in associative lists.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::fieldpath::{values_equal, PathElement};
use super::set::Set;
use super::typed::{deduce, item_element, member_type, shape, ListRel, Shape, TypeRef};

const MAX_DEPTH: usize = 200;

static NULL: Value = Value::Null;

/// How a pair of values is walked at one schema position.
enum Walk<'a> {
    /// Compared or replaced as a whole.
    Leaf,
    /// A granular struct or map.
    Fields(Shape<'a>),
    /// A granular (set or keyed) list.
    Items(TypeRef<'a>, ListRel<'a>),
}

#[derive(PartialEq, Eq)]
enum Category {
    Object,
    Array,
    Scalar,
}

fn category(v: &Value) -> Category {
    match v {
        Value::Object(_) => Category::Object,
        Value::Array(_) => Category::Array,
        _ => Category::Scalar,
    }
}

fn resolve<'a>(tr: TypeRef<'a>, l: Option<&Value>, r: Option<&Value>) -> Walk<'a> {
    let present: Vec<&Value> = [l, r].into_iter().flatten().filter(|v| !v.is_null()).collect();
    let mut s = shape(tr);
    if let Shape::Deduced = s {
        match present.as_slice() {
            [a, b] if category(a) != category(b) => return Walk::Leaf,
            [a, ..] => s = deduce(s, Some(a)),
            [] => return Walk::Leaf,
        }
    }
    match s {
        Shape::Struct { atomic: false, .. } | Shape::Map { atomic: false, .. } => {
            if present.iter().all(|v| v.is_object()) {
                Walk::Fields(s)
            } else {
                Walk::Leaf
            }
        }
        Shape::List { elem, rel: rel @ (ListRel::Set | ListRel::Map(_)) } => {
            if present.iter().all(|v| v.is_array()) {
                Walk::Items(elem, rel)
            } else {
                Walk::Leaf
            }
        }
        _ => Walk::Leaf,
    }
}

fn as_object(v: Option<&Value>) -> Option<&Map<String, Value>> {
    match v {
        Some(Value::Object(m)) => Some(m),
        _ => None,
    }
}

fn as_array(v: Option<&Value>) -> Option<&Vec<Value>> {
    match v {
        Some(Value::Array(a)) => Some(a),
        _ => None,
    }
}

fn too_deep() -> String {
    "value nests too deeply".to_string()
}

/// Merges `rhs` (an applied configuration) into `lhs` (the live object).
pub fn merge(tr: TypeRef<'_>, lhs: &Value, rhs: &Value) -> Result<Value, String> {
    Ok(merge_walk(tr, Some(lhs), Some(rhs), 0)?.unwrap_or(Value::Null))
}

fn merge_walk(tr: TypeRef<'_>, l: Option<&Value>, r: Option<&Value>, depth: usize) -> Result<Option<Value>, String> {
    if depth > MAX_DEPTH {
        return Err(too_deep());
    }
    let keep_rhs = || r.or(l).cloned();
    match resolve(tr, l, r) {
        Walk::Leaf => Ok(keep_rhs()),
        Walk::Fields(s) => {
            let (lm, rm) = (as_object(l), as_object(r));
            if lm.is_none_or(Map::is_empty) && rm.is_none_or(Map::is_empty) {
                return Ok(keep_rhs());
            }
            let mut out = Map::new();
            if let Some(lm) = lm {
                for (k, lv) in lm {
                    let (child, _) = member_type(&s, k);
                    let rv = rm.and_then(|m| m.get(k));
                    if let Some(v) = merge_walk(child, Some(lv), rv, depth + 1).map_err(|e| prefix(k, e))? {
                        out.insert(k.clone(), v);
                    }
                }
            }
            if let Some(rm) = rm {
                for (k, rv) in rm {
                    if lm.is_some_and(|m| m.contains_key(k)) {
                        continue;
                    }
                    let (child, _) = member_type(&s, k);
                    if let Some(v) = merge_walk(child, None, Some(rv), depth + 1).map_err(|e| prefix(k, e))? {
                        out.insert(k.clone(), v);
                    }
                }
            }
            Ok((!out.is_empty()).then_some(Value::Object(out)))
        }
        Walk::Items(elem, rel) => {
            let (la, ra) = (as_array(l), as_array(r));
            if la.is_none_or(Vec::is_empty) && ra.is_none_or(Vec::is_empty) {
                return Ok(keep_rhs());
            }
            let out =
                merge_items(elem, rel, la.map_or(&[][..], Vec::as_slice), ra.map_or(&[][..], Vec::as_slice), depth)?;
            Ok((!out.is_empty()).then_some(Value::Array(out)))
        }
    }
}

fn prefix(key: &str, e: String) -> String {
    if e.starts_with('.') || e.starts_with('[') {
        format!(".{key}{e}")
    } else {
        format!(".{key}: {e}")
    }
}

fn elements(rel: ListRel<'_>, elem: TypeRef<'_>, items: &[Value]) -> Result<Vec<PathElement>, String> {
    items
        .iter()
        .enumerate()
        .map(|(i, item)| item_element(rel, elem, item).map_err(|e| format!("element {i}: {e}")))
        .collect()
}

/// Upstream's ordering of a merged associative list: live items keep their place, applied
/// items follow the applied order, and items only the live object has stay where they were.
fn merge_items(
    elem: TypeRef<'_>,
    rel: ListRel<'_>,
    litems: &[Value],
    ritems: &[Value],
    depth: usize,
) -> Result<Vec<Value>, String> {
    let rhs_pes = elements(rel, elem, ritems)?;
    let lhs_pes = elements(rel, elem, litems)?;
    let mut observed_rhs: BTreeMap<&PathElement, &Value> = BTreeMap::new();
    for (pe, item) in rhs_pes.iter().zip(ritems) {
        if observed_rhs.insert(pe, item).is_some() {
            return Err(format!("duplicate entries for key {pe}"));
        }
    }
    // Items the live object holds twice merge as if they were null.
    let mut observed_lhs: BTreeMap<&PathElement, &Value> = BTreeMap::new();
    for (pe, item) in lhs_pes.iter().zip(litems) {
        if let Some(prev) = observed_lhs.get_mut(pe) {
            *prev = &NULL;
        } else {
            observed_lhs.insert(pe, item);
        }
    }
    let mut shared = rhs_pes.iter().filter(|pe| observed_lhs.contains_key(pe));
    let mut next_shared = shared.next();
    let mut merged_rhs: BTreeSet<&PathElement> = BTreeSet::new();
    let mut out = Vec::with_capacity(litems.len().max(ritems.len()));
    let mut push = |v: Option<Value>| {
        if let Some(v) = v {
            out.push(v);
        }
    };
    let (mut li, mut ri) = (0, 0);
    while li < lhs_pes.len() || ri < rhs_pes.len() {
        if li < lhs_pes.len() && ri < rhs_pes.len() {
            let pe = &lhs_pes[li];
            if *pe == rhs_pes[ri] {
                merged_rhs.insert(pe);
                push(merge_walk(elem, observed_lhs.get(pe).copied(), observed_rhs.get(pe).copied(), depth + 1)?);
                li += 1;
                ri += 1;
                next_shared = shared.next();
                continue;
            }
            if observed_rhs.contains_key(pe) && next_shared.is_some_and(|n| n != pe) {
                li += 1;
                continue;
            }
        }
        if li < lhs_pes.len() {
            let pe = &lhs_pes[li];
            if !observed_rhs.contains_key(pe) {
                push(merge_walk(elem, Some(&litems[li]), None, depth + 1)?);
                li += 1;
                continue;
            } else if merged_rhs.contains(pe) {
                li += 1;
            }
        }
        if ri < rhs_pes.len() {
            let pe = &rhs_pes[ri];
            merged_rhs.insert(pe);
            push(merge_walk(elem, observed_lhs.get(pe).copied(), observed_rhs.get(pe).copied(), depth + 1)?);
            ri += 1;
            if next_shared == Some(pe) {
                next_shared = shared.next();
            }
        }
    }
    Ok(out)
}

/// What changed between two objects.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Comparison {
    pub added: Set,
    pub modified: Set,
    pub removed: Set,
}

impl Comparison {
    /// Drops `fields` (and everything below them) from all three sets.
    pub fn exclude(&mut self, fields: &Set) {
        if fields.is_empty() {
            return;
        }
        self.added = self.added.recursive_difference(fields);
        self.modified = self.modified.recursive_difference(fields);
        self.removed = self.removed.recursive_difference(fields);
    }
}

/// Compares `lhs` (old) with `rhs` (new).
pub fn compare(tr: TypeRef<'_>, lhs: &Value, rhs: &Value) -> Result<Comparison, String> {
    let mut c = Comparison::default();
    let mut path = Vec::new();
    compare_walk(tr, Some(lhs), Some(rhs), &mut path, &mut c, 0)?;
    Ok(c)
}

fn compare_leaf(l: Option<&Value>, r: Option<&Value>, path: &[PathElement], c: &mut Comparison) {
    match (l, r) {
        (None, _) => c.added.insert(path),
        (_, None) => c.removed.insert(path),
        (Some(a), Some(b)) if !values_equal(a, b) => c.modified.insert(path),
        _ => {}
    }
}

fn compare_walk(
    tr: TypeRef<'_>,
    l: Option<&Value>,
    r: Option<&Value>,
    path: &mut Vec<PathElement>,
    c: &mut Comparison,
    depth: usize,
) -> Result<(), String> {
    if depth > MAX_DEPTH {
        return Err(too_deep());
    }
    match resolve(tr, l, r) {
        Walk::Leaf => {
            compare_leaf(l, r, path, c);
            return Ok(());
        }
        Walk::Fields(s) => {
            let (lm, rm) = (as_object(l), as_object(r));
            if lm.is_none_or(Map::is_empty) && rm.is_none_or(Map::is_empty) {
                compare_leaf(l, r, path, c);
                return Ok(());
            }
            let keys = lm
                .into_iter()
                .flat_map(|m| m.keys())
                .chain(rm.into_iter().flat_map(|m| m.keys()).filter(|k| !lm.is_some_and(|m| m.contains_key(*k))));
            for k in keys {
                let (child, _) = member_type(&s, k);
                path.push(PathElement::Field(k.clone()));
                compare_walk(child, lm.and_then(|m| m.get(k)), rm.and_then(|m| m.get(k)), path, c, depth + 1)?;
                path.pop();
            }
        }
        Walk::Items(elem, rel) => {
            let (la, ra) = (as_array(l), as_array(r));
            if la.is_none_or(Vec::is_empty) && ra.is_none_or(Vec::is_empty) {
                compare_leaf(l, r, path, c);
                return Ok(());
            }
            compare_items(
                elem,
                rel,
                la.map_or(&[][..], Vec::as_slice),
                ra.map_or(&[][..], Vec::as_slice),
                path,
                c,
                depth,
            )?;
        }
    }
    match (l, r) {
        (None, _) => c.added.insert(path),
        (_, None) => c.removed.insert(path),
        _ => {}
    }
    Ok(())
}

fn compare_items(
    elem: TypeRef<'_>,
    rel: ListRel<'_>,
    litems: &[Value],
    ritems: &[Value],
    path: &mut Vec<PathElement>,
    c: &mut Comparison,
    depth: usize,
) -> Result<(), String> {
    let lhs_pes = elements(rel, elem, litems)?;
    let rhs_pes = elements(rel, elem, ritems)?;
    let mut order: Vec<&PathElement> = Vec::new();
    let mut lvalues: BTreeMap<&PathElement, Vec<&Value>> = BTreeMap::new();
    for (pe, item) in lhs_pes.iter().zip(litems) {
        let slot = lvalues.entry(pe).or_default();
        if slot.is_empty() {
            order.push(pe);
        }
        slot.push(item);
    }
    let mut rvalues: BTreeMap<&PathElement, Vec<&Value>> = BTreeMap::new();
    for (pe, item) in rhs_pes.iter().zip(ritems) {
        let slot = rvalues.entry(pe).or_default();
        if slot.is_empty() && !lvalues.contains_key(pe) {
            order.push(pe);
        }
        slot.push(item);
    }
    let none: Vec<&Value> = Vec::new();
    for pe in order {
        let ll = lvalues.get(pe).unwrap_or(&none);
        let rl = rvalues.get(pe).unwrap_or(&none);
        path.push(pe.clone());
        match (ll.len(), rl.len()) {
            (0, 0) => {}
            (0 | 1, 0 | 1) => compare_walk(elem, ll.first().copied(), rl.first().copied(), path, c, depth + 1)?,
            (2.., 2..) => {
                if ll.len() != rl.len() || ll.iter().zip(rl.iter()).any(|(a, b)| !values_equal(a, b)) {
                    c.modified.insert(path);
                }
            }
            (2.., _) => {
                if let Some(first) = rl.first() {
                    compare_walk(elem, None, Some(first), path, c, depth + 1)?;
                }
                c.removed.insert(path);
            }
            (_, _) => {
                if let Some(first) = ll.first() {
                    compare_walk(elem, Some(first), None, path, c, depth + 1)?;
                }
                c.added.insert(path);
            }
        }
        path.pop();
    }
    Ok(())
}

/// `v` without the fields in `set` (upstream's `RemoveItems`): containers left empty by the
/// removal become `null`.
pub fn remove_items(tr: TypeRef<'_>, v: &Value, set: &Set) -> Value {
    match remove_walk(tr, v, set, 0) {
        Value::Null if v.is_object() => Value::Object(Map::new()),
        out => out,
    }
}

fn remove_walk(tr: TypeRef<'_>, v: &Value, set: &Set, depth: usize) -> Value {
    if depth > MAX_DEPTH {
        return v.clone();
    }
    let s = deduce(shape(tr), Some(v));
    match s {
        Shape::Scalar(_) | Shape::Deduced => v.clone(),
        Shape::List { elem, rel } => {
            let Value::Array(items) = v else { return Value::Null };
            if items.is_empty() || matches!(rel, ListRel::Atomic) {
                return Value::Null;
            }
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                let Ok(pe) = item_element(rel, elem, item) else {
                    out.push(item.clone());
                    continue;
                };
                if set.has_member(&pe) {
                    continue;
                }
                match set.child(&pe) {
                    Some(sub) => out.push(remove_walk(elem, item, sub, depth + 1)),
                    None => out.push(item.clone()),
                }
            }
            if out.is_empty() {
                Value::Null
            } else {
                Value::Array(out)
            }
        }
        Shape::Struct { atomic, .. } | Shape::Map { atomic, .. } => {
            let Value::Object(m) = v else { return Value::Null };
            if m.is_empty() || atomic {
                return Value::Null;
            }
            let mut out = Map::new();
            for (k, val) in m {
                let pe = PathElement::Field(k.clone());
                if set.has_member(&pe) {
                    continue;
                }
                let (child, _) = member_type(&s, k);
                match set.child(&pe) {
                    Some(sub) => out.insert(k.clone(), remove_walk(child, val, sub, depth + 1)),
                    None => out.insert(k.clone(), val.clone()),
                };
            }
            if out.is_empty() {
                Value::Null
            } else {
                Value::Object(out)
            }
        }
    }
}
