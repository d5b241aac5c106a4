"""The sentence of a token, computed once per Doc.

spaCy's `Token.sent` walks the document's sentences on every call; the stages
ask for it thousands of times per article.
"""
from __future__ import annotations

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
