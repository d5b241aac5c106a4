"""Questions asked of a ledger: events, incidents, claims, figures and sources, with filters.

Every query returns plain dicts (one per row, JSON-ready), so the CLI, the
exporters and the API print or serve the same records.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import duckdb

from ..lexicon import load_yaml
from . import linking

EARTH_KM = 6371.0088


def km_sql(lat: str, lon: str) -> str:
    """SQL for the great-circle distance in km from (?, ?) to the row's lat/lon columns."""
    return (f"2 * {EARTH_KM} * asin(sqrt(pow(sin(radians({lat} - ?) / 2), 2) + "
            f"cos(radians(?)) * cos(radians({lat})) * pow(sin(radians({lon} - ?) / 2), 2)))")


@dataclass
class Filters:
    """What a user narrows a query by; None means no filter."""

    since: date | None = None
    until: date | None = None
    near: tuple[float, float] | None = None
    km: float = 25.0
    type: str | None = None
    side: str | None = None
    source: str | None = None
    text: str | None = None
    limit: int | None = None
    contested: bool = False  # only rows where sources disagree (or that belong to such an incident or figure)
    # named like ACLED's API where it has one; each applies where its Columns has the column, else ValueError
    country: str | None = None  # a name or an ISO alpha-2 code
    admin1: str | None = None
    bbox: tuple[float, float, float, float] | None = None  # min_lon, min_lat, max_lon, max_lat
    event_type: str | None = None
    sub_event_type: str | None = None
    actor: str | None = None  # part of an actor's name
    source_side: str | None = None
    fatalities_min: int | None = None
    geo_precision_max: int | None = None
    updated_since: datetime | None = None  # ingested (or extracted again) since
    after: tuple | None = None  # keyset paging: the sort key of the last row of the previous page
    sort: str | None = None  # one of the list's SORTS (default: its Columns.order)


@dataclass(frozen=True)
class Columns:
    """The columns each filter reads, for one kind of row. Filters on side, source and text may apply
    through a subquery (`nested`, with `{condition}` in it): an incident matches by any of its mentions."""

    start: str
    end: str
    lat: str | None = None
    lon: str | None = None
    type: tuple[str, ...] = ()
    side: tuple[str, ...] = ()
    source: tuple[str, ...] = ()
    text: tuple[str, ...] = ()
    nested: str | None = None
    country: tuple[str, ...] = ()
    admin1: tuple[str, ...] = ()
    event_type: str | None = None
    sub_event_type: str | None = None
    actor: tuple[str, ...] = ()  # nested like side
    source_side: tuple[str, ...] = ()  # nested like side
    fatalities: str | None = None
    geo_precision: str | None = None
    updated: tuple[str, ...] = ()  # nested like side
    order: tuple[str, ...] = ()  # the sort key, unique, for keyset paging (`Filters.after`)


def where(f: Filters, cols: Columns) -> tuple[str, list]:
    """SQL WHERE clause and its parameters for the filters, on these columns."""
    parts: list[str] = []
    params: list = []

    def any_of(columns: tuple[str, ...], test: str, value, nested: bool) -> None:
        condition = "(" + " OR ".join(f"coalesce({c}, '') {test} ?" for c in columns) + ")"
        parts.append(cols.nested.format(condition=condition) if nested and cols.nested else condition)
        params.extend([value] * len(columns))

    if f.since:
        parts.append(f"coalesce({cols.end}, {cols.start}) >= ?")
        params.append(f.since)
    if f.until:
        parts.append(f"{cols.start} <= ?")
        params.append(f.until)
    if f.near and cols.lat:
        parts.append(f"{km_sql(cols.lat, cols.lon)} <= ?")
        params.extend([f.near[0], f.near[0], f.near[1], f.km])
    if f.type and cols.type:
        any_of(cols.type, "ILIKE", f.type, nested=False)
    if f.side and cols.side:
        any_of(cols.side, "=", f.side.upper(), nested=True)
    if f.source and cols.source:
        any_of(cols.source, "ILIKE", f"%{f.source}%", nested=True)
    if f.text and cols.text:
        any_of(cols.text, "ILIKE", f"%{f.text}%", nested=True)

    def needs(value, column, name: str) -> bool:
        if value is not None and not column:
            raise ValueError(f"{name} does not apply to these records")
        return value is not None

    if needs(f.country, cols.country, "country"):
        any_of(cols.country, "ILIKE", f.country, nested=False)
    if needs(f.admin1, cols.admin1, "admin1"):
        any_of(cols.admin1, "ILIKE", f.admin1, nested=False)
    if needs(f.bbox, cols.lat, "bbox"):
        parts.append(f"{cols.lon} BETWEEN ? AND ? AND {cols.lat} BETWEEN ? AND ?")
        params.extend([f.bbox[0], f.bbox[2], f.bbox[1], f.bbox[3]])
    if needs(f.event_type, cols.event_type, "event_type"):
        any_of((cols.event_type,), "ILIKE", f.event_type, nested=False)
    if needs(f.sub_event_type, cols.sub_event_type, "sub_event_type"):
        any_of((cols.sub_event_type,), "ILIKE", f.sub_event_type, nested=False)
    if needs(f.actor, cols.actor, "actor"):
        any_of(cols.actor, "ILIKE", f"%{f.actor}%", nested=True)
    if needs(f.source_side, cols.source_side, "source_side"):
        any_of(cols.source_side, "=", f.source_side.upper(), nested=True)
    if needs(f.fatalities_min, cols.fatalities, "fatalities_min"):
        parts.append(f"coalesce({cols.fatalities}, 0) >= ?")
        params.append(f.fatalities_min)
    if needs(f.geo_precision_max, cols.geo_precision, "geo_precision_max"):
        parts.append(f"{cols.geo_precision} <= ?")
        params.append(f.geo_precision_max)
    if needs(f.updated_since, cols.updated, "updated_since"):
        condition = " OR ".join(f"{c} >= ?" for c in cols.updated)
        parts.append(cols.nested.format(condition=condition) if cols.nested else f"({condition})")
        params.extend([f.updated_since] * len(cols.updated))
    if f.after is not None and cols.order:
        parts.append(_keyset(sort_order(cols, f.sort)))
        params.extend(_keyset_params(f.after))
    return (" WHERE " + " AND ".join(parts)) if parts else "", params


def sort_order(cols: Columns, sort: str | None) -> tuple[str, ...]:
    """The order of a list for a `sort` of SORTS (`-` first: descending), as expressions with a leading
    '-' for descending; the list's own order when none."""
    if sort is None:
        return cols.order
    for name, order in SORTS.items():
        if cols is COLUMNS_OF[name]:
            if sort not in order:
                raise ValueError(f"sort must be one of {', '.join(order)}")
            return order[sort]
    raise ValueError("this list cannot be sorted")


def _keyset(order: tuple[str, ...]) -> str:
    """Rows after a key in this order: (a, b, c) > (x, y, z), each term < for a descending one. The
    order's expressions are never NULL (dates are coalesced), so the comparison holds."""
    terms = []
    for k, column in enumerate(order):
        expr, op = (column[1:], "<") if column.startswith("-") else (column, ">")
        equal = [f"{c.lstrip('-')} = ?" for c in order[:k]]
        terms.append("(" + " AND ".join([*equal, f"{expr} {op} ?"]) + ")")
    return "(" + " OR ".join(terms) + ")"


def _keyset_params(after: tuple) -> list:
    params = []
    for k in range(len(after)):
        params.extend([*after[:k], after[k]])
    return params


def order_by(cols: Columns, sort: str | None = None) -> str:
    return " ORDER BY " + ", ".join(f"{c[1:]} DESC" if c.startswith("-") else c for c in sort_order(cols, sort))


NO_DATE = "DATE '0001-01-01'"


EVENT_COLUMNS = Columns(
    "e.date_start", "e.date_end", "e.latitude", "e.longitude", ("e.event_type", "e.sub_event_type"),
    ("e.side1", "e.side2"), ("e.source", "a.outlet"), ("e.notes",), country=("e.country", "e.country_code"),
    admin1=("e.admin1",), event_type="e.event_type", sub_event_type="e.sub_event_type", actor=("e.actor1", "e.actor2"),
    source_side=("e.source_side",), fatalities="e.fatalities", geo_precision="e.geo_precision",
    updated=("a.ingested_at",), order=(f"coalesce(e.date_start, {NO_DATE})", "e.article_id", "e.event_id"))
INCIDENT_COLUMNS = Columns(
    "i.date_start", "i.date_end", "i.latitude", "i.longitude", ("i.event_type", "i.sub_event_type"),
    ("e.side1", "e.side2", "e.source_side"), ("e.source", "a.outlet"), ("e.notes", "a.text"),
    nested="i.incident_id IN (SELECT m.incident_id FROM mentions m JOIN events e USING (article_id, event_id) "
           "JOIN articles a USING (article_id) WHERE {condition})",
    country=("i.country",), admin1=("i.admin1",), event_type="i.event_type", sub_event_type="i.sub_event_type",
    actor=("e.actor1", "e.actor2"), source_side=("e.source_side",), geo_precision="i.geo_precision",
    updated=("a.ingested_at",), order=(f"coalesce(i.date_start, {NO_DATE})", "i.incident_id"))
CLAIM_COLUMNS = Columns(
    "coalesce(c.date_start, a.published)", "coalesce(c.date_end, a.published)", "c.latitude", "c.longitude",
    ("c.category",), ("c.side", "c.source_side"), ("c.source", "a.outlet"), ("c.sentence",),
    source_side=("c.source_side",), updated=("a.ingested_at",),
    order=(f"coalesce(a.published, {NO_DATE})", "c.article_id", "c.claim_id"))
FIGURE_COLUMNS = Columns(
    "g.date_start", "g.date_end", "g.latitude", "g.longitude", ("g.category",), ("g.side",), ("c.source", "a.outlet"),
    ("c.sentence",), nested="g.figure_id IN (SELECT fc.figure_id FROM figure_claims fc JOIN claims c "
                            "USING (article_id, claim_id) JOIN articles a USING (article_id) WHERE {condition})",
    source_side=("c.source_side",), updated=("a.ingested_at",),
    order=(f"coalesce(g.date_start, {NO_DATE})", "g.figure_id"))
# the sorts a list allows besides its own order: name -> order (unique, for keyset paging)
SORTS = {
    "events": {"date": EVENT_COLUMNS.order,
               "-date": (f"-coalesce(e.date_start, {NO_DATE})", "-e.article_id", "-e.event_id"),
               "-fatalities": ("-e.fatalities", f"-coalesce(e.date_start, {NO_DATE})", "-e.article_id", "-e.event_id")},
    "incidents": {"date": INCIDENT_COLUMNS.order, "-date": (f"-coalesce(i.date_start, {NO_DATE})", "-i.incident_id")},
    "claims": {"date": CLAIM_COLUMNS.order,
               "-date": (f"-coalesce(a.published, {NO_DATE})", "-c.article_id", "-c.claim_id")},
}
COLUMNS_OF = {"events": EVENT_COLUMNS, "incidents": INCIDENT_COLUMNS, "claims": CLAIM_COLUMNS}

JUDGEMENT_COLUMNS = Columns("a.published", "a.published", type=("j.standard",), side=("j.source_side",),
                            source=("j.source", "a.outlet"), text=("j.statement",), source_side=("j.source_side",),
                            updated=("a.ingested_at",))
SOURCE_COLUMNS = Columns("a.published", "a.published", type=("s.kind",), side=("s.side",), source=("s.name",))


TYPE_VALUES = {  # what --type means on each query, and where its values come from
    "events": "event type or sub-type", "incidents": "event type or sub-type",
    "claims": "claim category", "figures": "claim category", "sources": "source kind",
}


def type_values(con, name: str) -> list[str]:
    """The values a query's type filter takes: the ACLED taxonomy for events and incidents, the claim
    categories of the data and the ledger for claims and figures, the source kinds in the ledger."""
    if name in ("events", "incidents"):
        taxonomy = load_yaml("events.yaml")["taxonomy"]
        return [*taxonomy, *(sub for subs in taxonomy.values() for sub in subs)]
    if name in ("claims", "figures"):
        known = {rule["category"] for rule in load_yaml("quantities.yaml")["category_rules"]}
        return sorted(known | {r[0] for r in con.execute("SELECT DISTINCT category FROM claims").fetchall() if r[0]})
    return sorted(r[0] for r in con.execute("SELECT DISTINCT kind FROM sources").fetchall() if r[0])


def side_values(con) -> list[str]:
    """The sides the ledger's records name (country codes, and blocs such as WEST or INTL)."""
    rows = con.execute("SELECT side1 FROM events UNION SELECT side2 FROM events UNION SELECT source_side FROM events "
                       "UNION SELECT side FROM claims UNION SELECT source_side FROM claims "
                       "UNION SELECT side FROM sources").fetchall()
    return sorted(r[0] for r in rows if r[0])


class Rows(list):
    """A query's rows, which know their columns even when there are none (a CSV header is the same
    whatever the row count)."""

    def __init__(self, rows=(), columns: list[str] | None = None):
        super().__init__(rows)
        self.columns = list(columns or (self[0] if self else []))


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> Rows:
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return Rows((dict(zip(names, row)) for row in cursor.fetchall()), names)


def _limit(f: Filters) -> str:
    return f" LIMIT {int(f.limit)}" if f.limit else ""


def _and(clause: str, condition: str) -> str:
    return f"{clause} AND {condition}" if clause else f" WHERE {condition}"


EVENTS_SQL = ("SELECT e.article_id, e.event_id, m.incident_id, e.event_date, e.date_start, e.date_end, "
              "e.time_precision, e.event_type, e.sub_event_type, e.actor1, e.side1, e.actor2, e.side2, "
              "e.location, e.admin1, e.country, e.country_code, e.latitude, e.longitude, e.geo_precision, "
              "e.fatalities, e.fatalities_low, e.fatalities_high, e.source, e.source_side, a.outlet, a.url, "
              "a.published, a.ingested_at, e.notes FROM events e JOIN articles a USING (article_id) "
              "LEFT JOIN mentions m USING (article_id, event_id)")


def events(con, f: Filters) -> list[dict]:
    clause, params = where(f, EVENT_COLUMNS)
    if f.contested:  # the reports of a contested incident
        clause, params = _and(clause, "m.incident_id IN (SELECT unnest(?))"), [*params, contested_incidents(con)]
    return _rows(con, EVENTS_SQL + clause + order_by(EVENT_COLUMNS, f.sort) + _limit(f), params)


def _voice(row: dict) -> str:
    """Who independently vouches for a report: a named party, else the story (all its reprints are one)."""
    if row["source"] and row["source_side"] not in (None, "UNKNOWN"):
        return row["source"]
    return f"story {row['syndication_group'] or row['article_id']}"


def _label(row: dict) -> str:
    """How a report's voice is shown: its source, else its outlet, else its article ('warledger article N')."""
    return row["source"] or row["outlet"] or f"article {row['article_id']}"


def by_voice(rows: list[dict], entry) -> list[dict]:
    """One entry per independent source, from its first row (`entry(row)` gives the fields it shows),
    with every row of that source under 'rows'."""
    voices: dict[str, dict] = {}
    for row in rows:
        voice = _voice(row)
        if voice not in voices:
            voices[voice] = {"source": _label(row),
                             "side": row["source_side"] or "NONE", **entry(row), "rows": []}
        voices[voice]["rows"].append(row)
    return list(voices.values())


def _fatality_range(row: dict) -> tuple[float, float] | None:
    low, high = row["fatalities_low"], row["fatalities_high"]
    if low is not None or high is not None:
        return float(low or 0), float(high) if high is not None else float("inf")
    return (float(row["fatalities"]),) * 2 if row["fatalities"] else None


def incidents(con, f: Filters) -> list[dict]:
    clause, params = where(f, INCIDENT_COLUMNS)
    # with --contested the limit applies after the contest is judged
    found = _rows(con, "SELECT i.* FROM incidents i" + clause + order_by(INCIDENT_COLUMNS, f.sort)
                  + ("" if f.contested else _limit(f)), params)
    columns = [*found.columns, *INCIDENT_SUMMARY]
    if not found:
        return Rows([], columns)
    ids = [row["incident_id"] for row in found]
    mentions = _mentions(con, "m.incident_id IN (SELECT unnest(?))", [ids])
    by_incident: dict[int, list[dict]] = {}
    for mention in mentions:
        by_incident.setdefault(mention["incident_id"], []).append(mention)
    denied = _denials_of(con, found, by_incident)
    out = [_summarise(row, by_incident.get(row["incident_id"], []), con, denied.get(row["incident_id"], []))
           for row in found]
    if f.contested:
        out = [row for row in out if contested(row)][:f.limit or None]
    return Rows(out, columns)


def contested(row: dict) -> bool:
    """Sources disagree about an incident or a figure."""
    return bool(row.get("contradictions")) or bool(row.get("perpetrator_disputed"))


def contested_incidents(con) -> list[int]:
    return [row["incident_id"] for row in incidents(con, Filters(contested=True))]


def contested_figures(con) -> list[int]:
    return [row["figure_id"] for row in figures(con, Filters(contested=True))]


TOLL_CATEGORIES = ("killed", "civilians_killed", "casualties")


def _mentions(con, condition: str, params: list) -> Rows:
    """Event reports linked to incidents, with what each says (actors, toll and whose, sentence) and where
    it was published."""
    return _rows(con, "SELECT m.incident_id, m.article_id, m.event_id, e.event_date, e.sub_event_type, e.actor1, "
                      "e.side1, e.actor2, e.side2, e.location, e.source, e.source_side, e.fatalities, "
                      "e.fatalities_low, e.fatalities_high, (SELECT c.subject FROM claims c WHERE c.article_id = "
                      "e.article_id AND list_contains(e.claim_ids, c.claim_id) AND c.category IN "
                      f"{TOLL_CATEGORIES} ORDER BY c.claim_id LIMIT 1) AS toll_subject, e.notes AS sentence, "
                      "a.published, a.outlet, a.url, a.title, s.syndication_group, "
                      "(SELECT count(*) FROM articles d WHERE d.duplicate_of = m.article_id) AS copies "
                      "FROM mentions m JOIN events e USING (article_id, event_id) "
                      "JOIN articles a USING (article_id) LEFT JOIN signatures s USING (article_id) "
                      f"WHERE {condition} ORDER BY a.published, m.article_id, m.event_id", params)


INCIDENT_SUMMARY = ["reports", "independent_sources", "sides", "first_report", "outlets", "figures", "contradictions",
                    "denials", "perpetrator_disputed", "mentions"]


def _denials_of(con, found: list[dict], mentions: dict[int, list[dict]]) -> dict[int, list[dict]]:
    """The denials that answer each incident: of its type family, time and place (`linking.incident_distance`)."""
    dated = [r for r in found if r["date_start"]]
    if not dated:
        return {}
    low = min(r["date_start"] for r in dated)
    high = max(r["date_end"] or r["date_start"] for r in dated)
    pad = linking.WINDOW_PAD
    denials = _rows(con, "SELECT d.*, a.published, a.outlet, a.url, s.syndication_group FROM denials d "
                         "JOIN articles a USING (article_id) LEFT JOIN signatures s USING (article_id) "
                         "WHERE coalesce(d.date_end, a.published) >= ? AND coalesce(d.date_start, a.published) <= ? "
                         "ORDER BY a.published, d.article_id, d.denial_id", [low - pad, high + pad])
    records = [(denial, linking.EventRecord(**{c: denial[c] for c in linking.HAPPENING_FIELDS}, side1=denial["side1"],
                                            side2=denial["side2"], published=denial["published"]))
               for denial in denials]
    out: dict[int, list[dict]] = {}
    for row in dated if records else ():
        sides = {m[k] for m in mentions.get(row["incident_id"], []) for k in ("side1", "side2")}
        incident = linking.Incident(**{c: row[c] for c in linking.HAPPENING_FIELDS}, incident_id=row["incident_id"],
                                    sides=sides - linking.UNKNOWN_SIDES)
        for denial, record in records:
            if linking.incident_distance(record, incident) is not None:
                out.setdefault(row["incident_id"], []).append(denial)
    return out


def _summarise(incident: dict, mentions: list[dict], con, denials: list[dict] = ()) -> dict:
    articles = {m["article_id"]: m for m in mentions}
    voices = by_voice(mentions, lambda m: {})
    accounts = []
    for voice in voices:
        # the source's toll, perpetrator and target: from its first report that gives each
        rows = voice.pop("rows")
        toll = next((m for m in rows if _fatality_range(m)), None)
        voice.update({k: toll[k] if toll else None for k in ("fatalities", "fatalities_low", "fatalities_high")})
        voice["perpetrator"] = next((m["side1"] for m in rows if m["side1"] not in linking.UNKNOWN_SIDES), None)
        voice["target"] = next(filter(None, (linking.target_kind(m["actor2"]) for m in rows)), None)
        voice["reports"] = len({m["article_id"] for m in rows})
        accounts.append(linking.Account(voice["source"], voice["perpetrator"], voice["target"],
                                        _fatality_range(toll) if toll else None,
                                        linking.toll_subject(toll["toll_subject"]) if toll else "people"))
    perpetrators = {a.perpetrator for a in accounts if a.perpetrator}
    first = mentions[0] if mentions else {}
    outlets = sorted({m["outlet"] for m in mentions if m["outlet"]} | _duplicate_outlets(con, list(articles)))
    return {
        **incident,
        "reports": len(articles) + sum(m["copies"] for m in articles.values()),
        "independent_sources": len(voices),
        "sides": sorted({v["side"] for v in voices}),
        "first_report": {"published": first.get("published"), "outlet": first.get("outlet"),
                         "title": first.get("title"), "url": first.get("url")},
        "outlets": outlets,
        "figures": voices,
        "contradictions": linking.contradictions(accounts, [linking.Denial(_label(d), d["side1"]) for d in denials]),
        "denials": [{"source": _label(d), "side": d["source_side"], "denies": d["actor1"],
                     "sentence": d["notes"], "url": d["url"], "article_id": d["article_id"]} for d in denials],
        "perpetrator_disputed": len(perpetrators) > 1,
        "mentions": [f"{m['article_id']}:{m['event_id']}" for m in mentions],
    }


def _duplicate_outlets(con, article_ids: list[int]) -> set[str]:
    if not article_ids:
        return set()
    rows = con.execute("SELECT DISTINCT outlet FROM articles WHERE duplicate_of IN (SELECT unnest(?)) "
                       "AND outlet IS NOT NULL", [article_ids]).fetchall()
    return {r[0] for r in rows}


def claims(con, f: Filters) -> list[dict]:
    clause, params = where(f, CLAIM_COLUMNS)
    if f.contested:  # the claims of a contested figure
        clause, params = _and(clause, "fc.figure_id IN (SELECT unnest(?))"), [*params, contested_figures(con)]
    return _rows(con, "SELECT c.article_id, c.claim_id, fc.figure_id, c.category, c.subject, c.side, c.low, c.best, "
                      "c.high, c.qualifier, c.unit, c.date_start, c.date_end, c.place, c.source, c.source_side, "
                      "c.hedge, a.outlet, a.published, c.sentence FROM claims c JOIN articles a USING (article_id) "
                      "LEFT JOIN figure_claims fc USING (article_id, claim_id)" + clause
                 + order_by(CLAIM_COLUMNS, f.sort) + _limit(f), params)


def figures(con, f: Filters, incident_id: int | None = None) -> list[dict]:
    """Claims about the same quantity side by side, one entry per independent source, disagreements flagged
    (only those counted about one incident, given its id)."""
    clause, params = where(f, FIGURE_COLUMNS)
    if incident_id is not None:
        clause, params = _and(clause, "g.incident_id = ?"), [*params, incident_id]
    found = _rows(con, "SELECT g.* FROM figures g" + clause + order_by(FIGURE_COLUMNS), params)
    columns = [*found.columns, "independent_sources", "claims", "contradictions", "inconsistencies"]
    if not found:
        return Rows([], columns)
    members = _rows(con, "SELECT fc.figure_id, c.article_id, c.claim_id, c.low, c.best, c.high, c.qualifier, "
                         "c.source, c.source_side, c.subject, c.item, a.outlet, a.published, s.syndication_group "
                         "FROM figure_claims fc JOIN claims c USING (article_id, claim_id) "
                         "JOIN articles a USING (article_id) LEFT JOIN signatures s USING (article_id) "
                         "WHERE fc.figure_id IN (SELECT unnest(?)) ORDER BY a.published, c.article_id",
                    [[row["figure_id"] for row in found]])
    by_figure: dict[int, list[dict]] = {}
    for member in members:
        by_figure.setdefault(member["figure_id"], []).append(member)
    flags = tally_inconsistencies(*_tally_totals(con, {m["item"] for m in members if m["item"]}))
    out = []
    for row in found:
        voices = by_voice(by_figure.get(row["figure_id"], []),
                          lambda c: {k: c[k] for k in ("low", "best", "high", "qualifier", "subject")})
        for voice in voices:
            voice["claims"] = [f"{c['article_id']}:{c['claim_id']}" for c in voice.pop("rows")]
        ranges = [(v["source"], linking.claim_range(v["qualifier"], v["low"], v["best"], v["high"])) for v in voices]
        contradictions = [{"kind": "figure", "between": list(pair)} for pair in linking.disagreements(ranges)]
        if f.contested and not contradictions:
            continue
        inconsistencies = [{"claim": f"{m['article_id']}:{m['claim_id']}", "source": m["source"],
                            "why": flags[(m["article_id"], m["claim_id"])]}
                           for m in by_figure.get(row["figure_id"], []) if (m["article_id"], m["claim_id"]) in flags]
        out.append({**row, "independent_sources": len(voices), "claims": voices,
                    "contradictions": contradictions, "inconsistencies": inconsistencies})
        if f.limit and len(out) >= f.limit:
            break
    return Rows(out, columns)


def sources(con, f: Filters) -> list[dict]:
    clause, params = where(f, SOURCE_COLUMNS)
    if f.contested:  # a party to a disagreement over an incident or a figure
        parties = {name for row in incidents(con, Filters(contested=True)) + figures(con, Filters(contested=True))
                   for found in row["contradictions"] for name in found["between"]}
        clause, params = _and(clause, "s.name IN (SELECT unnest(?))"), [*params, sorted(parties)]
    return _rows(con, "SELECT s.name, s.kind, s.side, count(DISTINCT s.article_id) AS articles, "
                      "sum(s.mentions) AS mentions, "
                      "(SELECT count(*) FROM claims c WHERE c.source = s.name) AS claims, "
                      "(SELECT count(*) FROM events e WHERE e.source = s.name) AS events, "
                      "min(a.published) AS first_seen, max(a.published) AS last_seen "
                      "FROM sources s JOIN articles a USING (article_id)" + clause
                 + " GROUP BY s.name, s.kind, s.side ORDER BY articles DESC, s.name" + _limit(f), params)


# ------------------------------------------------------------------ one record, every report side by side
def event(con, article_id: int, event_id: str) -> dict | None:
    """One event report as `events` lists it, with the claims it counts."""
    found = _rows(con, EVENTS_SQL + " WHERE e.article_id = ? AND e.event_id = ?", [article_id, event_id])
    if not found:
        return None
    record = found[0]
    record["claims"] = _rows(con, "SELECT c.claim_id, fc.figure_id, c.category, c.subject, c.side, c.low, c.best, "
                                  "c.high, c.qualifier, c.source, c.sentence FROM claims c JOIN events e "
                                  "ON e.article_id = c.article_id AND list_contains(e.claim_ids, c.claim_id) "
                                  "LEFT JOIN figure_claims fc ON fc.article_id = c.article_id AND fc.claim_id = "
                                  "c.claim_id WHERE e.article_id = ? AND e.event_id = ? ORDER BY c.claim_id",
                             [article_id, event_id])
    return record


def incident(con, incident_id: int) -> dict | None:
    """One incident with every report of it side by side (source, side, who it says fired at whom, the
    toll, the sentence, the URL), its contradictions and the figures counted about it."""
    found = _rows(con, "SELECT i.* FROM incidents i WHERE i.incident_id = ?", [incident_id])
    if not found:
        return None
    mentions = _mentions(con, "m.incident_id = ?", [incident_id])
    denials = _denials_of(con, found, {incident_id: mentions}).get(incident_id, [])
    summary = _summarise(found[0], mentions, con, denials)
    summary["reports_side_by_side"] = [
        {k: m[k] for k in ("article_id", "event_id", "published", "source", "source_side", "sub_event_type", "actor1",
                           "side1", "actor2", "fatalities", "fatalities_low", "fatalities_high", "sentence", "outlet",
                           "url")} for m in mentions]
    summary["figures_counted"] = list(figures(con, Filters(), incident_id=incident_id))
    return summary


def article(con, article_id: int, with_text: bool = False) -> dict | None:
    """One article: where and when it appeared, its copies and story, and every record taken from it with the
    incident or figure each belongs to."""
    found = _rows(con, "SELECT a.* EXCLUDE (report, text), s.syndication_group, "
                       "(SELECT list(d.article_id ORDER BY d.article_id) FROM articles d "
                       "WHERE d.duplicate_of = a.article_id) AS copies, "
                       f"{'a.text' if with_text else 'NULL'} AS text "
                       "FROM articles a LEFT JOIN signatures s USING (article_id) WHERE a.article_id = ?", [article_id])
    if not found:
        return None
    record = found[0]
    own = record["duplicate_of"] or article_id  # a copy's records are its original's
    record["events"] = _rows(con, "SELECT e.event_id, m.incident_id, e.event_date, e.sub_event_type, e.actor1, "
                                  "e.actor2, e.location, e.fatalities, e.source, e.source_side, e.notes AS sentence "
                                  "FROM events e LEFT JOIN mentions m USING (article_id, event_id) "
                                  "WHERE e.article_id = ? ORDER BY e.event_id", [own])
    record["claims"] = _rows(con, "SELECT c.claim_id, fc.figure_id, c.category, c.subject, c.side, c.low, c.best, "
                                  "c.high, c.qualifier, c.source, c.source_side, c.sentence FROM claims c "
                                  "LEFT JOIN figure_claims fc USING (article_id, claim_id) WHERE c.article_id = ? "
                                  "ORDER BY c.claim_id", [own])
    record["sources"] = _rows(con, "SELECT source_id, name, kind, side, mentions FROM sources WHERE article_id = ? "
                                   "ORDER BY source_id", [own])
    record["quotes"] = _rows(con, "SELECT quote_id, speaker, speaker_side, text FROM quotes WHERE article_id = ? "
                                  "ORDER BY quote_id", [own])
    return record


def source(con, name: str) -> dict | None:
    """One source by its name (as `sources` lists it): its kind and side, and what it asserts in each
    article, event by event and claim by claim."""
    found = _rows(con, "SELECT s.name, s.kind, s.side, list(DISTINCT s.article_id ORDER BY s.article_id) AS articles "
                       "FROM sources s WHERE lower(s.name) = lower(?) GROUP BY ALL", [name])
    if not found:
        return None
    record = {**found[0], "name": found[0]["name"]}
    name = record["name"]
    record["events"] = _rows(con, "SELECT e.article_id, e.event_id, m.incident_id, e.event_date, e.sub_event_type, "
                                  "e.actor1, e.actor2, e.location, e.fatalities, e.notes AS sentence, a.url "
                                  "FROM events e JOIN articles a USING (article_id) LEFT JOIN mentions m "
                                  "USING (article_id, event_id) WHERE e.source = ? ORDER BY e.date_start, e.article_id",
                             [name])
    record["claims"] = _rows(con, "SELECT c.article_id, c.claim_id, fc.figure_id, c.category, c.low, c.best, c.high, "
                                  "c.qualifier, c.sentence, a.url FROM claims c JOIN articles a USING (article_id) "
                                  "LEFT JOIN figure_claims fc USING (article_id, claim_id) WHERE c.source = ? "
                                  "ORDER BY a.published, c.article_id", [name])
    return record


# ------------------------------------------------------------------ aggregates
INTERVALS = ("day", "week", "month")
TIMELINE_BY = {"event_type": "e.event_type", "sub_event_type": "e.sub_event_type", "side": "coalesce(e.side1, 'UNKNOWN')",
               "source": "coalesce(e.source, a.outlet, 'unknown')", "country": "coalesce(e.country, 'unknown')"}


def timeline(con, f: Filters, interval: str = "day", by: str | None = None) -> Rows:
    """Events per day, week or month (by event type, side, source or country): how many, and their
    fatalities as reported (low, best, high)."""
    if interval not in INTERVALS:
        raise ValueError(f"interval must be one of {', '.join(INTERVALS)}")
    if by is not None and by not in TIMELINE_BY:
        raise ValueError(f"by must be one of {', '.join(TIMELINE_BY)}")
    clause, params = where(dataclasses.replace(f, limit=None, after=None), EVENT_COLUMNS)
    clause = _and(clause, "coalesce(e.event_date, e.date_start) IS NOT NULL")
    key = f"{TIMELINE_BY[by]} AS {by}, " if by else ""
    group = ", 2" if by else ""
    return _rows(con, f"SELECT CAST(date_trunc('{interval}', coalesce(e.event_date, e.date_start)) AS DATE) AS bucket, "
                      f"{key}count(*) AS events, sum(coalesce(e.fatalities_low, e.fatalities)) AS fatalities_low, "
                      "sum(e.fatalities) AS fatalities, sum(coalesce(e.fatalities_high, e.fatalities)) AS fatalities_high "
                      "FROM events e JOIN articles a USING (article_id) LEFT JOIN mentions m USING (article_id, event_id)"
                      f"{clause} GROUP BY 1{group} ORDER BY 1{group}", params)


def series(con, category: str | None, f: Filters) -> Rows:
    """A claimed figure over time, source by source: the General Staff's daily count of attacks, a
    ministry's running total of tanks. One row per claim, by the date it is about (a running total's last
    day; a period's middle day otherwise). `category` is a claim category or a tally item; None: every
    tally item. Each row says whether it is inconsistent with the same source's other figures."""
    clause, params = where(dataclasses.replace(f, limit=None, after=None), CLAIM_COLUMNS)
    if category is None:
        clause = _and(clause, "c.item IS NOT NULL")
    else:
        clause, params = _and(clause, "(c.category = ? OR c.item = ?)"), [*params, category, category]
    # a figure over a period (69 attacks a day last week) stands at the period's middle; a running total at its end
    middle = "c.date_start + CAST(date_diff('day', c.date_start, c.date_end) // 2 AS INTEGER)"
    day = f"CASE WHEN c.period = 'cumulative' THEN c.date_end ELSE {middle} END"
    rows = _rows(con, f"SELECT coalesce({day}, c.date_end, c.date_start, a.published) AS date, c.date_start, "
                      "c.date_end, c.date_precision, c.category, c.item, c.period, c.low, c.best, c.high, c.qualifier, "
                      "c.subject, c.side, c.source, c.source_side, c.article_id, c.claim_id, a.url, c.sentence "
                      f"FROM claims c JOIN articles a USING (article_id){clause} "
                      "ORDER BY 1, c.source, c.item, c.period, c.article_id, c.claim_id", params)
    totals, changes = _tally_totals(con, {row["item"] for row in rows if row["item"]})
    flags = tally_inconsistencies(totals, changes)
    for row in rows:
        row["inconsistency"] = flags.get((row["article_id"], row["claim_id"]))
        row["implied_change"] = _implied_change(totals.get((row["source"], row["item"]), {}), row["date_end"]) \
            if row["period"] == "cumulative" else None
    return Rows(list(rows), [*rows.columns, "inconsistency", "implied_change"])


def _implied_change(by_day: dict, day) -> float | None:
    """The change one source's running totals imply for a day: that day's total less the day before's
    (when each day has one total)."""
    today, before = by_day.get(day), by_day.get(day - timedelta(days=1)) if day else None
    if today and before and len({v for v, *_ in today}) == 1 and len({v for v, *_ in before}) == 1:
        return today[0][0] - before[0][0]
    return None


def _tally_totals(con, items: set[str]) -> tuple[dict, dict]:
    """Each source's running totals of these items, (source, item) -> day -> [(value, article_id, claim_id)],
    and its day's changes, (source, item) -> [(day, value, article_id, claim_id)]."""
    if not items:
        return {}, {}
    found = con.execute("SELECT c.source, c.item, c.period, c.date_end, coalesce(c.best, c.low, c.high), "
                        "c.article_id, c.claim_id FROM claims c JOIN articles a USING (article_id) "
                        "WHERE c.item IN (SELECT unnest(?)) AND c.period IN ('cumulative', 'daily') "
                        "AND c.date_end IS NOT NULL AND a.duplicate_of IS NULL "
                        "ORDER BY c.date_end, a.published, c.article_id", [sorted(items)]).fetchall()
    totals: dict[tuple, dict] = {}
    changes: dict[tuple, list] = {}
    for source, item, period, day, value, article_id, claim_id in found:
        if period == "cumulative":
            totals.setdefault((source, item), {}).setdefault(day, []).append((value, article_id, claim_id))
        else:
            changes.setdefault((source, item), []).append((day, value, article_id, claim_id))
    return totals, changes


def tally_inconsistencies(totals: dict, changes: dict) -> dict[tuple[int, str], str]:
    """Where one source's tally contradicts itself over time (`_tally_totals`): a running total that falls,
    two totals for one day, or a day's change that is not the difference of that day's and the day
    before's totals. (article_id, claim_id) -> why."""
    flags: dict[tuple[int, str], str] = {}
    for key, by_day in totals.items():
        previous = None
        for day in sorted(by_day):
            values = {value for value, *_ in by_day[day]}
            if len(values) > 1:
                for value, *claim in by_day[day]:
                    flags[tuple(claim)] = f"{len(values)} different totals for {day}: " + ", ".join(
                        f"{v:g}" for v in sorted(values))
            value, *claim = by_day[day][-1]
            if previous is not None and value < previous[1]:
                flags[tuple(claim)] = f"the total falls from {previous[1]:g} ({previous[0]}) to {value:g}"
            previous = (day, value)
    for key, told in changes.items():
        for day, value, article_id, claim_id in told:
            difference = _implied_change(totals.get(key, {}), day)
            if difference is not None and value != difference:
                flags[(article_id, claim_id)] = (f"the day's change is {value:g}, but the totals for {day} and "
                                                 f"the day before differ by {difference:g}")
    return flags


def judgements(con, f: Filters) -> Rows:
    """Estimative language (PHIA, ICD 203 or inferred) with its probability band, statement and source."""
    clause, params = where(dataclasses.replace(f, after=None), JUDGEMENT_COLUMNS)
    return _rows(con, "SELECT j.article_id, j.assessment_id, j.phrase, j.standard, j.low, j.high, j.statement, "
                      "j.source, j.source_side, a.published, a.url FROM assessments j JOIN articles a USING "
                      f"(article_id){clause} ORDER BY a.published, j.article_id, j.assessment_id" + _limit(f), params)


def actors(con, f: Filters) -> Rows:
    """Each actor events name (as actor 1 or 2), its side, how many events and their fatalities."""
    clause, params = where(dataclasses.replace(f, after=None), EVENT_COLUMNS)
    return _rows(con, "SELECT actor, side, count(*) AS events, sum(fatalities) AS fatalities FROM ("
                      "SELECT e.actor1 AS actor, e.side1 AS side, e.fatalities FROM events e JOIN articles a "
                      f"USING (article_id) LEFT JOIN mentions m USING (article_id, event_id){clause} UNION ALL "
                      "SELECT e.actor2, e.side2, e.fatalities FROM events e JOIN articles a USING (article_id) "
                      f"LEFT JOIN mentions m USING (article_id, event_id){clause}) WHERE actor IS NOT NULL "
                      "GROUP BY 1, 2 ORDER BY events DESC, actor" + _limit(f), params + params)


def map_points(con, f: Filters, of: str = "events") -> Rows:
    """Every matching event (or incident) with coordinates, few fields each: what a map draws."""
    if of == "incidents":
        clause, params = where(dataclasses.replace(f, limit=None, after=None), INCIDENT_COLUMNS)
        clause = _and(clause, "i.latitude IS NOT NULL")
        return _rows(con, "SELECT i.incident_id AS id, i.event_type, i.sub_event_type, i.date_start AS date, "
                          "i.location, i.latitude, i.longitude, i.geo_precision FROM incidents i" + clause
                     + order_by(INCIDENT_COLUMNS), params)
    clause, params = where(dataclasses.replace(f, limit=None, after=None), EVENT_COLUMNS)
    clause = _and(clause, "e.latitude IS NOT NULL")
    return _rows(con, "SELECT e.article_id || ':' || e.event_id AS id, m.incident_id, e.event_type, e.sub_event_type, "
                      "coalesce(e.event_date, e.date_start) AS date, e.location, e.latitude, e.longitude, "
                      "e.geo_precision, e.fatalities FROM events e JOIN articles a USING (article_id) "
                      "LEFT JOIN mentions m USING (article_id, event_id)" + clause + order_by(EVENT_COLUMNS), params)
