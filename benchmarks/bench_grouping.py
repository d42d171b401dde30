"""Grouping quality on real news (DUC 2006 dev clusters) next to grouping speed.

    .venv/bin/python benchmarks/bench_grouping.py [--sizes pairs,n3,n5,day37,n200,n800,all]
    .venv/bin/python benchmarks/bench_grouping.py --cli      # the same through `brief today`

The inboxes are those of ``../shared/eval/duc2006/eval_grouping.py`` (same seeds, same
draws, same metrics: its functions are imported, its data is read in place and never
copied). By default each inbox goes straight to ``briefing.group.group`` as Articles, which
takes seconds instead of minutes and times grouping alone; ``--cli`` runs the evaluation
script itself, which briefs every inbox end to end. Determinism is checked by grouping
each of the n200 inboxes again in shuffled order with other article ids' order.

Speed on the generated 10,000-article day stays in ``bench_pipeline.py`` (its planted
events are separable by construction, so it measures speed, not quality). Skips cleanly
when the DUC data is absent.
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import random
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
EVAL = ROOT.parent / "shared" / "eval" / "duc2006" / "eval_grouping.py"
COMMAND = ".venv/bin/python benchmarks/bench_grouping.py"


def load_eval() -> ModuleType | None:
    """The DUC grouping evaluation module, or None when the data is not there."""
    if not EVAL.exists():
        return None
    spec = importlib.util.spec_from_file_location("eval_grouping", EVAL)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["eval_grouping"] = module  # its dataclasses look themselves up here
    spec.loader.exec_module(module)
    return module


def articles_of(docs: list[Any], order_seed: int | None = None) -> list[Any]:
    """Articles as extraction would hand them to grouping (English newswire)."""
    from briefing.models import Article

    docs = list(docs)
    if order_seed is not None:
        random.Random(order_seed).shuffle(docs)
    return [
        Article(id=d.id, title=d.title, text=d.text, content_hash=d.id, site=d.site, language="en")
        for d in docs
    ]


def group_job(job: Any, order_seed: int | None = None) -> dict[str, Any]:
    """Group one inbox in-process; the result in the shape eval_grouping expects."""
    from briefing.group import group

    articles = articles_of(job.docs, order_seed)
    started = time.perf_counter()
    developments = group(articles)
    seconds = time.perf_counter() - started
    groups = sorted(sorted(a.id for a in dev.articles) for dev in developments)
    return {"seconds": seconds, "sitrep_ok": True, "groups": groups, "unplaced": [], "rc": 0}


def fit_exponent(points: list[tuple[int, float]]) -> float:
    """Least-squares slope of log(seconds) on log(n)."""
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(max(s, 1e-6)) for _, s in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den if den else 0.0


def run_in_process(ev: ModuleType, sizes: list[str]) -> int:
    """Every inbox grouped in this process; prints eval_grouping's table and bar."""
    pool, dropped = ev.load_pool("dev")
    jobs = ev.draw_jobs(pool, sizes)
    started = time.monotonic()
    for job in jobs:
        job.result = group_job(job)
    reruns = [j for j in jobs if j.size == "n200"] or [max(jobs, key=lambda j: len(j.docs))]
    same = all(
        group_job(j, order_seed=k)["groups"] == j.result["groups"] for k, j in enumerate(reruns)
    )
    rows = ev.summarise(jobs)
    det = {"size": reruns[0].size, "docs": len(reruns[0].docs), "same_grouping": same,
           "same_text": same}
    ev.report(rows, det, "dev", sum(len(v) for v in pool.values()), dropped)
    print(f"({len(jobs)} inboxes grouped in {time.monotonic() - started:.1f} s, in-process)")
    print()
    print("| size | inboxes | docs | gold clusters | developments | ARI | purity | group s |")
    print("|---|---|---|---|---|---|---|---|")
    for size, r in rows.items():
        print(f"| {size} | {r['inboxes']} | {r['docs_per_inbox']:.0f} | {r['gold_clusters']:.1f} | "
              f"{r['developments']:.1f} | {r['ari']:.2f} | {r['purity']:.2f} | "
              f"{r['seconds']:.3f} |")
    if "pairs" in rows:
        r = rows["pairs"]
        print(f"\npairs: same-cluster merged {r['same_merged']:.0%}, "
              f"different-cluster merged {r['diff_merged']:.0%}")
    points = [(round(r["docs_per_inbox"]), r["seconds"]) for s, r in rows.items()
              if s in ("day37", "n200", "n800", "all")]
    if len(points) >= 2:
        print(f"grouping time exponent over {[n for n, _ in points]} articles: "
              f"b = {fit_exponent(points):.2f}")
    ok, line = ev.bar_line(rows, det)
    print(line)
    print(f"reproduce: {COMMAND} --sizes {','.join(sizes)}")
    return 0 if ok else 1


def main() -> int:
    """Parse flags and run the chosen evaluation."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="pairs,n3,n5,day37,n200,n800,all")
    parser.add_argument("--cli", action="store_true", help="run eval_grouping.py through brief")
    args = parser.parse_args()
    ev = load_eval()
    if ev is None:
        print(f"skipped: {EVAL} not found (the DUC 2006 dev split is read in place)")
        return 0
    if args.cli:
        cmd = [sys.executable, str(EVAL), "--sizes", args.sizes, "--bar"]
        print("running:", " ".join(cmd))
        return subprocess.run(cmd, cwd=ROOT, check=False).returncode
    return run_in_process(ev, [s for s in args.sizes.split(",") if s])


if __name__ == "__main__":
    sys.exit(main())
