"""Throughput of `warledger extract` against bare spaCy, on the same texts and model, in one run.

    python bench/throughput.py [--n 200] [--shared ../shared]

Texts are real news articles: the LGL and GeoWebNews corpora in
../shared/eval (only their text is used here). Prints articles/s for bare
spaCy `nlp.pipe` and for the full pipeline (all stages and report building),
their ratio (target: 0.8 or more), the time each warledger stage takes, and
the time from process start to the first report for one article (target: 3 s).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path

import spacy

from warledger.model import Article
from warledger.pipeline import MODEL, load_nlp, process

ROOT = Path(__file__).resolve().parents[1]


def load_texts(shared: Path, n: int) -> list[str]:
    texts: list[str] = []
    for name in ("geoparse_lgl.jsonl", "geoparse_geowebnews.jsonl"):
        with (shared / "eval" / name).open(encoding="utf-8") as handle:
            for line in handle:
                texts.append(json.loads(line)["text"])
                if len(texts) >= n:
                    return texts
    return texts


def rate(n: int, seconds: float) -> float:
    return n / seconds if seconds else float("inf")


def time_to_first_report() -> float:
    sample = resources.files("warledger") / "data" / "examples" / "000_a28bbd1fbba2924c.txt"
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "warledger.cli", "extract", str(sample), "--published", "2023-03-30"],
                   check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="number of articles (default 200)")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--batch-size", type=int, default=16)
    args = parser.parse_args()

    texts = load_texts(args.shared, args.n)
    words = sum(len(t.split()) for t in texts)
    print(f"{len(texts)} articles, {words:,} words (LGL + GeoWebNews texts)")

    bare = spacy.load(MODEL)
    full = load_nlp()
    warm = texts[:5]
    list(bare.pipe(warm))
    list(process(Article(text=t) for t in warm))

    start = time.perf_counter()
    list(bare.pipe(texts, batch_size=args.batch_size))
    bare_s = time.perf_counter() - start

    start = time.perf_counter()
    reports = list(process((Article(text=t) for t in texts), batch_size=args.batch_size))
    full_s = time.perf_counter() - start

    bare_rate, full_rate = rate(len(texts), bare_s), rate(len(texts), full_s)
    print(f"bare spaCy nlp.pipe   {bare_rate:8.1f} articles/s  ({bare_s:.2f} s)")
    print(f"warledger pipeline    {full_rate:8.1f} articles/s  ({full_s:.2f} s)")
    print(f"ratio full/bare       {full_rate / bare_rate:8.3f}   (target >= 0.8)")
    print(f"records: {sum(len(r.claims) for r in reports)} claims, {sum(len(r.sources) for r in reports)} sources, "
          f"{sum(len(r.quotes) for r in reports)} quotes, {sum(len(r.dates) for r in reports)} dates")

    # each warledger stage on its own, over documents parsed once
    stages = [name for name in full.pipe_names if name.startswith("warledger_") and name != "warledger_paragraphs"]
    with full.select_pipes(disable=stages):
        docs = []
        for text in texts:
            doc = full.make_doc(text)
            doc._.wl_article = Article(text=text)
            docs.append(doc)
        docs = list(full.pipe(docs, batch_size=args.batch_size))
    print("per stage (share of bare spaCy time):")
    for name in stages:
        component = full.get_pipe(name)
        start = time.perf_counter()
        for doc in docs:
            component(doc)
        seconds = time.perf_counter() - start
        print(f"  {name:24s} {seconds:6.2f} s  {seconds / bare_s:6.1%}")

    print(f"time to first report (new process, one article): {time_to_first_report():.2f} s  (target <= 3 s)")


if __name__ == "__main__":
    main()
