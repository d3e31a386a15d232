"""A throwaway PostgreSQL server for the tests, and the table contract loaded into it.

The server comes from the ``pgserver`` package (PostgreSQL's own binaries in a wheel,
brought by the ``dev`` extra); psycopg 3 talks to it over a Unix socket in the server's
temporary data directory, so nothing listens on a network port. ``tests/conftest.py``
starts one per test process that asks for it (the ``postgres`` fixture) and stops it,
deleting its data, when the process ends.

``load`` writes the polars tables of ``funnelkit.io.leads_to_tables`` as temporary
tables with the types a warehouse would hold: ``numeric(p, s)`` for amounts,
``timestamptz`` for instants, ``text[]`` for sets, ``boolean``, ``bigint``, ``double
precision``, ``date`` and ``text``.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest

__all__ = ["database", "server", "load", "pg_type", "rows"]


@contextlib.contextmanager
def server() -> Iterator[str]:
    """Start a PostgreSQL server in a new temporary directory; yield its connection URI.

    The server runs as an unprivileged user when the tests run as root (PostgreSQL
    refuses root): ``pgserver`` makes one, and opens the directory's parents to it. So
    the directory is not under pytest's own temporary folder, which pytest keeps closed
    to other users. The server is stopped, and its data deleted, on exit.
    """
    with warnings.catch_warnings():
        # platformdirs warns at import when XDG_RUNTIME_DIR is unset (a container, CI)
        warnings.simplefilter("ignore")
        import pgserver

    base = Path(tempfile.mkdtemp(prefix="funnelkit-postgres-"))
    try:
        handle = pgserver.get_server(base / "data", cleanup_mode="delete")
        try:
            yield handle.get_uri()
        finally:
            handle.cleanup()
    finally:
        shutil.rmtree(base, ignore_errors=True)


@contextlib.contextmanager
def database(*, required: bool) -> Iterator[Any]:
    """A psycopg connection (autocommit, time zone UTC) to a fresh database on ``server()``.

    The database sorts and compares texts by code point (``C`` collation and character
    type), as Python does. Where ``pgserver`` or ``psycopg`` is missing, or the server
    cannot start, the test is skipped, unless ``required`` (CI), where the error stands.
    """
    try:
        import psycopg

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs, when XDG_RUNTIME_DIR is unset
            import pgserver  # noqa: F401
    except ImportError as err:
        if required:
            raise
        pytest.skip(f'{err.name} is not installed (pip install -e ".[dev]")')
    with contextlib.ExitStack() as stack:
        try:
            uri = stack.enter_context(server())
        except (OSError, subprocess.SubprocessError) as err:
            if required:
                raise
            pytest.skip(f"no PostgreSQL server could be started: {err}")
        with psycopg.connect(uri, autocommit=True) as admin:
            # a throwaway server: nothing needs to survive a crash, so no disk flushes
            for setting in ("fsync", "synchronous_commit", "full_page_writes"):
                admin.execute(f"ALTER SYSTEM SET {setting} = off")
            admin.execute("SELECT pg_reload_conf()")
            admin.execute(
                "CREATE DATABASE funnelkit TEMPLATE template0 ENCODING 'UTF8' "
                "LC_COLLATE 'C' LC_CTYPE 'C'"
            )
        with psycopg.connect(uri, dbname="funnelkit", autocommit=True) as connection:
            connection.execute("SET TIME ZONE 'UTC'")
            yield connection


def pg_type(dtype: pl.DataType) -> str:
    """The PostgreSQL type of a polars column of the table contract."""
    if isinstance(dtype, pl.List):
        return f"{pg_type(dtype.inner)}[]"
    if isinstance(dtype, pl.Decimal):
        return f"numeric({dtype.precision or 38},{dtype.scale or 0})"
    if isinstance(dtype, pl.Datetime):
        return "timestamptz" if dtype.time_zone else "timestamp"
    simple = {
        pl.String: "text",
        pl.Boolean: "boolean",
        pl.Int64: "bigint",
        pl.Int32: "bigint",
        pl.Int16: "bigint",
        pl.Int8: "bigint",
        pl.UInt32: "bigint",
        pl.UInt16: "bigint",
        pl.UInt8: "bigint",
        pl.Float64: "double precision",
        pl.Float32: "double precision",
        pl.Date: "date",
        pl.Null: "text",
    }
    for kind, name in simple.items():
        if dtype == kind:
            return name
    raise TypeError(f"no PostgreSQL type for a {dtype} column")


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def load(connection: Any, name: str, frame: pl.DataFrame) -> None:
    """Create the temporary table ``name`` with ``frame``'s columns and copy its rows in."""
    columns = ", ".join(f"{_quoted(c)} {pg_type(t)}" for c, t in frame.schema.items())
    connection.execute(f"CREATE TEMPORARY TABLE {_quoted(name)} ({columns})")
    if not frame.height:
        return
    names = ", ".join(_quoted(c) for c in frame.columns)
    with connection.cursor().copy(f"COPY {_quoted(name)} ({names}) FROM STDIN") as copy:
        for row in frame.iter_rows():
            copy.write_row(row)


def rows(connection: Any, query: str) -> list[dict[str, Any]]:
    """The rows of ``query``, as dicts keyed by column name in the query's order."""
    cursor = connection.execute(query)
    names = [column.name for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
