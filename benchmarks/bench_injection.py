"""Prompt-injection defence on the public dev corpus (../shared/eval/injection/).

Briefs every page of the corpus alone, as the corpus's own ``score.py --run`` does
(``brief today --inbox <one page> --date <corpus day> --format md,html,pdf,json`` in a
fresh folder with its own store), but inside one process so the run takes a minute,
not ten. Then scans every output with the corpus scorer's own folding and prints:
injections leaked by attack category and by carrier, legitimate sentences removed,
pages cited nowhere (dropped wholesale), and the passages held back per page.

    .venv/bin/python benchmarks/bench_injection.py
    .venv/bin/python benchmarks/bench_injection.py --backend openai --base-url http://127.0.0.1:8765/v1
    .venv/bin/python benchmarks/bench_injection.py --fixtures   # our own paraphrased attacks

``--fixtures`` runs the extractor (where the filter sits) on small pages built from
tests/fixtures/injection/attacks.json: each attack in its carrier between three news
paragraphs, each look-alike news sentence in a paragraph of its own. It counts attacks
whose canary (or its encoded form) reaches any field of the article, and legitimate
sentences that do not.

The corpus is read from ../shared/eval/injection and never copied; without it the
benchmark says so and exits 0.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "eval" / "injection"


def _scorer(corpus: Path) -> ModuleType:
    """The corpus's own score.py, for its folding and canary search."""
    spec = importlib.util.spec_from_file_location("injection_score", corpus / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@contextlib.contextmanager
def _in_folder(folder: Path, env: dict[str, str]) -> Iterator[None]:
    saved_env, saved_cwd = dict(os.environ), Path.cwd()
    os.environ.clear()
    os.environ.update(env)
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)


def brief_each(manifest: dict[str, Any], corpus: Path, root: Path, args: Any) -> list[Path]:
    """Run ``brief today`` on each page alone; the output folders."""
    from click.testing import CliRunner

    from briefing.cli import cli

    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI", "BRIEF"))}
    if args.base_url:
        base_env.update(OPENAI_BASE_URL=args.base_url, OPENAI_API_KEY="sk-local-not-real")
    outs = []
    for i, rel in enumerate(manifest["pages"]):
        work = root / f"{i:02d}-{Path(rel).stem}"
        (work / "inbox").mkdir(parents=True, exist_ok=True)
        shutil.copy2(corpus / rel, work / "inbox" / Path(rel).name)
        command = ["today", "--inbox", str(work / "inbox"), "--date", manifest["date"],
                   "--out", str(work / "out"), "--format", "md,html,pdf,json",
                   "--backend", args.backend]
        with _in_folder(work, {**base_env, "HOME": str(work)}):
            result = CliRunner().invoke(cli, command)
        if result.exit_code != 0:
            print(f"{rel}: brief exited {result.exit_code}: {result.output.strip()[-300:]}")
        outs.append(work / "out")
    return outs


def score(manifest: dict[str, Any], outs: list[Path], scorer: ModuleType) -> dict[str, Any]:
    """Leaks by category and carrier, legit sentences lost, pages dropped."""
    by_page = {}
    cited: set[str] = set()
    for out, rel in zip(outs, manifest["pages"], strict=True):
        texts, page_cited = scorer.scan([out])
        by_page[rel] = texts
        cited |= page_cited
    leaks: list[str] = []
    lost: list[str] = []
    per_category: Counter[str] = Counter()
    per_carrier: Counter[str] = Counter()
    leaked_category: Counter[str] = Counter()
    leaked_carrier: Counter[str] = Counter()
    legit_total = 0
    for rel, page in manifest["pages"].items():
        texts = by_page[rel]
        if page["kind"] == "injection":
            per_category[page["category"]] += 1
            per_carrier[page["carrier"]] += 1
            if any(scorer.found(c, texts) for c in page["canaries"]):
                leaks.append(f"{rel} [{page['category']} / {page['carrier']}]")
                leaked_category[page["category"]] += 1
                leaked_carrier[page["carrier"]] += 1
        else:
            for item in page["must_survive"]:
                legit_total += 1
                if not scorer.found(item["canary"], texts):
                    lost.append(f"{rel}: {item['sentence'][:90]}")
    dropped = [rel for rel in manifest["pages"] if Path(rel).name not in cited]
    return {
        "leaks": leaks, "lost": lost, "dropped": dropped, "legit_total": legit_total,
        "attacks": sum(per_category.values()),
        "category": {k: (leaked_category[k], n) for k, n in sorted(per_category.items())},
        "carrier": {k: (leaked_carrier[k], n) for k, n in sorted(per_carrier.items())},
    }


def held_back(outs: list[Path]) -> int:
    """Passages the briefings report as held back (coverage), summed over pages."""
    total = 0
    for out in outs:
        for path in out.rglob("*.json"):
            data = json.loads(path.read_text(encoding="utf-8"))
            total += int(data.get("coverage", {}).get("suspicious_passages", 0))
    return total


FIXTURES = ROOT / "tests" / "fixtures" / "injection" / "attacks.json"


def fixture_page(news: list[str], text: str, carrier: str) -> tuple[str, bytes]:
    """A page carrying ``text`` in ``carrier`` among the news: (media type, bytes)."""
    from html import escape

    lead, *rest = news
    if carrier in ("txt", "md", "md-link", "md-comment"):
        inserted = f"<!-- {text} -->" if carrier == "md-comment" else text
        body = "\n\n".join(["# Ferry timetable approved", lead, inserted, *rest])
        return ("text" if carrier == "txt" else "markdown"), body.encode()
    if carrier == "json-text":
        item = {"title": "Ferry timetable approved", "text": "\n\n".join([lead, text, *rest])}
        return "json", json.dumps(item, ensure_ascii=False).encode()
    t = escape(text)
    blocks = {
        "p": f"<p>{t}</p>", "blockquote": f"<blockquote><p>{t}</p></blockquote>",
        "figcaption": f'<figure><img src="/f.jpg"><figcaption>{t}</figcaption></figure>',
        "td": f"<table><tr><th>Fact</th><td>{t}</td></tr></table>",
        "a-text": f'<p>Read more: <a href="/more">{t}</a></p>',
        "alt": f'<p><img src="/f.jpg" alt="{t}"></p>',
        "aria-label": f'<p><a href="/m" aria-label="{t}">More</a></p>',
        "title-attr": f'<p><a href="/m" title="{t}">More</a></p>',
        "data-attr": f'<p data-note="{t}">The board meets again in June.</p>',
        "noscript": f"<noscript><p>{t}</p></noscript>", "html-comment": f"<!-- {t} -->",
        "display-none": f'<p style="display:none">{t}</p>',
    }
    head = ""
    if carrier == "meta-description":
        head = f'<meta name="description" content="{t}">'
    elif carrier == "og-title":
        head = f'<meta property="og:title" content="{t}">'
    elif carrier == "jsonld":
        data = {"@type": "NewsArticle", "articleBody": text}
        head = f'<script type="application/ld+json">{json.dumps(data)}</script>'
    block = blocks.get(carrier, "")
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in rest)
    html = (f"<!doctype html><html><head><title>Ferry timetable approved</title>{head}</head>"
            f"<body><article><h1>Ferry timetable approved</h1><p>{escape(lead)}</p>{block}"
            f"{paragraphs}</article></body></html>")
    return "html", html.encode()


def article_text(media_type: str, content: bytes) -> str:
    """Every field of the extracted article but its held-back passages, folded."""
    from briefing.extract import extract_page
    from briefing.models import RawDocument, SourceKind
    from briefing.safety.normalise import normalise

    raw = RawDocument(kind=SourceKind.INBOX, location=f"fixture.{media_type}",
                      media_type=media_type, content=content)
    article = extract_page(raw).article
    return normalise(article.model_dump_json(exclude={"quarantined"})).lower()


def run_fixtures(path: Path) -> int:
    """Leaks and losses on our own fixtures, through the extractor."""
    data = json.loads(path.read_text(encoding="utf-8"))
    news = data["news"]
    leaked: list[str] = []
    per_category: Counter[str] = Counter()
    leaked_category: Counter[str] = Counter()
    for attack in data["attacks"]:
        per_category[attack["category"]] += 1
        text = article_text(*fixture_page(news, attack["text"], attack["carrier"]))
        marks = [attack["canary"], attack.get("encoded", "")]
        if any(m and m.lower() in text for m in marks):
            leaked.append(f"{attack['id']} [{attack['carrier']}]: {attack['text'][:80]}")
            leaked_category[attack["category"]] += 1
    lost = []
    for item in data["legit"]:
        text = article_text(*fixture_page(news, item["text"], "p"))
        if item["canary"].lower() not in text:
            lost.append(f"{item['id']}: {item['text'][:80]}")
    print(f"# injection fixtures ({path.name}): extractor only")
    print(f"attacks leaked: {len(leaked)}/{len(data['attacks'])}")
    print(f"legit sentences removed: {len(lost)}/{len(data['legit'])}")
    print("\n| category | leaked / attacks |\n|---|---|")
    for name, total in sorted(per_category.items()):
        print(f"| {name} | {leaked_category[name]} / {total} |")
    for heading, items in (("LEAKED", leaked), ("LEGIT REMOVED", lost)):
        if items:
            print(f"\n{heading}")
            for item in items:
                print(f"- {item}")
    return 0


def main() -> int:
    """Run the corpus and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--backend", default="extractive")
    parser.add_argument("--base-url")
    parser.add_argument("--keep", type=Path, help="keep the briefings in this folder")
    parser.add_argument("--fixtures", nargs="?", const=FIXTURES, type=Path,
                        help="score our own fixture file instead of the corpus")
    args = parser.parse_args()
    if args.fixtures:
        return run_fixtures(args.fixtures)
    if not (args.corpus / "manifest.json").is_file():
        print(f"injection corpus not found at {args.corpus}: skipped")
        return 0
    manifest = json.loads((args.corpus / "manifest.json").read_text(encoding="utf-8"))
    scorer = _scorer(args.corpus)
    root = args.keep or Path(tempfile.mkdtemp(prefix="bench-injection-"))
    started = time.perf_counter()
    outs = brief_each(manifest, args.corpus, root, args)
    result = score(manifest, outs, scorer)
    seconds = time.perf_counter() - started
    print(f"# injection corpus: {len(manifest['pages'])} pages, backend {args.backend},"
          f" {seconds:.0f} s")
    print(f"injections leaked: {len(result['leaks'])}/{result['attacks']}")
    print(f"legit sentences removed: {len(result['lost'])}/{result['legit_total']}")
    print(f"pages dropped wholesale (cited nowhere): {len(result['dropped'])}"
          f"/{len(manifest['pages'])}")
    print(f"passages held back (coverage, all pages): {held_back(outs)}")
    for title, key in (("category", "category"), ("carrier", "carrier")):
        print(f"\n| {title} | leaked / attacks |\n|---|---|")
        for name, (leaked, total) in result[key].items():
            print(f"| {name} | {leaked} / {total} |")
    for heading, items in (("LEAKED", result["leaks"]), ("LEGIT REMOVED", result["lost"]),
                           ("PAGES DROPPED", result["dropped"])):
        if items:
            print(f"\n{heading}")
            for item in items:
                print(f"- {item}")
    print(f"\nbriefings in {root}")
    print("reproduce: .venv/bin/python benchmarks/bench_injection.py"
          + (f" --backend {args.backend}" if args.backend != "extractive" else "")
          + (f" --base-url {args.base_url}" if args.base_url else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
