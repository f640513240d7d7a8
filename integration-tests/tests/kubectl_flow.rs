//! The everyday kubectl flow against a real etcd + kube-apiserver, run with the kubectl
//! dispatcher (1.33 for our server) and the oldest supported client, 1.27.

use std::time::Duration;

use integration_tests::{spawn_kubectl, Cluster, NODE_MANIFEST, POD_MANIFEST};

fn wait_for(what: &str, mut check: impl FnMut() -> bool) {
    for _ in 0..100 {
        if check() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("timed out waiting for {what}");
}

fn first_line(text: &str) -> Vec<String> {
    text.lines().next().unwrap_or("").split_whitespace().map(String::from).collect()
}

fn everyday_flow(flavour: &str) {
    let cluster = Cluster::start();
    let k = cluster.kubectl(flavour);

    // Version and discovery.
    let version = k.ok(&["version"]);
    // 1.27 prints a struct, later clients a plain version.
    assert!(version.contains("Server Version: v1.33") || version.contains("GitVersion:\"v1.33"), "{version}");
    let resources = k.ok(&["api-resources"]);
    let deploy_line = resources.lines().find(|l| l.starts_with("deployments ")).expect("deployments listed");
    assert_eq!(
        deploy_line.split_whitespace().collect::<Vec<_>>(),
        ["deployments", "deploy", "apps/v1", "true", "Deployment"]
    );

    // Objects from manifests, validated by the server (fieldValidation=Strict).
    assert_eq!(k.ok_stdin(&["create", "-f", "-"], POD_MANIFEST).trim(), "pod/p1 created");
    assert_eq!(k.ok_stdin(&["create", "-f", "-"], NODE_MANIFEST).trim(), "node/n1 created");
    let unknown =
        k.run_with_stdin(&["create", "-f", "-"], Some(&POD_MANIFEST.replace("name: p1", "name: p9\n  bogusField: 1")));
    assert!(!unknown.success);
    assert!(unknown.stderr.contains("unknown field") && unknown.stderr.contains("bogusField"), "{}", unknown.stderr);

    // get in every output format.
    let wide = k.ok(&["get", "pods", "-o", "wide"]);
    assert_eq!(
        first_line(&wide),
        ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED", "NODE", "READINESS", "GATES"]
    );
    assert!(
        wide.lines().nth(1).is_some_and(|l| l.starts_with("p1 ") && l.contains("0/1") && l.contains("Pending")),
        "{wide}"
    );
    assert!(k.ok(&["get", "pod", "p1", "-o", "yaml"]).contains("name: p1"));
    let json: serde_json::Value =
        serde_json::from_str(&k.ok(&["get", "pod", "p1", "-o", "json"])).expect("json output");
    assert_eq!(json["spec"]["containers"][0]["image"], "busybox:1.36");
    assert_eq!(k.ok(&["get", "pod", "p1", "-o", "jsonpath={.metadata.labels.app}"]), "demo");
    assert_eq!(k.ok(&["get", "pods", "-o", "name"]).trim(), "pod/p1");
    let nodes = k.ok(&["get", "nodes"]);
    assert_eq!(first_line(&nodes), ["NAME", "STATUS", "ROLES", "AGE", "VERSION"]);
    assert!(
        nodes.contains("n1") && nodes.contains("Ready") && nodes.contains("worker") && nodes.contains("v1.33.0"),
        "{nodes}"
    );

    // get -w sees events as they happen.
    let watch_out = tempfile::NamedTempFile::new().expect("temp file");
    let mut watcher = spawn_kubectl(&k, &["get", "pods", "-w"], watch_out.path());
    std::thread::sleep(Duration::from_millis(1500));
    k.ok_stdin(&["create", "-f", "-"], &POD_MANIFEST.replace("name: p1", "name: p2"));
    wait_for("the watch to print p2", || std::fs::read_to_string(watch_out.path()).unwrap_or_default().contains("p2"));
    let _ = watcher.kill();
    let _ = watcher.wait();

    // label, annotate, show labels and label columns.
    assert_eq!(k.ok(&["label", "pod", "p1", "tier=db"]).trim(), "pod/p1 labeled");
    // kubectl 1.27 itself prints "annotate" here; later clients "annotated".
    assert!(k.ok(&["annotate", "pod", "p1", "note=hello"]).trim().starts_with("pod/p1 annotate"));
    assert!(k.ok(&["get", "pod", "p1", "--show-labels"]).contains("app=demo,tier=db"));
    let columns = k.ok(&["get", "pods", "-L", "tier"]);
    assert!(first_line(&columns).contains(&"TIER".to_string()), "{columns}");
    assert_eq!(k.ok(&["label", "pod", "p1", "tier-"]).trim(), "pod/p1 unlabeled");

    // taint a node and take it off again.
    assert_eq!(k.ok(&["taint", "nodes", "n1", "dedicated=gpu:NoSchedule"]).trim(), "node/n1 tainted");
    assert!(k.ok(&["get", "node", "n1", "-o", "jsonpath={.spec.taints[0].key}"]).contains("dedicated"));
    assert_eq!(k.ok(&["taint", "nodes", "n1", "dedicated=gpu:NoSchedule-"]).trim(), "node/n1 untainted");
    assert_eq!(k.ok(&["get", "node", "n1", "-o", "jsonpath={.spec.taints}"]).trim(), "");

    // Generators send protobuf bodies.
    assert_eq!(k.ok(&["create", "namespace", "team"]).trim(), "namespace/team created");
    assert_eq!(
        k.ok(&["create", "deployment", "web", "--image=nginx:1.14", "--replicas=2"]).trim(),
        "deployment.apps/web created"
    );
    let config_file = tempfile::NamedTempFile::new().expect("temp file");
    std::fs::write(config_file.path(), "color=blue\n").expect("write");
    let from_file = format!("--from-file=settings={}", config_file.path().display());
    assert_eq!(k.ok(&["create", "configmap", "cfg", &from_file]).trim(), "configmap/cfg created");
    assert_eq!(k.ok(&["get", "cm", "cfg", "-o", "jsonpath={.data.settings}"]).trim(), "color=blue");
    assert_eq!(
        k.ok(&["create", "secret", "generic", "sec", "--from-literal=password=s3cret"]).trim(),
        "secret/sec created"
    );
    assert_eq!(k.ok(&["get", "secret", "sec", "-o", "jsonpath={.data.password}"]).trim(), "czNjcmV0");

    // scale and patch.
    assert_eq!(k.ok(&["scale", "deployment", "web", "--replicas=3"]).trim(), "deployment.apps/web scaled");
    assert_eq!(k.ok(&["get", "deploy", "web", "-o", "jsonpath={.spec.replicas}"]), "3");
    k.ok(&["patch", "deployment", "web", "--type=merge", "-p", r#"{"spec":{"replicas":4}}"#]);
    k.ok(&[
        "patch",
        "deployment",
        "web",
        "--type=json",
        "-p",
        r#"[{"op":"replace","path":"/spec/replicas","value":5}]"#,
    ]);
    assert_eq!(k.ok(&["get", "deploy", "web", "-o", "jsonpath={.spec.replicas}"]), "5");

    // Several kinds at once, all namespaces, sorting.
    let mixed = k.ok(&["get", "deploy,po"]);
    assert!(mixed.contains("deployment.apps/web") && mixed.contains("pod/p1"), "{mixed}");
    let all = k.ok(&["get", "all"]);
    assert!(
        all.contains("pod/p1") && all.contains("service/kubernetes") && all.contains("deployment.apps/web"),
        "{all}"
    );
    let everywhere = k.ok(&["get", "pods", "-A"]);
    assert_eq!(first_line(&everywhere)[0], "NAMESPACE");
    let sorted = k.ok(&["get", "pods", "--sort-by=.metadata.name", "-o", "name"]);
    assert_eq!(sorted.trim(), "pod/p1\npod/p2");

    // describe.
    let pod = k.ok(&["describe", "pod", "p1"]);
    assert!(pod.contains("Name:") && pod.contains("p1") && pod.contains("busybox:1.36"), "{pod}");
    let deployment = k.ok(&["describe", "deployment", "web"]);
    assert!(deployment.contains("nginx:1.14") && deployment.contains("5 desired"), "{deployment}");
    let node = k.ok(&["describe", "node", "n1"]);
    assert!(node.contains("Name:") && node.contains("n1"), "{node}");

    // explain reads the OpenAPI documents.
    let explained = k.ok(&["explain", "deployment.spec.template.spec.containers"]);
    assert!(explained.contains("image") && explained.contains("FIELDS"), "{explained}");

    // delete: server-side dry run, by label, orphaning.
    assert!(k.ok(&["delete", "cm", "cfg", "--dry-run=server"]).contains("deleted (server dry run)"));
    assert_eq!(k.ok(&["get", "cm", "cfg", "-o", "name"]).trim(), "configmap/cfg");
    k.ok(&["delete", "pods", "-l", "app=demo"]);
    assert_eq!(k.ok(&["get", "pods", "-o", "name"]).trim(), "");
    k.ok(&["delete", "deployment", "web", "--cascade=orphan", "--wait=false"]);
    let finalizers = k.ok(&["get", "deploy", "web", "-o", "jsonpath={.metadata.finalizers}"]);
    assert!(finalizers.contains("orphan"), "an orphaning delete waits for the garbage collector: {finalizers}");

    // Errors read like upstream's.
    let missing = k.fails(&["get", "pod", "nope"]);
    assert!(missing.contains("Error from server (NotFound): pods \"nope\" not found"), "{missing}");
    let duplicate = k.run_with_stdin(&["create", "-f", "-"], Some(NODE_MANIFEST));
    assert!(!duplicate.success);
    assert!(
        duplicate
            .stderr
            .contains("Error from server (AlreadyExists): error when creating \"STDIN\": nodes \"n1\" already exists"),
        "{}",
        duplicate.stderr
    );
    let generator = k.fails(&["create", "configmap", "cfg"]);
    assert!(generator.contains("configmaps \"cfg\" already exists"), "{generator}");
}

#[test]
fn kubectl_dispatcher_runs_the_everyday_flow() {
    everyday_flow("kubectl");
}

#[test]
fn kubectl_1_27_runs_the_everyday_flow() {
    everyday_flow("kubectl.1.27");
}

#[test]
fn kubectl_1_33_runs_the_everyday_flow() {
    everyday_flow("kubectl.1.33");
}
