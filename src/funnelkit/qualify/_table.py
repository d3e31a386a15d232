"""``qualify_frame``: the public face of the polars qualification (polars imported lazily)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from funnelkit.errors import MissingExtraError
from funnelkit.qualify._policy import Policy

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl

__all__ = ["qualify_frame"]


def qualify_frame(
    leads: pl.DataFrame | pl.LazyFrame,
    signals: pl.DataFrame | pl.LazyFrame | None,
    policy: Policy,
    *,
    as_of: datetime,
) -> pl.DataFrame | pl.LazyFrame:
    """Qualify every lead of a table in polars: ``qualify`` per row, cell for cell.

    Args:
        leads: The leads table of the contract (see ``funnelkit.io.leads_to_tables`` and
            ``funnelkit.io.read_tables``): an ``id`` column, dotted-path fact columns,
            and optionally ``stage`` and ``stage_entered_at``.
        signals: The signals table (``lead_id, kind, occurred_at, explicit, value``);
            ``None``: no lead has signals.
        policy: The policy.
        as_of: The instant "now" means (timezone-aware).

    Returns:
        One row per lead, the columns of ``result_row``: ``lead_id``, ``policy``,
        ``stage``, ``stage_label``, ``rule_stage``, ``fit``, ``fit_grade``,
        ``engagement``, ``engagement_grade``, ``segment``, ``priority`` and
        ``priority_grade`` (under a policy with a priority), ``gate_<stage>`` and
        ``<framework>_<criterion>`` (true / false / null for unknown), ``<framework>_met``,
        ``expired_evidence`` and ``foreign_stage``. A lazy frame in gives a lazy frame
        out (``scan_parquet(...)`` in, ``sink_parquet(...)`` out streams).

    Raises:
        UnsupportedRuleError: The policy holds what the columnar engines cannot run
            (custom Python rules, minimum gaps between signals).
        RuleEvaluationError: A ``unique`` decision table matched twice for a lead.
        TypeError: ``as_of`` is not a timezone-aware datetime.
        MissingExtraError: polars is not installed (``pip install "funnelkit[polars]"``).

    Examples:
        >>> from funnelkit.data import DEMO_AS_OF, load_demo
        >>> from funnelkit.io import leads_to_tables
        >>> from funnelkit.qualify import STARTER
        >>> tables = leads_to_tables(load_demo()[:3])
        >>> frame = qualify_frame(tables.leads, tables.signals, STARTER, as_of=DEMO_AS_OF)
        >>> frame.select("lead_id", "stage", "fit", "fit_grade").rows()[0]
        ('L-00001', 'inquiry', Decimal('17.0000'), 'D')
    """
    try:
        import polars  # noqa: F401
    except ImportError as err:  # pragma: no cover - exercised without polars
        raise MissingExtraError("polars", "polars") from err
    from funnelkit.qualify._frame import frame_qualify

    return frame_qualify(leads, signals, policy, as_of=as_of)
