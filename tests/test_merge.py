from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.merge import merge
from schemas import ArticleExtraction


def leader(name, country, title=None):
    return {"evidence": f"{name} met the other leader.", "name": name, "title": title, "country": country}


def member(name, country, role=None):
    return {"evidence": f"{name} joined the talks.", "name": name, "country": country, "role": role}


def summit(date, duration=None):
    return {"evidence": "The leaders met for talks.", "title": "Summit", "date": date, "location": "Vostochny",
            "host_country": "Russia", "talks_duration": duration}


def extraction(**parts):
    return ArticleExtraction.model_validate(parts)


ARTICLES = {
    "a1": extraction(
        summit=summit("2023-09-13", "more than four hours"),
        leaders=[leader("Kim Jong Un", "North Korea"), leader("Vladimir Putin", "Russia", "President")],
        delegation_members=[member("Kim Myong Sik", "North Korea", "Admiral"), member("Sergei Shoigu", "Russia", "Defence Minister")],
        missile_launches=[{"evidence": "North Korea fired two ballistic missiles.", "date": "2023-09-13", "count": 2,
                           "missile_type": "ballistic missile", "range_class": None, "launch_site": None,
                           "landing_area": None, "reported_by": None}],
    ),
    "a2": extraction(
        summit=summit("2023-09-13", "around two hours"),
        leaders=[leader("Kim Jong-un", "North Korea"), leader("Putin", "Russia")],
        delegation_members=[member("Kim Myong Sik", "North Korea", None)],
        missile_launches=[{"evidence": "The North launched missiles from Sunan.", "date": "2023-09-13", "count": None,
                           "missile_type": None, "range_class": "short-range", "launch_site": "Sunan",
                           "landing_area": None, "reported_by": None}],
    ),
}


def rows(merged, table):
    return merged.tables.get(table, [])


def test_one_person_per_spelling_and_short_names_join_the_leader():
    merged = merge(ARTICLES)
    names = sorted(row["name"] for row in rows(merged, "people"))
    assert names == ["Kim Jong Un", "Kim Myong Sik", "Sergei Shoigu", "Vladimir Putin"]
    kim = next(row for row in rows(merged, "people") if row["name"] == "Kim Jong Un")
    assert kim["aliases"] == ["Kim Jong Un", "Kim Jong-un"]
    participants = rows(merged, "participants")
    assert len(participants) == 2 and all(row["sources"] == 2 for row in participants)


def test_one_summit_one_launch_with_details_combined_and_conflicts_kept():
    merged = merge(ARTICLES)
    assert len(rows(merged, "summits")) == 1
    (launch,) = rows(merged, "missile_launches")
    assert (launch["count"], launch["launch_site"], launch["range_class"], launch["sources"]) == (2, "Sunan", "short-range", 2)
    conflicts = [row for row in rows(merged, "conflicts") if row["field"] == "talks_duration"]
    assert sorted(row["value"] for row in conflicts) == ["around two hours", "more than four hours"]
    assert rows(merged, "summits")[0]["disputed"] == 1


def test_every_fact_links_to_its_supporting_articles():
    merged = merge(ARTICLES)
    evidence = rows(merged, "evidence")
    for table in ("summits", "participants", "delegation_members", "missile_launches"):
        for row in rows(merged, table):
            linked = {e["article_id"] for e in evidence if e["fact_table"] == table and e["fact_id"] == row["id"]}
            assert len(linked) == row["sources"]


def test_two_different_summits_are_kept_apart():
    other = extraction(
        summit={**summit("2019-02-27"), "location": "Hanoi", "host_country": "Vietnam"},
        leaders=[leader("Kim Jong Un", "North Korea"), leader("Donald Trump", "United States")],
        delegation_members=[member("Mike Pompeo", "United States", "Secretary of State")],
    )
    merged = merge({**ARTICLES, "b1": other})
    summits = {row["id"]: row for row in rows(merged, "summits")}
    assert len(summits) == 2
    pompeo = next(row for row in rows(merged, "delegation_members") if row["person_id"] == "mike-pompeo")
    assert summits[pompeo["summit_id"]]["location"] == "Hanoi"
    shoigu = next(row for row in rows(merged, "delegation_members") if row["person_id"] == "sergei-shoigu")
    assert summits[shoigu["summit_id"]]["location"] == "Vostochny"


@settings(max_examples=25, deadline=None)
@given(st.permutations(sorted(ARTICLES)))
def test_merging_does_not_depend_on_article_order(order):
    assert merge({key: ARTICLES[key] for key in order}).tables == merge(ARTICLES).tables


def test_a_copy_links_its_evidence_but_adds_no_source():
    merged = merge({**ARTICLES, "a3": ARTICLES["a1"]}, copies={"a3": "a1"})
    launch = rows(merged, "missile_launches")[0]
    assert launch["sources"] == 2
    linked = {e["article_id"] for e in rows(merged, "evidence") if e["fact_id"] == launch["id"]}
    assert linked == {"a1", "a2", "a3"}


def test_the_same_leaders_years_apart_are_two_summits():
    earlier = extraction(summit={**summit("2019-04-25"), "location": "Vladivostok"},
                         leaders=[leader("Kim Jong Un", "North Korea"), leader("Vladimir Putin", "Russia")])
    merged = merge({**ARTICLES, "old": earlier})
    assert sorted(row["date"] for row in rows(merged, "summits")) == ["2019-04-25", "2023-09-13"]


def launch(date, count):
    return {"evidence": f"Missiles were fired, {date}.", "date": date, "count": count, "missile_type": "ballistic missile",
            "range_class": None, "launch_site": None, "landing_area": None, "reported_by": None}


def test_reports_of_one_launch_dated_a_day_apart_are_one_launch_with_the_dispute_kept():
    base = {"summit": summit("2023-09-13"), "leaders": [leader("Kim Jong Un", "North Korea"), leader("Vladimir Putin", "Russia")]}
    merged = merge({
        "x": extraction(**base, missile_launches=[launch("2023-09-13", 2)]),
        "y": extraction(**base, missile_launches=[launch("2023-09-14", 2)]),
        "z": extraction(**base, missile_launches=[launch(None, 2)]),
    })
    (row,) = rows(merged, "missile_launches")
    assert row["sources"] == 3 and row["disputed"] == 1
    assert sorted(c["value"] for c in rows(merged, "conflicts") if c["field"] == "date") == ["2023-09-13", "2023-09-14"]


def test_one_planned_visit_described_two_ways_is_one_outcome():
    base = {"summit": summit("2023-09-13"), "leaders": [leader("Kim Jong Un", "North Korea"), leader("Vladimir Putin", "Russia")]}

    def visit(text):
        return {"evidence": text, "kind": "planned visit", "description": text}

    merged = merge({
        "x": extraction(**base, outcomes=[visit("Kim will visit an aircraft plant in Komsomolsk-on-Amur, then Vladivostok."),
                                          visit("Kim pledged support for Putin.")]),
        "y": extraction(**base, outcomes=[visit("Putin said Kim planned to tour factories in Komsomolsk-on-Amur and inspect the fleet at Vladivostok.")]),
    })
    visits = [row for row in rows(merged, "outcomes") if "Komsomolsk" in row["description"]]
    assert len(visits) == 1 and visits[0]["sources"] == 2
