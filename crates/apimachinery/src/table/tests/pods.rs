use serde_json::{json, Value};

use super::{ago, names, row, wide_names};
use crate::table::row_conditions;

fn pod_row(obj: &Value) -> Vec<Value> {
    row("", "v1", "pods", obj)
}

/// Ready, Status and Restarts.
fn summary(obj: &Value) -> (String, String, String) {
    let cells = pod_row(obj);
    let s = |i: usize| cells[i].as_str().expect("string cell").to_string();
    (s(1), s(2), s(3))
}

fn pod(spec: Value, status: Value) -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "web-0", "namespace": "default", "creationTimestamp": ago(3 * 3600 + 4 * 60)},
        "spec": spec,
        "status": status,
    })
}

fn one_container() -> Value {
    json!({"containers": [{"name": "app", "image": "nginx:1.27"}], "nodeName": "node-a"})
}

fn running(name: &str, restarts: i64) -> Value {
    json!({"name": name, "ready": true, "restartCount": restarts, "started": true,
           "state": {"running": {"startedAt": ago(600)}}})
}

#[test]
fn pod_columns_match_upstream_names_and_wide_set() {
    assert_eq!(
        names("", "v1", "pods"),
        ["Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates"]
    );
    assert_eq!(wide_names("", "v1", "pods"), ["IP", "Node", "Nominated Node", "Readiness Gates"]);
}

#[test]
fn running_pod_prints_every_column_including_wide_ones() {
    let obj = pod(
        json!({"containers": [{"name": "app"}, {"name": "sidecar"}], "nodeName": "node-a"}),
        json!({"phase": "Running", "podIP": "10.244.1.7", "podIPs": [{"ip": "10.244.1.7"}],
               "conditions": [{"type": "Ready", "status": "True"}],
               "containerStatuses": [running("app", 0), running("sidecar", 0)]}),
    );
    assert_eq!(
        pod_row(&obj),
        [
            json!("web-0"),
            json!("2/2"),
            json!("Running"),
            json!("0"),
            json!("3h4m"),
            json!("10.244.1.7"),
            json!("node-a"),
            json!("<none>"),
            json!("<none>"),
        ]
    );
}

#[test]
fn crash_looping_container_shows_crashloopbackoff_and_last_restart_age() {
    let obj = pod(
        one_container(),
        json!({"phase": "Running", "containerStatuses": [{
            "name": "app", "ready": false, "restartCount": 5,
            "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 5m0s"}},
            "lastState": {"terminated": {"exitCode": 1, "reason": "Error", "finishedAt": ago(5 * 60)}}
        }]}),
    );
    assert_eq!(summary(&obj), ("0/1".into(), "CrashLoopBackOff".into(), "5 (5m ago)".into()));
}

#[test]
fn restarts_without_a_recorded_termination_show_only_the_count() {
    let mut status = running("app", 3);
    status["lastState"] = json!({});
    let obj = pod(one_container(), json!({"phase": "Running", "containerStatuses": [status]}));
    assert_eq!(summary(&obj).2, "3");
}

#[test]
fn pod_waiting_for_its_image_shows_container_creating() {
    let obj = pod(
        one_container(),
        json!({"phase": "Pending", "containerStatuses": [{
            "name": "app", "ready": false, "restartCount": 0, "state": {"waiting": {"reason": "ContainerCreating"}}
        }]}),
    );
    assert_eq!(summary(&obj), ("0/1".into(), "ContainerCreating".into(), "0".into()));
}

#[test]
fn pending_pod_without_statuses_shows_its_phase() {
    let obj = pod(one_container(), json!({"phase": "Pending"}));
    assert_eq!(summary(&obj), ("0/1".into(), "Pending".into(), "0".into()));
}

fn init_spec(count: usize) -> Value {
    let inits: Vec<Value> = (0..count).map(|i| json!({"name": format!("init-{i}"), "image": "busybox"})).collect();
    json!({"initContainers": inits, "containers": [{"name": "app", "image": "nginx"}]})
}

fn init_done(i: usize) -> Value {
    json!({"name": format!("init-{i}"), "ready": true, "restartCount": 0,
           "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}})
}

#[test]
fn pod_running_its_second_init_container_shows_init_progress() {
    let obj = pod(
        init_spec(3),
        json!({"phase": "Pending", "initContainerStatuses": [
            init_done(0),
            {"name": "init-1", "ready": false, "restartCount": 0, "state": {"running": {"startedAt": ago(10)}}},
            {"name": "init-2", "ready": false, "restartCount": 0, "state": {"waiting": {"reason": "PodInitializing"}}}
        ], "containerStatuses": [{"name": "app", "ready": false, "state": {"waiting": {"reason": "PodInitializing"}}}]}),
    );
    assert_eq!(summary(&obj), ("0/1".into(), "Init:1/3".into(), "0".into()));
}

#[test]
fn failed_init_container_shows_init_and_its_reason_or_exit_code_or_signal() {
    let failing = |terminated: Value| {
        pod(
            init_spec(1),
            json!({"phase": "Pending", "initContainerStatuses": [
                {"name": "init-0", "ready": false, "restartCount": 2, "state": {"terminated": terminated}}
            ]}),
        )
    };
    assert_eq!(summary(&failing(json!({"exitCode": 1, "reason": "Error"}))).1, "Init:Error");
    assert_eq!(summary(&failing(json!({"exitCode": 2}))).1, "Init:ExitCode:2");
    assert_eq!(summary(&failing(json!({"exitCode": 137, "signal": 9}))).1, "Init:Signal:9");
    // Init restarts count while the pod is initializing.
    assert_eq!(summary(&failing(json!({"exitCode": 1, "reason": "Error"}))).2, "2");
}

#[test]
fn init_container_in_back_off_shows_init_and_the_waiting_reason() {
    let obj = pod(
        init_spec(2),
        json!({"phase": "Pending", "initContainerStatuses": [
            {"name": "init-0", "ready": false, "restartCount": 4, "state": {"waiting": {"reason": "CrashLoopBackOff"}},
             "lastState": {"terminated": {"exitCode": 1, "reason": "Error", "finishedAt": ago(90)}}}
        ]}),
    );
    assert_eq!(summary(&obj), ("0/1".into(), "Init:CrashLoopBackOff".into(), "4 (90s ago)".into()));
}

#[test]
fn pod_whose_init_containers_finished_shows_pod_initializing() {
    let obj = pod(
        init_spec(2),
        json!({"phase": "Pending",
               "conditions": [{"type": "Initialized", "status": "True"}],
               "initContainerStatuses": [init_done(0), init_done(1)],
               "containerStatuses": [{"name": "app", "ready": false, "restartCount": 0,
                                      "state": {"waiting": {"reason": "PodInitializing"}}}]}),
    );
    assert_eq!(summary(&obj), ("0/1".into(), "PodInitializing".into(), "0".into()));
}

#[test]
fn initialized_pod_shows_container_state_even_if_an_init_status_looks_unfinished() {
    let crashing = json!({"name": "app", "ready": false, "restartCount": 2,
                          "state": {"waiting": {"reason": "CrashLoopBackOff"}}});
    let obj = pod(
        init_spec(1),
        json!({"phase": "Running",
               "conditions": [{"type": "Initialized", "status": "True"}],
               "initContainerStatuses": [{"name": "init-0", "ready": false, "restartCount": 0,
                                          "state": {"waiting": {"reason": "PodInitializing"}}}],
               "containerStatuses": [crashing]}),
    );
    assert_eq!(summary(&obj), ("0/1".into(), "CrashLoopBackOff".into(), "2".into()));
}

#[test]
fn sidecar_init_containers_count_as_containers_and_their_restarts_add_up() {
    let obj = pod(
        json!({"initContainers": [{"name": "proxy", "restartPolicy": "Always"}, {"name": "setup"}],
               "containers": [{"name": "app"}]}),
        json!({"phase": "Running",
               "conditions": [{"type": "Initialized", "status": "True"}, {"type": "Ready", "status": "True"}],
               "initContainerStatuses": [
                   {"name": "proxy", "ready": true, "started": true, "restartCount": 2,
                    "state": {"running": {}},
                    "lastState": {"terminated": {"exitCode": 1, "finishedAt": ago(600)}}},
                   {"name": "setup", "ready": false, "restartCount": 7,
                    "state": {"terminated": {"exitCode": 0, "reason": "Completed"}},
                    "lastState": {"terminated": {"exitCode": 1, "finishedAt": ago(60)}}}
               ],
               "containerStatuses": [{"name": "app", "ready": true, "restartCount": 1, "state": {"running": {}},
                                      "lastState": {"terminated": {"exitCode": 2, "finishedAt": ago(180)}}}]}),
    );
    // The plain init container's 7 restarts are dropped once the pod is initialized.
    assert_eq!(summary(&obj), ("2/2".into(), "Running".into(), "3 (3m ago)".into()));
}

#[test]
fn succeeded_pod_shows_completed_and_a_completed_row_condition() {
    let obj = pod(
        one_container(),
        json!({"phase": "Succeeded", "containerStatuses": [{"name": "app", "ready": false, "restartCount": 0,
               "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}}]}),
    );
    assert_eq!(summary(&obj), ("0/1".into(), "Completed".into(), "0".into()));
    assert_eq!(
        row_conditions("", "v1", "pods", &obj),
        Some(json!([{"type": "Completed", "status": "True", "reason": "Succeeded",
                     "message": "The pod has completed successfully."}]))
    );
}

#[test]
fn failed_pod_shows_error_and_a_failed_row_condition() {
    let obj = pod(
        one_container(),
        json!({"phase": "Failed", "containerStatuses": [{"name": "app", "ready": false, "restartCount": 0,
               "state": {"terminated": {"exitCode": 1, "reason": "Error"}}}]}),
    );
    assert_eq!(summary(&obj).1, "Error");
    assert_eq!(row_conditions("", "v1", "pods", &obj).expect("conditions")[0]["reason"], "Failed");
    assert_eq!(row_conditions("", "v1", "pods", &pod(one_container(), json!({"phase": "Running"}))), None);
    assert_eq!(row_conditions("", "v1", "services", &obj), None);
}

#[test]
fn terminated_container_without_reason_shows_exit_code_or_signal() {
    let term = |t: Value| {
        pod(
            one_container(),
            json!({"phase": "Running", "containerStatuses": [{"name": "app", "state": {"terminated": t}}]}),
        )
    };
    assert_eq!(summary(&term(json!({"exitCode": 137}))).1, "ExitCode:137");
    assert_eq!(summary(&term(json!({"exitCode": 0, "signal": 15}))).1, "Signal:15");
}

#[test]
fn completed_container_next_to_a_running_one_shows_running_or_not_ready() {
    let statuses = json!([
        {"name": "job", "ready": false, "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}},
        running("server", 0)
    ]);
    let spec = json!({"containers": [{"name": "job"}, {"name": "server"}]});
    let ready = pod(
        spec.clone(),
        json!({"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}], "containerStatuses": statuses}),
    );
    assert_eq!(summary(&ready), ("1/2".into(), "Running".into(), "0".into()));
    let not_ready = pod(
        spec,
        json!({"phase": "Running", "conditions": [{"type": "Ready", "status": "False"}], "containerStatuses": statuses}),
    );
    assert_eq!(summary(&not_ready).1, "NotReady");
}

#[test]
fn deleted_pod_shows_terminating_unless_it_already_finished() {
    let mut obj = pod(one_container(), json!({"phase": "Running", "containerStatuses": [running("app", 0)]}));
    obj["metadata"]["deletionTimestamp"] = json!(ago(5));
    assert_eq!(summary(&obj).1, "Terminating");
    obj["status"] = json!({"phase": "Succeeded", "containerStatuses": [{"name": "app",
                           "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}}]});
    assert_eq!(summary(&obj).1, "Completed");
}

#[test]
fn deleted_pod_on_an_unreachable_node_shows_unknown() {
    let mut obj = pod(
        one_container(),
        json!({"phase": "Running", "reason": "NodeLost", "containerStatuses": [running("app", 0)]}),
    );
    assert_eq!(summary(&obj).1, "NodeLost");
    obj["metadata"]["deletionTimestamp"] = json!(ago(5));
    assert_eq!(summary(&obj).1, "Unknown");
}

#[test]
fn evicted_pod_shows_the_status_reason() {
    let obj = pod(one_container(), json!({"phase": "Failed", "reason": "Evicted", "message": "low on memory"}));
    assert_eq!(summary(&obj), ("0/1".into(), "Evicted".into(), "0".into()));
}

#[test]
fn scheduling_gated_pod_shows_scheduling_gated() {
    let obj = pod(
        json!({"containers": [{"name": "app"}], "schedulingGates": [{"name": "example.com/quota"}]}),
        json!({"phase": "Pending", "conditions": [{"type": "PodScheduled", "status": "False", "reason": "SchedulingGated"}]}),
    );
    let cells = pod_row(&obj);
    assert_eq!(cells[2], json!("SchedulingGated"));
    assert_eq!(cells[6], json!("<none>"));
}

#[test]
fn readiness_gates_count_the_true_conditions_they_name() {
    let obj = pod(
        json!({"containers": [{"name": "app"}],
               "readinessGates": [{"conditionType": "example.com/lb"}, {"conditionType": "example.com/dns"}]}),
        json!({"phase": "Running", "nominatedNodeName": "node-b", "podIPs": [{"ip": "fd00::5"}, {"ip": "10.0.0.5"}],
               "conditions": [{"type": "example.com/lb", "status": "True"}, {"type": "example.com/dns", "status": "False"}],
               "containerStatuses": [running("app", 0)]}),
    );
    let cells = pod_row(&obj);
    assert_eq!(cells[5], json!("fd00::5"));
    assert_eq!(cells[7], json!("node-b"));
    assert_eq!(cells[8], json!("1/2"));
}

#[test]
fn empty_pod_prints_zero_values() {
    assert_eq!(
        pod_row(&json!({})),
        [
            json!(""),
            json!("0/0"),
            json!(""),
            json!("0"),
            json!("<unknown>"),
            json!("<none>"),
            json!("<none>"),
            json!("<none>"),
            json!("<none>"),
        ]
    );
}

#[test]
fn pod_template_lists_containers_images_and_sorted_labels_without_age() {
    assert_eq!(names("", "v1", "podtemplates"), ["Name", "Containers", "Images", "Pod Labels"]);
    let obj = json!({"metadata": {"name": "tmpl"}, "template": {
        "metadata": {"labels": {"tier": "web", "app": "shop", "app-version": "2"}},
        "spec": {"containers": [{"name": "web", "image": "nginx"}, {"name": "log", "image": "fluentd:v1"}]}
    }});
    assert_eq!(
        row("", "v1", "podtemplates", &obj),
        [json!("tmpl"), json!("web,log"), json!("nginx,fluentd:v1"), json!("app-version=2,app=shop,tier=web"),]
    );
    assert_eq!(row("", "v1", "podtemplates", &json!({})), [json!(""), json!(""), json!(""), json!("<none>")]);
}
