import re

import pytest

from funnelkit.errors import FieldTypeError, ValidationError
from funnelkit.model import BuyingRole, Contact, Seniority

EMAIL = "an e-mail address such as 'ana@example.com'"
SENIORITIES = "'ic', 'manager', 'director', 'vp', 'c_level', 'owner'"
ROLES = (
    "'decision_maker', 'economic_buyer', 'champion', 'influencer', 'gatekeeper', 'user', 'blocker'"
)

BAD = [
    pytest.param({"id": ""}, ValidationError, "$.id: expected a non-empty str of at most 10000 characters, got '' (str)", id="id-empty"),
    pytest.param({"name": 3}, FieldTypeError, "$.name: expected a non-empty str or None, got 3 (int)", id="name-int"),
    pytest.param({"email": "not-an-email"}, ValidationError, f"$.email: expected {EMAIL}, got '<redacted>' (str)", id="email-no-at"),
    pytest.param({"email": "ana@"}, ValidationError, f"$.email: expected {EMAIL}, got '<redacted>@' (str)", id="email-no-host"),
    pytest.param({"email": "ana..b@example.com"}, ValidationError, f"$.email: expected {EMAIL}, got '<redacted>@example.com' (str)", id="email-double-dot"),
    pytest.param({"email": ".ana@example.com"}, ValidationError, f"$.email: expected {EMAIL}, got '<redacted>@example.com' (str)", id="email-leading-dot"),
    pytest.param({"email": "ana@localhost"}, ValidationError, f"$.email: expected {EMAIL}, got '<redacted>@localhost' (str)", id="email-host-without-dot"),
    pytest.param({"email": "Ana B@Example.com"}, ValidationError, f"$.email: expected {EMAIL}, got '<redacted>@Example.com' (str)", id="email-space-kept-as-given"),
    pytest.param({"email": 5}, FieldTypeError, f"$.email: expected {EMAIL}, got 5 (int)", id="email-int"),
    pytest.param({"phone": ""}, ValidationError, "$.phone: expected a non-empty str of at most 64 characters, got '' (str)", id="phone-empty"),
    pytest.param({"title": " "}, ValidationError, "$.title: expected a non-empty str of at most 300 characters, got ' ' (str)", id="title-blank"),
    pytest.param({"seniority": "ceo"}, ValidationError, f"$.seniority: expected one of {SENIORITIES} or None, got 'ceo' (str)", id="seniority-unknown"),
    pytest.param({"seniority": "VP"}, ValidationError, f"$.seniority: expected one of {SENIORITIES} or None, got 'VP' (str)", id="seniority-wrong-case"),
    pytest.param({"seniority": 3}, ValidationError, f"$.seniority: expected one of {SENIORITIES} or None, got 3 (int)", id="seniority-int"),
    pytest.param({"department": ""}, ValidationError, "$.department: expected a non-empty str of at most 200 characters, got '' (str)", id="department-empty"),
    pytest.param({"buying_roles": "champion"}, FieldTypeError, f"$.buying_roles: expected a set of {ROLES}, got 'champion' (str)", id="roles-bare-str"),
    pytest.param({"buying_roles": ["boss"]}, ValidationError, f"$.buying_roles: expected members from {ROLES}, got 'boss' (str)", id="roles-unknown"),
    pytest.param({"buying_roles": 1}, FieldTypeError, f"$.buying_roles: expected a set of {ROLES}, got 1 (int)", id="roles-int"),
    pytest.param({"opted_out": "yes"}, FieldTypeError, "$.opted_out: expected bool, got 'yes' (str)", id="opted-out-str"),
    pytest.param({"opted_out": None}, FieldTypeError, "$.opted_out: expected bool, got None (NoneType)", id="opted-out-none"),
    pytest.param({"email_consent": 1}, FieldTypeError, "$.email_consent: expected bool or None, got 1 (int)", id="consent-int"),
]  # fmt: skip


@pytest.mark.parametrize(("kwargs", "error", "message"), BAD)
def test_bad_values_are_rejected(kwargs, error, message):
    """Each bad value raises an error whose message names the field and the value."""
    with pytest.raises(error, match=re.escape(message)) as info:
        Contact(**kwargs)
    assert type(info.value) is error
    assert info.value.path == next(iter(kwargs))


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("ana@example.com", "ana@example.com"),
        (" Ana@Example.COM ", "ana@example.com"),
        ("first.last+tag@sub.example.co.uk", "first.last+tag@sub.example.co.uk"),
        ("O'Brien@Example.ie", "o'brien@example.ie"),
    ],
)
def test_emails_are_normalised(given, expected):
    """E-mail addresses are trimmed and lower-cased."""
    assert Contact(email=given).email == expected


@pytest.mark.parametrize("value", ["vp", Seniority.VP])
def test_seniority_accepts_value_or_member(value):
    """A seniority given as its string value becomes the enum member."""
    assert Contact(seniority=value).seniority is Seniority.VP


def test_buying_roles_accept_values_and_members():
    """Buying roles given as strings or members become a frozenset of members."""
    contact = Contact(buying_roles=["champion", BuyingRole.USER, "champion"])
    assert contact.buying_roles == frozenset({BuyingRole.CHAMPION, BuyingRole.USER})
    assert all(isinstance(role, BuyingRole) for role in contact.buying_roles)


def test_defaults():
    """A contact with nothing known has no roles, is not opted out, consent unknown."""
    contact = Contact()
    assert contact.buying_roles == frozenset()
    assert contact.opted_out is False
    assert contact.email_consent is None
