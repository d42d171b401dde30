"""What goes to the model and what comes back: prompt files, spotlighting, reply schemas.

Prompts are Jinja text files in ``prompts/`` (user files override them by name), each
with a ``{# version: N #}`` line that is part of the cache key. Replies are parsed into
the pydantic models below after reasoning blocks and code fences are stripped.

Spotlighting: article text (and whatever the model extracted from it) is put between
«ARTICLE …»/«END ARTICLE» or «DATA»/«END DATA» delimiters and datamarked, in one of two
modes (``llm.datamark``):

* ``"lines"`` (default): every line of article text opens with ``│ ``, paragraphs are
  one line each. It costs about one token per paragraph (~2% of the text), so article
  text is sent at close to its own size. A line of data is always marked, so nothing in
  an article can pass for one of our lines; but inside a line the words read as plain
  text, so the model's separation of data from instructions rests more on the
  delimiters, the markers and the system prompt than in "words" mode.
* ``"words"``: every space becomes ``ˆ`` (the spotlighting paper's datamarking). Every
  word of article text is visibly data, which is the stronger signal, but the tokeniser
  can no longer merge a word with its leading space, so article text costs nearly twice
  its tokens.

In both modes the delimiter characters « » are turned into plain quotes and the markers
themselves are replaced in article text, so an article cannot close its own block.
Verification folds both markers to spaces, so a quote that carries one still matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

import jinja2
from pydantic import BaseModel, ConfigDict

from briefing.errors import LLMError
from briefing.models import Article
from briefing.resources import resource_dir
from briefing.verify import DATAMARK, LINEMARK

DatamarkMode = Literal["lines", "words"]

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


class DevelopmentReply(_Reply):
    """The reduce step's answer for one development, named by its id."""

    id: str
    headline: CitedItem
    points: list[CitedItem]
    conflicts: list[CitedItem]


class ReduceReply(_Reply):
    """The reduce step's answer for a batch of developments."""

    developments: list[DevelopmentReply]


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


def _defuse(text: str) -> str:
    """Text that can neither close a delimited block nor forge a marker."""
    return (text.replace(DATAMARK, "^").replace(LINEMARK, "|")
            .replace("«", '"').replace("»", '"').strip())


def datamark(text: str, mode: DatamarkMode = "lines") -> str:
    """Article text as the model sees it: each paragraph a marked line, or spaces marked."""
    cleaned = _defuse(text)
    if mode == "words":
        cleaned = re.sub(r"\s*\n\s*\n\s*", "\n\n", cleaned)
        return re.sub(r"[^\S\n]+|(?<!\n)\n(?!\n)", DATAMARK, cleaned)
    paragraphs = (" ".join(p.split()) for p in re.split(r"\n\s*\n", cleaned))
    return "\n".join(f"{LINEMARK} {p}" for p in paragraphs if p)


def inline(text: str, mode: DatamarkMode = "lines") -> str:
    """Untrusted text that goes inside one of our lines (a title, a claim): one line."""
    flat = " ".join(_defuse(text).split())
    return flat.replace(" ", DATAMARK) if mode == "words" else flat


def line_mark(mode: DatamarkMode) -> str:
    """What opens a line of data in the reduce and compose prompts."""
    return f"{LINEMARK} " if mode == "lines" else ""


def unmark(text: str) -> str:
    """Model output with any datamark turned back into spaces."""
    return re.sub(r"\s+", " ", text.replace(DATAMARK, " ").replace(LINEMARK, " ")).strip()


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

    def system(self, mode: DatamarkMode) -> Prompt:
        """The system prompt, naming the datamark article text carries in ``mode``."""
        marker = LINEMARK if mode == "lines" else DATAMARK
        return self.render("system", marker=marker, mode=mode)


def published_label(article: Article) -> str:
    """When an article was published, to the minute, as prompts show it."""
    if article.published_at is None:
        return "unknown"
    # minutes are enough to tell event time from publication time, and cost fewer tokens
    return article.published_at.isoformat(timespec="minutes").replace("+00:00", "Z")
