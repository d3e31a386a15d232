"""E-mail addresses and phone numbers stay out of reprs and messages unless asked for."""

from __future__ import annotations

import pytest

from funnelkit.errors import ValidationError
from funnelkit.io import read_leads, to_json
from funnelkit.model import Contact, Lead, personal_data_shown, redact

EMAIL, PHONE = "ana.berg@example.com", "+46 70 123 45 67"


def lead() -> Lead:
    return Lead(id="L-1", contact=Contact(name="Ana", email=EMAIL, phone=PHONE))


@pytest.mark.parametrize("show", [repr, str])
@pytest.mark.parametrize("make", [lead, lambda: lead().contact])
def test_reprs_and_str_redact_email_and_phone(show, make):
    """repr and str of a lead or contact show neither the e-mail's local part nor the phone."""
    text = show(make())
    assert "ana.berg" not in text
    assert "123 45" not in text
    assert "'<redacted>@example.com'" in text
    assert "phone='<redacted>'" in text


def test_the_caller_can_ask_for_them():
    """Inside personal_data_shown(), reprs show the values; the attributes never change."""
    assert lead().contact.email == EMAIL
    with personal_data_shown():
        assert EMAIL in repr(lead())
        assert PHONE in repr(lead())
    assert EMAIL not in repr(lead())


@pytest.mark.parametrize(
    ("record", "hidden"),
    [
        ({"id": "L-1", "contact": {"email": "ana.berg@nowhere"}}, "ana.berg"),
        ({"id": "L-1", "contact": {"email": "ana berg@example.com"}}, "ana berg"),
        ({"id": "L-1", "contact": {"phone": "x" * 80}}, "xxxx"),
    ],
)
def test_error_messages_redact_them(record, hidden):
    """A bad e-mail or phone is named in the error, its value is not."""
    result = read_leads([record], on_error="collect")
    assert hidden not in str(result.errors[0])
    assert "<redacted>" in str(result.errors[0])


def test_an_error_keeps_the_value_as_an_attribute():
    """The value stays on the error for programs; only the text is redacted."""
    err = ValidationError(path="contact.email", expected="an e-mail address", value="a@b")
    assert err.value == "a@b"
    assert "'<redacted>@b'" in str(err)


def test_redact_removes_them_for_exports():
    """redact() drops them from leads and replaces them in records, at any depth."""
    clean = redact(lead())
    assert (clean.contact.email, clean.contact.phone, clean.contact.name) == (None, None, "Ana")
    assert EMAIL not in to_json(clean)
    record = {"leads": [{"contact": {"email": EMAIL, "phone": PHONE, "name": "Ana"}}]}
    assert redact(record) == {
        "leads": [{"contact": {"email": "<redacted>", "phone": "<redacted>", "name": "Ana"}}]
    }
    assert redact(Lead(id="L-2")) == Lead(id="L-2")
