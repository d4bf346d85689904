"""Extract one article: focused questions to the model, then grounding and normalization in code."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

from extractor import normalize
from extractor.articles import Article
from extractor.grounding import Grounder, words
from extractor.llm import LLMClient, LLMError, Usage
from extractor.prompts import QUESTIONS, Question, messages_for, template
from schemas import ArticleExtraction


# Article text per request: with the prompt (~700 tokens) and the answer (max_tokens) it must fit
# the embedded model's 8,192-token context; English news runs about 4 characters a token.
MAX_CHUNK_CHARS = 20_000


@dataclass
class ExtractionResult:
    """One article's extraction and what it took. ``errors`` lists questions that got no answer."""

    extraction: ArticleExtraction
    usage: Usage = field(default_factory=Usage)
    errors: list[str] = field(default_factory=list)
    dropped: int = 0  # items whose evidence was not found in the article
    seconds: float = 0.0
    answered: int = 0  # questions (per chunk) that got an answer
    usage_by_question: dict[str, Usage] = field(default_factory=dict)  # what each question cost

    @property
    def status(self) -> str:
        if not self.errors:
            return "ok"
        return "partial" if self.answered else "failed"


def extract_article(article: Article, client: LLMClient) -> ExtractionResult:
    """Ask every question about the article; a failed question is recorded, the others still count."""
    started = time.monotonic()
    errors, answers, answered, by_question = [], {}, 0, {}
    for _, text, question, sentences, grounder in planned_questions(article):
        cost = by_question.setdefault(question.name, Usage())
        try:
            combine(answers, ask_grounded(client, article, text, question, grounder, cost, sentences))
            answered += 1
        except LLMError as error:
            errors.append(f"{question.name}: {error}")
    return finish(article, answers, errors, answered, by_question, time.monotonic() - started)


def planned_questions(article: Article):
    """Yield (part number, text, question, listed sentences, grounder) for every question worth
    asking about each part of the article: a focused question no sentence calls for is skipped."""
    for part, text in enumerate(chunks(article.text)):
        grounder = Grounder(text)
        for question in QUESTIONS:
            sentences = grounder.sentences_with(question.focus) if question.focus else []
            if not question.focus or sentences:
                yield part, text, question, sentences, grounder


def finish(article: Article, answers: dict, errors: list[str], answered: int, by_question: dict[str, Usage], seconds: float) -> ExtractionResult:
    """Ground and normalize the answers gathered for one article into its result."""
    if len(errors) > len(QUESTIONS):  # a long article: report each question's failures once
        errors = sorted({error.split(":")[0] + ": failed on some parts of the article" for error in errors})
    extraction, dropped = ground_and_normalize(answers, article)
    usage = Usage()
    for cost in by_question.values():
        usage.add(cost)
    return ExtractionResult(extraction, usage, errors, dropped, seconds, answered, by_question)


def chunks(text: str, max_chars: int = MAX_CHUNK_CHARS) -> list[str]:
    """The text in pieces that fit the model's context, cut between lines, each piece starting
    with the last line of the one before so a fact spanning the cut is seen whole once."""
    if len(text) <= max_chars:
        return [text]
    pieces, current = [], []
    for line in text.split("\n"):
        while len(line) > max_chars:  # a single huge line: cut it at a space
            cut = line.rfind(" ", 0, max_chars) if " " in line[:max_chars] else max_chars
            pieces.append("\n".join([*current, line[:cut]]) if current else line[:cut])
            current, line = [], line[cut:].lstrip()
        if current and len("\n".join([*current, line])) > max_chars:
            pieces.append("\n".join(current))
            current = [current[-1]] if len(current[-1]) + len(line) < max_chars else []
        current.append(line)
    if current:
        pieces.append("\n".join(current))
    return pieces


def combine(answers: dict, answer: dict) -> None:
    """Add one chunk's answer: lists are joined, a single object (the summit) keeps its first value."""
    for key, value in answer.items():
        if isinstance(value, list):
            answers.setdefault(key, []).extend(value)
        elif answers.get(key) is None:
            answers[key] = value


def ask_grounded(
    client: LLMClient, article: Article, text: str, question: Question, grounder: Grounder, usage: Usage, sentences: list[str]
) -> dict:
    """Ask one question about text (the article or a piece of it), listing the sentences it
    should look at; if some evidence quotes are not in the text, show the model which and ask
    once more (the prefix is still cached). Items still ungrounded are dropped later."""
    messages = messages_for(text, article.published, question, sentences)
    answer, cost = client.ask(messages, question.response_model)
    usage.add(cost)
    answered = answer.model_dump()
    missing = [quote for quote in evidence_quotes(answered) if grounder.find(quote) is None]
    if not missing:
        return answered
    feedback = template("reground").format(quotes="\n".join(f"- {quote}" for quote in missing))
    retry = messages + [{"role": "assistant", "content": json.dumps(without_offsets(answered))}, {"role": "user", "content": feedback}]
    try:
        answer, cost = client.ask(retry, question.response_model)
    except LLMError:
        return answered
    usage.add(cost)
    return answer.model_dump()


def without_offsets(value):
    """The answer as the model wrote it: offsets are ours, not the model's."""
    if isinstance(value, dict):
        return {key: without_offsets(item) for key, item in value.items() if key not in ("start", "end")}
    if isinstance(value, list):
        return [without_offsets(item) for item in value]
    return value


def evidence_quotes(answered: dict) -> list[str]:
    items = [item for value in answered.values() for item in (value if isinstance(value, list) else [value]) if item]
    return [item["evidence"] for item in items]


def ground_and_normalize(answers: dict, article: Article) -> tuple[ArticleExtraction, int]:
    """Keep only items whose evidence is in the article (stored verbatim with offsets) and
    normalize their values; returns the extraction and how many items were dropped."""
    grounder = Grounder(article.text)
    reference = normalize.reference_date(article.published, article.raw)
    dropped = 0

    def drop() -> None:
        nonlocal dropped
        dropped += 1

    def grounded(item: dict | None) -> dict | None:
        if item is None:
            return None
        span = grounder.find(item.get("evidence") or "")
        if span is None:
            drop()
            return None
        return {**item, "evidence": span.quote, "start": span.start, "end": span.end}

    def people(items: list[dict], role_field: str) -> list[dict]:
        kept = []
        for item in filter(None, map(grounded, items)):
            for raw_name in normalize.split_names(item["name"]):
                name, title = normalize.split_title(raw_name)
                name = name_as_written(name, item, grounder)
                if name is None:
                    drop()
                    continue
                kept.append({
                    **item, "name": name, "country": normalize.country(item.get("country")),
                    role_field: normalize.clean(item.get(role_field)) or title,
                })
        return kept

    leaders = unique_people(people(answers.get("leaders", []), "title"))
    leader_keys = {normalize.person_key(leader["name"]) for leader in leaders}
    delegation = [
        member for member in unique_people(people(answers.get("delegation_members", []), "role"))
        if normalize.person_key(member["name"]) not in leader_keys
    ]

    launches = []
    for item in filter(None, map(grounded, answers.get("missile_launches", []))):
        if not normalize.reports_firing(item["evidence"]):
            drop()
            continue
        item.update({key: normalize.clean(item.get(key)) for key in ("missile_type", "range_class", "launch_site", "landing_area", "reported_by")})
        item["date"] = normalize.date_from(item.get("date"), item["evidence"], reference, article.text)
        launches.append(item)

    statements = []
    for item in filter(None, map(grounded, answers.get("sanctions_statements", []))):
        if "sanction" not in item["evidence"].lower():
            drop()  # a sentence that does not mention sanctions is no statement about them
            continue
        quote = grounder.find(item.get("quote") or "")
        item["quote"] = quote.quote if quote else item["evidence"]
        speaker, _ = normalize.split_title(item.get("speaker") or "")
        speaker = name_as_written(speaker, item, grounder) if speaker else speaker_of(item, article.text, grounder)
        item.update(
            speaker=speaker,
            organization=normalize.clean(item.get("organization")),
            country=normalize.country(item.get("country")),
        )
        statements.append(item)

    summit = grounded(answers.get("summit"))
    if summit:
        summit.update(
            date=normalize.date_from(summit.get("date"), summit["evidence"], reference),
            host_country=normalize.country(summit.get("host_country")),
            **{key: normalize.clean(summit.get(key)) for key in ("title", "location", "talks_duration")},
        )
    outcomes = [item for item in map(grounded, answers.get("outcomes", [])) if item and normalize.clean(item.get("description"))]

    extraction = ArticleExtraction(
        summit=summit,
        leaders=leaders,
        delegation_members=delegation,
        missile_launches=launches,
        sanctions_statements=statements,
        outcomes=outcomes,
    )
    return extraction, dropped


def name_as_written(name: str, item: dict, grounder: Grounder) -> str | None:
    """The person's name as the article writes it, or None for a person the article never names.

    A name misspelled by the model ('Kim Thae Song' for 'Pak Thae Song') is replaced by the
    closest name in its evidence; evidence that does not name the person is replaced by the
    first sentence that does.
    """
    if not normalize.name_tokens(name):
        return None
    if grounder.contains(name):
        if not set(words(name)) <= set(words(item["evidence"])):
            span = grounder.mentions(name)
            item.update(evidence=span.quote, start=span.start, end=span.end)
        return name
    return normalize.closest_name(name, item["evidence"])


SPEAKER_LOOKBACK = 3  # sentences searched back for the person a 'he said' refers to


def speaker_of(item: dict, text: str, grounder: Grounder) -> str | None:
    """Who said a statement the model left unattributed: the name its sentence gives, or for
    'he said' the person named as speaking in the nearest sentence before it."""
    if not normalize.attributed_to_pronoun(item["evidence"]):
        return normalize.speaker_in(item["evidence"], text)
    for sentence in grounder.sentences_before(item["start"], SPEAKER_LOOKBACK):
        if normalize.attributed_to_pronoun(sentence):
            continue  # the same 'he': look further back
        speaker = normalize.speaker_in(sentence, text)
        if speaker:
            return speaker
    return None


def unique_people(items: list[dict]) -> list[dict]:
    """One entry per person within an article (the model sometimes lists someone twice)."""
    seen, kept = set(), []
    for item in items:
        key = normalize.person_key(item["name"])
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept
