"""What a customer's inventory keeps in ``state_dir``: its token pair and its last good context.

``state_dir/inventory/<customer>.json``: the newest Classic token pair (Central
replaces the refresh token at every refresh), with the API client and the
bootstrap token (by fingerprint) it descends from. ``state_dir/inventory/context/
<customer>.json``: the devices of the last successful sync, so that a restart has
site names before its first sync. Both are written atomically (a crash leaves the
old or the new file, never a partial one) with mode 0600 in 0700 directories.

Readers never raise: a missing, unreadable or malformed file is None (the caller
says what it falls back to).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from central_otel.config.files import SECRET_FILE_MODE, make_private_dir, write_atomic
from central_otel.secret import Secret
from central_otel.state.store import DeviceInfo

FORMAT = 1
MAX_FILE_BYTES = 256 * 1024 * 1024


def token_file(state_dir: Path, customer: str) -> Path:
    return state_dir / "inventory" / f"{customer}.json"


def context_file(state_dir: Path, customer: str) -> Path:
    # A directory of its own: customer names may contain dots, so "<name>.context.json"
    # beside the token files could be another customer's token file.
    return state_dir / "inventory" / "context" / f"{customer}.json"


@dataclass(frozen=True, slots=True)
class StoredTokens:
    """A Classic token pair as stored; `bootstrap` is the fingerprint of the configured
    refresh token the pair descends from (that one is spent)."""

    api_base_url: str
    client_id: str
    bootstrap: str
    refresh_token: Secret
    access_token: Secret | None
    expires_at: float
    """Wall-clock time the access token expires (0: unknown)."""


def _write(path: Path, document: dict[str, Any]) -> None:
    make_private_dir(path.parent)
    data = json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"
    write_atomic(path, data, SECRET_FILE_MODE)


def _read(path: Path) -> dict[str, Any] | None:
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError:
        return None
    if len(data) > MAX_FILE_BYTES:
        return None
    try:
        document = json.loads(data)
    except (ValueError, RecursionError):
        return None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        return None
    return document


def save_tokens(path: Path, tokens: StoredTokens) -> None:
    """Raises OSError when the file cannot be written."""
    _write(
        path,
        {
            "format": FORMAT,
            "api_base_url": tokens.api_base_url,
            "client_id": tokens.client_id,
            "bootstrap": tokens.bootstrap,
            "refresh_token": tokens.refresh_token.reveal(),
            "access_token": tokens.access_token.reveal() if tokens.access_token else None,
            "expires_at": tokens.expires_at,
        },
    )


def load_tokens(path: Path) -> StoredTokens | None:
    document = _read(path)
    if document is None:
        return None
    texts = [document.get(name) for name in ("api_base_url", "client_id", "bootstrap")]
    refresh = document.get("refresh_token")
    access = document.get("access_token")
    expires_at = document.get("expires_at")
    if (
        not all(isinstance(text, str) for text in texts)
        or not isinstance(refresh, str)
        or not refresh
        or not (access is None or isinstance(access, str))
        or isinstance(expires_at, bool)
        or not isinstance(expires_at, int | float)
        or not math.isfinite(expires_at)
    ):
        return None
    api_base_url, client_id, bootstrap = (str(text) for text in texts)
    return StoredTokens(
        api_base_url=api_base_url,
        client_id=client_id,
        bootstrap=bootstrap,
        refresh_token=Secret(refresh),
        access_token=Secret(access) if access else None,
        expires_at=float(expires_at),
    )


def _device_document(device: DeviceInfo) -> dict[str, Any]:
    return {
        "serial": device.serial,
        "site": device.site,
        "group": device.group,
        "labels": list(device.labels),
        "name": device.name,
        "model": device.model,
        "device_type": device.device_type,
        "site_id": device.site_id,
    }


def save_context(path: Path, customer: str, devices: list[DeviceInfo], synced_at: float) -> None:
    """Raises OSError when the file cannot be written."""
    _write(
        path,
        {
            "format": FORMAT,
            "customer": customer,
            "synced_at": synced_at,
            "devices": [_device_document(device) for device in devices],
        },
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def load_context(path: Path) -> tuple[list[DeviceInfo], float] | None:
    """(devices, synced_at) of the stored context; entries without a serial are skipped."""
    document = _read(path)
    if document is None:
        return None
    entries = document.get("devices")
    synced_at = document.get("synced_at")
    if not isinstance(entries, list) or isinstance(synced_at, bool):
        return None
    if not isinstance(synced_at, int | float) or not math.isfinite(synced_at):
        return None
    devices: list[DeviceInfo] = []
    for entry in entries:
        if not isinstance(entry, dict) or not _text(entry.get("serial")):
            continue
        labels = entry.get("labels")
        devices.append(
            DeviceInfo(
                serial=str(entry["serial"]),
                site=_text(entry.get("site")),
                group=_text(entry.get("group")),
                labels=tuple(
                    sorted({label for label in labels if isinstance(label, str) and label})
                )
                if isinstance(labels, list)
                else (),
                name=_text(entry.get("name")),
                model=_text(entry.get("model")),
                device_type=_text(entry.get("device_type")),
                site_id=_text(entry.get("site_id")),
            )
        )
    return devices, float(synced_at)
