"""Sentence splitting and cross-language grouping per language, on our own fixtures.

    .venv/bin/python benchmarks/bench_languages.py

Prints, per language: the sentences of the mixed-language example day
(examples/inbox-multilingual) and the split accuracy on hand-marked sentences
(benchmarks/data/language_sentences.json: each language's sentences, written by us and
joined as a paragraph; a sentence counts as right when it comes back exactly). Then the
grouping outcome for each pair of reports in the example day and in the grouping
fixtures (tests/fixtures/grouping): same event or not, and whether ``briefing.group`` put
them together. Last, DUC 2006 dev pairs (English, read in place from ../shared) judged
the way a pair in two scripts is, on names' skeletons, numbers and dates alone: how well
that view tells one topic from two at the unchanged threshold (skipped without the data).
"""

from __future__ import annotations

import json
import sys
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from briefing.extract import extract_document  # noqa: E402
from briefing.group import SAME_EVENT, group  # noqa: E402
from briefing.models import Article, RawDocument, SourceKind  # noqa: E402
from briefing.sentences import split_sentences  # noqa: E402

INBOX = ROOT / "examples" / "inbox-multilingual"
MARKED = ROOT / "benchmarks" / "data" / "language_sentences.json"
COMMAND = ".venv/bin/python benchmarks/bench_languages.py"
MEDIA = {".txt": "text", ".md": "markdown", ".json": "json", ".html": "html"}
# the example day's events, by file-name prefix (its README says the same)
EVENTS = {"coastwire": "latakia", "lepointdumonde": "latakia", "alsahil": "latakia",
          "hafenblatt": "hamburg", "diariodelpuerto": "hamburg",
          "dongfangribao": "aid", "reliefbulletin": "cholera"}
UNSPACED = {"zh", "ja"}
FIXTURES = [ROOT / "tests" / "fixtures" / "grouping" / name
            for name in ("languages.json", "cross_language.json")]


def example_articles() -> list[Article]:
    """The example day's articles, extracted as `brief today` would."""
    out = []
    for path in sorted(INBOX.iterdir()):
        if path.suffix in MEDIA and path.name != "README.md":
            raw = RawDocument(kind=SourceKind.INBOX, location=str(path),
                              media_type=MEDIA[path.suffix], content=path.read_bytes())
            article = extract_document(raw)
            out.append(article.model_copy(update={"id": path.stem, "content_hash": path.stem}))
    return out


def split_accuracy() -> list[tuple[str, int, int, int]]:
    """Per language: sentences marked, sentences returned, marked ones returned exactly."""
    rows = []
    for language, marked in json.loads(MARKED.read_text(encoding="utf-8")).items():
        joined = ("" if language in UNSPACED else " ").join(marked)
        got = split_sentences(joined)
        rows.append((language, len(marked), len(got), sum(1 for s in marked if s in got)))
    return rows


def pair_outcomes(articles: list[Article]) -> list[tuple[str, str, bool, bool]]:
    """Each pair: the two files, same event or not, grouped together or not."""
    label = {}
    for number, dev in enumerate(group(articles)):
        for article in dev.articles:
            label[article.id] = number
    event = {a.id: EVENTS[a.id.split("-")[0]] for a in articles}
    return [(a.id, b.id, event[a.id] == event[b.id], label[a.id] == label[b.id])
            for a, b in combinations(articles, 2)]


def fixture_pairs() -> list[tuple[str, str, bool, bool, float]]:
    """Each pair of the grouping fixtures, briefed as a two-article inbox: the two keys,
    same event or not (same key prefix), grouped or not, and the evidence it was judged on."""
    from briefing.group import _similarities

    out = []
    for path in FIXTURES:
        table = json.loads(path.read_text(encoding="utf-8"))
        articles = [Article(id=k, content_hash=k, title=v["title"], text=v["text"],
                            language=v["language"]) for k, v in table.items()]
        for a, b in combinations(articles, 2):
            together = len(group([a, b])) == 1
            value = _similarities([a, b]).get((0, 1), 0.0)
            out.append((a.id, b.id, a.id.split("_")[0] == b.id.split("_")[0], together, value))
    return out


def duc_shared_view() -> tuple[int, int, int, int] | None:
    """DUC dev pairs (English) judged as a cross-script pair would be: on names'
    skeletons, numbers and dates alone. Same-topic pairs merged, of all; different-topic
    pairs merged, of all. None when the DUC data is absent."""
    from bench_grouping import articles_of, load_eval

    from briefing.linkage import evidence
    from briefing.terms import shared_view, term_vectors

    ev = load_eval()
    if ev is None:
        return None
    pool, _ = ev.load_pool("dev")
    merged = {"same": 0, "diff": 0}
    total = {"same": 0, "diff": 0}
    for job in ev.draw_jobs(pool, ["pairs"]):
        a, b = (shared_view(v) for v in term_vectors(articles_of(job.docs), skeletons=True))
        total[job.kind] += 1
        merged[job.kind] += evidence(a, b) >= SAME_EVENT
    return merged["same"], total["same"], merged["diff"], total["diff"]


def news_day_rates() -> tuple[int, float, float, float] | None:
    """Publication-date dev pages (../shared/eval/dates, read in place): how many name
    their own publication day, the day before, and a day 20-100 days away (mean of five),
    as date terms of their extracted text. None when the data is absent."""
    import gzip
    from datetime import date, timedelta

    from briefing.terms import _TOKEN, _dates

    root = ROOT.parent / "shared" / "eval" / "dates"
    if not (root / "ground-truth-dev.json").exists():
        return None
    truth = json.loads((root / "ground-truth-dev.json").read_text(encoding="utf-8"))
    n, own, before, far = 0, 0, 0, 0.0
    for page, item in sorted(truth.items()):
        if not item["date"]:
            continue
        raw = RawDocument(kind=SourceKind.INBOX, location=page, media_type="html", url=item["url"],
                          content=gzip.decompress((root / "html" / f"{page}.html.gz").read_bytes()))
        try:
            article = extract_document(raw)
        except Exception:  # a page brief refuses (too short, not an article) names no day
            continue
        text = article.title + "\n" + article.text
        named = set(_dates(_TOKEN.findall(text), text))
        day = date.fromisoformat(item["date"][:10])

        def term(d: date) -> str:
            return f"@{d.month}-{d.day}"

        n += 1
        own += term(day) in named
        before += term(day - timedelta(days=1)) in named
        far += sum(term(day + timedelta(days=k)) in named for k in (20, 40, 60, 80, 100)) / 5
    return n, own / n, before / n, far / n


def main() -> None:
    """Print the three tables and the command that reproduces them."""
    articles = example_articles()
    print("Sentences per article of the example day")
    for a in articles:
        print(f"  {a.language or '?':3} {len(split_sentences(a.text)):3}  {a.id}")
    print("\nSplit accuracy on hand-marked sentences (language, marked, returned, exact)")
    rows = split_accuracy()
    for language, marked, got, exact in rows:
        print(f"  {language:3} {marked:3} {got:3} {exact:3}  {exact / marked:.0%}")
    total, right = sum(r[1] for r in rows), sum(r[3] for r in rows)
    print(f"  all {total:3}     {right:3}  {right / total:.0%}")
    print("\nGrouping of each pair of reports (same event? grouped?)")
    language = {a.id: a.language for a in articles}
    wrong = 0
    for a, b, same, together in pair_outcomes(articles):
        if same or together:
            verdict = "ok" if same == together else "WRONG"
            wrong += verdict == "WRONG"
            print(f"  {language[a]}/{language[b]}  same={same!s:5} grouped={together!s:5} "
                  f"{verdict:5} {a} + {b}")
    print(f"  pairs of different events kept apart unless listed; wrong pairs: {wrong}")
    print("\nGrouping fixture pairs, each alone as a two-article inbox (evidence; merge at "
          f"{SAME_EVENT})")
    pairs = fixture_pairs()
    for a, b, same, together, value in pairs:
        if same or together or value >= SAME_EVENT / 2:
            verdict = "ok" if same == together else "WRONG"
            print(f"  same={same!s:5} grouped={together!s:5} {value:.3f} {verdict:5} {a} + {b}")
    apart = sum(1 for _, _, same, together, _ in pairs if not same and not together)
    print(f"  different-event pairs kept apart: {apart} of {sum(1 for p in pairs if not p[2])}")
    shared = duc_shared_view()
    if shared is None:
        print("\nDUC pairs on names, numbers and dates alone: skipped (../shared absent)")
    else:
        same, same_n, diff, diff_n = shared
        print("\nDUC dev pairs judged on names' skeletons, numbers and dates alone (as a pair in "
              f"two scripts is): same-topic merged {same}/{same_n}, different-topic {diff}/{diff_n}")
    rates = news_day_rates()
    if rates is None:
        print("\nDates named on their own publication day: skipped (../shared absent)")
    else:
        n, own, before, far = rates
        print(f"\nDated dev pages naming (as a date term) their publication day {own:.3f}, the "
              f"day before {before:.3f}, a day 20-100 days away {far:.4f} ({n} pages)")
    print(f"\nReproduce: {COMMAND}")


if __name__ == "__main__":
    main()
