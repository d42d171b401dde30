"""ROUGE of the extractive backend against Lead and LexRank baselines, side by side.

Input is multi-document news clusters with a reference summary, one JSON object a line:
``{"id": "...", "documents": ["text", ... or {"title": ..., "text": ...}], "summary": "..."}``.
Multi-News files can be used as they are published (``--multinews SRC TGT``: documents
joined by "|||||" in the source file, one reference per line in the target file).

Every system gets the same word budget; scores are ROUGE-1/2/L F1 (rouge-score, stemmed).
The bundled sample (benchmarks/data/sample_clusters.jsonl, our own prose) only shows the
harness works; it is far too small to compare with published figures.

    python benchmarks/eval_summaries.py [--data FILE | --multinews SRC TGT] [--words 250]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from briefing.backends.extractive import ExtractiveBackend
from briefing.group import group
from briefing.models import Article, SummaryOptions
from briefing.text import split_sentences, words

HERE = Path(__file__).resolve().parent
Cluster = dict[str, Any]


def load_jsonl(path: Path) -> Iterator[Cluster]:
    """Clusters from our JSONL format."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def load_multinews(source: Path, target: Path) -> Iterator[Cluster]:
    """Clusters from Multi-News's published source/target files."""
    with source.open(encoding="utf-8") as src, target.open(encoding="utf-8") as tgt:
        for index, (documents, summary) in enumerate(zip(src, tgt, strict=False)):
            texts = [d.replace("NEWLINE_CHAR", "\n").strip() for d in documents.split("|||||")]
            yield {"id": str(index), "documents": [t for t in texts if t],
                   "summary": summary.strip().lstrip("– ").strip()}


def _articles(cluster: Cluster) -> list[Article]:
    articles = []
    for i, doc in enumerate(cluster["documents"]):
        title, text = (doc.get("title", ""), doc["text"]) if isinstance(doc, dict) else ("", doc)
        paragraphs = [p.strip() for p in text.replace("\r", "").split("\n") if p.strip()]
        title = title or (paragraphs[0][:100] if paragraphs else f"document {i}")
        articles.append(Article(id=f"d{i}", title=title, text="\n\n".join(paragraphs)))
    return articles


def _budget(sentences: list[str], limit: int) -> str:
    out: list[str] = []
    count = 0
    for sentence in sentences:
        if count >= limit:
            break
        out.append(sentence)
        count += len(sentence.split())
    return " ".join(out)


def brief_extractive(cluster: Cluster, limit: int) -> str:
    """Our backend: takeaways first, then each development's points, to the budget."""
    articles = _articles(cluster)
    summary = ExtractiveBackend().summarise(group(articles), SummaryOptions(takeaways=5))
    sentences = [s.text for s in summary.takeaways]
    for development in summary.developments:
        sentences += [p.text for p in development.points]
    return _budget(sentences, limit)


def lead(cluster: Cluster, limit: int) -> str:
    """Lead baseline: first sentences of each document in turn."""
    per_doc = [split_sentences(" ".join(a.paragraphs)) for a in _articles(cluster)]
    order = [s for rank in range(max(map(len, per_doc), default=0))
             for doc in per_doc if rank < len(doc) for s in [doc[rank]]]
    return _budget(order, limit)


class _Tokenizer:
    """Word tokenizer for sumy without NLTK's downloadable data."""

    language = "english"

    def to_words(self, sentence: str) -> list[str]:
        return words(sentence)


def lexrank(cluster: Cluster, limit: int) -> str:
    """LexRank (sumy) over all sentences of the cluster, in rank order."""
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.utils import get_stop_words

    tokenizer = _Tokenizer()
    paragraphs = [
        Paragraph([Sentence(s, tokenizer) for s in split_sentences(" ".join(a.paragraphs))])
        for a in _articles(cluster)
    ]
    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    document = ObjectDocumentModel(paragraphs)
    ranked = summarizer(document, max(1, len(document.sentences)))
    ratings = summarizer.rate_sentences(document) if hasattr(summarizer, "rate_sentences") else {}
    ordered = sorted(ranked, key=lambda s: -ratings.get(s, 0.0)) if ratings else list(ranked)
    return _budget([str(s) for s in ordered], limit)


SYSTEMS: dict[str, Callable[[Cluster, int], str]] = {
    "brief (extractive)": brief_extractive,
    "Lead": lead,
    "LexRank (sumy)": lexrank,
}


def evaluate(clusters: list[Cluster], limit: int) -> dict[str, dict[str, float]]:
    """Mean ROUGE F1 per system over the clusters, plus seconds per cluster."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    results: dict[str, dict[str, float]] = {}
    for name, system in SYSTEMS.items():
        scores: dict[str, list[float]] = {"rouge1": [], "rouge2": [], "rougeL": []}
        started = time.perf_counter()
        for cluster in clusters:
            output = system(cluster, limit)
            for metric, value in scorer.score(cluster["summary"], output).items():
                scores[metric].append(value.fmeasure)
        elapsed = time.perf_counter() - started
        results[name] = {m: 100 * statistics.fmean(v) for m, v in scores.items()}
        results[name]["s/cluster"] = elapsed / max(1, len(clusters))
    return results


def main(argv: list[str] | None = None) -> None:
    """Run the comparison and print a table with the command that reproduces it."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=HERE / "data" / "sample_clusters.jsonl")
    parser.add_argument("--multinews", nargs=2, type=Path, metavar=("SRC", "TGT"))
    parser.add_argument("--words", type=int, default=250, help="word budget for every system")
    parser.add_argument("--limit", type=int, default=0, help="evaluate the first N clusters")
    args = parser.parse_args(argv)
    clusters = list(load_multinews(*args.multinews) if args.multinews else load_jsonl(args.data))
    if args.limit:
        clusters = clusters[: args.limit]
    results = evaluate(clusters, args.words)
    print(f"{len(clusters)} clusters, {args.words}-word budget, ROUGE F1 (stemmed)")
    print(f"{'system':<22}{'R-1':>8}{'R-2':>8}{'R-L':>8}{'s/cluster':>11}")
    for name, row in results.items():
        print(f"{name:<22}{row['rouge1']:>8.2f}{row['rouge2']:>8.2f}{row['rougeL']:>8.2f}"
              f"{row['s/cluster']:>11.3f}")
    print("reproduce: python " + " ".join([sys.argv[0], *(argv or sys.argv[1:])]))


if __name__ == "__main__":
    main()
