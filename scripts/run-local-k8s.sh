#!/usr/bin/env bash
# Kubernetes on a local minikube, reaching Google Cloud SQL through the Cloud SQL Auth Proxy with a
# service-account key (kubernetes/environments/local). Builds the image inside minikube's Docker (no
# registry needed), turns config/k8s-local/*.env into Secrets, switches kubectl to the minikube
# context, applies the overlay, waits for the rollout and prints how to reach the UI.
#   scripts/run-local-k8s.sh
# Needs: minikube (running), kubectl 1.27+, docker; config/k8s-local/gcp_sa.env and
# mlflow_postgres.env, copied from their .example files and filled in.
# Environment: TRACKING_SERVER_BIN (a host-built binary to wrap instead of building inside Docker),
# ROLLOUT_TIMEOUT (default 300s).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/common.sh
. scripts/lib/common.sh

need minikube "install it (minikube.sigs.k8s.io) and start it: minikube start --kubernetes-version=v1.25.16"
need kubectl "install kubectl 1.27 or newer (its built-in kustomize v5 renders the overlay)"
need docker "the image is built with minikube's Docker engine through the docker client"
minikube status >/dev/null 2>&1 ||
    die "minikube is not running: start it with 'minikube start' (the seed used --kubernetes-version=v1.25.16)"

settings=config/k8s-local
for file in gcp_sa.env mlflow_postgres.env; do
    [ -f "$settings/$file" ] || die "$settings/$file is missing: cp $settings/$file.example $settings/$file, then fill in your values"
done
for key in GCLOUD_PROJECT_NAME_SQL GCLOUD_ZONE_SQL GCLOUD_SQL_INSTANCE MLFLOW_SQL_USER MLFLOW_SQL_PASSWORD MLFLOW_SQL_DB; do
    grep -q "^$key=." "$settings/mlflow_postgres.env" || die "$settings/mlflow_postgres.env sets no $key"
done
grep -q '^MLFLOW_SQL_PASSWORD=.*[@/:?#]' "$settings/mlflow_postgres.env" &&
    die "MLFLOW_SQL_PASSWORD must be URL-encoded (@ -> %40, / -> %2F, : -> %3A, ? -> %3F, # -> %23)"
grep -q "REPLACE-ME" "$settings/gcp_sa.env" "$settings/mlflow_postgres.env" &&
    die "$settings still holds the example's REPLACE-ME values"
# The key must be one line of JSON: kustomize reads env files line by line.
if command -v python3 >/dev/null 2>&1; then
    python3 - "$settings/gcp_sa.env" <<'PY' || die "GCLOUD_SERVICE_ACCOUNT_JSON in $settings/gcp_sa.env must be a service-account key on one line (jq -c . key.json)"
import json, sys
lines = [l for l in open(sys.argv[1]) if l.startswith("GCLOUD_SERVICE_ACCOUNT_JSON=")]
assert len(lines) == 1
key = json.loads(lines[0].split("=", 1)[1])
assert key.get("type") == "service_account" and "private_key" in key
PY
fi

tag=tracking-server:local-$(date +%Y%m%d%H%M%S)
echo "== building $tag inside minikube's Docker"
# Only this script's docker commands go to minikube; the shell that ran it is untouched.
eval "$(minikube docker-env --shell bash)"
if [ -n "${TRACKING_SERVER_BIN:-}" ]; then
    context=$(mktemp -d)
    trap 'rm -rf "$context"' EXIT
    cp "$TRACKING_SERVER_BIN" "$context/tracking-server"
    docker build --target prebuilt -t "$tag" -f Dockerfile "$context"
else
    docker build -t "$tag" .
fi

echo "== kubectl context: minikube"
kubectl config use-context minikube >/dev/null
echo "== applying kubernetes/environments/local"
scripts/render-k8s local "$tag" | kubectl apply -f -
echo "== waiting for the rollout"
kubectl -n mlflow rollout status deployment/mlflow-tracking-server --timeout="${ROLLOUT_TIMEOUT:-300s}"
cat <<TEXT

The tracking server runs in namespace mlflow. Reach the UI and the API with
    kubectl -n mlflow port-forward svc/mlflow-tracking-server 5000:5000
then open http://127.0.0.1:5000 (clients: export MLFLOW_TRACKING_URI=http://127.0.0.1:5000).
Remove everything with scripts/destroy-local-k8s.sh.
TEXT
