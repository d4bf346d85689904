"""Score per-article extractions against hand-written gold annotations.

Each article's stored extraction (before merging) is compared with
``data/gold/<article file stem>.json``. Items are paired one-to-one, leniently:
names by their spelling-independent key (case, diacritics, titles, hyphens and
romanization spacing do not matter), outcomes by kind and similar description,
launches by count and type. Precision, recall and F1 are micro-averaged over
articles.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils
from rapidfuzz import fuzz

from extractor import normalize
from schemas import ArticleExtraction

TABLES = ("leaders", "delegation_members", "missile_launches", "sanctions_statements", "outcomes")


@dataclass
class Score:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


@dataclass
class Report:
    articles: int = 0
    tables: dict[str, Score] = field(default_factory=lambda: {table: Score() for table in TABLES})
    speakers: Score = field(default_factory=Score)  # sanctions statements by a named person
    fields: dict[str, list[bool]] = field(default_factory=dict)  # per-field correctness of matched items
    evidence_total: int = 0
    evidence_verbatim: int = 0
    dropped_items: int = 0

    def field_accuracy(self) -> dict[str, float]:
        return {name: sum(values) / len(values) for name, values in sorted(self.fields.items()) if values}

    def as_text(self) -> str:
        lines = [f"articles scored: {self.articles}", "", f"{'table':<22}{'precision':>10}{'recall':>10}{'f1':>8}{'tp':>5}{'fp':>5}{'fn':>5}"]
        for name, score in [*self.tables.items(), ("sanctions speakers", self.speakers)]:
            lines.append(f"{name:<22}{score.precision:>10.2f}{score.recall:>10.2f}{score.f1:>8.2f}"
                         f"{score.true_positives:>5}{score.false_positives:>5}{score.false_negatives:>5}")
        lines += ["", "field accuracy of matched items:"]
        lines += [f"  {name:<32}{value:.2f}" for name, value in self.field_accuracy().items()]
        share = self.evidence_verbatim / self.evidence_total if self.evidence_total else 1.0
        lines += ["", f"evidence quotes verbatim in the article text: {self.evidence_verbatim}/{self.evidence_total} ({share:.0%})",
                  f"items dropped because their evidence was not in the article: {self.dropped_items}"]
        return "\n".join(lines)


def same_person(a: str | None, b: str | None) -> bool:
    return bool(a and b) and normalize.person_key(a) == normalize.person_key(b)


def similar(a: str | None, b: str | None, threshold: float = 60) -> bool:
    return bool(a and b) and fuzz.token_set_ratio(a.lower(), b.lower()) >= threshold


def pair(gold: list[dict], found: list[dict], match: Callable[[dict, dict], bool]) -> tuple[list[tuple[dict, dict]], Score]:
    """Greedy one-to-one pairing in gold order."""
    unused = list(found)
    pairs = []
    for wanted in gold:
        partner = next((item for item in unused if match(wanted, item)), None)
        if partner is not None:
            unused.remove(partner)
            pairs.append((wanted, partner))
    return pairs, Score(len(pairs), len(unused), len(gold) - len(pairs))


def add(total: Score, score: Score) -> None:
    total.true_positives += score.true_positives
    total.false_positives += score.false_positives
    total.false_negatives += score.false_negatives


def launch_matches(gold: dict, found: dict) -> bool:
    return gold.get("count") in (None, found.get("count")) and "missile" in (found.get("missile_type") or "missile").lower()


def outcome_matches(gold: dict, found: dict) -> bool:
    return gold["kind"] == found["kind"] and similar(gold["description"], found["description"], 55)


def statement_matches(gold: dict, found: dict) -> bool:
    if gold.get("speaker"):
        return same_person(gold["speaker"], found.get("speaker"))
    return not found.get("speaker") and similar(gold.get("organization"), found.get("organization") or found.get("country"))


def score_article(report: Report, gold: dict, extraction: ArticleExtraction) -> None:
    found = extraction.model_dump()
    matchers = {
        "leaders": lambda g, f: same_person(g["name"], f["name"]),
        "delegation_members": lambda g, f: same_person(g["name"], f["name"]),
        "missile_launches": launch_matches,
        "sanctions_statements": statement_matches,
        "outcomes": outcome_matches,
    }
    for table, match in matchers.items():
        pairs, score = pair(gold.get(table, []), found.get(table, []), match)
        add(report.tables[table], score)
        for wanted, got in pairs:
            check_fields(report, table, wanted, got)
    named = [g for g in gold.get("sanctions_statements", []) if g.get("speaker")]
    _, speakers = pair(named, [f for f in found["sanctions_statements"] if f.get("speaker")], statement_matches)
    add(report.speakers, speakers)
    if gold.get("summit"):
        check_fields(report, "summit", gold["summit"], found.get("summit") or {})


def check_fields(report: Report, table: str, gold: dict, found: dict) -> None:
    comparisons = {
        "country": lambda g, f: normalize.country(g) == f,
        "date": lambda g, f: g == f,
        "count": lambda g, f: g == f,
        "host_country": lambda g, f: normalize.country(g) == f,
        "location": lambda g, f: similar(g, f, 60) or bool(f and g.lower() in f.lower()),
        "talks_duration": lambda g, f: normalize.duration_hours(g) == normalize.duration_hours(f) and similar(g, f, 40),
        "launch_site": lambda g, f: similar(g, f, 50),
        "missile_type": lambda g, f: bool(f) and ("short-range" in g) == ("short-range" in f.lower()),
        "role": lambda g, f: similar(g, f, 50),
    }
    for name, compare in comparisons.items():
        if name in gold and not (table in ("leaders",) and name == "role"):
            wanted, got = gold[name], found.get(name)
            correct = got is None if wanted is None else bool(compare(wanted, got))
            report.fields.setdefault(f"{table}.{name}", []).append(correct)


def evaluate(db: sqlite_utils.Database, gold_dir: str | Path) -> Report:
    """Score every article of the database that has a gold file; unscored articles are ignored."""
    report = Report()
    gold_dir = Path(gold_dir)
    rows = db.query(
        "select a.path, a.text, a.dropped_items, e.data from articles a join extractions e "
        "on e.article_id = a.id and e.model = a.model and e.prompt_version = a.prompt_version order by a.path"
    )
    for row in rows:
        gold_file = gold_dir / (Path(row["path"]).stem + ".json")
        if not gold_file.exists():
            continue
        extraction = ArticleExtraction.model_validate_json(row["data"])
        score_article(report, json.loads(gold_file.read_text(encoding="utf-8")), extraction)
        report.articles += 1
        report.dropped_items += row["dropped_items"] or 0
        for item in evidence_items(extraction):
            report.evidence_total += 1
            report.evidence_verbatim += item.start is not None and row["text"][item.start:item.end] == item.evidence
    return report


def evidence_items(extraction: ArticleExtraction):
    if extraction.summit:
        yield extraction.summit
    for table in TABLES:
        yield from getattr(extraction, table)
