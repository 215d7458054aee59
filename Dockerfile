# syntax=docker/dockerfile:1

# ---- build stage ------------------------------------------------------------
# Same Debian release (bookworm) as the runtime stage, so the binary is linked
# against the glibc and libpq versions that will be there at run time.
FROM rust:1.95-slim-bookworm AS build

# libpq-dev: pq-sys links the system libpq, which it finds through pkg-config.
# SQLite needs nothing here: libsqlite3-sys compiles its bundled copy with the
# gcc that the rust image already has.
# Versions are not pinned (DL3008): bookworm's archive keeps only the current
# security release, so pinned versions stop installing; the base tag pins Debian.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /build

# Dependencies first, so this (slow) layer is rebuilt only when Cargo.toml or
# Cargo.lock change, not on every source edit. The stub lib.rs/main.rs stand in
# for the real crate. Afterwards the stub's own build records are deleted:
# COPY keeps the files' original mtimes, which can be older than the stub
# build, and cargo would then wrongly consider the real crate up to date.
COPY Cargo.toml Cargo.lock ./
RUN mkdir src \
 && echo 'fn main() {}' > src/main.rs \
 && touch src/lib.rs \
 && cargo build --release --locked \
 && rm -rf src \
           target/release/sinergi* \
           target/release/.fingerprint/sinergi-* \
           target/release/deps/sinergi-* \
           target/release/deps/libsinergi-*

# migrations/ and data/ are compiled into the binary (embed_migrations!,
# include_str!); nothing from them is read at run time. openapi/ is not copied:
# the OpenAPI document is generated from the code.
COPY src ./src
COPY migrations ./migrations
COPY data ./data
RUN cargo build --release --locked \
 && install -m 0755 target/release/sinergi /usr/local/bin/sinergi

# ---- runtime stage ----------------------------------------------------------
FROM debian:bookworm-slim AS runtime

LABEL org.opencontainers.image.title="sinergi" \
      org.opencontainers.image.description="Exchange of graduation and program-enrollment records between Indonesian ministries" \
      org.opencontainers.image.licenses="Apache-2.0 AND ODbL-1.0"

# libpq5: the PostgreSQL client library the binary is dynamically linked to.
# ca-certificates: so TLS connections to a database can be verified against
# the system CA bundle. Not pinned, for the reason given in the build stage.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq5 ca-certificates \
 && rm -rf /var/lib/apt/lists/*

# A fixed unprivileged uid/gid (10001, unlikely to clash with a host account),
# with no login shell. The working directory belongs to it because the default
# database is SQLite at ./sinergi-data/sinergi.db, relative to the working
# directory. sinergi-data is created here, owned by that user, so that a named
# volume mounted on it starts out with the right owner.
RUN groupadd --system --gid 10001 sinergi \
 && useradd --system --uid 10001 --gid sinergi \
            --home-dir /var/lib/sinergi --no-create-home \
            --shell /usr/sbin/nologin sinergi \
 && mkdir -p /var/lib/sinergi/sinergi-data \
 && chown -R sinergi:sinergi /var/lib/sinergi

COPY --from=build /usr/local/bin/sinergi /usr/local/bin/sinergi

# The region data is compiled into the binary, so the image conveys it; its
# licence (ODbL 1.0) requires the licence text and the credit to go with it.
COPY data/regions/README.md data/regions/LICENSE-ODbL.md /usr/share/doc/sinergi/regions/

# A sinergi.toml placed here is read too; SINERGI_* variables override it.
# Without SINERGI_DATABASE_URL the SQLite file lives in the container: mount a
# volume on /var/lib/sinergi/sinergi-data to keep it.
WORKDIR /var/lib/sinergi
# Numeric, so orchestrators can check runAsNonRoot without looking up a name.
USER 10001:10001

# The built-in default 127.0.0.1 would not be reachable through a published port.
ENV SINERGI_BIND=0.0.0.0:8080
EXPOSE 8080

# No HEALTHCHECK: the image deliberately has no curl or wget to run one with.
# Health checks are left to the orchestrator, which should probe over HTTP:
# GET /healthz (liveness: the process serves) and GET /readyz (readiness: the
# database answers), e.g. Kubernetes httpGet probes.

# Exec form, so sinergi is PID 1 and receives SIGTERM itself; it then lets
# in-flight requests finish for up to SINERGI_SHUTDOWN_TIMEOUT_SECS (default
# 30 s), longer than the 10 s `docker stop` waits by default (use --time).
# `serve` applies pending migrations and loads the region table before it
# listens; `migrate` does only that, e.g. as a one-off job.
ENTRYPOINT ["sinergi"]
CMD ["serve"]
