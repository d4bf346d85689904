"""The OpenAI Batch API path, against the fake server's Files and Batches endpoints."""

import json

from click.testing import CliRunner

from extractor import pipeline, store
from extractor.cli import cli
from extractor.llm import LLMSettings
from tests.fake_openai import completion, valid_answer, write_articles


def options(server, **kwargs):
    settings = LLMSettings(model="batch-model", base_url=server.base_url, api_key="sk-test", timeout=5, transport_attempts=1)
    return pipeline.RunOptions(settings=settings, progress=False, batch=True, poll_seconds=0.01, **kwargs)


def test_a_batch_is_submitted_then_collected_by_the_next_run(scripted_server, tmp_path):
    articles = write_articles(tmp_path / "articles", 3)
    scripted_server.answer_every_question()
    db_path = tmp_path / "s.db"

    first = pipeline.run(articles, db_path, options(scripted_server))
    assert first.batches_submitted == ["batch-1"] and first.batches_waiting == ["batch-1"]
    assert first.ok == 0 and scripted_server.requests == []  # nothing answered yet, nothing asked one by one
    lines = scripted_server.files["file-1"].decode().splitlines()
    assert len(lines) == 6  # people and summit for each article (nothing mentions missiles or sanctions)
    assert {json.loads(line)["body"]["response_format"]["type"] for line in lines} == {"json_schema"}

    second = pipeline.run(articles, db_path, options(scripted_server))  # still running: nothing resubmitted
    assert second.batches_submitted == [] and second.batches_waiting == ["batch-1"]

    third = pipeline.run(articles, db_path, options(scripted_server))
    assert third.ok == 3 and third.batches_waiting == [] and third.batches_submitted == []
    db = store.open_database(str(db_path))
    assert next(db.query("select status, collected from batches"))["collected"] == 1
    assert db.table("participants").count == 1 and db.table("question_costs").count == 6  # one leader in each fake answer

    fourth = pipeline.run(articles, db_path, options(scripted_server))
    assert fourth.reused == 3 and fourth.batches_submitted == [] and len(scripted_server.batches) == 1


def test_wait_polls_until_the_batch_is_answered(scripted_server, tmp_path):
    articles = write_articles(tmp_path / "articles", 2)
    scripted_server.answer_every_question()
    scripted_server.batch_polls = 3
    summary = pipeline.run(articles, tmp_path / "s.db", options(scripted_server, wait=True))
    assert summary.ok == 2 and summary.batches_submitted == ["batch-1"] and summary.batches_waiting == []


def test_an_invalid_answer_in_a_batch_makes_its_article_partial(scripted_server, tmp_path):
    articles = write_articles(tmp_path / "articles", 1)

    def answer(request):
        if request["response_format"]["json_schema"]["name"] == "SummitAnswer":
            return completion('{"summit": "not an object"}')
        return valid_answer(request)

    scripted_server.answer(answer)
    summary = pipeline.run(articles, tmp_path / "s.db", options(scripted_server, wait=True))
    assert summary.partial == 1
    db = store.open_database(str(tmp_path / "s.db"))
    assert next(db.query("select error from articles"))["error"].startswith("summit:")


def test_batch_needs_a_remote_model(tmp_path):
    write_articles(tmp_path / "articles", 1)
    result = CliRunner().invoke(cli, ["run", str(tmp_path / "articles"), "--db", str(tmp_path / "s.db"), "--batch"])
    assert result.exit_code == 2 and "--batch needs a remote API" in result.output
