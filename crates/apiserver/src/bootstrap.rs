//! What exists from the first start: the system namespaces, and the `kubernetes`
//! Service with its Endpoints and EndpointSlice pointing at this server. Kept in place
//! by a periodic reconcile, as upstream's bootstrap controller does.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use apimachinery::resource::lookup;
use apimachinery::{ApiError, ApiResult};
use serde_json::{json, Value};

use crate::api::Api;
use crate::rest;

pub const SYSTEM_NAMESPACES: &[&str] = &["default", "kube-system", "kube-public", "kube-node-lease"];

/// The first address of a CIDR (`10.96.0.0/12` -> `10.96.0.1`): the `kubernetes` Service's IP.
pub fn first_service_ip(cidrs: &str) -> Option<IpAddr> {
    let first = cidrs.split(',').next()?.trim();
    let (addr, _) = first.split_once('/')?;
    match addr.parse::<IpAddr>().ok()? {
        IpAddr::V4(v4) => Some(IpAddr::V4(std::net::Ipv4Addr::from(u32::from(v4).wrapping_add(1)))),
        IpAddr::V6(v6) => Some(IpAddr::V6(std::net::Ipv6Addr::from(u128::from(v6).wrapping_add(1)))),
    }
}

async fn ensure(api: &Api, group: &str, version: &str, plural: &str, obj: Value) -> ApiResult<()> {
    ensure_with(api, group, version, plural, obj, false).await
}

/// Creates `obj` unless it exists; `system` objects skip validation (see `create_system_object`).
async fn ensure_with(
    api: &Api,
    group: &str,
    version: &str,
    plural: &str,
    mut obj: Value,
    system: bool,
) -> ApiResult<()> {
    let res = lookup(group, version, plural).ok_or_else(|| ApiError::internal(format!("no resource {plural}")))?;
    let ns = obj.pointer("/metadata/namespace").and_then(Value::as_str).unwrap_or("").to_string();
    let name = obj.pointer("/metadata/name").and_then(Value::as_str).unwrap_or("").to_string();
    if api.read(res, &ns, &name).await?.is_some() {
        return Ok(());
    }
    apimachinery::defaults::apply_defaults(group, version, res.kind, &mut obj);
    let created = if system {
        rest::create_system_object(api, res, obj).await
    } else {
        rest::create_object(api, res, obj, false).await
    };
    match created {
        Ok(_) => Ok(()),
        Err(e) if e.code == 409 => Ok(()),
        Err(e) => Err(e),
    }
}

/// Marks every stored service's cluster IPs and node ports as taken, so the allocation
/// bitmaps agree with the services even if a bitmap was lost or is older.
pub async fn repair_allocations(api: &Api) -> ApiResult<()> {
    let res = lookup("", "v1", "services").ok_or_else(|| ApiError::internal("no services resource"))?;
    let prefix = api.layout.list_prefix(res, "");
    let page = api.etcd.range(&prefix, "", 0, 0).await.map_err(crate::errors::from_storage_plain)?;
    for kv in page.kvs {
        if let Ok(svc) = serde_json::from_slice::<Value>(&kv.value) {
            api.services.mark(&api.etcd, &svc).await?;
        }
    }
    Ok(())
}

/// Creates whatever of the bootstrap objects is missing.
pub async fn reconcile(api: &Api) -> ApiResult<()> {
    for ns in SYSTEM_NAMESPACES {
        ensure(api, "", "v1", "namespaces", json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}))
            .await?;
    }
    let port = api.config.secure_port;
    let advertise = api.config.advertise_address.unwrap_or(api.config.bind_address);
    let cluster_ip = first_service_ip(&api.config.service_cluster_ip_range)
        .ok_or_else(|| ApiError::internal("invalid --service-cluster-ip-range"))?;
    let family = if cluster_ip.is_ipv4() { "IPv4" } else { "IPv6" };
    let service = json!({
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "kubernetes", "namespace": "default", "labels": {"component": "apiserver", "provider": "kubernetes"}},
        "spec": {
            "type": "ClusterIP",
            "clusterIP": cluster_ip.to_string(),
            "clusterIPs": [cluster_ip.to_string()],
            "ipFamilies": [family],
            "ipFamilyPolicy": "SingleStack",
            "internalTrafficPolicy": "Cluster",
            "sessionAffinity": "None",
            "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": port}],
        },
    });
    ensure(api, "", "v1", "services", service).await?;
    let endpoints = json!({
        "apiVersion": "v1", "kind": "Endpoints",
        "metadata": {"name": "kubernetes", "namespace": "default", "labels": {"endpointslice.kubernetes.io/skip-mirror": "true"}},
        "subsets": [{"addresses": [{"ip": advertise.to_string()}], "ports": [{"name": "https", "port": port, "protocol": "TCP"}]}],
    });
    ensure_with(api, "", "v1", "endpoints", endpoints, true).await?;
    let slice = json!({
        "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
        "metadata": {"name": "kubernetes", "namespace": "default", "labels": {"kubernetes.io/service-name": "kubernetes"}},
        "addressType": family,
        "endpoints": [{"addresses": [advertise.to_string()], "conditions": {"ready": true}}],
        "ports": [{"name": "https", "port": port, "protocol": "TCP"}],
    });
    ensure_with(api, "discovery.k8s.io", "v1", "endpointslices", slice, true).await?;
    Ok(())
}

/// Reconciles now (retrying until etcd answers), then every `period`.
pub async fn run(api: Arc<Api>, period: Duration, done: impl Fn()) {
    loop {
        match repair_allocations(&api).await.and(reconcile(&api).await) {
            Ok(()) => break,
            Err(e) => {
                tracing::warn!(error = %e, "bootstrap objects not created yet; retrying");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
    done();
    loop {
        tokio::time::sleep(period).await;
        if let Err(e) = reconcile(&api).await {
            tracing::warn!(error = %e, "bootstrap reconcile failed");
        }
    }
}

/// Compacts etcd history every `interval` to the revision seen one interval earlier,
/// so watches can always resume within one interval.
pub async fn compact(api: Arc<Api>, interval: Duration) {
    if interval.is_zero() {
        return;
    }
    let mut previous = 0;
    loop {
        tokio::time::sleep(interval).await;
        match api.etcd.current_revision().await {
            Ok(current) => {
                if previous > 0 {
                    if let Err(e) = api.etcd.compact(previous).await {
                        tracing::warn!(error = %e, revision = previous, "etcd compaction failed");
                    }
                }
                previous = current;
            }
            Err(e) => tracing::warn!(error = %e, "cannot read etcd revision for compaction"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kubernetes_service_takes_the_first_address_of_the_range() {
        assert_eq!(first_service_ip("10.96.0.0/12"), "10.96.0.1".parse().ok());
        assert_eq!(first_service_ip("10.96.0.0/12,fd00:10:96::/108"), "10.96.0.1".parse().ok());
        assert_eq!(first_service_ip("fd00::/108"), "fd00::1".parse().ok());
        assert_eq!(first_service_ip("garbage"), None);
    }
}
