"""`warledger geocode` and `warledger gazetteer`: where names are."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from ..model import Article
from ._app import app, err, stdout_console


@app.command()
def geocode(
    text: str = typer.Argument(..., help="A sentence or note: 'On 15 March 2024, Russian forces shelled Volodymyrivka, Sumy.'"),
    explain: bool = typer.Option(False, "--explain", help="Show each name's candidate entries and why one won."),
    country: str | None = typer.Option(None, "--country", help="ISO code of the country the text is about."),
) -> None:
    """Where each place a text names is, as extraction places it; --explain prints every candidate entry
    with each feature's contribution to its score (weights: data/place_weights.yaml)."""
    from rich.markup import escape

    from ..pipeline import processed_doc
    from ..stages.places.features import weights
    from ..stages.places import explain as explain_places

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
    from ..gazetteer import gazetteer, index_path
    from ..gazetteer.geonames import DumpError, import_dumps

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
    from ..gazetteer import gazetteer, index_path
    from ..gazetteer.geonames import info

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
