"""The dashboard in a real headless Chromium (Debian's, driven by Playwright; `.ci/run` installs it), served
by `warledger serve` on 127.0.0.1 over a fixture ledger with the sample article, the disputed incidents
and an article full of hostile markup. Screenshots go to the test's tmp folder."""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from conftest import SAMPLE_ID, shared_path
from typer.testing import CliRunner

from warledger.cli import app as cli

CHROMIUM = "/usr/bin/chromium"
FIXTURES = Path(__file__).parent / "fixtures" / "ledger"
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed "
                                "(.ci/run installs it: apt-get install -y chromium)")
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dashboard")
    inputs = folder / "inputs.jsonl"
    sample = shared_path("articles", f"{SAMPLE_ID}.txt").read_text(encoding="utf-8")
    lines = [json.dumps({"id": "sample", "published": "2023-03-30", "title": "UK MoD update", "text": sample}),
             json.dumps({"id": "hostile", "url": "javascript:alert(3)", "published": "2024-04-09",
                         "title": "<script>alert(1)</script>", "text": "Russian forces shelled Kherson on Tuesday, "
                         "killing two civilians, governor <img src=x onerror=alert(2)> Oleksandr Prokudin said."})]
    inputs.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = folder / "dashboard.duckdb"
    result = CliRunner().invoke(cli, ["ingest", str(FIXTURES / "disputes.jsonl"), str(inputs), "--db", str(db)])
    assert result.exit_code == 0, result.output
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "warledger.cli", "serve", "--db", str(db), "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture()
def page(server, tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.problems = []
        page.on("console", lambda m: page.problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: page.problems.append(f"page error: {e}"))
        page.on("dialog", lambda d: (page.problems.append(f"dialog: {d.message}"), d.dismiss()))
        page.on("request", lambda r: page.problems.append(f"left the machine: {r.url}")
                if urlparse(r.url).hostname not in ("127.0.0.1", None) and not r.url.startswith("data:") else None)
        yield page
        page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
        browser.close()
        assert page.problems == []


def api(server: str, path: str):
    with urllib.request.urlopen(server + path, timeout=10) as response:
        return json.load(response)


def ready(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("body[data-ready=true]", timeout=30_000)


def test_the_dashboard_loads_and_its_markers_are_the_apis_events(page, server):
    ready(page, server + "/")
    markers = page.evaluate("window.warledger.markers.getLayers().length")
    assert markers == len(api(server, "/api/v1/map.geojson")["features"]) > 20
    ready(page, server + "/?country=Sudan")
    assert page.evaluate("window.warledger.markers.getLayers().length") == len(
        api(server, "/api/v1/map.geojson?country=Sudan")["features"])
    assert page.locator("#events tbody tr").count() == api(server, "/api/v1/events?country=Sudan&with_total=true")["total"]


def test_clicking_a_marker_opens_every_sources_figure(page, server):
    ready(page, server + "/?q=hardware%20store")
    page.evaluate("window.warledger.map.setView([49.98, 36.25], 11)")
    page.wait_for_timeout(500)
    page.locator(".leaflet-overlay-pane path.leaflet-interactive").first.click(force=True)
    drawer = page.locator("#drawer")
    drawer.wait_for(state="visible")
    page.wait_for_selector("#drawer .report")
    text = drawer.inner_text()
    for source in ("Oleh Syniehubov", "Russian Ministry of Defence", "Government of Ukraine"):
        assert source in text
    assert page.locator("#drawer .contradiction").count() >= 2  # the toll and the target


def test_brushing_the_timeline_filters_the_table(page, server):
    ready(page, server + "/")
    before = page.locator("#events tbody tr").count()
    box = page.locator("#timeline .u-over").bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.80, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.99, y, steps=8)
    page.mouse.up()
    page.wait_for_function("new URLSearchParams(location.search).get('date_from') !== null")
    page.wait_for_timeout(1000)
    query = parse_qs(urlparse(page.url).query)
    start, end = query["date_from"][0], query["date_to"][0]
    dates = page.locator("#events tbody tr td:first-child").all_inner_texts()
    assert 0 < len(dates) < before
    assert all(start <= d <= end for d in dates), (start, end, dates)


def test_the_figures_view_draws_the_attack_count_series(page, server):
    ready(page, server + "/?view=figures")
    page.wait_for_selector("#series-table tbody tr")
    values = page.evaluate("window.warledger.series.data.slice(1).flat().filter(v => v !== null)")
    assert {124, 69, 57} <= set(values)
    assert page.locator("#series canvas").count() >= 1


def test_hostile_text_is_shown_as_text(page, server):
    ready(page, server + "/?q=Kherson")
    row = page.locator("#events tbody tr", has_text="Kherson").first
    row.click()
    page.wait_for_selector("#drawer .report")
    assert "<img src=x onerror=alert(2)>" in page.locator("#drawer").inner_text()
    assert page.locator("#drawer img").count() == 0 and page.locator("#drawer a[href^=javascript]").count() == 0


def test_sources_and_judgements_views(page, server):
    ready(page, server + "/?view=sources")
    assert "UK Ministry of Defence" in page.locator("#sources").inner_text()
    page.click("nav button[data-view=judgements]")
    page.wait_for_selector("#judgements tbody tr")
    assert "highly unlikely" in page.locator("#judgements").inner_text()


def test_the_api_documentation_is_served_from_the_package(page, server):
    page.goto(server + "/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=30_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/events" in paths and "/api/v1/incidents/{incident_id}" in paths
