"""What schemas cannot check in the deployment kit: references between objects, and our rules.

    check_deploy.py k8s ENV RENDERED.yaml EXTERNAL.yaml   rendered overlay ENV (local, staging, production)
    check_deploy.py compose COMPOSE.yaml                  compose file and the env files it reads
    check_deploy.py pipelines ESTAFETTE.yaml WORKFLOW.yaml  both CI/CD definitions do the same steps

Prints each problem on a line of its own and exits 1 when there is any. Schema validation
(kubernetes-validate, check-jsonschema) runs beside it in scripts/test-deploy.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

import yaml

KNOWN_KINDS = {
    "Namespace", "ServiceAccount", "Secret", "ConfigMap", "Deployment", "Service", "Ingress",
    "PodDisruptionBudget", "HorizontalPodAutoscaler", "NetworkPolicy",
}
CLUSTER_KINDS = {"Namespace"}
WORKLOAD_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "Job"}
# Environment variable names whose literal value would be a credential in the manifest.
SECRET_NAME = re.compile(r"PASS|SECRET|TOKEN|CREDENTIAL|PRIVATE|API_?KEY", re.IGNORECASE)
# user:password@ in a URI; a password made only of $(VAR) references comes from elsewhere.
URI_PASSWORD = re.compile(r"://[^/@\s:]*:([^@\s]+)@")
ONLY_REFERENCES = re.compile(r"^(\$\([A-Za-z_][A-Za-z0-9_]*\))+$")
SERVICE_NAME = "mlflow-tracking-server"
SERVICE_PORT = 5000


def plain_password(name: str, value: str) -> bool:
    """Whether an env entry with this literal value puts a credential into the manifest."""
    # An absolute path (GOOGLE_APPLICATION_CREDENTIALS=/var/secrets/...) names where a credential is.
    if SECRET_NAME.search(name) and value and not ONLY_REFERENCES.match(value) and not value.startswith("/"):
        return True
    match = URI_PASSWORD.search(value)
    return bool(match) and not ONLY_REFERENCES.match(match.group(1))


def subset(selector: dict, labels: dict) -> bool:
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


class Manifests:
    """The rendered objects of one overlay, indexed for lookups."""

    def __init__(self, docs: list[dict], external: list[dict]):
        self.docs = docs
        self.by_kind: dict[str, dict[tuple[str, str], dict]] = defaultdict(dict)
        for doc in docs:
            meta = doc.get("metadata", {})
            self.by_kind[doc.get("kind", "?")][(meta.get("namespace", ""), meta.get("name", ""))] = doc
        # name -> keys (None: keys unknown), for Secrets and ConfigMaps; external ones included.
        self.keys: dict[str, dict[str, set[str] | None]] = {"Secret": {}, "ConfigMap": {}}
        for kind in self.keys:
            for (_, name), doc in self.by_kind[kind].items():
                self.keys[kind][name] = set(doc.get("data") or {}) | set(doc.get("stringData") or {})
        self.service_accounts = {name for _, name in self.by_kind["ServiceAccount"]}
        for entry in external:
            if entry["kind"] in self.keys:
                self.keys[entry["kind"]][entry["name"]] = set(entry.get("keys") or []) or None
            elif entry["kind"] == "ServiceAccount":
                self.service_accounts.add(entry["name"])

    def workloads(self):
        for kind in WORKLOAD_KINDS:
            for (namespace, name), doc in self.by_kind[kind].items():
                yield f"{kind}/{name}", namespace, doc, doc["spec"]["template"]


class K8sCheck:
    def __init__(self, env: str, manifests: Manifests):
        self.env = env
        self.m = manifests
        self.problems: list[str] = []

    def problem(self, where: str, text: str) -> None:
        self.problems.append(f"{self.env}: {where}: {text}")

    def ref(self, where: str, kind: str, name: str, key: str | None = None, optional: bool = False) -> None:
        known = self.m.keys[kind]
        if name not in known:
            if not optional:
                self.problem(where, f"{kind} {name} is neither generated nor listed in external-resources.yaml")
        elif key is not None and known[name] is not None and key not in known[name]:
            self.problem(where, f"{kind} {name} has no key {key}")

    def run(self) -> list[str]:
        for doc in self.m.docs:
            kind, meta = doc.get("kind"), doc.get("metadata", {})
            if kind not in KNOWN_KINDS:
                self.problem(f"{kind}/{meta.get('name')}", "unknown kind (no schema checks it here)")
            if kind not in CLUSTER_KINDS and not meta.get("namespace"):
                self.problem(f"{kind}/{meta.get('name')}", "has no namespace")
            if (meta.get("labels") or {}).get("app.kubernetes.io/part-of") != "mlflow":
                self.problem(f"{kind}/{meta.get('name')}", "lacks the label app.kubernetes.io/part-of=mlflow")
        for where, namespace, doc, template in self.m.workloads():
            self.workload(where, namespace, doc, template)
        self.services()
        self.ingresses()
        self.policies()
        self.environment()
        return self.problems

    # --- pods ---------------------------------------------------------------------------------
    def workload(self, where: str, namespace: str, doc: dict, template: dict) -> None:
        pod = template.get("spec", {})
        labels = template.get("metadata", {}).get("labels", {})
        selector = doc["spec"].get("selector", {}).get("matchLabels", {})
        if doc["kind"] != "Job" and not subset(selector, labels):
            self.problem(where, f"selector {selector} does not match the pod labels {labels}")
        if "serviceAccount" in pod:
            self.problem(where, "uses the deprecated field serviceAccount (serviceAccountName replaces it)")
        account = pod.get("serviceAccountName")
        if not account:
            self.problem(where, "runs as the namespace's default ServiceAccount")
        elif account not in self.m.service_accounts:
            self.problem(where, f"ServiceAccount {account} is neither generated nor listed as external")
        security = pod.get("securityContext", {})
        volumes = {v["name"]: v for v in pod.get("volumes", [])}
        containers = pod.get("containers", []) + pod.get("initContainers", [])
        mounted: set[str] = set()
        for container in containers:
            cwhere = f"{where} container {container['name']}"
            for mount in container.get("volumeMounts", []):
                mounted.add(mount["name"])
                if mount["name"] not in volumes:
                    self.problem(cwhere, f"mounts volume {mount['name']}, which the pod does not declare")
            self.container(cwhere, container, security, volumes, is_init=container in pod.get("initContainers", []))
        for name in volumes.keys() - mounted:
            self.problem(where, f"declares volume {name}, which no container mounts")
        for name, volume in volumes.items():
            if "secret" in volume:
                secret = volume["secret"]
                for item in secret.get("items", []):
                    self.ref(f"{where} volume {name}", "Secret", secret["secretName"], item["key"], secret.get("optional", False))
                if not secret.get("items"):
                    self.ref(f"{where} volume {name}", "Secret", secret["secretName"], None, secret.get("optional", False))
            if "configMap" in volume:
                cm = volume["configMap"]
                self.ref(f"{where} volume {name}", "ConfigMap", cm["name"], None, cm.get("optional", False))
        if security.get("seccompProfile", {}).get("type") != "RuntimeDefault":
            self.problem(where, "pod securityContext.seccompProfile.type is not RuntimeDefault")
        if security.get("runAsNonRoot") is not True:
            self.problem(where, "pod securityContext.runAsNonRoot is not true")

    def container(self, where: str, c: dict, pod_security: dict, volumes: dict, is_init: bool) -> None:
        image = c.get("image", "")
        if "@" not in image and (":" not in image.rsplit("/", 1)[-1] or image.endswith(":latest")):
            self.problem(where, f"image {image!r} has no fixed tag or digest")
        env_names = {e["name"]: e for e in c.get("env", [])}
        for e in c.get("env", []):
            source = e.get("valueFrom", {})
            if "secretKeyRef" in source:
                r = source["secretKeyRef"]
                self.ref(where, "Secret", r["name"], r["key"], r.get("optional", False))
            if "configMapKeyRef" in source:
                r = source["configMapKeyRef"]
                self.ref(where, "ConfigMap", r["name"], r["key"], r.get("optional", False))
            if "value" in e and plain_password(e["name"], str(e["value"])):
                self.problem(where, f"env {e['name']} holds a credential as a plain value (use a Secret)")
        for source in c.get("envFrom", []):
            if "secretRef" in source:
                self.ref(where, "Secret", source["secretRef"]["name"], None, source["secretRef"].get("optional", False))
            if "configMapRef" in source:
                self.ref(where, "ConfigMap", source["configMapRef"]["name"], None, source["configMapRef"].get("optional", False))
        for arg in c.get("args", []) + c.get("command", []):
            match = URI_PASSWORD.search(str(arg))
            if match and not ONLY_REFERENCES.match(match.group(1)) and not match.group(1).startswith("$"):
                self.problem(where, "a command-line argument holds a password")
        if is_init:
            if self.env == "local" and c.get("restartPolicy"):
                self.problem(where, "is a native sidecar, which Kubernetes 1.25 (minikube) does not have")
        else:
            if "livenessProbe" not in c:
                self.problem(where, "has no livenessProbe")
            if "readinessProbe" not in c and "startupProbe" not in c:
                self.problem(where, "has neither a readinessProbe nor a startupProbe")
        port_names = {p.get("name") for p in c.get("ports", [])}
        for probe_name in ("livenessProbe", "readinessProbe", "startupProbe"):
            port = c.get(probe_name, {}).get("httpGet", {}).get("port")
            if isinstance(port, str) and port not in port_names:
                self.problem(where, f"{probe_name} uses port {port!r}, which the container does not name")
        resources = c.get("resources", {})
        for path in ("requests.cpu", "requests.memory", "limits.memory"):
            section, key = path.split(".")
            if key not in resources.get(section, {}):
                self.problem(where, f"has no resources.{path}")
        security = c.get("securityContext", {})
        if security.get("allowPrivilegeEscalation") is not False:
            self.problem(where, "securityContext.allowPrivilegeEscalation is not false")
        if security.get("readOnlyRootFilesystem") is not True:
            self.problem(where, "securityContext.readOnlyRootFilesystem is not true")
        if "ALL" not in security.get("capabilities", {}).get("drop", []):
            self.problem(where, "securityContext.capabilities.drop does not contain ALL")
        if security.get("runAsNonRoot", pod_security.get("runAsNonRoot")) is not True:
            self.problem(where, "may run as root (runAsNonRoot is not true)")
        credentials = env_names.get("GOOGLE_APPLICATION_CREDENTIALS", {}).get("value")
        if credentials and not self.mounted_file(c, volumes, credentials):
            self.problem(where, f"GOOGLE_APPLICATION_CREDENTIALS={credentials} is no file of a mounted volume")

    @staticmethod
    def mounted_file(c: dict, volumes: dict, path: str) -> bool:
        for mount in c.get("volumeMounts", []):
            prefix = mount["mountPath"].rstrip("/") + "/"
            volume = volumes.get(mount["name"], {})
            if not path.startswith(prefix) or "secret" not in volume:
                continue
            items = volume["secret"].get("items")
            relative = path[len(prefix):]
            if not items or relative in {item["path"] for item in items}:
                return True
        return False

    # --- services, ingress, policies -------------------------------------------------------------
    def pods_matching(self, namespace: str, selector: dict) -> list[dict]:
        return [t for _, ns, _, t in self.m.workloads()
                if ns == namespace and subset(selector, t.get("metadata", {}).get("labels", {}))]

    def services(self) -> None:
        for (namespace, name), svc in self.m.by_kind["Service"].items():
            pods = self.pods_matching(namespace, svc["spec"].get("selector", {}))
            if not pods:
                self.problem(f"Service/{name}", f"selector {svc['spec'].get('selector')} matches no pod template")
                continue
            ports = [p for t in pods for c in t["spec"]["containers"] for p in c.get("ports", [])]
            for port in svc["spec"].get("ports", []):
                target = port.get("targetPort", port["port"])
                if not any(p.get("name") == target or p["containerPort"] == target for p in ports):
                    self.problem(f"Service/{name}", f"targetPort {target!r} is no container port of its pods")

    def ingresses(self) -> None:
        services = self.m.by_kind["Service"]
        for (namespace, name), ing in self.m.by_kind["Ingress"].items():
            backends = [p["backend"] for r in ing["spec"].get("rules", []) for p in r.get("http", {}).get("paths", [])]
            for backend in backends:
                ref = backend.get("service", {})
                svc = services.get((namespace, ref.get("name")))
                if svc is None:
                    self.problem(f"Ingress/{name}", f"backend Service {ref.get('name')} does not exist")
                    continue
                port = ref.get("port", {})
                if not any(p.get("name") == port.get("name") or p["port"] == port.get("number") for p in svc["spec"]["ports"]):
                    self.problem(f"Ingress/{name}", f"Service {ref.get('name')} has no port {port}")
            for tls in ing["spec"].get("tls", []):
                self.ref(f"Ingress/{name}", "Secret", tls["secretName"])

    def policies(self) -> None:
        for (namespace, name), pdb in self.m.by_kind["PodDisruptionBudget"].items():
            if not self.pods_matching(namespace, pdb["spec"]["selector"].get("matchLabels", {})):
                self.problem(f"PodDisruptionBudget/{name}", "selector matches no pod template")
        for (namespace, name), pol in self.m.by_kind["NetworkPolicy"].items():
            if not self.pods_matching(namespace, pol["spec"]["podSelector"].get("matchLabels", {})):
                self.problem(f"NetworkPolicy/{name}", "podSelector matches no pod template")
        for (namespace, name), hpa in self.m.by_kind["HorizontalPodAutoscaler"].items():
            target = hpa["spec"]["scaleTargetRef"]
            workload = self.m.by_kind[target["kind"]].get((namespace, target["name"]))
            if workload is None:
                self.problem(f"HorizontalPodAutoscaler/{name}", f"scales {target['kind']}/{target['name']}, which does not exist")
                continue
            if "replicas" in workload["spec"]:
                self.problem(f"{target['kind']}/{target['name']}", "sets replicas although an autoscaler owns them")
            names = {c["name"] for c in workload["spec"]["template"]["spec"]["containers"]}
            for metric in hpa["spec"].get("metrics", []):
                container = metric.get("containerResource", {}).get("container")
                if container and container not in names:
                    self.problem(f"HorizontalPodAutoscaler/{name}", f"measures container {container}, which the pods lack")

    # --- what each environment must have -----------------------------------------------------------
    def environment(self) -> None:
        services = [s for (_, n), s in self.m.by_kind["Service"].items() if n == SERVICE_NAME]
        if not services or not any(p["port"] == SERVICE_PORT for p in services[0]["spec"]["ports"]):
            self.problem("Service", f"{SERVICE_NAME} on port {SERVICE_PORT} is missing")
        config = [cm for (_, n), cm in self.m.by_kind["ConfigMap"].items() if n.startswith(SERVICE_NAME)]
        if not config or "MLFLOW_DEFAULT_ARTIFACT_ROOT" not in config[0].get("data", {}):
            self.problem("ConfigMap", "the server's ConfigMap sets no MLFLOW_DEFAULT_ARTIFACT_ROOT")
        pods = [t["spec"] for _, _, _, t in self.m.workloads()]
        proxy_env = {e["name"] for p in pods for c in p["containers"] if c["name"] == "cloud-sql-proxy" for e in c.get("env", [])}
        accounts = list(self.m.by_kind["ServiceAccount"].values())
        if self.env == "local":
            for kind in ("Ingress", "HorizontalPodAutoscaler"):
                if self.m.by_kind[kind]:
                    self.problem(kind, "does not belong to the local overlay")
            if "GOOGLE_APPLICATION_CREDENTIALS" not in proxy_env:
                self.problem("cloud-sql-proxy", "has no service-account key (GOOGLE_APPLICATION_CREDENTIALS)")
        else:
            for kind in ("Ingress", "PodDisruptionBudget", "HorizontalPodAutoscaler", "NetworkPolicy"):
                if not self.m.by_kind[kind]:
                    self.problem(kind, f"{self.env} needs one")
            for (_, name), ing in self.m.by_kind["Ingress"].items():
                if not ing["spec"].get("tls"):
                    self.problem(f"Ingress/{name}", "has no TLS")
            if "GOOGLE_APPLICATION_CREDENTIALS" in proxy_env:
                self.problem("cloud-sql-proxy", "uses a key file; GKE uses Workload Identity")
            if not any("iam.gke.io/gcp-service-account" in (a["metadata"].get("annotations") or {}) for a in accounts):
                self.problem("ServiceAccount", "has no Workload Identity annotation iam.gke.io/gcp-service-account")
            if any(p.get("automountServiceAccountToken") is False for p in pods):
                self.problem("Deployment", "does not mount the ServiceAccount token Workload Identity exchanges")


def check_k8s(env: str, rendered: Path, external_file: Path) -> list[str]:
    docs = [d for d in yaml.safe_load_all(rendered.read_text()) if d]
    external = (yaml.safe_load(external_file.read_text()) or {}).get(env) or []
    return K8sCheck(env, Manifests(docs, external)).run()


# --- Compose -----------------------------------------------------------------------------------
def read_env(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def check_compose(compose_file: Path) -> list[str]:
    problems = []
    base = compose_file.parent
    compose = yaml.safe_load(compose_file.read_text())
    services = compose["services"]
    env = {}
    for name, svc in services.items():
        merged = {}
        for env_file in svc.get("env_file", []):
            if not (base / env_file).is_file():
                problems.append(f"compose: {name}: env_file {env_file} does not exist")
            else:
                merged.update(read_env(base / env_file))
        env[name] = merged
        for volume in svc.get("volumes", []):
            source = volume.split(":")[0] if isinstance(volume, str) else volume.get("source")
            if not source.startswith((".", "/", "$")) and source not in (compose.get("volumes") or {}):
                problems.append(f"compose: {name}: volume {source} is not declared")
        for value in (svc.get("environment") or {}).values():
            if URI_PASSWORD.search(str(value)):
                problems.append(f"compose: {name}: a URI with a password in `environment`")
    for name in ("postgres", "db-upgrade", "tracking-server"):
        if name not in services:
            problems.append(f"compose: service {name} is missing")
    if problems:
        return problems
    for name in ("postgres", "tracking-server"):
        if "healthcheck" not in services[name]:
            problems.append(f"compose: {name} has no healthcheck")
    expected = {"postgres": "service_healthy", "db-upgrade": "service_completed_successfully"}
    depends = services["tracking-server"].get("depends_on", {})
    for dependency, condition in expected.items():
        if not isinstance(depends, dict) or depends.get(dependency, {}).get("condition") != condition:
            problems.append(f"compose: tracking-server must depend on {dependency} with condition {condition}")
    pg, server = env["postgres"], env["tracking-server"]
    uri = urlsplit(server.get("MLFLOW_BACKEND_STORE_URI", ""))
    if uri.password:
        problems.append("compose: MLFLOW_BACKEND_STORE_URI holds a password; PGPASSWORD carries it")
    if uri.hostname != "postgres":
        problems.append(f"compose: MLFLOW_BACKEND_STORE_URI names host {uri.hostname}, not the service postgres")
    pairs = [("PGUSER", "POSTGRES_USER", server.get("PGUSER") or uri.username),
             ("PGPASSWORD", "POSTGRES_PASSWORD", server.get("PGPASSWORD")),
             ("the URI's database", "POSTGRES_DB", uri.path.lstrip("/"))]
    for ours, theirs, value in pairs:
        if value != pg.get(theirs):
            problems.append(f"compose: {ours} ({value!r}) differs from {theirs} ({pg.get(theirs)!r}) in config/local")
    return problems


# --- CI/CD ---------------------------------------------------------------------------------------
def commands_of(stage: dict) -> str:
    return "\n".join(stage.get("commands", []) + [stage.get("run", "")])


def check_pipelines(estafette_file: Path, workflow_file: Path) -> list[str]:
    """Both pipelines build, run the README's tests, make the image, then deploy staging before production."""
    problems = []
    est = yaml.safe_load(estafette_file.read_text())
    stages = est.get("stages", {})
    for name, stage in stages.items():
        if "image" not in stage:
            problems.append(f"estafette: stage {name} has no image")
    build_commands = "\n".join(commands_of(s) for s in stages.values())
    for needed in ("swift build", "scripts/test --swift", "scripts/test --e2e", "scripts/test --deploy"):
        if needed not in build_commands:
            problems.append(f"estafette: no build stage runs `{needed}`")
    actions = [s.get("action") for s in stages.values() if str(s.get("image", "")).startswith("extensions/docker")]
    if actions[:2] != ["build", "push"]:
        problems.append(f"estafette: expected a docker build then push stage, found {actions}")
    releases = est.get("releases", {})
    for env in ("staging", "production"):
        deploy = "\n".join(commands_of(s) for s in releases.get(env, {}).get("stages", {}).values())
        if f"scripts/deploy-k8s.sh {env}" not in deploy:
            problems.append(f"estafette: release {env} does not run scripts/deploy-k8s.sh {env}")
    triggers = releases.get("production", {}).get("triggers", [])
    if not any(t.get("release", {}).get("target") == "staging" for t in triggers):
        problems.append("estafette: production is not released after staging")

    wf = yaml.safe_load(workflow_file.read_text())
    jobs = wf.get("jobs", {})
    runs = {name: "\n".join(commands_of(step) for step in job.get("steps", [])) for name, job in jobs.items()}
    for needed in ("scripts/test --swift", "scripts/test --e2e", "scripts/test --deploy"):
        if not any(needed in text for text in runs.values()):
            problems.append(f"workflow: no job runs `{needed}`")
    order = [("image", "test"), ("image", "deploy-checks"), ("deploy-staging", "image"), ("deploy-production", "deploy-staging")]
    for job, dependency in order:
        needs = jobs.get(job, {}).get("needs", [])
        needs = [needs] if isinstance(needs, str) else needs
        if dependency not in needs:
            problems.append(f"workflow: job {job} does not wait for {dependency}")
    for env in ("staging", "production"):
        if f"scripts/deploy-k8s.sh {env}" not in runs.get(f"deploy-{env}", ""):
            problems.append(f"workflow: job deploy-{env} does not run scripts/deploy-k8s.sh {env}")
    return problems


def main(argv: list[str]) -> int:
    if len(argv) == 5 and argv[1] == "k8s":
        problems = check_k8s(argv[2], Path(argv[3]), Path(argv[4]))
    elif len(argv) == 3 and argv[1] == "compose":
        problems = check_compose(Path(argv[2]))
    elif len(argv) == 4 and argv[1] == "pipelines":
        problems = check_pipelines(Path(argv[2]), Path(argv[3]))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    for line in problems:
        print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
