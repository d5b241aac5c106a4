"""Linking across articles, judged on a corpus of disputed incidents (tests/fixtures/ledger/disputes.jsonl).

Five incidents, each told by three sources that disagree on the toll, the target or the perpetrator,
and five events near them in time and place that are other incidents. Linking must neither merge nor
split them, and flag every true contradiction and no false one.
"""
from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from warledger.cli import app
from warledger.store import linking

FIXTURES = Path(__file__).parent / "fixtures" / "ledger"
runner = CliRunner()

# the incident each article tells of (articles of the same label are one incident)
INCIDENTS = {
    "ua-kharkiv-store": "kharkiv", "ru-kharkiv-store": "kharkiv", "wire-kharkiv-store": "kharkiv",
    "ru-donetsk-market": "donetsk", "ua-donetsk-market": "donetsk", "un-donetsk-market": "donetsk",
    "ua-odesa-port": "odesa", "ru-odesa-port": "odesa", "wire-odesa-port": "odesa",
    "ru-belgorod": "belgorod", "ru-mod-belgorod": "belgorod", "wire-belgorod": "belgorod",
    "sd-wad-alnoura": "wad-alnoura", "rsf-wad-alnoura": "wad-alnoura", "un-wad-alnoura": "wad-alnoura",
    "ua-kharkiv-later": "kharkiv-monday", "ua-odesa-later": "odesa-sunday", "ru-horlivka": "horlivka",
    "ru-belgorod-later": "razumnoye", "sd-wad-madani": "wad-madani",
}
# the contradictions a careful reader finds between the sources of each incident, by kind
CONTRADICTIONS = {
    "kharkiv": {"figure", "target"},  # 12 civilians vs at least 16 people; a store vs a command post
    "donetsk": {"perpetrator", "occurrence"},  # each side says the other fired (Ukraine: "had not fired");
                                               # 27 and at least 25 agree
    "odesa": {"figure", "target"},  # 21 vs 20; residents vs a naval drone workshop
    "belgorod": {"figure"},  # 24 vs at least 25
    "wad-alnoura": {"target"},  # villagers vs army positions; 35 children is part of 100 people, no contradiction
}


def _json(*args):
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def disputes_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("disputes") / "disputes.duckdb"
    result = runner.invoke(app, ["ingest", str(FIXTURES / "disputes.jsonl"), "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture(scope="module")
def incident_of_article(disputes_db):
    """Each article's incident in the ledger (that of its first event), by the article's JSONL id."""
    ids = {json.loads(line)["url"]: json.loads(line)["id"]
           for line in (FIXTURES / "disputes.jsonl").read_text(encoding="utf-8").splitlines()}
    found = {}
    for event in sorted(_json("events", "--db", disputes_db, "--format", "json"), key=lambda e: e["event_id"]):
        found.setdefault(ids[event["url"]], event["incident_id"])
    return found


def test_linking_neither_merges_nor_splits(incident_of_article):
    pairs = list(itertools.combinations(sorted(INCIDENTS), 2))
    truth = {(a, b) for a, b in pairs if INCIDENTS[a] == INCIDENTS[b]}
    linked = {(a, b) for a, b in pairs if incident_of_article.get(a) is not None
              and incident_of_article.get(a) == incident_of_article.get(b)}
    assert set(incident_of_article) == set(INCIDENTS)  # every article gave an event
    precision = len(truth & linked) / max(1, len(linked))
    recall = len(truth & linked) / len(truth)
    assert (precision, recall) == (1.0, 1.0), (sorted(linked - truth), sorted(truth - linked))


def test_every_true_contradiction_flagged_and_no_false_one(disputes_db, incident_of_article):
    for label in set(INCIDENTS.values()):
        [article, *_] = [a for a, name in INCIDENTS.items() if name == label]
        record = _json("incident", incident_of_article[article], "--db", disputes_db, "--format", "json")
        kinds = {c["kind"] for c in record["contradictions"]}
        assert kinds == CONTRADICTIONS.get(label, set()), (label, record["contradictions"])


def test_an_incident_shows_every_report_side_by_side(disputes_db, incident_of_article):
    record = _json("incident", incident_of_article["ua-kharkiv-store"], "--db", disputes_db, "--format", "json")
    reports = {r["url"]: r for r in record["reports_side_by_side"]}
    assert len(reports) == 3
    mod = reports["https://tass.example/kharkiv-command-post"]
    assert mod["source"] == "Russian Ministry of Defence" and mod["source_side"] == "RU"
    assert "command post" in mod["sentence"]
    governor = reports["https://www.ukrinform.example/kharkiv-store"]
    assert governor["fatalities"] == 12 and governor["actor2"].startswith("Civilians")
    figure = next(c for c in record["contradictions"] if c["kind"] == "figure")
    assert figure["says"] == ["12", "16+"]


def test_article_and_source_records(disputes_db, incident_of_article):
    events = _json("events", "--db", disputes_db, "--source", "Ministry of Defence", "--format", "json")
    article = _json("article", events[0]["article_id"], "--db", disputes_db, "--format", "json", "--text")
    assert article["url"] and article["text"] and article["events"][0]["incident_id"] is not None
    source = _json("source", "russian ministry of defence", "--db", disputes_db, "--format", "json")
    assert source["name"] == "Russian Ministry of Defence" and source["side"] == "RU"
    assert {e["article_id"] for e in source["events"]} == set(source["articles"])
    missing = runner.invoke(app, ["incident", "999", "--db", str(disputes_db)])
    assert missing.exit_code == 2 and "no incident 999" in missing.output


@pytest.mark.parametrize("a, b, same", [("people", "civilians", True), ("civilians", "children", False),
                                        ("Ukrainian servicemen", "soldiers", True), (None, "residents", True)])
def test_tolls_compare_within_one_class_of_victims(a, b, same):
    assert (linking.toll_subject(a) == linking.toll_subject(b)) is same


def test_a_denial_answers_the_report_it_denies(disputes_db, incident_of_article):
    record = _json("incident", incident_of_article["ru-donetsk-market"], "--db", disputes_db, "--format", "json")
    [denial] = record["denials"]
    assert denial["denies"].startswith("Military Forces of Ukraine") and "had not fired" in denial["sentence"]
    occurrence = next(c for c in record["contradictions"] if c["kind"] == "occurrence")
    assert occurrence["between"] == ["tass.example", denial["source"]]
    # a denial is not an event: the ledger's events are the reports
    assert all("had not fired" not in e["notes"] for e in _json("events", "--db", disputes_db, "--format", "json"))


def test_a_figure_counts_one_class_of_victims():
    from datetime import date as day

    def claim(article, subject):
        return linking.ClaimRecord(article, "C1", "killed", None, "people", day(2024, 6, 5), day(2024, 6, 5),
                                   "Wad Al-Noura", 14.7, 33.2, None, day(2024, 6, 6), linking.toll_subject(subject))

    figures: list = []
    ids = iter(range(1, 10))
    people = linking.attach_claim(claim(1, "civilians"), figures, lambda: next(ids))
    assert linking.attach_claim(claim(2, "people"), figures, lambda: next(ids)) is people
    children = linking.attach_claim(claim(3, "children"), figures, lambda: next(ids))
    assert children is not people and len(figures) == 2
