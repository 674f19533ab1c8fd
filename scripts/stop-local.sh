#!/usr/bin/env bash
# Stop the Compose local mode started by scripts/run-local.sh and remove its containers and network.
#   scripts/stop-local.sh            the database volume is kept, with every experiment and run
#   scripts/stop-local.sh --volumes  the database volume too
#   scripts/stop-local.sh --all      the database volume and the tracking-server:local image too
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/common.sh
. scripts/lib/common.sh

down_args=(--remove-orphans)
remove_image=0
case "${1:-}" in
"") ;;
--volumes) down_args+=(--volumes) ;;
--all)
    down_args+=(--volumes)
    remove_image=1
    ;;
*) die "usage: scripts/stop-local.sh [--volumes|--all]" ;;
esac
need docker "nothing to stop without Docker"
find_compose || die "neither 'docker compose' (v2) nor 'docker-compose' is installed"
"${COMPOSE[@]}" -p "${MLFLOW_LOCAL_PROJECT:-mlflow-local}" -f compose.yaml down "${down_args[@]}"
if [ "$remove_image" = 1 ]; then
    docker image rm -f "${TRACKING_SERVER_IMAGE:-tracking-server:local}" >/dev/null 2>&1 || true
fi
case "${1:-}" in
"") echo "stopped; the database volume ${MLFLOW_LOCAL_PROJECT:-mlflow-local}_postgres-data is kept (--volumes removes it)" ;;
*) echo "stopped and removed the database volume" ;;
esac
