"""``${env:NAME}`` / ``${env:NAME:-default}`` expansion in every string value of a document.

``$${env:NAME}`` is the literal text ``${env:NAME}``. Mapping keys are not
expanded. Expansion runs before validation, on the raw document.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from central_otel.config.errors import PathPart, show_value

_TOKEN = re.compile(r"\$\$\{env:|\$\{env:")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_REFERENCE_FORMS = "expected ${env:NAME} or ${env:NAME:-default}"

EnvProblem = tuple[tuple[PathPart, ...], str]


def expand_string(text: str, environ: Mapping[str, str]) -> str:
    """`text` with its ``${env:...}`` references replaced.

    ``${env:NAME:-default}`` gives `default` when NAME is unset or empty (as in
    a POSIX shell). Raises ValueError naming every unset variable, or the first
    malformed reference. Messages never contain values.
    """
    out: list[str] = []
    missing: list[str] = []
    pos = 0
    while match := _TOKEN.search(text, pos):
        out.append(text[pos : match.start()])
        if match.group() == "$${env:":
            out.append("${env:")
            pos = match.end()
            continue
        end = text.find("}", match.end())
        if end < 0:
            raise ValueError(f"unterminated '${{env:' reference (missing '}}'; {_REFERENCE_FORMS})")
        name, has_default, default = text[match.end() : end].partition(":-")
        if not _NAME.fullmatch(name):
            raise ValueError(
                f"invalid environment variable name {show_value(name)} in '${{env:...}}'"
                f" ({_REFERENCE_FORMS})"
            )
        value = environ.get(name)
        if has_default and not value:
            value = default
        elif value is None:
            if name not in missing:
                missing.append(name)
            value = ""
        out.append(value)
        pos = end + 1
    if missing:
        noun = "variable" if len(missing) == 1 else "variables"
        verb = "is" if len(missing) == 1 else "are"
        raise ValueError(f"environment {noun} {', '.join(missing)} {verb} not set")
    out.append(text[pos:])
    return "".join(out)


def expand_document(data: object, environ: Mapping[str, str]) -> tuple[object, list[EnvProblem]]:
    """A copy of `data` with every string value expanded, and the problems found.

    A value that cannot be expanded is kept as it is (its problem is reported
    at its path). Mapping entries whose key is not a string are dropped and
    reported: configuration keys are always strings.
    """
    problems: list[EnvProblem] = []

    def walk(node: object, path: tuple[PathPart, ...]) -> object:
        if isinstance(node, str):
            try:
                return expand_string(node, environ)
            except ValueError as exc:
                problems.append((path, str(exc)))
                return node
        if isinstance(node, dict):
            result: dict[str, object] = {}
            for key, value in node.items():
                if not isinstance(key, str):
                    problems.append(((*path, str(key)), "keys must be strings (quote the key)"))
                    continue
                result[key] = walk(value, (*path, key))
            return result
        if isinstance(node, list):
            return [walk(item, (*path, index)) for index, item in enumerate(node)]
        return node

    return walk(data, ()), problems
