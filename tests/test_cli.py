import shutil

from click.testing import CliRunner

from extractor.cli import cli
from tests.conftest import SEED_ARTICLES, SEED_CASSETTE


def test_run_replays_a_recording_and_prints_a_summary(tmp_path):
    articles = tmp_path / "articles"
    shutil.copytree(SEED_ARTICLES, articles)
    (articles / "broken.txt").write_bytes(b"\xff\xfe\x00binary")
    db = tmp_path / "out.db"
    result = CliRunner().invoke(cli, ["run", str(articles), "--db", str(db), "--replay", str(SEED_CASSETTE), "--quiet"])
    assert result.exit_code == 0, result.output
    assert "1 failed" in result.output
    assert "broken.txt: " in result.output and "binary file" in result.output
    assert "facts: summits 1" in result.output
    assert db.exists()


def test_missing_input_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(cli, ["run", str(tmp_path / "nothing"), "--db", str(tmp_path / "x.db")])
    assert result.exit_code != 0
    assert "no article files found" in result.output
