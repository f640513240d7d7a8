//! An in-process kube-apiserver on a free port against a real etcd, and a small JSON
//! client for driving it.

#![allow(dead_code)]

use std::time::Duration;

use apiserver::config::Config;
use clap::Parser;
use serde_json::Value;
use test_support::{free_port, EtcdServer};
use tokio::sync::oneshot;

pub struct Server {
    pub etcd: EtcdServer,
    pub base: String,
    pub client: reqwest::Client,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
    args: Vec<String>,
    port: u16,
}

pub struct Reply {
    pub status: u16,
    pub body: Value,
    pub text: String,
    pub headers: reqwest::header::HeaderMap,
}

impl Server {
    pub async fn start() -> Server {
        Server::start_with(&[]).await
    }

    pub async fn start_with(extra: &[&str]) -> Server {
        let etcd = EtcdServer::start();
        let port = free_port();
        let mut server = Server {
            base: format!("http://127.0.0.1:{port}"),
            client: reqwest::Client::builder().pool_max_idle_per_host(0).build().expect("client"),
            etcd,
            stop: None,
            task: None,
            args: extra.iter().map(|s| s.to_string()).collect(),
            port,
        };
        server.launch().await;
        server
    }

    async fn launch(&mut self) {
        let mut args = vec![
            "kube-apiserver".to_string(),
            format!("--etcd-servers={}", self.etcd.endpoint()),
            format!("--secure-port={}", self.port),
        ];
        args.extend(self.args.iter().cloned());
        let config = Config::try_parse_from(args).expect("flags");
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let _ = apiserver::run(config, async move {
                let _ = rx.await;
            })
            .await;
        });
        self.stop = Some(tx);
        self.task = Some(task);
        self.wait_ready().await;
    }

    pub async fn wait_ready(&self) {
        for _ in 0..300 {
            if let Ok(r) = self.client.get(format!("{}/readyz", self.base)).send().await {
                if r.status().as_u16() == 200 {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("apiserver did not become ready");
    }

    /// Stops the server and starts it again on the same port and etcd.
    pub async fn restart(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
        self.launch().await;
    }

    pub async fn request(&self, method: &str, path: &str, content_type: &str, body: Option<Vec<u8>>) -> Reply {
        self.request_with(method, path, &[("Content-Type", content_type)], body).await
    }

    pub async fn request_with(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<Vec<u8>>,
    ) -> Reply {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut req = self.client.request(method, format!("{}{}", self.base, path));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(b) = body {
            req = req.body(b);
        }
        let resp = req.send().await.expect("request sent");
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let text = resp.text().await.unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply { status, body, text, headers }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.request("GET", path, "application/json", None).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Reply {
        self.request("POST", path, "application/json", Some(body.to_string().into_bytes())).await
    }

    pub async fn put(&self, path: &str, body: &Value) -> Reply {
        self.request("PUT", path, "application/json", Some(body.to_string().into_bytes())).await
    }

    pub async fn patch(&self, path: &str, content_type: &str, body: &Value) -> Reply {
        self.request("PATCH", path, content_type, Some(body.to_string().into_bytes())).await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.request("DELETE", path, "application/json", None).await
    }

    pub async fn delete_with(&self, path: &str, options: &Value) -> Reply {
        self.request("DELETE", path, "application/json", Some(options.to_string().into_bytes())).await
    }

    /// Opens a watch and returns a reader of its events.
    pub async fn watch(&self, path: &str) -> Watch {
        let resp = self.client.get(format!("{}{}", self.base, path)).send().await.expect("watch");
        assert_eq!(resp.status().as_u16(), 200, "watch {path}");
        Watch { resp, buf: Vec::new() }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Reads newline-delimited watch events.
pub struct Watch {
    resp: reqwest::Response,
    buf: Vec<u8>,
}

impl Watch {
    pub fn from_response(resp: reqwest::Response) -> Watch {
        Watch { resp, buf: Vec::new() }
    }

    /// The next event, or None when the stream ends or `timeout` passes.
    pub async fn next(&mut self, timeout: Duration) -> Option<Value> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            if let Some(pos) = self.buf.iter().position(|b| *b == b'\n') {
                let line: Vec<u8> = self.buf.drain(..=pos).collect();
                return serde_json::from_slice(&line).ok();
            }
            let chunk = tokio::time::timeout_at(deadline, self.resp.chunk()).await.ok()?.ok()??;
            self.buf.extend_from_slice(&chunk);
        }
    }
}

pub fn configmap(name: &str, data: &[(&str, &str)]) -> Value {
    let data: serde_json::Map<String, Value> =
        data.iter().map(|(k, v)| (k.to_string(), Value::String(v.to_string()))).collect();
    serde_json::json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": data})
}

pub fn pod(name: &str, labels: &[(&str, &str)]) -> Value {
    let labels: serde_json::Map<String, Value> =
        labels.iter().map(|(k, v)| (k.to_string(), Value::String(v.to_string()))).collect();
    serde_json::json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "labels": labels},
        "spec": {"containers": [{"name": "c", "image": "busybox"}]}
    })
}
