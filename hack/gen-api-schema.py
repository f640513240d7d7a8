#!/usr/bin/env python3
"""Generate crates/apimachinery/src/schema/api-schema.json from the upstream Go API types.

The table records facts only: for every struct reachable from a served kind, its
OpenAPI-style definition name, whether it embeds TypeMeta, and per field the JSON
name, protobuf tag number, value shape and list/map/struct markers.

Usage:
    hack/gen-api-schema.py [--api GITDIR] [--apimachinery GITDIR] [--tag TAG] [--out FILE]

Both repositories are read as bare git repositories (`git show TAG:path`).
"""

import argparse
import json
import os
import re
import subprocess
import sys

DEFAULT_API = "/work/.mirror/kubernetes+api/repo"
DEFAULT_APIMACHINERY = "/work/.mirror/kubernetes+apimachinery/repo"
DEFAULT_TAG = "v0.33.9"
DEFAULT_OUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "crates", "apimachinery", "src", "schema", "api-schema.json"
)

# Directories of k8s.io/api that the server speaks, in discovery-independent order.
API_DIRS = [
    "core/v1",
    "apps/v1",
    "autoscaling/v1",
    "autoscaling/v2",
    "batch/v1",
    "policy/v1",
    "networking/v1",
    "discovery/v1",
    "coordination/v1",
    "events/v1",
    "rbac/v1",
    "storage/v1",
    "scheduling/v1",
    "certificates/v1",
    "admissionregistration/v1",
    "authentication/v1",
    "authorization/v1",
]

META = "k8s.io/apimachinery/pkg/apis/meta/v1"
RUNTIME = "k8s.io/apimachinery/pkg/runtime"

# Types whose wire and JSON forms are hand-written upstream; the transcoder knows them by name.
SPECIAL = {
    (META, "Time"): "Time",
    (META, "MicroTime"): "MicroTime",
    (META, "Duration"): "Duration",
    (META, "FieldsV1"): "FieldsV1",
    (RUNTIME, "RawExtension"): "RawExtension",
    ("k8s.io/apimachinery/pkg/util/intstr", "IntOrString"): "IntOrString",
    ("k8s.io/apimachinery/pkg/api/resource", "Quantity"): "Quantity",
}

# Named types from packages we do not parse.
FOREIGN_SCALARS = {
    ("k8s.io/apimachinery/pkg/types", "UID"): "string",
    ("k8s.io/apimachinery/pkg/types", "NodeName"): "string",
}

BUILTIN = {"string": "string", "bool": "bool", "int32": "int32", "int64": "int64", "float64": "double"}

# Kinds of the meta.k8s.io group and the unversioned kinds every group version understands.
META_KINDS = ["PartialObjectMetadata", "PartialObjectMetadataList", "TableOptions"]
OPTIONS_KINDS = ["ListOptions", "GetOptions", "DeleteOptions", "CreateOptions", "UpdateOptions", "PatchOptions"]
UNVERSIONED_KINDS = ["Status", "APIVersions", "APIGroupList", "APIGroup", "APIResourceList"]

# meta/v1 types kept even when no kind reaches them (callers look them up by name).
META_EXTRA = ["Condition", "LabelSelector", "WatchEvent", "StatusCause", "Preconditions"]

GENERATED = re.compile(r"(generated|_test)\.go$|^zz_generated")


class GenError(Exception):
    pass


def git(gitdir, *args):
    return subprocess.run(["git", "--git-dir", gitdir, *args], check=True, capture_output=True, text=True).stdout


def def_prefix(pkgpath):
    """`k8s.io/api/core/v1` -> `io.k8s.api.core.v1`."""
    host, _, rest = pkgpath.partition("/")
    return ".".join(reversed(host.split("."))) + "." + rest.replace("/", ".")


class Decl:
    def __init__(self, pkg, name, kind, body, markers, imports):
        self.pkg = pkg
        self.name = name
        self.kind = kind  # "struct" or "named"
        self.body = body  # list of raw fields for structs, the underlying type expression otherwise
        self.markers = markers
        self.imports = imports


def parse_markers(comment_lines):
    """Collects `+key=value` markers from comment lines (values of repeated keys are listed)."""
    out = {}
    for line in comment_lines:
        m = re.match(r"^\+([\w.:()-]+)(?:=(.*))?$", line.strip())
        if not m:
            continue
        key, value = m.group(1), (m.group(2) or "").strip()
        out.setdefault(key, []).append(value)
    return out


def parse_imports(src):
    imports = {}
    block = re.search(r"^import \((.*?)^\)", src, re.S | re.M)
    lines = block.group(1).splitlines() if block else re.findall(r"^import (.*)$", src, re.M)
    for line in lines:
        m = re.match(r'^\s*(\w+)?\s*"([^"]+)"', line)
        if m:
            path = m.group(2)
            imports[m.group(1) or path.rsplit("/", 1)[-1]] = path
    return imports


FIELD_RE = re.compile(r"^\s+(\w+)\s+(\S+)\s+`([^`]*)`\s*(//.*)?$")
EMBED_RE = re.compile(r"^\s+(\*?[\w.]+)\s+`([^`]*)`\s*(//.*)?$")
UNTAGGED_RE = re.compile(r"^\s+(\w+)\s+(\S+)\s*(//.*)?$")


def parse_tags(tag):
    return dict(re.findall(r'(\w+):"([^"]*)"', tag))


def parse_go(pkg, src, decls):
    imports = parse_imports(src)
    lines = src.splitlines()
    closest, second = [], []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("//"):
            closest.append(line[2:].strip())
            i += 1
            continue
        if not line.strip():
            if closest:
                second, closest = closest, []
            i += 1
            continue
        markers = parse_markers(second + closest)
        m = re.match(r"^type (\w+) struct \{$", line)
        if m:
            fields, comments = [], []
            i += 1
            while i < len(lines) and lines[i] != "}":
                fl = lines[i]
                st = fl.strip()
                if st.startswith("//"):
                    comments.append(st[2:].strip())
                elif st.startswith("/*"):
                    while "*/" not in lines[i]:
                        i += 1
                    comments = []
                elif not st:
                    comments = []
                else:
                    fm = FIELD_RE.match(fl)
                    em = EMBED_RE.match(fl)
                    um = UNTAGGED_RE.match(fl)
                    if fm:
                        fields.append((fm.group(1), fm.group(2), parse_tags(fm.group(3)), parse_markers(comments), False))
                    elif em:
                        texpr = em.group(1)
                        fields.append((texpr.lstrip("*").split(".")[-1], texpr, parse_tags(em.group(2)), parse_markers(comments), True))
                    elif um:
                        fields.append((um.group(1), um.group(2), {}, parse_markers(comments), False))
                    else:
                        # Kept so that building this struct (if ever needed) fails loudly.
                        fields.append((st, "?", {}, {}, False))
                    comments = []
                i += 1
            decls[(pkg, m.group(1))] = Decl(pkg, m.group(1), "struct", fields, markers, imports)
        else:
            m = re.match(r"^type (\w+) struct\s*\{\s*\}$", line)
            n = re.match(r"^type (\w+) (?:= )?([^\s/]+)", line)
            if m:
                decls[(pkg, m.group(1))] = Decl(pkg, m.group(1), "struct", [], markers, imports)
            elif n and n.group(2) not in ("interface", "func"):
                decls[(pkg, n.group(1))] = Decl(pkg, n.group(1), "named", n.group(2), markers, imports)
        closest, second = [], []
        i += 1


def split_map(texpr):
    """`map[K]V` -> (K, V), honouring brackets inside K."""
    depth = 0
    for idx, ch in enumerate(texpr[3:], start=3):
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                return texpr[4:idx], texpr[idx + 1 :]
    raise GenError(f"bad map type {texpr}")


class Generator:
    def __init__(self, decls):
        self.decls = decls
        self.types = {}
        self.pending = []

    def def_name(self, pkg, name):
        return def_prefix(pkg) + "." + name

    def want(self, pkg, name):
        dn = self.def_name(pkg, name)
        if dn not in self.types and (pkg, name) not in self.pending:
            self.pending.append((pkg, name))
        return dn

    def lookup(self, pkg, texpr, imports):
        if "." in texpr:
            alias, name = texpr.split(".", 1)
            if alias not in imports:
                raise GenError(f"{pkg}: unknown import alias in {texpr}")
            return imports[alias], name
        return pkg, texpr

    def resolve(self, pkg, texpr, imports):
        """Returns the shape of a Go type expression: type, repeated, map, pointer, markers."""
        shape = {"type": None, "repeated": False, "map": False, "pointer": False, "markers": {}}
        if texpr.startswith("*"):
            inner = self.resolve(pkg, texpr[1:], imports)
            if inner["repeated"] or inner["map"]:
                raise GenError(f"{pkg}: pointer to collection {texpr}")
            inner["pointer"] = True
            return inner
        if texpr == "[]byte":
            shape["type"] = "bytes"
            return shape
        if texpr.startswith("[]"):
            elem = self.resolve(pkg, texpr[2:], imports)
            if elem["repeated"] or elem["map"] or elem["pointer"]:
                raise GenError(f"{pkg}: unsupported element type in {texpr}")
            elem["repeated"] = True
            return elem
        if texpr.startswith("map["):
            k, v = split_map(texpr)
            key = self.resolve(pkg, k, imports)
            if key["type"] != "string" or key["repeated"] or key["map"]:
                raise GenError(f"{pkg}: map key must be a string in {texpr}")
            val = self.resolve(pkg, v, imports)
            if val["repeated"] or val["map"] or val["pointer"]:
                raise GenError(f"{pkg}: unsupported map value in {texpr}")
            val["map"] = key["type"]
            return val
        if texpr in BUILTIN:
            shape["type"] = BUILTIN[texpr]
            return shape
        tpkg, name = self.lookup(pkg, texpr, imports)
        if (tpkg, name) in SPECIAL:
            shape["type"] = SPECIAL[(tpkg, name)]
            return shape
        if (tpkg, name) in FOREIGN_SCALARS:
            shape["type"] = FOREIGN_SCALARS[(tpkg, name)]
            return shape
        decl = self.decls.get((tpkg, name))
        if decl is None:
            raise GenError(f"{pkg}: unknown type {texpr}")
        if decl.kind == "struct":
            shape["type"] = self.want(tpkg, name)
            return shape
        if "protobuf.nullable" in decl.markers and decl.body.startswith("[]"):
            # A named slice that protobuf carries as a message with `repeated items = 1`.
            shape["type"] = self.want(tpkg, name)
            return shape
        under = self.resolve(tpkg, decl.body, decl.imports)
        for key in ("listType", "mapType", "structType"):
            if key in decl.markers:
                under["markers"].setdefault(key, decl.markers[key])
        return under

    def build(self, pkg, name):
        decl = self.decls[(pkg, name)]
        dn = self.def_name(pkg, name)
        if decl.kind == "named" and decl.body.startswith("[]"):
            item = self.resolve(pkg, decl.body[2:], decl.imports)
            self.types[dn] = {"items": item["type"]}
            return
        if decl.kind == "named":
            # `type List metav1.List`: a struct under another name.
            tpkg, tname = self.lookup(pkg, decl.body, decl.imports)
            target = self.decls.get((tpkg, tname))
            if target is None or target.kind != "struct":
                raise GenError(f"{dn}: cannot define a kind over {decl.body}")
            decl = Decl(pkg, name, "struct", target.body, target.markers, target.imports)
            pkg = tpkg
        out = {}
        fields = []
        for idx, (fname, texpr, tags, markers, embedded) in enumerate(decl.body):
            jtag = tags.get("json")
            ptag = tags.get("protobuf")
            if jtag == "-" and not ptag:
                continue
            jparts = (jtag or "").split(",")
            jname = jparts[0] if jtag is not None else fname
            omitempty = "omitempty" in jparts[1:]
            inline = embedded and jname == ""
            if inline and fname == "TypeMeta" and not ptag:
                if idx != 0:
                    raise GenError(f"{dn}: TypeMeta must come first")
                out["typeMeta"] = True
                continue
            if not ptag or texpr == "?":
                raise GenError(f"{dn}.{fname}: no protobuf tag")
            pparts = ptag.split(",")
            shape = self.resolve(pkg, texpr, decl.imports)
            f = {"name": jname, "tag": int(pparts[1]), "type": shape["type"]}
            if shape["repeated"]:
                f["repeated"] = True
            if shape["map"]:
                f["map"] = shape["map"]
            if shape["pointer"]:
                f["pointer"] = True
            if omitempty:
                f["omitempty"] = True
            if inline:
                if shape["pointer"] or "." not in shape["type"]:
                    raise GenError(f"{dn}.{fname}: inline embedding must be a struct value")
                f["inline"] = True
            if "optional" in markers:
                f["optional"] = True
            if "patchStrategy" in tags:
                f["patchStrategy"] = tags["patchStrategy"]
            if "patchMergeKey" in tags:
                f["patchMergeKey"] = tags["patchMergeKey"]
            merged = dict(shape["markers"])
            merged.update(markers)
            for key in ("listType", "mapType", "structType"):
                if key in merged:
                    f[key] = merged[key][-1]
            if "listMapKey" in merged:
                f["listMapKeys"] = merged["listMapKey"]
            fields.append(f)
        for key in ("listType", "mapType", "structType"):
            if key in decl.markers:
                out[key] = decl.markers[key][-1]
        out["fields"] = fields
        self.types[dn] = out

    def drain(self):
        while self.pending:
            pkg, name = self.pending.pop(0)
            dn = self.def_name(pkg, name)
            if dn not in self.types:
                self.build(pkg, name)

    def check_inline_names(self):
        """Go lets the shallower field win on a JSON name clash; the table must not rely on that."""
        for dn, t in self.types.items():
            seen = {"kind", "apiVersion"} if t.get("typeMeta") else set()
            for name in self.json_names(dn):
                if name in seen:
                    raise GenError(f"{dn}: JSON name {name} appears twice")
                seen.add(name)

    def json_names(self, dn):
        for f in self.types[dn].get("fields", []):
            if f.get("inline"):
                yield from self.json_names(f["type"])
            else:
                yield f["name"]


def package_files(gitdir, tag, directory):
    names = git(gitdir, "ls-tree", "--name-only", f"{tag}:{directory}").split()
    return [n for n in names if n.endswith(".go") and not GENERATED.search(n)]


def registered_kinds(src):
    body = re.search(r"func addKnownTypes\(.*?\n\}", src, re.S)
    if not body:
        raise GenError("no addKnownTypes in register.go")
    kinds = []
    for m in re.finditer(r"&(?:(\w+)\.)?(\w+)\{\}", body.group(0)):
        kinds.append((m.group(1), m.group(2)))
    if "AddToGroupVersion" not in body.group(0):
        raise GenError("register.go does not add the meta types")
    return kinds


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--api", default=DEFAULT_API, help="git dir of k8s.io/api")
    ap.add_argument("--apimachinery", default=DEFAULT_APIMACHINERY, help="git dir of k8s.io/apimachinery")
    ap.add_argument("--tag", default=DEFAULT_TAG)
    ap.add_argument("--out", default=DEFAULT_OUT)
    args = ap.parse_args()

    decls = {}
    sources = {}
    for d in API_DIRS:
        pkg = "k8s.io/api/" + d
        for f in package_files(args.api, args.tag, d):
            src = git(args.api, "show", f"{args.tag}:{d}/{f}")
            sources[(pkg, f)] = src
            parse_go(pkg, src, decls)
    for d, pkg in (("pkg/apis/meta/v1", META), ("pkg/runtime", RUNTIME)):
        for f in package_files(args.apimachinery, args.tag, d):
            parse_go(pkg, git(args.apimachinery, "show", f"{args.tag}:{d}/{f}"), decls)

    gen = Generator(decls)
    kinds = {}
    for d in API_DIRS:
        pkg = "k8s.io/api/" + d
        reg = sources[(pkg, "register.go")]
        group = re.search(r'const GroupName = "([^"]*)"', reg).group(1)
        version = d.split("/")[1]
        api_version = f"{group}/{version}" if group else version
        imports = parse_imports(reg)
        table = {}
        for alias, name in registered_kinds(reg):
            tpkg = imports[alias] if alias else pkg
            table[name] = gen.want(tpkg, name)
        table["WatchEvent"] = gen.want(META, "WatchEvent")
        for name in OPTIONS_KINDS:
            table[name] = gen.want(META, name)
        kinds[api_version] = table
    kinds["meta.k8s.io/v1"] = {name: gen.want(META, name) for name in META_KINDS + OPTIONS_KINDS}
    kinds["meta.k8s.io/v1"]["WatchEvent"] = gen.want(META, "WatchEvent")
    unversioned = {name: gen.want(META, name) for name in UNVERSIONED_KINDS}
    for name in META_EXTRA:
        gen.want(META, name)
    gen.want(RUNTIME, "Unknown")
    gen.drain()
    gen.check_inline_names()

    doc = {
        "source": {"k8s.io/api": args.tag, "k8s.io/apimachinery": args.tag},
        "kinds": kinds,
        "unversioned": unversioned,
        "types": dict(sorted(gen.types.items())),
    }
    with open(args.out, "w") as fh:
        json.dump(doc, fh, separators=(",", ":"))
        fh.write("\n")
    print(f"wrote {len(gen.types)} types, {sum(len(v) for v in kinds.values())} kinds to {os.path.normpath(args.out)}")


if __name__ == "__main__":
    try:
        main()
    except (GenError, subprocess.CalledProcessError) as e:
        sys.exit(f"gen-api-schema: {e}")
