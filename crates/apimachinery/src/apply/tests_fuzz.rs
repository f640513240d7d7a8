//! Random objects, configurations and managedFields: nothing may panic, and sets survive a
//! FieldsV1 round trip.

use serde_json::{json, Map, Value};

use super::fieldpath::{fields_to_set, set_to_fields};
use super::{apply, track_update, Gvk};

/// A small deterministic generator (xorshift64*).
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub(super) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub(super) fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const KEYS: &[&str] = &[
    "apiVersion",
    "kind",
    "metadata",
    "name",
    "namespace",
    "labels",
    "annotations",
    "finalizers",
    "ownerReferences",
    "uid",
    "managedFields",
    "spec",
    "status",
    "replicas",
    "selector",
    "matchLabels",
    "template",
    "containers",
    "initContainers",
    "image",
    "ports",
    "containerPort",
    "protocol",
    "env",
    "value",
    "args",
    "command",
    "resources",
    "limits",
    "cpu",
    "data",
    "type",
    "conditions",
    "volumes",
    "items",
    "x",
    "k:{}",
    "f:a",
    ".",
    "",
];

pub(super) fn scalar(r: &mut Rng) -> Value {
    match r.below(7) {
        0 => Value::Null,
        1 => Value::Bool(r.below(2) == 0),
        2 => json!(r.below(100) as i64 - 50),
        3 => json!(r.below(1000) as f64 / 7.0),
        4 => json!(u64::MAX - r.below(3) as u64),
        _ => Value::String(r.pick(&["a", "b", "TCP", "UDP", "nginx", "", "25%", "1Gi", "<&>"]).into()),
    }
}

pub(super) fn value(r: &mut Rng, depth: usize) -> Value {
    if depth > 6 {
        return scalar(r);
    }
    match r.below(10) {
        0..=3 => scalar(r),
        4..=6 => {
            let mut m = Map::new();
            for _ in 0..r.below(5) {
                m.insert(r.pick(KEYS).to_string(), value(r, depth + 1));
            }
            Value::Object(m)
        }
        _ => Value::Array((0..r.below(4)).map(|_| value(r, depth + 1)).collect()),
    }
}

/// An object that looks enough like the kind to reach deep into the walkers.
pub(super) fn object(r: &mut Rng, gvk: Gvk<'_>) -> Value {
    let mut v = value(r, 1);
    if !v.is_object() || r.below(4) > 0 {
        v = json!({});
    }
    if r.below(5) > 0 {
        v["apiVersion"] = json!(crate::resource::api_version(gvk.group, gvk.version));
        v["kind"] = json!(gvk.kind);
    }
    if r.below(3) > 0 {
        v["metadata"] = json!({"name": "x", "labels": value(r, 4)});
    }
    let container = || json!({"name": "c", "image": "i", "ports": [{"containerPort": 80}], "env": [{"name": "A"}]});
    match r.below(4) {
        0 => {
            v["spec"] = json!({"replicas": scalar(r), "template": {"spec": {"containers": [container(), value(r, 3)]}}})
        }
        1 => v["spec"] = json!({"containers": [container(), {"name": scalar(r), "ports": value(r, 4)}]}),
        2 => v["spec"] = value(r, 2),
        _ => {}
    }
    if r.below(4) == 0 {
        if !v["metadata"].is_object() {
            v["metadata"] = json!({});
        }
        v["metadata"]["managedFields"] = managed_fields(r);
    }
    v
}

pub(super) fn fields(r: &mut Rng, depth: usize) -> Value {
    let mut m = Map::new();
    for _ in 0..r.below(4) {
        let key = match r.below(8) {
            0 => ".".to_string(),
            1 => format!("k:{{\"name\":\"{}\"}}", r.pick(&["a", "b"])),
            2 => "v:\"x\"".to_string(),
            3 => format!("i:{}", r.below(3)),
            4 => r.pick(KEYS).to_string(),
            _ => format!("f:{}", r.pick(KEYS)),
        };
        let child = if depth > 4 || r.below(3) == 0 { json!({}) } else { fields(r, depth + 1) };
        m.insert(key, child);
    }
    Value::Object(m)
}

pub(super) fn managed_fields(r: &mut Rng) -> Value {
    if r.below(6) == 0 {
        return value(r, 2);
    }
    let n = r.below(4);
    Value::Array(
        (0..n)
            .map(|_| {
                json!({
                    "manager": r.pick(&["a", "b", "kubectl", ""]),
                    "operation": r.pick(&["Apply", "Update", "Nope"]),
                    "apiVersion": r.pick(&["v1", "apps/v1", ""]),
                    "time": r.pick(&["2024-01-01T00:00:00Z", "2023-01-01T00:00:00+05:00"]),
                    "fieldsType": r.pick(&["FieldsV1", "FieldsV1", "x"]),
                    "fieldsV1": fields(r, 0),
                })
            })
            .collect(),
    )
}

pub(super) const KINDS: &[Gvk<'static>] = &[
    Gvk { group: "apps", version: "v1", kind: "Deployment" },
    Gvk { group: "", version: "v1", kind: "Pod" },
    Gvk { group: "", version: "v1", kind: "ConfigMap" },
    Gvk { group: "", version: "v1", kind: "Service" },
    Gvk { group: "example.com", version: "v1", kind: "Widget" },
];

#[test]
fn random_objects_and_configurations_never_panic() {
    let mut r = Rng(0x9e37_79b9_7f4a_7c15);
    let mut applied = 0;
    for i in 0..3000 {
        let gvk = KINDS[r.below(KINDS.len())];
        let sub = ["", "", "status"][r.below(3)];
        let old = object(&mut r, gvk);
        let mut new = object(&mut r, gvk);
        let old_opt = (r.below(4) > 0).then_some(&old);
        let _ = track_update(gvk, old_opt, &mut new, "m", sub, "2024-01-01T00:00:00Z");
        let config = object(&mut r, gvk);
        let manager = ["kubectl", "m", ""][r.below(3)];
        if let Ok(out) = apply(gvk, Some(&new), &config, manager, i % 2 == 0, sub, "2024-01-01T00:00:01Z") {
            applied += 1;
            let again = object(&mut r, gvk);
            let _ = apply(gvk, Some(&out), &again, "other", false, sub, "2024-01-01T00:00:02Z");
            let mut next = out.clone();
            if let Value::Object(m) = &mut next {
                m.insert("spec".into(), value(&mut r, 2));
            }
            let _ = track_update(gvk, Some(&out), &mut next, "m2", "", "2024-01-01T00:00:03Z");
        }
        let _ = apply(gvk, None, &config, manager, false, sub, "2024-01-01T00:00:04Z");
    }
    assert!(applied > 100, "only {applied} applies went through");
}

#[test]
fn random_fields_v1_decode_cleanly_and_round_trip() {
    let mut r = Rng(42);
    for _ in 0..5000 {
        let v = if r.below(5) == 0 { value(&mut r, 0) } else { fields(&mut r, 0) };
        if let Ok(set) = fields_to_set(&v) {
            let encoded = set_to_fields(&set);
            assert_eq!(fields_to_set(&encoded).expect("own output decodes"), set, "{v}");
        }
    }
}

#[test]
fn deeply_nested_values_do_not_overflow_the_stack() {
    let gvk = Gvk { group: "example.com", version: "v1", kind: "Widget" };
    let mut deep = json!(1);
    for _ in 0..120 {
        deep = json!({"spec": deep, "l": [deep.clone()]});
        if deep.to_string().len() > 1 << 20 {
            break;
        }
    }
    let config = json!({"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}, "spec": deep});
    let _ = apply(gvk, None, &config, "m", false, "", "2024-01-01T00:00:00Z");
    let mut fields = json!({});
    for _ in 0..300 {
        fields = json!({"f:a": fields});
    }
    let _ = fields_to_set(&fields);
}
