"""The ledger: many articles in one DuckDB file, linked across sources."""
from __future__ import annotations

from .ledger import IngestOutcome, Ledger

__all__ = ["Ledger", "IngestOutcome"]
