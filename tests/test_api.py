"""The read API through HTTP (FastAPI's TestClient, and `warledger serve` on 127.0.0.1), on a fixture ledger:
every list in every format, every filter, cursor paging, single records, bad and hostile input."""
from __future__ import annotations

import csv
import io
import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import SAMPLE_ID, shared_path
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from warledger.api import create_app
from warledger.gazetteer import haversine_km
from warledger.cli import app as cli

FIXTURES = Path(__file__).parent / "fixtures" / "ledger"
LISTS = ["events", "incidents", "claims", "figures", "sources"]
HOSTILE = ("<script>alert(1)</script>", "<img src=x onerror=alert(2)>", "javascript:alert(3)",
           "'; DROP TABLE events; --", "\" OR 1=1 --")


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("api")
    hostile = folder / "hostile.jsonl"
    hostile.write_text(json.dumps({
        "id": "hostile", "url": "javascript:alert(3)", "published": "2024-04-09",
        "title": "<script>alert(1)</script> shelling", "text": (
            "Russian forces shelled Kherson on Tuesday, killing two civilians, governor <img src=x onerror=alert(2)> "
            "Oleksandr Prokudin said. \"'; DROP TABLE events; -- was heard,\" he said.")}) + "\n", encoding="utf-8")
    path = folder / "api.duckdb"
    result = CliRunner().invoke(cli, ["ingest", str(FIXTURES / "enerhodar.jsonl"), str(FIXTURES / "unrelated.jsonl"),
                                      str(FIXTURES / "disputes.jsonl"), str(hostile), "--db", str(path)])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="module")
def client(db):
    return TestClient(create_app(db))


def everything(client, name: str, **params) -> list[dict]:
    """Every row of a list, page by page (limit 3) through `next_url`."""
    rows, url = [], f"/api/v1/{name}"
    response = client.get(url, params={"limit": 3, **params})
    while True:
        assert response.status_code == 200, response.text
        body = response.json()
        rows += body["rows"]
        if not body["next_url"]:
            return rows
        response = client.get(body["next_url"])


@pytest.mark.parametrize("name", LISTS)
def test_every_list_in_every_format(client, name):
    rows = client.get(f"/api/v1/{name}", params={"limit": 1000}).json()["rows"]
    assert rows
    table = list(csv.DictReader(io.StringIO(client.get(f"/api/v1/{name}.csv", params={"limit": 1000}).text)))
    assert len(table) == len(rows) and list(table[0]) == list(rows[0])
    lines = client.get(f"/api/v1/{name}.ndjson", params={"limit": 1000}).text.splitlines()
    assert [json.loads(line) for line in lines] == rows
    geo = client.get(f"/api/v1/{name}.geojson", params={"limit": 1000}).json()
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) + geo["unplaced"] == len(rows)
    for feature in geo["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90


@pytest.mark.parametrize("name", ["events", "incidents", "claims", "figures"])
def test_cursor_paging_has_no_duplicates_or_gaps(client, name):
    whole = client.get(f"/api/v1/{name}", params={"limit": 1000}).json()["rows"]
    paged = everything(client, name)
    assert paged == whole


def test_total_fields_and_query_time(client):
    body = client.get("/api/v1/events", params={"limit": 2, "with_total": True, "fields": "event_id,location"}).json()
    assert body["total"] == len(client.get("/api/v1/events", params={"limit": 1000}).json()["rows"])
    assert all(set(row) == {"event_id", "location"} for row in body["rows"]) and body["query_ms"] >= 0
    bad = client.get("/api/v1/events", params={"fields": "event_id,password"})
    assert bad.status_code == 400 and bad.json()["detail"]["parameter"] == "fields"


FILTERS = [  # a filter, and what every row it returns must satisfy (and some row must)
    ({"date_from": "2024-04-08"}, lambda r: (r["date_end"] or r["date_start"]) >= "2024-04-08"),
    ({"date_to": "2024-01-31"}, lambda r: r["date_start"] <= "2024-01-31"),
    ({"country": "Sudan"}, lambda r: r["country"] == "Sudan"),
    ({"country": "ua"}, lambda r: r["country_code"] == "UA"),
    ({"admin1": "Kharkiv"}, lambda r: r["admin1"] == "Kharkiv"),
    ({"bbox": "34.0,47.0,35.0,48.0"}, lambda r: 34 <= r["longitude"] <= 35 and 47 <= r["latitude"] <= 48),
    ({"near": "46.64,32.61,30"}, lambda r: haversine_km(46.64, 32.61, r["latitude"], r["longitude"]) <= 30),
    ({"near": "Enerhodar", "km": 10}, lambda r: haversine_km(47.50, 34.65, r["latitude"], r["longitude"]) <= 12),
    ({"event_type": "Battles"}, lambda r: r["event_type"] == "Battles"),
    ({"sub_event_type": "air/drone strike"}, lambda r: r["sub_event_type"] == "Air/drone strike"),
    ({"actor": "Rapid Support"}, lambda r: "Rapid Support" in (r["actor1"] or "") + (r["actor2"] or "")),
    ({"side": "SD"}, lambda r: "SD" in (r["side1"], r["side2"])),
    ({"source": "Ministry of Defence"}, lambda r: "Ministry of Defence" in (r["source"] or "")),
    ({"source_side": "RU"}, lambda r: r["source_side"] == "RU"),
    ({"fatalities_min": 20}, lambda r: r["fatalities"] >= 20),
    ({"geo_precision_max": 1}, lambda r: r["geo_precision"] == 1),
    ({"q": "hardware store"}, lambda r: "hardware store" in r["notes"]),
    ({"updated_since": "2000-01-01"}, lambda r: True),
    ({"contested": True}, lambda r: r["incident_id"] is not None),
]


@pytest.mark.parametrize("params, holds", FILTERS, ids=[next(iter(p)) + "=" + str(next(iter(p.values())))
                                                        for p, _ in FILTERS])
def test_each_filter_on_events(client, params, holds):
    rows = everything(client, "events", **params)
    assert rows, params
    assert all(holds(r) for r in rows), [r["event_id"] for r in rows if not holds(r)]
    assert len(rows) < len(everything(client, "events")) or params == {"updated_since": "2000-01-01"}


def test_filters_on_incidents(client):
    kharkiv = client.get("/api/v1/incidents", params={"admin1": "Kharkiv", "date_to": "2024-05-25"}).json()["rows"]
    assert [i["location"] for i in kharkiv] == ["Kharkiv"] and kharkiv[0]["reports"] == 3
    contested = client.get("/api/v1/incidents", params={"contested": True, "limit": 1000}).json()["rows"]
    assert contested and all(i["contradictions"] for i in contested)
    assert client.get("/api/v1/incidents", params={"actor": "Rapid Support"}).json()["rows"][0]["location"] == "Gezira"


def test_single_records(client):
    [incident] = client.get("/api/v1/incidents", params={"admin1": "Kharkiv", "date_to": "2024-05-25"}).json()["rows"]
    record = client.get(f"/api/v1/incidents/{incident['incident_id']}").json()
    assert len(record["reports_side_by_side"]) == 3 and {c["kind"] for c in record["contradictions"]} == {
        "figure", "target"}
    event = record["reports_side_by_side"][0]
    one = client.get(f"/api/v1/events/{event['article_id']}:{event['event_id']}").json()
    assert one["incident_id"] == incident["incident_id"] and one["claims"]
    article = client.get(f"/api/v1/articles/{event['article_id']}").json()
    assert article["text"] and article["report"]["events"]
    s, e = article["report"]["events"][0]["span"]
    assert article["text"][s:e] == article["report"]["events"][0]["notes"]
    assert client.get("/api/v1/sources/Russian Ministry of Defence").json()["side"] == "RU"
    for missing in ("/api/v1/incidents/99999", "/api/v1/events/1:E99", "/api/v1/articles/99999", "/api/v1/sources/nobody"):
        response = client.get(missing)
        assert response.status_code == 404 and "error" in response.json()["detail"], missing


@pytest.mark.parametrize("params", [
    {"date_from": "yesterday"}, {"bbox": "1,2,3"}, {"bbox": "a,b,c,d"}, {"near": "1,2,x"}, {"near": "Atlantis-on-Mars"},
    {"limit": 0}, {"limit": 100000}, {"cursor": "garbage"}, {"cursor": "W10"}, {"fatalities_min": -1},
    {"geo_precision_max": 9}, {"km": -5}, {"updated_since": "soon"}, {"bbox": "nan,1,2,3"},
])
def test_bad_parameters_are_named_errors_not_500(client, params):
    response = client.get("/api/v1/events", params=params)
    assert response.status_code in (400, 422), (params, response.status_code, response.text)
    assert "detail" in response.json()


def test_filters_that_do_not_apply_say_so(client):
    response = client.get("/api/v1/claims", params={"country": "UA"})
    assert response.status_code == 400 and "country" in response.json()["detail"]["error"]


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("parameter", ["country", "admin1", "event_type", "sub_event_type", "actor", "side", "source",
                                       "source_side", "q", "fields"])
def test_injection_strings_change_nothing(client, parameter, value):
    response = client.get("/api/v1/events", params={parameter: value, "limit": 1000})
    assert response.status_code in (200, 400, 422), response.text
    if response.status_code == 200:
        rows = response.json()["rows"]
        assert len(rows) <= 1 and all(value.split()[0] in json.dumps(r) for r in rows)
    assert client.get("/healthz").json()["articles"] > 20  # nothing dropped


def test_hostile_text_comes_back_as_data(client):
    rows = [r for r in client.get("/api/v1/events", params={"limit": 1000}).json()["rows"]
            if r["url"] == "javascript:alert(3)"]
    assert rows and "onerror=alert(2)" in rows[0]["notes"]
    article = client.get(f"/api/v1/articles/{rows[0]['article_id']}").json()
    assert article["title"] == "<script>alert(1)</script> shelling" and "onerror=alert(2)" in article["text"]


def test_security_headers_and_no_cors_by_default(client):
    response = client.get("/api/v1/events", headers={"Origin": "https://elsewhere.example"})
    assert response.headers["content-security-policy"] == "default-src 'self'"
    assert "access-control-allow-origin" not in response.headers
    assert client.get("/openapi.json").json()["paths"]["/api/v1/events"]["get"]["parameters"]
    docs = client.get("/docs")  # the documentation page, from the package (no CDN)
    assert docs.status_code == 200 and "/static/vendor/swagger-ui/" in docs.text and "https://" not in docs.text


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_on_localhost_sees_new_articles_without_a_restart(db, tmp_path):
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "warledger.cli", "serve", "--db", str(db), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as response:
                    before = json.load(response)["articles"]
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("the server did not start: " + server.stderr.read() if server.poll() is not None else "")
        extra = tmp_path / "extra.jsonl"
        extra.write_text(json.dumps({"id": "new", "published": "2024-06-01",
                                     "text": "Russian drones attacked Sumy on Saturday, the governor said."}) + "\n",
                         encoding="utf-8")
        ingested = CliRunner().invoke(cli, ["ingest", str(extra), "--db", str(db)])
        assert ingested.exit_code == 0, ingested.output
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            assert json.load(response)["articles"] == before + 1
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_aggregates(client):
    days = client.get("/api/v1/timeline", params={"interval": "month", "by": "side"}).json()["rows"]
    events = client.get("/api/v1/events", params={"limit": 1000}).json()["rows"]
    assert sum(d["events"] for d in days) == sum(1 for e in events if e["event_date"] or e["date_start"])
    assert all(d["fatalities_low"] <= d["fatalities"] <= d["fatalities_high"] for d in days)
    kharkiv = client.get("/api/v1/timeline", params={"admin1": "Kharkiv"}).json()["rows"]
    assert {d["bucket"] for d in kharkiv} >= {"2024-05-25", "2024-05-27"}
    assert client.get("/api/v1/timeline", params={"interval": "year"}).status_code == 422
    points = client.get("/api/v1/map.geojson", params={"country": "Sudan"}).json()["features"]
    assert points and all("geo_precision" in p["properties"] for p in points)
    placed = [e for e in client.get("/api/v1/events", params={"country": "Sudan", "limit": 1000}).json()["rows"]
              if e["latitude"] is not None]
    assert len(points) == len(placed)
    incidents = client.get("/api/v1/map.geojson", params={"of": "incidents"}).json()["features"]
    assert incidents and all(isinstance(p["properties"]["id"], int) for p in incidents)
    actors = {a["actor"]: a for a in client.get("/api/v1/actors", params={"limit": 1000}).json()["rows"]}
    assert actors["Rapid Support Forces"]["side"] == "SD"
    tolls = client.get("/api/v1/series", params={"category": "killed", "source": "Gladkov"}).json()["rows"]
    assert [t["best"] for t in tolls] == [24.0]


def test_adding_articles_needs_the_token(db, tmp_path):
    import shutil

    copy = tmp_path / "post.duckdb"
    shutil.copy(db, copy)
    article = {"id": "posted-1", "published": "2023-03-30",
               "text": shared_path("articles", f"{SAMPLE_ID}.txt").read_text(encoding="utf-8")}
    closed = TestClient(create_app(copy))
    assert closed.post("/api/v1/articles", json=article).status_code == 403
    open_ = TestClient(create_app(copy, token="s3cret"))
    assert open_.post("/api/v1/articles", json=article).status_code == 401
    assert open_.post("/api/v1/articles", json=article, headers={"Authorization": "Bearer wrong"}).status_code == 401
    added = open_.post("/api/v1/articles", json=article, headers={"Authorization": "Bearer s3cret"})
    assert added.status_code == 201 and added.json()["status"] == "added" and added.json()["events"] >= 5
    again = open_.post("/api/v1/articles", json=article, headers={"Authorization": "Bearer s3cret"})
    assert again.json()["status"] == "known"
    attacks = open_.get("/api/v1/series", params={"category": "attacks", "source": "General Staff"}).json()["rows"]
    assert [a["best"] for a in attacks] == [124.0, 69.0, 57.0]  # the sample's daily attack counts, in date order
    huge = open_.post("/api/v1/articles", content=b"x" * 5_000_000, headers={"Authorization": "Bearer s3cret",
                                                                            "Content-Type": "application/json"})
    assert huge.status_code == 413
    assert open_.post("/api/v1/articles", json={"text": ""}, headers={"Authorization": "Bearer s3cret"}
                      ).status_code == 422


PARAMETERS = ["date_from", "date_to", "country", "admin1", "bbox", "near", "km", "event_type", "sub_event_type",
              "actor", "side", "source", "source_side", "fatalities_min", "geo_precision_max", "q", "updated_since",
              "contested", "limit", "cursor", "fields", "with_total", "interval", "by", "of", "category"]
VALUES = st.one_of(st.text(max_size=40), st.integers(min_value=-10**12, max_value=10**12).map(str),
                   st.floats(allow_nan=True).map(str), st.sampled_from(HOSTILE + ("2024-02-30", "1,2,3,4", "0", "")))


@settings(max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(["/api/v1/events", "/api/v1/incidents.csv", "/api/v1/claims.ndjson", "/api/v1/figures",
                             "/api/v1/sources.geojson", "/api/v1/timeline", "/api/v1/series", "/api/v1/map.geojson",
                             "/api/v1/judgements", "/api/v1/actors"]),
       query=st.dictionaries(st.sampled_from(PARAMETERS), VALUES, max_size=5))
def test_fuzzed_parameters_never_crash_the_server(client, path, query):
    """Any value of any parameter is an answer or a named error: never a 500."""
    response = client.get(path, params=query)
    assert response.status_code in (200, 400, 404, 422), (path, query, response.status_code, response.text[:300])
    if response.status_code != 200:
        assert "detail" in response.json()


@pytest.mark.parametrize("name, sort", [("events", "-date"), ("events", "-fatalities"), ("incidents", "-date"),
                                        ("claims", "-date"), ("events", "date")])
def test_sorted_lists_page_without_gaps(client, name, sort):
    whole = client.get(f"/api/v1/{name}", params={"limit": 1000, "sort": sort}).json()["rows"]
    assert everything(client, name, sort=sort) == whole
    if sort == "-date":
        dates = [(r["published"] if name == "claims" else r["date_start"]) or "" for r in whole]
        assert dates == sorted(dates, reverse=True)
    if sort == "-fatalities":
        assert [r["fatalities"] for r in whole] == sorted((r["fatalities"] for r in whole), reverse=True)


def test_unknown_sorts_are_named_errors(client):
    assert client.get("/api/v1/events", params={"sort": "password"}).json()["detail"]["parameter"] == "sort"
    assert client.get("/api/v1/sources", params={"sort": "-date"}).status_code == 400


def test_demo_serve_builds_a_ledger_and_serves_the_dashboard(tmp_path):
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "warledger.cli", "demo", "--serve", "--port", str(port),
                               "--db", str(tmp_path / "demo.duckdb")], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=1) as response:
                    assert json.load(response)["articles"] == 11  # the sample and ten reports written for the demo
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(server.stderr.read())
                time.sleep(0.2)
        else:
            pytest.fail("demo --serve did not start")
        with urllib.request.urlopen(base + "/api/v1/incidents?contested=true", timeout=5) as response:
            contested = json.load(response)["rows"]
        assert {c["kind"] for i in contested for c in i["contradictions"]} >= {"figure", "target", "perpetrator"}
        with urllib.request.urlopen(base + "/", timeout=5) as response:
            assert b"dashboard.js" in response.read()
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.parametrize("name", ["events", "incidents", "claims"])
def test_stream_exports_every_row_page_after_page(client, name, monkeypatch):
    from warledger.api import lists

    monkeypatch.setattr(lists, "STREAM_PAGE", 4)  # many pages
    for fmt in ("csv", "ndjson"):
        streamed = client.get(f"/api/v1/{name}.{fmt}", params={"stream": "on"}).text
        paged = client.get(f"/api/v1/{name}.{fmt}", params={"limit": 1000}).text
        assert streamed == paged and streamed.count("\n") > 4
    assert client.get(f"/api/v1/{name}", params={"stream": "on"}).status_code == 400


def test_a_query_past_the_time_limit_is_interrupted_and_answered_503(db):
    """The per-request limit interrupts the DuckDB query itself (a slow query stands in for a heavy filter)."""
    from fastapi import Depends

    from warledger.api.db import connection

    app = create_app(db, query_seconds=0.2)

    @app.get("/slow")
    def slow(con=Depends(connection)):
        return con.execute("SELECT count(*) FROM range(100000000000) a").fetchone()[0]

    started = time.perf_counter()
    response = TestClient(app).get("/slow")
    assert response.status_code == 503 and "too long" in response.json()["detail"]["error"]
    assert time.perf_counter() - started < 10
