"""Events: the sample's gold events, and cases in the style of wire reports and ACLED notes."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from conftest import as_date, load_gold, reports_for_cases

import warledger
from warledger.gazetteer import haversine_km, norm_name

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "events.yaml").read_text(encoding="utf-8"))
GOLD = load_gold()
TAXONOMY_SUBTYPES = {
    "Armed clash", "Government regains territory", "Non-state actor overtakes territory", "Air/drone strike",
    "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Suicide bomb", "Grenade",
    "Chemical weapon", "Attack", "Abduction/forced disappearance", "Sexual violence", "Peaceful protest",
    "Protest with intervention", "Excessive force against protesters", "Violent demonstration", "Mob violence",
    "Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use", "Headquarters or base established",
    "Looting/property destruction", "Non-violent transfer of territory", "Other",
}
# The taxonomy puts "troop movements and build-ups" under Change to group/activity; the sample's
# gold codes the build-up at the nuclear plant as Other or Headquarters or base established.
TAXONOMY_OVER_GOLD = {"znpp_buildup": "Change to group/activity"}


@pytest.fixture(scope="module")
def reports():
    return reports_for_cases(CASES)


def names_place(report, text, event, name) -> bool:
    """The event's place is the one the text calls `name` (GeoNames may spell it Avdiyivka)."""
    place = next((p for p in report.places if p.id == event.place), None)
    if place is None:
        return False
    written = {norm_name(text[s:e]) for s, e in place.spans} | {norm_name(place.name)}
    return norm_name(name) in written


def test_data_files_refuse_a_key_given_twice(tmp_path, monkeypatch):
    """A trigger row added twice would silently replace the first: loading says where."""
    from importlib import resources

    from warledger import lexicon

    for entry in (resources.files("warledger") / "data").iterdir():
        if entry.name.endswith(".yaml"):
            lexicon.load_yaml(entry.name)  # every shipped data file has each key once
    (tmp_path / "twice.yaml").write_text("triggers:\n  move into: transfer\n  strike: strike\n  move into: hq\n")
    monkeypatch.setattr(lexicon, "data_path", lambda name: tmp_path / name)
    with pytest.raises(ValueError, match=r"'move into' on line 4 is already given on line 2"):
        lexicon.load_yaml("twice.yaml")


def test_cases_cover_every_sub_type():
    covered = {e["sub"] for c in CASES for e in c.get("events", [])}
    assert covered >= TAXONOMY_SUBTYPES - {"Other"}
    assert len(CASES) >= 50


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_event_case(reports, case):
    report = reports[case["id"]]
    for e in report.events:
        assert e.sub_event_type in TAXONOMY_SUBTYPES
    if case.get("none"):
        assert report.events == [], [(e.sub_event_type, e.notes) for e in report.events]
        return
    for sub in case.get("no_sub", []):
        assert not any(e.sub_event_type == sub for e in report.events), [(e.sub_event_type, e.notes) for e in report.events]
    for place in case.get("no_location", []):
        assert not any(e.location == place for e in report.events), [(e.sub_event_type, e.location) for e in report.events]
    if case.get("only"):
        assert len(report.events) == len(case["events"]), [(e.sub_event_type, e.location) for e in report.events]
    for want in case["events"]:
        found = [e for e in report.events if e.sub_event_type == want["sub"]
                 and ("location" not in want or names_place(report, case["text"], e, want["location"]))]
        assert found, (want, [(e.sub_event_type, e.location, e.side1) for e in report.events])
        event = found[0]
        if want.get("first"):
            assert min(report.events, key=lambda e: e.span[0]) is event, "not the first event by position"
        for key in ("actor1", "actor2"):
            if key in want:
                assert getattr(event, key) == want[key], (event.actor1, event.actor2)
        if "count" in want:
            assert len(found) == want["count"]
        if "type" in want:
            assert event.event_type == want["type"]
        if "side1" in want:
            assert event.side1 in want["side1"], (event.actor1, event.actor2)
        if "side2" in want:
            assert event.side2 in want["side2"], (event.actor1, event.actor2)
        if "date" in want:
            assert event.event_date == as_date(want["date"]).isoformat()
        if "precision" in want:
            assert event.time_precision == want["precision"]
        if "admin1" in want:
            assert event.admin1 == want["admin1"], (event.location, event.admin1)
        if "geo_precision" in want:
            assert event.geo_precision == want["geo_precision"]
        for key in ("fatalities", "fatalities_low", "fatalities_high", "fatalities_unknown"):
            if key in want:
                assert getattr(event, key) == want[key], (key, getattr(event, key))


@pytest.mark.parametrize("gold", GOLD.get("events", []), ids=[g["key"] for g in GOLD.get("events", [])])
def test_sample_event(sample_report, gold):
    types = gold["event_type"] if isinstance(gold["event_type"], list) else [gold["event_type"]]
    subtypes = gold["sub_event_type"] + ([TAXONOMY_OVER_GOLD[gold["key"]]] if gold["key"] in TAXONOMY_OVER_GOLD else [])
    candidates = []
    for e in sample_report.events:
        if e.event_type not in types and gold["key"] not in TAXONOMY_OVER_GOLD:
            continue
        if e.sub_event_type not in subtypes:
            continue
        if "latitude" in gold and (e.latitude is None or haversine_km(gold["latitude"], gold["longitude"], e.latitude, e.longitude) > 60):
            continue
        if "event_date" in gold and e.event_date not in gold["event_date"]:
            continue
        if e.side1 not in gold["side1"] and e.side2 not in gold["side1"]:
            continue
        candidates.append(e)
    assert candidates, [(e.sub_event_type, e.location, e.event_date, e.side1) for e in sample_report.events]


def test_sample_events_few_extra(sample_report):
    assert len(sample_report.events) <= 2 * len(GOLD.get("events", [])) + 1


def test_event_records_point_at_places_claims_and_sources(sample_report):
    places = {p.id for p in sample_report.places}
    claims = {c.id for c in sample_report.claims}
    sources = {s.id for s in sample_report.sources}
    for e in sample_report.events:
        assert e.place is None or e.place in places
        assert all(c in claims for c in e.claims)
        assert e.source is None or e.source in sources
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", e.event_date)
        assert e.time_precision in (1, 2, 3)
        assert e.notes == sample_report_text_at(sample_report, e.span)


def sample_report_text_at(report, span):
    from importlib import resources

    text = (resources.files("warledger") / "data" / "examples" / "000_a28bbd1fbba2924c.txt").read_text(encoding="utf-8")
    return text[span[0]:span[1]]


@pytest.mark.parametrize("text, denied_side, place", [
    ("Russia's Defence Ministry denied striking the hospital in Kyiv on Monday.", "RU", "Kyiv"),
    ("Police did not fire on the protesters in Nairobi, the interior minister said.", "KE", "Nairobi"),
    ("The Ukrainian army said its units had not shelled Horlivka on Sunday.", "UA", "Horlivka"),
])
def test_a_denial_is_kept_as_a_denial_not_an_event(text, denied_side, place):
    report = warledger.extract(text, published="2024-01-21")
    assert not any(e.notes == text for e in report.events)
    [denial] = report.denials
    assert denial.side1 == denied_side and denial.location == place


@pytest.mark.parametrize("text", ["If Russia attacks Kharkiv, the city will fall, an analyst said.",
                                  "Did Russian forces shell Kherson on Monday?",
                                  "Russian forces shelled Kherson on Monday, the governor said."])
def test_no_denial_in_conditions_questions_or_reports(text):
    assert warledger.extract(text, published="2024-01-21").denials == []


COMMENTARY = """The war has changed the way Europe thinks about its own security. For two years, Russian forces have
shelled Ukrainian cities and destroyed power plants, and Ukraine has struck back at depots deep inside Russia.

Analysts say the front has barely moved since the failed counteroffensive. Both armies have dug in along a line
that runs for hundreds of kilometres, and each side has learned to use cheap drones in great numbers.

In the capitals of the alliance, the debate is now about money and ammunition. Some governments argue that
shells matter more than tanks; others say that air defence must come first, because the attacks on the grid
will go on through the winter. None of them expects the fighting to end soon.

What the next year brings depends on whether the aid arrives in time. Officials in Kyiv warn that without it
the army will have to ration ammunition again, as it did last spring, and that Russia will press its advantage
wherever the line is thin. Diplomats, for their part, keep talking about talks that nobody has agreed to hold.

At home, the mood has hardened. Volunteers who once collected money for drones now run workshops that build
them, and towns far from the front hold funerals every week. Teachers, doctors and farmers have joined the
army, and their families have learned to live with the sirens and the queues for water and light.

Abroad, the war has become one issue among many. Elections, prices and other conflicts compete for attention,
and the leaders who promised to stand with Ukraine for as long as it takes are asked, more often than before,
how long that will be and what it will cost."""


def test_commentary_that_dates_nothing_recent_reports_no_events():
    """A long article with no day near its publication comments on a war; the same text that dates one act
    to the day before it was written reports that act."""
    assert len(COMMENTARY) >= 1500
    assert warledger.extract(COMMENTARY, published="2024-03-06").events == []
    dated = COMMENTARY.replace("For two years,", "On Tuesday, Russian forces shelled Kharkiv. For two years,")
    events = warledger.extract(dated, published="2024-03-06").events
    assert any(e.sub_event_type == "Shelling/artillery/missile attack" and e.location == "Kharkiv" for e in events)


def test_a_paragraph_ending_in_a_dash_source_keeps_its_sentences():
    """Only a headline (a line with no full stop) is split into its text and its closing source; a paragraph
    keeps its own sentences."""
    report = warledger.extract("Fighting went on. Two soldiers were killed in Avdiivka on Monday, the army said - Reuters",
                               published="2023-11-08")
    assert report.events and all(not e.notes.startswith("Fighting went on") for e in report.events)


def test_a_place_of_another_act_in_a_later_sentence_places_nothing():
    """'The operation was requested after soldiers were attacked in Djibo': Djibo is where that attack was,
    not where the jets struck."""
    text = ("On October 3, French fighter jets struck a convoy of presumed militants, killing 7. "
            "The operation was requested after soldiers were attacked in Djibo.")
    report = warledger.extract(text, published="2018-10-06")
    strike = next(e for e in report.events if e.sub_event_type == "Air/drone strike")
    assert strike.location is None


@pytest.mark.parametrize("text, force", [
    ("Army officers removed President Ibrahim Boubacar Keita in Bamako on 18 August 2020.", "Military Forces"),
    ("Police officers and soldiers detained 12 protesters in Bamako on 18 August 2020.", "Police Forces"),
])
def test_the_first_force_named_is_actor_one(text, force):
    """'Army officers' are soldiers, though 'officers' alone are police: the force named first leads."""
    report = warledger.extract(text, published=as_date("2020-08-20"))
    assert report.events and report.events[0].actor1.startswith(force), [(e.actor1, e.sub_event_type) for e in report.events]


@pytest.mark.parametrize("text, word, kind", [
    ("It documented 500 cases of arbitrary detention by Russia, many of which also amounted to enforced disappearances.",
     "disappearances", None),
    ("The UN said the shelling of Kherson constituted indiscriminate attacks on civilians.", "attacks", None),
    ("Militiamen carried out the enforced disappearances of six activists in Kherson on Monday.", "disappearances",
     "abduction"),
])
def test_acts_classed_under_a_name_are_not_acts_again(text, word, kind):
    """'amounted to enforced disappearances': what acts told are called, not another act (`classing_verbs`)."""
    from warledger.model import Article
    from warledger.pipeline import processed_doc
    from warledger.stages.events import EventFinder

    doc = processed_doc(Article(text=text, id="t"))
    token = next(t for t in doc if t.text == word)
    assert EventFinder._class(token) == kind


@pytest.mark.parametrize("country, year, expected", [
    ("UA", 2013, False), ("UA", 2022, True), ("AZ", 2020, True), ("AZ", 2025, False), ("US", 2020, False)])
def test_a_war_goes_on_where_and_when_the_conflict_list_says(country, year, expected):
    from warledger.stages.event_types import at_war
    assert at_war(country, date(year, 6, 1)) is expected


def test_undated_a_war_goes_on_only_where_it_has_not_ended():
    from warledger.stages.event_types import at_war
    assert at_war("SY", None) and not at_war("AZ", None) and not at_war(None, None)
