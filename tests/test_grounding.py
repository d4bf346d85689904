from extractor.grounding import Grounder

TEXT = (
    "North Korean leader Kim Jong Un and Russian President Vladimir Putin met on Wednesday.\n"
    "Kim said “we will always stand with Russia” — and raised a toast.\n"
    "Defence Minister Sergei Shoigu attended the talks."
)


def check(span):
    assert span is not None
    assert TEXT[span.start:span.end] == span.quote
    assert span.quote == span.quote.strip()
    return span.quote


def test_exact_quote_gets_offsets():
    assert check(Grounder(TEXT).find("Defence Minister Sergei Shoigu attended the talks.")).startswith("Defence")


def test_quote_mark_dash_and_space_variants_match_the_source_span():
    quote = check(Grounder(TEXT).find('Kim said "we will always  stand with Russia" - and raised a toast'))
    assert "“we will always stand with Russia” —" in quote


def test_a_quote_with_dropped_words_snaps_to_its_sentence():
    quote = check(Grounder(TEXT).find("Kim Jong Un and Vladimir Putin met on Wednesday."))
    assert quote == "North Korean leader Kim Jong Un and Russian President Vladimir Putin met on Wednesday."


def test_a_fuzzy_match_never_starts_on_a_line_break():
    quote = check(Grounder(TEXT).find("\nDefence Minister Sergei Shoigu attend the talks"))
    assert quote.startswith("Defence")


def test_invented_quotes_are_not_found():
    grounder = Grounder(TEXT)
    assert grounder.find("Putin promised to send wheat and oil to Pyongyang next year.") is None
    assert grounder.find("talks") is None  # too short to be evidence


def test_mentions_finds_the_sentence_naming_a_person():
    grounder = Grounder(TEXT)
    assert check(grounder.mentions("Sergei Shoigu")).startswith("Defence Minister")
    assert grounder.mentions("Sergei Lavrov") is None
