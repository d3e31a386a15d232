"""The command line under hostile input: exit codes, escaped output, bounded reports."""

from __future__ import annotations

import json

import pytest

from funnelkit.cli import main

AS_OF = "2026-05-01"
ESCAPES = ["\x1b]0;pwned\x07", "\x1b[2J", "\x9b31m", "\u202eevil", "\x00", "\r\x1b[1A"]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def raw_controls(text: str) -> set[str]:
    return {c for c in text if (ord(c) < 32 and c not in "\n") or 0x7F <= ord(c) <= 0x9F} | (
        {c for c in text if c in "\u202a\u202b\u202c\u202d\u202e"}
    )


@pytest.mark.parametrize("escape", ESCAPES)
@pytest.mark.parametrize("fmt", ["table", "csv", "jsonl"])
def test_escape_sequences_in_ids_never_reach_the_terminal_raw_from_the_table(
    tmp_path, capsys, escape, fmt
):
    """A lead id holding escape sequences is shown escaped in the table and in reports."""
    leads = tmp_path / "leads.jsonl"
    good = json.dumps({"id": f"L-{escape}"})
    bad = json.dumps({"id": f"B-{escape}", "company": {"employees": -1}})
    leads.write_text(f"{good}\n{bad}\n", encoding="utf-8")
    code, out, err = run(capsys, "qualify", str(leads), "--as-of", AS_OF, "--format", fmt)
    assert code == 1
    assert not raw_controls(err), repr(err)
    if fmt == "table":
        assert not raw_controls(out), repr(out)
    elif fmt == "jsonl":  # JSON escapes C0 controls (ESC) itself
        assert not {c for c in out if ord(c) < 32 and c != "\n"}


def test_a_bad_policy_file_exits_one_like_validate(tmp_path, capsys):
    """qualify --policy with a policy file that has problems exits 1 (bad input), not 2."""
    policy = tmp_path / "bad.yaml"
    policy.write_text("version: 1\nmetadata: {name: x}\nfunnel: startr\n", encoding="utf-8")
    leads = tmp_path / "leads.jsonl"
    leads.write_text('{"id": "L-1"}\n', encoding="utf-8")
    for command in ("qualify", "report"):
        code, _out, err = run(
            capsys, command, str(leads), "--policy", str(policy), "--as-of", AS_OF
        )
        assert code == 1, command
        assert "did you mean 'starter'" in err
    code, _out, err = run(capsys, "policy", "validate", str(policy))
    assert code == 1


@pytest.mark.parametrize(
    ("spec", "match"),
    [("missing.yaml", "cannot read the policy file"), ("startr", "did you mean 'starter'")],
)
def test_an_unusable_policy_argument_exits_two(tmp_path, capsys, spec, match):
    """A missing policy file or an unknown preset name is a usage error (exit 2)."""
    leads = tmp_path / "leads.jsonl"
    leads.write_text('{"id": "L-1"}\n', encoding="utf-8")
    code, _out, err = run(capsys, "qualify", str(leads), "--policy", spec, "--as-of", AS_OF)
    assert code == 2
    assert match in err


def test_error_output_is_bounded(tmp_path, capsys):
    """5,000 bad records: the first 100 are shown, the rest counted."""
    leads = tmp_path / "leads.jsonl"
    bad = "\n".join(
        json.dumps({"id": f"B-{i}", "company": {"employees": -1}}) for i in range(5_000)
    )
    leads.write_text(bad + '\n{"id": "L-1"}\n', encoding="utf-8")
    code, out, err = run(capsys, "validate", str(leads))
    assert code == 1
    lines = (out + err).splitlines()
    assert len(lines) < 110
    assert "further bad records and warnings are counted, not shown (the first 100 are)" in out
    assert lines[-1] == "5001 records, 5000 bad"


def test_long_values_are_cut_with_an_ellipsis(tmp_path, capsys):
    """A 100,000-character bad value prints as a short repr ending in '...'."""
    leads = tmp_path / "leads.jsonl"
    leads.write_text(json.dumps({"id": "L-1", "company": {"employees": "9" * 100_000}}) + "\n")
    code, out, _err = run(capsys, "validate", str(leads))
    assert code == 1
    assert "..." in out
    assert len(out) < 2_000


def test_a_lone_surrogate_line_does_not_crash_the_table(tmp_path, capsys):
    """Undecodable bytes and escaped lone surrogates are reported, never a traceback."""
    leads = tmp_path / "leads.jsonl"
    leads.write_bytes(b'{"id": "L-1"}\n{"id": "L-\\ud800"}\n{"id": "L-\xe9"}\n')
    code, out, err = run(capsys, "qualify", str(leads), "--as-of", AS_OF)
    assert code == 1
    assert "L-1" in out
    assert "lone surrogates" in err
    assert "not UTF-8: byte 0xe9" in err
