"""The ledger file: articles in, records out, links kept, in one DuckDB database.

Articles go in by batches. Each batch is one transaction: the article rows,
their records, their syndication group and their links to incidents and
figures are committed together or not at all, so a run killed at any moment
leaves no half-written article, and the next run redoes only what is missing.
An article is known by its identity (URL, feed entry, JSONL id or file path)
and its text: the same identity with the same text adds nothing, another
identity with the same text is a duplicate (kept, not extracted again), the
same identity with new text replaces the old records.
"""
from __future__ import annotations

import functools
import hashlib
import itertools
import json
import math
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlparse

import duckdb

from .. import __version__
from ..model import Article, Report
from . import linking, syndication
from .schema import check_version, migrate

DEFAULT_PATH = "warledger.duckdb"
# DuckDB caches table blocks up to its memory limit (80% of RAM by default): while ingesting, a small
# cap keeps memory flat however many articles go in; queries and exports keep DuckDB's default.
INGEST_MEMORY_LIMIT = os.environ.get("WARLEDGER_MEMORY_LIMIT", "128MB")
RECORD_TABLES = ("sources", "places", "quotes", "claims", "assessments", "events", "denials")
LINK_TABLES = ("mentions", "figure_claims", "signatures", "bands")


@dataclass
class IngestOutcome:
    """What happened to one article: added, updated, reprocessed, known (nothing to do) or duplicate."""

    article: Article
    status: str
    article_id: int | None = None
    duplicate_of: int | None = None
    events: int = 0
    claims: int = 0


def identity_of(article: Article) -> str:
    return f"url:{article.url}" if article.url else article.key or f"sha256:{text_sha256(article.text)}"


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def outlet_of(url: str | None) -> str | None:
    host = urlparse(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _claim_places(report: Report) -> dict[str, object]:
    """Each claim's place record: its own, else that of the event it belongs to."""
    places = {p.id: p for p in report.places}
    event_place: dict[str, str | None] = {}
    for event in report.events:
        for claim_id in event.claims:
            event_place.setdefault(claim_id, event.place)
    return {c.id: places.get(c.place or event_place.get(c.id)) for c in report.claims}


def interrupted(problem: BaseException) -> bool:
    """Ctrl-C, also as DuckDB reports it when it lands inside a query."""
    return isinstance(problem, (KeyboardInterrupt, duckdb.InterruptException)) or (
        isinstance(problem, RuntimeError) and "interrupted" in str(problem).lower())


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, columns: list[str], rows: list[tuple]) -> None:
    """Many rows in few statements (multi-row VALUES is ten times faster than executemany)."""
    width = len(columns)
    for start in range(0, len(rows), 400):
        chunk = rows[start:start + 400]
        values = ",".join(["(" + ",".join("?" * width) + ")"] * len(chunk))
        con.execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES {values}", [v for r in chunk for v in r])


EXTRACTED = ("added", "updated", "reprocessed", "redated")
INCIDENT_COLUMNS = ["incident_id", "event_type", "sub_event_type", "date_start", "date_end", "time_precision",
                    "location", "admin1", "country", "latitude", "longitude", "geo_precision"]
# rows of a table inside any of a batch's windows: dates overlapping, and inside the box
# (or, for a record without coordinates, unplaced or named the same); seven lists as parameters
OVERLAPPING = ("SELECT t.{key} FROM {table} t, (SELECT unnest(?) AS s, unnest(?) AS e, unnest(?) AS lat0, "
               "unnest(?) AS lat1, unnest(?) AS lon0, unnest(?) AS lon1, unnest(?) AS loc) w "
               "WHERE t.date_end >= w.s AND t.date_start <= w.e AND (t.latitude BETWEEN w.lat0 AND w.lat1 "
               "AND t.longitude BETWEEN w.lon0 AND w.lon1 OR w.lat0 IS NULL AND (t.latitude IS NULL "
               "OR t.{place} = w.loc))")
INCIDENTS_IN_WINDOWS = OVERLAPPING.format(table="incidents", key="incident_id", place="location")
FIGURES_IN_WINDOWS = OVERLAPPING.format(table="figures", key="figure_id", place="place")


class _Rows:
    """Rows waiting to be written, by table: one INSERT per table per batch."""

    def __init__(self) -> None:
        self.tables: dict[str, tuple[list[str], list[tuple]]] = {}

    def extend(self, table: str, columns: list[str], rows: list[tuple]) -> None:
        self.tables.setdefault(table, (columns, []))[1].extend(rows)

    def add(self, table: str, row: dict) -> None:
        self.extend(table, list(row), [tuple(row.values())])

    def flush(self, con: duckdb.DuckDBPyConnection) -> None:
        for table in ["articles"] + [t for t in self.tables if t != "articles"]:
            if table in self.tables:
                columns, rows = self.tables[table]
                insert_rows(con, table, columns, rows)
        self.tables.clear()


class Ledger:
    """One ledger file. `Ledger(path)` opens (creating or migrating) it; use as a context manager."""

    def __init__(self, path: str | Path = DEFAULT_PATH, read_only: bool = False,
                 extract: Callable[[list[Article]], Iterable[Report]] | None = None):
        """`extract` turns articles into reports, in order (`pipeline.process`, or workers elsewhere):
        the ledger stores reports made anywhere and imports no pipeline; without it, it can only read
        and add copies."""
        self.path = Path(path)
        self.extract = extract
        if read_only and not self.path.exists():
            raise FileNotFoundError(f"{self.path}: no ledger here; build one with `warledger ingest`")
        self.con = duckdb.connect(str(self.path), read_only=read_only)
        try:
            if read_only:
                check_version(self.con)
            else:
                self.con.execute(f"SET memory_limit = '{INGEST_MEMORY_LIMIT}'")
                migrate(self.con)
        except Exception:
            self.con.close()
            raise

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    # ---- ingest -------------------------------------------------------

    def ingest(self, articles: Iterable[Article], batch_size: int = 64) -> Iterator[IngestOutcome]:
        """Add articles; one outcome per article, in input order, yielded once its batch is committed.
        An extractor that can start early (`prefetch`, as Dask's) is handed each batch before the one
        before it is written, so workers extract while this process writes."""
        pending: list[Article] = []
        for batch in self._batches(articles, batch_size):
            self._prefetch(batch)
            if pending:
                yield from self._commit_batch(pending)
            pending = batch
        if pending:
            yield from self._commit_batch(pending)

    @staticmethod
    def _batches(articles: Iterable[Article], batch_size: int) -> Iterator[list[Article]]:
        """Batches of articles, an identity at most once in each (a second telling waits for the next)."""
        batch: list[Article] = []
        identities: set[str] = set()
        for article in articles:
            identity = identity_of(article)
            if identity in identities or len(batch) >= batch_size:
                yield batch
                batch, identities = [], set()
            batch.append(article)
            identities.add(identity)
        if batch:
            yield batch

    def _prefetch(self, batch: list[Article]) -> None:
        """Start extracting the articles the batch's plan will extract, when the extractor can (the plan is
        made again when the batch is written, after the one before it)."""
        prefetch = getattr(self.extract, "prefetch", None)
        if prefetch is not None:
            prefetch([article for article, status, _, _ in self._plan(batch) if status in EXTRACTED])

    def reprocess(self, batch_size: int = 64) -> Iterator[IngestOutcome]:
        """Extract every stored article again with this version of the extractor, replacing its records."""
        ids = [r[0] for r in self.con.execute(
            "SELECT article_id FROM articles WHERE duplicate_of IS NULL ORDER BY article_id").fetchall()]
        for start in range(0, len(ids), batch_size):
            chunk = ids[start:start + batch_size]
            rows = self.con.execute(
                "SELECT article_id, text, doc_id, published, title, url, origin, identity FROM articles "
                "WHERE article_id IN (SELECT unnest(?)) ORDER BY article_id", [chunk]).fetchall()
            articles = [Article(text=text, id=doc_id, published=published, title=title, url=url, origin=origin,
                                key=identity) for _, text, doc_id, published, title, url, origin, identity in rows]
            yield from self._write([(a, "reprocessed", r[0], None) for a, r in zip(articles, rows)])

    def redate(self, article_id: int, day: date) -> IngestOutcome:
        """Set an article's publication date and derive its records again (its events' dates, their links)."""
        row = self.con.execute("SELECT text, doc_id, title, url, origin, identity, duplicate_of FROM articles "
                               "WHERE article_id = ?", [article_id]).fetchone()
        if row is None:
            raise KeyError(f"no article {article_id} in {self.path}")
        text, doc_id, title, url, origin, identity, original = row
        if original is not None:
            raise KeyError(f"article {article_id} is a copy of article {original}: redate that one")
        article = Article(text=text, id=doc_id, published=day, title=title, url=url, origin=origin, key=identity)
        return next(self._write([(article, "redated", article_id, None)]))

    def article_count(self) -> int:
        return self.con.execute("SELECT count(*) FROM articles").fetchone()[0]

    def undated(self) -> int:
        """Articles (not copies) stored with no publication date."""
        return self.con.execute("SELECT count(*) FROM articles WHERE published IS NULL AND duplicate_of IS NULL"
                                ).fetchone()[0]

    def _commit_batch(self, batch: list[Article]) -> Iterator[IngestOutcome]:
        yield from self._write(self._plan(batch))

    def _plan(self, batch: list[Article]) -> list[tuple[Article, str, int | None, int | None]]:
        """What becomes of each article: (article, status, article_id, original) with status known, updated,
        redated, duplicate (an exact copy under another identity) or added."""
        plan: list[tuple[Article, str, int | None, int | None]] = []
        next_id = self.con.execute("SELECT coalesce(max(article_id), 0) + 1 FROM articles").fetchone()[0]
        hashes = [text_sha256(article.text) for article in batch]
        known = dict((identity, (aid, sha, day)) for identity, aid, sha, day in self.con.execute(
            "SELECT identity, article_id, text_sha256, published FROM articles WHERE identity IN (SELECT unnest(?))",
            [[identity_of(a) for a in batch]]).fetchall())
        originals = dict(self.con.execute(
            "SELECT text_sha256, min(article_id) FROM articles WHERE text_sha256 IN (SELECT unnest(?)) "
            "AND duplicate_of IS NULL GROUP BY text_sha256", [hashes]).fetchall())
        for article, sha in zip(batch, hashes):
            found = known.get(identity_of(article))
            if found:
                redated = article.published is not None and article.published != found[2]
                status = "updated" if found[1] != sha else "redated" if redated else "known"
                plan.append((article, status, found[0], None))
                continue
            original = originals.get(sha)
            plan.append((article, "duplicate" if original else "added", next_id, original))
            originals.setdefault(sha, next_id)
            next_id += 1
        return plan

    def _write(self, plan) -> Iterator[IngestOutcome]:
        to_extract = [article for article, status, _, _ in plan if status in EXTRACTED]
        if to_extract and self.extract is None:
            raise RuntimeError(f"{self.path}: opened without an extractor, so it cannot extract articles")
        reports = iter(list(self.extract(to_extract)) if to_extract else [])
        outcomes, extracted, duplicates, rows = [], [], [], _Rows()
        for article, status, article_id, original in plan:
            outcome = IngestOutcome(article, status, article_id, original)
            if status in EXTRACTED:
                report = next(reports)
                extracted.append((article_id, article, report))
                outcome.events, outcome.claims = len(report.events), len(report.claims)
            elif status == "duplicate":
                duplicates.append((article_id, original))
                rows.add("articles", self._article_row(article, article_id, original, None))
            outcomes.append(outcome)
        self.con.execute("BEGIN TRANSACTION")
        try:
            stale = [aid for _, status, aid, _ in plan if status in ("updated", "reprocessed", "redated")]
            prior = self._prior_links(stale)
            if stale:
                self._forget_records(stale)
                self.con.execute("DELETE FROM articles WHERE article_id IN (SELECT unnest(?))", [stale])
                self._drop_orphans()
            for article_id, article, report in extracted:
                rows.add("articles", self._article_row(article, article_id, None, report))
                self._record_rows(rows, article_id, report)
            rows.flush(self.con)
            syndication.assign_groups(self.con, [(aid, article.text) for aid, article, _ in extracted], duplicates)
            self._link(extracted, prior)
            self.con.execute("COMMIT")
        except BaseException as problem:
            try:
                self.con.execute("ROLLBACK")
            except duckdb.TransactionException:
                pass  # Ctrl-C inside the COMMIT itself: DuckDB has already closed the transaction
            if interrupted(problem):
                raise KeyboardInterrupt from problem  # Ctrl-C inside a DuckDB query: the same for callers
            raise
        yield from outcomes

    def _prior_links(self, article_ids: list[int]) -> dict[str, dict[tuple[int, str], int]]:
        """The incident of each event and the figure of each claim of articles about to be extracted again:
        an incident or figure made anew for the same record takes its old id back, so citations hold."""
        if not article_ids:
            return {"incidents": {}, "figures": {}}
        return {"incidents": {(a, e): i for a, e, i in self.con.execute(
                    "SELECT article_id, event_id, incident_id FROM mentions WHERE article_id IN (SELECT unnest(?))",
                    [article_ids]).fetchall()},
                "figures": {(a, c): f for a, c, f in self.con.execute(
                    "SELECT article_id, claim_id, figure_id FROM figure_claims WHERE article_id IN (SELECT unnest(?))",
                    [article_ids]).fetchall()}}

    def _forget_records(self, article_ids: list[int]) -> None:
        for table in RECORD_TABLES + LINK_TABLES:
            self.con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT unnest(?))", [article_ids])

    def _drop_orphans(self) -> None:
        self.con.execute("DELETE FROM incidents WHERE incident_id NOT IN (SELECT incident_id FROM mentions)")
        self.con.execute("DELETE FROM figures WHERE figure_id NOT IN (SELECT figure_id FROM figure_claims)")
        self.con.execute("UPDATE figures SET incident_id = NULL WHERE incident_id NOT IN "
                         "(SELECT incident_id FROM incidents)")

    @staticmethod
    def _article_row(article: Article, article_id: int, original: int | None, report: Report | None) -> dict:
        return {"article_id": article_id, "identity": identity_of(article), "doc_id": article.id,
                "title": article.title, "url": article.url, "outlet": outlet_of(article.url),
                "published": article.published, "origin": article.origin, "text": article.text,
                "text_sha256": text_sha256(article.text), "n_chars": len(article.text), "duplicate_of": original,
                "ingested_at": datetime.now(), "extractor": __version__ if report else None,
                "report": json.dumps(report.to_dict(), ensure_ascii=False) if report else None}

    @staticmethod
    def _record_rows(rows: _Rows, article_id: int, report: Report) -> None:
        sources = {s.id: s for s in report.sources}
        places = {p.id: p for p in report.places}

        def source_fields(source_id):
            source = sources.get(source_id)
            return (source.name, source.kind, source.side) if source else (None, None, None)

        rows.extend("sources", ["article_id", "source_id", "name", "kind", "side", "affiliation", "country",
                                     "mentions"],
                    [(article_id, s.id, s.name, s.kind, s.side, s.affiliation, s.country, len(s.spans))
                     for s in report.sources])
        rows.extend("places", ["article_id", "place_id", "name", "geonameid", "latitude", "longitude",
                                    "country_code", "admin1", "feature", "mentions"],
                    [(article_id, p.id, p.name, p.geonameid, p.latitude, p.longitude, p.country_code, p.admin1,
                      p.feature, len(p.spans)) for p in report.places])
        rows.extend("quotes", ["article_id", "quote_id", "speaker", "speaker_side", "text", "cue", "direct"],
                    [(article_id, q.id, *source_fields(q.speaker)[::2], q.text, q.cue, q.direct)
                     for q in report.quotes])
        place_of = _claim_places(report)
        claim_rows = []
        for c in report.claims:
            place = place_of[c.id]
            claim_rows.append((article_id, c.id, c.category, c.subject, c.side, c.low, c.best, c.high, c.qualifier,
                         c.unit, _date(c.date_start), _date(c.date_end), c.date_precision,
                         place.name if place else None, place.latitude if place else None,
                         place.longitude if place else None, *source_fields(c.source),
                         c.hedge.phrase if c.hedge else None, c.hedge.low if c.hedge else None,
                         c.hedge.high if c.hedge else None, c.sentence, c.item, c.period))
        rows.extend("claims", ["article_id", "claim_id", "category", "subject", "side", "low", "best", "high",
                                    "qualifier", "unit", "date_start", "date_end", "date_precision", "place",
                                    "latitude", "longitude", "source", "source_kind", "source_side", "hedge",
                                    "hedge_low", "hedge_high", "sentence", "item", "period"], claim_rows)
        rows.extend("assessments", ["article_id", "assessment_id", "phrase", "standard", "low", "high",
                                         "statement", "source", "source_side"],
                    [(article_id, a.id, a.phrase, a.standard, a.low, a.high, a.statement,
                      *source_fields(a.source)[::2]) for a in report.assessments])
        rows.extend("events", ["article_id", "event_id", "event_date", "date_start", "date_end",
                                    "time_precision", "event_type", "sub_event_type", "actor1", "actor2", "side1",
                                    "side2", "location", "admin1", "country", "country_code", "latitude",
                                    "longitude", "geo_precision", "fatalities", "fatalities_low", "fatalities_high",
                                    "source", "source_kind", "source_side", "claim_ids", "notes"],
                    [(article_id, e.id, _date(e.event_date), _date(e.date_start), _date(e.date_end),
                      e.time_precision, e.event_type, e.sub_event_type, e.actor1, e.actor2, e.side1, e.side2,
                      e.location, e.admin1, e.country, places[e.place].country_code if e.place in places else None,
                      e.latitude, e.longitude, e.geo_precision, e.fatalities, e.fatalities_low, e.fatalities_high,
                      *source_fields(e.source), e.claims, e.notes) for e in report.events])
        rows.extend("denials", ["article_id", "denial_id", "event_date", "date_start", "date_end", "time_precision",
                                "event_type", "sub_event_type", "actor1", "actor2", "side1", "side2", "location",
                                "admin1", "country", "latitude", "longitude", "geo_precision", "source",
                                "source_kind", "source_side", "notes"],
                    [(article_id, d.id, _date(d.event_date), _date(d.date_start), _date(d.date_end), d.time_precision,
                      d.event_type, d.sub_event_type, d.actor1, d.actor2, d.side1, d.side2, d.location, d.admin1,
                      d.country, d.latitude, d.longitude, d.geo_precision, *source_fields(d.source), d.notes)
                     for d in report.denials])

    # ---- links across articles ---------------------------------------

    def _link(self, extracted: list[tuple[int, Article, Report]], prior: dict) -> None:
        events = [linking.EventRecord(**{f: getattr(e, f) for f in linking.HAPPENING_FIELDS},
                                      article_id=aid, event_id=e.id, side1=e.side1, side2=e.side2,
                                      published=article.published)
                  for aid, article, report in extracted for e in report.events]
        for event in events:
            event.date_start, event.date_end = _date(event.date_start), _date(event.date_end)
        incident_of = self._link_events(events, prior["incidents"])
        claims = []
        for aid, article, report in extracted:
            place_of = _claim_places(report)
            event_of_claim = {c: e for e in report.events for c in e.claims}
            for c in report.claims:
                event = event_of_claim.get(c.id)
                place = place_of[c.id]
                claims.append(linking.ClaimRecord(
                    aid, c.id, c.category, c.side, c.unit, _date(c.date_start), _date(c.date_end),
                    place.name if place else None, place.latitude if place else None,
                    place.longitude if place else None,
                    incident_of.get((aid, event.id)) if event else None, article.published,
                    c.item or linking.toll_subject(c.subject), c.period))
        self._link_claims(claims, prior["figures"])

    @staticmethod
    def _windows(records, radius_km: float) -> list[list] | None:
        """Where and when each record of the batch may find its match, as columns for SQL: only incidents
        or figures in those windows are loaded (dates padded; a box of the widest radius, or the same
        place name for records without coordinates)."""
        pad = linking.WINDOW_PAD
        rows = set()
        for record in records:
            window = record.window()
            if window is None:
                continue
            if record.latitude is None or record.longitude is None:
                box = (None, None, None, None)
            else:
                dlat = radius_km / 111.0
                dlon = min(180.0, dlat / max(0.05, math.cos(math.radians(record.latitude))))
                box = (record.latitude - dlat, record.latitude + dlat, record.longitude - dlon, record.longitude + dlon)
            rows.add((window[0] - pad, window[1] + pad, *box, record.location))
        if not rows:
            return None
        return [list(column) for column in zip(*sorted(rows, key=str))]

    def _id_source(self, table: str, key: str, prior: dict[tuple[int, str], int]):
        """A function giving the id of a new row of a table for a record: the id its record had before
        (`prior`) when no row holds it now, else the next never-used id."""
        held = {r[0] for r in self.con.execute(f"SELECT {key} FROM {table} WHERE {key} IN (SELECT unnest(?))",
                                               [sorted(set(prior.values()))]).fetchall()} if prior else set()
        last = self.con.execute(f"SELECT coalesce(max({key}), 0) FROM {table}").fetchone()[0]
        counter = itertools.count(max([last, *prior.values()]) + 1)

        def new_id(record: tuple[int, str]) -> int:
            old = prior.get(record)
            if old is not None and old not in held:
                held.add(old)
                return old
            return next(counter)

        return new_id

    def _link_events(self, events: list[linking.EventRecord], prior: dict) -> dict[tuple[int, str], int]:
        windows = self._windows(events, max(linking.radius_km("incident").values()))
        if windows is None:
            return {}
        rows = self.con.execute(
            "SELECT i.*, list(DISTINCT e.side1) || list(DISTINCT e.side2) FROM incidents i "
            "JOIN mentions m USING (incident_id) JOIN events e USING (article_id, event_id) "
            f"WHERE i.incident_id IN ({INCIDENTS_IN_WINDOWS}) GROUP BY ALL",
            windows).fetchall()
        incidents = [linking.Incident(**dict(zip(INCIDENT_COLUMNS, row)),
                                      sides={s for s in row[-1] if s not in linking.UNKNOWN_SIDES})
                     for row in rows]
        new_id = self._id_source("incidents", "incident_id", prior)
        incident_of = {}
        for event in events:
            if event.window() is None:
                continue
            incident = linking.attach(event, incidents, functools.partial(new_id, (event.article_id, event.event_id)))
            incident_of[(event.article_id, event.event_id)] = incident.incident_id
        changed = [i for i in incidents if i.changed]
        old = [i.incident_id for i in changed if not i.new]
        if old:
            self.con.execute("DELETE FROM incidents WHERE incident_id IN (SELECT unnest(?))", [old])
        insert_rows(self.con, "incidents", INCIDENT_COLUMNS,
                    [tuple(getattr(i, c) for c in INCIDENT_COLUMNS) for i in changed])
        insert_rows(self.con, "mentions", ["article_id", "event_id", "incident_id"],
                    [(aid, eid, iid) for (aid, eid), iid in incident_of.items()])
        return incident_of

    def _link_claims(self, claims: list[linking.ClaimRecord], prior: dict) -> None:
        windows = self._windows(claims, linking.radius_km("figure"))
        if windows is None:
            return
        rows = self.con.execute(
            "SELECT f.*, list(DISTINCT fc.article_id) FROM figures f JOIN figure_claims fc USING (figure_id) "
            f"WHERE f.figure_id IN ({FIGURES_IN_WINDOWS}) GROUP BY ALL",
            windows).fetchall()
        figures = [linking.Figure(*row[:-1], articles=set(row[-1])) for row in rows]
        new_id = self._id_source("figures", "figure_id", prior)
        members = []
        for claim in claims:
            if claim.window() is None:
                continue
            figure = linking.attach_claim(claim, figures, functools.partial(new_id, (claim.article_id, claim.claim_id)))
            members.append((claim.article_id, claim.claim_id, figure.figure_id))
        columns = ["figure_id", "category", "side", "unit", "date_start", "date_end", "place", "latitude",
                   "longitude", "incident_id", "subject_class", "period"]
        insert_rows(self.con, "figures", columns, [tuple(getattr(f, c) for c in columns) for f in figures if f.new])
        insert_rows(self.con, "figure_claims", ["article_id", "claim_id", "figure_id"], members)
