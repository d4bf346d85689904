"""The batch job: read articles, extract what is new, store each as it finishes, merge, report."""

from __future__ import annotations

import itertools
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, as_completed, wait
from collections.abc import Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path

from tqdm import tqdm

from extractor import browse, local_model, store
from extractor.articles import Article, ArticleError, article_id, read_articles
from extractor.batch import BatchRun
from extractor.duplicates import Document, find_copies
from extractor.extract import ExtractionResult, extract_article
from extractor.llm import LLMClient, LLMSettings, RequestPace, Usage, describe
from extractor.merge import merge
from extractor.prompts import prompt_version
from extractor.recording import recording, replaying
from schemas import ArticleExtraction

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
    concurrency: int = 1  # articles extracted at once (for remote APIs; the embedded model serves one)
    max_rpm: float | None = None  # requests per minute at most, across all threads
    batch: bool = False  # submit new articles through the OpenAI Batch API; collect on a later run
    wait: bool = False  # with batch: poll until every batch is answered and collected
    poll_seconds: float = 30.0


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
    by_question: dict[str, Usage] = field(default_factory=dict)  # tokens each question (stage) spent
    batches_submitted: list[str] = field(default_factory=list)
    batches_waiting: list[str] = field(default_factory=list)  # submitted, not answered yet


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

    seen: set[str] = set()

    def to_extract():
        """The articles to send to the model, read one at a time; the rest are accounted for here."""
        for where, item in read_articles(source):
            seen.add(where)
            if isinstance(item, ArticleError):
                store.save_article(db, invalid_row(where, item, model, version), None)
                summary.failed += 1
                summary.failures.append((where, str(item)))
                continue
            status = store.attempt_status(db, item.id, model, version)
            if status == "ok":
                summary.reused += 1
            elif status in ("failed", "partial") and not options.retry_failed:
                summary.not_retried.append(item.path)
            else:
                yield item

    pending = to_extract()
    first = next(pending, None)
    with ExitStack() as stack:
        results = iter(())
        if first is not None:
            if settings is None and options.batch:
                raise ValueError("--batch needs a remote API that offers batches: give --model (and --base-url if not OpenAI)")
            if settings is None:
                server = stack.enter_context(local_model.start_local_server(threads=options.threads))
                settings = embedded_settings(server.base_url)
            if options.record:
                stack.enter_context(recording(options.record, settings.model))
            if options.replay:
                stack.enter_context(replaying(options.replay))
            if options.batch:
                batches = BatchRun(db, settings, version, options.poll_seconds)
                results = batches.run(itertools.chain([first], pending), wait=options.wait)
            else:
                results = extract_all(itertools.chain([first], pending), settings, options)
        bar = tqdm(desc="articles", unit="article", disable=not options.progress)
        for article, result in results:
            extraction = result.extraction if result.status != "failed" else None
            store.save_article(db, article_row(article, result, model, version), extraction, result.usage_by_question)
            for question, cost in result.usage_by_question.items():
                summary.by_question.setdefault(question, Usage()).add(cost)
            bar.update()
            bar.set_postfix_str(Path(article.path).name)
            setattr(summary, result.status, getattr(summary, result.status) + 1)
            summary.prompt_tokens += result.usage.prompt_tokens
            summary.completion_tokens += result.usage.completion_tokens
            summary.model_calls += result.usage.calls
            if result.errors:
                summary.failures.append((article.path, "; ".join(result.errors)))
        bar.close()
    if options.batch and first is not None:
        summary.batches_submitted, summary.batches_waiting = batches.submitted, batches.waiting
    summary.ok += summary.reused

    if options.prune:
        summary.pruned = store.prune(db, seen)
    extractions, rows = store.merge_inputs(db)
    copies = find_copies([Document(row["id"], row["text"], row["published"]) for row in rows])
    store.set_copies(db, copies)
    summary.facts = store.write_merged(db, merge(extractions, copies))
    browse.write_metadata(db_path)
    summary.seconds = time.monotonic() - started
    return summary


def extract_all(articles: Iterable[Article], settings: LLMSettings, options: RunOptions):
    """Yield (article, result) as each finishes: one at a time, or on a pool of `concurrency`
    threads for a remote API. Results come back to the caller's thread, the only one that writes."""
    pace = RequestPace(options.max_rpm) if options.max_rpm else None
    local = threading.local()

    def extract(article: Article) -> ExtractionResult:
        if not hasattr(local, "client"):
            local.client = LLMClient(settings, pace)
        try:
            return extract_article(article, local.client)
        except Exception as error:  # one article's unexpected fault must not stop the batch
            return ExtractionResult(ArticleExtraction(), errors=[f"unexpected error: {describe(error)}"])

    if options.concurrency <= 1:
        for article in articles:
            yield article, extract(article)
        return
    with ThreadPoolExecutor(max_workers=options.concurrency) as pool:
        in_flight: dict = {}
        try:
            for article in articles:  # read lazily: at most two articles per thread wait in memory
                in_flight[pool.submit(extract, article)] = article
                if len(in_flight) >= 2 * options.concurrency:
                    done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                    for future in done:
                        yield in_flight.pop(future), future.result()
            for future in as_completed(list(in_flight)):
                yield in_flight.pop(future), future.result()
        except BaseException:
            for future in in_flight:
                future.cancel()
            raise


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


def invalid_row(path: str, error: ArticleError, model: str, version: str) -> dict:
    return {
        "id": article_id(f"unreadable:{path}"), "path": str(path), "status": "invalid", "error": str(error),
        "model": model, "prompt_version": version,
    }
