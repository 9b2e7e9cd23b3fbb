# syntax=docker/dockerfile:1
#
# central-otel container image.
#
#   docker build -t central-otel .
#   docker run --rm --read-only --tmpfs /tmp \
#     -v "$PWD/config.yaml:/etc/central-otel/config.yaml:ro" \
#     -v "$PWD/secrets:/run/secrets:ro" \
#     -v central-otel-state:/var/lib/central-otel \
#     -p 8080:8080 central-otel
#
# Two stages: the builder turns the project (and its dependencies) into wheels; the
# final image installs those wheels only: no compiler, no build tools, no source tree.
# It runs as the unprivileged uid 10001 and writes nothing outside /tmp and the state
# directory, so it works with a read-only root filesystem.
#
# The configuration should listen for health checks on all interfaces
# (`health.listen: 0.0.0.0:8080`) so that probes from outside the container reach it;
# the HEALTHCHECK below runs inside the container and uses 127.0.0.1:8080 (override
# with CENTRAL_OTEL_HEALTHCHECK_URL when the port differs).

ARG PYTHON_IMAGE=python:3.11-slim

# -- builder ------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS builder

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1

WORKDIR /src
# Only what the wheel is built from (see .dockerignore): the build is reproducible and
# a change to tests or docs does not invalidate this layer.
COPY pyproject.toml README.md ./
COPY central_otel ./central_otel

# Wheels of the project and of every dependency, in one directory the final stage
# installs from without an index.
RUN python -m pip wheel --wheel-dir /wheels .

# -- final ----------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS final

LABEL org.opencontainers.image.title="central-otel" \
      org.opencontainers.image.description="Aruba Central Streaming API to OpenTelemetry (OTLP) bridge" \
      org.opencontainers.image.licenses="MIT"

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    HOME=/tmp

# Install from the builder's wheels only (bind-mounted: they do not end up in a layer).
RUN --mount=type=bind,from=builder,source=/wheels,target=/wheels \
    python -m pip install --no-index --find-links=/wheels central-otel \
 && groupadd --system --gid 10001 central-otel \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /tmp \
      --shell /usr/sbin/nologin central-otel \
 && mkdir -p /etc/central-otel /var/lib/central-otel \
 && chown 10001:10001 /var/lib/central-otel \
 && chmod 0700 /var/lib/central-otel

# Renewed streaming keys are remembered here when the configuration sets
# `state_dir: /var/lib/central-otel`; mount a volume to keep them across restarts.
VOLUME ["/var/lib/central-otel"]

USER 10001:10001
WORKDIR /tmp

EXPOSE 8080

# /healthz answers 200 while the process and its event loop are alive, 503 when the
# loop lags; urlopen raises on both a refused connection and an HTTP error status.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(os.environ.get('CENTRAL_OTEL_HEALTHCHECK_URL', 'http://127.0.0.1:8080/healthz'), timeout=4)"]

ENTRYPOINT ["central-otel"]
CMD ["run", "--config", "/etc/central-otel/config.yaml"]
