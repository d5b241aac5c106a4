"""`warledger eval`: figures against gold sets made by others (../shared/eval).

Definitions follow ../shared/eval/README.md, so that they agree with the
independent scorer (../shared/tools/score.py).
"""
from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from .gazetteer import haversine_km, norm_name
from .model import Article, Report


def read_jsonl(path: Path, limit: int | None = None) -> list[dict]:
    items = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                items.append(json.loads(line))
                if limit and len(items) >= limit:
                    break
    return items


def reports_for(items: list[dict]) -> Iterator[tuple[dict, Report]]:
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


# ------------------------------------------------------------------ UCDP GED headlines
_OUTLET_DATE = re.compile(r",(\d{4}-\d\d-\d\d),")


def ucdp_articles(items: list[dict]) -> list[Article]:
    """One article per UCDP event: its headlines one a line, published on the first outlet's date."""
    articles = []
    for item in items:
        found = _OUTLET_DATE.search(item.get("source_article", ""))
        published = date.fromisoformat(found.group(1)) if found else None
        text = "\n".join(h.strip() for h in item["text"].split(";") if h.strip())
        articles.append(Article(text=text, id=str(item["id"]), published=published))
    return articles


# Headlines that name an act of fighting in so many words (the events issue's "names an attack, clash or
# strike"): an eval definition, kept apart from the extractor's own trigger table so as not to grade it by itself.
_NAMES_AN_ACT = re.compile(r"\b(attack(?:s|ed|ing)?|clash(?:es|ed)?|strikes?|struck|shell(?:s|ed|ing)|"
                           r"bomb(?:s|ed|ing|ings)|fight(?:s|ing)?|battles?|air ?strikes?|ambush(?:es|ed)?|"
                           r"assault(?:s|ed)?|offensive)\b", re.IGNORECASE)


def ucdp_scores(items: list[dict], reports: list[Report]) -> dict:
    """For events with a precise place (where_prec 1-2): a place within 25 km, an event (of all, and of the
    items whose headlines name an attack, clash or strike), its date and deaths."""
    n = place = has_event = dated = dated1 = deaths = named = named_found = 0
    for item, report in zip(items, reports):
        gold = item["gold"]
        n += 1
        if _NAMES_AN_ACT.search(item["text"]):
            named += 1
            named_found += bool(report.events)
        if any(p.latitude is not None and haversine_km(gold["latitude"], gold["longitude"], p.latitude, p.longitude) <= 25
               for p in report.places):
            place += 1
        if not report.events:
            continue
        has_event += 1
        first = min(report.events, key=lambda e: e.span[0])
        if first.event_date and gold["date_start"] <= first.event_date <= gold["date_end"]:
            dated += 1
        if first.event_date and abs((date.fromisoformat(first.event_date) - date.fromisoformat(gold["date_start"])).days) <= 1:
            dated1 += 1
        deaths += gold["low"] <= first.fatalities <= max(gold["high"], gold["best"])
    return {"n": n, "place_within_25km": round(place / max(1, n), 3), "has_event": round(has_event / max(1, n), 3),
            "n_naming_an_act": named, "has_event_when_named": round(named_found / max(1, named), 3),
            "date_in_gold_span": round(dated / max(1, n), 3), "date_within_1_day": round(dated1 / max(1, n), 3),
            "deaths_in_range": round(deaths / max(1, n), 3)}


# ------------------------------------------------------------------ official tallies
# the public dataset's column names -> warledger's tally items (data/quantities.yaml)
GS_ITEMS = {"personnel": "personnel", "tanks": "tanks", "apv": "armoured_vehicles", "artillery_systems": "artillery",
            "mlrs": "mlrs", "anti_aircraft_warfare": "air_defence", "aircraft": "aircraft", "helicopters": "helicopters",
            "uav": "uavs", "cruise_missiles": "cruise_missiles", "warships_boats": "ships_boats",
            "vehicles_and_fuel_tanks": "vehicles_and_fuel_tanks", "vehicles": "vehicles", "fuel_tanks": "fuel_tanks",
            "special_equipment": "special_equipment", "mobile_srbm_system": "srbm_systems", "submarines": "submarines"}
WAR_START = "2022-02-24"


def gs_articles(items: list[dict]) -> list[Article]:
    """One article per post, published on its day, its author the post's source."""
    return [Article(text=i["text"], id=str(i["id"]), published=date.fromisoformat(i["published"]),
                    author=i.get("source")) for i in items]


def gs_scores(items: list[dict], reports: list[Report]) -> dict:
    """Each category's total and each daily change the text gives: found as a claim of that item with that
    number; of those, asserted by the General Staff about Russia's side, and over the right period (since
    24 February 2022 to the post's day; the past day)."""
    n = found = attributed = timed = extra = 0
    for item, report in zip(items, reports):
        sources = {s.id: s for s in report.sources}
        wanted = []
        for column, gold in item["gold"].items():
            if isinstance(gold, dict):
                wanted.append((GS_ITEMS.get(column), "cumulative", gold["total"]))
                if gold.get("day_in_text"):
                    wanted.append((GS_ITEMS.get(column), "daily", gold["day"]))
        matched = set()
        for tally_item, period, value in wanted:
            n += 1
            claim = next((c for c in report.claims if c.item == tally_item and c.period == period
                          and value in (c.best, c.low, c.high)), None)
            if claim is None:
                continue
            matched.add(id(claim))
            found += 1
            source = sources.get(claim.source)
            attributed += bool(source and "General Staff" in source.name and claim.side == "RU")
            first_day = WAR_START if period == "cumulative" else item["published"]
            timed += (claim.date_start, claim.date_end) == (first_day, item["published"])
        extra += sum(1 for c in report.claims if id(c) not in matched)
    return {"n_figures": n, "found": round(found / max(1, n), 3),
            "source_and_side_right": round(attributed / max(1, found), 3),
            "period_right": round(timed / max(1, found), 3), "claims_extra": extra}


# ------------------------------------------------------------------ ACLED notes
ACLED_PUBLISHED_AFTER = timedelta(days=3)  # a date copied from publication must not score


def acled_articles(items: list[dict]) -> list[Article]:
    """One article per ACLED note, published a few days after the coded event (eval/README.md)."""
    return [Article(text=item["text"], id=str(item["id"]),
                    published=date.fromisoformat(item["gold"]["event_date"]) + ACLED_PUBLISHED_AFTER)
            for item in items]


def half_of(items: list[dict], half: str) -> list[dict]:
    """'tune' is every other item from the first, 'held-out' the rest: tune on one, report both (ACLED
    notes, the synthetic notes, the war snippets)."""
    if half == "all":
        return items
    return items[0::2] if half == "tune" else items[1::2]


def _admin_key(name: str | None) -> str:
    """An admin-1 name's first six letters, accents aside: 'Zaporizhia' ~ 'Zaporizhzhia' (as score.py judges)."""
    words = norm_name(name or "").split()
    return words[0][:6] if words else ""


def _states_admin(item: dict) -> bool:
    key = _admin_key(item["gold"]["admin1"])
    return bool(key) and key in norm_name(item["text"])


FINDABLE_KM = 50  # a gazetteer town this close to ACLED's point says the region as well as the text could


def findable_admin(item: dict) -> bool:
    """Whether a note's admin-1 can be read from its text with the bundled gazetteer: it names the region
    (ACLED's spelling), or a town or district the gazetteer holds within 50 km of the coded point or in
    that region. About one note in seven names neither (a village cities500 lacks, no region): its admin-1
    is a guess whatever the resolver does, which bounds what `admin1` can reach without a full gazetteer."""
    from .gazetteer import gazetteer

    gold = item["gold"]
    key = _admin_key(gold["admin1"])
    text = norm_name(item["text"])
    if key and key in text:
        return True
    words = re.findall(r"[\w'-]+", text)

    def near(o) -> bool:
        return o.feature in ("populated_place", "admin2") and haversine_km(
            gold["latitude"], gold["longitude"], o.latitude, o.longitude) <= FINDABLE_KM \
            or o.feature in ("admin1", "admin2") and _admin_key(o.admin1) == key

    return any(near(o) for k in range(len(words)) for n in (1, 2, 3) if k + n <= len(words)
               for o in gazetteer().lookup(" ".join(words[k:k + n])))


def same_admin_unit(gold_name: str | None, got_name: str | None) -> bool:
    """Whether two admin-1 names are one unit of the gazetteer, however spelt: ACLED's 'Extreme-Nord' is
    the Far North, 'Idleb' is Idlib. Names of units the gazetteer does not have ('Shan-North', a
    Ugandan district as admin-1) do not match: those are a different map, not a spelling."""
    from .stages.places.regions import admin_units, fuzzy_admin_units

    def units(name: str | None) -> set[int]:
        folded = norm_name(name or "")
        found = admin_units(name or "") or fuzzy_admin_units(folded) if folded else ()
        return {o.id for o in found if o.feature == "admin1"}

    return bool(units(gold_name) & units(got_name))


def _actor_name(actor: str | None) -> str:
    """An actor's name without the years of a state's regime: 'Military Forces of Mali (2021-)' is
    'military forces of mali' (the years follow ACLED's own list of governments, which we do not hold)."""
    return re.sub(r"\s*\(\d{4}-?\d{0,4}\)", "", actor or "").strip().lower()


def acled_scores(items: list[dict], reports: list[Report]) -> dict:
    """The first event of each note (by position) against ACLED's coding, as score.py acled judges it,
    with its actor 1 (exact, and by name without a regime's years), accuracy per sub-type and the commonest
    confusions."""
    n = len(items)
    hits: Counter = Counter()
    per_type: dict[str, list[int]] = {}
    confusions: Counter = Counter()
    findable: list[bool] = []
    for item, report in zip(items, reports):
        gold = item["gold"]
        tally = per_type.setdefault(gold["sub_event_type"], [0, 0])
        tally[1] += 1
        stated = _states_admin(item)
        findable.append(findable_admin(item))
        if not report.events:
            hits["no_event"] += 1
            confusions[(gold["sub_event_type"], "no event")] += 1
            continue
        hits["stated"] += stated
        first = min(report.events, key=lambda e: e.span[0])
        hits["type"] += first.event_type == gold["event_type"]
        right = first.sub_event_type == gold["sub_event_type"]
        hits["subtype"] += right
        tally[0] += right
        if not right:
            confusions[(gold["sub_event_type"], first.sub_event_type)] += 1
        hits["date"] += first.event_date == gold["event_date"]
        hits["actor1"] += first.actor1 == gold.get("actor1")
        hits["actor1_name"] += _actor_name(first.actor1) == _actor_name(gold.get("actor1"))
        hits["fatalities"] += first.fatalities == int(gold["fatalities"])
        admin_ok = bool(_admin_key(gold["admin1"])) and _admin_key(gold["admin1"]) == _admin_key(first.admin1)
        hits["admin1"] += admin_ok
        hits["found"] += 1
        if findable[-1]:
            hits["admin1_findable"] += admin_ok
        hits["off_stated"] += stated and not admin_ok
        unit_ok = admin_ok or same_admin_unit(gold["admin1"], first.admin1)
        hits["admin1_any_spelling"] += unit_ok
        hits["off_stated_unit"] += stated and not unit_ok
        if first.latitude is not None:
            hits["within_25km"] += haversine_km(gold["latitude"], gold["longitude"], first.latitude,
                                                first.longitude) <= 25
    figures = {key: round(hits[key] / max(1, n), 3)
               for key in ("type", "subtype", "date", "admin1", "within_25km", "fatalities", "actor1", "actor1_name")}
    figures["no_event"] = f"{hits['no_event']} of {n}"
    # where an event was found (a missing one is the events' failing), and where the text with the bundled
    # gazetteer can tell the region at all (`findable_admin`)
    figures["admin1_of_found"] = round(hits["admin1"] / max(1, hits["found"]), 3)
    figures["within_25km_of_found"] = round(hits["within_25km"] / max(1, hits["found"]), 3)
    figures["admin1_findable"] = f"{sum(findable)} of {n}"
    figures["admin1_where_findable"] = round(hits["admin1_findable"] / max(1, sum(findable)), 3)
    figures["outside_stated_admin1"] = round(hits["off_stated"] / max(1, hits["stated"]), 3)
    # the same two, counting a unit the gazetteer spells otherwise as right: placement, not naming
    figures["admin1_any_spelling"] = round(hits["admin1_any_spelling"] / max(1, n), 3)
    figures["outside_stated_unit"] = round(hits["off_stated_unit"] / max(1, hits["stated"]), 3)
    figures["per_sub_type"] = [(name, f"{ok}/{total}") for name, (ok, total)
                               in sorted(per_type.items(), key=lambda row: row[1][0] / row[1][1])]
    figures["confusions"] = [(f"{gold} -> {got}", count) for (gold, got), count in confusions.most_common(12)]
    return figures


# ------------------------------------------------------------------ labelled snippets
def snippet_articles(items: list[dict]) -> list[Article]:
    return [Article(text=item["text"], id=str(item["id"]), published=date.fromisoformat(item["published"]))
            for item in items]


def snippet_scores(items: list[dict], reports: list[Report]) -> dict:
    """Snippets labelled event or not (tests/data/synthetic_war_snippets.jsonl): how many that report no
    event still get one, by why they report none (analysis, forecast, history ...); how many that report one
    get one; how often the first event's sub-type is one of those labelled."""
    wrong: Counter = Counter()
    negatives = positives = found = right = 0
    for item, report in zip(items, reports):
        if item["kind"] != "event":
            negatives += 1
            wrong[item["kind"]] += bool(report.events)
            continue
        positives += 1
        if report.events:
            found += 1
            first = min(report.events, key=lambda e: e.span[0])
            right += first.sub_event_type in {e["sub_event_type"] for e in item["events"]}
    return {
        "non_events_with_an_event": f"{sum(wrong.values())} of {negatives}",
        "events_found": f"{found} of {positives}",
        "first_sub_type_right": f"{right} of {positives}",
        "non_events_with_an_event_by_kind": [(kind, count) for kind, count in wrong.most_common() if count],
    }


# ------------------------------------------------------------------ the sample's gold
def seed_scores(report: Report, gold: dict) -> dict:
    """Records of the sample's hand-made gold found in a report (its matching rules, in brief)."""
    def norm(text) -> str:
        return " ".join(str(text or "").lower().replace("\u2019", "'").split())

    def source_ok(source_id, names) -> bool:
        source = report.source(source_id)
        aliases = {norm(a) for g in gold["sources"] if g["name"] in names for a in [g["name"], *g.get("aliases", [])]}
        return source is not None and any(a in norm(source.name) or norm(source.name) in a for a in aliases)

    claims = sum(1 for g in gold["claims"] if any(
        norm(g["snippet"]) in norm(c.sentence) and (c.qualifier == "vague" if g["number"] is None
                                                     else g["number"] in (c.low, c.best, c.high))
        and c.category in g["category"] for c in report.claims))
    assessments = sum(1 for g in gold["assessments"] if any(
        a.phrase == g["phrase"] and abs(a.low - g["low"]) < 0.03 and source_ok(a.source, g["source"])
        for a in report.assessments))
    quotes = sum(1 for g in gold["quotes"] if any(
        norm(g["snippet"]) in norm(q.text) and source_ok(q.speaker, [g["speaker"]]) for q in report.quotes))
    places = sum(1 for g in gold["places"] if any(
        any(norm(n) in norm(p.name) or norm(p.name) in norm(n) for n in [g["name"], *g.get("aliases", [])])
        and (p.country_code == g["country_code"]) for p in report.places))
    events = sum(1 for g in gold["events"] if any(
        e.sub_event_type in g["sub_event_type"] and (e.side1 in g["side1"] or e.side2 in g["side1"])
        for e in report.events))
    return {"claims": f"{claims}/{len(gold['claims'])}", "assessments": f"{assessments}/{len(gold['assessments'])}",
            "quotes": f"{quotes}/{len(gold['quotes'])}", "places": f"{places}/{len(gold['places'])}",
            "events": f"{events}/{len(gold['events'])}", "extra_events": len(report.events) - events}
