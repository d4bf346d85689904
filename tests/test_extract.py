import json

from extractor.articles import Article
from extractor.extract import extract_article
from extractor.llm import LLMClient, LLMSettings
from tests.fake_openai import completion

TEXT = (
    "North Korean leader Kim Jong Un and Russian President Vladimir Putin met at the Vostochny Cosmodrome on Wednesday.\n"
    "Kim was accompanied by Pak Thae Song, chairman of the space committee, and Marshals Ri Pyong Chol and Pak Jong Chon.\n"
    "“Any cooperation must respect the sanctions regime,” U.N. Secretary-General Antonio Guterres told reporters."
)
ARTICLE = Article(path="t.txt", raw=TEXT, text=TEXT, published="2023-09-14")

PEOPLE_INVENTED = {"leaders": [
    {"evidence": "Kim Jong Un and Vladimir Putin held a summit in the Far East.", "name": "Kim Jong Un", "title": None, "country": "DPRK"},
], "delegation_members": []}
PEOPLE = {"leaders": [
    {"evidence": "Kim Jong Un and Vladimir Putin met at the Vostochny Cosmodrome on Wednesday.", "name": "Kim Jong Un", "title": None, "country": "DPRK"},
    {"evidence": "Kim Jong Un and Vladimir Putin met at the Vostochny Cosmodrome on Wednesday.", "name": "President Vladimir Putin", "title": None, "country": "Moscow"},
], "delegation_members": [
    {"evidence": "Kim was accompanied by Pak Thae Song, chairman of the space committee", "name": "Kim Thae Song", "country": "North Korea", "role": "chairman"},
    {"evidence": "Marshals Ri Pyong Chol and Pak Jong Chon", "name": "Ri Pyong Chol and Pak Jong Chon", "country": "North Korea", "role": "Marshal"},
    {"evidence": "Kim was accompanied by Pak Thae Song, chairman of the space committee", "name": "Sergei Lavrov", "country": "Russia", "role": None},
]}
LAUNCHES = {"missile_launches": []}
SANCTIONS = {"sanctions_statements": [{
    "evidence": "Any cooperation must respect the sanctions regime, U.N. Secretary-General Antonio Guterres told reporters.",
    "speaker": None, "organization": "United Nations", "country": None, "stance": "supports sanctions",
    "quote": "Any cooperation must respect the sanctions regime",
}]}
SUMMIT = {"summit": {"evidence": "met at the Vostochny Cosmodrome on Wednesday", "title": "Kim-Putin summit", "date": "Wednesday",
                     "location": "Vostochny Cosmodrome", "host_country": "Russia", "talks_duration": "unknown"}, "outcomes": []}


def test_ungrounded_answers_are_reasked_then_grounded_and_normalized(scripted_server):
    scripted_server.answer(*[completion(json.dumps(a)) for a in (PEOPLE_INVENTED, PEOPLE, LAUNCHES, SANCTIONS, SUMMIT)])
    client = LLMClient(LLMSettings(model="scripted", base_url=scripted_server.base_url, timeout=5))
    result = extract_article(ARTICLE, client)

    assert result.status == "ok" and result.usage.calls == 5
    feedback = scripted_server.requests[1]["body"]["messages"][-1]["content"]
    assert "Kim Jong Un and Vladimir Putin held a summit in the Far East." in feedback

    extraction = result.extraction
    assert [(p.name, p.country) for p in extraction.leaders] == [("Kim Jong Un", "North Korea"), ("Vladimir Putin", "Russia")]
    assert [m.name for m in extraction.delegation_members] == ["Pak Thae Song", "Ri Pyong Chol", "Pak Jong Chon"]
    assert result.dropped == 1  # Sergei Lavrov is not in the article
    (statement,) = extraction.sanctions_statements
    assert statement.speaker == "Antonio Guterres"
    assert extraction.summit.date == "2023-09-13" and extraction.summit.talks_duration is None
    for item in [*extraction.leaders, *extraction.delegation_members, statement, extraction.summit]:
        assert TEXT[item.start:item.end] == item.evidence


def test_a_failing_question_makes_the_article_partial_not_lost(scripted_server):
    scripted_server.answer(completion(json.dumps(PEOPLE)), completion(json.dumps(LAUNCHES)), (500, {"error": "down"}, {}))
    client = LLMClient(LLMSettings(model="scripted", base_url=scripted_server.base_url, timeout=5, transport_attempts=2, max_backoff=0.01))
    result = extract_article(ARTICLE, client)
    assert result.status == "partial"
    assert [e.split(":")[0] for e in result.errors] == ["sanctions", "summit"]
    assert len(result.extraction.leaders) == 2
