"""Build the whole database from the committed recording of a real model run, with no model running."""

import json

import pytest
import yaml

from extractor import pipeline, store
from extractor.articles import read_article
from tests.conftest import SEED_ARTICLES, SEED_CASSETTE
from tests.test_store import check_contract


@pytest.fixture
def replayed(seed_db):
    return seed_db


def recorded_answers():
    """The model's answers as the cassette holds them."""
    cassette = yaml.safe_load(SEED_CASSETTE.read_text(encoding="utf-8"))
    for interaction in cassette["interactions"]:
        body = json.loads(interaction["response"]["body"]["string"])
        yield json.loads(body["choices"][0]["message"]["content"])


def test_every_article_is_extracted_from_the_recording(replayed):
    db, summary, _ = replayed
    assert summary.failed == 0 and summary.ok + summary.partial == 5
    assert summary.model_calls == len(list(recorded_answers()))
    check_contract(db)


def test_the_database_holds_the_people_the_recording_names(replayed):
    db, _, _ = replayed
    aliases = {alias for row in db.table("people").rows for alias in json.loads(row["aliases"])}
    texts = [read_article(path).text for path in sorted(SEED_ARTICLES.glob("*.txt"))]
    named = {item["name"] for answer in recorded_answers() for item in answer.get("leaders", [])}
    grounded = {name for name in named if any(name in text for text in texts)}
    assert grounded, "the recording names no leader found in the articles"
    from extractor.normalize import split_title
    assert {split_title(name)[0] for name in grounded} <= aliases


def test_every_evidence_quote_is_verbatim_at_its_offsets(replayed):
    db, _, _ = replayed
    texts = {row["id"]: row["text"] for row in db.table("articles").rows}
    rows = list(db.table("evidence").rows)
    assert rows
    for row in rows:
        assert texts[row["article_id"]][row["start"]:row["end"]] == row["quote"]


def test_every_fact_has_evidence_and_sources_count_articles(replayed):
    db, _, _ = replayed
    for table in ("summits", "participants", "delegation_members", "missile_launches", "sanctions_statements", "outcomes"):
        for row in db.table(table).rows:
            independent = {r["origin"] for r in db.query(
                "select coalesce(a.duplicate_of, a.id) as origin from evidence e join articles a on a.id = e.article_id "
                "where e.fact_table = ? and e.fact_id = ?", [table, row["id"]])}
            assert independent and row["sources"] == len(independent), (table, row)


def test_a_rerun_reuses_stored_results_without_calling_the_model(replayed, tmp_path):
    db, _, db_path = replayed
    before = {table: db.table(table).count for table in store.FACT_TABLES}
    summary = pipeline.run(SEED_ARTICLES, db_path, pipeline.RunOptions(replay=tmp_path / "absent.yaml", progress=False))
    assert summary.model_calls == 0 and summary.reused == 5
    assert summary.facts == before
