"""Schema versions: numbered SQL migrations applied in order, each in its own transaction.

A ledger records the versions it has; opening an older file brings it up to
date. A file newer than this program is refused rather than misread.
"""
from __future__ import annotations

from importlib import resources

import duckdb


class SchemaError(RuntimeError):
    pass


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, SQL) for every migration shipped, in order."""
    folder = resources.files("warledger.store") / "migrations"
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            version = int(entry.name.split("_", 1)[0])
            found.append((version, entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


LATEST = migrations()[-1][0]


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
                         ).fetchone()[0]
    if not exists:
        return 0
    return con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0]


def check_version(con: duckdb.DuckDBPyConnection) -> int:
    """The file's schema version; an error if this warledger is too old to read it, or it needs migrating."""
    version = current_version(con)
    if version > LATEST:
        raise SchemaError(f"this ledger has schema version {version}, newer than this warledger ({LATEST}); "
                          "upgrade warledger to open it")
    return version


def migrate(con: duckdb.DuckDBPyConnection, target: int | None = None) -> list[str]:
    """Apply the migrations this file lacks (up to `target`); the names applied."""
    target = LATEST if target is None else target
    version = check_version(con)
    applied = []
    for number, name, sql in migrations():
        if number <= version or number > target:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute("CREATE TABLE IF NOT EXISTS schema_migrations "
                        "(version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)")
            con.execute(sql)
            con.execute("INSERT INTO schema_migrations VALUES (?, ?, current_timestamp)", [number, name])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied
