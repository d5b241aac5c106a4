"""ACLED's notes are evaluation data only (its terms restrict redistribution): no file of the project may
copy one. A run of 40 characters shared with a note, spaces and case aside, counts as a copy."""
from __future__ import annotations

import json
import re

from conftest import ROOT, shared_path

RUN = 40
TEXT_SUFFIXES = {".py", ".yaml", ".yml", ".csv", ".txt", ".md", ".json", ".jsonl", ".html", ".js", ".css", ".toml"}


def _folded(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower())


def _project_files():
    for folder in ("src", "tests", "bench", "docs"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and path.suffix in TEXT_SUFFIXES and "vendor" not in path.parts:
                yield path
    yield from ROOT.glob("*.md")


def test_no_file_copies_an_acled_note():
    notes = shared_path("eval", "acled_world_dev.jsonl")
    runs = set()
    for line in notes.read_text(encoding="utf-8").splitlines():
        note = _folded(json.loads(line)["text"])
        runs.update(note[i:i + RUN] for i in range(max(1, len(note) - RUN + 1)))
    copies = []
    for path in _project_files():
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="ignore").splitlines(), 1):
            folded = _folded(line)
            if any(folded[i:i + RUN] in runs for i in range(len(folded) - RUN + 1)):
                copies.append(f"{path.relative_to(ROOT)}:{number}")
    assert not copies, copies
