"""`brief schedule`: a ready crontab line and a systemd timer for the daily run.

Both use absolute paths (the ``brief`` executable, the working directory and the
config file), so they work from cron's bare environment, and both run at
``email.send_time`` in ``email.timezone``. The systemd timer names the zone; the
crontab line cannot (Debian and Ubuntu cron ignore ``CRON_TZ``), so its time is
converted to the machine's own zone, with a comment saying so.
"""

from __future__ import annotations

import re
import shlex
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from briefing.config import Settings
from briefing.errors import ConfigError

_ZERO = timedelta(0)
DEFAULT_COMMAND = ("today", "--email")
UNIT_NAME = "brief"


@dataclass(frozen=True)
class Schedule:
    """The three pieces a user pastes: a crontab block, a service unit and its timer."""

    crontab: str
    service: str
    timer: str
    unit_name: str = UNIT_NAME

    def text(self, cron: bool = True, systemd: bool = True) -> str:
        """All pieces with short instructions, ready to print."""
        parts = []
        if cron:
            parts.append(
                "# --- cron: run `crontab -e` and paste these lines ---\n" + self.crontab
            )
        if systemd:
            parts.append(
                f"# --- systemd: save as ~/.config/systemd/user/{self.unit_name}.service ---\n"
                + self.service
            )
            parts.append(
                f"# --- systemd: save as ~/.config/systemd/user/{self.unit_name}.timer ---\n"
                + self.timer
                + "\n# then: systemctl --user daemon-reload && "
                f"systemctl --user enable --now {self.unit_name}.timer\n"
                "#       loginctl enable-linger \"$USER\"   # run even when not logged in\n"
            )
        return "\n".join(parts)


def parse_send_time(value: str) -> tuple[int, int]:
    """``HH:MM`` (24-hour clock) as (hour, minute); raises ConfigError."""
    match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*", value)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ConfigError(f"bad setting 'email.send_time': {value!r} is not HH:MM, e.g. 06:30")
    return int(match[1]), int(match[2])


def check_timezone(name: str) -> str:
    """An IANA time zone name such as Europe/Paris; raises ConfigError."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"bad setting 'email.timezone': {name!r} is not an IANA zone such as Europe/Paris"
        ) from None
    return name


def brief_executable() -> Path:
    """The absolute path of the installed ``brief`` script running now (or on PATH)."""
    argv0 = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if argv0 is not None and argv0.name == "brief" and argv0.is_file():
        return argv0.absolute()
    beside_python = Path(sys.executable).parent / "brief"
    if beside_python.is_file():
        return beside_python.absolute()
    found = shutil.which("brief")
    if found:
        return Path(found).absolute()
    raise ConfigError(
        "cannot find the brief executable: install brief (pip install .) into this environment"
    )


def schedule_for(
    settings: Settings,
    *,
    executable: Path | None = None,
    workdir: Path | None = None,
    command: Sequence[str] = DEFAULT_COMMAND,
    local_zone: tzinfo | None = None,
    now: datetime | None = None,
) -> Schedule:
    """The crontab block and systemd units that run ``brief today --email`` daily.

    ``local_zone`` is the zone cron runs in (default: this machine's); ``now`` fixes
    the day whose offsets convert the time (default: today).
    """
    hour, minute = parse_send_time(settings.email.send_time)
    zone = check_timezone(settings.email.timezone)
    exe = (executable or brief_executable()).absolute()
    cwd = (workdir or Path.cwd()).absolute()
    argv = [str(exe)]
    if settings.config_file is not None:
        argv += ["--config", str(Path(settings.config_file).absolute())]
    argv += list(command)
    for value in [*argv, str(cwd)]:
        if any(ch in value for ch in "\r\n\x00"):
            raise ConfigError(f"path {value!r} contains a line break: cron cannot run it")
    return Schedule(
        crontab=_crontab(
            CronTime.convert(hour, minute, zone, local_zone, now), cwd, argv
        ),
        service=_service(cwd, argv),
        timer=_timer(hour, minute, zone),
    )


@dataclass(frozen=True)
class CronTime:
    """send_time in the configured zone, and the same moment on the machine's clock."""

    hour: int
    minute: int
    zone: str
    local_hour: int
    local_minute: int
    local_name: str
    shifts: bool  # the two zones change their clocks on different days (daylight saving)

    @classmethod
    def convert(
        cls, hour: int, minute: int, zone: str, local: tzinfo | None, now: datetime | None
    ) -> CronTime:
        """Convert HH:MM in ``zone`` to the ``local`` zone (this machine's by default)."""
        day = (now or datetime.now(UTC)).astimezone(ZoneInfo(zone))
        moment = day.replace(hour=hour, minute=minute, second=0, microsecond=0)
        here = moment.astimezone(local) if local is not None else moment.astimezone()
        offsets = {
            (probe.astimezone(ZoneInfo(zone)).utcoffset(),
             probe.astimezone(local).utcoffset() if local else probe.astimezone().utcoffset())
            for probe in (datetime(moment.year, 1, 15, tzinfo=UTC),
                          datetime(moment.year, 7, 15, tzinfo=UTC))
        }
        differences = {(theirs or _ZERO) - (ours or _ZERO) for theirs, ours in offsets}
        return cls(hour, minute, zone, here.hour, here.minute, here.tzname() or "local",
                   len(differences) > 1)


def _crontab(time: CronTime, cwd: Path, argv: Sequence[str]) -> str:
    # cron ends the command at an unescaped %; stdout is dropped so cron mails only errors.
    line = f"cd {shlex.quote(str(cwd))} && {shlex.join(argv)} >/dev/null"
    line = line.replace("%", r"\%")
    notes = [
        f"# brief: the daily SITREP at {time.hour:02d}:{time.minute:02d} {time.zone},"
        f" which is {time.local_hour:02d}:{time.local_minute:02d} on this machine's clock"
        f" ({time.local_name}).",
        "# cron runs in the machine's zone (Debian/Ubuntu cron ignores CRON_TZ), so the"
        " time below is converted.",
    ]
    if time.shifts:
        notes.append("# The two zones change clocks on different days: run `brief schedule`"
                     " again after a daylight-saving change, or use the systemd timer.")
    notes.append(_EXIT_CODES)
    return "\n".join(notes) + f"\n{time.local_minute} {time.local_hour} * * * {line}\n"


_EXIT_CODES = ("# Exit codes: 0 sent, 1 nothing produced, 2 partly delivered, 3 delivery"
               " failed, 5 delivery uncertain (check the mailbox before --force).")


def _systemd_quote(value: str) -> str:
    # systemd expands %-specifiers and $VARIABLES in ExecStart: double them to keep them.
    escaped = value.replace("%", "%%").replace("$", "$$")
    if re.fullmatch(r"[A-Za-z0-9_@%+=:,./-]+", value):
        return escaped
    return '"' + escaped.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _service(cwd: Path, argv: Sequence[str]) -> str:
    return (
        "[Unit]\n"
        "Description=brief: write and mail the daily SITREP\n"
        "Wants=network-online.target\n"
        "After=network-online.target\n"
        "\n"
        "[Service]\n"
        "Type=oneshot\n"
        f"WorkingDirectory={str(cwd).replace('%', '%%')}\n"
        f"ExecStart={' '.join(_systemd_quote(a) for a in argv)}\n"
        f"{_EXIT_CODES}\n"
    )


def _timer(hour: int, minute: int, zone: str) -> str:
    return (
        "[Unit]\n"
        f"Description=Run brief every day at {hour:02d}:{minute:02d} {zone}\n"
        "\n"
        "[Timer]\n"
        f"OnCalendar=*-*-* {hour:02d}:{minute:02d}:00 {zone}\n"
        "# Catch up after the machine was off; the sent-log keeps it to one mail a day.\n"
        "Persistent=true\n"
        "\n"
        "[Install]\n"
        "WantedBy=timers.target\n"
    )
