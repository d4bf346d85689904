"""The real embedded model, end to end on one short article. Slow (model load + a few questions): marked `model`."""

import pytest

from extractor import pipeline, store

ARTICLE = """ date 2024-03-05 Leaders of Norland and Sudmark meet in Geneva
GENEVA (Reuters) - President Alma Rivera of Norland and Prime Minister Tomas Berg of Sudmark met in Geneva on Monday for three hours of talks.
Berg was accompanied by Foreign Minister Ines Holt. Rivera said the two leaders agreed to reopen the border crossing at Kell.
"Sudmark will keep its sanctions on Norland grain until the border is open," Holt said.
Rivera will visit Sudmark next month, Berg told reporters after the talks in Geneva.
"""


@pytest.mark.model
def test_the_embedded_model_extracts_a_short_article(tmp_path):
    pytest.importorskip("xllamacpp", reason="the embedded extra is not installed")
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "geneva.txt").write_text(ARTICLE, encoding="utf-8")
    db_path = tmp_path / "summit.db"
    summary = pipeline.run(tmp_path / "articles", db_path, pipeline.RunOptions(progress=False))
    assert summary.model_calls >= 3 and summary.failed == 0  # people, sanctions (one sentence names them), summit
    db = store.open_database(str(db_path))
    (article,) = db.table("articles").rows
    assert article["status"] in ("ok", "partial") and article["completion_tokens"] > 0
    people = {row["name"] for row in db.table("people").rows}
    assert people & {"Alma Rivera", "Tomas Berg"}, people
    for row in db.table("evidence").rows:
        assert article["text"][row["start"]:row["end"]] == row["quote"]
