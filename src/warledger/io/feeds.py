"""RSS and Atom feed files (feedparser): one Article per entry.

An entry's text is its full content when the feed carries it, else its
summary; HTML in either is reduced to text. The entry's link is its URL
(and its identity in a ledger), its published or updated date its date.
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import date

from ..model import Article

TAG = re.compile(r"<[^>]+>")
BLOCK_END = re.compile(r"</(p|div|li|h[1-6]|blockquote)>|<br\s*/?>", re.I)


def _plain(fragment: str) -> str:
    """Text of an HTML fragment, paragraphs kept as blank-line breaks."""
    if "<" not in fragment:
        return html.unescape(fragment).strip()
    text = TAG.sub("", BLOCK_END.sub("\n\n", fragment))
    paragraphs = (" ".join(html.unescape(p).split()) for p in re.split(r"\n\s*\n", text))
    return "\n\n".join(p for p in paragraphs if p)


def _entry_date(entry) -> date | None:
    for field in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(field)
        if parsed:
            return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
    return None


def _entry_text(entry) -> str:
    contents = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
    body = max(contents, key=len) if contents else entry.get("summary", "")
    return _plain(body)


def from_feed(text: str, origin: str, published: date | None, warnings: list[str]) -> Iterator:
    """Articles from the entries of an RSS/Atom document; an InputError for an unreadable feed or empty entry."""
    import feedparser

    from .readers import InputError

    feed = feedparser.parse(text)
    if not feed.entries:
        problem = f" ({feed.bozo_exception})" if feed.get("bozo") else ""
        yield InputError(origin, f"no entries in this feed{problem}")
        return
    for number, entry in enumerate(feed.entries, 1):
        where = f"{origin}#{number}"
        body = _entry_text(entry)
        if not body:
            yield InputError(where, "feed entry has no text (no content or summary)")
            continue
        link = entry.get("link") or None
        ident = entry.get("id") or link
        yield Article(text=body, id=ident or f"{origin}#{number}", published=_entry_date(entry) or published,
                      title=_plain(entry.get("title", "")) or None, url=link, origin=where,
                      warnings=warnings if number == 1 else [], key=f"feed:{ident}" if ident else None)
