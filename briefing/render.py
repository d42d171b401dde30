"""Render: the Sitrep to Markdown, HTML, PDF and JSON files.

Templates are Jinja files; a user's ``templates_dir`` overrides ours by file name.
HTML is autoescaped and carries no script; the PDF is WeasyPrint's rendering of the
HTML with every external fetch refused, so a page can never pull in a remote resource.

Every format (Markdown, HTML, PDF, the email's text and HTML parts) is rendered from the
one context that ``briefing_context`` builds, so they share section names, order and
content. A citation ``[n]`` links to source entry n (``#source-n`` in HTML and PDF, a
reference-style link in Markdown), and the entry links to the article's own URL.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jinja2
import markupsafe

from briefing.errors import RenderError
from briefing.links import safe_link
from briefing.models import DevelopmentSection, Sitrep, SourceEntry
from briefing.models.documents import has_no_time
from briefing.resources import resource_dir
from briefing.text import one_line, strip_controls

log = logging.getLogger(__name__)

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")

# The briefing's sections in the order every format shows them, under one name each.
SECTIONS: dict[str, str] = {
    "takeaways": "Key takeaways",
    "developments": "Developments",
    "key_figures": "Key figures",
    "outlook": "What to watch",
    "no_new_reporting": "No new reporting",
    "originals": "Original wording",  # only when some text was translated
    "coverage": "Coverage",
    "sources": "Sources",
}


def check_templates_dir(templates_dir: Path | None) -> None:
    """Raise RenderError naming the setting when ``templates_dir`` is set but no folder.

    The pipeline calls it before reading anything, so a typo costs no run.
    """
    if templates_dir is not None and not templates_dir.is_dir():
        raise RenderError(f"templates_dir {templates_dir} is not a folder: fix brief.toml")


def template_env(templates_dir: Path | None = None) -> jinja2.Environment:
    """A Jinja environment: the user's templates first, then ours; strict about variables."""
    loaders: list[jinja2.BaseLoader] = []
    if templates_dir is not None:
        check_templates_dir(templates_dir)
        loaders.append(jinja2.FileSystemLoader(str(templates_dir)))
    loaders.append(jinja2.FileSystemLoader(str(resource_dir("templates"))))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=jinja2.select_autoescape(["html", "html.j2", "xml"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_visible,
    )
    env.filters["md"] = md_escape
    env.filters["md_url"] = md_url
    env.filters["href"] = safe_link
    env.filters["cite"] = cite
    env.filters["when"] = when
    env.filters["published"] = published
    return env


def _visible(value: Any) -> Any:
    """Every value a template prints, without control or bidi override characters."""
    if isinstance(value, markupsafe.Markup):
        return markupsafe.Markup(strip_controls(str(value)))
    return strip_controls(value) if isinstance(value, str) else value


def md_escape(text: str) -> str:
    """Escape Markdown syntax in article text so it renders as the words it is.

    The text is put on one line first: a line break in a title or file name would
    otherwise start a new Markdown block (a heading, a list item, a link definition).
    """
    return _MD_SPECIAL.sub(r"\\\1", one_line(text))


def md_url(url: str | None) -> str:
    """A URL for a Markdown ``<...>`` autolink: http(s) only, nothing that can close it."""
    return safe_link(url) or ""


@jinja2.pass_eval_context
def cite(eval_ctx: jinja2.nodes.EvalContext, numbers: Iterable[int]) -> str:
    """Citation markers: in HTML ``[2, 5]`` linking to ``#source-2``; in Markdown ``[2], [5]``.

    Markdown markers are kept apart by a comma so ``[2][5]`` is never read as one link
    with label 5; each ``[n]`` is a shortcut reference to the definitions at the end.
    """
    numbers = [int(n) for n in numbers]
    if not numbers:
        return ""
    if eval_ctx.autoescape:
        anchors = ", ".join(f'<a class="cite-link" href="#source-{n}">{n}</a>' for n in numbers)
        return markupsafe.Markup(f"[{anchors}]")
    return ", ".join(f"[{n}]" for n in numbers)


def marks(item: Any) -> str:
    """Plain-text markers: the original wording's footnote ``^o2``, `` [1][3]``, ``(unverified)``."""
    text = "".join(f"[{n}]" for n in item.sources)
    text = f" {text}" if text else ""
    if getattr(item, "footnote", None):
        text = f" ^o{item.footnote}{text}"
    return text if getattr(item, "verified", True) else f"{text} (unverified)"


def when(value: datetime | None) -> str:
    """A datetime as 'YYYY-MM-DD HH:MM UTC'; empty for None."""
    if value is None:
        return ""
    value = value if value.tzinfo else value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def published(value: datetime | None) -> str:
    """When an article was published: the day alone if its date had no time of day.

    A date-only article is the writer's day, so it is shown as given, not moved to UTC.
    """
    return f"{value:%Y-%m-%d}" if value is not None and has_no_time(value) else when(value)


def source_date(source: SourceEntry) -> str:
    """When a source was published, or 'undated'."""
    if source.published_at is None:
        return "undated"
    return f"{source.published_at:%Y-%m-%d}" if source.date_only else when(source.published_at)


def count(n: int, noun: str) -> str:
    """'1 development', '5 developments'."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def heading(sitrep: Sitrep) -> str:
    """The briefing's heading: its title, with the date added only if the title lacks it."""
    return sitrep.title if sitrep.date in sitrep.title else f"{sitrep.title} — {sitrep.date}"


def briefing_context(
    sitrep: Sitrep,
    developments: list[DevelopmentSection] | None = None,
    pdf_name: str | None = None,
) -> dict[str, Any]:
    """The one template context every format renders from (``developments`` may be cut)."""
    shown = sitrep.developments if developments is None else developments
    return {
        "sitrep": sitrep,
        "heading": heading(sitrep),
        "sections": SECTIONS,
        "period": f"{when(sitrep.period_start)} to {when(sitrep.period_end)}",
        # Only a source's own http(s) URL, percent-encoded so it cannot close a link.
        "links": {s.number: safe_link(s.url) for s in sitrep.sources},
        "developments": shown,
        "omitted": len(sitrep.developments) - len(shown),
        "pdf_name": pdf_name,
        "when": when,
        "published": published,
        "marks": marks,
        "source_date": source_date,
        "count": count,
    }


def render_text(sitrep: Sitrep, template: str, templates_dir: Path | None = None) -> str:
    """Render one template with the briefing's context."""
    return render_template(template_env(templates_dir), template, briefing_context(sitrep))


def render_template(env: jinja2.Environment, template: str, context: dict[str, Any]) -> str:
    """Render a template by name; a template error is a RenderError naming it."""
    try:
        return env.get_template(template).render(context)
    except jinja2.TemplateError as exc:
        raise RenderError(f"template {template}: {exc}") from None


def render_pdf(html: str) -> bytes:
    """PDF bytes from the briefing's HTML; no external resource is ever fetched."""
    import weasyprint

    def refuse(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
        raise ValueError(f"external resource refused: {url}")

    try:
        pdf = weasyprint.HTML(string=html, url_fetcher=refuse, base_url=None).write_pdf()
    except Exception as exc:  # WeasyPrint raises many types; the user needs one line
        raise RenderError(f"PDF rendering failed: {exc}") from None
    assert pdf is not None
    return bytes(pdf)


def render(
    sitrep: Sitrep, formats: Iterable[str], out_dir: Path, templates_dir: Path | None = None
) -> dict[str, Path]:
    """Write ``OUT/sitrep-DATE.{md,html,pdf,json}``; returns the paths by format."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RenderError(f"cannot create output folder {out_dir}: {exc.strerror}") from None
    stem = out_dir / f"sitrep-{sitrep.date}"
    paths: dict[str, Path] = {}
    html: str | None = None
    for fmt in formats:
        path = stem.with_suffix(f".{fmt}")
        if fmt == "md":
            _write(path, render_text(sitrep, "sitrep.md.j2", templates_dir))
        elif fmt == "json":
            _write(path, sitrep.model_dump_json(indent=2) + "\n")
        elif fmt in ("html", "pdf"):
            html = html or render_text(sitrep, "sitrep.html.j2", templates_dir)
            if fmt == "html":
                _write(path, html)
            else:
                _write_bytes(path, render_pdf(html))
        else:
            raise RenderError(f"unknown format '{fmt}': use md, html, pdf or json")
        paths[fmt] = path
    return paths


def _write(path: Path, text: str) -> None:
    _write_bytes(path, text.encode("utf-8"))


def _write_bytes(path: Path, data: bytes) -> None:
    """Write through a temporary file so a crash never leaves half a briefing."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as exc:
        raise RenderError(f"cannot write {path}: {exc.strerror}") from None
