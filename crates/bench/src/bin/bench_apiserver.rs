//! bench-apiserver: the apiserver's figures, each beside a baseline measured in the same run
//! on the same etcd (raw etcd puts, raw etcd range reads).

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bench::{cpu_time, percentile, pod_json, print_report, rss_bytes, Figure, RawBytes};
use futures::StreamExt;
use storage::{CacheConfig, Etcd, EtcdConfig, WatchCache};
use test_support::{free_port, http_get, EtcdServer};

const POD_BYTES: usize = 2048;
const CONCURRENCY: usize = 32;
const PODS: usize = 10_000;
const WATCHERS: usize = 1_000;
const UPDATES: usize = 100;
const LIST_ROUNDS: usize = 5;
const WRITES: usize = 3_000;

/// A Deployment as a client writes it (the same body serves update and apply).
fn deployment_json(index: usize, image: &str, replicas: i64) -> serde_json::Value {
    serde_json::json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": format!("web-{index}"), "namespace": "bench-writes", "labels": {"app": "web"}},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": format!("web-{index}")}},
            "template": {
                "metadata": {"labels": {"app": format!("web-{index}")}},
                "spec": {"containers": [{"name": "web", "image": image, "ports": [{"containerPort": 80}],
                          "env": [{"name": "MODE", "value": "bench"}]}]}
            }
        }
    })
}

fn apiserver_binary() -> std::path::PathBuf {
    let dir = std::env::var_os("KUBERUST_BIN_DIR")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::current_exe().ok().and_then(|p| p.parent().map(|d| d.to_path_buf())))
        .unwrap_or_default();
    let path = dir.join("kube-apiserver");
    assert!(path.is_file(), "{} is missing: run `cargo build --release --bins` first", path.display());
    path
}

struct ApiServer {
    child: Child,
    url: String,
}

impl Drop for ApiServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_apiserver(etcd: &EtcdServer) -> ApiServer {
    let port = free_port();
    let child = Command::new(apiserver_binary())
        .arg(format!("--etcd-servers={}", etcd.endpoint()))
        .arg(format!("--secure-port={port}"))
        .arg("--max-requests-inflight=0")
        .arg("--max-mutating-requests-inflight=0")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start kube-apiserver");
    test_support::wait_until(Duration::from_secs(60), "kube-apiserver /readyz", || {
        matches!(http_get(port, "/readyz"), Some((200, _)))
    });
    ApiServer { child, url: format!("http://127.0.0.1:{port}") }
}

/// Runs `total` operations over `CONCURRENCY` workers; returns operations per second.
async fn throughput<F, Fut>(total: usize, op: F) -> f64
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let op = Arc::new(op);
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..CONCURRENCY {
        let (op, next) = (op.clone(), next.clone());
        workers.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= total {
                    break;
                }
                op(i).await;
            }
        }));
    }
    for w in workers {
        w.await.expect("worker");
    }
    total as f64 / started.elapsed().as_secs_f64()
}

async fn create_namespace(client: &reqwest::Client, url: &str, name: &str) {
    let ns = serde_json::json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}});
    let r = client.post(format!("{url}/api/v1/namespaces")).json(&ns).send().await.expect("create namespace");
    assert!(r.status().is_success(), "namespace {name}: {}", r.status());
}

#[tokio::main]
async fn main() {
    // etcd runs as `make up` runs it (see hack/local-up.sh); every baseline uses the same etcd.
    let etcd_args: Vec<String> = std::env::var("KUBERUST_ETCD_ARGS")
        .unwrap_or_else(|_| "--backend-batch-interval=10ms".into())
        .split_whitespace()
        .map(String::from)
        .collect();
    let etcd_args: Vec<&str> = etcd_args.iter().map(String::as_str).collect();
    let etcd_server = EtcdServer::start_with(&etcd_args);
    let etcd = Etcd::connect(&EtcdConfig { endpoints: vec![etcd_server.endpoint()], ..Default::default() })
        .await
        .expect("etcd");
    let server = start_apiserver(&etcd_server);
    let pid = server.child.id();
    let client = reqwest::Client::builder().pool_max_idle_per_host(CONCURRENCY * 2).build().expect("client");
    create_namespace(&client, &server.url, "bench").await;
    create_namespace(&client, &server.url, "bench-watch").await;
    let mut figures = Vec::new();

    // 1. Create throughput: raw etcd puts of the same bytes vs creates through the apiserver.
    let etcd_pid = etcd_server.pid().unwrap_or(0);
    let cpu = |pid: u32| cpu_time(pid).unwrap_or_default();
    let sample = pod_json("bench", "sample", POD_BYTES).to_string().into_bytes();
    let etcd_cpu_before = cpu(etcd_pid);
    let raw_etcd = etcd.clone();
    let raw_rate = throughput(PODS, move |i| {
        let (etcd, value) = (raw_etcd.clone(), sample.clone());
        async move {
            etcd.put(&format!("/bench-raw/pods/bench/pod-{i}"), value).await.expect("raw put");
        }
    })
    .await;
    let raw_etcd_cpu = cpu(etcd_pid) - etcd_cpu_before;
    // A second baseline: the conditional create (a transaction) any correct server must
    // use, so the figure separates etcd's own cost of a create from ours.
    let txn_etcd = etcd.clone();
    let txn_sample = pod_json("bench", "sample", POD_BYTES).to_string().into_bytes();
    let etcd_cpu_before = cpu(etcd_pid);
    let txn_rate = throughput(PODS, move |i| {
        let (etcd, value) = (txn_etcd.clone(), txn_sample.clone());
        async move {
            etcd.create(&format!("/bench-raw-txn/pods/bench/pod-{i}"), value).await.expect("raw create");
        }
    })
    .await;
    let txn_etcd_cpu = cpu(etcd_pid) - etcd_cpu_before;
    // A third: the same conditional creates while a watch cache follows the keys, as the
    // apiserver's does. No correct apiserver with a watch cache can beat this figure.
    let watched_cache = WatchCache::start(
        etcd.clone(),
        vec!["/bench-watched/pods/".into()],
        Arc::new(RawBytes),
        CacheConfig { root: "/bench-watched/".into(), ..Default::default() },
    );
    watched_cache.wait_fresh(Duration::from_secs(30)).await.expect("bench watch cache");
    let watched_etcd = etcd.clone();
    let watched_sample = pod_json("bench", "sample", POD_BYTES).to_string().into_bytes();
    let etcd_cpu_before = cpu(etcd_pid);
    let watched_rate = throughput(PODS, move |i| {
        let (etcd, value) = (watched_etcd.clone(), watched_sample.clone());
        async move {
            etcd.create(&format!("/bench-watched/pods/bench/pod-{i}"), value).await.expect("raw create");
        }
    })
    .await;
    let watched_etcd_cpu = cpu(etcd_pid) - etcd_cpu_before;
    drop(watched_cache);
    let (etcd_cpu_before, api_cpu_before) = (cpu(etcd_pid), cpu(pid));
    let (c, url) = (client.clone(), server.url.clone());
    // Bodies come from a template so the client spends no CPU the server needs.
    let template = Arc::new(pod_json("bench", "NAME_PLACEHOLDER", POD_BYTES).to_string());
    let api_rate = throughput(PODS, move |i| {
        let (client, url, template) = (c.clone(), url.clone(), template.clone());
        async move {
            let body = template.replacen("NAME_PLACEHOLDER", &format!("pod-{i}"), 1);
            let r = client
                .post(format!("{url}/api/v1/namespaces/bench/pods"))
                .header("Content-Type", "application/json")
                .body(body)
                .send()
                .await
                .expect("create");
            assert_eq!(r.status().as_u16(), 201, "create pod-{i}");
        }
    })
    .await;
    let (etcd_cpu, api_cpu) = (cpu(etcd_pid) - etcd_cpu_before, cpu(pid) - api_cpu_before);
    let per_op = |d: Duration| format!("{:.0} us", d.as_secs_f64() * 1e6 / PODS as f64);
    let ratio = api_rate / raw_rate;
    figures.push(Figure {
        name: format!("create {POD_BYTES}B pods, {CONCURRENCY} clients"),
        ours: format!("{api_rate:.0}/s"),
        baseline: format!("{raw_rate:.0}/s etcd"),
        ratio: Some(ratio),
        target: ">= 0.70".into(),
        met: ratio >= 0.7,
    });
    figures.push(Figure {
        name: "  vs raw etcd conditional creates (txn)".into(),
        ours: format!("{api_rate:.0}/s"),
        baseline: format!("{txn_rate:.0}/s etcd txn"),
        ratio: Some(api_rate / txn_rate),
        target: "(informative)".into(),
        met: true,
    });
    figures.push(Figure {
        name: "  vs raw etcd txn creates + a watch cache".into(),
        ours: format!("{api_rate:.0}/s"),
        baseline: format!("{watched_rate:.0}/s etcd txn+w"),
        ratio: Some(api_rate / watched_rate),
        target: "(informative)".into(),
        met: true,
    });
    figures.push(Figure {
        name: "  best possible vs raw puts (txn+watch/put)".into(),
        ours: format!("{:.2}", watched_rate / raw_rate),
        baseline: "-".into(),
        ratio: None,
        target: "(informative)".into(),
        met: true,
    });
    figures.push(Figure {
        name: "  etcd CPU per op: put / txn / txn+w / api".into(),
        ours: per_op(etcd_cpu),
        baseline: format!("{} / {} / {}", per_op(raw_etcd_cpu), per_op(txn_etcd_cpu), per_op(watched_etcd_cpu)),
        ratio: None,
        target: "-".into(),
        met: true,
    });
    figures.push(Figure {
        name: "  kube-apiserver CPU per create".into(),
        ours: per_op(api_cpu),
        baseline: "-".into(),
        ratio: None,
        target: "-".into(),
        met: true,
    });

    // 2. LIST of every pod from the watch cache vs a raw etcd range read of the same keys.
    let mut etcd_times = Vec::new();
    let mut api_times = Vec::new();
    for _ in 0..LIST_ROUNDS {
        let started = Instant::now();
        let page = etcd.range("/registry/pods/bench/", "", 0, 0).await.expect("range");
        assert_eq!(page.kvs.len(), PODS);
        etcd_times.push(started.elapsed());
        let started = Instant::now();
        let body = client
            .get(format!("{}/api/v1/namespaces/bench/pods?resourceVersion=0", server.url))
            .send()
            .await
            .expect("list")
            .bytes()
            .await
            .expect("list body");
        api_times.push(started.elapsed());
        assert!(body.len() > PODS * POD_BYTES / 2);
    }
    let (etcd_list, api_list) = (percentile(&mut etcd_times, 50.0), percentile(&mut api_times, 50.0));
    let ratio = api_list.as_secs_f64() / etcd_list.as_secs_f64();
    figures.push(Figure {
        name: format!("LIST {PODS} pods (median of {LIST_ROUNDS})"),
        ours: format!("{:.1} ms", api_list.as_secs_f64() * 1e3),
        baseline: format!("{:.1} ms etcd", etcd_list.as_secs_f64() * 1e3),
        ratio: Some(ratio),
        target: "<= 0.50".into(),
        met: ratio <= 0.5,
    });

    // 3. RSS with every pod in the watch cache.
    let rss = rss_bytes(pid).unwrap_or(0) as f64 / (1024.0 * 1024.0);
    figures.push(Figure {
        name: format!("apiserver RSS holding {PODS} pods"),
        ours: format!("{rss:.0} MiB"),
        baseline: "-".into(),
        ratio: None,
        target: "<= 300 MiB".into(),
        met: rss <= 300.0,
    });

    // 4. Watch fan-out: many watchers on one namespace, a pod updated repeatedly.
    let watch_url = format!("{}/api/v1/namespaces/bench-watch/pods?watch=1", server.url);
    let target = pod_json("bench-watch", "target", POD_BYTES);
    let created = client
        .post(format!("{}/api/v1/namespaces/bench-watch/pods", server.url))
        .json(&target)
        .send()
        .await
        .expect("create target");
    assert_eq!(created.status().as_u16(), 201);
    let watch_client = reqwest::Client::builder().pool_max_idle_per_host(0).build().expect("client");
    let sent_at: Arc<std::sync::Mutex<Vec<Option<Instant>>>> = Arc::new(std::sync::Mutex::new(vec![None; UPDATES]));
    let (ready_tx, mut ready_rx) = tokio::sync::mpsc::channel::<()>(WATCHERS);
    let mut watchers = Vec::new();
    let rv = created.json::<serde_json::Value>().await.expect("json")["metadata"]["resourceVersion"]
        .as_str()
        .unwrap_or("0")
        .to_string();
    for _ in 0..WATCHERS {
        let (client, url, ready, rv) = (watch_client.clone(), watch_url.clone(), ready_tx.clone(), rv.clone());
        watchers.push(tokio::spawn(async move {
            let resp = client.get(format!("{url}&resourceVersion={rv}")).send().await.expect("watch");
            let _ = ready.send(()).await;
            let mut stream = resp.bytes_stream();
            let mut buf = Vec::new();
            let mut received = Vec::with_capacity(UPDATES);
            while received.len() < UPDATES {
                let Some(Ok(chunk)) = stream.next().await else { break };
                buf.extend_from_slice(&chunk);
                while let Some(pos) = buf.iter().position(|b| *b == b'\n') {
                    let line: Vec<u8> = buf.drain(..=pos).collect();
                    let at = Instant::now();
                    let event: serde_json::Value = serde_json::from_slice(&line).unwrap_or_default();
                    if let Some(seq) = event["object"]["metadata"]["annotations"]["bench/seq"]
                        .as_str()
                        .and_then(|s| s.parse::<usize>().ok())
                    {
                        received.push((seq, at));
                    }
                }
            }
            received
        }));
    }
    for _ in 0..WATCHERS {
        ready_rx.recv().await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    for seq in 0..UPDATES {
        let patch = serde_json::json!({"metadata": {"annotations": {"bench/seq": seq.to_string()}}});
        if let Ok(mut sent) = sent_at.lock() {
            sent[seq] = Some(Instant::now());
        }
        let r = client
            .patch(format!("{}/api/v1/namespaces/bench-watch/pods/target", server.url))
            .header("Content-Type", "application/merge-patch+json")
            .body(patch.to_string())
            .send()
            .await
            .expect("update");
        assert_eq!(r.status().as_u16(), 200);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mut latencies = Vec::new();
    let mut complete = 0;
    for w in watchers {
        let received =
            tokio::time::timeout(Duration::from_secs(30), w).await.ok().and_then(|r| r.ok()).unwrap_or_default();
        if received.len() == UPDATES {
            complete += 1;
        }
        let sent = sent_at.lock().map(|s| s.clone()).unwrap_or_default();
        for (seq, at) in received {
            if let Some(Some(t)) = sent.get(seq) {
                latencies.push(at.saturating_duration_since(*t));
            }
        }
    }
    let (p50, p99) = (percentile(&mut latencies, 50.0), percentile(&mut latencies, 99.0));
    figures.push(Figure {
        name: format!("watch delivery, {WATCHERS} watchers x {UPDATES} updates"),
        ours: format!("p50 {:.1} ms", p50.as_secs_f64() * 1e3),
        baseline: format!("{complete}/{WATCHERS} complete"),
        ratio: None,
        target: "p99 <= 100 ms".into(),
        met: p99 <= Duration::from_millis(100) && complete == WATCHERS,
    });
    figures.push(Figure {
        name: "  p99".into(),
        ours: format!("p99 {:.1} ms", p99.as_secs_f64() * 1e3),
        baseline: "-".into(),
        ratio: None,
        target: "<= 100 ms".into(),
        met: p99 <= Duration::from_millis(100),
    });

    // 5. Write paths on Deployments: plain update vs strategic merge patch vs server-side apply.
    create_namespace(&client, &server.url, "bench-writes").await;
    let deploys = format!("{}/apis/apps/v1/namespaces/bench-writes/deployments", server.url);
    for d in 0..CONCURRENCY {
        let r =
            client.post(&deploys).json(&deployment_json(d, "nginx:1.0", 1)).send().await.expect("create deployment");
        assert_eq!(r.status().as_u16(), 201);
    }
    let (c, url) = (client.clone(), deploys.clone());
    let update_rate = throughput(WRITES, move |i| {
        let (client, url) = (c.clone(), url.clone());
        async move {
            let d = i % CONCURRENCY;
            let body = deployment_json(d, &format!("nginx:1.{i}"), (i % 5 + 1) as i64);
            let r = client.put(format!("{url}/web-{d}")).json(&body).send().await.expect("update");
            assert_eq!(r.status().as_u16(), 200, "update");
        }
    })
    .await;
    let (c, url) = (client.clone(), deploys.clone());
    let smp_rate = throughput(WRITES, move |i| {
        let (client, url) = (c.clone(), url.clone());
        async move {
            let d = i % CONCURRENCY;
            let patch = serde_json::json!({"spec": {"replicas": i % 5 + 1, "template": {"spec": {"$setElementOrder/containers": [{"name": "web"}], "containers": [{"name": "web", "image": format!("nginx:2.{i}")}]}}}});
            let r = client
                .patch(format!("{url}/web-{d}"))
                .header("Content-Type", "application/strategic-merge-patch+json")
                .body(patch.to_string())
                .send()
                .await
                .expect("patch");
            assert_eq!(r.status().as_u16(), 200, "strategic merge patch");
        }
    })
    .await;
    let (c, url) = (client.clone(), deploys.clone());
    let apply_rate = throughput(WRITES, move |i| {
        let (client, url) = (c.clone(), url.clone());
        async move {
            let d = i % CONCURRENCY;
            let config = deployment_json(d, &format!("nginx:3.{i}"), (i % 5 + 1) as i64);
            let r = client
                .patch(format!("{url}/web-{d}?fieldManager=bench&force=true"))
                .header("Content-Type", "application/apply-patch+yaml")
                .body(config.to_string())
                .send()
                .await
                .expect("apply");
            assert_eq!(r.status().as_u16(), 200, "server-side apply");
        }
    })
    .await;
    for (name, rate) in [("strategic merge patch", smp_rate), ("server-side apply", apply_rate)] {
        let ratio = rate / update_rate;
        figures.push(Figure {
            name: format!("{name} on Deployments, {CONCURRENCY} clients"),
            ours: format!("{rate:.0}/s"),
            baseline: format!("{update_rate:.0}/s update"),
            ratio: Some(ratio),
            target: ">= 0.60".into(),
            met: ratio >= 0.6,
        });
    }

    print_report("bench-apiserver (kube-apiserver vs etcd, same machine, same run)", &figures);
}
