"""Extraction on Dask workers: local worker processes, or a `dask.distributed` cluster you already run.

Each worker loads the spaCy pipeline and the gazetteer once (a worker plugin; `pipeline.load_nlp` is
cached per process, never pickled through the task graph) and extracts its share of a batch inside
`nlp.memory_zone()`, so its string store does not grow; it returns plain reports (`model.Report`),
not Docs. The caller (the ledger, in the client process) stays the one writer of the DuckDB file, so
idempotence, syndication, incidents and the resume after a kill behave as in one process. A task lost
with its worker is run again by Dask on another.
"""
from __future__ import annotations

import contextlib
import os

import dask
from distributed import Client, LocalCluster, WorkerPlugin

from .model import Article, Report

# How local workers start. Dask tells glibc to hand freed memory back at once (MALLOC_TRIM_THRESHOLD_
# 65536): spaCy allocates and frees so much that this made each worker extract 20% slower (11.5 vs
# 14.5 articles/s on LGL texts), so glibc's own adaptive threshold is kept. Dask's statistical profiler
# keeps 1,000 s of stack samples: a worker's memory grew 6.6% over 15,000 articles with it, 2% without.
WORKER_CONFIG = {"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
                 "distributed.worker.profile.enabled": False}
# the default `--workers`: a job stays in this process until it has passed this many articles; starting a
# worker per core and loading the pipeline in each takes about 6 s here, some 90 articles' extraction
START_WORKERS_AFTER = 256
# articles per task: small enough that two workers share a ledger batch (64), large enough that the
# task's overhead is small beside extracting it
TASK_ARTICLES = 32


class PipelineOnWorker(WorkerPlugin):
    """Load the pipeline and the gazetteer when a worker starts, not in its first task."""

    name = "warledger-pipeline"

    def setup(self, worker) -> None:
        from .gazetteer import gazetteer
        from .pipeline import load_nlp

        load_nlp()
        gazetteer()


def extract_articles(articles: list[Article]) -> list[Report]:
    """One task: reports for some articles, the worker's strings freed afterwards."""
    from .pipeline import load_nlp, process

    nlp = load_nlp()
    with nlp.memory_zone():
        return list(process(articles))


class Closing(contextlib.AbstractContextManager):
    """An extractor used in a `with` block: its workers stop at the end."""

    def __exit__(self, *exc) -> None:
        self.close()


class DaskExtractor(Closing):
    """A ledger's `extract` that sends articles to Dask workers and gives back their reports in order."""

    def __init__(self, workers: int | None = None, scheduler: str | None = None) -> None:
        if scheduler:
            self.cluster = None
            self.client = Client(scheduler)
        else:
            with dask.config.set(WORKER_CONFIG):
                self.cluster = LocalCluster(n_workers=workers or available_cores(), threads_per_worker=1,
                                            processes=True, dashboard_address=None)
            self.client = Client(self.cluster)
        self.client.register_plugin(PipelineOnWorker())
        self._started: dict[int, tuple] = {}  # id(article) -> (future, index in its task, round, article)
        self._round = 0

    def prefetch(self, articles: list[Article]) -> None:
        """Start extracting these articles now; a later call for them takes the reports (the ledger hands
        over its next batch while it writes this one). What two rounds back was never claimed (articles
        the ledger found it already held) is let go."""
        self._round += 1
        self._started = {k: v for k, v in self._started.items() if v[2] >= self._round - 1}
        self._submit(articles)

    def _submit(self, articles: list[Article]) -> None:
        for k in range(0, len(articles), TASK_ARTICLES):
            task = articles[k:k + TASK_ARTICLES]
            future = self.client.submit(extract_articles, task, pure=False)
            for index, article in enumerate(task):
                # the article itself is kept, so its id cannot be reused by another while it waits here
                self._started[id(article)] = (future, index, self._round, article)

    def __call__(self, articles: list[Article]) -> list[Report]:
        self._submit([a for a in articles if self._started.get(id(a), (None,) * 4)[3] is not a])
        wanted = [self._started.pop(id(a)) for a in articles]
        futures = list({id(future): future for future, *_ in wanted}.values())
        results = {id(future): reports for future, reports in zip(futures, self.client.gather(futures))}
        return [results[id(future)][index] for future, index, *_ in wanted]

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


class OnDemandExtractor(Closing):
    """The default of `--workers`: a small job (one file, a handful of articles) stays in this process,
    where starting workers would cost more than it saves; once the job has passed `start_after`
    articles, the rest go to a local Dask worker per core. Reports are the same either way."""

    def __init__(self, local, workers: int | None = None, start_after: int = START_WORKERS_AFTER,
                 on_start=None) -> None:
        self.local = local
        self.on_start = on_start  # told the number of workers as they start
        self.workers = workers or available_cores()
        self.start_after = start_after
        self.dask: DaskExtractor | None = None
        self._seen = 0

    def prefetch(self, articles: list[Article]) -> None:
        if self.dask is not None:
            self.dask.prefetch(articles)

    def __call__(self, articles: list[Article]) -> list[Report]:
        if self.dask is None and self.workers > 1 and self._seen >= self.start_after:
            if self.on_start:
                self.on_start(self.workers)
            self.dask = DaskExtractor(self.workers)
        self._seen += len(articles)
        return (self.dask or self.local)(articles)

    def close(self) -> None:
        if self.dask is not None:
            self.dask.close()


def available_cores() -> int:
    """The cores this process may run on (a container's or taskset's limit, not the machine's count)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1

