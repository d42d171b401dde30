"""ROUGE of the extractive briefing on DUC 2006 (dev split), with and without topic focus.

Each cluster is briefed as one day's inbox of JSON items, every item dated inside the
briefed day (in the order the articles were published), through the real pipeline
(`run_today`). The summary scored is what a reader reads: the takeaways, then each
development's headline and points, repeats dropped, cut at 250 words. A second variant
hands the backend the whole cluster as one development, so the quality of sentence
selection can be read apart from the grouping's. Lead and LexRank (sumy, no topic) are
computed on the same sentences. Scores come from ../shared/eval/duc2006/score.py.

    python benchmarks/bench_duc_rouge.py [--eval ../shared/eval/duc2006] [--limit N] [--lexrank]
    python benchmarks/bench_duc_rouge.py --no-baselines --cache /tmp/duc-days   # fast loop

DUC 2006 data (NIST) is read in place and never copied; the script exits cleanly when
it is absent. Needs the `bench` extra (rouge-score, sumy).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import pickle
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

from briefing.backends.extractive import ExtractiveBackend
from briefing.config import Settings
from briefing.models import Development, Sitrep, Story, Summary, SummaryOptions
from briefing.pipeline import DayRequest, run_today
from briefing.prepare import prepare_day
from briefing.sentences import split_sentences
from briefing.text import fold, words

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_EVAL = ROOT.parent / "shared" / "eval" / "duc2006"
DAY = date(2026, 12, 1)
WORDS = 250
Cluster = dict[str, Any]
BEST_DUC = {"R-1": 40.59, "R-2": 9.50, "R-L": 37.38}


def load_clusters(folder: Path) -> Iterator[Cluster]:
    """The dev clusters, one JSON object a line."""
    with (folder / "dev.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def load_scorer(folder: Path) -> ModuleType:
    """The shared scorer, imported from its file (it is not a package)."""
    spec = importlib.util.spec_from_file_location("duc_score", folder / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def topic(cluster: Cluster) -> str:
    """The topic statement as a reader would type it: title and narrative."""
    return f"{cluster['title']}. {cluster['narrative']}"


def write_inbox(cluster: Cluster, inbox: Path) -> None:
    """One JSON item per article, dated inside DAY in publication order."""
    articles = sorted(cluster["articles"], key=lambda a: (a.get("published") or "", a["id"]))
    start = datetime.combine(DAY, datetime.min.time(), tzinfo=UTC) + timedelta(hours=1)
    step = timedelta(minutes=50)
    for i, article in enumerate(articles):
        item = {"title": article.get("title") or "", "text": article["text"],
                "site": article.get("site"), "published": (start + i * step).isoformat()}
        (inbox / f"{article['id']}.json").write_text(json.dumps(item), encoding="utf-8")


def reader_text(takeaways: list[str], sections: list[tuple[str, list[str]]]) -> str:
    """Takeaways, then each heading and its points; repeats dropped; one sentence a line."""
    seen: set[str] = set()
    lines: list[str] = []
    for text in [*takeaways, *(t for head, points in sections for t in [head, *points])]:
        if fold(text) not in seen:
            seen.add(fold(text))
            lines.append(" ".join(text.split()))
    return "\n".join(lines)


def sitrep_text(sitrep: Sitrep) -> str:
    """The briefing as the reader reads it (citation numbers live apart from the text)."""
    return reader_text([t.text for t in sitrep.takeaways],
                       [(d.headline.text, [p.text for p in d.points]) for d in sitrep.developments])


def summary_text(summary: Summary) -> str:
    """The same reading order, from a backend's summary."""
    return reader_text([t.text for t in summary.takeaways],
                       [(d.headline.text, [p.text for p in d.points]) for d in summary.developments])


def brief_runs(cluster: Cluster, work: Path) -> dict[str, str]:
    """The pipeline's briefing with and without focus, and the one-development variants."""
    inbox = work / "inbox"
    inbox.mkdir()
    write_inbox(cluster, inbox)
    out: dict[str, str] = {}
    articles = []
    for label, focus in (("brief, focus", topic(cluster)), ("brief, no focus", None)):
        settings = Settings(inbox=[inbox], out_dir=work / "out", db_path=work / "brief.db",
                            formats=["json"], backend="extractive", max_developments=100,
                            focus=focus)
        result = run_today(settings, DayRequest(day=DAY, fetch_sources=False))
        out[label] = sitrep_text(result.sitrep)
        articles = result.articles
    whole = Development(id="all", stories=[Story(articles=[a]) for a in articles])
    backend = ExtractiveBackend()
    for label, focus in (("one development, focus", topic(cluster)),
                         ("one development, no focus", None)):
        options = SummaryOptions(focus=focus, date=DAY.isoformat())
        out[label] = summary_text(backend.summarise([whole], options))
    return out


def cached_runs(cluster: Cluster, cache: Path) -> dict[str, str]:
    """The same four texts from the backend alone, on the day as grouped once and kept in
    ``cache`` (a pickle per cluster, outside the repository: DUC text is never committed).

    A fast loop for tuning selection: extraction and grouping run on the first call only,
    and verification and compose are skipped (they never change the extractive backend's
    verbatim sentences).
    """
    path = cache / f"{cluster['id']}.pickle"
    if not path.is_file():
        with tempfile.TemporaryDirectory() as tmp:
            inbox = Path(tmp) / "inbox"
            inbox.mkdir()
            write_inbox(cluster, inbox)
            settings = Settings(inbox=[inbox], out_dir=Path(tmp) / "out",
                                db_path=Path(tmp) / "brief.db", formats=["json"],
                                backend="extractive", max_developments=100)
            prepared = prepare_day(settings, DayRequest(day=DAY, fetch_sources=False))
        cache.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps((prepared.developments, prepared.articles)))
    developments, articles = pickle.loads(path.read_bytes())  # our own file, written above
    whole = Development(id="all", stories=[Story(articles=[a]) for a in articles])
    backend = ExtractiveBackend()
    out: dict[str, str] = {}
    for label, days, focus in (("brief, focus", developments, topic(cluster)),
                               ("brief, no focus", developments, None),
                               ("one development, focus", [whole], topic(cluster)),
                               ("one development, no focus", [whole], None)):
        options = SummaryOptions(focus=focus, date=DAY.isoformat())
        out[label] = summary_text(backend.summarise(days, options))
    return out


def _sentences(cluster: Cluster) -> list[list[str]]:
    by_date = sorted(cluster["articles"], key=lambda a: a.get("published") or "", reverse=True)
    return [[s for p in a["text"].split("\n") if p.strip() for s in split_sentences(p.strip())]
            for a in by_date]


def lead(cluster: Cluster) -> str:
    """First sentence of each article, newest first, then the second sentences..."""
    per_doc = _sentences(cluster)
    order = [doc[rank] for rank in range(max(map(len, per_doc), default=0))
             for doc in per_doc if rank < len(doc)]
    return "\n".join(order)


class _Tokenizer:
    """Word tokenizer for sumy without NLTK's downloadable data."""

    language = "english"

    def to_words(self, sentence: str) -> list[str]:
        return words(sentence)


def lexrank(cluster: Cluster) -> str:
    """LexRank (sumy, no topic) over every sentence of the cluster, best first."""
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.utils import get_stop_words

    tokenizer = _Tokenizer()
    document = ObjectDocumentModel([Paragraph([Sentence(s, tokenizer) for s in doc])
                                    for doc in _sentences(cluster)])
    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    # sumy returns its picks in document order; rank them as LexRank scored them
    bags = [summarizer._to_words_set(s) for s in document.sentences]
    matrix = summarizer._create_matrix(bags, summarizer.threshold, summarizer._compute_tf(bags),
                                       summarizer._compute_idf(bags))
    scores = summarizer.power_method(matrix, summarizer.epsilon)
    ranked = [s for _, s in sorted(zip(scores, document.sentences, strict=True),
                                   key=lambda pair: -pair[0])]
    return "\n".join(str(s) for s in ranked[:40])


BASELINES: dict[str, Callable[[Cluster], str]] = {"Lead": lead, "LexRank (sumy, no topic)": lexrank}
# sumy's LexRank compares every pair of a cluster's ~800 sentences in pure Python (about a
# minute per cluster here); without --lexrank the figure measured with the same scorer on
# the same clusters (../shared/eval/duc2006/README.md) is printed instead, and says so.
README_LEXRANK = {"R-1": 38.93, "R-2": 8.10, "R-L": 35.86}


def evaluate(
    folder: Path, limit: int, baselines: bool, with_lexrank: bool, cache: Path | None = None
) -> tuple[dict[str, dict[str, float]], dict[str, float]]:
    """Mean ROUGE per system over the clusters, and statistics about the runs."""
    score = load_scorer(folder)
    refs = score.load_refs(folder / "clusters")
    clusters = list(load_clusters(folder))[: limit or None]
    rows: dict[str, list[dict[str, float]]] = {}
    seconds: list[float] = []
    for cluster in clusters:
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            texts = cached_runs(cluster, cache) if cache else brief_runs(cluster, Path(tmp))
            seconds.append(time.perf_counter() - started)
        if baselines:
            texts.update({name: system(cluster) for name, system in BASELINES.items()
                          if with_lexrank or system is not lexrank})
        for name, text in texts.items():
            rows.setdefault(name, []).append(score.score_summary(text, refs[cluster["id"]]))
    table = {name: score.mean(values) for name, values in rows.items()}
    return table, {"clusters": len(clusters), "s/cluster": statistics.fmean(seconds)}


def main(argv: list[str] | None = None) -> int:
    """Print the table and the command that reproduces it."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--eval", type=Path, default=DEFAULT_EVAL, help="the duc2006 folder")
    parser.add_argument("--limit", type=int, default=0, help="only the first N clusters")
    parser.add_argument("--no-baselines", action="store_true", help="skip Lead and LexRank")
    parser.add_argument("--lexrank", action="store_true",
                        help="run sumy's LexRank too (slow), instead of quoting the data's README")
    parser.add_argument("--cache", type=Path, default=None,
                        help="selection only: keep each cluster's grouped day in this folder "
                             "(outside the repository) and re-run just the backend and scorer")
    args = parser.parse_args(argv)
    if not (args.eval / "dev.jsonl").is_file():
        print(f"skipped: no DUC 2006 data at {args.eval}")
        return 0
    table, stats = evaluate(args.eval, args.limit, not args.no_baselines, args.lexrank, args.cache)
    if not args.no_baselines and not args.lexrank and not args.limit:
        table["LexRank (sumy, no topic; README)"] = README_LEXRANK
    print(f"DUC 2006 dev, {stats['clusters']} clusters, {WORDS} words, ROUGE F1 x100 "
          f"(score.py); {stats['s/cluster']:.2f} s per cluster for the four brief runs"
          + (" (backend only, grouping cached)" if args.cache else ""))
    print(f"| {'system':<34} | R-1   | R-2   | R-L   |")
    print(f"|{'-' * 36}|-------|-------|-------|")
    for name, row in [*table.items(), ("best DUC'06 system (#24, uses the topic)", BEST_DUC)]:
        print(f"| {name:<34} | {row['R-1']:5.2f} | {row['R-2']:5.2f} | {row['R-L']:5.2f} |")
    print("reproduce: .venv/bin/python benchmarks/bench_duc_rouge.py " + " ".join(argv or sys.argv[1:]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
