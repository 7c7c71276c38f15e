#!/usr/bin/env python3
"""Checks the Kubernetes manifests offline: every overlay renders, every object is valid against the strict schemas of
Kubernetes and of the pinned operators (schemas/), the network policies allow exactly the flows in flows.yaml, every
Secret, ConfigMap, topic and group that something refers to exists (or an operator creates it, or docs/operations.md
tells the cluster's operator to create it), and the images and pods follow the rules in docs/operations.md.

Then it breaks the rendered manifests on purpose, one mutation at a time, and requires each check to notice: a check
that cannot fail proves nothing.

    python3 deploy/k8s/check.py             # kubectl from PATH, or KUBECTL=/path/to/kubectl
Needs python3 with PyYAML and jsonschema (Debian: python3-yaml python3-jsonschema) and kubectl >= 1.27 (kustomize v5).
"""
import copy
import glob
import ipaddress
import json
import os
import re
import subprocess
import sys

import jsonschema
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
OVERLAYS = ["dev", "prod"]
SERVICES = ["trial-registry-service", "evidence-service", "notification-service"]
# Modules deployed without a database or Kafka: they call the services over HTTP
WEB_APPS = ["dashboard"]
# Strimzi 1.2.0's kafka-versions.yaml: the Kafka versions that release supports
STRIMZI_SUPPORTED_KAFKA = {"4.2.0", "4.2.1", "4.3.0", "4.3.1"}
# The uid the ubi9 OpenJDK runtime image runs as (USER in Dockerfile.jvm)
IMAGE_UID = 185


# ---------------------------------------------------------------------------------------------------------- render

def render(overlay):
    kubectl = os.environ.get("KUBECTL", "kubectl")
    out = subprocess.run([kubectl, "kustomize", os.path.join(HERE, "overlays", overlay)],
                         check=True, capture_output=True, text=True).stdout
    return [d for d in yaml.safe_load_all(out) if d]


def name(doc):
    return f'{doc["kind"]}/{doc["metadata"]["name"]}'


def of_kind(docs, kind):
    return [d for d in docs if d["kind"] == kind]


# ---------------------------------------------------------------------------------------------------------- schemas

class Schemas:
    def __init__(self):
        with open(os.path.join(HERE, "schemas", "kubernetes.json")) as f:
            k8s = json.load(f)
        self.k8s_defs = k8s["definitions"]
        self.k8s_kinds = k8s["kinds"]
        self.crds = {}
        for path in glob.glob(os.path.join(HERE, "schemas", "crds", "*.json")):
            with open(path) as f:
                c = json.load(f)
            self.crds[c["apiVersion"] + " " + c["kind"]] = c["schema"]
        self._validators = {}

    def validator(self, key):
        if key not in self._validators:
            if key in self.k8s_kinds:
                schema = {"definitions": self.k8s_defs, "$ref": "#/definitions/" + self.k8s_kinds[key]}
            elif key in self.crds:
                schema = copy.deepcopy(self.crds[key])
                # a CRD's schema leaves metadata open: hold it to ObjectMeta like a built-in kind
                schema["definitions"] = self.k8s_defs
                schema["properties"]["metadata"] = {"$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}
            else:
                return None
            self._validators[key] = jsonschema.Draft4Validator(schema)
        return self._validators[key]

    def check(self, docs):
        errors = []
        for d in docs:
            key = f'{d.get("apiVersion")} {d.get("kind")}'
            v = self.validator(key)
            if v is None:
                errors.append(f"{name(d)}: no schema for {key} (vendor it: schemas/SOURCES.md)")
                continue
            for e in sorted(v.iter_errors(d), key=lambda e: list(e.absolute_path)):
                path = "/".join(str(p) for p in e.absolute_path)
                errors.append(f"{name(d)}: {path}: {e.message[:300]}")
        return errors


# ---------------------------------------------------------------------------------------------------------- flows

def selects(selector, labels):
    """Kubernetes label-selector semantics; an empty selector matches everything."""
    if selector is None:
        return False
    for k, v in (selector.get("matchLabels") or {}).items():
        if labels.get(k) != v:
            return False
    for e in selector.get("matchExpressions") or []:
        k, op, vals = e["key"], e["operator"], e.get("values") or []
        if op == "In" and labels.get(k) not in vals:
            return False
        if op == "NotIn" and k in labels and labels[k] in vals:
            return False
        if op == "Exists" and k not in labels:
            return False
        if op == "DoesNotExist" and k in labels:
            return False
    return True


class Party:
    def __init__(self, key, namespace=None, labels=None, namespace_labels=None, ip=None, ports=None):
        self.key, self.namespace, self.labels, self.ports = key, namespace, labels or {}, ports or {}
        self.namespace_labels = dict(namespace_labels or {})
        if namespace:
            self.namespace_labels["kubernetes.io/metadata.name"] = namespace
        self.ip = ipaddress.ip_address(ip) if ip else None
        self.is_pod = namespace is not None

    def __repr__(self):
        return self.key


def parties_of(docs, flows_spec, namespace):
    """The pods the rendered manifests (and the operators acting on them) create, plus the parties of flows.yaml."""
    ns_labels = {}
    for ns in of_kind(docs, "Namespace"):
        ns_labels = ns["metadata"].get("labels") or {}
    parties, pod_ip = {}, iter(ipaddress.ip_network("10.244.0.0/16").hosts())

    def pod(key, labels, ports=None):
        parties[key] = Party(key, namespace, labels, ns_labels, str(next(pod_ip)), ports)

    for d in of_kind(docs, "Deployment"):
        t = d["spec"]["template"]
        ports = {p["name"]: p["containerPort"] for c in t["spec"]["containers"] for p in c.get("ports", []) if "name" in p}
        pod(d["metadata"]["name"], t["metadata"].get("labels") or {}, ports)
    for c in of_kind(docs, "Cluster"):
        inherited = ((c["spec"].get("inheritedMetadata") or {}).get("labels") or {})
        pod("postgres", {**inherited, "cnpg.io/cluster": c["metadata"]["name"], "cnpg.io/podRole": "instance",
                         "cnpg.io/instanceRole": "primary", "role": "primary"})
    for k in of_kind(docs, "Kafka"):
        cluster = k["metadata"]["name"]
        # Strimzi copies the Kafka resource's labels onto the pods it creates
        base = {**(k["metadata"].get("labels") or {}), "strimzi.io/cluster": cluster, "strimzi.io/kind": "Kafka"}
        for pool in of_kind(docs, "KafkaNodePool"):
            roles = pool["spec"]["roles"]
            pod("kafka-broker", {**base, "strimzi.io/name": f"{cluster}-kafka", "app.kubernetes.io/name": "kafka",
                                 "strimzi.io/pool-name": pool["metadata"]["name"],
                                 "strimzi.io/broker-role": str("broker" in roles).lower(),
                                 "strimzi.io/controller-role": str("controller" in roles).lower()})
        pod("entity-operator", {**base, "strimzi.io/name": f"{cluster}-entity-operator",
                                "app.kubernetes.io/name": "entity-operator"})
        pod("kafka-exporter", {**base, "strimzi.io/name": f"{cluster}-kafka-exporter",
                               "app.kubernetes.io/name": "kafka-exporter"})
    for key, p in flows_spec["parties"].items():
        if "ip" in p:
            parties[key] = Party(key, ip=p["ip"])
        else:
            ns = namespace if p["namespace"] == "TRIALWATCH" else p["namespace"]
            parties[key] = Party(key, ns, p.get("labels"), ns_labels if ns == namespace else p.get("namespaceLabels"),
                                 str(next(pod_ip)))
    return parties


def strimzi_policies(docs, namespace):
    """The ingress NetworkPolicies Strimzi 1.2.0 writes for a Kafka cluster (KafkaCluster.generateNetworkPolicy,
    EntityOperator and KafkaExporter likewise), so that the flow test covers the broker pods too."""
    out = []
    any_ns = {}
    for k in of_kind(docs, "Kafka"):
        c = k["metadata"]["name"]
        co = {"podSelector": {"matchLabels": {"strimzi.io/kind": "cluster-operator"}}, "namespaceSelector": any_ns}
        kafka = {"podSelector": {"matchLabels": {"strimzi.io/cluster": c, "strimzi.io/kind": "Kafka",
                                                 "strimzi.io/name": f"{c}-kafka"}}}
        peer = lambda n: {"podSelector": {"matchLabels": {"strimzi.io/name": n}}}
        rules = [
            {"ports": [{"port": 9090}], "from": [kafka, co]},
            {"ports": [{"port": 9091}], "from": [co, kafka, peer(f"{c}-entity-operator"), peer(f"{c}-kafka-exporter"),
                                                 peer(f"{c}-cruise-control")]},
            {"ports": [{"port": 8443}], "from": [co]},
        ]
        for listener in k["spec"]["kafka"]["listeners"]:
            rules.append({"ports": [{"port": listener["port"]}], "from": listener.get("networkPolicyPeers") or []})
        if k["spec"]["kafka"].get("metricsConfig"):
            rules.append({"ports": [{"port": 9404}]})
        out.append(("strimzi", namespace, {"podSelector": kafka["podSelector"], "policyTypes": ["Ingress"],
                                           "ingress": rules}))
        out.append(("strimzi", namespace, {"podSelector": {"matchLabels": {"strimzi.io/name": f"{c}-entity-operator"}},
                                           "policyTypes": ["Ingress"],
                                           "ingress": [{"ports": [{"port": 8080}]}, {"ports": [{"port": 8081}]}]}))
        if "kafkaExporter" in k["spec"]:
            out.append(("strimzi", namespace, {"podSelector": {"matchLabels": {"strimzi.io/name": f"{c}-kafka-exporter"}},
                                               "policyTypes": ["Ingress"], "ingress": [{"ports": [{"port": 9404}]}]}))
    return out


def peer_matches(peer, other, policy_ns):
    if "ipBlock" in peer:
        if other.ip is None:
            return False
        b = peer["ipBlock"]
        return (other.ip in ipaddress.ip_network(b["cidr"])
                and not any(other.ip in ipaddress.ip_network(e) for e in b.get("except") or []))
    if not other.is_pod:
        return False
    ns_sel, pod_sel = peer.get("namespaceSelector"), peer.get("podSelector")
    if ns_sel is None and other.namespace != policy_ns:
        return False
    if ns_sel is not None and not selects(ns_sel, other.namespace_labels):
        return False
    return pod_sel is None or selects(pod_sel, other.labels)


def port_matches(rule_ports, port, protocol, dst):
    if not rule_ports:
        return True
    for p in rule_ports:
        if p.get("protocol", "TCP") != protocol:
            continue
        want = p.get("port")
        if want is None:
            return True
        if isinstance(want, str):
            want = dst.ports.get(want) if dst is not None else None
        if want is not None and (want == port or (p.get("endPort") and want <= port <= p["endPort"])):
            return True
    return False


def direction_allows(policies, pod, other, port, protocol, direction, dst):
    """None if no policy isolates the pod in this direction; else the list of policies, and whether one allows."""
    field, peers_field = ("ingress", "from") if direction == "Ingress" else ("egress", "to")
    isolating = []
    for origin, ns, spec in policies:
        if ns != pod.namespace or not selects(spec.get("podSelector"), pod.labels):
            continue
        types = spec.get("policyTypes") or (["Ingress", "Egress"] if "egress" in spec else ["Ingress"])
        if direction not in types:
            continue
        isolating.append(spec)
        for rule in spec.get(field) or []:
            peers = rule.get(peers_field)
            if (not peers or any(peer_matches(p, other, ns) for p in peers)) \
                    and port_matches(rule.get("ports"), port, protocol, dst):
                return True
    return not isolating


def flow_allowed(policies, src, dst, port, protocol):
    egress = not src.is_pod or direction_allows(policies, src, dst, port, protocol, "Egress", dst)
    ingress = not dst.is_pod or direction_allows(policies, dst, src, port, protocol, "Ingress", dst)
    return egress and ingress


def check_flows(docs, namespace, flows_spec):
    policies = [("rendered", d["metadata"].get("namespace"), d["spec"]) for d in of_kind(docs, "NetworkPolicy")]
    policies += strimzi_policies(docs, namespace)
    parties = parties_of(docs, flows_spec, namespace)
    errors, checked = [], 0
    for expect, flows in (("allowed", flows_spec["allowed"]), ("denied", flows_spec["denied"])):
        for f in flows:
            for src_key in (f["from"] if isinstance(f["from"], list) else [f["from"]]):
                for dst_key in (f["to"] if isinstance(f["to"], list) else [f["to"]]):
                    src, dst = parties.get(src_key), parties.get(dst_key)
                    if src is None or dst is None:
                        errors.append(f"flows.yaml names {src_key if src is None else dst_key}, which is not there")
                        continue
                    proto = f.get("protocol", "TCP")
                    ok = flow_allowed(policies, src, dst, f["port"], proto)
                    checked += 1
                    if ok != (expect == "allowed"):
                        errors.append(f"flow {src_key} -> {dst_key}:{f['port']}/{proto} should be {expect}, "
                                      f"is {'allowed' if ok else 'denied'}")
    return errors, checked


# ---------------------------------------------------------------------------------------------------------- references

def operations_doc_objects():
    """Secrets and ConfigMaps that docs/operations.md tells the cluster's operator to create: the rows of its table
    "Secrets you create", as | `name` | `key`, `key` | ... |"""
    path = os.path.join(ROOT, "docs", "operations.md")
    found = {}
    if not os.path.exists(path):
        return found
    section = False
    with open(path) as f:
        for line in f:
            if line.startswith("#"):
                section = "secrets you create" in line.lower()
                continue
            if section and line.startswith("| `"):
                cells = line.split("|")
                names = re.findall(r"`([^`]+)`", cells[1])
                keys = set(re.findall(r"`([^`]+)`", cells[2]))
                for n in names:
                    found[n] = keys
    return found


def provided_objects(docs):
    """(kind, name) -> the keys it will hold (None: any), for what the manifests create or make an operator create."""
    have = {}
    for d in docs:
        if d["kind"] in ("Secret", "ConfigMap"):
            have[(d["kind"], d["metadata"]["name"])] = set((d.get("data") or {}).keys()) | set(
                (d.get("stringData") or {}).keys())
    for k in of_kind(docs, "Kafka"):
        c = k["metadata"]["name"]
        have[("Secret", f"{c}-cluster-ca-cert")] = {"ca.crt", "ca.p12", "ca.password"}
        have[("Secret", f"{c}-clients-ca-cert")] = {"ca.crt", "ca.p12", "ca.password"}
        have[("Service", f"{c}-kafka-bootstrap")] = None
    for u in of_kind(docs, "KafkaUser"):
        if u["spec"]["authentication"]["type"] == "scram-sha-512":
            have[("Secret", u["metadata"]["name"])] = {"password", "sasl.jaas.config"}
    for c in of_kind(docs, "Cluster"):
        n = c["metadata"]["name"]
        have[("Secret", f"{n}-ca")] = {"ca.crt", "ca.key"}
        have[("Secret", f"{n}-app")] = {"username", "password", "uri", "jdbc-uri", "host", "port", "dbname"}
        for svc in ("rw", "ro", "r"):
            have[("Service", f"{n}-{svc}")] = None
    for n, keys in operations_doc_objects().items():
        have.setdefault(("Secret", n), keys)
    return have


def references(docs):
    """Every (kind, name, key or None, who) that an object in the manifests needs to exist."""
    refs = []
    for d in of_kind(docs, "Deployment"):
        who = name(d)
        spec = d["spec"]["template"]["spec"]
        for c in spec["containers"]:
            for e in c.get("env") or []:
                vf = e.get("valueFrom") or {}
                if "secretKeyRef" in vf:
                    refs.append(("Secret", vf["secretKeyRef"]["name"], vf["secretKeyRef"]["key"], who))
                if "configMapKeyRef" in vf:
                    refs.append(("ConfigMap", vf["configMapKeyRef"]["name"], vf["configMapKeyRef"]["key"], who))
            for ef in c.get("envFrom") or []:
                if "secretRef" in ef:
                    refs.append(("Secret", ef["secretRef"]["name"], None, who))
                if "configMapRef" in ef:
                    refs.append(("ConfigMap", ef["configMapRef"]["name"], None, who))
        for v in spec.get("volumes") or []:
            if "secret" in v:
                for item in v["secret"].get("items") or [{"key": None}]:
                    refs.append(("Secret", v["secret"]["secretName"], item["key"], who))
            if "configMap" in v:
                refs.append(("ConfigMap", v["configMap"]["name"], None, who))
    for c in of_kind(docs, "Cluster"):
        for r in (c["spec"].get("managed") or {}).get("roles") or []:
            if r.get("passwordSecret"):
                refs.append(("Secret", r["passwordSecret"]["name"], "password", name(c)))
                refs.append(("Secret", r["passwordSecret"]["name"], "username", name(c)))
        s3 = (((c["spec"].get("backup") or {}).get("barmanObjectStore") or {}).get("s3Credentials") or {})
        for ref in s3.values():
            if isinstance(ref, dict) and "name" in ref:
                refs.append(("Secret", ref["name"], ref["key"], name(c)))
    for t in of_kind(docs, "TriggerAuthentication"):
        for r in t["spec"].get("secretTargetRef") or []:
            refs.append(("Secret", r["name"], r["key"], name(t)))
        for r in t["spec"].get("configMapTargetRef") or []:
            refs.append(("ConfigMap", r["name"], r["key"], name(t)))
    for s in of_kind(docs, "ScaledObject"):
        refs.append(("Deployment", s["spec"]["scaleTargetRef"]["name"], None, name(s)))
        for t in s["spec"]["triggers"]:
            if "authenticationRef" in t:
                refs.append(("TriggerAuthentication", t["authenticationRef"]["name"], None, name(s)))
    for h in of_kind(docs, "HorizontalPodAutoscaler"):
        refs.append((h["spec"]["scaleTargetRef"]["kind"], h["spec"]["scaleTargetRef"]["name"], None, name(h)))
    for db in of_kind(docs, "Database") + of_kind(docs, "ScheduledBackup"):
        refs.append(("Cluster", db["spec"]["cluster"]["name"], None, name(db)))
    for sm in of_kind(docs, "ServiceMonitor"):
        ports = {e.get("port") for e in sm["spec"]["endpoints"]}
        if not any(selects(sm["spec"]["selector"], s["metadata"].get("labels") or {})
                   and ports <= {p.get("name") for p in s["spec"]["ports"]} for s in of_kind(docs, "Service")):
            refs.append(("Service", f"labelled {sm['spec']['selector']} with port(s) {sorted(ports)}", None, name(sm)))
    return refs


def check_references(docs):
    have = provided_objects(docs)
    for d in docs:
        have.setdefault((d["kind"], d["metadata"]["name"]), None)
    errors = []
    for kind, n, key, who in dict.fromkeys(references(docs)):
        if (kind, n) not in have:
            missing = f"{who} needs {kind} {n}: nothing creates it and docs/operations.md does not list it"
            if missing not in errors:
                errors.append(missing)
        elif key is not None and have[(kind, n)] is not None and key not in have[(kind, n)]:
            errors.append(f"{who} needs key {key} of {kind} {n}, which has only {sorted(have[(kind, n)])}")
    # the Cluster's databases: each Database's owner is a managed role
    roles = {r["name"] for c in of_kind(docs, "Cluster") for r in (c["spec"].get("managed") or {}).get("roles") or []}
    for db in of_kind(docs, "Database"):
        if db["spec"]["owner"] not in roles:
            errors.append(f"{name(db)}: owner {db['spec']['owner']} is not a managed role of the Cluster")
    return errors


# ---------------------------------------------------------------------------------------------------------- Kafka

def service_kafka_use(service):
    """What a service reads and writes, from its application.properties and the Topics constants it publishes with."""
    path = os.path.join(ROOT, service, "src", "main", "resources", "application.properties")
    props = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                k, v = line.split("=", 1)
                props[k.strip()] = v.strip()
    reads, writes, groups = set(), set(), set()
    for k, v in props.items():
        m = re.match(r'mp\.messaging\.(incoming|outgoing)\.("[^"]+"|[^.]+)\.connector$', k)
        if not m or v != "smallrye-kafka" or k.startswith("%"):
            continue
        direction, channel = m.group(1), m.group(2).strip('"')
        prefix = f"mp.messaging.{direction}.{m.group(2)}."
        topic = props.get(prefix + "topic", channel)
        (reads if direction == "incoming" else writes).add(topic)
        if direction == "incoming":
            groups.add(props.get(prefix + "group.id", props.get("kafka.group.id", service)))
            if props.get(prefix + "failure-strategy") == "dead-letter-queue":
                writes.add(props.get(prefix + "dead-letter-queue.topic", "dead-letter-topic-" + channel))
    # the registry and the evidence service publish through the shared outbox (service-support), to the topic their
    # OutboxDestination names with a Topics constant
    for java in glob.glob(os.path.join(ROOT, service, "src", "main", "java", "**", "*.java"), recursive=True):
        with open(java) as f:
            src = f.read()
        topics = topic_constants()
        for const in re.findall(r"new OutboxDestination\(\s*Topics\.([A-Z_]+)", src):
            writes.add(topics[const])
    return reads, writes, groups


def topic_constants():
    path = os.path.join(ROOT, "trial-events", "src", "main", "java", "org", "trialwatch", "events", "Topics.java")
    with open(path) as f:
        return dict(re.findall(r'static final String ([A-Z_]+) = "([^"]+)"', f.read()))


def env_of(deployment):
    c = deployment["spec"]["template"]["spec"]["containers"][0]
    return {e["name"]: e for e in c.get("env") or []}


def check_kafka(docs, overlay):
    errors = []
    topics = {t["metadata"]["name"]: t for t in of_kind(docs, "KafkaTopic")}
    users = {u["metadata"]["name"]: u for u in of_kind(docs, "KafkaUser")}
    pools = of_kind(docs, "KafkaNodePool")
    brokers = sum(p["spec"]["replicas"] for p in pools if "broker" in p["spec"]["roles"])
    for k in of_kind(docs, "Kafka"):
        if k["spec"]["kafka"]["version"] not in STRIMZI_SUPPORTED_KAFKA:
            errors.append(f"{name(k)}: Kafka {k['spec']['kafka']['version']} is not supported by the pinned Strimzi")
        cfg = k["spec"]["kafka"].get("config") or {}
        for key in ("default.replication.factor", "offsets.topic.replication.factor",
                    "transaction.state.log.replication.factor"):
            if int(cfg.get(key, 3)) > brokers:
                errors.append(f"{name(k)}: {key} {cfg.get(key, 3)} > {brokers} broker(s)")
        for listener in k["spec"]["kafka"]["listeners"]:
            if not listener.get("tls") or not listener.get("authentication"):
                errors.append(f"{name(k)}: listener {listener['name']} is not TLS with authentication")
    for t in topics.values():
        rf, isr = t["spec"]["replicas"], int((t["spec"].get("config") or {}).get("min.insync.replicas", 1))
        if rf > brokers or isr > rf:
            errors.append(f"{name(t)}: replicas {rf}, min.insync.replicas {isr} with {brokers} broker(s)")
        if overlay == "prod" and (rf < 3 or isr != 2):
            errors.append(f"{name(t)}: prod needs replicas 3 and min.insync.replicas 2 (acks=all survives a broker)")
    for tc in topic_constants().values():
        if tc not in topics:
            errors.append(f"topic {tc} (trial-events Topics) has no KafkaTopic")
    deployments = {d["metadata"]["name"]: d for d in of_kind(docs, "Deployment")}
    scaled = {s["spec"]["scaleTargetRef"]["name"]: s for s in of_kind(docs, "ScaledObject")}
    for service in SERVICES:
        d = deployments.get(service)
        if d is None:
            errors.append(f"no Deployment {service}")
            continue
        reads, writes, groups = service_kafka_use(service)
        for t in reads | writes:
            if t not in topics:
                errors.append(f"{service} uses topic {t}, which has no KafkaTopic")
        jaas = (env_of(d).get("KAFKA_SASL_JAAS_CONFIG") or {}).get("valueFrom", {}).get("secretKeyRef", {})
        user = users.get(jaas.get("name"))
        if user is None:
            errors.append(f"{service}: KAFKA_SASL_JAAS_CONFIG does not come from a KafkaUser's Secret")
            continue
        acls = [(a["resource"]["type"], a["resource"].get("name"), op)
                for a in user["spec"]["authorization"]["acls"] for op in a["operations"]]
        for t in reads:
            if ("topic", t, "Read") not in acls:
                errors.append(f"{service} reads {t} but KafkaUser {name(user)} may not")
        for t in writes:
            if ("topic", t, "Write") not in acls:
                errors.append(f"{service} writes {t} but KafkaUser {name(user)} may not")
        for g in groups:
            if ("group", g, "Read") not in acls:
                errors.append(f"{service} consumes as group {g} but KafkaUser {name(user)} may not")
        granted = {(t, n) for t, n, op in acls if op in ("Write", "Read") and t in ("topic", "group")}
        needed = {("topic", t) for t in reads | writes} | {("group", g) for g in groups}
        for extra in sorted(granted - needed):
            errors.append(f"KafkaUser {name(user)} may use {extra[0]} {extra[1]}, which {service} does not need")
        if overlay == "prod" and reads:
            so = scaled.get(service)
            scaled_topics = {t["metadata"].get("topic") for t in (so or {}).get("spec", {}).get("triggers", [])}
            if so is None:
                errors.append(f"{service} consumes {sorted(reads)} but no ScaledObject scales it")
            elif scaled_topics != reads:
                errors.append(f"ScaledObject {service} watches {sorted(scaled_topics)}, {service} reads {sorted(reads)}")
            for t in (so or {}).get("spec", {}).get("triggers", []):
                if t["metadata"].get("consumerGroup") not in groups:
                    errors.append(f"ScaledObject {service}: group {t['metadata'].get('consumerGroup')} is not {groups}")
                if not re.search(r"\.svc\.cluster\.local:\d+$", t["metadata"].get("bootstrapServers", "")):
                    errors.append(f"ScaledObject {service}: bootstrapServers is not a cluster FQDN (KEDA resolves "
                                  f"names from its own namespace)")
                if "authenticationRef" not in t:
                    errors.append(f"ScaledObject {service}: a kafka trigger without TriggerAuthentication")
            # a consumer beyond the partition count of every topic it reads would sit idle
            most = max((topics[t]["spec"]["partitions"] for t in reads if t in topics), default=0)
            if so is not None and int(so["spec"].get("maxReplicaCount", 100)) > most:
                errors.append(f"ScaledObject {service}: maxReplicaCount above the {most} partitions it can use")
    return errors


# ---------------------------------------------------------------------------------------------------------- pods

IMAGE = re.compile(r"^(?P<registry>[a-z0-9.-]+\.[a-z]{2,}(:\d+)?|localhost(:\d+)?)/[a-z0-9._/-]+"
                   r"(?P<tag>:[A-Za-z0-9._-]+)?(?P<digest>@sha256:[0-9a-f]{64})?$")


def check_pods(docs, overlay):
    errors = []
    if not of_kind(docs, "Namespace"):
        errors.append("no Namespace object")
    autoscaled = {s["spec"]["scaleTargetRef"]["name"] for s in of_kind(docs, "ScaledObject")}
    autoscaled |= {h["spec"]["scaleTargetRef"]["name"] for h in of_kind(docs, "HorizontalPodAutoscaler")}
    for d in of_kind(docs, "Deployment"):
        n, spec = name(d), d["spec"]["template"]["spec"]
        if d["metadata"]["name"] in autoscaled and "replicas" in d["spec"]:
            errors.append(f"{n}: replicas is set although an autoscaler owns it (every apply would reset it)")
        if overlay == "prod" and d["metadata"]["name"] not in autoscaled:
            errors.append(f"{n}: no autoscaler in prod")
        if d["spec"].get("strategy", {}).get("type") != "RollingUpdate":
            errors.append(f"{n}: no explicit RollingUpdate strategy")
        sc = spec.get("securityContext") or {}
        if sc.get("runAsNonRoot") is not True or not isinstance(sc.get("runAsUser"), int) or sc["runAsUser"] == 0:
            errors.append(f"{n}: pods must set runAsNonRoot and a numeric non-root runAsUser")
        elif sc["runAsUser"] != IMAGE_UID:
            errors.append(f"{n}: runAsUser {sc['runAsUser']} is not the image's user {IMAGE_UID}")
        for c in spec["containers"]:
            m = IMAGE.match(c["image"])
            if not m:
                errors.append(f"{n}: image {c['image']} does not name a registry and a tag or digest")
            elif overlay == "prod" and not m.group("digest"):
                errors.append(f"{n}: image {c['image']} is not pinned by digest in prod")
            elif not m.group("tag") and not m.group("digest"):
                errors.append(f"{n}: image {c['image']} has neither tag nor digest")
            csc = c.get("securityContext") or {}
            if csc.get("allowPrivilegeEscalation") is not False or csc.get("readOnlyRootFilesystem") is not True \
                    or "ALL" not in (csc.get("capabilities") or {}).get("drop", []):
                errors.append(f"{n}: container {c['name']} is not locked down")
            if "preStop" not in (c.get("lifecycle") or {}):
                errors.append(f"{n}: container {c['name']} has no preStop pause for endpoint removal")
    deployments = {d["metadata"]["name"] for d in of_kind(docs, "Deployment")}
    for app in WEB_APPS:
        if app not in deployments:
            errors.append(f"no Deployment {app}")
    for service in SERVICES + WEB_APPS:
        dockerfile = os.path.join(ROOT, service, "src", "main", "docker", "Dockerfile.jvm")
        if not os.path.exists(dockerfile):
            errors.append(f"{service}: no src/main/docker/Dockerfile.jvm")
            continue
        with open(dockerfile) as f:
            users = re.findall(r"^USER\s+(\S+)", f.read(), re.M)
        if not users or users[-1] != str(IMAGE_UID):
            errors.append(f"{service}: Dockerfile.jvm must end as USER {IMAGE_UID} (numeric), has {users}")
    return errors


# ---------------------------------------------------------------------------------------------------------- metrics

def code_metric_names():
    """The meters the services register, as Prometheus names (Micrometer: dots to underscores)."""
    names = set()
    for java in glob.glob(os.path.join(ROOT, "*", "src", "main", "java", "**", "*.java"), recursive=True):
        with open(java) as f:
            src = f.read()
        if "io.micrometer" not in src:
            continue
        for literal in re.findall(r'"((?:trialwatch|evidence)[._][a-z0-9_.]+)"', src):
            names.add(re.sub(r"_total$", "", literal.replace(".", "_")))
    return names


def check_metrics(docs):
    """Every TrialWatch metric an alert or the dashboard reads is one the code registers (a renamed meter would
    otherwise leave an alert that can never fire)."""
    known = code_metric_names()
    texts = [(name(r), json.dumps(r["spec"])) for r in of_kind(docs, "PrometheusRule")]
    texts += [(name(c), json.dumps(c.get("data"))) for c in of_kind(docs, "ConfigMap")
              if (c["metadata"].get("labels") or {}).get("grafana_dashboard")]
    errors = []
    for who, text in texts:
        for metric in sorted(set(re.findall(r"\b((?:trialwatch|evidence)_[a-z0-9_]+)\b", text))):
            base = re.sub(r"_(total|bucket|count|sum|max)$", "", metric)
            if base not in known and re.sub(r"_total$", "", metric) not in known:
                errors.append(f"{who} reads {metric}, which no service registers")
    return errors


# ---------------------------------------------------------------------------------------------------------- mutations

def without(docs, kind, n):
    return [d for d in docs if not (d["kind"] == kind and d["metadata"]["name"] == n)]


def edit(docs, kind, n, fn):
    docs = copy.deepcopy(docs)
    for d in docs:
        if d["kind"] == kind and d["metadata"]["name"] == n:
            fn(d)
    return docs


def container(d):
    return d["spec"]["template"]["spec"]["containers"][0]


MUTATIONS = [
    ("schema: a misspelt container field", "schema",
     lambda ds: edit(ds, "Deployment", "evidence-service", lambda d: container(d).update(imagePullPolicyy="Always"))),
    ("schema: a KafkaUser ACL with the v1beta2 `operation` field", "schema",
     lambda ds: edit(ds, "KafkaUser", "evidence-service",
                     lambda d: d["spec"]["authorization"]["acls"][0].update(operation="Read"))),
    ("schema: a string where CloudNativePG wants a number", "schema",
     lambda ds: edit(ds, "Cluster", "trialwatch-db", lambda d: d["spec"].update(instances="three"))),
    ("flows: default-deny for every pod in the namespace (the old policy)", "flows",
     lambda ds: edit(ds, "NetworkPolicy", "services-default-deny", lambda d: d["spec"].update(podSelector={}))),
    ("flows: the services lose their way to PostgreSQL and Kafka", "flows",
     lambda ds: without(ds, "NetworkPolicy", "services-platform-out")),
    ("flows: the database admits the operator no more", "flows",
     lambda ds: edit(ds, "NetworkPolicy", "postgres", lambda d: d["spec"]["ingress"].pop(1))),
    ("flows: the Kafka listener open to every pod", "flows",
     lambda ds: edit(ds, "Kafka", "trialwatch",
                     lambda d: d["spec"]["kafka"]["listeners"][0].pop("networkPolicyPeers"))),
    ("flows: webhooks allowed to private addresses", "flows",
     lambda ds: edit(ds, "NetworkPolicy", "notification-webhooks-smtp-out",
                     lambda d: d["spec"]["egress"][0]["to"][0]["ipBlock"].pop("except"))),
    ("flows: the services admit the dashboard no more", "flows",
     lambda ds: without(ds, "NetworkPolicy", "services-from-dashboard")),
    ("flows: the dashboard open to every pod, not just the ingress controller and Prometheus", "flows",
     lambda ds: edit(ds, "NetworkPolicy", "dashboard", lambda d: d["spec"]["ingress"][0].pop("from"))),
    ("flows: a service relabelled so the policies miss it", "flows",
     lambda ds: edit(ds, "Deployment", "trial-registry-service",
                     lambda d: d["spec"]["template"]["metadata"]["labels"].update(
                         {"app.kubernetes.io/name": "registry"}))),
    ("references: a Secret nobody creates", "references",
     lambda ds: edit(ds, "Deployment", "evidence-service",
                     lambda d: container(d)["env"].append(
                         {"name": "X", "valueFrom": {"secretKeyRef": {"name": "evidence-service-db", "key": "password"}}}))),
    ("references: a key the operator's Secret does not have", "references",
     lambda ds: edit(ds, "Deployment", "notification-service",
                     lambda d: container(d)["env"].append(
                         {"name": "X", "valueFrom": {"secretKeyRef": {"name": "notification-service", "key": "username"}}}))),
    ("references: the dashboard's OIDC client secret under a key its Secret does not have", "references",
     lambda ds: edit(ds, "Deployment", "dashboard",
                     lambda d: [e["valueFrom"]["secretKeyRef"].update(key="secret") for e in container(d)["env"]
                                if e["name"] == "QUARKUS_OIDC_CREDENTIALS_SECRET"])),
    ("references: a ServiceMonitor that selects no Service", "references",
     lambda ds: edit(ds, "ServiceMonitor", "evidence-service",
                     lambda d: d["spec"]["endpoints"][0].update(port="metrics"))),
    ("metrics: an alert on a metric the code does not register", "metrics",
     lambda ds: edit(ds, "PrometheusRule", "trialwatch",
                     lambda d: d["spec"]["groups"][0]["rules"][0].update(expr="trialwatch_dead_letters_total > 0"))),
    ("kafka: a topic the services use is gone", "kafka", lambda ds: without(ds, "KafkaTopic", "evidence-events")),
    ("kafka: a KafkaUser without the Write its service needs", "kafka",
     lambda ds: edit(ds, "KafkaUser", "evidence-service",
                     lambda d: d["spec"]["authorization"]["acls"].pop(2))),
    ("kafka: a plaintext listener", "kafka",
     lambda ds: edit(ds, "Kafka", "trialwatch", lambda d: d["spec"]["kafka"]["listeners"][0].update(tls=False))),
    ("pods: an image without a registry", "pods",
     lambda ds: edit(ds, "Deployment", "evidence-service",
                     lambda d: container(d).update(image="trialwatch/evidence-service:1.0.0"))),
    ("pods: runAsNonRoot without a numeric user", "pods",
     lambda ds: edit(ds, "Deployment", "evidence-service",
                     lambda d: d["spec"]["template"]["spec"]["securityContext"].pop("runAsUser"))),
]


# ---------------------------------------------------------------------------------------------------------- main

def main():
    with open(os.path.join(HERE, "flows.yaml")) as f:
        flows_spec = yaml.safe_load(f)
    schemas = Schemas()
    passed, failed = 0, 0

    def report(what, errors):
        nonlocal passed, failed
        if errors:
            failed += 1
            print(f"FAIL {what}")
            for e in errors:
                print(f"     {e}")
        else:
            passed += 1
            print(f"ok   {what}")

    for overlay in OVERLAYS:
        try:
            docs = render(overlay)
        except (subprocess.CalledProcessError, FileNotFoundError) as e:
            report(f"{overlay}: renders with kubectl kustomize", [str(getattr(e, "stderr", e))])
            continue
        namespaces = {d["metadata"].get("namespace") for d in docs if d["kind"] != "Namespace"}
        namespace = namespaces.pop() if len(namespaces) == 1 else None
        report(f"{overlay}: renders with kubectl kustomize ({len(docs)} objects, namespace {namespace})",
               [] if namespace else [f"objects in several namespaces: {namespaces}"])
        checks = {
            "schema": lambda ds: schemas.check(ds),
            "flows": lambda ds: check_flows(ds, namespace, flows_spec)[0],
            "references": check_references,
            "kafka": lambda ds: check_kafka(ds, overlay),
            "pods": lambda ds: check_pods(ds, overlay),
            "metrics": check_metrics,
        }
        report(f"{overlay}: schema-valid against Kubernetes 1.33 and the pinned operators' CRDs (strict)",
               checks["schema"](docs))
        flow_errors, n = check_flows(docs, namespace, flows_spec)
        report(f"{overlay}: network policies allow every needed flow and deny the unwanted ones ({n} flows)",
               flow_errors)
        report(f"{overlay}: every Secret, ConfigMap and target referenced exists or is provided",
               checks["references"](docs))
        report(f"{overlay}: topics, Kafka users, ACLs and scalers match what the services read and write",
               checks["kafka"](docs))
        report(f"{overlay}: images, pod security, rollout and autoscaling rules", checks["pods"](docs))
        report(f"{overlay}: alerts and dashboard read metrics the services register", checks["metrics"](docs))
        for what, check, mutate in MUTATIONS:
            caught = checks[check](mutate(docs))
            report(f"{overlay}: catches {what}", [] if caught else ["the check did not notice"])
    print(f"k8s-check: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
