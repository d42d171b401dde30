"""The `brief` command: thin over the library. Errors become one line on stderr.

Exit codes: 0 briefing produced (and delivered, when asked); 1 nothing produced or a
bad setting/input; other codes are documented by the commands that use them.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from briefing import FORMATS, __version__
from briefing.errors import BriefingError, ConfigError
from briefing.workers import exit_on_sigterm

if TYPE_CHECKING:
    from briefing.config import Settings

log = logging.getLogger("briefing")


def _debug() -> bool:
    return os.environ.get("BRIEF_DEBUG", "") not in ("", "0") or "--debug" in sys.argv


class DayType(click.ParamType):  # type: ignore[type-arg]  # generic only in newer click
    """A calendar day written YYYY-MM-DD, with a message that says what is wrong."""

    name = "YYYY-MM-DD"
    _FIRST, _LAST = date(1970, 1, 1), date(2999, 12, 31)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, datetime):
            return value
        import re

        match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", str(value).strip())
        if not match:
            self.fail(f"'{value}' is not a date: write it as YYYY-MM-DD, e.g. 2026-11-24",
                      param, ctx)
        year, month, day = (int(part) for part in match.groups())
        if not 1 <= month <= 12:
            self.fail(f"'{value}': month {month} does not exist (01 to 12)", param, ctx)
        try:
            parsed = date(year, month, day)
        except ValueError:
            self.fail(f"'{value}': day {day} does not exist in {year}-{month:02d}", param, ctx)
        if not self._FIRST <= parsed <= self._LAST:
            self.fail(f"'{value}' is out of range: brief takes dates from 1970 to 2999",
                      param, ctx)
        return datetime.combine(parsed, datetime.min.time())


DAY = DayType()


def fail(message: str, code: int = 1) -> NoReturn:
    """Print one clean error line and exit."""
    click.echo(f"brief: {message}", err=True)
    sys.exit(code)


def _configure_logging(verbose: bool, log_file: Path | None = None) -> None:
    level = logging.DEBUG if verbose else logging.WARNING
    handlers: list[logging.Handler] = []
    if sys.stderr.isatty():
        from rich.logging import RichHandler

        handlers.append(RichHandler(show_path=False, show_time=False))
    else:
        stream = logging.StreamHandler(sys.stderr)
        stream.setFormatter(logging.Formatter("brief: %(levelname)s: %(message)s"))
        handlers.append(stream)
    if log_file is not None:
        file_handler = logging.FileHandler(log_file, encoding="utf-8")
        file_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        file_handler.setLevel(logging.INFO)
        handlers.append(file_handler)
    logging.basicConfig(level=min(level, logging.INFO if log_file else level), handlers=handlers,
                        force=True)
    for handler in handlers[:1]:
        handler.setLevel(level)
    # WeasyPrint's font-subsetting notices are not the user's business.
    for noisy in ("weasyprint", "fontTools", "trafilatura", "htmldate"):
        logging.getLogger(noisy).setLevel(logging.ERROR)


@contextmanager
def progress_reporter() -> Iterator[Callable[[str], None]]:
    """A rich spinner on a terminal; silence under cron (no terminal)."""
    if not sys.stderr.isatty():
        yield lambda message: log.info(message)
        return
    from rich.console import Console

    console = Console(stderr=True)
    with console.status("Starting") as status:
        yield lambda message: status.update(message)


def _formats(value: str | None) -> list[str] | None:
    if value is None:
        return None
    chosen = [f.strip().lower() for f in value.split(",") if f.strip()]
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise click.BadParameter(f"use a comma-separated subset of {','.join(FORMATS)}")
    return chosen


def settings_from(ctx: click.Context, flags: dict[str, Any]) -> Settings:
    """Effective settings for this command: file < env < flags."""
    config = flags.pop("config", None) or ctx.find_root().params.get("config")
    from briefing.config import load_settings

    return load_settings(config, flags)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="brief")
@click.option("--config", type=click.Path(path_type=Path, dir_okay=False),
              help="TOML config file (default: ./brief.toml, then the user config dir).")
@click.option("-v", "--verbose", is_flag=True, help="Log what each stage does.")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
def cli(config: Path | None, verbose: bool, debug: bool) -> None:
    """brief: a cited daily situation report (SITREP) from the day's news.

    Collects saved pages, feeds and URLs, extracts the article text, merges reports
    of the same event, summarises them (offline extractive backend by default, or an
    OpenAI-compatible LLM) and writes Markdown, HTML, PDF and JSON.
    """
    _configure_logging(verbose)


@cli.command()
@click.option("--inbox", "inbox", multiple=True, type=click.Path(path_type=Path, file_okay=False),
              help="Folder of saved articles (.html .txt .md .json); repeatable.")
@click.option("--date", "day", type=DAY,
              help="Brief the 24 hours ending at the end of this day (in `timezone`, default UTC). Default: now.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Output folder (default from config, else ./briefings).")
@click.option("--format", "formats", help="Comma-separated formats: md,html,pdf,json (default all).")
@click.option("--backend", type=click.Choice(["auto", "extractive", "openai"]),
              help="auto = openai when an API key or base URL is configured, else extractive.")
@click.option("--config", type=click.Path(path_type=Path, dir_okay=False),
              help="TOML config file.")
@click.option("--email/--no-email", "email", default=None,
              help="Mail the briefing to [email] to (default: email.enabled).")
@click.option("--email-to-file", "to_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Dry run: write one .eml per recipient into DIR instead of sending.")
@click.option("--force", is_flag=True, help="Mail again to recipients who already got today's.")
@click.option("--estimate", is_flag=True,
              help="Print the LLM calls, tokens and cost the run would use; calls no LLM"
                   " (the sources are read as the run reads them).")
@click.option("--url", "urls", multiple=True, metavar="URL",
              help="Also fetch and brief this article page; repeatable.")
@click.option("--focus", metavar="TEXT",
              help="Rank the day by this topic or watchlist (overrides `focus` in brief.toml).")
@click.option("--no-ingest", is_flag=True,
              help="Do not fetch the configured feeds and pages first; use the store as it is.")
@click.option("--require-llm", is_flag=True,
              help="Fail (exit 4, nothing mailed) when the LLM is unavailable, instead of"
                   " writing the extractive briefing.")
@click.pass_context
def today(
    ctx: click.Context,
    inbox: tuple[Path, ...],
    day: Any,
    out_dir: Path | None,
    formats: str | None,
    backend: str | None,
    config: Path | None,
    email: bool | None,
    to_dir: Path | None,
    force: bool,
    estimate: bool,
    urls: tuple[str, ...],
    focus: str | None,
    no_ingest: bool,
    require_llm: bool,
) -> None:
    """Write today's briefing: OUT/sitrep-YYYY-MM-DD.{md,html,pdf,json}.

    Prints the paths written. Exit codes: 0 briefing produced (and mailed, when
    asked); 1 nothing produced (one-line error on stderr); 2 mailed to only some
    recipients; 3 mailing failed entirely; 4 the LLM was unavailable and
    --require-llm was given (the extractive briefing is written, not mailed).
    """
    from briefing.pipeline import run_today

    settings = settings_from(ctx, {
        "config": config, "inbox": list(inbox) or None, "out_dir": out_dir,
        "formats": _formats(formats), "backend": backend, "focus": focus,
    })
    if estimate:
        from briefing.estimate import estimate_today

        planned = estimate_today(settings, day=day.date() if day else None, urls=urls,
                                 fetch_sources=not no_ingest)
        for line in planned.lines():
            click.echo(line)
        return
    if settings.log_file:
        _configure_logging(ctx.find_root().params.get("verbose", False), settings.log_file)
    mail = to_dir is not None or (settings.email.enabled if email is None else email)
    if mail:
        from briefing.deliver import check_email_settings

        check_email_settings(settings, dry_run=to_dir is not None)
    the_day: date | None = day.date() if day else None
    try:
        with progress_reporter() as progress:
            result = run_today(settings, day=the_day, urls=urls, fetch_sources=not no_ingest,
                               progress=progress)
    except BriefingError as exc:
        if mail:
            _notify_operator(settings, the_day, exc)
        raise
    for path in result.paths.values():
        click.echo(str(path))
    if result.sitrep.llm_unavailable:
        click.echo(f"brief: LLM unavailable: {result.sitrep.llm_unavailable}: summarised"
                   " extractively", err=True)
        if require_llm:
            fail("--require-llm: the extractive briefing was written but not mailed", 4)
    if mail:
        from briefing.deliver import deliver_briefing

        try:
            report = deliver_briefing(settings, result.sitrep, result.paths, force=force,
                                      to_dir=to_dir)
        except BriefingError as exc:
            _notify_operator(settings, the_day, exc)
            raise
        for written in report.written:
            click.echo(str(written))
        click.echo(report.summary(), err=int(report.exit_code) != 0)
        # sys.exit, not ctx.exit: main() runs click with standalone_mode=False
        sys.exit(int(report.exit_code))


def _notify_operator(settings: Settings, day: date | None, exc: BriefingError) -> None:
    """Tell the operator (email.operator) that the morning run failed."""
    from briefing.deliver import notify_operator

    label = day.isoformat() if day else "today"
    try:
        notify_operator(settings, f"brief: the briefing for {label} failed", f"brief today: {exc}")
    except BriefingError as mail_error:
        log.warning("could not mail the operator: %s", mail_error)


@cli.command()
@click.argument("day", metavar="DATE", type=DAY)
@click.option("--force", is_flag=True, help="Send again to recipients who already got it.")
@click.option("--email-to-file", "to_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Dry run: write one .eml per recipient into this folder instead of sending.")
@click.pass_context
def send(ctx: click.Context, day: Any, force: bool, to_dir: Path | None) -> None:
    """Mail the briefing already written for DATE (YYYY-MM-DD) to [email] to.

    Each recipient gets it once per day; --force sends again. Exits 0 when sent (or
    already sent to everyone), 1 when there is no briefing for DATE, 2 when partly
    delivered, 3 when delivery failed.
    """
    from briefing.deliver import send_existing

    settings = settings_from(ctx, {})
    if settings.log_file:
        _configure_logging(ctx.find_root().params.get("verbose", False), settings.log_file)
    report = send_existing(settings, day.date().isoformat(), force=force, to_dir=to_dir)
    for path in report.written:
        click.echo(str(path))
    click.echo(report.summary(), err=report.exit_code != 0)
    # sys.exit, not ctx.exit: main() runs click with standalone_mode=False, which
    # turns ctx.exit(n) into a return value and would lose the code.
    sys.exit(int(report.exit_code))


@cli.command()
@click.option("--cron/--no-cron", default=True, help="Print the crontab lines.")
@click.option("--systemd/--no-systemd", default=True, help="Print the systemd service and timer.")
@click.pass_context
def schedule(ctx: click.Context, cron: bool, systemd: bool) -> None:
    """Print a crontab line and a systemd timer that run `brief today --email` daily.

    Uses [email] send_time and timezone, and absolute paths to brief, the current
    folder and the config file.
    """
    from briefing.schedule import schedule_for

    click.echo(schedule_for(settings_from(ctx, {})).text(cron=cron, systemd=systemd), nl=False)


@cli.command()
@click.pass_context
def doctor(ctx: click.Context) -> None:
    """Check the LLM endpoint with one tiny request and say what is wrong.

    Exit codes: 0 the endpoint works (warnings allowed); 1 it does not.
    """
    from briefing.doctor import diagnose

    settings = settings_from(ctx, {})
    result = diagnose(settings.llm)
    for check in result.checks:
        mark = "warn" if check.warning else ("ok" if check.ok else "FAIL")
        click.echo(f"{mark:>4}  {check.message}")
    if settings.db_path.exists():
        from briefing.llm_cache import CallLog

        failures = CallLog(settings.db_path).last_run_failures()
        if failures:
            click.echo(f"warn  {failures} (`brief log` lists them)")
    if not result.ok:
        raise SystemExit(1)


@cli.command("log")
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Only the calls for the briefing of this day (YYYY-MM-DD).")
@click.option("--json", "as_json", is_flag=True,
              help="Print every field, prompts and replies included, as JSON.")
@click.option("-n", "--count", type=click.IntRange(min=1),
              help="Only the last N calls.")
@click.pass_context
def log_command(ctx: click.Context, day: Any, as_json: bool, count: int | None) -> None:
    """List the LLM calls brief made (and the replies it took from its cache).

    One line per call: when, role (map, reduce, compose), model, tokens in/out as the
    API reported them, cost (from llm.prices), latency, and whether it was a cache hit
    or failed. --json adds the prompts and replies (or only their hashes when
    llm.log_text is off).
    """
    from briefing.llm_cache import CallLog, describe_call

    settings = settings_from(ctx, {})
    if not settings.db_path.exists():
        fail(f"no store at {settings.db_path}: nothing has been logged yet")
    calls = CallLog(settings.db_path).calls(day.date().isoformat() if day else None, count)
    if as_json:
        click.echo(json.dumps(calls, indent=2, ensure_ascii=False))
        return
    if not calls:
        click.echo("no LLM calls logged" + (f" for {day.date().isoformat()}" if day else ""))
    for call in calls:
        click.echo(describe_call(call))


@cli.group()
def config() -> None:
    """Inspect the effective configuration."""


@config.command("show")
@click.pass_context
def config_show(ctx: click.Context) -> None:
    """Print the effective settings (file < environment < flags), secrets masked."""
    settings = settings_from(ctx, {})
    from briefing.config import masked

    click.echo(json.dumps(masked(settings), indent=2, default=str))


@cli.command("ingest")
@click.argument("urls", nargs=-1, metavar="[URL]...")
@click.option("--only-urls", is_flag=True, help="Fetch only the URLs given, not the sources.")
@click.pass_context
def ingest_command(ctx: click.Context, urls: tuple[str, ...], only_urls: bool) -> None:
    """Pull new articles from every source (and each URL given) into the store.

    Prints one line per source. Exits 0 when every source was read, 2 when some
    failed, 1 when all failed or there was nothing to fetch.
    """
    from briefing.ingest import ingest, report_lines
    from briefing.store import Store

    settings = settings_from(ctx, {})
    with Store(settings.db_path) as store:
        report = ingest(settings, store, list(urls), include_sources=not only_urls)
    if not report.sources:
        fail("no sources to fetch: add one with `brief sources add URL` or give a URL")
    for line in report_lines(report):
        click.echo(line)
    failed = len(report.failed)
    sys.exit(0 if not failed else 1 if failed == len(report.sources) else 2)


@cli.command("extract")
@click.argument("target", metavar="FILE|URL")
@click.option("--format", "output", type=click.Choice(["json", "text"]), default="json",
              show_default=True, help="JSON fields, or a metadata header and the text.")
@click.pass_context
def extract_command(ctx: click.Context, target: str, output: str) -> None:
    """Print what brief sees of one page: title, date and its source, text, verdict.

    Passages held back from the text (hidden, or addressed to an AI) are listed with
    the reason for each.

    Exits 0 when the page would be briefed, 2 when it would not (the reason is given).
    """
    from briefing.examine import as_text, describe, inspect_target

    result = inspect_target(target, settings_from(ctx, {}))
    if output == "json":
        click.echo(json.dumps(describe(result), indent=2, ensure_ascii=False))
    else:
        click.echo(as_text(result))
    sys.exit(0 if result.accepted else 2)


@cli.group()
def sources() -> None:
    """Manage the feeds and pages brief follows ([[sources]] in brief.toml, plus these)."""


@sources.command("add")
@click.argument("url")
@click.option("--name", help="Short name (default: the site's host).")
@click.option("--tag", help="A label such as 'syria'.")
@click.option("--reliability", type=click.Choice(list("ABCDEF")), help="Source grade A-F.")
@click.option("--page", "is_page", is_flag=True, help="A single page to re-read, not a feed.")
@click.option("--allow-private", is_flag=True,
              help="Allow this source's own host to be a private/loopback address.")
@click.pass_context
def sources_add(ctx: click.Context, url: str, name: str | None, tag: str | None,
                reliability: str | None, is_page: bool, allow_private: bool) -> None:
    """Follow URL (a feed, or a page with --page) from now on."""
    from briefing.sources.registry import add_source
    from briefing.store import Store

    settings = settings_from(ctx, {})
    with Store(settings.db_path) as store:
        source = add_source(store, settings, url, name=name, tag=tag, reliability=reliability,
                            kind="page" if is_page else "feed", allow_private=allow_private)
    click.echo(f"added {source.name}: {source.url}")


@sources.command("list")
@click.pass_context
def sources_list(ctx: click.Context) -> None:
    """Show each source with its last success, last error and articles in the last 24 h."""
    from briefing.sources.registry import describe, list_sources
    from briefing.store import Store

    settings = settings_from(ctx, {})
    with Store(settings.db_path) as store:
        healths = list_sources(settings, store)
    if not healths:
        click.echo("no sources yet: add one with `brief sources add URL` or [[sources]] in "
                   "brief.toml")
    for health in healths:
        click.echo(describe(health))


@sources.command("remove")
@click.argument("name")
@click.pass_context
def sources_remove(ctx: click.Context, name: str) -> None:
    """Stop following the source called NAME (added with `brief sources add`)."""
    from briefing.sources.registry import remove_source
    from briefing.store import Store

    settings = settings_from(ctx, {})
    with Store(settings.db_path) as store:
        source = remove_source(store, settings, name)
    click.echo(f"removed {source.name}: {source.url}")


def main() -> None:
    """Console-script entry point: run the CLI, turn BriefingError into one line."""
    exit_on_sigterm()  # cleanup runs and worker processes go with us
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        fail("aborted", 130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except BriefingError as exc:
        if _debug():
            raise
        fail(str(exc), getattr(exc, "exit_code", 1))
    except KeyboardInterrupt:
        fail("interrupted", 130)
    except OSError as exc:
        if _debug():
            raise
        fail(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "))


__all__ = ["ConfigError", "cli", "main"]
