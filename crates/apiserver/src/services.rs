//! What a Service write allocates: cluster IPs per IP family, and node ports, following
//! upstream's service REST logic (ipFamilies / ipFamilyPolicy, headless and ExternalName
//! services, values carried over on update, release on delete).

use std::collections::BTreeSet;

use apimachinery::validation::invalid;
use apimachinery::{ApiError, ApiResult, Cause, Subject};
use serde_json::{json, Value};
use storage::Etcd;

use crate::allocator::{AllocError, Allocator, Range};

/// The cluster's service ranges.
pub struct ServiceAllocators {
    /// Primary family first; a second entry makes the cluster dual-stack.
    pub ips: Vec<Allocator>,
    pub ports: Allocator,
}

/// What a write took, so it can be given back if the write does not happen, and what it
/// gave up, to release once the write has happened.
#[derive(Debug, Default)]
pub struct Reservation {
    taken_ips: Vec<(usize, String)>,
    taken_ports: Vec<u32>,
    freed_ips: Vec<(usize, String)>,
    freed_ports: Vec<u32>,
    dry_run: bool,
}

fn invalid_service(name: &str, causes: Vec<Cause>) -> ApiError {
    ApiError::invalid(Subject::new("", "Service", name), causes)
}

fn spec_str<'a>(svc: &'a Value, field: &str) -> &'a str {
    svc.pointer(&format!("/spec/{field}")).and_then(Value::as_str).unwrap_or("")
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|x| x.as_str().map(String::from)).collect())
        .unwrap_or_default()
}

/// Whether a service type gets node ports.
fn wants_node_ports(svc: &Value) -> bool {
    match spec_str(svc, "type") {
        "NodePort" => true,
        "LoadBalancer" => svc.pointer("/spec/allocateLoadBalancerNodePorts").and_then(Value::as_bool) != Some(false),
        _ => false,
    }
}

fn wants_cluster_ip(svc: &Value) -> bool {
    spec_str(svc, "type") != "ExternalName" && spec_str(svc, "clusterIP") != "None"
}

impl ServiceAllocators {
    pub fn new(cluster_ip_ranges: &str, node_port_range: &str) -> Result<ServiceAllocators, String> {
        let cidrs: Vec<&str> = cluster_ip_ranges.split(',').map(str::trim).filter(|c| !c.is_empty()).collect();
        if cidrs.is_empty() || cidrs.len() > 2 {
            return Err("--service-cluster-ip-range must name one range, or two of different IP families".into());
        }
        let keys = ["/registry/ranges/serviceips", "/registry/ranges/secondaryserviceips"];
        let mut ips = Vec::new();
        for (cidr, key) in cidrs.iter().zip(keys) {
            ips.push(Allocator { key: key.to_string(), range: Range::parse_cidr(cidr)? });
        }
        if ips.len() == 2 && ips[0].family() == ips[1].family() {
            return Err("--service-cluster-ip-range: the two ranges must be of different IP families".into());
        }
        let ports =
            Allocator { key: "/registry/ranges/servicenodeports".into(), range: Range::parse_ports(node_port_range)? };
        Ok(ServiceAllocators { ips, ports })
    }

    fn family_index(&self, family: &str) -> Option<usize> {
        self.ips.iter().position(|a| a.family() == Some(family))
    }

    fn family_of(ip: &str) -> &'static str {
        if ip.contains(':') {
            "IPv6"
        } else {
            "IPv4"
        }
    }

    /// Decides ipFamilyPolicy and ipFamilies for a service that gets cluster IPs.
    fn families(&self, svc: &Value, name: &str) -> ApiResult<(String, Vec<String>)> {
        let policy = match spec_str(svc, "ipFamilyPolicy") {
            "" => "SingleStack".to_string(),
            p @ ("SingleStack" | "PreferDualStack" | "RequireDualStack") => p.to_string(),
            other => {
                return Err(invalid_service(
                    name,
                    vec![apimachinery::validation::not_supported(
                        "spec.ipFamilyPolicy",
                        &json!(other),
                        &["PreferDualStack", "RequireDualStack", "SingleStack"],
                    )],
                ))
            }
        };
        let dual = self.ips.len() == 2;
        if policy == "RequireDualStack" && !dual {
            return Err(invalid_service(
                name,
                vec![invalid(
                    "spec.ipFamilyPolicy",
                    &json!(policy),
                    "this cluster is not configured for dual-stack services",
                )],
            ));
        }
        let mut families = strings(svc.pointer("/spec/ipFamilies"));
        if families.is_empty() {
            // Requested cluster IPs decide the families; else the cluster's primary family.
            families = strings(svc.pointer("/spec/clusterIPs"))
                .iter()
                .map(|ip| ServiceAllocators::family_of(ip).to_string())
                .collect();
        }
        if families.is_empty() {
            families.push(self.ips[0].family().unwrap_or("IPv4").to_string());
        }
        for (i, f) in families.iter().enumerate() {
            if self.family_index(f).is_none() {
                return Err(invalid_service(
                    name,
                    vec![invalid(&format!("spec.ipFamilies[{i}]"), &json!(f), "not configured on this cluster")],
                ));
            }
        }
        if policy != "SingleStack" && dual && families.len() == 1 {
            let other = if families[0] == "IPv4" { "IPv6" } else { "IPv4" };
            families.push(other.to_string());
        }
        if policy == "SingleStack" {
            families.truncate(1);
        }
        Ok((policy, families))
    }

    /// Allocates everything a new service needs, writing the values into it.
    pub async fn allocate_create(&self, etcd: &Etcd, svc: &mut Value, dry_run: bool) -> ApiResult<Reservation> {
        let mut res = Reservation { dry_run, ..Default::default() };
        let outcome = self.fill(etcd, svc, None, &mut res).await;
        if let Err(e) = outcome {
            self.rollback(etcd, res).await;
            return Err(e);
        }
        Ok(res)
    }

    /// Carries allocated values over from `old` where `new` omits them, allocates what the
    /// update newly needs, and notes what it gives up.
    pub async fn allocate_update(
        &self,
        etcd: &Etcd,
        new: &mut Value,
        old: &Value,
        dry_run: bool,
    ) -> ApiResult<Reservation> {
        carry_over(new, old);
        let mut res = Reservation { dry_run, ..Default::default() };
        if let Err(e) = self.fill(etcd, new, Some(old), &mut res).await {
            self.rollback(etcd, res).await;
            return Err(e);
        }
        // What the old object held and the new one does not is released after the write.
        let new_ips: BTreeSet<String> = strings(new.pointer("/spec/clusterIPs")).into_iter().collect();
        for ip in strings(old.pointer("/spec/clusterIPs")) {
            if ip != "None" && !new_ips.contains(&ip) {
                if let Some(i) = self.family_index(ServiceAllocators::family_of(&ip)) {
                    res.freed_ips.push((i, ip));
                }
            }
        }
        let new_ports = node_ports(new);
        for p in node_ports(old) {
            if !new_ports.contains(&p) {
                res.freed_ports.push(p);
            }
        }
        Ok(res)
    }

    async fn fill(&self, etcd: &Etcd, svc: &mut Value, old: Option<&Value>, res: &mut Reservation) -> ApiResult<()> {
        let name = svc.pointer("/metadata/name").and_then(Value::as_str).unwrap_or("").to_string();
        let dry_run = res.dry_run;
        if spec_str(svc, "type") == "ExternalName" {
            if let Some(spec) = svc.get_mut("spec").and_then(Value::as_object_mut) {
                for f in ["clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"] {
                    spec.remove(f);
                }
            }
        } else if !wants_cluster_ip(svc) {
            // Headless: no address, but families are still recorded.
            let (policy, families) = self.families(svc, &name)?;
            svc["spec"]["clusterIPs"] = json!(["None"]);
            svc["spec"]["ipFamilyPolicy"] = json!(policy);
            svc["spec"]["ipFamilies"] = json!(families);
        } else {
            let already = old.map(|o| strings(o.pointer("/spec/clusterIPs"))).unwrap_or_default();
            let (policy, families) = self.families(svc, &name)?;
            let mut requested = strings(svc.pointer("/spec/clusterIPs"));
            let single = spec_str(svc, "clusterIP").to_string();
            if requested.is_empty() && !single.is_empty() {
                requested.push(single);
            }
            let mut ips = Vec::new();
            for (i, family) in families.iter().enumerate() {
                let want = requested.get(i).filter(|s| !s.is_empty()).cloned();
                if let Some(ip) = &want {
                    if already.contains(ip) {
                        ips.push(ip.clone());
                        continue;
                    }
                    if ServiceAllocators::family_of(ip) != family {
                        return Err(invalid_service(
                            &name,
                            vec![invalid(
                                &format!("spec.clusterIPs[{i}]"),
                                &json!(ip),
                                &format!("expected an {family} value as indicated by `ipFamilies[{i}]`"),
                            )],
                        ));
                    }
                }
                let index = self.family_index(family).unwrap_or(0);
                let allocator = &self.ips[index];
                match allocator.allocate_ip(etcd, want.as_deref(), dry_run).await? {
                    Ok(ip) => {
                        res.taken_ips.push((index, ip.clone()));
                        ips.push(ip);
                    }
                    Err(e) => {
                        let shown = want.clone().unwrap_or_default();
                        let why = match e {
                            AllocError::AlreadyAllocated => "provided IP is already allocated".to_string(),
                            AllocError::NotInRange => format!(
                                "the provided IP ({shown}) is not in the valid range. The range of valid IPs is {}",
                                allocator.range.display()
                            ),
                            AllocError::Full => "range is full".to_string(),
                        };
                        return Err(invalid_service(
                            &name,
                            vec![invalid(
                                &format!("spec.clusterIPs[{i}]"),
                                &json!([shown]),
                                &format!("failed to allocate IP {shown}: {why}"),
                            )],
                        ));
                    }
                }
            }
            svc["spec"]["clusterIP"] = json!(ips[0]);
            svc["spec"]["clusterIPs"] = json!(ips);
            svc["spec"]["ipFamilyPolicy"] = json!(policy);
            svc["spec"]["ipFamilies"] = json!(families);
        }
        if wants_node_ports(svc) {
            let held: BTreeSet<u32> = old.map(node_ports).unwrap_or_default();
            let mut taken_here: std::collections::BTreeMap<u32, u32> = Default::default();
            let count = svc.pointer("/spec/ports").and_then(Value::as_array).map_or(0, Vec::len);
            for i in 0..count {
                let requested = svc
                    .pointer(&format!("/spec/ports/{i}/nodePort"))
                    .and_then(Value::as_u64)
                    .filter(|p| *p > 0)
                    .map(|p| p as u32);
                let port_number =
                    svc.pointer(&format!("/spec/ports/{i}/port")).and_then(Value::as_u64).unwrap_or(0) as u32;
                let port = match requested {
                    // One number serves TCP and UDP of the same port.
                    Some(p) if held.contains(&p) || taken_here.values().any(|v| *v == p) => p,
                    None if taken_here.contains_key(&port_number) => taken_here[&port_number],
                    _ => match self.ports.allocate_port(etcd, requested, dry_run).await? {
                        Ok(p) => {
                            res.taken_ports.push(p);
                            p
                        }
                        Err(e) => {
                            let value = requested.unwrap_or(0);
                            let why = match e {
                                AllocError::AlreadyAllocated => "provided port is already allocated".to_string(),
                                AllocError::NotInRange => format!(
                                    "provided port is not in the valid range. The range of valid ports is {}",
                                    self.ports.range.display()
                                ),
                                AllocError::Full => "range is full".to_string(),
                            };
                            return Err(invalid_service(
                                &name,
                                vec![invalid(&format!("spec.ports[{i}].nodePort"), &json!(value), &why)],
                            ));
                        }
                    },
                };
                taken_here.insert(port_number, port);
                svc["spec"]["ports"][i]["nodePort"] = json!(port);
            }
        } else if let Some(ports) = svc.pointer_mut("/spec/ports").and_then(Value::as_array_mut) {
            for p in ports {
                if let Some(m) = p.as_object_mut() {
                    m.remove("nodePort");
                }
            }
        }
        Ok(())
    }

    /// Gives back what a failed write took.
    pub async fn rollback(&self, etcd: &Etcd, res: Reservation) {
        if res.dry_run {
            return;
        }
        for (i, ip) in res.taken_ips {
            let _ = self.ips[i].release_ip(etcd, &ip).await;
        }
        for p in res.taken_ports {
            let _ = self.ports.release_port(etcd, p).await;
        }
    }

    /// Releases what a successful update gave up.
    pub async fn commit(&self, etcd: &Etcd, res: Reservation) {
        if res.dry_run {
            return;
        }
        for (i, ip) in res.freed_ips {
            let _ = self.ips[i].release_ip(etcd, &ip).await;
        }
        for p in res.freed_ports {
            let _ = self.ports.release_port(etcd, p).await;
        }
    }

    /// Releases everything a deleted service held.
    pub async fn release(&self, etcd: &Etcd, svc: &Value) {
        for ip in strings(svc.pointer("/spec/clusterIPs")) {
            if let Some(i) = self.family_index(ServiceAllocators::family_of(&ip)) {
                let _ = self.ips[i].release_ip(etcd, &ip).await;
            }
        }
        for p in node_ports(svc) {
            let _ = self.ports.release_port(etcd, p).await;
        }
    }

    /// Marks what an existing service holds (repair after a lost or older bitmap).
    pub async fn mark(&self, etcd: &Etcd, svc: &Value) -> ApiResult<()> {
        for ip in strings(svc.pointer("/spec/clusterIPs")) {
            if let Some(i) = self.family_index(ServiceAllocators::family_of(&ip)) {
                self.ips[i].mark_ip(etcd, &ip).await?;
            }
        }
        for p in node_ports(svc) {
            self.ports.mark_port(etcd, p).await?;
        }
        Ok(())
    }
}

fn node_ports(svc: &Value) -> BTreeSet<u32> {
    svc.pointer("/spec/ports")
        .and_then(Value::as_array)
        .map(|ports| ports.iter().filter_map(|p| p.get("nodePort").and_then(Value::as_u64)).map(|p| p as u32).collect())
        .unwrap_or_default()
}

/// Prepares a service update before validation, as upstream does: values the old type
/// needed and the new one does not are dropped if the client left them unchanged, and
/// allocated values the update omits are kept.
pub fn prepare_update(new: &mut Value, old: &Value) {
    drop_type_dependent_fields(new, old);
    carry_over(new, old);
}

fn externally_reachable(svc: &Value) -> bool {
    matches!(spec_str(svc, "type"), "NodePort" | "LoadBalancer")
}

/// A type change leaves behind fields only the old type may have; drop those the client
/// did not touch.
fn drop_type_dependent_fields(new: &mut Value, old: &Value) {
    if spec_str(new, "type") == spec_str(old, "type") {
        return;
    }
    let unchanged =
        |field: &str, new: &Value| new.pointer(&format!("/spec/{field}")) == old.pointer(&format!("/spec/{field}"));
    if !wants_node_ports(new) && node_ports(new) == node_ports(old) {
        if let Some(ports) = new.pointer_mut("/spec/ports").and_then(Value::as_array_mut) {
            for p in ports {
                if let Some(m) = p.as_object_mut() {
                    m.remove("nodePort");
                }
            }
        }
    }
    let mut drop = Vec::new();
    if !externally_reachable(new) {
        for field in ["externalTrafficPolicy", "healthCheckNodePort"] {
            if unchanged(field, new) {
                drop.push(field);
            }
        }
    }
    if spec_str(new, "type") != "LoadBalancer" {
        for field in ["allocateLoadBalancerNodePorts", "loadBalancerClass"] {
            if unchanged(field, new) {
                drop.push(field);
            }
        }
    }
    if spec_str(new, "type") == "ExternalName" {
        for field in ["clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"] {
            if unchanged(field, new) {
                drop.push(field);
            }
        }
    }
    if let Some(spec) = new.get_mut("spec").and_then(Value::as_object_mut) {
        for field in drop {
            spec.remove(field);
        }
    }
}

/// An update that omits allocated values keeps them (what `kubectl apply` of a manifest
/// without clusterIP or nodePort relies on).
fn carry_over(new: &mut Value, old: &Value) {
    if spec_str(new, "type") == spec_str(old, "type") || spec_str(new, "type").is_empty() {
        for field in ["clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"] {
            let missing =
                new.pointer(&format!("/spec/{field}")).is_none_or(|v| v.is_null() || v == "" || v == &json!([]));
            if missing {
                if let (Some(v), Some(spec)) =
                    (old.pointer(&format!("/spec/{field}")), new.get_mut("spec").and_then(Value::as_object_mut))
                {
                    spec.insert(field.to_string(), v.clone());
                }
            }
        }
    }
    if !wants_node_ports(new) {
        return;
    }
    let old_ports: Vec<Value> = old.pointer("/spec/ports").and_then(Value::as_array).cloned().unwrap_or_default();
    if let Some(ports) = new.pointer_mut("/spec/ports").and_then(Value::as_array_mut) {
        for p in ports {
            if p.get("nodePort").and_then(Value::as_u64).unwrap_or(0) != 0 {
                continue;
            }
            let same = old_ports.iter().find(|o| {
                o.get("port") == p.get("port")
                    && o.get("protocol").unwrap_or(&json!("TCP")) == p.get("protocol").unwrap_or(&json!("TCP"))
            });
            if let Some(np) = same.and_then(|o| o.get("nodePort")).filter(|v| v.as_u64().unwrap_or(0) != 0) {
                p["nodePort"] = np.clone();
            }
        }
    }
}
