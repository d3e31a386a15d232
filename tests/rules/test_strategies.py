"""The rule-tree strategies of funnelkit.testing: what they generate and what they leave out."""

from __future__ import annotations

import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st
from tests._profiles import EXISTS

from funnelkit.model import Lead, Money
from funnelkit.rules import known_paths
from funnelkit.rules.meaning._operations import read_path
from funnelkit.rules.tree._meta import walk
from funnelkit.rules.tree._named import Custom
from funnelkit.rules.tree._nodes import Arith, Compare, Const, IsMissing
from funnelkit.rules.tree._paths import field_info
from funnelkit.rules.tree._scoring import Score
from funnelkit.rules.tree._signals import SignalAgg
from funnelkit.testing import leads
from funnelkit.testing._rules import conditions, field_values, scores, values, with_field

FILLABLE = [p for p in known_paths() if field_info(p).kind not in ("object", "mapping", "list")]
FILLABLE = [p for p in FILLABLE if p not in ("account_id", "company.id")] + ["custom.tier"]


@given(conditions())
def test_conditions_are_conditions(tree):
    """conditions() generates condition nodes."""
    assert tree.is_condition


@given(values())
def test_values_are_numbers(tree):
    """values() generates value nodes of a numeric kind."""
    assert not tree.is_condition
    assert tree.value_kind() in ("int", "float", "decimal", "any")


@given(scores())
def test_scores_are_scores(tree):
    """scores() generates Score nodes."""
    assert isinstance(tree, Score)


def _partial(node) -> bool:
    money = isinstance(node, Compare) and "money" in (
        node.left.value_kind(),
        node.right.value_kind(),
    )
    divides = isinstance(node, Arith) and node.op == "/"
    latest = isinstance(node, SignalAgg) and node.agg == "latest"
    unknown = isinstance(node, Const) and node.value is None
    return money or divides or latest or unknown


@given(conditions(partial=False) | values(partial=False) | scores(partial=False))
def test_partial_false_leaves_out_partial_operations(tree):
    """partial=False leaves out division, the latest signal, money comparisons and UNKNOWN."""
    assert not any(_partial(node) for node in walk(tree))


def _gap(agg: str):
    return lambda n: isinstance(n, SignalAgg) and n.agg == agg and n.min_gap_days is not None


@pytest.mark.parametrize(
    ("strategy", "wanted"),
    [
        (conditions(), _gap("count")),
        (conditions(), _gap("decayed")),
        (values(), _gap("count")),
        (conditions(), lambda n: isinstance(n, Const) and n.value is None),
        (conditions(), lambda n: isinstance(n, SignalAgg) and n.explicit is not None),
    ],
    ids=["gapped counts", "gapped decay", "gapped values", "UNKNOWN", "explicit"],
)
def test_strategies_draw_every_signal_option_and_unknown(strategy, wanted):
    """The strategies draw minimum gaps, explicit filters and UNKNOWN, for the properties."""
    find(strategy, lambda tree: any(wanted(node) for node in walk(tree)), settings=EXISTS)


@given(conditions(presence=False))
def test_presence_false_leaves_out_presence_tests(tree):
    """presence=False leaves out is_missing and is_present."""
    assert not any(isinstance(node, IsMissing) for node in walk(tree))


@given(conditions(custom=False) | values(custom=False) | scores(custom=False))
def test_custom_false_leaves_out_custom_rules(tree):
    """custom=False leaves out custom rules."""
    assert not any(isinstance(node, Custom) for node in walk(tree))


@pytest.mark.parametrize("path", FILLABLE)
@settings(max_examples=10)
@given(data=st.data())
def test_with_field_sets_every_path(path, data):
    """with_field sets any readable path on an empty lead to a value field_values gives."""
    value = data.draw(field_values(path))
    lead = with_field(Lead(), path, value)
    assert read_path(lead, tuple(path.split("."))) == value


@given(leads(), st.data())
def test_with_field_keeps_the_rest(lead, data):
    """with_field changes only the path it sets (and creates missing parents)."""
    value = data.draw(field_values("company.employees"))
    new = with_field(lead, "company.employees", value)
    assert new.company.employees == value
    assert new.contact == lead.contact
    if lead.company is not None:
        assert new.company.name == lead.company.name


def test_with_field_creates_money_for_an_amount():
    """Setting an amount creates the Money around it, in USD."""
    lead = with_field(Lead(), "company.annual_revenue.amount", 5)
    assert lead.company.annual_revenue == Money(amount=5, currency="USD")


@given(field_values("bant.budget.status"))
def test_enum_values_are_known_by_default(status):
    """field_values gives enum members other than UNKNOWN unless asked."""
    assert status.name != "UNKNOWN"


def test_field_values_of_an_object_path():
    """field_values refuses paths that are whole objects."""
    with pytest.raises(ValueError, match="no values for 'company' \\(object\\)"):
        field_values("company")
