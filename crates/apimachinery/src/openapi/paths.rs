//! Every path the server serves, built from the resource table: each resource gets the
//! collection, item, watch and subresource paths its verbs allow, with operations named
//! the way upstream's generator names them (`listAppsV1NamespacedDeployment`,
//! `patchCoreV1NamespacedPodStatus`, `connectCoreV1PostNamespacedPodExec`, ...).

use crate::resource::{resources_in, ResourceInfo, Subresource, GROUPS};
use crate::schema::{schema, ValueType};

use super::model::{Body, Gvk, Location, Method, Operation, Param, PathItem, Produces, Reply};
use super::schemas::{kind_type, DELETE_OPTIONS, STATUS, WATCH_EVENT};

/// `/api/v1` or `/apis/apps/v1`.
pub(crate) fn api_prefix(group: &str, version: &str) -> String {
    if group.is_empty() {
        format!("/api/{version}")
    } else {
        format!("/apis/{group}/{version}")
    }
}

/// `Core`, `Apps`, `RbacAuthorization`: the group part of operation ids.
fn group_pascal(group: &str) -> String {
    if group.is_empty() {
        return "Core".into();
    }
    let short = group.strip_suffix(".k8s.io").unwrap_or(group);
    short.split(['.', '-']).map(capitalize).collect()
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `core_v1`, `apps_v1`, `rbacAuthorization_v1`.
fn tag(group: &str, version: &str) -> String {
    format!("{}_{}", lower_first(&group_pascal(group)), version)
}

const LIST_PARAMS: &[(&str, &str, &str)] = &[
    ("allowWatchBookmarks", "boolean", "Ask a watch to also send BOOKMARK events."),
    ("continue", "string", "The token a previous chunk of this list returned, to fetch the next chunk."),
    ("fieldSelector", "string", "Only return objects whose fields match this selector."),
    ("labelSelector", "string", "Only return objects whose labels match this selector."),
    ("limit", "integer", "The largest number of objects to return in one chunk."),
    ("resourceVersion", "string", "The resource version the read must be at least as new as (or match)."),
    ("resourceVersionMatch", "string", "How resourceVersion applies to a list: Exact or NotOlderThan."),
    ("sendInitialEvents", "boolean", "Begin a watch with synthetic events for the existing objects."),
    ("timeoutSeconds", "integer", "End the list or watch after this many seconds."),
    ("watch", "boolean", "Stream changes to the objects instead of listing them."),
];

const DRY_RUN: (&str, &str, &str) =
    ("dryRun", "string", "Process the request without persisting it; the value is All.");
const FIELD_MANAGER: (&str, &str, &str) =
    ("fieldManager", "string", "Who makes the change, as recorded in managedFields; required for apply patches.");
const FIELD_VALIDATION: (&str, &str, &str) = (
    "fieldValidation",
    "string",
    "What to do with unknown or duplicate fields in the body: Ignore drops them, Warn drops them with a \
     warning header, Strict rejects the request.",
);
const FORCE: (&str, &str, &str) =
    ("force", "boolean", "Take over fields other managers own; only valid for apply patches.");
const GRACE_PERIOD: (&str, &str, &str) =
    ("gracePeriodSeconds", "integer", "Seconds to wait before deleting; zero deletes at once.");
const ORPHAN: (&str, &str, &str) =
    ("orphanDependents", "boolean", "Deprecated in favour of propagationPolicy: whether dependents are orphaned.");
const PROPAGATION: (&str, &str, &str) =
    ("propagationPolicy", "string", "How dependents are garbage collected: Orphan, Background or Foreground.");

fn params(list: &[(&str, &'static str, &str)]) -> Vec<Param> {
    list.iter().map(|(n, t, d)| Param::query(n, t, d)).collect()
}

fn pretty() -> Param {
    Param::query("pretty", "string", "Indent the response for people to read when 'true'.")
}

fn write_params() -> Vec<Param> {
    params(&[DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION])
}

fn patch_params() -> Vec<Param> {
    params(&[DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, FORCE])
}

fn delete_params() -> Vec<Param> {
    params(&[DRY_RUN, GRACE_PERIOD, ORPHAN, PROPAGATION])
}

fn delete_collection_params() -> Vec<Param> {
    let mut p = params(&[DRY_RUN, GRACE_PERIOD, ORPHAN, PROPAGATION]);
    p.extend(params(&LIST_PARAMS[1..9]));
    p.sort_by(|a, b| a.name.cmp(&b.name));
    p
}

/// Builds the operations of one resource (or subresource) path.
struct Ops<'a> {
    gv: String,
    tag: &'a str,
    scope: &'static str,
    kind: &'static str,
}

impl Ops<'_> {
    fn id(&self, verb: &str, suffix: &str) -> String {
        format!("{verb}{}{}{}{suffix}", self.gv, self.scope, self.kind)
    }

    #[allow(clippy::too_many_arguments)]
    fn op(
        &self,
        method: Method,
        id: String,
        description: String,
        action: &'static str,
        gvk: Gvk,
        params: Vec<Param>,
        body: Option<Body>,
        produces: Produces,
        responses: Vec<(u16, &'static str, Reply)>,
    ) -> Operation {
        Operation {
            method,
            id,
            description,
            action: Some(action),
            gvk: Some(gvk),
            params,
            body_required: matches!(body, Some(Body::Patch))
                || matches!(&body, Some(Body::Object(n)) if n != DELETE_OPTIONS),
            body,
            produces,
            responses,
            tag: self.tag.to_string(),
        }
    }
}

fn ok(def: &str) -> Vec<(u16, &'static str, Reply)> {
    vec![(200, "OK", Reply::Object(def.into()))]
}

fn written(def: &str, accepted: bool) -> Vec<(u16, &'static str, Reply)> {
    let mut r = vec![(200, "OK", Reply::Object(def.into())), (201, "Created", Reply::Object(def.into()))];
    if accepted {
        r.push((202, "Accepted", Reply::Object(def.into())));
    }
    r
}

fn deleted() -> Vec<(u16, &'static str, Reply)> {
    vec![(200, "OK", Reply::Object(STATUS.into())), (202, "Accepted", Reply::Object(STATUS.into()))]
}

/// Every path of a served group version, sorted by path.
pub(crate) fn group_version_paths(group: &str, version: &str) -> Vec<PathItem> {
    let prefix = api_prefix(group, version);
    let tag = tag(group, version);
    let mut items = vec![PathItem {
        path: format!("{prefix}/"),
        params: Vec::new(),
        ops: vec![Operation {
            method: Method::Get,
            id: format!("get{}{}APIResources", group_pascal(group), capitalize(version)),
            description: "get the resources this group version serves".into(),
            action: None,
            gvk: None,
            params: Vec::new(),
            body: None,
            body_required: false,
            produces: Produces::Object,
            responses: ok("io.k8s.apimachinery.pkg.apis.meta.v1.APIResourceList"),
            tag: tag.clone(),
        }],
    }];
    for r in resources_in(group, version) {
        resource_paths(r, &prefix, &tag, &mut items);
    }
    items.sort_by(|a, b| a.path.cmp(&b.path));
    items
}

/// The discovery document of a group (`/apis/apps/`), of the legacy API (`/api/`) or of
/// all groups (`/apis/`), keyed like the v3 index (`apis/apps`, `api`, `apis`).
pub(crate) fn discovery_paths(key: &str) -> Option<Vec<PathItem>> {
    let (path, id, tag, def) = match key {
        "api" => ("/api/".to_string(), "getCoreAPIVersions".to_string(), "core".to_string(), "APIVersions"),
        "apis" => ("/apis/".to_string(), "getAPIVersions".to_string(), "apis".to_string(), "APIGroupList"),
        _ => {
            let group = key.strip_prefix("apis/")?;
            if !GROUPS.iter().any(|(g, _)| !g.is_empty() && *g == group) {
                return None;
            }
            let pascal = group_pascal(group);
            (format!("/apis/{group}/"), format!("get{pascal}APIGroup"), lower_first(&pascal), "APIGroup")
        }
    };
    Some(vec![PathItem {
        path,
        params: Vec::new(),
        ops: vec![Operation {
            method: Method::Get,
            id,
            description: "get the available API versions".into(),
            action: None,
            gvk: None,
            params: Vec::new(),
            body: None,
            body_required: false,
            produces: Produces::Object,
            responses: ok(&format!("io.k8s.apimachinery.pkg.apis.meta.v1.{def}")),
            tag,
        }],
    }])
}

fn resource_paths(r: &'static ResourceInfo, prefix: &str, tag: &str, items: &mut Vec<PathItem>) {
    let Some(kind_def) = kind_type(r.group, r.version, r.kind) else {
        return;
    };
    let list_kind = r.list_kind();
    let list_def = kind_type(r.group, r.version, &list_kind);
    let gvk = Gvk { group: r.group, version: r.version, kind: r.kind };
    let ops = Ops {
        gv: format!("{}{}", group_pascal(r.group), capitalize(r.version)),
        tag,
        scope: if r.namespaced { "Namespaced" } else { "" },
        kind: r.kind,
    };
    let scope_path = if r.namespaced { "namespaces/{namespace}/" } else { "" };
    let collection_params = {
        let mut p = Vec::new();
        if r.namespaced {
            p.push(namespace_param());
        }
        p.push(pretty());
        p
    };
    let item_params = |pretty_too: bool| {
        let mut p = vec![Param::path("name", format!("name of the {}", r.kind))];
        if r.namespaced {
            p.push(namespace_param());
        }
        if pretty_too {
            p.push(pretty());
        }
        p
    };
    let kind = r.kind;

    // The collection.
    let mut coll = Vec::new();
    if let (true, Some(list_def)) = (r.supports("list"), list_def) {
        coll.push(ops.op(
            Method::Get,
            ops.id("list", ""),
            format!("list or watch {kind} objects"),
            "list",
            gvk,
            params(LIST_PARAMS),
            None,
            Produces::List,
            ok(list_def),
        ));
    }
    if r.supports("create") {
        coll.push(ops.op(
            Method::Post,
            ops.id("create", ""),
            format!("create a {kind}"),
            "post",
            gvk,
            write_params(),
            Some(Body::Object(kind_def.into())),
            Produces::Object,
            written(kind_def, true),
        ));
    }
    if r.supports("deletecollection") {
        coll.push(ops.op(
            Method::Delete,
            format!("delete{}Collection{}{}", ops.gv, ops.scope, kind),
            format!("delete a collection of {kind} objects"),
            "deletecollection",
            gvk,
            delete_collection_params(),
            Some(Body::Object(DELETE_OPTIONS.into())),
            Produces::Object,
            ok(STATUS),
        ));
    }
    if !coll.is_empty() {
        items.push(PathItem {
            path: format!("{prefix}/{scope_path}{}", r.plural),
            params: collection_params.clone(),
            ops: coll,
        });
    }

    // Lists across namespaces.
    if let (true, true, Some(list_def)) = (r.namespaced, r.supports("list"), list_def) {
        items.push(PathItem {
            path: format!("{prefix}/{}", r.plural),
            params: vec![pretty()],
            ops: vec![ops.op(
                Method::Get,
                format!("list{}{}ForAllNamespaces", ops.gv, kind),
                format!("list or watch {kind} objects in all namespaces"),
                "list",
                gvk,
                params(LIST_PARAMS),
                None,
                Produces::List,
                ok(list_def),
            )],
        });
    }

    // The item.
    let mut item = Vec::new();
    if r.supports("get") {
        item.push(ops.op(
            Method::Get,
            ops.id("read", ""),
            format!("read the named {kind}"),
            "get",
            gvk,
            Vec::new(),
            None,
            Produces::Object,
            ok(kind_def),
        ));
    }
    if r.supports("update") {
        item.push(ops.op(
            Method::Put,
            ops.id("replace", ""),
            format!("replace the named {kind}"),
            "put",
            gvk,
            write_params(),
            Some(Body::Object(kind_def.into())),
            Produces::Object,
            written(kind_def, false),
        ));
    }
    if r.supports("patch") {
        item.push(ops.op(
            Method::Patch,
            ops.id("patch", ""),
            format!("partially update the named {kind}"),
            "patch",
            gvk,
            patch_params(),
            Some(Body::Patch),
            Produces::Object,
            written(kind_def, false),
        ));
    }
    if r.supports("delete") {
        item.push(ops.op(
            Method::Delete,
            ops.id("delete", ""),
            format!("delete the named {kind}"),
            "delete",
            gvk,
            delete_params(),
            Some(Body::Object(DELETE_OPTIONS.into())),
            Produces::Object,
            deleted(),
        ));
    }
    let item_path = format!("{prefix}/{scope_path}{}/{{name}}", r.plural);
    if !item.is_empty() {
        items.push(PathItem { path: item_path.clone(), params: item_params(true), ops: item });
    }

    // The legacy watch paths.
    if r.supports("watch") {
        let watch = |path: String, id: String, description: String, action: &'static str, p: Vec<Param>| PathItem {
            path,
            params: p,
            ops: vec![ops.op(
                Method::Get,
                id,
                description,
                action,
                gvk,
                params(LIST_PARAMS),
                None,
                Produces::List,
                ok(WATCH_EVENT),
            )],
        };
        let deprecated = "(deprecated: use the watch parameter of a list instead)";
        items.push(watch(
            format!("{prefix}/watch/{scope_path}{}", r.plural),
            ops.id("watch", "List"),
            format!("watch changes to {kind} objects {deprecated}"),
            "watchlist",
            collection_params.clone(),
        ));
        items.push(watch(
            format!("{prefix}/watch/{scope_path}{}/{{name}}", r.plural),
            ops.id("watch", ""),
            format!("watch changes to the named {kind} {deprecated}"),
            "watch",
            item_params(true),
        ));
        if r.namespaced {
            items.push(watch(
                format!("{prefix}/watch/{}", r.plural),
                format!("watch{}{}ListForAllNamespaces", ops.gv, kind),
                format!("watch changes to {kind} objects in all namespaces {deprecated}"),
                "watchlist",
                vec![pretty()],
            ));
        }
    }

    for s in r.subresources {
        subresource_paths(&ops, s, &item_path, item_params(false), items);
    }
}

fn namespace_param() -> Param {
    Param::path("namespace", "the namespace of the object".into())
}

fn subresource_paths(ops: &Ops<'_>, s: &Subresource, item_path: &str, base: Vec<Param>, items: &mut Vec<PathItem>) {
    let Some(sub_def) = kind_type(s.group, s.version, s.kind) else {
        return;
    };
    let gvk = Gvk { group: s.group, version: s.version, kind: s.kind };
    let suffix = capitalize(s.name);
    let path = format!("{item_path}/{}", s.name);
    let (kind, name) = (ops.kind, s.name);
    let supports = |verb: &str| s.verbs.contains(&verb);
    match s.name {
        "log" => {
            let mut p = base;
            p.push(pretty());
            items.push(PathItem {
                path,
                params: p,
                ops: vec![ops.op(
                    Method::Get,
                    ops.id("read", &suffix),
                    format!("read the log of the named {kind}"),
                    "get",
                    gvk,
                    connect_options("PodLogOptions"),
                    None,
                    Produces::Text,
                    vec![(200, "OK", Reply::Text)],
                )],
            });
        }
        "attach" | "exec" | "portforward" | "proxy" => {
            let methods = connect_methods(s.verbs);
            let connect = |method: Method, with_path: bool, p: Vec<Param>| {
                let id_suffix = if with_path { format!("{suffix}WithPath") } else { suffix.clone() };
                ops.op(
                    method,
                    format!("connect{}{}{}{}{id_suffix}", ops.gv, method.pascal(), ops.scope, ops.kind),
                    format!("connect {} requests to the {name} of the named {kind}", method.pascal().to_uppercase()),
                    "connect",
                    gvk,
                    p,
                    None,
                    Produces::Any,
                    vec![(200, "OK", Reply::Text)],
                )
            };
            let options = connect_options(s.kind);
            items.push(PathItem {
                path: path.clone(),
                params: base.clone(),
                ops: methods.iter().map(|&m| connect(m, false, options.clone())).collect(),
            });
            if s.name == "proxy" {
                let mut p = base;
                p.push(Param::path("path", "the path to reach on the target".into()));
                items.push(PathItem {
                    path: format!("{path}/{{path}}"),
                    params: p,
                    ops: methods.iter().map(|&m| connect(m, true, Vec::new())).collect(),
                });
            }
        }
        _ => {
            let mut list = Vec::new();
            if supports("get") {
                list.push(ops.op(
                    Method::Get,
                    ops.id("read", &suffix),
                    format!("read the {name} of the named {kind}"),
                    "get",
                    gvk,
                    Vec::new(),
                    None,
                    Produces::Object,
                    ok(sub_def),
                ));
            }
            if supports("create") {
                list.push(ops.op(
                    Method::Post,
                    ops.id("create", &suffix),
                    format!("create the {name} of the named {kind}"),
                    "post",
                    gvk,
                    write_params(),
                    Some(Body::Object(sub_def.into())),
                    Produces::Object,
                    written(sub_def, true),
                ));
            }
            if supports("update") {
                list.push(ops.op(
                    Method::Put,
                    ops.id("replace", &suffix),
                    format!("replace the {name} of the named {kind}"),
                    "put",
                    gvk,
                    write_params(),
                    Some(Body::Object(sub_def.into())),
                    Produces::Object,
                    written(sub_def, false),
                ));
            }
            if supports("patch") {
                list.push(ops.op(
                    Method::Patch,
                    ops.id("patch", &suffix),
                    format!("partially update the {name} of the named {kind}"),
                    "patch",
                    gvk,
                    patch_params(),
                    Some(Body::Patch),
                    Produces::Object,
                    written(sub_def, false),
                ));
            }
            if !list.is_empty() {
                let mut p = base;
                p.push(pretty());
                items.push(PathItem { path, params: p, ops: list });
            }
        }
    }
}

/// The methods a connect subresource answers, from its verbs.
fn connect_methods(verbs: &[&str]) -> Vec<Method> {
    let mut methods: Vec<Method> = verbs
        .iter()
        .filter_map(|v| match *v {
            "get" => Some(Method::Get),
            "create" => Some(Method::Post),
            "update" => Some(Method::Put),
            "patch" => Some(Method::Patch),
            "delete" => Some(Method::Delete),
            _ => None,
        })
        .collect();
    methods.sort();
    methods
}

/// The query parameters of a connect or log subresource: the scalar fields of its
/// options kind (`PodExecOptions`, `PodLogOptions`, ...).
fn connect_options(kind: &str) -> Vec<Param> {
    let Some(t) = schema().kind("", "v1", kind) else {
        return Vec::new();
    };
    let mut out: Vec<Param> = t
        .json_fields()
        .iter()
        .filter(|f| f.json_name != "kind" && f.json_name != "apiVersion" && !f.is_map())
        .filter_map(|f| {
            let ty = match f.value {
                ValueType::Bool => "boolean",
                ValueType::Int32 | ValueType::Int64 => "integer",
                ValueType::String => "string",
                _ => return None,
            };
            let description = super::descriptions::descriptions().of_field(&t.name, &f.json_name).map(str::to_string);
            Some(Param { name: f.json_name.clone(), location: Location::Query, ty, description, required: false })
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}
