//! `metadata.managedFields`: decoding entries into per-manager field sets, encoding them back
//! in upstream's order, the cap on update entries, and the entry checks of ObjectMeta
//! validation.
//!
//! Managers are keyed like upstream keys them: by the JSON of the entry without its fields
//! and time (and, for appliers, without the apiVersion), so `kubectl` applying and `kubectl`
//! updating at two versions are three managers.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::fieldpath::{fields_to_set, json_kind, set_to_fields, write_go_json_string};
use super::set::Set;
use crate::schema::values::{format_rfc3339, parse_rfc3339};
use crate::status::Cause;

pub const APPLY: &str = "Apply";
pub const UPDATE: &str = "Update";

/// One manager's fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub manager: String,
    /// `Apply` or `Update`.
    pub operation: String,
    /// The version the fields are recorded at.
    pub api_version: String,
    pub subresource: String,
    /// RFC 3339, as upstream re-encodes it (UTC, seconds).
    pub time: Option<String>,
    pub set: Set,
}

impl Entry {
    pub fn new(manager: &str, operation: &str, api_version: &str, subresource: &str, set: Set) -> Entry {
        Entry {
            manager: manager.to_string(),
            operation: operation.to_string(),
            api_version: api_version.to_string(),
            subresource: subresource.to_string(),
            time: None,
            set,
        }
    }

    pub fn applied(&self) -> bool {
        self.operation == APPLY
    }

    /// Upstream's manager identifier for this entry.
    pub fn identity(&self) -> String {
        identity(&self.manager, &self.operation, &self.api_version, &self.subresource)
    }

    fn time_secs(&self) -> i64 {
        self.time.as_deref().and_then(parse_rfc3339).map_or(0, |(s, _)| s)
    }
}

/// The manager identifier: `{"manager":"kubectl","operation":"Update","apiVersion":"v1"}`
/// (empty members left out, `apiVersion` only for updates).
pub fn identity(manager: &str, operation: &str, api_version: &str, subresource: &str) -> String {
    let mut out = String::from("{");
    let mut first = true;
    let mut member = |name: &str, value: &str| {
        if value.is_empty() {
            return;
        }
        if !first {
            out.push(',');
        }
        first = false;
        out.push('"');
        out.push_str(name);
        out.push_str("\":");
        write_go_json_string(value, &mut out);
    };
    member("manager", manager);
    member("operation", operation);
    if operation != APPLY {
        member("apiVersion", api_version);
    }
    member("subresource", subresource);
    out.push('}');
    out
}

/// Every manager's fields, by identifier.
pub type Managers = BTreeMap<String, Entry>;

/// Why managedFields could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// Not the JSON shape of `[]ManagedFieldsEntry` at all: a request-decoding error upstream.
    Malformed(String),
    /// Well-formed but unusable entries: upstream falls back to the live object's.
    Invalid(String),
}

fn str_member<'a>(m: &'a Map<String, Value>, name: &str, i: usize) -> Result<&'a str, DecodeError> {
    match m.get(name) {
        None | Some(Value::Null) => Ok(""),
        Some(Value::String(s)) => Ok(s),
        Some(other) => Err(DecodeError::Malformed(format!(
            "json: cannot unmarshal {} into Go struct field ManagedFieldsEntry.metadata.managedFields.{name} of type string (entry {i})",
            json_kind(other)
        ))),
    }
}

/// Checks that `v` (a `metadata.managedFields` value) decodes as `[]ManagedFieldsEntry`.
pub fn check_shape(v: &Value) -> Result<(), DecodeError> {
    let items = match v {
        Value::Null => return Ok(()),
        Value::Array(items) => items,
        other => {
            return Err(DecodeError::Malformed(format!(
                "json: cannot unmarshal {} into Go struct field ObjectMeta.metadata.managedFields of type []v1.ManagedFieldsEntry",
                json_kind(other)
            )))
        }
    };
    for (i, item) in items.iter().enumerate() {
        let m = match item {
            Value::Object(m) => m,
            Value::Null => continue,
            other => {
                return Err(DecodeError::Malformed(format!(
                    "json: cannot unmarshal {} into Go struct field ObjectMeta.metadata.managedFields of type v1.ManagedFieldsEntry",
                    json_kind(other)
                )))
            }
        };
        for name in ["manager", "operation", "apiVersion", "fieldsType", "subresource"] {
            str_member(m, name, i)?;
        }
        let time = str_member(m, "time", i)?;
        if !time.is_empty() && parse_rfc3339(time).is_none() {
            return Err(DecodeError::Malformed(format!(
                "parsing time {:?} as \"2006-01-02T15:04:05Z07:00\": cannot parse {time:?} as \"2006\"",
                time
            )));
        }
    }
    Ok(())
}

/// Upstream's `DecodeManagedFields`: later entries of the same manager win.
pub fn decode(v: Option<&Value>) -> Result<Managers, DecodeError> {
    let mut out = Managers::new();
    let Some(v) = v else { return Ok(out) };
    check_shape(v)?;
    let Value::Array(items) = v else { return Ok(out) };
    for (i, item) in items.iter().enumerate() {
        let empty = Map::new();
        let m = item.as_object().unwrap_or(&empty);
        let operation = str_member(m, "operation", i)?;
        if operation != APPLY && operation != UPDATE {
            return Err(DecodeError::Invalid("operation must be `Apply` or `Update`".into()));
        }
        let api_version = str_member(m, "apiVersion", i)?;
        if api_version.is_empty() {
            return Err(DecodeError::Invalid("apiVersion must not be empty".into()));
        }
        match str_member(m, "fieldsType", i)? {
            "FieldsV1" => {}
            "" => return Err(DecodeError::Invalid(format!("missing fieldsType in managed fields entry {i}"))),
            other => {
                return Err(DecodeError::Invalid(format!("invalid fieldsType {other:?} in managed fields entry {i}")))
            }
        }
        let set = match m.get("fieldsV1") {
            None | Some(Value::Null) => Set::new(),
            Some(f) => fields_to_set(f)
                .map_err(|e| DecodeError::Invalid(format!("error decoding versioned set from entry {i}: {e}")))?,
        };
        let mut entry =
            Entry::new(str_member(m, "manager", i)?, operation, api_version, str_member(m, "subresource", i)?, set);
        let time = str_member(m, "time", i)?;
        if let Some((secs, _)) = parse_rfc3339(time) {
            entry.time = Some(format_rfc3339(secs));
        }
        out.insert(entry.identity(), entry);
    }
    Ok(out)
}

/// Upstream's request to forget all managedFields: `[]` or `[{}]`.
pub fn is_reset(v: Option<&Value>) -> bool {
    match v {
        Some(Value::Array(items)) => match items.as_slice() {
            [] | [Value::Null] => true,
            [Value::Object(m)] => m.values().all(|v| match v {
                Value::Null => true,
                Value::String(s) => s.is_empty(),
                _ => false,
            }),
            _ => false,
        },
        _ => false,
    }
}

/// The managedFields list for `managers`, in upstream's order: appliers first, then by time
/// (oldest first), manager, apiVersion and subresource. `None` when there is nothing to record.
pub fn encode(managers: &Managers) -> Option<Value> {
    if managers.is_empty() {
        return None;
    }
    let mut entries: Vec<&Entry> = managers.values().collect();
    entries.sort_by(|p, q| {
        p.operation
            .cmp(&q.operation)
            .then_with(|| p.time_secs().cmp(&q.time_secs()))
            .then_with(|| p.manager.cmp(&q.manager))
            .then_with(|| p.api_version.cmp(&q.api_version))
            .then_with(|| p.subresource.cmp(&q.subresource))
    });
    let items = entries
        .into_iter()
        .map(|e| {
            let mut m = Map::new();
            if !e.manager.is_empty() {
                m.insert("manager".into(), Value::String(e.manager.clone()));
            }
            m.insert("operation".into(), Value::String(e.operation.clone()));
            if !e.api_version.is_empty() {
                m.insert("apiVersion".into(), Value::String(e.api_version.clone()));
            }
            if let Some(t) = &e.time {
                m.insert("time".into(), Value::String(t.clone()));
            }
            m.insert("fieldsType".into(), Value::String("FieldsV1".into()));
            m.insert("fieldsV1".into(), set_to_fields(&e.set));
            if !e.subresource.is_empty() {
                m.insert("subresource".into(), Value::String(e.subresource.clone()));
            }
            Value::Object(m)
        })
        .collect();
    Some(Value::Array(items))
}

/// At most this many entries from updates are kept (upstream's `DefaultMaxUpdateManagers`).
pub const MAX_UPDATE_MANAGERS: usize = 10;

/// Upstream's cap on update entries: the oldest are merged, per apiVersion, into an
/// `ancient-changes` entry until at most [`MAX_UPDATE_MANAGERS`] remain.
pub fn cap_update_managers(managers: &mut Managers) {
    let mut updaters: Vec<(i64, String)> =
        managers.iter().filter(|(_, e)| !e.applied()).map(|(id, e)| (e.time_secs(), id.clone())).collect();
    if updaters.len() <= MAX_UPDATE_MANAGERS {
        return;
    }
    updaters.sort();
    let mut length = updaters.len();
    let mut first_of_version: BTreeMap<String, String> = BTreeMap::new();
    for (_, id) in updaters {
        if length <= MAX_UPDATE_MANAGERS {
            break;
        }
        let Some(entry) = managers.get(&id).cloned() else { continue };
        let version = entry.api_version.clone();
        let bucket = identity("ancient-changes", UPDATE, &version, "");
        let Some(first) = first_of_version.get(&version).cloned() else {
            first_of_version.insert(version, id);
            continue;
        };
        if !managers.contains_key(&bucket) {
            if let Some(mut moved) = managers.remove(&first) {
                moved.manager = "ancient-changes".into();
                moved.operation = UPDATE.into();
                moved.subresource = String::new();
                moved.api_version = version.clone();
                managers.insert(bucket.clone(), moved);
            }
        }
        if let Some(b) = managers.get_mut(&bucket) {
            b.set = entry.set.union(&b.set);
            b.api_version = entry.api_version.clone();
            b.time = entry.time.clone();
        }
        managers.remove(&id);
        length -= 1;
    }
}

/// Upstream's ObjectMeta checks of managedFields entries (`ValidateManagedFields`).
pub fn validate_entries(v: &Value) -> Vec<Cause> {
    let mut out = Vec::new();
    let Value::Array(items) = v else { return out };
    for (i, item) in items.iter().enumerate() {
        let Value::Object(m) = item else { continue };
        let at = |f: &str| format!("metadata.managedFields[{i}].{f}");
        let get = |f: &str| m.get(f).and_then(Value::as_str).unwrap_or("");
        let op = get("operation");
        if op != APPLY && op != UPDATE {
            out.push(Cause::new(
                "FieldValueInvalid",
                format!("Invalid value: {op:?}: must be `Apply` or `Update`"),
                at("operation"),
            ));
        }
        let ft = get("fieldsType");
        if !ft.is_empty() && ft != "FieldsV1" {
            out.push(Cause::new(
                "FieldValueInvalid",
                format!("Invalid value: {ft:?}: must be `FieldsV1`"),
                at("fieldsType"),
            ));
        }
        let manager = get("manager");
        if manager.len() > 128 {
            out.push(Cause::new("FieldValueTooLong", "Too long: may not be more than 128 bytes", at("manager")));
        }
        for (pos, c) in manager.char_indices() {
            if c.is_control() {
                out.push(Cause::new(
                    "FieldValueInvalid",
                    format!("Invalid value: {manager:?}: invalid character U+{:04X} (at position {pos})", c as u32),
                    at("manager"),
                ));
            }
        }
        if get("subresource").len() > 256 {
            out.push(Cause::new("FieldValueTooLong", "Too long: may not be more than 256 bytes", at("subresource")));
        }
    }
    out
}
