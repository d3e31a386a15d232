"""Hostile policy files: each is refused when loaded, with its location and reason.

A policy that loads never fails while leads are qualified: NaN and huge numbers,
unbounded windows, arithmetic on rule sets, regular-expression bombs, YAML tags and
aliases, deep and huge documents and Unicode look-alikes are all refused here.
"""

from __future__ import annotations

import pytest

from funnelkit.errors import PolicyError
from funnelkit.policy import PolicyFileError, loads_policy

# fmt: off
B = 'version: 1\nmetadata: {name: x}\n'
Y = [
 ("sNaN", B + 'stages:\n  inquiry: company.employees > decimal("sNaN")\n'),
 ("NaN", B + 'stages:\n  inquiry: company.employees > decimal("NaN")\n'),
 ("float-nan", B + 'stages:\n  inquiry: company.employees > float("nan")\n'),
 ("huge-product", B + 'stages:\n  inquiry: score(1 points per company.employees * 1e999999) > 5\n'),
 ("huge-literal", B + 'stages:\n  inquiry: company.employees > 1e40\n'),
 ("huge-within", B + 'stages:\n  inquiry: count(signals where kind = "demo_request" within 99999999999 days) >= 1\n'),
 ("ruleset-arith", B + 'stages:\n  inquiry: "1 - rule_set(a: 1) > 0"\n'),
 ("empty-kinds", B + 'engagement:\n  signals:\n    - {kinds: [], points: 5}\n'),
 ("empty-grade", B + 'grades:\n  fit: {"": 50, B: 25}\n'),
 ("blank-grade", B + 'grades:\n  fit: {"  ": 50}\n'),
 ("yaml-python-tag", B + 'stages:\n  inquiry: !!python/object/apply:os.system ["ls"]\n'),
 ("yaml-custom-tag", B + 'stages:\n  inquiry: !mytag x\n'),
 ("yaml-alias", B + 'definitions:\n  a: &x company.employees > 5\n  b: *x\n'),
 ("yaml-anchor-bomb", 'a: &a ["x","x"]\nb: &b [*a,*a]\nc: &c [*b,*b]\n'),
 ("yaml-duplicate", B + 'stages:\n  inquiry: company.employees > 5\n  inquiry: company.employees > 6\n'),
 ("yaml-nan", B + 'fit:\n  groups:\n    - name: g\n      points:\n        - {when: "company.employees > 1", points: .nan}\n'),
 ("yaml-inf", B + 'fit:\n  groups:\n    - name: g\n      points:\n        - {when: "company.employees > 1", points: .inf}\n'),
 ("yaml-deep", B + 'x: ' + '[' * 5000 + ']' * 5000 + '\n'),
 ("yaml-not-mapping", '- 1\n- 2\n'),
 ("yaml-empty", ''),
 ("yaml-scalar", 'hello\n'),
 ("yaml-version-2", 'version: 2\nmetadata: {name: x}\n'),
 ("yaml-version-str", 'version: "1"\nmetadata: {name: x}\n'),
 ("yaml-no-metadata", 'version: 1\n'),
 ("yaml-bad-name", 'version: 1\nmetadata: {name: "Bad Name!"}\n'),
 ("yaml-lookalike-key", 'version: 1\nmetadat\u0430: {name: x}\n'),
 ("yaml-unknown-key", B + 'stagez: {}\n'),
 ("yaml-unknown-stage", B + 'stages:\n  sales_redy: company.employees > 5\n'),
 ("yaml-lookalike-stage", B + 'stages:\n  inquir\u0443: company.employees > 5\n'),
 ("yaml-stage-not-condition", B + 'stages:\n  inquiry: company.employees\n'),
 ("yaml-stage-number", B + 'stages:\n  inquiry: 5\n'),
 ("yaml-stage-list", B + 'stages:\n  inquiry: [1, 2]\n'),
 ("yaml-unknown-funnel", B + 'funnel: startr\n'),
 ("yaml-unknown-framework", B + 'frameworks: [bnat]\n'),
 ("yaml-definition-reserved", B + 'definitions:\n  fit: company.employees > 5\n'),
 ("yaml-definition-bad-name", B + 'definitions:\n  "Bad Name": company.employees > 5\n'),
 ("yaml-definition-cycle", B + 'definitions:\n  a: ref("b")\n  b: ref("a")\n'),
 ("yaml-grade-str", B + 'grades:\n  fit: {A: "high"}\n'),
 ("yaml-grade-bool", B + 'grades:\n  fit: {A: true}\n'),
 ("yaml-negative-within", B + 'engagement:\n  signals:\n    - {kinds: demo_request, points: 5, within_days: -1}\n'),
 ("yaml-huge-within-days", B + 'engagement:\n  signals:\n    - {kinds: demo_request, points: 5, within_days: 99999999999}\n'),
 ("yaml-bad-frequency", B + 'engagement:\n  signals:\n    - {kinds: demo_request, points: 5, frequency: sometimes}\n'),
 ("yaml-zero-half-life", B + 'engagement:\n  signals:\n    - {kinds: demo_request, points: 5, half_life_days: 0}\n'),
 ("yaml-nan-half-life", B + 'engagement:\n  signals:\n    - {kinds: demo_request, points: 5, half_life_days: .nan}\n'),
 ("yaml-huge-points", B + 'engagement:\n  signals:\n    - {kinds: demo_request, points: 1e400}\n'),
 ("yaml-kinds-number", B + 'engagement:\n  signals:\n    - {kinds: 5, points: 5}\n'),
 ("yaml-kinds-empty-str", B + 'engagement:\n  signals:\n    - {kinds: "", points: 5}\n'),
 ("yaml-regex-bomb", B + 'stages:\n  inquiry: company.name matches "(a|a)*b"\n'),
 ("yaml-regex-nested", B + 'stages:\n  inquiry: company.name matches "(a+)+$"\n'),
 ("yaml-long-regex", B + 'stages:\n  inquiry: company.name matches "' + 'a' * 500 + '"\n'),
 ("yaml-icp-bad-country", B + 'icp:\n  name: x\n  countries: [XX]\n'),
 ("yaml-icp-bad-band", B + 'icp:\n  name: x\n  employee_bands:\n    - {low: 500, high: 5}\n'),
 ("yaml-icp-negative-band", B + 'icp:\n  name: x\n  employee_bands:\n    - {low: -5}\n'),
 ("yaml-icp-unknown-seniority", B + 'icp:\n  name: x\n  seniorities: [viceroy]\n'),
 ("yaml-tab-indent", B + 'stages:\n\tinquiry: company.employees > 5\n'),
 ("yaml-unclosed", B + 'stages: {inquiry: company.employees > 5\n'),
 ("yaml-bidi", B + 'stages:\n  inquiry: company.name = "\u202eevil"\n  sales_redy: x\n'),
 ("yaml-nul", B + 'stages:\n  inquiry: "company.employees > 5\\0"\n'),
]
J = [
 ("json-nan", '{"version": 1, "metadata": {"name": "x"}, "grades": {"fit": {"A": NaN}}}'),
 ("json-inf", '{"version": 1, "metadata": {"name": "x"}, "grades": {"fit": {"A": Infinity}}}'),
 ("json-huge", '{"version": 1, "metadata": {"name": "x"}, "grades": {"fit": {"A": 1e400}}}'),
 ("json-huge-int", '{"version": 1, "metadata": {"name": "x"}, "grades": {"fit": {"A": ' + '9' * 5000 + '}}}'),
 ("json-deep", '{"version": 1, "x": ' + '[' * 100000 + ']' * 100000 + '}'),
 ("json-duplicate", '{"version": 1, "version": 1, "metadata": {"name": "x"}}'),
 ("json-trailing", '{"version": 1, "metadata": {"name": "x"}},'),
 ("json-array", '[1, 2]'),
 ("json-empty", ''),
 ("json-bom-mid", '{"version": 1, "metadata": {"name": "\ufeffx"}}'),
 ("json-many-keys", '{"version": 1, "metadata": {"name": "x"}, ' + ', '.join(f'"k{i}": 1' for i in range(50000)) + '}'),
 ("json-many-definitions", '{"version": 1, "metadata": {"name": "x"}, "definitions": {' + ', '.join(f'"d{i}": "company.employees > {i}"' for i in range(20000)) + '}}'),
]

EXPECTED = {
    'sNaN': (PolicyFileError, "stages\\.inquiry: decimal takes a number, 'inf' or '-inf', not 'sNaN'", '<text>:4:32'),
    'NaN': (PolicyFileError, "stages\\.inquiry: decimal takes a number, 'inf' or '-inf', not 'NaN'", '<text>:4:32'),
    'float-nan': (PolicyFileError, "stages\\.inquiry: float takes a number, 'inf' or '-inf', not 'nan'", '<text>:4:32'),
    'huge-product': (PolicyFileError, "stages\\.inquiry: '\\*' cannot take an infinity or a number of 10\\*\\*28 or more", '<text>:4:31'),
    'huge-within': (PolicyFileError, 'stages\\.inquiry: within must be a whole number of days >= 0 and at most 36,525 \\(100 years\\),', '<text>:4:18'),
    'ruleset-arith': (PolicyFileError, "stages\\.inquiry: '-' needs numbers, got rule_set\\(a=1\\) \\(mapping\\)", '<text>:4:13'),
    'empty-kinds': (PolicyFileError, 'engagement: signal kinds must name at least one kind \\(None selects every kind\\)', '<text>:4:3'),
    'empty-grade': (PolicyFileError, "grade labels must be non-empty text, got ''", '<text>:1:1'),
    'blank-grade': (PolicyFileError, "grade labels must be non-empty text, got '  '", '<text>:1:1'),
    'yaml-python-tag': (PolicyFileError, 'stages\\.inquiry: the YAML tag tag:yaml\\.org,2002:python/object/apply:os\\.system is not allowe', '<text>:4:12'),
    'yaml-custom-tag': (PolicyFileError, 'stages\\.inquiry: the YAML tag !mytag is not allowed', '<text>:4:12'),
    'yaml-alias': (PolicyFileError, 'anchors \\(&x\\) are not allowed in policy files; write the value out, or use a named definiti', '<text>:4:6'),
    'yaml-anchor-bomb': (PolicyFileError, 'anchors \\(&a\\) are not allowed in policy files; write the value out, or use a named definiti', '<text>:1:4'),
    'yaml-duplicate': (PolicyFileError, "stages\\.inquiry: duplicate key 'inquiry' \\(first on line 4\\)", '<text>:5:3'),
    'yaml-nan': (PolicyFileError, 'fit\\.groups\\[0\\]\\.points\\[0\\]\\.points: expected a number, got nan \\(float\\)', '<text>:7:51'),
    'yaml-inf': (PolicyFileError, 'fit\\.groups\\[0\\]\\.points\\[0\\]\\.points: expected a number, got inf \\(float\\)', '<text>:7:51'),
    'yaml-deep': (PolicyFileError, 'the document nests deeper than 32 levels \\(PolicyLimits\\.max_depth\\)', '<text>:3:35'),
    'yaml-not-mapping': (PolicyFileError, 'expected a policy document \\(a mapping\\), got \\[1, 2\\] \\(list\\)', '<text>:1:1'),
    'yaml-empty': (PolicyFileError, "the policy is empty: start it with 'version: 1'", '<document>'),
    'yaml-scalar': (PolicyFileError, "expected a policy document \\(a mapping\\), got 'hello' \\(str\\)", '<text>:1:1'),
    'yaml-version-2': (PolicyFileError, 'version: written for funnelkit policy format 2; this funnelkit reads 1; upgrade funnelkit', '<text>:1:10'),
    'yaml-version-str': (PolicyFileError, "version: unknown policy format version '1' \\(str\\); this funnelkit reads format 1 \\(write 've", '<text>:1:11'),
    'yaml-no-metadata': (PolicyFileError, "the required field 'metadata' is missing", '<text>:1:1'),
    'yaml-lookalike-key': (PolicyFileError, "the required field 'metadata' is missing", '<text>:1:1'),
    'yaml-unknown-key': (PolicyFileError, "stagez: unknown field 'stagez'; did you mean 'stages'\\?", '<text>:3:1'),
    'yaml-unknown-stage': (PolicyFileError, "stages\\.sales_redy: unknown stage 'sales_redy'; did you mean 'sales_ready'\\?", '<text>:4:3'),
    'yaml-lookalike-stage': (PolicyFileError, "stages\\.inquir\u0443: unknown stage 'inquir\u0443'; did you mean 'inquiry'\\?", '<text>:4:3'),
    'yaml-stage-not-condition': (PolicyFileError, "stages\\.inquiry: expected a condition, got 'company\\.employees', a value of kind int; compar", '<text>:4:12'),
    'yaml-stage-number': (PolicyFileError, "stages\\.inquiry: expected an entry rule as text, or a mapping with 'entry', got 5 \\(int\\)", '<text>:4:12'),
    'yaml-stage-list': (PolicyFileError, "stages\\.inquiry: expected an entry rule as text, or a mapping with 'entry', got \\[1, 2\\] \\(lis", '<text>:4:12'),
    'yaml-unknown-funnel': (PolicyFileError, "funnel: unknown funnel preset 'startr'; did you mean 'starter'\\?", '<text>:3:9'),
    'yaml-unknown-framework': (PolicyFileError, "frameworks\\[0\\]: unknown framework preset 'bnat'; did you mean 'bant'\\?", '<text>:3:14'),
    'yaml-definition-reserved': (PolicyFileError, "definitions\\.fit: 'fit' cannot name a definition: use a lower-case identifier that is not f", '<text>:4:3'),
    'yaml-definition-bad-name': (PolicyFileError, "definitions\\.Bad Name: 'Bad Name' cannot name a definition: use a lower-case identifier tha", '<text>:4:3'),
    'yaml-definition-cycle': (PolicyFileError, 'definitions\\.a: the definitions refer to each other in a cycle: a -> b -> a', '<text>:4:3'),
    'yaml-grade-str': (PolicyFileError, "grades\\.fit\\.A: expected a number, got 'high' \\(str\\)", '<text>:4:13'),
    'yaml-grade-bool': (PolicyFileError, 'grades\\.fit\\.A: expected a number, got True \\(bool\\)', '<text>:4:12'),
    'yaml-negative-within': (PolicyFileError, 'engagement\\.signals\\[0\\]\\.within_days: expected a whole number >= 0, got -1 \\(int\\)', '<text>:5:53'),
    'yaml-huge-within-days': (PolicyFileError, 'engagement: within must be a whole number of days >= 0 and at most 36,525 \\(100 years\\), got', '<text>:4:3'),
    'yaml-bad-frequency': (PolicyFileError, "engagement\\.signals\\[0\\]: frequency must be one of \\['every', 'once'\\], got 'sometimes'", '<text>:5:7'),
    'yaml-zero-half-life': (PolicyFileError, 'engagement\\.signals\\[0\\]: half_life_days must be > 0, got 0\\.0', '<text>:5:7'),
    'yaml-nan-half-life': (PolicyFileError, 'engagement\\.signals\\[0\\]\\.half_life_days: expected a number, got nan \\(float\\)', '<text>:5:56'),
    'yaml-huge-points': (PolicyFileError, "engagement\\.signals\\[0\\]\\.points: expected a number, got '1e400' \\(str\\)", '<text>:5:37'),
    'yaml-kinds-number': (PolicyFileError, 'engagement\\.signals\\[0\\]\\.kinds: expected a text or a list of texts, got 5 \\(int\\)', '<text>:5:15'),
    'yaml-kinds-empty-str': (PolicyFileError, "engagement: signal kinds must be non-empty strings, got frozenset\\(\\{''\\}\\)", '<text>:4:3'),
    'yaml-regex-bomb': (PolicyFileError, 'stages\\.inquiry: alternatives under a repetition such as \\(a\\|ab\\)\\* can take exponential time;', '<text>:4:33'),
    'yaml-regex-nested': (PolicyFileError, 'stages\\.inquiry: nested repetition such as \\(a\\+\\)\\+ can take exponential time', '<text>:4:33'),
    'yaml-long-regex': (PolicyFileError, 'stages\\.inquiry: pattern of 500 characters; at most 200 allowed', '<text>:4:33'),
    'yaml-icp-bad-country': (PolicyFileError, "icp\\.countries: expected ISO 3166-1 alpha-2 country codes such as 'US', got 'XX' \\(str\\)", '<text>:5:14'),
    'yaml-icp-bad-band': (PolicyFileError, "icp\\.employee_bands\\[0\\]\\.high: expected a number >= low \\(500\\), got Decimal\\('5'\\) \\(Decimal\\)", '<text>:6:24'),
    'yaml-icp-unknown-seniority': (PolicyFileError, "icp\\.seniorities\\[0\\]: expected one of 'ic', 'manager', 'director', 'vp', 'c_level', 'owner',", '<text>:5:17'),
    'yaml-tab-indent': (PolicyFileError, "not valid YAML: while scanning for the next token found character '\\\\t' that cannot start a", '<text>:4:1'),
    'yaml-unclosed': (PolicyFileError, "not valid YAML: while parsing a flow mapping expected ',' or '\\}', but got '<stream end>'", '<text>:4:1'),
    'yaml-bidi': (PolicyFileError, "stages\\.sales_redy: unknown stage 'sales_redy'; did you mean 'sales_ready'\\?", '<text>:5:3'),
    'yaml-nul': (PolicyFileError, 'stages\\.inquiry: unexpected character U\\+0000 \\(at column 22 of the rule\\)', '<text>:4:12'),
    'json-nan': (PolicyFileError, "not valid JSON: expected a JSON value, got 'NaN\\}\\}\\}'", '<text>:1:67'),
    'json-inf': (PolicyFileError, "not valid JSON: expected a JSON value, got 'Infinity\\}\\}'", '<text>:1:67'),
    'json-huge': (PolicyFileError, 'not valid JSON: the number 1e400 is too large', '<text>:1:67'),
    'json-huge-int': (PolicyFileError, 'not valid JSON: a number of 5000 characters; at most 400', '<text>:1:67'),
    'json-deep': (PolicyFileError, 'not valid JSON: the document nests deeper than 32 levels \\(PolicyLimits\\.max_depth\\)', '<text>:1:52'),
    'json-duplicate': (PolicyFileError, "version: duplicate key 'version' \\(first on line 1\\)", '<text>:1:16'),
    'json-trailing': (PolicyFileError, "not valid JSON: unexpected text after the document: ','", '<text>:1:42'),
    'json-array': (PolicyFileError, 'expected a policy document \\(a mapping\\), got \\[1, 2\\] \\(list\\)', '<text>:1:1'),
    'json-empty': (PolicyFileError, "not valid JSON: expected a JSON value, got 'the end of the text'", '<text>:1:1'),
    'json-many-keys': (PolicyFileError, 'not valid JSON: more than 1000 entries in one object or list \\(PolicyLimits\\.max_items\\)', '<text>:1:10920'),
    'json-many-definitions': (PolicyFileError, 'not valid JSON: more than 1000 entries in one object or list \\(PolicyLimits\\.max_items\\)', '<text>:1:34874'),
}
# fmt: on

CASES = [
    pytest.param(fmt, text, *EXPECTED[name], id=name)
    for fmt, items in (("yaml", Y), ("json", J))
    for name, text in items
    if name in EXPECTED
]


@pytest.mark.parametrize(("fmt", "text", "error", "match", "location"), CASES)
def test_hostile_policies_are_refused_at_load(fmt, text, error, match, location):
    """Each hostile policy raises a PolicyFileError naming the place and the reason."""
    with pytest.raises(error, match=match) as info:
        loads_policy(text, format=fmt)
    assert isinstance(info.value, PolicyError)
    if location:
        assert info.value.location == location


def test_the_corpus_is_large():
    """The table keeps its cases (none silently dropped)."""
    assert len(CASES) >= 64
