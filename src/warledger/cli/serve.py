"""`warledger serve`: the read API over a ledger, on this machine."""
from __future__ import annotations

import typer

from ._app import app, err
from .ledger import DB_OPTION, open_ledger


@app.command()
def serve(
    db: str = DB_OPTION,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (127.0.0.1: this machine only)."),
    port: int = typer.Option(8000, "--port", min=1, max=65535),
    query_seconds: float = typer.Option(5.0, "--query-seconds", min=0.1,
                                        help="A query running longer is stopped and answered 503."),
    cors: bool = typer.Option(False, "--cors", help="Let pages from other origins read the API."),
    token: str = typer.Option(None, "--token", envvar="WARLEDGER_TOKEN",
                              help="Bearer token that lets POST /api/v1/articles add articles (off without one)."),
) -> None:
    """Serve the ledger's read API under /api/v1 (OpenAPI at /openapi.json, /healthz). Each request reads
    the file afresh, so articles a `warledger ingest` adds show without a restart."""
    import uvicorn

    from ..api import create_app

    open_ledger(db, read_only=True).close()  # a clear error now rather than on the first request
    err.print(f"serving {db}: the dashboard on http://{host}:{port}/ and the API under /api/v1 (Ctrl-C stops)",
              highlight=False)
    uvicorn.run(create_app(db, query_seconds=query_seconds, cors=cors, token=token), host=host, port=port,
                log_level="warning")
