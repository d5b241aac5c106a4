"""Linking across articles: events into incidents, claims into figures.

An event joins an incident when the two could be the same happening: a
compatible type, date windows that overlap given their precision, places
within a radius given their geo precision, and sides that do not exclude
each other. A claim joins a figure when it counts the same thing: the same
category, side and unit, overlapping periods, the same place (or incident).
Thresholds are data (`data/linking.yaml`). Each article's records are linked
in ingestion order, against what the ledger already holds.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from ..gazetteer import haversine_km
from ..lexicon import load_yaml, opponents

UNKNOWN_SIDES = {None, "UNKNOWN", "NONE"}
# how far past a record's own dates to look for what it may match (a report dated by its article may
# be a day or two older than the article)
WINDOW_PAD = timedelta(days=2)
MONTH = 3  # ACLED time_precision: only the month is known


@functools.cache
def _config() -> dict:
    return load_yaml("linking.yaml")


@functools.cache
def _family_of() -> dict[str, int]:
    return {event_type: k for k, family in enumerate(_config()["incident"]["type_families"]) for event_type in family}


def radius_km(kind: str):
    """The linking radius: by geo precision for incidents ({1: km, 2: km, 3: km}), one figure for figures."""
    return _config()[kind]["radius_km"]


def window(start: date | None, end: date | None, published: date | None, precise: bool,
           lookback_days: int) -> tuple[date, date] | None:
    """The days a record may refer to: its own dates, widened back when only the article dates it."""
    start = start or published
    end = end or start
    if start is None:
        return None
    if not precise and start == end:
        start = start - timedelta(days=lookback_days)
    return start, end


def overlaps(a: tuple[date, date] | None, b: tuple[date, date] | None) -> bool:
    return a is not None and b is not None and a[0] <= b[1] and b[0] <= a[1]


def _distance(lat1, lon1, lat2, lon2) -> float | None:
    if None in (lat1, lon1, lat2, lon2):
        return None
    return haversine_km(lat1, lon1, lat2, lon2)


@dataclass
class Happening:
    """What an event report and an incident both have: a type, a time and a place."""

    event_type: str
    sub_event_type: str
    date_start: date | None
    date_end: date | None
    time_precision: int
    location: str | None
    admin1: str | None
    country: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: int | None


@dataclass
class Incident(Happening):
    incident_id: int = 0
    sides: set[str] = field(default_factory=set)
    changed: bool = False
    new: bool = False

    def window(self) -> tuple[date, date]:
        lookback = _config()["incident"]["undated_lookback_days"]
        return window(self.date_start, self.date_end, None, self.time_precision == 1, lookback)


@dataclass
class EventRecord(Happening):
    article_id: int = 0
    event_id: str = ""
    side1: str | None = None
    side2: str | None = None
    published: date | None = None

    def window(self) -> tuple[date, date] | None:
        lookback = _config()["incident"]["undated_lookback_days"]
        return window(self.date_start, self.date_end, self.published, self.time_precision == 1, lookback)

    def sides(self) -> set[str]:
        """The parties to the event; a one-sided report ('Ukrainian forces shelled Enerhodar') implies
        the attacker's opponents, so each side's account of the same shelling can meet."""
        known = {s for s in (self.side1, self.side2) if s not in UNKNOWN_SIDES}
        if len(known) == 1 and self.side2 in UNKNOWN_SIDES:
            known |= set(opponents(next(iter(known))))
        return known


HAPPENING_FIELDS = [f for f in Happening.__dataclass_fields__]


def types_compatible(type_a: str, type_b: str) -> bool:
    """The same type, or two of one family (`type_families`)."""
    family = _family_of()
    return type_a == type_b or (type_a in family and family.get(type_a) == family.get(type_b))


def sides_compatible(a: set[str], b: set[str]) -> bool:
    """Sides exclude each other only when both are known and share no party."""
    return not a or not b or bool(a & b)


def incident_distance(event: EventRecord, incident: Incident) -> float | None:
    """How far the event is from the incident in km, or None when they cannot be one."""
    if not types_compatible(event.event_type, incident.event_type):
        return None
    if event.event_type == "Strategic developments" and event.sub_event_type != incident.sub_event_type:
        return None
    if not overlaps(event.window(), incident.window()):
        return None
    if (event.time_precision == MONTH) != (incident.time_precision == MONTH):
        return None  # "shelling of Kharkiv in May" sums a month; it is not the strike of May 5
    if not sides_compatible(event.sides(), incident.sides):
        return None
    km = _distance(event.latitude, event.longitude, incident.latitude, incident.longitude)
    if km is None:
        # unplaced events join only an incident named the same, in the same country
        same = event.location and event.location == incident.location and event.country == incident.country
        return 0.0 if same else None
    radii = radius_km("incident")
    radius = max(radii.get(event.geo_precision or 3, radii[3]), radii.get(incident.geo_precision or 3, radii[3]))
    return km if km <= radius else None


def attach(event: EventRecord, incidents: list[Incident], new_id) -> Incident:
    """The incident this event belongs to: the nearest compatible one, else a new one."""
    best, best_km = None, math.inf
    for incident in incidents:
        km = incident_distance(event, incident)
        if km is not None and (km < best_km or (km == best_km and incident.sub_event_type == event.sub_event_type)):
            best, best_km = incident, km
    start, end = event.window() or (event.published, event.published)
    start, end = event.date_start or start, event.date_end or end
    if best is None:
        best = Incident(**{f: getattr(event, f) for f in HAPPENING_FIELDS}, incident_id=new_id(),
                        sides=event.sides(), changed=True, new=True)
        best.date_start, best.date_end = start, end
        incidents.append(best)
        return best
    best.sides |= event.sides()
    # the incident takes its place and dates from its most precise report
    if event.latitude is not None and (event.geo_precision or 9) < (best.geo_precision or 9):
        best.location, best.admin1, best.country = event.location, event.admin1, event.country
        best.latitude, best.longitude, best.geo_precision = event.latitude, event.longitude, event.geo_precision
        best.changed = True
    if (event.time_precision, (end - start).days) < (best.time_precision, (best.date_end - best.date_start).days):
        best.date_start, best.date_end, best.time_precision = start, end, event.time_precision
        best.changed = True
    return best


@dataclass
class Figure:
    figure_id: int
    category: str
    side: str | None
    unit: str | None
    date_start: date
    date_end: date
    place: str | None
    latitude: float | None
    longitude: float | None
    incident_id: int | None
    subject_class: str | None = None  # toll_subject() of what it counts, or its tally item
    period: str | None = None  # cumulative, daily or neither
    new: bool = False
    articles: set[int] = field(default_factory=set)  # one claim per article: two figures in one text differ


@dataclass
class ClaimRecord:
    article_id: int
    claim_id: str
    category: str
    side: str | None
    unit: str | None
    date_start: date | None
    date_end: date | None
    place: str | None
    latitude: float | None
    longitude: float | None
    incident_id: int | None
    published: date | None
    subject_class: str = "people"
    period: str | None = None

    @property
    def location(self) -> str | None:
        """The place's name, under the name event records give it."""
        return self.place

    def window(self) -> tuple[date, date] | None:
        lookback = _config()["figure"]["undated_lookback_days"]
        return window(self.date_start, self.date_end, self.published, self.date_start is not None, lookback)


def same_figure(claim: ClaimRecord, figure: Figure) -> float | None:
    """How far the claim is from the figure in km (0 when unplaced), or None when they count different things."""
    if claim.article_id in figure.articles or (claim.category, claim.unit) != (figure.category, figure.unit):
        return None
    if figure.subject_class is not None and claim.subject_class != figure.subject_class:
        return None  # 35 children killed is not a count of the 100 people killed
    if claim.period != figure.period or claim.period == "cumulative" and claim.date_end != figure.date_end:
        return None  # a running total to 12 April is not the one to 13 April, nor the day's change
    if claim.incident_id and figure.incident_id:
        # about one incident, a claim that names no side counts the same toll
        same_side = claim.side == figure.side or claim.side is None or figure.side is None
        return 0.0 if claim.incident_id == figure.incident_id and same_side else None
    if claim.side != figure.side:
        return None
    if not overlaps(claim.window(), (figure.date_start, figure.date_end)):
        return None
    km = _distance(claim.latitude, claim.longitude, figure.latitude, figure.longitude)
    if km is None:
        # unplaced figures compare only when they say whose they are ("Russian losses", not "100 volunteers")
        unplaced = claim.latitude is None and figure.latitude is None
        return 0.0 if unplaced and claim.side is not None else None
    return km if km <= _config()["figure"]["radius_km"] else None


def attach_claim(claim: ClaimRecord, figures: list[Figure], new_id) -> Figure:
    best, best_km = None, math.inf
    for figure in figures:
        km = same_figure(claim, figure)
        if km is not None and km < best_km:
            best, best_km = figure, km
    if best is None:
        start, end = claim.window() or (claim.published, claim.published)
        best = Figure(new_id(), claim.category, claim.side, claim.unit, start, end, claim.place,
                      claim.latitude, claim.longitude, claim.incident_id, claim.subject_class, claim.period, new=True)
        figures.append(best)
    best.articles.add(claim.article_id)
    return best


def claim_range(qualifier: str, low, best, high) -> tuple[float, float] | None:
    """The interval a figure allows: 'at least 10' is [10, inf), 'about 100' is 100 give or take the tolerance."""
    tolerance = _config()["figure"]["approx_tolerance"]
    if qualifier == "exact" and best is not None:
        return best, best
    if qualifier == "approx" and best is not None:
        return best * (1 - tolerance), best * (1 + tolerance)
    if qualifier in ("at_least", "vague") and low is not None:
        return low, math.inf
    if qualifier in ("up_to", "less_than") and high is not None:
        return 0.0, high
    if qualifier == "range" and low is not None and high is not None:
        return low, high
    value = best if best is not None else low if low is not None else high
    return (value, value) if value is not None else None


def disagreements(figures: list[tuple[str, tuple[float, float] | None]]) -> list[tuple[str, str]]:
    """Pairs of independent sources whose ranges do not overlap."""
    pairs = []
    for i, (source_a, range_a) in enumerate(figures):
        for source_b, range_b in figures[i + 1:]:
            if source_a == source_b or range_a is None or range_b is None:
                continue
            if range_a[1] < range_b[0] or range_b[1] < range_a[0]:
                pairs.append((source_a, source_b))
    return pairs


def toll_subject(subject: str | None) -> str:
    """Whose deaths a toll counts, as a class that tolls compare within: 'people', 'civilians' and
    'residents' are one ('people'); 'children' or 'soldiers' another, a part that cannot contradict the whole."""
    words = set((subject or "").lower().replace("-", " ").split())
    for name, members in _config()["contradiction"]["toll_subjects"].items():
        if words & set(members):
            return name
    return "people"


def target_kind(actor2: str | None) -> str | None:
    """What an event report says was hit: civilians or armed forces (by ACLED's actor names), else None."""
    for kind, prefixes in _config()["contradiction"]["targets"].items():
        if actor2 and actor2.startswith(tuple(prefixes)):
            return kind
    return None


@dataclass
class Account:
    """One independent source's account of an incident: who it says did it, to whom, and the toll."""

    source: str
    perpetrator: str | None  # a side
    target: str | None  # target_kind()
    toll: tuple[float, float] | None
    toll_subject: str = "people"


@dataclass
class Denial:
    """A source's word that an act did not happen: by `side` (None: by anyone)."""

    source: str
    side: str | None


def contradictions(accounts: list[Account], denials: list[Denial] = ()) -> list[dict]:
    """Where two sources' accounts of one incident cannot both be true: the toll (of the same people),
    the target (civilians or armed forces), the perpetrator (the side that fired), and its occurrence
    (one source reports what another denies its side did)."""
    found = []
    for denial in denials:
        for a in accounts:
            if a.source != denial.source and (denial.side is None or a.perpetrator == denial.side):
                found.append({"kind": "occurrence", "between": [a.source, denial.source],
                              "says": ["reports it", "denies it"]})
    for i, a in enumerate(accounts):
        for b in accounts[i + 1:]:
            if a.source == b.source:
                continue
            if a.toll and b.toll and a.toll_subject == b.toll_subject and (a.toll[1] < b.toll[0] or b.toll[1] < a.toll[0]):
                found.append({"kind": "figure", "between": [a.source, b.source], "says": [_span(a.toll), _span(b.toll)]})
            if a.target and b.target and a.target != b.target:
                found.append({"kind": "target", "between": [a.source, b.source], "says": [a.target, b.target]})
            if a.perpetrator and b.perpetrator and a.perpetrator != b.perpetrator:
                found.append({"kind": "perpetrator", "between": [a.source, b.source],
                              "says": [a.perpetrator, b.perpetrator]})
    return found


def _span(toll: tuple[float, float]) -> str:
    low, high = toll
    if low == high:
        return f"{low:g}"
    return f"{low:g}+" if high == math.inf else f"{low:g}-{high:g}"
