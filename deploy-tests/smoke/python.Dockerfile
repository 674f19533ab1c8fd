# Stand-in for python:3.x-slim in the container smoke test: Debian's Python and pip on the locally
# made Debian base, for the Dockerfile's UI stage (which downloads MLflow's wheel from PyPI).
ARG BASE_IMAGE
FROM ${BASE_IMAGE}
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3-pip \
    && rm -rf /var/lib/apt/lists/*
