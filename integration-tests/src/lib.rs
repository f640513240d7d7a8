//! Shared fixtures for the end-to-end tests: a cluster of real processes and the
//! manifests the flows use.

use std::process::{Child, Command, Stdio};

pub use test_support::{ApiServerProcess, EtcdServer, Kubectl, Output};

/// etcd plus kube-apiserver, as real processes.
pub struct Cluster {
    pub apiserver: ApiServerProcess,
    pub etcd: EtcdServer,
}

impl Cluster {
    pub fn start() -> Cluster {
        let etcd = EtcdServer::start();
        let apiserver = ApiServerProcess::start(&etcd, &[]);
        Cluster { apiserver, etcd }
    }

    pub fn kubectl(&self, flavour: &str) -> Kubectl {
        Kubectl::new(&self.apiserver.url(), flavour)
    }
}

/// Starts a long-running kubectl (e.g. `get -w`) whose output is collected into a file.
pub fn spawn_kubectl(kubectl: &Kubectl, args: &[&str], out: &std::path::Path) -> Child {
    let file = std::fs::File::create(out).expect("output file");
    Command::new(&kubectl.binary)
        .args(args)
        .env("KUBECONFIG", kubectl.home().join("kubeconfig"))
        .env("HOME", kubectl.home())
        .stdout(Stdio::from(file))
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn kubectl")
}

pub const POD_MANIFEST: &str = "apiVersion: v1
kind: Pod
metadata:
  name: p1
  labels:
    app: demo
spec:
  containers:
  - name: main
    image: busybox:1.36
    command: [sleep, '3600']
";

pub const NODE_MANIFEST: &str = "apiVersion: v1
kind: Node
metadata:
  name: n1
  labels:
    kubernetes.io/hostname: n1
    node-role.kubernetes.io/worker: ''
status:
  conditions:
  - type: Ready
    status: 'True'
    reason: KubeletReady
    message: kubelet is posting ready status
    lastHeartbeatTime: '2026-01-01T00:00:00Z'
    lastTransitionTime: '2026-01-01T00:00:00Z'
  addresses:
  - type: InternalIP
    address: 10.0.0.1
  nodeInfo:
    kubeletVersion: v1.33.0
    osImage: Debian GNU/Linux 12 (bookworm)
    kernelVersion: 6.1.0
    containerRuntimeVersion: containerd://1.6.20
    architecture: amd64
    operatingSystem: linux
    machineID: ''
    systemUUID: ''
    bootID: ''
";
