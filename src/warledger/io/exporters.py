"""Exports researchers load into their own tools: ACLED-style CSV, GeoJSON, Parquet, JSON Lines.

ACLED CSV uses ACLED's column names and order for events, followed by the
ledger's own columns (incident, article URL, outlet). GeoJSON has one point
per incident and per event, with a `record` property saying which. Parquet is
written by DuckDB itself; JSON Lines gives one SPEC report per article.
"""
from __future__ import annotations

import csv
import functools
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO, TextIO

import pycountry

from ..lexicon import load_yaml
from ..store import queries
from .formats import json_default, point_feature

ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude",
    "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]
LEDGER_COLUMNS = ["incident_id", "side1", "side2", "fatalities_low", "fatalities_high", "url", "outlet",
                  "published"]
TABLES = ("events", "incidents", "claims", "figures", "sources", "articles")


@functools.cache
def _acled() -> dict:
    return load_yaml("acled.yaml")


def inter_code(actor: str | None) -> int | None:
    if not actor:
        return None
    return next((code for prefix, code in _acled()["inter"] if actor.startswith(prefix)), 8)


def _iso_numeric(code: str | None) -> int | None:
    country = pycountry.countries.get(alpha_2=code) if code else None
    return int(country.numeric) if country else None


def acled_row(event: dict) -> dict:
    disorder = _acled()["disorder_type"]
    inter1, inter2 = inter_code(event["actor1"]), inter_code(event["actor2"])
    codes = sorted(c for c in (inter1, inter2) if c is not None)
    return {
        "event_id_cnty": f"{event['country_code'] or 'XX'}{event['article_id']}-{event['event_id']}",
        "event_date": event["event_date"] or event["date_start"],
        "year": (event["event_date"] or event["date_start"]).year if (event["event_date"] or event["date_start"])
        else None,
        "time_precision": event["time_precision"],
        "disorder_type": disorder.get(event["sub_event_type"]) or disorder.get(event["event_type"]),
        "event_type": event["event_type"], "sub_event_type": event["sub_event_type"],
        "actor1": event["actor1"], "assoc_actor_1": None, "inter1": inter1,
        "actor2": event["actor2"], "assoc_actor_2": None, "inter2": inter2,
        "interaction": int("".join(map(str, codes))) if codes else None,
        "civilian_targeting": "Civilian targeting" if (event["actor2"] or "").startswith("Civilians") else None,
        "iso": _iso_numeric(event["country_code"]), "region": None, "country": event["country"],
        "admin1": event["admin1"], "admin2": None, "admin3": None, "location": event["location"],
        "latitude": event["latitude"], "longitude": event["longitude"], "geo_precision": event["geo_precision"],
        "source": "; ".join(s for s in (event["source"], event["outlet"]) if s) or None, "source_scale": None,
        "notes": event["notes"], "fatalities": event["fatalities"],
        "tags": f"warledger incident {event['incident_id']}" if event["incident_id"] else None,
        "timestamp": int(event["ingested_at"].timestamp()) if event.get("ingested_at") else None,  # ACLED: last change
        **{column: event.get(column) for column in LEDGER_COLUMNS},
    }


def write_acled_csv(con, handle: TextIO, filters: queries.Filters) -> int:
    events = queries.events(con, filters)
    writer = csv.DictWriter(handle, fieldnames=ACLED_COLUMNS + LEDGER_COLUMNS)
    writer.writeheader()
    for event in events:
        writer.writerow(acled_row(event))
    return len(events)


def write_geojson(con, handle: TextIO, filters: queries.Filters) -> int:
    features = [f for f in (point_feature(i, record="incident") for i in queries.incidents(con, filters)) if f]
    features += [f for f in (point_feature(e, record="event") for e in queries.events(con, filters)) if f]
    handle.write(json.dumps({"type": "FeatureCollection", "features": features}, default=json_default,
                            ensure_ascii=False))
    return len(features)


def write_reports_jsonl(con, handle: TextIO, filters: queries.Filters) -> int:
    where, params = "WHERE report IS NOT NULL", []
    if filters.since:
        where, params = where + " AND published >= ?", params + [filters.since]
    if filters.until:
        where, params = where + " AND published <= ?", params + [filters.until]
    count = 0
    cursor = con.execute(f"SELECT report FROM articles {where} ORDER BY article_id", params)
    while rows := cursor.fetchmany(500):
        for (report,) in rows:
            handle.write(json.dumps(json.loads(report), ensure_ascii=False) + "\n")
            count += 1
    return count


def write_parquet(con, path: Path | None, table: str, filters: queries.Filters, stream: BinaryIO | None = None) -> int:
    """One table (events, incidents, claims, figures, sources, articles) to a Parquet file, by DuckDB;
    with `stream` (stdout), through a temporary file copied to it."""
    if table not in TABLES:
        raise ValueError(f"no table {table!r}; one of {', '.join(TABLES)}")
    if stream is not None:
        with tempfile.TemporaryDirectory() as folder:
            staged = Path(folder) / f"{table}.parquet"
            count = write_parquet(con, staged, table, filters)
            with staged.open("rb") as handle:
                shutil.copyfileobj(handle, stream)
            stream.flush()
        return count
    if not path.parent.is_dir():
        raise FileNotFoundError(2, f"no folder {path.parent}", str(path.parent))
    if path.is_dir() or not os.access(path.parent, os.W_OK):
        raise PermissionError(13, f"{path} is a folder" if path.is_dir() else f"{path.parent} is not writable")
    if table in ("events", "claims", "sources"):
        rows = getattr(queries, table)(con, filters)
    elif table in ("incidents", "figures"):
        rows = [json.loads(json.dumps(r, default=json_default)) for r in getattr(queries, table)(con, filters)]
    else:
        rows = None
    if rows is None:
        con.execute(f"COPY (SELECT * EXCLUDE (report) FROM articles ORDER BY article_id) TO '{_sql_path(path)}' "
                    "(FORMAT parquet)")
        return con.execute("SELECT count(*) FROM articles").fetchone()[0]
    staging = path.with_suffix(".jsonl.tmp")
    staging.write_text("".join(json.dumps(r, default=json_default) + "\n" for r in rows), encoding="utf-8")
    try:
        if rows:
            con.execute(f"COPY (SELECT * FROM read_json_auto('{_sql_path(staging)}')) TO '{_sql_path(path)}' "
                        "(FORMAT parquet)")
        else:
            con.execute(f"COPY (SELECT NULL AS empty WHERE false) TO '{_sql_path(path)}' (FORMAT parquet)")
    finally:
        staging.unlink(missing_ok=True)
    return len(rows)


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")
