"""`warledger extract` and `warledger demo`: articles to reports."""
from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path

import typer
from rich.console import Console

from ..io.readers import DEFAULT_MAX_CHARS, read_inputs
from ._app import (
    PIPED_WIDTH,
    SAMPLE,
    SAMPLE_PUBLISHED,
    InputFormat,
    OutputFormat,
    Tally,
    SCHEDULER_OPTION,
    WORKERS_OPTION,
    _with_progress,
    app,
    err,
    extraction,
    published_option,
    stdout_console,
    with_country,
)


@app.command()
def extract(
    files: list[str] = typer.Argument(..., help="Articles: .txt, .html or .jsonl files; '-' reads stdin."),
    published: str = typer.Option(None, "--published", help="Publication date (YYYY-MM-DD) for inputs without one."),
    output: OutputFormat = typer.Option(OutputFormat.json, "--format", "-f", help="json, jsonl (one report a line) or table."),
    input_format: InputFormat = typer.Option(InputFormat.auto, "--input-format", help="Read inputs as this format; auto goes by file name and content."),
    max_chars: int = typer.Option(DEFAULT_MAX_CHARS, "--max-chars", help="Longest article accepted, in characters."),
    country: str = typer.Option(None, "--country", help="ISO code of the war's country (UA, SD...): a prior for places."),
    to_file: Path = typer.Option(None, "--output", "-o", help="Write the reports to this file, not stdout."),
    workers: int = WORKERS_OPTION,
    scheduler: str = SCHEDULER_OPTION,
) -> None:
    """Extract one report per article (SPEC.md, schema warledger/1), in input order.

    A file that cannot be read is reported on stderr by name (and line, for
    JSONL); the others are still processed, and the exit code is 1.
    """
    day = published_option(published)
    tally = Tally()
    articles = with_country(tally.articles(read_inputs(files, day, input_format.value, max_chars)), country)
    show = err.is_terminal and (len(files) > 1 or output != OutputFormat.table or to_file is not None)
    with extraction(workers, scheduler) as extract:
        _write_reports(_with_progress(_batched(extract, articles), show=show), output, to_file)
    if tally.errors:
        err.print(f"[red]{tally.errors} input(s) failed[/red]; the rest were extracted")
        raise typer.Exit(1)


EXTRACT_BATCH = 64


def _batched(extract, articles):
    """Reports in input order, the articles going to `extract` a batch at a time; an extractor that can
    start early (Dask's `prefetch`) already has the next batch while this one's reports are written."""
    prefetch = getattr(extract, "prefetch", None)
    pending: list = []
    batch: list = []
    for article in articles:
        batch.append(article)
        if len(batch) == EXTRACT_BATCH:
            if prefetch:
                prefetch(batch)
            if pending:
                yield from extract(pending)
            pending, batch = batch, []
    if batch and prefetch:
        prefetch(batch)
    for last in (pending, batch):
        if last:
            yield from extract(last)


def _write_reports(reports, output: OutputFormat, to_file: Path | None) -> None:
    try:
        handle = to_file.open("w", encoding="utf-8") if to_file is not None else sys.stdout
    except OSError as problem:
        err.print(f"[red]error:[/red] cannot write {to_file}: {problem.strerror or problem}", highlight=False)
        raise typer.Exit(2) from None
    try:
        if output == OutputFormat.jsonl:
            for report in reports:
                handle.write(json.dumps(report.to_dict(), ensure_ascii=False) + "\n")
        elif output == OutputFormat.table:
            from ..render import render_report

            out = stdout_console() if to_file is None else Console(file=handle, width=PIPED_WIDTH)
            for report in reports:
                render_report(report, out)
        else:
            collected = [r.to_dict() for r in reports]
            if collected:
                payload = collected[0] if len(collected) == 1 else collected
                handle.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    finally:
        if to_file is not None:
            handle.close()


@app.command()
def demo(
    serve: bool = typer.Option(False, "--serve", help="Build a small demo ledger and open it in the dashboard."),
    db: Path = typer.Option(None, "--db", help="Where to build the demo ledger (default: a temporary folder)."),
    port: int = typer.Option(8000, "--port", min=1, max=65535),
) -> None:
    """Extract the bundled sample article (UK MoD update, 30 March 2023) and show what was found; with
    --serve, ingest it with a few short reports written for the demo (one incident told by several sides)
    and serve the dashboard on 127.0.0.1."""
    from .. import extract as extract_text
    from ..render import render_report

    examples = resources.files("warledger") / "data" / "examples"
    text = (examples / SAMPLE).read_text(encoding="utf-8")
    if serve:
        import tempfile

        from ..model import Article
        from ..pipeline import extractor
        from ..store import Ledger
        from .serve import serve as serve_ledger

        folder = Path(tempfile.mkdtemp(prefix="warledger-demo-")) if db is None else db.parent
        path = db or folder / "demo.duckdb"
        sample = Article(text=text, id=SAMPLE.removesuffix(".txt"), published=SAMPLE_PUBLISHED,
                         title="Putin ‘seeks to recruit 400,000 troops’ after heavy losses in Ukraine")
        reports = [a for a in read_inputs([str(examples / "demo_reports.jsonl")]) if isinstance(a, Article)]
        with Ledger(path, extract=extractor()) as ledger:
            outcomes = list(ledger.ingest([sample, *reports]))
        err.print(f"demo ledger {path}: {len(outcomes)} articles", highlight=False)
        serve_ledger(db=str(path), host="127.0.0.1", port=port, query_seconds=5.0, cors=False, token=None)
        return
    report = extract_text(text, published=SAMPLE_PUBLISHED, id=SAMPLE.removesuffix(".txt"),
                          title="Putin ‘seeks to recruit 400,000 troops’ after heavy losses in Ukraine")
    console = stdout_console()
    render_report(report, console)
    console.print("\nFull records: [bold]warledger extract FILE --published YYYY-MM-DD[/bold] (JSON, SPEC.md)"
                  "\nThe dashboard over a small demo ledger: [bold]warledger demo --serve[/bold]")
