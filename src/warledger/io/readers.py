"""Readers: files and stdin to Articles, and a clear message for whatever cannot be read.

Each input yields Articles or InputErrors, never an exception: one bad file
(or JSONL line) is reported by name and the rest of the batch still runs.
Text that is not valid UTF-8 is decoded with replacement characters and a
warning. Oversized inputs are refused before they are read into memory.
"""
from __future__ import annotations

import glob
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..model import Article

DEFAULT_MAX_CHARS = 1_000_000
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson", ".jl"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
TEXT_SUFFIXES = {".txt", ".text", ".md"}


@dataclass
class InputError:
    origin: str  # "path" or "path:line"
    message: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.message}"


def parse_date(value: str | None) -> date | None:
    """An ISO date (YYYY-MM-DD, or a timestamp starting with one)."""
    if not value:
        return None
    return date.fromisoformat(str(value).strip()[:10])


_DATE_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d\d)[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)")


def date_in_name(path: str) -> date | None:
    """The date a file's name carries ('2024-04-08_kherson.txt', 'ap_20240408.html'), if any."""
    for match in _DATE_IN_NAME.finditer(Path(path).name):
        try:
            return date(*map(int, match.groups()))
        except ValueError:
            continue
    return None


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return control > len(head) * 0.1


def decode(data: bytes, origin: str) -> tuple[str, list[str]]:
    """Text from bytes as UTF-8; undecodable bytes become U+FFFD with a warning."""
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as err:
        text = data.decode("utf-8-sig", errors="replace")
        bad = text.count("\ufffd")
        return text, [f"{origin}: invalid UTF-8 (first at byte {err.start}); {bad} undecodable byte(s) replaced with U+FFFD"]


def sniff_format(text: str) -> str:
    head = text.lstrip()[:2000].lower()
    if head.startswith("<") and ("<html" in head or "<body" in head or "<!doctype html" in head or "<article" in head):
        return "html"
    lines = [line for line in text.split("\n")[:5] if line.strip()]
    if lines and all(line.lstrip().startswith("{") for line in lines):
        return "jsonl"
    if head.startswith("<?xml") or head.startswith("<rss") or head.startswith("<feed"):
        if "<rss" in head or "<feed" in head or "<rdf:rdf" in head:
            return "feed"
    return "text"


def format_for(path: Path, requested: str) -> str:
    if requested != "auto":
        return requested
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in FEED_SUFFIXES:
        return "feed"
    return "auto"


def from_html(html: str, origin: str, article_id: str | None, published: date | None,
              warnings: list[str]) -> Article | InputError:
    """Main text, title, date and URL of a page (trafilatura); a date in the page wins."""
    import trafilatura

    result = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    data = result.as_dict() if result is not None and hasattr(result, "as_dict") else (result or {})
    text = (data.get("text") or "").strip()
    if not text:
        return InputError(origin, "no article text found in this HTML page")
    page_date = None
    try:
        page_date = parse_date(data.get("date"))
    except ValueError:
        warnings.append(f"{origin}: page date {data.get('date')!r} is not a date; ignored")
    return Article(text=text, id=article_id, published=page_date or published, title=data.get("title"),
                   url=data.get("url"), origin=origin, warnings=warnings)


def from_jsonl(text: str, origin: str, published: date | None, warnings: list[str]) -> Iterator[Article | InputError]:
    stem = Path(origin).stem
    first = True
    # lines end at "\n" only: str.splitlines() would also split at U+2028 and U+0085, which JSON strings may hold
    for lineno, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        where = f"{origin}:{lineno}"
        line_warnings = warnings if first else []
        first = False
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            yield InputError(where, f"not valid JSON ({err.msg} at column {err.colno})")
            continue
        if not isinstance(record, dict):
            yield InputError(where, "a line must be a JSON object with a 'text' (or 'html') field")
            continue
        has_id = record.get("id") is not None
        article_id = str(record["id"]) if has_id else f"{stem}:{lineno}"
        line_published = published
        if record.get("published"):
            try:
                line_published = parse_date(record["published"])
            except ValueError:
                line_warnings.append(f"{where}: 'published' {record['published']!r} is not a YYYY-MM-DD date; "
                                     f"using {published.isoformat() if published else 'none'}")
        body = record.get("text")
        if not isinstance(body, str) or not body.strip():
            if isinstance(record.get("html"), str):
                item = from_html(record["html"], where, article_id, line_published, line_warnings)
                if isinstance(item, Article):
                    item.title = record.get("title") or item.title
                    item.url = record.get("url") or item.url
                yield item
                continue
            yield InputError(where, "no 'text' (or 'html') field with content")
            continue
        yield Article(text=body, id=article_id, published=line_published, title=record.get("title"),
                      url=record.get("url"), origin=where, warnings=line_warnings, country=record.get("country"),
                      key=f"id:{article_id}" if has_id else None, author=_text_field(record, "author", "source"))


def _text_field(record: dict, *names: str) -> str | None:
    """The first of these fields that holds text."""
    return next((record[n] for n in names if isinstance(record.get(n), str) and record[n].strip()), None)


def read_bytes(data: bytes, origin: str, fmt: str, published: date | None,
               article_id: str | None, max_chars: int) -> Iterator[Article | InputError]:
    if not data.strip():
        yield InputError(origin, "empty input: nothing to extract")
        return
    if fmt != "jsonl" and _looks_binary(data):  # JSONL is judged line by line: one bad line loses one article
        yield InputError(origin, "binary data, not text, HTML or JSONL")
        return
    text, warnings = decode(data, origin)
    if fmt == "auto":
        fmt = sniff_format(text)
    if fmt == "feed":
        from .feeds import from_feed

        yield from from_feed(text, origin, published, warnings)
        return
    if fmt == "jsonl":
        for item in from_jsonl(text, origin, published, warnings):
            if isinstance(item, Article) and len(item.text) > max_chars:
                yield _too_long(item.origin or origin, len(item.text), max_chars)
            else:
                yield item
        return
    if fmt == "html":
        item = from_html(text, origin, article_id, published, warnings)
    else:
        item = Article(text=text, id=article_id, published=published, origin=origin, warnings=warnings)
    if isinstance(item, Article) and len(item.text) > max_chars:
        yield _too_long(origin, len(item.text), max_chars)
        return
    yield item


def _too_long(origin: str, size: int, max_chars: int, unit: str = "characters") -> InputError:
    return InputError(origin, f"{size:,} {unit} is more than one article ({max_chars:,} characters at most); "
                              "split it into articles (JSONL, one per line) or raise --max-chars")


ARTICLE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | FEED_SUFFIXES
GLOB_CHARS = set("*?[")


def expand_inputs(inputs: Iterable[str]) -> Iterator[str | InputError]:
    """File names from names, folders (recursively, article files only) and glob patterns, sorted within each."""
    for name in inputs:
        path = Path(name)
        if name != "-" and GLOB_CHARS & set(name) and not path.exists():
            matches = sorted(glob.glob(name, recursive=True))
            files = [m for m in matches if Path(m).is_file()]
            if not files:
                yield InputError(name, "no file matches this pattern")
            yield from files
        elif path.is_dir():
            files = sorted(str(p) for p in path.rglob("*")
                           if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES and not p.name.startswith("."))
            if not files:
                yield InputError(name, f"folder holds no article files ({', '.join(sorted(ARTICLE_SUFFIXES))})")
            yield from files
        else:
            yield name


def read_inputs(inputs: Iterable[str], published: date | None = None, fmt: str = "auto",
                max_chars: int = DEFAULT_MAX_CHARS, date_from_name: bool = False) -> Iterator[Article | InputError]:
    """Articles from files, folders and globs ('-' for stdin), in order, with an InputError for each that fails.
    `published` dates articles that carry no date; with `date_from_name`, a date in the file's name comes first."""
    for name in expand_inputs(inputs):
        if isinstance(name, InputError):
            yield name
            continue
        if name == "-":
            yield from read_bytes(sys.stdin.buffer.read(), "<stdin>", fmt, published, "stdin", max_chars)
            continue
        path = Path(name)
        if not path.exists():
            yield InputError(name, "no such file")
            continue
        try:
            fmt_here = format_for(path, fmt)
            # UTF-8 takes at most 4 bytes a character: what cannot fit is refused unread.
            if path.stat().st_size > 4 * max_chars and fmt_here not in ("jsonl", "feed"):
                if fmt_here == "auto":
                    with path.open("rb") as handle:
                        fmt_here = sniff_format(handle.read(4096).decode("utf-8", errors="replace"))
                if fmt_here not in ("jsonl", "feed"):
                    yield _too_long(name, path.stat().st_size, max_chars, unit="bytes")
                    continue
            data = path.read_bytes()
        except OSError as err:
            yield InputError(name, f"cannot read: {err.strerror or err}")
            continue
        file_key = f"file:{path.resolve()}"
        day = (date_in_name(name) if date_from_name else None) or published
        for item in read_bytes(data, name, fmt_here, day, path.stem, max_chars):
            if isinstance(item, Article) and item.key is None:
                # a JSONL line without an id is known by its file and line
                item.key = file_key + (item.origin or name)[len(name):]
            yield item
