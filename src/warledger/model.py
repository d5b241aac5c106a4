"""The report: typed records in the shape of SPEC.md (schema warledger/1).

Field names are the contract; internals elsewhere are free. `to_dict()` gives
the JSON shape that other tools and the evaluation sets read.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

SCHEMA = "warledger/1"

Span = list[int]  # [start, end] in characters of the article text


@dataclass
class Article:
    """One input article: what the readers give the pipeline."""

    text: str
    id: str | None = None
    published: date | None = None
    title: str | None = None
    url: str | None = None
    origin: str | None = None  # file (and line) it came from, for messages
    warnings: list[str] = field(default_factory=list)
    country: str | None = None  # ISO code of the war's country, when the user knows it: a prior for places
    key: str | None = None  # where it was read from (file, JSONL id, feed entry): its identity in a ledger
    author: str | None = None  # who published it, when the input says (JSONL "author" or "source")


@dataclass
class Document:
    id: str | None
    title: str | None
    url: str | None
    published: str | None
    text_sha256: str
    n_chars: int


@dataclass
class Source:
    id: str
    name: str
    kind: str
    side: str
    spans: list[Span] = field(default_factory=list)
    affiliation: str | None = None
    country: str | None = None


@dataclass
class Place:
    id: str
    name: str
    geonameid: int | None
    latitude: float | None
    longitude: float | None
    country_code: str | None
    admin1: str | None
    feature: str
    spans: list[Span] = field(default_factory=list)


@dataclass
class Quote:
    id: str
    text: str
    span: Span
    speaker: str | None
    cue: str | None
    direct: bool = True
    continues: str | None = None  # id of the quote this paragraph carries on


@dataclass
class DateMention:
    id: str
    text: str
    span: Span
    date_start: str | None
    date_end: str | None
    precision: str | None


@dataclass
class Hedge:
    phrase: str
    standard: str
    low: float
    high: float
    assessment: str


@dataclass
class Claim:
    id: str
    category: str
    subject: str
    side: str | None
    low: float | None
    best: float | None
    high: float | None
    qualifier: str
    unit: str
    date_start: str | None
    date_end: str | None
    date_precision: str | None
    place: str | None
    source: str | None
    via: list[str]
    hedge: Hedge | None
    span: Span
    sentence: str
    rate: str | None = None
    statistic: str | None = None
    item: str | None = None  # what an official tally counts (tanks, personnel: data/quantities.yaml tally_items)
    period: str | None = None  # "cumulative" (a running total) or "daily" (the change over one day)


@dataclass
class Assessment:
    id: str
    phrase: str
    standard: str
    low: float
    high: float
    statement: str
    source: str | None
    span: Span


@dataclass
class Event:
    id: str
    event_date: str | None
    date_start: str | None
    date_end: str | None
    time_precision: int
    event_type: str
    sub_event_type: str
    actor1: str | None
    actor2: str | None
    side1: str | None
    side2: str | None
    location: str | None
    place: str | None
    admin1: str | None
    country: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: int | None
    fatalities: int
    fatalities_low: int | None
    fatalities_high: int | None
    source: str | None
    claims: list[str]
    notes: str
    span: Span
    # `location` and `admin1` are plain ASCII as ACLED writes them ('Rafah'); the gazetteer's own
    # spelling of the place, when it differs ('Rafaḩ'), is kept here
    location_geonames: str | None = None
    # the text says the toll is not known ("an unknown number of fighters were killed"): fatalities 0
    fatalities_unknown: bool = False


@dataclass
class Report:
    document: Document
    sources: list[Source] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    # acts a source says did not happen ("Ukrainian units had not fired at the city"), in an event's shape:
    # actor1 is who it says did not act; not events, and not counted as such
    denials: list[Event] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    schema: str = SCHEMA

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        return {"schema": out.pop("schema"), **out}

    def source(self, source_id: str | None) -> Source | None:
        """The source record behind an id used by a quote, claim or event."""
        return next((s for s in self.sources if s.id == source_id), None)
