"""Hypothesis strategies for random rule trees, and helpers to fill in a lead's facts.

The trees read real field paths of the model (from
[`known_paths`][funnelkit.rules.known_paths]) and compare them with literals of the right
type, so every generated rule builds; fields that are often missing (the company, the
contact, BANT statuses) come up often. Use them to test code that walks or evaluates
rules: a backend must agree with [`evaluate`][funnelkit.rules.evaluate] on every tree.

Examples:
    ```python
    from datetime import UTC, datetime
    from hypothesis import given
    from funnelkit.rules import compile_rule, evaluate
    from funnelkit.testing import conditions, leads

    AS_OF = datetime(2026, 5, 1, tzinfo=UTC)

    @given(conditions(), leads())
    def test_compiled_agrees(rule, lead):
        assert compile_rule(rule)(lead, as_of=AS_OF) == evaluate(rule, lead, as_of=AS_OF)
    ```
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from funnelkit.model import Lead, Money
from funnelkit.rules import (
    HIT_POLICIES,
    UNKNOWN,
    Expr,
    F,
    all_of,
    any_of,
    at_least,
    custom_rule,
    decision_table,
    grade,
    maximum,
    minimum,
    none_of,
    not_,
    per,
    points,
    ref,
    rule,
    rule_set,
    score,
    signals,
)
from funnelkit.rules.tree import ROW_ONLY_PATHS, field_info
from funnelkit.testing import _primitives as p
from funnelkit.testing._fields import field_values, paths_by_kind, with_field, words_for

__all__ = ["conditions", "values", "scores", "rule_sets", "field_values", "with_field"]

_SIGNAL_KINDS = ("demo_request", "pricing_page_view", "content_download", "email_reply")
_PATTERNS = (r"^VP\b", r"(?i)sales|marketing", r"[0-9]+", r"^[A-Z]{2}$", r"soft", r"e$")
_ORDER: dict[str, Callable[[Any, Any], Any]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
_EQUALITY: dict[str, Callable[[Any, Any], Any]] = {"==": operator.eq, "!=": operator.ne}


def _ordered(a: Any, b: Any) -> tuple[Any, Any]:
    return (a, b) if a <= b else (b, a)


def _compare(value: Expr, vals: SearchStrategy[Any], ops: dict[str, Any]) -> SearchStrategy[Expr]:
    return st.builds(lambda op, v: ops[op](value, v), st.sampled_from(sorted(ops)), vals)


def _isin(value: Expr, vals: SearchStrategy[Any]) -> SearchStrategy[Expr]:
    return st.frozensets(vals, min_size=1, max_size=3).map(value.isin)


def _numeric_tests(value: Expr, vals: SearchStrategy[Any]) -> SearchStrategy[Expr]:
    between = st.tuples(vals, vals).map(lambda ab: value.between(*_ordered(*ab)))
    return _compare(value, vals, {**_ORDER, **_EQUALITY}) | between


def _money_tests(field: Expr) -> SearchStrategy[Expr]:
    amounts = p.amounts(max_value=10**8)
    currencies = st.sampled_from(("USD", "EUR"))
    one = st.builds(Money, amount=amounts, currency=currencies)
    two = st.builds(
        lambda a, b, c: field.between(*(Money(amount=x, currency=c) for x in _ordered(a, b))),
        amounts,
        amounts,
        currencies,
    )
    return _compare(field, one, {**_ORDER, **_EQUALITY}) | two


def _text_tests(field: Expr, path: str, vals: SearchStrategy[Any]) -> SearchStrategy[Expr]:
    parts = st.tuples(st.sampled_from(words_for(path)), st.integers(1, 4))
    return st.one_of(
        _compare(field, vals, {**_EQUALITY, "<": operator.lt}),
        _isin(field, vals),
        parts.map(lambda wn: field.startswith(wn[0][: wn[1]])),
        parts.map(lambda wn: field.endswith(wn[0][-wn[1] :])),
        parts.map(lambda wn: field.icontains(wn[0][: wn[1]].upper())),
        parts.map(lambda wn: field.contains(wn[0][: wn[1]])),
        st.sampled_from(_PATTERNS).map(field.matches),
    )


@functools.cache  # drawn through flatmap: one strategy per path, validated once
def _field_tests(path: str) -> SearchStrategy[Expr]:
    """Type-correct tests of one field: comparisons, membership, text, time, sets."""
    info, field = field_info(path), F(path)
    if info.kind == "list":
        return _numeric_tests(field.size(), st.integers(0, 3))
    if info.kind == "money":
        return _money_tests(field)
    vals = field_values(path, unknown=True)
    if info.kind in ("int", "float", "decimal"):
        return _numeric_tests(field, vals) | _isin(field, vals)
    if info.kind == "enum" and info.enum is not None:
        names = st.sampled_from([m.value for m in info.enum])
        return _compare(field, names, _EQUALITY) | _isin(field, names)
    if info.kind == "bool":
        return _compare(field, vals, _EQUALITY)
    if info.kind in ("date", "datetime"):
        days = st.integers(-400, 400)
        return st.one_of(
            vals.map(field.before),
            vals.map(field.after),
            st.integers(0, 400).map(lambda d: field.within(days=d)),
            _numeric_tests(field.age_days(), days),
            _numeric_tests(field.days_until(), days),
        )
    if info.kind == "set":
        items = (
            st.sampled_from([m.value for m in info.enum])
            if info.enum is not None
            else p.text_from(words_for(path), max_size=20)
        )
        return st.one_of(
            _numeric_tests(field.size(), st.integers(0, 3)),
            items.map(field.contains),
            st.frozensets(items, max_size=3).map(field.overlaps),
        )
    if info.kind == "any":
        return _compare(field, vals, _EQUALITY) | _isin(field, vals)
    return _text_tests(field, path, vals)


def _queries() -> SearchStrategy[Any]:
    kinds = st.one_of(
        st.none(),
        st.sampled_from(_SIGNAL_KINDS),
        st.frozensets(st.sampled_from(_SIGNAL_KINDS), min_size=1, max_size=2),
    )
    return st.builds(
        signals, kinds, within=st.none() | st.integers(0, 400), explicit=st.none() | st.booleans()
    )


# minimum gaps from half a day to ten years: generated leads' signals lie years apart
_GAPS = st.none() | st.sampled_from((0.5, 1, 7, 30.5, 365, 3650))


def _signal_values(*, gaps: bool = True) -> SearchStrategy[Expr]:
    queries = _queries()
    if not gaps:
        return st.one_of(
            st.builds(lambda q, n: q.count(limit=n), queries, st.none() | st.integers(0, 3)),
            queries.map(lambda q: q.sum()),
            st.builds(
                lambda q, h: q.decayed(half_life_days=h), queries, st.sampled_from((1, 7, 30.5))
            ),
        )
    return st.one_of(
        st.builds(
            lambda q, n, g: q.count(limit=n, min_gap_days=g),
            queries,
            st.none() | st.integers(0, 3),
            _GAPS,
        ),
        queries.map(lambda q: q.sum()),
        st.builds(
            lambda q, h, g: q.decayed(half_life_days=h, min_gap_days=g),
            queries,
            st.sampled_from((1, 7, 30.5)),
            _GAPS,
        ),
    )


def _large_company(employees: int) -> bool | None:
    """The company has 100 staff or more; unsure between 90 and 110."""
    return None if 90 <= employees <= 110 else employees >= 100


def _reachable(lead: Lead) -> bool | None:
    """The contact can be e-mailed; unknown without a contact."""
    if lead.contact is None:
        return None
    return lead.contact.email is not None and not lead.contact.opted_out


def _title_words(title: str) -> int:
    """The number of words in the contact's title."""
    return len(title.split())


@functools.cache
def _custom_rules() -> tuple[Expr, Expr, Expr]:
    """Three custom rules, registered on first use under ``fkt_`` names."""
    large = custom_rule(
        _large_company, name="fkt_large_company", inputs={"employees": F.company.employees}
    )
    reachable = custom_rule(_reachable, name="fkt_reachable")
    words = custom_rule(_title_words, name="fkt_title_words", inputs={"title": F.contact.title})
    return large, reachable, words


def _testable(*, partial: bool, columnar: bool = False) -> list[str]:
    skipped = ("object", "mapping") if partial else ("object", "mapping", "money")
    return [
        path
        for kind, group in paths_by_kind().items()
        if kind not in skipped
        for path in group
        if not (columnar and path.split(".")[0] in ROW_ONLY_PATHS)
    ]


def _number_leaves(*, custom: bool, gaps: bool = True) -> SearchStrategy[Expr]:
    kinds = paths_by_kind()
    dated = [*kinds["date"], *kinds["datetime"]]
    leaves = [
        st.sampled_from([*kinds["int"], *kinds["float"], *kinds["decimal"]]).map(F),
        st.sampled_from(
            [p for p in (*kinds["set"], *kinds["list"]) if gaps or p not in ROW_ONLY_PATHS]
        ).map(lambda path: F(path).size()),
        st.sampled_from(dated).map(lambda path: F(path).age_days()),
        st.sampled_from(dated).map(lambda path: F(path).days_until()),
        _signal_values(gaps=gaps),
    ]
    if custom:
        leaves.append(st.just(_custom_rules()[2]))
    return st.one_of(leaves)


def _condition_leaves(
    *, partial: bool, presence: bool, custom: bool, gaps: bool = True
) -> SearchStrategy[Expr]:
    testable = _testable(partial=partial, columnar=not gaps)
    queries = _queries()
    fields = st.sampled_from(testable).flatmap(_field_tests)
    leaves = [
        fields,
        fields,
        fields,  # fields three times as often as signals: they are the ones that go missing
        queries.map(lambda q: q.exists())
        | _signal_values(gaps=gaps).flatmap(lambda v: _numeric_tests(v, st.integers(0, 4))),
    ]
    if partial:
        leaves.append(st.just(UNKNOWN))  # never decided, whatever is found out
        latest = queries.map(lambda q: q.latest())
        leaves.append(
            st.builds(lambda v, d: v.within(days=d), latest, st.integers(0, 400))
            | st.builds(lambda v, t: v.after(t), latest, p.aware_datetimes())
        )
    if presence:
        everything = [*testable, *paths_by_kind()["object"], "custom"]
        leaves.append(st.sampled_from(everything).map(lambda path: F(path).is_missing()))
        leaves.append(st.sampled_from(everything).map(lambda path: F(path).is_present()))
    if custom:
        large, reachable, words = _custom_rules()
        leaves.append(st.sampled_from((large, reachable)))
        leaves.append(st.integers(0, 3).map(lambda n: words >= n))
    return st.one_of(leaves)


_POINTS = st.integers(-30, 30) | st.sampled_from((Decimal("2.5"), "0.25", 1.5))
_WEIGHTS = st.integers(1, 30) | st.sampled_from((Decimal("0.5"), 0.1))
_LABELS = ("enterprise", "mid", "smb")


@st.composite
def _bounds(draw: st.DrawFn) -> dict[str, int | None]:
    floor = draw(st.none() | st.integers(-20, 60))
    cap = draw(st.none() | st.integers(-20, 100))
    if floor is not None and cap is not None and floor > cap:
        floor, cap = cap, floor
    return {"floor": floor, "cap": cap}


def _score_of(items: SearchStrategy[list[Expr]]) -> SearchStrategy[Expr]:
    return st.builds(lambda xs, b: score(*xs, **b), items, _bounds())


def _tables(
    conds: SearchStrategy[Expr], outputs: SearchStrategy[Any], *, partial: bool
) -> SearchStrategy[Expr]:
    """Decision tables over ``conds`` with ``outputs`` and a numeric hit policy."""
    rows = st.lists(st.tuples(conds, outputs), min_size=1, max_size=3)
    policies = st.sampled_from(("first", "first", "collect_sum", "collect_max", "unique"))
    default = st.integers(0, 50)
    return st.builds(
        lambda rs, hp, d: decision_table(rs, hit_policy=hp, default=d),
        rows,
        policies,
        (st.none() | default) if partial else default,
    )


def conditions(
    *,
    max_leaves: int = 10,
    partial: bool = True,
    presence: bool = True,
    custom: bool = True,
    columnar: bool = False,
) -> SearchStrategy[Expr]:
    """Random conditions: rule trees that evaluate to a [`Truth`][funnelkit.rules.Truth].

    Leaves test real field paths with literals of the right type (comparisons, ``isin``,
    ``between``, text tests, regular expressions, dates and day counts, sets), signal
    aggregations (with windows, ``explicit``, limits, decay and minimum gaps), the
    ``UNKNOWN`` constant (with ``partial``) and custom rules; inner nodes are ``all_of``,
    ``any_of``, ``none_of``, ``not_``, ``at_least``, named rules, and tests of decision
    tables, scores and grades.

    Args:
        max_leaves: About how many leaves a tree has at most (Hypothesis' ``recursive``).
        partial: Include operations that can be missing even when every field is known
            (division, the latest signal, money in two currencies, tables without a
            default, the ``UNKNOWN`` constant). Turn off to test that finding out the
            missing facts decides a rule.
        presence: Include ``is_missing()`` / ``is_present()`` tests.
        custom: Include three custom rules (registered as ``fkt_large_company``,
            ``fkt_reachable`` and ``fkt_title_words`` on first use).
        columnar: Only what the columnar engines (polars, SQL) run: no custom rules,
            no minimum gaps between signals, no ``collect`` decision tables.

    Returns:
        A strategy for condition nodes.

    Examples:
        ```python
        from datetime import UTC, datetime
        from hypothesis import given
        from funnelkit.rules import evaluate
        from funnelkit.testing import conditions, leads

        @given(conditions(), leads())
        def test_double_negation(rule, lead):
            as_of = datetime(2026, 5, 1, tzinfo=UTC)
            assert evaluate(~~rule, lead, as_of=as_of) is evaluate(rule, lead, as_of=as_of)
        ```
    """
    return _conditions(max_leaves, partial, presence, custom and not columnar, columnar)


# The strategies are built once per set of arguments: a composite strategy that calls
# conditions(...) in every draw then gets the same object back, which Hypothesis checks
# once instead of walking the whole recursive strategy again each time.
@functools.cache
def _conditions(
    max_leaves: int, partial: bool, presence: bool, custom: bool, columnar: bool
) -> SearchStrategy[Expr]:
    leaves = _condition_leaves(partial=partial, presence=presence, custom=custom, gaps=not columnar)
    numbers = _number_leaves(custom=custom, gaps=not columnar)
    thresholds = st.integers(0, 60)

    def extend(kids: SearchStrategy[Expr]) -> SearchStrategy[Expr]:
        several = st.lists(kids, min_size=2, max_size=3)
        scored = _score_of(st.lists(st.builds(points, _POINTS, when=kids), min_size=1, max_size=3))
        labels = st.sampled_from(_LABELS)
        by_label = st.builds(
            lambda rows, d: decision_table(rows, default=d),
            st.lists(st.tuples(kids, labels), min_size=1, max_size=3),
            labels,
        )
        return st.one_of(
            several.map(lambda xs: all_of(*xs)),
            several.map(lambda xs: any_of(*xs)),
            several.map(lambda xs: none_of(*xs)),
            kids.map(not_),
            st.builds(lambda xs, n: at_least(n, *xs), several, st.integers(0, 4)),
            st.builds(rule, st.sampled_from(("fit", "ready")), kids),
            st.builds(
                operator.ge, _tables(kids, numbers | thresholds, partial=partial), thresholds
            ),
            st.builds(operator.ge, scored, thresholds),
            st.builds(
                lambda s, ok: grade(s, {"A": 40, "B": 20}, default="C").isin(ok),
                scored,
                st.frozensets(st.sampled_from("ABC"), min_size=1),
            ),
            st.builds(lambda t, ok: t.isin(ok), by_label, st.frozensets(labels, min_size=1)),
        )

    return st.recursive(leaves, extend, max_leaves=max_leaves)


def values(
    *, max_leaves: int = 6, partial: bool = True, custom: bool = True, columnar: bool = False
) -> SearchStrategy[Expr]:
    """Random numeric value nodes: fields, day counts, sizes, signal aggregations, math.

    Inner nodes are ``+ - * /`` (division only with ``partial``), ``minimum``,
    ``maximum``, ``clip``, decision tables with numeric outputs, and scores.

    Args:
        max_leaves: About how many leaves a tree has at most.
        partial: Include division (missing on ``/ 0``) and tables without a default.
        custom: Include a custom rule that returns a number.
        columnar: Only what the columnar engines (polars, SQL) run: no custom rules,
            no minimum gaps between signals, no ``collect`` decision tables.

    Returns:
        A strategy for value nodes (their results are numbers or ``None``).
    """
    return _values(max_leaves, partial, custom and not columnar, columnar)


@functools.cache
def _values(max_leaves: int, partial: bool, custom: bool, columnar: bool) -> SearchStrategy[Expr]:
    leaves = _number_leaves(custom=custom, gaps=not columnar)
    small = conditions(max_leaves=2, partial=partial, custom=custom, columnar=columnar)
    ops = [operator.add, operator.sub, operator.mul] + ([operator.truediv] if partial else [])

    def extend(kids: SearchStrategy[Expr]) -> SearchStrategy[Expr]:
        ints = st.integers(-10, 100)
        return st.one_of(
            st.builds(lambda op, a, b: op(a, b), st.sampled_from(ops), kids, kids | ints),
            st.lists(kids, min_size=1, max_size=3).map(lambda xs: minimum(*xs)),
            st.lists(kids, min_size=1, max_size=3).map(lambda xs: maximum(*xs)),
            st.builds(lambda v, a, b: v.clip(*_ordered(a, b)), kids, ints, ints),
            _tables(small, kids | ints, partial=partial),
            _score_of(st.lists(st.builds(per, _WEIGHTS, kids), min_size=1, max_size=3)),
        )

    return st.recursive(leaves, extend, max_leaves=max_leaves)


def scores(
    *, max_leaves: int = 10, partial: bool = True, custom: bool = True, columnar: bool = False
) -> SearchStrategy[Expr]:
    """Random scores: ``points`` and ``per`` items in nested groups with caps and floors.

    Args:
        max_leaves: About how many items a score has at most.
        partial: Passed on to the conditions and values inside.
        custom: Passed on to the conditions and values inside.
        columnar: Passed on to the conditions and values inside (and no ``collect``
            decision tables).

    Returns:
        A strategy for score nodes (their results are ``int`` or ``Decimal``).
    """
    return _scores(max_leaves, partial, custom, columnar)


@functools.cache
def _scores(max_leaves: int, partial: bool, custom: bool, columnar: bool) -> SearchStrategy[Expr]:
    conds = conditions(max_leaves=3, partial=partial, custom=custom, columnar=columnar)
    numbers = values(max_leaves=3, partial=partial, custom=custom, columnar=columnar)
    items = st.builds(points, _POINTS, when=conds) | st.builds(per, _WEIGHTS, numbers)
    nested = st.recursive(
        items, lambda kids: _score_of(st.lists(kids, min_size=1, max_size=4)), max_leaves=max_leaves
    )
    return _score_of(st.lists(nested, min_size=1, max_size=4))


_OUTPUT_NAMES = ("fit", "engagement", "tier", "ready", "route", "grade", "sales ready")
_DESCRIPTIONS = (None, "", "1,000+ staff", 'says "yes"')


def _labelled_score(conds: SearchStrategy[Expr], numbers: SearchStrategy[Expr]) -> Any:
    labels = st.none() | st.sampled_from(("industry", "size", "", "demo requests"))
    item = st.builds(points, _POINTS, when=conds, label=labels) | st.builds(
        per, _WEIGHTS, numbers, label=labels
    )
    names = st.none() | st.sampled_from(_OUTPUT_NAMES)
    return st.builds(
        lambda xs, b, n: score(*xs, **b, name=n), st.lists(item, max_size=3), _bounds(), names
    )


def _any_table(
    conds: SearchStrategy[Expr], numbers: SearchStrategy[Expr], *, collect: bool = True
) -> Any:
    """Decision tables of every hit policy, with text or numeric outputs."""

    @st.composite
    def build(draw: st.DrawFn) -> Expr:
        policies = HIT_POLICIES if collect else HIT_POLICIES - {"collect"}
        policy = draw(st.sampled_from(sorted(policies)))
        numeric = policy in ("collect_sum", "collect_max") or draw(st.booleans())
        outputs = numbers | st.integers(-5, 50) if numeric else st.sampled_from(_LABELS)
        rows = draw(st.lists(st.tuples(conds, outputs), min_size=1, max_size=3))
        default = draw(st.none() | outputs)
        return decision_table(rows, hit_policy=policy, default=default)

    return build()


def _refer(draw: st.DrawFn, name: str, target: Expr, conds: SearchStrategy[Expr]) -> Expr:
    """A rule that refers to an earlier output, typed as the output or left untyped."""
    target_kind = target.value_kind()
    kind = target_kind if draw(st.booleans()) else "any"
    if target.is_condition:
        earlier = ref(name, kind=kind, condition=True)
        return draw(st.sampled_from((earlier, earlier & draw(conds), ~earlier)))
    earlier = ref(name, kind=kind)
    if target_kind == "list":
        return earlier.size() >= draw(st.integers(0, 3)) if kind == "list" else earlier.is_missing()
    if target_kind in ("int", "decimal", "float"):
        return earlier >= draw(st.integers(0, 60))
    if target_kind == "str":
        return earlier.isin(draw(st.frozensets(st.sampled_from((*_LABELS, "A", "C")), min_size=1)))
    return earlier.is_present()


def rule_sets(
    *, max_outputs: int = 4, partial: bool = True, custom: bool = True, columnar: bool = False
) -> SearchStrategy[Expr]:
    """Random rule sets: named outputs, later ones referring to earlier ones with ``ref``.

    The outputs cover what the other strategies leave out: scores with names and
    labelled ``points`` / ``per`` items, grades, decision tables of every hit policy
    (``collect`` included), named rules with descriptions, and references typed as
    their output or left untyped (``ref("fit")``).

    Args:
        max_outputs: The most outputs a rule set has.
        partial: Passed on to the conditions and values inside.
        custom: Passed on to the conditions and values inside.
        columnar: Passed on to the conditions and values inside (and no ``collect``
            decision tables).

    Returns:
        A strategy for rule-set nodes (they evaluate to a dict of outputs).
    """
    conds = conditions(max_leaves=2, partial=partial, custom=custom, columnar=columnar)
    numbers = values(max_leaves=2, partial=partial, custom=custom, columnar=columnar)
    scored = _labelled_score(conds, numbers)
    kinds = st.one_of(
        scored,
        st.builds(lambda s: grade(s, {"A": 40, "B": 20}, default="C"), scored),
        _any_table(conds, numbers, collect=not columnar),
        st.builds(
            rule, st.sampled_from(_OUTPUT_NAMES), conds, description=st.sampled_from(_DESCRIPTIONS)
        ),
        conds,
    )

    @st.composite
    def build(draw: st.DrawFn) -> Expr:
        names = draw(
            st.lists(st.sampled_from(_OUTPUT_NAMES), min_size=1, max_size=max_outputs, unique=True)
        )
        outputs: dict[str, Expr] = {}
        for name in names:
            refer: bool = draw(st.booleans())
            if outputs and refer:
                earlier = draw(st.sampled_from(sorted(outputs)))
                outputs[name] = _refer(draw, earlier, outputs[earlier], conds)
            else:
                outputs[name] = draw(kinds)
        return rule_set(**outputs)

    return build()
