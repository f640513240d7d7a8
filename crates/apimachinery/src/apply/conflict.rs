//! Apply conflicts and the 409 upstream answers them with.

use serde_json::Value;

use super::fieldpath::{path_string, PathElement};
use super::managed::UPDATE;
use super::set::Set;
use crate::gofmt::go_quote;
use crate::status::{ApiError, Cause};

/// A field another manager owns that the apply would change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// The manager identifier (see [`super::managed::identity`]).
    pub manager: String,
    pub path: Vec<PathElement>,
}

/// Conflicts from per-manager sets, managers in identifier order, paths in set order.
pub fn from_sets(mut sets: Vec<(String, Set)>) -> Vec<Conflict> {
    sets.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out = Vec::new();
    for (manager, set) in sets {
        for path in set.paths() {
            out.push(Conflict { manager: manager.clone(), path });
        }
    }
    out
}

/// Upstream's `printManager`: `"kubectl"`, `"kube-controller-manager" using apps/v1`,
/// `"x" with subresource "status"`.
pub fn print_manager(identity: &str) -> String {
    let Ok(Value::Object(m)) = serde_json::from_str::<Value>(identity) else {
        return go_quote(identity);
    };
    let get = |k: &str| m.get(k).and_then(Value::as_str).unwrap_or("");
    let mut s = go_quote(get("manager"));
    if !get("subresource").is_empty() {
        s = format!("{s} with subresource {}", go_quote(get("subresource")));
    }
    if get("operation") == UPDATE {
        s = format!("{s} using {}", get("apiVersion"));
    }
    s
}

/// The 409 `Conflict` for `conflicts`, message and causes as upstream words them.
pub fn conflict_error(conflicts: &[Conflict]) -> ApiError {
    let causes = conflicts
        .iter()
        .map(|c| {
            Cause::new(
                "FieldManagerConflict",
                format!("conflict with {}", print_manager(&c.manager)),
                path_string(&c.path),
            )
        })
        .collect();
    ApiError::new(409, "Conflict", conflict_message(conflicts)).with_causes(causes)
}

fn conflict_message(conflicts: &[Conflict]) -> String {
    if let [c] = conflicts {
        return format!(
            "Apply failed with 1 conflict: conflict with {}: {}",
            print_manager(&c.manager),
            path_string(&c.path)
        );
    }
    let mut managers: Vec<&str> = conflicts.iter().map(|c| c.manager.as_str()).collect();
    managers.sort_unstable();
    managers.dedup();
    let mut lines = Vec::new();
    for m in managers {
        lines.push(format!("conflicts with {}:", print_manager(m)));
        for c in conflicts.iter().filter(|c| c.manager == m) {
            lines.push(format!("- {}", path_string(&c.path)));
        }
    }
    format!("Apply failed with {} conflicts: {}", conflicts.len(), lines.join("\n"))
}
