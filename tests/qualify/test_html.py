"""Policies show as HTML in notebooks: name, funnel, frameworks and each stage's rule."""

from funnelkit import STARTER


def test_policy_html_lists_each_stage_and_its_entry_rule() -> None:
    """Every gated stage appears with its entry rule in the condition syntax."""
    page = STARTER._repr_html_()
    assert "<strong>starter@1</strong>" in page
    for stage, _gate in STARTER.ordered_gates:
        assert f"<td>{stage.label}</td>" in page
    assert "ref(&quot;fit&quot;)" in page
