import pytest

from funnelkit.model import DEMAND_WATERFALL, STARTER_FUNNEL, StageKind

STARTER_OPEN = ("inquiry", "profiled", "sales_ready", "sales_opportunity")


def test_starter_funnel_has_four_open_stages_then_outcomes():
    """The starter funnel: four open stages, then customer, closed-lost, nurture, disqualified."""
    assert STARTER_FUNNEL.keys == (
        *STARTER_OPEN,
        "customer",
        "closed_lost",
        "nurture",
        "disqualified",
    )
    assert tuple(s.key for s in STARTER_FUNNEL.open_stages) == STARTER_OPEN


@pytest.mark.parametrize(
    ("key", "kind"),
    [
        ("customer", StageKind.WON),
        ("closed_lost", StageKind.LOST),
        ("nurture", StageKind.NURTURE),
        ("disqualified", StageKind.DISQUALIFIED),
    ],
)
def test_starter_outcome_kinds(key, kind):
    """Each starter outcome stage has the matching kind."""
    assert STARTER_FUNNEL.stage(key).kind is kind


def test_starter_stages_have_labels_and_descriptions_for_open_stages():
    """Every starter stage has a label; every open one says what it takes."""
    assert all(s.label for s in STARTER_FUNNEL)
    assert all(s.description for s in STARTER_FUNNEL.open_stages)


STARTER_MOVES = {
    "inquiry": {
        "profiled",
        "sales_ready",
        "sales_opportunity",
        "closed_lost",
        "nurture",
        "disqualified",
    },
    "profiled": {"sales_ready", "sales_opportunity", "closed_lost", "nurture", "disqualified"},
    "sales_ready": {"sales_opportunity", "closed_lost", "nurture", "disqualified"},
    "sales_opportunity": {"customer", "closed_lost", "nurture", "disqualified"},
    "customer": set(),
    "closed_lost": {"nurture"},
    "nurture": {*STARTER_OPEN, "disqualified"},
    "disqualified": set(),
}


@pytest.mark.parametrize(("key", "targets"), STARTER_MOVES.items())
def test_starter_moves(key, targets):
    """From each starter stage exactly the expected moves are allowed."""
    assert {s.key for s in STARTER_FUNNEL.moves_from(key)} == targets


@pytest.mark.parametrize(
    "move",
    [
        ("inquiry", "customer"),
        ("profiled", "inquiry"),
        ("customer", "nurture"),
        ("disqualified", "inquiry"),
    ],
)
def test_starter_forbids(move):
    """Skipping to won, moving back, and leaving terminal outcomes are not allowed."""
    assert not STARTER_FUNNEL.allows(*move)


def test_waterfall_stages():
    """The demand waterfall: inquiry, MQL, SAL, SQL, SQO, then won or lost."""
    assert DEMAND_WATERFALL.keys == ("inquiry", "mql", "sal", "sql", "sqo", "won", "lost")
    assert [s.key for s in DEMAND_WATERFALL.open_stages] == ["inquiry", "mql", "sal", "sql", "sqo"]
    assert DEMAND_WATERFALL.stage("won").kind is StageKind.WON
    assert DEMAND_WATERFALL.stage("lost").kind is StageKind.LOST


@pytest.mark.parametrize(
    ("move", "allowed"),
    [
        (("inquiry", "mql"), True),
        (("mql", "sal"), True),
        (("sal", "sql"), True),
        (("sql", "sqo"), True),
        (("sqo", "won"), True),
        (("inquiry", "sqo"), True),
        (("mql", "lost"), True),
        (("mql", "won"), False),
        (("sqo", "mql"), False),
        (("lost", "inquiry"), False),
        (("won", "lost"), False),
    ],
)
def test_waterfall_moves(move, allowed):
    """The waterfall moves forward, wins only from SQO, and loses from any open stage."""
    assert DEMAND_WATERFALL.allows(*move) is allowed


def test_presets_have_unique_increasing_orders():
    """Preset stage orders increase along the funnel."""
    for funnel in (STARTER_FUNNEL, DEMAND_WATERFALL):
        orders = [s.order for s in funnel]
        assert orders == sorted(set(orders))
