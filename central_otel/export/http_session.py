"""The `requests` session of the OTLP/HTTP paths (the bridge's transport and the SDK's
exporters), in a module of its own: only a bridge exporting over HTTP imports it, and
with it `requests` (a few MiB a gRPC bridge does without)."""

from __future__ import annotations

from typing import Any

import requests

from central_otel.config.model import OtlpConfig
from central_otel.export.endpoint import http_ca_file


class ConfiguredCaSession(requests.Session):
    """A Session whose ``verify`` (the configured CA file) beats the environment.

    requests lets ``REQUESTS_CA_BUNDLE``/``CURL_CA_BUNDLE`` override
    ``Session.verify`` (psf/requests#3829): images that set them (many do) would
    silently ignore ``ca_file``.  Proxies from the environment still apply.
    """

    def merge_environment_settings(
        self,
        url: str,
        proxies: dict[str, str] | None,
        stream: bool | None,
        verify: Any,
        cert: Any,
    ) -> dict[str, Any]:
        settings = super().merge_environment_settings(url, proxies, stream, verify, cert)
        settings["verify"] = self.verify
        return settings


def http_session(config: OtlpConfig) -> requests.Session | None:
    """HTTP: a session pinning the CA file if there is one (else the SDK's own)."""
    return ConfiguredCaSession() if http_ca_file(config) is not None else None
