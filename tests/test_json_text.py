"""Documents are written as `json.dumps(..., indent=2)` writes them, character for character
(DESIGN §5: scripts may diff them), by the faster writer of `render.json_text`; and
figures are rounded down exactly as before."""

from __future__ import annotations

import json
from datetime import date
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from caseload.domain.figures import floor_to
from caseload.render.json_text import indented_json
from caseload.render.numbers import number, to_json_value

scalars = (st.none() | st.booleans() | st.integers() | st.floats() | st.text()
           | st.fractions(max_denominator=10_000) | st.dates())
keys = st.text() | st.integers() | st.booleans() | st.none()
documents = st.recursive(
    scalars,
    lambda inner: (st.lists(inner, max_size=4) | st.tuples(inner, inner)
                   | st.dictionaries(st.text(max_size=5), inner, max_size=4)
                   | st.dictionaries(keys, inner, max_size=3)),
    max_leaves=30,
)


def expected(data) -> str:
    return json.dumps(data, default=to_json_value, ensure_ascii=False, indent=2)


@given(documents)
def test_any_document_is_written_as_json_dumps_writes_it(data):
    assert indented_json(data, to_json_value, (Fraction, date)) == expected(data)


def test_a_zone_review_like_document():
    row = {"id": "asha", "name": "Zoë \"Z\" Ł\n", "fte": Fraction(4, 5), "cases": 12, "load": Fraction(67, 2),
           "load_pct": Fraction(1000, 3), "zone": "red", "absent": False, "over_cap": True, "on": date(2026, 11, 23),
           "events": [], "more": {}, "nothing": None, "ratio": 0.1 + 0.2}
    document = {"date": date(2026, 11, 23), "workers": [row, row], "team": {"load": Fraction(1, 3)}, "suggestions": []}
    assert indented_json(document, to_json_value, (Fraction, date)) == expected(document)


@given(st.fractions(), st.integers(min_value=0, max_value=4))
def test_a_figure_rounds_down_as_before(value, places):
    before = value.numerator if value.denominator == 1 else float(floor_to(value, places))
    assert number(value, places) == before and type(number(value, places)) is type(before)


@given(documents)
def test_without_the_scalar_types_named_the_text_is_the_same(data):
    assert indented_json(data, to_json_value) == expected(data)


@given(documents)
def test_without_json_s_c_encoder_the_text_is_the_same(data):
    """A Python whose private C encoder is missing or has another signature walks every
    row in Python and writes the same text."""
    import caseload.render.json_text as json_text

    def changed(*args):
        raise TypeError("make_encoder() takes other arguments")

    saved = json_text.c_make_encoder
    try:
        for replacement in (None, changed):
            json_text.c_make_encoder = replacement
            assert indented_json(data, to_json_value, (Fraction, date)) == expected(data)
    finally:
        json_text.c_make_encoder = saved
