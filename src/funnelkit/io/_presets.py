"""Column mappings for common CRM exports.

Both keep every column they do not map as a custom attribute (``unmapped="custom"``), so
nothing in an export is lost. A country given as a name (``United States``) is read
as its code, as with every mapping; ranges such as ``25-50`` employees are reported, not
guessed. A revenue column without a currency column is in the model's default currency,
USD.
"""

from __future__ import annotations

from funnelkit.io._mapping import ColumnMapping

__all__ = ["HUBSPOT_MAPPING", "SALESFORCE_MAPPING"]

HUBSPOT_MAPPING = ColumnMapping(
    {
        "Record ID": "id",
        "Contact owner": "owner",
        "First Name": "custom.first_name",
        "Last Name": "custom.last_name",
        "Email": "contact.email",
        "Phone Number": "contact.phone",
        "Job Title": "contact.title",
        "Company Name": "company.name",
        "Company name": "company.name",
        "Website URL": "company.domain",
        "Industry": "company.industry",
        "Number of Employees": "company.employees",
        "Annual Revenue": "company.annual_revenue.amount",
        "Country/Region": "company.country",
        "Original Source": "source.channel",
        "Lifecycle Stage": "custom.lifecycle_stage",
        "Lead Status": "custom.lead_status",
        "Create Date": "custom.create_date",
    },
    unmapped="custom",
)
"""Columns of a HubSpot contacts export (property labels as HubSpot writes them).

``Create Date`` is kept as text in ``custom.create_date``: HubSpot writes it without a
UTC offset, and funnelkit never guesses one. ``Lifecycle Stage`` and ``Lead Status`` are
kept as custom attributes for your policy to read.
"""

SALESFORCE_MAPPING = ColumnMapping(
    {
        "Id": "id",
        "Lead ID": "id",
        "OwnerId": "owner",
        "Lead Owner": "owner",
        "Name": "contact.name",
        "FirstName": "custom.first_name",
        "First Name": "custom.first_name",
        "LastName": "custom.last_name",
        "Last Name": "custom.last_name",
        "Title": "contact.title",
        "Email": "contact.email",
        "Phone": "contact.phone",
        "Company": "company.name",
        "Company / Account": "company.name",
        "Website": "company.domain",
        "Industry": "company.industry",
        "NumberOfEmployees": "company.employees",
        "No. of Employees": "company.employees",
        "AnnualRevenue": "company.annual_revenue.amount",
        "Annual Revenue": "company.annual_revenue.amount",
        "CurrencyIsoCode": "company.annual_revenue.currency",
        "Country": "company.country",
        "LeadSource": "source.channel",
        "Lead Source": "source.channel",
        "Status": "custom.lead_status",
        "Lead Status": "custom.lead_status",
        "Rating": "custom.rating",
        "CreatedDate": "created_at",
        "Create Date": "custom.create_date",
    },
    unmapped="custom",
)
"""Columns of a Salesforce Lead export: API field names (Data Loader, Bulk API) and the
labels of a lead report.

``CreatedDate`` (API format, with an offset) becomes ``created_at``; the report's
``Create Date`` is locale-formatted, so it is kept as text in ``custom.create_date``.
``Country`` may hold codes or names.
"""
