"""Ingest throughput and memory of the ledger, against extraction alone, in one run.

    python bench/ingest.py [--n 10000] [--batch-size 64] [--workers 2]

Generates N short reports in the style of wire items and officials' posts
(strikes, shelling, clashes, protests in several wars; some exact copies under
another URL and some lightly edited reprints), then
1. extracts them all without a store (the baseline), and
2. ingests them into a new DuckDB ledger,
printing articles/s for both, their ratio, peak memory, and the resident
memory after each quarter of each phase: once batches are flushed the ledger
should add nothing that grows with the number of articles (what the
extractor's own caches add shows in the first phase). With --workers N, it
ingests them once more on N Dask workers and prints the writer's and each
worker's resident memory by quarter. Last, the writer alone: a new ledger fed
the reports phase 1 made, so its rate is what one writing process can absorb
from any number of workers (divided by one worker's extraction rate, how many
workers it can serve before it is the bottleneck).
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from warledger.model import Article
from warledger.pipeline import extractor, process
from warledger.store import Ledger

PLACES = [("Kherson", "UA"), ("Kharkiv", "UA"), ("Odesa", "UA"), ("Zaporizhzhia", "UA"), ("Sumy", "UA"),
          ("Kramatorsk", "UA"), ("Nikopol", "UA"), ("Belgorod", "RU"), ("El Fasher", "SD"), ("Omdurman", "SD"),
          ("Khan Younis", "PS"), ("Rafah", "PS"), ("Idlib", "SY"), ("Aleppo", "SY"), ("Mandalay", "MM"),
          ("Gao", "ML"), ("Tbilisi", "GE"), ("Nairobi", "KE")]
TEMPLATES = [
    "{attacker} shelled {place} on {day}, killing {n} civilians and wounding {m}, {source} said.",
    "A drone strike on {place} on {day} killed {n} people, {source} said on Telegram.",
    "Fighting continued near {place} on {day}, where {n} soldiers were killed, according to {source}.",
    "Thousands of protesters marched in {place} on {day} against the government, {source} said.",
    "Air defences shot down {m} drones over {place} overnight on {day}, {source} said.",
    "Police arrested {n} protesters in {place} on {day} after clashes, {source} said.",
]
ATTACKERS = ["Russian forces", "Ukrainian forces", "Israeli forces", "The RSF", "Government troops"]
SOURCES = ["the regional governor", "the health ministry", "the General Staff", "local officials",
           "the UN humanitarian office", "witnesses"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def generate(n: int, seed: int = 7) -> list[Article]:
    rng = random.Random(seed)
    start = date(2024, 1, 1)
    articles: list[Article] = []
    for i in range(n):
        roll = rng.random()
        if articles and roll < 0.05:  # the same text under another URL
            copy = rng.choice(articles[-200:])
            articles.append(Article(text=copy.text, published=copy.published, url=f"https://copy{i}.example/a"))
            continue
        if articles and roll < 0.10:  # a reprint with a line added
            copy = rng.choice(articles[-200:])
            articles.append(Article(text=copy.text + " Reporting by staff; editing by the desk.",
                                    published=copy.published, url=f"https://reprint{i}.example/a"))
            continue
        published = start + timedelta(days=rng.randrange(365))
        happened = published - timedelta(days=rng.randrange(3))
        place, _ = rng.choice(PLACES)
        text = rng.choice(TEMPLATES).format(
            attacker=rng.choice(ATTACKERS), place=place, day=WEEKDAYS[happened.weekday()],
            n=rng.randint(1, 30), m=rng.randint(2, 40), source=rng.choice(SOURCES))
        articles.append(Article(text=f"{text} Item {i}.", published=published, url=f"https://wire.example/{i}"))
    return articles


def resident_mb() -> float:
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--workers", type=int, default=1,
                        help="Also ingest on this many Dask workers, with each worker's memory by quarter.")
    args = parser.parse_args()
    articles = generate(args.n)
    list(process(articles[:8]))  # load the model before timing

    marks = {args.n * q // 4 for q in (1, 2, 3, 4)}
    baseline_quarters = []
    reports = {}
    started = time.perf_counter()
    for count, (article, report) in enumerate(zip(articles, process(iter(articles))), 1):
        reports[id(article)] = report
        if count in marks:
            baseline_quarters.append((count, resident_mb()))
    extract_rate = args.n / (time.perf_counter() - started)

    quarters = []
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.duckdb"
        started = time.perf_counter()
        with Ledger(db, extract=extractor()) as ledger:
            for count, _ in enumerate(ledger.ingest(iter(articles), batch_size=args.batch_size), 1):
                if count in marks:
                    quarters.append((count, resident_mb()))
            counts = {t: ledger.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                      for t in ("articles", "events", "incidents", "claims", "figures")}
        ingest_rate = args.n / (time.perf_counter() - started)
        size_mb = db.stat().st_size / 2**20
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    growth = quarters[-1][1] / quarters[1][1] if len(quarters) >= 2 else float("nan")
    parallel = on_workers(articles, args, marks) if args.workers > 1 else {}
    writer_rate = writer_alone(articles, reports, args)
    print(json.dumps({**parallel, "writer_alone_reports_per_s": round(writer_rate, 1),
                      "workers_one_writer_can_serve": round(writer_rate / extract_rate, 1), "articles": args.n, "extract_only_per_s": round(extract_rate, 1),
                      "ingest_per_s": round(ingest_rate, 1),
                      "ratio_ingest_to_extract": round(ingest_rate / extract_rate, 3),
                      "peak_rss_mb": round(peak_mb),
                      "rss_mb_by_articles_extract_only": [[c, round(m)] for c, m in baseline_quarters],
                      "rss_mb_by_articles": [[c, round(m)] for c, m in quarters],
                      "rss_growth_second_to_last_quarter": round(growth, 3), "ledger_mb": round(size_mb, 1),
                      "rows": counts}, indent=2))


def writer_alone(articles: list[Article], reports: dict[int, object], args) -> float:
    """Ingest with extraction already done: the reports/s one writer absorbs."""
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        with Ledger(Path(folder) / "writer.duckdb", extract=lambda batch: [reports[id(a)] for a in batch]) as ledger:
            for _ in ledger.ingest(iter(articles), batch_size=args.batch_size):
                pass
        return args.n / (time.perf_counter() - started)


def on_workers(articles: list[Article], args, marks: set[int]) -> dict:
    """Ingest again on Dask workers: the rate, and the writer's and each worker's resident memory after
    each quarter (#14: each flat, its last quarter within 5% of its first, and under 1 GB)."""
    from warledger.distributed import DaskExtractor

    writer, workers = [], []
    with tempfile.TemporaryDirectory() as folder, DaskExtractor(workers=args.workers) as dask:
        dask(articles[:8])  # workers up, pipeline loaded
        started = time.perf_counter()
        with Ledger(Path(folder) / "parallel.duckdb", extract=dask) as ledger:
            for count, _ in enumerate(ledger.ingest(iter(articles), batch_size=args.batch_size), 1):
                if count in marks:
                    writer.append((count, resident_mb()))
                    workers.append((count, sorted(dask.client.run(resident_mb).values())))
        rate = args.n / (time.perf_counter() - started)
    first, last = workers[0][1], workers[-1][1]
    return {"workers": args.workers, "ingest_per_s_on_workers": round(rate, 1),
            "writer_rss_mb_by_articles": [[c, round(m)] for c, m in writer],
            "worker_rss_mb_by_articles": [[c, [round(m) for m in ms]] for c, ms in workers],
            "worker_rss_last_to_first_quarter": [round(b / a, 3) for a, b in zip(first, last)],
            "writer_rss_last_to_first_quarter": round(writer[-1][1] / writer[0][1], 3)}


if __name__ == "__main__":
    main()
