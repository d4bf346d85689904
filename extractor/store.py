"""The SQLite database: its schema (the contract other tools rely on) and how it is written.

Each article's row and its raw extraction are written in one transaction, as
soon as the article is done, so an interrupted run loses nothing finished. The
merged fact tables are derived data: they are rebuilt in one transaction from
the stored extractions after every run.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

import sqlite_utils

from extractor.merge import Merged
from schemas import ArticleExtraction

ARTICLE_COLUMNS = {
    "id": str, "path": str, "title": str, "outlet": str, "published": str, "text": str,
    "status": str, "error": str, "model": str, "prompt_version": str, "attempts": int,
    "prompt_tokens": int, "completion_tokens": int, "cached_tokens": int, "seconds": float,
    "raw_chars": int, "text_chars": int, "dropped_items": int, "extracted_at": str,
}

FACT_TABLES = {
    "summits": ({"id": str, "title": str, "date": str, "location": str, "host_country": str, "talks_duration": str,
                 "sources": int, "disputed": int}, []),
    "people": ({"id": str, "name": str, "country": str, "aliases": str}, []),
    "participants": ({"id": str, "summit_id": str, "person_id": str, "title": str, "sources": int},
                     [("summit_id", "summits", "id"), ("person_id", "people", "id")]),
    "delegation_members": ({"id": str, "summit_id": str, "person_id": str, "country": str, "role": str, "sources": int},
                           [("summit_id", "summits", "id"), ("person_id", "people", "id")]),
    "missile_launches": ({"id": str, "summit_id": str, "date": str, "count": int, "missile_type": str, "range_class": str,
                          "launch_site": str, "landing_area": str, "reported_by": str, "sources": int, "disputed": int},
                         [("summit_id", "summits", "id")]),
    "sanctions_statements": ({"id": str, "summit_id": str, "speaker_id": str, "speaker": str, "organization": str,
                              "country": str, "stance": str, "quote": str, "sources": int},
                             [("summit_id", "summits", "id"), ("speaker_id", "people", "id")]),
    "outcomes": ({"id": str, "summit_id": str, "kind": str, "description": str, "sources": int}, [("summit_id", "summits", "id")]),
    "evidence": ({"id": str, "fact_table": str, "fact_id": str, "article_id": str, "quote": str, "start": int, "end": int},
                 [("article_id", "articles", "id")]),
    "conflicts": ({"id": str, "summit_id": str, "fact_table": str, "fact_id": str, "field": str, "value": str,
                   "article_id": str, "quote": str}, [("summit_id", "summits", "id"), ("article_id", "articles", "id")]),
}
INDEXES = {
    "participants": [["summit_id"], ["person_id"]],
    "delegation_members": [["summit_id"], ["person_id"]],
    "missile_launches": [["summit_id"]],
    "sanctions_statements": [["summit_id"], ["speaker_id"]],
    "outcomes": [["summit_id"]],
    "evidence": [["fact_table", "fact_id"], ["article_id"]],
    "conflicts": [["summit_id"], ["fact_table", "fact_id"], ["article_id"]],
    "extractions": [["article_id"]],
}


def open_database(path: str) -> sqlite_utils.Database:
    """Open (and create if needed) a database; WAL lets Datasette read while a run writes."""
    db = sqlite_utils.Database(path)
    db.execute("PRAGMA busy_timeout = 30000")
    db.enable_wal()
    db.execute("PRAGMA foreign_keys = ON")
    ensure_schema(db)
    return db


def ensure_schema(db: sqlite_utils.Database) -> None:
    with db.atomic():
        db.table("articles").create(ARTICLE_COLUMNS, pk="id", if_not_exists=True)
        db.table("extractions").create(
            {"article_id": str, "model": str, "prompt_version": str, "data": str, "created": str},
            pk=("article_id", "model", "prompt_version"),
            foreign_keys=[("article_id", "articles", "id")],
            if_not_exists=True,
        )
        for name, (columns, foreign_keys) in FACT_TABLES.items():
            db.table(name).create(columns, pk="id", foreign_keys=foreign_keys, if_not_exists=True)
        for name, indexes in INDEXES.items():
            for columns in indexes:
                db.table(name).create_index(columns, if_not_exists=True)


def stored_extraction(db: sqlite_utils.Database, article_id: str, model: str, prompt_version: str) -> ArticleExtraction | None:
    """A finished extraction of this exact text by this model and prompt version, if there is one."""
    rows = list(db.query(
        "select data from extractions e join articles a on a.id = e.article_id "
        "where e.article_id = ? and e.model = ? and e.prompt_version = ? and a.status = 'ok'",
        [article_id, model, prompt_version],
    ))
    return ArticleExtraction.model_validate_json(rows[0]["data"]) if rows else None


def save_article(db: sqlite_utils.Database, row: dict, extraction: ArticleExtraction | None) -> None:
    """Write one article's row and (if any) its extraction together, or neither."""
    row = {**row, "extracted_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    with db.atomic():
        db.table("articles").upsert(row, pk="id", alter=True)
        if extraction is not None:
            db.table("extractions").upsert(
                {"article_id": row["id"], "model": row["model"], "prompt_version": row["prompt_version"],
                 "data": extraction.model_dump_json(), "created": row["extracted_at"]},
                pk=("article_id", "model", "prompt_version"),
            )


def current_extractions(db: sqlite_utils.Database, article_ids: list[str], model: str, prompt_version: str) -> dict[str, ArticleExtraction]:
    """The extractions the merged tables are built from: this model and prompt version, these articles."""
    placeholders = ",".join("?" * len(article_ids))
    rows = db.query(
        f"select article_id, data from extractions where model = ? and prompt_version = ? and article_id in ({placeholders})",
        [model, prompt_version, *article_ids],
    )
    return {row["article_id"]: ArticleExtraction.model_validate_json(row["data"]) for row in rows}


def write_merged(db: sqlite_utils.Database, merged: Merged) -> dict[str, int]:
    """Replace every fact table with the merged rows in one transaction; returns rows per table."""
    counts = {}
    with db.atomic():
        for name in reversed(list(FACT_TABLES)):
            db.execute(f"delete from [{name}]")
        for name in FACT_TABLES:
            rows = [{**row, "aliases": json.dumps(row["aliases"])} if "aliases" in row else row for row in merged.tables.get(name, [])]
            db.table(name).upsert_all(rows, pk="id")
            counts[name] = db.table(name).count
    return counts
