"""Quantities: figures that are claims about a war, as low/best/high with what they count.

A figure is a claim when it counts something in data/quantities.yaml
(troops, casualties, attacks, drones, depots...). What happened to what it
counts (killed, shot down, struck, recruited) comes from the words its clause
hangs on, and picks the category. Years, times, durations, ages, distances,
model names (Su-24M) and figures inside dates are not claims.

Official tallies are read as runs of items ("tanks ‒ 1285 (+7), APV ‒ 3141
(+25)", or "392 aircraft, 213 helicopters ... have been destroyed"): each item
is a claim with its item (tanks, personnel), a running total since the period's
start and, where given, the change over the past day.
"""
from __future__ import annotations

import functools
import re
import dataclasses
from dataclasses import dataclass
from datetime import date, timedelta

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from ..lexicon import country_markers, load_yaml, normalise
from ..numbers import as_int_if_whole, is_number_word, parse_number
from .attribution import attribution_at
from .dates import ResolvedDate
from .estimative import Estimate
from .quotes import is_cue
from .sentences import sentence_at, sentence_of, text_of
from .sides import enemy_in, only_enemy, side_of_word, state
from .sources import SourceEntity, author_entity

Doc.set_extension("wl_claims", default=None, force=True)

AGGREGATE_NOUNS = {"number", "average", "total", "figure", "toll", "count", "tally", "tallies"}
DROPPED_MODIFIERS = {"more", "additional", "further", "other", "new", "some", "just", "only", "another", "extra"}
# Categories whose counted things belong to the clause's subject ("Russia launched 30 drones")
SUBJECT_OWNS = {"troops", "mobilisation", "recruitment_target", "missiles_launched", "drones_launched", "attacks", "strikes"}
# ... and those that belong to the subject's enemy ("Ukraine shot down 30 drones")
OBJECT_OWNS = {"killed", "wounded", "casualties", "drones_shot_down", "missiles_shot_down", "aircraft_destroyed",
               "equipment_destroyed", "targets_struck", "prisoners", "civilians_killed"}
MODEL_NAME = re.compile(r"[A-Za-z]+-?\d|\d+[A-Za-z]")


@dataclass
class Quantity:
    start: int  # tokens of the figure
    end: int
    counted: Token | None
    category: str
    subject: str
    side: str | None
    low: float | None
    best: float | None
    high: float | None
    qualifier: str
    unit: str
    date: ResolvedDate | None
    source: SourceEntity | None
    via: list[SourceEntity]
    hedge: Estimate | None
    sentence: Span
    rate: str | None
    statistic: str | None
    place: object | None = None  # GazPlace named in the figure's clause
    item: str | None = None  # what an official tally counts (data/quantities.yaml tally_items)
    period: str | None = None  # cumulative or daily

    @property
    def start_char(self) -> int:
        return self.sentence.doc[self.start].idx

    @property
    def end_char(self) -> int:
        tok = self.sentence.doc[self.end - 1]
        return tok.idx + len(tok)


@functools.cache
def _lex() -> dict:
    return load_yaml("quantities.yaml")


@functools.cache
def noun_class_of() -> dict[str, str]:
    out = {}
    for cls, words in _lex()["noun_classes"].items():
        for w in words:
            out.setdefault(w, cls)
    return out


@functools.cache
def action_classes_of() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for cls, words in _lex()["action_classes"].items():
        for w in words:
            out.setdefault(w, set()).add(cls)
    return {k: frozenset(v) for k, v in out.items()}


def _phrase_lookup(table: dict[str, str], words: list[str]) -> str | None:
    """Longest suffix of the words present in the table ("fuel depot" before "depot")."""
    for k in range(min(3, len(words)), 0, -1):
        hit = table.get(" ".join(words[-k:]))
        if hit:
            return hit
    return None


def noun_class(tok: Token) -> str | None:
    words = [t.lemma_.lower() for t in tok.lefts if t.dep_ == "compound"] + [tok.lemma_.lower()]
    return _phrase_lookup(noun_class_of(), words) or noun_class_of().get(tok.lower_)


def category_for(cls: str, actions: set[str]) -> str | None:
    for rule in _lex()["category_rules"]:
        if cls not in rule["classes"]:
            continue
        if "actions_all" in rule and not set(rule["actions_all"]) <= actions:
            continue
        if "actions_any" in rule and not actions & set(rule["actions_any"]):
            continue
        if "actions_none" in rule and actions & set(rule["actions_none"]):
            continue
        return rule["category"]
    return None


def _action_classes(words) -> set[str]:
    table = action_classes_of()
    out: set[str] = set()
    for w in words:
        out |= table.get(w.lemma_.lower(), frozenset())
        out |= table.get(w.lower_, frozenset())
    return out


def _near_actions(counted: Token, figure: Token) -> set[str]:
    """What befalls the counted thing itself: its own verb ('drones launched by Russia'),
    or the verb of a figure standing apart ('shot down 29 of 31 drones')."""
    own = [c for c in counted.children if c.dep_ in ("acl", "relcl")]
    part = _part_of_a_total(figure)
    if part is None and own and any((_part_of_a_total(c) or c).i == figure.i for c in figure.children):
        return _action_classes(w for w in own if w.pos_ in ("VERB", "AUX", "NOUN", "ADP", "ADJ"))  # the 19 launched
    if part is not None:
        figure, own = part, []  # "shot down 14 of 19 drones launched": the 14 are what was shot down
    told = [c for c in figure.children if c.dep_ in ("acl", "relcl") and c.pos_ == "VERB"]
    if told:  # "Over 50 killed, over 120 wounded soldiers": the 50's own verb
        return _action_classes(told)
    first = _first_conjunct(counted)
    if figure.i != counted.i and figure.head.i != counted.i:
        verb = figure.head
    elif first.dep_ in ("dobj", "nsubjpass") and first.head.pos_ == "VERB":
        verb = first.head  # "injured 14 others", "57 attacks were reported", "shot dead 2 priests and 10 others"
    else:
        verb = None
    words = own + [c for noun in dict.fromkeys((counted, first)) for c in noun.children
                   if c.dep_ == "amod" and c.pos_ == "ADJ"]  # "shot dead two men", "shot dead 2 priests and 10 others"
    if verb is not None:
        # "were killed or wounded" shares the figure; "killed two and injured 14 others" and
        # "1 was killed and 11 were injured" do not; "shot two farmers dead"
        words += [verb] + [c for c in verb.children if c.dep_ == "prt" or (
            c.dep_ == "conj" and c.pos_ == "VERB"
            and not any(g.dep_ in ("dobj", "nsubj", "nsubjpass") for g in c.children))
            or c.dep_ in ("acomp", "oprd", "advcl") and c.pos_ == "ADJ"]
    classes = _action_classes(w for w in words if w.pos_ in ("VERB", "AUX", "NOUN", "ADP", "ADJ"))
    if verb is not None and only_tried(verb):
        classes -= {"kill", "wound"}  # "tried to kill 3 traders"; not "killed 3 militants who tried to attack"
    return classes


def only_tried(verb: Token) -> bool:
    """'attempted to lynch', 'tried to kill': an act tried, not done."""
    return verb.dep_ == "xcomp" and "attempt" in _action_classes([verb.head])


def _first_conjunct(noun: Token) -> Token:
    """'10 parishioners' in '2 priests and 10 parishioners': the list's first member, whose verb it shares;
    not a member with a verb of its own ('2 priests and 10 parishioners fled': a misparse)."""
    while noun.dep_ == "conj" and noun.head.pos_ in ("NOUN", "PROPN", "NUM") \
            and not any(c.dep_ in ("acl", "relcl") or c.pos_ == "VERB" for c in noun.children):
        noun = noun.head
    return noun


def _part_of_a_total(figure: Token) -> Token | None:
    """'14 of 19 drones': for the 14, the 19 it is a part of."""
    head = figure.head
    if figure.dep_ == "quantmod" and figure.i < head.i and head.like_num \
            and any(c.dep_ == "quantmod" and c.lower_ == "of" for c in head.children):
        return head
    return None


def _actions(counted: Token, figure: Token) -> set[str]:
    """Action classes of the words the figure's clause hangs on."""
    words: list[Token] = [counted, *counted.ancestors]
    words += [c for c in counted.children if c.pos_ in ("VERB", "ADJ") or c.dep_ in ("acl", "relcl", "amod")]
    if figure.i != counted.i:
        words += list(figure.ancestors)
    # the verbs' own objects: "launched a mobilisation for 300,000 soldiers"
    words += [c for w in list(words) if w.pos_ in ("VERB", "AUX") for c in w.children
              if c.dep_ in ("dobj", "attr") and c.i != counted.i]
    actions = _action_classes(words)
    return actions | {"kill"} if any(done_to_death(w) for w in words) else actions  # "hacked two farmers to death"


# ------------------------------------------------------------------ figures
@dataclass
class Figure:
    start: int
    end: int
    value: float
    vague: bool = False
    high_value: float | None = None  # a range's upper end
    noun: Token | None = None  # known already ("a bomber")


class FigureFinder:
    def __init__(self, nlp: Language):
        self.vague = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.vague.add("VAGUE", list(nlp.tokenizer.pipe(_lex()["vague_numbers"])))

    def __call__(self, doc: Doc, dates: list[ResolvedDate]) -> list[Figure]:
        in_date = [False] * len(doc)
        for d in dates:
            for i in range(d.start_token, d.end_token):
                in_date[i] = True
        figures: list[Figure] = []
        taken = [False] * len(doc)
        vague_values = _lex()["vague_numbers"]
        for _, s, e in sorted(self.vague(doc), key=lambda m: (m[1], -(m[2] - m[1]))):
            if any(taken[s:e]) or any(in_date[s:e]):
                continue
            phrase = doc[s:e].text.lower()
            for i in range(s, e):
                taken[i] = True
            figures.append(Figure(s, e, vague_values[phrase], vague=True))
        i = 0
        while i < len(doc):
            if taken[i] or in_date[i] or not self._numeric(doc[i]):
                i += 1
                continue
            j = i + 1
            while j < len(doc) and not in_date[j] and (
                self._numeric(doc[j]) or (doc[j].lower_ in ("and", "-") and j + 1 < len(doc)
                                          and self._word_number(doc[j + 1]) and self._word_number(doc[j - 1]))
            ):
                j += 1
            value = parse_number(doc[i:j].text)
            if value is not None and not self._excluded(doc, i, j):
                figures.append(Figure(i, j, value))
            i = j
        figures.sort(key=lambda f: f.start)
        return self._ranges(doc, figures)

    @staticmethod
    def _word_number(tok: Token) -> bool:
        return tok.is_alpha and is_number_word(tok.text)

    @staticmethod
    def _numeric(tok: Token) -> bool:
        if tok.ent_type_ in ("ORDINAL", "TIME", "PERCENT", "MONEY"):
            return False
        return is_number_word(tok.text) and tok.lower_ not in ("score",)

    @staticmethod
    def _excluded(doc: Doc, i: int, j: int) -> bool:
        first = doc[i]
        text = doc[i:j].text
        if first.idx > 0 and text_of(doc)[first.idx - 1] == "-" and first.idx > 1 and text_of(doc)[first.idx - 2].isalpha():
            return True  # Su-24, S-300, T-72
        if MODEL_NAME.search(text) and not re.fullmatch(r"\d+(?:[.,]\d+)*(?:k|m|bn|mln)?", text, re.I):
            return True
        if re.fullmatch(r"(1[89]|20)\d\d", text) and not any(t.dep_ == "nummod" for t in doc[i:j]):
            return True  # a year
        return False

    @staticmethod
    def _ranges(doc: Doc, figures: list[Figure]) -> list[Figure]:
        """'between 30 and 40', '30 to 40', '30-40' into one figure."""
        out: list[Figure] = []
        k = 0
        while k < len(figures):
            f = figures[k]
            if k + 1 < len(figures) and not f.vague:
                g = figures[k + 1]
                gap = doc[f.end:g.start].text.strip().lower()
                before = doc[f.start - 1].lower_ if f.start else ""
                if (gap in ("to", "-", "\u2013") or (gap == "and" and before == "between") or (gap == "or")) and g.value > f.value:
                    out.append(Figure(f.start, g.end, f.value, high_value=g.value))
                    k += 2
                    continue
            out.append(f)
            k += 1
        return out


# ------------------------------------------------------------------ reading a figure
def counted_noun(doc: Doc, fig: Figure) -> Token | None:
    """The noun a figure counts, including 'thousands of civilians' and an elided 'to 69'."""
    if fig.noun is not None:
        return fig.noun
    last = doc[fig.end - 1]
    if fig.vague:
        of = next((c for c in last.children if c.lower_ == "of" and c.i >= fig.end), None)
        if of is not None:
            return next((c for c in of.children if c.dep_ == "pobj"), None)
        if last.head.pos_ in ("NOUN", "PROPN") and last.head.i != last.i:
            return last.head
        if fig.end < len(doc) and doc[fig.end].pos_ in ("NOUN", "PROPN"):
            return doc[fig.end]
        return None
    figure_root = doc[fig.start:fig.end].root
    if figure_root.dep_ in ("nummod", "quantmod", "amod", "compound") and figure_root.head.pos_ in ("NOUN", "PROPN"):
        return figure_root.head
    if figure_root.dep_ == "nummod" and (is_death_word(figure_root.head) or is_wound_word(figure_root.head)):
        return figure_root.head  # "left three dead", "two injured"
    if figure_root.dep_ in ("nummod", "quantmod") and figure_root.head.like_num:
        return counted_noun(doc, Figure(figure_root.head.i, figure_root.head.i + 1, fig.value))
    of = next((c for c in figure_root.children if c.lower_ == "of"), None)
    if of is not None:  # "two of the drones"
        return next((c for c in of.children if c.dep_ == "pobj"), None)
    if fig.end < len(doc) and doc[fig.end].pos_ in ("NOUN", "PROPN") and doc[fig.end].head.i == figure_root.i:
        return doc[fig.end]
    # "declined ... to 69": the number's aggregate subject ("the average number of attacks")
    verb = figure_root
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass") and child.lemma_.lower() in AGGREGATE_NOUNS:
            of = next((c for c in child.children if c.lower_ == "of"), None)
            counted = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
            return counted or child
    return None


CASUALTY_WORDS = frozenset(_lex()["death_words"])
WOUNDED_WORDS = frozenset(_lex()["wound_words"])


def is_death_word(tok: Token) -> bool:
    """'killed', 'dead', 'died', 'slain'; and a verb done 'to death' ('hacked two farmers to death'); not
    one only tried ('attempted to lynch', 'tried to kill')."""
    return (bool({tok.lemma_.lower(), tok.lower_} & CASUALTY_WORDS) or done_to_death(tok)) and not only_tried(tok)


def done_to_death(verb: Token) -> bool:
    """'hacked to death', 'beaten to death'; not 'sentenced to death' (`not_killing_to_death`)."""
    return verb.pos_ == "VERB" and verb.lemma_.lower() not in _lex()["not_killing_to_death"] and any(
        c.dep_ == "prep" and c.lower_ == "to" and any(g.lower_ == "death" for g in c.children) for c in verb.children)


def is_wound_word(tok: Token) -> bool:
    return bool({tok.lemma_.lower(), tok.lower_} & WOUNDED_WORDS)


def casualty_word(number: Token) -> Token | None:
    """The word that makes a bare number a toll of people ('Three killed', 'One dead', 'kills six',
    'Four reported killed'), or None."""
    def casualty(tok: Token) -> bool:
        return is_death_word(tok) or is_wound_word(tok)

    if not number.like_num:
        return None
    for child in number.children:
        if child.dep_ in ("acl", "amod", "relcl") and casualty(child):
            return child
    head = number.head
    if number.dep_ in ("nsubj", "nsubjpass", "dobj") and head.i != number.i:
        if casualty(head):
            return head
        return next((c for c in head.children if c.dep_ == "xcomp" and casualty(c)), None)
    return None


TARGET_PREPS = {"on", "at", "against", "near", "towards", "toward", "into", "in", "over", "across", "around", "outside"}
PEOPLE_CATEGORIES = {"killed", "wounded", "casualties", "civilians_killed", "prisoners"}


def party(tok: Token, speaker_side: str | None) -> str | None:
    """The state a word points at; a country's name counts when it acts or owns ('Russia's losses',
    'Russia lost', 'shot down by Ukraine')."""
    doc = tok.doc
    possessive = tok.i + 1 < len(doc) and normalise(doc[tok.i + 1].text) == "'s"
    as_side = possessive or tok.dep_ in ("nsubj", "nsubjpass", "poss") or tok.head.dep_ == "agent"
    return side_of_word(tok, speaker_side, country_as_side=as_side)


def _phrase_tokens(node: Token, skip: set[int]) -> list[Token]:
    """A noun phrase's words without its target or location phrases ('strikes on our positions')."""
    out: list[Token] = []
    stack = [node]
    while stack:
        tok = stack.pop()
        if tok.i in skip:
            continue
        out.append(tok)
        stack.extend(c for c in tok.children if not (c.dep_ == "prep" and c.lower_ in TARGET_PREPS))
    return sorted(out, key=lambda t: t.i)


def _is_attacker(tok: Token) -> bool:
    """A word naming who struck: 'Russian artillery shelling', 'killed by Russian troops'."""
    head = tok.head
    while head.dep_ in ("compound", "amod") and head.head.i != head.i:
        head = head.head
    if noun_class(head) in ("strike", "attack", "missile", "drone", "equipment") and head.i != tok.i:
        return True
    agent = tok.head if tok.head.dep_ == "agent" else tok.head.head if tok.head.head.dep_ == "agent" else None
    return agent is not None and agent.head.lemma_.lower() in _lex()["enemy_owns_verbs"]


def side_of(counted: Token, figure: Figure, category: str, speaker_side: str | None) -> str | None:
    """Whose troops, losses or equipment a figure counts. Steps, first answer wins:

    1. a nationality on the counted thing or what it belongs to ("Russian
       casualties", "drones launched by Russia", "Wagner fighters"); an
       attacker named inside it counts for the other side;
    2. for people hit, the state they were hit in ("25 people in Gaza");
    3. for people hit, the attacker named in the clause ("killed in Russian
       shelling"): their enemy lost them;
    4. the clause's subject, read through its verb: its own ("Russia lost",
       "the enemy launched") or its enemy's ("Ukraine shot down"). The walk
       stops at a speech verb: the speaker is not the actor.
    """
    figure_tokens = set(range(figure.start, figure.end))
    people = category in PEOPLE_CATEGORIES
    node = counted
    for _ in range(4):
        for tok in _phrase_tokens(node, figure_tokens):
            code = party(tok, speaker_side)
            if code:
                if people and tok.head.i != counted.i and _is_attacker(tok):
                    return enemy_in(code, counted.doc)
                return code
        if node.dep_ not in ("conj", "appos", "pobj", "prep") or node.head.i == node.i:
            break
        node = node.head
        if node.pos_ == "ADP":
            node = node.head
    verb = _governor(counted)
    if people:
        for holder in (counted, verb):
            for prep in (c for c in holder.children if c.dep_ == "prep" and c.lower_ == "in"):
                place = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if place is not None and country_markers().get(normalise(place.text)) and place.pos_ == "PROPN":
                    return country_markers()[normalise(place.text)]
        counted_subtree = {t.i for t in counted.subtree}
        for tok in verb.subtree:
            if tok.i in counted_subtree or tok.i in figure_tokens:
                continue
            code = party(tok, speaker_side)
            if code and _is_attacker(tok):
                return enemy_in(code, counted.doc)
    counted_subtree = {t.i for t in counted.subtree}

    def own_subject(v: Token) -> Token | None:
        return next((c for c in v.children if c.dep_ == "nsubj" and c.i not in counted_subtree), None)

    subject = own_subject(verb)
    while subject is None and verb.dep_ in ("xcomp", "advcl", "conj", "acl", "pcomp", "ccomp") and verb.head.i != verb.i:
        verb = _governor(verb.head)
        if is_cue(verb):
            return None
        subject = own_subject(verb)
    if subject is None:
        return None
    code = next((c for c in (party(t, speaker_side) for t in subject.subtree) if c), None)
    if code is None:
        return None
    lemma = verb.lemma_.lower()
    if lemma in _lex()["subject_owns_verbs"]:
        return code
    if lemma in _lex()["enemy_owns_verbs"]:
        return enemy_in(code, counted.doc)
    if category in SUBJECT_OWNS:
        return code
    if category in OBJECT_OWNS:
        return enemy_in(code, counted.doc)
    return None


def _subject_text(counted: Token, figure: Figure) -> str:
    """The counted noun with its modifiers, as written ("Russian Su-24M bomber", "daily Russian attacks")."""
    skip = set(range(figure.start, figure.end))
    heads = [t for t in counted.lefts if t.dep_ in ("amod", "compound", "nmod", "poss", "npadvmod")]
    words = {t.i for w in heads for t in w.subtree} | {counted.i}
    doc = counted.doc
    kept = [doc[i] for i in sorted(words) if i not in skip and doc[i].lower_ not in DROPPED_MODIFIERS
            and not doc[i].like_num and doc[i].dep_ != "det"]
    return "".join(t.text_with_ws for t in kept).strip()


def _qualifier(doc: Doc, fig: Figure) -> str:
    if fig.vague:
        return "vague"
    if fig.high_value is not None:
        return "range"
    before = _lex()["qualifiers_before"]
    for k in range(4, 0, -1):
        if fig.start - k < 0:
            continue
        words = normalise(doc[fig.start - k:fig.start].text)
        if words in before:
            return before[words]
    after = _lex()["qualifiers_after"]
    for k in (1, 2):
        words = normalise(doc[fig.end:fig.end + k].text)
        if words in after:
            return after[words]
    if fig.start and doc[fig.start - 1].lower_ in ("a", "an") and doc[fig.start].lower_ == "dozen":
        return "approx"
    return "exact"


def bounds(qualifier: str, value: float, high_value: float | None) -> tuple[float | None, float | None, float | None]:
    """(low, best, high) as SPEC places a figure by its qualifier."""
    value = as_int_if_whole(value)
    if qualifier in ("exact", "approx"):
        return None, value, None
    if qualifier in ("at_least", "vague"):
        return value, None, None
    if qualifier in ("up_to", "less_than"):
        return None, None, value
    return value, None, as_int_if_whole(high_value)


def _rate(counted: Token, figure: Figure) -> tuple[str | None, str | None]:
    words = {normalise(t.text) for t in counted.subtree} | {normalise(t.text) for t in counted.ancestors}
    tokens = [counted, *counted.ancestors]
    for tok in tokens:
        words |= {normalise(t.text) for t in tok.lefts}
    text = " " + " ".join(sorted(words)) + " "
    rate = next((r for w, r in _lex()["rate_words"].items() if f" {w} " in text or w in words), None)
    statistic = next((w for w in _lex()["statistic_words"] if w in words), None)
    return rate, statistic


def _governor(tok: Token) -> Token:
    while tok.pos_ not in ("VERB", "AUX") and tok.head.i != tok.i:
        tok = tok.head
    return tok


def attached_date(doc: Doc, fig: Figure, counted: Token, dates: list[ResolvedDate]) -> ResolvedDate | None:
    """The date expression the figure's clause carries, nearest after the figure first.

    A date on a clause above the figure counts too ("launched a mobilisation
    last autumn for 300,000 soldiers"), except on a speech verb: "said on
    Thursday" dates the statement, not what it reports.
    """
    sent = sentence_at(doc, fig.start)
    verb = _governor(counted)
    clause_verbs = {verb.i} | {a.i for a in verb.ancestors if a.pos_ in ("VERB", "AUX") and not is_cue(a)}
    clause_verbs |= {c.i for c in verb.children if c.dep_ == "conj" and c.pos_ == "VERB"}  # "killed or wounded over the week"
    best: tuple[int, ResolvedDate] | None = None
    for d in dates:
        if d.kind == "duration" or not (sent.start <= d.start_token < sent.end):
            continue
        root = doc[d.start_token:d.end_token].root
        in_counted = counted.left_edge.i <= root.i <= counted.right_edge.i  # "drones launched overnight"
        if _governor(root).i not in clause_verbs and root.head.i != counted.i and not in_counted:
            continue
        distance = d.start_token - fig.end if d.start_token >= fig.end else (fig.start - d.end_token) + 3
        if best is None or distance < best[0]:
            best = (distance, d)
    return best[1] if best else None


def clause_place(doc: Doc, counted: Token):
    """The place the figure's clause names: in the counted phrase ('civilians in Gaza'), else on its verb
    ('killed near Bakhmut'); a country only when nothing narrower is named."""
    mentions = doc._.wl_places or []
    sent = sentence_of(counted)
    verb = _governor(counted)
    for scope in ({t.i for t in counted.subtree}, {t.i for t in verb.subtree}):
        named = [m for m in mentions if sent.start <= m.start < sent.end and m.start in scope]
        if named:
            specific = [m for m in named if m.place.feature != "country"] or named
            return min(specific, key=lambda m: abs(m.start - counted.i)).place
    return None


def _is_whole_of_a_part(counted: Token, figure: Token) -> bool:
    """'14 of the 19 drones': the 19 counts the whole the 14 are part of."""
    of = counted.head
    return counted.dep_ == "pobj" and of.lower_ == "of" and of.head.like_num and of.head.i != figure.i \
        and figure.head.i == counted.i


def _item_of(subject: str, category: str) -> str | None:
    """The tally item a figure's words name, when it is that item's kind of claim ('1,285 tanks' lost)."""
    item = tally_item(subject, whole=False)
    return item if item and _lex()["tally_items"][item]["category"] == category else None


def _period_near(doc: Doc, fig: Figure, sentence: Span, when: ResolvedDate | None) -> str | None:
    """A running total ('since February 24', 'since the start of the invasion') or one day's count ('in
    the past day'), by the words between the figure and its neighbouring figures in the sentence."""
    numbers = [t.i for t in sentence if t.like_num and not fig.start <= t.i < fig.end]
    start = max([i + 1 for i in numbers if i < fig.start], default=sentence.start)
    end = min([i for i in numbers if i >= fig.end], default=sentence.end)
    words = period_of(doc[start:end].text)
    if when is not None:  # its own date is its period: "since February 24" runs to now
        return "cumulative" if normalise(when.text).startswith("since") else "daily" if words == "daily" else None
    return words


def _hedge_for(char: int, estimates: list[Estimate]) -> Estimate | None:
    inside = [e for e in estimates if e.statement_start <= char < e.statement_end]
    return min(inside, key=lambda e: e.statement_end - e.statement_start) if inside else None

# ------------------------------------------------------------------ tallies
NUMBER = r"\d{1,3}(?:[,\u00a0\u202f ]\d{3})+(?!\d)|\d+"

LABEL_STOPS = frozenset("\n0123456789‒–—:;,.()+")
LABEL_CHARS = 60
# "392 aircraft, 213 helicopters, ... as well as 8,252 units of special military vehicles have been destroyed"
PROSE_ITEM = re.compile(
    rf"(?P<total>{NUMBER})\s+(?:units of\s+|pieces of\s+)?(?P<label>[^\W\d_][^\n\d:;,.()]*?)"
    r"(?=\s*(?:[,;.(:]|\s+and\s+\d|\s+as well as\b|\s+have\b|\s+has\b|\s+were\b|\s+was\b|\s*$))")
DATE_RANGE = re.compile(r"\bfrom\s+(\d{1,2})\.(\d{1,2})(?:\.(\d{2,4}))?\s+to\s+(\d{1,2})\.(\d{1,2})(?:\.(\d{2,4}))?")


@functools.cache
def approx_words() -> str:
    """The words that make a figure approximate (`qualifiers_before` in the lexicon), as a regex group."""
    words = sorted((w for w, q in _lex()["qualifiers_before"].items() if q == "approx"), key=len, reverse=True)
    return "|".join(re.escape(w) for w in words)


@functools.cache
def list_value() -> re.Pattern:
    """'tanks ‒ 1285 (+7)', 'personnel ‒ about 29050 (+200) persons were liquidated', 'MLRS - 201 (+0)': found
    by the dash and number (rare in prose, so quick to scan for), the label read back from the dash."""
    return re.compile(rf"\s*(?:[‒–—]|(?<=\s)-)\s*(?P<about>(?:{approx_words()})(?![^\W\d]))?\s*"
                      rf"(?P<total>{NUMBER})(?:\s*\(\s*\+\s*(?P<day>{NUMBER})\s*\))?", re.IGNORECASE)


def tally_items() -> list[str]:
    """The tally items, in the vocabulary's order (personnel first, as the tallies list them)."""
    return list(_lex()["tally_items"])


@functools.cache
def tally_words() -> dict[str, str]:
    """normalised words -> tally item."""
    return {normalise(w): item for item, row in _lex()["tally_items"].items() for w in row["words"]}


def tally_item(label: str, whole: bool) -> str | None:
    """The item a tally names: its label exactly (`whole`), or the longest item words inside it
    ("UAV operational-tactical level" is uavs, "vehicles and fuel tanks" not fuel tanks)."""
    text = normalise(label).strip(" -")
    if whole:
        return tally_words().get(text)
    padded = f" {text} "
    found = [w for w in tally_words() if f" {w} " in padded]
    return tally_words()[max(found, key=len)] if found else None


def period_of(text: str) -> str | None:
    """'cumulative' or 'daily' when the words around a figure say so."""
    lowered = normalise(text)
    for kind in ("daily", "cumulative"):
        if any(w in lowered for w in _lex()["period_words"][kind]):
            return kind
    return None


def _label_before(text: str, end: int) -> tuple[int, int] | None:
    """The label a list item's dash follows: back to the line's or the last item's end, starting with a letter."""
    start = end
    while start > 0 and end - start < LABEL_CHARS and text[start - 1] not in LABEL_STOPS:
        start -= 1
    while start < end and not text[start].isalpha():
        start += 1
    return (start, end) if start < end else None


@dataclass
class TallyItem:
    item: str
    label: tuple[int, int]  # characters
    total: tuple[int, int]
    day: tuple[int, int] | None
    about: bool


class TallyReader:
    """Runs of tally items in a text, each item a running total and, where given, the past day's change."""

    def __call__(self, doc: Doc, dates: list[ResolvedDate]) -> list[Quantity]:
        text = text_of(doc)
        out: list[Quantity] = []
        for run in self._runs(text):
            out += self._claims(doc, run, dates)
        return out

    @staticmethod
    def _runs(text: str) -> list[list[TallyItem]]:
        items: list[TallyItem] = []
        for m in list_value().finditer(text):
            label = _label_before(text, m.start())
            item = tally_item(text[label[0]:label[1]], whole=False) if label else None
            if item is not None:
                items.append(TallyItem(item, label, m.span("total"), m.span("day") if m["day"] else None,
                                       bool(m["about"])))
        for m in PROSE_ITEM.finditer(text):
            item = tally_item(m["label"], whole=True)
            if item is not None:
                items.append(TallyItem(item, m.span("label"), m.span("total"), None, False))
        items.sort(key=lambda i: i.total[0])
        runs: list[list[TallyItem]] = []
        gap = _lex()["tally_gap"]
        for item in items:
            last = runs[-1][-1] if runs else None
            if last is not None and min(item.label[0], item.total[0]) - max(last.label[1], last.total[1]) <= gap \
                    and "\n\n" not in text[max(last.label[1], last.total[1]):min(item.label[0], item.total[0])]:
                runs[-1].append(item)
            else:
                runs.append([item])
        return [run for run in runs if len({i.item for i in run}) >= _lex()["tally_min_items"]]

    def _claims(self, doc: Doc, run: list[TallyItem], dates: list[ResolvedDate]) -> list[Quantity]:
        text = text_of(doc)
        first = min(min(i.label[0], i.total[0]) for i in run)
        last = max(max(i.label[1], i.total[1]) for i in run)
        header_start = max(text.rfind("\n\n", 0, first) + 1, first - 300)
        header = text[header_start:first]
        around = header + text[first:min(len(text), last + 120)]
        start_token = doc.char_span(run[0].total[0], run[0].total[1], alignment_mode="expand")[0]
        attribution = attribution_at(doc, start_token)
        source = attribution.source or _publisher(around)
        speaker_side = source.side if source is not None else None
        side = self._side(doc, header_start, first, speaker_side)
        begun, ended = self._period(doc, header, header_start, first, dates)
        approx = bool(re.search(rf"\b(?:{approx_words()})\b", normalise(header)))
        cumulative = period_of(around) == "cumulative" or begun is not None
        out = []
        for item in run:
            row = _lex()["tally_items"][item.item]
            label = doc.char_span(*item.label, alignment_mode="expand")
            counted = label[-1] if label is not None else None
            for span, daily in ((item.total, False), (item.day, True)):
                if span is None:
                    continue
                figure = doc.char_span(*span, alignment_mode="expand")
                value = parse_number("".join(text[span[0]:span[1]].split()))  # "318 830": one number
                if figure is None or value is None:
                    continue
                qualifier = "approx" if (item.about or approx) and not daily else "exact"
                low, best, high = bounds(qualifier, value, None)
                when = None
                if ended is not None:
                    first_day = ended if daily else (begun or ended)
                    when = ResolvedDate(span[0], span[1], "", first_day, ended, "day",
                                        "point" if first_day == ended else "span")
                out.append(Quantity(
                    figure.start, figure.end, counted, row["category"], text[item.label[0]:item.label[1]].strip(),
                    side, low, best, high, qualifier, row["unit"], when, source, attribution.via, None,
                    sentence_at(doc, figure.start), None, None, None,
                    item=item.item, period="daily" if daily else "cumulative" if cumulative else None))
        return out

    @staticmethod
    def _side(doc: Doc, start: int, end: int, speaker_side: str | None) -> str | None:
        """Whose losses: the side its heading names ('losses of the enemy', 'Russian losses'), else the
        enemy of the side that publishes it."""
        for tok in doc.char_span(start, end, alignment_mode="expand") or []:
            code = side_of_word(tok, speaker_side, country_as_side=True)
            if code and code != state(speaker_side):
                return code
        speaker = state(speaker_side)
        return enemy_in(speaker, doc) or only_enemy(speaker)

    @staticmethod
    def _period(doc: Doc, header: str, offset: int, first: int,
                dates: list[ResolvedDate]) -> tuple[date | None, date | None]:
        """(first day, last day) a tally counts: 'from 24.02 to 22.05' (years from the publication date),
        else the war's start its words name and the last date before the list, else the publication date."""
        published = doc._.wl_article.published if doc._.wl_article is not None else None
        ranged = DATE_RANGE.search(header)
        if ranged and published is not None:
            d1, m1, y1, d2, m2, y2 = ranged.groups()
            end = _day_month(int(d2), int(m2), y2, published)
            begin = _day_month(int(d1), int(m1), y1, end) if end else None
            if begin and end and begin <= end:
                return begin, end
        begin = next((date.fromisoformat(str(day)) for words, day in _lex()["war_starts"].items()
                      if words in normalise(header)), None)
        told = [d for d in dates if offset <= d.start_char < first and d.kind == "point"]
        end = told[-1].date_end if told else published
        return begin, end


def _publisher(text: str) -> SourceEntity | None:
    """The body whose bulletin opens with a formula the text uses ('The total combat losses of the enemy
    from 24.02 to ...' is the General Staff's), for a tally that names no speaker."""
    lowered = normalise(text)
    return next((author_entity(name) for formula, name in _lex()["tally_publishers"].items()
                 if formula in lowered), None)


def _day_month(day: int, month: int, year: str | None, reference: date) -> date | None:
    """A 'dd.mm' date: in the year written, else the latest such date not after the reference."""
    try:
        if year:
            return date(int(year) + (2000 if len(year) == 2 else 0), month, day)
        guess = date(reference.year, month, day)
        return guess if guess <= reference + timedelta(days=1) else date(reference.year - 1, month, day)
    except ValueError:
        return None


class QuantityReader:
    def __init__(self, nlp: Language):
        self.figures = FigureFinder(nlp)
        self.tallies = TallyReader()
        self.not_claim = set(_lex()["not_claim_nouns"])
        self.units = _lex()["class_units"]

    def __call__(self, doc: Doc) -> list[Quantity]:
        dates = doc._.wl_dates or []
        estimates = doc._.wl_assessments or []
        out: list[Quantity] = self.tallies(doc, dates)
        in_tally = {i for q in out for i in range(q.start, q.end)}
        figures = self.figures(doc, dates) + self._article_counts(doc)
        for fig in sorted(figures, key=lambda f: f.start):
            if in_tally & set(range(fig.start, fig.end)):
                continue
            counted = counted_noun(doc, fig)
            cls = toll = None
            if counted is None:
                toll = casualty_word(doc[fig.start:fig.end].root)  # "Three killed", "kills six"
                if toll is not None:
                    counted, cls = doc[fig.start:fig.end].root, "person"
            if counted is not None and counted.lower_ in ("them", "those") and counted.head.lower_ == "of":
                part = self._part_of_last(doc, fig, out)  # "lost 1,285 tanks ..., seven of them in the past day"
                if part is not None:
                    out.append(part)
                continue
            if counted is None or toll is None and (counted.lemma_.lower() in self.not_claim
                                                    or counted.lower_ in self.not_claim):
                continue
            if counted.lemma_.lower() in AGGREGATE_NOUNS and noun_class(counted) != "fatality":
                continue  # "the number of attacks fell to 69" is counted above; "the death toll rose to 11" counts the dead
            cls = cls or noun_class(counted)
            if cls is None:
                continue
            figure_root = doc[fig.start:fig.end].root
            near = _near_actions(counted, figure_root)
            category = (category_for(cls, near) if near else None) or category_for(cls, _actions(counted, figure_root))
            if toll is not None:
                category = "wounded" if is_wound_word(toll) else "killed"
            if category is None:
                continue
            if _is_whole_of_a_part(counted, figure_root):  # the 19 in "shot down 14 of the 19 drones"
                category = _lex()["whole_of_part"].get(category, category)
            qualifier = _qualifier(doc, fig)
            low, best, high = bounds(qualifier, fig.value, fig.high_value)
            attribution = attribution_at(doc, doc[fig.start])
            speaker_side = attribution.source.side if attribution.source is not None else None
            rate, statistic = _rate(counted, fig)
            sentence = sentence_at(doc, fig.start)
            when = attached_date(doc, fig, counted, dates)
            subject = _subject_text(counted, fig)
            out.append(Quantity(
                fig.start, fig.end, counted, category, subject,
                side_of(counted, fig, category, speaker_side), low, best, high, qualifier, self.units.get(cls, "items"),
                when, attribution.source, attribution.via,
                _hedge_for(doc[fig.start].idx, estimates), sentence, rate, statistic, clause_place(doc, counted),
                item=_item_of(subject, category), period=None if statistic else _period_near(doc, fig, sentence, when),
            ))
        out.sort(key=lambda q: q.start)
        self._carry_sides(doc, out)
        return out

    @staticmethod
    def _part_of_last(doc: Doc, fig: Figure, found: list[Quantity]) -> Quantity | None:
        """'seven of them': a part of the figure before it in the sentence, counting the same thing."""
        sentence = sentence_at(doc, fig.start)
        whole = next((q for q in reversed(found) if q.sentence.start == sentence.start and q.start < fig.start), None)
        if whole is None:
            return None
        qualifier = _qualifier(doc, fig)
        low, best, high = bounds(qualifier, fig.value, fig.high_value)
        when = next((d for d in doc._.wl_dates or [] if sentence.start <= d.start_token < sentence.end
                     and d.start_token >= fig.end), None)
        return dataclasses.replace(whole, start=fig.start, end=fig.end, low=low, best=best, high=high,
                                   qualifier=qualifier, date=when, period=_period_near(doc, fig, sentence, when))

    @staticmethod
    def _article_counts(doc: Doc) -> list[Figure]:
        """'destroyed a Russian bomber': the article counts one when an action befalls the noun."""
        rules = _lex()["article_counts"]
        out = []
        for tok in doc:
            if tok.lower_ not in ("a", "an") or tok.dep_ != "det" or tok.head.tag_ not in ("NN", "NNP"):
                continue
            noun = tok.head
            if noun_class(noun) not in rules["classes"]:
                continue
            if _actions(noun, noun) & set(rules["actions"]) and noun.dep_ in ("dobj", "nsubjpass", "conj") \
                    and not only_tried(noun.head):  # 'attempted to lynch a man': no one died
                out.append(Figure(tok.i, tok.i + 1, 1, noun=noun))
        return out

    @staticmethod
    def _carry_sides(doc: Doc, quantities: list[Quantity]) -> None:
        """A figure with no side of its own takes that of the last like figure in its paragraph."""
        last: dict[tuple[int, str], str] = {}
        for q in quantities:
            paragraph = text_of(doc).rfind("\n", 0, q.start_char)
            key = (paragraph, q.category)
            if q.side is None and key in last:
                q.side = last[key]
            elif q.side is not None:
                last[key] = q.side


@Language.factory("warledger_quantities")
def make_quantities(nlp: Language, name: str):
    reader = QuantityReader(nlp)

    def quantities_component(doc: Doc) -> Doc:
        doc._.wl_claims = reader(doc)
        return doc

    return quantities_component
