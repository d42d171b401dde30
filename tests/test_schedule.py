"""`brief schedule`: crontab and systemd timer text."""

from __future__ import annotations

import shlex
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from briefing.config import EmailSettings, Settings
from briefing.errors import ConfigError
from briefing.schedule import brief_executable, parse_send_time, schedule_for


def settings(tmp_path: Path, send_time: str = "06:30", timezone: str = "Europe/Paris") -> Settings:
    config = tmp_path / "brief.toml"
    config.write_text("")
    return Settings(config_file=config,
                    email=EmailSettings(send_time=send_time, timezone=timezone))


def cron_command(crontab: str) -> tuple[list[str], list[str]]:
    """The schedule fields and the shell words of the one job line."""
    [job] = [ln for ln in crontab.splitlines() if ln and not ln.startswith(("#", "CRON_TZ="))]
    fields = job.split(" ", 5)
    return fields[:5], shlex.split(fields[5].replace(r"\%", "%"))


WINTER = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
SUMMER = datetime(2026, 7, 2, 9, 0, tzinfo=UTC)


def test_crontab_converts_the_time_to_the_machine_zone(tmp_path: Path) -> None:
    exe = tmp_path / "bin" / "brief"
    schedule = schedule_for(settings(tmp_path, "6:05", "America/New_York"),
                            executable=exe, workdir=tmp_path,
                            local_zone=ZoneInfo("UTC"), now=WINTER)

    assert "CRON_TZ=" not in schedule.crontab  # Debian's cron ignores it
    fields, words = cron_command(schedule.crontab)
    assert fields == ["5", "11", "*", "*", "*"]  # 06:05 EST is 11:05 UTC
    assert words == ["cd", str(tmp_path), "&&", str(exe), "--config",
                     str(tmp_path / "brief.toml"), "today", "--email", ">/dev/null"]
    assert "06:05 America/New_York, which is 11:05" in schedule.crontab
    assert "daylight-saving" in schedule.crontab  # New York shifts, UTC does not


@pytest.mark.parametrize(("now", "hour"), [(WINTER, "5"), (SUMMER, "4")])
def test_crontab_follows_daylight_saving_of_the_day(tmp_path: Path, now: datetime,
                                                    hour: str) -> None:
    schedule = schedule_for(settings(tmp_path), executable=tmp_path / "brief",
                            workdir=tmp_path, local_zone=ZoneInfo("UTC"), now=now)
    assert cron_command(schedule.crontab)[0][:2] == ["30", hour]


def test_same_rules_zone_needs_no_warning(tmp_path: Path) -> None:
    schedule = schedule_for(settings(tmp_path), executable=tmp_path / "brief",
                            workdir=tmp_path, local_zone=ZoneInfo("Europe/Berlin"), now=SUMMER)
    assert cron_command(schedule.crontab)[0][:2] == ["30", "6"]
    assert "daylight-saving" not in schedule.crontab


def test_paths_with_spaces_and_percent_survive_cron(tmp_path: Path) -> None:
    work = tmp_path / "my 100% briefs"
    work.mkdir()
    exe = work / "bin" / "brief"
    schedule = schedule_for(settings(work), executable=exe, workdir=work)

    job = schedule.crontab.splitlines()[-1]
    assert "%" not in job.replace(r"\%", "")  # every % escaped for cron
    _, words = cron_command(schedule.crontab)
    assert words[1] == str(work) and words[3] == str(exe)
    assert words[5] == str(work / "brief.toml")


def test_paths_are_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    s = Settings(config_file=Path("brief.toml"))
    schedule = schedule_for(s, executable=Path("bin/brief"))
    _, words = cron_command(schedule.crontab)
    assert words[1] == str(tmp_path)
    assert Path(words[3]).is_absolute() and Path(words[5]).is_absolute()


def test_no_config_file_means_no_config_flag(tmp_path: Path) -> None:
    schedule = schedule_for(Settings(), executable=tmp_path / "brief", workdir=tmp_path)
    _, words = cron_command(schedule.crontab)
    assert "--config" not in words


def test_systemd_units(tmp_path: Path) -> None:
    work = tmp_path / "with space"
    work.mkdir()
    schedule = schedule_for(settings(work, "07:45", "Asia/Tokyo"),
                            executable=Path("/opt/brief/bin/brief"), workdir=work)

    assert "OnCalendar=*-*-* 07:45:00 Asia/Tokyo\n" in schedule.timer
    assert "Persistent=true" in schedule.timer
    assert f"WorkingDirectory={work}\n" in schedule.service
    [exec_line] = [ln for ln in schedule.service.splitlines() if ln.startswith("ExecStart=")]
    words = shlex.split(exec_line.removeprefix("ExecStart="))
    assert words == ["/opt/brief/bin/brief", "--config", str(work / "brief.toml"),
                     "today", "--email"]
    assert "brief.timer" in schedule.text() and "crontab -e" in schedule.text()
    assert "CRON_TZ" not in schedule.text(cron=False)


def test_systemd_escapes_specifiers(tmp_path: Path) -> None:
    work = tmp_path / "50%$HOME"
    work.mkdir()
    schedule = schedule_for(settings(work), executable=Path("/opt/brief"), workdir=work)
    assert "50%%$$HOME/brief.toml" in schedule.service
    assert "WorkingDirectory=" + str(work).replace("%", "%%") in schedule.service


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs systemd-analyze")
def test_systemd_analyze_accepts_the_units(tmp_path: Path) -> None:
    exe = Path(shutil.which("python3") or "/usr/bin/python3")
    schedule = schedule_for(settings(tmp_path), executable=exe, workdir=tmp_path)
    (tmp_path / "brief.service").write_text(schedule.service)
    (tmp_path / "brief.timer").write_text(schedule.timer)
    verify = subprocess.run(
        ["systemd-analyze", "verify", str(tmp_path / "brief.timer"),
         str(tmp_path / "brief.service")],
        capture_output=True, text=True, cwd=tmp_path,
    )
    assert verify.returncode == 0, verify.stderr
    calendar = subprocess.run(
        ["systemd-analyze", "calendar", "*-*-* 06:30:00 Europe/Paris"],
        capture_output=True, text=True,
    )
    assert calendar.returncode == 0 and "Europe/Paris" in calendar.stdout


@pytest.mark.parametrize("value", ["6", "24:00", "06:60", "6.30", "", "06:30pm"])
def test_bad_send_time(value: str) -> None:
    with pytest.raises(ConfigError, match="send_time"):
        parse_send_time(value)


def test_bad_timezone(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"email\.timezone"):
        schedule_for(settings(tmp_path, timezone="Mars/Olympus"), executable=tmp_path / "b")


def test_finds_the_installed_executable() -> None:
    exe = brief_executable()
    assert exe.is_absolute() and exe.name == "brief" and exe.is_file()


def test_brief_schedule_command(tmp_path: Path) -> None:
    from conftest import run_brief

    (tmp_path / "brief.toml").write_text('[email]\nsend_time = "05:50"\ntimezone = "Asia/Tokyo"\n')
    result = run_brief("schedule", cwd=tmp_path, env={"TZ": "UTC"})

    assert result.returncode == 0, result.stderr
    assert "\n50 20 * * * " in result.stdout  # 05:50 in Tokyo is 20:50 UTC
    assert "CRON_TZ=" not in result.stdout
    assert f"--config {tmp_path / 'brief.toml'} today --email" in result.stdout
    assert "OnCalendar=*-*-* 05:50:00 Asia/Tokyo" in result.stdout
    cron_only = run_brief("schedule", "--no-systemd", cwd=tmp_path)
    assert "OnCalendar" not in cron_only.stdout and "crontab -e" in cron_only.stdout
