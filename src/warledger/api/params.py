"""The filters every list endpoint shares (named like ACLED's API where it has one), and cursor paging.

Each parameter is parsed here into `store.queries.Filters`, the same filters the CLI's queries use; a
value that cannot be read is a 400 naming the parameter, never a 500.
"""
from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import date, datetime

from fastapi import HTTPException, Query

from ..store.queries import Filters

MAX_LIMIT = 1000


def bad(parameter: str, message: str) -> HTTPException:
    return HTTPException(status_code=400, detail={"parameter": parameter, "error": message})


def _date(parameter: str, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise bad(parameter, f"{value!r} is not a date (YYYY-MM-DD)") from None


def _floats(parameter: str, value: str, count: int) -> list[float]:
    try:
        numbers = [float(x) for x in value.split(",")]
    except ValueError:
        numbers = []
    if len(numbers) != count or any(n != n or abs(n) == float("inf") for n in numbers):
        raise bad(parameter, f"{value!r} is not {count} numbers separated by commas")
    return numbers


@dataclass
class ListParams:
    filters: Filters
    fields: list[str] | None
    with_total: bool


def encode_cursor(key: tuple) -> str:
    """A page's last sort key, as an opaque string: dates tagged so they come back as dates."""
    values = [{"d": v.isoformat()} if isinstance(v, date) else v for v in key]
    return base64.urlsafe_b64encode(json.dumps(values).encode("utf-8")).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> tuple:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(values, list) or not values:
            raise ValueError
        return tuple(date.fromisoformat(v["d"]) if isinstance(v, dict) else v for v in values)
    except (ValueError, TypeError, KeyError, AttributeError):
        raise bad("cursor", "not a cursor this API gave") from None


def list_params(
    date_from: str | None = Query(None, description="From this date (YYYY-MM-DD)."),
    date_to: str | None = Query(None, description="Up to this date (YYYY-MM-DD)."),
    country: str | None = Query(None, max_length=100, description="A country's name or ISO alpha-2 code."),
    admin1: str | None = Query(None, max_length=100, description="An admin-1 region's name."),
    bbox: str | None = Query(None, description="min_lon,min_lat,max_lon,max_lat"),
    near: str | None = Query(None, max_length=200, description="lat,lon,km or a place's name (with km)."),
    km: float = Query(25.0, gt=0, le=20000, description="Radius around `near`, in km."),
    event_type: str | None = Query(None, max_length=100),
    sub_event_type: str | None = Query(None, max_length=100),
    actor: str | None = Query(None, max_length=200, description="Part of an actor's name."),
    side: str | None = Query(None, max_length=20, description="A side: UA, RU, WEST, INTL..."),
    source: str | None = Query(None, max_length=200, description="Part of a source's name or an outlet."),
    source_side: str | None = Query(None, max_length=20),
    fatalities_min: int | None = Query(None, ge=0),
    geo_precision_max: int | None = Query(None, ge=1, le=3),
    q: str | None = Query(None, max_length=500, description="Words in the sentence or article."),
    updated_since: str | None = Query(None, description="Ingested or extracted again since (ISO date or time)."),
    contested: bool = Query(False, description="Only where sources disagree."),
    limit: int = Query(100, ge=1, le=MAX_LIMIT),
    cursor: str | None = Query(None, max_length=2000, description="`next` of the previous page."),
    fields: str | None = Query(None, max_length=2000, description="Comma-separated fields to return."),
    sort: str | None = Query(None, max_length=30, description="date, -date (newest first), -fatalities (events)."),
    with_total: bool = Query(False, description="Count every matching row too."),
) -> ListParams:
    point, radius = None, km
    if near:
        parts = near.split(",")
        if len(parts) == 3:
            lat, lon, radius = _floats("near", near, 3)
            point = (lat, lon)
        elif len(parts) == 2:
            point = tuple(_floats("near", near, 2))
        else:
            from ..gazetteer import geocode

            place = geocode(near)
            if place is None:
                raise bad("near", f"{near!r} is not a place in the gazetteer; try 'lat,lon,km'")
            point = (place.latitude, place.longitude)
    box = tuple(_floats("bbox", bbox, 4)) if bbox else None
    updated = None
    if updated_since:
        try:
            updated = datetime.fromisoformat(updated_since)
        except ValueError:
            raise bad("updated_since", f"{updated_since!r} is not an ISO date or time") from None
    filters = Filters(since=_date("date_from", date_from), until=_date("date_to", date_to), near=point, km=radius,
                      side=side, source=source, text=q, limit=limit, contested=contested, country=country,
                      admin1=admin1, bbox=box, event_type=event_type, sub_event_type=sub_event_type, actor=actor,
                      source_side=source_side, fatalities_min=fatalities_min, geo_precision_max=geo_precision_max,
                      updated_since=updated, after=decode_cursor(cursor) if cursor else None, sort=sort)
    wanted = [f.strip() for f in fields.split(",") if f.strip()] if fields else None
    return ListParams(filters, wanted, with_total)
