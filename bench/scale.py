"""Extract and ingest with 1 and with 2 workers, on the same real articles, in one run.

    python bench/scale.py [--n 2000] [--shared ../shared]

The articles are real news texts (LGL and GeoWebNews in ../shared/eval), repeated with a reference
line added until there are --n of them (so none is an exact copy, which the ledger would not extract
again). Prints articles/s for: extraction alone and ingest, each with 1 worker (this process, no Dask)
and 2 Dask workers; then the ratios issue #14 sets goals for: 2 workers against 1 (1.7 or more) and
ingest against extraction alone with the same workers (0.85 or more). Last, the writer alone (a
ledger fed the reports the 1-worker run made): the reports/s one writing process absorbs, and so how
many workers it can serve before it is the bottleneck.
"""
from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from warledger.distributed import DaskExtractor
from warledger.model import Article
from warledger.pipeline import extractor, load_nlp
from warledger.store import Ledger

ROOT = Path(__file__).resolve().parents[1]


def articles(shared: Path, n: int) -> list[Article]:
    texts = []
    for name in ("geoparse_lgl.jsonl", "geoparse_geowebnews.jsonl"):
        with (shared / "eval" / name).open(encoding="utf-8") as handle:
            texts += [json.loads(line)["text"] for line in handle]
    return [Article(text=f"{texts[k % len(texts)]}\n\nReference {k}.", id=f"bench-{k}") for k in range(n)]


def rate(n: int, seconds: float) -> float:
    return n / max(seconds, 1e-9)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    items = articles(args.shared, args.n)
    load_nlp()
    rates = {}
    made = {}
    with tempfile.TemporaryDirectory() as folder:
        for workers in (1, 2):
            dask = DaskExtractor(workers=2) if workers == 2 else None
            extract = dask or extractor()
            try:
                if dask is not None:
                    extract(items[:8])  # the workers are up and have loaded the pipeline
                start = time.perf_counter()
                batches = [items[k:k + 64] for k in range(0, len(items), 64)]
                for k, batch in enumerate(batches):  # as `warledger extract` does: the next batch started early
                    if dask is not None and k + 1 < len(batches):
                        dask.prefetch(batches[k + 1])
                    for article, report in zip(batch, extract(batch)):
                        made[id(article)] = report
                rates[("extract", workers)] = rate(len(items), time.perf_counter() - start)
                start = time.perf_counter()
                with Ledger(Path(folder) / f"ledger-{workers}.duckdb", extract=extract) as ledger:
                    for _ in ledger.ingest(items, batch_size=64):
                        pass
                rates[("ingest", workers)] = rate(len(items), time.perf_counter() - start)
            finally:
                if dask is not None:
                    dask.close()
            print(f"{workers} worker(s): extract {rates[('extract', workers)]:.1f} articles/s, "
                  f"ingest {rates[('ingest', workers)]:.1f} articles/s")
        start = time.perf_counter()
        with Ledger(Path(folder) / "writer.duckdb", extract=lambda batch: [made[id(a)] for a in batch]) as ledger:
            for _ in ledger.ingest(items, batch_size=64):
                pass
        writer = rate(len(items), time.perf_counter() - start)
    print(f"writer alone: {writer:.1f} reports/s, {writer / rates[('extract', 1)]:.1f}x one worker's extraction")
    print(f"2 workers / 1 worker: extract {rates[('extract', 2)] / rates[('extract', 1)]:.2f}, "
          f"ingest {rates[('ingest', 2)] / rates[('ingest', 1)]:.2f} (goal 1.7 or more)")
    print(f"ingest / extraction alone: 1 worker {rates[('ingest', 1)] / rates[('extract', 1)]:.2f}, "
          f"2 workers {rates[('ingest', 2)] / rates[('extract', 2)]:.2f} (goal 0.85 or more)")


if __name__ == "__main__":
    main()
