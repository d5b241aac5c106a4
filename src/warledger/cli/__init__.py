"""The `warledger` command line: one module per command group, all on one typer app (`_app.py`).

extract.py (extract, demo), evaluate.py (eval), places.py (geocode, gazetteer), ledger.py (ingest,
reprocess, redate), queries.py (the queries, incident/article/source, export), serve.py (the API).
"""
from __future__ import annotations

from . import evaluate, extract, ledger, places, queries, serve  # noqa: F401  (each registers its commands)
from ._app import app

__all__ = ["app"]
