"""Settings written back as TOML: what `brief config show` prints for brief.toml.

Only the shapes the settings use are written (strings, numbers, booleans, lists of
them, tables and arrays of tables). Unset values and secrets become comments, so the
output can be pasted into brief.toml as it is.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

# Keys that are never written to a config file: where the settings came from, and
# secrets (they belong in the environment).
_NOT_IN_FILE = {"config_file"}
_SECRETS = {("llm", "api_key"): "OPENAI_API_KEY"}
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_MASKED = "**********"  # how pydantic dumps a SecretStr


def dumps(settings: Mapping[str, Any]) -> str:
    """The settings dict (as ``config.masked`` gives it) as a TOML document."""
    lines: list[str] = []
    tables: list[tuple[str, Mapping[str, Any]]] = []
    arrays: list[tuple[str, list[Mapping[str, Any]]]] = []
    for key, value in settings.items():
        if key in _NOT_IN_FILE:
            continue
        if isinstance(value, Mapping):
            tables.append((key, value))
        elif _is_array_of_tables(value):
            arrays.append((_key(key), value))
        else:
            lines.append(_pair(key, value))
    for name, table in tables:
        lines += ["", f"[{_key(name)}]"]
        for k, v in table.items():
            if _is_array_of_tables(v):  # [[deliver.webhook]]: after the table's own keys
                arrays.append((f"{_key(name)}.{_key(k)}", v))
            else:
                lines.append(_pair(k, v, (name, k)))
    for name, items in arrays:
        for item in items:
            lines += ["", f"[[{name}]]"]
            lines += [_pair(k, v) for k, v in item.items()]
    return "\n".join(lines) + "\n"


def _is_array_of_tables(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, Mapping) for v in value)


def _pair(key: str, value: Any, path: tuple[str, str] | None = None) -> str:
    if path in _SECRETS:
        shown = "(not set)" if value is None else f"{value} (masked)"
        return f"# {_key(key)}: {shown}; set it in the environment as ${_SECRETS[path]}"
    if value is None:
        return f"# {_key(key)} = (not set)"
    if value == _MASKED:  # pydantic's SecretStr: pasted back it would be a wrong value
        return f"# {_key(key)} = (set, a secret: not shown)"
    return f"{_key(key)} = {_value(value)}"


def _key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else _string(key)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, Mapping):  # TOML has no null: an unset key is left out
        pairs = [f"{_key(k)} = {_value(v)}" for k, v in value.items() if v is not None]
        return "{ " + ", ".join(pairs) + " }" if pairs else "{}"
    return _string(str(value))


def _string(text: str) -> str:
    # A JSON string is a valid TOML basic string (same escapes), control characters included.
    return json.dumps(text, ensure_ascii=False)
