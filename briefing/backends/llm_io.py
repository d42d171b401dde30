"""What goes to the model and what comes back: prompt files, spotlighting, reply schemas.

Prompts are Jinja text files in ``prompts/`` (user files override them by name), each
with a ``{# version: N #}`` line that is part of the cache key. Article text is
datamarked before it is put between delimiters; replies are parsed into the pydantic
models below after reasoning blocks and code fences are stripped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import jinja2
from pydantic import BaseModel, ConfigDict

from briefing.errors import LLMError
from briefing.resources import resource_dir
from briefing.verify import DATAMARK

_THINK = re.compile(r"<(think|thinking|reasoning)>.*?(</\1>|\Z)", re.DOTALL | re.IGNORECASE)
_FENCE = re.compile(r"^\s*```[a-zA-Z]*\s*\n?|\n?\s*```\s*$")


# ---------------------------------------------------------------- reply schemas


class _Reply(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MapClaim(_Reply):
    """One event a chunk reports, as the model extracts it."""

    text: str
    who: str | None
    where: str | None
    when: str | None
    numbers: list[str]
    attribution: str | None
    article_id: str
    quote: str


class MapReply(_Reply):
    """The map step's answer for one chunk."""

    claims: list[MapClaim]


class CitedItem(_Reply):
    """A sentence with the ids of the claims that support it."""

    text: str
    claims: list[str]


class ReduceReply(_Reply):
    """The reduce step's answer for one development."""

    headline: CitedItem
    points: list[CitedItem]
    conflicts: list[CitedItem]


class ComposeReply(_Reply):
    """The compose step's answer: takeaways and outlook."""

    takeaways: list[CitedItem]
    outlook: list[CitedItem]


R = TypeVar("R", bound=_Reply)


def strict_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON schema in the form strict structured outputs accept."""

    def fix(node: Any) -> Any:
        if isinstance(node, dict):
            node = {k: fix(v) for k, v in node.items() if k not in ("title", "default")}
            if node.get("type") == "object" and "properties" in node:
                node["required"] = list(node["properties"])
                node["additionalProperties"] = False
            return node
        if isinstance(node, list):
            return [fix(v) for v in node]
        return node

    result: dict[str, Any] = fix(model.model_json_schema())
    return result


# ---------------------------------------------------------------- helpers


def datamark(text: str) -> str:
    """Article text as the model sees it: spaces become the marker, paragraphs stay."""
    cleaned = text.replace(DATAMARK, "^").replace("«", '"').replace("»", '"').strip()
    cleaned = re.sub(r"\s*\n\s*\n\s*", "\n\n", cleaned)
    return re.sub(r"[^\S\n]+|(?<!\n)\n(?!\n)", DATAMARK, cleaned)


def unmark(text: str) -> str:
    """Model output with any datamark turned back into spaces."""
    return re.sub(r"\s+", " ", text.replace(DATAMARK, " ")).strip()


def clean_reply(content: str) -> str:
    """The JSON in a reply: reasoning blocks, code fences and chatter around it removed."""
    text = _THINK.sub("", content).strip()
    text = _FENCE.sub("", text).strip()
    if not text.startswith("{"):
        start, end = text.find("{"), text.rfind("}")
        if 0 <= start < end:
            text = text[start : end + 1]
    return text


@dataclass(frozen=True)
class Prompt:
    """A rendered prompt file and its version."""

    name: str
    version: str
    text: str


class Prompts:
    """The prompt files, user overrides first; each carries a ``{# version: N #}`` line."""

    def __init__(self, user_dir: Path | None = None) -> None:
        loaders: list[jinja2.BaseLoader] = []
        if user_dir is not None:
            loaders.append(jinja2.FileSystemLoader(str(user_dir)))
        loaders.append(jinja2.FileSystemLoader(str(resource_dir("prompts"))))
        self.env = jinja2.Environment(
            loader=jinja2.ChoiceLoader(loaders),
            undefined=jinja2.StrictUndefined,
            autoescape=False,  # plain-text prompts, not HTML
            keep_trailing_newline=False,
        )

    def render(self, name: str, **context: Any) -> Prompt:
        """Render ``name.j2`` with ``context``."""
        source, _, _ = self.env.loader.get_source(self.env, f"{name}.j2")  # type: ignore[union-attr]
        found = re.search(r"\{#\s*version:\s*(\S+)\s*#\}", source)
        if found is None:
            raise LLMError(f"prompt {name}.j2 has no '{{# version: N #}}' line: add one")
        text = self.env.get_template(f"{name}.j2").render(**context).strip()
        return Prompt(name, f"{name}/{found.group(1)}", text)
