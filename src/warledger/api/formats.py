"""A list of rows as JSON, CSV, NDJSON or GeoJSON: one writer each, the same rows."""
from __future__ import annotations

import json

from fastapi import Response

from ..io.formats import csv_text, ndjson_text, plain, point_feature

__all__ = ["FORMATS", "CSV_TYPE", "NDJSON_TYPE", "as_csv", "as_geojson", "as_ndjson", "csv_text", "ndjson_text",
           "plain"]

FORMATS = ("json", "csv", "ndjson", "geojson")


CSV_TYPE = "text/csv; charset=utf-8"
NDJSON_TYPE = "application/x-ndjson"


def as_csv(rows: list[dict], columns: list[str]) -> Response:
    return Response(csv_text(rows, columns), media_type=CSV_TYPE)


def as_ndjson(rows: list[dict]) -> Response:
    return Response(ndjson_text(rows), media_type=NDJSON_TYPE)


def as_geojson(rows: list[dict]) -> Response:
    """Rows with coordinates as points; the others are left out (their count is in `unplaced`)."""
    features = [f for f in map(point_feature, rows) if f]
    body = {"type": "FeatureCollection", "features": features, "unplaced": len(rows) - len(features)}
    return Response(json.dumps(plain(body), ensure_ascii=False), media_type="application/geo+json")
