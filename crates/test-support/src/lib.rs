//! Real processes for tests: etcd (and, in `apiserver`, the kube-apiserver binary) on free
//! loopback ports, each in its own temp dir, killed when dropped.
//!
//! A missing binary is a test failure with a message saying what to install, never a skip.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A free TCP port on 127.0.0.1 (bound and released; good enough for tests).
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("local addr").port()
}

/// Finds an executable on PATH (or at an absolute path), or panics with what to install.
pub fn require_binary(name: &str, install_hint: &str) -> PathBuf {
    if name.contains('/') {
        let p = PathBuf::from(name);
        assert!(p.exists(), "{name} is missing: {install_hint}");
        return p;
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        let candidate = dir.join(name);
        if candidate.is_file() {
            return candidate;
        }
    }
    panic!("`{name}` is not on PATH: {install_hint}");
}

/// A plain-HTTP GET on loopback returning (status, body); `None` if nothing answers.
pub fn http_get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_millis(500)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let status = response.split_whitespace().nth(1)?.parse().ok()?;
    let body = response.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    Some((status, body))
}

/// Waits until `ready` holds, panicking with `what` after `timeout`.
pub fn wait_until(timeout: Duration, what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if ready() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("timed out after {timeout:?} waiting for {what}");
}

/// A real etcd on free loopback ports with its data in a temp dir.
pub struct EtcdServer {
    child: Option<Child>,
    pub client_port: u16,
    peer_port: u16,
    data_dir: tempfile::TempDir,
    extra_args: Vec<String>,
}

impl EtcdServer {
    pub fn start() -> EtcdServer {
        EtcdServer::start_with(&[])
    }

    /// Starts etcd with extra flags (e.g. backend tuning for benchmarks).
    pub fn start_with(extra_args: &[&str]) -> EtcdServer {
        let data_dir = tempfile::tempdir().expect("temp dir for etcd");
        let mut etcd = EtcdServer {
            child: None,
            client_port: free_port(),
            peer_port: free_port(),
            data_dir,
            extra_args: extra_args.iter().map(|s| s.to_string()).collect(),
        };
        etcd.spawn();
        etcd
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.client_port)
    }

    pub fn data_dir(&self) -> &Path {
        self.data_dir.path()
    }

    /// The etcd process id, while it runs.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    fn spawn(&mut self) {
        let binary = require_binary("etcd", "install the Debian package etcd-server (hack/install-deps.sh)");
        let client = format!("http://127.0.0.1:{}", self.client_port);
        let peer = format!("http://127.0.0.1:{}", self.peer_port);
        let log = std::fs::File::create(self.data_dir.path().join("etcd.log")).expect("etcd log file");
        let child = Command::new(binary)
            .arg("--name=test")
            .arg(format!("--data-dir={}", self.data_dir.path().join("data").display()))
            .arg(format!("--listen-client-urls={client}"))
            .arg(format!("--advertise-client-urls={client}"))
            .arg(format!("--listen-peer-urls={peer}"))
            .arg(format!("--initial-advertise-peer-urls={peer}"))
            .arg(format!("--initial-cluster=test={peer}"))
            .arg("--logger=zap")
            .arg("--log-level=error")
            .args(&self.extra_args)
            .stdout(Stdio::null())
            .stderr(Stdio::from(log))
            .spawn()
            .expect("start etcd");
        self.child = Some(child);
        let port = self.client_port;
        wait_until(
            Duration::from_secs(30),
            "etcd /health",
            || matches!(http_get(port, "/health"), Some((200, body)) if body.contains("true")),
        );
    }

    /// Stops etcd (keeping its data), for tests of outages.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts etcd again on the same ports and data.
    pub fn restart(&mut self) {
        self.stop();
        self.spawn();
    }
}

impl Drop for EtcdServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The directory holding the built binaries (`kube-apiserver`, ...): `$KUBERUST_BIN_DIR`,
/// else `$CARGO_TARGET_DIR/debug`, else the workspace's `target/debug`.
pub fn bin_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("KUBERUST_BIN_DIR") {
        return PathBuf::from(dir);
    }
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(dir).join("debug");
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/debug")
}

/// A built kuberust binary, or a panic saying how to build it.
pub fn kuberust_binary(name: &str) -> PathBuf {
    let path = bin_dir().join(name);
    assert!(
        path.is_file(),
        "{} is missing: build it first (`make build-debug`), or set KUBERUST_BIN_DIR",
        path.display()
    );
    path
}

/// A real kube-apiserver process on a free loopback port, against `etcd`.
pub struct ApiServerProcess {
    child: Option<Child>,
    pub port: u16,
    etcd_endpoint: String,
    extra_args: Vec<String>,
    log_path: PathBuf,
}

impl ApiServerProcess {
    pub fn start(etcd: &EtcdServer, extra_args: &[&str]) -> ApiServerProcess {
        let log_path = etcd.data_dir().join(format!("kube-apiserver-{}.log", free_port()));
        let mut server = ApiServerProcess {
            child: None,
            port: free_port(),
            etcd_endpoint: etcd.endpoint(),
            extra_args: extra_args.iter().map(|s| s.to_string()).collect(),
            log_path,
        };
        server.spawn();
        server
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log_path).unwrap_or_default()
    }

    fn spawn(&mut self) {
        let binary = kuberust_binary("kube-apiserver");
        let log = std::fs::OpenOptions::new().create(true).append(true).open(&self.log_path).expect("apiserver log");
        let child = Command::new(binary)
            .arg(format!("--etcd-servers={}", self.etcd_endpoint))
            .arg("--bind-address=127.0.0.1")
            .arg(format!("--secure-port={}", self.port))
            .args(&self.extra_args)
            .stdout(Stdio::null())
            .stderr(Stdio::from(log))
            .spawn()
            .expect("start kube-apiserver");
        self.child = Some(child);
        let port = self.port;
        wait_until(Duration::from_secs(60), "kube-apiserver /readyz", || {
            matches!(http_get(port, "/readyz"), Some((200, _)))
        });
    }

    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    pub fn restart(&mut self) {
        self.stop();
        self.spawn();
    }
}

impl Drop for ApiServerProcess {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Where the upstream kubectl dispatcher lives, and its pinned per-minor clients.
pub fn kubectl_dir() -> PathBuf {
    let dispatcher = require_binary("kubectl", "the upstream kubectl must be on PATH");
    let real = std::fs::canonicalize(&dispatcher).unwrap_or(dispatcher);
    real.parent().map(Path::to_path_buf).unwrap_or_default()
}

/// A kubectl (`kubectl` or a pinned `kubectl.1.NN`) configured for one server, with its
/// own HOME so discovery caches never leak between tests.
pub struct Kubectl {
    pub binary: PathBuf,
    home: tempfile::TempDir,
    kubeconfig: PathBuf,
}

/// One kubectl run: exit status and output.
#[derive(Debug)]
pub struct Output {
    pub success: bool,
    pub stdout: String,
    pub stderr: String,
}

impl Kubectl {
    /// `flavour` is `kubectl` (the dispatcher) or e.g. `kubectl.1.27`.
    pub fn new(server_url: &str, flavour: &str) -> Kubectl {
        let binary = if flavour == "kubectl" {
            require_binary("kubectl", "the upstream kubectl must be on PATH")
        } else {
            let p = kubectl_dir().join(flavour);
            assert!(p.is_file(), "{} is missing next to the kubectl dispatcher", p.display());
            p
        };
        let home = tempfile::tempdir().expect("kubectl home");
        let kubeconfig = home.path().join("kubeconfig");
        let config = format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: t\n  cluster:\n    server: {server_url}\ncontexts:\n- name: t\n  context:\n    cluster: t\n    user: t\n    namespace: default\ncurrent-context: t\nusers:\n- name: t\n  user: {{}}\n"
        );
        std::fs::write(&kubeconfig, config).expect("write kubeconfig");
        Kubectl { binary, home, kubeconfig }
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.run_with_stdin(args, None)
    }

    pub fn run_with_stdin(&self, args: &[&str], stdin: Option<&str>) -> Output {
        self.run_with_env(args, stdin, &[])
    }

    /// Runs with extra environment variables (e.g. `KUBE_EDITOR` for `kubectl edit`).
    pub fn run_with_env(&self, args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Output {
        let mut cmd = Command::new(&self.binary);
        cmd.envs(env.iter().copied());
        cmd.args(args)
            .env("KUBECONFIG", &self.kubeconfig)
            .env("HOME", self.home.path())
            .env_remove("KUBERNETES_SERVICE_HOST")
            .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("run kubectl");
        if let (Some(text), Some(mut pipe)) = (stdin, child.stdin.take()) {
            pipe.write_all(text.as_bytes()).expect("write kubectl stdin");
        }
        let out = child.wait_with_output().expect("kubectl output");
        Output {
            success: out.status.success(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Runs and requires success, returning stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.success, "kubectl {} failed:\nstdout: {}\nstderr: {}", args.join(" "), out.stdout, out.stderr);
        out.stdout
    }

    /// Runs with a manifest on stdin and requires success.
    pub fn ok_stdin(&self, args: &[&str], stdin: &str) -> String {
        let out = self.run_with_stdin(args, Some(stdin));
        assert!(out.success, "kubectl {} failed:\nstdout: {}\nstderr: {}", args.join(" "), out.stdout, out.stderr);
        out.stdout
    }

    /// Runs and requires failure, returning stderr.
    pub fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(!out.success, "kubectl {} unexpectedly succeeded:\n{}", args.join(" "), out.stdout);
        out.stderr
    }

    pub fn home(&self) -> &Path {
        self.home.path()
    }
}
