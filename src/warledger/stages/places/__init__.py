"""Places: every place an article names, found and resolved against the offline gazetteer.

recognise.py finds the spans that name places, regions.py reads the region a text
states for a name, features.py scores each gazetteer entry a name may stand for,
resolve.py picks one; `explain` says why.
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from ...gazetteer import GazPlace
from .features import score
from .recognise import (
    BEARINGS,
    ETHNIC_MARKERS,
    PLACE_KINDS,
    PLACE_NOUNS,
    Recogniser,
    is_rare_word,
)
from .resolve import PlaceMention, Resolver

__all__ = ["BEARINGS", "ETHNIC_MARKERS", "PLACE_KINDS", "PLACE_NOUNS", "PlaceMention", "is_rare_word", "Explanation", "explain"]

Doc.set_extension("wl_places", default=None, force=True)



@dataclass
class Explanation:
    """Why a name is placed where it is: the entries it may stand for, best first, each with its score
    and features (features.py), and the rule that bound it, if any."""

    text: str
    chosen: GazPlace
    rule: str | None  # "stated region binds", "placed at its stated region", "names another place's region"
    entries: list[tuple[GazPlace, float, dict[str, float]]]
    outside: list[GazPlace]  # entries of the name dropped for lying outside the stated region


def explain(doc: Doc, top: int = 5) -> list[Explanation]:
    """Resolve a processed Doc's places again, keeping every score."""
    finder = Resolver()
    finder.trace = {}
    candidates = Recogniser().candidates(doc)
    out = []
    for mention in finder.resolve(doc, candidates):
        k = next(i for i, c in enumerate(candidates)  # a fallback's name may start before its candidate's
                 if c.start <= mention.start < c.end or mention.start <= c.start < mention.end)
        scored = sorted(((o, score(f), f) for o, f in finder.trace.get(k, [])), key=lambda e: -e[1])
        region = finder.stated[k]
        rule = ("placed at its stated region" if mention.fallback else "names another place's region"
                if mention.context else "stated region binds" if region is not None else None)
        outside = [o for o in candidates[k].options if region is not None and not region.contains(o)]
        out.append(Explanation(doc[mention.start:mention.end].text, mention.place, rule, scored[:top], outside))
    doc.user_data.pop("wl_tokens", None)
    doc.user_data.pop("wl_capitalised", None)
    return out


@Language.factory("warledger_places")
def make_places(nlp: Language, name: str):
    recogniser, resolver = Recogniser(), Resolver()

    def places_component(doc: Doc) -> Doc:
        doc._.wl_places = resolver.resolve(doc, recogniser.candidates(doc))
        for key in ("wl_tokens", "wl_capitalised"):  # working copies, not part of the Doc's record
            doc.user_data.pop(key, None)
        return doc

    return places_component
