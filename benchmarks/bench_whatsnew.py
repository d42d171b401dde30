"""What the "Since" line says about an updated story, on DUC 2006 clusters.

    .venv/bin/python benchmarks/bench_whatsnew.py [--eval ../shared/eval/duc2006]

Each DUC dev cluster (read from ../shared/eval/duc2006, nothing copied) gives several
two-day samples, its articles in date order: "yesterday's briefing" is the first two
usable sentences of four consecutive articles, "today's points" the first two of each of
the next four, in that order (the order a summary ranks by position), each marked
reported before or not as the briefing marks them (``revisions.Said``). Two rules pick
the "Since" line among today's new points:

- before: the first new point (the rule before this change);
- after: ``whatsnew.what_is_new`` (the first new point giving a figure or name
  yesterday did not, after support);
- most new facts: the new point with the most such facts (a rule tried and dropped).

Scored: how often the line gives a figure or a name yesterday's did not (what the rule
aims at, so the "after" figure checks the code more than the idea), the share of its
content words found in the cluster's four human reference summaries (an independent
proxy for "informative": what the assessors judged worth saying), and its length.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing.models import Point  # noqa: E402
from briefing.revisions import Said, statements  # noqa: E402
from briefing.sentences import terms  # noqa: E402
from briefing.whatsnew import facts, what_is_new  # noqa: E402

PER_DAY, LEAD = 4, 2


def samples(cluster: dict[str, Any]) -> list[tuple[list[str], list[Point]]]:
    """(yesterday's statements, today's marked points) for consecutive article windows."""
    items = sorted(cluster["articles"], key=lambda a: (a.get("published") or "", a["id"]))
    leads = [statements(a["text"])[:LEAD] for a in items]
    out = []
    for start in range(0, len(leads) - 2 * PER_DAY + 1, PER_DAY):
        earlier = [s for lead in leads[start:start + PER_DAY] for s in lead]
        said = Said(earlier)
        points = [Point(text=s, sources=[k], seen_before=said.says(s))
                  for k, lead in enumerate(leads[start + PER_DAY:start + 2 * PER_DAY])
                  for s in lead]
        out.append((earlier, points))
    return out


def main() -> None:
    """Print the table and the command that reproduces it."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--eval", type=Path, default=ROOT.parent / "shared" / "eval" / "duc2006")
    args = parser.parse_args()
    if not (args.eval / "dev.jsonl").is_file():
        print(f"skipped: no DUC 2006 dev split at {args.eval}")
        return
    rules = ("before", "after", "most new facts")
    score = {rule: [0, 0, 0.0, 0] for rule in rules}  # n, with a new fact, ref share, words
    differ = 0
    for raw in (args.eval / "dev.jsonl").read_text().splitlines():
        cluster = json.loads(raw)
        reference = set(terms(" ".join(cluster["references"])))
        for earlier, points in samples(cluster):
            fresh = [p for p in points if not p.seen_before]
            if not fresh:
                continue
            news = what_is_new(points, earlier)
            assert news is not None
            known = facts(" ".join(earlier)) | {w.casefold() for w in " ".join(earlier).split()}
            differ += news.text != fresh[0].text
            most = max(fresh, key=lambda p: len(facts(p.text) - known)).text
            for rule, text in zip(rules, (fresh[0].text, news.text, most), strict=True):
                content = terms(text)
                row = score[rule]
                row[0] += 1
                row[1] += bool(facts(text) - known)
                row[2] += sum(t in reference for t in content) / max(1, len(content))
                row[3] += len(text.split())
    n = score["before"][0]
    print(f"DUC 2006 dev: {n} two-day samples ({PER_DAY} articles a day, {LEAD} lead sentences"
          f" each); before and after chose different lines in {differ}")
    print("| Since line | gives a figure or name yesterday did not | content words in the"
          " references | mean words |")
    print("|---|---|---|---|")
    for rule, (count, fresh_fact, share, words) in score.items():
        print(f"| {rule} | {fresh_fact}/{count} ({100 * fresh_fact / max(1, count):.0f}%) "
              f"| {100 * share / max(1, count):.1f}% | {words / max(1, count):.1f} |")
    print("command: .venv/bin/python benchmarks/bench_whatsnew.py")


if __name__ == "__main__":
    main()
