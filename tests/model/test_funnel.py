import pickle
import re

import pytest

from funnelkit.errors import FieldTypeError, FunnelkitError, ValidationError
from funnelkit.model import Funnel, Stage, StageKind, UnknownStageError

A = Stage(key="a", label="A", order=10)
B = Stage(key="b", label="B", order=20)
WON = Stage(key="won", label="Won", order=30, kind="won")
KINDS = "'open', 'won', 'lost', 'nurture', 'disqualified'"

BAD_STAGES = [
    pytest.param({"key": ""}, ValidationError, "$.key: expected a non-empty str of at most 100 characters, got '' (str)", id="key-empty"),
    pytest.param({"key": None}, FieldTypeError, "$.key: expected a non-empty str, got None (NoneType)", id="key-none"),
    pytest.param({"label": " "}, ValidationError, "$.label: expected a non-empty str of at most 200 characters, got ' ' (str)", id="label-blank"),
    pytest.param({"order": -1}, ValidationError, "$.order: expected int >= 0, got -1 (int)", id="order-negative"),
    pytest.param({"order": True}, FieldTypeError, "$.order: expected int >= 0, got True (bool)", id="order-bool"),
    pytest.param({"order": None}, FieldTypeError, "$.order: expected int >= 0, got None (NoneType)", id="order-none"),
    pytest.param({"kind": "done"}, ValidationError, f"$.kind: expected one of {KINDS}, got 'done' (str)", id="kind-unknown"),
    pytest.param({"description": ""}, ValidationError, "$.description: expected a non-empty str of at most 10000 characters, got '' (str)", id="description-empty"),
]  # fmt: skip

BAD_FUNNELS = [
    pytest.param({"name": ""}, ValidationError, "$.name: expected a non-empty str of at most 200 characters, got '' (str)", id="name-empty"),
    pytest.param({"stages": []}, ValidationError, "$.stages: expected at least one stage, got () (tuple)", id="no-stages"),
    pytest.param({"stages": None}, ValidationError, "$.stages: expected at least one stage, got () (tuple)", id="stages-none"),
    pytest.param({"stages": [A, "b"]}, FieldTypeError, "$.stages[0]: expected Stage, got 'b' (str)", id="stage-str"),
    pytest.param({"stages": [A, Stage(key="a", label="Again", order=20)]}, ValidationError, "$.stages[1].key: expected a unique stage key, got 'a' (str)", id="duplicate-key"),
    pytest.param({"stages": [A, Stage(key="b", label="B", order=10)]}, ValidationError, "$.stages[1].order: expected a unique stage order, got 10 (int)", id="duplicate-order"),
    pytest.param({"transitions": {("a", "c")}}, ValidationError, "$.transitions: expected stage keys from ['a', 'b', 'won'], got 'c' (str)", id="transition-unknown-target"),
    pytest.param({"transitions": [["x", "a"]]}, ValidationError, "$.transitions: expected stage keys from ['a', 'b', 'won'], got 'x' (str)", id="transition-unknown-source"),
    pytest.param({"transitions": {("a", "a")}}, ValidationError, "$.transitions: expected a move between two stages, got ('a', 'a') (tuple)", id="transition-to-itself"),
    pytest.param({"transitions": {("a",)}}, ValidationError, "$.transitions: expected (from_key, to_key) pairs, got ('a',) (tuple)", id="transition-not-a-pair"),
    pytest.param({"transitions": {"ab"}}, ValidationError, "$.transitions: expected (from_key, to_key) pairs, got 'ab' (str)", id="transition-str"),
    pytest.param({"transitions": 5}, FieldTypeError, "$.transitions: expected a set of (from_key, to_key) pairs, got 5 (int)", id="transitions-int"),
    pytest.param({"transitions": {"a": "b"}}, FieldTypeError, "$.transitions: expected a set of (from_key, to_key) pairs, got {'a': 'b'} (dict)", id="transitions-dict"),
]  # fmt: skip


@pytest.mark.parametrize(("kwargs", "error", "message"), BAD_STAGES)
def test_bad_stage_values_are_rejected(kwargs, error, message):
    """A bad stage value raises an error whose message names the field and the value."""
    fields = {"key": "a", "label": "A", "order": 1, **kwargs}
    with pytest.raises(error, match=re.escape(message)) as info:
        Stage(**fields)
    assert type(info.value) is error


@pytest.mark.parametrize(("kwargs", "error", "message"), BAD_FUNNELS)
def test_bad_funnels_are_rejected(kwargs, error, message):
    """A bad funnel raises an error whose message names the field path and the value."""
    fields = {"name": "f", "stages": [A, B, WON], **kwargs}
    with pytest.raises(error, match=re.escape(message)) as info:
        Funnel(**fields)
    assert type(info.value) is error


def test_stage_kind_accepts_its_value_and_defaults_to_open():
    """A stage kind given as a string becomes the member; the default is open."""
    assert WON.kind is StageKind.WON
    assert not WON.is_open
    assert A.kind is StageKind.OPEN
    assert A.is_open


FUNNEL = Funnel(name="f", stages=[WON, B, A], transitions=[["a", "b"], ("b", "won"), ("a", "won")])


def test_stages_are_sorted_by_order():
    """Stages given in any order are kept sorted by order."""
    assert FUNNEL.stages == (A, B, WON)
    assert FUNNEL.keys == ("a", "b", "won")


def test_transitions_become_a_frozenset_of_tuples():
    """Transitions given as lists of lists become a frozenset of tuples."""
    assert FUNNEL.transitions == frozenset({("a", "b"), ("b", "won"), ("a", "won")})


def test_open_stages_excludes_outcomes():
    """open_stages lists only the open stages, in order."""
    assert FUNNEL.open_stages == (A, B)


def test_stage_looks_up_by_key():
    """stage(key) returns the stage with that key."""
    assert FUNNEL.stage("b") is B


def test_unknown_stage_suggests_the_closest_key():
    """An unknown key raises UnknownStageError with a did-you-mean."""
    with pytest.raises(
        UnknownStageError, match=re.escape("unknown stage 'wonn'; did you mean 'won'?")
    ):
        FUNNEL.stage("wonn")


def test_unknown_stage_lists_the_keys_when_nothing_is_close():
    """Without a close match the message lists the known stages."""
    with pytest.raises(
        UnknownStageError, match=re.escape("unknown stage 'zzz'; known stages: a, b, won")
    ):
        FUNNEL.stage("zzz")


def test_unknown_stage_error_is_a_key_error_and_a_funnelkit_error():
    """UnknownStageError can be caught as KeyError or FunnelkitError; str is the message."""
    err = UnknownStageError("x", ("a",))
    assert isinstance(err, KeyError)
    assert isinstance(err, FunnelkitError)
    assert str(err) == "unknown stage 'x'; known stages: a"
    assert (err.key, err.known) == ("x", ("a",))


def test_unknown_stage_error_pickles():
    """UnknownStageError survives pickling (for multiprocessing)."""
    err = pickle.loads(pickle.dumps(UnknownStageError("wonn", ("a", "won"))))
    assert (err.key, err.known, str(err)) == (
        "wonn",
        ("a", "won"),
        "unknown stage 'wonn'; did you mean 'won'?",
    )


@pytest.mark.parametrize(
    ("move", "allowed"),
    [(("a", "b"), True), (("b", "won"), True), (("b", "a"), False), (("won", "a"), False)],
)
def test_allows_checks_declared_transitions(move, allowed):
    """allows() is True exactly for declared moves."""
    assert FUNNEL.allows(*move) is allowed


@pytest.mark.parametrize("move", [("a", "nope"), ("nope", "a")])
def test_allows_rejects_unknown_stages(move):
    """allows() with an unknown stage raises UnknownStageError."""
    with pytest.raises(UnknownStageError, match="unknown stage 'nope'"):
        FUNNEL.allows(*move)


def test_moves_from_lists_targets_in_funnel_order():
    """moves_from(key) gives the stages reachable in one move, in funnel order."""
    assert FUNNEL.moves_from("a") == (B, WON)
    assert FUNNEL.moves_from("won") == ()
    with pytest.raises(UnknownStageError):
        FUNNEL.moves_from("nope")


def test_container_protocol():
    """A funnel supports len, iteration in order, and `key in funnel`."""
    assert len(FUNNEL) == 3
    assert list(FUNNEL) == [A, B, WON]
    assert "b" in FUNNEL
    assert "c" not in FUNNEL
    assert B not in FUNNEL


def test_a_single_stage_funnel_is_valid():
    """One stage and no transitions is the smallest funnel."""
    assert Funnel(name="one", stages=[A]).transitions == frozenset()
