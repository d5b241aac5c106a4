"""`warledger serve`: a read API over the ledger (FastAPI), under /api/v1, with OpenAPI at /openapi.json,
and the dashboard (web/static: our own JS and CSS, vendored Leaflet and friends) at /.

Every request opens its own read-only connection to the DuckDB file and closes it when done, so a
`warledger ingest` in another process can take the file's single write lock between requests, and
what it adds shows on the next request. A query that runs past `query_seconds` is interrupted and
answered 503. The lists and records come from `store.queries`, the same functions the CLI prints.
"""
from __future__ import annotations

import threading
from importlib import resources
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from .. import __version__
from ..store import Ledger
from .db import connection
from . import aggregates, lists, records

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
DOCS_POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'"


MAX_BODY_BYTES = 4_500_000  # a 1 MB article, escaped as JSON, with room to spare


def create_app(db: str | Path, query_seconds: float = 5.0, cors: bool = False, token: str | None = None) -> FastAPI:
    """The API over the ledger file `db` (which must exist); `token` lets POST /api/v1/articles add articles."""
    path = Path(db)
    Ledger(path, read_only=True).close()  # exists, and a schema this version reads: fail at start, not per request
    app = FastAPI(title="warledger", version=__version__, docs_url=None, redoc_url=None,
                  description="A sourced ledger of what happened in wars and who says so.")
    app.state.db, app.state.query_seconds, app.state.token = path, query_seconds, token
    app.state.writer = threading.Lock()

    @app.middleware("http")
    async def body_limit(request: Request, call_next):
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
            return JSONResponse({"detail": {"error": f"request body over {MAX_BODY_BYTES} bytes"}}, status_code=413)
        return await call_next(request)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        if request.url.path == "/docs":  # Swagger UI draws its icons as data: images and styles inline
            response.headers["Content-Security-Policy"] = DOCS_POLICY
        return response

    if cors:
        app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET"])

    @app.exception_handler(ValueError)
    async def bad_value(request: Request, problem: ValueError):
        return JSONResponse({"detail": {"error": str(problem)}}, status_code=400)

    @app.get("/healthz", tags=["service"])
    def healthz(con=Depends(connection)) -> dict:
        articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        return {"ok": True, "version": __version__, "articles": articles}

    for module in (lists, records, aggregates):
        app.include_router(module.router, prefix="/api/v1")
    static = resources.files("warledger") / "web" / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    @app.get("/", include_in_schema=False)
    def dashboard() -> FileResponse:
        return FileResponse(str(static / "index.html"), media_type="text/html")

    @app.get("/docs", include_in_schema=False)
    def docs() -> FileResponse:
        return FileResponse(str(static / "docs.html"), media_type="text/html")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    return app
