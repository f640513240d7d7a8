//! Other client libraries against our API: kube-rs (the ecosystem's Rust client, with its
//! watcher and reflector) and the official Python client.

use std::time::Duration;

use futures::StreamExt;
use integration_tests::Cluster;
use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::{Api, DeleteParams, Patch, PatchParams, PostParams};
use kube::runtime::{reflector, watcher, WatchStreamExt};

fn configmap(name: &str, value: &str) -> ConfigMap {
    serde_json::from_value(serde_json::json!({
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": name, "namespace": "default"},
        "data": {"value": value}
    }))
    .expect("configmap")
}

async fn client(url: &str) -> kube::Client {
    let config = kube::Config::new(url.parse().expect("url"));
    kube::Client::try_from(config).expect("kube client")
}

/// Waits until the reflector's store satisfies `check`.
async fn eventually(
    store: &reflector::Store<ConfigMap>,
    what: &str,
    check: impl Fn(&[std::sync::Arc<ConfigMap>]) -> bool,
) {
    for _ in 0..200 {
        if check(&store.state()) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "the reflector never saw {what}: {:?}",
        store.state().iter().map(|c| c.metadata.name.clone()).collect::<Vec<_>>()
    );
}

fn value_of(cms: &[std::sync::Arc<ConfigMap>], name: &str) -> Option<String> {
    cms.iter()
        .find(|c| c.metadata.name.as_deref() == Some(name))
        .and_then(|c| c.data.as_ref().and_then(|d| d.get("value").cloned()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kube_rs_reflector_follows_changes_and_recovers_from_410() {
    let mut cluster = tokio::task::spawn_blocking(Cluster::start).await.expect("cluster");
    let url = cluster.apiserver.url();
    let api: Api<ConfigMap> = Api::namespaced(client(&url).await, "default");
    api.create(&PostParams::default(), &configmap("first", "1")).await.expect("create first");

    let (store, writer) = reflector::store();
    let stream = watcher(api.clone(), watcher::Config::default()).default_backoff().reflect(writer).applied_objects();
    let driver = tokio::spawn(stream.for_each(|_| async {}));

    eventually(&store, "the initial list", |cms| value_of(cms, "first").as_deref() == Some("1")).await;
    api.create(&PostParams::default(), &configmap("second", "2")).await.expect("create second");
    eventually(&store, "an add", |cms| value_of(cms, "second").is_some()).await;
    let patch = serde_json::json!({"data": {"value": "22"}});
    api.patch("second", &PatchParams::default(), &Patch::Merge(&patch)).await.expect("patch");
    eventually(&store, "an update", |cms| value_of(cms, "second").as_deref() == Some("22")).await;
    api.delete("first", &DeleteParams::default()).await.expect("delete");
    eventually(&store, "a delete", |cms| value_of(cms, "first").is_none()).await;

    // Force a 410: while the apiserver is down, history moves on in etcd, so the watcher's
    // resourceVersion is older than anything the restarted server can replay.
    let etcd =
        storage::Etcd::connect(&storage::EtcdConfig { endpoints: vec![cluster.etcd.endpoint()], ..Default::default() })
            .await
            .expect("etcd");
    cluster.apiserver.stop();
    let (stored, _) = etcd.get("/registry/configmaps/default/second").await.expect("read");
    let mut raw: serde_json::Value = serde_json::from_slice(&stored.expect("stored").value).expect("json");
    raw["data"]["value"] = serde_json::json!("written while the server was away");
    etcd.put("/registry/configmaps/default/second", raw.to_string().into_bytes()).await.expect("put");
    let third = serde_json::json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "third", "namespace": "default", "uid": "00000000-0000-0000-0000-000000000003", "creationTimestamp": "2026-01-01T00:00:00Z"}, "data": {"value": "3"}});
    etcd.put("/registry/configmaps/default/third", third.to_string().into_bytes()).await.expect("put");
    let current = etcd.current_revision().await.expect("revision");
    etcd.compact(current).await.expect("compact");
    tokio::task::block_in_place(|| cluster.apiserver.restart());

    eventually(&store, "the state after relisting", |cms| {
        value_of(cms, "third").as_deref() == Some("3")
            && value_of(cms, "second").as_deref() == Some("written while the server was away")
    })
    .await;
    driver.abort();
}

#[test]
fn the_python_client_lists_and_watches_pods() {
    let cluster = Cluster::start();
    let k = cluster.kubectl("kubectl");
    let kubeconfig = k.home().join("kubeconfig");
    let script = r#"
import sys, threading, time
from kubernetes import client, config, watch
config.load_kube_config(config_file=sys.argv[1])
v1 = client.CoreV1Api()
body = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "py1", "labels": {"from": "python"}},
        "spec": {"containers": [{"name": "c", "image": "busybox"}]}}
v1.create_namespaced_pod("default", body)
pods = v1.list_namespaced_pod("default", label_selector="from=python")
print("listed", [p.metadata.name for p in pods.items])
rv = pods.metadata.resource_version
def later():
    time.sleep(1)
    v1.patch_namespaced_pod("py1", "default", {"metadata": {"labels": {"step": "two"}}})
    v1.delete_namespaced_pod("py1", "default")
threading.Thread(target=later).start()
seen = []
for event in watch.Watch().stream(v1.list_namespaced_pod, "default", resource_version=rv, timeout_seconds=10):
    seen.append(event["type"])
    if event["type"] == "DELETED":
        break
print("watched", seen)
"#;
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&kubeconfig)
        .output()
        .expect("python3 must be installed (hack/install-deps.sh installs the kubernetes client)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "python client failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("listed ['py1']"), "{stdout}");
    assert!(stdout.contains("watched ['MODIFIED', 'DELETED']"), "{stdout}");
}
