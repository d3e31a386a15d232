"""Load results show as HTML in notebooks: counts, and the first problems escaped."""

from funnelkit.io import read_leads


def test_load_result_html_counts_and_lists_bad_records() -> None:
    """The HTML names the totals and each bad record's error, escaped."""
    result = read_leads([{"id": "L-1"}, {"id": 2}, {"id": "<b>"}], on_error="collect")
    page = result._repr_html_()
    assert "3 records: 2 leads, 1 bad" in page
    assert "expected str, got 2 (int)" in page
    assert "<b>" not in page


def test_load_result_html_cuts_long_lists() -> None:
    """Past 20 problems the page says how many more there are."""
    result = read_leads([{"id": n} for n in range(25)], on_error="collect")
    assert "... and 5 more" in result._repr_html_()
