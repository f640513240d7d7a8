//! kube-apiserver: the Kubernetes REST + watch API over etcd.
//!
//! See `docs/architecture.md` for the path of one request through these modules.

pub mod allocator;
pub mod api;
pub mod bootstrap;
pub mod config;
pub mod discovery;
pub mod errors;
pub mod fields;
pub mod health;
pub mod metrics;
pub mod negotiate;
pub mod object;
pub mod openapi;
pub mod query;
pub mod registry;
pub mod request;
pub mod response;
pub mod rest;
pub mod server;
pub mod services;
pub mod strategy;
pub mod version;

use std::sync::Arc;
use std::time::Duration;

use storage::{CacheConfig, Etcd, EtcdConfig, WatchCache};

use crate::api::Api;
use crate::config::Config;
use crate::metrics::Metrics;
use crate::object::ObjectDecoder;
use crate::registry::StorageLayout;
use crate::server::State;

/// Builds the server's state: connects to etcd (lazily) and starts the watch cache.
pub async fn build(config: Config) -> Result<Arc<State>, String> {
    let metrics = Arc::new(Metrics::new());
    let etcd_config = EtcdConfig { endpoints: config.etcd_servers.clone(), request_timeout: Duration::from_secs(10) };
    let observer_metrics = metrics.clone();
    let etcd = Etcd::connect(&etcd_config)
        .await
        .map_err(|e| format!("cannot set up the etcd client: {e}"))?
        .with_observer(Arc::new(move |op, took| observer_metrics.observe_etcd(op, took)));
    let layout = Arc::new(StorageLayout::new(&config.etcd_prefix));
    let cache_config =
        CacheConfig { root: layout.root().to_string(), window: config.watch_cache_window, ..Default::default() };
    let decoder = Arc::new(ObjectDecoder { layout: layout.clone() });
    let cache = WatchCache::start(etcd.clone(), layout.prefixes(), decoder, cache_config);
    let services =
        Arc::new(services::ServiceAllocators::new(&config.service_cluster_ip_range, &config.service_node_port_range)?);
    let api = Arc::new(Api { etcd, cache, layout, config: Arc::new(config), metrics, services });
    Ok(Arc::new(State::new(api)))
}

/// Runs the server until `shutdown` resolves.
pub async fn run(config: Config, shutdown: impl std::future::Future<Output = ()>) -> Result<(), String> {
    let addr = std::net::SocketAddr::new(config.bind_address, config.secure_port);
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let compaction = config.etcd_compaction_interval;
    let state = build(config).await?;
    tracing::info!(%addr, "serving (plain HTTP until TLS is configured)");
    let boot_state = state.clone();
    tokio::spawn(bootstrap::run(state.api.clone(), Duration::from_secs(10), move || boot_state.set_bootstrapped()));
    tokio::spawn(bootstrap::compact(state.api.clone(), compaction));
    server::serve(state, listener, shutdown).await;
    Ok(())
}
