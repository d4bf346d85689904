"""One request for the whole schema against the four focused questions, on the seed articles.

Each article is asked once for everything (the four questions' texts together, with the same
sentence lists), then grounded, normalized and scored against data/gold exactly as the
pipeline's output is. Prints seconds, tokens and the eval table; compare with
`summit-extract eval` on a database from the normal pipeline.

Run: .venv/bin/python -m benchmarks.bench_single_request   (about 7 minutes)
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from extractor import local_model, store
from extractor.articles import read_articles
from extractor.evaluate import evaluate
from extractor.extract import ExtractionResult, ground_and_normalize
from extractor.grounding import Grounder
from extractor.llm import LLMClient, LLMSettings
from extractor.pipeline import article_row
from extractor.prompts import QUESTIONS, messages_for, template
from schemas import LaunchesAnswer, PeopleAnswer, SanctionsAnswer, SummitAnswer


class WholeArticleAnswer(PeopleAnswer, LaunchesAnswer, SanctionsAnswer, SummitAnswer):
    """Every part of the schema in one answer."""


def single_question(text: str, published: str | None) -> list[dict]:
    grounder = Grounder(text)
    parts = []
    for question in QUESTIONS:
        listed = grounder.sentences_with(question.focus) if question.focus else []
        parts.append(template(question.name).strip().format(sentences="\n".join(f"{n}. {s}" for n, s in enumerate(listed, 1))))
    messages = messages_for(text, published, QUESTIONS[0])
    article_part = messages[1]["content"].rsplit(template(QUESTIONS[0].name).strip(), 1)[0]
    messages[1]["content"] = article_part + "\n\n".join(parts)
    return messages


def main() -> None:
    with tempfile.TemporaryDirectory() as folder, local_model.start_local_server() as server:
        client = LLMClient(LLMSettings(model=server.model, base_url=server.base_url, max_tokens=3072))
        db = store.open_database(str(Path(folder) / "single.db"))
        total = 0.0
        for _, article in read_articles("data/articles"):
            started = time.monotonic()
            answer, usage = client.ask(single_question(article.text, article.published), WholeArticleAnswer)
            extraction, dropped = ground_and_normalize(answer.model_dump(), article)
            seconds = time.monotonic() - started
            total += seconds
            result = ExtractionResult(extraction, usage, [], dropped, seconds, 1)
            store.save_article(db, article_row(article, result, server.model, "single-request"), extraction)
            print(f"{Path(article.path).name}: {seconds:.1f} s, {usage.calls} requests, {usage.prompt_tokens} prompt + "
                  f"{usage.completion_tokens} generated tokens, {dropped} items dropped", flush=True)
        print(f"all: {total:.1f} s\n")
        print(evaluate(db, "data/gold").as_text())


if __name__ == "__main__":
    main()
