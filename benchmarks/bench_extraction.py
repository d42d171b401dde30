"""Article-body extraction quality on the public scrapinghub benchmark (dev split).

brief's HTML path is run beside trafilatura (default, and favor_precision) on the same
pages in the same process; each is scored with the benchmark's own ``score.py``. The
pages are read from ``../shared/eval/extraction`` and never copied into the repo; the
script says so and exits 0 when they are absent.

    .venv/bin/python benchmarks/bench_extraction.py
    .venv/bin/python benchmarks/bench_extraction.py --worst 15 --systems brief
    .venv/bin/python benchmarks/bench_extraction.py --parts   # where brief's time goes
    .venv/bin/python benchmarks/bench_extraction.py --systems brief --halves  # 2-fold check
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
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing.extract import extract_page  # noqa: E402
from briefing.models import RawDocument, SourceKind  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval" / "extraction"
OUT = Path("/tmp/brief-bench/extraction")
Extractor = Callable[[str, bytes], str]


def brief(name: str, content: bytes) -> str:
    """What brief would brief of the page, reaching it as a saved .html inbox file."""
    raw = RawDocument(
        kind=SourceKind.INBOX, location=f"{name}.html", media_type="html", content=content
    )
    result = extract_page(raw)
    return result.article.text if result.accepted else ""


def trafilatura_default(name: str, content: bytes) -> str:
    """trafilatura.extract with its defaults, as its README runs it."""
    import trafilatura

    return trafilatura.extract(content.decode("utf-8")) or ""


def trafilatura_precision(name: str, content: bytes) -> str:
    """trafilatura.extract in its precision mode."""
    import trafilatura

    return trafilatura.extract(content.decode("utf-8"), favor_precision=True) or ""


SYSTEMS: dict[str, Extractor] = {
    "brief": brief,
    "trafilatura default": trafilatura_default,
    "trafilatura favor_precision": trafilatura_precision,
}


def load_scorer() -> ModuleType:
    """The benchmark's own score.py, imported from the shared eval folder."""
    spec = importlib.util.spec_from_file_location("extraction_score", EVAL / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_pages() -> dict[str, bytes]:
    """Every dev page's bytes by id (upstream ships them gzipped)."""
    return {
        path.name.split(".")[0]: gzip.decompress(path.read_bytes())
        for path in sorted((EVAL / "html").glob("*.html.gz"))
    }


def run(extractor: Extractor, pages: dict[str, bytes]) -> tuple[dict[str, dict], float]:
    """Predictions for every page and the CPU time per page (steadier than wall time on a shared machine)."""
    extractor("warm-up", next(iter(pages.values())))  # imports are not per-page cost
    start = time.process_time()
    predictions = {name: {"articleBody": extractor(name, page)} for name, page in pages.items()}
    return predictions, (time.process_time() - start) / len(pages)


# Where brief's time per page goes: (label, module, function) wrapped for --parts.
PARTS = (
    ("parse", "briefing.extract_html", "parse_html"),
    ("dates", "briefing.extract_html", "date_from_html"),
    ("hidden-text pass", "briefing.extract_html", "drop_hidden"),
    ("trafilatura reading", "briefing.extract_html", "body_text"),
    ("injection filter", "briefing.extract", "quarantine"),
    ("language", "briefing.extract", "detect_language"),
)


def parts(pages: dict[str, bytes]) -> str:
    """CPU ms per page of each part of brief's extraction (after one warm-up pass)."""
    import importlib
    import logging

    logging.disable(logging.WARNING)  # pages with hidden passages warn; not what we time
    spent: dict[str, float] = {}

    def timed(label: str, function: Callable[..., object]) -> Callable[..., object]:
        def wrapper(*args: object, **kwargs: object) -> object:
            start = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.process_time() - start
        return wrapper

    for label, module_name, name in PARTS:
        module = importlib.import_module(module_name)
        setattr(module, name, timed(label, getattr(module, name)))
    _, per_page = run(brief, pages)
    spent.clear()
    _, per_page = run(brief, pages)
    rest = per_page * len(pages) - sum(spent.values())
    cells = [f"{label} {seconds / len(pages) * 1000:.1f}" for label, seconds in spent.items()]
    return (f"brief, CPU ms per page: total {per_page * 1000:.1f} = " + ", ".join(cells)
            + f", the rest {rest / len(pages) * 1000:.1f}")


def half_of(page_id: str) -> int:
    """0 or 1: a fixed split of the pages (parity of the id's SHA-1) for 2-fold checks."""
    return int(hashlib.sha1(page_id.encode()).hexdigest(), 16) % 2


def halves(scorer: ModuleType, truth: dict[str, dict], predictions: dict[str, dict]) -> str:
    """brief's P/R/F1 on each half, so a change can be kept only if it hurts neither."""
    lines = ["| half | pages | P | R | F1 |", "|---|---|---|---|---|"]
    for part in (0, 1):
        ids = [page_id for page_id in truth if half_of(page_id) == part]
        result = scorer.evaluate({i: truth[i] for i in ids}, {i: predictions[i] for i in ids})
        lines.append(f"| {part} | {len(ids)} | {result['precision']:.4f} | "
                     f"{result['recall']:.4f} | {result['f1']:.4f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the side-by-side table and the command that reproduces it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--systems", default=",".join(SYSTEMS), help="comma-separated")
    parser.add_argument("--worst", type=int, default=10, help="brief's worst pages to list")
    parser.add_argument("--halves", action="store_true",
                        help="also score brief on the two halves split by page-id hash parity")
    parser.add_argument("--parts", action="store_true",
                        help="only print where brief's time per page goes")
    args = parser.parse_args(argv)
    if not (EVAL / "ground-truth-dev.json").exists():
        print(f"skipped: no benchmark data at {EVAL}")
        return 0
    if args.parts:
        print(parts(load_pages()))
        return 0
    scorer = load_scorer()
    truth = json.loads((EVAL / "ground-truth-dev.json").read_text(encoding="utf8"))
    pages = load_pages()
    OUT.mkdir(parents=True, exist_ok=True)
    rows, results = [], {}
    for name in args.systems.split(","):
        predictions, seconds = run(SYSTEMS[name.strip()], pages)
        (OUT / f"{name.strip().replace(' ', '_')}.json").write_text(json.dumps(predictions))
        result = scorer.evaluate(truth, predictions)
        results[name] = result
        rows.append(
            f"| {name} | {result['precision']:.3f} | {result['recall']:.3f} | "
            f"{result['f1']:.3f} | {result['accuracy']:.3f} | {result['empty']} | "
            f"{seconds * 1000:.1f} |"
        )
    print(f"{len(pages)} dev pages of {EVAL}")
    print("| system | P | R | F1 | accuracy | empty | ms per page |")
    print("|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    if "brief" in results and args.halves:
        print("\n" + halves(scorer, truth, json.loads((OUT / "brief.json").read_text())))
    if "brief" in results and args.worst:
        print(f"\nbrief's {args.worst} worst pages:")
        print(scorer.format_worst(scorer.worst(results["brief"], args.worst)))
    print(f"\npredictions in {OUT}; command: .venv/bin/python benchmarks/bench_extraction.py")
    return 0


if __name__ == "__main__":
    sys.exit(main())
