"""Large remote runs through the OpenAI Batch API: every question about every new article goes
into one batch file; running the same command again later collects the answers (resume by the
batch id kept in the database), and `--wait` polls until they are there.

A batch answer gets no re-ask: an answer that fails validation or is cut off counts as that
question's failure (the article is `partial`), and `--retry-failed` without `--batch` asks
again interactively. Grounding, normalization and storing are the same as in a normal run.
"""

from __future__ import annotations

import io
import json
import time
from collections.abc import Iterable
from datetime import datetime, timezone

import sqlite_utils
from pydantic import ValidationError

from extractor.articles import Article
from extractor.extract import ExtractionResult, combine, finish, planned_questions
from extractor.llm import LLMSettings, Usage
from extractor.prompts import QUESTIONS, messages_for

FINISHED = {"completed", "failed", "expired", "cancelled"}
RESPONSE_MODELS = {question.name: question.response_model for question in QUESTIONS}


def request_line(custom_id: str, settings: LLMSettings, messages: list[dict], response_model) -> dict:
    """One line of a batch input file: the request instructor's JSON-schema mode would send."""
    schema = {"name": response_model.__name__, "schema": response_model.model_json_schema()}
    body = {"model": settings.model, "messages": messages, "max_tokens": settings.max_tokens,
            "temperature": settings.temperature, "response_format": {"type": "json_schema", "json_schema": schema}}
    return {"custom_id": custom_id, "method": "POST", "url": "/v1/chat/completions", "body": body}


def input_file(articles: Iterable[Article], settings: LLMSettings) -> bytes:
    lines = []
    for article in articles:
        for part, text, question, sentences, _ in planned_questions(article):
            messages = messages_for(text, article.published, question, sentences)
            lines.append(request_line(f"{article.id}/{part}/{question.name}", settings, messages, question.response_model))
    return "".join(json.dumps(line) + "\n" for line in lines).encode("utf-8")


def read_output(content: str, articles: dict[str, Article]) -> dict[str, ExtractionResult]:
    """Results for the articles of a finished batch, from its output (and error) file lines."""
    gathered: dict[str, dict] = {}
    for line in filter(str.strip, content.splitlines()):
        record = json.loads(line)
        article_id, _, question = record["custom_id"].split("/")
        if article_id not in articles:
            continue
        state = gathered.setdefault(article_id, {"answers": {}, "errors": [], "answered": 0, "costs": {}})
        cost = state["costs"].setdefault(question, Usage())
        response = record.get("response") or {}
        body = response.get("body") or {}
        cost.calls += 1
        cost.prompt_tokens += (body.get("usage") or {}).get("prompt_tokens", 0)
        cost.completion_tokens += (body.get("usage") or {}).get("completion_tokens", 0)
        try:
            if response.get("status_code") != 200:
                raise ValueError(f"status {response.get('status_code')}: {record.get('error') or body.get('error')}")
            choice = body["choices"][0]
            if choice.get("finish_reason") == "length":
                raise ValueError("the answer was cut off at max_tokens and was not parsed")
            answer = RESPONSE_MODELS[question].model_validate_json(choice["message"]["content"])
        except (ValueError, KeyError, IndexError, TypeError, ValidationError) as error:
            state["errors"].append(f"{question}: {' '.join(str(error).split())[:300]}")
            continue
        combine(state["answers"], answer.model_dump())
        state["answered"] += 1
    return {
        article_id: finish(articles[article_id], state["answers"], state["errors"], state["answered"], state["costs"], 0.0)
        for article_id, state in gathered.items()
    }


class BatchRun:
    """Submit and collect batches for one run; the `batches` table remembers them between runs."""

    def __init__(self, db: sqlite_utils.Database, settings: LLMSettings, prompt_version: str, poll_seconds: float = 30.0):
        import openai

        self.db, self.settings, self.prompt_version, self.poll_seconds = db, settings, prompt_version, poll_seconds
        self.client = openai.OpenAI(base_url=settings.base_url, api_key=settings.api_key or "no-key-needed",
                                    timeout=settings.timeout, max_retries=settings.transport_attempts)
        self.submitted: list[str] = []
        self.waiting: list[str] = []

    def open_batches(self) -> list[dict]:
        return list(self.db.query(
            "select * from batches where collected = 0 and model = ? and prompt_version = ?", [self.settings.model, self.prompt_version]
        ))

    def run(self, articles: Iterable[Article], wait: bool):
        """Yield (article, result) for every article whose batch has finished; submit the rest."""
        pending = {article.id: article for article in articles}
        known = dict(pending)  # every article of this run, for reading answers back
        while True:
            for batch in self.open_batches():
                yield from self.collect(batch, pending, known)
            if pending:
                self.submit(list(pending.values()))
                pending = {}
            self.waiting = [batch["id"] for batch in self.open_batches()]
            if not (wait and self.waiting):
                return
            time.sleep(self.poll_seconds)

    def collect(self, batch: dict, pending: dict[str, Article], known: dict[str, Article]):
        ids = set(json.loads(batch["article_ids"]))
        remote = self.client.batches.retrieve(batch["id"])
        if remote.status not in FINISHED:
            for article_id in ids:
                pending.pop(article_id, None)  # asked already: not again
            self.db.table("batches").update(batch["id"], {"status": remote.status})
            return
        content = ""
        for file_id in (remote.output_file_id, remote.error_file_id):
            if file_id:
                content += self.client.files.content(file_id).text + "\n"
        results = read_output(content, {article_id: known[article_id] for article_id in ids if article_id in known})
        for article_id in ids & set(results):
            pending.pop(article_id, None)
            yield known[article_id], results[article_id]
        # A failed or expired batch collects nothing: its articles stay pending and go into a new batch.
        self.db.table("batches").update(batch["id"], {"status": remote.status, "collected": 1})

    def submit(self, articles: list[Article]) -> None:
        data = input_file(articles, self.settings)
        uploaded = self.client.files.create(file=("summit-extract-batch.jsonl", io.BytesIO(data)), purpose="batch")
        remote = self.client.batches.create(input_file_id=uploaded.id, endpoint="/v1/chat/completions", completion_window="24h")
        self.db.table("batches").insert({
            "id": remote.id, "status": remote.status, "model": self.settings.model, "prompt_version": self.prompt_version,
            "article_ids": json.dumps(sorted(article.id for article in articles)), "requests": data.count(b"\n"),
            "submitted_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "collected": 0,
        }, pk="id")
        self.submitted.append(remote.id)
