"""The `warledger` command line."""
from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from datetime import date
from enum import Enum
from importlib import resources
from pathlib import Path

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

from .io.readers import DEFAULT_MAX_CHARS, InputError, parse_date, read_inputs
from .model import Article, Report

app = typer.Typer(
    help="Turn war and conflict reporting into a sourced ledger of what happened and who says so.",
    no_args_is_help=True, add_completion=False,
)
err = Console(stderr=True, soft_wrap=True)  # one line per message, whatever the width


def _print_version(value: bool) -> None:
    if value:
        from . import __version__

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


@app.command()
def extract(
    files: list[str] = typer.Argument(..., help="Articles: .txt, .html or .jsonl files; '-' reads stdin."),
    published: str = typer.Option(None, "--published", help="Publication date (YYYY-MM-DD) for inputs without one."),
    output: OutputFormat = typer.Option(OutputFormat.json, "--format", "-f", help="json, jsonl (one report a line) or table."),
    input_format: InputFormat = typer.Option(InputFormat.auto, "--input-format", help="Read inputs as this format; auto goes by file name and content."),
    max_chars: int = typer.Option(DEFAULT_MAX_CHARS, "--max-chars", help="Longest article accepted, in characters."),
    country: str = typer.Option(None, "--country", help="ISO code of the war's country (UA, SD...): a prior for places."),
    to_file: Path = typer.Option(None, "--output", "-o", help="Write the reports to this file, not stdout."),
) -> None:
    """Extract one report per article (SPEC.md, schema warledger/1), in input order.

    A file that cannot be read is reported on stderr by name (and line, for
    JSONL); the others are still processed, and the exit code is 1.
    """
    from .pipeline import process

    day = published_option(published)
    tally = Tally()
    articles = with_country(tally.articles(read_inputs(files, day, input_format.value, max_chars)), country)
    show = err.is_terminal and (len(files) > 1 or output != OutputFormat.table or to_file is not None)
    reports = _with_progress(process(articles, on_part=long_article_progress()), show=show)
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
            from .render import render_report

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
    if tally.errors:
        err.print(f"[red]{tally.errors} input(s) failed[/red]; the rest were extracted")
        raise typer.Exit(1)


eval_app = typer.Typer(help="Figures against gold sets made by others (../shared/eval).", no_args_is_help=True)
app.add_typer(eval_app, name="eval")


def _print_figures(title: str, figures: dict, as_json: bool) -> None:
    if as_json:
        sys.stdout.write(json.dumps(figures) + "\n")
        return
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    table.add_column("figure")
    table.add_column("value", justify="right")
    for key, value in figures.items():
        table.add_row(key, "\n".join(f"{k} ({v})" for k, v in value) if isinstance(value, list) else str(value))
    stdout_console().print(table)


@eval_app.command("geoparse")
def eval_geoparse(
    gold: Path = typer.Argument(..., exists=True, dir_okay=False, help="A geoparsing gold set (JSONL with toponyms)."),
    limit: int = typer.Option(None, "--limit", help="Only the first N articles."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as one JSON object."),
) -> None:
    """Toponym recall, accuracy within 161 km and span precision, end to end from raw text."""
    from .evaluation import geoparse_scores, read_jsonl, reports_for

    items = read_jsonl(gold, limit)
    pairs = _with_progress_pairs(reports_for(items), len(items))
    _print_figures(f"geoparsing: {gold.name} ({len(items)} articles)", geoparse_scores(pairs), as_json)


@eval_app.command("ucdp")
def eval_ucdp(
    gold: Path = typer.Argument(..., exists=True, dir_okay=False, help="ucdp_ged_ukraine_headlines.jsonl"),
    limit: int = typer.Option(None, "--limit", help="Only the first N events."),
    country: str = typer.Option(None, "--country", help="Give every article this country as a prior (UA for this set)."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as one JSON object."),
) -> None:
    """UCDP GED events from their headlines: place within 25 km, event date, deaths in \\[low, high]."""
    from .evaluation import read_jsonl, ucdp_articles, ucdp_scores
    from .pipeline import process

    items = [i for i in read_jsonl(gold) if i["gold"]["where_prec"] in ("1", "2")][:limit]
    articles = list(with_country(ucdp_articles(items), country))
    reports = [r for _, r in _with_progress_pairs(((None, r) for r in process(articles)), len(items))]
    _print_figures(f"UCDP GED headlines: {gold.name} ({len(items)} events with a precise place)",
                   ucdp_scores(items, reports), as_json)


class Half(str, Enum):
    all = "all"
    tune = "tune"
    held_out = "held-out"


@eval_app.command("acled")
def eval_acled(
    gold: Path = typer.Argument(..., exists=True, dir_okay=False, help="ACLED notes with their coding (acled_world_dev.jsonl)."),
    half: Half = typer.Option(Half.all, "--half", help="'tune': every other note from the first; 'held-out': the others."),
    limit: int = typer.Option(None, "--limit", help="Only the first N notes (after --half)."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as one JSON object."),
) -> None:
    """ACLED notes: the first event's type, sub-type, date, admin-1, place within 25 km and fatalities."""
    from .evaluation import acled_articles, acled_half, acled_scores, read_jsonl
    from .pipeline import process

    items = acled_half(read_jsonl(gold), half.value)[:limit]
    reports = [r for _, r in _with_progress_pairs(((None, r) for r in process(acled_articles(items))), len(items))]
    _print_figures(f"ACLED notes: {gold.name} ({len(items)} notes, {half.value})", acled_scores(items, reports),
                   as_json)


@eval_app.command("seed")
def eval_seed(
    article: Path = typer.Argument(..., exists=True, dir_okay=False, help="A sample article (../shared/articles)."),
    gold: Path = typer.Argument(..., exists=True, dir_okay=False, help="Its gold (../shared/gold)."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as one JSON object."),
) -> None:
    """A sample article against its hand-made gold: records found, by kind."""
    from . import extract as extract_text
    from .evaluation import seed_scores

    gold_data = json.loads(gold.read_text(encoding="utf-8"))
    published = gold_data.get("document", {}).get("published")
    report = extract_text(article.read_text(encoding="utf-8"), published=published)
    _print_figures(f"sample: {article.name}", seed_scores(report, gold_data), as_json)


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


@app.command()
def geocode(
    text: str = typer.Argument(..., help="A sentence or note: 'On 15 March 2024, Russian forces shelled Volodymyrivka, Sumy.'"),
    explain: bool = typer.Option(False, "--explain", help="Show each name's candidate entries and why one won."),
    country: str | None = typer.Option(None, "--country", help="ISO code of the country the text is about."),
) -> None:
    """Where each place a text names is, as extraction places it; --explain prints every candidate entry
    with each feature's contribution to its score (weights: data/place_weights.yaml)."""
    from rich.markup import escape

    from .pipeline import processed_doc
    from .stages.places.features import weights
    from .stages.places import explain as explain_places

    doc = processed_doc(Article(text=text, id="geocode", country=country.upper() if country else None))
    console = stdout_console()
    w = weights()
    for found in explain_places(doc):
        place = found.chosen
        line = (f"{found.text} -> {place.name}, {place.admin1 or '-'}, {place.country_code or '-'}"
                f" ({place.feature}; {place.latitude:.4f}, {place.longitude:.4f})" + (f" [{found.rule}]" if found.rule else ""))
        console.print(escape(line), highlight=False)
        if not explain:
            continue
        for entry, total, values in found.entries:
            terms = " + ".join(f"{name} {w[name] * value:+.2f}" for name, value in values.items())
            mark = "*" if entry.id == place.id else " "
            console.print(escape(f"  {mark} {total:6.2f}  {entry.name}, {entry.admin1 or '-'}, {entry.country_code or '-'}"
                                 f" ({entry.feature}, pop {entry.population}): {terms}"), highlight=False, soft_wrap=True)
        for entry in found.outside:
            console.print(escape(f"    outside the stated region: {entry.name}, {entry.admin1 or '-'}, "
                                 f"{entry.country_code or '-'} ({entry.feature})"), highlight=False)


gazetteer_app = typer.Typer(help="The offline gazetteer: what it holds, and GeoNames dumps to add.", no_args_is_help=True)
app.add_typer(gazetteer_app, name="gazetteer")


@gazetteer_app.command("import")
def gazetteer_import(
    files: list[Path] = typer.Argument(..., exists=True, dir_okay=False,
                                       help="GeoNames dumps you downloaded: UA.zip, UA.txt, allCountries.zip."),
) -> None:
    """Add every populated place of GeoNames country dumps (19-column format) to the index, with its
    region and alternate names; kept across upgrades. Nothing is downloaded."""
    from .gazetteer import gazetteer, index_path
    from .gazetteer.geonames import DumpError, import_dumps

    gazetteer()  # the bundled index exists before anything is merged into it
    try:
        summaries = import_dumps(files, index_path())
    except DumpError as problem:
        err.print(f"[red]{problem}[/red]; nothing of it was imported")
        raise typer.Exit(1) from None
    for summary in summaries:
        countries = ", ".join(f"{code} {n}" for code, n in summary.countries.most_common(5))
        stdout_console().print(f"{summary.path}: {summary.rows} rows, {summary.places} populated places "
                               f"({countries}); {summary.added} new to the index")


@gazetteer_app.command("info")
def gazetteer_info(as_json: bool = typer.Option(False, "--json", help="Print one JSON object.")) -> None:
    """What the index holds (places by kind, names) and the dumps imported into it, from where and when."""
    from .gazetteer import gazetteer, index_path
    from .gazetteer.geonames import info

    gazetteer()
    facts = info(index_path())
    if as_json:
        sys.stdout.write(json.dumps(facts) + "\n")
        return
    console = stdout_console()
    console.print(f"index: {facts['index']}\nbundled: {facts['bundled']}\nnames: {facts['names']}")
    for feature, n in facts["places_by_feature"].items():
        console.print(f"  {feature}: {n}")
    for source in facts["imported"] or [{"path": "none imported", "places": "", "imported_at": ""}]:
        console.print(f"imported: {source['path']} {source['places']} {source['imported_at']}")


@app.command()
def demo() -> None:
    """Extract the bundled sample article (UK MoD update, 30 March 2023) and show what was found."""
    from . import extract as extract_text
    from .render import render_report

    text = (resources.files("warledger") / "data" / "examples" / SAMPLE).read_text(encoding="utf-8")
    report = extract_text(text, published=SAMPLE_PUBLISHED, id=SAMPLE.removesuffix(".txt"),
                          title="Putin ‘seeks to recruit 400,000 troops’ after heavy losses in Ukraine")
    console = stdout_console()
    render_report(report, console)
    console.print("\nFull records: [bold]warledger extract FILE --published YYYY-MM-DD[/bold] (JSON, SPEC.md)")


from . import cli_ledger  # noqa: E402,F401  (registers the ledger commands on `app`)

if __name__ == "__main__":
    app()
