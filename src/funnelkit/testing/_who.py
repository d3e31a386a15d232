"""Strategies for who a lead is: money, companies, contacts and accounts."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

import attrs
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from funnelkit.model import (
    COUNTRY_CODES,
    CURRENCY_CODES,
    Account,
    BuyingRole,
    Company,
    Contact,
    Money,
    Seniority,
)
from funnelkit.testing import _primitives as p

__all__ = ["money", "companies", "contacts", "accounts"]

_COMMON_CURRENCIES = ("USD", "EUR", "GBP")


def money(
    *,
    currencies: Iterable[str] | None = None,
    min_amount: int | Decimal = 0,
    max_amount: int | Decimal = 10**10,
    places: int = 2,
) -> SearchStrategy[Money]:
    """Generate [`Money`][funnelkit.model.Money]: exact amounts in ISO 4217 currencies.

    Args:
        currencies: The currency codes to use; any ISO 4217 code by default (USD, EUR and
            GBP first, so failures shrink to USD).
        min_amount: The smallest amount.
        max_amount: The largest amount.
        places: The number of decimal places of every amount.

    Returns:
        A strategy for `Money`.

    Raises:
        InvalidArgument: An unknown currency code, or ``min_amount > max_amount``.

    Examples:
        ```python
        from hypothesis import given
        from funnelkit.testing import money

        @given(money(currencies={"EUR"}, min_amount=1))
        def test_amounts_are_positive(m):
            assert m.currency == "EUR" and m.amount >= 1
        ```
    """
    chosen = p.choices("currencies", currencies, CURRENCY_CODES)
    if currencies is None:
        chosen = (*_COMMON_CURRENCIES, *(c for c in chosen if c not in _COMMON_CURRENCIES))
    p.check_size("places", places)
    if min_amount > max_amount:
        raise InvalidArgument(f"min_amount={min_amount!r} is greater than max_amount")
    return st.builds(
        Money,
        amount=p.amounts(min_value=min_amount, max_value=max_amount, places=places),
        currency=st.sampled_from(chosen),
    )


def companies(
    *,
    complete: bool = False,
    industries: Iterable[str] | None = None,
    countries: Iterable[str] | None = None,
    min_employees: int = 0,
    max_employees: int = 250_000,
    ids: SearchStrategy[str] | None = None,
) -> SearchStrategy[Company]:
    """Generate valid [`Company`][funnelkit.model.Company] objects.

    Args:
        complete: Fill every field. By default each optional field is missing about half
            of the time, as in real data.
        industries: The industries to draw from; a realistic list plus arbitrary text by
            default.
        countries: The ISO 3166-1 alpha-2 codes to draw from; all of them by default.
        min_employees: The smallest head count.
        max_employees: The largest head count.
        ids: A strategy for company ids; ``C-<number>`` by default.

    Returns:
        A strategy for `Company`.

    Raises:
        InvalidArgument: An unknown country code, an empty choice, or bad bounds.

    Examples:
        The smallest company with at least 50 employees:

        >>> from hypothesis import Phase, find, settings
        >>> quick = settings(database=None, max_examples=1000,
        ...                  phases=[Phase.generate, Phase.shrink])
        >>> big = find(companies(), lambda c: (c.employees or 0) >= 50, settings=quick)
        >>> big.employees, big.name
        (50, None)
    """
    country_codes = p.choices("countries", countries, COUNTRY_CODES)
    chosen = p.vocabulary("industries", industries)
    p.check_size("min_employees", min_employees)
    p.check_size("max_employees", max_employees)
    p.check_range("min_employees", min_employees, "max_employees", max_employees)
    industry = st.sampled_from(chosen) if chosen else p.text_from(p.INDUSTRIES)
    opt = p.Maybe(complete=complete)
    return st.builds(
        Company,
        id=opt(p.ids("C") if ids is None else ids),
        name=opt(p.text()),
        domain=opt(p.domains()),
        industry=opt(industry),
        employees=opt(st.integers(min_value=min_employees, max_value=max_employees)),
        annual_revenue=opt(money(max_amount=10**11)),
        country=opt(st.sampled_from(country_codes)),
        region=opt(p.text_from(p.REGIONS)),
        technologies=_sets(p.text_from(p.TECHNOLOGIES), complete=complete),
        tags=_sets(p.text_from(p.TAGS), complete=complete),
        founded_year=opt(st.integers(min_value=1800, max_value=2035)),
        funding_stage=opt(p.text_from(("seed", "series_a", "series_b", "public"))),
    )


def contacts(
    *,
    complete: bool = False,
    seniorities: Iterable[Seniority | str] | None = None,
    departments: Iterable[str] | None = None,
    ids: SearchStrategy[str] | None = None,
) -> SearchStrategy[Contact]:
    """Generate valid [`Contact`][funnelkit.model.Contact] objects.

    Args:
        complete: Fill every field (and give at least one buying role). By default each
            optional field is missing about half of the time.
        seniorities: The seniorities to draw from (members or values); all by default.
        departments: The departments to draw from; a realistic list plus arbitrary text
            by default.
        ids: A strategy for contact ids; ``P-<number>`` by default.

    Returns:
        A strategy for `Contact`.

    Raises:
        InvalidArgument: An unknown seniority or an empty choice.

    Examples:
        ```python
        from hypothesis import given
        from funnelkit.testing import contacts

        @given(contacts(seniorities={"vp", "c_level"}, complete=True))
        def test_senior_contacts(contact):
            assert contact.seniority in {"vp", "c_level"}
        ```
    """
    levels = p.choices(
        "seniorities",
        None if seniorities is None else [str(s) for s in seniorities],
        frozenset(s.value for s in Seniority),
    )
    chosen = p.vocabulary("departments", departments)
    opt = p.Maybe(complete=complete)
    roles = st.frozensets(st.sampled_from(BuyingRole), min_size=int(complete), max_size=3)
    return st.builds(
        Contact,
        id=opt(p.ids("P") if ids is None else ids),
        name=opt(p.text()),
        email=opt(p.emails()),
        phone=opt(p.phones()),
        title=opt(p.text_from(p.TITLES)),
        seniority=opt(st.sampled_from([Seniority(s) for s in levels])),
        department=opt(st.sampled_from(chosen) if chosen else p.text_from(p.DEPARTMENTS)),
        buying_roles=roles,
        opted_out=st.booleans(),
        email_consent=opt(st.booleans()),
    )


def accounts(
    *,
    complete: bool = False,
    max_contacts: int = 5,
    ids: SearchStrategy[str] | None = None,
) -> SearchStrategy[Account]:
    """Generate valid [`Account`][funnelkit.model.Account] objects.

    The embedded company, when there is one, has the account's id or no id, so leads
    that point at either agree.

    Args:
        complete: Give a complete company and at least one complete contact.
        max_contacts: The largest number of contacts.
        ids: A strategy for account ids; ``C-<number>`` by default.

    Returns:
        A strategy for `Account`.

    Raises:
        InvalidArgument: ``max_contacts`` is negative, or ``complete`` with
            ``max_contacts=0``.

    Examples:
        ```python
        from hypothesis import given
        from funnelkit.testing import accounts, leads

        @given(accounts(), leads())
        def test_leads_in_matches_company_id(account, lead):
            assert list(account.leads_in([lead])) == (
                [lead] if lead.company_id == account.id else []
            )
        ```
    """
    p.check_size("max_contacts", max_contacts, minimum=int(complete))
    return _account(
        account_ids=p.ids("C") if ids is None else ids,
        company=p.Maybe(complete=complete)(companies(complete=complete)),
        people=st.lists(contacts(complete=complete), min_size=int(complete), max_size=max_contacts),
        same_id=st.just(True) if complete else st.booleans(),
    )


@st.composite
def _account(
    draw: st.DrawFn,
    *,
    account_ids: SearchStrategy[str],
    company: SearchStrategy[Company | None],
    people: SearchStrategy[list[Contact]],
    same_id: SearchStrategy[bool],
) -> Account:
    account_id = draw(account_ids)
    firm = draw(company)
    if firm is not None:
        firm = attrs.evolve(firm, id=account_id if draw(same_id) else None)
    return Account(id=account_id, company=firm, contacts=draw(people))


def _sets(items: SearchStrategy[str], *, complete: bool) -> SearchStrategy[frozenset[str]]:
    return st.frozensets(items, min_size=int(complete), max_size=4)
