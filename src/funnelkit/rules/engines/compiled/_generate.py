"""Generated Python source for a rule: one plain function per rule and ``as_of``.

How it works. ``generate(rule)`` walks the tree once and writes the source of a factory::

    def _make(_as_of):
        _w1 = _window_start(_as_of, _c0)          # per-instant values (window cutoffs, today)
        def _rule(lead):
            _f2 = lead.company               # every field read once, guarded for None
            ...
            for _g5 in _o4: ...              # one pass over lead.signals per window
            _s9 = 0
            if (_f3 in _c6): _s9 += _c7      # points: no Truth objects on the way
            ...
            return {_c20: _s9, ...}
        return _rule

Each condition is three small expressions -- it is TRUE, FALSE, UNKNOWN -- so ``points``,
``all_of`` and table rows test it directly; a Truth object is only made when one is
returned or stored. What can be missing is tracked (a score or a count never is), so
needless ``is None`` tests are left out. Everything is done in the reference interpreter's
order with the interpreter's own operations (``_codegen_runtime`` passes in its helper
functions), so the results, the errors and the places errors are raised are the
interpreter's. Shapes the generator does not handle (unknown node types, subtrees nested
too deeply for Python's parser, rule sets that are not always evaluated) are evaluated by
the interpreter itself, from inside the generated function.

Why this is safe. The source is made only of fixed templates written in this package,
generated identifiers (``_v3``, ``_c7``: an underscore, a letter, a number), the helper
names of ``_codegen_runtime.RUNTIME_NAMES`` and attribute names that are fields of the
model catalogue (``Emitter.attr`` checks each with ``str.isidentifier`` and catalogue
membership, or refuses it). Nothing from the rule tree is ever written into it as text:
literals, sets, strings, custom-attribute keys, regular expressions, Money, output names
and custom-rule functions are bound as constants in the namespace the code runs in, under
generated names (``Emitter.const``). That namespace has no builtins
(``{"__builtins__": {}}``), only those helpers and constants. The source is compiled with
``compile()`` once per rule and can be read back as ``CompiledRule.source``;
``tests/rules/test_codegen.py`` tokenizes the source of random rules with hostile strings
and checks that it holds no string token and no name outside those sets.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import attrs

from funnelkit.model import Lead
from funnelkit.rules import tree as tr
from funnelkit.rules.engines.compiled._base import Cond, Val
from funnelkit.rules.engines.compiled._leaves import LeafGen
from funnelkit.rules.engines.compiled._prologue import aggregate_signals, read_fields
from funnelkit.rules.engines.compiled._runtime import RUNTIME_NAMES, namespace
from funnelkit.rules.tree import DecisionTable, Expr, Field, Literal, SignalAgg, Truth, walk

__all__ = ["Generated", "generate", "build", "TEMPLATE_NAMES", "RUNTIME_NAMES"]

TEMPLATE_NAMES: frozenset[str] = frozenset(
    {
        "_make",
        "_rule",
        "_as_of",
        "_today",
        "lead",
        "signals",
        "occurred_at",
        "kind",
        "explicit",
        "value",
        "get",
        "currency",
        "amount",
        "days",
        "date",
        "search",
        "startswith",
        "endswith",
        "casefold",
        "isdisjoint",
        "append",
        "total_seconds",
    }
)
"""The fixed names the templates use (besides helpers, generated names and model fields)."""
MAX_INDENT = 40
"""Deeper than this, a subtree is left to the interpreter (Python allows 100 levels)."""
_TRUTH = frozenset({"truth"})


@attrs.frozen
class Generated:
    """A rule's generated source and the constants it refers to."""

    source: str
    constants: Mapping[str, object]


def build(generated: Generated) -> Callable[[datetime], Callable[[Lead], Any]]:
    """Compile generated source; return its factory ``as_of -> (lead -> result)``."""
    code = compile(generated.source, "<funnelkit compiled rule>", "exec", dont_inherit=True)
    scope = namespace(dict(generated.constants))
    exec(code, scope)  # noqa: S102 - fixed templates only; see the module docstring
    make: Callable[[datetime], Callable[[Lead], Any]] = scope["_make"]  # type: ignore[assignment]
    return make


def generate(rule: Expr) -> Generated:
    """The source of ``_make(_as_of)`` for ``rule`` (see the module docstring)."""
    try:
        if _static_rule_sets(rule):
            return Generator().run(rule)
    except RecursionError:  # a tree too deep to walk here is left to the interpreter
        pass
    gen = Generator()
    source = (
        "def _make(_as_of):\n"
        "    def _rule(lead):\n"
        f"        return _interpret({gen.out.const(rule)}, lead, _as_of, {{}})\n"
        "    return _rule\n"
    )
    return Generated(source, gen.out.constants)


def _static_rule_sets(rule: Expr) -> bool:
    """Whether every rule set is always evaluated, in order (the root, or its outputs)."""
    static: set[int] = set()

    def visit(node: Expr) -> None:
        if type(node) is tr.Named:
            visit(node.expr)
        elif type(node) is tr.RuleSet:
            static.add(id(node))
            for _, expr in node.outputs:
                visit(expr)

    visit(rule)
    return all(id(node) in static for node in walk(rule) if type(node) is tr.RuleSet)


class Generator(LeafGen):
    """Writes the function for one rule (leaf tests and values come from the bases)."""

    def __init__(self) -> None:
        super().__init__()
        self._conditions: dict[type, Callable[[Any], Cond]] = {
            tr.Compare: self.compare,
            tr.IsIn: self.isin,
            tr.Between: self.between,
            tr.Contains: self.contains,
            tr.Overlaps: self.strict_cond,
            tr.TextTest: self.strict_cond,
            tr.Matches: self.strict_cond,
            tr.IsMissing: self.is_missing,
            tr.Not: self.negation,
            tr.All: lambda n: self.junction(n, conj=True),
            tr.Any: lambda n: self.junction(n, conj=False),
            tr.AtLeast: self.at_least,
        }
        self._values: dict[type, Callable[[Any], Val]] = {
            tr.Arith: self.arith,
            tr.Func: self.strict,
            tr.Size: self.size,
            tr.DaysFrom: self.days,
            SignalAgg: self.signal,
            tr.Points: self.points,
            tr.Per: self.per,
            tr.Score: self.score,
            tr.Grade: self.strict,
            DecisionTable: self.table,
            tr.Ref: self.ref,
            tr.RuleSet: self.rule_set,
            tr.Custom: self.custom,
        }

    def run(self, rule: Expr) -> Generated:
        """Generate the whole function."""
        paths = {n.path for n in walk(rule) if type(n) is Field}
        aggs = [n for n in walk(rule) if type(n) is SignalAgg]
        setup: list[str] = []
        self.fields = read_fields(self.out, paths)
        self.signals = aggregate_signals(self.out, setup, aggs)
        result = self.val(rule)
        self.out.line(f"return {result.expr}")
        lines = ["def _make(_as_of):", *("    " + line for line in setup)]
        if self.uses_today:
            lines.append("    _today = _as_of.date()")
        lines += ["    def _rule(lead):", *self.out.lines, "    return _rule"]
        return Generated("\n".join(lines) + "\n", self.out.constants)

    # -- dispatch -------------------------------------------------------------------------
    def cond(self, node: Expr) -> Cond:
        """Emit a node read as a condition (a value read so is compared with the Truths)."""
        if self.out.indent > MAX_INDENT:
            return Cond.of_var(self.interpreted(node), proper=False)
        kind = type(node)
        if kind is tr.Named:
            return self.cond(node.expr)  # type: ignore[attr-defined]
        if kind is tr.Const:
            value = node.value  # type: ignore[attr-defined]
            return Cond.const(
                Truth.UNKNOWN if value is None else Truth.TRUE if value else Truth.FALSE
            )
        handler = self._conditions.get(kind)
        if handler is not None:
            return handler(node)
        value = self.val(node)
        return Cond.of_var(value.expr, proper=value.tags == _TRUTH)

    def val(self, node: Expr) -> Val:
        """Emit a node read as a value (a condition gives its Truth)."""
        if self.out.indent > MAX_INDENT:
            return Val(self.interpreted(node), frozenset({"any"}))
        kind = type(node)
        if kind is Field:
            return self.fields[node.path]  # type: ignore[attr-defined]
        if kind is Literal:
            return self.literal(node)  # type: ignore[arg-type]
        if kind is tr.Named:
            return self.val(node.expr)  # type: ignore[attr-defined]
        handler = self._values.get(kind)
        if handler is not None:
            return handler(node)
        if kind in self._conditions or kind is tr.Const:
            return self.out.truth_value(self.cond(node))
        return Val(self.interpreted(node), frozenset({"any"}))

    # -- logic ----------------------------------------------------------------------------
    def negation(self, node: tr.Not) -> Cond:
        """TRUE and FALSE swap; a non-Truth (a ``ref`` to a value) is inverted with ``~``."""
        inner = self.cond(node.operand)
        if inner.proper:
            return inner.negate()
        name = self.out.new("v")
        self.out.line(f"{name} = ~{inner.var}")
        return Cond.of_var(name, proper=False)

    def junction(self, node: tr.All | tr.Any, *, conj: bool) -> Cond:
        """Kleene AND / OR.

        An expression when the items are expressions; else statements that stop at the
        first absorbing item (FALSE for AND, TRUE for OR), as the interpreter does.
        """
        out, base = self.out, self.out.indent
        parts: list[tuple[Cond, list[str]]] = []
        for index, item in enumerate(node.items):
            with out.capture(base if index == 0 else base + 1) as lines:
                cond = self.cond(item)
            parts.append((cond, lines))
        if not any(lines for _, lines in parts) and all(c.proper for c, _ in parts):
            conds = [out.shallow(c) for c, _ in parts]
            ands, ors = " and ".join, " or ".join
            true = ands(c.true for c in conds) if conj else ors(c.true for c in conds)
            false = ors(c.false for c in conds) if conj else ands(c.false for c in conds)
            depth = 1 + max(c.depth for c in conds)
            known = all(c.always_known for c in conds)
            return Cond.pure(f"({true})", f"({false})", depth, always_known=known)
        result = out.new("t")
        absorbed = "_F" if conj else "_T"
        out.line(f"{result} = {'_T' if conj else '_F'}")
        segments: list[list[tuple[Cond, list[str]]]] = []
        for index, (cond, lines) in enumerate(parts):
            if index == 0 or lines:
                segments.append([])
            segments[-1].append((cond, lines))
        for index, segment in enumerate(segments):
            if index:
                out.line(f"if {result} is not {absorbed}:")
                out.indent = base + 1
            out.splice(segment[0][1])
            hit = " or ".join(c.false if conj else c.true for c, _ in segment)
            with out.block(f"if {hit}"):
                out.line(f"{result} = {absorbed}")
            unknown = [c.unknown for c, _ in segment if c.unknown != "False"]
            if unknown:
                with out.block(f"elif {' or '.join(unknown)}"):
                    out.line(f"{result} = _U")
            out.indent = base
        return Cond.of_var(result, proper=True)

    def at_least(self, node: tr.AtLeast) -> Cond:
        """TRUE with ``n`` TRUE items, FALSE when the unknowns cannot make ``n``."""
        out = self.out
        true, unknown = out.new("n"), out.new("n")
        out.line(f"{true} = 0")
        out.line(f"{unknown} = 0")
        for item in node.items:
            cond = self.cond(item)
            with out.block(f"if {cond.true}"):
                out.line(f"{true} += 1")
            if cond.unknown != "False":
                with out.block(f"elif {cond.unknown}"):
                    out.line(f"{unknown} += 1")
        n = out.const(node.n)
        name = out.new("t")
        out.line(f"{name} = _T if {true} >= {n} else _F if {true} + {unknown} < {n} else _U")
        return Cond.of_var(name, proper=True)
