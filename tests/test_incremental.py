"""Incremental, idempotent merging on the recorded seed run, and the merged record it gives."""

import json
import shutil

from extractor import pipeline, store
from extractor.normalize import person_key
from tests.conftest import SEED_ARTICLES, SEED_CASSETTE

FACT_TABLES = list(store.FACT_TABLES)


def snapshot(db_path):
    db = store.open_database(str(db_path))
    return {table: sorted(json.dumps(row, sort_keys=True) for row in db.table(table).rows) for table in FACT_TABLES}


def run(source, db_path, **kwargs):
    return pipeline.run(source, db_path, pipeline.RunOptions(replay=SEED_CASSETTE, progress=False, **kwargs))


def split_corpus(tmp_path):
    files = sorted(SEED_ARTICLES.glob("*.txt"))
    first, second = tmp_path / "first", tmp_path / "second"
    for folder, part in ((first, files[:2]), (second, files[2:])):
        folder.mkdir()
        for path in part:
            shutil.copy(path, folder / path.name)
    return first, second


def test_adding_articles_in_any_order_gives_the_same_record_as_all_at_once(tmp_path, seed_db):
    _, _, full_db = seed_db
    first, second = split_corpus(tmp_path)
    run(first, tmp_path / "ab.db")
    added = run(second, tmp_path / "ab.db")
    assert added.reused == 0 and added.model_calls > 0  # only the new articles were extracted
    run(second, tmp_path / "ba.db")
    run(first, tmp_path / "ba.db")
    # paths differ from the full run's, so compare the facts, which do not name paths
    assert snapshot(tmp_path / "ab.db") == snapshot(tmp_path / "ba.db") == snapshot(full_db)


def test_rerunning_unchanged_is_a_no_op(tmp_path):
    run(SEED_ARTICLES, tmp_path / "s.db")
    before = snapshot(tmp_path / "s.db")
    again = run(SEED_ARTICLES, tmp_path / "s.db")
    assert again.model_calls == 0 and again.reused == 5
    assert snapshot(tmp_path / "s.db") == before


def test_prune_removes_a_deleted_articles_contribution(tmp_path):
    folder = tmp_path / "articles"
    shutil.copytree(SEED_ARTICLES, folder)
    run(folder, tmp_path / "s.db")
    removed = sorted(folder.glob("*.txt"))[-1]
    removed.unlink()
    kept = run(folder, tmp_path / "s.db")
    db = store.open_database(str(tmp_path / "s.db"))
    assert db.table("articles").count == 5 and not kept.pruned  # without --prune nothing is forgotten
    pruned = run(folder, tmp_path / "s.db", prune=True)
    assert pruned.pruned == [str(removed)]
    assert db.table("articles").count == 4
    assert not list(db.query("select * from evidence e join articles a on a.id = e.article_id where a.path = ?", [str(removed)]))
    only_four = tmp_path / "four.db"
    run(folder, only_four)
    assert snapshot(tmp_path / "s.db") == snapshot(only_four)


def test_the_seed_record_is_one_coherent_summit(seed_db):
    db, _, _ = seed_db
    assert db.table("summits").count == 1
    leaders = list(db.query("select person_id from participants"))
    assert len(leaders) == len({row["person_id"] for row in leaders}) == 2
    keys = [person_key(row["name"]) for row in db.table("people").rows]
    assert len(keys) == len(set(keys))
    names = [set(row["name"].lower().split()) for row in db.table("people").rows]
    assert not [a for a in names for b in names if a < b], "a person appears twice, once by a shorter name"
    assert db.table("missile_launches").count == 1
    durations = {row["value"] for row in db.query("select value from conflicts where field = 'talks_duration'")}
    assert len(durations) >= 2
    copies = list(db.query("select c.path as copy, o.path as original from articles c join articles o on o.id = c.duplicate_of"))
    assert [(row["copy"][-24:-4], row["original"][-24:-4]) for row in copies] == [("002_fc8c981585371f72", "000_166bb6c87b9483b7")]
