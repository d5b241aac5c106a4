"""Single records under /api/v1: an event report, an incident with every report side by side, a source,
an article with its text and records; and adding an article (with the bearer token `serve` was given)."""
from __future__ import annotations

import hmac
import json
from datetime import date

from fastapi import APIRouter, Depends, Header, HTTPException, Path, Request
from pydantic import BaseModel, Field

from ..store import queries
from .db import connection
from .formats import plain

router = APIRouter()


def _found(record, what: str):
    if record is None:
        raise HTTPException(404, detail={"error": f"no {what}"})
    return plain(record)


@router.get("/events/{article_id}:{event_id}", tags=["events"])
def event(article_id: int, event_id: str = Path(..., max_length=20), con=Depends(connection)) -> dict:
    """One event report: its sentence, source, claims and incident."""
    return _found(queries.event(con, article_id, event_id), f"event {article_id}:{event_id}")


@router.get("/incidents/{incident_id}", tags=["incidents"])
def incident(incident_id: int, con=Depends(connection)) -> dict:
    """One incident: every report side by side (source, side, perpetrator, target, toll, sentence, URL),
    contradictions, denials and the figures counted about it."""
    return _found(queries.incident(con, incident_id), f"incident {incident_id}")


@router.get("/sources/{name}", tags=["sources"])
def source(name: str = Path(..., max_length=300), con=Depends(connection)) -> dict:
    """One source by name: its kind and side, each event and claim it asserts."""
    return _found(queries.source(con, name), f"source {name!r}")


@router.get("/articles/{article_id}", tags=["articles"])
def article(article_id: int, con=Depends(connection)) -> dict:
    """One article with its text and every record taken from it, with the spans of each in the text."""
    record = queries.article(con, article_id, with_text=True)
    if record is not None:
        report = con.execute("SELECT report FROM articles WHERE article_id = ?",
                             [record["duplicate_of"] or article_id]).fetchone()[0]
        record["report"] = json.loads(report) if report else None
    return _found(record, f"article {article_id}")



MAX_POST_CHARS = 1_000_000


class ArticleIn(BaseModel):
    """An article to add: its text, and what is known of it."""

    text: str = Field(..., min_length=1, max_length=MAX_POST_CHARS)
    id: str | None = Field(None, max_length=300)
    url: str | None = Field(None, max_length=2000)
    title: str | None = Field(None, max_length=1000)
    published: date | None = None


@router.post("/articles", tags=["articles"], status_code=201)
def add_article(article: ArticleIn, request: Request,
                authorization: str | None = Header(None, include_in_schema=False)) -> dict:
    """Add an article to the ledger (extracted, de-duplicated, linked), with the bearer token `serve` was
    given (`--token`); without one, adding is off."""
    token = request.app.state.token
    if not token:
        raise HTTPException(403, detail={"error": "adding articles is off: start serve with --token"})
    given = (authorization or "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode("utf-8"), token.encode("utf-8")):
        raise HTTPException(401, detail={"error": "a bearer token is needed (Authorization: Bearer ...)"})
    from ..model import Article
    from ..pipeline import extractor
    from ..store import Ledger

    with request.app.state.writer:  # one writer at a time in this process
        try:
            ledger = Ledger(request.app.state.db, extract=extractor())
        except Exception as problem:  # another process writes, or a read holds the file in another mode
            raise HTTPException(503, detail={"error": f"the ledger is busy ({problem}); retry"}) from None
        with ledger:
            [outcome] = list(ledger.ingest([Article(text=article.text, id=article.id, url=article.url,
                                                    title=article.title, published=article.published,
                                                    key=f"api:{article.id}" if article.id else None)]))
    return {"article_id": outcome.article_id, "status": outcome.status, "events": outcome.events,
            "claims": outcome.claims, "duplicate_of": outcome.duplicate_of}
