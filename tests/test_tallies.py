"""Official tallies as claims: the General Staff's loss lists, Russia's MoD's totals, air-force reports and
prose tallies; each figure with its item, period, asserting source and the side whose losses they are."""
from __future__ import annotations

import json
from datetime import date

import warledger
from conftest import shared_path

GS_EARLY = """The total combat losses of the enemy from 24.02 to 12.04 were approximately:
personnel ‒ about 19600 осіб,
tanks ‒ 732 од,
APV ‒ 1946 од,
artillery systems – 349 од,
MLRS ‒ 111 од,
vehicles ‒ 1406 од,
boats / cutters ‒ 7 од,
fuel tanks ‒ 76,
UAV operational-tactical level ‒ 124.
mobile SRBM system ‒ 4.
Data are being updated."""

GS_LATER = """The total combat losses of the enemy from 24.02.22 to 23.11.23 were approximately:
personnel ‒ about 318,830 (+1,040) persons were liquidated,
tanks ‒ 5,393 (+11),
armoured combat vehicles ‒ 10,092 (+18),
artillery systems – 7,625 (+15),
submarines - 1 (+0),
vehicles and fuel tanks ‒ 10,086 (+34),
special equipment ‒ 1,099 (+0)."""

RUSSIAN_MOD = ("In total, since the beginning of the special military operation, 392 aircraft, 213 helicopters, "
               "2,970 unmanned aerial vehicles, 400 anti-aircraft missile systems, 7,677 tanks and other armoured "
               "combat vehicles, 1,004 multiple rocket launchers, 3,951 field artillery guns and mortars, as well "
               "as 8,252 units of special military vehicles have been destroyed, the Russian Defence Ministry said.")


def report(text: str, published: date, author: str | None = None):
    return next(iter(warledger.extract_many([warledger.Article(text=text, id="t", published=published, author=author)])))


def by_item(rep, period: str) -> dict:
    return {c.item: c for c in rep.claims if c.period == period}


def test_a_general_staff_list_gives_each_item_as_a_running_total_of_russian_losses():
    rep = report(GS_EARLY, date(2022, 4, 12), author="General Staff of the Armed Forces of Ukraine, daily report")
    totals = by_item(rep, "cumulative")
    assert {k: c.best for k, c in totals.items()} == {
        "personnel": 19600, "tanks": 732, "armoured_vehicles": 1946, "artillery": 349, "mlrs": 111, "vehicles": 1406,
        "ships_boats": 7, "fuel_tanks": 76, "uavs": 124, "srbm_systems": 4}
    tanks = totals["tanks"]
    assert (tanks.category, tanks.side, tanks.qualifier) == ("equipment_destroyed", "RU", "approx")
    assert (tanks.date_start, tanks.date_end) == ("2022-02-24", "2022-04-12")
    source = {s.id: s for s in rep.sources}[tanks.source]
    assert (source.name, source.side) == ("General Staff of the Armed Forces of Ukraine", "UA")
    assert totals["personnel"].category == "casualties" and not by_item(rep, "daily")


def test_the_later_format_with_thousands_separators_gives_the_past_days_change_too():
    rep = report(GS_LATER, date(2023, 11, 23), author="General Staff of the Armed Forces of Ukraine")
    totals, daily = by_item(rep, "cumulative"), by_item(rep, "daily")
    assert totals["personnel"].best == 318830 and daily["personnel"].best == 1040
    assert totals["armoured_vehicles"].best == 10092 and daily["armoured_vehicles"].best == 18
    assert totals["vehicles_and_fuel_tanks"].best == 10086 and daily["submarines"].best == 0
    assert (daily["tanks"].date_start, daily["tanks"].date_end, daily["tanks"].qualifier) == ("2023-11-23", "2023-11-23", "exact")
    assert (totals["tanks"].date_start, totals["tanks"].date_end) == ("2022-02-24", "2023-11-23")
    assert {c.side for c in rep.claims} == {"RU"}


def test_a_general_staff_post_copied_without_its_page_is_known_by_its_opening_formula():
    rep = report(GS_LATER, date(2023, 11, 23))
    tanks = by_item(rep, "cumulative")["tanks"]
    assert tanks.best == 5393 and {c.side for c in rep.claims} == {"RU"}
    assert {s.id: s for s in rep.sources}[tanks.source].name == "General Staff of the Armed Forces of Ukraine"


def test_a_list_with_no_speaker_and_no_known_formula_says_so_rather_than_guess():
    rep = report("Enemy losses to date:\ntanks ‒ 5,393,\nartillery systems ‒ 7,625,\nMLRS ‒ 886.", date(2023, 11, 23))
    assert by_item(rep, "cumulative")["mlrs"].best == 886
    assert {c.side for c in rep.claims} == {None} and {c.source for c in rep.claims} == {None}


def test_russias_mod_totals_in_prose_are_ukraines_losses_in_its_own_words():
    rep = report(RUSSIAN_MOD, date(2023, 11, 23))
    totals = by_item(rep, "cumulative")
    assert {k: c.best for k, c in totals.items()} == {
        "aircraft": 392, "helicopters": 213, "uavs": 2970, "air_defence": 400, "tanks_and_armoured_vehicles": 7677,
        "mlrs": 1004, "artillery": 3951, "special_equipment": 8252}
    assert {c.side for c in totals.values()} == {"UA"}
    assert totals["aircraft"].date_start == "2022-02-24"  # "since the beginning of the special military operation"
    source = {s.id: s for s in rep.sources}[totals["mlrs"].source]
    assert source.name == "Russian Ministry of Defence"


def test_a_prose_tally_gives_the_total_and_the_days_part_of_it():
    rep = report("Russia has lost 1,285 tanks since February 24, seven of them in the past day, Ukraine's "
                 "General Staff said on Sunday.", date(2022, 5, 22))
    tanks = {c.period: c for c in rep.claims if c.item == "tanks"}
    assert tanks["cumulative"].best == 1285 and tanks["cumulative"].date_start == "2022-02-24"
    assert tanks["daily"].best == 7 and tanks["daily"].side == "RU"


def test_an_air_force_report_counts_the_whole_as_launched_and_the_part_as_shot_down():
    rep = report("Ukraine's Air Force said air defence shot down 14 of the 19 drones overnight.", date(2024, 5, 14))
    counts = {c.best: c.category for c in rep.claims}
    assert counts == {14: "drones_shot_down", 19: "drones_launched"}


def test_a_short_dash_list_that_is_not_a_tally_gives_no_tally():
    rep = report("Scores: Dynamo Kyiv - 2, Shakhtar - 1. Tickets - 300 hryvnias.", date(2024, 5, 14))
    assert not [c for c in rep.claims if c.item]


def test_every_figure_of_the_general_staffs_dev_posts_is_found():
    """The eval set: every category total and every daily change the text gives, as a claim with that number
    and the right item, by the General Staff, about Russia, over the right period."""
    from warledger.evaluation import gs_articles, gs_scores

    lines = shared_path("eval", "gs_losses_dev.jsonl").read_text(encoding="utf-8").splitlines()
    items = [json.loads(line) for line in lines if line.strip()]
    figures = gs_scores(items, list(warledger.extract_many(gs_articles(items))))
    assert figures["n_figures"] >= 300
    assert figures["found"] >= 0.98 and figures["source_and_side_right"] == 1.0 and figures["period_right"] == 1.0


# ------------------------------------------------------------------ in the ledger: series and consistency
def _ingest_dev_posts(tmp_path, extra: list[dict] = ()):
    from typer.testing import CliRunner

    from warledger.cli import app

    items = [json.loads(line) for line in shared_path("eval", "gs_losses_dev.jsonl").read_text(
        encoding="utf-8").splitlines() if line.strip()]
    posts = tmp_path / "posts.jsonl"
    posts.write_text("".join(json.dumps({k: i[k] for k in ("id", "published", "text", "source")}) + "\n"
                             for i in [*items, *extra]), encoding="utf-8")
    db = tmp_path / "gs.duckdb"
    result = CliRunner().invoke(app, ["ingest", str(posts), "--db", str(db), "--workers", "1"])
    assert result.exit_code == 0, result.output
    return items, db


def _series_csv(db, *options) -> dict[str, dict[str, str]]:
    import csv
    import io

    from typer.testing import CliRunner

    from warledger.cli import app

    result = CliRunner().invoke(app, ["series", "--db", str(db), "--source", "General Staff", "-f", "csv", *options])
    assert result.exit_code == 0, result.output
    return {row["date"]: row for row in csv.DictReader(io.StringIO(result.stdout))}


def test_series_of_the_dev_posts_reproduces_the_datasets_numbers_for_every_category_and_day(tmp_path):
    from warledger.evaluation import GS_ITEMS

    items, db = _ingest_dev_posts(tmp_path)
    totals, changes = _series_csv(db), _series_csv(db, "--change")
    checked = 0
    for item in items:
        for column, gold in item["gold"].items():
            if not isinstance(gold, dict):
                continue
            assert totals[item["published"]][GS_ITEMS[column]] == str(gold["total"]), (item["id"], column)
            checked += 1
            if gold["day_in_text"]:
                assert changes[item["published"]][GS_ITEMS[column]] == str(gold["day"]), (item["id"], column)
                checked += 1
    assert checked >= 300 and not any(row["inconsistencies"] for row in totals.values())


def test_a_post_that_contradicts_the_one_before_is_flagged_in_series_and_figures(tmp_path):
    from typer.testing import CliRunner

    from warledger.cli import app

    bad = {"id": "gs-bad", "published": "2022-05-12", "source": "General Staff of the Armed Forces of Ukraine",
           "text": "The total combat losses of the enemy from 24.02 to 12.05 were approximately:\n"
                   "personnel ‒ about 26500 (+150) persons were liquidated,\ntanks ‒ 1180 (+3),\n"
                   "APV ‒ 2900 (+5),\nartillery systems – 530 (+2)."}
    _, db = _ingest_dev_posts(tmp_path, [bad])
    day = _series_csv(db)["2022-05-12"]
    assert "falls from 1187 (2022-05-11) to 1180" in day["inconsistencies"]  # tanks: 1187 the day before
    assert "change is 5, but the totals for 2022-05-12 and the day before differ by 44" in day["inconsistencies"]
    assert "personnel" not in day["inconsistencies"] and day["personnel"] == "26500"  # 26350 + 150: consistent
    figures = json.loads(CliRunner().invoke(app, ["figures", "--db", str(db), "--source", "General Staff",
                                                  "-f", "json"]).stdout)
    flagged = [f for f in figures if f["inconsistencies"]]
    # the tanks' total and their change (+3 against totals 7 lower), and the APV's change
    assert sorted((f["subject_class"], f["period"]) for f in flagged) == [
        ("armoured_vehicles", "daily"), ("tanks", "cumulative"), ("tanks", "daily")]
    assert {f["date_end"] for f in flagged} == {"2022-05-12"}
    from fastapi.testclient import TestClient

    from warledger.api import create_app

    rows = TestClient(create_app(db)).get("/api/v1/series", params={"category": "tanks"}).json()["rows"]
    assert [r["inconsistency"] is not None for r in rows if r["date"] == "2022-05-12"] == [True, True]
    assert sum(r["inconsistency"] is not None for r in rows) == 2


def test_an_air_force_night_report_separates_what_was_launched_from_what_was_shot_down():
    rep = report("On the night of 14 May, the enemy attacked with 87 air attack means: 75 Shahed-type attack UAVs "
                 "and 12 Kh-101 cruise missiles. Air defence shot down 64 UAVs and 10 missiles, Ukraine's Air Force "
                 "said.", date(2024, 5, 14))
    counts = {c.best: c.category for c in rep.claims}
    assert counts[75] == "drones_launched" and counts[12] == "missiles_launched"
    assert counts[64] == "drones_shot_down" and counts[10] == "missiles_shot_down"


def test_an_inputs_author_asserts_what_its_text_says_in_its_own_voice(tmp_path):
    from warledger.io.readers import read_bytes

    line = {"id": "mod-1", "published": "2023-11-23", "source": "Ministry of Defence of the Russian Federation",
            "text": "Ukrainian forces lost up to 500 servicemen in the Donetsk direction over the past day."}
    article = next(read_bytes((json.dumps(line) + "\n").encode(), "posts.jsonl", "jsonl", None, None, 10**6))
    assert article.author == "Ministry of Defence of the Russian Federation"
    rep = next(iter(warledger.extract_many([article])))
    claim = next(c for c in rep.claims if c.high == 500)
    source = {s.id: s for s in rep.sources}[claim.source]
    assert (source.name, claim.side, claim.period) == ("Russian Ministry of Defence", "UA", "daily")
    assert next(iter(warledger.extract_many([warledger.Article(text=line["text"])]))).claims[0].source is None
