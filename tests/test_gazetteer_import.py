"""`warledger gazetteer import`: GeoNames dumps a user downloaded, merged into a copy of the index."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from warledger.cli import app
from warledger.gazetteer import Gazetteer, gazetteer, index_path, norm_name

SAMPLE = Path(__file__).parent / "data" / "geonames_sample.txt"  # 25 rows written for these tests


@pytest.fixture()
def cache(tmp_path, monkeypatch):
    """A cache folder holding a copy of the bundled index, so imports never touch the real one."""
    gazetteer()
    shutil.copy(index_path(), tmp_path / index_path().name)
    monkeypatch.setenv("WARLEDGER_CACHE", str(tmp_path))
    return tmp_path


def test_import_adds_villages_the_bundled_index_lacks(cache):
    result = CliRunner().invoke(app, ["gazetteer", "import", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    assert "25 rows, 23 populated places" in result.output and "23 new to the index" in result.output
    index = Gazetteer(index_path())
    found = index.lookup(norm_name("Zarichanka"))
    assert sorted(p.admin1 for p in found) == ["Kharkiv", "Sumy"]  # namesakes in two regions
    assert {p.feature for p in found} == {"populated_place"}  # the stream of that name is not imported
    assert [p.admin1 for p in index.lookup(norm_name("Tal Tamr"))] == ["Al-Hasakeh"]  # an alternate name
    again = CliRunner().invoke(app, ["gazetteer", "import", str(SAMPLE)])
    assert "0 new to the index" in again.output


def test_import_reads_a_zipped_dump_and_info_says_from_where(cache, tmp_path):
    archive = tmp_path / "UA.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(SAMPLE, "UA.txt")
        zipped.writestr("readme.txt", "not a dump")
    assert CliRunner().invoke(app, ["gazetteer", "import", str(archive)]).exit_code == 0
    facts = json.loads(CliRunner().invoke(app, ["gazetteer", "info", "--json"]).output)
    assert [s["path"] for s in facts["imported"]] == [str(archive)]
    assert facts["places_by_feature"]["populated_place"] >= 200_000


def test_a_file_that_is_no_dump_is_named_with_its_line(cache, tmp_path):
    bad = tmp_path / "places.txt"
    bad.write_text("Zarichanka\t51.8\t33.6\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["gazetteer", "import", str(bad)])
    assert result.exit_code == 1
    assert "places.txt: line 1: 3 columns" in result.output
    assert Gazetteer(index_path()).lookup(norm_name("Bilovody")) == ()


def test_extract_puts_an_imported_village_in_the_stated_region(cache):
    assert CliRunner().invoke(app, ["gazetteer", "import", str(SAMPLE)]).exit_code == 0
    text = cache / "note.txt"
    text.write_text("Russian drones struck Zarichanka, Sumy, on Tuesday.", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "warledger.cli", "extract", str(text), "--published", "2024-05-08",
                          "--format", "json"], capture_output=True, text=True, env=os.environ.copy(), check=True)
    place = next(p for p in json.loads(out.stdout)["places"] if p["name"] == "Zarichanka")
    assert place["feature"] == "populated_place" and place["admin1"] == "Sumy" and place["geonameid"] == 99000001
