"""Extraction on Dask workers: local worker processes, or a `dask.distributed` cluster you already run.

Each worker loads the spaCy pipeline and the gazetteer once (a worker plugin; `pipeline.load_nlp` is
cached per process, never pickled through the task graph) and extracts its share of a batch inside
`nlp.memory_zone()`, so its string store does not grow; it returns plain reports (`model.Report`),
not Docs. The caller (the ledger, in the client process) stays the one writer of the DuckDB file, so
idempotence, syndication, incidents and the resume after a kill behave as in one process. A task lost
with its worker is run again by Dask on another.
"""
from __future__ import annotations

import os
from distributed import Client, LocalCluster, WorkerPlugin

from .model import Article, Report

# articles per task: small enough that two workers share a ledger batch (64), large enough that the
# task's overhead is small beside extracting it
TASK_ARTICLES = 16


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


class DaskExtractor:
    """A ledger's `extract` that sends articles to Dask workers and gives back their reports in order."""

    def __init__(self, workers: int | None = None, scheduler: str | None = None) -> None:
        if scheduler:
            self.cluster = None
            self.client = Client(scheduler)
        else:
            self.cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1,
                                        processes=True, dashboard_address=None)
            self.client = Client(self.cluster)
        self.client.register_plugin(PipelineOnWorker())

    def __call__(self, articles: list[Article]) -> list[Report]:
        tasks = [articles[k:k + TASK_ARTICLES] for k in range(0, len(articles), TASK_ARTICLES)]
        futures = self.client.map(extract_articles, tasks, pure=False)
        return [report for reports in self.client.gather(futures) for report in reports]

    def workers(self) -> int:
        return len(self.client.scheduler_info()["workers"])

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def __enter__(self) -> DaskExtractor:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
