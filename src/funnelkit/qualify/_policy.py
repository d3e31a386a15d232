"""A qualification policy: fit, engagement, frameworks and stage gates over one funnel."""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from functools import cached_property

import attrs

from funnelkit.errors import PolicyError
from funnelkit.frameworks import Framework
from funnelkit.model import Funnel, Stage
from funnelkit.qualify._declared import (
    UndeclaredName,
    declaration_problems,
    to_custom_types,
    to_kinds,
    type_problems,
    undeclared_names,
)
from funnelkit.qualify._recycle import DEFAULT_REENTRY
from funnelkit.rules import (
    CompiledRule,
    Expr,
    RuleBuildError,
    compile_rule,
    grade,
    lit,
    per,
    points,
    ref,
    rule_set,
    score,
    to_text,
)
from funnelkit.rules.tree import Ref, RuleSet, walk

__all__ = [
    "StageGate",
    "Policy",
    "PolicyError",
    "GRADE_BANDS",
    "ENGAGEMENT_BANDS",
    "PRIORITY_BANDS",
    "weighted_priority",
]

GRADE_BANDS: tuple[tuple[str, int], ...] = (("A", 75), ("B", 50), ("C", 25))
"""The default fit grades: A from 75, B from 50, C from 25, D below."""
ENGAGEMENT_BANDS: tuple[tuple[str, int], ...] = (("1", 75), ("2", 50), ("3", 25))
"""The default engagement grades: 1 from 75, 2 from 50, 3 from 25, 4 below."""
PRIORITY_BANDS: tuple[tuple[str, int], ...] = (("hot", 70), ("warm", 40))
"""The default priority grades: hot from 70, warm from 40, cold below."""

NOT_NUMBER_KINDS = frozenset({"str", "enum", "bool", "date", "datetime", "list", "set", "mapping"})
"""Value kinds a number rule cannot have (a grade, a company's name, a date)."""

RESERVED = frozenset(
    {"fit", "fit_grade", "engagement", "engagement_grade", "priority", "priority_grade"}
)
"""Output names a policy makes itself; definitions and stages cannot take them."""
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def _check_name(what: str, name: object) -> None:
    if not isinstance(name, str) or not _NAME.match(name):
        raise PolicyError(
            f"{what} must be a lower-case identifier such as 'enterprise', got {name!r}"
        )


def _to_reentry(value: object) -> Expr:
    node = lit(value)
    if not node.is_condition:
        raise PolicyError(f"reentry must be a condition, got {node!r}")
    return node


def _to_condition(value: object) -> Expr:
    node = lit(value)
    if not node.is_condition:
        raise PolicyError(f"a stage's entry rule must be a condition, got {node!r}")
    return node


@attrs.frozen(kw_only=True, eq=False)
class StageGate:
    """The entry rule of one open stage of the funnel.

    Args:
        stage: The stage key.
        entry: The condition a lead must meet to be in the stage. It may refer to the
            policy's outputs with ``ref`` (``ref("fit") >= 50``, ``ref("bant_met") == 4``).
        description: Why the gate is what it is, in words.
    """

    stage: str
    entry: Expr = attrs.field(converter=_to_condition)
    description: str | None = None


def _grade_label(_inst: object, _attribute: object, label: object) -> None:
    if not isinstance(label, str) or not label.strip():
        raise PolicyError(f"grade labels must be non-empty text, got {label!r}")


def _to_bands(
    value: Mapping[str, object] | Iterable[tuple[str, object]],
) -> tuple[tuple[str, int | Decimal], ...]:
    pairs = value.items() if isinstance(value, Mapping) else value
    out = []
    for label, threshold in pairs:
        _grade_label(None, None, label)
        if isinstance(threshold, bool) or not isinstance(threshold, int | Decimal):
            raise PolicyError(f"grade band {label!r} needs an int or Decimal, got {threshold!r}")
        out.append((str(label), threshold))
    return tuple(sorted(out, key=lambda pair: pair[1], reverse=True))


def weighted_priority(
    fit: int | Decimal | str = Decimal("0.5"), engagement: int | Decimal | str = Decimal("0.5")
) -> Expr:
    """A priority that weighs the fit and engagement scores: ``fit * w1 + engagement * w2``.

    Fit and engagement stay two scores; a priority combines them into one number that
    the policy's priority bands grade (hot, warm, cold by default), for teams that rank
    leads on one scale rather than on the A1 ... D4 grid.

    Args:
        fit: The weight of the fit score (a number; a decimal string or ``Decimal`` is
            exact, floats are refused).
        engagement: The weight of the engagement score.

    Returns:
        A number rule over ``ref("fit")`` and ``ref("engagement")``, for
        ``Policy(priority=...)``.

    Raises:
        RuleBuildError: A weight that is not a number.

    Examples:
        >>> print(weighted_priority(fit="0.6", engagement="0.4"))
        score(0.6 points per ref("fit"), 0.4 points per ref("engagement"), name "priority")
    """
    return score(
        per(_weight(fit), ref("fit")),
        per(_weight(engagement), ref("engagement")),
        name="priority",
    )


def _weight(value: object) -> int | Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        raise RuleBuildError(
            f"a priority weight must be an int, a Decimal or a decimal string, got {value!r}"
        )
    return value if isinstance(value, int | Decimal) else Decimal(value)


def _to_optional_number_rule(value: object) -> Expr | None:
    return None if value is None else lit(value)


def _to_tuple(value: Iterable[object]) -> tuple[object, ...]:
    return tuple(value)


def _to_stage_map(
    value: Mapping[str, str] | Iterable[tuple[str, str]],
) -> tuple[tuple[str, str], ...]:
    pairs = value.items() if isinstance(value, Mapping) else value
    return tuple((source, target) for source, target in pairs)


def _to_definitions(
    value: Mapping[str, object] | Iterable[tuple[str, object]],
) -> tuple[tuple[str, Expr], ...]:
    pairs = value.items() if isinstance(value, Mapping) else value
    return tuple((name, lit(expr)) for name, expr in pairs)


@attrs.frozen(kw_only=True, eq=False)
class Policy:
    """How to qualify leads: fit, engagement, frameworks and the funnel's entry rules.

    A policy is data. It compiles to one [`rule_set`][funnelkit.rules.rule_set] whose
    outputs are, in order: the named ``definitions``; ``fit`` and ``fit_grade``;
    ``engagement`` and ``engagement_grade``; ``priority`` and ``priority_grade`` when
    the policy has a priority; for each framework ``<key>_<criterion>``
    (conditions) and ``<key>_met`` (how many are met); then ``stage_<key>``, each open
    stage's entry rule. Later outputs may ``ref`` earlier ones.

    Args:
        name: The policy's name (reported with every result).
        version: Its version (reported too, and written into stage history).
        funnel: The funnel whose stages the gates open.
        gates: Entry rules of open stages; a stage without a gate is never entered by
            rule (only explicitly).
        fit: A number rule: how well the lead fits (an ICP's ``icp_fit``, or any score).
        fit_grades: Fit grade bands, label to lowest score (default A/B/C, D below).
        fit_default_grade: The grade below every band.
        engagement: A number rule: how engaged the lead is.
        engagement_grades: Engagement grade bands (default 1/2/3, 4 below).
        engagement_default_grade: The engagement grade below every band.
        priority: An optional number rule that combines fit and engagement into one
            score (``weighted_priority(fit="0.6", engagement="0.4")``, or any number
            rule; it may ``ref("fit")`` and ``ref("engagement")``). ``None``: the policy
            ranks on the fit-by-engagement grid only.
        priority_grades: Priority grade bands (default hot/warm, cold below).
        priority_default_grade: The priority grade below every band.
        frameworks: Frameworks to report (and to use in gates through their outputs).
        definitions: Named rules reused by name in gates (``ref("enterprise")``).
        allow_skipping: When ``False``, a lead only enters a stage if it also passes
            the gates of every earlier open stage.
        stage_map: Stages of other funnels, by key, and the stage of this funnel each
            stands for (``{"profiled": "mql"}``): a lead whose history ends in a stage
            this funnel does not have is placed there. A stage neither in the funnel nor
            in the map is reported (``Qualification.foreign_stage``) and not moved.
        reentry: When a lead in nurture (recycled) comes back by rule: a condition read
            on what is new since its last stage change (signals after it, BANT parts
            asserted after it; see ``since_last_move``). Until it holds, the lead stays
            in nurture whatever the gates say. The default is proactive engagement or
            new BANT evidence (``DEFAULT_REENTRY``); ``TRUE`` lets the gates alone decide.
        description: What the policy is for.
        owner: Who maintains it.
        effective_date: From when it applies.
        custom_attributes: The custom attributes the rules read, name to type
            (``{"seats": "integer", "tier": "text"}``; types: ``text``, ``number``,
            ``integer``, ``boolean``, ``date``). A rule that compares one with a value
            of another type is refused, and loaders convert them
            (``read_leads(..., custom_types=dict(policy.custom_attributes))``).
        signal_kinds: The signal kinds the rules expect beyond the standard ones
            ([`SignalKind`][funnelkit.model.SignalKind]). Kinds and custom attributes
            that rules read and nothing declares are listed by ``undeclared``.

    Raises:
        PolicyError: A gate names an unknown or closed stage or appears twice, a name
            clashes, a ``ref`` points at an output that is not defined before it, a
            declaration is malformed, or a rule compares a declared custom attribute
            with a value of another type.

    *Changed in the next release:* ``custom_attributes`` and ``signal_kinds``.
    """

    name: str
    version: str = "1"
    funnel: Funnel
    gates: tuple[StageGate, ...] = attrs.field(converter=_to_tuple)
    fit: Expr = attrs.field(factory=score, converter=lit)
    fit_grades: tuple[tuple[str, int | Decimal], ...] = attrs.field(
        default=GRADE_BANDS, converter=_to_bands
    )
    fit_default_grade: str = attrs.field(default="D", validator=_grade_label)
    engagement: Expr = attrs.field(factory=score, converter=lit)
    engagement_grades: tuple[tuple[str, int | Decimal], ...] = attrs.field(
        default=ENGAGEMENT_BANDS, converter=_to_bands
    )
    engagement_default_grade: str = attrs.field(default="4", validator=_grade_label)
    priority: Expr | None = attrs.field(default=None, converter=_to_optional_number_rule)
    priority_grades: tuple[tuple[str, int | Decimal], ...] = attrs.field(
        default=PRIORITY_BANDS, converter=_to_bands
    )
    priority_default_grade: str = attrs.field(default="cold", validator=_grade_label)
    frameworks: tuple[Framework, ...] = attrs.field(factory=tuple, converter=_to_tuple)
    definitions: tuple[tuple[str, Expr], ...] = attrs.field(
        factory=tuple, converter=_to_definitions
    )
    allow_skipping: bool = True
    stage_map: tuple[tuple[str, str], ...] = attrs.field(factory=tuple, converter=_to_stage_map)
    reentry: Expr = attrs.field(factory=lambda: DEFAULT_REENTRY, converter=_to_reentry)
    description: str | None = None
    owner: str | None = None
    effective_date: date | None = None
    custom_attributes: tuple[tuple[str, str], ...] = attrs.field(
        factory=tuple, converter=to_custom_types
    )
    signal_kinds: frozenset[str] = attrs.field(factory=frozenset, converter=to_kinds)

    def __attrs_post_init__(self) -> None:
        numbers = [(self.fit, "fit"), (self.engagement, "engagement")]
        if self.priority is not None:
            numbers.append((self.priority, "priority"))
        for node, what in numbers:
            if node.is_condition:
                raise PolicyError(f"{what} must be a number rule (a score), got a condition")
            if node.value_kind() in NOT_NUMBER_KINDS:
                raise PolicyError(
                    f"{what} must be a number rule (a score), got {node!r} whose value is "
                    f"{node.value_kind()}"
                )
        seen: set[str] = set()
        for name, _ in self.definitions:
            _check_name("a definition's name", name)
            if name in RESERVED or name in seen or name.startswith("stage_"):
                raise PolicyError(f"the definition name {name!r} is taken; choose another")
            seen.add(name)
        for fw in self.frameworks:
            if not isinstance(fw, Framework):
                raise PolicyError(f"frameworks must be Framework objects, got {fw!r}")
            for out in (*(f"{fw.key}_{c.key}" for c in fw), f"{fw.key}_met"):
                if out in seen or out in RESERVED:
                    raise PolicyError(f"the framework output {out!r} clashes with another name")
                seen.add(out)
        gated: set[str] = set()
        for index, gate in enumerate(self.gates):
            if not isinstance(gate, StageGate):
                raise PolicyError(f"gates[{index}] must be a StageGate, got {gate!r}")
            stage = self.funnel.stage(gate.stage)
            if not stage.is_open:
                raise PolicyError(
                    f"gates[{index}]: {gate.stage!r} is a {stage.kind.value} stage; only open "
                    "stages are entered by rule (move leads to outcomes explicitly)"
                )
            if gate.stage in gated:
                raise PolicyError(f"gates[{index}]: stage {gate.stage!r} has two gates")
            gated.add(gate.stage)
        self._check_stage_map()
        if any(isinstance(n, Ref) for n in walk(self.reentry)):
            raise PolicyError(
                "reentry is read on the facts since the last stage change, apart from the "
                "policy's outputs: it cannot ref() them"
            )
        try:
            self.rules  # noqa: B018  (builds the rule set: checks every ref)
        except RuleBuildError as err:
            raise PolicyError(f"policy {self.name!r}: {err}") from None
        self._check_declared()

    def _check_declared(self) -> None:
        problems = declaration_problems(self.custom_attributes, self.signal_kinds)
        if not problems:
            declared = dict(self.custom_attributes)
            problems = type_problems(self.rules, declared) + type_problems(self.reentry, declared)
        if problems:
            raise PolicyError(f"policy {self.name!r}: " + "; ".join(problems))

    @cached_property
    def undeclared(self) -> tuple[UndeclaredName, ...]:
        """Signal kinds and custom attributes the rules read that nothing declares.

        Standard signal kinds, the policy's ``signal_kinds``, its ``custom_attributes``
        and the custom attributes the preset frameworks read count as declared. Each
        entry names the closest declared name when one is close (a typo such as
        ``phone_converstion``); ``funnelkit policy validate`` prints them as warnings.

        Examples:
            >>> from funnelkit import F, Policy
            >>> from funnelkit.model import STARTER_FUNNEL
            >>> from funnelkit.qualify import StageGate
            >>> from funnelkit.rules import signals
            >>> policy = Policy(
            ...     name="p", funnel=STARTER_FUNNEL, signal_kinds={"phone_conversation"},
            ...     gates=[StageGate(stage="sales_ready",
            ...                      entry=signals("phone_converstion").exists())])
            >>> print(policy.undeclared[0])  # doctest: +NORMALIZE_WHITESPACE
            signal kind 'phone_converstion' is read by a rule but is not a standard kind
            and not declared in signal_kinds; did you mean 'phone_conversation'?
        """
        names = [name for name, _ in self.custom_attributes]
        return undeclared_names((self.rules, self.reentry), names, self.signal_kinds)

    def _check_stage_map(self) -> None:
        seen: set[str] = set()
        for index, (source, target) in enumerate(self.stage_map):
            where = f"stage_map[{index}]"
            if not isinstance(source, str) or not source.strip():
                raise PolicyError(f"{where}: expected a stage key, got {source!r}")
            if source in self.funnel:
                raise PolicyError(
                    f"{where}: {source!r} is a stage of the {self.funnel.name} funnel "
                    "itself; map only stages of other funnels"
                )
            if source in seen:
                raise PolicyError(f"{where}: {source!r} is mapped twice")
            seen.add(source)
            if not isinstance(target, str) or target not in self.funnel:
                close = difflib.get_close_matches(str(target), self.funnel.keys, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise PolicyError(
                    f"{where}: {source!r} -> {target!r}: {target!r} is not a stage of the "
                    f"{self.funnel.name} funnel{hint}"
                )

    def place(self, key: str | None) -> str | None:
        """The stage of this policy's funnel that a stage from a lead's history stands for.

        Args:
            key: A stage key (``None``: no stage).

        Returns:
            ``key`` when the funnel has it, its ``stage_map`` entry, else ``None``.

        Examples:
            >>> from funnelkit.qualify import WATERFALL
            >>> WATERFALL.place("sal"), WATERFALL.place("profiled"), WATERFALL.place("nurture")
            ('sal', 'mql', None)
        """
        if key is None or key in self.funnel:
            return key
        return dict(self.stage_map).get(key)

    @property
    def label(self) -> str:
        """``name@version``: how results and stage history name the policy."""
        return f"{self.name}@{self.version}"

    def _repr_html_(self) -> str:
        e = html.escape
        gates = "".join(
            f"<tr><td>{e(stage.label)}</td><td><code>{e(to_text(gate.entry))}</code></td></tr>"
            for stage, gate in self.ordered_gates
        )
        frameworks = ", ".join(e(fw.name) for fw in self.frameworks) or "none"
        return (
            f'<div class="funnelkit-policy"><p><strong>{e(self.label)}</strong>: '
            f"funnel {e(self.funnel.name)}, frameworks {frameworks}</p>"
            f"<table><tr><th>stage</th><th>entry rule</th></tr>{gates}</table></div>"
        )

    @cached_property
    def ordered_gates(self) -> tuple[tuple[Stage, StageGate], ...]:
        """The gates with their stages, in funnel order."""
        by_key = {gate.stage: gate for gate in self.gates}
        return tuple((s, by_key[s.key]) for s in self.funnel.open_stages if s.key in by_key)

    @cached_property
    def rules(self) -> RuleSet:
        """The whole policy as one rule set (see the class docstring for its outputs)."""
        outputs: dict[str, object] = dict(self.definitions)
        outputs["fit"] = self.fit
        outputs["fit_grade"] = grade(
            ref("fit"), dict(self.fit_grades), default=self.fit_default_grade
        )
        outputs["engagement"] = self.engagement
        outputs["engagement_grade"] = grade(
            ref("engagement"), dict(self.engagement_grades), default=self.engagement_default_grade
        )
        if self.priority is not None:
            outputs["priority"] = self.priority
            outputs["priority_grade"] = grade(
                ref("priority"), dict(self.priority_grades), default=self.priority_default_grade
            )
        for fw in self.frameworks:
            for criterion in fw:
                outputs[f"{fw.key}_{criterion.key}"] = criterion.rule
            outputs[f"{fw.key}_met"] = score(
                *(
                    points(1, when=ref(f"{fw.key}_{c.key}", condition=True), label=c.key)
                    for c in fw
                ),
                name=f"{fw.name} criteria met",
            )
        for stage, gate in self.ordered_gates:
            outputs[f"stage_{stage.key}"] = gate.entry
        return rule_set(**outputs)

    @cached_property
    def compiled(self) -> CompiledRule:
        """The rule set compiled for fast evaluation (built on first use)."""
        return compile_rule(self.rules)

    @cached_property
    def compiled_reentry(self) -> CompiledRule:
        """``reentry`` compiled (built on first use)."""
        return compile_rule(self.reentry)

    def criterion_fields(self, framework: str, criterion: str) -> frozenset[str]:
        """The field paths one framework criterion reads (``custom.metrics``, ...).

        Args:
            framework: The framework's key.
            criterion: The criterion's key.

        Returns:
            The paths.
        """
        return self._criterion_fields[(framework, criterion)]

    @cached_property
    def _criterion_fields(self) -> dict[tuple[str, str], frozenset[str]]:
        return {(fw.key, c.key): c.rule.meta.fields() for fw in self.frameworks for c in fw}

    @cached_property
    def custom_facts(self) -> frozenset[str]:
        """The custom attributes the frameworks' criteria read (``metrics``, ...).

        ``qualify`` reads a blank or placeholder value of these (``""``, ``"N/A"``,
        ``[]``: see [`PLACEHOLDERS`][funnelkit.frameworks.PLACEHOLDERS]) as missing.
        """
        paths = (p for fw in self.frameworks for c in fw for p in c.rule.meta.fields())
        return frozenset(p.partition(".")[2] for p in paths if p.startswith("custom."))

    @cached_property
    def refs(self) -> frozenset[str]:
        """The output names the policy's rules refer to."""
        return frozenset(n.name for n in walk(self.rules) if isinstance(n, Ref))
