//! Command-line flags, named and defaulted as upstream's kube-apiserver names them.

use std::net::IpAddr;
use std::time::Duration;

use clap::Parser;

#[derive(Debug, Clone, Parser)]
#[command(name = "kube-apiserver", version, about = "The Kubernetes API server (kuberust)")]
pub struct Config {
    /// etcd servers to connect to (scheme://ip:port), comma separated.
    #[arg(long = "etcd-servers", value_delimiter = ',', default_value = "http://127.0.0.1:2379")]
    pub etcd_servers: Vec<String>,

    /// The prefix to prepend to all resource paths in etcd.
    #[arg(long = "etcd-prefix", default_value = "/registry")]
    pub etcd_prefix: String,

    /// The interval of compaction requests to etcd (Go duration, e.g. 5m; 0 disables).
    #[arg(long = "etcd-compaction-interval", default_value = "5m", value_parser = parse_duration)]
    pub etcd_compaction_interval: Duration,

    /// The IP address to listen on. Plain HTTP is served until TLS lands, so the
    /// default is loopback only.
    #[arg(long = "bind-address", default_value = "127.0.0.1")]
    pub bind_address: IpAddr,

    /// The port to serve on.
    #[arg(long = "secure-port", default_value_t = 6443)]
    pub secure_port: u16,

    /// The address advertised as the `kubernetes` Service's endpoint (defaults to --bind-address).
    #[arg(long = "advertise-address")]
    pub advertise_address: Option<IpAddr>,

    /// CIDR range(s) from which Service cluster IPs are allocated, comma separated.
    #[arg(long = "service-cluster-ip-range", default_value = "10.96.0.0/12")]
    pub service_cluster_ip_range: String,

    /// The port range reserved for services with NodePort visibility (inclusive).
    #[arg(long = "service-node-port-range", default_value = "30000-32767")]
    pub service_node_port_range: String,

    /// Maximum number of non-mutating requests in flight (0 = no limit).
    #[arg(long = "max-requests-inflight", default_value_t = 400)]
    pub max_requests_inflight: usize,

    /// Maximum number of mutating requests in flight (0 = no limit).
    #[arg(long = "max-mutating-requests-inflight", default_value_t = 200)]
    pub max_mutating_requests_inflight: usize,

    /// Timeout of non-long-running requests (Go duration).
    #[arg(long = "request-timeout", default_value = "1m0s", value_parser = parse_duration)]
    pub request_timeout: Duration,

    /// Minimum watch timeout in seconds; watches without timeoutSeconds last between this and twice this.
    #[arg(long = "min-request-timeout", default_value_t = 1800)]
    pub min_request_timeout: u64,

    /// Largest request body accepted, in bytes.
    #[arg(long = "max-request-body-bytes", default_value_t = 3 * 1024 * 1024)]
    pub max_request_body_bytes: usize,

    /// Events kept per resource in the watch cache for watches resuming from a resourceVersion.
    #[arg(long = "watch-cache-window", default_value_t = 4096)]
    pub watch_cache_window: usize,

    /// How often a watch that allows bookmarks receives one (Go duration). Upstream
    /// sends them about once a minute; this flag exists so tests need not wait that long.
    #[arg(long = "watch-bookmark-interval", default_value = "1m0s", value_parser = parse_duration)]
    pub watch_bookmark_interval: Duration,

    /// Log format: `text` or `json` (one JSON object per line), as upstream's --logging-format.
    #[arg(long = "logging-format", default_value = "text", value_parser = ["text", "json"])]
    pub logging_format: String,

    /// Log verbosity (0-10), as klog's -v.
    #[arg(short = 'v', long = "v", default_value_t = 0)]
    pub verbosity: u8,
}

/// Parses a Go duration such as `5m`, `1m30s`, `300ms`, `0`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    if text == "0" {
        return Ok(Duration::ZERO);
    }
    let mut total = 0f64;
    let mut rest = text;
    if rest.is_empty() {
        return Err("empty duration".into());
    }
    while !rest.is_empty() {
        let num_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        if num_len == 0 {
            return Err(format!("invalid duration {text:?}"));
        }
        let number: f64 = rest[..num_len].parse().map_err(|_| format!("invalid duration {text:?}"))?;
        rest = &rest[num_len..];
        let unit_len = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        let seconds = match &rest[..unit_len] {
            "h" => 3600.0,
            "m" => 60.0,
            "s" => 1.0,
            "ms" => 1e-3,
            "us" | "µs" => 1e-6,
            "ns" => 1e-9,
            unit => return Err(format!("unknown unit {unit:?} in duration {text:?}")),
        };
        total += number * seconds;
        rest = &rest[unit_len..];
    }
    Ok(Duration::from_secs_f64(total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations_parse() {
        assert_eq!(parse_duration("5m"), Ok(Duration::from_secs(300)));
        assert_eq!(parse_duration("1m30s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("0"), Ok(Duration::ZERO));
        assert!(parse_duration("5 minutes").is_err());
        assert!(parse_duration("m").is_err());
    }

    #[test]
    fn upstream_style_flags_are_accepted() {
        let c = Config::try_parse_from([
            "kube-apiserver",
            "--etcd-servers=http://127.0.0.1:2379,http://127.0.0.1:2380",
            "--secure-port=7443",
            "--etcd-compaction-interval=1m",
            "-v=4",
        ])
        .expect("flags parse");
        assert_eq!(c.etcd_servers.len(), 2);
        assert_eq!(c.secure_port, 7443);
        assert_eq!(c.etcd_compaction_interval, Duration::from_secs(60));
        assert_eq!(c.verbosity, 4);
    }
}
