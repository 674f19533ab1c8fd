#!/usr/bin/env bash
# Remove what scripts/run-local-k8s.sh made on minikube: the namespace mlflow with everything in it
# (Deployment, Service, ServiceAccount, generated ConfigMaps and Secrets), and the
# tracking-server:local-* images in minikube's Docker. minikube itself keeps running.
#   scripts/destroy-local-k8s.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/common.sh
. scripts/lib/common.sh

need kubectl "install kubectl"
need minikube "install minikube"
minikube status >/dev/null 2>&1 || die "minikube is not running: nothing to remove from it (start it to clean up)"
# Everything the overlay makes is namespaced, so deleting the namespace removes all of it.
echo "== deleting namespace mlflow (context minikube)"
kubectl --context minikube delete namespace mlflow --ignore-not-found --wait=true --timeout=180s
echo "== removing tracking-server:local-* images from minikube's Docker"
eval "$(minikube docker-env --shell bash)"
images=$(docker images --filter 'reference=tracking-server:local-*' --format '{{.Repository}}:{{.Tag}}')
if [ -n "$images" ]; then
    # shellcheck disable=SC2086 # one image reference per word
    docker image rm -f $images >/dev/null
fi
echo "removed; minikube keeps running (minikube stop / minikube delete end it)"
