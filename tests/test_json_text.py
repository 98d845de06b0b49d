"""Documents are written by `json` itself (`render.output.json_text`): the same values as
`json.dumps` gives, in the layout render/output.py states (objects indented, each item of a
list compact on a line of its own); and figures are rounded down exactly as before."""

from __future__ import annotations

import json
from datetime import date
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from caseload.domain.figures import floor_to
from caseload.render.numbers import number, to_json_value
from caseload.render.output import json_text

scalars = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
           | st.fractions(max_denominator=10_000) | st.dates())
keys = st.text() | st.integers() | st.booleans() | st.none()
documents = st.recursive(
    scalars,
    lambda inner: (st.lists(inner, max_size=4) | st.tuples(inner, inner)
                   | st.dictionaries(st.text(max_size=5), inner, max_size=4)
                   | st.dictionaries(keys, inner, max_size=3)),
    max_leaves=30,
)


def as_json_dumps_writes_it(data):
    return json.loads(json.dumps(data, default=to_json_value, ensure_ascii=False, indent=2))


@given(documents)
def test_any_document_holds_the_values_json_dumps_gives(data):
    text = json_text(data)
    assert text.endswith("\n") and json.loads(text) == as_json_dumps_writes_it(data)


def test_a_zone_review_is_indented_with_one_row_a_line():
    row = {"id": "asha", "name": "Zoë \"Z\" Ł\n", "fte": Fraction(4, 5), "cases": 12, "load": Fraction(67, 2),
           "load_pct": Fraction(1000, 3), "zone": "red", "absent": False, "over_cap": True, "on": date(2026, 11, 23),
           "events": [], "nothing": None}
    document = {"date": date(2026, 11, 23), "workers": [row, row], "team": {"load": Fraction(1, 3), "waiting": 0},
                "suggestions": []}
    line = ('{"id": "asha", "name": "Zoë \\"Z\\" Ł\\n", "fte": 0.8, "cases": 12, "load": 33.5, "load_pct": 333.33, '
            '"zone": "red", "absent": false, "over_cap": true, "on": "2026-11-23", "events": [], "nothing": null}')
    assert json_text(document) == (
        '{\n  "date": "2026-11-23",\n  "workers": [\n    ' + line + ",\n    " + line + "\n  ],\n"
        '  "team": {\n    "load": 0.33,\n    "waiting": 0\n  },\n  "suggestions": []\n}\n')


@given(st.fractions(), st.integers(min_value=0, max_value=4))
def test_a_figure_rounds_down_as_before(value, places):
    before = value.numerator if value.denominator == 1 else float(floor_to(value, places))
    assert number(value, places) == before and type(number(value, places)) is type(before)
