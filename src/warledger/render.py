"""Readable summaries of reports for the terminal (rich tables)."""
from __future__ import annotations

from rich.console import Console
from rich.table import Table

from .model import Claim, Report


def format_figure(claim: Claim) -> str:
    """A claim's number with its bound, as a reader would say it: '≤ 200,000', '30–40', '≥ 2,000 (vague)'."""
    def n(x) -> str:
        return f"{x:,}" if isinstance(x, int) else f"{x:,.2f}".rstrip("0").rstrip(".")

    q = claim.qualifier
    if q == "range":
        return f"{n(claim.low)}–{n(claim.high)}"
    if q == "vague":
        return f"≥ {n(claim.low)} (vague)"
    if q == "at_least":
        return f"≥ {n(claim.low)}"
    if q == "up_to":
        return f"≤ {n(claim.high)}"
    if q == "less_than":
        return f"< {n(claim.high)}"
    if q == "approx":
        return f"~{n(claim.best)}"
    return n(claim.best)


def _period(claim: Claim) -> str:
    if not claim.date_start:
        return ""
    if claim.date_start == claim.date_end:
        return claim.date_start
    return f"{claim.date_start} – {claim.date_end} ({claim.date_precision})"


def render_report(report: Report, console: Console) -> None:
    doc = report.document
    title = doc.title or doc.id or "article"
    console.rule(f"[bold]{title}[/bold]")
    console.print(f"published {doc.published or 'unknown'} · {doc.n_chars:,} characters · "
                  f"{len(report.sources)} sources · {len(report.claims)} claims · "
                  f"{len(report.assessments)} judgements · {len(report.quotes)} quotes · "
                  f"{len(report.events)} events · {len(report.places)} places · {len(report.dates)} dates")
    for warning in report.warnings:
        console.print(f"[yellow]warning:[/yellow] {warning}")

    def name(source_id: str | None) -> str:
        source = report.source(source_id)
        return f"{source.name} ({source.side})" if source else "[dim]article[/dim]"

    sources = Table(title="Sources: who asserts", title_justify="left")
    for column in ("id", "name", "kind", "side", "speaks for", "mentions"):
        sources.add_column(column)
    for s in report.sources:
        sources.add_row(s.id, s.name, s.kind, s.side, s.affiliation or "", str(len(s.spans)))
    console.print(sources)

    claims = Table(title="Claims: figures, their bounds and who gives them", title_justify="left")
    for column in ("id", "figure", "category", "of what", "side", "period", "source", "hedge"):
        claims.add_column(column)
    for c in report.claims:
        via = f" via {', '.join(name(v) for v in c.via)}" if c.via else ""
        hedge = f"{c.hedge.phrase} ({c.hedge.low:.0%}–{c.hedge.high:.0%})" if c.hedge else ""
        claims.add_row(c.id, format_figure(c), c.category, c.subject, c.side or "", _period(c),
                       name(c.source) + via, hedge)
    console.print(claims)

    judgements = Table(title="Judgements: estimative language", title_justify="left")
    for column in ("phrase", "yardstick", "probability", "source", "statement"):
        judgements.add_column(column)
    for a in report.assessments:
        judgements.add_row(a.phrase, a.standard, f"{a.low:.0%}–{a.high:.0%}", name(a.source),
                           a.statement if len(a.statement) < 120 else a.statement[:117] + "…")
    console.print(judgements)

    quotes = Table(title="Quotes", title_justify="left")
    for column in ("id", "speaker", "cue", "quote"):
        quotes.add_column(column)
    for q in report.quotes:
        text = q.text if len(q.text) < 140 else q.text[:137] + "…"
        quotes.add_row(q.id, name(q.speaker), q.cue or "", f"“{text}”")
    console.print(quotes)

    places = {p.id: p for p in report.places}
    events = Table(title="Events (ACLED taxonomy): when, where, who, toll", title_justify="left")
    for column in ("id", "date", "sub-event type", "actor 1", "actor 2", "location", "precision", "fatalities",
                   "source"):
        events.add_column(column)
    for e in report.events:
        where = ", ".join(x for x in (e.location, e.admin1, e.country) if x)
        toll = str(e.fatalities) + (" (unknown)" if e.fatalities_unknown else "")
        events.add_row(e.id, f"{e.event_date or '?'} (t{e.time_precision})", e.sub_event_type, e.actor1 or "",
                       e.actor2 or "", where, f"g{e.geo_precision}" if e.geo_precision else "", toll, name(e.source))
    console.print(events)

    where = Table(title="Places: geocoded offline (GeoNames)", title_justify="left")
    for column in ("id", "name", "admin-1", "country", "kind", "lat, lon", "mentions"):
        where.add_column(column)
    for p in places.values():
        point = f"{p.latitude:.3f}, {p.longitude:.3f}" if p.latitude is not None else ""
        where.add_row(p.id, p.name, p.admin1 or "", p.country_code or "", p.feature, point, str(len(p.spans)))
    console.print(where)

    dates = Table(title="Dates: what the text says and the days it means", title_justify="left")
    for column in ("id", "text", "from", "to", "precision"):
        dates.add_column(column)
    for d in report.dates:
        dates.add_row(d.id, d.text, d.date_start or "", d.date_end or "", d.precision or "")
    console.print(dates)
