//! Byte-level edits of serialized JSON objects, so hot paths can set
//! `metadata.resourceVersion` without parsing and re-encoding a whole object.

/// Skips JSON whitespace from `i`.
pub(crate) fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

/// The index just past a JSON string starting at `i` (which must be `"`).
pub(crate) fn skip_string(b: &[u8], mut i: usize) -> Option<usize> {
    if b.get(i) != Some(&b'"') {
        return None;
    }
    i += 1;
    while i < b.len() {
        // Jump to the next quote or backslash; strings are long (annotations, data).
        i += memchr::memchr2(b'"', b'\\', &b[i..])?;
        match b[i] {
            b'\\' => i += 2,
            _ => return Some(i + 1),
        }
    }
    None
}

/// The index just past the JSON value starting at `i`.
pub(crate) fn skip_value(b: &[u8], i: usize) -> Option<usize> {
    let i = skip_ws(b, i);
    match b.get(i)? {
        b'"' => skip_string(b, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'"' => {
                        j = skip_string(b, j)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            None
        }
        _ => {
            let mut j = i;
            while j < b.len() && !matches!(b[j], b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                j += 1;
            }
            Some(j)
        }
    }
}

/// Calls `f(key_bytes_without_quotes, value_start, value_end)` for each member of the
/// object starting at `i`; returns the index just past the object.
fn members(b: &[u8], i: usize, mut f: impl FnMut(&[u8], usize, usize)) -> Option<usize> {
    let mut i = skip_ws(b, i);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i = skip_ws(b, i + 1);
    if b.get(i) == Some(&b'}') {
        return Some(i + 1);
    }
    loop {
        let key_end = skip_string(b, i)?;
        let key = &b[i + 1..key_end - 1];
        let colon = skip_ws(b, key_end);
        if b.get(colon) != Some(&b':') {
            return None;
        }
        let value_start = skip_ws(b, colon + 1);
        let value_end = skip_value(b, value_start)?;
        f(key, value_start, value_end);
        i = skip_ws(b, value_end);
        match b.get(i)? {
            b',' => i = skip_ws(b, i + 1),
            b'}' => return Some(i + 1),
            _ => return None,
        }
    }
}

/// Returns `json` with top-level `metadata.resourceVersion` set to `revision`, or `None`
/// if `json` is not an object whose `metadata` is an object.
pub fn set_resource_version(json: &[u8], revision: i64) -> Option<Vec<u8>> {
    let mut metadata = None;
    members(json, 0, |key, start, end| {
        if key == b"metadata" {
            metadata = Some((start, end));
        }
    })?;
    let (start, end) = metadata?;
    let mut existing = None;
    let mut empty = true;
    members(json, start, |key, vstart, vend| {
        empty = false;
        if key == b"resourceVersion" {
            existing = Some((vstart, vend));
        }
    })?;
    let value = format!("\"{revision}\"");
    let mut out = Vec::with_capacity(json.len() + value.len() + 20);
    match existing {
        Some((vstart, vend)) => {
            out.extend_from_slice(&json[..vstart]);
            out.extend_from_slice(value.as_bytes());
            out.extend_from_slice(&json[vend..]);
        }
        None => {
            // Insert as the last member of metadata, just before its closing brace.
            let close = json[..end].iter().rposition(|c| *c == b'}')?;
            out.extend_from_slice(&json[..close]);
            if !empty {
                out.push(b',');
            }
            out.extend_from_slice(b"\"resourceVersion\":");
            out.extend_from_slice(value.as_bytes());
            out.extend_from_slice(&json[close..]);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn rv(bytes: &[u8]) -> Value {
        let v: Value = serde_json::from_slice(bytes).expect("valid JSON");
        v["metadata"]["resourceVersion"].clone()
    }

    #[test]
    fn the_resource_version_is_added_to_top_level_metadata_only() {
        let obj = json!({"kind": "Deployment", "spec": {"template": {"metadata": {"labels": {"a": "b"}}}}, "metadata": {"name": "x"}});
        let out = set_resource_version(obj.to_string().as_bytes(), 42).expect("spliced");
        let v: Value = serde_json::from_slice(&out).expect("valid");
        assert_eq!(v["metadata"]["resourceVersion"], "42");
        assert!(v["spec"]["template"]["metadata"].get("resourceVersion").is_none());
        assert_eq!(v["metadata"]["name"], "x");
    }

    #[test]
    fn an_existing_resource_version_is_replaced() {
        let text = br#"{ "metadata" : { "resourceVersion" : "7", "name": "a" } }"#;
        assert_eq!(rv(&set_resource_version(text, 8).expect("spliced")), "8");
    }

    #[test]
    fn empty_metadata_gets_one_member() {
        assert_eq!(rv(&set_resource_version(br#"{"metadata":{}}"#, 3).expect("spliced")), "3");
    }

    #[test]
    fn strings_that_look_like_structure_do_not_confuse_it() {
        let obj = json!({"data": {"k": "}\"metadata\":{"}, "metadata": {"name": "q\"}"}});
        let out = set_resource_version(obj.to_string().as_bytes(), 5).expect("spliced");
        let v: Value = serde_json::from_slice(&out).expect("valid");
        assert_eq!(v["metadata"]["resourceVersion"], "5");
        assert_eq!(v["data"]["k"], "}\"metadata\":{");
    }

    #[test]
    fn non_objects_and_garbage_are_refused() {
        for bad in [&b"[1]"[..], b"{\"metadata\":3}", b"{\"metadata\":{", b"", b"{\"a\":}", b"\"str\""] {
            assert!(set_resource_version(bad, 1).is_none(), "{:?}", String::from_utf8_lossy(bad));
        }
        assert!(set_resource_version(b"{}", 1).is_none());
    }
}
