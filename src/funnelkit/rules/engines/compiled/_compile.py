"""The compiled row evaluator: a rule turned into one generated Python function.

``compile_rule`` generates the source of the rule's function once (``_codegen``; the
module docstring there says how, and why it is safe) and compiles it. Each ``as_of``
then gets its own function object, cached, whose per-instant values (window cutoffs, the
calendar date) are computed once. Results are exactly the reference interpreter's.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

from funnelkit.model import Lead
from funnelkit.rules.engines.compiled._generate import build, generate
from funnelkit.rules.meaning import check_as_of
from funnelkit.rules.tree import Expr, Limits, check_limits

__all__ = ["CompiledRule", "compile_rule"]

CACHE_SIZE = 8
"""How many ``as_of`` instants a compiled rule keeps a function for (the oldest goes first)."""


class CompiledRule:
    """A rule compiled for fast evaluation, one lead at a time.

    Call it like the interpreter: ``compiled(lead, as_of=...)``. For a batch at one
    instant, ``compiled.at(as_of)`` returns a plain ``lead -> result`` function. A
    compiled rule can be shared between threads.

    Attributes:
        rule: The rule it was compiled from.
    """

    __slots__ = ("_cache", "_lock", "_make", "_source", "rule")

    def __init__(self, rule: Expr, *, limits: Limits | None = None) -> None:
        check_limits(rule, limits or Limits())
        self.rule = rule
        generated = generate(rule)
        self._source = generated.source
        self._make = build(generated)
        self._cache: dict[tuple[datetime, object, int], Callable[[Lead], Any]] = {}
        self._lock = threading.Lock()

    @property
    def source(self) -> str:
        """The generated Python source of the rule's function, to read (not to run).

        It defines ``_make(_as_of)``, which returns the function for one instant. Names
        such as ``_c3`` are constants of the rule (its literals, sets, custom functions),
        bound outside the source; ``_f``, ``_v``, ``_t`` names are fields, values and
        truths. Only fixed templates and model attribute names make up the text.

        Examples:
            >>> from funnelkit.rules import F
            >>> print(compile_rule(F.company.employees >= 50).source)  # doctest: +ELLIPSIS
            def _make(_as_of):
                def _rule(lead):
                    _f0 = lead.company
            ...
        """
        return self._source

    def at(self, as_of: datetime) -> Callable[[Lead], Any]:
        """The evaluator for one ``as_of`` (cached for the last few instants).

        Args:
            as_of: The instant "now" means (timezone-aware).

        Returns:
            A function ``lead -> result`` that gives what ``evaluate`` gives.

        Raises:
            TypeError: ``as_of`` is not a timezone-aware datetime.
        """
        try:
            # equal instants in different zones (or folds) can give different day counts
            key = (as_of, as_of.tzinfo, as_of.fold)
        except AttributeError:
            check_as_of(as_of)
            raise  # pragma: no cover - check_as_of raised already
        fn = self._cache.get(key)
        if fn is None:
            check_as_of(as_of)
            fn = self._make(as_of)
            with self._lock:
                while len(self._cache) >= CACHE_SIZE:
                    self._cache.pop(next(iter(self._cache)))
                self._cache[key] = fn
        return fn

    def __call__(self, lead: Lead, *, as_of: datetime) -> Any:
        return self.at(as_of)(lead)

    def __repr__(self) -> str:
        return f"compile_rule({self.rule!r})"


def compile_rule(rule: Expr, *, limits: Limits | None = None) -> CompiledRule:
    """Compile a rule into a fast evaluator that agrees exactly with ``evaluate``.

    The rule becomes one generated Python function (``CompiledRule.source`` shows it);
    nothing from the rule is evaluated as text.

    Args:
        rule: Any rule node.
        limits: Depth and size bounds (defaults apply).

    Returns:
        A CompiledRule.

    Raises:
        RuleLimitError: The rule is too deep or too large.

    Examples:
        >>> from datetime import UTC, datetime
        >>> from funnelkit.model import Company, Lead
        >>> from funnelkit.rules import F
        >>> fits = compile_rule(F.company.employees.between(50, 5000))
        >>> fits(Lead(company=Company(employees=50)), as_of=datetime.now(UTC))
        <Truth.TRUE: 'true'>
    """
    return CompiledRule(rule, limits=limits)
