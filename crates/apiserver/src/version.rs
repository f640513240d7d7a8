//! `/version`: reports Kubernetes 1.33, which also picks kubectl's matching client.

use serde_json::{json, Value};

pub const MAJOR: &str = "1";
pub const MINOR: &str = "33";

pub fn info() -> Value {
    json!({
        "major": MAJOR,
        "minor": MINOR,
        "emulationMajor": MAJOR,
        "emulationMinor": MINOR,
        "minCompatibilityMajor": MAJOR,
        "minCompatibilityMinor": "32",
        "gitVersion": format!("v1.33.0-kuberust.{}", env!("CARGO_PKG_VERSION")),
        "gitCommit": option_env!("KUBERUST_GIT_COMMIT").unwrap_or("unknown"),
        "gitTreeState": "clean",
        "buildDate": "1970-01-01T00:00:00Z",
        "goVersion": "rust",
        "compiler": "rustc",
        "platform": format!("{}/{}", std::env::consts::OS, go_arch()),
    })
}

/// Architecture names as Go spells them, which clients print.
fn go_arch() -> &'static str {
    match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        other => other,
    }
}
