"""The region a text states for a place, which binds where the place can be.

ACLED notes and wire copy say where a village lies: "Buulo Jameecada village (Bulo Burto, Hiraan)",
"Volodymyrivka, Sumy", "Shadadah in Al-Hasakeh", "Ou Da commune of Samlout, Battambang",
"Nam Lan and Wan Hai (Kyethi Township, Shan State)". Every gazetteer entry for the name
outside the stated region is wrong, however big; when none lies inside it (most villages are not in
cities500), the place is the region itself, finest first (`fallback`), keeping the name the text gave.
The names that state the region only say where the place is: they are `context`, not places of
events of their own.
"""
from __future__ import annotations

import functools
import re
import zlib
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

from spacy.tokens import Doc

from ...gazetteer import GazPlace, gazetteer, norm_name
from ...lexicon import load_yaml

ADMIN_FEATURES = ("admin1", "admin2", "country")
FINENESS = {"populated_place": 0, "admin2": 1, "admin1": 2, "country": 3}
REGION_RESPELLING = 0.85  # 'al hasakeh' ~ 'al hasakah' 0.90; 'al hasakeh' ~ 'al hashwah' 0.70
TOWN_RESPELLING = 0.75  # inside a stated region only: 'afmadow' ~ 'afmadu' 0.77; 'buloburto' ~ 'buulobarde' 0.63 is too far


@functools.cache
def _cues() -> dict:
    return load_yaml("place_cues.yaml")


@functools.cache
def locality_words() -> frozenset[str]:
    """Words after a name that make it a town or a smaller unit ('village', 'township', 'commune')."""
    return frozenset(_cues()["town_words"]) | frozenset(_cues()["unit_words"])


@functools.cache
def kind_words() -> frozenset[str]:
    """Words after a name that say what kind of place it is ('village', 'district', 'LGA')."""
    return locality_words() | frozenset(_cues()["admin_words"])


@functools.cache
def _joints() -> frozenset[str]:
    return frozenset(_cues()["connectors"]) | frozenset(_cues()["arabic_articles"])


@dataclass(frozen=True)
class StatedRegion:
    """The admin units a statement may mean (one per country it could be in), finest first."""

    units: tuple[GazPlace, ...]
    start: int  # the statement's opening token: '(', ',', 'in' or 'of'
    names: tuple[tuple[int, int], ...]  # the names in it, as token spans
    # in brackets, after the place's kind word, two names deep or a region after a comma ('village (A, B)',
    # ', A district, B', 'Volodymyrivka, Sumy'): it binds even a name the gazetteer has elsewhere; ' in B'
    # or ', <country>' bind only when they can
    strong: bool = False
    bracketed: bool = False  # '(A, B)' after the name, not ', A' or ' in A'

    def contains(self, place: GazPlace) -> bool:
        return any(_inside(place, unit) for unit in self.units)

    def countries(self) -> set[str]:
        return {u.country_code for u in self.units if u.country_code}

    def narrowed(self, units: tuple[GazPlace, ...]) -> StatedRegion:
        """The same statement, meaning only these of its units (one country's)."""
        return replace(self, units=units)


def _inside(place: GazPlace, unit: GazPlace) -> bool:
    if unit.feature == "country":
        return place.country_code == unit.country_code
    if unit.feature == "admin1":
        return place.id == unit.id or place.admin1_id == unit.id
    if unit.feature == "populated_place":  # 'Mokolo subdivision': the town's admin-1, as the gazetteer knows
        return place.id == unit.id or (place.admin1_id is not None and place.admin1_id == unit.admin1_id)
    # an admin2: its own admin1 is as fine as the gazetteer's towns know (they carry no admin2)
    return place.id == unit.id or (unit.admin1_id is not None and place.admin1_id == unit.admin1_id) \
        or (unit.admin1_id is None and place.country_code == unit.country_code)


# a name with an apostrophe inside, which the tokenizer keeps whole: "Dar'a", "Amoron'i Mania"
_APOSTROPHE_NAME = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)+")


def is_word(tok) -> bool:
    """Letters only, or letters around an apostrophe ("Dar'a")."""
    return tok.is_alpha or bool(_APOSTROPHE_NAME.fullmatch(tok.text))


def hyphen_joined(tok) -> bool:
    """A small word that joins a name only between hyphens: 'au' of 'Port-au-Prince', not 'à' of 'Kinshasa à Goma'."""
    doc = tok.doc
    return tok.lower_ in _cues()["hyphen_connectors"] and 0 < tok.i < len(doc) - 1 \
        and doc[tok.i - 1].text == "-" and doc[tok.i + 1].text == "-"


def _is_joint(tok) -> bool:
    """A small word or hyphen inside a name: 'Norte de Santander', 'Deir-ez-Zor', 'Port-au-Prince'."""
    return tok.text == "-" or tok.lower_ in _joints() or hyphen_joined(tok)


def _name_end(doc: Doc, i: int) -> int:
    """The end of a capitalised name starting at i ('Norte de Santander', 'Deir-ez-Zor'), or i. Small
    words and hyphens belong to it only when a capitalised word follows them."""
    if i >= len(doc) or not (is_word(doc[i]) and doc[i].text[0].isupper()):
        return i
    end = j = i + 1
    while j < len(doc) and j - i < 8 and not doc[j].is_sent_start:
        if doc[j].ent_type_ in ("DATE", "TIME"):
            break  # 'Hodeidah on Sunday': a day ends the name
        if is_word(doc[j]) and doc[j].text[0].isupper():
            end = j = j + 1
        elif _is_joint(doc[j]):
            j += 1
        else:
            break
    return end


def _skip_kind_words(doc: Doc, i: int) -> int:
    while i < len(doc) and doc[i].lower_ in kind_words():
        i += 1
    return i


def admin_units(text: str) -> tuple[GazPlace, ...]:
    """The admin units (and countries) a name stands for, spelt as the text spells it; a state's or
    country's name is not also a district elsewhere ('Ontario' is the province, not Ontario County, NY).
    Names that are a region only in context count: a statement is that context ('Tripoli (North)' is in
    Lebanon's North governorate)."""
    found = tuple(o for o in gazetteer().lookup(norm_name(text), context_only=True) if o.feature in ADMIN_FEATURES)
    top = [o for o in found if o.feature in ("admin1", "country")]
    if not top:
        return found
    return tuple(o for o in found if o.feature != "admin2" or any(_inside(o, t) for t in top))


@functools.lru_cache(maxsize=4096)
def fuzzy_admin_units(folded: str) -> tuple[GazPlace, ...]:
    """'Hiraan' for Hiiraan, 'Al-Hasakeh' for Al Hasakah: an admin unit spelt a little otherwise."""
    if len(folded) < 5:
        return ()
    scored = []
    for name, o in _admin_names().get(folded[:2], ()):
        if abs(len(name) - len(folded)) > 3:
            continue  # too long or short to be a respelling at REGION_RESPELLING
        matcher = SequenceMatcher(None, folded, name)
        if matcher.quick_ratio() >= REGION_RESPELLING:
            scored.append((matcher.ratio(), o))
    best = max((ratio for ratio, _ in scored), default=0.0)
    return tuple(o for ratio, o in scored if ratio == best) if best >= REGION_RESPELLING else ()


@functools.cache
def _admin_names() -> dict[str, tuple[tuple[str, GazPlace], ...]]:
    """Admin units by the first two letters of their folded name."""
    out: dict[str, list[tuple[str, GazPlace]]] = {}
    for o in gazetteer().admin_units():
        name = norm_name(o.name)
        out.setdefault(name[:2], []).append((name, o))
    return {key: tuple(rows) for key, rows in out.items()}


MODIFIERS = frozenset({"the", "northern", "southern", "eastern", "western", "central", "north", "south", "east",
                       "west", "rural"})


def _skip_modifiers(doc: Doc, i: int) -> int:
    """'the eastern Aleppo countryside': words before a region's name."""
    while i < len(doc) and doc[i].lower_ in MODIFIERS and not (
            doc[i].text[0].isupper() and (i + 1 == len(doc) or doc[i + 1].text[:1].isupper()
                                         or doc[i + 1].text in ("-", ")", ","))):
        i += 1  # ('North-West', 'Rural Damascus' and '(North)' are names)
    return i


# what may follow a statement: the clause goes on, not a verb ('Israel, Clinton spoke' states nothing)
STATEMENT_ENDS = frozenset({".", ",", ";", ":", ")", "(", "-", "\u2013", "\u2014", "on", "in", "at", "near", "after",
                            "before", "during", "since", "when", "where", "while", "as", "and", "to", "from", "'s",
                            "without", "by", "for", "amid", "following", "against", "until", "over"})


def _kind_after(doc: Doc, end: int, after: int) -> bool:
    """A locality's kind right after a name ending at `end` ('Ar Rubat area'; the kind words run to `after`)
    or said after a comma (', a small settlement in')."""
    return any(doc[k].lower_ in locality_words() for k in range(end, after)) or _kind_told_after(doc, after) is not None


DISTANCE_UNITS = frozenset({"km", "kilometres", "kilometers", "miles", "mi"})


def _kind_told_after(doc: Doc, i: int) -> tuple[int, bool] | None:
    """', a small settlement in', ', a village of': the kind of place said after a comma, ahead of the
    region it lies in: the index of the 'in' or 'of', and whether it follows a bearing from a town (', a
    town north of'), whose region may be another; or None."""
    if i + 2 >= len(doc) or doc[i].text != "," or doc[i + 1].lower_ not in ("a", "an"):
        return None
    k = i + 2
    while k < len(doc) - 1 and k - i <= 6 and doc[k].lower_ not in locality_words() and (
            doc[k].pos_ in ("ADJ", "NOUN") or doc[k].tag_ in ("VBG", "VBN") or doc[k].text == "-"):
        k += 1  # 'a small', 'a remote mountain', 'a rice-growing'
    if doc[k].lower_ not in locality_words():
        return None
    k += 1
    if k < len(doc) and doc[k].lower_ in ("in", "of"):
        return k, False
    if k + 2 < len(doc) and doc[k].like_num and doc[k + 1].lower_ in DISTANCE_UNITS:
        k += 2  # 'a town 20 km north of'
    if k + 1 < len(doc) and doc[k].lower_ in _cues()["bearing_words"] and doc[k + 1].lower_ == "of":
        return k + 1, True  # 'a town north of Bobo-Dioulasso, Hauts-Bassins region': a town it is near, then its region
    return None


def statement_after(doc: Doc, end: int) -> StatedRegion | None:
    """The region stated right after a place name ending at token `end`: '(A, B)', ', A, B',
    ' in (the) A', ' of A district', after the place's own kind word ('village (A, B)')."""
    i = _skip_kind_words(doc, end)
    if i >= len(doc):
        return None
    start = i
    kind_word = _kind_after(doc, end, i)
    told_kind = _kind_told_after(doc, i)
    bearing = False
    if told_kind is not None:  # 'Ywa Thit, a small settlement in Kani township, ...'
        i, bearing = told_kind
    bracketed = doc[i].text == "("
    if not (bracketed or doc[i].text == "," or doc[i].lower_ in ("in", "of")):
        return None
    i += 1
    names: list[tuple[int, int]] = []
    closed = False
    at_comma = 0  # how many names a comma closed: 'X, A township, B state, the army said' states A, B
    while i < len(doc):
        if doc[i - 1].text == "," and doc[i].lower_ in ("in", "of") and not bracketed:
            i += 1  # ', in northern Shan State'
        i = _skip_modifiers(doc, i)
        j = _name_end(doc, i)
        if j - i >= 2 and doc[j - 1].lower_ in kind_words() and not admin_units(doc[i:j].text):
            j -= 1  # 'Mrauk-U Township', 'Rakhine State': the kind, capitalised, is not part of the name
        if j == i or any(t.ent_type_ in ("DATE", "TIME") for t in doc[i:j]) or doc[i:j].text.isupper():
            break  # not a date or an acronym ('(BA)')
        closed = False
        names.append((i, j))
        i = _skip_kind_words(doc, j)
        if i < len(doc) and doc[i].lower_ == "countryside":
            i += 1
        if i >= len(doc) or (bracketed and doc[i].text == ")"):
            closed = True
            break
        if doc[i].text == "," or (not bracketed and doc[i].lower_ in ("in", "of")):
            if not bracketed and i + 2 < len(doc) and doc[i + 1].lower_ in ("and", "or") \
                    and doc[i + 2].text[:1].isupper():
                return None  # 'Miami, West Palm Beach, New York, and Detroit': a list; not ', and regained'
            closed = doc[i].text == ","  # 'Volodymyrivka, Sumy, on Tuesday': a comma may close it
            at_comma = len(names) if closed and not bracketed else at_comma
            i += 1
            continue
        if doc[i].text == "(" and not bracketed:  # 'Mayo Gwoi area of Jalingo (Jalingo LGA, Taraba)'
            bracketed, i = True, i + 1
            continue
        if not bracketed and doc[i].lower_ in ("and", "or", "&"):
            return None  # 'Kharkiv, Sumy and Poltava': a list of places, not a place and its region
        closed = not bracketed and doc[i].lower_ in STATEMENT_ENDS or doc[i].is_punct
        break
    else:
        closed = True
    if not closed and at_comma:
        names, closed = names[:at_comma], True  # the clause goes on after the last comma
    if bearing:
        names = names[1:]  # 'north of Bobo-Dioulasso, Hauts-Bassins region' states Hauts-Bassins, not Bobo's
    if not names or not closed:
        return None
    folded = norm_name(doc[names[0][0]:names[0][1]].text)
    units = _units_of(doc, names, bracketed) or (
        _seats_region(folded) or _towns_named(folded) if kind_word and len(names) == 1 else ())
    strong = bracketed or kind_word or sum(bool(admin_units(doc[s:e].text)) for s, e in names) >= 2 or (
        doc[start].text == "," and any(u.feature in ("admin1", "admin2") for u in units))
    return StatedRegion(units, start, tuple(names), strong, doc[start].text == "(") if units else None


@functools.cache
def _admin1_by_id() -> dict[int, GazPlace]:
    return {u.id: u for u in gazetteer().admin_units() if u.feature == "admin1"}


def _seats_region(folded: str) -> tuple[GazPlace, ...]:
    """'Hays area of Hodeidah', 'Tawila area of Lahij': after a place's kind, a town whose region bears its
    name (the city of Al Hudaydah in Al Hudaydah governorate) stands for that region."""
    units = _admin1_by_id()
    towns = [o for o in gazetteer().lookup(folded) if o.feature == "populated_place" and o.admin1_id in units]
    return tuple({units[t.admin1_id].id: units[t.admin1_id] for t in towns
                  if norm_name(t.name) == norm_name(units[t.admin1_id].admin1 or "")}.values())


def _towns_named(folded: str) -> tuple[GazPlace, ...]:
    """'the Brooklyn area of Cite Soleil': after a place's kind, the town it is part of (a place the gazetteer
    lacks is put there)."""
    return tuple(o for o in gazetteer().lookup(folded) if o.feature == "populated_place" and norm_name(o.name) == folded)


def _units_of(doc: Doc, names: list[tuple[int, int]], bracketed: bool) -> tuple[GazPlace, ...]:
    """The finest units the names agree on, each inside the next: 'Bulo Burto, Hiraan' is the district
    inside Hiiraan, 'Mokolo subdivision (Mayo-Tsanaga, Far North)' the town of Mokolo in the Far North;
    'Southern' alone is every country's Southern region. Names outside brackets that do not nest
    ('Homa Bay, Kisumu, Migori') are a list, not a statement: none."""
    per_name = [admin_units(doc[s:e].text) for s, e in names]
    towns = [tuple(o for o in gazetteer().lookup(norm_name(doc[s:e].text)) if o.feature == "populated_place")
             for s, e in names]
    # a respelt region ('Hiraan') only where the other names leave room for it ('Marampa' is not Malampa,
    # Vanuatu, beside Port Loko)
    countries = {o.country_code for found in per_name + towns for o in found}
    per_name = [found or tuple(o for o in fuzzy_admin_units(norm_name(doc[s:e].text))
                               if not countries or o.country_code in countries)
                for found, (s, e) in zip(per_name, names)]
    known = [(units, k) for k, units in enumerate(per_name) if units]
    if not known:
        return ()
    units, last = known[-1]
    for finer, k in reversed(known[:-1]):
        inside = tuple(f for f in finer if any(_inside(f, u) for u in units))  # or the same ('Mrauk-U Township, Mrauk-U District')
        if inside:
            units = inside
        elif not bracketed:
            return ()
    # a town named in the statement, inside its region, is finer still ('Mokolo subdivision'), spelt
    # otherwise too ('Wanla Weyn' for Wanlaweyn, 'Bulo Burto' for Buulobarde, inside Lower Shabelle, Hiraan)
    for k in range(last - 1, -1, -1):
        inside = tuple(t for t in towns[k] if any(_inside(t, u) for u in units)) or \
            respelt_towns(norm_name(doc[names[k][0]:names[k][1]].text), units)
        if inside:
            return tuple(sorted(inside, key=lambda t: -t.population)[:1])
    return tuple(sorted(units, key=lambda u: FINENESS[u.feature]))


def respelt_towns(folded: str, units: tuple[GazPlace, ...]) -> tuple[GazPlace, ...]:
    """Towns of the stated admin-1 regions whose name is this one spelt otherwise, spaces aside."""
    key = folded.replace(" ", "")
    if len(key) < 5:
        return ()
    regions = {u.id if u.feature == "admin1" else u.admin1_id for u in units} - {None}
    return tuple(t for region in regions for t in gazetteer().towns_in(region)
                 if SequenceMatcher(None, key, norm_name(t.name).replace(" ", "")).ratio() >= TOWN_RESPELLING)


def bind_to_article(region: StatedRegion | None, country_votes: dict[str, float]) -> StatedRegion | None:
    """A region named in several countries ('North-West', 'Central') is the one of the country the article
    is about; when the article says nothing of any of them, the statement cannot bind."""
    if region is None or len(region.countries()) <= 1:
        return region
    best = max(country_votes.get(c, 0) for c in region.countries())
    if best <= 0:
        return None
    units = tuple(u for u in region.units if country_votes.get(u.country_code, 0) == best)
    return region.narrowed(units)


def stated_regions(doc: Doc, candidates: list, listed) -> list[StatedRegion | None]:
    """Each candidate's stated region: its own, or, in a list closed by one in brackets ('Loi Kyusa and Pan
    Wan Hai (Kyethi Township, Shan State)'), the list's. `listed(doc, a, b)` says two candidates are listed
    together. Pronouns, peoples and persons ('He (Wilson)', 'Latino community in ...') state nothing,
    unless a region in brackets says the model's person is a place: two nested ones ('Sabon Gari (Damboa,
    Borno)'), or one its namesake lies in ('Mogok (Mandalay)')."""
    def statement(c) -> StatedRegion | None:
        if doc[c.start].is_stop:
            return None
        region = statement_after(doc, c.end)
        if region is None or not c.options or c.label not in ("NORP", "PERSON") or _kind_named(doc, c):
            return region
        return region if region.bracketed and (len(region.names) >= 2 or any(region.contains(o) for o in c.options)) \
            else None

    stated = [_holding(statement(c), c.options) for c in candidates]
    for k, (c, region) in enumerate(zip(candidates, stated)):
        if region is None or any(region.contains(o) for o in c.options):
            continue
        if _not_inside(c.options, region) or (
                c.options and not region.strong and not _kind_named(doc, c)):
            stated[k] = None
    for k in range(len(candidates) - 2, -1, -1):
        after = stated[k + 1]
        if stated[k] is None and after is not None and (
                after.bracketed and listed(doc, candidates[k], candidates[k + 1])
                or _lies_in(doc, candidates[k], candidates[k + 1])):
            stated[k] = after
    return stated


def _holding(region: StatedRegion | None, options: tuple[GazPlace, ...]) -> StatedRegion | None:
    """A region named in several countries is the one that holds the place: 'Tripoli (North)' is Lebanon's
    North, where a Tripoli lies, not Cameroon's; when units of more than one country hold it, all stay."""
    if region is None or len(region.countries()) <= 1:
        return region
    units = tuple(u for u in region.units if any(_inside(o, u) for o in options))
    if len({u.country_code for u in units}) != 1:
        return region
    return region.narrowed(units)


def _kind_named(doc: Doc, candidate) -> bool:
    """'the village of Boni', 'Ar Rubat area of Tuban district', 'Ywa Thit, a small settlement in ...': a
    place by the kind word before or after it, whatever the model took it for, and bound by a region stated
    after it as firmly as 'Boni village (Mopti)'."""
    kind_before = candidate.start >= 2 and doc[candidate.start - 1].lower_ == "of" \
        and doc[candidate.start - 2].lower_ in locality_words()
    a_people = candidate.label == "NORP" or doc[candidate.end - 1].pos_ == "ADJ"  # 'the English city of Salisbury'
    return kind_before or not a_people and _kind_after(doc, candidate.end, _skip_kind_words(doc, candidate.end))


def _lies_in(doc: Doc, place, unit) -> bool:
    """'Ta Ga in Nanyun Township, Sagaing', 'Numaligarh under Bokakhat sub-division (Golaghat district,
    Assam)': a place said to lie in a unit (named or not in the gazetteer) whose region is stated lies in
    that region too."""
    between = [t for t in doc[place.end:unit.start] if t.lower_ != "the"]
    if not between or between[0].lower_ not in _cues()["inside_words"]:
        return False
    words = "".join(t.text_with_ws for t in between[1:]).replace(" - ", "-").replace("-", "")
    return all(w[0].isupper() or w.lower() in kind_words() or w == "("
               for w in words.replace("(", " ( ").split())


RANK = {"populated_place": 0, "admin2": 1, "admin1": 2, "country": 3}


def _not_inside(options: tuple[GazPlace, ...], region: StatedRegion) -> bool:
    """'Homa Bay, Kisumu', 'Israel, Clinton': a name of a unit as large as the stated one, and not
    inside it, is listed beside it or opens a clause; it is not in it. Brackets state a region for
    any name smaller than a state ('Sabon Gari (Damboa, Borno)', though Sabon Gari is also a district
    of Kaduna); not for a country ('western Yemen (Al Hudaydah)')."""
    # a town a statement names ('Kalay Township, Sagaing Region') stands for its township: towns fit in it
    smallest = RANK["admin1"] if region.bracketed else min(
        RANK["admin2"] if u.feature == "populated_place" else RANK.get(u.feature, 0) for u in region.units)
    return any(o.feature == "country" or (RANK.get(o.feature, 0) >= smallest and o.country_code in region.countries())
               for o in options)


def fallback_place(name: str, region: StatedRegion, countries: dict[str, float]) -> tuple[GazPlace, GazPlace]:
    """A place the gazetteer lacks, put at the finest unit of its stated region (the one in the
    country the article is most about): ACLED's convention of the named location at the region's point."""
    unit = max(region.units, key=lambda u: (countries.get(u.country_code, 0), -FINENESS[u.feature]))
    admin1, admin1_id = (unit.admin1, unit.id) if unit.feature == "admin1" else (unit.admin1, unit.admin1_id)
    place_id = -3_000_000_000 - zlib.crc32(f"{norm_name(name)}|{unit.id}".encode("utf-8"))
    return GazPlace(place_id, None, name, unit.latitude, unit.longitude, unit.country_code, admin1, admin1_id,
                    "locality", 0), unit
