"""What each dialect spells differently: the only dialect-aware code of the SQL engine.

Every helper returns sqlglot expression nodes. Where sqlglot's generic node would carry
a DuckDB-only function to another dialect unchanged (``EPOCH_US``, ``LEN``), or would
change the meaning there (Postgres ``ARRAY_LENGTH(x, 1)`` is NULL for an empty array,
Snowflake ``REGEXP_LIKE`` matches the whole text, Snowflake integer division rounds),
the helper spells the operation per dialect instead. ``docs/how-to/sql.md`` lists them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Final

from sqlglot import exp

__all__ = [
    "DIALECTS",
    "sql_type",
    "MICROS_PER_DAY",
    "epoch_micros",
    "micros_since_epoch",
    "floor_div",
    "round_half_even",
    "list_size",
    "list_contains",
    "regex_search",
    "posix_pattern",
    "raise_error",
    "days_between_dates",
    "float_to_decimal",
    "half_power",
    "number",
    "is_null",
    "not_null",
    "case",
    "least",
    "greatest",
    "filtered",
    "list_contains_keeps_null",
]

DIALECTS: Final = ("duckdb", "spark", "postgres", "snowflake", "bigquery")
"""The dialects funnelkit generates SQL for."""

MICROS_PER_DAY: Final = 86_400_000_000


@functools.cache
def _parsed_type(name: str) -> exp.DataType:
    return exp.DataType.build(name)


def sql_type(name: str) -> exp.DataType:
    """A SQL type node (parsed once per name: sqlglot parses type strings slowly)."""
    return _parsed_type(name).copy()


def number(value: int | Decimal | float) -> exp.Expr:
    """A numeric literal: ints and decimals exactly, floats as a DOUBLE of their repr."""
    if isinstance(value, float):
        return exp.cast(exp.Literal.string(repr(value)), sql_type("DOUBLE"))
    if isinstance(value, Decimal):
        text = format(value, "f")
        exponent = value.as_tuple().exponent
        places = max(0, -exponent) if isinstance(exponent, int) else 0
        digits = max(len(text.replace("-", "").replace(".", "")), places + 1)
        if digits > 38:
            return exp.Literal.number(text)
        return exp.cast(exp.Literal.number(text), sql_type(f"DECIMAL({digits},{places})"))
    literal = exp.Literal.number(abs(value))
    return exp.Neg(this=literal) if value < 0 else literal


def is_null(node: exp.Expr) -> exp.Expr:
    """``node IS NULL``."""
    return exp.Is(this=node.copy(), expression=exp.Null())


def not_null(node: exp.Expr) -> exp.Expr:
    """``NOT node IS NULL``."""
    return exp.not_(is_null(node))


def case(whens: Sequence[tuple[exp.Expr, exp.Expr]], default: exp.Expr | None) -> exp.Expr:
    """``CASE WHEN c1 THEN v1 ... ELSE default END`` (conditions that are NULL are skipped)."""
    node = exp.Case()
    for when, then in whens:
        node = node.when(when.copy(), then.copy(), copy=False)
    if default is not None:
        node = node.else_(default.copy(), copy=False)
    return node


def _present_args(
    spell: type[exp.Least] | type[exp.Greatest], args: Sequence[exp.Expr], dialect: str
) -> exp.Expr:
    if len(args) == 1:
        return args[0]
    # sqlglot guards DuckDB's LEAST / GREATEST (which skip NULLs) with a CASE of its own
    # unless told the NULLs may be ignored; only DuckDB is told, the others keep their
    # plain spelling (Snowflake's ``*_IGNORE_NULLS`` is another function)
    ignore = True if dialect == "duckdb" else None
    return spell(this=args[0], expressions=list(args[1:]), ignore_nulls=ignore)


def least(args: Sequence[exp.Expr], dialect: str) -> exp.Expr:
    """``LEAST(a, b, ...)`` of operands that are never NULL (callers check that first)."""
    return _present_args(exp.Least, args, dialect)


def greatest(args: Sequence[exp.Expr], dialect: str) -> exp.Expr:
    """``GREATEST(a, b, ...)`` of operands that are never NULL (callers check that first)."""
    return _present_args(exp.Greatest, args, dialect)


def filtered(aggregate: exp.Expr, keep: exp.Expr | None) -> exp.Expr:
    """``aggregate FILTER (WHERE keep)``: the aggregate over the rows where ``keep`` is TRUE.

    sqlglot spells it ``COUNT_IF`` / ``SUM(IFF(keep, x, NULL))`` for Snowflake and
    ``COUNTIF`` / ``SUM(IF(keep, x, NULL))`` for BigQuery, which have no ``FILTER``; a
    row whose ``keep`` is NULL is left out in every spelling.
    """
    if keep is None:
        return aggregate
    return exp.Filter(this=aggregate, expression=exp.Where(this=keep))


def epoch_micros(node: exp.Expr, dialect: str) -> exp.Expr:
    """Microseconds since 1970-01-01 UTC of a timestamp with time zone (exact integer).

    sqlglot's ``UnixMicros`` renders ``EPOCH_US`` for DuckDB and ``UNIX_MICROS``
    everywhere else, which Postgres and Snowflake do not have: spelled out here.
    """
    if dialect == "duckdb":
        return exp.Anonymous(this="EPOCH_US", expressions=[node])
    if dialect in ("spark", "bigquery"):
        return exp.Anonymous(this="UNIX_MICROS", expressions=[node])
    if dialect == "snowflake":
        return exp.Anonymous(this="DATE_PART", expressions=[exp.var("EPOCH_MICROSECOND"), node])
    # Postgres: EXTRACT(EPOCH ...) is an exact numeric (PostgreSQL 14+)
    seconds = exp.Extract(this=exp.var("EPOCH"), expression=node)
    micros = exp.Mul(this=seconds, expression=exp.Literal.number(1_000_000))
    return exp.cast(micros, sql_type("BIGINT"))


def micros_since_epoch(moment: datetime) -> int:
    """Microseconds from 1970-01-01 UTC to an aware ``moment``, exactly (as Python subtracts)."""
    delta = moment - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def floor_div(node: exp.Expr, divisor: int, dialect: str = "duckdb") -> exp.Expr:
    """``floor(node / divisor)`` for an integer ``node``, exactly, in every dialect.

    Integer division truncates in DuckDB (``//``), Postgres and BigQuery (``DIV``);
    Snowflake's spelling divides as a decimal rounded to six places first, and Spark's
    ``/`` divides as doubles (inexact beyond 2**53), so Spark gets ``DIV``. The
    remainder is taken off first, so the one division left is exact everywhere.
    """
    d = exp.Literal.number(divisor)
    mod = exp.Mod(this=exp.paren(exp.Mod(this=node.copy(), expression=d.copy())), expression=d)
    remainder = exp.Mod(this=exp.paren(exp.Add(this=mod, expression=d.copy())), expression=d.copy())
    whole = exp.paren(exp.Sub(this=node.copy(), expression=exp.paren(remainder)))
    if dialect == "spark":
        return exp.IntDiv(this=whole, expression=d.copy())
    return exp.cast(exp.Div(this=whole, expression=d.copy()), sql_type("BIGINT"))


def round_half_even(
    node: exp.Expr, places: int, *, share: Callable[[exp.Expr], exp.Expr] = lambda sql: sql
) -> exp.Expr:
    """An exact decimal rounded to ``places`` decimal places, half to even (written out).

    Dialects' ``ROUND`` rounds halves away from zero (DuckDB, Postgres, Spark,
    Snowflake) and ``round_even`` is DuckDB's alone, so the rounding is spelled out on
    integers in units of ``10 ** -places``: ``f = FLOOR(x + 0.5)`` rounds halves up, and
    on a tie (``x + 0.5`` whole) an odd ``f`` steps down to the even ``f - 1``. The result is a
    ``DECIMAL(38, places)``.
    """
    scaled = exp.Mul(this=exp.paren(node.copy()), expression=exp.Literal.number(10**places))
    half = exp.cast(exp.Literal.number("0.5"), sql_type("DECIMAL(2,1)"))
    shifted = exp.paren(share(exp.Add(this=scaled, expression=half)))
    f = exp.Floor(this=shifted)
    tie = exp.EQ(this=shifted.copy(), expression=f.copy())
    odd = exp.NEQ(
        this=exp.Mod(this=f.copy(), expression=exp.Literal.number(2)),
        expression=exp.Literal.number(0),
    )
    down = exp.Sub(this=f.copy(), expression=exp.Literal.number(1))
    units = case([(exp.and_(tie, odd), down)], f)
    whole = exp.cast(units, sql_type("DECIMAL(38,0)"))
    unit = exp.cast(
        exp.Literal.number(format(Decimal(1).scaleb(-places), "f")),
        sql_type(f"DECIMAL({places + 1},{places})"),
    )
    return exp.Mul(this=whole, expression=unit)


def list_size(node: exp.Expr, dialect: str) -> exp.Expr:
    """The number of items of a present list (Postgres: ``CARDINALITY``, 0 when empty)."""
    if dialect == "duckdb":
        return exp.Anonymous(this="ARRAY_LENGTH", expressions=[node])
    if dialect == "postgres":
        return exp.Anonymous(this="CARDINALITY", expressions=[node])
    return exp.ArraySize(this=node)


def list_contains(node: exp.Expr, item: exp.Expr, dialect: str) -> exp.Expr:
    """Whether a present list holds ``item`` (callers check for a missing list first).

    Postgres (``COALESCE(x = ANY(list), FALSE)``) and BigQuery (``EXISTS(... UNNEST)``)
    make a missing list FALSE, not unknown; there the strict walker's NULL check comes
    first (``list_contains_keeps_null``).
    """
    return exp.ArrayContains(this=node, expression=item)


def list_contains_keeps_null(dialect: str) -> bool:
    """Whether ``list_contains`` of a NULL list is NULL in ``dialect`` (DuckDB, Spark).

    Postgres and BigQuery make it FALSE and Snowflake's is not tested here, so the
    walker keeps its ``IS NULL`` check before a list membership in those dialects.
    """
    return dialect in ("duckdb", "spark")


_POSIX_ESCAPES: Final = {"b": "y", "B": "Y"}


def posix_pattern(pattern: str) -> str:
    r"""A Python pattern as a Postgres regular expression (ARE) of the same meaning.

    In Postgres ``\b`` is a backspace and ``\B`` a backslash; its word boundaries are
    ``\y`` and ``\Y``. Inside a bracket expression ``\b`` is a backspace in both, so
    it is kept there. Every other escape a bounded pattern uses means the same in both.
    """
    out: list[str] = []
    index, in_class = 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            following = pattern[index + 1]
            escape = following if in_class else _POSIX_ESCAPES.get(following, following)
            out.append("\\" + escape)
            index += 2
            continue
        out.append(char)
        index += 1
        if char == "[" and not in_class:
            in_class = True
            if pattern.startswith("^", index):
                out.append("^")
                index += 1
            if pattern.startswith("]", index):  # a ']' first in a class is itself
                out.append("]")
                index += 1
        elif char == "]" and in_class:
            in_class = False
    return "".join(out)


def regex_search(node: exp.Expr, pattern: str, dialect: str) -> exp.Expr:
    r"""Whether ``pattern`` matches somewhere in a present text (``re.search``).

    Snowflake's ``REGEXP_LIKE`` matches the whole text, so it gets ``REGEXP_INSTR > 0``;
    Postgres' word boundaries are spelled ``\y`` (``posix_pattern``).
    """
    if dialect == "postgres":
        pattern = posix_pattern(pattern)
    text = exp.Literal.string(pattern)
    if dialect == "snowflake":
        found = exp.Anonymous(this="REGEXP_INSTR", expressions=[node, text])
        return exp.GT(this=found, expression=exp.Literal.number(0))
    return exp.RegexpLike(this=node, expression=text)


def raise_error(message: str, dialect: str, *, record: exp.Expr) -> exp.Expr | None:
    """An expression that fails the query with ``message``, where the dialect can.

    Postgres has no such function: there a text naming ``record`` (the row's lead id)
    is cast to an integer, which fails with the text in the error ("invalid input
    syntax for type integer: ..."). The text must read a column: Postgres evaluates a
    cast of a constant when it plans the query, whether the row reaches it or not.
    """
    if dialect == "postgres":
        text = exp.DPipe(this=exp.Literal.string(f"{message}: lead "), expression=record.copy())
        return exp.cast(exp.paren(text), sql_type("INTEGER"))
    names = {"duckdb": "ERROR", "spark": "RAISE_ERROR", "bigquery": "ERROR"}
    name = names.get(dialect)
    if name is None:
        return None
    return exp.Anonymous(this=name, expressions=[exp.Literal.string(message)])


def days_between_dates(start: exp.Expr, end: exp.Expr, dialect: str) -> exp.Expr:
    """Whole days from ``start`` to ``end`` (two DATEs), exactly."""
    if dialect == "postgres":
        return exp.paren(exp.Sub(this=end, expression=start))
    return exp.DateDiff(this=end, expression=start, unit=exp.var("DAY"))


_HALVES_TO_ZERO: Final = 1075
"""``0.5 ** x`` is 0.0 from here on (2**-1075 is half the least double, a tie to 0)."""


def half_power(halves: exp.Expr, dialect: str) -> exp.Expr:
    """``0.5 ** halves`` for a DOUBLE ``halves`` >= 0, as Python gives it (0.0 when tiny).

    Postgres fails a query whose DOUBLE ``POWER`` underflows to 0 ("value out of range:
    underflow"), so there the weight of a signal ``halves`` half-lives old is 0 from
    ``_HALVES_TO_ZERO`` on, where Python's is 0.0 too; other dialects give 0.0 themselves.
    """
    weight = exp.Pow(this=number(0.5), expression=halves)
    if dialect != "postgres":
        return weight
    gone = exp.GTE(this=halves.copy(), expression=exp.Literal.number(_HALVES_TO_ZERO))
    return case([(gone, number(0.0))], weight)


def float_to_decimal(node: exp.Expr, dialect: str) -> exp.Expr:
    """A DOUBLE as the exact decimal Python's ``Decimal(repr(x))`` gives, where possible.

    DuckDB and Postgres (12 and later, with the default ``extra_float_digits``) print a
    DOUBLE as Python's ``repr`` does (the shortest text that reads back), so the text
    cast to a decimal is ``Decimal(repr(x))`` exactly; Postgres' own cast of a DOUBLE to
    NUMERIC keeps only 15 significant digits. Other dialects cast the binary value to 18
    places, which differs from it only within ~1e-16 relative of a rounding tie
    (``docs/how-to/sql.md``).
    """
    target = sql_type("DECIMAL(38,18)")
    if dialect in ("duckdb", "postgres"):
        return exp.cast(exp.cast(node, sql_type("VARCHAR")), target)
    return exp.cast(node, target)
