"""Aggregates under /api/v1: a timeline of events, a claimed figure's series, every point for a map."""
from __future__ import annotations

import time

from fastapi import APIRouter, Depends, Query

from ..store import queries
from .db import connection
from .formats import as_geojson, plain
from .params import ListParams, list_params

router = APIRouter()


@router.get("/timeline", tags=["aggregates"])
def timeline(interval: str = Query("day", pattern="^(day|week|month)$"),
             by: str | None = Query(None, pattern="^(event_type|sub_event_type|side|source|country)$"),
             params: ListParams = Depends(list_params), con=Depends(connection)) -> dict:
    """Events per day, week or month (optionally by event type, side, source or country), with their
    fatalities low, best and high. Takes the lists' filters."""
    started = time.perf_counter()
    rows = queries.timeline(con, params.filters, interval, by)
    return {"rows": plain(list(rows)), "query_ms": round((time.perf_counter() - started) * 1000, 1)}


@router.get("/series", tags=["aggregates"])
def series(category: str = Query(..., max_length=100, description="A claim category (attacks, killed...) or a "
                                                               "tally item (tanks, personnel...)."),
           params: ListParams = Depends(list_params), con=Depends(connection)) -> dict:
    """A claimed figure over time, one row per claim and source (the General Staff's daily attack counts)."""
    started = time.perf_counter()
    rows = queries.series(con, category, params.filters)
    return {"rows": plain(list(rows)), "query_ms": round((time.perf_counter() - started) * 1000, 1)}


@router.get("/map.geojson", tags=["aggregates"])
def map_geojson(of: str = Query("events", pattern="^(events|incidents)$"),
                params: ListParams = Depends(list_params), con=Depends(connection)):
    """Every matching event (or incident) with a point, as GeoJSON, with its geo_precision (no paging)."""
    return as_geojson(list(queries.map_points(con, params.filters, of)))
