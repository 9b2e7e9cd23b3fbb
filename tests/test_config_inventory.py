"""A customer's `inventory` block: the accepted forms, defaults, and exact problems."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from central_otel.config import (
    ClassicApiCredentials,
    ConfigError,
    InventoryConfig,
    SecretSetting,
    parse_config,
    render_config,
)
from central_otel.secret import Secret

KEY = "k3y-VALUE-0123456789abcdef"
CLIENT_SECRET = "api-S3CRET-5b1f0c7e9d"
REFRESH_TOKEN = "refresh-S3CRET-8a2c4e6f0b"
NEEDS_STATE_DIR = (
    "customers.acme.inventory: needs state_dir: Central replaces the refresh token at every "
    "refresh and the old one stops working, so the newest one must be kept across restarts "
    "(the configured one is spent after the first refresh); set state_dir, e.g. "
    "state_dir: /var/lib/central-otel"
)


def document(inventory: object, *, state_dir: str | None = "state") -> dict[str, Any]:
    doc: dict[str, Any] = {
        "central": {"base_url": "internal-ui.central.arubanetworks.com"},
        "customers": {"acme": {"key": KEY, "topics": ["monitoring"], "inventory": inventory}},
    }
    if state_dir is not None:
        doc["state_dir"] = state_dir
    return doc


def classic(**settings: Any) -> dict[str, Any]:
    block: dict[str, Any] = {
        "api_base_url": "https://apigw-prod2.central.arubanetworks.com",
        "client_id": "abc123",
        "client_secret": CLIENT_SECRET,
        "refresh_token": REFRESH_TOKEN,
    }
    block.update(settings)
    return {key: value for key, value in block.items() if value is not None}


def parse(doc: object, tmp_path: Path, environ: dict[str, str] | None = None) -> InventoryConfig:
    config = parse_config(doc, source="test.yaml", environ=environ or {}, base_dir=tmp_path)
    inventory = config.customer("acme").inventory
    assert inventory is not None
    return inventory


def problems(doc: object, tmp_path: Path, environ: dict[str, str] | None = None) -> list[str]:
    with pytest.raises(ConfigError) as error:
        parse_config(doc, source="test.yaml", environ=environ or {}, base_dir=tmp_path)
    text = str(error.value)
    for secret in (CLIENT_SECRET, REFRESH_TOKEN, KEY, "S3CRET"):
        assert secret not in text
    return [str(problem) for problem in error.value.problems]


def test_absent_means_no_inventory(tmp_path: Path) -> None:
    doc = document(None, state_dir=None)
    del doc["customers"]["acme"]["inventory"]
    config = parse_config(doc, source="test.yaml", environ={})
    assert config.customer("acme").inventory is None
    assert "    inventory: null\n" in render_config(config)


def test_the_issue_shape_with_files_and_defaults(tmp_path: Path) -> None:
    (tmp_path / "acme-api-secret").write_text(f"  {CLIENT_SECRET}\n")
    (tmp_path / "acme-refresh-token").write_text(f"{REFRESH_TOKEN}\n")
    inventory = parse(
        document(
            classic(
                client_secret=None,
                refresh_token=None,
                client_secret_file="acme-api-secret",
                refresh_token_file=str(tmp_path / "acme-refresh-token"),
            )
        ),
        tmp_path,
    )
    assert inventory == InventoryConfig(
        classic=ClassicApiCredentials(
            api_base_url="https://apigw-prod2.central.arubanetworks.com",
            client_id="abc123",
            client_secret=SecretSetting(
                "client_secret", Secret(CLIENT_SECRET), file=tmp_path / "acme-api-secret"
            ),
            refresh_token=SecretSetting(
                "refresh_token", Secret(REFRESH_TOKEN), file=tmp_path / "acme-refresh-token"
            ),
        ),
        interval=900.0,
    )
    assert inventory.classic is not None
    assert inventory.classic.refresh_token.source == (
        f"refresh_token_file: {tmp_path / 'acme-refresh-token'}"
    )
    assert CLIENT_SECRET not in repr(inventory)
    assert REFRESH_TOKEN not in repr(inventory)


def test_env_sources_interval_and_base_url_forms(tmp_path: Path) -> None:
    environ = {"ACME_API_SECRET": CLIENT_SECRET, "ACME_REFRESH": REFRESH_TOKEN}
    inventory = parse(
        document(
            classic(
                api_base_url="apigw-eucentral3.central.arubanetworks.com:8443/",
                client_secret=None,
                refresh_token=None,
                client_secret_env="ACME_API_SECRET",
                refresh_token_env="ACME_REFRESH",
                interval="1m",
            )
        ),
        tmp_path,
        environ,
    )
    classic_api = inventory.classic
    assert classic_api is not None
    assert classic_api.api_base_url == "https://apigw-eucentral3.central.arubanetworks.com:8443"
    assert classic_api.client_secret == SecretSetting(
        "client_secret", Secret(CLIENT_SECRET), env="ACME_API_SECRET"
    )
    assert classic_api.refresh_token.source == "refresh_token_env: ACME_REFRESH"
    assert inventory.interval == 60.0
    inline = parse(document(classic(api_base_url="http://127.0.0.1:9000")), tmp_path)
    assert inline.classic is not None
    assert inline.classic.api_base_url == "http://127.0.0.1:9000"
    assert inline.classic.client_secret.source == "client_secret"


def test_classic_inventory_without_state_dir_explains_why(tmp_path: Path) -> None:
    assert problems(document(classic(), state_dir=None), tmp_path) == [NEEDS_STATE_DIR]


def test_every_problem_at_its_path(tmp_path: Path) -> None:
    doc = document(
        {
            "api_base_url": "ftp://apigw.example.com/api",
            "client_secret": CLIENT_SECRET,
            "client_secret_file": "missing-secret",
            "refresh_token_env": "UNSET_REFRESH",
            "interval": "30s",
            "intervall": "15m",
        }
    )
    assert problems(doc, tmp_path) == [
        "customers.acme.inventory: exactly one of client_secret, client_secret_file,"
        " client_secret_env is required (got client_secret, client_secret_file)",
        "customers.acme.inventory.api_base_url: expected https://HOST (the cluster's API"
        " gateway), got 'ftp://apigw.example.com/api'",
        f"customers.acme.inventory.client_secret_file: cannot read {tmp_path / 'missing-secret'}:"
        " No such file or directory",
        "customers.acme.inventory.refresh_token_env: environment variable UNSET_REFRESH is not set",
        "customers.acme.inventory.interval: must be at least 1m (got 30s)",
        "customers.acme.inventory.intervall: unknown key (expected one of api_base_url,"
        " client_id, client_secret, client_secret_file, client_secret_env, refresh_token,"
        " refresh_token_file, refresh_token_env, interval)",
        "customers.acme.inventory.client_id: required",
    ]


def test_secret_problems_never_show_the_secret(tmp_path: Path) -> None:
    (tmp_path / "empty").write_text("\n")
    doc = document(
        classic(
            api_base_url="https://apigw.example.com/x",
            client_secret=f"two\nlines-{CLIENT_SECRET}",
            refresh_token=None,
            refresh_token_file="empty",
            interval=KEY,  # a known secret in the wrong place
        )
    )
    lines = problems(doc, tmp_path)
    assert lines == [
        "customers.acme.inventory.api_base_url: unexpected path '/x' (expected just the host)",
        "customers.acme.inventory.client_secret: the client secret must be a single line of"
        " printable ASCII characters",
        f"customers.acme.inventory.refresh_token_file: the refresh token in {tmp_path / 'empty'}"
        " is empty",
        "customers.acme.inventory.interval: invalid duration '<redacted>' (expected e.g. 250ms,"
        " 30s, 5m, 1h30m, 1d or a number of seconds)",
    ]


def test_not_a_mapping(tmp_path: Path) -> None:
    assert problems(document(["api_base_url"]), tmp_path) == [
        "customers.acme.inventory: expected a mapping, got a list"
    ]


def test_secrets_are_part_of_the_config_secrets(tmp_path: Path) -> None:
    config = parse_config(document(classic()), source="t", environ={}, base_dir=tmp_path)
    revealed = {secret.reveal() for secret in config.secrets()}
    assert {CLIENT_SECRET, REFRESH_TOKEN, KEY} <= revealed


def new_central(inventory: object) -> dict[str, Any]:
    return {
        "customers": {
            "globex": {
                "platform": "new_central",
                "base_url": "https://us1.api.central.arubanetworks.com",
                "client_id": "0a1b2c3d",
                "client_secret": CLIENT_SECRET,
                "topics": ["ap-events"],
                "inventory": inventory,
            }
        }
    }


def test_a_new_central_inventory_is_just_its_interval(tmp_path: Path) -> None:
    config = parse_config(new_central({"interval": "30m"}), source="t", environ={})
    customer = config.new_central_customer("globex")
    assert customer.inventory == InventoryConfig(classic=None, interval=1800.0)
    assert config.state_dir is None  # no rotating token: no state_dir needed
    assert "    inventory:\n      interval: 30m\n" in render_config(config)
    defaults = parse_config(new_central({}), source="t", environ={})
    assert defaults.new_central_customer("globex").inventory == InventoryConfig()
    absent = parse_config(new_central(None), source="t", environ={})
    assert absent.new_central_customer("globex").inventory is None


def test_a_new_central_inventory_takes_no_classic_credentials(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as error:
        parse_config(
            new_central({"api_base_url": "https://apigw.example.com", "interval": "10s"}),
            source="test.yaml",
            environ={},
        )
    assert [str(p) for p in error.value.problems] == [
        "customers.globex.inventory.api_base_url: unknown key (expected one of interval)",
        "customers.globex.inventory.interval: must be at least 1m (got 10s)",
    ]
