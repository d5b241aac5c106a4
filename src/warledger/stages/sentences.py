"""The sentence of a token, computed once per Doc.

spaCy's `Token.sent` walks the document's sentences on every call; the stages
ask for it thousands of times per article.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token


def sentence_of(token: Token) -> Span:
    doc = token.doc
    index = doc.user_data.get("wl_sentence_index")
    if index is None or len(index[0]) != len(doc):
        spans = list(doc.sents)
        owner = [0] * len(doc)
        for k, sent in enumerate(spans):
            for i in range(sent.start, sent.end):
                owner[i] = k
        index = (owner, spans)
        doc.user_data["wl_sentence_index"] = index
    return index[1][index[0][token.i]]


def sentence_at(doc: Doc, i: int) -> Span:
    return sentence_of(doc[i])


def text_of(doc: Doc) -> str:
    """The document's text; spaCy's `Doc.text` joins every token again on each access."""
    text = doc.user_data.get("wl_text")
    if text is None:
        text = doc.user_data["wl_text"] = doc.text
    return text


# A wire dateline opening a paragraph: "KYIV, April 7 (Reuters) - ", "GAZA CITY (AP) — ", or
# opening a sentence after a headline run into the text: "... budget. TORRINGTON — City Council"
# (also mid-line when a news agency is named: "By Nate Raymond. BOSTON (Reuters) - ").
# U+0097 is an em dash mis-decoded from Windows-1252. Press-release wires close theirs with
# "--(BUSINESS WIRE)--", "--( )--" once the wire's name is stripped; two towns share one with "&".
_NAME = r"[A-Z][A-Z.'&\- ]{2,}(?:,[^\n()]{0,40}?)?[ \t]*"
_DASH = r"[ \t]*[-\u2013\u2014\u0097]+(?:[ \t]|\((?=[^)\n]{0,30}\)--))"
_AGENCY = (r"\((?:Reuters|AP|AFP|UPI|dpa|Xinhua|TASS|Interfax|Ukrinform|Anadolu|IANS|PTI|Bloomberg|CNN)\)")
DATELINE = re.compile(rf"(?:^[ \t]*|(?<=[.!?] )){_NAME}(?:\([^)\n]{{1,30}}\))?{_DASH}|\b{_NAME}{_AGENCY}{_DASH}",
                      re.MULTILINE)


def _datelines(doc: Doc) -> list[tuple[int, int, bool]]:
    """Each dateline's character span, and whether a news agency filed it."""
    spans = doc.user_data.get("wl_datelines")
    if spans is None:
        spans = doc.user_data["wl_datelines"] = [
            (*m.span(), re.search(_AGENCY, m.group()) is not None) for m in DATELINE.finditer(text_of(doc))]
    return spans


def in_dateline(token: Token) -> bool:
    """Whether a token sits in a dateline: where the story was filed, not where or by whom things happened."""
    return any(a <= token.idx < b for a, b, _ in _datelines(token.doc))


def in_wire_dateline(token: Token) -> bool:
    """Whether a token sits in a news agency's dateline ("WASHINGTON (AP) -"), which names a city alone
    only when it is the one everyone knows by that name (others get their state: "CAMP MURRAY, Wash.")."""
    return any(a <= token.idx < b and wire for a, b, wire in _datelines(token.doc))
