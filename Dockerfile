# Container image of the tracking server, with MLflow's web UI bundle.
#
#   docker build -t tracking-server .
#       builds the binary inside the official Swift image (the default, last stage)
#   docker build --target prebuilt -f Dockerfile -t tracking-server DIR
#       runtime stage only, around DIR/tracking-server built on a host of the same Debian release
#       (`swift build -c release --static-swift-stdlib`); scripts/smoke-container does this
#
# Base images are arguments so that a mirror, a pinned digest or a locally made image can stand in.
# The build and runtime images must share a C library release: bookworm with bookworm, or
# swift:6.3-noble with ubuntu:noble.
#
# Stage order matters to the classic (non-BuildKit) builder, which builds every stage before the
# target: `--target prebuilt` must not need the Swift image, so the Swift build comes after it.
ARG SWIFT_IMAGE=swift:6.3-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim
ARG UI_IMAGE=python:3.12-slim-bookworm

# --- the UI: MLflow's prebuilt React bundle, from the official wheel on PyPI ------------------------
FROM ${UI_IMAGE} AS ui
ARG MLFLOW_VERSION=3.18.0
# The wheel's sha256 as PyPI lists it; change it together with MLFLOW_VERSION (empty: no check).
ARG MLFLOW_WHEEL_SHA256=be7d84ba0d0b12392f5b53260cdb3e6d7b7ef4b80c29da90a89b5a1f6db7102f
WORKDIR /tmp/ui
# pip honours PIP_INDEX_URL / PIP_CERT, so a mirror can be passed as a build argument's environment.
RUN set -eu; \
    if [ -n "$MLFLOW_WHEEL_SHA256" ]; then \
        printf 'mlflow==%s --hash=sha256:%s\n' "$MLFLOW_VERSION" "$MLFLOW_WHEEL_SHA256" > requirements.txt; \
    else \
        printf 'mlflow==%s\n' "$MLFLOW_VERSION" > requirements.txt; \
    fi; \
    python3 -m pip download --no-cache-dir --no-deps --only-binary=:all: --dest wheel -r requirements.txt; \
    python3 -c 'import pathlib, sys, zipfile; \
wheel = next(pathlib.Path("wheel").glob("mlflow-*.whl")); \
prefix = "mlflow/server/js/build/"; \
archive = zipfile.ZipFile(wheel); \
members = [n for n in archive.namelist() if n.startswith(prefix)]; \
members or sys.exit(f"no {prefix} in {wheel.name}"); \
archive.extractall("extracted", members)'; \
    mv extracted/mlflow/server/js/build /opt/mlflow-ui; \
    test -f /opt/mlflow-ui/index.html; \
    rm -rf /tmp/ui/*

# --- runtime base: shared by the prebuilt and the Swift-built images ---------------------------------
FROM ${RUNTIME_IMAGE} AS runtime-base
# The binary links the Swift runtime statically; it still needs SQLite, the C++ runtime, CA roots
# (TLS to PostgreSQL and object stores) and time zones.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        ca-certificates libsqlite3-0 libstdc++6 tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 mlflow \
    && useradd --system --uid 10001 --gid mlflow --home-dir /data --no-create-home \
        --shell /usr/sbin/nologin mlflow \
    && install -d -o mlflow -g mlflow -m 0750 /data
COPY --from=ui /opt/mlflow-ui /opt/mlflow-ui
# Listen on all interfaces inside the container; the UI bundle is announced by environment so
# that the image works whether or not this build's server knows `--static-ui-dir`.
ENV MLFLOW_HOST=0.0.0.0 \
    MLFLOW_PORT=5000 \
    MLFLOW_STATIC_UI_DIR=/opt/mlflow-ui
# The only place the server writes to, and only for the SQLite default (mount a volume there); with
# PostgreSQL the root filesystem can be read-only, with /tmp as a tmpfs.
WORKDIR /data
USER 10001:10001
EXPOSE 5000
# bash's /dev/tcp keeps curl out of the image; a 200 status line from /health means healthy.
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
    CMD ["/bin/bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${MLFLOW_PORT:-5000} && printf 'GET /health HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["/usr/local/bin/tracking-server"]
CMD ["server"]

# --- runtime from a binary built outside Docker --------------------------------------------------------
# The classic builder runs these stages for the default image too, where the context holds the
# sources and no binary: the binary is picked out of the context by a test, not named in a COPY
# (which would fail there). With --target prebuilt, DIR must hold tracking-server.
FROM ${RUNTIME_IMAGE} AS prebuilt-binary
COPY . /context/
RUN install -d /out \
    && if [ -f /context/tracking-server ]; then install -m 0755 /context/tracking-server /out/tracking-server; fi
FROM runtime-base AS prebuilt
COPY --from=prebuilt-binary /out/ /usr/local/bin/

# --- build with the official Swift image -----------------------------------------------------------
FROM ${SWIFT_IMAGE} AS build
WORKDIR /src
# Package.resolved is optional (the bracket makes COPY accept its absence).
COPY Package.swift Package.resolve[d] ./
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --static-swift-stdlib --product tracking-server \
    && install -D -m 0755 "$(swift build -c release --show-bin-path)/tracking-server" /out/tracking-server \
    && strip /out/tracking-server

# --- the default image -----------------------------------------------------------------------------
FROM runtime-base AS runtime
COPY --from=build /out/tracking-server /usr/local/bin/tracking-server
