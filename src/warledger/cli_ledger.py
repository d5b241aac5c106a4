"""Ledger commands: ingest, reprocess, the queries (events, incidents, claims, figures, sources) and export.

Registered on the `warledger` app by cli.py. Each opens the ledger given by
--db (default ./warledger.duckdb); queries open it read-only.
"""
from __future__ import annotations

import csv
import json
import sys
import time
from datetime import date, datetime
from enum import Enum
from pathlib import Path

import typer
from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from .cli import (
    InputFormat,
    Tally,
    app,
    err,
    long_article_progress,
    published_option,
    stdout_console,
    with_country,
)
from .io.readers import DEFAULT_MAX_CHARS, read_inputs
from .store.ledger import DEFAULT_PATH

LOG_EVERY_S = 2.0  # progress lines when stderr is not a terminal
DB_OPTION = typer.Option(DEFAULT_PATH, "--db", help="Ledger file (DuckDB).")


class QueryFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


class ExportFormat(str, Enum):
    acled_csv = "acled-csv"
    geojson = "geojson"
    parquet = "parquet"
    jsonl = "jsonl"


def _open(db: str, read_only: bool = False):
    from .store import Ledger
    from .store.schema import SchemaError

    try:
        return Ledger(db, read_only=read_only)
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
        from .store.ledger import interrupted

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
    with _open(db) as ledger:
        undated = _follow("ingesting", ledger.ingest(articles, batch_size=batch_size,
                                                     on_part=long_article_progress()), ledger).undated
        if undated:
            err.print(f"[yellow]warning:[/yellow] {undated} article(s) have no publication date, so their events "
                      f"are undated and not linked ({ledger.undated()} in the ledger); give one with --published, "
                      "--published-from-name or `warledger redate ARTICLE_ID DATE`", highlight=False)
    if tally.errors:
        err.print(f"[red]{tally.errors} input(s) failed[/red]; the rest were ingested")
        raise typer.Exit(1)


@app.command()
def reprocess(db: str = DB_OPTION, batch_size: int = typer.Option(64, "--batch-size", min=1)) -> None:
    """Extract every stored article again (after an upgrade), replacing its records and links."""
    with _open(db) as ledger:
        _follow("reprocessing", ledger.reprocess(batch_size=batch_size), ledger)


@app.command()
def redate(
    article_id: int = typer.Argument(..., help="The article's id (the article_id of events, claims, incidents)."),
    day: str = typer.Argument(..., help="Its publication date, YYYY-MM-DD."),
    db: str = DB_OPTION,
) -> None:
    """Set an article's publication date and derive its records again: its undated events get dates and
    join incidents."""
    published = published_option(day)
    with _open(db) as ledger:
        try:
            outcome = ledger.redate(article_id, published)
        except KeyError as problem:
            err.print(f"[red]error:[/red] {problem.args[0]}", highlight=False)
            raise typer.Exit(2) from None
    err.print(f"article {article_id} dated {published.isoformat()}: {outcome.events} events, {outcome.claims} claims",
              highlight=False)


def _filters(since, until, near, km, type_, side, source, text, limit):
    from .gazetteer import geocode
    from .store.queries import Filters

    point = None
    if near:
        place = geocode(near)
        if place is None:
            raise typer.BadParameter(f"{near!r} is not a place in the gazetteer; try 'Name, CC' or 'lat,lon'",
                                     param_hint="--near")
        point = (place.latitude, place.longitude)
        where = ", ".join(x for x in (place.name, place.admin1, place.country_code) if x)
        err.print(f"near {where} ({place.latitude:.2f}, {place.longitude:.2f}), within {km:g} km", highlight=False)
    return Filters(since=published_option(since), until=published_option(until), near=point, km=km, type=type_,
                   side=side, source=source, text=text, limit=limit)


def _check_vocabulary(con, name: str, filters) -> None:
    """--type and --side must be values the query knows, or the answer would silently be empty."""
    import pycountry

    from .store import queries

    if filters.type:
        valid = queries.type_values(con, name)
        if filters.type.lower() not in {v.lower() for v in valid}:
            raise typer.BadParameter(f"{filters.type!r} is not a {queries.TYPE_VALUES[name]}; one of: "
                                     + ", ".join(valid), param_hint="--type")
    if filters.side:
        valid = queries.side_values(con)
        if filters.side.upper() not in valid and pycountry.countries.get(alpha_2=filters.side.upper()) is None:
            raise typer.BadParameter(f"{filters.side!r} is not a side; a country code (UA, RU...) or one of: "
                                     + ", ".join(valid), param_hint="--side")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, dict, set)):
        return json.dumps(value, default=str, ensure_ascii=False)
    return str(value)


TABLE_COLUMNS = {
    "events": ["incident_id", "event_date", "sub_event_type", "actor1", "actor2", "location", "fatalities",
               "source", "outlet"],
    "incidents": ["incident_id", "date_start", "sub_event_type", "location", "reports", "independent_sources",
                  "sides", "contradictions"],
    "claims": ["figure_id", "published", "category", "subject", "side", "low", "best", "high", "qualifier", "source"],
    "figures": ["figure_id", "date_start", "category", "side", "place", "independent_sources", "claims",
                "contradictions"],
    "sources": ["name", "kind", "side", "articles", "claims", "events", "first_seen", "last_seen"],
}


def _summary_cell(column: str, value) -> str:
    if column == "claims" and isinstance(value, list):
        return "; ".join(f"{c['source']}: {c['qualifier']} {c['low'] or ''}/{c['best'] or ''}/{c['high'] or ''}"
                         for c in value)
    if column == "contradictions" and isinstance(value, list):
        return "; ".join(f"{c['kind']}: {' vs '.join(c['between'])}" for c in value)
    if column == "sides" and isinstance(value, list):
        return ", ".join(value)
    return _cell(value)


def _print_rows(name: str, rows: list[dict], fmt: QueryFormat) -> None:
    if fmt == QueryFormat.json:
        sys.stdout.write(json.dumps(rows, default=_cell, ensure_ascii=False, indent=2) + "\n")
        return
    if fmt == QueryFormat.csv:
        writer = csv.writer(sys.stdout)
        columns = rows.columns
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row.get(c)) for c in columns])
        return
    from rich.table import Table

    table = Table(title=f"{name}: {len(rows)}", title_justify="left")
    for column in TABLE_COLUMNS[name]:
        table.add_column(column)
    for row in rows:
        table.add_row(*(_summary_cell(c, row.get(c)) for c in TABLE_COLUMNS[name]))
    stdout_console().print(table)


def _register_query(name: str, doc: str, type_help: str) -> None:
    def command(
        db: str = DB_OPTION,
        since: str = typer.Option(None, "--since", help="From this date (YYYY-MM-DD)."),
        until: str = typer.Option(None, "--until", help="Up to this date (YYYY-MM-DD)."),
        near: str = typer.Option(None, "--near", help="A place ('Bakhmut', 'Paris, US' or 'lat,lon')."),
        km: float = typer.Option(25.0, "--km", help="Radius around --near, in km."),
        type_: str = typer.Option(None, "--type", help=type_help),
        side: str = typer.Option(None, "--side", help="A side: UA, RU, WEST, INTL..."),
        source: str = typer.Option(None, "--source", help="Part of a source's name or an outlet."),
        text: str = typer.Option(None, "--text", help="Words in the sentence or article."),
        limit: int = typer.Option(None, "--limit", help="At most this many rows."),
        contested: bool = typer.Option(False, "--contested", help="Only rows where sources disagree."),
        fmt: QueryFormat = typer.Option(QueryFormat.table, "--format", "-f", help="table, csv or json."),
    ) -> None:
        from .store import queries

        filters = _filters(since, until, near, km, type_, side, source, text, limit)
        filters.contested = contested
        with _open(db, read_only=True) as ledger:
            _check_vocabulary(ledger.con, name, filters)
            rows = getattr(queries, name)(ledger.con, filters)
        _print_rows(name, rows, fmt)

    command.__doc__ = doc
    app.command(name)(command)


_register_query("events", "Events as reported, one row per report, with the incident each belongs to.",
                "An event type or sub-type ('Air/drone strike').")
_register_query("incidents", "Incidents: events linked across articles, with reports, independent sources, "
                "sides and each source's fatality figure.", "An event type or sub-type.")
_register_query("claims", "Quantitative claims, one row per claim, with the figure each belongs to.",
                "A claim category ('killed', 'drones_shot_down').")
_register_query("figures", "Figures: claims about the same quantity across sources, side by side, "
                "disagreements flagged.", "A claim category.")
_register_query("sources", "Who asserts what: each source with its kind, side and how much it claims.",
                "A source kind ('military', 'analyst').")


@app.command()
def export(
    output: Path = typer.Argument(..., help="File to write."),
    fmt: ExportFormat = typer.Option(..., "--format", "-f", help="acled-csv, geojson, parquet or jsonl."),
    db: str = DB_OPTION,
    table: str = typer.Option("events", "--table", help="For parquet: events, incidents, claims, figures, "
                              "sources or articles."),
    since: str = typer.Option(None, "--since", help="From this date (YYYY-MM-DD)."),
    until: str = typer.Option(None, "--until", help="Up to this date (YYYY-MM-DD)."),
) -> None:
    """Write the ledger for other tools: ACLED-style CSV of events, GeoJSON of incidents and events,
    Parquet of one table, or JSON Lines of every article's report. '-' writes to stdout."""
    from .io import exporters

    if fmt == ExportFormat.parquet and table not in exporters.TABLES:
        raise typer.BadParameter(f"one of {', '.join(exporters.TABLES)}", param_hint="--table")
    filters = _filters(since, until, None, 0, None, None, None, None, None)
    to_stdout = str(output) == "-"
    with _open(db, read_only=True) as ledger:
        try:
            if fmt == ExportFormat.parquet:
                count = exporters.write_parquet(ledger.con, None if to_stdout else output, table, filters,
                                                sys.stdout.buffer if to_stdout else None)
            else:
                writer = {ExportFormat.acled_csv: exporters.write_acled_csv, ExportFormat.geojson:
                          exporters.write_geojson, ExportFormat.jsonl: exporters.write_reports_jsonl}[fmt]
                if to_stdout:
                    count = writer(ledger.con, sys.stdout, filters)
                else:
                    with output.open("w", encoding="utf-8", newline="") as handle:
                        count = writer(ledger.con, handle, filters)
        except OSError as problem:
            err.print(f"[red]error:[/red] cannot write {output}: {problem.strerror or problem}", highlight=False)
            raise typer.Exit(2) from None
    err.print(f"wrote {count} records to {'stdout' if to_stdout else output}", highlight=False)


class RecordFormat(str, Enum):
    table = "table"
    json = "json"


def _print_record(title: str, record: dict, fmt: RecordFormat) -> None:
    """One record: JSON, or its fields then a table for each list of rows in it."""
    if fmt == RecordFormat.json:
        sys.stdout.write(json.dumps(record, default=_cell, ensure_ascii=False, indent=2) + "\n")
        return
    from rich.table import Table

    out = stdout_console()
    out.print(f"[bold]{title}[/bold]", highlight=False)
    nested = {k: v for k, v in record.items() if isinstance(v, list) and v and isinstance(v[0], dict)}
    for key, value in record.items():
        if key not in nested and value not in (None, [], ""):
            out.print(f"  {key}: {_summary_cell(key, value)}", highlight=False)
    for key, rows in nested.items():
        table = Table(title=f"{key}: {len(rows)}", title_justify="left")
        columns = list(rows[0])
        for column in columns:
            table.add_column(column)
        for row in rows:
            table.add_row(*(_summary_cell(c, row.get(c)) for c in columns))
        out.print(table)


def _show(title: str, record: dict | None, missing: str, fmt: RecordFormat) -> None:
    if record is None:
        err.print(f"[red]error:[/red] {missing}", highlight=False)
        raise typer.Exit(2)
    _print_record(title, record, fmt)


RECORD_FORMAT = typer.Option(RecordFormat.table, "--format", "-f", help="table or json.")


@app.command("incident")
def show_incident(incident_id: int = typer.Argument(..., help="An incident id (from `incidents` or `events`)."),
                  db: str = DB_OPTION, fmt: RecordFormat = RECORD_FORMAT) -> None:
    """One incident: every report of it side by side (source, side, perpetrator, target, toll, sentence,
    URL), the contradictions between them and the figures counted about it."""
    from .store import queries

    with _open(db, read_only=True) as ledger:
        record = queries.incident(ledger.con, incident_id)
    _show(f"incident {incident_id}", record, f"no incident {incident_id} in {db}", fmt)


@app.command("article")
def show_article(article_id: int = typer.Argument(..., help="An article id ('article 217' in a query's output)."),
                 db: str = DB_OPTION, text: bool = typer.Option(False, "--text", help="Print the article's text too."),
                 fmt: RecordFormat = RECORD_FORMAT) -> None:
    """One article: its outlet, date, copies and story, and every record taken from it with the incident
    or figure each belongs to."""
    from .store import queries

    with _open(db, read_only=True) as ledger:
        record = queries.article(ledger.con, article_id, with_text=text)
    _show(f"article {article_id}", record, f"no article {article_id} in {db}", fmt)


@app.command("source")
def show_source(name: str = typer.Argument(..., help="A source's name, as `sources` lists it (any case)."),
                db: str = DB_OPTION, fmt: RecordFormat = RECORD_FORMAT) -> None:
    """One source: its kind and side, and each event and claim it asserts, with the article's URL."""
    from .store import queries

    with _open(db, read_only=True) as ledger:
        record = queries.source(ledger.con, name)
    _show(record["name"] if record else name, record, f"no source named {name!r} in {db}; `warledger sources` lists them",
          fmt)
