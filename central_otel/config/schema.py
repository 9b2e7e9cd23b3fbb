"""The configuration schema: voluptuous mappings that refuse unknown keys, one entry per section.

`build_schema` returns a validator for the whole (env-expanded) document. Its
output is a plain dict of typed values (see `central_otel.config.model` for the
dataclasses built from it). Adding a section means adding one entry to
`build_schema`'s top-level `Section` and one field to `model.Config`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, cast

import voluptuous as vol

from central_otel.config import validators as v
from central_otel.config.errors import describe_type, show_value
from central_otel.topics import TOPIC_NAMES

CUSTOMER_NAME = re.compile(r"[A-Za-z0-9_.-]+")
KEY_SOURCES = ("key", "key_file", "key_env")
OTLP_PROTOCOLS = ("grpc", "http/protobuf")
OTLP_COMPRESSIONS = ("gzip", "none")
DEFAULT_OTLP_ENDPOINTS = {"grpc": "http://localhost:4317", "http/protobuf": "http://localhost:4318"}

Check = Callable[[Mapping[str, object]], Iterable[vol.Invalid]]


def required(key: str) -> vol.Required:
    return vol.Required(key, msg="required")


def optional(key: str, default: object = vol.UNDEFINED) -> vol.Optional:
    return vol.Optional(key, default=default)


class Section:
    """A mapping with a fixed set of keys (``extra=PREVENT_EXTRA``).

    Unknown keys are reported as ``unknown key (expected one of a, b, c)``;
    `checks` run on the raw mapping (e.g. "exactly one of") and their problems
    are reported together with the per-key ones. A `nullable` section treats
    ``null`` (an empty YAML value) like an empty mapping.
    """

    def __init__(
        self,
        fields: Mapping[vol.Marker, Callable[[Any], object]],
        *,
        checks: Iterable[Check] = (),
        nullable: bool = False,
    ) -> None:
        self.keys: tuple[str, ...] = tuple(str(marker.schema) for marker in fields)
        self._validate = cast(
            "Callable[[object], dict[str, object]]",
            vol.Schema(dict(fields), extra=vol.PREVENT_EXTRA),
        )
        self._checks = tuple(checks)
        self._nullable = nullable

    def __call__(self, value: object) -> dict[str, object]:
        if value is None and self._nullable:
            value = {}
        if not isinstance(value, dict):
            raise v.invalid(f"expected a mapping, got {describe_type(value)}")
        errors: list[vol.Invalid] = [error for check in self._checks for error in check(value)]
        result: dict[str, object] = {}
        try:
            result = self._validate(value)
        except vol.MultipleInvalid as exc:
            errors.extend(self._rewrite(error) for error in v.flatten(exc))
        if errors:
            raise vol.MultipleInvalid(errors)
        return result

    def _rewrite(self, error: vol.Invalid) -> vol.Invalid:
        if len(error.path) == 1 and error.msg == "extra keys not allowed":
            return v.invalid(f"unknown key (expected one of {', '.join(self.keys)})", error.path)
        return error


def exactly_one_of(*keys: str) -> Check:
    def check(data: Mapping[str, object]) -> list[vol.Invalid]:
        given = [key for key in keys if key in data]
        if len(given) == 1:
            return []
        detail = "none given" if not given else f"got {', '.join(given)}"
        return [v.invalid(f"exactly one of {', '.join(keys)} is required ({detail})")]

    return check


def named_entries(entry: Callable[[object], dict[str, object]]) -> v.Validator[dict[str, Any]]:
    """A non-empty mapping of customer name -> customer settings."""

    def validate(value: object) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise v.invalid(
                f"expected a mapping of customer names to settings, got {describe_type(value)}"
            )
        if not value:
            raise v.invalid("at least one customer is required")
        errors: list[vol.Invalid] = []
        result: dict[str, Any] = {}
        for name, settings in value.items():
            if not CUSTOMER_NAME.fullmatch(name):
                errors.append(
                    v.invalid(
                        f"invalid customer name {show_value(name)}"
                        " (allowed characters: letters, digits, '_', '.', '-')",
                        [name],
                    )
                )
            try:
                result[name] = entry(settings)
            except vol.Invalid as exc:
                exc.prepend([name])
                errors.extend(v.flatten(exc))
        if errors:
            raise vol.MultipleInvalid(errors)
        return result

    return validate


def central_section(ctx: v.Context) -> Section:
    return Section(
        {
            required("base_url"): v.base_url,
            optional("ca_file", default=None): v.optional(v.ca_file(ctx)),
            optional("verify_tls", default=True): v.boolean,
        }
    )


def customer_section(ctx: v.Context) -> Section:
    return Section(
        {
            optional("key"): v.inline_key(ctx),
            optional("key_file"): v.key_file(ctx),
            optional("key_env"): v.key_env(ctx),
            optional("username", default=None): v.optional(v.header_safe_string),
            required("topics"): v.unique_list(
                v.one_of(TOPIC_NAMES), what="topic", example="[monitoring, security]"
            ),
        },
        checks=[exactly_one_of(*KEY_SOURCES)],
    )


def otlp_section(ctx: v.Context) -> Section:
    return Section(
        {
            optional("endpoint", default=None): v.optional(v.http_url),
            optional("protocol", default="grpc"): v.one_of(OTLP_PROTOCOLS),
            optional("insecure", default=False): v.boolean,
            optional("headers", default=None): v.headers(ctx),
            optional("export_interval", default=60.0): v.duration(minimum=1.0),
            optional("ca_file", default=None): v.optional(v.ca_file(ctx)),
            optional("compression", default="gzip"): v.one_of(OTLP_COMPRESSIONS),
            optional("timeout", default=10.0): v.duration(),
        },
        nullable=True,
    )


def health_section() -> Section:
    return Section(
        {optional("listen", default="127.0.0.1:8080"): v.listen_address},
        nullable=True,
    )


def build_schema(ctx: v.Context) -> Section:
    """The validator of a whole configuration document."""
    return Section(
        {
            required("central"): central_section(ctx),
            required("customers"): named_entries(customer_section(ctx)),
            optional("key_validation_interval", default=3600.0): v.duration(minimum=60.0),
            optional("otlp", default=None): otlp_section(ctx),
            optional("health", default=None): health_section(),
        }
    )
