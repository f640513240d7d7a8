//! Prometheus metrics, named as upstream's so existing dashboards and queries work.

use std::sync::Mutex;
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub verb: String,
    pub group: String,
    pub version: String,
    pub resource: String,
    pub subresource: String,
    pub code: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct LatencyLabels {
    pub verb: String,
    pub group: String,
    pub version: String,
    pub resource: String,
    pub subresource: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct WatchLabels {
    pub group: String,
    pub version: String,
    pub kind: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct EtcdLabels {
    pub operation: String,
}

fn latency_histogram() -> Histogram {
    Histogram::new([0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0])
}

pub struct Metrics {
    registry: Mutex<Registry>,
    pub requests: Family<RequestLabels, Counter>,
    pub latency: Family<LatencyLabels, Histogram, fn() -> Histogram>,
    pub watchers: Family<WatchLabels, Gauge>,
    pub watch_events: Family<WatchLabels, Counter>,
    pub etcd_latency: Family<EtcdLabels, Histogram, fn() -> Histogram>,
    pub inflight_readonly: Gauge,
    pub inflight_mutating: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::default();
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<LatencyLabels, Histogram, fn() -> Histogram>::new_with_constructor(latency_histogram);
        let watchers = Family::<WatchLabels, Gauge>::default();
        let watch_events = Family::<WatchLabels, Counter>::default();
        let etcd_latency = Family::<EtcdLabels, Histogram, fn() -> Histogram>::new_with_constructor(latency_histogram);
        let inflight_readonly = Gauge::default();
        let inflight_mutating = Gauge::default();
        registry.register(
            "apiserver_request",
            "Counter of apiserver requests by verb, resource and HTTP code",
            requests.clone(),
        );
        registry.register(
            "apiserver_request_duration_seconds",
            "Response latency distribution in seconds by verb and resource",
            latency.clone(),
        );
        registry.register(
            "apiserver_registered_watchers",
            "Number of currently registered watchers per kind",
            watchers.clone(),
        );
        registry.register("apiserver_watch_events", "Number of events sent to watch clients", watch_events.clone());
        registry.register(
            "etcd_request_duration_seconds",
            "etcd request latency in seconds by operation",
            etcd_latency.clone(),
        );
        registry.register(
            "apiserver_current_inflight_readonly_requests",
            "Non-mutating requests currently being served",
            inflight_readonly.clone(),
        );
        registry.register(
            "apiserver_current_inflight_mutating_requests",
            "Mutating requests currently being served",
            inflight_mutating.clone(),
        );
        Metrics {
            registry: Mutex::new(registry),
            requests,
            latency,
            watchers,
            watch_events,
            etcd_latency,
            inflight_readonly,
            inflight_mutating,
        }
    }

    pub fn observe_etcd(&self, operation: &'static str, took: Duration) {
        self.etcd_latency.get_or_create(&EtcdLabels { operation: operation.to_string() }).observe(took.as_secs_f64());
    }

    /// The text exposition format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let registry = self.registry.lock().unwrap_or_else(|e| e.into_inner());
        if prometheus_client::encoding::text::encode(&mut out, &registry).is_err() {
            out.clear();
        }
        out
    }
}
