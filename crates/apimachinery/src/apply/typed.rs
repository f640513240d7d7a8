//! Objects seen through the schema, as structured-merge-diff sees them through the schema
//! kube-openapi derives from the OpenAPI of the built-in types:
//!
//! * structs are granular maps of their fields, atomic when marked `+structType=atomic`;
//! * maps are granular unless `+mapType=atomic`;
//! * lists follow `+listType` (`atomic`, `set`, `map` keyed by `+listMapKey`s); without one, a
//!   `patchStrategy` of `merge` with a `patchMergeKey` makes an associative list keyed by
//!   the merge key, and anything else is atomic;
//! * `RawExtension`, `FieldsV1` and every value of an unknown kind are *deduced*: objects are
//!   granular maps, lists atomic, anything else a scalar.
//!
//! Key fields an item omits take the OpenAPI default upstream publishes: the zero value of a
//! non-pointer, non-`omitempty` scalar, and `TCP` for port protocols.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use serde_json::{Map, Value};

use super::fieldpath::{json_kind, path_string, PathElement};
use super::set::Set;
use crate::schema::{schema, FieldDef, TypeDef, ValueType};

/// Where a value sits in the schema.
#[derive(Debug, Clone, Copy)]
pub enum TypeRef<'a> {
    /// A struct by definition.
    Struct(&'a TypeDef),
    /// A struct field, with its list/map markers.
    Field(&'a FieldDef),
    /// An item of a list field, or a value of a map field.
    Item(&'a FieldDef),
    /// An item of a named slice type (`ExtraValue`).
    Items(&'a TypeDef),
    /// No schema: shape deduced from the value.
    Deduced,
}

impl<'a> TypeRef<'a> {
    /// The root of objects of a kind; unknown kinds are deduced.
    pub fn root(group: &str, version: &str, kind: &str) -> TypeRef<'static> {
        match schema().kind(group, version, kind) {
            Some(def) => TypeRef::Struct(def),
            None => TypeRef::Deduced,
        }
    }
}

/// How a list's items relate.
#[derive(Debug, Clone, Copy)]
pub enum ListRel<'a> {
    Atomic,
    Set,
    Map(&'a [String]),
}

/// How a scalar is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarKind {
    String,
    Numeric,
    Boolean,
    /// Any scalar (`IntOrString`, `Quantity`, deduced values).
    Untyped,
}

/// What a schema position resolves to.
#[derive(Debug, Clone, Copy)]
pub enum Shape<'a> {
    Scalar(ScalarKind),
    Struct {
        def: &'a TypeDef,
        atomic: bool,
    },
    Map {
        elem: TypeRef<'a>,
        atomic: bool,
    },
    List {
        elem: TypeRef<'a>,
        rel: ListRel<'a>,
    },
    /// Decided by the value (see [`deduce`]).
    Deduced,
}

/// The definition a struct-valued type names. Types of the static schema resolve through a
/// table keyed by the address of the name (built once), so walks do not hash long
/// definition names at every node; any other name is looked up by name.
pub fn message_def(name: &String) -> Option<&'static TypeDef> {
    static TABLE: OnceLock<HashMap<usize, Option<&'static TypeDef>, BuildHasherDefault<AddrHasher>>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let s = schema();
        let mut table = HashMap::default();
        let mut todo: Vec<&'static TypeDef> = s.kinds().into_iter().map(|(_, _, def)| def).collect();
        let mut seen: HashSet<usize, BuildHasherDefault<AddrHasher>> = HashSet::default();
        let mut note = |v: &'static ValueType, todo: &mut Vec<&'static TypeDef>| {
            if let ValueType::Message(name) = v {
                let def = s.type_def(name);
                table.insert(name as *const String as usize, def);
                todo.extend(def);
            }
        };
        while let Some(def) = todo.pop() {
            if !seen.insert(def as *const TypeDef as usize) {
                continue;
            }
            for f in def.json_fields().iter().chain(def.fields.iter()) {
                note(&f.value, &mut todo);
            }
            if let Some(items) = &def.items {
                note(items, &mut todo);
            }
        }
        table
    });
    match table.get(&(name as *const String as usize)) {
        Some(def) => *def,
        None => schema().type_def(name),
    }
}

/// The position of field `f` in `def.json_fields()` (`TypeDef::field` hands out members of
/// that slice).
pub fn field_position(def: &TypeDef, f: &FieldDef) -> Option<usize> {
    let fields = def.json_fields();
    let offset = (f as *const FieldDef as usize).wrapping_sub(fields.as_ptr() as usize);
    let at = offset / std::mem::size_of::<FieldDef>().max(1);
    fields.get(at).filter(|g| std::ptr::eq(*g, f)).map(|_| at)
}

/// The field called `key` of `def` and its position.
pub fn field_at<'a>(def: &'a TypeDef, key: &str) -> Option<(usize, &'a FieldDef)> {
    let f = def.field(key)?;
    Some((field_position(def, f)?, f))
}

/// Scratch space with one slot per field of a struct, on the stack for the usual sizes.
pub struct Slots<T> {
    stack: [T; SLOTS_ON_STACK],
    heap: Vec<T>,
    len: usize,
}

const SLOTS_ON_STACK: usize = 64;

impl<T: Copy + Default> Slots<T> {
    pub fn new(len: usize) -> Slots<T> {
        let heap = if len > SLOTS_ON_STACK { vec![T::default(); len] } else { Vec::new() };
        Slots { stack: [T::default(); SLOTS_ON_STACK], heap, len }
    }

    pub fn get(&self, at: usize) -> T {
        let slots = if self.len > SLOTS_ON_STACK { &self.heap[..] } else { &self.stack[..self.len] };
        slots.get(at).copied().unwrap_or_default()
    }

    pub fn set(&mut self, at: usize, value: T) {
        let slots = if self.len > SLOTS_ON_STACK { &mut self.heap[..] } else { &mut self.stack[..self.len] };
        if let Some(slot) = slots.get_mut(at) {
            *slot = value;
        }
    }
}

/// Hashes addresses (already unique) with one multiplication.
#[derive(Default)]
struct AddrHasher(u64);

impl Hasher for AddrHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(*b)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }

    fn write_usize(&mut self, n: usize) {
        let h = (n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        self.0 = h ^ (h >> 29);
    }
}

fn is_atomic(marker: Option<&String>) -> bool {
    marker.is_some_and(|m| m == "atomic")
}

fn list_rel(f: &FieldDef) -> ListRel<'_> {
    match f.list_type.as_deref() {
        Some("atomic") => ListRel::Atomic,
        Some("set") => ListRel::Set,
        Some("map") if !f.list_map_keys.is_empty() => ListRel::Map(&f.list_map_keys),
        Some("map") => match &f.patch_merge_key {
            Some(k) => ListRel::Map(std::slice::from_ref(k)),
            None => ListRel::Atomic,
        },
        _ => match (&f.patch_strategy, &f.patch_merge_key) {
            (Some(s), Some(k)) if s.split(',').any(|p| p == "merge") => ListRel::Map(std::slice::from_ref(k)),
            _ => ListRel::Atomic,
        },
    }
}

fn value_shape<'a>(value: &'a ValueType, marker: Option<&'a String>) -> Shape<'a> {
    match value {
        ValueType::String | ValueType::Bytes | ValueType::Time | ValueType::MicroTime | ValueType::Duration => {
            Shape::Scalar(ScalarKind::String)
        }
        ValueType::Int32 | ValueType::Int64 | ValueType::Double => Shape::Scalar(ScalarKind::Numeric),
        ValueType::Bool => Shape::Scalar(ScalarKind::Boolean),
        ValueType::Quantity | ValueType::IntOrString => Shape::Scalar(ScalarKind::Untyped),
        ValueType::RawExtension | ValueType::FieldsV1 => Shape::Deduced,
        ValueType::Message(name) => match message_def(name) {
            None => Shape::Deduced,
            Some(def) if def.items.is_some() => {
                let rel = match def.list_type.as_deref() {
                    Some("set") => ListRel::Set,
                    _ => ListRel::Atomic,
                };
                Shape::List { elem: TypeRef::Items(def), rel }
            }
            Some(def) => {
                let atomic = match marker.map(String::as_str) {
                    Some("atomic") => true,
                    Some("granular") => false,
                    _ => is_atomic(def.struct_type.as_ref()) || is_atomic(def.map_type.as_ref()),
                };
                Shape::Struct { def, atomic }
            }
        },
    }
}

/// The shape at `tr`, before looking at a value.
pub fn shape(tr: TypeRef<'_>) -> Shape<'_> {
    match tr {
        TypeRef::Struct(def) => {
            Shape::Struct { def, atomic: is_atomic(def.struct_type.as_ref()) || is_atomic(def.map_type.as_ref()) }
        }
        TypeRef::Field(f) if f.repeated => Shape::List { elem: TypeRef::Item(f), rel: list_rel(f) },
        TypeRef::Field(f) if f.is_map() => {
            Shape::Map { elem: TypeRef::Item(f), atomic: is_atomic(f.map_type.as_ref()) }
        }
        TypeRef::Field(f) => value_shape(&f.value, f.struct_type.as_ref().or(f.map_type.as_ref())),
        TypeRef::Item(f) => value_shape(&f.value, None),
        TypeRef::Items(def) => match &def.items {
            Some(v) => value_shape(v, None),
            None => Shape::Deduced,
        },
        TypeRef::Deduced => Shape::Deduced,
    }
}

/// A deduced shape made concrete by a value: objects are granular maps, arrays atomic lists.
pub fn deduce<'a>(s: Shape<'a>, v: Option<&Value>) -> Shape<'a> {
    match s {
        Shape::Deduced => match v {
            Some(Value::Object(_)) => Shape::Map { elem: TypeRef::Deduced, atomic: false },
            Some(Value::Array(_)) => Shape::List { elem: TypeRef::Deduced, rel: ListRel::Atomic },
            _ => Shape::Scalar(ScalarKind::Untyped),
        },
        other => other,
    }
}

/// The type of member `key` of a struct or map; undeclared struct fields are deduced.
pub fn member_type<'a>(s: &Shape<'a>, key: &str) -> (TypeRef<'a>, bool) {
    match s {
        Shape::Struct { def, .. } => match def.field(key) {
            Some(f) => (TypeRef::Field(f), true),
            None => (TypeRef::Deduced, false),
        },
        Shape::Map { elem, .. } => (*elem, false),
        _ => (TypeRef::Deduced, false),
    }
}

/// Upstream's published default for key field `name` of list items at `elem`.
fn key_default(elem: TypeRef<'_>, name: &str) -> Option<Value> {
    let Shape::Struct { def, .. } = shape(elem) else { return None };
    let f = def.field(name)?;
    if f.json_name == "protocol" && (def.name.ends_with(".ContainerPort") || def.name.ends_with(".ServicePort")) {
        return Some(Value::String("TCP".into()));
    }
    if f.pointer || f.omitempty || f.repeated || f.is_map() {
        return None;
    }
    match &f.value {
        ValueType::String => Some(Value::String(String::new())),
        ValueType::Int32 | ValueType::Int64 => Some(Value::from(0)),
        ValueType::Double => Some(Value::from(0.0)),
        ValueType::Bool => Some(Value::Bool(false)),
        ValueType::Message(n) if message_def(n).is_some_and(|d| d.items.is_none()) => Some(Value::Object(Map::new())),
        _ => None,
    }
}

/// The path element naming `item` in an associative list.
pub fn item_element(rel: ListRel<'_>, elem: TypeRef<'_>, item: &Value) -> Result<PathElement, String> {
    match rel {
        ListRel::Atomic => Err("invalid indexing of non-associative list".into()),
        ListRel::Map(keys) => {
            let m = match item {
                Value::Object(m) => m,
                Value::Null => return Err("associative list with keys may not have a null element".into()),
                _ => return Err("associative list with keys may not have non-map elements".into()),
            };
            let mut fields = Vec::with_capacity(keys.len());
            for k in keys {
                match m.get(k).cloned().or_else(|| key_default(elem, k)) {
                    Some(v) => fields.push((k.clone(), v)),
                    None => {
                        return Err(format!(
                            "associative list with keys has an element that omits key field {k:?} (and doesn't have default value)"
                        ))
                    }
                }
            }
            Ok(PathElement::key(fields))
        }
        ListRel::Set => match item {
            Value::Object(_) => Err("associative list without keys has an element that's a map type".into()),
            Value::Array(_) => Err("not supported: associative list with lists as elements".into()),
            Value::Null => Err("associative list without keys has an element that's an explicit null".into()),
            v => Ok(PathElement::Value(Box::new(v.clone()))),
        },
    }
}

/// Every field `v` sets, as upstream's `ToFieldSet` lists them.
pub fn to_field_set(tr: TypeRef<'_>, v: &Value) -> Set {
    let mut out = Set::new();
    let mut path = Vec::new();
    walk_set(tr, v, &mut path, &mut out);
    out
}

fn walk_set(tr: TypeRef<'_>, v: &Value, path: &mut Vec<PathElement>, out: &mut Set) {
    if path.len() > MAX_DEPTH {
        return out.insert(path);
    }
    match deduce(shape(tr), Some(v)) {
        Shape::Scalar(_)
        | Shape::Deduced
        | Shape::Struct { atomic: true, .. }
        | Shape::Map { atomic: true, .. }
        | Shape::List { rel: ListRel::Atomic, .. } => out.insert(path),
        s @ (Shape::Struct { .. } | Shape::Map { .. }) => {
            let Value::Object(m) = v else { return };
            for (k, child) in m {
                let (child_tr, declared) = member_type(&s, k);
                path.push(PathElement::Field(k.clone()));
                walk_set(child_tr, child, path, out);
                let empty = match child {
                    Value::Null => true,
                    Value::Object(c) => c.is_empty(),
                    _ => false,
                };
                if empty || !declared {
                    out.insert(path);
                }
                path.pop();
            }
        }
        Shape::List { elem, rel } => {
            let Value::Array(items) = v else { return };
            let pes: Vec<Option<PathElement>> = items.iter().map(|i| item_element(rel, elem, i).ok()).collect();
            let mut seen: Vec<&PathElement> = pes.iter().flatten().collect();
            seen.sort();
            let dups: Vec<&PathElement> = seen.windows(2).filter(|w| w[0] == w[1]).map(|w| w[0]).collect();
            for pe in &dups {
                path.push((*pe).clone());
                out.insert(path);
                path.pop();
            }
            for (item, pe) in items.iter().zip(&pes) {
                let Some(pe) = pe else { continue };
                if dups.binary_search(&pe).is_ok() {
                    continue;
                }
                path.push(pe.clone());
                walk_set(elem, item, path, out);
                out.insert(path);
                path.pop();
            }
        }
    }
}

/// Upstream's `EnsureNamedFieldsAreMembers`: declared struct fields with children under them
/// also become members.
pub fn ensure_named_members(tr: TypeRef<'_>, set: &Set) -> Set {
    let s = shape(tr);
    let mut out = set.clone();
    let (members, children) = out.parts_mut();
    for (pe, child) in children.iter_mut() {
        let pe: &PathElement = pe;
        let child_tr = match (pe, &s) {
            (PathElement::Field(name), Shape::Struct { def, .. }) => match def.field(name) {
                Some(f) => {
                    if let Err(at) = members.binary_search(pe) {
                        members.insert(at, pe.clone());
                    }
                    Some(TypeRef::Field(f))
                }
                None => None,
            },
            (PathElement::Field(_), Shape::Map { elem, .. }) => Some(*elem),
            (PathElement::Key(_), Shape::List { elem, .. }) => Some(*elem),
            _ => None,
        };
        if let Some(ct) = child_tr {
            *child = ensure_named_members(ct, child);
        }
    }
    out
}

/// Checks `v` against the schema as upstream's typed conversion does, returning its error text.
pub fn validate(tr: TypeRef<'_>, v: &Value, allow_duplicates: bool) -> Result<(), String> {
    let mut errs = Vec::new();
    let mut path = Vec::new();
    validate_walk(tr, v, &mut path, allow_duplicates, &mut errs, 0);
    match errs.len() {
        0 => Ok(()),
        1 => Err(errs.remove(0)),
        _ => Err(format!("errors:\n  {}", errs.join("\n  "))),
    }
}

const MAX_DEPTH: usize = 200;

fn err_at(path: &[PathElement], msg: String) -> String {
    let p = path_string(path);
    if p.is_empty() {
        msg
    } else {
        format!("{p}: {msg}")
    }
}

fn go_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "<nil>",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_i64() => "int64",
        Value::Number(_) => "float64",
        Value::String(_) => "string",
        Value::Array(_) => "[]interface {}",
        Value::Object(_) => "map[string]interface {}",
    }
}

fn validate_walk(
    tr: TypeRef<'_>,
    v: &Value,
    path: &mut Vec<PathElement>,
    dups_ok: bool,
    errs: &mut Vec<String>,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        errs.push(err_at(path, "value nests too deeply".into()));
        return;
    }
    let s = deduce(shape(tr), Some(v));
    match s {
        Shape::Deduced => {}
        Shape::Scalar(kind) => {
            let ok = matches!(
                (kind, v),
                (_, Value::Null)
                    | (ScalarKind::Numeric, Value::Number(_))
                    | (ScalarKind::String, Value::String(_))
                    | (ScalarKind::Boolean, Value::Bool(_))
                    | (ScalarKind::Untyped, Value::Number(_) | Value::String(_) | Value::Bool(_))
            );
            if !ok {
                let msg = match kind {
                    ScalarKind::Numeric => format!("expected numeric (int or float), got {}", go_type(v)),
                    ScalarKind::String => format!("expected string, got &value.valueUnstructured{{Value:{v}}}"),
                    ScalarKind::Boolean => format!("expected boolean, got &{{{v}}}"),
                    ScalarKind::Untyped => format!("expected any scalar, got &{{{v}}}"),
                };
                errs.push(err_at(path, msg));
            }
        }
        Shape::Struct { .. } | Shape::Map { .. } => {
            let m = match v {
                Value::Null => return,
                Value::Object(m) => m,
                other => return errs.push(err_at(path, format!("expected map, got {}", json_kind(other)))),
            };
            for (k, child) in m {
                let (child_tr, declared) = member_type(&s, k);
                path.push(PathElement::Field(k.clone()));
                if !declared && matches!(s, Shape::Struct { .. }) {
                    errs.push(err_at(path, "field not declared in schema".into()));
                    path.pop();
                    return;
                }
                validate_walk(child_tr, child, path, dups_ok, errs, depth + 1);
                path.pop();
            }
        }
        Shape::List { elem, rel } => {
            let items = match v {
                Value::Null => return,
                Value::Array(items) => items,
                other => return errs.push(err_at(path, format!("expected list, got {}", json_kind(other)))),
            };
            let mut seen: Vec<PathElement> = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let pe = if let ListRel::Atomic = rel {
                    PathElement::Index(i as i64)
                } else {
                    match item_element(rel, elem, item) {
                        Ok(pe) => pe,
                        Err(e) => return errs.push(err_at(path, format!("element {i}: {e}"))),
                    }
                };
                if !matches!(rel, ListRel::Atomic) {
                    match seen.binary_search(&pe) {
                        Ok(_) if !dups_ok => errs.push(err_at(path, format!("duplicate entries for key {pe}"))),
                        Ok(_) => {}
                        Err(at) => seen.insert(at, pe.clone()),
                    }
                }
                path.push(pe);
                validate_walk(elem, item, path, dups_ok, errs, depth + 1);
                path.pop();
            }
        }
    }
}

/// Rewrites a stored object of a known kind as upstream's field manager sees it: the
/// unstructured form of the Go struct, with zero values of non-`omitempty` fields (and of
/// every non-pointer struct) present, `null` where Go prints nothing else.
pub fn go_shape(group: &str, version: &str, kind: &str, obj: &mut Value) {
    if let Some(def) = schema().kind(group, version, kind) {
        crate::schema::normalize(group, version, kind, obj);
        fill_struct(def, obj, 0);
    }
}

/// The zero value of a kind as upstream's `New()` + unstructured conversion gives it.
pub fn zero_object(group: &str, version: &str, kind: &str) -> Value {
    let mut v = Value::Object(Map::new());
    if let Some(def) = schema().kind(group, version, kind) {
        fill_struct(def, &mut v, 0);
    }
    v
}

pub(super) fn struct_def(value: &ValueType) -> Option<&'static TypeDef> {
    match value {
        ValueType::Message(n) => message_def(n).filter(|d| d.items.is_none()),
        _ => None,
    }
}

fn zero_struct(def: &TypeDef, depth: usize) -> Value {
    let mut v = Value::Object(Map::new());
    fill_struct(def, &mut v, depth + 1);
    v
}

/// What Go's unstructured conversion prints for an unset field, if anything.
pub(super) fn zero_field(f: &FieldDef, depth: usize) -> Option<Value> {
    if f.repeated || f.is_map() || f.pointer {
        return (!f.omitempty).then_some(Value::Null);
    }
    match &f.value {
        ValueType::Time | ValueType::MicroTime | ValueType::RawExtension | ValueType::FieldsV1 => Some(Value::Null),
        ValueType::Duration => Some(Value::String("0s".into())),
        ValueType::Quantity => Some(Value::String("0".into())),
        ValueType::IntOrString => Some(Value::from(0)),
        ValueType::Message(_) => match struct_def(&f.value) {
            Some(def) => Some(zero_struct(def, depth)),
            None => (!f.omitempty).then_some(Value::Null),
        },
        _ if f.omitempty => None,
        ValueType::String => Some(Value::String(String::new())),
        ValueType::Bool => Some(Value::Bool(false)),
        ValueType::Int32 | ValueType::Int64 | ValueType::Double => Some(Value::from(0)),
        ValueType::Bytes => Some(Value::Null),
    }
}

pub(super) fn fill_struct(def: &TypeDef, v: &mut Value, depth: usize) {
    let Value::Object(map) = v else { return };
    if depth > MAX_DEPTH {
        return;
    }
    for f in def.json_fields() {
        match map.get_mut(&f.json_name) {
            Some(present) => fill_present(f, present, depth),
            None => {
                if let Some(z) = zero_field(f, depth) {
                    map.insert(f.json_name.clone(), z);
                }
            }
        }
    }
}

fn fill_present(f: &FieldDef, v: &mut Value, depth: usize) {
    let Some(def) = struct_def(&f.value) else { return };
    if f.repeated {
        if let Value::Array(items) = v {
            for item in items {
                if item.is_null() {
                    *item = zero_struct(def, depth);
                } else {
                    fill_struct(def, item, depth + 1);
                }
            }
        }
    } else if f.is_map() {
        if let Value::Object(m) = v {
            for item in m.values_mut() {
                if item.is_null() {
                    *item = zero_struct(def, depth);
                } else {
                    fill_struct(def, item, depth + 1);
                }
            }
        }
    } else {
        fill_struct(def, v, depth + 1);
    }
}
