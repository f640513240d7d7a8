//! Defaulting of built-in kinds, as upstream's scheme applies it when it decodes a
//! request body (Kubernetes 1.33 with its default feature gates).
//!
//! Upstream registers one defaulting function per Go type (`SetDefaults_PodSpec`,
//! `SetDefaults_Probe`, ...) plus `+default=` markers on fields, and its generated code calls
//! them for every place the type occurs inside a served kind, parent before children. This
//! module does the same with the schema table: [`apply_defaults`] walks the object along
//! its Go types and, for each struct it meets, runs the defaults of that type
//! (`pod.rs`, `core.rs`, `apps.rs`, ... keyed by the type's definition name). Resource lists
//! (`map[ResourceName]Quantity`) are rounded up to milli precision on the way, as upstream's
//! `SetDefaults_ResourceList` does.
//!
//! A few effects of upstream's round trip through its internal types show in what it
//! returns and are applied here too, since this is where its decode happens:
//! `spec.serviceAccount` mirrors `spec.serviceAccountName` in every pod spec, pod
//! `status.podIP`/`hostIP` follow `podIPs`/`hostIPs`, node `spec.podCIDR` follows `podCIDRs`,
//! a Secret's `stringData` is merged into `data`, the legacy init-container annotations are
//! dropped from pods and pod templates, and StatefulSet claim templates carry
//! `apiVersion: v1` / `kind: PersistentVolumeClaim`.
//!
//! Values of the wrong JSON type are left alone (upstream would have refused to decode
//! them), and nothing here panics on any input.

mod apps;
mod autoscaling;
mod batch;
mod core;
mod image;
mod networking;
mod other;
mod pod;
mod rbac;
mod storage;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_core;
#[cfg(test)]
mod tests_fuzz;
#[cfg(test)]
mod tests_groups;
#[cfg(test)]
mod tests_workloads;

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use serde_json::{Map, Value};

use crate::quantity::{Quantity, MILLI};
use crate::schema::{schema, TypeDef, ValueType};

/// A JSON object, the way every defaulting function receives the struct it defaults.
type Obj = Map<String, Value>;

/// Objects nest far less deeply than this in any served kind.
const MAX_DEPTH: usize = 64;

/// Applies upstream's defaults for `group/version/kind` to `obj`, in place.
///
/// `obj` is the object in the version the client used (`apps/v1` Deployment, `autoscaling/v1`
/// or `v2` HorizontalPodAutoscaler, ...); list kinds default every item. Unknown kinds and
/// non-object values are left as they are. Defaulting an already defaulted object changes
/// nothing, and values that are set are never replaced, except where upstream itself does
/// (the `kubernetes.io/metadata.name` label of a Namespace, a Service's `sessionAffinityConfig`
/// under `sessionAffinity: None`).
pub fn apply_defaults(group: &str, version: &str, kind: &str, obj: &mut Value) {
    if let Some(def) = schema().kind(group, version, kind) {
        walk(def, obj, 0);
    }
}

/// `SetDefaults_ResourceList`: each quantity rounded up (away from zero) to milli precision;
/// values that are no quantity are left alone.
fn round_up_resource_list(list: &mut Value) {
    let Value::Object(entries) = list else { return };
    for v in entries.values_mut() {
        let Some(text) = Quantity::json_text(v) else { continue };
        if let Some(rounded) = round_up_to_milli(text.trim()) {
            *v = Value::String(rounded);
        }
    }
}

/// The text of `q` rounded up to milli precision, or `None` when that changes nothing (or
/// `q` does not parse).
fn round_up_to_milli(q: &str) -> Option<String> {
    let mut q = Quantity::parse(q).ok()?;
    (!q.round_up(MILLI)).then(|| q.to_string())
}

/// Defaults one struct of type `def`, then everything inside it.
fn walk(def: &TypeDef, value: &mut Value, depth: usize) {
    if depth > MAX_DEPTH || def.items.is_some() {
        return;
    }
    let Value::Object(map) = value else { return };
    type_defaults(&def.name, map);
    materialize_structs(def, map);
    keep_go_order(def, map);
    for (key, child) in map.iter_mut() {
        let Some(f) = def.field(key) else { continue };
        if f.is_map() && f.value == ValueType::Quantity {
            round_up_resource_list(child);
            continue;
        }
        let Some(child_def) = f.value.message().and_then(|n| schema().type_def(n)) else {
            continue;
        };
        match child {
            Value::Array(items) if f.repeated => items.iter_mut().for_each(|item| walk(child_def, item, depth + 1)),
            Value::Object(entries) if f.is_map() => {
                entries.values_mut().for_each(|item| walk(child_def, item, depth + 1));
            }
            Value::Object(_) if !f.repeated && !f.is_map() => walk(child_def, child, depth + 1),
            _ => {}
        }
    }
}

/// Go always holds a non-pointer struct field, so upstream defaults it even when the JSON
/// left it out (a pod template without `spec` still gets `dnsPolicy`). Such fields whose
/// type gets defaults even when empty are added empty, for the walk to fill.
fn materialize_structs(def: &TypeDef, map: &mut Obj) {
    for f in def.json_fields() {
        let Some(name) = f.value.message() else { continue };
        if !f.pointer && !f.repeated && !f.is_map() && absent(map, &f.json_name) && defaults_from_empty(name) {
            map.insert(f.json_name.clone(), Value::Object(Map::new()));
        }
    }
}

/// Whether defaulting an empty struct of type `name` gives it any content, worked out once
/// for every type reachable from a served kind (unknown types are assumed to).
fn defaults_from_empty(name: &str) -> bool {
    static TABLE: OnceLock<HashMap<String, bool>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut table = HashMap::new();
        let mut seen = HashSet::new();
        let mut pending: Vec<&TypeDef> = schema().kinds().into_iter().map(|(_, _, def)| def).collect();
        while let Some(def) = pending.pop() {
            if !seen.insert(def.name.as_str()) {
                continue;
            }
            yields_from_empty(def, &mut table, 0);
            pending.extend(
                def.json_fields().iter().filter_map(|f| f.value.message()).filter_map(|n| schema().type_def(n)),
            );
        }
        table
    });
    table.get(name).copied().unwrap_or(true)
}

/// Non-pointer structs cannot nest in a cycle, so this recursion ends.
fn yields_from_empty(def: &TypeDef, table: &mut HashMap<String, bool>, depth: usize) -> bool {
    if let Some(&known) = table.get(&def.name) {
        return known;
    }
    let mut probe = Map::new();
    type_defaults(&def.name, &mut probe);
    let mut yields = !probe.is_empty();
    for f in def.json_fields() {
        if f.pointer || f.repeated || f.is_map() || depth >= MAX_DEPTH {
            continue;
        }
        if let Some(child) = f.value.message().and_then(|n| schema().type_def(n)) {
            yields |= yields_from_empty(child, table, depth + 1);
        }
    }
    table.insert(def.name.clone(), yields);
    yields
}

/// Runs the defaulting functions upstream registers for the Go type `name`.
fn type_defaults(name: &str, m: &mut Obj) {
    let Some((package, ty)) = name.strip_prefix("io.k8s.api.").and_then(|rest| rest.rsplit_once('.')) else {
        return;
    };
    match package {
        "core.v1" => core::defaults(ty, m),
        "apps.v1" => apps::defaults(ty, m),
        "batch.v1" => batch::defaults(ty, m),
        "autoscaling.v1" => autoscaling::defaults_v1(ty, m),
        "autoscaling.v2" => autoscaling::defaults_v2(ty, m),
        "networking.v1" => networking::defaults(ty, m),
        "storage.v1" => storage::defaults(ty, m),
        "rbac.v1" => rbac::defaults(ty, m),
        _ => other::defaults(package, ty, m),
    }
}

/// Puts the members of a struct in the order Go prints them (members the type does not
/// know go last), so that fields added here land where upstream shows them.
fn keep_go_order(def: &TypeDef, map: &mut Obj) {
    if in_go_order(def, map) {
        return;
    }
    let mut old = std::mem::take(map);
    for f in def.json_fields() {
        if let Some(v) = old.shift_remove(&f.json_name) {
            map.insert(f.json_name.clone(), v);
        }
    }
    map.extend(old);
}

fn in_go_order(def: &TypeDef, map: &Obj) -> bool {
    let fields = def.json_fields();
    let mut next = 0;
    let mut unknown_seen = false;
    for key in map.keys() {
        if def.field(key).is_none() {
            unknown_seen = true;
            continue;
        }
        if unknown_seen {
            return false;
        }
        while next < fields.len() && fields[next].json_name != *key {
            next += 1;
        }
        if next == fields.len() {
            return false;
        }
        next += 1;
    }
    true
}

// Helpers the defaulting functions share. Go's zero values decide what is "unset": a
// pointer is unset when the member is missing or `null`; a string, number or bool also
// when it is "", 0 or false; a slice or map when it has no elements.

/// A nil pointer: the member is missing or `null`.
fn absent(m: &Obj, key: &str) -> bool {
    matches!(m.get(key), None | Some(Value::Null))
}

/// A Go zero value of a scalar: missing, `null`, "", 0 or false.
fn zero(m: &Obj, key: &str) -> bool {
    match m.get(key) {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.is_empty(),
        Some(Value::Number(n)) => n.as_f64() == Some(0.0),
        Some(Value::Bool(b)) => !b,
        Some(_) => false,
    }
}

/// `len(x) == 0` for a slice or map: missing, `null`, `[]` or `{}`.
fn empty(m: &Obj, key: &str) -> bool {
    match m.get(key) {
        None | Some(Value::Null) => true,
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::Object(o)) => o.is_empty(),
        Some(_) => false,
    }
}

/// Sets a pointer field that is nil.
fn default_ptr(m: &mut Obj, key: &str, value: impl Into<Value>) {
    if absent(m, key) {
        m.insert(key.to_string(), value.into());
    }
}

/// Sets a scalar field that holds its zero value.
fn default_zero(m: &mut Obj, key: &str, value: impl Into<Value>) {
    if zero(m, key) {
        m.insert(key.to_string(), value.into());
    }
}

/// A string member ("" when missing or not a string).
fn text<'a>(m: &'a Obj, key: &str) -> &'a str {
    m.get(key).and_then(Value::as_str).unwrap_or("")
}

/// A boolean member that is `true`.
fn is_true(m: &Obj, key: &str) -> bool {
    m.get(key) == Some(&Value::Bool(true))
}

/// An object member that is present.
fn object<'a>(m: &'a mut Obj, key: &str) -> Option<&'a mut Obj> {
    m.get_mut(key).and_then(Value::as_object_mut)
}

/// An object member, created empty when missing or `null` (Go always holds a non-pointer
/// struct, and defaulting allocates the pointer ones it fills). `None` when the member holds
/// something other than an object.
fn ensure_object<'a>(m: &'a mut Obj, key: &str) -> Option<&'a mut Obj> {
    if absent(m, key) {
        m.insert(key.to_string(), Value::Object(Map::new()));
    }
    object(m, key)
}

/// The elements of an array member that are objects.
fn objects_in<'a>(m: &'a mut Obj, key: &str) -> impl Iterator<Item = &'a mut Obj> {
    m.get_mut(key).and_then(Value::as_array_mut).into_iter().flatten().filter_map(Value::as_object_mut)
}

/// Sorts a map's keys, as Go prints maps.
fn sort_keys(m: &mut Obj) {
    if m.keys().zip(m.keys().skip(1)).all(|(a, b)| a <= b) {
        return;
    }
    let mut entries: Vec<(String, Value)> = std::mem::take(m).into_iter().collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    m.extend(entries);
}
