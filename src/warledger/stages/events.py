"""Events: reports of things that happened, typed in the ACLED taxonomy (../shared/taxonomy.md).

A trigger word (data/events.yaml) starts a candidate: "shelling", "storming",
"destroyed", "recruit". Candidates that did not happen are dropped: negated,
future or conditional ones, and those under "expected to", "plans to",
"denied that", "attempts to reduce" (plans stay events for Strategic
developments, as the taxonomy says). The sub-type comes from the trigger and
the instrument in its clause (drones and aircraft, artillery and missiles,
mines); actors from the clause's subject and object, with "the enemy" read
from the asserting source's side; the place from the places in the trigger's
phrase (one event per place: "shelled Kherson and towns on the Dnipro"); the
date from the clause, else the sentence's or the quote's report date, else
publication with time_precision 2; fatalities from the claims beside it.
Repeats of one event in an article (headline and body) are merged.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..gazetteer import GazPlace, haversine_km
from ..numbers import parse_number
from ..lexicon import (
    country_name,
    country_markers,
    demonym_codes,
    load_yaml,
    nationality_codes,
    normalise,
)
from .attribution import attribution_at
from .dates import ResolvedDate
from .event_types import Cue, Scopes, at_war, cues, event_type_of, in_conflict, paragraph_of, paragraph_start, sub_type
from .places import BEARINGS, ETHNIC_MARKERS, PLACE_KINDS, PLACE_NOUNS, PlaceMention, is_rare_word
from .quantities import Quantity, is_death_word, is_wound_word, noun_class
from .quotes import is_cue
from .sentences import in_dateline, sentence_of, text_of
from .sides import only_enemy, side_of_word, state
from .sources import SourceEntity

Doc.set_extension("wl_events", default=None, force=True)
Doc.set_extension("wl_denials", default=None, force=True)

MODALS = {"will", "would", "could", "might", "may", "should", "shall", "'ll", "can", "must"}
# ... of which a plan may be made ('will recruit 3,500 officers'); the rest only say it could be or ought to be
PLAN_MODALS = {"will", "shall", "'ll"}
CONDITIONALS = {"if", "unless", "whether"}
STATE_KINDS = ("military", "police")
KILLED = {"killed", "civilians_killed"}
TOLLS = KILLED | {"wounded", "casualties"}
PRECISION = {"day": 1, "week": 2, "month": 3, "season": 3, "year": 3}
INCIDENT_TOLL = 1000  # below this, a stated death toll is one incident's
SITE_IN_TOWN_KM = 30  # a square or building this close to a town its sentence names stands in that town
HEADLINE_KICKER_TOKENS = 8  # a line shorter than this before a lead is a kicker or a section header, not a sentence


@functools.cache
def _lex() -> dict:
    return load_yaml("events.yaml")


@dataclass
class Actor:
    name: str
    side: str | None
    kind: str  # military, police, group, civilians, protesters, unknown

    @property
    def state(self) -> bool:
        return self.kind in STATE_KINDS


@dataclass
class EventRecord:
    trigger: Token
    event_type: str
    sub_event_type: str
    actor1: Actor | None
    actor2: Actor | None
    place: GazPlace | None
    geo_precision: int | None
    date_start: date | None
    date_end: date | None
    time_precision: int
    explicit_date: bool
    day: date | None  # the day it is coded on (ResolvedDate.coded_day; with no date told, publication day)
    source: SourceEntity | None
    claims: list[Quantity] = field(default_factory=list)
    fatalities: int = 0
    fatalities_low: int | None = None
    fatalities_high: int | None = None
    fatalities_unknown: bool = False  # "militants died, how many is not known": 0, and said so
    denied: bool = False  # a source says it did not happen: "Ukrainian units had not fired at the city"

    @property
    def sentence(self) -> Span:
        return sentence_of(self.trigger)


# ------------------------------------------------------------------ actors
PLACE_NAMES = "$place_names"
NAMES = "$names"


@functools.cache
def trigger_needs(table: str = "trigger_needs") -> dict[str, frozenset[str]]:
    """Each trigger's needed words (in its sentence, or for `object_needs` as its object), a "$list" entry
    standing for one of the lexicon's word lists ("$military_words") and "$state_forces" for the state
    forces' acronyms (NAF, KDF); "$place_names" in `object_needs` lets a place the text names be the object
    ('entered Farabougou'), "$names" any proper name (a village the gazetteer lacks: 'retook Bulo Bashiir').
    A sentence needs a phrase whole ('armed men', not any 'men'); an object is a phrase's head ('forces')."""
    lex = _lex()
    out = {}
    for key, words in lex[table].items():
        expanded = set()
        for word in words:
            if word in (PLACE_NAMES, NAMES):
                expanded.add(word)
                continue
            entries = [str(e) for e in lex[word[1:]]] if word.startswith("$") else [word]
            expanded |= {e.lower() if table == "trigger_needs" else e.split()[-1] for e in entries}
        out[key] = frozenset(expanded)
    return out


@functools.cache
def sentence_needs() -> dict[str, Cue]:
    """`trigger_needs` as cues: its words and its phrases, matched whole."""
    return {key: Cue.of(entries) for key, entries in trigger_needs().items()}


def _object_is(obj: Token, words: frozenset[str]) -> bool:
    """The object, or what a count of it counts ('large amounts of new soldiers'), is one of `words`; a bare
    number ('recruit 3,500') cannot say otherwise."""
    counted = [g for p in obj.children if p.dep_ == "prep" and p.lower_ == "of" for g in p.children if g.dep_ == "pobj"]
    heads = [obj] + counted
    named = PLACE_NAMES in words and any(m.start <= obj.i < m.end for m in obj.doc._.wl_places or []) \
        or NAMES in words and obj.pos_ == "PROPN"
    return obj.like_num or named or any(h.lemma_.lower() in words or h.lower_ in words for h in heads)


def _wrong_object(verb: Token, words: frozenset[str], key: str = "") -> bool:
    """The verb has objects (direct, a passive's subject, or after the 'into' or 'out of' its key names) and none is
    of the needed kind ('deploying scorched-earth tactics', 'capabilities are reinforced', 'pulled out of the peace
    talks'); one of
    the kind is enough where the parser hangs a later object on it too ('pushed militants out of Zinjibar
    and re-established control')."""
    objects = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")  # 'capabilities are reinforced'
               and (c.lower_ not in ("it", "this", "that") or c.lower_ in words)]
    # 'it', 'this', 'that' cannot say what they stand for ('handed it over'); 'both', 'them' are people
    objects += [g for c in verb.children if c.dep_ == "prep" and c.lower_ in ("into", "out") and key.endswith(c.lower_)
                for g in (*c.children, *(g for p in c.children if p.lower_ == "of" for g in p.children))
                if g.dep_ == "pobj"]  # 'moved into a new hotel', 'pulled out of the peace talks'
    return bool(objects) and not any(_object_is(c, words) for c in objects)


def military(code: str | None) -> Actor:
    """A state's armed forces as ACLED names them; 'Military Forces' alone when the state is unknown."""
    if code is None:
        return Actor("Military Forces", None, "military")
    name = _lex()["military_names"].get(code) or f"Military Forces of {_country_name(code)}"
    return Actor(name, code, "military")


def police(code: str | None) -> Actor:
    if code is None:
        return Actor("Police Forces", None, "police")
    name = _lex()["police_names"].get(code) or f"Police Forces of {_country_name(code)}"
    return Actor(name, code, "police")


def protesters(code: str | None) -> Actor:
    return Actor(f"Protesters ({_country_name(code)})", code, "protesters")


def rioters(code: str | None) -> Actor:
    return Actor(f"Rioters ({_country_name(code)})", code, "rioters")


def unidentified_group(code: str | None) -> Actor:
    return Actor(f"Unidentified Armed Group ({_country_name(code)})", code, "group")


CROWDS = {"Protests": protesters, "Riots": rioters}


CROWD_KINDS = ("civilians", "protesters", "rioters", "person")


def _crowd_first(sub: str, actor1: Actor | None, actor2: Actor | None,
                 place: GazPlace | None) -> tuple[Actor | None, Actor | None]:
    """ACLED's roles in a protest or a riot: the crowd is actor 1, named 'Protesters (X)' or 'Rioters (X)'
    whoever they are ('students protested', 'soldiers protested over wages'), and a force that met it is
    actor 2 ('police dispersed protesters'); a peaceful protest has none."""
    crowd = CROWDS.get(event_type_of()[sub])
    if crowd is None:
        return actor1, actor2
    if actor1 is None or actor1.kind in CROWD_KINDS:
        code = actor1.side if actor1 is not None and actor1.side else place.country_code if place else None
        return crowd(code), actor2
    if actor2 is None or actor2.kind in CROWD_KINDS:
        code = actor2.side if actor2 is not None and actor2.side else place.country_code if place else actor1.side
        met_by = None if sub in _lex()["unmet_crowds"] or actor2 is None and crowd is rioters else actor1
        return crowd(code), met_by
    return actor1, actor2


def _facing(event: EventRecord, other: EventRecord) -> Actor | None:
    """Who stood against the event's actor in another telling of it: its target, or its doer when the
    target is the event's own actor again; against a crowd ('residents blocked the road ... HTS opened fire
    killing a protester'), HTS, not the crowd hit again; a protest faces no crowd at all, a riot or a mob
    may face civilians."""
    if event.actor1 is None or event.actor1.kind not in CROWD_KINDS:
        if event.actor1 is not None and other.actor2 is not None and other.actor2.name == event.actor1.name:
            return other.actor1  # not its own side again ('Russian attacks on Bakhmut were repelled': by Ukraine)
        return other.actor2
    victims = ("protesters", "rioters") if event.event_type != "Protests" else CROWD_KINDS
    facing = [a for a, barred in ((other.actor2, victims), (other.actor1, CROWD_KINDS))
              if a is not None and a.kind not in barred and a.name != event.actor1.name]
    return facing[0] if facing else None


def _country_name(code: str | None) -> str:
    return country_name(code) or "Unknown"


def actor_in(tokens: list[Token], speaker_side: str | None, place_country: str | None) -> Actor | None:
    """The party a phrase names: 'Russian forces', 'the enemy', 'our defenders', 'Hamas', 'the KDF',
    'gunmen', 'civilians', 'a mob', 'the TNLA'. Named groups and state forces first, then the state a
    word points at, then the kind of people the phrase is about."""
    lex = _lex()
    tokens = [t for t in tokens if not _in_description(t) and not in_dateline(t)]
    words = [normalise(t.text) for t in tokens]
    text, joined = _spellings(tokens)

    def said(kind: str) -> bool:
        return any(f" {w} " in text for w in lex[kind])

    def first_at(kind: str) -> int:
        return min((i for i in (text.find(f" {w} ") for w in lex[kind]) if i >= 0), default=len(text))

    for alias, (name, side) in lex["groups"].items():
        at = text.find(f" {alias} ")
        if (at >= 0 or f" {alias} " in joined) and not 0 <= first_at("military_words") < at:
            return Actor(name, side if side != "NONE" else place_country, "group")  # not 'soldiers and VDP auxiliaries'
    code = None
    for word in words:
        if word in lex["state_forces"]:
            state = lex["state_forces"][word]
            return military(state if state not in (None, "NONE") else place_country)
    for tok in tokens:
        if _named_place(_name_head(tok)):
            continue  # 'the village of Wad Al-Noura': a place's name, not a side
        named = tok.pos_ == "PROPN" and not _where(tok)  # a country named as who, not where
        code = side_of_word(tok, speaker_side, country_as_side=named)
        if code is None and named:
            code = next((m.place.country_code for m in tok.doc._.wl_places or []
                         if m.start <= tok.i < m.end and m.place.feature == "country"), None)  # 'the governments of Kenya'
        if code:
            break
    if code is None and not said("armed_group_words"):
        # a people our countries data does not curate, of a state's forces: 'Mozambican and Rwandan forces'
        # (not 'Chadian rebels')
        code = next((nationality_codes()[w] for w in words if w in nationality_codes() and w not in lex["groups"]), None)
    country = code or place_country


    if said("police_words") and first_at("police_words") <= first_at("military_words"):
        return police(country)  # not 'army officers'
    if said("protester_words"):
        return protesters(country)
    if said("rioter_words"):
        return rioters(country)
    if said("armed_group_words") and code is None and not said("military_words"):
        named = _named_group(tokens)
        return Actor(named, place_country, "group") if named else unidentified_group(place_country)
    if said("government_words") and not said("military_words"):
        return Actor(f"Government of {_country_name(country)}", country, "government")
    armed = any(t.lower_ in lex["armed_modifiers"] and t.dep_ == "amod" for t in tokens)  # not 'armed with sticks'
    if said("civilian_words") and (said("armed_people_words") or armed):
        named = _named_group(tokens)  # 'armed Fulani herders', 'men in military uniform'
        return Actor(named, place_country, "group") if named else unidentified_group(place_country)
    if said("civilian_words"):
        return Actor(f"Civilians ({_country_name(country)})", country, "civilians")
    if said("military_words") and first_at("military_words") < first_at("armed_group_words"):
        return military(country)  # 'government forces and a clan militia': the first named leads (ACLED's actor 1)
    named = _named_group(tokens) if code is None else None
    if named is not None:  # a person named is no armed group: 'Keith D. Johnson, 41, was arrested'
        person = any(t.ent_type_ == "PERSON" and t.text in named.split() for t in tokens)
        return Actor(named, place_country, "person" if person else "group")
    if said("armed_group_words") and code is None:
        return unidentified_group(place_country)
    if code:
        return military(code)
    return None


def _done(verb: Token) -> bool:
    """A verb in the simple past or the perfect: 'were able', 'has been able'."""
    return verb.tag_ == "VBD" or verb.tag_ == "VBN" and any(c.lemma_ == "have" and c.dep_ == "aux" for c in verb.children)


def _spellings(tokens: list[Token]) -> tuple[str, str]:
    """A phrase's words spaced apart and as written ('al - shabaab', 'al-shabaab'), padded for ' word ' look-ups."""
    text = " " + " ".join(normalise(t.text) for t in tokens) + " "
    joined = " " + " ".join(normalise("".join(t.text_with_ws for t in tokens)).split()) + " "
    return text, joined


def _names_armed_men(tokens: list[Token]) -> bool:
    """Whether a phrase names armed men by a word for them ('US forces', 'Al Shabaab', 'gunmen'), not a
    country or an organisation standing for its state ('Moscow halted gas deliveries')."""
    lex = _lex()
    text, joined = _spellings(tokens)
    return any(f" {w} " in text or f" {w} " in joined
               for w in (*lex["groups"], *lex["state_forces"], *lex["military_words"], *lex["armed_group_words"], "forces"))


def _source_tokens(doc: Doc) -> set[int]:
    """The tokens of the sources the document names: not places of an act. A 'person' the places stage
    found to be a place ('shelled Chasiv Yar', the model's PERSON) is that place."""
    places = {(m.start, m.end) for m in doc._.wl_places or []}
    return {i for m in (doc._.wl_mentions or []) if not (m.entity.person and (m.start, m.end) in places)
            for i in range(m.start, m.end)}


def _title_tokens(doc: Doc) -> frozenset[int]:
    """The titles before sources' names ('Kherson governor' Oleksandr Prokudin), read once per Doc: their towns
    are where an act the source tells of happened only when nothing else in the text says where."""
    if "wl_title_tokens" not in doc.user_data:
        doc.user_data["wl_title_tokens"] = frozenset(
            i for m in (doc._.wl_mentions or []) if m.title_start is not None for i in range(m.title_start, m.start))
    return doc.user_data["wl_title_tokens"]


def placed_tokens(doc: Doc) -> frozenset[int]:
    """The tokens of the places the document names, read once per Doc."""
    if "wl_placed_tokens" not in doc.user_data:
        doc.user_data["wl_placed_tokens"] = frozenset(
            i for m in (doc._.wl_places or []) for i in range(m.start, m.end))
    return doc.user_data["wl_placed_tokens"]


def _named_group(tokens: list[Token]) -> str | None:
    """An organisation the phrase names that is not a state's ('the TNLA', 'Boko Haram fighters'), or
    an acronym whose members, fighters or cadres the phrase is about ('3 SLDF members')."""
    places = placed_tokens(tokens[0].doc) if tokens else frozenset()
    members = _lex()["group_member_nouns"]
    for tok in tokens:
        if tok.is_upper and tok.is_alpha and 2 <= len(tok) <= 6 and tok.i not in places \
                and normalise(tok.text) not in country_markers() and tok.head.lemma_.lower() in members \
                and tok.head.i > tok.i:
            return tok.text
        if tok.ent_iob_ == "B" and tok.ent_type_ in ("ORG", "NORP", "PERSON") and tok.pos_ == "PROPN":
            entity = next(e for e in tok.doc.ents if e.start == tok.i)
            if all(normalise(t.text) not in country_markers() and t.i not in places for t in entity) \
                    and not _named_place(entity.root):
                name = entity.text  # 'CSP-PSD (' when the tagger's entity stops inside a bracket
                if name.count("(") > name.count(")"):
                    name = name[:name.rfind("(")].strip()
                if name:
                    return name
    return None


def _named_place(tok: Token) -> bool:
    """'the village of Wad Al-Noura': a place's name (one the gazetteer lacks), not a group's."""
    return tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lower_ in PLACE_NOUNS


TROOPS = frozenset({"troops", "forces", "soldiers", "personnel", "brigades"})


def phrase_class(tok: Token) -> str | None:
    """Classes told by a phrase rather than a word: 'a build-up of troops', 'an increase in troops',
    'Ukraine lost 140 servicemen near Bakhmut' (fighting, told by its toll)."""
    lemma = tok.lemma_.lower()
    following = [t.lower_ for t in tok.doc[tok.i + 1:tok.i + 3]]
    if lemma == "build" and (following[:2] == ["-", "up"] or any(c.lower_ == "up" for c in tok.children)) \
            and TROOPS & {t.lower_ for t in sentence_of(tok)}:
        return "change"
    if lemma == "increase" and TROOPS & {t.lower_ for t in tok.subtree}:
        return "change"
    if lemma == "lose" and tok.pos_ == "VERB" and any(
            c.dep_ == "dobj" and noun_class(c) == "military_person" for c in tok.children):
        return "battle"
    return None


WHERE_PREPOSITIONS = frozenset({"in", "near", "across", "inside", "outside", "throughout", "into", "around"})


def _name_head(tok: Token) -> Token:
    """The last word of the name a word is part of ('Noura' for 'Wad' in 'Wad Al-Noura')."""
    head = tok
    while head.dep_ in ("compound", "amod", "flat", "punct") and head.head.i != head.i:
        head = head.head
    return head


def _where(tok: Token) -> bool:
    """'a village in northern Burkina Faso', 'the village of Wad Al-Noura': a place named as where, not as who."""
    head = _name_head(tok)
    return (head.dep_ == "pobj" and head.head.lower_ in WHERE_PREPOSITIONS) or _named_place(head)


def _victims(tok: Token, cls: str, speaker_side: str | None, place_country: str | None) -> Actor | None:
    """Whom an attack killed or hurt, told by the death or wound word beside it ('Gunmen killed 12
    villagers in an attack'), or the people of the village or market an assault struck ('bandits raided a
    village'; not 'took control of the village', 'detonated a bomb in the village')."""
    for word in sentence_of(tok):
        if word.i != tok.i and (is_death_word(word) or is_wound_word(word)) and word.pos_ == "VERB":
            victims = actor_in(_object(word), speaker_side, place_country)
            if victims is not None:
                return victims
    struck = [c for c in tok.children if c.dep_ == "dobj"] if tok.pos_ == "VERB" else []
    if cls in _lex()["settlement_assaults"] and any(t.lemma_.lower() in _lex()["settlement_words"] for t in struck):
        return Actor(f"Civilians ({_country_name(place_country)})", place_country, "civilians")
    return None


def _in_description(tok: Token) -> bool:
    """Inside an apposition or relative clause ('Enerhodar, the town next to the Russian-held plant'):
    words that describe a place or person, not the parties to the event."""
    return any(a.dep_ in ("appos", "relcl") for a in tok.ancestors) or tok.dep_ in ("appos", "relcl")


def clause_verb(tok: Token) -> Token:
    """The verb a word's clause hangs on ('strikes' in 'Israeli strikes killed 25' -> 'killed')."""
    verb = tok
    while verb.pos_ != "VERB" and verb.head.i != verb.i:
        verb = verb.head
    return verb


def _bare_plural_list(noun: Token) -> bool:
    """'bridges, roads and miles of rail lines': kinds of things listed with no number or article, what a
    campaign has done so far ('its missiles have destroyed supply trains, bridges and roads'), not one act's."""
    listed = next((c for c in noun.children if c.dep_ == "conj"), None)
    return listed is not None and all(m.tag_ == "NNS" and not any(c.dep_ in ("det", "nummod", "poss") for c in m.children)
                                      for m in (noun, listed))


def _in_headline(tok: Token) -> bool:
    """Whether an act is told in the article's headline or lead under a kicker ('Sudan conflict' / 'RSF
    fighters loot homes, witnesses say'): no full sentence before it, where the present tells one act."""
    doc = tok.doc
    first = doc.user_data.get("wl_first_full_sentence")
    if first is None:  # where the first full sentence starts, found once per article
        first = doc.user_data["wl_first_full_sentence"] = next(
            (s.start for s in doc.sents if len(s) >= HEADLINE_KICKER_TOKENS), len(doc))
    return sentence_of(tok).start <= first


def _present(verb: Token) -> bool:
    """A verb in the present simple, active or passive ('attacks', 'is occupied')."""
    return verb.tag_ in ("VBZ", "VBP") or verb.tag_ == "VBN" and any(
        c.dep_ == "auxpass" and c.tag_ in ("VBZ", "VBP") for c in verb.children)


def _own_words(head: Token) -> set[int]:
    """The words a phrase or clause spans, less a clause joined to it that has its own subject: 'jets struck
    Syria, and rockets later fell near Kiryat Shmona' does not put the strike in Israel ('and they killed
    20 in Bokkos' is the same doers going on)."""
    joined = [c for c in head.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")
              and any(g.dep_ in ("nsubj", "nsubjpass") and g.pos_ != "PRON" for g in c.children)]
    return {t.i for t in head.subtree} - {t.i for c in joined for t in c.subtree}


def phrase_of(tok: Token) -> Token:
    """The phrase a trigger heads: 'build' in 'build-up' and 'drone' in 'drone strike' hang on the noun after them."""
    return tok.head if tok.dep_ == "compound" and tok.head.pos_ in ("NOUN", "PROPN") else tok


def _subject(verb: Token) -> list[Token]:
    for child in verb.children:
        if child.dep_ == "agent":
            obj = next((g for g in child.children if g.dep_ == "pobj"), None)
            if obj is not None:
                return list(obj.subtree)
    for child in verb.children:
        if child.dep_ in ("nsubj",):
            return list(child.subtree)
    if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
        return [t for t in verb.head.subtree if t.i < verb.i]  # "Israeli air strikes killed 25": the noun it hangs on
    if verb.dep_ == "xcomp" and verb.head.i != verb.i:  # "forced the army to withdraw", "were forced to withdraw"
        controller = next((c for c in verb.head.children if c.dep_ == "nsubjpass" or c.dep_ == "dobj" and
                           verb.head.lemma_.lower() in ("force", "compel", "prompt", "oblige", "push", "drive", "cause", "order", "lead")), None)
        if controller is not None:
            return list(controller.subtree)
    if verb.dep_ == "advcl" and any(c.dep_ == "nsubjpass" for c in verb.children) \
            and any(c.dep_ == "mark" and c.lower_ in ("after", "before", "since", "until") for c in verb.children):
        return []  # "a crowd gathered after Vassell was killed": who killed him is untold, not the crowd
    if verb.dep_ == "conj" and verb.head.pos_ in ("NOUN", "PROPN") and verb.head.dep_ == "ROOT":
        return [t for t in verb.head.subtree if t.i <= verb.head.i]  # 'HTS-led factions advanced into Aleppo and
        # took control', parsed with 'factions' as the root: the noun is who
    if verb.dep_ in ("xcomp", "conj", "advcl", "pcomp") and verb.head.i != verb.i and not is_cue(verb.head):
        return _subject(verb.head)
    earlier = next((c for c in verb.children if c.dep_ in ("advcl", "conj") and c.i < verb.i
                    and any(g.dep_ == "nsubj" for g in c.children)), None)
    if earlier is not None:  # 'insurgents attacked Palma, routed the police and took over the town', parsed
        return _subject(earlier)  # with 'routed' as the root and 'attacked' its clause: they share the subject
    return []


def _patient(verb: Token) -> list[Token]:
    """What a passive verb acts on: its subject, or the one it shares ('2 militants were killed, injured or
    captured': militants were captured)."""
    while True:
        subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        if subject is not None:
            return list(subject.subtree)
        if not (verb.dep_ == "conj" or verb.dep_ == "advcl" and verb.tag_ == "VBN") or verb.head.i == verb.i:
            return []  # 'were killed, injured or captured' (the parser hangs 'injured' as an adverbial)
        verb = verb.head


def _headline_passive(verb: Token) -> bool:
    """'Protester killed in Nairobi', 'Woman stabbed while jogging': a harming verb (`patient_verbs`) with a
    subject and no object, auxiliary or doer is headline English for the passive; the subject is whom it
    harmed. 'Militants abducted and killed a chief' shares its object; a past tense ('stabbed') reads so
    only with a civilian for subject ('Gunmen killed in Benue' stays the gunmen's act)."""
    children = list(verb.children)
    subject = next((c for c in children if c.dep_ == "nsubj"), None)
    if subject is None or verb.lemma_.lower() not in _lex()["patient_verbs"]:
        return False
    if any(c.dep_ in ("dobj", "aux", "auxpass", "agent", "ccomp", "xcomp") or c.dep_ == "conj" and c.pos_ == "VERB"
           for c in children) or any(t.dep_ == "appos" for t in verb.subtree if t.i > verb.i):
        return False
    return verb.tag_ == "VBN" or verb.tag_ == "VBD" and subject.lemma_.lower() in _civilian_words()


def _object(verb: Token, partner: bool = False) -> list[Token]:
    """What a verb acts on; with `partner` (fighting, taking ground) also whom it acts with ('clashed with
    Al Shabaab'), which for other verbs is an ally or an instrument."""
    weapons = cues()["weapons"].words
    for child in verb.children:
        if child.dep_ in ("dobj", "nsubjpass") and not (child.lemma_.lower() in weapons and _aimed(verb)) \
                and not in_dateline(child):
            return list(child.subtree)  # not 'fired bullets' when they were fired 'at' someone, nor 'MIDDLETOWN —'
    if verb.dep_ in ("acl", "amod") and verb.head.pos_ in ("NOUN", "PROPN"):  # "weapons and ammunition seized"
        own = {t.i for t in verb.subtree}
        return [t for t in verb.head.subtree if t.i not in own]
    for preps in (("on", "against", "at"), ("with",) if partner else ()):
        for child in verb.children:
            if child.dep_ == "prep" and child.lower_ in preps and not _is_time(child):
                return list(child.subtree)
    return []


def _aimed(verb: Token) -> bool:
    return any(c.dep_ == "prep" and c.lower_ in ("at", "on", "against") and not _is_time(c) for c in verb.children)


def _antecedent(phrase: list[Token]) -> list[Token]:
    """'chased Palestinian fishermen ... and fired at them': a pronoun object is the object named before it
    in the sentence."""
    pronouns = [t for t in phrase if t.lower_ in ("them", "him", "her") and t.dep_ in ("pobj", "dobj")]
    if not pronouns:
        return phrase
    pronoun = pronouns[0]
    weapons = cues()["weapons"].words
    before = [t for t in sentence_of(pronoun) if t.i < pronoun.i and t.dep_ in ("dobj", "nsubjpass")
              and t.pos_ in ("NOUN", "PROPN") and t.lemma_.lower() not in weapons]
    return list(before[-1].subtree) if before else phrase


def _is_time(prep: Token) -> bool:
    """'On 6 July 2025', 'at night': a preposition of time, not of a target."""
    return any(c.dep_ == "pobj" and c.ent_type_ in ("DATE", "TIME") for c in prep.children)


def _told_party(actor: Actor | None, phrase: list[Token], earlier: list[EventRecord], tok: Token) -> Actor | None:
    """'The troops then held the village', 'the militants looted the base': a definite phrase
    naming no side of its own is the party of that kind an earlier event in the paragraph named. A gerund
    with no doer at all ('Upon seizing control of the town, buildings were destroyed') is the act of
    whoever did the paragraph's last act, other than leaving ('forced the soldiers to pull out')."""
    if actor is not None and actor.side is not None and not actor.name.startswith("Unidentified Armed Group"):
        return actor  # a party with a side of its own
    if actor is None and not phrase and tok.tag_ == "VBG" and tok.dep_ in ("pcomp", "advcl"):
        paragraph = paragraph_start(tok)
        return next((e.actor1 for e in reversed(earlier) if paragraph_start(e.trigger) == paragraph
                     and e.actor1 is not None and EventFinder._class(e.trigger) != "transfer"), None)
    if not any(t.dep_ == "det" and t.lower_ in ("the", "these", "those") for t in phrase):
        return actor
    if actor is not None:
        kinds = {actor.kind}
    else:  # 'the forces': which kinds of party the bare noun may stand for ('the Texas Rangers': none)
        head = next((t for t in phrase if t.head.i == t.i or t.head not in phrase), None)
        kinds = set(_lex()["told_party_nouns"].get(head.lemma_.lower(), ())) if head is not None else set()
    paragraph = paragraph_start(tok)
    for event in reversed(earlier):
        if paragraph_start(event.trigger) != paragraph:
            continue
        for told in (event.actor1, event.actor2):
            if told is not None and told.side is not None and told.kind in kinds \
                    and not told.name.startswith("Unidentified Armed Group"):
                return told
    return actor


# ------------------------------------------------------------------ finder
class EventFinder:
    def __call__(self, doc: Doc) -> list[EventRecord]:
        events: list[EventRecord] = []
        source_tokens = _source_tokens(doc)
        for tok in doc:
            cls = self._class(tok)
            if cls is None:
                continue
            if self._happened(tok, cls):
                events.extend(self._events(doc, tok, cls, source_tokens, earlier=events))
            elif cls in _lex()["violent_classes"] and self._denied(tok):
                events.extend(self._denials(doc, tok, cls, source_tokens))
        return events

    def armed_actors_act(self, doc: Doc) -> list[EventRecord]:
        """In a document that tells no event of a known kind, a dated act at a named place whose doer is state
        forces or an armed group ('On 2 May, US forces prevented a patrol from entering Rmelan', 'Al Shabaab
        received weapons from a boat near Xarardheere') done to another party is a strategic development of
        the war: ACLED's Other. The first such sentence only; what is said, felt or planned is no act
        (`not_acts`, which also holds a force's own peaceful business: 'held an exercise', 'inaugurated a
        hospital'), nor is a sentence with a word the trigger table turned down as used ('rebels withdrew
        from peace talks', 'carried out widespread looting', 'recruited 50 cooks'), unless it is the act a
        party was kept from ('prevented a patrol from entering'; not 'prevented the fire from spreading')."""
        source_tokens = _source_tokens(doc)
        for sent in doc.sents:
            verb = sent.root
            past = verb.tag_ == "VBD" or (verb.tag_ == "VBN" and not any(c.dep_ in ("aux", "auxpass") for c in verb.children))
            kept_from = verb.lemma_.lower() in _lex()["preventing_verbs"] and any(
                c.dep_ == "prep" and c.lower_ == "from" for c in verb.children) and any(
                c.dep_ == "dobj" and actor_in(list(c.subtree), None, None) is not None for c in verb.children)
            prevented = {t.i for c in verb.children if kept_from and (c.dep_ == "dobj" or c.lower_ == "from")
                         for t in c.subtree}  # the party kept from its act, and the act
            if verb.pos_ != "VERB" or not past or is_cue(verb) \
                    or any(self._could_trigger(t) and self.trigger_key(t) for t in sent if t.i not in prevented) \
                    or verb.lemma_.lower() in _lex()["not_acts"] or not self._happened(verb, "other"):
                continue
            doer = _subject(verb)
            actor = actor_in(doer, None, None) if _names_armed_men(doer) else None
            if actor is None or actor.kind not in ("military", "group"):
                continue
            events = [e for e in self._events(doc, verb, "other", source_tokens, earlier=[])
                      if e.explicit_date and e.place is not None and e.place.feature != "country"]
            if events:
                return events[:1]
        return []

    @staticmethod
    def _denied(tok: Token) -> bool:
        """'had not fired at the city', 'denied striking the hospital': a violent act said not to have
        happened (not a condition, a plan or a question)."""
        if sentence_of(tok).text.rstrip().endswith("?"):
            return False
        if EventFinder._not_an_act(tok) or EventFinder._began_a_state(tok):
            return False
        node = tok
        for _ in range(3):
            children = list(node.children)
            if any(c.dep_ == "mark" and c.lower_ in CONDITIONALS for c in children) or any(
                    c.dep_ in ("aux", "auxpass") and c.lower_ in MODALS for c in children):
                return False
            if any(c.dep_ == "neg" for c in children):
                return True
            if node.head.i == node.i:
                return False
            if node.dep_ in ("xcomp", "dobj", "ccomp", "pcomp") and node.head.lemma_.lower() in _lex()["denial_verbs"]:
                return True
            node = node.head
        return False

    def _denials(self, doc: Doc, tok: Token, cls: str, source_tokens: set[int]) -> list[EventRecord]:
        """A side's denial of an act, as the event it denies (`denied`), when someone says it (a source, or
        a reporting or denying verb over it): who it says did not act (actor1; the denier itself in 'denied
        striking'), where and when. The ledger weighs it against the reports of that incident."""
        speaker = attribution_at(doc, tok).source
        governor = next((a for a in tok.ancestors if is_cue(a) or a.lemma_.lower() in _lex()["denial_verbs"]), None)
        if speaker is None and governor is None:
            return []
        records = []
        speaker_side = speaker.side if speaker is not None else None
        named = actor_in(_subject(tok), speaker_side, None) if _subject(tok) else None
        for record in self._events(doc, tok, cls, source_tokens, earlier=[], denial=True):
            if named is None:  # 'denied striking', 'its units had not fired': the denier's own side
                denier = actor_in(_subject(governor), None, None) if governor is not None else None
                side = state(speaker_side) or (denier.side if denier else None)
                record.actor1 = military(side) if state(side) else denier
            record.denied = True
            records.append(record)
        return records

    @staticmethod
    def trigger_key(tok: Token) -> str | None:
        """The trigger table's key for a word as used here: with its particle, object or preposition first
        ('withdraw talks', 'set up', 'go strike'), then the word by part of speech, lemma or form."""
        lex = _lex()
        lemma = tok.lemma_.lower()
        children = [c for c in tok.children
                    if c.dep_ in ("prt", "dobj", "compound", "amod", "acomp", "oprd", "npadvmod", "advmod", "dative", "xcomp")
                    or c.dep_ == "prep" and (c.lower_ in ("out", "to", "into")
                                             or c.lower_ in ("on", "upon") and c.i == tok.i + 1
                                             and not any(g.ent_type_ in ("DATE", "TIME") for g in c.subtree))]
        # 'drove them out of the town', 'fell to', 'seized on fears' (not 'seized the town on Tuesday')
        children += [g for c in tok.children if c.dep_ == "prep" and c.lower_ in ("on", "from", "into")
                     for g in c.children if g.dep_ == "pobj"]  # 'set the houses on fire', 'withdrew from the talks',
        # 'took them into custody'
        children += [g for c in tok.children if c.dep_ == "dobj" and c.pos_ == "PROPN"
                     for g in c.children if g.dep_ == "compound" and g.is_title]  # 'ousted President Bazoum'
        children += [g for c in tok.children if c.dep_ == "dobj"
                     for g in c.children if g.dep_ in ("prep", "prt") and g.lower_ == "out"]  # 'drove CPC
        # (Coalition of Patriots for Change) rebels out of Bambari': the parser hangs 'out' on the object
        key = next((f"{lemma} {w}" for c in children for w in (c.lower_, c.lemma_.lower())
                    if f"{lemma} {w}" in lex["triggers"]), None)  # 'recovered three villages': the object's lemma
        if key is None and tok.dep_ == "pobj" and f"{tok.head.lower_} {lemma}" in lex["triggers"]:
            key = f"{tok.head.lower_} {lemma}"  # "went on strike"
        if key is None and lemma == "set" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ in ("-", "up"):
            key = "set up"  # "set-up camp", "set up a base"
        if key is None and lemma == "set":  # 'set cars and rubbish bins alight', 'set cars and a bank on fire',
            # which the parser splits
            ahead = next((t for t in tok.doc[tok.i + 1:tok.i + 8] if t.lower_ in ("alight", "ablaze", "fire")
                          or t.pos_ in ("VERB", "AUX") or t.is_sent_start), None)
            key = f"set {ahead.lower_}" if ahead is not None and ahead.lower_ in ("alight", "ablaze", "fire") else None
        by_pos = f"{lemma}.{tok.pos_.lower()}"
        return key or next((k for k in (by_pos, lemma, tok.lower_, *EventFinder._hyphened(tok)) if k in lex["triggers"]), None)

    @staticmethod
    def _hyphened(tok: Token) -> tuple[str, ...]:
        """A word the parser split at its hyphen ('sit', '-', 'in'; 'build', '-', 'ups'), whole again."""
        doc = tok.doc
        if tok.i + 2 >= len(doc) or doc[tok.i + 1].text != "-" or doc[tok.i + 1].whitespace_ or tok.whitespace_:
            return ()
        last = doc[tok.i + 2]
        return tuple(f"{tok.lower_}-{form}" for form in (last.lower_, last.lemma_.lower()))

    @staticmethod
    def _could_trigger(tok: Token) -> bool:
        """A verb or noun outside a date or a name ('March' the month is no march)."""
        return tok.pos_ in ("VERB", "NOUN") and tok.ent_type_ not in ("DATE", "PERSON", "GPE", "ORG")

    # which words start an event
    @staticmethod
    def _class(tok: Token) -> str | None:
        if not EventFinder._could_trigger(tok):
            return None
        if tok.pos_ == "VERB" and tok.dep_ == "amod" and not any(c.dep_ == "nsubj" for c in tok.children):
            return None  # "Russian-occupied", "war-torn": a description, not an act ("police apprehended
            # journalist X", parsed as a modifier of 'journalist', has its subject: an act)
        if tok.tag_ == "VBG" and tok.dep_ == "acl" and tok.head.dep_ == "nsubj" and tok.head.head.pos_ == "VERB" \
                and EventFinder.trigger_key(tok.head.head):
            return None  # "soldiers occupying Moura raped 58 women": who did the act that follows, not an act
        if tok.dep_ == "pobj" and tok.head.lower_ == "like":
            return None  # "hit their businesses like a bomb": a simile
        lex = _lex()
        if tok.dep_ == "compound" and tok.head.lemma_.lower() in lex["not_event_heads"]:
            return None  # "riot police", "bomb squad", "assault rifle": a kind of thing, not an act
        lemma = tok.lemma_.lower()
        key = EventFinder.trigger_key(tok)
        if key is None:
            return phrase_class(tok)
        cls = lex["triggers"][key]
        if cls == "none":
            return None  # "the special military operation": a war's name, not an act
        if lemma in lex["approach_verbs"] and any(c.dep_ == "conj" and EventFinder.trigger_key(c) for c in tok.children):
            return None  # "arrived at the toll gate and opened fire": the approach to the act that follows
        if lemma in lex["opinion_senses"] and any(
                c.dep_ == "ccomp" and not any(t.lemma_.lower() in lex["agreed_terms"] for t in c.subtree)
                for c in tok.children):
            return None  # "members all agree that it is through ...": an opinion
        if tok.pos_ == "NOUN" and tok.dep_ in ("pobj", "attr", "dobj") and clause_verb(tok).lemma_.lower() in lex["classing_verbs"]:
            return None  # "many of which amounted to enforced disappearances": what acts told are called
        sentence = {t.lower_ for t in sentence_of(tok)}
        needs = sentence_needs().get(key)
        if needs is not None and not needs.matches(sentence, " ".join(t.lower_ for t in sentence_of(tok))):
            return phrase_class(tok)  # not 'build' a base, but maybe a 'build-up' of troops
        object_needs = trigger_needs("object_needs").get(key)
        if object_needs is not None and _wrong_object(tok, object_needs, key):
            return None  # "deploying scorched-earth tactics", "to recruit participants"
        realised_by = lex["nouns_realised_by"].get(cls)
        if tok.pos_ == "NOUN" and realised_by is not None and (
                clause_verb(tok).lemma_.lower() not in realised_by
                or tok.dep_ == "pobj" and tok.head.lower_ in lex["terms_prepositions"]):
            return None  # "a potential peace deal": an agreement named, not made; "under a deal": its terms
        if tok.pos_ == "NOUN" and EventFinder._statistic(tok) or EventFinder._counted(tok):
            return None  # "57 attacks were reported", "the number of attacks": a statistic, not an event
        if lemma == "fight" and any(c.dep_ == "dobj" and c.lemma_.lower() in ("war", "battle", "campaign") for c in tok.children):
            return None  # "fighting an information war"
        if cls in lex["violent_classes"] and EventFinder._aimed_at_an_idea(tok):
            return None  # "an all-out assault on the spending bill": politics in a war's words
        if lemma in ("exchange", "swap") and sentence & {"fire", "blows"}:
            return "battle"
        if key == "fire" and not (tok.pos_ == "VERB" and any(c.dep_ in ("dobj", "prep") for c in tok.children)):
            return None  # "caught fire", "under fire"; "artillery fire" is a key of its own
        if lemma in ("withdraw",) and tok.pos_ != "VERB":
            return None
        if lemma == "march" and tok.pos_ == "NOUN" and tok.text[0].isupper():
            return None
        if cls == "capture" and lemma == "gain" and not any(
                c.lemma_.lower() in ("control", "territory", "ground") for c in tok.children):
            return None
        return cls

    @staticmethod
    def _aimed_at_an_idea(tok: Token) -> bool:
        """'launched an assault on the spending bill', 'attacked the reform': what is hit is a law, a policy or
        a freedom (`abstract_targets`), not people, forces or places."""
        carriers = [tok, tok.head] if tok.dep_ == "dobj" else [tok]  # 'launched an assault on the bill'
        targets = [c for c in tok.children if c.dep_ == "dobj"] + [
            g for carrier in carriers for c in carrier.children if c.dep_ == "prep" and c.lower_ in ("on", "against")
            for g in c.children if g.dep_ == "pobj" and g.ent_type_ not in ("DATE", "TIME")]
        return bool(targets) and all(t.lemma_.lower() in _lex()["abstract_targets"] for t in targets)

    @staticmethod
    def _counted(tok: Token) -> bool:
        """'the number of attacks', '75 cases of arbitrary detention', 'more than 900 cases of civilians ...
        being detained': acts counted under a count noun with its number (`count_nouns`), or under one that
        counts by itself (`total_nouns`)."""
        def a_count(noun: Token) -> bool:  # 'two incidents of shelling in Kupiansk' are raids, not a statistic
            return noun.pos_ == "NOUN" and noun.lemma_.lower() in _lex()["count_nouns"] and any(
                value is None or value > _lex()["one_raid_strikes"]
                for value in (parse_number(c.text) for c in noun.children if c.dep_ == "nummod"))

        if tok.dep_ == "pobj" and tok.head.head.lemma_.lower() in _lex()["total_nouns"]:
            return True
        if any(c.dep_ in ("nsubj", "nsubjpass") and a_count(c) for c in tok.children):
            return True  # '900 cases of civilians being detained'
        node = tok
        for _ in range(4):
            if node.head.i == node.i:
                return False
            node = node.head
            if a_count(node):
                return True
            if node.pos_ == "VERB" and node.dep_ not in ("acl", "relcl"):
                return False  # the act's own clause: 'killed 75 in one case' is no count
        return False

    @staticmethod
    def _statistic(tok: Token) -> bool:
        """'57 attacks were reported' is a count; 'four air raids were reported on Sirwah district'
        and 'two missile strikes on Kyiv' are one raid on one place, told by its number of strikes."""
        counts = [c for c in tok.children if c.dep_ == "nummod"]
        if not counts:
            return False
        value = parse_number(counts[0].text)
        verb = clause_verb(tok)
        clause = {t.i for t in verb.subtree} | {t.i for t in tok.subtree}
        placed = any(m.start in clause and m.place.feature != "country" for m in tok.doc._.wl_places or [])
        if placed and any(is_death_word(t) or is_wound_word(t) for t in sentence_of(tok)):
            return False  # "1 KIA, 2 WIA amid 21 enemy attacks in Donbas in past day": the day's fighting and its toll
        return not (placed and value is not None and value <= _lex()["one_raid_strikes"])

    @staticmethod
    def _happened(tok: Token, cls: str) -> bool:
        """False for what is negated, conditional, future, planned, feared or denied."""
        lex = _lex()
        plans_ok = cls in lex["plans_are_events"]
        if sentence_of(tok).text.rstrip().endswith("?") or EventFinder._before_the_news(tok):
            return False
        if cls == "protest" and (EventFinder._diplomatic_protest(tok) or EventFinder._still_to_come(tok)):
            return False
        if not plans_ok and cls != "protest" and EventFinder._not_an_act(tok):
            return False
        if EventFinder._began_a_state(tok) or EventFinder._a_course_so_far(tok):
            return False
        node, levels, of_what = tok, 0, False  # of_what: the walk came up through 'of'
        while levels < 3:  # a list member or a compound is its head's level: 'a deployment or a savage air attack'
            children = list(node.children)
            if any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") for c in children):
                return False
            if node.pos_ == "NOUN" and any(c.dep_ == "amod" and c.lower_ in lex["irrealis_modifiers"] for c in children):
                return False  # 'the expected offensive', 'a looming assault'
            if any(c.dep_ == "mark" and c.lower_ in CONDITIONALS for c in children):
                return False
            if any(c.dep_ in ("aux", "auxpass") and c.lower_ in MODALS and not (plans_ok and c.lower_ in PLAN_MODALS)
                   for c in children):
                return False
            if not plans_ok and any(c.dep_ in ("relcl", "acl") and c.lemma_.lower() in lex["non_event_governors"]
                                    and not (cls == "protest" and c.lemma_.lower() in lex["protest_aims"])
                                    for c in children):
                return False  # "a counter-offensive which is expected"; not "students protest to demand ..."
            head = node.head
            if node.dep_ == "advcl" and node.tag_ in ("VBD", "VBN") and any(
                    c.dep_ == "mark" and c.lower_ in ("after", "since") for c in children):
                break  # 'said it would not return to talks, two days after drones hit a depot': that came first
            governs = head.lemma_.lower() in lex["non_event_governors"] and (
                not plans_ok or head.lemma_.lower() in lex["plans_not_made"])
            governed = node.dep_ in ("xcomp", "dobj", "ccomp", "pobj", "pcomp", "nsubjpass") or (
                node.dep_ == "prep" and node.lower_ in lex["governed_prepositions"])
            warning = head.lemma_.lower() in lex["warning_verbs"]
            reported = node.dep_ == "ccomp" and warning  # 'warned that forces had shelled Kharkiv': an act told
            of_what = of_what or (node.dep_ == "prep" and node.lower_ == "of")
            if governs and (governed and not reported or of_what and warning):
                return False  # 'called for a rally', 'massing troops for an offensive', 'warned counterparts in
                # Berlin of a possible attack' (what comes up to a warning through 'of')
            if head.i == node.i or is_cue(head) and head.lemma_.lower() not in ("deny",) \
                    and not (node.dep_ == "prep" and node.lower_ == "with"):
                break  # what a speaker reports; but a response made with an act is its own ('might respond with an attack')
            if node.dep_ in ("dobj", "pobj") and head.lemma_.lower() in lex["escaped_governors"] \
                    and cls in lex["escapable_classes"]:
                return False  # 'had escaped arrest'; not 'escaped an attack'
            levels += node.dep_ not in ("conj", "compound", "prep")  # a preposition and its object are one step
            node = head
        return True

    @staticmethod
    def _not_an_act(tok: Token) -> bool:
        """What an act is for or could do ('sent troops to fight', 'missiles to target radars', 'capable of
        striking', 'will be able to use missiles to strike', 'aid to help it fight'), an act feared or avoided
        ('the threat of missile strikes', 'short of bombing'), a cause or a habit ('in its fight against
        aggression', 'the constant attacks'), or one named to be described or judged ('Egypt's attack was an
        unprovoked act of aggression', 'the counter-offensive is strategically important'): not what happened.
        'Began to withdraw', 'tried to use drones to strike', 'were forced to retreat', 'fighting was heavy
        around Lysychansk' did happen."""
        lex = _lex()
        head = tok.head
        if tok.pos_ == "VERB" and tok.tag_ == "VB" and head.lemma_.lower() in lex["enabling_verbs"] and head.tag_ == "VB":
            return True  # 'aid to help it fight the Russians'; not 'troops helped separatists storm the town'
        if tok.pos_ == "NOUN" and tok.lemma_.lower() in lex["causes"] and any(
                c.dep_ == "poss" and c.pos_ == "PRON" for c in tok.children):
            return True  # 'in its fight against Russian aggression': a cause, not a battle
        doing = tok if tok.pos_ == "VERB" else head if tok.dep_ == "dobj" and head.pos_ == "VERB" else None
        while doing is not None and doing.dep_ == "conj" and doing.tag_ == "VB" and doing.head.tag_ == "VB":
            doing = doing.head  # 'their duty to fight for Russia and liberate Donbas': the 'to' is the first verb's
        while doing is not None and doing.tag_ == "VB" and any(
                c.dep_ == "aux" and c.lower_ == "to" for c in doing.children):
            # 'sent troops to fight', 'opposed the plan to build a checkpoint'; not 'used water cannon to disperse'
            if doing.dep_ == "acl" and doing.head.pos_ in ("NOUN", "PROPN") \
                    and doing.head.lemma_.lower() not in lex["attempt_nouns"]:
                return True  # 'the special operation to occupy the peninsula'; not 'an attempt to storm the base'
            if doing.head.lemma_.lower() in lex["capacity_words"] and not _done(doing.head.head):
                return True  # 'will be able to use British weapons to strike'; not 'were able to', 'has been able to'
            governor = next((t for t in doing.ancestors if t.pos_ in ("VERB", "AUX")), None)
            if governor is not None and governor.lemma_ == "be" and any(
                    c.dep_ == "nsubj" and c.lemma_.lower() in lex["irrealis_nouns"] for c in governor.children):
                return True  # 'his goal is to seize all of Donetsk'
            if governor is None or governor.lemma_.lower() not in lex["realis_governors"]:
                return governor is not None
            doing = governor  # 'tried to use drones to strike': the act is done if 'tried to use' is
        # 'the threat of missile strikes', 'the risk of Russia striking Kyiv', 'the threat of Putin authorising a
        # nuclear strike'
        for named in (tok, head) if tok.dep_ == "dobj" and head.pos_ == "VERB" else (tok,):
            noun = named.head.head if named.dep_ in ("pcomp", "pobj") and named.head.lower_ in ("of", "to", "for") \
                else named.head if named.dep_ == "acl" and named.tag_ == "VBG" else None  # 'the threat of Putin
            # authorising a strike', as the parser reads it
            if noun is not None and noun.lemma_.lower() in lex["irrealis_nouns"] \
                    and noun.head.lemma_.lower() not in lex["accomplishing_verbs"]:
                return True  # not 'completed the mission of launching airstrikes'
        if tok.dep_ == "pobj" and head.lower_ == "against" and head.head.lemma_.lower() in lex["protection_words"]:
            return True  # 'defence against chemical attacks'
        if tok.dep_ == "pobj" and head.lower_ == "from" and head.head.lemma_.lower() in lex["shielding_verbs"] \
                and tok.tag_ == "NNS" and not any(c.dep_ in ("det", "poss", "nummod") for c in tok.children):
            return True  # 'to protect his country from cross-border attacks'; not 'protected Kyiv from a missile attack'
        if tok.pos_ == "NOUN" and tok.dep_ in ("dobj", "pobj", "conj", "compound") \
                and next((a for a in tok.ancestors if a.pos_ == "VERB"), head).lemma_.lower() in lex["supply_verbs"]:
            return True  # 'supplying Ukraine with 300,000 rounds of artillery shells': aid, not an attack
        for named in EventFinder._act_and_its_measure(tok):  # 'the current waves of missile attacks'
            if named.pos_ == "NOUN" and any(m.lower_ in lex["habitual_modifiers"] for c in named.children
                                            if c.dep_ == "amod" for m in (c, *(g for g in c.children if g.dep_ == "conj"))):
                return True  # 'the constant attacks', 'widespread and systematic torture'
            if named.tag_ == "NNS" and any(c.dep_ == "amod" and c.lower_ in lex["vague_plural_modifiers"]
                                           for c in named.children):
                return True  # 'the recent Russian attacks on its port cities': acts summed up, not one told
        if EventFinder._habitual(tok if tok.pos_ == "VERB" else clause_verb(tok)):
            return True
        if EventFinder._over_a_period(tok) or EventFinder._an_alternative(tok):
            return True
        if tok.dep_ == "pcomp" and head.head.lemma_.lower() in lex["capacity_words"]:
            return True
        verb = clause_verb(tok)
        while verb.dep_ == "conj" and verb.head.pos_ == "VERB":
            verb = verb.head  # 'taking part or intervening in a fight is ...'
        judged = next((v for v in (tok, verb) if v.dep_ in ("nsubj", "csubj")), None)
        if judged is None or judged.dep_ == "nsubj" and judged.pos_ != "NOUN":
            return False
        copula = judged.head  # 'the counter-offensive is strategically important', 'intervening in a fight is
        return copula.lemma_ in ("be", "become", "remain") and any(  # one of the commonest reasons'
            c.dep_ == "attr" or c.dep_ == "acomp" and c.lemma_.lower() in lex["judged_qualities"]
            for c in copula.children)

    @staticmethod
    def _began_a_state(tok: Token) -> bool:
        """'since Russia captured Crimea', 'a drop in violence since the cleric declared a ceasefire': when a
        state of things began, whatever the act; not 'since rebels seized it on Tuesday'."""
        verb = clause_verb(tok)
        return (any(c.dep_ == "mark" and c.lower_ == "since" for c in verb.children)
                or verb.dep_ == "pcomp" and verb.head.lower_ == "since") \
            and not any(t.ent_type_ == "DATE" for t in verb.subtree)

    @staticmethod
    def _habitual(verb: Token) -> bool:
        """'Russian forces shell Nikopol almost daily', 'militants frequently attack checkpoints', 'killing
        1,000 troops each day': what a party does again and again, not one act ('stabbed him repeatedly' is one)."""
        lex = _lex()
        for c in verb.children:
            if c.dep_ == "advmod" and c.lower_ in lex["habitual_adverbs"]:
                return True
            if c.dep_ in ("npadvmod", "advmod") and c.lemma_.lower() in lex["period_units"] and any(
                    d.lower_ in ("every", "each", "a", "per") for d in c.children):
                return True
        return False

    @staticmethod
    def _diplomatic_protest(tok: Token) -> bool:
        """'The foreign ministry summoned the French ambassador to protest against his remarks', 'Poland protested
        it was under attack': a state's protest is diplomacy, not people in the street (`diplomatic_protesters`)."""
        verb = tok if tok.pos_ == "VERB" else tok.head if tok.dep_ == "dobj" else None  # 'lodged a protest'
        if verb is None:
            return False
        doer = _subject(verb)
        head = next((t for t in doer if t.dep_ in ("nsubj", "pobj") or t.head not in doer), None)
        if head is None:
            return False
        words = _lex()["diplomatic_protesters"]
        return head.lemma_.lower() in words or head.lower_ in words or (
            normalise(head.text) in country_markers() and head.ent_type_ == "GPE")  # 'Poland', not 'Iraqis'

    @staticmethod
    def _still_to_come(tok: Token) -> bool:
        """'arrested two party leaders on the eve of marches called by the party', 'ahead of a banned rally':
        the protest comes after the act told (`anticipating_words`), not in this report."""
        if tok.dep_ != "pobj":
            return False
        preposition = tok.head
        words = _lex()["anticipating_words"]
        return preposition.lower_ in words or preposition.lower_ == "of" and (
            preposition.head.lower_ in words or preposition.i > 0 and tok.doc[preposition.i - 1].lower_ in words)

    @staticmethod
    def _act_and_its_measure(tok: Token) -> list[Token]:
        """A noun act and the noun that measures it out ('waves' in 'the current waves of attacks'), or the
        list it is a bare member of ('constant shelling and airstrikes'), whose modifiers tell the same: acts
        summed up or repeated. A member with its own determiner is its own ('ongoing clashes and a car bombing')."""
        head = tok.head
        if tok.dep_ == "pobj" and head.lower_ == "of" and head.head.pos_ == "NOUN" and head.head.i != tok.i:
            return [tok, head.head]
        if tok.dep_ == "conj" and head.pos_ == "NOUN" and tok.pos_ == "NOUN" and not any(
                c.dep_ in ("det", "poss", "nummod") for c in tok.children):
            return [tok, head]
        return [tok]

    @staticmethod
    def _a_course_so_far(tok: Token) -> bool:
        """A course of the war, not one act: told in the perfect progressive over weeks or more ('Russia has
        been stretching Ukrainian defences for months, trying to capture territory'), or with no day and no
        town to it ('has been recruiting mercenaries from Belarus'); a relative clause in the perfect with no
        day ('the coalition that has fought the Islamic State'); acts summed up over 'this war' with no day
        ('the only regional capital Russia has captured in this war'); kinds of things listed as destroyed in
        the perfect with no day ('its missiles have destroyed supply trains, bridges and roads'). Not 'have been shelling Kharkiv,
        the governor said', 'have been shelling Kharkiv since they crossed the border on Friday', 'launched
        its biggest drone attack in this war on Sunday'."""
        lex = _lex()
        verb = clause_verb(tok)
        for _ in range(3):  # up an 'trying to capture' or 'seeking to' to the verb told in the perfect
            if verb.dep_ in ("xcomp", "advcl", "conj") and verb.tag_ in ("VB", "VBG") and verb.head.pos_ in ("VERB", "AUX"):
                verb = verb.head
        auxiliaries = {c.lower_ for c in verb.children if c.dep_ == "aux"}
        progressive = verb.tag_ == "VBG" and "been" in auxiliaries and bool(auxiliaries & {"has", "have", "had"})
        describing = verb.dep_ == "relcl" and verb.tag_ == "VBN" and bool(auxiliaries & {"has", "have"}) and not any(
            c.lower_ in ("where", "when") for c in verb.children)  # 'Izyum, where 59 bodies have been exhumed'
        war_so_far = any(any(d.lower_ in ("this", "entire", "whole") for d in c.children)
                         for prep in verb.children if prep.dep_ == "prep" and prep.lower_ in ("in", "during", "throughout")
                         for c in prep.children if c.dep_ == "pobj" and c.lemma_.lower() in lex["campaign_nouns"])
        summed_up = verb.tag_ == "VBN" and bool(auxiliaries & {"has", "have"}) and any(
            _bare_plural_list(c) for c in verb.children if c.dep_ == "dobj")
        if not (progressive or describing or war_so_far or summed_up):
            return False
        if progressive and any(EventFinder._a_long_stretch(c) for c in verb.children if c.dep_ == "prep"):
            return True
        told = sentence_of(tok) if progressive else verb.subtree  # a live report's day may be its teller's
        if any(t.ent_type_ in ("DATE", "TIME") and not EventFinder._in_a_long_stretch(t) for t in told):
            return False
        described = {t.i for c in verb.subtree if c.dep_ in ("acl", "relcl") for t in c.subtree}  # 'trains used
        # to carry troops from Crimea to Kherson': where the things listed go, not where they were hit
        town = any(m.place.feature != "country" and verb.left_edge.i <= m.start <= verb.right_edge.i
                   and not (summed_up and m.start in described) for m in tok.doc._.wl_places or [])
        return describing or war_so_far or not town

    @staticmethod
    def _a_long_stretch(prep: Token) -> bool:
        """'for months', 'over the past years': a stretch of weeks or more (`course_stretches`); not 'for three
        days', 'over the past week'."""
        return prep.lower_ in ("for", "over") and any(w.lower_ in _lex()["course_stretches"] for w in prep.subtree)

    @staticmethod
    def _in_a_long_stretch(word: Token) -> bool:
        carrier = next((a for a in word.ancestors if a.dep_ == "prep"), None)
        return carrier is not None and EventFinder._a_long_stretch(carrier)

    @staticmethod
    def _an_alternative(tok: Token) -> bool:
        """'designed to strangle the juntas rather than seize ground', 'instead of attacking': the act set aside."""
        before = " ".join(t.lower_ for t in tok.doc[max(tok.i - 3, 0):tok.i] if t.lower_ != "to")
        return any(before.endswith(words) for words in _lex()["alternatives"])

    @staticmethod
    def _before_the_news(tok: Token) -> bool:
        """An act years back, dated from now (`_years_back`); and the act a court judges in a sentence that
        reports the judgement ('A court convicted two men of murder over the downing of flight MH17';
        `legal_verbs`)."""
        lex = _lex()
        verb = tok if tok.pos_ == "VERB" else clause_verb(tok)
        if any(_years_back(c) for c in (*verb.children, *tok.children)):
            return True
        root = sentence_of(tok).root
        judged = root.lemma_.lower() in lex["legal_verbs"] and any(  # 'convicted two men of murder over ...'
            c.dep_ == "prep" and c.lower_ in ("of", "with", "over", "for") or c.dep_ == "dobj" for c in root.children)
        charged_at = root.lemma_.lower() == "charge" and not any(  # 'police charged at protesters' is no court
            c.dep_ == "prep" and c.lower_ in ("with", "over") for c in root.children)
        return judged and not charged_at and root.i != tok.i and not (tok.dep_ == "conj" and tok.head.i == root.i)

    @staticmethod
    def _over_a_period(tok: Token) -> bool:
        """'despite weeks of heavy attacks', 'after months of Ukraine regaining territory': acts spread over
        weeks or more are a course of the war, not one event ('after hours of fighting' is one)."""
        periods = _lex()["period_nouns"]
        of = tok.head if tok.dep_ == "pobj" else next(
            (t for t in tok.doc[max(tok.i - 3, 0):tok.i] if t.lower_ == "of"), None)  # 'of Ukraine regaining'
        return of is not None and of.lower_ == "of" and of.i > 0 and of.doc[of.i - 1].lower_ in periods \
            and not any(t.pos_ == "VERB" for t in tok.doc[of.i + 1:tok.i])

    # one trigger, one event per place it names
    def _events(self, doc: Doc, tok: Token, cls: str, source_tokens: set[int], earlier: list[EventRecord],
                denial: bool = False) -> list[EventRecord]:
        """`earlier`: the events before it in the text ('the attack' may name one again; 'the forces' may be
        a party named in one). A `denial` needs no place or date of its own: it answers a report of one."""
        if self._part_of_another(tok, cls) or (
                cls in _lex()["violent_classes"] and earlier and self._refers_back(doc, tok)):
            return []
        places = self._places(doc, tok, source_tokens, strike=cls in _lex()["attack_classes"])
        told = self._told_date(doc, tok)
        dated = self._dating(doc, told)
        if self._history(doc, told) or (cls in _lex()["counted_classes"] and self._running_total(tok)):
            return []
        scopes = self._scopes(tok)
        if scopes.has("sentence", "past_wars") or (cls in _lex()["violent_classes"] and scopes.has("sentence", "remembrance")):
            return []  # "he had fought in World War I", "the tenth anniversary of the downing": not news (a march
            # to commemorate is a protest)
        if dated[3] is False and (self._where_a_visit_went(tok) or scopes.has("clause", "period_of_acts")
                                  or self._trend(tok)):
            return []  # "visited the church where a mass grave was discovered": the place's past; "for months",
            # "has shifted from offensives to raids": a trend
        sent = sentence_of(tok)
        own_day = told is not None and sent.start <= told.start_token < sent.end
        if not denial and not any(m.place.feature != "country" for m, _ in places) \
                and not self._counted_toll(doc, tok) and (
                    dated[3] is False and cls in _lex()["need_place_or_date"] and (
                        self._ongoing(tok) or not places and not self._names_a_country(doc, tok))
                    or not own_day and tok.pos_ == "VERB" and self._told_in_present(tok)):
            return []  # a generalisation over a war, not one event; a war's course with a country at most; any
            # act told in the present with neither a day of its sentence's nor a town ('residents are mobilised
            # into the army': a day earlier in the paragraph is the report's, not the habit's)
        attribution = attribution_at(doc, tok)
        speaker_side = attribution.source.side if attribution.source is not None else None
        out = []
        war_setting = any(at_war(m.place.country_code, dated[0]) for m, _ in places)
        for mention, precision in places or [(None, None)]:
            place = mention.place if mention is not None else None
            actor1, actor2 = self._actors(tok, cls, speaker_side, place, earlier)
            kinds = (actor1.kind if actor1 else "none", actor2.kind if actor2 else "none")
            sub = sub_type(cls, *kinds, scopes)
            if sub is None or not in_conflict(sub, *kinds, scopes, war_setting):
                return []
            out.append(EventRecord(tok, event_type_of()[sub], sub, actor1, actor2, place, precision, *dated,
                                   attribution.source))
        return out

    def _part_of_another(self, tok: Token, cls: str) -> bool:
        """'shelled Kherson, killing three': the killing is the shelling's toll, not an event of its own;
        'shelling hit Enerhodar': the hitting is the shelling."""
        if tok.dep_ == "xcomp" and self._class(tok.head) is not None:
            return True  # "shelling hit Enerhodar": one attack told by two words
        if cls == "kill" and any(self._class(t) in _lex()["attack_classes"] for c in tok.children
                                 if c.dep_ in ("advcl", "prep", "agent") for t in c.subtree):
            return True  # "a civilian was killed when Russian forces shelled Kherson", "killed in shelling"
        if cls != "kill" or tok.dep_ not in ("advcl", "xcomp", "conj", "acl", "relcl") or tok.head.i == tok.i:
            return False
        # the head is an attack, or its subject is ("shelling hit Enerhodar, killing one person")
        return self._class(tok.head) is not None or any(
            c.dep_ in ("nsubj", "nsubjpass") and self._class(c) is not None for c in tok.head.children)

    @staticmethod
    def _refers_back(doc: Doc, tok: Token) -> bool:
        """'blamed each other for the attack': a definite noun with no place or date of its own
        names an event already reported."""
        if tok.pos_ != "NOUN" or not any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in tok.children):
            return False
        inside = {t.i for t in tok.subtree}
        placed = any(m.start in inside for m in doc._.wl_places or [])
        dated = any(d.start_token in inside for d in doc._.wl_dates or [])
        return not placed and not dated and tok.dep_ in ("pobj", "dobj", "nsubjpass")

    @staticmethod
    def _history(doc: Doc, told: ResolvedDate | None) -> bool:
        """'The fort was captured in 1934': background told by a report, long before it was written (or,
        with no date of writing, long before the latest day the report names); an act a report dates only by
        its month or year ('In April, its drones hit a refinery' in July) is background sooner, and so is one
        dated without its year ('on March 3', 'in late January', 'last month'), which a report writes of an
        act it recalls, not of one it reports (a rights report dating acts months back gives the year)."""
        article = doc._.wl_article
        now = article.published if article is not None and article.published is not None \
            else max((d.date_end for d in doc._.wl_dates or []), default=None)
        if told is None or now is None:
            return False
        lex = _lex()
        limit = lex["history_days"] if PRECISION.get(told.precision, 2) < PRECISION["month"] \
            else lex["history_days_month_dated"]
        if not told.states_year:
            limit = min(limit, lex["history_days_yearless"])
        return (now - told.date_end).days > limit

    @staticmethod
    def _names_a_country(doc: Doc, tok: Token) -> bool:
        """'Kiev troops shell DPR', 'Russia attacks Ukraine': a country named beside the act (even as the
        actor's) makes it one act, though not its place."""
        sent = sentence_of(tok)
        return any(sent.start <= m.start < sent.end and m.place.feature == "country"
                   and not _stands_for_a_party(doc, m, doers=False) for m in doc._.wl_places or [])

    @staticmethod
    def _where_a_visit_went(tok: Token) -> bool:
        """'He was taken to Bucha and Irpin, where scores of civilians were killed', 'visited the church where
        a mass grave was discovered': an act told of a place someone visits is that place's past, not news."""
        clause = next((t for t in [tok, *tok.ancestors] if t.dep_ in ("relcl", "acl")), None)
        if clause is None:
            return False
        visitor = clause_verb(clause.head)
        while visitor.dep_ in ("relcl", "acl") and visitor.head.i != visitor.i:
            visitor = clause_verb(visitor.head)  # 'paid her respects to those who died in Bucha, which was occupied'
        return visitor.lemma_.lower() in _lex()["visit_verbs"]

    @staticmethod
    def _ongoing(tok: Token) -> bool:
        """'Russian forces are gaining ground in Ukraine', 'Russia has been bombarding Ukraine', 'war is
        being fought', 'fighting continues', 'forces continue to fight', 'rescuers often arrive after Russian
        attacks': a war's course or habit, which a country alone does not make one event. A headline's
        present ('Russia attacks Ukraine') tells one act."""
        verb = clause_verb(tok)
        if EventFinder._trend(tok):
            return True
        chain = [verb]
        while chain[-1].dep_ == "xcomp" and chain[-1].head.pos_ in ("VERB", "AUX"):
            chain.append(chain[-1].head)  # 'continue to fight'
        headline = sentence_of(tok).start == 0
        for v in chain:
            auxes = [c for c in v.children if c.dep_ in ("aux", "auxpass")]
            progressive = v.tag_ == "VBG" and any(c.lemma_ == "be" for c in auxes)
            if progressive or v.tag_ == "VBN" and any(c.lower_ == "being" for c in auxes):
                return True
            if _present(v) and (not headline or v.lemma_.lower() in _lex()["ongoing_verbs"]):
                return True
        return False

    @staticmethod
    def _told_in_present(tok: Token) -> bool:
        """'Residents are mobilised into the army', 'workers strike for pay': a habit or a state, outside a
        headline (whose present tells one act)."""
        return not _in_headline(tok) and _present(clause_verb(tok))

    @staticmethod
    def _trend(tok: Token) -> bool:
        """'Ukrainian forces have multiplied attacks inside Russia', 'the campaign has shifted from offensives to
        raids': acts' trend (`trend_verbs`), not one act."""
        verb = clause_verb(tok)
        return tok.pos_ == "NOUN" and tok.dep_ not in ("nsubj", "nsubjpass") and verb.i != tok.i \
            and verb.lemma_.lower() in _lex()["trend_verbs"]

    @staticmethod
    def _running_total(tok: Token) -> bool:
        """'Russia killed 383 children in Ukraine since the invasion', 'so far this year': a count over a
        war or a period is a claim (the quantities stage keeps it), not one event and its toll."""
        verb = clause_verb(tok)  # 'Israeli strikes have killed 30,000 people ... since the war began'
        others = {t.i for c in verb.subtree if c.dep_ == "relcl" and not c.left_edge.i <= tok.i <= c.right_edge.i
                  for t in c.subtree}  # '... from the coalition, which had held it since 2014': that clause's time
        clause = [t for t in verb.subtree if t.i not in others]
        if not any(t.like_num for t in clause):
            return False
        shared = verb.head if verb.dep_ == "conj" else verb  # 'have killed ... and arrested ...'
        perfect = any(c.dep_ == "aux" and c.lemma_ == "have" for c in (*verb.children, *shared.children))
        since_then = perfect and any(  # 'have killed more than 6,000 people since the February 2021 coup'
            t.dep_ == "pobj" and t.head.lower_ == "since" and (
                t.lemma_.lower() in _lex()["turning_points"]
                or any(g.ent_type_ == "DATE" and re.fullmatch(r"\d{4}", g.text) for g in t.subtree))
            for t in clause)
        by_a_campaign = perfect and any(t.dep_ in ("nsubj", "nsubjpass") and t.lemma_.lower() in _lex()["campaign_nouns"]
                                        for t in verb.children)  # the subject's head, not 'a Russian bombardment'
        return since_then or by_a_campaign or Scopes(tok, clause, []).has("clause", "running_total")

    @staticmethod
    def _counted_toll(doc: Doc, tok: Token) -> bool:
        """'Two soldiers killed', 'attack injures three soldiers': a small, stated toll marks one
        incident, not a war's total."""
        sent = sentence_of(tok)
        if any(is_death_word(t) and _people_named(t) for t in sent):
            return True  # "Ukrainian soldier killed in clashes"
        return any(sent.start <= q.start < sent.end and q.category in TOLLS and q.qualifier in ("exact", "at_least")
                   and (q.best or q.low or 0) < INCIDENT_TOLL for q in (doc._.wl_claims or []))

    @staticmethod
    def _scopes(tok: Token) -> Scopes:
        """The words around a trigger that the sub-type rules read (event_types.py)."""
        verb = tok if tok.pos_ == "VERB" else tok.head
        clause = list(tok.subtree)
        if verb.pos_ == "VERB":
            clause += _subject(verb)
        head = phrase_of(tok)
        # what the trigger acts on, not what a verb joined to it or a clause after it does to something else
        # ("took the base and looted weapons", "overran the camp, seizing weapons"); a shared object stays
        # ("recovered and defused two bombs")
        own = any(c.dep_ == "dobj" for c in head.children)
        joined = {t.i for c in head.children if own and c.dep_ in ("conj", "advcl") and c.pos_ in ("VERB", "AUX")
                  for t in c.subtree}  # 'overran the camp after a dawn assault, seizing vehicles and weapons'
        objects = [t for t in head.subtree if t.i > tok.i and t.i not in joined] + _object(tok) + _patient(verb)
        return Scopes(tok, clause, objects)

    def _actors(self, tok: Token, cls: str, speaker_side: str | None, place: GazPlace | None,
                earlier: list[EventRecord] = ()):
        place_country = place.country_code if place is not None else None
        verb = tok if tok.pos_ == "VERB" else None
        # the doer after 'by', or after 'to' where the subject yields ('the town fell to the rebels')
        yields = tok.lemma_.lower() in _lex()["yielding_verbs"]
        agent = ("by", "to") if yields else ("by",)
        by = [t for c in tok.children if c.dep_ == "prep" and c.lower_ in agent for t in c.subtree]
        if verb is not None and _headline_passive(verb):
            first = None  # 'Protester killed in Nairobi': the subject is who was killed
            second = actor_in(_subject(verb), speaker_side, place_country)
        elif verb is not None:
            # a gerund with its doer after "by" ("killed in shelling by the army") is not the clause's subject's act
            doer = by if (verb.tag_ == "VBG" or yields) and by else _subject(verb)
            if doer and all(t.pos_ == "PRON" for t in doer) and verb.dep_ == "ccomp" and verb.head.i != verb.i:
                speaker = _subject(verb.head)  # 'the Guard announced that they had removed him': they are the Guard
                party = actor_in(speaker, speaker_side, place_country)
                if party is not None and party.kind in ("military", "police", "group", "government"):
                    doer = speaker  # not 'he was fighting cancer, his family said'
            first = _told_party(actor_in(doer, speaker_side, place_country), doer, earlier, tok)
            second = actor_in(_antecedent(_object(verb, partner=cls in _lex()["two_sided_classes"])),
                              speaker_side, place_country)
        else:
            by += _doer_hung_on_victim(tok)
            modifiers = [t for c in tok.children if c.dep_ in ("amod", "compound", "poss", "nmod") for t in c.subtree]
            first = actor_in(modifiers + by, speaker_side, place_country)
            if first is None and tok.head.pos_ == "VERB" and tok.dep_ in ("dobj",) and (
                    not is_cue(tok.head) or cls in ("change", "agreement")):
                # "Russia launched an offensive"; "Russia announced a mobilisation" (its own act, not a report)
                first = actor_in(_subject(tok.head), speaker_side, place_country)
            if first is None and tok.dep_ == "pobj" and tok.head.head.pos_ == "VERB" and is_death_word(tok.head.head):
                first = actor_in(_subject(tok.head.head), speaker_side, place_country)  # "RSF killed 100 in an attack"
            preps = ("on", "against", "of", "at", "with") if cls in _lex()["two_sided_classes"] else ("on", "against", "of", "at")
            doers = {t.i for t in by}
            targets = [t for c in tok.children if c.dep_ == "prep" and c.lower_ in preps for t in c.subtree
                       if t.i not in doers]
            if not targets and cls in _lex()["two_sided_classes"] and tok.dep_ == "pobj" and tok.head.head.pos_ == "VERB":
                # "killed during a shootout with police": the partner hangs on the verb
                targets = [t for c in tok.head.head.children if c.dep_ == "prep" and c.lower_ == "with"
                           and not _is_time(c) for t in c.subtree]
            second = actor_in(targets, speaker_side, place_country)
        if first is None and cls in ("change", "hq"):
            first = actor_in(list(phrase_of(tok).subtree), speaker_side, place_country)  # "a build-up ... at the Russian-occupied plant"
        if cls == "capture":
            losers = [t for c in tok.children if c.dep_ == "prep" and c.lower_ == "from" for t in c.subtree]
            second = actor_in(losers, speaker_side, place_country) or second
        if first is not None and second is not None and first.name == second.name:
            second = None
        violent = cls in _lex()["violent_classes"]
        if not violent and cls not in _lex()["targeted_classes"]:
            second = None  # a build-up or a recruitment drive has no target
        if violent and first is None:
            if second is not None and second.state and only_enemy(second.side):
                first = military(only_enemy(second.side))
            elif state(speaker_side) and only_enemy(speaker_side):
                first = military(only_enemy(speaker_side))  # a side reporting strikes on itself names no attacker
        if violent and second is None:
            second = _victims(tok, cls, speaker_side, place_country)
        if violent and second is None and cls in _lex()["two_sided_classes"] and first is not None and first.state:
            enemy = only_enemy(first.side)
            if enemy:
                second = military(enemy)
        return first, second

    @staticmethod
    def _places(doc: Doc, tok: Token, source_tokens: set[int], strike: bool = False) -> list[tuple[PlaceMention, int]]:
        """The places an event happened at, a town in a teller's title last ('Kherson governor X said shelling
        killed two in Beryslav' is at Beryslav; 'Kharkiv governor X said a missile killed two' at Kharkiv)."""
        titles = _title_tokens(doc) - source_tokens
        found = EventFinder._places_told(doc, tok, source_tokens | titles, strike) if titles else []
        return found or EventFinder._places_told(doc, tok, source_tokens, strike)

    @staticmethod
    def _places_told(doc: Doc, tok: Token, source_tokens: set[int], strike: bool) -> list[tuple[PlaceMention, int]]:
        """The places an event happened at: named in the trigger's phrase or its clause, else 'the city'."""
        mentions = _event_place_mentions(doc, source_tokens)
        sent = sentence_of(tok)
        actor = {t.i for t in _subject(tok if tok.pos_ == "VERB" else tok.head)}
        # 'Russia killed 383 children in Ukraine': the actor's country is who, not where
        in_sentence = [m for m in mentions if sent.start <= m.start < sent.end
                       and not (m.place.feature == "country" and m.start in actor) and not _provenance(doc, m, tok, strike)
                       and not _stands_for_a_party(doc, m)]
        recipients = [m for m in in_sentence if _handed_to(doc, m)]
        if any(m.place.feature != "country" and m not in recipients for m in in_sentence):
            in_sentence = [m for m in in_sentence if m not in recipients]
        headings = [m for m in in_sentence if _heading(doc, m, tok)]
        if any(m not in headings for m in in_sentence):
            in_sentence = [m for m in in_sentence if m not in headings]
        subtree = _own_words(phrase_of(tok))
        verb = clause_verb(tok)
        clause = _own_words(verb)
        chosen = [m for m in in_sentence if m.start in subtree] or [m for m in in_sentence if m.start in clause]
        if not chosen:
            chosen = _definite_place(doc, tok, mentions) or [m for m in in_sentence if m.place.feature != "country"]
        if chosen and all(m.place.feature == "country" for m in chosen):
            # "shelling the city to blame Ukraine"; 'near Tamu, the army built a checkpoint on the road that
            # links Myanmar and India': a country is where only when its sentence names nothing finer in it
            states = {m.place.country_code for m in chosen}
            finer = [m for m in in_sentence if m.place.feature != "country" and m.place.country_code in states
                     and not _where_told(doc, m)]
            chosen = _definite_place(doc, tok, mentions) or finer or chosen
        if not chosen:
            return []
        literal = [m for m in chosen if not _names_something_else(doc, m, tok)]
        only_countries_named_as_modifiers = not literal and all(m.place.feature == "country" for m in chosen)
        if any(m.place.feature != "country" for m in literal) or only_countries_named_as_modifiers:
            chosen = literal  # not 'a Kharkiv apartment block ... in eastern Ukraine' put in Ukraine, nor 'waving
            # Korean and US flags' in the United States
        own = [m for m in chosen if not _in_relative_clause(m.span(doc), verb)]
        if any(m.place.feature != "country" for m in own):
            chosen = own  # 'a journalist who had criticised operations in Amhara, at his home in Addis Ababa'
        specific = [m for m in chosen if m.place.feature != "country"]
        chosen = specific or chosen
        # a region naming where a town is ("Kherson city in the south") is not a second event
        towns = [m for m in chosen if m.place.feature in ("populated_place", "facility")]
        admins = {m.place.admin1 for m in towns}
        chosen = [m for m in chosen if not (m.place.feature == "admin1" and m.place.admin1 in admins)]
        # nor is a unit above the admin-1 ('Penjwen in the Kurdistan Region of Iraq', an island's province)
        states = {m.place.country_code for m in towns}
        chosen = [m for m in chosen if not (_above_admin1(m.place) and m.place.country_code in states)]
        chosen = [m for m in chosen if not _describes_another(doc, m, chosen) and not _locates_another(doc, m, chosen)]
        # nor is the town a square or building stands in, however the parse hangs it ('clashed in Syntagma Square
        # in Athens'), unless the two are listed side by side ('the plant and Nikopol', 'at Azadi Square and in Karaj')
        sites = [m for m in chosen if m.place.feature == "facility"]
        chosen = [m for m in chosen if not (m.place.feature == "populated_place" and any(
            haversine_km(m.place.latitude, m.place.longitude, f.place.latitude, f.place.longitude) <= SITE_IN_TOWN_KM
            and not _listed_together(doc, m, f) for f in sites))]
        # nor is a lake or sea beside land ('in Baga Sola, on the shores of Lake Chad in Lac province'), unless the
        # land is only a bearing ('a vessel in the Gulf of Aden, 80 nautical miles southeast of Aden')
        if any(m.place.feature in LAND_FEATURES and not _bearing(doc, m) for m in chosen):
            chosen = [m for m in chosen if m.place.feature != "water"]
        out, seen = [], set()
        for m in chosen:
            if m.place.id in seen:
                continue
            seen.add(m.place.id)
            out.append((m, _geo_precision(m)))
        return out

    def _told_date(self, doc: Doc, tok: Token) -> ResolvedDate | None:
        """The date the text gives an act: the trigger's clause first, then its sentence, then the quote's
        report, then its paragraph before it ('02 June. Boko Haram engaged NAF'); a calendar date before a
        relative one ('On 4 May 2025, overnight'), a finer one before a coarser ('Around 3 March 2021
        (between 2 - 4 March)'), one with its year before one without."""
        dates: list[ResolvedDate] = [d for d in (doc._.wl_dates or []) if d.kind != "duration"]
        sent = sentence_of(tok)
        in_sentence = [d for d in dates if sent.start <= d.start_token < sent.end]
        subtree = {t.i for t in tok.subtree}
        verb = tok
        while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
            verb = verb.head
        in_sentence = [d for d in in_sentence if not _bracketed_apart(doc, d, tok)]
        attached = [d for d in in_sentence if doc[d.start_token:d.end_token].root.head.i in subtree | {verb.i}
                    and not _bounds_another(doc, d) and not _in_relative_clause(doc[d.start_token:d.end_token], verb)]
        paragraph = paragraph_of(tok)
        earlier = [d for d in dates if paragraph.start <= d.start_token < sent.start and not _bracketed_apart(doc, d, tok)]
        chosen = (attached or in_sentence or self._quote_report_dates(doc, tok, dates) or earlier[-1:])
        article = doc._.wl_article
        published = article.published if article is not None else None
        if all(d.relative for d in chosen):  # 'was hit overnight ... The attack came on 22 September 2022.'
            chosen = chosen + [d for d in _told_back_dates(doc, dates, sent, paragraph)
                               if (published is None or d.date_end <= published)
                               and all(abs((d.date_start - r.date_start).days) <= TOLD_BACK_DAYS for r in chosen)]
        if not chosen:
            return None
        return min(chosen, key=lambda d: (d.relative, PRECISION.get(d.precision, 2), not d.states_year,
                                          abs(d.start_token - tok.i)))  # 'On 8 August 2020 ... the 12 April base'

    @staticmethod
    def _dating(doc: Doc, told: ResolvedDate | None) -> tuple[date | None, date | None, int, bool, date | None]:
        """(start, end, ACLED time precision, whether the text gave the date, the day it is coded on); with
        no date told, the day before publication to publication."""
        if told is not None:
            return told.date_start, told.date_end, PRECISION.get(told.precision, 2), True, told.coded_day
        article = doc._.wl_article
        published = article.published if article is not None else None
        if published is None:
            return None, None, 3, False, None
        return published - timedelta(days=1), published, 2, False, published

    @staticmethod
    def _quote_report_dates(doc: Doc, tok: Token, dates: list[ResolvedDate]) -> list[ResolvedDate]:
        """A quote carried on from an earlier paragraph takes the date its report was given."""
        attributor = doc._.wl_resolver
        quote = attributor.in_quote(tok.idx) if attributor is not None else None
        quotes = attributor.quotes if attributor is not None else []
        while quote is not None and quote.continues is not None:
            quote = quotes[quote.continues]
        if quote is None or quote.cue is None:
            return []
        sent = sentence_of(quote.cue)
        return [d for d in dates if sent.start <= d.start_token < sent.end]

    @staticmethod
    def merge(events: list[EventRecord]) -> list[EventRecord]:
        """One event for repeats in an article (same sub-type and place, compatible dates), and one for
        the acts one sentence tells of one incident ('attacked the base and overran it'), typed by the
        most telling of them (`one_incident_precedence`)."""
        rank = {sub: k for k, sub in enumerate(_lex()["one_incident_precedence"])}
        merged: list[EventRecord] = []
        for e in events:
            twin = next((m for m in merged if m.sub_event_type == e.sub_event_type and m.event_type == e.event_type
                         and (_same_place(m, e) or _in_region_of(m, e)) and _same_day(m, e)), None)
            if twin is not None and _in_region_of(twin, e) and twin.place.feature == "admin1":
                twin.place, twin.geo_precision = e.place, e.geo_precision  # told again at its town: the finer place
            if twin is None:
                twin = next((m for m in merged if m.sub_event_type in rank and e.sub_event_type in rank
                             and _one_telling(m, e) and _one_place(m, e) and _same_day(m, e)), None)
                twin_before = twin is not None and _told_as_before(twin.trigger)
                if twin is not None and not EventFinder._leaves_after_acting(twin, e) and not _told_as_before(e.trigger) \
                        and (rank[e.sub_event_type] < rank[twin.sub_event_type] or twin_before):
                    # the act told, not one named as what preceded it ('looted shops after an NAS ambush')
                    if twin_before:
                        twin.trigger = e.trigger
                    twin.event_type, twin.sub_event_type = e.event_type, e.sub_event_type
                    twin.actor1, twin.actor2 = e.actor1 or twin.actor1, e.actor2 or twin.actor2
            if twin is None:
                twin = EventFinder._protest_of_arrests(merged, e)
            if twin is None:
                merged.append(e)
                continue
            if e.explicit_date and not twin.explicit_date:
                twin.date_start, twin.date_end, twin.time_precision, twin.explicit_date, twin.day = (
                    e.date_start, e.date_end, e.time_precision, True, e.day)
            twin.source = twin.source or e.source
            twin.actor1 = twin.actor1 or e.actor1
            twin.actor2 = twin.actor2 or _facing(twin, e)
            twin.claims += [c for c in e.claims if c not in twin.claims]
            twin.fatalities = max(twin.fatalities, e.fatalities)
            twin.fatalities_low = twin.fatalities_low or e.fatalities_low
            twin.fatalities_high = twin.fatalities_high or e.fatalities_high
            twin.fatalities_unknown = twin.fatalities == 0 and (twin.fatalities_unknown or e.fatalities_unknown)
        return merged

    @staticmethod
    def _leaves_after_acting(act: EventRecord, later: EventRecord) -> bool:
        """'militants attacked the base and then withdrew', 'the attackers withdrew': the party that acted
        leaving the place ends its act; it takes no ground and hands none over."""
        return EventFinder._class(later.trigger) == "transfer" and later.actor1 is not None \
            and act.actor1 is not None and later.actor1.name == act.actor1.name

    @staticmethod
    def _protest_of_arrests(merged: list[EventRecord], e: EventRecord) -> EventRecord | None:
        """The protest an arrest was made at (one sentence, place and day), typed as met with intervention;
        None when the two are not one incident."""
        rule = _lex()["protest_arrests"]

        def pair(a: EventRecord, b: EventRecord) -> bool:
            return a.sub_event_type == "Arrests" and b.sub_event_type in rule["protests"]

        twin = next((m for m in merged if (pair(m, e) or pair(e, m)) and m.sentence.start == e.sentence.start
                     and _one_place(m, e) and _same_day(m, e)), None)
        if twin is None:
            return None
        protest, arrest = (e, twin) if pair(twin, e) else (twin, e)
        clause = clause_verb(arrest.trigger)
        if any(t.lemma_.lower() in rule["set_off_by"] for t in protest.trigger.ancestors) or any(
                c.dep_ in ("mark", "prep") and c.lower_ in rule["before_words"] for c in clause.children) or (
                clause.dep_ == "pcomp" and clause.head.lower_ in rule["before_words"]):
            return None  # 'protests erupted after police arrested him': the arrest came first, apart
        sub = rule["becomes"].get(protest.sub_event_type, protest.sub_event_type)
        twin.event_type, twin.sub_event_type = event_type_of()[sub], sub
        twin.actor1 = protest.actor1 or protesters(arrest.actor1.side if arrest.actor1 is not None else None)
        twin.actor2 = protest.actor2 or arrest.actor1
        return twin


def _bracketed_apart(doc: Doc, d: ResolvedDate, tok: Token) -> bool:
    """'The troops then held the village (Al Shabaab had taken it on 3 July - coded
    separately)': a date in brackets that tell another act, the trigger not among them, dates that act.
    A bare date in brackets ('Treaty of Moscow (1996).', 'Around 21 November (between 20 - 22 November)')
    still dates what is told around it."""
    opening = next((t.i for t in reversed(doc[paragraph_of(tok).start:d.start_token]) if t.text in "()"), None)
    if opening is None or doc[opening].text != "(":
        return False
    closing = next((t.i for t in doc[d.end_token:] if t.text == ")"), len(doc))
    return not opening < tok.i < closing and any(t.pos_ == "VERB" for t in doc[opening:closing])


def _bounds_another(doc: Doc, d: ResolvedDate) -> bool:
    """'protested after the previous day ...': a date after 'after' or 'before' dates what came before or
    after the act, not the act; 'since 2014' is how long a state of things has lasted."""
    root = doc[d.start_token:d.end_token].root
    return d.since or root.dep_ == "pobj" and root.head.lower_ in ("after", "before", "following", "since", "until", "till")


TOLD_BACK_DAYS = 7  # a later sentence's date may correct a relative one ('overnight') by this much at most


def _years_back(word: Token) -> bool:
    """'Nine years after the government and the FARC signed a peace accord', 'slain at the church a decade
    ago', 'toppled by a military revolt last year' (not 'shelled it last year and again on Monday'): a word
    that dates an act years back, even with no date of writing to count from."""
    if word.dep_ == "mark" and word.lower_ in ("after", "since"):
        return any(g.dep_ == "npadvmod" and g.lemma_.lower() in _lex()["history_units"] for g in word.children)
    if word.lower_ == "ago":
        return any(g.lemma_.lower() in _lex()["history_units"] for g in word.children)
    return word.dep_ == "npadvmod" and word.lemma_.lower() == "year" and any(g.lower_ == "last" for g in word.children) \
        and not any(t.lower_ == "again" or t.ent_type_ == "DATE" and not word.left_edge.i <= t.i <= word.i
                    for t in sentence_of(word))


def _told_back_dates(doc: Doc, dates: list[ResolvedDate], sent: Span, paragraph: Span) -> list[ResolvedDate]:
    """The first date a later sentence of the paragraph gives the act told before it: 'The attack came on 22
    September 2022', 'The march took place in Minsk on 30 August', 'Locals reported the camp on 12 September'
    (a verb that dates an act, `dating_verbs`, in a sentence that `_tells_back`)."""
    for d in dates:
        if not sent.end <= d.start_token < paragraph.end or d.relative:
            continue
        later = sentence_of(doc[d.start_token])
        verb = later.root
        node = doc[d.start_token:d.end_token].root
        while node.dep_ in ("pobj", "prep", "npadvmod") and node.head.i != node.i and node.head.i != verb.i:
            node = node.head
        if node.head.i == verb.i and verb.lemma_.lower() in _lex()["dating_verbs"] and _tells_back(later):
            return [d]
    return []


def _of_the_main_verb(tok: Token) -> bool:
    """A word of its sentence's main clause: the first verb above it is the sentence's root."""
    verb = next((a for a in tok.ancestors if a.pos_ in ("VERB", "AUX")), None)
    return verb is not None and verb.i == sentence_of(tok).root.i


def _tells_back(sent: Span) -> bool:
    """A sentence about the act told before it: its verb's subject or object is 'this', 'it' or the act named
    again ('The attack came on ...', 'Locals reported the camp on ...', 'The attack in Beledweyne, Hiraan
    region, killed 48 people'; a trigger or one of `incident_nouns`), not 'the bridge' or 'the summit'."""
    verb = sent.root
    for c in verb.children:
        if c.dep_ not in ("nsubj", "nsubjpass", "dobj") or c.ent_type_ in ("PERSON", "GPE", "ORG", "NORP"):
            continue
        act = c.lower_ in ("this", "it") or any(g.dep_ == "det" and g.lower_ in ("the", "this") for g in c.children) \
            and (c.lemma_.lower() in _lex()["incident_nouns"] or EventFinder.trigger_key(c) is not None)
        if act and (verb.lemma_.lower() in _lex()["dating_verbs"] or c.dep_ != "dobj"):
            return True
    return False


def _in_relative_clause(words: Span, verb: Token) -> bool:
    """'retook it from the coalition, which had held it since 2014', 'detained a journalist who had
    criticised operations in Amhara': a date or place inside a relative clause in the perfect, on a word of
    the act's, is that clause's own earlier act's ('killed farmers who were working in Gusau', 'drones, three
    of which were over Voronezh' say where the act was)."""
    node = words.root
    while node.i != verb.i and node.head.i != node.i:
        if node.dep_ == "relcl" and any(c.dep_ == "aux" and c.lemma_ == "have" for c in node.children):
            return True
        node = node.head
    return False


def _one_telling(a: EventRecord, b: EventRecord) -> bool:
    """One sentence, or one paragraph going on about it ('... clashed with Al Shabaab in Dooxa. The
    security forces then held the village.')."""
    return a.sentence.start == b.sentence.start or paragraph_start(a.trigger) == paragraph_start(b.trigger)


def _told_as_before(trigger: Token) -> bool:
    """'after an NAS ambush', 'following the attack': an act named as what preceded the one told."""
    return trigger.dep_ == "pobj" and trigger.head.lower_ in ("after", "following")


def _same_day(a: EventRecord, b: EventRecord) -> bool:
    return not a.explicit_date or not b.explicit_date or a.date_start == b.date_start


def _place_id(e: EventRecord) -> str | None:
    return e.place.id if e.place else None


def _in_region_of(a: EventRecord, b: EventRecord) -> bool:
    """One placed at a region (admin-1) and the other at a place inside it: 'fighting in Severodonetsk' and
    'fighting in Luhansk' told the same day are one fight."""
    if a.place is None or b.place is None or _place_id(a) == _place_id(b):
        return False
    return any(x.place.feature == "admin1" and y.place.admin1_id == x.place.id for x, y in ((a, b), (b, a)))


def _one_place(a: EventRecord, b: EventRecord) -> bool:
    """The same place, one of the two placed no finer than a country, or one in the other's admin-1
    ('clashed with Al Shabaab in Bulo Burde, Hiraan ... and regained control')."""
    return _place_id(a) == _place_id(b) or any(x.place is None or x.place.feature == "country" for x in (a, b)) \
        or _in_region_of(a, b)


def _same_place(a: EventRecord, b: EventRecord) -> bool:
    """The same place, or none more precise than a country for both: a recruitment drive told in the
    headline (in 'Ukraine') and again in the body (in 'Russia', or nowhere) is one campaign, when the
    same side runs it."""
    if _place_id(a) == _place_id(b):
        return True
    coarse = all(x.place is None or x.place.feature == "country" for x in (a, b))
    same_side = (a.actor1.side if a.actor1 else None) == (b.actor1.side if b.actor1 else None) \
        or a.actor1 is None or b.actor1 is None
    return coarse and same_side and a.event_type == "Strategic developments"


def _above_admin1(place: GazPlace) -> bool:
    """A unit over admin-1 regions (the Kurdistan Region over its governorates, an island over its provinces)."""
    return place.feature == "admin2" and place.admin1_id is None


def _geo_precision(m: PlaceMention) -> int:
    if m.fallback:  # a village the gazetteer lacks, at its town or district (2) or region (3)
        return 2 if m.fallback in ("admin2", "populated_place") else 3
    if m.place.feature in ("admin1", "region", "water", "country") or _above_admin1(m.place):
        return 3
    if m.qualifier in ("near", "region") or m.place.feature == "admin2":
        return 2
    return 1


COARSE_FEATURES = frozenset({"water", "region", "admin1", "admin2", "country"})
LAND_FEATURES = frozenset({"populated_place", "locality", "facility", "admin1", "admin2"})


def _describes_another(doc: Doc, mention: PlaceMention, others: list[PlaceMention]) -> bool:
    """'Enerhodar, the town next to the nuclear plant': a place inside another place's apposition
    or relative clause says where that place is; so does a sea or region naming the kind of a town ('the
    Black Sea port of Odesa'; not 'the Shufat neighbourhood of Jerusalem'). Neither is a second event."""
    root = doc[mention.start:mention.end].root
    described = [g.i for p in root.head.children if p.dep_ == "prep" and p.lower_ == "of"
                 for g in p.children if g.dep_ == "pobj"] \
        if root.dep_ in ("compound", "amod", "nmod") and mention.place.feature in COARSE_FEATURES else []
    if any(o is not mention and o.start <= i < o.end for o in others for i in described):
        return True
    for ancestor in doc[mention.start].ancestors:
        if ancestor.dep_ in ("appos", "relcl", "acl") and any(
                o is not mention and o.start <= ancestor.head.i < o.end for o in others):
            return True
    return False


# how fine a place is: a square within a town within a district within a region
FINENESS = {"facility": 0, "populated_place": 1, "locality": 1, "admin2": 2, "admin1": 3, "region": 4, "water": 4,
            "country": 5}


def _locates_another(doc: Doc, mention: PlaceMention, others: list[PlaceMention]) -> bool:
    """'Plaza de Mayo in Buenos Aires', 'Penjwen in the Kurdistan Region': a place whose phrase hangs on a finer
    place says where that one is; it is not a second event ('the plant and Nikopol' are two)."""
    node = doc[mention.start:mention.end].root
    for _ in range(2):
        if node.dep_ == "poss":  # "Kabul's Hamid Karzai International Airport"
            node = node.head
        elif node.dep_ == "pobj" and node.head.dep_ == "prep" and node.head.lower_ in ("in", "of"):
            node = node.head.head
        else:
            return False
        finer = [o for o in others if o is not mention and o.start <= node.i < o.end
                 and FINENESS.get(o.place.feature, 5) < FINENESS.get(mention.place.feature, 5)]
        if finer:
            return True
    return False


def _listed_together(doc: Doc, a: PlaceMention, b: PlaceMention) -> bool:
    """'the plant and Nikopol', 'at Azadi Square and in Karaj', 'the airport and the town of Kisweh': two places
    listed side by side (one's phrase joined to the other's), each a place of its own."""
    def phrase(m: PlaceMention) -> set[int]:
        node, out = doc[m.start:m.end].root, set()
        for _ in range(3):  # the name, its preposition, the noun it names ('the town of Kisweh')
            out.add(node.i)
            if node.dep_ not in ("pobj", "prep") or node.head.i == node.i:
                break
            node = node.head
        return out
    pa, pb = phrase(a), phrase(b)
    return any(doc[i].dep_ == "conj" and doc[i].head.i in pb for i in pa) \
        or any(doc[i].dep_ == "conj" and doc[i].head.i in pa for i in pb)


def _bearing(doc: Doc, mention: PlaceMention) -> bool:
    """'80 nautical miles southeast of Aden', 'off Hodeidah': a place named as a point to measure from."""
    root = doc[mention.start:mention.end].root
    preposition = root.head
    return root.dep_ == "pobj" and (preposition.lower_ == "off" or preposition.lower_ == "of"
                                    and preposition.head.lower_ in BEARINGS)



def _doer_hung_on_victim(noun: Token) -> list[Token]:
    """'the killing of a village chief by JNIM militants': the doer of a noun act that the parser hung on
    its victim ('by' under 'chief', not under 'killing')."""
    victims = [v for c in noun.children if c.dep_ == "prep" and c.lower_ in ("of", "on", "against")
               for v in c.children if v.dep_ == "pobj"]
    return [t for v in victims for b in v.children if b.dep_ == "prep" and b.lower_ == "by" for t in b.subtree]


def _names_something_else(doc: Doc, mention: PlaceMention, trigger: Token) -> bool:
    """'the Sinaloa Cartel', 'Islamic State West Africa Province fighters', 'a Durga Puja pavilion',
    'ethnic Amhara residents', 'Korean and US flags': a place's name modifying another noun, or running on
    into another proper name, says who or what, not where the act was. 'Kherson shelling', 'Comilla
    town', 'a Kharkiv apartment block' and 'the Bakhmut direction' still say where (`PLACE_KINDS`)."""
    root = doc[mention.start:mention.end].root
    while root.dep_ == "conj" and root.head.i < root.i:
        root = root.head  # 'waving Korean and US flags': the list's first member says how the list is used
    head = root.head
    placed = placed_tokens(doc)
    runs_on = mention.end < len(doc) and doc[mention.end].ent_iob_ == "I" and doc[mention.end].is_title \
        and doc[mention.end].lower_ not in PLACE_KINDS
    before = doc[mention.start - 1] if mention.start > 0 else None
    inside = before is not None and doc[mention.start].ent_iob_ == "I" and before.is_title and before.i not in placed \
        and not is_rare_word(before.text)  # 'State West Africa'; not 'Chokoli Pathar Gaon', a village's name
    modifies = root.dep_ in ("compound", "amod", "nmod") and head.i != trigger.i and head.i > root.i \
        and head.i not in placed and head.lower_ not in PLACE_KINDS
    ethnic = before is not None and before.lower_ in ETHNIC_MARKERS  # 'ethnic Amhara residents'
    return runs_on or inside or modifies or ethnic


def _provenance(doc: Doc, mention: PlaceMention, trigger: Token, strike: bool) -> bool:
    """'tanks, including Challenger IIs from Britain', 'a protest against citizens who had come from Lima',
    'shot 23 men from Punjab': where a thing or someone comes from, not where the event is; nor where a
    strike is launched from when the clause names where it went ('rockets fired from Gaza at Sderot'). The act itself may
    be 'from' a place: 'withdrew from Kherson', 'shelling from Belgorod', 'launched an offensive from
    Belgorod' (the verb that carries a noun trigger)."""
    head = doc[mention.start:mention.end].root
    preposition = head.head
    if strike and head.dep_ == "pobj" and preposition.lower_ in ("near", "around", "outside") \
            and preposition.head.dep_ == "pobj" and preposition.head.head.lower_ == "from":
        head, preposition = preposition.head, preposition.head.head  # a strike 'from positions near the plant';
        # not 'abducted people from their fields near Mangina'
    if head.dep_ != "pobj" or preposition.lower_ != "from" or preposition.head.pos_ not in ("NOUN", "PROPN", "VERB"):
        return False
    carrier = _carrier(trigger)
    if preposition.head.i not in (trigger.i, carrier.i):
        return True
    if preposition.i > 0 and doc[preposition.i - 1].lower_ in _civilian_words():
        return True  # 'shot 23 men from Punjab', the parser hanging 'from' on the verb: where they came from
    return strike and _names_a_target(doc, clause_verb(trigger))


def _stands_for_a_party(doc: Doc, mention: PlaceMention, doers: bool = True) -> bool:
    """'Washington announced', 'condemn Moscow', 'collaborating with Moscow', 'aid for Kyiv', 'Moscow's
    Defense Ministry': a place named for its government or people, not where the act was (`party_places`).
    Without `doers`, a state that acts or speaks ('Ukraine says', 'Russia attacks') is not counted: it still
    tells which war an act is in, only one judged or helped by others does not ('China was criticised')."""
    rules = _lex()["party_places"]
    head = doc[mention.start:mention.end].root
    governor = head.head
    metonym = normalise(mention.span(doc).text) in country_markers()  # 'Kyiv', 'Moscow', 'the Pentagon'
    if head.dep_ == "nsubj":
        if not doers:
            return False
        return governor.pos_ in ("VERB", "AUX") and governor.lemma_.lower() not in rules["undergoing_verbs"] \
            and (metonym or is_cue(governor) or governor.lemma_.lower() in rules["party_verbs"])
    if head.dep_ in ("dobj", "nsubjpass"):  # 'condemn Moscow', 'Beijing has been criticised'
        return governor.lemma_.lower() in rules["party_verbs"]
    if head.dep_ == "pobj":
        preposition = governor.lower_
        if preposition in rules["partner_prepositions"]:
            return not any(c.lower_ in ("along", "together") for c in governor.children)
        return _object_of(doc, mention, rules["aimed_prepositions"])
    if head.dep_ == "poss":
        return metonym and governor.lower_ in rules["own_nouns"]
    return False


def _carrier(trigger: Token) -> Token:
    """The verb that carries a noun trigger ('launched an offensive'), or the trigger itself."""
    return trigger.head if trigger.dep_ in ("dobj", "nsubjpass") else trigger


def _where_told(doc: Doc, mention: PlaceMention) -> bool:
    """'a spokesman in Mogadishu said', 'told reporters in Abuja', 'the air force said in Kyiv': a place in the
    telling of an act, not in the act (the first verb above it is one of telling)."""
    verb = next((t for t in doc[mention.start:mention.end].root.ancestors if t.pos_ in ("VERB", "AUX")), None)
    return verb is not None and is_cue(verb)


def _heading(doc: Doc, mention: PlaceMention, trigger: Token) -> bool:
    """'shot down drones crossing its airspace towards Israel; debris fell in Irbid': where a thing was
    heading, told of another word than the act's, is not where the act was when the sentence names another
    place; 'fired rockets towards Sderot' is."""
    head = doc[mention.start:mention.end].root
    while head.dep_ == "conj" and head.head.i < head.i:
        head = head.head  # 'towards Ashkelon and Ashdod': the list's first says what the list is
    preposition = head.head
    carrier = _carrier(trigger)
    return head.dep_ == "pobj" and preposition.lower_ in ("towards", "toward") \
        and preposition.head.i not in (trigger.i, carrier.i)


def _handed_to(doc: Doc, mention: PlaceMention) -> bool:
    """'handed 2 soldiers to Azerbaijan': the party a handover went to (`party_places.recipient_prepositions`)."""
    return _object_of(doc, mention, _lex()["party_places"]["recipient_prepositions"])


def _object_of(doc: Doc, mention: PlaceMention, governors: dict[str, list[str]]) -> bool:
    """Whether a place is the object of a preposition after one of the words listed for it ('aid for
    Kyiv', 'handed ... to Azerbaijan')."""
    head = doc[mention.start:mention.end].root
    preposition = head.head
    return head.dep_ == "pobj" and preposition.head.lemma_.lower() in governors.get(preposition.lower_, ())


def _names_a_target(doc: Doc, verb: Token) -> bool:
    """Whether a clause says where its act went: a place after one of `target_prepositions`, or its object
    ('shelled Marhanets from positions near the plant')."""
    placed = placed_tokens(doc)
    aimed = [p for p in verb.children if p.dep_ == "prep" and p.lower_ in _lex()["target_prepositions"]]
    return any(t.dep_ == "pobj" and t.head.lower_ in _lex()["target_prepositions"] and t.i in placed
               for t in verb.subtree) or any(t.dep_ == "dobj" and t.i in placed for t in verb.children) \
        or any(t.i in placed for p in aimed for t in p.subtree)  # 'at a ship in the Red Sea'


def _event_place_mentions(doc: Doc, source_tokens: set[int]) -> list[PlaceMention]:
    """Places an event may be at: not a region stating another place's, not a dateline, not a source's title
    (unless its region is stated: 'near Ar Ruwayshid (Mafraq)' is a place, though the model saw a person;
    or the source is the doer of an act, not its teller: 'Paris police removed a sit-in')."""
    return [m for m in (doc._.wl_places or []) if not m.context and not in_dateline(doc[m.start])
            and not _opens_compound_adjective(doc, m)
            and (m.fallback or m.stated or _acting(doc[m.start:m.end])
                 or not any(i in source_tokens for i in range(m.start, m.end)))]


def _opens_compound_adjective(doc: Doc, mention: PlaceMention) -> bool:
    """'Moscow-led forces', 'a Kyiv-based analyst', 'Tehran-backed militias': a place joined by a hyphen to
    a participle says who backs or where from, not where an act is ('Rutshuru-centre' is a place)."""
    end = mention.end
    return end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_ \
        and not doc[end].whitespace_ and doc[end + 1].is_lower and doc[end + 1].tag_ in ("VBN", "VBD")


def _acting(name: Span) -> bool:
    """Whether a name stands in the subject of a verb that is not one of telling ('Paris police removed')."""
    node = name.root
    while node.dep_ in ("compound", "amod", "nmod", "poss") and node.head.i != node.i:
        node = node.head
    verb = node.head
    return node.dep_ == "nsubj" and verb.pos_ == "VERB" and not is_cue(verb)


def _definite_place(doc: Doc, tok: Token, mentions: list[PlaceMention]) -> list[PlaceMention]:
    """'the city', 'the plant' in the trigger's sentence: the last such place named before."""
    kinds = {"city": "populated_place", "town": "populated_place", "village": "populated_place",
             "plant": "facility", "station": "facility", "airport": "facility", "bridge": "facility",
             "base": "facility", "region": "admin1", "oblast": "admin1"}
    named = {i for m in mentions for i in range(m.start, m.end)}
    for t in sentence_of(tok):
        if t.lower_ in kinds and any(c.lower_ == "the" for c in t.children):
            if any(x.i in named for x in t.subtree):
                continue  # "the city of Bakhmut" names its own city
            feature = kinds[t.lower_]
            before = [m for m in mentions if m.end <= t.i and m.place.feature == feature]
            if before:
                return [PlaceMention(before[-1].start, before[-1].end, before[-1].place, before[-1].qualifier)]
    return []


def attach_claims(events: list[EventRecord], claims: list[Quantity]) -> None:
    """Each claim in an event's sentence goes to the nearest event; killed figures give fatalities,
    except one side's figure for its enemy's fighters, which stays a claim (ACLED codes those conservatively).
    Figures for a list of victims add up ('killed three farmers and two herders' is 5)."""
    # (event, list) -> the list's first noun, and each noun's (dead, at least)
    listed: dict[tuple[int, int], tuple[Token | None, dict[int, tuple[int, int | None]]]] = {}
    for claim in claims:
        here = [e for e in events if e.sentence.start <= claim.start < e.sentence.end] or _told_before(events, claim)
        if not here:
            continue
        event = min(here, key=lambda e: _claim_distance(e, claim))
        figure = claim.sentence.doc[claim.start]
        if claim.category in KILLED and (EventFinder._running_total(figure)
                                         or EventFinder._habitual(clause_verb(figure))):
            continue  # '300 have died in the city since the invasion', '824 troops dying each day': no event's toll
        event.claims.append(claim)
        if claim.category not in KILLED:
            continue
        speaker = state(claim.source.side) if claim.source is not None else None
        enemy_fighters = claim.category == "killed" and speaker and claim.side and claim.side != speaker \
            and noun_class(claim.counted) == "military_person"
        if enemy_fighters:
            continue
        low, best, high = claim.low, claim.best, claim.high
        dead = int(best if best is not None else low if low is not None else 0)
        head = _list_head(claim.counted) if claim.counted is not None else None
        parts = head is not None and head.dep_ == "pobj" and head.head.lower_ in ("including", "among")
        key = (id(event), head.i if head is not None and not parts else -claim.start - 1)  # parts of a total do not add
        nouns = listed.setdefault(key, (head, {}))[1]
        counted = claim.counted.i if claim.counted is not None else -1
        at_least = int(low) if low is not None and claim.qualifier in ("at_least", "vague", "range") else None
        if counted not in nouns or dead > nouns[counted][0]:  # two figures for one noun are two counts, not a sum
            nouns[counted] = (dead, at_least)
        total = _list_toll(head, nouns)
        event.fatalities = max(_list_toll(h, n) for k, (h, n) in listed.items() if k[0] == id(event))
        if claim.qualifier in ("at_least", "vague", "range"):
            event.fatalities_low = int(low) if low is not None else None
        if len(nouns) > 1 and event.fatalities == total and any(a is not None for _, a in nouns.values()):
            event.fatalities_low = sum(d if a is None else a for d, a in nouns.values())  # 'at least 3 farmers and 2 herders'
        if claim.qualifier in ("up_to", "less_than", "range"):
            event.fatalities_high = int(high) if high is not None else None


def _list_toll(head: Token | None, nouns: dict[int, tuple[int, int | None]]) -> int:
    """The dead of a list of victims: its figures added, unless the first is people in general and the
    others add up to it ('seven people, three soldiers and four civilians': a total and its parts)."""
    total = sum(d for d, _ in nouns.values())
    if head is not None and head.i in nouns and len(nouns) > 1 and noun_class(head) == "person" \
            and total - nouns[head.i][0] == nouns[head.i][0]:
        return nouns[head.i][0]
    return total


def _list_head(noun: Token) -> Token:
    """The first noun of a list it stands in ('farmers' for 'herders' in 'three farmers and two herders')."""
    while noun.head.pos_ in ("NOUN", "PROPN") and noun.head.i != noun.i and (
            noun.dep_ == "conj" or noun.dep_ == "appos" and any(c.dep_ == "conj" for c in noun.children)
            and noun_class(noun.head) != "person"):
        noun = noun.head  # 'A, B, and C' (B an apposition with C joined to it); not 'Seven people: three soldiers
        # and four civilians', a total and its parts
    return noun


def _claim_distance(event: EventRecord, claim: Quantity) -> tuple[bool, bool, bool, int]:
    """Which event a figure belongs to: the act whose clause holds it ('attacked the village where troops had
    set up a base, killing four soldiers': the attack), then for a toll an act of violence over a
    development, then the act at the place the figure's clause names ('shelling hit Kherson and Kharkiv;
    two were killed in Kharkiv'), then the nearest."""
    word = claim.sentence.doc[claim.start]
    governs = event.trigger in word.ancestors or event.trigger == word
    development = claim.category in KILLED and event.event_type == "Strategic developments"
    elsewhere = claim.place is not None and event.place is not None and claim.place.id != event.place.id
    return not governs, development, elsewhere, abs(event.trigger.i - claim.start)


def _told_before(events: list[EventRecord], claim: Quantity) -> list[EventRecord]:
    """'... threw a grenade into a bar. 2 people died and 9 were hurt.': a toll in a
    sentence of its own, with no date or running total, is the toll of the paragraph's last event before it."""
    if claim.category not in KILLED or claim.date is not None or claim.statistic:
        return []
    start = paragraph_start(claim.sentence.doc[claim.start])
    before = [e for e in events if e.trigger.i < claim.start and paragraph_start(e.trigger) == start]
    return before[-1:]


PEOPLE_CLASSES = {"military_person", "civilian", "person"}


def _named_victims(word: Token) -> list[Token]:
    """The people a death word is about: 'soldier killed', 'a civilian was killed', 'killed a man',
    'shot dead a driver'."""
    verb = word.head if word.dep_ in ("acomp", "oprd", "advmod") and word.head.pos_ == "VERB" else word
    victims = [c for c in verb.children if c.dep_ in ("nsubjpass", "dobj")]
    if not victims and verb.pos_ == "VERB" and verb.tag_ in ("VBD", "VBN", "VBZ"):
        victims = [c for c in verb.children if c.dep_ == "nsubj"]  # headlines: "Woman killed in shelling", "Soldier dies"
    if verb.dep_ == "conj" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        victims += [c for c in verb.head.children if c.dep_ == "nsubj"]  # "a farmer stepped on a mine and was killed"
    if word.dep_ in ("acl", "amod") and word.head.pos_ == "NOUN":
        victims.append(word.head)  # "Ukrainian soldier killed in clashes"
    out = []
    for victim in victims:
        out.append(victim)
        out += [c for c in victim.children if c.dep_ in ("conj", "appos") and c.pos_ == "NOUN"]
        if victim.dep_ in ("conj", "appos") and victim.head.pos_ == "NOUN":
            out.append(victim.head)  # "Child, man killed": the parser hangs 'killed' on the last
    return list({t.i: t for t in out}.values())


def _people_named(word: Token) -> list[Token]:
    """The single people a death word is about, each named by a singular noun ('soldier', 'man', 'driver'; the
    tagger's adjective where a noun stands: 'shelling kills civilian')."""
    people = _civilian_words()
    return [v for v in _named_victims(word)
            if (noun_class(v) in PEOPLE_CLASSES or v.lemma_.lower() in people)
            and (v.tag_ == "NN" or v.tag_ == "JJ" and v.dep_ in ("dobj", "nsubj", "nsubjpass"))]


@functools.cache
def _civilian_words() -> frozenset[str]:
    return frozenset(_lex()["civilian_words"])


def infer_single_deaths(events: list[EventRecord]) -> None:
    """'Ukrainian soldier killed', 'a child and a man were killed': people named one by one, without a
    number, are that many dead, when no figure gave the toll (one side's dead enemy fighters excepted).
    A sentence of its own that tells such deaths and no event ('Police dispersed the crowd. They shot and
    killed a rider.') gives them to the paragraph's last event before it, as `_told_before` does figures."""
    for event in events:
        if event.fatalities or any(c.category in KILLED for c in event.claims):
            continue
        speaker = state(event.source.side) if event.source is not None else None
        sentences = [event.sentence] + _sentences_told_after(event, events)
        event.fatalities = sum(_deaths_named(sent, speaker) for sent in sentences)


def _sentences_told_after(event: EventRecord, events: list[EventRecord]) -> list[Span]:
    """The sentences after an event, in its paragraph, up to the next sentence with an event of its own."""
    doc = event.trigger.doc
    paragraph = paragraph_of(event.trigger)
    starts = {e.sentence.start for e in events}
    out = []
    end = event.sentence.end
    while end < paragraph.end:
        sent = sentence_of(doc[end])
        if sent.start in starts:
            break
        out.append(sent)
        end = sent.end
    return out


def _deaths_named(sentence: Span, speaker: str | None) -> int:
    """How many people a sentence names dead one by one, as `speaker` would count them."""
    count = 0
    for word in (t for t in sentence if is_death_word(t)):
        for victim in _people_named(word):
            if any(c.like_num for c in victim.children):
                continue  # a number gave this toll as a claim
            codes = [demonym_codes().get(normalise(c.text)) for c in victim.children]
            nationality = next((code for code in codes if code), None)
            if noun_class(victim) == "military_person" and speaker and nationality and nationality != speaker:
                continue  # one side's count of its enemy's dead stays a claim
            count += 1
    return count


def count_suicide_bombers(events: list[EventRecord]) -> None:
    """ACLED counts the suicide bombers among a blast's dead: 'a suicide bomber killed 2 civilians' is 3
    dead, 'Four suicide bombers were killed' 4. Not when the toll counts them already ('4 soldiers,
    including the suicide bomber', 'the man killed was a suicide bomber'), is everyone's ('30 people
    were killed'), or a bomber lived ('was arrested', 'failed to detonate')."""
    for event in events:
        if event.sub_event_type != "Suicide bomb":
            continue
        paragraph = paragraph_of(event.trigger)
        text = paragraph.text.lower()
        if _bomber_survived().search(text) or _INCLUDING_BOMBER.search(text):
            continue
        bombers = [t for t in paragraph if t.lemma_.lower() == "bomber" and any(c.lower_ == "suicide" for c in t.children)]
        if not bombers or event.fatalities and (any(_among_the_dead(b) for b in bombers) or any(
                c.category in KILLED and c.counted is not None and c.counted.lemma_.lower() in ("people", "person")
                for c in event.claims)):
            continue
        event.fatalities += max(_bombers(b) for b in bombers)


@functools.cache
def _bomber_survived() -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in _lex()["bomber_survived"]) + r")\b")


_INCLUDING_BOMBER = re.compile(r"\binclud\w*\s+(?:the\s+|a\s+|\w+\s+)?(?:suicide\s+)?(?:bomber|attacker)s?\b")


def _among_the_dead(bomber: Token) -> bool:
    """'Four suicide bombers were killed', 'the man killed was a suicide bomber': the bomber is one of the dead."""
    if bomber.dep_ == "nsubjpass" and is_death_word(bomber.head):
        return True
    subject = next((c for c in bomber.head.children if c.dep_ == "nsubj"), None) if bomber.dep_ == "attr" else None
    return subject is not None and any(is_death_word(c) for c in subject.children)


def _bombers(word: Token) -> int:
    """How many bombers a mention counts: 'two suicide bombers' 2, 'a suicide bomber' 1, 'suicide
    bombers' at least 2."""
    number = next((parse_number(c.text) for c in word.children if c.dep_ == "nummod"), None)
    return int(number) if number else 1 if word.tag_ == "NN" else 2


def flag_unknown_tolls(events: list[EventRecord]) -> None:
    """'Militants died, how many is not known', 'Casualties unknown': a toll the text says is not
    known stays 0 (ACLED's convention for a number not reported) with a flag, not a guess."""
    for event in events:
        if event.fatalities == 0:
            event.fatalities_unknown = Scopes(event.trigger, [], []).has("paragraph", "toll_unknown")


def place_from_paragraph(doc: Doc, events: list[EventRecord]) -> None:
    """An event whose sentence names no place goes on about the paragraph's last place before it ('... an
    attack in Mombasa; 200 suspects held.'), a town or region over a country, or takes the place a later
    sentence gives it ('The march took place in Minsk on 30 August'). Done after merging, so
    it neither makes a sentence an event ('need_place_or_date' asks the sentence) nor splits one."""
    source_tokens = _source_tokens(doc)
    mentions = _event_place_mentions(doc, source_tokens)
    for event in events:
        if event.place is not None:
            continue
        paragraph, sent = paragraph_of(event.trigger), event.sentence
        before = [m for m in mentions if paragraph.start <= m.start < sent.start]
        told_back = [m for m in mentions if sent.end <= m.start < paragraph.end and m.place.feature != "country"
                     and _tells_back(sentence_of(doc[m.start])) and _of_the_main_verb(doc[m.start])]
        # 'The march took place in Minsk on 30 August.'; not '... requested after forces were attacked in Inata'
        chosen = ([m for m in before if m.place.feature != "country"] or told_back[:1] or before)[-1:]
        for m in chosen:
            event.place, event.geo_precision = m.place, _geo_precision(m)


@functools.cache
def _group_names() -> frozenset[str]:
    """The ACLED names of the known groups (`groups`): who may claim an unclaimed bombing."""
    return frozenset(name for name, _ in _lex()["groups"].values())


def name_unnamed_doers(events: list[EventRecord]) -> None:
    """Who ACLED codes when neither the sentence nor its paragraph names a doer: an IED or a grenade is an
    'Unidentified Armed Group (X)''s unless a known group (`groups`) is named after it in its paragraph ('Al
    Shabaab said it planted the device'); an arrest is the police's (`unnamed_doers`). Done after merging
    and placing, so the paragraph's doer and place are known."""
    for event in events:
        kind = _lex()["unnamed_doers"].get(event.sub_event_type)
        if event.actor1 is not None or kind is None:
            continue
        code = event.place.country_code if event.place is not None else None
        paragraph = paragraph_of(event.trigger)
        told_after = [t for t in paragraph if t.i >= event.sentence.end]  # 'Al Shabaab said it planted the device'
        claimant = actor_in(told_after, None, code) if kind == "group" else None
        if claimant is not None and claimant.name in _group_names():
            event.actor1 = claimant
        else:
            event.actor1 = police(code) if kind == "police" else unidentified_group(code)


def without_background(events: list[EventRecord]) -> list[EventRecord]:
    """An act told two clauses or more below what its sentence reports ('the latest comments come as Kyiv
    is launching a counteroffensive to retake land occupied by Russia', 'requested Australia send vehicles
    to assist in the fight against Russia'), with no town or district, no date of its own and no toll, is
    background to that report, not one of its own (in hand-checked war and general news four in five such
    were not events). A headline is what the report is about ('Ukraine says Russian soldier killed in
    clashes in east'). Run after the paragraph has lent its places."""
    depth = _lex()["background_depth"]
    return [e for e in events if e.fatalities or e.geo_precision in (1, 2) or e.explicit_date
            or e.sentence.start == 0 or len(list(clause_verb(e.trigger).ancestors)) < depth]


def without_commentary(doc: Doc, events: list[EventRecord]) -> list[EventRecord]:
    """A whole article that dates nothing to the days before it was published ('Putin begins his fifth term
    ... after launching a devastating war', 'Ukrainian forces have multiplied attacks inside Russia') is
    analysis or comment: the acts it names without a toll are the war's course, not incidents it reports
    (in hand-checked war articles 23 of 27 such events were not events; chosen on rounds 1-4, 3 of 3 in
    rounds 5-6)."""
    lex = _lex()
    article = doc._.wl_article
    if article is None or article.published is None or len(text_of(doc)) < lex["commentary_min_chars"]:
        return events
    recent = any(d.precision == "day" and 0 <= (article.published - d.date_end).days <= lex["recent_days"]
                 for d in doc._.wl_dates or [])
    return events if recent else [e for e in events if e.fatalities]


def place_denials(denials: list[EventRecord], events: list[EventRecord]) -> None:
    """A denial that names no place answers the article's report: it is where the article's first event is."""
    placed = next((e for e in events if e.place is not None), None)
    for denial in denials:
        if denial.place is None and placed is not None:
            denial.place, denial.geo_precision = placed.place, placed.geo_precision


@Language.component("warledger_events")
def events_component(doc: Doc) -> Doc:
    finder = EventFinder()
    found = finder(doc)
    if not any(not e.denied for e in found):
        found += finder.armed_actors_act(doc)
    events = [e for e in found if not e.denied]
    denials = [e for e in found if e.denied]
    attach_claims(events, doc._.wl_claims or [])
    infer_single_deaths(events)
    flag_unknown_tolls(events)
    events = EventFinder.merge(events)
    count_suicide_bombers(events)
    place_from_paragraph(doc, events + denials)
    for event in events:  # after merging, so a protest told over two sentences gets its roles once
        event.actor1, event.actor2 = _crowd_first(event.sub_event_type, event.actor1, event.actor2, event.place)
    name_unnamed_doers(events)
    events = without_commentary(doc, without_background(events))
    place_denials(denials, events)
    doc._.wl_events = events
    doc._.wl_denials = EventFinder.merge(denials)
    return doc

