"""The columns an explained table result is made of, whichever engine makes it.

``fact_outputs`` names the outputs whose unknown facts become ``<column>_unknown``;
``next_fact_fields`` names the columns that ``qualify``'s ranking of next facts reads
for each lead (``_framefacts._Rows``), given how an engine names the rule set's outputs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from funnelkit.qualify._policy import Policy

__all__ = ["FactNames", "fact_names", "fact_outputs", "next_fact_fields"]


def fact_outputs(policy: Policy) -> dict[str, str]:
    """The outputs whose unknown facts are columns: output name -> result column.

    The scores (``fit``, ``engagement``, ``priority``), each gate (``gate_<stage>``) and
    each framework criterion (``<framework>_<criterion>``).
    """
    out = {"fit": "fit", "engagement": "engagement"}
    if policy.priority is not None:
        out["priority"] = "priority"
    out.update({f"stage_{s.key}": f"gate_{s.key}" for s, _ in policy.ordered_gates})
    out.update({f"{fw.key}_{c.key}": f"{fw.key}_{c.key}" for fw in policy.frameworks for c in fw})
    return out


class FactNames(NamedTuple):
    """The keys of a policy's gated stages, its criteria's outputs and its scores."""

    gates: list[str]
    criteria: list[str]
    scores: list[str]


def fact_names(policy: Policy) -> FactNames:
    """What the next facts of a lead read: its gates, criteria and scores, by name."""
    return FactNames(
        [s.key for s, _ in policy.ordered_gates],
        [f"{fw.key}_{c.key}" for fw in policy.frameworks for c in fw],
        [n for n in ("fit", "engagement", "priority") if n in fact_outputs(policy)],
    )


def next_fact_fields(policy: Policy, output: Callable[[str], str]) -> dict[str, str]:
    """The fields of a lead that its next facts are worked out from -> their columns.

    Args:
        policy: The policy.
        output: The column holding an output of the policy's rule set, by its name.
    """
    gates, criteria, scores = fact_names(policy)
    return {
        "stage": "__stage",
        "rule_stage": "rule_stage",
        "placed": "__placed",
        "foreign": "__foreign",
        "held": "__held",
        "entered": "stage_entered_at",
        "expired": "__expired",
        **{f"gate_{g}": output(f"stage_{g}") for g in gates},
        **{f"lifts_{g}": f"__lifts_{g}" for g in gates},
        **{f"is_{c}": output(c) for c in criteria},
        **{f"facts_{n}": f"__facts_{n}" for n in [*criteria, *scores]},
    }
