//! Shared pieces of the benchmark programs: timing, percentiles, process memory, reports.

use std::time::Duration;

/// One measured figure next to its baseline and target.
pub struct Figure {
    pub name: String,
    pub ours: String,
    pub baseline: String,
    pub ratio: Option<f64>,
    pub target: String,
    pub met: bool,
}

pub fn print_report(title: &str, figures: &[Figure]) {
    println!("\n{title}");
    println!("{:<44} {:>18} {:>18} {:>8} {:>18} {:>6}", "figure", "kuberust", "baseline", "ratio", "target", "met");
    for f in figures {
        let ratio = f.ratio.map(|r| format!("{r:.2}")).unwrap_or_else(|| "-".into());
        println!(
            "{:<44} {:>18} {:>18} {:>8} {:>18} {:>6}",
            f.name,
            f.ours,
            f.baseline,
            ratio,
            f.target,
            if f.met { "yes" } else { "NO" }
        );
    }
}

/// The `p`th percentile (0..=100) of samples (sorted in place).
pub fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    if samples.is_empty() {
        return Duration::ZERO;
    }
    samples.sort();
    let rank = ((p / 100.0) * (samples.len() - 1) as f64).round() as usize;
    samples[rank.min(samples.len() - 1)]
}

/// Resident set size of a process in bytes, from /proc.
pub fn rss_bytes(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// A pod of about `size` bytes of JSON, unique by name.
pub fn pod_json(namespace: &str, name: &str, size: usize) -> serde_json::Value {
    let mut pod = serde_json::json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace, "labels": {"app": "bench", "tier": "backend"}},
        "spec": {"containers": [{"name": "main", "image": "registry.local/bench:1.0",
                 "env": [{"name": "MODE", "value": "bench"}],
                 "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}}}]}
    });
    let base = pod.to_string().len();
    let padding = size.saturating_sub(base + 40);
    pod["metadata"]["annotations"] = serde_json::json!({"bench/padding": "x".repeat(padding)});
    pod
}

/// CPU time (user + system) a process has used so far, from /proc.
pub fn cpu_time(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may contain spaces) start after the last ')'.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    // Linux reports clock ticks; USER_HZ is 100 on every platform Linux supports today.
    Some(Duration::from_millis((utime + stime) * 10))
}

/// A watch-cache decoder that keeps each value's bytes as they are: the cheapest consumer
/// of an etcd watch, for baselines that need etcd to stream every write to a watcher.
pub struct RawBytes;

impl storage::Decoder<Vec<u8>> for RawBytes {
    fn decode(&self, _: storage::ResourceId, _: &str, value: &[u8], _: i64) -> Result<Vec<u8>, String> {
        Ok(value.to_vec())
    }

    fn at_revision(&self, _: storage::ResourceId, item: &Vec<u8>, _: i64) -> Vec<u8> {
        item.clone()
    }
}
