"""Faults, bad input, interruptions, concurrent runs and secrets, against a real HTTP test server."""

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from extractor import pipeline, store
from extractor.llm import LLMClient, LLMError, LLMSettings
from schemas import LaunchesAnswer
from tests.conftest import ROOT
from tests.fake_openai import completion, valid_answer, write_articles
from tests.test_llm import GOOD, MESSAGES

FAKE_KEY = "sk-test-FAKE-0123456789abcdef"


def client(server, **overrides):
    settings = {"model": "scripted", "base_url": server.base_url, "timeout": 1, "max_backoff": 0.05, **overrides}
    return LLMClient(LLMSettings(**settings))


def test_a_hung_server_times_out_and_is_retried(scripted_server):
    scripted_server.answer(("hang", 2), completion(GOOD))
    started = time.monotonic()
    answer, usage = client(scripted_server).ask(MESSAGES, LaunchesAnswer)
    assert answer.missile_launches and len(scripted_server.requests) == 2
    assert 1 <= time.monotonic() - started < 5


def test_a_dropped_connection_is_retried(scripted_server):
    scripted_server.answer(("drop",), completion(GOOD))
    answer, _ = client(scripted_server).ask(MESSAGES, LaunchesAnswer)
    assert answer.missile_launches and len(scripted_server.requests) == 2


def test_retry_after_is_honoured(scripted_server):
    scripted_server.answer((429, {"error": "slow down"}, {"retry-after": "1"}), completion(GOOD))
    started = time.monotonic()
    client(scripted_server, max_backoff=30).ask(MESSAGES, LaunchesAnswer)
    assert time.monotonic() - started >= 1.0


def test_backoff_grows_without_retry_after(scripted_server):
    scripted_server.answer((503, {"error": "busy"}, {}))
    started = time.monotonic()
    with pytest.raises(LLMError, match="after 4 attempts"):
        client(scripted_server, transport_attempts=4, max_backoff=0.4).ask(MESSAGES, LaunchesAnswer)
    assert len(scripted_server.requests) == 4
    assert time.monotonic() - started >= 0.4  # three waits, bounded by max_backoff each


def options(server, **kwargs):
    return pipeline.RunOptions(settings=LLMSettings(model="scripted", base_url=server.base_url, timeout=2,
                                                    transport_attempts=2, max_backoff=0.01), progress=False, **kwargs)


def test_an_article_whose_requests_fail_is_recorded_and_the_batch_goes_on(scripted_server, tmp_path):
    articles = write_articles(tmp_path / "articles", 3)

    def flaky(request):
        if "meeting 1." in request["messages"][1]["content"]:
            return {"choices": "not a completion"}
        return valid_answer(request)


    scripted_server.answer(flaky)
    summary = pipeline.run(articles, tmp_path / "s.db", options(scripted_server))
    assert (summary.ok, summary.failed) == (2, 1)
    db = store.open_database(str(tmp_path / "s.db"))
    failed = next(db.query("select path, error from articles where status = 'failed'"))
    assert failed["path"].endswith("geneva01.txt") and "people:" in failed["error"]

    scripted_server.answer_every_question()
    again = pipeline.run(articles, tmp_path / "s.db", options(scripted_server))
    assert again.not_retried == [failed["path"]] and scripted_server.requests == []
    retried = pipeline.run(articles, tmp_path / "s.db", options(scripted_server, retry_failed=True))
    assert (retried.ok, retried.failed, retried.reused) == (3, 0, 2)


@pytest.mark.parametrize("name, content, reason", [
    ("empty.txt", b"", "empty file"),
    ("blank.txt", b" \n\t\n", "empty file"),
    ("binary.txt", bytes(range(256)), "binary file"),
    ("cp1252.txt", "Caf\u00e9 talks in Gen\u00e8ve \u2013 \u201cquoted\u201d".encode("cp1252"), "not UTF-8"),
])
def test_bad_input_gets_a_status_and_a_message_naming_the_file(scripted_server, tmp_path, name, content, reason):
    articles = write_articles(tmp_path / "articles", 1)
    (articles / name).write_bytes(content)
    scripted_server.answer_every_question()
    summary = pipeline.run(articles, tmp_path / "s.db", options(scripted_server))
    assert (summary.ok, summary.failed) == (1, 1)
    db = store.open_database(str(tmp_path / "s.db"))
    row = next(db.query("select status, error from articles where path like ?", [f"%{name}"]))
    assert row["status"] == "invalid" and name in row["error"] and reason in row["error"]


def test_a_five_megabyte_article_is_extracted_in_chunks(scripted_server, tmp_path):
    articles = tmp_path / "articles"
    articles.mkdir()
    paragraphs = [f"President Alma Rivera of Norland met Prime Minister Tomas Berg of Sudmark, session {i} of the long talks." for i in range(48_000)]
    (articles / "huge.txt").write_text("\n".join(paragraphs), encoding="utf-8")
    assert (articles / "huge.txt").stat().st_size > 5_000_000
    scripted_server.answer_every_question()
    summary = pipeline.run(articles, tmp_path / "s.db", options(scripted_server))
    assert summary.ok == 1
    people = [r for r in scripted_server.requests if r["body"]["response_format"]["json_schema"]["name"] == "PeopleAnswer"]
    assert len(people) >= 5_000_000 // 20_000
    assert any(paragraphs[-1] in r["body"]["messages"][1]["content"] for r in people)  # the end was read too
    assert all(len(r["body"]["messages"][1]["content"]) < 25_000 for r in people)  # in pieces that fit the context


def run_cli(server, articles, db_path, *extra, env=None):
    command = [sys.executable, "-m", "extractor.cli", "run", str(articles), "--db", str(db_path), "--model", "scripted",
               "--base-url", server.base_url, "--quiet", *extra]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})})


def saved(db_path) -> int:
    try:
        with sqlite3.connect(db_path, timeout=5) as connection:
            return connection.execute("select count(*) from articles where status = 'ok'").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_an_interrupted_run_loses_nothing_and_a_rerun_finishes_without_resending(scripted_server, tmp_path, sig):
    articles = write_articles(tmp_path / "articles", 6)
    db_path = tmp_path / "s.db"
    scripted_server.answer_every_question()
    scripted_server.delay = 0.15
    process = run_cli(scripted_server, articles, db_path)
    deadline = time.monotonic() + 60
    while saved(db_path) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(sig)
    _, stderr = process.communicate(timeout=30)
    if sig == signal.SIGINT:
        assert process.returncode == 130 and "interrupted" in stderr
    with sqlite3.connect(db_path) as connection:
        assert connection.execute("pragma integrity_check").fetchone()[0] == "ok"
        done = {row[0] for row in connection.execute("select path from articles where status = 'ok'")}
        assert 2 <= len(done) < 6
        assert connection.execute("select count(*) from extractions").fetchone()[0] == len(done)

    scripted_server.requests.clear()
    scripted_server.delay = 0
    rerun = run_cli(scripted_server, articles, db_path)
    stdout, stderr = rerun.communicate(timeout=60)
    assert rerun.returncode == 0, stderr
    assert f"({len(done)} re-used" in stdout
    sent = {r["body"]["messages"][1]["content"] for r in scripted_server.requests}
    for path in done:
        assert not any(f"meeting {int(path[-6:-4])}." in content for content in sent)
    with sqlite3.connect(db_path) as connection:
        assert connection.execute("select count(*) from articles").fetchone()[0] == 6


def test_two_runs_on_one_database_at_once_and_a_reader_meanwhile(scripted_server, tmp_path):
    db_path = tmp_path / "s.db"
    scripted_server.answer_every_question()
    scripted_server.delay = 0.02
    first = run_cli(scripted_server, write_articles(tmp_path / "a", 5, "Geneva"), db_path)
    second = run_cli(scripted_server, write_articles(tmp_path / "b", 5, "Vienna"), db_path)
    reads = 0
    while first.poll() is None or second.poll() is None:
        if db_path.exists():
            with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10) as reader:
                if reader.execute("select count(*) from sqlite_master where name = 'articles'").fetchone()[0]:
                    reader.execute("select count(*) from articles").fetchone()  # must not fail while runs write
                    reads += 1
        time.sleep(0.05)
    for process in (first, second):
        _, stderr = process.communicate()
        assert process.returncode == 0, stderr
    with sqlite3.connect(db_path) as connection:
        assert connection.execute("pragma integrity_check").fetchone()[0] == "ok"
        assert connection.execute("select count(*) from articles where status = 'ok'").fetchone()[0] == 10
    assert reads > 0


def test_the_api_key_is_never_written_anywhere(scripted_server, tmp_path):
    articles = write_articles(tmp_path / "articles", 2)
    scripted_server.answer((401, {"error": {"message": "invalid key"}}, {}), completion("{}"))
    cassette = tmp_path / "run.yaml"
    failing = run_cli(scripted_server, articles, tmp_path / "s.db", "--record", str(cassette), env={"OPENAI_API_KEY": FAKE_KEY})
    out1, err1 = failing.communicate(timeout=60)
    scripted_server.answer_every_question()
    ok = run_cli(scripted_server, articles, tmp_path / "s.db", "--retry-failed", env={"OPENAI_API_KEY": FAKE_KEY})
    out2, err2 = ok.communicate(timeout=60)
    assert ok.returncode == 0, err2
    headers = {name.lower(): value for name, value in scripted_server.requests[0]["headers"].items()}
    assert headers["authorization"] == f"Bearer {FAKE_KEY}"  # it was really used
    for text in (out1, err1, out2, err2):
        assert FAKE_KEY not in text
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert FAKE_KEY.encode() not in path.read_bytes(), path


def test_concurrent_articles_finish_sooner_and_keep_to_the_rate_limit(scripted_server, tmp_path):
    articles = write_articles(tmp_path / "articles", 16)
    scripted_server.answer_every_question()
    scripted_server.delay = 0.3
    scripted_server.max_per_second = 20
    started = time.monotonic()
    summary = pipeline.run(articles, tmp_path / "s.db", options(scripted_server, concurrency=8, max_rpm=900))
    elapsed = time.monotonic() - started
    assert summary.ok == 16 and summary.model_calls == 32  # people and summit questions for each
    assert elapsed < 32 * 0.3 / 3  # one at a time would take 9.6 s of server latency alone
    assert scripted_server.rate_violations == 0
