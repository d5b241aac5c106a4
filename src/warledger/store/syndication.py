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


def assign_groups(con, articles: list[tuple[int, str]], duplicates: list[tuple[int, int]]) -> dict[int, int]:
    """Syndication groups for a batch of new articles (in order) and of exact duplicates; stored with
    their signatures and bands. A new article joins the group of its most similar earlier article
    above the threshold, else starts its own."""
    signatures = {aid: signature(text) for aid, text in articles}
    bands = {aid: band_hashes(sig) for aid, sig in signatures.items()}
    wanted = sorted({h for rows in bands.values() for _, h in rows})
    earlier: dict[int, list[tuple[int, int, object]]] = {}
    if wanted:
        for band_hash, aid, group, minhash in con.execute(
                "SELECT b.hash, s.article_id, s.syndication_group, s.minhash FROM bands b "
                "JOIN signatures s USING (article_id) WHERE b.hash IN (SELECT unnest(?)) ORDER BY s.article_id",
                [wanted]).fetchall():
            earlier.setdefault(band_hash, []).append((aid, group, minhash))
    threshold = settings().threshold
    groups: dict[int, int] = {}
    for aid, _ in articles:
        sig, best, group = signatures[aid], threshold, aid
        seen = set()
        for _, band_hash in bands[aid]:
            for other, other_group, minhash in earlier.get(band_hash, []):
                if other in seen:
                    continue
                seen.add(other)
                score = similarity(sig, minhash)
                if score >= best:
                    best, group = score, other_group
        groups[aid] = group
        for _, band_hash in bands[aid]:
            earlier.setdefault(band_hash, []).append((aid, group, sig))
    originals = [original for _, original in duplicates if original not in groups]
    if originals:
        groups.update(con.execute("SELECT article_id, syndication_group FROM signatures "
                                  "WHERE article_id IN (SELECT unnest(?))", [originals]).fetchall())
    for aid, original in duplicates:
        groups[aid] = groups.get(original, original)
    rows = [(aid, groups[aid], signatures[aid].tolist()) for aid, _ in articles]
    rows += [(aid, groups[aid], None) for aid, _ in duplicates]
    if rows:
        con.execute("INSERT INTO signatures SELECT unnest(?), unnest(?), unnest(?)",
                    [[r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]])
    band_rows = [(band, band_hash, aid) for aid, hashes in bands.items() for band, band_hash in hashes]
    if band_rows:
        con.execute("INSERT INTO bands SELECT unnest(?), unnest(?), unnest(?)",
                    [[r[0] for r in band_rows], [r[1] for r in band_rows], [r[2] for r in band_rows]])
    return groups
