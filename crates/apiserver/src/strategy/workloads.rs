//! Jobs and DaemonSets: what their strategies add on create and update.

use serde_json::{json, Value};

use super::Hooks;
use apimachinery::meta;

pub struct JobHooks;

/// Labels upstream puts on a Job's pods (and selects them by) unless the selector is manual.
const CONTROLLER_UID: &str = "batch.kubernetes.io/controller-uid";
const JOB_NAME: &str = "batch.kubernetes.io/job-name";
const LEGACY_CONTROLLER_UID: &str = "controller-uid";
const LEGACY_JOB_NAME: &str = "job-name";

impl Hooks for JobHooks {
    fn prepare_for_create(&self, job: &mut Value) {
        let manual = job.pointer("/spec/manualSelector").and_then(Value::as_bool) == Some(true);
        if manual {
            return;
        }
        let uid = meta::uid(job).to_string();
        let name = meta::name(job).to_string();
        if let Some(spec) = job.get_mut("spec").and_then(Value::as_object_mut) {
            spec.insert("selector".into(), json!({"matchLabels": {CONTROLLER_UID: uid}}));
            let template = spec.entry("template").or_insert_with(|| json!({}));
            let md = template.as_object_mut().map(|t| t.entry("metadata").or_insert_with(|| json!({})));
            if let Some(Value::Object(md)) = md {
                let labels = md.entry("labels").or_insert_with(|| json!({}));
                if let Value::Object(labels) = labels {
                    labels.insert(CONTROLLER_UID.into(), json!(uid));
                    labels.insert(JOB_NAME.into(), json!(name));
                    labels.insert(LEGACY_CONTROLLER_UID.into(), json!(uid));
                    labels.insert(LEGACY_JOB_NAME.into(), json!(name));
                }
            }
        }
    }
}

pub struct DaemonSetHooks;

/// Annotation recording which template generation the DaemonSet's pods come from.
const TEMPLATE_GENERATION: &str = "deprecated.daemonset.template.generation";

fn set_template_generation(ds: &mut Value, generation: i64) {
    let md = meta::metadata_mut(ds);
    let annotations = md.entry("annotations").or_insert_with(|| json!({}));
    if let Value::Object(a) = annotations {
        a.insert(TEMPLATE_GENERATION.into(), json!(generation.to_string()));
    }
}

impl Hooks for DaemonSetHooks {
    fn prepare_for_create(&self, ds: &mut Value) {
        set_template_generation(ds, 1);
    }

    fn prepare_for_update(&self, new: &mut Value, old: &Value) {
        let old_gen = old.pointer("/metadata/generation").and_then(Value::as_i64).unwrap_or(1);
        let template_changed = new.pointer("/spec/template") != old.pointer("/spec/template");
        let recorded = old
            .pointer(&format!("/metadata/annotations/{}", TEMPLATE_GENERATION.replace('/', "~1")))
            .and_then(Value::as_str)
            .and_then(|g| g.parse::<i64>().ok())
            .unwrap_or(old_gen);
        set_template_generation(new, if template_changed { old_gen + 1 } else { recorded });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_selects_its_pods_by_its_uid() {
        let mut job = json!({"metadata": {"name": "pi", "uid": "u-1"}, "spec": {"template": {"spec": {}}}});
        JobHooks.prepare_for_create(&mut job);
        assert_eq!(job["spec"]["selector"], json!({"matchLabels": {CONTROLLER_UID: "u-1"}}));
        assert_eq!(job["spec"]["template"]["metadata"]["labels"][JOB_NAME], "pi");
    }

    #[test]
    fn a_manual_selector_is_left_alone() {
        let mut job = json!({"metadata": {"name": "pi", "uid": "u"}, "spec": {"manualSelector": true, "selector": {"matchLabels": {"a": "b"}}}});
        JobHooks.prepare_for_create(&mut job);
        assert_eq!(job["spec"]["selector"], json!({"matchLabels": {"a": "b"}}));
    }

    #[test]
    fn a_daemonset_records_its_template_generation() {
        let mut ds = json!({"metadata": {"name": "d"}, "spec": {"template": {"a": 1}}});
        DaemonSetHooks.prepare_for_create(&mut ds);
        assert_eq!(ds["metadata"]["annotations"][TEMPLATE_GENERATION], "1");
        let old = json!({"metadata": {"generation": 1, "annotations": {TEMPLATE_GENERATION: "1"}}, "spec": {"template": {"a": 1}}});
        let mut new = json!({"metadata": {}, "spec": {"template": {"a": 2}}});
        DaemonSetHooks.prepare_for_update(&mut new, &old);
        assert_eq!(new["metadata"]["annotations"][TEMPLATE_GENERATION], "2");
    }
}
