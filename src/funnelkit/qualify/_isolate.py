"""A lead a rule cannot work with: find the output that failed, and say so."""

from __future__ import annotations

from datetime import datetime

from funnelkit.model import Lead
from funnelkit.rules import Expr, RuleEvaluationError, evaluate, rule_set

__all__ = ["failed_output", "evaluation_error"]


def failed_output(rules: Expr, known: Lead, as_of: datetime) -> str | None:
    """The name of the first output of ``rules`` (a rule set) that fails for ``known``.

    Only called once evaluation has failed: each prefix of the rule set is evaluated by
    the reference interpreter, so outputs that ``ref`` earlier ones still work.
    """
    outputs: tuple[tuple[str, Expr], ...] = getattr(rules, "outputs", ())
    for end in range(1, len(outputs) + 1):
        try:
            evaluate(rule_set(**dict(outputs[:end])), known, as_of=as_of)
        except Exception:
            return outputs[end - 1][0]
    return None


def evaluation_error(
    err: Exception, rules: Expr, lead: Lead, known: Lead, as_of: datetime
) -> RuleEvaluationError:
    """A RuleEvaluationError naming the lead and the failing output, caused by ``err``."""
    name = failed_output(rules, known, as_of)
    where = f"rule {name!r}" if name is not None else "a rule"
    who = f"lead {lead.id!r}" if lead.id is not None else "a lead"
    error = RuleEvaluationError(
        f"{who}: {where} cannot work with this lead's values ({type(err).__name__}: {err})"
    )
    error.path = name
    return error
