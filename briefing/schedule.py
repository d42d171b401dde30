"""`brief schedule`: a ready crontab line and a systemd timer for the daily run.

Both use absolute paths (the ``brief`` executable, the working directory and the
config file), so they work from cron's bare environment, and both run at
``email.send_time`` in ``email.timezone``, whatever the machine's own zone.
"""

from __future__ import annotations

import re
import shlex
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from briefing.config import Settings
from briefing.errors import ConfigError

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
) -> Schedule:
    """The crontab block and systemd units that run ``brief today --email`` daily."""
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
        crontab=_crontab(hour, minute, zone, cwd, argv),
        service=_service(cwd, argv),
        timer=_timer(hour, minute, zone),
    )


def _crontab(hour: int, minute: int, zone: str, cwd: Path, argv: Sequence[str]) -> str:
    # cron ends the command at an unescaped %; stdout is dropped so cron mails only errors.
    line = f"cd {shlex.quote(str(cwd))} && {shlex.join(argv)} >/dev/null"
    line = line.replace("%", r"\%")
    return (
        f"# brief: the daily SITREP at {hour:02d}:{minute:02d} {zone}.\n"
        "# CRON_TZ applies to the lines below it (cronie, busybox). Debian/Ubuntu cron\n"
        "# ignores it: there, write the time in the system zone or use the systemd timer.\n"
        "# Exit codes: 0 sent, 1 nothing produced, 2 partly delivered, 3 delivery failed.\n"
        f"CRON_TZ={zone}\n"
        f"{minute} {hour} * * * {line}\n"
    )


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
        "# Exit codes: 0 sent, 1 nothing produced, 2 partly delivered, 3 delivery failed.\n"
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
