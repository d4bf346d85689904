"""The SQLite database: its schema (the contract other tools rely on) and how it is written.

Each article's row and its raw extraction are written in one transaction, as
soon as the article is done, so an interrupted run loses nothing finished. The
merged fact tables are derived data: they are rebuilt in one transaction from
the stored extractions after every run.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import datetime, timezone

import sqlite_utils

from extractor import browse
from extractor.merge import Merged
from schemas import ArticleExtraction

ARTICLE_COLUMNS = {
    "id": str, "path": str, "title": str, "outlet": str, "published": str, "text": str,
    "status": str, "error": str, "model": str, "prompt_version": str, "attempts": int,
    "prompt_tokens": int, "completion_tokens": int, "cached_tokens": int, "seconds": float,
    "raw_chars": int, "text_chars": int, "dropped_items": int, "extracted_at": str, "duplicate_of": str,
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


@contextmanager
def writing(db: sqlite_utils.Database):
    """One write transaction, its lock taken up front (BEGIN IMMEDIATE): a second run writing the
    same database waits on the busy timeout instead of failing half-way through a transaction."""
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.conn.execute("ROLLBACK")
        raise
    db.conn.execute("COMMIT")


def open_database(path: str) -> sqlite_utils.Database:
    """Open (and create if needed) a database; WAL lets Datasette read while a run writes."""
    db = sqlite_utils.Database(path)
    db.execute("PRAGMA busy_timeout = 30000")
    db.enable_wal()
    db.execute("PRAGMA foreign_keys = ON")
    ensure_schema(db)
    return db


def ensure_schema(db: sqlite_utils.Database) -> None:
    with writing(db):
        db.table("articles").create(ARTICLE_COLUMNS, pk="id", if_not_exists=True)
        db.table("batches").create(
            {"id": str, "status": str, "model": str, "prompt_version": str, "article_ids": str, "requests": int,
             "submitted_at": str, "collected": int},
            pk="id",
            if_not_exists=True,
        )
        db.table("question_costs").create(
            {"article_id": str, "question": str, "calls": int, "prompt_tokens": int, "completion_tokens": int, "cached_tokens": int},
            pk=("article_id", "question"),
            foreign_keys=[("article_id", "articles", "id")],
            if_not_exists=True,
        )
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
        browse.prepare(db)


def attempt_status(db: sqlite_utils.Database, article_id: str, model: str, prompt_version: str) -> str | None:
    """How this exact text last fared with this model and prompt version: ok, partial, failed, or None if never tried."""
    rows = list(db.query("select status from articles where id = ? and model = ? and prompt_version = ?", [article_id, model, prompt_version]))
    return rows[0]["status"] if rows else None


def save_article(db: sqlite_utils.Database, row: dict, extraction: ArticleExtraction | None, costs: dict | None = None) -> None:
    """Write one article's row, its extraction (if any) and what each question cost, together or not at all.

    An earlier version of the same file (same path, other content) is replaced.
    """
    row = {**row, "extracted_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    with writing(db):
        remove_articles(db, [r["id"] for r in db.query("select id from articles where path = ? and id != ?", [row["path"], row["id"]])])
        db.table("articles").upsert(row, pk="id", alter=True)
        db.execute("delete from question_costs where article_id = ?", [row["id"]])
        db.table("question_costs").insert_all(
            {"article_id": row["id"], "question": question, "calls": cost.calls, "prompt_tokens": cost.prompt_tokens,
             "completion_tokens": cost.completion_tokens, "cached_tokens": cost.cached_tokens}
            for question, cost in (costs or {}).items()
        )
        if extraction is not None:
            db.table("extractions").upsert(
                {"article_id": row["id"], "model": row["model"], "prompt_version": row["prompt_version"],
                 "data": extraction.model_dump_json(), "created": row["extracted_at"]},
                pk=("article_id", "model", "prompt_version"),
            )


def remove_articles(db: sqlite_utils.Database, article_ids: list[str]) -> None:
    for article_id in article_ids:
        db.execute("delete from extractions where article_id = ?", [article_id])
        db.execute("delete from question_costs where article_id = ?", [article_id])
        db.execute("delete from evidence where article_id = ?", [article_id])
        db.execute("delete from conflicts where article_id = ?", [article_id])
        db.execute("update articles set duplicate_of = null where duplicate_of = ?", [article_id])
        db.execute("delete from articles where id = ?", [article_id])


def prune(db: sqlite_utils.Database, keep_paths: set[str]) -> list[str]:
    """Remove the articles whose files are not among keep_paths; returns their paths."""
    gone = [row for row in db.query("select id, path from articles") if row["path"] not in keep_paths]
    with writing(db):
        remove_articles(db, [row["id"] for row in gone])
    return sorted(row["path"] for row in gone)


def merge_inputs(db: sqlite_utils.Database) -> tuple[dict[str, ArticleExtraction], list[dict]]:
    """Every extracted article's latest extraction, and the articles themselves (for copy detection)."""
    rows = list(db.query(
        "select a.id, a.text, a.published, e.data from articles a join extractions e "
        "on e.article_id = a.id and e.model = a.model and e.prompt_version = a.prompt_version "
        "where a.status in ('ok', 'partial') order by a.id"
    ))
    return {row["id"]: ArticleExtraction.model_validate_json(row["data"]) for row in rows}, rows


def set_copies(db: sqlite_utils.Database, copies: dict[str, str]) -> None:
    with writing(db):
        db.execute("update articles set duplicate_of = null")
        for copy, original in copies.items():
            db.execute("update articles set duplicate_of = ? where id = ?", [original, copy])


def write_merged(db: sqlite_utils.Database, merged: Merged) -> dict[str, int]:
    """Replace every fact table with the merged rows in one transaction; returns rows per table."""
    counts = {}
    with writing(db):
        for name in reversed(list(FACT_TABLES)):
            db.execute(f"delete from [{name}]")
        for name in FACT_TABLES:
            rows = [{**row, "aliases": json.dumps(row["aliases"])} if "aliases" in row else row for row in merged.tables.get(name, [])]
            db.table(name).upsert_all(rows, pk="id")
            counts[name] = db.table(name).count
    return counts
