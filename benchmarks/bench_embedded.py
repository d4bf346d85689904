"""The embedded model on the seed articles: tokens, seconds, and the model-bound floor per article.

floor = uncached prompt tokens / prompt rate + generated tokens / generation rate, with both rates
measured on this machine by the same server on a real article prompt (prompt cache off). The
pipeline's time divided by the floor is what the pipeline adds on top of the model (target <= 1.15).
Then an unchanged re-run: model calls (target 0) and seconds (target < 2 s).

Run: .venv/bin/python -m benchmarks.bench_embedded [SOURCE]   (default data/articles; about 7 minutes)
"""

from __future__ import annotations

import platform
import sys
import tempfile
import time
from pathlib import Path

import httpx

from extractor import local_model, pipeline, store
from extractor.articles import read_articles
from extractor.llm import LLMSettings
from extractor.prompts import QUESTIONS, messages_for


def calibrate(server: local_model.LocalServer, text: str) -> tuple[float, float, float]:
    """(prompt tokens/s, generated tokens/s free, generated tokens/s under a JSON schema) on one article prompt."""
    body = {"model": server.model, "messages": messages_for(text, None, QUESTIONS[0]), "max_tokens": 256,
            "temperature": 0, "cache_prompt": False}
    free = httpx.post(server.base_url + "/chat/completions", json=body, timeout=600).json()["timings"]
    schema = {"type": "json_schema", "json_schema": {"name": "PeopleAnswer", "schema": QUESTIONS[0].response_model.model_json_schema()}}
    constrained = httpx.post(server.base_url + "/chat/completions", json={**body, "response_format": schema}, timeout=600).json()["timings"]
    return free["prompt_per_second"], free["predicted_per_second"], constrained["predicted_per_second"]


def main(source: str) -> None:
    first = next(article for _, article in read_articles(source) if not isinstance(article, Exception))
    with tempfile.TemporaryDirectory() as folder, local_model.start_local_server() as server:
        prompt_rate, generation_rate, constrained_rate = calibrate(server, first.text)
        print(f"machine: {platform.machine()}, {platform.processor() or 'cpu'}; python {platform.python_version()}")
        print(f"measured: prompt {prompt_rate:.1f} tok/s, generation {generation_rate:.1f} tok/s "
              f"(under a JSON schema {constrained_rate:.1f} tok/s)")
        db_path = Path(folder) / "bench.db"
        settings = LLMSettings(model=server.model, base_url=server.base_url)
        started = time.monotonic()
        summary = pipeline.run(source, db_path, pipeline.RunOptions(settings=settings, progress=False))
        total = time.monotonic() - started
        db = store.open_database(str(db_path))
        print(f"\n{'article':<28}{'prompt':>8}{'cached':>8}{'gen':>6}{'calls':>6}{'seconds':>9}{'floor':>8}{'ratio':>7}")
        sums = [0, 0, 0, 0, 0.0, 0.0]
        for row in db.query("select path, prompt_tokens, cached_tokens, completion_tokens, attempts, seconds from articles order by path"):
            uncached = row["prompt_tokens"] - row["cached_tokens"]
            floor = uncached / prompt_rate + row["completion_tokens"] / generation_rate
            print(f"{Path(row['path']).name:<28}{row['prompt_tokens']:>8}{row['cached_tokens']:>8}{row['completion_tokens']:>6}"
                  f"{row['attempts']:>6}{row['seconds']:>9.1f}{floor:>8.1f}{row['seconds'] / floor:>7.2f}")
            for index, value in enumerate((row["prompt_tokens"], row["cached_tokens"], row["completion_tokens"], row["attempts"], row["seconds"], floor)):
                sums[index] += value
        print(f"{'all':<28}{sums[0]:>8}{sums[1]:>8}{sums[2]:>6}{sums[3]:>6}{sums[4]:>9.1f}{sums[5]:>8.1f}{sums[4] / sums[5]:>7.2f}")
        constrained_floor = sum((r["prompt_tokens"] - r["cached_tokens"]) / prompt_rate + r["completion_tokens"] / constrained_rate
                                for r in db.query("select * from articles"))
        print(f"ratio against a floor with the JSON-schema generation rate: {sums[4] / constrained_floor:.2f}")
        print(f"whole run (model start, extraction, merge, store): {total:.1f} s; articles ok {summary.ok}, partial {summary.partial}")
        started = time.monotonic()
        again = pipeline.run(source, db_path, pipeline.RunOptions(settings=settings, progress=False))
        print(f"unchanged re-run: {again.model_calls} model calls, {time.monotonic() - started:.2f} s")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "data/articles")
