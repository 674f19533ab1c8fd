#!/usr/bin/env bash
# Deploy to GKE staging or production, as the CI pipelines do:
#   scripts/deploy-k8s.sh staging|production IMAGE
# IMAGE is the pushed image (repository@sha256:... preferred). kubectl must point at the
# environment's cluster already (gcloud container clusters get-credentials ...). The Secrets listed
# in kubernetes/external-resources.yaml must exist in namespace mlflow.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/common.sh
. scripts/lib/common.sh

env=${1:-}
image=${2:-}
case "$env" in
staging | production) ;;
*) die "usage: scripts/deploy-k8s.sh staging|production IMAGE" ;;
esac
[ -n "$image" ] || die "usage: scripts/deploy-k8s.sh $env IMAGE"
need kubectl "install kubectl 1.27 or newer"
echo "== deploying $image to $env (context $(kubectl config current-context))"
for secret in mlflow-postgres mlflow-tracking-server-tls; do
    kubectl -n mlflow get secret "$secret" >/dev/null 2>&1 ||
        die "Secret $secret is missing in namespace mlflow; see kubernetes/external-resources.yaml"
done
# No --prune: it would also delete Secrets made outside the repository if they carried our labels.
# Superseded generated ConfigMaps (their names carry a content hash) stay behind; they are tiny.
scripts/render-k8s "$env" "$image" | kubectl apply -f -
kubectl -n mlflow rollout status deployment/mlflow-tracking-server --timeout="${ROLLOUT_TIMEOUT:-600s}"
