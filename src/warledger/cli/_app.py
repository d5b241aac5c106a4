"""The typer app and what every command group shares: consoles, input options, progress."""
from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from datetime import date
from enum import Enum

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from ..io.readers import InputError, parse_date
from ..model import Article, Report

app = typer.Typer(
    help="Turn war and conflict reporting into a sourced ledger of what happened and who says so.",
    no_args_is_help=True, add_completion=False,
)
err = Console(stderr=True, soft_wrap=True)  # one line per message, whatever the width


def _print_version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"warledger {__version__}")
        raise typer.Exit()


@app.callback()
def main(version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True,
                                      help="Print the version and exit.")) -> None:
    """Turn war and conflict reporting into a sourced ledger of what happened and who says so."""
PIPED_WIDTH = 180
SAMPLE = "000_a28bbd1fbba2924c.txt"
SAMPLE_PUBLISHED = date(2023, 3, 30)


class OutputFormat(str, Enum):
    json = "json"
    jsonl = "jsonl"
    table = "table"


class InputFormat(str, Enum):
    auto = "auto"
    text = "text"
    html = "html"
    jsonl = "jsonl"
    feed = "feed"


def published_option(value: str | None) -> date | None:
    try:
        return parse_date(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD") from None


class Tally:
    """Counts what went wrong while articles stream past, for the exit code."""

    def __init__(self) -> None:
        self.errors = 0

    def articles(self, items: Iterable[Article | InputError]) -> Iterator[Article]:
        for item in items:
            if isinstance(item, InputError):
                self.errors += 1
                err.print(f"[red]error:[/red] {item}", highlight=False)
                continue
            for warning in item.warnings:
                err.print(f"[yellow]warning:[/yellow] {warning}", highlight=False)
            yield item


def _with_progress(reports: Iterator[Report], show: bool) -> Iterator[Report]:
    if not show:
        yield from reports
        return
    columns = (SpinnerColumn(), TextColumn("extracting"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]}"), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task("extract", total=None, rate="")
        for n, report in enumerate(reports, 1):
            elapsed = progress.tasks[0].elapsed or 1e-9
            progress.update(task, completed=n, rate=f"{n / elapsed:.1f} articles/s")
            yield report


def long_article_progress(every_s: float = 2.0):
    """An `on_part` callback for `process`: a line on stderr while a long article goes through in parts."""
    import time

    last = [0.0]

    def on_part(article: Article, done: int, parts: int) -> None:
        now = time.perf_counter()
        if done == parts or now - last[0] >= every_s:
            last[0] = now
            name = article.origin or article.id or "article"
            err.print(f"{name}: {len(article.text):,} characters, part {done} of {parts}", highlight=False)

    return on_part


def with_country(articles: Iterable[Article], country: str | None) -> Iterator[Article]:
    for article in articles:
        if country and not article.country:
            article.country = country.upper()
        yield article


def stdout_console() -> Console:
    """Tables at the terminal's width, or wide enough to read when piped to a file."""
    console = Console()
    return console if console.is_terminal else Console(width=PIPED_WIDTH)


def _with_progress_pairs(pairs, total: int):
    if not err.is_terminal:
        yield from pairs
        return
    with Progress(SpinnerColumn(), TextColumn("evaluating"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True) as progress:
        task = progress.add_task("eval", total=total)
        for pair in pairs:
            progress.advance(task)
            yield pair


WORKERS_OPTION = typer.Option(None, "--workers", min=1, show_default="every core, once a job passes 256 articles",
                              help="Extract in this many local worker processes (Dask); 1: in this process, "
                              "no Dask.")
SCHEDULER_OPTION = typer.Option(None, "--scheduler", help="Extract on an existing dask.distributed cluster "
                                "(its scheduler's address, tcp://host:8786); this process still writes the ledger.")


@contextlib.contextmanager
def extraction(workers: int | None, scheduler: str | None):
    """The function that extracts articles: in this process, or on Dask workers (started and stopped here);
    with neither option, on a worker per core once the job is big enough to repay starting them."""
    from ..pipeline import extractor

    local = extractor(long_article_progress())
    if workers == 1 and not scheduler:
        yield local
        return
    from ..distributed import START_WORKERS_AFTER, DaskExtractor, OnDemandExtractor

    if workers is None and not scheduler:
        def announce(count: int) -> None:
            err.print(f"more than {START_WORKERS_AFTER} articles: starting {count} local workers", highlight=False)

        with OnDemandExtractor(local, on_start=announce) as on_demand:
            yield on_demand
        return
    err.print(f"starting {'the cluster at ' + scheduler if scheduler else str(workers) + ' local workers'}",
              highlight=False)
    with DaskExtractor(workers, scheduler) as dask:
        yield dask
