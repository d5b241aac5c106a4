"""Syndication: one wire story reprinted by several outlets, found by MinHash.

Each article's text becomes word shingles and a MinHash signature
(datasketch). Banding the signature (locality-sensitive hashing) gives a few
hashes per article; articles that share a band hash are candidates, and a
candidate whose estimated Jaccard similarity passes the threshold puts the
new article in its syndication group. Bands live in the ledger, so grouping
works across runs without holding an index in memory.
"""
from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass

import numpy as np

from ..lexicon import load_yaml

WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Settings:
    shingle_words: int
    permutations: int
    bands: int
    threshold: float


@functools.cache
def settings() -> Settings:
    return Settings(**load_yaml("linking.yaml")["syndication"])


def signature(text: str) -> np.ndarray:
    """MinHash of the text's word shingles (lower-cased, punctuation ignored)."""
    from datasketch import MinHash

    conf = settings()
    words = WORD.findall(text.lower())
    size = conf.shingle_words
    shingles = {" ".join(words[i:i + size]) for i in range(max(1, len(words) - size + 1))}
    minhash = MinHash(num_perm=conf.permutations, seed=1)
    minhash.update_batch([s.encode("utf-8") for s in shingles])
    return minhash.hashvalues.astype(np.uint64)


def band_hashes(sig: np.ndarray) -> list[tuple[int, int]]:
    """(band, 64-bit hash) for each band of the signature."""
    conf = settings()
    rows = len(sig) // conf.bands
    out = []
    for band in range(conf.bands):
        # the band number is hashed in, so equal hashes mean the same band too
        digest = hashlib.blake2b(band.to_bytes(2, "little") + sig[band * rows:(band + 1) * rows].tobytes(),
                                 digest_size=8).digest()
        out.append((band, int.from_bytes(digest, "little", signed=True)))
    return out


def similarity(a, b) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.mean(np.asarray(a, dtype=np.uint64) == np.asarray(b, dtype=np.uint64)))


def assign_group(con, article_id: int, text: str) -> int:
    """Store the article's signature and bands; its syndication group (the first article of the story)."""
    sig = signature(text)
    bands = band_hashes(sig)
    group = article_id
    candidates = con.execute(
        "SELECT DISTINCT s.article_id, s.syndication_group, s.minhash FROM bands b "
        "JOIN signatures s USING (article_id) WHERE b.hash IN (SELECT unnest(?)) ORDER BY s.article_id",
        [[h for _, h in bands]]).fetchall()
    best = settings().threshold
    for _, candidate_group, minhash in candidates:
        score = similarity(sig, minhash)
        if score >= best:
            best, group = score, candidate_group
    con.execute("INSERT INTO signatures VALUES (?, ?, ?)", [article_id, group, sig.tolist()])
    con.execute("INSERT INTO bands SELECT unnest(?), unnest(?), ?",
                [[b for b, _ in bands], [h for _, h in bands], article_id])
    return group


def join_group_of(con, article_id: int, original_id: int) -> None:
    """An exact duplicate belongs to its original's group; it needs no bands of its own."""
    con.execute("INSERT INTO signatures SELECT ?, syndication_group, NULL FROM signatures WHERE article_id = ?",
                [article_id, original_id])
