//! Job and CronJob (`pkg/apis/batch/validation`), including the cron schedule grammar
//! of `robfig/cron/v3` with its error messages.

use serde_json::Value;

use super::access::{child, field_eq, get_int, get_str, key, render_json, semantic_eq, Errs, NULL};
use super::meta::{
    as_selector, immutable_selector, selector_matches_template, selector_mismatch, validate_label_selector, STRICT,
};
use super::pod::validate_pod_template_spec;
use super::workloads::nonnegative;
use crate::gofmt::go_quote;
use crate::validation::errors::{invalid, invalid_rendered, not_supported, not_supported_rendered, required};
use crate::validation::names::{name_problems, NameRule};

fn s(v: &str) -> Value {
    Value::String(v.to_string())
}

const MAX_PARALLELISM_INDEXED: i64 = 100_000;
const MAX_FAILED_INDEXES: i64 = 100_000;
const MAX_POD_FAILURE_RULES: usize = 20;

fn validate_pod_failure_policy(e: &mut Errs, spec: &Value, path: &str) {
    let Some(pfp) = e.opt_obj(spec, path, "podFailurePolicy") else { return };
    let pp = child(path, "podFailurePolicy");
    let rules = e.items(pfp, &pp, "rules");
    if rules.len() > MAX_POD_FAILURE_RULES {
        e.push(crate::validation::errors::too_many(&child(&pp, "rules"), rules.len(), MAX_POD_FAILURE_RULES));
    }
    let containers: Vec<&str> = spec
        .get("template")
        .and_then(|t| t.get("spec"))
        .into_iter()
        .flat_map(|ps| ["containers", "initContainers"].map(|k| ps.get(k)))
        .flatten()
        .filter_map(Value::as_array)
        .flatten()
        .map(|c| get_str(c, "name"))
        .collect();
    for (rp, rule) in rules {
        let action = e.str(rule, &rp, "action");
        if !matches!(action, "Count" | "FailIndex" | "FailJob" | "Ignore") {
            e.push(not_supported(&child(&rp, "action"), &s(action), &["Count", "FailIndex", "FailJob", "Ignore"]));
        }
        if action == "FailIndex" && spec.get("backoffLimitPerIndex").is_none_or(Value::is_null) {
            e.push(invalid(&child(&rp, "action"), &s(action), "requires the backoffLimitPerIndex to be set"));
        }
        let exit = e.opt_obj(rule, &rp, "onExitCodes");
        let conds = e.opt_arr(rule, &rp, "onPodConditions");
        match (exit, conds) {
            (Some(_), Some(_)) => e.push(invalid_rendered(
                &rp,
                &rule.to_string(),
                "specifying both OnExitCodes and OnPodConditions is not supported",
            )),
            (None, None) => e.push(invalid_rendered(
                &rp,
                &rule.to_string(),
                "specifying one of OnExitCodes and OnPodConditions is required",
            )),
            _ => {}
        }
        if let Some(ec) = exit {
            let ep = child(&rp, "onExitCodes");
            if let Some(name) = e.opt_str(ec, &ep, "containerName") {
                if !containers.contains(&name) {
                    e.push(invalid(
                        &child(&ep, "containerName"),
                        &s(name),
                        "must be one of the container or initContainer names in the pod template",
                    ));
                }
            }
            let op = e.str(ec, &ep, "operator");
            if op != "In" && op != "NotIn" {
                e.push(not_supported(&child(&ep, "operator"), &s(op), &["In", "NotIn"]));
            }
            let values: Vec<i64> =
                e.arr(ec, &ep, "values").iter().map(|v| super::access::as_int(v).unwrap_or(0)).collect();
            let vp = child(&ep, "values");
            if values.is_empty() {
                e.push(required(&vp, "at least one value is required"));
            } else if values.len() > 255 {
                e.push(crate::validation::errors::too_many(&vp, values.len(), 255));
            } else {
                for (i, v) in values.iter().enumerate() {
                    let p = super::access::index(&vp, i);
                    if i > 0 && values[i - 1] == *v {
                        e.push(crate::validation::errors::duplicate(&p, &Value::from(*v)));
                    }
                    if op == "In" && *v == 0 {
                        e.push(invalid(&p, &Value::from(*v), "must not be 0 for the In operator"));
                    }
                    if i > 0 && values[i - 1] > *v {
                        e.push(invalid(&p, &Value::from(*v), "must be ordered"));
                    }
                }
            }
        }
        for (cp, cond) in e.items(rule, &rp, "onPodConditions") {
            let ty = e.str(cond, &cp, "type");
            super::meta::check_qualified_name(e, ty, &child(&cp, "type"));
            let status = e.str(cond, &cp, "status");
            if !matches!(status, "True" | "False" | "Unknown") {
                e.push(not_supported(&child(&cp, "status"), &s(status), &["False", "True", "Unknown"]));
            }
        }
    }
}

fn validate_success_policy(e: &mut Errs, spec: &Value, path: &str, indexed: bool) {
    let Some(sp) = e.opt_obj(spec, path, "successPolicy") else { return };
    let p = child(path, "successPolicy");
    if !indexed {
        e.push(invalid_rendered(&p, &sp.to_string(), "requires indexed completion mode"));
        return;
    }
    let rules = e.items(sp, &p, "rules");
    if rules.is_empty() {
        e.push(required(
            &child(&p, "rules"),
            "at least one rules must be specified when the successPolicy is specified",
        ));
    }
    if rules.len() > 20 {
        e.push(crate::validation::errors::too_many(&child(&p, "rules"), rules.len(), 20));
    }
    for (rp, rule) in rules {
        let indexes = e.opt_str(rule, &rp, "succeededIndexes");
        let count = e.opt_int(rule, &rp, "succeededCount");
        if indexes.is_none() && count.is_none() {
            e.push(required(&rp, "at least one of succeededCount or succeededIndexes must be specified"));
        }
        if let Some(c) = count {
            if c < 0 {
                e.push(invalid(&child(&rp, "succeededCount"), &Value::from(c), "must be greater than or equal to 0"));
            }
        }
    }
}

/// `validateJobSpec` (shared by Jobs and CronJob job templates).
fn validate_job_spec_common(e: &mut Errs, spec: &Value, path: &str) {
    for k in [
        "parallelism",
        "completions",
        "activeDeadlineSeconds",
        "backoffLimit",
        "ttlSecondsAfterFinished",
        "backoffLimitPerIndex",
    ] {
        nonnegative(e, spec, path, k);
    }
    let parallelism = e.opt_int(spec, path, "parallelism");
    let completions = e.opt_int(spec, path, "completions");
    let per_index = e.opt_int(spec, path, "backoffLimitPerIndex");
    let max_failed = e.opt_int(spec, path, "maxFailedIndexes");
    if let Some(m) = max_failed {
        if m < 0 {
            e.push(invalid(&child(path, "maxFailedIndexes"), &Value::from(m), "must be greater than or equal to 0"));
        }
        if per_index.is_none() {
            e.push(required(&child(path, "backoffLimitPerIndex"), "when maxFailedIndexes is specified"));
        }
    }
    if let Some(managed_by) = e.opt_str(spec, path, "managedBy") {
        let mp = child(path, "managedBy");
        match managed_by.split_once('/') {
            Some((host, rest)) if !host.is_empty() && !rest.is_empty() => {
                for msg in name_problems(NameRule::Dns1123Subdomain, host) {
                    e.push(invalid(&mp, &s(host), &msg));
                }
            }
            _ if managed_by.is_empty() => e.push(required(&mp, "")),
            _ => e.push(invalid(&mp, &s(managed_by), "must be a domain-prefixed path (such as \"acme.io/foo\")")),
        }
        if managed_by.len() > 63 {
            e.push(crate::validation::errors::too_long(&mp, 63));
        }
    }
    let mode = e.opt_str(spec, path, "completionMode");
    let indexed = mode == Some("Indexed");
    if let Some(m) = mode {
        if m != "NonIndexed" && m != "Indexed" {
            e.push(not_supported(&child(path, "completionMode"), &s(m), &["NonIndexed", "Indexed"]));
        }
        if indexed {
            if completions.is_none() {
                e.push(required(&child(path, "completions"), "when completion mode is Indexed"));
            }
            if let Some(p) = parallelism.filter(|p| *p > MAX_PARALLELISM_INDEXED) {
                e.push(invalid(
                    &child(path, "parallelism"),
                    &Value::from(p),
                    "must be less than or equal to 100000 when completion mode is Indexed",
                ));
            }
            if let (Some(c), Some(m)) = (completions, max_failed) {
                if m > c {
                    e.push(invalid(
                        &child(path, "maxFailedIndexes"),
                        &Value::from(m),
                        "must be less than or equal to completions",
                    ));
                }
            }
            if let Some(m) = max_failed.filter(|m| *m > MAX_FAILED_INDEXES) {
                e.push(invalid(
                    &child(path, "maxFailedIndexes"),
                    &Value::from(m),
                    "must be less than or equal to 100000",
                ));
            }
        }
    }
    if !indexed {
        if let Some(b) = per_index {
            e.push(invalid(&child(path, "backoffLimitPerIndex"), &Value::from(b), "requires indexed completion mode"));
        }
        if let Some(m) = max_failed {
            e.push(invalid(&child(path, "maxFailedIndexes"), &Value::from(m), "requires indexed completion mode"));
        }
    }
    validate_pod_failure_policy(e, spec, path);
    validate_success_policy(e, spec, path, indexed);
    let has_pfp = spec.get("podFailurePolicy").is_some_and(|v| !v.is_null());
    if let Some(prp) = e.opt_str(spec, path, "podReplacementPolicy") {
        if has_pfp {
            if prp != "Failed" {
                e.push(not_supported(&child(path, "podReplacementPolicy"), &s(prp), &["Failed"]));
            }
        } else if prp != "Failed" && prp != "TerminatingOrFailed" {
            e.push(not_supported(&child(path, "podReplacementPolicy"), &s(prp), &["Failed", "TerminatingOrFailed"]));
        }
    }
    e.opt_bool(spec, path, "suspend");
    e.opt_bool(spec, path, "manualSelector");
    let tp = child(path, "template");
    let template = e.obj(spec, path, "template");
    validate_pod_template_spec(e, template, &tp);
    let restart = template.get("spec").map_or("", |ps| get_str(ps, "restartPolicy"));
    let rp = child(&child(&tp, "spec"), "restartPolicy");
    if restart == "Always" || restart.is_empty() {
        e.push(required(&rp, "valid values: \"OnFailure\", \"Never\""));
    } else if restart != "OnFailure" && restart != "Never" {
        e.push(not_supported(&rp, &s(restart), &["OnFailure", "Never"]));
    } else if has_pfp && restart != "Never" {
        e.push(invalid(&rp, &s(restart), "only \"Never\" is supported when podFailurePolicy is specified"));
    }
}

/// `ValidateJobSpec`: the common checks plus a required, matching selector.
fn validate_job_spec(e: &mut Errs, spec: &Value, path: &str) {
    validate_job_spec_common(e, spec, path);
    let sel = spec.get("selector").unwrap_or(&NULL);
    if sel.is_null() {
        e.push(required(&child(path, "selector"), ""));
    } else {
        validate_label_selector(e, spec, path, "selector", STRICT);
    }
    if let Some(selector) = as_selector(sel) {
        let template = spec.get("template").unwrap_or(&NULL);
        if !selector_matches_template(&selector, template) {
            e.push(selector_mismatch(template, &format!("{path}.template.metadata.labels")));
        }
    }
}

/// `ValidateHasLabel` on the pod template's labels.
fn has_label(e: &mut Errs, template: &Value, label: &str, expected: &str) {
    let labels = template.get("metadata").and_then(|m| m.get("labels"));
    let path = "spec.template.metadata.labels";
    match labels.and_then(|l| l.get(label)).and_then(Value::as_str) {
        None => e.push(required(&key(path, label), &format!("must be '{expected}'"))),
        Some(v) if v != expected => e.push(invalid_rendered(
            &key(path, label),
            &super::access::go_string_map(labels.and_then(Value::as_object)),
            &format!("must be '{expected}'"),
        )),
        Some(_) => {}
    }
}

/// `validateGeneratedSelector`: a generated selector must carry the job's uid and name.
fn validate_generated_selector(e: &mut Errs, job: &Value) {
    let spec = job.get("spec").unwrap_or(&NULL);
    if spec.get("manualSelector").and_then(Value::as_bool) == Some(true) {
        return;
    }
    let Some(sel) = spec.get("selector").filter(|v| !v.is_null()) else { return };
    let meta = job.get("metadata").unwrap_or(&NULL);
    let uid = get_str(meta, "uid");
    let name = get_str(meta, "name");
    if uid.is_empty() {
        e.push(required("metadata.uid", ""));
    }
    let template = spec.get("template").unwrap_or(&NULL);
    has_label(e, template, "controller-uid", uid);
    has_label(e, template, "job-name", name);
    has_label(e, template, "batch.kubernetes.io/controller-uid", uid);
    has_label(e, template, "batch.kubernetes.io/job-name", name);
    let expected = serde_json::json!({
        "controller-uid": uid, "job-name": name,
        "batch.kubernetes.io/controller-uid": uid, "batch.kubernetes.io/job-name": name,
    });
    if let (Some(selector), Some(labels)) = (as_selector(sel), expected.as_object()) {
        if !selector.matches(labels) {
            e.push(invalid_rendered(
                "spec.selector",
                &super::access::go_label_selector(sel),
                "`selector` not auto-generated",
            ));
        }
    }
}

pub(super) fn job_create(e: &mut Errs, job: &Value) {
    validate_generated_selector(e, job);
    let spec = e.obj(job, "", "spec");
    validate_job_spec(e, spec, "spec");
    let name = get_str(job.get("metadata").unwrap_or(&NULL), "name");
    if get_str(spec, "completionMode") == "Indexed" {
        if let Some(c) = get_int(spec, "completions").filter(|c| *c > 0) {
            let host = format!("{name}-{}", c - 1);
            if !name_problems(NameRule::Dns1123Label, &host).is_empty() {
                e.push(invalid(
                    "metadata.name",
                    &s(name),
                    &format!("will not able to create pod with invalid DNS label: {host}"),
                ));
            }
        }
    }
}

/// Scheduling directives of a suspended, never-started job's template may change.
fn mask_mutable_scheduling(template: &Value, other: &Value) -> Value {
    let mut t = template.clone();
    if let (Value::Object(m), Some(o)) = (&mut t, other.as_object()) {
        for k in ["metadata"] {
            if let Some(v) = o.get(k) {
                let mut meta = m.get(k).cloned().unwrap_or(Value::Null);
                if let (Value::Object(mm), Value::Object(om)) = (&mut meta, v) {
                    for f in ["labels", "annotations"] {
                        mm.insert(f.into(), om.get(f).cloned().unwrap_or(Value::Null));
                    }
                }
                m.insert(k.into(), meta);
            }
        }
        if let (Some(Value::Object(ps)), Some(ops)) = (m.get_mut("spec"), o.get("spec").and_then(Value::as_object)) {
            for f in ["nodeSelector", "tolerations", "schedulingGates"] {
                ps.insert(f.into(), ops.get(f).cloned().unwrap_or(Value::Null));
            }
            match ops.get("affinity").filter(|a| !a.is_null()) {
                None => {
                    // Clearing the affinity is allowed when it held only node affinity.
                    if let Some(Value::Object(a)) = ps.get_mut("affinity") {
                        a.remove("nodeAffinity");
                        if a.values().all(super::access::is_empty_value) {
                            ps.remove("affinity");
                        }
                    }
                }
                Some(new_aff) => {
                    let na = new_aff.get("nodeAffinity").cloned().unwrap_or(Value::Null);
                    match ps.get_mut("affinity") {
                        Some(Value::Object(a)) => {
                            a.insert("nodeAffinity".into(), na);
                        }
                        _ => {
                            ps.insert("affinity".into(), serde_json::json!({"nodeAffinity": na}));
                        }
                    }
                }
            }
        }
    }
    t
}

pub(super) fn job_update(e: &mut Errs, new: &Value, old: &Value) {
    let spec = e.obj(new, "", "spec");
    let old_spec = old.get("spec").unwrap_or(&NULL);
    validate_job_spec(e, spec, "spec");
    let indexed = get_str(spec, "completionMode") == "Indexed";
    if !field_eq(spec, old_spec, "completions") {
        match (indexed, get_int(spec, "completions")) {
            (true, Some(c)) => {
                if Some(c) != get_int(spec, "parallelism") {
                    e.push(invalid(
                        "spec.completions",
                        &Value::from(c),
                        "can only be modified in tandem with spec.parallelism",
                    ));
                }
            }
            (true, None) => {}
            (false, _) => {
                e.push(invalid("spec.completions", spec.get("completions").unwrap_or(&NULL), "field is immutable"))
            }
        }
    }
    if !field_eq(spec, old_spec, "selector") {
        e.push(immutable_selector("spec.selector", spec.get("selector").unwrap_or(&NULL)));
    }
    let template = spec.get("template").unwrap_or(&NULL);
    let old_template = old_spec.get("template").unwrap_or(&NULL);
    let suspended = old_spec.get("suspend").and_then(Value::as_bool) == Some(true);
    let started = old.get("status").and_then(|s| s.get("startTime")).is_some_and(|v| !v.is_null());
    let comparable =
        if suspended && !started { mask_mutable_scheduling(old_template, template) } else { old_template.clone() };
    if !semantic_eq(template, &comparable) {
        e.push(invalid_rendered("spec.template", &render_json(template), "field is immutable"));
    }
    for k in ["completionMode", "podFailurePolicy", "backoffLimitPerIndex", "managedBy"] {
        if !field_eq(spec, old_spec, k) {
            e.push(invalid_rendered(
                &format!("spec.{k}"),
                &render_json(spec.get(k).unwrap_or(&NULL)),
                "field is immutable",
            ));
        }
    }
}

pub(super) fn job_status(e: &mut Errs, new: &Value, _old: &Value) {
    let status = e.obj(new, "", "status");
    for k in ["active", "succeeded", "failed", "ready", "terminating"] {
        nonnegative(e, status, "status", k);
    }
}

/// Errors from `cron.ParseStandard`, as robfig/cron/v3 words them.
pub(super) fn cron_error(schedule: &str) -> Option<String> {
    let mut spec = schedule;
    if spec.is_empty() {
        return Some("empty spec string".to_string());
    }
    if spec.starts_with("TZ=") || spec.starts_with("CRON_TZ=") {
        let (tz, rest) = spec.split_once(' ').unwrap_or((spec, ""));
        let loc = tz.split_once('=').map_or("", |(_, l)| l);
        if let Some(err) = time_zone_error(loc) {
            return Some(format!("provided bad location {loc}: {err}"));
        }
        spec = rest.trim_start();
    }
    if spec.starts_with('@') {
        return match spec {
            "@yearly" | "@annually" | "@monthly" | "@weekly" | "@daily" | "@midnight" | "@hourly" => None,
            _ if spec.starts_with("@every ") => {
                let d = &spec["@every ".len()..];
                go_duration_ok(d).then_some(()).map_or_else(
                    || Some(format!("failed to parse duration {spec}: time: invalid duration {}", go_quote(d))),
                    |_| None,
                )
            }
            _ => Some(format!("unrecognized descriptor: {spec}")),
        };
    }
    let fields: Vec<&str> = spec.split_whitespace().collect();
    if fields.len() != 5 {
        return Some(format!("expected exactly 5 fields, found {}: [{}]", fields.len(), fields.join(" ")));
    }
    const MONTHS: &[&str] = &["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    const DAYS: &[&str] = &["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
    let bounds: [CronBounds; 5] =
        [(0, 59, None), (0, 23, None), (1, 31, None), (1, 12, Some((MONTHS, 1))), (0, 6, Some((DAYS, 0)))];
    for (field, (min, max, names)) in fields.iter().zip(bounds) {
        for expr in field.split(',') {
            if let Err(msg) = cron_range(expr, min, max, names) {
                return Some(msg);
            }
        }
    }
    None
}

/// A cron field's minimum, maximum and optional names (with the value of the first name).
type CronBounds<'a> = (u64, u64, Option<(&'a [&'a str], u64)>);

fn cron_int(expr: &str, names: Option<(&[&str], u64)>) -> Result<u64, String> {
    if let Some((list, base)) = names {
        if let Some(i) = list.iter().position(|n| *n == expr.to_lowercase()) {
            return Ok(base + i as u64);
        }
    }
    let n: i64 = expr.parse().map_err(|_| {
        let reason = if expr.trim_start_matches(['-', '+']).bytes().all(|b| b.is_ascii_digit()) && !expr.is_empty() {
            "value out of range"
        } else {
            "invalid syntax"
        };
        format!("failed to parse int from {expr}: strconv.Atoi: parsing {}: {reason}", go_quote(expr))
    })?;
    if n < 0 {
        return Err(format!("negative number ({n}) not allowed: {expr}"));
    }
    Ok(n as u64)
}

fn cron_range(expr: &str, min: u64, max: u64, names: Option<(&[&str], u64)>) -> Result<(), String> {
    let range_and_step: Vec<&str> = expr.split('/').collect();
    let low_high: Vec<&str> = range_and_step[0].split('-').collect();
    let (start, mut end) = if low_high[0] == "*" || low_high[0] == "?" {
        (min, max)
    } else {
        let start = cron_int(low_high[0], names)?;
        let end = match low_high.len() {
            1 => start,
            2 => cron_int(low_high[1], names)?,
            _ => return Err(format!("too many hyphens: {expr}")),
        };
        (start, end)
    };
    let step = match range_and_step.len() {
        1 => 1,
        2 => {
            let step = cron_int(range_and_step[1], None)?;
            if low_high.len() == 1 {
                end = max;
            }
            step
        }
        _ => return Err(format!("too many slashes: {expr}")),
    };
    if start < min {
        return Err(format!("beginning of range ({start}) below minimum ({min}): {expr}"));
    }
    if end > max {
        return Err(format!("end of range ({end}) above maximum ({max}): {expr}"));
    }
    if start > end {
        return Err(format!("beginning of range ({start}) beyond end of range ({end}): {expr}"));
    }
    if step == 0 {
        return Err(format!("step of range should be a positive number: {expr}"));
    }
    Ok(())
}

/// Whether Go's `time.ParseDuration` accepts `d` (e.g. `1h30m`, `90s`, `1.5h`).
fn go_duration_ok(d: &str) -> bool {
    let d = d.strip_prefix(['+', '-']).unwrap_or(d);
    if d == "0" {
        return true;
    }
    let mut rest = d;
    if rest.is_empty() {
        return false;
    }
    while !rest.is_empty() {
        let num_len = rest.bytes().take_while(|b| b.is_ascii_digit() || *b == b'.').count();
        if num_len == 0 || rest[..num_len] == *"." {
            return false;
        }
        rest = &rest[num_len..];
        let unit = ["ns", "us", "µs", "μs", "ms", "s", "m", "h"].iter().find(|u| rest.starts_with(**u));
        match unit {
            Some(u) => rest = &rest[u.len()..],
            None => return false,
        }
    }
    true
}

const TZ_REGIONS: &[&str] = &[
    "Africa",
    "America",
    "Antarctica",
    "Arctic",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
    "Etc",
    "US",
    "Canada",
    "Brazil",
    "Mexico",
    "Chile",
];
const TZ_SINGLE: &[&str] = &[
    "UTC",
    "GMT",
    "UCT",
    "Zulu",
    "Universal",
    "Greenwich",
    "EST",
    "MST",
    "HST",
    "EST5EDT",
    "CST6CDT",
    "MST7MDT",
    "PST8PDT",
    "CET",
    "EET",
    "MET",
    "WET",
    "Japan",
    "Singapore",
    "Turkey",
    "Egypt",
    "Israel",
    "Iran",
    "Cuba",
    "Jamaica",
    "Libya",
    "Poland",
    "Portugal",
    "Eire",
    "Iceland",
    "Hongkong",
    "Navajo",
    "NZ",
    "PRC",
    "ROC",
    "ROK",
    "GB",
    "W-SU",
    "Kwajalein",
];

/// `time.LoadLocation`'s verdict, approximated without a zone database: well-formed names
/// under the IANA regions are accepted.
fn time_zone_error(tz: &str) -> Option<String> {
    if tz.is_empty() || tz == "UTC" || tz == "Local" {
        return None;
    }
    let parts: Vec<&str> = tz.split('/').collect();
    let known = match parts.as_slice() {
        [single] => TZ_SINGLE.contains(single),
        [region, rest @ ..] => {
            TZ_REGIONS.contains(region)
                && rest.iter().all(|p| {
                    p.chars()
                        .next()
                        .is_some_and(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-' || c == '+')
                })
        }
        [] => false,
    };
    (!known).then(|| format!("unknown time zone {tz}"))
}

fn validate_time_zone(e: &mut Errs, spec: &Value) {
    let Some(tz) = e.opt_str(spec, "spec", "timeZone") else { return };
    let path = "spec.timeZone";
    if tz.is_empty() {
        e.push(invalid(path, &s(tz), "timeZone must be nil or non-empty string"));
        return;
    }
    for part in tz.split('/') {
        let ok_chars = !part.is_empty()
            && part.len() <= 14
            && part.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'+'));
        if part == "." || part == ".." || part.starts_with('-') || !ok_chars {
            e.push(invalid(path, &s(tz), &format!("unknown time zone {tz}")));
            return;
        }
    }
    if tz.eq_ignore_ascii_case("Local") {
        e.push(invalid(
            path,
            &s(tz),
            "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones",
        ));
    }
    if let Some(err) = time_zone_error(tz) {
        e.push(invalid(path, &s(tz), &err));
    }
}

fn validate_cron_job_spec(e: &mut Errs, obj: &Value, old: Option<&Value>) {
    let spec = e.obj(obj, "", "spec");
    let old_spec = old.and_then(|o| o.get("spec"));
    let schedule = e.str(spec, "spec", "schedule");
    if schedule.is_empty() {
        e.push(required("spec.schedule", ""));
    } else {
        if let Some(err) = cron_error(schedule) {
            e.push(invalid("spec.schedule", &s(schedule), &err));
        }
        let allow_tz = old_spec.is_some_and(|o| get_str(o, "schedule").contains("TZ"));
        let has_tz_field = spec.get("timeZone").is_some_and(|v| !v.is_null());
        if allow_tz && schedule.contains("TZ") && has_tz_field {
            e.push(invalid(
                "spec.schedule",
                &s(schedule),
                "cannot use both timeZone field and TZ or CRON_TZ in schedule",
            ));
        } else if !allow_tz && schedule.contains("TZ") {
            e.push(invalid(
                "spec.schedule",
                &s(schedule),
                "cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
            ));
        }
    }
    nonnegative(e, spec, "spec", "startingDeadlineSeconds");
    if old_spec.is_none_or(|o| !field_eq(o, spec, "timeZone")) {
        validate_time_zone(e, spec);
    }
    let policy = e.str(spec, "spec", "concurrencyPolicy");
    match policy {
        "Allow" | "Forbid" | "Replace" => {}
        "" => e.push(required("spec.concurrencyPolicy", "")),
        other => e.push(not_supported("spec.concurrencyPolicy", &s(other), &["Allow", "Forbid", "Replace"])),
    }
    let jt = e.obj(spec, "spec", "jobTemplate");
    let jp = "spec.jobTemplate";
    let meta = e.obj(jt, jp, "metadata");
    super::meta::validate_labels(e, meta, "spec.jobTemplate.metadata", "labels");
    super::meta::validate_annotations(e, meta, "spec.jobTemplate.metadata", "annotations");
    let job_spec = e.obj(jt, jp, "spec");
    validate_job_spec_common(e, job_spec, "spec.jobTemplate.spec");
    if let Some(sel) = job_spec.get("selector").filter(|v| !v.is_null()) {
        e.push(invalid_rendered(
            "spec.jobTemplate.spec.selector",
            &super::access::go_label_selector(sel),
            "`selector` will be auto-generated",
        ));
    }
    if job_spec.get("manualSelector").and_then(Value::as_bool) == Some(true) {
        e.push(not_supported_rendered("spec.jobTemplate.spec.manualSelector", "true", &["nil", "false"]));
    }
    nonnegative(e, spec, "spec", "successfulJobsHistoryLimit");
    nonnegative(e, spec, "spec", "failedJobsHistoryLimit");
    e.opt_bool(spec, "spec", "suspend");
}

pub(super) fn cron_job_create(e: &mut Errs, obj: &Value) {
    validate_cron_job_spec(e, obj, None);
    let name = get_str(obj.get("metadata").unwrap_or(&NULL), "name");
    if name.len() > 52 {
        e.push(invalid("metadata.name", &s(name), "must be no more than 52 characters"));
    }
}

pub(super) fn cron_job_update(e: &mut Errs, new: &Value, old: &Value) {
    validate_cron_job_spec(e, new, Some(old));
}

pub(super) fn cron_job_status(_e: &mut Errs, _new: &Value, _old: &Value) {}
