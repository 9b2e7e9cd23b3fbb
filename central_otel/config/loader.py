"""Reading a configuration file into a `Config`, or a `ConfigError` listing all its problems."""

from __future__ import annotations

import json
import os
from collections.abc import Hashable, Mapping, Sequence
from pathlib import Path
from typing import Any

import voluptuous as vol
import yaml

from central_otel.config.envexpand import expand_document
from central_otel.config.errors import (
    ConfigError,
    ConfigProblem,
    PathPart,
    describe_type,
    format_path,
)
from central_otel.config.model import Config, build_config
from central_otel.config.schema import build_schema
from central_otel.config.validators import Context, flatten
from central_otel.secret import Secret, redact

MIN_REDACTED_LENGTH = 4
"""Secrets shorter than this are not searched for in messages (they would mangle them)."""

MAX_VALUES = 1_000_000
"""Values (scalars, lists, mappings) a document may hold, counting each use of a YAML alias:
a "billion laughs" document of nested aliases would otherwise take hours to validate."""
MAX_DEPTH = 64
"""Nesting levels a document may have (a configuration needs fewer than ten)."""


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate mapping keys instead of keeping the last one."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        seen: set[object] = set()
        for key_node, _value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                duplicate = key in seen
                seen.add(key)
            except TypeError:  # unhashable key: let SafeLoader report it
                duplicate = False
            if duplicate:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
        return super().construct_mapping(node, deep=deep)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def read_document(path: Path, source: str, *, json_format: bool | None = None) -> object:
    """The parsed content of a YAML or JSON file; ConfigError at path `source`.

    `json_format` None: JSON if the name ends in ``.json``, else YAML.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ConfigError(source, [ConfigProblem(source, f"cannot read file: {reason}")]) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        message = f"not valid UTF-8 text (byte {exc.start})"
        raise ConfigError(source, [ConfigProblem(source, message)]) from None
    if json_format is None:
        json_format = path.suffix.lower() == ".json"
    return parse_text(text, source, json_format=json_format)


def parse_text(text: str, source: str, *, json_format: bool = False) -> object:
    """The document in `text` (YAML, or JSON if `json_format`); ConfigError if malformed."""
    if json_format:
        try:
            return json.loads(text, object_pairs_hook=_no_duplicates)
        except json.JSONDecodeError as exc:
            message = f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        except RecursionError:
            message = "malformed JSON: nested too deeply"
        except ValueError as exc:  # duplicate key
            message = f"malformed JSON: {exc}"
        raise ConfigError(source, [ConfigProblem(source, message)])
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # a SafeLoader subclass
    except RecursionError:
        message = "malformed YAML: nested too deeply"
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        what = exc.problem or exc.context or "invalid syntax"
        message = f"malformed YAML{where}: {what}"
    except yaml.YAMLError as exc:
        message = f"malformed YAML: {type(exc).__name__}"
    raise ConfigError(source, [ConfigProblem(source, message)])


def load_config(path: str | Path, environ: Mapping[str, str] | None = None) -> Config:
    """Read, expand, validate and type the configuration file at `path`.

    Raises ConfigError with every problem found. Relative paths in the file
    (``key_file``, ``ca_file``) are relative to the file's directory.
    """
    source = str(path)
    file_path = Path(path)
    document = read_document(file_path, source)
    base_dir = Path(os.path.abspath(file_path)).parent
    return parse_config(document, source=source, environ=environ, base_dir=base_dir)


def parse_config(
    data: object,
    *,
    source: str,
    environ: Mapping[str, str] | None = None,
    base_dir: Path | None = None,
) -> Config:
    """Validate an already parsed document (e.g. from ``yaml.safe_load``) into a `Config`.

    `source` names the document in messages; `environ` defaults to
    ``os.environ``; relative paths are resolved against `base_dir` (default:
    the current directory). Raises ConfigError with every problem found.
    """
    if data is None:
        raise ConfigError(source, [ConfigProblem(source, "the file is empty")])
    if not isinstance(data, dict):
        message = f"expected a mapping of settings at the top level, got {describe_type(data)}"
        raise ConfigError(source, [ConfigProblem(source, message)])
    too_big = _size_problem(data)
    if too_big:
        raise ConfigError(source, [ConfigProblem(source, too_big)])
    ctx = Context(
        environ=os.environ if environ is None else environ,
        base_dir=Path(os.path.abspath(base_dir if base_dir is not None else Path.cwd())),
    )
    expanded, env_problems = expand_document(data, ctx.environ)
    raw: list[tuple[tuple[PathPart, ...], str]] = list(env_problems)
    unexpandable = {path for path, _message in env_problems}
    document: dict[str, object] = {}
    try:
        document = build_schema(ctx)(expanded)
    except vol.MultipleInvalid as exc:
        for error in flatten(exc):
            path = tuple(_path_part(part) for part in error.path)
            if not any(path[: len(bad)] == bad for bad in unexpandable):
                raw.append((path, error.msg))
    if raw:
        raise ConfigError(source, _problems(raw, expanded, ctx.secrets))
    return build_config(document)


def _size_problem(data: object) -> str | None:
    """Why the document is too large or too deep to validate, or None. Iterative: never
    recurses, and stops counting at the limit."""
    stack: list[tuple[object, int]] = [(data, 1)]
    values = 0
    while stack:
        node, depth = stack.pop()
        values += 1
        if values > MAX_VALUES:
            return f"the document holds more than {MAX_VALUES} values (YAML aliases included)"
        if depth > MAX_DEPTH:
            return f"the document is nested more than {MAX_DEPTH} levels deep"
        if isinstance(node, dict):
            stack.extend((value, depth + 1) for value in node.values())
        elif isinstance(node, list):
            stack.extend((item, depth + 1) for item in node)
    return None


def _path_part(part: object) -> PathPart:
    if isinstance(part, vol.Marker):
        part = part.schema
    return part if isinstance(part, (str, int)) and not isinstance(part, bool) else str(part)


def _problems(
    raw: Sequence[tuple[tuple[PathPart, ...], str]], document: object, secrets: Sequence[Secret]
) -> list[ConfigProblem]:
    """Problems in document order, without duplicates, messages redacted."""
    hidden = [secret for secret in secrets if len(secret.reveal()) >= MIN_REDACTED_LENGTH]
    ordered = sorted(dict.fromkeys(raw), key=lambda item: _document_order(document, item[0]))
    return [ConfigProblem(format_path(path), redact(message, hidden)) for path, message in ordered]


def _document_order(document: object, path: tuple[PathPart, ...]) -> tuple[tuple[int, str], ...]:
    """Sort key: each path step's position in the document (missing keys last, by name)."""
    key: list[tuple[int, str]] = []
    node: object = document
    for part in path:
        if isinstance(node, dict) and part in node:
            key.append((list(node).index(part), ""))
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            key.append((part, ""))
            node = node[part]
        else:
            key.append((1 << 30, str(part)))
            node = None
    return tuple(key)
