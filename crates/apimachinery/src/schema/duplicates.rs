//! Member names that appear twice in one JSON object. A JSON decoder keeps the last value
//! silently; upstream's strict decoding reports each repeat, so a request body that says
//! `"replicas": 2, "replicas": 3` is refused under `fieldValidation=Strict`.

use std::borrow::Cow;
use std::collections::HashSet;

use crate::splice::{skip_string, skip_value, skip_ws};

/// Nesting beyond this is not examined (serde_json refuses such documents anyway).
const MAX_DEPTH: usize = 128;
/// Upstream stops collecting strict-decoding errors after this many.
const MAX_FINDINGS: usize = 100;

/// Paths of repeated members in the JSON document `json`, in document order, named the
/// way strict decoding names fields (`spec.replicas`, `spec.containers[0].name`).
/// Malformed JSON yields whatever was found before the fault; the parser reports the fault.
pub fn duplicate_fields(json: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    scan(json, skip_ws(json, 0), "", &mut out, 0);
    out
}

/// Scans the value at `i`; returns the index just past it.
fn scan(b: &[u8], i: usize, path: &str, out: &mut Vec<String>, depth: usize) -> Option<usize> {
    if depth > MAX_DEPTH || out.len() >= MAX_FINDINGS {
        return skip_value(b, i);
    }
    match b.get(i)? {
        b'{' => scan_object(b, i, path, out, depth),
        b'[' => scan_array(b, i, path, out, depth),
        _ => skip_value(b, i),
    }
}

fn scan_object(b: &[u8], i: usize, path: &str, out: &mut Vec<String>, depth: usize) -> Option<usize> {
    let mut seen: HashSet<Cow<'_, str>> = HashSet::new();
    let mut i = skip_ws(b, i + 1);
    if b.get(i) == Some(&b'}') {
        return Some(i + 1);
    }
    loop {
        let key_end = skip_string(b, i)?;
        let key = member_name(&b[i..key_end])?;
        let colon = skip_ws(b, key_end);
        if b.get(colon) != Some(&b':') {
            return None;
        }
        let value_start = skip_ws(b, colon + 1);
        let nested = matches!(b.get(value_start), Some(b'{' | b'['));
        // Paths are built only where they may be reported: most members are scalars.
        let here = |key: &str| if path.is_empty() { key.to_string() } else { format!("{path}.{key}") };
        let child_path = if nested { here(&key) } else { String::new() };
        if seen.contains(&key) {
            if out.len() < MAX_FINDINGS {
                out.push(here(&key));
            }
        } else {
            seen.insert(key);
        }
        let value_end =
            if nested { scan(b, value_start, &child_path, out, depth + 1)? } else { skip_value(b, value_start)? };
        i = skip_ws(b, value_end);
        match b.get(i)? {
            b',' => i = skip_ws(b, i + 1),
            b'}' => return Some(i + 1),
            _ => return None,
        }
    }
}

fn scan_array(b: &[u8], i: usize, path: &str, out: &mut Vec<String>, depth: usize) -> Option<usize> {
    let mut i = skip_ws(b, i + 1);
    if b.get(i) == Some(&b']') {
        return Some(i + 1);
    }
    let mut index = 0usize;
    loop {
        let end = scan(b, i, &format!("{path}[{index}]"), out, depth + 1)?;
        index += 1;
        i = skip_ws(b, end);
        match b.get(i)? {
            b',' => i = skip_ws(b, i + 1),
            b']' => return Some(i + 1),
            _ => return None,
        }
    }
}

/// The text of a quoted member name; escapes are decoded so `"a"` and `"\u0061"` match.
fn member_name(quoted: &[u8]) -> Option<Cow<'_, str>> {
    let inner = &quoted[1..quoted.len() - 1];
    if !inner.contains(&b'\\') {
        return std::str::from_utf8(inner).ok().map(Cow::Borrowed);
    }
    serde_json::from_slice::<String>(quoted).ok().map(Cow::Owned)
}

#[cfg(test)]
mod tests {
    use super::duplicate_fields;

    #[test]
    fn repeats_are_named_by_path_in_document_order() {
        let body = br#"{"spec": {"replicas": 2, "x": {"a": 1, "a": 2}, "replicas": 3,
            "containers": [{"name": "a"}, {"name": "b", "name": "c"}]}, "kind": "D", "kind": "D"}"#;
        assert_eq!(duplicate_fields(body), ["spec.x.a", "spec.replicas", "spec.containers[1].name", "kind"]);
    }

    #[test]
    fn escaped_names_are_compared_by_their_text() {
        assert_eq!(duplicate_fields(br#"{"a": 1, "\u0061": 2}"#), ["a"]);
    }

    #[test]
    fn the_same_name_in_different_objects_is_no_repeat() {
        assert!(duplicate_fields(br#"{"a": {"b": 1}, "c": {"b": 2}, "d": [{"b": 1}, {"b": 2}]}"#).is_empty());
    }

    #[test]
    fn malformed_documents_do_not_panic() {
        for bad in [&b""[..], b"{", b"{\"a\"", b"{\"a\":", b"[1,", b"{\"a\":1,\"a\"", b"\"\\", b"{\"\\u12\":1}"] {
            let _ = duplicate_fields(bad);
        }
    }
}
