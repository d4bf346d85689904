"""Merge per-article extractions into one record per summit: a pure function of its input.

Same person, same launch, same statement, same outcome across articles become
one row that counts its supporting articles (``sources``) and links each of
them through ``evidence``. Where articles disagree on a value that can be
compared (a date, a count, a duration), the most supported value is kept,
the fact is marked ``disputed``, and every competing claim goes to ``conflicts``.
Input order never matters: articles are taken in id order and ties are broken
by value.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from unidecode import unidecode

from extractor import normalize
from schemas import ArticleExtraction

SAME_TEXT_SCORE = 70  # token-set similarity above which two statements or outcomes are one


@dataclass
class Merged:
    """Rows for every fact table, keyed by table name."""

    tables: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))

    def add(self, table: str, row: dict) -> dict:
        self.tables[table].append(row)
        return row


def fact_id(*parts: object) -> str:
    """A stable id: the same fact gets the same id on every run and in every order."""
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:12]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", unidecode(text).lower()).strip("-")


def most_common(values: Iterable) -> object | None:
    """The most frequent non-null value; ties go to the smallest, so the result is order-free."""
    counts = Counter(value for value in values if value not in (None, ""))
    if not counts:
        return None
    return min(counts.items(), key=lambda item: (-item[1], str(item[0])))[0]


@dataclass
class Claim:
    """One article's version of one fact."""

    article_id: str
    item: dict


class PersonIndex:
    """Resolves every surface form of a name to one person.

    Full names agree when their spelling-independent keys do ('Kim Jong-un' =
    'Kim Jong Un'); a shorter form ('Kim', 'Putin') joins the one person whose
    name contains all its words, preferring leaders, and stays apart when that
    is ambiguous.
    """

    def __init__(self, mentions: list[tuple[str, str | None, bool]]):
        forms: dict[str, list[str]] = defaultdict(list)
        countries: dict[str, list[str | None]] = defaultdict(list)
        leaders: set[str] = set()
        for name, country, is_leader in mentions:
            key = normalize.person_key(name)
            forms[key].append(name)
            countries[key].append(country)
            if is_leader:
                leaders.add(key)
        tokens = {key: normalize.name_tokens(most_common(names)) for key, names in forms.items()}
        self._canonical: dict[str, str] = {}
        for key in sorted(forms, key=lambda k: (len(tokens[k]), k), reverse=True):
            fuller = [other for other in self._roots() if set(tokens[key]) < set(tokens[other])]
            preferred = [other for other in fuller if other in leaders] or fuller
            self._canonical[key] = preferred[0] if len(preferred) == 1 else key
        self.people: dict[str, dict] = {}
        for key in sorted(forms):
            root = self._canonical[key]
            person = self.people.setdefault(root, {"forms": [], "countries": []})
            person["forms"] += forms[key]
            person["countries"] += countries[key]
        for root, person in self.people.items():
            full = [name for name in person["forms"] if normalize.person_key(name) == root]
            person["name"] = most_common(full)
            person["id"] = slug(person["name"])
            person["country"] = most_common(person["countries"])
            person["aliases"] = sorted(set(person["forms"]))

    def _roots(self) -> list[str]:
        return sorted({root for key, root in self._canonical.items() if key == root})

    def person(self, name: str) -> dict:
        return self.people[self._canonical[normalize.person_key(name)]]


def merge(extractions: Mapping[str, ArticleExtraction]) -> Merged:
    """Merge {article_id: extraction} into fact rows."""
    articles = sorted(extractions.items())
    merged = Merged()
    index = PersonIndex(
        [(item.name, item.country, True) for _, ex in articles for item in ex.leaders]
        + [(item.name, item.country, False) for _, ex in articles for item in ex.delegation_members]
        + [(item.speaker, item.country, False) for _, ex in articles for item in ex.sanctions_statements if item.speaker]
    )
    for person in sorted(index.people.values(), key=lambda p: p["id"]):
        merged.add("people", {"id": person["id"], "name": person["name"], "country": person["country"], "aliases": person["aliases"]})

    summit_of = assign_summits(articles, index)
    for summit_id, members in sorted(group_by(articles, summit_of).items(), key=lambda kv: str(kv[0])):
        merge_summit(merged, summit_id, members, index)
    return merged


def group_by(articles, summit_of: dict[str, str | None]) -> dict[str | None, list[tuple[str, ArticleExtraction]]]:
    groups = defaultdict(list)
    for article_id, extraction in articles:
        groups[summit_of[article_id]].append((article_id, extraction))
    return groups


def assign_summits(articles, index: PersonIndex) -> dict[str, str | None]:
    """Articles with the same pair of leaders and no contradicting date report one summit.

    An article that names no leaders joins the only summit there is, if there is exactly one.
    """
    groups: dict[tuple, list[str]] = defaultdict(list)
    for article_id, extraction in articles:
        leaders = tuple(sorted({index.person(leader.name)["id"] for leader in extraction.leaders}))
        date = extraction.summit.date if extraction.summit else None
        if leaders:
            groups[leaders].append((article_id, date))
    summit_of: dict[str, str | None] = {}
    for leaders, members in groups.items():
        dates = [date for _, date in members]
        date = most_common(dates)
        summit_id = slug(" ".join([date or "undated", *leaders]))
        for article_id, _ in members:
            summit_of[article_id] = summit_id
    only = set(summit_of.values())
    for article_id, _ in articles:
        summit_of.setdefault(article_id, next(iter(only)) if len(only) == 1 else None)
    return summit_of


def merge_summit(merged: Merged, summit_id: str | None, members, index: PersonIndex) -> None:
    summits = [Claim(article_id, ex.summit.model_dump()) for article_id, ex in members if ex.summit]
    if summit_id is not None:
        row = merged.add("summits", {"id": summit_id, **pick(summits, ("title", "date", "location", "host_country", "talks_duration"))})
        row["sources"] = len({claim.article_id for claim in summits}) or len(members)
        disputed = record_conflicts(merged, summit_id, "summits", summit_id, summits, "date", lambda v: v)
        disputed |= record_conflicts(merged, summit_id, "summits", summit_id, summits, "talks_duration", normalize.duration_hours)
        row["disputed"] = int(disputed)
        add_evidence(merged, "summits", summit_id, summits)

    people_rows(merged, summit_id, "participants", [
        Claim(article_id, item.model_dump()) for article_id, ex in members for item in ex.leaders
    ], index, ("title",))
    people_rows(merged, summit_id, "delegation_members", [
        Claim(article_id, item.model_dump()) for article_id, ex in members for item in ex.delegation_members
    ], index, ("country", "role"))

    launches = [Claim(article_id, item.model_dump()) for article_id, ex in members for item in ex.missile_launches]
    dated = {claim.item["date"] for claim in launches if claim.item["date"]}
    for date, claims in cluster(launches, lambda claim: claim.item["date"] or (next(iter(dated)) if len(dated) == 1 else None)):
        launch_id = fact_id("missile_launches", summit_id, date)
        row = merged.add("missile_launches", {
            "id": launch_id, "summit_id": summit_id,
            **pick(claims, ("date", "count", "missile_type", "range_class", "launch_site", "landing_area", "reported_by")),
        })
        row["sources"] = len({claim.article_id for claim in claims})
        row["disputed"] = int(record_conflicts(merged, summit_id, "missile_launches", launch_id, claims, "count", lambda v: v))
        add_evidence(merged, "missile_launches", launch_id, claims)

    statements = [Claim(article_id, item.model_dump()) for article_id, ex in members for item in ex.sanctions_statements]
    for claims in similar_groups(statements, lambda c: speaker_key(c.item, index), lambda c: c.item["quote"]):
        first = claims[0].item
        speaker = index.person(first["speaker"]) if first["speaker"] else None
        statement_id = fact_id("sanctions_statements", summit_id, speaker_key(first, index), first["quote"])
        row = merged.add("sanctions_statements", {
            "id": statement_id, "summit_id": summit_id,
            "speaker_id": speaker["id"] if speaker else None,
            "speaker": speaker["name"] if speaker else None,
            **pick(claims, ("organization", "country", "stance", "quote")),
        })
        row["sources"] = len({claim.article_id for claim in claims})
        add_evidence(merged, "sanctions_statements", statement_id, claims)

    outcomes = [Claim(article_id, item.model_dump()) for article_id, ex in members for item in ex.outcomes]
    for claims in similar_groups(outcomes, lambda c: c.item["kind"], lambda c: c.item["description"]):
        outcome_id = fact_id("outcomes", summit_id, claims[0].item["kind"], claims[0].item["description"])
        row = merged.add("outcomes", {"id": outcome_id, "summit_id": summit_id, **pick(claims, ("kind", "description"))})
        row["sources"] = len({claim.article_id for claim in claims})
        add_evidence(merged, "outcomes", outcome_id, claims)


def people_rows(merged: Merged, summit_id, table: str, claims: list[Claim], index: PersonIndex, fields: tuple[str, ...]) -> None:
    for person_id, group in cluster(claims, lambda claim: index.person(claim.item["name"])["id"]):
        row_id = fact_id(table, summit_id, person_id)
        row = merged.add(table, {"id": row_id, "summit_id": summit_id, "person_id": person_id, **pick(group, fields)})
        row["sources"] = len({claim.article_id for claim in group})
        add_evidence(merged, table, row_id, group)


def speaker_key(item: dict, index: PersonIndex) -> str:
    if item.get("speaker"):
        return index.person(item["speaker"])["id"]
    return slug(item.get("organization") or "unknown")


def cluster(claims: list[Claim], key: Callable[[Claim], object]) -> list[tuple[object, list[Claim]]]:
    groups = defaultdict(list)
    for claim in claims:
        groups[key(claim)].append(claim)
    return sorted(groups.items(), key=lambda kv: str(kv[0]))


def similar_groups(claims: list[Claim], key: Callable[[Claim], str], text: Callable[[Claim], str]) -> list[list[Claim]]:
    """Claims with the same key whose texts say substantially the same thing, grouped.

    Claims are placed in a fixed order (key, text, article) so the grouping does not depend on input order.
    """
    groups: list[list[Claim]] = []
    for claim in sorted(claims, key=lambda c: (key(c), text(c), c.article_id)):
        for group in groups:
            if key(group[0]) == key(claim) and fuzz.token_set_ratio(text(group[0]), text(claim)) >= SAME_TEXT_SCORE:
                group.append(claim)
                break
        else:
            groups.append([claim])
    return groups


def pick(claims: list[Claim], fields: tuple[str, ...]) -> dict:
    """Each field's best-supported value across the claims."""
    return {name: most_common(claim.item.get(name) for claim in claims) for name in fields}


def record_conflicts(merged: Merged, summit_id, table: str, row_id: str, claims: list[Claim], field_name: str, comparable) -> bool:
    """Write one conflicts row per claim when claims disagree on a field; True if they did."""
    values = {}
    for claim in claims:
        value = claim.item.get(field_name)
        if value is not None and comparable(value) is not None:
            values[claim.article_id] = (value, comparable(value), claim.item.get("evidence"))
    if len({compared for _, compared, _ in values.values()}) < 2:
        return False
    for article_id, (value, _, quote) in sorted(values.items()):
        merged.add("conflicts", {
            "id": fact_id("conflicts", table, row_id, field_name, article_id),
            "summit_id": summit_id, "fact_table": table, "fact_id": row_id, "field": field_name,
            "value": str(value), "article_id": article_id, "quote": quote,
        })
    return True


def add_evidence(merged: Merged, table: str, row_id: str, claims: list[Claim]) -> None:
    for claim in claims:
        merged.add("evidence", {
            "id": fact_id("evidence", table, row_id, claim.article_id, claim.item.get("start")),
            "fact_table": table, "fact_id": row_id, "article_id": claim.article_id,
            "quote": claim.item["evidence"], "start": claim.item.get("start"), "end": claim.item.get("end"),
        })
