"""`warledger eval`: figures against gold sets made by others."""
from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path

import typer

from ._app import _with_progress_pairs, app, stdout_console, with_country


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
    from ..evaluation import geoparse_scores, read_jsonl, reports_for

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
    from ..evaluation import read_jsonl, ucdp_articles, ucdp_scores
    from ..pipeline import process

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
    from ..evaluation import acled_articles, half_of, acled_scores, read_jsonl
    from ..pipeline import process

    items = half_of(read_jsonl(gold), half.value)[:limit]
    reports = [r for _, r in _with_progress_pairs(((None, r) for r in process(acled_articles(items))), len(items))]
    _print_figures(f"ACLED notes: {gold.name} ({len(items)} notes, {half.value})", acled_scores(items, reports),
                   as_json)


@eval_app.command("gs")
def eval_gs(
    gold: Path = typer.Argument(..., exists=True, dir_okay=False, help="gs_losses_dev.jsonl"),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as one JSON object."),
) -> None:
    """The General Staff's daily loss tallies: each total and daily change found, by whom, about whom, when."""
    from ..evaluation import gs_articles, gs_scores, read_jsonl
    from ..pipeline import process

    items = read_jsonl(gold)
    reports = [r for _, r in _with_progress_pairs(((None, r) for r in process(gs_articles(items))), len(items))]
    _print_figures(f"official tallies: {gold.name} ({len(items)} posts)", gs_scores(items, reports), as_json)


@eval_app.command("seed")
def eval_seed(
    article: Path = typer.Argument(..., exists=True, dir_okay=False, help="A sample article (../shared/articles)."),
    gold: Path = typer.Argument(..., exists=True, dir_okay=False, help="Its gold (../shared/gold)."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as one JSON object."),
) -> None:
    """A sample article against its hand-made gold: records found, by kind."""
    from .. import extract as extract_text
    from ..evaluation import seed_scores

    gold_data = json.loads(gold.read_text(encoding="utf-8"))
    published = gold_data.get("document", {}).get("published")
    report = extract_text(article.read_text(encoding="utf-8"), published=published)
    _print_figures(f"sample: {article.name}", seed_scores(report, gold_data), as_json)


@eval_app.command("snippets")
def eval_snippets(
    gold: Path = typer.Argument(..., exists=True, dir_okay=False,
                                help="Snippets labelled event or not (tests/data/synthetic_war_snippets.jsonl)."),
    half: Half = typer.Option(Half.all, "--half", help="'tune': every other snippet from the first; 'held-out': the others."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as one JSON object."),
) -> None:
    """Precision on war reporting's traps: snippets with no event that still get one, by kind; events found."""
    from ..evaluation import half_of, read_jsonl, snippet_articles, snippet_scores
    from ..pipeline import process

    items = half_of(read_jsonl(gold), half.value)
    reports = [r for _, r in _with_progress_pairs(((None, r) for r in process(snippet_articles(items))), len(items))]
    _print_figures(f"snippets: {gold.name} ({len(items)}, {half.value})", snippet_scores(items, reports), as_json)
