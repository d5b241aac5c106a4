"""Inputs through the CLI: formats, and bad input that is reported without losing the rest."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from warledger.cli import app

runner = CliRunner()
GOOD = "At least 12 civilians were killed when a Russian missile hit a market, the regional governor said on Telegram."


def run(*args, input=None):
    return runner.invoke(app, list(args), input=input)


@pytest.fixture
def good(tmp_path: Path) -> Path:
    path = tmp_path / "good.txt"
    path.write_text(GOOD, encoding="utf-8")
    return path


def reports_of(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def test_text_file_to_json(good):
    result = run("extract", str(good), "--published", "2023-09-06")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["schema"] == "warledger/1"
    assert report["document"]["id"] == "good"
    assert [(c["category"], c["low"]) for c in report["claims"]] == [("civilians_killed", 12)]


def test_many_files_in_input_order_as_jsonl(tmp_path, good):
    other = tmp_path / "other.txt"
    other.write_text("Up to 500 Russian troops were killed near Bakhmut, Ukraine's military said.", encoding="utf-8")
    result = run("extract", str(other), str(good), "--format", "jsonl")
    assert result.exit_code == 0
    assert [r["document"]["id"] for r in reports_of(result.stdout)] == ["other", "good"]


def test_empty_file_is_reported_and_the_rest_still_runs(tmp_path, good):
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    result = run("extract", str(empty), str(good), "--format", "jsonl")
    assert result.exit_code == 1
    assert f"{empty}: empty input" in result.stderr
    assert [r["document"]["id"] for r in reports_of(result.stdout)] == ["good"]


def test_binary_file_is_refused(tmp_path, good):
    binary = tmp_path / "photo.txt"
    binary.write_bytes(bytes(range(256)) * 20)
    result = run("extract", str(binary), str(good), "--format", "jsonl")
    assert result.exit_code == 1
    assert f"{binary}: binary data" in result.stderr
    assert len(reports_of(result.stdout)) == 1


def test_invalid_utf8_is_decoded_with_a_warning(tmp_path):
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Up to 500 Russian troops were killed near Bachmut \xe9, Ukraine's military said.".encode("latin-1"))
    result = run("extract", str(latin))
    assert result.exit_code == 0
    assert "invalid UTF-8" in result.stderr and str(latin) in result.stderr
    report = json.loads(result.stdout)
    assert "\ufffd" in report["claims"][0]["sentence"]
    assert report["warnings"] and "invalid UTF-8" in report["warnings"][0]


def test_malformed_jsonl_line_is_named_and_the_other_lines_run(tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join([
        json.dumps({"id": "a", "text": GOOD, "published": "2023-09-06"}),
        '{"id": "b", "text": "unterminated',
        json.dumps({"id": "c", "text": "Some 2,000 residents have been evacuated, local authorities said."}),
        json.dumps({"id": "d", "title": "no text"}),
        json.dumps({"id": "e", "text": GOOD, "published": "not a date"}),
    ]) + "\n", encoding="utf-8")
    result = run("extract", str(feed), "--format", "jsonl", "--published", "2023-01-01")
    assert result.exit_code == 1
    assert f"{feed}:2: not valid JSON" in result.stderr
    assert f"{feed}:4: no 'text'" in result.stderr
    assert f"{feed}:5: 'published'" in result.stderr  # a warning: the line still runs
    reports = reports_of(result.stdout)
    assert [r["document"]["id"] for r in reports] == ["a", "c", "e"]
    assert [r["document"]["published"] for r in reports] == ["2023-09-06", "2023-01-01", "2023-01-01"]


def test_ten_megabyte_text_is_refused_with_a_message(tmp_path, good):
    huge = tmp_path / "huge.txt"
    huge.write_text(GOOD * (10_000_000 // len(GOOD)), encoding="utf-8")
    result = run("extract", str(huge), str(good), "--format", "jsonl")
    assert result.exit_code == 1
    assert f"{huge}:" in result.stderr and "more than one article" in result.stderr
    assert [r["document"]["id"] for r in reports_of(result.stdout)] == ["good"]


def test_over_long_text_that_fits_the_file_size_check_is_refused_after_decoding(tmp_path):
    long = tmp_path / "long.txt"
    long.write_text("a" * 2_000_001, encoding="utf-8")
    result = run("extract", str(long), "--max-chars", "2000000")
    assert result.exit_code == 1
    assert "2,000,001 characters" in result.stderr


def test_missing_file_empty_folder_and_unmatched_glob(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("extract", str(tmp_path / "nope.txt"), str(empty), str(tmp_path / "*.html"))
    assert result.exit_code == 1
    assert "no such file" in result.stderr and "holds no article files" in result.stderr
    assert "no file matches this pattern" in result.stderr


def test_folders_are_read_recursively_and_globs_expand(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "one.txt").write_text("Russian forces shelled Kherson on Monday.", encoding="utf-8")
    (tmp_path / "a" / "b" / "two.txt").write_text("Protesters marched in Tbilisi on Sunday.", encoding="utf-8")
    (tmp_path / "a" / "b" / "notes.csv").write_text("not,an,article", encoding="utf-8")
    result = run("extract", str(tmp_path / "a"), "--published", "2024-05-01", "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    assert [json.loads(line)["document"]["id"] for line in result.stdout.splitlines()] == ["two", "one"]  # path order
    result = run("extract", str(tmp_path / "a" / "**" / "*.txt"), "--published", "2024-05-01", "--format", "jsonl")
    assert len(result.stdout.splitlines()) == 2


HTML = """<html><head><title>Strike on Kharkiv market</title>
<meta property="og:url" content="https://example.org/kharkiv-strike">
<meta property="article:published_time" content="2024-05-25T14:00:00Z"></head>
<body><nav>Home | World | Sport</nav><article><h1>Strike on Kharkiv market</h1>
<p>At least 12 civilians were killed when a Russian guided bomb hit a hardware store in Kharkiv on Saturday, the regional governor said.</p>
<p>Rescuers were still searching the rubble late into the evening, and dozens of people were wounded in the attack.</p>
</article><footer>Copyright</footer></body></html>"""


def test_html_page_with_metadata(tmp_path):
    page = tmp_path / "kharkiv.html"
    page.write_text(HTML, encoding="utf-8")
    result = run("extract", str(page), "--published", "2020-01-01")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    doc = report["document"]
    assert doc["title"] == "Strike on Kharkiv market"
    assert doc["url"] == "https://example.org/kharkiv-strike"
    assert doc["published"] == "2024-05-25"  # the page's date wins over --published
    assert "Home | World" not in report["claims"][0]["sentence"]
    assert {(c["category"], c["low"]) for c in report["claims"]} >= {("civilians_killed", 12), ("wounded", 24)}
    saturday = next(d for d in report["dates"] if d["text"] == "on Saturday")
    assert saturday["date_start"] == "2024-05-25"


def test_html_without_a_date_takes_published(tmp_path):
    page = tmp_path / "nodate.html"
    page.write_text(HTML.replace('<meta property="article:published_time" content="2024-05-25T14:00:00Z">', ""),
                    encoding="utf-8")
    result = run("extract", str(page), "--published", "2024-05-26")
    assert json.loads(result.stdout)["document"]["published"] == "2024-05-26"


def test_stdin():
    result = run("extract", "-", "--published", "2023-09-06", input=GOOD)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["claims"][0]["low"] == 12


def test_bad_published_option_is_a_usage_error(good):
    result = run("extract", str(good), "--published", "30/03/2023")
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


def test_table_format_and_demo(good):
    table = run("extract", str(good), "--format", "table")
    assert table.exit_code == 0 and "civilians_killed" in table.stdout
    demo = run("demo")
    assert demo.exit_code == 0
    for expected in ("UK Ministry of Defence", "≤ 200,000", "highly unlikely", "10%–20%", "General Staff",
                     "Events (ACLED taxonomy)", "Armed clash", "Bakhmut", "Places: geocoded", "Dates:", "2023-03-29"):
        assert expected in demo.stdout, expected


def test_installed_command_exit_code(tmp_path, good):
    """The real entry point: a failed input gives exit code 1 and the good one is still printed."""
    result = subprocess.run(
        [sys.executable, "-m", "warledger.cli", "extract", str(tmp_path / "missing.txt"), str(good), "--format", "jsonl"],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1
    assert "missing.txt: no such file" in result.stderr
    assert len(reports_of(result.stdout)) == 1


def test_jsonl_lines_end_at_newlines_only(tmp_path):
    # JSON strings may hold U+2028 and U+0085 unescaped; they do not end a JSONL line
    feed = tmp_path / "odd.jsonl"
    feed.write_text(json.dumps({"id": "a", "text": "Shelling hit Kherson.\u2028Two people were hurt.\u0085"},
                               ensure_ascii=False) + "\n" + json.dumps({"id": "b", "text": "Protests in Tbilisi."}) + "\n",
                    encoding="utf-8")
    result = run("extract", str(feed), "--published", "2024-05-01", "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    assert [json.loads(line)["document"]["id"] for line in result.stdout.strip().split("\n")] == ["a", "b"]


def test_a_long_text_is_split_between_paragraphs_into_parts_that_cover_it():
    from warledger.pipeline import split_long

    text = "".join(f"Paragraph {n}. " + "Shelling continued near the town. " * (n % 7 + 3) + "\n\n" for n in range(400))
    parts = split_long(text, 2_000)
    assert "".join(part for _, part in parts) == text
    assert all(offset == sum(len(p) for _, p in parts[:k]) for k, (offset, _) in enumerate(parts))
    assert all(len(part) <= 2_000 for _, part in parts)
    assert all(part.endswith("\n\n") for _, part in parts[:-1])
    assert split_long("word " * 1000, 300)[0][1].endswith(" ")  # no paragraph: cut at a space


def test_a_long_article_is_extracted_in_parts_into_one_report():
    """A 1 MB article ran 104 s in 3.2 GB; in parts its time and memory grow with its length
    (bench/long_article.py). The parts' records come back as one report on the whole text."""
    from datetime import date

    from warledger import Article
    from warledger.pipeline import LONG_CHARS, process

    towns = ["Kherson", "Kharkiv", "Odesa", "Sumy", "Mykolaiv", "Dnipro", "Kramatorsk", "Zaporizhzhia"]
    paragraphs = [f"Russian forces shelled {towns[n % 8]} on May {n % 27 + 1}, killing {n % 5 + 1} civilians, "
                  f"the regional governor Oleh Syniehubov said. Report {n}." for n in range(400)]
    text = "\n\n".join(paragraphs)
    assert len(text) > LONG_CHARS
    [report] = process([Article(text=text, id="long", published=date(2024, 6, 1))])
    assert report.document.n_chars == len(text)
    assert len(report.events) >= 350
    for kind in ("events", "claims", "places", "sources", "dates"):
        ids = [r.id for r in getattr(report, kind)]
        assert len(ids) == len(set(ids)), kind
    places = {p.id: p for p in report.places}
    for place in report.places:
        assert len({text[s:e] for s, e in place.spans}) == 1, place  # every span names it the same way
    assert {text[s:e] for p in report.places for s, e in p.spans} >= set(towns)
    assert len([p for p in report.places if p.name == "Kherson"]) == 1  # one record across parts
    for event in report.events:
        told = text[event.span[0]:event.span[1]]
        assert any(told[s - event.span[0]:e - event.span[0]] for s, e in places[event.place].spans
                   if event.span[0] <= s < event.span[1])
        assert all(c in {claim.id for claim in report.claims} for c in event.claims)
    [governor] = [s for s in report.sources if s.name == "Oleh Syniehubov"]
    assert len(governor.spans) == 400 and all(text[s:e] == "Oleh Syniehubov" for s, e in governor.spans)
