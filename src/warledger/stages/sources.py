"""Sources: who could be asserting something, normalised to one name with kind and side.

Three kinds of mention are found:
- known bodies and people from data/sources.yaml, by alias;
- state bodies described by a country and a role ("Ukraine's general staff",
  "the Ministry of Defence in London", "Ukrainian military officials"),
  named through data/countries.yaml and data/roles.yaml;
- named persons (spaCy PERSON), whose description ("Ukrainian military
  analyst", "head of the IAEA") gives their kind, side and affiliation.

`SpeakerResolver` turns the subject of a speech verb into one of these, and
resolves "he", "it", "they" and "the briefing" to the source named before.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from ..gazetteer import gazetteer, is_sizeable_place, norm_name
from ..lexicon import (
    countries,
    country_markers,
    load_yaml,
    normalise,
    source_side,
)
from .sentences import sentence_at

Doc.set_extension("wl_mentions", default=None, force=True)
Doc.set_extension("wl_unanchored_roles", default=None, force=True)
# Roles too vague to pin on the document's main country when none is named.
NO_FOCUS_ROLES = {"government", "media"}

PERSONAL_PRONOUNS = {"he", "she", "him", "her"}
OBJECT_PRONOUNS = {"it", "its"}
PLURAL_PRONOUNS = {"they", "them"}
FIRST_PERSON = {"i", "we"}


@dataclass(eq=False)
class SourceEntity:
    key: str
    name: str
    kind: str
    side: str
    country: str | None = None
    affiliation: str | None = None
    person: bool = False
    surname: str | None = None


@dataclass
class Mention:
    start: int  # token index
    end: int
    entity: SourceEntity
    # where the title before a person's name starts ('Kherson governor Oleksandr Prokudin'), None without
    # one: the town in it is a place of the text, and where an act the person tells of happened only when
    # nothing else says where
    title_start: int | None = None

    def contains(self, i: int) -> bool:
        return self.start <= i < self.end


@dataclass
class SourceRegistry:
    """One entity per source in a document, whatever the mentions call it."""

    by_key: dict[str, SourceEntity] = field(default_factory=dict)

    def get(self, entity: SourceEntity) -> SourceEntity:
        return self.by_key.setdefault(entity.key, entity)


# ------------------------------------------------------------------ lexicons
@functools.cache
def _roles() -> dict:
    return load_yaml("roles.yaml")


@functools.cache
def _known() -> dict:
    return load_yaml("sources.yaml")


@functools.cache
def person_role_phrases() -> list[tuple[str, str]]:
    """(phrase, kind), longest first."""
    return sorted(_roles()["person_roles"].items(), key=lambda kv: -len(kv[0]))


@functools.cache
def institution_roles() -> dict[str, dict]:
    return {row["key"]: row for row in _roles()["institutions"]}


def institution_entity(code: str, role_key: str) -> SourceEntity:
    role = institution_roles()[role_key]
    country = countries()[code]
    name = country.get("institutions", {}).get(role_key) or f"{role['title']} of {country['name']}"
    known = _known_by_name().get(normalise(name))
    if known:
        return known
    side = code if role["kind"] in ("media",) else source_side(code)
    return SourceEntity(key="body:" + normalise(name), name=name, kind=role["kind"], side=side, country=code)


@functools.cache
def _known_by_name() -> dict[str, SourceEntity]:
    out = {}
    for row in _known()["bodies"]:
        out[normalise(row["name"])] = SourceEntity(
            key="body:" + normalise(row["name"]), name=row["name"], kind=row["kind"], side=row["side"],
            country=row.get("country"),
        )
    for row in _known()["persons"]:
        out[normalise(row["name"])] = SourceEntity(
            key="person:" + normalise(row["name"]), name=row["name"], kind=row["kind"], side=row["side"],
            country=row.get("country"), affiliation=row.get("affiliation"), person=True,
            surname=row["name"].split()[-1],
        )
    return out


@functools.cache
def alias_table() -> dict[str, SourceEntity]:
    """alias (normalised) -> entity, for known bodies and persons."""
    table: dict[str, SourceEntity] = {}
    known = _known_by_name()
    for group in ("bodies", "persons"):
        for row in _known()[group]:
            entity = known[normalise(row["name"])]
            for alias in [row["name"]] + row.get("aliases", []):
                table[normalise(alias)] = entity
    return table


@functools.cache
def author_entity(name: str | None) -> SourceEntity | None:
    """Who an input says wrote it ("General Staff of the Armed Forces of Ukraine, daily losses report"):
    the known body or person whose longest alias it contains, else a source of that name, side unknown."""
    if not name or not name.strip():
        return None
    text = " " + " ".join(re.sub(r"[^\w'\-]+", " ", normalise(name)).split()) + " "
    found = [(len(alias), entity) for alias, entity in alias_table().items() if f" {alias} " in text]
    if found:
        return max(found, key=lambda hit: hit[0])[1]
    return SourceEntity(key="author:" + normalise(name), name=name.strip(), kind="unknown", side="UNKNOWN")


def _is_acronym(alias: str) -> bool:
    letters = [c for c in alias if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(alias) <= 6


# Role nouns that head a body's name as often as a person's title ("administration Gainesville ...").
MAX_TITLE_WORDS = 6  # 'Donetsk regional military administration head' before a name, at most
NOT_TITLES = {"administration", "staff", "office", "tank", "kyiv", "general"}


# ------------------------------------------------------------------ matching
class SourceMatcher:
    """Finds source mentions in a Doc. Built once per pipeline."""

    def __init__(self, nlp: Language):
        self.alias_lower = PhraseMatcher(nlp.vocab, attr="NORM")
        self.alias_exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        lower, exact = [], []
        for alias in alias_table():
            original = self._original_alias(alias)
            (exact if _is_acronym(original) else lower).append(original)
        self.alias_lower.add("ALIAS", list(nlp.tokenizer.pipe(lower)))
        self.alias_exact.add("ALIAS", list(nlp.tokenizer.pipe(exact)))
        self.roles = PhraseMatcher(nlp.vocab, attr="NORM")
        for key, row in institution_roles().items():
            self.roles.add(key, list(nlp.tokenizer.pipe(row["phrases"])))
        self.person_role_words = {w for phrase, _ in person_role_phrases() for w in phrase.split()}
        # the nouns that end a role ("governor", "analyst"), not its other words ("of", "the", "regional")
        self.role_nouns = {phrase.split()[-1] for phrase, _ in person_role_phrases()} - NOT_TITLES

    @staticmethod
    @functools.cache
    def _original_alias(alias: str) -> str:
        for group in ("bodies", "persons"):
            for row in _known()[group]:
                for a in [row["name"]] + row.get("aliases", []):
                    if normalise(a) == alias:
                        return a
        return alias

    def __call__(self, doc: Doc) -> list[Mention]:
        mentions: list[Mention] = []
        doc._.wl_unanchored_roles = []
        taken = [False] * len(doc)
        registry: dict[str, SourceEntity] = {}

        def add(start: int, end: int, entity: SourceEntity, title_start: int | None = None) -> None:
            entity = registry.setdefault(entity.key, entity)
            mentions.append(Mention(start, end, entity, title_start))
            for i in range(start, end):
                taken[i] = True

        # known aliases, longest first
        table = alias_table()
        spans = [Span(doc, s, e) for _, s, e in self.alias_lower(doc)] + [
            Span(doc, s, e) for _, s, e in self.alias_exact(doc)
        ]
        for span in sorted(spans, key=lambda sp: (-(sp.end - sp.start), sp.start)):
            if any(taken[span.start:span.end]):
                continue
            entity = table.get(normalise(span.text))
            if entity is None:
                continue
            start = span.start + (1 if doc[span.start].lower_ == "the" else 0)
            add(start, span.end, entity)
        # named persons
        for ent in doc.ents:
            if ent.label_ != "PERSON" or any(taken[ent.start:ent.end]):
                continue
            person = self._person(doc, ent, registry)
            if person is not None:
                add(ent.start, ent.end, person, self._title_start(doc, ent.start, taken))
        # "mayor Dmytro Orlov": capitalised names right after a person's role word (the model often misses them)
        for start, end in self._titled_names(doc, taken):
            person = self._person(doc, doc[start:end], registry)
            if person is not None:
                add(start, end, person, self._title_start(doc, start, taken))
        # "<country> <role>" institutions
        role_hits = sorted(((s, e, nlp_key) for nlp_key, s, e in self.roles(doc)), key=lambda h: (h[0], -(h[1] - h[0])))
        seen_roles: dict[str, str] = {}
        for match_id, start, end in self._longest(role_hits):
            if any(taken[start:end]):
                continue
            key = doc.vocab.strings[match_id]
            if end < len(doc) and doc[end].lower_ in self.person_role_words:
                continue  # "Ukrainian military analyst": a description of a person
            found = self._country_of_role(doc, start, end)
            if found:
                code, m_start, m_end = found
                seen_roles[key] = code
            elif key in seen_roles and key not in NO_FOCUS_ROLES:
                code, m_start, m_end = seen_roles[key], start, end
            else:
                doc._.wl_unanchored_roles.append((start, end, key))
                continue
            if any(taken[m_start:m_end]):
                m_start, m_end = start, end
            add(m_start, m_end, institution_entity(code, key))
        mentions.sort(key=lambda m: m.start)
        return mentions

    def _title_start(self, doc: Doc, start: int, taken: list[bool]) -> int | None:
        """Where the title before a person's name starts, with the town or region it names: "Kherson
        governor Oleksandr Prokudin", "Youngstown State University President David Sweet"."""
        sent_start = sentence_at(doc, start).start
        i = start
        while i > sent_start and doc[i - 1].lower_ in self.role_nouns and not taken[i - 1]:
            i -= 1
        if i == start:
            return None
        while i > sent_start and start - i < MAX_TITLE_WORDS and not taken[i - 1] and (
                doc[i - 1].lower_ in self.person_role_words
                or (doc[i - 1].is_title and doc[i - 1].pos_ == "PROPN")):
            i -= 1
        return i

    def _titled_names(self, doc: Doc, taken: list[bool]) -> list[tuple[int, int]]:
        """Spans of two or three capitalised proper nouns that follow a role word ('governor', 'analyst')."""
        out = []
        for tok in doc:
            if tok.lower_ not in self.role_nouns or tok.pos_ not in ("NOUN", "PROPN"):
                continue
            end = tok.i + 1
            while end < len(doc) and end - tok.i <= 3 and doc[end].is_title and doc[end].pos_ == "PROPN" \
                    and not taken[end]:
                end += 1
            if end - tok.i - 1 >= 2:
                out.append((tok.i + 1, end))
        return out

    @staticmethod
    def _longest(hits):
        out, last_end = [], -1
        for start, end, key in sorted(hits, key=lambda h: (h[0], -(h[1] - h[0]))):
            if start >= last_end:
                out.append((key, start, end))
                last_end = end
        return out

    @staticmethod
    def _country_of_role(doc: Doc, start: int, end: int) -> tuple[str, int, int] | None:
        """The state a role phrase belongs to, from the words around it, with the widened span."""
        markers = country_markers()
        sent_start = sentence_at(doc, start).start
        # left: "Ukraine's general staff", "the Ukrainian military", "British defence chiefs"
        i = start - 1
        while i >= max(sent_start, start - 3):
            tok = doc[i]
            word = normalise(tok.text)
            if word in ("'s",) and i - 1 >= sent_start:
                code = markers.get(normalise(doc[i - 1].text))
                if code:
                    return code, i - 1, end
                break
            code = markers.get(word)
            if code:
                return code, i, end
            if tok.pos_ not in ("ADJ", "NOUN", "PROPN", "DET") or tok.is_punct:
                break
            i -= 1
        # right: "General Staff of the Ukrainian armed forces", "Ministry of Defence in London"
        if end < len(doc) and doc[end].lower_ in ("of", "in"):
            for j in range(end + 1, min(end + 5, len(doc), sentence_at(doc, start).end)):
                code = markers.get(normalise(doc[j].text))
                if code:
                    stop = j + 1
                    while stop < sentence_at(doc, start).end and doc[stop].pos_ in ("NOUN", "PROPN", "ADJ") and stop - j < 3:
                        stop += 1
                    return code, start, stop
                if doc[j].is_punct or doc[j].pos_ == "VERB":
                    break
        return None

    def _person(self, doc: Doc, ent: Span, registry: dict[str, SourceEntity]) -> SourceEntity | None:
        titles = set(_roles()["titles"])
        tokens = [t for t in ent if normalise(t.text) not in titles and not t.is_punct]
        if not tokens:
            return None
        name = " ".join(t.text for t in tokens).replace(" 's", "").replace(" ’s", "").strip()
        if name.endswith(("'s", "’s")):
            name = name[:-2]
        known = alias_table().get(normalise(name))
        if known is not None:
            return known
        if normalise(name) in country_markers() or is_sizeable_place(gazetteer().lookup(norm_name(name))):
            return None  # a place the model took for a person
        surname = tokens[-1].text
        for entity in registry.values():
            if entity.person and entity.surname and normalise(entity.surname) == normalise(surname):
                return entity
        if len(tokens) < 2:
            return None  # a lone unknown name: too often a mis-tagged place
        kind, side, affiliation, country = describe_person(doc, ent.start, ent.end)
        return SourceEntity(
            key="person:" + normalise(name), name=name, kind=kind, side=side, country=country,
            affiliation=affiliation, person=True, surname=surname,
        )


# ------------------------------------------------------------------ persons
def _description_windows(doc: Doc, start: int, end: int) -> tuple[Span, Span]:
    """Words describing a named person: left modifiers and a right apposition."""
    sent = sentence_at(doc, start)
    i = start
    while i > sent.start and start - i < 8:
        tok = doc[i - 1]
        if tok.pos_ in ("VERB", "AUX") or tok.text in (":", ";", "(", ")", "\u201c", "\u201d", '"') or tok.lower_ in ("and", "said", "told"):
            break
        i -= 1
    left = doc[i:start]
    j = end
    if j < sent.end and doc[j].text == ",":
        depth = 0
        j += 1
        while j < sent.end and j - end < 18:
            tok = doc[j]
            if tok.text == "(":
                depth += 1
            elif tok.text == ")":
                depth -= 1
            elif depth == 0 and (tok.text in (",", ".", ";", ":") or (tok.pos_ == "VERB" and tok.dep_ not in ("relcl", "acl"))):
                break
            j += 1
    right = doc[end:j]
    return left, right


def describe_person(doc: Doc, start: int, end: int) -> tuple[str, str, str | None, str | None]:
    """(kind, side, affiliation, country) of a person from the words around the name."""
    left, right = _description_windows(doc, start, end)
    markers = country_markers()
    table = alias_table()
    kind, side, affiliation, country = "unknown", "UNKNOWN", None, None
    for window in (left, right):
        text = " " + normalise(window.text) + " "
        if kind == "unknown":
            for phrase, role_kind in person_role_phrases():
                if f" {phrase} " in text or f" {phrase}s " in text or f" {phrase}," in text:
                    kind = role_kind
                    break
        # an organisation the person speaks for ("head of the IAEA")
        if affiliation is None:
            for alias, entity in sorted(table.items(), key=lambda kv: -len(kv[0])):
                if not entity.person and f" {alias} " in text.replace("(", " ").replace(")", " ").replace(",", " "):
                    representative = any(f" {r} " in text for r in _roles()["representative_roles"])
                    if representative or kind == "unknown":
                        affiliation = entity.name
                        if kind in ("unknown",) or representative:
                            kind, side = entity.kind, entity.side
                    break
        if country is None:
            words = [normalise(t.text) for t in window]
            for k, word in enumerate(words):
                code = markers.get(word) or (markers.get(words[k - 1]) if word == "'s" and k else None)
                if code:
                    country = code
                    break
    official = kind in ("government", "military", "intelligence", "local_official")
    if country is None and official:
        country = _country_of_named_place(left, right)  # "Odesa regional governor"
    if side == "UNKNOWN" and country:
        side = source_side(country) if official else country
    return kind, side, affiliation, country


def _country_of_named_place(*windows: Span) -> str | None:
    """The country of a sizeable place named in a description, for officials titled by their town or region."""
    for window in windows:
        for tok in window:
            if tok.is_title or tok.pos_ == "PROPN":
                options = gazetteer().lookup(norm_name(tok.text))
                if is_sizeable_place(options):
                    return max(options, key=lambda o: o.population).country_code
    return None


# ------------------------------------------------------------------ resolution
class SpeakerResolver:
    """Maps the subject of a speech cue to a source entity, in document order."""

    def __init__(self, doc: Doc, mentions: list[Mention]):
        self.doc = doc
        self.mentions = mentions
        self.registry = SourceRegistry()
        for m in mentions:
            m.entity = self.registry.get(m.entity)
        self.last_speaker: SourceEntity | None = None

    def mention_at(self, i: int) -> Mention | None:
        return next((m for m in self.mentions if m.contains(i)), None)

    def last_mention_before(self, i: int, person: bool | None) -> SourceEntity | None:
        for m in reversed(self.mentions):
            if m.start < i and (person is None or m.entity.person == person):
                return m.entity
        return None

    def resolve(self, subject: Token) -> SourceEntity | None:
        """The source a subject token stands for, or None."""
        m = self.mention_at(subject.i)
        if m:
            return m.entity
        subtree = list(subject.subtree)
        lo, hi = subtree[0].i, subtree[-1].i + 1
        inside = [m for m in self.mentions if m.start >= lo and m.end <= hi]
        if inside:
            persons = [m for m in inside if m.entity.person]
            return (persons or inside)[0].entity
        word = subject.lower_
        if word in PERSONAL_PRONOUNS:
            return self.last_mention_before(subject.i, person=True)
        if word in OBJECT_PRONOUNS or word in PLURAL_PRONOUNS:
            return self.last_mention_before(subject.i, person=False) or self.last_speaker
        if word in FIRST_PERSON:
            return None
        lemma = subject.lemma_.lower()
        if lemma in _roles()["document_nouns"] and subject.tag_ == "NN" and any(
            c.lower_ in ("the", "this", "its", "their", "his", "her", "that") for c in subject.children
        ):
            return self.last_speaker  # "the briefing added", "the statement said"
        role = next(((s, e, k) for s, e, k in (self.doc._.wl_unanchored_roles or []) if s <= subject.i < e), None)
        if role is not None:
            return self._unanchored(*role)
        named_before = self._named_by_head(subject)
        if named_before is not None:
            return named_before
        code = country_markers().get(normalise(subject.text))
        if code and subject.pos_ == "PROPN":
            return self.registry.get(institution_entity(code, "government"))
        generic_kind = _roles()["generic_sources"].get(word) or _roles()["generic_sources"].get(lemma)
        if generic_kind:
            return self._generic(subject, generic_kind, lo, hi)
        if subject.pos_ == "PROPN" and subject.ent_type_ in ("PERSON", "ORG", ""):
            return self._unknown_named(subject)
        return None

    def _named_by_head(self, subject: Token) -> SourceEntity | None:
        """'the ministry said' after 'Russia's Defence Ministry': the body named before whose name has that word."""
        if subject.pos_ != "NOUN" or not any(c.lower_ == "the" for c in subject.children):
            return None
        word = subject.lemma_.lower()
        for m in reversed(self.mentions):
            if m.start < subject.i and not m.entity.person and word in normalise(m.entity.name).split():
                return m.entity
        return None

    def _unanchored(self, start: int, end: int, key: str) -> SourceEntity:
        """'the General Staff said' with no country named: the document's main country's,
        unless the role is too vague to pin ('officials', 'the media')."""
        focus = self.focus_country()
        if focus and key not in NO_FOCUS_ROLES:
            entity = institution_entity(focus, key)
        else:
            words = [t for t in self.doc[start:end] if t.pos_ != "DET"]
            name = " ".join(t.text for t in words)
            entity = SourceEntity(key="generic:" + normalise(name), name=name,
                                  kind=institution_roles()[key]["kind"], side="UNKNOWN")
        return self._remember(start, end, entity)

    @functools.cached_property
    def _focus(self) -> str | None:
        counts: dict[str, int] = {}
        first: dict[str, int] = {}
        markers = country_markers()
        for tok in self.doc:
            code = markers.get(normalise(tok.text))
            if code and tok.pos_ in ("PROPN", "ADJ", "NOUN"):
                counts[code] = counts.get(code, 0) + 1
                first.setdefault(code, tok.i)
        if not counts:
            return None
        return max(counts, key=lambda c: (counts[c], -first[c]))

    def focus_country(self) -> str | None:
        """The state the document names most (the first named, on a tie)."""
        return self._focus

    def _generic(self, subject: Token, kind: str, lo: int, hi: int) -> SourceEntity:
        # "Kherson's governor" is the Kherson governor; "its spokesman" keeps no pronoun
        words = [t for t in self.doc[lo:subject.i + 1] if t.pos_ not in ("DET", "PRON") and not t.is_punct
                 and t.dep_ != "case"]
        name = " ".join(t.text for t in words) or subject.text
        code = next((country_markers().get(normalise(t.text)) for t in words if country_markers().get(normalise(t.text))), None)
        if code is None and kind in ("government", "military", "intelligence", "local_official"):
            code = _country_of_named_place(self.doc[lo:subject.i + 1])  # an official titled by a town or region
        side = (code if kind in ("analyst", "media", "unknown", "ngo") else source_side(code)) if code else "UNKNOWN"
        entity = SourceEntity(key="generic:" + normalise(name), name=name, kind=kind, side=side, country=code)
        return self._remember(lo, subject.i + 1, entity)

    def _unknown_named(self, subject: Token) -> SourceEntity:
        parts = [t for t in subject.lefts if t.dep_ == "compound" and t.pos_ == "PROPN"] + [subject]
        if len(parts) == 1:
            # "Orlov said" after "mayor Dmytro Orlov": the person named in full before
            for m in reversed(self.mentions):
                if m.start < subject.i and m.entity.person and m.entity.surname == subject.text:
                    return self._remember(subject.i, subject.i + 1, m.entity)
        name = " ".join(t.text for t in parts)
        is_person = subject.ent_type_ == "PERSON"
        entity = SourceEntity(key=("person:" if is_person else "body:") + normalise(name), name=name,
                              kind="unknown", side="UNKNOWN", person=is_person, surname=subject.text)
        return self._remember(parts[0].i, subject.i + 1, entity)

    def _remember(self, start: int, end: int, entity: SourceEntity) -> SourceEntity:
        """Keep a speaker found only as a subject, so it has a span and can be referred back to."""
        entity = self.registry.get(entity)
        if not any(m.start == start and m.end == end for m in self.mentions):
            self.mentions.append(Mention(start, end, entity))
            self.mentions.sort(key=lambda m: m.start)
        return entity


@Language.factory("warledger_sources")
def make_sources(nlp: Language, name: str):
    matcher = SourceMatcher(nlp)

    def sources_component(doc: Doc) -> Doc:
        doc._.wl_mentions = matcher(doc)
        return doc

    return sources_component
