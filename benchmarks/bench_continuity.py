"""How well continuity matches today's developments with yesterday's, on DUC 2006 clusters.

    .venv/bin/python benchmarks/bench_continuity.py [--eval ../shared/eval/duc2006] [--per-half 4]

Each DUC cluster's articles are sorted by date; the earlier ones become "yesterday's"
development, the later ones "today's". The clusters are cut into thirds A, B, C; yesterday
holds A and B, today B and C, so B continues (each should match its own cluster), C is
new (should match nothing) and A goes quiet. Three rotations put every cluster in every
role. Matching is ``briefing.continuity.match``, the function the pipeline uses; the
"before" row is the method it replaced (TF-IDF over only the two days' development
texts, cosine of whole developments, 0.15), kept here to compare in the same run.
CPU seconds are for the three rotations (each matches 22 developments, 88 articles,
with 22 earlier ones, 88 articles: about a 100-article day).

A second table makes small days, as most real ones are: for each cluster i, yesterday
holds clusters i and i+1, today i+1 and i+2 (cyclically), so an IDF learnt from those
four developments alone is as poor as it is on a quiet day.

Caveat: a DUC cluster is one topic gathered over months, not one story over two days;
topics are further apart than one region's stories on one day, and their halves less alike.
Skips cleanly when the evaluation data is absent. Reads it; copies nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing import continuity  # noqa: E402
from briefing.group import cosine, tfidf  # noqa: E402
from briefing.models import Article  # noqa: E402
from briefing.text import words  # noqa: E402

Matcher = Callable[[Sequence[Sequence[Article]], Sequence[Sequence[Article]], float],
                   dict[int, int]]


def load(eval_dir: Path, per_half: int) -> list[tuple[list[Article], list[Article]]]:
    """(earlier, later) articles of each cluster, at most ``per_half`` of each."""
    clusters = []
    for line in (eval_dir / "dev.jsonl").read_text().splitlines():
        cluster = json.loads(line)
        items = sorted(cluster["articles"], key=lambda a: (a.get("published") or "", a["id"]))
        articles = [Article(id=a["id"], title=a.get("title") or "", text=a["text"]) for a in items]
        half = len(articles) // 2
        clusters.append((articles[:half][-per_half:], articles[half:][:per_half]))
    return clusters


def before(today: Sequence[Sequence[Article]], earlier: Sequence[Sequence[Article]],
           threshold: float) -> dict[int, int]:
    """The replaced matcher: TF-IDF of each development's words over the two days only."""
    def terms(articles: Sequence[Article]) -> list[str]:
        tokens = [t for a in articles for t in words(a.title) * 2 + words(a.text)]
        return [t.casefold() for t in tokens if len(t) > 3 and not t.isdigit()]

    vectors = tfidf([terms(arts) for arts in [*today, *earlier]])
    now, then = vectors[: len(today)], vectors[len(today) :]
    scored = sorted(((cosine(a, b), i, j) for i, a in enumerate(now)
                     for j, b in enumerate(then)), reverse=True)
    pairs: dict[int, int] = {}
    for similarity, i, j in scored:
        if similarity >= threshold and i not in pairs and j not in pairs.values():
            pairs[i] = j
    return pairs


def rotation(clusters: list[tuple[list[Article], list[Article]]], shift: int,
             threshold: float, matcher: Matcher = continuity.match) -> dict[str, int]:
    """Counts for one rotation: continuing stories matched right, wrong, missed; new ones matched."""
    n = len(clusters)
    role = {i: (i + shift) % 3 for i in range(n)}  # 0: A (quiet), 1: B (continues), 2: C (new)
    yesterday = [i for i in range(n) if role[i] in (0, 1)]
    today = [i for i in range(n) if role[i] in (1, 2)]
    pairs = matcher([clusters[i][1] for i in today], [clusters[j][0] for j in yesterday],
                    threshold)
    counts = {"continuing": 0, "right": 0, "wrong": 0, "missed": 0, "new": 0, "new_matched": 0}
    for t, i in enumerate(today):
        got = yesterday[pairs[t]] if t in pairs else None
        if role[i] == 1:
            counts["continuing"] += 1
            counts["right" if got == i else "missed" if got is None else "wrong"] += 1
        else:
            counts["new"] += 1
            counts["new_matched"] += got is not None
    return counts


def small_days(clusters: list[tuple[list[Article], list[Article]]], threshold: float,
               matcher: Matcher = continuity.match) -> dict[str, int]:
    """Counts over days of two developments each: i+1 continues, i+2 is new."""
    n = len(clusters)
    counts = {"continuing": 0, "right": 0, "wrong": 0, "missed": 0, "new": 0, "new_matched": 0}
    for i in range(n):
        a, b, c = i, (i + 1) % n, (i + 2) % n
        pairs = matcher([clusters[b][1], clusters[c][1]], [clusters[a][0], clusters[b][0]],
                        threshold)
        got = pairs.get(0)
        counts["continuing"] += 1
        counts["right" if got == 1 else "missed" if got is None else "wrong"] += 1
        counts["new"] += 1
        counts["new_matched"] += 1 in pairs
    return counts


def table(title: str, score: Callable[[float, Matcher], dict[str, int]]) -> None:
    """One table: the replaced matcher, then the current one at several thresholds."""
    print(title)
    print("| SAME_STORY | continuing matched right | matched to another story | missed "
          "| new stories wrongly matched | CPU seconds |")
    print("|---|---|---|---|---|---|")
    rows: list[tuple[str, float, Matcher]] = [("before: 0.15", 0.15, before)]
    for threshold in sorted({0.1, 0.12, 0.15, 0.18, 0.2, continuity.SAME_STORY, 0.25, 0.3}):
        mark = " (used)" if threshold == continuity.SAME_STORY else ""
        rows.append((f"{threshold:.2f}{mark}", threshold, continuity.match))
    for label, threshold, matcher in rows:
        started = time.process_time()
        total = score(threshold, matcher)
        seconds = time.process_time() - started
        c, new = total["continuing"], total["new"]
        print(f"| {label} | {total['right']}/{c} ({100 * total['right'] / c:.0f}%) "
              f"| {total['wrong']}/{c} | {total['missed']}/{c} "
              f"| {total['new_matched']}/{new} ({100 * total['new_matched'] / new:.0f}%) "
              f"| {seconds:.2f} |")


def rotations(clusters: list[tuple[list[Article], list[Article]]], threshold: float,
              matcher: Matcher) -> dict[str, int]:
    """Counts summed over the three rotations of the whole split."""
    total: dict[str, int] = {}
    for shift in range(3):
        for key, value in rotation(clusters, shift, threshold, matcher).items():
            total[key] = total.get(key, 0) + value
    return total


def main() -> None:
    """Print the matching figures and the command that reproduces them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", type=Path, default=ROOT.parent / "shared" / "eval" / "duc2006")
    parser.add_argument("--per-half", type=int, default=4)
    args = parser.parse_args()
    if not (args.eval / "dev.jsonl").is_file():
        print(f"skipped: no DUC 2006 data at {args.eval}")
        return
    clusters = load(args.eval, args.per_half)
    print(f"DUC 2006 dev split: {len(clusters)} clusters, {args.per_half} articles per half")
    table("Whole split, three rotations (22 developments a day):",
          lambda t, m: rotations(clusters, t, m))
    table("Small days (two developments a day, one continuing, one new):",
          lambda t, m: small_days(clusters, t, m))
    print("command: .venv/bin/python benchmarks/bench_continuity.py")


if __name__ == "__main__":
    main()
