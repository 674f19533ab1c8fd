# Stand-in for swift:6.3-bookworm in the container smoke test's full build (SMOKE_SWIFT_BUILD=1): the
# official image's packages (swiftlang/swift-docker 6.3/debian/12) on the locally made Debian base,
# with this host's Swift toolchain as the build context. Package sources come from PACKAGE_MIRROR
# (a git daemon of the host's package copies) in place of github.com, which is not reachable here.
ARG BASE_IMAGE
FROM ${BASE_IMAGE}
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        binutils libicu-dev libcurl4-openssl-dev libedit-dev libsqlite3-dev libncurses-dev libpython3-dev \
        libxml2-dev pkg-config uuid-dev tzdata git gcc libstdc++-12-dev \
    && rm -rf /var/lib/apt/lists/*
COPY usr/ /usr/
ARG PACKAGE_MIRROR
RUN git config --system url."${PACKAGE_MIRROR}".insteadOf https://github.com/ && swift --version
