"""Ledger commands that write: ingest, reprocess, redate.

Each opens the ledger given by --db (default ./warledger.duckdb).
"""
from __future__ import annotations

import time

import typer
from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from ..io.readers import DEFAULT_MAX_CHARS, read_inputs
from ..store.ledger import DEFAULT_PATH
from ._app import (
    SCHEDULER_OPTION,
    WORKERS_OPTION,
    InputFormat,
    Tally,
    app,
    err,
    extraction,
    published_option,
    with_country,
)

LOG_EVERY_S = 2.0  # progress lines when stderr is not a terminal
DB_OPTION = typer.Option(DEFAULT_PATH, "--db", help="Ledger file (DuckDB).")


def open_ledger(db: str, read_only: bool = False, extract=None):
    """The ledger at `db` (extracting with `extract`), or exit 2 with the reason it cannot be opened."""
    from ..store import Ledger
    from ..store.schema import SchemaError

    try:
        return Ledger(db, read_only=read_only, extract=extract)
    except (FileNotFoundError, SchemaError) as problem:
        err.print(f"[red]error:[/red] {problem}", highlight=False)
        raise typer.Exit(2) from None
    except Exception as problem:  # duckdb: locked by another process, not a DuckDB file...
        err.print(f"[red]error:[/red] {db}: cannot open the ledger ({problem})", highlight=False)
        raise typer.Exit(2) from None


class _IngestProgress:
    """A rich bar with articles/s at a terminal; one line per committed batch otherwise (logs, tests)."""

    def __init__(self, label: str):
        self.label, self.start, self.counts = label, time.perf_counter(), {}
        self.undated = 0  # articles with no publication date
        self.last_line = 0.0
        self.progress = None
        if err.is_terminal:
            self.progress = Progress(SpinnerColumn(), TextColumn(label), BarColumn(), TextColumn("{task.completed}"),
                                     TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), console=err,
                                     transient=True)
            self.task = self.progress.add_task(label, total=None, rate="")
            self.progress.start()

    def add(self, outcome) -> None:
        self.counts[outcome.status] = self.counts.get(outcome.status, 0) + 1
        self.undated += outcome.article.published is None and outcome.status != "duplicate"
        total = sum(self.counts.values())
        rate = total / max(time.perf_counter() - self.start, 1e-9)
        if self.progress:
            self.progress.update(self.task, completed=total, rate=f"{rate:.1f} articles/s")
        elif time.perf_counter() - self.last_line >= LOG_EVERY_S:
            self.last_line = time.perf_counter()
            err.print(f"{self.label}: {total} articles ({rate:.1f}/s)", highlight=False)

    def close(self) -> None:
        if self.progress:
            self.progress.stop()
            self.progress = None

    def summary(self) -> str:
        elapsed = time.perf_counter() - self.start
        total = sum(self.counts.values())
        parts = ", ".join(f"{n} {status}" for status, n in sorted(self.counts.items()))
        return f"{total} articles in {elapsed:.1f} s ({total / max(elapsed, 1e-9):.1f}/s): {parts or 'none'}"


def _follow(label: str, outcomes, ledger) -> _IngestProgress:
    """Show progress while a ledger works through articles, then what happened to them. Ctrl-C rolls back
    the open batch (one transaction) and says how many new articles the ledger kept."""
    progress = _IngestProgress(label)
    before = ledger.article_count()
    try:
        for outcome in outcomes:
            progress.add(outcome)
    except BaseException as problem:
        from ..store.ledger import interrupted

        if not interrupted(problem):
            raise
        progress.close()
        saved = ledger.article_count() - before
        err.print(f"[yellow]interrupted:[/yellow] {saved} new articles saved, the batch in progress rolled back; "
                  "run the same command again to resume", highlight=False)
        raise typer.Exit(130) from None
    finally:
        progress.close()
    err.print(progress.summary(), highlight=False)
    return progress


@app.command()
def ingest(
    paths: list[str] = typer.Argument(..., help="Files, folders (recursive), globs; .txt .html .jsonl .rss/.atom/.xml"),
    db: str = DB_OPTION,
    published: str = typer.Option(None, "--published", help="Publication date (YYYY-MM-DD) for inputs without one."),
    input_format: InputFormat = typer.Option(InputFormat.auto, "--input-format", help="Read inputs as this format."),
    country: str = typer.Option(None, "--country", help="ISO code of the war's country: a prior for places."),
    batch_size: int = typer.Option(64, "--batch-size", min=1, help="Articles per transaction."),
    max_chars: int = typer.Option(DEFAULT_MAX_CHARS, "--max-chars", help="Longest article accepted, in characters."),
    date_from_name: bool = typer.Option(False, "--published-from-name",
                                        help="Date each file by the date in its name (2024-04-08_x.txt, x_20240408.html)."),
    workers: int = WORKERS_OPTION,
    scheduler: str = SCHEDULER_OPTION,
) -> None:
    """Add articles to the ledger: extracted, de-duplicated, grouped by story, linked into incidents and figures.

    Ingesting the same article again adds nothing, unless it now comes with
    another date (--published): then its records are derived again. A run that
    is stopped can be run again and finishes the work. Unreadable inputs are
    named on stderr and make the exit code 1; the rest are still ingested.
    """
    day = published_option(published)
    tally = Tally()
    articles = with_country(tally.articles(read_inputs(paths, day, input_format.value, max_chars, date_from_name)),
                            country)
    with extraction(workers, scheduler) as extract, open_ledger(db, extract=extract) as ledger:
        undated = _follow("ingesting", ledger.ingest(articles, batch_size=batch_size), ledger).undated
        if undated:
            err.print(f"[yellow]warning:[/yellow] {undated} article(s) have no publication date, so their events "
                      f"are undated and not linked ({ledger.undated()} in the ledger); give one with --published, "
                      "--published-from-name or `warledger redate ARTICLE_ID DATE`", highlight=False)
    if tally.errors:
        err.print(f"[red]{tally.errors} input(s) failed[/red]; the rest were ingested")
        raise typer.Exit(1)


@app.command()
def reprocess(db: str = DB_OPTION, batch_size: int = typer.Option(64, "--batch-size", min=1),
              workers: int = WORKERS_OPTION, scheduler: str = SCHEDULER_OPTION) -> None:
    """Extract every stored article again (after an upgrade), replacing its records and links."""
    with extraction(workers, scheduler) as extract, open_ledger(db, extract=extract) as ledger:
        _follow("reprocessing", ledger.reprocess(batch_size=batch_size), ledger)


@app.command()
def redate(
    article_id: int = typer.Argument(..., help="The article's id (the article_id of events, claims, incidents)."),
    day: str = typer.Argument(..., help="Its publication date, YYYY-MM-DD."),
    db: str = DB_OPTION,
) -> None:
    """Set an article's publication date and derive its records again: its undated events get dates and
    join incidents."""
    from ..pipeline import extractor

    published = published_option(day)
    with open_ledger(db, extract=extractor()) as ledger:
        try:
            outcome = ledger.redate(article_id, published)
        except KeyError as problem:
            err.print(f"[red]error:[/red] {problem.args[0]}", highlight=False)
            raise typer.Exit(2) from None
    err.print(f"article {article_id} dated {published.isoformat()}: {outcome.events} events, {outcome.claims} claims",
              highlight=False)
