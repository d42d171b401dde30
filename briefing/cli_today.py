"""`brief today`: write the day's briefing, then deliver it (mail, webhooks) when asked.

Registered on the root group from ``briefing.cli``; as thin: the run is
``pipeline.run_today``, delivery the step it shares with `brief send` (cli_send.py).
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from briefing.cli import (
    DAY,
    cli,
    configure_logging,
    fail,
    parse_formats,
    progress_reporter,
    settings_from,
)
from briefing.cli_send import Channels, deliver_all, notify_operator, webhook_targets
from briefing.errors import BriefingError


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
    from briefing.pipeline import DayRequest, run_today

    for folder in inbox:
        if not folder.is_dir():
            what = "is not a folder" if folder.exists() else "does not exist"
            fail(f"--inbox {folder}: {what}; check the path (a folder of saved pages)")
    settings = settings_from(ctx, {
        "config": config, "inbox": list(inbox) or None, "out_dir": out_dir,
        "formats": parse_formats(formats), "backend": backend, "focus": focus,
    })
    the_day: date | None = day.date() if day else None
    request = DayRequest(day=the_day, urls=urls, fetch_sources=not no_ingest)
    if estimate and settings.resolved_backend() == "extractive":
        click.echo("backend: extractive (offline): no LLM calls, no tokens, no cost")
        click.echo("(set OPENAI_API_KEY or llm.base_url to estimate an LLM run)")
        return
    if estimate:
        from briefing.estimate import estimate_today

        for line in estimate_today(settings, request).lines():
            click.echo(line)
        return
    if settings.log_file:
        configure_logging(ctx.find_root().params.get("verbose", False), settings.log_file)
    mail = to_dir is not None or (settings.email.enabled if email is None else email)
    if webhook_dir is not None and to_dir is None and email is None:
        mail = False  # a webhook dry run sends no real mail unless asked to
    if mail:
        from briefing.deliver import check_email_settings

        check_email_settings(settings, dry_run=to_dir is not None)
    channels = Channels(
        webhook_targets(settings, webhook, webhook_dir, email_dry_run=to_dir is not None),
        webhook_dir, mail, to_dir,
    )
    try:
        with progress_reporter() as progress:
            result = run_today(settings, request, progress=progress)
    except BriefingError as exc:
        if mail:
            notify_operator(settings, the_day, exc)
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
    codes = deliver_all(settings, result.sitrep, result.paths, channels, force=force,
                        on_mail_failure=lambda exc: notify_operator(settings, the_day, exc))
    if codes:
        from briefing.delivery_status import combined_exit

        # sys.exit, not ctx.exit: main() runs click with standalone_mode=False
        sys.exit(combined_exit(codes))
