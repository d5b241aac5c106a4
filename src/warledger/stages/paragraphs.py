"""Paragraphs: a line break always starts a new sentence.

Runs before the parser, which keeps boundaries already set. Without it a
headline with no full stop runs into the first paragraph, and a quote's
attribution leaks across paragraphs.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.component("warledger_paragraphs")
def paragraphs_component(doc: Doc) -> Doc:
    for tok in doc[1:]:
        previous = doc[tok.i - 1]
        if "\n" in previous.text or "\n" in previous.whitespace_:
            tok.is_sent_start = True
    return doc
