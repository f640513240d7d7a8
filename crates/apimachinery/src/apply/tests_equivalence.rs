//! The optimized `track_update` and `apply` against the frozen reference implementation
//! (`reference`, the code as it was before the performance work): for many randomized
//! objects of several kinds, random old/new pairs, managedFields (valid, stale, junk, `[]`),
//! subresources and managers, both must give byte-identical objects (key order included)
//! and identical errors.
//!
//! `APPLY_EQUIVALENCE_ITERATIONS` raises the number of rounds (default 1500);
//! `APPLY_EQUIVALENCE_SEED` varies the random inputs.

use serde_json::{json, Map, Value};

use super::reference;
use super::tests_fuzz::{self, Rng};
use super::{apply, track_update, Gvk};

fn iterations() -> usize {
    std::env::var("APPLY_EQUIVALENCE_ITERATIONS").ok().and_then(|s| s.parse().ok()).unwrap_or(1500)
}

/// A generator seeded with `base`, varied by `APPLY_EQUIVALENCE_SEED`.
fn rng(base: u64) -> Rng {
    let extra = std::env::var("APPLY_EQUIVALENCE_SEED").ok().and_then(|s| s.parse::<u64>().ok()).unwrap_or(0);
    Rng((base ^ extra.wrapping_mul(0x9e37_79b9_7f4a_7c15)).max(1))
}

fn reference_gvk<'a>(gvk: Gvk<'a>) -> reference::Gvk<'a> {
    reference::Gvk { group: gvk.group, version: gvk.version, kind: gvk.kind }
}

fn text(v: &Value) -> String {
    serde_json::to_string(v).expect("values serialize")
}

/// Runs both implementations of `track_update`; returns the (shared) outcome.
fn check_track(
    gvk: Gvk<'_>,
    old: Option<&Value>,
    new: &Value,
    manager: &str,
    sub: &str,
    now: &str,
) -> (Result<(), crate::status::ApiError>, Value) {
    let mut fast = new.clone();
    let got = track_update(gvk, old, &mut fast, manager, sub, now);
    let mut slow = new.clone();
    let want = reference::track_update(reference_gvk(gvk), old, &mut slow, manager, sub, now);
    assert_eq!(got, want, "track_update error differs\nold: {old:?}\nnew: {new}\nmanager {manager:?} sub {sub:?}");
    let (g, w) = (text(&fast), text(&slow));
    assert_eq!(g, w, "track_update result differs\nold: {old:?}\nnew: {new}\nmanager {manager:?} sub {sub:?}");
    (got, fast)
}

/// Runs both implementations of `apply`.
fn check_apply(
    gvk: Gvk<'_>,
    live: Option<&Value>,
    config: &Value,
    manager: &str,
    force: bool,
    sub: &str,
    now: &str,
) -> Result<Value, crate::status::ApiError> {
    let got = apply(gvk, live, config, manager, force, sub, now);
    let want = reference::apply(reference_gvk(gvk), live, config, manager, force, sub, now);
    let ctx = || format!("live: {live:?}\nconfig: {config}\nmanager {manager:?} force {force} sub {sub:?}");
    match (&got, &want) {
        (Ok(g), Ok(w)) => assert_eq!(text(g), text(w), "apply result differs\n{}", ctx()),
        _ => assert_eq!(got, want, "apply outcome differs\n{}", ctx()),
    }
    got
}

/// Realistic objects of the kinds the server sees most, with the odd mistake.
struct Gen {
    r: Rng,
    /// No deliberate mistakes (unknown fields, wrong types): for apply configurations.
    clean: bool,
}

impl Gen {
    fn chance(&mut self, n: usize) -> bool {
        self.r.below(n) == 0
    }

    /// A deliberate mistake, unless generating clean objects.
    fn junk(&mut self, n: usize) -> bool {
        !self.clean && self.chance(n)
    }

    fn pick(&mut self, items: &[&'static str]) -> Value {
        Value::String(self.r.pick(items).to_string())
    }

    fn name(&mut self) -> Value {
        match if self.clean { 2 } else { self.r.below(20) } {
            0 => Value::Null,
            1 => json!(7),
            _ => self.pick(&["web", "sidecar", "init", "a", "b"]),
        }
    }

    fn quantity(&mut self) -> Value {
        match self.r.below(12) {
            0 => json!(1),
            1 => json!(0.5),
            2 => Value::Null,
            _ => self.pick(&["100m", "0.1", "1", "1000m", "1Gi", "1024Mi", "0", "2e3", " 5 ", "bogus", "500M"]),
        }
    }

    fn time(&mut self) -> Value {
        match self.r.below(8) {
            0 => Value::Null,
            1 => json!(""),
            _ => self.pick(&[
                "2024-01-01T00:00:00Z",
                "2024-01-01T01:00:00+01:00",
                "2024-01-01T00:00:00.123456Z",
                "not a time",
            ]),
        }
    }

    fn int_or_string(&mut self) -> Value {
        match self.r.below(4) {
            0 => json!(8080),
            1 => json!("http"),
            2 => json!("25%"),
            _ => json!(self.r.below(3) as i64),
        }
    }

    /// A boolean, or (unless clean) any scalar.
    fn boolean(&mut self) -> Value {
        if self.clean || !self.chance(3) {
            json!(self.chance(2))
        } else {
            self.scalar()
        }
    }

    fn scalar(&mut self) -> Value {
        match self.r.below(10) {
            0 => Value::Null,
            1 => json!(true),
            2 => json!(false),
            3 => json!(0),
            4 => json!(1.5),
            5 => json!(u64::MAX),
            6 => json!(-3),
            7 => json!(""),
            _ => self.pick(&["x", "y", "TCP", "<&>"]),
        }
    }

    /// A string map (labels, annotations, data), sometimes empty, null or wrong.
    fn strings(&mut self) -> Value {
        match if self.clean { 3 + self.r.below(11) } else { self.r.below(14) } {
            0 => Value::Null,
            1 => json!({}),
            2 => json!("oops"),
            _ => {
                let mut m = Map::new();
                for _ in 0..1 + self.r.below(4) {
                    let k = self.r.pick(&["app", "tier", "release", "a/b", "team", "x.io/y"]).to_string();
                    let v = if self.junk(12) { self.scalar() } else { self.pick(&["web", "v1", "", "canary"]) };
                    m.insert(k, v);
                }
                Value::Object(m)
            }
        }
    }

    fn maybe(&mut self, m: &mut Map<String, Value>, key: &str, odds: usize, v: impl FnOnce(&mut Gen) -> Value) {
        if self.r.below(odds) != 0 {
            let value = v(self);
            m.insert(key.to_string(), value);
        }
    }

    /// Randomizes member order now and then (the walks must not depend on it differently).
    fn shuffle(&mut self, m: Map<String, Value>) -> Value {
        if !self.chance(4) {
            return Value::Object(m);
        }
        let mut items: Vec<(String, Value)> = m.into_iter().collect();
        for i in (1..items.len()).rev() {
            let j = self.r.below(i + 1);
            items.swap(i, j);
        }
        Value::Object(items.into_iter().collect())
    }

    fn list(&mut self, max: usize, mut item: impl FnMut(&mut Gen) -> Value) -> Value {
        match self.r.below(12) {
            0 => Value::Null,
            1 => json!([]),
            _ => {
                let mut items: Vec<Value> = (0..1 + self.r.below(max)).map(|_| item(self)).collect();
                if self.clean {
                    let mut seen = Vec::new();
                    items.retain(|i| {
                        let id = list_key(i);
                        let fresh = !seen.contains(&id);
                        seen.push(id);
                        fresh
                    });
                }
                if self.junk(10) {
                    items.push(Value::Null);
                }
                if self.junk(8) {
                    let dup = items[0].clone();
                    items.push(dup);
                }
                Value::Array(items)
            }
        }
    }

    fn metadata(&mut self, namespaced: bool) -> Value {
        let mut m = Map::new();
        self.maybe(&mut m, "name", 10, |g| g.pick(&["web", "web-7d4b9c8f6-x2k9p", "db"]));
        if namespaced {
            self.maybe(&mut m, "namespace", 4, |g| g.pick(&["default", "kube-system"]));
        }
        self.maybe(&mut m, "labels", 3, Gen::strings);
        self.maybe(&mut m, "annotations", 2, Gen::strings);
        if self.chance(3) {
            m.insert("generateName".into(), json!("web-"));
        }
        if self.chance(4) {
            m.insert("finalizers".into(), self.list(3, |g| g.pick(&["a.io/x", "b.io/y", "kubernetes"])));
        }
        if self.chance(4) {
            m.insert(
                "ownerReferences".into(),
                self.list(2, |g| {
                    let mut o = Map::new();
                    o.insert("apiVersion".into(), json!("apps/v1"));
                    o.insert("kind".into(), json!("ReplicaSet"));
                    o.insert("name".into(), json!("web-7d4b9c8f6"));
                    g.maybe(&mut o, "uid", 8, |g| g.pick(&["u1", "u2"]));
                    g.maybe(&mut o, "controller", 2, |_| json!(true));
                    Value::Object(o)
                }),
            );
        }
        if self.chance(4) {
            m.insert("uid".into(), json!("6f1d4b0e-0000-4000-8000-000000000001"));
            m.insert("resourceVersion".into(), json!("12"));
            m.insert("generation".into(), json!(self.r.below(3)));
            m.insert("creationTimestamp".into(), self.time());
        }
        if self.chance(12) {
            m.insert("deletionTimestamp".into(), self.time());
        }
        if self.junk(15) {
            m.insert("unknownField".into(), self.scalar());
        }
        self.shuffle(m)
    }

    fn container(&mut self) -> Value {
        if self.junk(30) {
            return self.scalar();
        }
        let mut c = Map::new();
        self.maybe(&mut c, "name", 12, Gen::name);
        self.maybe(&mut c, "image", 5, |g| g.pick(&["nginx", "nginx:1.25", "registry.example.com/web:1.2"]));
        self.maybe(&mut c, "args", 3, |g| g.list(3, |g| g.pick(&["--port", "8080", "-v"])));
        self.maybe(&mut c, "command", 4, |g| g.list(2, |g| g.pick(&["/bin/sh", "-c"])));
        self.maybe(&mut c, "ports", 2, |g| {
            g.list(3, |g| {
                let mut p = Map::new();
                g.maybe(&mut p, "containerPort", 10, |g| json!([80, 8080, 9090][g.r.below(3)]));
                g.maybe(&mut p, "protocol", 2, |g| g.pick(&["TCP", "UDP", "SCTP"]));
                g.maybe(&mut p, "name", 2, |g| g.pick(&["http", "metrics"]));
                g.maybe(&mut p, "hostPort", 6, |_| json!(0));
                Value::Object(p)
            })
        });
        self.maybe(&mut c, "env", 2, |g| {
            g.list(4, |g| {
                let mut e = Map::new();
                g.maybe(&mut e, "name", 15, |g| g.pick(&["A", "B", "POD_NAME"]));
                if g.chance(3) {
                    e.insert("valueFrom".into(), json!({"fieldRef": {"fieldPath": "metadata.name"}}));
                } else {
                    g.maybe(&mut e, "value", 3, |g| g.pick(&["1", "", "x"]));
                }
                Value::Object(e)
            })
        });
        self.maybe(&mut c, "resources", 2, |g| {
            let mut r = Map::new();
            for part in ["requests", "limits"] {
                g.maybe(&mut r, part, 2, |g| {
                    let mut q = Map::new();
                    g.maybe(&mut q, "cpu", 4, Gen::quantity);
                    g.maybe(&mut q, "memory", 3, Gen::quantity);
                    Value::Object(q)
                });
            }
            Value::Object(r)
        });
        self.maybe(&mut c, "volumeMounts", 3, |g| {
            g.list(2, |g| json!({"name": g.name(), "mountPath": g.pick(&["/etc/app", "/data"])}))
        });
        self.maybe(
            &mut c,
            "readinessProbe",
            4,
            |g| json!({"httpGet": {"path": "/healthz", "port": g.int_or_string()}, "periodSeconds": g.r.below(10)}),
        );
        self.maybe(&mut c, "imagePullPolicy", 3, |g| g.pick(&["Always", "IfNotPresent"]));
        self.maybe(
            &mut c,
            "securityContext",
            5,
            |g| json!({"runAsNonRoot": g.boolean(), "capabilities": {"drop": ["ALL"]}}),
        );
        if self.junk(20) {
            c.insert("bogus".into(), self.scalar());
        }
        self.shuffle(c)
    }

    fn pod_spec(&mut self) -> Value {
        if self.junk(40) {
            return self.scalar();
        }
        let mut s = Map::new();
        self.maybe(&mut s, "containers", 12, |g| g.list(3, Gen::container));
        self.maybe(&mut s, "initContainers", 5, |g| g.list(2, Gen::container));
        self.maybe(&mut s, "volumes", 3, |g| {
            g.list(3, |g| {
                let mut v = Map::new();
                g.maybe(&mut v, "name", 12, Gen::name);
                match g.r.below(3) {
                    0 => v.insert("emptyDir".into(), json!({})),
                    1 => v.insert("configMap".into(), json!({"name": "cfg", "defaultMode": 420})),
                    _ => v.insert("emptyDir".into(), json!({"sizeLimit": g.quantity()})),
                };
                Value::Object(v)
            })
        });
        self.maybe(&mut s, "nodeSelector", 4, Gen::strings);
        self.maybe(&mut s, "tolerations", 4, |g| {
            g.list(2, |g| json!({"key": g.pick(&["k", "node.kubernetes.io/not-ready"]), "operator": "Exists"}))
        });
        self.maybe(&mut s, "restartPolicy", 3, |g| g.pick(&["Always", "Never"]));
        self.maybe(&mut s, "terminationGracePeriodSeconds", 3, |g| json!(g.r.below(60)));
        self.maybe(&mut s, "serviceAccountName", 3, |g| g.pick(&["default", "web"]));
        self.maybe(&mut s, "hostNetwork", 6, |_| json!(false));
        self.maybe(&mut s, "securityContext", 4, |_| json!({}));
        self.maybe(&mut s, "overhead", 8, |g| json!({"cpu": g.quantity()}));
        self.shuffle(s)
    }

    fn pod_status(&mut self) -> Value {
        let mut s = Map::new();
        self.maybe(&mut s, "phase", 2, |g| g.pick(&["Pending", "Running"]));
        self.maybe(&mut s, "podIP", 2, |g| g.pick(&["10.0.0.1", "10.0.0.2"]));
        self.maybe(&mut s, "conditions", 2, |g| {
            g.list(3, |g| {
                let mut c = Map::new();
                g.maybe(&mut c, "type", 12, |g| g.pick(&["Ready", "PodScheduled", "Initialized"]));
                g.maybe(&mut c, "status", 4, |g| g.pick(&["True", "False"]));
                g.maybe(&mut c, "lastTransitionTime", 2, Gen::time);
                Value::Object(c)
            })
        });
        self.maybe(&mut s, "startTime", 3, Gen::time);
        self.shuffle(s)
    }

    fn pod(&mut self) -> Value {
        let mut o = Map::new();
        o.insert("apiVersion".into(), json!("v1"));
        o.insert("kind".into(), json!("Pod"));
        self.maybe(&mut o, "metadata", 15, |g| g.metadata(true));
        self.maybe(&mut o, "spec", 8, Gen::pod_spec);
        self.maybe(&mut o, "status", 3, Gen::pod_status);
        Value::Object(o)
    }

    fn deployment(&mut self) -> Value {
        let mut spec = Map::new();
        self.maybe(&mut spec, "replicas", 3, |g| json!(g.r.below(4)));
        self.maybe(&mut spec, "selector", 4, |g| json!({"matchLabels": g.strings()}));
        self.maybe(&mut spec, "template", 6, |g| {
            let mut t = Map::new();
            g.maybe(&mut t, "metadata", 5, |g| json!({"labels": g.strings()}));
            g.maybe(&mut t, "spec", 8, Gen::pod_spec);
            Value::Object(t)
        });
        self.maybe(&mut spec, "strategy", 3, |g| {
            json!({"type": "RollingUpdate", "rollingUpdate": {"maxSurge": g.int_or_string(), "maxUnavailable": g.int_or_string()}})
        });
        self.maybe(&mut spec, "paused", 8, Gen::boolean);
        let mut o = Map::new();
        o.insert("apiVersion".into(), json!("apps/v1"));
        o.insert("kind".into(), json!("Deployment"));
        self.maybe(&mut o, "metadata", 15, |g| g.metadata(true));
        let spec = self.shuffle(spec);
        self.maybe(&mut o, "spec", 10, |_| spec);
        self.maybe(&mut o, "status", 3, |g| {
            json!({"replicas": g.r.below(3), "observedGeneration": 1, "conditions": g.list(2, |g| json!({"type": g.pick(&["Available", "Progressing"]), "status": "True", "lastUpdateTime": g.time()}))})
        });
        Value::Object(o)
    }

    fn service(&mut self) -> Value {
        let mut spec = Map::new();
        self.maybe(&mut spec, "ports", 5, |g| {
            g.list(3, |g| {
                let mut p = Map::new();
                g.maybe(&mut p, "port", 10, |g| json!([80, 443][g.r.below(2)]));
                g.maybe(&mut p, "protocol", 2, |g| g.pick(&["TCP", "UDP"]));
                g.maybe(&mut p, "targetPort", 2, Gen::int_or_string);
                g.maybe(&mut p, "name", 2, |g| g.pick(&["http", "https"]));
                Value::Object(p)
            })
        });
        self.maybe(&mut spec, "selector", 3, Gen::strings);
        self.maybe(&mut spec, "type", 3, |g| g.pick(&["ClusterIP", "NodePort"]));
        self.maybe(&mut spec, "clusterIP", 3, |g| g.pick(&["10.96.0.10", "None"]));
        self.maybe(&mut spec, "clusterIPs", 3, |g| g.list(2, |g| g.pick(&["10.96.0.10", "fd00::10"])));
        self.maybe(&mut spec, "ipFamilies", 4, |g| g.list(2, |g| g.pick(&["IPv4", "IPv6"])));
        self.maybe(&mut spec, "sessionAffinity", 3, |_| json!("None"));
        let mut o = Map::new();
        o.insert("apiVersion".into(), json!("v1"));
        o.insert("kind".into(), json!("Service"));
        self.maybe(&mut o, "metadata", 15, |g| g.metadata(true));
        let spec = self.shuffle(spec);
        self.maybe(&mut o, "spec", 10, |_| spec);
        self.maybe(&mut o, "status", 3, |_| json!({"loadBalancer": {}}));
        Value::Object(o)
    }

    fn config_map(&mut self) -> Value {
        let mut o = Map::new();
        o.insert("apiVersion".into(), json!("v1"));
        o.insert("kind".into(), json!("ConfigMap"));
        self.maybe(&mut o, "metadata", 15, |g| g.metadata(true));
        self.maybe(&mut o, "data", 3, Gen::strings);
        self.maybe(&mut o, "binaryData", 6, |_| json!({"b": "aGVsbG8="}));
        self.maybe(&mut o, "immutable", 6, Gen::boolean);
        Value::Object(o)
    }

    /// A custom resource nobody has a schema for.
    fn widget(&mut self) -> Value {
        let mut o = Map::new();
        o.insert("apiVersion".into(), json!("example.com/v1"));
        o.insert("kind".into(), json!("Widget"));
        self.maybe(&mut o, "metadata", 15, |g| g.metadata(true));
        self.maybe(&mut o, "spec", 6, |g| {
            let mut s = Map::new();
            g.maybe(&mut s, "size", 3, Gen::scalar);
            g.maybe(&mut s, "items", 3, |g| g.list(3, |g| json!({"name": g.name(), "v": g.scalar()})));
            g.maybe(&mut s, "nested", 3, |g| json!({"a": {"b": g.scalar(), "c": []}, "d": {}}));
            g.maybe(&mut s, "junk", 4, |g| tests_fuzz::value(&mut g.r, 2));
            Value::Object(s)
        });
        self.maybe(&mut o, "status", 3, |g| json!({"ready": g.scalar()}));
        Value::Object(o)
    }

    fn object(&mut self, gvk: Gvk<'_>) -> Value {
        if self.junk(25) {
            return tests_fuzz::object(&mut self.r, gvk);
        }
        let obj = match gvk.kind {
            "Pod" => self.pod(),
            "Deployment" => self.deployment(),
            "Service" => self.service(),
            "ConfigMap" => self.config_map(),
            _ => self.widget(),
        };
        if self.chance(3) {
            obj
        } else {
            decoded(gvk, obj)
        }
    }

    /// A changed copy of `v`: members replaced, dropped, added or nulled, items dropped,
    /// duplicated, swapped or changed.
    fn mutate(&mut self, v: &Value, depth: usize) -> Value {
        match v {
            Value::Object(m) if depth < 8 && !m.is_empty() => {
                let mut out = m.clone();
                for _ in 0..1 + self.r.below(2) {
                    let keys: Vec<String> = out.keys().cloned().collect();
                    if keys.is_empty() {
                        break;
                    }
                    let k = keys[self.r.below(keys.len())].clone();
                    match self.r.below(10) {
                        0 => {
                            out.remove(&k);
                        }
                        1 => {
                            out.insert(k, Value::Null);
                        }
                        2 => {
                            let key = self.r.pick(&["app", "replicas", "image", "extra", "labels", "ports"]);
                            let value = self.scalar();
                            out.insert(key.to_string(), value);
                        }
                        _ => {
                            let child = out.get(&k).cloned().unwrap_or(Value::Null);
                            let changed = self.mutate(&child, depth + 1);
                            out.insert(k, changed);
                        }
                    }
                }
                Value::Object(out)
            }
            Value::Array(items) if depth < 8 && !items.is_empty() => {
                let mut out = items.clone();
                let i = self.r.below(out.len());
                match self.r.below(6) {
                    0 => {
                        out.remove(i);
                    }
                    1 => out.push(out[i].clone()),
                    2 => {
                        let j = self.r.below(out.len());
                        out.swap(i, j);
                    }
                    _ => out[i] = self.mutate(&out[i], depth + 1),
                }
                Value::Array(out)
            }
            Value::String(_) | Value::Number(_) | Value::Bool(_) | Value::Null if self.chance(2) => self.scalar(),
            Value::String(_) => self.pick(&["changed", "nginx:2", "200m", "Always"]),
            _ => self.scalar(),
        }
    }

    /// The object after a client edit: some of it changed, managedFields kept, dropped,
    /// reset or replaced.
    fn edited(&mut self, live: &Value, gvk: Gvk<'_>) -> Value {
        let mut next = if self.chance(6) { self.object(gvk) } else { self.mutate(live, 0) };
        if self.chance(3) {
            next = decoded(gvk, next);
        }
        let live_mf = live.pointer("/metadata/managedFields").cloned();
        let mf = match self.r.below(10) {
            0 => Some(json!([])),
            1 => Some(json!([{}])),
            2 => Some(tests_fuzz::managed_fields(&mut self.r)),
            3 => None,
            4 => Some(json!("junk")),
            _ => live_mf,
        };
        if let (Some(mf), Value::Object(root)) = (mf, &mut next) {
            let meta = root.entry("metadata").or_insert_with(|| json!({}));
            if let Value::Object(meta) = meta {
                meta.insert("managedFields".into(), mf);
            }
        }
        next
    }

    /// An apply configuration: a partial object of the kind (or of another kind, now and
    /// then), sometimes with managedFields or a last-applied annotation.
    fn config(&mut self, gvk: Gvk<'_>, live: Option<&Value>) -> Value {
        let mut c = match (live, self.r.below(3)) {
            (Some(l), 0) => prune(self, l),
            _ => {
                let other = tests_fuzz::KINDS[self.r.below(tests_fuzz::KINDS.len())];
                let kind = if self.chance(15) { other } else { gvk };
                self.clean = !self.chance(4);
                let mut o = self.object(kind);
                self.clean = false;
                if let Value::Object(root) = &mut o {
                    root.remove("status");
                }
                o
            }
        };
        if let Some(Value::Object(meta)) = c.get_mut("metadata") {
            for f in ["uid", "resourceVersion", "generation", "creationTimestamp"] {
                meta.remove(f);
            }
            if !self.chance(5) {
                meta.remove("managedFields");
            }
            if self.chance(6) {
                let last = match live {
                    Some(l) if self.chance(2) => text(&prune(self, l)),
                    _ => "{}".to_string(),
                };
                meta.insert("annotations".into(), json!({LAST_APPLIED: last}));
            }
        }
        if self.chance(20) {
            c = Value::Null;
        }
        c
    }
}

/// What identifies a list item well enough to keep clean lists free of duplicate keys.
fn list_key(item: &Value) -> String {
    match item {
        Value::Object(m) => {
            let keys = ["name", "containerPort", "protocol", "mountPath", "port", "type", "key", "uid"];
            keys.iter().map(|k| m.get(*k).map_or(String::new(), text)).collect::<Vec<_>>().join("|")
        }
        other => text(other),
    }
}

/// Drops random members of `v` (deeply), keeping apiVersion and kind.
fn prune(g: &mut Gen, v: &Value) -> Value {
    fn walk(g: &mut Gen, v: &Value, depth: usize) -> Value {
        match v {
            Value::Object(m) => {
                let mut out = Map::new();
                for (k, c) in m {
                    if depth == 0 && (k == "apiVersion" || k == "kind") {
                        out.insert(k.clone(), c.clone());
                    } else if !g.chance(3) {
                        out.insert(k.clone(), walk(g, c, depth + 1));
                    }
                }
                Value::Object(out)
            }
            other => other.clone(),
        }
    }
    walk(g, v, 0)
}

/// What the request path does to a body before tracking.
fn decoded(gvk: Gvk<'_>, mut obj: Value) -> Value {
    crate::schema::normalize(gvk.group, gvk.version, gvk.kind, &mut obj);
    crate::schema::fill_defaults(gvk.group, gvk.version, gvk.kind, &mut obj);
    crate::defaults::apply_defaults(gvk.group, gvk.version, gvk.kind, &mut obj);
    obj
}

const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";
const MANAGERS: &[&str] = &["kubectl", "kubectl-client-side-apply", "m", "hpa", "", "kube-controller-manager"];
const SUBRESOURCES: &[&str] = &["", "", "", "status", "scale"];
const TIMES: &[&str] = &[
    "2024-01-01T00:00:00Z",
    "2024-01-01T00:01:00.5Z",
    "2024-01-01T02:00:00+02:00",
    "2024-01-01T00:00:00Z",
    "2024-01-01T00:03:00Z",
    "2024-01-01T00:00:00Z",
    "2024-01-01T00:01:00.5Z",
    "2024-01-01T02:00:00+02:00",
    "2024-01-01T00:00:00Z",
    "2024-01-01T00:03:00Z",
    "garbage",
];

fn with_uid(mut v: Value) -> Value {
    if let Some(Value::Object(meta)) = v.get_mut("metadata") {
        meta.insert("uid".into(), json!("6f1d4b0e-0000-4000-8000-000000000001"));
    }
    v
}

/// One object through a random sequence of creates, updates and applies by several managers.
fn scenario(g: &mut Gen, gvk: Gvk<'_>) -> (usize, usize) {
    let (mut tracked, mut applied) = (0, 0);
    let mut live: Option<Value> = None;
    for step in 0..1 + g.r.below(6) {
        let manager = g.r.pick(MANAGERS);
        let sub = g.r.pick(SUBRESOURCES);
        let now = g.r.pick(TIMES);
        if g.chance(2) {
            let new = match &live {
                Some(l) => g.edited(l, gvk),
                None => {
                    let mut o = g.object(gvk);
                    if g.chance(6) {
                        o["metadata"]["managedFields"] = tests_fuzz::managed_fields(&mut g.r);
                    }
                    o
                }
            };
            let old = if g.chance(12) { None } else { live.as_ref() };
            let (res, out) = check_track(gvk, old, &new, manager, sub, now);
            if res.is_ok() {
                tracked += 1;
                live = Some(with_uid(out));
            }
        } else {
            let config = g.config(gvk, live.as_ref());
            let force = g.chance(2);
            let target = if step > 0 && g.chance(10) { None } else { live.as_ref() };
            if let Ok(out) = check_apply(gvk, target, &config, manager, force, sub, now) {
                applied += 1;
                live = Some(with_uid(out));
            }
        }
    }
    (tracked, applied)
}

const KINDS: &[Gvk<'static>] = &[
    Gvk { group: "", version: "v1", kind: "Pod" },
    Gvk { group: "apps", version: "v1", kind: "Deployment" },
    Gvk { group: "", version: "v1", kind: "Service" },
    Gvk { group: "", version: "v1", kind: "ConfigMap" },
    Gvk { group: "example.com", version: "v1", kind: "Widget" },
];

#[test]
fn optimized_paths_match_the_reference_implementation() {
    let mut g = Gen { r: rng(0x51_7cc1_b727_220a), clean: false };
    let (mut tracked, mut applied) = (0, 0);
    for i in 0..iterations() {
        let (t, a) = scenario(&mut g, KINDS[i % KINDS.len()]);
        tracked += t;
        applied += a;
    }
    assert!(tracked > 1000 && applied > 300, "too few writes went through: {tracked} tracked, {applied} applied");
}

#[test]
fn creates_match_the_reference_implementation() {
    let mut g = Gen { r: rng(0x2545_f491_4f6c_dd1d), clean: false };
    let mut ok = 0;
    for i in 0..iterations() * 2 {
        let gvk = KINDS[i % KINDS.len()];
        let obj = g.object(gvk);
        let manager = g.r.pick(MANAGERS);
        let sub = if g.chance(10) { "status" } else { "" };
        if check_track(gvk, None, &obj, manager, sub, TIMES[0]).0.is_ok() {
            ok += 1;
        }
    }
    assert!(ok > iterations(), "only {ok} creates went through");
}

#[test]
fn junk_objects_match_the_reference_implementation() {
    let mut r = rng(0x9e37_79b9_7f4a_7c15);
    for i in 0..iterations() {
        let gvk = tests_fuzz::KINDS[r.below(tests_fuzz::KINDS.len())];
        let sub = ["", "", "status"][r.below(3)];
        let old = tests_fuzz::object(&mut r, gvk);
        let new = tests_fuzz::object(&mut r, gvk);
        let old_opt = (r.below(4) > 0).then_some(&old);
        let (_, new) = check_track(gvk, old_opt, &new, "m", sub, "2024-01-01T00:00:00Z");
        let config = tests_fuzz::object(&mut r, gvk);
        let manager = ["kubectl", "m", ""][r.below(3)];
        let force = i % 2 == 0;
        if let Ok(out) = check_apply(gvk, Some(&new), &config, manager, force, sub, "2024-01-01T00:00:01Z") {
            let again = tests_fuzz::object(&mut r, gvk);
            let _ = check_apply(gvk, Some(&out), &again, "other", false, sub, "2024-01-01T00:00:02Z");
            let mut next = out.clone();
            if let Value::Object(m) = &mut next {
                m.insert("spec".into(), tests_fuzz::value(&mut r, 2));
            }
            let _ = check_track(gvk, Some(&out), &next, "m2", "", "2024-01-01T00:00:03Z");
        }
        let _ = check_apply(gvk, None, &config, manager, false, sub, "2024-01-01T00:00:04Z");
    }
}

/// Every kind the schema serves, shaped in one pass, against clone + `go_shape`.
#[test]
fn shaped_copies_match_clone_and_go_shape() {
    let mut g = Gen { r: rng(0x0bad_cafe_f00d_d00d), clean: false };
    let kinds: Vec<(String, String)> =
        crate::schema::schema().kinds().into_iter().map(|(av, k, _)| (av.to_string(), k.to_string())).collect();
    for i in 0..iterations() * 4 {
        let gvk = KINDS[i % KINDS.len()];
        let obj = match i % 3 {
            0 => g.object(gvk),
            1 => tests_fuzz::object(&mut g.r, gvk),
            _ => {
                let base = g.object(gvk);
                g.edited(&base, gvk)
            }
        };
        let want = reference::shaped(reference_gvk(gvk), Some(&obj));
        assert_eq!(text(&super::shaped(gvk, Some(&obj))), text(&want), "{obj}");
        assert_eq!(text(&super::shaped(gvk, None)), text(&reference::shaped(reference_gvk(gvk), None)));
    }
    // Every served kind, zero and junk-filled.
    for (av, kind) in &kinds {
        let (group, version) = av.split_once('/').unwrap_or(("", av));
        let gvk = Gvk { group, version, kind };
        assert_eq!(text(&super::shaped(gvk, None)), text(&reference::shaped(reference_gvk(gvk), None)), "{av} {kind}");
        for _ in 0..20 {
            let mut obj = tests_fuzz::object(&mut g.r, gvk);
            if let Some(zero) = reference::shaped(reference_gvk(gvk), None).as_object() {
                // Junk under every top-level field of the kind.
                for k in zero.keys() {
                    if g.chance(2) {
                        obj[k.as_str()] = tests_fuzz::value(&mut g.r, 1);
                    }
                }
            }
            let want = reference::shaped(reference_gvk(gvk), Some(&obj));
            assert_eq!(text(&super::shaped(gvk, Some(&obj))), text(&want), "{av} {kind}: {obj}");
        }
    }
}

/// `schema::normalize` (which `apply` runs on merged objects) against the reference copy:
/// members in any order, unknown members, nulls, junk under every field of every kind.
#[test]
fn normalize_matches_the_reference() {
    let mut g = Gen { r: rng(0x7f4a_7c15_9e37_79b9), clean: false };
    let kinds: Vec<(String, String)> =
        crate::schema::schema().kinds().into_iter().map(|(av, k, _)| (av.to_string(), k.to_string())).collect();
    let check = |gvk: Gvk<'_>, obj: &Value| {
        let mut fast = obj.clone();
        crate::schema::normalize(gvk.group, gvk.version, gvk.kind, &mut fast);
        let mut slow = obj.clone();
        reference::normalize::normalize(gvk.group, gvk.version, gvk.kind, &mut slow);
        assert_eq!(text(&fast), text(&slow), "{obj}");
    };
    for i in 0..iterations() * 4 {
        let gvk = KINDS[i % KINDS.len()];
        let obj = match i % 4 {
            0 => g.object(gvk),
            1 => tests_fuzz::object(&mut g.r, gvk),
            // Go shape: members present, then the zero values of the others.
            2 => super::shaped(gvk, Some(&g.object(gvk))).into_owned(),
            _ => {
                let base = g.object(gvk);
                g.edited(&base, gvk)
            }
        };
        check(gvk, &obj);
    }
    for (av, kind) in &kinds {
        let (group, version) = av.split_once('/').unwrap_or(("", av));
        let gvk = Gvk { group, version, kind };
        let zero = super::shaped(gvk, None).into_owned();
        check(gvk, &zero);
        for _ in 0..20 {
            let mut obj = zero.clone();
            if let Value::Object(m) = &mut obj {
                let keys: Vec<String> = m.keys().cloned().collect();
                for k in keys {
                    match g.r.below(4) {
                        0 => m[&k] = tests_fuzz::value(&mut g.r, 1),
                        1 => {
                            m.remove(&k);
                        }
                        _ => {}
                    }
                }
                m.insert("unknown".into(), json!(1));
            }
            let shuffled = match obj {
                Value::Object(m) => g.shuffle(m),
                other => other,
            };
            check(gvk, &shuffled);
        }
    }
}
