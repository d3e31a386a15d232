import re

import pytest

from funnelkit.errors import FieldTypeError, ValidationError
from funnelkit.model import Company, Money

TEXT = "a non-empty str of at most"
COUNTRY = "an ISO 3166-1 alpha-2 country code such as 'US'"
DOMAIN = "a domain name such as 'example.com'"

BAD = [
    pytest.param({"id": ""}, ValidationError, f"$.id: expected {TEXT} 10000 characters, got '' (str)", id="id-empty"),
    pytest.param({"id": 17}, FieldTypeError, "$.id: expected a non-empty str or None, got 17 (int)", id="id-int"),
    pytest.param({"name": "   "}, ValidationError, f"$.name: expected {TEXT} 10000 characters, got '   ' (str)", id="name-blank"),
    pytest.param({"domain": "not a domain"}, ValidationError, f"$.domain: expected {DOMAIN}, got 'not a domain' (str)", id="domain-spaces"),
    pytest.param({"domain": "http://"}, ValidationError, f"$.domain: expected {DOMAIN}, got 'http://' (str)", id="domain-scheme-only"),
    pytest.param({"domain": "localhost"}, ValidationError, f"$.domain: expected {DOMAIN}, got 'localhost' (str)", id="domain-no-dot"),
    pytest.param({"domain": 42}, FieldTypeError, f"$.domain: expected {DOMAIN}, got 42 (int)", id="domain-int"),
    pytest.param({"industry": "x" * 201}, ValidationError, f"$.industry: expected {TEXT} 200 characters, got 'xxx", id="industry-too-long"),
    pytest.param({"employees": -3}, ValidationError, "$.employees: expected int >= 0, got -3 (int)", id="employees-negative"),
    pytest.param({"employees": True}, FieldTypeError, "$.employees: expected int >= 0, got True (bool)", id="employees-bool"),
    pytest.param({"employees": 1.5}, FieldTypeError, "$.employees: expected int >= 0, got 1.5 (float)", id="employees-float"),
    pytest.param({"employees": "120"}, FieldTypeError, "$.employees: expected int >= 0, got '120' (str)", id="employees-str"),
    pytest.param({"annual_revenue": 1000}, FieldTypeError, "$.annual_revenue: expected Money or None, got 1000 (int)", id="revenue-not-money"),
    pytest.param({"country": "us"}, ValidationError, f"$.country: expected {COUNTRY}, got 'us' (str)", id="country-lower-case"),
    pytest.param({"country": "USA"}, ValidationError, f"$.country: expected {COUNTRY}, got 'USA' (str)", id="country-alpha-3"),
    pytest.param({"country": "XX"}, ValidationError, f"$.country: expected {COUNTRY}, got 'XX' (str)", id="country-unassigned"),
    pytest.param({"country": 840}, FieldTypeError, f"$.country: expected {COUNTRY}, got 840 (int)", id="country-int"),
    pytest.param({"region": ""}, ValidationError, f"$.region: expected {TEXT} 200 characters, got '' (str)", id="region-empty"),
    pytest.param({"technologies": "salesforce"}, FieldTypeError, "$.technologies: expected a set of str, got 'salesforce' (str)", id="technologies-bare-str"),
    pytest.param({"technologies": {1}}, FieldTypeError, "$.technologies: expected a set of str, got 1 (int)", id="technologies-int-member"),
    pytest.param({"technologies": {""}}, ValidationError, "$.technologies: expected non-empty strings, got '' (str)", id="technologies-empty-member"),
    pytest.param({"technologies": 5}, FieldTypeError, "$.technologies: expected a set of str, got 5 (int)", id="technologies-int"),
    pytest.param({"tags": {" "}}, ValidationError, "$.tags: expected non-empty strings, got ' ' (str)", id="tags-blank-member"),
    pytest.param({"founded_year": 1500}, ValidationError, "$.founded_year: expected int between 1600 and 2200, got 1500 (int)", id="founded-too-early"),
    pytest.param({"founded_year": "1999"}, FieldTypeError, "$.founded_year: expected int between 1600 and 2200, got '1999' (str)", id="founded-str"),
    pytest.param({"funding_stage": ""}, ValidationError, f"$.funding_stage: expected {TEXT} 200 characters, got '' (str)", id="funding-empty"),
]  # fmt: skip


@pytest.mark.parametrize(("kwargs", "error", "message"), BAD)
def test_bad_values_are_rejected(kwargs, error, message):
    """Each bad value raises an error whose message names the field and the value."""
    with pytest.raises(error, match=re.escape(message)) as info:
        Company(**kwargs)
    assert type(info.value) is error
    assert info.value.path == next(iter(kwargs))


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("acme.com", "acme.com"),
        ("ACME.COM", "acme.com"),
        ("https://www.Acme.com/about", "acme.com"),
        ("http://acme.com:8080/x?y=1#z", "acme.com"),
        ("//cdn.acme.io/lib.js", "cdn.acme.io"),
        ("  sub.acme.co.uk.  ", "sub.acme.co.uk"),
        ("www.acme-corp.de", "acme-corp.de"),
    ],
)
def test_domains_are_normalised(given, expected):
    """Domains lose scheme, www., port, path and case."""
    assert Company(domain=given).domain == expected


def test_collections_become_frozensets():
    """Lists of technologies and tags become frozensets."""
    company = Company(technologies=["hubspot", "hubspot", "aws"], tags=("partner",))
    assert company.technologies == frozenset({"hubspot", "aws"})
    assert company.tags == frozenset({"partner"})


def test_every_field_is_optional():
    """A company with no facts at all is valid: gaps are things to find out."""
    company = Company()
    assert company.name is None
    assert company.employees is None
    assert company.technologies == frozenset()


def test_zero_employees_is_allowed():
    """Zero is a valid head count (a shell company, a sole trader's entity)."""
    assert Company(employees=0).employees == 0


def test_annual_revenue_takes_money():
    """The annual revenue is a Money value."""
    revenue = Money(amount="12000000", currency="EUR")
    assert Company(annual_revenue=revenue).annual_revenue == revenue
