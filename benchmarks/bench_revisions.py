"""Does a changed text at a known URL say more? ``briefing.revisions.says_more`` on DUC 2006.

    .venv/bin/python benchmarks/bench_revisions.py [--eval ../shared/eval/duc2006] [--docs 200]

Each DUC dev article (read from ../shared/eval/duc2006, nothing copied) is the briefed
version of a live page; the script makes the kinds of new version a live page gets and
counts how often each is taken as new reporting:

- news that must count: a paragraph added from a later article of the same cluster; the
  last paragraph added to the text without it; one figure of a sentence changed;
- touch-ups that must not: an "updated at" stamp whose clock changes, a block of related
  headlines (other articles' titles) appended, the text re-wrapped with extra spaces.

Prints a table of rates and the CPU time per comparison.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing.revisions import says_more, statements  # noqa: E402

Case = tuple[str, str]  # (briefed text, new text)


def load(eval_dir: Path, limit: int) -> list[tuple[list[str], list[str]]]:
    """Per cluster: the article texts in date order, and their titles."""
    clusters = []
    for line in (eval_dir / "dev.jsonl").read_text().splitlines():
        items = sorted(json.loads(line)["articles"], key=lambda a: (a.get("published") or "",
                                                                    a["id"]))
        clusters.append(([a["text"] for a in items], [a.get("title") or "" for a in items]))
    per = max(1, limit // max(1, len(clusters)))
    return [(texts[:per + 1], titles) for texts, titles in clusters]


def _paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n\n") if p.strip()]


def news_cases(clusters: list[tuple[list[str], list[str]]]) -> dict[str, list[Case]]:
    """Versions that bring news."""
    added, appended, figure = [], [], []
    for texts, _ in clusters:
        for i, text in enumerate(texts[:-1]):
            later = [p for p in _paragraphs(texts[i + 1]) if statements(p)]
            if later:
                added.append((text, text + "\n\n" + later[len(later) // 2]))
            paragraphs = _paragraphs(text)
            if len(paragraphs) >= 3 and statements(paragraphs[-1]):
                appended.append(("\n\n".join(paragraphs[:-1]), text))
            numbered = [s for s in statements(text) if re.search(r"\b\d{2,}\b", s)]
            if numbered:
                sentence = numbered[0]
                changed = re.sub(r"\b(\d{2,})\b", lambda m: str(int(m.group(1)) + 7), sentence,
                                 count=1)
                figure.append((text, text.replace(sentence, changed)))
    return {"paragraph from a later report": added, "last paragraph added": appended,
            "one figure changed": figure}


def touch_up_cases(clusters: list[tuple[list[str], list[str]]]) -> dict[str, list[Case]]:
    """Versions that bring no news."""
    stamp, related, spaced = [], [], []
    for n, (texts, _) in enumerate(clusters):
        others = [t for k, (_, titles) in enumerate(clusters) if k != n for t in titles[:3]]
        for text in texts[:-1]:
            stamp.append((f"This story was updated at 09:15 GMT.\n\n{text}",
                          f"This story was updated at 14:40 GMT.\n\n{text}"))
            related.append((text, text + "\n\nRelated stories\n\n" + "\n\n".join(others[:4])))
            spaced.append((text, text.replace(". ", ".  \n", 3).replace(" ", "  ", 5)))
    return {"updated-at clock changed": stamp, "related headlines appended": related,
            "re-wrapped, extra spaces": spaced}


def rate(cases: list[Case], judge: Callable[[str, str], bool]) -> tuple[int, float]:
    """How many of the cases were judged new, and CPU seconds in all."""
    start = time.process_time()
    hits = sum(judge(new, old) for old, new in cases)
    return hits, time.process_time() - start


def main() -> None:
    """Print the table and the command that reproduces it."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--eval", type=Path, default=ROOT.parent / "shared" / "eval" / "duc2006")
    parser.add_argument("--docs", type=int, default=200, help="about this many articles")
    args = parser.parse_args()
    if not (args.eval / "dev.jsonl").is_file():
        print(f"skipped: no DUC 2006 dev split at {args.eval}")
        return
    clusters = load(args.eval, args.docs)
    print("| new version | should count as news | counted as news | CPU ms per comparison |")
    print("|---|---|---|---|")
    for expected, groups in ((True, news_cases(clusters)), (False, touch_up_cases(clusters))):
        for name, cases in groups.items():
            hits, seconds = rate(cases, says_more)
            print(f"| {name} | {'yes' if expected else 'no'} | {hits}/{len(cases)} "
                  f"({100 * hits / max(1, len(cases)):.0f}%) "
                  f"| {1000 * seconds / max(1, len(cases)):.1f} |")
    print("command: .venv/bin/python benchmarks/bench_revisions.py")


if __name__ == "__main__":
    main()
