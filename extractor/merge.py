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
from datetime import date

from rapidfuzz import fuzz
from unidecode import unidecode

from extractor import normalize
from extractor.grounding import sentence_spans, words
from schemas import ArticleExtraction

SAME_TEXT_SCORE = 70  # token-set similarity above which two statements or outcomes are one
SAME_SUMMIT_DAYS = 3  # reports of one summit may date it a day or two apart (time zones, multi-day visits)
SAME_LAUNCH_DAYS = 1  # a launch is dated by local time in one report and by another zone in the next


@dataclass
class Merged:
    """Rows for every fact table, keyed by table name."""

    origin: dict[str, str] = field(default_factory=dict)  # article id -> the original it copies (itself if none)
    tables: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))

    def add(self, table: str, row: dict) -> dict:
        self.tables[table].append(row)
        return row

    def origin_of(self, article_id: str) -> str:
        return self.origin.get(article_id, article_id)

    def sources(self, claims: list["Claim"]) -> int:
        """How many independent articles support a fact: a copy and its original count once."""
        return len({self.origin_of(claim.article_id) for claim in claims})


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
        tokens = {key: set(normalize.name_tokens(most_common(names))) for key, names in forms.items()}
        self._canonical: dict[str, str] = {}
        roots_with: dict[str, set[str]] = defaultdict(set)  # name word -> the full names containing it
        for key in sorted(forms, key=lambda k: (len(tokens[k]), k), reverse=True):
            candidates = set.intersection(*(roots_with[token] for token in tokens[key])) if tokens[key] else set()
            fuller = sorted(other for other in candidates if tokens[key] < tokens[other])
            preferred = [other for other in fuller if other in leaders] or fuller
            self._canonical[key] = preferred[0] if len(preferred) == 1 else key
            if self._canonical[key] == key:
                for token in tokens[key]:
                    roots_with[token].add(key)
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

    def person(self, name: str) -> dict:
        return self.people[self._canonical[normalize.person_key(name)]]


def merge(extractions: Mapping[str, ArticleExtraction], copies: Mapping[str, str] | None = None) -> Merged:
    """Merge {article_id: extraction} into fact rows.

    ``copies`` maps a copied article to its original: both still link their
    evidence, but together they count as one source.
    """
    articles = sorted(extractions.items())
    merged = Merged(origin={article_id: (copies or {}).get(article_id, article_id) for article_id, _ in articles})
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
    """Articles with the same leaders and dates within SAME_SUMMIT_DAYS report one summit.

    An undated report joins its leaders' only summit; an article that reports a
    summit but names no leaders joins the only summit there is, if there is
    exactly one. Facts from an article about no summit belong to none.
    """
    by_leaders: dict[tuple, list[tuple[str, str | None]]] = defaultdict(list)
    for article_id, extraction in articles:
        leaders = tuple(sorted({index.person(leader.name)["id"] for leader in extraction.leaders}))
        if leaders:
            by_leaders[leaders].append((article_id, extraction.summit.date if extraction.summit else None))
    summit_of: dict[str, str | None] = {}
    for leaders, members in sorted(by_leaders.items()):
        dated = [(article_id, date) for article_id, date in members if date]
        clusters = date_clusters(dated, SAME_SUMMIT_DAYS)
        undated = [article_id for article_id, date in members if not date]
        if len(clusters) <= 1:
            clusters = [[*(clusters[0] if clusters else []), *((article_id, None) for article_id in undated)]]
        for cluster_members in clusters:
            date = most_common(date for _, date in cluster_members)
            summit_id = slug(" ".join([date or "undated", *leaders]))
            for article_id, _ in cluster_members:
                summit_of[article_id] = summit_id
    only = set(summit_of.values())
    for article_id, extraction in articles:
        joins_only = len(only) == 1 and extraction.summit is not None  # it reports a summit, naming no leaders
        summit_of.setdefault(article_id, next(iter(only)) if joins_only else None)
    return summit_of


def date_clusters(dated: list[tuple[object, str]], days: int) -> list[list[tuple[object, str]]]:
    """Single-linkage groups of (item, ISO date) whose neighbouring dates are at most `days` apart."""
    clusters: list[list[tuple[object, str]]] = []
    for item in sorted(dated, key=lambda pair: (pair[1], str(pair[0]))):
        if clusters and (date.fromisoformat(item[1]) - date.fromisoformat(clusters[-1][-1][1])).days <= days:
            clusters[-1].append(item)
        else:
            clusters.append([item])
    return clusters


def merge_summit(merged: Merged, summit_id: str | None, members, index: PersonIndex) -> None:
    summits = [Claim(article_id, ex.summit.model_dump()) for article_id, ex in members if ex.summit]
    if summit_id is not None:
        row = merged.add("summits", {"id": summit_id, **pick(summits, ("title", "date", "location", "host_country"))})
        row["talks_duration"] = best_supported(merged, summits, "talks_duration", normalize.duration_hours)
        row["sources"] = merged.sources(summits) or len({merged.origin_of(article_id) for article_id, _ in members})
        disputed = record_conflicts(merged, summit_id, "summits", summit_id, summits, "date", lambda v: v)
        disputed |= record_conflicts(merged, summit_id, "summits", summit_id, summits, "talks_duration", normalize.duration_hours)
        row["disputed"] = int(disputed)
        add_evidence(merged, "summits", summit_id, summits)

    leaders = [Claim(article_id, item.model_dump()) for article_id, ex in members for item in ex.leaders]
    people_rows(merged, summit_id, "participants", leaders, index, ("title",))
    delegation = [Claim(article_id, item.model_dump()) for article_id, ex in members for item in ex.delegation_members]
    assign_sides(delegation, leaders, index)
    people_rows(merged, summit_id, "delegation_members", delegation, index, ("country", "role"))

    launches = [Claim(article_id, item.model_dump()) for article_id, ex in members for item in ex.missile_launches]
    for claims in launch_groups(launches):
        launch_id = fact_id("missile_launches", summit_id, min(claim.item["date"] or "" for claim in claims), claims[0].article_id)
        row = merged.add("missile_launches", {
            "id": launch_id, "summit_id": summit_id,
            **pick(claims, ("date", "count", "missile_type", "range_class", "launch_site", "landing_area", "reported_by")),
        })
        row["sources"] = merged.sources(claims)
        disputed = record_conflicts(merged, summit_id, "missile_launches", launch_id, claims, "count", lambda v: v)
        disputed |= record_conflicts(merged, summit_id, "missile_launches", launch_id, claims, "date", lambda v: v)
        row["disputed"] = int(disputed)
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
        row["sources"] = merged.sources(claims)
        add_evidence(merged, "sanctions_statements", statement_id, claims)

    outcomes = [Claim(article_id, item.model_dump()) for article_id, ex in members for item in ex.outcomes]
    for claims in similar_groups(outcomes, lambda c: c.item["kind"], lambda c: c.item["description"], distinctive_names(outcomes)):
        outcome_id = fact_id("outcomes", summit_id, claims[0].item["kind"], claims[0].item["description"])
        row = merged.add("outcomes", {"id": outcome_id, "summit_id": summit_id, **pick(claims, ("kind", "description"))})
        row["sources"] = merged.sources(claims)
        add_evidence(merged, "outcomes", outcome_id, claims)


def assign_sides(delegation: list[Claim], leaders: list[Claim], index: PersonIndex) -> None:
    """A delegation belongs to one of the summit's parties. A member put in another country
    (a model reads 'South Korea's Unification Ministry said...' as the side) is given to the
    party whose leader their sentence names ('Kim's delegation includes...'), if it names one."""
    sides = {}
    for claim in leaders:
        person = index.person(claim.item["name"])
        country = person["country"] or claim.item.get("country")
        if country:
            sides.setdefault(country, set()).update(normalize.name_tokens(person["name"]))
    for claim in delegation:
        if not sides or claim.item.get("country") in sides:
            continue
        member = set(normalize.name_tokens(claim.item["name"]))
        text = claim.item["evidence"]
        sentences = [text[start:end] for start, end in sentence_spans(text)]
        naming = [sentence for sentence in sentences if member <= set(words(sentence))] or sentences
        evidence = set(words(" ".join(naming)))
        named = [country for country, tokens in sides.items() if tokens & evidence]
        if len(named) == 1:
            claim.item["country"] = named[0]


def people_rows(merged: Merged, summit_id, table: str, claims: list[Claim], index: PersonIndex, fields: tuple[str, ...]) -> None:
    for person_id, group in cluster(claims, lambda claim: index.person(claim.item["name"])["id"]):
        row_id = fact_id(table, summit_id, person_id)
        row = merged.add(table, {"id": row_id, "summit_id": summit_id, "person_id": person_id, **pick(group, fields)})
        row["sources"] = merged.sources(group)
        add_evidence(merged, table, row_id, group)


def launch_groups(claims: list[Claim]) -> list[list[Claim]]:
    """Reports of one launch: dates at most SAME_LAUNCH_DAYS apart; undated reports join the only dated launch."""
    dated = [(claim, claim.item["date"]) for claim in claims if claim.item["date"]]
    groups = [[claim for claim, _ in cluster] for cluster in date_clusters(dated, SAME_LAUNCH_DAYS)]
    undated = sorted((claim for claim in claims if not claim.item["date"]), key=lambda c: (c.article_id, str(c.item)))
    if len(groups) == 1:
        groups[0].extend(undated)
    elif undated:
        groups.append(undated)
    return groups


def speaker_key(item: dict, index: PersonIndex) -> str:
    if item.get("speaker"):
        return index.person(item["speaker"])["id"]
    return slug(item.get("organization") or "unknown")


def cluster(claims: list[Claim], key: Callable[[Claim], object]) -> list[tuple[object, list[Claim]]]:
    groups = defaultdict(list)
    for claim in claims:
        groups[key(claim)].append(claim)
    return sorted(groups.items(), key=lambda kv: str(kv[0]))


def similar_groups(
    claims: list[Claim], key: Callable[[Claim], str], text: Callable[[Claim], str], names: Callable[[Claim], set[str]] | None = None
) -> list[list[Claim]]:
    """Claims with the same key that say substantially the same thing, grouped: similar wording,
    or (with names) two distinctive names in common, as when two reports of one planned visit
    both name its cities.

    Claims are placed in a fixed order (key, text, article) so the grouping does not depend on input order.
    """
    def same(first: Claim, second: Claim) -> bool:
        if fuzz.token_set_ratio(text(first), text(second)) >= SAME_TEXT_SCORE:
            return True
        return names is not None and len(names(first) & names(second)) >= 2

    groups: list[list[Claim]] = []
    by_key: dict[str, list[list[Claim]]] = defaultdict(list)
    for claim in sorted(claims, key=lambda c: (key(c), text(c), c.article_id)):
        for group in by_key[key(claim)]:
            if same(group[0], claim):
                group.append(claim)
                break
        else:
            by_key[key(claim)].append([claim])
            groups.append(by_key[key(claim)][-1])
    return groups


def proper_names(text: str) -> set[str]:
    return set(re.findall(r"\b[A-Z][\w-]{3,}", text))


def distinctive_names(claims: list[Claim]) -> Callable[[Claim], set[str]]:
    """Proper names of a claim, less those most claims share (the summit's own leaders and
    countries): what is left, a city or a plant, tells one outcome from another."""
    names = {id(claim): proper_names(claim.item.get("description", "") + " " + claim.item.get("evidence", "")) for claim in claims}
    frequency = Counter(name for found in names.values() for name in found)
    common = {name for name, count in frequency.items() if count > max(2, len(claims) / 3)}
    return lambda claim: names[id(claim)] - common


def pick(claims: list[Claim], fields: tuple[str, ...]) -> dict:
    """Each field's best-supported value across the claims."""
    return {name: most_common(claim.item.get(name) for claim in claims) for name in fields}


def best_supported(merged: Merged, claims: list[Claim], field_name: str, comparable) -> object | None:
    """The value most independent articles agree on, where values that compare equal
    ('over four hours', 'more than four hours') agree; shown as its most common wording."""
    supporters: dict[object, set[str]] = defaultdict(set)
    wordings: dict[object, list] = defaultdict(list)
    for claim in claims:
        value = claim.item.get(field_name)
        if value is not None:
            key = comparable(value)
            key = value if key is None else key
            supporters[key].add(merged.origin_of(claim.article_id))
            wordings[key].append(value)
    if not supporters:
        return None
    best = min(supporters, key=lambda key: (-len(supporters[key]), -len(wordings[key]), str(key)))  # copies break ties
    return most_common(wordings[best])


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
