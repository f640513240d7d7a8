//! Workloads with pod templates: Deployment, ReplicaSet, StatefulSet, DaemonSet,
//! ReplicationController, Job and CronJob.

use serde_json::{json, Value};

use super::tests_pod::{lines, pod, remove};
use super::{validate_create, validate_status_update, validate_update};

fn template() -> Value {
    json!({"metadata": {"labels": {"app": "web"}}, "spec": pod()["spec"].clone()})
}

fn meta(name: &str) -> Value {
    json!({"name": name, "namespace": "default", "uid": "d-uid", "creationTimestamp": "2024-01-01T00:00:00Z",
           "resourceVersion": "3", "generation": 1})
}

pub(super) fn deployment() -> Value {
    json!({
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta("web"),
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"app": "web"}},
            "template": template(),
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}},
            "revisionHistoryLimit": 10,
            "progressDeadlineSeconds": 600
        }
    })
}

fn apps(kind: &str, obj: &Value) -> Vec<String> {
    lines(&validate_create("apps", "v1", kind, obj))
}

fn has(lines: &[String], want: &str) {
    assert!(lines.iter().any(|l| l == want), "missing {want:?} in {lines:#?}");
}

#[test]
fn a_realistic_deployment_is_valid() {
    assert_eq!(apps("Deployment", &deployment()), Vec::<String>::new());
}

#[test]
fn a_deployment_container_without_an_image_is_required_at_its_path() {
    let mut d = deployment();
    d["spec"]["template"]["spec"]["containers"][0]["image"] = json!("");
    assert_eq!(apps("Deployment", &d), ["spec.template.spec.containers[0].image: Required value"]);
}

#[test]
fn the_selector_must_match_the_template_labels() {
    let mut d = deployment();
    d["spec"]["template"]["metadata"]["labels"] = json!({"app": "other"});
    assert_eq!(
        apps("Deployment", &d),
        ["spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"other\"}: `selector` does not match template `labels`"]
    );
}

#[test]
fn a_missing_selector_is_required_and_matches_nothing() {
    let mut d = deployment();
    remove(&mut d["spec"], "selector");
    assert_eq!(
        apps("Deployment", &d),
        [
            "spec.selector: Required value",
            "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`"
        ]
    );
    let mut d = deployment();
    d["spec"]["selector"] = json!({});
    has(
        &apps("Deployment", &d),
        "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment",
    );
}

#[test]
fn replicas_may_not_be_negative() {
    let mut d = deployment();
    d["spec"]["replicas"] = json!(-1);
    assert_eq!(apps("Deployment", &d), ["spec.replicas: Invalid value: -1: must be greater than or equal to 0"]);
}

#[test]
fn deployment_strategies_follow_upstream() {
    let mut d = deployment();
    d["spec"]["strategy"] = json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 0}});
    assert_eq!(
        apps("Deployment", &d),
        ["spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}: may not be 0 when `maxSurge` is 0"]
    );
    d["spec"]["strategy"] =
        json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "150%", "maxSurge": "x"}});
    let l = apps("Deployment", &d);
    has(&l, "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"150%\"}: must not be greater than 100%");
    has(&l, "spec.strategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"x\"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')");
    d["spec"]["strategy"] = json!({"type": "Recreate", "rollingUpdate": {"maxSurge": 1}});
    assert_eq!(
        apps("Deployment", &d),
        ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"]
    );
    d["spec"]["strategy"] = json!({"type": "BlueGreen"});
    assert_eq!(
        apps("Deployment", &d),
        ["spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:\"BlueGreen\", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: \"Recreate\", \"RollingUpdate\""]
    );
}

#[test]
fn the_deployment_template_must_restart_always() {
    let mut d = deployment();
    d["spec"]["template"]["spec"]["restartPolicy"] = json!("Never");
    assert_eq!(
        apps("Deployment", &d),
        ["spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\""]
    );
}

#[test]
fn progress_deadline_must_exceed_min_ready_seconds() {
    let mut d = deployment();
    d["spec"]["minReadySeconds"] = json!(600);
    assert_eq!(
        apps("Deployment", &d),
        ["spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds"]
    );
}

#[test]
fn the_deployment_selector_is_immutable() {
    let old = deployment();
    let mut new = deployment();
    new["spec"]["selector"] = json!({"matchLabels": {"app": "web", "tier": "fe"}});
    new["spec"]["template"]["metadata"]["labels"] = json!({"app": "web", "tier": "fe"});
    assert_eq!(
        lines(&validate_update("apps", "v1", "Deployment", &new, &old)),
        ["spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"web\", \"tier\":\"fe\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"]
    );
    let mut scaled = deployment();
    scaled["spec"]["replicas"] = json!(5);
    assert!(validate_update("apps", "v1", "Deployment", &scaled, &old).is_empty());
}

#[test]
fn deployment_status_counters_are_bounded() {
    let old = deployment();
    let mut new = deployment();
    new["status"] = json!({"replicas": 1, "readyReplicas": 2, "availableReplicas": 1, "collisionCount": -1});
    let l = lines(&validate_status_update("apps", "v1", "Deployment", &new, &old));
    has(&l, "status.collisionCount: Invalid value: -1: must be greater than or equal to 0");
    has(&l, "status.readyReplicas: Invalid value: 2: cannot be greater than status.replicas");
}

#[test]
fn replica_sets_follow_the_deployment_rules() {
    let mut rs = deployment();
    rs["kind"] = json!("ReplicaSet");
    if let Some(s) = rs["spec"].as_object_mut() {
        s.remove("strategy");
        s.remove("revisionHistoryLimit");
        s.remove("progressDeadlineSeconds");
    }
    assert_eq!(apps("ReplicaSet", &rs), Vec::<String>::new());
    let mut bad = rs.clone();
    bad["spec"]["template"]["spec"]["activeDeadlineSeconds"] = json!(5);
    assert_eq!(
        apps("ReplicaSet", &bad),
        ["spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported"]
    );
    let mut moved = rs.clone();
    moved["spec"]["selector"] = json!({"matchLabels": {"app": "x"}});
    moved["spec"]["template"]["metadata"]["labels"] = json!({"app": "x"});
    assert_eq!(validate_update("apps", "v1", "ReplicaSet", &moved, &rs).len(), 1);
}

pub(super) fn stateful_set() -> Value {
    json!({
        "apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": meta("db"),
        "spec": {
            "replicas": 3, "serviceName": "db",
            "selector": {"matchLabels": {"app": "web"}},
            "template": template(),
            "podManagementPolicy": "OrderedReady",
            "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}},
            "revisionHistoryLimit": 10,
            "persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Retain", "whenScaled": "Retain"},
            "volumeClaimTemplates": [{"metadata": {"name": "data"},
                "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}, "volumeMode": "Filesystem"}}]
        }
    })
}

#[test]
fn a_realistic_stateful_set_is_valid() {
    assert_eq!(apps("StatefulSet", &stateful_set()), Vec::<String>::new());
}

#[test]
fn stateful_set_policies_are_required_enums() {
    let mut s = stateful_set();
    s["spec"]["podManagementPolicy"] = json!("Random");
    s["spec"]["updateStrategy"] = json!({"type": ""});
    let l = apps("StatefulSet", &s);
    has(&l, "spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or 'Parallel'");
    has(&l, "spec.updateStrategy: Required value");
}

#[test]
fn stateful_sets_may_only_change_some_spec_fields() {
    let old = stateful_set();
    let mut new = stateful_set();
    new["spec"]["serviceName"] = json!("other");
    assert_eq!(
        lines(&validate_update("apps", "v1", "StatefulSet", &new, &old)),
        ["spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"]
    );
    let mut scaled = stateful_set();
    scaled["spec"]["replicas"] = json!(5);
    scaled["spec"]["template"]["spec"]["containers"][0]["image"] = json!("nginx:2");
    assert!(validate_update("apps", "v1", "StatefulSet", &scaled, &old).is_empty());
}

pub(super) fn daemon_set() -> Value {
    json!({
        "apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": meta("agent"),
        "spec": {
            "selector": {"matchLabels": {"app": "web"}},
            "template": template(),
            "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}},
            "revisionHistoryLimit": 10
        }
    })
}

#[test]
fn a_realistic_daemon_set_is_valid() {
    assert_eq!(apps("DaemonSet", &daemon_set()), Vec::<String>::new());
}

#[test]
fn a_daemon_set_may_not_surge_and_be_unavailable_at_once() {
    let mut d = daemon_set();
    d["spec"]["updateStrategy"]["rollingUpdate"] = json!({"maxUnavailable": 1, "maxSurge": 1});
    assert_eq!(
        apps("DaemonSet", &d),
        ["spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:0, IntVal:1, StrVal:\"\"}: may not be set when maxUnavailable is non-zero"]
    );
    d["spec"]["updateStrategy"]["rollingUpdate"] = json!({"maxUnavailable": 0, "maxSurge": 0});
    assert_eq!(
        apps("DaemonSet", &d),
        ["spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0"]
    );
}

pub(super) fn rc() -> Value {
    json!({
        "apiVersion": "v1", "kind": "ReplicationController", "metadata": meta("rc"),
        "spec": {"replicas": 1, "selector": {"app": "web"}, "template": template()}
    })
}

#[test]
fn replication_controllers_need_a_matching_selector() {
    assert_eq!(lines(&validate_create("", "v1", "ReplicationController", &rc())), Vec::<String>::new());
    let mut r = rc();
    r["spec"]["selector"] = json!({"app": "db"});
    assert_eq!(
        lines(&validate_create("", "v1", "ReplicationController", &r)),
        ["spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`"]
    );
}

pub(super) fn job() -> Value {
    let mut t = template();
    t["metadata"]["labels"] = json!({
        "batch.kubernetes.io/controller-uid": "j-uid", "batch.kubernetes.io/job-name": "pi",
        "controller-uid": "j-uid", "job-name": "pi"
    });
    t["spec"]["restartPolicy"] = json!("Never");
    json!({
        "apiVersion": "batch/v1", "kind": "Job",
        "metadata": {"name": "pi", "namespace": "default", "uid": "j-uid", "creationTimestamp": "2024-01-01T00:00:00Z", "resourceVersion": "2"},
        "spec": {
            "parallelism": 1, "completions": 1, "backoffLimit": 6, "completionMode": "NonIndexed", "suspend": false,
            "manualSelector": false, "podReplacementPolicy": "TerminatingOrFailed",
            "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": "j-uid"}},
            "template": t
        }
    })
}

fn batch(kind: &str, obj: &Value) -> Vec<String> {
    lines(&validate_create("batch", "v1", kind, obj))
}

#[test]
fn a_realistic_job_is_valid() {
    assert_eq!(batch("Job", &job()), Vec::<String>::new());
}

#[test]
fn a_job_template_must_not_restart_always() {
    let mut j = job();
    j["spec"]["template"]["spec"]["restartPolicy"] = json!("Always");
    assert_eq!(
        batch("Job", &j),
        ["spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\""]
    );
}

#[test]
fn job_counts_may_not_be_negative() {
    let mut j = job();
    j["spec"]["backoffLimit"] = json!(-1);
    j["spec"]["parallelism"] = json!(-2);
    let l = batch("Job", &j);
    has(&l, "spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0");
    has(&l, "spec.parallelism: Invalid value: -2: must be greater than or equal to 0");
}

#[test]
fn indexed_jobs_need_completions() {
    let mut j = job();
    j["spec"]["completionMode"] = json!("Indexed");
    remove(&mut j["spec"], "completions");
    assert_eq!(batch("Job", &j), ["spec.completions: Required value: when completion mode is Indexed"]);
}

#[test]
fn a_generated_selector_needs_the_job_labels() {
    let mut j = job();
    j["spec"]["template"]["metadata"]["labels"] = json!({"batch.kubernetes.io/controller-uid": "j-uid"});
    let l = batch("Job", &j);
    has(&l, "spec.template.metadata.labels[job-name]: Required value: must be 'pi'");
    has(&l, "spec.template.metadata.labels[controller-uid]: Required value: must be 'j-uid'");
}

#[test]
fn the_job_template_is_immutable_while_running() {
    let old = job();
    let mut new = job();
    new["spec"]["template"]["spec"]["containers"][0]["image"] = json!("perl:2");
    let l = lines(&validate_update("batch", "v1", "Job", &new, &old));
    assert_eq!(l.len(), 1);
    assert!(l[0].starts_with("spec.template: Invalid value: ") && l[0].ends_with(": field is immutable"), "{l:?}");
    let mut new = job();
    new["spec"]["completions"] = json!(3);
    assert_eq!(
        lines(&validate_update("batch", "v1", "Job", &new, &old)),
        ["spec.completions: Invalid value: 3: field is immutable"]
    );
}

#[test]
fn a_suspended_job_may_change_scheduling_directives() {
    let mut old = job();
    old["spec"]["suspend"] = json!(true);
    let mut new = old.clone();
    new["spec"]["template"]["spec"]["nodeSelector"] = json!({"disk": "ssd"});
    assert_eq!(lines(&validate_update("batch", "v1", "Job", &new, &old)), Vec::<String>::new());
}

pub(super) fn cron_job() -> Value {
    let mut t = template();
    t["spec"]["restartPolicy"] = json!("OnFailure");
    json!({
        "apiVersion": "batch/v1", "kind": "CronJob", "metadata": meta("nightly"),
        "spec": {
            "schedule": "*/5 * * * *", "concurrencyPolicy": "Allow", "suspend": false,
            "successfulJobsHistoryLimit": 3, "failedJobsHistoryLimit": 1,
            "jobTemplate": {"metadata": {}, "spec": {"backoffLimit": 6, "template": t}}
        }
    })
}

#[test]
fn a_realistic_cron_job_is_valid() {
    assert_eq!(batch("CronJob", &cron_job()), Vec::<String>::new());
    for schedule in ["@hourly", "0 0 * * mon-fri", "0,30 9-17 1-31/2 jan-dec *", "@every 1h30m"] {
        let mut c = cron_job();
        c["spec"]["schedule"] = json!(schedule);
        assert_eq!(batch("CronJob", &c), Vec::<String>::new(), "{schedule}");
    }
}

#[test]
fn cron_schedules_are_parsed_as_robfig_cron_does() {
    let cases = [
        ("* * * *", "expected exactly 5 fields, found 4: [* * * *]"),
        ("61 * * * *", "end of range (61) above maximum (59): 61"),
        ("* * 0 * *", "beginning of range (0) below minimum (1): 0"),
        ("a * * * *", "failed to parse int from a: strconv.Atoi: parsing \"a\": invalid syntax"),
        ("5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1"),
        ("*/0 * * * *", "step of range should be a positive number: */0"),
        ("@sometimes", "unrecognized descriptor: @sometimes"),
    ];
    for (schedule, err) in cases {
        let mut c = cron_job();
        c["spec"]["schedule"] = json!(schedule);
        assert_eq!(
            batch("CronJob", &c),
            [format!("spec.schedule: Invalid value: {}: {err}", serde_json::to_string(schedule).unwrap_or_default())]
        );
    }
}

#[test]
fn cron_jobs_refuse_tz_in_the_schedule_and_unknown_zones() {
    let mut c = cron_job();
    c["spec"]["schedule"] = json!("CRON_TZ=UTC 0 * * * *");
    assert_eq!(
        batch("CronJob", &c),
        ["spec.schedule: Invalid value: \"CRON_TZ=UTC 0 * * * *\": cannot use TZ or CRON_TZ in schedule, use timeZone field instead"]
    );
    let mut c = cron_job();
    c["spec"]["timeZone"] = json!("Mars/Olympus");
    assert_eq!(
        batch("CronJob", &c),
        ["spec.timeZone: Invalid value: \"Mars/Olympus\": unknown time zone Mars/Olympus"]
    );
    c["spec"]["timeZone"] = json!("Europe/Berlin");
    assert_eq!(batch("CronJob", &c), Vec::<String>::new());
}

#[test]
fn cron_job_names_leave_room_for_the_job_suffix() {
    let mut c = cron_job();
    c["metadata"]["name"] = json!("a".repeat(53));
    assert_eq!(
        batch("CronJob", &c),
        [format!("metadata.name: Invalid value: \"{}\": must be no more than 52 characters", "a".repeat(53))]
    );
}

#[test]
fn cron_job_templates_may_not_carry_a_selector() {
    let mut c = cron_job();
    c["spec"]["jobTemplate"]["spec"]["selector"] = json!({"matchLabels": {"a": "b"}});
    assert_eq!(
        batch("CronJob", &c),
        ["spec.jobTemplate.spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"a\":\"b\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: `selector` will be auto-generated"]
    );
}
