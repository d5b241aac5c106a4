"""Time and memory of `warledger extract` on one long article, against bare spaCy, in one run.

    python bench/long_article.py [--shared ../shared] [--sizes 125000,250000,500000,1000000]

The article is real news text (LGL and GeoWebNews articles from ../shared/eval, joined by blank
lines) cut to each size. Each size runs in a fresh process, so its peak resident memory is its own.
Prints, per size: seconds, characters per second, peak memory; then the ratio of the time per
character at the largest size to that at the smallest (1.0 is linear growth; the target is 1.3 or
less), and the largest size's time against bare spaCy `nlp.pipe` on the same parts in the same run.
Targets (issue #12): a 1 MB article in 20 s or less and under 1 GB.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import resource, sys, time
from datetime import date
from warledger.model import Article
from warledger.pipeline import load_nlp, process, split_long, PART_CHARS
text = open(sys.argv[1], encoding="utf-8").read()
mode = sys.argv[2]
nlp = load_nlp()
list(process([Article(text="Russian forces shelled Kherson.", id="warm", published=date(2024, 1, 1))]))
start = time.perf_counter()
if mode == "spacy":
    import spacy
    from warledger.pipeline import MODEL
    bare = spacy.load(MODEL)
    start = time.perf_counter()
    for _ in bare.pipe([part for _, part in split_long(text, PART_CHARS)], batch_size=16):
        pass
else:
    [report] = process([Article(text=text, id="long", published=date(2024, 1, 1))])
seconds = time.perf_counter() - start
print(seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def long_text(shared: Path, size: int) -> str:
    texts = []
    for name in ("geoparse_lgl.jsonl", "geoparse_geowebnews.jsonl"):
        with (shared / "eval" / name).open(encoding="utf-8") as handle:
            texts += [json.loads(line)["text"] for line in handle]
    joined = "\n\n".join(texts)
    while len(joined) < size:
        joined += "\n\n" + joined
    return joined[:size]


def run(path: Path, mode: str) -> tuple[float, float]:
    out = subprocess.run([sys.executable, "-c", CHILD, str(path), mode], capture_output=True, text=True, check=True)
    seconds, megabytes = map(float, out.stdout.split())
    return seconds, megabytes


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--sizes", default="125000,250000,500000,1000000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            path = Path(folder) / f"{size}.txt"
            path.write_text(long_text(args.shared, size), encoding="utf-8")
            seconds, megabytes = run(path, "warledger")
            rows.append((size, seconds, megabytes))
            print(f"{size:>9,} chars: {seconds:6.1f} s  {size / seconds:8,.0f} chars/s  peak {megabytes:6.0f} MB")
        bare_seconds, _ = run(path, "spacy")
    smallest, largest = rows[0], rows[-1]
    growth = (largest[1] / largest[0]) / (smallest[1] / smallest[0])
    print(f"time per character, {largest[0]:,} vs {smallest[0]:,} chars: {growth:.2f} (1.0 is linear; target 1.3 or less)")
    print(f"bare spaCy on the {largest[0]:,}-char text: {bare_seconds:.1f} s; warledger / spaCy: "
          f"{largest[1] / bare_seconds:.2f}")
    print(f"targets for 1,000,000 chars: 20 s or less ({largest[1]:.1f} s), under 1,024 MB ({largest[2]:.0f} MB)")


if __name__ == "__main__":
    main()
