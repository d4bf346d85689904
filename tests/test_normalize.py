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
    assert normalize.resolve_date(raw, normalize.Reference(date(2023, 9, 14))) == expected


def test_reference_date_falls_back_to_the_latest_date_on_the_page():
    found = normalize.reference_date(None, "on Tuesday, Sept. 12, 2023, and on Aug. 1, 2023")
    assert found == normalize.Reference(date(2023, 9, 12), exact=False)
    assert normalize.reference_date("2020-01-02", "Sept. 12, 2023") == normalize.Reference(date(2020, 1, 2))


def test_a_weekday_is_the_latest_before_a_publication_date_but_the_nearest_to_a_found_date():
    assert normalize.resolve_date("Wednesday", normalize.Reference(date(2023, 9, 12))) == "2023-09-06"
    assert normalize.resolve_date("Wednesday", normalize.Reference(date(2023, 9, 12), exact=False)) == "2023-09-13"


def test_implausible_and_dayless_dates_are_dropped():
    reference = normalize.Reference(date(2023, 9, 13))
    assert normalize.resolve_date("2022", reference) is None
    assert normalize.resolve_date("2022-09-13", reference) is None  # a year the model made up
    assert normalize.resolve_date("next month", reference) is None


def test_the_evidence_sentence_dates_a_fact_before_the_model_does():
    reference = normalize.Reference(date(2023, 9, 14))
    evidence = "Kim met Putin on Wednesday (Sep 13) in Russia's Far East."
    assert normalize.date_from("2022-09-13", evidence, reference) == "2023-09-13"
    article = "North Korea launched two missiles as Kim travelled. The summit was on Wednesday."
    assert normalize.date_from("2023-09-14", "North Korea launched two missiles", reference, stated_in=article) is None
    assert normalize.date_from("Wednesday", "North Korea launched two missiles", reference, stated_in=article) == "2023-09-13"


def test_only_sentences_about_firing_missiles_report_launches():
    assert normalize.reports_firing("North Korea fired two ballistic missiles toward the sea.")
    assert not normalize.reports_firing("Pyongyang is likely to get food and missile technology from Moscow.")
    assert not normalize.reports_firing("They toured a Soyuz-2 rocket launch facility.")


def test_pronoun_attributions_are_recognised():
    assert normalize.attributed_to_pronoun("A deal would violate existing sanctions, he said.")
    assert normalize.attributed_to_pronoun("He dodged the issue, saying only that Russia abides by the sanctions.")
    assert not normalize.attributed_to_pronoun("A deal would violate existing sanctions, O'Brien said.")


@pytest.mark.parametrize("raw, hours", [
    ("more than four hours", 4.0), ("around two hours", 2.0), ("90 minutes", 1.5), ("several hours", None),
])
def test_durations_become_hours(raw, hours):
    assert normalize.duration_hours(raw) == hours


def test_joined_names_are_split():
    assert normalize.split_names("Ri Pyong Chol and Pak Jong Chon") == ["Ri Pyong Chol", "Pak Jong Chon"]
    assert normalize.split_names("Kim Jong Un") == ["Kim Jong Un"]


@pytest.mark.parametrize("evidence, speaker", [
    ("James O'Brien, head of the Office of Sanctions Coordination at the U.S. State Department, said Russia was", "James O'Brien"),
    ("“We won’t hesitate to impose additional sanctions,” U.S. State Department spokesman Matthew Miller said.", "Matthew Miller"),
    ("A deal would violate existing sanctions, O'Brien said.", "James O'Brien"),
    ("South Korea and the United States have warned such a deal would violate UN Security Council resolutions.", None),
])
def test_the_speaker_of_a_quote_is_found_in_its_sentence(evidence, speaker):
    article = "James O'Brien, head of the office, spoke. " + evidence
    assert normalize.speaker_in(evidence, article) == speaker


def test_a_misspelt_name_is_repaired_from_its_evidence_or_rejected():
    sentence = "Kim was accompanied by Pak Thae Song, chairman of the space committee."
    assert normalize.closest_name("Kim Thae Song", sentence) == "Pak Thae Song"
    assert normalize.closest_name("Sergei Lavrov", sentence) is None
