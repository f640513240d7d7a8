//! What `apply::track_update` costs per write, for the two writes the apiserver does most:
//! a ~2 KiB Pod created through the server and a Deployment updated by a second manager.
//!
//! Run with `cargo run --release -p apimachinery --example track_update_cost`. Each input goes
//! through the request path the apiserver runs before tracking (`schema::normalize`,
//! `schema::fill_defaults`, `defaults::apply_defaults`); the times printed exclude the clone
//! of the request object each iteration needs. Optional arguments: the iterations per round
//! (4000) and a filter on the case names (`pod`, `update`, `apply`).

use std::hint::black_box;
use std::time::{Duration, Instant};

use apimachinery::apply::{self, Gvk};
use serde_json::{json, Value};

const POD: Gvk<'static> = Gvk { group: "", version: "v1", kind: "Pod" };
const DEPLOYMENT: Gvk<'static> = Gvk { group: "apps", version: "v1", kind: "Deployment" };
const NOW: &str = "2024-05-01T10:00:00Z";
const LATER: &str = "2024-05-01T10:05:00Z";

/// What the request path does to a body before `track_update` sees it.
fn decoded(gvk: Gvk<'_>, mut obj: Value) -> Value {
    apimachinery::schema::normalize(gvk.group, gvk.version, gvk.kind, &mut obj);
    apimachinery::schema::fill_defaults(gvk.group, gvk.version, gvk.kind, &mut obj);
    apimachinery::defaults::apply_defaults(gvk.group, gvk.version, gvk.kind, &mut obj);
    obj
}

fn container(name: &str, image: &str, port: u16) -> Value {
    json!({
        "name": name,
        "image": image,
        "args": ["--port", port.to_string(), "--log-level=info"],
        "ports": [{"name": "http", "containerPort": port}, {"name": "metrics", "containerPort": 9090}],
        "env": [
            {"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
            {"name": "POD_NAMESPACE", "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}},
            {"name": "MODE", "value": "production"}
        ],
        "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"cpu": "500m", "memory": "256Mi"}},
        "volumeMounts": [{"name": "config", "mountPath": "/etc/app"}, {"name": "data", "mountPath": "/var/lib/app"}],
        "readinessProbe": {"httpGet": {"path": "/healthz", "port": port}, "periodSeconds": 5}
    })
}

fn pod() -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": "web-7d4b9c8f6-x2k9p",
            "namespace": "default",
            "labels": {"app": "web", "tier": "frontend", "pod-template-hash": "7d4b9c8f6"},
            "annotations": {"prometheus.io/scrape": "true", "prometheus.io/port": "9090"}
        },
        "spec": {
            "containers": [container("web", "registry.example.com/web:1.25.3", 8080), container("sidecar", "registry.example.com/proxy:2.1", 15001)],
            "volumes": [
                {"name": "config", "configMap": {"name": "web-config"}},
                {"name": "data", "emptyDir": {}}
            ],
            "nodeSelector": {"kubernetes.io/os": "linux"},
            "tolerations": [{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}],
            "serviceAccountName": "web"
        }
    })
}

fn deployment() -> Value {
    json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}},
        "spec": {
            "replicas": 3,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web", "tier": "frontend"}},
                "spec": {"containers": [container("web", "registry.example.com/web:1.25.3", 8080)]}
            }
        }
    })
}

/// Mean time of one `work` call over rounds of `iters`, best round of several.
fn time(iters: u32, mut work: impl FnMut()) -> Duration {
    for _ in 0..iters / 4 {
        work();
    }
    let mut best = Duration::MAX;
    for _ in 0..7 {
        let start = Instant::now();
        for _ in 0..iters {
            work();
        }
        best = best.min(start.elapsed() / iters);
    }
    best
}

fn report(name: &str, bytes: usize, iters: u32, input: &Value, mut track: impl FnMut(&mut Value)) {
    let only = std::env::args().nth(2).unwrap_or_default();
    if !name.to_lowercase().contains(&only.to_lowercase()) {
        return;
    }
    let clone = time(iters, || {
        black_box(input.clone());
    });
    let total = time(iters, || {
        let mut v = input.clone();
        track(&mut v);
        black_box(v);
    });
    let cost = total.saturating_sub(clone);
    println!("{name:<28} {bytes:>6} B  track_update {:>8.2} us  (clone {:>6.2} us)", us(cost), us(clone));
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn main() {
    let iters = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(4000);

    let pod = decoded(POD, pod());
    let pod_bytes = serde_json::to_vec(&pod).map_or(0, |b| b.len());
    report("Pod create", pod_bytes, iters, &pod, |v| {
        if let Err(e) = apply::track_update(POD, None, v, "kubectl-client-side-apply", "", NOW) {
            panic!("pod create: {e:?}");
        }
    });

    let mut created = decoded(DEPLOYMENT, deployment());
    if let Err(e) = apply::track_update(DEPLOYMENT, None, &mut created, "kubectl-create", "", NOW) {
        panic!("deployment create: {e:?}");
    }
    if let Some(meta) = created.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.insert("uid".into(), json!("6f1d4b0e-0000-4000-8000-000000000001"));
        meta.insert("resourceVersion".into(), json!("1001"));
        meta.insert("generation".into(), json!(1));
        meta.insert("creationTimestamp".into(), json!(NOW));
    }
    let mut updated = created.clone();
    updated["spec"]["replicas"] = json!(5);
    updated["spec"]["template"]["spec"]["containers"][0]["image"] = json!("registry.example.com/web:1.26.0");
    updated["metadata"]["labels"]["release"] = json!("canary");
    let updated = decoded(DEPLOYMENT, updated);
    let dep_bytes = serde_json::to_vec(&updated).map_or(0, |b| b.len());
    report("Deployment update", dep_bytes, iters, &updated, |v| {
        if let Err(e) = apply::track_update(DEPLOYMENT, Some(&created), v, "kubectl-edit", "", LATER) {
            panic!("deployment update: {e:?}");
        }
    });

    let mut scaled = created.clone();
    scaled["spec"]["replicas"] = json!(2);
    report("Deployment update (status)", dep_bytes, iters, &scaled, |v| {
        if let Err(e) = apply::track_update(DEPLOYMENT, Some(&created), v, "kube-controller-manager", "status", LATER) {
            panic!("deployment status update: {e:?}");
        }
    });

    let config = json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {"replicas": 4}
    });
    report("Deployment apply", dep_bytes, iters, &created, |v| {
        match apply::apply(DEPLOYMENT, Some(v), &config, "hpa", true, "", LATER) {
            Ok(out) => *v = out,
            Err(e) => panic!("deployment apply: {e:?}"),
        }
    });
}
