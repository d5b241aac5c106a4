"""warledger: a sourced ledger of what happened in a war, and who says so."""
from __future__ import annotations

from datetime import date

from .model import Article, Report

__version__ = "0.1.0"
__all__ = ["extract", "extract_many", "Article", "Report", "__version__"]


def _as_date(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def extract(text: str, published: date | str | None = None, title: str | None = None,
            url: str | None = None, id: str | None = None) -> Report:
    """One article's text to one report (SPEC.md, schema warledger/1)."""
    return next(extract_many([Article(text=text, id=id, published=_as_date(published), title=title, url=url)]))


def extract_many(articles):
    """Reports for many Articles, batched through spaCy's nlp.pipe, in input order."""
    from .pipeline import process

    return process(articles)
