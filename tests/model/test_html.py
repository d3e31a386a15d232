"""Leads show as HTML in notebooks: their facts, missing ones marked, no e-mail or phone."""

from datetime import UTC, datetime

from funnelkit.model import Company, Contact, Lead, Signal


def test_lead_html_shows_facts_and_marks_missing_ones() -> None:
    """Known facts are shown, missing ones read 'missing', signals are counted by kind."""
    at = datetime(2026, 5, 1, tzinfo=UTC)
    lead = Lead(
        id="L-<1>",
        company=Company(industry="software", employees=120),
        signals=(Signal(kind="demo_request", occurred_at=at),) * 2,
    )
    page = lead._repr_html_()
    assert "<strong>L-&lt;1&gt;</strong>" in page
    assert "<td>120</td>" in page
    assert "demo_request x2" in page
    assert "missing" in page


def test_lead_html_leaves_out_email_and_phone() -> None:
    """A notebook is often shared: the contact's e-mail and phone are not shown."""
    lead = Lead(contact=Contact(email="ana@example.com", phone="+1 555 0100", title="VP"))
    page = lead._repr_html_()
    assert "ana@example.com" not in page
    assert "555" not in page
    assert "VP" in page
