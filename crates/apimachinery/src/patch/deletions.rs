//! `{"<mergeKey>": v, "$patch": "delete"}` entries of a merging list.
//!
//! Go deletes the matching live items one at a time by shifting the rest of the slice left
//! inside the array it shares with the live list, so the live list, read afterwards for
//! ordering, ends in stale copies. This reaches the same final state directly: the kept
//! items in order, then, for each deletion of k items, the k slots before the list's end
//! at that time hold its last item at that time.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::gofmt::{GoKey, GoKind, GoPanic};

pub(crate) struct Deleter<'k> {
    live: Vec<Value>,
    merge_key: &'k str,
    counts: HashMap<GoKey<'static>, usize>,
    removed: HashSet<GoKey<'static>>,
    has_map_key: bool,
    has_slice_key: bool,
    /// Length of the current (shrinking) list.
    len: usize,
    /// The current last item is the last not-removed one before this position.
    tail: usize,
    view: Vec<Value>,
}

impl<'k> Deleter<'k> {
    pub(crate) fn new(live: Vec<Value>, merge_key: &'k str) -> Deleter<'k> {
        let mut counts: HashMap<GoKey<'static>, usize> = HashMap::new();
        let (mut has_map_key, mut has_slice_key) = (false, false);
        for item in &live {
            match item.as_object().and_then(|m| m.get(merge_key)) {
                Some(Value::Object(_)) => has_map_key = true,
                Some(Value::Array(_)) => has_slice_key = true,
                Some(scalar) => {
                    if let Ok(key) = GoKey::of(scalar) {
                        *counts.entry(key.into_owned()).or_default() += 1;
                    }
                }
                None => {}
            }
        }
        let len = live.len();
        Deleter {
            view: live.clone(),
            live,
            merge_key,
            counts,
            removed: HashSet::new(),
            has_map_key,
            has_slice_key,
            len,
            tail: len,
        }
    }

    fn is_removed(&self, item: &Value) -> bool {
        match item.as_object().and_then(|m| m.get(self.merge_key)).map(GoKey::of) {
            Some(Ok(key)) => self.removed.contains(&key.into_owned()),
            _ => false,
        }
    }

    /// Removes every current item whose merge key equals `value`.
    pub(crate) fn delete(&mut self, value: &Value) -> Result<(), GoPanic> {
        let clash = match value {
            Value::Object(_) => Some(self.has_map_key),
            Value::Array(_) => Some(self.has_slice_key),
            _ => None,
        };
        match clash {
            Some(true) => {
                return Err(GoPanic(format!(
                    "runtime error: comparing uncomparable type {}",
                    GoKind::of(value).type_name()
                )))
            }
            Some(false) => return Ok(()),
            None => {}
        }
        let key = GoKey::of(value)?.into_owned();
        if self.removed.contains(&key) {
            return Ok(());
        }
        let matches = self.counts.get(&key).copied().unwrap_or(0);
        if matches == 0 {
            return Ok(());
        }
        while self.tail > 0 && self.live.get(self.tail - 1).is_some_and(|item| self.is_removed(item)) {
            self.tail -= 1;
        }
        let last = self.tail.checked_sub(1).and_then(|i| self.live.get(i)).cloned().unwrap_or(Value::Null);
        let start = self.len.saturating_sub(matches);
        for slot in self.view.iter_mut().take(self.len).skip(start) {
            *slot = last.clone();
        }
        self.len = start;
        self.removed.insert(key);
        Ok(())
    }

    /// The items left, and the live list as Go's shared array now shows it.
    pub(crate) fn finish(self) -> (Vec<Value>, Vec<Value>) {
        if self.removed.is_empty() {
            return (self.live, self.view);
        }
        let kept: Vec<Value> = self.live.iter().filter(|item| !self.is_removed(item)).cloned().collect();
        let mut view = self.view;
        for (slot, item) in view.iter_mut().zip(kept.iter()) {
            *slot = item.clone();
        }
        (kept, view)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// One removal at a time, shifting the shared array, as Go does.
    fn reference(live: Vec<Value>, deletes: &[&str]) -> (Vec<Value>, Vec<Value>) {
        let mut view = live.clone();
        let mut items = live;
        for d in deletes {
            while let Some(i) = items.iter().position(|it| it["name"] == json!(d)) {
                items.remove(i);
                for (slot, moved) in view.iter_mut().skip(i).zip(items.iter().skip(i)) {
                    *slot = moved.clone();
                }
            }
        }
        (items, view)
    }

    #[test]
    fn deletions_leave_the_shared_array_as_go_does() {
        let mut state = 0x0bad_cafe_1234_5678u64;
        let names = ["a", "b", "c", "d"];
        for _ in 0..3000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 9) as usize;
            let live: Vec<Value> =
                (0..len).map(|k| json!({"name": names[((state >> (k * 2)) % 4) as usize]})).collect();
            let deletes: Vec<&str> =
                (0..((state >> 40) % 4)).map(|k| names[((state >> (20 + k * 2)) % 4) as usize]).collect();
            let mut deleter = Deleter::new(live.clone(), "name");
            for d in &deletes {
                deleter.delete(&json!(d)).unwrap();
            }
            assert_eq!(deleter.finish(), reference(live, &deletes), "deleting {deletes:?}");
        }
    }
}
