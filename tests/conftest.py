"""Shared fixtures: the sample article's report, and where ../shared is."""
from __future__ import annotations

import json
import os
from datetime import date
from importlib import resources
from pathlib import Path

import pytest

import warledger

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("WARLEDGER_SHARED", ROOT.parent / "shared"))
SAMPLE_ID = "000_a28bbd1fbba2924c"


def shared_path(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not here (../shared sits beside the checkout in CI)")
    return path


def load_gold() -> dict:
    path = SHARED / "gold" / f"{SAMPLE_ID}.gold.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def as_date(value):
    return value if value is None or isinstance(value, date) else date.fromisoformat(str(value))


def reports_for_cases(cases: list[dict]) -> dict:
    """Reports for YAML test cases ({id, text, published?, country?}), by id, through extract_many."""
    articles = [warledger.Article(text=c["text"], id=c["id"], published=as_date(c.get("published")),
                                  country=c.get("country")) for c in cases]
    return {r.document.id: r for r in warledger.extract_many(articles)}


def norm(text: str | None) -> str:
    return " ".join(str(text or "").lower().replace("\u2019", "'").split())


@pytest.fixture(scope="session")
def sample_text() -> str:
    return (resources.files("warledger") / "data" / "examples" / f"{SAMPLE_ID}.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def sample_report(sample_text):
    return warledger.extract(sample_text, published=date(2023, 3, 30), id=SAMPLE_ID)
