"""Ingest on Dask workers: the ledger after a parallel run holds what a serial run of the same input
holds (ids aside), and a worker killed mid-run loses nothing."""
from __future__ import annotations

import os
import signal
from pathlib import Path

import duckdb
from typer.testing import CliRunner

from warledger.cli import app

FIXTURES = Path(__file__).parent / "fixtures" / "ledger"
MIXED = [FIXTURES / "enerhodar.jsonl", FIXTURES / "unrelated.jsonl", FIXTURES / "disputes.jsonl",
         FIXTURES / "bakhmut.jsonl"]  # copies, reprints, incidents told by several sources, unrelated events


def content(db: Path) -> dict:
    """What a ledger holds, by identities rather than ids: articles, records, incidents and figures as
    groups of the records they join."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        def groups(sql: str) -> list:
            return sorted(sorted(map(tuple, members)) for (members,) in con.execute(sql).fetchall())

        return {
            "articles": sorted(con.execute("SELECT identity, text_sha256, duplicate_of IS NOT NULL FROM articles"
                                           ).fetchall()),
            "events": sorted(con.execute("SELECT a.identity, e.event_id, e.sub_event_type, e.location, e.fatalities, "
                                         "e.source FROM events e JOIN articles a USING (article_id)").fetchall()),
            "claims": sorted(con.execute("SELECT a.identity, c.claim_id, c.category, c.best FROM claims c "
                                         "JOIN articles a USING (article_id)").fetchall()),
            "incidents": groups("SELECT list([a.identity, m.event_id]) FROM mentions m JOIN articles a "
                                "USING (article_id) GROUP BY m.incident_id"),
            "figures": groups("SELECT list([a.identity, f.claim_id]) FROM figure_claims f JOIN articles a "
                              "USING (article_id) GROUP BY f.figure_id"),
            "stories": groups("SELECT list([a.identity]) FROM signatures s JOIN articles a USING (article_id) "
                              "GROUP BY s.syndication_group"),
        }
    finally:
        con.close()


def ingest(db: Path, *options) -> None:
    result = CliRunner().invoke(app, ["ingest", *map(str, MIXED), "--db", str(db), "--batch-size", "8", *options])
    assert result.exit_code == 0, result.output


def test_two_local_workers_make_the_same_ledger_as_one_process(tmp_path):
    serial, parallel = tmp_path / "serial.duckdb", tmp_path / "parallel.duckdb"
    ingest(serial)
    ingest(parallel, "--workers", "2")
    assert content(parallel) == content(serial)
    assert content(serial)["incidents"]  # the comparison is about something
    again = CliRunner().invoke(app, ["ingest", *map(str, MIXED), "--db", str(parallel), "--workers", "2"])
    assert again.exit_code == 0 and "31 known" in again.stderr, again.stderr  # nothing extracted again
    assert content(parallel) == content(serial)


def test_a_worker_killed_mid_run_loses_nothing(tmp_path):
    """Dask runs a dead worker's tasks again on the other: the ledger equals a serial one, nothing lost or
    doubled."""
    from warledger import distributed
    from warledger.io.readers import read_inputs
    from warledger.model import Article
    from warledger.store import Ledger

    serial, parallel = tmp_path / "serial.duckdb", tmp_path / "parallel.duckdb"
    ingest(serial)
    articles = [a for a in read_inputs(list(map(str, MIXED))) if isinstance(a, Article)]
    with distributed.DaskExtractor(workers=2) as dask:
        victim = list(dask.client.run(os.getpid).values())[0]
        killed = []

        def extract_killing_a_worker(batch):
            if killed:
                return dask(batch)
            futures = dask.client.map(distributed.extract_articles, [batch[k:k + 2] for k in range(0, len(batch), 2)],
                                      pure=False)
            os.kill(victim, signal.SIGKILL)  # a worker dies while its tasks are out
            killed.append(victim)
            return [report for reports in dask.client.gather(futures) for report in reports]

        with Ledger(parallel, extract=extract_killing_a_worker) as ledger:
            outcomes = list(ledger.ingest(articles, batch_size=8))
    assert killed and len(outcomes) == len(articles)
    assert content(parallel) == content(serial)


def test_extract_on_two_workers_gives_the_same_reports_in_order(tmp_path, monkeypatch):
    from warledger.cli import extract

    monkeypatch.setattr(extract, "EXTRACT_BATCH", 4)  # many batches, each started while the one before is written
    serial = CliRunner().invoke(app, ["extract", *map(str, MIXED), "--format", "jsonl"])
    parallel = CliRunner().invoke(app, ["extract", *map(str, MIXED), "--format", "jsonl", "--workers", "2"])
    assert serial.exit_code == 0 and parallel.exit_code == 0, parallel.output
    assert parallel.stdout == serial.stdout and serial.stdout.count("\n") == 31


def test_the_default_stays_in_process_for_a_small_job_and_starts_workers_for_a_big_one():
    from warledger.distributed import OnDemandExtractor
    from warledger.model import Article
    from warledger.pipeline import extractor

    articles = [Article(text=f"Russian forces shelled Kherson on Monday, killing {n} civilians, officials said.",
                        id=f"a{n}") for n in range(1, 13)]
    started = []
    with OnDemandExtractor(extractor(), workers=2, start_after=8, on_start=started.append) as on_demand:
        first = on_demand(articles[:8])
        assert on_demand.dask is None and not started  # 8 articles: still in this process
        rest = on_demand(articles[8:])
        assert on_demand.dask is not None and started == [2]
    serial = extractor()(articles)
    assert [r.to_dict() for r in first + rest] == [r.to_dict() for r in serial]
    assert [c["best"] for r in rest for c in r.to_dict()["claims"]] == [9, 10, 11, 12]
