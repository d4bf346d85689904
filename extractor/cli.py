"""The summit-extract command line: a thin layer over extractor.pipeline."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import click

from extractor import pipeline, store
from extractor.articles import ArticleError
from extractor.llm import LLMSettings
from extractor.local_model import LocalModelError


@click.group()
@click.version_option(package_name="summit-extract")
def cli() -> None:
    """Turn news articles about a diplomatic summit into a browsable SQLite database."""


@cli.command()
@click.argument("source")
@click.option("--db", "db_path", default="summit.db", show_default=True, type=click.Path(dir_okay=False), help="SQLite database to write.")
@click.option("--model", help="Model name on a remote OpenAI-compatible server. Without --model or --base-url the embedded local model is used.")
@click.option("--base-url", help="OpenAI-compatible server, e.g. http://localhost:11434/v1 for Ollama (default: $OPENAI_BASE_URL). The key comes from $OPENAI_API_KEY.")
@click.option("--threads", default=2, show_default=True, help="CPU threads for the embedded model.")
@click.option("--concurrency", default=1, show_default=True, type=click.IntRange(1, 256), help="Articles extracted at once: for remote APIs (the embedded model serves one request at a time).")
@click.option("--max-rpm", type=click.FloatRange(min=0.1), help="At most this many requests a minute, across all concurrent articles (an API's rate limit).")
@click.option("--batch", is_flag=True, help="Send new articles through the OpenAI Batch API; run the same command later to collect the answers.")
@click.option("--wait", is_flag=True, help="With --batch: poll until the answers are in, and store them.")
@click.option("--record", type=click.Path(dir_okay=False, path_type=Path), help="Save the real model exchanges of this run to a cassette file.")
@click.option("--replay", type=click.Path(dir_okay=False, path_type=Path, exists=True), help="Answer model requests from a cassette instead of a model.")
@click.option("--retry-failed", is_flag=True, help="Extract again the articles that failed or were partial in an earlier run.")
@click.option("--prune", is_flag=True, help="Remove from the database the articles whose files are not in SOURCE.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def run(source, db_path, model, base_url, threads, concurrency, max_rpm, batch, wait, record, replay, retry_failed, prune, quiet) -> None:
    """Extract every article in SOURCE (a directory of .txt files, a file or a glob) into the database."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("instructor").setLevel(logging.CRITICAL)  # failures are reported per article instead
    settings = None
    if model or base_url or os.environ.get("OPENAI_BASE_URL"):
        settings = LLMSettings.from_env(model, base_url)
    if batch and settings is None:
        raise click.UsageError("--batch needs a remote API that offers batches: give --model (and --base-url if not OpenAI)")
    options = pipeline.RunOptions(
        settings=settings, threads=threads, record=record, replay=replay, progress=not quiet, prune=prune,
        retry_failed=retry_failed, concurrency=concurrency, max_rpm=max_rpm, batch=batch, wait=wait,
    )
    try:
        summary = pipeline.run(source, db_path, options)
    except (ArticleError, LocalModelError, FileNotFoundError) as error:
        raise click.ClickException(str(error)) from error
    except KeyboardInterrupt:
        click.echo("\ninterrupted: every finished article is saved; run the same command again to do the rest", err=True)
        sys.exit(130)
    print_summary(summary, db_path)
    if summary.failed and not (summary.ok or summary.partial):
        sys.exit(1)


@cli.command()
@click.argument("db_path", default="summit.db", type=click.Path(exists=True, dir_okay=False))
@click.option("--port", type=int, help="Port on 127.0.0.1 (default: a free one).")
def browse(db_path, port) -> None:
    """Open the database in Datasette, read-only, with descriptions, facets and canned queries."""
    from extractor import browse as browsing

    store.open_database(db_path).close()  # brings an older database up to the current schema
    process, url = browsing.serve(db_path, port)
    click.echo(f"Datasette is serving {db_path} at {url} (Ctrl+C to stop)")
    try:
        process.wait()
    except KeyboardInterrupt:
        process.terminate()


@cli.command(name="eval")
@click.option("--db", "db_path", default="summit.db", show_default=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--gold", "gold_dir", default="data/gold", show_default=True, type=click.Path(exists=True, file_okay=False))
def evaluate_command(db_path, gold_dir) -> None:
    """Print precision, recall and F1 per table of the database's extractions against gold annotations."""
    from extractor.evaluate import evaluate

    report = evaluate(store.open_database(db_path), gold_dir)
    if not report.articles:
        raise click.ClickException(f"no article in {db_path} has a gold file in {gold_dir}")
    click.echo(report.as_text())


def print_summary(summary: pipeline.RunSummary, db_path: str) -> None:
    click.echo(
        f"articles: {summary.ok} ok ({summary.reused} re-used from earlier runs), "
        f"{summary.partial} partial, {summary.failed} failed"
    )
    for path, error in summary.failures:
        click.echo(f"  {path}: {error}", err=True)
    if summary.not_retried:
        click.echo(f"{len(summary.not_retried)} articles failed in an earlier run and were not retried (use --retry-failed)")
    for batch_id in summary.batches_submitted:
        click.echo(f"submitted batch {batch_id}")
    if summary.batches_waiting:
        click.echo(f"waiting for batches {', '.join(summary.batches_waiting)}: run the same command again later (or add --wait)")
    if summary.pruned:
        click.echo(f"pruned {len(summary.pruned)} articles whose files are gone: {', '.join(summary.pruned)}")
    facts = ", ".join(f"{table} {count}" for table, count in summary.facts.items())
    click.echo(f"facts: {facts}")
    click.echo(
        f"model calls: {summary.model_calls}, tokens: {summary.prompt_tokens} prompt + "
        f"{summary.completion_tokens} completion, time: {summary.seconds:.1f} s"
    )
    for question, cost in summary.by_question.items():
        click.echo(f"  {question}: {cost.calls} calls, {cost.prompt_tokens} prompt tokens ({cost.cached_tokens} from cache), "
                   f"{cost.completion_tokens} completion tokens")
    click.echo(f"database: {db_path} (browse with: summit-extract browse {db_path})")


if __name__ == "__main__":  # pragma: no cover
    cli()
