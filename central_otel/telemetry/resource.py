"""The Resource: who is sending (this bridge instance), never which device.

Device identity (``host.*``, ``hw.*``) goes on data points and log records: a
Python provider has one Resource, and one bridge reports for thousands of
devices.  Promote it to resources in the Collector (``groupbyattrs``) if wanted.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Mapping

from opentelemetry.sdk.resources import (
    SERVICE_INSTANCE_ID,
    SERVICE_NAME,
    SERVICE_VERSION,
    OTELResourceDetector,
    Resource,
)

from central_otel import __version__

SERVICE = "central-otel"
# The namespace semantic conventions recommend for UUID v5 service.instance.id values.
_INSTANCE_ID_NAMESPACE = uuid.UUID("4d63009a-8d0f-11ee-aad7-4c796ed8e320")


def default_instance_id(hostname: str | None = None) -> str:
    """A `service.instance.id` stable across restarts on the same host (or pod name).

    UUID v5 of ``central-otel/<$HOSTNAME or hostname>`` (a random UUID v4 if there
    is no host name).  Stable, so a restart does not start new series in backends
    that key on the instance; two bridges on one host must be told apart with
    ``OTEL_RESOURCE_ATTRIBUTES=service.instance.id=...`` (or `instance_id`).
    """
    host = hostname if hostname is not None else os.environ.get("HOSTNAME") or socket.gethostname()
    if not host:
        return str(uuid.uuid4())
    return str(uuid.uuid5(_INSTANCE_ID_NAMESPACE, f"{SERVICE}/{host}"))


def build_resource(
    instance_id: str | None = None, extra: Mapping[str, str] | None = None
) -> Resource:
    """The bridge's Resource.

    Precedence, lowest first: the SDK's ``telemetry.sdk.*``; our defaults
    (``service.name=central-otel``, ``service.version``, a stable
    ``service.instance.id``); ``OTEL_RESOURCE_ATTRIBUTES`` and ``OTEL_SERVICE_NAME``
    (the operator's environment); then the explicit `instance_id` and `extra`.
    """
    from_env = OTELResourceDetector().detect().attributes
    defaults = {
        SERVICE_NAME: SERVICE,
        SERVICE_VERSION: __version__,
        SERVICE_INSTANCE_ID: default_instance_id(),
    }
    attributes: dict[str, str] = {k: v for k, v in defaults.items() if k not in from_env}
    if instance_id:
        attributes[SERVICE_INSTANCE_ID] = instance_id
    attributes.update(extra or {})
    # Resource.create adds the SDK attributes and the environment's (again), then ours on top.
    return Resource.create(attributes)
