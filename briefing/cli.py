"""The `brief` command: thin over the library. Errors become one line on stderr.

Exit codes: 0 briefing produced (and delivered, when asked); 1 nothing produced or a
bad setting/input; other codes are documented by the commands that use them.
"""

from __future__ import annotations

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
    from briefing.config import Settings, WebhookTarget
    from briefing.models import Sitrep

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


# Global flags a user may type after the subcommand too (`brief today --debug`).
_ANYWHERE = ("--debug", "--verbose", "-v")


class BriefGroup(click.Group):
    """The root group: lifts the global flags out of a subcommand's arguments."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Move --debug/--verbose found after the subcommand to the front, then parse."""
        end = args.index("--") if "--" in args else len(args)
        lifted = [a for a in args[:end] if a in _ANYWHERE]
        rest = [a for a in args[:end] if a not in _ANYWHERE] + args[end:]
        return super().parse_args(ctx, [*dict.fromkeys(lifted), *rest])


@click.group(cls=BriefGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="brief")
@click.option("--config", type=click.Path(path_type=Path, dir_okay=False),
              help="TOML config file (default: ./brief.toml, then the user config dir).")
@click.option("-v", "--verbose", is_flag=True, help="Log what each stage does.")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
def cli(config: Path | None, verbose: bool, debug: bool) -> None:
    """brief: a cited daily situation report (SITREP) from the day's news.

    Collects saved pages, feeds and URLs, extracts the article text, merges reports
    of the same event, summarises them (offline extractive backend by default, or an
    OpenAI-compatible LLM) and writes Markdown, HTML, PDF and JSON. --debug and
    --verbose may also be given after the command.

    Example: brief today --inbox examples/inbox --date 2026-11-24
    """
    _configure_logging(verbose)


@cli.command()
@click.option("--inbox", "inbox", multiple=True, type=click.Path(path_type=Path),
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
@click.option("--webhook/--no-webhook", "webhook", default=None,
              help="Post to every [[deliver.webhook]] target (default: the enabled ones).")
@click.option("--webhook-to-file", "webhook_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Dry run: write each webhook target's JSON payload into DIR instead of posting.")
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
    webhook: bool | None,
    webhook_dir: Path | None,
    estimate: bool,
    urls: tuple[str, ...],
    focus: str | None,
    no_ingest: bool,
    require_llm: bool,
) -> None:
    """Write today's briefing: OUT/sitrep-YYYY-MM-DD.{md,html,pdf,json}.

    Prints the paths written. Exit codes: 0 briefing produced (and mailed, when
    asked); 1 nothing produced (one-line error on stderr); 2 mailed or posted to only
    some recipients or webhooks; 3 delivery failed entirely; 4 the LLM was unavailable
    and --require-llm was given (the extractive briefing is written, not delivered).
    A --url on an intranet host is refused: follow it with `brief sources add URL
    --page --allow-private` instead.

    Example: brief today --inbox examples/inbox --date 2026-11-24 --out briefings
    """
    from briefing.pipeline import run_today

    for folder in inbox:
        if not folder.is_dir():
            what = "is not a folder" if folder.exists() else "does not exist"
            fail(f"--inbox {folder}: {what}; check the path (a folder of saved pages)")
    settings = settings_from(ctx, {
        "config": config, "inbox": list(inbox) or None, "out_dir": out_dir,
        "formats": _formats(formats), "backend": backend, "focus": focus,
    })
    if estimate and settings.resolved_backend() == "extractive":
        click.echo("backend: extractive (offline): no LLM calls, no tokens, no cost")
        click.echo("(set OPENAI_API_KEY or llm.base_url to estimate an LLM run)")
        return
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
    if webhook_dir is not None and to_dir is None and email is None:
        mail = False  # a webhook dry run sends no real mail unless asked to
    if mail:
        from briefing.deliver import check_email_settings

        check_email_settings(settings, dry_run=to_dir is not None)
    hooks = _webhook_targets(settings, webhook, webhook_dir, email_dry_run=to_dir is not None)
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
    if result.sitrep.warning:  # also in the briefing; said here for whoever runs it by hand
        click.echo(f"brief: note: {result.sitrep.warning}", err=True)
    if result.sitrep.llm_unavailable:
        click.echo(f"brief: LLM unavailable: {result.sitrep.llm_unavailable}: summarised"
                   " extractively", err=True)
        if require_llm:
            fail("--require-llm: the extractive briefing was written but not mailed", 4)
    codes = []
    if hooks:
        codes.append(_post_webhooks(settings, result.sitrep, hooks, force, webhook_dir))
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
        codes.append(int(report.exit_code))
    if codes:
        from briefing.webhooks import combined_exit

        # sys.exit, not ctx.exit: main() runs click with standalone_mode=False
        sys.exit(combined_exit(codes))


def _webhook_targets(
    settings: Settings, webhook: bool | None, to_dir: Path | None, *, email_dry_run: bool
) -> list[WebhookTarget]:
    """The webhook targets this run posts to, checked before anything is produced."""
    from briefing.webhooks import check_webhook_settings, chosen_targets

    if webhook is None and to_dir is not None:
        webhook = True  # a dry run shows every target's payload
    elif webhook is None and email_dry_run:
        return []  # a mail dry run posts nothing for real unless asked to
    targets = chosen_targets(settings, webhook)
    if targets or webhook:
        check_webhook_settings(settings, targets, dry_run=to_dir is not None)
    return targets


def _post_webhooks(
    settings: Settings, sitrep: Sitrep, targets: list[WebhookTarget], force: bool,
    to_dir: Path | None,
) -> int:
    """Post (or write) the webhook payloads, print what happened, return the exit code."""
    from briefing.webhooks import deliver_webhooks

    report = deliver_webhooks(settings, sitrep, targets, force=force, to_dir=to_dir)
    for written in report.written:
        click.echo(str(written))
    click.echo(report.summary(), err=report.exit_code != 0)
    return report.exit_code


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
@click.option("--webhook/--no-webhook", "webhook", default=None,
              help="Post to every [[deliver.webhook]] target (default: the enabled ones).")
@click.option("--webhook-to-file", "webhook_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Dry run: write each webhook target's JSON payload into DIR instead of posting.")
@click.pass_context
def send(ctx: click.Context, day: Any, force: bool, to_dir: Path | None, webhook: bool | None,
         webhook_dir: Path | None) -> None:
    """Deliver the briefing already written for DATE (YYYY-MM-DD): mail and webhooks.

    Mails [email] to (when set) and posts to the enabled [[deliver.webhook]] targets.
    Each gets it once per day; --force sends again. Exits 0 when sent (or already
    sent to everyone), 1 when there is no briefing for DATE, 2 when partly delivered,
    3 when delivery failed.

    Example: brief send 2026-11-24 --email-to-file outbox/
    """
    from briefing.deliver import deliver_briefing, find_briefing
    from briefing.webhooks import combined_exit

    settings = settings_from(ctx, {})
    if settings.log_file:
        _configure_logging(ctx.find_root().params.get("verbose", False), settings.log_file)
    hooks = _webhook_targets(settings, webhook, webhook_dir, email_dry_run=to_dir is not None)
    # Mail when it is configured, or when nothing else is (so a missing [email] is named);
    # a webhook dry run sends no real mail.
    mail = to_dir is not None or (webhook_dir is None and (bool(settings.email.to) or not hooks))
    sitrep, paths = find_briefing(settings.out_dir, day.date().isoformat())
    codes = []
    if hooks:
        codes.append(_post_webhooks(settings, sitrep, hooks, force, webhook_dir))
    if mail:
        report = deliver_briefing(settings, sitrep, paths, force=force, to_dir=to_dir)
        for path in report.written:
            click.echo(str(path))
        click.echo(report.summary(), err=report.exit_code != 0)
        codes.append(int(report.exit_code))
    # sys.exit, not ctx.exit: main() runs click with standalone_mode=False, which
    # turns ctx.exit(n) into a return value and would lose the code.
    sys.exit(combined_exit(codes))


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
        where = f"{exc.filename}: " if exc.filename else ""
        fail(f"{where}{exc.strerror or exc}" + ("; check the path and its permissions"
                                               if exc.filename else ""))


from briefing import cli_tools  # noqa: E402  registers the other commands on `cli`

__all__ = ["ConfigError", "cli", "cli_tools", "main"]
