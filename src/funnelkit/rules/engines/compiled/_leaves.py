"""Code generation for the leaf conditions: comparisons, membership, presence.

These are the fast paths the benchmark pays for: each test becomes a plain expression
(``Cond.two``: known, then the test) when the types it can meet make the Python
operation unable to fail; otherwise it calls the shared ``compare`` in a statement, so
errors are raised where, and as, the interpreter raises them. Every other strict
condition (text tests, patterns, overlaps) is written from its declared meaning
(``ValueGen.strict``). The engine-agreement properties hold each template to the
declaration.
"""

from __future__ import annotations

from funnelkit.rules import tree as tr
from funnelkit.rules.engines.compiled._base import NONE, Cond, Val, hashable, safe_order
from funnelkit.rules.engines.compiled._values import ValueGen
from funnelkit.rules.meaning import COMPARE
from funnelkit.rules.tree import Expr, Truth

__all__ = ["LeafGen"]

_EQUAL = frozenset({"int", "float", "dec", "str", "bool", "date", "adt", "set", "truth", "none"})
"""Values ``==`` and ``!=`` compare without ever raising (Money compares by currency)."""


class LeafGen(ValueGen):
    """The leaf conditions of the generator."""

    # -- helpers --------------------------------------------------------------------------
    def _truth(self, known: str | None, expr: str) -> Cond:
        """``_tN = expr`` when ``known`` holds, else UNKNOWN."""
        name = self.out.new("t")
        if known is None:
            self.out.line(f"{name} = {expr}")
        else:
            with self.out.block(f"if {known}"):
                self.out.line(f"{name} = {expr}")
            with self.out.block("else"):
                self.out.line(f"{name} = _U")
        return Cond.of_var(name, proper=True)

    @staticmethod
    def _known(*values: Val, also: str = "") -> str | None:
        """An expression that is true when none of ``values`` is missing (and ``also``)."""
        tests = [f"{v.expr} is not None" for v in values if v.nullable]
        tests += [also] if also else []
        return f"({' and '.join(tests)})" if tests else None

    # -- comparisons ----------------------------------------------------------------------
    def compare(self, node: tr.Compare) -> Cond:
        """``left <op> right``: a plain expression when the types cannot fail."""
        if node.op not in COMPARE:
            return Cond.of_var(self.interpreted(node), proper=False)
        left, right = self.val(node.left), self.val(node.right)
        if left.always_none or right.always_none:
            return Cond.const(Truth.UNKNOWN)
        known, op = self._known(left, right), node.op
        lt, rt = left.tags - NONE, right.tags - NONE
        equality = op in ("==", "!=")
        if (equality and lt | rt <= _EQUAL) or (not equality and safe_order(lt, rt)):
            test = f"({left.expr} {op} {right.expr})"
            one_side = op == "==" and left.nullable != right.nullable
            return Cond.two(known, test, true=test if one_side else None)
        if lt == rt == frozenset({"money"}):
            # Money compares within one currency; another currency is UNKNOWN
            known = self._known(left, right, also=f"{left.expr}.currency == {right.expr}.currency")
            return Cond.two(known, f"({left.expr}.amount {op} {right.expr}.amount)")
        call = f"_compare({self.out.const(op)}, {left.expr}, {right.expr})"
        return self._truth(known, call)

    def isin(self, node: tr.IsIn) -> Cond:
        """Membership in a constant set."""
        value = self.val(node.operand)
        if value.always_none:
            return Cond.const(Truth.UNKNOWN)
        values = self.out.const(node.values)
        known = self._known(value)
        if hashable(value.tags) and type(node.values) is frozenset:
            test = f"({value.expr} in {values})"
            return Cond.two(known, test, true=None if None in node.values else test)
        return self._truth(known, f"_T if {value.expr} in {values} else _F")

    def between(self, node: tr.Between) -> Cond:
        """``low <= operand <= high``, both ends included."""
        value, low, high = self.val(node.operand), self.val(node.low), self.val(node.high)
        if value.always_none or low.always_none or high.always_none:
            return Cond.const(Truth.UNKNOWN)
        known = self._known(value, low, high)
        if safe_order(value.tags, low.tags) and safe_order(value.tags, high.tags):
            return Cond.two(known, f"({low.expr} <= {value.expr} <= {high.expr})")
        const = self.out.const
        ge = f"_compare({const('>=')}, {value.expr}, {low.expr})"
        le = f"_compare({const('<=')}, {value.expr}, {high.expr})"
        return self._truth(known, f"{ge} & {le}")

    def contains(self, node: tr.Contains) -> Cond:
        """A set holds the item, or a text holds the substring."""
        value = self.val(node.operand)
        if value.always_none:
            return Cond.const(Truth.UNKNOWN)
        item, tags = node.item, value.tags - NONE
        test = f"({self.out.const(item)} in {value.expr})"
        safe = (tags <= frozenset({"str"}) and isinstance(item, str)) or (
            tags <= frozenset({"set", "tuple"}) and _hashes(item)
        )
        if safe:
            return Cond.two(self._known(value), test)
        return self._truth(self._known(value), f"_T if {test} else _F")

    def strict_cond(self, node: Expr) -> Cond:
        """A strict condition without a template of its own: its declared meaning."""
        return Cond.of_var(self.strict(node).expr, proper=True)

    def is_missing(self, node: tr.IsMissing) -> Cond:
        """TRUE when the operand is missing, FALSE otherwise (never UNKNOWN)."""
        value = self.val(node.operand)
        if not value.nullable:
            return Cond.const(Truth.FALSE)
        if value.always_none:
            return Cond.const(Truth.TRUE)
        return Cond.two(None, f"({value.expr} is None)")


def _hashes(value: object) -> bool:
    """Whether ``value`` can be hashed (membership tests on it cannot raise)."""
    try:
        hash(value)
    except TypeError:
        return False
    return True
