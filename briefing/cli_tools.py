"""The `brief` commands besides `today` and `send`: sources, ingest, extract, config,
doctor and schedule. Registered on the root group from ``briefing.cli``; as thin.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from briefing.cli import DAY, cli, fail, settings_from

if TYPE_CHECKING:
    from briefing.config import Settings


@cli.command()
@click.option("--cron/--no-cron", default=True, help="Print the crontab lines.")
@click.option("--systemd/--no-systemd", default=True, help="Print the systemd service and timer.")
@click.pass_context
def schedule(ctx: click.Context, cron: bool, systemd: bool) -> None:
    """Print a crontab line and a systemd timer that run `brief today --email` daily.

    Uses [email] send_time and timezone, and absolute paths to brief, the current
    folder and the config file. The crontab line is written in this machine's own
    time zone (cron ignores CRON_TZ on Debian); the systemd timer names the zone.

    Example: brief schedule --no-systemd
    """
    from briefing.deliver import check_email_settings
    from briefing.errors import ConfigError
    from briefing.schedule import schedule_for

    settings = settings_from(ctx, {})
    click.echo(schedule_for(settings).text(cron=cron, systemd=systemd), nl=False)
    try:  # the job runs `today --email`: say now, not at 06:30, that it would fail
        check_email_settings(settings)
    except ConfigError as exc:
        click.echo(f"brief: note: {exc}: the job fails (exit 1) until [email] is set up",
                   err=True)


@cli.command()
@click.pass_context
def doctor(ctx: click.Context) -> None:
    """Check the LLM endpoint with one tiny request and say what is wrong.

    With no LLM configured the offline extractive backend is used: that is fine and
    exits 0. Exit codes: 0 the backend can run (warnings allowed); 1 it cannot.

    Example: OPENAI_BASE_URL=http://127.0.0.1:8080/v1 brief doctor
    """
    from briefing.doctor import diagnose

    settings = settings_from(ctx, {})
    if settings.resolved_backend() == "extractive":
        if settings.llm.api_key or settings.llm.base_url:
            click.echo('  ok  extractive (offline) backend: backend = "extractive", so the'
                       " configured LLM endpoint is not used")
            return
        click.echo("  ok  extractive (offline) backend; no LLM configured")
        click.echo("info  to use an LLM, set OPENAI_API_KEY or llm.base_url, then run"
                   " `brief doctor` again")
        return
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
@click.option("--date", "day", type=DAY,
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

    Example: brief log --date 2026-11-24 -n 5
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
    """Inspect the effective configuration.

    Example: brief config show > brief.toml
    """


@config.command("show")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of TOML.")
@click.pass_context
def config_show(ctx: click.Context, as_json: bool) -> None:
    """Print the effective settings (file < environment < flags) as TOML, secrets masked.

    The output is what you would paste into brief.toml.

    Example: brief config show --json
    """
    settings = settings_from(ctx, {})
    from briefing.config import masked
    from briefing.config_toml import dumps

    shown = masked(settings)
    click.echo(json.dumps(shown, indent=2, default=str) if as_json else dumps(shown), nl=as_json)


@cli.command("ingest")
@click.argument("urls", nargs=-1, metavar="[URL]...")
@click.option("--only-urls", is_flag=True, help="Fetch only the URLs given, not the sources.")
@click.pass_context
def ingest_command(ctx: click.Context, urls: tuple[str, ...], only_urls: bool) -> None:
    """Pull new articles from every source (and each URL given) into the store.

    Prints one line per source. Exits 0 when every source was read, 2 when some
    failed, 1 when all failed or there was nothing to fetch.

    Example: brief ingest https://example.org/news/some-story --only-urls
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

    Exits 0 when the page would be briefed, 2 when it would not (the reason is given).

    Example: brief extract saved/story.html --format text
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
    """Manage the feeds and pages brief follows ([[sources]] in brief.toml, plus these).

    Example: brief sources add https://example.org/world/rss.xml --name example
    """


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
    """Follow URL (a feed, or a page with --page) from now on.

    Hosts on a private network (intranet, 10.x, 192.168.x, localhost) are refused
    unless you pass --allow-private, which allows this source's own host only.

    Example: brief sources add http://intranet.local/feed.xml --allow-private
    """
    from briefing.sources.registry import add_source
    from briefing.store import Store

    settings = settings_from(ctx, {})
    with Store(settings.db_path) as store:
        source = add_source(store, settings, url, name=name, tag=tag, reliability=reliability,
                            kind="page" if is_page else "feed", allow_private=allow_private)
    click.echo(f"added {source.name}: {source.url}")


def existing_store(settings: Settings) -> Path | str:
    """The store's path if it exists, else an empty store in memory: a command that only
    reads must not leave a brief.db behind in whatever folder it was run from."""
    path = settings.db_path
    return path if str(path) == ":memory:" or path.exists() else ":memory:"


@sources.command("list")
@click.pass_context
def sources_list(ctx: click.Context) -> None:
    """Show each source with its last success, last error and articles in the last 24 h.

    Example: brief sources list
    """
    from briefing.sources.registry import describe, list_sources
    from briefing.store import Store

    settings = settings_from(ctx, {})
    if (path := existing_store(settings)) == ":memory:":  # brief.toml's sources, no store
        click.echo(f"no store at {settings.db_path} yet: no source added or fetched", err=True)
    with Store(path) as store:
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
    """Stop following the source called NAME (added with `brief sources add`).

    Example: brief sources remove example
    """
    from briefing.sources.registry import remove_source
    from briefing.store import Store

    settings = settings_from(ctx, {})
    with Store(existing_store(settings)) as store:  # nothing to remove: make no store
        source = remove_source(store, settings, name)
    click.echo(f"removed {source.name}: {source.url}")
