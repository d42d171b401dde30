"""The `brief` command: thin over the library. Errors become one line on stderr.

This module holds the root group and what every command shares; the commands are in
cli_today.py (today), cli_send.py (send, and the delivery step today shares) and
cli_tools.py (the rest).

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


def configure_logging(verbose: bool, log_file: Path | None = None) -> None:
    """Log to stderr (rich on a terminal), and to `log_file` when set; quiet the libraries."""
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


def parse_formats(value: str | None) -> list[str] | None:
    """The --format flag as a list of output formats; None when not given."""
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
    configure_logging(verbose)


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


# The commands, each module registering its own on `cli`.
from briefing import cli_send, cli_today, cli_tools  # noqa: E402

__all__ = ["ConfigError", "cli", "cli_send", "cli_today", "cli_tools", "main"]
