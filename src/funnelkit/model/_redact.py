"""Personal data out of what is exported or shown: ``redact`` and ``personal_data_shown``."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar, overload

import attrs

from funnelkit import _privacy
from funnelkit.model._contact import Contact
from funnelkit.model._lead import Lead

__all__ = ["redact", "personal_data_shown"]

T = TypeVar("T", Lead, Contact)


@overload
def redact(value: T) -> T: ...


@overload
def redact(value: Mapping[str, Any]) -> dict[str, Any]: ...


@overload
def redact(value: list[Any]) -> list[Any]: ...


def redact(value: Any) -> Any:
    """A copy of ``value`` without e-mail addresses and phone numbers, for exports.

    A [`Lead`][funnelkit.model.Lead] or [`Contact`][funnelkit.model.Contact] loses its
    contact's ``email`` and ``phone`` (they become ``None``). A record (dicts and lists,
    as ``unstructure`` or ``to_json`` make them) has the values of its ``email`` and
    ``phone`` keys, at any depth, replaced by ``"<redacted>"``.

    Args:
        value: A lead, a contact, or a record.

    Returns:
        The redacted copy (``value`` itself is never changed).

    Examples:
        >>> from funnelkit.model import Contact, Lead
        >>> lead = Lead(id="L-1", contact=Contact(email="ana@example.com", phone="+1 555"))
        >>> redact(lead).contact.email is None
        True
        >>> redact({"id": "L-1", "contact": {"email": "ana@example.com"}})
        {'id': 'L-1', 'contact': {'email': '<redacted>'}}
    """
    if isinstance(value, Contact):
        return attrs.evolve(value, email=None, phone=None)
    if isinstance(value, Lead):
        if value.contact is None:
            return value
        return attrs.evolve(value, contact=redact(value.contact))
    if isinstance(value, Mapping):
        return {
            key: (
                _privacy.REDACTED
                if key in _privacy.PERSONAL_FIELDS and item is not None
                else redact(item)
            )
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [redact(item) for item in value]
    return value


@contextmanager
def personal_data_shown() -> Iterator[None]:
    """Show e-mail addresses and phone numbers in reprs and error messages.

    By default they are redacted (``'<redacted>@example.com'``, ``'<redacted>'``); inside
    the ``with`` block, in this thread or task only, they are shown as they are.

    Examples:
        >>> from funnelkit.model import Contact
        >>> contact = Contact(email="ana@example.com")
        >>> contact.email  # the attribute is never changed
        'ana@example.com'
        >>> "ana@" in repr(contact)
        False
        >>> with personal_data_shown():
        ...     "ana@" in repr(contact)
        True
    """
    with _privacy.shown():
        yield
