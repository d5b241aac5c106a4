"""Latency of the read API on a generated ledger of 100,000 events, against the bare DuckDB queries, in one run.

    python bench/api.py [--events 100000] [--repeat 30]

The ledger is generated straight into DuckDB (articles, events, incidents, mentions; five countries,
two years, points scattered around each country's towns), not extracted: this measures serving, not
extraction. Requests go through the FastAPI app in process (TestClient), each opening its read-only
connection as `warledger serve` does. Prints p50/p95 per request kind and the ratio of the API's p50 to
the bare SQL's for the same rows, then the dashboard's first full render in Debian's chromium. Goals (issue #13): p95 150 ms or less for a filtered page of 100
events and for a day timeline; the whole map of 100,000 events in 2 s or less.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from fastapi.testclient import TestClient  # noqa: E402

from warledger.api import create_app  # noqa: E402
from warledger.store import Ledger  # noqa: E402

COUNTRIES = [("UA", "Ukraine", 48.5, 35.0), ("SD", "Sudan", 14.0, 31.0), ("SY", "Syria", 35.0, 38.0),
             ("MM", "Myanmar", 20.0, 96.0), ("SO", "Somalia", 4.0, 45.5)]
TYPES = [("Explosions/Remote violence", "Shelling/artillery/missile attack"), ("Battles", "Armed clash"),
         ("Violence against civilians", "Attack"), ("Explosions/Remote violence", "Air/drone strike"),
         ("Protests", "Peaceful protest")]


def generate(path: Path, n: int) -> None:
    with Ledger(path):
        pass  # the schema
    con = duckdb.connect(str(path))
    countries = ", ".join(f"('{c}', '{name}', {lat}, {lon})" for c, name, lat, lon in COUNTRIES)
    types = ", ".join(f"('{t}', '{s}')" for t, s in TYPES)
    articles = n // 2
    con.execute(f"""
        INSERT INTO articles (article_id, identity, doc_id, title, url, outlet, published, origin, text, text_sha256,
                              n_chars, ingested_at, extractor)
        SELECT i, 'bench:' || i, 'a' || i, 'Report ' || i, 'https://news.example/' || i, 'news.example',
               DATE '2023-01-01' + CAST(i % 730 AS INTEGER), 'bench', 'Generated report ' || i, md5(i::VARCHAR),
               20, now(), 'bench'
        FROM range(1, {articles + 1}) t(i)""")
    con.execute(f"""
        CREATE TEMP TABLE c AS SELECT row_number() OVER () - 1 AS k, * FROM (VALUES {countries}) v(code, name, lat, lon);
        CREATE TEMP TABLE ty AS SELECT row_number() OVER () - 1 AS k, * FROM (VALUES {types}) v(t, s);
        INSERT INTO events (article_id, event_id, event_date, date_start, date_end, time_precision, event_type,
                            sub_event_type, actor1, side1, actor2, side2, location, admin1, country, country_code,
                            latitude, longitude, geo_precision, fatalities, source, source_kind, source_side, notes,
                            claim_ids)
        SELECT 1 + i % {articles}, 'E' || (i // {articles} + 1), d, d, d, 1, ty.t, ty.s,
               'Military Forces of ' || c.name, c.code, 'Civilians (' || c.name || ')', c.code,
               'Town ' || (i % 200), 'Region ' || (i % 20), c.name, c.code,
               c.lat + ((i * 7919) % 1000) / 250.0 - 2, c.lon + ((i * 104729) % 1000) / 250.0 - 2,
               1 + i % 3, i % 7, 'Source ' || (i % 50), 'military', c.code, 'Generated event ' || i, []
        FROM (SELECT i, DATE '2023-01-01' + CAST((i * 31) % 730 AS INTEGER) AS d FROM range(0, {n}) t(i)) e
        JOIN c ON c.k = e.i % 5 JOIN ty ON ty.k = (e.i // 5) % 5;
        INSERT INTO incidents SELECT row_number() OVER (), event_type, sub_event_type, date_start, date_end,
               time_precision, location, admin1, country, latitude, longitude, geo_precision
        FROM events WHERE (article_id + length(event_id)) % 2 = 0;
        INSERT INTO mentions SELECT e.article_id, e.event_id, i.incident_id FROM events e JOIN (
            SELECT row_number() OVER () AS incident_id, article_id, event_id FROM events
            WHERE (article_id + length(event_id)) % 2 = 0) i USING (article_id, event_id);
    """)
    con.close()


def timed(fn, repeat: int) -> list[float]:
    fn()  # warm
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.duckdb"
        start = time.perf_counter()
        generate(path, args.events)
        print(f"generated {args.events:,} events in {time.perf_counter() - start:.1f} s")
        client = TestClient(create_app(path))
        bare = duckdb.connect(str(path), read_only=True)

        def get(url, **params):
            def call():
                response = client.get(url, params=params)
                assert response.status_code == 200, response.text
                return response
            return call

        cases = [
            ("page of 100 events (UA, one quarter, shelling)",
             get("/api/v1/events", country="UA", date_from="2024-01-01", date_to="2024-03-31",
                 sub_event_type="Shelling/artillery/missile attack", limit=100),
             "SELECT * FROM events WHERE country_code = 'UA' AND date_start BETWEEN '2024-01-01' AND '2024-03-31' "
             "AND sub_event_type = 'Shelling/artillery/missile attack' ORDER BY date_start LIMIT 100"),
            ("day timeline (SD, by event type)", get("/api/v1/timeline", country="SD", by="event_type"),
             "SELECT date_start, event_type, count(*), sum(fatalities) FROM events WHERE country_code = 'SD' "
             "GROUP BY ALL ORDER BY 1"),
            ("map.geojson, one country (MM)", get("/api/v1/map.geojson", country="MM"),
             "SELECT article_id, event_id, latitude, longitude FROM events WHERE country_code = 'MM'"),
            ("map.geojson, every event", get("/api/v1/map.geojson"),
             "SELECT article_id, event_id, latitude, longitude FROM events"),
        ]
        results = {}
        for name, call, sql in cases:
            api = timed(call, args.repeat if "every" not in name else max(5, args.repeat // 6))
            raw = timed(lambda sql=sql: bare.execute(sql).fetchall(), args.repeat)
            results[name] = api
            print(f"{name:48s} p50 {p(api, 50):7.1f} ms  p95 {p(api, 95):7.1f} ms   bare SQL p50 {p(raw, 50):6.1f} ms"
                  f"   API/SQL {p(api, 50) / max(p(raw, 50), 0.01):5.1f}x")
        page, timeline = results[cases[0][0]], results[cases[1][0]]
        whole = results[cases[3][0]]
        print(f"goals: page p95 {p(page, 95):.0f} ms and timeline p95 {p(timeline, 95):.0f} ms (150 ms or less); "
              f"whole map p50 {p(whole, 50) / 1000:.2f} s (2 s or less)")
        first_render(path)


def first_render(path: Path) -> None:
    """The dashboard's first full render (map of every event, timeline, table) in Debian's chromium."""
    import socket
    import threading

    import uvicorn

    if not Path("/usr/bin/chromium").exists():
        print("first dashboard render: skipped (no /usr/bin/chromium)")
        return
    from playwright.sync_api import sync_playwright

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(path), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        times = {}
        for label, query in (("one country (MM)", "?country=MM"), ("every event", "")):
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            start = time.perf_counter()
            page.goto(f"http://127.0.0.1:{port}/{query}")
            page.wait_for_selector("body[data-ready=true]", timeout=120_000)
            times[label] = time.perf_counter() - start
            page.close()
        browser.close()
    server.should_exit = True
    for label, seconds in times.items():
        print(f"first dashboard render in chromium, {label}: {seconds:.1f} s")


if __name__ == "__main__":
    main()
