//! Restarting the apiserver and etcd loses nothing that was acknowledged.

use integration_tests::Cluster;

#[test]
fn acknowledged_writes_survive_restarts_of_the_apiserver_and_etcd() {
    let mut cluster = Cluster::start();
    let k = cluster.kubectl("kubectl");
    let mut acknowledged = Vec::new();
    for i in 0..20 {
        let name = format!("cm{i}");
        let out = k.run(&["create", "configmap", &name, &format!("--from-literal=i={i}")]);
        if out.success {
            acknowledged.push(name);
        }
        if i == 7 {
            cluster.apiserver.restart();
        }
        if i == 14 {
            cluster.apiserver.stop();
            cluster.etcd.restart();
            cluster.apiserver.restart();
        }
    }
    assert_eq!(acknowledged.len(), 20, "every create succeeded");
    let listed =
        k.ok(&["get", "configmaps", "-o", "jsonpath={range .items[*]}{.metadata.name}={.data.i}{\"\\n\"}{end}"]);
    for (i, name) in acknowledged.iter().enumerate() {
        assert!(listed.lines().any(|l| l == format!("{name}={i}")), "{name} lost: {listed}");
    }
}
