"""The batch job: read articles, extract what is new, store each as it finishes, merge, report."""

from __future__ import annotations

import time
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path

from tqdm import tqdm

from extractor import browse, local_model, store
from extractor.articles import Article, ArticleError, article_id, read_articles
from extractor.duplicates import Document, find_copies
from extractor.extract import ExtractionResult, extract_article
from extractor.llm import LLMClient, LLMSettings, describe
from extractor.merge import merge
from extractor.prompts import prompt_version
from schemas import ArticleExtraction
from extractor.recording import recording, replaying

REPLAY_BASE_URL = "http://127.0.0.1:9/v1"  # never contacted: replayed requests are answered from the cassette


@dataclass
class RunOptions:
    """How to run. ``settings`` None means the embedded local model."""

    settings: LLMSettings | None = None
    threads: int = 2
    record: Path | None = None
    replay: Path | None = None
    progress: bool = True
    prune: bool = False  # forget articles whose files are no longer in the source
    retry_failed: bool = False  # extract again the articles that failed (or were partial) last time


@dataclass
class RunSummary:
    ok: int = 0
    partial: int = 0
    failed: int = 0
    reused: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    model_calls: int = 0
    seconds: float = 0.0
    facts: dict[str, int] = field(default_factory=dict)
    failures: list[tuple[str, str]] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    not_retried: list[str] = field(default_factory=list)  # failed earlier with this model and prompt


def embedded_settings(base_url: str) -> LLMSettings:
    return LLMSettings(model=local_model.MODEL_NAME, base_url=base_url)


def run(source: str | Path, db_path: str | Path, options: RunOptions | None = None) -> RunSummary:
    """Extract every new article under source into the database at db_path, then rebuild the merged
    facts from every article the database holds (earlier runs' included; see RunOptions.prune)."""
    options = options or RunOptions()
    started = time.monotonic()
    summary = RunSummary()
    db = store.open_database(str(db_path))
    version = prompt_version()
    settings = options.settings
    if options.replay:
        # A request missing from the recording will not appear by retrying: fail it at once.
        settings = replace(settings or embedded_settings(REPLAY_BASE_URL), transport_attempts=1)
    model = settings.model if settings else local_model.MODEL_NAME

    articles: list[Article] = []
    for path, item in read_articles(source):
        if isinstance(item, ArticleError):
            store.save_article(db, invalid_row(path, item, model, version), None)
            summary.failed += 1
            summary.failures.append((str(path), str(item)))
        else:
            articles.append(item)

    pending = []
    for article in articles:
        status = store.attempt_status(db, article.id, model, version)
        if status == "ok":
            summary.reused += 1
        elif status in ("failed", "partial") and not options.retry_failed:
            summary.not_retried.append(article.path)
        else:
            pending.append(article)
    with ExitStack() as stack:
        if pending:
            if settings is None:
                server = stack.enter_context(local_model.start_local_server(threads=options.threads))
                settings = embedded_settings(server.base_url)
            if options.record:
                stack.enter_context(recording(options.record, settings.model))
            if options.replay:
                stack.enter_context(replaying(options.replay))
            client = LLMClient(settings)
        bar = tqdm(pending, desc="articles", unit="article", disable=not options.progress)
        for article in bar:
            bar.set_postfix_str(Path(article.path).name)
            try:
                result = extract_article(article, client)
            except Exception as error:  # one article's unexpected fault must not stop the batch
                result = ExtractionResult(ArticleExtraction(), errors=[f"unexpected error: {describe(error)}"])
            store.save_article(db, article_row(article, result, model, version), result.extraction if result.status != "failed" else None)
            setattr(summary, result.status, getattr(summary, result.status) + 1)
            summary.prompt_tokens += result.usage.prompt_tokens
            summary.completion_tokens += result.usage.completion_tokens
            summary.model_calls += result.usage.calls
            if result.errors:
                summary.failures.append((article.path, "; ".join(result.errors)))
    summary.ok += summary.reused

    if options.prune:
        summary.pruned = store.prune(db, {a.path for a in articles} | {str(path) for path, _ in summary.failures})
    extractions, rows = store.merge_inputs(db)
    copies = find_copies([Document(row["id"], row["text"], row["published"]) for row in rows])
    store.set_copies(db, copies)
    summary.facts = store.write_merged(db, merge(extractions, copies))
    browse.write_metadata(db_path)
    summary.seconds = time.monotonic() - started
    return summary


def article_row(article: Article, result: ExtractionResult, model: str, version: str) -> dict:
    return {
        "id": article.id, "path": article.path, "title": article.title, "outlet": article.outlet,
        "published": article.published, "text": article.text, "status": result.status,
        "error": "; ".join(result.errors) or None, "model": model, "prompt_version": version,
        "attempts": result.usage.calls, "prompt_tokens": result.usage.prompt_tokens,
        "completion_tokens": result.usage.completion_tokens, "cached_tokens": result.usage.cached_tokens,
        "seconds": round(result.seconds, 2), "raw_chars": len(article.raw), "text_chars": len(article.text),
        "dropped_items": result.dropped,
    }


def invalid_row(path: Path, error: ArticleError, model: str, version: str) -> dict:
    return {
        "id": article_id(f"unreadable:{path}"), "path": str(path), "status": "invalid", "error": str(error),
        "model": model, "prompt_version": version,
    }
