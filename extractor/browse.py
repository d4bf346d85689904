"""Everything Datasette needs to present the database to a reader: a view of all facts,
full-text search, metadata (descriptions, facets, labels, sort orders) and canned queries."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import sqlite_utils

from extractor.local_model import free_port

METADATA_FILE = Path(__file__).resolve().parent / "datasette-metadata.json"

# One readable line per fact, whatever its table: the join target of evidence for people reading.
FACTS_VIEW = """
select 'summits' as fact_table, id as fact_id, id as summit_id,
       coalesce(title, 'Summit') || coalesce(' at ' || location, '') || coalesce(', ' || date, '')
       || coalesce('; talks: ' || talks_duration, '') as fact, sources
from summits
union all
select 'participants', pa.id, pa.summit_id, 'Leader: ' || p.name || coalesce(', ' || pa.title, ''), pa.sources
from participants pa join people p on p.id = pa.person_id
union all
select 'delegation_members', d.id, d.summit_id,
       'Delegation of ' || coalesce(d.country, 'unknown side') || ': ' || p.name || coalesce(', ' || d.role, ''), d.sources
from delegation_members d join people p on p.id = d.person_id
union all
select 'missile_launches', id, summit_id,
       'Missile launch: ' || coalesce(count || ' x ', '') || coalesce(missile_type, 'missiles') || coalesce(', ' || date, '')
       || coalesce(', from ' || launch_site, '') || coalesce(', landed ' || landing_area, ''), sources
from missile_launches
union all
select 'sanctions_statements', id, summit_id,
       'On sanctions, ' || coalesce(speaker, organization, 'unattributed') || ' (' || stance || '): ' || quote, sources
from sanctions_statements
union all
select 'outcomes', id, summit_id, upper(substr(kind, 1, 1)) || substr(kind, 2) || ': ' || description, sources
from outcomes
"""

FULL_TEXT = {
    "articles": ["title", "text"],
    "evidence": ["quote"],
    "outcomes": ["description"],
    "sanctions_statements": ["speaker", "organization", "quote"],
}


def prepare(db: sqlite_utils.Database) -> None:
    """Create the facts view and the full-text indexes (kept current by triggers)."""
    db.create_view("facts", FACTS_VIEW, replace=True)
    for table, columns in FULL_TEXT.items():
        if not db.table(f"{table}_fts").exists():
            db.table(table).enable_fts(columns, create_triggers=True, tokenize="porter")


def metadata() -> dict:
    return json.loads(METADATA_FILE.read_text(encoding="utf-8"))


def write_metadata(db_path: str | Path) -> Path:
    """Put the metadata next to the database, for `datasette summit.db -m summit.metadata.json`."""
    db_path = Path(db_path)
    target = db_path.with_name(db_path.stem + ".metadata.json")
    data = metadata()
    data["databases"] = {db_path.stem: data["databases"]["summit"]}
    data["description_html"] = data["description_html"].replace("{db}", db_path.stem)
    target.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return target


def datasette_command(db_path: str | Path, port: int, metadata_path: Path) -> list[str]:
    executable = shutil.which("datasette", path=str(Path(sys.executable).parent)) or "datasette"
    return [executable, "serve", "-i", str(db_path), "-m", str(metadata_path), "--host", "127.0.0.1", "--port", str(port),
            "--setting", "truncate_cells_html", "300", "--setting", "facet_time_limit_ms", "500"]


def serve(db_path: str | Path, port: int | None = None) -> tuple[subprocess.Popen, str]:
    """Start Datasette read-only (immutable) on 127.0.0.1; returns the process and its URL once it answers."""
    import httpx

    port = port or free_port()
    # Immutable mode reads the database file alone, not its write-ahead log: fold the log in first.
    with sqlite3.connect(db_path, timeout=30) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    process = subprocess.Popen(datasette_command(db_path, port, write_metadata(db_path)))
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"datasette exited with status {process.returncode}")
        try:
            if httpx.get(url + "-/versions.json", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("datasette did not start within 30 s")
