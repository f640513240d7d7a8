//! Object semantics of the REST API against a real etcd.

mod common;

use common::{configmap, pod, Server};
use serde_json::json;

const CM: &str = "/api/v1/namespaces/default/configmaps";
const PODS: &str = "/api/v1/namespaces/default/pods";
const DEPLOYS: &str = "/apis/apps/v1/namespaces/default/deployments";

/// The names of a list's items, in order.
fn names(list: &serde_json::Value) -> Vec<String> {
    let items = list["items"].as_array().expect("items");
    items.iter().map(|i| i["metadata"]["name"].as_str().expect("name").to_string()).collect()
}

fn deployment(name: &str, replicas: i64) -> serde_json::Value {
    json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {"metadata": {"labels": {"app": name}}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}}
        }
    })
}

#[tokio::test]
async fn system_namespaces_and_the_kubernetes_service_exist_from_the_start() {
    let s = Server::start().await;
    let list = s.get("/api/v1/namespaces").await;
    let names: Vec<_> =
        list.body["items"].as_array().expect("items").iter().map(|n| n["metadata"]["name"].clone()).collect();
    for ns in ["default", "kube-system", "kube-public", "kube-node-lease"] {
        assert!(names.contains(&json!(ns)), "{ns} missing from {names:?}");
    }
    let svc = s.get("/api/v1/namespaces/default/services/kubernetes").await;
    assert_eq!(svc.status, 200);
    assert_eq!(svc.body["spec"]["clusterIP"], "10.96.0.1");
    let ep = s.get("/api/v1/namespaces/default/endpoints/kubernetes").await;
    assert_eq!(
        ep.body["subsets"][0]["ports"][0]["port"],
        json!(s.base.rsplit(':').next().and_then(|p| p.parse::<u16>().ok()))
    );
}

#[tokio::test]
async fn create_fills_system_fields_and_refuses_duplicates() {
    let s = Server::start().await;
    let r = s.post(CM, &configmap("a", &[("k", "v")])).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let md = &r.body["metadata"];
    assert!(md["uid"].as_str().is_some_and(|u| u.len() == 36));
    assert!(md["creationTimestamp"].as_str().is_some());
    assert!(md["resourceVersion"].as_str().is_some_and(|rv| rv.parse::<i64>().is_ok()));
    assert_eq!(md["namespace"], "default");
    let again = s.post(CM, &configmap("a", &[])).await;
    assert_eq!(again.status, 409);
    assert_eq!(again.body["reason"], "AlreadyExists");
    assert_eq!(again.body["message"], "configmaps \"a\" already exists");
}

#[tokio::test]
async fn generate_name_makes_a_unique_name_with_a_random_suffix() {
    let s = Server::start().await;
    let body = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"generateName": "cfg-"}});
    let a = s.post(CM, &body).await;
    let b = s.post(CM, &body).await;
    let (na, nb) =
        (a.body["metadata"]["name"].as_str().unwrap_or(""), b.body["metadata"]["name"].as_str().unwrap_or(""));
    assert!(na.starts_with("cfg-") && na.len() == 9, "{na}");
    assert_ne!(na, nb);
}

#[tokio::test]
async fn writes_into_a_missing_namespace_are_not_found() {
    let s = Server::start().await;
    let r = s.post("/api/v1/namespaces/nowhere/configmaps", &configmap("a", &[])).await;
    assert_eq!(r.status, 404);
    assert_eq!(r.body["message"], "namespaces \"nowhere\" not found");
}

#[tokio::test]
async fn a_terminating_namespace_refuses_new_objects() {
    let s = Server::start().await;
    assert_eq!(
        s.post("/api/v1/namespaces", &json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "doomed"}}))
            .await
            .status,
        201
    );
    let del = s.delete("/api/v1/namespaces/doomed").await;
    assert_eq!(del.status, 200);
    assert_eq!(del.body["status"]["phase"], "Terminating");
    let r = s.post("/api/v1/namespaces/doomed/configmaps", &configmap("a", &[])).await;
    assert_eq!(r.status, 403, "{}", r.text);
    assert_eq!(
        r.body["message"],
        "configmaps \"a\" is forbidden: unable to create new content in namespace doomed because it is being terminated"
    );
    assert_eq!(r.body["details"]["causes"][0]["reason"], "NamespaceTerminating");
    let mut generated = configmap("", &[]);
    generated["metadata"]["generateName"] = json!("gen-");
    let r = s.post("/api/v1/namespaces/doomed/configmaps", &generated).await;
    assert_eq!(r.status, 403, "{}", r.text);
    assert!(
        r.body["message"].as_str().is_some_and(|m| m.starts_with("configmaps \"gen-\" is forbidden")),
        "{}",
        r.text
    );
}

#[tokio::test]
async fn the_system_namespaces_cannot_be_deleted() {
    let s = Server::start().await;
    for ns in ["default", "kube-system", "kube-public"] {
        let r = s.delete(&format!("/api/v1/namespaces/{ns}")).await;
        assert_eq!(r.status, 403, "{}", r.text);
        assert_eq!(r.body["reason"], "Forbidden");
        assert_eq!(r.body["message"], format!("namespaces \"{ns}\" is forbidden: this namespace may not be deleted"));
        assert_eq!(r.body["details"]["name"], ns);
        let still = s.get(&format!("/api/v1/namespaces/{ns}")).await;
        assert_eq!(still.body["status"]["phase"], "Active", "{ns} untouched");
    }
    // Namespaces have no collection delete, so nothing can take them in bulk either.
    assert_eq!(s.delete("/api/v1/namespaces").await.status, 405);
    assert_eq!(s.delete("/api/v1/namespaces/default?dryRun=All").await.status, 403);
}

#[tokio::test]
async fn updates_with_a_stale_resource_version_conflict() {
    let s = Server::start().await;
    let created = s.post(CM, &configmap("c", &[("n", "1")])).await;
    let mut first = created.body.clone();
    first["data"]["n"] = json!("2");
    assert_eq!(s.put(&format!("{CM}/c"), &first).await.status, 200);
    let mut stale = created.body.clone();
    stale["data"]["n"] = json!("3");
    let r = s.put(&format!("{CM}/c"), &stale).await;
    assert_eq!(r.status, 409);
    assert_eq!(r.body["reason"], "Conflict");
    assert_eq!(s.get(&format!("{CM}/c")).await.body["data"]["n"], "2");
}

#[tokio::test]
async fn an_update_that_changes_nothing_keeps_the_resource_version() {
    let s = Server::start().await;
    let created = s.post(CM, &configmap("same", &[("a", "b")])).await;
    let r = s.put(&format!("{CM}/same"), &created.body).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["metadata"]["resourceVersion"], created.body["metadata"]["resourceVersion"]);
}

#[tokio::test]
async fn generation_moves_with_spec_changes_only() {
    let s = Server::start().await;
    let d = s.post(DEPLOYS, &deployment("web", 1)).await;
    assert_eq!(d.body["metadata"]["generation"], 1);
    let labelled = s
        .patch(&format!("{DEPLOYS}/web"), "application/merge-patch+json", &json!({"metadata": {"labels": {"x": "y"}}}))
        .await;
    assert_eq!(labelled.body["metadata"]["generation"], 1);
    let scaled =
        s.patch(&format!("{DEPLOYS}/web"), "application/merge-patch+json", &json!({"spec": {"replicas": 3}})).await;
    assert_eq!(scaled.body["metadata"]["generation"], 2);
}

#[tokio::test]
async fn the_main_resource_ignores_status_and_the_status_subresource_ignores_spec() {
    let s = Server::start().await;
    s.post(DEPLOYS, &deployment("st", 1)).await;
    let main = s
        .patch(
            &format!("{DEPLOYS}/st"),
            "application/merge-patch+json",
            &json!({"spec": {"replicas": 2}, "status": {"replicas": 7}}),
        )
        .await;
    assert_eq!(main.body["spec"]["replicas"], 2);
    assert!(main.body["status"].get("replicas").is_none(), "{}", main.body["status"]);
    let status = s
        .patch(
            &format!("{DEPLOYS}/st/status"),
            "application/merge-patch+json",
            &json!({"spec": {"replicas": 9}, "status": {"replicas": 7}}),
        )
        .await;
    assert_eq!(status.status, 200, "{}", status.text);
    assert_eq!(status.body["status"]["replicas"], 7);
    assert_eq!(status.body["spec"]["replicas"], 2);
}

#[tokio::test]
async fn the_scale_subresource_reads_and_writes_replicas() {
    let s = Server::start().await;
    s.post(DEPLOYS, &deployment("sc", 2)).await;
    let scale = s.get(&format!("{DEPLOYS}/sc/scale")).await;
    assert_eq!(scale.body["kind"], "Scale");
    assert_eq!(scale.body["apiVersion"], "autoscaling/v1");
    assert_eq!(scale.body["spec"]["replicas"], 2);
    assert_eq!(scale.body["status"]["selector"], "app=sc");
    let patched = s
        .patch(&format!("{DEPLOYS}/sc/scale"), "application/merge-patch+json", &json!({"spec": {"replicas": 5}}))
        .await;
    assert_eq!(patched.body["spec"]["replicas"], 5);
    assert_eq!(s.get(&format!("{DEPLOYS}/sc")).await.body["spec"]["replicas"], 5);
    let negative = s
        .patch(&format!("{DEPLOYS}/sc/scale"), "application/merge-patch+json", &json!({"spec": {"replicas": -1}}))
        .await;
    assert_eq!(negative.status, 422);
}

#[tokio::test]
async fn binding_assigns_a_pod_once() {
    let s = Server::start().await;
    s.post(PODS, &pod("b", &[])).await;
    let binding = json!({"apiVersion": "v1", "kind": "Binding", "metadata": {"name": "b"}, "target": {"kind": "Node", "name": "n1"}});
    let first = s.post(&format!("{PODS}/b/binding"), &binding).await;
    assert_eq!(first.status, 201, "{}", first.text);
    assert_eq!(s.get(&format!("{PODS}/b")).await.body["spec"]["nodeName"], "n1");
    let second = s.post(&format!("{PODS}/b/binding"), &binding).await;
    assert_eq!(second.status, 409);
}

#[tokio::test]
async fn label_and_field_selectors_filter_lists() {
    let s = Server::start().await;
    s.post(PODS, &pod("a", &[("app", "web"), ("tier", "front")])).await;
    s.post(PODS, &pod("b", &[("app", "web")])).await;
    s.post(PODS, &pod("c", &[("app", "db")])).await;
    let names = |r: &common::Reply| -> Vec<String> {
        r.body["items"]
            .as_array()
            .map(|a| a.iter().filter_map(|p| p["metadata"]["name"].as_str().map(String::from)).collect())
            .unwrap_or_default()
    };
    assert_eq!(names(&s.get(&format!("{PODS}?labelSelector=app%3Dweb")).await), ["a", "b"]);
    assert_eq!(names(&s.get(&format!("{PODS}?labelSelector=app%20in%20(db),!tier")).await), ["c"]);
    assert_eq!(names(&s.get(&format!("{PODS}?fieldSelector=metadata.name%3Db")).await), ["b"]);
    assert_eq!(
        names(&s.get(&format!("{PODS}?fieldSelector=status.phase%3DPending,metadata.name!%3Da")).await),
        ["b", "c"]
    );
    let bad = s.get(&format!("{PODS}?fieldSelector=spec.nope%3Dx")).await;
    assert_eq!(bad.status, 400);
    assert_eq!(bad.body["message"], "field label not supported: spec.nope");
}

#[tokio::test]
async fn lists_page_with_limit_and_continue() {
    let s = Server::start().await;
    for i in 0..7 {
        s.post(CM, &configmap(&format!("cm{i}"), &[])).await;
    }
    let mut seen = Vec::new();
    let mut token = String::new();
    let mut pages = 0;
    loop {
        let path = if token.is_empty() { format!("{CM}?limit=3") } else { format!("{CM}?limit=3&continue={token}") };
        let page = s.get(&path).await;
        assert_eq!(page.status, 200, "{}", page.text);
        pages += 1;
        for item in page.body["items"].as_array().expect("items") {
            seen.push(item["metadata"]["name"].as_str().unwrap_or("").to_string());
        }
        token = page.body["metadata"]["continue"].as_str().unwrap_or("").to_string();
        if pages == 1 {
            assert_eq!(page.body["metadata"]["remainingItemCount"], 4);
        }
        if token.is_empty() {
            break;
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, (0..7).map(|i| format!("cm{i}")).collect::<Vec<_>>());
}

#[tokio::test]
async fn dry_run_persists_nothing() {
    let s = Server::start().await;
    let r = s.post(&format!("{CM}?dryRun=All"), &configmap("dry", &[])).await;
    assert_eq!(r.status, 201);
    assert_eq!(s.get(&format!("{CM}/dry")).await.status, 404);
    s.post(CM, &configmap("wet", &[("a", "1")])).await;
    let p =
        s.patch(&format!("{CM}/wet?dryRun=All"), "application/merge-patch+json", &json!({"data": {"a": "2"}})).await;
    assert_eq!(p.body["data"]["a"], "2");
    assert_eq!(s.get(&format!("{CM}/wet")).await.body["data"]["a"], "1");
    let d = s.delete_with(&format!("{CM}/wet"), &json!({"dryRun": ["All"]})).await;
    assert_eq!(d.status, 200);
    assert_eq!(s.get(&format!("{CM}/wet")).await.status, 200);
}

#[tokio::test]
async fn finalizers_hold_a_deleted_object_until_they_are_removed() {
    let s = Server::start().await;
    let mut cm = configmap("held", &[]);
    cm["metadata"]["finalizers"] = json!(["example.com/hold"]);
    s.post(CM, &cm).await;
    let del = s.delete(&format!("{CM}/held")).await;
    assert_eq!(del.status, 200);
    let held = s.get(&format!("{CM}/held")).await;
    assert!(held.body["metadata"]["deletionTimestamp"].as_str().is_some());
    // Still updatable while it waits.
    let labelled = s
        .patch(&format!("{CM}/held"), "application/merge-patch+json", &json!({"metadata": {"labels": {"a": "b"}}}))
        .await;
    assert_eq!(labelled.status, 200);
    let released = s
        .patch(&format!("{CM}/held"), "application/merge-patch+json", &json!({"metadata": {"finalizers": null}}))
        .await;
    assert_eq!(released.status, 200, "{}", released.text);
    assert_eq!(s.get(&format!("{CM}/held")).await.status, 404);
}

#[tokio::test]
async fn orphan_propagation_is_recorded_as_a_finalizer() {
    let s = Server::start().await;
    s.post(DEPLOYS, &deployment("orph", 1)).await;
    let del = s.delete_with(&format!("{DEPLOYS}/orph"), &json!({"propagationPolicy": "Orphan"})).await;
    assert_eq!(del.status, 200);
    assert_eq!(del.body["metadata"]["finalizers"], json!(["orphan"]));
    let bad = s.delete_with(&format!("{DEPLOYS}/orph"), &json!({"propagationPolicy": "Sometimes"})).await;
    assert_eq!(bad.status, 422);
}

#[tokio::test]
async fn a_bound_pod_is_deleted_gracefully_and_an_unbound_one_at_once() {
    let s = Server::start().await;
    s.post(PODS, &pod("free", &[])).await;
    let gone = s.delete(&format!("{PODS}/free")).await;
    assert_eq!(gone.status, 200);
    assert_eq!(s.get(&format!("{PODS}/free")).await.status, 404);

    let mut bound = pod("bound", &[]);
    bound["spec"]["nodeName"] = json!("n1");
    s.post(PODS, &bound).await;
    let marked = s.delete(&format!("{PODS}/bound")).await;
    assert_eq!(marked.status, 200);
    assert_eq!(marked.body["metadata"]["deletionGracePeriodSeconds"], 30);
    assert!(s.get(&format!("{PODS}/bound")).await.body["metadata"]["deletionTimestamp"].is_string());
    let confirmed = s.delete_with(&format!("{PODS}/bound"), &json!({"gracePeriodSeconds": 0})).await;
    assert_eq!(confirmed.status, 200);
    assert_eq!(s.get(&format!("{PODS}/bound")).await.status, 404);
}

#[tokio::test]
async fn delete_preconditions_must_match() {
    let s = Server::start().await;
    let created = s.post(CM, &configmap("pre", &[])).await;
    let wrong = s.delete_with(&format!("{CM}/pre"), &json!({"preconditions": {"uid": "not-it"}})).await;
    assert_eq!(wrong.status, 409);
    let uid = created.body["metadata"]["uid"].clone();
    let right = s.delete_with(&format!("{CM}/pre"), &json!({"preconditions": {"uid": uid}})).await;
    assert_eq!(right.status, 200);
    assert_eq!(right.body["details"]["uid"], uid);
}

#[tokio::test]
async fn deletecollection_removes_only_what_the_selector_matches() {
    let s = Server::start().await;
    s.post(PODS, &pod("x1", &[("group", "x")])).await;
    s.post(PODS, &pod("x2", &[("group", "x")])).await;
    s.post(PODS, &pod("y1", &[("group", "y")])).await;
    let r = s.delete(&format!("{PODS}?labelSelector=group%3Dx")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let left = s.get(PODS).await;
    let names: Vec<_> =
        left.body["items"].as_array().expect("items").iter().map(|p| p["metadata"]["name"].clone()).collect();
    assert_eq!(names, [json!("y1")]);
}

#[tokio::test]
async fn tables_carry_upstream_columns_and_partial_object_metadata() {
    let s = Server::start().await;
    s.post(PODS, &pod("t", &[("app", "web")])).await;
    let table = s
        .request_with("GET", PODS, &[("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json")], None)
        .await;
    assert_eq!(table.body["kind"], "Table");
    let columns: Vec<_> =
        table.body["columnDefinitions"].as_array().expect("columns").iter().map(|c| c["name"].clone()).collect();
    assert_eq!(columns[..5], [json!("Name"), json!("Ready"), json!("Status"), json!("Restarts"), json!("Age")]);
    let row = &table.body["rows"][0];
    assert_eq!(row["cells"][0], "t");
    assert_eq!(row["cells"][1], "0/1");
    assert_eq!(row["object"]["kind"], "PartialObjectMetadata");
    assert_eq!(row["object"]["metadata"]["labels"]["app"], "web");
}

#[tokio::test]
async fn yaml_goes_in_and_comes_out() {
    let s = Server::start().await;
    let yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: y\ndata:\n  k: v\n";
    let r = s.request("POST", CM, "application/yaml", Some(yaml.as_bytes().to_vec())).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let out = s.request_with("GET", &format!("{CM}/y"), &[("Accept", "application/yaml")], None).await;
    assert!(out.text.contains("kind: ConfigMap") && out.text.contains("k: v"), "{}", out.text);
}

#[tokio::test]
async fn objects_survive_an_apiserver_restart() {
    let mut s = Server::start().await;
    s.post(CM, &configmap("keep", &[("a", "1")])).await;
    s.restart().await;
    assert_eq!(s.get(&format!("{CM}/keep")).await.body["data"]["a"], "1");
}

#[tokio::test]
async fn protobuf_is_served_to_clients_that_prefer_it() {
    let s = Server::start().await;
    s.post(CM, &configmap("pbuf", &[("a", "b")])).await;
    let accept = [("Accept", "application/vnd.kubernetes.protobuf, application/json")];
    let one = s.request_with("GET", &format!("{CM}/pbuf"), &accept, None).await;
    let raw = s.client.get(format!("{}{CM}/pbuf", s.base)).header("Accept", accept[0].1).send().await.expect("get");
    assert_eq!(raw.headers()["content-type"], "application/vnd.kubernetes.protobuf");
    let bytes = raw.bytes().await.expect("body");
    assert!(bytes.starts_with(b"k8s\0"), "{:?}", one.text);
    let decoded = apimachinery::protobuf::decode(&bytes).expect("decodes");
    assert_eq!(decoded["kind"], "ConfigMap");
    assert_eq!(decoded["data"]["a"], "b");
    let list = s.client.get(format!("{}{CM}", s.base)).header("Accept", accept[0].1).send().await.expect("list");
    let list = apimachinery::protobuf::decode(&list.bytes().await.expect("body")).expect("list decodes");
    assert_eq!(list["kind"], "ConfigMapList");
    assert_eq!(list["items"][0]["metadata"]["name"], "pbuf");
}

#[tokio::test]
async fn every_scalable_workload_has_a_scale_subresource() {
    let s = Server::start().await;
    let template = json!({"metadata": {"labels": {"app": "x"}}, "spec": {"containers": [{"name": "c", "image": "i"}]}});
    let bodies = [
        (
            "/apis/apps/v1/namespaces/default/replicasets",
            json!({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "rs"}, "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "x"}}, "template": template}}),
        ),
        (
            "/apis/apps/v1/namespaces/default/statefulsets",
            json!({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "sts"}, "spec": {"replicas": 1, "serviceName": "x", "selector": {"matchLabels": {"app": "x"}}, "template": template}}),
        ),
        (
            "/api/v1/namespaces/default/replicationcontrollers",
            json!({"apiVersion": "v1", "kind": "ReplicationController", "metadata": {"name": "rc"}, "spec": {"replicas": 1, "selector": {"app": "x"}, "template": template}}),
        ),
    ];
    for (path, body) in bodies {
        let created = s.post(path, &body).await;
        assert_eq!(created.status, 201, "{path}: {}", created.text);
        let name = body["metadata"]["name"].as_str().unwrap_or("");
        let scaled = s
            .patch(&format!("{path}/{name}/scale"), "application/merge-patch+json", &json!({"spec": {"replicas": 4}}))
            .await;
        assert_eq!(scaled.status, 200, "{path}: {}", scaled.text);
        assert_eq!(scaled.body["status"]["selector"], "app=x");
        assert_eq!(s.get(&format!("{path}/{name}")).await.body["spec"]["replicas"], 4);
    }
}

#[tokio::test]
async fn metrics_count_requests_by_verb_resource_and_code() {
    let s = Server::start().await;
    s.get(CM).await;
    s.get(&format!("{CM}/missing")).await;
    let metrics = s.get("/metrics").await.text;
    assert!(metrics.contains("apiserver_request_total{"), "{metrics}");
    assert!(metrics.lines().any(|l| l.starts_with("apiserver_request_total")
        && l.contains("verb=\"LIST\"")
        && l.contains("resource=\"configmaps\"")
        && l.contains("code=\"200\"")));
    assert!(metrics
        .lines()
        .any(|l| l.starts_with("apiserver_request_total") && l.contains("verb=\"GET\"") && l.contains("code=\"404\"")));
    assert!(metrics.contains("apiserver_request_duration_seconds_bucket"));
    assert!(metrics.contains("etcd_request_duration_seconds_bucket"));
}

#[tokio::test]
async fn compaction_expires_old_continue_tokens_and_exact_reads() {
    let s = Server::start_with(&["--etcd-compaction-interval=1s"]).await;
    for i in 0..6 {
        s.post(CM, &configmap(&format!("old{i}"), &[])).await;
    }
    let page = s.get(&format!("{CM}?limit=2")).await;
    let token = page.body["metadata"]["continue"].as_str().expect("continue").to_string();
    let rv = page.body["metadata"]["resourceVersion"].as_str().expect("rv").to_string();
    s.post(CM, &configmap("newer", &[])).await;
    // Compaction keeps one interval of history: two intervals later the old revision is gone.
    tokio::time::sleep(std::time::Duration::from_millis(3500)).await;
    s.post(CM, &configmap("newest", &[])).await;
    let mut expired = None;
    for _ in 0..20 {
        let r = s.get(&format!("{CM}?limit=2&continue={token}")).await;
        if r.status == 410 {
            expired = Some(r);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    let expired = expired.expect("the continue token expires after compaction");
    assert_eq!(expired.body["reason"], "Expired");
    // The Status offers a token that continues after the same key at the latest revision.
    let inconsistent = expired.body["metadata"]["continue"].as_str().expect("inconsistent continue token");
    let page2 = s.get(&format!("{CM}?limit=2&continue={inconsistent}")).await;
    assert_eq!(page2.status, 200, "{}", page2.text);
    assert_eq!(names(&page2.body), ["old2", "old3"]);
    assert_eq!(page2.body["metadata"]["remainingItemCount"], 2);
    let latest_rv = page2.body["metadata"]["resourceVersion"].as_str().expect("rv").to_string();
    assert!(latest_rv.parse::<i64>().expect("numeric") > rv.parse::<i64>().expect("numeric"));
    let next = page2.body["metadata"]["continue"].as_str().expect("a new continue token");
    let page3 = s.get(&format!("{CM}?limit=2&continue={next}")).await;
    assert_eq!(names(&page3.body), ["old4", "old5"]);
    assert_eq!(page3.body["metadata"]["resourceVersion"], latest_rv.as_str());
    assert!(page3.body["metadata"].get("continue").is_none(), "{}", page3.text);
    let with_rv = s.get(&format!("{CM}?limit=2&continue={next}&resourceVersion={latest_rv}")).await;
    assert_eq!(with_rv.status, 400, "{}", with_rv.text);
    assert_eq!(with_rv.body["message"], "specifying resource version is not allowed when using continue");
    let exact = s.get(&format!("{CM}?resourceVersion={rv}&resourceVersionMatch=Exact")).await;
    assert_eq!(exact.status, 410, "{}", exact.text);
}

#[tokio::test]
async fn a_dry_run_create_shows_upstreams_defaults_without_a_resource_version() {
    let s = Server::start().await;
    // What `kubectl create deployment web --image=nginx:1.14 --dry-run=server` sends.
    let body = json!({"kind": "Deployment", "apiVersion": "apps/v1",
        "metadata": {"name": "web", "creationTimestamp": null, "labels": {"app": "web"}},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
                 "template": {"metadata": {"creationTimestamp": null, "labels": {"app": "web"}},
                              "spec": {"containers": [{"name": "nginx", "image": "nginx:1.14", "resources": {}}]}},
                 "strategy": {}},
        "status": {}});
    let r = s.post(&format!("{DEPLOYS}?dryRun=All&fieldManager=kubectl-create"), &body).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert!(r.body["metadata"].get("resourceVersion").is_none(), "a dry run stores nothing, so has no version");
    assert_eq!(r.body["metadata"]["generation"], 1);
    let expected_spec = json!({
        "replicas": 1,
        "selector": {"matchLabels": {"app": "web"}},
        "template": {
            "metadata": {"creationTimestamp": null, "labels": {"app": "web"}},
            "spec": {
                "containers": [{"name": "nginx", "image": "nginx:1.14", "resources": {},
                    "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
                    "imagePullPolicy": "IfNotPresent"}],
                "restartPolicy": "Always", "terminationGracePeriodSeconds": 30, "dnsPolicy": "ClusterFirst",
                "securityContext": {}, "schedulerName": "default-scheduler"
            }
        },
        "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}},
        "revisionHistoryLimit": 10,
        "progressDeadlineSeconds": 600
    });
    assert_eq!(r.body["spec"], expected_spec);
    assert_eq!(r.body["status"], json!({}));
    assert_eq!(r.body["metadata"]["managedFields"][0]["manager"], "kubectl-create");
    assert_eq!(s.get(&format!("{DEPLOYS}/web")).await.status, 404);
}

#[tokio::test]
async fn logs_of_a_pod_not_yet_scheduled_are_empty_and_exec_needs_a_host() {
    let s = Server::start().await;
    assert_eq!(s.post(PODS, &pod("one", &[])).await.status, 201);
    let log = s.get(&format!("{PODS}/one/log")).await;
    assert_eq!((log.status, log.text.as_str()), (200, ""), "upstream streams nothing before the pod runs");
    let wrong = s.get(&format!("{PODS}/one/log?container=nope")).await;
    assert_eq!(wrong.status, 400);
    assert_eq!(wrong.body["message"], "container nope is not valid for pod one");
    let mut two = pod("two", &[]);
    two["spec"]["containers"] = json!([{"name": "a", "image": "busybox"}, {"name": "b", "image": "busybox"}]);
    two["spec"]["initContainers"] = json!([{"name": "setup", "image": "busybox"}]);
    assert_eq!(s.post(PODS, &two).await.status, 201);
    let ambiguous = s.get(&format!("{PODS}/two/log")).await;
    assert_eq!(ambiguous.status, 400);
    assert_eq!(ambiguous.body["message"], "a container name must be specified for pod two, choose one of: [setup a b]");
    assert_eq!(s.get(&format!("{PODS}/two/log?container=setup")).await.status, 200);
    let exec = s.post(&format!("{PODS}/one/exec?command=ls"), &json!({})).await;
    assert_eq!(exec.status, 400, "{}", exec.text);
    assert_eq!(exec.body["message"], "pod one does not have a host assigned");
}
