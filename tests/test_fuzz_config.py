"""Hostile configuration files: `load_config` returns a Config or raises ConfigError, never
anything else, and never echoes a secret.

Documents carry known secrets in every place a secret can come from (`key`, `key_env`,
`key_file`, OTLP header values) and the same strings misplaced into ordinary settings;
they are written as YAML or JSON to a temporary file, sometimes mangled as text
(truncated, bytes flipped, lines dropped or duplicated). Arbitrary text and bytes are
loaded too. (`tests/test_config_property.py` covers `parse_config` on arbitrary
JSON-like values.)

CI runs a bounded number of examples. A longer run:

    CENTRAL_OTEL_FUZZ_EXAMPLES=20000 python -m pytest -q tests/test_fuzz_config.py
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from central_otel.config import Config, ConfigError, load_config, parse_config
from central_otel.config.render import render_config
from central_otel.topics import TOPIC_NAMES

EXAMPLES = int(os.environ.get("CENTRAL_OTEL_FUZZ_EXAMPLES", "100"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

KEY = "k3y-FUZZ-0a1b2c3d4e5f67890"
ENV_KEY = "env-K3Y-fedcba9876543210"
FILE_KEY = "file-K3Y-00112233445566778899"
HEADER = "Bearer h34der-FUZZ-S3CRET-abcdef"
SECRETS = (KEY, ENV_KEY, FILE_KEY, HEADER)
ENVIRON = {"CENTRAL_KEY": ENV_KEY, "OTHER": "plain"}

# Settings that are not secrets; a secret string put there must still not be echoed.
MISPLACEABLE: tuple[tuple[str, ...], ...] = (
    ("key_validation_interval",),
    ("health", "listen"),
    ("health", "ready_when"),
    ("otlp", "endpoint"),
    ("otlp", "export_interval"),
    ("otlp", "timeout"),
    ("otlp", "protocol"),
    ("otlp", "compression"),
    ("central", "base_url"),
    ("central", "verify_tls"),
    ("streaming", "heartbeat"),
    ("streaming", "max_msg_size"),
    ("streaming", "reconnect", "jitter"),
    ("capture", "max_size"),
    ("customers", "A", "username"),
    ("customers", "A", "topics"),
    ("customers", "B", "key_env"),
    ("logging", "level"),
    ("metrics", "series_ttl"),
)


def _set(document: dict[str, Any], path: tuple[str, ...], value: object) -> None:
    node: Any = document
    for part in path[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = node[part] = {}
        node = child
    node[path[-1]] = value


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    """A document with secrets in their places, some also misplaced, some values broken."""
    topics = st.lists(st.sampled_from(TOPIC_NAMES), min_size=1, max_size=3, unique=True)
    sources = st.sampled_from(
        [
            {"key": KEY},
            {"key_env": "CENTRAL_KEY"},
            {"key_file": "fuzz.key"},
            {"key": KEY + "\n" + KEY},  # invalid: two lines
            {"key": KEY, "key_env": "CENTRAL_KEY"},  # invalid: two sources
            {"key_env": "MISSING"},
            {"key_file": "missing.key"},
        ]
    )
    customers = {
        name: {**draw(sources), "topics": draw(topics)}
        for name in draw(st.lists(st.sampled_from(["A", "B", "C d"]), min_size=1, unique=True))
    }
    document: dict[str, Any] = {
        "central": {"base_url": "https://central.example.com"},
        "customers": customers,
        "otlp": {
            "endpoint": "http://127.0.0.1:4317",
            "headers": {"authorization": HEADER, "x-bad": HEADER + "\nsecond"},
        },
    }
    if not draw(st.booleans()):
        document["otlp"]["headers"].pop("x-bad")
    for path in draw(st.lists(st.sampled_from(MISPLACEABLE), max_size=4, unique=True)):
        value = draw(st.sampled_from([*SECRETS, "${env:CENTRAL_KEY}", [KEY], {KEY: HEADER}]))
        _set(document, path, value)
    return document


def _serialise(document: dict[str, Any], as_json: bool) -> str:
    return json.dumps(document, indent=1) if as_json else yaml.safe_dump(document)


@st.composite
def mangled(draw: st.DrawFn, text: str) -> str:
    lines = text.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        at = draw(st.integers(0, len(lines) - 1))
        operation = draw(st.sampled_from(["drop", "dup", "indent", "dedent", "cut", "char"]))
        if operation == "drop":
            del lines[at]
        elif operation == "dup":
            lines.insert(at, lines[at])
        elif operation == "indent":
            lines[at] = "  " + lines[at]
        elif operation == "dedent":
            lines[at] = lines[at].lstrip()
        elif operation == "cut":
            lines[at] = lines[at][: draw(st.integers(0, len(lines[at])))]
        else:
            char = draw(st.sampled_from(list(":-{}[]&*!|>'\"%@`#,?\t\x00\ufeff")))
            position = draw(st.integers(0, len(lines[at])))
            lines[at] = lines[at][:position] + char + lines[at][position:]
    return "".join(lines)


def _load(text: str | bytes, suffix: str) -> Config | ConfigError:
    """Write `text` next to a key file and load it; the Config or the ConfigError."""
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "fuzz.key").write_text(FILE_KEY + "\n")
        path = Path(tmp, "central-otel" + suffix)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            return load_config(path, environ=ENVIRON)
        except ConfigError as error:
            return error


def _check_error(error: ConfigError) -> str:
    assert error.problems
    for problem in error.problems:
        assert problem.path
        assert problem.message
    return str(error) + "\n" + "\n".join(f"{p.path}: {p.message}" for p in error.problems)


def live_secrets(document: dict[str, Any]) -> tuple[str, ...]:
    """The secrets the document really configures (the loader knows these as secrets).

    A string that is a secret only by accident (the same text as an unused key) is
    an ordinary value to the loader.
    """
    found = {HEADER}
    customers = document.get("customers")
    for settings_ in customers.values() if isinstance(customers, dict) else ():
        if not isinstance(settings_, dict):
            continue
        sources = {k: v for k, v in settings_.items() if k in ("key", "key_env", "key_file")}
        if sources == {"key": KEY}:
            found.add(KEY)
        elif sources == {"key_env": "CENTRAL_KEY"}:
            found.add(ENV_KEY)
        elif sources == {"key_file": "fuzz.key"}:
            found.add(FILE_KEY)
    return tuple(sorted(found))


def _no_secret(text: str, secrets: tuple[str, ...] = SECRETS) -> None:
    for secret in secrets:
        assert secret not in text, f"secret {secret[:8]}... echoed in: {text}"


@FUZZ
@given(documents(), st.booleans())
def test_documents_with_secrets(document: dict[str, Any], as_json: bool) -> None:
    result = _load(_serialise(document, as_json), ".json" if as_json else ".yaml")
    secrets = live_secrets(document)
    if isinstance(result, ConfigError):
        _no_secret(_check_error(result), secrets)
    else:
        assert isinstance(result, Config)
        _no_secret(render_config(result), secrets)
        _no_secret(repr(result), secrets)


@FUZZ
@given(st.data(), st.booleans())
def test_mangled_files(data: st.DataObject, as_json: bool) -> None:
    document = data.draw(documents())
    text = data.draw(mangled(_serialise(document, as_json)))
    result = _load(text, ".json" if as_json else ".yaml")
    if isinstance(result, ConfigError):
        message = _check_error(result)
        # A mangled file may turn a key into a mapping key, which is then echoed as
        # "unknown key" or "duplicate key" (known limitation, docs/reliability.md);
        # any other syntax error must never quote the file.
        if "malformed" in message and "duplicate key" not in message:
            _no_secret(message)
    else:
        assert isinstance(result, Config)
        _no_secret(repr(result))


@FUZZ
@given(st.text(max_size=400) | st.binary(max_size=400).map(bytes), st.booleans())
def test_arbitrary_text_and_bytes(text: str | bytes, as_json: bool) -> None:
    result = _load(text, ".json" if as_json else ".yaml")
    if isinstance(result, ConfigError):
        _check_error(result)


yaml_tokens = st.sampled_from(
    [
        "central:",
        "customers:",
        "  A:",
        "    key: x",
        "    topics: [audit]",
        "otlp: {headers: {a: b}}",
        "&a [*a, *a]",
        "!!python/object:os.system",
        "!!binary aGVsbG8=",
        "? [1, 2]\n: x",
        "<<: *a",
        "- - - -",
        "{" * 50,
        "[" * 500 + "]" * 500,
        "key: 1e309",
        "key: .nan",
        "%YAML 1.1\n---",
        "--- |\n  text",
        "\t",
        "'unterminated",
        '"\\uD800"',
    ]
)


@FUZZ
@given(st.lists(yaml_tokens, max_size=8).map("\n".join))
def test_yaml_features(text: str) -> None:
    """Aliases, tags, merge keys, deep nesting, odd scalars: ConfigError, never a crash."""
    result = _load(text, ".yaml")
    if isinstance(result, ConfigError):
        _check_error(result)


def test_alias_bomb_is_rejected_quickly() -> None:
    """A billion-laughs document (aliases nested 9 deep) must not expand in memory."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [" + ",".join([f"*{previous}"] * 9) + "]")
    lines.append("central: {base_url: *i}")
    started = time.monotonic()
    result = _load("\n".join(lines), ".yaml")
    assert isinstance(result, ConfigError)
    assert "more than 1000000 values" in _check_error(result)
    assert time.monotonic() - started < 30


def test_deeply_nested_document() -> None:
    for depth in (100, 5_000):
        result = _load("central: " + "[" * depth + "]" * depth, ".yaml")
        assert isinstance(result, ConfigError)
        assert "nested" in _check_error(result)
        result = _load('{"central": ' + "[" * depth + "]" * depth + "}", ".json")
        assert isinstance(result, ConfigError)
        _check_error(result)


def test_parse_config_on_a_huge_document_is_bounded() -> None:
    document = {"customers": {f"c{i}": {"key": KEY, "topics": ["bogus"]} for i in range(2000)}}
    try:
        parse_config(document, source="big", environ=ENVIRON)
    except ConfigError as error:
        message = _check_error(error)
        _no_secret(message)
    else:  # pragma: no cover - the document is invalid
        raise AssertionError("accepted")
