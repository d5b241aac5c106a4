"""Build the SPEC report from a processed Doc: give records ids and link them."""
from __future__ import annotations

import dataclasses
import hashlib

from spacy.tokens import Doc

from .gazetteer import ascii_fold
from .lexicon import country_name
from .model import (
    Article,
    Assessment,
    Claim,
    DateMention,
    Document,
    Event,
    Hedge,
    Place,
    Quote,
    Report,
    Source,
    Span,
)
from .stages.sentences import text_of
from .stages.sources import SourceEntity


def _iso(day) -> str | None:
    return day.isoformat() if day is not None else None


def _strip(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """A character range without surrounding white space."""
    text = text_of(doc)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


class _SourceIds:
    """Ids for the sources that assert something, in order of first mention."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.used: list[SourceEntity] = []

    def use(self, entity: SourceEntity | None) -> None:
        if entity is not None and entity not in self.used:
            self.used.append(entity)

    def finish(self) -> tuple[list[Source], dict[int, str]]:
        mentions = self.doc._.wl_resolver.resolver.mentions
        first = {}
        spans: dict[int, list[list[int]]] = {}
        for m in mentions:
            span = self.doc[m.start:m.end]
            spans.setdefault(id(m.entity), []).append([span.start_char, span.end_char])
            first.setdefault(id(m.entity), span.start_char)
        end = len(text_of(self.doc))
        ordered = sorted(self.used, key=lambda e: first.get(id(e), end))
        ids = {id(e): f"S{i}" for i, e in enumerate(ordered, 1)}
        records = [
            Source(ids[id(e)], e.name, e.kind, e.side, spans.get(id(e), []), e.affiliation, e.country)
            for e in ordered
        ]
        return records, ids


def _places(doc: Doc) -> tuple[list[Place], dict[int, str]]:
    """One record per place, with every span that names it, in order of first mention."""
    records: dict[int, Place] = {}
    for mention in doc._.wl_places or []:
        g = mention.place
        span = doc[mention.start:mention.end]
        if g.id not in records:
            records[g.id] = Place(f"P{len(records) + 1}", g.name, g.geonameid, round(g.latitude, 5),
                                  round(g.longitude, 5), g.country_code, g.admin1, g.feature, [])
        records[g.id].spans.append([span.start_char, span.end_char])
    return list(records.values()), {gid: p.id for gid, p in records.items()}


def build_report(doc: Doc) -> Report:
    article: Article = doc._.wl_article
    text = text_of(doc)
    document = Document(
        id=article.id, title=article.title, url=article.url,
        published=_iso(article.published),
        text_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(), n_chars=len(text),
    )
    report = Report(document=document, warnings=list(article.warnings))
    sources = _SourceIds(doc)
    quotes = doc._.wl_quotes or []
    estimates = doc._.wl_assessments or []
    quantities = doc._.wl_claims or []
    for attribution in (doc._.wl_attribution or {}).values():
        sources.use(attribution.source)
        for v in attribution.via:
            sources.use(v)
    for q in quotes:
        sources.use(q.speaker)
    for e in estimates:
        sources.use(e.source)
    events = doc._.wl_events or []
    denials = doc._.wl_denials or []
    for e in events + denials:
        sources.use(e.source)
    for c in quantities:
        sources.use(c.source)
        for v in c.via:
            sources.use(v)
    report.sources, source_ids = sources.finish()

    def sid(entity: SourceEntity | None) -> str | None:
        return source_ids.get(id(entity)) if entity is not None else None

    report.places, place_ids = _places(doc)
    report.dates = [
        DateMention(f"D{i}", d.text, [d.start_char, d.end_char], _iso(d.date_start), _iso(d.date_end), d.precision)
        for i, d in enumerate(doc._.wl_dates or [], 1)
    ]
    for i, q in enumerate(quotes, 1):
        start, end = _strip(doc, q.start, q.end)
        report.quotes.append(Quote(
            f"Q{i}", text[start:end], [start, end], sid(q.speaker),
            q.cue.text if q.cue is not None else None, True,
            f"Q{q.continues + 1}" if q.continues is not None else None,
        ))
    estimate_ids = {id(e): f"A{i}" for i, e in enumerate(estimates, 1)}
    for e in estimates:
        report.assessments.append(Assessment(
            estimate_ids[id(e)], e.phrase, e.standard, e.low, e.high, e.statement, sid(e.source),
            [e.start_char, e.end_char],
        ))
    claim_ids = {id(c): f"C{i}" for i, c in enumerate(quantities, 1)}
    for i, c in enumerate(quantities, 1):
        sentence_start, sentence_end = _strip(doc, c.sentence.start_char, c.sentence.end_char)
        hedge = None
        if c.hedge is not None:
            hedge = Hedge(c.hedge.phrase, c.hedge.standard, c.hedge.low, c.hedge.high, estimate_ids[id(c.hedge)])
        report.claims.append(Claim(
            id=f"C{i}", category=c.category, subject=c.subject, side=c.side,
            low=c.low, best=c.best, high=c.high, qualifier=c.qualifier, unit=c.unit,
            date_start=_iso(c.date.date_start) if c.date else None,
            date_end=_iso(c.date.date_end) if c.date else None,
            date_precision=c.date.precision if c.date else None,
            place=place_ids.get(c.place.id) if c.place is not None else None, source=sid(c.source), via=[s for s in (sid(v) for v in c.via) if s],
            hedge=hedge, span=[c.start_char, c.end_char],
            sentence=text[sentence_start:sentence_end], rate=c.rate, statistic=c.statistic,
            item=c.item, period=c.period,
        ))
    def event(record_id: str, e) -> Event:
        start, end = _strip(doc, e.sentence.start_char, e.sentence.end_char)
        place = e.place
        return Event(
            id=record_id, event_date=_iso(e.day), date_start=_iso(e.date_start), date_end=_iso(e.date_end),
            time_precision=e.time_precision, event_type=e.event_type, sub_event_type=e.sub_event_type,
            actor1=e.actor1.name if e.actor1 else None, actor2=e.actor2.name if e.actor2 else None,
            side1=e.actor1.side if e.actor1 else None, side2=e.actor2.side if e.actor2 else None,
            location=ascii_fold(place.name) if place else None, place=place_ids.get(place.id) if place else None,
            admin1=ascii_fold(place.admin1) if place and place.admin1 else None,
            country=country_name(place.country_code) if place else None,
            latitude=round(place.latitude, 5) if place else None, longitude=round(place.longitude, 5) if place else None,
            geo_precision=e.geo_precision, fatalities=e.fatalities, fatalities_low=e.fatalities_low,
            fatalities_high=e.fatalities_high, source=sid(e.source),
            claims=[claim_ids[id(c)] for c in e.claims], notes=text[start:end], span=[start, end],
            location_geonames=place.name if place and ascii_fold(place.name) != place.name else None,
            fatalities_unknown=e.fatalities_unknown,
        )

    report.events = [event(f"E{i}", e) for i, e in enumerate(events, 1)]
    report.denials = [event(f"N{i}", d) for i, d in enumerate(denials, 1)]
    return report



def merge_parts(article: Article, parts: list[tuple[int, Report]]) -> Report:
    """One report for an article extracted in parts (`pipeline.split_long`): each part's records with their
    spans moved to the whole text's offsets and their ids renumbered; a source or place named in several
    parts is one record with every span."""
    text = article.text
    document = Document(id=article.id, title=article.title, url=article.url, published=_iso(article.published),
                        text_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(), n_chars=len(text))
    merged = Report(document=document, warnings=list(dict.fromkeys(w for _, r in parts for w in r.warnings)))
    counters: dict[str, int] = {}

    def new_id(prefix: str) -> str:
        counters[prefix] = counters.get(prefix, 0) + 1
        return f"{prefix}{counters[prefix]}"

    # a source or place is the same record across parts when these fields agree
    same = {"sources": ("S", lambda s: (s.name, s.kind, s.side, s.affiliation, s.country)),
            "places": ("P", lambda p: (p.geonameid, p.name, p.latitude, p.longitude, p.feature))}
    seen: dict[str, dict[tuple, Source | Place]] = {kind: {} for kind in same}
    for offset, part in parts:
        def moved(span: Span) -> Span:
            return [span[0] + offset, span[1] + offset]

        ids: dict[str, str] = {}  # this part's id -> the merged report's
        for kind, (prefix, key_of) in same.items():
            for record in getattr(part, kind):
                key = key_of(record)
                if key not in seen[kind]:
                    seen[kind][key] = dataclasses.replace(record, id=new_id(prefix), spans=[])
                    getattr(merged, kind).append(seen[kind][key])
                seen[kind][key].spans += [moved(span) for span in record.spans]
                ids[record.id] = seen[kind][key].id
        for kind, prefix in (("quotes", "Q"), ("assessments", "A"), ("claims", "C"), ("events", "E"),
                             ("denials", "N"), ("dates", "D")):
            for record in getattr(part, kind):
                ids[record.id] = new_id(prefix)
        mapped = ids.get
        for q in part.quotes:
            merged.quotes.append(dataclasses.replace(q, id=ids[q.id], span=moved(q.span), speaker=mapped(q.speaker),
                                                     continues=mapped(q.continues)))
        for a in part.assessments:
            merged.assessments.append(dataclasses.replace(a, id=ids[a.id], span=moved(a.span), source=mapped(a.source)))
        for c in part.claims:
            hedge = dataclasses.replace(c.hedge, assessment=mapped(c.hedge.assessment)) if c.hedge else None
            merged.claims.append(dataclasses.replace(c, id=ids[c.id], span=moved(c.span), place=mapped(c.place),
                                                     source=mapped(c.source), via=[mapped(v) for v in c.via],
                                                     hedge=hedge))
        for kind in ("events", "denials"):
            getattr(merged, kind).extend(
                dataclasses.replace(e, id=ids[e.id], span=moved(e.span), place=mapped(e.place), source=mapped(e.source),
                                    claims=[mapped(c) for c in e.claims]) for e in getattr(part, kind))
        for d in part.dates:
            merged.dates.append(dataclasses.replace(d, id=ids[d.id], span=moved(d.span)))
    return merged
