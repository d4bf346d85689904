import json

from click.testing import CliRunner

from extractor import store
from extractor.cli import cli
from extractor.evaluate import evaluate
from schemas import ArticleExtraction
from tests.conftest import ROOT

GOLD = ROOT / "data" / "gold"
GOLD_FILE = GOLD / "003_fe7a581b38a7864e.json"


def as_extraction(gold: dict) -> ArticleExtraction:
    """An extraction that says exactly what the gold file says (evidence is not scored)."""
    def items(table, defaults):
        return [{**defaults, **item, "evidence": "stands for a quote"} for item in gold.get(table, [])]
    person = {"title": None, "country": None, "role": None}
    return ArticleExtraction.model_validate({
        "summit": {**gold["summit"], "evidence": "stands for a quote", "title": None},
        "leaders": items("leaders", person),
        "delegation_members": items("delegation_members", person),
        "missile_launches": items("missile_launches", {"range_class": None, "landing_area": None, "reported_by": None}),
        "sanctions_statements": items("sanctions_statements", {"stance": "other", "quote": "stands for a quote"}),
        "outcomes": items("outcomes", {}),
    })


def database(tmp_path, extraction):
    db = store.open_database(str(tmp_path / "s.db"))
    row = {"id": "a3", "path": "data/articles/003_fe7a581b38a7864e.txt", "status": "ok", "model": "m", "prompt_version": "v", "text": "x"}
    store.save_article(db, row, extraction)
    return db


def test_an_extraction_equal_to_gold_scores_one(tmp_path):
    gold = json.loads(GOLD_FILE.read_text())
    report = evaluate(database(tmp_path, as_extraction(gold)), GOLD)
    assert report.articles == 1
    for score in report.tables.values():
        assert (score.precision, score.recall) == (1.0, 1.0)
    assert all(value == 1.0 for value in report.field_accuracy().values())


def test_missing_and_invented_people_lower_recall_and_precision(tmp_path):
    gold = json.loads(GOLD_FILE.read_text())
    members = gold["delegation_members"]
    gold["delegation_members"] = members[1:] + [{"name": "Invented Person", "country": "Russia", "role": None}]
    gold["delegation_members"][0]["name"] = gold["delegation_members"][0]["name"].upper().replace(" ", "-")  # spelling does not matter
    score = evaluate(database(tmp_path, as_extraction(gold)), GOLD).tables["delegation_members"]
    assert score.recall == (len(members) - 1) / len(members)
    assert score.precision == (len(members) - 1) / len(members)


def test_eval_command_prints_the_table(tmp_path):
    database(tmp_path, as_extraction(json.loads(GOLD_FILE.read_text())))
    result = CliRunner().invoke(cli, ["eval", "--db", str(tmp_path / "s.db"), "--gold", str(GOLD)])
    assert result.exit_code == 0, result.output
    assert "delegation_members" in result.output and "precision" in result.output
