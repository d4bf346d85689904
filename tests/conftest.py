from pathlib import Path

import pytest

from tests.fake_openai import ScriptedServer

ROOT = Path(__file__).resolve().parent.parent
SEED_CASSETTE = ROOT / "tests" / "cassettes" / "seed_articles.yaml"
SEED_ARTICLES = ROOT / "data" / "articles"


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory):
    """The five seed articles extracted from the committed recording: (database, run summary, path)."""
    from extractor import pipeline, store

    db_path = tmp_path_factory.mktemp("seed") / "summit.db"
    summary = pipeline.run(SEED_ARTICLES, db_path, pipeline.RunOptions(replay=SEED_CASSETTE, progress=False))
    return store.open_database(str(db_path)), summary, db_path


@pytest.fixture
def scripted_server():
    server = ScriptedServer().start()
    yield server
    server.stop()
