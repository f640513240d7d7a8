//! Field selector behaviour and per-resource selectable fields, checked against upstream 1.33.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::{
    check_selectable, convert_field_selector, escape_value, field_value, field_value_ref, unescape_value,
    FieldOperator, FieldSelector,
};

fn parse(s: &str) -> FieldSelector {
    FieldSelector::parse(s).unwrap_or_else(|e| panic!("{s:?} should parse: {e}"))
}

fn parse_err(s: &str) -> String {
    match FieldSelector::parse(s) {
        Ok(sel) => panic!("{s:?} should be rejected, parsed as {sel}"),
        Err(e) => {
            assert_eq!((e.code, e.reason), (400, "BadRequest"));
            e.message
        }
    }
}

fn matches(selector: &str, fields: &[(&str, &str)]) -> bool {
    let map: BTreeMap<String, String> = fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    parse(selector).matches(&|f: &str| map.get(f).cloned())
}

fn check_err(group: &str, plural: &str, selector: &str) -> String {
    let err = check_selectable(group, plural, &parse(selector)).unwrap_err();
    assert_eq!((err.code, err.reason), (400, "BadRequest"));
    err.message
}

#[test]
fn good_selectors_print_back_unchanged() {
    for s in ["x=a,y=b,z=c", "", "x!=a,y=b", r"x=a||y\=b", r"x=a\=\=b"] {
        assert_eq!(parse(s).to_string(), s, "{s:?}");
    }
}

#[test]
fn terms_are_ordered_by_their_raw_text() {
    assert_eq!(parse("x=a,a=x").to_string(), "a=x,x=a");
    assert_eq!(parse("b=1,a=2").to_string(), "a=2,b=1");
    assert_eq!(
        parse("status.phase!=Failed,spec.nodeName=n1,status.phase!=Succeeded").to_string(),
        "spec.nodeName=n1,status.phase!=Failed,status.phase!=Succeeded"
    );
}

#[test]
fn double_equals_is_equals_and_prints_as_such() {
    let sel = parse("x==y");
    assert_eq!(sel.to_string(), "x=y");
    assert_eq!(sel.requirements()[0].operator, FieldOperator::Equals);
    assert_eq!(parse("c!=value").requirements()[0].operator, FieldOperator::NotEquals);
}

#[test]
fn the_first_operator_in_a_term_splits_it() {
    let sel = parse("a=!b");
    assert_eq!((sel.requirements()[0].field.as_str(), sel.requirements()[0].value.as_str()), ("a", "!b"));
    let sel = parse("a!b=c");
    assert_eq!((sel.requirements()[0].field.as_str(), sel.requirements()[0].value.as_str()), ("a!b", "c"));
    let sel = parse("=x");
    assert_eq!((sel.requirements()[0].field.as_str(), sel.requirements()[0].value.as_str()), ("", "x"));
    assert_eq!(parse("x=").requirements()[0].value, "");
}

#[test]
fn escaped_commas_equals_and_backslashes_are_part_of_the_value() {
    // `k2=v2` sorts before `k=...` (`2` < `=`).
    let sel = parse(r"k=\,,k2=v2");
    let values: Vec<(&str, &str)> = sel.requirements().iter().map(|r| (r.field.as_str(), r.value.as_str())).collect();
    assert_eq!(values, [("k2", "v2"), ("k", ",")]);
    assert_eq!(sel.to_string(), r"k2=v2,k=\,");
    assert_eq!(parse(r"k=\\,k2=v2").requirements()[1].value, "\\");
    assert_eq!(parse(r"k=\\\,,k2=v2").requirements()[1].value, "\\,");
    assert_eq!(parse(r"x=a\=\=b").requirements()[0].value, "a==b");
    assert!(matches(
        r"foo=bar,baz=blah,complex=\=value\\\,\\",
        &[("foo", "bar"), ("baz", "blah"), ("complex", r"=value\,\")]
    ));
}

#[test]
fn values_escape_and_unescape_symmetrically() {
    for (raw, escaped) in [("", ""), ("a", "a"), ("=", r"\="), (",", r"\,"), ("\\", r"\\"), (r"\=\,\", r"\\\=\\\,\\")] {
        assert_eq!(escape_value(raw), escaped);
        assert_eq!(unescape_value(escaped).unwrap(), raw);
    }
    assert!(matches!(escape_value("plain"), Cow::Borrowed(_)));
}

#[test]
fn bad_escapes_are_rejected_with_upstreams_messages() {
    assert_eq!(parse_err(r"k=\a"), r"invalid field selector: invalid escape sequence: \a");
    assert_eq!(parse_err(r"k=\"), r"invalid field selector: invalid escape sequence: \");
    assert_eq!(parse_err(r"k=\\\"), r"invalid field selector: invalid escape sequence: \");
    assert_eq!(parse_err("x==a==b"), "invalid field selector: unescaped character in value: 61");
    assert_eq!(parse_err("x=a||y=b"), "invalid field selector: unescaped character in value: 61");
    assert_eq!(parse_err(r"a\=b=c"), "invalid field selector: unescaped character in value: 61");
}

#[test]
fn a_term_without_an_operator_cannot_be_understood() {
    assert_eq!(parse_err("x"), "invalid selector: 'x'; can't understand 'x'");
    assert_eq!(parse_err("x=a,b"), "invalid selector: 'x=a,b'; can't understand 'b'");
    assert_eq!(parse_err("x in (a,b,c)"), "invalid selector: 'x in (a,b,c)'; can't understand 'b'");
    assert_eq!(parse_err("x in (a)"), "invalid selector: 'x in (a)'; can't understand 'x in (a)'");
    // Terms are examined in sorted order, so the first bad one in that order is reported.
    assert_eq!(parse_err("z,a"), "invalid selector: 'z,a'; can't understand 'a'");
}

#[test]
fn empty_terms_are_ignored() {
    assert!(parse("").is_empty());
    assert!(parse(",,,").is_empty());
    assert_eq!(parse("a=a,").to_string(), "a=a");
    assert_eq!(parse(",a=a").to_string(), "a=a");
    assert_eq!(FieldSelector::everything(), parse(""));
}

#[test]
fn multibyte_fields_and_values_are_kept_whole() {
    let sel = parse("함=수,목=록");
    assert_eq!(sel.to_string(), "목=록,함=수");
    assert!(matches("함=수", &[("함", "수")]));
}

#[test]
fn a_missing_field_compares_as_the_empty_string() {
    assert!(matches("x=", &[]));
    assert!(matches("x!=y", &[]));
    assert!(!matches("x=y", &[]));
}

#[test]
fn equality_and_inequality_match_field_values() {
    assert!(matches("", &[("x", "y")]));
    assert!(matches("x=y", &[("x", "y")]));
    assert!(matches("x=y,z=w", &[("x", "y"), ("z", "w")]));
    assert!(matches("x!=y,z!=w", &[("x", "z"), ("z", "a")]));
    assert!(matches("notin=in", &[("notin", "in")]));
    assert!(!matches("x=y", &[("x", "z")]));
    assert!(!matches("x=y,z=w", &[("x", "w"), ("z", "w")]));
    assert!(!matches("x!=y,z!=w", &[("x", "z"), ("z", "w")]));
}

#[test]
fn exact_match_comes_from_the_first_equality_on_the_field() {
    assert_eq!(parse("metadata.name=p1").requires_exact_match("metadata.name"), Some("p1"));
    assert_eq!(parse("metadata.name=").requires_exact_match("metadata.name"), Some(""));
    assert_eq!(parse("metadata.name!=p1").requires_exact_match("metadata.name"), None);
    assert_eq!(parse("a=b").requires_exact_match("metadata.name"), None);
    assert_eq!(FieldSelector::one_term_equal("metadata.name", "a,b").to_string(), r"metadata.name=a\,b");
    assert_eq!(FieldSelector::from_set([("a", "b")]).requires_exact_match("a"), Some("b"));
}

#[test]
fn a_transform_renames_terms_in_place_and_drops_emptied_ones() {
    let sel = parse("a=b,c=d,e=f");
    let out = sel
        .transform(|f, v| -> Result<(String, String), ()> {
            match f {
                "a" => Ok(("x".into(), "y".into())),
                "c" => Ok((String::new(), String::new())),
                _ => Ok((f.into(), v.into())),
            }
        })
        .unwrap();
    assert_eq!(out.to_string(), "x=y,e=f");
}

// ---------------------------------------------------------------------------------------
// Per-resource fields
// ---------------------------------------------------------------------------------------

fn pod() -> Value {
    json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "p1", "namespace": "default"},
        "spec": {"nodeName": "n1", "restartPolicy": "Always", "schedulerName": "default-scheduler",
                 "serviceAccountName": "sa", "hostNetwork": true},
        "status": {"phase": "Running", "podIP": "10.0.0.5", "podIPs": [{"ip": "10.0.0.5"}, {"ip": "fd00::5"}],
                   "nominatedNodeName": "n2"}
    })
}

#[test]
fn every_resource_can_be_selected_by_name_and_namespace() {
    for (group, plural) in [
        ("", "configmaps"),
        ("apps", "deployments"),
        ("", "pods"),
        ("", "events"),
        ("", "secrets"),
        ("", "services"),
        ("batch", "jobs"),
        ("rbac.authorization.k8s.io", "roles"),
    ] {
        assert!(check_selectable(group, plural, &parse("metadata.name=a,metadata.namespace!=b")).is_ok(), "{plural}");
    }
    // Cluster-scoped resources without their own list accept metadata.namespace too; it is always "".
    let pv = json!({"metadata": {"name": "pv1"}});
    assert!(check_selectable("", "persistentvolumes", &parse("metadata.namespace=")).is_ok());
    assert_eq!(field_value("", "persistentvolumes", &pv, "metadata.namespace").as_deref(), Some(""));
    assert_eq!(field_value("storage.k8s.io", "storageclasses", &pv, "metadata.name").as_deref(), Some("pv1"));
}

#[test]
fn nodes_namespaces_and_csrs_cannot_be_selected_by_namespace() {
    assert_eq!(check_err("", "nodes", "metadata.namespace=x"), "field label not supported: metadata.namespace");
    assert_eq!(check_err("", "namespaces", "metadata.namespace=x"), "field label not supported: metadata.namespace");
    assert_eq!(
        check_err("certificates.k8s.io", "certificatesigningrequests", "metadata.namespace=x"),
        "field label not supported: metadata.namespace"
    );
}

#[test]
fn an_unsupported_field_on_a_kind_with_its_own_list_is_not_supported() {
    assert_eq!(check_err("", "pods", "spec.foo=bar"), "field label not supported: spec.foo");
    assert_eq!(check_err("", "pods", "=x"), "field label not supported: ");
    assert_eq!(check_err("", "events", "message=x"), "field label not supported: message");
    assert_eq!(check_err("", "secrets", "data=x"), "field label not supported: data");
    assert_eq!(check_err("", "services", "spec.ports=x"), "field label not supported: spec.ports");
    assert_eq!(check_err("", "replicationcontrollers", "spec.replicas=1"), "field label not supported: spec.replicas");
}

#[test]
fn an_unsupported_field_on_other_kinds_lists_the_two_generic_fields() {
    assert_eq!(
        check_err("networking.k8s.io", "ingresses", "foo.bar=baz"),
        r#""foo.bar" is not a known field selector: only "metadata.name", "metadata.namespace""#
    );
    // apps/v1 registers no conversion, so status.replicas is refused on replicasets (as upstream).
    assert_eq!(
        check_err("apps", "replicasets", "status.replicas=0"),
        r#""status.replicas" is not a known field selector: only "metadata.name", "metadata.namespace""#
    );
    assert_eq!(
        check_err("", "configmaps", r#"a"b=1"#),
        r#""a\"b" is not a known field selector: only "metadata.name", "metadata.namespace""#
    );
}

#[test]
fn jobs_refuse_unknown_fields_with_their_own_message() {
    assert_eq!(
        check_err("batch", "jobs", "status.active=1"),
        r#"field label "status.active" not supported for batchv1.Job"#
    );
    let job = json!({"metadata": {"name": "j"}, "status": {"succeeded": 3}});
    assert_eq!(field_value("batch", "jobs", &job, "status.successful").as_deref(), Some("3"));
    assert_eq!(field_value("batch", "jobs", &json!({}), "status.successful").as_deref(), Some("0"));
}

#[test]
fn the_first_unsupported_field_in_canonical_order_is_reported() {
    assert_eq!(check_err("", "pods", "spec.zzz=1,spec.aaa=2"), "field label not supported: spec.aaa");
}

#[test]
fn pods_expose_their_scheduling_and_status_fields() {
    let p = pod();
    let v = |f: &str| field_value("", "pods", &p, f);
    assert_eq!(v("spec.nodeName").as_deref(), Some("n1"));
    assert_eq!(v("spec.restartPolicy").as_deref(), Some("Always"));
    assert_eq!(v("spec.schedulerName").as_deref(), Some("default-scheduler"));
    assert_eq!(v("spec.serviceAccountName").as_deref(), Some("sa"));
    assert_eq!(v("spec.hostNetwork").as_deref(), Some("true"));
    assert_eq!(v("status.phase").as_deref(), Some("Running"));
    assert_eq!(v("status.podIP").as_deref(), Some("10.0.0.5"));
    assert_eq!(v("status.nominatedNodeName").as_deref(), Some("n2"));
    assert_eq!(v("metadata.name").as_deref(), Some("p1"));
    assert_eq!(v("metadata.namespace").as_deref(), Some("default"));
    assert_eq!(v("spec.containers"), None);
}

#[test]
fn pod_fields_default_to_false_and_empty() {
    let bare = json!({"metadata": {"name": "p"}});
    let v = |f: &str| field_value("", "pods", &bare, f);
    assert_eq!(v("spec.hostNetwork").as_deref(), Some("false"));
    assert_eq!(v("spec.nodeName").as_deref(), Some(""));
    assert_eq!(v("status.podIP").as_deref(), Some(""));
    assert_eq!(v("metadata.namespace").as_deref(), Some(""));
}

#[test]
fn a_pods_primary_ip_falls_back_to_the_first_of_its_ips() {
    let p = json!({"status": {"podIPs": [{"ip": "10.1.1.1"}, {"ip": "fd00::1"}]}});
    assert_eq!(field_value("", "pods", &p, "status.podIP").as_deref(), Some("10.1.1.1"));
}

#[test]
fn status_pod_ips_is_accepted_but_never_has_a_value() {
    assert!(check_selectable("", "pods", &parse("status.podIPs=10.0.0.5")).is_ok());
    assert_eq!(field_value("", "pods", &pod(), "status.podIPs").as_deref(), Some(""));
    let sel = convert_field_selector("", "pods", &parse("status.podIPs=10.0.0.5")).unwrap();
    assert!(!sel.matches_object("", "pods", &pod()));
}

#[test]
fn the_legacy_spec_host_field_selects_by_node_name() {
    let sel = convert_field_selector("", "pods", &parse("spec.host=n1")).unwrap();
    assert_eq!(sel.to_string(), "spec.nodeName=n1");
    assert!(sel.matches_object("", "pods", &pod()));
    assert_eq!(field_value("", "pods", &pod(), "spec.host").as_deref(), Some("n1"));
}

#[test]
fn a_node_describe_selector_matches_running_pods_on_the_node() {
    let sel = FieldSelector::parse("spec.nodeName=n1,status.phase!=Succeeded,status.phase!=Failed").unwrap();
    let sel = convert_field_selector("", "pods", &sel).unwrap();
    assert!(sel.matches_object("", "pods", &pod()));
    let mut done = pod();
    done["status"]["phase"] = json!("Succeeded");
    assert!(!sel.matches_object("", "pods", &done));
    let mut elsewhere = pod();
    elsewhere["spec"]["nodeName"] = json!("n9");
    assert!(!sel.matches_object("", "pods", &elsewhere));
}

#[test]
fn the_deprecated_service_account_field_stands_in_for_the_name() {
    let p = json!({"spec": {"serviceAccount": "old"}});
    assert_eq!(field_value("", "pods", &p, "spec.serviceAccountName").as_deref(), Some("old"));
}

#[test]
fn nodes_are_selected_by_schedulability() {
    let cordoned = json!({"metadata": {"name": "n1"}, "spec": {"unschedulable": true}});
    let fresh = json!({"metadata": {"name": "n2"}});
    assert_eq!(field_value("", "nodes", &cordoned, "spec.unschedulable").as_deref(), Some("true"));
    assert_eq!(field_value("", "nodes", &fresh, "spec.unschedulable").as_deref(), Some("false"));
    let sel = parse("spec.unschedulable=false");
    assert!(!sel.matches_object("", "nodes", &cordoned));
    assert!(sel.matches_object("", "nodes", &fresh));
}

#[test]
fn replication_controllers_expose_their_replica_count() {
    let rc = json!({"status": {"replicas": 2}});
    assert_eq!(field_value("", "replicationcontrollers", &rc, "status.replicas").as_deref(), Some("2"));
    assert_eq!(field_value("", "replicationcontrollers", &json!({}), "status.replicas").as_deref(), Some("0"));
}

#[test]
fn secrets_namespaces_services_and_csrs_expose_their_fields() {
    let secret = json!({"metadata": {"name": "s"}, "type": "kubernetes.io/tls"});
    assert_eq!(field_value("", "secrets", &secret, "type").as_deref(), Some("kubernetes.io/tls"));
    let ns = json!({"metadata": {"name": "ns"}, "status": {"phase": "Terminating"}});
    assert_eq!(field_value("", "namespaces", &ns, "status.phase").as_deref(), Some("Terminating"));
    let svc = json!({"metadata": {"name": "web"}, "spec": {"clusterIP": "None", "type": "ClusterIP"}});
    assert!(!parse("spec.clusterIP!=None").matches_object("", "services", &svc));
    assert_eq!(field_value("", "services", &svc, "spec.type").as_deref(), Some("ClusterIP"));
    let csr = json!({"metadata": {"name": "c"}, "spec": {"signerName": "kubernetes.io/kubelet-serving"}});
    assert_eq!(
        field_value("certificates.k8s.io", "certificatesigningrequests", &csr, "spec.signerName").as_deref(),
        Some("kubernetes.io/kubelet-serving")
    );
}

fn core_event() -> Value {
    json!({
        "apiVersion": "v1", "kind": "Event",
        "metadata": {"name": "p1.17a", "namespace": "default"},
        "involvedObject": {"kind": "Pod", "namespace": "default", "name": "p1", "uid": "u-1",
                           "apiVersion": "v1", "resourceVersion": "42", "fieldPath": "spec.containers{c}"},
        "reason": "Scheduled", "type": "Normal", "reportingComponent": "default-scheduler",
        "source": {}
    })
}

#[test]
fn core_events_are_selected_by_their_involved_object() {
    let ev = core_event();
    let sel = convert_field_selector(
        "",
        "events",
        &parse("involvedObject.name=p1,involvedObject.namespace=default,involvedObject.uid=u-1"),
    )
    .unwrap();
    assert!(sel.matches_object("", "events", &ev));
    let v = |f: &str| field_value("", "events", &ev, f);
    assert_eq!(v("involvedObject.kind").as_deref(), Some("Pod"));
    assert_eq!(v("involvedObject.apiVersion").as_deref(), Some("v1"));
    assert_eq!(v("involvedObject.resourceVersion").as_deref(), Some("42"));
    assert_eq!(v("involvedObject.fieldPath").as_deref(), Some("spec.containers{c}"));
    assert_eq!(v("reason").as_deref(), Some("Scheduled"));
    assert_eq!(v("type").as_deref(), Some("Normal"));
    assert_eq!(v("reportingComponent").as_deref(), Some("default-scheduler"));
}

#[test]
fn an_events_source_falls_back_to_its_reporting_controller() {
    let mut ev = core_event();
    assert_eq!(field_value("", "events", &ev, "source").as_deref(), Some("default-scheduler"));
    ev["source"] = json!({"component": "kubelet", "host": "n1"});
    assert_eq!(field_value("", "events", &ev, "source").as_deref(), Some("kubelet"));
}

#[test]
fn events_k8s_io_fields_map_onto_the_core_event_fields() {
    let ev = json!({
        "apiVersion": "events.k8s.io/v1", "kind": "Event",
        "metadata": {"name": "p1.17a", "namespace": "default"},
        "regarding": {"kind": "Pod", "name": "p1", "namespace": "default"},
        "reason": "Scheduled", "type": "Normal", "reportingController": "default-scheduler", "note": "x"
    });
    let sel = parse("regarding.name=p1,reportingController=default-scheduler,source=default-scheduler");
    assert!(check_selectable("events.k8s.io", "events", &sel).is_ok());
    let converted = convert_field_selector("events.k8s.io", "events", &sel).unwrap();
    assert_eq!(
        converted.to_string(),
        "involvedObject.name=p1,reportingComponent=default-scheduler,source=default-scheduler"
    );
    assert!(converted.matches_object("events.k8s.io", "events", &ev));
    assert!(sel.matches_object("events.k8s.io", "events", &ev));
    // The stored (core) shape of the same event is read the same way.
    assert!(converted.matches_object("events.k8s.io", "events", &core_event()));
    assert_eq!(
        check_err("events.k8s.io", "events", "involvedObject.name=p1"),
        "field label not supported: involvedObject.name"
    );
    assert_eq!(field_value("events.k8s.io", "events", &ev, "regarding.kind").as_deref(), Some("Pod"));
}

#[test]
fn borrowed_values_are_not_copied() {
    let p = pod();
    assert!(matches!(field_value_ref("", "pods", &p, "spec.nodeName"), Some(Cow::Borrowed("n1"))));
    assert!(matches!(field_value_ref("", "pods", &p, "spec.hostNetwork"), Some(Cow::Borrowed("true"))));
}

#[test]
fn a_getter_can_lend_values_while_matching() {
    let p = pod();
    let sel = parse("spec.nodeName=n1,metadata.name=p1");
    assert!(sel.matches_with(|f| field_value_ref("", "pods", &p, f)));
    assert!(!parse("spec.nodeName=n2").matches_with(|f| field_value_ref("", "pods", &p, f)));
}

#[test]
fn parsing_arbitrary_text_never_panics_and_printed_forms_are_stable() {
    const PIECES: &[&str] =
        &["a", "b", "=", "==", "!", "!=", ",", "\\", "\\,", "\\=", "\\\\", " ", "é", "😀", "\0", "."];
    let mut state: u64 = 11;
    let mut next = move || {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    let pod = pod();
    for _ in 0..20_000 {
        let len = next() % 10;
        let s: String = (0..len).map(|_| PIECES[next() % PIECES.len()]).collect();
        let Ok(sel) = FieldSelector::parse(&s) else {
            continue;
        };
        let printed = sel.to_string();
        let again = FieldSelector::parse(&printed).unwrap_or_else(|e| panic!("{s:?} -> {printed:?}: {e}"));
        let twice = FieldSelector::parse(&again.to_string()).unwrap();
        assert_eq!(twice.to_string(), again.to_string(), "{s:?}");
        let _ = check_selectable("", "pods", &sel);
        let _ = convert_field_selector("events.k8s.io", "events", &sel);
        let _ = sel.matches_object("", "pods", &pod);
    }
}
