"""Synthetic per-article extractions for benchmarks: many summits, realistic overlap between reports."""

from __future__ import annotations

import random

from schemas import ArticleExtraction

FIRST = ["Alma", "Tomas", "Ines", "Marek", "Lena", "Jonas", "Petra", "Omar", "Nadia", "Viktor", "Sofia", "Karim"]
LAST = ["Rivera", "Berg", "Holt", "Novak", "Sato", "Okafor", "Lindqvist", "Haddad", "Moreau", "Kowalski", "Tanaka", "Silva"]
COUNTRIES = ["Norland", "Sudmark", "Estavia", "Ostria", "Valdonia", "Karesh", "Lumeria", "Tarvos"]
CITIES = ["Geneva", "Vienna", "Oslo", "Helsinki", "Lisbon", "Tallinn", "Vilnius", "Dublin"]


def name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}{rng.randint(1, 400)}"


def extractions(count: int, summits: int | None = None, seed: int = 7) -> dict[str, ArticleExtraction]:
    """`count` articles about `summits` summits (default: one per ten articles)."""
    rng = random.Random(seed)
    summits = summits or max(1, count // 10)
    plans = []
    for number in range(summits):
        a, b = rng.sample(COUNTRIES, 2)
        plans.append({
            "leaders": [(name(rng), a), (name(rng), b)], "date": f"20{10 + number % 14}-{1 + number % 12:02d}-{1 + number % 28:02d}",
            "city": rng.choice(CITIES), "delegates": [(name(rng), rng.choice((a, b))) for _ in range(6)],
            "speakers": [name(rng) for _ in range(3)],
        })
    result = {}
    for article in range(count):
        plan = plans[article % summits]
        sentence = f"Talks in {plan['city']} were reported by article {article}."
        result[f"a{article:06d}"] = ArticleExtraction.model_validate({
            "summit": {"evidence": sentence, "title": "Summit", "date": plan["date"], "location": plan["city"],
                       "host_country": plan["leaders"][0][1], "talks_duration": rng.choice(["two hours", "three hours", None])},
            "leaders": [{"evidence": sentence, "name": n, "title": "President", "country": c} for n, c in plan["leaders"]],
            "delegation_members": [{"evidence": sentence, "name": n, "country": c, "role": "Minister"}
                                   for n, c in rng.sample(plan["delegates"], 3)],
            "missile_launches": [{"evidence": sentence, "date": plan["date"], "count": rng.choice([2, 2, 3]), "missile_type": "ballistic missile",
                                  "range_class": None, "launch_site": None, "landing_area": None, "reported_by": None}] if article % 3 == 0 else [],
            "sanctions_statements": [{"evidence": sentence, "speaker": s, "organization": None, "country": None, "stance": "supports sanctions",
                                      "quote": f"Sanctions must stay in place, {s} said about {plan['city']}."} for s in rng.sample(plan["speakers"], 2)],
            "outcomes": [{"evidence": sentence, "kind": "agreement", "description": f"They agreed to reopen the border at {plan['city']} crossing"}],
        })
    return result
