"""Values as table cells, CSV cells and JSON values (DESIGN §5).

Fractions are exact inside caseload; for people and scripts a whole number stays
whole and any other is rounded *down* (to 2 places; a load % to 1 place in tables),
so a figure never reads as a worse zone than it is. Dates are ISO, lists are joined
with `;`, booleans are yes/no in tables and CSV.
"""

from __future__ import annotations

import math
from datetime import date
from fractions import Fraction
from typing import Any

from caseload.domain.fields import FORMULA_START
from caseload.domain.figures import fmt, pct_text

__all__ = ["cell", "csv_cell", "cut_text", "exact_number", "fmt", "number", "pct_text", "to_json_value", "week_figure", "week_label"]


def number(value: Fraction | None, places: int = 2) -> float | int | None:
    """A Fraction for JSON and CSV: whole numbers stay whole, others round down to `places`."""
    if value is None:
        return None
    numerator, denominator = value.numerator, value.denominator
    if denominator == 1:
        return numerator
    scale = 10 ** places
    # float(floor_to(value, places)) in integers: the same float (int / int is rounded
    # once, correctly), without two Fractions per figure
    return (numerator * scale // denominator) / scale


def exact_number(value: Fraction | None) -> float | int | None:
    """A Fraction for a file that is read back (`export reviews`): a whole number whole, any
    other as the float whose shortest text is its decimal (57.375, 45.6), so the file holds
    the figure itself, not a rounding (loads and capacities are finite decimals: decimal
    weights, FTEs and reductions)."""
    if value is None:
        return None
    return value.numerator if value.denominator == 1 else float(value)


def cell(value: Any) -> str:
    """A value as plain text for a CSV cell or a table: lists joined with ';', dates ISO."""
    if value is None:
        return ""
    kind = type(value)  # the common cases first: a listing of a million cases writes millions of these
    if kind is str:
        return value
    if kind is date:
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Fraction):
        return str(number(value))  # as in JSON: whole, or rounded down to 2 places
    return str(value)



def csv_cell(value: Any) -> str:
    """A CSV cell; text a spreadsheet would run as a formula is quoted with a leading '."""
    if type(value) is str:  # the common case first: exports write millions of these
        return "'" + value if value.startswith(FORMULA_START) else value
    if value is None:
        return ""
    return cell(value)


def to_json_value(value: Any) -> Any:
    if isinstance(value, Fraction):
        return number(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def cut_text(kind: str, amount: Fraction) -> str:
    """A capacity reduction's size as people say it: "20%" or "9 points"."""
    return f"{fmt(amount)}%" if kind == "percent" else f"{fmt(amount)} points"


def week_label(day) -> str:
    """A Monday as the forecast and the report's Runway head their weeks: "7 Dec"."""
    from caseload.domain.forecast import MONTHS

    day = date.fromisoformat(day) if isinstance(day, str) else day
    return f"{day.day} {MONTHS[day.month - 1]}"


def week_figure(week: dict) -> str | None:
    """"98%" (load % rounded down, so never a worse zone than it is), "left" for a leaver's
    cases on no capacity, None before a starter's first day."""
    if week["zone"] is None:
        return None
    pct = week["load_pct"]
    return f"{math.floor(pct)}%" if pct is not None else ("left" if week["load"] else "0%")
