"""Command-line values of ``funnelkit qualify``: the policy and the ``--as-of`` instant."""

from __future__ import annotations

import difflib
import os
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from funnelkit.qualify import Policy

__all__ = ["POLICY_SUFFIXES", "PolicyArgumentError", "load_policy", "parse_as_of", "today_utc"]

POLICY_SUFFIXES = (".yaml", ".yml", ".json", ".toml")
"""File name endings that mark ``--policy`` as a policy file rather than a preset name."""


class PolicyArgumentError(ValueError):
    """``--policy`` names neither a preset nor a usable policy file.

    ``bad_input`` is true when the file was read and has problems (exit 1, like
    ``policy validate``), false when it cannot be used at all (exit 2).
    """

    def __init__(self, message: str, *, bad_input: bool = False) -> None:
        super().__init__(message)
        self.bad_input = bad_input


def _looks_like_a_file(spec: str) -> bool:
    return (
        spec.lower().endswith(POLICY_SUFFIXES)
        or "/" in spec
        or os.sep in spec
        or os.path.exists(spec)
    )


def load_policy(spec: str) -> Policy:
    """The policy ``--policy`` names: a preset name, or a policy file (YAML or JSON).

    This is the one place that turns ``--policy`` into a policy.

    Args:
        spec: A preset name (``starter``, ``demand_waterfall``, ``bant_gated``) or a path
            (anything ending in ``.yaml``, ``.yml``, ``.json`` or ``.toml``, holding a
            path separator, or naming an existing file).

    Returns:
        The policy.

    Raises:
        PolicyArgumentError: ``spec`` is a file that cannot be read or has problems
            (every one is listed, ``file:line:col: path: message``), or an unknown
            name (the message lists the presets and suggests the closest one).
    """
    from funnelkit.qualify import PRESETS

    if spec in PRESETS:
        return PRESETS[spec]
    names = ", ".join(PRESETS)
    if _looks_like_a_file(spec):
        from funnelkit.cli._policy import policy_argument
        from funnelkit.policy import PolicyFileError

        try:
            return policy_argument(spec)
        except PolicyFileError as err:
            raise PolicyArgumentError(str(err), bad_input=True) from None
        except ValueError as err:
            raise PolicyArgumentError(str(err)) from None
    close = difflib.get_close_matches(spec.lower(), list(PRESETS), n=1, cutoff=0.5)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise PolicyArgumentError(
        f"expected a preset name or a policy file, got {spec!r}; {hint}presets: {names}"
    )


def parse_as_of(text: str) -> datetime:
    """Parse ``--as-of``: an ISO 8601 date or date-time, read in UTC unless it says otherwise.

    Args:
        text: ``2026-11-01`` (midnight UTC), ``2026-11-01T09:30`` (UTC), or a date-time
            with an offset (``2026-11-01T09:30+01:00``, ``...Z``), kept as given.

    Returns:
        A timezone-aware datetime.

    Raises:
        ValueError: ``text`` is not an ISO 8601 date or date-time; the message shows it.

    Examples:
        >>> parse_as_of("2026-11-01").isoformat()
        '2026-11-01T00:00:00+00:00'
        >>> parse_as_of("2026-11-01T09:30").isoformat()
        '2026-11-01T09:30:00+00:00'
    """
    value = text.strip()
    try:
        if len(value) == 10:  # YYYY-MM-DD: fromisoformat would also take 20261101
            return datetime.combine(date.fromisoformat(value), time(), tzinfo=UTC)
        instant = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(
            "expected an ISO 8601 date or date-time such as '2026-11-01' or "
            f"'2026-11-01T09:30:00+00:00', got {text!r}"
        ) from None
    return instant if instant.tzinfo is not None else instant.replace(tzinfo=UTC)


def today_utc() -> datetime:
    """Midnight UTC of today: the ``--as-of`` instant when none is given."""
    return datetime.combine(datetime.now(UTC).date(), time(), tzinfo=UTC)
