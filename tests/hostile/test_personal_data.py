"""E-mail addresses and phone numbers stay out of reprs, messages and traces unless asked for."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import attrs
import pytest

from funnelkit.cli import main
from funnelkit.errors import ValidationError
from funnelkit.io import read_leads, to_json
from funnelkit.model import Contact, Lead, personal_data_shown, redact
from funnelkit.rules import Explanation, F, Truth, all_of, explain

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


AS_OF = datetime(2026, 5, 1, tzinfo=UTC)


def _explained() -> Explanation:
    rule = all_of(
        F.contact.email.endswith("@example.com"),
        F.contact.phone != "",
        F.contact.email == EMAIL,  # a literal quoting the lead's own address
        F.custom["phone"] == PHONE,
    )
    return explain(rule, attrs.evolve(lead(), custom={"phone": PHONE}), as_of=AS_OF)


def _renderings(why: Explanation) -> dict[str, str]:
    return {
        "str": str(why),
        "repr": repr(why),
        "render": why.trace.render(),
        "child render": why.trace.children[0].render(1),
        "child repr": repr(why.trace.children[0]),
        "to_dict": json.dumps(why.to_dict()),
        "trace.to_dict": json.dumps(why.trace.to_dict()),
        "to_json": why.to_json(),
        "html": why._repr_html_(),
    }


def test_explanations_redact_email_and_phone_in_every_rendering():
    """str, repr, render, to_dict, to_json and the HTML view of a trace hide both values."""
    why = _explained()
    assert why.outcome is Truth.TRUE
    for name, text in _renderings(why).items():
        assert "ana.berg" not in text, name
        assert "123 45" not in text, name
        assert "redacted" in text, name
    assert "F.contact.email -> '<redacted>@example.com'" in str(why)
    assert "F.contact.email == '<redacted>@example.com' -> TRUE" in str(why)
    assert "F.custom['phone'] -> '<redacted>'" in str(why)


def test_explanations_keep_the_exact_values_and_show_them_when_asked():
    """The recorded values stay exact; inside personal_data_shown() renderings show them."""
    why = _explained()
    field = why.trace.children[0].children[0]
    assert (field.label, field.outcome) == ("F.contact.email", EMAIL)
    with personal_data_shown():
        for name, text in _renderings(why).items():
            if name not in {"child render", "child repr"}:
                assert "ana.berg" in text, name
                assert "123 45" in text, name
            assert "redacted" not in text, name


def test_an_explanation_of_a_personal_field_redacts_its_outcome():
    """Explaining F.contact.email itself: the outcome is redacted in to_dict and repr."""
    why = explain(F.contact.email, lead(), as_of=AS_OF)
    assert why.outcome == EMAIL
    assert why.to_dict()["outcome"] == "<redacted>@example.com"
    assert "ana.berg" not in repr(why)


def test_other_values_are_not_redacted():
    """Names, ids and other text in a trace are shown as they are."""
    why = explain(F.contact.name == "Ana", lead(), as_of=AS_OF)
    assert "F.contact.name -> 'Ana'" in str(why)
    assert "redacted" not in why.to_json()


POLICY = """\
version: 1
metadata: {name: contactable}
fit:
  groups:
    - name: reach
      points:
        - {points: 10, when: contact.email = "ana.berg@example.com", label: known}
        - {points: 5, when: contact.phone != "", label: phone}
stages:
  inquiry: contact.email != ""
"""


@pytest.mark.parametrize("fmt", ["table", "jsonl"])
def test_the_command_line_explains_without_personal_data(tmp_path, capsys, fmt):
    """qualify --explain prints the trace with the e-mail and the phone redacted."""
    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY, encoding="utf-8")
    leads = tmp_path / "leads.jsonl"
    leads.write_text(json.dumps(to_json_record()) + "\n", encoding="utf-8")
    argv = ["qualify", str(leads), "--policy", str(policy), "--as-of", "2026-05-01"]
    code = main([*argv, "--explain", "L-1", "--format", fmt])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "ana.berg" not in out + err
    assert "123 45" not in out + err
    assert "<redacted>@example.com" in out


def to_json_record() -> dict[str, object]:
    return {"id": "L-1", "contact": {"email": EMAIL, "phone": PHONE}}
