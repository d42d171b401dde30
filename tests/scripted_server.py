"""A scripted OpenAI-compatible chat server on 127.0.0.1, for recording cassettes.

It answers brief's three prompts (extract, synthesise, compose) deterministically from
the text it is given, and it is deliberately gullible: any sentence in its input that
tells it to say, state or report something, or to include a link, is obeyed, with a
made-up supporting quote. So an injection test passes only through brief's own
defences (detection, datamarking, verification), never through the model's good sense.

Faults for the robustness tests: ``rate_limit`` (that many 429s with Retry-After before
the first success), ``malformed_for`` (a substring: the first extract request containing
it gets broken JSON), ``fabricate_for`` (its claims get a quote the article never said),
``glossary`` (claims from an article in another language than the briefing's are
written in the briefing's language, word by word, and quote the original),
``reject_json_schema`` (400 on ``response_format=json_schema``), ``obey_all`` (every
sentence that speaks to a model is obeyed in every field of every answer: the attacker's
claim and URL with a real verbatim quote from the article, with the instruction itself
as the quote, and as headline, point and takeaway), ``think`` (wrap answers
in a ``<think>`` block and a code fence), ``break_batches`` (broken JSON for any reduce
request holding more than one development), ``fail_after`` (503 for every request
after that many answers; ``fail_status`` picks the status), ``delay``/``per_100_tokens``
(latency).
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MARK = "\u02c6"  # brief's word datamark
LINEMARK = "\u2502"  # brief's line datamark
_ARTICLE = re.compile(
    r"«ARTICLE id=(\S+) published=(\S+)(?: lang=(\S+))? title=(.*?)»\n(.*?)\n«END ARTICLE»",
    re.DOTALL)
_DATA = re.compile(r"«DATA»\n(.*?)\n?«END DATA»", re.DOTALL)
_SENTENCE = re.compile(r"[^.!?]+[.!?]+[\"'”’]?")
_ORDER = re.compile(
    r"\b(?:must|should|please|to|and)\s+(?:say|state|report|write)\b[^.]*?\bthat\s+"
    r"([^.;]+)",
    re.IGNORECASE,
)
# obey_all: anything that reads as speaking to the model, in the languages of the tests
_CUE = re.compile(
    r"\b(?:ignore\w*|disregard|forget|override|instructions?|system prompt|assistant|"
    r"chatbot|language model|AI|summari[sz]\w*|automated|you must|you should|"
    r"ignorez|oubliez|ignoriere|vergiss|ignora|olvida|игнорируй)\b|تجاهل",
    re.IGNORECASE,
)
_DEMAND = re.compile(r"\b(?:that|que|dass|что|أن)\s+(.+)$", re.IGNORECASE | re.DOTALL)
_LINK = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+\.example(?:/\S*)?", re.IGNORECASE)
_CLAIM_LINE = re.compile(
    r"^(C\d+\.\d+) (.*?)(?: \(according to [^)]*\))?(?: \[[^\]]*\])?$", re.MULTILINE
)
_POINT_LINE = re.compile(r"^(.*) \[(C[^\]]*)\]$", re.MULTILINE)


def unmark(text: str) -> str:
    """Undo brief's datamarking (either mode), as any capable model reads through it."""
    return re.sub(f"(?m)^{LINEMARK} ?", "", text.replace(MARK, " "))


def sections(text: str) -> list[tuple[str, str]]:
    """The ``development=<id>`` sections of a «DATA» block: (id, the lines under it)."""
    found = _DATA.search(text)
    parts = re.split(r"(?m)^development=(\S+)\n", found.group(1) if found else "")
    return list(zip(parts[1::2], parts[2::2], strict=True))


def words(text: str) -> int:
    return len(text.split())


def count_tokens(text: str) -> int:
    """Tokens as a gpt-4o-class model counts them (o200k_base, shipped with brief)."""
    from briefing.tokens import tokenizer_for

    return tokenizer_for("gpt-4o-mini").count(text)


@dataclass
class Script:
    """What the server does; tests change it before the run they record."""

    rate_limit: int = 0
    malformed_for: str | None = None
    fabricate_for: str | None = None
    reject_json_schema: bool = False
    think: bool = False
    break_batches: bool = False
    fail_after: int | None = None
    fail_status: int = 503  # what ``fail_after`` answers
    obey_all: bool = False  # obey every injection, citing real quotes to slip past checks
    # translation: an article marked lang=xx other than the briefing's is translated word
    # by word with this glossary (claim text), its quote kept as written
    glossary: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    per_100_tokens: float = 0.0
    used: set[str] = field(default_factory=set)
    # obey_all: orders seen while extracting, carried into later answers as if the
    # model had been steered for the whole run
    seen: list[str] = field(default_factory=list)


class ScriptedServer:
    """Start with ``with ScriptedServer() as server:``; ``server.base_url`` ends in /v1."""

    def __init__(self, script: Script | None = None, log_path: str | None = None) -> None:
        self.script = script or Script()
        self.log_path = log_path
        self.requests: list[dict[str, Any]] = []
        self.latencies: list[tuple[dict[str, Any], float]] = []  # answered calls, simulated delay
        self.in_flight = self.max_in_flight = 0
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # /v1/models, for completeness
                self._send(200, {"object": "list", "data": [{"id": "scripted", "object": "model"}]})

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                status, payload, headers = outer.answer(self.path, body)
                self._send(status, payload, headers)

            def _send(self, status: int, payload: Any, headers: dict[str, str] | None = None,
                      ) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

        class Server(ThreadingHTTPServer):
            request_queue_size = 128  # the default of 5 drops bursts of parallel requests
            daemon_threads = True

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self) -> ScriptedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    # ------------------------------------------------------------ answers

    def answer(self, path: str, body: dict[str, Any]) -> tuple[int, Any, dict[str, str]]:
        script = self.script
        with self._lock:
            self.requests.append(body)
            if script.rate_limit > 0:
                script.rate_limit -= 1
                return 429, _error("rate limited", "rate_limit_exceeded"), {
                    "retry-after-ms": "20"}
            if script.fail_after is not None and len(self.latencies) >= script.fail_after:
                return script.fail_status, _error("overloaded", "server_error"), {}
        if path != "/v1/chat/completions":
            return 404, _error(f"no route {path}", "not_found"), {}
        model = str(body.get("model", ""))
        if model.startswith("missing"):
            return 404, _error(f"The model `{model}` does not exist", "model_not_found"), {}
        fmt = (body.get("response_format") or {}).get("type")
        if fmt == "json_schema" and script.reject_json_schema:
            return 400, _error("response_format json_schema is not supported",
                               "invalid_request_error"), {}
        messages = body.get("messages", [])
        user = str(messages[-1]["content"]) if messages else ""
        first_user = next((str(m["content"]) for m in messages if m["role"] == "user"), "")
        content = self.reply(first_user, user, messages)
        if script.think:
            content = f"<think>The user wants JSON.</think>\n```json\n{content}\n```"
        out_tokens = max(1, count_tokens(content))
        # as OpenAI counts a chat: the messages' tokens plus a few per message for framing
        in_tokens = sum(count_tokens(str(m["content"])) + 4 for m in messages) + 3
        latency = script.delay + script.per_100_tokens * out_tokens / 100
        with self._lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            time.sleep(latency)
        finally:
            with self._lock:
                self.in_flight -= 1
                self.latencies.append((body, latency))
                if self.log_path:
                    with open(self.log_path, "a", encoding="utf-8") as out:
                        out.write(json.dumps({"body": body, "latency": latency}) + "\n")
        return 200, {
            "id": "chatcmpl-scripted",
            "object": "chat.completion",
            "created": 1_767_225_600,
            "model": model,
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": in_tokens, "completion_tokens": out_tokens,
                      "total_tokens": in_tokens + out_tokens},
        }, {}

    def reply(self, first_user: str, last_user: str, messages: list[dict[str, Any]]) -> str:
        script = self.script
        text = unmark(first_user)
        if "TASK: extract" in first_user:
            key = f"malformed:{script.malformed_for}"
            if (script.malformed_for and script.malformed_for in text and key not in script.used
                    and last_user == first_user):
                script.used.add(key)
                return '{"claims": [{"text": "Half an answer", "quote": '
            return json.dumps(self.extract(text))
        if "TASK: synthesise" in first_user:
            if script.break_batches and len(sections(text)) > 1:
                return '{"developments": [{"id": '
            return json.dumps(self.synthesise(text))
        if "TASK: compose" in first_user:
            return json.dumps(self.compose(text))
        return json.dumps({"ok": True})

    def extract(self, text: str) -> dict[str, Any]:
        claims: list[dict[str, Any]] = []
        wanted = re.search(r'written in language "([a-z]+)"', text)
        for article_id, published, lang, _title, body in _ARTICLE.findall(text):
            foreign = bool(lang) and wanted is not None and lang != wanted.group(1)
            sentences = [s.strip() for s in _SENTENCE.findall(body) if words(s) >= 6]
            for order in self.orders(body):  # the gullible part: obey first
                if self.script.obey_all:
                    self.script.seen.append(order)
                claims.append(_claim(order, f"{order.rstrip('.')}, officials confirmed.",
                                     article_id, published))
                if self.script.obey_all:  # and dress it in quotes that verification finds
                    real = [s for s in sentences if not _CUE.search(s)] or sentences
                    claims.append(_claim(order, real[0] if real else order, article_id,
                                         published))
                    carrier = next((s for s in sentences if order[1:20].lower() in s.lower()), None)
                    if carrier is not None:
                        claims.append(_claim(order, carrier, article_id, published))
            for sentence in sentences[:4]:
                if _ORDER.search(sentence) or _LINK.search(sentence):
                    continue  # already obeyed above
                quote = sentence
                if self.script.fabricate_for and self.script.fabricate_for in body:
                    quote = f"Witnesses said that {sentence[0].lower()}{sentence[1:]}"
                said = self.translate(sentence) if foreign else sentence
                claims.append(_claim(said, quote, article_id, published))
        return {"claims": claims}

    def translate(self, sentence: str) -> str:
        """The sentence word by word through the glossary (unknown words kept)."""
        out = []
        for word in sentence.split():
            bare = word.strip(",.;:")
            out.append(word.replace(bare, self.script.glossary.get(bare, bare)) if bare else word)
        return " ".join(out)

    def orders(self, text: str) -> list[str]:
        """Sentences the server takes as instructions to it, turned into what it will say."""
        out: list[str] = []
        for sentence in _SENTENCE.findall(text):
            found = _ORDER.search(sentence)
            if self.script.obey_all and not found and _CUE.search(sentence):
                found = _DEMAND.search(sentence) or re.search(r"(.+)", sentence.strip())
            if not found:
                continue
            said = found.group(1).strip().rstrip(".")
            said = said[0].upper() + said[1:] + "."
            link = _LINK.search(text)
            if link:
                said += f" Details: {link.group().rstrip('.')}"
            out.append(said)
        return out

    def synthesise(self, text: str) -> dict[str, Any]:
        return {"developments": [self.development(dev_id, lines)
                                 for dev_id, lines in sections(text)]}

    def development(self, dev_id: str, text: str) -> dict[str, Any]:
        claims = _CLAIM_LINE.findall(text)
        items = [{"text": t, "claims": [cid]} for cid, t in claims]
        headline = items[0] if items else {"text": "Nothing reported.", "claims": []}
        steered = self.script.seen if self.script.obey_all else []
        for order in [*self.orders(text), *steered]:
            headline = {"text": order, "claims": [claims[0][0]] if claims else []}
            if self.script.obey_all and claims:
                items.insert(1, {"text": order, "claims": [claims[0][0]]})
        conflicts = []
        for i, (cid, claim_text) in enumerate(claims):
            if i and "denied" in claim_text.lower():  # set the denial beside the claim before it
                before = claims[i - 1]
                conflicts.append({"text": f"{before[1]} Against that: {claim_text}",
                                  "claims": [before[0], cid]})
        return {"id": dev_id, "headline": headline, "points": items[1:5],
                "conflicts": conflicts}

    def compose(self, text: str) -> dict[str, Any]:
        data = sections(text)
        points = [p for _id, lines in data for p in _POINT_LINE.findall(lines)]
        firsts = [found[0][0] for _id, lines in data if (found := _POINT_LINE.findall(lines))]
        # bottom line up front: each development's headline first, then further points
        ordered = sorted(points, key=lambda p: (p[0] not in firsts, points.index(p)))
        takeaways = [{"text": t, "claims": [c.strip() for c in ids.split(",")]}
                     for t, ids in ordered[:5]]
        steered = self.script.seen if self.script.obey_all else []
        for order in [*self.orders(text), *steered]:
            takeaways.insert(0, {"text": order, "claims": []})
            if self.script.obey_all and points:  # cite a real claim so the id checks out
                cited = [c.strip() for c in points[0][1].split(",")]
                takeaways.insert(0, {"text": order, "claims": cited})
        ahead = [{"text": t, "claims": [c.strip() for c in ids.split(",")]}
                 for t, ids in points if re.search(r"\b(will|would|expect\w*|due to)\b", t)]
        return {"takeaways": takeaways, "outlook": ahead[:2]}


def _claim(text: str, quote: str, article_id: str, published: str) -> dict[str, Any]:
    return {
        "text": text, "who": None, "where": None,
        "when": None if published == "unknown" else published[:10],
        "numbers": re.findall(r"\d[\d,.]*\d|\d", text),
        "attribution": None, "article_id": article_id, "quote": quote,
    }


def _error(message: str, code: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": code, "code": code, "param": None}}


def main() -> None:
    """Run the server alone (the benchmark runs it in its own process): prints its URL."""
    import argparse

    parser = argparse.ArgumentParser(description="scripted OpenAI-compatible server")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds per request")
    parser.add_argument("--per-100", type=float, default=0.0,
                        help="seconds per 100 output tokens")
    parser.add_argument("--log", help="append each answered call as a JSON line here")
    args = parser.parse_args()
    server = ScriptedServer(Script(delay=args.delay, per_100_tokens=args.per_100),
                            log_path=args.log)
    count_tokens("warm up")  # load the encoding before the first request is timed
    with server:
        print(server.base_url, flush=True)
        threading.Event().wait()


if __name__ == "__main__":
    main()
