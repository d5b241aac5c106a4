"""Estimative language: probability words graded on a yardstick, with the statement they grade.

Yardsticks live in data/estimative.csv: the UK PHIA (2025), the US ICD 203,
and warledger's own bands for ordinary hedges ("may", "could"), marked
`inferred`. A term both yardsticks share ("likely") is read on the yardstick
of the asserting source's country: ICD 203 for US sources, PHIA otherwise.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from ..lexicon import load_csv
from .attribution import attribution_at
from .sentences import sentence_of, text_of
from .sources import SourceEntity

Doc.set_extension("wl_assessments", default=None, force=True)

COMPARATIVES = {"more", "less", "most", "least"}
# Ordinary hedges count only in these grammatical roles.
MODALS = {"may", "might", "could"}
NEED_THAT = {"possible"}
NEED_TO_OR_THAT = {"appears", "seems", "expected", "believed", "thought"}


@dataclass
class Estimate:
    start_char: int
    end_char: int
    phrase: str
    standard: str
    low: float
    high: float
    statement_start: int
    statement_end: int
    statement: str
    source: SourceEntity | None


@functools.cache
def yardsticks() -> dict[str, dict[str, tuple[float, float]]]:
    """phrase -> standard -> (low, high)."""
    table: dict[str, dict[str, tuple[float, float]]] = {}
    for row in load_csv("estimative.csv"):
        table.setdefault(row["phrase"], {})[row["standard"]] = (float(row["low"]), float(row["high"]))
    return table


def choose_standard(phrase: str, source: SourceEntity | None) -> tuple[str, float, float]:
    options = yardsticks()[phrase]
    if "PHIA" in options and "ICD203" in options:
        standard = "ICD203" if source is not None and source.country == "US" else "PHIA"
    else:
        standard = next(iter(options))
    return (standard, *options[standard])


def _grammatical(span: Span) -> bool:
    """Whether a hedge word is used as a hedge here (a modal, 'appears to', 'it is possible that')."""
    doc = span.doc
    head = span[-1]
    word = span.text.lower()
    if span.start > 0 and doc[span.start - 1].lower_ in COMPARATIVES:
        return False
    nxt = doc[span.end].lower_ if span.end < len(doc) else ""
    if word in MODALS:
        # "so he could propose": purpose, not possibility
        return head.tag_ == "MD" and not (span.start > 1 and doc[span.start - 2].lower_ == "so")
    if word in NEED_THAT:
        return nxt == "that"
    if word in NEED_TO_OR_THAT:
        return nxt in ("to", "that")
    return True


def _statement(span: Span) -> tuple[int, int]:
    """Characters of the statement a probability word grades."""
    doc = span.doc
    sent = sentence_of(span[0])
    end_tok = sent.end
    while end_tok > span.end and (doc[end_tok - 1].is_punct or doc[end_tok - 1].is_space):
        end_tok -= 1
    # "It is highly unlikely that S", "There is a realistic possibility that S"
    for tok in doc[span.end:min(span.end + 2, sent.end)]:
        if tok.lower_ == "that":
            return doc[tok.i + 1].idx, doc[end_tok - 1].idx + len(doc[end_tok - 1])
    verb: Token = span.root
    if verb.dep_ in ("aux", "advmod", "acomp", "amod", "auxpass") or verb.tag_ == "MD":
        verb = verb.head  # "may be seeking", "have likely selected": the clause of the verb it modifies
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    subtree = [t for t in verb.subtree if t.i < end_tok]
    if verb.dep_ == "ROOT" or not subtree:
        subtree = [t for t in sent if t.i < end_tok]
    # drop a trailing ", X said" that belongs to attribution, not the statement
    tokens = [t for t in subtree if not (t.head.lemma_ in ("say", "tell", "add") and t.dep_ in ("nsubj",))]
    start, stop = tokens[0], tokens[-1]
    return start.idx, stop.idx + len(stop)


class EstimativeMatcher:
    def __init__(self, nlp: Language):
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.matcher.add("ESTIMATIVE", list(nlp.tokenizer.pipe(yardsticks())))

    def __call__(self, doc: Doc) -> list[Estimate]:
        spans = sorted((Span(doc, s, e) for _, s, e in self.matcher(doc)), key=lambda sp: (sp.start, -len(sp)))
        out: list[Estimate] = []
        last_end = -1
        for span in spans:
            if span.start < last_end or not _grammatical(span):
                continue
            last_end = span.end
            phrase = span.text.lower()
            source = attribution_at(doc, span[0]).source
            standard, low, high = choose_standard(phrase, source)
            s_start, s_end = _statement(span)
            out.append(Estimate(span.start_char, span.end_char, phrase, standard, low, high,
                                s_start, s_end, text_of(doc)[s_start:s_end], source))
        return out


@Language.factory("warledger_estimative")
def make_estimative(nlp: Language, name: str):
    matcher = EstimativeMatcher(nlp)

    def estimative_component(doc: Doc) -> Doc:
        doc._.wl_assessments = matcher(doc)
        return doc

    return estimative_component
