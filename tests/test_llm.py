import json

import pytest

from extractor.llm import LLMClient, LLMError, LLMSettings, TruncatedOutput
from schemas import LaunchesAnswer
from tests.fake_openai import completion

GOOD = json.dumps({"missile_launches": [{
    "evidence": "North Korea fired two ballistic missiles toward the sea.", "date": "Wednesday", "count": 2,
    "missile_type": "ballistic missile", "range_class": None, "launch_site": None, "landing_area": "the sea", "reported_by": None,
}]})
MESSAGES = [{"role": "user", "content": "question"}]


def client(server, **overrides):
    settings = LLMSettings(model="scripted", base_url=server.base_url, api_key="sk-test", timeout=5, max_backoff=0.05, **overrides)
    return LLMClient(settings)


def test_a_valid_answer_is_parsed_and_counted(scripted_server):
    scripted_server.answer(completion(GOOD))
    answer, usage = client(scripted_server).ask(MESSAGES, LaunchesAnswer)
    assert answer.missile_launches[0].count == 2
    assert (usage.calls, usage.prompt_tokens, usage.completion_tokens) == (1, 10, 5)
    sent = scripted_server.requests[0]["body"]
    assert sent["response_format"]["type"] == "json_schema"
    assert sent["temperature"] == 0


def test_server_errors_are_retried_with_backoff_then_succeed(scripted_server):
    scripted_server.answer((503, {"error": "busy"}, {}), (500, {"error": "oops"}, {}), completion(GOOD))
    answer, usage = client(scripted_server).ask(MESSAGES, LaunchesAnswer)
    assert len(scripted_server.requests) == 3 and answer.missile_launches


def test_transport_retries_are_bounded(scripted_server):
    scripted_server.answer((429, {"error": "slow down"}, {"retry-after": "0"}))
    with pytest.raises(LLMError, match="after 3 attempts"):
        client(scripted_server, transport_attempts=3).ask(MESSAGES, LaunchesAnswer)
    assert len(scripted_server.requests) == 3


def test_an_invalid_answer_is_reasked_with_the_error(scripted_server):
    bad = json.dumps({"missile_launches": [{**json.loads(GOOD)["missile_launches"][0], "count": 0}]})
    scripted_server.answer(completion(bad), completion(GOOD))
    answer, usage = client(scripted_server).ask(MESSAGES, LaunchesAnswer)
    assert usage.calls == 2 and answer.missile_launches[0].count == 2
    reask = scripted_server.requests[1]["body"]["messages"]
    assert len(reask) > len(MESSAGES) and "count" in json.dumps(reask)


def test_reasks_are_bounded(scripted_server):
    scripted_server.answer(completion("{not json"))
    with pytest.raises(LLMError, match="no valid answer after 2 attempts"):
        client(scripted_server, reasks=1).ask(MESSAGES, LaunchesAnswer)
    assert len(scripted_server.requests) == 2


def test_output_cut_by_the_token_limit_is_a_failure_not_parsed(scripted_server):
    scripted_server.answer(completion('{"missile_launches": [{"evidence": "North Korea fired', finish_reason="length"))
    with pytest.raises(TruncatedOutput, match="max_tokens"):
        client(scripted_server).ask(MESSAGES, LaunchesAnswer)


def test_the_api_key_goes_in_the_header_and_never_in_errors(scripted_server):
    scripted_server.answer((401, {"error": {"message": "bad key"}}, {}))
    with pytest.raises(LLMError) as error:
        client(scripted_server).ask(MESSAGES, LaunchesAnswer)
    headers = {name.lower(): value for name, value in scripted_server.requests[0]["headers"].items()}
    assert headers["authorization"] == "Bearer sk-test"
    assert "sk-test" not in str(error.value)
