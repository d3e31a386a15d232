"""Generate ``tests/io/data/marketing_export.csv``: a realistic marketing-automation export.

It has the traits of real exports that a column mapping must cope with: a placeholder
("Select") for "not filled" and other null tokens ("N/A", "-", "unknown"), Yes/No
booleans, a 0/1 outcome column, countries as names and aliases ("India", "USA", "UK"),
revenue with a currency symbol in its own column, numbers the model does not have
(visits, time on site, page views, scores), a category column that is really the last
activity ("Email Opened", "Olark Chat Conversation") with a date column that is
sometimes empty, a repeated header name and a trailing comma in the header.

The output depends only on ``--rows`` and ``--seed`` (one ``random.Random``), so two runs
write byte-identical files; a test checks that the checked-in file is up to date.

Usage::

    python scripts/make_export_fixture.py [--rows 300] [--seed 12] [--output PATH]
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

OUTPUT = Path(__file__).resolve().parents[1] / "tests" / "io" / "data" / "marketing_export.csv"
START = date(2026, 1, 5)
"""The first day activities happen on (fixed, never the clock)."""

HEADER = [
    "Prospect ID",
    "Lead Number",
    "Lead Origin",
    "Lead Source",
    "Do Not Email",
    "Do Not Call",
    "Converted",
    "TotalVisits",
    "Total Time Spent on Website",
    "Page Views Per Visit",
    "Last Activity",
    "Last Activity Date",
    "Country",
    "Company",
    "Employees",
    "Annual Revenue",
    "Currency",
    "Specialization",
    "What is your current occupation",
    "Lead Quality",
    "City",
    "Asymmetrique Activity Score",
    "A free copy of Mastering The Interview",
    "Notes",
    "Notes",
    "",
]

ORIGINS = ["Landing Page Submission", "API", "Lead Add Form", "Lead Import"]
SOURCES = [
    "Google",
    "Direct Traffic",
    "Olark Chat",
    "Organic Search",
    "Reference",
    "Referral Sites",
]
ACTIVITIES = [
    ("Email Opened", 30),
    ("SMS Sent", 12),
    ("Olark Chat Conversation", 11),
    ("Page Visited on Website", 8),
    ("Converted to Lead", 5),
    ("Email Link Clicked", 4),
    ("Form Submitted on Website", 2),
    ("Email Bounced", 3),
    ("Unreachable", 1),
]
COUNTRIES = [
    ("India", 60),
    ("United States", 5),
    ("USA", 3),
    ("United Arab Emirates", 4),
    ("Singapore", 3),
    ("UK", 2),
    ("United Kingdom", 2),
    ("Saudi Arabia", 2),
    ("Germany", 1),
    ("Holland", 1),
    ("Australia", 1),
    ("unknown", 2),
    ("", 14),
]
SPECIALIZATIONS = [
    "Select",
    "Finance Management",
    "Human Resource Management",
    "Marketing Management",
    "Operations Management",
    "IT Projects Management",
    "Business Administration",
]
OCCUPATIONS = [
    ("Unemployed", 60),
    ("Working Professional", 8),
    ("Student", 2),
    ("Businessman", 1),
    ("Housewife", 1),
    ("Other", 1),
    ("", 27),
]
QUALITIES = ["", "", "Might be", "Not Sure", "High in Relevance", "Low in Relevance"]
CITIES = ["Select", "Mumbai", "Thane & Outskirts", "Other Cities", "Other Metro Cities", ""]
CURRENCIES = ["$", "€", "£", "₹", "USD", ""]


def pick(rng: random.Random, weighted: Sequence[tuple[str, int]]) -> str:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def row(rng: random.Random, number: int) -> list[str]:
    visits = rng.choice([0, 0, 1, 2, 2, 3, 4, 5, 7, 10, None])
    time_spent = 0 if not visits else rng.randint(10, 2200)
    views = "" if visits is None else ("0" if not visits else f"{rng.uniform(1, 6):.2f}")
    activity = pick(rng, ACTIVITIES) if rng.random() > 0.02 else ""
    dated = activity and rng.random() > 0.15
    when = (START + timedelta(days=rng.randint(0, 110))).isoformat() if dated else ""
    employees = rng.choice(
        ["", "N/A", "-", str(rng.randint(2, 900)), str(rng.randint(1000, 40000))]
    )
    revenue = "" if rng.random() < 0.4 else str(rng.randint(1, 500) * 100_000)
    return [
        f"{rng.getrandbits(64):016x}-{number:04d}",
        str(660_000 + number),
        rng.choice(ORIGINS),
        rng.choice(SOURCES) if rng.random() > 0.03 else "",
        rng.choice(["No"] * 12 + ["Yes"]),
        rng.choice(["No"] * 40 + ["Yes"]),
        rng.choice(["0", "0", "1"]),
        "" if visits is None else str(visits),
        str(time_spent),
        views,
        activity,
        when,
        pick(rng, COUNTRIES),
        f"Company {number}" if rng.random() > 0.2 else "",
        employees,
        revenue,
        rng.choice(CURRENCIES) if revenue else "",
        rng.choice(SPECIALIZATIONS),
        pick(rng, OCCUPATIONS),
        rng.choice(QUALITIES),
        rng.choice(CITIES),
        "" if rng.random() < 0.45 else str(rng.randint(7, 18)),
        rng.choice(["No", "No", "Yes"]),
        rng.choice(["", "", "call back", "Will revert after reading the email"]),
        rng.choice(["", "", "-", "interested in other courses"]),
        "",
    ]


def export(rows: int, seed: int) -> str:
    rng = random.Random(seed)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    for number in range(1, rows + 1):
        writer.writerow(row(rng, number))
    return buffer.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    args.output.write_text(export(args.rows, args.seed), encoding="utf-8", newline="")
    print(f"wrote {args.rows} rows to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
