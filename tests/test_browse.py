"""Datasette presentation: metadata, canned queries, full-text search, and a real headless browser."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from extractor import browse
from tests.conftest import ROOT

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def test_every_table_and_column_is_described(seed_db):
    db, _, _ = seed_db
    tables = browse.metadata()["databases"]["summit"]["tables"]
    for name in db.table_names() + db.view_names():
        if name.endswith(("_fts", "_fts_data", "_fts_idx", "_fts_docsize", "_fts_config")):
            continue
        assert tables.get(name, {}).get("description"), name
        if tables[name].get("hidden") or name == "facts":
            continue
        described = set(tables[name].get("columns", {}))
        assert set(db.table(name).columns_dict) <= described, (name, set(db.table(name).columns_dict) - described)


def test_canned_queries_run_and_find_rows(seed_db):
    db, _, _ = seed_db
    article = next(db.query("select title from articles where title is not null"))["title"]
    for name, query in browse.metadata()["databases"]["summit"]["queries"].items():
        rows = list(db.query(query["sql"], {"article": article[:20]} if ":article" in query["sql"] else {}))
        assert query["title"] and query["description"]
        assert rows, name


def test_full_text_search_finds_quotes(seed_db):
    db, _, _ = seed_db
    quote = next(db.query("select quote from evidence order by id"))["quote"]
    word = max(re.findall(r"[A-Za-z]+", quote), key=len)
    assert list(db.table("evidence").search(word))


def chromium(url: str, screenshot: Path) -> str:
    """The page's DOM after scripts ran, and a screenshot of it."""
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", f"--user-data-dir={screenshot.parent / 'chromium-profile'}",
             "--window-size=1400,1800", "--hide-scrollbars"]
    subprocess.run([CHROMIUM, *flags, f"--screenshot={screenshot}", url], check=True, capture_output=True, timeout=60)
    return subprocess.run([CHROMIUM, *flags, "--dump-dom", url], check=True, capture_output=True, text=True, timeout=60).stdout


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (scripts/test.sh installs Debian's chromium package)")
def test_a_reader_finds_delegations_and_disputes_in_a_real_browser(seed_db):
    db, _, db_path = seed_db
    ARTIFACTS.mkdir(exist_ok=True)
    process, url = browse.serve(db_path)
    try:
        home = chromium(url, ARTIFACTS / "home.png")
        assert "Delegations by side" in home and "Where the reports disagree" in home

        table = chromium(url + "summit/delegation_members", ARTIFACTS / "delegation_members.png")
        member = next(db.query("select p.name from delegation_members d join people p on p.id = d.person_id"))["name"]
        assert member in table  # the label column shows names, not ids

        disputed = chromium(url + "summit/disputed_facts", ARTIFACTS / "disputed_facts.png")
        values = [row["value"] for row in db.query("select value from conflicts")]
        assert values and all(value in disputed for value in values)
    finally:
        process.terminate()
        process.wait(10)
    for name in ("home.png", "delegation_members.png", "disputed_facts.png"):
        assert (ARTIFACTS / name).stat().st_size > 10_000
