import re
from decimal import Decimal

import pytest

from funnelkit.errors import FieldTypeError, ValidationError
from funnelkit.model import (
    ICP_CRITERIA,
    Band,
    Exclusions,
    FrozenDict,
    IdealCustomerProfile,
    Seniority,
)

CRITERIA = str(sorted(ICP_CRITERIA))
COUNTRIES = "ISO 3166-1 alpha-2 country codes such as 'US'"
AMOUNT = "a finite decimal amount (int, str or Decimal) or None"
SENIORITIES = "'ic', 'manager', 'director', 'vp', 'c_level', 'owner'"

BAD = [
    pytest.param(Band, {"low": "abc"}, FieldTypeError, f"$.low: expected {AMOUNT}, got 'abc' (str)", id="band-low-str"),
    pytest.param(Band, {"low": True}, FieldTypeError, f"$.low: expected {AMOUNT}, got True (bool)", id="band-low-bool"),
    pytest.param(Band, {"high": float("nan")}, ValidationError, f"$.high: expected {AMOUNT}, got Decimal('NaN') (Decimal)", id="band-high-nan"),
    pytest.param(Band, {"low": 10, "high": 5}, ValidationError, "$.high: expected a number >= low (10), got Decimal('5') (Decimal)", id="band-high-below-low"),
    pytest.param(Exclusions, {"industries": "software"}, FieldTypeError, "$.industries: expected a set of str, got 'software' (str)", id="exclusions-industries-str"),
    pytest.param(Exclusions, {"countries": {"usa"}}, ValidationError, f"$.countries: expected {COUNTRIES}, got 'usa' (str)", id="exclusions-country-unknown"),
    pytest.param(Exclusions, {"countries": {1}}, FieldTypeError, "$.countries: expected a set of str, got 1 (int)", id="exclusions-country-int"),
    pytest.param(Exclusions, {"domains": {"not a domain"}}, ValidationError, "$.domains: expected a domain name such as 'example.com', got 'not a domain' (str)", id="exclusions-domain-bad"),
    pytest.param(Exclusions, {"domains": "acme.com"}, FieldTypeError, "$.domains: expected a set of str, got 'acme.com' (str)", id="exclusions-domains-str"),
    pytest.param(Exclusions, {"tags": {""}}, ValidationError, "$.tags: expected non-empty strings, got '' (str)", id="exclusions-tag-empty"),
    pytest.param(Exclusions, {"technologies": [3]}, FieldTypeError, "$.technologies: expected a set of str, got 3 (int)", id="exclusions-technology-int"),
    pytest.param(IdealCustomerProfile, {"name": ""}, ValidationError, "$.name: expected a non-empty str of at most 200 characters, got '' (str)", id="icp-name-empty"),
    pytest.param(IdealCustomerProfile, {"industries": {""}}, ValidationError, "$.industries: expected non-empty strings, got '' (str)", id="icp-industry-empty"),
    pytest.param(IdealCustomerProfile, {"employee_bands": [(1, 2)]}, FieldTypeError, "$.employee_bands[0]: expected Band, got (1, 2) (tuple)", id="icp-band-tuple"),
    pytest.param(IdealCustomerProfile, {"revenue_bands": Band()}, FieldTypeError, "$.revenue_bands: expected a tuple of Band, got Band(", id="icp-revenue-bands-single"),
    pytest.param(IdealCustomerProfile, {"revenue_currency": "usd"}, ValidationError, "$.revenue_currency: expected an ISO 4217 currency code such as 'USD', got 'usd' (str)", id="icp-currency-lower"),
    pytest.param(IdealCustomerProfile, {"countries": {"US", "usa"}}, ValidationError, f"$.countries: expected {COUNTRIES}, got 'usa' (str)", id="icp-country-unknown"),
    pytest.param(IdealCustomerProfile, {"countries": "US"}, FieldTypeError, "$.countries: expected a set of str, got 'US' (str)", id="icp-countries-str"),
    pytest.param(IdealCustomerProfile, {"regions": [" "]}, ValidationError, "$.regions: expected non-empty strings, got ' ' (str)", id="icp-region-blank"),
    pytest.param(IdealCustomerProfile, {"seniorities": {"ceo"}}, ValidationError, f"$.seniorities: expected members from {SENIORITIES}, got 'ceo' (str)", id="icp-seniority-unknown"),
    pytest.param(IdealCustomerProfile, {"exclusions": {}}, FieldTypeError, "$.exclusions: expected Exclusions, got {} (dict)", id="icp-exclusions-dict"),
    pytest.param(IdealCustomerProfile, {"must_have": {"budget"}}, ValidationError, f"$.must_have: expected criteria from {CRITERIA}, got 'budget' (str)", id="icp-must-have-unknown"),
    pytest.param(IdealCustomerProfile, {"must_have": "industry"}, FieldTypeError, "$.must_have: expected a set of str, got 'industry' (str)", id="icp-must-have-str"),
    pytest.param(IdealCustomerProfile, {"must_have": 5}, FieldTypeError, "$.must_have: expected a set of str, got 5 (int)", id="icp-must-have-int"),
    pytest.param(IdealCustomerProfile, {"weights": {"budget": 5}}, ValidationError, f"$.weights.budget: expected a criterion from {CRITERIA}, got 'budget' (str)", id="icp-weight-unknown-criterion"),
    pytest.param(IdealCustomerProfile, {"weights": {"industry": "20"}}, FieldTypeError, "$.weights.industry: expected int, got '20' (str)", id="icp-weight-str"),
    pytest.param(IdealCustomerProfile, {"weights": {"industry": True}}, FieldTypeError, "$.weights.industry: expected int, got True (bool)", id="icp-weight-bool"),
    pytest.param(IdealCustomerProfile, {"weights": {"industry": 2.5}}, FieldTypeError, "$.weights.industry: expected int, got 2.5 (float)", id="icp-weight-float"),
    pytest.param(IdealCustomerProfile, {"weights": [("industry", 5)]}, ValidationError, "$.weights: expected a mapping of criterion to points, got [('industry', 5)] (list)", id="icp-weights-list"),
]  # fmt: skip


@pytest.mark.parametrize(("cls", "kwargs", "error", "message"), BAD)
def test_bad_values_are_rejected(cls, kwargs, error, message):
    """A bad value raises an error whose message names the field path and the value."""
    if cls is IdealCustomerProfile:
        kwargs = {"name": "icp", **kwargs}
    with pytest.raises(error, match=re.escape(message)) as info:
        cls(**kwargs)
    assert type(info.value) is error


@pytest.mark.parametrize(
    ("band", "value", "inside"),
    [
        (Band(low=50, high=5000), 50, True),
        (Band(low=50, high=5000), 5000, True),
        (Band(low=50, high=5000), 49, False),
        (Band(low=50, high=5000), 5001, False),
        (Band(low=50), 10**9, True),
        (Band(high="9999999.99"), Decimal("9999999.99"), True),
        (Band(high="9999999.99"), Decimal("10000000"), False),
        (Band(), -1, True),
    ],
)
def test_band_contains_includes_both_ends(band, value, inside):
    """Bands are inclusive; an open end has no bound."""
    assert band.contains(value) is inside


def test_band_ends_become_decimals():
    """Band ends given as ints, strings or floats become Decimals."""
    band = Band(low=50, high="5000.5")
    assert (band.low, band.high) == (Decimal(50), Decimal("5000.5"))
    assert Band(low=0.1).low == Decimal("0.1")


def test_a_band_of_one_value_is_valid():
    """low == high is a band holding exactly one value."""
    assert Band(low=7, high=7).contains(7)


def test_exclusion_domains_are_normalised_like_company_domains():
    """Excluded domains are normalised so they match Company.domain."""
    exclusions = Exclusions(domains=["https://www.Rival.com/", "other.io"])
    assert exclusions.domains == frozenset({"rival.com", "other.io"})


def test_default_weights_cover_every_criterion():
    """Without weights a profile uses the default points for all nine criteria."""
    icp = IdealCustomerProfile(name="icp")
    assert set(icp.weights) == ICP_CRITERIA
    assert icp.weights["industry"] == 20


def test_weights_become_a_frozendict():
    """Weights given as a dict become a FrozenDict; negative points are allowed."""
    icp = IdealCustomerProfile(name="icp", weights={"industry": 30, "country": -10})
    assert icp.weights == FrozenDict({"industry": 30, "country": -10})
    assert isinstance(icp.weights, FrozenDict)


def test_criteria_lists_constrained_criteria_in_a_stable_order():
    """criteria names only the constrained criteria, in the catalogue's order."""
    icp = IdealCustomerProfile(
        name="icp",
        titles={"vp"},
        countries={"US"},
        employee_bands=[Band(low=50)],
        seniorities=["vp"],
    )
    assert icp.criteria == ("employees", "country", "seniority", "title")
    assert IdealCustomerProfile(name="any").criteria == ()


def test_seniorities_accept_values():
    """Seniorities given as strings become members."""
    icp = IdealCustomerProfile(name="icp", seniorities=["vp", Seniority.C_LEVEL])
    assert icp.seniorities == frozenset({Seniority.VP, Seniority.C_LEVEL})


def test_must_have_accepts_known_criteria():
    """must_have takes criteria names from ICP_CRITERIA."""
    icp = IdealCustomerProfile(name="icp", must_have=["industry", "country"])
    assert icp.must_have == frozenset({"industry", "country"})
