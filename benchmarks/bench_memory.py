"""Peak memory of a run over a JSONL corpus, at growing corpus sizes (fake server on 127.0.0.1).

Each size runs in a fresh process, so each peak is its own. Run:
.venv/bin/python -m benchmarks.bench_memory [N ...]   (default 500 2000 4000)
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def one(count: int) -> None:
    from extractor import pipeline
    from extractor.llm import LLMSettings
    from tests.fake_openai import ScriptedServer

    server = ScriptedServer().start()
    server.answer_every_question()
    server.keep_requests = False  # the server shares this process: its log must not count
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "corpus.jsonl"
        with corpus.open("w", encoding="utf-8") as out:
            for number in range(count):
                text = (f"President Alma Rivera of Norland met Prime Minister Tomas Berg of Sudmark in Geneva, meeting {number}.\n"
                        + "Rivera said Norland and Sudmark agreed to reopen the border at Kell, Berg told reporters in Geneva.\n" * 20)
                out.write(json.dumps({"id": f"r{number}", "text": text, "published": "2024-03-05"}) + "\n")
        started = time.monotonic()
        settings = LLMSettings(model="memory-test", base_url=server.base_url, timeout=30)
        summary = pipeline.run(corpus, Path(folder) / "s.db", pipeline.RunOptions(settings=settings, progress=False, concurrency=8))
        seconds = time.monotonic() - started
    server.stop()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"articles": count, "ok": summary.ok, "corpus_mb": round(corpus_size(count), 1),
                      "peak_rss_mb": round(peak_mb, 1), "seconds": round(seconds, 1)}), flush=True)


def corpus_size(count: int) -> float:
    return count * 2150 / 1e6


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        one(int(sys.argv[2]))
    else:
        for count in [int(arg) for arg in sys.argv[1:]] or [500, 2000, 4000]:
            subprocess.run([sys.executable, "-m", "benchmarks.bench_memory", "--one", str(count)], check=True)
