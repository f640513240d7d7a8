//! Outages, limits and concurrency.

mod common;

use std::time::Duration;

use common::{configmap, Server};
use serde_json::json;

const CM: &str = "/api/v1/namespaces/default/configmaps";

#[tokio::test]
async fn an_etcd_outage_is_a_503_or_504_and_the_server_recovers_by_itself() {
    let mut s = Server::start().await;
    s.post(CM, &configmap("before", &[])).await;
    s.etcd.stop();
    let write = s.post(CM, &configmap("during", &[])).await;
    assert!(write.status == 503 || write.status == 504, "{} {}", write.status, write.text);
    assert_eq!(write.body["kind"], "Status");
    let read = s.get(&format!("{CM}/before")).await;
    assert!(read.status == 503 || read.status == 504, "{} {}", read.status, read.text);
    let ready = s.get("/readyz").await;
    assert_eq!(ready.status, 500, "{}", ready.text);
    let verbose = s.get("/readyz?verbose").await;
    assert!(verbose.text.contains("[-]etcd failed"), "{}", verbose.text);
    s.etcd.restart();
    let mut recovered = false;
    for _ in 0..100 {
        if s.post(CM, &configmap("after", &[])).await.status == 201 {
            recovered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(recovered, "writes work again once etcd is back");
    s.wait_ready().await;
    let names: Vec<_> = s.get(CM).await.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| c["metadata"]["name"].clone())
        .collect();
    assert_eq!(names, [json!("after"), json!("before")]);
}

#[tokio::test]
async fn requests_past_the_in_flight_limit_get_429_with_retry_after() {
    let s = Server::start_with(&["--max-requests-inflight=1"]).await;
    // A list asking for a revision far in the future holds its slot while it waits.
    let client = s.client.clone();
    let url = format!("{}{CM}?resourceVersion=99999999", s.base);
    let slow = tokio::spawn(async move { client.get(url).send().await.map(|r| r.status().as_u16()) });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let r = s.get(CM).await;
    assert_eq!(r.status, 429, "{}", r.text);
    assert_eq!(r.headers.get("retry-after").and_then(|v| v.to_str().ok()), Some("1"));
    assert_eq!(r.body["reason"], "TooManyRequests");
    let slow_status = slow.await.expect("join").expect("sent");
    assert_eq!(slow_status, 504, "a revision that never comes times out");
}

#[tokio::test]
async fn ten_concurrent_creates_of_one_name_make_one_object() {
    let s = Server::start().await;
    let mut tasks = Vec::new();
    for i in 0..10 {
        let client = s.client.clone();
        let url = format!("{}{CM}", s.base);
        let body = configmap("race", &[("writer", &i.to_string())]).to_string();
        tasks.push(tokio::spawn(async move {
            client
                .post(url)
                .header("Content-Type", "application/json")
                .body(body)
                .send()
                .await
                .map(|r| r.status().as_u16())
        }));
    }
    let mut codes = Vec::new();
    for t in tasks {
        codes.push(t.await.expect("join").expect("sent"));
    }
    codes.sort();
    assert_eq!(codes, [201, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
}

#[tokio::test]
async fn concurrent_read_modify_write_loops_lose_no_increment() {
    let s = Server::start().await;
    s.post(CM, &configmap("counter", &[("n", "0")])).await;
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let client = s.client.clone();
        let url = format!("{}{CM}/counter", s.base);
        tasks.push(tokio::spawn(async move {
            let mut done = 0;
            while done < 50 {
                let current: serde_json::Value =
                    client.get(&url).send().await.expect("get").json().await.expect("json");
                let n: i64 = current["data"]["n"].as_str().and_then(|v| v.parse().ok()).expect("number");
                let mut next = current.clone();
                next["data"]["n"] = json!((n + 1).to_string());
                let status = client
                    .put(&url)
                    .header("Content-Type", "application/json")
                    .body(next.to_string())
                    .send()
                    .await
                    .expect("put")
                    .status()
                    .as_u16();
                match status {
                    200 => done += 1,
                    409 => {}
                    other => panic!("unexpected status {other}"),
                }
            }
        }));
    }
    for t in tasks {
        t.await.expect("writer finished");
    }
    assert_eq!(s.get(&format!("{CM}/counter")).await.body["data"]["n"], "1000");
}
