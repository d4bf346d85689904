"""Concurrency against a latency-simulating OpenAI-compatible server on 127.0.0.1.

200 articles, every request answered after 2 s. Sequential time is measured on 10 articles and
scaled to 200 (running all 200 one at a time would take some 13 minutes); the concurrent run is
measured whole (target: under a tenth of the sequential time). A second concurrent run is made
against a server that answers 429 beyond 6 requests a second, with --max-rpm 300: target, no
rate-limit violation.

Run: .venv/bin/python -m benchmarks.bench_concurrency   (about 3 minutes)
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from extractor import pipeline
from extractor.llm import LLMSettings
from tests.fake_openai import ScriptedServer, write_articles

LATENCY = 2.0
ARTICLES = 200
SAMPLE = 10


def timed_run(server: ScriptedServer, source: Path, db: Path, **options) -> tuple[float, pipeline.RunSummary]:
    settings = LLMSettings(model="latency-test", base_url=server.base_url, timeout=30)
    started = time.monotonic()
    summary = pipeline.run(source, db, pipeline.RunOptions(settings=settings, progress=False, **options))
    return time.monotonic() - started, summary


def main() -> None:
    server = ScriptedServer().start()
    server.answer_every_question()
    server.delay = LATENCY
    try:
        with tempfile.TemporaryDirectory() as folder:
            folder = Path(folder)
            sample = write_articles(folder / "sample", SAMPLE)
            corpus = write_articles(folder / "corpus", ARTICLES)
            sequential, summary = timed_run(server, sample, folder / "sequential.db")
            estimate = sequential / SAMPLE * ARTICLES
            print(f"sequential: {SAMPLE} articles, {summary.model_calls} requests in {sequential:.1f} s "
                  f"-> {ARTICLES} articles about {estimate:.0f} s")
            concurrent, summary = timed_run(server, corpus, folder / "concurrent.db", concurrency=16)
            print(f"--concurrency 16: {ARTICLES} articles ({summary.ok} ok), {summary.model_calls} requests in {concurrent:.1f} s "
                  f"= {concurrent / estimate:.3f} of sequential (target < 0.1)")
            server.max_per_second = 6
            server.rate_violations = 0
            limited, summary = timed_run(server, corpus, folder / "limited.db", concurrency=16, max_rpm=300)
            print(f"--concurrency 16 --max-rpm 300 against a 6 requests/s limit: {summary.ok} ok in {limited:.1f} s, "
                  f"{server.rate_violations} rate-limit violations (target 0)")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
