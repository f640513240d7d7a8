//! The order of merged lists: patch items keep the patch's (or `$setElementOrder`'s) order,
//! items only the server has keep the live order, and the two are interleaved by where
//! they stood in the live list.
//!
//! The comparison used to sort is not a strict order (an item missing from the reference
//! list is "less" than anything), so the result depends on the sorting algorithm: this
//! reproduces Go's `sort.SliceStable` (insertion-sorted blocks of 20, then SymMerge) step
//! for step.

use serde_json::Value;

use super::gofmt::{v_map, GoKey, GoKind, GoPanic};
use super::index::{identity, Positions};
use super::SmpError;

const DIRECTIVE: &str = "$patch";

pub(crate) fn bad_arg_type(expected: &str, actual: &Value) -> SmpError {
    SmpError::Internal(format!("expected a {expected}, but received a {}", GoKind::of(actual).type_name()))
}

pub(crate) fn no_merge_key(map: &serde_json::Map<String, Value>, key: &str) -> SmpError {
    SmpError::Internal(format!("map: {} does not contain declared merge key: {key}", v_map(map)))
}

/// Every item of every list is a map carrying the merge key.
fn validate_merge_key_in_lists(merge_key: &str, lists: &[&[Value]]) -> Result<(), SmpError> {
    for item in lists.iter().flat_map(|l| l.iter()) {
        let map = item.as_object().ok_or_else(|| bad_arg_type("map[string]interface {}", item))?;
        if !map.contains_key(merge_key) {
            return Err(no_merge_key(map, merge_key));
        }
    }
    Ok(())
}

/// Whether a list item is a `{"$patch": "delete"}` entry (every item must be a map).
pub(crate) fn is_delete_item(item: &Value) -> Result<bool, SmpError> {
    let map = item.as_object().ok_or_else(|| bad_arg_type("map[string]interface {}", item))?;
    Ok(map.get(DIRECTIVE).and_then(Value::as_str) == Some("delete"))
}

/// Sorts `to_sort` by position in `order`; deletion entries of map lists go last.
fn normalize_slice_order(
    to_sort: Vec<Value>,
    order: &[Value],
    merge_key: &str,
    kind: GoKind,
) -> Result<Vec<Value>, SmpError> {
    let (mut keep, mut delete) = (Vec::new(), Vec::new());
    if kind == GoKind::Map {
        validate_merge_key_in_lists(merge_key, &[&to_sort, order])?;
        for item in to_sort {
            if is_delete_item(&item)? {
                delete.push(item);
            } else {
                keep.push(item);
            }
        }
    } else {
        keep = to_sort;
    }
    // Positions in `order`, looked up only when Go's comparison would ask for them.
    let order_index = Positions::identities(order, merge_key, kind);
    let position = |i: usize| -> Result<Option<usize>, GoPanic> {
        order_index.position_of(identity(keep.get(i).unwrap_or(&Value::Null), merge_key, kind))
    };
    let mut perm: Vec<usize> = (0..keep.len()).collect();
    stable_sort(&mut perm, &mut |a, b| {
        if let Some(pa) = position(a)? {
            if let Some(pb) = position(b)? {
                return Ok(pa < pb);
            }
        }
        Ok(true)
    })?;
    let mut slots: Vec<Option<Value>> = keep.into_iter().map(Some).collect();
    let mut sorted: Vec<Value> = perm.into_iter().filter_map(|i| slots.get_mut(i).and_then(Option::take)).collect();
    sorted.append(&mut delete);
    Ok(sorted)
}

/// Orders the patch items by `patch_order`, the server-only items by `server_order`, and
/// interleaves them.
pub(crate) fn normalize_element_order(
    patch: Vec<Value>,
    server_only: Vec<Value>,
    patch_order: &[Value],
    server_order: &[Value],
    merge_key: &str,
    kind: GoKind,
) -> Result<Vec<Value>, SmpError> {
    let patch = normalize_slice_order(patch, patch_order, merge_key, kind)?;
    let server_only = normalize_slice_order(server_only, server_order, merge_key, kind)?;
    Ok(merge_sorted(server_only, patch, server_order, merge_key, kind)?)
}

/// Inserts each of `left` into `right` before the first item it precedes in the live list.
fn merge_sorted(
    left: Vec<Value>,
    right: Vec<Value>,
    server_order: &[Value],
    merge_key: &str,
    kind: GoKind,
) -> Result<Vec<Value>, GoPanic> {
    let server_index = Positions::identities(server_order, merge_key, kind);
    let index = |item: &Value| server_index.position_of(identity(item, merge_key, kind));
    let total = left.len() + right.len();
    let mut out = Vec::with_capacity(total);
    let mut left = left.into_iter().peekable();
    let mut right = right.into_iter().peekable();
    while out.len() < total {
        let take_left = match (left.peek(), right.peek()) {
            (Some(_), None) => true,
            (None, _) => false,
            (Some(l), Some(r)) => {
                let li = index(l)?;
                let ri = index(r)?;
                matches!((li, ri), (Some(li), Some(ri)) if li < ri)
            }
        };
        let next = if take_left { left.next() } else { right.next() };
        match next {
            Some(item) => out.push(item),
            None => break,
        }
    }
    Ok(out)
}

/// Splits scalars into those in `by` and the rest, keeping their order.
pub(crate) fn partition_primitives(items: Vec<Value>, by: &[Value]) -> Result<(Vec<Value>, Vec<Value>), GoPanic> {
    let mut present = std::collections::HashSet::new();
    for v in by {
        present.insert(GoKey::of(v)?);
    }
    let (mut inside, mut outside) = (Vec::new(), Vec::new());
    for v in items {
        if present.contains(&GoKey::of(&v)?) {
            inside.push(v);
        } else {
            outside.push(v);
        }
    }
    Ok((inside, outside))
}

/// Splits maps into those whose merge key appears in `by` and the rest.
pub(crate) fn partition_maps(
    items: Vec<Value>,
    by: &[Value],
    merge_key: &str,
) -> Result<(Vec<Value>, Vec<Value>), SmpError> {
    let by_index = Positions::by_key(by, merge_key);
    let (mut inside, mut outside) = (Vec::new(), Vec::new());
    for v in items {
        let map = v.as_object().ok_or_else(|| bad_arg_type("map[string]interface {}", &v))?;
        let key = map.get(merge_key).ok_or_else(|| no_merge_key(map, merge_key))?;
        if by_index.find(key)?.is_some() {
            inside.push(v);
        } else {
            outside.push(v);
        }
    }
    Ok((inside, outside))
}

type Less<'a> = dyn FnMut(usize, usize) -> Result<bool, GoPanic> + 'a;

/// Go's `sort.SliceStable` over `data`, comparing elements with `less`.
fn stable_sort(data: &mut [usize], less: &mut Less) -> Result<(), GoPanic> {
    let n = data.len();
    let mut block = 20;
    let (mut a, mut b) = (0, block);
    while b <= n {
        insertion_sort(data, a, b, less)?;
        a = b;
        b += block;
    }
    insertion_sort(data, a, n, less)?;
    while block < n {
        a = 0;
        b = 2 * block;
        while b <= n {
            sym_merge(data, a, a + block, b, less)?;
            a = b;
            b += 2 * block;
        }
        let m = a + block;
        if m < n {
            sym_merge(data, a, m, n, less)?;
        }
        block *= 2;
    }
    Ok(())
}

fn lt(data: &[usize], i: usize, j: usize, less: &mut Less) -> Result<bool, GoPanic> {
    match (data.get(i), data.get(j)) {
        (Some(&x), Some(&y)) => less(x, y),
        _ => Ok(false),
    }
}

fn insertion_sort(data: &mut [usize], a: usize, b: usize, less: &mut Less) -> Result<(), GoPanic> {
    for i in a + 1..b {
        let mut j = i;
        while j > a && lt(data, j, j - 1, less)? {
            swap(data, j, j - 1);
            j -= 1;
        }
    }
    Ok(())
}

fn sym_merge(data: &mut [usize], a: usize, m: usize, b: usize, less: &mut Less) -> Result<(), GoPanic> {
    if m - a == 1 {
        let (mut i, mut j) = (m, b);
        while i < j {
            let h = (i + j) / 2;
            if lt(data, h, a, less)? {
                i = h + 1;
            } else {
                j = h;
            }
        }
        for k in a..i.saturating_sub(1) {
            swap(data, k, k + 1);
        }
        return Ok(());
    }
    if b - m == 1 {
        let (mut i, mut j) = (a, m);
        while i < j {
            let h = (i + j) / 2;
            if !lt(data, m, h, less)? {
                i = h + 1;
            } else {
                j = h;
            }
        }
        let mut k = m;
        while k > i {
            swap(data, k, k - 1);
            k -= 1;
        }
        return Ok(());
    }
    let mid = (a + b) / 2;
    let n = mid + m;
    let (mut start, mut r) = if m > mid { (n - b, mid) } else { (a, m) };
    let p = n - 1;
    while start < r {
        let c = (start + r) / 2;
        if !lt(data, p - c, c, less)? {
            start = c + 1;
        } else {
            r = c;
        }
    }
    let end = n - start;
    if start < m && m < end {
        rotate(data, start, m, end);
    }
    if a < start && start < mid {
        sym_merge(data, a, start, mid, less)?;
    }
    if mid < end && end < b {
        sym_merge(data, mid, end, b, less)?;
    }
    Ok(())
}

fn rotate(data: &mut [usize], a: usize, m: usize, b: usize) {
    let (mut i, mut j) = (m - a, b - m);
    while i != j {
        if i > j {
            swap_range(data, m - i, m, j);
            i -= j;
        } else {
            swap_range(data, m - i, m + j - i, i);
            j -= i;
        }
    }
    swap_range(data, m - i, m, i);
}

fn swap_range(data: &mut [usize], a: usize, b: usize, n: usize) {
    for i in 0..n {
        swap(data, a + i, b + i);
    }
}

fn swap(data: &mut [usize], i: usize, j: usize) {
    if i < data.len() && j < data.len() {
        data.swap(i, j);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_sort_sorts_and_keeps_ties_in_place() {
        let keys: Vec<u32> = (0..97u32).map(|i| (i * 37) % 11).collect();
        let mut data: Vec<usize> = (0..keys.len()).collect();
        stable_sort(&mut data, &mut |x, y| Ok(keys[x] < keys[y])).unwrap();
        for w in data.windows(2) {
            assert!(keys[w[0]] < keys[w[1]] || (keys[w[0]] == keys[w[1]] && w[0] < w[1]));
        }
    }
}
