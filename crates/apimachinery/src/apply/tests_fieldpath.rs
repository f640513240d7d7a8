use serde_json::json;

use super::fieldpath::{
    deserialize_element, fields_to_set, path_string, serialize_element, set_to_fields, PathElement,
};
use super::set::Set;

fn f(name: &str) -> PathElement {
    PathElement::Field(name.into())
}

fn round_trip(fields: serde_json::Value) {
    let set = fields_to_set(&fields).expect("decodes");
    let back = set_to_fields(&set);
    assert_eq!(serde_json::to_string(&back).unwrap(), serde_json::to_string(&fields).unwrap());
}

#[test]
fn fields_v1_of_a_deployment_round_trips_byte_for_byte() {
    round_trip(json!({
        "f:metadata": {"f:labels": {".": {}, "f:app": {}}},
        "f:spec": {
            "f:replicas": {},
            "f:template": {"f:spec": {"f:containers": {
                "k:{\"name\":\"nginx\"}": {
                    ".": {},
                    "f:image": {},
                    "f:name": {},
                    "f:ports": {"k:{\"containerPort\":80,\"protocol\":\"TCP\"}": {".": {}, "f:containerPort": {}}}
                }
            }}}
        }
    }));
}

#[test]
fn set_elements_and_indexes_round_trip() {
    round_trip(json!({"f:metadata": {"f:finalizers": {".": {}, "v:\"a\"": {}, "v:\"b/c\"": {}}}, "f:x": {"i:3": {}}}));
}

#[test]
fn multi_field_keys_are_written_sorted_by_name() {
    let pe = PathElement::key(vec![("protocol".into(), json!("TCP")), ("containerPort".into(), json!(80))]);
    assert_eq!(serialize_element(&pe), r#"k:{"containerPort":80,"protocol":"TCP"}"#);
    let parsed = deserialize_element(r#"k:{"protocol":"TCP","containerPort":80}"#).unwrap();
    assert_eq!(parsed, pe);
    assert_eq!(pe.to_string(), r#"[containerPort=80,protocol="TCP"]"#);
}

#[test]
fn set_values_print_like_upstream() {
    let pe = deserialize_element(r#"v:"x""#).unwrap();
    assert_eq!(pe, PathElement::Value(Box::new(json!("x"))));
    assert_eq!(serialize_element(&pe), r#"v:"x""#);
    assert_eq!(path_string(&[f("metadata"), f("finalizers"), pe]), r#".metadata.finalizers[="x"]"#);
}

#[test]
fn key_values_escape_html_as_go_does() {
    let pe = PathElement::key(vec![("name".into(), json!("a<b&c"))]);
    assert_eq!(serialize_element(&pe), r#"k:{"name":"a\u003cb\u0026c"}"#);
    assert_eq!(deserialize_element(&serialize_element(&pe)).unwrap(), pe);
}

#[test]
fn unsorted_input_is_read_and_written_back_sorted() {
    let set = fields_to_set(&json!({"f:b": {}, "f:a": {"f:y": {}, "f:x": {}}})).unwrap();
    assert_eq!(serde_json::to_string(&set_to_fields(&set)).unwrap(), r#"{"f:a":{"f:x":{},"f:y":{}},"f:b":{}}"#);
}

#[test]
fn members_and_children_interleave_in_element_order() {
    let mut s = Set::new();
    s.insert(&[f("spec")]);
    s.insert(&[f("spec"), f("replicas")]);
    s.insert(&[f("apiVersion")]);
    s.insert(&[f("spec"), PathElement::Value(Box::new(json!(1)))]);
    s.insert(&[f("spec"), PathElement::key(vec![("name".into(), json!("a"))])]);
    let text = serde_json::to_string(&set_to_fields(&s)).unwrap();
    assert_eq!(text, r#"{"f:apiVersion":{},"f:spec":{".":{},"f:replicas":{},"k:{\"name\":\"a\"}":{},"v:1":{}}}"#);
}

#[test]
fn unknown_prefixes_are_dropped_and_bad_keys_rejected() {
    let set = fields_to_set(&json!({"f:a": {}, "x:whatever": {"f:b": {}}})).unwrap();
    assert_eq!(set_to_fields(&set), json!({"f:a": {}}));
    assert!(fields_to_set(&json!({"fa": {}})).unwrap_err().contains("missing colon"));
    assert!(fields_to_set(&json!({"f": {}})).is_err());
    assert!(fields_to_set(&json!({"k:[1]": {}})).is_err());
    assert!(fields_to_set(&json!({"v:{oops": {}})).is_err());
    assert!(fields_to_set(&json!({"i:x": {}})).is_err());
    assert!(fields_to_set(&json!({"f:a": 5})).is_err());
    assert!(fields_to_set(&json!("nope")).is_err());
}

#[test]
fn null_and_empty_objects_are_members() {
    let set = fields_to_set(&json!({"f:a": null, "f:b": {}, "f:c": {".": {}}})).unwrap();
    assert!(set.has(&[f("a")]) && set.has(&[f("b")]) && set.has(&[f("c")]));
}

#[test]
fn set_algebra_matches_upstream() {
    let a = Set::from_paths([&[f("a")][..], &[f("b"), f("x")], &[f("b"), f("y")], &[f("c")]]);
    let b = Set::from_paths([&[f("b"), f("x")][..], &[f("c")], &[f("d")]]);
    assert_eq!(a.union(&b).len(), 5);
    assert_eq!(a.intersection(&b), Set::from_paths([&[f("b"), f("x")][..], &[f("c")]]));
    assert_eq!(a.difference(&b), Set::from_paths([&[f("a")][..], &[f("b"), f("y")]]));
    // A member removes the whole subtree only in a recursive difference.
    let m = Set::from_paths([&[f("b")][..]]);
    assert_eq!(a.difference(&m), a);
    assert_eq!(a.recursive_difference(&m), Set::from_paths([&[f("a")][..], &[f("c")]]));
    assert!(a.difference(&a).is_empty());
    let paths: Vec<String> = a.paths().iter().map(|p| path_string(p)).collect();
    assert_eq!(paths, [".a", ".c", ".b.x", ".b.y"]);
}

#[test]
fn values_order_like_upstream_compare() {
    use super::fieldpath::cmp_values;
    use std::cmp::Ordering::*;
    assert_eq!(cmp_values(&json!(1.5), &json!(2)), Less);
    assert_eq!(cmp_values(&json!(2), &json!("a")), Less);
    assert_eq!(cmp_values(&json!("b"), &json!(true)), Less);
    assert_eq!(cmp_values(&json!(true), &json!([])), Less);
    assert_eq!(cmp_values(&json!([1]), &json!({})), Less);
    assert_eq!(cmp_values(&json!({}), &json!(null)), Less);
    assert_eq!(cmp_values(&json!(2.0), &json!(2)), Equal);
}
