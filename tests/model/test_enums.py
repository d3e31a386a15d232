import pytest

from funnelkit.model import (
    STANDARD_SIGNAL_KINDS,
    AuthorityLevel,
    BudgetStatus,
    BuyingRole,
    Direction,
    Seniority,
    Severity,
    SignalKind,
    StageKind,
)

ENUMS = [
    Seniority,
    BuyingRole,
    BudgetStatus,
    AuthorityLevel,
    Severity,
    StageKind,
    Direction,
    SignalKind,
]


@pytest.mark.parametrize("enum", ENUMS)
def test_members_are_strings_equal_to_their_values(enum):
    """Every member is a str equal to its value, so it serialises as a plain string."""
    for member in enum:
        assert isinstance(member, str)
        assert member == member.value
        assert str(member) == member.value
        assert enum(member.value) is member


@pytest.mark.parametrize("enum", ENUMS)
def test_values_are_lower_snake_case(enum):
    """Values are lower-case snake_case keys."""
    for member in enum:
        assert member.value == member.value.lower().replace(" ", "_")
        assert member.name.lower() == member.value


@pytest.mark.parametrize(
    ("enum", "unknown"),
    [
        (BudgetStatus, BudgetStatus.UNKNOWN),
        (AuthorityLevel, AuthorityLevel.UNKNOWN),
        (Direction, Direction.UNKNOWN),
    ],
)
def test_vocabularies_that_can_be_unknown_say_so(enum, unknown):
    """Vocabularies of facts still to find out have an explicit unknown member."""
    assert enum("unknown") is unknown


def test_standard_signal_kinds_are_the_signal_kind_values():
    """STANDARD_SIGNAL_KINDS holds the SignalKind values as plain strings."""
    assert frozenset(k.value for k in SignalKind) == STANDARD_SIGNAL_KINDS
    assert all(type(k) is str for k in STANDARD_SIGNAL_KINDS)
