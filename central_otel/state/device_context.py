"""`DeviceContext`: what Central's inventory says about each device of one customer.

Serial -> `DeviceInfo` (site, group, labels, name, model), replaced as a whole by
each successful inventory synchronisation (a device missing from the inventory
loses its context then). The attribute functions read it at export time, from
the export thread, while the event loop may replace it: `replace` swaps the
mapping in one reference assignment, and `version` bumps after the swap, only
when the content changed, so an attribute set cached at version v is still right
while `version == v` and rebuilt otherwise.

Filled by `central_otel.inventory` (Classic Central's REST API); no I/O here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    """One device as Central's inventory lists it; None/empty where it says nothing."""

    serial: str
    site: str | None = None
    group: str | None = None
    labels: tuple[str, ...] = ()
    """Label names, sorted and distinct."""
    name: str | None = None
    model: str | None = None
    device_type: str | None = None
    """``ap``, ``switch`` or ``gateway`` (as ``aruba.device.type``)."""


class DeviceContext:
    """The inventory context of one customer's devices, by serial."""

    __slots__ = ("_devices", "customer", "updated_at", "version")

    def __init__(self, customer: str) -> None:
        self.customer = customer
        self._devices: Mapping[str, DeviceInfo] = MappingProxyType({})
        self.version = 0
        """Bumps each time the content changes."""
        self.updated_at: float | None = None
        """Wall-clock time of the inventory the content comes from (None: never filled)."""

    def get(self, serial: str) -> DeviceInfo | None:
        return self._devices.get(serial)

    def devices(self) -> Mapping[str, DeviceInfo]:
        """A read-only view of the current content (stays as it is if replaced meanwhile)."""
        return self._devices

    def __len__(self) -> int:
        return len(self._devices)

    def replace(self, devices: Iterable[DeviceInfo], *, at: float) -> bool:
        """Make `devices` the whole content (the last one of a serial wins); True if it
        changed anything."""
        fresh = {device.serial: device for device in devices}
        self.updated_at = at
        if fresh == self._devices:
            return False
        self._devices = MappingProxyType(fresh)
        self.version += 1
        return True
