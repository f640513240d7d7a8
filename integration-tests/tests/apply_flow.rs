//! The daily loop of the tutorial: edit web.yaml, `kubectl apply` again; patches of every
//! type; server-side apply with field managers; rollout undo; expose; invalid manifests.

use integration_tests::{Cluster, NODE_MANIFEST};

const WEB: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    app: web
  name: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  strategy: {}
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - image: nginx:1.14
        name: nginx
        resources: {}
";

/// web.yaml after the tutorial's later edits: more replicas, a new image, a secret env
/// var, a volume and its mount, a port, and probes.
const WEB_EDITED: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    app: web
  name: web
spec:
  replicas: 10
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - image: nginx:1.15
        name: nginx
        ports:
        - containerPort: 80
        env:
        - name: PASSWORD
          valueFrom:
            secretKeyRef:
              name: mysecret
              key: password
        volumeMounts:
        - name: html
          mountPath: /usr/share/nginx/html
        livenessProbe:
          httpGet:
            path: /
            port: 80
          initialDelaySeconds: 3
        readinessProbe:
          tcpSocket:
            port: 80
      volumes:
      - name: html
        emptyDir: {}
";

fn jsonpath(k: &integration_tests::Kubectl, what: &str, path: &str) -> String {
    k.ok(&["get", what, "-o", &format!("jsonpath={path}")])
}

fn apply_loop(flavour: &str) {
    let cluster = Cluster::start();
    let k = cluster.kubectl(flavour);

    // The manifest kubectl generates offline is what the tutorial applies.
    let generated = k.ok(&["create", "deployment", "web", "--image=nginx:1.14", "--dry-run=client", "-o", "yaml"]);
    assert!(generated.contains("image: nginx:1.14"));
    assert_eq!(k.ok_stdin(&["apply", "-f", "-"], WEB).trim(), "deployment.apps/web created");
    assert_eq!(jsonpath(&k, "deploy/web", "{.spec.replicas}"), "1");

    // Server-side defaults show up as upstream's do.
    assert_eq!(jsonpath(&k, "deploy/web", "{.spec.strategy.type}"), "RollingUpdate");
    assert_eq!(jsonpath(&k, "deploy/web", "{.spec.strategy.rollingUpdate.maxSurge}"), "25%");
    assert_eq!(jsonpath(&k, "deploy/web", "{.spec.revisionHistoryLimit}"), "10");
    assert_eq!(jsonpath(&k, "deploy/web", "{.spec.progressDeadlineSeconds}"), "600");
    assert_eq!(jsonpath(&k, "deploy/web", "{.spec.template.spec.containers[0].imagePullPolicy}"), "IfNotPresent");
    assert_eq!(jsonpath(&k, "deploy/web", "{.spec.template.spec.restartPolicy}"), "Always");

    // Edit and apply again: the object follows the manifest.
    assert_eq!(
        k.ok_stdin(&["apply", "-f", "-"], &WEB.replace("replicas: 1", "replicas: 10")).trim(),
        "deployment.apps/web configured"
    );
    assert_eq!(jsonpath(&k, "deploy/web", "{.spec.replicas}"), "10");
    k.ok(&["create", "secret", "generic", "mysecret", "--from-literal=password=s3cret"]);
    assert_eq!(k.ok_stdin(&["apply", "-f", "-"], WEB_EDITED).trim(), "deployment.apps/web configured");
    assert_eq!(jsonpath(&k, "deploy/web", "{.spec.template.spec.containers[0].image}"), "nginx:1.15");
    assert_eq!(
        jsonpath(&k, "deploy/web", "{.spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.name}"),
        "mysecret"
    );
    assert_eq!(jsonpath(&k, "deploy/web", "{.spec.template.spec.volumes[0].name}"), "html");
    assert_eq!(jsonpath(&k, "deploy/web", "{.spec.template.spec.containers[0].livenessProbe.periodSeconds}"), "10");
    assert_eq!(jsonpath(&k, "deploy/web", "{.spec.template.spec.containers[0].ports[0].protocol}"), "TCP");

    // Removing things from the manifest removes them from the object.
    let trimmed = WEB_EDITED
        .replace("        env:\n        - name: PASSWORD\n          valueFrom:\n            secretKeyRef:\n              name: mysecret\n              key: password\n", "")
        .replace("        volumeMounts:\n        - name: html\n          mountPath: /usr/share/nginx/html\n", "")
        .replace("      volumes:\n      - name: html\n        emptyDir: {}\n", "")
        .replace("        ports:\n        - containerPort: 80\n", "");
    k.ok_stdin(&["apply", "-f", "-"], &trimmed);
    assert_eq!(jsonpath(&k, "deploy/web", "{.spec.template.spec.containers[0].env}"), "");
    assert_eq!(jsonpath(&k, "deploy/web", "{.spec.template.spec.volumes}"), "");
    assert_eq!(jsonpath(&k, "deploy/web", "{.spec.template.spec.containers[0].ports}"), "");
    // Adding a second container, then taking it away again.
    let sidecar = trimmed.replace(
        "      - image: nginx:1.15\n",
        "      - image: busybox:1.36\n        name: sidecar\n      - image: nginx:1.15\n",
    );
    k.ok_stdin(&["apply", "-f", "-"], &sidecar);
    assert_eq!(jsonpath(&k, "deploy/web", "{.spec.template.spec.containers[*].name}"), "sidecar nginx");
    k.ok_stdin(&["apply", "-f", "-"], &trimmed);
    assert_eq!(jsonpath(&k, "deploy/web", "{.spec.template.spec.containers[*].name}"), "nginx");

    // Every patch type, set image, labels.
    k.ok(&[
        "patch",
        "deploy",
        "web",
        "--type=strategic",
        "-p",
        r#"{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.16"}]}}}}"#,
    ]);
    assert_eq!(jsonpath(&k, "deploy/web", "{.spec.template.spec.containers[0].image}"), "nginx:1.16");
    k.ok(&["set", "image", "deployment/web", "nginx=nginx:1.17"]);
    assert_eq!(jsonpath(&k, "deploy/web", "{.spec.template.spec.containers[0].image}"), "nginx:1.17");
    k.ok(&["label", "deploy", "web", "team=blue"]);
    k.ok(&["label", "deploy", "web", "team-"]);
    assert!(!jsonpath(&k, "deploy/web", "{.metadata.labels}").contains("team"));
    // kubectl edit, with a non-interactive editor, sends a strategic merge patch too.
    let edit = k.run_with_env(&["edit", "deployment/web"], None, &[("KUBE_EDITOR", "sed -i s/nginx:1.17/nginx:1.18/")]);
    assert!(edit.success, "{}", edit.stderr);
    assert_eq!(jsonpath(&k, "deploy/web", "{.spec.template.spec.containers[0].image}"), "nginx:1.18");
    k.ok(&["rollout", "restart", "deployment/web"]);
    assert!(!jsonpath(&k, "deploy/web", "{.spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}")
        .is_empty());

    // Taints on and off with the SMP kubectl sends.
    k.ok_stdin(&["create", "-f", "-"], NODE_MANIFEST);
    k.ok(&["taint", "nodes", "n1", "a=b:NoSchedule"]);
    k.ok(&["taint", "nodes", "n1", "c=d:NoExecute"]);
    k.ok(&["taint", "nodes", "n1", "a=b:NoSchedule-"]);
    assert_eq!(jsonpath(&k, "node/n1", "{.spec.taints[*].key}"), "c");

    // expose prints like upstream and allocates a node port.
    assert_eq!(
        k.ok(&["expose", "deployment", "web", "--port=8080", "--target-port=80", "--type=NodePort"]).trim(),
        "service/web exposed"
    );
    let svc = k.ok(&["get", "svc", "web"]);
    let row = svc.lines().nth(1).unwrap_or("");
    assert!(row.contains("NodePort") && row.contains("8080:3") && row.contains("/TCP"), "{svc}");

    // rollout undo sends a JSON patch built from the owned ReplicaSet of revision 1.
    let uid = jsonpath(&k, "deploy/web", "{.metadata.uid}");
    let rs = format!(
        "apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-old
  labels: {{app: web, pod-template-hash: old}}
  annotations: {{deployment.kubernetes.io/revision: '1'}}
  ownerReferences:
  - {{apiVersion: apps/v1, kind: Deployment, name: web, uid: {uid}, controller: true, blockOwnerDeletion: true}}
spec:
  replicas: 0
  selector: {{matchLabels: {{app: web, pod-template-hash: old}}}}
  template:
    metadata: {{labels: {{app: web, pod-template-hash: old}}}}
    spec:
      containers: [{{name: nginx, image: 'nginx:1.14'}}]
"
    );
    k.ok_stdin(&["create", "-f", "-"], &rs);
    k.ok(&["annotate", "deploy", "web", "deployment.kubernetes.io/revision=2", "--overwrite"]);
    let undo = k.ok(&["rollout", "undo", "deployment/web", "--to-revision=1"]);
    assert!(undo.contains("rolled back"), "{undo}");
    assert_eq!(jsonpath(&k, "deploy/web", "{.spec.template.spec.containers[0].image}"), "nginx:1.14");

    // Invalid manifests are refused with upstream's wording.
    let no_image = WEB
        .replace("name: web\n", "name: broken\n")
        .replace("      - image: nginx:1.14\n        name: nginx", "      - name: nginx");
    let out = k.run_with_stdin(&["create", "-f", "-"], Some(&no_image));
    assert!(!out.success);
    assert!(
        out.stderr
            .contains("The Deployment \"broken\" is invalid: spec.template.spec.containers[0].image: Required value"),
        "{}",
        out.stderr
    );
    let bad_name = WEB.replace("name: web\n", "name: Web_App\n");
    let out = k.run_with_stdin(&["create", "-f", "-"], Some(&bad_name));
    assert!(out.stderr.contains("metadata.name: Invalid value: \"Web_App\""), "{}", out.stderr);
    let mismatch = WEB
        .replace("name: web\n", "name: mismatch\n")
        .replace("    matchLabels:\n      app: web", "    matchLabels:\n      app: other");
    let out = k.run_with_stdin(&["create", "-f", "-"], Some(&mismatch));
    assert!(out.stderr.contains("`selector` does not match template `labels`"), "{}", out.stderr);
}

fn server_side_apply(flavour: &str) {
    let cluster = Cluster::start();
    let k = cluster.kubectl(flavour);
    let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  color: blue\n  size: large\n";
    assert_eq!(k.ok_stdin(&["apply", "--server-side", "-f", "-"], cm).trim(), "configmap/ssa serverside-applied");
    assert_eq!(k.ok_stdin(&["apply", "--server-side", "-f", "-"], cm).trim(), "configmap/ssa serverside-applied");
    let managed = k.ok(&["get", "cm", "ssa", "-o", "yaml", "--show-managed-fields"]);
    assert!(
        managed.contains("manager: kubectl") && managed.contains("operation: Apply") && managed.contains("f:color"),
        "{managed}"
    );
    // Another manager setting the same field to another value conflicts...
    let other = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  color: red\n";
    let out = k.run_with_stdin(&["apply", "--server-side", "--field-manager=other", "-f", "-"], Some(other));
    assert!(!out.success);
    assert!(out.stderr.contains("conflict") && out.stderr.contains(".data.color"), "{}", out.stderr);
    assert_eq!(k.ok(&["get", "cm", "ssa", "-o", "jsonpath={.data.color}"]), "blue");
    // ...until it forces the change and takes the field over.
    k.ok_stdin(&["apply", "--server-side", "--field-manager=other", "--force-conflicts", "-f", "-"], other);
    assert_eq!(k.ok(&["get", "cm", "ssa", "-o", "jsonpath={.data.color}"]), "red");
    // The first manager no longer owns color; dropping size from its config removes size.
    k.ok_stdin(
        &["apply", "--server-side", "-f", "-"],
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  color: red\n",
    );
    assert_eq!(k.ok(&["get", "cm", "ssa", "-o", "jsonpath={.data}"]), r#"{"color":"red"}"#);
}

#[test]
fn the_apply_loop_works_with_the_kubectl_dispatcher() {
    apply_loop("kubectl");
}

#[test]
fn the_apply_loop_works_with_kubectl_1_27() {
    apply_loop("kubectl.1.27");
}

#[test]
fn server_side_apply_works_with_the_kubectl_dispatcher() {
    server_side_apply("kubectl");
}

#[test]
fn server_side_apply_works_with_kubectl_1_27() {
    server_side_apply("kubectl.1.27");
}
