use serde_json::{json, Value};

use super::{ago, names, row, wide_names};

fn meta(name: &str) -> Value {
    json!({"name": name, "namespace": "default", "creationTimestamp": ago(2 * 86400 + 3600)})
}

fn template() -> Value {
    json!({"metadata": {"labels": {"app": "web"}},
           "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}, {"name": "exporter", "image": "prom/exporter"}]}})
}

#[test]
fn deployment_shows_ready_over_desired_and_its_selector_string() {
    assert_eq!(
        names("apps", "v1", "deployments"),
        ["Name", "Ready", "Up-to-date", "Available", "Age", "Containers", "Images", "Selector"]
    );
    assert_eq!(wide_names("apps", "v1", "deployments"), ["Containers", "Images", "Selector"]);
    let obj = json!({"metadata": meta("web"),
        "spec": {"replicas": 3, "template": template(),
                 "selector": {"matchLabels": {"app": "web"},
                              "matchExpressions": [{"key": "tier", "operator": "In", "values": ["fe", "be"]},
                                                   {"key": "canary", "operator": "DoesNotExist"}]}},
        "status": {"replicas": 3, "readyReplicas": 2, "updatedReplicas": 3, "availableReplicas": 2}});
    assert_eq!(
        row("apps", "v1", "deployments", &obj),
        [
            json!("web"),
            json!("2/3"),
            json!(3),
            json!(2),
            json!("2d1h"),
            json!("nginx,exporter"),
            json!("nginx:1.27,prom/exporter"),
            json!("app=web,!canary,tier in (be,fe)"),
        ]
    );
}

#[test]
fn deployment_without_status_or_selector_prints_zeroes_and_an_empty_selector() {
    let obj = json!({"metadata": meta("new"), "spec": {"replicas": 1}});
    let cells = row("apps", "v1", "deployments", &obj);
    assert_eq!(cells[1..4], [json!("0/1"), json!(0), json!(0)]);
    assert_eq!(cells[7], json!(""));
    let bad = json!({"spec": {"selector": {"matchExpressions": [{"key": "a", "operator": "Near"}]}}});
    assert_eq!(row("apps", "v1", "deployments", &bad)[7], json!("<invalid>"));
}

#[test]
fn replica_set_prints_desired_current_ready_as_numbers() {
    let obj = json!({"metadata": meta("web-7d4b9"),
        "spec": {"replicas": 3, "template": template(), "selector": {"matchLabels": {"app": "web", "pod-template-hash": "7d4b9"}}},
        "status": {"replicas": 3, "readyReplicas": 3}});
    assert_eq!(
        row("apps", "v1", "replicasets", &obj),
        [
            json!("web-7d4b9"),
            json!(3),
            json!(3),
            json!(3),
            json!("2d1h"),
            json!("nginx,exporter"),
            json!("nginx:1.27,prom/exporter"),
            json!("app=web,pod-template-hash=7d4b9"),
        ]
    );
    let empty = row("apps", "v1", "replicasets", &json!({}));
    assert_eq!(empty[1..4], [json!(0), json!(0), json!(0)]);
    assert_eq!(empty[7], json!("<none>"));
}

#[test]
fn replication_controller_selector_is_a_plain_label_map() {
    let obj = json!({"metadata": meta("rc"), "spec": {"replicas": 2, "selector": {"app": "web", "env": "prod"}, "template": template()},
                     "status": {"replicas": 2, "readyReplicas": 1}});
    let cells = row("", "v1", "replicationcontrollers", &obj);
    assert_eq!(cells[1..4], [json!(2), json!(2), json!(1)]);
    assert_eq!(cells[7], json!("app=web,env=prod"));
    assert_eq!(row("", "v1", "replicationcontrollers", &json!({}))[7], json!("<none>"));
}

#[test]
fn stateful_set_shows_ready_over_desired_without_a_selector_column() {
    assert_eq!(names("apps", "v1", "statefulsets"), ["Name", "Ready", "Age", "Containers", "Images"]);
    let obj = json!({"metadata": meta("db"), "spec": {"replicas": 3, "template": template()}, "status": {"readyReplicas": 1}});
    assert_eq!(
        row("apps", "v1", "statefulsets", &obj),
        [json!("db"), json!("1/3"), json!("2d1h"), json!("nginx,exporter"), json!("nginx:1.27,prom/exporter"),]
    );
}

#[test]
fn daemon_set_prints_scheduling_counts_and_node_selector() {
    let mut tmpl = template();
    tmpl["spec"]["nodeSelector"] = json!({"kubernetes.io/os": "linux"});
    let obj = json!({"metadata": meta("agent"), "spec": {"template": tmpl, "selector": {"matchLabels": {"app": "agent"}}},
        "status": {"desiredNumberScheduled": 3, "currentNumberScheduled": 3, "numberReady": 2,
                   "updatedNumberScheduled": 3, "numberAvailable": 2}});
    assert_eq!(
        row("apps", "v1", "daemonsets", &obj),
        [
            json!("agent"),
            json!(3),
            json!(3),
            json!(2),
            json!(3),
            json!(2),
            json!("kubernetes.io/os=linux"),
            json!("2d1h"),
            json!("nginx,exporter"),
            json!("nginx:1.27,prom/exporter"),
            json!("app=agent"),
        ]
    );
    assert_eq!(row("apps", "v1", "daemonsets", &json!({}))[6], json!("<none>"));
}

fn job(spec: Value, status: Value) -> Value {
    json!({"metadata": meta("pi"), "spec": spec, "status": status})
}

fn cond(kind: &str) -> Value {
    json!({"type": kind, "status": "True"})
}

#[test]
fn completed_job_shows_complete_completions_and_how_long_it_ran() {
    assert_eq!(
        names("batch", "v1", "jobs"),
        ["Name", "Status", "Completions", "Duration", "Age", "Containers", "Images", "Selector"]
    );
    let obj = job(
        json!({"completions": 1, "parallelism": 1, "template": template(),
               "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": "abc"}}}),
        json!({"succeeded": 1, "startTime": ago(3600), "completionTime": ago(3600 - 125),
               "conditions": [cond("SuccessCriteriaMet"), cond("Complete")]}),
    );
    assert_eq!(
        row("batch", "v1", "jobs", &obj),
        [
            json!("pi"),
            json!("Complete"),
            json!("1/1"),
            json!("2m5s"),
            json!("2d1h"),
            json!("nginx,exporter"),
            json!("nginx:1.27,prom/exporter"),
            json!("batch.kubernetes.io/controller-uid=abc"),
        ]
    );
}

#[test]
fn job_status_follows_condition_precedence() {
    let status =
        |conditions: Value| row("batch", "v1", "jobs", &job(json!({}), json!({"conditions": conditions})))[1].clone();
    assert_eq!(status(json!([])), json!("Running"));
    assert_eq!(status(json!([cond("Failed")])), json!("Failed"));
    assert_eq!(status(json!([cond("FailureTarget"), cond("Failed")])), json!("Failed"));
    assert_eq!(status(json!([cond("FailureTarget")])), json!("FailureTarget"));
    assert_eq!(status(json!([cond("Suspended")])), json!("Suspended"));
    assert_eq!(status(json!([cond("Suspended"), cond("FailureTarget")])), json!("Suspended"));
    assert_eq!(status(json!([{"type": "Complete", "status": "False"}])), json!("Running"));
    // 1.33 has no SuccessCriteriaMet status (added in 1.34): such a job still reads Running.
    assert_eq!(status(json!([cond("SuccessCriteriaMet")])), json!("Running"));
}

#[test]
fn deleted_job_shows_terminating_unless_complete_or_failed() {
    let mut obj = job(json!({}), json!({"conditions": [cond("Suspended")]}));
    obj["metadata"]["deletionTimestamp"] = json!(ago(1));
    assert_eq!(row("batch", "v1", "jobs", &obj)[1], json!("Terminating"));
    obj["status"]["conditions"] = json!([cond("Complete")]);
    assert_eq!(row("batch", "v1", "jobs", &obj)[1], json!("Complete"));
}

#[test]
fn job_completions_depend_on_completions_and_parallelism() {
    let completions = |spec: Value| row("batch", "v1", "jobs", &job(spec, json!({"succeeded": 2})))[2].clone();
    assert_eq!(completions(json!({"completions": 5, "parallelism": 2})), json!("2/5"));
    assert_eq!(completions(json!({"parallelism": 3})), json!("2/1 of 3"));
    assert_eq!(completions(json!({"parallelism": 1})), json!("2/1"));
    assert_eq!(completions(json!({})), json!("2/1"));
}

#[test]
fn running_job_duration_counts_to_now_and_unstarted_job_has_none() {
    let running = job(json!({}), json!({"startTime": ago(47), "active": 1}));
    assert_eq!(row("batch", "v1", "jobs", &running)[3], json!("47s"));
    let unstarted = job(json!({"suspend": true}), json!({}));
    let cells = row("batch", "v1", "jobs", &unstarted);
    assert_eq!(cells[3], json!(""));
    assert_eq!(cells[7], json!("<none>"));
}

#[test]
fn cron_job_shows_schedule_timezone_suspend_active_and_last_schedule() {
    assert_eq!(
        names("batch", "v1", "cronjobs"),
        [
            "Name",
            "Schedule",
            "Timezone",
            "Suspend",
            "Active",
            "Last Schedule",
            "Age",
            "Containers",
            "Images",
            "Selector"
        ]
    );
    let obj = json!({"metadata": meta("backup"),
        "spec": {"schedule": "*/5 * * * *", "timeZone": "Etc/UTC", "suspend": false,
                 "jobTemplate": {"spec": {"template": template()}}},
        "status": {"active": [{"name": "backup-1"}], "lastScheduleTime": ago(65)}});
    assert_eq!(
        row("batch", "v1", "cronjobs", &obj),
        [
            json!("backup"),
            json!("*/5 * * * *"),
            json!("Etc/UTC"),
            json!("False"),
            json!(1),
            json!("65s"),
            json!("2d1h"),
            json!("nginx,exporter"),
            json!("nginx:1.27,prom/exporter"),
            json!("<none>"),
        ]
    );
}

#[test]
fn cron_job_without_optional_fields_shows_none_and_unset() {
    let cells = row("batch", "v1", "cronjobs", &json!({"spec": {"schedule": "@hourly"}}));
    assert_eq!(cells[1..6], [json!("@hourly"), json!("<none>"), json!("<unset>"), json!(0), json!("<none>")]);
    let suspended = row("batch", "v1", "cronjobs", &json!({"spec": {"suspend": true}}));
    assert_eq!(suspended[3], json!("True"));
}

#[test]
fn controller_revision_names_its_controller_with_kind_and_group() {
    let obj = json!({"metadata": {"name": "web-6f7d", "creationTimestamp": ago(30),
        "ownerReferences": [
            {"apiVersion": "v1", "kind": "Pod", "name": "not-me"},
            {"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "web", "controller": true}
        ]}, "revision": 4});
    assert_eq!(
        row("apps", "v1", "controllerrevisions", &obj),
        [json!("web-6f7d"), json!("statefulset.apps/web"), json!(4), json!("30s"),]
    );
    let core_owner = json!({"metadata": {"ownerReferences": [{"apiVersion": "v1", "kind": "Node", "name": "n1", "controller": true}]}});
    assert_eq!(row("apps", "v1", "controllerrevisions", &core_owner)[1], json!("node/n1"));
    assert_eq!(row("apps", "v1", "controllerrevisions", &json!({}))[1..3], [json!("<none>"), json!(0)]);
}

#[test]
fn pod_disruption_budget_prints_int_or_percent_and_na_when_unset() {
    let obj =
        json!({"metadata": meta("web-pdb"), "spec": {"minAvailable": "50%"}, "status": {"disruptionsAllowed": 1}});
    assert_eq!(
        row("policy", "v1", "poddisruptionbudgets", &obj),
        [json!("web-pdb"), json!("50%"), json!("N/A"), json!(1), json!("2d1h"),]
    );
    let max = json!({"spec": {"maxUnavailable": 1}});
    assert_eq!(row("policy", "v1", "poddisruptionbudgets", &max)[1..4], [json!("N/A"), json!("1"), json!(0)]);
}
