"""JSON documents as `json.dumps(data, indent=2, ensure_ascii=False, default=default)`
writes them, character for character, in a fraction of the time.

The standard library writes indented JSON with its pure-Python encoder (its C encoder
only writes unindented JSON): a zone review of 5,000 workers spent more time there
than in every query behind it. Here a row of scalars (a dict whose values `json` writes
as numbers, strings, booleans or null) is written by json's C encoder in one call, with
the line break and indentation as its item separator; anything else is walked here, each
string escaped by the C function `json` itself uses and each number written by the
`repr` `json` uses. A document this writer does not take as it is (a key that is not a
string) is handed to `json.dumps` whole.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import Any, Callable

try:
    from _json import make_encoder as c_make_encoder
except ImportError:  # a Python without json's C part: every row is walked here
    c_make_encoder = None

_FLOAT_REPR = float.__repr__
_INT_REPR = int.__repr__
_INFINITY = float("inf")
_PLAIN = (str, int, float, list, tuple, dict)  # what `json` writes itself (None and bools aside)
_SCALARS = frozenset((str, int, float, bool, type(None)))
_STR = frozenset((str,))


class _NotPlain(Exception):
    """A value `json.dumps` would write differently from this writer (a non-string key)."""


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == _INFINITY:
        return "Infinity"
    if value == -_INFINITY:
        return "-Infinity"
    return _FLOAT_REPR(value)


def indented_json(data: Any, default: Callable[[Any], Any], scalars: tuple[type, ...] = ()) -> str:
    """`json.dumps(data, default=default, ensure_ascii=False, indent=2)`. `scalars` are
    the types (a Fraction, a date) that `default` always turns into a number or a string."""
    writer = _Writer(default, _SCALARS | frozenset(scalars))
    try:
        return writer.value(data, "\n")
    except _NotPlain:
        return json.dumps(data, default=default, ensure_ascii=False, indent=2)


class _Writer:
    def __init__(self, default: Callable[[Any], Any], scalars: frozenset):
        self.default, self.scalars = default, scalars
        self.rows: dict[str, Callable] = {}  # a C encoder per indentation

    def row(self, inner: str) -> Callable | None:
        """json's C encoder (used when there is no indent) with the item separator carrying
        the line break and indentation: a row of scalars comes out as indent=2 writes it,
        but for its braces. No check for cycles: a row of scalars holds none."""
        if inner in self.rows:
            return self.rows[inner]
        encoder = None
        if c_make_encoder is not None:
            try:  # a private part of `json`: a Python that changed its signature walks every row here
                encoder = c_make_encoder(None, self.default, encode_basestring, None, ": ", "," + inner, False,
                                         False, True)
            except TypeError:
                encoder = None
        self.rows[inner] = encoder
        return encoder

    def value(self, value: Any, newline: str) -> str:
        """One value, `newline` being the line break and indentation of the line it is on.
        The common exact types are written first; any other value is checked in `json`'s
        own order (str, None, True, False, int, float, list/tuple, dict, then `default`),
        so a subclass is written as `json` writes it."""
        kind = type(value)
        if kind is str:
            return encode_basestring(value)
        if kind is dict:
            if not value:
                return "{}"
            inner = newline + "  "
            # checked in C: every key a str, every value's exact type one json or default
            # writes as a scalar
            if _STR.issuperset(map(type, value)) and self.scalars.issuperset(map(type, value.values())):
                encoder = self.row(inner)
                if encoder is not None:
                    return "{" + inner + "".join(encoder(value, 0))[1:-1] + newline + "}"
            parts = []
            for key, item in value.items():
                if type(key) is not str:
                    raise _NotPlain
                parts.append(encode_basestring(key) + ": " + self.value(item, inner))
            return "{" + inner + ("," + inner).join(parts) + newline + "}"
        if kind is list or kind is tuple:
            if not value:
                return "[]"
            inner = newline + "  "
            return "[" + inner + ("," + inner).join([self.value(item, inner) for item in value]) + newline + "]"
        if value is None:
            return "null"
        if value is True:
            return "true"
        if value is False:
            return "false"
        if not isinstance(value, _PLAIN):  # a Fraction, a date: what `default` makes of it
            return self.value(self.default(value), newline)
        if isinstance(value, str):
            return encode_basestring(value)
        if isinstance(value, int):
            return _INT_REPR(value)
        if isinstance(value, float):
            return _float(value)
        return self.value(dict(value) if isinstance(value, dict) else list(value), newline)
