"""Building blocks shared by the public strategies: text, ids, domains, instants, scalars.

Everything here generates values that the model accepts as they are, so the strategies
built on top of them only ever produce valid objects.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from decimal import Decimal
from typing import TypeVar

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

__all__ = ["aware_datetimes"]

T = TypeVar("T")

# Hypothesis takes naive bounds and applies them to the local time.
MIN_DATETIME = datetime(2015, 1, 1)
MAX_DATETIME = datetime(2035, 12, 31, 23, 59, 59)

# Fixed offsets only: no tzdata is needed, and every instant has exactly one offset.
OFFSETS: tuple[tzinfo, ...] = (
    UTC,
    timezone(timedelta(hours=1)),
    timezone(timedelta(hours=2)),
    timezone(timedelta(hours=-5)),
    timezone(timedelta(hours=-8)),
    timezone(timedelta(hours=5, minutes=30)),
    timezone(timedelta(hours=9)),
    timezone(timedelta(hours=13, minutes=45)),
    timezone(timedelta(hours=-3, minutes=-30)),
)

INDUSTRIES = ("software", "fintech", "healthcare_it", "manufacturing", "retail", "education")
TECHNOLOGIES = ("salesforce", "hubspot", "marketo", "snowflake", "aws", "zendesk", "slack")
REGIONS = ("NA", "NA-West", "NA-East", "EMEA", "DACH", "APAC", "LATAM")
TAGS = ("competitor_customer", "partner", "customer", "churned", "strategic")
DEPARTMENTS = ("sales", "marketing", "revops", "it", "finance", "engineering", "hr")
TITLES = ("VP Marketing", "Head of Sales", "CTO", "Marketing Manager", "RevOps Lead", "CEO")
CHANNELS = ("web", "web_form", "email", "event", "phone", "trade_show", "purchased_list")

_CHARACTERS = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs"))


def aware_datetimes(
    *,
    min_value: datetime = MIN_DATETIME,
    max_value: datetime = MAX_DATETIME,
    timezones: SearchStrategy[tzinfo] | None = None,
) -> SearchStrategy[datetime]:
    """Timezone-aware datetimes, as the model requires, with fixed UTC offsets.

    No tz database is involved: the offsets are fixed (UTC, +01:00, -05:00, +05:30,
    +13:45, ...), so the generated values need no ``tzdata`` and never fall in a gap.

    Args:
        min_value: The earliest local time, naive (2015-01-01 by default).
        max_value: The latest local time, naive (the end of 2035 by default).
        timezones: A strategy for the ``tzinfo``; fixed offsets by default. Pass
            ``st.just(datetime.UTC)`` for UTC only.

    Returns:
        A strategy for aware ``datetime`` objects.

    Raises:
        InvalidArgument: A bound is aware, or ``min_value`` is after ``max_value``.

    Examples:
        ```python
        from hypothesis import given
        from funnelkit.testing import aware_datetimes

        @given(aware_datetimes())
        def test_instants_are_aware(at):
            assert at.utcoffset() is not None
        ```
    """
    if min_value.tzinfo is not None or max_value.tzinfo is not None:
        raise InvalidArgument("min_value and max_value must be naive local times")
    if min_value > max_value:
        raise InvalidArgument(f"min_value={min_value!r} is after max_value={max_value!r}")
    if timezones is not None:
        return st.datetimes(min_value=min_value, max_value=max_value, timezones=timezones)
    # Fold means nothing for a fixed offset; keep it 0 so equal values also look equal.
    return st.datetimes(min_value=min_value, max_value=max_value, timezones=offsets()).map(
        lambda at: at.replace(fold=0)
    )


def offsets() -> SearchStrategy[tzinfo]:
    """The fixed offsets used by `aware_datetimes`, UTC first."""
    return st.sampled_from(OFFSETS)


class Maybe:
    """Make strategies' values go missing (``None``) about half the time, unless complete.

    ``None`` comes first, so failing examples shrink to the missing value.

    Args:
        complete: Never make a value missing.
    """

    def __init__(self, *, complete: bool) -> None:
        self.complete = complete

    def __call__(self, strategy: SearchStrategy[T]) -> SearchStrategy[T | None]:
        """Return ``strategy`` when complete, else ``None | strategy``."""
        return strategy if self.complete else st.none() | strategy


def text(*, max_size: int = 40) -> SearchStrategy[str]:
    """Non-blank printable text (no control characters, no surrogates)."""
    return st.text(_CHARACTERS, min_size=1, max_size=max_size).filter(str.strip)


def text_from(vocabulary: Sequence[str], *, max_size: int = 40) -> SearchStrategy[str]:
    """Mostly words from ``vocabulary``, sometimes arbitrary non-blank text."""
    return st.sampled_from(vocabulary) | text(max_size=max_size)


def keys() -> SearchStrategy[str]:
    """Identifier-like keys such as ``sales_ready``."""
    return st.from_regex(r"[a-z][a-z0-9_]{0,15}", fullmatch=True)


def ids(prefix: str) -> SearchStrategy[str]:
    """Ids in the usual CRM shape, ``{prefix}-{number}``."""
    return st.integers(min_value=1, max_value=999_999).map(lambda n: f"{prefix}-{n}")


_LABEL = st.from_regex(r"[a-z0-9](?:[a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True)
_TLD = st.sampled_from(("com", "io", "de", "net", "org", "ai")) | st.from_regex(
    r"[a-z]{2,6}", fullmatch=True
)


def domains() -> SearchStrategy[str]:
    """Normalised domain names: lower case, no scheme, no ``www.``."""
    return st.builds(
        lambda labels, tld: ".".join([*labels, tld]),
        st.lists(_LABEL, min_size=1, max_size=3),
        _TLD,
    ).filter(lambda d: not d.startswith("www."))


def emails() -> SearchStrategy[str]:
    """Normalised (lower-case) e-mail addresses."""
    local = st.from_regex(r"[a-z0-9](?:[a-z0-9._+-]{0,14}[a-z0-9])?", fullmatch=True).filter(
        lambda s: ".." not in s
    )
    return st.builds(lambda user, host: f"{user}@{host}", local, domains())


def phones() -> SearchStrategy[str]:
    """Phone numbers as people type them."""
    return st.from_regex(r"\+?[0-9]{1,3}[ -]?[0-9]{3}[ -]?[0-9]{3,4}", fullmatch=True)


def scalars() -> SearchStrategy[object]:
    """Every scalar the model accepts in custom attributes."""
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**9), max_value=10**9),
        st.floats(allow_nan=False, allow_infinity=False),
        text(max_size=20),
        st.decimals(allow_nan=False, allow_infinity=False, places=2, max_value=10**9),
        st.dates(min_value=date(2000, 1, 1), max_value=date(2035, 12, 31)),
    )


def attribute_maps(
    values: SearchStrategy[object] | None, *, min_size: int = 0
) -> SearchStrategy[dict[str, object]]:
    """Small mappings of key to value or tuple of values, as ``custom``/``attributes``."""
    one = scalars() if values is None else values
    return st.dictionaries(
        keys(), one | st.lists(one, max_size=3).map(tuple), min_size=min_size, max_size=4
    )


def check_size(name: str, value: int, *, minimum: int = 0) -> None:
    """Raise `InvalidArgument` unless ``value`` is an int >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InvalidArgument(f"{name} must be an int >= {minimum}, got {value!r}")


def check_range(low_name: str, low: int, high_name: str, high: int) -> None:
    """Raise `InvalidArgument` when ``low > high``."""
    if low > high:
        raise InvalidArgument(f"{low_name}={low!r} is greater than {high_name}={high!r}")


def choices(name: str, values: Iterable[str] | None, allowed: frozenset[str]) -> tuple[str, ...]:
    """Check a user's choice of codes against ``allowed``; return them sorted."""
    if values is None:
        return tuple(sorted(allowed))
    if isinstance(values, str):
        raise InvalidArgument(f"{name} must be a collection of strings, not the string {values!r}")
    given = list(values)
    if not given:
        raise InvalidArgument(f"{name} must not be empty")
    unknown = [v for v in given if v not in allowed]
    if unknown:
        raise InvalidArgument(f"{name} contains unknown values: {unknown!r}")
    return tuple(sorted(set(given)))


def vocabulary(name: str, values: Iterable[str] | None) -> tuple[str, ...] | None:
    """Check an open vocabulary given by the user: non-blank strings, not empty."""
    if values is None:
        return None
    if isinstance(values, str):
        raise InvalidArgument(f"{name} must be a collection of strings, not the string {values!r}")
    given = list(values)
    if not given or not all(isinstance(v, str) and v.strip() for v in given):
        raise InvalidArgument(f"{name} must be a non-empty collection of non-blank strings")
    return tuple(sorted(set(given)))


def amounts(
    *, min_value: int | Decimal = 0, max_value: int | Decimal = 10**10, places: int = 2
) -> SearchStrategy[Decimal]:
    """Finite decimal amounts with ``places`` decimal places."""
    return st.decimals(
        min_value=min_value,
        max_value=max_value,
        places=places,
        allow_nan=False,
        allow_infinity=False,
    )


def timedeltas(max_days: int) -> SearchStrategy[timedelta]:
    """Non-negative durations of at most ``max_days`` days."""
    seconds = st.integers(min_value=0, max_value=max_days * 86_400)
    return seconds.map(lambda n: timedelta(seconds=n))
