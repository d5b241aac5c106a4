"""The sample article against its hand-checked gold (../shared/gold), record by record."""
from __future__ import annotations

import pytest
from conftest import load_gold, norm

GOLD = load_gold()


def _names(gold_source_names: list[str]) -> set[str]:
    """Every name and alias the gold gives the sources it accepts."""
    out = set()
    for source in GOLD.get("sources", []):
        if source["name"] in gold_source_names:
            out |= {norm(a) for a in [source["name"], *source.get("aliases", [])]}
    return out


def source_is(report, source_id, gold_source_names) -> bool:
    source = report.source(source_id)
    if source is None:
        return False
    name = norm(source.name)
    return any(alias == name or alias in name or name in alias for alias in _names(gold_source_names))


def _ids(items, key):
    return [item.get(key, str(i))[:40] for i, item in enumerate(items)]


def test_gold_is_present():
    assert GOLD, "../shared/gold/000_a28bbd1fbba2924c.gold.json must sit beside the checkout"


def test_document(sample_report, sample_text):
    d = sample_report.to_dict()["document"]
    assert d["published"] == "2023-03-30"
    assert d["n_chars"] == len(sample_text)
    assert sample_report.to_dict()["schema"] == "warledger/1"


@pytest.mark.parametrize("gold", GOLD.get("claims", []), ids=_ids(GOLD.get("claims", []), "key"))
def test_claim(sample_report, gold):
    snippet = norm(gold["snippet"])
    candidates = [c for c in sample_report.claims if snippet in norm(c.sentence)]
    assert candidates, f"no claim in a sentence holding {gold['snippet']!r}"
    if gold["number"] is None:
        matches = [c for c in candidates if c.qualifier == "vague"]
    else:
        matches = [c for c in candidates if gold["number"] in (c.low, c.best, c.high)]
    assert matches, f"no claim with {gold['number']} near {gold['snippet']!r}: {[(c.low, c.best, c.high) for c in candidates]}"
    claim = matches[0]
    assert claim.category in gold["category"]
    if "qualifier" in gold:
        assert claim.qualifier == gold["qualifier"]
    if "bound" in gold:
        assert getattr(claim, gold["bound"]) == gold["number"]
    if "low_at_least" in gold:
        assert claim.low >= gold["low_at_least"]
    if "side" in gold:
        assert claim.side == gold["side"]
    if "source" in gold:
        assert source_is(sample_report, claim.source, gold["source"]), sample_report.source(claim.source)
    if "date_start" in gold:
        assert (claim.date_start, claim.date_end) == (gold["date_start"], gold["date_end"])
    if "date_precision" in gold:
        assert claim.date_precision == gold["date_precision"]
    if gold.get("hedged"):
        assert claim.hedge is not None


@pytest.mark.parametrize("gold", GOLD.get("assessments", []), ids=_ids(GOLD.get("assessments", []), "key"))
def test_assessment(sample_report, gold):
    found = [a for a in sample_report.assessments if norm(a.phrase) == norm(gold["phrase"])]
    assert found, gold["phrase"]
    a = next((a for a in found if norm(gold["statement_snippet"]) in norm(a.statement)), None)
    assert a is not None, [x.statement for x in found]
    assert a.standard == gold["standard"]
    assert (a.low, a.high) == pytest.approx((gold["low"], gold["high"]))
    assert source_is(sample_report, a.source, gold["source"])


@pytest.mark.parametrize("gold", GOLD.get("quotes", []), ids=_ids(GOLD.get("quotes", []), "snippet"))
def test_quote(sample_report, gold):
    quote = next((q for q in sample_report.quotes if norm(gold["snippet"]) in norm(q.text)), None)
    assert quote is not None, gold["snippet"]
    assert source_is(sample_report, quote.speaker, [gold["speaker"]]), sample_report.source(quote.speaker)
    start, end = quote.span
    assert sample_report.document.n_chars >= end > start


@pytest.mark.parametrize("gold", GOLD.get("sources", []), ids=_ids(GOLD.get("sources", []), "name"))
def test_source_kind_and_side(sample_report, gold):
    matching = [s for s in sample_report.sources if source_is(sample_report, s.id, [gold["name"]])]
    assert matching, f"{gold['name']} is not among the sources"
    assert any(s.kind == gold["kind"] and s.side == gold["side"] for s in matching), \
        [(s.name, s.kind, s.side) for s in matching]


def test_every_record_points_at_its_text(sample_report, sample_text):
    for claim in sample_report.claims:
        start, end = claim.span
        assert claim.sentence and sample_text[start:end].strip()
        assert sample_text[start:end] in claim.sentence
    for source in sample_report.sources:
        for start, end in source.spans:
            assert sample_text[start:end].strip()
    ids = {s.id for s in sample_report.sources}
    for record in [*sample_report.claims, *sample_report.assessments]:
        assert record.source is None or record.source in ids
    for quote in sample_report.quotes:
        assert quote.speaker is None or quote.speaker in ids
