import re

import pytest

from funnelkit.errors import FieldTypeError, ValidationError
from funnelkit.model import Account, BuyingRole, Company, Contact, Lead

BAD = [
    pytest.param({"id": ""}, ValidationError, "$.id: expected a non-empty str of at most 200 characters, got '' (str)", id="id-empty"),
    pytest.param({"id": None}, FieldTypeError, "$.id: expected a non-empty str, got None (NoneType)", id="id-none"),
    pytest.param({"id": "A-1", "company": "Acme"}, FieldTypeError, "$.company: expected Company or None, got 'Acme' (str)", id="company-str"),
    pytest.param({"id": "A-1", "contacts": [Company()]}, FieldTypeError, "$.contacts[0]: expected Contact, got Company(", id="contact-is-company"),
    pytest.param({"id": "A-1", "contacts": "ana"}, FieldTypeError, "$.contacts: expected a tuple of Contact, got 'ana' (str)", id="contacts-str"),
]  # fmt: skip


@pytest.mark.parametrize(("kwargs", "error", "message"), BAD)
def test_bad_values_are_rejected(kwargs, error, message):
    """A bad value raises an error whose message names the field path and the value."""
    with pytest.raises(error, match=re.escape(message)) as info:
        Account(**kwargs)
    assert type(info.value) is error


def test_buying_roles_is_the_union_of_the_contacts_roles():
    """An account's buying roles are every role held by one of its contacts."""
    account = Account(
        id="A-1",
        contacts=[
            Contact(buying_roles=["champion", "user"]),
            Contact(buying_roles=["economic_buyer", "champion"]),
            Contact(),
        ],
    )
    assert account.buying_roles == {
        BuyingRole.CHAMPION,
        BuyingRole.USER,
        BuyingRole.ECONOMIC_BUYER,
    }


def test_an_account_without_contacts_has_no_roles():
    """No contacts, no buying roles."""
    assert Account(id="A-1").buying_roles == frozenset()


def test_leads_in_selects_leads_by_company_id():
    """leads_in yields the leads whose company_id is the account id, in order."""
    mine_by_company = Lead(id="L-1", company=Company(id="A-1"))
    mine_by_account_id = Lead(id="L-2", account_id="A-1")
    other = Lead(id="L-3", account_id="A-2")
    unknown = Lead(id="L-4")
    account = Account(id="A-1")
    leads = [mine_by_company, other, mine_by_account_id, unknown]
    assert list(account.leads_in(leads)) == [mine_by_company, mine_by_account_id]


def test_contacts_become_a_tuple():
    """A list of contacts becomes a tuple, in the order given."""
    ana, bo = Contact(name="Ana"), Contact(name="Bo")
    assert Account(id="A-1", contacts=[ana, bo]).contacts == (ana, bo)


def test_absent_roles_are_roles_checked_and_not_found():
    """absent_roles takes buying-role values and keeps them as members."""
    assert Account(id="A-1", absent_roles=["blocker"]).absent_roles == {BuyingRole.BLOCKER}


def test_a_role_a_contact_holds_cannot_be_absent():
    """A role recorded absent that a contact holds is a ValidationError naming the role."""
    with pytest.raises(ValidationError, match=r"\$\.absent_roles: .* got 'champion'"):
        Account(
            id="A-1",
            contacts=[Contact(buying_roles=["champion"])],
            absent_roles=["champion", "blocker"],
        )
