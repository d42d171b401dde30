"""The `brief` command contract, run as a real subprocess the way cron runs it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_DAY, EXAMPLES, run_brief


@pytest.fixture(scope="module")
def briefing_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    work = tmp_path_factory.mktemp("run")
    result = run_brief(
        "today", "--inbox", str(EXAMPLES), "--date", EXAMPLE_DAY, "--out", "out", cwd=work
    )
    assert result.returncode == 0, result.stderr
    return work, result.stdout


def test_writes_four_files_and_prints_paths(briefing_run: tuple[Path, str]) -> None:
    work, stdout = briefing_run
    printed = stdout.split()
    for ext in ("md", "html", "pdf", "json"):
        path = Path("out") / f"sitrep-{EXAMPLE_DAY}.{ext}"
        assert str(path) in printed
        assert (work / path).stat().st_size > 0


def test_json_is_the_sitrep_model(briefing_run: tuple[Path, str]) -> None:
    from briefing.models import Sitrep

    work, _ = briefing_run
    sitrep = Sitrep.model_validate_json((work / "out" / f"sitrep-{EXAMPLE_DAY}.json").read_text())
    assert sitrep.date == EXAMPLE_DAY
    assert 3 <= len(sitrep.takeaways) <= 7
    assert (
        sitrep.coverage.skipped and "corrupted-download.html" in sitrep.coverage.skipped[0].location
    )
    # Whatever the inbox holds: every article left out is named with a date outside the
    # period, and every undated article kept is a source marked undated.
    coverage = sitrep.coverage
    assert coverage.out_of_window == len(coverage.left_out) > 0
    for left in coverage.left_out:
        assert left.published_at is not None
        assert not sitrep.period_start <= left.published_at < sitrep.period_end
    undated_sources = {s.title for s in sitrep.sources if s.undated}
    assert {line.split(" — ", 1)[1] for line in coverage.undated} <= undated_sources
    assert coverage.suspicious_passages > 0  # the inbox carries a planted injection


def test_every_statement_cited_and_citations_resolve(briefing_run: tuple[Path, str]) -> None:
    work, _ = briefing_run
    markdown = (work / "out" / f"sitrep-{EXAMPLE_DAY}.md").read_text()
    body, sources = markdown.split("\n## Sources\n")
    numbers = {int(n) for n in re.findall(r"^\[(\d+)\] ", sources, re.M)}
    assert numbers == set(range(1, len(numbers) + 1))
    for line in body.splitlines():
        if (
            line.startswith("- ")
            and not line.startswith("- Articles read")
            and "Coverage" not in line
        ):
            if "## Coverage" in body and body.index(line) > body.index("## Coverage"):
                continue
            found = re.findall(r"\[(\d+(?:, \d+)*)\]", line)
            assert found, f"statement without citation: {line}"
            cited = {int(n) for group in found for n in group.split(", ")}
            assert cited <= numbers


def test_sources_section_lines(briefing_run: tuple[Path, str]) -> None:
    work, _ = briefing_run
    markdown = (work / "out" / f"sitrep-{EXAMPLE_DAY}.md").read_text()
    sources = markdown.split("\n## Sources\n")[1]
    lines = [line for line in sources.splitlines() if line.strip()]
    # Entries, then the reference-style link definitions that make each [n] a link.
    definitions = [line for line in lines if re.match(r"^\[\d+\]: https?://", line)]
    lines = [line for line in lines if line not in definitions]
    assert definitions and all(re.match(r"^\[\d+\] ", line) for line in lines)
    assert not any("utm_" in line for line in lines + definitions)
    assert any("file: rsreview-iran-backed-militias-arrive.md" in line for line in lines)
    assert any(line.endswith("undated") for line in lines)


def test_no_chrome_and_no_sentence_twice(briefing_run: tuple[Path, str]) -> None:
    work, _ = briefing_run
    markdown = (work / "out" / f"sitrep-{EXAMPLE_DAY}.md").read_text()
    for chrome in (
        "Top 5 This Week",
        "Related Posts",
        "LEAVE A REPLY",
        "Popular Articles",
        "Please enter your comment",
        "Subscribe",
    ):
        assert chrome not in markdown
    statements = [
        re.sub(r"(,? \[\d+\])+$", "", line[2:])
        for line in markdown.splitlines()
        if line.startswith("- ") and line.rstrip().endswith("]")
    ]
    assert len(statements) == len(set(statements))


def test_syndicated_story_once_with_all_sources(briefing_run: tuple[Path, str]) -> None:
    work, _ = briefing_run
    markdown = (work / "out" / f"sitrep-{EXAMPLE_DAY}.md").read_text()
    assert (
        markdown.count("at least 27 people were killed in strikes overnight") <= 2
    )  # point + figure
    sitrep = json.loads((work / "out" / f"sitrep-{EXAMPLE_DAY}.json").read_text())
    sites = {s["site"] for s in sitrep["sources"]}
    assert {"Frontline Wire", "Middle East Defence Digest"} <= sites
    wire_dev = [d for d in sitrep["developments"] if len(d["sources"]) >= 3]
    assert wire_dev


def test_window_excludes_other_days(tmp_path: Path) -> None:
    result = run_brief(
        "today",
        "--inbox",
        str(EXAMPLES),
        "--date",
        "2026-11-20",
        "--out",
        "out",
        "--format",
        "json",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    sitrep = json.loads((tmp_path / "out" / "sitrep-2026-11-20.json").read_text())
    titles = {s["title"] for s in sitrep["sources"]}
    assert any(t.startswith("Analysis: Why Hama") for t in titles)
    assert not any("Turkey shuts" in t for t in titles)


def test_format_subset(tmp_path: Path) -> None:
    result = run_brief(
        "today",
        "--inbox",
        str(EXAMPLES),
        "--date",
        EXAMPLE_DAY,
        "--out",
        "o",
        "--format",
        "md,json",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.suffix for p in (tmp_path / "o").iterdir()) == [".json", ".md"]


def test_nothing_to_report_is_one_line_and_exit_1(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run_brief("today", "--inbox", "empty", "--out", "o", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0
    assert result.stderr.startswith("brief: ") and "empty" in result.stderr
    assert "Traceback" not in result.stderr


def test_only_broken_files_is_one_line_error(tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "x.html").write_bytes(b"\x00\x01\x02" * 100)
    result = run_brief("today", "--inbox", "in", cwd=tmp_path)
    assert result.returncode == 1
    assert "x.html" in result.stderr and "Traceback" not in result.stderr


def test_bad_config_names_the_key(tmp_path: Path) -> None:
    (tmp_path / "brief.toml").write_text('window_hours = "soon"\n')
    result = run_brief("today", cwd=tmp_path)
    assert result.returncode == 1
    assert "window_hours" in result.stderr and "Traceback" not in result.stderr


def test_unknown_config_key_names_it(tmp_path: Path) -> None:
    (tmp_path / "brief.toml").write_text('[llm]\nmodle = "x"\n')
    result = run_brief("config", "show", cwd=tmp_path)
    assert result.returncode == 1 and "llm.modle" in result.stderr


def test_config_show_masks_secrets_and_applies_precedence(tmp_path: Path) -> None:
    (tmp_path / "brief.toml").write_text(
        'title = "From file"\nbackend = "extractive"\n[llm]\nmodel = "file-model"\n'
    )
    result = run_brief(
        "config",
        "show",
        "--json",
        cwd=tmp_path,
        env={
            "OPENAI_API_KEY": "sk-supersecretvalue123",
            "BRIEF_LLM_MODEL": "env-model",
            "BRIEF_TITLE": "From env",
        },
    )
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert "supersecretvalue" not in result.stdout
    assert shown["llm"]["model"] == "env-model"
    assert shown["title"] == "From env"
    assert shown["backend"] == "extractive"


def test_flags_win_over_env(tmp_path: Path) -> None:
    result = run_brief(
        "today",
        "--inbox",
        str(EXAMPLES),
        "--date",
        EXAMPLE_DAY,
        "--out",
        "flag-out",
        "--format",
        "json",
        cwd=tmp_path,
        env={"BRIEF_OUT_DIR": "env-out"},
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "flag-out").is_dir() and not (tmp_path / "env-out").exists()


def test_help_lists_every_command_and_option(tmp_path: Path) -> None:
    top = run_brief("--help", cwd=tmp_path)
    assert top.returncode == 0 and "today" in top.stdout and "config" in top.stdout
    today = run_brief("today", "--help", cwd=tmp_path)
    for option in ("--inbox", "--date", "--out", "--format", "--backend", "--config"):
        assert option in today.stdout


def test_rerun_adds_nothing_twice(tmp_path: Path) -> None:
    from briefing.store import Store

    counts: list[tuple[int, int]] = []
    for _ in range(2):
        result = run_brief(
            "today",
            "--inbox",
            str(EXAMPLES),
            "--date",
            EXAMPLE_DAY,
            "--format",
            "json",
            cwd=tmp_path,
        )
        assert result.returncode == 0, result.stderr
        with Store(tmp_path / "brief.db") as store:
            sources = store.db.execute("SELECT COUNT(*) FROM article_sources").fetchone()[0]
            counts.append((store.count(), sources))
    assert counts[0] == counts[1]  # the second run stored nothing new
    articles, places = counts[0]
    assert places > articles  # identical copies in the inbox share one article


def test_bad_files_are_reported_and_stored_articles_kept(tmp_path: Path) -> None:
    import shutil

    from briefing.store import Store

    inbox = tmp_path / "in"
    shutil.copytree(EXAMPLES, inbox)
    first = run_brief("today", "--inbox", "in", "--date", EXAMPLE_DAY, "--format", "json",
                      cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    with Store(tmp_path / "brief.db") as store:
        stored = store.count()
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "huge.html").write_bytes(b"<p>" + b"word " * 1_100_000 + b"</p>")
    (inbox / "notes.docx").write_bytes(b"PK\x03\x04")
    second = run_brief("today", "--inbox", "in", "--date", EXAMPLE_DAY, "--format", "json",
                       cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    sitrep = json.loads((tmp_path / "briefings" / f"sitrep-{EXAMPLE_DAY}.json").read_text())
    reasons = {Path(s["location"]).name: s["reason"] for s in sitrep["coverage"]["skipped"]}
    assert reasons["empty.txt"] == "empty file"
    assert reasons["huge.html"].startswith("file too large")
    assert "unsupported" in reasons["notes.docx"]
    with Store(tmp_path / "brief.db") as store:
        assert store.count() == stored
