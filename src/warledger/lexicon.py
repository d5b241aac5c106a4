"""Load the data files under warledger/data once per process.

Lexicons are data (YAML/CSV), not code, so that a researcher can extend them
without touching the pipeline.
"""
from __future__ import annotations

import csv
import functools
from importlib import resources
from typing import Any

import yaml


def data_path(name: str):
    return resources.files("warledger") / "data" / name


class _UniqueKeyLoader(yaml.SafeLoader):
    """YAML that refuses a key given twice in one mapping: plain YAML keeps the last silently, so a row added
    for a trigger that already has one would quietly replace it."""

    def construct_mapping(self, node, deep=False):
        seen: dict = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise ValueError(f"{key_node.start_mark.name}: key {key!r} on line {key_node.start_mark.line + 1} "
                                 f"is already given on line {seen[key]}")
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep)


@functools.cache
def load_yaml(name: str) -> Any:
    with data_path(name).open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader


@functools.cache
def load_csv(name: str) -> tuple[dict[str, str], ...]:
    with data_path(name).open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


def normalise(text: str) -> str:
    """Lower-case with typographic apostrophes folded, for lexicon look-ups."""
    return " ".join(text.replace("\u2019", "'").replace("\u2018", "'").lower().split())


@functools.cache
def countries() -> dict[str, dict[str, Any]]:
    return {row["code"]: row for row in load_yaml("countries.yaml")}


@functools.cache
def country_name(code: str | None) -> str | None:
    """A country's English name: countries.yaml's, else pycountry's common name ('Kenya', 'Iran')."""
    if not code:
        return None
    if code in countries():
        return countries()[code]["name"]
    import pycountry

    found = pycountry.countries.get(alpha_2=code)
    return getattr(found, "common_name", None) or (found.name if found else code)


@functools.cache
def country_markers() -> dict[str, str]:
    """Every word or phrase that points at a state -> its ISO code.

    Covers names, demonyms, capitals and their possessives ("Ukraine's").
    """
    markers: dict[str, str] = {}
    for code, row in countries().items():
        for word in row.get("names", []) + row.get("demonyms", []) + row.get("capitals", []):
            key = normalise(word)
            markers.setdefault(key, code)
            markers.setdefault(key + "'s", code)
    return markers


@functools.cache
def nationality_codes() -> dict[str, str]:
    """Every country's people's word ("Thai", "Togolese", "Russian") -> ISO code: our curated demonyms, and
    countryinfo's for the countries we do not curate. For telling nationality words from place names."""
    from countryinfo import CountryInfo

    out: dict[str, str] = {}
    for entry in CountryInfo.all().values():
        code, word = (entry.get("ISO") or {}).get("alpha2"), normalise(entry.get("demonym") or "")
        if code and word:
            out.setdefault(word, code)
            out.setdefault(word + "s", code)
    out.update((word, code) for word, code in demonym_codes().items() if not word.endswith("'s"))
    return out


@functools.cache
def demonym_codes() -> dict[str, str]:
    """Adjectives and nouns of nationality only ("Russian" -> RU): whose troops or losses."""
    out: dict[str, str] = {}
    for code, row in countries().items():
        for word in row.get("demonyms", []):
            out.setdefault(normalise(word), code)
        for word in row.get("names", []):
            out.setdefault(normalise(word) + "'s", code)
    return out


@functools.cache
def actor_countries() -> dict[tuple[str, ...], str]:
    """The names of an armed group that fights in its own country ("boko haram" -> NG), as token tuples:
    where a report naming it most likely happens; and state forces that fight at home (`forces_at_home`:
    Houthis, the Tatmadaw). Not other state forces (the KDF fight in Somalia, the IDF in Gaza) nor a group
    that fights abroad (`fights_abroad`: Wagner, Hezbollah)."""
    events = load_yaml("events.yaml")
    abroad = set(events["fights_abroad"])
    names = {tuple(name.replace("-", " - ").split()): row[1] for name, row in events["groups"].items()
             if row[1] != "NONE" and name not in abroad}
    names.update({tuple(name.split()): events["state_forces"][name] for name in events["forces_at_home"]})
    return names


@functools.cache
def group_name_openings() -> dict[str, tuple[tuple[str, ...], ...]]:
    """The names of armed groups of two words or more, as lower-case token tuples by their first word
    ("islamic" -> ("islamic", "state"), ...): a capitalised name they open is the group's or its branch's
    ('Islamic State Sahel Province'), not a place."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for name in load_yaml("events.yaml")["groups"]:
        if " " in name:
            words = tuple(name.replace("-", " - ").split())
            out.setdefault(words[0], []).append(words)
    return {word: tuple(rows) for word, rows in out.items()}


def source_side(code: str) -> str:
    """The side a government body of this state speaks for (SPEC: WEST for Western governments)."""
    return countries().get(code, {}).get("source_side", code)


def opponents(code: str) -> list[str]:
    return countries().get(code, {}).get("opponents", [])
