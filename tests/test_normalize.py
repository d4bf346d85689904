from datetime import date

import pytest

from extractor import normalize


@pytest.mark.parametrize("raw, name, title", [
    ("Adm. Kim Myong Sik", "Kim Myong Sik", "Admiral"),
    ("Admiral Kim Myong Sik", "Kim Myong Sik", "Admiral"),
    ("Defence Minister Sergei Shoigu", "Sergei Shoigu", "Defence Minister"),
    ("Marshal Pak Jong Chon", "Pak Jong Chon", "Marshal"),
    ("Vladimir Putin", "Vladimir Putin", None),
])
def test_titles_and_ranks_leave_the_name(raw, name, title):
    assert normalize.split_title(raw) == (name, title)


def test_person_key_ignores_spelling_variants():
    keys = {normalize.person_key(n) for n in ["Kim Jong Un", "Kim Jong-un", "KIM JONG UN", "Kim  Jong Un"]}
    assert len(keys) == 1
    assert normalize.person_key("Kim Myong Sik") not in keys


@pytest.mark.parametrize("raw, canonical", [
    ("DPRK", "North Korea"), ("Pyongyang", "North Korea"), ("North Korean", "North Korea"),
    ("the Kremlin", "Russia"), ("Moscow", "Russia"), ("U.S.", "United States"), ("Freedonia", "Freedonia"),
    ("unknown", None), ("N/A", None), ("", None),
])
def test_country_names_have_one_form(raw, canonical):
    assert normalize.country(raw) == canonical


@pytest.mark.parametrize("raw, expected", [
    ("Wednesday", "2023-09-13"), ("on Tuesday", "2023-09-12"), ("Thursday", "2023-09-14"),
    ("Sep 13", "2023-09-13"), ("Sept. 13, 2023", "2023-09-13"), ("2023-09-13", "2023-09-13"),
    ("yesterday", "2023-09-13"), ("next month", None), ("unknown", None),
])
def test_dates_resolve_against_the_article_date(raw, expected):
    assert normalize.resolve_date(raw, date(2023, 9, 14)) == expected


def test_reference_date_falls_back_to_the_latest_date_in_the_text():
    assert normalize.reference_date(None, "on Tuesday, Sept. 12, 2023, and on Aug. 1, 2023") == date(2023, 9, 12)
    assert normalize.reference_date("2020-01-02", "Sept. 12, 2023") == date(2020, 1, 2)


@pytest.mark.parametrize("raw, hours", [
    ("more than four hours", 4.0), ("around two hours", 2.0), ("90 minutes", 1.5), ("several hours", None),
])
def test_durations_become_hours(raw, hours):
    assert normalize.duration_hours(raw) == hours
