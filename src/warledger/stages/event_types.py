"""Event typing: which ACLED sub-type a trigger is (../shared/taxonomy.md).

The trigger's class ("capture", "protest", "strike") is only a start: what
separates ACLED's neighbours is who acts on whom (state forces retaking a town
vs a rebel group taking it; a mob vs an armed group), what the act was done
with (drones, shells, a mine) and what else the text says of it (tear gas,
live fire, "no violence reported"). `data/events.yaml` holds those words as
named cue sets and an ordered table of rules; the first rule whose conditions
all hold names the sub-type. A new case is a row or a cue word, with its test
case in tests/cases/events.yaml.

Cue scopes: `clause` is the trigger's phrase, its subject and the words before
it ("drone strike", "Israeli jets bombed"); `object` what the trigger acts on
("seized weapons"); `sentence` and `paragraph` what is said around it ("The
police moved in and broke up the march"); `nearby` the sentence and the one either side
of it in its paragraph (a long story with no paragraph breaks is not one context).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date

from spacy.tokens import Span, Token

from ..lexicon import load_csv, load_yaml
from .sentences import sentence_of, text_of

SCOPES = ("clause", "object", "sentence", "nearby", "paragraph")


@functools.cache
def _lex() -> dict:
    return load_yaml("events.yaml")


@functools.cache
def event_type_of() -> dict[str, str]:
    """Sub-type -> ACLED event type (the taxonomy's two levels)."""
    return {sub: event_type for event_type, subs in _lex()["taxonomy"].items() for sub in subs}


@dataclass(frozen=True)
class Cue:
    """A named word set, its words (single lemmas or forms) and phrases (matched in lower-cased text)."""

    words: frozenset[str]
    phrases: tuple[re.Pattern, ...]

    @classmethod
    def of(cls, entries) -> Cue:
        """A hyphened word is matched both whole ('covid-19', one token) and as the phrase the tokenizer
        may split it into ('tug - of - war')."""
        return cls(frozenset(e for e in entries if " " not in e),
                   tuple(re.compile(rf"\b{re.escape(e.replace('-', ' - '))}\b") for e in entries if " " in e or "-" in e))

    def matches(self, words: frozenset[str], text: str) -> bool:
        """Whether one of its words is among `words` or one of its phrases stands in `text`."""
        return bool(words & self.words) or any(p.search(text) for p in self.phrases)


@functools.cache
def cues() -> dict[str, Cue]:
    return {name: Cue.of(entries) for name, entries in _lex()["cues"].items()}


@dataclass(frozen=True)
class Rule:
    sub: str
    classes: frozenset[str]
    actor1: frozenset[str] | None
    actor2: frozenset[str] | None
    all: tuple[tuple[str, str], ...]
    any: tuple[tuple[str, str], ...]
    none: tuple[tuple[str, str], ...]


def _scoped(names: list[str] | None) -> tuple[tuple[str, str], ...]:
    out = []
    for entry in names or []:
        scope, _, name = entry.partition(":")
        if scope not in SCOPES or name not in cues():
            raise ValueError(f"events.yaml: unknown cue {entry!r} (scopes: {', '.join(SCOPES)})")
        out.append((scope, name))
    return tuple(out)


@functools.cache
def rules() -> tuple[Rule, ...]:
    out = []
    for row in _lex()["sub_types"]:
        if row["sub"] not in event_type_of():
            raise ValueError(f"events.yaml: {row['sub']!r} is not an ACLED sub-type")
        out.append(Rule(row["sub"], frozenset(row["classes"]),
                        frozenset(row["actor1"]) if "actor1" in row else None,
                        frozenset(row["actor2"]) if "actor2" in row else None,
                        _scoped(row.get("all")), _scoped(row.get("any")), _scoped(row.get("none"))))
    return tuple(out)


NOT_PLACE_PREPOSITIONS = {"for", "against", "with", "to", "off", "back", "over", "about", "through"}


def _part_of_speech(token: Token) -> str:
    """A word standing as a noun is one ('Fighting kills six'), whatever the tagger called it; so is a
    gerund with no object and no preposition but a place's, which headlines leave bare ('five dead in Ukraine
    fighting', 'fighting in Donetsk', 'fighting flares', whose verb the parser takes for an object), unlike
    'fighting the blaze' or 'fighting for his life'."""
    if token.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj"):
        return "noun"
    if token.tag_ == "VBG" and not any(c.dep_ in ("aux", "auxpass", "prt") or c.dep_ == "prep" and c.lower_
                                       in NOT_PLACE_PREPOSITIONS or c.dep_ == "dobj" and c.lemma_.lower()
                                       not in _lex()["headline_verbs"] for c in token.children):
        return "noun"
    return token.pos_.lower()


class Scopes:
    """The words and text of each scope around one trigger, read once and asked many times."""

    def __init__(self, trigger: Token, clause: list[Token], objects: list[Token]) -> None:
        sentence = sentence_of(trigger)
        paragraph = paragraph_of(trigger)
        self._tokens = {"clause": clause, "object": objects, "sentence": list(sentence),
                        "nearby": _nearby(sentence, paragraph), "paragraph": paragraph}
        self._words: dict[str, frozenset[str]] = {}
        self._text: dict[str, str] = {}

    def words(self, scope: str) -> frozenset[str]:
        if scope not in self._words:
            tokens = self._tokens[scope]
            shared = scope in ("sentence", "nearby", "paragraph") and len(tokens)  # the same for every trigger in it
            cache = tokens[0].doc.user_data.setdefault("wl_scope_words", {}) if shared else {}
            key = (scope, tokens[0].i) if shared else None
            if key not in cache:
                cache[key] = frozenset(w for t in tokens
                                       for w in (t.lower_, t.lemma_.lower(), f"{t.lower_}.{_part_of_speech(t)}"))
            self._words[scope] = cache[key]
        return self._words[scope]

    def text(self, scope: str) -> str:
        if scope not in self._text:
            self._text[scope] = " ".join(t.lower_ for t in self._tokens[scope])
        return self._text[scope]

    def has(self, scope: str, name: str) -> bool:
        return cues()[name].matches(self.words(scope), self.text(scope))

    def any(self, scoped: tuple[tuple[str, str], ...]) -> bool:
        return any(self.has(scope, name) for scope, name in scoped)


def _nearby(sentence: Span, paragraph: Span) -> Span:
    """A sentence with the one before and the one after it, inside its paragraph."""
    doc = sentence.doc
    start = sentence_of(doc[sentence.start - 1]).start if sentence.start > paragraph.start else sentence.start
    end = sentence_of(doc[sentence.end]).end if sentence.end < paragraph.end else sentence.end
    return doc[max(start, paragraph.start):min(end, paragraph.end)]


def paragraph_start(token: Token) -> int:
    """Where the line a token stands on starts (the readers keep one paragraph a line)."""
    return text_of(token.doc).rfind("\n", 0, token.idx) + 1


def paragraph_of(token: Token) -> Span:
    """The tokens of a token's paragraph, made once per paragraph and Doc."""
    doc = token.doc
    start = paragraph_start(token)
    cache = doc.user_data.setdefault("wl_paragraphs", {})
    if start not in cache:
        text = text_of(doc)
        end = text.find("\n", token.idx)
        cache[start] = doc.char_span(start, len(text) if end < 0 else end, alignment_mode="expand")
    return cache[start] if cache[start] is not None else sentence_of(token)


@functools.cache
def contexts() -> dict[str, tuple[frozenset[str], tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]]:
    return {sub: (frozenset(row.get("actors", [])), _scoped(row.get("any")), _scoped(row.get("at_war")))
            for sub, row in _lex()["conflict_context"].items()}


@functools.cache
def _wars() -> dict[str, list[tuple[int, int | None]]]:
    spans: dict[str, list[tuple[int, int | None]]] = {}
    for row in load_csv("conflict_countries.csv"):
        spans.setdefault(row["iso2"], []).append((int(row["since"]), int(row["until"]) if row["until"] else None))
    return spans


def at_war(country: str | None, when: date | None) -> bool:
    """Whether a country had an armed conflict on its territory in that year (conflict_countries.csv);
    undated, whether it has one now."""
    spans = _wars().get(country or "", ())
    if when is None:
        return any(until is None for _, until in spans)
    return any(since <= when.year and (until is None or when.year <= until) for since, until in spans)


@functools.cache
def everyday_contexts() -> tuple[tuple[frozenset[str], tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]], ...]:
    return tuple((frozenset(row["sub_types"]), _scoped(row["cues"]), _scoped(row["unless"]))
                 for row in _lex()["everyday_contexts"])


def in_conflict(sub: str, kind1: str, kind2: str, scopes: Scopes, war_setting: bool = False) -> bool:
    """Whether an act of this sub-type is told among conflict or protest actors (`conflict_context`), or
    where a war goes on (`war_setting`) with the cues a sub-type's `at_war` names, and not as ordinary crime ('was
    arrested on a charge of', 'shot in an attempted robbery'), sport or markets unless the paragraph speaks
    of armed conflict or politics too (`everyday_contexts`)."""
    for prone, cues_of_it, unless in everyday_contexts():
        if sub in prone and scopes.any(cues_of_it) and not scopes.any(unless):
            return False
    if sub not in contexts():
        return True
    kinds, cue_list, war_cues = contexts()[sub]
    unnamed_doer = kind1 in ("none", "group")  # not 'a man shot by his neighbour'
    return kind1 in kinds or kind2 in kinds or scopes.any(cue_list) or (
        war_setting and unnamed_doer and scopes.any(war_cues))


def sub_type(cls: str, kind1: str, kind2: str, scopes: Scopes) -> str | None:
    """The first rule that holds for a trigger class, the two actors' kinds and the cues around it."""
    for rule in rules():
        if cls not in rule.classes:
            continue
        if rule.actor1 is not None and kind1 not in rule.actor1:
            continue
        if rule.actor2 is not None and kind2 not in rule.actor2:
            continue
        if not all(scopes.has(s, n) for s, n in rule.all):
            continue
        if rule.any and not scopes.any(rule.any):
            continue
        if scopes.any(rule.none):
            continue
        return rule.sub
    return None
