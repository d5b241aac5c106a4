"""Values as JSON and CSV carry them: one set of rules for the exports, the API and the command line."""
from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime


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


def json_default(value):
    """`json.dumps(default=...)`: dates and sets as `plain` writes them; anything else is an error."""
    if isinstance(value, (date, datetime, set)):
        return plain(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def cell(value) -> str:
    """A value in one CSV or table cell: empty for none, JSON for lists and records."""
    if value is None:
        return ""
    if isinstance(value, (list, dict, set)):
        return json.dumps(plain(value), ensure_ascii=False)
    return str(plain(value))


def csv_text(rows: list[dict], columns: list[str], header: bool = True) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    if header:
        writer.writerow(columns)
    for row in rows:
        writer.writerow([cell(row.get(c)) for c in columns])
    return out.getvalue()


def ndjson_text(rows: list[dict]) -> str:
    return "".join(json.dumps(plain(row), ensure_ascii=False) + "\n" for row in rows)


def point_feature(row: dict, /, **properties) -> dict | None:
    """A row with coordinates as a GeoJSON point (its other fields, and these, as properties); None
    without coordinates."""
    if row.get("latitude") is None or row.get("longitude") is None:
        return None
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
            "properties": {**properties, **{k: v for k, v in row.items() if k not in ("latitude", "longitude")}}}
