//! Hash-based stand-ins for the linear scans Go does over lists ("first item whose merge
//! key equals v"), giving the same answers, errors and panics without quadratic time on
//! long lists.

use std::collections::HashMap;

use serde_json::Value;

use super::gofmt::{GoKey, GoKind, GoPanic};
use super::SmpError;

/// First positions of the values found in a list.
#[derive(Debug, Default)]
pub(crate) struct Positions {
    first: HashMap<GoKey<'static>, usize>,
    first_map: Option<usize>,
    first_slice: Option<usize>,
    /// For lookups by key: the first item that is not a map, where Go's scan fails.
    first_non_map: Option<usize>,
}

/// The item's identity for ordering: its merge key for maps, itself otherwise.
pub(crate) fn identity<'a>(item: &'a Value, merge_key: &str, kind: GoKind) -> &'a Value {
    const NIL: &Value = &Value::Null;
    if kind == GoKind::Map {
        item.as_object().and_then(|m| m.get(merge_key)).unwrap_or(NIL)
    } else {
        item
    }
}

fn uncomparable(kind: GoKind) -> GoPanic {
    GoPanic(format!("runtime error: comparing uncomparable type {}", kind.type_name()))
}

impl Positions {
    fn note(&mut self, pos: usize, value: &Value) {
        match value {
            Value::Object(_) => {
                self.first_map.get_or_insert(pos);
            }
            Value::Array(_) => {
                self.first_slice.get_or_insert(pos);
            }
            scalar => {
                if let Ok(key) = GoKey::of(scalar) {
                    self.first.entry(key.into_owned()).or_insert(pos);
                }
            }
        }
    }

    /// First uncomparable position of the same kind as `value`, if `value` is a map or list.
    fn first_uncomparable(&self, value: &Value) -> Option<Option<usize>> {
        match value {
            Value::Object(_) => Some(self.first_map),
            Value::Array(_) => Some(self.first_slice),
            _ => None,
        }
    }

    fn first_scalar(&self, value: &Value) -> Option<usize> {
        GoKey::of(value).ok().and_then(|k| self.first.get(&k.into_owned()).copied())
    }

    /// Indexes the identities of `list` (merge keys of maps, or the items themselves).
    pub(crate) fn identities(list: &[Value], merge_key: &str, kind: GoKind) -> Positions {
        let mut positions = Positions::default();
        for (i, item) in list.iter().enumerate() {
            positions.note(i, identity(item, merge_key, kind));
        }
        positions
    }

    /// Where Go's scan comparing `id` with each identity stops: the first equal one, or a
    /// panic when both sides are maps (or both lists).
    pub(crate) fn position_of(&self, id: &Value) -> Result<Option<usize>, GoPanic> {
        match self.first_uncomparable(id) {
            Some(Some(_)) => Err(uncomparable(GoKind::of(id))),
            Some(None) => Ok(None),
            None => Ok(self.first_scalar(id)),
        }
    }

    /// Indexes the maps of `list` by their value at `key`.
    pub(crate) fn by_key(list: &[Value], key: &str) -> Positions {
        let mut positions = Positions::default();
        for (i, item) in list.iter().enumerate() {
            positions.push_by_key(i, item, key);
        }
        positions
    }

    /// Records an item appended at `pos`.
    pub(crate) fn push_by_key(&mut self, pos: usize, item: &Value, key: &str) {
        match item.as_object() {
            None => {
                self.first_non_map.get_or_insert(pos);
            }
            Some(map) => {
                if let Some(v) = map.get(key) {
                    self.note(pos, v);
                }
            }
        }
    }

    /// The first map whose value at the key equals `value`, failing where Go's scan would:
    /// at an item that is not a map, or comparing two maps (or lists).
    pub(crate) fn find(&self, value: &Value) -> Result<Option<usize>, SmpError> {
        let before_failure = |pos: usize| self.first_non_map.is_none_or(|bad| pos < bad);
        match self.first_uncomparable(value) {
            Some(Some(pos)) if before_failure(pos) => return Err(uncomparable(GoKind::of(value)).into()),
            Some(_) => {}
            None => {
                if let Some(pos) = self.first_scalar(value).filter(|&p| before_failure(p)) {
                    return Ok(Some(pos));
                }
            }
        }
        match self.first_non_map {
            Some(bad) => Err(SmpError::Internal(format!("value for key {bad} is not a map"))),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lookups_by_key_stop_where_a_scan_would() {
        let list = vec![json!({"n": "a"}), json!({"x": 1}), json!({"n": "b"}), json!("oops"), json!({"n": "c"})];
        let idx = Positions::by_key(&list, "n");
        assert_eq!(idx.find(&json!("b")), Ok(Some(2)));
        assert_eq!(idx.find(&json!("c")), Err(SmpError::Internal("value for key 3 is not a map".into())));
        assert_eq!(idx.find(&json!({"m": 1})), Err(SmpError::Internal("value for key 3 is not a map".into())));
    }

    #[test]
    fn comparing_maps_panics_only_when_both_sides_are_maps() {
        let list = vec![json!({"n": "a"}), json!({"n": {"deep": 1}})];
        let idx = Positions::by_key(&list, "n");
        assert!(matches!(idx.find(&json!({"z": 2})), Err(SmpError::Panic(_))));
        assert_eq!(idx.find(&json!(["z"])), Ok(None));
        let ids = Positions::identities(&list, "n", GoKind::Map);
        assert_eq!(ids.position_of(&json!("a")), Ok(Some(0)));
        assert!(ids.position_of(&json!({})).is_err());
    }
}
