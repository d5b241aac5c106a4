"""Extraction on text written like wire reports, briefings and Telegram posts (cases/extraction.yaml)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from conftest import reports_for_cases

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "extraction.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def reports():
    return reports_for_cases(CASES)


def _check_source(report, source_id, expected):
    if expected is None:
        assert source_id is None
        return
    source = report.source(source_id)
    assert source is not None, f"no source; expected {expected}"
    if "name" in expected:
        assert expected["name"].lower() in source.name.lower(), source.name
    for key in ("kind", "side"):
        if key in expected:
            assert getattr(source, key) == expected[key], (source.name, key, getattr(source, key))


def _iso(value):
    return value.isoformat() if isinstance(value, date) else value


def test_there_are_enough_cases():
    assert len(CASES) >= 20


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(reports, case):
    report = reports[case["id"]]
    if case.get("no_claims"):
        assert report.claims == [], [(c.category, c.low, c.best, c.high) for c in report.claims]
    expected_claims = case.get("claims", [])
    for want in expected_claims:
        found = [c for c in report.claims if want["number"] in (c.low, c.best, c.high)
                 and c.category == want["category"]]
        assert found, (want, [(c.category, c.low, c.best, c.high) for c in report.claims])
        claim = found[0]
        for key in ("qualifier", "low", "best", "high", "side"):
            if key in want:
                assert getattr(claim, key) == want[key], (key, getattr(claim, key), want[key])
        for key in ("date_start", "date_end"):
            if key in want:
                assert getattr(claim, key) == _iso(want[key]), (key, getattr(claim, key))
        if "hedge" in want:
            assert claim.hedge is not None and claim.hedge.phrase == want["hedge"]
        if "source" in want:
            _check_source(report, claim.source, want["source"])
        if "via" in want:
            assert [report.source(v).name for v in claim.via] == want["via"]
    if case.get("no_other_claims"):
        assert len(report.claims) == len(expected_claims)
    for want in case.get("assessments", []):
        found = [a for a in report.assessments if a.phrase == want["phrase"]]
        assert found, [a.phrase for a in report.assessments]
        a = found[0]
        assert a.standard == want["standard"]
        assert (a.low, a.high) == pytest.approx((want["low"], want["high"]))
        if "source" in want:
            _check_source(report, a.source, want["source"])
        if "statement" in want:
            assert want["statement"] in a.statement
    for want in case.get("quotes", []):
        quote = next((q for q in report.quotes if want["snippet"] in q.text), None)
        assert quote is not None, [q.text for q in report.quotes]
        _check_source(report, quote.speaker, {"name": want["speaker"]})
        if "cue" in want:
            assert quote.cue == want["cue"]
