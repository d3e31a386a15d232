"""Strategies for what is known about a lead: evidence, BANT, signals, and the ICP."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from funnelkit.model import (
    BANT,
    COUNTRY_CODES,
    ICP_CRITERIA,
    STANDARD_SIGNAL_KINDS,
    Authority,
    AuthorityLevel,
    Band,
    Budget,
    BudgetStatus,
    Evidence,
    Exclusions,
    IdealCustomerProfile,
    Need,
    PainPoint,
    Seniority,
    Severity,
    Signal,
    Timeline,
)
from funnelkit.testing import _primitives as p
from funnelkit.testing._who import money

__all__ = ["evidence", "bants", "signals", "icps"]

_CRITERIA = tuple(sorted(ICP_CRITERIA))
_COUNTRIES = tuple(sorted(COUNTRY_CODES))
_MAX_DATE = p.MAX_DATETIME.date()
# Leave room for two years of validity after the last assertion.
_LAST_ASSERTION = p.MAX_DATETIME.replace(year=p.MAX_DATETIME.year - 2)


def evidence(*, complete: bool = False) -> SearchStrategy[Evidence]:
    """Generate valid [`Evidence`][funnelkit.model.Evidence].

    When both are present, ``expires_at`` is never before ``asserted_at``.

    Args:
        complete: Fill every field. By default each is missing about half of the time.

    Returns:
        A strategy for `Evidence`.

    Examples:
        ```python
        from hypothesis import given
        from funnelkit.testing import aware_datetimes, evidence

        @given(evidence(), aware_datetimes())
        def test_no_expiry_is_always_current(ev, as_of):
            if ev.expires_at is None:
                assert ev.is_current(as_of)
        ```
    """
    return _evidence(maybe=p.Maybe(complete=complete))


@st.composite
def _evidence(draw: st.DrawFn, *, maybe: p.Maybe) -> Evidence:
    asserted_at = draw(maybe(p.aware_datetimes(max_value=_LAST_ASSERTION)))
    if asserted_at is None:
        expires = maybe(p.aware_datetimes())
    else:
        expires = maybe(
            st.builds(
                lambda d, tz: (asserted_at + d).astimezone(tz), p.timedeltas(730), p.offsets()
            )
        )
    return Evidence(
        source=draw(maybe(p.text_from(("discovery call", "web form", "enrichment", "rep")))),
        asserted_at=asserted_at,
        confidence=draw(maybe(st.floats(min_value=0, max_value=1))),
        expires_at=draw(expires),
    )


def bants(*, complete: bool = False) -> SearchStrategy[BANT]:
    """Generate valid [`BANT`][funnelkit.model.BANT] assessments.

    Args:
        complete: Know everything: no ``unknown`` status or level, an amount, at least one
            pain point, a decision date and a horizon, evidence everywhere. By default
            every part is often unknown, as early in a sales cycle.

    Returns:
        A strategy for `BANT`.

    Examples:
        ```python
        from hypothesis import given
        from funnelkit.model import BudgetStatus
        from funnelkit.testing import bants

        @given(bants(complete=True))
        def test_complete_budget_is_known(bant):
            assert bant.budget.status is not BudgetStatus.UNKNOWN
        ```
    """
    maybe = p.Maybe(complete=complete)
    proof = maybe(evidence(complete=complete))
    statuses = [s for s in BudgetStatus if not (complete and s is BudgetStatus.UNKNOWN)]
    levels = [a for a in AuthorityLevel if not (complete and a is AuthorityLevel.UNKNOWN)]
    budget = st.builds(
        Budget,
        status=st.sampled_from(statuses),
        amount=maybe(money(max_amount=10**8)),
        period=maybe(p.text_from(("annual", "one-off", "FY2027"))),
        evidence=proof,
    )
    authority = st.builds(
        Authority,
        level=st.sampled_from(levels),
        decided_by=maybe(p.text_from(("CFO", "VP Sales", "procurement"))),
        evidence=proof,
    )
    pain = st.builds(
        PainPoint,
        description=p.text_from(("manual reporting", "slow onboarding", "data silos")),
        severity=st.sampled_from(Severity),
    )
    need = st.builds(
        Need,
        pain_points=st.lists(pain, min_size=int(complete), max_size=3),
        evidence=proof,
    )
    timeline = st.builds(
        Timeline,
        decision_date=maybe(st.dates(min_value=p.MIN_DATETIME.date(), max_value=_MAX_DATE)),
        horizon_days=maybe(st.integers(min_value=0, max_value=730)),
        catalysing_event=maybe(p.text_from(("contract renewal", "audit", "new CRO"))),
        evidence=proof,
    )
    return st.builds(BANT, budget=budget, authority=authority, need=need, timeline=timeline)


def signals(
    *,
    complete: bool = False,
    kinds: Iterable[str] | None = None,
    times: SearchStrategy[datetime] | None = None,
    attribute_values: SearchStrategy[object] | None = None,
) -> SearchStrategy[Signal]:
    """Generate valid [`Signal`][funnelkit.model.Signal]s.

    Args:
        complete: Fill every optional field (channel, source, value, attributes).
        kinds: The kinds to draw from; the standard
            [`SignalKind`][funnelkit.model.SignalKind] values plus arbitrary text by default.
        times: A strategy for ``occurred_at``; `aware_datetimes()` by default.
        attribute_values: A strategy for the values in ``attributes``; by default every
            scalar the model accepts (``None``, bool, int, float, str, ``Decimal``, date).

    Returns:
        A strategy for `Signal`.

    Raises:
        InvalidArgument: ``kinds`` is empty or holds a blank string.

    Examples:
        ```python
        from hypothesis import given
        from funnelkit.testing import signals

        @given(signals(kinds={"demo_request", "pricing_page_view"}))
        def test_only_chosen_kinds(signal):
            assert signal.kind in {"demo_request", "pricing_page_view"}
        ```
    """
    chosen = p.vocabulary("kinds", kinds)
    kind = (
        st.sampled_from(chosen)
        if chosen
        else st.sampled_from(sorted(STANDARD_SIGNAL_KINDS)) | p.keys()
    )
    maybe = p.Maybe(complete=complete)
    attributes = p.attribute_maps(attribute_values, min_size=int(complete))
    return st.builds(
        Signal,
        kind=kind,
        occurred_at=p.aware_datetimes() if times is None else times,
        channel=maybe(p.text_from(p.CHANNELS)),
        source=maybe(p.text_from(("website", "marketo", "salesforce", "webinar_q3"))),
        explicit=st.booleans(),
        value=maybe(st.integers(0, 10**6) | st.floats(allow_nan=False, allow_infinity=False)),
        attributes=attributes,
    )


def icps(*, complete: bool = False) -> SearchStrategy[IdealCustomerProfile]:
    """Generate valid [`IdealCustomerProfile`][funnelkit.model.IdealCustomerProfile]s.

    Bands always have ``low <= high``; countries are ISO codes; ``must_have`` and
    ``weights`` only name criteria from [`ICP_CRITERIA`][funnelkit.model.ICP_CRITERIA].

    Args:
        complete: Constrain every criterion and give explicit weights. By default each
            criterion is often empty ("any"), and the default weights are common.

    Returns:
        A strategy for `IdealCustomerProfile`.

    Examples:
        ```python
        from hypothesis import given
        from funnelkit.testing import icps

        @given(icps(complete=True))
        def test_complete_profiles_constrain_everything(icp):
            assert len(icp.criteria) == 9
        ```
    """
    size = int(complete)
    head_counts = st.integers(min_value=0, max_value=100_000)
    revenues = p.amounts(max_value=10**10)
    exclusions = st.builds(
        Exclusions,
        industries=st.frozensets(p.text_from(p.INDUSTRIES), max_size=2),
        countries=st.frozensets(st.sampled_from(_COUNTRIES), max_size=2),
        domains=st.frozensets(p.domains(), max_size=2),
        tags=st.frozensets(p.text_from(p.TAGS), max_size=2),
        technologies=st.frozensets(p.text_from(p.TECHNOLOGIES), max_size=2),
    )
    weights = st.dictionaries(
        st.sampled_from(_CRITERIA), st.integers(-50, 50), min_size=size, max_size=len(_CRITERIA)
    )
    return st.builds(
        IdealCustomerProfile,
        name=p.text_from(("mid-market SaaS", "enterprise", "SMB EMEA")),
        industries=st.frozensets(p.text_from(p.INDUSTRIES), min_size=size, max_size=4),
        employee_bands=st.lists(_bands(head_counts), min_size=size, max_size=3),
        revenue_bands=st.lists(_bands(revenues), min_size=size, max_size=2),
        revenue_currency=st.sampled_from(("USD", "EUR", "GBP", "JPY")),
        countries=st.frozensets(st.sampled_from(_COUNTRIES), min_size=size, max_size=6),
        regions=st.frozensets(p.text_from(p.REGIONS), min_size=size, max_size=3),
        technologies=st.frozensets(p.text_from(p.TECHNOLOGIES), min_size=size, max_size=3),
        seniorities=st.frozensets(st.sampled_from(Seniority), min_size=size, max_size=3),
        departments=st.frozensets(p.text_from(p.DEPARTMENTS), min_size=size, max_size=3),
        titles=st.frozensets(p.text_from(("vp", "head", "director", "ops")), min_size=size),
        exclusions=exclusions,
        must_have=st.frozensets(st.sampled_from(_CRITERIA), max_size=3),
        weights=weights if complete else st.none() | weights,
    )


@st.composite
def _bands(draw: st.DrawFn, values: SearchStrategy[int | Decimal]) -> Band:
    low = draw(st.none() | values)
    high = draw(st.none() | values)
    if low is not None and high is not None and high < low:
        low, high = high, low
    return Band(low=low, high=high)
