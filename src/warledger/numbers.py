"""Read numbers written in digits or words ("400,000", "1.5 million", "twenty-five", "a dozen").

Shared by the dates stage ("the past seven days") and the quantities stage.
"""
from __future__ import annotations

import functools
import re

from .lexicon import load_yaml

_DIGITS = re.compile(r"^\d{1,3}(?:[,\u202f\u00a0 ]\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")
_SUFFIXED = re.compile(r"^(\d+(?:\.\d+)?)(k|m|mln|bn)$", re.I)


@functools.cache
def _words() -> tuple[dict[str, int], dict[str, int]]:
    data = load_yaml("quantities.yaml")
    return data["number_words"], data["scale_words"]


def is_number_word(word: str) -> bool:
    units, scales = _words()
    w = word.lower()
    return w in units or w in scales or bool(_DIGITS.match(w)) or bool(_SUFFIXED.match(w))


def parse_number(text: str) -> float | None:
    """The value of a number phrase, or None when it is not one.

    >>> parse_number("1.5 million"), parse_number("twenty-five"), parse_number("400,000")
    (1500000.0, 25.0, 400000.0)
    """
    units, scales = _words()
    tokens = [t for t in re.split(r"[\s\-]+", text.lower().replace("\u2011", "-")) if t and t != "and"]
    if not tokens:
        return None
    if tokens[0] in ("a", "an"):
        tokens = tokens[1:] or ["1"]
        if tokens[0] in scales or tokens[0] in ("dozen",):
            tokens.insert(0, "1")
    total = 0.0
    current: float | None = None
    for tok in tokens:
        if _DIGITS.match(tok):
            value = float(re.sub(r"[,\u202f\u00a0 ]", "", tok))
            current = (current or 0) + value
        elif m := _SUFFIXED.match(tok):
            value = float(m.group(1)) * scales[m.group(2).lower()]
            current = (current or 0) + value
        elif tok in units:
            if tok == "dozen" and current:
                current *= 12
            else:
                current = (current or 0) + units[tok]
        elif tok in scales:
            scale = scales[tok]
            current = (current if current is not None else 1) * scale
            if scale >= 1000:
                total += current
                current = None
        else:
            return None
    if current is not None:
        total += current
    return total


def as_int_if_whole(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value
