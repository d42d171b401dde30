"""Fixed costs of a run, the ones a small day pays whatever its size (issue 16).

Each figure is measured in a fresh process, in CPU seconds of that process (immune to
other work on a shared machine) and wall seconds, best of ``--repeat``:

* ``import weasyprint``; the first, tiny PDF (Pango and fonts load); then a warm
  ``render_pdf`` of the example inbox's briefing (pages counted with pypdf);
* the same briefing's PDF in a fresh process, WeasyPrint's import and fonts included
  (the goal: a 4-page PDF under 1 s);
* loading the language model from py3langid's LZMA file, and from brief's uncompressed
  copy in the cache folder;
* a whole ``prepare_day`` on the example inbox with the model preloaded in the
  background (what a run does) and with it loaded on first use.

    .venv/bin/python benchmarks/bench_fixed_costs.py --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_PROBES = {
    "import_weasyprint": "import weasyprint",
    "first_tiny_pdf": "import weasyprint",  # setup; the probe renders one small page
    "language_model": "from briefing import language",
}


def probe(name: str) -> dict[str, float]:
    """Run one measurement in this (fresh) process; CPU and wall seconds."""
    import io
    import logging
    from datetime import date

    logging.disable(logging.WARNING)
    extra: dict[str, float] = {}
    if name in ("warm_pdf", "cold_pdf"):
        from briefing.config import load_settings
        from briefing.pipeline import run_today
        from briefing.render import render_pdf, render_text

        work = Path(tempfile.mkdtemp())
        settings = load_settings(None, {
            "inbox": [ROOT / "examples" / "inbox"], "out_dir": work / "out",
            "db_path": work / "brief.db", "backend": "extractive", "formats": ["json"],
        }, env={})
        html = render_text(run_today(settings, day=date(2026, 11, 24)).sitrep, "sitrep.html.j2")
        if name == "warm_pdf":
            render_pdf(html)  # warm: WeasyPrint imported, fonts loaded
        else:  # cold: the import and font loading are part of the figure
            assert "weasyprint" not in sys.modules
        cpu, wall = time.process_time(), time.perf_counter()
        pdf = render_pdf(html)
        from pypdf import PdfReader

        extra["pages"] = len(PdfReader(io.BytesIO(pdf)).pages)
    elif name.startswith("prepare_"):
        from briefing import language
        from briefing.config import load_settings
        from briefing.prepare import prepare_day

        if name == "prepare_loaded_on_first_use":
            language.preload = lambda: None
        work = Path(tempfile.mkdtemp())
        settings = load_settings(None, {
            "inbox": [ROOT / "examples" / "inbox"], "db_path": work / "brief.db",
        }, env={})
        cpu, wall = time.process_time(), time.perf_counter()
        prepare_day(settings, date(2026, 11, 24))
    else:
        if name == "first_tiny_pdf":
            import weasyprint
        cpu, wall = time.process_time(), time.perf_counter()
        if name == "import_weasyprint":
            import weasyprint
        elif name == "first_tiny_pdf":
            weasyprint.HTML(string="<h1>brief</h1><p>one small page</p>").write_pdf()
        elif name.startswith("language_model"):
            from briefing.language import detect_language

            detect_language("The port reopened on Tuesday after the storm had passed.")
    return {"cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall, **extra}


NAMES = ("import_weasyprint", "first_tiny_pdf", "warm_pdf", "cold_pdf", "language_model_shipped",
         "language_model_cached", "prepare_preloaded", "prepare_loaded_on_first_use")
# language_model_shipped reads py3langid's LZMA file (no cache folder); the others use
# brief's uncompressed copy in a cache folder of this run's own, made before timing.
_CACHE = Path(tempfile.gettempdir()) / "brief-bench-fixed-costs-cache"


def measure(name: str, repeat: int) -> dict[str, float]:
    """Best of ``repeat`` fresh processes, by CPU seconds."""
    runs = []
    for _ in range(repeat):
        env = {**os.environ, "BRIEF_CACHE_DIR": "" if name.endswith("shipped") else str(_CACHE)}
        done = subprocess.run([sys.executable, __file__, "--probe", name], cwd=ROOT,
                              capture_output=True, text=True, check=True, env=env)
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return min(runs, key=lambda r: r["cpu"])


def main() -> None:
    """Print the table and the command that reproduces it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--probe", choices=NAMES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        print(json.dumps(probe(args.probe)))
        return
    started = time.perf_counter()
    measure("language_model_cached", 1)  # makes the cached copy; not a timed figure
    print(f"| fixed cost (fresh process, best of {args.repeat}) | CPU s | wall s |")
    print("|---|---:|---:|")
    for name in NAMES:
        result = measure(name, args.repeat)
        label = name.replace("_", " ")
        if "pages" in result:
            label += f" ({int(result['pages'])} pages, examples/inbox)"
        print(f"| {label} | {result['cpu']:.2f} | {result['wall']:.2f} |")
    print(f"\nReproduce: `.venv/bin/python benchmarks/bench_fixed_costs.py --repeat {args.repeat}`"
          f" ({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
