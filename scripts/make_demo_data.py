"""Generate funnelkit's bundled demo leads: ``src/funnelkit/data/demo_leads.jsonl``.

The leads are fictional B2B leads with the gaps and mess of real CRM data: purchased lists
and badge scans that name only a company, forms without a title, BANT facts that are
partly known (some of them expired), engagement signals over the past six months, stage
moves, and custom fields from a legacy system.

The output depends only on ``--count`` and ``--seed``: every random choice comes from one
``random.Random(seed)`` and every timestamp is relative to the fixed reference instant
``AS_OF`` (never the clock), so two runs write byte-identical files.

Company domains use the reserved ``.example`` top-level domain and phone numbers the
ranges set aside for fiction, so no address belongs to anyone.

Usage::

    python scripts/make_demo_data.py [--count 2500] [--seed 20261101] [--output PATH]
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple, TypeVar

import attrs

from funnelkit.io import write_jsonl
from funnelkit.model import (
    BANT,
    Authority,
    Budget,
    Company,
    Contact,
    Evidence,
    Lead,
    LeadSource,
    Money,
    Need,
    PainPoint,
    Signal,
    StageChange,
    Timeline,
)

AS_OF = datetime(2026, 11, 1, tzinfo=UTC)
DEFAULT_COUNT = 2500
DEFAULT_SEED = 20261101
DEFAULT_OUTPUT = Path(__file__).resolve().parents[1] / "src/funnelkit/data/demo_leads.jsonl"
WINDOW_DAYS = 180

T = TypeVar("T")

# -- vocabularies -----------------------------------------------------------------------


class Country(NamedTuple):
    code: str
    weight: float
    region: str
    names: str
    currency: str
    legal: tuple[str, ...]


COUNTRIES = (
    Country("US", 38, "NA", "en", "USD", ("Inc.", "LLC", "Corp.")),
    Country("GB", 12, "EMEA", "en", "GBP", ("Ltd", "plc")),
    Country("DE", 10, "EMEA", "de", "EUR", ("GmbH", "AG")),
    Country("FR", 7, "EMEA", "fr", "EUR", ("SAS", "SA")),
    Country("CA", 6, "NA", "en", "CAD", ("Inc.", "Ltd.")),
    Country("NL", 5, "EMEA", "nl", "EUR", ("B.V.",)),
    Country("AU", 3, "APAC", "en", "AUD", ("Pty Ltd",)),
    Country("IE", 2, "EMEA", "en", "EUR", ("Ltd",)),
    Country("SE", 2, "EMEA", "nordic", "SEK", ("AB",)),
    Country("DK", 1, "EMEA", "nordic", "DKK", ("A/S",)),
    Country("ES", 2, "EMEA", "es", "EUR", ("S.L.", "S.A.")),
    Country("IT", 2, "EMEA", "it", "EUR", ("S.r.l.", "S.p.A.")),
    Country("CH", 2, "EMEA", "de", "CHF", ("AG", "GmbH")),
    Country("AT", 1, "EMEA", "de", "EUR", ("GmbH",)),
    Country("BE", 1, "EMEA", "fr", "EUR", ("NV", "SRL")),
    Country("PL", 1, "EMEA", "pl", "PLN", ("sp. z o.o.",)),
    Country("IN", 2, "APAC", "in", "INR", ("Pvt Ltd",)),
    Country("SG", 1, "APAC", "en", "SGD", ("Pte Ltd",)),
    Country("JP", 1, "APAC", "jp", "JPY", ("K.K.",)),
    Country("BR", 1.5, "LATAM", "pt", "BRL", ("Ltda.",)),
    Country("MX", 1, "LATAM", "es", "MXN", ("S.A. de C.V.",)),
)
# Rough units of local currency per US dollar, for revenue reported in local currency.
FX = {"USD": 1, "GBP": 0.8, "EUR": 0.92, "CAD": 1.37, "AUD": 1.5, "SEK": 10.5, "DKK": 6.9,
      "CHF": 0.88, "PLN": 4.0, "INR": 84, "SGD": 1.34, "JPY": 150, "BRL": 5.4,
      "MXN": 18}  # fmt: skip
EU_LIKE = {"GB", "DE", "FR", "NL", "IE", "SE", "DK", "ES", "IT", "AT", "BE", "PL", "CH"}

NAMES: dict[str, tuple[str, str]] = {
    "en": ("James Mary Olivia Liam Emma Noah Grace Daniel Chloe Marcus Hannah Ryan Zoe Omar "
           "Aisha Carlos Mei Sarah Michael Laura Kevin Rachel Tom Amara Ethan Fatima Owen Nia",
           "Smith Johnson Brown Taylor Wilson Davies Nguyen Garcia Lee Walker Clarke Hughes "
           "O'Brien Murphy Kim Chen Robinson Campbell Wright Khan Okafor Hall Young Evans"),
    "de": ("Lukas Anna Jürgen Katrin Stefan Julia Tobias Sabine Felix Lea Matthias Claudia "
           "Jan Nina Emre", "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker "
           "Hoffmann Schäfer Koch Richter Klein Wolf Öztürk"),
    "fr": ("Camille Hélène Julien Léa Thomas Manon Nicolas Chloé Antoine Inès Mathieu Élodie "
           "Karim", "Martin Bernard Dubois Robert Richard Petit Durand Leroy Moreau Lefèvre "
           "Girard Benali Fontaine"),
    "nl": ("Daan Sanne Bram Lotte Joris Femke Ruben Eva Thijs Noor",
           "de Jong Jansen de Vries van den Berg Bakker Visser Smit Meijer van Dijk Mulder"),
    "nordic": ("Erik Ingrid Lars Astrid Johan Maja Nils Freja",
               "Andersson Johansson Nielsen Hansen Larsen Lindqvist Berg Holm"),
    "es": ("Lucía Javier María Pablo Carmen Diego Sofía Alejandro Valeria Andrés",
           "García Fernández López Martínez Sánchez Pérez Gómez Ruiz Torres Ramírez"),
    "pt": ("João Ana Pedro Beatriz Lucas Mariana Rafael Camila",
           "Silva Santos Oliveira Souza Costa Pereira Almeida Carvalho"),
    "it": ("Giulia Marco Francesca Luca Chiara Alessandro Sara Matteo",
           "Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci"),
    "pl": ("Piotr Anna Krzysztof Katarzyna Tomasz Magdalena Paweł Agnieszka",
           "Nowak Wójcik Mazur Krawczyk Kaczmarek Zając Król Lewandowski"),
    "in": ("Priya Rahul Ananya Arjun Sneha Vikram Kavya Rohan",
           "Sharma Patel Iyer Reddy Gupta Nair Menon Rao"),
    "jp": ("Haruto Yui Sota Aoi Ren Hina Kenji Yuki",
           "Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura"),
}  # fmt: skip
_DOUBLE_SURNAMES = ("de Jong", "de Vries", "van den Berg", "van Dijk")


class Industry(NamedTuple):
    key: str
    weight: float
    mu: float  # log of the median head count
    revenue_per_head: int  # USD
    words: tuple[str, ...]


INDUSTRIES = (
    Industry("software", 22, 4.0, 180_000, ("Software", "Labs", "Systems", "Cloud", "AI")),
    Industry("fintech", 9, 4.2, 250_000, ("Pay", "Capital", "Finance", "Ledger")),
    Industry("healthcare_it", 7, 4.3, 160_000, ("Health", "Medical Systems", "Care Tech")),
    Industry("manufacturing", 12, 5.2, 220_000, ("Manufacturing", "Industries", "Works")),
    Industry("retail", 8, 5.0, 150_000, ("Retail", "Stores", "Brands", "Outfitters")),
    Industry("education", 5, 4.5, 90_000, ("Learning", "Academy", "Education")),
    Industry("logistics", 7, 5.0, 170_000, ("Logistics", "Freight", "Transport")),
    Industry("professional_services", 8, 4.0, 140_000, ("Consulting", "Partners", "Advisory")),
    Industry("media", 4, 4.0, 160_000, ("Media", "Studios", "Publishing")),
    Industry("telecom", 3, 5.5, 300_000, ("Telecom", "Networks")),
    Industry("energy", 3, 5.3, 400_000, ("Energy", "Power", "Renewables")),
    Industry("insurance", 3, 5.0, 350_000, ("Insurance", "Assurance", "Mutual")),
    Industry("real_estate", 2, 4.0, 250_000, ("Properties", "Realty")),
    Industry("nonprofit", 2, 3.5, 80_000, ("Foundation", "Alliance")),
    Industry("government", 2, 6.0, 120_000, ("Agency", "Authority", "Council")),
)
STEMS = (
    "Northwind", "Bluefin", "Acorn", "Brightwater", "Cobalt", "Evergreen", "Foxglove", "Granite",
    "Harbor", "Ironbridge", "Juniper", "Keystone", "Lumen", "Meridian", "Nimbus", "Orchard",
    "Pinecrest", "Quarry", "Redwood", "Silverline", "Tidewater", "Vantage", "Willow", "Zephyr",
    "Alder", "Beacon", "Cedar", "Delta", "Ember", "Falcon", "Glacier", "Helix", "Indigo",
    "Kestrel", "Lattice", "Maple", "Nova", "Onyx", "Polaris", "Quill", "Riverstone", "Sable",
    "Summit", "Topaz", "Vertex", "Wren", "Aurora", "Bramble", "Crescent", "Fjord", "Horizon",
    "Larch", "Mosaic", "Oak", "Prism", "Ridge", "Slate", "Thistle", "Upland", "Westbrook",
    "Yarrow",
)  # fmt: skip
TECHNOLOGIES = (("salesforce", 34), ("hubspot", 22), ("marketo", 8), ("pardot", 5),
    ("microsoft_dynamics", 7), ("zendesk", 12), ("intercom", 7), ("slack", 30),
    ("snowflake", 9), ("aws", 28), ("azure", 18), ("gcp", 10), ("shopify", 5), ("sap", 9),
    ("oracle", 6), ("workday", 6), ("netsuite", 6), ("segment", 5), ("google_analytics", 35),
    ("outreach", 6), ("salesloft", 4), ("gong", 5))  # fmt: skip
TAGS = (("competitor_customer", 0.08), ("target_account", 0.1), ("partner", 0.03),
        ("strategic", 0.03))  # fmt: skip
FUNDING = ("bootstrapped", "seed", "series_a", "series_b", "series_c", "private_equity", "public")
DEPARTMENTS = (("marketing", 25), ("sales", 20), ("revops", 8), ("it", 10), ("engineering", 7),
    ("finance", 6), ("operations", 8), ("executive", 8), ("customer_success", 4),
    ("procurement", 2), ("hr", 2))  # fmt: skip
SENIORITY_WEIGHTS = {"ic": 30, "manager": 28, "director": 18, "vp": 10, "c_level": 9, "owner": 5}
TITLES: dict[str, dict[str, tuple[str, ...]]] = {
    "marketing": {"ic": ("Marketing Specialist", "Content Marketer", "Demand Gen Specialist"),
        "manager": ("Marketing Manager", "Demand Generation Manager", "Product Marketing Manager"),
        "director": ("Director of Marketing", "Head of Demand Generation"),
        "vp": ("VP Marketing", "VP of Growth"), "c_level": ("CMO", "Chief Marketing Officer")},
    "sales": {"ic": ("Account Executive", "Sales Development Representative", "BDR"),
        "manager": ("Sales Manager", "Regional Sales Manager"),
        "director": ("Director of Sales", "Head of Sales"), "vp": ("VP Sales", "SVP Global Sales"),
        "c_level": ("Chief Revenue Officer", "CRO")},
    "revops": {"ic": ("Sales Operations Analyst", "CRM Administrator"),
        "manager": ("Revenue Operations Manager", "Marketing Operations Manager"),
        "director": ("Director, Revenue Operations",), "vp": ("VP Revenue Operations",)},
    "it": {"ic": ("IT Administrator", "Systems Engineer"), "manager": ("IT Manager",),
        "director": ("Director of IT",), "vp": ("VP Information Technology",),
        "c_level": ("CIO", "Chief Information Officer")},
    "engineering": {"ic": ("Software Engineer", "Data Engineer"),
        "manager": ("Engineering Manager",), "director": ("Director of Engineering",),
        "vp": ("VP Engineering",), "c_level": ("CTO",)},
    "finance": {"ic": ("Financial Analyst",), "manager": ("Finance Manager", "Controller"),
        "director": ("Finance Director",), "vp": ("VP Finance",), "c_level": ("CFO",)},
    "operations": {"ic": ("Operations Analyst",), "manager": ("Operations Manager",),
        "director": ("Director of Operations",), "vp": ("VP Operations",), "c_level": ("COO",)},
    "executive": {"c_level": ("CEO", "Chief Executive Officer", "Managing Director"),
        "owner": ("Founder & CEO", "Owner", "Co-Founder")},
    "customer_success": {"ic": ("Customer Success Manager",),
        "manager": ("Customer Success Team Lead",), "director": ("Head of Customer Success",),
        "vp": ("VP Customer Success",)},
    "procurement": {"ic": ("Buyer",), "manager": ("Procurement Manager",),
        "director": ("Head of Procurement",)},
    "hr": {"manager": ("HR Manager",), "director": ("HR Director",), "vp": ("VP People",)},
}  # fmt: skip


class Profile(NamedTuple):
    """How much a lead from one channel tends to tell us (probabilities)."""

    weight: float
    contact: float  # a contact is known at all
    email: float  # the contact has an e-mail address
    title: float  # ... and a job title
    company: float  # a company is known at all
    enriched: float  # firmographics beyond the name are known
    bant: float  # someone assessed BANT
    history: float  # the lead has moved through the funnel


SOURCES: dict[tuple[str, str], Profile] = {
    ("inbound", "web_form"): Profile(13, 1.0, 0.97, 0.7, 0.88, 0.6, 0.15, 0.45),
    ("inbound", "demo_request"): Profile(9, 1.0, 1.0, 0.88, 0.97, 0.8, 0.55, 0.8),
    ("inbound", "content_download"): Profile(14, 1.0, 1.0, 0.6, 0.75, 0.5, 0.05, 0.35),
    ("inbound", "webinar"): Profile(8, 1.0, 1.0, 0.75, 0.85, 0.55, 0.08, 0.35),
    ("inbound", "free_trial"): Profile(7, 1.0, 1.0, 0.5, 0.7, 0.5, 0.2, 0.5),
    ("inbound", "contact_sales"): Profile(5, 1.0, 0.95, 0.85, 0.95, 0.75, 0.6, 0.8),
    ("outbound", "purchased_list"): Profile(16, 0.5, 0.55, 0.9, 1.0, 0.65, 0.01, 0.12),
    ("outbound", "trade_show"): Profile(13, 0.96, 0.7, 0.85, 1.0, 0.3, 0.04, 0.2),
    ("outbound", "cold_outreach"): Profile(11, 1.0, 0.95, 0.95, 1.0, 0.85, 0.08, 0.3),
    ("unknown", "crm_import"): Profile(4, 0.8, 0.7, 0.6, 0.9, 0.5, 0.1, 0.5),
}
CAMPAIGNS = {
    "content_download": ("ebook-lead-scoring-2026", "guide-icp-workbook", "report-pipeline-2026"),
    "webinar": ("webinar-2026-06-pipeline-hygiene", "webinar-2026-09-revops-metrics"),
    "trade_show": ("expo-berlin-2026-06", "summit-london-2026-09", "saas-expo-austin-2026-04"),
    "purchased_list": ("vendor-list-2026q2", "vendor-list-2026q3"),
    "cold_outreach": ("seq-mid-market-2026", "seq-enterprise-abm", "seq-emea-revops"),
    "demo_request": ("paid-search-demo", "website-demo"),
    "free_trial": ("trial-self-serve",),
}
# Campaigns that happened on one day: their leads are created that day.
CAMPAIGN_DAYS = {
    "webinar-2026-06-pipeline-hygiene": datetime(2026, 6, 18, tzinfo=UTC),
    "webinar-2026-09-revops-metrics": datetime(2026, 9, 10, tzinfo=UTC),
    "expo-berlin-2026-06": datetime(2026, 6, 10, tzinfo=UTC),
    "summit-london-2026-09": datetime(2026, 9, 23, tzinfo=UTC),
    "saas-expo-austin-2026-04": datetime(2026, 4, 14, tzinfo=UTC),
    "vendor-list-2026q2": datetime(2026, 5, 4, tzinfo=UTC),
    "vendor-list-2026q3": datetime(2026, 8, 3, tzinfo=UTC),
}
OWNERS = ("a.nguyen", "m.schmidt", "j.okafor", "s.dubois", "l.jansen", "k.patel", "r.garcia")
PAINS = (
    "Leads wait days before anyone follows up",
    "Sales and marketing disagree on what a qualified lead is",
    "Lead routing is done by hand in spreadsheets",
    "CRM data is incomplete and duplicated",
    "Pipeline cannot be attributed to campaigns",
    "Reps spend most of their week on poor-fit leads",
    "Legacy scoring model nobody trusts",
    "Forecasts miss by more than 20 percent",
)
EVENTS = ("CRM contract renewal in Q1", "New VP Sales starting", "Board target to cut CAC",
          "Audit finding on lead data", "New fiscal year budget", "Merger integration")  # fmt: skip
INTENT = ("google_ads", "linkedin", "organic", "newsletter", "partner", "review_site")
PHONES = {"US": "+1 {us} 555 01{n:02d}", "CA": "+1 {ca} 555 01{n:02d}",
          "GB": "+44 20 7946 0{n:03d}", "AU": "+61 491 570 {n:03d}"}  # fmt: skip


# -- helpers ----------------------------------------------------------------------------


def pick(rng: random.Random, weighted: Sequence[tuple[T, float]]) -> T:
    """One item of ``(item, weight)`` pairs, by weight."""
    return rng.choices([w[0] for w in weighted], weights=[w[1] for w in weighted])[0]


def ascii_slug(text: str, sep: str = "") -> str:
    """Lower-case ASCII letters and digits of ``text`` (accents dropped)."""
    folded = unicodedata.normalize("NFKD", text.replace("ł", "l"))
    words = "".join(c if c.isalnum() else " " for c in folded if c.isascii()).lower().split()
    return sep.join(words)


def round_sig(value: float, digits: int) -> int:
    """``value`` rounded to ``digits`` significant digits, as an int."""
    if value < 1:
        return 0
    return int(round(value, digits - 1 - math.floor(math.log10(value))))


def instant(days_ago: float) -> datetime:
    """``AS_OF`` minus ``days_ago`` days, to the second."""
    return (AS_OF - timedelta(days=days_ago)).replace(microsecond=0)


# -- companies --------------------------------------------------------------------------


class Companies:
    """A pool of fictional companies; leads often share one."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.pool: list[Company] = []
        self.names: set[str] = set()
        self.domains: set[str] = set()

    def any(self) -> Company:
        """An existing company a quarter of the time, else a new one."""
        if self.pool and self.rng.random() < 0.25:
            return self.rng.choice(self.pool)
        company = self._new(len(self.pool) + 1)
        self.pool.append(company)
        return company

    def _new(self, number: int) -> Company:
        rng = self.rng
        country = pick(rng, [(c, c.weight) for c in COUNTRIES])
        industry = pick(rng, [(i, i.weight) for i in INDUSTRIES])
        stem = rng.choice(STEMS)
        if rng.random() < 0.35 or stem in self.names:
            stem = f"{stem} {rng.choice(STEMS)}"
        base = f"{stem} {rng.choice(industry.words)}"
        while base in self.names:
            base = f"{rng.choice(STEMS)} {base}"
        self.names.add(base)
        self.names.add(stem)
        domain = ascii_slug(base, "-") + ".example"
        employees = min(400_000, int(rng.lognormvariate(industry.mu, 1.6)) + 1)
        if employees > 60 and rng.random() < 0.4:
            employees = round_sig(employees, 2)
        revenue_usd = employees * industry.revenue_per_head * rng.lognormvariate(0, 0.45)
        currency = country.currency if rng.random() < 0.3 else "USD"
        revenue = round_sig(revenue_usd * FX[currency], 2)
        technologies = {t for t, w in TECHNOLOGIES if rng.random() < w / 100}
        tags = [t for t, p in TAGS if rng.random() < p]
        young = industry.key in {"software", "fintech", "healthcare_it"}
        founded = rng.randint(2005, 2024) if young else rng.randint(1920, 2020)
        funding = rng.choice(FUNDING) if young else rng.choice(("private", "public", "family"))
        return Company(
            id=f"C-{number:05d}",
            name=f"{base} {rng.choice(country.legal)}" if rng.random() < 0.5 else base,
            domain=domain,
            industry=industry.key,
            employees=employees,
            annual_revenue=Money(amount=Decimal(revenue), currency=currency),
            country=country.code,
            region=country.region,
            technologies=frozenset(technologies),
            tags=frozenset(tags),
            founded_year=founded,
            funding_stage=funding,
        )


def company_view(rng: random.Random, company: Company, profile: Profile) -> Company:
    """What one lead record knows about ``company``: enriched, or little beyond the name."""
    keep = rng.random
    if keep() < profile.enriched:
        return Company(
            id=company.id,
            name=company.name,
            domain=company.domain,
            industry=company.industry if keep() < 0.93 else None,
            employees=company.employees if keep() < 0.95 else None,
            annual_revenue=company.annual_revenue if keep() < 0.85 else None,
            country=company.country if keep() < 0.97 else None,
            region=company.region if keep() < 0.6 else None,
            technologies=company.technologies if keep() < 0.7 else frozenset(),
            tags=company.tags,
            founded_year=company.founded_year if keep() < 0.5 else None,
            funding_stage=company.funding_stage if keep() < 0.35 else None,
        )
    return Company(
        name=company.name,
        domain=company.domain if keep() < 0.5 else None,
        country=company.country if keep() < 0.4 else None,
        industry=company.industry if keep() < 0.2 else None,
        employees=company.employees if keep() < 0.15 else None,
    )


# -- contacts ---------------------------------------------------------------------------


def person(rng: random.Random, country: Country) -> tuple[str, str]:
    """A first and last name typical of the company's country."""
    firsts, lasts = NAMES[country.names]
    first = rng.choice(firsts.split())
    last_pool = [s for s in lasts.split() if s not in {"de", "van", "den"}]
    last_pool += [s for s in _DOUBLE_SURNAMES if s in lasts]
    return first, rng.choice(last_pool)


def make_contact(
    rng: random.Random,
    number: int,
    company: Company,
    profile: Profile,
    has_email: bool,
    asked: bool,
) -> Contact:
    """A person at ``company``, with the gaps of the lead's channel.

    ``asked`` says whether a form asked for marketing consent (inbound leads).
    """
    country = next(c for c in COUNTRIES if c.code == company.country)
    first, last = person(rng, country)
    department = pick(rng, DEPARTMENTS)
    levels = TITLES[department]
    small = (company.employees or 0) < 50
    seniority = pick(
        rng, [(s, SENIORITY_WEIGHTS[s] * (4 if small and s == "owner" else 1)) for s in levels]
    )
    title: str | None = rng.choice(levels[seniority]) if rng.random() < profile.title else None
    if title is not None and rng.random() < 0.05:
        title = title.upper()
    email = None
    if has_email:
        fn, ln = ascii_slug(first), ascii_slug(last)
        local = rng.choice((f"{fn}.{ln}", f"{fn[0]}{ln}", fn, f"{fn}_{ln}", f"{fn}.{ln}"))
        host = company.domain if rng.random() < 0.93 else None
        email = f"{local}@{host or rng.choice(('mail.example', 'webmail.example'))}"
    pattern = PHONES.get(country.code)
    phone = None
    if pattern and rng.random() < 0.45:
        area = rng.choice((212, 312, 415, 512, 617)), rng.choice((416, 514, 604))
        phone = pattern.format(us=area[0], ca=area[1], n=number % 100)
    return Contact(
        id=f"P-{number:05d}",
        name=f"{first} {last}",
        email=email,
        phone=phone,
        title=title,
        seniority=seniority if title is not None and rng.random() < 0.9 else None,
        department=department if title is not None and rng.random() < 0.88 else None,
        email_consent=rng.choice((True, True, False)) if email and asked else None,
    )


# -- signals ----------------------------------------------------------------------------

EMAIL_KINDS = {"email_open", "email_click", "email_reply"}
FOLLOW_UPS = {
    "inbound": (("email_open", 26), ("email_click", 12), ("pricing_page_view", 18),
                ("content_download", 14), ("webinar_attended", 4), ("email_reply", 5),
                ("demo_request", 3), ("question", 3), ("meeting_booked", 2),
                ("unsubscribe", 2), ("bounce", 1)),
    "outbound": (("email_open", 36), ("email_click", 10), ("email_reply", 6),
                 ("pricing_page_view", 5), ("content_download", 3), ("meeting_booked", 2),
                 ("unsubscribe", 4), ("bounce", 4)),
}  # fmt: skip
FOLLOW_UPS["unknown"] = FOLLOW_UPS["inbound"]
EXPLICIT = {"demo_request", "contact_sales", "question", "trial_signup", "meeting_booked",
            "next_step_agreed"}  # fmt: skip
CHANNEL_OF = {"email_open": "email", "email_click": "email", "email_reply": "email",
              "unsubscribe": "email", "bounce": "email", "meeting_booked": "email",
              "event_badge_scan": "event", "list_import": "import", "product_usage": "product",
              "trial_signup": "product", "next_step_agreed": "phone",
              "catalysing_event": "phone"}  # fmt: skip
SOURCE_OF = {"email": "marketing_automation", "event": "event_app",
             "import": "crm", "product": "product_analytics", "phone": "crm",
             "third_party": "intent_provider"}  # fmt: skip
FIRST_SIGNAL = {
    "web_form": ("question", {"form": "contact-us"}),
    "demo_request": ("demo_request", {"form": "book-a-demo"}),
    "content_download": ("content_download", {}),
    "webinar": ("webinar_attended", {}),
    "free_trial": ("trial_signup", {}),
    "contact_sales": ("contact_sales", {"form": "talk-to-sales"}),
    "purchased_list": ("list_import", {}),
    "trade_show": ("event_badge_scan", {}),
    "cold_outreach": ("email_open", {}),
}


def signal(
    kind: str, days_ago: float, *, value: float | None = None, **attributes: str | int
) -> Signal:
    """A signal of ``kind`` with the usual channel, source and explicitness."""
    channel = CHANNEL_OF.get(kind, "web")
    if kind in {"funding_round", "hiring_surge", "job_change", "competitor_mention"}:
        channel = "third_party"
    return Signal(
        kind=kind,
        occurred_at=instant(days_ago),
        channel=channel,
        source=SOURCE_OF.get(channel),  # web tracking names no source
        explicit=kind in EXPLICIT,
        value=value,
        attributes=attributes,
    )


def make_signals(
    rng: random.Random, channel: str, direction: str, age: float, campaign: str | None,
    email: bool,
) -> list[Signal]:  # fmt: skip
    """What one lead did since it was created ``age`` days ago, oldest first."""
    out: list[Signal] = []
    first = FIRST_SIGNAL.get(channel)
    if first is not None and (email or first[0] not in EMAIL_KINDS):
        kind, attrs = first
        extra: dict[str, str | int] = dict(attrs)
        if campaign and kind in {"content_download", "webinar_attended", "event_badge_scan"}:
            extra["campaign"] = campaign
        minutes = float(rng.randint(5, 60)) if kind == "webinar_attended" else None
        out.append(signal(kind, age, value=minutes, **extra))
    mean = {"inbound": 2.4, "outbound": 1.4}.get(direction, 1.0)
    for _ in range(int(rng.expovariate(1 / mean))):
        kind = pick(rng, FOLLOW_UPS[direction])
        if kind in EMAIL_KINDS | {"unsubscribe", "bounce", "meeting_booked"} and not email:
            continue
        ago = rng.uniform(0, min(age, WINDOW_DAYS))
        if kind == "pricing_page_view":
            out.append(signal(kind, ago, url=rng.choice(("/pricing", "/pricing#enterprise"))))
        elif kind == "content_download":
            out.append(signal(kind, ago, campaign=rng.choice(CAMPAIGNS["content_download"])))
        else:
            out.append(signal(kind, ago))
    if channel == "free_trial":
        for _ in range(rng.randint(0, 4)):
            out.append(signal("product_usage", rng.uniform(0, age), value=rng.randint(1, 240)))
    for kind, p in (("funding_round", 0.03), ("hiring_surge", 0.04), ("competitor_mention", 0.03)):
        if rng.random() < p:
            value = (
                float(round_sig(rng.lognormvariate(16, 1.2), 2))
                if kind == "funding_round"
                else None
            )
            out.append(signal(kind, rng.uniform(0, WINDOW_DAYS), value=value))
    out.sort(key=lambda s: s.occurred_at)
    return stop_after_opt_out(out)


def stop_after_opt_out(signals: list[Signal]) -> list[Signal]:
    """Drop e-mail engagement after a bounce or an unsubscribe, as a real sender would."""
    kept: list[Signal] = []
    stopped = False
    for s in signals:
        if stopped and s.kind in EMAIL_KINDS | {"unsubscribe", "bounce"}:
            continue
        stopped = stopped or s.kind in {"unsubscribe", "bounce"}
        kept.append(s)
    return kept


# -- what sales found out ---------------------------------------------------------------


def evidence(rng: random.Random, age: float, source: str, valid_days: int | None) -> Evidence:
    """Evidence asserted some time since the lead was created; it may have expired."""
    asserted = instant(rng.uniform(0, min(age, WINDOW_DAYS)))
    expires = asserted + timedelta(days=valid_days) if valid_days else None
    return Evidence(
        source=source,
        asserted_at=asserted,
        confidence=round(rng.uniform(0.4, 0.95), 2),
        expires_at=expires,
    )


def make_bant(
    rng: random.Random, age: float, contact: Contact | None, currency: str, deep: bool
) -> BANT:
    """A BANT assessment: each part known or not, opportunities knowing more."""
    how = rng.choice(("discovery call", "demo call", "web form", "rep notes"))
    budget = Budget()
    if rng.random() < (0.95 if deep else 0.55):
        weights = (2, 15, 45, 38) if deep else (15, 35, 32, 18)
        statuses = ("none", "planned", "identified", "approved")
        status = pick(rng, list(zip(statuses, weights, strict=True)))
        amount = None
        if status in {"identified", "approved"} and rng.random() < 0.7:
            usd = max(5000, round(rng.lognormvariate(10.6, 0.8) / 5000) * 5000)
            amount = Money(amount=Decimal(round_sig(usd * FX[currency], 2)), currency=currency)
        budget = Budget(
            status=status,
            amount=amount,
            period=rng.choice(("annual", "one-off", "FY2027")) if amount else None,
            evidence=evidence(rng, age, how, 90),
        )
    authority = Authority()
    if contact is not None and rng.random() < 0.6:
        top = contact.seniority in {"c_level", "owner"} or (contact.seniority == "vp" and deep)
        level = "decision_maker" if top and rng.random() < 0.85 else None
        level = level or pick(rng, (("influencer", 65), ("none", 35)))
        authority = Authority(
            level=level,
            decided_by=None if level == "decision_maker" else rng.choice(("CFO", "VP Sales", None)),
            evidence=evidence(rng, age, how, 180),
        )
    need = Need()
    if rng.random() < (0.95 if deep else 0.7):
        pains = rng.sample(PAINS, rng.randint(1, 3))
        need = Need(
            pain_points=tuple(
                PainPoint(description=p, severity=rng.choice(("low", "medium", "high", "critical")))
                for p in pains
            ),
            evidence=evidence(rng, age, how, None) if rng.random() < 0.6 else None,
        )
    timeline = Timeline()
    if rng.random() < (0.9 if deep else 0.45):
        agreed = rng.random() < (0.75 if deep else 0.4)
        timeline = Timeline(
            decision_date=(AS_OF + timedelta(days=rng.randint(-30, 240))).date()
            if agreed
            else None,
            horizon_days=None if agreed else rng.choice((30, 60, 90, 180, 365)),
            catalysing_event=rng.choice(EVENTS) if rng.random() < (0.6 if deep else 0.2) else None,
            evidence=evidence(rng, age, how, 90),
        )
    return BANT(budget=budget, authority=authority, need=need, timeline=timeline)


def buying_roles(rng: random.Random, contact: Contact, bant: BANT) -> frozenset[str]:
    """The buying roles a discovery call would have noted for ``contact``."""
    level = bant.authority.level
    if contact.department == "procurement":
        return frozenset({"gatekeeper"})
    if rng.random() < 0.03:
        return frozenset({"blocker"})
    if level == "decision_maker":
        return frozenset({"decision_maker", "economic_buyer"} if rng.random() < 0.5 else
                         {"decision_maker"})  # fmt: skip
    if level == "influencer":
        return frozenset({rng.choice(("champion", "influencer", "champion"))})
    return frozenset({"user"}) if level == "none" else frozenset()


READY_BECAUSE = (
    ("demo_request", "requested a demo"),
    ("contact_sales", "asked to talk to sales"),
    ("meeting_booked", "booked a meeting"),
    ("trial_signup", "active free trial"),
    ("email_reply", "replied to outreach"),
    ("question", "asked a question"),
    ("pricing_page_view", "viewed pricing"),
)
STEPS = ("inquiry", "profiled", "sales_ready", "sales_opportunity")
REASONS = {
    "profiled": ("fits target market", "enriched: fits ICP"),
    "sales_opportunity": ("discovery call: timeline and budget agreed",),
    "customer": ("contract signed",),
    "closed_lost": ("chose a competitor", "no decision", "budget cut"),
    "nurture": ("not ready this year", "no budget until next fiscal year"),
    "disqualified": ("student or job seeker", "works for a competitor", "duplicate lead"),
}


def make_history(
    rng: random.Random, start: float, depth: int, kinds: set[str]
) -> list[StageChange]:
    """Stage moves through the starter funnel from ``start`` days ago; none after ``AS_OF``.

    ``kinds`` are the lead's signal kinds: the move to sales-ready names the one that
    triggered it.
    """
    history: list[StageChange] = []
    ago = start
    path = list(STEPS[: min(depth, 4)])
    exit_to = None
    if depth >= 5:
        exit_to = "customer" if rng.random() < 0.45 else "closed_lost"
    elif rng.random() < 0.22:
        exit_to = rng.choice(("nurture", "nurture", "disqualified"))
    for to_stage in [*path, *([exit_to] if exit_to else [])]:
        if ago < 0:
            break
        reason_pool = REASONS.get(to_stage)
        if to_stage == "sales_ready":
            because = [r for k, r in READY_BECAUSE if k in kinds]
            reason_pool = (because[0],) if because else ("score over threshold",)
        automated = to_stage in {"profiled", "sales_ready"} and rng.random() < 0.6
        history.append(
            StageChange(
                at=instant(ago),
                to_stage=to_stage,
                from_stage=history[-1].to_stage if history else None,
                reason=rng.choice(reason_pool) if reason_pool else None,
                policy_version="legacy-scoring/3" if automated else None,
            )
        )
        ago -= rng.expovariate(1 / 9)
    return history


# -- leads ------------------------------------------------------------------------------


def make_lead(rng: random.Random, number: int, companies: Companies) -> Lead:
    """One lead: its source decides how much is known about it."""
    direction, channel = pick(rng, [(k, p.weight) for k, p in SOURCES.items()])
    profile = SOURCES[direction, channel]
    full = companies.any()
    has_contact = rng.random() < profile.contact
    has_company = rng.random() < profile.company or not has_contact
    age = rng.uniform(0.3, 200) if direction != "unknown" else rng.uniform(150, 700)
    campaign = rng.choice(CAMPAIGNS[channel]) if channel in CAMPAIGNS else None
    if campaign in CAMPAIGN_DAYS:  # during the working day of the event or import
        age = (AS_OF - CAMPAIGN_DAYS[campaign]).days - rng.uniform(0.35, 0.75)
    contact = None
    if has_contact:
        has_email = rng.random() < profile.email
        contact = make_contact(rng, number, full, profile, has_email, direction == "inbound")
    signals = make_signals(rng, channel, direction, age, campaign, bool(contact and contact.email))
    currency = full.annual_revenue.currency if full.annual_revenue else "USD"

    depth = 0
    kinds = {s.kind for s in signals}
    if rng.random() < profile.history:
        hands = sum(s.explicit for s in signals)
        depth = pick(rng, ((1, 30), (2, 30), (3, 20 + 10 * hands), (4, 10 + 8 * hands),
                           (5, 6 + 4 * hands)))  # fmt: skip
        if not kinds & {r[0] for r in READY_BECAUSE}:  # no engagement: not sales-ready
            depth = min(depth, 2)
    start = age if direction == "inbound" else rng.uniform(0, age)
    history = make_history(rng, start, depth, kinds) if depth else []
    moves = {h.to_stage: h.at for h in history}
    deep = "sales_opportunity" in moves
    bant = BANT()
    if deep or rng.random() < profile.bant:
        bant = make_bant(rng, age, contact, currency, deep)
        if contact is not None and rng.random() < 0.8:
            contact = attrs.evolve(contact, buying_roles=buying_roles(rng, contact, bant))
    closed = moves.get("customer") or moves.get("closed_lost")
    if closed is not None:  # the decision was made when the lead closed
        timeline = attrs.evolve(bant.timeline, decision_date=closed.date(), horizon_days=None)
        bant = attrs.evolve(bant, timeline=timeline)
    if deep:
        signals.append(Signal(kind="next_step_agreed", occurred_at=moves["sales_opportunity"],
                              channel="phone", source="crm", explicit=True))  # fmt: skip
        signals.sort(key=lambda s: s.occurred_at)
    if contact is not None and any(s.kind == "unsubscribe" for s in signals):
        opted = rng.random() < 0.3
        contact = attrs.evolve(contact, email_consent=False, opted_out=opted)

    owner = None
    if len(history) > 1 or (direction == "outbound" and rng.random() < 0.5):
        owner = rng.choice(OWNERS)
    custom: dict[str, object] = {}
    if rng.random() < 0.75:
        hands = sum(s.explicit for s in signals)
        custom["lead_score_legacy"] = max(0, min(100, int(rng.gauss(30 + 15 * hands, 15))))
    if owner is not None:
        size = full.employees or 0
        team = "smb" if size < 200 else "mid_market" if size < 2000 else "enterprise"
        custom["crm_owner_team"] = "emea" if full.region == "EMEA" and size < 2000 else team
    if direction == "inbound" and rng.random() < 0.6:
        custom["utm_source"] = rng.choice(INTENT)
    if full.country in EU_LIKE and rng.random() < 0.8:
        custom["gdpr_basis"] = "consent" if direction == "inbound" else "legitimate_interest"
    if direction == "inbound" and rng.random() < 0.1:
        custom["product_interest"] = tuple(sorted(rng.sample(("routing", "scoring", "analytics",
                                                              "enrichment"), 2)))  # fmt: skip
    view = company_view(rng, full, profile) if has_company else None
    return Lead(
        id=f"L-{number:05d}",
        contact=contact,
        company=view,
        account_id=full.id if view is None and rng.random() < 0.3 else None,
        source=LeadSource(
            direction=direction,
            channel=None if channel == "crm_import" and rng.random() < 0.5 else channel,
            campaign=campaign if rng.random() < 0.85 else None,
        ),
        signals=tuple(signals),
        bant=bant,
        stage_history=tuple(history),
        owner=owner,
        created_at=instant(age),
        custom=custom,
    )


def generate(count: int, *, seed: int = DEFAULT_SEED) -> list[Lead]:
    """``count`` demo leads; the same arguments always give the same leads."""
    rng = random.Random(seed)
    companies = Companies(rng)
    return [make_lead(rng, number, companies) for number in range(1, count + 1)]


def main(argv: Sequence[str] | None = None) -> int:
    """Write the demo leads; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT, help="number of leads")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="JSONL file to write")
    args = parser.parse_args(argv)
    leads = generate(args.count, seed=args.seed)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    write_jsonl(leads, args.output)
    print(f"wrote {len(leads)} leads to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
