"""The /api/v1 lists (events, incidents, claims, figures, sources, judgements, actors), each also as
.csv, .ndjson and .geojson, with cursor paging and whole-table streams.

A list answers `{rows, next, next_url, total?, query_ms}`: `next` is a cursor for the page after this
one (keyset paging on the list's sort order, so pages neither skip nor repeat rows while articles are
added). The rows are those of `store.queries`, the CLI's queries.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse

from ..store import queries
from .db import connection
from .formats import CSV_TYPE, FORMATS, NDJSON_TYPE, as_csv, as_geojson, as_ndjson, csv_text, ndjson_text, plain
from .params import ListParams, bad, encode_cursor, list_params

router = APIRouter()
NO_DATE = date(1, 1, 1)

# each list: the query, and the sort key of a row (its Columns.order, as values)
LISTS: dict[str, tuple[Callable, Callable[[dict], tuple] | None]] = {
    "events": (queries.events, lambda r: (r["date_start"] or NO_DATE, r["article_id"], r["event_id"])),
    "incidents": (queries.incidents, lambda r: (r["date_start"] or NO_DATE, r["incident_id"])),
    "claims": (queries.claims, lambda r: (r["published"] or NO_DATE, r["article_id"], r["claim_id"])),
    "figures": (queries.figures, lambda r: (r["date_start"] or NO_DATE, r["figure_id"])),
    "sources": (queries.sources, None),  # one row per source: no paging beyond `limit`
    "judgements": (queries.judgements, None),
    "actors": (queries.actors, None),
}


# a sort whose order leads with another column than the list's own (queries.SORTS) has its own key
SORT_KEYS = {("events", "-fatalities"): lambda r: (r["fatalities"], r["date_start"] or NO_DATE, r["article_id"],
                                                   r["event_id"])}


def _page(name: str, request: Request, params: ListParams, con) -> tuple[list[dict], list[str], dict]:
    fetch, key = LISTS[name]
    started = time.perf_counter()
    f = params.filters
    if f.sort is not None:
        if f.sort not in queries.SORTS.get(name, {}):
            raise bad("sort", f"one of {', '.join(queries.SORTS[name])}" if name in queries.SORTS
                      else "this list has one order")
        key = SORT_KEYS.get((name, f.sort), key)
    limit = f.limit
    f.limit = limit + 1  # one more tells whether there is a next page
    rows = fetch(con, f)
    columns = list(getattr(rows, "columns", None) or (rows[0] if rows else []))
    more = len(rows) > limit and key is not None
    rows = list(rows[:limit])
    meta: dict = {}
    if more:
        cursor = encode_cursor(key(rows[-1]))
        query = {k: v for k, v in request.query_params.items() if k != "cursor"}
        meta["next"] = cursor
        meta["next_url"] = f"{request.url.path}?{urlencode({**query, 'cursor': cursor})}"
    else:
        meta["next"], meta["next_url"] = None, None
    if params.with_total:
        f.limit, f.after = None, None
        meta["total"] = len(fetch(con, f))
    if params.fields:
        unknown = [c for c in params.fields if c not in columns]
        if unknown:
            raise bad("fields", f"no field {unknown[0]!r}; fields: {', '.join(columns)}")
        columns = params.fields
        rows = [{c: row.get(c) for c in columns} for row in rows]
    meta["query_ms"] = round((time.perf_counter() - started) * 1000, 1)
    return rows, columns, meta


STREAM_PAGE = 1000


def _stream(name: str, params: ListParams, con, fmt: str):
    """Every matching row, page after page (keyset), written as it is read: a whole-table export."""
    fetch, key = LISTS[name]
    f = params.filters
    f.limit, f.after = STREAM_PAGE, None
    first = True
    while True:
        rows = fetch(con, f)
        columns = params.fields or list(getattr(rows, "columns", None) or (rows[0] if rows else []))
        yield csv_text(rows, columns, header=first) if fmt == "csv" else \
            ndjson_text([{c: r.get(c) for c in columns} for r in rows])
        first = False
        if key is None or len(rows) < STREAM_PAGE:
            return
        f.after = key(rows[-1])


def _list_endpoint(name: str, fmt: str, summary: str):
    def endpoint(request: Request, params: ListParams = Depends(list_params), con=Depends(connection),
                 stream: str | None = Query(None, pattern="^on$", description="on: every row, streamed (.csv, .ndjson)")):
        if stream and fmt in ("csv", "ndjson"):
            if params.filters.sort or params.filters.after:
                raise bad("stream", "a streamed export takes filters, not sort or cursor")
            return StreamingResponse(_stream(name, params, con, fmt), media_type=CSV_TYPE if fmt == "csv" else NDJSON_TYPE)
        if stream:
            raise bad("stream", "streams .csv and .ndjson")
        rows, columns, meta = _page(name, request, params, con)
        if fmt == "csv":
            return as_csv(rows, columns)
        if fmt == "ndjson":
            return as_ndjson(rows)
        if fmt == "geojson":
            return as_geojson(rows)
        return {"rows": plain(rows), **meta}

    endpoint.__name__ = f"{name}_{fmt}"
    endpoint.__doc__ = summary
    return endpoint


for _name, _summary in (
        ("events", "Events as reported, one row per report, with the incident each belongs to."),
        ("incidents", "Events linked across articles: reports, independent sources, each source's figure, "
                      "contradictions, denials."),
        ("claims", "Quantitative claims, one row per claim, with the figure each belongs to."),
        ("figures", "Claims about the same quantity across sources, side by side, disagreements flagged."),
        ("sources", "Who asserts what: each source with its kind, side and how much it claims."),
        ("judgements", "Estimative language: the phrase, its yardstick (PHIA, ICD 203), its probability band, "
                       "the statement and who makes it."),
        ("actors", "Each actor events name, its side, how many events and their fatalities.")):
    for _fmt in FORMATS:
        router.add_api_route(f"/{_name}" + ("" if _fmt == "json" else f".{_fmt}"),
                             _list_endpoint(_name, _fmt, _summary), methods=["GET"], tags=[_name],
                             summary=_summary if _fmt == "json" else f"{_summary} ({_fmt.upper()})")
