"""One read-only DuckDB connection per request, with a time limit."""
from __future__ import annotations

import threading
from collections.abc import Iterator

from fastapi import HTTPException, Request

from ..store import Ledger
from ..store.ledger import interrupted


def connection(request: Request) -> Iterator:
    """A read-only connection for one request, interrupted if its queries run past the time limit."""
    try:
        ledger = Ledger(request.app.state.db, read_only=True)
    except Exception as problem:  # locked for a moment by a writer, or gone
        raise HTTPException(503, detail={"error": f"the ledger cannot be read now ({problem}); retry"}) from None
    timer = threading.Timer(request.app.state.query_seconds, ledger.con.interrupt)
    timer.start()
    try:
        yield ledger.con
    except Exception as problem:
        if interrupted(problem):
            raise HTTPException(503, detail={"error": "the query took too long; narrow the filters"}) from None
        raise
    finally:
        timer.cancel()
        ledger.close()
