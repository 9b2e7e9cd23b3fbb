"""Device-context settings (a customer's ``inventory`` block), with their defaults.

Kept apart from `model` so that `schema` can take its defaults from here (`model`
imports `schema`), as `config.streaming` does for the streaming policy.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from central_otel.secret import Secret

DEFAULT_INVENTORY_INTERVAL = 15 * 60.0
MIN_INVENTORY_INTERVAL = 60.0


@dataclass(frozen=True, slots=True)
class SecretSetting:
    """A secret and where it was read from: ``NAME`` inline, ``NAME_file`` or ``NAME_env``."""

    name: str
    """The setting's base name, e.g. ``client_secret``."""
    value: Secret
    file: Path | None = None
    env: str | None = None

    @property
    def source(self) -> str:
        """Where to put a new value, for messages: ``client_secret_file: /run/secrets/x``."""
        if self.file is not None:
            return f"{self.name}_file: {self.file}"
        if self.env is not None:
            return f"{self.name}_env: {self.env}"
        return self.name


@dataclass(frozen=True, slots=True)
class ClassicApiCredentials:
    """A Classic Central API client (API Gateway -> My Apps & Tokens) and its token.

    `refresh_token` is the bootstrap token: Central replaces it at every refresh, and
    the bridge keeps the newest one in ``state_dir/inventory/<customer>.json``.
    """

    api_base_url: str
    """The cluster's API gateway, ``https://apigw-...`` (no path)."""
    client_id: str
    client_secret: SecretSetting
    refresh_token: SecretSetting


@dataclass(frozen=True, slots=True)
class InventoryConfig:
    """Where a customer's device context (site, group, labels) comes from, and how often."""

    classic: ClassicApiCredentials | None = None
    """A Classic customer's API client; None for a New Central customer, whose inventory
    uses the API gateway and the access token of its streams."""
    interval: float = DEFAULT_INVENTORY_INTERVAL
    """Seconds between two synchronisations with Central's REST API."""

    def secrets(self) -> tuple[Secret, ...]:
        if self.classic is None:
            return ()
        return (self.classic.client_secret.value, self.classic.refresh_token.value)
