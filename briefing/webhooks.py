"""Chat delivery: post the day's briefing to Slack, Microsoft Teams or a JSON webhook.

Targets are ``[[deliver.webhook]]`` entries in brief.toml (the payloads are built in
webhooks_payload.py). Each target gets the briefing once per day, as email recipients
do: a ``webhook_log`` table in the store's file (synchronous=FULL) records every target
that answered 2xx, the email sent-log's lock serialises overlapping runs, and ``--force``
posts again. A 429 or 5xx answer is retried (at most ``deliver.max_retries`` times),
waiting as long as its Retry-After asks up to ``deliver.max_retry_after``; any other 4xx
is final. A failure to connect is retried too, but a request that may have reached the
service (a timeout while waiting for the answer) is not, so no channel gets it twice.
Webhook URLs go through the fetcher's address guard: a private or loopback host is
refused unless the target sets ``allow_private``, and plain http only with it.

Exit codes are email's (briefing/delivery_status.py): 0 all delivered (or already), 2
partly, 3 nothing delivered.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import httpx

from briefing.config import DeliverSettings, Settings, WebhookTarget
from briefing.delivery_status import ChannelReport, write_dry_run
from briefing.errors import ConfigError, DeliveryError, FetchError
from briefing.message import checked_date
from briefing.migrations import connect as open_database
from briefing.models import Sitrep
from briefing.netguard import (
    NO_ALLOWANCE,
    Allowance,
    GuardedTransport,
    Resolver,
    check_url,
    system_resolver,
)
from briefing.sentlog import send_lock, sent_log_path
from briefing.webhooks_payload import (
    Payload,
    full_briefing_url,
    json_payload,
    payload_bytes,
    slack_payload,
    teams_payload,
)

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]


@dataclass
class Failure:
    """A target that did not get the briefing, and why."""

    target: str
    status: int | None
    reason: str


@dataclass
class WebhookReport(ChannelReport):
    """What one webhook run did, target by target."""

    failed: list[Failure] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0 all delivered, 2 partly delivered, 3 no target got it."""
        return self.status(failed=bool(self.failed))

    def summary(self) -> str:
        """One line for the terminal or a log."""
        if self.written:
            return (f"wrote {len(self.written)} webhook payload(s) for {self.date}"
                    " (dry run, nothing posted)")
        parts = [f"briefing {self.date}: posted to {len(self.sent)} webhook(s)"]
        if self.already_sent:
            parts.append(f"already posted to {', '.join(self.already_sent)}")
        if self.failed:
            why = "; ".join(f"{f.target}: {f.status or '-'} {f.reason}" for f in self.failed)
            parts.append(f"not posted to {len(self.failed)} ({why})")
        return ", ".join(parts)


# ---------------------------------------------------------------- targets


def chosen_targets(settings: Settings, post_all: bool | None) -> list[WebhookTarget]:
    """The targets this run posts to: all (--webhook), none (--no-webhook) or the enabled."""
    if post_all is False:
        return []
    targets = settings.deliver.webhook
    return list(targets) if post_all else [t for t in targets if t.enabled]


def target_url(target: WebhookTarget, env: Mapping[str, str]) -> str:
    """The target's URL, from ``url`` or the environment variable ``url_env`` names."""
    where = f"deliver.webhook '{target.label}'"
    if target.url_env:
        value = env.get(target.url_env, "").strip()
        if value:
            return value
        if target.url is None:
            raise ConfigError(f"{where}: environment variable {target.url_env} is empty or "
                              "unset: export the webhook URL in it")
    if target.url is None:
        raise ConfigError(f"{where} has no URL: set url_env = \"NAME\" (an environment "
                          "variable holding the URL) or url")
    return target.url.get_secret_value().strip()


def check_target(target: WebhookTarget, env: Mapping[str, str]) -> str:
    """The checked URL of a target, or a ConfigError naming the target and the fix."""
    url = target_url(target, env)
    where = f"deliver.webhook '{target.label}'"
    try:
        parsed = check_url(url, allow_private=target.allow_private)
    except FetchError as exc:
        reason = str(exc).replace(url, "its URL").replace("on the source", "on the target")
        raise ConfigError(f"{where}: {reason}") from None
    if parsed.scheme != "https" and not target.allow_private:
        raise ConfigError(f"{where}: the URL must be https (a webhook URL is a secret); "
                          "set allow_private = true only for a local test receiver")
    return url


def check_webhook_settings(
    settings: Settings, targets: Sequence[WebhookTarget], *, dry_run: bool = False,
    env: Mapping[str, str] | None = None,
) -> None:
    """Fail fast on bad [[deliver.webhook]] targets, before a run produces anything."""
    env = os.environ if env is None else env
    if not targets:
        raise ConfigError("no webhook targets: add a [[deliver.webhook]] section with kind "
                          "(slack, teams or json) and url_env to brief.toml")
    names = [t.label for t in settings.deliver.webhook]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ConfigError(f"deliver.webhook name {twice[0]!r} is used twice: give each "
                          "target its own name (the sent-log is kept per name)")
    link = settings.deliver.briefing_url
    for target in targets:
        for template in (target.briefing_url, link):
            if template and full_briefing_url(template, "2026-01-01") is None:
                raise ConfigError(f"deliver briefing_url {template!r} is not an http(s) "
                                  "URL: use e.g. https://intranet.example/sitrep-{date}.html")
        if not dry_run:
            check_target(target, env)
    if not dry_run:
        sent_log_path(settings)


# ---------------------------------------------------------------- the sent-log


class WebhookLog:
    """Which target got which day's briefing; every write committed with synchronous=FULL."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.db = open_database(path, synchronous="FULL")
        except (sqlite3.Error, OSError) as exc:
            raise DeliveryError(f"cannot open the webhook sent-log in {path}: {exc}") from None

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    def was_sent(self, briefing_date: str, target: str) -> bool:
        """True when this target already got this day's briefing."""
        row = self.db.execute(
            "SELECT 1 FROM webhook_log WHERE briefing_date = ? AND target = ?",
            (briefing_date, target),
        ).fetchone()
        return row is not None

    def record(self, briefing_date: str, target: str, kind: str, status: int) -> None:
        """Remember a delivered post (a forced re-post counts up ``times``)."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute(
                "INSERT INTO webhook_log (briefing_date, target, kind, status, sent_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT(briefing_date, target) DO UPDATE SET"
                " kind = excluded.kind, status = excluded.status,"
                " sent_at = excluded.sent_at, times = times + 1",
                (briefing_date, target, kind, status, datetime.now(UTC).isoformat()),
            )
            self.db.execute("COMMIT")
        except sqlite3.Error as exc:
            with suppress(sqlite3.Error):
                self.db.execute("ROLLBACK")
            raise DeliveryError(f"cannot write the webhook sent-log in {self.path}: {exc}") from None


# ---------------------------------------------------------------- payloads


def build_payload(target: WebhookTarget, sitrep: Sitrep, deliver: DeliverSettings) -> Payload:
    """The message for one target, in its service's format and within its limits."""
    link = full_briefing_url(target.briefing_url or deliver.briefing_url, sitrep.date)
    if target.kind == "slack":
        return slack_payload(sitrep, link)
    if target.kind == "teams":
        return teams_payload(sitrep, link)
    return json_payload(sitrep, link, full=target.payload == "sitrep")


def write_payloads(
    targets: Sequence[WebhookTarget], sitrep: Sitrep, deliver: DeliverSettings, out_dir: Path
) -> list[Path]:
    """Dry run: one JSON file per target in ``out_dir``, nothing posted or recorded."""
    return write_dry_run(out_dir, "--webhook-to-file", checked_date(sitrep.date), (
        (target.label.replace("@", "_"), f"{target.kind}.json",
         payload_bytes(build_payload(target, sitrep, deliver)))
        for target in targets
    ))


# ---------------------------------------------------------------- posting


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


async def post_payload(
    client: httpx.AsyncClient, url: str, body: bytes, deliver: DeliverSettings,
    *, backoff: float, sleep: Sleep,
) -> tuple[int | None, str | None]:
    """POST ``body`` with bounded retries; (status, None) when delivered, else the reason."""
    status: int | None = None
    for attempt in range(deliver.max_retries + 1):
        wait = backoff * 2**attempt
        try:
            response = await client.post(url, content=body, headers={
                "Content-Type": "application/json; charset=utf-8"})
        except FetchError as exc:  # refused by the address guard or not resolvable: final
            return None, str(exc).replace(url, "the webhook URL")
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:  # nothing was sent
            reason = f"cannot connect ({type(exc).__name__})"
        except httpx.HTTPError as exc:
            # The request may have reached the service: posting again could post twice.
            return None, f"no answer ({type(exc).__name__}); it may or may not have arrived"
        else:
            status = response.status_code
            if 200 <= status < 300:
                return status, None
            reason = _answer(response)
            if status != 429 and status < 500:
                return status, reason
            asked = retry_after(response.headers.get("Retry-After"))
            if asked is not None:
                if asked > deliver.max_retry_after:
                    return status, (f"{reason}; Retry-After {asked:.0f}s is over "
                                    f"deliver.max_retry_after ({deliver.max_retry_after:.0f}s)")
                wait = asked
        if attempt == deliver.max_retries:
            return status, f"{reason} (gave up after {attempt + 1} attempts)"
        log.info("webhook answered %s (%s); retrying in %.1fs", status, reason, wait)
        await sleep(wait)
    raise AssertionError("unreachable")  # the loop always returns


def _answer(response: httpx.Response) -> str:
    """The service's own words for a refusal, short and on one line."""
    if 300 <= response.status_code < 400:
        return "redirected: configure the final webhook URL"
    text = " ".join(response.text.split())[:120]
    return text or response.reason_phrase or "refused"


# ---------------------------------------------------------------- the delivery run


def deliver_webhooks(
    settings: Settings,
    sitrep: Sitrep,
    targets: Sequence[WebhookTarget],
    *,
    force: bool = False,
    to_dir: Path | None = None,
    env: Mapping[str, str] | None = None,
    resolver: Resolver | None = None,
    backoff: float = 2.0,
    sleep: Sleep = asyncio.sleep,
) -> WebhookReport:
    """Post the briefing to every target not yet served today (or write payload files)."""
    env = os.environ if env is None else env
    report = WebhookReport(date=checked_date(sitrep.date))
    if to_dir is not None:
        report.written = write_payloads(targets, sitrep, settings.deliver, Path(to_dir))
        return report
    db = sent_log_path(settings)
    with send_lock(db.with_name(db.name + ".send-lock")):
        sent_log = WebhookLog(db)
        try:
            asyncio.run(_deliver(settings, sitrep, targets, sent_log, report, force=force,
                                 env=env, resolver=resolver or system_resolver,
                                 backoff=backoff, sleep=sleep))
        finally:
            sent_log.close()
    return report


async def _deliver(
    settings: Settings, sitrep: Sitrep, targets: Sequence[WebhookTarget], sent_log: WebhookLog,
    report: WebhookReport, *, force: bool, env: Mapping[str, str], resolver: Resolver,
    backoff: float, sleep: Sleep,
) -> None:
    deliver = settings.deliver
    for target in targets:
        if not force and sent_log.was_sent(report.date, target.label):
            report.already_sent.append(target.label)
            continue
        try:
            url = check_target(target, env)
        except ConfigError as exc:
            report.failed.append(Failure(target.label, None, str(exc)))
            continue
        body = payload_bytes(build_payload(target, sitrep, deliver))
        # allow_private covers the target's own host only, as it does for a source.
        allowance = Allowance.of(httpx.URL(url).host) if target.allow_private else NO_ALLOWANCE
        transport = GuardedTransport(resolver, allowance, max_connections=2)
        async with httpx.AsyncClient(transport=transport, timeout=deliver.timeout,
                                     follow_redirects=False,
                                     headers={"User-Agent": settings.fetch.user_agent}) as client:
            status, reason = await post_payload(client, url, body, deliver,
                                                backoff=backoff, sleep=sleep)
        if reason is not None:
            report.failed.append(Failure(target.label, status, reason))
            log.warning("briefing %s not posted to %s: %s", report.date, target.label, reason)
            continue
        sent_log.record(report.date, target.label, target.kind, status or 0)
        report.sent.append(target.label)
        log.info("posted briefing %s to %s", report.date, target.label)
