"""Publication dates on htmldate's public evaluation pages: brief beside htmldate.

Each page is given as a saved .html file would reach brief, with no URL (the URL
often holds the date and is not what is measured). brief decodes and parses the
bytes as extraction does, then dates the page; htmldate gets the same bytes in its
fast and extensive modes. The eval set's own scorer (score.py) counts the days.

    .venv/bin/python benchmarks/bench_dates.py [--eval ../shared/eval/dates] [--limit N] [--errors]

Accuracy is also given on two halves of the pages (fold = parity of
sha1(page id) as a number), so a rule that helps only the half it was made on shows;
--errors lists brief's wrong and missing days.

Skips cleanly (exit 0) when the evaluation data is absent.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import importlib.util
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_EVAL = ROOT.parent / "shared" / "eval" / "dates"


def brief_day(content: bytes) -> str | None:
    """brief's day for a saved page: the same decoding, parsing and dating as extraction."""
    from briefing.dates import date_from_html, parse_html
    from briefing.errors import SourceError
    from briefing.extract import decode

    try:
        html = decode(content, "page.html")
    except SourceError:
        return None
    try:
        tree = parse_html(html)
    except Exception:  # brief then dates from htmldate alone, inside date_from_html
        tree = None
    found = date_from_html(html, tree=tree)
    return found.when.date().isoformat() if found else None


def htmldate_day(extensive: bool) -> Callable[[bytes], str | None]:
    """htmldate's day for a page, as its README calls it (original date, no URL)."""
    from htmldate import find_date

    def day(content: bytes) -> str | None:
        try:
            return find_date(content, extensive_search=extensive, original_date=True)
        except Exception:  # a crash is scored as no date, as a user would see it
            return None

    return day


def _scorer(folder: Path) -> Any:
    spec = importlib.util.spec_from_file_location("dates_score", folder / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(folder: Path, limit: int | None = None) -> list[dict[str, Any]]:
    """Score every system on the pages; one row of figures per system."""
    truth = json.loads((folder / "ground-truth-dev.json").read_text(encoding="utf8"))
    keys = sorted(truth)[:limit] if limit else sorted(truth)
    truth = {key: truth[key] for key in keys}
    pages = {
        key: gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes()) for key in keys
    }
    score = _scorer(folder)
    systems: list[tuple[str, Callable[[bytes], str | None]]] = [
        ("brief (date_from_html)", brief_day),
        ("htmldate fast", htmldate_day(False)),
        ("htmldate extensive", htmldate_day(True)),
    ]
    rows = []
    for name, day in systems:
        # Warm-up: dateparser (inside htmldate) compiles its language tables on first
        # use, a one-off cost that would otherwise fall on whichever system runs first.
        for key in keys[:25]:
            day(pages[key])
        started = time.perf_counter()
        predictions = {key: {"date": day(pages[key])} for key in keys}
        seconds = time.perf_counter() - started
        figures = score.evaluate(truth, predictions)
        folds = {
            half: score.evaluate(
                {k: v for k, v in truth.items() if fold(k) == half},
                {k: v for k, v in predictions.items() if fold(k) == half},
            )["accuracy"]
            for half in (0, 1)
        }
        rows.append(
            {"system": name, "seconds_per_page": seconds / len(keys), "folds": folds, **figures}
        )
    return rows


def fold(key: str) -> int:
    """The half of the dev set a page is in: the parity of its id's sha1."""
    return int(hashlib.sha1(key.encode()).hexdigest(), 16) % 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", type=Path, default=DEFAULT_EVAL, help="the dates eval folder")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N pages")
    parser.add_argument("--errors", action="store_true", help="list brief's wrong days")
    args = parser.parse_args(argv)
    if not (args.eval / "ground-truth-dev.json").is_file():
        print(f"skipped: no evaluation data in {args.eval}")
        return 0
    import htmldate

    rows = run(args.eval, args.limit)
    pages = rows[0]["pages"]
    print(f"publication dates, {pages} pages of {args.eval} (htmldate {htmldate.__version__})")
    print("| system | accuracy (exact day) | no date | precision | recall | s/page |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['system']} | {row['accuracy']:.3f} | {row['no_date']:.3f} | "
            f"{row['precision']:.3f} | {row['recall']:.3f} | {row['seconds_per_page']:.3f} |"
        )
    print("\nper collection (accuracy / no date):")
    for row in rows:
        parts = [
            f"{name} {f['accuracy']:.3f} / {f['no_date']:.3f}" for name, f in row["by_set"].items()
        ]
        print(f"  {row['system']}: " + "; ".join(parts))
    print("\naccuracy on the two halves (fold 0 / fold 1):")
    for row in rows:
        print(f"  {row['system']}: {row['folds'][0]:.3f} / {row['folds'][1]:.3f}")
    if args.errors:
        print("\nbrief's wrong or missing days (fold, id, predicted, true, url):")
        for item in rows[0]["per_item"]:
            if item["outcome"] in ("fp", "fn"):
                print(
                    f"  {fold(item['id'])} {item['id']} {item['predicted']} {item['true']}"
                    f" {item['url'][:90]}"
                )
    command = "  ".join(["", ".venv/bin/python benchmarks/bench_dates.py"])
    print(f"\nreproduce with:\n{command}" + (f" --limit {args.limit}" if args.limit else ""))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
