"""Bad policy files: every problem is found at load time, with its line, column and path."""

from __future__ import annotations

import pickle

import pytest

from funnelkit.policy import PolicyFileError, PolicyProblem, loads_policy

MINIMAL = "version: 1\nmetadata:\n  name: tiny\n"
"""The smallest valid policy file (three lines)."""


def problem_list(text: str, *, format: str = "yaml") -> list[PolicyProblem]:
    """The problems of a bad policy text."""
    with pytest.raises(PolicyFileError) as info:
        loads_policy(text, format=format, file=f"p.{format}")  # type: ignore[arg-type]
    return list(info.value.problems)


def problems(text: str, *, format: str = "yaml") -> list[str]:
    """The problems of a bad policy text, one string each."""
    return [str(p) for p in problem_list(text, format=format)]


def one_problem(text: str, *, format: str = "yaml") -> None:
    """Raise the only problem of a bad policy text again, alone (for ``match``)."""
    found = problem_list(text, format=format)
    assert len(found) == 1, [str(p) for p in found]
    raise PolicyFileError(found)


BAD_YAML = [
    (
        "stages:\n  inquiry: company.employes > 50\n",
        r"^p\.yaml:5:12: stages\.inquiry: unknown field 'company\.employes'; did you mean 'company\.employees'\?$",
    ),
    (
        "stages:\n  inquiry: 'company.employees > \"x\"'\n",
        r"^p\.yaml:5:33: stages\.inquiry: > comparison: cannot compare F\.company\.employees \(int\) with 'x' \(str\)$",
    ),
    (
        "stages:\n  inquiry: foo(1) > 2\n",
        r"^p\.yaml:5:12: stages\.inquiry: unknown function or custom rule 'foo'$",
    ),
    (
        "stages:\n  inquiry: company.employees\n",
        r"^p\.yaml:5:12: stages\.inquiry: expected a condition, got 'company\.employees'",
    ),
    (
        "stages:\n  sales_redy: company.employees > 5\n",
        r"^p\.yaml:5:3: stages\.sales_redy: unknown stage 'sales_redy'; did you mean 'sales_ready'\?$",
    ),
    (
        "stages:\n  customer: company.employees > 5\n",
        r"^p\.yaml:5:3: stages\.customer: 'customer' is a won stage; only open stages",
    ),
    (
        "stages:\n  inquiry:\n    entry: |\n      company.employees > 5\n      and company.country = 3\n",
        r"^p\.yaml:8:29: stages\.inquiry\.entry: == comparison: cannot compare F\.company\.country \(str\) with 3 \(int\)$",
    ),
    (
        "funnel: demand_waterfall\nstage_map:\n  profiled: mq\n",
        r"^p\.yaml:6:13: stage_map\.profiled: 'mq' is not a stage of the demand_waterfall funnel; did you mean 'mql'\?$",
    ),
    (
        "funnel: demand_waterfall\nstage_map:\n  sal: mql\n",
        r"^p\.yaml:6:3: stage_map\.sal: 'sal' is a stage of the demand_waterfall funnel itself; map only stages of other funnels$",
    ),
    (
        "stages:\n  inquiry: fit >= 40\n",
        r"^p\.yaml:5:12: stages\.inquiry: unknown field 'fit'; did you mean ref\(\"fit\"\)\? \(a policy's outputs are read with ref\)$",
    ),
    (
        "frameworks: [bant]\nstages:\n  sales_ready: bant_met >= 3\n",
        r"^p\.yaml:6:16: stages\.sales_ready: unknown field 'bant_met'; did you mean ref\(\"bant_met\"\)\?",
    ),
    (
        "definitions:\n  big: company.employees > 5\nstages:\n  inquiry: big\n",
        r"^p\.yaml:7:12: stages\.inquiry: unknown field 'big'; did you mean ref\(\"big\"\)\?",
    ),
    (
        "definitions:\n  keen: engagement > 5\n",
        r"^p\.yaml:5:9: definitions\.keen: unknown field 'engagement'; the policy's engagement is read as ref\(\"engagement\"\), in rules that come after it",
    ),
    (
        'stages:\n  inquiry: ref("big") and company.employees > 5\n',
        r"^p\.yaml:5:16: stages\.inquiry: no output named 'big' before this one",
    ),
    (
        'definitions:\n  a: ref("b") > 1\n  b: ref("c") > 1\n  c: ref("a") > 1\n',
        r"^p\.yaml:5:3: definitions\.a: the definitions refer to each other in a cycle: a -> b -> c -> a$",
    ),
    (
        'definitions:\n  me: ref("me") > 1\n',
        r"^p\.yaml:5:3: definitions\.me: the definitions refer to each other in a cycle: me -> me$",
    ),
    (
        "definitions:\n  Big: company.employees > 5\n",
        r"^p\.yaml:5:3: definitions\.Big: 'Big' cannot name a definition",
    ),
    (
        "funnel: startr\n",
        r"^p\.yaml:4:9: funnel: unknown funnel preset 'startr'; did you mean 'starter'\?$",
    ),
    (
        "stage:\n  inquiry: company.employees > 5\n",
        r"^p\.yaml:4:1: stage: unknown field 'stage'; did you mean 'stages'\?$",
    ),
    (
        "frameworks: [bantt]\n",
        r"^p\.yaml:4:14: frameworks\[0\]: unknown framework preset 'bantt'; did you mean 'bant'\?$",
    ),
    (
        "frameworks:\n  - preset: bant\n    options: {timeline_day: 30}\n",
        r"^p\.yaml:6:15: frameworks\[0\]\.options\.timeline_day: unknown option 'timeline_day'; did you mean 'timeline_days'\?$",
    ),
    (
        "frameworks:\n  - preset: bant\n    options: {timeline_days: -1}\n",
        r"^p\.yaml:6:14: frameworks\[0\]\.options: bant: timeline_days: expected a whole number of days >= 0",
    ),
    (
        "frameworks:\n  - preset: bant\n    criteria:\n      budgt: {label: Money}\n",
        r"^p\.yaml:7:7: frameworks\[0\]\.criteria\.budgt: BANT has no criterion 'budgt'; did you mean 'budget'\?$",
    ),
    (
        "frameworks:\n  - preset: bant\n    without: [ned]\n",
        r"^p\.yaml:6:15: frameworks\[0\]\.without\[0\]: BANT has no criterion 'ned'; did you mean 'need'\?$",
    ),
    (
        "frameworks:\n  - key: mine\n    name: Mine\n    criteria:\n      - {key: a, label: A, rule: custom.x = 1}\n      - {key: a, label: B, rule: custom.y = 1}\n",
        r"^p\.yaml:5:5: frameworks\[0\]: mine: criterion 'a' appears twice$",
    ),
    (
        "frameworks: [bant, bant]\n",
        r"^p\.yaml:4:20: frameworks\[1\]: the framework 'bant' appears twice$",
    ),
    (
        "icp:\n  name: x\n  industrys: [software]\n",
        r"^p\.yaml:6:3: icp\.industrys: unknown field 'industrys'; did you mean 'industries'\?$",
    ),
    (
        "icp:\n  name: x\n  employee_bands: [{low: 500, high: 50}]\n",
        r"^p\.yaml:6:37: icp\.employee_bands\[0\]\.high: expected a number >= low \(500\), got Decimal\('50'\)",
    ),
    (
        "fit:\n  groups:\n    - points:\n        - {points: ten, when: company.employees > 5}\n",
        r"^p\.yaml:7:20: fit\.groups\[0\]\.points\[0\]\.points: expected a number, got 'ten' \(str\)$",
    ),
    (
        "fit:\n  groups:\n    - points:\n        - {points: 1, when: company.employees > 5}\n        - {points: 1, when: company.employes > 5}\n",
        r"^p\.yaml:8:29: fit\.groups\[0\]\.points\[1\]\.when: unknown field 'company\.employes'",
    ),
    (
        "fit: company.employees > 5\n",
        r"^p\.yaml:4:6: fit: expected a number rule \(a score or a value\), got a condition$",
    ),
    (
        "icp: {name: x}\nfit: company.employees\n",
        r"^p\.yaml:5:6: fit: give either 'icp' or 'fit', not both$",
    ),
    (
        "engagement:\n  signals:\n    - {kinds: demo_request, points: 10, frequency: twice}\n",
        r"^p\.yaml:6:7: engagement\.signals\[0\]: frequency must be one of \['every', 'once'\], got 'twice'$",
    ),
    (
        "engagement:\n  signals:\n    - {kinds: pricing_page_view, points: 10, min_gap_days: 0}\n",
        r"^p\.yaml:6:7: engagement\.signals\[0\]: min_gap_days must be a number of days > 0 .*got 0$",
    ),
    (
        "engagement:\n  signals:\n    - {kinds: demo_request, points: 10, frequency: once, min_gap_days: 7}\n",
        r"^p\.yaml:6:7: engagement\.signals\[0\]: min_gap_days=7 needs frequency='every'",
    ),
    (
        "engagement:\n  signals:\n    - {kinds: demo_request, points: 10, explicit: maybe}\n",
        r"^p\.yaml:6:51: engagement\.signals\[0\]\.explicit: expected true or false, got 'maybe' \(str\)$",
    ),
    (
        "fit: company.name\n",
        r"^p\.yaml:4:6: fit: expected a number rule \(a score or a value\), got a rule whose value is str$",
    ),
    (
        "priority: company.employees > 5\n",
        r"^p\.yaml:4:11: priority: expected a number rule \(a score or a value\), got a condition$",
    ),
    (
        'priority: ref("fit_grade")\n',
        r"^p\.yaml:4:11: priority: expected a number rule \(a score or a value\), got a rule whose value is str$",
    ),
    (
        'priority: ref("fitt") * 2\n',
        r"^p\.yaml:4:15: priority: no output named 'fitt' before this one; did you mean 'fit'\?$",
    ),
    (
        'priority: ref("bant_met")\nframeworks: [bant]\n',
        r"^p\.yaml:4:15: priority: no output named 'bant_met' before this one",
    ),
    (
        "priority:\n  weights: {fit: high, engagement: 0.4}\n",
        r"^p\.yaml:5:18: priority\.weights\.fit: expected a number, got 'high' \(str\)$",
    ),
    (
        "priority:\n  weights: {fit: 0.6}\n",
        r"^p\.yaml:5:12: priority\.weights: the required field 'engagement' is missing$",
    ),
    (
        "priority:\n  weights: [0.6, 0.4]\n",
        r"^p\.yaml:5:12: priority\.weights: expected a mapping of 'fit' and 'engagement' to their weights, got \[0\.6, 0\.4\] \(list\)$",
    ),
    (
        "priority: 3\n",
        r"^p\.yaml:4:11: priority: expected a number rule as text or a mapping with 'weights', got 3 \(int\)$",
    ),
    (
        "grades:\n  priority: {hot: 90}\n",
        r"^p\.yaml:5:3: grades\.priority: the policy has no priority to grade: add a top-level 'priority'",
    ),
    (
        'priority: ref("fit")\ngrades:\n  priority: {hot: lots}\n',
        r"^p\.yaml:6:19: grades\.priority\.hot: expected a number, got 'lots' \(str\)$",
    ),
    (
        'stages:\n  inquiry: ref("priority_grade") = "hot"\n',
        r"^p\.yaml:5:16: stages\.inquiry: no output named 'priority_grade' before this one",
    ),
    (
        "grades:\n  fit: {A: high}\n",
        r"^p\.yaml:5:12: grades\.fit\.A: expected a number, got 'high' \(str\)$",
    ),
    (
        "allow_skipping: maybe\n",
        r"^p\.yaml:4:17: allow_skipping: expected true or false, got 'maybe' \(str\)$",
    ),
    (
        "metadata2: {}\n",
        r"^p\.yaml:4:1: metadata2: unknown field 'metadata2'; did you mean 'metadata'\?$",
    ),
    (
        "stages:\n  inquiry: ''\n",
        r"^p\.yaml:5:13: stages\.inquiry: expected a rule as text, got '' \(str\)$",
    ),
]


@pytest.mark.parametrize(("tail", "message"), BAD_YAML, ids=[m[5:50] for _, m in BAD_YAML])
def test_bad_yaml_is_reported_with_line_column_and_path(tail: str, message: str) -> None:
    """Each bad file fails at load time with one located problem and its reason."""
    with pytest.raises(PolicyFileError, match=message):
        one_problem(MINIMAL + tail)


BAD_JSON = [
    (
        '{"version": 1, "metadata": {"name": "x"}, "stages": {"inquiry": "company.employes > 5"}}',
        r"^p\.json:1:66: stages\.inquiry: unknown field 'company\.employes'",
    ),
    (
        '{"version": 1, "metadata": {"name": "x"},\n "stagez": {}}',
        r"^p\.json:2:2: stagez: unknown field 'stagez'; did you mean 'stages'\?$",
    ),
    ('{"version": 1,, }', r"^p\.json:1:15: not valid JSON: expected a key in double quotes$"),
    ('{"version": 1, "version": 1}', r"^p\.json:1:16: version: duplicate key 'version'"),
    ('{"version": 1e999}', r"^p\.json:1:13: not valid JSON: the number 1e999 is too large$"),
    ("", r"^p\.json:1:1: not valid JSON: expected a JSON value"),
]


@pytest.mark.parametrize(("text", "message"), BAD_JSON, ids=[m[5:50] for _, m in BAD_JSON])
def test_bad_json_is_reported_with_line_and_column(text: str, message: str) -> None:
    """JSON files are located too: the reader keeps each value's position."""
    with pytest.raises(PolicyFileError, match=message):
        one_problem(text, format="json")


def test_every_problem_is_reported_at_once_in_file_order() -> None:
    """A file with several problems lists all of them, sorted by line."""
    text = MINIMAL + (
        "stages:\n"
        "  inquiry: company.employes > 5\n"
        "  sales_redy: company.employees > 5\n"
        "frameworks: [bantt]\n"
        "allow_skipping: maybe\n"
    )
    found = problems(text)
    assert [p.split(": ")[1] for p in found] == [
        "stages.inquiry",
        "stages.sales_redy",
        "frameworks[0]",
        "allow_skipping",
    ]
    assert [int(p.split(":")[1]) for p in found] == [5, 6, 7, 8]


def test_str_of_the_error_has_one_line_per_problem() -> None:
    """str(error) is the problems, one per line, file:line:col: path: message."""
    with pytest.raises(PolicyFileError) as info:
        loads_policy(MINIMAL + "funnel: x\nallow_skipping: 1\n", file="p.yaml")
    lines = str(info.value).splitlines()
    assert lines == [str(p) for p in info.value.problems]
    assert len(lines) == 2


def test_rules_that_depend_on_a_broken_definition_are_not_reported_again() -> None:
    """A ref to a definition that failed is not a second problem."""
    text = MINIMAL + 'definitions:\n  big: company.employes > 5\nstages:\n  inquiry: ref("big")\n'
    found = problems(text)
    assert len(found) == 1
    assert "definitions.big" in found[0]


def test_the_problem_keeps_path_value_line_and_column() -> None:
    """Problems are data: their parts are attributes."""
    with pytest.raises(PolicyFileError) as info:
        loads_policy(MINIMAL + "allow_skipping: maybe\n", file="p.yaml")
    (problem,) = info.value.problems
    assert (problem.path, problem.value, problem.line, problem.column, problem.file) == (
        "allow_skipping",
        "maybe",
        4,
        17,
        "p.yaml",
    )


def test_the_error_pickles() -> None:
    """PolicyFileError survives pickling (multiprocessing, caches)."""
    err = PolicyFileError([PolicyProblem(path="a", message="m", line=1, column=2)], file="f")
    again = pickle.loads(pickle.dumps(err))
    assert str(again) == str(err)
    assert again.problems == err.problems


def test_the_error_is_a_value_error() -> None:
    """Code that catches ValueError catches bad policy files."""
    with pytest.raises(ValueError, match="unknown funnel preset"):
        loads_policy(MINIMAL + "funnel: x\n")


def test_rules_that_use_a_broken_priority_are_not_reported_again() -> None:
    """A gate that refs a priority that failed is not a second problem."""
    text = MINIMAL + 'priority: ref("fitt")\nstages:\n  inquiry: ref("priority_grade") = "hot"\n'
    found = problems(text)
    assert len(found) == 1
    assert ": priority: " in found[0]


def test_a_condition_error_in_an_escaped_string_names_its_column_in_the_rule() -> None:
    """When the rule's characters cannot be mapped onto the file, the message says where."""
    text = MINIMAL + "stages:\n  inquiry: \"company.employees \\u003e 'x'\"\n"
    with pytest.raises(PolicyFileError, match=r"^p\.yaml:5:12: .*\(at column 21 of the rule\)$"):
        one_problem(text)
