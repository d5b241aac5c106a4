"""A list of rows as JSON, CSV, NDJSON or GeoJSON: one writer each, the same rows."""
from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime

from fastapi import Response

FORMATS = ("json", "csv", "ndjson", "geojson")


def plain(value):
    """A value as JSON carries it: dates as ISO strings, sets as sorted lists."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, set):
        return sorted(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, dict, set)):
        return json.dumps(plain(value), ensure_ascii=False)
    return str(plain(value))


CSV_TYPE = "text/csv; charset=utf-8"
NDJSON_TYPE = "application/x-ndjson"


def csv_text(rows: list[dict], columns: list[str], header: bool = True) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    if header:
        writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    return out.getvalue()


def ndjson_text(rows: list[dict]) -> str:
    return "".join(json.dumps(plain(row), ensure_ascii=False) + "\n" for row in rows)


def as_csv(rows: list[dict], columns: list[str]) -> Response:
    return Response(csv_text(rows, columns), media_type=CSV_TYPE)


def as_ndjson(rows: list[dict]) -> Response:
    return Response(ndjson_text(rows), media_type=NDJSON_TYPE)


def as_geojson(rows: list[dict]) -> Response:
    """Rows with coordinates as points; the others are left out (their count is in `unplaced`)."""
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
                 "properties": plain({k: v for k, v in row.items() if k not in ("latitude", "longitude")})}
                for row in rows if row.get("latitude") is not None and row.get("longitude") is not None]
    body = {"type": "FeatureCollection", "features": features, "unplaced": len(rows) - len(features)}
    return Response(json.dumps(body, ensure_ascii=False), media_type="application/geo+json")
