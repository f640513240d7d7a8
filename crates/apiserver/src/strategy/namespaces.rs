//! Namespaces: the `kubernetes` finalizer, the name label, and Terminating on delete.

use serde_json::{json, Value};

use super::Hooks;
use apimachinery::meta;

pub struct NamespaceHooks;

/// Label upstream puts on every namespace so selectors can name namespaces.
const NAME_LABEL: &str = "kubernetes.io/metadata.name";

fn set_name_label(ns: &mut Value) {
    let name = meta::name(ns).to_string();
    let md = meta::metadata_mut(ns);
    let labels = md.entry("labels").or_insert_with(|| json!({}));
    if !labels.is_object() {
        *labels = json!({});
    }
    if let Value::Object(l) = labels {
        l.insert(NAME_LABEL.into(), Value::String(name));
    }
}

impl Hooks for NamespaceHooks {
    fn prepare_for_create(&self, ns: &mut Value) {
        set_name_label(ns);
        if let Value::Object(map) = ns {
            let spec = map.entry("spec").or_insert_with(|| json!({}));
            if spec.get("finalizers").is_none() {
                spec["finalizers"] = json!(["kubernetes"]);
            }
            map.insert("status".into(), json!({"phase": "Active"}));
        }
    }

    fn prepare_for_update(&self, new: &mut Value, old: &Value) {
        set_name_label(new);
        // spec.finalizers changes only through the finalize subresource.
        if let Some(finalizers) = old.pointer("/spec/finalizers") {
            if let Value::Object(map) = new {
                let spec = map.entry("spec").or_insert_with(|| json!({}));
                spec["finalizers"] = finalizers.clone();
            }
        }
    }

    fn mark_deleting(&self, ns: &mut Value) -> bool {
        let has_spec_finalizers =
            ns.pointer("/spec/finalizers").and_then(Value::as_array).is_some_and(|f| !f.is_empty());
        if let Value::Object(map) = ns {
            let status = map.entry("status").or_insert_with(|| json!({}));
            status["phase"] = json!("Terminating");
        }
        has_spec_finalizers
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_namespace_is_active_with_the_kubernetes_finalizer_and_name_label() {
        let mut ns = json!({"metadata": {"name": "team-a"}});
        NamespaceHooks.prepare_for_create(&mut ns);
        assert_eq!(ns["status"]["phase"], "Active");
        assert_eq!(ns["spec"]["finalizers"], json!(["kubernetes"]));
        assert_eq!(ns["metadata"]["labels"][NAME_LABEL], "team-a");
    }

    #[test]
    fn deleting_a_namespace_with_finalizers_leaves_it_terminating() {
        let mut ns = json!({"metadata": {"name": "a"}, "spec": {"finalizers": ["kubernetes"]}});
        assert!(NamespaceHooks.mark_deleting(&mut ns));
        assert_eq!(ns["status"]["phase"], "Terminating");
        let mut bare = json!({"metadata": {"name": "b"}, "spec": {}});
        assert!(!NamespaceHooks.mark_deleting(&mut bare));
    }
}
