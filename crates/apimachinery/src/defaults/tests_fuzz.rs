//! Garbage in, no panic out: every kind the schema knows is fed random objects shaped
//! loosely after its Go type, with members of the wrong JSON type, `null`s, empty and
//! odd values sprinkled in. Defaulting must not panic and must be idempotent.

use serde_json::{json, Map, Value};

use super::apply_defaults;
use super::tests::text;
use crate::resource::split_api_version;
use crate::schema::{schema, FieldDef, TypeDef, ValueType};

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const ODD_STRINGS: &[&str] = &[
    "",
    "latest",
    "nginx",
    "nginx:latest",
    "None",
    "ClientIP",
    "LoadBalancer",
    "NodePort",
    "ClusterIP",
    "RollingUpdate",
    "Container",
    "User",
    "Group",
    "100u",
    "1Gi",
    "-1",
    "x",
    "\u{0}",
    "🙂",
    "25%",
    "Always",
    "TCP",
];

fn garbage(rng: &mut Rng) -> Value {
    match rng.below(10) {
        0 => Value::Null,
        1 => json!(0),
        2 => json!(-1),
        3 => json!(1.5),
        4 => json!(true),
        5 => json!([]),
        6 => json!({}),
        7 => json!([null, 1, "x", {}]),
        8 => json!({"": null, "x": [1]}),
        _ => Value::String(ODD_STRINGS[rng.below(ODD_STRINGS.len() as u64) as usize].to_string()),
    }
}

fn scalar(t: &ValueType, rng: &mut Rng) -> Value {
    if rng.chance(20) {
        return garbage(rng);
    }
    match t {
        ValueType::Bool => json!(rng.chance(50)),
        ValueType::Int32 | ValueType::Int64 | ValueType::Double => json!(rng.below(4) as i64 - 1),
        ValueType::Quantity => json!(["100u", "1", "0.5", "2Gi", "1e-7", "bogus"][rng.below(6) as usize]),
        ValueType::IntOrString => {
            if rng.chance(50) {
                json!(rng.below(3))
            } else {
                json!(["", "http", "25%"][rng.below(3) as usize])
            }
        }
        _ => Value::String(ODD_STRINGS[rng.below(ODD_STRINGS.len() as u64) as usize].to_string()),
    }
}

fn element(t: &ValueType, rng: &mut Rng, depth: usize) -> Value {
    match t.message().and_then(|n| schema().type_def(n)) {
        Some(def) if def.items.is_none() => {
            if rng.chance(10) {
                garbage(rng)
            } else {
                random_object(def, rng, depth + 1)
            }
        }
        _ => scalar(t, rng),
    }
}

fn field_value(f: &FieldDef, rng: &mut Rng, depth: usize) -> Value {
    if rng.chance(8) {
        return garbage(rng);
    }
    if f.repeated {
        return Value::Array((0..rng.below(3)).map(|_| element(&f.value, rng, depth)).collect());
    }
    if f.is_map() {
        let mut m = Map::new();
        for i in 0..rng.below(3) {
            m.insert(format!("k{i}"), element(&f.value, rng, depth));
        }
        return Value::Object(m);
    }
    element(&f.value, rng, depth)
}

fn random_object(def: &TypeDef, rng: &mut Rng, depth: usize) -> Value {
    let mut m = Map::new();
    if depth > 7 {
        return Value::Object(m);
    }
    for f in def.json_fields() {
        if rng.chance(35) {
            m.insert(f.json_name.clone(), field_value(f, rng, depth));
        }
    }
    if rng.chance(5) {
        m.insert("unknownField".into(), garbage(rng));
    }
    Value::Object(m)
}

#[test]
fn garbage_never_panics_and_defaulting_stays_idempotent_for_every_kind() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for (api_version, kind, def) in schema().kinds() {
        let (group, version) = split_api_version(api_version);
        for round in 0..12 {
            let mut obj = random_object(def, &mut rng, 0);
            apply_defaults(group, version, kind, &mut obj);
            let once = text(&obj);
            apply_defaults(group, version, kind, &mut obj);
            assert_eq!(text(&obj), once, "{api_version} {kind} round {round}: defaulting twice changed it");
        }
    }
}

#[test]
fn every_member_of_a_realistic_pod_may_be_garbage() {
    let pod = json!({
        "metadata": {"name": "p", "labels": {"a": "b"}, "annotations": {"x": "y"}},
        "spec": {
            "hostNetwork": true, "serviceAccount": "sa",
            "containers": [{"name": "c", "image": "nginx", "ports": [{"containerPort": 80}],
                            "resources": {"limits": {"cpu": "1"}, "requests": {}},
                            "env": [{"name": "E", "valueFrom": {"fieldRef": {"fieldPath": "x"}}}],
                            "livenessProbe": {"httpGet": {"port": 1}}}],
            "volumes": [{"name": "v"}, {"name": "s", "secret": {}}]
        },
        "status": {"podIP": "1.2.3.4", "podIPs": [{"ip": "1.2.3.4"}]}
    });
    let mut paths = Vec::new();
    collect_paths(&pod, &mut Vec::new(), &mut paths);
    let mut rng = Rng(42);
    for path in &paths {
        for _ in 0..6 {
            let mut obj = pod.clone();
            if let Some(slot) = at_path(&mut obj, path) {
                *slot = garbage(&mut rng);
            }
            apply_defaults("", "v1", "Pod", &mut obj);
            let once = text(&obj);
            apply_defaults("", "v1", "Pod", &mut obj);
            assert_eq!(text(&obj), once, "garbage at {path:?}");
        }
    }
}

#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

fn collect_paths(v: &Value, here: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(here.clone());
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                here.push(Step::Key(k.clone()));
                collect_paths(child, here, out);
                here.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                here.push(Step::Index(i));
                collect_paths(child, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

fn at_path<'a>(v: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    let mut cur = v;
    for step in path {
        cur = match step {
            Step::Key(k) => cur.get_mut(k.as_str())?,
            Step::Index(i) => cur.get_mut(*i)?,
        };
    }
    Some(cur)
}

#[test]
fn any_image_text_gets_a_pull_policy_without_panicking() {
    let pieces = ["a", "Z", "0", "/", ":", "@", ".", "-", "_", "__", "[", "]", "🙂", "é", "sha256:", "latest", " ", ""];
    let mut rng = Rng(7);
    for _ in 0..5000 {
        let image: String = (0..rng.below(12)).map(|_| pieces[rng.below(pieces.len() as u64) as usize]).collect();
        let policy = super::image::pull_policy_for_image(&image);
        assert!(policy == "Always" || policy == "IfNotPresent", "{image:?}");
    }
}
