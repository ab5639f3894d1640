"""Fixtures of the `guanxi` command's tests."""

import sqlite3
from contextlib import closing

import pytest


@pytest.fixture(scope="session")
def embedded_migrated_database(tmp_path_factory):
    """The SQLite file that `guanxi migrate` makes in embedded mode, made once per test session: a migrate
    from scratch in a subprocess costs 10-20 s (every migration), so the tests that need a migrated database
    get a copy of this one (`migrate_by_copy`). The command itself is checked here: if it fails, they fail."""
    from guanxi.tests.test_cli import _run

    data_dir = tmp_path_factory.mktemp("embedded-migrated")
    r = _run(["migrate"], {}, data_dir)
    assert r.returncode == 0, r.stdout + r.stderr
    database = data_dir / "guanxi.sqlite3"  # where embedded mode keeps it: in GUANXI_DATA_DIR
    assert database.is_file(), r.stdout + r.stderr
    return database


@pytest.fixture
def migrate_by_copy(embedded_migrated_database):
    """migrate_by_copy(data_dir): what `guanxi migrate` would leave in that data folder, copied with SQLite's
    backup API (whatever the journal mode; a database already there is replaced)."""

    def copy(data_dir) -> None:
        target = data_dir / embedded_migrated_database.name
        with (
            closing(sqlite3.connect(embedded_migrated_database)) as src,
            closing(sqlite3.connect(target)) as dst,
        ):
            src.backup(dst)

    return copy
