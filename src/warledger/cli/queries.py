"""Reading the ledger: the queries (events, incidents, claims, figures, sources), its records one by one
(incident, article, source) and export."""
from __future__ import annotations

import csv
import json
import sys
from enum import Enum
from pathlib import Path

import typer

from ..io.formats import cell, csv_text
from ..numbers import as_int_if_whole
from ._app import app, err, published_option, stdout_console
from .ledger import DB_OPTION, open_ledger


class QueryFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"



def _filters(since, until, near, km, type_, side, source, text, limit):
    from ..gazetteer import geocode
    from ..store.queries import Filters

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

    from ..store import queries

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
    return cell(value)


def _print_rows(name: str, rows: list[dict], fmt: QueryFormat) -> None:
    if fmt == QueryFormat.json:
        sys.stdout.write(json.dumps(rows, default=cell, ensure_ascii=False, indent=2) + "\n")
        return
    if fmt == QueryFormat.csv:
        sys.stdout.write(csv_text(rows, rows.columns))
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
        from ..store import queries

        filters = _filters(since, until, near, km, type_, side, source, text, limit)
        filters.contested = contested
        with open_ledger(db, read_only=True) as ledger:
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



@app.command("series")
def series_command(
    db: str = DB_OPTION,
    category: str = typer.Option(None, "--category", help="A tally item (tanks, personnel, uavs...) or a claim "
                                 "category (attacks, killed...); without it, every tally item."),
    source: str = typer.Option(None, "--source", help="Part of a source's name: 'General Staff'."),
    side: str = typer.Option(None, "--side", help="Whose figure: RU, UA..."),
    since: str = typer.Option(None, "--since", help="From this date (YYYY-MM-DD)."),
    until: str = typer.Option(None, "--until", help="Up to this date (YYYY-MM-DD)."),
    change: bool = typer.Option(False, "--change", help="CSV: each day's change as given ('+7'), not the total."),
    fmt: QueryFormat = typer.Option(QueryFormat.table, "--format", "-f", help="table, csv (a row a day, a column "
                                    "per item) or json (a row per claim)."),
) -> None:
    """A claimed figure over time, source by source: a running total and the day's change as the source gave
    them, the change its totals imply, and where the source contradicts itself (a total that falls, a day's
    change that is not the difference of two totals)."""
    from ..store import queries

    filters = _filters(since, until, None, 25.0, None, side, source, None, None)
    with open_ledger(db, read_only=True) as ledger:
        _check_vocabulary(ledger.con, "claims", filters)
        rows = queries.series(ledger.con, category, filters)
    if fmt == QueryFormat.json:
        sys.stdout.write(json.dumps(list(rows), default=cell, ensure_ascii=False, indent=2) + "\n")
        return
    days = series_days(rows)
    if fmt == QueryFormat.csv:
        _print_wide(days, "change" if change else "total")
        return
    from rich.table import Table

    table = Table(title=f"series: {category or 'every tally item'} ({len(days)} rows)", title_justify="left")
    for column in ("date", "source", "what", "total", "change", "totals differ by", "inconsistency"):
        table.add_column(column, justify="right" if column in ("total", "change", "totals differ by") else "left")
    for day in days:
        table.add_row(*(cell(day[c]) for c in ("date", "source", "what", "total", "change", "implied_change")),
                      "[red]" + "; ".join(day["inconsistencies"]) + "[/red]" if day["inconsistencies"] else "")
    stdout_console().print(table)


def series_days(rows: list[dict]) -> list[dict]:
    """Claims as a day's line per source and item: the total (or the figure, outside tallies), the day's
    change as given, the change the totals imply (`queries.series`), and the inconsistencies flagged."""
    days: dict[tuple, dict] = {}
    for row in rows:
        key = (row["date"], row["source"] or "", row["item"] or row["category"])
        day = days.setdefault(key, {"date": row["date"], "source": row["source"], "what": key[2], "total": None,
                                    "change": None, "implied_change": None, "inconsistencies": []})
        value = next((as_int_if_whole(v) for v in (row["best"], row["low"], row["high"]) if v is not None), None)
        day["change" if row["period"] == "daily" else "total"] = value
        if row["implied_change"] is not None:
            day["implied_change"] = as_int_if_whole(row["implied_change"])
        if row["inconsistency"]:
            day["inconsistencies"].append(row["inconsistency"])
    return [days[k] for k in sorted(days)]


def _print_wide(days: list[dict], value: str) -> None:
    """One row a day and source, a column per item: the shape of the public daily datasets of these tallies."""
    from ..stages.quantities import tally_items

    order = {item: k for k, item in enumerate(tally_items())}
    whats = sorted(dict.fromkeys(d["what"] for d in days), key=lambda w: (order.get(w, len(order)), w))
    lines: dict[tuple, dict] = {}
    for day in days:
        line = lines.setdefault((day["date"], day["source"] or ""), {})
        line[day["what"]] = day[value]
        if day["inconsistencies"]:
            line.setdefault("inconsistencies", []).extend(day["inconsistencies"])
    writer = csv.writer(sys.stdout)
    writer.writerow(["date", "source", *whats, "inconsistencies"])
    for (day, source), line in lines.items():
        writer.writerow([cell(day), source, *(cell(line.get(w)) for w in whats),
                         "; ".join(line.get("inconsistencies", []))])


class RecordFormat(str, Enum):
    table = "table"
    json = "json"


def _print_record(title: str, record: dict, fmt: RecordFormat) -> None:
    """One record: JSON, or its fields then a table for each list of rows in it."""
    if fmt == RecordFormat.json:
        sys.stdout.write(json.dumps(record, default=cell, ensure_ascii=False, indent=2) + "\n")
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
    from ..store import queries

    with open_ledger(db, read_only=True) as ledger:
        record = queries.incident(ledger.con, incident_id)
    _show(f"incident {incident_id}", record, f"no incident {incident_id} in {db}", fmt)


@app.command("article")
def show_article(article_id: int = typer.Argument(..., help="An article id ('article 217' in a query's output)."),
                 db: str = DB_OPTION, text: bool = typer.Option(False, "--text", help="Print the article's text too."),
                 fmt: RecordFormat = RECORD_FORMAT) -> None:
    """One article: its outlet, date, copies and story, and every record taken from it with the incident
    or figure each belongs to."""
    from ..store import queries

    with open_ledger(db, read_only=True) as ledger:
        record = queries.article(ledger.con, article_id, with_text=text)
    _show(f"article {article_id}", record, f"no article {article_id} in {db}", fmt)


@app.command("source")
def show_source(name: str = typer.Argument(..., help="A source's name, as `sources` lists it (any case)."),
                db: str = DB_OPTION, fmt: RecordFormat = RECORD_FORMAT) -> None:
    """One source: its kind and side, and each event and claim it asserts, with the article's URL."""
    from ..store import queries

    with open_ledger(db, read_only=True) as ledger:
        record = queries.source(ledger.con, name)
    _show(record["name"] if record else name, record, f"no source named {name!r} in {db}; `warledger sources` lists them",
          fmt)


class ExportFormat(str, Enum):
    acled_csv = "acled-csv"
    geojson = "geojson"
    parquet = "parquet"
    jsonl = "jsonl"


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
    from ..io import exporters

    if fmt == ExportFormat.parquet and table not in exporters.TABLES:
        raise typer.BadParameter(f"one of {', '.join(exporters.TABLES)}", param_hint="--table")
    filters = _filters(since, until, None, 0, None, None, None, None, None)
    to_stdout = str(output) == "-"
    with open_ledger(db, read_only=True) as ledger:
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
