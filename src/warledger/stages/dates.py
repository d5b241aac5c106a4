"""Dates: resolve date expressions against the publication date, with a precision.

Own rules come first for what reporting says and dateparser gets wrong or
cannot read: weekdays ("on Thursday" in a Thursday article is that day),
seasons ("last autumn"), look-backs ("the past seven days"), day ranges
("the week of March 1-7"), parts of months and durations ("13-month-long").
Absolute dates and "N units ago" go to dateparser. Candidates are spaCy's
DATE/TIME entities plus the rule patterns, which also catch what the model
does not tag.
"""
from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from spacy.language import Language
from spacy.tokens import Doc

from ..numbers import parse_number
from .sentences import text_of

Doc.set_extension("wl_dates", default=None, force=True)

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}  # first month
_FULL_MONTHS = {m.lower() for m in calendar.month_name if m}
_MONTH = r"(?P<month>" + "|".join(
    m if m in _FULL_MONTHS else m + r"\.?" for m in sorted(MONTHS, key=len, reverse=True)
) + r")"
_WEEKDAY = r"(?P<weekday>" + "|".join(WEEKDAYS) + r")"
_NUM = r"(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|several|few)"
_UNIT = r"(?P<unit>hour|day|week|month|year)s?"

PATTERNS = [
    # told against the story's own day, not publication: "the previous day", "two days later" (re-anchored
    # on the calendar date before it in its paragraph by `_anchor_narrative`)
    ("narrative", r"\b(?:the\s+)?(?P<which>previous|preceding|next|following|same)\s+day\b"
                  r"|\bthe\s+day\s+(?P<which2>before|after)\b|\b(?P<n>\w+)\s+days?\s+(?P<dir>later|earlier)\b"
                  # 'an ambush a day before.', 'two days after,': at a clause's end; not 'two days before the vote'
                  r"|\b(?P<n2>\w+)\s+days?\s+(?P<dir2>before|after)(?=\s*[,.;:)]|\s*$)"),
    ("weekday", rf"\b(?:(?:late|early)\s+)?(?:on\s+)?(?P<rel>last\s+|this\s+|next\s+|past\s+)?{_WEEKDAY}(?:\s+(?:morning|afternoon|evening|night))?\b"),
    ("lookback", rf"\b(?:(?:in|over|during|for)\s+)?(?:the\s+)?(?:past|last|previous|preceding)\s+{_NUM}\s+{_UNIT}\b"),
    ("lookback1", r"\b(?:(?:in|over|during)\s+)?(?:the\s+)?(?P<rel>past|last|previous|this)\s+(?P<unit>day|week|month|year|24 hours)\b"),
    ("oneday", r"\b(?:in|within|over|during)\s+(?:one|a\s+single|a)\s+day\b|\b(?:within|over)\s+24\s+hours\b"),
    ("season", r"\b(?:(?P<rel>last|this|next|past)\s+|(?:the\s+)?)(?P<season>spring|summer|autumn|fall|winter)(?:\s+(?:of\s+)?(?P<year>\d{4}))?\b"),
    ("dayrange", rf"\b(?:the\s+week\s+of\s+)?{_MONTH}\s+(?P<d1>\d{{1,2}})\s*(?:-|–|to|and)\s*(?P<d2>\d{{1,2}})\b(?:,?\s+(?P<year>\d{{4}}))?"),
    ("dayrange", rf"\b(?:the\s+week\s+of\s+)?(?P<d1>\d{{1,2}})\s*(?:-|–|to|and)\s*(?P<d2>\d{{1,2}})\s+{_MONTH}(?:,?\s+(?P<year>\d{{4}}))?"),
    ("monthpart", rf"\b(?P<since>since\s+)?(?:the\s+)?(?P<part>beginning|start|end|middle)\s+of\s+{_MONTH}(?:\s+(?P<year>\d{{4}}))?"),
    ("monthpart", rf"\b(?P<since>since\s+)?(?P<part>early|mid|late)[-\s]{_MONTH}(?:\s+(?P<year>\d{{4}}))?"),
    ("calendar", rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?[\s\-]+{_MONTH}(?:[\s\-,]+(?P<year>\d{{4}}))?\b"),
    ("calendar", rf"\b{_MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>\d{{4}}))?"),
    ("ago", rf"\b{_NUM}\s+{_UNIT}\s+ago\b"),
    ("decade", r"\b(?:the\s+)?(?P<year>1[6-9]\d0|20[0-2]0)['\u2019]?s\b"),
    # "in 2014-2015", "in 2014-15", "from 1992 to 1995", "between 2022 and 2023": years a span of history, after
    # a preposition of time (not 'the 2023-24 season', 'the 2024-2030 plan') and not clock times ('between 1800
    # and 1830 hrs')
    ("years", r"\b(?:(?:in|during|throughout|by|until)\s+(?P<year>19\d\d|20\d\d)\s*(?:-|\u2013|to)"
              r"|from\s+(?P<year2>19\d\d|20\d\d)\s*(?:-|\u2013|to)|between\s+(?P<year1>19\d\d|20\d\d)\s+and)"
              r"\s*(?P<y2>19\d\d|20\d\d|\d\d)\b(?![-/.:]\d)(?!\s*(?:hrs|hours|h\b|gmt|utc|local))"),
    ("duration", rf"\b{_NUM}[-\s](?P<unit>hour|day|week|month|year)[-\s]long\b"),
    ("duration", rf"\b(?P<n>\w+)\s+(?:straight|consecutive)\s+{_UNIT}\b"),
    ("today", r"\b(?P<word>today|tonight|this morning|this afternoon|this evening|yesterday|last night|overnight|the day before)\b"),
]
_COMPILED = [(kind, re.compile(rx, re.I)) for kind, rx in PATTERNS]
RELATIVE_KINDS = frozenset({"weekday", "lookback", "lookback1", "oneday", "ago", "today", "narrative"})
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")  # a year written out: '3 March 2022', 'in 2014'
_RELATIVE_HINT = re.compile(r"\d|ago|yesterday|today|tomorrow|last|next|" + "|".join(MONTHS), re.I)


@dataclass
class ResolvedDate:
    start_char: int
    end_char: int
    text: str
    date_start: date
    date_end: date
    precision: str  # day, week, month, season, year
    kind: str  # point, span or duration
    start_token: int = 0
    end_token: int = 0
    relative: bool = False  # told against publication ("overnight", "on Monday"), not on a calendar
    since: bool = False  # "since 31 July": from that day on, not a span told as a whole

    @property
    def states_year(self) -> bool:
        """'3 March 2022', 'in 2014'; not 'on March 3', 'last month'."""
        return bool(_YEAR.search(self.text))

    @property
    def coded_day(self) -> date:
        """The day an act told with this date is coded on, ACLED's way: the middle of a told span ('between
        4 and 20 December' is the 12th, 'last week' its Thursday; half days rounded up), the first day of
        one that runs on ('missing since 31 July') or of a night or a day that straddles two ('overnight',
        'in the past 24 hours': UCDP's coders put most such acts on the day before publication)."""
        days = (self.date_end - self.date_start).days + 1
        if self.since or days <= 2:
            return self.date_start
        return self.date_start + timedelta(days=days // 2)


# ------------------------------------------------------------------ rules
def _span_precision(days: int) -> str:
    if days <= 1:
        return "day"
    if days <= 10:
        return "week"
    if days <= 62:
        return "month"
    return "year"


def _count(word: str | None) -> int | None:
    if word is None:
        return None
    if word.lower() in ("several", "few"):
        return None
    value = parse_number(word)
    return int(value) if value is not None else None


def _shift(day: date, unit: str, n: int) -> date:
    if unit == "hour":
        return day - timedelta(days=max(1, round(n / 24)))
    if unit == "day":
        return day - timedelta(days=n)
    if unit == "week":
        return day - timedelta(weeks=n)
    months = n if unit == "month" else 12 * n
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(y, m + 1, min(day.day, calendar.monthrange(y, m + 1)[1]))


def _month_range(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _year_for(month: int, day: int, year: str | None, published: date) -> int:
    """A date without a year is the latest such date on or before publication."""
    if year:
        return int(year)
    y = published.year
    if (month, day) > (published.month, published.day):
        y -= 1
    return y


def _season_range(season: str, year: int) -> tuple[date, date]:
    first = SEASONS[season]
    start = date(year, first, 1)
    end_month_index = year * 12 + first - 1 + 2
    ey, em = divmod(end_month_index, 12)
    return start, _month_range(ey, em + 1)[1]


def _season_year(season: str, rel: str | None, published: date) -> int:
    """Year in which the season named starts: 'last autumn' in March 2023 is autumn 2022."""
    current = _current_season_start(published)
    year = published.year + 1
    if rel in ("last", "past"):
        # the latest such season that began before the one in progress
        while _season_range(season, year)[0] >= current:
            year -= 1
        return year
    if rel == "next":
        year = published.year
        while _season_range(season, year)[0] <= published:
            year += 1
        return year
    # 'this winter': the latest such season that has begun, else the coming one
    while _season_range(season, year)[0] > published and year > published.year - 1:
        year -= 1
    return year


def _current_season_start(published: date) -> date:
    month = published.month
    first = {12: 12, 1: 12, 2: 12, 3: 3, 4: 3, 5: 3, 6: 6, 7: 6, 8: 6, 9: 9, 10: 9, 11: 9}[month]
    year = published.year - 1 if month in (1, 2) else published.year
    return date(year, first, 1)


def _groups(m: re.Match) -> dict:
    return {k: (v.lower() if isinstance(v, str) else v) for k, v in m.groupdict().items()}


def resolve_match(kind: str, m: re.Match, published: date | None) -> tuple[date, date, str, str] | None:
    """(date_start, date_end, precision, kind) for one rule match, or None."""
    g = _groups(m)
    year = g.get("year") or g.get("year1") or g.get("year2")
    if published is None and not year:
        return None
    if kind == "decade":  # "in the 1970s"
        first = int(year)
        return date(first, 1, 1), date(first + 9, 12, 31), "year", "span"
    if kind == "years":
        first, last = int(year), int(g["y2"])
        if last < 100:
            last += first // 100 * 100
        if not first < last <= first + 50 or (published is not None and first > published.year):
            return None  # 'the 2022-1 ruling', a score; years still to come
        return date(first, 1, 1), date(last, 12, 31), "year", "span"
    if kind == "weekday":
        target = WEEKDAYS.index(g["weekday"])
        rel = (g.get("rel") or "").strip()
        back = (published.weekday() - target) % 7
        if rel in ("last", "past") and back == 0:
            back = 7
        if rel == "next":
            day = published + timedelta(days=(target - published.weekday()) % 7 or 7)
            return day, day, "day", "point"
        day = published - timedelta(days=back)
        return day, day, "day", "point"
    if kind == "lookback":
        n = _count(g["n"])
        if not n:
            return None
        unit = g["unit"]
        if unit == "hour":
            return published - timedelta(days=1), published, "day", "span"
        start = _shift(published, unit, n)
        end = published - timedelta(days=1)
        return start, end, _span_precision((end - start).days + 1), "span"
    if kind == "oneday":  # "violate ceasefire six times in one day", "over 24 hours": the day before publication
        return published - timedelta(days=1), published, "day", "span"
    if kind == "lookback1":
        unit, rel = g["unit"], g["rel"]
        if unit == "24 hours" or unit == "day":
            return published - timedelta(days=1), published, "day", "span"
        if rel == "this":
            if unit == "week":
                return published - timedelta(days=published.weekday()), published, "week", "span"
            if unit == "month":
                return published.replace(day=1), published, "month", "span"
            return published.replace(month=1, day=1), published, "year", "span"
        if unit == "week":
            monday = published - timedelta(days=published.weekday() + 7)
            if rel == "past":
                return published - timedelta(days=7), published - timedelta(days=1), "week", "span"
            return monday, monday + timedelta(days=6), "week", "span"
        if unit == "month":
            if rel == "past":
                return _shift(published, "month", 1), published - timedelta(days=1), "month", "span"
            prev = _shift(published.replace(day=1), "month", 1)
            return (*_month_range(prev.year, prev.month), "month", "span")
        if rel == "past":
            return _shift(published, "year", 1), published - timedelta(days=1), "year", "span"
        return date(published.year - 1, 1, 1), date(published.year - 1, 12, 31), "year", "span"
    if kind == "season":
        season = g["season"]
        if year:
            y = int(year)
        else:
            if g.get("rel") is None:
                return None  # "the spring" with no anchor: too vague to place
            y = _season_year(season, g["rel"], published)
        start, end = _season_range(season, y)
        return start, end, "season", "span"
    if kind == "dayrange":
        month = MONTHS[g["month"].rstrip(".")]
        d1, d2 = int(g["d1"]), int(g["d2"])
        if not (1 <= d1 <= d2 <= calendar.monthrange(2000, month)[1]):
            return None
        if published is None and not year:
            return None
        y = _year_for(month, d1, year, published) if published else int(year)
        start, end = date(y, month, d1), date(y, month, d2)
        return start, end, _span_precision((end - start).days + 1), "span"
    if kind == "monthpart":
        month = MONTHS[g["month"].rstrip(".")]
        y = int(year) if year else _year_for(month, 1, None, published)
        last = calendar.monthrange(y, month)[1]
        part = g["part"]
        lo, hi = {"beginning": (1, 10), "start": (1, 10), "early": (1, 10), "middle": (11, 20),
                  "mid": (11, 20), "end": (21, last), "late": (21, last)}[part]
        start, end = date(y, month, lo), date(y, month, hi)
        if g.get("since") and published:
            return start, published, _span_precision((published - start).days + 1), "span"
        return start, end, "week", "span"
    if kind == "calendar":
        # "10-May-2016", "Around 6 May 2020", "02 June." (a note's dateline), "August 22nd"
        month, day = MONTHS[m.group("month").lower().rstrip(".")], int(m.group("d"))
        if published is None and not m.group("year"):
            return None
        try:
            year = int(m.group("year")) if m.group("year") else _year_for(month, day, None, published)
            when = date(year, month, day)
        except ValueError:
            return None
        return when, when, "day", "point"
    if kind in ("ago", "duration"):
        # "two days ago" is that day; "13-month-long" runs from then to publication
        n = _count(g["n"])
        if not n:
            return None
        start = _shift(published, g["unit"], n)
        precision = "day" if g["unit"] == "hour" else g["unit"]
        return (start, start, precision, "point") if kind == "ago" else (start, published, precision, "duration")
    if kind == "narrative":
        day = published + timedelta(days=_narrative_offset(g) or 0)
        return day, day, "day", "point"
    if kind == "today":
        word = g["word"]
        if word in ("yesterday", "last night", "overnight", "the day before"):
            day = published - timedelta(days=1)
        else:
            day = published
        return day, day, "day", "point"
    return None


def _narrative_offset(g: dict) -> int | None:
    """Days from the story's day: 'the previous day' -1, 'the following day' +1, 'two days later' +2."""
    which = g.get("which") or g.get("which2")
    if which:
        return {"previous": -1, "preceding": -1, "before": -1, "next": 1, "following": 1, "after": 1}.get(which, 0)
    n = _count(g.get("n") or g.get("n2"))
    if n is None:
        return None
    return n if (g.get("dir") or g.get("dir2")) in ("later", "after") else -n


@functools.lru_cache(maxsize=4096)
def _dateparser_resolve(text: str, published: date | None) -> tuple[date, date, str, str] | None:

    base = datetime.combine(published, datetime.min.time()) if published else datetime(2000, 1, 1)
    parser = _date_data_parser(base)
    data = parser.get_date_data(text)
    if data is None or data.date_obj is None:
        return None
    day = data.date_obj.date()
    explicit_year = re.search(r"\b\d{4}\b", text) is not None
    if published is None and not explicit_year:
        return None
    if published and day > published and not explicit_year:
        return None
    if data.period == "month":
        return (*_month_range(day.year, day.month), "month", "span")
    if data.period == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31), "year", "span"
    if data.period == "week":
        return day, day + timedelta(days=6), "week", "span"
    return day, day, "day", "point"


@functools.lru_cache(maxsize=64)
def _date_data_parser(base: datetime):
    from dateparser.date import DateDataParser

    return DateDataParser(languages=["en"], settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"})


# ------------------------------------------------------------------ stage
def find_dates(doc: Doc, published: date | None) -> list[ResolvedDate]:
    """Every resolvable date expression in the document, in text order."""
    text = text_of(doc)
    found: list[ResolvedDate] = []
    taken: list[tuple[int, int]] = []
    narrative: list[tuple[ResolvedDate, int | None]] = []  # 'the previous day' and its offset in days

    def overlaps(a: int, b: int) -> bool:
        return any(a < e and s < b for s, e in taken)

    for kind, rx in _COMPILED:
        for m in rx.finditer(text):
            if overlaps(m.start(), m.end()):
                continue
            resolved = resolve_match(kind, m, published)
            if resolved is None:
                continue
            taken.append((m.start(), m.end()))
            found.append(ResolvedDate(m.start(), m.end(), m.group(0), *resolved, relative=kind in RELATIVE_KINDS,
                                      since=bool(_groups(m).get("since")) and resolved[1] == published))
            if kind == "narrative":
                narrative.append((found[-1], _narrative_offset(_groups(m))))
    for ent in doc.ents:  # a clock time ('9 p.m.') is no day: the day words of TIME entities are rules above
        if ent.label_ != "DATE" or overlaps(ent.start_char, ent.end_char):
            continue
        if not _RELATIVE_HINT.search(ent.text) or _bare_month_not_a_time(doc, ent) or _a_numbered_thing(doc, ent):
            continue
        resolved = _dateparser_resolve(ent.text, published)
        if resolved is None:
            continue
        taken.append((ent.start_char, ent.end_char))
        found.append(ResolvedDate(ent.start_char, ent.end_char, ent.text, *resolved))
    found.sort(key=lambda d: d.start_char)
    _anchor_narrative(text, found, narrative)
    _story_year(text, found, published)
    found = _joined_ranges(text, found)
    for item in found:
        _extend_since(text, item, published)
        span = doc.char_span(item.start_char, item.end_char, alignment_mode="expand")
        item.start_token, item.end_token = span.start, span.end
    found.sort(key=lambda d: d.start_char)
    return found


# Words before a bare month name that make it a time ('in March', 'since May', 'last June', 'March and April')
_MONTH_CUES = frozenset({"in", "on", "since", "until", "till", "by", "from", "of", "during", "through", "throughout",
                         "before", "after", "between", "last", "next", "this", "early", "late", "mid", "and", "or",
                         "to"})


# Words before a number that make it the number of a thing, not a year ('VFW Post No. 1922', 'Route 1812')
_NUMBER_LABELS = frozenset({"no", "no.", "nos.", "#", "number", "route", "highway", "interstate", "flight", "room",
                            "suite", "apt", "apt.", "apartment", "lot", "unit", "post", "bus", "line", "box", "exit"})


def _a_numbered_thing(doc: Doc, ent) -> bool:
    """'VFW Post No. 1922', 'Route 1812': a number the model took for a year is the number of a thing."""
    if len(ent) != 1 or not ent[0].like_num:
        return False
    before = [t.lower_ for t in doc[max(0, ent.start - 2):ent.start] if t.text != "."]  # 'No', '.' split apart
    return bool(before) and (before[-1] in _NUMBER_LABELS or f"{before[-1]}." in _NUMBER_LABELS)


def _bare_month_not_a_time(doc: Doc, ent) -> bool:
    """'the program March to Dhaka', 'a May Day rally': a month's name alone, with no word of time before
    it, is a word of something else ('in March', 'last May' are times)."""
    if len(ent) != 1 or ent[0].lower_.rstrip(".") not in MONTHS:
        return False
    before = doc[ent.start - 1].lower_ if ent.start > 0 else ""
    return before not in _MONTH_CUES


def _anchor_narrative(text: str, found: list[ResolvedDate], narrative: list[tuple[ResolvedDate, int | None]]) -> None:
    """'On 2 May 2020, relatives protested after the previous day ...': the previous day is 1 May, counted
    from the last calendar day before it in its paragraph (publication when there is none)."""
    for item, offset in narrative:
        anchor = next((d for d in reversed(found) if d.end_char <= item.start_char and not d.relative
                       and d.precision == "day" and "\n\n" not in text[d.end_char:item.start_char]), None)
        if anchor is not None and offset is not None:
            item.date_start = item.date_end = anchor.date_start + timedelta(days=offset)


STORY_YEAR_AFTER_DAYS = 60  # a year told this long before publication sets the year of what follows it


def _story_year(text: str, found: list[ResolvedDate], published: date | None) -> None:
    """'The vote took place on March 16, 2014 ... On March 18, the occupiers shot ...': in a story set in a
    year long past, a day told without its year is a day of that year (up to a year after the last day told
    with one, a day with its year, not 'since 2014' or 'in March 2022', within the two paragraphs before it), not
    of the year of publication."""
    if published is None:
        return
    for item in found:
        if item.relative or item.states_year or item.precision not in ("day", "week", "month"):
            continue
        anchor = next((d for d in reversed(found) if d.end_char <= item.start_char and not d.relative
                       and d.states_year and d.precision == "day" and not d.since), None)
        if anchor is None or (published - anchor.date_end).days <= STORY_YEAR_AFTER_DAYS \
                or len([line for line in text[anchor.end_char:item.start_char].split("\n") if line.strip()]) > 3:
            continue
        years = anchor.date_start.year - item.date_start.year
        if years >= 0:
            continue
        try:
            start, end = item.date_start.replace(year=item.date_start.year + years), \
                item.date_end.replace(year=item.date_end.year + years)
        except ValueError:  # 29 February
            continue
        if 0 <= (start - anchor.date_start).days <= 365:
            item.date_start, item.date_end = start, end


_RANGE_OPENING = re.compile(r"\b(?:between|from)\s+(?:the\s+)?$", re.IGNORECASE)
_RANGE_JOIN = {"between": re.compile(r"^\s*(?:and|-|–)\s*$"),
               "from": re.compile(r"^\s*(?:to|until|till|through|-|–)\s*$")}


def _joined_ranges(text: str, found: list[ResolvedDate]) -> list[ResolvedDate]:
    """'between 27 June 2021 and 3 July 2021', 'from 28 April to 2 May': two calendar days that
    bound one span are that span (one month's 'between 4 and 20 December' is a single rule above)."""
    out: list[ResolvedDate] = []
    for item in found:
        first = out[-1] if out else None
        opening = _RANGE_OPENING.search(text[max(0, first.start_char - 10):first.start_char]) if first else None
        if opening is None or first.relative or item.relative or first.kind != "point" or item.kind != "point" \
                or not _RANGE_JOIN[opening.group(0).split()[0].lower()].match(text[first.end_char:item.start_char]) \
                or not first.date_start < item.date_end:
            out.append(item)
            continue
        first.end_char, first.date_end = item.end_char, item.date_end
        first.text = text[first.start_char:first.end_char]
        first.precision, first.kind = _span_precision((first.date_end - first.date_start).days + 1), "span"
    return out


_SINCE = re.compile(r"\bsince\s+(?:the\s+)?$", re.I)


def _extend_since(text: str, item: ResolvedDate, published: date | None) -> None:
    """'since February 2022' runs from that date to publication."""
    if published is None or item.kind == "duration" or item.text.lower().startswith("since"):
        return
    m = _SINCE.search(text[max(0, item.start_char - 12):item.start_char])
    if m is None or item.date_start > published:
        return
    item.start_char -= len(m.group(0))
    item.text = text[item.start_char:item.end_char]
    item.date_end = published
    item.precision = _span_precision((published - item.date_start).days + 1)
    item.kind = "span"
    item.since = True


@Language.component("warledger_dates")
def dates_component(doc: Doc) -> Doc:
    meta = doc._.wl_article
    doc._.wl_dates = find_dates(doc, meta.published if meta else None)
    return doc
