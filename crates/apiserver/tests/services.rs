//! Service ClusterIP and NodePort allocation.

mod common;

use common::Server;
use serde_json::{json, Value};

const SVC: &str = "/api/v1/namespaces/default/services";

fn service(name: &str, spec: Value) -> Value {
    let mut spec = spec;
    if spec.get("ports").is_none() {
        spec["ports"] = json!([{"port": 80, "protocol": "TCP", "targetPort": 8080}]);
    }
    json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": name}, "spec": spec})
}

fn in_range(ip: &str) -> bool {
    let o: Vec<u32> = ip.split('.').filter_map(|p| p.parse().ok()).collect();
    o.len() == 4 && o[0] == 10 && (96..112).contains(&o[1])
}

#[tokio::test]
async fn a_service_gets_a_cluster_ip_from_the_range() {
    let s = Server::start().await;
    let r = s.post(SVC, &service("a", json!({"selector": {"app": "a"}}))).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let ip = r.body["spec"]["clusterIP"].as_str().expect("clusterIP");
    assert!(in_range(ip), "{ip}");
    assert_eq!(r.body["spec"]["clusterIPs"], json!([ip]));
    assert_eq!(r.body["spec"]["ipFamilies"], json!(["IPv4"]));
    assert_eq!(r.body["spec"]["ipFamilyPolicy"], "SingleStack");
    assert_ne!(ip, "10.96.0.1", "the first address belongs to the kubernetes service");
}

#[tokio::test]
async fn a_requested_cluster_ip_is_honoured_once_and_refused_when_taken_or_out_of_range() {
    let s = Server::start().await;
    let first = s.post(SVC, &service("a", json!({"clusterIP": "10.96.0.50"}))).await;
    assert_eq!(first.body["spec"]["clusterIP"], "10.96.0.50");
    let taken = s.post(SVC, &service("b", json!({"clusterIP": "10.96.0.50"}))).await;
    assert_eq!(taken.status, 422);
    assert!(
        taken.body["message"].as_str().unwrap_or("").contains("provided IP is already allocated"),
        "{}",
        taken.text
    );
    let outside = s.post(SVC, &service("c", json!({"clusterIP": "192.168.0.1"}))).await;
    assert_eq!(outside.status, 422);
    assert!(
        outside.body["message"].as_str().unwrap_or("").contains("The range of valid IPs is 10.96.0.0/12"),
        "{}",
        outside.text
    );
    let kubernetes = s.post(SVC, &service("d", json!({"clusterIP": "10.96.0.1"}))).await;
    assert_eq!(kubernetes.status, 422, "the kubernetes service holds 10.96.0.1");
}

#[tokio::test]
async fn deleting_a_service_releases_its_ip_and_node_ports() {
    let s = Server::start().await;
    s.post(
        SVC,
        &service(
            "a",
            json!({"type": "NodePort", "clusterIP": "10.96.0.77", "ports": [{"port": 80, "nodePort": 30080}]}),
        ),
    )
    .await;
    assert_eq!(s.delete(&format!("{SVC}/a")).await.status, 200);
    let again = s
        .post(
            SVC,
            &service(
                "b",
                json!({"type": "NodePort", "clusterIP": "10.96.0.77", "ports": [{"port": 80, "nodePort": 30080}]}),
            ),
        )
        .await;
    assert_eq!(again.status, 201, "{}", again.text);
}

#[tokio::test]
async fn node_ports_are_allocated_in_range_and_requested_ones_checked() {
    let s = Server::start().await;
    let r = s
        .post(
            SVC,
            &service(
                "np",
                json!({"type": "NodePort", "ports": [{"name": "http", "port": 80}, {"name": "https", "port": 443}]}),
            ),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let ports: Vec<u64> =
        r.body["spec"]["ports"].as_array().expect("ports").iter().filter_map(|p| p["nodePort"].as_u64()).collect();
    assert_eq!(ports.len(), 2);
    assert!(ports.iter().all(|p| (30000..=32767).contains(p)), "{ports:?}");
    assert_ne!(ports[0], ports[1]);
    let taken =
        s.post(SVC, &service("np2", json!({"type": "NodePort", "ports": [{"port": 80, "nodePort": ports[0]}]}))).await;
    assert_eq!(taken.status, 422);
    assert!(taken.text.contains("provided port is already allocated"), "{}", taken.text);
    let outside =
        s.post(SVC, &service("np3", json!({"type": "NodePort", "ports": [{"port": 80, "nodePort": 8080}]}))).await;
    assert_eq!(outside.status, 422);
    assert!(outside.text.contains("The range of valid ports is 30000-32767"), "{}", outside.text);
}

#[tokio::test]
async fn changing_the_type_allocates_and_releases_node_ports() {
    let s = Server::start().await;
    s.post(SVC, &service("t", json!({"ports": [{"port": 80, "nodePort": 31000}]}))).await;
    let cip = s.get(&format!("{SVC}/t")).await;
    assert!(cip.body["spec"]["ports"][0].get("nodePort").is_none(), "a ClusterIP service has no node port");
    let np = s.patch(&format!("{SVC}/t"), "application/merge-patch+json", &json!({"spec": {"type": "NodePort"}})).await;
    assert_eq!(np.status, 200, "{}", np.text);
    let port = np.body["spec"]["ports"][0]["nodePort"].as_u64().expect("allocated");
    assert_eq!(np.body["spec"]["clusterIP"], cip.body["spec"]["clusterIP"], "the cluster IP is kept");
    let back =
        s.patch(&format!("{SVC}/t"), "application/merge-patch+json", &json!({"spec": {"type": "ClusterIP"}})).await;
    assert_eq!(back.status, 200, "{}", back.text);
    assert!(back.body["spec"]["ports"][0].get("nodePort").is_none(), "{}", back.text);
    let reuse =
        s.post(SVC, &service("u", json!({"type": "NodePort", "ports": [{"port": 80, "nodePort": port}]}))).await;
    assert_eq!(reuse.status, 201, "the port was released: {}", reuse.text);
}

#[tokio::test]
async fn an_update_without_allocated_values_keeps_them() {
    let s = Server::start().await;
    let created = s.post(SVC, &service("k", json!({"type": "NodePort"}))).await;
    let mut manifest = service("k", json!({"type": "NodePort", "selector": {"app": "k"}}));
    manifest["metadata"]["resourceVersion"] = created.body["metadata"]["resourceVersion"].clone();
    let updated = s.put(&format!("{SVC}/k"), &manifest).await;
    assert_eq!(updated.status, 200, "{}", updated.text);
    assert_eq!(updated.body["spec"]["clusterIP"], created.body["spec"]["clusterIP"]);
    assert_eq!(updated.body["spec"]["ports"][0]["nodePort"], created.body["spec"]["ports"][0]["nodePort"]);
}

#[tokio::test]
async fn headless_and_external_name_services_get_no_address() {
    let s = Server::start().await;
    let headless = s.post(SVC, &service("h", json!({"clusterIP": "None", "selector": {"app": "h"}}))).await;
    assert_eq!(headless.status, 201, "{}", headless.text);
    assert_eq!(headless.body["spec"]["clusterIP"], "None");
    assert_eq!(headless.body["spec"]["clusterIPs"], json!(["None"]));
    let external = s
        .post(SVC, &service("e", json!({"type": "ExternalName", "externalName": "db.example.com", "ports": []})))
        .await;
    assert_eq!(external.status, 201, "{}", external.text);
    assert!(external.body["spec"].get("clusterIP").is_none());
}

#[tokio::test]
async fn concurrent_creates_get_unique_addresses() {
    let s = Server::start().await;
    let mut tasks = Vec::new();
    for i in 0..20 {
        let client = s.client.clone();
        let url = format!("{}{SVC}", s.base);
        let body = service(&format!("c{i}"), json!({"type": "NodePort"})).to_string();
        tasks.push(tokio::spawn(async move {
            let r = client.post(url).header("Content-Type", "application/json").body(body).send().await.expect("sent");
            r.json::<Value>().await.expect("json")
        }));
    }
    let mut ips = std::collections::BTreeSet::new();
    let mut ports = std::collections::BTreeSet::new();
    for t in tasks {
        let svc = t.await.expect("join");
        assert!(ips.insert(svc["spec"]["clusterIP"].as_str().expect("ip").to_string()));
        assert!(ports.insert(svc["spec"]["ports"][0]["nodePort"].as_u64().expect("port")));
    }
    assert_eq!(ips.len(), 20);
}

#[tokio::test]
async fn allocations_survive_an_apiserver_restart() {
    let mut s = Server::start().await;
    s.post(
        SVC,
        &service(
            "p",
            json!({"clusterIP": "10.96.0.99", "type": "NodePort", "ports": [{"port": 80, "nodePort": 30099}]}),
        ),
    )
    .await;
    s.restart().await;
    let ip = s.post(SVC, &service("q", json!({"clusterIP": "10.96.0.99"}))).await;
    assert_eq!(ip.status, 422);
    let port =
        s.post(SVC, &service("r", json!({"type": "NodePort", "ports": [{"port": 80, "nodePort": 30099}]}))).await;
    assert_eq!(port.status, 422);
}

#[tokio::test]
async fn a_dual_stack_cluster_allocates_both_families_on_request() {
    let s = Server::start_with(&["--service-cluster-ip-range=10.96.0.0/12,fd00:10:96::/108"]).await;
    let single = s.post(SVC, &service("one", json!({}))).await;
    assert_eq!(single.body["spec"]["ipFamilies"], json!(["IPv4"]));
    let dual = s.post(SVC, &service("two", json!({"ipFamilyPolicy": "PreferDualStack"}))).await;
    assert_eq!(dual.status, 201, "{}", dual.text);
    assert_eq!(dual.body["spec"]["ipFamilies"], json!(["IPv4", "IPv6"]));
    let ips = dual.body["spec"]["clusterIPs"].as_array().expect("ips");
    assert_eq!(ips.len(), 2);
    assert!(ips[1].as_str().is_some_and(|ip| ip.starts_with("fd00:10:96::")), "{ips:?}");
    let v6 = s.post(SVC, &service("six", json!({"ipFamilies": ["IPv6"]}))).await;
    assert!(v6.body["spec"]["clusterIP"].as_str().is_some_and(|ip| ip.contains(':')));
}

#[tokio::test]
async fn require_dual_stack_is_refused_on_a_single_stack_cluster() {
    let s = Server::start().await;
    let r = s.post(SVC, &service("rd", json!({"ipFamilyPolicy": "RequireDualStack"}))).await;
    assert_eq!(r.status, 422);
    assert!(r.text.contains("this cluster is not configured for dual-stack services"), "{}", r.text);
}
