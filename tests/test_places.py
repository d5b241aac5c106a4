"""Places: the sample's gold places, and cases from other wars (cases/places.yaml)."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import load_gold, norm, reports_for_cases

import warledger
from warledger import Article
from warledger.gazetteer import gazetteer, haversine_km, index_path

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "places.yaml").read_text(encoding="utf-8"))
GOLD = load_gold()


@pytest.fixture(scope="module")
def reports():
    return reports_for_cases(CASES)


def spanned(report, text_of_case, surface):
    for place in report.places:
        for start, end in place.spans:
            if text_of_case[start:end] == surface:
                return place
    return None


def test_enough_cases():
    assert len(CASES) >= 25


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_place_case(reports, case):
    report = reports[case["id"]]
    for want in case.get("places", []):
        place = spanned(report, case["text"], want["text"])
        assert place is not None, (want["text"], [(p.name, [case["text"][s:e] for s, e in p.spans]) for p in report.places])
        if "country" in want:
            assert place.country_code == want["country"], (place.name, place.country_code)
        if "feature" in want:
            assert place.feature == want["feature"], (place.name, place.feature)
        if "admin1" in want:
            assert place.admin1 == want["admin1"], (place.name, place.admin1)
        if "near" in want:
            assert haversine_km(*want["near"], place.latitude, place.longitude) < 25, (place.name, place.latitude, place.longitude)
    surfaces = {case["text"][s:e] for p in report.places for s, e in p.spans}
    for surface, count in case.get("expect_spans", {}).items():
        found = [case["text"][s:e] for p in report.places for s, e in p.spans if case["text"][s:e] == surface]
        assert len(found) == count, (surface, found)
    for word in case.get("not_places", []):
        assert not any(word in surface for surface in surfaces), surfaces


@pytest.mark.parametrize("gold", GOLD.get("places", []), ids=[g["name"] for g in GOLD.get("places", [])])
def test_sample_place(sample_report, gold):
    names = [norm(x) for x in [gold["name"], *gold.get("aliases", [])]]
    found = [p for p in sample_report.places if any(norm(p.name) in n or n in norm(p.name) for n in names)]
    assert found, gold["name"]
    if "latitude" in gold:
        assert any(haversine_km(gold["latitude"], gold["longitude"], p.latitude, p.longitude) <= gold.get("tolerance_km", 25)
                   for p in found), [(p.name, p.latitude, p.longitude) for p in found]
    else:
        assert any(p.country_code == gold["country_code"] for p in found)


def test_building_the_index_removes_earlier_versions(tmp_path, monkeypatch):
    from warledger import gazetteer as gazetteer_module

    monkeypatch.setattr(gazetteer_module, "_fill", lambda conn: conn.execute("CREATE TABLE t (x)"))
    old = tmp_path / "gazetteer-v1.sqlite"
    old.write_bytes(b"old")
    unrelated = tmp_path / "notes.txt"
    unrelated.write_text("keep")
    new = tmp_path / f"gazetteer-v{gazetteer_module.INDEX_VERSION}.sqlite"
    gazetteer_module.build_index(new)
    assert new.exists() and not old.exists() and unrelated.exists()


def test_every_place_alias_names_a_place_in_the_index():
    """A row of data/place_aliases.csv whose state or country is missing from the index would be dropped
    at build time: catch it here (the admin-1 names there must be the index's own)."""
    import csv

    from warledger.gazetteer import norm_name
    from warledger.lexicon import data_path

    gaz = gazetteer()
    with data_path("place_aliases.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            options = gaz.lookup(norm_name(row["alias"]), context_only=row["context_only"] == "1")
            # a region split into admin-1 units (data/admin1_levels.csv) is a unit above them, as islands are
            want = (("admin1", "admin2"), row["admin1"]) if row["admin1"] else (("country",), None)
            assert any(o.country_code == row["country_code"] and o.feature in want[0]
                       and (want[1] is None or o.name == want[1]) for o in options), row


def test_every_supplement_row_names_its_state_as_the_index_does():
    """A supplement row names its state as the index does ('Avtonomna Respublika Krym', not 'Crimea') so
    the build finds the unit: the facility then belongs to it (a stated region binds it, 'Saky air base,
    Crimea') and shows the name records show, as a town of that state does."""
    import csv
    import sqlite3

    from warledger.lexicon import data_path

    gazetteer()
    states = set(sqlite3.connect(index_path()).execute("SELECT country, name FROM places WHERE feature = 'admin1'"))
    with data_path("places_supplement.csv").open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["admin1"]]
    assert rows
    for row in rows:
        assert (row["country_code"], row["admin1"]) in states, (row["name"], row["admin1"])
    gaz = gazetteer()
    airports = gaz.lookup("aden adde international airport")
    towns = [o for o in gaz.lookup("mogadishu") if o.feature == "populated_place"]
    assert airports and towns
    assert (airports[0].admin1_id, airports[0].admin1) == (towns[0].admin1_id, "Banadir")


def test_gazetteer_opens_from_its_cache_quickly():
    assert index_path().exists()
    gaz = gazetteer()
    assert {p.name for p in gaz.lookup("artemivsk")} >= {"Bakhmut"}
    assert any(p.feature == "admin1" and p.country_code == "UA" for p in gaz.lookup("donetska oblast"))


def test_claim_carries_the_place_its_clause_names():
    report = warledger.extract("Up to 500 Russian troops were killed near Bakhmut, Ukraine's military said.",
                               published="2023-02-01")
    claim = report.claims[0]
    assert report.places and claim.place == report.places[0].id and report.places[0].name == "Bakhmut"


def test_russian_style_transliteration_finds_the_ukrainian_town():
    report = warledger.extract("Shelling continued in Gorlivka and Svyatogorsk.", published="2016-01-01")
    names = {p.name for p in report.places}
    assert {"Horlivka", "Sviatohirsk"} <= names or {"Horlivka", "Svyatohirsk"} <= names, names


def test_a_rare_capitalised_word_is_a_place_a_common_one_is_not():
    report = warledger.extract("Kramatorsk was quiet. Metro services resumed.", published="2023-01-01")
    surfaces = {p.name for p in report.places}
    assert "Kramatorsk" in surfaces
    assert not any("Metro" in s for s in surfaces)


def test_country_hint_decides_between_namesakes():
    text = "Novokaterynivka"
    plain = warledger.extract(text)
    hinted = next(warledger.extract_many([Article(text=text, country="UA")]))
    assert hinted.places and hinted.places[0].country_code == "UA"
    assert plain.places  # found either way; the hint only moves the choice


def test_a_vast_province_is_placed_at_its_middle_not_where_its_towns_crowd():
    """GeoNames puts British Columbia at 54N 125W; most of its towns lie along the US border, 400 km south."""
    gaz = gazetteer()
    bc = next(o for o in gaz.lookup("british columbia") if o.feature == "admin1")
    assert haversine_km(bc.latitude, bc.longitude, 54.0, -125.0) < 161
    ontario = next(o for o in gaz.lookup("ontario") if o.feature == "admin1" and o.country_code == "CA")
    assert ontario.latitude > 47  # its towns' crowd is around 44N
    valparaiso = next(o for o in gaz.lookup("valparaiso") if o.feature == "admin1" and o.country_code == "CL")
    assert haversine_km(valparaiso.latitude, valparaiso.longitude, -33.0, -71.2) < 100  # not dragged to Easter Island
    donetsk = next(o for o in gaz.lookup("donetsk oblast") if o.feature == "admin1")
    assert haversine_km(donetsk.latitude, donetsk.longitude, 48.0, 37.8) < 50


@pytest.mark.parametrize("name, aliases, english", [
    ("Shamāl Sīnā'", ["North Sinai", "North Sinai Governorate", "شمال سيناء"], "North Sinai"),
    ("Jubbada Hoose", ["Gobolka Jubbada Hoose", "Jubbada Hoose Region", "Lower Juba", "Lower Jubba"], "Lower Juba"),
    ("Ḩalab", ["Aleppo", "Aleppo Governorate", "حلب"], "Aleppo"),
    ("Banaadir", ["Banadir Region", "بنادر"], "Banadir"),
    ("Kandahār", ["Qandahor viloyati", "ولایت قندهار"], "Kandahar"),
    ("Free State", ["Orange Free State"], "Free State"),
    ("California", ["Golden State", "CA"], "California"),
    ("Anambra", ["Anambara", "Anambra State", "Udi State"], "Anambra"),
])
def test_regions_carry_their_english_ascii_name(name, aliases, english):
    """admin1 in records as ACLED writes it: English, plain ASCII; nicknames and old names aside."""
    from warledger.gazetteer import english_admin

    assert english_admin(name, aliases) == english


@pytest.mark.parametrize("name, aliases, town, english", [
    ("Moskva", ["Moscow", "Мәскәү"], "Moscow", "Moscow"),
    ("Stockholms län", ["Stockholm", "Stockholm County", "Tukholma"], "Stockholm", "Stockholm"),
    ("Seoul-teukbyeolsi", ["Seoul"], "Seoul", "Seoul"),
    ("La Habana", ["Havana"], "Havana", "Havana"),
    ("Cantabria", ["Santander"], "Santander", "Cantabria"),  # its capital, not its name
    ("Zamboanga Peninsula", ["Zamboanga"], "Zamboanga", "Zamboanga Peninsula"),  # English already
])
def test_a_region_named_for_its_city_carries_the_city_english_name(name, aliases, town, english):
    """'Moskva' is Moscow and 'Stockholms län' Stockholm in records (not the Finnish 'Tukholma'): the alias that
    is the English name of the region's biggest town, when that town is the region's namesake."""
    from warledger.gazetteer import english_admin

    assert english_admin(name, aliases, town) == english


@pytest.mark.parametrize("town, admin1", [
    ("diyarbakir", "Diyarbakir"),  # Turkish dotless i, not 'Diyarbakır'
    ("beylagan", "Beyleqan"),  # the Azerbaijani schwa folded, not 'Beyləqan'
    ("ganja", "Ganja"),  # ACLED's English, not GeoNames' 'Gəncə'
    ("timbuktu", "Timbuktu"),  # ACLED's English, not GeoNames' 'Tombouctou'
    ("dessie", "Amhara"),
    ("mekele", "Tigray"),
])
def test_admin1_of_records_is_plain_english_ascii(town, admin1):
    """The admin1 a town's record shows: plain ASCII even for letters with no accent to drop, and the
    English name ACLED uses where the gazetteer has another (data/place_aliases.csv)."""
    from warledger.gazetteer import ascii_fold, gazetteer

    place = max((o for o in gazetteer().lookup(town) if o.feature == "populated_place"), key=lambda o: o.population)
    assert ascii_fold(place.admin1) == admin1


def test_a_name_spelt_with_letters_nfkd_keeps_whole_is_found():
    """'Diyarbakır' as the text spells it finds the town, as 'Diyarbakir' does (norm_name folds like ascii_fold)."""
    from warledger.gazetteer import gazetteer, norm_name

    assert norm_name("Diyarbakır") == norm_name("Diyarbakir") == "diyarbakir"
    assert any(o.feature == "populated_place" for o in gazetteer().lookup(norm_name("Diyarbakır")))


def test_geocode_explain_shows_the_binding_and_each_feature():
    """`warledger geocode --explain`: the namesakes outside the stated region, and every feature's share."""
    from typer.testing import CliRunner

    from warledger.cli import app

    result = CliRunner().invoke(app, ["geocode", "Russian forces shelled Volodymyrivka, Sumy, on Tuesday.", "--explain"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Volodymyrivka -> Volodymyrivka, Sumy, UA (locality;")
    assert "[placed at its stated region]" in lines[0]
    assert any("outside the stated region: Volodymyrivka, Donetsk, UA" in line for line in lines)
    sumy = next(line for line in lines if line.startswith("  *") and "Sumy, Sumy, UA (populated_place" in line)
    assert "population +5.41" in sumy and "own_name +1.50" in sumy


def test_event_location_and_region_are_plain_ascii_with_the_gazetteer_form_kept():
    """ACLED's spelling in `location`/`admin1` ('Rafah', 'North Sinai'); GeoNames' in `location_geonames`."""
    import warledger

    report = warledger.extract("On 8 May 2020, Egyptian warplanes bombed militant hideouts in Rafah "
                               "(Rafah, North Sinai).", published="2020-05-11")
    event = report.events[0]
    assert (event.location, event.admin1, event.location_geonames) == ("Rafah", "North Sinai", "Rafaḩ")
    assert event.location.isascii() and event.admin1.isascii()


def test_article_wide_rules_are_features_of_the_one_score():
    """A wire dateline's town wins by a weighted feature that --explain shows, like every other reason."""
    from typer.testing import CliRunner

    from warledger.cli import app

    result = CliRunner().invoke(app, ["geocode", "WASHINGTON (AP) — The Senate voted on Tuesday.", "--explain"])
    chosen = next(line for line in result.output.splitlines() if line.startswith("  *"))
    assert "District of Columbia, US" in chosen and "wire_dateline +200.00" in chosen


def test_a_town_the_packages_leave_without_a_region_gets_the_nearest_unit():
    """New Cairo and Nouakchott come without admin-1 in the packages: the unit whose middle is near is
    theirs; a city-state keeps none (no unit of its country lies near)."""
    gaz = gazetteer()
    new_cairo = [o for o in gaz.lookup("new cairo") if o.country_code == "EG"]
    nouakchott = [o for o in gaz.lookup("nouakchott") if o.feature == "populated_place"]
    singapore = [o for o in gaz.lookup("singapore") if o.feature == "populated_place"]
    assert new_cairo and new_cairo[0].admin1 == "Cairo" and new_cairo[0].admin1_id is not None
    assert nouakchott and nouakchott[0].admin1.startswith("Nouakchott")
    assert singapore and singapore[0].admin1 is None


def test_place_word_lists_are_read_once():
    """The stopword list is read from its file once per process, not once per name (a lost
    `functools.cache` once tripled the places stage's time)."""
    from warledger.stages.places.recognise import is_rare_word, stopwords

    assert stopwords() is stopwords()
    assert is_rare_word("Chokoli") and not is_rare_word("village")
