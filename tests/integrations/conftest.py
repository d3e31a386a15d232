"""One local Spark session for the Spark tests (``local[2]``, UTC, no UI).

Building a session costs seconds, so the whole test session shares one. The tests are
marked ``spark`` (``-m "not spark"`` leaves them out of a quick local run); they are
skipped only where pyspark is not installed, and never in CI (``CI`` set), which installs
the ``spark`` extra and a Java runtime: there a missing pyspark fails the run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """A local Spark session: two cores, two shuffle partitions, session time zone UTC."""
    if os.environ.get("CI"):
        import pyspark.sql as sql  # CI must run these tests: no skipping there
    else:
        sql = pytest.importorskip(
            "pyspark.sql", reason='pyspark is not installed (pip install "funnelkit[spark]")'
        )
    session = (
        sql.SparkSession.builder.master("local[2]")
        .appName("funnelkit-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
