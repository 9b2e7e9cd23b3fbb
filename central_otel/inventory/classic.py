"""Classic Central's device inventory: every AP, switch and gateway with its site,
group and labels.

``GET /monitoring/v2/aps``, ``/monitoring/v1/switches`` and ``/monitoring/v1/gateways``
with ``offset``/``limit=1000``/``calculate_total=true``, ``Authorization: Bearer``;
each answer is ``{"aps"|"switches"|"gateways": [...], "count": n, "total": N}``. A
device's record has ``serial``, ``name``, ``model``, ``site`` (null without a
site), ``group_name`` and ``labels`` (label names). N devices cost
⌈APs/1000⌉ + ⌈switches/1000⌉ + ⌈gateways/1000⌉ calls (plus a token refresh every 2 hours).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

from central_otel.inventory.classic_auth import ClassicTokens
from central_otel.inventory.rest import ApiError, BadResponse, HttpError, RestClient
from central_otel.secret import Secret
from central_otel.state.store import DeviceInfo

PAGE_SIZE = 1000
MAX_PAGES = 2000
"""Pages of one endpoint read at most (2 M devices): a server that never says "done"
must not keep a sync going for ever."""


@dataclass(frozen=True, slots=True)
class Endpoint:
    path: str
    list_key: str
    device_type: str


ENDPOINTS = (
    Endpoint("/monitoring/v2/aps", "aps", "ap"),
    Endpoint("/monitoring/v1/switches", "switches", "switch"),
    Endpoint("/monitoring/v1/gateways", "gateways", "gateway"),
)


class Unauthorized(ApiError):
    """A freshly refreshed access token was refused too: the API client lacks rights."""

    cause = "unauthorized"


def text_field(value: object) -> str | None:
    """A non-empty string of an API answer, stripped; None otherwise."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    return text or None


def _labels(value: object) -> tuple[str, ...]:
    """Label names, sorted and distinct (``labels`` is a list of names)."""
    if not isinstance(value, list):
        return ()
    return tuple(sorted({text for item in value if (text := text_field(item)) is not None}))


def parse_device(record: object, device_type: str) -> DeviceInfo | None:
    """One inventory record; None without a serial."""
    if not isinstance(record, dict):
        return None
    serial = text_field(record.get("serial"))
    if serial is None:
        return None
    return DeviceInfo(
        serial=serial,
        site=text_field(record.get("site")),
        group=text_field(record.get("group_name")),
        labels=_labels(record.get("labels")),
        name=text_field(record.get("name")),
        model=text_field(record.get("model")),
        device_type=device_type,
    )


class ClassicInventory:
    """Reads one customer's whole device inventory."""

    def __init__(self, rest: RestClient, tokens: ClassicTokens) -> None:
        self._rest = rest
        self.tokens = tokens

    @property
    def token_source(self) -> str:
        """``state_dir`` (the stored pair) or ``configured`` (the bootstrap token)."""
        return self.tokens.source

    def secrets(self) -> tuple[Secret, ...]:
        return self.tokens.secrets()

    async def devices(self) -> list[DeviceInfo]:
        """Every device of the three lists; `ApiError` when any page fails (a partial
        inventory would strip the context of the devices on the missing pages)."""
        devices: list[DeviceInfo] = []
        for endpoint in ENDPOINTS:
            async for page in self._pages(endpoint):
                devices.extend(page)
        return devices

    async def _pages(self, endpoint: Endpoint) -> AsyncIterator[list[DeviceInfo]]:
        offset = 0
        for _ in range(MAX_PAGES):
            records, total = await self._page(endpoint, offset)
            yield [
                device
                for record in records
                if (device := parse_device(record, endpoint.device_type)) is not None
            ]
            offset += PAGE_SIZE
            done = offset >= total if total is not None else len(records) < PAGE_SIZE
            if done or not records:
                return
        raise BadResponse(f"{endpoint.path} did not end after {MAX_PAGES} pages")

    async def _page(self, endpoint: Endpoint, offset: int) -> tuple[list[object], int | None]:
        params = {"offset": str(offset), "limit": str(PAGE_SIZE), "calculate_total": "true"}
        token = await self.tokens.access_token()
        response = await self._rest.call("GET", endpoint.path, params=params, token=token)
        if response.status == 401:
            token = await self.tokens.renew(token)
            response = await self._rest.call("GET", endpoint.path, params=params, token=token)
            if response.status == 401:
                raise Unauthorized(
                    f"{endpoint.path} refused a freshly refreshed access token (HTTP 401): "
                    "check the API client's role in Central"
                )
        if response.status != 200:
            raise HttpError(response.status, f"{endpoint.path} answered HTTP {response.status}")
        body = response.json()
        if not isinstance(body, dict) or not isinstance(
            records := body.get(endpoint.list_key), list
        ):
            raise BadResponse(f"{endpoint.path}: the answer has no {endpoint.list_key!r} list")
        total = body.get("total")
        if isinstance(total, bool) or not isinstance(total, int):
            total = None
        return records, total
