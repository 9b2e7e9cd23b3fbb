"""The bridge's configuration: loading, validation, typed model, rendering.

Public API::

    load_config(path, environ=None) -> Config
    parse_config(data, *, source, environ=None, base_dir=None) -> Config
    ConfigError (.problems: list[ConfigProblem]), ConfigProblem(path, message)
    parse_duration(value) -> float, format_duration(seconds) -> str
    parse_size(value) -> int, format_size(size) -> str
    render_config(config) -> str   # normalised YAML, secrets redacted

See docs/configuration.md for the file format.
"""

from central_otel.config.durations import format_duration, parse_duration
from central_otel.config.errors import ConfigError, ConfigProblem
from central_otel.config.inventory import ClassicApiCredentials, InventoryConfig, SecretSetting
from central_otel.config.loader import load_config, parse_config
from central_otel.config.model import (
    CentralConfig,
    Config,
    CustomerConfig,
    HealthConfig,
    OtlpCompression,
    OtlpConfig,
    OtlpProtocol,
)
from central_otel.config.render import render_config
from central_otel.config.sizes import format_size, parse_size
from central_otel.config.streaming import (
    CaptureConfig,
    IdleTimeouts,
    ReconnectConfig,
    StaggerConfig,
    StreamingConfig,
)

__all__ = [
    "CaptureConfig",
    "CentralConfig",
    "ClassicApiCredentials",
    "Config",
    "ConfigError",
    "ConfigProblem",
    "CustomerConfig",
    "HealthConfig",
    "IdleTimeouts",
    "InventoryConfig",
    "OtlpCompression",
    "OtlpConfig",
    "OtlpProtocol",
    "ReconnectConfig",
    "SecretSetting",
    "StaggerConfig",
    "StreamingConfig",
    "format_duration",
    "format_size",
    "load_config",
    "parse_config",
    "parse_duration",
    "parse_size",
    "render_config",
]
