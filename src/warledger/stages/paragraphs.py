"""Paragraphs: a line break always starts a new sentence, and so does a headline's source
after a dash or colon ("Shelling kills two in Kherson - governor").

Runs before the parser (after the tagger), which keeps boundaries already set.
Without it a headline with no full stop runs into the first paragraph, a quote's
attribution leaks across paragraphs, and a headline's source is parsed into its
last clause ("killing one person - media").
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

SEPARATORS = frozenset({"-", "--", "\u2013", "\u2014", ":"})
MAX_TAIL = 6  # words of a source's name after a headline's dash


def headline_tail(line: Span) -> int | None:
    """Where a line's closing source starts ('... killing one person - media', '...: Kiev military'): a dash or
    colon before a few words with no verb, on a line with no full stop (a headline, not a paragraph)."""
    words = [t for t in line if not t.is_space]
    if len(words) < 4 or any(t.text in (".", "!", "?") for t in words) or words[-1].text in ("\"", "\u201d"):
        return None
    for k in range(len(words) - 2, max(2, len(words) - 2 - MAX_TAIL), -1):
        if words[k].text in SEPARATORS:
            tail = words[k + 1:]
            if tail[0].is_alpha and not any(t.tag_.startswith("VB") or t.text in SEPARATORS for t in tail):
                return words[k].i
            return None
    return None


@Language.component("warledger_paragraphs")
def paragraphs_component(doc: Doc) -> Doc:
    start = 0
    for tok in doc[1:]:
        previous = doc[tok.i - 1]
        if "\n" in previous.text or "\n" in previous.whitespace_:
            tok.is_sent_start = True
            _split_tail(doc[start:tok.i])
            start = tok.i
    _split_tail(doc[start:])
    return doc


def _split_tail(line: Span) -> None:
    """A headline with its source is two sentences, the headline and the source, and no more."""
    tail = headline_tail(line)
    if tail is not None:
        for tok in line[1:]:
            tok.is_sent_start = tok.i == tail
