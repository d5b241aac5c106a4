"""Which side a word is on: the state a nationality, a country named as actor, 'the enemy', 'our' or
a source's mention points at. One home for the events stage (whose actor) and the quantities stage
(whose losses, whose drones), which read words the same way and differ only in when a country's
name stands for its side ('Russia lost' does; 'a village in Russia' does not: the caller says).
"""
from __future__ import annotations

import functools

from spacy.tokens import Doc, Token

from ..lexicon import country_markers, demonym_codes, load_yaml, normalise, opponents


def state(side: str | None) -> str | None:
    """A side that is a state (ISO code), not a bloc such as WEST or INTL."""
    return side if side and len(side) == 2 and side.isupper() else None


def only_enemy(code: str | None) -> str | None:
    """The state's one opponent in our countries data ('the enemy' in a source's own words)."""
    found = opponents(code) if code else []
    return found[0] if len(found) == 1 else None


def enemy_in(code: str | None, doc: Doc) -> str | None:
    """The other party to this state's war, when the document is about that war: it names the enemy,
    or names no state outside the pair. 'Russian-backed' in a report from Syria does not make the
    victims Ukrainian."""
    named = named_states(doc)
    enemies = [e for e in (opponents(code) if code else []) if e in named or named <= {code, e}]
    return enemies[0] if len(enemies) == 1 else None


def named_states(doc: Doc) -> set[str]:
    if "wl_named_states" not in doc.user_data:
        markers = country_markers()
        doc.user_data["wl_named_states"] = {markers[w] for w in (normalise(t.text) for t in doc) if w in markers}
    return doc.user_data["wl_named_states"]


def side_of_word(tok: Token, speaker_side: str | None, country_as_side: bool) -> str | None:
    """The state a word points at: a nationality ('Russian'), a country's name when the caller reads it
    as a side (`country_as_side`), 'the enemy' or 'our' through the speaker, a source's mention
    ('the Ukrainian air force', 'Putin')."""
    lex = _lex()
    word = normalise(tok.text)
    code = demonym_codes().get(word)
    if code:
        return code
    if country_as_side and tok.pos_ == "PROPN" and word in country_markers():
        return country_markers()[word]
    if word in lex["enemy_words"]:
        speaker = state(speaker_side)
        return enemy_in(speaker, tok.doc) or only_enemy(speaker)
    if word in lex["own_words"]:
        return state(speaker_side)
    mention = next((m for m in (tok.doc._.wl_mentions or []) if m.start <= tok.i < m.end), None)
    return state(mention.entity.side) if mention is not None else None


@functools.cache
def _lex() -> dict:
    return load_yaml("sides.yaml")
