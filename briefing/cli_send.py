"""`brief send` and the delivery step `brief today` shares with it: mail and webhooks.

Registered on the root group from ``briefing.cli``; as thin: delivery is deliver.py
(mail) and webhooks.py, their exit statuses one scale (delivery_status.py).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from briefing.cli import DAY, cli, configure_logging, settings_from
from briefing.errors import BriefingError

if TYPE_CHECKING:
    from briefing.config import Settings, WebhookTarget
    from briefing.models import Sitrep

log = logging.getLogger("briefing")


@dataclass
class Channels:
    """Where this run delivers: webhook targets (or a folder for their payloads), mail."""

    hooks: list[WebhookTarget] = field(default_factory=list)
    webhook_dir: Path | None = None  # dry run: payloads written here
    mail: bool = False
    mail_dir: Path | None = None  # dry run: one .eml per recipient written here


def webhook_targets(
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


def deliver_all(
    settings: Settings,
    sitrep: Sitrep,
    paths: dict[str, Path],
    channels: Channels,
    *,
    force: bool,
    on_mail_failure: Callable[[BriefingError], None] = lambda exc: None,
) -> list[int]:
    """Post and mail the briefing, print what happened; the exit status of each channel."""
    codes: list[int] = []
    if channels.hooks:
        from briefing.webhooks import deliver_webhooks

        posted = deliver_webhooks(settings, sitrep, channels.hooks, force=force,
                                  to_dir=channels.webhook_dir)
        _said(posted.written, posted.summary(), posted.exit_code)
        codes.append(posted.exit_code)
    if channels.mail:
        from briefing.deliver import deliver_briefing

        try:
            mailed = deliver_briefing(settings, sitrep, paths, force=force,
                                      to_dir=channels.mail_dir)
        except BriefingError as exc:
            on_mail_failure(exc)
            raise
        _said(mailed.written, mailed.summary(), int(mailed.exit_code))
        codes.append(int(mailed.exit_code))
    return codes


def _said(written: list[Path], summary: str, code: int) -> None:
    for path in written:
        click.echo(str(path))
    click.echo(summary, err=code != 0)


def notify_operator(settings: Settings, day: date | None, exc: BriefingError) -> None:
    """Tell the operator (email.operator) that the morning run failed."""
    from briefing.deliver import notify_operator as mail_operator

    label = day.isoformat() if day else "today"
    try:
        mail_operator(settings, f"brief: the briefing for {label} failed", f"brief today: {exc}")
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
    from briefing.deliver import find_briefing
    from briefing.delivery_status import combined_exit

    settings = settings_from(ctx, {})
    if settings.log_file:
        configure_logging(ctx.find_root().params.get("verbose", False), settings.log_file)
    hooks = webhook_targets(settings, webhook, webhook_dir, email_dry_run=to_dir is not None)
    # Mail when it is configured, or when nothing else is (so a missing [email] is named);
    # a webhook dry run sends no real mail.
    mail = to_dir is not None or (webhook_dir is None and (bool(settings.email.to) or not hooks))
    sitrep, paths = find_briefing(settings.out_dir, day.date().isoformat())
    channels = Channels(hooks, webhook_dir, mail, to_dir)
    # sys.exit, not ctx.exit: main() runs click with standalone_mode=False, which
    # turns ctx.exit(n) into a return value and would lose the code.
    sys.exit(combined_exit(deliver_all(settings, sitrep, paths, channels, force=force)))
