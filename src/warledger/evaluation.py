"""`warledger eval`: figures against gold sets made by others (../shared/eval).

Definitions follow ../shared/eval/README.md, so that they agree with the
independent scorer (../shared/tools/score.py).
"""
from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path

from .model import Article, Report


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p = math.pi / 180
    x = math.sin((lat2 - lat1) * p / 2) ** 2 + math.cos(lat1 * p) * math.cos(lat2 * p) * math.sin((lon2 - lon1) * p / 2) ** 2
    return 12742 * math.asin(math.sqrt(min(1.0, x)))


def read_jsonl(path: Path, limit: int | None = None) -> list[dict]:
    items = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                items.append(json.loads(line))
                if limit and len(items) >= limit:
                    break
    return items


def reports_for(items: list[dict], published_key: str | None = None) -> Iterator[tuple[dict, Report]]:
    from .pipeline import process

    articles = (Article(text=item["text"], id=str(item["id"])) for item in items)
    yield from zip(items, process(articles))


def geoparse_scores(pairs) -> dict:
    """Toponym recall, accuracy within 161 km (all gold, and of found), median error, span precision."""
    total = found = near = predicted = matched = 0
    errors: list[float] = []
    misses: dict[str, int] = {}
    for item, report in pairs:
        spans = [(s, e, p) for p in report.places for s, e in p.spans]
        predicted += len(spans)
        hit_spans = set()
        for t in item["toponyms"]:
            if t.get("lat") is None or t.get("modifier") == "Adjective" or t.get("type") == "Embedded_Non_Lit":
                continue
            total += 1
            hit = next(((s, e, p) for s, e, p in spans if s < t["end"] and t["start"] < e), None)
            if hit is None:
                misses[t["name"]] = misses.get(t["name"], 0) + 1
                continue
            found += 1
            hit_spans.add((hit[0], hit[1]))
            place = hit[2]
            if place.latitude is not None:
                d = haversine_km(t["lat"], t["lon"], place.latitude, place.longitude)
                errors.append(d)
                near += d <= 161
        matched += len(hit_spans)
    errors.sort()
    return {
        "n_toponyms": total,
        "toponym_recall": round(found / max(1, total), 3),
        "acc161_end_to_end": round(near / max(1, total), 3),
        "acc161_of_found": round(near / max(1, found), 3),
        "median_km_of_found": round(errors[len(errors) // 2], 1) if errors else None,
        "span_precision": round(matched / max(1, predicted), 3),
        "most_missed": sorted(misses.items(), key=lambda kv: -kv[1])[:10],
    }
