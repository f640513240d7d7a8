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
}

impl EtcdServer {
    pub fn start() -> EtcdServer {
        let data_dir = tempfile::tempdir().expect("temp dir for etcd");
        let mut etcd =
            EtcdServer { child: None, client_port: free_port(), peer_port: free_port(), data_dir };
        etcd.spawn();
        etcd
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.client_port)
    }

    pub fn data_dir(&self) -> &Path {
        self.data_dir.path()
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
            .stdout(Stdio::null())
            .stderr(Stdio::from(log))
            .spawn()
            .expect("start etcd");
        self.child = Some(child);
        let port = self.client_port;
        wait_until(Duration::from_secs(30), "etcd /health", || {
            matches!(http_get(port, "/health"), Some((200, body)) if body.contains("true"))
        });
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
