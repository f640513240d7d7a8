//! Write semantics of issue 3: server-side apply, managed fields, defaulting and
//! validation through the API, concurrency, and bad write input.

mod common;

use common::{configmap, Server};
use serde_json::{json, Value};

const CM: &str = "/api/v1/namespaces/default/configmaps";
const DEPLOYS: &str = "/apis/apps/v1/namespaces/default/deployments";

fn deployment(name: &str) -> Value {
    json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": name}},
                 "template": {"metadata": {"labels": {"app": name}}, "spec": {"containers": [{"name": "c", "image": "nginx:1.14"}]}}}
    })
}

async fn apply(s: &Server, path: &str, manager: &str, force: bool, body: &Value) -> common::Reply {
    let query = format!("?fieldManager={manager}{}", if force { "&force=true" } else { "" });
    s.request("PATCH", &format!("{path}{query}"), "application/apply-patch+yaml", Some(body.to_string().into_bytes()))
        .await
}

#[tokio::test]
async fn apply_creates_then_updates_and_records_its_manager() {
    let s = Server::start().await;
    let created = apply(&s, &format!("{CM}/a"), "tool", false, &configmap("a", &[("k", "1")])).await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.body["metadata"]["managedFields"][0]["manager"], "tool");
    assert_eq!(created.body["metadata"]["managedFields"][0]["operation"], "Apply");
    let updated = apply(&s, &format!("{CM}/a"), "tool", false, &configmap("a", &[("k", "2")])).await;
    assert_eq!(updated.status, 200, "{}", updated.text);
    assert_eq!(updated.body["data"]["k"], "2");
}

#[tokio::test]
async fn every_write_records_an_update_entry_for_its_manager() {
    let s = Server::start().await;
    let created = s.post(&format!("{CM}?fieldManager=creator"), &configmap("m", &[("a", "1")])).await;
    let entry = &created.body["metadata"]["managedFields"][0];
    assert_eq!(entry["manager"], "creator");
    assert_eq!(entry["operation"], "Update");
    assert_eq!(entry["fieldsV1"]["f:data"]["f:a"], json!({}));
    let patched = s
        .patch(&format!("{CM}/m?fieldManager=patcher"), "application/merge-patch+json", &json!({"data": {"b": "2"}}))
        .await;
    let managers: Vec<_> = patched.body["metadata"]["managedFields"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["manager"].clone())
        .collect();
    assert_eq!(managers, [json!("creator"), json!("patcher")]);
}

#[tokio::test]
async fn concurrent_applies_of_one_field_by_two_managers_conflict_once_and_lose_nothing() {
    let s = Server::start().await;
    apply(&s, &format!("{CM}/c"), "first", false, &configmap("c", &[("shared", "0")])).await;
    // Both managers now race to set the field the first one owns.
    let mut tasks = Vec::new();
    for (manager, value) in [("first", "from-first"), ("second", "from-second")] {
        let client = s.client.clone();
        let url = format!("{}{CM}/c?fieldManager={manager}", s.base);
        let body = configmap("c", &[("shared", value)]).to_string();
        tasks.push(tokio::spawn(async move {
            let r = client
                .patch(url)
                .header("Content-Type", "application/apply-patch+yaml")
                .body(body)
                .send()
                .await
                .expect("sent");
            (manager, r.status().as_u16())
        }));
    }
    let mut results = Vec::new();
    for t in tasks {
        results.push(t.await.expect("join"));
    }
    results.sort();
    assert_eq!(results, [("first", 200), ("second", 409)], "the owner's apply wins, the other conflicts");
    assert_eq!(s.get(&format!("{CM}/c")).await.body["data"]["shared"], "from-first");
}

#[tokio::test]
async fn a_conflict_names_the_manager_and_field_and_force_takes_over() {
    let s = Server::start().await;
    apply(&s, &format!("{DEPLOYS}/web"), "gitops", false, &deployment("web")).await;
    s.patch(
        &format!("{DEPLOYS}/web/scale?fieldManager=autoscaler"),
        "application/merge-patch+json",
        &json!({"spec": {"replicas": 5}}),
    )
    .await;
    let mut again = deployment("web");
    again["spec"]["replicas"] = json!(2);
    let conflict = apply(&s, &format!("{DEPLOYS}/web"), "gitops", false, &again).await;
    assert_eq!(conflict.status, 409, "{}", conflict.text);
    assert_eq!(conflict.body["reason"], "Conflict");
    let cause = &conflict.body["details"]["causes"][0];
    assert_eq!(cause["reason"], "FieldManagerConflict");
    assert_eq!(cause["field"], ".spec.replicas");
    assert!(cause["message"].as_str().unwrap_or("").contains("autoscaler"), "{}", conflict.text);
    let forced = apply(&s, &format!("{DEPLOYS}/web"), "gitops", true, &again).await;
    assert_eq!(forced.status, 200, "{}", forced.text);
    assert_eq!(forced.body["spec"]["replicas"], 2);
}

#[tokio::test]
async fn bad_apply_requests_are_refused_cleanly() {
    let s = Server::start().await;
    let path = format!("{CM}/x");
    let no_manager = s
        .request("PATCH", &path, "application/apply-patch+yaml", Some(configmap("x", &[]).to_string().into_bytes()))
        .await;
    assert_eq!(no_manager.status, 422, "{}", no_manager.text);
    assert!(no_manager.text.contains("fieldManager"));
    let wrong_name = apply(&s, &path, "m", false, &configmap("y", &[])).await;
    assert_eq!(wrong_name.status, 400);
    let wrong_kind =
        apply(&s, &path, "m", false, &json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "x"}})).await;
    assert_eq!(wrong_kind.status, 400);
    let mut garbage = configmap("x", &[]);
    garbage["metadata"]["managedFields"] = json!([{"manager": 5}]);
    let bad_fields = apply(&s, &path, "m", false, &garbage).await;
    assert!(bad_fields.status == 400 || bad_fields.status == 422, "{}", bad_fields.text);
    let not_yaml = s
        .request("PATCH", &format!("{path}?fieldManager=m"), "application/apply-patch+yaml", Some(b"kind: [".to_vec()))
        .await;
    assert_eq!(not_yaml.status, 400);
    let force_elsewhere = s.patch(&format!("{path}?force=true"), "application/merge-patch+json", &json!({})).await;
    assert_eq!(force_elsewhere.status, 422);
    assert_eq!(s.get(&path).await.status, 404, "nothing was created");
}

#[tokio::test]
async fn garbage_managed_fields_on_an_update_are_refused_and_change_nothing() {
    let s = Server::start().await;
    let created = s.post(CM, &configmap("g", &[("a", "1")])).await;
    let mut body = created.body.clone();
    body["metadata"]["managedFields"] = json!("not a list");
    body["data"]["a"] = json!("2");
    let r = s.put(&format!("{CM}/g"), &body).await;
    assert!(r.status == 400 || r.status == 422, "{} {}", r.status, r.text);
    assert_eq!(s.get(&format!("{CM}/g")).await.body["data"]["a"], "1");
}

#[tokio::test]
async fn strategic_merge_patches_with_unknown_directives_are_bad_requests() {
    let s = Server::start().await;
    s.post(DEPLOYS, &deployment("d")).await;
    let before = s.get(&format!("{DEPLOYS}/d")).await.body;
    let r = s
        .patch(
            &format!("{DEPLOYS}/d"),
            "application/strategic-merge-patch+json",
            &json!({"spec": {"template": {"spec": {"containers": [{"name": "c", "$patch": "explode"}]}}}}),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.text);
    let r = s
        .patch(
            &format!("{DEPLOYS}/d"),
            "application/strategic-merge-patch+json",
            &json!({"spec": {"template": {"spec": {"containers": [{"image": "x"}]}}}}),
        )
        .await;
    assert_eq!(r.status, 400, "a list item without its merge key: {}", r.text);
    assert_eq!(s.get(&format!("{DEPLOYS}/d")).await.body, before);
}

#[tokio::test]
async fn patches_that_touch_immutable_fields_are_invalid() {
    let s = Server::start().await;
    s.post(DEPLOYS, &deployment("imm")).await;
    let r = s
        .patch(&format!("{DEPLOYS}/imm"), "application/merge-patch+json", &json!({"spec": {"selector": {"matchLabels": {"app": "other"}}, "template": {"metadata": {"labels": {"app": "other"}}}}}))
        .await;
    assert_eq!(r.status, 422, "{}", r.text);
    assert!(r.text.contains("spec.selector") && r.text.contains("field is immutable"), "{}", r.text);
    let mut cm = configmap("frozen", &[("a", "1")]);
    cm["immutable"] = json!(true);
    s.post(CM, &cm).await;
    let r = s.patch(&format!("{CM}/frozen"), "application/merge-patch+json", &json!({"data": {"a": "2"}})).await;
    assert_eq!(r.status, 422, "{}", r.text);
    assert_eq!(s.get(&format!("{CM}/frozen")).await.body["data"]["a"], "1");
}

#[tokio::test]
async fn validation_reports_every_problem_with_its_path() {
    let s = Server::start().await;
    let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "bad"},
        "spec": {"restartPolicy": "Sometimes", "containers": [
            {"name": "a", "image": "i", "ports": [{"containerPort": 70000}]},
            {"name": "a", "image": ""}]}});
    let r = s.post("/api/v1/namespaces/default/pods", &pod).await;
    assert_eq!(r.status, 422, "{}", r.text);
    let fields: Vec<String> = r.body["details"]["causes"]
        .as_array()
        .expect("causes")
        .iter()
        .map(|c| c["field"].as_str().unwrap_or("").to_string())
        .collect();
    for expected in [
        "spec.restartPolicy",
        "spec.containers[0].ports[0].containerPort",
        "spec.containers[1].name",
        "spec.containers[1].image",
    ] {
        assert!(fields.iter().any(|f| f == expected), "{expected} missing from {fields:?}");
    }
}

#[tokio::test]
async fn eviction_respects_pod_disruption_budgets() {
    let s = Server::start().await;
    let pods = "/api/v1/namespaces/default/pods";
    let pdbs = "/apis/policy/v1/namespaces/default/poddisruptionbudgets";
    let eviction = |name: &str| json!({"apiVersion": "policy/v1", "kind": "Eviction", "metadata": {"name": name}});
    // No budget: the pod simply goes.
    s.post(pods, &common::pod("free", &[("app", "other")])).await;
    let r = s.post(&format!("{pods}/free/eviction"), &eviction("free")).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(s.get(&format!("{pods}/free")).await.status, 404);
    // A running pod guarded by a budget that allows no disruption stays.
    let mut guarded = common::pod("guarded", &[("app", "db")]);
    guarded["spec"]["nodeName"] = json!("n1");
    s.post(pods, &guarded).await;
    s.patch(
        &format!("{pods}/guarded/status"),
        "application/merge-patch+json",
        &json!({"status": {"phase": "Running"}}),
    )
    .await;
    let pdb = json!({"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": "db"},
        "spec": {"minAvailable": 1, "selector": {"matchLabels": {"app": "db"}}}});
    let created = s.post(pdbs, &pdb).await;
    assert_eq!(created.status, 201, "{}", created.text);
    let status = |allowed: i64| json!({"status": {"observedGeneration": 1, "disruptionsAllowed": allowed, "currentHealthy": 1, "desiredHealthy": 1, "expectedPods": 1}});
    s.patch(&format!("{pdbs}/db/status"), "application/merge-patch+json", &status(0)).await;
    let refused = s.post(&format!("{pods}/guarded/eviction"), &eviction("guarded")).await;
    assert_eq!(refused.status, 429, "{}", refused.text);
    assert_eq!(refused.body["details"]["causes"][0]["reason"], "DisruptionBudget");
    assert_eq!(s.get(&format!("{pods}/guarded")).await.status, 200);
    // Once the budget allows one disruption, the eviction takes it.
    s.patch(&format!("{pdbs}/db/status"), "application/merge-patch+json", &status(1)).await;
    let allowed = s.post(&format!("{pods}/guarded/eviction"), &eviction("guarded")).await;
    assert_eq!(allowed.status, 201, "{}", allowed.text);
    let budget = s.get(&format!("{pdbs}/db")).await;
    assert_eq!(budget.body["status"]["disruptionsAllowed"], 0);
    assert!(budget.body["status"]["disruptedPods"]["guarded"].is_string());
    assert!(
        s.get(&format!("{pods}/guarded")).await.body["metadata"]["deletionTimestamp"].is_string(),
        "a bound pod is deleted gracefully"
    );
}
