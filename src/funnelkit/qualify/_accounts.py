"""Qualifying accounts: their leads' scores rolled up, the furthest stage, the committee."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any

import attrs

from funnelkit.errors import ValidationError
from funnelkit.model import Account, BuyingRole, Funnel, Lead, StageKind
from funnelkit.qualify._committee import (
    BUYING_COMMITTEE,
    LEFT_OUT_STAGES,
    CommitteeCoverage,
    _attach,
    _committee_fields,
    _coverage,
    _roles,
    _stage_kinds,
    committee_key,
    counted_people,
)
from funnelkit.qualify._policy import Policy
from funnelkit.qualify._qualify import qualify
from funnelkit.qualify._result import NextFact, Qualification, shown
from funnelkit.qualify._rollup import ENGAGEMENT_ROLLUP, FIT_ROLLUP, Rollup
from funnelkit.rules.meaning import check_as_of

__all__ = ["AccountQualification", "AccountResults", "qualify_account", "qualify_accounts"]

Number = int | Decimal

# outcomes rank around the open steps: won beats every step, a lead in nurture still
# beats a lost or disqualified one
_KIND_RANK = {
    StageKind.WON: 3,
    StageKind.OPEN: 2,
    StageKind.NURTURE: 1,
    StageKind.LOST: 0,
    StageKind.DISQUALIFIED: 0,
}


def _plain(value: Number | None) -> object:
    return str(value) if isinstance(value, Decimal) else value


@attrs.frozen(kw_only=True)
class AccountQualification:
    """Where an account stands under a policy at one instant: its leads taken together.

    Attributes:
        account_id: The account's id.
        as_of: The instant it was judged at.
        policy: The policy as ``name@version``.
        leads: Each of the account's leads qualified (with the committee in its
            ``custom``, see ``with_committee``), in input order.
        left_out: The ids of the leads left out of the roll-ups and the committee
            (disqualified, closed-lost or opted-out people, as ``leave_out`` and
            ``count_opted_out`` say), in input order.
        fit: The leads' fit scores rolled up with ``fit_rollup``; ``None`` without leads
            that count.
        fit_grade: ``fit`` graded with the policy's fit bands; ``None`` without leads.
        engagement: The engagement scores rolled up with ``engagement_rollup``.
        engagement_grade: ``engagement`` graded with the policy's engagement bands.
        priority: Under a policy with a priority rule, the highest priority among the
            leads (the account is as urgent as its most urgent lead); else ``None``.
        priority_grade: ``priority`` graded with the policy's priority bands.
        stage: The furthest stage among the leads: a won stage beats every open stage,
            open stages go by funnel order, then nurture, then lost or disqualified
            (``None``: no lead has a stage).
        stage_label: The stage's name, for people.
        coverage: The buying committee's coverage.
        next_facts: What would move the account: the committee's missing roles (the
            ``custom.committee_has_<role>`` paths, with the stages knowing one could
            unlock for some lead), then the leads' own facts that could move a lead
            past the account's stage (the reason names the leads), most useful first.
        fit_rollup: How ``fit`` was rolled up.
        engagement_rollup: How ``engagement`` was rolled up.
    """

    account_id: str
    as_of: datetime
    policy: str
    leads: tuple[Qualification, ...]
    fit: Number | None
    fit_grade: str | None
    engagement: Number | None
    engagement_grade: str | None
    stage: str | None
    stage_label: str | None
    coverage: CommitteeCoverage
    priority: Number | None = None
    priority_grade: str | None = None
    next_facts: tuple[NextFact, ...] = ()
    left_out: tuple[str | None, ...] = ()
    fit_rollup: Rollup = FIT_ROLLUP
    engagement_rollup: Rollup = ENGAGEMENT_ROLLUP

    @property
    def lead_ids(self) -> tuple[str | None, ...]:
        """The ids of the account's leads, in order."""
        return tuple(q.lead_id for q in self.leads)

    @property
    def segment(self) -> str | None:
        """Fit grade and engagement grade together (``A1``); ``None`` without leads."""
        if self.fit_grade is None or self.engagement_grade is None:
            return None
        return f"{self.fit_grade}{self.engagement_grade}"

    def to_dict(self, *, explanation: bool = False) -> dict[str, Any]:
        """A JSON-ready dict; each lead as ``Qualification.to_dict`` gives it.

        Args:
            explanation: Include each lead's explanation tree (large).
        """
        return {
            "account_id": self.account_id,
            "as_of": self.as_of.isoformat(),
            "policy": self.policy,
            "stage": self.stage,
            "stage_label": self.stage_label,
            "fit": _plain(self.fit),
            "fit_grade": self.fit_grade,
            "engagement": _plain(self.engagement),
            "engagement_grade": self.engagement_grade,
            "segment": self.segment,
            "priority": _plain(self.priority),
            "priority_grade": self.priority_grade,
            "fit_rollup": self.fit_rollup.to_dict(),
            "engagement_rollup": self.engagement_rollup.to_dict(),
            "coverage": self.coverage.to_dict(),
            "next_facts": [f.as_row() for f in self.next_facts],
            "left_out": list(self.left_out),
            "leads": [q.to_dict(explanation=explanation) for q in self.leads],
        }

    def to_json(self, *, explanation: bool = False, **kwargs: Any) -> str:
        """``to_dict`` as JSON (keyword arguments go to ``json.dumps``)."""
        return json.dumps(self.to_dict(explanation=explanation), **kwargs)

    def __str__(self) -> str:
        count = len(self.leads)
        stage = self.stage_label or "no stage"
        lines = [
            f"{self.account_id}: {stage} under {self.policy} as of {self.as_of.isoformat()}, "
            f"{count} lead{'' if count == 1 else 's'}"
        ]
        if self.leads:
            lines.append(
                f"  fit {shown(self.fit)} ({self.fit_grade}, {self.fit_rollup.describe()}), "
                f"engagement {shown(self.engagement)} "
                f"({self.engagement_grade}, {self.engagement_rollup.describe()})"
                + (
                    f", priority {shown(self.priority)} ({self.priority_grade}, highest lead)"
                    if self.priority is not None
                    else ""
                )
            )
        lines.append(f"  buying committee: {self.coverage}")
        if self.left_out:
            names = ", ".join(str(i) if i is not None else "(no id)" for i in self.left_out)
            lines.append(f"  left out (disqualified, lost or opted out): {names}")
        lines += [f"  find out {fact.path}: {fact.reason}" for fact in self.next_facts]
        return "\n".join(lines)


def _grade(value: Number | None, bands: tuple[tuple[str, Number], ...], default: str) -> str | None:
    if value is None:
        return None
    for label, threshold in bands:  # highest threshold first (Policy sorts them)
        if value >= threshold:
            return label
    return default


def _furthest(funnel: Funnel, stages: Iterable[str | None]) -> str | None:
    best: tuple[int, int] | None = None
    key = None
    for stage in stages:
        if stage is None or stage not in funnel:
            continue
        found = funnel.stage(stage)
        rank = (_KIND_RANK[found.kind], found.order)
        if best is None or rank > best:
            best, key = rank, stage
    return key


def _role_facts(
    missing: tuple[BuyingRole, ...], funnel: Funnel, leads: tuple[Qualification, ...]
) -> tuple[NextFact, ...]:
    order = {s.key: s.order for s in funnel.stages}
    facts = []
    for role in missing:
        path = f"custom.{committee_key(role)}"
        unlocks: set[str] = set()
        movers: list[str] = []
        for q in leads:
            for fact in q.next_facts:
                if fact.path == path and fact.unlocks:
                    unlocks.update(fact.unlocks)
                    movers.append(
                        f"{q.lead_id or '(no id)'} to {funnel.stage(fact.unlocks[0]).label}"
                    )
        reason = f"no known contact is the {role.value.replace('_', ' ')}"
        if movers:
            reason += "; finding one could move " + ", ".join(movers)
        ordered = tuple(sorted(unlocks, key=lambda s: order[s]))
        facts.append(NextFact(path=path, unlocks=ordered, reason=reason))
    # roles that unlock a stage first, nearest stage first; then BuyingRole order
    nowhere = 1 << 30
    return tuple(
        sorted(
            facts, key=lambda f: (order[f.unlocks[0]] if f.unlocks else nowhere, -len(f.unlocks))
        )
    )


def _lead_facts(
    funnel: Funnel, stage: str | None, quals: Iterable[Qualification]
) -> tuple[NextFact, ...]:
    """The leads' facts that could move a lead past the account's stage, path by path."""
    here = funnel.stage(stage) if stage is not None and stage in funnel else None
    if here is not None and not here.is_open and here.kind is not StageKind.NURTURE:
        return ()  # won or lost: nothing moves the account by rule
    beyond = -1 if here is None or not here.is_open else here.order
    order = {s.key: s.order for s in funnel.stages}
    unlocks: dict[str, set[str]] = {}
    movers: dict[str, list[str]] = {}
    for q in quals:
        for fact in q.next_facts:
            further = [s for s in fact.unlocks if order.get(s, -1) > beyond]
            if not further or fact.path.startswith("custom.committee_has_"):
                continue
            unlocks.setdefault(fact.path, set()).update(further)
            target = funnel.stage(min(further, key=lambda s: order[s])).label
            movers.setdefault(fact.path, []).append(f"{q.lead_id or '(no id)'} to {target}")
    facts = [
        NextFact(
            path=path,
            unlocks=tuple(sorted(unlocks[path], key=lambda s: order[s])),
            reason="could move " + ", ".join(movers[path]),
        )
        for path in unlocks
    ]
    return tuple(sorted(facts, key=lambda f: (order[f.unlocks[0]], -len(movers[f.path]), f.path)))


def _check_unique(account: Account, own: Iterable[Lead]) -> None:
    seen: set[str] = set()
    for lead in own:
        if lead.id is None:
            continue
        if lead.id in seen:
            raise ValidationError(
                path="leads",
                expected=f"each lead of account {account.id!r} once (its engagement would "
                "count twice)",
                value=lead.id,
            )
        seen.add(lead.id)


def _qualify_own(
    account: Account,
    own: list[Lead],
    policy: Policy,
    *,
    as_of: datetime,
    fit_rollup: Rollup,
    engagement_rollup: Rollup,
    required: Iterable[BuyingRole | str],
    explain: bool,
    leave_out: Iterable[StageKind | str] = LEFT_OUT_STAGES,
    count_opted_out: bool = False,
) -> AccountQualification:
    """Qualify an account from leads already known to be its own."""
    _check_unique(account, own)
    funnel = policy.funnel

    def kind(key: str) -> StageKind | None:
        placed = policy.place(key)
        return funnel.stage(placed).kind if placed is not None else None

    counted, dropped, contacts = counted_people(
        account, own, stage_kind=kind, leave_out=leave_out, count_opted_out=count_opted_out
    )
    coverage = _coverage(account, counted, required, contacts)
    fields = _committee_fields(coverage)  # what with_committee writes, built once
    quals = tuple(
        qualify(_attach(lead, fields), policy, as_of=as_of, explain=explain) for lead in own
    )
    gone = {id(lead) for lead in dropped}
    kept = [(q, lead) for q, lead in zip(quals, own, strict=True) if id(lead) not in gone]
    roles = [lead.contact.buying_roles if lead.contact is not None else () for _, lead in kept]
    fit = fit_rollup.roll(zip((q.fit for q, _ in kept), roles, strict=True))
    engagement = engagement_rollup.roll(zip((q.engagement for q, _ in kept), roles, strict=True))
    stage = _furthest(policy.funnel, (q.stage for q in quals))
    priorities = [q.priority for q, _ in kept if q.priority is not None]
    priority = max(priorities) if priorities else None
    return AccountQualification(
        account_id=account.id,
        as_of=as_of,
        policy=policy.label,
        leads=quals,
        fit=fit,
        fit_grade=_grade(fit, policy.fit_grades, policy.fit_default_grade),
        engagement=engagement,
        engagement_grade=_grade(
            engagement, policy.engagement_grades, policy.engagement_default_grade
        ),
        priority=priority,
        priority_grade=_grade(priority, policy.priority_grades, policy.priority_default_grade),
        stage=stage,
        stage_label=policy.funnel.stage(stage).label if stage is not None else None,
        coverage=coverage,
        next_facts=_role_facts(coverage.missing, policy.funnel, tuple(q for q, _ in kept))
        + _lead_facts(policy.funnel, stage, (q for q, _ in kept)),
        left_out=tuple(lead.id for lead in dropped),
        fit_rollup=fit_rollup,
        engagement_rollup=engagement_rollup,
    )


def qualify_account(
    account: Account,
    leads: Iterable[Lead],
    policy: Policy,
    *,
    as_of: datetime,
    fit_rollup: Rollup = FIT_ROLLUP,
    engagement_rollup: Rollup = ENGAGEMENT_ROLLUP,
    required: Iterable[BuyingRole | str] = BUYING_COMMITTEE,
    explain: bool = True,
    leave_out: Iterable[StageKind | str] = LEFT_OUT_STAGES,
    count_opted_out: bool = False,
) -> AccountQualification:
    """Qualify an account: its leads, their scores rolled up, its stage and its committee.

    Each of the account's leads is qualified as ``with_committee(lead, coverage)``, so
    the policy's rules can read the account's buying committee
    (``F.custom["committee_has_economic_buyer"] == True``).

    People who no longer count are left out of the roll-ups and the committee (but
    still qualified, and still in ``leads``): leads in a disqualified or lost stage,
    opted-out contacts, and the account contacts of left-out leads. A departed economic
    buyer is then not a known one.

    Args:
        account: The account.
        leads: Any leads; those whose ``company_id`` is the account's id are its own,
            the others are ignored.
        policy: The policy (its funnel and grade bands are used too).
        as_of: The instant "now" means (timezone-aware).
        fit_rollup: How fit scores roll up (default: the best lead's).
        engagement_rollup: How engagement scores roll up (default: summed, at most 100).
        required: The roles the buying committee needs (``BUYING_COMMITTEE`` by default).
        explain: As for ``qualify``; without it, ``next_facts`` carry no unlocked stages.
        leave_out: Stage kinds (of the policy's funnel) whose leads do not count
            (``LEFT_OUT_STAGES``: disqualified and lost); empty to count every lead.
        count_opted_out: Count opted-out contacts too.

    Returns:
        A frozen AccountQualification.

    Raises:
        TypeError: ``as_of`` is not a timezone-aware datetime.
        funnelkit.errors.ValidationError: ``required`` names something that is not a
            buying role, ``leave_out`` something that is not a stage kind, or two of the
            account's leads have the same id.

    Examples:
        >>> from funnelkit.data import DEMO_AS_OF
        >>> from funnelkit.model import Account, Contact, Lead
        >>> from funnelkit.qualify import STARTER
        >>> acct = Account(id="A-1", contacts=[Contact(buying_roles=["champion"])])
        >>> result = qualify_account(acct, [Lead(id="L-1", account_id="A-1")], STARTER,
        ...                          as_of=DEMO_AS_OF)
        >>> result.lead_ids, result.fit, result.coverage.count
        (('L-1',), 0, 1)
    """
    check_as_of(as_of)
    return _qualify_own(
        account,
        list(account.leads_in(leads)),
        policy,
        as_of=as_of,
        fit_rollup=fit_rollup,
        engagement_rollup=engagement_rollup,
        required=required,
        explain=explain,
        leave_out=leave_out,
        count_opted_out=count_opted_out,
    )


class AccountResults(Iterator[AccountQualification]):
    """The accounts qualified one by one, and the leads that belong to none of them.

    An iterator of ``AccountQualification`` (what ``qualify_accounts`` returns).

    Attributes:
        unassigned: The leads whose ``company_id`` is none of the accounts' ids (or who
            have none), in input order: reported, not dropped.
    """

    def __init__(
        self, results: Iterator[AccountQualification], unassigned: tuple[Lead, ...]
    ) -> None:
        self._results = results
        self.unassigned = unassigned

    def __next__(self) -> AccountQualification:
        return next(self._results)

    def __iter__(self) -> AccountResults:
        return self


def qualify_accounts(
    accounts: Iterable[Account],
    leads: Iterable[Lead],
    policy: Policy,
    *,
    as_of: datetime,
    fit_rollup: Rollup = FIT_ROLLUP,
    engagement_rollup: Rollup = ENGAGEMENT_ROLLUP,
    required: Iterable[BuyingRole | str] = BUYING_COMMITTEE,
    explain: bool = True,
    leave_out: Iterable[StageKind | str] = LEFT_OUT_STAGES,
    count_opted_out: bool = False,
) -> AccountResults:
    """Qualify many accounts, grouping the leads by account in one pass.

    The accounts and the leads are read once, right away, and the leads grouped by
    ``company_id``; leads of no listed account are reported in the result's
    ``unassigned``, not dropped. The accounts are then qualified lazily, one by one.
    Each result equals what ``qualify_account`` gives for that account.

    Args:
        accounts: The accounts, in the order results should come.
        leads: Every lead (any iterable, read once).
        policy: The policy.
        as_of: The instant, the same for every account.
        fit_rollup: As for ``qualify_account``.
        engagement_rollup: As for ``qualify_account``.
        required: As for ``qualify_account``.
        explain: As for ``qualify``.
        leave_out: As for ``qualify_account``.
        count_opted_out: As for ``qualify_account``.

    Returns:
        An iterator of AccountQualification, one per account, in order, with the leads
        of no account in its ``unassigned``.

    Raises:
        TypeError: ``as_of`` is not a timezone-aware datetime.
        funnelkit.errors.ValidationError: A bad ``required`` or ``leave_out``, or two
            leads of one account with the same id.

    Examples:
        >>> from funnelkit.data import DEMO_AS_OF
        >>> from funnelkit.model import Account, Lead
        >>> from funnelkit.qualify import STARTER
        >>> results = qualify_accounts(
        ...     [Account(id="A-1")],
        ...     [Lead(id="L-1", account_id="A-1"), Lead(id="L-2", account_id="A-9")],
        ...     STARTER, as_of=DEMO_AS_OF)
        >>> [r.lead_ids for r in results], [lead.id for lead in results.unassigned]
        ([('L-1',)], ['L-2'])
    """
    check_as_of(as_of)
    listed = list(accounts)
    roles = _roles(required, path="required")  # checked now; it may be an iterator too
    kinds = _stage_kinds(leave_out)
    groups: dict[str, list[Lead]] = {account.id: [] for account in listed}
    unassigned: list[Lead] = []
    for lead in leads:
        group = groups.get(lead.company_id) if lead.company_id is not None else None
        if group is not None:
            group.append(lead)
        else:
            unassigned.append(lead)
    for account in listed:
        _check_unique(account, groups[account.id])

    def results() -> Iterator[AccountQualification]:
        for account in listed:
            yield _qualify_own(
                account,
                groups[account.id],
                policy,
                as_of=as_of,
                fit_rollup=fit_rollup,
                engagement_rollup=engagement_rollup,
                required=roles,
                explain=explain,
                leave_out=kinds,
                count_opted_out=count_opted_out,
            )

    return AccountResults(results(), tuple(unassigned))
