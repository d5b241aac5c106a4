"""The ledger through its public interface: `warledger ingest`, the queries and the exports.

Fixtures are short wire reports, officials' statements and reprints in
tests/fixtures/ledger; the store is a real DuckDB file in a temporary folder.
"""
from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from warledger.cli import app
from warledger.model import Article
from warledger.store import Ledger
from warledger.store.schema import LATEST, SchemaError, current_version, migrate

FIXTURES = Path(__file__).parent / "fixtures" / "ledger"
runner = CliRunner()


def run(*args):
    result = runner.invoke(app, [str(a) for a in args])
    return result


def query(db, command, *args):
    result = run(command, "--db", db, "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def enerhodar_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("ledger") / "war.duckdb"
    result = run("ingest", FIXTURES / "enerhodar.jsonl", FIXTURES / "unrelated.jsonl", "--db", db)
    assert result.exit_code == 0, result.output
    return db


def _incidents_on(db, day, near="Enerhodar"):
    return [i for i in query(db, "incidents", "--near", near, "--km", "15") if i["date_start"] == day]


def test_one_strike_told_by_four_sources_is_one_incident(enerhodar_db):
    [incident] = _incidents_on(enerhodar_db, "2024-04-07")
    assert incident["sub_event_type"] == "Shelling/artillery/missile attack"
    assert incident["location"] == "Enerhodar"
    # Ukrainian mayor, Russia's MoD, the Reuters story with three reprints (one an exact copy), the IAEA
    assert incident["reports"] == 7
    assert incident["independent_sources"] == 4
    assert {"UA", "RU", "INTL"} <= set(incident["sides"])
    assert incident["first_report"]["published"] == "2024-04-07"
    assert {"reuters.example", "dailynews.example", "herald.example", "morningpost.example"} <= set(
        incident["outlets"])


def test_each_sources_toll_side_by_side_and_contradictions_flagged(enerhodar_db):
    [incident] = _incidents_on(enerhodar_db, "2024-04-07")
    tolls = {f["source"]: (f["fatalities"], f["fatalities_low"]) for f in incident["figures"] if f["fatalities"]}
    assert tolls["Dmytro Orlov"] == (2, None)
    assert tolls["Russian Ministry of Defence"] == (6, None)
    assert tolls["Rafael Grossi"] == (1, None)
    assert (4, 4) in tolls.values()  # "at least four", the wire story's, counted once for its reprints
    pairs = {frozenset(c["between"]) for c in incident["contradictions"] if c["kind"] == "figure"}
    assert frozenset({"Dmytro Orlov", "Russian Ministry of Defence"}) in pairs
    assert frozenset({"Russian Ministry of Defence", "Rafael Grossi"}) in pairs
    assert frozenset({"Dmytro Orlov", "officials"}) in pairs  # 2 killed is not "at least four"
    assert incident["perpetrator_disputed"]  # each side says the other fired


def test_unrelated_events_stay_apart(enerhodar_db):
    # the same town two days later, and the same day 150 km away, are other incidents
    assert len(_incidents_on(enerhodar_db, "2024-04-09")) == 1
    [kherson] = _incidents_on(enerhodar_db, "2024-04-07", near="Kherson")
    assert kherson["reports"] == 1 and kherson["location"] == "Kherson"
    assert len(query(enerhodar_db, "incidents")) == 3


def test_reprints_form_one_syndication_group_and_exact_copies_are_duplicates(enerhodar_db):
    con = duckdb.connect(str(enerhodar_db), read_only=True)
    try:
        rows = dict(con.execute("SELECT a.doc_id, s.syndication_group FROM articles a JOIN signatures s "
                                "USING (article_id)").fetchall())
        duplicates = con.execute("SELECT a.doc_id, o.doc_id FROM articles a JOIN articles o "
                                 "ON a.duplicate_of = o.article_id").fetchall()
        extracted = con.execute("SELECT count(*) FROM articles WHERE report IS NOT NULL").fetchone()[0]
    finally:
        con.close()
    wire = {rows[k] for k in ("reuters-enerhodar", "reprint-1", "reprint-2", "reprint-3")}
    assert len(wire) == 1
    assert len({rows[k] for k in ("ukrinform-enerhodar", "tass-enerhodar", "iaea-update-220")} | wire) == 4
    assert duplicates == [("reprint-3", "reuters-enerhodar")]
    assert extracted == 8  # nine articles, one exact copy not extracted again


def test_figures_across_sources_flag_contradictions(tmp_path):
    db = tmp_path / "bakhmut.duckdb"
    assert run("ingest", FIXTURES / "bakhmut.jsonl", "--db", db).exit_code == 0
    [figure] = query(db, "figures", "--contested")
    assert figure["category"] == "killed" and figure["side"] == "RU" and figure["place"] == "Bakhmut"
    by_source = {c["source"]: c["best"] for c in figure["claims"]}
    assert by_source == {"General Staff of the Armed Forces of Ukraine": 500.0, "Russian Ministry of Defence": 50.0}
    assert figure["contradictions"] == [
        {"kind": "figure", "between": ["General Staff of the Armed Forces of Ukraine", "Russian Ministry of Defence"]}]


def test_a_months_toll_is_not_one_days_strike(tmp_path):
    feed = tmp_path / "kharkiv.jsonl"
    feed.write_text("\n".join(json.dumps(r) for r in [
        {"id": "day", "published": "2024-05-06",
         "text": "Russian forces shelled Kharkiv on May 5, killing two civilians, the governor said."},
        {"id": "month", "published": "2024-06-03",
         "text": "Russian forces shelled Kharkiv in May, killing 30 civilians, the governor said."},
        {"id": "again", "published": "2024-05-06", "url": "https://other.example/k",
         "text": "Two civilians were killed when Russian forces shelled Kharkiv on Sunday, officials said."},
    ]) + "\n", encoding="utf-8")
    db = tmp_path / "month.duckdb"
    assert run("ingest", feed, "--db", db).exit_code == 0
    incidents = query(db, "incidents")
    assert sorted((i["time_precision"], i["reports"]) for i in incidents) == [(1, 2), (3, 1)]


def _table_counts(db) -> dict:
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = ["articles", "sources", "places", "quotes", "claims", "assessments", "events", "signatures",
                  "bands", "incidents", "mentions", "figures", "figure_claims"]
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    finally:
        con.close()


def test_ingesting_twice_adds_nothing(tmp_path):
    db = tmp_path / "twice.duckdb"
    first = run("ingest", FIXTURES / "enerhodar.jsonl", "--db", db)
    before = _table_counts(db)
    second = run("ingest", FIXTURES / "enerhodar.jsonl", "--db", db)
    assert second.exit_code == 0
    assert _table_counts(db) == before
    assert "7 known" in second.stderr and "1 duplicate" in first.stderr


def test_a_changed_article_replaces_its_records(tmp_path):
    db = tmp_path / "update.duckdb"
    page = tmp_path / "update.jsonl"
    record = {"id": "k1", "url": "https://example.org/kherson", "published": "2024-04-07",
              "text": "Russian forces shelled Kherson on Sunday, killing three civilians, the governor said."}
    page.write_text(json.dumps(record) + "\n", encoding="utf-8")
    run("ingest", page, "--db", db)
    record["text"] = record["text"].replace("three", "four")
    page.write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = run("ingest", page, "--db", db)
    assert "1 updated" in result.stderr
    events = query(db, "events")
    assert [e["fatalities"] for e in events] == [4]
    assert len(query(db, "incidents")) == 1


def _write_articles(folder: Path, count: int) -> None:
    towns = ["Kherson", "Kharkiv", "Odesa", "Zaporizhzhia", "Dnipro", "Sumy", "Mykolaiv", "Kramatorsk"]
    with (folder / "many.jsonl").open("w", encoding="utf-8") as handle:
        for n in range(count):
            town = towns[n % len(towns)]
            day = 1 + n % 27
            handle.write(json.dumps({"id": f"a{n}", "published": f"2024-05-{day + 1:02d}",
                                     "text": f"Russian forces shelled {town} on May {day}, killing {n % 5 + 1} "
                                             f"civilians and wounding {n % 7 + 2}, the regional governor said. "
                                             f"Report number {n}."}) + "\n")


def _cli(*args) -> list[str]:
    return [sys.executable, "-c", "from warledger.cli import app; app()", *map(str, args)]


def _contents(db) -> dict:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            "articles": sorted(con.execute("SELECT identity, text_sha256 FROM articles").fetchall()),
            "events": sorted(con.execute("SELECT a.identity, e.event_id, e.location, e.fatalities FROM events e "
                                         "JOIN articles a USING (article_id)").fetchall()),
            "claims": con.execute("SELECT count(*) FROM claims").fetchone()[0],
            "mentions": con.execute("SELECT count(*), count(DISTINCT (article_id, event_id)) FROM mentions").fetchone(),
            "incidents": con.execute("SELECT count(*) FROM incidents").fetchone()[0],
        }
    finally:
        con.close()


def test_killed_run_resumes_with_nothing_lost_or_doubled(tmp_path):
    _write_articles(tmp_path, 300)
    killed_db, clean_db = tmp_path / "killed.duckdb", tmp_path / "clean.duckdb"
    process = subprocess.Popen(_cli("ingest", tmp_path / "many.jsonl", "--db", killed_db, "--batch-size", "4"),
                               stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        line = process.stderr.readline()  # the first line comes after the first committed batch
        assert "ingesting" in line, line
        time.sleep(0.1)  # into a later batch's transaction, most likely
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    partial = _contents(killed_db)["articles"]
    assert 0 < len(partial) < 300, "the kill came too late to test resuming"
    resumed = subprocess.run(_cli("ingest", tmp_path / "many.jsonl", "--db", killed_db, "--batch-size", "4"),
                             capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{len(partial)} known" in resumed.stderr
    subprocess.run(_cli("ingest", tmp_path / "many.jsonl", "--db", clean_db), capture_output=True, check=True)
    after, clean = _contents(killed_db), _contents(clean_db)
    assert len(after["articles"]) == 300
    assert after == clean
    assert after["mentions"][0] == after["mentions"][1]  # each event in one incident, once


def test_an_older_ledger_is_migrated_and_keeps_its_articles(tmp_path):
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    migrate(con, target=1)
    con.execute("INSERT INTO articles (article_id, identity, doc_id, published, text, text_sha256, n_chars, "
                "ingested_at) VALUES (1, 'id:old', 'old', DATE '2024-04-07', "
                "'Russian forces shelled Kherson on Sunday, killing three civilians.', 'x', 66, now())")
    assert current_version(con) == 1
    con.close()
    with Ledger(db) as ledger:
        assert current_version(ledger.con) == LATEST
        assert ledger.con.execute("SELECT doc_id FROM articles").fetchall() == [("old",)]
    result = run("reprocess", "--db", db)
    assert result.exit_code == 0, result.output
    [incident] = query(db, "incidents")
    assert incident["location"] == "Kherson" and incident["reports"] == 1


def test_a_ledger_from_a_newer_warledger_is_refused(tmp_path):
    db = tmp_path / "new.duckdb"
    with Ledger(db) as ledger:
        ledger.con.execute("INSERT INTO schema_migrations VALUES (999, 'future', now())")
    with pytest.raises(SchemaError):
        Ledger(db)
    result = run("events", "--db", db)
    assert result.exit_code == 2 and "newer than this warledger" in result.stderr


def test_feeds_folders_and_bad_inputs(tmp_path):
    feeds = tmp_path / "in" / "feeds"
    feeds.mkdir(parents=True)
    (feeds / "wire.rss").write_text("""<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
<item><title>Drone strike on Sumy</title><link>https://wire.example/sumy</link>
<pubDate>Tue, 14 May 2024 09:00:00 GMT</pubDate>
<description>&lt;p&gt;A Russian drone strike on Sumy on Tuesday killed two people, the regional governor said.&lt;/p&gt;</description></item>
<item><title>Empty</title><link>https://wire.example/empty</link></item>
</channel></rss>""", encoding="utf-8")
    (tmp_path / "in" / "broken.jsonl").write_text('{"id": 1, "text": "ok text about Kherson."}\n{oops\n',
                                                  encoding="utf-8")
    db = tmp_path / "feeds.duckdb"
    result = run("ingest", tmp_path / "in", "--db", db)
    assert result.exit_code == 1
    assert "broken.jsonl:2" in result.stderr and "wire.rss#2" in result.stderr
    [event] = query(db, "events", "--type", "Air/drone strike")
    assert event["location"] == "Sumy" and event["url"] == "https://wire.example/sumy"
    assert event["event_date"] == "2024-05-14"


def test_query_filters(enerhodar_db):
    assert {e["location"] for e in query(enerhodar_db, "events", "--near", "Kherson", "--km", "30")} == {"Kherson"}
    assert {e["event_date"] for e in query(enerhodar_db, "events", "--since", "2024-04-08")} == {"2024-04-09"}
    assert query(enerhodar_db, "events", "--until", "2024-04-05") == []
    assert {e["source"] for e in query(enerhodar_db, "events", "--source", "defence")} == {
        "Russian Ministry of Defence"}
    assert all("RU" in (e["side1"], e["side2"]) for e in query(enerhodar_db, "events", "--side", "ru"))
    assert {e["location"] for e in query(enerhodar_db, "events", "--text", "bus stop")} <= {"Enerhodar"}
    sources = {s["name"]: s for s in query(enerhodar_db, "sources")}
    assert sources["Dmytro Orlov"]["kind"] == "local_official" and sources["Dmytro Orlov"]["side"] == "UA"
    assert sources["Dmytro Orlov"]["articles"] == 2
    claims = query(enerhodar_db, "claims", "--type", "civilians_killed")
    assert claims and all(c["category"] == "civilians_killed" for c in claims)
    table = run("incidents", "--db", enerhodar_db)
    assert table.exit_code == 0 and "Enerhodar" in table.stdout
    rows = list(csv.DictReader(io.StringIO(run("events", "--db", enerhodar_db, "--format", "csv").stdout)))
    assert len(rows) == len(query(enerhodar_db, "events"))
    bad = run("events", "--db", enerhodar_db, "--near", "Nowhereville")
    assert bad.exit_code != 0 and "not a place" in bad.output
    said = run("events", "--db", enerhodar_db, "--near", "Atlantis")  # a town in South Africa: say which
    assert said.exit_code == 0 and "near Atlantis, Western Cape, ZA" in said.stderr


def test_missing_ledger_is_a_clear_error(tmp_path):
    result = run("incidents", "--db", tmp_path / "none.duckdb")
    assert result.exit_code == 2 and "no ledger here" in result.stderr


def test_exports(enerhodar_db, tmp_path):
    from warledger.io.exporters import ACLED_COLUMNS

    events = query(enerhodar_db, "events")
    acled = tmp_path / "events.csv"
    assert run("export", acled, "--format", "acled-csv", "--db", enerhodar_db).exit_code == 0
    rows = list(csv.DictReader(acled.open(encoding="utf-8")))
    assert list(rows[0])[:len(ACLED_COLUMNS)] == ACLED_COLUMNS
    assert len(rows) == len(events)
    orlov = next(r for r in rows if r["source"].startswith("Dmytro Orlov"))
    assert orlov["disorder_type"] == "Political violence" and orlov["iso"] == "804"
    assert orlov["inter1"] == "1" and orlov["country"] == "Ukraine"
    assert int(orlov["timestamp"]) > 1_700_000_000 and orlov["event_date"] == "2024-04-07"

    geojson = tmp_path / "ledger.geojson"
    assert run("export", geojson, "--format", "geojson", "--db", enerhodar_db).exit_code == 0
    features = json.loads(geojson.read_text(encoding="utf-8"))["features"]
    kinds = [f["properties"]["record"] for f in features]
    assert kinds.count("incident") == 3 and kinds.count("event") == len(events)
    lon, lat = next(f for f in features if f["properties"].get("location") == "Enerhodar")["geometry"]["coordinates"]
    assert 47.4 < lat < 47.6 and 34.5 < lon < 34.8

    parquet = tmp_path / "incidents.parquet"
    assert run("export", parquet, "--format", "parquet", "--table", "incidents", "--db", enerhodar_db).exit_code == 0
    assert duckdb.connect().execute(f"SELECT count(*) FROM '{parquet}'").fetchone()[0] == 3
    parquet = tmp_path / "events.parquet"
    assert run("export", parquet, "--format", "parquet", "--db", enerhodar_db).exit_code == 0
    assert duckdb.connect().execute(f"SELECT count(*) FROM '{parquet}'").fetchone()[0] == len(events)

    reports = tmp_path / "reports.jsonl"
    assert run("export", reports, "--format", "jsonl", "--db", enerhodar_db).exit_code == 0
    lines = [json.loads(line) for line in reports.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 8 and all(r["schema"] == "warledger/1" for r in lines)


def _ids(db) -> dict:
    """Every citable id in the ledger, by what it names."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            "events": sorted(con.execute("SELECT article_id, event_id FROM events").fetchall()),
            "sources": sorted(con.execute("SELECT article_id, source_id, name FROM sources").fetchall()),
            "incidents": sorted(con.execute("SELECT article_id, event_id, incident_id FROM mentions").fetchall()),
            "figures": sorted(con.execute("SELECT article_id, claim_id, figure_id FROM figure_claims").fetchall()),
        }
    finally:
        con.close()


def test_reprocessing_keeps_every_id(tmp_path):
    """An incident or figure id cited once stays valid: `reprocess` with the same code renumbers nothing
    (it renumbered 97 of 156 linked events' incidents), in batches smaller than the ledger too."""
    db = tmp_path / "ids.duckdb"
    _write_articles(tmp_path, 40)
    assert run("ingest", FIXTURES / "enerhodar.jsonl", FIXTURES / "unrelated.jsonl", tmp_path / "many.jsonl",
               "--db", db).exit_code == 0
    ingested = _ids(db)
    assert ingested["incidents"] and ingested["figures"]
    for _ in range(2):
        assert run("reprocess", "--db", db, "--batch-size", "7").exit_code == 0
        assert _ids(db) == ingested


def test_contested_means_the_same_on_every_query_and_limits_after_the_filter(enerhodar_db):
    """--contested returned nothing on events, claims and sources (it tested keys those rows lack), and on
    incidents the limit came first (--contested --limit 10 gave 0 of 12)."""
    contested = query(enerhodar_db, "incidents", "--contested")
    assert contested and all(i["contradictions"] or i["perpetrator_disputed"] for i in contested)
    assert len(query(enerhodar_db, "incidents", "--contested", "--limit", "1")) == 1
    ids = {i["incident_id"] for i in contested}
    events = query(enerhodar_db, "events", "--contested")
    assert events and {e["incident_id"] for e in events} <= ids
    assert len(events) < len(query(enerhodar_db, "events"))
    parties = {name for i in contested for c in i["contradictions"] for name in c["between"]}
    sources = query(enerhodar_db, "sources", "--contested")
    assert sources and {s["name"] for s in sources} <= parties
    figures = query(enerhodar_db, "figures", "--contested")
    claims = query(enerhodar_db, "claims", "--contested")
    assert {c["figure_id"] for c in claims} == {f["figure_id"] for f in figures}


@pytest.mark.parametrize("command, option, value, says", [
    ("events", "--type", "Shelling", "Shelling/artillery/missile attack"),
    ("incidents", "--type", "bombing", "Air/drone strike"),
    ("claims", "--type", "deaths", "civilians_killed"),
    ("events", "--side", "Ukraine", "UA"),
])
def test_an_unknown_filter_value_is_an_error_listing_the_valid_ones(enerhodar_db, command, option, value, says):
    result = run(command, "--db", enerhodar_db, option, value)
    assert result.exit_code == 2 and says in result.output


def test_valid_filter_values_in_any_case(enerhodar_db):
    assert query(enerhodar_db, "events", "--type", "shelling/artillery/missile attack")
    assert query(enerhodar_db, "events", "--side", "ua")
    assert query(enerhodar_db, "events", "--side", "FR") == []  # a country with no records: empty, not an error


def test_export_to_stdout_and_clear_errors_for_paths_it_cannot_write(enerhodar_db, tmp_path):
    """`export -` wrote a file named '-'; a missing folder printed a traceback."""
    events = query(enerhodar_db, "events")
    piped = run("export", "-", "--format", "acled-csv", "--db", enerhodar_db)
    assert piped.exit_code == 0 and not Path("-").exists()
    assert len(list(csv.DictReader(io.StringIO(piped.stdout)))) == len(events)
    lines = run("export", "-", "--format", "jsonl", "--db", enerhodar_db).stdout.splitlines()
    assert lines and all(json.loads(line)["schema"] for line in lines)
    for fmt in ("acled-csv", "geojson", "parquet", "jsonl"):
        missing = run("export", tmp_path / "no" / "such" / "folder" / "out", "--format", fmt, "--db", enerhodar_db)
        assert missing.exit_code == 2 and "cannot write" in missing.output, (fmt, missing.output)
        assert "Traceback" not in missing.output
    folder = run("export", tmp_path, "--format", "acled-csv", "--db", enerhodar_db)
    assert folder.exit_code == 2 and "cannot write" in folder.output


def test_an_empty_csv_has_the_header_of_a_full_one(enerhodar_db):
    for command in ("events", "incidents", "claims", "figures", "sources"):
        full = run(command, "--db", enerhodar_db, "--format", "csv").stdout.splitlines()[0]
        empty = run(command, "--db", enerhodar_db, "--format", "csv", "--until", "1990-01-01").stdout.splitlines()
        assert empty == [full], command


def test_version_and_extract_to_a_file(tmp_path):
    assert run("--version").stdout.startswith("warledger ")
    article = tmp_path / "a.txt"
    article.write_text("Russian forces shelled Kherson on Sunday, killing three civilians.", encoding="utf-8")
    out = tmp_path / "report.json"
    result = run("extract", article, "-o", out, "--published", "2024-04-08")
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["events"]


def test_undated_articles_are_counted_and_can_be_dated_later(tmp_path):
    """Undated input was stored silently; ingesting it again with --published said '1 known' and changed
    nothing; nothing could set a date afterwards."""
    db = tmp_path / "dates.duckdb"
    page = tmp_path / "kherson.txt"
    page.write_text("Russian forces shelled Kherson, killing three civilians, the regional governor said.",
                    encoding="utf-8")
    first = run("ingest", page, "--db", db)
    assert first.exit_code == 0 and "1 article(s) have no publication date" in first.stderr
    assert query(db, "incidents") == []  # an undated event cannot be linked
    second = run("ingest", page, "--db", db, "--published", "2024-04-08")
    assert "1 redated" in second.stderr and "no publication date" not in second.stderr
    [event] = query(db, "events")
    assert event["published"] == "2024-04-08" and event["date_start"] <= "2024-04-08"
    assert len(query(db, "incidents")) == 1
    assert "1 known" in run("ingest", page, "--db", db, "--published", "2024-04-08").stderr

    fixed = run("redate", str(event["article_id"]), "2024-04-10", "--db", db)
    assert fixed.exit_code == 0, fixed.output
    [event] = query(db, "events")
    assert event["published"] == "2024-04-10"
    assert run("redate", "999", "2024-04-10", "--db", db).exit_code == 2


def test_dates_from_file_names(tmp_path):
    from warledger.io.readers import date_in_name

    assert str(date_in_name("news/2024-04-08_kherson.txt")) == "2024-04-08"
    assert str(date_in_name("ap_20240408.html")) == "2024-04-08"
    assert date_in_name("report_2024_13_45.txt") is None and date_in_name("id_123456789.txt") is None
    db = tmp_path / "named.duckdb"
    page = tmp_path / "2024-04-08_kherson.txt"
    page.write_text("Russian forces shelled Kherson, killing three civilians.", encoding="utf-8")
    result = run("ingest", page, "--db", db, "--published-from-name")
    assert result.exit_code == 0 and "no publication date" not in result.stderr
    assert [e["published"] for e in query(db, "events")] == ["2024-04-08"]


def test_ctrl_c_rolls_back_the_open_batch_and_says_what_is_saved(tmp_path):
    """Ctrl-C exited 130 with no word of what was saved."""
    _write_articles(tmp_path, 300)
    db = tmp_path / "interrupted.duckdb"
    # a suite started in the background inherits an ignored SIGINT, which Python then keeps: restore it
    process = subprocess.Popen(_cli("ingest", tmp_path / "many.jsonl", "--db", db, "--batch-size", "4"),
                               stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    line = process.stderr.readline()  # after the first committed batch
    assert "ingesting" in line, line
    time.sleep(0.1)
    process.send_signal(signal.SIGINT)
    rest = process.stderr.read()
    process.wait()
    assert process.returncode == 130, rest
    said = next(part for part in rest.splitlines() if "interrupted" in part)
    saved = int(said.split("interrupted:")[1].split()[0])
    assert "run the same command again to resume" in said
    assert len(_contents(db)["articles"]) == saved  # exactly the committed batches
    resumed = subprocess.run(_cli("ingest", tmp_path / "many.jsonl", "--db", db, "--batch-size", "4"),
                             capture_output=True, text=True)
    assert resumed.returncode == 0 and f"{saved} known" in resumed.stderr


def test_the_store_takes_reports_made_elsewhere_and_imports_no_pipeline(tmp_path):
    """Extraction and storage meet only at the report: the store module does not import the pipeline,
    and a report survives the trip to and from a worker process (pickled) unchanged."""
    import pickle

    code = ("import sys, warledger.store.ledger, warledger.store.queries; "
            "print(any(m.startswith(('warledger.pipeline', 'warledger.stages', 'spacy')) for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"
    from warledger import extract

    report = extract("Russian forces shelled Kherson on Sunday, killing three civilians, the governor said.",
                     published="2024-04-07")
    assert pickle.loads(pickle.dumps(report)) == report
    db = tmp_path / "elsewhere.duckdb"
    with Ledger(db, extract=lambda articles: [report for _ in articles]) as ledger:
        [outcome] = list(ledger.ingest([Article(text="any text", id="x", published=date(2024, 4, 7))]))
    assert outcome.status == "added" and outcome.events == 1
    with Ledger(db) as ledger, pytest.raises(RuntimeError, match="without an extractor"):
        list(ledger.ingest([Article(text="other text", id="y")]))
