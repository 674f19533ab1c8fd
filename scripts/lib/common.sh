# Helpers shared by the deployment scripts; sourced, not run.
# shellcheck shell=bash

die() {
    echo "error: $*" >&2
    exit 1
}

# need TOOL HINT: stop with a message saying how to get TOOL when it is missing.
need() {
    command -v "$1" >/dev/null 2>&1 || die "$1 is not installed; $2"
}

# find_compose: set COMPOSE to `docker compose` (v2) or `docker-compose` (v1); fail when neither.
# shellcheck disable=SC2034 # COMPOSE is read by the scripts that source this file
find_compose() {
    if docker compose version >/dev/null 2>&1; then
        COMPOSE=(docker compose)
    elif command -v docker-compose >/dev/null 2>&1; then
        COMPOSE=(docker-compose)
    else
        return 1
    fi
}

# wait_http URL SECONDS: poll URL until it answers 200, for at most SECONDS.
wait_http() {
    local url=$1 deadline=$((SECONDS + $2))
    until curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; do
        [ "$SECONDS" -lt "$deadline" ] || return 1
        sleep 1
    done
}
