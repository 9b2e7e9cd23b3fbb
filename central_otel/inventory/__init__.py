"""Device context (site, group, labels, name, model) from Central's REST API.

`Inventories` holds every customer's context and runs the syncs. Per customer with
an ``inventory`` block: `InventorySync` keeps the customer's
`central_otel.state.device_context.DeviceContext` in step with Classic Central's
device lists (`classic`), through its API token lifecycle (`classic_auth`), the
rate limits (`ratelimit`) and the HTTP calls (`rest`); `state_files` is what it
keeps in ``state_dir``. See docs/device-context.md.
"""

from central_otel.inventory.service import Inventories
from central_otel.inventory.sync import InventorySync, SyncStats

__all__ = ["Inventories", "InventorySync", "SyncStats"]
