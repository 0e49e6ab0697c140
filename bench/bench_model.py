"""Benchmark of the model path: how long a whole report takes over HTTP.

Starts FakeOpenAIServer on 127.0.0.1 with a fixed latency per request, then drafts a
spec (by default the reference example) through the real openai client twice: one
section at a time, and every section at once. Each reply is the offline composer's
text for the section the request is about, so the validators accept it and no
revision is needed (revisions, if any, are counted and printed).

Prints wall times, the ratio parallel / one request's latency, the request count, and
the prompt size per section in characters (from Drafter.messages_for), flagging any
over the limit. The goal: with every section in parallel, the whole report takes
under 1.5 × one request's latency plus start-up.

    python bench/bench_model.py [--latency 0.5] [--spec examples/self-inspection-2021.yaml]
"""

from __future__ import annotations

import argparse
import re
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from drafter._composer import compose_section  # noqa: E402
from drafter import load_spec  # noqa: E402
from drafter._pipeline import Drafter  # noqa: E402
from drafter._spec import Report  # noqa: E402
from drafter.testing import FakeOpenAIServer  # noqa: E402

PROMPT_LIMIT = 4000


class Replies:
    """Answers each request with the composer's text for the section it is about."""

    def __init__(self, spec: Report):
        self.spec = spec
        self.good = {s.id: compose_section(spec, s) for s in spec.sections}
        self.by_topic = {s.topic: s.id for s in spec.sections}
        self.revisions = 0
        self._lock = threading.Lock()

    def __call__(self, body: dict) -> str:
        messages = body["messages"]
        if len(messages) > 2:
            with self._lock:
                self.revisions += 1
        user = next(m["content"] for m in messages if m["role"] == "user")
        m = re.search(r"牵引：(.+)", user)
        if m:
            return self.good[self.by_topic[m.group(1).strip()]]
        n = int(re.search(r"第(\d+)部分", user).group(1))
        return self.good[self.spec.sections[n - 1].id]


def prompt_chars(drafter: Drafter, spec: Report, sid: str) -> int:
    return sum(len(m["content"]) for m in drafter.messages_for(spec, sid))


def run(srv: FakeOpenAIServer, spec: Report, concurrency: int) -> tuple[float, int, int, float, int]:
    """(wall seconds, requests, revisions, seconds to the first request, errors left)."""
    replies = Replies(spec)
    srv.reset()
    srv.handler = replies
    drafter = Drafter(model="fake-model", base_url=srv.base_url, api_key="sk-bench",
                      concurrency=concurrency, on_rejected="flag", timeout=30)
    started = time.monotonic()
    draft = drafter.draft(spec)
    wall = time.monotonic() - started
    times = srv.request_times
    first = (min(times) - started) if times else float("nan")
    left = sum(p.error_count for p in draft.parts)
    return wall, len(srv.requests), replies.revisions, first, left


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--latency", type=float, default=0.5, help="seconds the server waits before each answer")
    ap.add_argument("--spec", default=str(ROOT / "examples" / "self-inspection-2021.yaml"))
    args = ap.parse_args(argv)

    import openai  # noqa: F401 - warm the import so neither run pays for it

    spec = load_spec(args.spec)
    n = len(spec.sections)
    latency = args.latency
    print(f"spec: {args.spec}  ({n} sections drafted by the model; opening and closing by the composer)")
    print(f"server latency per request: {latency:.3f} s")

    # Start-up: the same draft with no latency at all (client, prompts, validators).
    with FakeOpenAIServer() as srv:
        run(srv, spec, n)  # warm caches (templates, rules, HTTP client import paths)
        startup, *_ = run(srv, spec, n)
        srv.latency = latency
        serial, req_s, rev_s, _, left_s = run(srv, spec, 1)
        parallel, req_p, rev_p, first_p, left_p = run(srv, spec, max(n, 8))

    print()
    print(f"{'run':<26}{'wall s':>9}{'requests':>10}{'revisions':>11}{'errors left':>13}")
    print(f"{'no latency (start-up)':<26}{startup:>9.3f}")
    print(f"{'concurrency 1':<26}{serial:>9.3f}{req_s:>10}{rev_s:>11}{left_s:>13}")
    print(f"{f'concurrency {max(n, 8)}':<26}{parallel:>9.3f}{req_p:>10}{rev_p:>11}{left_p:>13}")
    print()
    print(f"serial / latency:          {serial / latency:6.2f}  (≈ {n} sections one after another)")
    print(f"parallel / latency:        {parallel / latency:6.2f}")
    print(f"speed-up serial/parallel:  {serial / parallel:6.2f}")
    print(f"first request after:       {first_p:6.3f} s")
    goal = 1.5 * latency + startup
    verdict = "MET" if parallel < goal else "NOT MET"
    print(f"goal: parallel < 1.5 × latency + start-up = {goal:.3f} s  →  {verdict} ({parallel:.3f} s)")

    print()
    drafter = Drafter(model="fake-model", base_url="http://127.0.0.1:9/v1", api_key="sk-bench")
    print(f"prompt size per section (characters, system + user; limit {PROMPT_LIMIT}):")
    over = 0
    for i, s in enumerate(spec.sections, 1):
        size = prompt_chars(drafter, spec, s.id)
        flag = "  OVER LIMIT" if size > PROMPT_LIMIT else ""
        over += bool(flag)
        print(f"  {i}. {s.id:<22}{size:>7}{flag}")
    print(f"  {over} section(s) over {PROMPT_LIMIT}")
    return 0 if parallel < goal else 1


if __name__ == "__main__":
    raise SystemExit(main())
