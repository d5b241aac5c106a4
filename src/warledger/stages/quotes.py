"""Quotes: direct speech in straight or curly marks, and the cue that introduces it.

A quote left open at the end of a paragraph, with the next paragraph opening
on a quote mark, is the same speaker going on (the British convention, as in
the UK MoD update in the sample). Nested and scare quotes ('volunteer model')
are not quotes of their own. Who speaks is decided in the attribution stage,
which walks the document in order; this stage finds the spans and their cues.
"""
from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Token

from ..lexicon import load_yaml
from .sentences import sentence_at, text_of

Doc.set_extension("wl_quotes", default=None, force=True)

DOUBLE_OPEN = {"\u201c": "\u201d", "\u00ab": "\u00bb", "\u201e": "\u201d"}
DOUBLE_CLOSE = {"\u201d", "\u00bb"}
MIN_SINGLE_QUOTE_WORDS = 3


@dataclass
class QuoteSpan:
    start: int  # characters of the quoted words, marks excluded
    end: int
    paragraph_start: int
    opens_paragraph: bool  # the paragraph begins with this quote's mark
    closed: bool
    continues: int | None = None  # index of the quote this one carries on
    cue: Token | None = None
    speaker: object | None = None  # SourceEntity, set by attribution

    def contains(self, char: int) -> bool:
        return self.start <= char < self.end


@functools.cache
def speech_verbs() -> frozenset[str]:
    return frozenset(load_yaml("cues.yaml")["speech_verbs"])


class QuoteIndex:
    """Which quote, if any, a character falls in: a bisect over the sorted, disjoint quote spans."""

    def __init__(self, quotes: list[QuoteSpan]):
        self.quotes = quotes
        self.starts = [q.start for q in quotes]

    def at(self, char: int) -> QuoteSpan | None:
        k = bisect.bisect_right(self.starts, char) - 1
        if k >= 0 and self.quotes[k].contains(char):
            return self.quotes[k]
        return None


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Top-level quotes in text order."""
    quotes: list[QuoteSpan] = []
    offset = 0
    for paragraph in text.split("\n"):
        quotes.extend(_paragraph_quotes(paragraph, offset))
        offset += len(paragraph) + 1
    for i, quote in enumerate(quotes):
        if quote.opens_paragraph and i and not quotes[i - 1].closed:
            quote.continues = i - 1
    return quotes


def _paragraph_quotes(paragraph: str, offset: int) -> list[QuoteSpan]:
    out: list[QuoteSpan] = []
    lead = len(paragraph) - len(paragraph.lstrip())
    open_at: int | None = None
    closer: str | None = None
    i = 0
    while i < len(paragraph):
        ch = paragraph[i]
        prev = paragraph[i - 1] if i else " "
        nxt = paragraph[i + 1] if i + 1 < len(paragraph) else " "
        if open_at is None:
            if ch in DOUBLE_OPEN or (ch == '"' and (prev.isspace() or prev in "([{-\u2014:")):
                open_at, closer = i, DOUBLE_OPEN.get(ch, '"')
            elif ch == "\u2018" and (prev.isspace() or prev in "([{-\u2014:"):
                end = _single_quote_end(paragraph, i + 1)
                if end is not None and len(paragraph[i + 1:end].split()) >= MIN_SINGLE_QUOTE_WORDS:
                    out.append(QuoteSpan(offset + i + 1, offset + end, offset, i == lead, True))
                    i = end
        elif ch == closer or (closer == '"' and ch in DOUBLE_CLOSE) or (closer != '"' and ch in DOUBLE_CLOSE):
            if not (ch == '"' and nxt.isalnum()):
                out.append(QuoteSpan(offset + open_at + 1, offset + i, offset, open_at == lead, True))
                open_at = None
        i += 1
    if open_at is not None:
        end = len(paragraph.rstrip())
        if end > open_at + 1:
            out.append(QuoteSpan(offset + open_at + 1, offset + end, offset, open_at == lead, False))
    return out


def _single_quote_end(paragraph: str, start: int) -> int | None:
    """A closing ’ that is not an apostrophe (followed by a space, punctuation or the end)."""
    for j in range(start, len(paragraph)):
        if paragraph[j] == "\u2019":
            after = paragraph[j + 1] if j + 1 < len(paragraph) else " "
            if not after.isalpha():
                return j
        if paragraph[j] in DOUBLE_OPEN:
            return None
    return None


def is_cue(token: Token) -> bool:
    return token.lemma_.lower() in speech_verbs() and token.pos_ in ("VERB", "AUX")


def cue_for_quote(doc: Doc, quote: QuoteSpan, index: QuoteIndex) -> Token | None:
    """The speech verb introducing a quote: after it in its sentence (", he said"), else before it."""
    def outside(tok: Token) -> bool:
        return index.at(tok.idx) is None

    close_index = _token_at(doc, quote.end)
    paragraph_end = text_of(doc).find("\n", quote.end)
    paragraph_end = len(text_of(doc)) if paragraph_end < 0 else paragraph_end
    if close_index is not None:
        sent = sentence_at(doc, close_index)
        after = [t for t in doc[close_index:sent.end] if t.idx >= quote.end and t.idx < paragraph_end and outside(t)]
        for tok in after[:12]:
            if is_cue(tok):
                return tok
            if tok.text in (".", "\u201c", '"') and tok.idx > quote.end + 1:
                break
    open_index = _token_at(doc, quote.start)
    if open_index is None:
        return None
    sent = sentence_at(doc, open_index)
    first = sent.start
    # "X said:" ends a sentence of its own in spaCy's eyes; look into it too.
    if first > 0 and doc[first - 1].text == ":":
        first = sentence_at(doc, first - 1).start
    before = [t for t in doc[first:open_index] if t.idx >= quote.paragraph_start and outside(t)]
    for tok in reversed(before):
        if is_cue(tok):
            return tok
    return None


def _token_at(doc: Doc, char: int) -> int | None:
    span = doc.char_span(char, min(char + 1, len(text_of(doc))), alignment_mode="expand")
    if span is None or not len(span):
        return None
    return span.start


@Language.component("warledger_quotes")
def quotes_component(doc: Doc) -> Doc:
    quotes = find_quote_spans(text_of(doc))
    index = QuoteIndex(quotes)
    for quote in quotes:
        quote.cue = cue_for_quote(doc, quote, index)
    doc._.wl_quotes = quotes
    return doc
