"""Which process synchronises a customer's device context: exactly one shard, or none."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from central_otel.config import Config, parse_config
from central_otel.inventory import Inventories
from central_otel.inventory.service import owner_topic
from central_otel.sharding import Shard, shard_of
from central_otel.state.store import EntityStore
from central_otel.topics import Topic
from tests.defaults import LIMITS

INVENTORY = {
    "api_base_url": "https://apigw.example.com",
    "client_id": "c",
    "client_secret": "secret-value-1234",
    "refresh_token": "refresh-value-1234",
}


def config(tmp_path: Path, **customers: dict[str, Any]) -> Config:
    document = {
        "central": {"base_url": "central.example.com"},
        "customers": {name: {"key": f"key-of-{name}", **c} for name, c in customers.items()},
        "state_dir": str(tmp_path),
    }
    return parse_config(document, source="t.yaml", environ={})


def stores(cfg: Config) -> dict[str, EntityStore]:
    return {customer.name: EntityStore(customer.name, LIMITS) for customer in cfg.customers}


def test_owner_topic_is_monitoring_else_the_first(tmp_path: Path) -> None:
    cfg = config(
        tmp_path,
        a={"topics": ["audit", "monitoring"]},
        b={"topics": ["security", "audit"]},
    )
    assert owner_topic(cfg.customer("a")) == Topic.MONITORING.value
    assert owner_topic(cfg.customer("b")) == Topic.SECURITY.value


def test_exactly_one_shard_owns_each_inventory(tmp_path: Path) -> None:
    names = [f"customer{i}" for i in range(12)]
    cfg = config(
        tmp_path,
        **{name: {"topics": ["monitoring", "audit"], "inventory": INVENTORY} for name in names},
        plain={"topics": ["monitoring"]},
    )
    owners: dict[str, list[int]] = {}
    for index in range(3):
        inventories = Inventories(cfg, stores(cfg), shard=Shard(index, 3))
        for customer in inventories.owned():
            owners.setdefault(customer.name, []).append(index)
    assert owners == {name: [shard_of(name, "monitoring", 3)] for name in names}
    assert [c.name for c in Inventories(cfg, stores(cfg)).owned()] == names


async def test_no_inventory_no_calls_no_state_dir(tmp_path: Path) -> None:
    cfg = parse_config(
        {
            "central": {"base_url": "central.example.com"},
            "customers": {"a": {"key": "key-of-a", "topics": ["monitoring"]}},
            "state_dir": str(tmp_path / "state"),
        },
        source="t.yaml",
        environ={},
    )
    inventories = Inventories(cfg, stores(cfg))
    await inventories.start()
    assert inventories.syncs == {}
    assert inventories.status() == {}
    assert not (tmp_path / "state").exists()
    await inventories.stop()


def test_a_new_central_inventory_belongs_to_its_first_topics_shard(tmp_path: Path) -> None:
    cfg = parse_config(
        {
            "customers": {
                f"nc{i}": {
                    "platform": "new_central",
                    "base_url": "https://us1.api.central.arubanetworks.com",
                    "client_id": "c",
                    "client_secret": "secret-value-1234",
                    "topics": ["clients-events", "ap-events"],
                    "inventory": {},
                }
                for i in range(6)
            }
        },
        source="t.yaml",
        environ={},
    )
    owners = {
        customer.name: index
        for index in range(2)
        for customer in Inventories(cfg, stores_of(cfg), shard=Shard(index, 2)).owned()
    }
    assert owners == {f"nc{i}": shard_of(f"nc{i}", "clients-events", 2) for i in range(6)}


def stores_of(cfg: Config) -> dict[str, EntityStore]:
    return {c.name: EntityStore(c.name, LIMITS) for c in cfg.all_customers}
