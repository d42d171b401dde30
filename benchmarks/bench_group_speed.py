"""CPU time of ``briefing.group.group`` alone on a generated day, at several sizes.

    .venv/bin/python benchmarks/bench_group_speed.py [--sizes 1000,3000,10000] [--dump F]

The articles are those of ``gen_inputs.py`` (seed 7) taken before any page layout is
written, so no extraction is needed; exact copies are merged first, as the store does.
CPU seconds (``time.process_time``) are reported because the shared machine's wall time
swings with other people's load. ``--dump`` writes every development's articles to a JSON
file, so two versions of the grouping code can be checked for identical output.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
COMMAND = ".venv/bin/python benchmarks/bench_group_speed.py"


def generated_articles(count: int) -> list[Any]:
    """The generator's articles as extraction would give them, exact copies merged."""
    import gen_inputs

    from briefing.models import Article

    pages: list[Any] = []

    def capture(page: Any, rng: random.Random, corpus: Any) -> str:
        pages.append(page)
        return ""

    for layout, (_, suffix, weight) in list(gen_inputs.LAYOUTS.items()):
        gen_inputs.LAYOUTS[layout] = (capture, suffix, weight)
    with tempfile.TemporaryDirectory() as scratch:
        gen_inputs.generate(count, Path(scratch))
    articles: dict[str, Any] = {}
    for page in pages:
        text = "\n\n".join(page.paragraphs)
        digest = hashlib.sha256((page.title + text).encode()).hexdigest()
        articles.setdefault(digest, Article(
            id=digest[:16], title=page.title, text=text, content_hash=digest, site=page.site,
            published_at=page.published, language="en"))
    return list(articles.values())


def slope(points: list[tuple[int, float]]) -> float:
    """Least-squares slope of log(seconds) on log(n)."""
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(max(s, 1e-6)) for _, s in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den if den else 0.0


def main() -> int:
    """Generate once at the largest size, group the first n articles for each size."""
    from briefing.group import group

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,3000,10000")
    parser.add_argument("--dump", type=Path)
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    articles = generated_articles(sizes[-1])
    print("| pages generated | distinct articles | developments | grouping CPU s |")
    print("|---|---|---|---|")
    points, dump = [], {}
    for size in sizes:
        part = articles[: round(len(articles) * size / sizes[-1])]
        started = time.process_time()
        developments = group(part)
        seconds = time.process_time() - started
        points.append((len(part), seconds))
        dump[size] = [[d.id, [a.id for a in d.articles]] for d in developments]
        print(f"| {size} | {len(part)} | {len(developments)} | {seconds:.2f} |", flush=True)
    if len(points) >= 2:
        print(f"fitted exponent over {[n for n, _ in points]} articles: b = {slope(points):.2f}")
    if args.dump:
        args.dump.write_text(json.dumps(dump))
    print(f"reproduce: {COMMAND} --sizes {args.sizes}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
