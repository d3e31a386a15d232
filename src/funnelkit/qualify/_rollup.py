"""Rolling lead scores up to their account: max, sum with a cap, or weighted by role."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import attrs

from funnelkit.errors import ValidationError
from funnelkit.model import BuyingRole, FrozenDict
from funnelkit.rules import SCORE_PLACES

__all__ = ["METHODS", "Rollup", "FIT_ROLLUP", "ENGAGEMENT_ROLLUP"]

Number = int | Decimal

METHODS = ("max", "sum", "weighted")
"""The rollup methods, in the order the docs present them."""

_PLACES = Decimal(1).scaleb(-SCORE_PLACES)
_ROLES = ", ".join(repr(r.value) for r in BuyingRole)


def _tidy(value: Number) -> Number:
    """Whole numbers as ``int``, others rounded to ``SCORE_PLACES`` places (half to even)."""
    if isinstance(value, int):
        return value
    if value == value.to_integral_value():
        return int(value)
    return value.quantize(_PLACES, rounding=ROUND_HALF_EVEN)


def _number(value: object, *, path: str, expected: str) -> Number:
    if isinstance(value, bool) or not isinstance(value, int | Decimal | float):
        raise ValidationError(path=path, expected=expected, value=value)
    number = Decimal(repr(value)) if isinstance(value, float) else value
    if isinstance(number, Decimal) and not number.is_finite():
        raise ValidationError(path=path, expected=expected, value=value)
    if number < 0:
        raise ValidationError(path=path, expected=expected, value=value)
    if isinstance(number, Decimal) and number == number.to_integral_value():
        return int(number)
    return number  # kept exact: only results are rounded


def _to_cap(value: object) -> Number | None:
    if value is None:
        return None
    return _number(value, path="cap", expected="a finite number >= 0 or None")


def _to_default_weight(value: object) -> Number:
    return _number(value, path="default_weight", expected="a finite number >= 0")


def _to_weights(value: object) -> FrozenDict[BuyingRole, Number]:
    if not isinstance(value, Mapping):
        raise ValidationError(
            path="role_weights", expected="a mapping of buying role to weight", value=value
        )
    out: dict[BuyingRole, Number] = {}
    for key, weight in value.items():
        try:
            role = BuyingRole(key)
        except ValueError:
            raise ValidationError(
                path="role_weights", expected=f"buying roles from {_ROLES}", value=key
            ) from None
        out[role] = _number(
            weight, path=f"role_weights.{role.value}", expected="a finite number >= 0"
        )
    return FrozenDict(out)


def _check_method(instance: Rollup, _attribute: attrs.Attribute[Any], value: object) -> None:
    if value not in METHODS:
        allowed = ", ".join(repr(m) for m in METHODS)
        raise ValidationError(path="method", expected=f"one of {allowed}", value=value)


@attrs.frozen(kw_only=True)
class Rollup:
    """How an account's score is made from its leads' scores.

    * ``max``: the best lead's score. The usual choice for **fit**: an account fits as
      well as its best-fitting lead (the company facts are shared; contacts differ).
    * ``sum``: the leads' scores added, then capped. The usual choice for
      **engagement**: three people reading the pricing page say more than one does,
      and the cap keeps a large account on the scale of the policy's grade bands.
    * ``weighted``: each lead's score times a weight, added, then capped. A lead's
      weight is the largest of its contact's role weights (a role not in
      ``role_weights``, a contact without roles and a lead without contact take
      ``default_weight``), so an economic buyer's engagement can count double.

    The cap is an upper bound only: negative scores (penalties) are kept. Fractional
    results are ``Decimal`` rounded to ``SCORE_PLACES`` places, half to even; whole
    ones are ``int``.

    Args:
        method: ``max``, ``sum`` or ``weighted``.
        cap: The most the rolled-up score may be (``None``: no cap). It matters for
            ``sum`` and ``weighted``; for ``max`` it only clips.
        role_weights: Buying role (member or value) to weight, for ``weighted`` only.
        default_weight: The weight of a lead whose contact holds no weighted role.

    Raises:
        ValidationError: An unknown method or role, a negative or non-finite number,
            or role weights for a method other than ``weighted``.

    Examples:
        >>> Rollup(method="sum", cap=100).roll([(60, ()), (70, ())])
        100
        >>> boss = Rollup(method="weighted", role_weights={"economic_buyer": 2})
        >>> boss.roll([(30, {"economic_buyer", "user"}), (10, ())])
        70
    """

    method: str = attrs.field(default="max", validator=_check_method)
    cap: Number | None = attrs.field(default=None, converter=_to_cap)
    role_weights: FrozenDict[BuyingRole, Number] = attrs.field(
        factory=FrozenDict, converter=_to_weights
    )
    default_weight: Number = attrs.field(default=1, converter=_to_default_weight)

    @role_weights.validator
    def _check_weights(
        self, _attribute: attrs.Attribute[Any], value: FrozenDict[BuyingRole, Number]
    ) -> None:
        if value and self.method != "weighted":
            raise ValidationError(
                path="role_weights",
                expected=f"no role weights unless method='weighted' (method is {self.method!r})",
                value=dict(value),
            )

    def weight(self, roles: Iterable[BuyingRole | str]) -> Number:
        """The weight of a lead whose contact holds ``roles`` (for ``weighted``).

        Args:
            roles: The contact's buying roles (empty for no contact or no role).

        Returns:
            The largest weight among the roles; ``default_weight`` for a role without
            a weight and for no role at all.

        Raises:
            ValidationError: A role is not a buying role.
        """
        weights = []
        for role in roles:
            try:
                member = BuyingRole(role)
            except ValueError:
                raise ValidationError(
                    path="roles", expected=f"buying roles from {_ROLES}", value=role
                ) from None
            weights.append(self.role_weights.get(member, self.default_weight))
        return max(weights, default=self.default_weight)

    def roll(self, scores: Iterable[tuple[Number, Iterable[BuyingRole | str]]]) -> Number | None:
        """Roll scores up.

        Args:
            scores: ``(score, roles)`` per lead: the lead's score and its contact's
                buying roles (only ``weighted`` looks at the roles).

        Returns:
            The rolled-up score, or ``None`` when there are no scores (an account
            without leads has no score, rather than a score of 0).
        """
        items = list(scores)
        if not items:
            return None
        total: Number
        if self.method == "max":
            total = max(score for score, _ in items)
        elif self.method == "sum":
            total = sum((score for score, _ in items), start=0)
        else:
            total = sum((score * self.weight(roles) for score, roles in items), start=0)
        if self.cap is not None and total > self.cap:
            total = self.cap
        return _tidy(total)

    def describe(self) -> str:
        """The rollup in a few words: ``max``, ``sum capped at 100``, ``weighted``."""
        text = self.method
        if self.cap is not None:
            text += f" capped at {self.cap}"
        return text

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (fractional numbers as strings, exact)."""

        def plain(n: Number | None) -> object:
            return str(n) if isinstance(n, Decimal) else n

        return {
            "method": self.method,
            "cap": plain(self.cap),
            "role_weights": {r.value: plain(w) for r, w in self.role_weights.items()},
            "default_weight": plain(self.default_weight),
        }


FIT_ROLLUP = Rollup(method="max")
"""The default fit rollup: the best-fitting lead's score."""
ENGAGEMENT_ROLLUP = Rollup(method="sum", cap=100)
"""The default engagement rollup: the leads' engagement added, at most 100."""
