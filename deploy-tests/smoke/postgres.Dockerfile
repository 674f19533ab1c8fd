# Stand-in for postgres:13 in the container smoke test, where no registry can be pulled from:
# Debian's PostgreSQL on the locally made Debian base, with an entrypoint that reads the same
# variables as the official image (POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB, PGDATA).
ARG BASE_IMAGE
FROM ${BASE_IMAGE}
# The user first, with the official image's ids (999), so that USER can be numeric; no cluster at
# install time: the entrypoint makes one in the volume on first start.
RUN groupadd --system --gid 999 postgres \
    && useradd --system --uid 999 --gid postgres --home-dir /var/lib/postgresql --shell /bin/bash postgres \
    && mkdir -p /etc/postgresql-common \
    && echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.conf \
    && apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql \
    && rm -rf /var/lib/apt/lists/* \
    && install -d -o postgres -g postgres -m 0700 /var/lib/postgresql/data \
    && install -d -o postgres -g postgres -m 2775 /var/run/postgresql
COPY postgres-entrypoint.sh /usr/local/bin/postgres-entrypoint.sh
ENV PGDATA=/var/lib/postgresql/data
USER 999:999
EXPOSE 5432
ENTRYPOINT ["/usr/local/bin/postgres-entrypoint.sh"]
