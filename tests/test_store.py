import pytest

from extractor import store
from extractor.merge import merge
from schemas import ArticleExtraction

CONTRACT = {
    "articles": {"id", "path", "title", "outlet", "published", "text", "status", "error", "model", "prompt_version",
                 "attempts", "prompt_tokens", "completion_tokens", "seconds"},
    "summits": {"id", "title", "date", "location", "host_country"},
    "people": {"id", "name", "country"},
    "participants": {"id", "summit_id", "person_id", "title", "sources"},
    "delegation_members": {"id", "summit_id", "person_id", "country", "role", "sources"},
    "missile_launches": {"id", "summit_id", "date", "count", "missile_type", "launch_site", "landing_area", "sources"},
    "sanctions_statements": {"id", "summit_id", "speaker_id", "speaker", "organization", "country", "stance", "quote", "sources"},
    "outcomes": {"id", "summit_id", "kind", "description", "sources"},
    "evidence": {"id", "fact_table", "fact_id", "article_id", "quote"},
    "conflicts": {"id", "summit_id", "fact_table", "field", "value", "article_id", "quote"},
}


def check_contract(db):
    for table, columns in CONTRACT.items():
        assert db.table(table).exists(), table
        assert columns <= set(db.table(table).columns_dict), (table, columns - set(db.table(table).columns_dict))
        assert db.table(table).pks == ["id"]
    foreign = {(fk.table, fk.column, fk.other_table) for table in CONTRACT for fk in db.table(table).foreign_keys}
    assert {("participants", "person_id", "people"), ("delegation_members", "summit_id", "summits"),
            ("evidence", "article_id", "articles"), ("conflicts", "article_id", "articles")} <= foreign


def test_a_new_database_has_the_contract_tables(tmp_path):
    check_contract(store.open_database(str(tmp_path / "s.db")))


ROW = {"id": "a1", "path": "a.txt", "status": "ok", "model": "m", "prompt_version": "1-x", "text": "t"}
EXTRACTION = ArticleExtraction.model_validate({"leaders": [
    {"evidence": "Kim Jong Un met Putin.", "name": "Kim Jong Un", "title": None, "country": "North Korea"}]})


def test_an_article_and_its_extraction_are_written_together(tmp_path):
    db = store.open_database(str(tmp_path / "s.db"))
    store.save_article(db, ROW, EXTRACTION)
    assert store.attempt_status(db, "a1", "m", "1-x") == "ok"
    assert store.attempt_status(db, "a1", "m", "2-y") is None  # another prompt version re-extracts
    extractions, _ = store.merge_inputs(db)
    assert extractions == {"a1": EXTRACTION}
    assert db.table("articles").count == 1 and db.table("extractions").count == 1


def test_a_failure_while_saving_leaves_neither_row(tmp_path):
    class Unserializable:
        def model_dump_json(self):
            raise RuntimeError("disk full")

    db = store.open_database(str(tmp_path / "s.db"))
    with pytest.raises(RuntimeError):
        store.save_article(db, ROW, Unserializable())
    assert db.table("articles").count == 0 and db.table("extractions").count == 0


def test_an_edited_file_replaces_its_earlier_version_and_prune_forgets_removed_files(tmp_path):
    db = store.open_database(str(tmp_path / "s.db"))
    store.save_article(db, ROW, EXTRACTION)
    store.save_article(db, {**ROW, "id": "a1-edited"}, EXTRACTION)
    assert [row["id"] for row in db.table("articles").rows] == ["a1-edited"]
    assert db.table("extractions").count == 1
    store.save_article(db, {**ROW, "id": "b1", "path": "b.txt"}, EXTRACTION)
    assert store.prune(db, {"b.txt"}) == ["a.txt"]
    assert [row["id"] for row in db.table("articles").rows] == ["b1"]


def test_writing_merged_facts_replaces_the_previous_ones(tmp_path):
    db = store.open_database(str(tmp_path / "s.db"))
    store.save_article(db, ROW, EXTRACTION)
    facts = merge({"a1": EXTRACTION})
    first = store.write_merged(db, facts)
    second = store.write_merged(db, facts)
    assert first == second and first["people"] == 1 and first["evidence"] == 1
