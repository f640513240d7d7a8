//! Hostile input: malformed directives, wrong types, deep nesting and random patches must
//! come back as errors, never as panics.

use serde_json::{json, Map, Value};

use super::tests::{apply, err};
use super::*;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const KEYS: &[&str] = &[
    "metadata",
    "spec",
    "status",
    "template",
    "containers",
    "initContainers",
    "volumes",
    "env",
    "ports",
    "name",
    "image",
    "labels",
    "annotations",
    "finalizers",
    "ownerReferences",
    "uid",
    "containerPort",
    "mountPath",
    "volumeMounts",
    "strategy",
    "rollingUpdate",
    "type",
    "taints",
    "key",
    "data",
    "selector",
    "matchLabels",
    "emptyDir",
    "hostPath",
    "$patch",
    "$retainKeys",
    "$setElementOrder/containers",
    "$setElementOrder/env",
    "$setElementOrder/finalizers",
    "$setElementOrder/volumes",
    "$setElementOrder/nope",
    "$setElementOrder",
    "$deleteFromPrimitiveList/finalizers",
    "$deleteFromPrimitiveList/args",
    "$deleteFromPrimitiveList",
    "$deleteFromPrimitiveList/",
    "$setElementOrder/",
    "args",
    "tolerations",
    "podCIDRs",
    "Containers",
];

fn scalar(rng: &mut Rng) -> Value {
    match rng.below(9) {
        0 => Value::Null,
        1 => json!(rng.below(2) == 0),
        2 => json!(rng.below(100)),
        3 => json!(-2.5),
        4 => json!(*rng.pick(&["replace", "delete", "merge"])),
        5 => json!(*rng.pick(&["a", "nginx", "data", "/data", "o-1", "name"])),
        6 => json!(u64::MAX),
        _ => json!(""),
    }
}

fn random_value(rng: &mut Rng, depth: usize) -> Value {
    if depth > 6 || rng.below(3) == 0 {
        return scalar(rng);
    }
    if rng.below(2) == 0 {
        Value::Array((0..rng.below(4)).map(|_| random_value(rng, depth + 1)).collect())
    } else {
        let mut map = Map::new();
        for _ in 0..rng.below(5) {
            map.insert(rng.pick(KEYS).to_string(), random_value(rng, depth + 1));
        }
        Value::Object(map)
    }
}

fn objects() -> Vec<(&'static str, &'static str, Value)> {
    let pod_spec = json!({
        "containers": [
            {"name": "a", "image": "x", "args": ["1", "2"], "env": [{"name": "E", "value": "v"}],
             "ports": [{"containerPort": 80}], "volumeMounts": [{"name": "data", "mountPath": "/data"}]},
            {"name": "b"}
        ],
        "volumes": [{"name": "data", "emptyDir": {}}],
        "tolerations": [{"key": "k", "operator": "Exists"}]
    });
    let meta = json!({"name": "x", "labels": {"a": "1"}, "finalizers": ["f", "g"],
        "ownerReferences": [{"apiVersion": "v1", "kind": "K", "name": "o", "uid": "o-1"}]});
    vec![
        (
            "apps",
            "v1",
            json!({"metadata": meta, "spec": {"replicas": 1, "strategy": {"type": "RollingUpdate", "rollingUpdate": {}},
            "template": {"metadata": {"labels": {"a": "1"}}, "spec": pod_spec}}}),
        ),
        ("", "v1", json!({"metadata": meta, "spec": pod_spec})),
        (
            "",
            "v1",
            json!({"metadata": {"name": "n"}, "spec": {"podCIDRs": ["a", "b"], "taints": [{"key": "k", "effect": "NoSchedule"}]}}),
        ),
        ("apps", "v1", json!({"metadata": {"name": "cr"}, "data": {"a": {"b": [1, 2]}}, "revision": 1})),
        ("example.com", "v1", json!({"metadata": {"name": "w"}, "spec": {"a": [1]}})),
    ]
}

fn kind_of(index: usize) -> &'static str {
    ["Deployment", "Pod", "Node", "ControllerRevision", "Widget"][index]
}

#[test]
fn random_patches_never_panic() {
    let objects = objects();
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    for _ in 0..4000 {
        let i = rng.below(objects.len());
        let (group, version, original) = &objects[i];
        let patch = random_value(&mut rng, 0);
        match strategic_merge(group, version, kind_of(i), original, &patch) {
            Ok(_) => {}
            Err(e) => assert!([400, 422].contains(&e.code), "unexpected code {e}"),
        }
    }
}

#[test]
fn random_edits_of_the_object_itself_never_panic() {
    // Patches shaped like the object (so they reach deep into merge lists) with random
    // values and directives sprinkled in.
    fn mutate(rng: &mut Rng, value: &Value, depth: usize) -> Value {
        match value {
            Value::Object(map) => {
                let mut out = Map::new();
                for (k, v) in map {
                    match rng.below(6) {
                        0 => {}
                        1 => {
                            out.insert(k.clone(), random_value(rng, depth + 1));
                        }
                        _ => {
                            out.insert(k.clone(), mutate(rng, v, depth + 1));
                        }
                    }
                }
                if rng.below(4) == 0 {
                    out.insert(rng.pick(KEYS).to_string(), random_value(rng, depth + 1));
                }
                Value::Object(out)
            }
            Value::Array(list) => Value::Array(list.iter().map(|v| mutate(rng, v, depth + 1)).collect()),
            _ => {
                if rng.below(3) == 0 {
                    scalar(rng)
                } else {
                    value.clone()
                }
            }
        }
    }
    let objects = objects();
    let mut rng = Rng(0x0dd_ba11_5eed_0002);
    for _ in 0..3000 {
        let i = rng.below(objects.len());
        let (group, version, original) = &objects[i];
        let patch = mutate(&mut rng, original, 0);
        if let Err(e) = strategic_merge(group, version, kind_of(i), original, &patch) {
            assert!([400, 422].contains(&e.code), "unexpected code {e}");
        }
    }
}

#[test]
fn patches_nested_too_deep_are_refused() {
    let mut deep = json!("leaf");
    for _ in 0..(MAX_DEPTH + 10) {
        deep = json!({"a": deep});
    }
    let e = err("v1", "ConfigMap", json!({"metadata": {"name": "c"}}), json!({"data": deep}));
    assert_eq!((e.code, e.reason), (400, "BadRequest"));
    let mut list = json!(1);
    for _ in 0..(MAX_DEPTH + 10) {
        list = json!([list]);
    }
    let e = err("example.com/v1", "Widget", json!({}), json!({"spec": list}));
    assert_eq!(e.code, 400);
}

#[test]
fn nesting_within_the_limit_is_accepted() {
    let mut deep = json!("leaf");
    for _ in 0..(MAX_DEPTH - 5) {
        deep = json!({"a": deep});
    }
    let out = apply("v1", "ConfigMap", json!({"metadata": {"name": "c"}}), json!({"extra": deep}));
    assert!(out.is_ok());
}

#[test]
fn wrongly_typed_directive_values_are_errors() {
    let original = json!({"metadata": {"name": "c", "finalizers": ["a"], "ownerReferences": [{"uid": "o-1"}]}, "data": {"k": "v"}});
    for patch in [
        json!({"metadata": {"$setElementOrder/finalizers": {"a": 1}}}),
        json!({"metadata": {"$setElementOrder/finalizers": null}}),
        json!({"metadata": {"$setElementOrder/labels": []}}),
        json!({"metadata": {"$retainKeys": [["name"]]}}),
        json!({"metadata": {"$retainKeys": {"name": true}}}),
        json!({"metadata": {"finalizers": [{"$patch": "delete"}]}}),
        json!({"metadata": {"finalizers": [null]}}),
        json!({"metadata": {"$setElementOrder/finalizers": [{}], "finalizers": ["a"]}}),
        json!({"metadata": {"ownerReferences": [{"uid": [1]}, {"uid": [1]}]}}),
        json!({"$patch": ["replace"]}),
    ] {
        let e = err("v1", "ConfigMap", original.clone(), patch.clone());
        assert!([400, 422].contains(&e.code), "{patch}: {e}");
    }
}

#[test]
fn whole_object_directives_apply_at_the_top_level() {
    let original = json!({"metadata": {"name": "c"}, "data": {"k": "v"}});
    let out = apply("v1", "ConfigMap", original.clone(), json!({"$patch": "replace", "data": {"x": "y"}}));
    assert_eq!(out.ok(), Some(json!({"data": {"x": "y"}})));
    let out = apply("v1", "ConfigMap", original, json!({"$patch": "delete"}));
    assert_eq!(out.ok(), Some(json!({})));
}

#[test]
fn long_lists_merge_without_quadratic_blowup() {
    let started = std::time::Instant::now();
    let live: Vec<Value> = (0..20_000).map(|i| json!(format!("f{i}"))).collect();
    let added: Vec<Value> = (10_000..30_000).map(|i| json!(format!("f{i}"))).collect();
    let order: Vec<Value> = (10_000..30_000).chain((0..10_000).rev()).map(|i| json!(format!("f{i}"))).collect();
    let patch = json!({"metadata": {"finalizers": added, "$setElementOrder/finalizers": order}});
    let out = apply("v1", "ConfigMap", json!({"metadata": {"finalizers": live}}), patch);
    let out = out.ok().unwrap_or_default();
    assert_eq!(out["metadata"]["finalizers"].as_array().map(Vec::len), Some(30_000));
    assert_eq!(out["metadata"]["finalizers"][20_000], "f9999");

    let containers: Vec<Value> = (0..5_000).map(|i| json!({"name": format!("c{i}"), "image": "x"})).collect();
    let mut changes: Vec<Value> =
        (0..5_000).step_by(2).map(|i| json!({"name": format!("c{i}"), "$patch": "delete"})).collect();
    changes.extend((5_000..10_000).map(|i| json!({"name": format!("c{i}"), "image": "y"})));
    let patch = json!({"spec": {"containers": changes}});
    let out = apply("v1", "Pod", json!({"spec": {"containers": containers}}), patch);
    assert_eq!(out.ok().and_then(|o| o["spec"]["containers"].as_array().map(Vec::len)), Some(7_500));
    assert!(started.elapsed() < std::time::Duration::from_secs(20), "took {:?}", started.elapsed());
}
