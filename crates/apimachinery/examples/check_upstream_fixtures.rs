//! Development check of the protobuf transcoder against upstream's round-trip fixtures
//! (`testdata/HEAD/*.pb|*.json` of k8s.io/api), which are not part of this repository:
//!
//!     cargo run -p apimachinery --example check_upstream_fixtures -- <fixture directory>
//!
//! Every fixture of a kind the schema knows must decode to its JSON twin (upstream's `null`s
//! aside) and the JSON must encode to the exact bytes.

use apimachinery::protobuf::{decode_with_defaults, encode};
use serde_json::Value;

fn main() {
    let Some(dir) = std::env::args_os().nth(1) else {
        eprintln!("usage: check_upstream_fixtures <directory with k8s.io/api testdata/HEAD files>");
        std::process::exit(2);
    };
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {dir:?}: {e}"))
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| n.ends_with(".pb"))
        .collect();
    names.sort();
    let (mut checked, mut failures) = (0, Vec::new());
    for name in names {
        let stem = name.trim_end_matches(".pb");
        let Some((rest, kind)) = stem.rsplit_once('.') else {
            continue;
        };
        let Some((group, version)) = rest.rsplit_once('.') else {
            continue;
        };
        let group = if group == "core" { "" } else { group };
        let api_version = apimachinery::resource::api_version(group, version);
        if apimachinery::schema::schema().kind_for_api_version(&api_version, kind).is_none() {
            continue;
        }
        checked += 1;
        let path = std::path::Path::new(&dir);
        let pb = std::fs::read(path.join(&name)).expect("pb");
        let text = std::fs::read(path.join(format!("{stem}.json"))).expect("json");
        let fixture: Value = serde_json::from_slice(&text).expect("fixture json");
        // Go prints nil pointers, lists and zero times as null; decoding leaves such
        // members out (map values excepted), so compare without any nulls.
        let mut want = fixture.clone();
        strip_nulls(&mut want);
        match decode_with_defaults(&pb, &api_version, kind) {
            Err(e) => failures.push(format!("{stem}: decode: {}", e.message)),
            Ok(mut got) => {
                strip_nulls(&mut got);
                // Compare the text, so that member order (Go's field order) counts too.
                let (got, want) = (got.to_string(), want.to_string());
                if got != want {
                    failures.push(format!("{stem}: decode differs\n got: {got}\nwant: {want}"));
                }
            }
        }
        if fixture.get("kind").is_some() {
            match encode(&fixture) {
                Err(e) => failures.push(format!("{stem}: encode: {}", e.message)),
                Ok(bytes) if bytes != pb => {
                    failures.push(format!("{stem}: encode differs ({} vs {} bytes)", bytes.len(), pb.len()))
                }
                Ok(_) => {}
            }
        }
    }
    println!("checked {checked} upstream fixtures, {} failures", failures.len());
    if !failures.is_empty() {
        println!("{}", failures.join("\n"));
        std::process::exit(1);
    }
}

/// Go prints nil pointers, lists and zero times as null; compare without any nulls.
fn strip_nulls(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.retain(|_, x| !x.is_null());
            m.values_mut().for_each(strip_nulls);
        }
        Value::Array(a) => a.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}
