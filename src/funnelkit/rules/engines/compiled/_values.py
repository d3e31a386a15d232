"""Code generation for value nodes: arithmetic, scores, grades, decision tables, custom rules.

Every method emits the statements that compute one node, in the interpreter's order, and
returns a ``Val`` (a variable or constant and what it can hold) or, for conditions, a
``Cond``. See ``_codegen`` for the whole picture and why the output is safe.
"""

from __future__ import annotations

from decimal import Decimal

from funnelkit.rules import tree as tr
from funnelkit.rules.engines.compiled._base import (
    ANY,
    NONE,
    NUM,
    Cond,
    Emitter,
    Tags,
    Val,
    literal_tags,
)
from funnelkit.rules.meaning import strict_meaning
from funnelkit.rules.tree import DecisionTable, Expr, Literal, SignalAgg

__all__ = ["ValueGen"]

INT: Tags = frozenset({"int"})
POINTS: Tags = frozenset({"int", "dec"})
_TRUTH: Tags = frozenset({"truth"})
MAX_CHAIN = 32
"""The longest ``if``/``elif`` chain written for a table or a grade."""


def _nonnull(*values: Val) -> str | None:
    """An expression that is true when any of ``values`` is missing (None if none can be)."""
    tests = [f"{v.expr} is None" for v in values if v.nullable]
    return " or ".join(tests) if tests else None


def _present(tags: Tags) -> Tags:
    return tags - NONE


class ValueGen:
    """The value half of the generator (the condition half is ``_codegen.Generator``)."""

    def __init__(self) -> None:
        self.out = Emitter(indent=2)
        self.env: dict[object, Val] = {}
        self.fields: dict[str, Val] = {}
        self.signals: dict[int, Val] = {}
        self.uses_today = False

    def cond(self, node: Expr) -> Cond:  # pragma: no cover - defined by the generator
        """Emit a condition."""
        raise NotImplementedError

    def val(self, node: Expr) -> Val:  # pragma: no cover - defined by the generator
        """Emit a value."""
        raise NotImplementedError

    # -- helpers --------------------------------------------------------------------------
    def assign(self, missing: str | None, expr: str, *, default: str = "None") -> str:
        """``_vN = expr``, or ``default`` when the ``missing`` test holds; returns ``_vN``."""
        name = self.out.new("v")
        if missing is None:
            self.out.line(f"{name} = {expr}")
        else:
            with self.out.block(f"if {missing}"):
                self.out.line(f"{name} = {default}")
            with self.out.block("else"):
                self.out.line(f"{name} = {expr}")
        return name

    def interpreted(self, node: Expr) -> str:
        """Emit a call of the reference interpreter for ``node``; returns the variable."""
        env = ", ".join(f"{self.out.const(k)}: {v.expr}" for k, v in self.env.items())
        name = self.out.new("v")
        self.out.line(f"{name} = _interpret({self.out.const(node)}, lead, _as_of, {{{env}}})")
        return name

    # -- leaves ---------------------------------------------------------------------------
    def literal(self, node: Literal) -> Val:
        """A constant (``None`` is the keyword, anything else a bound name)."""
        if node.value is None:
            return Val("None", NONE)
        return Val(self.out.const(node.value), literal_tags(node.value))

    def signal(self, node: SignalAgg) -> Val:
        """A signal aggregation: from the shared loop, or ``signal_agg`` for rare shapes."""
        known = self.signals.get(id(node))
        if known is not None:
            return known
        name = self.out.new("v")
        self.out.line(f"{name} = _signal_agg({self.out.const(node)}, lead, _as_of)")
        return Val(name, ANY)

    def ref(self, node: tr.Ref) -> Val:
        """An earlier output of the rule set; a ``KeyError`` when there is none yet."""
        try:
            found = self.env.get(node.name)
        except TypeError:  # an unhashable name: the interpreter's lookup raises too
            found = None
        if found is None:
            self.out.line(f"_ref_error({self.out.const(node.name)})")
            return Val("None", NONE)
        return found

    # -- any strict node, from its declared meaning ---------------------------------------
    def strict(self, node: Expr) -> Val:
        """A strict node as ``funnelkit.rules.meaning`` declares it.

        Its declared ``on_missing`` when an operand is missing, else a call of its declared
        operation (prepared once, bound as a constant). The nodes the generator writes
        templates for (comparisons, membership, sizes, days, ``per``, arithmetic) use
        this too when their operands are not plain values.
        """
        meaning = strict_meaning(node)
        assert meaning is not None
        operands = [self.val(child) for child in node.children()]
        missing = self.out.const(meaning.on_missing)
        tags: Tags = _TRUTH if node.is_condition else ANY
        if any(v.always_none for v in operands):
            return Val(missing, tags)
        args = [v.expr for v in operands]
        if meaning.timed:
            args.insert(0, "_as_of")
        call = f"{self.out.const(meaning.operation(node))}({', '.join(args)})"
        return Val(self.assign(_nonnull(*operands), call, default=missing), tags)

    # -- numbers --------------------------------------------------------------------------
    def arith(self, node: tr.Arith) -> Val:
        """``+ - * /``; missing when a side is missing or on division by zero."""
        left, right = self.val(node.left), self.val(node.right)
        if left.always_none or right.always_none:
            return Val("None", NONE)
        lt, rt = _present(left.tags), _present(right.tags)
        plain = frozenset({"int", "float"})
        dec = frozenset({"dec"})
        op = node.op
        if (lt <= plain and rt <= plain) or (lt <= dec and rt <= dec):
            tags: Tags = dec if lt <= dec else INT if lt | rt <= INT else plain
            if op == "/":
                tags = (dec if lt <= dec else frozenset({"float"})) | NONE
                expr = f"None if {right.expr} == 0 else {left.expr} / {right.expr}"
            else:
                expr = f"{left.expr} {op} {right.expr}"
        else:
            mixed = lt | rt <= NUM and "dec" in lt | rt
            tags = dec | NONE if mixed else ANY
            expr = f"_arith({self.out.const(op)}, {left.expr}, {right.expr})"
        name = self.assign(_nonnull(left, right), expr)
        return Val(name, tags | NONE if left.nullable or right.nullable else tags)

    def size(self, node: tr.Size) -> Val:
        """The number of items; 0 for a missing set."""
        value = self.val(node.operand)
        missing = f"{value.expr} is None" if value.nullable else None
        return Val(self.assign(missing, f"_len({value.expr})", default="0"), INT)

    def days(self, node: tr.DaysFrom) -> Val:
        """Whole days between a date or datetime and ``as_of``."""
        value = self.val(node.operand)
        if value.always_none:
            return Val("None", NONE)
        age = node.direction == "age"
        tags = _present(value.tags)
        if tags <= frozenset({"adt"}):
            delta = f"(_as_of - {value.expr}).days"
            expr = delta if age else f"-{delta}"
        elif tags <= frozenset({"date"}):
            self.uses_today = True
            expr = f"(_today - {value.expr}).days" if age else f"({value.expr} - _today).days"
        else:
            direction = self.out.const(node.direction)
            expr = f"_days_from({value.expr}, {direction}, _as_of)"
        missing = f"{value.expr} is None" if value.nullable else None
        return Val(self.assign(missing, expr), INT | NONE if missing else INT)

    # -- scores ---------------------------------------------------------------------------
    def _product(self, value: Val, weight: object) -> tuple[str, Tags]:
        """``per_points(value, weight)`` for a present value."""
        if _present(value.tags) <= INT and type(weight) is int:
            return f"{value.expr} * {self.out.const(weight)}", INT
        return f"_per_points({value.expr}, {self.out.const(weight)})", POINTS

    def points(self, node: tr.Points) -> Val:
        """``points`` when the condition is TRUE, else 0."""
        cond = self.cond(node.when)
        tags = INT if type(node.points) is int else POINTS
        pts = self.out.const(node.points)
        return Val(self.assign(None, f"{pts} if {cond.true} else 0"), tags)

    def per(self, node: tr.Per) -> Val:
        """``weight * value``; 0 when the value is missing."""
        value = self.val(node.value)
        expr, tags = self._product(value, node.weight)
        missing = f"{value.expr} is None" if value.nullable else None
        return Val(self.assign(missing, expr, default="0"), tags)

    def score(self, node: tr.Score) -> Val:
        """Items added in order (missing ones skipped), then the floor, then the cap."""
        out = self.out
        total = out.new("s")
        out.line(f"{total} = 0")
        whole = True
        for item in node.items:
            if type(item) is tr.Points and type(item.points) in (int, Decimal):
                # a FALSE or UNKNOWN condition adds 0, which changes nothing
                cond = self.cond(item.when)
                with out.block(f"if {cond.true}"):
                    out.line(f"{total} += {out.const(item.points)}")
                whole = whole and type(item.points) is int
                continue
            if type(item) is tr.Per:
                value = self.val(item.value)
                expr, tags = self._product(value, item.weight)
            else:
                value = self.val(item)
                expr, tags = value.expr, _present(value.tags)
                if not tags <= POINTS:
                    expr, tags = f"_to_points({value.expr})", POINTS
            whole = whole and tags <= INT
            if value.nullable:
                with out.block(f"if {value.expr} is not None"):
                    out.line(f"{total} += {expr}")
            else:
                out.line(f"{total} += {expr}")
        if node.floor is not None or node.cap is not None:
            floor, cap = out.const(node.floor), out.const(node.cap)
            out.line(f"{total} = _bounded({total}, {floor}, {cap})")
            whole = whole and all(type(b) is int for b in (node.floor, node.cap) if b is not None)
        bounds_ok = all(type(b) in (int, Decimal) for b in (node.floor, node.cap) if b is not None)
        return Val(total, INT if whole else POINTS if bounds_ok else ANY)

    # -- tables ---------------------------------------------------------------------------
    def table(self, node: DecisionTable) -> Val:
        """A decision table: an ``if``/``elif`` chain for ``first``, a hit list otherwise."""
        if node.hit_policy == "first":
            return self._first(node)
        out = self.out
        hits = out.new("h")
        out.line(f"{hits} = []")
        tags: Tags = frozenset()
        for when, then in node.rows:
            cond = self.cond(when)
            with out.block(f"if {cond.true}"):
                value = self.val(then)
                out.line(f"{hits}.append({value.expr})")
            tags |= value.tags
        name = out.new("v")
        out.line(f"{name} = _table_outcome({out.const(node.hit_policy)}, {hits})")
        if node.hit_policy == "collect":
            return Val(name, frozenset({"tuple"}))
        with out.block(f"if {name} is _NO"):
            tags |= self._default(node, name)
        return Val(name, (POINTS if node.hit_policy == "collect_sum" else ANY) | tags)

    def _default(self, node: DecisionTable, name: str) -> Tags:
        if node.default is None:
            self.out.line(f"{name} = None")
            return NONE
        value = self.val(node.default)
        self.out.line(f"{name} = {value.expr}")
        return value.tags

    def _first(self, node: DecisionTable) -> Val:
        """Rows in order; the first TRUE one gives the output.

        Each row starts a segment guarded by "no hit yet", unless its condition is a pure
        expression: then it joins the previous row's ``elif`` chain.
        """
        out = self.out
        base = out.indent
        rows: list[tuple[Cond, list[str], Expr]] = []
        for index, (when, then) in enumerate(node.rows):
            with out.capture(base if index == 0 else base + 1) as lines:
                cond = self.cond(when)
            rows.append((cond, lines, then))
        split = [i for i, (_, lines, _) in enumerate(rows) if i == 0 or lines or i % MAX_CHAIN == 0]
        hit = out.new("h") if len(split) > 1 else None
        if hit:
            out.line(f"{hit} = False")
        name = out.new("v")
        tags: Tags = frozenset()
        for index, (cond, lines, then) in enumerate(rows):
            if index in split:
                if index:
                    out.indent = base
                    out.line(f"if not {hit}:")
                    out.indent = base + 1
                out.splice(lines)
            word = "if" if index in split else "elif"
            with out.block(f"{word} {cond.true}"):
                value = self.val(then)
                out.line(f"{name} = {value.expr}")
                if hit:
                    out.line(f"{hit} = True")
            tags |= value.tags
        out.indent = base
        with out.block(f"if not {hit}") if hit else out.block("else"):
            tags |= self._default(node, name)
        return Val(name, tags)

    # -- named outputs and custom rules ----------------------------------------------------
    def rule_set(self, node: tr.RuleSet) -> Val:
        """Each output in order into the environment; the result is the environment's copy."""
        for key, expr in node.outputs:
            self.env[key] = self.val(expr)
        items = ", ".join(f"{self.out.const(k)}: {v.expr}" for k, v in self.env.items())
        name = self.out.new("v")
        self.out.line(f"{name} = {{{items}}}")
        return Val(name, frozenset({"dict"}))

    def custom(self, node: tr.Custom) -> Val:
        """Call the function (with the lead, or with its inputs unless one is missing)."""
        out = self.out
        func = out.const(node.func)
        if node.inputs:
            kwargs: dict[object, Val] = {}
            for key, given in node.inputs:
                kwargs[key] = self.val(given)
            items = ", ".join(f"{out.const(k)}: {v.expr}" for k, v in kwargs.items())
            call, missing = f"{func}(**{{{items}}})", _nonnull(*kwargs.values())
        else:
            call, missing = f"{func}(lead)", None
        if node.returns == "bool":
            expr = f"_custom_truth({out.const(node.name)}, {call})"
            return Val(self.assign(missing, expr, default="_U"), frozenset({"truth"}))
        return Val(self.assign(missing, call), ANY)
