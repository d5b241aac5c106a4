"""The features of one gazetteer entry for one place name, and their weighted score.

Each feature is a number (mostly 0 or 1) that says one thing about why this entry, of all the
places the name may stand for, is the one meant; `data/place_weights.yaml` weighs them. Resolution
(stages/places/) takes the best-scoring entry; `warledger geocode --explain` prints the features.
"""
from __future__ import annotations

import functools
import math
from collections import Counter

from ...gazetteer import GazPlace, haversine_km, is_respelling, norm_name
from ...lexicon import load_yaml

# A city this big keeps a respelling as its own name, and counts as famous ("Sochi", not "Fairfield").
FAMOUS_POPULATION = 250_000
# A city this big is a world city: it keeps its name against a small namesake, and is meant abroad by any of
# its names ('Kiev', 'Moskva').
WORLD_CITY_POPULATION = 1_000_000


@functools.cache
def _data() -> dict:
    return load_yaml("place_weights.yaml")


def weights() -> dict[str, float]:
    return _data()["weights"]


def is_own_name(o: GazPlace, folded: str) -> bool:
    """Whether a name as written is the entry's own, not another of its names: a big city's respelling
    counts ('odesa' for Odessa), a name in another language does not ('ariel' for Jerusalem)."""
    own = norm_name(o.name)
    return own == folded or (o.feature == "populated_place" and o.population >= FAMOUS_POPULATION
                             and is_respelling(own, folded, _data()["close_respelling"]))


def features(o: GazPlace, folded: str, options: tuple[GazPlace, ...], prefer: str | None, qualifier: str | None,
             water_name: bool, country_votes: Counter, admin_votes: Counter, anchor: tuple[float, float] | None,
             context: set[tuple[str | None, str | None]]) -> dict[str, float]:
    """Feature values, in the order they add up; zeros left out. `folded` is the name as written,
    `options` every entry it may stand for, `context` the regions and countries named right after it."""
    out: dict[str, float] = {"population": math.log10(o.population + 10)}
    if is_own_name(o, folded):
        out["own_name"] = 1
    if water_name and o.feature == "water":
        out["water_word"] = 1
    if o.feature == "country":
        out["country"] = 1
    elif o.feature in ("facility", "water", "region"):
        out["curated"] = 1
    elif o.feature in ("admin1", "admin2"):
        towns = [x for x in options if x.feature == "populated_place" and x.country_code == o.country_code and (
            (x.population >= 1000 and (x.admin1_id == o.id or x.admin1_id == o.admin1_id)) or x.population >= 100_000)]
        if prefer != "admin" and qualifier != "region" and towns:
            out["admin_with_towns"] = 1
        if o.feature == "admin2":
            out["admin2_when_admin_asked" if prefer == "admin" else "admin2"] = 1
    if prefer == "town" and o.feature != "populated_place":
        out["town_asked"] = 1
    if o.population >= WORLD_CITY_POPULATION:
        out["world_city"] = 1
    total = sum(country_votes.values()) + 1  # little evidence, little pull
    if country_votes.get(o.country_code, 0):
        out["country_votes"] = country_votes[o.country_code] / total
    if o.admin1_id and admin_votes.get(o.admin1_id, 0):
        out["admin_pull"] = min(_data()["admin_pull_cap"], admin_votes[o.admin1_id])
    if (o.country_code, o.admin1) in context and o.feature != "admin1":
        out["stated_admin1"] = 1
    elif (o.country_code, None) in context:
        out["stated_country"] = 1
    if anchor is not None and o.feature != "country":
        distance = haversine_km(o.latitude, o.longitude, *anchor)
        if distance < 150:
            out["within_150km"] = 1
        elif distance < 500:
            out["within_500km"] = 1
    return out


def score(values: dict[str, float]) -> float:
    w = weights()
    total = 0.0
    for name, value in values.items():
        total += w[name] * value
    return total
