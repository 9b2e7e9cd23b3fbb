"""New Central's device inventory: every AP, switch and gateway with its site and group.

``GET /network-monitoring/v1/aps``, ``/switches`` (``limit`` up to 1000) and
``/gateways`` (up to 100) on the customer's API gateway, with the access token its
streams use (`central_otel.new_central.token.CustomerToken`: one token per customer,
renewed once for everyone on a 401); each answer is ``{"items": [...], "count",
"next", "total"}`` and the next page is asked with ``next=<its "next">`` (1-based page
numbers) until it is null. A device's record has ``serialNumber``, ``deviceName``,
``model``, ``siteId`` and ``siteName`` (not seen on gateways); the group,
``deviceGroupName``, is only in ``/network-monitoring/v1/device-inventory``, read the
same way and joined by serial (its ``siteName`` fills a list's gap). New Central has
no device labels.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, replace

from central_otel.inventory.classic import MAX_PAGES, Unauthorized, text_field
from central_otel.inventory.rest import ApiError, BadResponse, HttpError, RestClient
from central_otel.new_central.token import CustomerToken, TokenUnavailable
from central_otel.secret import Secret
from central_otel.state.store import DeviceInfo


@dataclass(frozen=True, slots=True)
class Listing:
    """A paged list on the API gateway, and the largest page it serves (`limit`)."""

    path: str
    limit: int


DEVICE_LISTS = {
    "ap": Listing("/network-monitoring/v1/aps", 1000),
    "switch": Listing("/network-monitoring/v1/switches", 1000),
    "gateway": Listing("/network-monitoring/v1/gateways", 100),
}
"""The list of each device type (the type its devices get)."""
INVENTORY = Listing("/network-monitoring/v1/device-inventory", 1000)
"""Every device's group (and site), joined to the lists' devices by serial."""


class NoToken(ApiError):
    """The customer's streams have no access token to lend (refused or not yet had)."""

    cause = "unauthorized"


def parse_device(record: object, device_type: str) -> DeviceInfo | None:
    """One monitoring record; None without a serial number."""
    if not isinstance(record, dict):
        return None
    serial = text_field(record.get("serialNumber"))
    if serial is None:
        return None
    return DeviceInfo(
        serial=serial,
        site=text_field(record.get("siteName")),
        name=text_field(record.get("deviceName")),
        model=text_field(record.get("model")),
        device_type=device_type,
        site_id=text_field(record.get("siteId")),
    )


class NewCentralInventory:
    """Reads one New Central customer's whole device inventory."""

    token_source = "streams"
    """The access token is the one the customer's streams use."""

    def __init__(
        self, customer: str, rest: RestClient, token: Callable[[], CustomerToken | None]
    ) -> None:
        self.customer = customer
        self._rest = rest
        self._token = token

    def secrets(self) -> tuple[Secret, ...]:
        token = self._token()
        return (token.token,) if token is not None and token.token is not None else ()

    async def devices(self) -> list[DeviceInfo]:
        """Every device of the three lists, with its group; `ApiError` when any page
        fails (a partial inventory would strip the context of the missing devices)."""
        found: dict[str, DeviceInfo] = {}
        for device_type, listing in DEVICE_LISTS.items():
            async for items in self._pages(listing):
                for item in items:
                    device = parse_device(item, device_type)
                    if device is not None:
                        found[device.serial] = device
        async for items in self._pages(INVENTORY):
            for item in items:
                serial = text_field(item.get("serialNumber")) if isinstance(item, dict) else None
                device = found.get(serial) if serial is not None else None
                if device is None or not isinstance(item, dict):
                    continue  # not onboarded (not monitored): nothing streams about it
                found[device.serial] = replace(
                    device,
                    group=text_field(item.get("deviceGroupName")),
                    site=device.site or text_field(item.get("siteName")),
                    site_id=device.site_id or text_field(item.get("siteId")),
                )
        return list(found.values())

    async def _pages(self, listing: Listing) -> AsyncIterator[list[object]]:
        path = listing.path
        page: str | None = "1"
        for _ in range(MAX_PAGES):
            assert page is not None
            body = await self._page(path, {"limit": str(listing.limit), "next": page})
            items = body.get("items")
            if not isinstance(items, list):
                raise BadResponse(f"{path}: the answer has no 'items' list")
            yield items
            following = body.get("next")
            page = str(following) if isinstance(following, str | int) and following else None
            if page is None or not items:
                return
        raise BadResponse(f"{path} did not end after {MAX_PAGES} pages")

    async def _page(self, path: str, params: dict[str, str]) -> dict[str, object]:
        token = self._token()
        if token is None:
            raise NoToken(f"customer {self.customer!r} has no New Central streams here")
        generation = token.generation
        try:
            access = await token.get()
            response = await self._rest.call("GET", path, params=params, token=access)
            if response.status == 401:
                await token.renew("monitoring API: 401", stale=generation)
                access = await token.get()
                response = await self._rest.call("GET", path, params=params, token=access)
                if response.status == 401:
                    raise Unauthorized(
                        f"{path} refused a fresh access token (HTTP 401): check the API "
                        "client's role in HPE GreenLake"
                    )
        except TokenUnavailable as err:
            raise NoToken(f"no access token for the monitoring API ({err})") from None
        if response.status != 200:
            raise HttpError(response.status, f"{path} answered HTTP {response.status}")
        body = response.json()
        if not isinstance(body, dict):
            raise BadResponse(f"{path}: the answer is not an object")
        return body
