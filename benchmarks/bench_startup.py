"""Start-up and rendering: `brief --help` time, PDF render time for a ~5-page briefing,
HTML and email sizes, and a whole `brief today` on the example inbox.

* ``brief --help`` is run ``--repeat`` times in fresh processes (goal: median < 0.3 s);
  the reference is a bare ``python -c pass`` on the same interpreter (the floor), and
  ``python -X importtime`` names the modules that cost the most to import.
* The briefing for the example inbox, and for a generated inbox of ~25 articles (about
  five PDF pages), are built once; then ``render_pdf`` is timed ``--repeat`` times each.
* HTML size: the briefing's ``.html`` file and the email body from
  ``briefing.message.render_bodies`` (reference: Gmail clips a message body above
  102 KB, so the email body must stay under it).

    .venv/bin/python benchmarks/bench_startup.py
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
BIN = Path(sys.executable).parent
DAY = date(2026, 11, 24)
GOAL_HELP = 0.3
GMAIL_CLIP = 102 * 1024


def timed_runs(command: list[str], repeat: int, cwd: Path) -> list[float]:
    """Wall seconds of ``repeat`` fresh runs of ``command`` (after one warm-up run)."""
    subprocess.run(command, cwd=cwd, capture_output=True, check=True)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return times


def import_offenders(count: int = 7) -> list[tuple[str, float]]:
    """The packages that cost ``import briefing.cli`` the most (cumulative ms, top level)."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", "import briefing.cli"],
                          capture_output=True, text=True, cwd=ROOT, check=True)
    packages: dict[str, float] = {}
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = line.split("|")
        name = name.strip()
        if name == "briefing.cli":
            packages["(all of briefing.cli)"] = int(cumulative) / 1000
        if "." in name or not cumulative.strip().isdigit() or name.startswith("briefing"):
            continue  # a package's own line carries the cost of its submodules
        packages[name] = max(packages.get(name, 0.0), int(cumulative) / 1000)
    return sorted(packages.items(), key=lambda kv: -kv[1])[:count]


def briefing_for(inbox: Path, work: Path) -> Any:
    """The Sitrep for one inbox, through run_today (store and output in ``work``)."""
    from briefing.config import Settings
    from briefing.pipeline import DayRequest, run_today

    settings = Settings(inbox=[inbox], out_dir=work / "out", db_path=work / "brief.db",
                        formats=["html"], backend="extractive")
    return run_today(settings, DayRequest(day=DAY, now=datetime(2026, 11, 25, 6, 0, tzinfo=UTC))).sitrep


def pdf_figures(sitrep: Any, repeat: int) -> dict[str, Any]:
    """Median PDF render time, pages and sizes for one briefing."""
    from briefing.message import render_bodies
    from briefing.render import render_pdf, render_text

    html = render_text(sitrep, "sitrep.html.j2")
    times, pdf = [], b""
    for _ in range(repeat):
        start = time.perf_counter()
        pdf = render_pdf(html)
        times.append(time.perf_counter() - start)
    pages = None
    try:
        import io

        from pypdf import PdfReader

        pages = len(PdfReader(io.BytesIO(pdf)).pages)
    except ImportError:
        pass
    bodies = render_bodies(sitrep, None, "sitrep.pdf")
    return {
        "pdf_median": statistics.median(times), "pdf_min": min(times), "pages": pages,
        "pdf_bytes": len(pdf), "html_bytes": len(html.encode()),
        "email_html_bytes": len(bodies.html.encode()), "email_omitted": bodies.omitted,
        "developments": len(sitrep.developments), "sources": len(sitrep.sources),
    }


def measure(repeat: int) -> dict[str, Any]:
    """Every start-up and rendering figure."""
    logging.disable(logging.WARNING)
    brief = str(BIN / "brief")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        results: dict[str, Any] = {
            "help": timed_runs([brief, "--help"], repeat, work),
            "python": timed_runs([sys.executable, "-c", "pass"], repeat, work),
            "offenders": import_offenders(),
        }
        example = ROOT / "examples" / "inbox"
        results["today_examples"] = timed_runs(
            [brief, "today", "--inbox", str(example), "--date", DAY.isoformat(), "--out",
             str(work / "cli-out"), "--backend", "extractive"], max(1, repeat // 5), work)
        results["examples"] = pdf_figures(briefing_for(example, work / "ex"), repeat)
        from gen_inputs import generate

        generate(25, work / "inbox-25", seed=7)
        results["generated25"] = pdf_figures(briefing_for(work / "inbox-25", work / "g"),
                                             repeat)
    return results


def table(r: dict[str, Any], command: str) -> str:
    """The figures as a Markdown table with goals and references."""
    help_median = statistics.median(r["help"])
    python_median = statistics.median(r["python"])
    ok = "met" if help_median < GOAL_HELP else "**missed**"
    lines = [
        "| figure | value | goal / reference |",
        "|---|---:|---|",
        f"| `brief --help`, median of {len(r['help'])} (s) | {help_median:.3f} "
        f"| < {GOAL_HELP} s: {ok} |",
        f"| `brief --help`, min / max (s) | {min(r['help']):.3f} / {max(r['help']):.3f} | |",
        f"| reference: `python -c pass` (s) | {python_median:.3f} | interpreter floor |",
        f"| `brief today` on examples/inbox, whole run (s) "
        f"| {statistics.median(r['today_examples']):.2f} | |",
    ]
    for key, label in (("examples", "examples/inbox"), ("generated25", "25 generated articles")):
        f = r[key]
        clip = "under" if f["email_html_bytes"] < GMAIL_CLIP else "**over**"
        lines += [
            f"| PDF render, {label}: {f['pages']} pages, {f['developments']} developments "
            f"(s, median) | {f['pdf_median']:.2f} | |",
            f"| HTML file, {label} (KB) | {f['html_bytes'] / 1024:.1f} | |",
            f"| email HTML body, {label} (KB) | {f['email_html_bytes'] / 1024:.1f} "
            f"| < 102 KB (Gmail clips above): {clip}; {f['email_omitted']} developments "
            "left out |",
            f"| PDF file, {label} (KB) | {f['pdf_bytes'] / 1024:.1f} | |",
        ]
    offenders = ", ".join(f"{name} {ms:.0f} ms" for name, ms in r["offenders"])
    return ("\n".join(lines) + f"\n\nCostliest top-level packages imported by `import briefing.cli` (cumulative, one run): "
            f"{offenders}\n\nReproduce: `{command}`")


def main(argv: list[str] | None = None) -> int:
    """Measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    args = parser.parse_args(argv)
    results = measure(args.repeat)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    print(table(results, f".venv/bin/python benchmarks/bench_startup.py --repeat {args.repeat}"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
