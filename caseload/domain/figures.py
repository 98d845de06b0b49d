"""Exact figures as words: the one way caseload writes a number or a load % for people.

Explanations are made in the domain ("lowest load after: 75.0%"), tables in render;
both write figures through these two functions, so a figure reads the same in an
explanation and in the table beside it. Load % is rounded *down*, so 109.99 % never
reads as 110 % (a worse zone than it is).
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Iterable


def fmt(number: Fraction | int) -> str:
    """A Fraction as short decimal text for explanations: 90, 67.5, 33.33."""
    number = Fraction(number)
    if number.denominator == 1:
        return str(number.numerator)
    return f"{float(number):.2f}".rstrip("0").rstrip(".")


def floor_to(number: Fraction, places: int = 1) -> Fraction:
    """Round down, so a displayed load % never reads as a higher zone than it is."""
    scale = 10 ** places
    return Fraction(math.floor(number * scale), scale)


def pct_text(pct: Fraction | None) -> str:
    """Load % for people: one decimal, rounded down; n/a when there is no capacity."""
    if pct is None:
        return "n/a"
    return f"{float(floor_to(pct, 1)):.1f}%"


def ratio_sum(ratios: Iterable[tuple[int, int]]) -> Fraction:
    """The exact sum of ratios given as (numerator, denominator) integers, added over one
    growing common denominator and made a Fraction once: `sum` of Fractions without a
    Fraction (and its gcd) per term, for sums over a team of thousands."""
    numerator, denominator = 0, 1
    for n, d in ratios:
        if d == denominator:
            numerator += n
        else:
            common = math.lcm(denominator, d)
            numerator = numerator * (common // denominator) + n * (common // d)
            denominator = common
    return Fraction(numerator, denominator)
