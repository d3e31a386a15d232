"""Patterns for domains and e-mail addresses, shared by converters and validators."""

from __future__ import annotations

import re

DOMAIN_RE = re.compile(
    r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$"
)
EMAIL_RE = re.compile(r"^[a-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[^@\s]+$")


def is_email(address: str) -> bool:
    """Whether ``address`` is a plausible, already lower-cased e-mail address."""
    local, _, host = address.rpartition("@")
    return bool(
        EMAIL_RE.match(address)
        and not local.startswith(".")
        and not local.endswith(".")
        and ".." not in local
        and DOMAIN_RE.match(host)
    )
