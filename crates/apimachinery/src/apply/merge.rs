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
    // The values that are there and not null, left first.
    let (l, r) = (l.filter(|v| !v.is_null()), r.filter(|v| !v.is_null()));
    let mut s = shape(tr);
    if let Shape::Deduced = s {
        match (l, r) {
            (Some(a), Some(b)) if category(a) != category(b) => return Walk::Leaf,
            (Some(a), _) | (None, Some(a)) => s = deduce(s, Some(a)),
            (None, None) => return Walk::Leaf,
        }
    }
    let all = |test: fn(&Value) -> bool| l.is_none_or(test) && r.is_none_or(test);
    match s {
        Shape::Struct { atomic: false, .. } | Shape::Map { atomic: false, .. } => {
            if all(Value::is_object) {
                Walk::Fields(s)
            } else {
                Walk::Leaf
            }
        }
        Shape::List { elem, rel: rel @ (ListRel::Set | ListRel::Map(_)) } => {
            if all(Value::is_array) {
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
        self.added.subtract_recursive(fields);
        self.modified.subtract_recursive(fields);
        self.removed.subtract_recursive(fields);
    }
}

/// Compares `lhs` (old) with `rhs` (new).
pub fn compare(tr: TypeRef<'_>, lhs: &Value, rhs: &Value) -> Result<Comparison, String> {
    let mut below = Level::default();
    compare_walk(tr, Some(lhs), Some(rhs), 0, &mut below)?;
    Ok(below.finish())
}

/// What a comparison says about a node itself (its path joins these sets).
#[derive(Default, Clone, Copy)]
struct Mark {
    added: bool,
    modified: bool,
    removed: bool,
}

impl Mark {
    fn any(self) -> bool {
        self.added || self.modified || self.removed
    }
}

/// One set of a comparison under construction: members and children in walk order.
#[derive(Default)]
struct Parts {
    members: Vec<PathElement>,
    children: Vec<(PathElement, Set)>,
}

impl Parts {
    fn is_empty(&self) -> bool {
        self.members.is_empty() && self.children.is_empty()
    }

    fn finish(self) -> Set {
        Set::from_parts(self.members, self.children)
    }
}

/// The three sets below one node under construction, relative to it.
#[derive(Default)]
struct Level {
    added: Parts,
    modified: Parts,
    removed: Parts,
}

impl Level {
    fn is_empty(&self) -> bool {
        self.added.is_empty() && self.modified.is_empty() && self.removed.is_empty()
    }

    /// Records the child named `pe` (made only when there is something to record): its
    /// mark, and what changed below it, which `below` hands over (it is left empty).
    fn record(&mut self, pe: impl FnOnce() -> PathElement, mark: Mark, below: &mut Level) {
        let deep = !below.is_empty();
        if !mark.any() && !deep {
            return;
        }
        let mut pe = Some(pe());
        if !deep {
            // The common case: a leaf that changed. It joins exactly one set.
            for (flag, parts) in
                [(mark.added, &mut self.added), (mark.modified, &mut self.modified), (mark.removed, &mut self.removed)]
            {
                if flag {
                    let pe = if mark.added as u8 + mark.modified as u8 + mark.removed as u8 == 1 {
                        pe.take()
                    } else {
                        pe.clone()
                    };
                    parts.members.extend(pe);
                }
            }
            return;
        }
        let uses = [
            (mark.added, &mut self.added, std::mem::take(&mut below.added)),
            (mark.modified, &mut self.modified, std::mem::take(&mut below.modified)),
            (mark.removed, &mut self.removed, std::mem::take(&mut below.removed)),
        ];
        // The element is cloned for all uses but the last, which takes it.
        let mut left =
            uses.iter().map(|(flag, _, sub)| usize::from(*flag) + usize::from(!sub.is_empty())).sum::<usize>();
        let mut take = |left: &mut usize| {
            *left -= 1;
            if *left == 0 {
                pe.take()
            } else {
                pe.clone()
            }
        };
        for (flag, parts, sub) in uses {
            if flag {
                parts.members.extend(take(&mut left));
            }
            if !sub.is_empty() {
                if let Some(pe) = take(&mut left) {
                    parts.children.push((pe, sub.finish()));
                }
            }
        }
    }

    fn finish(self) -> Comparison {
        Comparison { added: self.added.finish(), modified: self.modified.finish(), removed: self.removed.finish() }
    }
}

fn compare_leaf(l: Option<&Value>, r: Option<&Value>) -> Mark {
    match (l, r) {
        (None, _) => Mark { added: true, ..Mark::default() },
        (_, None) => Mark { removed: true, ..Mark::default() },
        (Some(a), Some(b)) if !values_equal(a, b) => Mark { modified: true, ..Mark::default() },
        _ => Mark::default(),
    }
}

/// Compares `l` with `r` at `tr`: returns the mark of the node, and adds what changed below
/// it to `below` (which the caller passes in empty).
fn compare_walk(
    tr: TypeRef<'_>,
    l: Option<&Value>,
    r: Option<&Value>,
    depth: usize,
    below: &mut Level,
) -> Result<Mark, String> {
    if depth > MAX_DEPTH {
        return Err(too_deep());
    }
    match resolve(tr, l, r) {
        Walk::Leaf => return Ok(compare_leaf(l, r)),
        Walk::Fields(s) => {
            let (lm, rm) = (as_object(l), as_object(r));
            if lm.is_none_or(Map::is_empty) && rm.is_none_or(Map::is_empty) {
                return Ok(compare_leaf(l, r));
            }
            // Members both maps hold at the same position (the usual case for two objects
            // in Go shape) are paired without hashing; the rest is looked up.
            let aligned = match (lm, rm) {
                (Some(lm), Some(rm)) => lm.keys().zip(rm.keys()).take_while(|(a, b)| a == b).count(),
                _ => 0,
            };
            let mut child = Level::default();
            if let Some(lm) = lm {
                let mut rest = rm.map(|m| m.values());
                for (i, (k, lv)) in lm.iter().enumerate() {
                    let (child_tr, _) = member_type(&s, k);
                    let rv = match &mut rest {
                        Some(values) if i < aligned => values.next(),
                        _ => rm.and_then(|m| m.get(k)),
                    };
                    let mark = compare_walk(child_tr, Some(lv), rv, depth + 1, &mut child)?;
                    below.record(|| PathElement::Field(k.clone()), mark, &mut child);
                }
            }
            if let Some(rm) = rm {
                for (k, rv) in rm.iter().skip(aligned) {
                    if lm.is_some_and(|m| m.contains_key(k)) {
                        continue;
                    }
                    let (child_tr, _) = member_type(&s, k);
                    let mark = compare_walk(child_tr, None, Some(rv), depth + 1, &mut child)?;
                    below.record(|| PathElement::Field(k.clone()), mark, &mut child);
                }
            }
        }
        Walk::Items(elem, rel) => {
            let (la, ra) = (as_array(l), as_array(r));
            if la.is_none_or(Vec::is_empty) && ra.is_none_or(Vec::is_empty) {
                return Ok(compare_leaf(l, r));
            }
            compare_items(
                elem,
                rel,
                la.map_or(&[][..], Vec::as_slice),
                ra.map_or(&[][..], Vec::as_slice),
                below,
                depth,
            )?;
        }
    }
    Ok(match (l, r) {
        (None, _) => Mark { added: true, ..Mark::default() },
        (_, None) => Mark { removed: true, ..Mark::default() },
        _ => Mark::default(),
    })
}

/// The items of both lists that share one path element, in list order.
struct Group<'a> {
    pe: &'a PathElement,
    lhs: Vec<&'a Value>,
    rhs: Vec<&'a Value>,
}

/// Groups items by path element: groups in order of first appearance on the left, then of
/// first appearance on the right (upstream's order of comparison).
fn group_items<'a>(
    lhs_pes: &'a [PathElement],
    litems: &'a [Value],
    rhs_pes: &'a [PathElement],
    ritems: &'a [Value],
) -> Vec<Group<'a>> {
    let mut groups: Vec<Group<'a>> = Vec::with_capacity(lhs_pes.len().max(rhs_pes.len()));
    // Short lists are searched; long ones get an index.
    let mut index: Option<BTreeMap<&'a PathElement, usize>> = (lhs_pes.len() + rhs_pes.len() > 16).then(BTreeMap::new);
    let find = |groups: &[Group<'a>], index: &Option<BTreeMap<&'a PathElement, usize>>, pe: &PathElement| match index {
        Some(index) => index.get(pe).copied(),
        None => groups.iter().position(|g| g.pe == pe),
    };
    for (right, pes, items) in [(false, lhs_pes, litems), (true, rhs_pes, ritems)] {
        for (pe, item) in pes.iter().zip(items) {
            let at = match find(&groups, &index, pe) {
                Some(at) => at,
                None => {
                    groups.push(Group { pe, lhs: Vec::new(), rhs: Vec::new() });
                    if let Some(index) = &mut index {
                        index.insert(pe, groups.len() - 1);
                    }
                    groups.len() - 1
                }
            };
            let g = &mut groups[at];
            if right {
                g.rhs.push(item);
            } else {
                g.lhs.push(item);
            }
        }
    }
    groups
}

fn compare_items(
    elem: TypeRef<'_>,
    rel: ListRel<'_>,
    litems: &[Value],
    ritems: &[Value],
    below: &mut Level,
    depth: usize,
) -> Result<(), String> {
    let lhs_pes = elements(rel, elem, litems)?;
    let rhs_pes = elements(rel, elem, ritems)?;
    let mut child = Level::default();
    for g in group_items(&lhs_pes, litems, &rhs_pes, ritems) {
        let (ll, rl) = (&g.lhs, &g.rhs);
        let mark = match (ll.len(), rl.len()) {
            (0, 0) => Mark::default(),
            (0 | 1, 0 | 1) => compare_walk(elem, ll.first().copied(), rl.first().copied(), depth + 1, &mut child)?,
            (2.., 2..) => Mark {
                modified: ll.len() != rl.len() || ll.iter().zip(rl.iter()).any(|(a, b)| !values_equal(a, b)),
                ..Mark::default()
            },
            (2.., _) => {
                let mut mark = match rl.first() {
                    Some(first) => compare_walk(elem, None, Some(first), depth + 1, &mut child)?,
                    None => Mark::default(),
                };
                mark.removed = true;
                mark
            }
            (_, _) => {
                let mut mark = match ll.first() {
                    Some(first) => compare_walk(elem, Some(first), None, depth + 1, &mut child)?,
                    None => Mark::default(),
                };
                mark.added = true;
                mark
            }
        };
        below.record(|| g.pe.clone(), mark, &mut child);
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
