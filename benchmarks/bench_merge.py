"""Merge and store: N synthetic per-article extractions merged and written (target: 10,000 in < 60 s, ~linear).

Run: .venv/bin/python -m benchmarks.bench_merge [N ...]   (default 1000 5000 10000)
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from benchmarks.synthetic import extractions
from extractor import store
from extractor.merge import merge


def measure(count: int, folder: Path) -> dict:
    db = store.open_database(str(folder / f"bench-{count}.db"))
    data = extractions(count)
    started = time.perf_counter()
    with store.writing(db):
        db.table("articles").insert_all(
            {"id": article_id, "path": f"{article_id}.txt", "status": "ok", "model": "m", "prompt_version": "v", "text": "x"}
            for article_id in data
        )
        db.table("extractions").insert_all(
            {"article_id": article_id, "model": "m", "prompt_version": "v", "data": extraction.model_dump_json(), "created": "now"}
            for article_id, extraction in data.items()
        )
    saved = time.perf_counter() - started
    started = time.perf_counter()
    loaded, _ = store.merge_inputs(db)
    merged = merge(loaded)
    counts = store.write_merged(db, merged)
    seconds = time.perf_counter() - started
    return {"articles": count, "save_s": round(saved, 2), "merge_and_write_s": round(seconds, 2),
            "per_1000_s": round(seconds / count * 1000, 2), "evidence_rows": counts["evidence"], "facts": sum(counts.values())}


def main(counts: list[int]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for count in counts:
            print(measure(count, Path(folder)), flush=True)


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [1000, 5000, 10000])
