"""Personal data (e-mail addresses, phone numbers) kept out of reprs and messages.

The switch lives here, below every layer, so that errors and model classes can ask it;
the public names are [`funnelkit.model.personal_data_shown`][] and
[`funnelkit.model.redact`][].
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = [
    "PERSONAL_FIELDS",
    "REDACTED",
    "is_personal_path",
    "is_shown",
    "mask",
    "masked",
    "shown",
]

PERSONAL_FIELDS = frozenset({"email", "phone"})
"""Field names whose values are personal data."""
REDACTED = "<redacted>"
"""What a redacted value is shown as."""

_SHOWN: ContextVar[bool] = ContextVar("funnelkit_personal_data_shown", default=False)


def is_shown() -> bool:
    """Whether personal data is shown in this context."""
    return _SHOWN.get()


@contextmanager
def shown() -> Iterator[None]:
    """Show personal data in reprs and messages inside the ``with`` block."""
    token = _SHOWN.set(True)
    try:
        yield
    finally:
        _SHOWN.reset(token)


def is_personal_path(path: str) -> bool:
    """Whether a field path (``contact.email``, ``custom.phone``) names personal data."""
    return path.rsplit(".", 1)[-1].split("[", 1)[0] in PERSONAL_FIELDS


def masked(value: str) -> str:
    """A personal text as shown when redacted: ``'<redacted>'``, or with its e-mail domain.

    An e-mail address keeps its domain (a company fact): ``<redacted>@example.com``.
    Blank text stays as it is (it tells nothing). The switch is not read here.
    """
    if not value.strip():
        return value
    if "@" in value:
        return f"{REDACTED}@{value.rsplit('@', 1)[1]}"
    return REDACTED


def mask(value: object) -> str:
    """The repr of a personal value: itself when shown, else ``'<redacted>'``.

    An e-mail address keeps its domain (a company fact): ``'<redacted>@example.com'``.
    """
    if not isinstance(value, str) or not value.strip() or is_shown():
        return repr(value)
    return repr(masked(value))
