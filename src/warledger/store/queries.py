"""Questions asked of a ledger: events, incidents, claims, figures and sources, with filters.

Every query returns plain dicts (one per row, JSON-ready), so the CLI, the
exporters and the API print or serve the same records.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb

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


class _Where:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.params: list = []

    def add(self, sql: str, *params) -> None:
        self.parts.append(sql)
        self.params.extend(params)

    def sql(self) -> str:
        return (" WHERE " + " AND ".join(self.parts)) if self.parts else ""


def _dates(where: _Where, f: Filters, start: str, end: str) -> None:
    if f.since:
        where.add(f"coalesce({end}, {start}) >= ?", f.since)
    if f.until:
        where.add(f"{start} <= ?", f.until)


def _near(where: _Where, f: Filters, lat: str, lon: str) -> None:
    if f.near:
        where.add(f"{km_sql(lat, lon)} <= ?", f.near[0], f.near[0], f.near[1], f.km)


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> list[dict]:
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _limit(f: Filters) -> str:
    return f" LIMIT {int(f.limit)}" if f.limit else ""


def events(con, f: Filters) -> list[dict]:
    where = _Where()
    _dates(where, f, "e.date_start", "e.date_end")
    _near(where, f, "e.latitude", "e.longitude")
    if f.type:
        where.add("(e.event_type ILIKE ? OR e.sub_event_type ILIKE ?)", f.type, f.type)
    if f.side:
        where.add("(e.side1 = ? OR e.side2 = ?)", f.side.upper(), f.side.upper())
    if f.source:
        where.add("(e.source ILIKE ? OR a.outlet ILIKE ?)", f"%{f.source}%", f"%{f.source}%")
    if f.text:
        where.add("e.notes ILIKE ?", f"%{f.text}%")
    return _rows(con, "SELECT e.article_id, e.event_id, m.incident_id, e.event_date, e.date_start, e.date_end, "
                      "e.time_precision, e.event_type, e.sub_event_type, e.actor1, e.side1, e.actor2, e.side2, "
                      "e.location, e.admin1, e.country, e.country_code, e.latitude, e.longitude, e.geo_precision, "
                      "e.fatalities, e.fatalities_low, e.fatalities_high, e.source, e.source_side, a.outlet, a.url, "
                      "a.published, e.notes FROM events e JOIN articles a USING (article_id) "
                      "LEFT JOIN mentions m USING (article_id, event_id)" + where.sql()
                 + " ORDER BY e.date_start, e.article_id, e.event_id" + _limit(f), where.params)


def _voice(source: str | None, side: str | None, story: int | None, article_id: int) -> str:
    """Who independently vouches for a report: a named party, else the story (all its reprints are one)."""
    if source and side not in (None, "UNKNOWN"):
        return source
    return f"story {story or article_id}"


def _fatality_range(row: dict) -> tuple[float, float] | None:
    low, high = row["fatalities_low"], row["fatalities_high"]
    if low is not None or high is not None:
        return float(low or 0), float(high) if high is not None else float("inf")
    return (float(row["fatalities"]),) * 2 if row["fatalities"] else None


def incidents(con, f: Filters) -> list[dict]:
    where = _Where()
    _dates(where, f, "i.date_start", "i.date_end")
    _near(where, f, "i.latitude", "i.longitude")
    if f.type:
        where.add("(i.event_type ILIKE ? OR i.sub_event_type ILIKE ?)", f.type, f.type)
    mention_filters = []
    if f.side:
        mention_filters.append(("(e.side1 = ? OR e.side2 = ? OR e.source_side = ?)", [f.side.upper()] * 3))
    if f.source:
        mention_filters.append(("(e.source ILIKE ? OR a.outlet ILIKE ?)", [f"%{f.source}%"] * 2))
    if f.text:
        mention_filters.append(("(e.notes ILIKE ? OR a.text ILIKE ?)", [f"%{f.text}%"] * 2))
    for sql, params in mention_filters:
        where.add("i.incident_id IN (SELECT m.incident_id FROM mentions m JOIN events e USING (article_id, event_id) "
                  f"JOIN articles a USING (article_id) WHERE {sql})", *params)
    found = _rows(con, "SELECT i.* FROM incidents i" + where.sql() + " ORDER BY i.date_start, i.incident_id"
                  + _limit(f), where.params)
    if not found:
        return []
    ids = [row["incident_id"] for row in found]
    mentions = _rows(con, "SELECT m.incident_id, m.article_id, m.event_id, e.sub_event_type, e.side1, e.side2, "
                          "e.source, e.source_side, e.fatalities, e.fatalities_low, e.fatalities_high, a.published, "
                          "a.outlet, a.url, a.title, s.syndication_group, "
                          "(SELECT count(*) FROM articles d WHERE d.duplicate_of = m.article_id) AS copies "
                          "FROM mentions m JOIN events e USING (article_id, event_id) "
                          "JOIN articles a USING (article_id) LEFT JOIN signatures s USING (article_id) "
                          "WHERE m.incident_id IN (SELECT unnest(?)) ORDER BY a.published, m.article_id, m.event_id",
                     [ids])
    by_incident: dict[int, list[dict]] = {}
    for mention in mentions:
        by_incident.setdefault(mention["incident_id"], []).append(mention)
    return [_summarise(row, by_incident.get(row["incident_id"], []), con) for row in found]


def _summarise(incident: dict, mentions: list[dict], con) -> dict:
    articles = {m["article_id"]: m for m in mentions}
    voices: dict[str, dict] = {}
    for m in mentions:
        voice = _voice(m["source"], m["source_side"], m["syndication_group"], m["article_id"])
        entry = voices.setdefault(voice, {"source": m["source"] or m["outlet"] or f"article {m['article_id']}",
                                          "side": m["source_side"] or "NONE", "fatalities": None,
                                          "fatalities_low": None, "fatalities_high": None, "reports": set()})
        entry["reports"].add(m["article_id"])
        if _fatality_range(m) and not entry["fatalities"]:
            entry.update(fatalities=m["fatalities"], fatalities_low=m["fatalities_low"],
                         fatalities_high=m["fatalities_high"])
    tolls = [(v["source"], _fatality_range(v)) for v in voices.values() if v["fatalities"] or v["fatalities_low"]]
    perpetrators = {m["side1"] for m in mentions if m["side1"] not in linking.UNKNOWN_SIDES}
    first = mentions[0] if mentions else {}
    outlets = sorted({m["outlet"] for m in mentions if m["outlet"]} | _duplicate_outlets(con, list(articles)))
    return {
        **incident,
        "reports": len(articles) + sum(m["copies"] for m in articles.values()),
        "independent_sources": len(voices),
        "sides": sorted({v["side"] for v in voices.values()}),
        "first_report": {"published": first.get("published"), "outlet": first.get("outlet"),
                         "title": first.get("title"), "url": first.get("url")},
        "outlets": outlets,
        "figures": [{**{k: v for k, v in entry.items() if k != "reports"}, "reports": len(entry["reports"])}
                    for entry in voices.values()],
        "contradictions": [list(pair) for pair in linking.disagreements(tolls)],
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
    where = _Where()
    _dates(where, f, "coalesce(c.date_start, a.published)", "coalesce(c.date_end, a.published)")
    _near(where, f, "c.latitude", "c.longitude")
    if f.type:
        where.add("c.category ILIKE ?", f.type)
    if f.side:
        where.add("(c.side = ? OR c.source_side = ?)", f.side.upper(), f.side.upper())
    if f.source:
        where.add("(c.source ILIKE ? OR a.outlet ILIKE ?)", f"%{f.source}%", f"%{f.source}%")
    if f.text:
        where.add("c.sentence ILIKE ?", f"%{f.text}%")
    return _rows(con, "SELECT c.article_id, c.claim_id, fc.figure_id, c.category, c.subject, c.side, c.low, c.best, "
                      "c.high, c.qualifier, c.unit, c.date_start, c.date_end, c.place, c.source, c.source_side, "
                      "c.hedge, a.outlet, a.published, c.sentence FROM claims c JOIN articles a USING (article_id) "
                      "LEFT JOIN figure_claims fc USING (article_id, claim_id)" + where.sql()
                 + " ORDER BY a.published, c.article_id, c.claim_id" + _limit(f), where.params)


def figures(con, f: Filters, contested_only: bool = False) -> list[dict]:
    """Claims about the same quantity side by side, one entry per independent source, disagreements flagged."""
    where = _Where()
    _dates(where, f, "g.date_start", "g.date_end")
    _near(where, f, "g.latitude", "g.longitude")
    if f.type:
        where.add("g.category ILIKE ?", f.type)
    if f.side:
        where.add("g.side = ?", f.side.upper())
    if f.source or f.text:
        where.add("g.figure_id IN (SELECT fc.figure_id FROM figure_claims fc JOIN claims c USING (article_id, claim_id) "
                  "WHERE coalesce(c.source, '') ILIKE ? AND c.sentence ILIKE ?)", f"%{f.source or ''}%",
                  f"%{f.text or ''}%")
    found = _rows(con, "SELECT g.* FROM figures g" + where.sql() + " ORDER BY g.date_start, g.figure_id", where.params)
    if not found:
        return []
    members = _rows(con, "SELECT fc.figure_id, c.article_id, c.claim_id, c.low, c.best, c.high, c.qualifier, "
                         "c.source, c.source_side, c.subject, a.outlet, a.published, s.syndication_group "
                         "FROM figure_claims fc JOIN claims c USING (article_id, claim_id) "
                         "JOIN articles a USING (article_id) LEFT JOIN signatures s USING (article_id) "
                         "WHERE fc.figure_id IN (SELECT unnest(?)) ORDER BY a.published, c.article_id",
                    [[row["figure_id"] for row in found]])
    by_figure: dict[int, list[dict]] = {}
    for member in members:
        by_figure.setdefault(member["figure_id"], []).append(member)
    out = []
    for row in found:
        claimed = by_figure.get(row["figure_id"], [])
        voices: dict[str, dict] = {}
        for c in claimed:
            voice = _voice(c["source"], c["source_side"], c["syndication_group"], c["article_id"])
            voices.setdefault(voice, {"source": c["source"] or c["outlet"] or f"article {c['article_id']}",
                                      "side": c["source_side"] or "NONE", "low": c["low"], "best": c["best"],
                                      "high": c["high"], "qualifier": c["qualifier"], "subject": c["subject"],
                                      "claims": []})["claims"].append(f"{c['article_id']}:{c['claim_id']}")
        ranges = [(v["source"], linking.claim_range(v["qualifier"], v["low"], v["best"], v["high"]))
                  for v in voices.values()]
        contradictions = [list(pair) for pair in linking.disagreements(ranges)]
        if contested_only and not contradictions:
            continue
        out.append({**row, "independent_sources": len(voices), "claims": list(voices.values()),
                    "contradictions": contradictions})
        if f.limit and len(out) >= f.limit:
            break
    return out


def sources(con, f: Filters) -> list[dict]:
    where = _Where()
    _dates(where, f, "a.published", "a.published")
    if f.side:
        where.add("s.side = ?", f.side.upper())
    if f.source:
        where.add("s.name ILIKE ?", f"%{f.source}%")
    if f.type:
        where.add("s.kind = ?", f.type)
    return _rows(con, "SELECT s.name, s.kind, s.side, count(DISTINCT s.article_id) AS articles, "
                      "sum(s.mentions) AS mentions, "
                      "(SELECT count(*) FROM claims c WHERE c.source = s.name) AS claims, "
                      "(SELECT count(*) FROM events e WHERE e.source = s.name) AS events, "
                      "min(a.published) AS first_seen, max(a.published) AS last_seen "
                      "FROM sources s JOIN articles a USING (article_id)" + where.sql()
                 + " GROUP BY s.name, s.kind, s.side ORDER BY articles DESC, s.name" + _limit(f), where.params)
