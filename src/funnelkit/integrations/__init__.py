"""Run funnelkit where the data already is: one sub-module per outside engine.

``funnelkit.integrations.spark`` runs a policy on Apache Spark as one Spark SQL query
(the ``spark`` extra: ``pip install "funnelkit[spark]"``). Each sub-module imports its
engine lazily, so importing this package needs nothing beyond funnelkit.

Examples:
    >>> import funnelkit.integrations.spark as on_spark
    >>> sorted(on_spark.__all__)
    ['evaluate', 'qualify', 'to_spark']
"""

from __future__ import annotations

__all__: list[str] = []
