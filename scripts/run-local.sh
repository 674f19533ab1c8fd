#!/usr/bin/env bash
# Local mode on Docker Compose: the tracking server and PostgreSQL 13 (compose.yaml), settings from
# config/local/*.env. Builds the image, starts the stack and waits until the server answers.
#   scripts/run-local.sh
# Environment (all optional):
#   MLFLOW_LOCAL_PORT           host port, on 127.0.0.1 (default 5000)
#   TRACKING_SERVER_BIN         a host-built binary (swift build -c release --product tracking-server) to
#                               wrap instead of building inside Docker (host and image: Debian bookworm)
#   TRACKING_SERVER_IMAGE       an existing image to run instead of building one
#   POSTGRES_IMAGE              database image (default postgres:13)
#   MLFLOW_LOCAL_ARTIFACT_ROOT  where clients write artifacts (default file://$PWD/mlartifacts)
#   MLFLOW_LOCAL_PROJECT        Compose project name (default mlflow-local; stop-local.sh reads it too)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/common.sh
. scripts/lib/common.sh

need docker "install Docker Engine or Docker Desktop"
need curl "it is used to check that the server answers"
docker info >/dev/null 2>&1 || die "the Docker engine does not answer: is it running, and may this user use it?"
find_compose || die "neither 'docker compose' (v2) nor 'docker-compose' is installed: install Docker's compose plugin"
for file in config/local/postgres.env config/local/tracking-server.env; do
    [ -f "$file" ] || die "$file is missing; it belongs to the repository (git checkout -- $file)"
done

port=${MLFLOW_LOCAL_PORT:-5000}
if [ -z "${MLFLOW_LOCAL_ARTIFACT_ROOT:-}" ]; then
    mkdir -p mlartifacts
    MLFLOW_LOCAL_ARTIFACT_ROOT="file://$(pwd)/mlartifacts"
    export MLFLOW_LOCAL_ARTIFACT_ROOT
fi
stack=("${COMPOSE[@]}" -p "${MLFLOW_LOCAL_PROJECT:-mlflow-local}" -f compose.yaml)

if [ -n "${TRACKING_SERVER_IMAGE:-}" ]; then
    docker image inspect "$TRACKING_SERVER_IMAGE" >/dev/null 2>&1 || docker pull "$TRACKING_SERVER_IMAGE"
elif [ -n "${TRACKING_SERVER_BIN:-}" ]; then
    [ -x "$TRACKING_SERVER_BIN" ] || die "TRACKING_SERVER_BIN=$TRACKING_SERVER_BIN is not an executable file"
    context=$(mktemp -d)
    trap 'rm -rf "$context"' EXIT
    cp "$TRACKING_SERVER_BIN" "$context/tracking-server"
    echo "== building tracking-server:local around $TRACKING_SERVER_BIN"
    docker build --target prebuilt -t tracking-server:local -f Dockerfile "$context"
else
    echo "== building tracking-server:local (a Swift release build inside Docker: several minutes the first time)"
    "${stack[@]}" build tracking-server
fi

echo "== starting PostgreSQL, the schema step and the tracking server"
"${stack[@]}" up -d --no-build
echo "== waiting for http://127.0.0.1:$port/health"
if ! wait_http "http://127.0.0.1:$port/health" 180; then
    "${stack[@]}" logs --no-color --tail=50 >&2
    die "the server did not answer within 3 minutes (its logs are above)"
fi
if curl -fsS -o /dev/null --max-time 5 "http://127.0.0.1:$port/"; then
    echo "MLflow UI: http://127.0.0.1:$port"
else
    echo "API ready at http://127.0.0.1:$port (this server build serves no UI page at /)"
fi
echo "clients:   export MLFLOW_TRACKING_URI=http://127.0.0.1:$port"
echo "artifacts: $MLFLOW_LOCAL_ARTIFACT_ROOT (written by the clients themselves)"
echo "stop:      scripts/stop-local.sh   (--volumes also deletes the database)"
