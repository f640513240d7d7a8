//! /healthz, /livez and /readyz with upstream's check-list output.

use std::time::Duration;

use crate::response::{bytes_response, HttpResponse};
use crate::server::State;

struct Check {
    name: &'static str,
    ok: bool,
}

async fn etcd_ok(state: &State) -> bool {
    matches!(tokio::time::timeout(Duration::from_secs(2), state.api.etcd.current_revision()).await, Ok(Ok(_)))
}

/// Answers a health endpoint. `path` is `/readyz`, `/livez`, `/healthz` or a single
/// check below one of them (`/readyz/etcd`).
pub async fn answer(state: &State, path: &str, verbose: bool) -> HttpResponse {
    let (endpoint, only) = match path.trim_start_matches('/').split_once('/') {
        Some((e, check)) => (e, Some(check)),
        None => (path.trim_start_matches('/'), None),
    };
    let mut checks = vec![Check { name: "ping", ok: true }, Check { name: "log", ok: true }];
    checks.push(Check { name: "etcd", ok: etcd_ok(state).await });
    if endpoint == "readyz" {
        checks.push(Check { name: "informer-sync", ok: state.api.cache.is_loaded() });
        checks.push(Check { name: "poststarthook/bootstrap-controller", ok: state.bootstrapped() });
        checks.push(Check { name: "shutdown", ok: !state.shutting_down() });
    }
    if let Some(name) = only {
        return match checks.iter().find(|c| c.name == name) {
            Some(c) if c.ok => bytes_response(200, "text/plain; charset=utf-8", "ok"),
            Some(c) => {
                bytes_response(500, "text/plain; charset=utf-8", format!("[-]{} failed: reason withheld\n", c.name))
            }
            None => bytes_response(404, "text/plain; charset=utf-8", "404 page not found\n"),
        };
    }
    let healthy = checks.iter().all(|c| c.ok);
    if healthy && !verbose {
        return bytes_response(200, "text/plain; charset=utf-8", "ok");
    }
    let mut text = String::new();
    for c in &checks {
        if c.ok {
            text.push_str(&format!("[+]{} ok\n", c.name));
        } else {
            text.push_str(&format!("[-]{} failed: reason withheld\n", c.name));
        }
    }
    text.push_str(&format!("{endpoint} check {}\n", if healthy { "passed" } else { "failed" }));
    bytes_response(if healthy { 200 } else { 500 }, "text/plain; charset=utf-8", text)
}
