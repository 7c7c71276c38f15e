#!/usr/bin/env python3
"""Writes the strict JSON schemas that check.py validates against, from the sources named in SOURCES.md.

Not run by CI (CI works offline from the files this writes). Run it by hand when a pinned version changes:

    python3 deploy/k8s/schemas/vendor.py --k8s-swagger swagger.json --crd crd1.yaml --crd crd2.yaml ...

Strictness follows kubeconform's "-strict": every object schema that lists its properties and says nothing about
other properties gets additionalProperties: false, so a misspelt or misplaced field fails instead of being dropped
silently by the API server. Descriptions are dropped to keep the repository small.
"""
import argparse
import json
import os
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))

# The built-in kinds the manifests use (and a few an operator is likely to add); their definitions and everything
# they reference are kept.
K8S_KINDS = {
    ("", "v1", "ConfigMap"), ("", "v1", "Secret"), ("", "v1", "Service"), ("", "v1", "Namespace"),
    ("", "v1", "ServiceAccount"), ("apps", "v1", "Deployment"), ("policy", "v1", "PodDisruptionBudget"),
    ("networking.k8s.io", "v1", "NetworkPolicy"), ("autoscaling", "v2", "HorizontalPodAutoscaler"),
    ("networking.k8s.io", "v1", "Ingress"), ("rbac.authorization.k8s.io", "v1", "Role"),
    ("rbac.authorization.k8s.io", "v1", "RoleBinding"),
}


def strip(node, in_properties=False):
    """Drops descriptions, examples and CEL rules (not evaluated offline), recursively: they are most of the bytes.
    Inside a "properties" map the keys are field names, so a field called "description" stays."""
    if isinstance(node, dict):
        return {k: strip(v, k in ("properties", "definitions", "patternProperties")) for k, v in node.items()
                if in_properties or k not in ("description", "example", "x-kubernetes-validations")}
    if isinstance(node, list):
        return [strip(v) for v in node]
    return node


def make_strict(node, in_properties=False):
    if isinstance(node, dict):
        if not in_properties:
            if node.get("x-kubernetes-int-or-string"):
                node["type"] = ["integer", "string"]
            if node.get("nullable") is True and isinstance(node.get("type"), str):
                node["type"] = [node["type"], "null"]
            if ("properties" in node and "additionalProperties" not in node
                    and not node.get("x-kubernetes-preserve-unknown-fields")):
                node["additionalProperties"] = False
        for k, v in node.items():
            make_strict(v, not in_properties and k in ("properties", "definitions", "patternProperties"))
    elif isinstance(node, list):
        for v in node:
            make_strict(v)
    return node


def refs(node, found):
    if isinstance(node, dict):
        r = node.get("$ref")
        if isinstance(r, str) and r.startswith("#/definitions/"):
            found.add(r[len("#/definitions/"):])
        for v in node.values():
            refs(v, found)
    elif isinstance(node, list):
        for v in node:
            refs(v, found)


def kubernetes(swagger_path, version):
    with open(swagger_path) as f:
        swagger = json.load(f)
    defs = swagger["definitions"]
    kinds = {}
    for name, d in defs.items():
        for gvk in d.get("x-kubernetes-group-version-kind", []):
            key = (gvk["group"], gvk["version"], gvk["kind"])
            if key in K8S_KINDS:
                api = gvk["version"] if not gvk["group"] else gvk["group"] + "/" + gvk["version"]
                kinds[api + " " + gvk["kind"]] = name
    keep, todo = set(), list(kinds.values()) + ["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]
    while todo:
        n = todo.pop()
        if n in keep:
            continue
        keep.add(n)
        found = set()
        refs(defs[n], found)
        todo.extend(found - keep)
    out = {n: strip(defs[n]) for n in sorted(keep)}
    # kubeconform's openapi2jsonschema does the same two fix-ups: the API server accepts numbers for these
    out["io.k8s.apimachinery.pkg.util.intstr.IntOrString"] = {"type": ["integer", "string"]}
    if "io.k8s.apimachinery.pkg.api.resource.Quantity" in out:
        out["io.k8s.apimachinery.pkg.api.resource.Quantity"] = {"type": ["number", "string"]}
    make_strict(out)
    doc = {"kubernetesVersion": version, "kinds": kinds, "definitions": out}
    with open(os.path.join(HERE, "kubernetes.json"), "w") as f:
        json.dump(doc, f, separators=(",", ":"), sort_keys=True)
    print(f"kubernetes.json: {len(kinds)} kinds, {len(out)} definitions", file=sys.stderr)


def crd(path):
    with open(path) as f:
        for doc in yaml.safe_load_all(f):
            if not doc or doc.get("kind") != "CustomResourceDefinition":
                continue
            spec = doc["spec"]
            for v in spec["versions"]:
                if not v.get("served"):
                    continue
                schema = make_strict(strip(v["schema"]["openAPIV3Schema"]))
                name = f'{spec["names"]["kind"].lower()}-{spec["group"].split(".")[0]}-{v["name"]}.json'
                out = {"apiVersion": spec["group"] + "/" + v["name"], "kind": spec["names"]["kind"], "schema": schema}
                os.makedirs(os.path.join(HERE, "crds"), exist_ok=True)
                with open(os.path.join(HERE, "crds", name), "w") as f2:
                    json.dump(out, f2, separators=(",", ":"), sort_keys=True)
                print(f"crds/{name}", file=sys.stderr)


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--k8s-swagger")
    p.add_argument("--k8s-version", default="")
    p.add_argument("--crd", action="append", default=[])
    a = p.parse_args()
    if a.k8s_swagger:
        kubernetes(a.k8s_swagger, a.k8s_version)
    for c in a.crd:
        crd(c)
