"""Property-based tests (Hypothesis) over the readers and extraction: whatever the input, no traceback,
no article lost without a word, every span inside its text.

A fixed budget keeps CI's time bounded: `max_examples` per test below, no deadline (the first extraction
loads the model), derandomised so a failure reproduces.
"""
from __future__ import annotations

import json
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from warledger.io.readers import InputError, read_bytes
from warledger.model import Article
from warledger.pipeline import process

READERS = settings(max_examples=150, deadline=None, derandomize=True,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
EXTRACTION = settings(max_examples=40, deadline=None, derandomize=True,
                      suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FORMATS = st.sampled_from(["auto", "text", "html", "jsonl", "feed"])

# text a reader meets in the wild: right-to-left scripts, combining marks, zero-width and control
# characters, NUL, emoji, and the words events and places are made of
HARD_CHARACTERS = st.sampled_from(["\u200b", "\u200d", "\u200e", "\u200f", "\u202e", "\ufeff", "\u0301", "\u0308",
                                   "\x00", "\x07", "\u2028", "\U0001F4A5", "\t", "\n", "\n\n", "\r\n"])
WORDS = st.sampled_from(["Russian", "forces", "shelled", "Kherson", "on", "Sunday,", "killing", "3", "civilians",
                         "said", "the", "governor", "Ukraine's", "General", "Staff", "\u062d\u0644\u0628",
                         "\u05d9\u05e8\u05d5\u05e9\u05dc\u05d9\u05dd", "Bakhmut.", "\"", "(", ")", "-", "at least",
                         "200,000", "1935", "Orchard", "St.,", "Alexandria,"])
MESSY_TEXT = st.lists(st.one_of(WORDS, HARD_CHARACTERS, st.text(max_size=12)), max_size=120).map(" ".join)


def _outcomes(data: bytes, fmt: str) -> list:
    return list(read_bytes(data, "input", fmt, date(2024, 4, 8), "input", 1_000_000))


@READERS
@given(st.binary(max_size=4000), FORMATS)
def test_random_bytes_give_articles_or_named_errors(data, fmt):
    items = _outcomes(data, fmt)
    assert items, "every input gives an article or a named error"
    assert all(isinstance(i, (Article, InputError)) for i in items)
    assert all(i.origin for i in items if isinstance(i, InputError))


@READERS
@given(MESSY_TEXT, FORMATS)
def test_messy_unicode_is_read_or_refused_with_a_reason(text, fmt):
    items = _outcomes(text.encode("utf-8"), fmt)
    assert items and all(isinstance(i, (Article, InputError)) for i in items)


@READERS
@given(st.lists(st.one_of(MESSY_TEXT.map(lambda t: json.dumps({"id": t[:8], "text": t})), MESSY_TEXT,
                          st.just(""), st.just("{}"), st.just("[1, 2]"), st.just('{"text": 5}')), max_size=30))
def test_no_jsonl_line_is_lost(lines):
    """Each line that is not blank gives an article or an error naming its line."""
    data = "\n".join(lines).encode("utf-8")
    items = _outcomes(data, "jsonl")
    expected = sum(1 for line in "\n".join(lines).split("\n") if line.strip())
    if expected == 0:
        assert len(items) == 1 and isinstance(items[0], InputError)
    else:
        assert len(items) == expected, (lines, items)


@READERS
@given(st.integers(min_value=1, max_value=3000), MESSY_TEXT, st.sampled_from(["div", "span", "b", "table", "p"]))
def test_deeply_nested_html(depth, text, tag):
    page = f"<html><body>{f'<{tag}>' * depth}<p>{text}</p>{f'</{tag}>' * depth}</body></html>"
    items = _outcomes(page.encode("utf-8"), "html")
    assert len(items) == 1 and isinstance(items[0], (Article, InputError))


FEED = ('<?xml version="1.0"?><rss version="2.0"><channel><title>War news</title>'
        + "".join(f"<item><title>Strike {n}</title><link>https://news.example/{n}</link>"
                  f"<pubDate>Sun, 0{n} Apr 2024 10:00:00 GMT</pubDate><description>&lt;p&gt;Russian forces "
                  f"shelled Kherson, killing {n} civilians.&lt;/p&gt;</description></item>" for n in range(1, 6))
        + "</channel></rss>")


@READERS
@given(st.integers(min_value=0, max_value=len(FEED)), st.integers(min_value=0, max_value=len(FEED)), MESSY_TEXT)
def test_malformed_feeds(cut, insert_at, junk):
    """A feed cut short or with junk inside gives its entries or a named error, never a traceback."""
    feed = FEED[:cut] if cut < len(FEED) // 2 else FEED[:insert_at] + junk + FEED[insert_at:]
    items = _outcomes(feed.encode("utf-8"), "feed")
    assert items and all(isinstance(i, (Article, InputError)) for i in items)


@EXTRACTION
@given(MESSY_TEXT.filter(lambda t: t.strip()))
def test_extraction_of_messy_text_never_fails_and_spans_stay_inside(text):
    [report] = process([Article(text=text, id="messy", published=date(2024, 4, 8))])
    n = len(text)
    spans = [s for p in report.places for s in p.spans] + [s for s in (x.spans for x in report.sources) for s in s]
    spans += [r.span for kind in ("quotes", "claims", "assessments", "events", "dates") for r in getattr(report, kind)]
    assert all(0 <= start <= end <= n for start, end in spans)
    json.dumps(report.to_dict())  # the report is JSON


def test_a_giant_line_with_no_breaks():
    """200,000 characters with no paragraph, line or sentence break: extracted in parts cut at spaces."""
    text = ("Russian forces shelled Kherson killing three civilians the governor said " * 2800)[:200_000]
    [report] = process([Article(text=text, id="giant", published=date(2024, 4, 8))])
    assert report.document.n_chars == 200_000
    assert all(text[s:e] for p in report.places for s, e in p.spans)
