"""Reading the values of real exports: country names, currency symbols, activity names."""

from __future__ import annotations

import re
import unicodedata

from funnelkit.model import COUNTRY_CODES, CURRENCY_CODES

_DROP = re.compile("[.,'\u2019()]")
_SPACE = re.compile(r"[\s\-_/]+")

CURRENCY_SYMBOLS: dict[str, str] = {
    "$": "USD",
    "US$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "JP¥": "JPY",
    "CN¥": "CNY",
    "元": "CNY",
    "₹": "INR",
    "₩": "KRW",
    "₽": "RUB",
    "₺": "TRY",
    "₪": "ILS",
    "₫": "VND",
    "₱": "PHP",
    "₦": "NGN",
    "₴": "UAH",
    "₲": "PYG",
    "฿": "THB",
    "R$": "BRL",
    "A$": "AUD",
    "AU$": "AUD",
    "C$": "CAD",
    "CA$": "CAD",
    "NZ$": "NZD",
    "HK$": "HKD",
    "S$": "SGD",
    "MX$": "MXN",
    "CHF": "CHF",
    "Fr.": "CHF",
    "kr": "SEK",
    "zł": "PLN",
    "Kč": "CZK",
    "Ft": "HUF",
    "R": "ZAR",
}
"""Currency symbols (as written in exports) -> ISO 4217 codes.

Where a symbol is shared (``$``, ``kr``, ``¥``), it stands for the currency most exports
mean by it: ``$`` is USD, ``kr`` SEK, ``¥`` JPY; write ``C$`` or ``CA$`` for CAD.
"""


def name_key(text: str) -> str:
    """The form names are compared in: no accents, case or punctuation, single spaces.

    Examples:
        >>> name_key("  Côte d'Ivoire ")
        'cote divoire'
        >>> name_key("U.S.A.")
        'usa'
    """
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).casefold()
    folded = _DROP.sub("", folded.replace("&", " and "))
    folded = _SPACE.sub(" ", folded).strip()
    return folded.removeprefix("the ")


def country_code(text: str) -> str | None:
    """The ISO 3166-1 alpha-2 code for a code, an alpha-3 code, a name or a common alias.

    Args:
        text: The cell as written (``"DE"``, ``"deu"``, ``"Germany"``, ``"USA"``).

    Returns:
        The code, or ``None`` when the text names no country.

    Examples:
        >>> [country_code(t) for t in ("India", "usa", "Holland", "gb", "Atlantis")]
        ['IN', 'US', 'NL', 'GB', None]
    """
    from funnelkit.io._countries import COUNTRY_NAMES

    upper = text.strip().upper()
    if upper in COUNTRY_CODES:
        return upper
    return COUNTRY_NAMES.get(name_key(text))


def currency_code(text: str) -> str | None:
    """The ISO 4217 code for a code (any case) or a currency symbol.

    Examples:
        >>> [currency_code(t) for t in ("eur", "€", "R$", "doubloons")]
        ['EUR', 'EUR', 'BRL', None]
    """
    stripped = text.strip()
    if stripped.upper() in CURRENCY_CODES:
        return stripped.upper()
    return CURRENCY_SYMBOLS.get(stripped)


def snake_case(text: str) -> str:
    """A category as a signal kind: ``"Email Opened"`` -> ``"email_opened"``.

    Examples:
        >>> snake_case("Olark Chat Conversation")
        'olark_chat_conversation'
    """
    return name_key(text).replace(" ", "_")
